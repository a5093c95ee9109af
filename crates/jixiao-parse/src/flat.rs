//! Rows of cells from text that a crawler, a copy from a web page or a PDF extraction flattened.
//!
//! Three shapes are recovered: `|`-separated rows (one row per line), one cell per line with rows
//! ended by lines of bare `|` (merged cells lost), and space-separated lines whose wrapped cells
//! (`项目完成` / `指标`) are joined back. Empty cells are dropped: in flattened text their position
//! means nothing, so the recognisers match cells by what they contain.

use std::sync::Arc;

use jixiao_model::{Grid, Span, Str};

use crate::text::lines;

/// One non-empty cell and where it is.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: Str,
    pub span: Span,
    /// The cell's column, where the source keeps columns (tab-separated text, spreadsheets, web
    /// and Word tables): an empty cell before it then does not shift it. `None` where empty
    /// cells were lost (`|` rows with merged cells dropped, one cell per line).
    pub col: Option<u32>,
}

/// The rows of a flattened text, in order.
pub fn rows(file: &Arc<str>, text: &Arc<String>) -> Vec<Vec<Cell>> {
    let all: Vec<_> = lines(text).collect();
    let non_empty = all.iter().filter(|l| !l.text.trim().is_empty()).count();
    let piped = all.iter().filter(|l| l.text.contains('|')).count();
    let tabbed = all.iter().filter(|l| l.text.contains('\t')).count();
    let cell_at = |line: &crate::text::Line<'_>, start: usize, end: usize| {
        let offset = line.text.as_ptr() as usize - text.as_ptr() as usize;
        Cell {
            text: Str::from_source(text, offset + start..offset + end),
            span: Span::new(file.clone(), line.number, to_u32(start), to_u32(end)),
            col: None,
        }
    };
    let split = |line: &crate::text::Line<'_>, separator: char| -> Vec<Cell> {
        let mut cells = Vec::new();
        let mut start = 0;
        for (index, part) in line.text.split(separator).enumerate() {
            let end = start + part.len();
            let lead = part.len() - part.trim_start().len();
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let mut cell = cell_at(line, start + lead, start + lead + trimmed.len());
                // Tabs keep every column; `|` rows of a crawled page lost their merged cells.
                if separator == '\t' {
                    cell.col = Some(to_u32(index));
                }
                cells.push(cell);
            }
            start = end + separator.len_utf8();
        }
        cells
    };
    if let Some(rows) = cell_lines(file, &all) {
        return rows;
    }
    if piped * 2 >= non_empty && piped > 0 {
        let split_lines: Vec<Vec<Cell>> = all.iter().map(|l| split(l, '|')).collect();
        let bare = all
            .iter()
            .zip(&split_lines)
            .filter(|(l, c)| c.is_empty() && l.text.contains('|'))
            .count();
        let single = split_lines.iter().filter(|c| c.len() == 1).count();
        if bare * 4 >= piped && single * 2 >= piped {
            // One cell per line; a line of bare `|` ends a row.
            let mut rows = Vec::new();
            let mut row = Vec::new();
            for (line, cells) in all.iter().zip(split_lines) {
                if cells.is_empty() {
                    if line.text.contains('|') && !row.is_empty() {
                        rows.push(std::mem::take(&mut row));
                    }
                    continue;
                }
                if !line.text.contains('|') {
                    // Page furniture between rows (a title, a footer): a row of its own.
                    if !row.is_empty() {
                        rows.push(std::mem::take(&mut row));
                    }
                    rows.push(cells);
                    continue;
                }
                row.extend(cells);
            }
            if !row.is_empty() {
                rows.push(row);
            }
            return rows;
        }
        return split_lines.into_iter().filter(|r| !r.is_empty()).collect();
    }
    if tabbed * 2 >= non_empty && tabbed > 0 {
        return all
            .iter()
            .map(|l| split(l, '\t'))
            .filter(|r| !r.is_empty())
            .collect();
    }
    // Space-separated: split on runs of white space; a line that is only `指标` or `目标` is the
    // wrapped end of the cell before it.
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for line in &all {
        let cells = split_spaces(line, &cell_at);
        if cells.is_empty() {
            continue;
        }
        if cells.len() == 1
            && matches!(cells[0].text.as_str(), "指标" | "目标")
            && let Some(last) = rows.last_mut().and_then(|r| r.last_mut())
        {
            last.text = Str::from(format!("{}{}", last.text, cells[0].text));
            continue;
        }
        rows.push(cells);
    }
    rows
}

/// A line of nothing but `|` (and white space).
fn is_bare(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && trimmed.chars().all(|c| c == '|' || c.is_whitespace())
}

/// Cells whose text lines carry no `|`, each ended by a line of bare `|`, with two bare lines in a
/// row ending the row (a web table copied cell by cell). Consecutive text lines are one cell: a
/// vertical label printed a character a line (`总` `体` `目` `标`), or a wrapped label. `None`
/// when the text is not in this shape.
fn cell_lines(file: &Arc<str>, all: &[crate::text::Line<'_>]) -> Option<Vec<Vec<Cell>>> {
    let bare = all.iter().filter(|l| is_bare(l.text)).count();
    let plain = all
        .iter()
        .filter(|l| !l.text.trim().is_empty() && !l.text.contains('|'))
        .count();
    let content = all
        .iter()
        .filter(|l| !l.text.trim().is_empty() && !is_bare(l.text))
        .count();
    // Mostly plain text lines, a bare line after most cells, and rows of several cells (two bare
    // lines in a row somewhere).
    let doubled = all
        .windows(2)
        .filter(|w| is_bare(w[0].text) && is_bare(w[1].text))
        .count();
    if content < 8 || plain * 10 < content * 8 || bare * 2 < plain || doubled * 4 < bare / 2 {
        return None;
    }
    if doubled * 10 > bare * 9 {
        // Every bare line doubled: rows of one cell, the ordinary one-cell-per-line shape.
        return None;
    }
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut cell: Option<(String, Span)> = None;
    let mut bare_run = 0;
    let finish_cell = |cell: &mut Option<(String, Span)>, row: &mut Vec<Cell>| {
        if let Some((joined, span)) = cell.take() {
            row.push(Cell {
                text: Str::from(joined),
                span,
                col: None,
            });
        }
    };
    for line in all {
        let trimmed = line.text.trim();
        if trimmed.is_empty() {
            continue;
        }
        if is_bare(line.text) {
            finish_cell(&mut cell, &mut row);
            bare_run += 1;
            if bare_run >= 2 && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            continue;
        }
        bare_run = 0;
        // A line with text and `|` (`X |`) is a cell of its own.
        let trimmed = trimmed.trim_end_matches('|').trim();
        match &mut cell {
            Some((joined, _)) => joined.push_str(trimmed),
            None => {
                let lead = line.text.len() - line.text.trim_start().len();
                let span = Span::new(
                    file.clone(),
                    line.number,
                    to_u32(lead),
                    to_u32(lead + trimmed.len()),
                );
                cell = Some((trimmed.to_owned(), span));
            }
        }
    }
    finish_cell(&mut cell, &mut row);
    if !row.is_empty() {
        rows.push(row);
    }
    Some(rows)
}

fn split_spaces(
    line: &crate::text::Line<'_>,
    cell_at: &dyn Fn(&crate::text::Line<'_>, usize, usize) -> Cell,
) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut start = None;
    // Spaces inside short brackets belong to the cell (`开发数量( ≥**个 )`); a bracket left
    // open does not swallow the line.
    let mut depth = 0usize;
    let closes_soon = |i: usize| {
        line.text[i..]
            .find([')', '）'])
            .is_some_and(|close| close <= 30)
    };
    for (i, c) in line.text.char_indices() {
        match c {
            '(' | '（' if start.is_some() && closes_soon(i) => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ => {}
        }
        // A comparator alone is the start of its value (`≥ 95%`, a blank `≧ %`).
        let comparator_only = start.is_some_and(|s| {
            line.text[s..i].chars().all(|c| {
                matches!(
                    c,
                    '≥' | '≤' | '≧' | '≦' | '>' | '<' | '=' | '＞' | '＜' | '＝'
                )
            })
        });
        if c.is_whitespace() && depth == 0 && !comparator_only {
            if let Some(s) = start.take() {
                cells.push(cell_at(line, s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        cells.push(cell_at(line, s, line.text.len()));
    }
    cells
}

/// The rows of a grid (a sheet, an HTML or DOCX table), cells in reading order: merged cells
/// appear once, at their top-left position, and empty cells are dropped, as in flattened text.
pub fn grid_rows(grid: &Grid) -> Vec<Vec<Cell>> {
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); grid.row_count()];
    for cell in &grid.cells {
        let text = cell.text.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(row) = rows.get_mut(cell.row as usize) {
            row.push(Cell {
                text: Str::new(text),
                span: cell.span.clone(),
                col: Some(cell.col),
            });
        }
    }
    rows.into_iter().filter(|r| !r.is_empty()).collect()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
