//! The rules, one per file, grouped by family.

mod amounts;
mod costs;

pub use costs::is_payout_timeliness;
mod goals;
pub(crate) mod index;
mod indicators;
mod selfeval;
mod structure;
pub(crate) mod util;
mod values;

use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::scratch::ScratchFactory;
use index::{GoalKeys, Projects};
pub(crate) use values::Texts;

/// A review rule.
pub trait Rule: Sync {
    /// The rule's code in the codes table.
    fn code(&self) -> &'static str;
    /// The rule's documentation (Markdown with the fixed sections).
    fn doc(&self) -> &'static str;
    /// True for a rule that reads every goal, name and value of a document
    /// ([`Rule::check_texts`]): the engine collects them once per document for all such rules.
    fn reads_texts(&self) -> bool {
        false
    }
    /// Checks the texts of a document's projects (every goal, indicator name and value, without
    /// a period value that repeats the annual one word for word); called once per document,
    /// before [`Rule::check_document`], for a rule whose [`Rule::reads_texts`] is true.
    fn check_texts(&self, _texts: &Texts<'_>, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
    /// True for a rule that reads the match keys of goals ([`index::IndexedProject::goal_key`]):
    /// the engine keys a document's goals once for all such rules and the corpus-wide notes.
    fn reads_goal_keys(&self) -> bool {
        false
    }
    /// Checks what concerns a document as a whole (its totals); called once per document, before
    /// [`Rule::check_projects`].
    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
    /// Checks a run of a document's projects; called for each run in document order. Rules that
    /// look at one project at a time check here, so that every rule reads a project while it is
    /// still in the CPU cache.
    fn check_projects(&self, _projects: &Projects<'_>, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
    }
    /// Rules that look across every checked document (G002) keep state here.
    fn corpus_state(&self) -> Option<Box<dyn CorpusState>> {
        None
    }
}

/// State of a rule that looks across documents: fed each document, then asked for findings.
/// A document is taken in two steps: [`CorpusState::note`] writes what the state needs of it
/// into bytes, on whichever thread checked the document, and [`CorpusState::observe_notes`]
/// takes those bytes in document order, on the thread that keeps the state; the documents need
/// not travel there.
pub trait CorpusState: Send + Sync {
    /// Appends to `notes` what the state needs of `document`, whose goals' match keys are
    /// `goals` when the engine made them.
    fn note(
        &self,
        document: &Document,
        goals: Option<&GoalKeys<'_>>,
        cx: &Context<'_>,
        notes: &mut Vec<u8>,
    );
    /// Takes the notes of documents (one or more documents' [`CorpusState::note`] in turn).
    fn observe_notes(&mut self, notes: &[u8]);
    /// Where to keep what grows with the corpus, given before the first document; the state
    /// keeps it in memory otherwise.
    fn use_scratch(&mut self, _make: &ScratchFactory) -> std::io::Result<()> {
        Ok(())
    }
    /// Hands each finding to `out` as soon as it is made, so that a report can be written
    /// without holding every finding (a large list's G002 findings name a million projects).
    /// Fails when reading back the scratch fails, or with `out`'s error, after which it stops.
    fn finish(
        self: Box<Self>,
        cx: &Context<'_>,
        out: &mut dyn FnMut(Finding) -> std::io::Result<()>,
    ) -> std::io::Result<()>;
}

/// Declares a rule struct whose doc comment becomes its `doc()`.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident => $code:literal;) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl $name {
            pub const CODE: &'static str = $code;
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }
    };
}
pub(crate) use declare_rule;

/// Implements `code()` and `doc()` of [`Rule`] from a `declare_rule!` struct.
macro_rules! rule_meta {
    () => {
        fn code(&self) -> &'static str {
            Self::CODE
        }
        fn doc(&self) -> &'static str {
            Self::DOC
        }
    };
}
pub(crate) use rule_meta;

/// Every rule, in code order.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = Vec::new();
    rules.extend(amounts::RULES);
    rules.extend(structure::RULES);
    rules.extend(indicators::RULES);
    rules.extend(values::RULES);
    rules.extend(goals::RULES);
    rules.extend(costs::RULES);
    rules.extend(selfeval::RULES);
    rules.sort_by_key(|r| r.code());
    rules
}

/// The rule with a code (`A001`) or name (`amounts-row-sum`).
pub fn rule_for(code_or_name: &str) -> Option<&'static dyn Rule> {
    let info = crate::codes::lookup(code_or_name)?;
    all_rules().into_iter().find(|r| r.code() == info.code)
}

/// The Markdown page of one rule: `jixiao rule CODE` prints it and docs/rules/CODE.md holds it.
pub fn rule_page(code: &str) -> Option<String> {
    let info = crate::codes::lookup(code)?;
    let rule = rule_for(code)?;
    let status = match info.status {
        crate::Status::Stable => "稳定",
        crate::Status::Preview => "预览",
    };
    Some(format!(
        "# {} {}（{}）\n\n类别：{}；默认级别：{}；状态：{status}\n\n{}\n",
        info.code,
        info.name,
        info.title,
        info.family.label(),
        info.severity.label(),
        rule.doc()
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTIONS: [&str; 5] = [
        "## 检查什么",
        "## 为什么是问题",
        "## 示例",
        "## 依据",
        "## 已知局限",
    ];

    #[test]
    fn every_rule_documents_every_section() {
        for rule in all_rules() {
            let headings: Vec<&str> = rule
                .doc()
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("## "))
                .collect();
            assert_eq!(
                headings,
                SECTIONS,
                "{}: sections missing or out of order",
                rule.code()
            );
        }
    }

    /// Reviewers read the documentation: every section is written in Chinese (code and examples
    /// aside).
    #[test]
    fn every_section_is_in_chinese() {
        let is_chinese = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        for rule in all_rules() {
            for section in rule.doc().split("## ").skip(1) {
                let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
                let prose: String = body
                    .split("```")
                    .step_by(2)
                    .collect::<String>()
                    .split('`')
                    .step_by(2)
                    .collect();
                let chinese = prose.chars().filter(|&c| is_chinese(c)).count();
                let latin = prose.chars().filter(char::is_ascii_alphabetic).count();
                // An example may be a code block alone.
                assert!(
                    (prose.trim().is_empty() && heading == "示例") || chinese > latin,
                    "{}: the section {heading} is not in Chinese",
                    rule.code()
                );
            }
        }
    }

    #[test]
    fn every_code_has_exactly_one_rule() {
        let rules = all_rules();
        for info in crate::CODES {
            let count = rules.iter().filter(|r| r.code() == info.code).count();
            assert_eq!(count, 1, "{} has {count} rules", info.code);
        }
        assert_eq!(rules.len(), crate::CODES.len());
    }
}
