//! The `jixiao` command line.
//!
//! Exit codes: 0 success, 1 findings at or above the failing severity, 2 usage or read errors.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("错误：{error:#}");
            ExitCode::from(2)
        }
    }
}
