use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告有指标、但没有满意度指标（一级代码`3`，或其下的二级）的项目。
    ///
    /// ## 为什么是问题
    /// 项目服务于人（参训学员、参保居民、企业）时，服务对象的满意度是检验服务是否真正惠及他们的直接手段；没有满意度指标，绩效自评中满意度部分的分值（10分）无从取得。
    ///
    /// ## 示例
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥300人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// 增加例如`满意度指标：培训学员满意度，年度指标值：≥90%`。
    ///
    /// ## 依据
    /// 财预〔2015〕88号：项目有服务对象的，应设置满意度指标。
    ///
    /// ## 已知局限
    /// 没有服务对象的项目（内部系统运维、政府间转移支付）不需要满意度指标，但仍会被报告；遇到时可忽略该问题。
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
