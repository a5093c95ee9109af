use jixiao_model::Indicator;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
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

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let min_length = cx.settings.number(Self::CODE, "min_length", 4.0).max(1.0) as usize;
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            let names: Vec<Name<'_>> = indexed
                .facts()
                .iter()
                .map(|f| Name::new(f.name_norm()))
                .collect();
            for (j, indicator) in project.indicators.iter().enumerate() {
                if names[j].text.is_empty() {
                    continue;
                }
                let Some(i) = (0..j).find(|&i| {
                    similar(names[i], names[j], min_length)
                        && (names[i].text == names[j].text
                            || !different_units(&project.indicators[i], indicator))
                }) else {
                    continue;
                };
                let first = &project.indicators[i];
                let how = if names[i].text == names[j].text {
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
    fn unit(i: &Indicator) -> Option<&str> {
        util::annual_quantity(i).and_then(|q| q.unit.as_deref())
    }
    matches!((unit(a), unit(b)), (Some(x), Some(y)) if x != y)
}

/// A normalised name with its length in characters, which the comparisons need.
#[derive(Debug, Clone, Copy)]
struct Name<'a> {
    text: &'a str,
    chars: usize,
}

impl<'a> Name<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            chars: text.chars().count(),
        }
    }
}

fn similar(a: Name<'_>, b: Name<'_>, min_length: usize) -> bool {
    if a.text.is_empty() || b.text.is_empty() {
        return false;
    }
    if a.text == b.text {
        return true;
    }
    let (short, long) = if a.chars <= b.chars { (a, b) } else { (b, a) };
    // UTF-8 is self-synchronising, so a byte match is a match of whole characters.
    // One name inside the other is a duplicate when little is added (`资金到位率` and
    // `资金到位率（%）`); a name that only starts another (`服务周期`, `服务周期内空气质量`) is not.
    if short.chars >= min_length
        && long.chars - short.chars <= 3.max(short.chars / 3)
        && contains(long.text, short.text)
    {
        return true;
    }
    short.chars >= 6 && within_one_edit(short, long)
}

/// `str::contains` for names of a few dozen bytes, where building its searcher costs more than
/// comparing at every position.
fn contains(long: &str, short: &str) -> bool {
    let short = short.as_bytes();
    let (Some(first), Some(last)) = (short.first(), short.last()) else {
        return true;
    };
    // Every pair of names in a project is compared: look at the first and last byte (the last
    // byte of a CJK character varies most) before comparing the whole window.
    long.as_bytes()
        .windows(short.len())
        .any(|w| w.first() == Some(first) && w.last() == Some(last) && w == short)
}

/// True when `long` is `short` with one character changed or inserted; the two differ.
fn within_one_edit(short: Name<'_>, long: Name<'_>) -> bool {
    if long.chars - short.chars > 1 {
        return false;
    }
    let prefix: usize = short
        .text
        .chars()
        .zip(long.text.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (short_rest, long_rest) = (&short.text[prefix..], &long.text[prefix..]);
    if short.chars == long.chars {
        without_first(short_rest) == without_first(long_rest)
    } else {
        short_rest == without_first(long_rest)
    }
}

fn without_first(text: &str) -> &str {
    let mut chars = text.chars();
    chars.next();
    chars.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Name<'_> {
        Name::new(s)
    }

    #[test]
    fn nearly_the_same() {
        assert!(similar(name("培训人次"), name("培训人次"), 4));
        assert!(similar(name("培训人次"), name("全年培训人次"), 4));
        assert!(!similar(name("人次"), name("培训人次"), 4));
        assert!(similar(name("城乡居民参保率"), name("城镇居民参保率"), 4));
        assert!(!similar(
            name("投诉案件结案率"),
            name("投诉举报案件结案率x"),
            4
        ));
        assert!(!similar(name("学员满意度"), name("企业满意度"), 4));
    }
}
