use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告有指标、但没有产出指标（一级代码`1`，或其下的二级）的项目。
    ///
    /// ## 为什么是问题
    /// 产出指标说明资金买到了什么：多少、多好、多快、花多少钱。没有产出指标，年中监控和绩效自评都没有衡量工作的尺度，绩效自评中产出部分的分值（50分）也无从取得。
    ///
    /// ## 示例
    /// ```text
    /// 1、效益指标：参保意愿加强，年度指标值：…。2、满意度指标：群众满意度，年度指标值：≥90%。
    /// ```
    /// 至少增加一个数量指标，以及一个质量或时效指标，例如`产出指标：培训人次，年度指标值：≥300人次`。
    ///
    /// ## 依据
    /// 财预〔2015〕88号和财预〔2020〕10号：指标须涵盖产出和效益。
    ///
    /// ## 已知局限
    /// 一级无法读取的指标（表中既无类别也无代码）不计为产出指标，因此完全省略一级栏的表，每个项目都会被报告。
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
