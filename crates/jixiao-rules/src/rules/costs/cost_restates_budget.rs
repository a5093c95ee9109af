use jixiao_model::{Indicator, ValueKind};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a cost indicator whose annual value is just the project's 总计: a quantity in money
    /// (`元`, `千元`, `万元`, `亿元`, or a bare number with 万/亿) equal to the project's total once
    /// both are in the same unit (`≤35.4万元` on a 35.40 万元 project, `26.21万`, `262100元`).
    /// A cost indicator is one under 成本指标 (一级 `4`, 二级 `14` or `41`–`43`), or one whose name
    /// speaks of money (成本, 预算, 经费, 资金, 金额, 慰问金, 款, 费) and whose value is money
    /// (`一次性发放慰问金的金额：26.21万` on a 26.21 万元 project).
    ///
    /// ## Why is this bad?
    /// "Spend no more than the budget" is true of every project and says nothing about what the
    /// work costs. A cost indicator should give a unit cost or standard (`人均培训成本≤1500元/人`)
    /// that lets the reviewer judge whether the budget is reasonable.
    ///
    /// ## Example
    /// ```text
    /// 培训基地运作经费	35.40	…	1、…成本指标；控制在批复资金内；年度指标值：≤35.4万元。
    /// ```
    ///
    /// ## Regulation
    /// 中发〔2018〕34号 and 财预〔2021〕101号 on cost indicators; review practice (DOMAIN.md §4
    /// "Not inputs": a cost indicator that only restates the budget says nothing).
    ///
    /// ## Known problems
    /// Only the 总计 is compared; a cost indicator restating only the 财政拨款 part is not reported.
    /// Tables that give no amount unit are read as 万元.
    pub struct CostRestatesBudget => "C002";
}

impl Rule for CostRestatesBudget {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let document = projects.document();
        let yuan_per_amount = match document.amount_unit.as_ref().map(|t| t.text.trim()) {
            Some(unit) if unit.contains("万") => Decimal::from(10_000),
            Some(unit) if unit.contains("千") => Decimal::from(1_000),
            Some(unit) if unit.contains("亿") => Decimal::from(100_000_000),
            Some(unit) if unit.contains('元') => Decimal::ONE,
            _ => Decimal::from(10_000),
        };
        let amount_unit = document
            .amount_unit
            .as_ref()
            .map_or("万元", |t| t.text.trim());
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            let Some(total) = &project.amounts.total else {
                continue;
            };
            if total.value <= Decimal::ZERO {
                continue;
            }
            let total_yuan = total.value * yuan_per_amount;
            for indicator in &project.indicators {
                let Some(value) = &indicator.annual else {
                    continue;
                };
                let ValueKind::Quantitative(quantity) = &value.kind else {
                    continue;
                };
                let Some(yuan) = util::quantity_in_yuan(quantity) else {
                    continue;
                };
                if yuan != total_yuan || !is_cost(indicator) {
                    continue;
                }
                out.push(
                    Finding::new(
                        Self::CODE,
                        value.span.clone(),
                        format!(
                            "{}“{}”的指标值“{}”就是项目总计 {}{}，只是重复预算金额",
                            if util::is_cost_indicator(indicator) { "成本指标" } else { "指标" },
                            indicator.name.text,
                            value.raw,
                            total.raw,
                            // `250万` already says its unit.
                            if total.raw.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
                                format!(" {amount_unit}")
                            } else {
                                String::new()
                            }
                        ),
                        "改为单位成本或开支标准（如“人均培训成本≤1500元/人”“每场活动经费≤2万元”），说明钱花在哪里、花得是否合理。",
                    )
                    .in_project(&unit.name.text, &project.name.text)
                    .at_indicator(indicator.seq),
                );
            }
        }
    }
}

/// A cost indicator in either framework, or one whose name speaks of cost, budget or funds.
fn is_cost(indicator: &Indicator) -> bool {
    util::is_cost_indicator(indicator)
        || ["成本", "预算", "经费", "金", "款", "费"]
            .iter()
            .any(|w| indicator.name.text.contains(w))
}
