//! What several rules derive from the same document, computed once per document.
//!
//! The eight V rules, I001–I004, I006, C001 and G003 each used to normalise every indicator's
//! name and values and look up its category for themselves; on large inputs that repeated work
//! was most of the review's time. The engine builds one [`DocumentIndex`] per document and
//! hands it to the rules through [`Context::index`](crate::engine::Context::index).

use std::borrow::Cow;

use jixiao_model::{Document, Indicator, Project, Unit, Value};

use super::util;

/// A document with its projects' and indicators' derived facts.
#[derive(Debug, Clone)]
pub struct DocumentIndex<'d> {
    document: &'d Document,
    projects: Vec<ProjectFacts>,
    /// Every indicator's facts, project after project, in document order.
    indicators: Vec<IndicatorFacts<'d>>,
}

/// Facts about one project's indicator set.
#[derive(Debug, Clone, Copy)]
struct ProjectFacts {
    /// Where the project's indicators start in [`DocumentIndex::indicators`].
    first: usize,
    /// Bit `n` set when an indicator has 一级 family code `n` (`1`–`4`).
    families: u8,
    /// An indicator is a cost indicator ([`util::is_cost_indicator`]).
    has_cost: bool,
}

/// Facts about one indicator.
#[derive(Debug, Clone)]
pub struct IndicatorFacts<'d> {
    /// `match_key` of the name.
    pub name_key: Cow<'d, str>,
    /// `normalized` name when it differs from `name_key`; see [`IndicatorFacts::name_norm`].
    name_norm: Option<String>,
    /// `normalized` annual value.
    pub annual_norm: Option<Cow<'d, str>>,
    /// `normalized` period value, when it says something else than the annual value (tables
    /// often repeat the annual value as the period value).
    pub distinct_period_norm: Option<Cow<'d, str>>,
}

/// One project of an indexed document.
#[derive(Debug, Clone, Copy)]
pub struct IndexedProject<'i, 'd> {
    pub unit: &'d Unit,
    pub project: &'d Project,
    facts: ProjectFacts,
    indicators: &'i [IndicatorFacts<'d>],
}

impl<'d> DocumentIndex<'d> {
    pub fn new(document: &'d Document) -> Self {
        let mut projects = Vec::new();
        let mut indicators = Vec::with_capacity(document.indicator_count());
        for (_, project) in document.projects() {
            let mut facts = ProjectFacts {
                first: indicators.len(),
                families: 0,
                has_cost: false,
            };
            for indicator in &project.indicators {
                if let Some(bit) = util::family_code(indicator).and_then(family_bit) {
                    facts.families |= bit;
                }
                facts.has_cost |= util::is_cost_indicator(indicator);
                indicators.push(IndicatorFacts::new(indicator));
            }
            projects.push(facts);
        }
        Self {
            document,
            projects,
            indicators,
        }
    }

    pub fn document(&self) -> &'d Document {
        self.document
    }

    /// Every project with its unit and facts, in document order.
    pub fn projects(&self) -> impl Iterator<Item = IndexedProject<'_, 'd>> {
        self.document
            .projects()
            .zip(&self.projects)
            .map(|((unit, project), facts)| IndexedProject {
                unit,
                project,
                facts: *facts,
                indicators: &self.indicators[facts.first..facts.first + project.indicators.len()],
            })
    }
}

impl<'d> IndicatorFacts<'d> {
    fn new(indicator: &'d Indicator) -> Self {
        let name_key = jixiao_model::match_key(&indicator.name.text);
        let name_norm = util::without_dropped(&name_key);
        let norm = |v: &'d Value| util::normalized_cow(&v.raw);
        let annual_norm = indicator.annual.as_ref().map(norm);
        let distinct_period_norm = indicator
            .period
            .as_deref()
            .map(norm)
            .filter(|p| annual_norm.as_ref().is_none_or(|a| a != p));
        Self {
            name_key,
            name_norm,
            annual_norm,
            distinct_period_norm,
        }
    }
}

impl IndicatorFacts<'_> {
    /// The `normalized` name.
    pub fn name_norm(&self) -> &str {
        self.name_norm.as_deref().unwrap_or(&self.name_key)
    }
}

impl<'i, 'd> IndexedProject<'i, 'd> {
    /// Each indicator with its facts.
    pub fn indicators(self) -> impl Iterator<Item = (&'d Indicator, &'i IndicatorFacts<'d>)> {
        self.project.indicators.iter().zip(self.indicators)
    }

    /// The facts of each indicator, in order.
    pub fn facts(self) -> &'i [IndicatorFacts<'d>] {
        self.indicators
    }

    /// True when an indicator has the 一级 family `code` (`1`–`4`), as [`util::family_code`]
    /// gives it.
    pub fn has_family(&self, code: &str) -> bool {
        match family_bit(code) {
            Some(bit) => self.facts.families & bit != 0,
            None => self
                .project
                .indicators
                .iter()
                .any(|i| util::family_code(i) == Some(code)),
        }
    }

    /// True when an indicator is a cost indicator.
    pub fn has_cost(&self) -> bool {
        self.facts.has_cost
    }
}

fn family_bit(code: &str) -> Option<u8> {
    match code {
        "1" => Some(1 << 1),
        "2" => Some(1 << 2),
        "3" => Some(1 << 3),
        "4" => Some(1 << 4),
        _ => None,
    }
}
