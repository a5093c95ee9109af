use rust_decimal::Decimal;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 核对预算执行分值与各指标分值（权重）之和是否等于满分（计分政策的`total`，默认100分；如预算执行10分加指标90分，湖北为20分加80分）。表中没有给预算执行分值时，指标分值之和应为满分减去政策的预算执行分值，或（预算执行不计分的地方，如宁夏）满分本身。
    ///
    /// ## 为什么是问题
    /// 分值合计不是满分，总分就不是百分制，等级（优 ≥ 90分等）也就没有意义；常见原因是漏了一行指标的分值，或某一行分值填错。
    ///
    /// ## 示例
    /// ```text
    /// 年度资金总额	100.00	120.00	108.00	10	90%	9
    /// 产出指标	数量指标	服务老人人数	≥500人	520人	20	20
    /// 产出指标	质量指标	服务合格率	≥95%	93%	25	23
    /// ```
    /// 10 + 20 + 25 + 30 + 20 = 105，不是100。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评表：满分100分，预算执行10分，产出、效益、满意度指标共90分；各地可调整分配，合计仍为100分（DOMAIN.md §5；`docs/scoring.md` 第10节的计分政策）。
    ///
    /// ## 已知局限
    /// 只在表格读全时核对：表格未被截断、每个指标都有分值、且公布了总分。一个项目的指标分在两张表里时不核对。
    pub struct WeightsNotTotal => "E008";
}

impl Rule for WeightsNotTotal {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if projects.document().truncation.is_some() {
            return;
        }
        let policy = &cx.settings.score_policy;
        for_each_scored(projects, cx, |scored| {
            let Some(evaluation) = scored.project.evaluation.as_deref() else {
                return;
            };
            // The published total is the sign that the table was read to its end.
            if evaluation.total_score.is_none() || scored.project.indicators.is_empty() {
                return;
            }
            let weights: Option<Decimal> = scored
                .project
                .indicators
                .iter()
                .map(|i| {
                    i.details
                        .as_deref()
                        .and_then(|d| d.weight.as_ref())
                        .map(|w| w.value)
                })
                .sum();
            let Some(indicators) = weights else {
                return;
            };
            let budget = evaluation
                .budget
                .iter()
                .find_map(|line| line.weight.as_ref())
                .map(|w| w.value);
            let holds = match budget {
                Some(budget) => budget + indicators == policy.total,
                None => {
                    indicators == policy.total || indicators + policy.budget.weight == policy.total
                }
            };
            if holds {
                return;
            }
            let message = match budget {
                Some(budget) => format!(
                    "预算执行分值 {} 与各指标分值合计 {} 之和为 {}，不是满分 {}",
                    budget.normalize(),
                    indicators.normalize(),
                    (budget + indicators).normalize(),
                    policy.total
                ),
                None => format!(
                    "各指标分值合计 {}，既不是满分 {}，也不是满分减去预算执行分值 {}",
                    indicators.normalize(),
                    policy.total,
                    (policy.total - policy.budget.weight).normalize()
                ),
            };
            out.push(scored.finding(
                Self::CODE,
                scored.project.span.clone(),
                message,
                "核对每一行的分值：预算执行与各指标分值之和应为满分（通常100分）。",
            ));
        });
    }
}
