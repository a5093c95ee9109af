use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a `年度指标值` or `实施周期指标值` that is empty or holds nothing but punctuation or
    /// placeholder symbols (`。`, `/`, `—`, `*`).
    ///
    /// The finding comes from the reader, which reports every empty value as a parse problem; this
    /// rule itself checks nothing more, so an empty value is reported exactly once.
    ///
    /// ## Why is this bad?
    /// An indicator without a target cannot be measured, monitored or evaluated; the 绩效目标 is
    /// incomplete and a reviewer returns it.
    ///
    /// ## Example
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：。
    /// ```
    /// Write a measurable target: `年度指标值：≥100人次。`.
    ///
    /// ## Regulation
    /// 《项目支出绩效评价管理办法》(财预〔2020〕10号) and 《中共中央 国务院关于全面实施预算绩效管理的
    /// 意见》(中发〔2018〕34号): 绩效目标 are to be specific, measurable and attainable.
    ///
    /// ## Known problems
    /// A value that is present but meaningless (`见附件`, `略`) is read as qualitative and is left to
    /// V002.
    pub struct UnreadableValue => "V001";
}

impl Rule for UnreadableValue {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // The reader reports every empty value (`ValueKind::Empty`) as an `UnreadableValue`
        // problem, which the engine turns into V001; reporting it here would report it twice.
    }
}
