//! Writes documents back out in the layouts people use.
//!
//! - [`indicator_rows_xlsx`]: one sheet per document, one row per indicator (the 申报表 list that
//!   finance bureaus collect), project cells on a project's first row, frozen header;
//! - [`project_sheets_xlsx`]: one sheet per project laid out like the published 项目支出绩效目标
//!   申报表, with merged 一级/二级 cells;
//! - [`indicator_rows_html`]: the indicator rows as an HTML table (project cells spanning their rows).
//!
//! Every export reads back through `jixiao-parse` to the same units, projects, amounts,
//! categories, names and values. Values are written as text exactly as published; amounts as
//! numbers shown with the published number of decimals.

mod csv_rows;
mod json;
mod table;

use std::collections::HashSet;
use std::fmt::Write as _;

use jixiao_model::{Amount, Category, Document, Indicator, Project, Unit};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

pub use csv_rows::{
    IndicatorCsvWriter, indicator_csv, indicator_csv_record, push_indicator_csv_header,
    push_indicator_csv_rows, write_indicator_csv_rows,
};
pub use json::{
    push_decimal, push_document_json, push_document_json_compact, push_document_json_packed,
};
pub use table::{Sheet, table_xlsx};

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("无法生成 Excel 文件：{0}。请检查表格内容（如单元格文字过长）后重试。")]
    Xlsx(#[from] XlsxError),
}

const ROW_COLUMNS: [(&str, f64); 12] = [
    ("单位名称", 24.0),
    ("项目名称", 28.0),
    ("总计", 12.0),
    ("财政拨款", 12.0),
    ("财政专户拨款", 12.0),
    ("其他资金", 12.0),
    ("年度目标", 40.0),
    ("一级指标", 12.0),
    ("二级指标", 14.0),
    ("三级指标", 30.0),
    ("指标值", 16.0),
    ("实施期指标值", 16.0),
];

/// The indicator-row workbook: one sheet per document.
pub fn indicator_rows_xlsx(documents: &[Document]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let mut names = HashSet::new();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF7");
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for document in documents {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&document_label(document), &mut names))?;
        sheet.write_string(0, 0, title(document))?;
        // The department on a row of its own, as published, so the workbook reads back whole.
        sheet.write_string(1, 0, format!("部门名称：{}", department(document)))?;
        sheet.write_string(2, 0, format!("单位：{}", amount_unit(document)))?;
        for (col, (label, width)) in ROW_COLUMNS.iter().enumerate() {
            let col = col_index(col);
            sheet.write_string_with_format(3, col, *label, &header)?;
            sheet.set_column_width(col, *width)?;
        }
        sheet.set_freeze_panes(4, 0)?;
        let mut row = 4;
        for unit in &document.units {
            for project in &unit.projects {
                let first = row;
                write_project_cells(sheet, first, unit, project, &text)?;
                for indicator in &project.indicators {
                    write_indicator_cells(sheet, row, 7, indicator, &text)?;
                    row += 1;
                }
                if project.indicators.is_empty() {
                    row += 1;
                }
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_project_cells(
    sheet: &mut Worksheet,
    row: u32,
    unit: &Unit,
    project: &Project,
    text: &Format,
) -> Result<(), XlsxError> {
    if !unit.implicit {
        sheet.write_string_with_format(row, 0, unit.name.text.as_str(), text)?;
    }
    sheet.write_string_with_format(row, 1, project.name.text.as_str(), text)?;
    let amounts = &project.amounts;
    for (col, amount) in [
        &amounts.total,
        &amounts.fiscal,
        &amounts.special_account,
        &amounts.other,
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(amount) = amount {
            write_amount(sheet, row, col_index(col + 2), amount)?;
        }
    }
    if let Some(goal) = &project.goal {
        sheet.write_string_with_format(row, 6, goal.text.as_str(), text)?;
    }
    Ok(())
}

/// 一级, 二级, 三级, 指标值, 实施期指标值 from column `col` on.
fn write_indicator_cells(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    indicator: &Indicator,
    text: &Format,
) -> Result<(), XlsxError> {
    if let Some(level1) = published(&indicator.level1) {
        sheet.write_string_with_format(row, col, level1, text)?;
    }
    if let Some(level2) = published(&indicator.level2) {
        sheet.write_string_with_format(row, col + 1, level2, text)?;
    }
    sheet.write_string_with_format(row, col + 2, indicator.name.text.as_str(), text)?;
    if let Some(annual) = &indicator.annual {
        sheet.write_string_with_format(row, col + 3, annual.raw.as_str(), text)?;
    }
    if let Some(period) = &indicator.period {
        sheet.write_string_with_format(row, col + 4, period.raw.as_str(), text)?;
    }
    Ok(())
}

/// A category as the table gave it; an inferred one is left out so that reading the export back
/// infers it again rather than taking it as published.
fn published(category: &Option<Category>) -> Option<&str> {
    let category = category.as_ref()?;
    if category.inferred.is_some() {
        return None;
    }
    Some(if category.raw.is_empty() {
        category.name.as_str()
    } else {
        category.raw.as_str()
    })
}

/// An amount as a number, shown with as many decimals as it was published with.
fn write_amount(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    amount: &Amount,
) -> Result<(), XlsxError> {
    let decimals = amount.value.scale().min(10) as usize;
    let pattern = if decimals == 0 {
        "#,##0".to_owned()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    };
    match amount.value.to_f64() {
        Some(number) => {
            sheet.write_number_with_format(
                row,
                col,
                number,
                &Format::new().set_num_format(pattern),
            )?;
        }
        None => {
            sheet.write_string(row, col, amount.raw.as_str())?;
        }
    }
    Ok(())
}

/// The project-sheet workbook: one sheet per project, laid out like the published 申报表.
pub fn project_sheets_xlsx(documents: &[Document]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let mut names = HashSet::new();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let label = cell.clone().set_bold().set_background_color("#E8EEF7");
    for document in documents {
        for (number, (unit, project)) in document.projects().enumerate() {
            let sheet = workbook.add_worksheet();
            let name = format!("{}-{}", number + 1, project.name.text);
            sheet.set_name(sheet_name(&name, &mut names))?;
            for (col, width) in [16.0, 18.0, 34.0, 18.0, 18.0].into_iter().enumerate() {
                sheet.set_column_width(col_index(col), width)?;
            }
            sheet.merge_range(0, 0, 0, 4, "项目支出绩效目标申报表", &label)?;
            sheet.write_string(1, 0, format!("单位：{}", amount_unit(document)))?;
            sheet.write_string_with_format(2, 0, "项目名称", &label)?;
            sheet.merge_range(2, 1, 2, 4, project.name.text.as_str(), &cell)?;
            sheet.write_string_with_format(3, 0, "主管部门", &label)?;
            let department = document
                .department
                .as_ref()
                .map_or(unit.name.text.as_str(), |d| d.text.as_str());
            sheet.write_string_with_format(3, 1, department, &cell)?;
            sheet.write_string_with_format(3, 2, "实施单位", &label)?;
            sheet.merge_range(3, 3, 3, 4, unit.name.text.as_str(), &cell)?;
            sheet.write_string_with_format(4, 0, "预算数", &label)?;
            if let Some(total) = &project.amounts.total {
                write_amount(sheet, 4, 1, total)?;
            }
            sheet.write_string_with_format(5, 0, "年度目标", &label)?;
            let goal = project.goal.as_ref().map_or("", |g| g.text.as_str());
            sheet.merge_range(5, 1, 5, 4, goal, &cell)?;
            for (col, text) in ["一级指标", "二级指标", "三级指标", "指标值", "实施期指标值"]
                .into_iter()
                .enumerate()
            {
                sheet.write_string_with_format(6, col_index(col), text, &label)?;
            }
            write_indicator_grid(sheet, 7, &project.indicators, &cell)?;
        }
    }
    if names.is_empty() {
        workbook
            .add_worksheet()
            .write_string(0, 0, "没有可导出的项目")?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// The 一级/二级/三级 grid from row `first`, merging runs of the same 一级 and of the same 二级
/// within it, as published sheets do.
fn write_indicator_grid(
    sheet: &mut Worksheet,
    first: u32,
    indicators: &[Indicator],
    cell: &Format,
) -> Result<(), XlsxError> {
    for (i, indicator) in indicators.iter().enumerate() {
        let row = first + to_u32(i);
        write_indicator_cells(sheet, row, 0, indicator, cell)?;
    }
    for (level, col) in [(1, 0u16), (2, 1u16)] {
        let key = |i: &Indicator| -> Option<String> {
            let l1 = published(&i.level1).map(str::to_owned);
            match level {
                1 => l1,
                _ => published(&i.level2).map(|l2| format!("{}/{l2}", l1.unwrap_or_default())),
            }
        };
        let mut start = 0;
        while start < indicators.len() {
            let current = key(&indicators[start]);
            let mut end = start + 1;
            while end < indicators.len() && current.is_some() && key(&indicators[end]) == current {
                end += 1;
            }
            if end - start > 1 {
                let text = if col == 0 {
                    published(&indicators[start].level1)
                } else {
                    published(&indicators[start].level2)
                };
                sheet.merge_range(
                    first + to_u32(start),
                    col,
                    first + to_u32(end - 1),
                    col,
                    text.unwrap_or(""),
                    cell,
                )?;
            }
            start = end;
        }
    }
    Ok(())
}

/// The indicator rows as one HTML page, a table per document; project cells span their rows.
pub fn indicator_rows_html(documents: &[Document]) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>项目绩效目标</title></head><body>\n",
    );
    for document in documents {
        let _ = writeln!(html, "<h1>{}</h1>", escape(&title(document)));
        let _ = writeln!(html, "<p>部门名称：{}</p>", escape(department(document)));
        let _ = writeln!(html, "<p>单位：{}</p>", escape(&amount_unit(document)));
        html.push_str("<table border=\"1\">\n<tr>");
        for (label, _) in ROW_COLUMNS {
            let _ = write!(html, "<th>{label}</th>");
        }
        html.push_str("</tr>\n");
        for unit in &document.units {
            for project in &unit.projects {
                let span = project.indicators.len().max(1);
                let amounts = &project.amounts;
                let mut project_cells = String::new();
                let unit_name = if unit.implicit {
                    ""
                } else {
                    unit.name.text.as_str()
                };
                let amount =
                    |a: &Option<Amount>| a.as_ref().map_or(String::new(), |a| a.raw.to_string());
                for text in [
                    unit_name.to_owned(),
                    project.name.text.to_string(),
                    amount(&amounts.total),
                    amount(&amounts.fiscal),
                    amount(&amounts.special_account),
                    amount(&amounts.other),
                    project
                        .goal
                        .as_ref()
                        .map_or(String::new(), |g| g.text.to_string()),
                ] {
                    let _ = write!(
                        project_cells,
                        "<td rowspan=\"{span}\">{}</td>",
                        escape(&text)
                    );
                }
                if project.indicators.is_empty() {
                    let _ = writeln!(html, "<tr>{project_cells}</tr>");
                }
                for (i, indicator) in project.indicators.iter().enumerate() {
                    html.push_str("<tr>");
                    if i == 0 {
                        html.push_str(&project_cells);
                    }
                    for text in [
                        published(&indicator.level1).unwrap_or(""),
                        published(&indicator.level2).unwrap_or(""),
                        indicator.name.text.as_str(),
                        indicator.annual.as_ref().map_or("", |v| v.raw.as_str()),
                        indicator.period.as_ref().map_or("", |v| v.raw.as_str()),
                    ] {
                        let _ = write!(html, "<td>{}</td>", escape(text));
                    }
                    html.push_str("</tr>\n");
                }
            }
        }
        html.push_str("</table>\n");
    }
    html.push_str("</body></html>\n");
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn title(document: &Document) -> String {
    document.title.as_ref().map_or_else(
        || format!("{}项目绩效目标申报表", document_label(document)),
        |t| t.text.trim().to_string(),
    )
}

fn document_label(document: &Document) -> String {
    document.department.as_ref().map_or_else(
        || {
            let name = document
                .source
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(&document.source);
            name.rsplit_once('.')
                .map_or(name, |(stem, _)| stem)
                .to_owned()
        },
        |d| d.text.to_string(),
    )
}

fn department(document: &Document) -> &str {
    document.department.as_ref().map_or("", |d| d.text.as_str())
}

fn amount_unit(document: &Document) -> String {
    document
        .amount_unit
        .as_ref()
        .map_or_else(|| "万元".to_owned(), |u| u.text.to_string())
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() {
        "表".to_owned()
    } else {
        clean.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        let suffix = format!("({n})");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    name
}

fn col_index(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
