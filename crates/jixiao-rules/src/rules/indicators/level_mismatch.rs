use jixiao_model::{Category, Indicator, Project, Span, Unit};

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util::{self, ByAddress, ByBytes};
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 检查指标是否归在层级中的正确位置：
    /// - 表中给出的二级属于给出的一级（`2-效益指标；12-质量指标`不符：12属于产出）；
    /// - 公开的代码与公开的名称一致（`21-社会效益`不符：社会效益是22）；
    /// - 名称与一级一致：名称含“满意”的指标不应归在其他一级下，满意度指标的名称也应提到“满意”。
    ///
    /// ## 为什么是问题
    /// 类别决定指标在绩效自评中的权重（产出50、效益30、满意度10），也决定指标体系是否完整；指标归错了类，这两者都会出错。
    ///
    /// ## 示例
    /// ```text
    /// 1、2-效益指标；12-质量指标；投诉举报案件结案率；年度指标值：≥97%。
    /// 2、产出指标：群众满意度，年度指标值：≥90%。
    /// ```
    ///
    /// ## 依据
    /// 财预〔2015〕88号和财预〔2021〕101号的一级/二级指标框架（DOMAIN.md §2）。
    ///
    /// ## 已知局限
    /// 统计满意度调查的产出指标（`满意度调查次数`）含“满意”，归在产出下会被报告。jixiao推断出的二级不与其一级核对。
    pub struct LevelMismatch => "I007";
}

impl Rule for LevelMismatch {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let profile = cx.profile();
        // A run's indicators have a handful of categories: each lookup remembers its last
        // few answers.
        let mut level1 = util::Recent::default();
        let mut level2 = util::Recent::default();
        let mut level2_by_code = util::Recent::default();
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            for (indicator, facts) in indexed.indicators() {
                let level1_code = util::level1_code(indicator);
                // Level 1: the published code and name agree.
                if let Some(category) = indicator.level1.as_ref().filter(|c| c.inferred.is_none())
                    && let (Some(code), Some(def)) = (
                        &category.code,
                        level1.get(ByAddress(category.name.as_str()), |name| {
                            profile.level1(name.0)
                        }),
                    )
                    && *code != def.code
                    && !category.raw.is_empty()
                {
                    push(
                        out,
                        unit,
                        project,
                        indicator,
                        category_span(category, indicator),
                        format!(
                            "第{}个指标“{}”的一级指标“{}”编码 {code} 与名称不符：{}的编码是 {}",
                            indicator.seq, indicator.name.text, category.raw, def.name, def.code
                        ),
                        "按指标体系改正一级指标的编码或名称，使二者一致。",
                    );
                }
                // Level 2, when given in the table.
                let mut misplaced_level2 = false;
                if let Some(category) = indicator.level2.as_ref().filter(|c| c.inferred.is_none())
                    && let Some(code) = &category.code
                {
                    let by_name = level2
                        .get(
                            (ByAddress(category.name.as_str()), level1_code.map(ByBytes)),
                            |(name, parent)| profile.level2(name.0, parent.map(|p| p.0)),
                        )
                        .filter(|def| {
                            def.code != *code
                                && (level1_code.is_none() || def.parent.as_deref() == level1_code)
                        });
                    // By the code's bytes, not its address: a code given in the table is the
                    // table's own text, never the profile's, so no two addresses were alike and
                    // every indicator scanned the profile's list of 二级. A taxonomy has a few
                    // dozen codes and a project uses a handful.
                    let parent = level2_by_code
                        .get(ByBytes(code.as_str()), |code| {
                            profile.level2_by_code(code.0)
                        })
                        .and_then(|d| d.parent.as_deref());
                    if let Some(def) = by_name {
                        push(
                            out,
                            unit,
                            project,
                            indicator,
                            category_span(category, indicator),
                            format!(
                                "第{}个指标“{}”的二级指标“{}”编码 {code} 与名称不符：{}的编码是 {}",
                                indicator.seq,
                                indicator.name.text,
                                category.raw,
                                def.name,
                                def.code
                            ),
                            "按指标体系改正二级指标的编码或名称，使二者一致。",
                        );
                    } else if let (Some(parent), Some(level1_code)) = (parent, level1_code)
                        && parent != level1_code
                    {
                        misplaced_level2 = true;
                        let parent_name = profile
                            .level1_by_code(parent)
                            .map_or(parent, |d| d.name.as_str());
                        let level1_name = indicator.level1.as_ref().map_or("", |c| c.name.as_str());
                        push(
                            out,
                            unit,
                            project,
                            indicator,
                            category_span(category, indicator),
                            format!(
                                "第{}个指标“{}”的二级指标“{}”属于{parent_name}，却列在{level1_name}下",
                                indicator.seq, indicator.name.text, category.raw
                            ),
                            "把指标移到正确的一级指标下，或改正二级指标。",
                        );
                    }
                }
                // The name agrees with the level 1.
                let Some(family) = facts.family else {
                    continue;
                };
                let satisfied = facts.satisfied;
                // A misplaced 二级 was reported above; its name says the same again.
                if satisfied && family != "3" && !misplaced_level2 {
                    let level1_name = indicator.level1.as_ref().map_or("", |c| c.name.as_str());
                    push(
                        out,
                        unit,
                        project,
                        indicator,
                        indicator.name.span.clone(),
                        format!(
                            "第{}个指标“{}”衡量满意度，却列在{level1_name}下",
                            indicator.seq, indicator.name.text
                        ),
                        "满意度指标应列在“满意度指标—服务对象满意度指标”下。",
                    );
                } else if !satisfied && family == "3" {
                    push(
                        out,
                        unit,
                        project,
                        indicator,
                        indicator.name.span.clone(),
                        format!(
                            "第{}个指标“{}”列在满意度指标下，但名称不是满意度",
                            indicator.seq, indicator.name.text
                        ),
                        "把该指标移到产出或效益指标下，或改为服务对象满意度指标（如“学员满意度≥90%”）。",
                    );
                }
            }
        }
    }
}

fn category_span(category: &Category, indicator: &Indicator) -> Span {
    category
        .span
        .clone()
        .unwrap_or_else(|| indicator.name.span.clone())
}

fn push(
    out: &mut Vec<Finding>,
    unit: &Unit,
    project: &Project,
    indicator: &Indicator,
    span: Span,
    message: String,
    help: &'static str,
) {
    out.push(
        Finding::new(LevelMismatch::CODE, span, message, help)
            .in_project(&unit.name.text, &project.name.text)
            .at_indicator(indicator.seq),
    );
}
