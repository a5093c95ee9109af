use jixiao_model::Document;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告无法拆分成指标的指标单元格（不以`1、`开头）、缺少一级类别或缺少`年度指标值`的指标，以及跳号或重号的序号（`1、` `2、` `4、`）。
    ///
    /// 该问题由读取器报出（属于解析问题）；本规则本身不再做其他检查。
    ///
    /// ## 为什么是问题
    /// 没有类别或目标值的指标，无法检查其完整性和可衡量性；序号中断通常说明编辑表格时丢了一个指标。
    ///
    /// ## 示例
    /// ```text
    /// 培训人次≥100人次，就业率≥80%
    /// 1、产出指标：培训人次。2、效益指标：就业率，年度指标值：≥80%。
    /// ```
    /// 每个指标写成`1、产出指标：培训人次，年度指标值：≥100人次。`的形式。
    ///
    /// ## 依据
    /// 《项目支出绩效评价管理办法》（财预〔2020〕10号）及项目支出绩效目标表表样：每个指标都有一级和二级类别、名称和目标值。
    ///
    /// ## 已知局限
    /// 以自由行文写成、自带编号（`一、` `（1）`）的单元格会被整体报告，而不会被读取。
    pub struct UnreadableIndicators => "S002";
}

impl Rule for UnreadableIndicators {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {
        // Reported by the reader; see `problem_finding`.
    }
}
