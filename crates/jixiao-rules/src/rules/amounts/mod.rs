//! A: amounts add up.

mod amounts_row_sum;
mod grand_total_mismatch;
mod non_positive_amount;
mod unit_total_mismatch;

use super::Rule;

pub const RULES: &[&dyn Rule] = &[
    &amounts_row_sum::AmountsRowSum,
    &unit_total_mismatch::UnitTotalMismatch,
    &grand_total_mismatch::GrandTotalMismatch,
    &non_positive_amount::NonPositiveAmount,
];
