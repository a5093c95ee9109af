use jixiao_model::{AmountColumn, Amounts, Document, Span};
use rust_decimal::Decimal;

use crate::Finding;
use crate::engine::Context;
use crate::rules::{Rule, declare_rule, rule_meta};

declare_rule! {
    /// ## What it does
    /// Checks that 总计 equals 财政拨款 + 财政专户拨款 + 其他资金 on every row (合计, unit and
    /// project rows); an empty cell counts as zero.
    ///
    /// ## Why is this bad?
    /// A row whose parts do not add up to its total misstates the budget: either a source of funds
    /// is missing or the total is wrong, and every later check of the money is unreliable.
    ///
    /// ## Example
    /// ```text
    /// 培训项目	10.00	8.00		1.00	…
    /// ```
    /// 8.00 + 1.00 = 9.00, not 10.00. Correct the total or fill in the missing 财政专户拨款.
    ///
    /// ## Regulation
    /// 项目支出绩效目标表 column definitions: 总计 is the sum of the funding sources (财预〔2015〕88号
    /// 附件表样).
    ///
    /// ## Known problems
    /// Tables that leave the total empty and fill only the parts are not checked.
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
