//! One suite, both backends: SQLite on a temporary file always, PostgreSQL when
//! `JIXIAO_TEST_POSTGRES_URL` is set (each test in a fresh schema, so tests run in parallel).

use std::path::PathBuf;
use std::str::FromStr as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use jixiao_model::{Document, Profile, ValueKind};
use jixiao_rules::{Checker, Settings};
use jixiao_store::{
    Filter, ImportOutcome, Overrides, PostgresStore, PreparedDocument, ReviewState, SqliteStore,
    Store, prepare_file,
};
use rust_decimal::Decimal;

/// A store under test and what must live as long as it.
struct Fixture {
    name: &'static str,
    store: Box<dyn Store>,
    /// Opens a second, independent connection to the same database.
    reopen: Reopen,
    _dir: Option<tempfile::TempDir>,
}

enum Reopen {
    Sqlite(PathBuf),
    Postgres(Box<sqlx::postgres::PgConnectOptions>, String, String),
}

impl Fixture {
    async fn reopen(&self) -> Box<dyn Store> {
        match &self.reopen {
            Reopen::Sqlite(path) => Box::new(SqliteStore::open(path).await.expect("reopen")),
            Reopen::Postgres(options, _, _) => Box::new(
                PostgresStore::open_with((**options).clone(), "test")
                    .await
                    .expect("reopen"),
            ),
        }
    }

    async fn cleanup(self) {
        if let Reopen::Postgres(_, url, schema) = &self.reopen {
            drop(self.store);
            let pool = sqlx::PgPool::connect(url).await.expect("connect");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&pool)
                .await
                .expect("drop schema");
        }
    }
}

static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

/// The newest migration's version, from the file names (`0010_web_review.sql` → 10), so adding
/// a migration does not break the upgrade tests.
fn latest_schema() -> i64 {
    latest_schema_of("sqlite")
}

/// The newest migration of a backend (`sqlite` or `postgres`): PostgreSQL has one SQLite has not
/// (0015, foreign keys it checked row by row).
fn latest_schema_of(backend: &str) -> i64 {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(dir)
        .expect("migrations")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.split('_').next()?.parse::<i64>().ok()
        })
        .max()
        .expect("at least one migration")
}

/// A fresh SQLite store, and a fresh PostgreSQL one when the server is configured.
async fn fixtures() -> Vec<Fixture> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("corpus.db");
    let mut out = vec![Fixture {
        name: "sqlite",
        store: Box::new(SqliteStore::open(&path).await.expect("open sqlite")),
        reopen: Reopen::Sqlite(path),
        _dir: Some(dir),
    }];
    match std::env::var("JIXIAO_TEST_POSTGRES_URL") {
        Ok(url) => {
            let schema = format!(
                "jixiao_test_{}_{}",
                std::process::id(),
                SCHEMAS.fetch_add(1, Ordering::Relaxed)
            );
            let admin = sqlx::PgPool::connect(&url)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&admin)
                .await
                .expect("drop schema");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .expect("create schema");
            let options = sqlx::postgres::PgConnectOptions::from_str(&url)
                .expect("URL")
                .options([("search_path", schema.as_str())]);
            let store = PostgresStore::open_with(options.clone(), "test")
                .await
                .expect("open postgres");
            out.push(Fixture {
                name: "postgres",
                store: Box::new(store),
                reopen: Reopen::Postgres(Box::new(options), url, schema),
                _dir: None,
            });
        }
        Err(_) => eprintln!("PostgreSQL tests skipped: set JIXIAO_TEST_POSTGRES_URL"),
    }
    out
}

fn seed_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

const HUADU: &str = "guangzhou-huadu-rsj.txt";
const YUEXIU: &str = "guangzhou-yuexiu-rsj.txt";

/// Parses, checks and prepares a source as `jixiao import` does.
fn prepare_source(source: &str, bytes: &[u8]) -> Vec<PreparedDocument> {
    prepare_scored(source, bytes, jixiao_score::Policy::default())
}

fn seeds() -> Vec<PreparedDocument> {
    [YUEXIU, HUADU]
        .into_iter()
        .flat_map(|name| {
            let bytes = std::fs::read(seed_path(name)).expect("seed");
            prepare_source(name, &bytes)
        })
        .collect()
}

async fn import_all(store: &dyn Store, documents: &[PreparedDocument]) -> Vec<ImportOutcome> {
    let mut outcomes = Vec::new();
    for document in documents {
        outcomes.push(store.import(document).await.expect("imports"));
    }
    outcomes
}

fn id_of(outcome: ImportOutcome) -> i64 {
    match outcome {
        ImportOutcome::Imported { id }
        | ImportOutcome::NewVersion { id, .. }
        | ImportOutcome::Unchanged { id, .. }
        | ImportOutcome::Updated { id, .. } => id,
    }
}

#[tokio::test]
async fn seeds_read_back_exactly_as_parsed() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let prepared = seeds();
        let outcomes = import_all(store, &prepared).await;
        for (outcome, prepared) in outcomes.iter().zip(&prepared) {
            assert!(
                matches!(outcome, ImportOutcome::Imported { .. }),
                "{}",
                fixture.name
            );
            let loaded: Document = store.load_document(id_of(*outcome)).await.expect("loads");
            assert_eq!(loaded, prepared.document, "{}", fixture.name);
        }
        // The relational rows say the same as the model, indicator by indicator.
        let mut rows = Vec::new();
        store
            .export(&Filter::default(), &mut |row| {
                rows.push(row.clone());
                Ok(())
            })
            .await
            .expect("exports");
        let expected: Vec<_> = prepared
            .iter()
            .flat_map(|p| p.document.projects().map(move |(u, pr)| (p, u, pr)))
            .flat_map(|(p, u, pr)| pr.indicators.iter().map(move |i| (p, u, pr, i)))
            .collect();
        assert_eq!(rows.len(), expected.len(), "{}", fixture.name);
        assert_eq!(rows.len(), 410);
        for (row, (prepared, unit, project, indicator)) in rows.iter().zip(expected) {
            assert_eq!(row.publisher, prepared.meta.publisher);
            assert_eq!(row.unit, unit.name.text);
            assert_eq!(row.project, project.name.text);
            assert_eq!(
                row.project_total,
                project.amounts.total.as_ref().map(|a| a.value)
            );
            assert_eq!(
                row.project_fiscal,
                project.amounts.fiscal.as_ref().map(|a| a.value)
            );
            assert_eq!(row.seq, i64::from(indicator.seq));
            assert_eq!(row.name, indicator.name.text);
            assert_eq!(row.line, i64::from(indicator.span.line));
            assert_eq!(
                row.level1,
                indicator.level1.as_ref().map(|c| c.name.to_string())
            );
            assert_eq!(
                row.level2,
                indicator.level2.as_ref().map(|c| c.name.to_string())
            );
            let annual = indicator.annual.as_ref();
            assert_eq!(row.annual_raw, annual.map(|v| v.raw.to_string()));
            let number = annual.and_then(|v| match &v.kind {
                ValueKind::Quantitative(q) => Some(q.scaled_number()),
                _ => None,
            });
            assert_eq!(row.annual_number, number, "{}", fixture.name);
        }
        assert_eq!(
            store.verify().await.expect("verifies"),
            Vec::<String>::new()
        );
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn importing_twice_changes_nothing() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let prepared = seeds();
        let first = import_all(store, &prepared).await;
        let overview = store.overview(&Filter::default()).await.expect("overview");
        let second = import_all(store, &prepared).await;
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(
                *b,
                ImportOutcome::Unchanged {
                    id: id_of(*a),
                    version: 1
                },
                "{}",
                fixture.name
            );
        }
        assert_eq!(
            store.overview(&Filter::default()).await.expect("overview"),
            overview
        );
        let all = store
            .documents(&Filter::default(), true)
            .await
            .expect("docs");
        assert_eq!(all.len(), 2, "{}", fixture.name);
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn changed_copy_becomes_version_two_and_keeps_version_one() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        import_all(store, &seeds()).await;
        let original = std::fs::read_to_string(seed_path(HUADU)).expect("seed");
        let changed = original.replacen(
            "赤坭镇居民医保扩面工作经费\t7.40\t7.40",
            "赤坭镇居民医保扩面工作经费\t7.50\t7.50",
            1,
        );
        assert_ne!(changed, original);
        let prepared = prepare_source(HUADU, changed.as_bytes());
        let outcome = store.import(&prepared[0]).await.expect("imports");
        assert!(
            matches!(outcome, ImportOutcome::NewVersion { version: 2, .. }),
            "{}: {outcome:?}",
            fixture.name
        );
        let filter = Filter {
            publisher: Some("花都".into()),
            year: None,
        };
        let versions = store.documents(&filter, true).await.expect("docs");
        assert_eq!(
            versions
                .iter()
                .map(|d| (d.version, d.is_latest))
                .collect::<Vec<_>>(),
            [(2, true), (1, false)]
        );
        let latest = store.documents(&filter, false).await.expect("docs");
        assert_eq!(latest.len(), 1);
        // Reports read the latest version only.
        let history = store
            .project_history("赤坭镇居民医保扩面工作经费", &Filter::default())
            .await
            .expect("history");
        let history: Vec<_> = history
            .into_iter()
            .filter(|h| h.project == "赤坭镇居民医保扩面工作经费")
            .collect();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].total, Some(Decimal::new(750, 2)));
        assert_eq!(history[0].version, 2);
        // Importing the original again is a no-op: that content is stored (as version 1).
        let again = store.import(&seeds()[1]).await.expect("imports");
        assert!(matches!(again, ImportOutcome::Unchanged { version: 1, .. }));
        assert!(store.verify().await.expect("verifies").is_empty());
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn reports_give_the_seed_numbers() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let prepared = seeds();
        import_all(store, &prepared).await;
        let overview = store.overview(&Filter::default()).await.expect("overview");
        let row = |needle: &str| {
            overview
                .iter()
                .find(|r| r.publisher.as_deref().is_some_and(|p| p.contains(needle)))
                .cloned()
                .expect("publisher row")
        };
        let huadu = row("花都");
        assert_eq!(
            (
                huadu.documents,
                huadu.units,
                huadu.projects,
                huadu.indicators
            ),
            (1, 5, 88, 390),
            "{}",
            fixture.name
        );
        assert_eq!(
            huadu.total_wan,
            Some(Decimal::from_str("34139.95").expect("decimal"))
        );
        let yuexiu = row("越秀");
        assert_eq!(
            (yuexiu.units, yuexiu.projects, yuexiu.indicators),
            (1, 10, 20)
        );
        assert_eq!(
            yuexiu.total_wan,
            Some(Decimal::from_str("453.80").expect("decimal"))
        );

        let department = store
            .department(&Filter {
                publisher: Some("花都".into()),
                year: None,
            })
            .await
            .expect("department");
        assert_eq!(department.iter().filter(|r| r.project.is_none()).count(), 5);
        assert_eq!(
            department.iter().filter(|r| r.project.is_some()).count(),
            88
        );
        let unit_indicators: i64 = department
            .iter()
            .filter(|r| r.project.is_none())
            .map(|r| r.indicators)
            .sum();
        assert_eq!(unit_indicators, 390);

        let expected_findings: usize = prepared.iter().map(|p| p.findings.len()).sum();
        let counts = store
            .finding_counts(&Filter::default())
            .await
            .expect("counts");
        assert_eq!(
            counts.iter().map(|c| c.total).sum::<i64>() as usize,
            expected_findings
        );
        assert!(expected_findings > 0, "the seeds have findings");

        let hits = store
            .search("满意度", &Filter::default(), 1000)
            .await
            .expect("search");
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|h| {
            h.name.contains("满意度")
                || h.annual_raw
                    .as_deref()
                    .is_some_and(|v| v.contains("满意度"))
        }));
        // LIKE wildcards in the text are literal: `_` does not stand for 度.
        assert!(
            store
                .search("满意_", &Filter::default(), 10)
                .await
                .expect("search")
                .is_empty()
        );

        let history = store
            .project_history("劳动人事争议调解仲裁经费", &Filter::default())
            .await
            .expect("history");
        assert_eq!(history.len(), 1, "{}", fixture.name);
        assert_eq!(
            history[0].total,
            Some(Decimal::from_str("44.00").expect("decimal"))
        );
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn finding_review_state_round_trips() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let outcomes = import_all(store, &seeds()).await;
        let findings = store.findings(id_of(outcomes[1])).await.expect("findings");
        let first = findings.first().expect("a finding");
        assert_eq!(first.review_state, ReviewState::Open);
        store
            .review_finding(
                first.id,
                ReviewState::Dismissed,
                "张三",
                Some("已与部门核实"),
            )
            .await
            .expect("reviews");
        let again = store.findings(id_of(outcomes[1])).await.expect("findings");
        let reviewed = again
            .iter()
            .find(|f| f.id == first.id)
            .expect("same finding");
        assert_eq!(reviewed.review_state, ReviewState::Dismissed);
        assert_eq!(reviewed.reviewed_by.as_deref(), Some("张三"));
        assert_eq!(reviewed.review_comment.as_deref(), Some("已与部门核实"));
        assert!(reviewed.reviewed_at.is_some());
        let counts = store
            .finding_counts(&Filter::default())
            .await
            .expect("counts");
        assert_eq!(counts.iter().map(|c| c.dismissed).sum::<i64>(), 1);
        assert!(
            store
                .review_finding(-1, ReviewState::Accepted, "张三", None)
                .await
                .is_err()
        );
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn corpus_version_moves_on_import_and_review_only() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let empty = store.corpus_version().await.expect("version");
        let outcomes = import_all(store, &seeds()).await;
        let imported = store.corpus_version().await.expect("version");
        assert!(imported.generation > empty.generation, "{}", fixture.name);
        import_all(store, &seeds()).await;
        assert_eq!(
            store.corpus_version().await.expect("version"),
            imported,
            "{}: importing the same tables again changes nothing",
            fixture.name
        );

        // Per-document counts in one query agree with each document's own findings.
        let document = id_of(outcomes[1]);
        let findings = store.findings(document).await.expect("findings");
        let counts = store
            .document_finding_counts(&Filter::default(), false)
            .await
            .expect("counts");
        let of_document: i64 = counts
            .iter()
            .filter(|c| c.document_id == document)
            .map(|c| c.count)
            .sum();
        assert_eq!(of_document, findings.len() as i64, "{}", fixture.name);
        let first = &findings[0];
        let same_code = findings
            .iter()
            .filter(|f| f.code == first.code && f.severity == first.severity)
            .count() as i64;
        assert!(
            counts.iter().any(|c| c.document_id == document
                && c.code == first.code
                && c.severity == first.severity
                && c.count == same_code),
            "{}",
            fixture.name
        );

        // A row per document: the distinct codes and severities of its rows of counts.
        let marks = store.document_finding_marks().await.expect("marks");
        let mut expected: std::collections::BTreeMap<i64, (Vec<String>, Vec<String>)> =
            std::collections::BTreeMap::new();
        for count in &counts {
            let (codes, severities) = expected.entry(count.document_id).or_default();
            codes.push(count.code.clone());
            severities.push(count.severity.clone());
        }
        for (codes, severities) in expected.values_mut() {
            for list in [codes, severities] {
                list.sort_unstable();
                list.dedup();
            }
        }
        let got: std::collections::BTreeMap<i64, (Vec<String>, Vec<String>)> = marks
            .into_iter()
            .map(|m| (m.document_id, (m.codes, m.severities)))
            .collect();
        assert_eq!(got, expected, "{}", fixture.name);
        assert!(
            expected
                .values()
                .any(|(codes, severities)| codes.len() > 1 && severities.len() > 1),
            "{}: the seeds give documents of several codes and severities",
            fixture.name
        );

        store
            .review_finding(first.id, ReviewState::Accepted, "张三", None)
            .await
            .expect("reviews");
        let reviewed = store.corpus_version().await.expect("version");
        assert_eq!(reviewed.generation, imported.generation);
        assert!(reviewed.review_generation > imported.review_generation);
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn two_importers_at_once_store_each_document_once() {
    for fixture in fixtures().await {
        let other = fixture.reopen().await;
        let mut documents = seeds();
        for year in 2020..2024 {
            let text = std::fs::read_to_string(seed_path(YUEXIU)).expect("seed");
            let text = text.replacen(
                "项目支出绩效目标表",
                &format!("{year}年度项目支出绩效目标表"),
                1,
            );
            documents.extend(prepare_source(&format!("{year}.txt"), text.as_bytes()));
        }
        let (a, b) = tokio::join!(
            import_all(fixture.store.as_ref(), &documents),
            import_all(other.as_ref(), &documents)
        );
        for (a, b) in a.iter().zip(&b) {
            let imported = [a, b]
                .iter()
                .filter(|o| matches!(o, ImportOutcome::Imported { .. }))
                .count();
            assert_eq!(imported, 1, "{}: {a:?} {b:?}", fixture.name);
        }
        let all = fixture
            .store
            .documents(&Filter::default(), true)
            .await
            .expect("docs");
        assert_eq!(all.len(), documents.len(), "{}", fixture.name);
        assert_eq!(
            all.iter().filter_map(|d| d.year).collect::<Vec<_>>().len(),
            4,
            "years inferred from the titles"
        );
        assert!(fixture.store.verify().await.expect("verifies").is_empty());
        drop(other);
        fixture.cleanup().await;
    }
}

/// Turns a current SQLite file into what jixiao left before migration 0004: no `key_scheme`,
/// `document_totals`, `*_wan` columns or corpus findings, and the old key `publisher|year|layout`, under which every
/// table of one department and year was a version of the others.
async fn downgrade_to_schema_3(store: SqliteStore) {
    let pool = store.pool().clone();
    for sql in before_0016("sqlite") {
        sqlx::query(&sql).execute(&pool).await.expect(&sql);
    }
    for sql in BEFORE_0014 {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    for sql in [
        // Self-evaluation scores (0012).
        "DROP TABLE scores_pending",
        "DROP TABLE project_scores",
        // The web app's tables (0010).
        "DROP TABLE audit_log",
        "DROP TABLE project_grades",
        "DROP TABLE document_reviews",
        "DROP TABLE api_tokens",
        "DROP TABLE sessions",
        "DROP TABLE users",
        "DROP INDEX documents_old_keys",
        "ALTER TABLE documents DROP COLUMN key_scheme",
        "DROP TABLE document_totals",
        "ALTER TABLE units DROP COLUMN total_wan",
        "ALTER TABLE projects DROP COLUMN total_wan",
        "DROP TABLE corpus_state",
        "DROP INDEX findings_corpus",
        "ALTER TABLE findings DROP COLUMN corpus",
        // `spans` as before migration 0013.
        "ALTER TABLE spans ADD COLUMN file TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX spans_document ON spans (document_id)",
        "DELETE FROM _sqlx_migrations WHERE version >= 4",
        "UPDATE documents SET version = -id, document_key = COALESCE(publisher, source_file) \
         || '|' || COALESCE(CAST(year AS TEXT), '-') || '|' || layout",
    ] {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, document_key FROM documents ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("documents");
    let mut counts: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for (_, key) in &rows {
        *counts.entry(key).or_default() += 1;
    }
    let mut seen: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for (id, key) in &rows {
        let version = seen.entry(key).or_default();
        *version += 1;
        sqlx::query("UPDATE documents SET version = $1, is_latest = $2 WHERE id = $3")
            .bind(*version)
            .bind(*version == counts[key.as_str()])
            .bind(id)
            .execute(&pool)
            .await
            .expect("old versions");
    }
    pool.close().await;
}

/// An SQLite file as jixiao left it before migration 0004, holding `documents`.
async fn create_schema_3_with(path: &std::path::Path, documents: &[PreparedDocument]) {
    let store = SqliteStore::open(path).await.expect("new file");
    import_all(&store, documents).await;
    downgrade_to_schema_3(store).await;
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/samples")
            .join(name),
    )
    .expect("shared sample")
}

const SHEET: &str = "07_xiangtan_huanwei_2023.txt";

/// Two project sheets of one department and year: sample 07 and the same sheet for another
/// project.
fn two_sheets() -> Vec<PreparedDocument> {
    let text = String::from_utf8(sample(SHEET)).expect("UTF-8");
    let other = text.replace("雾炮车降尘抑尘服务", "道路机械化清扫服务");
    assert_ne!(text, other);
    let mut out = prepare_source(SHEET, text.as_bytes());
    out.extend(prepare_source("07_other.txt", other.as_bytes()));
    out
}

#[tokio::test]
async fn older_sqlite_file_is_backed_up_then_rekeyed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    let mut documents = seeds();
    documents.extend(two_sheets());
    create_schema_3_with(&path, &documents).await;
    // As the old key had it: the second sheet hid the first.
    let old = SqliteStore::create_with_schema_version(&path, 3)
        .await
        .expect("old file opens");
    assert_eq!(old.schema_version().await.expect("version"), 3);
    let latest: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE is_latest")
        .fetch_one(old.pool())
        .await
        .expect("count");
    assert_eq!(latest, 3);
    old.pool().close().await;

    let store = SqliteStore::open(&path).await.expect("opens and migrates");
    assert_eq!(
        store.schema_version().await.expect("version"),
        latest_schema()
    );
    assert!(dir.path().join("old.db.bak-3").exists(), "backup first");
    assert!(
        store.corpus_findings_stale().await.expect("state"),
        "an older file's corpus findings were never computed"
    );
    let docs = store
        .documents(&Filter::default(), false)
        .await
        .expect("docs");
    assert_eq!(docs.len(), 4, "every table is shown again");
    assert!(docs.iter().all(|d| d.version == 1 && d.is_latest));
    let sheets: Vec<_> = docs
        .iter()
        .filter(|d| d.layout == "project-sheet")
        .collect();
    assert_eq!(sheets.len(), 2);
    for sheet in &sheets {
        assert_eq!(sheet.total_wan, Some(Decimal::from(250)), "{}", sheet.key);
    }
    assert!(
        sheets[0].key.contains("|project-sheet|项目:"),
        "{}",
        sheets[0].key
    );
    // The keys are those a fresh import gives: importing again changes nothing.
    for (outcome, prepared) in import_all(&store, &documents).await.iter().zip(&documents) {
        assert!(
            matches!(outcome, ImportOutcome::Unchanged { version: 1, .. }),
            "{}: {outcome:?}",
            prepared.meta.key
        );
    }
    let huadu = store
        .overview(&Filter {
            publisher: Some("花都".into()),
            year: None,
        })
        .await
        .expect("overview");
    assert_eq!(
        huadu[0].total_wan,
        Some(Decimal::from_str("34139.95").expect("decimal"))
    );
    assert!(store.verify().await.expect("verifies").is_empty());
    // Opening a current file again neither migrates nor backs up.
    drop(store);
    SqliteStore::open(&path).await.expect("reopens");
    assert!(!dir.path().join("old.db.bak-5").exists());
}

/// Regression: three processes opening an older file at once each backed it up to the same
/// `.bak-1` and all but one failed. Now one backs it up and migrates, the others find it done.
#[tokio::test]
async fn openers_of_an_older_sqlite_file_at_once_back_it_up_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    create_schema_3_with(&path, &seeds()).await;
    let (a, b, c) = tokio::join!(
        SqliteStore::open(&path),
        SqliteStore::open(&path),
        SqliteStore::open(&path)
    );
    for store in [a, b, c] {
        let store = store.expect("opens");
        assert_eq!(
            store.schema_version().await.expect("version"),
            latest_schema()
        );
        assert_eq!(
            store
                .documents(&Filter::default(), false)
                .await
                .expect("docs")
                .len(),
            2
        );
    }
    let mut backups: Vec<String> = std::fs::read_dir(dir.path())
        .expect("lists the directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.contains(".bak-"))
        .collect();
    backups.sort();
    assert_eq!(backups, ["old.db.bak-3"]);
}

/// Sample 03 publishes in 元, the 花都 seed in 万元, samples 07 and 19 (project sheets) name 250万
/// and 70.00 for their one project and sample 21 (a self-evaluation) a budget of 3.36; sample 72
/// lists no amount.
/// What a reader gets from a corpus: every stored model, the export rows and the findings.
async fn everything_read(store: &dyn Store) -> (Vec<Document>, Vec<String>, Vec<String>) {
    let mut models = Vec::new();
    let mut findings = Vec::new();
    for info in store
        .documents(&Filter::default(), true)
        .await
        .expect("documents")
    {
        models.push(store.load_document(info.id).await.expect("loads"));
        for finding in store.findings(info.id).await.expect("findings") {
            findings.push(format!("{finding:?}"));
        }
    }
    let mut rows = Vec::new();
    store
        .export(&Filter::default(), &mut |row| {
            rows.push(format!("{row:?}"));
            Ok(())
        })
        .await
        .expect("exports");
    (models, rows, findings)
}

/// A corpus written before migration 0013 (spans with their file path and an index on their
/// document) opens, is migrated, and reads back the same as before.
#[tokio::test]
async fn a_corpus_from_before_spans_lost_their_file_reads_back_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("before-13.db");
    let mut documents = seeds();
    documents.extend(two_sheets());
    let store = SqliteStore::open(&path).await.expect("new file");
    import_all(&store, &documents).await;
    let before = everything_read(&store).await;
    assert!(!before.1.is_empty() && !before.2.is_empty());
    let pool = store.pool().clone();
    for sql in before_0016("sqlite") {
        sqlx::query(&sql).execute(&pool).await.expect(&sql);
    }
    for sql in BEFORE_0014 {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    // `spans` as jixiao wrote it before migration 0013.
    for sql in [
        "ALTER TABLE spans ADD COLUMN file TEXT NOT NULL DEFAULT ''",
        "UPDATE spans SET file = '/corpus/' || \
         (SELECT source_file FROM documents d WHERE d.id = spans.document_id)",
        "CREATE INDEX spans_document ON spans (document_id)",
        "DELETE FROM _sqlx_migrations WHERE version >= 13",
    ] {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    pool.close().await;
    drop(store);

    let store = SqliteStore::open(&path).await.expect("opens and migrates");
    assert_eq!(
        store.schema_version().await.expect("version"),
        latest_schema()
    );
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('spans')")
        .fetch_all(store.pool())
        .await
        .expect("columns");
    assert!(!columns.iter().any(|c| c == "file"), "{columns:?}");
    assert!(store.verify().await.expect("verifies").is_empty());
    assert_eq!(everything_read(&store).await, before);
    for outcome in import_all(&store, &documents).await {
        assert!(
            matches!(outcome, ImportOutcome::Unchanged { .. }),
            "{outcome:?}"
        );
    }
}

/// Turns a current database into what jixiao left before migration 0014, keeping its data: each
/// finding with its advice, each indicator with its categories, and the columns 0014 dropped
/// (empty: nothing read them).
const BEFORE_0014: &[&str] = &[
    "ALTER TABLE findings ADD COLUMN help TEXT NOT NULL DEFAULT ''",
    "UPDATE findings SET help = \
     COALESCE((SELECT h.help FROM finding_helps h WHERE h.id = findings.help_id), '')",
    "ALTER TABLE findings DROP COLUMN help_id",
    "DROP TABLE finding_helps",
    "ALTER TABLE indicators ADD COLUMN level1 TEXT",
    "ALTER TABLE indicators ADD COLUMN level1_code TEXT",
    "ALTER TABLE indicators ADD COLUMN level2 TEXT",
    "ALTER TABLE indicators ADD COLUMN level2_code TEXT",
    "UPDATE indicators SET \
     level1 = (SELECT c.level1 FROM indicator_categories c WHERE c.id = indicators.category_id), \
     level1_code = (SELECT c.level1_code FROM indicator_categories c \
                    WHERE c.id = indicators.category_id), \
     level2 = (SELECT c.level2 FROM indicator_categories c WHERE c.id = indicators.category_id), \
     level2_code = (SELECT c.level2_code FROM indicator_categories c \
                    WHERE c.id = indicators.category_id)",
    "ALTER TABLE indicators DROP COLUMN category_id",
    "DROP TABLE indicator_categories",
    "ALTER TABLE indicators ADD COLUMN period_kind TEXT",
    "ALTER TABLE indicators ADD COLUMN period_comparator TEXT",
    "ALTER TABLE indicators ADD COLUMN period_number TEXT",
    "ALTER TABLE indicators ADD COLUMN period_unit TEXT",
    "ALTER TABLE projects ADD COLUMN goal TEXT",
    "DELETE FROM _sqlx_migrations WHERE version >= 14",
];

/// The tables whose rows each have a source span.
const SPANNED: [&str; 4] = ["units", "projects", "indicators", "findings"];

/// Turns a current database (`sqlite` or `postgres`) into what jixiao left before migration
/// 0016, keeping its data: a `spans` row for every unit, project, indicator and finding, which
/// points at it by `span_id`, and (on PostgreSQL) the trigger of migration 0015 that deletes a
/// document's spans with it.
fn before_0016(backend: &str) -> Vec<String> {
    let integer = if backend == "postgres" {
        "BIGINT"
    } else {
        "INTEGER"
    };
    let mut out = vec![format!(
        "CREATE TABLE spans (id {integer} PRIMARY KEY, \
         document_id {integer} NOT NULL REFERENCES documents (id) ON DELETE CASCADE, \
         line {integer} NOT NULL, start_byte {integer} NOT NULL, end_byte {integer} NOT NULL, \
         sheet TEXT, page {integer}, cell_row {integer}, cell_col {integer})"
    )];
    // Span ids as the old importer gave them: one sequence over the four tables.
    for (k, table) in SPANNED.iter().enumerate() {
        out.push(format!(
            "INSERT INTO spans (id, document_id, line, start_byte, end_byte, sheet, page, \
             cell_row, cell_col) SELECT 4 * id + {k}, document_id, span_line, span_start, \
             span_end, span_sheet, span_page, span_row, span_col FROM {table}"
        ));
        out.push(format!(
            "ALTER TABLE {table} ADD COLUMN span_id {integer} REFERENCES spans (id)"
        ));
        out.push(format!("UPDATE {table} SET span_id = 4 * id + {k}"));
        for column in [
            "span_line",
            "span_start",
            "span_end",
            "span_sheet",
            "span_page",
            "span_row",
            "span_col",
        ] {
            out.push(format!("ALTER TABLE {table} DROP COLUMN {column}"));
        }
    }
    if backend == "postgres" {
        out.push(
            "CREATE OR REPLACE FUNCTION jixiao_documents_deleted() RETURNS trigger \
             LANGUAGE plpgsql SET search_path FROM CURRENT AS $$ \
             BEGIN \
                 DELETE FROM findings WHERE document_id IN (SELECT id FROM gone); \
                 DELETE FROM indicators WHERE document_id IN (SELECT id FROM gone); \
                 DELETE FROM projects WHERE document_id IN (SELECT id FROM gone); \
                 DELETE FROM units WHERE document_id IN (SELECT id FROM gone); \
                 DELETE FROM spans WHERE document_id IN (SELECT id FROM gone); \
                 RETURN NULL; \
             END $$"
                .to_owned(),
        );
    }
    out.push("DELETE FROM _sqlx_migrations WHERE version >= 16".to_owned());
    out
}

/// Every unit's, project's, indicator's and finding's span, one text per row: table, id, line,
/// byte range and cell; read from the rows (`before_0016` false) or, in a database from before
/// migration 0016, from `spans` through `span_id`.
async fn stored_spans(fixture: &Fixture, before_0016: bool) -> Vec<String> {
    let mut out = Vec::new();
    for table in SPANNED {
        let (columns, from) = if before_0016 {
            (
                [
                    "line",
                    "start_byte",
                    "end_byte",
                    "sheet",
                    "page",
                    "cell_row",
                    "cell_col",
                ]
                .map(|c| format!("s.{c}")),
                format!("{table} t JOIN spans s ON s.id = t.span_id"),
            )
        } else {
            (
                [
                    "span_line",
                    "span_start",
                    "span_end",
                    "span_sheet",
                    "span_page",
                    "span_row",
                    "span_col",
                ]
                .map(|c| format!("t.{c}")),
                format!("{table} t"),
            )
        };
        let text = columns
            .iter()
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || ' ' || ");
        let sql = format!(
            "SELECT '{table} ' || CAST(t.id AS TEXT) || ' ' || {text} FROM {from} ORDER BY t.id"
        );
        out.extend(raw_texts(fixture, &sql).await);
    }
    out
}

/// The texts `query` gives on the fixture's database, read without opening (and so migrating)
/// a store.
async fn raw_texts(fixture: &Fixture, query: &str) -> Vec<String> {
    match &fixture.reopen {
        Reopen::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let pool = sqlx::SqlitePool::connect_with(options)
                .await
                .expect("connects");
            let texts = sqlx::query_scalar(query)
                .fetch_all(&pool)
                .await
                .expect(query);
            pool.close().await;
            texts
        }
        Reopen::Postgres(options, _, _) => {
            let pool = sqlx::PgPool::connect_with((**options).clone())
                .await
                .expect("connects");
            let texts = sqlx::query_scalar(query)
                .fetch_all(&pool)
                .await
                .expect(query);
            pool.close().await;
            texts
        }
    }
}

/// A corpus written before migration 0016 (a `spans` row for every unit, project, indicator and
/// finding, each pointing at its own by `span_id`) opens, is migrated with every span in its row,
/// reads back the same and takes further imports and deletions.
#[tokio::test]
async fn a_corpus_from_before_spans_moved_into_their_rows_keeps_every_span() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let mut documents = seeds();
        documents.extend(two_sheets());
        let outcomes = import_all(store, &documents).await;
        store
            .refresh_corpus_findings(&Settings::default())
            .await
            .expect("corpus findings");
        // Sheets and pages, as spreadsheets and PDFs give them.
        run_raw(
            &fixture,
            &[
                "UPDATE findings SET span_sheet = '表1', span_page = 3, span_row = 7, \
                 span_col = 2 WHERE id = (SELECT MIN(id) FROM findings)",
                "UPDATE indicators SET span_sheet = 'Sheet2', span_row = 9, span_col = 4 \
                 WHERE id = (SELECT MAX(id) FROM indicators)",
            ],
        )
        .await;
        let spans = stored_spans(&fixture, false).await;
        assert!(spans.len() > 400, "{}: {}", fixture.name, spans.len());
        let before = everything_read(fixture.reopen().await.as_ref()).await;
        assert!(
            before.2.iter().any(|f| f.contains("G002")),
            "{}",
            fixture.name
        );

        undo_0016(&fixture).await;
        assert_eq!(
            stored_spans(&fixture, true).await,
            spans,
            "{}",
            fixture.name
        );
        let count = raw_texts(&fixture, "SELECT CAST(COUNT(*) AS TEXT) FROM spans").await;
        assert_eq!(count, [spans.len().to_string()], "{}", fixture.name);

        let upgraded = fixture.reopen().await;
        assert_eq!(
            upgraded.schema_version().await.expect("version"),
            latest_schema_of(fixture.name),
            "{}",
            fixture.name
        );
        assert_eq!(
            stored_spans(&fixture, false).await,
            spans,
            "{}",
            fixture.name
        );
        let tables = if fixture.name == "postgres" {
            "SELECT CAST(COUNT(*) AS TEXT) FROM information_schema.tables \
             WHERE table_name = 'spans' AND table_schema = current_schema()"
        } else {
            "SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_master WHERE name = 'spans'"
        };
        assert_eq!(raw_texts(&fixture, tables).await, ["0"], "{}", fixture.name);
        assert_eq!(
            everything_read(upgraded.as_ref()).await,
            before,
            "{}",
            fixture.name
        );
        assert!(upgraded.verify().await.expect("verifies").is_empty());
        for outcome in import_all(upgraded.as_ref(), &documents).await {
            assert!(
                matches!(outcome, ImportOutcome::Unchanged { .. }),
                "{outcome:?}"
            );
        }
        // Deleting a document after the upgrade takes its rows (the PostgreSQL trigger without
        // `spans`).
        let gone = id_of(outcomes[0]);
        delete_document(&fixture, gone).await;
        for table in SPANNED {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE document_id = {gone}");
            assert_eq!(
                count_in_reopened(&fixture, &sql).await,
                0,
                "{}: {table}",
                fixture.name
            );
        }
        drop(upgraded);
        fixture.cleanup().await;
    }
}

/// Deletes a document (its review first, which has a foreign key to it) by SQL, as another
/// program would.
async fn delete_document(fixture: &Fixture, id: i64) {
    execute(
        fixture,
        &format!("DELETE FROM document_reviews WHERE document_id = {id}"),
    )
    .await;
    execute(fixture, &format!("DELETE FROM documents WHERE id = {id}")).await;
}

/// Takes the fixture's database back to its schema before migration 0016 (spans in a table of
/// their own), with its rows.
async fn undo_0016(fixture: &Fixture) {
    let statements = before_0016(fixture.name);
    run_raw(
        fixture,
        &statements.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
}

/// Runs statements on the fixture's database through a connection of their own, as another
/// program (or an older jixiao) would, without opening (and so migrating) a store; on SQLite
/// without foreign-key checks, as the `sqlite3` shell runs.
async fn run_raw(fixture: &Fixture, statements: &[&str]) {
    match &fixture.reopen {
        Reopen::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .foreign_keys(false);
            let pool = sqlx::SqlitePool::connect_with(options)
                .await
                .expect("connects");
            for sql in statements {
                sqlx::query(sql).execute(&pool).await.expect(sql);
            }
            pool.close().await;
        }
        Reopen::Postgres(options, _, _) => {
            let pool = sqlx::PgPool::connect_with((**options).clone())
                .await
                .expect("connects");
            for sql in statements {
                sqlx::query(sql).execute(&pool).await.expect(sql);
            }
            pool.close().await;
        }
    }
}

/// A corpus written before migration 0014 (advice on every finding, categories on every
/// indicator) opens, is migrated, reads back the same, and takes further imports.
#[tokio::test]
async fn a_corpus_from_before_the_lookup_tables_reads_back_the_same() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let mut documents = seeds();
        documents.extend(two_sheets());
        import_all(store, &documents).await;
        store
            .refresh_corpus_findings(&Settings::default())
            .await
            .expect("corpus findings");
        let first = store.findings(1).await.expect("findings")[0].id;
        store
            .review_finding(first, ReviewState::Accepted, "张三", Some("属实"))
            .await
            .expect("reviews");
        let read = |store: &'static dyn Store| async move {
            let categories = store
                .review()
                .category_counts(&Filter::default())
                .await
                .expect("categories");
            let hits = store
                .search("满意度", &Filter::default(), 1000)
                .await
                .expect("search");
            (
                everything_read(store).await,
                format!("{categories:?}"),
                format!("{hits:?}"),
            )
        };
        // Leaked for the closure above: a test process.
        let before = read(Box::leak(fixture.reopen().await)).await;
        assert!(!before.0.1.is_empty() && !before.0.2.is_empty());
        assert!(
            before.0.2.iter().any(|f| f.contains("G002")),
            "{}",
            fixture.name
        );
        undo_0016(&fixture).await;
        run_raw(&fixture, BEFORE_0014).await;

        let upgraded: &'static dyn Store = Box::leak(fixture.reopen().await);
        assert_eq!(
            upgraded.schema_version().await.expect("version"),
            latest_schema_of(fixture.name),
            "{}",
            fixture.name
        );
        assert_eq!(read(upgraded).await, before, "{}", fixture.name);
        assert!(upgraded.verify().await.expect("verifies").is_empty());
        for outcome in import_all(upgraded, &documents).await {
            assert!(
                matches!(outcome, ImportOutcome::Unchanged { .. }),
                "{outcome:?}"
            );
        }
        // New tables after the upgrade reuse the stored advice and categories.
        let text = String::from_utf8(sample(SHEET)).expect("UTF-8");
        let third = text.replace("雾炮车降尘抑尘服务", "垃圾分类宣传服务");
        import_all(upgraded, &prepare_source("07_third.txt", third.as_bytes())).await;
        let duplicates = "SELECT COUNT(*) FROM indicator_categories c JOIN indicator_categories o \
             ON o.id < c.id AND o.level1 IS NOT DISTINCT FROM c.level1 \
             AND o.level1_code IS NOT DISTINCT FROM c.level1_code \
             AND o.level2 IS NOT DISTINCT FROM c.level2 \
             AND o.level2_code IS NOT DISTINCT FROM c.level2_code";
        let count = count_in_reopened(&fixture, duplicates).await;
        assert_eq!(count, 0, "{}", fixture.name);
        assert!(upgraded.verify().await.expect("verifies").is_empty());
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn totals_are_in_wan_whatever_unit_the_tables_used() {
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let mut documents = seeds();
        for name in [
            "03_leshan_jingyan_mata_2023.txt",
            SHEET,
            "19_yiyang_nanxian_jikong_2025.txt",
            "21_suining_daying_sifaju_2023.txt",
            "72_xiaogan_hubeigongchengxueyuan_xueshengzizhu.txt",
        ] {
            documents.extend(prepare_source(name, &sample(name)));
        }
        import_all(store, &documents).await;
        let docs = store
            .documents(&Filter::default(), false)
            .await
            .expect("docs");
        let total = |file: &str| {
            docs.iter()
                .filter(|d| d.source_file == file)
                .find_map(|d| d.total_wan)
        };
        let wan = |text: &str| Decimal::from_str(text).expect("decimal");
        assert_eq!(
            total("03_leshan_jingyan_mata_2023.txt"),
            Some(wan("882.762053"))
        );
        assert_eq!(total(HUADU), Some(wan("34139.95")));
        assert_eq!(total(SHEET), Some(wan("250")));
        assert_eq!(total("19_yiyang_nanxian_jikong_2025.txt"), Some(wan("70")));
        assert_eq!(
            total("21_suining_daying_sifaju_2023.txt"),
            Some(wan("3.36"))
        );
        assert_eq!(
            total("72_xiaogan_hubeigongchengxueyuan_xueshengzizhu.txt"),
            None
        );

        let overview = store.overview(&Filter::default()).await.expect("overview");
        let sum: Decimal = overview.iter().filter_map(|r| r.total_wan).sum();
        // 03 + 花都 + 越秀 + 07 + 19 + 21, all in 万元; 72 is left out, not counted as 0.
        assert_eq!(
            sum,
            wan("882.762053")
                + wan("34139.95")
                + wan("453.80")
                + wan("250")
                + wan("70")
                + wan("3.36"),
            "{}",
            fixture.name
        );
        // 72, and the tail of an earlier table that sample 21 starts with.
        assert_eq!(overview.iter().map(|r| r.without_amounts).sum::<i64>(), 2);

        let mut mata = store
            .department(&Filter {
                publisher: Some("马踏".into()),
                year: None,
            })
            .await
            .expect("department");
        mata.retain(|r| r.project.as_deref() == Some("村组干部报酬"));
        assert_eq!(mata.len(), 1, "{}", fixture.name);
        assert_eq!(mata[0].total, Some(wan("330.984")), "3,309,840.00 元");
        assert_eq!(mata[0].amount_unit.as_deref(), Some("元"));
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn year_and_publisher_are_inferred_and_overridable() {
    let text = std::fs::read_to_string(seed_path(YUEXIU)).expect("seed");
    let text = text.replacen("项目支出绩效目标表", "2024年度项目支出绩效目标表", 1);
    let prepared = prepare_source("x.txt", text.as_bytes());
    assert_eq!(prepared[0].meta.year, Some(2024));
    assert_eq!(
        prepared[0].meta.publisher.as_deref(),
        Some("广州市越秀区人力资源和社会保障局（本级）")
    );
    let parsed =
        jixiao_parse::parse_bytes("x.txt", text.as_bytes(), &Profile::builtin()).expect("parses");
    let overridden = prepare_file(
        text.as_bytes(),
        parsed.documents,
        &parsed.problems,
        &Checker::new(Settings::default()),
        &Overrides {
            year: Some(2023),
            publisher: Some("越秀区人社局".into()),
        },
    )
    .expect("prepares");
    assert_eq!(overridden[0].meta.year, Some(2023));
    assert!(
        overridden[0]
            .meta
            .key
            .starts_with("越秀区人社局|2023|department-list|项目集:10:"),
        "{}",
        overridden[0].meta.key
    );
}

/// Regression: two processes opening a new SQLite file at once both ran the first migration and
/// the second failed with "table documents already exists"; later, switching the new file to WAL
/// at the same moment failed with "database is locked". Repeated, because the race is narrow.
#[tokio::test]
async fn two_openers_of_a_new_sqlite_file_both_succeed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for round in 0..20 {
        let path = dir.path().join(format!("new-{round}.db"));
        // Each connection runs on a thread of its own, so the opens race inside SQLite.
        let (a, b, c, d) = tokio::join!(
            SqliteStore::open(&path),
            SqliteStore::open(&path),
            SqliteStore::open(&path),
            SqliteStore::open(&path)
        );
        for store in [a, b, c, d] {
            let store = store.unwrap_or_else(|e| panic!("round {round}: opens: {e:?}"));
            assert_eq!(
                store.schema_version().await.expect("version"),
                latest_schema()
            );
        }
    }
}

/// G002 counts of a checker that sees `documents`, as `check` over their files would.
fn g002_of(documents: &[&PreparedDocument]) -> i64 {
    let mut checker = Checker::new(Settings::default());
    for prepared in documents {
        checker.observe(std::slice::from_ref(&prepared.document));
    }
    checker.finish().iter().filter(|f| f.code == "G002").count() as i64
}

fn g002_stored(counts: &[jixiao_store::FindingCount]) -> i64 {
    counts
        .iter()
        .filter(|c| c.code == "G002")
        .map(|c| c.total)
        .sum()
}

/// Corpus-wide findings are stored with the import, recomputed over the latest versions when the
/// corpus changes, and keep their review state when they are found again.
#[tokio::test]
async fn corpus_findings_follow_the_latest_versions() {
    let text = std::fs::read_to_string(seed_path(YUEXIU)).expect("seed");
    let copy = |year: u32, text: &str| {
        prepare_source(
            &format!("yuexiu-{year}.txt"),
            text.replacen(
                "项目支出绩效目标表",
                &format!("{year}年度项目支出绩效目标表"),
                1,
            )
            .as_bytes(),
        )
    };
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let settings = Settings::default();
        let mut documents = seeds();
        documents.extend(copy(2021, &text));
        documents.extend(copy(2022, &text));
        assert!(!store.corpus_findings_stale().await.expect("state"));
        import_all(store, &documents).await;
        assert!(
            store.corpus_findings_stale().await.expect("state"),
            "{}",
            fixture.name
        );
        store
            .refresh_corpus_findings(&settings)
            .await
            .expect("refreshes");
        assert!(!store.corpus_findings_stale().await.expect("state"));
        let all: Vec<&PreparedDocument> = documents.iter().collect();
        let expected = g002_of(&all);
        assert!(expected > 0, "the three 越秀 tables share their goals");
        let counts = store
            .finding_counts(&Filter::default())
            .await
            .expect("counts");
        assert_eq!(g002_stored(&counts), expected, "{}", fixture.name);

        // A reviewer dismisses one; recomputing without a change keeps it and its state.
        let latest = store
            .documents(&Filter::default(), false)
            .await
            .expect("docs");
        let mut g002 = Vec::new();
        for document in &latest {
            g002.extend(
                store
                    .findings(document.id)
                    .await
                    .expect("findings")
                    .into_iter()
                    .filter(|f| f.code == "G002"),
            );
        }
        let kept = g002.first().expect("a G002 finding").clone();
        store
            .review_finding(
                kept.id,
                ReviewState::Dismissed,
                "王五",
                Some("同一政策分镇实施"),
            )
            .await
            .expect("reviews");
        store
            .refresh_corpus_findings(&settings)
            .await
            .expect("refreshes");
        let counts = store
            .finding_counts(&Filter::default())
            .await
            .expect("counts");
        assert_eq!(g002_stored(&counts), expected);
        assert_eq!(
            counts.iter().map(|c| c.dismissed).sum::<i64>(),
            1,
            "{}: the review survived",
            fixture.name
        );

        // A corrected 2022 table with goals of its own: the goals are no longer shared by three.
        let corrected = copy(2022, &text.replace("的", "之"));
        let outcome = store.import(&corrected[0]).await.expect("imports");
        assert!(
            matches!(outcome, ImportOutcome::NewVersion { version: 2, .. }),
            "{outcome:?}"
        );
        assert!(store.corpus_findings_stale().await.expect("state"));
        store
            .refresh_corpus_findings(&settings)
            .await
            .expect("refreshes");
        let now: Vec<&PreparedDocument> = documents[..3].iter().chain(&corrected).collect();
        let counts = store
            .finding_counts(&Filter::default())
            .await
            .expect("counts");
        assert_eq!(g002_stored(&counts), g002_of(&now), "{}", fixture.name);
        assert!(g002_of(&now) < expected);
        assert!(store.verify().await.expect("verifies").is_empty());
        fixture.cleanup().await;
    }
}

const SELF_EVALUATION: &str = "33_lincang_yongde_minglangzhongxue_2022.txt";

/// A policy under which sample 33's recomputed 99.8 is 良 while the table prints 优 (its 96 is
/// 优 under the national policy too, so under `national` the grades agree).
fn strict_policy() -> jixiao_score::Policy {
    jixiao_score::Policy::from_toml(
        "name = \"strict\"\n[grades]\nexcellent = 99.9\ngood = 95\nfair = 60\n",
    )
    .expect("policy")
}

/// Prepares a self-evaluation as `jixiao import --policy` does.
fn prepare_scored(
    source: &str,
    bytes: &[u8],
    policy: jixiao_score::Policy,
) -> Vec<PreparedDocument> {
    let checker = Checker::new(Settings {
        score_policy: policy,
        ..Settings::default()
    });
    let parsed = jixiao_parse::parse_bytes(source, bytes, &Profile::builtin()).expect("parses");
    prepare_file(
        bytes,
        parsed.documents,
        &parsed.problems,
        &checker,
        &Overrides::default(),
    )
    .expect("prepares")
}

/// Runs one statement on the fixture's database, as another program would.
async fn execute(fixture: &Fixture, sql: &str) {
    match &fixture.reopen {
        Reopen::Sqlite(path) => {
            let store = SqliteStore::open(path).await.expect("opens");
            sqlx::query(sql).execute(store.pool()).await.expect(sql);
            store.pool().close().await;
        }
        Reopen::Postgres(options, _, _) => {
            let pool = sqlx::PgPool::connect_with((**options).clone())
                .await
                .expect("connects");
            sqlx::query(sql).execute(&pool).await.expect(sql);
            pool.close().await;
        }
    }
}

async fn stored_scores(fixture: &Fixture) -> i64 {
    count_in_reopened(fixture, "SELECT COUNT(*) FROM project_scores").await
}

/// The count `query` gives on the fixture's database, opened again.
async fn count_in_reopened(fixture: &Fixture, query: &str) -> i64 {
    match &fixture.reopen {
        Reopen::Sqlite(path) => {
            let store = SqliteStore::open(path).await.expect("opens");
            sqlx::query_scalar(query)
                .fetch_one(store.pool())
                .await
                .expect(query)
        }
        Reopen::Postgres(options, _, _) => {
            let pool = sqlx::PgPool::connect_with((**options).clone())
                .await
                .expect("connects");
            sqlx::query_scalar(query)
                .fetch_one(&pool)
                .await
                .expect(query)
        }
    }
}

#[tokio::test]
async fn self_evaluation_scores_come_and_go_with_their_document() {
    let text = String::from_utf8(sample(SELF_EVALUATION)).expect("UTF-8");
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let prepared = prepare_scored(SELF_EVALUATION, text.as_bytes(), strict_policy());
        assert_eq!(prepared.len(), 1);
        assert_eq!(prepared[0].scores.len(), 1, "sample 33 has one project");
        let outcome = store.import(&prepared[0]).await.expect("imports");
        let scored = store
            .scored_projects(&Filter::default())
            .await
            .expect("scores");
        assert_eq!(scored.len(), 1, "{}", fixture.name);
        let project = &scored[0];
        assert_eq!(project.document_id, id_of(outcome));
        assert_eq!(project.project, "义务教育营养改善计划专项资金");
        assert_eq!(project.year, Some(2022));
        assert_eq!(project.policy, "strict");
        assert_eq!(project.published_total, Some(Decimal::from(96)));
        assert_eq!(project.published_grade.as_deref(), Some("优"));
        // The 100 % rate scored 7/10 is worth 10: 96 + 3.8 (the published total corrected line
        // by line, as `jixiao score` does).
        assert_eq!(project.recomputed_total, Decimal::new(998, 1));
        assert_eq!(project.recomputed_grade, Some(jixiao_score::Grade::Good));
        assert_eq!(project.difference, Some(Decimal::new(-38, 1)));
        assert!(project.published_higher(), "{}: {project:?}", fixture.name);
        let summary = jixiao_store::scores::summarise(&scored);
        assert_eq!(summary.len(), 1);
        assert_eq!((summary[0].projects, summary[0].published_higher), (1, 1));
        // Filtered by publisher and year as every report is.
        let other_year = Filter {
            publisher: None,
            year: Some(2021),
        };
        assert!(
            store
                .scored_projects(&other_year)
                .await
                .expect("scores")
                .is_empty()
        );
        let by_publisher = Filter {
            publisher: Some("明朗".into()),
            year: Some(2022),
        };
        assert_eq!(
            store
                .scored_projects(&by_publisher)
                .await
                .expect("scores")
                .len(),
            1
        );

        // Importing the same table again writes nothing, also no second score.
        let again = store.import(&prepared[0]).await.expect("imports");
        assert!(
            matches!(again, ImportOutcome::Unchanged { .. }),
            "{again:?}"
        );
        assert_eq!(stored_scores(&fixture).await, 1);

        // A corrected table (total 99) is a new version: its score replaces the old one in the
        // reports, and the old version keeps its own row.
        let corrected = text.replacen("| 100 | 96 | 优 |", "| 100 | 99 | 优 |", 1);
        assert_ne!(corrected, text);
        let prepared = prepare_scored(SELF_EVALUATION, corrected.as_bytes(), strict_policy());
        let outcome = store.import(&prepared[0]).await.expect("imports");
        assert!(
            matches!(outcome, ImportOutcome::NewVersion { version: 2, .. }),
            "{outcome:?}"
        );
        let scored = store
            .scored_projects(&Filter::default())
            .await
            .expect("scores");
        assert_eq!(scored.len(), 1, "{}", fixture.name);
        assert_eq!(scored[0].document_id, id_of(outcome));
        assert_eq!(scored[0].published_total, Some(Decimal::from(99)));
        assert_eq!(scored[0].recomputed_total, Decimal::new(1028, 1));
        assert!(!scored[0].published_higher());
        assert_eq!(stored_scores(&fixture).await, 2);
        assert!(store.verify().await.expect("verifies").is_empty());
        fixture.cleanup().await;
    }
}

#[tokio::test]
async fn a_document_whose_scores_fail_to_store_is_not_stored_at_all() {
    let bytes = sample(SELF_EVALUATION);
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let mut batch = seeds();
        let mut broken = prepare_scored(SELF_EVALUATION, &bytes, strict_policy());
        // Two scores for one project break the table's key: the whole batch must fail.
        let twice = broken[0].scores[0].clone();
        broken[0].scores.push(twice);
        batch.extend(broken);
        assert!(
            store.import_batch(&batch).await.is_err(),
            "{}",
            fixture.name
        );
        assert!(
            store
                .documents(&Filter::default(), true)
                .await
                .expect("docs")
                .is_empty(),
            "{}",
            fixture.name
        );
        assert_eq!(stored_scores(&fixture).await, 0);
        fixture.cleanup().await;
    }
}

/// A corpus imported before migration 0012 has no scores: the migration lists its documents and
/// opening the database scores them from their stored models, under the national policy.
#[tokio::test]
async fn documents_imported_before_scores_existed_are_scored_on_open() {
    let bytes = sample(SELF_EVALUATION);
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        import_all(store, &seeds()).await;
        let prepared = prepare_scored(SELF_EVALUATION, &bytes, strict_policy());
        store.import(&prepared[0]).await.expect("imports");
        // As migration 0012 leaves an older corpus.
        execute(&fixture, "DELETE FROM project_scores").await;
        execute(
            &fixture,
            "INSERT INTO scores_pending (document_id) SELECT id FROM documents",
        )
        .await;
        let reopened = fixture.reopen().await;
        let scored = reopened
            .scored_projects(&Filter::default())
            .await
            .expect("scores");
        assert_eq!(scored.len(), 1, "{}", fixture.name);
        assert_eq!(scored[0].policy, "national");
        assert_eq!(scored[0].recomputed_total, Decimal::new(998, 1));
        assert_eq!(
            scored[0].recomputed_grade,
            Some(jixiao_score::Grade::Excellent)
        );
        assert!(!scored[0].published_higher());
        drop(reopened);
        // Done once: the list is empty and opening again adds nothing.
        let again = fixture.reopen().await;
        assert_eq!(
            again
                .scored_projects(&Filter::default())
                .await
                .expect("scores")
                .len(),
            1
        );
        drop(again);
        assert_eq!(stored_scores(&fixture).await, 1);
        fixture.cleanup().await;
    }
}

/// Deleting a document by hand takes every row of it along (PostgreSQL: the statement triggers
/// of migration 0015; SQLite: the foreign keys), and `verify` names rows left without a parent.
#[tokio::test]
async fn a_deleted_document_takes_its_rows_and_verify_finds_orphans() {
    const TABLES: [&str; 4] = ["units", "projects", "indicators", "findings"];
    for fixture in fixtures().await {
        let store = fixture.store.as_ref();
        let outcomes = import_all(store, &seeds()).await;
        let (gone, kept) = (id_of(outcomes[0]), id_of(outcomes[1]));
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE document_id = {gone}");
            assert!(count_in_reopened(&fixture, &sql).await > 0, "{table}");
        }
        delete_document(&fixture, gone).await;
        for table in TABLES {
            for id in [gone, kept] {
                let sql = format!("SELECT COUNT(*) FROM {table} WHERE document_id = {id}");
                let count = count_in_reopened(&fixture, &sql).await;
                assert_eq!(count == 0, id == gone, "{}: {table} of {id}", fixture.name);
            }
        }
        assert_eq!(
            fixture.reopen().await.verify().await.expect("verifies"),
            Vec::<String>::new(),
            "{}",
            fixture.name
        );
        // A project whose unit is gone, written behind the store's back.
        run_raw(
            &fixture,
            &[&format!(
                "UPDATE projects SET unit_id = unit_id + 1000000 WHERE id = \
                 (SELECT MIN(id) FROM projects WHERE document_id = {kept})"
            )],
        )
        .await;
        let problems = fixture.reopen().await.verify().await.expect("verifies");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("外键错误") && p.contains("projects")),
            "{}: {problems:?}",
            fixture.name
        );
        fixture.cleanup().await;
    }
}

/// The advice texts of the findings get their ids in the order the findings first give them, so
/// two imports of the same files write the same rows (the ids were once handed out in a hash
/// set's order, which changes from run to run).
#[tokio::test]
async fn advice_texts_are_numbered_in_the_order_findings_give_them() {
    for fixture in fixtures().await {
        let prepared = seeds();
        fixture
            .store
            .import_batch(&prepared)
            .await
            .expect("imports");
        let mut expected: Vec<String> = Vec::new();
        for finding in prepared.iter().flat_map(|d| &d.findings) {
            let help = finding.finding.help.to_string();
            if !expected.contains(&help) {
                expected.push(help);
            }
        }
        assert!(expected.len() > 3, "the seeds give several advice texts");
        let stored: Vec<String> = match &fixture.reopen {
            Reopen::Sqlite(path) => {
                let store = SqliteStore::open(path).await.expect("opens");
                sqlx::query_scalar("SELECT help FROM finding_helps ORDER BY id")
                    .fetch_all(store.pool())
                    .await
                    .expect("helps")
            }
            Reopen::Postgres(options, _, _) => {
                let pool = sqlx::PgPool::connect_with((**options).clone())
                    .await
                    .expect("connects");
                sqlx::query_scalar("SELECT help FROM finding_helps ORDER BY id")
                    .fetch_all(&pool)
                    .await
                    .expect("helps")
            }
        };
        assert_eq!(stored, expected, "{}", fixture.name);
        fixture.cleanup().await;
    }
}
