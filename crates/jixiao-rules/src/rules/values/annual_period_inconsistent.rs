use jixiao_model::{Comparator, Quantity, ValueKind, match_key};

use super::Target;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Units of counts that add up over the years (option `cumulative_units`).
const CUMULATIVE_UNITS: &[&str] = &[
    "人", "人次", "次", "个", "件", "项", "户", "场", "场次", "家", "名", "份", "期", "所", "批",
    "课时", "节", "套", "台", "篇", "班",
];

declare_rule! {
    /// ## 检查什么
    /// 年度指标值与实施周期指标值都是数量时比较二者，相互矛盾时报告：
    /// - 逐年累计的数量（单位为`人`、`次`、`个`、`件`、`项`、`户`、`场`等；选项`cumulative_units`），按量级词（`万`）换算为同一单位后，年度目标超过整个周期的目标；
    /// - 年度下限高于周期上限（`≥100`对`≤80`）；
    /// - 一个值是百分比，另一个是带单位的数量。
    ///
    /// ## 为什么是问题
    /// 实施周期包含该年度，一年承诺的人数或次数不可能多于整个周期；出现这种情况，说明两个值中有一个录错了或从别的指标抄来，该指标无法评价。
    ///
    /// ## 示例
    /// ```text
    /// 1、1-产出指标；11-数量指标；培训人数；实施周期指标值：≥500人；年度指标值：≥800人。
    /// ```
    /// 整个周期500人，一年却承诺800人。应更正其中一个。
    ///
    /// ## 依据
    /// 财预〔2015〕88号：年度绩效目标是将实施期绩效目标按年度分解。
    ///
    /// ## 已知局限
    /// 不逐年累计的数量（`同时在岗人数`、容量）在某一年度与周期相同甚至更大都可能合理；本规则只报告更大的情况。复合值不作比较。
    pub struct AnnualPeriodInconsistent => "V007";
}

impl Rule for AnnualPeriodInconsistent {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let units = cx.words(Self::CODE, "cumulative_units", CUMULATIVE_UNITS);
        for indexed in projects.projects() {
            for (indicator, facts) in indexed.indicators() {
                let (Some(annual), Some(period)) = (&indicator.annual, &indicator.period) else {
                    continue;
                };
                let (ValueKind::Quantitative(a), ValueKind::Quantitative(p)) =
                    (&annual.kind, &period.kind)
                else {
                    continue;
                };
                let Some(problem) = compare(a, p, &units) else {
                    continue;
                };
                let target = Target {
                    unit: indexed.unit,
                    project: indexed.project,
                    indicator,
                    facts,
                    value: annual,
                    value_norm: facts.annual_norm.as_deref().unwrap_or_default(),
                    label: super::ANNUAL,
                };
                out.push(target.finding(
                    Self::CODE,
                    format!(
                        "指标“{}”的年度指标值“{}”与实施周期指标值“{}”矛盾：{problem}",
                        indicator.name.text,
                        annual.raw.trim(),
                        period.raw.trim()
                    ),
                    "年度指标值是实施周期指标值在本年度的分解：累计数量不应超过整个周期，单位和比较方向应一致。请核对并改正其中一个。",
                ));
            }
        }
    }
}

/// Why two quantities contradict, if they do.
fn compare(annual: &Quantity, period: &Quantity, cumulative: &[String]) -> Option<&'static str> {
    let (ua, up) = (annual.unit.as_deref(), period.unit.as_deref());
    if annual.is_percent() != period.is_percent() {
        let other = if annual.is_percent() { up } else { ua };
        return other.is_some().then_some("一个是百分比，另一个是数量");
    }
    // Units written alike have one key: only units written differently (`％`, `%`) are keyed,
    // where keying every unit of every indicator was most of the rule's cost.
    if ua != up && ua.map(match_key) != up.map(match_key) {
        return None;
    }
    let (x, y) = (annual.scaled_number(), period.scaled_number());
    let floor = |c: Option<Comparator>| matches!(c, Some(Comparator::Ge | Comparator::Gt));
    let ceiling = |c: Option<Comparator>| matches!(c, Some(Comparator::Le | Comparator::Lt));
    if floor(annual.comparator) && ceiling(period.comparator) && x > y {
        return Some("年度下限高于实施周期上限");
    }
    let is_cumulative = || {
        ua.map(match_key)
            .is_some_and(|u| cumulative.iter().any(|c| *c == *u))
    };
    if x > y && !annual.is_percent() && is_cumulative() {
        return Some("年度累计数量大于整个实施周期的数量");
    }
    None
}
