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

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use jixiao_model::{Problem, Profile};
use jixiao_parse::Parsed;

use crate::args::{Cli, Command};

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
    }
}

/// Reads and parses one file; `Err` when it cannot be read at all.
pub fn read_file(path: &Path, profile: &Profile) -> anyhow::Result<Parsed> {
    read_file_as(path, profile, None)
}

/// [`read_file`] with the layout forced when `layout` is given.
pub fn read_file_as(
    path: &Path,
    profile: &Profile,
    layout: Option<jixiao_model::Layout>,
) -> anyhow::Result<Parsed> {
    let bytes = std::fs::read(path).with_context(|| format!("{}：无法打开文件", path.display()))?;
    let parsed =
        jixiao_parse::parse_bytes_as(&path.display().to_string(), &bytes, profile, layout)?;
    Ok(parsed)
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
