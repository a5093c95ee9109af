use jixiao_score::{Level, Method, formula};

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告没有达到目标、却得了满分的指标：正向指标（≥）完成值低于目标值，反向指标（≤）完成值高于目标值，时限指标未按期完成，定性指标的完成情况写明“未完成”“未达到”等。是否达到目标由计分引擎（`jixiao score`）判断。
    ///
    /// ## 为什么是问题
    /// 没完成目标却给满分，自评就失去了意义：总分和等级虚高，偏差也不会被分析和改进。
    ///
    /// ## 示例
    /// ```text
    /// 产出指标	质量指标	服务合格率	≥95%	90%	20	20
    /// ```
    /// 完成90%，低于目标95%，却得满分20分；按规定应得 20 × 90 ÷ 95 = 18.95 分。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评计分方法：未达到目标的定量指标按完成比例计分，定性指标“未达成”得分在分值的60%以下（DOMAIN.md §5；`docs/scoring.md` 第2–6节）。
    ///
    /// ## 已知局限
    /// 等于目标的数量、金额指标（如成本“=6万元”）不报告：少花了钱未必是没完成。完成值与目标单位不同时无法比较，不报告（见E011）。
    pub struct FullPointsThoughMissed => "E007";
}

impl Rule for FullPointsThoughMissed {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let policy = &cx.settings.score_policy;
        for_each_scored(projects, cx, |scored| {
            for (indicator, line) in scored.indicator_lines() {
                let (Some(weight), Some(published), Some(recomputed)) =
                    (line.weight, line.published, line.recomputed)
                else {
                    continue;
                };
                if published < weight || recomputed >= weight {
                    continue;
                }
                // A qualitative line's recomputed score is the published one brought into its
                // band: full points fall outside only when the words say the target was missed
                // or half reached, and only 未达成 is a miss.
                let missed = match line.method {
                    Method::HigherIsBetter | Method::LowerIsBetter | Method::Deadline => true,
                    Method::Qualitative => {
                        let (_, missed_high) =
                            formula::qualitative_band(weight, Level::Missed, &policy.qualitative);
                        line.band.is_some_and(|[_, high]| {
                            high <= formula::round(missed_high, policy.decimals)
                        })
                    }
                    _ => false,
                };
                if !missed {
                    continue;
                }
                // A qualitative score may be anywhere in its band.
                let due = match line.band {
                    Some([low, high]) => format!("{low}–{high}"),
                    None => recomputed.to_string(),
                };
                out.push(scored.indicator_finding(
                    Self::CODE,
                    indicator,
                    format!(
                        "指标“{}”完成值“{}”未达到目标“{}”，却得满分 {published}；按计分规则应得 {due} 分",
                        line.name,
                        line.actual.as_deref().unwrap_or_default(),
                        line.target.as_deref().unwrap_or_default()
                    ),
                    "未完成目标的指标不应得满分：按完成比例重算得分，并在偏差原因中说明未完成的原因。",
                ));
            }
        });
    }
}
