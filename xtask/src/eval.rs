//! `cargo xtask eval`: runs the review engine over a generated corpus and scores each rule
//! against the manifest of planted mistakes.
//!
//! A finding and a planted mistake match when they have the same file, line and code. Several
//! findings of one code on one line count once, as do several expectations. Every finding that
//! matches nothing is a false positive of its code, including findings of other codes in a
//! project with a planted mistake.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::Context as _;
use jixiao_rules::{Checker, Finding, Settings};

use crate::corpus::{self, Manifest};

/// Counts for one rule code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Places where the manifest expects the code.
    pub expected: usize,
    /// Expected places the code was reported at.
    pub hits: usize,
    /// Places the code was reported at that the manifest does not expect.
    pub false_positives: usize,
}

impl Score {
    /// `None` when nothing was expected.
    pub fn recall(&self) -> Option<f64> {
        (self.expected > 0).then(|| self.hits as f64 / self.expected as f64)
    }

    /// `None` when nothing was reported.
    pub fn precision(&self) -> Option<f64> {
        let reported = self.hits + self.false_positives;
        (reported > 0).then(|| self.hits as f64 / reported as f64)
    }

    fn add(&mut self, other: &Self) {
        self.expected += other.expected;
        self.hits += other.hits;
        self.false_positives += other.false_positives;
    }
}

/// A finding in a project the manifest lists as clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    pub file: String,
    pub line: u32,
    pub code: &'static str,
    pub project: String,
    pub message: String,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: usize,
    /// Clean self-evaluations among the clean projects.
    pub clean_self_evaluations: usize,
    pub bytes: u64,
    pub projects_clean: usize,
    pub findings: usize,
    /// Per code, every code of the codes table.
    pub scores: BTreeMap<&'static str, Score>,
    /// Per code, the part of `scores` in self-evaluations (codes planted there only).
    pub self_evaluation_scores: BTreeMap<&'static str, Score>,
    /// Findings in clean projects.
    pub strays: Vec<Stray>,
    /// Expected places no finding matched: (file, line, code, cause).
    pub misses: Vec<(String, u32, String, String)>,
    /// Findings that matched nothing: (file, line, code, message).
    pub false_positives: Vec<(String, u32, &'static str, String)>,
}

impl Report {
    /// How many clean self-evaluations got a finding (of any rule).
    pub fn stray_self_evaluations(&self) -> usize {
        self.strays
            .iter()
            .filter(|s| corpus::is_self_evaluation_file(&s.file))
            .map(|s| (&s.file, &s.project))
            .collect::<HashSet<_>>()
            .len()
    }

    /// The summed score of a family (first letter of the code).
    pub fn family(&self, letter: char) -> Score {
        let mut total = Score::default();
        for (code, score) in &self.scores {
            if code.starts_with(letter) {
                total.add(score);
            }
        }
        total
    }

    /// A Markdown table of recall and precision per rule, then per family.
    pub fn table(&self) -> String {
        let pct = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{:.3}", v));
        let mut out = String::from(
            "| 代码 | 名称 | 预期 | 命中 | 漏报 | 误报 | 召回率 | 精确率 |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
        );
        for info in jixiao_rules::CODES {
            let score = self.scores.get(info.code).copied().unwrap_or_default();
            if score.expected == 0 && score.false_positives == 0 {
                continue;
            }
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                info.code,
                info.name,
                score.expected,
                score.hits,
                score.expected - score.hits,
                score.false_positives,
                pct(score.recall()),
                pct(score.precision())
            ));
        }
        // Every family of the codes table, in its order, so a new family needs no change here.
        let mut families: Vec<(char, &str)> = Vec::new();
        for info in jixiao_rules::CODES {
            let letter = info.code.chars().next().unwrap_or('?');
            if !families.iter().any(|&(l, _)| l == letter) {
                families.push((letter, info.family.label()));
            }
        }
        for (letter, label) in families {
            let score = self.family(letter);
            // Like the rows above: a family nothing was planted for and nothing fired of.
            if score.expected == 0 && score.false_positives == 0 {
                continue;
            }
            out.push_str(&format!(
                "| {letter} | {label}（合计） | {} | {} | {} | {} | {} | {} |\n",
                score.expected,
                score.hits,
                score.expected - score.hits,
                score.false_positives,
                pct(score.recall()),
                pct(score.precision())
            ));
        }
        out
    }
}

/// Generates a corpus into a temporary directory and evaluates it: the rules, and the reading of
/// its projects written in every flattening.
pub fn run(
    seed: u64,
    departments: usize,
) -> anyhow::Result<(
    Report,
    Vec<(crate::flatten::Flattening, crate::flatten::FlatteningScore)>,
)> {
    run_with(seed, departments, 0)
}

/// [`run`] on a corpus that also holds `self_evaluations` self-evaluations (E rules).
pub fn run_with(
    seed: u64,
    departments: usize,
    self_evaluations: usize,
) -> anyhow::Result<(
    Report,
    Vec<(crate::flatten::Flattening, crate::flatten::FlatteningScore)>,
)> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let mut options = corpus::Options::new(departments, seed, dir.path().to_owned());
    options.self_evaluations = self_evaluations;
    corpus::generate(&options)?;
    Ok((
        evaluate(dir.path())?,
        crate::flatten::evaluate(dir.path(), 60)?,
    ))
}

/// Checks every file of a generated corpus (one at a time, as `jixiao check` would) and scores
/// the findings against its manifest.
pub fn evaluate(dir: &Path) -> anyhow::Result<Report> {
    let manifest = Manifest::read(dir)?;
    let mut checker = Checker::new(Settings::default());
    let mut report = Report {
        files: manifest.files.len(),
        projects_clean: manifest.clean.len(),
        clean_self_evaluations: manifest
            .clean
            .iter()
            .filter(|c| corpus::is_self_evaluation_file(&c.file))
            .count(),
        ..Report::default()
    };
    let clean: HashSet<(&str, &str, &str)> = manifest
        .clean
        .iter()
        .map(|c| (c.file.as_str(), c.unit.as_str(), c.project.as_str()))
        .collect();
    let mut found: HashSet<(String, u32, &'static str)> = HashSet::new();
    let mut consider = |finding: Finding, report: &mut Report| {
        report.findings += 1;
        let file = finding.span.file.to_string();
        if let (Some(unit), Some(project)) = (&finding.unit, &finding.project)
            && clean.contains(&(file.as_str(), unit.as_str(), project.as_str()))
        {
            report.strays.push(Stray {
                file: file.clone(),
                line: finding.span.line,
                code: finding.code,
                project: project.clone(),
                message: finding.message.clone(),
            });
        }
        let key = (file, finding.span.line, finding.code);
        if !found.contains(&key) {
            report
                .false_positives
                .push((key.0.clone(), key.1, key.2, finding.message));
            found.insert(key);
        }
    };
    for file in &manifest.files {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        report.bytes += bytes.len() as u64;
        let parsed = jixiao_parse::parse_bytes(file, &bytes, &checker.settings().profile)
            .with_context(|| format!("parsing {file}"))?;
        for finding in checker.check(&parsed.documents, &parsed.problems) {
            consider(finding, &mut report);
        }
    }
    for finding in checker.finish() {
        consider(finding, &mut report);
    }
    for info in jixiao_rules::CODES {
        report.scores.insert(info.code, Score::default());
    }
    let mut expected: HashSet<(&str, u32, &str)> = HashSet::new();
    for planted in &manifest.planted {
        if !expected.insert((planted.file.as_str(), planted.line, planted.code.as_str())) {
            continue;
        }
        let Some(code) = jixiao_rules::CODES
            .iter()
            .find(|c| c.code == planted.code)
            .map(|c| c.code)
        else {
            continue;
        };
        let hit = found.contains(&(planted.file.clone(), planted.line, code));
        if corpus::is_self_evaluation_file(&planted.file) {
            let score = report.self_evaluation_scores.entry(code).or_default();
            score.expected += 1;
            score.hits += usize::from(hit);
        }
        let score = report.scores.entry(code).or_default();
        score.expected += 1;
        if hit {
            score.hits += 1;
        } else {
            report.misses.push((
                planted.file.clone(),
                planted.line,
                planted.code.clone(),
                planted.cause.clone(),
            ));
        }
    }
    report
        .false_positives
        .retain(|(file, line, code, _)| !expected.contains(&(file.as_str(), *line, *code)));
    for (file, _, code, _) in &report.false_positives {
        report.scores.entry(code).or_default().false_positives += 1;
        if corpus::is_self_evaluation_file(file) {
            report
                .self_evaluation_scores
                .entry(code)
                .or_default()
                .false_positives += 1;
        }
    }
    Ok(report)
}
