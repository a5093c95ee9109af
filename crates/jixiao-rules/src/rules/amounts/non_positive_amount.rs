use jixiao_model::{AmountColumn, Document};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 报告总计为零或负数的项目，以及有任一金额为负数的项目。
    ///
    /// ## 为什么是问题
    /// 没有资金的项目无从设定绩效目标，负数拨款也不成其为预算；这两种情况通常是某行录错了，或是模板里遗留的行。
    ///
    /// ## 示例
    /// ```text
    /// 培训项目	0.00	0.00	…
    /// ```
    ///
    /// ## 依据
    /// 经验规则，无明文规定。
    ///
    /// ## 已知局限
    /// 完全由上年结转资金安排的项目，可能有意以零总计公开。
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
