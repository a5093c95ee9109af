//! `jixiao serve` on a new corpus: the examples are imported and an administrator is created,
//! whose password is shown once, so the first run can be used at once; a second run creates no
//! second one.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port()
}

/// Starts the server, returns the lines it printed up to the address line, and stops it.
fn first_lines(db: &std::path::Path) -> Vec<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", &format!("127.0.0.1:{}", free_port())])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    // Everything up to the address line, then what follows it until the server goes quiet.
    let mut lines: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let listening = lines.iter().any(|l| l.contains("审核网页："));
        match receive.recv_timeout(Duration::from_millis(1000)) {
            Ok(line) => lines.push(line),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if listening => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    child.kill().expect("stops");
    child.wait().expect("reaped");
    lines
}

#[test]
fn first_run_creates_one_administrator_and_shows_the_password_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("jixiao.db");
    let first = first_lines(&db).join("\n");
    assert!(first.contains("审核网页：http://127.0.0.1:"), "{first}");
    let password = first
        .split("密码 ")
        .nth(1)
        .and_then(|rest| rest.split('（').next())
        .unwrap_or_default();
    assert_eq!(password.chars().count(), 16, "{first}");
    let users = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["user", "list", "--db"])
        .arg(&db)
        .output()
        .expect("user list runs");
    let listed = String::from_utf8_lossy(&users.stdout);
    assert!(listed.starts_with("admin\t管理员"), "{listed}");
    assert_eq!(listed.lines().count(), 1, "{listed}");
    let second = first_lines(&db).join("\n");
    assert!(!second.contains("密码"), "{second}");
}
