use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project that has indicators but no 满意度指标 (一级 code `3`, or a 二级 under it).
    ///
    /// ## Why is this bad?
    /// Where a project serves people (trainees, insured residents, enterprises), their satisfaction
    /// is the direct check on whether the service reached them; the 满意度 share of the
    /// self-evaluation score (10 points) cannot be earned without it.
    ///
    /// ## Example
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥300人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// Add e.g. `满意度指标：培训学员满意度，年度指标值：≥90%`.
    ///
    /// ## Regulation
    /// 财预〔2015〕88号: 满意度指标 where the project has service recipients (服务对象).
    ///
    /// ## Known problems
    /// Projects without service recipients (internal system maintenance, transfers between
    /// government levels) need no 满意度指标 and are still reported; ignore the finding there.
    pub struct MissingSatisfaction => "I003";
}

impl Rule for MissingSatisfaction {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        super::missing_family(
            projects,
            Self::CODE,
            "3",
            "满意度指标",
            "项目有服务对象的，补充满意度指标（如“服务对象满意度≥90%”）；确无服务对象的可忽略。",
            out,
        );
    }
}
