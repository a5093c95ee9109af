use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Checks, column by column, that the 合计 row equals the sum of the unit rows.
    ///
    /// ## Why is this bad?
    /// The 合计 is the department's total as published; if it is not the sum of its units, the
    /// department's published total and its units' budgets cannot both be right.
    ///
    /// ## Example
    /// ```text
    /// 合计	1,000.00	…
    /// 单位甲	600.00	…
    /// 单位乙	300.00	…
    /// ```
    /// The units add up to 900.00.
    ///
    /// ## Regulation
    /// Heuristic: the 合计 row of a 项目支出绩效目标表 is the sum of its units.
    ///
    /// ## Known problems
    /// Tables without unit rows (projects directly under the department) are compared with the sum
    /// of their projects.
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
