use jixiao_model::Comparator;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::{for_each_target, quantities};
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告恰好为100%（选项`ceiling`，默认100）或低于70%（选项`floor`，默认70）的满意度目标（名称含`满意`）。上限（`≤100%`）不作判断。
    ///
    /// ## 为什么是问题
    /// 对真实服务对象的调查不会得出100%，所以100%的目标要么不是认真定的，要么年末注定报告未完成；低于70%的目标等于接受多数服务对象不满意。审核人期望的是调查实际能达到的80%–95%。
    ///
    /// ## 示例
    /// ```text
    /// 1、3-满意度指标；31-服务对象满意度指标；受助学生满意率；年度指标值：100%。
    /// ```
    /// 写`≥90%`，以上年调查结果为依据。
    ///
    /// ## 依据
    /// 经验规则，来自审核实务（满意度目标通常设在85%–95%）。
    ///
    /// ## 已知局限
    /// 名称提到满意度但衡量的是别的东西（`满意度调查覆盖率`、`对服务对象进行满意度调查`）时，也按满意度目标判断。
    pub struct ImplausibleSatisfaction => "V008";
}

impl Rule for ImplausibleSatisfaction {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let number = |key, default| {
            Decimal::from_f64(cx.settings.number(Self::CODE, key, default)).unwrap_or_default()
        };
        let ceiling = number("ceiling", 100.0);
        let floor = number("floor", 70.0);
        for_each_target(projects, |target| {
            if !target.facts.satisfied {
                return;
            }
            let name = target.name();
            let raw = target.value.raw.trim().trim_end_matches('。');
            for q in quantities(target.value) {
                if !q.is_percent() || matches!(q.comparator, Some(Comparator::Le | Comparator::Lt))
                {
                    continue;
                }
                let n = q.scaled_number();
                let (message, help) = if n == ceiling {
                    (
                        format!(
                            "满意度指标“{name}”的{}“{raw}”要求全部满意，实际调查几乎不可能达到",
                            target.label
                        ),
                        "参考以往满意度调查结果设定切实可行的目标，如“≥90%”。",
                    )
                } else if n < floor {
                    (
                        format!(
                            "满意度指标“{name}”的{}“{raw}”低于{floor}%，目标过低",
                            target.label
                        ),
                        "满意度目标一般不低于80%，请参考以往满意度调查结果提高目标。",
                    )
                } else {
                    continue;
                };
                out.push(target.finding(Self::CODE, message, help));
                break;
            }
        });
    }
}
