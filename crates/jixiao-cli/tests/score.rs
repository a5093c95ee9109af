//! `jixiao score` end to end on self-evaluations read in place from `../shared`.

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

/// A file under `../shared`, which must be there (CI has it).
fn shared(path: &str) -> String {
    let path = workspace().join("../shared").join(path);
    assert!(
        path.is_file(),
        "{} is missing: CI must have ../shared",
        path.display()
    );
    path.display().to_string()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn text_sets_recomputed_scores_beside_the_published_ones() {
    let sample = shared("samples/33_lincang_yongde_minglangzhongxue_2022.txt");
    let clean = shared("variations/09_self_eval_clean.txt");
    let output = jixiao(&["score", &clean, &sample]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    for expected in [
        "类别",
        "公布得分",
        "重算得分",
        "差异",
        "项目：义务教育营养改善计划专项资金（临沧市永德县明朗中学）",
        "总分：公布 96（优）；重算 99.8（优",
        "差异 -3.8！",
        "完成值 93% 低于目标 95%：20 × 93 ÷ 95 = 19.58",
        "得分应在 18–24",
        "总分：公布 92（未公布等级）；重算 92.58（优）",
        "共 2 个文件、2 个项目",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let timely = text
        .lines()
        .find(|line| line.contains("资金到位及时率"))
        .expect("a line for 资金到位及时率");
    assert!(timely.contains("-3！"), "{timely}");
    assert!(timely.contains("满分 10"), "{timely}");
}

#[test]
fn fail_on_exits_1_only_beyond_the_tolerance() {
    let sample = shared("samples/33_lincang_yongde_minglangzhongxue_2022.txt");
    let failed = jixiao(&["score", &sample, "--fail-on"]);
    assert_eq!(failed.status.code(), Some(1));
    let tolerant = jixiao(&["score", &sample, "--fail-on", "--tolerance", "4"]);
    assert_eq!(tolerant.status.code(), Some(0));
    let holds = shared("samples/21_suining_daying_sifaju_2023.txt");
    let clean = jixiao(&["score", &holds, "--fail-on"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
}

#[test]
fn unreadable_files_exit_2_and_the_others_are_still_scored() {
    let sample = shared("samples/33_lincang_yongde_minglangzhongxue_2022.txt");
    let output = jixiao(&["score", "no/such/file.txt", &sample]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("找不到文件：no/such/file.txt"));
    assert!(stdout(&output).contains("资金到位及时率"));
}

#[test]
fn json_keeps_scores_exact() {
    let sample = shared("samples/33_lincang_yongde_minglangzhongxue_2022.txt");
    let output = jixiao(&["score", &sample, "--format", "json"]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["policy"], "national");
    let project = &json["projects"][0];
    assert_eq!(project["total"]["published"], "96");
    assert_eq!(project["total"]["recomputed"], "99.8");
    assert_eq!(project["total"]["recomputed_grade"], "优");
    let timely = project["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|line| line["name"] == "资金到位及时率")
        .expect("资金到位及时率");
    assert_eq!(timely["difference"], "-3");
    assert_eq!(timely["method"], "higher_is_better");
    assert_eq!(json["summary"]["projects_over_tolerance"], 1);
}

#[test]
fn csv_has_a_row_per_line_and_per_total() {
    let clean = shared("variations/09_self_eval_clean.txt");
    let output = jixiao(&["score", &clean, "--format", "csv"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "file,unit,project,kind,category,name,target,actual,weight,published,recomputed,band_low,band_high,difference,method,reason,notes"
        )
    );
    let rows: Vec<&str> = lines.collect();
    // Budget execution, four indicators, the total.
    assert_eq!(rows.len(), 6, "{text}");
    assert!(
        rows[5].contains(",total,,总分,,,100,92,92.58,,,-0.58,"),
        "{}",
        rows[5]
    );
}

#[test]
fn xlsx_needs_out_and_writes_a_workbook() {
    let clean = shared("variations/09_self_eval_clean.txt");
    let refused = jixiao(&["score", &clean, "--format", "xlsx"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--out"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("计分.xlsx");
    let output = jixiao(&[
        "score",
        &clean,
        "--format",
        "xlsx",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip file");
}

#[test]
fn policies_by_name_or_file() {
    let shown = jixiao(&["score", "x", "--policy", "hubei", "--show-policy"]);
    assert!(shown.status.success());
    let text = stdout(&shown);
    assert!(text.contains("name = \"hubei\""), "{text}");
    assert!(text.contains("weight = 20"), "{text}");
    let unknown = jixiao(&["score", "x", "--policy", "atlantis"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有名为“atlantis”的计分政策"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("bands.toml");
    std::fs::write(
        &file,
        "name = \"bands\"\n[budget]\nmethod = \"bands\"\nbands = [{ from = 95, share = 100 }, { from = 80, share = 50 }]\n",
    )
    .expect("written");
    let clean = shared("variations/09_self_eval_clean.txt");
    let output = jixiao(&[
        "score",
        &clean,
        "--policy",
        &file.display().to_string(),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    // 90% executed falls in the 80% band: half of 10 points.
    assert_eq!(json["projects"][0]["lines"][0]["recomputed"], "5");
    assert_eq!(json["projects"][0]["lines"][0]["method"], "budget_bands");
}

#[test]
fn jixiao_toml_names_the_policy_and_check_accepts_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[score]\npolicy = \"hubei\"\n",
    )
    .expect("written");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("runs")
    };
    let shown = run(&["score", "x", "--show-policy"]);
    assert!(stdout(&shown).contains("name = \"hubei\""), "{shown:?}");
    let seed = workspace().join("examples/guangzhou-yuexiu-rsj.txt");
    let check = run(&["check", &seed.display().to_string(), "--fail-on", "never"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
}

/// The E codes `jixiao check --format json` reports for `file`, run in `dir`, in order.
fn check_codes(dir: &std::path::Path, file: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["check", "--format", "json", file])
        .current_dir(dir)
        .output()
        .expect("runs");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {output:?}"));
    let mut codes = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .filter(|code| code.starts_with('E'))
        .map(str::to_owned)
        .collect::<Vec<_>>();
    codes.sort();
    codes
}

/// `check` includes the self-evaluation rules, scored with the policy `jixiao.toml` names, a
/// policy file beside it included.
#[test]
fn check_shows_the_self_evaluation_findings_under_the_configured_policy() {
    let sample = shared("samples/33_lincang_yongde_minglangzhongxue_2022.txt");
    let clean = shared("variations/09_self_eval_clean.txt");
    let dir = std::env::temp_dir().join(format!("jixiao-check-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("jixiao.toml"), "").expect("config");
    assert_eq!(
        check_codes(&dir, &sample),
        ["E006", "E009", "E009", "E010"],
        "资金到位及时率 met but scored 7 of 10, two unexplained deductions, a copied goal"
    );
    assert_eq!(check_codes(&dir, &clean), Vec::<String>::new());
    // Under a policy where 优 starts at 97, sample 33's 96 is 良, not the published 优.
    std::fs::write(
        dir.join("jixiao.toml"),
        "[score]\npolicy = \"strict.toml\"\n",
    )
    .expect("config");
    std::fs::write(
        dir.join("strict.toml"),
        "name = \"strict\"\n[grades]\nexcellent = 97\n",
    )
    .expect("policy");
    let codes = check_codes(&dir, &sample);
    std::fs::remove_dir_all(&dir).ok();
    assert!(codes.iter().any(|c| c == "E004"), "{codes:?}");
}
