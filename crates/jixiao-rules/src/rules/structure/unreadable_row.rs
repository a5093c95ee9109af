use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告表中无法读取的行：金额不是数字（`十万`）、首栏没有名称、既无金额也无目标和指标、表头各栏无法识别、最后一行不完整（文件被截断），或项目行出现在任何单位行之前。
    ///
    /// 该问题由读取器报出（属于解析问题）；本规则本身不再做其他检查。
    ///
    /// ## 为什么是问题
    /// 读不出来的内容就无法审核：该行的金额不计入任何加总核对，其目标和指标也得不到检查。审核人会把这样的表退回修改。
    ///
    /// ## 示例
    /// ```text
    /// 项目甲	十万	十万			开展培训。	1、产出指标：…
    /// 	10.00	10.00			开展培训。	1、产出指标：…
    /// ```
    /// 金额写成数字（`10.00`），每行都写明项目或单位名称。
    ///
    /// ## 依据
    /// 项目支出绩效目标表各栏的定义（财预〔2015〕88号附件表样）：每行写明项目名称，并以表格的金额单位列示金额。
    ///
    /// ## 已知局限
    /// 只是看起来不寻常的行（多出一栏、名称写错了栏）可能被错误地读取，而不是被报告。
    pub struct UnreadableRow => "S001";
}

impl Rule for UnreadableRow {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // Reported by the reader; see `problem_finding`.
    }
}
