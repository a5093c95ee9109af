use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project that has indicators but no 产出指标 (一级 code `1`, or a 二级 under it).
    ///
    /// ## Why is this bad?
    /// 产出指标 say what the money buys: how many, how well, how soon, at what cost. Without them
    /// neither the monitoring during the year nor the self-evaluation has anything to measure the
    /// work against, and the 产出 share of the self-evaluation score (50 points) cannot be earned.
    ///
    /// ## Example
    /// ```text
    /// 1、效益指标：参保意愿加强，年度指标值：…。2、满意度指标：群众满意度，年度指标值：≥90%。
    /// ```
    /// Add at least a 数量 and a 质量 or 时效 indicator, e.g. `产出指标：培训人次，年度指标值：≥300人次`.
    ///
    /// ## Regulation
    /// 财预〔2015〕88号 and 财预〔2020〕10号: indicators must cover 产出 and 效益.
    ///
    /// ## Known problems
    /// Indicators whose 一级 could not be read (no category in the table and no code) do not count
    /// as 产出, so a table that omits the 一级 column entirely is reported for every project.
    pub struct MissingOutput => "I001";
}

impl Rule for MissingOutput {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        super::missing_family(
            projects,
            Self::CODE,
            "1",
            "产出指标",
            "补充产出指标，写明数量（如“培训人次≥300人次”）、质量（如“验收合格率≥95%”）和时效（如“11月30日前完成”）。",
            out,
        );
    }
}
