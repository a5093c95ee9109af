//! A table as a container gives it: cells on a row/column lattice, merged cells with their spans.
//!
//! Containers (CSV, XLSX, HTML, DOCX, text, PDF) produce grids; layout recognisers turn grids into
//! documents. Keeping the two apart means a new container works for every layout and a new layout
//! for every container.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Span;

/// One table: a sheet, an HTML `<table>`, a DOCX table, a text block or a PDF table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    /// The file the table came from.
    pub source: Arc<str>,
    /// The sheet name, `表格 2`, or a page range; shown in messages.
    pub name: Option<String>,
    /// The text encoding for text containers (`UTF-8`, `GBK`).
    pub encoding: Option<String>,
    /// Cells in reading order (row, then column). A merged cell appears once, at its top-left
    /// position, with its spans; positions it covers have no cell of their own.
    pub cells: Vec<GridCell>,
}

/// One cell. `row` and `col` are 0-based positions on the lattice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCell {
    pub row: u32,
    pub col: u32,
    pub row_span: u32,
    pub col_span: u32,
    /// The cell's text as displayed: numbers at their displayed precision, lines joined with `\n`.
    pub text: String,
    /// Where the text is: file and sheet/page/row/column for grids, line and byte range for text.
    pub span: Span,
}

/// A position of the dense view: the cell covering it, and whether this is the cell's own
/// top-left position or a position a merge carried it to.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    pub cell: &'a GridCell,
    pub origin: bool,
}

impl Grid {
    pub fn new(source: Arc<str>) -> Self {
        Self {
            source,
            ..Self::default()
        }
    }

    pub fn row_count(&self) -> usize {
        self.cells
            .iter()
            .map(|c| (c.row + c.row_span.max(1)) as usize)
            .max()
            .unwrap_or(0)
    }

    pub fn col_count(&self) -> usize {
        self.cells
            .iter()
            .map(|c| (c.col + c.col_span.max(1)) as usize)
            .max()
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }

    /// Every lattice position with the cell that covers it; merged cells fill the positions they
    /// span (so a merged 一级指标 cell is seen on every row it covers).
    ///
    /// Rows are ragged: each ends at the last position a cell covers in it, so the view costs
    /// the rows and the covered positions, not rows × columns (a sheet with cells only at A1
    /// and XFD1048576 is a million empty rows and two short ones, not 17 billion slots).
    pub fn dense(&self) -> Vec<Vec<Option<Slot<'_>>>> {
        let mut widths = vec![0usize; self.row_count()];
        for cell in &self.cells {
            let row_end = (cell.row + cell.row_span.max(1)) as usize;
            let col_end = (cell.col + cell.col_span.max(1)) as usize;
            for width in &mut widths[cell.row as usize..row_end] {
                *width = (*width).max(col_end);
            }
        }
        let mut dense: Vec<Vec<Option<Slot<'_>>>> =
            widths.into_iter().map(|width| vec![None; width]).collect();
        for cell in &self.cells {
            let row_end = (cell.row + cell.row_span.max(1)) as usize;
            let col_end = (cell.col + cell.col_span.max(1)) as usize;
            for (r, line) in dense
                .iter_mut()
                .enumerate()
                .take(row_end)
                .skip(cell.row as usize)
            {
                for (c, slot) in line
                    .iter_mut()
                    .enumerate()
                    .take(col_end)
                    .skip(cell.col as usize)
                {
                    let origin = r == cell.row as usize && c == cell.col as usize;
                    if slot.is_none() || origin {
                        *slot = Some(Slot { cell, origin });
                    }
                }
            }
        }
        dense
    }

    /// The grid as tab-separated lines, one per row, merged cells repeated where they span as in
    /// [`Grid::text_rows`], line breaks in cells as spaces and trailing empty cells dropped.
    ///
    /// Costs the cells and the text written, not rows × columns: a row whose only cell is in
    /// column 16,000 is 16,000 tabs, not 16,000 slots.
    pub fn tab_separated(&self) -> String {
        // For each row, the cells covering it: (column, end column, cell), origins marked.
        let mut by_row: Vec<Vec<(u32, u32, bool, &str)>> = vec![Vec::new(); self.row_count()];
        for cell in &self.cells {
            let row_end = cell.row + cell.row_span.max(1);
            let col_end = cell.col + cell.col_span.max(1);
            for (row, covering) in (cell.row..row_end).zip(&mut by_row[cell.row as usize..]) {
                covering.push((cell.col, col_end, row == cell.row, cell.text.as_str()));
            }
        }
        let mut out = String::new();
        let mut line = String::new();
        let mut claimed: Vec<(u32, u32, &str)> = Vec::new();
        for mut covering in by_row {
            // The dense view's rule: a position shows the first cell covering it, unless a
            // later cell starts there.
            covering.sort_by_key(|&(col, _, origin, _)| (col, !origin));
            claimed.clear();
            let mut next = 0u32;
            for (col, end, origin, text) in covering {
                let start = if origin { col } else { col.max(next) };
                if start >= end {
                    continue;
                }
                if let Some(last) = claimed.last_mut()
                    && last.1 > start
                {
                    last.1 = start;
                }
                claimed.push((start, end, text));
                next = next.max(end);
            }
            line.clear();
            let mut position = 0u32;
            for &(start, end, text) in &claimed {
                for at in position..end {
                    if at > 0 {
                        line.push('\t');
                    }
                    if at >= start {
                        line.push_str(text);
                    }
                }
                position = end;
            }
            let cleaned = line.replace(['\n', '\r'], " ");
            out.push_str(cleaned.trim_end_matches('\t'));
            out.push('\n');
        }
        out
    }

    /// The text of each row, cells in column order, with merged cells repeated where they span;
    /// rows are ragged as in [`Grid::dense`].
    pub fn text_rows(&self) -> Vec<Vec<&str>> {
        self.dense()
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|slot| slot.map_or("", |s| s.cell.text.as_str()))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, col: u32, row_span: u32, col_span: u32, text: &str) -> GridCell {
        GridCell {
            row,
            col,
            row_span,
            col_span,
            text: text.to_owned(),
            span: Span::line(Arc::from("t"), row + 1),
        }
    }

    #[test]
    fn merged_cells_fill_the_positions_they_span() {
        let mut grid = Grid::new(Arc::from("t"));
        grid.cells = vec![
            cell(0, 0, 2, 1, "产出指标"),
            cell(0, 1, 1, 1, "数量指标"),
            cell(1, 1, 1, 1, "质量指标"),
        ];
        assert_eq!(grid.row_count(), 2);
        assert_eq!(
            grid.text_rows(),
            vec![vec!["产出指标", "数量指标"], vec!["产出指标", "质量指标"]]
        );
        let dense = grid.dense();
        assert!(dense[0][0].is_some_and(|s| s.origin));
        assert!(dense[1][0].is_some_and(|s| !s.origin));
    }

    /// `tab_separated` as the dense view writes it.
    fn tab_separated_by_dense(grid: &Grid) -> String {
        grid.text_rows()
            .iter()
            .map(|row| {
                row.join("\t")
                    .replace(['\n', '\r'], " ")
                    .trim_end_matches('\t')
                    .to_owned()
                    + "\n"
            })
            .collect()
    }

    #[test]
    fn tab_separated_text_is_the_dense_view_joined() {
        let mut grid = Grid::new(Arc::from("t"));
        grid.cells = vec![
            cell(0, 0, 2, 1, "产出指标"),
            cell(0, 1, 1, 2, "数量\n指标"),
            cell(1, 2, 1, 1, "质量指标"),
            cell(2, 3, 1, 1, "远"),
            cell(3, 0, 1, 1, ""),
            cell(3, 1, 2, 2, "合并"),
            cell(4, 0, 1, 1, "左"),
            cell(4, 3, 1, 1, "右"),
        ];
        assert_eq!(grid.tab_separated(), tab_separated_by_dense(&grid));
        assert!(
            grid.tab_separated()
                .starts_with("产出指标\t数量 指标\t数量 指标\n")
        );
    }

    #[test]
    fn the_dense_view_of_a_sparse_grid_costs_its_cells() {
        let mut grid = Grid::new(Arc::from("t"));
        grid.cells = vec![cell(0, 0, 1, 1, "a"), cell(1_048_575, 16_383, 1, 1, "b")];
        let rows = grid.text_rows();
        assert_eq!(rows.len(), 1_048_576);
        assert_eq!(rows[0], vec!["a"]);
        assert!(rows[1].is_empty());
        assert_eq!(rows[1_048_575].len(), 16_384);
        assert_eq!(rows[1_048_575][16_383], "b");
    }
}
