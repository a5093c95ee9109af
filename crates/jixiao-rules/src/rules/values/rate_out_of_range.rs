use rust_decimal::Decimal;

use super::{for_each_target, quantities};
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words that make a name a growth rate, which may exceed 100% (option `growth_words`).
const GROWTH_WORDS: &[&str] = &[
    "增长", "增幅", "增速", "提高", "提升", "同比", "环比", "增加",
];

declare_rule! {
    /// ## What it does
    /// Reports a percentage target above 100% or below 0%, unless the name is a growth rate
    /// (`增长`, `增幅`, `提高`, `同比`, `环比`…; option `growth_words`), which may exceed 100%.
    ///
    /// ## Why is this bad?
    /// A share of something cannot exceed the whole: `完成率 ≥120%` or `覆盖率 -5%` is a typing
    /// error or a count written as a percentage, and the target cannot be evaluated as written.
    ///
    /// ## Example
    /// ```text
    /// 1、1-产出指标；12-质量指标；验收合格率；年度指标值：≥950%。
    /// ```
    /// Write `≥95%`.
    ///
    /// ## Regulation
    /// Heuristic.
    ///
    /// ## Known problems
    /// A few ratios legitimately exceed 100% (资金放大倍数 written as a percentage, 超额完成率); name
    /// them with a growth word or set `growth_words`.
    pub struct RateOutOfRange => "V004";
}

impl Rule for RateOutOfRange {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let growth = cx.word_set(Self::CODE, "growth_words", GROWTH_WORDS);
        let hundred = Decimal::from(100);
        for_each_target(projects, |target| {
            let name = target.name();
            // Only for a finding: most values pass.
            let raw = || target.value.raw.trim().trim_end_matches('。');
            for q in quantities(target.value) {
                if !q.is_percent() {
                    continue;
                }
                let number = q.scaled_number();
                let message = if number < Decimal::ZERO {
                    format!("指标“{name}”的{}“{}”是负的百分比", target.label, raw())
                } else if number > hundred && !growth.contains_any(name) {
                    format!(
                        "指标“{name}”的{}“{}”超过100%，比率不会大于100%",
                        target.label,
                        raw()
                    )
                } else {
                    continue;
                };
                out.push(target.finding(
                    Self::CODE,
                    message,
                    "比率应在0%到100%之间，请核对数值；若考核的是增长幅度，请在指标名称中写明“增长率”。",
                ));
            }
        });
    }
}
