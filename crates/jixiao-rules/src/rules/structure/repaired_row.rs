use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 提示被分页拆成几行、读取前已重新拼合的行：某行在指标中间断开，接着是空行，再接着是续行。也提示只含表格一部分的副本（开头接续表头在前一页的表格，或在中途截止）：其中的内容照常读取，但检查类别缺失、目标缺失和指标个数的规则不检查它。
    ///
    /// 该问题由读取器报出（属于解析问题）；本规则本身不再做其他检查。
    ///
    /// ## 为什么是问题
    /// 预算本身没有问题，但拼合是推测出来的：分页处可能丢了字，也可能把不该拼的两行拼在了一起。拼合后的文本值得核对一下。
    ///
    /// ## 示例
    /// ```text
    /// 项目甲	10.00	10.00			开展培训。	1、产出指标：培训
    ///
    /// 人次，年度指标值：≥100人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// 读作一行，其指标单元格为`1、产出指标：培训人次，年度指标值：≥100人次。…`。
    ///
    /// ## 依据
    /// 无；这是关于表格如何读取的提示。
    ///
    /// ## 已知局限
    /// 以名称开头、其后不是金额单元格的行，可能被拼到上一行，尽管它本应单独成行。
    pub struct RepairedRow => "S003";
}

impl Rule for RepairedRow {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // Reported by the reader; see `problem_finding`.
    }
}
