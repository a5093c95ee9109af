use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use super::{ColumnDifference, describe, rounding_sized};
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};
use crate::{Finding, Severity};

declare_rule! {
    /// ## 检查什么
    /// 逐栏核对单位行的金额是否等于其所属各项目金额之和。
    ///
    /// 差额不超过单位金额所显示的末位一个单位（两位小数时为0.01）时，本规则只作为提示报告，并说明可能是四舍五入造成的；差额更大时按本规则的级别（错误）报告。
    ///
    /// ## 为什么是问题
    /// 单位行是预算为该单位批复的金额；与所属项目之和不符，说明有资金去向不明或被重复计算。相差一分钱通常是各项目分别四舍五入造成的，但在表格公开前仍须更正。
    ///
    /// ## 示例
    /// ```text
    /// 广州市花都区技工学校	857.79	763.95	…
    /// ```
    /// 而其所属各项目之和为857.80和763.96：各相差0.01，作为提示报告。
    ///
    /// ## 依据
    /// 经验规则：项目支出绩效目标表的单位行是其所属各项目之和。
    ///
    /// ## 已知局限
    /// 单位的项目接续在另一张表中（公开单位把表拆开了）时，该单位行也会被报告。
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
                    let difference = stated.value - sum;
                    differences.push(ColumnDifference {
                        text: format!(
                            "{} {} ≠ 项目合计 {sum}（相差 {difference}）",
                            column.label(),
                            stated.raw,
                        ),
                        rounding: rounding_sized(stated, difference),
                    });
                }
            }
            if differences.is_empty() {
                continue;
            }
            let (text, rounding) = describe(&differences);
            let mut finding = Finding::new(
                UnitTotalMismatch::CODE,
                unit.name.span.clone(),
                format!(
                    "单位“{}”的金额与其 {} 个项目之和不符：{text}",
                    unit.name.text,
                    unit.projects.len(),
                ),
                "逐列核对单位行与各项目金额；若为分项四舍五入造成，调整单位行或项目金额使其一致。",
            );
            if rounding {
                finding = finding.at_most(Severity::Info);
            }
            finding.unit = Some(unit.name.text.to_string());
            out.push(finding);
        }
    }
}
