//! Pasted or extracted text: one row per line, cells split at tabs or at `|`.
//!
//! The separator is chosen for the whole text: tabs when any line has one (a line without tabs
//! is then a one-cell row, like a title), else `|` when any line has one, else one cell per line.
//! With `|`, one leading and one trailing `|` are dropped and `||` keeps an empty cell.
//!
//! Blank lines split the text into blocks, and a new grid starts only where the column structure
//! changes: a block of several columns whose column count differs from the current grid's.
//! Blocks of one column (titles, `单位：万元`) join the grid of the table that follows them, so a
//! recogniser finds the title and unit rows above the header as it does in a spreadsheet.

use std::sync::Arc;

use jixiao_model::{CellRef, Grid, GridCell, Span};

use super::ContainerError;
use crate::limits::{Limit, Limits};
use crate::text::{Line, count_bytes, lines};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Tab,
    Pipe,
    /// No separator: the line is one cell.
    None,
}

/// A line split into cells: each cell's text range within the line.
#[derive(Debug)]
struct Row<'a> {
    line: Line<'a>,
    cells: Vec<(usize, usize)>,
}

/// Reads decoded text into grids.
pub(super) fn read(file: &Arc<str>, text: &str, encoding: &'static str) -> Vec<Grid> {
    let separator = if text.contains('\t') {
        Separator::Tab
    } else if text.contains('|') {
        Separator::Pipe
    } else {
        Separator::None
    };
    let mut blocks: Vec<Vec<Row<'_>>> = vec![Vec::new()];
    for line in lines(text) {
        if line.text.trim().is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
            continue;
        }
        let cells = split(line.text, separator);
        if let Some(block) = blocks.last_mut() {
            block.push(Row { line, cells });
        }
    }

    let mut tables: Vec<Vec<Row<'_>>> = Vec::new();
    let mut current_width = 0;
    let mut pending: Vec<Row<'_>> = Vec::new();
    for block in blocks.into_iter().filter(|b| !b.is_empty()) {
        let width = block.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        if width <= 1 {
            pending.extend(block);
            continue;
        }
        match tables.last_mut() {
            Some(table) if width == current_width => {
                table.append(&mut pending);
                table.extend(block);
            }
            _ => {
                let mut table = std::mem::take(&mut pending);
                table.extend(block);
                tables.push(table);
                current_width = width;
            }
        }
    }
    match tables.last_mut() {
        Some(table) => table.append(&mut pending),
        None if !pending.is_empty() => tables.push(pending),
        None => {}
    }

    tables
        .into_iter()
        .map(|rows| to_grid(file, encoding, rows))
        .collect()
}

fn to_grid(file: &Arc<str>, encoding: &'static str, rows: Vec<Row<'_>>) -> Grid {
    let mut grid = Grid::new(file.clone());
    grid.encoding = Some(encoding.to_owned());
    for (row, Row { line, cells }) in (0u32..).zip(rows) {
        for (col, (start, end)) in (0u32..).zip(cells) {
            grid.cells.push(GridCell {
                row,
                col,
                row_span: 1,
                col_span: 1,
                text: line.text.get(start..end).unwrap_or("").to_owned(),
                span: Span {
                    cell: Some(Box::new(CellRef {
                        sheet: None,
                        page: None,
                        row: row + 1,
                        col: col + 1,
                    })),
                    ..Span::new(
                        file.clone(),
                        line.number,
                        u32::try_from(start).unwrap_or(u32::MAX),
                        u32::try_from(end).unwrap_or(u32::MAX),
                    )
                },
            });
        }
    }
    grid
}

/// The trimmed byte range of each cell of a line.
fn split(line: &str, separator: Separator) -> Vec<(usize, usize)> {
    let (mut from, mut to) = (0, line.len());
    let sep = match separator {
        Separator::Tab => '\t',
        Separator::Pipe => {
            let lead = line.len() - line.trim_start().len();
            if line[lead..].starts_with('|') {
                from = lead + 1;
            }
            let body = line[from..].trim_end();
            if body.ends_with('|') {
                to = from + body.len() - 1;
            }
            '|'
        }
        Separator::None => return vec![trim(line, 0, line.len())],
    };
    let mut cells = Vec::new();
    let mut start = from;
    for (i, _) in line[from..to].match_indices(sep) {
        cells.push(trim(line, start, from + i));
        start = from + i + 1;
    }
    cells.push(trim(line, start, to));
    cells
}

fn trim(line: &str, start: usize, end: usize) -> (usize, usize) {
    let raw = &line[start..end];
    let lead = raw.len() - raw.trim_start().len();
    (start + lead, start + lead + raw.trim().len())
}

/// Checks decoded text against the limits in one pass before any reader splits it: the length
/// of each cell (a line without separators is one cell), the columns of each line and the cells
/// of the whole text (empty ones not counted). `separator` is the CSV delimiter; `None` chooses as [`read`] does (tabs,
/// else `|`). Quotes are not followed, so a quoted delimiter counts as one: an upper bound.
pub(crate) fn check_limits(
    file: &str,
    text: &str,
    separator: Option<u8>,
    limits: &Limits,
) -> Result<(), ContainerError> {
    let separator = separator.or_else(|| {
        let bytes = text.as_bytes();
        if memchr::memchr(b'\t', bytes).is_some() {
            Some(b'\t')
        } else if memchr::memchr(b'|', bytes).is_some() {
            Some(b'|')
        } else {
            None
        }
    });
    // A text no longer than a limit cannot pass it: a cell is at most the text, a filled cell
    // takes a byte at least, a line has at most a column more than the text has separators. Most
    // files are far below the limits, and counting cells and columns line by line cost a
    // fiftieth of reading a corpus of small files.
    let length = text.len() as u64;
    let columns = || match separator {
        Some(separator) => count_bytes(text.as_bytes(), |b| b == separator) as u64 + 1,
        None => 1,
    };
    if length <= limits.cell_size
        && length <= limits.cells
        && (length < limits.columns || columns() <= limits.columns)
    {
        return Ok(());
    }
    LimitCounter::new(separator).feed(file, text, limits)
}

/// [`check_limits`] over a text given in parts, each ending at a line end (the last part may
/// not), for a source read a chunk at a time.
#[derive(Debug)]
pub(crate) struct LimitCounter {
    separator: Option<u8>,
    cells: u64,
    number: u64,
}

impl LimitCounter {
    pub(crate) fn new(separator: Option<u8>) -> Self {
        Self {
            separator,
            cells: 0,
            number: 0,
        }
    }

    /// Counts the lines of the next part of the text.
    pub(crate) fn feed(
        &mut self,
        file: &str,
        text: &str,
        limits: &Limits,
    ) -> Result<(), ContainerError> {
        // One pass over the text for line ends and separators together: a search for the line
        // end and then one for the separators read every line twice.
        let bytes = text.as_bytes();
        match self.separator {
            Some(separator) => self.count(
                file,
                bytes,
                limits,
                memchr::memchr3_iter(separator, b'\n', b'\r', bytes),
            ),
            None => self.count(
                file,
                bytes,
                limits,
                memchr::memchr2_iter(b'\n', b'\r', bytes),
            ),
        }
    }

    /// Counts the lines of `bytes`, given where each line end and separator is, in order.
    fn count(
        &mut self,
        file: &str,
        bytes: &[u8],
        limits: &Limits,
        hits: impl Iterator<Item = usize>,
    ) -> Result<(), ContainerError> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.number += 1;
        let mut columns = 0u64;
        let mut filled = 0u64;
        let mut field_start = 0;
        // Whether a line has begun and not ended: after a separator at the very end, its last
        // (empty) cell is still to count.
        let mut open = true;
        for hit in hits {
            self.field(file, hit - field_start, &mut columns, &mut filled, limits)?;
            field_start = hit + 1;
            if matches!(bytes[hit], b'\n' | b'\r') {
                self.end_line(file, filled, limits)?;
                columns = 0;
                filled = 0;
                open = field_start < bytes.len();
                if open {
                    self.number += 1;
                }
            }
        }
        if open {
            self.field(
                file,
                bytes.len() - field_start,
                &mut columns,
                &mut filled,
                limits,
            )?;
            self.end_line(file, filled, limits)?;
        }
        Ok(())
    }

    /// One cell of `length` bytes of the current line, the line's `columns`-th so far.
    #[inline]
    fn field(
        &self,
        file: &str,
        length: usize,
        columns: &mut u64,
        filled: &mut u64,
        limits: &Limits,
    ) -> Result<(), ContainerError> {
        let number = self.number;
        let place = || format!("第 {number} 行：");
        *columns += 1;
        limits.check(Limit::Columns, *columns, file, place)?;
        limits.check(Limit::CellSize, length as u64, file, place)?;
        // Empty cells cost nothing; whitespace-only ones are rare enough to count.
        *filled += u64::from(length > 0);
        Ok(())
    }

    #[inline]
    fn end_line(&mut self, file: &str, filled: u64, limits: &Limits) -> Result<(), ContainerError> {
        self.cells += filled;
        limits.check(Limit::Cells, self.cells, file, String::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str, separator: Separator) -> Vec<&str> {
        split(line, separator)
            .into_iter()
            .map(|(a, b)| &line[a..b])
            .collect()
    }

    /// `LimitCounter::feed` as it counted before: each line found, then its separators.
    fn counted_line_by_line(
        counter: &mut LimitCounter,
        text: &str,
        limits: &Limits,
    ) -> Result<(), ContainerError> {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            counter.number += 1;
            let number = counter.number;
            let end =
                memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let line = &bytes[start..end];
            let place = || format!("第 {number} 行：");
            let (mut columns, mut filled, mut field_start) = (0u64, 0u64, 0);
            let fields = counter
                .separator
                .into_iter()
                .flat_map(|s| memchr::memchr_iter(s, line))
                .chain(std::iter::once(line.len()));
            for field_end in fields {
                columns += 1;
                limits.check(Limit::Columns, columns, "f", place)?;
                let length = (field_end - field_start) as u64;
                limits.check(Limit::CellSize, length, "f", place)?;
                filled += u64::from(length > 0);
                field_start = field_end + 1;
            }
            counter.cells += filled;
            limits.check(Limit::Cells, counter.cells, "f", String::new)?;
            start = end + 1;
        }
        Ok(())
    }

    #[test]
    fn limits_are_counted_in_one_pass_as_line_by_line() {
        let texts = [
            "",
            "a",
            "a\tb\n",
            "a\tb\r\nc\t\td\n\n\re",
            "\n\n",
            "\t\t\t\n1234567\tx",
            "甲\t乙\t丙\t丁\n戊|己|庚\r\n|||\n",
            "12345678\t123\n1\t2\t3\t4\t5\n",
            "\t",
            "a\t",
            "a|",
            "\t\n\t",
            "a\r",
            "a\nb\t\t",
            "\t\t\ta\t\tb\t\n||a||\n\n\r\r\n",
        ];
        for (columns, cell_size, cells) in [
            (100, 100, 100),
            (3, 100, 100),
            (100, 6, 100),
            (100, 100, 4),
            (0, 100, 100),
            (100, 0, 100),
            (100, 100, 0),
            (1, 1, 1),
            (2, 3, 100),
        ] {
            let mut limits = Limits::default();
            limits.set(Limit::Columns, columns);
            limits.set(Limit::CellSize, cell_size);
            limits.set(Limit::Cells, cells);
            for separator in [Some(b'\t'), Some(b'|'), Some(b'\n'), None] {
                // Fed in two parts (split after a line end) and whole.
                for text in texts {
                    let cut = text.find('\n').map_or(0, |i| i + 1);
                    let mut ours = LimitCounter::new(separator);
                    let mut theirs = LimitCounter::new(separator);
                    let a = ours
                        .feed("f", &text[..cut], &limits)
                        .and_then(|()| ours.feed("f", &text[cut..], &limits));
                    let b = counted_line_by_line(&mut theirs, &text[..cut], &limits)
                        .and_then(|()| counted_line_by_line(&mut theirs, &text[cut..], &limits));
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?} {separator:?}");
                    assert_eq!((ours.cells, ours.number), (theirs.cells, theirs.number));
                }
            }
        }
    }

    /// Below the limits the text is not counted: the answer is the count's, at every limit from
    /// none to past the text's length.
    #[test]
    fn a_text_shorter_than_the_limits_passes_as_counted() {
        let texts = [
            "a",
            "\t",
            "a\tb\n",
            "\t\t\t\n1234567\tx",
            "甲\t乙\t丙\t丁\n戊|己|庚\r\n|||\n",
            "a|b|c|d|e|f|g|h",
            "abcdefgh",
            "\t\t\t\t\t\t\t\t\t\t",
        ];
        for text in texts {
            for limit in 0..text.len() as u64 + 3 {
                for (columns, cell_size, cells) in [
                    (limit, 100, 100),
                    (100, limit, 100),
                    (100, 100, limit),
                    (limit, limit, limit),
                ] {
                    let mut limits = Limits::default();
                    limits.set(Limit::Columns, columns);
                    limits.set(Limit::CellSize, cell_size);
                    limits.set(Limit::Cells, cells);
                    for separator in [Some(b'\t'), Some(b'|'), None] {
                        let checked = check_limits("f", text, separator, &limits);
                        let chosen = separator.or_else(|| {
                            ['\t', '|']
                                .into_iter()
                                .find(|&c| text.contains(c))
                                .map(|c| c as u8)
                        });
                        let counted = LimitCounter::new(chosen).feed("f", text, &limits);
                        assert_eq!(
                            format!("{checked:?}"),
                            format!("{counted:?}"),
                            "{text:?} {separator:?} {columns} {cell_size} {cells}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn pipes_are_trimmed_once_and_empty_cells_kept() {
        assert_eq!(cells("| a | b||", Separator::Pipe), vec!["a", "b", ""]);
        assert_eq!(cells("雾炮车 |", Separator::Pipe), vec!["雾炮车"]);
        assert_eq!(cells("|", Separator::Pipe), vec![""]);
        assert_eq!(cells("a\t\tb\t", Separator::Tab), vec!["a", "", "b", ""]);
    }
}
