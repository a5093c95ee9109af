use std::sync::LazyLock;

use jixiao_model::{Comparator, Document, Indicator};
use memchr::memmem;
use rust_decimal::Decimal;

use super::Texts;
use crate::Finding;
use crate::engine::Context;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告一段文字（绩效目标、指标名称或指标值）中分成几部分的同一个整体，各部分所占的百分比加起来超过 100%：在一句话里“其中”之后，有两处以上“占……%”，其和大于 100%（容差 0.5 个百分点）。
    ///
    /// 也报告同一项目、同一二级指标下分列为几个指标的同一整体的各部分：名称写明了是同一整体的份额（`专项资金用于A的比例`、`专项资金用于B的比例`；`A占补助资金比例`、`B占补助资金比例`，整体相同而部分不同），目标都是百分比，合计超过 100%。`占……比例`的只认确定的份额（`=60%`、`60%`）；`用于……的比例`是同一笔钱的分配，下限（`≥60%`、`≥50%`）也不能同时成立，一并报告。
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
    /// 一段文字中只看同一句中“其中”之后的“占……%”；分列在几个指标中的，只认名称为`整体用于部分的比例`或`部分占整体(的)比例`/`比重`、整体写法完全相同的（`合格率`、`覆盖率`、`满意度`等各自独立的比率，以及只写`占比`而不说整体的，不报告）。`占`的各部分互相重叠时（`女性占参训人员比例 =60%`与`农村学员占参训人员比例 =70%`）会误报。句中有`≤`、`不超过`、`以内`等上限写法时不报告（几个上限之和可以超过 100%）；句中的几处“占”指的是不同整体时（少见）可能误报。
    pub struct SharesExceedWhole => "V011";
}

impl Rule for SharesExceedWhole {
    rule_meta!();

    fn reads_texts(&self) -> bool {
        true
    }

    fn check_texts(&self, texts: &Texts<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        // Most texts hold no `其中`: one search of the texts joined finds those that do.
        let with_qizhong = texts
            .joined()
            .hit(QIZHONG.find_iter(texts.joined().bytes()));
        for (t, _) in texts
            .list()
            .iter()
            .zip(with_qizhong)
            .filter(|(_, hit)| *hit)
        {
            let Some((shares, sum)) = shares_over_whole(t.text) else {
                continue;
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
        }
    }

    // Called after `check_texts`: the findings of shares within one text come first.
    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (unit, project) in document.projects() {
            for group in sibling_shares(&project.indicators) {
                let Some(last) = group.last() else {
                    continue;
                };
                let sum: Decimal = group.iter().map(|s| s.share).sum();
                let parts: Vec<String> = group
                    .iter()
                    .map(|s| format!("“{}”{}", s.indicator.name.text.trim(), s.raw))
                    .collect();
                out.push(
                    Finding::new(
                        Self::CODE,
                        last.indicator.name.span.clone(),
                        format!(
                            "指标{}都是“{}”的份额，合计 {}%，超过 100%",
                            parts.join("、"),
                            last.whole,
                            sum.normalize()
                        ),
                        "核对各部分的比例，使同一整体的各部分合计不超过 100%。",
                    )
                    .in_project(&unit.name.text, &project.name.text)
                    .at_indicator(last.indicator.seq),
                );
            }
        }
    }
}

/// One indicator that names itself a share of a whole, with its target share.
#[derive(Clone, Copy)]
struct Sibling<'a> {
    indicator: &'a Indicator,
    whole: &'a str,
    part: &'a str,
    share: Decimal,
    raw: &'a str,
}

/// Groups of two or more indicators of one 二级 (as given or inferred) that are shares of the same
/// whole, different parts, and whose shares add up to more than 100.5 %.
fn sibling_shares(indicators: &[Indicator]) -> Vec<Vec<Sibling<'_>>> {
    let mut siblings: Vec<(Option<&str>, Sibling<'_>)> = Vec::new();
    for indicator in indicators {
        let Some((whole, part, allocation)) = share_name(&indicator.name.text) else {
            continue;
        };
        let Some(quantity) = util::annual_quantity(indicator) else {
            continue;
        };
        if quantity.unit.as_deref().map(str::trim) != Some("%") || quantity.scale.is_some() {
            continue;
        }
        // An exact share; a floor too for an allocation of one sum (`用于A的比例 ≥60%`).
        let fits = match quantity.comparator {
            None | Some(Comparator::Eq) => true,
            Some(Comparator::Ge | Comparator::Gt) => allocation,
            _ => false,
        };
        if !fits {
            continue;
        }
        siblings.push((
            util::level2_code(indicator),
            Sibling {
                indicator,
                whole,
                part,
                share: quantity.number,
                raw: indicator.annual.as_ref().map_or("", |v| v.raw.trim()),
            },
        ));
    }
    let mut groups: Vec<Vec<Sibling<'_>>> = Vec::new();
    let mut taken = vec![false; siblings.len()];
    let limit = Decimal::new(1005, 1);
    for i in 0..siblings.len() {
        if taken[i] {
            continue;
        }
        let (level2, first) = &siblings[i];
        let members: Vec<usize> = (i..siblings.len())
            .filter(|&j| {
                let (other_level2, other) = &siblings[j];
                !taken[j] && other_level2 == level2 && other.whole == first.whole
            })
            .collect();
        let mut parts: Vec<&str> = members.iter().map(|&j| siblings[j].1.part).collect();
        parts.sort_unstable();
        parts.dedup();
        for &j in &members {
            taken[j] = true;
        }
        // The same part twice is a duplicate (I006), not two parts.
        if parts.len() < 2 || parts.len() != members.len() {
            continue;
        }
        let sum: Decimal = members.iter().map(|&j| siblings[j].1.share).sum();
        if sum > limit {
            groups.push(members.iter().map(|&j| siblings[j].1).collect());
        }
    }
    groups
}

/// Endings that make a name a share (`比例`, `的比重`).
const SHARE_ENDINGS: [&str; 6] = ["的比例", "的比重", "的占比", "比例", "比重", "百分比"];

/// The whole and the part a name gives a share of, and whether it is an allocation of one sum:
/// `专项资金用于A的比例` → (`专项资金`, `A`, true); `A占补助资金比例` → (`补助资金`, `A`, false).
/// `None` for any other name (`合格率`, `A占比`, a bare `比例`).
fn share_name(name: &str) -> Option<(&str, &str, bool)> {
    // Every ending has `比`: most names have none, and are ruled out before any trimming.
    if !util::has(name, "比") {
        return None;
    }
    let name = name
        .trim()
        .trim_end_matches(['(', '（', '%', '％', ')', '）'])
        .trim_end();
    let stem = SHARE_ENDINGS.iter().find_map(|e| name.strip_suffix(e))?;
    let two = |s: &str| s.chars().count() >= 2;
    if let Some((whole, part)) = stem.split_once("用于") {
        return (two(whole) && !part.is_empty() && !part.contains('占'))
            .then_some((whole, part, true));
    }
    let (part, whole) = stem.split_once('占')?;
    (two(whole) && !part.is_empty()).then_some((whole, part, false))
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

/// A searcher for `其中` built once rather than per text, as `str::contains` builds one.
static QIZHONG: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("其中"));

/// The shares after `其中` in one sentence of `text`, when there are two or more and they add up
/// to more than 100.5 %, with their sum.
fn shares_over_whole(text: &str) -> Option<(Vec<Decimal>, Decimal)> {
    // Most texts hold no `其中`: one substring search instead of splitting every text into
    // sentences (this rule was a sixth of `check`'s instructions on the seeds).
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
    use super::{share_name, shares_over_whole};

    #[test]
    fn names_of_shares_of_one_whole() {
        assert_eq!(
            share_name("专项资金用于设备购置的比例"),
            Some(("专项资金", "设备购置", true))
        );
        assert_eq!(
            share_name("农村学员占参训人员比例(%)"),
            Some(("参训人员", "农村学员", false))
        );
        assert_eq!(
            share_name("劳务报酬占中央投资比例"),
            Some(("中央投资", "劳务报酬", false))
        );
        assert_eq!(share_name("培训合格率"), None);
        assert_eq!(share_name("服务覆盖率"), None);
        assert_eq!(share_name("女性学员占比"), None);
        assert_eq!(share_name("证书获取比例"), None);
        assert_eq!(share_name("资金用于比例"), None);
    }

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
