//! The review engine against a small generated corpus with planted mistakes: recall and precision
//! per rule stay at the levels reached when this test was written, clean projects stay clean, and
//! the generator and the evaluation are what they claim to be (deterministic, able to fail).

use std::path::Path;

use xtask::corpus::{self, OTHER_CODES, PROJECT_CODES};
use xtask::eval;
use xtask::flatten::Flattening;

const SEED: u64 = 1;
const DEPARTMENTS: usize = 80;

/// Minimum recall and precision per code on the fixed corpus: what `cargo xtask eval --seed 1
/// --departments 80` reached. Lower one only with a reason in the commit.
const FLOORS: &[(&str, f64, f64)] = &[
    ("A001", 1.0, 1.0),
    ("A002", 1.0, 1.0),
    ("A003", 1.0, 1.0),
    ("A004", 1.0, 1.0),
    ("I002", 1.0, 1.0),
    ("I003", 1.0, 1.0),
    ("I004", 1.0, 1.0),
    ("I005", 1.0, 1.0),
    ("I006", 1.0, 1.0),
    ("I007", 1.0, 1.0),
    ("V001", 1.0, 1.0),
    ("V002", 1.0, 1.0),
    ("V003", 1.0, 1.0),
    ("V004", 1.0, 1.0),
    ("V005", 1.0, 1.0),
    ("V006", 1.0, 1.0),
    ("V007", 1.0, 1.0),
    ("V008", 1.0, 1.0),
    ("G001", 1.0, 1.0),
    ("G002", 1.0, 1.0),
    ("G003", 1.0, 1.0),
    ("C001", 1.0, 1.0),
    ("C002", 1.0, 1.0),
    ("S003", 1.0, 1.0),
    // What real tables get wrong (issue 17, part 4), planted since 2026-12-06.
    ("V009", 1.0, 1.0),
    ("V010", 1.0, 1.0),
    ("V011", 1.0, 1.0),
    ("I008", 1.0, 1.0),
    ("C003", 1.0, 1.0),
];

/// Share of indicators read right per flattening of the corpus's projects (`cargo xtask eval
/// --seed 1 --departments 80`), at the level reached when this was written.
const READING_FLOORS: &[(Flattening, f64)] = &[
    (Flattening::Tabs, 0.99),
    (Flattening::RaggedPipes, 0.99),
    (Flattening::OneCellPerLine, 0.99),
    (Flattening::TrailingPipes, 0.99),
    (Flattening::Spaces, 0.99),
    (Flattening::RunTogether, 0.99),
    (Flattening::Traditional, 0.99),
    (Flattening::PointsInCategories, 0.99),
    (Flattening::CutAboveHeader, 0.98),
];

#[test]
fn reading_of_every_flattening_holds() {
    let (_, reading) = eval::run(SEED, DEPARTMENTS).expect("eval runs");
    let table = xtask::flatten::table(&reading);
    for (how, floor) in READING_FLOORS {
        let (_, score) = reading.iter().find(|(h, _)| h == how).expect("measured");
        assert_eq!(score.tables, 60, "{table}");
        let share = score.right as f64 / score.written as f64;
        assert!(
            share >= *floor,
            "{}: {share:.3} (floor {floor})\n{table}",
            how.label()
        );
    }
}

#[test]
fn recall_and_precision_per_rule_hold() {
    let (report, _) = eval::run(SEED, DEPARTMENTS).expect("eval runs");
    let table = report.table();
    for (code, _) in PROJECT_CODES.iter().chain(OTHER_CODES) {
        let score = report.scores[code];
        assert!(
            score.expected >= 3,
            "{code} has only {} planted places; the corpus is too small to measure it\n{table}",
            score.expected
        );
    }
    for (code, recall, precision) in FLOORS {
        let score = report.scores[code];
        let got_recall = score.recall().unwrap_or(0.0);
        let got_precision = score.precision().unwrap_or(0.0);
        assert!(
            got_recall >= *recall && got_precision >= *precision,
            "{code}: recall {got_recall:.3} (floor {recall}), precision {got_precision:.3} (floor {precision})\n{table}\nmissed: {:?}\nspurious: {:?}",
            report
                .misses
                .iter()
                .filter(|m| m.2 == *code)
                .take(5)
                .collect::<Vec<_>>(),
            report
                .false_positives
                .iter()
                .filter(|f| f.2 == *code)
                .take(5)
                .collect::<Vec<_>>(),
        );
    }
    // The codes planted for what real tables get wrong: each at 0.95 or more, as issue 17 asks.
    for code in ["V009", "V010", "V011", "I008", "C003"] {
        let score = report.scores[code];
        assert!(
            score.recall().unwrap_or(0.0) >= 0.95 && score.precision().unwrap_or(0.0) >= 0.95,
            "{code} below 0.95: {score:?}\n{table}"
        );
    }
    for family in ['A', 'I', 'C'] {
        let score = report.family(family);
        assert!(
            score.recall().unwrap_or(0.0) >= 0.95 && score.precision().unwrap_or(0.0) >= 0.95,
            "family {family} below 0.95\n{table}"
        );
    }
    assert!(
        report.strays.is_empty(),
        "findings in clean projects: {:?}",
        report.strays.iter().take(5).collect::<Vec<_>>()
    );
    assert!(report.projects_clean > 0, "the corpus has clean projects");
}

/// Generated self-evaluations, each clean or with one planted inconsistency: every E code is
/// found at recall and precision 0.95 or more, and no clean self-evaluation gets any finding.
#[test]
fn self_evaluation_rules_find_what_was_planted() {
    let (report, _) = eval::run_with(SEED, 5, 300).expect("eval runs");
    let table = report.table();
    for code in corpus::SELF_EVALUATION_CODES {
        let score = report.scores.get(code).copied().unwrap_or_default();
        assert!(score.expected > 0, "{code} was never planted\n{table}");
        assert!(
            score.recall().unwrap_or(0.0) >= 0.95 && score.precision().unwrap_or(0.0) >= 0.95,
            "{code} below 0.95: {score:?}\n{table}"
        );
    }
    // Template text left in a closing remark (评价结论, 存在问题, 改进措施) is found there.
    let in_remarks = report
        .self_evaluation_scores
        .get("V009")
        .copied()
        .unwrap_or_default();
    assert!(
        in_remarks.expected > 0,
        "V009 never planted in a remark\n{table}"
    );
    assert!(
        in_remarks.recall().unwrap_or(0.0) >= 0.95 && in_remarks.precision().unwrap_or(0.0) >= 0.95,
        "V009 in self-evaluations: {in_remarks:?}"
    );
    assert!(report.clean_self_evaluations > 0, "some are clean");
    assert_eq!(
        report.stray_self_evaluations(),
        0,
        "clean self-evaluations with findings: {:?}",
        report.strays.iter().take(5).collect::<Vec<_>>()
    );
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = xtask::bench::corpus_files(dir).expect("listing");
    files.push(dir.join("manifest.json"));
    files
        .into_iter()
        .map(|f| {
            let name = f.strip_prefix(dir).unwrap_or(&f).display().to_string();
            (name, std::fs::read(&f).expect("reading"))
        })
        .collect()
}

#[test]
fn a_seed_gives_the_same_corpus_and_another_seed_another() {
    let dirs: Vec<tempfile::TempDir> = (0..3)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let mut republished = Vec::new();
    for (dir, seed) in dirs.iter().zip([7, 7, 8]) {
        let mut options = corpus::Options::new(12, seed, dir.path().to_owned());
        options.per_file = 3;
        options.republish = 0.2;
        republished.push(corpus::generate(&options).expect("generates").republished);
    }
    let [a, b, c] = [0, 1, 2].map(|i| read_all(dirs[i].path()));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(
        a.len(),
        4 + republished[0] + 1,
        "12 departments, 3 per file, a file per corrected republication, and the manifest"
    );
}

#[test]
fn eval_notices_a_manifest_that_points_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = corpus::Options::new(20, SEED, dir.path().to_owned());
    corpus::generate(&options).expect("generates");
    let honest = eval::evaluate(dir.path()).expect("eval runs");
    assert_eq!(honest.family('A').recall(), Some(1.0));

    // Point every planted mistake one line further down: nothing should match any more.
    let path = dir.path().join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("json");
    for planted in manifest["planted"].as_array_mut().expect("planted") {
        let line = planted["line"].as_u64().expect("line");
        planted["line"] = (line + 1).into();
    }
    std::fs::write(&path, manifest.to_string()).expect("writing");
    let shifted = eval::evaluate(dir.path()).expect("eval runs");
    let all = |r: &eval::Report| {
        let mut total = eval::Score::default();
        for letter in ['A', 'S', 'I', 'V', 'G', 'C'] {
            let s = r.family(letter);
            total.expected += s.expected;
            total.hits += s.hits;
            total.false_positives += s.false_positives;
        }
        total
    };
    let (before, after) = (all(&honest), all(&shifted));
    assert!(before.hits > 50);
    assert!(
        after.hits * 10 < before.hits,
        "shifted manifest still matched {} of {}",
        after.hits,
        before.hits
    );
    assert!(after.false_positives > before.false_positives);
}
