//! The shared backend: PostgreSQL, money as NUMERIC.
//!
//! Import transactions take a transaction-scoped advisory lock named after the current schema
//! first, so concurrent importers (several processes, several machines) queue instead of racing
//! on version numbers and ids; the unique constraints on (key, version) and (content hash,
//! ordinal) back that up. Migrations run under sqlx's own migration lock.

use std::str::FromStr as _;

use rust_decimal::Decimal;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

use crate::{Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

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
            source,
        })?;
        Self::open_with(options, &redact(url)).await
    }

    /// Connects with explicit options (for a schema per test, say) and applies pending migrations.
    pub async fn open_with(options: PgConnectOptions, target: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect {
                target: target.to_owned(),
                source,
            })?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                target: target.to_owned(),
                source,
            })?;
        Ok(Self { pool })
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

fn money(value: Option<Decimal>) -> Option<Decimal> {
    value
}

crate::sql::store_impl!(PostgresStore, Postgres, crate::Backend::Postgres, money);
