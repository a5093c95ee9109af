//! `jixiao check`: review tables and report findings.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use anyhow::Context as _;
use jixiao_model::{Document, Layout};
use jixiao_parse::Limits;
use jixiao_rules::render::{Format, ReportWriter, SourceLines, render_grades, render_later};
use jixiao_rules::{Checker, CorpusNotes, Finding, Scratch, Settings, Severity, Summary};

use super::Batch;
use crate::args::{CheckArgs, CheckFormat, FailOn};

/// File extensions read when a directory is given.
const TABLE_EXTENSIONS: [&str; 9] = [
    "txt", "tsv", "csv", "xlsx", "xls", "html", "htm", "docx", "pdf",
];

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let settings = load_settings(args.config.as_deref())?;
    if args.show_settings {
        print!("{}", settings.to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    if args.paths.is_empty() {
        anyhow::bail!("请指定要审核的文件或目录，例如：jixiao check examples/");
    }
    let files = collect_files(&args.paths)?;
    let limits = super::limits(args.config.as_deref(), &args.limits)?;
    // Workers share one checker for the per-document rules; the corpus-wide rules live in a second
    // one on this thread, fed file by file so no file's documents outlive their turn. What grows
    // with the corpus (G002's goal uses, the JSON summary's grades) waits in temporary files, and
    // findings go to stdout as each file is done, so memory stays flat however much is checked.
    let per_file = Checker::new(settings.clone());
    let mut checker = Checker::new(settings)
        .with_scratch(&temporary_file)
        .context("无法创建临时文件")?;
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let format = match args.format {
        CheckFormat::Text => Format::Text,
        CheckFormat::Json => Format::Json,
        CheckFormat::Sarif => Format::Sarif,
        CheckFormat::Csv => Format::Csv,
    };
    let sources = FileLines {
        limits,
        cached: std::cell::RefCell::default(),
    };
    let stdout = BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
    let mut report = ReportWriter::new(format, stdout, &sources)
        .and_then(|report| report.with_scratch(temporary_file()?))
        .context("无法写出审核结果")?;
    let mut consumer = Consumer {
        checker: &mut checker,
        summary: &mut summary,
        report: &mut report,
        worst: None,
        read_errors: 0,
        write_error: None,
    };
    let layout = args.layout.map(Into::into);
    // Small files are checked a file per core; a large one (a province's department list) is
    // streamed: one thread reads it a document at a time while the others check the documents.
    for batch in super::batches(&files) {
        match batch {
            Batch::Small(small) => super::in_file_order(
                small,
                super::cores(),
                |path| check_file(&per_file, path, layout, &limits, format),
                |_, result| consumer.file(result),
            ),
            Batch::Large(path) => {
                check_streamed(&per_file, path, layout, &limits, format, &mut consumer);
            }
        }
    }
    let Consumer {
        mut worst,
        read_errors,
        write_error,
        ..
    } = consumer;
    if let Some(error) = write_error {
        return Err(anyhow::Error::new(error).context("无法写出审核结果"));
    }
    // The corpus-wide findings are written as the rules make them: a large list's G002 findings
    // name every project that repeats a goal, over a million names for a 1 GB list.
    let mut write_error = None;
    let finished = checker.try_finish_each(|finding| {
        summary.add_findings(std::slice::from_ref(&finding));
        worst = worst.max(Some(finding.severity));
        report
            .findings(std::slice::from_ref(&finding))
            .map_err(|error| {
                let stop = std::io::Error::new(error.kind(), error.to_string());
                write_error = Some(error);
                stop
            })
    });
    if let Some(error) = write_error {
        return Err(anyhow::Error::new(error).context("无法写出审核结果"));
    }
    finished.context("无法读回全库规则（G002）的临时文件")?;
    report.finish(&summary).context("无法写出审核结果")?;
    if read_errors > 0 {
        return Ok(ExitCode::from(2));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| worst.is_some_and(|w| w >= t));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A temporary file, deleted when closed (also when the process is killed, on Unix).
fn temporary_file() -> std::io::Result<Box<dyn Scratch>> {
    Ok(Box::new(tempfile::tempfile()?))
}

/// What is done with each file's documents and findings, in file order, on the main thread.
struct Consumer<'c, 'r, W: std::io::Write> {
    checker: &'c mut Checker,
    summary: &'c mut Summary,
    report: &'c mut ReportWriter<'r, W>,
    worst: Option<Severity>,
    read_errors: usize,
    write_error: Option<std::io::Error>,
}

impl<W: std::io::Write> Consumer<'_, '_, W> {
    /// A whole file's check, or why it could not be read.
    fn file(&mut self, result: FileResult) {
        match result {
            Ok(checked) => {
                let findings = self.take(checked);
                self.checked_findings(findings);
            }
            Err(error) => {
                eprintln!("错误：{error:#}");
                self.read_errors += 1;
            }
        }
    }

    /// A check's notes to the corpus-wide rules, its counts and grades to the summary; hands
    /// back its findings.
    fn take(&mut self, checked: Checked) -> Findings {
        let Checked {
            notes,
            tally,
            grades: (grades, graded),
            findings,
            worst,
        } = checked;
        if self.write_error.is_none() {
            self.checker.observe_notes(&notes);
            self.summary.absorb(tally);
            self.worst = self.worst.max(worst);
            if let Err(error) = self.report.rendered_grades(&grades, graded) {
                self.write_error = Some(error);
            }
        }
        findings
    }

    /// A checked file's findings, to the report.
    fn checked_findings(&mut self, findings: Findings) {
        if self.write_error.is_some() {
            return;
        }
        let written = match findings {
            Findings::Rendered(text, count) => {
                self.report.rendered_findings(&mut text.as_slice(), count)
            }
            Findings::Kept(findings) => self.report.findings(&findings),
        };
        if let Err(error) = written {
            self.write_error = Some(error);
        }
    }

    /// Findings made on this thread, in the order they are reported.
    fn findings(&mut self, findings: &[Finding]) {
        if self.write_error.is_some() {
            return;
        }
        self.summary.add_findings(findings);
        self.worst = self.worst.max(findings.iter().map(|f| f.severity).max());
        if let Err(error) = self.report.findings(findings) {
            self.write_error = Some(error);
        }
    }
}

/// What the main thread needs of a file's or a streamed document's check, made on the worker that
/// checked it, where the documents are dropped (and the findings, but for a text report).
struct Checked {
    notes: CorpusNotes,
    /// The counts of the documents, projects, indicators, grades and findings.
    tally: Summary,
    /// The projects' grades as the report lists them ([`render_grades`]), and how many.
    grades: (Vec<u8>, usize),
    findings: Findings,
    worst: Option<Severity>,
}

enum Findings {
    /// Rendered to follow other findings ([`render_later`]), and how many.
    Rendered(Vec<u8>, usize),
    /// For a text report, which shows the findings' source lines as it writes them.
    Kept(Vec<Finding>),
}

impl Checked {
    fn new(
        checker: &Checker,
        format: Format,
        documents: &[Document],
        (findings, notes): (Vec<Finding>, CorpusNotes),
    ) -> Self {
        let mut tally = Summary::default();
        let grades = tally.grade_documents(documents, &findings, checker.settings());
        tally.add_findings(&findings);
        let worst = findings.iter().map(|f| f.severity).max();
        Self {
            notes,
            tally,
            grades: (render_grades(format, &grades), grades.len()),
            findings: match render_later(format, &findings) {
                Some(text) => Findings::Rendered(text, findings.len()),
                None => Findings::Kept(findings),
            },
            worst,
        }
    }
}

/// Checks one large file in a pipeline: a thread reads it a document at a time (a department
/// list is streamed, [`super::read_file_each`]), the other cores check the documents, and this
/// thread takes them in order. The findings come out as [`check_file`] gives them: the reading
/// problems' first, then each document's, which wait rendered in a temporary file until the
/// file ends, so memory holds the documents in flight and not the file's findings.
fn check_streamed<W: std::io::Write>(
    checker: &Checker,
    path: &Path,
    layout: Option<Layout>,
    limits: &Limits,
    format: Format,
    consumer: &mut Consumer<'_, '_, W>,
) {
    let mut later = match tempfile::tempfile() {
        Ok(file) => BufWriter::new(file),
        Err(error) => {
            consumer.file(Err(anyhow::Error::new(error).context("无法创建临时文件")));
            return;
        }
    };
    let mut later_count = 0;
    let mut later_error = None;
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // Documents go to the workers, and their results to this thread, a batch at a time: handed
    // on one by one, the threads slept and woke for every department of a list (some 14,000
    // context switches for a 52 MB list).
    let (documents, to_check) = mpsc::sync_channel::<(usize, Vec<Document>)>(workers);
    let to_check = std::sync::Mutex::new(to_check);
    let (checked, results) = mpsc::sync_channel::<(usize, Vec<Checked>)>(workers);
    let read = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut index = 0;
            let mut batch = Vec::with_capacity(STREAM_BATCH);
            let mut indicators = 0;
            let read = super::read_file_each(
                path,
                &checker.settings().profile,
                layout,
                limits,
                &mut |document, _| {
                    indicators += document.indicator_count();
                    batch.push(document);
                    if batch.len() == STREAM_BATCH || indicators >= STREAM_BATCH_INDICATORS {
                        indicators = 0;
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(STREAM_BATCH));
                        documents
                            .send((index, full))
                            .map_err(|_| std::io::Error::other("审核已停止"))?;
                        index += 1;
                    }
                    Ok(())
                },
            );
            // The documents read before an error too, as when each was handed on as read.
            if !batch.is_empty() && documents.send((index, batch)).is_err() && read.is_ok() {
                return Err(anyhow::anyhow!("审核已停止"));
            }
            read
        });
        for _ in 0..workers {
            let checked = checked.clone();
            let to_check = &to_check;
            scope.spawn(move || {
                loop {
                    let next = to_check.lock().map(|r| r.recv());
                    let Ok(Ok((index, batch))) = next else {
                        break;
                    };
                    // Each document checked on its own, as when they were handed on singly.
                    let done = batch
                        .iter()
                        .map(|document| {
                            let documents = std::slice::from_ref(document);
                            let found = checker.check_with_notes(documents, &[]);
                            Checked::new(checker, format, documents, found)
                        })
                        .collect();
                    drop(batch);
                    if checked.send((index, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(checked);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (index, done) in results {
            waiting.insert(index, done);
            while let Some(batch) = waiting.remove(&expected) {
                for done in batch {
                    let (text, count) = match consumer.take(done) {
                        Findings::Rendered(text, count) => (text, count),
                        Findings::Kept(found) => {
                            (consumer.report.render_later(&found), found.len())
                        }
                    };
                    later_count += count;
                    if let Err(error) = later.write_all(&text) {
                        later_error.get_or_insert(error);
                    }
                }
                expected += 1;
            }
        }
        reader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("读取线程意外退出")))
    });
    match read {
        Ok((problems, _)) => {
            consumer.findings(&checker.check_documents(&[], &problems));
            if consumer.write_error.is_some() {
                return;
            }
            let written = match later_error {
                Some(error) => Err(error),
                None => later
                    .into_inner()
                    .map_err(std::io::IntoInnerError::into_error)
                    .and_then(|mut file| {
                        use std::io::Seek as _;
                        file.seek(std::io::SeekFrom::Start(0))?;
                        consumer
                            .report
                            .rendered_findings(&mut std::io::BufReader::new(file), later_count)
                    }),
            };
            if let Err(error) = written {
                consumer.write_error = Some(error);
            }
        }
        Err(error) => consumer.file(Err(error)),
    }
}

/// Documents of a streamed file handed to a worker at once, and the indicators after which a
/// batch ends sooner: memory holds about four batches besides those being checked, so large
/// departments go fewer at a time (with 16 documents of the 花都 seed, `check` of the seed
/// repeated to 52 MB peaked at 100 MiB).
const STREAM_BATCH: usize = 8;
const STREAM_BATCH_INDICATORS: usize = 1_000;

type FileResult = anyhow::Result<Checked>;

fn check_file(
    checker: &Checker,
    path: &Path,
    layout: Option<Layout>,
    limits: &Limits,
    format: Format,
) -> FileResult {
    let parsed = super::read_file_as(path, &checker.settings().profile, layout, limits)?;
    let found = checker.check_with_notes(&parsed.documents, &parsed.problems);
    Ok(Checked::new(checker, format, &parsed.documents, found))
}

/// `--config`, else `jixiao.toml` in the current directory or its parents, else the defaults.
pub(super) fn load_settings(config: Option<&Path>) -> anyhow::Result<Settings> {
    load_settings_with_policy(config, None)
}

/// [`load_settings`] with the scoring policy as `score` and `import` choose it: `--policy`
/// (a preset or a policy file, relative to the current directory), else `[score] policy` of the
/// config, else `national`.
pub(super) fn load_settings_with_policy(
    config: Option<&Path>,
    policy: Option<&str>,
) -> anyhow::Result<Settings> {
    let mut settings = configured_settings(config)?;
    if let Some(choice) = policy {
        settings.score_policy = super::score::load_policy(choice, Path::new("."))?;
    }
    Ok(settings)
}

fn configured_settings(config: Option<&Path>) -> anyhow::Result<Settings> {
    let Some(path) = config_path(config)? else {
        return Ok(Settings::default());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}：无法读取配置文件", path.display()))?;
    let mut settings =
        Settings::from_toml(&text).with_context(|| format!("{}：配置无效", path.display()))?;
    // The self-evaluation rules score with `[score] policy`, which may name a file beside the
    // config; the rules crate resolves presets only.
    let options = jixiao_rules::Options::from_toml(&text)
        .with_context(|| format!("{}：配置无效", path.display()))?;
    if let Some(policy) = super::score::configured_policy(&options, &path)? {
        settings.score_policy = policy;
    }
    Ok(settings)
}

/// `--config`, else `jixiao.toml` in the current directory or its parents.
pub(super) fn config_path(config: Option<&Path>) -> anyhow::Result<Option<PathBuf>> {
    Ok(match config {
        Some(path) => Some(path.to_owned()),
        None => {
            let cwd = std::env::current_dir().context("无法确定当前目录")?;
            cwd.ancestors()
                .map(|dir| dir.join("jixiao.toml"))
                .find(|p| p.is_file())
        }
    })
}

pub(super) fn collect_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    // Sorted by name, which orders entries of one directory as their paths: comparing whole
    // paths component by component was most of the cost of listing a corpus. Directories are
    // told by the entries' types, without a `stat` of each file; a symbolic link is followed.
    let mut entries: Vec<(std::ffi::OsString, bool)> = std::fs::read_dir(dir)
        .with_context(|| format!("{}：无法读取目录", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| {
            let is_dir = match entry.file_type() {
                Ok(kind) if !kind.is_symlink() => kind.is_dir(),
                _ => entry.path().is_dir(),
            };
            (entry.file_name(), is_dir)
        })
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, is_dir) in entries {
        let entry = dir.join(name);
        if is_dir {
            walk(&entry, files)?;
        } else if entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| TABLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            files.push(entry);
        }
    }
    Ok(())
}

/// Source lines read from disk when the text renderer needs them; findings come sorted by file,
/// so one cached file is enough. Spreadsheets, web pages, Word and PDF files give cell texts
/// instead: their bytes are not lines a user could read.
struct FileLines {
    /// The limits the files were read under, so a file read with raised limits shows its lines.
    limits: Limits,
    cached: std::cell::RefCell<Option<(String, Cached)>>,
}

enum Cached {
    Lines(Vec<String>),
    /// A large UTF-8 text file (one that may have been streamed), read a line at a time.
    Reader(LineReader),
    /// `(sheet or page, row, column)` → text, with rows and columns 1-based as in spans.
    Cells(std::collections::HashMap<(Option<String>, Option<u32>, u32, u32), String>),
}

impl FileLines {
    fn with<T>(&self, file: &str, read: impl FnOnce(&mut Cached) -> Option<T>) -> Option<T> {
        let mut cached = self.cached.borrow_mut();
        if cached.as_ref().is_none_or(|(name, _)| name != file) {
            *cached = None;
            let content = match LineReader::open(Path::new(file), &self.limits) {
                Some(reader) => Cached::Reader(reader),
                None => self.read_whole(file)?,
            };
            *cached = Some((file.to_owned(), content));
        }
        let (_, content) = cached.as_mut()?;
        read(content)
    }

    /// A file's lines or cells, read whole.
    fn read_whole(&self, file: &str) -> Option<Cached> {
        let bytes = super::read_bytes(Path::new(file), &self.limits).ok()?;
        let kind = jixiao_parse::container::detect(file, &bytes);
        Some(
            if matches!(
                kind,
                jixiao_parse::container::ContainerKind::Text
                    | jixiao_parse::container::ContainerKind::Csv
            ) {
                let text = jixiao_parse::decode_lossy(&bytes);
                Cached::Lines(text.lines().map(str::to_owned).collect())
            } else {
                let grids =
                    jixiao_parse::container::read_grids_with_limits(file, &bytes, &self.limits)
                        .unwrap_or_default();
                Cached::Cells(
                    grids
                        .into_iter()
                        .flat_map(|grid| grid.cells)
                        .filter_map(|cell| {
                            let place = cell.span.cell?;
                            Some(((place.sheet, place.page, place.row, place.col), cell.text))
                        })
                        .collect(),
                )
            },
        )
    }
}

impl SourceLines for FileLines {
    fn line(&self, file: &str, line: u32) -> Option<String> {
        self.with(file, |content| match content {
            Cached::Lines(lines) => lines.get(line.checked_sub(1)? as usize).cloned(),
            Cached::Reader(reader) => reader.line(line),
            Cached::Cells(_) => None,
        })
    }

    fn cell(&self, file: &str, cell: &jixiao_model::CellRef) -> Option<String> {
        self.with(file, |content| match content {
            Cached::Cells(cells) => cells
                .get(&(cell.sheet.clone(), cell.page, cell.row, cell.col))
                .cloned(),
            Cached::Lines(_) | Cached::Reader(_) => None,
        })
    }
}

/// Lines between checkpoints of a [`LineReader`].
const CHECKPOINT_LINES: u32 = 1024;

/// The lines of a large UTF-8 text file, read from disk as they are asked for rather than held:
/// a 1 GB department list's lines took several times its size in memory. Findings come in line
/// order within a file, so reading goes forward; a line before the last one read is read again
/// from the checkpoint at or before it (where every [`CHECKPOINT_LINES`]-th line starts).
/// The lines are those of `decode_lossy(bytes).lines()`, as [`FileLines::read_whole`] gives them:
/// [`LineReader::open`] takes only files that function decodes as plain UTF-8.
struct LineReader {
    reader: std::io::BufReader<std::fs::File>,
    /// The number of the line `reader` reads next, and where it starts.
    next: u32,
    offset: u64,
    /// Where lines 1, 1 + [`CHECKPOINT_LINES`], … start, as far as read.
    checkpoints: Vec<u64>,
    /// The last line asked for: a line with several findings is asked for several times.
    last: Option<(u32, String)>,
    buffer: Vec<u8>,
}

impl LineReader {
    /// A reader of `path` when it is a text file of at least [`jixiao_parse::STREAM_FROM`] bytes
    /// within the size limit whose bytes `decode_lossy` reads as UTF-8 as they are: no UTF-16
    /// byte-order mark, not binary by its first 8 KiB, not blank, valid UTF-8 after an optional
    /// UTF-8 byte-order mark. `None` for anything else, which is read whole.
    fn open(path: &Path, limits: &Limits) -> Option<Self> {
        use std::io::Read as _;
        let mut file = std::fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        if size < jixiao_parse::STREAM_FROM || size > limits.file_size {
            return None;
        }
        let mut chunk = vec![0u8; 1 << 20];
        let mut filled = 0;
        // The head decides the byte-order marks and binary content.
        while filled < 8192 {
            let read = file.read(&mut chunk[filled..]).ok()?;
            if read == 0 {
                break;
            }
            filled += read;
        }
        let head = &chunk[..filled.min(8192)];
        let controls = head
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
            .count();
        if head.starts_with(b"\xFF\xFE")
            || head.starts_with(b"\xFE\xFF")
            || head.contains(&0)
            || controls * 20 > head.len()
        {
            return None;
        }
        let start: u64 = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let mut from = usize::try_from(start).ok()?;
        let mut blank = true;
        // Validated a chunk at a time; a character cut by the chunk's end moves to the next.
        loop {
            let text = &chunk[from..filled];
            let valid = match std::str::from_utf8(text) {
                Ok(_) => text.len(),
                Err(error) if error.error_len().is_none() => error.valid_up_to(),
                Err(_) => return None,
            };
            blank = blank && text[..valid].iter().all(u8::is_ascii_whitespace);
            let rest = filled - from - valid;
            chunk.copy_within(from + valid..filled, 0);
            from = 0;
            filled = rest;
            let read = file.read(&mut chunk[filled..]).ok()?;
            if read == 0 {
                if filled > 0 {
                    return None;
                }
                break;
            }
            filled += read;
        }
        if blank {
            return None;
        }
        Some(Self {
            reader: std::io::BufReader::with_capacity(64 * 1024, std::fs::File::open(path).ok()?),
            next: 1,
            offset: start,
            checkpoints: Vec::new(),
            last: None,
            buffer: Vec::new(),
        })
        .and_then(|mut reader| {
            use std::io::Seek as _;
            reader.reader.seek(std::io::SeekFrom::Start(start)).ok()?;
            Some(reader)
        })
    }

    /// Line `number` (1-based) without its line ending, as `str::lines` gives it.
    fn line(&mut self, number: u32) -> Option<String> {
        use std::io::{BufRead as _, Seek as _};
        if let Some((last, text)) = &self.last
            && *last == number
        {
            return Some(text.clone());
        }
        if number == 0 {
            return None;
        }
        if number < self.next {
            let checkpoint = (number - 1) / CHECKPOINT_LINES;
            let at = *self.checkpoints.get(checkpoint as usize)?;
            self.reader.seek(std::io::SeekFrom::Start(at)).ok()?;
            self.next = checkpoint * CHECKPOINT_LINES + 1;
            self.offset = at;
        }
        loop {
            let checkpoint = (self.next - 1) / CHECKPOINT_LINES;
            if (self.next - 1).is_multiple_of(CHECKPOINT_LINES)
                && self.checkpoints.len() == checkpoint as usize
            {
                self.checkpoints.push(self.offset);
            }
            self.buffer.clear();
            let read = self.reader.read_until(b'\n', &mut self.buffer).ok()?;
            if read == 0 {
                return None;
            }
            self.offset += read as u64;
            self.next += 1;
            if self.next - 1 == number {
                let mut line = self.buffer.as_slice();
                if let Some(rest) = line.strip_suffix(b"\n") {
                    line = rest.strip_suffix(b"\r").unwrap_or(rest);
                }
                let text = String::from_utf8_lossy(line).into_owned();
                self.last = Some((number, text.clone()));
                return Some(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// A large file's lines read on demand are the lines of the whole file read and decoded,
    /// asked for in order, backwards and past the end.
    #[test]
    fn line_reader_gives_the_lines_of_the_whole_file() {
        let mut text = Vec::from(&b"\xEF\xBB\xBF"[..]);
        let mut number = 0u32;
        while text.len() < jixiao_parse::STREAM_FROM as usize + 1000 {
            number += 1;
            let line = match number % 4 {
                0 => format!("第{number}行\t指标“值”\r\n"),
                1 => String::from("\n"),
                2 => format!("{number}\r"),
                _ => format!("项目{number}：≥95%\n"),
            };
            text.extend_from_slice(line.as_bytes());
        }
        text.extend_from_slice("最后一行\r".as_bytes());
        let mut file = tempfile::NamedTempFile::new().expect("temporary file");
        file.write_all(&text).expect("written");
        let expected: Vec<String> = jixiao_parse::decode_lossy(&text)
            .lines()
            .map(str::to_owned)
            .collect();
        let limits = Limits::default();
        let mut reader = LineReader::open(file.path(), &limits).expect("plain UTF-8");
        let count = u32::try_from(expected.len()).expect("lines");
        let asked =
            (1..=count)
                .step_by(7)
                .chain([count, 5000, 5000, 1, 2048, 1025, 1024, count + 1, 0, 3]);
        for number in asked {
            let want = number
                .checked_sub(1)
                .and_then(|n| expected.get(n as usize))
                .cloned();
            assert_eq!(reader.line(number), want, "line {number}");
        }

        // Not plain UTF-8, or too small: read whole.
        file.as_file_mut()
            .write_all(b"\xB9\xFA\n")
            .expect("written");
        assert!(LineReader::open(file.path(), &limits).is_none());
        let mut small = tempfile::NamedTempFile::new().expect("temporary file");
        small.write_all(&text[..1000]).expect("written");
        assert!(LineReader::open(small.path(), &limits).is_none());
    }
}
