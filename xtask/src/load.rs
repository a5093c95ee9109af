//! `cargo xtask web-load`: an open-loop load generator for `jixiao serve`, on this machine only.
//!
//! Requests are sent at a fixed rate whatever the server does (request *i* is due at
//! `start + i / rate`), and each latency is measured from when the request was due, not from when
//! it went out, so a server that falls behind shows it in the tail instead of slowing the
//! generator down (coordinated omission). Every run is bounded by `--seconds`.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// One kind of request to time.
#[derive(Debug, Clone)]
pub struct Target {
    pub label: String,
    pub method: hyper::Method,
    pub path: String,
    pub body: Option<(Bytes, &'static str)>,
}

/// The latencies of one target.
#[derive(Debug, Clone)]
pub struct Report {
    pub label: String,
    pub sent: usize,
    pub failed: usize,
    pub rate: f64,
    pub seconds: f64,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Refuses anything but the loopback interface: this is not a tool to load other people's hosts.
pub fn check_loopback(base: &str) -> anyhow::Result<()> {
    let rest = base
        .strip_prefix("http://")
        .context("只支持 http://127.0.0.1:端口")?;
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    let host = if rest.starts_with("[::1]") {
        "[::1]"
    } else {
        host
    };
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        bail!("web-load only targets this machine (127.0.0.1), not {host}");
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Sends `target` at `rate` requests per second for `seconds`, then waits (at most 10 s) for
/// the answers still out.
pub async fn run(
    base: &str,
    target: &Target,
    rate: f64,
    seconds: f64,
    token: Option<&str>,
) -> anyhow::Result<Report> {
    check_loopback(base)?;
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(1024)
        .build_http();
    let total = (rate * seconds).round() as usize;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now() + Duration::from_millis(50);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..total {
        let due = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        let mut request = hyper::Request::builder()
            .method(target.method.clone())
            .uri(format!("{base}{}", target.path));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match &target.body {
            Some((bytes, kind)) => {
                request = request.header("content-type", *kind);
                Full::new(bytes.clone())
            }
            None => Full::new(Bytes::new()),
        };
        let request = request.body(body).context("request")?;
        let client = client.clone();
        tasks.spawn(async move {
            let ok = match client.request(request).await {
                Ok(response) => {
                    let status = response.status();
                    let body = response.into_body().collect().await;
                    status.is_success() && body.is_ok()
                }
                Err(_) => false,
            };
            (due.elapsed(), ok, i)
        });
    }
    let mut latencies = Vec::with_capacity(total);
    let mut slowest: Vec<(Duration, usize)> = Vec::new();
    let mut failed = 0;
    let drain = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(result) = tasks.join_next().await {
            if let Ok((latency, ok, i)) = result {
                latencies.push(latency);
                slowest.push((latency, i));
                failed += usize::from(!ok);
            }
        }
    })
    .await;
    slowest.sort_unstable_by(|a, b| b.cmp(a));
    let when: Vec<String> = slowest
        .iter()
        .take(8)
        .map(|(latency, i)| {
            format!(
                "{:.0} ms at {:.2} s",
                latency.as_secs_f64() * 1000.0,
                interval.mul_f64(*i as f64).as_secs_f64()
            )
        })
        .collect();
    eprintln!("{}: slowest {}", target.label, when.join(", "));
    let unanswered = tasks.len();
    tasks.abort_all();
    if drain.is_err() {
        failed += unanswered;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    Ok(Report {
        label: target.label.clone(),
        sent: total,
        failed,
        rate: total as f64 / elapsed.max(seconds),
        seconds: elapsed,
        p50: percentile(&latencies, 50.0),
        p90: percentile(&latencies, 90.0),
        p99: percentile(&latencies, 99.0),
        max: latencies.last().copied().unwrap_or_default(),
    })
}

/// Waits until the server answers `/login` (it is still indexing or migrating before that).
pub async fn wait_until_up(base: &str, timeout: Duration) -> anyhow::Result<()> {
    check_loopback(base)?;
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let deadline = Instant::now() + timeout;
    loop {
        let uri: hyper::Uri = format!("{base}/login").parse().context("URL")?;
        if let Ok(response) = client.get(uri).await
            && response.status().is_success()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the server at {base} did not answer within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_accepted() {
        assert!(check_loopback("http://127.0.0.1:8080").is_ok());
        assert!(check_loopback("http://localhost:1/x").is_ok());
        assert!(check_loopback("http://[::1]:8080").is_ok());
        assert!(check_loopback("http://example.com").is_err());
        assert!(check_loopback("http://127.0.0.2:80").is_err());
        assert!(check_loopback("https://127.0.0.1").is_err());
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&[], 99.0), Duration::ZERO);
    }
}
