//! The `jixiao` command line.
//!
//! Exit codes: 0 success, 1 findings at or above the failing severity, 2 usage or read errors.

mod args;
mod commands;
mod usage;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};

// The model is many small strings and vectors; mimalloc parses the 100 MB benchmark about 12%
// faster than the system allocator (docs/benchmarks.md), as ruff found for its ASTs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let args = match usage::localized(args::Cli::command())
        .try_get_matches()
        .and_then(|matches| args::Cli::from_arg_matches(&matches))
    {
        Ok(args) => args,
        Err(error) => return usage::report(&error),
    };
    match commands::run(args) {
        Ok(code) => code,
        // `jixiao check … | head`: the reader has what it wanted.
        Err(error) if is_closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("错误：{error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_closed_pipe(error: &anyhow::Error) -> bool {
    let broken = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        // csv::Error keeps its I/O error without exposing it as a source.
        cause.downcast_ref::<std::io::Error>().is_some_and(broken)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)))
    })
}

/// `print!` panics when standard output is a closed pipe; that ends the program quietly, as the
/// default `SIGPIPE` action does for C programs (Rust ignores the signal, and changing its
/// action needs `unsafe`). Other panics keep the default report.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
