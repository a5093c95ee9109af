use jixiao_score::formula;
use rust_decimal::Decimal;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 核对自评表公布的总分是否等于预算执行得分与各指标得分之和。总分只写到较少位数时（如各项合计92.58，总分写92.6），按总分的位数四舍五入后比较。
    ///
    /// ## 为什么是问题
    /// 总分决定自评等级，是各项得分的合计。合计不符，说明总分是估的、抄的，或某一行得分改过而总分没有跟着改，等级也就不可信。
    ///
    /// ## 示例
    /// ```text
    /// 总分	100	95
    /// ```
    /// 而预算执行得分9与各指标得分20、18、25、20合计92。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评计分方法：总分为预算执行与各指标得分之和（DOMAIN.md §5；`docs/scoring.md` 第9节）。
    ///
    /// ## 已知局限
    /// 只在读到的分值合计正好是满分（计分政策的`total`，默认100分）、且每一行都有得分时核对：表格被截断、少读了行时不核对。表中没有给预算执行分值时，按计分政策的预算执行分值计。
    pub struct TotalNotSum => "E003";
}

impl Rule for TotalNotSum {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let policy = &cx.settings.score_policy;
        for_each_scored(projects, cx, |scored| {
            let Some(total) = scored
                .project
                .evaluation
                .as_deref()
                .and_then(|e| e.total_score.as_ref())
            else {
                return;
            };
            // A budget line the table neither weighs nor scores (Ningxia) is not part of the total.
            let counted = scored
                .score
                .lines
                .iter()
                .filter(|line| !(line.weight_from_policy && line.published.is_none()));
            let mut points = Decimal::ZERO;
            let mut sum = Decimal::ZERO;
            for line in counted {
                let (Some(weight), Some(published)) = (line.weight, line.published) else {
                    return;
                };
                points += weight;
                sum += published;
            }
            // Points short of full marks: the table was not read whole.
            if points != policy.total {
                return;
            }
            let shown = formula::round(sum, total.value.scale());
            if sum == total.value || shown == total.value {
                return;
            }
            out.push(scored.finding(
                Self::CODE,
                total.span.clone(),
                format!(
                    "公布总分 {}，但预算执行和各指标得分合计为 {}（相差 {}）",
                    total.raw,
                    sum.normalize(),
                    (total.value - sum).normalize()
                ),
                "总分应为各项得分之和：逐行核对得分，重算总分和等级。",
            ));
        });
    }
}
