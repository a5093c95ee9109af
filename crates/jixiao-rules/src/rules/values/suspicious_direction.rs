use jixiao_model::{Comparator, Quantity};

use super::{Target, for_each_target, quantities};
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util::WordSet;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words of things that should be few: complaints, accidents, errors, costs (option
/// `negative_words`).
const NEGATIVE_WORDS: &[&str] = &[
    "投诉",
    "事故",
    "差错",
    "违规",
    "违纪",
    "失误",
    "发生率",
    "超支",
    "成本",
    "费用",
    "上访",
    "案件发生",
    "故障",
    "败诉",
    "流失",
];

/// Words that turn a name with a negative word into something that should be high (`投诉办结率`,
/// `成本节约率`) or into a count of work done (`人工成本监测企业数`); option `positive_words`.
const POSITIVE_WORDS: &[&str] = &[
    "结案", "办结", "处理", "处置", "解决", "回复", "答复", "查处", "整改", "化解", "调解", "受理",
    "满意", "及时", "完成", "覆盖", "合格", "达标", "准确", "节约", "降低", "下降", "减少", "控制",
    "监测", "调查", "检查", "核查", "审核", "培训", "补贴", "补助", "响应", "排查", "防范", "预防",
];

/// Units of things counted (option `count_units`); a ceiling on them is suspicious for an output.
const COUNT_UNITS: &[&str] = &[
    "人", "人次", "次", "家", "个", "场", "场次", "户", "件", "名", "份", "项", "期", "所", "批",
    "课时", "节", "套", "台", "篇", "期次", "班", "部",
];

declare_rule! {
    /// ## What it does
    /// Reports a target whose direction contradicts its meaning:
    /// - a ceiling (`≤`, `<`, `不超过`) on an output count: an indicator under 产出 数量 (code 11)
    ///   or one counted in people, times, units… (`人`, `次`, `家`, `个`; option `count_units`),
    ///   such as `服务人数 ≤15000人`;
    /// - a floor (`≥`, `>`, `不低于`) on something that should be few: complaints, accidents,
    ///   errors, violations, overspending, costs (`投诉`, `事故`, `差错`, `违规`, `失误`, `发生率`,
    ///   `超支`, `成本`, `费用`, `上访`…; option `negative_words`).
    ///
    /// A name whose negative word is followed by something that should be high or by work done
    /// (`投诉举报案件结案率`, `成本节约率`, `人工成本监测企业数`; option `positive_words`) is not a
    /// negative. Bare numbers (`255`, read as "at least") are not judged, nor ceilings on
    /// percentages or money.
    ///
    /// ## Why is this bad?
    /// An output target is a promise of at least so much work; `服务人数 ≤15000人` is met by serving
    /// nobody. A floor on complaints or costs rewards having more of them. Either the comparator
    /// was picked wrongly from a drop-down, or the indicator measures something else than its name
    /// says.
    ///
    /// ## Example
    /// ```text
    /// 1、1-产出指标；11-数量指标；服务人数；年度指标值：≤15000人。
    /// 2、1-产出指标；12-质量指标；窗口服务投诉次数；年度指标值：≥1次。
    /// ```
    /// Write `≥15000人` and `≤1次`.
    ///
    /// ## Regulation
    /// 财预〔2015〕88号 and the 指标性质 of the 绩效目标表 form: 正向指标 take ≥, 反向指标 (complaints,
    /// costs, accidents) take ≤.
    ///
    /// ## Known problems
    /// Real capacity limits (`住宿生人数 ≤400人`, `选拔人数 ≤10`) and work that is limited on purpose
    /// (`开展考试场次 ≤2`, `档案采集数量 ≤11000份`) are reported; they are better written as a range or
    /// moved to a 成本 or 效益 indicator, but may be right.
    pub struct SuspiciousDirection => "V005";
}

impl Rule for SuspiciousDirection {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let negative = cx.word_set(Self::CODE, "negative_words", NEGATIVE_WORDS);
        let positive = cx.word_set(Self::CODE, "positive_words", POSITIVE_WORDS);
        let units = cx.settings.words(Self::CODE, "count_units", COUNT_UNITS);
        for_each_target(projects, |target| {
            // Only a quantity with a comparator is judged (`check`); the name's words are looked
            // for only then.
            if !quantities(target.value).any(|q| q.comparator.is_some()) {
                return;
            }
            let is_negative = negative_word(target.name(), &negative, &positive);
            for q in quantities(target.value) {
                if let Some(finding) = check(&target, q, is_negative, &units) {
                    out.push(finding);
                    break;
                }
            }
        });
    }
}

/// The negative word of a name, unless a positive word follows it.
fn negative_word<'w>(name: &str, negative: &'w WordSet, positive: &WordSet) -> Option<&'w str> {
    let (word, end) = negative.last(name)?;
    (!positive.contains_any(&name[end..])).then_some(word)
}

fn check(
    target: &Target<'_>,
    q: &Quantity,
    negative: Option<&str>,
    count_units: &[String],
) -> Option<Finding> {
    let name = target.name();
    // Only for a finding: most values pass.
    let raw = || target.value.raw.trim().trim_end_matches('。');
    match q.comparator? {
        Comparator::Ge | Comparator::Gt => {
            let word = negative?;
            let raw = raw();
            Some(target.finding(
                SuspiciousDirection::CODE,
                format!(
                    "指标“{name}”考核的是“{word}”，应越少越好，但{}“{raw}”设的是下限",
                    target.label
                ),
                "投诉、事故、差错、成本等反向指标应设上限，如“≤1次”“≤5%”“≤预算金额”；请核对比较符号。",
            ))
        }
        Comparator::Le | Comparator::Lt => {
            if negative.is_some() {
                return None;
            }
            let unit = q.unit.as_deref();
            let counted = unit.is_some_and(|u| {
                let base = u.split('/').next().unwrap_or(u);
                count_units.iter().any(|c| c == base)
            });
            let output_count = target.level2() == Some("11") && unit.is_none();
            if !(counted || output_count) {
                return None;
            }
            let raw = raw();
            Some(target.finding(
                SuspiciousDirection::CODE,
                format!(
                    "产出数量指标“{name}”的{}“{raw}”设的是上限，完成得越少越容易达标",
                    target.label
                ),
                "产出数量应承诺至少完成多少，请改为“≥”；若确是上限（如容量限制），请在名称中写明或改为区间。",
            ))
        }
        _ => None,
    }
}
