use jixiao_model::Comparator;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::{for_each_target, quantities};
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a satisfaction target (name with `满意`) that is a percentage of exactly 100%
    /// (option `ceiling`, default 100) or below 70% (option `floor`, default 70). Ceilings
    /// (`≤100%`) are not judged.
    ///
    /// ## Why is this bad?
    /// No survey of real service recipients comes out at 100%, so a 100% target is either not
    /// meant seriously or will be reported as missed; a target below 70% accepts that most
    /// recipients are dissatisfied. Reviewers expect the 80%–95% that surveys actually reach.
    ///
    /// ## Example
    /// ```text
    /// 1、3-满意度指标；31-服务对象满意度指标；受助学生满意率；年度指标值：100%。
    /// ```
    /// Write `≥90%`, based on last year's survey.
    ///
    /// ## Regulation
    /// Heuristic, from review practice (满意度 targets are usually set at 85%–95%).
    ///
    /// ## Known problems
    /// A name that mentions satisfaction but measures something else (`满意度调查覆盖率`,
    /// `对服务对象进行满意度调查`) is judged as a satisfaction target.
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
