//! The review engine: rules that check 绩效目标 the way an expert reviewer does.
//!
//! Every rule has a stable code (see [`codes`]), lives in its own file under `rules/<family>/`, and
//! documents itself, in Chinese for the reviewers who read it, with the sections `## 检查什么`,
//! `## 为什么是问题`, `## 示例`, `## 依据` and `## 已知局限`. Findings are data; [`render`] turns
//! them into text, JSON, SARIF or CSV.

pub mod codes;
mod engine;
mod finding;
pub mod grade;
pub mod render;
mod rules;
pub mod scratch;
pub mod settings;

pub use codes::{CODES, CodeInfo, Family, Status};
pub use engine::{Checker, CorpusNotes, ProjectGrade, Report, Summary, problem_finding};
pub use finding::{Finding, Severity};
pub use rules::{CorpusState, Rule, all_rules, is_payout_timeliness, rule_for, rule_page};
pub use scratch::{Scratch, ScratchFactory};
pub use settings::{Options, Settings};
