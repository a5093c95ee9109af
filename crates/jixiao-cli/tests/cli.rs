//! The `jixiao` binary end to end: parse formats, the JSON Schema, render and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("runs")
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SEEDS: [&str; 2] = [
    "examples/guangzhou-yuexiu-rsj.txt",
    "examples/guangzhou-huadu-rsj.txt",
];

#[test]
fn json_output_validates_against_the_committed_schema() {
    let output = jixiao(&["parse", SEEDS[0], SEEDS[1], "--format", "json"]);
    assert!(output.status.success());
    let instance: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let schema_text =
        std::fs::read_to_string(workspace().join("schema/document.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(instance["documents"].as_array().map(Vec::len), Some(2));
    // Money is an exact decimal string, never a float.
    assert_eq!(
        instance["documents"][1]["grand_total"]["amounts"]["total"]["value"],
        "34139.95"
    );
}

#[test]
fn committed_schema_is_current() {
    let output = jixiao(&["schema"]);
    let committed =
        std::fs::read_to_string(workspace().join("schema/document.schema.json")).expect("schema");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        committed,
        "schema/document.schema.json is stale: run `cargo run -- schema > schema/document.schema.json`"
    );
}

#[test]
fn csv_has_the_documented_columns_and_one_row_per_indicator() {
    let output = jixiao(&["parse", SEEDS[0], SEEDS[1], "--format", "csv", "--bom"]);
    assert!(output.status.success());
    let body = output
        .stdout
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("BOM first");
    let mut reader = csv::Reader::from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header.join(","),
        "file,department,unit,project,project_line,seq,level1,level1_code,level2,level2_code,level2_inferred,name,annual_raw,annual_kind,annual_comparator,annual_number,annual_unit,period_raw,project_total,project_fiscal,project_special,project_other"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 410);
    let first = &rows[0];
    assert_eq!(&first[3], "劳动人事争议调解仲裁经费");
    assert_eq!(&first[4], "11");
    assert_eq!(&first[12], ">75%");
    assert_eq!(&first[18], "44.00");
    assert_eq!(&first[20], "", "an absent amount is empty, not 0");
}

#[test]
fn render_reproduces_the_seed() {
    let output = jixiao(&["render", SEEDS[1], "--layout", "department-list"]);
    assert!(output.status.success());
    let seed = std::fs::read_to_string(workspace().join(SEEDS[1])).expect("seed");
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        lines(&String::from_utf8_lossy(&output.stdout)),
        lines(&seed)
    );
}

#[test]
fn unreadable_file_exits_2_with_a_chinese_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let binary = dir.path().join("table.bin");
    std::fs::write(&binary, b"\x00\x01\x02binary").expect("write");
    let output = jixiao(&["parse", binary.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("二进制文件"), "{stderr}");
    let damaged = dir.path().join("table.pdf");
    std::fs::write(&damaged, b"%PDF-1.7\x00\x01\x02").expect("write");
    let output = jixiao(&["parse", damaged.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("PDF 文件已损坏") || stderr.contains("apt-get install poppler-utils"),
        "{stderr}"
    );
    let missing = jixiao(&["parse", "no-such-file.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("找不到文件：no-such-file.txt"));
}

/// Without Poppler a PDF is refused with the command that installs it (simulated by pointing
/// `JIXIAO_PDFTOTEXT` at nothing), whether or not the machine has it.
#[test]
fn pdf_without_pdftotext_says_how_to_install_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["parse", "crates/jixiao-parse/tests/fixtures/pdf/yuexiu.pdf"])
        .env("JIXIAO_PDFTOTEXT", "/nonexistent/pdftotext")
        .current_dir(workspace())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("读取 PDF 需要 Poppler 的 pdftotext 工具")
            && stderr.contains("sudo apt-get install poppler-utils poppler-data"),
        "{stderr}"
    );
}

#[test]
fn problems_go_to_stderr_with_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.txt");
    std::fs::write(
        &file,
        "部门名称：测试局\n项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n项目甲\t十万\t\t\t\t目标\t1、产出指标：甲，年度指标值：1次。\n",
    )
    .expect("write");
    let output = jixiao(&["parse", file.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.txt:3:"), "{stderr}");
    assert!(stderr.contains("金额“十万”不是数字"), "{stderr}");
}

#[test]
fn exported_files_read_back_in_every_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = workspace();
    let seeds: Vec<String> = [
        "examples/guangzhou-yuexiu-rsj.txt",
        "examples/guangzhou-huadu-rsj.txt",
    ]
    .iter()
    .map(|p| root.join(p).display().to_string())
    .collect();
    for (layout, name, expected) in [
        (
            "indicator-rows",
            "rows.xlsx",
            "项目绩效目标申报表（每指标一行），5 个单位，88 个项目，390 个指标",
        ),
        (
            "project-sheet",
            "sheets.xlsx",
            "项目支出绩效目标申报表（每项目一表），1 个项目，",
        ),
    ] {
        let out = dir.path().join(name).display().to_string();
        let mut args = vec!["export"];
        args.extend(seeds.iter().map(String::as_str));
        args.extend(["--to", "xlsx", "--layout", layout, "--out", &out]);
        let export = jixiao(&args);
        assert!(
            export.status.success(),
            "{}",
            String::from_utf8_lossy(&export.stderr)
        );
        let parsed = jixiao(&["parse", &out]);
        let stdout = String::from_utf8_lossy(&parsed.stdout);
        assert!(stdout.contains(expected), "{stdout}");
    }
    let both = jixiao(&["export", &seeds[0], "--db", "x.db", "--to", "csv"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("二选一"));
}

/// What `export` and `parse --format` write reads back to the same tables: the indicator CSV and
/// the JSON (they were "no table"), the workbook of indicator rows with its 部门名称 (it was lost).
#[test]
fn exports_read_back_with_department_and_every_indicator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = workspace()
        .join("examples/guangzhou-huadu-rsj.txt")
        .display()
        .to_string();
    for to in ["csv", "json", "xlsx"] {
        let out = dir.path().join(format!("huadu.{to}")).display().to_string();
        let export = jixiao(&["export", &seed, "--to", to, "--out", &out]);
        assert!(
            export.status.success(),
            "{to}: {}",
            String::from_utf8_lossy(&export.stderr)
        );
        let parsed = jixiao(&["parse", &out]);
        assert_eq!(parsed.status.code(), Some(0), "{to}");
        let stdout = String::from_utf8_lossy(&parsed.stdout);
        assert!(
            stdout.contains("广州市花都区人力资源和社会保障局，")
                && stdout.contains("88 个项目，390 个指标"),
            "{to}: {stdout}"
        );
    }
    // The CSV read back keeps every value's text.
    let csv = dir.path().join("huadu.csv").display().to_string();
    let again = dir.path().join("again.csv").display().to_string();
    let export = jixiao(&["export", &csv, "--to", "csv", "--out", &again]);
    assert!(export.status.success());
    let column = |path: &str, name: &str| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == name)
            .unwrap();
        reader
            .records()
            .map(|r| r.unwrap().get(at).unwrap().to_owned())
            .collect()
    };
    for name in ["name", "annual_raw", "level1", "project_total"] {
        assert_eq!(column(&csv, name), column(&again, name), "{name}");
    }
}

/// `parse --format jsonl` writes each document of `--format json` on a line of its own, and both
/// outputs, saved to a file, read back to the documents they were written from.
#[test]
fn json_and_json_lines_read_back_to_the_same_documents() {
    let json = jixiao(&["parse", SEEDS[0], SEEDS[1], "--format", "json"]);
    let lines = jixiao(&["parse", SEEDS[0], SEEDS[1], "--format", "jsonl"]);
    assert!(json.status.success() && lines.status.success());
    let whole: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let documents = whole["documents"].as_array().expect("documents");
    let text = String::from_utf8(lines.stdout.clone()).expect("UTF-8");
    let each: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON document per line"))
        .collect();
    assert_eq!(&each, documents);
    assert!(text.ends_with("}\n") && !text.contains("\n\n"));

    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in [("out.json", &json.stdout), ("out.jsonl", &lines.stdout)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writes");
        let path = path.display().to_string();
        let again = jixiao(&["parse", &path, "--format", "jsonl"]);
        assert_eq!(again.status.code(), Some(0), "{name}");
        assert_eq!(
            again.stdout, lines.stdout,
            "{name} reads back to other documents"
        );
    }
}

#[test]
fn usage_errors_and_help_are_chinese() {
    let unknown = jixiao(&["parse", "--bogus", SEEDS[0]]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.starts_with("错误：不认识的参数“--bogus”"),
        "{stderr}"
    );
    assert!(
        stderr.contains("用法：jixiao parse [选项] <文件>..."),
        "{stderr}"
    );
    assert!(
        stderr.contains("更多信息请运行：jixiao parse --help"),
        "{stderr}"
    );

    let typo = jixiao(&["chek", SEEDS[0]]);
    assert_eq!(typo.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert!(
        stderr.contains("是不是想用") && stderr.contains("check"),
        "{stderr}"
    );

    let bare = jixiao(&[]);
    assert_eq!(bare.status.code(), Some(2), "no command is a usage error");
    assert!(String::from_utf8_lossy(&bare.stderr).contains("命令:"));

    let help = jixiao(&["check", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&help.stdout);
    assert!(stdout.contains("用法：jixiao check [选项]"), "{stdout}");
    for english in [
        "Usage:",
        "Options:",
        "Print help",
        "Possible values",
        "[default:",
    ] {
        assert!(!stdout.contains(english), "{english} in {stdout}");
    }
}
