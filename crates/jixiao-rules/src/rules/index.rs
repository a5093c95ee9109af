//! What several rules derive from the same project, computed once, and the runs of projects the
//! engine hands to the rules.
//!
//! The eight V rules, I001–I004, I006, C001 and G003 each used to normalise every indicator's
//! name and values and look up its category for themselves, and each walked the whole document:
//! on a large document every rule reread the model from memory. The engine now cuts a document
//! into runs of [`Projects`] small enough to stay in the CPU cache while every rule looks at
//! them, with the derived facts computed once per run.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use jixiao_model::{Document, Indicator, Project, Unit, Value};
use jixiao_score::{Policy, ProjectScore};
use rustc_hash::FxBuildHasher;

use super::util;

/// A run of consecutive projects of one document, with their derived facts.
#[derive(Debug)]
pub struct Projects<'d> {
    document: &'d Document,
    projects: Vec<(&'d Unit, &'d Project, ProjectFacts)>,
    /// Every indicator's facts, project after project.
    indicators: Vec<IndicatorFacts<'d>>,
    /// Where in `indicators` each name first comes, for [`IndicatorFacts::same_name`].
    names: HashMap<&'d str, usize, FxBuildHasher>,
    /// Each project's recomputed self-evaluation scores (`None` for a project that is not a
    /// self-evaluation), computed once for all the E rules on first use.
    scores: OnceCell<Vec<Option<ProjectScore>>>,
    /// The match keys of the document's goals, and where the run's first project is among the
    /// document's projects.
    goals: GoalKeys<'d>,
    first_project: usize,
}

/// The match key of each project's goal in a document, in the order of
/// [`Document::projects`], and the goal's [`util::normalized_cow`] form when it was asked for: G003
/// reads the promises in the key and G002 notes the goal by its normal form, and keying a goal of
/// a few hundred bytes for each of them cost twice.
#[derive(Debug, Default)]
pub struct GoalKeys<'d>(Vec<Option<GoalKey<'d>>>);

/// A goal's match key, and its normal form when it was asked for.
type GoalKey<'d> = (Cow<'d, str>, Option<Cow<'d, str>>);

impl<'d> GoalKeys<'d> {
    /// The keys of `document`'s goals, with their normal forms when `normalized`.
    pub fn new(document: &'d Document, normalized: bool) -> Self {
        Self(
            document
                .projects()
                .map(|(_, project)| {
                    let text = &project.goal.as_ref()?.text;
                    Some(if normalized {
                        let (key, normal) =
                            jixiao_model::match_key_and_without(text, util::is_dropped);
                        (key, Some(normal))
                    } else {
                        (jixiao_model::match_key(text), None)
                    })
                })
                .collect(),
        )
    }

    /// The match key of the goal of the document's `n`th project; `None` when the project has
    /// no goal or the keys were not made ([`GoalKeys::default`]).
    pub fn get(&self, n: usize) -> Option<&str> {
        self.0.get(n)?.as_ref().map(|(key, _)| &**key)
    }

    /// The normal form of the goal of the document's `n`th project, when it was made.
    pub fn normalized(&self, n: usize) -> Option<&str> {
        self.0.get(n)?.as_ref()?.1.as_deref()
    }
}

/// Facts about one project's indicator set.
#[derive(Debug, Clone, Copy)]
struct ProjectFacts {
    /// Where the project's indicators start in [`Projects::indicators`].
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
    /// The name mentions satisfaction (`满意`).
    pub satisfied: bool,
    /// `normalized` annual value.
    pub annual_norm: Option<Cow<'d, str>>,
    /// `normalized` period value, when it says something else than the annual value (tables
    /// often repeat the annual value as the period value).
    pub distinct_period_norm: Option<Cow<'d, str>>,
    /// The 一级 family as a code ([`util::family_code`]).
    pub family: Option<&'d str>,
    /// A cost indicator ([`util::is_cost_indicator`]).
    pub cost: bool,
    /// The position in the run (below [`Projects::indicator_count`]) of the run's first
    /// indicator with this name: rules that judge a name keep their answer there, names repeat
    /// from project to project, and one lookup here replaced a map of names in each such rule.
    pub same_name: usize,
}

/// One project of a run.
#[derive(Debug, Clone, Copy)]
pub struct IndexedProject<'i, 'd> {
    pub unit: &'d Unit,
    pub project: &'d Project,
    facts: ProjectFacts,
    indicators: &'i [IndicatorFacts<'d>],
    goal_key: Option<&'i str>,
}

impl<'d> Projects<'d> {
    /// An empty run of `document`'s projects, with room for its first `run` projects; see
    /// [`Projects::fill`]. `goals` are the keys of the document's goals, or none.
    pub fn new(document: &'d Document, goals: GoalKeys<'d>, run: usize) -> Self {
        // Sized at once: grown by doubling, the facts (a hundred bytes each) and the names were
        // copied over again in every document.
        let (projects, indicators) = document
            .projects()
            .take(run)
            .fold((0, 0), |(p, i), (_, project)| {
                (p + 1, i + project.indicators.len())
            });
        Self {
            document,
            projects: Vec::with_capacity(projects),
            indicators: Vec::with_capacity(indicators),
            names: HashMap::with_capacity_and_hasher(indicators, FxBuildHasher),
            scores: OnceCell::new(),
            goals,
            first_project: 0,
        }
    }

    /// The keys of the document's goals the run was made with.
    pub fn into_goal_keys(self) -> GoalKeys<'d> {
        self.goals
    }

    /// Replaces the run with the next `count` projects of `rest`, the document's projects after
    /// those of the runs before; false when `rest` had none.
    pub fn fill(
        &mut self,
        rest: &mut impl Iterator<Item = (&'d Unit, &'d Project)>,
        count: usize,
    ) -> bool {
        self.first_project += self.projects.len();
        self.projects.clear();
        self.indicators.clear();
        self.names.clear();
        self.scores = OnceCell::new();
        for (unit, project) in rest.take(count) {
            let mut facts = ProjectFacts {
                first: self.indicators.len(),
                families: 0,
                has_cost: false,
            };
            for indicator in &project.indicators {
                // A published 二级 of 满意度 under another 一级 (the older framework's 效益 →
                // 服务对象满意度指标) is a 满意度 indicator in the wrong place: I007 says so, and
                // the project is not missing one (I003).
                let misplaced_satisfaction = indicator
                    .level2
                    .as_ref()
                    .filter(|c| c.inferred.is_none())
                    .and_then(|c| c.code.as_deref())
                    .is_some_and(|code| code.starts_with('3'));
                if misplaced_satisfaction {
                    facts.families |= family_bit("3").unwrap_or_default();
                }
                let family = util::family_code(indicator);
                if let Some(bit) = family.and_then(family_bit) {
                    facts.families |= bit;
                }
                let cost = util::is_cost_indicator(indicator);
                facts.has_cost |= cost;
                let at = self.indicators.len();
                let same_name = *self.names.entry(indicator.name.text.as_str()).or_insert(at);
                // A name seen before in the run has the facts of its name made there already.
                let named = self.indicators.get(same_name).map(|first| {
                    (
                        first.name_key.clone(),
                        first.name_norm.clone(),
                        first.satisfied,
                    )
                });
                let mut indicator_facts = IndicatorFacts::new(indicator, named, family, cost);
                indicator_facts.same_name = same_name;
                self.indicators.push(indicator_facts);
            }
            self.projects.push((unit, project, facts));
        }
        !self.projects.is_empty()
    }

    /// How many indicators the run's projects have.
    pub fn indicator_count(&self) -> usize {
        self.indicators.len()
    }

    /// The document the projects belong to.
    pub fn document(&self) -> &'d Document {
        self.document
    }

    /// Each project's self-evaluation scores under `policy`, in the order of
    /// [`Projects::projects`]; `None` for a project that is not a self-evaluation. Every E rule
    /// runs with the same settings, so the first caller's policy is everyone's.
    pub fn scores(&self, policy: &Policy) -> &[Option<ProjectScore>] {
        self.scores.get_or_init(|| {
            self.projects
                .iter()
                .map(|&(unit, project, _)| {
                    jixiao_score::is_self_evaluation(self.document, project).then(|| {
                        jixiao_score::score_project(&self.document.source, unit, project, policy)
                    })
                })
                .collect()
        })
    }

    /// Every project with its unit and facts, in document order.
    pub fn projects(&self) -> impl Iterator<Item = IndexedProject<'_, 'd>> + Clone {
        self.projects
            .iter()
            .enumerate()
            .map(|(n, &(unit, project, facts))| IndexedProject {
                unit,
                project,
                facts,
                indicators: &self.indicators[facts.first..facts.first + project.indicators.len()],
                goal_key: self.goals.get(self.first_project + n),
            })
    }
}

impl<'d> IndicatorFacts<'d> {
    /// The facts of `indicator`; `named` has those of its name (key, normal form, satisfaction)
    /// when another indicator of the same name has them.
    fn new(
        indicator: &'d Indicator,
        named: Option<(Cow<'d, str>, Option<String>, bool)>,
        family: Option<&'d str>,
        cost: bool,
    ) -> Self {
        let (name_key, name_norm, satisfied) = named.unwrap_or_else(|| {
            let (name_key, name_norm) = util::key_and_normalized(&indicator.name.text);
            // `contains('满')` built a substring searcher for the character's three bytes, which
            // cost more than the scan.
            let satisfied = util::has(&indicator.name.text, "满意");
            (name_key, name_norm, satisfied)
        });
        let norm = |v: &'d Value| util::normalized_cow(&v.raw);
        let annual_norm = indicator.annual.as_ref().map(norm);
        // A period value written as the annual one has the same normal form: not normalised.
        let distinct_period_norm = indicator
            .period
            .as_deref()
            .filter(|p| indicator.annual.as_ref().is_none_or(|a| *a.raw != *p.raw))
            .map(norm)
            .filter(|p| annual_norm.as_ref().is_none_or(|a| a != p));
        Self {
            name_key,
            name_norm,
            satisfied,
            annual_norm,
            distinct_period_norm,
            family,
            cost,
            same_name: 0,
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

    /// The match key of the project's goal, when the run was made with the document's
    /// [`GoalKeys`] and the project has a goal.
    pub fn goal_key(&self) -> Option<&'i str> {
        self.goal_key
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
