//! Writing a document back out in the department-list layout.

use std::fmt::Write as _;

use jixiao_model::{Amounts, Category, Document, Indicator};

const HEADER: &str =
    "项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标";

/// Renders documents in the published department-list layout, one document after another.
///
/// Text read from a department list (names, amounts, goals, indicator items) is written exactly as
/// it was published; indicators read from other layouts are written in the coded dialect
/// (`1、1-产出指标；12-质量指标；NAME；实施周期指标值：V；年度指标值：V。`).
pub fn render_department_list(documents: &[Document]) -> String {
    let mut out = String::new();
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_document(document, &mut out);
    }
    out
}

fn render_document(document: &Document, out: &mut String) {
    let title = document
        .title
        .as_ref()
        .map_or("项目支出绩效目标表", |t| t.text.as_str());
    let _ = writeln!(out, "{title}\n");
    if let Some(department) = &document.department {
        let _ = writeln!(out, "部门名称：{}\n", department.text);
    }
    if let Some(unit) = &document.amount_unit {
        let _ = writeln!(out, "单位：{}\n", unit.text);
    }
    let header = document.header.as_ref().map_or(HEADER, |h| h.text.as_str());
    let _ = writeln!(out, "{header}");
    if let Some(total) = &document.grand_total {
        row(out, &total.label.text, &total.amounts, "", "");
    }
    for unit in &document.units {
        if !unit.implicit {
            row(out, &unit.name.text, &unit.amounts, "", "");
        }
        for project in &unit.projects {
            let goal = project.goal.as_ref().map_or("", |g| g.text.as_str());
            let mut cell = String::new();
            for indicator in &project.indicators {
                write_indicator(indicator, &mut cell);
            }
            row(out, &project.name.text, &project.amounts, goal, &cell);
        }
    }
}

fn row(out: &mut String, name: &str, amounts: &Amounts, goal: &str, indicators: &str) {
    fn amount(a: Option<&jixiao_model::Amount>) -> &str {
        a.map_or("", |a| a.raw.as_str())
    }
    let _ = writeln!(
        out,
        "{name}\t{}\t{}\t{}\t{}\t{goal}\t{indicators}",
        amount(amounts.total.as_ref()),
        amount(amounts.fiscal.as_ref()),
        amount(amounts.special_account.as_ref()),
        amount(amounts.other.as_ref()),
    );
}

fn write_indicator(indicator: &Indicator, out: &mut String) {
    if !indicator.raw.is_empty() {
        out.push_str(&indicator.raw);
        return;
    }
    let category = |c: Option<&Category>| match c {
        Some(Category {
            name,
            code: Some(code),
            ..
        }) => format!("{code}-{name}"),
        Some(c) => c.name.to_string(),
        None => String::new(),
    };
    let _ = write!(
        out,
        "{}、{}；{}；{}；",
        indicator.seq,
        category(indicator.level1.as_ref()),
        category(indicator.level2.as_ref()),
        indicator.name.text
    );
    if let Some(period) = &indicator.period {
        let _ = write!(out, "实施周期指标值：{}；", period.raw);
    }
    let annual = indicator.annual.as_ref().map_or("", |v| v.raw.as_str());
    let _ = write!(out, "年度指标值：{annual}。");
}
