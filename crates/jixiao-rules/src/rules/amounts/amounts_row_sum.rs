use jixiao_model::{AmountColumn, Amounts, Document, Span};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## 检查什么
    /// 逐行（合计行、单位行、项目行）核对总计是否等于财政拨款、财政专户拨款与其他资金之和；空单元格按零计。
    ///
    /// ## 为什么是问题
    /// 各项资金来源加起来不等于总计，预算就表述有误：要么漏列了某项资金来源，要么总计填错，此后对金额的每一项核对都不再可靠。
    ///
    /// ## 示例
    /// ```text
    /// 培训项目	10.00	8.00		1.00	…
    /// ```
    /// 8.00 + 1.00 = 9.00，不是10.00。应更正总计，或补填漏列的财政专户拨款。
    ///
    /// ## 依据
    /// 项目支出绩效目标表各栏的定义：总计是各项资金来源之和（财预〔2015〕88号附件表样）。
    ///
    /// ## 已知局限
    /// 总计留空、只填各项来源的表不作检查。
    pub struct AmountsRowSum => "A001";
}

impl Rule for AmountsRowSum {
    rule_meta!();

    fn check_document(&self, document: &Document, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if let Some(total) = &document.grand_total {
            check_row(&total.amounts, &total.span, None, out);
        }
        for unit in &document.units {
            if !unit.implicit {
                check_row(
                    &unit.amounts,
                    &unit.span,
                    Some((unit.name.text.as_str(), None)),
                    out,
                );
            }
            for project in &unit.projects {
                check_row(
                    &project.amounts,
                    &project.span,
                    Some((unit.name.text.as_str(), Some(project.name.text.as_str()))),
                    out,
                );
            }
        }
    }
}

fn check_row(
    amounts: &Amounts,
    row_span: &Span,
    place: Option<(&str, Option<&str>)>,
    out: &mut Vec<Finding>,
) {
    let Some(total) = &amounts.total else { return };
    let parts = [
        AmountColumn::Fiscal,
        AmountColumn::SpecialAccount,
        AmountColumn::Other,
    ];
    if parts.iter().all(|c| amounts.get(*c).is_none()) {
        return;
    }
    let sum: Decimal = parts.iter().map(|c| amounts.value_or_zero(*c)).sum();
    if sum == total.value {
        return;
    }
    let shown = |c: AmountColumn| amounts.get(c).map_or("空", |a| a.raw.as_str()).to_owned();
    let mut finding = Finding::new(
        AmountsRowSum::CODE,
        total.span.clone(),
        format!(
            "总计 {} 不等于 财政拨款 {} + 财政专户拨款 {} + 其他资金 {} = {sum}（相差 {}）",
            total.raw,
            shown(AmountColumn::Fiscal),
            shown(AmountColumn::SpecialAccount),
            shown(AmountColumn::Other),
            total.value - sum
        ),
        "核对各资金来源和总计，改正错误的一项。",
    );
    finding.span.line = row_span.line;
    match place {
        Some((unit, Some(project))) => finding = finding.in_project(unit, project),
        Some((unit, None)) => finding.unit = Some(unit.to_owned()),
        None => {}
    }
    out.push(finding);
}
