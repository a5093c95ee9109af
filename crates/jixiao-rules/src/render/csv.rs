//! `--format csv`: one finding per row.

use crate::{Finding, Summary};

use super::{Format, MemorySources};

pub fn render_csv(findings: &[Finding]) -> String {
    super::render_all(
        Format::Csv,
        findings,
        &Summary::default(),
        &MemorySources::default(),
    )
}

/// The header row.
pub(super) fn header() -> Vec<u8> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "code",
        "severity",
        "file",
        "line",
        "unit",
        "project",
        "indicator",
        "message",
        "help",
    ]);
    writer.into_inner().unwrap_or_default()
}

/// One row per finding.
pub(super) fn rows(findings: &[Finding]) -> Vec<u8> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for f in findings {
        let _ = writer.write_record([
            f.code,
            &f.severity.to_string(),
            &f.span.file,
            &f.span.line.to_string(),
            f.unit.as_deref().unwrap_or(""),
            f.project.as_deref().unwrap_or(""),
            &f.indicator.map(|i| i.to_string()).unwrap_or_default(),
            &f.message,
            &f.help,
        ]);
    }
    writer.into_inner().unwrap_or_default()
}
