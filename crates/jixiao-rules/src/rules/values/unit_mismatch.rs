use jixiao_model::Indicator;

use super::{Target, for_each_target, name_core, name_has_percent_note, quantities};
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util::WordSet;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words that make a name a rate (option `rate_words`).
const RATE_WORDS: &[&str] = &[
    "率",
    "比例",
    "比重",
    "占比",
    "满意度",
    "认可度",
    "知晓度",
    "覆盖",
    "百分比",
];

/// Words containing 率 that do not make a name a rate (option `not_rate_words`).
const NOT_RATE_WORDS: &[&str] = &["频率", "效率", "速率", "功率"];

/// Rates that end in a word of `NOT_RATE_WORDS` (`成功率` ends in `功率`) and are rates all the same.
const RATES_DESPITE: &[&str] = &["成功率"];

/// Words that make a name a count (option `count_words`); a name ending in 数 is a count too.
const COUNT_WORDS: &[&str] = &[
    "次数", "人数", "个数", "件数", "户数", "家数", "场数", "期数", "份数", "数量", "频次", "人次",
    "场次", "课时",
];

/// Words that end the name of a physical measure, whose unit the name does not give (`里程` may
/// be 公里 or 米, `面积` 平方米 or 亩; option `measure_words`). A count's unit is in its name
/// (`培训人数` is in 人), so a bare number there is clear; a measure's is not.
const MEASURE_WORDS: &[&str] = &["里程", "长度", "面积", "重量", "体积", "容积", "产量"];

/// Units a rate may be stated in besides `%`.
const RATE_UNITS: &[&str] = &["%", "％", "百分比", "‰", "百分点", "个百分点"];

declare_rule! {
    /// ## 检查什么
    /// 报告计量单位与名称不符的定量目标：比率（名称含`率`、`比例`、`满意度`、`覆盖`等，或带`（%）`标注；选项`rate_words`）的指标值不是百分比；数量（名称含`次数`、`人数`、`个数`、`数量`、`频次`等，或以`数`结尾；选项`count_words`）的指标值是百分比。
    ///
    /// 也报告度量（名称以`里程`、`长度`、`面积`、`重量`、`体积`、`容积`、`产量`结尾；选项`measure_words`）的指标值是不带单位的非零数字（`新建公路里程 ≥12`：12公里还是12米？）。数量名称配裸数字（`培训人数 255`）不报告：`人数`已说明以人计，这样写在公开的表格中很常见（花都示例表有二十多处）。
    ///
    /// 名称中两者都有时（`会议培训频数达标率`、`竞赛项目场数占总赛场数比例`），以靠后的词为准，因为汉语名词短语的中心语在后。`频率`、`效率`不算比率（选项`not_rate_words`），`成功率`算。比率的值为单独的`0`时接受，满意度以`分`计时也接受。
    ///
    /// ## 为什么是问题
    /// `投诉次数 ≤1%`和`达标率 ≥1次`无法评价：看不出目标是次数还是占比，年末的实际数也无法与之比较。通常是名称或指标值从别的指标抄了过来。
    ///
    /// ## 示例
    /// ```text
    /// 1、1-产出指标；12-质量指标；窗口服务工作投诉次数；年度指标值：≤1%。
    /// 1、1-产出指标；11-数量指标；会议培训频数达标率（%）；年度指标值：大于等于1次。
    /// ```
    /// 第一个写`≤1次`，或把名称改为`窗口服务工作投诉率`；第二个写`≥95%`。
    ///
    /// ## 依据
    /// 财预〔2015〕88号及项目支出绩效目标表表样：每个指标都注明计量单位，且须与指标所衡量的内容相符。
    ///
    /// ## 已知局限
    /// 完全没有单位的比率（`合格率 ≥95`）即使意思明确也会被报告。计量单位写在单独一列、读取时并入指标值的不报告；单位只写在名称括号里的（`道路里程(公里)`）度量也不报告。最后一个关键词并非中心语的名称（`覆盖人数比例统计`）可能判断有误。
    pub struct UnitMismatch => "V003";
}

impl Rule for UnitMismatch {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // One scan of a name finds the words of all three lists.
        let words = cx.joined_word_set(
            Self::CODE,
            &["rate_words", "not_rate_words", "count_words"],
            &[RATE_WORDS, NOT_RATE_WORDS, COUNT_WORDS],
        );
        let measures = cx.word_set(Self::CODE, "measure_words", MEASURE_WORDS);
        let mut spans = NameSpans::default();
        let mut judged: Option<(&Indicator, Option<NameKind>)> = None;
        // Names repeat from project to project (`服务对象满意度`): each is judged once a run, its
        // answer kept at the run's first indicator of that name.
        let mut kinds: Vec<Option<Option<NameKind>>> = vec![None; projects.indicator_count()];
        for_each_target(projects, |target| {
            // Only quantities are judged (`check`), so a name is read only for a value that has
            // one, and once for both of its indicator's values.
            if quantities(target.value).next().is_none() {
                return;
            }
            let kind = match judged {
                Some((indicator, kind)) if std::ptr::eq(indicator, target.indicator) => kind,
                _ => {
                    let name = target.name();
                    let judge = |spans: &mut NameSpans| {
                        name_kind(name, &target.facts.name_key, &words, spans).or_else(|| {
                            let name = name.trim_end();
                            measures
                                .longest(name)
                                .filter(|w| name.ends_with(w))
                                .map(|_| NameKind::Measure)
                        })
                    };
                    // Kept for the checker's later runs too, where the name comes again.
                    let mut judge = || {
                        let answer =
                            cx.name_answer(Self::CODE, name, || NameKind::code(judge(&mut spans)));
                        NameKind::from_code(answer)
                    };
                    let kind = match kinds.get_mut(target.facts.same_name) {
                        Some(kept) => *kept.get_or_insert_with(judge),
                        None => judge(),
                    };
                    judged = Some((target.indicator, kind));
                    kind
                }
            };
            if let Some(finding) = kind.and_then(|kind| check(&target, kind)) {
                out.push(finding);
            }
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Rate,
    Count,
    /// A physical measure whose unit the name does not give (`里程`, `面积`).
    Measure,
}

impl NameKind {
    /// The kind (or none) as [`Context::name_answer`] keeps it.
    fn code(kind: Option<Self>) -> u32 {
        match kind {
            None => 0,
            Some(Self::Rate) => 1,
            Some(Self::Count) => 2,
            Some(Self::Measure) => 3,
        }
    }

    fn from_code(code: u32) -> Option<Self> {
        match code {
            1 => Some(Self::Rate),
            2 => Some(Self::Count),
            3 => Some(Self::Measure),
            _ => None,
        }
    }
}

/// The lists of the joined word set, in the order given to [`Context::joined_word_set`].
const RATE_LIST: usize = 0;
const NOT_RATE_LIST: usize = 1;
const COUNT_LIST: usize = 2;

/// Where the rate and not-rate words of a name are, kept from name to name so that judging a
/// name allocates nothing.
#[derive(Debug, Default)]
struct NameSpans {
    rates: Vec<(usize, usize)>,
    masked: Vec<(usize, usize)>,
}

fn name_kind(
    name: &str,
    name_key: &str,
    words: &WordSet,
    spans: &mut NameSpans,
) -> Option<NameKind> {
    if name_has_percent_note(name_key) {
        return Some(NameKind::Rate);
    }
    let core = name_core(name);
    let overlaps = |(s, e): (usize, usize), spans: &[(usize, usize)]| {
        spans.iter().any(|&(ms, me)| s < me && ms < e)
    };
    let NameSpans { rates, masked } = spans;
    rates.clear();
    masked.clear();
    let mut count: Option<usize> = None;
    for (list, start, end) in words.occurrences_by_list(core) {
        match list {
            RATE_LIST => rates.push((start, end)),
            NOT_RATE_LIST => masked.push((start, end)),
            COUNT_LIST => count = count.max(Some(end)),
            _ => {}
        }
    }
    let rate = if rates.is_empty() {
        None
    } else {
        // A rate word inside a not-rate word (`率` in `效率`) does not count, unless the not-rate
        // word is itself part of a rate (`功率` in `成功率`).
        if !masked.is_empty() {
            let despite: Vec<(usize, usize)> = RATES_DESPITE
                .iter()
                .flat_map(|w| core.match_indices(w).map(|(i, _)| (i, i + w.len())))
                .collect();
            masked.retain(|&span| !overlaps(span, &despite));
        }
        rates
            .iter()
            .filter(|&&span| !overlaps(span, masked))
            .map(|&(_, e)| e)
            .max()
    };
    let count = count.or_else(|| core.ends_with('数').then_some(core.len()));
    match (rate, count) {
        (Some(r), Some(c)) if r >= c => Some(NameKind::Rate),
        (Some(_), Some(_)) | (None, Some(_)) => Some(NameKind::Count),
        (Some(_), None) => Some(NameKind::Rate),
        (None, None) => None,
    }
}

fn check(target: &Target<'_>, kind: NameKind) -> Option<Finding> {
    let name = target.name();
    // Only for a finding: most values pass.
    let raw = || target.value.raw.trim().trim_end_matches('。');
    let mut quantities = quantities(target.value);
    match kind {
        NameKind::Rate => {
            let q = quantities.find(|q| {
                let unit = q.unit.as_deref().unwrap_or("");
                let fits = RATE_UNITS.contains(&unit)
                    || (unit == "分" && name.contains('度'))
                    || (unit.is_empty() && q.number.is_zero());
                !fits
            })?;
            let raw = raw();
            let what = match q.unit.as_deref() {
                Some(unit) => format!("单位是“{unit}”"),
                None => "没有单位".to_owned(),
            };
            Some(target.finding(
                UnitMismatch::CODE,
                format!(
                    "指标“{name}”是比率，但{}“{raw}”{what}，不是百分比",
                    target.label
                ),
                "比率类指标的目标值应写成百分比（如“≥95%”）；若要考核的是次数或人数，请把指标名称改为“××次数”“××人数”。",
            ))
        }
        NameKind::Measure => {
            quantities.find(|q| q.unit.is_none() && q.scale.is_none() && !q.number.is_zero())?;
            let raw = raw();
            Some(target.finding(
                UnitMismatch::CODE,
                format!(
                    "指标“{name}”是长度、面积等度量，但{}“{raw}”没有计量单位，看不出是多少",
                    target.label
                ),
                "写明计量单位（如“≥12公里”“≥500平方米”）。",
            ))
        }
        NameKind::Count => {
            quantities.find(|q| q.is_percent())?;
            let raw = raw();
            Some(target.finding(
                UnitMismatch::CODE,
                format!(
                    "指标“{name}”是数量（次数、人数等），但{}“{raw}”是百分比",
                    target.label
                ),
                "数量类指标的目标值应写明数量和单位（如“≤5次”“≥100人”）；若要考核的是比率，请把指标名称改为“××率”。",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Option<NameKind> {
        let w = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect();
        let words = WordSet::joined(vec![w(RATE_WORDS), w(NOT_RATE_WORDS), w(COUNT_WORDS)]);
        let key = jixiao_model::match_key(name);
        name_kind(name, &key, &words, &mut NameSpans::default())
    }

    #[test]
    fn the_last_keyword_decides() {
        assert_eq!(kind("会议培训频数达标率（%）"), Some(NameKind::Rate));
        assert_eq!(kind("窗口服务工作投诉次数"), Some(NameKind::Count));
        assert_eq!(
            kind("三大工程竞赛项目场数占总赛场数比例"),
            Some(NameKind::Rate)
        );
        assert_eq!(kind("办结业务数(件)"), Some(NameKind::Count));
        assert_eq!(kind("覆盖人数"), Some(NameKind::Count));
        assert_eq!(kind("巡查频率"), None);
        assert_eq!(kind("调解成功率"), Some(NameKind::Rate));
        assert_eq!(kind("服务对象满意度"), Some(NameKind::Rate));
        // Measures are told by MEASURE_WORDS after name_kind finds neither.
        assert_eq!(kind("新建公路里程"), None);
    }
}
