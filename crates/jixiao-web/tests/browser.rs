//! The reviewer's path through the real server in headless Chromium (Debian's `chromium` and
//! `chromedriver`): log in, check a table, save it, see the findings, dismiss one with a comment,
//! find it in the audit log, search 满意度, open the dashboard, log out. Screenshots of each page go
//! to `target/screenshots/`.
//!
//! Without chromedriver the test says so and passes, unless `JIXIAO_TEST_BROWSER=1` (CI), where
//! it fails.

mod common;

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use jixiao_web::Config;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver, killed when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")),
        PathBuf::from,
    );
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    match client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element,
        Err(error) => {
            shot(client, "failure").await;
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!(
                "{css} did not appear on {url}: {error}\n{}",
                body_text(client).await
            )
        }
    }
}

async fn body_text(client: &Client) -> String {
    client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_checks_reviews_and_finds_the_audit_row() {
    let required = std::env::var("JIXIAO_TEST_BROWSER").is_ok_and(|v| v == "1");
    let driver_path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_owned());
    if !std::path::Path::new(&driver_path).exists() {
        assert!(
            !required,
            "JIXIAO_TEST_BROWSER=1 but {driver_path} is missing: apt-get install chromium chromium-driver"
        );
        eprintln!(
            "\n*** SKIPPED the browser test: {driver_path} not found. Install Debian's chromium and \
             chromium-driver (as .ci/run does) to run it. ***\n"
        );
        return;
    }

    // The real server on a real port.
    let fx = common::fixture(Config::default()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address: SocketAddr = listener.local_addr().expect("address");
    let app = jixiao_web::app(fx.state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let base = format!("http://{address}");

    let port = free_port();
    let driver = Driver(
        Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().expect("profile dir");
    let mut capabilities = serde_json::Map::new();
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned());
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": binary,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1100", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver");
    let result = journey(&client, &base).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the reviewer's journey");
}

async fn journey(client: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    // Log in.
    client.goto(&format!("{base}/")).await?;
    wait_for(client, "form.login").await;
    assert!(client.current_url().await?.path().ends_with("/login"));
    shot(client, "01-login").await;
    client
        .find(Locator::Css("input[name=name]"))
        .await?
        .send_keys("alice")
        .await?;
    client
        .find(Locator::Css("input[name=password]"))
        .await?
        .send_keys(common::PASSWORD)
        .await?;
    client
        .find(Locator::Css("form.login button"))
        .await?
        .click()
        .await?;
    wait_for(client, "form.check").await;
    assert!(body_text(client).await.contains("alice（审核员）"));
    shot(client, "02-check-form").await;

    // Check the yuexiu table as an upload.
    let path = std::fs::canonicalize(common::YUEXIU).expect("example path");
    client
        .find(Locator::Css("input#file"))
        .await?
        .send_keys(&path.display().to_string())
        .await?;
    client
        .find(Locator::Css("form.check button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for(client, "table.grid").await;
    let text = body_text(client).await;
    assert!(
        text.contains("审核结果：guangzhou-yuexiu-rsj.txt"),
        "{text}"
    );
    let findings = client.find_all(Locator::Css("details.finding")).await?;
    assert!(!findings.is_empty(), "findings are shown");
    // Opening a finding shows the rule's explanation and highlights its cell.
    findings[0]
        .find(Locator::Css("summary"))
        .await?
        .click()
        .await?;
    let explain = findings[0]
        .find(Locator::Css(".explain"))
        .await?
        .text()
        .await?;
    assert!(explain.contains("建议："), "{explain}");
    shot(client, "03-check-result").await;

    // Save it into the corpus: the same content is document 1 (after one more upload below).
    let result_url = client.current_url().await?;

    // Another format and layout: the same tables as one Excel sheet per project (merged
    // 一级/二级 cells), as jixiao-export writes them.
    let parsed = jixiao_parse::parse_bytes(
        "yuexiu.txt",
        &std::fs::read(common::YUEXIU).expect("example"),
        &jixiao_model::Profile::builtin(),
    )
    .expect("parses");
    let workbook = jixiao_export::project_sheets_xlsx(&parsed.documents).expect("workbook");
    let upload_dir = tempfile::tempdir().expect("upload dir");
    let sheets = upload_dir.path().join("yuexiu-sheets.xlsx");
    std::fs::write(&sheets, workbook).expect("write workbook");
    client.goto(&format!("{base}/")).await?;
    client
        .find(Locator::Css("input#file"))
        .await?
        .send_keys(&sheets.display().to_string())
        .await?;
    client
        .find(Locator::Css("form.check button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for(client, "table.grid").await;
    let text = body_text(client).await;
    assert!(
        text.contains("审核结果：yuexiu-sheets.xlsx") && text.contains("项目支出绩效目标申报表"),
        "{text}"
    );
    shot(client, "03b-check-xlsx").await;
    client.goto(result_url.as_str()).await?;
    wait_for(client, "table.grid").await;
    client
        .find(Locator::XPath("//button[text()='保存到语料库']"))
        .await?
        .click()
        .await?;
    wait_for(client, "nav.tabs").await;
    assert!(client.current_url().await?.path().ends_with("/documents/1"));
    shot(client, "04-document").await;

    // Dismiss the first finding with a comment.
    let first = wait_for(client, "details.finding").await;
    let id = first.attr("id").await?.expect("finding id");
    first.find(Locator::Css("summary")).await?.click().await?;
    first
        .find(Locator::Css("textarea[name=comment]"))
        .await?
        .send_keys("表中已说明，驳回")
        .await?;
    first
        .find(Locator::Css("button[value=dismissed]"))
        .await?
        .click()
        .await?;
    let dismissed = wait_for(client, &format!("details#{id}.dismissed")).await;
    assert!(dismissed.text().await?.contains("已驳回"));
    client
        .execute(
            "document.getElementById(arguments[0]).open = true; document.getElementById(arguments[0]).scrollIntoView({block: 'center'});",
            vec![serde_json::json!(id)],
        )
        .await?;
    shot(client, "05-dismissed").await;

    // The audit log has it.
    client.goto(&format!("{base}/audit")).await?;
    wait_for(client, "table.audit").await;
    let audit = body_text(client).await;
    assert!(
        audit.contains("表中已说明，驳回") && audit.contains("已驳回") && audit.contains("alice"),
        "{audit}"
    );
    shot(client, "06-audit").await;

    // The printable review opinion.
    client.goto(&format!("{base}/documents/1/opinion")).await?;
    wait_for(client, "article.opinion").await;
    assert!(body_text(client).await.contains("已确认的审核意见"));
    shot(client, "06b-opinion").await;

    // Search 满意度.
    client.goto(&format!("{base}/search")).await?;
    client
        .find(Locator::Css("input[name=q]"))
        .await?
        .send_keys("满意度")
        .await?;
    client
        .find(Locator::Css("form.side button"))
        .await?
        .click()
        .await?;
    wait_for(client, "mark").await;
    assert!(body_text(client).await.contains("找到 "));
    shot(client, "07-search").await;

    // The dashboard draws its charts.
    client.goto(&format!("{base}/dashboard")).await?;
    wait_for(client, "#chart-codes canvas").await;
    shot(client, "08-dashboard").await;

    // Log out.
    client
        .find(Locator::XPath("//button[text()='退出']"))
        .await?
        .click()
        .await?;
    wait_for(client, "form.login").await;
    client.goto(&format!("{base}/publishers")).await?;
    wait_for(client, "form.login").await;
    shot(client, "09-logged-out").await;
    Ok(())
}
