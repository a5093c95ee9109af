//! `jixiao import`, `query` and `export --db` end to end, against SQLite and (when configured)
//! PostgreSQL, including a kill -9 in the middle of an import.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{HUADU, YUEXIU, databases, jixiao, seed, stderr, stdout, write_corpus};

fn seeds() -> [String; 2] {
    [
        seed(YUEXIU).display().to_string(),
        seed(HUADU).display().to_string(),
    ]
}

#[test]
fn import_is_idempotent_and_queries_read_the_corpus() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path(), "roundtrip") {
        let [a, b] = seeds();
        let first = jixiao(&["import", &a, &b, "--db", &db.url], dir.path());
        assert!(first.status.success(), "{}: {}", db.name, stderr(&first));
        assert!(
            stdout(&first).contains("导入：2 张表"),
            "{}",
            stdout(&first)
        );
        let again = jixiao(&["import", &a, &b, "--db", &db.url], dir.path());
        assert!(again.status.success());
        assert!(
            stdout(&again).contains("未变化：2 张表"),
            "{}",
            stdout(&again)
        );
        assert!(stdout(&again).contains("导入：0 张表"));

        let overview = jixiao(
            &["query", "overview", "--db", &db.url, "--format", "json"],
            dir.path(),
        );
        assert!(overview.status.success(), "{}", stderr(&overview));
        let rows: serde_json::Value = serde_json::from_slice(&overview.stdout).expect("JSON");
        let huadu = rows
            .as_array()
            .and_then(|r| {
                r.iter()
                    .find(|r| r["publisher"].as_str().is_some_and(|p| p.contains("花都")))
            })
            .expect("花都 row");
        assert_eq!(huadu["units"], 5);
        assert_eq!(huadu["projects"], 88);
        assert_eq!(huadu["indicators"], 390);
        assert_eq!(huadu["total_wan"], "34139.95");

        let table = jixiao(&["query", "overview", "--db", &db.url], dir.path());
        let table = stdout(&table);
        assert!(table.contains("34,139.95"), "{table}");
        assert!(table.lines().any(|l| l.starts_with("合计")), "{table}");

        let department = jixiao(
            &[
                "query",
                "department",
                "越秀",
                "--db",
                &db.url,
                "--format",
                "csv",
            ],
            dir.path(),
        );
        // Header, the unit and its 10 projects.
        assert_eq!(
            stdout(&department).lines().count(),
            12,
            "{}",
            stdout(&department)
        );

        let search = jixiao(&["query", "search", "满意度", "--db", &db.url], dir.path());
        assert!(stdout(&search).contains("服务对象满意度"));

        let none = jixiao(
            &["query", "search", "不存在的指标名", "--db", &db.url],
            dir.path(),
        );
        assert!(stdout(&none).contains("没有名称或指标值包含这段文字的指标"));
    }
}

#[test]
fn export_writes_every_indicator_in_each_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path(), "export") {
        let [a, b] = seeds();
        assert!(
            jixiao(&["import", &a, &b, "--db", &db.url], dir.path())
                .status
                .success()
        );

        let csv = jixiao(&["export", "--db", &db.url, "--to", "csv"], dir.path());
        assert!(csv.status.success(), "{}", stderr(&csv));
        assert_eq!(stdout(&csv).lines().count(), 411, "{}", db.name);

        let filtered = jixiao(
            &[
                "export",
                "--db",
                &db.url,
                "--to",
                "json",
                "--publisher",
                "越秀",
            ],
            dir.path(),
        );
        let rows: serde_json::Value = serde_json::from_slice(&filtered.stdout).expect("JSON");
        assert_eq!(rows.as_array().map(Vec::len), Some(20));
        assert_eq!(rows[0]["project_total"], "44.00");

        let parquet_path = dir.path().join(format!("{}.parquet", db.name));
        let parquet = jixiao(
            &[
                "export",
                "--db",
                &db.url,
                "--to",
                "parquet",
                "--out",
                &parquet_path.display().to_string(),
            ],
            dir.path(),
        );
        assert!(parquet.status.success(), "{}", stderr(&parquet));
        let file = std::fs::File::open(&parquet_path).expect("parquet file");
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .expect("parquet")
            .build()
            .expect("reader");
        let mut rows = 0;
        // The importer's workers may store either seed first, so look for both tables' first
        // project totals, not at one row.
        let mut totals = std::collections::BTreeSet::new();
        for batch in reader {
            let batch = batch.expect("batch");
            let column = batch
                .column_by_name("project_total")
                .expect("column")
                .as_any()
                .downcast_ref::<arrow_array::Decimal128Array>()
                .expect("decimal column");
            totals.extend((0..column.len()).map(|i| column.value_as_string(i)));
            rows += batch.num_rows();
        }
        assert_eq!(rows, 410);
        assert!(
            totals.contains("44.0000000000"),
            "越秀 劳动人事争议调解仲裁经费"
        );
        assert!(
            totals.contains("7.4000000000"),
            "花都 赤坭镇居民医保扩面工作经费"
        );

        let xlsx_path = dir.path().join(format!("{}.xlsx", db.name));
        let xlsx = jixiao(
            &[
                "export",
                "--db",
                &db.url,
                "--to",
                "xlsx",
                "--out",
                &xlsx_path.display().to_string(),
            ],
            dir.path(),
        );
        assert!(xlsx.status.success(), "{}", stderr(&xlsx));
        let bytes = std::fs::read(&xlsx_path).expect("xlsx");
        assert!(bytes.starts_with(b"PK"), "an xlsx file is a zip archive");

        let missing_out = jixiao(&["export", "--db", &db.url, "--to", "xlsx"], dir.path());
        assert_eq!(missing_out.status.code(), Some(2));
        assert!(stderr(&missing_out).contains("--out"));
    }
    let no_db = jixiao(&["export", "--to", "csv"], dir.path());
    assert_eq!(no_db.status.code(), Some(2));
    assert!(stderr(&no_db).contains("--db"));
}

#[test]
fn failing_files_are_reported_and_do_not_stop_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("空表.txt");
    std::fs::write(&empty, "").expect("write");
    let binary = dir.path().join("scan.txt");
    std::fs::write(&binary, b"\0\0\x01binary\0\x02").expect("write");
    for db in databases(dir.path(), "failing") {
        let [a, b] = seeds();
        let output = jixiao(
            &[
                "import",
                &empty.display().to_string(),
                &a,
                &binary.display().to_string(),
                &b,
                "--db",
                &db.url,
            ],
            dir.path(),
        );
        assert_eq!(output.status.code(), Some(2), "{}", db.name);
        let out = stdout(&output);
        assert!(out.contains("导入：2 张表"), "{out}");
        assert!(out.contains("失败：2 个文件"), "{out}");
        assert!(out.contains("空表.txt：文件为空"), "{out}");
        assert!(out.contains("scan.txt：这是二进制文件"), "{out}");
        assert_eq!(db.document_count(), 2);
    }
}

#[test]
fn default_database_is_jixiao_db_or_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [a, _] = seeds();
    let output = jixiao(&["import", &a], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("jixiao.db").exists());

    let from_env = dir.path().join("env.db");
    let output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["import", &a])
        .current_dir(dir.path())
        .env("JIXIAO_DB", format!("sqlite://{}", from_env.display()))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(from_env.exists());
}

#[test]
fn year_and_publisher_overrides_reach_the_corpus() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("o.db").display().to_string();
    let [a, _] = seeds();
    let output = jixiao(
        &[
            "import",
            &a,
            "--db",
            &db,
            "--year",
            "2024",
            "--publisher",
            "越秀区人社局",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let overview = jixiao(
        &[
            "query", "overview", "--db", &db, "--format", "csv", "--year", "2024",
        ],
        dir.path(),
    );
    assert!(
        stdout(&overview).contains("越秀区人社局,2024,1,1,10,20,"),
        "{}",
        stdout(&overview)
    );
}

/// Workers finish files out of order (a 花都 table is 20 times a 越秀 one); documents are still
/// stored in the order of the files, so ids are the same on every run.
#[test]
fn documents_are_stored_in_the_order_of_the_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let (files, _) = write_corpus(&corpus, 40);
    for db in databases(dir.path(), "order") {
        let output = jixiao(
            &["import", &corpus.display().to_string(), "--db", &db.url],
            dir.path(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let (rt, store) = db.open();
        let mut documents = rt
            .block_on(store.documents(&jixiao_store::Filter::default(), true))
            .expect("documents");
        documents.sort_by_key(|d| d.id);
        let stored: Vec<&str> = documents
            .iter()
            .map(|d| d.source_file.rsplit('/').next().unwrap_or_default())
            .collect();
        let given: Vec<String> = files
            .iter()
            .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(stored, given, "{}", db.name);
    }
}

/// Kills `jixiao import` with SIGKILL once some documents are stored, then checks the database
/// and imports again.
#[test]
fn kill_during_import_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let (files, _) = write_corpus(&corpus, 120);
    for db in databases(dir.path(), "kill") {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["import", &corpus.display().to_string(), "--db", &db.url])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        let started = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(20));
            let stored = if db_exists(&db.url) {
                db.document_count()
            } else {
                0
            };
            if stored >= 3 || started.elapsed() > Duration::from_secs(120) {
                break;
            }
        }
        child.kill().expect("kill -9");
        let status = child.wait().expect("waits");
        assert!(!status.success(), "{}: killed, not finished", db.name);

        let (rt, store) = db.open();
        let problems = rt.block_on(store.verify()).expect("verifies");
        assert!(problems.is_empty(), "{}: {problems:?}", db.name);
        let stored = db.document_count();
        assert!(
            (3..files.len()).contains(&stored),
            "{}: {stored} of {} stored when killed",
            db.name,
            files.len()
        );
        drop(store);
        drop(rt);

        let output = jixiao(
            &["import", &corpus.display().to_string(), "--db", &db.url],
            dir.path(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        assert!(out.contains(&format!("未变化：{stored} 张表")), "{out}");
        assert!(
            out.contains(&format!("导入：{} 张表", files.len() - stored)),
            "{out}"
        );
        assert_eq!(db.document_count(), files.len());
        let (rt, store) = db.open();
        assert!(rt.block_on(store.verify()).expect("verifies").is_empty());
    }
}

#[test]
fn two_imports_at_once_store_each_table_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let (files, _) = write_corpus(&corpus, 24);
    for db in databases(dir.path(), "twice") {
        // Create the schema first so the two processes do not both create it.
        drop(db.open());
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_jixiao"))
                .args(["import", &corpus.display().to_string(), "--db", &db.url])
                .current_dir(dir.path())
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let b = s.spawn(spawn);
            (a.join(), b.join())
        });
        let (a, b) = (
            a.expect("thread").expect("runs"),
            b.expect("thread").expect("runs"),
        );
        assert!(a.status.success(), "{}: {}", db.name, stderr(&a));
        assert!(b.status.success(), "{}: {}", db.name, stderr(&b));
        assert_eq!(db.document_count(), files.len(), "{}", db.name);
        let (rt, store) = db.open();
        assert!(rt.block_on(store.verify()).expect("verifies").is_empty());
    }
}

fn db_exists(url: &str) -> bool {
    url.starts_with("postgres") || std::path::Path::new(url).exists()
}

/// Regression: re-importing with a corrected `--year` said 未变化 and kept the wrong year.
#[test]
fn year_and_publisher_given_again_update_the_document_and_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path(), "meta") {
        let [a, _] = seeds();
        let first = jixiao(
            &["import", &a, "--db", &db.url, "--year", "2023"],
            dir.path(),
        );
        assert!(first.status.success(), "{}", stderr(&first));
        let again = jixiao(
            &[
                "import",
                &a,
                "--db",
                &db.url,
                "--year",
                "2024",
                "--publisher",
                "越秀区人社局",
            ],
            dir.path(),
        );
        assert!(again.status.success(), "{}", stderr(&again));
        let out = stdout(&again);
        assert!(
            out.contains("年度或部门已按 --year/--publisher 更新：1 张表"),
            "{out}"
        );
        assert!(out.contains("未变化：0 张表"), "{out}");
        let overview = jixiao(
            &["query", "overview", "--db", &db.url, "--format", "csv"],
            dir.path(),
        );
        let csv = stdout(&overview);
        assert!(
            csv.contains("越秀区人社局,2024,1,1,10,20,"),
            "{}: {csv}",
            db.name
        );
        assert!(!csv.contains("2023"), "{csv}");
        // Without the flags, the stored year and publisher stay.
        let plain = jixiao(&["import", &a, "--db", &db.url], dir.path());
        assert!(
            stdout(&plain).contains("未变化：1 张表"),
            "{}",
            stdout(&plain)
        );
        assert_eq!(db.document_count(), 1);
    }
}

/// Regression: `query --db` with a mistyped path quietly created a new empty database.
#[test]
fn query_and_export_refuse_a_database_file_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("jixaio.db");
    let shown = missing.display().to_string();
    for args in [
        vec!["query", "overview", "--db", &shown],
        vec!["query", "search", "满意度", "--db", &shown],
        vec!["export", "--db", &shown, "--to", "csv"],
    ] {
        let output = jixiao(&args, dir.path());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(&format!("数据库文件不存在：{shown}")),
            "{}",
            stderr(&output)
        );
        assert!(!missing.exists(), "{args:?} created the file");
    }
    // `import` creates it.
    let [a, _] = seeds();
    assert!(
        jixiao(&["import", &a, "--db", &shown], dir.path())
            .status
            .success()
    );
    assert!(missing.exists());
}

/// Regression: a wrong PostgreSQL port waited 30 s, then repeated sqlx's English text.
#[test]
fn postgres_connect_errors_come_at_once_in_chinese_with_the_password_hidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let output = jixiao(
        &[
            "query",
            "overview",
            "--db",
            "postgres://jixiao:secret@127.0.0.1:1/corpus",
        ],
        dir.path(),
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("postgres://jixiao:***@127.0.0.1:1/corpus"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
    assert!(err.contains("连接被拒绝"), "{err}");
    assert!(err.contains("请检查：服务器是否已启动"), "{err}");
    assert!(!err.to_lowercase().contains("refused"), "{err}");
}

/// Regression: `query search` stopped at 100 rows without saying so.
#[test]
fn result_lists_say_when_they_are_cut_and_page_with_limit_and_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path(), "paging") {
        let [a, b] = seeds();
        assert!(
            jixiao(&["import", &a, &b, "--db", &db.url], dir.path())
                .status
                .success()
        );
        let all = jixiao(
            &[
                "query",
                "search",
                "满意度",
                "--db",
                &db.url,
                "--format",
                "json",
                "--limit",
                "1000",
            ],
            dir.path(),
        );
        let all: serde_json::Value = serde_json::from_slice(&all.stdout).expect("JSON");
        let all = all.as_array().expect("array").clone();
        assert!(all.len() > 10, "{}", all.len());
        assert!(
            stderr(&jixiao(
                &[
                    "query",
                    "search",
                    "满意度",
                    "--db",
                    &db.url,
                    "--limit",
                    "1000"
                ],
                dir.path()
            ))
            .is_empty()
        );

        let page = jixiao(
            &[
                "query",
                "search",
                "满意度",
                "--db",
                &db.url,
                "--limit",
                "5",
                "--offset",
                "3",
            ],
            dir.path(),
        );
        let out = stdout(&page);
        assert!(
            out.contains("结果已截断：显示第 4–8 条，后面还有更多；用 --offset 8"),
            "{out}"
        );
        let json = jixiao(
            &[
                "query",
                "search",
                "满意度",
                "--db",
                &db.url,
                "--limit",
                "5",
                "--offset",
                "3",
                "--format",
                "json",
            ],
            dir.path(),
        );
        let rows: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
        assert_eq!(
            rows.as_array().expect("array")[..],
            all[3..8],
            "{}",
            db.name
        );
        assert!(
            stderr(&json).contains("结果已截断"),
            "the note goes to stderr beside JSON"
        );

        let department = jixiao(
            &[
                "query",
                "department",
                "花都",
                "--db",
                &db.url,
                "--format",
                "csv",
                "--limit",
                "3",
            ],
            dir.path(),
        );
        assert_eq!(
            stdout(&department).lines().count(),
            4,
            "header and three rows"
        );
        assert!(
            stderr(&department).contains("结果已截断：共 93 条，显示第 1–3 条"),
            "{}",
            stderr(&department)
        );
    }
}

/// Regression: after an import the data was still in `-wal`, so a copied `jixiao.db` opened empty.
#[test]
fn an_imported_sqlite_file_is_complete_without_its_wal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("a.db");
    let [a, b] = seeds();
    let output = jixiao(
        &["import", &a, &b, "--db", &db.display().to_string()],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).expect("copies the .db file alone");
    let overview = jixiao(
        &[
            "query",
            "overview",
            "--db",
            &copy.display().to_string(),
            "--format",
            "csv",
        ],
        dir.path(),
    );
    let csv = stdout(&overview);
    assert!(csv.contains(",1,5,88,390,"), "{csv}");
    assert!(csv.contains(",1,1,10,20,"), "{csv}");
}

/// Counts of findings by code and severity, from `check --format json` or `query findings`.
fn counts_by_code(
    rows: &[serde_json::Value],
    count: impl Fn(&serde_json::Value) -> i64,
) -> std::collections::BTreeMap<(String, String), i64> {
    let mut out = std::collections::BTreeMap::new();
    for row in rows {
        let key = (
            row["code"].as_str().expect("code").to_owned(),
            row["severity"].as_str().expect("severity").to_owned(),
        );
        *out.entry(key).or_default() += count(row);
    }
    out
}

/// Regression: the corpus held no G002 findings, so `check` reported hundreds more on the same
/// files. Now `query findings` equals `check` over the latest versions of a generated corpus with
/// boilerplate goals and corrected republications (the importer computes them again from the
/// stored latest versions) …
#[test]
fn query_findings_equals_check_over_the_latest_files() {
    query_findings_equal_check(0.1);
}

/// … and without republications (the importer saw every latest version and computes them from
/// what it observed while storing).
#[test]
fn query_findings_equals_check_over_a_new_corpus() {
    query_findings_equal_check(0.0);
}

fn query_findings_equal_check(republish: f64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("generated");
    let mut options = xtask::corpus::Options::new(120, 11, out.clone());
    options.republish = republish;
    options.set_rate("G002=0.05").expect("rate");
    let stats = xtask::corpus::generate(&options).expect("generates");
    assert_eq!(stats.republished > 0, republish > 0.0);
    let manifest = xtask::corpus::Manifest::read(&out).expect("manifest");
    let mut latest_version = std::collections::HashMap::new();
    for table in &manifest.tables {
        let v = latest_version.entry(table.document).or_insert(0);
        *v = (*v).max(table.version);
    }
    let latest_files: std::collections::BTreeSet<String> = manifest
        .tables
        .iter()
        .filter(|t| latest_version[&t.document] == t.version)
        .map(|t| out.join(&t.file).display().to_string())
        .collect();
    assert_eq!(latest_files.len() < manifest.files.len(), republish > 0.0);
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend(latest_files.iter().map(String::as_str));
    let check = jixiao(&args, dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    let check: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON");
    let expected = counts_by_code(check["findings"].as_array().expect("findings"), |_| 1);
    assert!(
        expected
            .get(&("G002".to_owned(), "warning".to_owned()))
            .copied()
            .unwrap_or(0)
            > 3,
        "{expected:?}"
    );

    for db in databases(dir.path(), "corpus_findings") {
        let import = jixiao(
            &["import", &out.display().to_string(), "--db", &db.url],
            dir.path(),
        );
        assert!(import.status.success(), "{}", stderr(&import));
        assert!(stdout(&import).contains("全库审核（G002 等跨文档规则）已按最新版本重新计算"));
        let query = jixiao(
            &["query", "findings", "--db", &db.url, "--format", "json"],
            dir.path(),
        );
        assert!(query.status.success(), "{}", stderr(&query));
        assert!(stderr(&query).is_empty(), "{}", stderr(&query));
        let rows: serde_json::Value = serde_json::from_slice(&query.stdout).expect("JSON");
        let stored = counts_by_code(rows.as_array().expect("rows"), |r| {
            r["total"].as_i64().expect("total")
        });
        assert_eq!(stored, expected, "{}", db.name);

        // Importing again changes nothing, and does not compute the corpus findings again.
        let again = jixiao(
            &["import", &out.display().to_string(), "--db", &db.url],
            dir.path(),
        );
        assert!(!stdout(&again).contains("全库审核"), "{}", stdout(&again));
        let query = jixiao(
            &["query", "findings", "--db", &db.url, "--format", "json"],
            dir.path(),
        );
        let rows: serde_json::Value = serde_json::from_slice(&query.stdout).expect("JSON");
        let stored = counts_by_code(rows.as_array().expect("rows"), |r| {
            r["total"].as_i64().expect("total")
        });
        assert_eq!(stored, expected, "{}", db.name);

        // A table added by a later import: the importer did not see the whole corpus, so the
        // store computes the corpus findings from what it holds.
        let [seed_file, _] = seeds();
        let later = jixiao(&["import", &seed_file, "--db", &db.url], dir.path());
        assert!(stdout(&later).contains("全库审核（G002 等跨文档规则）已按最新版本重新计算"));
        let mut args = vec![
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            &seed_file,
        ];
        args.extend(latest_files.iter().map(String::as_str));
        let check = jixiao(&args, dir.path());
        let check: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON");
        let with_seed = counts_by_code(check["findings"].as_array().expect("findings"), |_| 1);
        assert_ne!(with_seed, expected);
        let query = jixiao(
            &["query", "findings", "--db", &db.url, "--format", "json"],
            dir.path(),
        );
        let rows: serde_json::Value = serde_json::from_slice(&query.stdout).expect("JSON");
        let stored = counts_by_code(rows.as_array().expect("rows"), |r| {
            r["total"].as_i64().expect("total")
        });
        assert_eq!(stored, with_seed, "{}", db.name);
        let (rt, store) = db.open();
        assert!(rt.block_on(store.verify()).expect("verifies").is_empty());
    }
}

/// A server that takes the connection and never answers (a firewall that drops, a wrong service
/// on the port) is given up on after 5 s, not 30.
#[test]
fn a_silent_postgres_server_is_given_up_on_after_five_seconds() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Never accepted: the kernel completes the handshake, and nobody ever answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listens");
    let port = silent.local_addr().expect("address").port();
    let url = format!("postgres://jixiao@127.0.0.1:{port}/corpus");
    let started = Instant::now();
    let output = jixiao(&["query", "overview", "--db", &url], dir.path());
    let elapsed = started.elapsed();
    assert!(
        (Duration::from_secs(4)..Duration::from_secs(8)).contains(&elapsed),
        "{elapsed:?}"
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("5 秒内没有连上"), "{err}");
    assert!(err.contains(&url), "{err}");
    drop(silent);
}

/// An import killed before it computed the corpus findings leaves them out of date: `query
/// findings` says so, and the next import computes them even when every table is unchanged.
#[test]
fn out_of_date_corpus_findings_are_reported_and_computed_by_the_next_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [a, _] = seeds();
    for db in databases(dir.path(), "stale") {
        let (rt, store) = db.open();
        let bytes = std::fs::read(&a).expect("seed");
        let parsed = jixiao_parse::parse_bytes(&a, &bytes, &jixiao_model::Profile::builtin())
            .expect("parses");
        let prepared = jixiao_store::prepare_file(
            &bytes,
            parsed.documents,
            &parsed.problems,
            &jixiao_rules::Checker::new(jixiao_rules::Settings::default()),
            &jixiao_store::Overrides::default(),
        )
        .expect("prepares");
        // Stored as an import stores it, and stopped there.
        rt.block_on(store.import_batch(&prepared)).expect("imports");
        drop(store);
        let query = jixiao(&["query", "findings", "--db", &db.url], dir.path());
        assert!(query.status.success(), "{}", stderr(&query));
        assert!(
            stderr(&query).contains("再次运行 jixiao import 即会重新计算"),
            "{}: {}",
            db.name,
            stderr(&query)
        );
        let import = jixiao(&["import", &a, "--db", &db.url], dir.path());
        let out = stdout(&import);
        assert!(out.contains("未变化：1 张表"), "{out}");
        assert!(
            out.contains("全库审核（G002 等跨文档规则）已按最新版本重新计算"),
            "{out}"
        );
        let query = jixiao(&["query", "findings", "--db", &db.url], dir.path());
        assert!(stderr(&query).is_empty(), "{}", stderr(&query));
    }
}

/// `import --policy` scores self-evaluations with the policy `score --policy` would use, and
/// `query grades` lists the projects whose published grade is above the recomputed one: sample 33
/// prints 优 for 96, recomputed 99.8 is 优 under `national` and 良 under a stricter file.
#[test]
fn query_grades_lists_projects_published_above_their_recomputed_grade() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = common::workspace()
        .join("../shared/samples/33_lincang_yongde_minglangzhongxue_2022.txt")
        .display()
        .to_string();
    assert!(
        std::path::Path::new(&sample).is_file(),
        "{sample} is missing: CI must have ../shared"
    );
    std::fs::write(
        dir.path().join("strict.toml"),
        "name = \"strict\"\n[grades]\nexcellent = 99.9\ngood = 95\nfair = 60\n",
    )
    .expect("policy file");
    for db in databases(dir.path(), "grades") {
        let national = jixiao(&["import", &sample, "--db", &db.url], dir.path());
        assert!(national.status.success(), "{}", stderr(&national));
        let none = jixiao(&["query", "grades", "--db", &db.url], dir.path());
        assert!(none.status.success(), "{}", stderr(&none));
        assert!(
            stdout(&none).contains("没有公布等级高于重算等级的自评项目"),
            "{}",
            stdout(&none)
        );
        let all = jixiao(
            &[
                "query", "grades", "--all", "--db", &db.url, "--format", "json",
            ],
            dir.path(),
        );
        let rows: serde_json::Value = serde_json::from_slice(&all.stdout).expect("JSON");
        assert_eq!(rows[0]["recomputed_total"], "99.8", "{rows}");
        assert_eq!(rows[0]["recomputed_grade"], "优");
        assert_eq!(rows[0]["policy"], "national");
    }
    // The same table under the stricter policy, in a new corpus.
    for db in databases(dir.path(), "grades_strict") {
        let strict = jixiao(
            &[
                "import",
                &sample,
                "--db",
                &db.url,
                "--policy",
                "strict.toml",
            ],
            dir.path(),
        );
        assert!(strict.status.success(), "{}", stderr(&strict));
        let table = jixiao(&["query", "grades", "--db", &db.url], dir.path());
        let table = stdout(&table);
        assert!(table.contains("义务教育营养改善计划专项资金"), "{table}");
        assert!(table.contains("99.8") && table.contains("-3.8"), "{table}");
        let summary = jixiao(
            &[
                "query",
                "grades",
                "--summary",
                "--db",
                &db.url,
                "--format",
                "csv",
            ],
            dir.path(),
        );
        assert_eq!(
            stdout(&summary).lines().nth(1),
            Some("临沧市永德县明朗中学,2022,1,1,1,0,0"),
            "{}",
            stdout(&summary)
        );
        let bad = jixiao(
            &["import", &sample, "--db", &db.url, "--policy", "atlantis"],
            dir.path(),
        );
        assert!(!bad.status.success());
        assert!(stderr(&bad).contains("atlantis"), "{}", stderr(&bad));
    }
}

/// What a search of the index finds, in a fixed order and without the scores.
fn index_finds(
    index: &jixiao_search::SearchIndex,
    word: &str,
    filter: &jixiao_search::SearchFilter,
) -> Vec<String> {
    let found = index.search(word, filter, 100_000).expect("search");
    assert_eq!(found.total, found.hits.len());
    let mut hits: Vec<String> = found
        .hits
        .into_iter()
        .map(|hit| format!("{:?}", jixiao_search::Hit { score: 0.0, ..hit }))
        .collect();
    hits.sort();
    hits
}

#[test]
fn import_indexes_what_it_stores_as_a_full_sync_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [yuexiu, huadu] = seeds();
    // A corrected copy of 花都 under the same file name: a new version, filed beside the original.
    let corrected = dir.path().join("corrected");
    std::fs::create_dir_all(&corrected).expect("mkdir");
    let text = std::fs::read_to_string(seed(HUADU)).expect("seed");
    let changed = corrected.join(HUADU);
    std::fs::write(
        &changed,
        text.replacen("服务对象满意度", "服务对象满意度调查", 1),
    )
    .expect("write");
    let changed = changed.display().to_string();
    for db in databases(dir.path(), "feedindex") {
        let folder = dir.path().join(format!("{}-fed.index", db.name));
        let index = folder.display().to_string();
        for files in [
            vec![&yuexiu],
            vec![&huadu, &changed],
            vec![&yuexiu, &changed],
        ] {
            let mut args = vec!["import", "--quiet", "--db", &db.url, "--index", &index];
            args.extend(files.iter().map(|f| f.as_str()));
            let output = jixiao(&args, dir.path());
            assert!(output.status.success(), "{}: {}", db.name, stderr(&output));
            assert!(
                stdout(&output).contains("搜索索引："),
                "{}: {}",
                db.name,
                stdout(&output)
            );
        }
        let (rt, store) = db.open();
        let fed = jixiao_search::SearchIndex::open(&folder).expect("open");
        assert!(
            rt.block_on(fed.is_current(store.as_ref()))
                .expect("current")
        );
        let synced =
            jixiao_search::SearchIndex::open(&dir.path().join(format!("{}-synced.index", db.name)))
                .expect("open");
        rt.block_on(synced.sync(store.as_ref())).expect("sync");
        let mut filters = vec![jixiao_search::SearchFilter::default()];
        let counts = rt
            .block_on(store.document_finding_counts(&jixiao_store::Filter::default(), false))
            .expect("counts");
        assert!(!counts.is_empty());
        for count in counts {
            filters.push(jixiao_search::SearchFilter {
                code: Some(count.code),
                ..Default::default()
            });
            filters.push(jixiao_search::SearchFilter {
                severity: Some(count.severity),
                ..Default::default()
            });
        }
        for word in ["满意度", "满意度调查", "对象", "薪酬调查", "培训"] {
            for filter in &filters {
                assert_eq!(
                    index_finds(&fed, word, filter),
                    index_finds(&synced, word, filter),
                    "{}: {word} {filter:?}",
                    db.name
                );
            }
        }
        assert!(!index_finds(&fed, "满意度调查", &Default::default()).is_empty());
    }
}

/// A finding as (code, message, line).
type FindingAt = (String, String, i64);

/// The G002 findings of every table, by document.
fn g002_by_document(
    rt: &tokio::runtime::Runtime,
    store: &dyn jixiao_store::Store,
) -> Vec<(i64, Vec<FindingAt>)> {
    let documents = rt
        .block_on(store.documents(&jixiao_store::Filter::default(), false))
        .expect("documents");
    documents
        .iter()
        .map(|d| {
            let mut rows: Vec<FindingAt> = rt
                .block_on(store.findings(d.id))
                .expect("findings")
                .into_iter()
                .filter(|f| f.code == "G002")
                .map(|f| (f.code, f.message, f.line))
                .collect();
            rows.sort();
            (d.id, rows)
        })
        .collect()
}

/// A file of several tables with the same goals: the importer places each corpus-wide finding on
/// the table that holds the goal, as the store does when it computes them again, without reading
/// the corpus back.
#[test]
fn corpus_findings_of_a_file_of_many_tables_are_placed_as_the_store_places_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [_, huadu] = seeds();
    let seed = std::fs::read_to_string(&huadu).expect("seed");
    // Nine tables: enough for the importer to check and prepare them on every core.
    let tables = dir.path().join("nine-tables.txt");
    std::fs::write(&tables, seed.repeat(9)).expect("writes");
    let tables = tables.display().to_string();
    for db in databases(dir.path(), "many_tables") {
        let import = jixiao(&["import", &tables, "--db", &db.url], dir.path());
        assert!(import.status.success(), "{}", stderr(&import));
        let (rt, store) = db.open();
        let imported = g002_by_document(&rt, store.as_ref());
        assert_eq!(imported.len(), 9, "{}: {imported:?}", db.name);
        let placed: usize = imported.iter().map(|(_, rows)| rows.len()).sum();
        assert!(placed > 0, "{}: no G002 findings", db.name);
        rt.block_on(store.refresh_corpus_findings(&jixiao_rules::Settings::default()))
            .expect("refreshes");
        assert_eq!(
            g002_by_document(&rt, store.as_ref()),
            imported,
            "{}",
            db.name
        );
    }
}
