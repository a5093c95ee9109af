use crate::Finding;
use crate::engine::Context;
use crate::rules::index::Projects;
use crate::rules::util;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project whose 绩效目标 is missing or empty, merely repeats the project name, or is
    /// shorter than 6 characters (after removing spaces and punctuation).
    ///
    /// ## Why is this bad?
    /// The goal states what the money will achieve; indicators are meant to break it down. Without
    /// a real goal the indicators have nothing to be checked against, and the table cannot pass
    /// review (a goal is the first item of 完整性).
    ///
    /// ## Example
    /// ```text
    /// 劳动保障监察经费	5.50	5.50			劳动保障监察经费	1、…
    /// ```
    /// Write what will be done and achieved, e.g. `开展劳动保障监察执法检查不少于12次，投诉举报案件
    /// 结案率达到97%以上，维护劳动者合法权益。`
    ///
    /// ## Regulation
    /// 财预〔2015〕88号 §25–27: the 绩效目标 is 指向明确、细化量化、合理可行.
    ///
    /// ## Known problems
    /// A short goal that is nonetheless specific (`完成培训300人次`) is long enough; a long goal may
    /// still say nothing, which this rule does not judge.
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
