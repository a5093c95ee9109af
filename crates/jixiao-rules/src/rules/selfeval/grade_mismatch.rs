use jixiao_score::Grade;

use super::for_each_scored;
use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 核对公布的自评等级是否与公布的总分对应：优 ≥ 90分，良 80–89分，中 60–79分，差 < 60分（分档见计分政策的`[grades]`）。
    ///
    /// ## 为什么是问题
    /// 等级由总分决定，是自评结果里最常被引用的一项。总分85分却评“优”，抬高了等级；财政部门按等级安排预算时，依据就错了。
    ///
    /// ## 示例
    /// ```text
    /// 总分	100	85
    /// 自评等级	优
    /// ```
    /// 85分应为“良”。
    ///
    /// ## 依据
    /// 财预〔2020〕10号的等级划分：优 ≥ 90分，良 80–89分，中 60–79分，差 < 60分（DOMAIN.md §5；`docs/scoring.md` 第9节）。
    ///
    /// ## 已知局限
    /// 只核对公布的总分和公布的等级是否一致；总分本身是否等于各项得分之和由E003核对。等级写法不是“优、良、中、差”或“优秀、良好、中等、较差”时（如仍是模板文字“优良中低差”）不核对。
    pub struct GradeMismatch => "E004";
}

impl Rule for GradeMismatch {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let grades = &cx.settings.score_policy.grades;
        for_each_scored(projects, cx, |scored| {
            let Some(evaluation) = scored.project.evaluation.as_deref() else {
                return;
            };
            let (Some(total), Some(published)) = (&evaluation.total_score, &evaluation.grade)
            else {
                return;
            };
            let Some(grade) = Grade::from_text(&published.text) else {
                return;
            };
            let expected = grades.grade(total.value);
            if grade == expected {
                return;
            }
            out.push(scored.finding(
                Self::CODE,
                published.span.clone(),
                format!(
                    "公布总分 {} 对应等级“{expected}”，公布的等级却是“{}”",
                    total.raw,
                    published.text.trim()
                ),
                "按总分确定等级：优 ≥ 90分，良 80–89分，中 60–79分，差 < 60分。",
            ));
        });
    }
}
