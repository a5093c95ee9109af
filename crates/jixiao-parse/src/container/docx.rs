//! Word documents (DOCX): one grid per table (`w:tbl`) with text, in document order, named
//! `表格 N`; a table inside a cell is a grid of its own and its text is not repeated in the
//! outer cell.
//!
//! `w:gridSpan` gives `col_span`, `w:vMerge` (`restart`, then continuing cells) gives
//! `row_span`, and `w:gridBefore` skips columns at the start of a row. Paragraphs inside a cell
//! are joined with `\n`.
//!
//! The body paragraphs between the previous table (or the start) and a top-level table —
//! titles such as `2023年度项目支出绩效目标申报表` and lines such as `单位：万元` — become the first
//! rows of that table's grid, one paragraph per row, each a single cell spanning the table's
//! width. Recognisers then find title, unit and header rows in one grid, as in a spreadsheet.
//! Their spans have no cell and `line` = the paragraph's 1-based number in the body; table cells
//! keep their row and column within the Word table in `Span::cell`, while their lattice row is
//! shifted down by the title rows. Paragraphs after the last table are not kept.
//!
//! Read with a streaming XML reader; deleted and moved-away text (tracked changes), field codes
//! and the fallback copies of drawings are skipped.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

use jixiao_model::{CellRef, Grid, GridCell, Span};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{ContainerError, clean_lines};
use crate::limits::{Limit, Limits};

/// Excel's column limit, also applied here: a crafted row of spans must not make a grid wider
/// than any sheet.
const MAX_COLUMNS: u32 = 16_384;

/// A cell while its table is being read.
#[derive(Debug)]
struct OpenCell {
    col: u32,
    col_span: u32,
    merge: Merge,
    paragraphs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// A finished cell of a table, at its place in the Word table.
#[derive(Debug)]
struct TableCell {
    row: u32,
    col: u32,
    row_span: u32,
    col_span: u32,
    text: String,
}

/// A table while it is being read.
#[derive(Debug, Default)]
struct Table {
    /// Its place among all tables in document order, fixed when it starts.
    index: usize,
    title: Vec<(u32, String)>,
    cells: Vec<TableCell>,
    /// Rows started so far; the current row is `rows - 1`.
    rows: u32,
    col: u32,
    cell: Option<OpenCell>,
    /// The cell a vertical merge started, by its column, while the merge goes on.
    merging: HashMap<u32, usize>,
}

#[derive(Debug, Default)]
struct State {
    tables: Vec<Table>,
    done: Vec<(usize, Table)>,
    started: usize,
    /// Paragraphs being read (a text box inside a paragraph nests another one).
    paragraphs: Vec<String>,
    /// Body paragraphs since the last top-level table, with their numbers.
    body: Vec<(u32, String)>,
    body_count: u32,
    in_text: bool,
    /// Depth inside elements whose text is not shown.
    skipped: u32,
    /// Table cells started, in all tables.
    cells: u64,
}

pub(super) fn read(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let xml = document_xml(file, bytes, limits)?;
    let corrupt = |reason: String| ContainerError::CorruptDocument {
        file: file.to_string(),
        reason,
    };
    let mut reader = Reader::from_str(&xml);
    let mut state = State::default();
    let mut prefix: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| corrupt(e.to_string()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                if prefix.is_none() {
                    prefix = Some(word_prefix(e));
                }
                let qname = e.name();
                let Some(name) = local(qname.as_ref(), prefix.as_deref()) else {
                    if !is_empty && is_skipped_foreign(qname.as_ref()) {
                        state.skipped += 1;
                    }
                    continue;
                };
                state.open(name, e, is_empty);
                limits.check(Limit::Depth, state.tables.len() as u64, file, String::new)?;
                limits.check(Limit::Cells, state.cells, file, String::new)?;
                let columns = state.tables.last().map_or(0, |t| t.col);
                limits.check(Limit::Columns, u64::from(columns), file, String::new)?;
            }
            Event::End(ref e) => match local(e.name().as_ref(), prefix.as_deref()) {
                Some(name) => state.close(name),
                None if is_skipped_foreign(e.name().as_ref()) => {
                    state.skipped = state.skipped.saturating_sub(1);
                }
                None => {}
            },
            Event::Text(ref t) if state.in_text && state.skipped == 0 => {
                state.push_text(&t.xml10_content());
            }
            Event::CData(ref t) if state.in_text && state.skipped == 0 => {
                state.push_text(&t.xml10_content());
            }
            Event::GeneralRef(ref r) if state.in_text && state.skipped == 0 => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(r).map(str::to_owned),
                };
                if let Some(text) = resolved {
                    state.push_text(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Tables left open by a truncated document still hold what was read.
    while let Some(table) = state.tables.pop() {
        state.done.push((table.index, table));
    }
    state.done.sort_by_key(|(index, _)| *index);
    let mut grids = Vec::new();
    for (_, table) in state.done {
        let name = format!("表格 {}", grids.len() + 1);
        if let Some(grid) = table.into_grid(file, &name) {
            grids.push(grid);
        }
    }
    Ok(grids)
}

/// The main document part: the target of the package's `officeDocument` relationship, or
/// `word/document.xml`.
fn document_xml(file: &Arc<str>, bytes: &[u8], limits: &Limits) -> Result<String, ContainerError> {
    let zip_error = |reason: String| ContainerError::CorruptZip {
        file: file.to_string(),
        reason,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(e.to_string()))?;
    let cap = limits.inflated_size;
    let path = read_entry(&mut archive, "_rels/.rels", cap)
        .ok()
        .and_then(|rels| main_part(&rels))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    read_entry(&mut archive, &path, cap).map_err(zip_error)
}

/// A part's text, never more than `cap` bytes of it (the parts were scanned against the limits
/// before; this is the backstop).
fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    path: &str,
    cap: u64,
) -> Result<String, String> {
    let entry = archive.by_name(path).map_err(|e| e.to_string())?;
    let mut text = String::new();
    entry
        .take(cap)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    Ok(text)
}

fn main_part(rels: &str) -> Option<String> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type")?;
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_owned());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The prefix bound to the WordprocessingML namespace on the root element (`w` in practice;
/// empty when it is the default namespace).
fn word_prefix(root: &BytesStart<'_>) -> String {
    const NAMESPACES: [&str; 2] = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ];
    root.attributes()
        .filter_map(Result::ok)
        .find(|a| NAMESPACES.contains(&a.value.as_ref()))
        .and_then(|a| {
            let key: &str = a.key.as_ref();
            match key {
                "xmlns" => Some(String::new()),
                _ => key.strip_prefix("xmlns:").map(str::to_owned),
            }
        })
        .unwrap_or_else(|| "w".to_owned())
}

/// The local name of a WordprocessingML element; `None` for other namespaces (DrawingML has
/// its own `a:p` and `a:t`).
fn local<'a>(name: &'a str, prefix: Option<&str>) -> Option<&'a str> {
    let prefix = prefix.unwrap_or("w");
    match name.split_once(':') {
        Some((p, local)) => (p == prefix).then_some(local),
        None => prefix.is_empty().then_some(name),
    }
}

/// `mc:Fallback` repeats a drawing's text for old readers; reading it would duplicate it.
fn is_skipped_foreign(name: &str) -> bool {
    name.ends_with(":Fallback")
}

/// An attribute's value by local name.
fn attr(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .filter_map(Result::ok)
        .find(|a| {
            let key = a.key.as_ref();
            key.rsplit(':').next() == Some(name)
        })
        .map(|a| a.value.into_owned())
}

fn attr_u32(element: &BytesStart<'_>, name: &str) -> Option<u32> {
    attr(element, name)?.trim().parse().ok()
}

impl State {
    fn open(&mut self, name: &str, e: &BytesStart<'_>, is_empty: bool) {
        if matches!(name, "delText" | "instrText" | "moveFrom") {
            if !is_empty {
                self.skipped += 1;
            }
            return;
        }
        if self.skipped > 0 {
            return;
        }
        match name {
            "tbl" if !is_empty => {
                let title = if self.tables.is_empty() {
                    std::mem::take(&mut self.body)
                } else {
                    Vec::new()
                };
                self.tables.push(Table {
                    index: self.started,
                    title,
                    ..Table::default()
                });
                self.started += 1;
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.start_row();
                }
            }
            "gridBefore" => {
                if let Some(table) = self.tables.last_mut() {
                    table.col = table
                        .col
                        .saturating_add(attr_u32(e, "val").unwrap_or(0).min(1000));
                }
            }
            "tc" if !is_empty => {
                self.cells += 1;
                if let Some(table) = self.tables.last_mut() {
                    table.cell = Some(OpenCell {
                        col: table.col,
                        col_span: 1,
                        merge: Merge::None,
                        paragraphs: Vec::new(),
                    });
                }
            }
            "gridSpan" => {
                if let Some(cell) = self.open_cell() {
                    cell.col_span = attr_u32(e, "val").unwrap_or(1).clamp(1, 1000);
                }
            }
            "vMerge" => {
                if let Some(cell) = self.open_cell() {
                    cell.merge = match attr(e, "val").as_deref() {
                        Some("restart") => Merge::Restart,
                        _ => Merge::Continue,
                    };
                }
            }
            "p" if !is_empty => self.paragraphs.push(String::new()),
            // An empty paragraph still counts as one in the body.
            "p" if self.tables.is_empty() => self.body_count += 1,
            "t" if !is_empty => self.in_text = true,
            "tab" | "ptab" => self.push_text(" "),
            "br" | "cr" => self.push_text("\n"),
            "noBreakHyphen" | "softHyphen" => self.push_text("-"),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if matches!(name, "delText" | "instrText" | "moveFrom") {
            self.skipped = self.skipped.saturating_sub(1);
            return;
        }
        if self.skipped > 0 {
            return;
        }
        match name {
            "t" => self.in_text = false,
            "p" => {
                let Some(text) = self.paragraphs.pop() else {
                    return;
                };
                if let Some(cell) = self.open_cell() {
                    cell.paragraphs.push(text);
                } else if self.tables.is_empty() {
                    self.body_count += 1;
                    if !text.trim().is_empty() {
                        self.body.push((self.body_count, text));
                    }
                }
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    table.end_cell();
                }
            }
            "tbl" => {
                if let Some(table) = self.tables.pop() {
                    self.done.push((table.index, table));
                }
            }
            _ => {}
        }
    }

    /// The innermost open cell, if the innermost table has one.
    fn open_cell(&mut self) -> Option<&mut OpenCell> {
        self.tables.last_mut()?.cell.as_mut()
    }

    fn push_text(&mut self, text: &str) {
        if self.skipped > 0 {
            return;
        }
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.push_str(text);
        }
    }
}

impl Table {
    fn start_row(&mut self) {
        self.rows += 1;
        self.col = 0;
        self.cell = None;
    }

    fn end_cell(&mut self) {
        let Some(cell) = self.cell.take() else { return };
        if self.rows == 0 {
            self.rows = 1;
        }
        let row = self.rows - 1;
        self.col = cell.col.saturating_add(cell.col_span);
        if cell.col >= MAX_COLUMNS {
            return;
        }
        let cell = OpenCell {
            col_span: cell.col_span.min(MAX_COLUMNS - cell.col),
            ..cell
        };
        if cell.merge == Merge::Continue
            && let Some(&origin) = self.merging.get(&cell.col)
            && let Some(origin) = self.cells.get_mut(origin)
        {
            origin.row_span = row - origin.row + 1;
            return;
        }
        for col in cell.col..cell.col.saturating_add(cell.col_span) {
            self.merging.remove(&col);
        }
        if cell.merge == Merge::Restart {
            self.merging.insert(cell.col, self.cells.len());
        }
        let text = clean_lines(cell.paragraphs.iter().flat_map(|p| p.split('\n')));
        self.cells.push(TableCell {
            row,
            col: cell.col,
            row_span: 1,
            col_span: cell.col_span,
            text,
        });
    }

    /// The finished grid: title rows first, then the table's rows below them; `None` when the
    /// table has no text.
    fn into_grid(self, file: &Arc<str>, name: &str) -> Option<Grid> {
        if self.cells.iter().all(|c| c.text.is_empty()) {
            return None;
        }
        let width = self
            .cells
            .iter()
            .map(|c| c.col.saturating_add(c.col_span))
            .max()
            .unwrap_or(1)
            .max(1);
        let shift = u32::try_from(self.title.len()).unwrap_or(u32::MAX);
        let mut grid = Grid::new(file.clone());
        grid.name = Some(name.to_owned());
        for (row, (number, text)) in (0u32..).zip(self.title) {
            grid.cells.push(GridCell {
                row,
                col: 0,
                row_span: 1,
                col_span: width,
                text: clean_lines(text.split('\n')),
                span: Span::line(file.clone(), number),
            });
        }
        for cell in self.cells {
            grid.cells.push(GridCell {
                row: cell.row.saturating_add(shift),
                col: cell.col,
                row_span: cell.row_span,
                col_span: cell.col_span,
                text: cell.text,
                span: Span {
                    cell: Some(Box::new(CellRef {
                        sheet: Some(name.to_owned()),
                        page: None,
                        row: cell.row + 1,
                        col: cell.col + 1,
                    })),
                    ..Span::line(file.clone(), cell.row + 1)
                },
            });
        }
        Some(grid)
    }
}
