//! The jixiao corpus: documents with their units, projects, indicators, spans and findings, with
//! versions, in an embedded SQLite file or in PostgreSQL.
//!
//! The rest of the code talks to [`Store`] and does not know which database is behind it; both
//! backends run the same test suite. A document goes in whole or not at all: one transaction, or
//! several whole documents in one transaction ([`Store::import_batch`]). [`prepare`] does the CPU work (hashing, JSON, findings mapped to rows) off the database
//! thread so an importer can run it on every core.

pub mod amounts;
mod compact;
mod error;
mod identity;
mod infer;
mod postgres;
mod prepare;
mod reports;
mod review;
pub mod scores;
mod sql;
mod sqlite;

use async_trait::async_trait;
use jixiao_model::Document;
use serde::Serialize;

pub use error::StoreError;
pub use identity::{KEY_SCHEME, document_key};
pub use infer::{infer_publisher, infer_year};
pub use postgres::PostgresStore;
pub use prepare::{DocumentMeta, Overrides, PreparedDocument, content_hash, prepare, prepare_file};
pub use reports::{
    CorpusVersion, DepartmentRow, DocumentFindingCount, DocumentFindingMarks, DocumentInfo,
    ExportRow, Filter, FindingCount, FindingRow, HistoryRow, OverviewRow, ReviewState, SearchHit,
};
pub use review::{
    AuditEntry, CategoryCount, DocumentStatus, DocumentStatusRow, FindingPlace, NewAudit,
    ProjectFinding, ProjectGradeRow, ProjectRef, ReviewStore, Role, User,
};
pub use scores::{PreparedScore, ScoreSummaryRow, ScoredProject};
pub use sql::temporary_file as scratch_file;
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What importing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A document not seen before: version 1.
    Imported { id: i64 },
    /// Changed content for a document already stored: a new version; the old ones are kept.
    NewVersion { id: i64, version: i64 },
    /// The same content is already stored: nothing was written.
    Unchanged { id: i64, version: i64 },
    /// The same content is already stored, and the year or publisher given for it now differ
    /// from the stored ones: every version of the document took them.
    Updated { id: i64, version: i64 },
}

/// What [`Store::verify`] found wrong; empty when the corpus is consistent.
pub type IntegrityProblems = Vec<String>;

/// A sink for exported rows; an error stops the export.
pub type RowSink<'a> = dyn FnMut(&ExportRow) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>
    + Send
    + 'a;

/// The corpus, whichever database holds it.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    fn backend(&self) -> Backend;

    /// The highest migration applied.
    async fn schema_version(&self) -> Result<i64>;

    /// Stores one document in one transaction (see [`ImportOutcome`]).
    async fn import(&self, document: &PreparedDocument) -> Result<ImportOutcome>;

    /// Stores several documents in one transaction, in order, as [`Store::import`] would one by
    /// one (a later document sees the earlier ones: a repeat is `Unchanged`, a changed copy a new
    /// version); one outcome per document. Each document still goes in whole or not at all; on an
    /// error none of the batch is stored. For bulk imports: one commit (one WAL sync, one lock)
    /// for many documents instead of one each.
    async fn import_batch(&self, documents: &[PreparedDocument]) -> Result<Vec<ImportOutcome>>;

    /// Stored documents, newest version first within a key; only latest versions unless
    /// `all_versions`.
    async fn documents(&self, filter: &Filter, all_versions: bool) -> Result<Vec<DocumentInfo>>;

    /// The stored model of one document version, exactly as it was imported.
    async fn load_document(&self, id: i64) -> Result<Document>;

    /// Documents, units, projects, indicators, findings and amounts by publisher and year.
    async fn overview(&self, filter: &Filter) -> Result<Vec<OverviewRow>>;

    /// Units and projects of the departments whose name contains `filter.publisher`.
    async fn department(&self, filter: &Filter) -> Result<Vec<DepartmentRow>>;

    /// Findings counted by code, severity and review state.
    async fn finding_counts(&self, filter: &Filter) -> Result<Vec<FindingCount>>;

    /// The findings of one document version, with their review state.
    async fn findings(&self, document_id: i64) -> Result<Vec<FindingRow>>;

    /// Records a reviewer's decision on a finding.
    async fn review_finding(
        &self,
        finding_id: i64,
        state: ReviewState,
        by: &str,
        comment: Option<&str>,
    ) -> Result<()>;

    /// Indicators whose name or value contains `text`, the first `limit`.
    async fn search(&self, text: &str, filter: &Filter, limit: i64) -> Result<Vec<SearchHit>> {
        self.search_from(text, filter, limit, 0).await
    }

    /// [`Store::search`] from the `offset`-th hit on, for paging through many hits.
    async fn search_from(
        &self,
        text: &str,
        filter: &Filter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<SearchHit>>;

    /// Projects whose name contains `name`, one row per document year.
    async fn project_history(&self, name: &str, filter: &Filter) -> Result<Vec<HistoryRow>>;

    /// One row per indicator of the latest versions, in document order; returns the row count.
    async fn export(&self, filter: &Filter, sink: &mut RowSink<'_>) -> Result<u64>;

    /// Computes the findings of the corpus-wide rules (G002 …) over the latest versions and
    /// stores them in place of the previous ones, as `check` would report them over the same
    /// files. Documents are read one at a time and the rules keep their state in temporary
    /// files, so memory stays bounded however large the corpus. A stored finding that is found
    /// again keeps its review state. Returns the number of corpus findings.
    async fn refresh_corpus_findings(&self, settings: &jixiao_rules::Settings) -> Result<usize>;

    /// Stores `findings` of the corpus-wide rules, each with the id of the document it points at,
    /// in place of the stored ones, as computed for corpus `generation` (see
    /// [`Store::corpus_generation`]); an importer that observed every latest document itself
    /// computes them without reading the corpus back. Returns their number.
    async fn replace_corpus_findings(
        &self,
        findings: Vec<(i64, jixiao_rules::Finding)>,
        generation: i64,
    ) -> Result<usize>;

    /// Counts the imports that changed the corpus; read it before the latest documents whose
    /// corpus-wide findings are then computed.
    async fn corpus_generation(&self) -> Result<i64>;

    /// What the corpus holds, as three counters that only grow: a cache of anything computed
    /// over the corpus is current while this is unchanged (also when another process imported).
    async fn corpus_version(&self) -> Result<CorpusVersion>;

    /// Findings per document, code and severity (latest versions only unless `all_versions`),
    /// in one grouped query.
    async fn document_finding_counts(
        &self,
        filter: &Filter,
        all_versions: bool,
    ) -> Result<Vec<DocumentFindingCount>>;

    /// The distinct codes and severities of each latest document's findings, a row per document
    /// with findings (what the search index's findings entries hold).
    async fn document_finding_marks(&self) -> Result<Vec<DocumentFindingMarks>>;

    /// Whether the corpus changed since its corpus-wide findings were computed (an import under
    /// way or killed before it recomputed them, a database older than them).
    async fn corpus_findings_stale(&self) -> Result<bool>;

    /// Makes the database's files complete on their own at the end of an import (SQLite: the
    /// write-ahead log is checkpointed into the `.db` file).
    async fn checkpoint(&self) -> Result<()>;

    /// Checks the database (SQLite: `PRAGMA integrity_check`, foreign keys) and that every stored
    /// model agrees with its rows.
    async fn verify(&self) -> Result<IntegrityProblems>;

    /// The self-evaluation projects of the latest documents with their published and recomputed
    /// totals and grades, by publisher, year, document and project order.
    async fn scored_projects(&self, filter: &Filter) -> Result<Vec<ScoredProject>>;

    /// Accounts, the review workflow and the audit log of the web app, in the same database.
    fn review(&self) -> &dyn ReviewStore;
}

/// Opens (creating and migrating as needed) the store a URL names: `postgres://…`,
/// `postgresql://…`, `sqlite://path`, `sqlite:path` or a plain file path (SQLite).
pub async fn open(url: &str) -> Result<Box<dyn Store>> {
    match sqlite_path(url) {
        None => Ok(Box::new(PostgresStore::open(url).await?)),
        Some(path) => Ok(Box::new(SqliteStore::open(path).await?)),
    }
}

/// [`open`] for reading: an SQLite file that does not exist is an error
/// ([`StoreError::Missing`]), not a new empty corpus (a mistyped `--db` used to create one).
pub async fn open_existing(url: &str) -> Result<Box<dyn Store>> {
    if let Some(path) = sqlite_path(url)
        && !path.exists()
    {
        return Err(StoreError::Missing(path.to_owned()));
    }
    open(url).await
}

/// The file an SQLite URL names; `None` for PostgreSQL.
fn sqlite_path(url: &str) -> Option<&std::path::Path> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    Some(std::path::Path::new(path))
}
