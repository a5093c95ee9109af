use jixiao_model::Indicator;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告名称与本项目前面某个指标相同或几乎相同的指标。名称在去除空格、引号和标点后比较；“几乎相同”指一个包含另一个且较短的至少有`min_length`个字（默认4个），或者名称在6个字及以上时只差一个字。问题报在后一个指标上，并指出前面那个指标。
    ///
    /// ## 为什么是问题
    /// 重复的指标只是凑数，并没有衡量任何新东西，而且在绩效自评中同一结果会被计分两次。
    ///
    /// ## 示例
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：≥100人次。…4、产出指标：培训人次，年度指标值：≥120人次。
    /// ```
    ///
    /// ## 依据
    /// 经验规则；财预〔2015〕88号要求指标细化、量化，且互不重叠。
    ///
    /// ## 已知局限
    /// 只差一个字、但计数对象不同的名称（`每年培训场数`、`每年培训人数`），只有在指标值单位不同时才能区分开。数量与其比率（`培训人次`与`培训人次完成率`）名称几乎相同，但衡量的是不同的东西，也会被报告。
    pub struct DuplicateIndicator => "I006";
}

impl Rule for DuplicateIndicator {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let min_length = cx.settings.number(Self::CODE, "min_length", 4.0).max(1.0) as usize;
        // One vector for the run's projects, not one allocated for each.
        let mut names: Vec<Name<'_>> = Vec::new();
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            names.clear();
            names.extend(indexed.facts().iter().map(|f| Name::new(f.name_norm())));
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

/// A normalised name with the mask of its characters, which rules out most pairs.
#[derive(Debug, Clone, Copy)]
struct Name<'a> {
    text: &'a str,
    /// A bit for each character of the text, chosen by a hash of it: a name inside another has
    /// no character that the other lacks, and one a character away from it one at most, so most
    /// pairs are told apart by these bits alone, and their lengths in characters are never
    /// counted. (A bit for each byte, `b % 64`, let most pairs of Chinese names through: their
    /// bytes are nearly all E4 to E9 and 80 to BF.)
    chars: u64,
}

impl<'a> Name<'a> {
    fn new(text: &'a str) -> Self {
        let chars = text.chars().fold(0u64, |bits, c| {
            bits | 1 << (u32::from(c).wrapping_mul(0x9E37_79B1) >> 26)
        });
        Self { text, chars }
    }

    fn counted(self) -> Counted<'a> {
        Counted {
            text: self.text,
            chars: self.text.chars().count(),
        }
    }
}

/// A name with its length in characters, for the pairs the byte masks leave.
#[derive(Debug, Clone, Copy)]
struct Counted<'a> {
    text: &'a str,
    chars: usize,
}

fn similar(a: Name<'_>, b: Name<'_>, min_length: usize) -> bool {
    if a.text.is_empty() || b.text.is_empty() {
        return false;
    }
    // Whichever is the shorter, it has at most one character the other lacks.
    if (a.chars & !b.chars).count_ones() > 1 && (b.chars & !a.chars).count_ones() > 1 {
        return false;
    }
    similar_unmasked(a, b, min_length)
}

/// [`similar`] for names of which neither is empty, without the test of their masks.
fn similar_unmasked(a: Name<'_>, b: Name<'_>, min_length: usize) -> bool {
    if a.text == b.text {
        return true;
    }
    let (a, b) = (a.counted(), b.counted());
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
fn within_one_edit(short: Counted<'_>, long: Counted<'_>) -> bool {
    if long.chars - short.chars > 1 {
        return false;
    }
    // The common prefix of whole characters: the bytes alike, back to the start of the
    // character they end in (UTF-8 is self-synchronising, so equal bytes up to a boundary are
    // equal characters).
    let mut prefix = short
        .text
        .bytes()
        .zip(long.text.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    while !short.text.is_char_boundary(prefix) {
        prefix -= 1;
    }
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
        // The first characters share their first two bytes (E8 B5 84, E8 B5 80).
        assert!(similar(name("资金发放及时率"), name("赀金发放及时率"), 4));
        assert!(similar(name("资金发放及时率"), name("资金发放及时率x"), 7));
        assert!(similar(name("资金发放及时"), name("赀资金发放及时"), 7));
        assert!(!similar(name("资金发放及时"), name("赀赀金发放及时"), 7));
    }

    #[test]
    fn the_masks_rule_out_only_pairs_that_are_not_similar() {
        let bases = [
            "资金发放及时率",
            "培训人次",
            "城乡居民参保率",
            "学员满意度",
            "ab",
            "x",
        ];
        let mut names: Vec<String> = Vec::new();
        for base in bases {
            let chars: Vec<char> = base.chars().collect();
            names.push(base.to_owned());
            for i in 0..=chars.len() {
                for extra in ['赀', '率', 'x', '（'] {
                    let mut inserted = chars.clone();
                    inserted.insert(i, extra);
                    names.push(inserted.iter().collect());
                    if i < chars.len() {
                        let mut replaced = chars.clone();
                        replaced[i] = extra;
                        names.push(replaced.iter().collect());
                    }
                }
                if i < chars.len() {
                    let mut removed = chars.clone();
                    removed.remove(i);
                    names.push(removed.iter().collect());
                }
            }
            names.push(format!("全年{base}（%）"));
        }
        names.retain(|n| !n.is_empty());
        let mut kept = 0;
        for a in &names {
            for b in &names {
                for min_length in [1, 4, 7] {
                    let unmasked = similar_unmasked(name(a), name(b), min_length);
                    assert_eq!(similar(name(a), name(b), min_length), unmasked, "{a} {b}");
                    kept += usize::from(unmasked);
                }
            }
        }
        assert!(kept > 1000, "{kept}");
    }
}
