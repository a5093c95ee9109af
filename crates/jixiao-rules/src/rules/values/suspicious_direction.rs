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
    /// ## 检查什么
    /// 报告方向与含义相反的目标：
    /// - 对产出数量设上限（`≤`、`<`、`不超过`）：产出数量（代码11）下的指标，或以人、次、个等计数的指标（`人`、`次`、`家`、`个`；选项`count_units`），如`服务人数 ≤15000人`；
    /// - 对应当越少越好的事项设下限（`≥`、`>`、`不低于`）：投诉、事故、差错、违规、超支、成本（`投诉`、`事故`、`差错`、`违规`、`失误`、`发生率`、`超支`、`成本`、`费用`、`上访`等；选项`negative_words`）。
    ///
    /// 名称中的负面词后面接的是应当越高越好的内容或已完成的工作时（`投诉举报案件结案率`、`成本节约率`、`人工成本监测企业数`；选项`positive_words`），不算负面指标。裸数字（`255`，按“至少”理解）不作判断，百分比和金额的上限也不作判断。
    ///
    /// ## 为什么是问题
    /// 产出目标承诺的是至少完成多少工作；`服务人数 ≤15000人`一个人都不服务也算达标。对投诉或成本设下限，等于鼓励它们越多越好。要么是从下拉菜单中选错了比较符号，要么指标衡量的并不是名称所说的东西。
    ///
    /// ## 示例
    /// ```text
    /// 1、1-产出指标；11-数量指标；服务人数；年度指标值：≤15000人。
    /// 2、1-产出指标；12-质量指标；窗口服务投诉次数；年度指标值：≥1次。
    /// ```
    /// 分别写`≥15000人`和`≤1次`。
    ///
    /// ## 依据
    /// 财预〔2015〕88号及绩效目标表表样中的指标性质：正向指标用≥，反向指标（投诉、成本、事故）用≤。
    ///
    /// ## 已知局限
    /// 真实的容量限制（`住宿生人数 ≤400人`、`选拔人数 ≤10`）和有意限量的工作（`开展考试场次 ≤2`、`档案采集数量 ≤11000份`）会被报告；这类指标最好写成区间，或移到成本或效益指标中，但原写法也可能是对的。
    pub struct SuspiciousDirection => "V005";
}

impl Rule for SuspiciousDirection {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let negative = cx.word_set(Self::CODE, "negative_words", NEGATIVE_WORDS);
        let positive = cx.word_set(Self::CODE, "positive_words", POSITIVE_WORDS);
        let units = cx.words(Self::CODE, "count_units", COUNT_UNITS);
        // Names repeat from project to project: each name's words are looked for once a run,
        // the answer kept at the run's first indicator of that name.
        let mut negatives: Vec<Option<Option<&str>>> = vec![None; projects.indicator_count()];
        for_each_target(projects, |target| {
            // Only a quantity with a comparator is judged (`check`); the name's words are looked
            // for only then.
            if !quantities(target.value).any(|q| q.comparator.is_some()) {
                return;
            }
            let name = target.name();
            // Kept for the checker's later runs too, as the word's place in the list.
            let judge = || {
                let answer = cx.name_answer(Self::CODE, name, || {
                    negative_word(name, &negative, &positive).map_or(0, |word| {
                        negative
                            .words()
                            .iter()
                            .position(|w| std::ptr::eq(w.as_str(), word))
                            .map_or(0, |at| at as u32 + 1)
                    })
                });
                (answer as usize)
                    .checked_sub(1)
                    .and_then(|at| negative.words().get(at))
                    .map(String::as_str)
            };
            let is_negative = match negatives.get_mut(target.facts.same_name) {
                Some(kept) => *kept.get_or_insert_with(judge),
                None => judge(),
            };
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
