use jixiao_model::{Comparator, Indicator, Quantity};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::{IndexedProject, Projects};
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Words naming a per-unit cost (`补助标准`, `单价`, `每公里造价`).
const PER_UNIT_WORDS: &[&str] = &[
    "标准",
    "单价",
    "单位成本",
    "每公里",
    "每平方米",
    "每亩",
    "每米",
];

/// Units of physical work a per-unit cost can be multiplied by, with the spelling they normalise
/// to (`km` and `公里` are one unit). Counts of people are left out: a target of `≥100人` is a
/// floor, not the number paid for.
const WORK_UNITS: &[(&str, &str)] = &[
    ("公里", "公里"),
    ("km", "公里"),
    ("千米", "公里"),
    ("米", "米"),
    ("m", "米"),
    ("平方米", "平方米"),
    ("㎡", "平方米"),
    ("m2", "平方米"),
    ("亩", "亩"),
    ("立方米", "立方米"),
    ("m3", "立方米"),
    ("吨", "吨"),
];

fn work_unit(unit: &str) -> Option<&'static str> {
    let unit = unit.trim();
    WORK_UNITS
        .iter()
        .find(|(spelling, _)| unit.eq_ignore_ascii_case(spelling))
        .map(|(_, normal)| *normal)
}

declare_rule! {
    /// ## 检查什么
    /// 项目有一个按单位计的成本上限（成本指标，名称含`标准`、`单价`、`每公里`等，目标为`≤`或`=`一笔钱，如`≤120万元`或`≤120万元/公里`），又用数量指标给出了确定的工作量（`2km`、`=3公里`；不带`≥`），而且工作量都以同一种计量单位计（公里、米、平方米、亩、立方米、吨；成本写明了`/亩`时只计以亩计的数量指标，其他单位的不管）时，用单价乘以工作量之和，与项目总计比较：
    /// - 单价为上限（`≤`）时，项目总计超过单价 × 工作量即报告；
    /// - 单价为定额（`=`）时，二者相差超过1%即报告。
    ///
    /// ## 为什么是问题
    /// 单价、数量和总额是同一笔预算的三种说法，三者对不上，至少有一个是错的：或者预算多要了钱，或者成本标准写低了，或者工作量少写了。审核人用这种乘法检查预算是否有测算依据。
    ///
    /// ## 示例
    /// ```text
    /// 年度资金总额: 500
    /// 数量指标 | 寨山石坪村新建水泥路1条 | 2km
    /// 数量指标 | 呼家河至鲍家沟新建水泥路1条 | 2km
    /// 成本指标 | 硬化水泥砼公路补助标准 | ≤120万元
    /// ```
    /// 按补助标准，4公里最多480万元，项目却安排了500万元。
    ///
    /// ## 依据
    /// 财预〔2015〕88号：绩效目标应与预算确定的投资额相匹配；成本指标反映预算的测算依据（DOMAIN.md §4“Consistent”）。
    ///
    /// ## 已知局限
    /// 只乘以计量单位相同、没有`≥`的数量指标；人数、户数等计数不乘（`≥100人`是下限，不是拨款依据的人数）。成本没有写`/公里`这类分母时，默认它按数量指标的单位计；项目中另有其他开支（设计费、监理费）时，单价 × 工作量本就小于总额，这时也会被报告。
    pub struct UnitCostTimesQuantity => "C003";
}

impl Rule for UnitCostTimesQuantity {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let document = projects.document();
        let yuan_per_amount = util::yuan_per_amount(document);
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            let Some(total) = &project.amounts.total else {
                continue;
            };
            if total.value <= Decimal::ZERO {
                continue;
            }
            let total_yuan = total.value * yuan_per_amount;
            // The cost indicators are told once a run, in the facts.
            let mut costs = indexed
                .indicators()
                .filter(|(_, facts)| facts.cost)
                .filter_map(|(indicator, _)| per_unit_cost(indicator));
            // With two per-unit costs, which one the work is priced by is not in the text.
            let (Some((indicator, price)), None) = (costs.next(), costs.next()) else {
                continue;
            };
            let Some((work, work_unit)) = work_done(indexed, price.per) else {
                continue;
            };
            let allowed = price.yuan * work;
            let exceeds = match price.comparator {
                Some(Comparator::Le | Comparator::Lt) => total_yuan > allowed,
                _ => (total_yuan - allowed).abs() * Decimal::from(100) > allowed,
            };
            if !exceeds {
                continue;
            }
            let value = indicator.annual.as_ref().map_or("", |v| v.raw.trim());
            let bound = if matches!(price.comparator, Some(Comparator::Le | Comparator::Lt)) {
                "最多"
            } else {
                "应为"
            };
            out.push(
                Finding::new(
                    Self::CODE,
                    indicator.name.span.clone(),
                    format!(
                        "成本指标“{}”为“{value}”，按数量指标共{}{work_unit}计，项目{bound}{}万元，而项目总计为{}万元",
                        indicator.name.text,
                        work.normalize(),
                        (allowed / Decimal::from(10_000)).round_dp(2).normalize(),
                        (total_yuan / Decimal::from(10_000)).round_dp(2).normalize(),
                    ),
                    "核对成本标准、数量指标和项目金额：三者应能相互印证；另有其他开支的，在成本指标中分项列明。",
                )
                .in_project(&unit.name.text, &project.name.text)
                .at_indicator(indicator.seq),
            );
        }
    }
}

/// A per-unit cost: its amount in 元, its comparator, and the unit it is per (`公里` in
/// `万元/公里`), when the value says.
struct PerUnitCost {
    yuan: Decimal,
    comparator: Option<Comparator>,
    per: Option<&'static str>,
}

/// The per-unit cost of a cost indicator.
fn per_unit_cost(indicator: &Indicator) -> Option<(&Indicator, PerUnitCost)> {
    let name = indicator.name.text.as_ref();
    if !PER_UNIT_WORDS.iter().any(|w| util::has(name, w)) {
        return None;
    }
    let quantity = util::annual_quantity(indicator)?;
    if matches!(quantity.comparator, Some(Comparator::Ge | Comparator::Gt)) {
        return None;
    }
    let (yuan, per) = match quantity.unit.as_deref().and_then(|u| u.split_once('/')) {
        Some((money, per)) => {
            let money_only = Quantity {
                unit: Some(money.into()),
                ..quantity.clone()
            };
            (util::quantity_in_yuan(&money_only)?, Some(work_unit(per)?))
        }
        None => (util::quantity_in_yuan(quantity)?, None),
    };
    Some((
        indicator,
        PerUnitCost {
            yuan,
            comparator: quantity.comparator,
            per,
        },
    ))
}

/// The total work the quantity indicators fix, and its unit: every exact quantity (no `≥`) in a
/// unit of work must share one unit (`per`, when the cost names it).
fn work_done(
    indexed: IndexedProject<'_, '_>,
    per: Option<&str>,
) -> Option<(Decimal, &'static str)> {
    let mut unit = per;
    let mut sum = Decimal::ZERO;
    let mut any = false;
    for (indicator, facts) in indexed.indicators() {
        if facts.cost || util::level2_code(indicator) != Some("11") {
            continue;
        }
        let Some(quantity) = util::annual_quantity(indicator) else {
            continue;
        };
        let Some(this) = quantity.unit.as_deref().and_then(work_unit) else {
            continue;
        };
        // A price per 亩 does not price the 平方米 swept (`清扫保洁面积 ≥71万平方米`).
        if per.is_some_and(|p| p != this) {
            continue;
        }
        if !matches!(quantity.comparator, None | Some(Comparator::Eq)) {
            return None;
        }
        match unit {
            Some(u) if u != this => return None,
            _ => unit = Some(this),
        }
        sum += quantity.scaled_number();
        any = true;
    }
    let unit = WORK_UNITS
        .iter()
        .map(|(_, n)| *n)
        .find(|n| Some(*n) == unit)?;
    (any && sum > Decimal::ZERO).then_some((sum, unit))
}
