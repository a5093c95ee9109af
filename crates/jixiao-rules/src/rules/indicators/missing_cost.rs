use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project that has indicators but no cost indicator in either framework: no 一级
    /// 成本指标 (code `4`, newer framework) and no 二级 成本指标 (code `14` under 产出, or `41`–`43`).
    /// A 二级 that jixiao inferred (e.g. 成本 from a name with 标准 or a value in 元) counts.
    ///
    /// ## Why is this bad?
    /// Cost indicators (unit costs, standards, cost control) are what lets a reviewer judge whether
    /// the budget is reasonable for the outputs promised; full-cost budget performance management
    /// asks for them.
    ///
    /// ## Example
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥300人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// Add e.g. `产出指标：人均培训成本，年度指标值：≤1500元/人`.
    ///
    /// ## Regulation
    /// 中发〔2018〕34号 (全面实施预算绩效管理): 成本 is part of the target; 财预〔2021〕101号 makes
    /// 成本指标 its own 一级.
    ///
    /// ## Known problems
    /// Older local templates do not ask for cost indicators, so on older tables this fires on most
    /// projects; it is `info` by default.
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
                format!(
                    "项目“{}”的 {} 个指标中没有成本指标",
                    project.name.text,
                    project.indicators.len()
                ),
                "补充成本指标，如单位成本或补助标准（“人均培训成本≤1500元/人”），说明预算与产出的对应关系。",
            ));
        }
    }
}
