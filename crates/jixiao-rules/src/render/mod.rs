//! Renderers: findings are data, these turn them into text, JSON, SARIF or CSV.

mod csv;
mod json;
mod pretty;
mod report;
mod sarif;
mod text;

pub use self::csv::render_csv;
pub use json::render_json;
pub use pretty::{Pretty, write_pretty};
pub use report::{Format, ReportWriter, render_grades, render_later};
pub use sarif::render_sarif;
pub use text::render_text;

/// Gives renderers the source lines findings point at; the CLI reads files, tests give strings.
pub trait SourceLines {
    /// The text of a 1-based line of a file, without its terminator.
    fn line(&self, file: &str, line: u32) -> Option<String>;

    /// The text of a cell of a spreadsheet, web page, Word or PDF table; `None` when not known.
    fn cell(&self, _file: &str, _cell: &jixiao_model::CellRef) -> Option<String> {
        None
    }
}

/// Source lines from in-memory texts.
#[derive(Debug, Default)]
pub struct MemorySources(pub Vec<(String, String)>);

impl SourceLines for MemorySources {
    fn line(&self, file: &str, line: u32) -> Option<String> {
        let (_, text) = self.0.iter().find(|(name, _)| name == file)?;
        text.lines()
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.trim_start_matches('\u{feff}').to_owned())
    }
}

/// The whole report at once, for callers that have every finding in hand.
fn render_all(
    format: Format,
    findings: &[crate::Finding],
    summary: &crate::Summary,
    sources: &dyn SourceLines,
) -> String {
    let written = ReportWriter::new(format, Vec::new(), sources).and_then(|mut report| {
        report.findings(findings)?;
        report.finish(summary)
    });
    // Writing to a vector cannot fail, and every piece written is UTF-8.
    String::from_utf8(written.unwrap_or_default()).unwrap_or_default()
}
