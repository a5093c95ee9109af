//! Project lists whose targets are split into one column per 一级 category (扶贫/乡村振兴 project
//! tables: 项目名称 | … | 产出指标 | 效益指标 | 满意度指标), each cell a list of targets in prose
//! (`受益户数≥200户,受益脱贫户数≥15户`).
//!
//! The header may be flattened over several rows (the category columns under a merged 绩效目标
//! cell print on rows of their own), so the category cells of a data row are found where the
//! categories fit them best: a cell of targets with comparators, and the 满意度 column holding the
//! satisfaction target. Items with no comparator (a purchase description in the 产出 column) are
//! not targets and are reported, not invented.

use std::sync::Arc;

use jixiao_model::{
    Amounts, Category, CategoryDef, Document, Indicator, Layout, Problem, ProblemKind, Profile,
    Project, Span, Str, Text, Unit, Value,
};

use crate::flat::Cell;
use crate::runtogether::COMPARATORS;
use crate::value::parse_shared;

/// The documents of a category-column project list in `rows`, or nothing.
pub fn read(
    file: &Arc<str>,
    rows: &[Vec<Cell>],
    encoding: &str,
    profile: &Profile,
    problems: &mut Vec<Problem>,
) -> Vec<Document> {
    let vocabulary = jixiao_model::vocabulary::Vocabulary::builtin();
    let Some(header) = rows.iter().position(|r| {
        r.iter().any(|c| {
            vocabulary.label(&c.text) == Some(jixiao_model::vocabulary::LabelRole::Project)
        })
    }) else {
        return Vec::new();
    };
    let Some(name_index) = rows[header].iter().position(|c| {
        vocabulary.label(&c.text) == Some(jixiao_model::vocabulary::LabelRole::Project)
    }) else {
        return Vec::new();
    };
    // The categories in the header rows, in order, and where the header ends.
    let mut categories: Vec<&CategoryDef> = Vec::new();
    let mut body = header + 1;
    for (i, row) in rows.iter().enumerate().skip(header).take(5) {
        let found: Vec<&CategoryDef> = row.iter().filter_map(|c| profile.level1(&c.text)).collect();
        if !found.is_empty() {
            body = i + 1;
        }
        for def in found {
            if !categories.iter().any(|d| d.code == def.code) {
                categories.push(def);
            }
        }
    }
    if categories.len() < 2 {
        return Vec::new();
    }
    let mut projects = Vec::new();
    for row in &rows[body..] {
        if row.len() < categories.len() + 2 || row.len() <= name_index {
            continue;
        }
        let Some(start) = best_window(row, name_index + 1, &categories) else {
            continue;
        };
        let name = &row[name_index];
        let mut indicators = Vec::new();
        for (cell, def) in row[start..start + categories.len()].iter().zip(&categories) {
            for (item_start, item_end, op) in items(&cell.text) {
                let item = &cell.text[item_start..item_end];
                let Some(op) = op else {
                    problems.push(Problem {
                        kind: ProblemKind::UnreadableIndicators,
                        message: format!(
                            "“{}”列中的“{item}”没有可衡量的目标值（如“≥200户”），未作为指标读取。",
                            def.name
                        ),
                        span: cell.span.clone(),
                    });
                    continue;
                };
                let name_text = item[..op - item_start].trim();
                if name_text.is_empty() {
                    continue;
                }
                let span = part_span(cell, op, item_end);
                let raw = Str::from(cell.text[op..item_end].trim().to_owned());
                indicators.push(Indicator {
                    seq: u32::try_from(indicators.len() + 1).unwrap_or(u32::MAX),
                    level1: Some(Category {
                        name: def.name.clone(),
                        code: Some(def.code.clone()),
                        raw: Str::from(def.name.to_string()),
                        inferred: None,
                        span: Some(cell.span.clone()),
                    }),
                    level2: profile.infer_level2(&def.code, name_text, None),
                    name: Text {
                        text: Str::from(name_text.to_owned()),
                        span: part_span(cell, item_start, op),
                    },
                    annual: Some(Value {
                        kind: parse_shared(&raw),
                        raw,
                        span: span.clone(),
                    }),
                    period: None,
                    raw: Str::from(item.to_owned()),
                    span,
                    details: None,
                });
            }
        }
        projects.push(Project {
            name: Text {
                text: name.text.clone(),
                span: name.span.clone(),
            },
            amounts: Amounts::default(),
            goal: None,
            indicator_cell: None,
            indicators,
            span: name.span.clone(),
            details: None,
            evaluation: None,
        });
    }
    if projects.iter().all(|p| p.indicators.is_empty()) {
        return Vec::new();
    }
    let first = &rows[header][0];
    vec![Document {
        source: file.to_string(),
        encoding: encoding.to_owned(),
        layout: Layout::IndicatorRows,
        title: None,
        department: None,
        amount_unit: None,
        header: Some(Text {
            text: Str::from(
                rows[header]
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            span: first.span.clone(),
        }),
        grand_total: None,
        units: vec![Unit {
            name: Text {
                text: Str::default(),
                span: first.span.clone(),
            },
            amounts: Amounts::default(),
            implicit: true,
            projects,
            span: first.span.clone(),
        }],
        truncation: None,
    }]
}

/// Where the category columns start in `row`: the window after the name whose cells hold the
/// most targets, the 满意度 column holding a satisfaction target.
fn best_window(row: &[Cell], from: usize, categories: &[&CategoryDef]) -> Option<usize> {
    let width = categories.len();
    (from..=row.len().checked_sub(width)?)
        .map(|start| {
            let score: i32 = row[start..start + width]
                .iter()
                .zip(categories)
                .map(|(cell, def)| {
                    let targets = items(&cell.text).filter(|(_, _, op)| op.is_some()).count();
                    let satisfaction = cell.text.contains("满意");
                    let wants = def.name.contains("满意");
                    i32::try_from(targets).unwrap_or(i32::MAX)
                        + match (wants, satisfaction) {
                            (true, true) => 3,
                            (true, false) | (false, true) => -3,
                            (false, false) => 0,
                        }
                })
                .sum();
            (start, score)
        })
        .filter(|&(_, score)| score > 0)
        .max_by_key(|&(start, score)| (score, std::cmp::Reverse(start)))
        .map(|(start, _)| start)
}

/// The items of a prose cell, split at `，` `,` `；` `;` `。`: each item's range and where its
/// comparator starts, if it has one.
fn items(text: &str) -> impl Iterator<Item = (usize, usize, Option<usize>)> + '_ {
    let mut start = 0;
    text.split_inclusive(['，', ',', '；', ';', '。', '\n'])
        .map(move |part| {
            let item_start = start;
            start += part.len();
            let trimmed = part.trim_end_matches(['，', ',', '；', ';', '。', '\n']);
            let op = COMPARATORS
                .iter()
                .filter_map(|c| trimmed.find(c))
                .min()
                .map(|i| item_start + i);
            (item_start, item_start + trimmed.len(), op)
        })
        .filter(|(s, e, _)| e > s)
}

/// The span of `start..end` of a cell's text: a narrower byte range where the span is a line's.
fn part_span(cell: &Cell, start: usize, end: usize) -> Span {
    let mut span = cell.span.clone();
    if span.cell.is_none() {
        span.end = span
            .start
            .saturating_add(u32::try_from(end).unwrap_or(u32::MAX));
        span.start = span
            .start
            .saturating_add(u32::try_from(start).unwrap_or(u32::MAX));
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_items_and_their_comparators() {
        let found: Vec<(&str, bool)> = items("受益户数≥200户,受益脱贫户数≥15户，农用拖拉机2台")
            .map(|(s, e, op)| {
                (
                    &"受益户数≥200户,受益脱贫户数≥15户，农用拖拉机2台"[s..e],
                    op.is_some(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("受益户数≥200户", true),
                ("受益脱贫户数≥15户", true),
                ("农用拖拉机2台", false)
            ]
        );
    }
}
