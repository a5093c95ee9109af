use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告有指标、但在新旧两种指标框架下都没有成本指标的项目：既没有一级成本指标（代码`4`，新框架），也没有二级成本指标（产出下的代码`14`，或`41`–`43`）。jixiao推断出的二级（例如由含“标准”的名称或以元计的指标值推断为成本）也算。
    ///
    /// ## 为什么是问题
    /// 成本指标（单位成本、标准、成本控制）让审核人能判断预算与承诺的产出是否相称；全成本预算绩效管理要求设置成本指标。
    ///
    /// ## 示例
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥300人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// 增加例如`产出指标：人均培训成本，年度指标值：≤1500元/人`。
    ///
    /// ## 依据
    /// 中发〔2018〕34号（全面实施预算绩效管理）：成本是绩效目标的组成部分；财预〔2021〕101号将成本指标单列为一级指标。
    ///
    /// ## 已知局限
    /// 较早的地方模板不要求成本指标，因此在较早的表上大多数项目都会被报告；本规则默认级别为提示（`info`）。
    pub struct MissingCost => "I004";
}

impl Rule for MissingCost {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        // A cut copy lost the rows above or below the cut.
        if projects.document().truncation.is_some() {
            return;
        }
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            if project.indicators.is_empty() || indexed.has_cost() {
                continue;
            }
            out.push(super::project_finding(
                Self::CODE,
                unit,
                project,
                super::lacking(project, "成本指标"),
                "补充成本指标，如单位成本或补助标准（“人均培训成本≤1500元/人”），说明预算与产出的对应关系。",
            ));
        }
    }
}
