//! Amounts in one unit: every table states its own (`单位：元`, `万元`); totals across tables are
//! only meaningful in one, so each stored amount also has its value in 万元 (docs/corpus.md).

use jixiao_model::{Amount, Document, Project};
use rust_decimal::Decimal;

/// What one published unit is in 万元: `元` 0.0001, `千元` 0.1, `万元` 1, `亿元` 10000. A table that
/// states no unit is read in 万元, the unit of the national forms; a unit that is not money
/// (a typo, a percent sign) gives `None` and its amounts are not normalised.
pub fn wan_factor(unit: Option<&str>) -> Option<Decimal> {
    let Some(unit) = unit else {
        return Some(Decimal::ONE);
    };
    let unit: String = jixiao_model::match_key(unit)
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | ':'))
        .collect();
    let unit = unit
        .trim_start_matches("金额单位")
        .trim_start_matches("单位");
    match unit {
        "" | "万元" | "万" => Some(Decimal::ONE),
        "元" => Some(Decimal::new(1, 4)),
        "千元" => Some(Decimal::new(1, 1)),
        "百万元" => Some(Decimal::new(100, 0)),
        "亿元" => Some(Decimal::new(10_000, 0)),
        _ => None,
    }
}

/// The factor of a document's stated unit (see [`wan_factor`]).
pub fn document_factor(document: &Document) -> Option<Decimal> {
    wan_factor(document.amount_unit.as_ref().map(|t| &*t.text))
}

/// `value` in 万元, exact (rust_decimal keeps up to 28 digits after the point).
pub fn to_wan(value: Decimal, factor: Decimal) -> Decimal {
    (value * factor).normalize()
}

/// A project's amount as published: its 总计; for a project sheet without one, the 资金总额 of its
/// funding block (the annual column when there are two); for a self-evaluation, the 年度资金总额
/// line of its budget execution (全年预算数, else 年初预算数).
pub fn project_amount(project: &Project) -> Option<Decimal> {
    if let Some(total) = &project.amounts.total {
        return Some(total.value);
    }
    if let Some(details) = &project.details {
        let totals: Vec<&jixiao_model::Funding> = details
            .funding
            .iter()
            .filter(|f| f.label.text.contains("总额") || f.label.text.contains("合计"))
            .collect();
        let annual = totals
            .iter()
            .find(|f| f.column.as_deref().is_some_and(|c| c.contains("年度")))
            .or_else(|| totals.first());
        if let Some(funding) = annual {
            return Some(funding.amount.value);
        }
    }
    let evaluation = project.evaluation.as_ref()?;
    let line = evaluation
        .budget
        .iter()
        .find(|b| b.label.text.contains("总"))
        .or_else(|| evaluation.budget.first())?;
    line.adjusted
        .as_ref()
        .or(line.initial.as_ref())
        .map(|a: &Amount| a.value)
}

/// The table's total as published: its 合计 row; else the sum of its units' 总计; else the sum of
/// its projects' amounts ([`project_amount`]); `None` when the table gives no amount at all
/// (“未列金额”, which is not 0).
pub fn document_total(document: &Document) -> Option<Decimal> {
    if let Some(total) = document
        .grand_total
        .as_ref()
        .and_then(|g| g.amounts.total.as_ref())
    {
        return Some(total.value);
    }
    let units: Vec<Decimal> = document
        .units
        .iter()
        .filter_map(|u| u.amounts.total.as_ref().map(|a| a.value))
        .collect();
    if !units.is_empty() {
        return Some(units.into_iter().sum());
    }
    let projects: Vec<Decimal> = document
        .projects()
        .filter_map(|(_, p)| project_amount(p))
        .collect();
    (!projects.is_empty()).then(|| projects.into_iter().sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_wan() {
        assert_eq!(wan_factor(Some("元")), Some(Decimal::new(1, 4)));
        assert_eq!(wan_factor(Some("万元")), Some(Decimal::ONE));
        assert_eq!(wan_factor(Some("单位：万元")), Some(Decimal::ONE));
        assert_eq!(wan_factor(Some("（元）")), Some(Decimal::new(1, 4)));
        assert_eq!(wan_factor(Some("亿元")), Some(Decimal::new(10_000, 0)));
        assert_eq!(wan_factor(None), Some(Decimal::ONE));
        assert_eq!(wan_factor(Some("%")), None);
        assert_eq!(
            to_wan(Decimal::new(882_762_053, 2), Decimal::new(1, 4)).to_string(),
            "882.762053"
        );
    }
}
