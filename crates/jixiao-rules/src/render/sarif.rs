//! `--format sarif`: SARIF 2.1.0 for code-scanning tools.

use serde_json::{Value, json};

use super::{Format, MemorySources};
use crate::{CODES, Finding, Severity, Summary, rule_for};

pub fn render_sarif(findings: &[Finding]) -> String {
    super::render_all(
        Format::Sarif,
        findings,
        &Summary::default(),
        &MemorySources::default(),
    )
}

/// `runs[0].tool`: jixiao and every rule it has.
pub(super) fn tool_json() -> Value {
    let rules: Vec<Value> = CODES
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.name,
                "shortDescription": { "text": c.title },
                "fullDescription": { "text": rule_for(c.code).map_or("", |r| r.doc()) },
                "defaultConfiguration": { "level": level(c.severity) },
            })
        })
        .collect();
    json!({ "driver": {
        "name": "jixiao",
        "informationUri": "https://example.invalid/jixiao",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    }})
}

/// One entry of `runs[0].results`.
pub(super) fn result_json(f: &Finding) -> Value {
    json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": { "text": format!("{}（建议：{}）", f.message, f.help) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": f.span.file.as_ref() },
                "region": {
                    "startLine": f.span.line,
                }
            }
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::Span;

    use super::*;

    /// The streamed log is byte for byte what serde lays out for the whole log at once.
    #[test]
    fn streamed_sarif_equals_whole_log() {
        let finding = |line| {
            Finding::new(
                "V003",
                Span::new("a.txt".into(), line, 3, 9),
                "“率”不带%".to_owned(),
                "写明单位",
            )
        };
        for findings in [vec![], vec![finding(1)], vec![finding(1), finding(2)]] {
            let results: Vec<Value> = findings.iter().map(result_json).collect();
            let log = json!({
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "version": "2.1.0",
                "runs": [{ "tool": tool_json(), "results": results }],
            });
            let mut expected = serde_json::to_string_pretty(&log).expect("serialisable");
            expected.push('\n');
            assert_eq!(render_sarif(&findings), expected);
        }
    }
}
