//! Where a node came from in its source.

use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A place in a source file.
///
/// `line` is 1-based. `start..end` is a byte range inside that line's text after decoding to
/// UTF-8, without the BOM and the line terminator, so a finding can underline the exact text.
/// Grid containers (spreadsheets, HTML, DOCX, PDF) also fill `cell`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    pub file: Arc<str>,
    pub line: u32,
    pub start: u32,
    pub end: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<Box<CellRef>>,
}

/// A cell of a table: the sheet (or page) and the 1-based row and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct CellRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub row: u32,
    pub col: u32,
}

impl Span {
    pub fn new(file: Arc<str>, line: u32, start: u32, end: u32) -> Self {
        Self {
            file,
            line,
            start,
            end,
            cell: None,
        }
    }

    /// A span covering a whole line (or a node that has no narrower position).
    pub fn line(file: Arc<str>, line: u32) -> Self {
        Self::new(file, line, 0, 0)
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(cell) = &self.cell {
            if let Some(sheet) = &cell.sheet {
                write!(f, " [{sheet}]")?;
            }
            if let Some(page) = cell.page {
                write!(f, " 第{page}页")?;
            }
            write!(f, " 第{}行第{}列", cell.row, cell.col)?;
        }
        Ok(())
    }
}
