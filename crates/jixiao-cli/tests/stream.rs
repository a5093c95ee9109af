//! A large department list is read a document at a time (`jixiao_parse::parse_streaming`): what
//! `parse` and `check` print for it is what the whole-file reading gives.

use std::path::PathBuf;
use std::process::Command;

use jixiao_model::{Document, Problem, Profile};
use jixiao_rules::{Checker, Settings};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seeds one after the other until past the streaming size, the last copy cut short in the
/// middle of a row (a truncated last row), written as `big.txt` in a new directory.
fn big_list() -> (tempfile::TempDir, String, Vec<u8>) {
    let seeds: Vec<Vec<u8>> = ["guangzhou-huadu-rsj.txt", "guangzhou-yuexiu-rsj.txt"]
        .iter()
        .map(|name| std::fs::read(workspace().join("examples").join(name)).expect("seed"))
        .collect();
    let mut bytes = Vec::new();
    let mut copies = 0;
    while (bytes.len() as u64) < jixiao_parse::STREAM_FROM + (256 << 10) {
        bytes.extend_from_slice(&seeds[copies % 2]);
        bytes.extend_from_slice(b"\n\n");
        copies += 1;
    }
    let mut cut = bytes.len() - 2 - seeds[0].len() / 2;
    while std::str::from_utf8(&bytes[..cut]).is_err() {
        cut -= 1;
    }
    bytes.truncate(cut);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &bytes).expect("writes");
    (dir, path.display().to_string(), bytes)
}

fn jixiao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("runs")
}

#[derive(serde::Serialize)]
struct ParseOutput<'a> {
    documents: &'a [Document],
    problems: &'a [Problem],
    errors: [(); 0],
}

#[test]
fn streamed_parse_output_is_the_whole_reading() {
    let (_dir, path, bytes) = big_list();
    let whole = jixiao_parse::parse_bytes(&path, &bytes, &Profile::builtin()).expect("parses");
    assert!(whole.documents.len() > 100);
    assert!(!whole.problems.is_empty());

    let json = jixiao(&["parse", &path, "--format", "json"]);
    assert!(json.status.success());
    let expected = serde_json::to_string_pretty(&ParseOutput {
        documents: &whole.documents,
        problems: &whole.problems,
        errors: [],
    })
    .expect("serializes")
        + "\n";
    assert!(
        String::from_utf8_lossy(&json.stdout) == expected,
        "JSON differs"
    );

    let csv = jixiao(&["parse", &path, "--format", "csv"]);
    assert!(csv.status.success());
    let expected = jixiao_export::indicator_csv(&whole.documents, false).expect("CSV");
    assert!(csv.stdout == expected, "CSV differs");

    let summary = jixiao(&["parse", &path]);
    assert!(summary.status.success());
    let text = String::from_utf8_lossy(&summary.stdout);
    assert_eq!(text.lines().count(), whole.documents.len() + 1);
}

#[test]
fn streamed_check_reports_the_findings_of_the_whole_reading_in_order() {
    let (_dir, path, bytes) = big_list();
    let whole = jixiao_parse::parse_bytes(&path, &bytes, &Profile::builtin()).expect("parses");
    let mut checker = Checker::new(Settings::default());
    let mut expected = checker.check_documents(&whole.documents, &whole.problems);
    checker.observe(&whole.documents);
    expected.extend(checker.finish());
    let expected: Vec<(String, u32, u32)> = expected
        .iter()
        .map(|f| (f.code.to_owned(), f.span.line, f.span.start))
        .collect();

    let output = jixiao(&["check", &path, "--format", "json"]);
    assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found: Vec<(String, u32, u32)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default() as u32,
                f["start"].as_u64().unwrap_or_default() as u32,
            )
        })
        .collect();
    assert!(expected.len() > 1000);
    assert!(
        found == expected,
        "{} findings, {} expected",
        found.len(),
        expected.len()
    );
}
