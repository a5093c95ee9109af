use jixiao_score::Method;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告完成值已达到目标、却没有得满分的定量指标和时限指标：正向指标（≥）完成值不低于目标值，反向指标（≤）完成值不高于目标值，等于目标的数量指标完成值等于目标值，时限指标按期完成。是否达到目标由计分引擎（`jixiao score`）判断。
    ///
    /// ## 为什么是问题
    /// 目标完成了就应得满分。扣了分，要么完成值或目标值填错了，要么得分是凭感觉给的；无论哪种，自评结果都与表中的数字对不上。
    ///
    /// ## 示例
    /// ```text
    /// 时效指标	资金到位及时率	≧	100	%	100%	10	7
    /// ```
    /// 完成100%，达到目标，却只得7分（第33号样表，永德县明朗中学）。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评计分方法：定量指标按完成值与目标值之比计分、以分值为上限，达到目标即得满分；时限指标按期完成得满分（DOMAIN.md §5；`docs/scoring.md` 第2–5节）。
    ///
    /// ## 已知局限
    /// 定性指标不报告：“达成”的得分可以在分值的80%–100%之间，扣一些分不算错。扣分的理由写在别处（如质量问题另行扣分）时也会被报告。
    pub struct DeductedThoughMet => "E006";
}

impl Rule for DeductedThoughMet {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for_each_scored(projects, cx, |scored| {
            for (indicator, line) in scored.indicator_lines() {
                let decided = matches!(
                    line.method,
                    Method::HigherIsBetter
                        | Method::LowerIsBetter
                        | Method::ExactCount
                        | Method::Deadline
                );
                let (Some(weight), Some(published), Some(recomputed)) =
                    (line.weight, line.published, line.recomputed)
                else {
                    continue;
                };
                if !decided || recomputed != weight || published >= weight {
                    continue;
                }
                out.push(scored.indicator_finding(
                    Self::CODE,
                    indicator,
                    format!(
                        "指标“{}”完成值“{}”已达到目标“{}”，却只得 {published} 分（分值 {weight}）",
                        line.name,
                        line.actual.as_deref().unwrap_or_default(),
                        line.target.as_deref().unwrap_or_default()
                    ),
                    "完成目标的指标应得满分：核对完成值、目标值和得分，改正填错的一项。",
                ));
            }
        });
    }
}
