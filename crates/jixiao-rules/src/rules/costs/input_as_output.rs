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
    /// ## What it does
    /// Reports an indicator under 产出指标 or 效益指标 whose name is about money being moved:
    /// 资金下达, 资金拨付, 资金到位, 发放资金, 预算执行率 and the like (option `words`). A listed word that
    /// does not itself speak of money (`到位率`, `执行率`) matches only names that do
    /// (`补贴资金支付到位率`, but not `编外人员到位率` or `计划执行率`).
    ///
    /// ## Why is this bad?
    /// Transferring or spending the money is the input, not what it achieves. An "output" of
    /// `资金下达完成率 100%` is met the moment the money is paid, whatever the project does with it,
    /// and budget execution is already scored separately in self-evaluation (预算执行率, 10 points).
    ///
    /// ## Example
    /// ```text
    /// 4、产出指标：资金下达完成率，年度指标值：100%。
    /// ```
    /// Replace it with what the money pays for: `参保扩面任务完成率 ≥95%`, `经办人员培训人次 ≥50人次`.
    ///
    /// ## Regulation
    /// 财预〔2020〕10号 and review practice: 产出 measures the goods and services delivered; money
    /// indicators belong to budget execution (DOMAIN.md §4 "Not inputs").
    ///
    /// ## Known problems
    /// Projects whose very purpose is paying money out (subsidies paid on behalf of others) may
    /// legitimately measure timely payment (`补贴发放及时率`); only the listed words are matched,
    /// so those are not reported, but a `资金拨付及时率` there is.
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
