//! Rows back from flattenings that lost them.
//!
//! A crawler or a copy from a web page often leaves one cell per line, with row ends lost or
//! marked only now and then. The layout readers want rows: a header-block label beside its value,
//! the indicator header in one row, and one row per indicator. This puts them back from what the
//! cells say, using the vocabulary (`data/vocabulary.toml`) and the category names of the profile:
//!
//! - a cell `项目名称：X` becomes the label and its value;
//! - consecutive rows made only of header words (`一级指标`, `二级指标`, `三级指标`, `指标值`)
//!   become one header row;
//! - a label row of one cell takes the one-cell row after it as its value;
//! - after the header, when most rows hold one cell, the cells are regrouped into indicator rows:
//!   categories open a row, the first other cell is the name, and the cells after it fill the
//!   header's value columns as far as they fit them.
//!
//! Rows that already hold several cells are left as they are.

use jixiao_model::vocabulary::{ColumnRole, LabelRole, Vocabulary};
use jixiao_model::{Comparator, Profile};

use crate::flat::Cell;

/// The rows with their lost structure put back.
pub fn assemble(rows: Vec<Vec<Cell>>, profile: &Profile) -> Vec<Vec<Cell>> {
    let rows: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|row| row.into_iter().flat_map(split_label_cell).collect())
        .collect();
    let rows = join_wrapped_rows(rows, profile);
    let rows = merge_header_runs(rows);
    let rows = extend_headers(rows, profile);
    let rows = pair_labels(rows);
    regroup_indicators(rows, profile)
}

/// `项目名称：社区养老服务补助` → `项目名称` and `社区养老服务补助`.
fn split_label_cell(cell: Cell) -> Vec<Cell> {
    let text = cell.text.as_str();
    let Some(colon) = text.find([':', '：']) else {
        return vec![cell];
    };
    let (label, rest) = text.split_at(colon);
    let value = rest[rest.chars().next().map_or(0, char::len_utf8)..].trim();
    if value.is_empty()
        || label.chars().count() > 12
        || Vocabulary::builtin().label(label).is_none()
    {
        return vec![cell];
    }
    let label = label.trim();
    vec![part(&cell, label), part(&cell, value)]
}

/// `piece` (a slice of the cell's text) as a cell of its own, with its own byte range where the
/// span has one.
fn part(cell: &Cell, piece: &str) -> Cell {
    let offset = (piece.as_ptr() as usize).saturating_sub(cell.text.as_ptr() as usize);
    let mut span = cell.span.clone();
    if span.cell.is_none() {
        span.start = span
            .start
            .saturating_add(u32::try_from(offset).unwrap_or(u32::MAX));
        span.end = span
            .start
            .saturating_add(u32::try_from(piece.len()).unwrap_or(u32::MAX));
    }
    Cell {
        text: cell.text.slice_ref(piece),
        span,
        col: cell.col,
    }
}

/// A `|` row that a crawler wrapped: the end of a row (`| 有效 | 10 | 10 |`) printed on a line of
/// its own that starts with `|`. Short value-like cells there go back to the row before.
fn join_wrapped_rows(rows: Vec<Vec<Cell>>, profile: &Profile) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    for row in rows {
        let continues = row.first().is_some_and(|first| {
            first.span.cell.is_none() && first.col.is_none() && first.span.start > 0
        }) && row.len() <= 4
            && row.iter().all(|c| {
                let text = c.text.trim();
                let value_like = text.chars().count() <= 4
                    || crate::department_list::parse_amount(text.trim_end_matches('%')).is_some()
                    || starts_with_comparator(text);
                value_like
                    && profile.level1(text).is_none()
                    && profile.level2(text, None).is_none()
                    && !is_header_word(c)
                    && Vocabulary::builtin().label(text).is_none()
            })
            && out.last().is_some_and(|prev| {
                prev.len() >= 2
                    && prev
                        .first()
                        .is_some_and(|c| !is_header_word(c) && !ends_grid(c))
                    && Vocabulary::builtin().label(&prev[0].text).is_none()
            });
        match out.last_mut() {
            Some(prev) if continues => prev.extend(row),
            _ => out.push(row),
        }
    }
    out
}

/// A header word: a grid column, or the grid's row label (`绩效指标`, `年度绩效指标`).
fn is_header_word(cell: &Cell) -> bool {
    Vocabulary::builtin().column(&cell.text).is_some() || is_grid_label(cell)
}

fn is_grid_label(cell: &Cell) -> bool {
    // Eight characters are at most 32 bytes.
    if jixiao_model::vocabulary::label_key_longer_than(&cell.text, 32) {
        return false;
    }
    let key = jixiao_model::vocabulary::label_key(&cell.text);
    let key = jixiao_model::vocabulary::without_brackets(&key);
    key.ends_with("绩效指标") && key.chars().count() <= 8
}

/// Joins runs of rows made only of header words into one row, when the run names a level and a
/// value or name column.
fn merge_header_runs(rows: Vec<Vec<Cell>>) -> Vec<Vec<Cell>> {
    let vocabulary = Vocabulary::builtin();
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut run: Vec<Vec<Cell>> = Vec::new();
    let flush = |run: &mut Vec<Vec<Cell>>, out: &mut Vec<Vec<Cell>>| {
        let roles: Vec<ColumnRole> = run
            .iter()
            .flatten()
            .filter_map(|c| vocabulary.column(&c.text))
            .collect();
        let has_level = roles.contains(&ColumnRole::Level1);
        let has_name = roles.contains(&ColumnRole::Level3);
        if run.len() > 1 && has_level && has_name {
            out.push(run.drain(..).flatten().collect());
        } else {
            out.append(run);
        }
    };
    for row in rows {
        if !row.is_empty() && row.iter().all(is_header_word) {
            run.push(row);
        } else {
            flush(&mut run, &mut out);
            out.push(row);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A header of one cell per row may go on with columns of their own names (one per village or
/// site): the one-cell rows after it up to the first category are its columns too.
fn extend_headers(rows: Vec<Vec<Cell>>, profile: &Profile) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut index = 0;
    while index < rows.len() {
        let mut row = rows[index].clone();
        index += 1;
        if !is_header(&row) || row.len() < 3 {
            out.push(row);
            continue;
        }
        let extra = rows[index..]
            .iter()
            .take(16)
            .take_while(|r| {
                r.len() == 1
                    && !is_header_word(&r[0])
                    && profile.level1(&r[0].text).is_none()
                    && profile.level2(&r[0].text, None).is_none()
                    && !ends_grid(&r[0])
            })
            .count();
        let next_is_category = rows
            .get(index + extra)
            .and_then(|r| r.first())
            .is_some_and(|c| profile.level1(&c.text).is_some());
        if extra > 0 && next_is_category {
            for next in &rows[index..index + extra] {
                row.extend(next.iter().cloned());
            }
            index += extra;
        }
        out.push(row);
    }
    out
}

/// Before the first indicator header: a one-cell label row followed by a one-cell value row
/// become one row.
fn pair_labels(rows: Vec<Vec<Cell>>) -> Vec<Vec<Cell>> {
    let vocabulary = Vocabulary::builtin();
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    let mut in_grid = false;
    while let Some(mut row) = rows.next() {
        if is_header(&row) {
            in_grid = true;
        }
        let is_label = |row: &[Cell]| row.len() == 1 && vocabulary.label(&row[0].text).is_some();
        if !in_grid
            && is_label(&row)
            && let Some(next) = rows.peek()
            && next.len() == 1
            && !is_label(next)
            && !is_header_word(&next[0])
        {
            let goal = matches!(
                vocabulary.label(&row[0].text),
                Some(LabelRole::Goal | LabelRole::LongTermGoal)
            );
            // A goal label may be followed by a long goal; any other label by a short value.
            if goal || next[0].text.chars().count() <= 80 {
                row.extend(rows.next().unwrap_or_default());
            }
        }
        out.push(row);
    }
    out
}

/// The header row of an indicator grid: a level-1 column and a name column.
fn is_header(row: &[Cell]) -> bool {
    let vocabulary = Vocabulary::builtin();
    let roles: Vec<ColumnRole> = row
        .iter()
        .filter_map(|c| vocabulary.column(&c.text))
        .collect();
    roles.contains(&ColumnRole::Level1) && roles.contains(&ColumnRole::Level3)
}

/// What an indicator cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Level1,
    Level2,
    Other,
}

/// After each header whose rows hold mostly one cell, regroups those cells into indicator rows.
fn regroup_indicators(rows: Vec<Vec<Cell>>, profile: &Profile) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut index = 0;
    while index < rows.len() {
        let row = &rows[index];
        out.push(row.clone());
        index += 1;
        if !is_header(row) {
            continue;
        }
        let columns = value_columns(row);
        let end = rows[index..]
            .iter()
            .position(|r| r.first().is_some_and(ends_grid))
            .map_or(rows.len(), |p| index + p);
        let body = &rows[index..end];
        let single = body.iter().filter(|r| r.len() == 1).count();
        if body.len() < 2 || single * 10 < body.len() * 6 {
            continue;
        }
        out.extend(regroup(body.iter().flatten(), &columns, profile));
        index = end;
    }
    out
}

/// The roles of the header's columns after the name column; `None` for a column of its own name
/// (a village, a site).
fn value_columns(header: &[Cell]) -> Vec<Option<ColumnRole>> {
    let vocabulary = Vocabulary::builtin();
    let name = header
        .iter()
        .rposition(|c| vocabulary.column(&c.text) == Some(ColumnRole::Level3))
        .unwrap_or(0);
    let mut columns: Vec<Option<ColumnRole>> = header[name + 1..]
        .iter()
        .filter(|c| !is_grid_label(c))
        .map(|c| vocabulary.column(&c.text))
        .filter(|r| {
            !matches!(
                r,
                Some(ColumnRole::Level1 | ColumnRole::Level2 | ColumnRole::Level3)
            )
        })
        .collect();
    if columns.is_empty() {
        columns.push(Some(ColumnRole::Value));
    }
    columns
}

/// A cell that ends the indicator grid (`合计`, `评价结论`, `填表人：`, a signature line, a web
/// page's `文件下载`).
fn ends_grid(cell: &Cell) -> bool {
    Vocabulary::builtin().ends_grid(&cell.text)
}

fn regroup<'c>(
    cells: impl Iterator<Item = &'c Cell>,
    columns: &[Option<ColumnRole>],
    profile: &Profile,
) -> Vec<Vec<Cell>> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut named = false;
    let mut values = 0usize;
    let mut level1: Option<String> = None;
    for cell in cells {
        if is_grid_label(cell) {
            continue;
        }
        let kind = kind_of(cell, level1.as_deref(), profile);
        if kind != Kind::Other {
            let row_has_level = |k: Kind| {
                row.iter()
                    .any(|c| kind_of(c, level1.as_deref(), profile) == k)
            };
            // A category after a name, or a second category of the same level, opens a row.
            if named || row_has_level(kind) || (kind == Kind::Level1 && row_has_level(Kind::Level2))
            {
                rows.push(std::mem::take(&mut row));
                named = false;
                values = 0;
            }
            if kind == Kind::Level1 {
                level1 = profile.level1(&cell.text).map(|d| d.code.to_string());
            }
            row.push(cell.clone());
            continue;
        }
        if !named {
            row.push(cell.clone());
            named = true;
            values = 0;
            continue;
        }
        if let Some(&column) = columns.get(values)
            && (values == 0 || fits(column, &cell.text))
        {
            row.push(cell.clone());
            values += 1;
            continue;
        }
        rows.push(std::mem::take(&mut row));
        row.push(cell.clone());
        named = true;
        values = 0;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

fn kind_of(cell: &Cell, level1: Option<&str>, profile: &Profile) -> Kind {
    if profile.level1(&cell.text).is_some() {
        Kind::Level1
    } else if profile.level2(&cell.text, level1).is_some() {
        Kind::Level2
    } else {
        Kind::Other
    }
}

/// Whether a cell after the first value can be the next value column rather than the next
/// indicator's name.
fn fits(column: Option<ColumnRole>, text: &str) -> bool {
    let text = text.trim();
    let short = text.chars().count() <= 8;
    let numeric = text.chars().any(|c| c.is_ascii_digit());
    let Some(column) = column else {
        return numeric || short || starts_with_comparator(text);
    };
    match column {
        ColumnRole::Nature => {
            Comparator::from_symbol(text).is_some()
                || matches!(text, "定性" | "定量" | "≧" | "≦" | "═" | "正向" | "反向")
        }
        ColumnRole::Unit => short && !numeric,
        ColumnRole::Weight | ColumnRole::Score => {
            crate::department_list::parse_amount(text).is_some()
        }
        ColumnRole::Value | ColumnRole::Period | ColumnRole::Actual => {
            numeric || short || starts_with_comparator(text)
        }
        ColumnRole::Direction => text.contains('向'),
        _ => short,
    }
}

fn starts_with_comparator(text: &str) -> bool {
    text.starts_with(['≥', '≤', '>', '<', '=', '＞', '＜', '≧', '≦'])
}
