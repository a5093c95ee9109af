use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告得分高于本行分值（权重）的预算执行行和指标行。只用表中写明的分值；表中没有分值时不核对。
    ///
    /// ## 为什么是问题
    /// 分值是一行最多能得的分。得分超过分值，总分就会虚高，等级也可能因此抬高；通常是分值和得分两栏填反，或照抄了别的行。
    ///
    /// ## 示例
    /// ```text
    /// 产出指标	数量指标	服务老人人数	≥500人	520人	20	22
    /// ```
    /// 分值20，得分22。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的自评计分方法：每一行的得分以分值为上限（DOMAIN.md §5；`docs/scoring.md` 第1–6节）。
    ///
    /// ## 已知局限
    /// 表格转存时分值与得分粘连（如`8550万粒`）而拆错的行，可能被误读为得分高于分值，请对照原表。
    pub struct ScoreAboveWeight => "E002";
}

impl Rule for ScoreAboveWeight {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        const HELP: &str = "得分不能超过分值：核对分值和得分两栏是否填反，按计分规则重算得分。";
        for_each_scored(projects, cx, |scored| {
            let budget = scored
                .score
                .lines
                .iter()
                .take_while(|line| line.kind == jixiao_score::LineKind::Budget);
            for line in budget {
                if let (Some(weight), Some(published)) = (line.weight, line.published)
                    && !line.weight_from_policy
                    && published > weight
                {
                    out.push(scored.finding(
                        Self::CODE,
                        line.span.clone(),
                        format!("预算执行得分 {published} 高于分值 {weight}"),
                        HELP,
                    ));
                }
            }
            for (indicator, line) in scored.indicator_lines() {
                if let (Some(weight), Some(published)) = (line.weight, line.published)
                    && published > weight
                {
                    out.push(scored.indicator_finding(
                        Self::CODE,
                        indicator,
                        format!("指标“{}”得分 {published} 高于分值 {weight}", line.name),
                        HELP,
                    ));
                }
            }
        });
    }
}
