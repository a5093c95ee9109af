use jixiao_score::NoteKind;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告实际完成值的计量单位或数量级与指标值不同的指标，如目标`≥20万元`、完成值`180000元`，或目标`≥500人`、完成值`0.05万人次`。单位由计分引擎（`jixiao score`）读出；两者有一方没有单位时不报告。
    ///
    /// ## 为什么是问题
    /// 单位不同，完成值就无法与目标直接比较，计分只能靠人换算，容易算错；也常是把完成值填到了别的指标里。
    ///
    /// ## 示例
    /// ```text
    /// 成本指标	经济成本指标	设备购置成本	≤20万元	180000元	10	10
    /// ```
    /// 目标以万元计，完成值以元计。
    ///
    /// ## 依据
    /// 经验规则：实际完成值应与指标值用同一计量单位填写，才能按“完成值 ÷ 目标值”计分。
    ///
    /// ## 已知局限
    /// 只比较单位的写法：`人`与`人次`、`个`与`家`这样写法不同的单位也会被报告。
    pub struct ActualUnitMismatch => "E011";
}

impl Rule for ActualUnitMismatch {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_scored(projects, cx, |scored| {
            for (indicator, line) in scored.indicator_lines() {
                if !line.notes.iter().any(|n| n.kind == NoteKind::UnitMismatch) {
                    continue;
                }
                out.push(scored.indicator_finding(
                    Self::CODE,
                    indicator,
                    format!(
                        "指标“{}”的实际完成值“{}”与指标值“{}”的计量单位不同",
                        line.name,
                        line.actual.as_deref().unwrap_or_default(),
                        line.target.as_deref().unwrap_or_default()
                    ),
                    "用指标值的计量单位填写实际完成值，以便按完成比例计分。",
                ));
            }
        });
    }
}
