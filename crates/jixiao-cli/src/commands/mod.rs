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
