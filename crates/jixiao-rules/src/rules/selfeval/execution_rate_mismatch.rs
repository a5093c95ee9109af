use jixiao_score::formula;
use rust_decimal::Decimal;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 逐行核对自评表预算执行情况中公布的执行率是否等于“全年执行数 ÷ 全年预算数”（有调整后预算数时用调整后预算数，否则用年初预算数）。按公布的执行率所写的位数比较：四舍五入或截去到这一位后相等即可，`86.5%`对应86.48%不报告，`31.00%`对应31.08%报告。
    ///
    /// ## 为什么是问题
    /// 执行率决定预算执行得分（分值 × 执行率）。公布的执行率与表中自己的执行数、预算数算不出来，说明执行率是另抄、另算或手填的，得分也就失去了依据。
    ///
    /// ## 示例
    /// ```text
    /// 年度资金总额	148.00	46.00	31.00%
    /// ```
    /// 46 ÷ 148 = 31.08%，不是31.00%（第63号样表，宣城市农业农村局）。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评计分方法：执行率 = 全年执行数 ÷ 全年（调整后）预算数，预算执行得分 = 分值 × 执行率（DOMAIN.md §5；`docs/scoring.md` 第1节）。
    ///
    /// ## 已知局限
    /// 预算数为零的行不核对。执行率写成小数（`0.865`）时按它的位数换算为百分比后比较。表中数字因转存粘连而读错时，也会在这里表现为执行率不符，请对照原表。
    pub struct ExecutionRateMismatch => "E001";
}

impl Rule for ExecutionRateMismatch {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_scored(projects, cx, |scored| {
            let Some(evaluation) = scored.project.evaluation.as_deref() else {
                return;
            };
            for line in &evaluation.budget {
                let (Some(budget), Some(executed), Some(published)) = (
                    line.adjusted.as_ref().or(line.initial.as_ref()),
                    line.executed.as_ref(),
                    line.rate.as_ref(),
                ) else {
                    continue;
                };
                let Some(rate) = formula::execution_rate(executed.value, budget.value) else {
                    continue;
                };
                if formula::rate_as_shown(&published.text, rate) != Some(false) {
                    continue;
                }
                let computed = formula::round(rate * Decimal::ONE_HUNDRED, 2);
                out.push(scored.finding(
                    Self::CODE,
                    published.span.clone(),
                    format!(
                        "“{}”公布的执行率为 {}，但执行数 ÷ 预算数 = {} ÷ {} = {computed}%",
                        line.label.text.trim(),
                        published.text.trim(),
                        executed.raw,
                        budget.raw
                    ),
                    "按“全年执行数 ÷ 全年预算数”重新计算执行率，并据此重算预算执行得分。",
                ));
            }
        });
    }
}
