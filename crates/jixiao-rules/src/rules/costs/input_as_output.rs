use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words naming money moved rather than work done.
const DEFAULT_WORDS: &[&str] = &[
    "资金下达",
    "资金拨付",
    "资金到位",
    "发放资金",
    "预算执行率",
    "资金使用率",
    "资金支付",
    "拨付率",
    "到位率",
    "执行率",
];

/// Words that make a name about money; a listed word without one (`到位率`, `执行率`) matches only
/// a name that has one (`补贴资金支付到位率`, not `编外人员到位率`).
const MONEY_WORDS: &[&str] = &[
    "资金", "经费", "预算", "拨付", "支付", "下达", "款", "金", "费", "补贴", "补助",
];

fn is_money_word(word: &str) -> bool {
    MONEY_WORDS.iter().any(|m| word.contains(m))
}

declare_rule! {
    /// ## 检查什么
    /// 报告产出指标或效益指标中名称讲的是资金流转的指标：资金下达、资金拨付、资金到位、发放资金、预算执行率等（选项`words`）。所列词语本身不涉及资金的（`到位率`、`执行率`），只在名称涉及资金时才算命中（命中`补贴资金支付到位率`，不命中`编外人员到位率`、`计划执行率`）。
    ///
    /// ## 为什么是问题
    /// 下达、拨付或花出资金是投入，而不是资金带来的结果。`资金下达完成率 100%`这样的“产出”，资金一拨付就算完成，不论项目拿这笔钱做了什么；而预算执行率在绩效自评中已单独计分（10分）。
    ///
    /// ## 示例
    /// ```text
    /// 4、产出指标：资金下达完成率，年度指标值：100%。
    /// ```
    /// 改为这笔钱所购买的产出：`参保扩面任务完成率 ≥95%`、`经办人员培训人次 ≥50人次`。
    ///
    /// ## 依据
    /// 财预〔2020〕10号及审核实务：产出衡量的是提供的产品和服务；资金类指标属于预算执行（DOMAIN.md §4“不以投入代替产出”）。
    ///
    /// ## 已知局限
    /// 以发放资金为根本目的的项目（代为发放的补贴）可以合理地考核发放是否及时（`补贴发放及时率`）；本规则只匹配所列词语，因此这类指标不报告，但其中的`资金拨付及时率`仍会报告。
    pub struct InputAsOutput => "C001";
}

impl Rule for InputAsOutput {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let words = cx.word_set(Self::CODE, "words", DEFAULT_WORDS);
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            for (indicator, facts) in indexed.indicators() {
                let family = match util::family_code(indicator) {
                    Some("1") => "产出指标",
                    Some("2") => "效益指标",
                    _ => continue,
                };
                let key = &facts.name_key;
                // One scan rules out most names; the list order still decides which word is named.
                if !words.contains_any(key) {
                    continue;
                }
                let Some(word) = words.words().iter().find(|w| {
                    key.contains(w.as_str())
                        && (is_money_word(w) || MONEY_WORDS.iter().any(|m| key.contains(m)))
                }) else {
                    continue;
                };
                let value = indicator
                    .annual
                    .as_ref()
                    .map(|v| format!("（{}）", v.raw))
                    .unwrap_or_default();
                out.push(
                    Finding::new(
                        Self::CODE,
                        indicator.name.span.clone(),
                        format!(
                            "{family}“{}”{value}衡量的是资金的下达、拨付或使用（含“{word}”），是投入而不是{}",
                            indicator.name.text,
                            if family == "产出指标" { "产出" } else { "效益" }
                        ),
                        "改用资金所购买的工作或服务来衡量（如完成数量、质量、时效），资金执行情况由预算执行率另行评价。",
                    )
                    .in_project(&unit.name.text, &project.name.text)
                    .at_indicator(indicator.seq),
                );
            }
        }
    }
}
