//! jixiao's own outputs read back: `parse --format json` and `parse|export --format csv` (one row
//! per indicator). A user who exported a table, corrected it and brings it back gets the same
//! model, not "no table".

use std::sync::Arc;

use jixiao_model::{
    Amount, Amounts, Category, CellRef, Document, Indicator, Layout, Project, Span, Str, Text,
    Unit, Value,
};

use crate::department_list::parse_amount;
use crate::value::parse_shared;

/// The header of the indicator CSV (`README.md`, “CSV 列”).
pub const CSV_COLUMNS: &[&str] = &[
    "file",
    "department",
    "unit",
    "project",
    "project_line",
    "seq",
    "level1",
    "level1_code",
    "level2",
    "level2_code",
    "level2_inferred",
    "name",
    "annual_raw",
    "annual_kind",
    "annual_comparator",
    "annual_number",
    "annual_unit",
    "period_raw",
    "project_total",
    "project_fiscal",
    "project_special",
    "project_other",
];

/// The documents of jixiao's own JSON: `export --to json` (an array of documents),
/// `parse --format json` (an object whose `documents` holds them) or `parse --format jsonl` (a
/// document per line); `None` for any other text.
pub fn read_json(text: &str) -> Option<Vec<Document>> {
    /// `parse --format json`'s output; its problems and errors were about the files it read.
    #[derive(serde::Deserialize)]
    struct ParseOutput {
        documents: Vec<Document>,
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return serde_json::from_str::<Vec<Document>>(trimmed).ok();
    }
    if !trimmed.starts_with('{') {
        return None;
    }
    if let Ok(output) = serde_json::from_str::<ParseOutput>(trimmed) {
        return Some(output.documents);
    }
    trimmed
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str::<Document>(line).ok())
        .collect()
}

/// True when `text` starts with the indicator CSV's header.
pub fn is_indicator_csv(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    first
        .split(',')
        .map(str::trim)
        .eq(CSV_COLUMNS.iter().copied())
}

/// The documents of an indicator CSV: one per file and department, units and projects in the
/// order their rows come, each value read again from its raw text.
pub fn read_csv(source: &str, text: &str) -> Option<Vec<Document>> {
    let file: Arc<str> = Arc::from(source);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut documents: Vec<(String, Document)> = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.ok()?;
        let line = u32::try_from(index + 2).unwrap_or(u32::MAX);
        let field = |name: &str| -> &str {
            CSV_COLUMNS
                .iter()
                .position(|c| *c == name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
        };
        let span = |name: &str| {
            let col = CSV_COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
            Span {
                cell: Some(Box::new(CellRef {
                    sheet: None,
                    page: None,
                    row: line,
                    col: u32::try_from(col + 1).unwrap_or(0),
                })),
                ..Span::line(file.clone(), line)
            }
        };
        let text_of = |name: &str| Text {
            text: Str::from(field(name).to_owned()),
            span: span(name),
        };
        let key = format!("{}\u{0}{}", field("file"), field("department"));
        if documents.last().is_none_or(|(k, _)| *k != key) {
            let department = field("department");
            documents.push((
                key,
                Document {
                    source: source.to_owned(),
                    encoding: "UTF-8".to_owned(),
                    layout: Layout::IndicatorRows,
                    title: None,
                    department: (!department.is_empty()).then(|| text_of("department")),
                    amount_unit: None,
                    header: None,
                    grand_total: None,
                    units: Vec::new(),
                    truncation: None,
                },
            ));
        }
        let (_, document) = documents.last_mut()?;
        if document.header.is_none() {
            document.header = Some(Text {
                text: Str::from(CSV_COLUMNS.join(",")),
                span: Span::line(file.clone(), 1),
            });
        }
        let unit_name = field("unit");
        if document
            .units
            .last()
            .is_none_or(|u| u.name.text.as_str() != unit_name)
        {
            document.units.push(Unit {
                name: text_of("unit"),
                amounts: Amounts::default(),
                implicit: false,
                projects: Vec::new(),
                span: span("unit"),
            });
        }
        let unit = document.units.last_mut()?;
        let project_name = field("project");
        if unit
            .projects
            .last()
            .is_none_or(|p| p.name.text.as_str() != project_name)
        {
            let amount = |name: &str| {
                let raw = field(name);
                parse_amount(raw).map(|value| Amount {
                    value,
                    raw: Str::from(raw.to_owned()),
                    span: span(name),
                })
            };
            unit.projects.push(Project {
                name: text_of("project"),
                amounts: Amounts {
                    total: amount("project_total"),
                    fiscal: amount("project_fiscal"),
                    special_account: amount("project_special"),
                    other: amount("project_other"),
                },
                goal: None,
                indicator_cell: None,
                indicators: Vec::new(),
                span: span("project"),
                details: None,
                evaluation: None,
            });
        }
        let project = unit.projects.last_mut()?;
        if field("name").is_empty() && field("annual_raw").is_empty() {
            continue;
        }
        let category = |name: &str, code: &str| {
            let raw = field(name);
            (!raw.is_empty()).then(|| Category {
                name: Str::from(raw.to_owned()),
                code: (!field(code).is_empty()).then(|| Str::from(field(code).to_owned())),
                raw: Str::from(raw.to_owned()),
                inferred: None,
                span: Some(span(name)),
            })
        };
        let value = |name: &str| {
            let raw = Str::from(field(name).to_owned());
            (!raw.is_empty()).then(|| Value {
                kind: parse_shared(&raw),
                raw,
                span: span(name),
            })
        };
        project.indicators.push(Indicator {
            seq: field("seq").parse().unwrap_or(0),
            level1: category("level1", "level1_code"),
            level2: category("level2", "level2_code"),
            name: text_of("name"),
            annual: value("annual_raw"),
            period: value("period_raw").map(Box::new),
            raw: Str::from(field("name").to_owned()),
            span: span("name"),
            details: None,
        });
    }
    let documents: Vec<Document> = documents.into_iter().map(|(_, d)| d).collect();
    (!documents.is_empty()).then_some(documents)
}
