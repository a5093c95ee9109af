//! The search index over a real corpus: the bundled examples imported into SQLite, and into
//! PostgreSQL when `JIXIAO_TEST_POSTGRES_URL` is set (in a fresh schema).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::str::FromStr as _;

use jixiao_model::Profile;
use jixiao_rules::{Checker, Settings};
use jixiao_search::{Hit, HitKind, SearchFilter, SearchIndex};
use jixiao_store::{
    Filter, ImportOutcome, Overrides, PostgresStore, PreparedDocument, SqliteStore, Store,
    prepare_file,
};

const HUADU: &str = "guangzhou-huadu-rsj.txt";
const YUEXIU: &str = "guangzhou-yuexiu-rsj.txt";

fn example(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read(path).expect("example")
}

fn prepare(name: &str, bytes: &[u8]) -> Vec<PreparedDocument> {
    let checker = Checker::new(Settings::default());
    let parsed = jixiao_parse::parse_bytes(name, bytes, &Profile::builtin()).expect("parses");
    prepare_file(
        bytes,
        parsed.documents,
        &parsed.problems,
        &checker,
        &Overrides::default(),
    )
    .expect("prepares")
}

async fn import(store: &dyn Store, name: &str, bytes: &[u8]) -> Vec<ImportOutcome> {
    store
        .import_batch(&prepare(name, bytes))
        .await
        .expect("imports")
}

/// The indicators of the stored latest versions whose name contains `word`, counted from the
/// models rather than the index.
async fn indicators_named(store: &dyn Store, word: &str) -> usize {
    let mut count = 0;
    for info in store
        .documents(&Filter::default(), false)
        .await
        .expect("documents")
    {
        let document = store.load_document(info.id).await.expect("load");
        count += document
            .projects()
            .flat_map(|(_, p)| &p.indicators)
            .filter(|i| i.name.text.contains(word))
            .count();
    }
    count
}

/// A SQLite store in `dir`, and a PostgreSQL one in a fresh schema named after the test (`name`)
/// when `JIXIAO_TEST_POSTGRES_URL` is set.
async fn stores(dir: &std::path::Path, name: &str) -> Vec<(&'static str, Box<dyn Store>)> {
    let mut out: Vec<(&'static str, Box<dyn Store>)> = vec![(
        "sqlite",
        Box::new(
            SqliteStore::open(&dir.join("corpus.db"))
                .await
                .expect("sqlite"),
        ),
    )];
    match std::env::var("JIXIAO_TEST_POSTGRES_URL") {
        Ok(url) => {
            let schema = format!("jixiao_search_{name}_{}", std::process::id());
            let admin = sqlx::PgPool::connect(&url).await.expect("connect");
            for sql in [
                format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                format!("CREATE SCHEMA {schema}"),
            ] {
                sqlx::query(&sql).execute(&admin).await.expect("schema");
            }
            let options = sqlx::postgres::PgConnectOptions::from_str(&url)
                .expect("URL")
                .options([("search_path", schema.as_str())]);
            let store = PostgresStore::open_with(options, "test")
                .await
                .expect("postgres");
            out.push(("postgres", Box::new(store)));
        }
        Err(_) => eprintln!("PostgreSQL skipped: set JIXIAO_TEST_POSTGRES_URL"),
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn satisfaction_indicators_are_found_by_word_on_both_backends() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (backend, store) in stores(dir.path(), "sync").await {
        let store = store.as_ref();
        import(store, YUEXIU, &example(YUEXIU)).await;
        import(store, HUADU, &example(HUADU)).await;
        let index = SearchIndex::open(&dir.path().join(format!("{backend}.index"))).expect("open");
        assert!(
            !index.is_current(store).await.expect("current"),
            "{backend}"
        );
        let report = index.sync(store).await.expect("sync");
        assert_eq!(report.added, 2, "{backend}");
        assert!(index.is_current(store).await.expect("current"), "{backend}");

        let found = index
            .search("满意度", &SearchFilter::default(), 1000)
            .expect("search");
        assert_eq!(found.words, ["满意度"]);
        let named = found
            .hits
            .iter()
            .filter(|h| h.kind == HitKind::Indicator && h.name.contains("满意度"))
            .count();
        let expected = indicators_named(store, "满意度").await;
        assert!(
            expected > 0,
            "{backend}: the examples have satisfaction indicators"
        );
        assert_eq!(
            named, expected,
            "{backend}: every 满意度 indicator is found"
        );
        for hit in &found.hits {
            let all = format!("{}{}{}", hit.name, hit.text, hit.project);
            assert!(all.contains("满意度"), "{backend}: {hit:?}");
        }
        assert_eq!(found.total, found.hits.len());

        // 服务对象 is one word to jieba; search mode also indexes 对象 inside it, while 象满 is
        // not a word at all.
        let inner = index
            .search("对象", &SearchFilter::default(), 1000)
            .expect("search");
        assert!(
            inner.hits.iter().any(|h| h.name.contains("服务对象满意度")),
            "{backend}: {inner:?}"
        );
        let across = index
            .search("象满", &SearchFilter::default(), 1000)
            .expect("search");
        assert!(across.hits.is_empty(), "{backend}: {across:?}");

        // Goals and project names are searched too.
        let goal = index
            .search("薪酬调查", &SearchFilter::default(), 1000)
            .expect("search");
        assert!(
            goal.hits.iter().any(|h| h.kind == HitKind::Goal),
            "{backend}"
        );
        assert!(
            goal.hits.iter().any(|h| h.kind == HitKind::Project),
            "{backend}"
        );

        // Filters: 满意 is inside 满意度 and 满意率, which both examples use.
        let both = index
            .search("满意", &SearchFilter::default(), 1000)
            .expect("search");
        let publishers: BTreeSet<_> = both
            .hits
            .iter()
            .filter_map(|h| h.publisher.clone())
            .collect();
        assert!(publishers.len() >= 2, "{backend}: {publishers:?}");
        let filtered = index
            .search(
                "满意",
                &SearchFilter {
                    publisher: Some("花都".into()),
                    ..SearchFilter::default()
                },
                1000,
            )
            .expect("search");
        assert!(
            !filtered.hits.is_empty() && filtered.hits.len() < both.hits.len(),
            "{backend}"
        );
        assert!(
            filtered
                .hits
                .iter()
                .all(|h| h.publisher.as_deref().is_some_and(|p| p.contains("花都")))
        );
        let nowhere = index
            .search(
                "满意度",
                &SearchFilter {
                    layout: Some("no_such_layout".into()),
                    ..SearchFilter::default()
                },
                1000,
            )
            .expect("search");
        assert!(nowhere.hits.is_empty());

        // The same files again: unchanged, nothing re-indexed, no duplicate hits.
        for outcome in import(store, HUADU, &example(HUADU)).await {
            assert!(
                matches!(outcome, ImportOutcome::Unchanged { .. }),
                "{outcome:?}"
            );
        }
        let report = index.sync(store).await.expect("sync");
        assert_eq!((report.added, report.removed), (0, 0), "{backend}");
        let again = index
            .search("满意度", &SearchFilter::default(), 1000)
            .expect("search");
        assert_eq!(again.total, found.total, "{backend}");

        // A changed table is a new version: the old one leaves the index, the new one comes in.
        let changed = String::from_utf8(example(HUADU)).expect("utf-8").replacen(
            "服务对象满意度",
            "服务对象满意度调查",
            1,
        );
        let outcomes = import(store, HUADU, changed.as_bytes()).await;
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, ImportOutcome::NewVersion { .. }))
        );
        let report = index.sync(store).await.expect("sync");
        assert_eq!((report.added, report.removed), (1, 1), "{backend}");
        let after = index
            .search("满意度", &SearchFilter::default(), 1000)
            .expect("search");
        assert_eq!(
            after.total, found.total,
            "{backend}: no duplicates after a new version"
        );
        assert!(
            after.hits.iter().any(|h| h.name == "服务对象满意度调查"),
            "{backend}"
        );

        // Reopened from disk, the index is current and answers the same.
        drop(index);
        let reopened =
            SearchIndex::open(&dir.path().join(format!("{backend}.index"))).expect("reopen");
        assert!(
            reopened.is_current(store).await.expect("current"),
            "{backend}"
        );
        let report = reopened.sync(store).await.expect("sync");
        assert_eq!((report.added, report.removed), (0, 0), "{backend}");
        let reread = reopened
            .search("满意度", &SearchFilter::default(), 1000)
            .expect("search");
        assert_eq!(reread.total, after.total, "{backend}");
    }
}

/// What a search finds, in a fixed order and without the scores.
fn found(index: &SearchIndex, word: &str, filter: &SearchFilter) -> Vec<String> {
    let found = index.search(word, filter, 100_000).expect("search");
    assert_eq!(found.total, found.hits.len());
    let mut hits: Vec<String> = found
        .hits
        .into_iter()
        .map(|hit| format!("{:?}", Hit { score: 0.0, ..hit }))
        .collect();
    hits.sort();
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_fed_during_import_finds_what_a_synced_one_finds() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (backend, store) in stores(dir.path(), "feed").await {
        let store = store.as_ref();
        let fed_folder = dir.path().join(format!("{backend}-fed.index"));
        // The index already holds one table from an earlier import.
        import(store, YUEXIU, &example(YUEXIU)).await;
        let report = SearchIndex::open(&fed_folder)
            .expect("open")
            .sync(store)
            .await
            .expect("sync");
        assert_eq!(report.added, 1, "{backend}");

        let mut feed = SearchIndex::open(&fed_folder)
            .expect("open")
            .feed()
            .expect("feed");
        let changed = String::from_utf8(example(HUADU)).expect("utf-8").replacen(
            "服务对象满意度",
            "服务对象满意度调查",
            1,
        );
        // The original is fed and then superseded by a corrected version in the same import; the
        // corrected version is fed without its findings (as if corpus findings came later), so
        // the feed must index it again from the store.
        for (round, bytes) in [example(HUADU), changed.into_bytes()].iter().enumerate() {
            let mut prepared = prepare(HUADU, bytes);
            let outcomes = store.import_batch(&prepared).await.expect("imports");
            for (outcome, document) in outcomes.into_iter().zip(&mut prepared) {
                let (ImportOutcome::Imported { id } | ImportOutcome::NewVersion { id, .. }) =
                    outcome
                else {
                    continue;
                };
                if round == 1 {
                    assert!(!document.findings.is_empty(), "{backend}");
                    document.findings.clear();
                }
                feed.add(id, document).expect("feed");
            }
        }
        let report = feed.finish(store).await.expect("finish");
        assert_eq!((report.added, report.removed), (1, 0), "{backend}");

        let fed = SearchIndex::open(&fed_folder).expect("reopen");
        assert!(fed.is_current(store).await.expect("current"), "{backend}");
        let synced =
            SearchIndex::open(&dir.path().join(format!("{backend}-synced.index"))).expect("open");
        synced.sync(store).await.expect("sync");

        let mut filters = vec![SearchFilter::default()];
        for count in store
            .document_finding_counts(&Filter::default(), false)
            .await
            .expect("counts")
        {
            filters.push(SearchFilter {
                code: Some(count.code),
                ..SearchFilter::default()
            });
            filters.push(SearchFilter {
                severity: Some(count.severity),
                ..SearchFilter::default()
            });
        }
        filters.push(SearchFilter {
            publisher: Some("花都".into()),
            ..SearchFilter::default()
        });
        for word in ["满意度", "满意度调查", "对象", "薪酬调查", "满意", "培训"] {
            for filter in &filters {
                let expected = found(&synced, word, filter);
                assert_eq!(
                    found(&fed, word, filter),
                    expected,
                    "{backend}: {word} {filter:?}"
                );
            }
        }
        assert!(
            !found(&fed, "满意度调查", &SearchFilter::default()).is_empty(),
            "{backend}"
        );
    }
}

/// Findings can change while their document does not (corpus findings such as G002 are worked
/// out across documents, after they are stored): a sync, and an import's feed, give the documents
/// kept in the index their new codes without indexing their entries again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_that_change_without_their_document_are_found_after_a_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (backend, store) in stores(dir.path(), "codes").await {
        let store = store.as_ref();
        import(store, YUEXIU, &example(YUEXIU)).await;
        import(store, HUADU, &example(HUADU)).await;
        let synced_folder = dir.path().join(format!("{backend}-synced.index"));
        let fed_folder = dir.path().join(format!("{backend}-fed.index"));
        for folder in [&synced_folder, &fed_folder] {
            let index = SearchIndex::open(folder).expect("open");
            index.sync(store).await.expect("sync");
        }
        let g002 = SearchFilter {
            code: Some("G002".into()),
            ..SearchFilter::default()
        };
        let synced = SearchIndex::open(&synced_folder).expect("open");
        assert!(found(&synced, "满意度", &g002).is_empty(), "{backend}");

        let count = store
            .refresh_corpus_findings(&Settings::default())
            .await
            .expect("corpus findings");
        assert!(count > 0, "{backend}: the seeds share goals");
        let with_g002: BTreeSet<i64> = store
            .document_finding_counts(&Filter::default(), false)
            .await
            .expect("counts")
            .into_iter()
            .filter(|c| c.code == "G002")
            .map(|c| c.document_id)
            .collect();
        assert!(!with_g002.is_empty(), "{backend}");

        let report = synced.sync(store).await.expect("sync");
        assert_eq!((report.added, report.removed, report.entries), (0, 0, 0));
        let hits = synced
            .search("满意度", &g002, 100_000)
            .expect("search")
            .hits;
        assert!(!hits.is_empty(), "{backend}");
        assert!(
            hits.iter().all(|hit| with_g002.contains(&hit.document_id)),
            "{backend}"
        );
        // An import that stores nothing new brings its index to the same codes.
        let feed = SearchIndex::open(&fed_folder)
            .expect("open")
            .feed()
            .expect("feed");
        let report = feed.finish(store).await.expect("finish");
        assert_eq!((report.added, report.removed, report.entries), (0, 0, 0));
        let fed = SearchIndex::open(&fed_folder).expect("open");
        let fresh = SearchIndex::in_memory().expect("in memory");
        fresh.sync(store).await.expect("sync");
        for index in [&fed, &fresh] {
            assert!(index.is_current(store).await.expect("current"));
            assert_eq!(
                found(index, "满意度", &g002),
                found(&synced, "满意度", &g002),
                "{backend}"
            );
        }
    }
}

/// The Yuexiu seed stored in `dir` and indexed beside it (the index closed again), with what a
/// search for 人才 finds in it.
async fn indexed_yuexiu(dir: &std::path::Path) -> (SqliteStore, PathBuf, Vec<String>) {
    let store = SqliteStore::open(&dir.join("corpus.db"))
        .await
        .expect("sqlite");
    import(&store, YUEXIU, &example(YUEXIU)).await;
    let folder = dir.join("corpus.db.index");
    let index = SearchIndex::open(&folder).expect("open");
    assert_eq!(index.sync(&store).await.expect("sync").added, 1);
    let before = found(&index, "人才", &SearchFilter::default());
    assert!(!before.is_empty());
    (store, folder, before)
}

/// An index written by an earlier version, whose schema names another segmenter (jieba-rs 0.8
/// cut some runs of letters and digits differently), is rebuilt from the store when opened,
/// not searched with words it was not cut into.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_cut_by_another_segmenter_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, folder, before) = indexed_yuexiu(dir.path()).await;

    // What the previous version wrote: the same schema under the old tokenizer's name.
    let meta = folder.join("meta.json");
    let text = std::fs::read_to_string(&meta).expect("meta.json");
    assert!(text.contains("\"jieba-0.11\""), "{text}");
    std::fs::write(&meta, text.replace("\"jieba-0.11\"", "\"jieba\"")).expect("write");

    let index = SearchIndex::open(&folder).expect("reopen");
    assert!(!index.is_current(&store).await.expect("current"));
    let report = index.sync(&store).await.expect("sync");
    assert_eq!(report.added, 1, "rebuilt from the store");
    assert_eq!(found(&index, "人才", &SearchFilter::default()), before);
    let meta = std::fs::read_to_string(folder.join("meta.json")).expect("meta.json");
    assert!(meta.contains("\"jieba-0.11\"") && !meta.contains("\"jieba\""));
}

#[tokio::test]
async fn an_index_with_other_field_options_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, folder, before) = indexed_yuexiu(dir.path()).await;

    // An earlier version kept field norms of the exact fields (and a kind on every entry).
    let meta = folder.join("meta.json");
    let text = std::fs::read_to_string(&meta).expect("meta.json");
    assert!(text.contains("\"fieldnorms\": false"), "{text}");
    let old = text.replacen("\"fieldnorms\": false", "\"fieldnorms\": true", 1);
    std::fs::write(&meta, old).expect("write");

    let index = SearchIndex::open(&folder).expect("reopen");
    assert!(!index.is_current(&store).await.expect("current"));
    assert_eq!(index.sync(&store).await.expect("sync").added, 1, "rebuilt");
    assert_eq!(found(&index, "人才", &SearchFilter::default()), before);
}

/// The seeds `names` stored in `dir` and indexed beside it.
async fn indexed(dir: &std::path::Path, names: &[&str]) -> (SqliteStore, SearchIndex) {
    let store = SqliteStore::open(&dir.join("corpus.db"))
        .await
        .expect("sqlite");
    for name in names {
        import(&store, name, &example(name)).await;
    }
    let index = SearchIndex::open(&dir.join("corpus.index")).expect("open");
    index.sync(&store).await.expect("sync");
    (store, index)
}

/// A query's words may be split between a project's name and its indicator's: the indicator is
/// found. (Any cheaper way of indexing projects' words must keep this: see docs/benchmarks.md,
/// twelfth session, on indexing them once per project.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn words_split_between_project_and_indicator_find_the_indicator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_store, index) = indexed(dir.path(), &[HUADU]).await;

    // 基地 is in the name of the project 全区城乡劳动力职业技能培训基地运作经费 (and of a few
    // others), not in its indicators; 资金 is in its indicator 控制在批复资金内 and in
    // indicators of other projects.
    let found = index
        .search("基地 资金", &SearchFilter::default(), 1000)
        .expect("search");
    assert!(
        found.hits.iter().any(|h| h.kind == HitKind::Indicator
            && h.name == "控制在批复资金内"
            && h.project == "全区城乡劳动力职业技能培训基地运作经费"),
        "{found:?}"
    );
    for hit in &found.hits {
        let all = format!("{}{}{}", hit.name, hit.text, hit.project);
        assert!(all.contains("基地") && all.contains("资金"), "{hit:?}");
    }
    // The project word alone finds the project's entry, its goal and every indicator.
    let project = index
        .search("基地", &SearchFilter::default(), 1000)
        .expect("search");
    let of_project = |kind: HitKind| {
        project
            .hits
            .iter()
            .filter(|h| h.kind == kind && h.project == "全区城乡劳动力职业技能培训基地运作经费")
            .count()
    };
    assert_eq!(of_project(HitKind::Project), 1, "{project:?}");
    assert_eq!(of_project(HitKind::Goal), 1, "{project:?}");
    assert_eq!(of_project(HitKind::Indicator), 6, "{project:?}");
    // Elsewhere 资金 finds indicators of projects without 基地, which the pair left out.
    let money = index
        .search("资金", &SearchFilter::default(), 1000)
        .expect("search");
    assert!(money.hits.iter().any(|h| !h.project.contains("基地")));
    assert!(money.hits.len() > found.hits.len());
}

/// A project's words are indexed on its own entry only and reach its goal and indicators by
/// their place after it: a new version of the document (its old entries deleted, not yet merged
/// away) and an unchanged document beside it still give each project's entries once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_words_reach_the_entries_of_new_versions_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, index) = indexed(dir.path(), &[YUEXIU, HUADU]).await;
    let project = "全区城乡劳动力职业技能培训基地运作经费";
    let kinds = |found: &jixiao_search::Found| {
        let count = |kind: HitKind| {
            found
                .hits
                .iter()
                .filter(|h| h.kind == kind && h.project == project)
                .count()
        };
        (
            count(HitKind::Project),
            count(HitKind::Goal),
            count(HitKind::Indicator),
        )
    };
    let before = index
        .search("基地", &SearchFilter::default(), 1000)
        .expect("search");
    assert_eq!(kinds(&before), (1, 1, 6), "{before:?}");

    let changed = String::from_utf8(example(HUADU)).expect("utf-8").replacen(
        "控制在批复资金内",
        "控制在批复资金以内",
        1,
    );
    import(&store, HUADU, changed.as_bytes()).await;
    let report = index.sync(&store).await.expect("sync");
    assert_eq!((report.added, report.removed), (1, 1));
    let after = index
        .search("基地", &SearchFilter::default(), 1000)
        .expect("search");
    assert_eq!(kinds(&after), (1, 1, 6), "{after:?}");
    assert_eq!(after.total, before.total);
    assert!(
        after
            .hits
            .iter()
            .any(|h| h.name == "控制在批复资金以内" && h.project == project)
    );
    for hit in &after.hits {
        let all = format!("{}{}{}", hit.name, hit.text, hit.project);
        assert!(all.contains("基地"), "{hit:?}");
    }
    // Every entry of a matched project scores as its project's entry does for the word.
    let scores: BTreeSet<String> = after
        .hits
        .iter()
        .filter(|h| h.project == project && !h.name.contains("基地") && !h.text.contains("基地"))
        .map(|h| format!("{:.4}", h.score))
        .collect();
    assert_eq!(scores.len(), 1, "{scores:?}");
}

/// An index of the previous layout, the project's words on every entry, is rebuilt when opened:
/// its goals and indicators have no project entry ahead of them to be found through.
#[tokio::test]
async fn an_index_with_project_words_on_every_entry_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, folder, before) = indexed_yuexiu(dir.path()).await;

    // The earlier schema: `project` cut into words and stored, no `project_words` or `members`.
    let meta = folder.join("meta.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).expect("meta.json")).expect("json");
    let fields = json["schema"].as_array_mut().expect("schema");
    let words = fields
        .iter()
        .find(|f| f["name"] == "name")
        .expect("name field")["options"]
        .clone();
    fields.retain(|f| f["name"] != "project_words" && f["name"] != "members");
    let project = fields
        .iter_mut()
        .find(|f| f["name"] == "project")
        .expect("project field");
    project["options"] = words;
    std::fs::write(&meta, serde_json::to_string(&json).expect("json")).expect("write");

    let index = SearchIndex::open(&folder).expect("reopen");
    assert!(!index.is_current(&store).await.expect("current"));
    assert_eq!(index.sync(&store).await.expect("sync").added, 1, "rebuilt");
    assert_eq!(found(&index, "人才", &SearchFilter::default()), before);
}
