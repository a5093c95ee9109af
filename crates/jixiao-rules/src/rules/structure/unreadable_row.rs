use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a row of the table that could not be read: an amount that is not a number
    /// (`十万`), a row without a name in its first column, a row with neither amounts nor goal and
    /// indicators, a header whose columns are not recognised, a last row cut short (the file was
    /// truncated), or a project row before any unit row.
    ///
    /// The finding comes from the reader (a parse problem); this rule itself checks nothing more.
    ///
    /// ## Why is this bad?
    /// What cannot be read cannot be reviewed: the amounts of the row are missing from every sum,
    /// and its goal and indicators are not checked. A reviewer returns such a table for correction.
    ///
    /// ## Example
    /// ```text
    /// 项目甲	十万	十万			开展培训。	1、产出指标：…
    /// 	10.00	10.00			开展培训。	1、产出指标：…
    /// ```
    /// Write amounts as numbers (`10.00`) and give every row its project or unit name.
    ///
    /// ## Regulation
    /// 项目支出绩效目标表 column definitions (财预〔2015〕88号 附件表样): every row names its project
    /// and states its amounts in the table's unit.
    ///
    /// ## Known problems
    /// A row that merely looks unusual (an extra column, a name in the wrong column) may be read in
    /// the wrong way rather than reported.
    pub struct UnreadableRow => "S001";
}

impl Rule for UnreadableRow {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // Reported by the reader; see `problem_finding`.
    }
}
