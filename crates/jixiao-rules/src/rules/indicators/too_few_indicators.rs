use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project with fewer indicators than the option `min` (default 3), including a
    /// project with none.
    ///
    /// ## Why is this bad?
    /// One or two indicators cannot cover 产出, 效益 and 满意度 at once, let alone quantity, quality
    /// and timeliness of the output; such a project is usually rated 中 or 差 in review.
    ///
    /// ## Example
    /// ```text
    /// 1、1-产出指标；12-质量指标；维修维护响应率；年度指标值：不低于95%。
    /// ```
    ///
    /// ## Regulation
    /// Heuristic; reviewers expect indicators across every 一级 (财预〔2015〕88号). Set the number
    /// with `[rules.I005] min = 4`.
    ///
    /// ## Known problems
    /// Very small projects may reasonably have few indicators.
    pub struct TooFewIndicators => "I005";
}

impl Rule for TooFewIndicators {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let min = cx.settings.number(Self::CODE, "min", 3.0).max(0.0).ceil() as usize;
        // A cut copy holds only part of a project's indicators.
        if projects.document().truncation.is_some() {
            return;
        }
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            let count = project.indicators.len();
            if count >= min {
                continue;
            }
            let message = if count == 0 {
                format!("项目“{}”没有任何绩效指标", project.name.text)
            } else {
                format!(
                    "项目“{}”只有 {count} 个绩效指标，少于 {min} 个",
                    project.name.text
                )
            };
            out.push(super::project_finding(
                Self::CODE,
                unit,
                project,
                message,
                "按产出（数量、质量、时效、成本）、效益和满意度补充指标，使每个方面至少有一个可衡量的指标。",
            ));
        }
    }
}
