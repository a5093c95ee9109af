//! `jixiao schema`: the JSON Schema of `parse --format json`.

use std::process::ExitCode;

use jixiao_model::{Document, Problem};
use schemars::JsonSchema;
use serde::Serialize;

/// What `jixiao parse --format json` prints.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ParseOutput {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
    /// Files that could not be read at all, with the reason.
    pub errors: Vec<FileError>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

pub fn schema_json() -> String {
    let schema = schemars::schema_for!(ParseOutput);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

pub fn run() -> anyhow::Result<ExitCode> {
    print!("{}", schema_json());
    Ok(ExitCode::SUCCESS)
}
