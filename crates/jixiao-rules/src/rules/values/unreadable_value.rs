use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告为空，或只有标点、占位符号（`。`、`/`、`—`、`*`）的`年度指标值`或`实施周期指标值`。
    ///
    /// 该问题由读取器报出，读取器把每个空值都作为解析问题报告；本规则本身不再做其他检查，因此每个空值只报告一次。
    ///
    /// ## 为什么是问题
    /// 没有目标值的指标无法衡量、监控和评价；绩效目标不完整，审核人会退回。
    ///
    /// ## 示例
    /// ```text
    /// 1、产出指标：培训人次，年度指标值：。
    /// ```
    /// 写出可衡量的目标：`年度指标值：≥100人次。`。
    ///
    /// ## 依据
    /// 《项目支出绩效评价管理办法》（财预〔2020〕10号）和《中共中央 国务院关于全面实施预算绩效管理的意见》（中发〔2018〕34号）：绩效目标应具体、可衡量、可实现。
    ///
    /// ## 已知局限
    /// 有内容但没有意义的值（`见附件`、`略`）按定性值读取，由V002处理。
    pub struct UnreadableValue => "V001";
}

impl Rule for UnreadableValue {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // The reader reports every empty value (`ValueKind::Empty`) as an `UnreadableValue`
        // problem, which the engine turns into V001; reporting it here would report it twice.
    }
}
