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
fixture_test!(a002_unit_total_mismatch, "A002", [5]);
fixture_test!(a003_grand_total_mismatch, "A003", [5]);
fixture_test!(a004_non_positive_amount, "A004", [7, 8]);
