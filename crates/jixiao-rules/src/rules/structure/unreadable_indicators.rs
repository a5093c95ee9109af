use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports an indicator cell that could not be split into indicators (it does not start with
    /// `1、`), an indicator that lacks its level-1 category or its `年度指标值`, and sequence numbers
    /// that skip or repeat (`1、` `2、` `4、`).
    ///
    /// The finding comes from the reader (a parse problem); this rule itself checks nothing more.
    ///
    /// ## Why is this bad?
    /// An indicator without a category or a target cannot be checked for completeness or
    /// measurability, and a gap in the numbering usually means an indicator was lost when the table
    /// was edited.
    ///
    /// ## Example
    /// ```text
    /// 培训人次≥100人次，就业率≥80%
    /// 1、产出指标：培训人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// Write each indicator as `1、产出指标：培训人次，年度指标值：≥100人次。`.
    ///
    /// ## Regulation
    /// 《项目支出绩效评价管理办法》(财预〔2020〕10号) and the 项目支出绩效目标表 form: each
    /// indicator has a level-1 and level-2 category, a name and a target value.
    ///
    /// ## Known problems
    /// Cells written as free prose with their own numbering (`一、` `（1）`) are reported as a whole
    /// rather than read.
    pub struct UnreadableIndicators => "S002";
}

impl Rule for UnreadableIndicators {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // Reported by the reader; see `problem_finding`.
    }
}
