//! One fixture per rule: the fixture's title line says where the rule must fire; the test runs
//! that rule alone, checks the lines, and snapshots the rendered text.

use jixiao_model::Profile;
use jixiao_rules::render::{MemorySources, render_text};
use jixiao_rules::{Checker, Settings, Summary};

/// Runs rule `code` alone on `tests/fixtures/<code>.txt` and returns the lines it fired on and the
/// rendered text.
fn run_fixture(code: &str) -> (Vec<u32>, String) {
    let name = format!("tests/fixtures/{code}.txt");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let settings = Settings::from_toml(&format!("select = [\"{code}\"]")).expect("valid");
    let parsed = jixiao_parse::parse_bytes(&name, text.as_bytes(), &Profile::builtin())
        .expect("fixture parses");
    let mut checker = Checker::new(settings);
    let mut findings = checker.check(&parsed.documents, &parsed.problems);
    findings.extend(checker.finish());
    let mut summary = Summary::default();
    summary.add_findings(&findings);
    let rendered = render_text(&findings, &summary, &MemorySources(vec![(name, text)]));
    let mut lines: Vec<u32> = findings.iter().map(|f| f.span.line).collect();
    lines.sort_unstable();
    (lines, rendered)
}

macro_rules! fixture_test {
    ($test:ident, $code:literal, [$($line:literal),*]) => {
        #[test]
        fn $test() {
            let (lines, rendered) = run_fixture($code);
            assert_eq!(lines, vec![$($line),*], "lines {} fired on\n{rendered}", $code);
            insta::assert_snapshot!($code, rendered);
        }
    };
}

fixture_test!(a001_amounts_row_sum, "A001", [6, 8]);
fixture_test!(a002_unit_total_mismatch, "A002", [5, 10]);
fixture_test!(a003_grand_total_mismatch, "A003", [5, 33]);
fixture_test!(a004_non_positive_amount, "A004", [7, 8]);
fixture_test!(s001_unreadable_row, "S001", [6, 7]);
fixture_test!(s002_unreadable_indicators, "S002", [6, 7]);
fixture_test!(s003_repaired_row, "S003", [6]);
fixture_test!(v001_unreadable_value, "V001", [6]);
fixture_test!(v002_vague_target, "V002", [6, 7, 8, 9, 16]);
fixture_test!(v003_unit_mismatch, "V003", [6, 7, 8, 9, 16, 17]);
fixture_test!(v004_rate_out_of_range, "V004", [6, 7]);
fixture_test!(v005_suspicious_direction, "V005", [6, 7, 8]);
fixture_test!(v006_value_restates_name, "V006", [6, 7, 11]);
fixture_test!(v007_annual_period_inconsistent, "V007", [6, 7, 8]);
fixture_test!(v008_implausible_satisfaction, "V008", [6, 7]);
fixture_test!(i001_missing_output, "I001", [7, 9]);
fixture_test!(i002_missing_effect, "I002", [7, 8]);
fixture_test!(i003_missing_satisfaction, "I003", [7]);
fixture_test!(i004_missing_cost, "I004", [7]);
fixture_test!(i005_too_few_indicators, "I005", [7, 8, 9]);
fixture_test!(i006_duplicate_indicator, "I006", [7, 8, 10]);
fixture_test!(i007_level_mismatch, "I007", [7, 8, 9, 10, 11]);
fixture_test!(g001_goal_missing, "G001", [7, 8, 9]);
fixture_test!(g002_boilerplate_goal, "G002", [6]);
fixture_test!(g003_goal_promise_unmeasured, "G003", [7, 7]);
fixture_test!(c001_input_as_output, "C001", [7, 8, 10, 11, 12]);
fixture_test!(c002_cost_restates_budget, "C002", [6, 7, 8]);
fixture_test!(e001_execution_rate_mismatch, "E001", [6]);
fixture_test!(e002_score_above_weight, "E002", [11]);
fixture_test!(e003_total_not_sum, "E003", [15]);
fixture_test!(e004_grade_mismatch, "E004", [15]);
fixture_test!(e005_full_points_without_actual, "E005", [13]);
fixture_test!(e006_deducted_though_met, "E006", [11]);
fixture_test!(e007_full_points_though_missed, "E007", [12, 13]);
fixture_test!(e008_weights_not_total, "E008", [3]);
fixture_test!(e009_unexplained_deduction, "E009", [12, 14]);
fixture_test!(e010_actual_copies_target, "E010", [9, 14]);
fixture_test!(e011_actual_unit_mismatch, "E011", [11]);
fixture_test!(v009_template_left_in, "V009", [6, 7, 8, 10]);
fixture_test!(i008_category_misfiled, "I008", [6, 7]);
fixture_test!(v010_damaged_text, "V010", [6, 7, 9]);
fixture_test!(v011_shares_exceed_whole, "V011", [6, 7, 10]);
fixture_test!(c003_unit_cost_times_quantity, "C003", [6, 9]);

/// A copy cut above its header (the tail of a self-evaluation, as a county site published it)
/// holds two indicators and no goal: the missing families, the count and the goal are the cut's,
/// not the publisher's, so I001–I005 and G001 stay silent (they fired before `truncation`).
#[test]
fn cut_table_is_not_blamed_for_what_was_cut() {
    let name = "tests/fixtures/regression/cut_table.txt";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let parsed = jixiao_parse::parse_bytes(name, text.as_bytes(), &Profile::builtin())
        .expect("fixture parses");
    assert_eq!(parsed.documents.len(), 1);
    let truncation = parsed.documents[0]
        .truncation
        .as_ref()
        .expect("marked as cut");
    assert!(truncation.starts_midway);
    assert_eq!(parsed.documents[0].indicator_count(), 2);
    let settings = Settings::from_toml(
        "select = [\"I001\", \"I002\", \"I003\", \"I004\", \"I005\", \"G001\"]",
    )
    .expect("valid");
    let mut checker = Checker::new(settings);
    let mut findings = checker.check(&parsed.documents, &parsed.problems);
    findings.extend(checker.finish());
    assert!(findings.is_empty(), "{findings:?}");
}

/// Sample 07 (湘潭): `服务周期` only starts `服务周期内空气质量` and
/// `服务周期内,市民对空气质量改善的满意程度`; I006 called them near-duplicates. And C002 said
/// “250万 万元”: the total `250万` already carries its unit.
#[test]
fn sample_07_shared_prefix_is_no_duplicate_and_the_unit_is_said_once() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/07_xiangtan_huanwei_2023.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: CI must have ../shared", path.display()));
    let parsed = jixiao_parse::parse_bytes("07.txt", text.as_bytes(), &Profile::builtin())
        .expect("sample 07 parses");
    let settings = Settings::from_toml("select = [\"I006\", \"C002\"]").expect("valid");
    let mut checker = Checker::new(settings);
    let mut findings = checker.check(&parsed.documents, &parsed.problems);
    findings.extend(checker.finish());
    assert!(
        findings.iter().all(|f| f.code != "I006"),
        "{:?}",
        findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    assert!(
        findings.iter().all(|f| !f.message.contains("万 万元")),
        "{findings:?}"
    );
}

/// The findings of the rules in `select` on `path` (relative to this crate), as `(code, line)`.
fn findings_on(
    path: &str,
    select: &str,
) -> Vec<(&'static str, u32, jixiao_rules::Severity, String)> {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read(&full)
        .unwrap_or_else(|_| panic!("{} is missing: CI must have ../shared", full.display()));
    let parsed = jixiao_parse::parse_bytes(path, &text, &Profile::builtin()).expect("parses");
    let settings = Settings::from_toml(&format!("select = [{select}]")).expect("valid");
    let mut checker = Checker::new(settings);
    let mut findings = checker.check(&parsed.documents, &parsed.problems);
    findings.extend(checker.finish());
    findings
        .into_iter()
        .map(|f| (f.code, f.span.line, f.severity, f.message))
        .collect()
}

/// Sample 03 (井研县马踏镇) is cut off after a few projects and its unit row leaves the amount
/// blank: A003 summed the blank as 0 against a 合计 of 8,827,620.53.
#[test]
fn sample_03_cut_table_with_blank_unit_amount_is_not_summed() {
    let findings = findings_on(
        "../../../shared/samples/03_leshan_jingyan_mata_2023.txt",
        "\"A003\"",
    );
    assert_eq!(findings, vec![]);
}

/// A self-evaluation (sample 21's layout) whose 评价结论 is the template's instruction: V009 reports
/// it at its line; the real 改进措施 and the `无` of 存在问题 are not reported.
#[test]
fn template_instruction_left_in_the_conclusion_is_found() {
    let findings = findings_on(
        "tests/fixtures/regression/self_evaluation_remarks.txt",
        "\"V009\"",
    );
    let found: Vec<(&str, u32)> = findings.iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(found, [("V009", 7)], "{findings:?}");
    assert!(
        findings[0].3.starts_with("评价结论“结合自评情况"),
        "{findings:?}"
    );
}

/// The 越秀 seed: `通过发放该补贴，保障自谋职业随军家属的基本生活` restates its name (V006), and
/// `乡村振兴是否取得明显进展：是` answers a question with no standard (V002).
#[test]
fn seed_restated_name_and_unmeasurable_yes_are_found() {
    let findings = findings_on(
        "../../examples/guangzhou-yuexiu-rsj.txt",
        "\"V002\", \"V006\"",
    );
    let found = |code: &str, words: &str| {
        findings
            .iter()
            .any(|(c, _, _, message)| *c == code && message.contains(words))
    };
    assert!(found("V006", "通过发放该补贴"), "{findings:?}");
    assert!(found("V002", "乡村振兴是否取得明显进展"), "{findings:?}");
}

/// Template text, misfiled categories and unit cost × quantity on real tables: sample 44 (衡阳南岳) left the
/// template's `(≥**%)` hints in eleven indicator names; sample 62 (衡山粮食) files
/// `县级储备粮应急保障率` under 时效指标. Points in category cells (`产出指标(40分)`, sample 64 and
/// variation 06a) are layout, not template text, and the clean seeds get neither code.
#[test]
fn template_text_and_misfiled_categories_on_real_tables() {
    let lines = |path: &str, code: &str| -> Vec<u32> {
        findings_on(path, &format!("\"{code}\""))
            .into_iter()
            .map(|(_, line, _, _)| line)
            .collect()
    };
    let sample = |file: &str| format!("../../../shared/samples/{file}");
    assert_eq!(
        lines(&sample("44_hengyang_nanyue_luyoufupin_2018.txt"), "V009"),
        vec![16, 19, 23, 24, 25, 26, 27, 28, 29, 30]
    );
    assert_eq!(
        lines(&sample("62_hengyang_hengshan_liangshi_2020.txt"), "I008"),
        vec![4]
    );
    // Sample 46 (清涧): a 补助标准 of ≤120万元 and 2 + 2 km of road, but 500万元.
    assert_eq!(
        lines(&sample("46_yulin_qingjian_jiaotong_2021.txt"), "C003"),
        vec![71]
    );
    for path in [
        sample("64_guyuan_yuanzhou_nongjizhongxin_2022.txt"),
        sample("77_huangshi_wenwuju_shenyi_jiankong_2019.txt"),
        "../../../shared/variations/06a_scores_paren.txt".to_owned(),
        "../../examples/guangzhou-huadu-rsj.txt".to_owned(),
        "../../examples/guangzhou-yuexiu-rsj.txt".to_owned(),
    ] {
        assert_eq!(
            findings_on(&path, "\"V009\", \"V010\", \"I008\", \"C003\", \"V011\""),
            vec![],
            "{path}"
        );
    }
}

/// The E findings of `../shared/<dir>/<file>`, as `(code, line)`.
fn self_evaluation_findings(dir: &str, file: &str) -> Vec<(&'static str, u32)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(dir)
        .join(file);
    let text = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("{} is missing: CI must have ../shared", path.display()));
    let parsed = jixiao_parse::parse_bytes(file, &text, &Profile::builtin()).expect("parses");
    let settings = Settings::from_toml("select = [\"E\"]").expect("valid");
    let mut checker = Checker::new(settings);
    let mut findings = checker.check(&parsed.documents, &parsed.problems);
    findings.extend(checker.finish());
    findings.iter().map(|f| (f.code, f.span.line)).collect()
}

/// Self-evaluations whose numbers hold get no E finding: the clean variations, and the samples
/// whose README notes no inconsistency or only ones the text cannot decide (docs/eval.md).
#[test]
fn self_evaluations_whose_numbers_hold_are_clean() {
    for (dir, file) in [
        ("variations", "09_self_eval_clean.txt"),
        ("variations", "09b_self_eval_empty_initial.txt"),
        ("variations", "17_self_eval_empty_initial.html"),
        ("samples", "21_suining_daying_sifaju_2023.txt"),
        ("samples", "55_nanchong_langzhong_jiaotong_2021.txt"),
        ("samples", "56_xiangyang_zhongxinyiyuan_2021.txt"),
        ("samples", "62_hengyang_hengshan_liangshi_2020.txt"),
        ("samples", "68_suining_daying_yibaoju_2023.txt"),
        ("samples", "71_hubei_changjiangjinbu_yuyebutie_2020.txt"),
        (
            "samples",
            "72_xiaogan_hubeigongchengxueyuan_xueshengzizhu.txt",
        ),
        ("samples", "73_suining_daying_tieluyanxian_2023.txt"),
        ("samples", "74_suining_daying_gongzixing_fragment.txt"),
        ("samples", "77_huangshi_wenwuju_shenyi_jiankong_2019.txt"),
        ("samples", "80_shaoguan_lechang_zhongzhizizhu_2018.txt"),
    ] {
        assert_eq!(self_evaluation_findings(dir, file), vec![], "{file}");
    }
}

/// Sample 33 (永德县明朗中学): 资金到位及时率 met at 100% but scored 7 of 10 (E006), two
/// deductions without a 偏差原因 (E009), and 实际完成情况 copied from 预期目标 (E010). Sample 64:
/// `8工5%工5%`, an actual that copies its target `≥5%` (E010).
#[test]
fn self_evaluation_samples_with_inconsistencies() {
    assert_eq!(
        self_evaluation_findings("samples", "33_lincang_yongde_minglangzhongxue_2022.txt"),
        vec![("E010", 15), ("E006", 17), ("E009", 17), ("E009", 22)]
    );
    assert_eq!(
        self_evaluation_findings("samples", "64_guyuan_yuanzhou_nongjizhongxin_2022.txt"),
        vec![("E010", 5)]
    );
}

/// G002's findings come one at a time from `try_finish_each` (the `check` command writes each
/// before the next is made), in the order of `try_finish`, the same whether its uses wait in
/// memory or in scratch files; each names every project of its group, in the order of their
/// goals, and the groups come in the order they were first seen. A failing consumer stops it.
#[test]
fn g002_findings_stream_in_order_of_first_use() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let sources: Vec<(String, Vec<u8>)> = (0..3)
        .flat_map(|copy| {
            ["guangzhou-huadu-rsj.txt", "guangzhou-yuexiu-rsj.txt"].map(|name| {
                let bytes = std::fs::read(examples.join(name)).expect("example");
                (format!("{copy}/{name}"), bytes)
            })
        })
        .collect();
    let settings = Settings::from_toml("select = [\"G002\"]").expect("valid");
    let checker = |scratch: bool| {
        let mut checker = Checker::new(settings.clone());
        if scratch {
            checker = checker
                .with_scratch(&|| Ok(jixiao_rules::scratch::in_memory()))
                .expect("in memory");
        }
        for (name, bytes) in &sources {
            let parsed =
                jixiao_parse::parse_bytes(name, bytes, &Profile::builtin()).expect("parses");
            checker.observe(&parsed.documents);
        }
        checker
    };
    let whole = checker(false).try_finish().expect("in memory");
    assert!(whole.len() > 10, "{} findings", whole.len());
    for scratch in [false, true] {
        let mut streamed = Vec::new();
        checker(scratch)
            .try_finish_each(|finding| {
                streamed.push(finding);
                Ok(())
            })
            .expect("in memory");
        assert!(streamed == whole, "scratch: {scratch}");
    }
    let file_order = |file: &str| sources.iter().position(|(name, _)| name == file);
    let mut last = None;
    for finding in &whole {
        let uses: Vec<&jixiao_model::Span> = std::iter::once(&finding.span)
            .chain(&finding.related)
            .collect();
        assert!(
            finding
                .message
                .starts_with(&format!("{} 个项目", uses.len()))
        );
        let places: Vec<_> = uses
            .iter()
            .map(|span| (file_order(&span.file), span.line))
            .collect();
        assert!(places.is_sorted(), "{places:?}");
        assert!(last < Some(places[0]), "{last:?} then {places:?}");
        last = Some(places[0]);
    }

    let mut handed = 0;
    let stopped = checker(true).try_finish_each(|_| {
        handed += 1;
        Err(std::io::Error::other("stop"))
    });
    assert!(stopped.is_err_and(|e| e.to_string() == "stop"));
    assert_eq!(handed, 1);
}
