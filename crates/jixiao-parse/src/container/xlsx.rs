//! Excel workbooks through calamine: one grid per visible worksheet that has content.
//!
//! XLSX cells are read in one streaming pass with their style, and numbers are shown with the
//! style's number format (see `numfmt`). calamine exposes number formats for XLSX only; XLS
//! numbers are shown with `numfmt::general` (15 significant digits, so binary noise such as
//! 35.400000000000006 reads `35.4`, but a rate stored as 0.95 reads `0.95`, not `95%`).
//!
//! Merged regions give their top-left cell `row_span`/`col_span`; the positions they cover get
//! no cell even when the file keeps a stale value there (Excel does not display it). Hidden
//! sheets, chart sheets and empty cells are left out.
//!
//! Grids stay sparse: a sheet with cells at A1 and XFD1048576 is two cells. The limits are
//! checked as cells stream in: cells per sheet (a merged cell counts every position it covers),
//! columns and the length of a cell. calamine builds XLS sheets whole when it opens the file, as
//! dense ranges; `biff` checks their extent against the cell limit first.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use calamine::{
    Data, DataRef, Dimensions, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx,
    XlsxError,
};
use jixiao_model::{CellRef, Grid, GridCell, Span};

use super::ContainerError;
use crate::limits::{Limit, Limits};

/// Excel's sheet size. A position past it can only come from a damaged or crafted file, and
/// keeping it would make grids of billions of empty rows.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;
use super::numfmt::Format;

pub(super) fn read_xlsx(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    guarded(file, || read_xlsx_unguarded(file, bytes, limits))
}

fn read_xlsx_unguarded(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let error = |e: XlsxError| xlsx_error(file, e);
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(error)?;
    let mut formats: Option<Vec<Format>> = None;
    let mut grids = Vec::new();
    for name in worksheet_names(book.sheets_metadata()) {
        let merges = book.merge_cells_by_sheet_name(&name).map_err(error)?;
        let mut reader = book.worksheet_cells_reader(&name).map_err(error)?;
        // Every sheet shares the workbook's style palette, so its formats are parsed once.
        let formats = formats.get_or_insert_with(|| {
            reader
                .styles()
                .iter()
                .map(|style| match &style.number_format {
                    Some(format) => Format::parse(&format.format_code, format.format_id),
                    None => Format::General,
                })
                .collect()
        });
        let mut cells = Vec::new();
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(error)? {
            let (row, col) = cell.get_position();
            if row >= MAX_ROWS || col >= MAX_COLUMNS {
                continue;
            }
            let format = formats.get(style).unwrap_or(&Format::General);
            let text = display(cell.get_value(), format);
            if !text.is_empty() {
                check_cell(file, &name, limits, cells.len(), col, &text)?;
                cells.push(sheet_cell(file, &name, row, col, text));
            }
        }
        grids.extend(finish(file, &name, cells, &merges, limits)?);
    }
    Ok(grids)
}

pub(super) fn read_xls(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    guarded(file, || read_xls_unguarded(file, bytes, limits))
}

/// Runs calamine, which panics on some damaged files (an assertion in its compound-file reader
/// when a sector is cut short, found by `cargo xtask fuzz`): such a file is damaged, and that is
/// what the user is told, without the panic's English message on stderr.
fn guarded<T>(
    file: &Arc<str>,
    read: impl FnOnce() -> Result<T, ContainerError>,
) -> Result<T, ContainerError> {
    thread_local! {
        static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.with(|q| q.set(was));
    result.unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        Err(ContainerError::CorruptWorkbook {
            file: file.to_string(),
            reason: format!("calamine: {reason}"),
        })
    })
}

fn read_xls_unguarded(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let error = |e: XlsError| xls_error(file, e);
    let mut book = Xls::new(Cursor::new(bytes)).map_err(error)?;
    let mut grids = Vec::new();
    for name in worksheet_names(book.sheets_metadata()) {
        let merges = book.merge_cells_by_sheet_name(&name).map_err(error)?;
        let range = book.worksheet_range(&name).map_err(error)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (row, col, value) in range.used_cells() {
            let text = display(&data_ref(value), &Format::General);
            let (Some(row), Some(col)) = (
                u32::try_from(row).ok().and_then(|r| top.checked_add(r)),
                u32::try_from(col).ok().and_then(|c| left.checked_add(c)),
            ) else {
                continue;
            };
            if row >= MAX_ROWS || col >= MAX_COLUMNS || text.is_empty() {
                continue;
            }
            check_cell(file, &name, limits, cells.len(), col, &text)?;
            cells.push(sheet_cell(file, &name, row, col, text));
        }
        grids.extend(finish(file, &name, cells, &merges, limits)?);
    }
    Ok(grids)
}

/// The limits a cell can pass as it is read: the sheet's cell count, its column, its length.
fn check_cell(
    file: &str,
    sheet: &str,
    limits: &Limits,
    read: usize,
    col: u32,
    text: &str,
) -> Result<(), ContainerError> {
    let place = || format!("工作表“{sheet}”：");
    limits.check(Limit::Cells, read as u64 + 1, file, place)?;
    limits.check(Limit::Columns, u64::from(col) + 1, file, place)?;
    limits.check(Limit::CellSize, text.len() as u64, file, place)
}

fn worksheet_names(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

fn xlsx_error(file: &Arc<str>, error: XlsxError) -> ContainerError {
    let file = file.to_string();
    match error {
        XlsxError::Password => ContainerError::Encrypted { file },
        XlsxError::Zip(e) => ContainerError::CorruptZip {
            file,
            reason: e.to_string(),
        },
        other => ContainerError::CorruptWorkbook {
            file,
            reason: other.to_string(),
        },
    }
}

fn xls_error(file: &Arc<str>, error: XlsError) -> ContainerError {
    let file = file.to_string();
    match error {
        XlsError::Password => ContainerError::Encrypted { file },
        other => ContainerError::CorruptWorkbook {
            file,
            reason: other.to_string(),
        },
    }
}

fn data_ref(value: &Data) -> DataRef<'_> {
    match value {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// A value as the sheet shows it; line breaks inside a cell become `\n`.
fn display(value: &DataRef<'_>, format: &Format) -> String {
    match value {
        DataRef::String(s) => cell_text(s),
        DataRef::SharedString(s) => cell_text(s),
        DataRef::Float(f) => format.number(*f),
        // Integers beyond 2^53 are ids typed as numbers; f64 keeps Excel's 15 digits anyway.
        #[allow(clippy::cast_precision_loss)]
        DataRef::Int(i) => format.number(*i as f64),
        DataRef::Bool(true) => "TRUE".to_owned(),
        DataRef::Bool(false) => "FALSE".to_owned(),
        DataRef::DateTime(dt) => date(dt, format),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn cell_text(s: &str) -> String {
    let s = s.trim();
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

fn date(dt: &ExcelDateTime, format: &Format) -> String {
    format.date(dt.to_ymd_hms_milli(), dt.as_f64())
}

/// A cell at its absolute sheet position, with the span a user sees (1-based row and column).
fn sheet_cell(file: &Arc<str>, sheet: &str, row: u32, col: u32, text: String) -> GridCell {
    GridCell {
        row,
        col,
        row_span: 1,
        col_span: 1,
        text,
        span: Span {
            cell: Some(Box::new(CellRef {
                sheet: Some(sheet.to_owned()),
                page: None,
                row: row.saturating_add(1),
                col: col.saturating_add(1),
            })),
            ..Span::line(file.clone(), row.saturating_add(1))
        },
    }
}

/// Builds a sheet's grid from its cells at absolute positions: merges applied, lattice shifted
/// to start at the first used row and column. Works in place, as sheets can have millions of
/// cells. `None` for a sheet without text.
fn finish(
    file: &Arc<str>,
    sheet: &str,
    mut cells: Vec<GridCell>,
    merges: &[Dimensions],
    limits: &Limits,
) -> Result<Option<Grid>, ContainerError> {
    let Some(last_row) = cells.iter().map(|c| c.row).max() else {
        return Ok(None);
    };
    let merges = Merges::new(merges, last_row);
    cells.retain_mut(|cell| match merges.at(cell.row, cell.col) {
        MergeRole::Covered => false,
        MergeRole::Origin((row_span, col_span)) => {
            cell.row_span = row_span;
            cell.col_span = col_span;
            true
        }
        MergeRole::None => true,
    });
    let (Some(top), Some(left)) = (
        cells.iter().map(|c| c.row).min(),
        cells.iter().map(|c| c.col).min(),
    ) else {
        return Ok(None);
    };
    // A region reaching past the last used row or column (a whole-column merge) is cut there,
    // so the grid's size follows its content.
    let bottom = cells.iter().map(|c| c.row).max().unwrap_or(top);
    let right = cells.iter().map(|c| c.col).max().unwrap_or(left);
    // Merged cells fill every position they cover in the grid's dense view.
    let mut covered = 0u64;
    for cell in &mut cells {
        cell.row_span = cell.row_span.min(bottom - cell.row + 1).max(1);
        cell.col_span = cell.col_span.min(right - cell.col + 1).max(1);
        cell.row -= top;
        cell.col -= left;
        covered += u64::from(cell.row_span) * u64::from(cell.col_span);
    }
    limits.check(Limit::Cells, covered, file, || {
        format!("工作表“{sheet}”（合并单元格所占位置）：")
    })?;
    cells.sort_by_key(|c| (c.row, c.col));
    let mut grid = Grid::new(file.clone());
    grid.name = Some(sheet.to_owned());
    grid.cells = cells;
    Ok(Some(grid))
}

#[derive(Debug, Clone, Copy)]
enum MergeRole {
    None,
    /// The top-left cell of a merged region, with its row and column spans.
    Origin((u32, u32)),
    Covered,
}

/// Merged regions indexed by row, so each cell is checked against the few regions on its row.
#[derive(Debug)]
struct Merges {
    by_row: HashMap<u32, Vec<Dimensions>>,
}

impl Merges {
    /// Regions are clipped to the last row that has a cell: a region over a whole column would
    /// otherwise index a million rows.
    fn new(merges: &[Dimensions], last_row: u32) -> Self {
        let mut by_row: HashMap<u32, Vec<Dimensions>> = HashMap::new();
        for merge in merges {
            let (top, _) = merge.start;
            let (bottom, _) = merge.end;
            if bottom < top || merge.end.1 < merge.start.1 || merge.start == merge.end {
                continue;
            }
            for row in top..=bottom.min(last_row) {
                by_row.entry(row).or_default().push(*merge);
            }
        }
        Self { by_row }
    }

    fn at(&self, row: u32, col: u32) -> MergeRole {
        let Some(regions) = self.by_row.get(&row) else {
            return MergeRole::None;
        };
        for region in regions {
            if col < region.start.1 || col > region.end.1 {
                continue;
            }
            if (row, col) == region.start {
                return MergeRole::Origin((
                    region.end.0 - region.start.0 + 1,
                    region.end.1 - region.start.1 + 1,
                ));
            }
            return MergeRole::Covered;
        }
        MergeRole::None
    }
}
