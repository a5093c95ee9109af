//! One report written as it is produced: findings file by file, then the summary. Memory holds
//! one batch of findings, never the whole report; the JSON summary's per-project grades, which
//! come after every finding in the document, wait in a scratch (a temporary file for a corpus).

use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use serde::Serialize;

use super::SourceLines;
use crate::engine::ProjectGrade;
use crate::scratch::{self, Scratch};
use crate::{Finding, Summary};

/// The output formats of `jixiao check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Csv,
}

/// Writes a report in `format` to `out`: [`ReportWriter::findings`] for each batch in order,
/// [`ReportWriter::grades`] for the projects' grades, then [`ReportWriter::finish`]. The bytes are
/// the same as rendering everything at once.
pub struct ReportWriter<'a, W: Write> {
    format: Format,
    out: W,
    sources: &'a dyn SourceLines,
    findings: usize,
    grades: usize,
    /// JSON only: the grades rendered so far.
    grade_text: BufWriter<Box<dyn Scratch>>,
}

impl<W: Write> std::fmt::Debug for ReportWriter<'_, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportWriter")
            .field("format", &self.format)
            .field("findings", &self.findings)
            .finish_non_exhaustive()
    }
}

impl<'a, W: Write> ReportWriter<'a, W> {
    /// Starts the report; grades wait in memory until [`ReportWriter::with_scratch`].
    pub fn new(format: Format, mut out: W, sources: &'a dyn SourceLines) -> io::Result<Self> {
        match format {
            Format::Text => {}
            Format::Json => out.write_all(b"{\n  \"findings\": [")?,
            Format::Sarif => out.write_all(
                b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {\n      \"results\": [",
            )?,
            Format::Csv => out.write_all(&super::csv::header())?,
        }
        Ok(Self {
            format,
            out,
            sources,
            findings: 0,
            grades: 0,
            grade_text: BufWriter::new(scratch::in_memory()),
        })
    }

    /// Keeps the grades in `scratch` (say a temporary file) instead of memory until the summary.
    pub fn with_scratch(mut self, scratch: Box<dyn Scratch>) -> io::Result<Self> {
        let written = std::mem::replace(&mut self.grade_text, BufWriter::new(scratch));
        let mut old = written.into_inner().map_err(|e| e.into_error())?;
        old.seek(SeekFrom::Start(0))?;
        io::copy(&mut old, &mut self.grade_text)?;
        Ok(self)
    }

    /// Appends findings.
    pub fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        if let [finding] = findings
            && finding.message.len() > DIRECT_FROM
            && matches!(self.format, Format::Json | Format::Sarif)
        {
            // A finding that names thousands of projects (G002 on a large list) is written
            // straight out rather than rendered whole in memory first.
            let separator: &[u8] = if self.findings == 0 { b"\n" } else { b",\n" };
            self.out.write_all(separator)?;
            self.findings += 1;
            return if self.format == Format::Json {
                self.out.write_all(&[b' '; 4])?;
                super::write_pretty(&mut self.out, &super::json::finding_json(finding), 2)
            } else {
                self.out.write_all(&[b' '; 8])?;
                super::write_pretty(&mut self.out, &super::sarif::result_json(finding), 4)
            };
        }
        let text = self.render(findings, self.findings == 0);
        self.findings += findings.len();
        self.out.write_all(&text)
    }

    /// Renders findings to be written later with [`ReportWriter::rendered_findings`], behind
    /// others that are not known yet (a large file's reading problems, known when it ends).
    pub fn render_later(&self, findings: &[Finding]) -> Vec<u8> {
        self.render(findings, false)
    }

    /// Appends `count` findings rendered by [`ReportWriter::render_later`], read from `text`.
    pub fn rendered_findings(&mut self, text: &mut impl io::Read, count: usize) -> io::Result<()> {
        if count == 0 {
            return Ok(());
        }
        if self.findings == 0 && matches!(self.format, Format::Json | Format::Sarif) {
            // Rendered as following another finding: its separating comma goes.
            let mut comma = [0u8; 1];
            text.read_exact(&mut comma)?;
        }
        io::copy(text, &mut self.out)?;
        self.findings += count;
        Ok(())
    }

    /// Findings as the report writes them; `first` when none was written before them.
    fn render(&self, findings: &[Finding], first: bool) -> Vec<u8> {
        if self.format == Format::Text {
            let mut text = String::new();
            for finding in findings {
                super::text::write_finding(&mut text, finding, self.sources);
            }
            return text.into_bytes();
        }
        render_findings(self.format, findings, first)
    }

    /// Appends grades rendered by [`render_grades`] (`count` of them).
    pub fn rendered_grades(&mut self, text: &[u8], count: usize) -> io::Result<()> {
        if count == 0 || self.format != Format::Json {
            return Ok(());
        }
        // Rendered as following another grade: the first one's separating comma goes.
        let text = if self.grades == 0 {
            text.get(1..).unwrap_or_default()
        } else {
            text
        };
        self.grades += count;
        self.grade_text.write_all(text)
    }

    /// Records projects' grades for the summary (only the JSON summary lists them).
    pub fn grades(&mut self, grades: &[ProjectGrade]) -> io::Result<()> {
        self.rendered_grades(&render_grades(self.format, grades), grades.len())
    }

    /// Writes the summary (with `summary.grades` after any grades given to
    /// [`ReportWriter::grades`]) and the end of the document; returns the output.
    pub fn finish(mut self, summary: &Summary) -> io::Result<W> {
        match self.format {
            Format::Text => {
                let mut text = String::new();
                super::text::write_summary(&mut text, summary);
                self.out.write_all(text.as_bytes())?;
            }
            Format::Json => {
                self.grades(&summary.grades)?;
                self.write_json_summary(summary)?;
            }
            Format::Sarif => {
                if self.findings > 0 {
                    self.out.write_all(b"\n      ")?;
                }
                self.out.write_all(b"],\n      \"tool\": ")?;
                let mut text = String::new();
                push_pretty(&mut text, &super::sarif::tool_json(), 6);
                text.push_str("\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n");
                self.out.write_all(text.as_bytes())?;
            }
            Format::Csv => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// `],"summary":{…}}` laid out as `serde_json::to_string_pretty` lays out the whole report.
    fn write_json_summary(&mut self, summary: &Summary) -> io::Result<()> {
        let mut text = String::new();
        if self.findings > 0 {
            text.push_str("\n  ");
        }
        text.push_str("],\n  \"summary\": {\n");
        let field = |text: &mut String, name: &str, value: &dyn erased::Pretty| {
            text.push_str("    \"");
            text.push_str(name);
            text.push_str("\": ");
            value.push_pretty(text, 4);
            text.push_str(",\n");
        };
        field(&mut text, "files", &summary.files);
        field(&mut text, "documents", &summary.documents);
        field(&mut text, "projects", &summary.projects);
        field(&mut text, "indicators", &summary.indicators);
        field(&mut text, "findings", &summary.findings);
        field(&mut text, "by_severity", &summary.by_severity);
        field(&mut text, "by_code", &summary.by_code);
        text.push_str("    \"grades\": [");
        self.out.write_all(text.as_bytes())?;
        text.clear();

        let mut grades =
            std::mem::replace(&mut self.grade_text, BufWriter::new(scratch::in_memory()))
                .into_inner()
                .map_err(|e| e.into_error())?;
        grades.seek(SeekFrom::Start(0))?;
        io::copy(&mut grades, &mut self.out)?;

        if self.grades > 0 {
            text.push_str("\n    ");
        }
        text.push_str("],\n    \"grade_counts\": ");
        push_pretty(&mut text, &summary.grade_counts, 4);
        text.push_str("\n  }\n}\n");
        self.out.write_all(text.as_bytes())
    }
}

/// Findings as [`ReportWriter::render_later`] renders them, made without the report (on another
/// thread) for [`ReportWriter::rendered_findings`]; `None` for text, which shows source lines
/// that only the report reads.
pub fn render_later(format: Format, findings: &[Finding]) -> Option<Vec<u8>> {
    (format != Format::Text).then(|| render_findings(format, findings, false))
}

/// Grades as [`ReportWriter::grades`] records them after others, made without the report for
/// [`ReportWriter::rendered_grades`]; empty but for JSON, the only summary that lists them.
pub fn render_grades(format: Format, grades: &[ProjectGrade]) -> Vec<u8> {
    let mut text = Vec::new();
    if format == Format::Json {
        // Sized as the findings are: grown by doubling, the buffer was copied about once over.
        text.reserve(
            grades
                .iter()
                .map(|g| GRADE_OVERHEAD + g.file.len() + g.unit.len() + g.project.len())
                .sum(),
        );
        for grade in grades {
            text.extend_from_slice(b",\n      ");
            super::json::write_grade(&mut text, grade);
        }
    }
    text
}

/// Findings in a format other than text; `first` when none was written before them.
fn render_findings(format: Format, findings: &[Finding], first: bool) -> Vec<u8> {
    if format == Format::Csv {
        return super::csv::rows(findings);
    }
    // Sized for the texts and the fixed keys of each finding: grown by doubling, the buffer
    // was copied about once over (2 % of `check --format json` on a department list).
    let mut text = Vec::with_capacity(
        findings
            .iter()
            .map(|f| {
                FINDING_OVERHEAD
                    + f.message.len()
                    + f.help.len()
                    + f.span.file.len()
                    + f.unit.as_deref().map_or(0, str::len)
                    + f.project.as_deref().map_or(0, str::len)
            })
            .sum(),
    );
    for (index, finding) in findings.iter().enumerate() {
        let separator = if first && index == 0 { "\n" } else { ",\n" };
        text.extend_from_slice(separator.as_bytes());
        match format {
            Format::Json => {
                text.extend_from_slice(&[b' '; 4]);
                super::json::write_finding(&mut text, finding);
            }
            Format::Sarif => {
                write_indented(&mut text, &super::sarif::result_json(finding), 8);
            }
            Format::Text | Format::Csv => {}
        }
    }
    text
}

/// Bytes of a JSON finding besides its texts: keys, indentation, code, severity and numbers.
const FINDING_OVERHEAD: usize = 320;

/// Bytes of a JSON grade besides its texts.
const GRADE_OVERHEAD: usize = 160;

/// The message length from which a lone finding is written straight to the output.
const DIRECT_FROM: usize = 64 * 1024;

/// Pretty JSON of `value` as an array element at `indent` spaces: every line indented.
fn write_indented(out: &mut Vec<u8>, value: &impl Serialize, indent: usize) {
    out.resize(out.len() + indent, b' ');
    // Serialising these values cannot fail, and writing to a vector neither.
    let _ = super::write_pretty(out, value, indent / 2);
}

/// Pretty JSON of `value` as it appears after a key at `indent` spaces: the first line goes where
/// the cursor is, the following ones are indented.
fn push_pretty(text: &mut String, value: &(impl Serialize + ?Sized), indent: usize) {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let pad = " ".repeat(indent);
    for (i, line) in pretty.lines().enumerate() {
        if i > 0 {
            text.push('\n');
            text.push_str(&pad);
        }
        text.push_str(line);
    }
}

/// Lets the summary's fields of different types go through one helper.
mod erased {
    pub trait Pretty {
        fn push_pretty(&self, text: &mut String, indent: usize);
    }

    impl<T: serde::Serialize> Pretty for T {
        fn push_pretty(&self, text: &mut String, indent: usize) {
            super::push_pretty(text, self, indent);
        }
    }
}

#[cfg(test)]
mod tests {
    use jixiao_model::Span;

    use super::*;
    use crate::render::MemorySources;

    /// Findings written one at a time, a long one straight to the output, give the bytes of the
    /// whole report rendered at once.
    #[test]
    fn findings_one_at_a_time_give_the_whole_report() {
        let finding = |line, names: usize| {
            let mut finding = Finding::new(
                "G002",
                Span::new("a.txt".into(), line, 3, 9),
                format!("{names} 个项目：{}", vec!["项目\"甲\""; names].join("、")),
                "写明",
            )
            .in_project("单位", "项目");
            finding.related = vec![Span::new("b.txt".into(), 2, 0, 1)];
            finding
        };
        let findings = vec![finding(1, 3), finding(2, 20_000), finding(3, 20_000)];
        assert!(findings[1].message.len() > DIRECT_FROM);
        let mut summary = Summary::default();
        summary.add_findings(&findings);
        let sources = MemorySources::default();
        for format in [Format::Json, Format::Sarif, Format::Text, Format::Csv] {
            for order in [[0, 1, 2], [1, 0, 2]] {
                let findings: Vec<Finding> = order.iter().map(|&i| findings[i].clone()).collect();
                let whole = ReportWriter::new(format, Vec::new(), &sources)
                    .and_then(|mut report| {
                        report.findings(&findings)?;
                        report.finish(&summary)
                    })
                    .expect("in memory");
                let each = ReportWriter::new(format, Vec::new(), &sources)
                    .and_then(|mut report| {
                        for finding in &findings {
                            report.findings(std::slice::from_ref(finding))?;
                        }
                        report.finish(&summary)
                    })
                    .expect("in memory");
                assert!(whole == each, "{format:?} {order:?}");
            }
        }
    }
}
