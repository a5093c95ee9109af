//! E: a self-evaluation's scores, totals and actual values hold.
//!
//! The rules read the numbers jixiao-score recomputes ([`Projects::scores`]) rather than redoing
//! the formulas, so `jixiao check` and `jixiao score` never disagree on one.

mod actual_copies_target;
mod actual_unit_mismatch;
mod deducted_though_met;
mod execution_rate_mismatch;
mod full_points_though_missed;
mod full_points_without_actual;
mod grade_mismatch;
mod score_above_weight;
mod total_not_sum;
mod unexplained_deduction;
mod weights_not_total;

use jixiao_model::{Indicator, Project, Unit};
use jixiao_score::{LineKind, LineScore, ProjectScore};

use super::Rule;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;

pub const RULES: &[&dyn Rule] = &[
    &execution_rate_mismatch::ExecutionRateMismatch,
    &score_above_weight::ScoreAboveWeight,
    &total_not_sum::TotalNotSum,
    &grade_mismatch::GradeMismatch,
    &full_points_without_actual::FullPointsWithoutActual,
    &deducted_though_met::DeductedThoughMet,
    &full_points_though_missed::FullPointsThoughMissed,
    &weights_not_total::WeightsNotTotal,
    &unexplained_deduction::UnexplainedDeduction,
    &actual_copies_target::ActualCopiesTarget,
    &actual_unit_mismatch::ActualUnitMismatch,
];

/// One self-evaluation project with its recomputed scores.
#[derive(Clone, Copy)]
struct Scored<'a> {
    unit: &'a Unit,
    project: &'a Project,
    score: &'a ProjectScore,
}

impl<'a> Scored<'a> {
    /// Each indicator with its scored line (the budget line comes first and is left out).
    fn indicator_lines(self) -> impl Iterator<Item = (&'a Indicator, &'a LineScore)> {
        self.project.indicators.iter().zip(
            self.score
                .lines
                .iter()
                .filter(|line| line.kind == LineKind::Indicator),
        )
    }

    /// A finding about the project as a whole.
    fn finding(
        self,
        code: &'static str,
        span: jixiao_model::Span,
        message: String,
        help: &'static str,
    ) -> Finding {
        Finding::new(code, span, message, help)
            .in_project(&self.unit.name.text, &self.project.name.text)
    }

    /// A finding about one indicator.
    fn indicator_finding(
        self,
        code: &'static str,
        indicator: &Indicator,
        message: String,
        help: &'static str,
    ) -> Finding {
        self.finding(code, indicator.span.clone(), message, help)
            .at_indicator(indicator.seq)
    }
}

/// Calls `f` with every self-evaluation project of the run and its scores under the configured
/// policy.
fn for_each_scored<'a>(
    projects: &'a Projects<'_>,
    cx: &Context<'_>,
    mut f: impl FnMut(Scored<'a>),
) {
    let scores = projects.scores(&cx.settings.score_policy);
    for (indexed, score) in projects.projects().zip(scores) {
        if let Some(score) = score {
            f(Scored {
                unit: indexed.unit,
                project: indexed.project,
                score,
            });
        }
    }
}
