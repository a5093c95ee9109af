use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use super::{ColumnDifference, describe, rounding_sized};
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};
use crate::{Finding, Severity};

declare_rule! {
    /// ## 检查什么
    /// 逐栏核对合计行是否等于各单位行之和。单位行某栏空白时，该栏的金额未知而不是零，这一栏不核对；表格被截断（只保存了一部分）时，整张表都不核对。差额不超过合计所显示的末位一个单位（0.01）时只作为提示报告，并说明可能是四舍五入造成的。
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
        // A cut copy lacks some of the units the 合计 counts: its sum says nothing.
        if document.truncation.is_some() {
            return;
        }
        let mut differences = Vec::new();
        for column in AmountColumn::ALL {
            let Some(stated) = total.amounts.get(column) else {
                continue;
            };
            // A blank unit amount is unknown, not zero: the column cannot be summed.
            let Some(sum) = document
                .units
                .iter()
                .map(|u| {
                    if u.implicit {
                        Some(
                            u.projects
                                .iter()
                                .map(|p| p.amounts.value_or_zero(column))
                                .sum::<Decimal>(),
                        )
                    } else {
                        u.amounts.get(column).map(|a| a.value)
                    }
                })
                .sum::<Option<Decimal>>()
            else {
                continue;
            };
            if sum != stated.value {
                let difference = stated.value - sum;
                differences.push(ColumnDifference {
                    text: format!(
                        "{} {} ≠ 各单位合计 {sum}（相差 {difference}）",
                        column.label(),
                        stated.raw,
                    ),
                    rounding: rounding_sized(stated, difference),
                });
            }
        }
        if !differences.is_empty() {
            let (text, rounding) = describe(&differences);
            let finding = Finding::new(
                GrandTotalMismatch::CODE,
                total.label.span.clone(),
                format!("合计行与 {} 个单位之和不符：{text}", document.units.len()),
                "逐列核对合计行与各单位行，改正错误的一项。",
            );
            out.push(if rounding {
                finding.at_most(Severity::Info)
            } else {
                finding
            });
        }
    }
}
