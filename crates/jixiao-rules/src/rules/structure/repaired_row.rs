use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Notes a row that a page break split over several lines and that was joined back together
    /// before reading: a line ending in the middle of an indicator, blank lines, and a line that
    /// continues it. Also notes a copy that holds only part of a table (it starts with the tail of
    /// a table whose header is on an earlier page, or stops part-way): what it holds was read, and
    /// the rules that look for missing categories, goals and counts leave it alone.
    ///
    /// The finding comes from the reader (a parse problem); this rule itself checks nothing more.
    ///
    /// ## Why is this bad?
    /// Nothing is wrong with the budget itself, but the join is a guess: a character may have been
    /// lost at the break, or two rows may have been joined that should not have been. The joined
    /// text is worth a look.
    ///
    /// ## Example
    /// ```text
    /// 项目甲	10.00	10.00			开展培训。	1、产出指标：培训
    ///
    /// 人次，年度指标值：≥100人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// Read as one row whose indicator cell is `1、产出指标：培训人次，年度指标值：≥100人次。…`.
    ///
    /// ## Regulation
    /// None; a note about how the table was read.
    ///
    /// ## Known problems
    /// A line that starts with a name followed by a non-amount cell may be joined to the row above
    /// although it was meant as a row of its own.
    pub struct RepairedRow => "S003";
}

impl Rule for RepairedRow {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // Reported by the reader; see `problem_finding`.
    }
}
