//! The shared backend: PostgreSQL, money as NUMERIC.
//!
//! Import transactions take a transaction-scoped advisory lock named after the current schema
//! first, so concurrent importers (several processes, several machines) queue instead of racing
//! on version numbers and ids; the unique constraints on (key, version) and (content hash,
//! ordinal) back that up. Migrations run under sqlx's own migration lock.

use std::str::FromStr as _;

use jixiao_model::AmountColumn;
use rust_decimal::Decimal;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection as _, PgPool, Postgres};

use crate::sql::{Lookups, Rows, SpanColumns, ValueColumns, flatten};
use crate::{Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

/// How long connecting may take before the server counts as unreachable.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The corpus in a PostgreSQL database (in the connection's `search_path` schema).
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
            target: redact(url),
            reason: crate::error::connect_reason(&source),
            check: crate::error::POSTGRES_CHECK,
        })?;
        Self::open_with(options, &redact(url)).await
    }

    /// Connects with explicit options (for a schema per test, say) and applies pending migrations.
    /// A server that cannot be reached is reported after [`CONNECT_TIMEOUT`] at most, once.
    pub async fn open_with(options: PgConnectOptions, target: &str) -> Result<Self> {
        let connect_error = |source: sqlx::Error| StoreError::Connect {
            target: target.to_owned(),
            reason: crate::error::connect_reason(&source),
            check: crate::error::POSTGRES_CHECK,
        };
        // One connection first, under a deadline: the pool would keep retrying a refused or
        // silent server until its acquire timeout (30 s) and then report only that it timed out.
        let probe = tokio::time::timeout(
            CONNECT_TIMEOUT,
            sqlx::postgres::PgConnection::connect_with(&options),
        )
        .await
        .map_err(|_| StoreError::Connect {
            target: target.to_owned(),
            reason: format!("{} 秒内没有连上", CONNECT_TIMEOUT.as_secs()),
            check: crate::error::POSTGRES_CHECK,
        })?
        .map_err(connect_error)?;
        drop(probe);
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|source_error| StoreError::Migrate {
                target: target.to_owned(),
                source_error,
            })?;
        let store = Self { pool };
        store.upgrade_data().await?;
        Ok(store)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// The transaction an import writes new documents in.
    async fn begin_import(&self) -> Result<sqlx::Transaction<'static, Postgres>> {
        self.begin_write().await
    }

    async fn backend_checkpoint(&self) -> Result<()> {
        // The server owns its files; a committed transaction is in them for every client.
        Ok(())
    }

    async fn backend_checks(&self) -> Result<Vec<String>> {
        // PostgreSQL checksums pages itself. The imported rows' parents are no longer foreign
        // keys (migration 0015): the importer writes them, and this checks them, as
        // `pragma_foreign_key_check` does on SQLite.
        let mut problems = Vec::new();
        for (table, column, parent) in ORPHAN_CHECKS {
            let orphans: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} c WHERE c.{column} IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = c.{column})"
            ))
            .fetch_one(&self.pool)
            .await?;
            if orphans > 0 {
                problems.push(format!(
                    "外键错误：{table} 有 {orphans} 行的 {column} 引用的 {parent} 不存在"
                ));
            }
        }
        Ok(problems)
    }
}

/// Rows whose parent the importer guarantees instead of a foreign key: (table, column, parent).
const ORPHAN_CHECKS: [(&str, &str, &str); 7] = [
    ("units", "document_id", "documents"),
    ("projects", "document_id", "documents"),
    ("projects", "unit_id", "units"),
    ("indicators", "project_id", "projects"),
    ("findings", "document_id", "documents"),
    ("findings", "project_id", "projects"),
    ("findings", "indicator_id", "indicators"),
];

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl PostgresStore {
    /// Inserts the units, projects, indicators and findings of several documents with one
    /// `COPY … FROM STDIN` per table, in the text format: the server reads plain rows instead of
    /// planning an INSERT and unpacking array parameters. The rows have no foreign keys to check
    /// (migration 0015; `backend_checks` verifies their parents instead). `COPY` runs inside the
    /// import transaction, so a batch still goes in whole or not at all.
    async fn write_rows(
        tx: &mut sqlx::Transaction<'static, Postgres>,
        documents: &[Rows<'_>],
        lookups: &Lookups,
    ) -> Result<()> {
        let mut rows = CopyText::default();
        for (document_id, (id, ordinal, unit, total_wan)) in flatten(documents, |r| &r.units) {
            rows.int(*id)
                .int(document_id)
                .int(*ordinal)
                .text(Some(unit.name.text.as_str()))
                .boolean(unit.implicit)
                .amounts(&unit.amounts)
                .number(*total_wan)
                .span(&unit.span)
                .end_row();
        }
        rows.copy(
            tx,
            "COPY units (id, document_id, ordinal, name, implicit, total, fiscal, \
             special_account, other, total_wan, span_line, span_start, span_end, span_sheet, \
             span_page, span_row, span_col) FROM STDIN",
        )
        .await?;
        for (document_id, (id, unit_id, ordinal, project, total_wan)) in
            flatten(documents, |r| &r.projects)
        {
            rows.int(*id)
                .int(document_id)
                .int(*unit_id)
                .int(*ordinal)
                .text(Some(project.name.text.as_str()))
                .amounts(&project.amounts)
                .number(*total_wan)
                .span(&project.span)
                .end_row();
        }
        rows.copy(
            tx,
            "COPY projects (id, document_id, unit_id, ordinal, name, total, fiscal, \
             special_account, other, total_wan, span_line, span_start, span_end, span_sheet, \
             span_page, span_row, span_col) FROM STDIN",
        )
        .await?;
        for (document_id, (id, project_id, ordinal, indicator)) in
            flatten(documents, |r| &r.indicators)
        {
            let level2 = indicator.level2.as_ref();
            rows.int(*id)
                .int(document_id)
                .int(*project_id)
                .int(*ordinal)
                .int(i64::from(indicator.seq))
                .opt_int(lookups.category(indicator))
                .boolean(level2.is_some_and(|c| c.inferred.is_some()))
                .text(Some(indicator.name.text.as_str()))
                .value(&ValueColumns::of(indicator.annual.as_ref()))
                .text(indicator.period.as_ref().map(|v| v.raw.as_str()))
                .span(&indicator.span)
                .end_row();
        }
        rows.copy(
            tx,
            "COPY indicators (id, document_id, project_id, ordinal, seq, category_id, \
             level2_inferred, name, annual_raw, annual_kind, annual_comparator, annual_number, \
             annual_unit, period_raw, span_line, span_start, span_end, span_sheet, span_page, \
             span_row, span_col) FROM STDIN",
        )
        .await?;
        for (document_id, (id, project_id, indicator_id, finding)) in
            flatten(documents, |r| &r.findings)
        {
            rows.int(*id)
                .int(document_id)
                .opt_int(*project_id)
                .opt_int(*indicator_id)
                .text(Some(finding.code))
                .text(Some(finding.severity.as_str()))
                .text(Some(finding.message.as_str()))
                .opt_int(lookups.help(&finding.help))
                .span(&finding.span)
                .end_row();
        }
        rows.copy(
            tx,
            "COPY findings (id, document_id, project_id, indicator_id, code, severity, message, \
             help_id, span_line, span_start, span_end, span_sheet, span_page, span_row, \
             span_col) FROM STDIN",
        )
        .await
    }
}

/// Rows in the text format of `COPY … FROM STDIN`: columns separated by tabs, rows ended by a
/// newline, `\N` for NULL, and backslash, tab, newline and carriage return escaped in text.
#[derive(Default)]
struct CopyText {
    buffer: Vec<u8>,
    /// The next column is not the row's first (it needs a tab before it).
    inside_row: bool,
}

impl CopyText {
    fn separate(&mut self) {
        if self.inside_row {
            self.buffer.push(b'\t');
        }
        self.inside_row = true;
    }

    fn null(&mut self) -> &mut Self {
        self.separate();
        self.buffer.extend_from_slice(b"\\N");
        self
    }

    fn int(&mut self, value: i64) -> &mut Self {
        use std::io::Write as _;
        self.separate();
        // Writing to a Vec cannot fail.
        let _ = write!(self.buffer, "{value}");
        self
    }

    fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        match value {
            Some(value) => self.int(value),
            None => self.null(),
        }
    }

    fn boolean(&mut self, value: bool) -> &mut Self {
        self.separate();
        self.buffer.push(if value { b't' } else { b'f' });
        self
    }

    fn number(&mut self, value: Option<Decimal>) -> &mut Self {
        use std::io::Write as _;
        let Some(value) = value else {
            return self.null();
        };
        self.separate();
        let _ = write!(self.buffer, "{value}");
        self
    }

    fn text(&mut self, value: Option<&str>) -> &mut Self {
        let Some(value) = value else {
            return self.null();
        };
        self.separate();
        let bytes = value.as_bytes();
        let mut from = 0;
        for (at, byte) in bytes.iter().enumerate() {
            let escaped: &[u8] = match byte {
                b'\\' => b"\\\\",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                _ => continue,
            };
            self.buffer.extend_from_slice(&bytes[from..at]);
            self.buffer.extend_from_slice(escaped);
            from = at + 1;
        }
        self.buffer.extend_from_slice(&bytes[from..]);
        self
    }

    /// The four amount columns (总计, 财政拨款, 财政专户拨款, 其他资金), in that order.
    fn amounts(&mut self, amounts: &jixiao_model::Amounts) -> &mut Self {
        for column in AmountColumn::ALL {
            self.number(amounts.get(column).map(|a| a.value));
        }
        self
    }

    /// A span's seven columns ([`crate::sql::SPAN_COLUMNS`]).
    fn span(&mut self, span: &jixiao_model::Span) -> &mut Self {
        let at = SpanColumns::of(span);
        self.int(at.line)
            .int(at.start)
            .int(at.end)
            .text(at.sheet)
            .opt_int(at.page)
            .opt_int(at.row)
            .opt_int(at.col)
    }

    /// A value's five columns: raw text, kind, comparator, number, unit.
    fn value(&mut self, value: &ValueColumns<'_>) -> &mut Self {
        self.text(value.raw)
            .text(value.kind)
            .text(value.comparator)
            .number(value.number)
            .text(value.unit)
    }

    fn end_row(&mut self) {
        self.buffer.push(b'\n');
        self.inside_row = false;
    }

    /// Sends the rows with `statement` (a `COPY … FROM STDIN`) and empties the buffer for the
    /// next table; nothing to send, no statement.
    async fn copy(
        &mut self,
        tx: &mut sqlx::Transaction<'static, Postgres>,
        statement: &str,
    ) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let mut copy = tx.copy_in_raw(statement).await?;
        // A failed send drops `copy`, which tells the server the copy failed; the transaction
        // is then rolled back with the rest of the batch.
        copy.send(self.buffer.as_slice()).await?;
        copy.finish().await?;
        self.buffer.clear();
        Ok(())
    }
}

fn money(value: Option<Decimal>) -> Option<Decimal> {
    value
}

crate::sql::store_impl!(PostgresStore, Postgres, crate::Backend::Postgres, money);
crate::review::review_impl!(PostgresStore, Postgres);
