//! V: each target value is measurable and plausible.

mod annual_period_inconsistent;
mod implausible_satisfaction;
mod rate_out_of_range;
mod suspicious_direction;
mod unit_mismatch;
mod unreadable_value;
mod vague_target;
mod value_restates_name;

use jixiao_model::{Document, Indicator, Project, Quantity, Unit, Value, ValueKind};

use super::Rule;
use super::util::normalized;
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
    value: &'a Value,
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

    /// A finding at the value, placed in its project and indicator.
    fn finding(&self, code: &'static str, message: String, help: impl Into<String>) -> Finding {
        Finding::new(code, self.value.span.clone(), message, help)
            .in_project(&self.unit.name.text, &self.project.name.text)
            .at_indicator(self.indicator.seq)
    }
}

/// Every target value of the document: each indicator's annual value, then its period value when
/// that says something else (tables often repeat the annual value as the period value).
fn targets(document: &Document) -> impl Iterator<Item = Target<'_>> {
    document.projects().flat_map(|(unit, project)| {
        project.indicators.iter().flat_map(move |indicator| {
            let annual = indicator.annual.as_ref();
            let period = indicator
                .period
                .as_ref()
                .filter(|p| annual.is_none_or(|a| normalized(&a.raw) != normalized(&p.raw)));
            let target = move |value, label| Target {
                unit,
                project,
                indicator,
                value,
                label,
            };
            annual
                .map(|v| target(v, "年度指标值"))
                .into_iter()
                .chain(period.map(|v| target(v, "实施周期指标值")))
        })
    })
}

/// Every quantity of a value: the value itself, or each quantitative part of a compound.
fn quantities(value: &Value) -> Vec<&Quantity> {
    match &value.kind {
        ValueKind::Quantitative(q) => vec![q],
        ValueKind::Compound { parts } => parts
            .iter()
            .filter_map(|p| match &p.kind {
                ValueKind::Quantitative(q) => Some(q),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
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

/// True when the name carries a `（%）` note.
fn name_has_percent_note(name: &str) -> bool {
    let key = jixiao_model::match_key(name);
    key.contains("(%)") || key.contains("(％)")
}
