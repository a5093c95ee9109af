//! V: each target value is measurable and plausible.

mod annual_period_inconsistent;
mod damaged_text;
mod implausible_satisfaction;
mod rate_out_of_range;
mod shares_exceed_whole;
mod suspicious_direction;
mod template_left_in;
mod unit_mismatch;
mod unreadable_value;
mod vague_target;
mod value_restates_name;

use jixiao_model::{Indicator, Project, Quantity, Unit, Value, ValueKind, ValuePart};

use super::Rule;
use super::index::{IndicatorFacts, Projects};
use super::util::Joined;
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
    &template_left_in::TemplateLeftIn,
    &damaged_text::DamagedText,
    &shares_exceed_whole::SharesExceedWhole,
];

/// One piece of a project's own text: a goal, an indicator's name or one of its values.
#[derive(Debug, Clone, Copy)]
pub struct ProjectText<'a> {
    unit: &'a Unit,
    project: &'a Project,
    indicator: Option<&'a Indicator>,
    /// What the text is (`绩效目标`, `指标名称`, `年度指标值` …).
    label: &'static str,
    text: &'a str,
    span: &'a jixiao_model::Span,
}

impl ProjectText<'_> {
    /// A period value that repeats the annual one word for word: what is wrong with it was
    /// reported at the annual value.
    fn repeats_annual(&self) -> bool {
        self.label == "实施周期指标值"
            && self
                .indicator
                .and_then(|i| i.annual.as_ref())
                .is_some_and(|annual| *annual.raw == *self.text)
    }

    /// A finding at the text, placed in its project and indicator.
    fn finding(&self, code: &'static str, message: String, help: &'static str) -> Finding {
        let finding = Finding::new(code, self.span.clone(), message, help)
            .in_project(&self.unit.name.text, &self.project.name.text);
        match self.indicator {
            Some(indicator) => finding.at_indicator(indicator.seq),
            None => finding,
        }
    }
}

/// A document's texts that the text rules ([`super::Rule::check_texts`]) read, in the order of
/// [`for_each_text`]: every text but a period value that repeats the annual one word for word
/// (what is wrong with it was reported at the annual value). Collected once per document for
/// V009, V010 and V011, which each walked the whole document and asked
/// [`ProjectText::repeats_annual`] of every text, and joined once for their searches.
#[derive(Debug, Default)]
pub struct Texts<'a> {
    list: Vec<ProjectText<'a>>,
    joined: Joined,
}

impl<'a> Texts<'a> {
    /// Replaces the texts with those of `document`.
    pub(crate) fn fill(&mut self, document: &'a jixiao_model::Document) {
        self.list.clear();
        // At most a goal, two details goals, the remarks and three texts an indicator: reserved
        // at once rather than grown by doubling.
        let most: usize = document
            .projects()
            .map(|(_, p)| {
                3 + 3 * p.indicators.len()
                    + p.evaluation.iter().map(|e| e.remarks.len()).sum::<usize>()
            })
            .sum();
        self.list.reserve(most);
        for_each_text(document, |t| {
            if !t.repeats_annual() {
                self.list.push(t);
            }
        });
        self.joined.fill(self.list.iter().map(|t| t.text));
    }

    /// The texts, in document order.
    pub fn list(&self) -> &[ProjectText<'a>] {
        &self.list
    }

    /// The texts joined, for one search of them all.
    pub fn joined(&self) -> &Joined {
        &self.joined
    }
}

/// Calls `f` with every goal of every project (绩效目标, 实施期目标, 目标完成情况), then each
/// indicator's name, annual value and period value.
fn for_each_text<'a>(document: &'a jixiao_model::Document, mut f: impl FnMut(ProjectText<'a>)) {
    for (unit, project) in document.projects() {
        let text = |indicator, label, t: &'a jixiao_model::Text| ProjectText {
            unit,
            project,
            indicator,
            label,
            text: &t.text,
            span: &t.span,
        };
        if let Some(goal) = &project.goal {
            f(text(None, "绩效目标", goal));
        }
        if let Some(details) = &project.details {
            if let Some(goal) = &details.long_term_goal {
                f(text(None, "实施期目标", goal));
            }
            if let Some(goal) = &details.achieved_goal {
                f(text(None, "目标完成情况", goal));
            }
        }
        for remark in project.evaluation.iter().flat_map(|e| &e.remarks) {
            let label = if remark.label.contains("结论") {
                "评价结论"
            } else if remark.label.contains("问题") {
                "存在问题"
            } else if remark.label.contains("措施") || remark.label.contains("建议") {
                "改进措施"
            } else {
                "自评说明"
            };
            f(text(None, label, &remark.value));
        }
        for indicator in &project.indicators {
            f(text(Some(indicator), "指标名称", &indicator.name));
            let values = indicator
                .annual
                .iter()
                .map(|v| ("年度指标值", v))
                .chain(indicator.period.iter().map(|v| ("实施周期指标值", &**v)));
            for (label, value) in values {
                f(ProjectText {
                    unit,
                    project,
                    indicator: Some(indicator),
                    label,
                    text: &value.raw,
                    span: &value.span,
                });
            }
        }
    }
}

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

impl<'a> Target<'a> {
    fn name(&self) -> &'a str {
        &self.indicator.name.text
    }

    fn level1(&self) -> Option<&str> {
        super::util::level1_code(self.indicator)
    }

    fn level2(&self) -> Option<&str> {
        super::util::level2_code(self.indicator)
    }

    /// A finding at the value, placed in its project and indicator.
    fn finding(&self, code: &'static str, message: String, help: &'static str) -> Finding {
        Finding::new(code, self.value.span.clone(), message, help)
            .in_project(&self.unit.name.text, &self.project.name.text)
            .at_indicator(self.indicator.seq)
    }
}

const ANNUAL: &str = "年度指标值";
const PERIOD: &str = "实施周期指标值";

/// Calls `f` with every target value of the projects: each indicator's annual value, then its
/// period value when that says something else (tables often repeat the annual value as the
/// period value). Plain loops rather than an iterator: nested `flat_map`s cost more than the
/// rules' own work.
fn for_each_target<'i>(projects: &'i Projects<'_>, mut f: impl FnMut(Target<'i>)) {
    for p in projects.projects() {
        for (indicator, facts) in p.indicators() {
            let target = |value, value_norm, label| Target {
                unit: p.unit,
                project: p.project,
                indicator,
                facts,
                value,
                value_norm,
                label,
            };
            if let (Some(value), Some(norm)) = (&indicator.annual, &facts.annual_norm) {
                f(target(value, norm, ANNUAL));
            }
            if let (Some(value), Some(norm)) = (&indicator.period, &facts.distinct_period_norm) {
                f(target(value, norm, PERIOD));
            }
        }
    }
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
    super::util::has(name_key, "(%)") || super::util::has(name_key, "(％)")
}
