//! A project's words are indexed once, on the project's own entry; its goal and indicators
//! follow that entry as one group of contiguous doc ids (each document's entries go to the
//! writer in one [`tantivy::IndexWriter::run`], which keeps them in one segment and in order;
//! merges stack segments and keep the order too). The project entry holds, in a fast field, how
//! many entries follow it in its group.
//!
//! [`ProjectWordQuery`] matches a word of a project's name on all of those entries: per segment
//! it reads the word's postings in the project-words field (project entries only) and turns each
//! into the range of doc ids from the project entry to the end of its group, scored as the
//! project entry is. No list of projects is built into the query, so a word in thousands of
//! project names costs one postings list, not a set of thousands of terms.

use tantivy::fastfield::AliveBitSet;
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// The fast field of a project entry: how many entries (goal, indicators) follow it.
pub(crate) const MEMBERS: &str = "members";

/// One word of a query: entries holding it in their own words (`name`, `text`: any query on
/// them) or in their project's name ([`ProjectWordQuery`]), scored by the sum of both.
///
/// Not a `BooleanQuery` of the two: tantivy runs a union of term queries alone as one
/// specialised scorer, and a union with any other scorer as a chain of boxed calls per entry;
/// here the union of the own words stays specialised, and where no project in a segment holds
/// the word (most words, in most segments) it is the whole scorer.
#[derive(Debug)]
pub(crate) struct WordQuery {
    own: Box<dyn Query>,
    project: ProjectWordQuery,
}

impl Clone for WordQuery {
    fn clone(&self) -> Self {
        Self {
            own: self.own.box_clone(),
            project: self.project.clone(),
        }
    }
}

impl WordQuery {
    pub(crate) fn new(own: Box<dyn Query>, project: ProjectWordQuery) -> Self {
        Self { own, project }
    }
}

impl Query for WordQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(WordWeight {
            own: self.own.weight(enable_scoring)?,
            project: self.project.project_weight(enable_scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.own.query_terms(visitor);
        self.project.query_terms(visitor);
    }
}

struct WordWeight {
    own: Box<dyn Weight>,
    project: ProjectWordWeight,
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let own = self.own.scorer(reader, boost)?;
        let project = self.project.ranges_scorer(reader, boost)?;
        if project.doc() == TERMINATED {
            return Ok(own);
        }
        Ok(Box::new(Either::new(own, project)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let mut explanation =
            Explanation::new("the entry's words or its project's", scorer.score());
        let details = [
            self.own.explain(reader, doc),
            self.project.explain(reader, doc),
        ];
        for detail in details.into_iter().flatten() {
            explanation.add_detail(detail);
        }
        Ok(explanation)
    }
}

/// The union of an entry's own words' scorer and its project's ranges, scores summed.
struct Either {
    own: Box<dyn Scorer>,
    /// `own.doc()`, kept here: each call through the box costs.
    own_doc: DocId,
    project: GroupScorer,
    doc: DocId,
}

impl Either {
    fn new(own: Box<dyn Scorer>, project: GroupScorer) -> Self {
        let own_doc = own.doc();
        let doc = own_doc.min(project.doc());
        Self {
            own,
            own_doc,
            project,
            doc,
        }
    }
}

impl DocSet for Either {
    fn advance(&mut self) -> DocId {
        if self.own_doc == self.doc {
            self.own_doc = self.own.advance();
        }
        if self.project.doc == self.doc {
            self.project.advance();
        }
        self.doc = self.own_doc.min(self.project.doc);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        if self.own_doc < target {
            self.own_doc = self.own.seek(target);
        }
        if self.project.doc < target {
            self.project.seek(target);
        }
        self.doc = self.own_doc.min(self.project.doc);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.own.size_hint().max(self.project.size_hint())
    }
}

impl Scorer for Either {
    fn score(&mut self) -> Score {
        let mut score = 0.0;
        if self.own_doc == self.doc {
            score += self.own.score();
        }
        if self.project.doc == self.doc {
            score += self.project.score();
        }
        score
    }
}

/// Entries of the projects whose name holds a word: the project's own entry, its goal and its
/// indicators.
#[derive(Debug, Clone)]
pub(crate) struct ProjectWordQuery {
    /// The word in the project-words field.
    term: Term,
    /// The term every project entry holds (`kind:project`): its document frequency is the number
    /// of projects, the population the word's idf is taken over.
    projects: Term,
}

impl ProjectWordQuery {
    pub(crate) fn new(term: Term, projects: Term) -> Self {
        Self { term, projects }
    }
}

impl Query for ProjectWordQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.project_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

impl ProjectWordQuery {
    fn project_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<ProjectWordWeight> {
        let field = self.term.field();
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider: stats,
                ..
            } => {
                // Scored as if every project's name were one entry: the word's idf over the
                // projects and the average length of a project's name. (When the name was on
                // every entry, both were taken over entries, which weighed a project by its
                // number of indicators; the two agree where projects are of a size.)
                let projects = stats.doc_freq(&self.projects)?.max(1);
                let doc_freq = stats.doc_freq(&self.term)?.min(projects);
                let tokens = stats.total_num_tokens(field)?;
                let average = (tokens as Score / projects as Score).max(1.0);
                Some(Bm25Weight::for_one_term_without_explain(
                    doc_freq, projects, average,
                ))
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(ProjectWordWeight {
            term: self.term.clone(),
            field,
            bm25,
        })
    }
}

struct ProjectWordWeight {
    term: Term,
    field: Field,
    bm25: Option<Bm25Weight>,
}

impl ProjectWordWeight {
    fn ranges_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<GroupScorer> {
        let max_doc = reader.max_doc();
        let option = if self.bm25.is_some() {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::Basic
        };
        let mut ranges = Vec::new();
        let postings = reader
            .inverted_index(self.field)?
            .read_postings(&self.term, option)?;
        if let Some(mut postings) = postings {
            let members = reader.fast_fields().u64(MEMBERS)?;
            let norms = match &self.bm25 {
                Some(_) => Some(reader.get_fieldnorms_reader(self.field)?),
                None => None,
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let score = match (&self.bm25, &norms) {
                    (Some(bm25), Some(norms)) => {
                        use tantivy::postings::Postings as _;
                        bm25.score(norms.fieldnorm_id(doc), postings.term_freq()) * boost
                    }
                    _ => boost,
                };
                let follow = members.first(doc).unwrap_or(0);
                let end = u64::from(doc)
                    .saturating_add(1)
                    .saturating_add(follow)
                    .min(u64::from(max_doc));
                let end = DocId::try_from(end).unwrap_or(max_doc);
                ranges.push(Range {
                    start: doc,
                    end,
                    score,
                });
                doc = postings.advance();
            }
        }
        Ok(GroupScorer::new(ranges, reader.alive_bitset().cloned()))
    }
}

impl Weight for ProjectWordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.ranges_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.ranges_scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        Ok(Explanation::new_with_string(
            format!("a word of the entry's project's name ({:?})", self.term),
            scorer.score(),
        ))
    }
}

/// The doc ids `start..end`, all scored `score`.
#[derive(Debug, Clone, Copy)]
struct Range {
    start: DocId,
    end: DocId,
    score: Score,
}

/// The live doc ids of sorted, disjoint ranges.
struct GroupScorer {
    ranges: Vec<Range>,
    /// The range `doc` is in.
    at: usize,
    doc: DocId,
    alive: Option<AliveBitSet>,
}

impl GroupScorer {
    fn new(ranges: Vec<Range>, alive: Option<AliveBitSet>) -> Self {
        let mut scorer = Self {
            doc: ranges.first().map_or(TERMINATED, |r| r.start),
            ranges,
            at: 0,
            alive,
        };
        if scorer.doc != TERMINATED && !scorer.is_alive(scorer.doc) {
            scorer.advance();
        }
        scorer
    }

    fn is_alive(&self, doc: DocId) -> bool {
        self.alive.as_ref().is_none_or(|alive| alive.is_alive(doc))
    }

    #[inline(never)]
    fn advance_slow(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        loop {
            let doc = self.step_to(self.doc + 1);
            if doc == TERMINATED || self.is_alive(doc) {
                return doc;
            }
        }
    }

    /// Moves to `doc` or, when it is past its range, to the next range's start; not checking
    /// whether it is alive.
    fn step_to(&mut self, doc: DocId) -> DocId {
        let mut doc = doc;
        while doc >= self.ranges[self.at].end {
            self.at += 1;
            let Some(next) = self.ranges.get(self.at) else {
                self.doc = TERMINATED;
                return TERMINATED;
            };
            doc = doc.max(next.start);
        }
        self.doc = doc;
        doc
    }
}

impl DocSet for GroupScorer {
    #[inline]
    fn advance(&mut self) -> DocId {
        // Most steps stay in the range (a project's goal and indicators).
        if let Some(range) = self.ranges.get(self.at) {
            let next = self.doc + 1;
            if next < range.end && self.is_alive(next) {
                self.doc = next;
                return next;
            }
        }
        self.advance_slow()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc == TERMINATED || target <= self.doc {
            return self.doc;
        }
        // Skip whole ranges by bisection: a word of a common name has thousands of them.
        let rest = &self.ranges[self.at..];
        self.at += rest.partition_point(|r| r.end <= target);
        let Some(range) = self.ranges.get(self.at) else {
            self.doc = TERMINATED;
            return TERMINATED;
        };
        self.doc = target.max(range.start);
        if self.is_alive(self.doc) {
            self.doc
        } else {
            self.advance()
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.ranges[self.at.min(self.ranges.len())..]
            .iter()
            .map(|r| r.end - r.start)
            .sum()
    }
}

impl Scorer for GroupScorer {
    fn score(&mut self) -> Score {
        self.ranges.get(self.at).map_or(0.0, |r| r.score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(spans: &[(DocId, DocId)]) -> Vec<Range> {
        spans
            .iter()
            .map(|&(start, end)| Range {
                start,
                end,
                score: start as Score,
            })
            .collect()
    }

    fn all(scorer: &mut GroupScorer) -> Vec<(DocId, Score)> {
        let mut out = Vec::new();
        while scorer.doc() != TERMINATED {
            out.push((scorer.doc(), scorer.score()));
            scorer.advance();
        }
        out
    }

    #[test]
    fn ranges_are_walked_and_sought() {
        let mut scorer = GroupScorer::new(ranges(&[(2, 5), (5, 6), (9, 12)]), None);
        assert_eq!(
            all(&mut scorer),
            vec![
                (2, 2.0),
                (3, 2.0),
                (4, 2.0),
                (5, 5.0),
                (9, 9.0),
                (10, 9.0),
                (11, 9.0)
            ]
        );
        let mut scorer = GroupScorer::new(ranges(&[(2, 5), (5, 6), (9, 12)]), None);
        assert_eq!(scorer.seek(1), 2);
        assert_eq!(scorer.seek(4), 4);
        assert_eq!(scorer.seek(6), 9);
        assert_eq!(scorer.score(), 9.0);
        assert_eq!(scorer.seek(11), 11);
        assert_eq!(scorer.seek(12), TERMINATED);
        assert_eq!(scorer.advance(), TERMINATED);
        let empty = GroupScorer::new(Vec::new(), None);
        assert_eq!(empty.doc(), TERMINATED);
        assert_eq!(empty.size_hint(), 0);
    }

    #[test]
    fn deleted_entries_are_skipped() {
        // An alive bitset as tantivy writes it: the largest doc id, then 64-bit words.
        let mut word: u64 = (1 << 12) - 1;
        for doc in [2, 3, 9, 10, 11] {
            word &= !(1 << doc);
        }
        let mut bytes = 12u32.to_le_bytes().to_vec();
        bytes.extend(word.to_le_bytes());
        let alive = AliveBitSet::open(tantivy::directory::OwnedBytes::new(bytes));
        let mut scorer = GroupScorer::new(ranges(&[(2, 5), (9, 12)]), Some(alive.clone()));
        assert_eq!(all(&mut scorer), vec![(4, 2.0)]);
        let mut scorer = GroupScorer::new(ranges(&[(2, 5), (9, 12)]), Some(alive));
        assert_eq!(scorer.seek(5), TERMINATED);
    }
}
