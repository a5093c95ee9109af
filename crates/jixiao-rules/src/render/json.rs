//! `--format json`: `{"findings":[…],"summary":{…}}`.

use jixiao_model::json::push_string;
use serde::Serialize;

use super::{Format, MemorySources};
use crate::engine::ProjectGrade;
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

/// Writes a finding as `write_pretty(out, &finding_json(f), 2)` does, field by field without
/// serde: a corpus has hundreds of thousands of findings, and serde's pretty printer called the
/// formatter for every key and value (about 6,700 instructions a finding, a third of that here).
pub(super) fn write_finding(out: &mut Vec<u8>, f: &Finding) {
    const KEY: &[u8] = b",\n      \"";
    let string = |out: &mut Vec<u8>, key: &str, value: &str| {
        out.extend_from_slice(KEY);
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        push_string(out, value);
    };
    let number = |out: &mut Vec<u8>, key: &str, value: Option<u32>| {
        out.extend_from_slice(KEY);
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        match value {
            Some(n) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
            None => out.extend_from_slice(b"null"),
        }
    };
    let optional = |out: &mut Vec<u8>, key: &str, value: Option<&str>| match value {
        Some(text) => string(out, key, text),
        None => {
            out.extend_from_slice(KEY);
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\": null");
        }
    };
    out.extend_from_slice(b"{\n      \"code\": ");
    push_string(out, f.code);
    string(out, "severity", f.severity.as_str());
    string(out, "message", &f.message);
    string(out, "file", &f.span.file);
    number(out, "line", Some(f.span.line));
    optional(out, "unit", f.unit.as_deref());
    optional(out, "project", f.project.as_deref());
    number(out, "indicator", f.indicator);
    string(out, "help", &f.help);
    number(out, "start", Some(f.span.start));
    number(out, "end", Some(f.span.end));
    if let Some(cell) = f.span.cell.as_deref() {
        out.extend_from_slice(KEY);
        out.extend_from_slice(b"cell\": ");
        // Writing to a vector cannot fail, and a cell serialises.
        let _ = super::write_pretty(out, cell, 3);
    }
    out.extend_from_slice(b"\n    }");
}

/// Writes a project's grade as `write_pretty(out, grade, 3)` does, without serde.
pub(super) fn write_grade(out: &mut Vec<u8>, grade: &ProjectGrade) {
    out.extend_from_slice(b"{\n        \"file\": ");
    push_string(out, &grade.file);
    out.extend_from_slice(b",\n        \"unit\": ");
    push_string(out, &grade.unit);
    out.extend_from_slice(b",\n        \"project\": ");
    push_string(out, &grade.project);
    out.extend_from_slice(b",\n        \"line\": ");
    out.extend_from_slice(itoa::Buffer::new().format(grade.line).as_bytes());
    out.extend_from_slice(b",\n        \"points\": ");
    push_points(out, grade.points);
    out.extend_from_slice(b",\n        \"grade\": ");
    push_string(out, grade.grade.label());
    out.extend_from_slice(b"\n      }");
}

/// Points as serde_json writes an `f64` (`92.0`, `null` for what is not finite). Whole points
/// from 0 to 100, nearly every grade, are written as the integer and `.0`, which is what its
/// float formatter gives them.
fn push_points(out: &mut Vec<u8>, points: f64) {
    if (0.0..=100.0).contains(&points) && points.fract() == 0.0 && points.is_sign_positive() {
        // In range and whole: the conversion is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = points as u8;
        out.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes());
        out.extend_from_slice(b".0");
    } else {
        let _ = serde_json::to_writer(&mut *out, &points);
    }
}

pub fn render_json(findings: &[Finding], summary: &Summary) -> String {
    super::render_all(Format::Json, findings, summary, &MemorySources::default())
}

#[cfg(test)]
mod tests {
    use jixiao_model::Span;

    use super::*;
    use crate::grade::Grade;

    #[derive(Serialize)]
    struct JsonReport<'a> {
        findings: Vec<JsonFinding<'a>>,
        summary: &'a Summary,
    }

    /// The hand-written finding and grade are byte for byte what serde's pretty printer writes,
    /// escapes, missing fields, cells and odd numbers included.
    #[test]
    fn written_by_hand_as_serde_writes() {
        let mut plain = Finding::new(
            "V003",
            Span::new("目录/a \"b\"\\c.txt".into(), 4_294_967_295, 0, 10),
            "引号\"、反斜杠\\、换行\n回车\r制表\t退格\u{8}换页\u{c}控制\u{1}\u{1f}删除\u{7f}/斜杠"
                .to_owned(),
            "写明单位",
        );
        let mut placed = plain.clone().in_project("单位\n", "项目\"").at_indicator(7);
        placed.span.cell = Some(Box::new(jixiao_model::CellRef {
            sheet: Some("表\"1".to_owned()),
            page: None,
            row: 3,
            col: 12,
        }));
        plain.help = "".into();
        for finding in [&plain, &placed] {
            let mut expected = Vec::new();
            crate::render::write_pretty(&mut expected, &finding_json(finding), 2).expect("vector");
            let mut written = Vec::new();
            write_finding(&mut written, finding);
            assert_eq!(String::from_utf8(written), String::from_utf8(expected));
        }
        for points in [
            0.0,
            -0.0,
            92.0,
            100.0,
            99.5,
            101.0,
            0.1,
            1e21,
            1.5e-7,
            f64::NAN,
            f64::INFINITY,
        ] {
            let grade = ProjectGrade {
                file: "a\u{0}.txt".to_owned(),
                unit: "单位".to_owned(),
                project: "\\项目".to_owned(),
                line: 0,
                points,
                grade: Grade::Poor,
            };
            let mut expected = Vec::new();
            crate::render::write_pretty(&mut expected, &grade, 3).expect("vector");
            let mut written = Vec::new();
            write_grade(&mut written, &grade);
            assert_eq!(String::from_utf8(written), String::from_utf8(expected));
        }
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
