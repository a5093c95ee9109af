//! Import throughput on a generated corpus of over a million indicators, into SQLite and (when
//! `JIXIAO_TEST_POSTGRES_URL` is set) PostgreSQL, with the importer's peak memory.
//!
//! Run in release mode (figures in docs/benchmarks.md):
//!
//! ```sh
//! JIXIAO_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!   cargo test --release -p jixiao-cli --test import_bench -- --ignored --nocapture
//! ```
//!
//! `JIXIAO_BENCH_FILES` sets the number of files (default 3,400: about 1,010,000 indicators).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{databases, write_corpus};

#[test]
#[ignore = "a benchmark: run with --release -- --ignored --nocapture"]
fn import_throughput() {
    let files: usize = std::env::var("JIXIAO_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_400);
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let started = Instant::now();
    let (paths, indicators) = write_corpus(&corpus, files);
    let bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    eprintln!(
        "corpus: {} files, {indicators} indicators, {:.1} MB, written in {:.1} s",
        paths.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    for db in databases(dir.path(), "bench") {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args([
                "import",
                "--quiet",
                &corpus.display().to_string(),
                "--db",
                &db.url,
            ])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        let pid = child.id();
        let mut peak_kib = 0;
        while child.try_wait().expect("polls").is_none() {
            peak_kib = peak_kib.max(peak_rss_kib(pid).unwrap_or(0));
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().expect("finishes");
        let seconds = started.elapsed().as_secs_f64();
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: {out}{}",
            db.name,
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(out.contains(&format!("写入 {indicators} 个指标")), "{out}");
        let database_mb = std::fs::metadata(&db.url).map_or(0.0, |m| m.len() as f64 / 1e6);
        eprintln!(
            "{}: {indicators} indicators in {seconds:.1} s = {:.0} indicators/s; peak RSS {:.0} MiB{}",
            db.name,
            indicators as f64 / seconds,
            peak_kib as f64 / 1024.0,
            if database_mb > 0.0 {
                format!("; database {database_mb:.0} MB")
            } else {
                String::new()
            }
        );
        eprintln!("{out}");
    }
}

/// The process's peak resident set (VmHWM) from /proc, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
