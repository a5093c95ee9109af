//! `--format json`: `{"findings":[…],"summary":{…}}`.

use serde::Serialize;

use super::{Format, MemorySources};
use crate::{Finding, Summary};

#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: u32,
    unit: Option<&'a str>,
    project: Option<&'a str>,
    indicator: Option<u32>,
    help: &'a str,
    start: u32,
    end: u32,
    /// The table cell (sheet or page, 1-based row and column) for spreadsheets, web pages, Word
    /// and PDF files, whose findings have no line.
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a jixiao_model::CellRef>,
}

/// One finding as the JSON report lists it.
pub(super) fn finding_json(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        code: f.code,
        severity: f.severity.as_str(),
        message: &f.message,
        file: &f.span.file,
        line: f.span.line,
        unit: f.unit.as_deref(),
        project: f.project.as_deref(),
        indicator: f.indicator,
        help: &f.help,
        start: f.span.start,
        end: f.span.end,
        cell: f.span.cell.as_deref(),
    }
}

pub fn render_json(findings: &[Finding], summary: &Summary) -> String {
    super::render_all(Format::Json, findings, summary, &MemorySources::default())
}

#[cfg(test)]
mod tests {
    use jixiao_model::Span;

    use super::*;
    use crate::engine::ProjectGrade;
    use crate::grade::Grade;

    #[derive(Serialize)]
    struct JsonReport<'a> {
        findings: Vec<JsonFinding<'a>>,
        summary: &'a Summary,
    }

    /// The streamed report is byte for byte what serde lays out for the whole report at once.
    #[test]
    fn streamed_json_equals_whole_report() {
        let finding = |line| {
            Finding::new(
                "V003",
                Span::new("a.txt".into(), line, 3, 9),
                "“率”不带%：\"≤1\"\n换行".to_owned(),
                "写明单位",
            )
            .in_project("单位", "项目")
            .at_indicator(2)
        };
        let grade = |line| ProjectGrade {
            file: "a.txt".to_owned(),
            unit: "单位".to_owned(),
            project: "项目".to_owned(),
            line,
            points: 1.5,
            grade: Grade::Good,
        };
        for (findings, grades) in [
            (vec![], vec![]),
            (vec![finding(1)], vec![]),
            (vec![finding(1), finding(2)], vec![grade(1), grade(2)]),
        ] {
            let mut summary = Summary {
                files: 1,
                grades,
                ..Summary::default()
            };
            summary.add_findings(&findings);
            summary.grade_counts.insert("良".to_owned(), 2);
            let whole = JsonReport {
                findings: findings.iter().map(finding_json).collect(),
                summary: &summary,
            };
            let mut expected = serde_json::to_string_pretty(&whole).expect("serialisable");
            expected.push('\n');
            assert_eq!(render_json(&findings, &summary), expected);
        }
    }
}
