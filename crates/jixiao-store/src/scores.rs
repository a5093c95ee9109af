//! Self-evaluation scores in the corpus: every project of a 绩效自评表 with its total and grade as
//! published beside those `jixiao-score` recomputes (migration 0012, docs/corpus.md).

use jixiao_model::Document;
use jixiao_score::{Grade, Policy, TotalBasis};
use rust_decimal::Decimal;
use serde::Serialize;

/// What [`crate::Store::import`] stores for one scored project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedScore {
    /// The project's place in [`Document::projects`].
    pub project: usize,
    /// The policy's name (`national`, `hubei`, a policy file's `name`).
    pub policy: String,
    pub published_total: Option<Decimal>,
    /// The grade as printed (`优秀`).
    pub published_grade: Option<String>,
    /// The printed grade, else the grade of the published total (see [`rank`]).
    pub published_rank: Option<i64>,
    pub recomputed_total: Decimal,
    pub recomputed_grade: Option<Grade>,
    pub basis: TotalBasis,
}

impl PreparedScore {
    pub fn recomputed_rank(&self) -> Option<i64> {
        self.recomputed_grade.map(rank)
    }
}

/// 0 差, 1 中, 2 良, 3 优: grades as numbers a query compares.
pub fn rank(grade: Grade) -> i64 {
    match grade {
        Grade::Poor => 0,
        Grade::Fair => 1,
        Grade::Good => 2,
        Grade::Excellent => 3,
    }
}

fn from_rank(rank: i64) -> Option<Grade> {
    Some(match rank {
        0 => Grade::Poor,
        1 => Grade::Fair,
        2 => Grade::Good,
        3 => Grade::Excellent,
        _ => return None,
    })
}

/// The stored name of a [`TotalBasis`].
pub(crate) fn basis_name(basis: TotalBasis) -> &'static str {
    match basis {
        TotalBasis::Lines => "lines",
        TotalBasis::PublishedCorrected => "published_corrected",
        TotalBasis::Partial => "partial",
    }
}

/// Scores every self-evaluation project of `document` under `policy`, as `jixiao score` does.
pub fn score_rows(document: &Document, policy: &Policy) -> Vec<PreparedScore> {
    document
        .projects()
        .enumerate()
        .filter(|(_, (_, project))| jixiao_score::is_self_evaluation(document, project))
        .map(|(index, (unit, project))| {
            let score = jixiao_score::score_project(&document.source, unit, project, policy);
            let total = score.total;
            let printed = total.published_grade.as_deref().and_then(Grade::from_text);
            let published_rank = printed
                .or_else(|| total.published.map(|t| policy.grades.grade(t)))
                .map(rank);
            PreparedScore {
                project: index,
                policy: policy.name.clone(),
                published_total: total.published,
                published_grade: total.published_grade,
                published_rank,
                recomputed_total: total.recomputed,
                recomputed_grade: total.recomputed_grade,
                basis: total.basis,
            }
        })
        .collect()
}

/// One scored project of the latest documents, as `jixiao query grades` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoredProject {
    pub document_id: i64,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub source_file: String,
    pub unit: String,
    pub project: String,
    pub policy: String,
    pub published_total: Option<Decimal>,
    /// As printed; `None` when the table prints no grade.
    pub published_grade: Option<String>,
    /// The printed grade, else the grade of the published total.
    pub published_rank_grade: Option<Grade>,
    pub recomputed_total: Decimal,
    pub recomputed_grade: Option<Grade>,
    /// 公布总分 − 重算总分.
    pub difference: Option<Decimal>,
    /// How the recomputed total was reached (`lines`, `published_corrected`, `partial`).
    pub basis: String,
}

impl ScoredProject {
    /// The published grade ranks above the recomputed one.
    pub fn published_higher(&self) -> bool {
        matches!((self.published_rank_grade, self.recomputed_grade), (Some(p), Some(r)) if p > r)
    }
}

/// Scored projects of one publisher and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreSummaryRow {
    pub publisher: Option<String>,
    pub year: Option<i64>,
    /// Self-evaluation projects scored.
    pub projects: i64,
    /// … with both a published and a recomputed grade.
    pub graded: i64,
    /// … whose published grade is above the recomputed one.
    pub published_higher: i64,
    /// … whose published grade is below the recomputed one.
    pub published_lower: i64,
    /// … whose published total is above the recomputed one.
    pub total_higher: i64,
}

/// A row of the `project_scores` select in [`crate::sql`]: document id, publisher, year, source
/// file, unit, project, policy, published total, published grade, published rank, recomputed
/// total, recomputed rank, basis.
pub(crate) type ScoredRow = (
    i64,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    Option<i64>,
    String,
);

pub(crate) const SCORED_SELECT: &str = "SELECT d.id, d.publisher, d.year, d.source_file, \
     u.name, p.name, s.policy, CAST(s.published_total AS TEXT), s.published_grade, \
     s.published_rank, CAST(s.recomputed_total AS TEXT), s.recomputed_rank, s.basis \
     FROM project_scores s JOIN documents d ON d.id = s.document_id \
     JOIN projects p ON p.id = s.project_id JOIN units u ON u.id = p.unit_id";

pub(crate) fn scored_project(row: ScoredRow) -> crate::Result<ScoredProject> {
    let id = row.0;
    let published_total = crate::sql::decimal(id, "project_scores.published_total", row.7)?;
    let recomputed_total =
        crate::sql::decimal(id, "project_scores.recomputed_total", Some(row.10))?
            .unwrap_or_default();
    Ok(ScoredProject {
        document_id: id,
        publisher: row.1,
        year: row.2,
        source_file: row.3,
        unit: row.4,
        project: row.5,
        policy: row.6,
        difference: published_total.map(|p| p - recomputed_total),
        published_total,
        published_grade: row.8,
        published_rank_grade: row.9.and_then(from_rank),
        recomputed_total,
        recomputed_grade: row.11.and_then(from_rank),
        basis: row.12,
    })
}

/// Groups scored projects by publisher and year.
pub fn summarise(projects: &[ScoredProject]) -> Vec<ScoreSummaryRow> {
    let mut groups: std::collections::BTreeMap<(Option<String>, Option<i64>), ScoreSummaryRow> =
        std::collections::BTreeMap::new();
    for project in projects {
        let row = groups
            .entry((project.publisher.clone(), project.year))
            .or_insert_with(|| ScoreSummaryRow {
                publisher: project.publisher.clone(),
                year: project.year,
                projects: 0,
                graded: 0,
                published_higher: 0,
                published_lower: 0,
                total_higher: 0,
            });
        row.projects += 1;
        if let (Some(published), Some(recomputed)) =
            (project.published_rank_grade, project.recomputed_grade)
        {
            row.graded += 1;
            row.published_higher += i64::from(published > recomputed);
            row.published_lower += i64::from(published < recomputed);
        }
        row.total_higher += i64::from(project.difference.is_some_and(|d| d > Decimal::ZERO));
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_round_trip_in_grade_order() {
        for grade in [Grade::Poor, Grade::Fair, Grade::Good, Grade::Excellent] {
            assert_eq!(from_rank(rank(grade)), Some(grade));
        }
        assert!(rank(Grade::Excellent) > rank(Grade::Good));
        assert_eq!(from_rank(7), None);
    }
}
