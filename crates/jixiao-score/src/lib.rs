//! Self-evaluation scoring (绩效自评计分): recompute every score of a published 绩效自评表 under a
//! scoring policy and set it beside the published one.
//!
//! Pure functions over the model: documents and a [`Policy`] in, [`ProjectScore`]s out. The
//! formulas are in [`formula`], the policies (data, `data/policies/*.toml`) in [`policy`], the
//! scoring of lines and totals in [`engine`], and the renderers in [`render`].

/// An exact decimal literal in tests (`dec!(19.58)`), without the proc-macro crate.
#[cfg(test)]
macro_rules! dec {
    ($value:literal) => {
        stringify!($value)
            .parse::<rust_decimal::Decimal>()
            .expect("a decimal literal")
    };
}

pub mod engine;
pub mod formula;
pub mod policy;
pub mod render;

pub use engine::{
    LineKind, LineScore, Method, Note, NoteKind, ProjectScore, TotalBasis, TotalScore,
    is_self_evaluation, score_document, score_project,
};
pub use formula::Level;
pub use policy::{Grade, Policy, PolicyError};
pub use render::{RenderOptions, ScoreSummary};
