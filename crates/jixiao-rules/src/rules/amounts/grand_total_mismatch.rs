use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 逐栏核对合计行是否等于各单位行之和。
    ///
    /// ## 为什么是问题
    /// 合计是部门公开的总数；如果它不等于所属各单位之和，部门公开的总数和各单位的预算就不可能同时正确。
    ///
    /// ## 示例
    /// ```text
    /// 合计	1,000.00	…
    /// 单位甲	600.00	…
    /// 单位乙	300.00	…
    /// ```
    /// 各单位之和为900.00。
    ///
    /// ## 依据
    /// 经验规则：项目支出绩效目标表的合计行是各单位之和。
    ///
    /// ## 已知局限
    /// 没有单位行的表（项目直接列在部门之下）以合计与各项目之和比较。
    pub struct GrandTotalMismatch => "A003";
}

impl Rule for GrandTotalMismatch {
    rule_meta!();

    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(total) = &document.grand_total else {
            return;
        };
        let mut differences = Vec::new();
        for column in AmountColumn::ALL {
            let Some(stated) = total.amounts.get(column) else {
                continue;
            };
            let sum: Decimal = document
                .units
                .iter()
                .map(|u| {
                    if u.implicit {
                        u.projects
                            .iter()
                            .map(|p| p.amounts.value_or_zero(column))
                            .sum()
                    } else {
                        u.amounts.value_or_zero(column)
                    }
                })
                .sum();
            if sum != stated.value {
                differences.push(format!(
                    "{} {} ≠ 各单位合计 {sum}（相差 {}）",
                    column.label(),
                    stated.raw,
                    stated.value - sum
                ));
            }
        }
        if !differences.is_empty() {
            out.push(Finding::new(
                GrandTotalMismatch::CODE,
                total.label.span.clone(),
                format!(
                    "合计行与 {} 个单位之和不符：{}",
                    document.units.len(),
                    differences.join("；")
                ),
                "逐列核对合计行与各单位行，改正错误的一项。",
            ));
        }
    }
}
