//! CSV and TSV files: one grid, one row per record, the delimiter sniffed from the first lines.
//!
//! The `csv` crate does the unquoting; a second, raw scan of each record finds where each field
//! lies in its line, so spans underline the field itself (for a quoted field, the text between
//! the quotes). A field that starts on a later line of a multi-line record gets that line.

use std::sync::Arc;

use jixiao_model::{CellRef, Grid, GridCell, Span};

use super::ContainerError;
use crate::limits::{Limit, Limits};

const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];
/// Enough lines to see the pattern without reading a large file twice.
const SNIFF_LINES: usize = 50;

/// Text without tabs or `|` whose first lines all have the same number of commas: a CSV file
/// that came without a `.csv` name.
pub(super) fn looks_like_csv(text: &str) -> bool {
    let lines: Vec<&str> = sample_lines(text).collect();
    if lines.len() < 2 || lines.iter().any(|l| l.contains(['\t', '|'])) {
        return false;
    }
    let (delimiter, agreeing, count) = sniff_counts(&lines);
    delimiter == b',' && count > 0 && agreeing == lines.len()
}

/// Reads a decoded CSV/TSV text into one grid; `extension` breaks ties (`.tsv` means tabs).
pub(super) fn read(
    file: &Arc<str>,
    text: &str,
    encoding: &'static str,
    extension: &str,
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let delimiter = sniff(text, extension);
    // Lines, fields and cells within the limits before the csv reader buffers a record.
    super::text::check_limits(file, text, Some(delimiter), limits)?;
    let mut cells = 0u64;
    let line_starts = line_starts(text);
    let mut grid = Grid::new(file.clone());
    grid.encoding = Some(encoding.to_owned());
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Reading from memory cannot fail with I/O errors and flexible rows cannot be unequal, so a
    // record that still fails to read is skipped rather than ending the file.
    for (row, record) in (0u32..).zip(reader.byte_records().filter_map(Result::ok)) {
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // The reader's position can sit on the previous record's `\n` (after a `\r` ended it)
        // or on blank lines it skipped; the record's text starts after them.
        let start = start
            + text.as_bytes().get(start..).map_or(0, |rest| {
                rest.iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count()
            });
        let ranges = field_ranges(text.as_bytes(), start, delimiter);
        let ranges = (ranges.len() == record.len()).then_some(ranges);
        let place = || format!("第 {} 行：", row + 1);
        limits.check(Limit::Columns, record.len() as u64, file, place)?;
        for (col, field) in record.iter().enumerate() {
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            limits.check(Limit::CellSize, field.len() as u64, file, place)?;
            let value = String::from_utf8_lossy(field);
            let value = value.trim();
            // Empty fields cost nothing: readers treat a missing cell as empty.
            if value.is_empty() {
                continue;
            }
            cells += 1;
            limits.check(Limit::Cells, cells, file, String::new)?;
            let span = match ranges.as_ref().and_then(|r| r.get(col as usize)) {
                Some(&(a, b)) => field_span(file, text, &line_starts, a, b),
                None => Span::line(file.clone(), line_of(&line_starts, start)),
            };
            grid.cells.push(GridCell {
                row,
                col,
                row_span: 1,
                col_span: 1,
                text: value.to_owned(),
                span: Span {
                    cell: Some(Box::new(CellRef {
                        sheet: None,
                        page: None,
                        row: row + 1,
                        col: col + 1,
                    })),
                    ..span
                },
            });
        }
    }
    if grid.cells.is_empty() {
        Ok(Vec::new())
    } else {
        Ok(vec![grid])
    }
}

fn sample_lines(text: &str) -> impl Iterator<Item = &str> {
    crate::text::lines(text)
        .map(|l| l.text)
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_LINES)
}

/// The delimiter most lines agree on: for each candidate, the most common non-zero count per
/// line and how many lines have it; most agreeing lines wins, then more fields.
fn sniff(text: &str, extension: &str) -> u8 {
    let lines: Vec<&str> = sample_lines(text).collect();
    if extension == "tsv" && lines.iter().any(|l| l.contains('\t')) {
        return b'\t';
    }
    sniff_counts(&lines).0
}

/// `(delimiter, lines agreeing on its count, that count)` for the best delimiter.
fn sniff_counts(lines: &[&str]) -> (u8, usize, usize) {
    let mut best = (b',', 0, 0);
    for delimiter in DELIMITERS {
        let mut counts: Vec<usize> = lines
            .iter()
            .map(|l| count_unquoted(l, delimiter))
            .filter(|&c| c > 0)
            .collect();
        counts.sort_unstable();
        let mode = counts
            .chunk_by(|a, b| a == b)
            .max_by_key(|run| (run.len(), run[0]))
            .map_or((0, 0), |run| (run.len(), run[0]));
        if (mode.0, mode.1) > (best.1, best.2) {
            best = (delimiter, mode.0, mode.1);
        }
    }
    best
}

/// Delimiters outside double quotes; quotes spanning lines are rare enough in a sample.
fn count_unquoted(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for &b in line.as_bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

/// Byte offsets where lines start, with the same terminators as `text::lines`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        let at = i + found;
        i = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        starts.push(i);
    }
    starts
}

/// The 1-based line holding byte `at`.
fn line_of(starts: &[usize], at: usize) -> u32 {
    let index = starts.partition_point(|&s| s <= at);
    u32::try_from(index.max(1)).unwrap_or(u32::MAX)
}

/// The raw byte range of each field of the record starting at `start`, following the quoting
/// rules the `csv` crate uses (a quoted field's range is its content between the quotes).
fn field_ranges(bytes: &[u8], start: usize, delimiter: u8) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut pos = start;
    loop {
        let (range, mut next) = if bytes.get(pos) == Some(&b'"') {
            let content = pos + 1;
            let mut i = content;
            loop {
                match memchr::memchr(b'"', &bytes[i.min(bytes.len())..]) {
                    Some(q) if bytes.get(i + q + 1) == Some(&b'"') => i += q + 2,
                    Some(q) => break ((content, i + q), i + q + 1),
                    None => break ((content, bytes.len()), bytes.len()),
                }
            }
        } else {
            let end = bytes[pos.min(bytes.len())..]
                .iter()
                .position(|&b| b == delimiter || b == b'\n' || b == b'\r')
                .map_or(bytes.len(), |e| pos + e);
            ((pos.min(bytes.len()), end), end)
        };
        ranges.push(range);
        // Text between a closing quote and the delimiter belongs to the same field.
        while next < bytes.len()
            && !matches!(bytes[next], b'\n' | b'\r')
            && bytes[next] != delimiter
        {
            next += 1;
        }
        if bytes.get(next) == Some(&delimiter) {
            pos = next + 1;
        } else {
            return ranges;
        }
    }
}

/// The span of the raw range `a..b` trimmed of whitespace, relative to the line it starts on and
/// cut at that line's end.
fn field_span(file: &Arc<str>, text: &str, starts: &[usize], a: usize, b: usize) -> Span {
    let raw = text.get(a..b).unwrap_or("");
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    let a = a + lead;
    let b = a + trimmed.len();
    let line = line_of(starts, a);
    let line_start = starts.get(line as usize - 1).copied().unwrap_or(0);
    let line_end = starts.get(line as usize).copied().unwrap_or(text.len());
    let b = b.min(line_end);
    let b = text[..b].trim_end_matches(['\r', '\n']).len().max(a);
    Span::new(
        file.clone(),
        line,
        u32::try_from(a - line_start).unwrap_or(u32::MAX),
        u32::try_from(b - line_start).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_quotes() {
        let text = "a,\"b,\"\"c\"\"\",d\n";
        let ranges = field_ranges(text.as_bytes(), 0, b',');
        let fields: Vec<&str> = ranges.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(fields, vec!["a", "b,\"\"c\"\"", "d"]);
    }

    #[test]
    fn sniffing_prefers_the_consistent_delimiter() {
        assert_eq!(sniff("a;b,c;d\ne;f;g,h\n", ""), b';');
        assert_eq!(sniff("a\tb\nc\td\n", ""), b'\t');
        assert!(looks_like_csv("a,b\nc,d\n"));
        assert!(!looks_like_csv("合计 34,139.95\n说明\n"));
    }

    #[test]
    fn lines_are_numbered_like_text_lines() {
        let starts = line_starts("a\r\nb\rc\n");
        assert_eq!(starts, vec![0, 3, 5, 7]);
        assert_eq!(line_of(&starts, 0), 1);
        assert_eq!(line_of(&starts, 3), 2);
        assert_eq!(line_of(&starts, 6), 3);
    }
}
