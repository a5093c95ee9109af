//! The SQL both backends share. The statements are written once in the dialect SQLite and
//! PostgreSQL have in common (`$1` parameters, `CAST(x AS TEXT)` to read money as its exact decimal
//! text, `CURRENT_TIMESTAMP`); [`store_impl!`] instantiates them for each backend's pool type, and
//! each backend supplies only what differs: how a write transaction starts, how rows are inserted in
//! bulk and how money is bound.

use std::str::FromStr as _;

use jixiao_model::{Document, Indicator, Span, Value, ValueKind, value_kind_name};
use rust_decimal::Decimal;

use crate::{PreparedDocument, StoreError};

/// Row counts per statement. Every batch insert uses one of these sizes, so each table needs at
/// most five statement texts and the prepared-statement cache always hits.
/// 256 rows are wide enough that a statement's own cost is spread thin; a statement of 1,024
/// (the largest until the fifteenth session) took SQLite longer to compile than it saved, and
/// its vector of bound values (over half a megabyte) came from fresh pages each time.
const BATCH_SIZES: [usize; 5] = [256, 64, 16, 4, 1];

/// Values bound in one `IN (…)` list: a batch of many small documents stays under the backends'
/// parameter limits.
pub(crate) const MAX_LIST: usize = 1024;

/// One table's rows of several documents, each with its document's id.
pub(crate) fn flatten<'r, 'a: 'r, T>(
    documents: &'r [Rows<'a>],
    table: impl Fn(&'r Rows<'a>) -> &'r Vec<T>,
) -> Vec<(i64, &'r T)> {
    documents
        .iter()
        .flat_map(|rows| table(rows).iter().map(move |row| (rows.document, row)))
        .collect()
}

/// Splits `rows` into batches of the sizes in [`BATCH_SIZES`], largest first.
pub(crate) fn batches<T>(mut rows: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    for size in BATCH_SIZES {
        while rows.len() >= size {
            let (head, rest) = rows.split_at(size);
            out.push(head);
            rows = rest;
        }
    }
    out
}

pub(crate) const NEXT_IDS: &str = "SELECT \
     (SELECT COALESCE(MAX(id), 0) + 1 FROM documents), \
     (SELECT COALESCE(MAX(id), 0) + 1 FROM units), \
     (SELECT COALESCE(MAX(id), 0) + 1 FROM projects), \
     (SELECT COALESCE(MAX(id), 0) + 1 FROM indicators), \
     (SELECT COALESCE(MAX(id), 0) + 1 FROM findings)";

/// The documents (and their rows) a filter selects: latest versions only.
pub(crate) const FILTER: &str = "d.is_latest AND ($1 IS NULL OR d.publisher LIKE $1 ESCAPE '\\') AND ($2 IS NULL OR d.year = $2)";

/// [`FILTER`] over every version of a document, not only the latest.
pub(crate) const ALL_VERSIONS_FILTER: &str =
    "($1 IS NULL OR d.publisher LIKE $1 ESCAPE '\\') AND ($2 IS NULL OR d.year = $2)";

/// A document's rows with the ids they get, in insertion order. Each row's source span is its
/// unit's, project's, indicator's or finding's own, stored in the row's `span_*` columns
/// (migration 0016).
pub(crate) struct Rows<'a> {
    pub document: i64,
    pub units: Vec<UnitRow<'a>>,
    pub projects: Vec<ProjectRow<'a>>,
    pub indicators: Vec<IndicatorRow<'a>>,
    pub findings: Vec<FindingRef<'a>>,
}

/// id, ordinal, unit, 总计 in 万元
pub(crate) type UnitRow<'a> = (i64, i64, &'a jixiao_model::Unit, Option<Decimal>);

/// id, unit id, ordinal, project, amount in 万元 ([`crate::amounts::project_amount`])
pub(crate) type ProjectRow<'a> = (i64, i64, i64, &'a jixiao_model::Project, Option<Decimal>);

/// id, project id, ordinal, indicator
pub(crate) type IndicatorRow<'a> = (i64, i64, i64, &'a Indicator);

/// id, project id, indicator id, finding
pub(crate) type FindingRef<'a> = (i64, Option<i64>, Option<i64>, &'a jixiao_rules::Finding);

/// A span's columns (`span_line`, `span_start`, `span_end`, `span_sheet`, `span_page`,
/// `span_row`, `span_col`), as the tables store them.
pub(crate) struct SpanColumns<'a> {
    pub line: i64,
    pub start: i64,
    pub end: i64,
    pub sheet: Option<&'a str>,
    pub page: Option<i64>,
    pub row: Option<i64>,
    pub col: Option<i64>,
}

impl<'a> SpanColumns<'a> {
    pub fn of(span: &'a Span) -> Self {
        let cell = span.cell.as_deref();
        Self {
            line: i64::from(span.line),
            start: i64::from(span.start),
            end: i64::from(span.end),
            sheet: cell.and_then(|c| c.sheet.as_deref()),
            page: cell.and_then(|c| c.page).map(i64::from),
            row: cell.map(|c| i64::from(c.row)),
            col: cell.map(|c| i64::from(c.col)),
        }
    }
}

/// The span columns of a row, in the order [`SpanColumns`] gives them.
pub(crate) const SPAN_COLUMNS: &str =
    "span_line, span_start, span_end, span_sheet, span_page, span_row, span_col";

/// First free id of each table, as [`NEXT_IDS`] reads them. Ids are taken as `MAX(id) + 1` once per
/// write transaction (the write lock keeps them free) and then counted on in memory, so writing
/// several documents in one transaction costs no further queries for them.
pub(crate) struct NextIds {
    pub document: i64,
    pub unit: i64,
    pub project: i64,
    pub indicator: i64,
    pub finding: i64,
}

impl NextIds {
    /// Moves past the ids a document's rows took.
    pub fn advance_past(&mut self, rows: &Rows<'_>) {
        self.document += 1;
        self.unit += rows.units.len() as i64;
        self.project += rows.projects.len() as i64;
        self.indicator += rows.indicators.len() as i64;
        self.finding += rows.findings.len() as i64;
    }
}

impl<'a> Rows<'a> {
    pub fn new(prepared: &'a PreparedDocument, next: &NextIds) -> Self {
        let document: &Document = &prepared.document;
        let wan = |value: Option<Decimal>| {
            prepared
                .wan_factor
                .zip(value)
                .map(|(factor, value)| crate::amounts::to_wan(value, factor))
        };
        let mut units = Vec::with_capacity(document.units.len());
        let mut projects = Vec::new();
        let mut indicators = Vec::new();
        for (u, unit) in document.units.iter().enumerate() {
            let unit_id = next.unit + u as i64;
            units.push((
                unit_id,
                u as i64,
                unit,
                wan(unit.amounts.total.as_ref().map(|a| a.value)),
            ));
        }
        let mut project_ids = Vec::new();
        let mut indicator_ids = Vec::new();
        for (u, unit) in document.units.iter().enumerate() {
            for project in &unit.projects {
                let id = next.project + projects.len() as i64;
                project_ids.push(id);
                projects.push((
                    id,
                    next.unit + u as i64,
                    projects.len() as i64,
                    project,
                    wan(crate::amounts::project_amount(project)),
                ));
            }
        }
        for &(project_id, _, _, project, _) in &projects {
            for (ordinal, indicator) in project.indicators.iter().enumerate() {
                let id = next.indicator + indicators.len() as i64;
                indicator_ids.push(id);
                indicators.push((id, project_id, ordinal as i64, indicator));
            }
        }
        let findings = prepared
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    next.finding + i as i64,
                    f.project.and_then(|p| project_ids.get(p).copied()),
                    f.indicator.and_then(|i| indicator_ids.get(i).copied()),
                    &f.finding,
                )
            })
            .collect();
        Self {
            document: next.document,
            units,
            projects,
            indicators,
            findings,
        }
    }
}

/// The columns of a value: raw text, kind, comparator, number (scale applied), unit.
pub(crate) struct ValueColumns<'a> {
    pub raw: Option<&'a str>,
    pub kind: Option<&'static str>,
    pub comparator: Option<&'static str>,
    pub number: Option<Decimal>,
    pub unit: Option<&'a str>,
}

impl<'a> ValueColumns<'a> {
    pub fn of(value: Option<&'a Value>) -> Self {
        let quantity = value.and_then(|v| match &v.kind {
            ValueKind::Quantitative(q) => Some(q),
            _ => None,
        });
        Self {
            raw: value.map(|v| v.raw.as_str()),
            kind: value.map(|v| value_kind_name(&v.kind)),
            comparator: quantity.and_then(|q| q.comparator).map(|c| c.symbol()),
            number: quantity.map(jixiao_model::Quantity::scaled_number),
            unit: quantity.and_then(|q| q.unit.as_deref()),
        }
    }
}

/// An indicator's 一级/二级 categories as stored once in `indicator_categories`: names and codes.
pub(crate) type CategoryKey = [Option<String>; 4];

/// The category columns of an indicator.
pub(crate) fn category_of(indicator: &Indicator) -> [Option<&str>; 4] {
    let level1 = indicator.level1.as_ref();
    let level2 = indicator.level2.as_ref();
    [
        level1.map(|c| &*c.name),
        level1.and_then(|c| c.code.as_deref()),
        level2.map(|c| &*c.name),
        level2.and_then(|c| c.code.as_deref()),
    ]
}

/// Ids of the texts kept once (migration 0014): findings' advice and indicators' categories, for
/// the rows one write transaction inserts.
#[derive(Default)]
pub(crate) struct Lookups {
    /// A handful of combinations: found by comparing each.
    pub categories: Vec<(CategoryKey, i64)>,
    pub helps: std::collections::HashMap<String, i64>,
}

impl Lookups {
    pub fn category(&self, indicator: &Indicator) -> Option<i64> {
        let wanted = category_of(indicator);
        self.categories
            .iter()
            .find(|(key, _)| key.iter().map(Option::as_deref).eq(wanted))
            .map(|(_, id)| *id)
    }

    pub fn help(&self, help: &str) -> Option<i64> {
        self.helps.get(help).copied()
    }
}

/// Scratch storage for the corpus-wide rules: an anonymous temporary file.
pub fn temporary_file() -> std::io::Result<Box<dyn jixiao_rules::Scratch>> {
    Ok(Box::new(tempfile::tempfile()?))
}

/// Reads a decimal stored as text (SQLite) or cast to text (PostgreSQL).
pub(crate) fn decimal(
    id: i64,
    field: &'static str,
    text: Option<String>,
) -> Result<Option<Decimal>, StoreError> {
    text.map(|t| {
        Decimal::from_str(&t).map_err(|_| StoreError::Number {
            id,
            field,
            value: t.clone(),
        })
    })
    .transpose()
}

/// The select list of a [`crate::DocumentInfo`], over `documents d` with its 万元 total; a query
/// appends its `WHERE` and `ORDER BY`, and reads rows of [`DocumentInfoRow`].
pub(crate) const DOCUMENT_INFO_SELECT: &str = "SELECT id, document_key, version, is_latest, \
     source_file, publisher, year, layout, content_hash, CAST(imported_at AS TEXT), \
     CAST(t.total_wan AS TEXT) FROM documents d \
     LEFT JOIN document_totals t ON t.document_id = d.id";

/// A row of [`DOCUMENT_INFO_SELECT`].
pub(crate) type DocumentInfoRow = (
    i64,
    String,
    i64,
    bool,
    String,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
);

pub(crate) fn document_info(r: DocumentInfoRow) -> Result<crate::DocumentInfo, StoreError> {
    Ok(crate::DocumentInfo {
        total_wan: decimal(r.0, "documents.total_wan", r.10)?,
        id: r.0,
        key: r.1,
        version: r.2,
        is_latest: r.3,
        source_file: r.4,
        publisher: r.5,
        year: r.6,
        layout: r.7,
        content_hash: r.8,
        imported_at: r.9,
    })
}

/// Implements [`crate::Store`] for a backend struct with a `pool: sqlx::Pool<$db>` field, a
/// `begin_write` method, a `begin_import` method (the transaction `import_batch` writes in), a
/// `write_rows` function (bulk inserts differ most between the two) and a
/// `backend_checks` method; `$money` converts an `Option<Decimal>` to what the backend binds for a
/// money column.
macro_rules! store_impl {
    ($store:ty, $db:ty, $backend:expr, $money:path) => {
        impl $store {
            /// The first free id of each table; valid while the write transaction lasts.
            async fn next_ids(
                tx: &mut sqlx::Transaction<'static, $db>,
            ) -> $crate::Result<$crate::sql::NextIds> {
                let (document, unit, project, indicator, finding) =
                    sqlx::query_as($crate::sql::NEXT_IDS)
                        .fetch_one(&mut **tx)
                        .await?;
                Ok($crate::sql::NextIds {
                    document,
                    unit,
                    project,
                    indicator,
                    finding,
                })
            }

            /// The ids of the categories and advice texts `indicators` and `helps` need, adding
            /// those not stored yet (under the write lock, so no other writer adds them meanwhile).
            async fn lookups(
                tx: &mut sqlx::Transaction<'static, $db>,
                indicators: &[&jixiao_model::Indicator],
                helps: &[&str],
            ) -> $crate::Result<$crate::sql::Lookups> {
                use std::collections::HashSet;
                let mut lookups = $crate::sql::Lookups::default();
                if !indicators.is_empty() {
                    let stored: Vec<(i64, Option<String>, Option<String>, Option<String>, Option<String>)> =
                        sqlx::query_as(
                            "SELECT id, level1, level1_code, level2, level2_code \
                             FROM indicator_categories ORDER BY id",
                        )
                        .fetch_all(&mut **tx)
                        .await?;
                    let mut next = stored.iter().map(|r| r.0).max().unwrap_or(0) + 1;
                    lookups.categories = stored
                        .into_iter()
                        .map(|(id, a, b, c, d)| ([a, b, c, d], id))
                        .collect();
                    for indicator in indicators {
                        if lookups.category(indicator).is_some() {
                            continue;
                        }
                        let key = $crate::sql::category_of(indicator).map(|c| c.map(str::to_owned));
                        sqlx::query(
                            "INSERT INTO indicator_categories \
                             (id, level1, level1_code, level2, level2_code) \
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(next)
                        .bind(key[0].as_deref())
                        .bind(key[1].as_deref())
                        .bind(key[2].as_deref())
                        .bind(key[3].as_deref())
                        .execute(&mut **tx)
                        .await?;
                        lookups.categories.push((key, next));
                        next += 1;
                    }
                }
                // In the order the findings give them, so a new help gets the same id in every
                // import of the same files (a hash set's order changes from run to run).
                let mut seen: HashSet<&str> = HashSet::with_capacity(helps.len());
                let wanted: Vec<&str> = helps.iter().copied().filter(|h| seen.insert(h)).collect();
                if wanted.is_empty() {
                    return Ok(lookups);
                }
                for chunk in wanted.chunks($crate::sql::MAX_LIST) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT help, id FROM finding_helps WHERE help IN (",
                    );
                    let mut list = query.separated(", ");
                    for help in chunk {
                        list.push_bind(*help);
                    }
                    query.push(")");
                    let found: Vec<(String, i64)> = query
                        .build_query_as()
                        .persistent(false)
                        .fetch_all(&mut **tx)
                        .await?;
                    lookups.helps.extend(found);
                }
                let missing: Vec<&str> = wanted
                    .into_iter()
                    .filter(|help| !lookups.helps.contains_key(*help))
                    .collect();
                if !missing.is_empty() {
                    let mut next: i64 =
                        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM finding_helps")
                            .fetch_one(&mut **tx)
                            .await?;
                    for batch in $crate::sql::batches(&missing) {
                        let mut builder =
                            sqlx::QueryBuilder::<$db>::new("INSERT INTO finding_helps (id, help) ");
                        builder.push_values(batch, |mut b, help| {
                            b.push_bind(next).push_bind(*help);
                            lookups.helps.insert((*help).to_owned(), next);
                            next += 1;
                        });
                        builder.build().execute(&mut **tx).await?;
                    }
                }
                Ok(lookups)
            }

            /// Gives every version of the document `old_key` a new year, publisher and key, and
            /// numbers the versions of `new_key` again (another document may have had it).
            async fn update_metadata(
                tx: &mut sqlx::Transaction<'static, $db>,
                old_key: &str,
                new_key: &str,
                publisher: Option<&str>,
                year: Option<i64>,
            ) -> $crate::Result<()> {
                sqlx::query(
                    "UPDATE documents SET publisher = $1, year = $2, document_key = $3, \
                     version = -id WHERE document_key = $4",
                )
                .bind(publisher)
                .bind(year)
                .bind(new_key)
                .bind(old_key)
                .execute(&mut **tx)
                .await?;
                Self::renumber(tx, new_key).await
            }

            /// Numbers the versions of `key` 1, 2, … in the order they were stored (by id); the
            /// last is the latest.
            async fn renumber(
                tx: &mut sqlx::Transaction<'static, $db>,
                key: &str,
            ) -> $crate::Result<()> {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM documents WHERE document_key = $1 ORDER BY id",
                )
                .bind(key)
                .fetch_all(&mut **tx)
                .await?;
                // Out of the way of (key, version) first: negative versions are free.
                sqlx::query("UPDATE documents SET version = -id WHERE document_key = $1")
                    .bind(key)
                    .execute(&mut **tx)
                    .await?;
                for (index, id) in ids.iter().enumerate() {
                    sqlx::query("UPDATE documents SET version = $1, is_latest = $2 WHERE id = $3")
                        .bind(index as i64 + 1)
                        .bind(index + 1 == ids.len())
                        .bind(*id)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            /// The document each corpus-wide finding points at: the one read from the finding's
            /// file, or, when two latest documents were read from files of that name, the one
            /// with the finding's goal there.
            async fn place(
                &self,
                findings: Vec<jixiao_rules::Finding>,
                sources: &std::collections::HashMap<String, Vec<i64>>,
            ) -> $crate::Result<Vec<(i64, jixiao_rules::Finding)>> {
                use $crate::Store as _;
                let mut placed = Vec::with_capacity(findings.len());
                for finding in findings {
                    let Some(candidates) = sources.get(&*finding.span.file) else {
                        continue;
                    };
                    let mut document = candidates[candidates.len() - 1];
                    if candidates.len() > 1 {
                        for &id in candidates {
                            let model = self.load_document(id).await?;
                            let here = model.projects().any(|(_, p)| {
                                p.goal.as_ref().is_some_and(|g| {
                                    (g.span.line, g.span.start, g.span.end)
                                        == (finding.span.line, finding.span.start, finding.span.end)
                                })
                            });
                            if here {
                                document = id;
                                break;
                            }
                        }
                    }
                    placed.push((document, finding));
                }

                Ok(placed)
            }

            /// Brings rows stored under an older key scheme (before migration 0004) up to date:
            /// each document's key, versions and amounts in 万元 are computed again from its stored
            /// model, in one transaction. Cheap when there is nothing to do (a partial index finds
            /// the old rows).
            pub(crate) async fn upgrade_data(&self) -> $crate::Result<()> {
                use $crate::amounts;
                self.fill_scores().await?;
                let pending: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE key_scheme < 2")
                        .fetch_one(&self.pool)
                        .await?;
                if pending == 0 {
                    return Ok(());
                }
                let mut tx = self.begin_write().await?;
                type Old = (i64, String, i64, String, Option<String>, Option<i64>);
                let old: Vec<Old> = sqlx::query_as(
                    "SELECT id, content_hash, ordinal, source_file, publisher, year FROM documents \
                     WHERE key_scheme < 2 ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut repeats: std::collections::HashMap<(String, String), u32> =
                    std::collections::HashMap::new();
                let mut keys = std::collections::BTreeSet::new();
                for (id, hash, ordinal, source_file, publisher, year) in old {
                    let model: Vec<u8> = sqlx::query_scalar("SELECT model FROM documents WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let document = $crate::prepare::model_from_bytes(id, &model)?;
                    let mut key = $crate::identity::document_key(
                        publisher.as_deref(),
                        year.and_then(|y| i32::try_from(y).ok()),
                        &document,
                        &source_file,
                        &hash,
                        u32::try_from(ordinal).unwrap_or(0),
                    );
                    // Tables of one file with the same key, numbered as `prepare_file` does.
                    let repeat = repeats.entry((hash, key.clone())).or_insert(0);
                    if *repeat > 0 {
                        key = format!("{key}#{repeat}");
                    }
                    *repeat += 1;
                    let factor = amounts::document_factor(&document);
                    let wan = |value: Option<rust_decimal::Decimal>| {
                        factor.zip(value).map(|(f, v)| amounts::to_wan(v, f))
                    };
                    sqlx::query(
                        "UPDATE documents SET document_key = $1, version = -id, key_scheme = $2 \
                         WHERE id = $3",
                    )
                    .bind(key.as_str())
                    .bind($crate::KEY_SCHEME)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM document_totals WHERE document_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO document_totals (document_id, wan_factor, total_wan) \
                         VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind($money(factor))
                    .bind($money(wan(amounts::document_total(&document))))
                    .execute(&mut *tx)
                    .await?;
                    for (ordinal, unit) in document.units.iter().enumerate() {
                        if let Some(total) = wan(unit.amounts.total.as_ref().map(|a| a.value)) {
                            sqlx::query(
                                "UPDATE units SET total_wan = $1 WHERE document_id = $2 AND ordinal = $3",
                            )
                            .bind($money(Some(total)))
                            .bind(id)
                            .bind(ordinal as i64)
                            .execute(&mut *tx)
                            .await?;
                        }
                    }
                    for (ordinal, (_, project)) in document.projects().enumerate() {
                        if let Some(total) = wan(amounts::project_amount(project)) {
                            sqlx::query(
                                "UPDATE projects SET total_wan = $1 WHERE document_id = $2 AND ordinal = $3",
                            )
                            .bind($money(Some(total)))
                            .bind(id)
                            .bind(ordinal as i64)
                            .execute(&mut *tx)
                            .await?;
                        }
                    }
                    keys.insert(key);
                }
                for key in keys {
                    Self::renumber(&mut tx, &key).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            /// Writes the documents in order in the caller's write transaction, as if one by one
            /// (a later document sees an earlier one as stored or as its previous version), with
            /// a fixed number of statements however many documents there are: what is stored is
            /// looked up for all of them at once, versions are worked out in memory, and the rows
            /// go in table by table, many documents to a statement. Statements are round trips
            /// to another thread or process, and on a busy machine each waits to be scheduled.
            async fn write_documents(
                tx: &mut sqlx::Transaction<'static, $db>,
                documents: &[$crate::PreparedDocument],
            ) -> $crate::Result<Vec<$crate::ImportOutcome>> {
                use std::collections::{HashMap, HashSet};
                use $crate::ImportOutcome;
                use $crate::sql::{Rows, batches};
                if documents.is_empty() {
                    return Ok(Vec::new());
                }
                // The lists vary in length from batch to batch, so these statements are not
                // kept prepared (`persistent(false)`).
                let hashes: HashSet<&str> =
                    documents.iter().map(|d| d.meta.content_hash.as_str()).collect();
                let hashes: Vec<&str> = hashes.into_iter().collect();
                // Content hash and ordinal → id, version, key, publisher, year.
                type Stored = (i64, i64, String, Option<String>, Option<i64>);
                let mut stored: HashMap<(String, i64), Stored> = HashMap::new();
                for chunk in hashes.chunks($crate::sql::MAX_LIST) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT content_hash, ordinal, id, version, document_key, publisher, year \
                         FROM documents WHERE content_hash IN (",
                    );
                    let mut list = query.separated(", ");
                    for hash in chunk {
                        list.push_bind(*hash);
                    }
                    query.push(")");
                    let found: Vec<(String, i64, i64, i64, String, Option<String>, Option<i64>)> =
                        query
                            .build_query_as()
                            .persistent(false)
                            .fetch_all(&mut **tx)
                            .await?;
                    stored.extend(found.into_iter().map(
                        |(hash, ordinal, id, version, key, publisher, year)| {
                            ((hash, ordinal), (id, version, key, publisher, year))
                        },
                    ));
                }
                let keys: HashSet<&str> = documents.iter().map(|d| d.meta.key.as_str()).collect();
                let keys: Vec<&str> = keys.into_iter().collect();
                let mut latest: HashMap<String, i64> = HashMap::new();
                for chunk in keys.chunks($crate::sql::MAX_LIST) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT document_key, MAX(version) FROM documents WHERE document_key IN (",
                    );
                    let mut list = query.separated(", ");
                    for key in chunk {
                        list.push_bind(*key);
                    }
                    query.push(") GROUP BY document_key");
                    let found: Vec<(String, i64)> = query
                        .build_query_as()
                        .persistent(false)
                        .fetch_all(&mut **tx)
                        .await?;
                    latest.extend(found);
                }

                let mut next = Self::next_ids(tx).await?;
                let mut outcomes = Vec::with_capacity(documents.len());
                // Document, id, version, whether it is still the latest at the end of the batch.
                let mut new: Vec<(&$crate::PreparedDocument, i64, i64, bool)> = Vec::new();
                let mut rows = Vec::new();
                let mut new_by_key: HashMap<&str, usize> = HashMap::new();
                let mut superseded: Vec<&str> = Vec::new();
                for prepared in documents {
                    let meta = &prepared.meta;
                    let content = (meta.content_hash.clone(), i64::from(meta.ordinal));
                    if let Some((id, version, key, publisher, year)) = stored.get(&content) {
                        let (id, version) = (*id, *version);
                        let year_now = if meta.year_given { meta.year.map(i64::from) } else { *year };
                        let publisher_now = if meta.publisher_given {
                            meta.publisher.clone()
                        } else {
                            publisher.clone()
                        };
                        if year_now == *year && publisher_now == *publisher {
                            outcomes.push(ImportOutcome::Unchanged { id, version });
                        } else {
                            let new_key = $crate::identity::rekeyed(
                                &meta.key,
                                publisher_now.as_deref(),
                                year_now,
                                prepared,
                            );
                            Self::update_metadata(
                                tx,
                                key,
                                &new_key,
                                publisher_now.as_deref(),
                                year_now,
                            )
                            .await?;
                            let version: i64 = sqlx::query_scalar(
                                "SELECT version FROM documents WHERE id = $1",
                            )
                            .bind(id)
                            .fetch_one(&mut **tx)
                            .await?;
                            outcomes.push(ImportOutcome::Updated { id, version });
                        }
                        continue;
                    }
                    let previous = latest.get(&meta.key).copied();
                    let version = previous.unwrap_or(0) + 1;
                    match new_by_key.get(meta.key.as_str()) {
                        Some(&earlier) => new[earlier].3 = false,
                        None if previous.is_some() => superseded.push(&meta.key),
                        None => {}
                    }
                    let id = next.document;
                    let document_rows = Rows::new(prepared, &next);
                    next.advance_past(&document_rows);
                    rows.push(document_rows);
                    stored.insert(
                        content,
                        (
                            id,
                            version,
                            meta.key.clone(),
                            meta.publisher.clone(),
                            meta.year.map(i64::from),
                        ),
                    );
                    latest.insert(meta.key.clone(), version);
                    new_by_key.insert(&meta.key, new.len());
                    new.push((prepared, id, version, true));
                    outcomes.push(if version == 1 {
                        ImportOutcome::Imported { id }
                    } else {
                        ImportOutcome::NewVersion { id, version }
                    });
                }
                for chunk in superseded.chunks($crate::sql::MAX_LIST) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "UPDATE documents SET is_latest = FALSE WHERE is_latest AND document_key IN (",
                    );
                    let mut list = query.separated(", ");
                    for key in chunk {
                        list.push_bind(*key);
                    }
                    query.push(")");
                    query.build().persistent(false).execute(&mut **tx).await?;
                }
                if !new.is_empty()
                    || outcomes
                        .iter()
                        .any(|o| matches!(o, ImportOutcome::Updated { .. }))
                {
                    // What the corpus-wide findings were computed for is out of date now.
                    sqlx::query("UPDATE corpus_state SET generation = generation + 1 WHERE id = 1")
                        .execute(&mut **tx)
                        .await?;
                }
                for batch in batches(&new) {
                    let mut builder = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO documents (id, document_key, version, is_latest, \
                         content_hash, ordinal, source_file, publisher, year, layout, title, \
                         amount_unit, encoding, grand_total, grand_fiscal, \
                         grand_special_account, grand_other, model, key_scheme) ",
                    );
                    builder.push_values(batch, |mut b, (prepared, id, version, is_latest)| {
                        let meta = &prepared.meta;
                        let document = &prepared.document;
                        let grand = document.grand_total.as_ref().map(|g| &g.amounts);
                        let grand_money = |column: jixiao_model::AmountColumn| {
                            $money(grand.and_then(|a| a.get(column)).map(|a| a.value))
                        };
                        b.push_bind(*id)
                            .push_bind(meta.key.as_str())
                            .push_bind(*version)
                            .push_bind(*is_latest)
                            .push_bind(meta.content_hash.as_str())
                            .push_bind(i64::from(meta.ordinal))
                            .push_bind(meta.source_file.as_str())
                            .push_bind(meta.publisher.as_deref())
                            .push_bind(meta.year.map(i64::from))
                            .push_bind(document.layout.name())
                            .push_bind(document.title.as_ref().map(|t| t.text.as_str()))
                            .push_bind(document.amount_unit.as_ref().map(|t| t.text.as_str()))
                            .push_bind(document.encoding.as_str())
                            .push_bind(grand_money(jixiao_model::AmountColumn::Total))
                            .push_bind(grand_money(jixiao_model::AmountColumn::Fiscal))
                            .push_bind(grand_money(jixiao_model::AmountColumn::SpecialAccount))
                            .push_bind(grand_money(jixiao_model::AmountColumn::Other))
                            .push_bind(prepared.model.as_slice())
                            .push_bind($crate::KEY_SCHEME);
                    });
                    builder.build().execute(&mut **tx).await?;
                    let mut totals = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO document_totals (document_id, wan_factor, total_wan) ",
                    );
                    totals.push_values(batch, |mut b, (prepared, id, _, _)| {
                        b.push_bind(*id)
                            .push_bind($money(prepared.wan_factor))
                            .push_bind($money(prepared.total_wan));
                    });
                    totals.build().execute(&mut **tx).await?;
                }
                let indicators: Vec<&jixiao_model::Indicator> = rows
                    .iter()
                    .flat_map(|r| r.indicators.iter().map(|i| i.3))
                    .collect();
                let helps: Vec<&str> = rows
                    .iter()
                    .flat_map(|r| r.findings.iter().map(|f| &*f.3.help))
                    .collect();
                let lookups = Self::lookups(tx, &indicators, &helps).await?;
                Self::write_rows(tx, &rows, &lookups).await?;
                Self::write_scores(tx, &new, &rows).await?;
                Ok(outcomes)
            }

            /// Inserts the self-evaluation scores of the new documents (`new` and `rows` in the
            /// same order), many rows to a statement.
            async fn write_scores(
                tx: &mut sqlx::Transaction<'static, $db>,
                new: &[(&$crate::PreparedDocument, i64, i64, bool)],
                rows: &[$crate::sql::Rows<'_>],
            ) -> $crate::Result<()> {
                let scores: Vec<(i64, i64, &$crate::PreparedScore)> = new
                    .iter()
                    .zip(rows)
                    .flat_map(|((prepared, _, _, _), rows)| {
                        prepared.scores.iter().filter_map(move |score| {
                            let project = rows.projects.get(score.project)?.0;
                            Some((rows.document, project, score))
                        })
                    })
                    .collect();
                Self::insert_scores(tx, &scores).await
            }

            /// Inserts score rows (document id, project id, score), many rows to a statement.
            async fn insert_scores(
                tx: &mut sqlx::Transaction<'static, $db>,
                scores: &[(i64, i64, &$crate::PreparedScore)],
            ) -> $crate::Result<()> {
                for batch in $crate::sql::batches(scores) {
                    let mut builder = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO project_scores (project_id, document_id, policy, \
                         published_total, published_grade, published_rank, recomputed_total, \
                         recomputed_grade, recomputed_rank, basis) ",
                    );
                    builder.push_values(batch, |mut b, (document, project, score)| {
                        b.push_bind(*project)
                            .push_bind(*document)
                            .push_bind(score.policy.as_str())
                            .push_bind($money(score.published_total))
                            .push_bind(score.published_grade.as_deref())
                            .push_bind(score.published_rank)
                            .push_bind($money(Some(score.recomputed_total)))
                            .push_bind(score.recomputed_grade.map(|g| g.label()))
                            .push_bind(score.recomputed_rank())
                            .push_bind($crate::scores::basis_name(score.basis));
                    });
                    builder.build().execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// Scores the documents stored before migration 0012 (listed in `scores_pending`)
            /// from their stored models, under the national policy, in one transaction. Cheap
            /// when there is nothing to do.
            async fn fill_scores(&self) -> $crate::Result<()> {
                let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scores_pending")
                    .fetch_one(&self.pool)
                    .await?;
                if pending == 0 {
                    return Ok(());
                }
                let mut tx = self.begin_write().await?;
                // Read again under the write lock: another process may have filled them.
                let ids: Vec<i64> =
                    sqlx::query_scalar("SELECT document_id FROM scores_pending ORDER BY document_id")
                        .fetch_all(&mut *tx)
                        .await?;
                let policy = jixiao_score::Policy::default();
                for id in ids {
                    let model: Vec<u8> =
                        sqlx::query_scalar("SELECT model FROM documents WHERE id = $1")
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                    let document = $crate::prepare::model_from_bytes(id, &model)?;
                    let scores = $crate::scores::score_rows(&document, &policy);
                    if !scores.is_empty() {
                        let projects: Vec<i64> = sqlx::query_scalar(
                            "SELECT id FROM projects WHERE document_id = $1 ORDER BY ordinal",
                        )
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await?;
                        let rows: Vec<(i64, i64, &$crate::PreparedScore)> = scores
                            .iter()
                            .filter_map(|score| Some((id, *projects.get(score.project)?, score)))
                            .collect();
                        Self::insert_scores(&mut tx, &rows).await?;
                    }
                    sqlx::query("DELETE FROM scores_pending WHERE document_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> $crate::Backend {
                $backend
            }

            async fn schema_version(&self) -> $crate::Result<i64> {
                let version: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM _sqlx_migrations WHERE success",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(version.unwrap_or(0))
            }

            async fn import(
                &self,
                prepared: &$crate::PreparedDocument,
            ) -> $crate::Result<$crate::ImportOutcome> {
                let mut outcomes = self.import_batch(std::slice::from_ref(prepared)).await?;
                // One document in, one outcome out.
                outcomes
                    .pop()
                    .ok_or($crate::StoreError::Database(sqlx::Error::RowNotFound))
            }

            async fn import_batch(
                &self,
                documents: &[$crate::PreparedDocument],
            ) -> $crate::Result<Vec<$crate::ImportOutcome>> {
                let mut tx = self.begin_import().await?;
                let outcomes = Self::write_documents(&mut tx, documents).await?;
                tx.commit().await?;
                Ok(outcomes)
            }

            async fn documents(
                &self,
                filter: &$crate::Filter,
                all_versions: bool,
            ) -> $crate::Result<Vec<$crate::DocumentInfo>> {
                let query = format!(
                    "{} WHERE ($3 OR d.is_latest) \
                     AND ($1 IS NULL OR d.publisher LIKE $1 ESCAPE '\\') \
                     AND ($2 IS NULL OR d.year = $2) \
                     ORDER BY document_key, version DESC",
                    $crate::sql::DOCUMENT_INFO_SELECT
                );
                let rows: Vec<$crate::sql::DocumentInfoRow> = sqlx::query_as(&query)
                    .bind(filter.publisher_pattern())
                    .bind(filter.year())
                    .bind(all_versions)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map($crate::sql::document_info).collect()
            }

            async fn load_document(&self, id: i64) -> $crate::Result<jixiao_model::Document> {
                let model: Option<Vec<u8>> =
                    sqlx::query_scalar("SELECT model FROM documents WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                let model = model.ok_or($crate::StoreError::NotFound { what: "文档", id })?;
                $crate::prepare::model_from_bytes(id, &model)
            }

            async fn overview(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::OverviewRow>> {
                use $crate::sql::{FILTER, decimal};
                type Row = (i64, Option<String>, Option<i64>, Option<String>, i64, i64, i64, i64);
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT d.id, d.publisher, d.year, CAST(t.total_wan AS TEXT), \
                     (SELECT COUNT(*) FROM units u WHERE u.document_id = d.id AND NOT u.implicit), \
                     (SELECT COUNT(*) FROM projects p WHERE p.document_id = d.id), \
                     (SELECT COUNT(*) FROM indicators i WHERE i.document_id = d.id), \
                     (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id) \
                     FROM documents d LEFT JOIN document_totals t ON t.document_id = d.id \
                     WHERE {FILTER} ORDER BY d.id"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                let mut groups: std::collections::BTreeMap<
                    (Option<String>, Option<i64>),
                    $crate::OverviewRow,
                > = std::collections::BTreeMap::new();
                for (id, publisher, year, total, units, projects, indicators, findings) in rows {
                    let total = decimal(id, "documents.total_wan", total)?;
                    let row = groups
                        .entry((publisher.clone(), year))
                        .or_insert_with(|| $crate::OverviewRow {
                            publisher,
                            year,
                            documents: 0,
                            units: 0,
                            projects: 0,
                            indicators: 0,
                            findings: 0,
                            total_wan: None,
                            without_amounts: 0,
                        });
                    row.documents += 1;
                    row.units += units;
                    row.projects += projects;
                    row.indicators += indicators;
                    row.findings += findings;
                    match total {
                        Some(total) => {
                            row.total_wan = Some(row.total_wan.unwrap_or_default() + total);
                        }
                        None => row.without_amounts += 1,
                    }
                }
                Ok(groups.into_values().collect())
            }

            async fn department(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::DepartmentRow>> {
                use $crate::sql::{FILTER, decimal};
                type UnitRow = (
                    i64,
                    Option<String>,
                    Option<i64>,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    i64,
                    i64,
                );
                type ProjectRow = (
                    i64,
                    i64,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    i64,
                    i64,
                );
                let units: Vec<UnitRow> = sqlx::query_as(&format!(
                    "SELECT u.id, d.publisher, d.year, u.name, CAST(u.total_wan AS TEXT), \
                     CAST(u.fiscal AS TEXT), CAST(u.special_account AS TEXT), \
                     CAST(u.other AS TEXT), d.amount_unit, CAST(t.wan_factor AS TEXT), \
                     (SELECT COUNT(*) FROM indicators i JOIN projects p ON p.id = i.project_id \
                      WHERE p.unit_id = u.id), \
                     (SELECT COUNT(*) FROM findings f JOIN projects p ON p.id = f.project_id \
                      WHERE p.unit_id = u.id) \
                     FROM units u JOIN documents d ON d.id = u.document_id \
                     LEFT JOIN document_totals t ON t.document_id = d.id \
                     WHERE {FILTER} ORDER BY d.publisher, d.year, d.id, u.ordinal"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                let projects: Vec<ProjectRow> = sqlx::query_as(&format!(
                    "SELECT p.id, p.unit_id, p.name, CAST(p.total_wan AS TEXT), \
                     CAST(p.fiscal AS TEXT), CAST(p.special_account AS TEXT), \
                     CAST(p.other AS TEXT), \
                     (SELECT COUNT(*) FROM indicators i WHERE i.project_id = p.id), \
                     (SELECT COUNT(*) FROM findings f WHERE f.project_id = p.id) \
                     FROM projects p JOIN documents d ON d.id = p.document_id \
                     WHERE {FILTER} ORDER BY p.document_id, p.ordinal"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                let mut by_unit: std::collections::HashMap<i64, Vec<ProjectRow>> =
                    std::collections::HashMap::new();
                for project in projects {
                    by_unit.entry(project.1).or_default().push(project);
                }
                let mut out = Vec::new();
                for (
                    id,
                    publisher,
                    year,
                    name,
                    total,
                    fiscal,
                    special,
                    other,
                    amount_unit,
                    factor,
                    indicators,
                    findings,
                ) in units
                {
                    let factor = decimal(id, "documents.wan_factor", factor)?;
                    let wan = |field: &'static str, value: Option<String>| {
                        Ok::<_, $crate::StoreError>(
                            factor
                                .zip(decimal(id, field, value)?)
                                .map(|(f, v)| $crate::amounts::to_wan(v, f)),
                        )
                    };
                    out.push($crate::DepartmentRow {
                        publisher: publisher.clone(),
                        year,
                        unit: name.clone(),
                        project: None,
                        amount_unit: amount_unit.clone(),
                        total: decimal(id, "units.total_wan", total)?,
                        fiscal: wan("units.fiscal", fiscal)?,
                        special_account: wan("units.special_account", special)?,
                        other: wan("units.other", other)?,
                        indicators,
                        findings,
                    });
                    for (pid, _, project, total, fiscal, special, other, indicators, findings) in
                        by_unit.remove(&id).unwrap_or_default()
                    {
                        let wan = |field: &'static str, value: Option<String>| {
                            Ok::<_, $crate::StoreError>(
                                factor
                                    .zip(decimal(pid, field, value)?)
                                    .map(|(f, v)| $crate::amounts::to_wan(v, f)),
                            )
                        };
                        out.push($crate::DepartmentRow {
                            publisher: publisher.clone(),
                            year,
                            unit: name.clone(),
                            project: Some(project),
                            amount_unit: amount_unit.clone(),
                            total: decimal(pid, "projects.total_wan", total)?,
                            fiscal: wan("projects.fiscal", fiscal)?,
                            special_account: wan("projects.special_account", special)?,
                            other: wan("projects.other", other)?,
                            indicators,
                            findings,
                        });
                    }
                }
                Ok(out)
            }

            async fn finding_counts(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::FindingCount>> {
                use $crate::sql::FILTER;
                let rows: Vec<(String, String, String, i64)> = sqlx::query_as(&format!(
                    "SELECT f.code, f.severity, f.review_state, COUNT(*) FROM findings f \
                     JOIN documents d ON d.id = f.document_id WHERE {FILTER} \
                     GROUP BY f.code, f.severity, f.review_state"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                let mut counts: std::collections::BTreeMap<(String, String), $crate::FindingCount> =
                    std::collections::BTreeMap::new();
                for (code, severity, state, count) in rows {
                    let entry = counts
                        .entry((code.clone(), severity.clone()))
                        .or_insert_with(|| $crate::FindingCount {
                            code,
                            severity,
                            total: 0,
                            open: 0,
                            accepted: 0,
                            dismissed: 0,
                        });
                    entry.total += count;
                    match $crate::ReviewState::from_name(&state) {
                        Some($crate::ReviewState::Accepted) => entry.accepted += count,
                        Some($crate::ReviewState::Dismissed) => entry.dismissed += count,
                        _ => entry.open += count,
                    }
                }
                Ok(counts.into_values().collect())
            }

            async fn findings(&self, document_id: i64) -> $crate::Result<Vec<$crate::FindingRow>> {
                type Row = (
                    i64,
                    String,
                    String,
                    String,
                    String,
                    Option<String>,
                    Option<i64>,
                    i64,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                );
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT f.id, f.code, f.severity, f.message, COALESCE(h.help, ''), p.name, \
                     i.seq, f.span_line, f.review_state, f.reviewed_by, \
                     CAST(f.reviewed_at AS TEXT), f.review_comment \
                     FROM findings f \
                     LEFT JOIN finding_helps h ON h.id = f.help_id \
                     LEFT JOIN projects p ON p.id = f.project_id \
                     LEFT JOIN indicators i ON i.id = f.indicator_id \
                     WHERE f.document_id = $1 ORDER BY f.id",
                )
                .bind(document_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| $crate::FindingRow {
                        id: r.0,
                        code: r.1,
                        severity: r.2,
                        message: r.3,
                        help: r.4,
                        project: r.5,
                        indicator_seq: r.6,
                        line: r.7,
                        review_state: $crate::ReviewState::from_name(&r.8)
                            .unwrap_or($crate::ReviewState::Open),
                        reviewed_by: r.9,
                        reviewed_at: r.10,
                        review_comment: r.11,
                    })
                    .collect())
            }

            async fn review_finding(
                &self,
                finding_id: i64,
                state: $crate::ReviewState,
                by: &str,
                comment: Option<&str>,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE findings SET review_state = $1, reviewed_by = $2, \
                     reviewed_at = CURRENT_TIMESTAMP, review_comment = $3 WHERE id = $4",
                )
                .bind(state.name())
                .bind(by)
                .bind(comment)
                .bind(finding_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound {
                        what: "问题",
                        id: finding_id,
                    });
                }
                sqlx::query(
                    "UPDATE corpus_state SET review_generation = review_generation + 1 WHERE id = 1",
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn search_from(
                &self,
                text: &str,
                filter: &$crate::Filter,
                limit: i64,
                offset: i64,
            ) -> $crate::Result<Vec<$crate::SearchHit>> {
                use $crate::sql::FILTER;
                type Row = (
                    i64,
                    Option<String>,
                    Option<i64>,
                    String,
                    String,
                    i64,
                    Option<String>,
                    String,
                    Option<String>,
                    Option<String>,
                    i64,
                );
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT d.id, d.publisher, d.year, u.name, p.name, i.seq, c.level1, i.name, \
                     i.annual_raw, i.annual_kind, i.span_line \
                     FROM indicators i JOIN projects p ON p.id = i.project_id \
                     JOIN units u ON u.id = p.unit_id JOIN documents d ON d.id = i.document_id \
                     LEFT JOIN indicator_categories c ON c.id = i.category_id \
                     WHERE {FILTER} AND (i.name LIKE $3 ESCAPE '\\' \
                     OR i.annual_raw LIKE $3 ESCAPE '\\' OR i.period_raw LIKE $3 ESCAPE '\\') \
                     ORDER BY d.publisher, d.year, i.id LIMIT $4 OFFSET $5"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .bind($crate::reports::like_pattern(text))
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| $crate::SearchHit {
                        document_id: r.0,
                        publisher: r.1,
                        year: r.2,
                        unit: r.3,
                        project: r.4,
                        seq: r.5,
                        level1: r.6,
                        name: r.7,
                        annual_raw: r.8,
                        annual_kind: r.9,
                        line: r.10,
                    })
                    .collect())
            }

            async fn project_history(
                &self,
                name: &str,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::HistoryRow>> {
                use $crate::sql::{FILTER, decimal};
                type Row = (
                    i64,
                    String,
                    Option<String>,
                    Option<i64>,
                    i64,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    i64,
                    i64,
                );
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT p.id, p.name, d.publisher, d.year, d.version, u.name, \
                     CAST(p.total_wan AS TEXT), CAST(p.fiscal AS TEXT), \
                     CAST(p.special_account AS TEXT), CAST(p.other AS TEXT), \
                     d.amount_unit, CAST(t.wan_factor AS TEXT), \
                     (SELECT COUNT(*) FROM indicators i WHERE i.project_id = p.id), \
                     (SELECT COUNT(*) FROM findings f WHERE f.project_id = p.id) \
                     FROM projects p JOIN units u ON u.id = p.unit_id \
                     JOIN documents d ON d.id = p.document_id \
                     LEFT JOIN document_totals t ON t.document_id = d.id \
                     WHERE {FILTER} AND p.name LIKE $3 ESCAPE '\\' \
                     ORDER BY p.name, d.publisher, d.year, p.id"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .bind($crate::reports::like_pattern(name))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|r| {
                        let factor = decimal(r.0, "documents.wan_factor", r.11)?;
                        let wan = |field: &'static str, value: Option<String>| {
                            Ok::<_, $crate::StoreError>(
                                factor
                                    .zip(decimal(r.0, field, value)?)
                                    .map(|(f, v)| $crate::amounts::to_wan(v, f)),
                            )
                        };
                        Ok($crate::HistoryRow {
                            project: r.1,
                            publisher: r.2,
                            year: r.3,
                            version: r.4,
                            unit: r.5,
                            amount_unit: r.10,
                            total: decimal(r.0, "projects.total_wan", r.6)?,
                            fiscal: wan("projects.fiscal", r.7)?,
                            special_account: wan("projects.special_account", r.8)?,
                            other: wan("projects.other", r.9)?,
                            indicators: r.12,
                            findings: r.13,
                        })
                    })
                    .collect()
            }

            async fn export(
                &self,
                filter: &$crate::Filter,
                sink: &mut $crate::RowSink<'_>,
            ) -> $crate::Result<u64> {
                use futures_util::TryStreamExt as _;
                use sqlx::Row as _;
                use $crate::sql::{FILTER, decimal};
                let sql = format!(
                    "SELECT d.id, d.source_file, d.publisher, d.year, d.version, d.layout, \
                     d.amount_unit, u.name, p.name, CAST(p.total AS TEXT), \
                     CAST(p.fiscal AS TEXT), CAST(p.special_account AS TEXT), \
                     CAST(p.other AS TEXT), CAST(p.total_wan AS TEXT), i.seq, c.level1, \
                     c.level1_code, c.level2, \
                     c.level2_code, i.level2_inferred, i.name, i.annual_raw, i.annual_kind, \
                     i.annual_comparator, CAST(i.annual_number AS TEXT), i.annual_unit, \
                     i.period_raw, i.span_line \
                     FROM indicators i JOIN projects p ON p.id = i.project_id \
                     JOIN units u ON u.id = p.unit_id JOIN documents d ON d.id = i.document_id \
                     LEFT JOIN indicator_categories c ON c.id = i.category_id \
                     WHERE {FILTER} ORDER BY d.id, i.id"
                );
                let mut rows = sqlx::query(&sql)
                    .bind(filter.publisher_pattern())
                    .bind(filter.year())
                    .fetch(&self.pool);
                let mut count = 0;
                while let Some(row) = rows.try_next().await? {
                    let id: i64 = row.try_get(0)?;
                    let export = $crate::ExportRow {
                        document_id: id,
                        source_file: row.try_get(1)?,
                        publisher: row.try_get(2)?,
                        year: row.try_get(3)?,
                        version: row.try_get(4)?,
                        layout: row.try_get(5)?,
                        amount_unit: row.try_get(6)?,
                        unit: row.try_get(7)?,
                        project: row.try_get(8)?,
                        project_total: decimal(id, "projects.total", row.try_get(9)?)?,
                        project_fiscal: decimal(id, "projects.fiscal", row.try_get(10)?)?,
                        project_special_account: decimal(
                            id,
                            "projects.special_account",
                            row.try_get(11)?,
                        )?,
                        project_other: decimal(id, "projects.other", row.try_get(12)?)?,
                        project_total_wan: decimal(id, "projects.total_wan", row.try_get(13)?)?,
                        seq: row.try_get(14)?,
                        level1: row.try_get(15)?,
                        level1_code: row.try_get(16)?,
                        level2: row.try_get(17)?,
                        level2_code: row.try_get(18)?,
                        level2_inferred: row.try_get(19)?,
                        name: row.try_get(20)?,
                        annual_raw: row.try_get(21)?,
                        annual_kind: row.try_get(22)?,
                        annual_comparator: row.try_get(23)?,
                        annual_number: decimal(id, "indicators.annual_number", row.try_get(24)?)?,
                        annual_unit: row.try_get(25)?,
                        period_raw: row.try_get(26)?,
                        line: row.try_get(27)?,
                    };
                    sink(&export).map_err($crate::StoreError::Sink)?;
                    count += 1;
                }
                Ok(count)
            }

            async fn corpus_findings_stale(&self) -> $crate::Result<bool> {
                let (generation, computed): (i64, i64) = sqlx::query_as(
                    "SELECT generation, findings_generation FROM corpus_state WHERE id = 1",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(generation != computed)
            }

            async fn refresh_corpus_findings(
                &self,
                settings: &jixiao_rules::Settings,
            ) -> $crate::Result<usize> {
                use futures_util::TryStreamExt as _;
                use std::collections::HashMap;
                use $crate::StoreError;
                let generation: i64 =
                    sqlx::query_scalar("SELECT generation FROM corpus_state WHERE id = 1")
                        .fetch_one(&self.pool)
                        .await?;
                let mut checker = jixiao_rules::Checker::new(settings.clone())
                    .with_scratch(&$crate::sql::temporary_file)
                    .map_err(StoreError::Scratch)?;
                // Which documents a finding's file may be: one, unless two latest tables were
                // read from files of the same name.
                let mut sources: HashMap<String, Vec<i64>> = HashMap::new();
                {
                    let mut rows = sqlx::query_as::<_, (i64, Vec<u8>)>(
                        "SELECT id, model FROM documents WHERE is_latest ORDER BY id",
                    )
                    .fetch(&self.pool);
                    while let Some((id, model)) = rows.try_next().await? {
                        let document = $crate::prepare::model_from_bytes(id, &model)?;
                        sources.entry(document.source.clone()).or_default().push(id);
                        checker.observe(std::slice::from_ref(&document));
                    }
                }
                let findings = checker.try_finish().map_err(StoreError::Scratch)?;
                let placed = self.place(findings, &sources).await?;
                self.replace_corpus_findings(placed, generation).await
            }

            async fn corpus_generation(&self) -> $crate::Result<i64> {
                Ok(
                    sqlx::query_scalar("SELECT generation FROM corpus_state WHERE id = 1")
                        .fetch_one(&self.pool)
                        .await?,
                )
            }

            async fn corpus_version(&self) -> $crate::Result<$crate::CorpusVersion> {
                let (generation, findings_generation, review_generation): (i64, i64, i64) =
                    sqlx::query_as(
                        "SELECT generation, findings_generation, review_generation \
                         FROM corpus_state WHERE id = 1",
                    )
                    .fetch_one(&self.pool)
                    .await?;
                Ok($crate::CorpusVersion {
                    generation,
                    findings_generation,
                    review_generation,
                })
            }

            async fn document_finding_counts(
                &self,
                filter: &$crate::Filter,
                all_versions: bool,
            ) -> $crate::Result<Vec<$crate::DocumentFindingCount>> {
                use $crate::sql::{ALL_VERSIONS_FILTER, FILTER};
                let filter_sql = if all_versions { ALL_VERSIONS_FILTER } else { FILTER };
                let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(&format!(
                    // Documents first, then their findings by index: a join let SQLite scan
                    // every finding of the corpus for one publisher's tables (20 times slower).
                    "SELECT f.document_id, f.code, f.severity, COUNT(*) FROM findings f \
                     WHERE f.document_id IN (SELECT d.id FROM documents d WHERE {filter_sql}) \
                     GROUP BY f.document_id, f.code, f.severity ORDER BY f.document_id"
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(document_id, code, severity, count)| $crate::DocumentFindingCount {
                        document_id,
                        code,
                        severity,
                        count,
                    })
                    .collect())
            }

            async fn document_finding_marks(
                &self,
            ) -> $crate::Result<Vec<$crate::DocumentFindingMarks>> {
                // A row per document, its codes and severities joined with commas (neither
                // holds one): a row per code and severity was seven a document, and reading the
                // generated corpus's 50,000 through the driver took 0.15 s of an import.
                let (codes, severities) = match $backend {
                    $crate::Backend::Sqlite => {
                        ("group_concat(DISTINCT f.code)", "group_concat(DISTINCT f.severity)")
                    }
                    $crate::Backend::Postgres => (
                        "string_agg(DISTINCT f.code, ',')",
                        "string_agg(DISTINCT f.severity, ',')",
                    ),
                };
                let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
                    "SELECT f.document_id, {codes}, {severities} FROM findings f \
                     WHERE f.document_id IN (SELECT d.id FROM documents d WHERE d.is_latest) \
                     GROUP BY f.document_id ORDER BY f.document_id"
                ))
                .fetch_all(&self.pool)
                .await?;
                let split = |joined: &str| {
                    let mut parts: Vec<String> = joined.split(',').map(str::to_owned).collect();
                    parts.sort_unstable();
                    parts.dedup();
                    parts
                };
                Ok(rows
                    .into_iter()
                    .map(|(document_id, codes, severities)| $crate::DocumentFindingMarks {
                        document_id,
                        codes: split(&codes),
                        severities: split(&severities),
                    })
                    .collect())
            }

            async fn replace_corpus_findings(
                &self,
                placed: Vec<(i64, jixiao_rules::Finding)>,
                generation: i64,
            ) -> $crate::Result<usize> {
                use std::collections::HashMap;
                let mut tx = self.begin_write().await?;
                type Old = (i64, String, i64, i64, i64, i64, String);
                let old: Vec<Old> = sqlx::query_as(
                    "SELECT id, code, document_id, span_line, span_start, span_end, message \
                     FROM findings WHERE corpus",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut old: HashMap<(String, i64, i64, i64, i64, String), i64> = old
                    .into_iter()
                    .map(|(id, code, document, line, start, end, message)| {
                        ((code, document, line, start, end, message), id)
                    })
                    .collect();
                let mut next = Self::next_ids(&mut tx).await?;
                let helps: Vec<&str> = placed.iter().map(|(_, f)| &*f.help).collect();
                let lookups = Self::lookups(&mut tx, &[], &helps).await?;
                let count = placed.len();
                for (document, finding) in placed {
                    let span = &finding.span;
                    let same = (
                        finding.code.to_owned(),
                        document,
                        i64::from(span.line),
                        i64::from(span.start),
                        i64::from(span.end),
                        finding.message.to_string(),
                    );
                    // Found again: it stays, with its review state.
                    if old.remove(&same).is_some() {
                        continue;
                    }
                    let project: Option<i64> = match (&finding.unit, &finding.project) {
                        (Some(unit), Some(project)) => {
                            sqlx::query_scalar(
                                "SELECT p.id FROM projects p JOIN units u ON u.id = p.unit_id \
                                 WHERE p.document_id = $1 AND p.name = $2 AND u.name = $3 \
                                 ORDER BY p.id LIMIT 1",
                            )
                            .bind(document)
                            .bind(project.as_str())
                            .bind(unit.as_str())
                            .fetch_optional(&mut *tx)
                            .await?
                        }
                        _ => None,
                    };
                    let at = $crate::sql::SpanColumns::of(span);
                    sqlx::query(&format!(
                        "INSERT INTO findings (id, document_id, project_id, indicator_id, code, \
                         severity, message, help_id, corpus, {}) \
                         VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, TRUE, \
                         $8, $9, $10, $11, $12, $13, $14)",
                        $crate::sql::SPAN_COLUMNS
                    ))
                    .bind(next.finding)
                    .bind(document)
                    .bind(project)
                    .bind(finding.code)
                    .bind(finding.severity.to_string())
                    .bind(finding.message.as_str())
                    .bind(lookups.help(&finding.help))
                    .bind(at.line)
                    .bind(at.start)
                    .bind(at.end)
                    .bind(at.sheet)
                    .bind(at.page)
                    .bind(at.row)
                    .bind(at.col)
                    .execute(&mut *tx)
                    .await?;
                    next.finding += 1;
                }
                // What is not found any more goes.
                for id in old.into_values() {
                    sqlx::query("DELETE FROM findings WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("UPDATE corpus_state SET findings_generation = $1 WHERE id = 1")
                    .bind(generation)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(count)
            }

            async fn checkpoint(&self) -> $crate::Result<()> {
                self.backend_checkpoint().await
            }

            async fn verify(&self) -> $crate::Result<$crate::IntegrityProblems> {
                use futures_util::TryStreamExt as _;
                let mut problems = self.backend_checks().await?;
                let keys: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT document_key, COUNT(*) FROM documents WHERE is_latest \
                     GROUP BY document_key HAVING COUNT(*) <> 1",
                )
                .fetch_all(&self.pool)
                .await?;
                for (key, count) in keys {
                    problems.push(format!("文档 {key} 有 {count} 个最新版本"));
                }
                let misplaced: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM project_scores s JOIN projects p ON p.id = s.project_id \
                     WHERE p.document_id <> s.document_id",
                )
                .fetch_one(&self.pool)
                .await?;
                if misplaced > 0 {
                    problems.push(format!("{misplaced} 行自评得分指向别的文档的项目"));
                }
                let mut rows = sqlx::query_as::<_, (i64, Vec<u8>, i64, i64, i64)>(
                    "SELECT d.id, d.model, \
                     (SELECT COUNT(*) FROM units u WHERE u.document_id = d.id), \
                     (SELECT COUNT(*) FROM projects p WHERE p.document_id = d.id), \
                     (SELECT COUNT(*) FROM indicators i WHERE i.document_id = d.id) \
                     FROM documents d ORDER BY d.id",
                )
                .fetch(&self.pool);
                while let Some((id, model, units, projects, indicators)) =
                    rows.try_next().await?
                {
                    let document = match $crate::prepare::model_from_bytes(id, &model) {
                        Ok(document) => document,
                        Err(error) => {
                            problems.push(format!("文档 {id} 的模型无法读取：{error}"));
                            continue;
                        }
                    };
                    let expected = (
                        document.units.len() as i64,
                        document.projects().count() as i64,
                        document.indicator_count() as i64,
                    );
                    if (units, projects, indicators) != expected {
                        problems.push(format!(
                            "文档 {id}：单位/项目/指标行数 {units}/{projects}/{indicators}，模型为 {}/{}/{}",
                            expected.0, expected.1, expected.2
                        ));
                    }
                }
                Ok(problems)
            }

            async fn scored_projects(
                &self,
                filter: &$crate::Filter,
            ) -> $crate::Result<Vec<$crate::ScoredProject>> {
                use $crate::sql::FILTER;
                let rows: Vec<$crate::scores::ScoredRow> = sqlx::query_as(&format!(
                    "{} WHERE {FILTER} ORDER BY d.publisher, d.year, d.id, p.ordinal",
                    $crate::scores::SCORED_SELECT
                ))
                .bind(filter.publisher_pattern())
                .bind(filter.year())
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::scores::scored_project).collect()
            }

            fn review(&self) -> &dyn $crate::ReviewStore {
                self
            }
        }
    };
}

pub(crate) use store_impl;
