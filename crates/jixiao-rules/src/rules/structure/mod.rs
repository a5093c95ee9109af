//! S: the table could be read.
//!
//! The findings of this family come from the reader's parse problems (see
//! [`crate::problem_finding`]); the rules here carry the documentation and report nothing more.

mod repaired_row;
mod unreadable_indicators;
mod unreadable_row;

use super::Rule;

pub const RULES: &[&dyn Rule] = &[
    &unreadable_row::UnreadableRow,
    &unreadable_indicators::UnreadableIndicators,
    &repaired_row::RepairedRow,
];
