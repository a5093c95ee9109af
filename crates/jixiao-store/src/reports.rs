//! What the built-in reports return. The rows are read from the relational tables, never from the
//! stored JSON, so they are what a SQL user of the corpus sees too.

use rust_decimal::Decimal;
use serde::Serialize;

/// Which part of the corpus a report covers.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Documents whose publisher contains this text.
    pub publisher: Option<String>,
    pub year: Option<i32>,
}

impl Filter {
    /// The `LIKE` pattern for the publisher, with `%`, `_` and `\` escaped.
    pub(crate) fn publisher_pattern(&self) -> Option<String> {
        self.publisher.as_deref().map(like_pattern)
    }

    pub(crate) fn year(&self) -> Option<i64> {
        self.year.map(i64::from)
    }
}

/// `%text%` with the `LIKE` wildcards in `text` escaped by `\`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// One stored document version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub key: String,
    pub version: i64,
    pub is_latest: bool,
    pub source_file: String,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub layout: String,
    pub content_hash: String,
    pub imported_at: String,
    /// The table's total in 万元; `None`: the table lists no amount (未列金额).
    pub total_wan: Option<Decimal>,
}

/// Documents of one publisher and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverviewRow {
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub documents: i64,
    pub units: i64,
    pub projects: i64,
    pub indicators: i64,
    pub findings: i64,
    /// The sum of the tables' totals in 万元 (each table's 合计, else its units' 总计, else its
    /// projects' amounts); `None` when no table of the group lists an amount.
    pub total_wan: Option<Decimal>,
    /// Tables that list no amount (未列金额): left out of `total_wan`, not counted as 0.
    pub without_amounts: i64,
}

/// A unit (`project` is `None`) or a project of a department. Amounts are in 万元 whatever unit
/// the table used (`amount_unit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentRow {
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub unit: String,
    pub project: Option<String>,
    /// The unit the table published its amounts in.
    pub amount_unit: Option<String>,
    pub total: Option<Decimal>,
    pub fiscal: Option<Decimal>,
    pub special_account: Option<Decimal>,
    pub other: Option<Decimal>,
    pub indicators: i64,
    pub findings: i64,
}

/// Findings of one code and severity, by review state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingCount {
    pub code: String,
    pub severity: String,
    pub total: i64,
    pub open: i64,
    pub accepted: i64,
    pub dismissed: i64,
}

/// Findings of one document, code and severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentFindingCount {
    pub document_id: i64,
    pub code: String,
    pub severity: String,
    pub count: i64,
}

/// The distinct codes and severities of one document's findings, each sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentFindingMarks {
    pub document_id: i64,
    pub codes: Vec<String>,
    pub severities: Vec<String>,
}

/// The corpus's change counters (see [`crate::Store::corpus_version`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CorpusVersion {
    /// Imports that changed what the corpus holds.
    pub generation: i64,
    /// The generation the corpus-wide findings were last computed for.
    pub findings_generation: i64,
    /// Review actions: findings reviewed, document statuses, project grades.
    pub review_generation: i64,
}

/// A reviewer's decision on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Open,
    Accepted,
    Dismissed,
}

impl ReviewState {
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "待处理",
            Self::Accepted => "已确认",
            Self::Dismissed => "已驳回",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Open, Self::Accepted, Self::Dismissed]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// One stored finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub id: i64,
    pub code: String,
    pub severity: String,
    pub message: String,
    pub help: String,
    pub project: Option<String>,
    pub indicator_seq: Option<i64>,
    pub line: i64,
    pub review_state: ReviewState,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_comment: Option<String>,
}

/// An indicator that matched a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub document_id: i64,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub unit: String,
    pub project: String,
    pub seq: i64,
    pub level1: Option<String>,
    pub name: String,
    pub annual_raw: Option<String>,
    pub annual_kind: Option<String>,
    pub line: i64,
}

/// A project in one document year; amounts in 万元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    pub project: String,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub version: i64,
    pub unit: String,
    /// The unit the table published its amounts in.
    pub amount_unit: Option<String>,
    pub total: Option<Decimal>,
    pub fiscal: Option<Decimal>,
    pub special_account: Option<Decimal>,
    pub other: Option<Decimal>,
    pub indicators: i64,
    pub findings: i64,
}

/// One indicator with its document, unit and project, for export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub document_id: i64,
    pub source_file: String,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub version: i64,
    pub layout: String,
    pub amount_unit: Option<String>,
    pub unit: String,
    pub project: String,
    pub project_total: Option<Decimal>,
    pub project_fiscal: Option<Decimal>,
    pub project_special_account: Option<Decimal>,
    pub project_other: Option<Decimal>,
    /// The project's amount in 万元 (总计, or a sheet's 资金总额, or a self-evaluation's 年度预算).
    pub project_total_wan: Option<Decimal>,
    pub seq: i64,
    pub level1: Option<String>,
    pub level1_code: Option<String>,
    pub level2: Option<String>,
    pub level2_code: Option<String>,
    pub level2_inferred: bool,
    pub name: String,
    pub annual_raw: Option<String>,
    pub annual_kind: Option<String>,
    pub annual_comparator: Option<String>,
    pub annual_number: Option<Decimal>,
    pub annual_unit: Option<String>,
    pub period_raw: Option<String>,
    pub line: i64,
}
