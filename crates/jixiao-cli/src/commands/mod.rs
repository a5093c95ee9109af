//! One module per command.

mod check;
mod export;
mod import;
mod parse;
mod query;
mod render;
mod rule;
mod schema;
mod score;
mod serve;
mod user;

use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;

use jixiao_model::{Problem, Profile};
use jixiao_parse::{Limit, LimitValue, Limits, Parsed};

use crate::args::{Cli, Command, LimitArgs};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Score(args) => score::run(&args),
        Command::Rule(args) => rule::run(&args),
        Command::Schema => schema::run(),
        Command::Import(args) => import::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::User(args) => user::run(&args),
    }
}

/// Reads and parses one file; `Err` when it cannot be read at all.
pub fn read_file(path: &Path, profile: &Profile, limits: &Limits) -> anyhow::Result<Parsed> {
    read_file_as(path, profile, None, limits)
}

/// [`read_file`] with the layout forced when `layout` is given.
pub fn read_file_as(
    path: &Path,
    profile: &Profile,
    layout: Option<jixiao_model::Layout>,
    limits: &Limits,
) -> anyhow::Result<Parsed> {
    let bytes = read_bytes(path, limits)?;
    let parsed = jixiao_parse::parse_bytes_with_limits(
        &path.display().to_string(),
        &bytes,
        profile,
        layout,
        limits,
    )?;
    Ok(parsed)
}

/// Reads one file and hands its documents to `each` in order: a large department list a chunk
/// at a time, so memory holds one document and not the file ([`jixiao_parse::parse_streaming`]),
/// anything else whole. Returns the reading problems and the text encoding.
pub fn read_file_each(
    path: &Path,
    profile: &Profile,
    layout: Option<jixiao_model::Layout>,
    limits: &Limits,
    each: &mut dyn FnMut(jixiao_model::Document, &'static str) -> std::io::Result<()>,
) -> anyhow::Result<(Vec<Problem>, &'static str)> {
    let shown = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!(os_error(&shown, &e)))?;
    let metadata = file
        .metadata()
        .map_err(|e| anyhow::anyhow!(os_error(&shown, &e)))?;
    if metadata.is_file() && metadata.len() >= jixiao_parse::STREAM_FROM {
        let mut sink = |document| each(document, jixiao_parse::STREAM_ENCODING);
        match jixiao_parse::parse_streaming(&shown, &mut file, profile, layout, limits, &mut sink) {
            Ok(Some(streamed)) => return Ok((streamed.problems, streamed.encoding)),
            Ok(None) => {}
            Err(jixiao_parse::StreamError::Read(error)) => return Err(error.into()),
            Err(jixiao_parse::StreamError::Io(error)) => {
                return Err(anyhow::anyhow!(os_error(&shown, &error)));
            }
        }
    }
    let parsed = read_file_as(path, profile, layout, limits)?;
    for document in parsed.documents {
        each(document, parsed.encoding)?;
    }
    Ok((parsed.problems, parsed.encoding))
}

/// A file's bytes; a file past the size limit is refused before it is read, and never more
/// than the limit is read (a file still growing, a pipe).
pub fn read_bytes(path: &Path, limits: &Limits) -> anyhow::Result<Vec<u8>> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!(os_error(&shown, &e)))?;
    let metadata = file
        .metadata()
        .map_err(|e| anyhow::anyhow!(os_error(&shown, &e)))?;
    if metadata.is_dir() {
        anyhow::bail!("这是一个目录：{shown}。请指定其中的表格文件。");
    }
    let too_large = || limits.exceeded(Limit::FileSize, &shown, String::new());
    if metadata.len() > limits.file_size {
        return Err(too_large().into());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limits.file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!(os_error(&shown, &e)))?;
    if bytes.len() as u64 > limits.file_size {
        return Err(too_large().into());
    }
    Ok(bytes)
}

/// An operating-system error on `file` in the words a user knows.
pub fn os_error(file: &str, error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => format!("找不到文件：{file}"),
        ErrorKind::PermissionDenied => format!("没有读取权限：{file}"),
        ErrorKind::IsADirectory => format!("这是一个目录：{file}。请指定其中的表格文件。"),
        _ => format!("{file}：无法读取文件（{error}）"),
    }
}

/// The reading limits: the defaults, then `[limits]` of `jixiao.toml` (`--config`, else found
/// in the current directory or its parents), then the `--max-*` flags.
pub fn limits(config: Option<&Path>, args: &LimitArgs) -> anyhow::Result<Limits> {
    let mut limits = Limits::default();
    if let Some(path) = check::config_path(config)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!(os_error(&path.display().to_string(), &e)))?;
        let options = jixiao_rules::Options::from_toml(&text)
            .map_err(|e| anyhow::anyhow!("{}：{e}", path.display()))?;
        if let Some(table) = &options.limits {
            let mut entries = Vec::new();
            for (key, value) in table {
                let value = match value {
                    toml::Value::Integer(n) => LimitValue::Number(*n),
                    toml::Value::String(text) => LimitValue::Text(text),
                    _ => anyhow::bail!(
                        "{}：[limits] {key} 应为数字或带单位的大小（如 \"300MiB\"）",
                        path.display()
                    ),
                };
                entries.push((key.as_str(), value));
            }
            limits
                .apply_toml(entries)
                .map_err(|e| anyhow::anyhow!("{}：{e}", path.display()))?;
        }
    }
    for (limit, value) in args.values() {
        if let Some(value) = value {
            let value = limit
                .parse(value)
                .map_err(|e| anyhow::anyhow!("{}：{e}", limit.flag()))?;
            limits.set(limit, value);
        }
    }
    Ok(limits)
}

/// A value kind as reviewers name it, for tables people read (Excel exports, query tables);
/// CSV, JSON and Parquet keep the machine name (`quantitative`) that scripts match on.
pub fn value_kind_label(name: &str) -> &str {
    match name {
        "quantitative" => "定量",
        "qualitative" => "定性",
        "deadline" => "时限",
        "compound" => "复合",
        "reference" => "引用标准",
        "empty" => "空",
        other => other,
    }
}

/// Prints problems to stderr as `file:line: message`.
pub fn print_problems(problems: &[Problem]) {
    for problem in problems {
        let level = if problem.kind.is_note() {
            "提示"
        } else {
            "问题"
        };
        eprintln!(
            "{level}：{}:{}: {}",
            problem.span.file, problem.span.line, problem.message
        );
    }
}

/// Runs `work` on each of `files` on `workers` threads and hands the results to `consume` in file
/// order, so memory holds only the files in flight (and those waiting for a slower earlier one),
/// not the corpus.
pub fn in_file_order<T: Send>(
    files: &[std::path::PathBuf],
    workers: usize,
    work: impl Fn(&Path) -> T + Sync,
    mut consume: impl FnMut(&Path, T),
) {
    let workers = workers.min(files.len());
    if workers <= 1 {
        for path in files {
            consume(path, work(path));
        }
        return;
    }
    // The calling thread is one of the workers and consumes between its files. With a thread of
    // its own, the consumer slept and was woken for nearly every file of a corpus: two futex
    // calls and a context switch per file, on cores the workers were using.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, T)>(workers * IN_FLIGHT);
    std::thread::scope(|scope| {
        for _ in 1..workers {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = files.get(index) else { break };
                    if sender.send((index, work(path))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = std::collections::BTreeMap::new();
        let mut expected = 0;
        let mut deliver = |waiting: &mut std::collections::BTreeMap<usize, T>| {
            while let Some(result) = waiting.remove(&expected) {
                consume(&files[expected], result);
                expected += 1;
            }
        };
        loop {
            while let Ok((index, result)) = receiver.try_recv() {
                waiting.insert(index, result);
            }
            deliver(&mut waiting);
            // Results held for a slower earlier file are bounded as the channel bounds the
            // others': past the bound, this thread waits for that file instead of reading more.
            if waiting.len() >= workers * IN_FLIGHT {
                match receiver.recv() {
                    Ok((index, result)) => {
                        waiting.insert(index, result);
                        continue;
                    }
                    Err(_) => break,
                }
            }
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(path) = files.get(index) else { break };
            waiting.insert(index, work(path));
        }
        for (index, result) in receiver {
            waiting.insert(index, result);
            deliver(&mut waiting);
        }
        debug_assert!(waiting.is_empty(), "every result is consumed");
    });
}

/// Results of small files a worker may hold ready before they are consumed.
const IN_FLIGHT: usize = 8;

/// The worker threads for files: one per core.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// A run of the files given, in their order.
#[derive(Debug)]
pub enum Batch<'a> {
    /// Files read whole, a file per core.
    Small(&'a [std::path::PathBuf]),
    /// A file of at least [`jixiao_parse::STREAM_FROM`] bytes (a province's department list),
    /// streamed a document at a time.
    Large(&'a Path),
}

/// `files` in order, small ones gathered between the large ones.
pub fn batches(files: &[std::path::PathBuf]) -> Vec<Batch<'_>> {
    let mut batches = Vec::new();
    let mut start = 0;
    for (index, path) in files.iter().enumerate() {
        if std::fs::metadata(path).is_ok_and(|m| m.len() >= jixiao_parse::STREAM_FROM) {
            if start < index {
                batches.push(Batch::Small(&files[start..index]));
            }
            batches.push(Batch::Large(path));
            start = index + 1;
        }
    }
    if start < files.len() {
        batches.push(Batch::Small(&files[start..]));
    }
    batches
}
