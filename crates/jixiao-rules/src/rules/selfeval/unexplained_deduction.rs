use jixiao_score::Method;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Instructions of the blank form left in the 偏差原因 cell (option `template_words`).
const TEMPLATE_WORDS: &[&str] = &[
    "结合自评情况",
    "偏差原因分析及改进措施",
    "请说明",
    "（必填）",
    "(必填)",
];

declare_rule! {
    /// ## 检查什么
    /// 报告得分低于分值、而偏差原因一栏为空，或只写了“无”“暂无”“无偏差”等套话（计分政策的`boilerplate_explanations`），或仍是表样说明文字（“结合自评情况，说明…”等，选项`template_words`）的指标。
    ///
    /// ## 为什么是问题
    /// 扣分说明目标没有完全实现。偏差原因分析是自评的目的：为什么没完成、下一步怎么改。只写“无”，扣分就没有依据，问题也不会被改进。
    ///
    /// ## 示例
    /// ```text
    /// 产出指标	质量指标	服务合格率	≥95%	93%	20	18	无
    /// ```
    /// 扣了2分，偏差原因却是“无”。
    ///
    /// ## 依据
    /// DOMAIN.md §5：得分低于满分的指标都须说明偏差原因，且不能只写“无”；财预〔2020〕10号的自评表设有“偏差原因分析及改进措施”一栏。
    ///
    /// ## 已知局限
    /// 定性指标的完成值与目标文字不同（如目标“明显提升”、完成“有所提升”）时不报告：完成值本身已写明差在哪里，按档扣分有裁量。没有完成值的指标由E005处理。偏差原因写在表后说明而不在本行时也会被报告。
    pub struct UnexplainedDeduction => "E009";
}

impl Rule for UnexplainedDeduction {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let templates = cx.word_set(Self::CODE, "template_words", TEMPLATE_WORDS);
        let boilerplate = &cx.settings.score_policy.indicators.boilerplate_explanations;
        for_each_scored(projects, cx, |scored| {
            for (indicator, line) in scored.indicator_lines() {
                let (Some(weight), Some(published)) = (line.weight, line.published) else {
                    continue;
                };
                if published >= weight || line.method == Method::NoActual {
                    continue;
                }
                let details = indicator.details.as_deref();
                // The words of a qualitative actual say how far it fell short.
                let words_tell = line.method == Method::Qualitative
                    && line.actual.as_deref() != line.target.as_deref();
                if words_tell {
                    continue;
                }
                let explanation = details
                    .and_then(|d| d.deviation.as_ref())
                    .map(|d| d.text.trim())
                    .unwrap_or_default();
                let empty = explanation.is_empty()
                    || boilerplate.iter().any(|b| b == explanation)
                    || templates.contains_any(explanation);
                if !empty {
                    continue;
                }
                let shown = if explanation.is_empty() {
                    "偏差原因为空".to_owned()
                } else {
                    format!("偏差原因只写了“{explanation}”")
                };
                out.push(scored.indicator_finding(
                    Self::CODE,
                    indicator,
                    format!(
                        "指标“{}”得分 {published} 低于分值 {weight}，{shown}",
                        line.name
                    ),
                    "说明未完成目标的具体原因和改进措施；若目标其实已完成，应改为满分。",
                ));
            }
        });
    }
}
