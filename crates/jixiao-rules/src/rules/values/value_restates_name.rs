use jixiao_model::ValueKind;

use super::for_each_target;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Shortest text, in characters, for which containment counts as restating.
const MIN_CONTAINED: usize = 6;

declare_rule! {
    /// ## What it does
    /// Reports a target value that repeats the indicator's name: the two are the same once quotes,
    /// spaces and punctuation are removed, or, for a qualitative value, one contains the other and
    /// both are at least 6 characters long.
    ///
    /// ## Why is this bad?
    /// `为花都区提供人才智力支持 → 为花都区提供人才智力支持` sets no target at all: it says what the
    /// indicator is about, not how much of it is to be achieved. Reviewers count it as a missing
    /// target.
    ///
    /// ## Example
    /// ```text
    /// 1、效益指标：为花都区提供人才智力支持，年度指标值：为花都区提供人才智力支持。
    /// ```
    /// Name what is measured (`引进高层次人才人数`) and give a target (`≥20人`).
    ///
    /// ## Regulation
    /// 财预〔2015〕88号: 指标值 is the target level of the indicator, 细化、量化.
    ///
    /// ## Known problems
    /// A short name inside a longer, specific value (`政策宣传` in `政策宣传覆盖全区12个镇街`) is not
    /// reported unless both are 6 characters or longer, and then it is, although the value may say
    /// more than the name.
    pub struct ValueRestatesName => "V006";
}

impl Rule for ValueRestatesName {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_target(projects, |target| {
            let name = target.facts.name_norm();
            let value = target.value_norm;
            if name.is_empty() || value.is_empty() {
                return;
            }
            let long = |s: &str| s.chars().count() >= MIN_CONTAINED;
            let same = name == value;
            let contained = matches!(target.value.kind, ValueKind::Qualitative)
                && long(name)
                && long(value)
                && (name.contains(value) || value.contains(name));
            if !(same || contained) {
                return;
            }
            let how = if same {
                "与指标名称相同"
            } else {
                "只是重复了指标名称"
            };
            out.push(target.finding(
                Self::CODE,
                format!(
                    "指标“{}”的{}“{}”{how}，没有给出目标",
                    target.name(),
                    target.label,
                    target.value.raw.trim()
                ),
                "指标名称写考核什么，指标值写达到多少：请给出可衡量的目标值（如“≥20人”“≥90%”），或改用“达到/基本达到/未达到”等分级表述。",
            ));
        });
    }
}
