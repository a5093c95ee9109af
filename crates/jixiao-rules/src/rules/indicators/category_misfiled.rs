use jixiao_model::{Category, Indicator, ValueKind};

use crate::Finding;
use crate::engine::Context;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Units that count things rather than measure satisfaction (a 满意度 target is a % or a score).
const COUNT_UNITS: &[&str] = &[
    "人", "人次", "次", "个", "户", "家", "场", "份", "件", "项", "所", "名", "批", "期",
];

/// Words in a name that make it about time (`发放及时率`, `完成时间`, `按期完成率`).
const TIME_WORDS: &[&str] = &[
    "及时",
    "按时",
    "按期",
    "准时",
    "时间",
    "时限",
    "时效",
    "期限",
    "工期",
    "周期",
    "进度",
    "期内",
    "当天",
    "当日",
    "前完成",
    "时长",
    "年度",
    "季度",
    "月",
    "日",
    "天",
    "小时",
    "分钟",
    "年",
];

/// Units of time a 时效 target may be counted in.
const TIME_UNITS: &[&str] = &[
    "天",
    "日",
    "个工作日",
    "工作日",
    "月",
    "个月",
    "年",
    "小时",
    "分钟",
    "周",
];

declare_rule! {
    /// ## 检查什么
    /// 报告内容与所在类别不符的指标，只看表格自己给出的类别（读取时推断出的类别不算）：
    /// - 满意度指标下的目标是计数（`≥200人`、`≥3次`），而不是百分比或分数；
    /// - 时效指标下的指标与时间无关：名称不含`及时`、`按期`、`时间`、`进度`、月、日等时间词，目标既不是期限，也不以天、月、年等时间单位计。
    ///
    /// 名称讲满意度的指标放在产出（如`质量指标`）或效益下，由I007（指标层级不符）报告，本规则不重复报告。
    ///
    /// ## 为什么是问题
    /// 类别决定指标在审核和自评中怎样计分（产出50分、效益30分、满意度10分）：用人数冒充满意度，衡量的是参与多少而不是满意与否；时效指标若不讲时间，项目就没有任何时效要求。
    ///
    /// ## 示例
    /// ```text
    /// 1、3-满意度指标；31-服务对象满意度指标；服务对象满意度；年度指标值：≥200人。
    /// 2、1-产出指标；13-时效指标；工程验收合格率；年度指标值：100%。
    /// ```
    /// 分别改为`≥90%`，以及移到质量指标下并补一个真正的时效指标（如`12月31日前完工`）。
    ///
    /// ## 依据
    /// 财预〔2015〕88号、财预〔2020〕10号附件的绩效指标框架：产出（数量、质量、时效、成本）、效益、满意度各有其含义（DOMAIN.md §2）。
    ///
    /// ## 已知局限
    /// 名称为空或只是类别名（`成本`、`质量指标`）的不报告：那多半是读取时把类别行当成了指标。时效指标只按名称中的时间词和目标判断：名称里碰巧有`年`、`月`、`日`的非时间指标（`年均增收`）不会报告。满意度指标下以`人`、`次`等计的目标一律报告，即使名称讲的是调查人数（那样的指标本身也不属于满意度）。
    pub struct CategoryMisfiled => "I008";
}

impl Rule for CategoryMisfiled {
    rule_meta!();

    fn check_document(
        &self,
        document: &jixiao_model::Document,
        _cx: &Context<'_>,
        out: &mut Vec<Finding>,
    ) {
        for (unit, project) in document.projects() {
            for indicator in &project.indicators {
                let Some(message) = misfiled(indicator) else {
                    continue;
                };
                out.push(
                    Finding::new(
                        Self::CODE,
                        indicator.name.span.clone(),
                        message,
                        "把指标移到与其内容相符的类别下，或改写名称和目标使其符合所在类别。",
                    )
                    .in_project(&unit.name.text, &project.name.text)
                    .at_indicator(indicator.seq),
                );
            }
        }
    }
}

/// A category the table gave, not one jixiao inferred.
fn given(category: Option<&Category>) -> Option<&Category> {
    category.filter(|c| c.inferred.is_none())
}

/// Category words that, standing alone as a name, mean a category row was read as an indicator.
const CATEGORY_WORDS: &[&str] = &["数量", "质量", "时效", "成本", "效益", "满意度"];

fn misfiled(indicator: &Indicator) -> Option<String> {
    // The categories first: they rule out nearly every indicator, and the name is trimmed only
    // for the few they leave.
    let level1 = given(indicator.level1.as_ref())?;
    let counted = (level1.code.as_deref() == Some("3"))
        .then(|| util::annual_quantity(indicator)?.unit.as_deref())
        .flatten()
        .filter(|unit| COUNT_UNITS.contains(unit));
    if counted.is_none() {
        let level2 = given(indicator.level2.as_ref())?;
        if level2.code.as_deref() != Some("13") || about_time(indicator) {
            return None;
        }
    }
    let name = indicator.name.text.trim();
    // `trim_end_matches("指标")` without building a substring searcher for every indicator.
    let mut bare = name;
    while let Some(rest) = bare.strip_suffix("指标") {
        bare = rest;
    }
    if bare.is_empty() || CATEGORY_WORDS.contains(&bare) {
        return None;
    }
    Some(match counted {
        Some(unit) => format!(
            "满意度指标“{name}”的目标“{}”是计数（{unit}），衡量的是数量而不是满意程度",
            indicator.annual.as_ref().map_or("", |v| v.raw.trim())
        ),
        None => {
            let value = indicator
                .annual
                .as_ref()
                .map(|v| format!("（{}）", v.raw.trim()))
                .unwrap_or_default();
            format!(
                "时效指标“{name}”{value}与时间无关：名称没有讲期限或及时性，目标也不是期限或时长"
            )
        }
    })
}

/// True when the name or the annual target is about time; also when there is no target to judge.
fn about_time(indicator: &Indicator) -> bool {
    let name = indicator.name.text.as_ref();
    if TIME_WORDS.iter().any(|w| util::has(name, w)) {
        return true;
    }
    let Some(value) = &indicator.annual else {
        return true;
    };
    match &value.kind {
        ValueKind::Deadline(_) => true,
        ValueKind::Quantitative(q) => q.unit.as_deref().is_some_and(|u| TIME_UNITS.contains(&u)),
        // Words may state a time (`当年完成`) in ways the grammar does not read as a deadline.
        ValueKind::Qualitative => TIME_WORDS.iter().any(|w| value.raw.contains(w)),
        _ => true,
    }
}
