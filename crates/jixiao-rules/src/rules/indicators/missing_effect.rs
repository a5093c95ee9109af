use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告有指标、但没有效益指标（一级代码`2`，或其下的二级）的项目。
    ///
    /// ## 为什么是问题
    /// 效益指标说明工作完成后带来了什么变化（社会效益、经济效益、生态效益、可持续影响）。只用产出、或只用资金支出来衡量的项目，证明不了它值得安排资金，绩效自评中效益部分的分值（30分）也无从取得。
    ///
    /// ## 示例
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥300人次。2、产出指标：资金拨付及时率，年度指标值：100%。
    /// ```
    /// 增加效益指标，例如`效益指标：培训后就业率，年度指标值：≥80%`。
    ///
    /// ## 依据
    /// 财预〔2015〕88号和财预〔2020〕10号：指标须涵盖产出和效益。
    ///
    /// ## 已知局限
    /// 一级无法读取的指标不计为效益指标。
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
