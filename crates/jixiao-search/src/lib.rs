//! Chinese full-text search over the corpus: a tantivy index whose text is cut into words by
//! jieba, kept in a folder beside the database (`jixiao.db` → `jixiao.db.index/`).
//!
//! The index holds the latest version of every stored document: one entry per indicator (its
//! name and value), per project goal and per project name, with the publisher, year and layout,
//! and one entry per document with the codes and severities of its findings, so search results
//! can be filtered without asking the database. A project's name is cut into words on the
//! project's entry only; its goal and indicators follow that entry and are found by those words
//! through it (see [`group`]). [`SearchIndex::sync`] brings it up to date with the store: documents that
//! are no longer the latest version leave, new ones come in, unchanged ones are left alone, so
//! importing the same table again never duplicates a hit.

mod group;
mod tokenizer;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jixiao_model::Document;
use jixiao_store::{Filter, Store};
use serde::{Deserialize, Serialize};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::indexer::UserOperation;
use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery, TermQuery, TermSetQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
    Value as _,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use group::{MEMBERS, ProjectWordQuery, WordQuery};

pub use tokenizer::{JiebaTokenizer, preload, query_words};

/// The tokenizer's name in the index schema. It names the segmenter's version: jieba-rs 0.11
/// cuts some runs of Latin letters and digits differently from 0.8 (`2023.07-2024.01` is one
/// word), so an index cut by another version is a different schema and is rebuilt.
const TOKENIZER: &str = "jieba-0.11";
/// The file in the index folder listing the document versions it holds.
const MANIFEST: &str = "jixiao-documents.json";
/// The most values an entry has (an indicator's), each taking at most eight bytes beside its text.
const ENTRY_VALUES: usize = 12;
/// Memory for the index writer (tantivy's minimum is 15 MB per thread).
const WRITER_MEMORY: usize = 50 << 20;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("搜索索引出错：{0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("无法打开搜索索引 {path}：{source}")]
    Open {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("读写搜索索引清单 {path} 出错：{source}")]
    Manifest {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] jixiao_store::StoreError),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// What an entry of the index stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Indicator,
    Goal,
    Project,
}

/// One match: an indicator, a project's goal or a project's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub document_id: i64,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub layout: String,
    pub unit: String,
    pub project: String,
    /// The indicator's number in its project (indicators only).
    pub seq: Option<i64>,
    pub level1: Option<String>,
    /// The indicator's name (indicators only).
    pub name: String,
    /// The indicator's value, or the goal's text.
    pub text: String,
    pub line: i64,
    pub score: f32,
}

/// Filters a search by the document it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// Publishers containing this text.
    pub publisher: Option<String>,
    pub year: Option<i32>,
    /// The layout's name (`project_sheet`, …).
    pub layout: Option<String>,
    /// Documents with a finding of this code.
    pub code: Option<String>,
    /// Documents with a finding of this severity (`error`, `warning`, `info`).
    pub severity: Option<String>,
}

/// The results of one search.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Found {
    /// The words the query was cut into; results contain every one of them.
    pub words: Vec<String>,
    /// How many entries matched in all (more than `hits` when the limit cut them).
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// The `kind` of a document's findings entry (it is never a hit: it has no words).
const FINDINGS_KIND: &str = "findings";
/// The `kind` of a project's entry, the first of its group (see [`group`]).
const PROJECT_KIND: &str = "project";

/// The codes and severities of a document's findings: what the code and severity filters match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Marks {
    codes: BTreeSet<String>,
    severities: BTreeSet<String>,
}

impl Marks {
    fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.severities.is_empty()
    }

    /// A fingerprint of the codes and severities (FNV-1a over them in order), kept in a fast
    /// field of the findings entry: a sync compares it with the store's for every document
    /// without reading the entries themselves (7,700 entries of the corpus took 0.2 s to read).
    /// `None` for no findings, which have no entry.
    fn digest(&self) -> Option<u64> {
        if self.is_empty() {
            return None;
        }
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        for code in &self.codes {
            eat(code.as_bytes());
            eat(&[0]);
        }
        eat(&[0xff]);
        for severity in &self.severities {
            eat(severity.as_bytes());
            eat(&[0]);
        }
        Some(hash)
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    document_id: Field,
    /// The document id again, on its findings entry only: that entry is replaced on its own when
    /// the findings change and the document does not (corpus findings such as G002); a fast
    /// field, read with [`Fields::marks`] by a sync.
    findings_of: Field,
    /// [`Marks::digest`] of the findings entry.
    marks: Field,
    /// [`FINDINGS_KIND`] on findings entries, [`PROJECT_KIND`] on project entries (its
    /// document frequency is the number of projects); goals and indicators have none (an
    /// indicator is told by its `seq`, a goal by its `text`).
    kind: Field,
    publisher: Field,
    year: Field,
    layout: Field,
    code: Field,
    severity: Field,
    unit: Field,
    /// The project's name, stored on each of its entries for the hits.
    project: Field,
    /// The project's name cut into words, on the project's own entry only: its goal and
    /// indicators match those words through [`ProjectWordQuery`].
    project_words: Field,
    /// On a project entry, how many entries of its group follow it (a fast field); 0 on every
    /// other entry (a column with a value for every entry is read without ranking the doc id).
    members: Field,
    seq: Field,
    level1: Field,
    name: Field,
    text: Field,
    line: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Filters and ids are matched exactly and hold one value per entry: a field norm (the
    // number of values) would always be 1, which is what a field without norms scores with.
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let id = NumericOptions::default().set_indexed();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            // Every query is a conjunction of words, never a phrase: positions would only
            // cost indexing time and space.
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        document_id: builder.add_i64_field("document_id", id.clone().set_stored()),
        findings_of: builder.add_i64_field("findings_of", id.clone().set_fast()),
        marks: builder.add_u64_field("marks", NumericOptions::default().set_fast()),
        kind: builder.add_text_field("kind", exact.clone()),
        publisher: builder.add_text_field("publisher", exact.clone().set_stored()),
        year: builder.add_i64_field("year", id.set_stored()),
        layout: builder.add_text_field("layout", exact.clone().set_stored()),
        code: builder.add_text_field("code", exact.clone()),
        severity: builder.add_text_field("severity", exact),
        unit: builder.add_text_field("unit", STORED),
        project: builder.add_text_field("project", STORED),
        project_words: builder.add_text_field("project_words", words.clone()),
        members: builder.add_u64_field(MEMBERS, NumericOptions::default().set_fast()),
        seq: builder.add_i64_field("seq", STORED),
        level1: builder.add_text_field("level1", STORED),
        name: builder.add_text_field("name", words.clone().set_stored()),
        text: builder.add_text_field("text", words.set_stored()),
        line: builder.add_i64_field("line", STORED),
    };
    (builder.build(), fields)
}

/// The folder the index of a database lives in: beside a SQLite file (`jixiao.db.index`); for
/// PostgreSQL, `jixiao-postgres.index` in the working folder.
pub fn index_path(database_url: &str) -> PathBuf {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return PathBuf::from("jixiao-postgres.index");
    }
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .unwrap_or(database_url);
    let mut name = Path::new(path).as_os_str().to_owned();
    name.push(".index");
    PathBuf::from(name)
}

/// The document versions in the index, by id with their content hash.
type Manifest = BTreeMap<i64, String>;

/// The search index of one corpus.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Where the manifest is kept; `None` for an index in memory.
    folder: Option<PathBuf>,
    manifest: Mutex<Option<Manifest>>,
    /// One writer at a time; syncs queue here.
    writing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

/// What [`SearchIndex::sync`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub added: usize,
    pub removed: usize,
    /// Entries (indicators, goals, projects) written.
    pub entries: usize,
}

impl SearchIndex {
    /// Opens the index in `folder`, creating it when missing. An index whose schema is not this
    /// version's is rebuilt from nothing at the next [`SearchIndex::sync`].
    pub fn open(folder: &Path) -> Result<Self> {
        let (schema, fields) = schema();
        let open = || -> tantivy::Result<Index> {
            std::fs::create_dir_all(folder)?;
            let directory = tantivy::directory::MmapDirectory::open(folder)?;
            Index::open_or_create(directory, schema.clone())
        };
        let (index, manifest) = match open() {
            Ok(index) => (index, read_manifest(folder)?),
            // An index from an older schema: start again.
            Err(tantivy::TantivyError::SchemaError(_)) => {
                std::fs::remove_dir_all(folder).map_err(|source| SearchError::Manifest {
                    path: folder.to_owned(),
                    source,
                })?;
                let index = open().map_err(|source| SearchError::Open {
                    path: folder.to_owned(),
                    source,
                })?;
                (index, None)
            }
            Err(source) => {
                return Err(SearchError::Open {
                    path: folder.to_owned(),
                    source,
                });
            }
        };
        Self::with_index(index, fields, Some(folder.to_owned()), manifest)
    }

    /// An index held in memory (tests, and a corpus whose folder cannot be written).
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, None, None)
    }

    fn with_index(
        mut index: Index,
        fields: Fields,
        folder: Option<PathBuf>,
        manifest: Option<Manifest>,
    ) -> Result<Self> {
        // The stored fields' blocks are compressed by the indexing thread itself: on a thread of
        // their own, each 16 KB block was a hand-over, a quarter of an import's context switches.
        index.settings_mut().docstore_compress_dedicated_thread = false;
        index.tokenizers().register(TOKENIZER, JiebaTokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            folder,
            manifest: Mutex::new(manifest),
            writing: tokio::sync::Mutex::new(()),
        })
    }

    /// Whether the index holds exactly the latest versions in `store`.
    pub async fn is_current(&self, store: &dyn Store) -> Result<bool> {
        let wanted = latest(store).await?;
        Ok(self.manifest().as_ref() == Some(&wanted))
    }

    fn manifest(&self) -> std::sync::MutexGuard<'_, Option<Manifest>> {
        self.manifest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Brings the index up to date with the latest document versions in `store`.
    pub async fn sync(&self, store: &dyn Store) -> Result<SyncReport> {
        let _writing = self.writing.lock().await;
        let wanted = latest(store).await?;
        // Another process (`jixiao import` beside a running server) may have synced since.
        if let Some(folder) = &self.folder {
            *self.manifest() = read_manifest(folder)?;
            self.reader.reload()?;
        }
        let had = self.manifest().clone();
        let rebuild = had.is_none();
        let had = had.unwrap_or_default();
        let removed: Vec<i64> = had
            .iter()
            .filter(|(id, hash)| wanted.get(id) != Some(hash))
            .map(|(id, _)| *id)
            .collect();
        let added: Vec<i64> = wanted
            .iter()
            .filter(|(id, hash)| had.get(id) != Some(hash))
            .map(|(id, _)| *id)
            .collect();
        let mut report = SyncReport {
            added: added.len(),
            removed: removed.len(),
            entries: 0,
        };
        // Findings change without their document (corpus findings such as G002 when other
        // documents come in): the documents kept get new findings entries where they differ.
        let marks = finding_marks(store).await?;
        let indexed = if rebuild {
            BTreeMap::new()
        } else {
            self.indexed_digests()?
        };
        let none = Marks::default();
        let added_ids: BTreeSet<i64> = added.iter().copied().collect();
        let remarked: Vec<i64> = wanted
            .keys()
            .filter(|id| !added_ids.contains(id))
            .filter(|id| indexed.get(id).copied() != marks.get(id).and_then(Marks::digest))
            .copied()
            .collect();
        if !rebuild && added.is_empty() && removed.is_empty() && remarked.is_empty() {
            return Ok(report);
        }
        let infos = if added.is_empty() {
            BTreeMap::new()
        } else {
            document_infos(store).await?
        };
        let mut writer: IndexWriter = self.index.writer(WRITER_MEMORY)?;
        if rebuild {
            writer.delete_all_documents()?;
        }
        for id in &removed {
            writer.delete_term(Term::from_field_i64(self.fields.document_id, *id));
        }
        for id in &added {
            let Some(info) = infos.get(id) else { continue };
            let document = store.load_document(*id).await?;
            let entry = EntryInfo::of(info);
            report.entries += self.add_document(&writer, &entry, &document)?;
            self.add_marks(&writer, *id, marks.get(id).unwrap_or(&none))?;
        }
        for id in &remarked {
            writer.delete_term(Term::from_field_i64(self.fields.findings_of, *id));
            self.add_marks(&writer, *id, marks.get(id).unwrap_or(&none))?;
        }
        writer.commit()?;
        drop(writer);
        self.write_manifest(&wanted)?;
        *self.manifest() = Some(wanted);
        self.reader.reload()?;
        Ok(report)
    }

    fn add_document(
        &self,
        writer: &IndexWriter,
        info: &EntryInfo<'_>,
        document: &Document,
    ) -> Result<usize> {
        let f = self.fields;
        // An entry holds its texts' bytes and at most eight more bytes per value (a length or a
        // number): sized for them, most entries take a few hundred bytes instead of the 1 KB of
        // `TantivyDocument::new`, so fewer fresh pages are zeroed for entries on their way.
        let fixed = ENTRY_VALUES * 8 + info.publisher.map_or(0, str::len) + info.layout.len();
        // Fields are added in the schema's order (the line last), which is the order tantivy
        // sorts an entry's values into before indexing them.
        let base = |kind: Option<&str>, unit: &str, project: &str, own: usize| {
            let mut entry = TantivyDocument::with_capacity(
                fixed + kind.map_or(0, str::len) + unit.len() + project.len() + own,
            );
            entry.add_i64(f.document_id, info.id);
            if let Some(kind) = kind {
                entry.add_text(f.kind, kind);
            }
            if let Some(publisher) = info.publisher {
                entry.add_text(f.publisher, publisher);
            }
            if let Some(year) = info.year {
                entry.add_i64(f.year, year);
            }
            entry.add_text(f.layout, info.layout);
            entry.add_text(f.unit, unit);
            entry.add_text(f.project, project);
            entry
        };
        // The document's entries go in as one group: each project's entry directly followed by
        // its goal and indicators, in one segment (see [`group`]).
        let mut group = Vec::new();
        for unit in &document.units {
            for project in &unit.projects {
                let members = usize::from(project.goal.is_some()) + project.indicators.len();
                let mut entry = base(
                    Some(PROJECT_KIND),
                    &unit.name.text,
                    &project.name.text,
                    project.name.text.len(),
                );
                entry.add_text(f.project_words, &project.name.text);
                entry.add_u64(f.members, u64::try_from(members).unwrap_or(u64::MAX));
                entry.add_i64(f.line, i64::from(project.name.span.line));
                group.push(UserOperation::Add(entry));
                if let Some(goal) = &project.goal {
                    let mut entry =
                        base(None, &unit.name.text, &project.name.text, goal.text.len());
                    entry.add_u64(f.members, 0);
                    entry.add_text(f.text, &goal.text);
                    entry.add_i64(f.line, i64::from(goal.span.line));
                    group.push(UserOperation::Add(entry));
                }
                for indicator in &project.indicators {
                    let own = indicator.level1.as_ref().map_or(0, |c| c.name.len())
                        + indicator.name.text.len()
                        + indicator.annual.as_ref().map_or(0, |v| v.raw.len());
                    let mut entry = base(None, &unit.name.text, &project.name.text, own);
                    entry.add_u64(f.members, 0);
                    entry.add_i64(f.seq, i64::from(indicator.seq));
                    if let Some(level1) = &indicator.level1 {
                        entry.add_text(f.level1, &level1.name);
                    }
                    entry.add_text(f.name, &indicator.name.text);
                    if let Some(value) = &indicator.annual {
                        entry.add_text(f.text, &value.raw);
                    }
                    entry.add_i64(f.line, i64::from(indicator.span.line));
                    group.push(UserOperation::Add(entry));
                }
            }
        }
        let count = group.len();
        if count > 0 {
            writer.run(group)?;
        }
        Ok(count)
    }

    /// The findings entry of document `id`: one per document, not one per entry, since the
    /// codes of a document's findings were most of what indexing its entries cost (six or seven
    /// codes in each of a hundred entries).
    fn add_marks(&self, writer: &IndexWriter, id: i64, marks: &Marks) -> Result<()> {
        let Some(digest) = marks.digest() else {
            return Ok(());
        };
        let f = self.fields;
        let mut entry = doc!(
            f.document_id => id,
            f.findings_of => id,
            f.kind => FINDINGS_KIND,
            f.marks => digest,
        );
        for code in &marks.codes {
            entry.add_text(f.code, code);
        }
        for severity in &marks.severities {
            entry.add_text(f.severity, severity);
        }
        // On every entry, so the column has a value for each and is read without a rank.
        entry.add_u64(f.members, 0);
        writer.add_document(entry)?;
        Ok(())
    }

    /// The digests of the findings entries in the index as the reader last saw it, by document
    /// (read from the fast fields, not from the stored entries).
    fn indexed_digests(&self) -> Result<BTreeMap<i64, u64>> {
        let searcher = self.reader.searcher();
        let query = exact(self.fields.kind, FINDINGS_KIND);
        Ok(findings_entries(&searcher, query.as_ref())?
            .into_iter()
            .filter_map(|(id, digest)| Some((id, digest?)))
            .collect())
    }

    /// The documents whose findings entry matches the code and severity filters.
    fn marked_documents(
        &self,
        searcher: &tantivy::Searcher,
        code: Option<&str>,
        severity: Option<&str>,
    ) -> Result<BTreeSet<i64>> {
        let f = self.fields;
        // Codes and severities are on findings entries only.
        let mut must = Vec::new();
        if code.is_none() && severity.is_none() {
            must.push((Occur::Must, exact(f.kind, FINDINGS_KIND)));
        }
        must.extend(code.map(|code| (Occur::Must, exact(f.code, code))));
        must.extend(severity.map(|severity| (Occur::Must, exact(f.severity, severity))));
        Ok(findings_entries(searcher, &BooleanQuery::new(must))?
            .into_iter()
            .map(|(id, _)| id)
            .collect())
    }

    fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        let Some(folder) = &self.folder else {
            return Ok(());
        };
        let path = folder.join(MANIFEST);
        let text = serde_json::to_vec(manifest).map_err(std::io::Error::other);
        text.and_then(|text| {
            let partial = folder.join(format!("{MANIFEST}.partial"));
            std::fs::write(&partial, text)?;
            std::fs::rename(&partial, &path)
        })
        .map_err(|source| SearchError::Manifest { path, source })
    }

    /// Entries containing every word of `text`, best first, at most `limit` of them.
    pub fn search(&self, text: &str, filter: &SearchFilter, limit: usize) -> Result<Found> {
        let words = query_words(text);
        if words.is_empty() {
            return Ok(Found::default());
        }
        let f = self.fields;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let own: Vec<(Occur, Box<dyn Query>)> = [f.name, f.text]
                .into_iter()
                .map(|field| {
                    let query: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(field, word),
                        IndexRecordOption::WithFreqs,
                    ));
                    (Occur::Should, query)
                })
                .collect();
            // Or a word of the project's name: the project's entry and every entry of its group.
            let project = ProjectWordQuery::new(
                Term::from_field_text(f.project_words, word),
                Term::from_field_text(f.kind, PROJECT_KIND),
            );
            let any: Box<dyn Query> =
                Box::new(WordQuery::new(Box::new(BooleanQuery::new(own)), project));
            must.push((Occur::Must, any));
        }
        if let Some(publisher) = filter.publisher.as_deref().filter(|p| !p.is_empty()) {
            let pattern = format!(".*{}.*", regex_escape(publisher));
            must.push((
                Occur::Must,
                Box::new(RegexQuery::from_pattern(&pattern, f.publisher)?),
            ));
        }
        if let Some(year) = filter.year {
            let query = TermQuery::new(
                Term::from_field_i64(f.year, i64::from(year)),
                IndexRecordOption::Basic,
            );
            must.push((Occur::Must, Box::new(query)));
        }
        if let Some(layout) = filter.layout.as_deref() {
            must.push((Occur::Must, exact(f.layout, layout)));
        }
        let searcher = self.reader.searcher();
        let (code, severity) = (filter.code.as_deref(), filter.severity.as_deref());
        if code.is_some() || severity.is_some() {
            let ids = self.marked_documents(&searcher, code, severity)?;
            if ids.is_empty() {
                return Ok(Found {
                    words,
                    ..Found::default()
                });
            }
            let terms = ids
                .into_iter()
                .map(|id| Term::from_field_i64(f.document_id, id));
            must.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
        }
        let query = BooleanQuery::new(must);
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit.max(1)), tantivy::collector::Count),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let entry: TantivyDocument = searcher.doc(address)?;
            let text_of = |field: Field| {
                entry
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let int_of = |field: Field| entry.get_first(field).and_then(|v| v.as_i64());
            let seq = int_of(f.seq);
            let text = text_of(f.text);
            let kind = match (seq, &text) {
                (Some(_), _) => HitKind::Indicator,
                (None, Some(_)) => HitKind::Goal,
                (None, None) => HitKind::Project,
            };
            hits.push(Hit {
                kind,
                document_id: int_of(f.document_id).unwrap_or_default(),
                publisher: text_of(f.publisher),
                year: int_of(f.year),
                layout: text_of(f.layout).unwrap_or_default(),
                unit: text_of(f.unit).unwrap_or_default(),
                project: text_of(f.project).unwrap_or_default(),
                seq,
                level1: text_of(f.level1),
                name: text_of(f.name).unwrap_or_default(),
                text: text.unwrap_or_default(),
                line: int_of(f.line).unwrap_or_default(),
                score,
            });
        }
        Ok(Found { words, total, hits })
    }
}

/// What an index entry takes from its document's row in the store.
#[derive(Debug, Clone, Copy)]
struct EntryInfo<'a> {
    id: i64,
    layout: &'a str,
    publisher: Option<&'a str>,
    year: Option<i64>,
}

impl<'a> EntryInfo<'a> {
    fn of(info: &'a jixiao_store::DocumentInfo) -> Self {
        Self {
            id: info.id,
            layout: &info.layout,
            publisher: info.publisher.as_deref(),
            year: info.year,
        }
    }
}

/// What a document was indexed with by an [`IndexFeed`], to compare with the store at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fed {
    hash: String,
    layout: String,
    publisher: Option<String>,
    year: Option<i64>,
    marks: Marks,
}

/// Indexes documents while an import stores them, from the models it has in memory, so the index
/// need not read every model back from the database afterwards. [`IndexFeed::finish`] then
/// leaves the index exactly as [`SearchIndex::sync`] would: a fed document that is not the latest
/// version, or whose row in the store differs from what it was indexed with, is indexed again
/// from the store; one whose findings differ (corpus findings such as G002 come at the end of an
/// import) gets a new findings entry; the latest documents that were not fed come from the store.
///
/// The index writer is held from [`SearchIndex::feed`] until `finish`; dropping the feed without
/// finishing leaves the index as it was.
pub struct IndexFeed {
    index: SearchIndex,
    writer: IndexWriter,
    /// The manifest when the feed started (empty when the index is rebuilt).
    had: Manifest,
    /// `had` less the documents fed since (their old entries are gone).
    kept: Manifest,
    fed: BTreeMap<i64, Fed>,
    entries: usize,
}

impl std::fmt::Debug for IndexFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexFeed")
            .field("index", &self.index)
            .field("fed", &self.fed.len())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Starts indexing documents as they are stored (see [`IndexFeed`]).
    pub fn feed(self) -> Result<IndexFeed> {
        if let Some(folder) = &self.folder {
            *self.manifest() = read_manifest(folder)?;
            self.reader.reload()?;
        }
        let had = self.manifest().clone();
        // One indexing thread: an import already keeps both cores busy (the workers, the writer,
        // SQLite's thread), and a second indexing thread only added context switches and page
        // faults (the corpus import 6.1–6.7 s with two, 5.5–6.1 s with one).
        let writer: IndexWriter = self.index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let had = match had {
            Some(had) => had,
            None => {
                writer.delete_all_documents()?;
                Manifest::new()
            }
        };
        Ok(IndexFeed {
            index: self,
            writer,
            kept: had.clone(),
            had,
            fed: BTreeMap::new(),
            entries: 0,
        })
    }
}

impl IndexFeed {
    /// Indexes a document the store has just written under `id` (a new document or version).
    pub fn add(&mut self, id: i64, prepared: &jixiao_store::PreparedDocument) -> Result<()> {
        // An id the index held before belongs to an older corpus in the same place.
        if self.kept.remove(&id).is_some() || self.fed.contains_key(&id) {
            self.writer
                .delete_term(Term::from_field_i64(self.index.fields.document_id, id));
        }
        let marks = Marks {
            codes: prepared
                .findings
                .iter()
                .map(|f| f.finding.code.to_owned())
                .collect(),
            severities: prepared
                .findings
                .iter()
                .map(|f| f.finding.severity.to_string())
                .collect(),
        };
        let entry = EntryInfo {
            id,
            layout: prepared.document.layout.name(),
            publisher: prepared.meta.publisher.as_deref(),
            year: prepared.meta.year.map(i64::from),
        };
        self.entries += self
            .index
            .add_document(&self.writer, &entry, &prepared.document)?;
        self.index.add_marks(&self.writer, id, &marks)?;
        self.fed.insert(
            id,
            Fed {
                hash: prepared.meta.content_hash.clone(),
                layout: entry.layout.to_owned(),
                publisher: prepared.meta.publisher.clone(),
                year: entry.year,
                marks,
            },
        );
        Ok(())
    }

    /// Brings the index up to date with the latest document versions in `store`, reading from it
    /// only what was not fed as it is now, and commits.
    pub async fn finish(self, store: &dyn Store) -> Result<SyncReport> {
        let latest = store.documents(&Filter::default(), false).await?;
        self.finish_with(store, latest).await
    }

    /// [`Self::finish`] with the latest document versions already read from `store` (an import
    /// reads them once for the corpus-wide rules and the index: 7,700 rows took 0.1 s).
    pub async fn finish_with(
        self,
        store: &dyn Store,
        latest: Vec<jixiao_store::DocumentInfo>,
    ) -> Result<SyncReport> {
        let Self {
            index,
            mut writer,
            had,
            kept,
            fed,
            mut entries,
        } = self;
        let infos: BTreeMap<i64, jixiao_store::DocumentInfo> =
            latest.into_iter().map(|d| (d.id, d)).collect();
        let wanted: Manifest = infos
            .iter()
            .map(|(id, d)| (*id, d.content_hash.clone()))
            .collect();
        let marks = finding_marks(store).await?;
        // The findings entries of the documents kept from before, as the feed found them.
        let indexed = if kept.is_empty() {
            BTreeMap::new()
        } else {
            index.indexed_digests()?
        };
        let none = Marks::default();
        let field = index.fields.document_id;
        let mut present: BTreeSet<i64> = BTreeSet::new();
        let mut remarked: Vec<i64> = Vec::new();
        for (id, hash) in &kept {
            if wanted.get(id) == Some(hash) {
                present.insert(*id);
                if indexed.get(id).copied() != marks.get(id).and_then(Marks::digest) {
                    remarked.push(*id);
                }
            } else {
                writer.delete_term(Term::from_field_i64(field, *id));
            }
        }
        for (id, fed) in &fed {
            let current = infos.get(id).is_some_and(|info| {
                info.content_hash == fed.hash
                    && info.layout == fed.layout
                    && info.publisher == fed.publisher
                    && info.year == fed.year
            });
            if current {
                present.insert(*id);
                if fed.marks != *marks.get(id).unwrap_or(&none) {
                    remarked.push(*id);
                }
            } else {
                writer.delete_term(Term::from_field_i64(field, *id));
            }
        }
        for (id, info) in &infos {
            if present.contains(id) {
                continue;
            }
            let document = store.load_document(*id).await?;
            entries += index.add_document(&writer, &EntryInfo::of(info), &document)?;
            index.add_marks(&writer, *id, marks.get(id).unwrap_or(&none))?;
        }
        for id in &remarked {
            writer.delete_term(Term::from_field_i64(index.fields.findings_of, *id));
            index.add_marks(&writer, *id, marks.get(id).unwrap_or(&none))?;
        }
        writer.commit()?;
        drop(writer);
        let report = SyncReport {
            added: wanted
                .iter()
                .filter(|(id, hash)| had.get(id) != Some(hash))
                .count(),
            removed: had
                .iter()
                .filter(|(id, hash)| wanted.get(id) != Some(hash))
                .count(),
            entries,
        };
        index.write_manifest(&wanted)?;
        *index.manifest() = Some(wanted);
        index.reader.reload()?;
        Ok(report)
    }
}

/// The latest version of every stored document, by id with its content hash.
async fn latest(store: &dyn Store) -> Result<Manifest> {
    Ok(store
        .documents(&Filter::default(), false)
        .await?
        .into_iter()
        .map(|d| (d.id, d.content_hash))
        .collect())
}

fn read_manifest(folder: &Path) -> Result<Option<Manifest>> {
    let path = folder.join(MANIFEST);
    match std::fs::read(&path) {
        // A manifest that does not parse is treated as missing: the index is rebuilt.
        Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SearchError::Manifest { path, source }),
    }
}

/// Entries whose `field` holds exactly `value` (a `STRING` field).
fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The document id and findings digest of each entry `query` matches, read from the fast
/// fields segment by segment.
fn findings_entries(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
) -> Result<Vec<(i64, Option<u64>)>> {
    let mut columns = BTreeMap::new();
    let mut entries = Vec::new();
    for address in searcher.search(query, &DocSetCollector)? {
        let (ids, digests) = match columns.entry(address.segment_ord) {
            std::collections::btree_map::Entry::Occupied(columns) => columns.into_mut(),
            std::collections::btree_map::Entry::Vacant(slot) => {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                slot.insert((fast.i64("findings_of")?, fast.u64("marks")?))
            }
        };
        if let Some(id) = ids.first(address.doc_id) {
            entries.push((id, digests.first(address.doc_id)));
        }
    }
    Ok(entries)
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every document the store holds, by id.
/// The codes and severities of the findings of every latest document, by id: one query, not one
/// per document (on PostgreSQL each took a plan made before the import's rows were counted).
async fn finding_marks(store: &dyn Store) -> Result<BTreeMap<i64, Marks>> {
    Ok(store
        .document_finding_marks()
        .await?
        .into_iter()
        .map(|row| {
            let marks = Marks {
                codes: row.codes.into_iter().collect(),
                severities: row.severities.into_iter().collect(),
            };
            (row.document_id, marks)
        })
        .collect())
}

async fn document_infos(store: &dyn Store) -> Result<BTreeMap<i64, jixiao_store::DocumentInfo>> {
    Ok(store
        .documents(&Filter::default(), false)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(codes: &[&str], severities: &[&str]) -> Marks {
        Marks {
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            severities: severities.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn digests_tell_findings_apart() {
        assert_eq!(Marks::default().digest(), None);
        let all = [
            marks(&["G002"], &["warning"]),
            marks(&["G002", "V003"], &["warning"]),
            marks(&["G002"], &["info", "warning"]),
            marks(&["G00", "2V003"], &["warning"]),
            marks(&[], &["warning"]),
            marks(&["warning"], &[]),
        ];
        let digests: BTreeSet<u64> = all.iter().filter_map(Marks::digest).collect();
        assert_eq!(digests.len(), all.len());
        assert_eq!(
            marks(&["V003", "G002"], &["warning"]).digest(),
            all[1].digest()
        );
    }
}
