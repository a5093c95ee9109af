//! I: the indicator set is complete and well organised.

mod category_misfiled;
mod duplicate_indicator;
mod level_mismatch;
mod missing_cost;
mod missing_effect;
mod missing_output;
mod missing_satisfaction;
mod too_few_indicators;

use jixiao_model::{Project, Unit};

use super::Rule;
use crate::Finding;
use crate::rules::index::Projects;

pub const RULES: &[&dyn Rule] = &[
    &missing_output::MissingOutput,
    &missing_effect::MissingEffect,
    &missing_satisfaction::MissingSatisfaction,
    &missing_cost::MissingCost,
    &too_few_indicators::TooFewIndicators,
    &duplicate_indicator::DuplicateIndicator,
    &level_mismatch::LevelMismatch,
    &category_misfiled::CategoryMisfiled,
];

/// Reports every project that has indicators but none of the 一级 `family`.
fn missing_family(
    projects: &Projects<'_>,
    code: &'static str,
    family: &str,
    label: &str,
    help: &'static str,
    out: &mut Vec<Finding>,
) {
    // A cut copy lost the rows above or below the cut: a missing family is not the publisher's.
    if projects.document().truncation.is_some() {
        return;
    }
    for indexed in projects.projects() {
        let (unit, project) = (indexed.unit, indexed.project);
        if project.indicators.is_empty() || indexed.has_family(family) {
            continue;
        }
        let mut message = lacking(project, label);
        message.push_str("（现有：");
        families(project, &mut message);
        message.push('）');
        out.push(project_finding(code, unit, project, message, help));
    }
}

/// `项目“…”的 N 个指标中没有{what}`, written piece by piece: `format!` went through the
/// formatter for each, and a large list reports most of its projects.
fn lacking(project: &Project, what: &str) -> String {
    let name = project.name.text.as_str();
    let mut message = String::with_capacity(name.len() + what.len() + 96);
    message.push_str("项目“");
    message.push_str(name);
    message.push_str("”的 ");
    message.push_str(itoa::Buffer::new().format(project.indicators.len()));
    message.push_str(" 个指标中没有");
    message.push_str(what);
    message
}

/// Appends the 一级 categories a project's indicators have, with counts: `效益指标 3 个、产出指标 1 个`.
fn families(project: &Project, text: &mut String) {
    // Borrowed names and one string: this runs for most projects of a large corpus.
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for indicator in &project.indicators {
        let name = indicator
            .level1
            .as_ref()
            .map_or("未分类", |c| c.name.as_str());
        match seen.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => seen.push((name, 1)),
        }
    }
    for (i, (name, count)) in seen.iter().enumerate() {
        if i > 0 {
            text.push('、');
        }
        text.push_str(name);
        text.push(' ');
        text.push_str(itoa::Buffer::new().format(*count));
        text.push_str(" 个");
    }
}

fn project_finding(
    code: &'static str,
    unit: &Unit,
    project: &Project,
    message: String,
    help: &'static str,
) -> Finding {
    Finding::new(code, project.name.span.clone(), message, help)
        .in_project(&unit.name.text, &project.name.text)
}
