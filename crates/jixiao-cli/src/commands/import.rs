//! `jixiao import`: parse, check and store tables in the corpus.
//!
//! Worker threads read, parse, check and prepare files (the CPU work) and hand them over a bounded
//! channel to the one task that writes, so memory stays bounded by a window of files (a few
//! megabytes of input) however large the corpus, and parsing runs while the database writes. The
//! writer stores the files in the order given, those ready as one batch in one transaction (whole
//! documents only, a file of many tables in several); if the batch fails it stores its documents
//! one transaction each, so a file that fails is reported and the others go on.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Instant;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jixiao_parse::Limits;
use jixiao_rules::Checker;
use jixiao_store::{ImportOutcome, Overrides, PreparedDocument, Store};

use crate::args::ImportArgs;

/// Files the workers may prepare ahead of the writer. The writer takes what is waiting as one
/// batch, so the window is also what a batch can grow to when the writer is the slower side: at
/// ten files (its size until the tenth session) a batch of the generated corpus held about 900
/// indicators, and the commits and round trips of 800 small batches kept the cores idle a third
/// of the time (docs/benchmarks.md).
const AHEAD_FILES: usize = 256;

/// Bytes of input the workers may prepare ahead of the writer, whatever the count of files: a
/// prepared file takes about nine times its size in memory, so this keeps the window under
/// about 75 MB when the files are large. The next file the writer needs is always let through.
const AHEAD_BYTES: u64 = 8 << 20;

/// Indicators after which the writer stops adding files to a batch: enough to spread a commit's
/// fixed cost (lock, sync, the b-tree pages every commit rewrites) thinly, little enough to keep
/// memory and the work lost to a crash small.
const BATCH_INDICATORS: usize = 20_000;

/// Files after which a batch ends however few indicators they hold.
const BATCH_FILES: usize = 256;

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    // The search index's dictionary loads while the files are listed and the first ones parsed.
    jixiao_search::preload();
    let settings =
        super::check::load_settings_with_policy(args.config.as_deref(), args.policy.as_deref())?;
    let files = super::check::collect_files(&args.paths)?;
    let limits = super::limits(args.config.as_deref(), &args.limits)?;
    if files.is_empty() {
        anyhow::bail!("没有找到要导入的文件（目录中只读取 .txt/.tsv/.csv 文件）。");
    }
    let url = database_url(args.db.as_deref());
    let overrides = Overrides {
        year: args.year,
        publisher: args.publisher.clone(),
    };
    let runtime = runtime()?;
    let store = runtime.block_on(open_store(&url))?;
    let checker = Checker::new(settings);
    let mut corpus = CorpusWatch::new(&checker)?;
    let progress = progress_bar(files.len(), args.quiet);
    let index = index_path(args.index.as_deref(), &url);
    // Documents go into the search index as they are stored, from the models in memory; if the
    // index cannot be opened now, the sync at the end reads them from the store (or says why not).
    let mut feed = jixiao_search::SearchIndex::open(&index)
        .and_then(jixiao_search::SearchIndex::feed)
        .ok();
    let started = Instant::now();
    let tally = import_files(
        &runtime,
        store.as_ref(),
        &checker,
        &mut corpus,
        &mut feed,
        &files,
        &overrides,
        &limits,
        &progress,
    );
    progress.finish_and_clear();
    // Corpus-wide rules (G002) look across tables: recomputed over the latest versions whenever
    // the corpus changed, here or in an import that did not get to it.
    let stale = runtime.block_on(store.corpus_findings_stale())?;
    // The latest versions, read once for the corpus-wide rules and the index (each reading
    // took 0.1 s of the generated corpus's import).
    let latest = if stale || feed.is_some() {
        runtime
            .block_on(store.documents(&jixiao_store::Filter::default(), false))
            .context("导入已完成，但读取语料库的文档列表失败；再次运行 jixiao import 会补上全库审核和搜索索引")?
    } else {
        Vec::new()
    };
    let corpus_findings = if stale {
        Some(
            runtime
                .block_on(corpus.finish(store.as_ref(), checker.settings(), &latest))
                .context("导入已完成，但全库审核（G002 等跨文档规则）失败；再次运行 jixiao import 会重试")?,
        )
    } else {
        None
    };
    // The checkpoint (the `.db` file alone is then the whole corpus: a copy without `-wal` is
    // not empty) runs on the database's thread while this one commits the index.
    let (checkpointed, synced) = runtime.block_on(async {
        tokio::join!(store.checkpoint(), async {
            match feed {
                Some(feed) => feed
                    .finish_with(store.as_ref(), latest)
                    .await
                    .map_err(anyhow::Error::from),
                None => sync_index(&index, store.as_ref()).await,
            }
        })
    });
    checkpointed.context("导入已完成，但整理数据库文件失败")?;
    // The time and rate cover the whole import, the index included: it overlaps the writing.
    print_summary(&url, &tally, started.elapsed().as_secs_f64());
    if let Some(count) = corpus_findings {
        println!("全库审核（G002 等跨文档规则）已按最新版本重新计算：{count} 条问题。");
    }
    match synced {
        Ok(report) => println!(
            "  搜索索引：{}（新增 {} 张表，移除 {} 张表）",
            index.display(),
            report.added,
            report.removed
        ),
        // The corpus is imported; the index catches up at the next import or `serve` start.
        Err(e) => eprintln!("警告：搜索索引未更新：{e:#}"),
    }
    Ok(if tally.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// `--index`, else the folder beside the database (see [`jixiao_search::index_path`]).
pub(super) fn index_path(arg: Option<&Path>, url: &str) -> PathBuf {
    arg.map_or_else(|| jixiao_search::index_path(url), Path::to_path_buf)
}

/// Opens the search index in `folder` and brings it up to date with `store`.
pub(super) async fn sync_index(
    folder: &Path,
    store: &dyn Store,
) -> anyhow::Result<jixiao_search::SyncReport> {
    let index = jixiao_search::SearchIndex::open(folder)?;
    Ok(index.sync(store).await?)
}

/// `--db`, else `JIXIAO_DB`, else `jixiao.db` in the current directory.
pub(super) fn database_url(arg: Option<&str>) -> String {
    arg.map(str::to_owned)
        .or_else(|| std::env::var("JIXIAO_DB").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "jixiao.db".to_owned())
}

/// A runtime on this thread only: the commands talk to one database at a time.
pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动数据库连接所需的运行环境")
}

pub(super) async fn open_store(url: &str) -> anyhow::Result<Box<dyn Store>> {
    Ok(jixiao_store::open(url).await?)
}

/// The corpus-wide rules fed with every document this import stores. When those are all the
/// latest documents at the end (a new corpus, the usual bulk import), their findings need no
/// second reading of the corpus; otherwise the store computes them from what it holds.
///
/// A batch's documents are observed once the next batch is stored, so that a table superseded by
/// a corrected version in the same or the next batch (a republication filed beside the original)
/// is left out; one superseded later than that makes the store compute the findings instead.
struct CorpusWatch {
    checker: Checker,
    /// Stored and latest as far as this import knows, waiting for the next batch.
    pending: Vec<(i64, PreparedDocument)>,
    /// Ids of the observed documents, and the source each was read from (a finding names it).
    observed: std::collections::HashSet<i64>,
    sources: std::collections::HashMap<String, Vec<i64>>,
    /// The document of each goal (by file, line and bytes), to place a finding on the right
    /// one of a file's tables the way [`Store::refresh_corpus_findings`] does, without reading
    /// the corpus back.
    goals: std::collections::HashMap<(std::sync::Arc<str>, u32, u32, u32), i64>,
    keys: std::collections::HashSet<String>,
    /// An observed document stopped being the latest, or versions were numbered again.
    spoilt: bool,
}

impl CorpusWatch {
    fn new(checker: &Checker) -> anyhow::Result<Self> {
        Ok(Self {
            checker: Checker::new(checker.settings().clone())
                .with_scratch(&jixiao_store::scratch_file)
                .context("无法建立全库审核所需的临时文件")?,
            pending: Vec::new(),
            observed: std::collections::HashSet::new(),
            sources: std::collections::HashMap::new(),
            goals: std::collections::HashMap::new(),
            keys: std::collections::HashSet::new(),
            spoilt: false,
        })
    }

    /// Takes a batch's documents with what storing them did.
    fn stored(&mut self, batch: Vec<(ImportOutcome, PreparedDocument)>) {
        let mut written: Vec<(i64, PreparedDocument)> = Vec::new();
        for (outcome, document) in batch {
            match outcome {
                ImportOutcome::Imported { id } | ImportOutcome::NewVersion { id, .. } => {
                    written.push((id, document));
                }
                ImportOutcome::Updated { .. } => self.spoilt = true,
                ImportOutcome::Unchanged { .. } => {}
            }
        }
        let keys: std::collections::HashSet<String> =
            written.iter().map(|(_, d)| d.meta.key.clone()).collect();
        for (id, document) in std::mem::take(&mut self.pending) {
            if !keys.contains(&document.meta.key) {
                self.observe(id, &document);
            }
        }
        // Within the batch, the last version of a document is the latest.
        let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (index, (_, document)) in written.iter().enumerate() {
            last.insert(&document.meta.key, index);
        }
        let keep: std::collections::HashSet<usize> = last.into_values().collect();
        self.pending = written
            .into_iter()
            .enumerate()
            .filter(|(index, _)| keep.contains(index))
            .map(|(_, pair)| pair)
            .collect();
        if self
            .pending
            .iter()
            .any(|(_, d)| self.keys.contains(&d.meta.key))
        {
            self.spoilt = true;
        }
    }

    fn observe(&mut self, id: i64, document: &PreparedDocument) {
        self.keys.insert(document.meta.key.clone());
        self.observed.insert(id);
        self.sources
            .entry(document.document.source.clone())
            .or_default()
            .push(id);
        for (_, project) in document.document.projects() {
            if let Some(goal) = &project.goal {
                let span = &goal.span;
                let at = (span.file.clone(), span.line, span.start, span.end);
                if self.goals.insert(at, id).is_some_and(|other| other != id) {
                    // Two tables of one file name with a goal at the same place: only the store
                    // can tell them apart.
                    self.spoilt = true;
                }
            }
        }
        self.checker.observe_notes(&document.notes);
    }

    /// The corpus findings, from what was observed if `latest` (the latest document versions)
    /// are what this import observed, else computed by the store.
    async fn finish(
        mut self,
        store: &dyn Store,
        settings: &jixiao_rules::Settings,
        latest: &[jixiao_store::DocumentInfo],
    ) -> anyhow::Result<usize> {
        for (id, document) in std::mem::take(&mut self.pending) {
            self.observe(id, &document);
        }
        let generation = store.corpus_generation().await?;
        let latest: std::collections::HashSet<i64> = latest.iter().map(|d| d.id).collect();
        if self.spoilt || latest != self.observed {
            return Ok(store.refresh_corpus_findings(settings).await?);
        }
        let findings = self.checker.try_finish()?;
        let mut placed = Vec::with_capacity(findings.len());
        for finding in findings {
            let Some(tables) = self.sources.get(&*finding.span.file) else {
                // Not from a document this import stored: let the store place it.
                return Ok(store.refresh_corpus_findings(settings).await?);
            };
            let span = &finding.span;
            let at = (span.file.clone(), span.line, span.start, span.end);
            let id = match self.goals.get(&at) {
                Some(id) if tables.len() > 1 => *id,
                _ => tables[tables.len() - 1],
            };
            placed.push((id, finding));
        }
        Ok(store.replace_corpus_findings(placed, generation).await?)
    }
}

/// What an import did, counted by document (table) and, for failures, by file.
#[derive(Debug, Default)]
struct Tally {
    imported: usize,
    unchanged: usize,
    new_versions: usize,
    updated: usize,
    indicators_written: usize,
    failed: Vec<(PathBuf, String)>,
}

pub(super) type Prepared = anyhow::Result<Vec<PreparedDocument>>;

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; the pieces are all different"
)]
fn import_files(
    runtime: &tokio::runtime::Runtime,
    store: &dyn Store,
    checker: &Checker,
    corpus: &mut CorpusWatch,
    feed: &mut Option<jixiao_search::IndexFeed>,
    files: &[PathBuf],
    overrides: &Overrides,
    limits: &Limits,
    progress: &ProgressBar,
) -> Tally {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(files.len());
    let window = Window::new(files, AHEAD_FILES, AHEAD_BYTES);
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(usize, Prepared)>(AHEAD_FILES);
    let next = AtomicUsize::new(0);
    let mut tally = Tally::default();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, window) = (&next, &window);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(index) else { break };
                    window.wait_for(index);
                    let prepared = prepare_path(path, checker, overrides, limits);
                    if sender.blocking_send((index, prepared)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        runtime.block_on(async {
            // Files are written in the order given, so document ids follow it whichever worker
            // finishes first; the window keeps the files that wait for an earlier one few.
            let mut ready = BTreeMap::new();
            let mut next_to_write = 0;
            while let Some((index, prepared)) = receiver.recv().await {
                ready.insert(index, prepared);
                while let Ok((index, prepared)) = receiver.try_recv() {
                    ready.insert(index, prepared);
                }
                loop {
                    let mut batch = Vec::new();
                    let mut indicators = 0;
                    while indicators < BATCH_INDICATORS && batch.len() < BATCH_FILES {
                        let Some(prepared) = ready.remove(&next_to_write) else {
                            break;
                        };
                        indicators += batch_indicators(&prepared);
                        batch.push((next_to_write, prepared));
                        next_to_write += 1;
                    }
                    if batch.is_empty() {
                        break;
                    }
                    // Workers go on preparing while this batch is written, as many files as
                    // the batch takes out of the window.
                    window.advance_to(next_to_write);
                    write_batch(store, files, batch, &mut tally, corpus, feed, progress).await;
                }
            }
        });
    });
    tally
}

/// How far ahead of the writer the workers may prepare files: a worker holding file `i` waits
/// while `files` or more files before it are still waiting to be taken into a batch, or while the
/// files from the first one waiting to `i` hold more than `bytes` of input (unless `i` is that
/// first one, which the writer needs next).
#[derive(Debug)]
struct Window {
    taken: Mutex<usize>,
    advanced: Condvar,
    files: usize,
    bytes: u64,
    /// `ends[i]`: the size of the files before file `i` together; one more than the files.
    ends: Vec<u64>,
}

impl Window {
    /// A file whose size cannot be read counts as empty: reading it fails in its worker, which
    /// reports it.
    fn new(paths: &[PathBuf], files: usize, bytes: u64) -> Self {
        let mut ends = Vec::with_capacity(paths.len() + 1);
        let mut end = 0u64;
        ends.push(end);
        for path in paths {
            end += std::fs::metadata(path).map_or(0, |m| m.len());
            ends.push(end);
        }
        Self {
            taken: Mutex::new(0),
            advanced: Condvar::new(),
            files: files.max(1),
            bytes,
            ends,
        }
    }

    fn admits(&self, taken: usize, index: usize) -> bool {
        index == taken
            || (index < taken + self.files && self.ends[index + 1] - self.ends[taken] <= self.bytes)
    }

    fn wait_for(&self, index: usize) {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        while index > *taken && !self.admits(*taken, index) {
            taken = self
                .advanced
                .wait(taken)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn advance_to(&self, taken: usize) {
        *self.taken.lock().unwrap_or_else(PoisonError::into_inner) = taken;
        self.advanced.notify_all();
    }
}

fn batch_indicators(prepared: &Prepared) -> usize {
    prepared.as_ref().map_or(0, |documents| {
        documents
            .iter()
            .map(PreparedDocument::indicator_count)
            .sum()
    })
}

/// Stores the documents of several files, a transaction for each [`BATCH_INDICATORS`] or so
/// (whole documents only; see [`write_part`]).
async fn write_batch(
    store: &dyn Store,
    files: &[PathBuf],
    batch: Vec<(usize, Prepared)>,
    tally: &mut Tally,
    corpus: &mut CorpusWatch,
    feed: &mut Option<jixiao_search::IndexFeed>,
    progress: &ProgressBar,
) {
    let file_count = batch.len() as u64;
    let mut documents = Vec::new();
    let mut owners = Vec::new();
    for (index, prepared) in batch {
        progress.set_message(files[index].display().to_string());
        match prepared {
            Ok(prepared) => {
                owners.extend(std::iter::repeat_n(index, prepared.len()));
                documents.extend(prepared);
            }
            Err(error) => tally
                .failed
                .push((files[index].clone(), format!("{error:#}"))),
        }
    }
    // A file of many tables (a whole department list) is written a batch's worth of indicators at
    // a time, so the index takes each part while the database writes the next.
    let mut documents = documents.into_iter().zip(owners).peekable();
    while documents.peek().is_some() {
        let mut part = Vec::new();
        let mut indicators = 0;
        while let Some((document, _)) = documents.peek() {
            if !part.is_empty() && indicators + document.indicator_count() > BATCH_INDICATORS {
                break;
            }
            indicators += document.indicator_count();
            part.extend(documents.next());
        }
        write_part(store, files, part, tally, corpus, feed).await;
    }
    progress.inc(file_count);
}

/// Stores documents (each with the index of its file) in one transaction, or if that fails one
/// transaction each; then indexes what was stored.
async fn write_part(
    store: &dyn Store,
    files: &[PathBuf],
    part: Vec<(PreparedDocument, usize)>,
    tally: &mut Tally,
    corpus: &mut CorpusWatch,
    feed: &mut Option<jixiao_search::IndexFeed>,
) {
    let (documents, owners): (Vec<PreparedDocument>, Vec<usize>) = part.into_iter().unzip();
    let mut stored = Vec::with_capacity(documents.len());
    match store.import_batch(&documents).await {
        Ok(outcomes) => {
            for (outcome, document) in outcomes.into_iter().zip(documents) {
                tally.count(outcome, &document);
                stored.push((outcome, document));
            }
        }
        Err(_) => {
            for (document, index) in documents.into_iter().zip(owners) {
                match store.import(&document).await {
                    Ok(outcome) => {
                        tally.count(outcome, &document);
                        stored.push((outcome, document));
                    }
                    Err(error) => tally
                        .failed
                        .push((files[index].clone(), format!("写入数据库失败：{error}"))),
                }
            }
        }
    }
    feed_index(feed, &stored);
    corpus.stored(stored);
}

/// Indexes the documents a batch wrote. On an error the feed stops, and the sync at the end of the
/// import reads the documents from the store instead.
fn feed_index(
    feed: &mut Option<jixiao_search::IndexFeed>,
    stored: &[(ImportOutcome, PreparedDocument)],
) {
    let Some(indexing) = feed else { return };
    for (outcome, document) in stored {
        let (ImportOutcome::Imported { id } | ImportOutcome::NewVersion { id, .. }) = *outcome
        else {
            continue;
        };
        if let Err(e) = indexing.add(id, document) {
            eprintln!("警告：导入时更新搜索索引失败（导入结束后将从数据库重建）：{e}");
            *feed = None;
            return;
        }
    }
}

impl Tally {
    fn count(&mut self, outcome: ImportOutcome, document: &PreparedDocument) {
        let counter = match outcome {
            ImportOutcome::Imported { .. } => &mut self.imported,
            ImportOutcome::NewVersion { .. } => &mut self.new_versions,
            ImportOutcome::Unchanged { .. } => {
                self.unchanged += 1;
                return;
            }
            ImportOutcome::Updated { .. } => {
                self.updated += 1;
                return;
            }
        };
        *counter += 1;
        self.indicators_written += document.indicator_count();
    }
}

/// Reads, parses, checks and prepares one file, the way `jixiao check` reads it.
fn prepare_path(
    path: &Path,
    checker: &Checker,
    overrides: &Overrides,
    limits: &Limits,
) -> Prepared {
    let bytes = super::read_bytes(path, limits)?;
    prepare_bytes(
        &path.display().to_string(),
        &bytes,
        checker,
        overrides,
        limits,
    )
}

/// Parses, checks and prepares one source's bytes (`name` is the file name shown in spans).
pub(super) fn prepare_bytes(
    name: &str,
    bytes: &[u8],
    checker: &Checker,
    overrides: &Overrides,
    limits: &Limits,
) -> Prepared {
    let parsed = jixiao_parse::parse_bytes_with_limits(
        name,
        bytes,
        &checker.settings().profile,
        None,
        limits,
    )?;
    Ok(jixiao_store::prepare_file(
        bytes,
        parsed.documents,
        &parsed.problems,
        checker,
        overrides,
    )?)
}

fn progress_bar(files: usize, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::new(files as u64);
    if quiet || files < 2 || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
        return bar;
    }
    bar.set_draw_target(ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "导入 {bar:30} {pos}/{len} 个文件 {elapsed_precise} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn print_summary(url: &str, tally: &Tally, seconds: f64) {
    println!("导入完成（数据库：{url}）");
    println!("  导入：{} 张表", tally.imported);
    println!("  未变化：{} 张表", tally.unchanged);
    println!("  新版本：{} 张表", tally.new_versions);
    if tally.updated > 0 {
        println!(
            "  内容未变、年度或部门已按 --year/--publisher 更新：{} 张表",
            tally.updated
        );
    }
    println!("  失败：{} 个文件", tally.failed.len());
    for (path, reason) in &tally.failed {
        let reason = reason
            .strip_prefix(&format!("{}：", path.display()))
            .unwrap_or(reason);
        println!("    {}：{reason}", path.display());
    }
    let rate = if seconds > 0.0 {
        tally.indicators_written as f64 / seconds
    } else {
        0.0
    };
    println!(
        "写入 {} 个指标，用时 {seconds:.1} 秒（每秒 {rate:.0} 个指标）。",
        tally.indicators_written
    );
}

#[cfg(test)]
mod tests {
    use super::Window;

    fn window(sizes: &[u64], files: usize, bytes: u64) -> Window {
        let mut ends = vec![0];
        for size in sizes {
            ends.push(ends.last().copied().unwrap_or(0) + size);
        }
        Window {
            taken: std::sync::Mutex::new(0),
            advanced: std::sync::Condvar::new(),
            files,
            bytes,
            ends,
        }
    }

    #[test]
    fn the_window_counts_files_and_bytes() {
        let small = window(&[10; 8], 4, 1_000);
        assert!(small.admits(0, 3));
        assert!(!small.admits(0, 4), "four files wait before the fifth");
        assert!(small.admits(2, 5));
        let large = window(&[400, 400, 400, 400], 100, 1_000);
        assert!(large.admits(0, 1));
        assert!(
            !large.admits(0, 2),
            "1,200 bytes are more than the 1,000 allowed"
        );
        assert!(large.admits(1, 2));
    }

    #[test]
    fn the_file_the_writer_needs_next_is_always_let_through() {
        let huge = window(&[5_000, 10], 4, 1_000);
        assert!(huge.admits(0, 0));
        assert!(!huge.admits(0, 1));
        assert!(huge.admits(1, 1));
    }

    #[test]
    fn an_unreadable_file_counts_as_empty() {
        let paths = [std::path::PathBuf::from("/nonexistent/jixiao/a.txt")];
        let window = Window::new(&paths, 4, 1_000);
        assert_eq!(window.ends, vec![0, 0]);
    }
}
