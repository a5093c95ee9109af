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
    /// ## 检查什么
    /// 报告高于100%或低于0%的百分比目标；名称表示增长的（`增长`、`增幅`、`提高`、`同比`、`环比`等；选项`growth_words`）除外，增长率可以超过100%。
    ///
    /// ## 为什么是问题
    /// 部分不可能大于整体：`完成率 ≥120%`或`覆盖率 -5%`是录入错误，或是把数量写成了百分比，照这样写目标无法评价。
    ///
    /// ## 示例
    /// ```text
    /// 1、1-产出指标；12-质量指标；验收合格率；年度指标值：≥950%。
    /// ```
    /// 写`≥95%`。
    ///
    /// ## 依据
    /// 经验规则，无明文规定。
    ///
    /// ## 已知局限
    /// 少数比率可以合理地超过100%（以百分比表示的资金放大倍数、超额完成率）；可在名称中用表示增长的词，或设置`growth_words`。
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
