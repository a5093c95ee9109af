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

use crate::sql::{Rows, ValueColumns, flatten};
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

    async fn backend_checkpoint(&self) -> Result<()> {
        // The server owns its files; a committed transaction is in them for every client.
        Ok(())
    }

    async fn backend_checks(&self) -> Result<Vec<String>> {
        // PostgreSQL enforces the foreign keys and checksums pages itself; what can still be
        // wrong is what the shared checks look at.
        Ok(Vec::new())
    }
}

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
    /// Inserts the spans, units, projects, indicators and findings of several documents, one
    /// statement per table: each column goes as one array parameter and `UNNEST` turns the arrays
    /// back into rows. The server parses and plans a short statement once per table instead of a
    /// VALUES list with a parameter per cell (which made the server the import's bottleneck).
    async fn write_rows(
        tx: &mut sqlx::Transaction<'static, Postgres>,
        documents: &[Rows<'_>],
    ) -> Result<()> {
        let spans = flatten(documents, |r| &r.spans);
        if !spans.is_empty() {
            sqlx::query(
                "INSERT INTO spans (id, document_id, file, line, start_byte, end_byte, sheet, \
                 page, cell_row, cell_col) SELECT * FROM UNNEST($1::int8[], $2::int8[], \
                 $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::text[], $8::int8[], \
                 $9::int8[], $10::int8[])",
            )
            .bind(column(&spans, |(_, (id, _))| *id))
            .bind(column(&spans, |(d, _)| *d))
            .bind(column(&spans, |(_, (_, s))| s.file.as_ref()))
            .bind(column(&spans, |(_, (_, s))| i64::from(s.line)))
            .bind(column(&spans, |(_, (_, s))| i64::from(s.start)))
            .bind(column(&spans, |(_, (_, s))| i64::from(s.end)))
            .bind(column(&spans, |(_, (_, s))| {
                s.cell.as_deref().and_then(|c| c.sheet.as_deref())
            }))
            .bind(column(&spans, |(_, (_, s))| {
                s.cell.as_deref().and_then(|c| c.page).map(i64::from)
            }))
            .bind(column(&spans, |(_, (_, s))| {
                s.cell.as_deref().map(|c| i64::from(c.row))
            }))
            .bind(column(&spans, |(_, (_, s))| {
                s.cell.as_deref().map(|c| i64::from(c.col))
            }))
            .execute(&mut **tx)
            .await?;
        }
        let units = flatten(documents, |r| &r.units);
        if !units.is_empty() {
            let [total, fiscal, special_account, other] =
                amount_columns(&units, |(_, (_, _, u, ..))| &u.amounts);
            sqlx::query(
                "INSERT INTO units (id, document_id, ordinal, name, implicit, total, fiscal, \
                 special_account, other, span_id, total_wan) SELECT * FROM UNNEST($1::int8[], \
                 $2::int8[], $3::int8[], $4::text[], $5::bool[], $6::numeric[], $7::numeric[], \
                 $8::numeric[], $9::numeric[], $10::int8[], $11::numeric[])",
            )
            .bind(column(&units, |(_, (id, ..))| *id))
            .bind(column(&units, |(d, _)| *d))
            .bind(column(&units, |(_, (_, ordinal, ..))| *ordinal))
            .bind(column(&units, |(_, (_, _, u, ..))| u.name.text.as_str()))
            .bind(column(&units, |(_, (_, _, u, ..))| u.implicit))
            .bind(total)
            .bind(fiscal)
            .bind(special_account)
            .bind(other)
            .bind(column(&units, |(_, (.., span_id, _))| *span_id))
            .bind(column(&units, |(_, (.., total_wan))| *total_wan))
            .execute(&mut **tx)
            .await?;
        }
        let projects = flatten(documents, |r| &r.projects);
        if !projects.is_empty() {
            let [total, fiscal, special_account, other] =
                amount_columns(&projects, |(_, (.., p, _, _))| &p.amounts);
            sqlx::query(
                "INSERT INTO projects (id, document_id, unit_id, ordinal, name, goal, total, \
                 fiscal, special_account, other, span_id, total_wan) SELECT * FROM \
                 UNNEST($1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[], \
                 $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::int8[], \
                 $12::numeric[])",
            )
            .bind(column(&projects, |(_, (id, ..))| *id))
            .bind(column(&projects, |(d, _)| *d))
            .bind(column(&projects, |(_, (_, unit_id, ..))| *unit_id))
            .bind(column(&projects, |(_, (_, _, ordinal, ..))| *ordinal))
            .bind(column(&projects, |(_, (.., p, _, _))| p.name.text.as_str()))
            .bind(column(&projects, |(_, (.., p, _, _))| {
                p.goal.as_ref().map(|g| g.text.as_str())
            }))
            .bind(total)
            .bind(fiscal)
            .bind(special_account)
            .bind(other)
            .bind(column(&projects, |(_, (.., span_id, _))| *span_id))
            .bind(column(&projects, |(_, (.., total_wan))| *total_wan))
            .execute(&mut **tx)
            .await?;
        }
        let indicators = flatten(documents, |r| &r.indicators);
        if !indicators.is_empty() {
            let values: Vec<(ValueColumns<'_>, ValueColumns<'_>)> = indicators
                .iter()
                .map(|(_, (.., i, _))| {
                    (
                        ValueColumns::of(i.annual.as_ref()),
                        ValueColumns::of(i.period.as_deref()),
                    )
                })
                .collect();
            sqlx::query(
                "INSERT INTO indicators (id, document_id, project_id, ordinal, seq, level1, \
                 level1_code, level2, level2_code, level2_inferred, name, annual_raw, \
                 annual_kind, annual_comparator, annual_number, annual_unit, period_raw, \
                 period_kind, period_comparator, period_number, period_unit, span_id) \
                 SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::int8[], \
                 $5::int8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[], \
                 $11::text[], $12::text[], $13::text[], $14::text[], $15::numeric[], \
                 $16::text[], $17::text[], $18::text[], $19::text[], $20::numeric[], \
                 $21::text[], $22::int8[])",
            )
            .bind(column(&indicators, |(_, (id, ..))| *id))
            .bind(column(&indicators, |(d, _)| *d))
            .bind(column(&indicators, |(_, (_, project_id, ..))| *project_id))
            .bind(column(&indicators, |(_, (_, _, ordinal, ..))| *ordinal))
            .bind(column(&indicators, |(_, (.., i, _))| i64::from(i.seq)))
            .bind(column(&indicators, |(_, (.., i, _))| {
                i.level1.as_ref().map(|c| c.name.as_str())
            }))
            .bind(column(&indicators, |(_, (.., i, _))| {
                i.level1.as_ref().and_then(|c| c.code.as_deref())
            }))
            .bind(column(&indicators, |(_, (.., i, _))| {
                i.level2.as_ref().map(|c| c.name.as_str())
            }))
            .bind(column(&indicators, |(_, (.., i, _))| {
                i.level2.as_ref().and_then(|c| c.code.as_deref())
            }))
            .bind(column(&indicators, |(_, (.., i, _))| {
                i.level2.as_ref().is_some_and(|c| c.inferred.is_some())
            }))
            .bind(column(&indicators, |(_, (.., i, _))| i.name.text.as_str()))
            .bind(column(&values, |(a, _)| a.raw))
            .bind(column(&values, |(a, _)| a.kind))
            .bind(column(&values, |(a, _)| a.comparator))
            .bind(column(&values, |(a, _)| a.number))
            .bind(column(&values, |(a, _)| a.unit))
            .bind(column(&values, |(_, p)| p.raw))
            .bind(column(&values, |(_, p)| p.kind))
            .bind(column(&values, |(_, p)| p.comparator))
            .bind(column(&values, |(_, p)| p.number))
            .bind(column(&values, |(_, p)| p.unit))
            .bind(column(&indicators, |(_, (.., span_id))| *span_id))
            .execute(&mut **tx)
            .await?;
        }
        let findings = flatten(documents, |r| &r.findings);
        if !findings.is_empty() {
            sqlx::query(
                "INSERT INTO findings (id, document_id, project_id, indicator_id, code, \
                 severity, message, help, span_id) SELECT * FROM UNNEST($1::int8[], \
                 $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[], $7::text[], \
                 $8::text[], $9::int8[])",
            )
            .bind(column(&findings, |(_, (id, ..))| *id))
            .bind(column(&findings, |(d, _)| *d))
            .bind(column(&findings, |(_, (_, project_id, ..))| *project_id))
            .bind(column(&findings, |(_, (_, _, indicator_id, ..))| {
                *indicator_id
            }))
            .bind(column(&findings, |(_, (.., f, _))| f.code))
            .bind(column(&findings, |(_, (.., f, _))| f.severity.to_string()))
            .bind(column(&findings, |(_, (.., f, _))| f.message.as_str()))
            .bind(column(&findings, |(_, (.., f, _))| &*f.help))
            .bind(column(&findings, |(_, (.., span_id))| *span_id))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }
}

/// One column of `rows`, to bind as an array.
/// The four amount columns (总计, 财政拨款, 财政专户拨款, 其他资金) of `rows`, in that order.
fn amount_columns<T>(
    rows: &[T],
    amounts: impl Fn(&T) -> &jixiao_model::Amounts,
) -> [Vec<Option<Decimal>>; 4] {
    AmountColumn::ALL.map(|c| column(rows, |row| amounts(row).get(c).map(|a| a.value)))
}

fn column<T, U>(rows: &[T], cell: impl Fn(&T) -> U) -> Vec<U> {
    rows.iter().map(cell).collect()
}

fn money(value: Option<Decimal>) -> Option<Decimal> {
    value
}

crate::sql::store_impl!(PostgresStore, Postgres, crate::Backend::Postgres, money);
crate::review::review_impl!(PostgresStore, Postgres);
