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

/// Renders every project as a project sheet (项目支出绩效目标表), tab-separated: the header block
/// (项目名称, 主管部门, 实施单位, 资金, 目标), then the 一级/二级/三级/指标值 grid with each 一级 and
/// 二级 written on its group's first row only, as merged cells print. A project with a
/// self-evaluation block (自评表) gets its budget lines and the 完成值/权重/得分 columns.
pub fn render_project_sheets(documents: &[Document]) -> String {
    let mut out = String::new();
    for document in documents {
        for (unit, project) in document.projects() {
            if !out.is_empty() {
                out.push('\n');
            }
            let evaluation = project.evaluation.as_deref();
            let title = if evaluation.is_some() {
                "项目支出绩效自评表"
            } else {
                "项目支出绩效目标申报表"
            };
            let _ = writeln!(out, "{title}");
            let details = project.details.as_deref();
            let department = details
                .and_then(|d| d.department.as_ref())
                .or(document.department.as_ref())
                .map_or("", |d| d.text.as_str());
            let _ = writeln!(out, "项目名称\t{}", project.name.text);
            let _ = writeln!(out, "主管部门\t{department}");
            let implementer = details
                .and_then(|d| d.implementer.as_ref())
                .map_or(unit.name.text.as_str(), |d| d.text.as_str());
            if !implementer.is_empty() {
                let _ = writeln!(out, "实施单位\t{implementer}");
            }
            if let Some(total) = &project.amounts.total {
                let _ = writeln!(out, "资金总额\t{}", total.raw);
            }
            if let Some(evaluation) = evaluation
                && !evaluation.budget.is_empty()
            {
                let _ = writeln!(
                    out,
                    "项目资金\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分"
                );
                for line in &evaluation.budget {
                    let amount = |a: &Option<jixiao_model::Amount>| {
                        a.as_ref().map_or(String::new(), |a| a.raw.to_string())
                    };
                    let _ = writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        line.label.text,
                        amount(&line.initial),
                        amount(&line.adjusted),
                        amount(&line.executed),
                        amount(&line.weight),
                        line.rate.as_ref().map_or("", |r| r.text.as_str()),
                        amount(&line.score),
                    );
                }
            }
            if let Some(goal) = &project.goal {
                let _ = writeln!(out, "年度目标\t{}", goal.text);
            }
            if evaluation.is_some() {
                let _ = writeln!(
                    out,
                    "一级指标\t二级指标\t三级指标\t指标值\t完成值\t权重\t得分"
                );
            } else {
                let _ = writeln!(out, "一级指标\t二级指标\t三级指标\t指标值");
            }
            let mut last: (Option<&str>, Option<&str>) = (None, None);
            for indicator in &project.indicators {
                let level1 = indicator.level1.as_ref().map(shown_category);
                let level2 = indicator
                    .level2
                    .as_ref()
                    .filter(|c| c.inferred.is_none())
                    .map(shown_category);
                let first1 = level1 != last.0;
                let first2 = first1 || level2 != last.1;
                let annual = indicator.annual.as_ref().map_or("", |v| v.raw.as_str());
                let _ = write!(
                    out,
                    "{}\t{}\t{}\t{annual}",
                    if first1 { level1.unwrap_or("") } else { "" },
                    if first2 { level2.unwrap_or("") } else { "" },
                    indicator.name.text,
                );
                if evaluation.is_some() {
                    let details = indicator.details.as_deref();
                    let _ = write!(
                        out,
                        "\t{}\t{}\t{}",
                        details
                            .and_then(|d| d.actual.as_ref())
                            .map_or("", |v| v.raw.as_str()),
                        details
                            .and_then(|d| d.weight.as_ref())
                            .map_or("", |a| a.raw.as_str()),
                        details
                            .and_then(|d| d.score.as_ref())
                            .map_or("", |a| a.raw.as_str()),
                    );
                }
                out.push('\n');
                last = (level1, level2);
            }
            if let Some(evaluation) = evaluation
                && let Some(total) = &evaluation.total_score
            {
                let grade = evaluation.grade.as_ref().map_or("", |g| g.text.as_str());
                let _ = writeln!(out, "总分\t{}\t{grade}", total.raw);
            }
        }
    }
    out
}

/// A category as the table printed it, or its name when it was read from a code (`1-产出指标`
/// is written `产出指标`).
fn shown_category(category: &Category) -> &str {
    if category.raw.is_empty() || category.raw.contains('-') {
        category.name.as_str()
    } else {
        category.raw.as_str()
    }
}
