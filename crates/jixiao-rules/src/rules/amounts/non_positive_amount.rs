use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Reports a project whose 总计 is zero or negative, or any of whose amounts is negative.
    ///
    /// ## Why is this bad?
    /// A project with no money has nothing to set targets for, and a negative appropriation is not
    /// a budget; both usually mean a row was mistyped or left over from a template.
    ///
    /// ## Example
    /// ```text
    /// 培训项目	0.00	0.00	…
    /// ```
    ///
    /// ## Regulation
    /// Heuristic.
    ///
    /// ## Known problems
    /// Projects funded entirely by carry-over (上年结转) may be published with a zero total on purpose.
    pub struct NonPositiveAmount => "A004";
}

impl Rule for NonPositiveAmount {
    rule_meta!();

    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (unit, project) in document.projects() {
            if let Some(total) = &project.amounts.total
                && total.value <= Decimal::ZERO
            {
                out.push(
                    Finding::new(
                        NonPositiveAmount::CODE,
                        total.span.clone(),
                        format!(
                            "项目“{}”的总计为 {}，不是正数",
                            project.name.text, total.raw
                        ),
                        "填写项目的实际预算金额；没有预算的项目不应列入绩效目标表。",
                    )
                    .in_project(&unit.name.text, &project.name.text),
                );
                continue;
            }
            for column in AmountColumn::ALL {
                if let Some(amount) = project.amounts.get(column)
                    && amount.value < Decimal::ZERO
                {
                    out.push(
                        Finding::new(
                            NonPositiveAmount::CODE,
                            amount.span.clone(),
                            format!(
                                "项目“{}”的{}为负数 {}",
                                project.name.text,
                                column.label(),
                                amount.raw
                            ),
                            "预算金额不能为负数，请改正。",
                        )
                        .in_project(&unit.name.text, &project.name.text),
                    );
                }
            }
        }
    }
}
