//! Problems a reader met while reading a source.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Span;

/// Something a reader could not read, or had to repair, with where and a Chinese message that says
/// what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
    pub span: Span,
}

/// What sort of problem it is; the review engine maps each kind to a rule code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A row whose cells could not be read as a project, unit or total row.
    UnreadableRow,
    /// An amount cell that is not a number.
    UnreadableAmount,
    /// An indicator cell (or one item of it) that could not be split into items.
    UnreadableIndicators,
    /// A value the grammar could not read.
    UnreadableValue,
    /// A row that a page break split over two lines, joined back together.
    JoinedRow,
    /// A row that ends before its last cells (the file was cut off).
    TruncatedRow,
    /// Indicator sequence numbers that skip or repeat.
    SequenceGap,
    /// A project row that came before any unit row.
    ProjectWithoutUnit,
    /// The source was not UTF-8 and was decoded from another encoding.
    Encoding,
    /// The source has no table at all.
    NoTable,
    /// A template hint left in a cell (`(必填硬性指标)`, `(≥**%)`), ignored when matching.
    TemplateHint,
    /// The copy holds only part of the table (it starts or stops part-way); what it holds was read.
    CutTable,
}

impl ProblemKind {
    /// True for problems that only report a repair; the data was read in full.
    pub fn is_note(self) -> bool {
        matches!(
            self,
            Self::JoinedRow | Self::Encoding | Self::TemplateHint | Self::CutTable
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.span, self.message)
    }
}
