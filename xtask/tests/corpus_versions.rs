//! The corpus agrees with the generator's manifest: every generated table is stored, the tables the
//! manifest calls versions of one document are versions of one document and no others are, and
//! the latest versions give the manifest's documents, projects, indicators and totals in 万元. On
//! SQLite always and on PostgreSQL when `JIXIAO_TEST_POSTGRES_URL` is set.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr as _;

use jixiao_model::Profile;
use jixiao_rules::{Checker, Settings};
use jixiao_store::{Filter, Overrides, PostgresStore, SqliteStore, Store, prepare_file};
use rust_decimal::Decimal;
use xtask::corpus::{self, Manifest, Table};

/// A fresh SQLite file, and a fresh PostgreSQL schema when the server is configured (dropped at
/// the end).
async fn stores(dir: &std::path::Path) -> Vec<(&'static str, Box<dyn Store>, Option<String>)> {
    let mut out: Vec<(&'static str, Box<dyn Store>, Option<String>)> = vec![(
        "sqlite",
        Box::new(
            SqliteStore::open(&dir.join("corpus.db"))
                .await
                .expect("sqlite"),
        ),
        None,
    )];
    if let Ok(url) = std::env::var("JIXIAO_TEST_POSTGRES_URL") {
        let schema = format!("jixiao_xtask_versions_{}", std::process::id());
        let admin = sqlx::PgPool::connect(&url).await.expect("PostgreSQL");
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&admin)
            .await
            .expect("drop");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&admin)
            .await
            .expect("create");
        let options = sqlx::postgres::PgConnectOptions::from_str(&url)
            .expect("URL")
            .options([("search_path", schema.as_str())]);
        let store = PostgresStore::open_with(options, "test")
            .await
            .expect("postgres");
        out.push(("postgres", Box::new(store), Some(schema)));
    } else {
        eprintln!("PostgreSQL tests skipped: set JIXIAO_TEST_POSTGRES_URL");
    }
    out
}

/// A latest table as listed: file, publisher, year and total in 万元.
type Shown = (String, Option<String>, Option<i64>, Option<Decimal>);

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

#[tokio::test]
async fn corpus_agrees_with_the_manifest_on_documents_versions_and_amounts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("corpus");
    let mut options = corpus::Options::new(120, 7, out.clone());
    options.republish = 0.15;
    // Few publishers, so many tables share a department and a year without being versions.
    let stats = corpus::generate(&options).expect("generates");
    assert!(stats.republished >= 5, "{stats:?}");
    let manifest = Manifest::read(&out).expect("manifest");
    assert_eq!(manifest.tables.len(), stats.tables);

    // What the manifest says: groups of versions, and the latest version of each document.
    let mut groups: BTreeMap<usize, Vec<&Table>> = BTreeMap::new();
    for table in &manifest.tables {
        groups.entry(table.document).or_default().push(table);
    }
    let expected_versions: BTreeSet<Vec<(String, u32)>> = groups
        .values()
        .map(|tables| {
            let mut versions: Vec<(String, u32)> = tables
                .iter()
                .map(|t| (file_name(&t.file), t.version))
                .collect();
            versions.sort();
            versions
        })
        .collect();
    let latest: Vec<&Table> = groups
        .values()
        .filter_map(|tables| tables.iter().max_by_key(|t| t.version).copied())
        .collect();
    let shared = {
        let mut seen = BTreeMap::new();
        for table in &latest {
            *seen.entry((&table.publisher, table.year)).or_insert(0) += 1;
        }
        seen.values().filter(|n| **n > 1).count()
    };
    assert!(
        shared > 0,
        "some department and year have several different tables"
    );

    let checker = Checker::new(Settings::default());
    let profile = Profile::builtin();
    for (name, store, schema) in stores(dir.path()).await {
        for file in &manifest.files {
            let bytes = std::fs::read(out.join(file)).expect("reads");
            let parsed = jixiao_parse::parse_bytes(file, &bytes, &profile).expect("parses");
            let prepared = prepare_file(
                &bytes,
                parsed.documents,
                &parsed.problems,
                &checker,
                &Overrides::default(),
            )
            .expect("prepares");
            store.import_batch(&prepared).await.expect("imports");
        }

        let all = store
            .documents(&Filter::default(), true)
            .await
            .expect("documents");
        assert_eq!(
            all.len(),
            manifest.tables.len(),
            "{name}: every table stored"
        );
        let mut by_key: BTreeMap<&str, Vec<(String, u32)>> = BTreeMap::new();
        for document in &all {
            by_key.entry(&document.key).or_default().push((
                document.source_file.clone(),
                u32::try_from(document.version).expect("version"),
            ));
        }
        let stored_versions: BTreeSet<Vec<(String, u32)>> = by_key
            .into_values()
            .map(|mut v| {
                v.sort();
                v
            })
            .collect();
        assert_eq!(stored_versions, expected_versions, "{name}: versions");

        let shown = store
            .documents(&Filter::default(), false)
            .await
            .expect("documents");
        let mut shown: Vec<Shown> = shown
            .into_iter()
            .map(|d| (d.source_file, d.publisher, d.year, d.total_wan))
            .collect();
        shown.sort();
        let mut expected: Vec<Shown> = latest
            .iter()
            .map(|t| {
                (
                    file_name(&t.file),
                    Some(t.publisher.clone()),
                    Some(i64::from(t.year)),
                    Some(
                        Decimal::from_str(&t.total_wan)
                            .expect("decimal")
                            .normalize(),
                    ),
                )
            })
            .collect();
        expected.sort();
        assert_eq!(shown, expected, "{name}: latest tables and their totals");

        // The overview adds up exactly the latest tables, by department and year.
        let mut expected_rows: BTreeMap<(String, i64), (i64, i64, i64, Decimal)> = BTreeMap::new();
        for table in &latest {
            let row = expected_rows
                .entry((table.publisher.clone(), i64::from(table.year)))
                .or_default();
            row.0 += 1;
            row.1 += table.projects as i64;
            row.2 += table.indicators as i64;
            row.3 += Decimal::from_str(&table.total_wan).expect("decimal");
        }
        let overview = store.overview(&Filter::default()).await.expect("overview");
        let rows: BTreeMap<(String, i64), (i64, i64, i64, Decimal)> = overview
            .into_iter()
            .map(|r| {
                assert_eq!(r.without_amounts, 0);
                (
                    (r.publisher.expect("publisher"), r.year.expect("year")),
                    (
                        r.documents,
                        r.projects,
                        r.indicators,
                        r.total_wan.expect("total"),
                    ),
                )
            })
            .collect();
        assert_eq!(rows, expected_rows, "{name}: overview");

        let mut exported = 0;
        store
            .export(&Filter::default(), &mut |_| {
                exported += 1;
                Ok(())
            })
            .await
            .expect("exports");
        let indicators: usize = latest.iter().map(|t| t.indicators).sum();
        assert_eq!(exported, indicators, "{name}: export");
        assert!(store.verify().await.expect("verifies").is_empty());

        if let Some(schema) = schema {
            drop(store);
            let url = std::env::var("JIXIAO_TEST_POSTGRES_URL").expect("url");
            let admin = sqlx::PgPool::connect(&url).await.expect("PostgreSQL");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&admin)
                .await
                .expect("drop");
        }
    }
}
