//! The embedded backend: one SQLite file, WAL journal, `synchronous=NORMAL`.
//!
//! Writers take the write lock when their transaction begins (`BEGIN IMMEDIATE`), so the
//! read-then-write import transaction never fails to upgrade, and two importers queue on the
//! busy timeout instead of failing. An older file is copied to `<file>.bak-<version>` (with
//! `VACUUM INTO`, a consistent copy even with a WAL beside it) before it is migrated. Creating and
//! migrating a file happen under a lock on `<file>-lock`, so processes opening it at once take
//! turns.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jixiao_model::AmountColumn;
use rust_decimal::Decimal;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use crate::sql::{Lookups, Rows, SpanColumns, ValueColumns, batches, flatten};
use crate::{Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

/// Retries of a migration that lost a race with another process.
const MIGRATE_ATTEMPTS: u64 = 5;

/// Retries of a connection that SQLite refused as busy (see [`SqliteStore::connect_pool`]).
const CONNECT_ATTEMPTS: u64 = 50;

/// Whether SQLite answered SQLITE_BUSY or SQLITE_LOCKED (or one of their extended codes).
fn is_busy(error: &sqlx::Error) -> bool {
    const SQLITE_BUSY: i64 = 5;
    const SQLITE_LOCKED: i64 = 6;
    let sqlx::Error::Database(database) = error else {
        return false;
    };
    database
        .code()
        .and_then(|code| code.parse::<i64>().ok())
        .is_some_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

/// An exclusive lock on `<file>-lock` beside the database, held while a new or older file is
/// created or migrated. The empty lock file stays: removing it would let a process that waited
/// on the removed file and one that created a new file both go ahead.
#[derive(Debug)]
struct MigrationLock {
    _file: std::fs::File,
}

impl MigrationLock {
    async fn acquire(database: &Path) -> Result<Self> {
        let path = PathBuf::from(format!("{}-lock", database.display()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|cause| StoreError::Lock {
                path: path.clone(),
                cause,
            })?;
        // Waiting for the lock blocks a thread: not the runtime's.
        let locked = tokio::task::spawn_blocking(move || file.lock().map(|()| file)).await;
        match locked {
            Ok(Ok(file)) => Ok(Self { _file: file }),
            Ok(Err(cause)) => Err(StoreError::Lock { path, cause }),
            Err(join) => Err(StoreError::Lock {
                path,
                cause: std::io::Error::other(join),
            }),
        }
    }
}

/// The corpus in an SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The one connection writes other than imports go through (see [`SqliteStore::connect`]).
    writer: SqlitePool,
    /// The one connection imports write new documents through, without foreign-key checks.
    importer: SqlitePool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the file, creating it if needed and migrating it (after a backup) if it is older.
    pub async fn open(path: &Path) -> Result<Self> {
        let store = Self::connect(path).await?;
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if store.applied_version().await? >= latest {
            store.upgrade_data().await?;
            return Ok(store);
        }
        // sqlx cannot lock an SQLite file for migrating: without this lock, two processes opening
        // a new file at once both ran the first migration, and two opening an older one both
        // backed it up to the same name. The second to get the lock finds the work done.
        let lock = MigrationLock::acquire(path).await?;
        let applied = store.applied_version().await?;
        if applied > 0 && applied < latest {
            store.backup(applied).await?;
        }
        if applied < latest {
            store.migrate().await?;
        }
        store.upgrade_data().await?;
        drop(lock);
        Ok(store)
    }

    /// Applies pending migrations. Each migration is one transaction, so one that failed (say,
    /// because an older jixiao without the migration lock migrated the file at the same moment)
    /// changed nothing, and trying again finds it applied.
    async fn migrate(&self) -> Result<()> {
        let mut attempt = 0;
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(_) if attempt < MIGRATE_ATTEMPTS => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(source_error) => {
                    return Err(StoreError::Migrate {
                        target: self.path.display().to_string(),
                        source_error,
                    });
                }
            }
        }
    }

    /// Creates a database with only the migrations up to `version` applied, as an older jixiao
    /// would have left it; for testing upgrades.
    pub async fn create_with_schema_version(path: &Path, version: i64) -> Result<Self> {
        let store = Self::connect(path).await?;
        let older = Migrator {
            migrations: MIGRATOR
                .iter()
                .filter(|m| m.version <= version)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        older
            .run(&store.pool)
            .await
            .map_err(|source_error| StoreError::Migrate {
                target: path.display().to_string(),
                source_error,
            })?;
        Ok(store)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn connect(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(120))
            .pragma("cache_size", "-65536")
            .pragma("wal_autocheckpoint", "16384");
        // Imports go through one connection of their own: SQLite takes one writer at a time
        // anyway, and a connection that only this process writes through keeps its page cache
        // (another connection's commit would make it re-read every page). Its statement journals
        // (multi-row INSERTs need one) stay in memory instead of spilling to temporary files;
        // the readers keep the default, so a large sort in a query can still spill to disk.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options.clone().pragma("temp_store", "memory"));
        // Imports write new documents through a connection of their own without foreign-key
        // checks (see `begin_import`). Its own, because switching the pragma on a connection
        // makes SQLite compile every statement it has prepared again.
        let importer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(
                options
                    .clone()
                    .pragma("temp_store", "memory")
                    .foreign_keys(false),
            );
        let pool = Self::connect_pool(path, options).await?;
        Ok(Self {
            pool,
            writer,
            importer,
            path: path.to_owned(),
        })
    }

    /// Opens the reader pool. Its first connection switches a new file to WAL, which needs the
    /// exclusive lock; SQLite answers "database is locked" at once, without waiting out the busy
    /// timeout, when another process is doing the same (waiting could deadlock), so a busy
    /// answer is retried after a pause.
    async fn connect_pool(path: &Path, options: SqliteConnectOptions) -> Result<SqlitePool> {
        let mut attempt = 0;
        loop {
            match SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.clone())
                .await
            {
                Ok(pool) => return Ok(pool),
                Err(source) if attempt < CONNECT_ATTEMPTS && is_busy(&source) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
                }
                Err(source) => {
                    return Err(StoreError::Connect {
                        target: path.display().to_string(),
                        reason: crate::error::connect_reason(&source),
                        check: crate::error::SQLITE_CHECK,
                    });
                }
            }
        }
    }

    async fn applied_version(&self) -> Result<i64> {
        let has_table: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await?;
        if has_table == 0 {
            return Ok(0);
        }
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(version.unwrap_or(0))
    }

    /// Copies the database to `<file>.bak-<version>` (or `.bak-<version>-<n>` if that exists).
    async fn backup(&self, version: i64) -> Result<PathBuf> {
        let mut target = PathBuf::from(format!("{}.bak-{version}", self.path.display()));
        let mut n = 1;
        while target.exists() {
            target = PathBuf::from(format!("{}.bak-{version}-{n}", self.path.display()));
            n += 1;
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target.display().to_string())
            .execute(&self.pool)
            .await
            .map_err(|cause| StoreError::Backup {
                path: target.clone(),
                cause,
            })?;
        Ok(target)
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// The transaction an import writes new documents in: [`Self::begin_write`] on the import
    /// connection, which has no foreign-key checks. An import only inserts rows (and updates
    /// documents' keys, versions and metadata, never an id), each child after its parent, with
    /// ids it numbered itself in the same transaction, so the checks (a parent lookup per
    /// reference, a fifth of the inserts' work) never find anything; `Store::verify` still runs
    /// `pragma_foreign_key_check` over the whole file, and every other write keeps the checks.
    async fn begin_import(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        Ok(self.importer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Moves everything in the write-ahead log into the database file and empties the log, so the
    /// `.db` file alone holds the whole corpus (copied without its `-wal`, it is complete).
    async fn backend_checkpoint(&self) -> Result<()> {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.writer)
            .await?;
        if busy != 0 {
            // A reader of another process holds an old snapshot: what it blocks is written
            // at its next checkpoint; the data is safe in the log meanwhile.
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.writer)
                .await?;
        }
        Ok(())
    }

    async fn backend_checks(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        if integrity != ["ok"] {
            problems.extend(
                integrity
                    .into_iter()
                    .map(|p| format!("integrity_check：{p}")),
            );
        }
        let foreign: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(&self.pool)
                .await?;
        for (table, rowid, parent) in foreign {
            problems.push(format!(
                "外键错误：{table} 第 {} 行引用的 {parent} 不存在",
                rowid.unwrap_or_default()
            ));
        }
        Ok(problems)
    }
}

impl SqliteStore {
    /// Inserts the units, projects, indicators and findings of several documents, many
    /// rows to an INSERT: the statements are prepared once and SQLite binds values in place,
    /// so a few wide statements beat one per row.
    ///
    /// The statements run on sqlx's connection thread while this thread builds the next one
    /// (its bound values, the SQL text being made once per process), so building and
    /// executing overlap instead of taking turns.
    async fn write_rows(
        tx: &mut sqlx::Transaction<'static, Sqlite>,
        documents: &[Rows<'_>],
        lookups: &Lookups,
    ) -> Result<()> {
        let units = flatten(documents, |r| &r.units);
        let projects = flatten(documents, |r| &r.projects);
        let indicators = flatten(documents, |r| &r.indicators);
        let findings = flatten(documents, |r| &r.findings);
        let mut statements = batches(&units)
            .into_iter()
            .map(Insert::Units)
            .chain(batches(&projects).into_iter().map(Insert::Projects))
            .chain(batches(&indicators).into_iter().map(Insert::Indicators))
            .chain(batches(&findings).into_iter().map(Insert::Findings))
            .map(|insert| insert.build(lookups));
        let mut current = statements.next();
        while let Some(query) = current {
            let mut execute = std::pin::pin!(query.execute(&mut **tx));
            // The first poll hands the statement to the connection thread (or finishes it).
            let started =
                std::future::poll_fn(|cx| std::task::Poll::Ready(execute.as_mut().poll(cx))).await;
            current = statements.next();
            match started {
                std::task::Poll::Ready(done) => done?,
                std::task::Poll::Pending => execute.await?,
            };
        }
        Ok(())
    }
}

/// One multi-row INSERT of [`SqliteStore::write_rows`]: a table and its rows (each with its
/// document's id).
enum Insert<'r, 'a> {
    Units(&'r [(i64, &'r crate::sql::UnitRow<'a>)]),
    Projects(&'r [(i64, &'r crate::sql::ProjectRow<'a>)]),
    Indicators(&'r [(i64, &'r crate::sql::IndicatorRow<'a>)]),
    Findings(&'r [(i64, &'r crate::sql::FindingRef<'a>)]),
}

impl<'r> Insert<'r, '_> {
    fn build(self, lookups: &Lookups) -> Statement<'r> {
        match self {
            Insert::Units(batch) => {
                let cells = batch.iter().any(|(_, row)| row.2.span.cell.is_some());
                let mut query = insert(
                    "INSERT INTO units (id, document_id, ordinal, name, implicit, total, \
                     fiscal, special_account, other, total_wan, span_line, span_start, span_end, \
                     span_sheet, span_page, span_row, span_col) VALUES ",
                    17,
                    batch.len(),
                    cells,
                );
                for (document_id, (id, ordinal, unit, total_wan)) in batch {
                    query = query
                        .bind(*id)
                        .bind(*document_id)
                        .bind(*ordinal)
                        .bind(unit.name.text.as_str())
                        .bind(unit.implicit);
                    query = bind_amounts(query, &unit.amounts, *total_wan, &unit.span, cells);
                }
                query
            }
            Insert::Projects(batch) => {
                let cells = batch.iter().any(|(_, row)| row.3.span.cell.is_some());
                let mut query = insert(
                    "INSERT INTO projects (id, document_id, unit_id, ordinal, name, total, \
                     fiscal, special_account, other, total_wan, span_line, span_start, span_end, \
                     span_sheet, span_page, span_row, span_col) VALUES ",
                    17,
                    batch.len(),
                    cells,
                );
                for (document_id, (id, unit_id, ordinal, project, total_wan)) in batch {
                    query = query
                        .bind(*id)
                        .bind(*document_id)
                        .bind(*unit_id)
                        .bind(*ordinal)
                        .bind(project.name.text.as_str());
                    query = bind_amounts(query, &project.amounts, *total_wan, &project.span, cells);
                }
                query
            }
            Insert::Indicators(batch) => {
                let cells = batch.iter().any(|(_, row)| row.3.span.cell.is_some());
                let mut query = insert(
                    "INSERT INTO indicators (id, document_id, project_id, ordinal, seq, \
                     category_id, level2_inferred, name, annual_raw, annual_kind, \
                     annual_comparator, annual_number, annual_unit, period_raw, span_line, \
                     span_start, span_end, span_sheet, span_page, span_row, span_col) VALUES ",
                    21,
                    batch.len(),
                    cells,
                );
                for (document_id, (id, project_id, ordinal, indicator)) in batch {
                    let annual = ValueColumns::of(indicator.annual.as_ref());
                    let level2 = indicator.level2.as_ref();
                    query = query
                        .bind(*id)
                        .bind(*document_id)
                        .bind(*project_id)
                        .bind(*ordinal)
                        .bind(i64::from(indicator.seq))
                        .bind(lookups.category(indicator))
                        .bind(level2.is_some_and(|c| c.inferred.is_some()))
                        .bind(indicator.name.text.as_str())
                        .bind(annual.raw)
                        .bind(annual.kind)
                        .bind(annual.comparator)
                        .bind(money(annual.number))
                        .bind(annual.unit)
                        .bind(indicator.period.as_ref().map(|v| v.raw.as_str()));
                    query = bind_span(query, &indicator.span, cells);
                }
                query
            }
            Insert::Findings(batch) => {
                let cells = batch.iter().any(|(_, row)| row.3.span.cell.is_some());
                let mut query = insert(
                    "INSERT INTO findings (id, document_id, project_id, indicator_id, code, \
                     severity, message, help_id, span_line, span_start, span_end, span_sheet, \
                     span_page, span_row, span_col) VALUES ",
                    15,
                    batch.len(),
                    cells,
                );
                for (document_id, (id, project_id, indicator_id, finding)) in batch {
                    query = query
                        .bind(*id)
                        .bind(*document_id)
                        .bind(*project_id)
                        .bind(*indicator_id)
                        .bind(finding.code)
                        .bind(finding.severity.as_str())
                        .bind(finding.message.as_str())
                        .bind(lookups.help(&finding.help));
                    query = bind_span(query, &finding.span, cells);
                }
                query
            }
        }
    }
}

/// The last columns of a unit's or project's row: its amounts, its total in 万元 and its span.
fn bind_amounts<'q>(
    mut query: Statement<'q>,
    amounts: &jixiao_model::Amounts,
    total_wan: Option<Decimal>,
    span: &'q jixiao_model::Span,
    cells: bool,
) -> Statement<'q> {
    for column in AmountColumn::ALL {
        query = query.bind(money(amounts.get(column).map(|a| a.value)));
    }
    bind_span(query.bind(money(total_wan)), span, cells)
}

/// A row's span columns ([`crate::sql::SPAN_COLUMNS`]); without `cells`, only the line and
/// bytes (the statement has the cell's columns as literal NULLs, see [`insert_sql`]).
fn bind_span<'q>(query: Statement<'q>, span: &'q jixiao_model::Span, cells: bool) -> Statement<'q> {
    let at = SpanColumns::of(span);
    let query = query.bind(at.line).bind(at.start).bind(at.end);
    if !cells {
        return query;
    }
    query.bind(at.sheet).bind(at.page).bind(at.row).bind(at.col)
}

/// A multi-row INSERT with its values bound.
type Statement<'q> = sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// The span columns of a cell (`span_sheet`, `span_page`, `span_row`, `span_col`): the last
/// four of every row [`insert`] writes.
const CELL_COLUMNS: usize = 4;

/// The INSERT of `rows` rows of `columns` values into the table `head` names, its vector of
/// values sized at once (grown value by value, it was copied a dozen times per statement).
/// Without `cells` (no row's span is a cell, as in every text or CSV file), the last
/// [`CELL_COLUMNS`] columns are NULL in the statement's text rather than bound.
fn insert<'q>(head: &'static str, columns: usize, rows: usize, cells: bool) -> Statement<'q> {
    let bound = if cells {
        columns
    } else {
        columns - CELL_COLUMNS
    };
    let mut arguments = sqlx::sqlite::SqliteArguments::default();
    sqlx::Arguments::reserve(&mut arguments, bound * rows, 0);
    sqlx::query_with(insert_sql(head, columns, rows, cells), arguments)
}

/// `head` followed by `rows` rows of `columns` placeholders, made once per process for each
/// statement: sqlx's `QueryBuilder` formatted a numbered placeholder for every value bound (over
/// 40 % of what building the statements cost), where the texts are a few dozen (five tables,
/// the row counts of [`crate::sql::batches`], with and without cells) and never change.
fn insert_sql(head: &'static str, columns: usize, rows: usize, cells: bool) -> &'static str {
    type Texts = Vec<((usize, usize, bool), &'static str)>;
    static TEXTS: std::sync::Mutex<Texts> = std::sync::Mutex::new(Vec::new());
    let key = (head.as_ptr() as usize, rows, cells);
    let mut texts = TEXTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, text)) = texts.iter().find(|(k, _)| *k == key) {
        return text;
    }
    let mut row = String::with_capacity(5 * columns + 1);
    row.push('(');
    for column in 0..columns {
        let value = if cells || column < columns - CELL_COLUMNS {
            "?"
        } else {
            "NULL"
        };
        if column > 0 {
            row.push(',');
        }
        row.push_str(value);
    }
    row.push(')');
    let mut text = String::with_capacity(head.len() + rows * (row.len() + 1));
    text.push_str(head);
    for index in 0..rows {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&row);
    }
    // Bounded: one text per table and batch size, kept for the process like a prepared
    // statement.
    let text: &'static str = Box::leak(text.into_boxed_str());
    texts.push((key, text));
    text
}

/// Money in SQLite is the canonical decimal string (never REAL).
fn money(value: Option<Decimal>) -> Option<String> {
    value.map(|v| v.to_string())
}

crate::sql::store_impl!(SqliteStore, Sqlite, crate::Backend::Sqlite, money);
crate::review::review_impl!(SqliteStore, Sqlite);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store as _;

    /// A new store in `dir`, the bytes of the 越秀 example, and a checker with default settings.
    async fn store_and_example(
        dir: &tempfile::TempDir,
    ) -> (SqliteStore, Vec<u8>, jixiao_rules::Checker) {
        let store = SqliteStore::open(&dir.path().join("t.db"))
            .await
            .expect("opens");
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/guangzhou-yuexiu-rsj.txt"
        ))
        .expect("example");
        let checker = jixiao_rules::Checker::new(jixiao_rules::Settings::default());
        (store, bytes, checker)
    }

    #[tokio::test]
    async fn an_import_leaves_foreign_keys_checked_for_other_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, bytes, checker) = store_and_example(&dir).await;
        let parsed =
            jixiao_parse::parse_bytes("yuexiu.txt", &bytes, &jixiao_model::Profile::builtin())
                .expect("parses");
        let prepared = crate::prepare_file(
            &bytes,
            parsed.documents,
            &parsed.problems,
            &checker,
            &crate::Overrides::default(),
        )
        .expect("prepares");
        store.import_batch(&prepared).await.expect("imports");
        for (pool, expected) in [(&store.writer, 1), (&store.pool, 1), (&store.importer, 0)] {
            let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(pool)
                .await
                .expect("pragma");
            assert_eq!(on, expected);
        }
        // A write that is not an import still has its references checked.
        let mut tx = store.begin_write().await.expect("begins");
        let orphan = sqlx::query(
            "INSERT INTO units (id, document_id, ordinal, name, implicit, span_line, span_start, \
             span_end) VALUES (999999, 999999, 0, '', 0, 1, 0, 0)",
        )
        .execute(&mut *tx)
        .await;
        assert!(orphan.is_err(), "{orphan:?}");
        drop(tx);
        assert!(store.verify().await.expect("verifies").is_empty());
    }

    /// A row's document id and cell columns (sheet, page, row, column).
    type CellRow = (i64, Option<String>, Option<i64>, Option<i64>, Option<i64>);

    /// The cell columns are bound for a batch with a cell and written as NULL in the statement
    /// for one without: both give the rows their spans.
    #[tokio::test]
    async fn cell_spans_are_stored_whether_or_not_a_batch_has_cells() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, bytes, checker) = store_and_example(&dir).await;
        let prepare = |bytes: &[u8], name: &str| {
            let parsed = jixiao_parse::parse_bytes(name, bytes, &jixiao_model::Profile::builtin())
                .expect("parses");
            crate::prepare_file(
                bytes,
                parsed.documents,
                &parsed.problems,
                &checker,
                &crate::Overrides::default(),
            )
            .expect("prepares")
        };
        let plain = prepare(&bytes, "plain.txt");
        let mut other = bytes.clone();
        other.extend_from_slice(b"\n");
        let mut celled = prepare(&other, "celled.txt");
        let cell = |row: u32| {
            Some(Box::new(jixiao_model::CellRef {
                sheet: Some("表1".to_owned()),
                page: Some(2),
                row,
                col: 3,
            }))
        };
        let document = &mut celled[0].document;
        document.units[0].span.cell = cell(1);
        document.units[0].projects[0].span.cell = cell(2);
        document.units[0].projects[0].indicators[0].span.cell = cell(3);
        celled[0].findings[0].finding.span.cell = cell(4);
        store.import_batch(&plain).await.expect("imports");
        store.import_batch(&celled).await.expect("imports");
        for table in ["units", "projects", "indicators", "findings"] {
            let rows: Vec<CellRow> = sqlx::query_as(&format!(
                "SELECT document_id, span_sheet, span_page, span_row, span_col \
                     FROM {table} WHERE span_line > 0 ORDER BY id"
            ))
            .fetch_all(&store.pool)
            .await
            .expect("reads");
            let with_cells: Vec<_> = rows.iter().filter(|r| r.1.is_some()).collect();
            assert_eq!(with_cells.len(), 1, "{table}: {rows:?}");
            let (document_id, sheet, page, row, col) = with_cells[0];
            assert_eq!(*document_id, 2, "{table}");
            assert_eq!(sheet.as_deref(), Some("表1"));
            assert_eq!((*page, *col), (Some(2), Some(3)));
            assert!(row.is_some_and(|r| (1..=4).contains(&r)), "{table}");
            assert!(
                rows.iter()
                    .filter(|r| r.1.is_none())
                    .all(|r| r.2.is_none() && r.3.is_none() && r.4.is_none()),
                "{table}"
            );
        }
    }
}
