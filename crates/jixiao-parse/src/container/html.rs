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

pub(super) fn read(file: &Arc<str>, bytes: &[u8]) -> Result<Vec<Grid>, ContainerError> {
    let (text, encoding) = decode(file, bytes)?;
    let html = Html::parse_document(&text);
    let mut grids = Vec::new();
    for table in html
        .tree
        .root()
        .descendants()
        .filter(|n| is_element(*n, "table"))
    {
        let name = format!("表格 {}", grids.len() + 1);
        let grid = layout(file, &name, encoding, read_rows(table));
        if !grid.is_empty() {
            grids.push(grid);
        }
    }
    Ok(grids)
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

/// The rows of `table` and their cells, leaving nested tables out.
fn read_rows(table: NodeRef<'_, Node>) -> Vec<Vec<RawCell>> {
    let mut rows: Vec<Vec<RawCell>> = Vec::new();
    let mut cell: Option<RawCell> = None;
    let mut nested = 0u32;
    let mut hidden = 0u32;
    for edge in table.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if name == "table" && node.id() != table.id() {
                        nested += 1;
                    }
                    if nested > 0 {
                        continue;
                    }
                    match name {
                        "tr" => rows.push(Vec::new()),
                        "td" | "th" => {
                            cell = Some(RawCell {
                                rowspan: span_attr(element.attr("rowspan"), 1, MAX_ROWSPAN),
                                colspan: span_attr(element.attr("colspan"), 1, MAX_COLSPAN).max(1),
                                lines: vec![String::new()],
                            });
                        }
                        "br" => new_line(cell.as_mut()),
                        "script" | "style" | "template" | "noscript" => hidden += 1,
                        _ if BLOCKS.contains(&name) => new_line(cell.as_mut()),
                        _ => {}
                    }
                }
                Node::Text(text) if nested == 0 && hidden == 0 => {
                    if let Some(line) = cell.as_mut().and_then(|c| c.lines.last_mut()) {
                        line.push_str(text);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Some(element) = node.value().as_element() else {
                    continue;
                };
                let name = element.name();
                if name == "table" && node.id() != table.id() {
                    nested = nested.saturating_sub(1);
                    continue;
                }
                if nested > 0 {
                    continue;
                }
                match name {
                    "td" | "th" => {
                        if let Some(done) = cell.take() {
                            if rows.is_empty() {
                                rows.push(Vec::new());
                            }
                            if let Some(row) = rows.last_mut() {
                                row.push(done);
                            }
                        }
                    }
                    "script" | "style" | "template" | "noscript" => {
                        hidden = hidden.saturating_sub(1);
                    }
                    _ if BLOCKS.contains(&name) => new_line(cell.as_mut()),
                    _ => {}
                }
            }
        }
    }
    rows
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
fn layout(file: &Arc<str>, name: &str, encoding: &str, rows: Vec<Vec<RawCell>>) -> Grid {
    let mut grid = Grid::new(file.clone());
    grid.name = Some(name.to_owned());
    grid.encoding = Some(encoding.to_owned());
    let row_count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    // For each column, the first row no longer covered by a cell spanning down into it.
    let mut free_from: Vec<u32> = Vec::new();
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
    grid
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
