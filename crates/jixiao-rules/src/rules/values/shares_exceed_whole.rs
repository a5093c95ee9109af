use std::sync::LazyLock;

use jixiao_model::Document;
use memchr::memmem;
use rust_decimal::Decimal;

use super::for_each_text;
use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告一段文字（绩效目标、指标名称或指标值）中分成几部分的同一个整体，各部分所占的百分比加起来超过 100%：在一句话里“其中”之后，有两处以上“占……%”，其和大于 100%（容差 0.5 个百分点）。
    ///
    /// ## 为什么是问题
    /// 同一整体的各部分之和不能超过整体：`其中城区占40%，农村占50%，山区占20%`合计 110%，至少有一个比例写错了，按这些比例分配的资金或任务也无从执行。
    ///
    /// ## 示例
    /// ```text
    /// 完成改造1000户，其中城区占40%，农村占50%，山区占20%。
    /// ```
    /// 核对各部分的比例，使它们合计不超过 100%。
    ///
    /// ## 依据
    /// 算术：同一整体的各组成部分之和等于整体。经验规则：绩效目标应清晰、可衡量（财预〔2015〕88号）。
    ///
    /// ## 已知局限
    /// 只看同一句中“其中”之后的“占……%”；各部分不在一句话里，或分列在几个指标中（兄弟指标的占比之和），不报告。句中有`≤`、`不超过`、`以内`等上限写法时不报告（几个上限之和可以超过 100%）；句中的几处“占”指的是不同整体时（少见）可能误报。
    pub struct SharesExceedWhole => "V011";
}

impl Rule for SharesExceedWhole {
    rule_meta!();

    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_text(document, |t| {
            if t.repeats_annual() {
                return;
            }
            let Some((shares, sum)) = shares_over_whole(t.text) else {
                return;
            };
            let parts: Vec<String> = shares.iter().map(|s| format!("{s}%")).collect();
            out.push(t.finding(
                Self::CODE,
                format!(
                    "{}中“其中”之后各部分所占比例 {} 合计 {sum}%，超过 100%",
                    t.label,
                    parts.join(" + ")
                ),
                "核对各部分的比例，使同一整体的各部分合计不超过 100%。",
            ));
        });
    }
}

/// Words that make a share a bound rather than a part (`占比≤60%`, `不超过`): several bounds may
/// add up to more than the whole.
const BOUNDS: [&str; 9] = [
    "≤",
    "<",
    "＜",
    "不超过",
    "不高于",
    "不大于",
    "以内",
    "以下",
    "最多",
];

/// The shares after `其中` in one sentence of `text`, when there are two or more and they add up
/// to more than 100.5 %, with their sum.
fn shares_over_whole(text: &str) -> Option<(Vec<Decimal>, Decimal)> {
    // Most texts hold no `其中`: one substring search instead of splitting every text into
    // sentences (this rule was a sixth of `check`'s instructions on the seeds), with a searcher
    // built once rather than per text as `str::contains` builds one.
    static QIZHONG: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("其中"));
    QIZHONG.find(text.as_bytes())?;
    let limit = Decimal::new(1005, 1);
    for sentence in text.split(['。', '；', ';', '\n']) {
        let Some(at) = sentence.find("其中") else {
            continue;
        };
        let rest = &sentence[at..];
        if BOUNDS.iter().any(|b| rest.contains(b)) {
            continue;
        }
        let shares = shares_in(rest);
        if shares.len() < 2 {
            continue;
        }
        let sum: Decimal = shares.iter().sum();
        if sum > limit {
            return Some((shares, sum.normalize()));
        }
    }
    None
}

/// What may stand between `占` and its number (`占比`, `占总数的`, `占投资总额的比例为`): a
/// change (`占比提高60%`) is not a share.
const SHARE_WORDS: &str = "比例重为约达到总数额量的人资金全部投入计划任务";

/// Each `占` followed, within a few of [`SHARE_WORDS`], by a number and `%`.
fn shares_in(text: &str) -> Vec<Decimal> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('占') {
        let after = &text[at + '占'.len_utf8()..];
        let mut number = String::new();
        let mut between = 0;
        let mut chars = after.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() || (c == '.' && !number.is_empty()) {
                number.push(c);
                chars.next();
            } else if !number.is_empty() {
                break;
            } else if between < 8 && SHARE_WORDS.contains(c) {
                between += 1;
                chars.next();
            } else {
                break;
            }
        }
        if matches!(chars.peek(), Some('%' | '％'))
            && let Ok(value) = number.trim_end_matches('.').parse::<Decimal>()
        {
            out.push(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shares_over_whole;

    fn sum(text: &str) -> Option<String> {
        shares_over_whole(text).map(|(_, sum)| sum.to_string())
    }

    #[test]
    fn parts_of_one_whole_that_add_up_past_it() {
        assert_eq!(
            sum("完成改造1000户，其中城区占40%，农村占50%，山区占20%。"),
            Some("110".to_owned())
        );
        assert_eq!(sum("其中中央资金占比60.5%，地方资金占比40%"), None);
        assert_eq!(
            sum("其中中央资金占比61%，地方资金占比40%"),
            Some("101".to_owned())
        );
    }

    #[test]
    fn shares_that_hold_or_are_bounds_or_apart_are_left_alone() {
        assert_eq!(sum("其中城区占40%，农村占60%。"), None);
        assert_eq!(sum("其中城区占比≤60%，农村占比≤60%。"), None);
        assert_eq!(sum("城区占60%，农村占60%。"), None);
        assert_eq!(sum("其中城区占60%。农村占60%。"), None);
        assert_eq!(sum("其中女性占60%"), None);
        assert_eq!(
            sum("其中困难群众占总人数的比例提高60%以上，老人占70%"),
            None
        );
        assert_eq!(
            sum("其中困难群众占总人数的比例为60%，老人占总数的70%"),
            Some("130".to_owned())
        );
    }
}
