//! Helpers for the corpus tests: the real binary, a database per test (a temporary SQLite file,
//! and a fresh PostgreSQL schema when `JIXIAO_TEST_POSTGRES_URL` is set) and generated corpora.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use jixiao_store::{Filter, Store};

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn seed(name: &str) -> PathBuf {
    workspace().join("examples").join(name)
}

pub const HUADU: &str = "guangzhou-huadu-rsj.txt";
pub const YUEXIU: &str = "guangzhou-yuexiu-rsj.txt";

pub fn jixiao(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(cwd)
        .env_remove("JIXIAO_DB")
        .output()
        .expect("runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A database for one test.
pub struct Db {
    pub name: &'static str,
    pub url: String,
    cleanup: Option<(String, String)>,
}

static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// An SQLite file in `dir`, and a fresh PostgreSQL schema when the server is configured.
pub fn databases(dir: &Path, tag: &str) -> Vec<Db> {
    let mut out = vec![Db {
        name: "sqlite",
        url: dir.join(format!("{tag}.db")).display().to_string(),
        cleanup: None,
    }];
    match std::env::var("JIXIAO_TEST_POSTGRES_URL") {
        Ok(base) => {
            let schema = format!(
                "jixiao_cli_{tag}_{}_{}",
                std::process::id(),
                SCHEMAS.fetch_add(1, Ordering::Relaxed)
            );
            runtime().block_on(async {
                let pool = sqlx::PgPool::connect(&base).await.expect("PostgreSQL");
                sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&pool)
                    .await
                    .expect("drop");
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&pool)
                    .await
                    .expect("create");
            });
            let separator = if base.contains('?') { '&' } else { '?' };
            out.push(Db {
                name: "postgres",
                url: format!("{base}{separator}options[search_path]={schema}"),
                cleanup: Some((base, schema)),
            });
        }
        Err(_) => eprintln!("PostgreSQL tests skipped: set JIXIAO_TEST_POSTGRES_URL"),
    }
    out
}

impl Db {
    pub fn open(&self) -> (tokio::runtime::Runtime, Box<dyn Store>) {
        let rt = runtime();
        let store = rt.block_on(jixiao_store::open(&self.url)).expect("opens");
        (rt, store)
    }

    pub fn document_count(&self) -> usize {
        let (rt, store) = self.open();
        rt.block_on(store.documents(&Filter::default(), true))
            .expect("documents")
            .len()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((base, schema)) = self.cleanup.take() {
            runtime().block_on(async {
                if let Ok(pool) = sqlx::PgPool::connect(&base).await {
                    let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&pool)
                        .await;
                }
            });
        }
    }
}

/// Writes `count` varied copies of the seed tables into `dir`: each copy has its own department
/// name and year (so its own document key and content hash), and amounts scaled by its number.
/// Returns the files and the number of indicators they hold.
pub fn write_corpus(dir: &Path, count: usize) -> (Vec<PathBuf>, usize) {
    let huadu = std::fs::read_to_string(seed(HUADU)).expect("seed");
    let yuexiu = std::fs::read_to_string(seed(YUEXIU)).expect("seed");
    let mut files = Vec::with_capacity(count);
    let mut indicators = 0;
    for i in 0..count {
        let (text, department, per_file) = if i % 4 == 3 {
            (&yuexiu, "广州市越秀区人力资源和社会保障局", 20)
        } else {
            (&huadu, "广州市花都区人力资源和社会保障局", 390)
        };
        let year = 2015 + (i % 10);
        let varied = text
            .replace(department, &format!("第{i}区人力资源和社会保障局"))
            .replacen(
                "项目支出绩效目标表",
                &format!("{year}年度项目支出绩效目标表"),
                1,
            )
            .replace("7.40", &format!("{}.40", 7 + i % 50));
        let path = dir.join(format!("table-{i:06}.txt"));
        std::fs::write(&path, varied).expect("write corpus file");
        files.push(path);
        indicators += per_file;
    }
    (files, indicators)
}
