//! C: costs and inputs are not passed off as outputs.

mod cost_restates_budget;
mod input_as_output;
mod unit_cost_times_quantity;

use super::Rule;

pub use input_as_output::is_payout_timeliness;

pub const RULES: &[&dyn Rule] = &[
    &input_as_output::InputAsOutput,
    &cost_restates_budget::CostRestatesBudget,
    &unit_cost_times_quantity::UnitCostTimesQuantity,
];
