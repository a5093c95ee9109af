//! `jixiao check` and `jixiao rule` end to end.

use std::path::PathBuf;
use std::process::{Command, Output};

fn jixiao(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs")
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn check_on_the_seeds_finds_the_technical_school_mismatch() {
    let output = jixiao(&workspace(), &["check", "examples/", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "errors fail the run");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    let a002: Vec<_> = findings.iter().filter(|f| f["code"] == "A002").collect();
    assert_eq!(a002.len(), 1);
    assert_eq!(a002[0]["unit"], "广州市花都区技工学校");
    let message = a002[0]["message"].as_str().expect("message");
    assert!(
        message.contains("857.79") && message.contains("857.80"),
        "{message}"
    );
    assert!(
        message.contains("763.95") && message.contains("763.96"),
        "{message}"
    );
    assert!(
        findings
            .iter()
            .all(|f| f["code"] != "A001" && f["code"] != "A003")
    );
    assert_eq!(report["summary"]["projects"], 98);
    for key in [
        "code",
        "severity",
        "message",
        "file",
        "line",
        "unit",
        "project",
        "indicator",
        "help",
    ] {
        assert!(a002[0].get(key).is_some(), "{key} missing");
    }
}

#[test]
fn fail_on_and_config_select() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("jixiao.toml"), "select = [\"A001\"]\n").expect("write");
    let seed = workspace().join("examples/guangzhou-huadu-rsj.txt");
    let seed = seed.to_str().expect("utf-8 path");
    let output = jixiao(dir.path(), &["check", seed]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "A001 does not fire on the seeds"
    );
    let shown = jixiao(dir.path(), &["check", "--show-settings"]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("A001") && !shown.contains("A002 ="),
        "{shown}"
    );

    std::fs::write(dir.path().join("jixiao.toml"), "ignore = [\"Q\"]\n").expect("write");
    let bad = jixiao(dir.path(), &["check", seed]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("不对应任何规则代码"));

    let never = jixiao(
        &workspace(),
        &[
            "check",
            "examples/",
            "--fail-on",
            "never",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(never.status.code(), Some(0));
    let sarif: serde_json::Value = serde_json::from_slice(&never.stdout).expect("SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn text_output_underlines_the_unit_name() {
    let output = jixiao(
        &workspace(),
        &[
            "check",
            "examples/guangzhou-huadu-rsj.txt",
            "--fail-on",
            "never",
        ],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    // A 0.01 difference is rounding-sized: a 提示 that says so (issue 17).
    assert!(text.contains("提示[A002]"), "{text}");
    assert!(text.contains("可能是各部分分别四舍五入造成的"), "{text}");
    assert!(text.contains("广州市花都区技工学校→857.79"), "{text}");
    assert!(text.contains("^^^^^^^^^^^^^^^^^^^^"), "{text}");
    assert!(text.contains("建议审核等级"), "{text}");
}

#[test]
fn rule_docs() {
    let output = jixiao(&workspace(), &["rule", "A001"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("# A001 amounts-row-sum"));
    assert!(text.contains("## 依据"));
    let missing = jixiao(&workspace(), &["rule", "Z999"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// Findings on a spreadsheet are placed by sheet, row and column and show the cell's text, not
/// the zip bytes of the file read as lines (they did before cells were looked up).
#[test]
fn findings_on_a_spreadsheet_show_the_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("越秀.xlsx");
    let seed = workspace().join("examples/guangzhou-yuexiu-rsj.txt");
    let export = jixiao(
        dir.path(),
        &[
            "export",
            seed.to_str().unwrap(),
            "--to",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{export:?}");
    let output = jixiao(dir.path(), &["check", xlsx.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("行第"), "{text}");
    assert!(
        text.contains("   | 劳动保障监察经费"),
        "the project cell's text is shown:\n{text}"
    );
    assert!(
        !text.contains("PK\u{3}\u{4}") && !text.contains('\u{fffd}'),
        "{text}"
    );
    let json = jixiao(
        dir.path(),
        &["check", xlsx.to_str().unwrap(), "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let first = &report["findings"][0];
    assert!(first["cell"]["row"].as_u64().is_some(), "{first}");
    assert!(first["cell"]["sheet"].as_str().is_some(), "{first}");
}

/// Regression: findings were keyed by file and line only, and every project sheet of a workbook
/// numbers its rows from 1, so each project collected the findings of every sheet and `check`
/// graded them all 差. The workbook must grade each project as its text does.
#[test]
fn a_workbook_of_project_sheets_is_graded_project_by_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("越秀-项目表.xlsx");
    let seed = workspace().join("examples/guangzhou-yuexiu-rsj.txt");
    let export = jixiao(
        dir.path(),
        &[
            "export",
            seed.to_str().unwrap(),
            "--to",
            "xlsx",
            "--layout",
            "project-sheet",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{export:?}");
    let grades = |path: &std::path::Path| -> Vec<(String, String)> {
        let output = jixiao(
            dir.path(),
            &["check", path.to_str().unwrap(), "--format", "json"],
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let mut grades: Vec<(String, String)> = report["summary"]["grades"]
            .as_array()
            .expect("grades")
            .iter()
            .map(|g| (g["project"].to_string(), g["grade"].to_string()))
            .collect();
        grades.sort();
        grades
    };
    let from_text = grades(&seed);
    let from_workbook = grades(&xlsx);
    assert!(from_text.len() > 1, "{from_text:?}");
    assert!(
        from_text.iter().any(|(_, g)| !g.contains('差')),
        "the text grades some projects above 差: {from_text:?}"
    );
    assert_eq!(from_workbook, from_text);
}
