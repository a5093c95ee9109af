use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project that has indicators but no 效益指标 (一级 code `2`, or a 二级 under it).
    ///
    /// ## Why is this bad?
    /// 效益指标 say what changes because the work was done (社会效益, 经济效益, 生态效益, 可持续影响).
    /// A project measured only by its outputs, or only by money spent, cannot show it was worth
    /// funding, and the 效益 share of the self-evaluation score (30 points) cannot be earned.
    ///
    /// ## Example
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥300人次。2、产出指标：资金拨付及时率，年度指标值：100%。
    /// ```
    /// Add an effect, e.g. `效益指标：培训后就业率，年度指标值：≥80%`.
    ///
    /// ## Regulation
    /// 财预〔2015〕88号 and 财预〔2020〕10号: indicators must cover 产出 and 效益.
    ///
    /// ## Known problems
    /// Indicators whose 一级 could not be read do not count as 效益.
    pub struct MissingEffect => "I002";
}

impl Rule for MissingEffect {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        super::missing_family(
            projects,
            Self::CODE,
            "2",
            "效益指标",
            "补充效益指标，说明项目实施后带来的社会、经济、生态效益或可持续影响，并尽量量化（如“培训后就业率≥80%”）。",
            out,
        );
    }
}
