//! Running the rules over documents and collecting findings and a summary.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jixiao_model::{Document, Problem, ProblemKind, Profile, Project};
use rustc_hash::FxBuildHasher;
use serde::Serialize;

use crate::grade::Grade;
use crate::rules::index::{GoalKeys, Projects};
use crate::rules::util::{WordSet, WordSets};
use crate::rules::{CorpusState, Rule, Texts, all_rules};
use crate::scratch::ScratchFactory;
use crate::{Finding, Settings, Severity};

/// What a rule sees besides the document.
#[derive(Debug)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    words: &'a WordSets,
}

impl Context<'_> {
    pub fn profile(&self) -> &Profile {
        &self.settings.profile
    }

    /// The compiled word-list option `key` of rule `code`, or `default`.
    pub(crate) fn word_set(
        &self,
        code: &'static str,
        key: &'static str,
        default: &[&str],
    ) -> Arc<WordSet> {
        self.words.get(self.settings, code, key, default)
    }

    /// The word-list option `key` of rule `code`, or `default`, for comparing whole words.
    pub(crate) fn words(
        &self,
        code: &'static str,
        key: &'static str,
        default: &[&str],
    ) -> Arc<[String]> {
        self.words.list(self.settings, code, key, default)
    }

    /// `judge()`, rule `code`'s answer about the indicator name `name`, kept for the checker's
    /// later runs ([`WordSets::name_answer`]).
    pub(crate) fn name_answer(
        &self,
        code: &'static str,
        name: &str,
        judge: impl FnOnce() -> u32,
    ) -> u32 {
        self.words.name_answer(code, name, judge)
    }

    /// The word-list options `keys` of rule `code`, or `defaults`, compiled into one set
    /// ([`WordSet::joined`]).
    pub(crate) fn joined_word_set(
        &self,
        code: &'static str,
        keys: &'static [&'static str],
        defaults: &[&[&str]],
    ) -> Arc<WordSet> {
        self.words.get_joined(self.settings, code, keys, defaults)
    }
}

/// How many projects the rules look at in turn before moving on: few enough that their part of
/// the model stays in the CPU cache while every rule reads it (a project with its indicators is
/// a few KB), enough that a rule's setup per run costs nothing.
const RUN_PROJECTS: usize = 64;

/// What the corpus-wide rules need of some documents ([`Checker::notes`]): bytes for each
/// corpus-wide rule, so a worker can drop the documents it checked.
#[derive(Debug, Default, Clone)]
pub struct CorpusNotes(Vec<Vec<u8>>);

/// Runs the enabled rules; feed it documents, then call [`Checker::finish`].
pub struct Checker {
    settings: Settings,
    rules: Vec<&'static dyn Rule>,
    corpus: Vec<Box<dyn CorpusState>>,
    words: WordSets,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field(
                "rules",
                &self.rules.iter().map(|r| r.code()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Checker {
    pub fn new(settings: Settings) -> Self {
        let rules: Vec<&'static dyn Rule> = all_rules()
            .into_iter()
            .filter(|r| settings.severity(r.code()).is_some())
            .collect();
        let corpus = rules.iter().filter_map(|r| r.corpus_state()).collect();
        Self {
            settings,
            rules,
            corpus,
            words: WordSets::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Findings of one source's documents and parse problems. Corpus-wide rules only remember what
    /// they need; they report in [`Checker::finish`].
    pub fn check(&mut self, documents: &[Document], problems: &[Problem]) -> Vec<Finding> {
        let (mut findings, notes) = self.check_with_notes(documents, problems);
        self.observe_notes(&notes);
        findings.sort_by(|a, b| {
            (&a.span.file, a.span.line, a.span.start).cmp(&(
                &b.span.file,
                b.span.line,
                b.span.start,
            ))
        });
        findings
    }

    /// The per-document part of [`Checker::check`]; takes `&self` so threads can share it.
    pub fn check_documents(&self, documents: &[Document], problems: &[Problem]) -> Vec<Finding> {
        self.check_and_note(documents, problems, None)
    }

    /// [`Checker::check_documents`] and [`Checker::notes`] of the same documents at once, which
    /// derive what both need of a document (its goals' match keys) once.
    pub fn check_with_notes(
        &self,
        documents: &[Document],
        problems: &[Problem],
    ) -> (Vec<Finding>, CorpusNotes) {
        let mut notes = CorpusNotes(self.corpus.iter().map(|_| Vec::new()).collect());
        let findings = self.check_and_note(documents, problems, Some(&mut notes));
        (findings, notes)
    }

    fn check_and_note(
        &self,
        documents: &[Document],
        problems: &[Problem],
        mut notes: Option<&mut CorpusNotes>,
    ) -> Vec<Finding> {
        let cx = Context {
            settings: &self.settings,
            words: &self.words,
        };
        let mut findings: Vec<Finding> = problems.iter().filter_map(problem_finding).collect();
        // Each rule's findings of a document are kept apart and appended rule after rule, so they
        // come in the same order as when each rule walked the whole document in turn.
        let mut by_rule: Vec<Vec<Finding>> = self.rules.iter().map(|_| Vec::new()).collect();
        let reads_texts = self.rules.iter().any(|rule| rule.reads_texts());
        let notes_goals = notes.is_some() && !self.corpus.is_empty();
        let reads_goal_keys = notes_goals || self.rules.iter().any(|rule| rule.reads_goal_keys());
        let mut texts = Texts::default();
        for document in documents {
            // The texts are walked once for every rule that reads them, before any rule's
            // document check: a rule's findings of its texts come before its others.
            if reads_texts {
                texts.fill(document);
                for (rule, out) in self.rules.iter().zip(&mut by_rule) {
                    if rule.reads_texts() {
                        rule.check_texts(&texts, &cx, out);
                    }
                }
            }
            for (rule, out) in self.rules.iter().zip(&mut by_rule) {
                rule.check_document(document, &cx, out);
            }
            let goals = if reads_goal_keys {
                GoalKeys::new(document, notes_goals)
            } else {
                GoalKeys::default()
            };
            let mut rest = document.projects();
            let mut run = Projects::new(document, goals, RUN_PROJECTS);
            while run.fill(&mut rest, RUN_PROJECTS) {
                for (rule, out) in self.rules.iter().zip(&mut by_rule) {
                    rule.check_projects(&run, &cx, out);
                }
            }
            if let Some(notes) = notes.as_deref_mut() {
                let goals = run.into_goal_keys();
                for (state, notes) in self.corpus.iter().zip(&mut notes.0) {
                    state.note(document, Some(&goals), &cx, notes);
                }
            }
            // One allocation of the right size: growing a vector of some 100,000 findings by
            // doubling copies it repeatedly into fresh pages.
            findings.reserve(by_rule.iter().map(Vec::len).sum());
            for out in &mut by_rule {
                findings.append(out);
            }
        }
        self.apply_settings(&mut findings);
        findings
    }

    /// Feeds documents to the corpus-wide rules.
    pub fn observe(&mut self, documents: &[Document]) {
        let notes = self.notes(documents);
        self.observe_notes(&notes);
    }

    /// What the corpus-wide rules need of `documents`, made on any thread (a worker that checked
    /// them) for [`Checker::observe_notes`] of a checker with the same settings.
    pub fn notes(&self, documents: &[Document]) -> CorpusNotes {
        let cx = Context {
            settings: &self.settings,
            words: &self.words,
        };
        CorpusNotes(
            self.corpus
                .iter()
                .map(|state| {
                    let mut notes = Vec::new();
                    for document in documents {
                        state.note(document, None, &cx, &mut notes);
                    }
                    notes
                })
                .collect(),
        )
    }

    /// Feeds the corpus-wide rules documents' [`Checker::notes`], in the documents' order.
    pub fn observe_notes(&mut self, notes: &CorpusNotes) {
        for (state, notes) in self.corpus.iter_mut().zip(&notes.0) {
            state.observe_notes(notes);
        }
    }

    /// Keeps what the corpus-wide rules accumulate (one record per project goal for G002) in
    /// scratch storage from `make`, such as temporary files, instead of memory. Call it before the
    /// first [`Checker::observe`], and finish with [`Checker::try_finish`].
    pub fn with_scratch(mut self, make: &ScratchFactory) -> std::io::Result<Self> {
        for state in &mut self.corpus {
            state.use_scratch(make)?;
        }
        Ok(self)
    }

    /// Findings of the corpus-wide rules.
    pub fn finish(self) -> Vec<Finding> {
        // Without `with_scratch` the corpus state is in memory, where reading it back cannot fail.
        self.try_finish().unwrap_or_default()
    }

    /// Findings of the corpus-wide rules; fails when the scratch storage cannot be read back.
    pub fn try_finish(self) -> std::io::Result<Vec<Finding>> {
        let mut findings = Vec::new();
        self.try_finish_each(|finding| {
            findings.push(finding);
            Ok(())
        })?;
        Ok(findings)
    }

    /// Findings of the corpus-wide rules, handed to `each` one at a time as they are made (in the
    /// order of [`Checker::try_finish`]), so a caller that writes them out never holds them all.
    /// Fails when the scratch storage cannot be read back, or with the first error of `each`,
    /// after which it stops.
    pub fn try_finish_each(
        mut self,
        mut each: impl FnMut(Finding) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let corpus = std::mem::take(&mut self.corpus);
        let cx = Context {
            settings: &self.settings,
            words: &self.words,
        };
        let mut out = |mut finding: Finding| {
            if self.settle(&mut finding) {
                each(finding)
            } else {
                Ok(())
            }
        };
        for state in corpus {
            state.finish(&cx, &mut out)?;
        }
        Ok(())
    }

    fn apply_settings(&self, findings: &mut Vec<Finding>) {
        // Findings come rule after rule: the last code's severity answers nearly every lookup,
        // where looking each finding's code up in the settings compared it with several others.
        let mut last: Option<(&'static str, Option<Severity>)> = None;
        findings.retain_mut(|f| {
            let severity = match last {
                Some((code, severity)) if same_code(code, f.code) => severity,
                _ => {
                    let severity = self.settings.severity(f.code);
                    last = Some((f.code, severity));
                    severity
                }
            };
            settle_as(f, severity)
        });
    }

    /// Sets a finding's severity from the settings; `false` when its code is not selected.
    fn settle(&self, finding: &mut Finding) -> bool {
        settle_as(finding, self.settings.severity(finding.code))
    }
}

/// True when two findings' codes are the same, told by where they are first: a rule's findings
/// all have its code constant.
fn same_code(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Sets a finding's severity to `severity` as selected in the settings, capped by the finding's
/// own cap; `false` when its code is not selected (`None`).
fn settle_as(finding: &mut Finding, severity: Option<Severity>) -> bool {
    match severity {
        Some(severity) => {
            finding.severity = finding
                .severity_cap
                .map_or(severity, |cap| cap.min(severity));
            true
        }
        None => false,
    }
}

/// The finding a parse problem surfaces as; notes about repairs (a joined row) are S003.
pub fn problem_finding(problem: &Problem) -> Option<Finding> {
    let (code, help) = match problem.kind {
        ProblemKind::UnreadableRow
        | ProblemKind::UnreadableAmount
        | ProblemKind::TruncatedRow
        | ProblemKind::NoTable
        | ProblemKind::ProjectWithoutUnit => {
            ("S001", "按发布版式补全或改正这一行，使每列内容各归其位。")
        }
        ProblemKind::UnreadableIndicators | ProblemKind::SequenceGap => (
            "S002",
            "每个指标以“序号、”开头，写明一级指标、指标名称和“年度指标值：”。",
        ),
        ProblemKind::UnreadableValue => (
            "V001",
            "填写可衡量的指标值，如“≥95%”“不少于1次”“11月30日前完成”。",
        ),
        ProblemKind::JoinedRow => ("S003", "核对合并后的内容；导出表格时避免分页截断单元格。"),
        ProblemKind::CutTable => (
            "S003",
            "这份副本只有表格的一部分；审核缺少的类别、目标和金额前，请找到完整的表格。",
        ),
        // Points in a category cell (`产出指标(50分)`) are a layout, not a leftover: only a
        // hint that asks to be filled in is reported.
        ProblemKind::TemplateHint
            if ["必填", "选填", "**", "＊＊"]
                .iter()
                .any(|w| problem.message.contains(w)) =>
        {
            ("V009", "删去模板提示，按本项目的实际内容填写。")
        }
        ProblemKind::Encoding | ProblemKind::TemplateHint => return None,
    };
    Some(Finding::new(
        code,
        problem.span.clone(),
        problem.message.clone(),
        help,
    ))
}

/// The lines a project's row covers (more than one when a page break split it).
fn project_lines(project: &Project) -> std::ops::RangeInclusive<u32> {
    let last = project
        .indicators
        .iter()
        .map(|i| i.span.line)
        .chain(project.goal.iter().map(|g| g.span.line))
        .chain(project.indicator_cell.iter().map(|c| c.span.line))
        .fold(project.span.line, u32::max);
    project.span.line..=last
}

/// The sheet a span points into, for formats with sheets.
fn sheet(span: &jixiao_model::Span) -> Option<&str> {
    span.cell.as_deref().and_then(|c| c.sheet.as_deref())
}

/// Counts and grades over a set of findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub projects: usize,
    pub indicators: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<String, usize>,
    pub by_code: BTreeMap<String, usize>,
    /// Suggested grade per project, `unit / project` → grade.
    pub grades: Vec<ProjectGrade>,
    pub grade_counts: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectGrade {
    pub file: String,
    pub unit: String,
    pub project: String,
    pub line: u32,
    pub points: f64,
    pub grade: Grade,
}

/// Findings with their summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Summary {
    /// Adds a source's documents and the findings that concern them.
    pub fn add_documents(
        &mut self,
        documents: &[Document],
        findings: &[Finding],
        settings: &Settings,
    ) {
        let grades = self.grade_documents(documents, findings, settings);
        self.grades.extend(grades);
    }

    /// Like [`Summary::add_documents`], but hands back the projects' grades instead of keeping
    /// them, for a caller that streams them out (a corpus has a million projects).
    pub fn grade_documents(
        &mut self,
        documents: &[Document],
        findings: &[Finding],
        settings: &Settings,
    ) -> Vec<ProjectGrade> {
        self.documents += documents.len();
        // Keyed by where the finding points, not by names: names repeat (the same project in
        // several units, or a file repeated), and a name key made this quadratic.
        // The sheet is part of the place: a workbook's project sheets are documents of one file
        // that all number their rows from 1.
        // The file is compared on lookup rather than hashed: a file's findings nearly all name
        // that file, and hashing its name for every line of every project was most of the cost.
        // Hashed with Fx: SipHash of the keys was a third of the cost of grading a large list.
        let mut by_line: HashMap<(Option<&str>, u32), Vec<&Finding>, FxBuildHasher> =
            HashMap::default();
        for finding in findings {
            if finding.project.is_some() {
                by_line
                    .entry((sheet(&finding.span), finding.span.line))
                    .or_default()
                    .push(finding);
            }
        }
        let mut grades = Vec::new();
        for document in documents {
            for unit in &document.units {
                for project in &unit.projects {
                    self.projects += 1;
                    self.indicators += project.indicators.len();
                    let project_sheet = sheet(&project.span);
                    let own: Vec<&Finding> = project_lines(project)
                        .filter_map(|line| by_line.get(&(project_sheet, line)))
                        .flatten()
                        .filter(|f| *f.span.file == *document.source)
                        .copied()
                        .collect();
                    let grade = settings.grades.grade(own.iter().copied());
                    match self.grade_counts.get_mut(grade.label()) {
                        Some(n) => *n += 1,
                        None => {
                            self.grade_counts.insert(grade.label().to_owned(), 1);
                        }
                    }
                    grades.push(ProjectGrade {
                        file: document.source.clone(),
                        // Copied as they are: `to_string` went through the formatter.
                        unit: unit.name.text.as_str().to_owned(),
                        project: project.name.text.as_str().to_owned(),
                        line: project.span.line,
                        points: settings.grades.points(own.iter().copied()),
                        grade,
                    });
                }
            }
        }
        grades
    }

    /// Adds the counts of `part`, a summary of other documents and findings (made on another
    /// thread); its grades are added after these.
    pub fn absorb(&mut self, part: Summary) {
        let merge = |counts: &mut BTreeMap<String, usize>, part: BTreeMap<String, usize>| {
            for (key, n) in part {
                *counts.entry(key).or_default() += n;
            }
        };
        self.files += part.files;
        self.documents += part.documents;
        self.projects += part.projects;
        self.indicators += part.indicators;
        self.findings += part.findings;
        merge(&mut self.by_severity, part.by_severity);
        merge(&mut self.by_code, part.by_code);
        self.grades.extend(part.grades);
        merge(&mut self.grade_counts, part.grade_counts);
    }

    pub fn add_findings(&mut self, findings: &[Finding]) {
        self.findings += findings.len();
        // Counted under borrowed keys, a key allocated once per code: a corpus has hundreds of
        // thousands of findings and a few dozen codes.
        let count =
            |counts: &mut BTreeMap<String, usize>, key: &str, n: usize| match counts.get_mut(key) {
                Some(count) => *count += n,
                None => {
                    counts.insert(key.to_owned(), n);
                }
            };
        // A run of findings of one code and severity (a rule's, as they come) is counted at once.
        let mut rest = findings;
        while let Some(first) = rest.first() {
            let run = rest
                .iter()
                .take_while(|f| same_code(f.code, first.code) && f.severity == first.severity)
                .count();
            count(&mut self.by_severity, first.severity.as_str(), run);
            count(&mut self.by_code, first.code, run);
            rest = &rest[run..];
        }
    }
}
