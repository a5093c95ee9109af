//! `--format csv`: one finding per row.

use crate::Finding;

pub fn render_csv(findings: &[Finding]) -> String {
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
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
