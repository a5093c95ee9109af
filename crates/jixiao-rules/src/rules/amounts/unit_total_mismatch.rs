use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Checks, column by column, that a unit row's amount equals the sum of its projects' amounts.
    ///
    /// ## Why is this bad?
    /// The unit row is what the budget approves for the unit; if it differs from its projects, money
    /// is either unaccounted for or counted twice. Differences of one cent usually come from
    /// rounding each project separately, and still need correcting before the table is published.
    ///
    /// ## Example
    /// ```text
    /// 广州市花都区技工学校	857.79	763.95	…
    /// ```
    /// while its projects add up to 857.80 and 763.96.
    ///
    /// ## Regulation
    /// Heuristic: the unit row of a 项目支出绩效目标表 is the sum of its projects.
    ///
    /// ## Known problems
    /// A unit row whose projects continue in another table (a table split by the publisher) is
    /// reported.
    pub struct UnitTotalMismatch => "A002";
}

impl Rule for UnitTotalMismatch {
    rule_meta!();

    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for unit in document.units.iter().filter(|u| !u.implicit) {
            if unit.projects.is_empty() {
                continue;
            }
            let mut differences = Vec::new();
            for column in AmountColumn::ALL {
                let Some(stated) = unit.amounts.get(column) else {
                    continue;
                };
                let sum: Decimal = unit
                    .projects
                    .iter()
                    .map(|p| p.amounts.value_or_zero(column))
                    .sum();
                if sum != stated.value {
                    differences.push(format!(
                        "{} {} ≠ 项目合计 {sum}（相差 {}）",
                        column.label(),
                        stated.raw,
                        stated.value - sum
                    ));
                }
            }
            if differences.is_empty() {
                continue;
            }
            let mut finding = Finding::new(
                UnitTotalMismatch::CODE,
                unit.name.span.clone(),
                format!(
                    "单位“{}”的金额与其 {} 个项目之和不符：{}",
                    unit.name.text,
                    unit.projects.len(),
                    differences.join("；")
                ),
                "逐列核对单位行与各项目金额；若为分项四舍五入造成，调整单位行或项目金额使其一致。",
            );
            finding.unit = Some(unit.name.text.to_string());
            out.push(finding);
        }
    }
}
