//! HTML pages: one grid per `<table>` with text, in document order, named `表格 N`.
//!
//! html5ever (through scraper) parses the page as a browser would, so unclosed tags and
//! misnested markup from office exports and crawled pages come out as the browser shows them.
//! `rowspan`/`colspan` are laid out with the HTML table algorithm (a cell skips the positions
//! taken by cells spanning down from earlier rows). A table inside a cell is a grid of its own
//! and its text is not repeated in the outer cell. Inside a cell, `<br>` and block elements
//! start a new line, whitespace runs collapse to one space and entities are decoded.
//!
//! Not read: text outside tables (titles in `<h1>` or `<p>`), `<caption>`, and the source
//! position of a cell (spans give the table, row and column).

use std::borrow::Cow;
use std::sync::Arc;

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use jixiao_model::{CellRef, Grid, GridCell, Span};
use scraper::{Html, Node};

use super::{ContainerError, clean_lines};
use crate::limits::{Limit, Limits};

/// Excel's column limit; a `colspan` past it is cut, so a hostile page cannot make huge grids.
const MAX_COLUMNS: u32 = 16_384;
/// The HTML standard's limits for spans.
const MAX_COLSPAN: u32 = 1_000;
const MAX_ROWSPAN: u32 = 65_534;
/// How far into the page a `<meta charset>` is looked for, as browsers do.
const CHARSET_SCAN: usize = 4096;

/// Elements that start a new line inside a cell.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "hr",
    "address",
    "center",
];

/// A cell as read, before layout.
#[derive(Debug)]
struct RawCell {
    rowspan: u32,
    colspan: u32,
    lines: Vec<String>,
}

pub(super) fn read(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let (text, encoding) = decode(file, bytes)?;
    check_nesting(file, &text, limits)?;
    let html = Html::parse_document(&text);
    // One walk over the page: each open table reads its own rows, and the innermost one gets
    // what is inside it, so a page of nested tables takes time in proportion to its length.
    let mut open: Vec<(usize, TableRows)> = Vec::new();
    let mut done: Vec<(usize, Vec<Vec<RawCell>>)> = Vec::new();
    let mut started = 0;
    let mut cells = 0u64;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) if is_element(node, "table") => {
                limits.check(Limit::Depth, open.len() as u64 + 1, file, String::new)?;
                open.push((started, TableRows::default()));
                started += 1;
            }
            Edge::Close(node) if is_element(node, "table") => {
                if let Some((index, table)) = open.pop() {
                    done.push((index, table.rows));
                }
            }
            edge => {
                if let Some((_, table)) = open.last_mut() {
                    if table.step(edge) {
                        cells += 1;
                        limits.check(Limit::Cells, cells, file, String::new)?;
                    }
                    limits.check(Limit::CellSize, table.cell_bytes, file, String::new)?;
                }
            }
        }
    }
    done.sort_by_key(|(index, _)| *index);
    let mut grids = Vec::new();
    for (_, rows) in done {
        let name = format!("表格 {}", grids.len() + 1);
        let grid = layout(file, &name, encoding, rows, limits)?;
        if !grid.is_empty() {
            grids.push(grid);
        }
    }
    Ok(grids)
}

/// Tables nested deeper than the limit are refused before html5ever builds the page (a tree of
/// 100,000 nested tables is some 50 times the size of its text). Counted on the raw text,
/// `<table` against `</table`; a page that leaves tables unclosed counts deeper than a browser
/// would, and the walk checks the depth of the tree as built too.
fn check_nesting(file: &str, text: &str, limits: &Limits) -> Result<(), ContainerError> {
    let mut depth = 0u64;
    let bytes = text.as_bytes();
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[at + 1..];
        let closing = rest.first() == Some(&b'/');
        let name = if closing { &rest[1..] } else { rest };
        let is_table = name.len() >= 5
            && name[..5].eq_ignore_ascii_case(b"table")
            && name
                .get(5)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
        if !is_table {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            limits.check(Limit::Depth, depth, file, String::new)?;
        }
    }
    Ok(())
}

fn is_element(node: NodeRef<'_, Node>, name: &str) -> bool {
    node.value().as_element().is_some_and(|e| e.name() == name)
}

/// Honours the page's declared charset (`<meta charset=gb2312>` is common on government sites);
/// a byte-order mark wins over it, and without a declaration the text decoder decides.
fn decode<'a>(
    file: &Arc<str>,
    bytes: &'a [u8],
) -> Result<(Cow<'a, str>, &'static str), ContainerError> {
    let has_bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|bom| bytes.starts_with(bom));
    let declared = (!has_bom)
        .then(|| declared_charset(&bytes[..bytes.len().min(CHARSET_SCAN)]))
        .flatten();
    match declared {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            // GBK pages often hold GB18030-only characters; GB18030 decodes both.
            let encoding = if encoding == encoding_rs::GBK {
                encoding_rs::GB18030
            } else {
                encoding
            };
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            let name = if encoding == encoding_rs::GB18030 {
                "GBK"
            } else {
                encoding.name()
            };
            Ok((text, name))
        }
        _ => {
            let decoded = super::decode(file, bytes)?;
            Ok((decoded.text, decoded.encoding))
        }
    }
}

/// The encoding named by `charset=` in the head of the page.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")? + "charset".len();
    let rest = &lower[at..];
    let rest = &rest[rest.iter().position(|b| !b" \t\r\n=\"'".contains(b))?..];
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b)))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

/// A table being read: its rows so far and the cell open in it.
#[derive(Debug, Default)]
struct TableRows {
    rows: Vec<Vec<RawCell>>,
    cell: Option<RawCell>,
    /// Depth inside `script`, `style` and the like, whose text is not shown.
    hidden: u32,
    /// Bytes of text in the open cell.
    cell_bytes: u64,
}

impl TableRows {
    /// Takes one step of the walk inside this table (not inside a table nested in it); true
    /// when a cell starts.
    fn step(&mut self, edge: Edge<'_, Node>) -> bool {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    match name {
                        "tr" => self.rows.push(Vec::new()),
                        "td" | "th" => {
                            self.cell = Some(RawCell {
                                rowspan: span_attr(element.attr("rowspan"), 1, MAX_ROWSPAN),
                                colspan: span_attr(element.attr("colspan"), 1, MAX_COLSPAN).max(1),
                                lines: vec![String::new()],
                            });
                            self.cell_bytes = 0;
                            return true;
                        }
                        "br" => new_line(self.cell.as_mut()),
                        "script" | "style" | "template" | "noscript" => self.hidden += 1,
                        _ if BLOCKS.contains(&name) => new_line(self.cell.as_mut()),
                        _ => {}
                    }
                }
                Node::Text(text) if self.hidden == 0 => {
                    if let Some(line) = self.cell.as_mut().and_then(|c| c.lines.last_mut()) {
                        line.push_str(text);
                        self.cell_bytes += text.len() as u64;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(element) = node.value().as_element() else {
                    return false;
                };
                let name = element.name();
                match name {
                    "td" | "th" => {
                        if let Some(done) = self.cell.take() {
                            if self.rows.is_empty() {
                                self.rows.push(Vec::new());
                            }
                            if let Some(row) = self.rows.last_mut() {
                                row.push(done);
                            }
                        }
                    }
                    "script" | "style" | "template" | "noscript" => {
                        self.hidden = self.hidden.saturating_sub(1);
                    }
                    _ if BLOCKS.contains(&name) => new_line(self.cell.as_mut()),
                    _ => {}
                }
            }
        }
        false
    }
}

fn new_line(cell: Option<&mut RawCell>) {
    if let Some(cell) = cell {
        cell.lines.push(String::new());
    }
}

/// Parses a span attribute the way browsers do (leading digits count, junk after is ignored);
/// missing or unparsable gives `default`, and values are capped at `max`. `0` is kept: for
/// `rowspan` it means "to the end of the table".
fn span_attr(value: Option<&str>, default: u32, max: u32) -> u32 {
    let Some(value) = value else { return default };
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse::<u32>().map_or(default, |n| n.min(max))
}

/// Places cells on the lattice with the HTML table algorithm.
fn layout(
    file: &Arc<str>,
    name: &str,
    encoding: &str,
    rows: Vec<Vec<RawCell>>,
    limits: &Limits,
) -> Result<Grid, ContainerError> {
    let mut grid = Grid::new(file.clone());
    grid.name = Some(name.to_owned());
    grid.encoding = Some(encoding.to_owned());
    let row_count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    // For each column, the first row no longer covered by a cell spanning down into it.
    let mut free_from: Vec<u32> = Vec::new();
    // Positions the cells cover, spans included: a `rowspan=0` cell in a long table covers
    // every row below it.
    let mut covered = 0u64;
    for (row, cells) in (0u32..).zip(rows) {
        let mut col = 0u32;
        for cell in cells {
            while free_from.get(col as usize).is_some_and(|&free| free > row) {
                col += 1;
            }
            if col >= MAX_COLUMNS {
                break;
            }
            let remaining = row_count - row;
            let row_span = match cell.rowspan {
                0 => remaining,
                n => n.min(remaining),
            };
            let col_span = cell.colspan.min(MAX_COLUMNS - col);
            covered += u64::from(row_span.max(1)) * u64::from(col_span);
            let place = || format!("{name}第 {} 行：", row + 1);
            limits.check(Limit::Cells, covered, file, place)?;
            limits.check(Limit::Columns, u64::from(col + col_span), file, place)?;
            let end = (col + col_span) as usize;
            if free_from.len() < end {
                free_from.resize(end, 0);
            }
            for free in &mut free_from[col as usize..end] {
                *free = row + row_span;
            }
            grid.cells.push(GridCell {
                row,
                col,
                row_span,
                col_span,
                text: clean_lines(cell.lines.iter().map(String::as_str)),
                span: Span {
                    cell: Some(Box::new(CellRef {
                        sheet: Some(name.to_owned()),
                        page: None,
                        row: row + 1,
                        col: col + 1,
                    })),
                    ..Span::line(file.clone(), row + 1)
                },
            });
            col += col_span;
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_is_found_in_meta_tags() {
        let gbk = declared_charset(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
        assert_eq!(gbk, Some(encoding_rs::GBK));
        assert_eq!(
            declared_charset(b"<meta charset='UTF-8'>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_charset(b"<p>charset</p>"), None);
    }

    #[test]
    fn span_attributes_parse_like_browsers() {
        assert_eq!(span_attr(Some(" 3 "), 1, 1000), 3);
        assert_eq!(span_attr(Some("2px"), 1, 1000), 2);
        assert_eq!(span_attr(Some("x"), 1, 1000), 1);
        assert_eq!(span_attr(Some("99999999999"), 1, 1000), 1000);
        assert_eq!(span_attr(None, 1, 1000), 1);
    }
}
