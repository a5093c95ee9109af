//! The domain model of jixiao: a published 项目支出绩效目标表 as exact, lossless data.
//!
//! No I/O here: readers in `jixiao-parse` build these types, the review engine reads them.

mod document;
mod grid;
pub mod hans;
pub mod json;
mod key;
mod problem;
mod profile;
mod shared_str;
mod span;
mod value;
pub mod vocabulary;

pub use document::{
    Amount, AmountColumn, AmountRow, Amounts, BudgetLine, Category, Document, Evaluation, Field,
    Funding, Indicator, IndicatorDetails, Inference, Layout, Project, ProjectDetails, Text,
    Truncation, Unit,
};
pub use grid::{Grid, GridCell, Slot};
pub use key::{match_key, match_key_and_without, match_key_without};
pub use problem::{Problem, ProblemKind};
pub use profile::{
    CategoryDef, InferenceRule, Profile, ProfileData, category_key, value_kind_name,
};
pub use shared_str::Str;
pub use span::{CellRef, Span};
pub use value::{Comparator, Deadline, Quantity, Scale, Value, ValueKind, ValuePart};
