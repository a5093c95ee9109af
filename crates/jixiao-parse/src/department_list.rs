//! The department-list layout: one row per project, indicators packed into one cell.
//!
//! ```text
//! (→ stands for a tab)
//! 项目支出绩效目标表（含转移支付项目）
//! 部门名称：广州市花都区人力资源和社会保障局
//! 单位：万元
//! 项目名称（资金使用单位） → 总计 → 财政拨款 → 财政专户拨款 → 其他资金 → 绩效目标 → 绩效指标
//! 合计 → 34,139.95 → 33,735.45 → 404.50 → 0.00
//! <unit> → <amounts>                                   (no goal, no indicators)
//! <project> → <amounts> → <goal> → 1、…。2、…。
//! ```
//! Blank lines are page breaks. A row that a page break cut in two is joined and reported.

use std::sync::Arc;

use jixiao_model::{
    Amount, AmountRow, Amounts, Document, Layout, Problem, ProblemKind, Profile, Project, Span,
    Str, Text, Unit,
};
use rust_decimal::Decimal;

use crate::indicators::{self, snippet};
use crate::row::{Row, fields_of, to_u32};
use crate::text::{Line, lines, trim, trim_start};

/// The columns of the layout, in their usual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// 序号: read past.
    Seq,
    Name,
    Total,
    Fiscal,
    SpecialAccount,
    Other,
    Goal,
    Indicators,
}

const DEFAULT_COLUMNS: [Column; 7] = [
    Column::Name,
    Column::Total,
    Column::Fiscal,
    Column::SpecialAccount,
    Column::Other,
    Column::Goal,
    Column::Indicators,
];

fn column_of_header(cell: &str) -> Option<Column> {
    Some(match cell {
        "序号" | "编号" => Column::Seq,
        c if c.starts_with("项目名称") || c.starts_with("单位名称") => Column::Name,
        c if c.starts_with("总计") || c.starts_with("合计") || c == "金额" => Column::Total,
        c if c.starts_with("财政专户") => Column::SpecialAccount,
        c if c.starts_with("财政拨款") || c.starts_with("一般公共预算") => Column::Fiscal,
        c if c.starts_with("其他资金") || c.starts_with("其他") => Column::Other,
        c if c.starts_with("绩效目标") || c.contains("年度目标") => Column::Goal,
        c if c.starts_with("绩效指标") => Column::Indicators,
        _ => return None,
    })
}

/// Reads every department-list table in `text`. A second title line after data rows starts a new
/// document.
pub fn read(
    source: &str,
    text: &Arc<String>,
    encoding: &str,
    profile: &Profile,
    problems: &mut Vec<Problem>,
) -> Vec<Document> {
    let mut reader = Reader::new(source, encoding, profile, problems);
    reader.read_chunk(text, 1, true);
    reader.finish()
}

/// A department list read a chunk of lines at a time: the documents completed so far can be
/// taken out while the rest of the source is still to come ([`crate::stream`]).
pub(crate) struct ChunkReader<'p> {
    reader: Reader<'p>,
}

impl std::fmt::Debug for ChunkReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkReader").finish_non_exhaustive()
    }
}

impl<'p> ChunkReader<'p> {
    pub(crate) fn new(
        source: &str,
        encoding: &'p str,
        profile: &'p Profile,
        problems: &'p mut Vec<Problem>,
    ) -> Self {
        Self {
            reader: Reader::new(source, encoding, profile, problems),
        }
    }

    /// Reads the whole lines of `text`, whose first line is line `first_line` of the source.
    /// Unless `last`, the row at the end may continue in the next chunk: it is left unread, and
    /// the byte offset where it starts is returned (the caller puts `text[offset..]` before the
    /// next chunk, numbered from the line returned with it).
    pub(crate) fn read(&mut self, text: &Arc<String>, first_line: u32, last: bool) -> (usize, u32) {
        self.reader.read_chunk(text, first_line, last)
    }

    /// The documents completed so far, as [`read`] would return them, in order.
    pub(crate) fn take_documents(&mut self) -> Vec<Document> {
        let mut documents = std::mem::take(&mut self.reader.documents);
        documents.retain(has_rows);
        documents
    }

    /// The documents left once the source has ended.
    pub(crate) fn finish(self) -> Vec<Document> {
        self.reader.finish()
    }
}

fn has_rows(document: &Document) -> bool {
    !document.units.is_empty() || document.grand_total.is_some()
}

/// A line continues the row before it when it is not a row of its own: it has fewer cells than a
/// row needs once joined, and its second cell (if any) is not an amount.
/// `next_fields` are the fields of `next` ([`fields_of`]).
fn is_continuation(
    row: &Row<'_>,
    next: &str,
    next_fields: &[(usize, usize)],
    columns: usize,
) -> bool {
    // The next line's tabs are those its fields were split at: found once, for this and for
    // reading the line as a row of its own.
    let next_tabs = next_fields.len().saturating_sub(1).min(columns);
    if next_tabs >= columns {
        return false;
    }
    let room = columns - next_tabs;
    let have = memchr::memchr_iter(b'\t', row.text.as_bytes())
        .take(room)
        .count()
        + 1;
    if have > room {
        return false;
    }
    if is_meta_line(next) {
        return false;
    }
    // A row of its own has a name and an amount (or an empty amount cell) right after it.
    match next.split('\t').nth(1) {
        None => have >= 2,
        Some(second) => !(parse_amount(second.trim()).is_some() || second.trim().is_empty()),
    }
}

fn is_meta_line(line: &str) -> bool {
    let line = trim(trim(line).trim_start_matches('#'));
    line.contains("绩效目标表")
        || line.starts_with("部门名称")
        || line.starts_with("单位：")
        || line.starts_with("单位:")
        || line.starts_with("金额单位")
        || line.starts_with("项目名称")
        || is_numbered_header(line)
}

/// A header with a 序号 column before 项目名称.
fn is_numbered_header(line: &str) -> bool {
    // Decided on the start for every other line (each data row is asked).
    let start = trim_start(line);
    if !(start.starts_with("序号") || start.starts_with("编号")) {
        return false;
    }
    let mut cells = line.split('\t').map(trim);
    matches!(cells.next(), Some("序号" | "编号"))
        && cells.next().is_some_and(|c| c.starts_with("项目名称"))
}

struct Reader<'p> {
    file: Arc<str>,
    encoding: &'p str,
    profile: &'p Profile,
    problems: &'p mut Vec<Problem>,
    documents: Vec<Document>,
    current: Option<Document>,
    columns: Vec<Column>,
    /// The projects of the current document's last unit, moved into it when the unit is complete.
    // One vector reused for every unit, so that each unit's projects are copied once into a
    // vector of the exact size; pushing into the unit's own vector copied them on every doubling
    // and left up to half of its capacity unused (a project is over 500 bytes).
    pending: Vec<Project>,
    /// Level-2 misses and value readings remembered for this reading.
    memo: indicators::ReadMemo,
}

impl<'p> Reader<'p> {
    fn new(
        source: &str,
        encoding: &'p str,
        profile: &'p Profile,
        problems: &'p mut Vec<Problem>,
    ) -> Self {
        Reader {
            file: Arc::from(source),
            encoding,
            profile,
            problems,
            documents: Vec::new(),
            current: None,
            columns: DEFAULT_COLUMNS.to_vec(),
            pending: Vec::new(),
            memo: indicators::ReadMemo::default(),
        }
    }

    /// Reads the lines of `text` (see [`ChunkReader::read`]).
    fn read_chunk(&mut self, text: &Arc<String>, first_line: u32, last: bool) -> (usize, u32) {
        let file = self.file.clone();
        let all: Vec<Line<'_>> = lines(text)
            .map(|line| Line {
                number: line.number + (first_line - 1),
                text: line.text,
            })
            .collect();
        let mut index = 0;
        // The fields of the line after the current row (its index in `all`), split when asking
        // whether it continues the row: they are that line's fields when it is read as a row.
        let mut next_fields: Option<(usize, Vec<(usize, usize)>)> = None;
        while index < all.len() {
            let line = all[index];
            index += 1;
            if trim_start(line.text).is_empty() {
                continue;
            }
            if self.read_meta_line(line) {
                continue;
            }
            let mut row = Row::single(file.clone(), line.number, line.text, text);
            let mut fields = match next_fields.take() {
                Some((at, fields)) if at + 1 == index => Some(fields),
                _ => None,
            };
            // Join the lines a page break split off, skipping the blank lines between them.
            loop {
                let mut next = index;
                while next < all.len() && trim_start(all[next].text).is_empty() {
                    next += 1;
                }
                let Some(candidate) = all.get(next) else {
                    if !last {
                        // The next chunk may continue this row: read it from there.
                        let start = line.text.as_ptr() as usize - text.as_ptr() as usize;
                        return (start, line.number);
                    }
                    break;
                };
                let candidate_fields = fields_of(candidate.text);
                if !is_continuation(&row, candidate.text, &candidate_fields, self.columns.len()) {
                    next_fields = Some((next, candidate_fields));
                    break;
                }
                row.join(candidate.number, candidate.text);
                fields = None;
                index = next + 1;
            }
            if row.is_joined() {
                self.problems.push(Problem {
                    kind: ProblemKind::JoinedRow,
                    message: format!(
                        "第{}行至第{}行是被分页断开的同一行，已合并读取。请核对合并后的内容。",
                        row.first_line(),
                        row.last_line()
                    ),
                    span: Span::line(file.clone(), row.first_line()),
                });
            }
            let fields = fields.unwrap_or_else(|| row.fields());
            self.read_row(&row, fields, index >= all.len());
        }
        (text.len(), first_line + to_u32(all.len()))
    }

    fn document(&mut self) -> &mut Document {
        self.current.get_or_insert_with(|| Document {
            source: self.file.to_string(),
            encoding: self.encoding.to_owned(),
            layout: Layout::DepartmentList,
            title: None,
            department: None,
            amount_unit: None,
            header: None,
            grand_total: None,
            truncation: None,
            units: Vec::new(),
        })
    }

    fn has_rows(&self) -> bool {
        self.current
            .as_ref()
            .is_some_and(|d| !d.units.is_empty() || d.grand_total.is_some())
    }

    /// Reads title, 部门名称, 单位 and header lines. Returns false for anything else.
    fn read_meta_line(&mut self, line: Line<'_>) -> bool {
        let raw = line.text;
        let trimmed = trim(raw);
        let offset = raw.len() - trim_start(raw).len();
        let file = self.file.clone();
        let span = |start: usize, end: usize| {
            Span::new(file.clone(), line.number, to_u32(start), to_u32(end))
        };
        if !trimmed.contains('\t') && trimmed.contains("绩效目标表") {
            if self.has_rows() {
                self.flush();
            }
            // A Markdown heading mark (`## `) from a copy of the page is not part of the title.
            let heading = trimmed.trim_start_matches('#');
            let title_text = heading.trim_start();
            let start = offset + (trimmed.len() - title_text.len());
            let title = Text {
                text: title_text.into(),
                span: span(start, start + title_text.len()),
            };
            self.document().title = Some(title);
            return true;
        }
        for prefix in ["部门名称", "单位名称", "填报单位"] {
            if let Some(rest) = trimmed.strip_prefix(prefix) {
                if trimmed.contains('\t') {
                    break;
                }
                let value = rest.trim_start_matches(['：', ':', ' ']).trim();
                let start = offset + trimmed.len() - rest.len()
                    + (rest.len() - rest.trim_start_matches(['：', ':', ' ']).len());
                if self.has_rows()
                    && self
                        .current
                        .as_ref()
                        .is_some_and(|d| d.department.is_some())
                {
                    self.flush();
                }
                let department = Text {
                    text: value.into(),
                    span: span(start, start + value.len()),
                };
                self.document().department = Some(department);
                return true;
            }
        }
        for prefix in ["单位：", "单位:", "金额单位：", "金额单位:"] {
            if let Some(rest) = trimmed.strip_prefix(prefix) {
                let value = rest.trim();
                let start = offset + prefix.len() + (rest.len() - rest.trim_start().len());
                let unit = Text {
                    text: value.into(),
                    span: span(start, start + value.len()),
                };
                self.document().amount_unit = Some(unit);
                return true;
            }
        }
        if (trimmed.starts_with("项目名称") || is_numbered_header(trimmed))
            && trimmed.contains('\t')
        {
            let columns: Vec<Option<Column>> = raw
                .split('\t')
                .map(|c| column_of_header(c.trim()))
                .collect();
            if columns.iter().take(7).all(Option::is_some)
                || columns.iter().filter(|c| c.is_some()).count() >= 5
            {
                self.columns = columns
                    .into_iter()
                    .map(|c| c.unwrap_or(Column::Indicators))
                    .collect();
            } else {
                self.problems.push(Problem {
                    kind: ProblemKind::UnreadableRow,
                    message: "表头列名无法识别，按默认列顺序（项目名称、总计、财政拨款、财政专户拨款、其他资金、绩效目标、绩效指标）读取。".to_owned(),
                    span: span(0, raw.len()),
                });
            }
            let header = Text {
                text: raw.into(),
                span: span(0, raw.len()),
            };
            self.document().header = Some(header);
            return true;
        }
        false
    }

    fn read_row(&mut self, row: &Row<'_>, fields: Vec<(usize, usize)>, is_last: bool) {
        let cell = |column: Column| -> Option<(usize, usize)> {
            let index = self.columns.iter().position(|c| *c == column)?;
            fields.get(index).copied().filter(|(s, e)| s < e)
        };
        let name = cell(Column::Name);
        let goal = cell(Column::Goal);
        let indicator_cell = cell(Column::Indicators);
        let row_span = Span::new(
            self.file.clone(),
            row.first_line(),
            0,
            to_u32(if row.is_joined() { 0 } else { row.text.len() }),
        );

        let Some((name_start, name_end)) = name else {
            self.problems.push(Problem {
                kind: ProblemKind::UnreadableRow,
                message: format!(
                    "无法读取此行：第一列（项目名称）为空。请补全项目或单位名称。行内容：{}",
                    snippet(&row.text)
                ),
                span: row_span,
            });
            return;
        };
        if fields.len() < self.columns.len()
            && goal.is_some()
            && indicator_cell.is_none()
            && is_last
        {
            self.problems.push(Problem {
                kind: ProblemKind::TruncatedRow,
                message: format!(
                    "最后一行只有{}列（应为{}列），文件可能被截断：已读取现有内容，缺少绩效指标。请核对原表。",
                    fields.len(),
                    self.columns.len()
                ),
                span: row_span.clone(),
            });
        }
        let amounts = self.read_amounts(row, &fields);
        let name = row.text(name_start, name_end);

        if name.text == "合计" || name.text == "总计" {
            let total = AmountRow {
                label: name,
                amounts,
                span: row_span,
            };
            self.document().grand_total = Some(total);
            return;
        }
        if goal.is_none() && indicator_cell.is_none() {
            if amounts.is_empty() {
                self.problems.push(Problem {
                    kind: ProblemKind::UnreadableRow,
                    message: format!(
                        "无法读取此行：既无金额，也无绩效目标和绩效指标。若是项目行，请补全各列。行内容：{}",
                        snippet(&row.text)
                    ),
                    span: row_span,
                });
                return;
            }
            let unit = Unit {
                name,
                amounts,
                implicit: false,
                span: row_span,
                projects: Vec::new(),
            };
            self.settle_projects();
            self.document().units.push(unit);
            return;
        }

        let indicators = match indicator_cell {
            Some((start, end)) => {
                indicators::read_cell(row, start, end, self.profile, &mut self.memo, self.problems)
            }
            None => Vec::new(),
        };
        let project = Project {
            name,
            amounts,
            goal: goal.map(|(s, e)| row.text(s, e)),
            indicator_cell: indicator_cell.map(|(s, e)| row.text(s, e)),
            indicators,
            span: row_span,
            details: None,
            evaluation: None,
        };
        let file = self.file.clone();
        let document = self.document();
        if document.units.is_empty() {
            let name = document.department.clone().unwrap_or_else(|| Text {
                text: Str::default(),
                span: Span::line(file.clone(), project.span.line),
            });
            document.units.push(Unit {
                span: name.span.clone(),
                name,
                amounts: Amounts::default(),
                implicit: true,
                projects: Vec::new(),
            });
        }
        self.pending.push(project);
    }

    /// Moves the pending projects into the last unit of the current document.
    fn settle_projects(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if let Some(unit) = self.current.as_mut().and_then(|d| d.units.last_mut()) {
            unit.projects.append(&mut self.pending);
        }
    }

    fn read_amounts(&mut self, row: &Row<'_>, fields: &[(usize, usize)]) -> Amounts {
        let mut amounts = Amounts::default();
        for (index, column) in self.columns.iter().enumerate() {
            let slot = match column {
                Column::Total => &mut amounts.total,
                Column::Fiscal => &mut amounts.fiscal,
                Column::SpecialAccount => &mut amounts.special_account,
                Column::Other => &mut amounts.other,
                _ => continue,
            };
            let Some(&(start, end)) = fields.get(index) else {
                continue;
            };
            let raw = &row.text[start..end];
            if raw.is_empty() {
                continue;
            }
            match parse_amount(raw) {
                Some(value) => {
                    *slot = Some(Amount {
                        value,
                        raw: row.str(start, end),
                        span: row.span(start, end),
                    });
                }
                None => self.problems.push(Problem {
                    kind: ProblemKind::UnreadableAmount,
                    message: format!(
                        "金额“{}”不是数字，已按空值处理。请填写如“34,139.95”的金额。",
                        snippet(raw)
                    ),
                    span: row.span(start, end),
                }),
            }
        }
        amounts
    }

    fn flush(&mut self) {
        self.settle_projects();
        if let Some(document) = self.current.take() {
            self.documents.push(document);
        }
    }

    fn finish(mut self) -> Vec<Document> {
        self.flush();
        self.documents.retain(has_rows);
        self.documents
    }
}

/// Parses an amount: digits with an optional sign, decimal point and thousand separators.
pub fn parse_amount(raw: &str) -> Option<Decimal> {
    let bytes = raw.as_bytes();
    if bytes.is_empty() || bytes.len() > 40 {
        return None;
    }
    plain_amount(bytes).or_else(|| general_amount(bytes))
}

/// Any amount [`parse_amount`] accepts, at most 40 bytes: the digits and point copied without
/// the separators, then read as a decimal.
fn general_amount(bytes: &[u8]) -> Option<Decimal> {
    let mut digits = [0u8; 40];
    let mut len = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' | b'.' => {}
            b'-' | b'+' if i == 0 => {}
            b',' if i > 0 => continue,
            _ => return None,
        }
        *digits.get_mut(len)? = b;
        len += 1;
    }
    let text = std::str::from_utf8(&digits[..len]).ok()?;
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::value::decimal(text)
}

/// The amounts most cells hold, read in one pass: digits with thousand separators and at most
/// one decimal point between digits, no sign, at most 18 digits. `None` for anything else, which
/// [`parse_amount`] reads the general way.
fn plain_amount(bytes: &[u8]) -> Option<Decimal> {
    let mut mantissa: i64 = 0;
    let mut digits = 0u32;
    // Digits (and the point) kept so far, and how many of them came before the point.
    let mut kept = 0usize;
    let mut point = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i64::from(b - b'0');
                digits += 1;
                kept += 1;
            }
            b',' if i > 0 => {}
            b'.' if point.is_none() => {
                point = Some(kept);
                kept += 1;
            }
            _ => return None,
        }
    }
    if digits == 0 || digits > 18 {
        return None;
    }
    let scale = match point {
        None => 0,
        // A point first or last is read by `Decimal::from_str` (`decimal` leaves it to it).
        Some(0) => return None,
        Some(at) if at + 1 == kept => return None,
        Some(at) => u32::try_from(kept - at - 1).ok()?,
    };
    Some(Decimal::new(mantissa, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_are_read_as_the_general_way_reads_them() {
        for raw in [
            "34,139.95",
            "0.00",
            "0",
            "7.40",
            "1,234,567",
            "12.",
            ".5",
            "1.2.3",
            ",1",
            "1,,2",
            "1,.5",
            "00.10",
            "-1.5",
            "+2",
            "abc",
            ".",
            "",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567.8",
            "1.000000000000000001",
            "9 9",
            "１２",
            "1,234.5,6",
            "5.",
        ] {
            let ours = parse_amount(raw);
            let general = Some(raw)
                .filter(|raw| !raw.is_empty() && raw.len() <= 40)
                .and_then(|raw| general_amount(raw.as_bytes()));
            assert_eq!(ours, general, "{raw}");
            assert_eq!(
                ours.map(|d| (d.mantissa(), d.scale())),
                general.map(|d| (d.mantissa(), d.scale())),
                "{raw}"
            );
        }
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("34,139.95"), Some(Decimal::new(3_413_995, 2)));
        assert_eq!(parse_amount("0.00"), Some(Decimal::new(0, 2)));
        assert_eq!(parse_amount("-1.5"), Some(Decimal::new(-15, 1)));
        assert_eq!(parse_amount("abc"), None);
        assert_eq!(parse_amount("."), None);
        assert_eq!(parse_amount(",1"), None);
    }
}
