//! A: amounts add up.

mod amounts_row_sum;
mod grand_total_mismatch;
mod non_positive_amount;
mod unit_total_mismatch;

use jixiao_model::Amount;
use rust_decimal::Decimal;

use super::Rule;

/// True when `difference` is at most one unit in the last decimal place `stated` shows (0.01 for
/// `857.79`): what rounding each part separately leaves behind, not money gone missing.
fn rounding_sized(stated: &Amount, difference: Decimal) -> bool {
    let Some((_, decimals)) = stated.raw.rsplit_once('.') else {
        return false;
    };
    let places = decimals.chars().take_while(char::is_ascii_digit).count();
    places > 0 && difference.abs() <= Decimal::new(1, places as u32)
}

/// One column's stated amount against the sum of its parts.
struct ColumnDifference {
    text: String,
    rounding: bool,
}

/// The message tail for a set of column differences, and whether all are rounding-sized.
fn describe(differences: &[ColumnDifference]) -> (String, bool) {
    let texts: Vec<&str> = differences.iter().map(|d| d.text.as_str()).collect();
    let rounding = differences.iter().all(|d| d.rounding);
    let mut text = texts.join("；");
    if rounding {
        text.push_str("。差额只有末位一个单位，可能是各部分分别四舍五入造成的");
    }
    (text, rounding)
}

pub const RULES: &[&dyn Rule] = &[
    &amounts_row_sum::AmountsRowSum,
    &unit_total_mismatch::UnitTotalMismatch,
    &grand_total_mismatch::GrandTotalMismatch,
    &non_positive_amount::NonPositiveAmount,
];
