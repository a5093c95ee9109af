//! `--format json`: `{"findings":[…],"summary":{…}}`.

use serde::Serialize;

use crate::{Finding, Summary};

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    severity: String,
    message: &'a str,
    file: &'a str,
    line: u32,
    unit: Option<&'a str>,
    project: Option<&'a str>,
    indicator: Option<u32>,
    help: &'a str,
    start: u32,
    end: u32,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: &'a Summary,
}

pub fn render_json(findings: &[Finding], summary: &Summary) -> String {
    let report = JsonReport {
        findings: findings
            .iter()
            .map(|f| JsonFinding {
                code: f.code,
                severity: f.severity.to_string(),
                message: &f.message,
                file: &f.span.file,
                line: f.span.line,
                unit: f.unit.as_deref(),
                project: f.project.as_deref(),
                indicator: f.indicator,
                help: &f.help,
                start: f.span.start,
                end: f.span.end,
            })
            .collect(),
        summary,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
