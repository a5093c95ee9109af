use std::collections::HashMap;

use jixiao_model::{Document, Span};

use crate::Finding;
use crate::engine::Context;
use crate::rules::util;
use crate::rules::{CorpusState, Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a 绩效目标 used word for word (after removing spaces and punctuation) by `min_projects`
    /// or more projects (default 3) across everything checked in one run. One finding per goal, at
    /// its first occurrence, naming every project; the other occurrences are related places.
    /// Goals shorter than 10 characters are left to G001.
    ///
    /// ## Why is this bad?
    /// A goal copied across projects describes none of them: each project spends different money
    /// in a different place and should say what it in particular will achieve. Copied goals are a
    /// classic sign of targets filled in to satisfy the form.
    ///
    /// ## Example
    /// ```text
    /// 赤坭镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// 花东镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// 花山镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// ```
    /// Give each project its own goal with its own numbers (参保人数, 扩面任务完成率 for that town).
    ///
    /// ## Regulation
    /// 财预〔2015〕88号 §25: goals are 指向明确 (specific to the project). Reviewers treat copied goals
    /// as boilerplate (DOMAIN.md §4 "Honest").
    ///
    /// ## Known problems
    /// Projects that are genuinely one programme split by place (the same subsidy for each town)
    /// may share a goal on purpose; goals that differ by one word are not grouped.
    pub struct BoilerplateGoal => "G002";
}

impl Rule for BoilerplateGoal {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}

    fn corpus_state(&self) -> Option<Box<dyn CorpusState>> {
        Some(Box::<State>::default())
    }
}

/// Where a goal was used.
#[derive(Debug)]
struct Use {
    span: Span,
    unit: String,
    project: String,
}

#[derive(Debug, Default)]
struct State {
    /// Normalised goal → index into `groups`, so groups keep the order they were first seen in.
    index: HashMap<String, usize>,
    groups: Vec<(String, Vec<Use>)>,
}

impl CorpusState for State {
    fn observe(&mut self, document: &Document, _cx: &Context<'_>) {
        for (unit, project) in util::projects(document) {
            let Some(goal) = &project.goal else { continue };
            let key = util::normalized(&goal.text);
            if key.chars().count() < 10 {
                continue;
            }
            let next = self.groups.len();
            let slot = *self.index.entry(key).or_insert(next);
            if slot == next {
                self.groups.push((goal.text.to_string(), Vec::new()));
            }
            self.groups[slot].1.push(Use {
                span: goal.span.clone(),
                unit: unit.name.text.to_string(),
                project: project.name.text.to_string(),
            });
        }
    }

    fn finish(self: Box<Self>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let min = cx
            .settings
            .number(BoilerplateGoal::CODE, "min_projects", 3.0)
            .max(2.0)
            .ceil() as usize;
        for (text, uses) in self.groups {
            if uses.len() < min {
                continue;
            }
            let names: Vec<&str> = uses.iter().map(|u| u.project.as_str()).collect();
            let first = &uses[0];
            let mut finding = Finding::new(
                BoilerplateGoal::CODE,
                first.span.clone(),
                format!(
                    "{} 个项目使用相同的绩效目标“{}”：{}",
                    uses.len(),
                    excerpt(&text, 40),
                    names.join("、")
                ),
                "为每个项目分别写明其自身的绩效目标，写出该项目特有的产出、效果和数量。",
            )
            .in_project(&first.unit, &first.project);
            finding.related = uses[1..].iter().map(|u| u.span.clone()).collect();
            out.push(finding);
        }
    }
}

/// The first `max` characters of a text, with `…` when cut.
fn excerpt(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
