use jixiao_model::{Indicator, ValueKind};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告年度指标值只是照抄项目总计的成本指标：指标值是一个金额（`元`、`千元`、`万元`、`亿元`，或带万、亿的裸数字），换算为同一单位后等于项目总计（如总计35.40万元的项目写`≤35.4万元`，以及`26.21万`、`262100元`）。成本指标指成本指标类下的指标（一级`4`，二级`14`或`41`–`43`），或名称涉及资金（成本、预算、经费、资金、金额、慰问金、款、费）且指标值为金额的指标（总计26.21万元的项目写`一次性发放慰问金的金额：26.21万`）。
    ///
    /// ## 为什么是问题
    /// “不超出预算”对每个项目都成立，说明不了这项工作要花多少钱。成本指标应给出单位成本或标准（`人均培训成本≤1500元/人`），让审核人能据此判断预算是否合理。
    ///
    /// ## 示例
    /// ```text
    /// 培训基地运作经费	35.40	…	1、…成本指标；控制在批复资金内；年度指标值：≤35.4万元。
    /// ```
    ///
    /// ## 依据
    /// 中发〔2018〕34号和财预〔2021〕101号关于成本指标的要求；审核实务（DOMAIN.md §4“不以投入代替产出”：只重复预算金额的成本指标没有提供任何信息）。
    ///
    /// ## 已知局限
    /// 只与总计比较；只重复财政拨款部分的成本指标不报告。未注明金额单位的表按万元读取。
    pub struct CostRestatesBudget => "C002";
}

impl Rule for CostRestatesBudget {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let document = projects.document();
        let yuan_per_amount = util::yuan_per_amount(document);
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
