//! Layouts with one row per indicator: the indicator-row list (many projects), the project sheet
//! (申报表) and the self-evaluation sheet (自评表).
//!
//! The three share an indicator grid (一级 / 二级 / 三级 / value columns) and differ in what comes
//! before it, so one recogniser reads them all from rows of non-empty cells. Merged 一级 and 二级
//! cells appear only on their first row; the recogniser carries them down. Cells after the 三级
//! name are matched to the header's columns by what they contain, because flattened sources drop
//! empty cells and so shift positions.

use std::sync::Arc;

use jixiao_model::{
    Amount, AmountRow, Amounts, BudgetLine, Category, Comparator, Document, Evaluation, Field,
    Funding, Indicator, IndicatorDetails, Layout, Problem, ProblemKind, Profile, Project,
    ProjectDetails, Span, Str, Text, Unit, Value, ValueKind,
};
use rust_decimal::Decimal;

use crate::department_list::parse_amount;
use crate::flat::Cell;
use crate::value::parse_shared;

/// How sure the recogniser is that rows hold one of its layouts, and which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    pub layout: Layout,
    /// 0–100.
    pub confidence: u8,
}

/// What the rows look like to this recogniser, without reading them.
pub fn detect(rows: &[Vec<Cell>]) -> Option<Detection> {
    let header = rows.iter().position(|r| header_of(r).is_some())?;
    let before = &rows[..header];
    let all_text = |words: &[&str]| {
        rows.iter()
            .flatten()
            .any(|c| words.iter().any(|w| c.text.contains(w)))
    };
    let layout = if all_text(&["自评", "完成值", "实际完成"]) {
        Layout::SelfEvaluation
    } else if rows[header]
        .iter()
        .any(|c| is_label(c, &["项目名称", "单位名称"]))
    {
        Layout::IndicatorRows
    } else {
        Layout::ProjectSheet
    };
    let has_project = before.iter().flatten().any(is_project_label);
    let confidence = match (layout, has_project) {
        (Layout::IndicatorRows, _) => 90,
        (_, true) => 90,
        (_, false) => 60,
    };
    Some(Detection { layout, confidence })
}

/// Reads every document in `rows`. `forced` is the layout the user asked for, if any.
pub fn read(
    file: &Arc<str>,
    rows: &[Vec<Cell>],
    encoding: &str,
    forced: Option<Layout>,
    profile: &Profile,
    problems: &mut Vec<Problem>,
) -> Vec<Document> {
    let mut documents = Vec::new();
    // A table cut at the top keeps its indicator rows but lost its header: it is read with the
    // columns of the file's next header (the same template), or by what its cells hold.
    let file_columns = rows.iter().find_map(|r| header_of(r)).map(|(c, _)| c);
    let file_layout = rows
        .iter()
        .position(|r| header_of(r).is_some())
        .and_then(|_| detect(rows))
        .map(|d| d.layout);
    for (index, segment) in segments(rows).into_iter().enumerate() {
        let detection = detect(segment);
        let layout = forced
            .or(detection.map(|d| d.layout))
            .or(file_layout)
            .unwrap_or(Layout::ProjectSheet);
        let mut reader = SheetReader {
            file,
            profile,
            problems: &mut *problems,
            layout,
            level2_column: true,
            level2_col: None,
            halves: false,
        };
        let document = match detection {
            Some(_) => reader.read(segment, encoding),
            // A scoring framework's rows (its header refused above) are no cut target table.
            None if index == 0 && !rows.iter().any(|r| is_scoring_header(r)) => {
                reader.read_headless(segment, file_columns.as_deref(), encoding)
            }
            None => None,
        };
        documents.extend(document);
    }
    if let Some(last) = documents.last_mut() {
        mark_stopped_early(last, rows);
    }
    documents
}

/// The header of a scoring framework (评分表): the three levels and points, no target value.
fn is_scoring_header(row: &[Cell]) -> bool {
    use jixiao_model::vocabulary::ColumnRole;
    let roles: Vec<Option<ColumnRole>> = row
        .iter()
        .map(|c| jixiao_model::vocabulary::Vocabulary::builtin().column(&c.text))
        .collect();
    roles.contains(&Some(ColumnRole::Level1))
        && (roles.contains(&Some(ColumnRole::Score)) || roles.contains(&Some(ColumnRole::Weight)))
        && !roles.contains(&Some(ColumnRole::Value))
        && !roles.contains(&Some(ColumnRole::Actual))
}

/// Marks a document whose grid runs to the end of the source and whose last indicator is cut
/// (no value): the copy stopped part-way.
fn mark_stopped_early(document: &mut Document, rows: &[Vec<Cell>]) {
    let Some(last_row) = rows.last().and_then(|r| r.last()) else {
        return;
    };
    let Some(indicator) = document
        .units
        .last()
        .and_then(|u| u.projects.last())
        .and_then(|p| p.indicators.last())
    else {
        return;
    };
    let runs_to_end = indicator.span.line >= last_row.span.line
        || indicator
            .span
            .cell
            .as_ref()
            .zip(last_row.span.cell.as_ref())
            .is_some_and(|(a, b)| a.row >= b.row);
    let cut = indicator
        .annual
        .as_ref()
        .is_none_or(|v| v.raw.trim().is_empty());
    if !(runs_to_end && cut) {
        return;
    }
    let note = format!(
        "表格在指标“{}”处中断，其后的内容不在此文件中。",
        indicator.name.text
    );
    let truncation = document
        .truncation
        .get_or_insert_with(|| jixiao_model::Truncation {
            starts_midway: false,
            stops_early: true,
            note: String::new(),
            span: indicator.span.clone(),
        });
    truncation.stops_early = true;
    truncation.span = indicator.span.clone();
    if !truncation.note.is_empty() {
        truncation.note.push(' ');
    }
    truncation.note.push_str(&note);
}

/// True for a row that reads as an indicator: an optional category or two, a name, then a
/// comparator, a number or a short value.
fn is_indicator_row(row: &[Cell], profile: &Profile) -> bool {
    let rest: &[Cell] = {
        let mut rest = row;
        while let Some(first) = rest.first() {
            if profile.level1(&first.text).is_some() || profile.level2(&first.text, None).is_some()
            {
                rest = &rest[1..];
            } else {
                break;
            }
        }
        rest
    };
    // Opened by its categories, a name and a short answer in words is an indicator too
    // (`效益指标 | 社会效益指标 | 秩序是否得到规范 | 是`).
    if rest.len() < row.len() && is_indicator_row_after(rest, profile) {
        return true;
    }
    let [name, values @ ..] = rest else {
        return false;
    };
    let name_like = name.text.chars().count() >= 2
        && parse_amount(name.text.trim()).is_none()
        && !is_nature(name.text.trim());
    name_like
        && values.iter().take(3).any(|c| {
            let text = c.text.trim();
            is_nature(text)
                || text.starts_with(['≥', '≤', '>', '<', '=', '＞', '＜', '≧', '≦'])
                || parse_amount(text.trim_end_matches('%')).is_some()
                || matches!(
                    crate::value::parse_value(text),
                    ValueKind::Quantitative(_) | ValueKind::Deadline(_)
                )
        })
}

/// After the first indicator row of a cut table, a row of a name and a short value in words
/// (`老人生活质量提升 | 明显提升`) is one too.
fn is_indicator_row_after(row: &[Cell], profile: &Profile) -> bool {
    let rest: Vec<&Cell> = row
        .iter()
        .skip_while(|c| {
            profile.level1(&c.text).is_some() || profile.level2(&c.text, None).is_some()
        })
        .collect();
    let ideographs = |t: &str| {
        t.chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count()
    };
    matches!(rest.as_slice(), [name, value, ..]
        if ideographs(&name.text) >= 2
            && !name.text.trim_end().ends_with([':', '：'])
            && parse_amount(name.text.trim()).is_none()
            && value.text.chars().count() <= 16
            && value.text.chars().any(char::is_alphanumeric))
}

/// Splits rows at title rows (`…绩效目标申报表`, `…自评表`), so sheets printed back to back become
/// documents of their own. Titles with nothing read between them (a page title, then the table's
/// own) stay together.
fn segments(rows: &[Vec<Cell>]) -> Vec<&[Vec<Cell>]> {
    let mut starts = vec![0];
    let mut seen_content = false;
    for (i, row) in rows.iter().enumerate() {
        if is_title(row) {
            if seen_content {
                starts.push(i);
                seen_content = false;
            }
        } else if header_of(row).is_some() || row.iter().any(is_project_label) {
            seen_content = true;
        }
    }
    starts.push(rows.len());
    starts
        .windows(2)
        .map(|w| &rows[w[0]..w[1]])
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_title(row: &[Cell]) -> bool {
    row.len() <= 2
        && row.first().is_some_and(|c| {
            ["绩效目标表", "申报表", "自评表"]
                .iter()
                .any(|w| c.text.contains(w))
        })
}

/// The text of a cell without white space, for comparing with labels (`年度本级 预算金额`).
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_label(cell: &Cell, labels: &[&str]) -> bool {
    let text = compact(&cell.text);
    labels.iter().any(|l| text == *l)
}

/// A column after the 三级 name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Nature,
    Value,
    Period,
    Unit,
    Weight,
    Direction,
    Standard,
    Actual,
    Score,
    Deviation,
    Other(String),
}

fn column_of(label: &str) -> Option<Column> {
    use jixiao_model::vocabulary::{ColumnRole, Vocabulary};
    Some(match Vocabulary::builtin().column(label)? {
        ColumnRole::Nature => Column::Nature,
        ColumnRole::Value => Column::Value,
        ColumnRole::Period => Column::Period,
        ColumnRole::Unit => Column::Unit,
        ColumnRole::Weight => Column::Weight,
        ColumnRole::Direction => Column::Direction,
        ColumnRole::Standard => Column::Standard,
        ColumnRole::Actual => Column::Actual,
        ColumnRole::Score => Column::Score,
        ColumnRole::Deviation => Column::Deviation,
        ColumnRole::Note => Column::Other(compact(label)),
        ColumnRole::Level1 | ColumnRole::Level2 | ColumnRole::Level3 => return None,
    })
}

/// The grid role of a header cell, when it is one of the three levels.
fn level_of(cell: &Cell) -> Option<jixiao_model::vocabulary::ColumnRole> {
    level_after(None, cell)
}

/// [`level_of`] for the cell at `at` of a header row, which may depend on the cell before it.
fn level_in(row: &[Cell], at: usize) -> Option<jixiao_model::vocabulary::ColumnRole> {
    let previous = at.checked_sub(1).and_then(|p| row.get(p));
    level_after(previous, row.get(at)?)
}

fn level_after(
    previous: Option<&Cell>,
    cell: &Cell,
) -> Option<jixiao_model::vocabulary::ColumnRole> {
    use jixiao_model::vocabulary::{ColumnRole, Vocabulary};
    Vocabulary::builtin()
        .column_after(previous.map(|c| c.text.as_str()), &cell.text)
        .filter(|r| {
            matches!(
                r,
                ColumnRole::Level1 | ColumnRole::Level2 | ColumnRole::Level3
            )
        })
}

/// The header-block label a cell is.
fn label_of(cell: &Cell) -> Option<jixiao_model::vocabulary::LabelRole> {
    jixiao_model::vocabulary::Vocabulary::builtin().label(&cell.text)
}

fn is_project_label(cell: &Cell) -> bool {
    label_of(cell) == Some(jixiao_model::vocabulary::LabelRole::Project)
}

/// The value columns of an indicator header row (the one with `三级指标`), and where the row's
/// own data starts when a flattened header ran on into the first indicator (`None` if it did not).
fn header_of(row: &[Cell]) -> Option<(Vec<Column>, Option<usize>)> {
    use jixiao_model::vocabulary::ColumnRole;
    let level3 = (0..row.len())
        .rev()
        .find(|&at| level_in(row, at) == Some(ColumnRole::Level3))?;
    let level1 = (0..row.len()).find(|&at| level_in(row, at) == Some(ColumnRole::Level1))?;
    if level1 > level3 {
        return None;
    }
    let mut columns = Vec::new();
    let mut data_start = None;
    for (i, cell) in row.iter().enumerate().skip(level3 + 1) {
        match column_of(&cell.text) {
            Some(column) => columns.push(column),
            // A category (`产出指标`) is the first indicator of a header that ran on.
            None if cell.text.ends_with("指标") => {
                data_start = Some(i);
                break;
            }
            None if level_of(cell).is_some() => {}
            None => columns.push(Column::Other(compact(&cell.text))),
        }
    }
    // A flattened two-row header puts the upper row's labels first (`年度指标值 实际完成值 分值
    // 得分 … 一级指标 二级指标 三级指标 指标性质 指标值 度量单位`): they follow the lower row's.
    for cell in &row[..level1] {
        if let Some(column) = column_of(&cell.text) {
            if columns.contains(&column) {
                continue;
            }
            columns.push(column);
        }
    }
    if !columns.contains(&Column::Value) {
        // A grid of points only (一级/二级/三级/分值/得分) is a scoring framework (评分表), not
        // a table of targets.
        if columns
            .iter()
            .any(|c| matches!(c, Column::Weight | Column::Score))
            && !columns.contains(&Column::Actual)
        {
            return None;
        }
        // Columns of their own names (one per village or site, 50-style wide tables): the
        // first of them holds the value; else the first cell after the name does.
        match columns
            .iter()
            .position(|c| matches!(c, Column::Other(label) if !is_note_label(label)))
        {
            Some(at) => columns[at] = Column::Value,
            None => columns.insert(0, Column::Value),
        }
    }
    Some((columns, data_start))
}

/// The grading template's two-row header (`绩效指标评价标准` over `优 | 良 | 中 | 差`) as one row:
/// the grades take the place of the standard cell above them, and the row of grades goes.
fn with_grade_columns(rows: &[Vec<Cell>], header_index: usize) -> Option<Vec<Vec<Cell>>> {
    let header = &rows[header_index];
    let grades: Vec<&Cell> = rows
        .get(header_index + 1)?
        .iter()
        .filter(|c| !c.text.trim().is_empty())
        .collect();
    let words: Vec<&str> = grades.iter().map(|c| c.text.trim()).collect();
    if words != ["优", "良", "中", "差"] && words != ["优", "良", "中", "低", "差"] {
        return None;
    }
    let standard = header
        .iter()
        .position(|c| column_of(&c.text) == Some(Column::Standard))?;
    let mut merged = header[..standard].to_vec();
    merged.extend(grades.into_iter().cloned());
    merged.extend_from_slice(&header[standard + 1..]);
    let mut out = rows[..header_index].to_vec();
    out.push(merged);
    out.extend_from_slice(&rows[header_index + 2..]);
    Some(out)
}

/// A known note column (`备注`, `指标解释`), as opposed to a column of its own name.
fn is_note_label(label: &str) -> bool {
    jixiao_model::vocabulary::Vocabulary::builtin()
        .column(label)
        .is_some()
}

/// Rows that end the indicator grid.
fn is_terminator(row: &[Cell]) -> bool {
    row.first()
        .is_some_and(|c| jixiao_model::vocabulary::Vocabulary::builtin().ends_grid(&c.text))
}

struct SheetReader<'a> {
    file: &'a Arc<str>,
    profile: &'a Profile,
    problems: &'a mut Vec<Problem>,
    layout: Layout,
    /// False when the grid's header has a 一级 and a name column but no 二级 column: a category
    /// word in the name column (`成本`, `社会效益`) is then the indicator's name.
    level2_column: bool,
    /// The column of the header's 二级 cell, where the source keeps columns: a cell there is the
    /// 二级 even when the value after the name is empty.
    level2_col: Option<u32>,
    /// The header holds two grids side by side (中期 | 年度, 长期 | 年度): each row's second half
    /// is the annual target, its first half the period target.
    halves: bool,
}

impl SheetReader<'_> {
    fn read(&mut self, rows: &[Vec<Cell>], encoding: &str) -> Option<Document> {
        let header_index = rows.iter().position(|r| header_of(r).is_some())?;
        let graded;
        let rows = match with_grade_columns(rows, header_index) {
            Some(merged) => {
                graded = merged;
                graded.as_slice()
            }
            None => rows,
        };
        let (columns, header_data) = header_of(&rows[header_index])?;
        // A two-level template (一级指标 | 指标名称) has no 二级 column; a three-level one whose
        // 二级 header was lost (OCR) still has 二级 cells.
        self.level2_column = rows[header_index]
            .iter()
            .any(|c| level_of(c) == Some(jixiao_model::vocabulary::ColumnRole::Level2))
            || !rows[header_index]
                .iter()
                .any(|c| matches!(compact(&c.text).as_str(), "指标名称" | "指标内容"));
        self.level2_col = rows[header_index]
            .iter()
            .find(|c| level_of(c) == Some(jixiao_model::vocabulary::ColumnRole::Level2))
            .and_then(|c| c.col);
        self.halves = rows[header_index]
            .iter()
            .filter(|c| level_of(c) == Some(jixiao_model::vocabulary::ColumnRole::Level3))
            .count()
            == 2;
        let first = rows.first()?.first()?;
        let mut document = self.empty_document(encoding);
        let block = &rows[..header_index];
        self.read_meta(block, &mut document);
        let header_row = &rows[header_index];
        document.header = Some(joined_text(header_row));

        let mut indicator_rows: Vec<&[Cell]> = Vec::new();
        if let Some(start) = header_data {
            indicator_rows.push(&header_row[start..]);
        }
        let mut end = rows.len();
        for (i, row) in rows.iter().enumerate().skip(header_index + 1) {
            if is_terminator(row) {
                end = i;
                break;
            }
            indicator_rows.push(row);
        }
        let tail = &rows[end.min(rows.len())..];

        if self.layout == Layout::IndicatorRows {
            self.read_indicator_rows(&indicator_rows, &columns, header_row, &mut document);
        } else {
            // A run-together copy puts the goal block in the indicator header's row.
            let goal_rows = &rows[..=header_index];
            let mut project = match self.project_from_block(block, goal_rows) {
                Some(project) => project,
                None => {
                    self.note_started_midway(&mut document, first, indicator_rows.len());
                    unnamed_project(first)
                }
            };
            let mut walker = Walker::default();
            for row in &indicator_rows {
                if let Some(indicator) = self.read_indicator(row, &columns, &mut walker) {
                    project.indicators.push(indicator);
                }
            }
            // The grid runs to the end of the copy, with no closing row, and its last row has
            // fewer than half the header's value cells: the copy stopped inside the table.
            if end == rows.len()
                && let Some(last) = indicator_rows.last()
                && let Some(indicator) = project.indicators.last()
            {
                let after_name = last
                    .iter()
                    .position(|c| c.text == indicator.name.text)
                    .map_or(0, |i| last.len() - i - 1);
                if after_name * 2 < columns.len() {
                    self.note_stopped_early(&mut document, indicator);
                }
            }
            if self.layout == Layout::SelfEvaluation {
                let evaluation = self.read_evaluation(block, tail);
                project.evaluation = Some(Box::new(evaluation));
            }
            let unit_name = document
                .department
                .clone()
                .or_else(|| project.details.as_ref().and_then(|d| d.department.clone()))
                .unwrap_or_else(|| Text {
                    text: Str::default(),
                    span: project.span.clone(),
                });
            document.units.push(Unit {
                span: unit_name.span.clone(),
                name: unit_name,
                amounts: Amounts::default(),
                implicit: true,
                projects: vec![project],
            });
        }
        Some(document)
    }

    /// The indicator rows at the top of a source cut above its header (the tail of a table
    /// whose start is on an earlier page): read with `columns` (the file's next header), or by
    /// what the cells hold, under a project without a name.
    fn read_headless(
        &mut self,
        rows: &[Vec<Cell>],
        columns: Option<&[Column]>,
        encoding: &str,
    ) -> Option<Document> {
        let body: Vec<&[Cell]> = rows
            .iter()
            .take_while(|r| !is_terminator(r))
            .map(Vec::as_slice)
            .collect();
        let first_indicator = body
            .iter()
            .position(|r| is_indicator_row(r, self.profile))?;
        // Only a table cut at the top: indicator rows in the first few rows.
        if first_indicator > 2 {
            return None;
        }
        let mut kept = Vec::new();
        for row in &body[first_indicator..] {
            if is_indicator_row(row, self.profile)
                || is_indicator_row_after(row, self.profile)
                || self.is_category_row(row)
            {
                kept.push(*row);
            } else if row
                .iter()
                .any(|c| label_of(c).is_some() || header_of(row).is_some())
            {
                break;
            } else {
                self.problems.push(Problem {
                    kind: ProblemKind::UnreadableRow,
                    message: format!(
                        "此行不像指标行（可能是上一行折行的部分），未读取：{}",
                        joined_text(row).text
                    ),
                    span: row[0].span.clone(),
                });
            }
        }
        let body = kept;
        // Indicator rows name their categories somewhere (`成本指标 | …`); rows of points under
        // other headings (a scoring framework's `可行性 | 5 | 5`) are not a cut target table.
        if !body.iter().any(|r| {
            r.iter().any(|c| {
                self.profile.level1(&c.text).is_some()
                    || self.profile.level2(&c.text, None).is_some()
            })
        }) {
            return None;
        }
        let default_columns = [
            Column::Nature,
            Column::Value,
            Column::Unit,
            Column::Actual,
            Column::Weight,
            Column::Score,
        ];
        let columns = columns.unwrap_or(&default_columns);
        let first = body.first()?.first()?;
        let mut document = self.empty_document(encoding);
        let mut project = unnamed_project(first);
        let mut walker = Walker::default();
        for row in &body {
            if let Some(indicator) = self.read_indicator(row, columns, &mut walker) {
                project.indicators.push(indicator);
            }
        }
        if project.indicators.is_empty() {
            return None;
        }
        self.note_started_midway(&mut document, first, body.len());
        document.units.push(Unit {
            span: first.span.clone(),
            name: Text {
                text: Str::default(),
                span: first.span.clone(),
            },
            amounts: Amounts::default(),
            implicit: true,
            projects: vec![project],
        });
        Some(document)
    }

    fn empty_document(&self, encoding: &str) -> Document {
        Document {
            source: self.file.to_string(),
            encoding: encoding.to_owned(),
            layout: self.layout,
            title: None,
            department: None,
            amount_unit: None,
            header: None,
            grand_total: None,
            units: Vec::new(),
            truncation: None,
        }
    }

    fn is_category_row(&self, row: &[Cell]) -> bool {
        !row.is_empty()
            && row.len() <= 2
            && row.iter().all(|c| {
                self.profile.level1(&c.text).is_some()
                    || self.profile.level2(&c.text, None).is_some()
            })
    }

    /// Marks `document` as stopping part-way, after `last`, and says so.
    fn note_stopped_early(&mut self, document: &mut Document, last: &Indicator) {
        let note = format!(
            "表格在指标“{}”处中断，其后的内容不在此文件中；已读取中断前的内容。",
            last.name.text
        );
        self.problems.push(Problem {
            kind: ProblemKind::CutTable,
            message: note.clone(),
            span: last.span.clone(),
        });
        let truncation = document
            .truncation
            .get_or_insert_with(|| jixiao_model::Truncation {
                starts_midway: false,
                stops_early: false,
                note: String::new(),
                span: last.span.clone(),
            });
        truncation.stops_early = true;
        truncation.span = last.span.clone();
        if !truncation.note.is_empty() {
            truncation.note.push(' ');
        }
        truncation.note.push_str(&note);
    }

    /// Marks `document` as starting part-way and says so.
    fn note_started_midway(&mut self, document: &mut Document, first: &Cell, rows: usize) {
        let note = format!(
            "表格从中途开始：项目名称等表头内容不在此文件中（可能在上一页），已读取其后的 {rows} 行指标，项目名称空缺。"
        );
        self.problems.push(Problem {
            kind: ProblemKind::CutTable,
            message: note.clone(),
            span: first.span.clone(),
        });
        document.truncation = Some(jixiao_model::Truncation {
            starts_midway: true,
            stops_early: false,
            note,
            span: first.span.clone(),
        });
    }

    /// Title, department and amount unit from the rows before the indicator grid.
    fn read_meta(&mut self, block: &[Vec<Cell>], document: &mut Document) {
        for row in block {
            for (i, cell) in row.iter().enumerate() {
                let text = cell.text.as_str();
                if document.title.is_none() && is_title(row) && i == 0 {
                    document.title = Some(text_of(cell));
                }
                if document.amount_unit.is_none()
                    && let Some(unit) = amount_unit_in(cell)
                {
                    document.amount_unit = Some(unit);
                }
                for prefix in [
                    "部门名称:",
                    "部门名称：",
                    "部门:",
                    "部门：",
                    "填报单位(盖章):",
                    "填报单位（盖章）：",
                    "填报单位:",
                    "填报单位：",
                ] {
                    if let Some(rest) = text.strip_prefix(prefix) {
                        let value = rest.split_whitespace().next().unwrap_or("");
                        if !value.is_empty() && !value.starts_with('(') && !value.starts_with('（')
                        {
                            document
                                .department
                                .get_or_insert_with(|| sub_text(cell, value));
                        } else if let Some(next) = row.get(i + 1)
                            && !value.starts_with('(')
                            && amount_unit_in(next).is_none()
                        {
                            document.department.get_or_insert_with(|| text_of(next));
                        }
                    }
                }
                if label_of(cell) == Some(jixiao_model::vocabulary::LabelRole::Department)
                    && let Some(next) = value_after(row, i)
                {
                    document.department.get_or_insert_with(|| text_of(next));
                }
            }
        }
    }

    /// The project of a project sheet or self-evaluation, from its header block.
    fn project_from_block(
        &mut self,
        block: &[Vec<Cell>],
        goal_rows: &[Vec<Cell>],
    ) -> Option<Project> {
        let mut name = None;
        let mut goal = None;
        let mut details = ProjectDetails::default();
        let mut amounts = Amounts::default();
        let mut in_funding = false;
        for row in block {
            for (i, cell) in row.iter().enumerate() {
                let Some(next) = value_after(row, i) else {
                    continue;
                };
                use jixiao_model::vocabulary::LabelRole;
                match label_of(cell) {
                    Some(LabelRole::Project) => {
                        name.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::Department) => {
                        details.department.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::Implementer) => {
                        details.implementer.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::Period) => {
                        details.period.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::LongTermGoal) => {
                        details.long_term_goal.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::Goal) => {
                        goal.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::AchievedGoal) => {
                        details.achieved_goal.get_or_insert_with(|| text_of(next));
                    }
                    Some(LabelRole::Total) if amounts.total.is_none() => {
                        amounts.total = amount_of(next);
                    }
                    _ => {}
                }
            }
            // Funding by source: `(一)财政拨款小计 6.30`, `1、一般公共预算 6.30`.
            if row.iter().any(|c| c.text.contains("项目资金")) {
                in_funding = true;
                continue;
            }
            if in_funding {
                match row.as_slice() {
                    [label, value] => match amount_of(value) {
                        Some(amount) => details.funding.push(Funding {
                            label: text_of(label),
                            column: None,
                            amount,
                        }),
                        None => in_funding = false,
                    },
                    _ => in_funding = false,
                }
            }
        }
        if let Some((planned, achieved)) = goal_pair(goal_rows) {
            goal.get_or_insert(planned);
            // The pair is more reliable than the label-value read, which takes the cell after
            // 实际完成情况 and so the planned goal when the pair runs on in one row.
            details.achieved_goal = Some(achieved);
        }
        let name = name?;
        if amounts.total.is_none()
            && let Some(first) = details.funding.first()
        {
            amounts.total = Some(first.amount.clone());
        }
        let span = name.span.clone();
        Some(Project {
            name,
            amounts,
            goal,
            indicator_cell: None,
            indicators: Vec::new(),
            span,
            details: (!details.is_empty()).then(|| Box::new(details)),
            evaluation: None,
        })
    }

    /// The indicator-row list: project cells only on a project's first row.
    fn read_indicator_rows(
        &mut self,
        rows: &[&[Cell]],
        columns: &[Column],
        header: &[Cell],
        document: &mut Document,
    ) {
        let by_position = ProjectColumns::from_header(header);
        let mut walker = Walker::default();
        for row in rows {
            let category_at = row
                .iter()
                .position(|c| self.profile.level1(&c.text).is_some() || self.is_level2(&c.text));
            let prefix = &row[..category_at.unwrap_or(row.len())];
            if let Some(cells) = by_position.as_ref().and_then(|p| p.read(prefix)) {
                if let Some(name) = cells.project {
                    start_project(
                        document,
                        cells.unit,
                        name,
                        cells.amounts,
                        cells.goal.map(text_of),
                    );
                    walker = Walker::default();
                }
            } else if !prefix.is_empty() {
                let amount_at = prefix.iter().position(|c| amount_of(c).is_some());
                let names = &prefix[..amount_at.unwrap_or(prefix.len())];
                let amount = amount_at.and_then(|i| amount_of(&prefix[i]));
                let goal = amount_at.and_then(|i| prefix.get(i + 1)).map(text_of);
                if category_at.is_none() {
                    // A unit row (`820001-某单位 | 3,309,840.00`); the first one is the
                    // department's total.
                    let Some(name) = names.first() else { continue };
                    let amounts = Amounts {
                        total: amount,
                        ..Amounts::default()
                    };
                    if document.units.is_empty() && document.grand_total.is_none() {
                        document.department.get_or_insert_with(|| text_of(name));
                        document.grand_total = Some(AmountRow {
                            label: text_of(name),
                            amounts,
                            span: name.span.clone(),
                        });
                    } else {
                        document.units.push(new_unit(text_of(name), amounts, false));
                    }
                    continue;
                }
                let (unit_name, project_name) = match names {
                    [unit, project, ..] => (Some(unit), project),
                    [project] => (None, project),
                    [] => continue,
                };
                let amounts = Amounts {
                    total: amount,
                    ..Amounts::default()
                };
                start_project(document, unit_name, project_name, amounts, goal);
                walker = Walker::default();
            }
            let Some(start) = category_at else { continue };
            let Some(indicator) = self.read_indicator(&row[start..], columns, &mut walker) else {
                continue;
            };
            match document
                .units
                .last_mut()
                .and_then(|u| u.projects.last_mut())
            {
                Some(project) => project.indicators.push(indicator),
                None => self.problems.push(Problem {
                    kind: ProblemKind::ProjectWithoutUnit,
                    message: format!(
                        "指标“{}”之前没有项目行，无法归属，未读取。请检查表格开头的项目名称列。",
                        indicator.name.text
                    ),
                    span: indicator.span.clone(),
                }),
            }
        }
    }

    /// Reports a template hint left in a category cell (`质量指标(必填硬性指标)`); the category
    /// was matched without it.
    fn note_template_hint(&mut self, cell: &Cell) {
        let Some(open) = cell.text.find(['(', '（', '[', '【']) else {
            return;
        };
        let hint = &cell.text[open..];
        self.problems.push(Problem {
            kind: ProblemKind::TemplateHint,
            message: format!(
                "单元格“{}”中留有模板提示“{hint}”，识别指标类别时已忽略。发布前宜删去。",
                cell.text
            ),
            span: cell.span.clone(),
        });
    }

    fn is_level2(&self, text: &str) -> bool {
        self.profile.level2(text, None).is_some()
    }

    /// One indicator row: categories (carried down when merged), the 三级 name, then the value
    /// columns. `None` for a row with categories only (an empty 二级 such as 生态效益指标).
    fn read_indicator(
        &mut self,
        row: &[Cell],
        columns: &[Column],
        walker: &mut Walker,
    ) -> Option<Indicator> {
        let mut rest = row;
        // Row labels of the grid (`绩效指标`, `本年度绩效指标`, `绩效指标(90分)`).
        while let Some(first) = rest.first() {
            let text = compact(&first.text);
            if text.contains("绩效指标") && self.profile.level1(&text).is_none() {
                rest = &rest[1..];
            } else {
                break;
            }
        }
        if let Some(first) = rest.first() {
            let second = rest.get(1);
            let as_level1 = self.profile.level1(&first.text);
            let parent = walker.level1.as_ref().and_then(|c| c.code.as_deref());
            let under_current = self
                .profile
                .level2(&first.text, parent)
                .is_some_and(|d| parent.is_some() && d.parent.as_deref() == parent);
            let next_is_child = |code: &str| {
                second.is_some_and(|s| {
                    self.profile
                        .level2(&s.text, Some(code))
                        .is_some_and(|d| d.parent.as_deref() == Some(code))
                })
            };
            // The same 一级 text again is the 一级 repeated (an unmerged sheet), not a 二级.
            let repeated = walker.level1.as_ref().is_some_and(|c| c.raw == first.text);
            // With no 一级 yet (a table cut above), a name that is both an 一级 of one framework
            // and an 二级 of another (`成本指标`) is the 二级 unless an 二级 of its own follows.
            let rather_level2 = walker.level1.is_none()
                && as_level1.is_some_and(|def| {
                    self.profile
                        .level2(&first.text, None)
                        .is_some_and(|d| d.parent.as_deref() != Some(def.code.as_str()))
                        && !next_is_child(&def.code)
                });
            // `社会公众或服务对象满意度指标` (a 二级 of the older framework, also an 一级's
            // alias) in a row shaped like the 二级 rows before it, under a merged 一级 cell: the
            // publisher listed it under the current 一级, and that is kept (I007 says so).
            let level2_in_place = walker.level2.is_some()
                && self.level2_column
                && walker.level2_row_len == Some(rest.len())
                && as_level1.is_some_and(|def| {
                    let text = compact(&first.text);
                    text != def.name.as_str()
                        && text.chars().count() > 4
                        && self.profile.level2(&text, None).is_some()
                        && !next_is_child(&def.code)
                });
            match as_level1 {
                Some(def)
                    if !rather_level2
                        && !level2_in_place
                        && (repeated || !under_current || next_is_child(&def.code)) =>
                {
                    self.note_template_hint(first);
                    let family = |d: &jixiao_model::CategoryDef| {
                        matches!(d.code.as_str(), "1" | "2" | "3" | "4")
                    };
                    // NDRC's `实施效果指标 | 产出指标 | …`: an 一级 whose 二级 are the standard 一级.
                    let member = second
                        .and_then(|s| self.profile.level1(&s.text).map(|d| (s, d)))
                        .filter(|(s, d)| {
                            d.code != def.code
                                && family(d)
                                && self.profile.level2(&s.text, Some(&def.code)).is_none()
                        });
                    let in_group = walker
                        .group
                        .as_ref()
                        .is_some_and(|g| family(def) && compact(&g.text) != compact(&first.text));
                    walker.level2 = None;
                    if let Some((member, member_def)) = member {
                        walker.group = Some(first.clone());
                        walker.level1 = Some(grouped(first, member_def));
                        walker.member = Some(member.clone());
                        rest = &rest[2..];
                    } else if in_group && let Some(group) = walker.group.clone() {
                        walker.level1 = Some(grouped(&group, def));
                        walker.member = Some(first.clone());
                        rest = &rest[1..];
                    } else {
                        // An 一级 alias alone on its row (`实施效果指标`, its 二级 on the next
                        // rows) may be a group: it is one if the next row opens with a family.
                        let text = compact(&first.text);
                        walker.group = (rest.len() == 1
                            && text != def.name.as_str()
                            && text.chars().count() >= 4)
                            .then(|| first.clone());
                        walker.member = None;
                        walker.level1 =
                            Some(category(first, def.name.clone(), Some(def.code.clone())));
                        rest = &rest[1..];
                    }
                }
                _ => {}
            }
        }
        // A 二级 cell needs a name and a value after it, unless the row has nothing else (an
        // empty 二级): names such as `服务对象满意度` are also category names.
        let in_level2_column = rest
            .first()
            .is_some_and(|c| c.col.is_some() && c.col == self.level2_col);
        if let Some(first) = rest.first().filter(|_| {
            in_level2_column || (rest.len() != 2 && (self.level2_column || rest.len() == 1))
        }) {
            let parent = walker.level1.as_ref().and_then(|c| c.code.as_deref());
            if let Some(def) = self.profile.level2(&first.text, parent) {
                self.note_template_hint(first);
                walker.level2 = Some(category(first, def.name.clone(), Some(def.code.clone())));
                if walker.member.is_none() {
                    // A 二级 of its own under the lone 一级: it was no group.
                    walker.group = None;
                }
                if rest.len() > 1 {
                    walker.level2_row_len = Some(rest.len());
                }
                rest = &rest[1..];
            }
        }
        // `数量指标 | 88100`: a 二级 written out in full, then a value, is an indicator whose
        // name cell was left empty.
        let mut unnamed: Option<Cell> = None;
        if let [first, value] = rest
            && self.level2_column
            && compact(&first.text).ends_with("指标")
            && parse_amount(value.text.trim().trim_end_matches('%')).is_some()
        {
            let parent = walker.level1.as_ref().and_then(|c| c.code.as_deref());
            if let Some(def) = self.profile.level2(&first.text, parent) {
                walker.level2 = Some(category(first, def.name.clone(), Some(def.code.clone())));
                unnamed = Some(Cell {
                    text: Str::default(),
                    span: first.span.clone(),
                    col: None,
                });
                rest = &rest[1..];
            }
        }
        let (mut name_cell, mut values) = match &unnamed {
            Some(empty) => (empty, rest),
            None => rest.split_first()?,
        };
        let mut first_half: Option<&Cell> = None;
        if self.halves {
            // The second half starts at its 二级 or at the name repeated.
            let parent = walker.level1.as_ref().and_then(|c| c.code.as_deref());
            let second = values.iter().position(|c| {
                compact(&c.text) == compact(&name_cell.text)
                    || self.profile.level2(&c.text, parent).is_some()
            });
            if let Some(at) = second {
                first_half = values[..at].first();
                let mut half = &values[at..];
                if half.len() > 1 && self.profile.level2(&half[0].text, parent).is_some() {
                    half = &half[1..];
                }
                if let Some((name, rest)) = half.split_first() {
                    name_cell = name;
                    values = rest;
                }
            }
        }
        walker.seq += 1;
        if walker.member.is_none() {
            // An indicator right under the lone 一级: it was no group.
            walker.group = None;
        }
        let cells = assign(values, columns);
        let text = |column: &Column| {
            cells
                .iter()
                .find(|(c, _)| c == column)
                .map(|(_, cell)| *cell)
        };
        let nature = text(&Column::Nature);
        let period = text(&Column::Period)
            .or(first_half)
            .map(|cell| Box::new(value_of(cell, None, None)));
        let unit = text(&Column::Unit);
        let annual = text(&Column::Value).map(|cell| value_of(cell, nature, unit));
        let mut details = IndicatorDetails {
            nature: nature.map(text_of),
            measure_unit: unit.map(text_of),
            weight: text(&Column::Weight).and_then(amount_of),
            direction: text(&Column::Direction).map(text_of),
            standard: text(&Column::Standard).map(text_of),
            actual: text(&Column::Actual).map(|cell| value_of(cell, None, unit)),
            score: text(&Column::Score).and_then(amount_of),
            deviation: text(&Column::Deviation).map(text_of),
            fields: Vec::new(),
        };
        for (column, cell) in &cells {
            if let Column::Other(label) = column {
                details.fields.push(Field {
                    label: label.clone(),
                    value: text_of(cell),
                });
            }
        }
        if annual.is_none() {
            self.problems.push(Problem {
                kind: ProblemKind::UnreadableIndicators,
                message: format!(
                    "指标“{}”没有指标值。请在“指标值”列填写可衡量的目标值，如“≥95%”。",
                    name_cell.text
                ),
                span: name_cell.span.clone(),
            });
        }
        let mut level2 = walker.level2.clone();
        if level2.is_none()
            && let Some(code) = walker.level1.as_ref().and_then(|c| c.code.as_deref())
        {
            level2 = self
                .profile
                .infer_level2(code, &name_cell.text, annual.as_ref());
            // Under a group the 二级 cell held the family (`产出指标`): the inferred 二级 keeps
            // it as its published text.
            if let (Some(level2), Some(member)) = (level2.as_mut(), walker.member.as_ref()) {
                level2.raw = member.text.clone();
                level2.span = Some(member.span.clone());
            }
        }
        let raw = row
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        Some(Indicator {
            seq: walker.seq,
            level1: walker.level1.clone(),
            level2,
            name: text_of(name_cell),
            annual,
            period,
            raw: Str::from(raw),
            span: name_cell.span.clone(),
            details: (!details.is_empty()).then(|| Box::new(details)),
        })
    }

    /// Budget execution, total score and grade of a self-evaluation.
    fn read_evaluation(&mut self, block: &[Vec<Cell>], tail: &[Vec<Cell>]) -> Evaluation {
        let mut evaluation = Evaluation::default();
        let mut budget_columns: Option<Vec<(Option<u32>, BudgetColumn)>> = None;
        for row in block {
            let is_budget_header = row.iter().any(|c| {
                let text = compact(&c.text);
                text.contains("年初预算") || text.contains("全年预算") || text.starts_with("预算数")
            }) && row.iter().any(|c| c.text.contains("执行"));
            if is_budget_header {
                budget_columns = Some(
                    row.iter()
                        .filter_map(|c| budget_column(&c.text).map(|b| (c.col, b)))
                        .collect(),
                );
                continue;
            }
            let Some(columns) = &budget_columns else {
                continue;
            };
            let Some((label, values)) = row.split_first() else {
                continue;
            };
            if amount_of(label).is_some() || label.text.contains('%') {
                continue;
            }
            if !values
                .iter()
                .any(|c| amount_of(c).is_some() || c.text.contains('%'))
            {
                continue;
            }
            let mut line = BudgetLine {
                label: text_of(label),
                initial: None,
                adjusted: None,
                executed: None,
                weight: None,
                rate: None,
                score: None,
            };
            // By column where the source keeps columns (an empty 年初预算数 does not shift the
            // cells after it), else in order.
            let by_column = columns.iter().all(|(col, _)| col.is_some())
                && values.iter().all(|c| c.col.is_some());
            let pairs: Vec<(&BudgetColumn, &Cell)> = if by_column {
                values
                    .iter()
                    .filter_map(|cell| {
                        columns
                            .iter()
                            .find(|(col, _)| *col == cell.col)
                            .map(|(_, column)| (column, cell))
                    })
                    .collect()
            } else {
                columns.iter().map(|(_, c)| c).zip(values).collect()
            };
            for (column, cell) in pairs {
                match column {
                    BudgetColumn::Initial => line.initial = amount_of(cell),
                    BudgetColumn::Adjusted => line.adjusted = amount_of(cell),
                    BudgetColumn::Executed => line.executed = amount_of(cell),
                    BudgetColumn::Rate => line.rate = Some(text_of(cell)),
                    BudgetColumn::Weight => line.weight = amount_of(cell),
                    BudgetColumn::Score => line.score = amount_of(cell),
                }
            }
            evaluation.budget.push(line);
        }
        for row in tail {
            // 评价结论, 存在问题, 改进措施: the label, then its text in the next filled cell.
            if let Some((label, rest)) = row.split_first()
                && is_remark_label(&compact(&label.text))
                && let Some(text) = rest.iter().find(|c| !c.text.trim().is_empty())
            {
                evaluation.remarks.push(Field {
                    label: label.text.trim().to_owned(),
                    value: text_of(text),
                });
            }
            if let Some(at) = row.iter().position(|c| compact(&c.text) == "总分") {
                let after = &row[at + 1..];
                let numbers: Vec<&Cell> = after.iter().filter(|c| amount_of(c).is_some()).collect();
                evaluation.total_score = numbers.last().and_then(|c| amount_of(c));
                evaluation.grade = after
                    .iter()
                    .find(|c| matches!(c.text.as_str(), "优" | "良" | "中" | "差"))
                    .map(text_of);
            }
        }
        evaluation
    }
}

/// A self-evaluation's closing label: 评价结论, 存在问题, 改进措施 and their combinations.
fn is_remark_label(label: &str) -> bool {
    label.chars().count() <= 16
        && [
            "评价结论",
            "自评结论",
            "存在问题",
            "存在的问题",
            "改进措施",
            "改进建议",
            "其他需要说明",
        ]
        .iter()
        .any(|w| label.starts_with(w))
}

/// The project columns of an indicator-row header, by sheet column, for grids whose cells know
/// their column: there an empty amount is absent, not a shift of the cells after it.
#[derive(Debug)]
struct ProjectColumns {
    columns: Vec<(u32, ProjectColumn)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProjectColumn {
    Unit,
    Project,
    Total,
    Fiscal,
    SpecialAccount,
    Other,
    Goal,
}

#[derive(Debug, Default)]
struct ProjectCells<'c> {
    unit: Option<&'c Cell>,
    project: Option<&'c Cell>,
    amounts: Amounts,
    goal: Option<&'c Cell>,
}

impl ProjectColumns {
    fn from_header(header: &[Cell]) -> Option<Self> {
        let columns: Vec<(u32, ProjectColumn)> = header
            .iter()
            .filter_map(|cell| {
                let col = cell.span.cell.as_ref()?.col;
                let column = match compact(&cell.text).as_str() {
                    "单位名称" => ProjectColumn::Unit,
                    "项目名称" => ProjectColumn::Project,
                    "预算数" | "总计" | "项目金额" => ProjectColumn::Total,
                    "财政拨款" => ProjectColumn::Fiscal,
                    "财政专户拨款" => ProjectColumn::SpecialAccount,
                    "其他资金" => ProjectColumn::Other,
                    "年度目标" | "绩效目标" | "年度绩效目标" => ProjectColumn::Goal,
                    _ => return None,
                };
                Some((col, column))
            })
            .collect();
        columns
            .iter()
            .any(|(_, c)| *c == ProjectColumn::Project)
            .then_some(Self { columns })
    }

    /// The prefix's cells by column; `None` when a cell has no column to go by.
    fn read<'c>(&self, prefix: &'c [Cell]) -> Option<ProjectCells<'c>> {
        let mut cells = ProjectCells::default();
        for cell in prefix {
            let col = cell.span.cell.as_ref()?.col;
            let (_, column) = self.columns.iter().find(|(c, _)| *c == col)?;
            match column {
                ProjectColumn::Unit => cells.unit = Some(cell),
                ProjectColumn::Project => cells.project = Some(cell),
                ProjectColumn::Total => cells.amounts.total = amount_of(cell),
                ProjectColumn::Fiscal => cells.amounts.fiscal = amount_of(cell),
                ProjectColumn::SpecialAccount => cells.amounts.special_account = amount_of(cell),
                ProjectColumn::Other => cells.amounts.other = amount_of(cell),
                ProjectColumn::Goal => cells.goal = Some(cell),
            }
        }
        Some(cells)
    }
}

#[derive(Debug, Default)]
struct Walker {
    level1: Option<Category>,
    level2: Option<Category>,
    /// How many cells the last row that opened with a 二级 had, from the 二级 on.
    level2_row_len: Option<usize>,
    /// An 一级 whose 二级 are the standard 一级 (NDRC's `实施效果指标 | 产出指标`), while its rows
    /// last, and the member cell of the current row's family.
    group: Option<Cell>,
    member: Option<Cell>,
    seq: u32,
}

#[derive(Debug, Clone, Copy)]
enum BudgetColumn {
    Initial,
    Adjusted,
    Executed,
    Rate,
    Weight,
    Score,
}

fn budget_column(label: &str) -> Option<BudgetColumn> {
    let label = compact(label);
    Some(if label.contains("年初预算") {
        BudgetColumn::Initial
    } else if label.contains("调整后") || label.contains("全年预算") || label.starts_with("预算数")
    {
        BudgetColumn::Adjusted
    } else if label.contains("执行数") {
        BudgetColumn::Executed
    } else if label.contains("执行率") {
        BudgetColumn::Rate
    } else if label == "权重" || label == "分值" {
        BudgetColumn::Weight
    } else if label == "得分" {
        BudgetColumn::Score
    } else {
        return None;
    })
}

/// Matches the cells after a 三级 name to the header's columns by what they contain: a
/// comparator only in 指标性质, a short word only in 度量单位, a number only in 权重 and 得分.
fn assign<'c>(cells: &'c [Cell], columns: &[Column]) -> Vec<(Column, &'c Cell)> {
    let mut assigned: Vec<(Column, &Cell)> = Vec::new();
    let mut next = 0;
    for column in columns {
        let Some(cell) = cells.get(next) else { break };
        let text = cell.text.trim();
        // A word after a value in words (`有效` `有效`) is its actual, not a unit.
        let value_is_number = assigned
            .iter()
            .find(|(c, _)| *c == Column::Value)
            .is_none_or(|(_, v)| v.text.chars().any(|ch| ch.is_ascii_digit()));
        let fits = match column {
            Column::Nature => is_nature(text),
            Column::Unit => is_unit(text) && value_is_number,
            Column::Weight | Column::Score => {
                parse_amount(text).is_some() || matches!(text, "/" | "—" | "-")
            }
            Column::Direction => {
                text.contains("正向") || text.contains("反向") || text.contains("中性")
            }
            _ => true,
        };
        if fits {
            assigned.push((column.clone(), cell));
            next += 1;
        }
    }
    fill_points_first(&mut assigned, columns);
    assigned
}

/// A flattened row that lost empty cells has fewer numbers than the header's 完成值 / 权重 /
/// 得分 columns, and filling them left to right put the weight under 完成值. The weight is set
/// with the target and is nearly always there, the actual and the score only after the year: one
/// trailing number is the weight, two are the actual and the weight.
fn fill_points_first(assigned: &mut [(Column, &Cell)], columns: &[Column]) {
    let tail: Vec<Column> = columns
        .iter()
        .filter(|c| matches!(c, Column::Actual | Column::Weight | Column::Score))
        .cloned()
        .collect();
    if !tail.contains(&Column::Weight) || !tail.contains(&Column::Actual) {
        return;
    }
    let at: Vec<usize> = (0..assigned.len())
        .filter(|&i| tail.contains(&assigned[i].0))
        .collect();
    if at.is_empty()
        || at.len() >= tail.len()
        || !at
            .iter()
            .all(|&i| parse_amount(assigned[i].1.text.trim()).is_some())
    {
        return;
    }
    let wanted: &[Column] = match at.len() {
        1 => &[Column::Weight],
        _ => &[Column::Actual, Column::Weight],
    };
    for (&i, column) in at.iter().zip(wanted) {
        assigned[i].0 = column.clone();
    }
}

fn is_nature(text: &str) -> bool {
    Comparator::from_symbol(text).is_some()
        || matches!(
            text,
            "定性" | "定量" | "≧" | "≦" | "═" | "大于等于" | "小于等于" | "等于"
        )
}

fn is_unit(text: &str) -> bool {
    let chars = text.chars().count();
    (1..=6).contains(&chars)
        && !text.chars().any(|c| c.is_ascii_digit())
        && !is_nature(text)
        && !matches!(text, "/" | "—" | "-" | "定性")
}

/// A value cell as published, read as the comparator and unit columns around it make it.
fn value_of(cell: &Cell, nature: Option<&Cell>, unit: Option<&Cell>) -> Value {
    Value {
        kind: parse_shared(&composed_value(cell, nature, unit)),
        raw: cell.text.clone(),
        span: cell.span.clone(),
    }
}

/// The value as reviewers read it: the comparator and unit columns around the number
/// (`≥` `95` `%` → `≥95%`). A value that already states them is kept as it is.
fn composed_value(value: &Cell, nature: Option<&Cell>, unit: Option<&Cell>) -> Str {
    let raw = value.text.trim();
    let comparator = nature
        .map(|n| n.text.trim())
        .filter(|n| Comparator::from_symbol(n).is_some() || matches!(*n, "≧" | "≦" | "═"))
        .filter(|_| raw.starts_with(|c: char| c.is_ascii_digit()));
    let unit = unit
        .map(|u| u.text.trim())
        .filter(|u| !raw.ends_with(u) && raw.ends_with(|c: char| c.is_ascii_digit()));
    if comparator.is_none() && unit.is_none() {
        return value.text.clone();
    }
    Str::from(format!(
        "{}{raw}{}",
        comparator.unwrap_or(""),
        unit.unwrap_or("")
    ))
}

/// A self-evaluation's goal block: `预期目标 | 实际完成情况` side by side as column headers, the
/// two texts either after them in the same row (a run-together copy) or in the next row, under
/// them (by column where cells know it, else in order).
fn goal_pair(block: &[Vec<Cell>]) -> Option<(Text, Text)> {
    use jixiao_model::vocabulary::LabelRole;
    for (r, row) in block.iter().enumerate() {
        let Some(at) = row.windows(2).position(|pair| {
            label_of(&pair[0]) == Some(LabelRole::Goal)
                && label_of(&pair[1]) == Some(LabelRole::AchievedGoal)
        }) else {
            continue;
        };
        let (planned_label, achieved_label) = (&row[at], &row[at + 1]);
        let is_text = |c: &&Cell| label_of(c).is_none() && !c.text.trim().is_empty();
        if let [planned, achieved, ..] = &row[at + 2..]
            && is_text(&planned)
            && is_text(&achieved)
        {
            return Some((text_of(planned), text_of(achieved)));
        }
        let next = block.get(r + 1)?;
        let under = |label: &Cell| {
            label
                .col
                .and_then(|col| next.iter().find(|c| c.col == Some(col)))
        };
        let by_column = (under(planned_label), under(achieved_label));
        let found = match by_column {
            (Some(planned), Some(achieved)) => Some((planned, achieved)),
            _ if planned_label.col.is_none() => match next.as_slice() {
                [planned, achieved] => Some((planned, achieved)),
                _ => None,
            },
            _ => None,
        };
        return found
            .filter(|(p, a)| is_text(p) && is_text(a))
            .map(|(p, a)| (text_of(p), text_of(a)));
    }
    None
}

fn value_after(row: &[Cell], index: usize) -> Option<&Cell> {
    row.get(index + 1).filter(|c| label_of(c).is_none())
}

fn text_of(cell: &Cell) -> Text {
    Text {
        text: cell.text.clone(),
        span: cell.span.clone(),
    }
}

/// `value` (a slice of the cell's text) with its own span.
fn sub_text(cell: &Cell, value: &str) -> Text {
    let text = cell.text.slice_ref(value);
    let offset = (value.as_ptr() as usize).saturating_sub(cell.text.as_ptr() as usize);
    let mut span = cell.span.clone();
    if span.cell.is_none() {
        span.start = span
            .start
            .saturating_add(u32::try_from(offset).unwrap_or(0));
        span.end = span
            .start
            .saturating_add(u32::try_from(value.len()).unwrap_or(0));
    }
    Text { text, span }
}

fn joined_text(row: &[Cell]) -> Text {
    let text = row
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" | ");
    let span = row.first().map_or_else(
        || Span::line(Arc::from(""), 0),
        |c| Span {
            end: row.last().map_or(c.span.end, |l| l.span.end),
            ..c.span.clone()
        },
    );
    Text {
        text: Str::from(text),
        span,
    }
}

/// `金额单位:元`, `单位：万元`, `填报单位:(盖章) 单位:万元`.
fn amount_unit_in(cell: &Cell) -> Option<Text> {
    let text = cell.text.as_str();
    let at = text.rfind("单位")?;
    let rest = text[at + "单位".len()..].trim_start_matches([':', '：', ' ']);
    let unit = ["万元", "千元", "元"]
        .into_iter()
        .find(|u| rest.starts_with(u))?;
    Some(sub_text(cell, &rest[..unit.len()]))
}

/// An amount cell: `3,309,840.00`, `6.30`, `250万` (a trailing `万`/`元` is the unit).
fn amount_of(cell: &Cell) -> Option<Amount> {
    let text = cell.text.trim();
    let number = text
        .strip_suffix("万元")
        .or_else(|| text.strip_suffix('万'))
        .or_else(|| text.strip_suffix('元'))
        .unwrap_or(text);
    let value: Decimal = parse_amount(number)?;
    Some(Amount {
        value,
        raw: cell.text.clone(),
        span: cell.span.clone(),
    })
}

/// The 一级 of a row under a group: the group's cell as published, the member's family.
fn grouped(group: &Cell, member: &jixiao_model::CategoryDef) -> Category {
    category(group, member.name.clone(), Some(member.code.clone()))
}

fn category(cell: &Cell, name: Str, code: Option<Str>) -> Category {
    Category {
        name,
        code,
        raw: cell.text.clone(),
        inferred: None,
        span: Some(cell.span.clone()),
    }
}

/// Appends a project, under `unit` when the row names one that differs from the last unit, else
/// under the last unit (an implicit one for the department when there is none yet).
fn start_project(
    document: &mut Document,
    unit: Option<&Cell>,
    name: &Cell,
    amounts: Amounts,
    goal: Option<Text>,
) {
    if let Some(unit) = unit
        && document
            .units
            .last()
            .is_none_or(|u| u.name.text != unit.text)
    {
        document
            .units
            .push(new_unit(text_of(unit), Amounts::default(), false));
    }
    if document.units.is_empty() {
        let department = document.department.clone().unwrap_or_else(|| Text {
            text: Str::default(),
            span: name.span.clone(),
        });
        document
            .units
            .push(new_unit(department, Amounts::default(), true));
    }
    let project = Project {
        name: text_of(name),
        amounts,
        goal,
        indicator_cell: None,
        indicators: Vec::new(),
        span: name.span.clone(),
        details: None,
        evaluation: None,
    };
    if let Some(unit) = document.units.last_mut() {
        unit.projects.push(project);
    }
}

/// The project of a table whose name is not in the source (it was cut off above).
fn unnamed_project(first: &Cell) -> Project {
    Project {
        name: Text {
            text: Str::default(),
            span: first.span.clone(),
        },
        amounts: Amounts::default(),
        goal: None,
        indicator_cell: None,
        indicators: Vec::new(),
        span: first.span.clone(),
        details: None,
        evaluation: None,
    }
}

fn new_unit(name: Text, amounts: Amounts, implicit: bool) -> Unit {
    Unit {
        span: name.span.clone(),
        name,
        amounts,
        implicit,
        projects: Vec::new(),
    }
}
