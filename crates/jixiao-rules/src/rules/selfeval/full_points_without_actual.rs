use jixiao_model::ValueKind;
use jixiao_score::Method;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告实际完成值为空（或只有`—`、`/`）却得了满分的指标。只在这张表确有完成值一栏时报告：本项目至少有一个指标填了完成值，或这一格明确是空的。
    ///
    /// ## 为什么是问题
    /// 没有完成值，就无从判断目标是否完成；按规定这样的指标得0分。给满分等于没有依据地给分，总分和等级都会虚高。
    ///
    /// ## 示例
    /// ```text
    /// 效益指标	社会效益指标	老人生活质量提升	明显提升		30	30
    /// ```
    /// 完成值一格为空，却得30分（满分）。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评计分方法：没有实际完成值的指标得0分（DOMAIN.md §5；`docs/scoring.md` 第7节）。
    ///
    /// ## 已知局限
    /// 完成值在转存时与其他格粘连、没有读出来的行（见S003、V001）也会表现为没有完成值，请对照原表。
    pub struct FullPointsWithoutActual => "E005";
}

impl Rule for FullPointsWithoutActual {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_scored(projects, cx, |scored| {
            let has_actual_column = scored.project.indicators.iter().any(|indicator| {
                indicator
                    .details
                    .as_deref()
                    .and_then(|d| d.actual.as_ref())
                    .is_some_and(|actual| !matches!(actual.kind, ValueKind::Empty))
            });
            for (indicator, line) in scored.indicator_lines() {
                let cell_present = indicator
                    .details
                    .as_deref()
                    .is_some_and(|d| d.actual.is_some());
                if line.method != Method::NoActual || !(has_actual_column || cell_present) {
                    continue;
                }
                let (Some(weight), Some(published)) = (line.weight, line.published) else {
                    continue;
                };
                if weight > rust_decimal::Decimal::ZERO && published >= weight {
                    out.push(scored.indicator_finding(
                        Self::CODE,
                        indicator,
                        format!(
                            "指标“{}”没有实际完成值，却得满分 {published}（分值 {weight}）",
                            line.name
                        ),
                        "填写实际完成值并按完成情况计分；确实没有完成值的指标得0分。",
                    ));
                }
            }
        });
    }
}
