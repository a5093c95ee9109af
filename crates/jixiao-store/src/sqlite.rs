//! The embedded backend: one SQLite file, WAL journal, `synchronous=NORMAL`.
//!
//! Writers take the write lock when their transaction begins (`BEGIN IMMEDIATE`), so the
//! read-then-write import transaction never fails to upgrade, and two importers queue on the
//! busy timeout instead of failing. An older file is copied to `<file>.bak-<version>` (with
//! `VACUUM INTO`, a consistent copy even with a WAL beside it) before it is migrated.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rust_decimal::Decimal;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use crate::{Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

/// Retries of a migration that lost a race with another process.
const MIGRATE_ATTEMPTS: u64 = 5;

/// The corpus in an SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The one connection imports write through (see [`SqliteStore::connect`]).
    writer: SqlitePool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the file, creating it if needed and migrating it (after a backup) if it is older.
    pub async fn open(path: &Path) -> Result<Self> {
        let store = Self::connect(path).await?;
        let applied = store.applied_version().await?;
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if applied > 0 && applied < latest {
            store.backup(applied).await?;
        }
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations. sqlx cannot lock an SQLite file for migrating, so two processes
    /// opening a new file at once can both try the first migration; each migration is one
    /// transaction, so the loser changed nothing, and trying again finds it applied.
    async fn migrate(&self) -> Result<()> {
        let mut attempt = 0;
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(_) if attempt < MIGRATE_ATTEMPTS => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(source) => {
                    return Err(StoreError::Migrate {
                        target: self.path.display().to_string(),
                        source,
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
            .map_err(|source| StoreError::Migrate {
                target: path.display().to_string(),
                source,
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
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect {
                target: path.display().to_string(),
                source,
            })?;
        Ok(Self {
            pool,
            writer,
            path: path.to_owned(),
        })
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
            .map_err(|source| StoreError::Backup {
                path: target.clone(),
                source,
            })?;
        Ok(target)
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
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

/// Money in SQLite is the canonical decimal string (never REAL).
fn money(value: Option<Decimal>) -> Option<String> {
    value.map(|v| v.to_string())
}

crate::sql::store_impl!(SqliteStore, Sqlite, crate::Backend::Sqlite, money);
