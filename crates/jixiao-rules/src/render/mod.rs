//! Renderers: findings are data, these turn them into text, JSON, SARIF or CSV.

mod csv;
mod json;
mod sarif;
mod text;

pub use self::csv::render_csv;
pub use json::render_json;
pub use sarif::render_sarif;
pub use text::render_text;

/// Gives renderers the source lines findings point at; the CLI reads files, tests give strings.
pub trait SourceLines {
    /// The text of a 1-based line of a file, without its terminator.
    fn line(&self, file: &str, line: u32) -> Option<String>;
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
