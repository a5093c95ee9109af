use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告绩效目标缺失或为空、只是重复项目名称，或去除空格和标点后不足6个字的项目。
    ///
    /// ## 为什么是问题
    /// 绩效目标说明资金要达到什么效果，指标是对它的分解。没有实在的目标，指标就没有可对照的对象，该表也通不过审核（目标是完整性审核的第一项）。
    ///
    /// ## 示例
    /// ```text
    /// 劳动保障监察经费	5.50	5.50			劳动保障监察经费	1、…
    /// ```
    /// 写明要做什么、达到什么，例如`开展劳动保障监察执法检查不少于12次，投诉举报案件结案率达到97%以上，维护劳动者合法权益。`
    ///
    /// ## 依据
    /// 财预〔2015〕88号 §25–27：绩效目标应指向明确、细化量化、合理可行。
    ///
    /// ## 已知局限
    /// 短而具体的目标（`完成培训300人次`）长度已够；长的目标也可能言之无物，本规则对此不作判断。
    pub struct GoalMissing => "G001";
}

impl Rule for GoalMissing {
    rule_meta!();

    fn check_projects(&self, projects: &Projects<'_>, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let help = "写明项目要做什么、做到什么程度、带来什么效果，尽量给出数量、质量、时限等可衡量的目标。";
        // A table cut above its grid lost its header block, goals included.
        let header_lost = projects
            .document()
            .truncation
            .as_ref()
            .is_some_and(|t| t.starts_midway);
        for indexed in projects.projects() {
            let (unit, project) = (indexed.unit, indexed.project);
            let (span, message) = match &project.goal {
                None if header_lost => continue,
                None => (
                    project.name.span.clone(),
                    format!("项目“{}”没有填写绩效目标", project.name.text),
                ),
                Some(goal) => {
                    let name = util::normalized_cow(&project.name.text);
                    // A goal with at least six ideographs, and more than the name has characters,
                    // is neither empty, nor the name, nor too short: most goals are decided
                    // without normalising them.
                    if util::has_ideographs(&goal.text, name.chars().count().max(5) + 1) {
                        continue;
                    }
                    let key = util::normalized_cow(&goal.text);
                    if key.is_empty() {
                        (
                            project.name.span.clone(),
                            format!("项目“{}”没有填写绩效目标", project.name.text),
                        )
                    } else if key == name {
                        (
                            goal.span.clone(),
                            format!(
                                "项目“{}”的绩效目标“{}”只是重复项目名称",
                                project.name.text, goal.text
                            ),
                        )
                    } else if key.chars().count() < 6 {
                        (
                            goal.span.clone(),
                            format!(
                                "项目“{}”的绩效目标“{}”过于简短，说不清要达到什么",
                                project.name.text, goal.text
                            ),
                        )
                    } else {
                        continue;
                    }
                }
            };
            out.push(
                Finding::new(Self::CODE, span, message, help)
                    .in_project(&unit.name.text, &project.name.text),
            );
        }
    }
}
