use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告指标个数少于选项`min`（默认3个）的项目，包括没有任何指标的项目。
    ///
    /// ## 为什么是问题
    /// 一两个指标无法同时涵盖产出、效益和满意度，更谈不上产出的数量、质量和时效；这样的项目在审核中通常被评为“中”或“差”。
    ///
    /// ## 示例
    /// ```text
    /// 1、1-产出指标；12-质量指标；维修维护响应率；年度指标值：不低于95%。
    /// ```
    ///
    /// ## 依据
    /// 经验规则；审核人期望每个一级都设有指标（财预〔2015〕88号）。个数可用`[rules.I005] min = 4`设定。
    ///
    /// ## 已知局限
    /// 规模很小的项目指标较少，可能是合理的。
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
