use jixiao_model::{Comparator, Value, ValueKind};

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Goals shorter than this (`已完成`) are too short to call a copy.
const MIN_GOAL_CHARS: usize = 8;

declare_rule! {
    /// ## 检查什么
    /// 报告照抄目标的完成情况：项目的“实际完成情况”与“年度目标（预期目标）”一字不差（不计空格和句末句号，至少8个字）；或指标的实际完成值与带比较符号的指标值一字不差（如目标`≥90%`、完成值也写`≥90%`）。
    ///
    /// ## 为什么是问题
    /// 完成情况应写实际做到了什么。把目标原样抄一遍，等于没有自评：`≥90%`是一个范围，不是测得的数值，也无法据此计分。
    ///
    /// ## 示例
    /// ```text
    /// 满意度指标	服务对象满意度指标	群众满意度	≥90%	≥90%	10	10
    /// ```
    /// 完成值照抄了指标值“≥90%”（第64号样表的满意度指标即如此）。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评表：“实际完成值”“实际完成情况”填写实际达到的结果，与“年度指标值”“预期目标”分栏填写；审核人把照抄视为没有自评（DOMAIN.md §4“如实”）。
    ///
    /// ## 已知局限
    /// 定性指标的完成值与目标相同（目标“有效”、完成“有效”）很正常，不报告。只改了几个字的抄写不报告。
    pub struct ActualCopiesTarget => "E010";
}

impl Rule for ActualCopiesTarget {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_scored(projects, cx, |scored| {
            let project = scored.project;
            let achieved = project
                .details
                .as_deref()
                .and_then(|d| d.achieved_goal.as_ref());
            if let (Some(goal), Some(achieved)) = (&project.goal, achieved) {
                let goal_text = compact(&goal.text);
                if goal_text.chars().count() >= MIN_GOAL_CHARS
                    && goal_text == compact(&achieved.text)
                {
                    out.push(scored.finding(
                        Self::CODE,
                        achieved.span.clone(),
                        format!("实际完成情况与年度目标一字不差：“{}”", achieved.text.trim()),
                        "写明实际完成了什么（数量、质量、时间、效果），不要照抄年度目标。",
                    ));
                }
            }
            for (indicator, line) in scored.indicator_lines() {
                let actual = indicator.details.as_deref().and_then(|d| d.actual.as_ref());
                let (Some(target), Some(actual)) = (&indicator.annual, actual) else {
                    continue;
                };
                if is_range(target)
                    && is_range(actual)
                    && compact(&target.raw) == compact(&actual.raw)
                {
                    out.push(scored.indicator_finding(
                        Self::CODE,
                        indicator,
                        format!(
                            "指标“{}”的实际完成值“{}”照抄了指标值",
                            line.name,
                            actual.raw.trim()
                        ),
                        "填写实际测得的数值（如“93%”），不要照抄带“≥”“≤”的指标值。",
                    ));
                }
            }
        });
    }
}

/// A quantity with a bound (`≥90%`, `≤5%`): a target, not a measurement.
fn is_range(value: &Value) -> bool {
    matches!(
        &value.kind,
        ValueKind::Quantitative(q) if matches!(
            q.comparator,
            Some(Comparator::Ge | Comparator::Gt | Comparator::Le | Comparator::Lt)
        )
    )
}

/// The text without blanks and the closing full stop.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['。', '.'])
        .to_owned()
}
