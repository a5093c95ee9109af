use jixiao_model::ValueKind;

use super::for_each_target;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

/// Shortest text, in characters, for which containment counts as restating.
const MIN_CONTAINED: usize = 6;

declare_rule! {
    /// ## 检查什么
    /// 报告重复指标名称的目标值：去除引号、空格和标点后二者相同；或者对定性值而言，一个包含另一个，且二者都至少有6个字；或者不含数字的定性值在去掉“的、地、之”后包含至少6个字的指标名称（`保障自谋职业随军家属基本生活`→`通过发放该补贴，保障自谋职业随军家属的基本生活`）。
    ///
    /// ## 为什么是问题
    /// `为花都区提供人才智力支持 → 为花都区提供人才智力支持`根本没有设定目标：它说的是指标关于什么，而不是要达到多少。审核人将其视同缺少目标值。
    ///
    /// ## 示例
    /// ```text
    /// 1、效益指标：为花都区提供人才智力支持，年度指标值：为花都区提供人才智力支持。
    /// ```
    /// 写明衡量什么（`引进高层次人才人数`），并给出目标（`≥20人`）。
    ///
    /// ## 依据
    /// 财预〔2015〕88号：指标值是指标的目标水平，应细化、量化。
    ///
    /// ## 已知局限
    /// 较短的名称包含在较长的具体指标值中（`政策宣传`之于`政策宣传覆盖全区12个镇街`）时，除非二者都有6个字或以上，否则不报告；二者都达到6个字时则会报告，尽管指标值可能比名称说得更多。
    pub struct ValueRestatesName => "V006";
}

/// The text without the structural particles (`的`, `地`, `之`) a restatement may add.
fn without_particles(text: &str) -> String {
    // The runs between particles copied whole, not a character at a time.
    text.split(['的', '地', '之']).collect()
}

/// Whether `text` has a particle [`without_particles`] takes out.
fn has_particles(text: &str) -> bool {
    text.contains(['的', '地', '之'])
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
                && (util::has(name, value) || util::has(value, name));
            // `保障…家属基本生活` restated as `通过发放该补贴，保障…家属的基本生活`: the words
            // added are only particles and a means clause, with no figure to measure.
            let contained_but_particles = || {
                matches!(target.value.kind, ValueKind::Qualitative)
                    && long(name)
                    && !value.chars().any(|c| c.is_ascii_digit())
                    // Without a particle on either side this is `contained`, already false: the
                    // copies without particles are made only when they can differ.
                    && (has_particles(value) || has_particles(name))
                    && util::has(&without_particles(value), &without_particles(name))
            };
            if !(same || contained || contained_but_particles()) {
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
