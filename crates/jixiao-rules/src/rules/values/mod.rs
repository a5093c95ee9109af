//! V: each target value is measurable and plausible.

mod annual_period_inconsistent;
mod implausible_satisfaction;
mod rate_out_of_range;
mod suspicious_direction;
mod unit_mismatch;
mod unreadable_value;
mod vague_target;
mod value_restates_name;

use jixiao_model::{Indicator, Project, Quantity, Unit, Value, ValueKind, ValuePart};

use super::Rule;
use super::index::{IndicatorFacts, Projects};
use crate::Finding;

pub const RULES: &[&dyn Rule] = &[
    &unreadable_value::UnreadableValue,
    &vague_target::VagueTarget,
    &unit_mismatch::UnitMismatch,
    &rate_out_of_range::RateOutOfRange,
    &suspicious_direction::SuspiciousDirection,
    &value_restates_name::ValueRestatesName,
    &annual_period_inconsistent::AnnualPeriodInconsistent,
    &implausible_satisfaction::ImplausibleSatisfaction,
];

/// One target value of an indicator, with where it is.
#[derive(Debug, Clone, Copy)]
struct Target<'a> {
    unit: &'a Unit,
    project: &'a Project,
    indicator: &'a Indicator,
    facts: &'a IndicatorFacts<'a>,
    value: &'a Value,
    /// The `normalized` value.
    value_norm: &'a str,
    /// `年度指标值` or `实施周期指标值`.
    label: &'static str,
}

impl Target<'_> {
    fn name(&self) -> &str {
        &self.indicator.name.text
    }

    fn level1(&self) -> Option<&str> {
        super::util::level1_code(self.indicator)
    }

    fn level2(&self) -> Option<&str> {
        super::util::level2_code(self.indicator)
    }

    /// True for the period value, which follows its indicator's annual value (if any).
    fn is_period(&self) -> bool {
        self.label == PERIOD
    }

    /// A finding at the value, placed in its project and indicator.
    fn finding(&self, code: &'static str, message: String, help: impl Into<String>) -> Finding {
        Finding::new(code, self.value.span.clone(), message, help)
            .in_project(&self.unit.name.text, &self.project.name.text)
            .at_indicator(self.indicator.seq)
    }
}

const ANNUAL: &str = "年度指标值";
const PERIOD: &str = "实施周期指标值";

/// Every target value of the document: each indicator's annual value, then its period value when
/// that says something else (tables often repeat the annual value as the period value).
fn targets<'i>(projects: &'i Projects<'_>) -> impl Iterator<Item = Target<'i>> {
    projects.projects().flat_map(|p| {
        p.indicators().flat_map(move |(indicator, facts)| {
            let target = move |value, value_norm, label| Target {
                unit: p.unit,
                project: p.project,
                indicator,
                facts,
                value,
                value_norm,
                label,
            };
            let annual = indicator
                .annual
                .as_ref()
                .zip(facts.annual_norm.as_deref())
                .map(|(v, norm)| target(v, norm, ANNUAL));
            let period = indicator
                .period
                .as_deref()
                .zip(facts.distinct_period_norm.as_deref())
                .map(|(v, norm)| target(v, norm, PERIOD));
            annual.into_iter().chain(period)
        })
    })
}

/// Every quantity of a value: the value itself, or each quantitative part of a compound.
fn quantities(value: &Value) -> impl Iterator<Item = &Quantity> {
    let (single, parts): (Option<&Quantity>, &[ValuePart]) = match &value.kind {
        ValueKind::Quantitative(q) => (Some(q), &[]),
        ValueKind::Compound { parts } => (None, parts),
        _ => (None, &[]),
    };
    single
        .into_iter()
        .chain(parts.iter().filter_map(|p| match &p.kind {
            ValueKind::Quantitative(q) => Some(q),
            _ => None,
        }))
}

/// The name without a trailing bracketed note such as `（%）`, `(件)`.
fn name_core(name: &str) -> &str {
    let trimmed = name.trim_end();
    for (close, open) in [('）', '（'), (')', '(')] {
        if let Some(rest) = trimmed.strip_suffix(close)
            && let Some(i) = rest.rfind(open)
        {
            return rest[..i].trim_end();
        }
    }
    trimmed
}

/// True when the name, given as its match key, carries a `（%）` note.
fn name_has_percent_note(name_key: &str) -> bool {
    name_key.contains("(%)") || name_key.contains("(％)")
}
