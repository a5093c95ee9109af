use jixiao_model::{Document, Indicator};

use crate::Finding;
use crate::engine::Context;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports an indicator whose name is the same or nearly the same as an earlier indicator of
    /// the same project. Names are compared after removing spaces, quotes and punctuation;
    /// "nearly" means one contains the other and the shorter has at least `min_length` characters
    /// (default 4), or, for names of 6 or more characters, they differ by one character.
    /// The finding is at the later indicator and names the earlier one.
    ///
    /// ## Why is this bad?
    /// A repeated indicator pads the list without measuring anything new, and in self-evaluation
    /// the same result is scored twice.
    ///
    /// ## Example
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥100人次。…4、产出指标：培训人次，年度指标值：≥120人次。
    /// ```
    ///
    /// ## Regulation
    /// Heuristic; 财预〔2015〕88号 asks for indicators that are 细化、量化 and not overlapping.
    ///
    /// ## Known problems
    /// Names that differ by one character but count different things (`每年培训场数`, `每年培训人数`)
    /// are told apart only when their values carry different units. A count and its rate (`培训人次` and `培训人次完成率`) are nearly the same name but measure
    /// different things, and are reported.
    pub struct DuplicateIndicator => "I006";
}

impl Rule for DuplicateIndicator {
    rule_meta!();

    fn check_document(&self, document: &Document, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let min_length = cx.settings.number(Self::CODE, "min_length", 4.0).max(1.0) as usize;
        for (unit, project) in util::projects(document) {
            let names: Vec<Vec<char>> = project
                .indicators
                .iter()
                .map(|i| util::normalized(&i.name.text).chars().collect())
                .collect();
            for (j, indicator) in project.indicators.iter().enumerate() {
                if names[j].is_empty() {
                    continue;
                }
                let Some(i) = (0..j).find(|&i| {
                    similar(&names[i], &names[j], min_length)
                        && (names[i] == names[j]
                            || !different_units(&project.indicators[i], indicator))
                }) else {
                    continue;
                };
                let first = &project.indicators[i];
                let how = if names[i] == names[j] {
                    "相同"
                } else {
                    "几乎相同"
                };
                out.push(
                    Finding::new(
                        Self::CODE,
                        indicator.name.span.clone(),
                        format!(
                            "第{}个指标“{}”与第{}个指标“{}”名称{how}",
                            indicator.seq, indicator.name.text, first.seq, first.name.text
                        ),
                        "删除重复的指标，或改写名称并写明各自衡量的不同内容。",
                    )
                    .in_project(&unit.name.text, &project.name.text)
                    .at_indicator(indicator.seq),
                );
            }
        }
    }
}

/// True when both annual values are quantities with different units (`≥8场` and `≥200人`): the
/// names then differ in what they count, however close they look.
fn different_units(a: &Indicator, b: &Indicator) -> bool {
    let unit = |i: &Indicator| util::annual_quantity(i).and_then(|q| q.unit.clone());
    matches!((unit(a), unit(b)), (Some(x), Some(y)) if x != y)
}

fn similar(a: &[char], b: &[char], min_length: usize) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= min_length && long.windows(short.len()).any(|w| w == short) {
        return true;
    }
    short.len() >= 6 && within_one_edit(short, long)
}

/// True when `long` can be made from `short` by one insertion or one substitution.
fn within_one_edit(short: &[char], long: &[char]) -> bool {
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn nearly_the_same() {
        assert!(similar(&chars("培训人次"), &chars("培训人次"), 4));
        assert!(similar(&chars("培训人次"), &chars("全年培训人次"), 4));
        assert!(!similar(&chars("人次"), &chars("培训人次"), 4));
        assert!(similar(
            &chars("城乡居民参保率"),
            &chars("城镇居民参保率"),
            4
        ));
        assert!(!similar(
            &chars("投诉案件结案率"),
            &chars("投诉举报案件结案率x"),
            4
        ));
        assert!(!similar(&chars("学员满意度"), &chars("企业满意度"), 4));
    }
}
