//! Rows from text whose cells ran together: a document-sharing site or a PDF extraction printed a
//! table with no separators at all (`一级指标二级指标三级指标年度指标值全年完成值产出指标数量指标
//! 储备到位率100%100%…`).
//!
//! What has a clear shape is put back into rows for the layout readers:
//! - header-block labels (`项目名称`, `主管部门`) and the text up to the next label;
//! - the indicator header, as the run of column words it is;
//! - after it, category names (`产出指标`, `数量 指标`, `产 出 指 标`) open rows, and each name is
//!   followed by the values the header's value columns hold (`≥90%`, `100%`, `500吨`, `0起`).
//!
//! White space inside the text is only line wrapping here, so it is removed before matching;
//! every cell keeps the line it came from. A doc-sharing site's chunk markers (`2、` at the start
//! of a line) are dropped. What cannot be split is left to the readers' problems.

use std::sync::Arc;

use jixiao_model::vocabulary::{ColumnRole, LabelRole, Vocabulary};
use jixiao_model::{Profile, Span, Str};

use crate::flat::Cell;

/// The text without white space, in its match key (full-width folded: `％` is `%`), and for each
/// of its characters the line it came from and where it is in the text as written, so that the
/// cells keep what was published.
struct Compact {
    text: String,
    /// The characters as written, without white space.
    written: String,
    /// `(byte offset in text, line number, byte offset in written)` for each character.
    lines: Vec<(usize, u32, usize)>,
    /// Offsets in `text` where white space inside a line was left out (a cell boundary in a
    /// space-joined row, or a wrap inside a cell).
    gaps: Vec<usize>,
}

impl Compact {
    fn new(source: &str) -> Self {
        let mut text = String::with_capacity(source.len());
        let mut written = String::with_capacity(source.len());
        let mut lines = Vec::with_capacity(source.len() / 3);
        let mut gaps = Vec::new();
        for (number, line) in source.lines().enumerate() {
            let number = u32::try_from(number + 1).unwrap_or(u32::MAX);
            let mut space = false;
            let mut first = true;
            for c in strip_chunk_marker(line).chars() {
                if c.is_whitespace() {
                    space = true;
                    continue;
                }
                if space && !first {
                    gaps.push(text.len());
                }
                space = false;
                first = false;
                let at = written.len();
                written.push(c);
                // ASCII and ideographs, nearly all of a text, are their own match keys.
                if c.is_ascii_graphic() || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                    lines.push((text.len(), number, at));
                    text.push(c);
                    continue;
                }
                let mut buf = [0u8; 4];
                for k in jixiao_model::match_key(c.encode_utf8(&mut buf)).chars() {
                    lines.push((text.len(), number, at));
                    text.push(k);
                }
            }
        }
        Self {
            text,
            written,
            lines,
            gaps,
        }
    }

    fn entry_at(&self, offset: usize) -> Option<&(usize, u32, usize)> {
        let index = self.lines.partition_point(|&(o, _, _)| o <= offset);
        self.lines.get(index.saturating_sub(1))
    }

    fn line_at(&self, offset: usize) -> u32 {
        self.entry_at(offset).map_or(1, |&(_, line, _)| line)
    }

    /// Where `offset` of the key text is in the written text.
    fn written_at(&self, offset: usize) -> usize {
        if offset >= self.text.len() {
            return self.written.len();
        }
        self.entry_at(offset).map_or(0, |&(_, _, at)| at)
    }

    fn cell(&self, file: &Arc<str>, start: usize, end: usize) -> Cell {
        let (from, to) = (self.written_at(start), self.written_at(end));
        Cell {
            text: Str::from(self.written[from..to.max(from)].to_owned()),
            span: Span::line(file.clone(), self.line_at(start)),
            col: None,
        }
    }
}

/// A doc-sharing site splits a document into chunks that start a line with `2、`.
fn strip_chunk_marker(line: &str) -> &str {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && line[digits..].starts_with('、') {
        &line[digits + '、'.len_utf8()..]
    } else {
        line
    }
}

/// The rows of a run-together table, or `None` when the text has no indicator header.
pub fn rows(file: &Arc<str>, source: &str, profile: &Profile) -> Option<Vec<Vec<Cell>>> {
    let compact = Compact::new(source);
    let text = compact.text.as_str();
    let Some((header_start, mut header_end, mut columns, mut interleaved)) =
        find_header(text, 0, profile)
    else {
        return headless_rows(&compact, file, profile);
    };
    let mut rows = Vec::new();
    rows.extend(label_rows(&compact, file, &text[..header_start]));
    split_budget_figures(&mut rows);
    let mut bounds = GridBounds::new(text);
    // Grid after grid (a 长期 grid, then the 年度 one): each header opens its own rows.
    loop {
        rows.push(
            columns
                .iter()
                .map(|&(start, end, _)| {
                    let mut cell = compact.cell(file, start, end);
                    // A damaged word is given to the readers as the word it was.
                    if let Some((_, word, _)) =
                        damaged_column_at(text, start).filter(|d| d.0 == end)
                    {
                        cell.text = Str::from(word);
                    }
                    cell
                })
                .collect(),
        );
        let next = find_header(text, header_end, profile);
        let body_end = bounds
            .grid_end(header_end)
            .min(next.as_ref().map_or(text.len(), |n| n.0))
            .min(bounds.title_repeated(header_start, header_end));
        rows.extend(indicator_rows(
            &compact,
            file,
            header_end,
            body_end,
            &Shape::of(&columns),
            interleaved,
            profile,
        ));
        // Only a header right after the grid (its closing words aside) continues the table.
        match next {
            Some((start, end, next_columns, next_interleaved)) if start == body_end => {
                header_end = end;
                columns = next_columns;
                interleaved = next_interleaved;
            }
            _ => {
                let until = next.as_ref().map_or(text.len(), |n| n.0);
                rows.extend(remark_rows(&compact, file, body_end, until));
                break;
            }
        }
    }
    Some(rows)
}

/// Labels of a self-evaluation's closing remarks, longest first where one starts another.
const REMARK_LABELS: &[&str] = &[
    "改进措施及结果应用方案",
    "改进措施及建议",
    "评价结论",
    "自评结论",
    "存在的问题",
    "存在问题",
    "改进措施",
    "改进建议",
];

/// What ends the last remark: the signatures under the table.
const REMARK_ENDS: &[&str] = &[
    "项目负责人",
    "财务负责人",
    "单位负责人",
    "填表人",
    "填报人",
    "审核人",
    "联系电话",
    "填报日期",
    "备注",
];

/// The closing remarks after the last grid (`评价结论及时、足额缴纳。存在问题暂无改进措施暂无项目
/// 负责人:`), as rows of a label and its text, so that the sheet reader keeps them as it does a
/// grid's tail. Only labels between `from` and `to`; a label with no text before the next one
/// gives no row.
fn remark_rows(compact: &Compact, file: &Arc<str>, from: usize, to: usize) -> Vec<Vec<Cell>> {
    let text = &compact.text[..to];
    let mut labels: Vec<(usize, usize)> = Vec::new();
    let mut at = from;
    while at < text.len() {
        let rest = &text[at..];
        if let Some(label) = REMARK_LABELS.iter().find(|l| rest.starts_with(*l)) {
            labels.push((at, at + label.len()));
            at += label.len();
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    let mut rows = Vec::new();
    for (k, &(start, label_end)) in labels.iter().enumerate() {
        let next = labels.get(k + 1).map_or(text.len(), |l| l.0);
        let body = &text[label_end..next];
        let end = REMARK_ENDS
            .iter()
            .filter_map(|w| body.find(w))
            .min()
            .map_or(next, |p| label_end + p);
        let content = text[label_end..end].trim_start_matches([':', '：']);
        if content.is_empty() {
            continue;
        }
        let content_start = end - content.len();
        rows.push(vec![
            compact.cell(file, start, label_end),
            compact.cell(file, content_start, end),
        ]);
        if end < next {
            break;
        }
    }
    rows
}

/// The rows of a fragment whose header is not in the text (`产出指标数量指标足额保障率=100%
/// 22.5科目调整次数≤10次22.5…`): it must start its grid with an 一级 and one of its own 二级 run
/// together, and yield two indicators with values at least. The value columns are taken from the
/// values themselves: the first is the target, then a column of bare numbers is the weight (and
/// a second the score), any other the actual. The header row given to the sheet reader names
/// those roles; it is not in the source, and its cells point at the grid's first line.
fn headless_rows(compact: &Compact, file: &Arc<str>, profile: &Profile) -> Option<Vec<Vec<Cell>>> {
    let text = compact.text.as_str();
    let start = grid_start(text, profile)?;
    let end = GridBounds::new(text).grid_end(start);
    // Runs of value tokens, as split_content finds them.
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut at = start;
    while at < end {
        if let Some(first) = value_at(text, at).filter(|&e| e <= end) {
            let mut run = vec![&text[at..first]];
            let mut next = first;
            while let Some(e) = value_at(text, next).filter(|&e| e <= end) {
                run.push(&text[next..e]);
                next = e;
            }
            runs.push(run);
            at = next;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    let bare = |t: &str| t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let typed: Vec<&Vec<&str>> = runs
        .iter()
        .filter(|r| r.first().is_some_and(|t| !bare(t)))
        .collect();
    if typed.len() < 2 {
        return None;
    }
    let mut counts = [0usize; 5];
    for run in &typed {
        counts[run.len().min(4)] += 1;
    }
    let per_row = (1..=4).max_by_key(|&k| (counts[k], std::cmp::Reverse(k)))?;
    let mut values = vec![ColumnRole::Value];
    for position in 1..per_row {
        let all_bare = typed
            .iter()
            .filter_map(|r| r.get(position))
            .all(|t| bare(t));
        values.push(match (all_bare, values.contains(&ColumnRole::Weight)) {
            (true, false) => ColumnRole::Weight,
            (true, true) => ColumnRole::Score,
            (false, _) => ColumnRole::Actual,
        });
    }
    let words = |role: ColumnRole| match role {
        ColumnRole::Level1 => "一级指标",
        ColumnRole::Level2 => "二级指标",
        ColumnRole::Level3 => "三级指标",
        ColumnRole::Weight => "权重",
        ColumnRole::Score => "得分",
        ColumnRole::Actual => "实际完成值",
        _ => "指标值",
    };
    let span = Span::line(file.clone(), compact.line_at(start));
    let header: Vec<Cell> = [ColumnRole::Level1, ColumnRole::Level2, ColumnRole::Level3]
        .iter()
        .chain(&values)
        .map(|&role| Cell {
            text: Str::from(words(role)),
            span: span.clone(),
            col: None,
        })
        .collect();
    let shape = Shape {
        values,
        has_reason: false,
        described: false,
    };
    let body = indicator_rows(compact, file, start, end, &shape, None, profile);
    let with_values = body
        .iter()
        .filter(|row| {
            row.iter()
                .any(|c| value_at(&c.text, 0).is_some_and(|e| e == c.text.len()))
        })
        .count();
    if with_values < 2 {
        return None;
    }
    let mut rows = label_rows(compact, file, &text[..start]);
    rows.push(header);
    rows.extend(body);
    Some(rows)
}

/// Where a headerless grid starts: an 一级 name run into one of its own 二级 (`产出指标数量指标`).
fn grid_start(text: &str, profile: &Profile) -> Option<usize> {
    let level1: Vec<&str> = profile
        .data()
        .level1
        .iter()
        .flat_map(|d| std::iter::once(d.name.as_str()).chain(d.aliases.iter().map(String::as_str)))
        .filter(|w| w.ends_with("指标"))
        .collect();
    let level2: Vec<(&str, &str)> = profile
        .data()
        .level2
        .iter()
        .filter_map(|d| Some((d.name.as_str(), d.parent.as_deref()?)))
        .filter(|(w, _)| w.ends_with("指标"))
        .collect();
    text.char_indices().map(|(at, _)| at).find(|&at| {
        level1.iter().any(|w| {
            text[at..].starts_with(w)
                && profile.level1(w).is_some_and(|d| {
                    level2.iter().any(|(name, parent)| {
                        *parent == d.code.as_str() && text[at + w.len()..].starts_with(name)
                    })
                })
        })
    })
}

/// What the header says a row holds after its name.
struct Shape {
    /// The value columns in order (指标值, 实际值, 分值, 得分…).
    values: Vec<ColumnRole>,
    /// A 未完成原因 or 备注 column follows them: text after a full row of values is its cell.
    has_reason: bool,
    /// A description column (`绩效指标描述`) sits between the name and the values: the text before
    /// a row's values is its name, then the description.
    described: bool,
}

impl Shape {
    /// The shape a header's columns give: the value columns after the name, and whether a
    /// 未完成原因 or 备注 column follows.
    fn of(columns: &[(usize, usize, ColumnRole)]) -> Self {
        let values = columns
            .iter()
            .map(|&(_, _, role)| role)
            .skip_while(|r| *r != ColumnRole::Level3)
            .skip(1)
            .filter(|r| {
                matches!(
                    r,
                    ColumnRole::Value
                        | ColumnRole::Period
                        | ColumnRole::Actual
                        | ColumnRole::Weight
                        | ColumnRole::Score
                )
            })
            .collect();
        let has_reason = columns
            .iter()
            .any(|&(_, _, role)| matches!(role, ColumnRole::Deviation | ColumnRole::Note));
        let after_name = || {
            columns
                .iter()
                .map(|&(_, _, role)| role)
                .skip_while(|r| *r != ColumnRole::Level3)
                .skip(1)
        };
        let described = after_name().next() == Some(ColumnRole::Note)
            && after_name().any(|r| r == ColumnRole::Value);
        Self {
            values,
            has_reason,
            described,
        }
    }

    fn per_row(&self) -> usize {
        self.values.len().max(1)
    }
}

/// Column words sorted longest first, for greedy matching.
fn column_words() -> &'static [(String, ColumnRole)] {
    static WORDS: std::sync::OnceLock<Vec<(String, ColumnRole)>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<(String, ColumnRole)> = Vocabulary::builtin()
            .column_words()
            .map(|(w, r)| (w.to_owned(), r))
            .filter(|(w, _)| w.chars().count() >= 2)
            .collect();
        words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        words
    })
}

/// The column words starting with `first`, in the order of [`column_words`]: the header search
/// asks at every character, and trying each of the hundred words there was a twelfth of reading
/// a corpus of small tables.
fn column_words_starting_with(first: char) -> &'static [(String, ColumnRole)] {
    type ByFirst = Vec<(char, Vec<(String, ColumnRole)>)>;
    static BY_FIRST: std::sync::OnceLock<ByFirst> = std::sync::OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut by_first: ByFirst = Vec::new();
        for (word, role) in column_words() {
            let Some(c) = word.chars().next() else {
                continue;
            };
            match by_first.iter_mut().find(|(f, _)| *f == c) {
                Some((_, words)) => words.push((word.clone(), *role)),
                None => by_first.push((c, vec![(word.clone(), *role)])),
            }
        }
        by_first.sort_by_key(|(c, _)| *c);
        by_first
    });
    by_first
        .binary_search_by_key(&first, |(c, _)| *c)
        .map_or(&[], |i| by_first[i].1.as_slice())
}

/// A column word of four characters or more whose first character a conversion replaced by `?`
/// (`???jī)效指标分类`, where a mirror's gloss of the lost character is left after the marks):
/// where its damaged print ends, the word, and its role.
fn damaged_column_at(text: &str, at: usize) -> Option<(usize, &'static str, ColumnRole)> {
    let marks = text[at..].bytes().take_while(|&b| b == b'?').count();
    if !(1..=4).contains(&marks) {
        return None;
    }
    let mut after = at + marks;
    let gloss: usize = text[after..]
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || ('\u{e0}'..='\u{1dc}').contains(c))
        .map(char::len_utf8)
        .sum();
    if gloss > 0 && text[after + gloss..].starts_with(')') {
        after += gloss + 1;
    }
    column_words()
        .iter()
        .filter(|(w, _)| w.chars().count() >= 4)
        .find_map(|(w, role)| {
            let first = w.chars().next()?.len_utf8();
            text[after..]
                .starts_with(&w[first..])
                .then(|| (after + w.len() - first, w.as_str(), *role))
        })
}

/// The column word at `at`, with a bracketed note after it (`年初目标值(A)`, `()`), and its role.
fn column_at(text: &str, at: usize) -> Option<(usize, ColumnRole)> {
    let rest = &text[at..];
    let (word, role) = column_words_starting_with(rest.chars().next()?)
        .iter()
        .find(|(w, _)| rest.starts_with(w.as_str()))?;
    Some((past_note(text, at + word.len()), *role))
}

/// `end`, or past the bracketed note that starts there (`(A)`, `（包含数字及文字描述）`).
fn past_note(text: &str, end: usize) -> usize {
    if (text[end..].starts_with('(') || text[end..].starts_with('（'))
        && let Some(close) = text[end..].find([')', '）']).filter(|&c| c <= 24)
    {
        return end + close + text[end + close..].chars().next().map_or(1, char::len_utf8);
    }
    end
}

/// The indicator header: a run of column words with a 一级 and a name column. Returns its start,
/// its end, each word's range and role, and a 二级 name printed among the column words (`二级指标
/// 数量指标三级指标`: a PDF put the first row's merged 二级 cell, centred on several lines, beside
/// the header), which is the first body row's.
#[allow(clippy::type_complexity)]
fn find_header(
    text: &str,
    from: usize,
    profile: &Profile,
) -> Option<(
    usize,
    usize,
    Vec<(usize, usize, ColumnRole)>,
    Option<(usize, usize)>,
)> {
    let mut skip_to = from;
    for (at, _) in text[from..].char_indices().map(|(i, c)| (from + i, c)) {
        if at < skip_to {
            continue;
        }
        let word = column_at(text, at)
            .or_else(|| damaged_column_at(text, at).map(|(end, _, role)| (end, role)));
        let Some((_, ColumnRole::Level1)) = word else {
            continue;
        };
        // `指标` is an 一级 column word, but not as the end of a grid label (`年度绩效指标`).
        if text[..at].ends_with("绩效") {
            continue;
        }
        let mut columns = Vec::new();
        let mut interleaved = None;
        let mut pos = at;
        loop {
            if let Some((end, role)) = column_at(text, pos)
                .or_else(|| damaged_column_at(text, pos).map(|(end, _, role)| (end, role)))
            {
                columns.push((pos, end, role));
                pos = end;
                continue;
            }
            // `绩效指标` heads the name column right after the grading template's `绩效指标分类`.
            if let Some(&(start, end, _)) = columns.last()
                && text[pos..].starts_with("绩效指标")
                && Vocabulary::builtin().column_after(
                    Some(damaged_column_at(text, start).map_or(&text[start..end], |d| d.1)),
                    "绩效指标",
                ) == Some(ColumnRole::Level3)
            {
                columns.push((pos, pos + "绩效指标".len(), ColumnRole::Level3));
                pos += "绩效指标".len();
                continue;
            }
            // A 二级 name (`数量指标`) between the 二级 column and a column word after it.
            let level2_before = columns.last().is_some_and(|c| c.2 == ColumnRole::Level2);
            let category = level2_before && interleaved.is_none();
            let Some(end) = category
                .then(|| {
                    text[pos..]
                        .char_indices()
                        .skip(2)
                        .take(8)
                        .map(|(i, c)| pos + i + c.len_utf8())
                        .find(|&e| {
                            text[pos..e].ends_with("指标")
                                && profile.level2(&text[pos..e], None).is_some()
                                && profile.level1(&text[pos..e]).is_none()
                                && column_at(text, e).is_some()
                        })
                })
                .flatten()
            else {
                break;
            };
            interleaved = Some((pos, end));
            pos = end;
        }
        // The grading template's grade columns (`优良中差` under `绩效指标评价标准`) are its value
        // columns, in the place of the standard word printed above them.
        if let Some(grades) = ["优良中低差", "优良中差"]
            .iter()
            .find(|g| text[pos..].starts_with(**g))
            && let Some(standard) = columns.iter().position(|c| c.2 == ColumnRole::Standard)
        {
            let cells: Vec<(usize, usize, ColumnRole)> = grades
                .char_indices()
                .map(|(i, c)| (pos + i, pos + i + c.len_utf8(), ColumnRole::Value))
                .collect();
            columns.splice(standard..=standard, cells);
            pos += grades.len();
        }
        let has_name = columns.iter().any(|c| c.2 == ColumnRole::Level3);
        if has_name && columns.len() >= 3 {
            return Some((at, pos, columns, interleaved));
        }
        // A header cannot start inside this run of column words: it would be a part of the run,
        // which has no name column. Skipping it keeps a text of one word repeated linear.
        skip_to = pos;
    }
    None
}

/// Closing labels that end a grid (`说明`, `注：`, `合计`, `总分`, `评价结论`…).
const GRID_ENDS: &[&str] = &[
    "说明",
    "注:",
    "注：",
    "合计",
    "总分",
    "评价结论",
    "存在问题",
    "偏差原因分析",
    "其他需要说明",
    "填表人",
    "财政部门审核意见",
    "项目负责人:",
];

/// Where the grids of a text end, asked grid after grid with positions that only grow: each
/// search resumes where the last one found its word, so a text of thousands of grids is searched
/// once, not once per grid (a text of one header word repeated took minutes).
struct GridBounds<'t> {
    text: &'t str,
    /// Per closing label, where it next occurs at or after the last position asked about.
    ends: Vec<Option<usize>>,
    /// The last title end (`…目标表`) before the headers seen so far, and where the search for it
    /// stopped.
    title_end: Option<usize>,
    title_searched: usize,
    /// The title a repeat was last searched for, and the earliest repeat found after it.
    repeat: Option<(usize, usize)>,
}

impl<'t> GridBounds<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            ends: vec![None; GRID_ENDS.len()],
            title_end: None,
            title_searched: 0,
            repeat: None,
        }
    }

    /// Where the grid from `from` ends: a closing label, or the end of the text.
    fn grid_end(&mut self, from: usize) -> usize {
        let text = self.text;
        GRID_ENDS
            .iter()
            .zip(&mut self.ends)
            .map(|(word, next)| match *next {
                Some(at) if at >= from => at,
                _ => {
                    let at = text[from..].find(word).map_or(text.len(), |p| from + p);
                    *next = Some(at);
                    at
                }
            })
            .min()
            .unwrap_or(text.len())
    }

    /// Where the next table's title starts after a grid, when no header of its own follows (the
    /// copy stops inside that title): at twelve characters or more of this table's title printed
    /// again (`…按服务对象满意度评价邯财社2018126号提前下达…` after a title
    /// `邯财社2018126号提前下达…绩效目标表`). The title is what the text before the header holds up
    /// to its last `目标表`, `申报表` or `自评表`.
    fn title_repeated(&mut self, header_start: usize, body_start: usize) -> usize {
        const SAME: usize = 12;
        let text = self.text;
        if header_start > self.title_searched {
            let new = &text[self.title_searched..header_start];
            if let Some(at) = ["目标表", "申报表", "自评表"]
                .iter()
                .filter_map(|w| new.rfind(w))
                .max()
            {
                self.title_end = Some(self.title_searched + at);
            }
            self.title_searched = header_start;
        }
        let Some(title_end) = self.title_end else {
            return text.len();
        };
        if let Some((title, at)) = self.repeat
            && title == title_end
            && at >= body_start
        {
            return at;
        }
        let before = &text[..title_end];
        let body = &text[body_start..];
        let at = before
            .char_indices()
            .map(|(i, _)| i)
            .rev()
            .take(48)
            .filter_map(|from| {
                let len: usize = before[from..].chars().take(SAME).map(char::len_utf8).sum();
                let piece = &before[from..from + len];
                (piece.chars().count() == SAME)
                    .then(|| body.find(piece))
                    .flatten()
                    .map(|at| body_start + at)
            })
            .min()
            .unwrap_or(text.len());
        self.repeat = Some((title_end, at));
        at
    }
}

/// The budget execution block of a run-together self-evaluation (`预算数(A)执行数(B)执行率(B/A)
/// 得分…` then `年度财政资金总额10001000100%20`): the header's column words become a header row,
/// and the figures after the total's label are split where the executed amount divided by the
/// budget gives the rate printed after them (1000 / 1000 / 100% / 20; `1.561.56120` is 1.56 /
/// 1.56 / 1 / 20, a rate of 1 being 100%). A rate in the figures is a rate column even where the
/// header's rate word was lost. Lines after the total in the same cell (`其中:中央补助4000
/// 4000100%`) are split the same way. Left as they are when no split, or more than one, fits.
fn split_budget_figures(rows: &mut Vec<Vec<Cell>>) {
    const WORDS: &[&str] = &["预算数", "执行数", "执行率", "得分"];
    let Some(at) = rows.iter().position(|r| {
        r.first()
            .is_some_and(|c| c.text.ends_with("预算数") && c.text.chars().count() <= 5)
    }) else {
        return;
    };
    let Some(next) = rows.get(at + 1).cloned() else {
        return;
    };
    if !next.first().is_some_and(|c| c.text.ends_with("资金总额")) || next.len() != 2 {
        return;
    }
    let header: String = rows[at].iter().map(|c| c.text.as_str()).collect();
    let mut columns: Vec<(usize, &str)> = WORDS
        .iter()
        .filter_map(|w| header.find(w).map(|p| (p, *w)))
        .collect();
    columns.sort_unstable();
    let mut columns: Vec<&str> = columns.into_iter().map(|(_, w)| w).collect();
    let value = &next[1];
    let run_of = |text: &str| {
        text.bytes()
            .take_while(|b| b.is_ascii_digit() || matches!(b, b'.' | b'%'))
            .count()
    };
    let run_len = run_of(&value.text);
    if columns == ["预算数", "执行数"] && value.text[..run_len].contains('%') {
        columns.push("执行率");
    }
    if !columns.starts_with(&["预算数", "执行数", "执行率"]) {
        return;
    }
    let with_score = columns.len() == 4;
    let Some(parts) = budget_split(&value.text[..run_len], with_score) else {
        return;
    };
    let cell = |text: &str, span: &Span| Cell {
        text: Str::from(text),
        span: span.clone(),
        col: None,
    };
    let header_span = rows[at][0].span.clone();
    rows[at] = std::iter::once(cell("", &header_span))
        .chain(columns.iter().map(|w| cell(w, &header_span)))
        .collect();
    let label = next[0].clone();
    let span = value.span.clone();
    rows[at + 1] = std::iter::once(label)
        .chain(parts.iter().map(|p| cell(p, &span)))
        .collect();
    // `其中:中央补助40004000100%地方资金…`: each label and its figures, while they split.
    let mut rest = &value.text[run_len..];
    let mut insert = at + 2;
    loop {
        let label_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let label = &rest[..label_len];
        let label = label
            .strip_prefix("其中")
            .unwrap_or(label)
            .trim_start_matches([':', '：']);
        let run = run_of(&rest[label_len..]);
        if label.is_empty() || label.chars().count() > 12 || run == 0 {
            break;
        }
        let figures = &rest[label_len..label_len + run];
        let Some(parts) =
            budget_split(figures, false).or_else(|| budget_split(figures, with_score))
        else {
            break;
        };
        let row = std::iter::once(cell(label, &span))
            .chain(parts.iter().map(|p| cell(p, &span)))
            .collect();
        rows.insert(insert, row);
        insert += 1;
        rest = &rest[label_len + run..];
    }
}

/// Budget, executed amount, rate and (with `score`) the score, run together: the split where
/// executed ÷ budget is the rate (in per cent before `%`, or a bare 1 for 100%). Of several, the
/// one whose budget and executed amount are closest in length (`10001000100%`: 1000 and 1000, not
/// 10001000 and 10 at 0%); none when two are as close.
fn budget_split(run: &str, score: bool) -> Option<Vec<String>> {
    let number = |t: &str| -> Option<f64> {
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let ok = !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && (int == "0" || !int.starts_with('0'))
            && frac.len() <= 2
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !(t.contains('.') && frac.is_empty());
        ok.then(|| t.parse().ok()).flatten()
    };
    // (length difference, parts), and whether another split is as close.
    let mut found: Option<(usize, Vec<String>)> = None;
    let mut tied = false;
    let n = run.len();
    for a in 1..n {
        for b in a + 1..n {
            let (Some(budget), Some(executed)) = (number(&run[..a]), number(&run[a..b])) else {
                continue;
            };
            if budget <= 0.0 {
                continue;
            }
            for r in b + 1..=n {
                let rate_text = &run[b..r];
                let (digits, percent) = match rate_text.strip_suffix('%') {
                    Some(d) => (d, true),
                    None => (rate_text, false),
                };
                let Some(rate) = number(digits) else { continue };
                let want = executed / budget;
                // Nothing spent is a rate of 0, and only that.
                let fits = (rate == 0.0) == (executed == 0.0)
                    && if percent {
                        (rate - want * 100.0).abs() < 0.6
                    } else {
                        rate <= 1.0 && (rate - want).abs() < 0.006
                    };
                let rest = &run[r..];
                let rest_ok = if score {
                    number(rest).is_some_and(|s| s <= 100.0)
                } else {
                    rest.is_empty()
                };
                if fits && rest_ok {
                    let gap = a.abs_diff(b - a);
                    match &found {
                        Some((best, _)) if *best < gap => continue,
                        Some((best, _)) if *best == gap => {
                            tied = true;
                            continue;
                        }
                        _ => tied = false,
                    }
                    let mut parts = vec![
                        run[..a].to_owned(),
                        run[a..b].to_owned(),
                        rate_text.to_owned(),
                    ];
                    if score {
                        parts.push(rest.to_owned());
                    }
                    found = Some((gap, parts));
                }
            }
        }
    }
    if tied {
        return None;
    }
    found.map(|(_, parts)| parts)
}

/// `[label, value]` rows from the header block: each label word, and the text after it up to the
/// next label or column word.
fn label_rows(compact: &Compact, file: &Arc<str>, block: &str) -> Vec<Vec<Cell>> {
    let vocabulary = Vocabulary::builtin();
    let mut words: Vec<(&str, LabelRole)> = vocabulary.label_words().collect();
    // How long a value can be: a name or a department is short; goals run on.
    let longest = |role: LabelRole| match role {
        LabelRole::Goal | LabelRole::LongTermGoal | LabelRole::AchievedGoal => 400,
        LabelRole::Project => 80,
        _ => 40,
    };
    words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    let mut found: Vec<(usize, usize, LabelRole)> = Vec::new();
    let mut at = 0;
    while at < block.len() {
        match words
            .iter()
            .find(|(w, _)| w.chars().count() >= 3 && block[at..].starts_with(*w))
        {
            Some((w, role)) => {
                found.push((at, at + w.len(), *role));
                at += w.len();
            }
            None => at += block[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    let stops = [
        "负责人",
        "项目资金",
        "预算执行",
        "项目类别",
        "项目属性",
        "项目类型",
        "填报日期",
        "资金情况",
        "资金投入",
        "全年预算数",
    ];
    let mut rows = Vec::new();
    for (i, &(start, end, role)) in found.iter().enumerate() {
        let next = found.get(i + 1).map_or(block.len(), |&(s, _, _)| s);
        let mut value_end = next;
        for stop in stops {
            if let Some(p) = block[end..value_end].find(stop) {
                value_end = end + p;
            }
        }
        let value = block[end..value_end].trim_start_matches([':', '：']);
        // Figures with the lines of their breakdown run on (`194.9194.9100%其中:中央…`) are
        // longer than a name.
        let longest = if value.starts_with(|c: char| c.is_ascii_digit()) {
            longest(role).max(120)
        } else {
            longest(role)
        };
        if value.is_empty() || value.chars().count() > longest {
            continue;
        }
        let value_start = value_end - value.len();
        rows.push(vec![
            compact.cell(file, start, end),
            compact.cell(file, value_start, value_end),
        ]);
    }
    rows
}

/// Comparators that open a target (`≥95%`, `不少于1次`), longer spellings before their prefixes
/// (`>=` before `>`); the prose-list reader uses them too.
pub(crate) const COMPARATORS: &[&str] = &[
    "大于等于",
    "小于等于",
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "≥",
    "≤",
    ">=",
    "<=",
    ">",
    "<",
    "＞",
    "＜",
    "≧",
    "≦",
];

/// A value token at `at`: an optional comparator, a number and an optional unit (`≥90%`, `500吨`,
/// `0起`, `1000万元`), or a known short answer (`是`, `无`). Returns its end.
fn value_at(text: &str, at: usize) -> Option<usize> {
    const UNITS: &[&str] = &[
        "万元",
        "亿元",
        "元",
        "%",
        "％",
        "‰",
        "人次",
        "万人",
        "人",
        "户",
        "家",
        "所",
        "台",
        "套",
        "件",
        "项",
        "万吨",
        "吨",
        "公里",
        "千米",
        "平方米",
        "万亩",
        "亩",
        "米",
        "个",
        "次",
        "天",
        "日",
        "月",
        "年",
        "小时",
        "起",
        "场",
        "辆",
        "座",
        "条",
        "处",
        "份",
        "篇",
        "批",
        "株",
        "头",
        "只",
        "种次",
        "万粒",
        "粒",
        "分",
        "分钟",
        "户次",
        "期",
        "批次",
        "学时",
        "课时",
        "周",
        "季度",
        "个月",
        "工作日",
        "万户",
        "万册",
        "册",
        "本",
        "张",
        "家次",
        "场次",
        "平方公里",
        "立方米",
        "万平方米",
        "公顷",
        "万人次",
        "床",
        "名",
        "所次",
        "车次",
        "门",
        "类",
        "支",
        "部",
        "栋",
        "间",
        "块",
        "棵",
        "例",
        "宗",
        // OCR's `%`.
        "$",
    ];
    let rest = &text[at..];
    // Words before a number that belong to the value (`各1次`, `约200人`).
    let lead = [
        "每月",
        "每年",
        "每季度",
        "各",
        "约",
        "达到",
        "超过",
        "低于",
        "高于",
        "大于",
        "小于",
        "控制在",
    ]
    .iter()
    .find(|w| rest.starts_with(**w) && rest[w.len()..].starts_with(|c: char| c.is_ascii_digit()))
    .map_or(0, |w| w.len());
    let at = at + lead;
    let rest = &text[at..];
    // `工` and `^` are how OCR prints `≥` (`工5%`, `^80%`); only before a digit.
    let comparator = COMPARATORS
        .iter()
        .chain(&["="])
        .find(|c| rest.starts_with(**c))
        .map(|c| c.len())
        .or_else(|| {
            ["工", "^"]
                .iter()
                .find(|c| {
                    rest.starts_with(**c)
                        && rest[c.len()..].starts_with(|d: char| d.is_ascii_digit())
                })
                .map(|c| c.len())
        })
        .unwrap_or(0);
    let digits_start = at + comparator;
    let bytes = text.as_bytes();
    let mut number = bytes[digits_start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if number == 0 {
        return None;
    }
    // One decimal point, followed by a digit.
    if bytes.get(digits_start + number) == Some(&b'.')
        && bytes
            .get(digits_start + number + 1)
            .is_some_and(u8::is_ascii_digit)
    {
        number += 1 + bytes[digits_start + number + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
    let mut end = digits_start + number;
    // A date: `11月30日前完成`, `2023年12月底前`.
    // (A year has four digits: `1年1年` is a duration printed twice.)
    if (text[end..].starts_with('年') && number == 4) || text[end..].starts_with('月') {
        let mut at = end;
        loop {
            let rest = &text[at..];
            let unit = ["年", "月", "日", "底"]
                .iter()
                .find(|u| rest.starts_with(**u));
            let Some(unit) = unit else { break };
            at += unit.len();
            let digits = text.as_bytes()[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            end = at;
            if digits == 0 {
                break;
            }
            at += digits;
        }
        for suffix in [
            "之前完成",
            "以前完成",
            "前完成",
            "之前",
            "以前",
            "前",
            "完成",
        ] {
            if text[end..].starts_with(suffix) {
                end += suffix.len();
                break;
            }
        }
        return Some(end);
    }
    let unit = UNITS
        .iter()
        .filter(|u| text[end..].starts_with(**u))
        .max_by_key(|u| u.len());
    if let Some(unit) = unit {
        end += unit.len();
        // A rate per something: `元/人次`, `元/人.月`, `元/生.学期`.
        if text[end..].starts_with('/') {
            let per = [
                "人次",
                "户次",
                "人",
                "户",
                "生",
                "次",
                "月",
                "年",
                "天",
                "亩",
                "个",
                "件",
                "台",
                "平方米",
                "公里",
                "吨",
                "例",
                "份",
                "宗",
                "校",
                "床",
                "头",
                "只",
                "株",
                "项",
                "辆",
                "场",
                "所",
                "班",
                "课时",
                "学时",
            ]
            .iter()
            .filter(|u| text[end + 1..].starts_with(**u))
            .max_by_key(|u| u.len());
            if let Some(per) = per {
                end += 1 + per.len();
                let period = ["学期", "季度", "年", "月", "天", "日", "次"]
                    .iter()
                    .find(|p| {
                        text[end..]
                            .strip_prefix('.')
                            .is_some_and(|r| r.starts_with(**p))
                    });
                if let Some(period) = period {
                    end += 1 + period.len();
                }
            }
        }
        // A day or month as a deadline: `每月25日前`.
        if matches!(*unit, "日" | "月" | "年") {
            for suffix in ["之前", "以前", "前"] {
                if text[end..].starts_with(suffix) {
                    end += suffix.len();
                    break;
                }
            }
        }
    }
    for suffix in ["以上", "以下", "以内", "左右"] {
        if text[end..].starts_with(suffix) {
            end += suffix.len();
            break;
        }
    }
    Some(end)
}

/// Answers in words that continue a run of values (`8是是8`, `8是基本达到7`): never its start,
/// and only when another value or answer follows, so that a name's words stay in the name.
fn answer_in_run(text: &str, at: usize) -> Option<usize> {
    const RUN_ANSWERS: &[&str] = &[
        "基本达到",
        "部分达到",
        "未达到",
        "基本达成",
        "部分达成",
        "未达成",
        "已完成",
        "未完成",
        "达到",
        "达成",
        "完成",
        "是",
        "否",
    ];
    let word = RUN_ANSWERS.iter().find(|w| text[at..].starts_with(**w))?;
    let end = at + word.len();
    let followed = end == text.len()
        || value_at(text, end).is_some()
        || RUN_ANSWERS.iter().any(|w| text[end..].starts_with(*w));
    followed.then_some(end)
}

/// A short answer in words at `at` (`无`, `是`, `已完成`), whatever follows it.
fn word_answer(text: &str, at: usize) -> Option<usize> {
    [
        "已完成",
        "未完成",
        "基本达到",
        "达到",
        "完成",
        "无",
        "是",
        "否",
    ]
    .iter()
    .find(|w| text[at..].starts_with(**w))
    .map(|w| at + w.len())
}

/// Words that answer a name in words, and end a run-together row (`…是否得到规范是`,
/// `…服务质量明显提升`).
const ANSWERS: &[&str] = &[
    "按时发放",
    "按时完成",
    "及时发放",
    "足额发放",
    "按时足额发放",
    "明显提升",
    "有所提升",
    "明显提高",
    "有所提高",
    "显著提高",
    "显著提升",
    "持续改善",
    "明显改善",
    "有所改善",
    "逐步提高",
    "稳步提升",
    "有效提升",
    "有效改善",
    "有效减少",
    "明显减少",
    "达标",
    "合格",
    "良好",
];

/// `text[start..end]` split before an answer in words at its end: a yes or no after a name that
/// asks (`是否`), or one of [`ANSWERS`].
fn split_answer(text: &str, start: usize, end: usize) -> Option<usize> {
    let cell = &text[start..end];
    if cell.contains("是否") && (cell.ends_with('是') || cell.ends_with('否')) {
        let at = end - '是'.len_utf8();
        return (text[start..at].chars().count() >= 2).then_some(at);
    }
    if let Some(at) = split_deadline(text, start, end) {
        return Some(at);
    }
    let at = ANSWERS
        .iter()
        .filter(|a| cell.ends_with(**a) && cell.chars().count() >= a.chars().count() + 2)
        .max_by_key(|a| a.len())
        .map(|a| end - a.len())?;
    // `较上年有所提高`: the comparison belongs to the answer.
    let at = ["较上年", "比上年", "较去年", "比去年"]
        .iter()
        .find(|w| text[start..at].ends_with(**w))
        .map_or(at, |w| at - w.len());
    (text[start..at].chars().count() >= 2).then_some(at)
}

/// `…完成时间每季度末前完成`, `…春节、中秋节前`: a deadline in words at the end of a cell,
/// from its first time word to a closing `前` or `完成`. Returns where it starts.
fn split_deadline(text: &str, start: usize, end: usize) -> Option<usize> {
    const TIME_WORDS: &[&str] = &[
        "每季度",
        "每月",
        "每年",
        "每周",
        "年底",
        "年末",
        "月底",
        "月末",
        "季度末",
        "春节",
        "中秋节",
        "元旦",
        "国庆",
        "上半年",
        "下半年",
        "汛期",
        "开学",
    ];
    let cell = &text[start..end];
    if !(cell.ends_with('前') || cell.ends_with("完成") || cell.ends_with("之前")) {
        return None;
    }
    let at = TIME_WORDS
        .iter()
        .filter_map(|w| cell.find(w))
        .min()
        .map(|p| start + p)?;
    (text[start..at].chars().count() >= 2).then_some(at)
}

/// Indicator rows from the grid body `from..to`.
fn indicator_rows(
    compact: &Compact,
    file: &Arc<str>,
    from: usize,
    to: usize,
    shape: &Shape,
    interleaved: Option<(usize, usize)>,
    profile: &Profile,
) -> Vec<Vec<Cell>> {
    let text = &compact.text[..to];
    // Some templates number the indicators of each 二级 (`指标1免费发放原原种…指标2…`): the
    // number opens an indicator and is not part of its name.
    let numbered = text[from..].contains("指标1") && text[from..].contains("指标2");
    let mut next_number = 1u32;
    let mut current_level1: Option<String> = None;
    // Category names with their codes, longest first: `社会公众或服务对象满意度指标` before
    // `满意度指标`.
    let mut categories: Vec<String> = profile
        .data()
        .level1
        .iter()
        .chain(&profile.data().level2)
        .flat_map(|d| std::iter::once(d.name.to_string()).chain(d.aliases.iter().cloned()))
        .filter(|w| w.ends_with("指标") || w.chars().count() >= 4)
        .collect();
    categories.sort_by_key(|w| std::cmp::Reverse(w.len()));
    categories.dedup();
    // Short 二级 names (`数量`, `质量`) count only right after an 一级: elsewhere they are words of
    // a name.
    let mut short: Vec<String> = profile
        .data()
        .level2
        .iter()
        .flat_map(|d| std::iter::once(d.name.to_string()).chain(d.aliases.iter().cloned()))
        .filter(|w| !(w.ends_with("指标") || w.chars().count() >= 4))
        .collect();
    short.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let category_at = |at: usize, after_level1: bool| -> Option<usize> {
        let rest = &text[at..];
        categories
            .iter()
            .chain(short.iter().filter(|_| after_level1))
            .find(|w| rest.starts_with(w.as_str()))
            .map(|w| at + w.len())
            .or_else(|| {
                // `出标产指`: an 一级 whose vertical characters came out of order.
                let four: usize = rest.chars().take(4).map(char::len_utf8).sum();
                profile.level1_scrambled(&rest[..four]).map(|_| at + four)
            })
    };
    // Tokens: categories, and between them content.
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // A 二级 printed among the header's words opens the first row.
    let mut row: Vec<Cell> = interleaved
        .map(|(s, e)| compact.cell(file, s, e))
        .into_iter()
        .collect();
    let mut pos = from;
    let mut content_start = from;
    let flush_content =
        |start: usize, end: usize, row: &mut Vec<Cell>, rows: &mut Vec<Vec<Cell>>| {
            if start >= end {
                return;
            }
            // The copy stops inside this content: its last cell may be cut.
            let cut = end == compact.text.len();
            for (i, indicator) in split_content(text, start, end, shape, cut, &compact.gaps)
                .into_iter()
                .enumerate()
            {
                if i > 0 {
                    rows.push(std::mem::take(row));
                }
                for (s, e) in indicator {
                    row.push(compact.cell(file, s, e));
                }
            }
        };
    while pos < text.len() {
        // A grid's side label run into the body (`项目绩效指标`) is read past.
        if let Some(label) = ["项目绩效指标", "年度绩效指标", "绩效指标"]
            .iter()
            .find(|w| text[pos..].starts_with(**w) && category_at(pos + w.len(), false).is_none())
        {
            flush_content(content_start, pos, &mut row, &mut rows);
            if row.iter().any(|c| {
                profile.level1(&c.text).is_none() && profile.level2(&c.text, None).is_none()
            }) {
                rows.push(std::mem::take(&mut row));
            }
            pos += label.len();
            content_start = pos;
            continue;
        }
        if numbered {
            let marker = format!("指标{next_number}");
            if text[pos..].starts_with(&marker) {
                flush_content(content_start, pos, &mut row, &mut rows);
                let named = row.iter().any(|c| {
                    profile.level1(&c.text).is_none() && profile.level2(&c.text, None).is_none()
                });
                if named {
                    rows.push(std::mem::take(&mut row));
                }
                next_number += 1;
                pos += marker.len();
                content_start = pos;
                continue;
            }
        }
        // A grading template's 评价标准确定依据 after a row's values (`按服务对象满意度评价`) holds
        // no category.
        if shape.described
            && shape.has_reason
            && pos > content_start
            && text[..pos].ends_with(|c: char| c.is_ascii_digit() || c == '%')
            && value_at(text, pos).is_none()
            && let Some(end) = basis_end(text, pos, text.len())
        {
            pos = end;
            continue;
        }
        // …or right after a row's last value (`…1000万元10时效1年…`).
        let after_level1 = (pos == content_start
            && row
                .last()
                .is_some_and(|c| profile.level1(&c.text).is_some()))
            || (pos > content_start
                && text[..pos].ends_with(|c: char| c.is_ascii_digit() || c == '%')
                && value_at(text, pos).is_none());
        // A bare 二级 word of another 一级 (`监督检查` under 产出) starts a name
        // (`监督检查户次`), not a category.
        let category = category_at(pos, after_level1).filter(|&end| {
            let word = &text[pos..end];
            word.ends_with("指标")
                || profile.level1(word).is_some()
                || current_level1.is_none()
                || profile
                    .level2(word, None)
                    .is_none_or(|d| d.parent.as_deref() == current_level1.as_deref())
        });
        if let Some(end) = category {
            // (`成本` after 产出 is its 二级, not the 成本指标 一级.)
            let under_current = profile
                .level2(&text[pos..end], current_level1.as_deref())
                .is_some_and(|d| d.parent.is_some() && d.parent == current_level1);
            if let Some(def) = profile.level1(&text[pos..end]).filter(|_| !under_current) {
                current_level1 = Some(def.code.to_string());
            }
            flush_content(content_start, pos, &mut row, &mut rows);
            // A category after a name opens a row, and so does a second 二级 or an 一级 after a
            // category (the category before had no indicator: `成本指标……`).
            let is_level1 = profile.level1(&text[pos..end]).is_some();
            let named = row.iter().any(|c| {
                profile.level1(&c.text).is_none() && profile.level2(&c.text, None).is_none()
            });
            let has_level2 = row.iter().any(|c| {
                profile.level1(&c.text).is_none() && profile.level2(&c.text, None).is_some()
            });
            // `成本指标` (an 一级 of one framework, a 二级 of the other) then `经济效益指标`, which is
            // not one of its 二级: the first had no indicator.
            let parent = profile
                .level2(&text[pos..end], None)
                .and_then(|d| d.parent.as_deref());
            let foreign = parent.is_some()
                && row.last().is_some_and(|c| {
                    profile.level2(&c.text, None).is_some()
                        && profile
                            .level1(&c.text)
                            .is_some_and(|d| Some(d.code.as_str()) != parent)
                });
            // `满意度指标服务对象满意度`: a name that is an 一级 of one framework is a 二级 right
            // after its own 一级.
            let child_of_last = parent.is_some()
                && row
                    .last()
                    .and_then(|c| profile.level1(&c.text))
                    .is_some_and(|d| Some(d.code.as_str()) == parent);
            if named || has_level2 || foreign || (is_level1 && !row.is_empty() && !child_of_last) {
                rows.push(std::mem::take(&mut row));
            }
            // The category's points (`产出指标(40分)`) stay in its cell.
            let end = end + points_suffix(&text[end..]);
            row.push(compact.cell(file, pos, end));
            pos = end;
            next_number = 1;
            // `生态效益指标1病害减少`: the category took the number's `指标`.
            if numbered && text[..pos].ends_with("指标") && text[pos..].starts_with("1") {
                next_number = 2;
                pos += 1;
            }
            content_start = pos;
            continue;
        }
        pos += text[pos..].chars().next().map_or(1, char::len_utf8);
    }
    flush_content(content_start, text.len(), &mut row, &mut rows);
    if !row.is_empty() {
        rows.push(row);
    }
    // A 二级 followed by a name alone (the value cut off) reads as a name and a value to the sheet
    // reader; an empty value cell says which it is. A value alone (`数量指标88100`: the name
    // cell was empty) is left as it is.
    for row in &mut rows {
        if let [.., category, name] = row.as_slice()
            && profile.level2(&category.text, None).is_some()
            && profile.level2(&name.text, None).is_none()
            && profile.level1(&name.text).is_none()
            && value_at(&name.text, 0) != Some(name.text.len())
        {
            let span = name.span.clone();
            row.push(Cell {
                text: Str::default(),
                span,
                col: None,
            });
        }
    }
    rows
}

/// The length of a category's points right after its name: `(40分)`, `（分）`, `40分`.
fn points_suffix(rest: &str) -> usize {
    let open = ["(", "（"].iter().find(|o| rest.starts_with(**o));
    let inner = &rest[open.map_or(0, |o| o.len())..];
    let digits = inner
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    if !inner[digits..].starts_with('分')
        || inner[digits..].starts_with("分钟")
        || (open.is_none() && digits == 0)
    {
        return 0;
    }
    let mut len = open.map_or(0, |o| o.len()) + digits + '分'.len_utf8();
    if open.is_some() {
        match [")", "）"].iter().find(|c| rest[len..].starts_with(**c)) {
            Some(close) => len += close.len(),
            None => return 0,
        }
    }
    len
}

/// Splits the text between categories into indicators: each a name followed by a run of value
/// tokens. Runs of as many values as the header has value columns are preferred; a run that is
/// part of a name (`5000吨稻谷`) is shorter and followed by more name.
fn split_content(
    text: &str,
    start: usize,
    end: usize,
    shape: &Shape,
    cut: bool,
    gaps: &[usize],
) -> Vec<Vec<(usize, usize)>> {
    let per_row = shape.per_row();
    // Value runs: (start, [token ranges]).
    let mut runs: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    let mut at = start;
    // Where the name being read began: a `是` or `否` after its `是否` answers it (`重大传染病
    // 是否得到有效防控是居民健康素养水平…`), when more text follows to be the next name.
    let mut name_from = start;
    while at < end {
        let answers_question = (text[at..].starts_with('是') || text[at..].starts_with('否'))
            && !text[at..].starts_with("是否")
            && text[name_from..at]
                .find("是否")
                .is_some_and(|q| name_from + q + "是否".len() < at)
            && end - at > '是'.len_utf8() * 3;
        let first = value_at(text, at)
            .or_else(|| answers_question.then(|| at + '是'.len_utf8()))
            .filter(|&e| e <= end);
        if let Some(first_end) = first {
            let mut tokens = vec![(at, first_end)];
            let mut next = first_end;
            while let Some(e) = value_at(text, next)
                .or_else(|| answer_in_run(&text[..end], next))
                .filter(|&e| e <= end)
            {
                tokens.push((next, e));
                next = e;
            }
            runs.push((at, tokens));
            at = next;
            name_from = next;
            continue;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    // A name has two characters at least, one of them a letter or an ideograph (not `……`).
    let name_ok = |s: usize, e: usize| {
        text[s..e].chars().count() >= 2 && text[s..e].chars().any(char::is_alphanumeric)
    };
    // No value at all, and names that end alike (`国家奖学金人数国家助学金人数应征入伍人数`): a
    // copy whose numbers were stripped, one name per row.
    if runs.is_empty()
        && per_row >= 2
        && let Some(names) = split_parallel_names(text, start, end)
    {
        return names
            .into_iter()
            .map(|(s, e)| vec![(s, e), (e, e)])
            .collect();
    }
    if runs.is_empty()
        && let Some(rows) = split_spaced_answers(text, start, end, gaps)
    {
        return rows;
    }
    let pick = |full_only: bool| -> Vec<Vec<(usize, usize)>> {
        let mut indicators: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut name_start = start;
        let mut last_full = false;
        // Values with no name before them and nothing after but marks (`成本指标88100…`): an
        // indicator whose name cell was empty.
        if let [(run_start, tokens)] = runs.as_slice()
            && *run_start == start
            && tokens.len() <= per_row
            && let Some(&(_, last)) = tokens.last()
            && !name_ok(last, end)
        {
            return vec![tokens.clone()];
        }
        for (run_start, tokens) in &runs {
            let mut last = tokens.last().map_or(*run_start, |t| t.1);
            let tokens = &split_doubled_last(text, tokens, per_row);
            // More values than columns: the first ones end the name (`…收入达到5亿元` then
            // `5亿元 6.47亿元 10`; `1年` then `1年 1年 10`).
            let extra = if per_row >= 2 {
                tokens.len().saturating_sub(per_row)
            } else {
                0
            };
            let name_end = extra.checked_sub(1).map_or(*run_start, |i| tokens[i].1);
            let mut tokens = tokens[extra..].to_vec();
            // One value short, then a word before the 未完成原因 (`100%无没有轮换`): the actual
            // was written in words.
            if shape.has_reason
                && tokens.len() + 1 == per_row
                && let Some(e) = word_answer(&text[..end], last)
            {
                tokens.push((last, e));
                last = e;
            }
            let full = tokens.len() >= per_row;
            let at_end = last >= end;
            if name_end <= name_start || !name_ok(name_start, name_end) {
                continue;
            }
            if full_only && !full && !at_end {
                continue;
            }
            let mut cells = if shape.described {
                // The previous row's last cell (`按临时救助标准评价`), then the name and its
                // description.
                let mut from = name_start;
                if shape.has_reason
                    && let Some(previous) = indicators.last_mut()
                    && let Some(end) =
                        basis_end(text, name_start, name_end).filter(|&e| name_end - e >= 6)
                {
                    previous.push((name_start, end));
                    from = end;
                }
                let at = name_end_before_description(text, from, name_end).unwrap_or(name_end);
                vec![(from, at), (at, name_end)]
            } else {
                split_repeated(text, name_start, name_end, per_row)
            };
            let tokens = split_fused_points(text, &tokens, shape);
            cells.extend(split_doubled(text, &tokens, shape));
            indicators.push(cells);
            name_start = last;
            last_full = tokens.len() >= per_row;
        }
        // After a full row of values, the rest is the row's 未完成原因 when the header has one.
        if shape.has_reason
            && last_full
            && name_start < end
            && per_row >= 2
            && !runs.iter().any(|(s, _)| *s >= name_start)
        {
            if let Some(last) = indicators.last_mut() {
                last.push((name_start, end));
            }
            return indicators;
        }
        if name_start < end && name_ok(name_start, end) {
            // A name with no value (an empty or cut cell), a value in words printed after it as
            // often as there are columns (`成本控制不超过预算不超过预算`), or an answer in words.
            let repeated = split_repeated(text, name_start, end, per_row);
            let cut_repeat = (cut && per_row >= 2 && repeated.len() == 1)
                .then(|| split_cut_repeat(text, name_start, end))
                .flatten();
            match split_answer(text, name_start, end) {
                Some(at) if repeated.len() == 1 => {
                    indicators.push(vec![(name_start, at), (at, end)]);
                }
                _ => indicators.push(cut_repeat.unwrap_or(repeated)),
            }
        }
        indicators
    };
    let preferred = pick(true);
    if preferred.iter().any(|i| i.len() > 1) {
        preferred
    } else {
        pick(false)
    }
}

/// Where a grading template's 评价标准确定依据 cell ends when the next row's name follows it with
/// nothing between (`按临时救助标准评价农村低保…`): after its closing `评价` (or `为准`, `为依据`).
fn basis_end(text: &str, start: usize, end: usize) -> Option<usize> {
    ["评价", "为准", "为依据"]
        .iter()
        .filter_map(|w| text[start..end].find(w).map(|at| start + at + w.len()))
        .filter(|&at| text[start..at].chars().count() >= 4)
        .min()
}

/// Where an indicator's name ends when its description follows with nothing between
/// (`救助覆盖率困难群众基本生活救助是否应救尽救`): at the first word that ends a name (`率`,
/// `度`, `数`…), three characters in at least, with a unit in brackets after it (`满意度(%)`).
fn name_end_before_description(text: &str, start: usize, end: usize) -> Option<usize> {
    const ENDINGS: &[&str] = &[
        "率", "度", "数", "量", "比例", "时间", "时限", "金额", "面积", "长度", "成本",
    ];
    // Words that end in an ending without ending a name, and words that start with one.
    const NOT_ENDS: &[&str] = &["年度", "季度", "制度"];
    const GOES_ON: &[&str] = &["数量", "数据", "数额", "数字", "量化", "度量"];
    let cell = &text[start..end];
    let mut chars = cell.char_indices().skip(2);
    chars.find_map(|(i, c)| {
        let at = i + c.len_utf8();
        let ending = ENDINGS.iter().any(|w| cell[..at].ends_with(w));
        let inside = NOT_ENDS.iter().any(|w| cell[..at].ends_with(w))
            || GOES_ON.iter().any(|w| cell[i..].starts_with(w));
        if !ending || inside {
            return None;
        }
        let unit = ["(", "（"]
            .iter()
            .find(|o| cell[at..].starts_with(**o))
            .and_then(|_| cell[at..].find([')', '）']).filter(|&close| close <= 12))
            .map_or(0, |close| {
                close + cell[at + close..].chars().next().map_or(1, char::len_utf8)
            });
        let name_end = at + unit;
        (cell[name_end..].chars().count() >= 4).then_some(start + name_end)
    })
}

/// A name that ends with the same words printed two or three times (`专款专用专款专用专款专用`):
/// the target and the actual in words, run onto the name. Returns the name and those cells.
fn split_repeated(text: &str, start: usize, end: usize, per_row: usize) -> Vec<(usize, usize)> {
    let cell = &text[start..end];
    let chars: Vec<(usize, char)> = cell.char_indices().collect();
    if per_row >= 2 {
        for len in (1..=12).rev() {
            if chars.len() < len * 2 + 2 {
                continue;
            }
            let second = chars[chars.len() - len].0;
            let first = chars[chars.len() - 2 * len].0;
            // One character twice only for a one-character answer (`高高`, `是是`).
            let answer = len > 1
                || matches!(
                    chars[chars.len() - 1].1,
                    '高' | '低' | '优' | '良' | '中' | '差' | '是' | '否' | '有' | '无'
                );
            if answer
                && cell[first..second] == cell[second..]
                && cell[second..].chars().any(char::is_alphanumeric)
            {
                let name_end = start + first;
                return vec![
                    (start, name_end),
                    (name_end, start + second),
                    (start + second, end),
                ];
            }
        }
    }
    vec![(start, end)]
}

/// A space-joined row whose values are words, with nothing between one row's value and the next
/// row's name (`损失量 有效减少对维护社会稳定的作用 通过预警信息的发布，……因素。对促进`): each space
/// ends a name, and the piece after it is a value — an answer in words ([`ANSWERS`]) or prose up
/// to its last full stop — run into the next name. The first value must be an answer in words,
/// and every piece but the last must hold a value and a name; `None` otherwise (a space inside a
/// cell, `为周边 群众提供…`).
fn split_spaced_answers(
    text: &str,
    start: usize,
    end: usize,
    gaps: &[usize],
) -> Option<Vec<Vec<(usize, usize)>>> {
    let from = gaps.partition_point(|&g| g <= start);
    let inner: Vec<usize> = gaps[from..]
        .iter()
        .copied()
        .take_while(|&g| g < end)
        .collect();
    if inner.is_empty() {
        return None;
    }
    let answer_end = |at: usize, to: usize| -> Option<usize> {
        ANSWERS
            .iter()
            .filter(|a| text[at..to].starts_with(**a))
            .max_by_key(|a| a.len())
            .map(|a| at + a.len())
    };
    let mut rows = Vec::new();
    let mut name_start = start;
    let bounds: Vec<usize> = inner.iter().copied().chain([end]).collect();
    for (i, window) in bounds.windows(2).enumerate() {
        let (piece, piece_end) = (window[0], window[1]);
        let last = i + 2 == bounds.len();
        let value_end = answer_end(piece, piece_end).or_else(|| {
            (i > 0)
                .then(|| text[piece..piece_end].rfind('。'))
                .flatten()
                .map(|p| piece + p + '。'.len_utf8())
        });
        let value_end = match value_end {
            Some(e) => e,
            None if last && i > 0 => piece_end,
            None => return None,
        };
        if !last && value_end >= piece_end {
            return None;
        }
        if text[name_start..piece].chars().count() < 2 {
            return None;
        }
        rows.push(vec![(name_start, piece), (piece, value_end)]);
        name_start = value_end;
    }
    if name_start < end && text[name_start..end].chars().any(char::is_alphanumeric) {
        rows.push(vec![(name_start, end)]);
    }
    Some(rows)
}

/// The last cell of a copy that stops inside a row whose target and actual are the same words
/// (`提供医疗服务服务范围扩大服务范`): the name, the target, and the actual cut off after three
/// characters or more, the start of the target. Returns those three cells.
fn split_cut_repeat(text: &str, start: usize, end: usize) -> Option<Vec<(usize, usize)>> {
    let cell = &text[start..end];
    let chars: Vec<usize> = cell.char_indices().map(|(i, _)| i).collect();
    for k in (3..=8).rev() {
        if chars.len() < 2 * k + 5 {
            continue;
        }
        let tail = chars[chars.len() - k];
        let cut_off = &cell[tail..];
        if !cut_off.chars().all(char::is_alphanumeric) {
            continue;
        }
        // The target: longer than what is left of the actual, twelve characters at most, and
        // after a name of four characters at least.
        let Some(target) = (chars.len().saturating_sub(k + 12).max(4)..chars.len() - 2 * k)
            .map(|i| chars[i])
            .find(|&i| cell[i..tail].starts_with(cut_off))
        else {
            continue;
        };
        if cell[target..tail].chars().all(char::is_alphanumeric) {
            return Some(vec![
                (start, start + target),
                (start + target, start + tail),
                (start + tail, end),
            ]);
        }
    }
    None
}

/// Names with no value, run together, that all end with the same word (three names at least:
/// `…人数`, `…人均资助`; two for the one-character endings `率` and `度`): one name per piece. A piece may open with the `分` and the
/// bracketed remark (`分(因…)`) left of the row before when its numbers were stripped; they are
/// not part of the name. Each name is short and has no punctuation; `None` otherwise.
fn split_parallel_names(text: &str, start: usize, end: usize) -> Option<Vec<(usize, usize)>> {
    let cell = &text[start..end];
    // Where text is outside brackets.
    let mut depth = 0i32;
    let outside: Vec<(usize, bool)> = cell
        .char_indices()
        .map(|(i, c)| {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth -= 1,
                _ => {}
            }
            (i, depth == 0 && !matches!(c, ')' | '）'))
        })
        .collect();
    let count = outside.len();
    let ending = (1..=6usize).rev().filter(|&n| n < count).find_map(|n| {
        let word = &cell[outside[count - n].0..];
        let ends: Vec<usize> = cell
            .match_indices(word)
            .filter(|(i, _)| outside.iter().any(|&(j, out)| j == *i && out))
            .map(|(i, _)| i + word.len())
            .collect();
        // Two names that share a longer word may be one name that repeats it.
        let enough = if n >= 2 {
            ends.len() >= 3
        } else {
            matches!(word, "率" | "度") && ends.len() >= 2
        };
        enough.then_some(ends)
    })?;
    let mut names = Vec::new();
    let mut from = 0;
    for piece_end in ending {
        let mut s = from;
        if s > 0 {
            // The `分` of a stripped score, then a bracketed remark.
            if cell[s..].starts_with('分') {
                s += '分'.len_utf8();
            }
            if cell[s..].starts_with(['(', '（'])
                && let Some(close) = cell[s..piece_end].find([')', '）'])
            {
                s += close + cell[s + close..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let name = &cell[s..piece_end];
        let chars = name.chars().count();
        if !(3..=20).contains(&chars)
            || !name.chars().all(char::is_alphanumeric)
            || name.starts_with(['和', '及', '与', '并', '或'])
        {
            return None;
        }
        names.push((start + s, start + piece_end));
        from = piece_end;
    }
    Some(names)
}

/// When the points come first (`分值` before `指标值`), the weight runs into the target: `8550万粒`
/// then `550万粒` is 8 and 550万粒 twice. A first token that is one or two digits followed by the
/// next token (its comparator aside) is split there.
fn split_fused_points(text: &str, tokens: &[(usize, usize)], shape: &Shape) -> Vec<(usize, usize)> {
    let mut tokens = tokens.to_vec();
    if shape.values.first() != Some(&ColumnRole::Weight) || tokens.len() >= shape.per_row() {
        return tokens;
    }
    let (Some(&(s0, e0)), Some(&(s1, e1))) = (tokens.first(), tokens.get(1)) else {
        return tokens;
    };
    let bare = |t: &str| -> String {
        t.trim_start_matches(|c: char| !c.is_ascii_digit())
            .to_owned()
    };
    let first = &text[s0..e0];
    let second = bare(&text[s1..e1]);
    for k in 1..=2 {
        if first.len() > k
            && first.as_bytes()[..k].iter().all(u8::is_ascii_digit)
            && first.as_bytes()[k].is_ascii_digit()
            && first[k..] == second
        {
            tokens.splice(0..1, [(s0, s0 + k), (s0 + k, e0)]);
            break;
        }
    }
    tokens
}

/// A run whose last token is a small number printed twice (`32.1公里` then `2020`: the name's
/// length, then 20 and 20), when the run has no more tokens than the header has value columns:
/// that token is split, and the run's first token then ends the name.
fn split_doubled_last(
    text: &str,
    tokens: &[(usize, usize)],
    per_row: usize,
) -> Vec<(usize, usize)> {
    let mut tokens = tokens.to_vec();
    if per_row < 2 || tokens.len() < 2 || tokens.len() > per_row {
        return tokens;
    }
    let Some(&(s, e)) = tokens.last() else {
        return tokens;
    };
    let token = &text[s..e];
    if let Some(half) = doubled_half(token)
        && token[..half].parse::<u32>().is_ok_and(|n| n <= 100)
    {
        tokens.pop();
        tokens.extend([(s, s + half), (s + half, e)]);
    }
    tokens
}

/// Value tokens of a run, splitting a number printed twice with nothing between (`2020` for 20 and
/// 20, `00`) when the header has two value columns and the run one token; with target, actual
/// and score columns, a number printed twice and then the score (`6620`: 6, 6 and 20).
fn split_doubled(text: &str, tokens: &[(usize, usize)], shape: &Shape) -> Vec<(usize, usize)> {
    let per_row = shape.per_row();
    if per_row >= 2
        && let [(s, e)] = tokens
    {
        if let Some(half) = doubled_half(&text[*s..*e]) {
            return vec![(*s, s + half), (s + half, *e)];
        }
        if shape
            .values
            .starts_with(&[ColumnRole::Value, ColumnRole::Actual, ColumnRole::Score])
            && let Some(k) = doubled_then_score(&text[*s..*e])
        {
            return vec![(*s, s + k), (s + k, s + 2 * k), (s + 2 * k, *e)];
        }
    }
    tokens.iter().take(per_row.max(1)).copied().collect()
}

/// Where the first of a number printed twice ends when a score (one to three digits, 100 at most)
/// follows: `6620` → 1. `None` when no split or more than one fits.
fn doubled_then_score(token: &str) -> Option<usize> {
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut fits = (1..=token.len() / 2).filter(|&k| {
        let score = &token[2 * k..];
        token[..k] == token[k..2 * k]
            && (1..=3).contains(&score.len())
            && (score == "0" || !score.starts_with('0'))
            && score.parse::<u32>().is_ok_and(|n| n <= 100)
    });
    match (fits.next(), fits.next()) {
        (Some(k), None) => Some(k),
        _ => None,
    }
}

/// Where a number printed twice with nothing between splits (`2020` → 2 bytes, `00` → 1).
fn doubled_half(token: &str) -> Option<usize> {
    let half = token.len() / 2;
    (!token.is_empty()
        && token.len().is_multiple_of(2)
        && token.bytes().all(|b| b.is_ascii_digit())
        && token[..half] == token[half..])
        .then_some(half)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`column_at`] as it was, trying every column word.
    fn column_at_by_each(text: &str, at: usize) -> Option<(usize, ColumnRole)> {
        let rest = &text[at..];
        let (word, role) = column_words()
            .iter()
            .find(|(w, _)| rest.starts_with(w.as_str()))?;
        Some((past_note(text, at + word.len()), *role))
    }

    #[test]
    fn column_words_are_found_as_by_trying_each() {
        let every: String = column_words().iter().map(|(w, _)| w.as_str()).collect();
        for text in [
            every.as_str(),
            "一级指标二级指标三级指标指标值（包含数字及文字描述）年度指标值(A)权重分值",
            "项目名称绩效目标年度目标实施周期一级二级三级ab指标名称",
            "",
        ] {
            for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                assert_eq!(
                    column_at(text, at),
                    column_at_by_each(text, at),
                    "{text} {at}"
                );
            }
        }
    }

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text.to_string()).collect())
            .collect()
    }

    #[test]
    fn value_tokens() {
        assert_eq!(value_at("≥90%后", 0), Some("≥90%".len()));
        assert_eq!(value_at("500吨成品粮", 0), Some("500吨".len()));
        assert_eq!(value_at("32.1公里", 0), Some("32.1公里".len()));
        assert_eq!(value_at("2020......", 0), Some(4));
        assert_eq!(value_at("公里", 0), None);
    }

    #[test]
    fn run_together_self_evaluation_is_put_back_in_rows() {
        let text = "专项资金名称县级储备粮负责人及电话某某\n绩 效 指 标一级 指标二级 指标三级指标年度指标 值全年 完成值未完成原因和 改进措施产 出 指 标数量 指标5000吨稻谷、500吨成 品粮储备到位率100%100%库存数量真实率100%\n2、100%质量 指标库存粮 食明显变质比例00满意 度指 标市民满意度调查≥90%96%说明无";
        let file: Arc<str> = Arc::from("t.txt");
        let rows = rows(&file, text, &Profile::builtin()).expect("a header");
        let rows = texts(&rows);
        assert_eq!(rows[0], ["专项资金名称", "县级储备粮"]);
        assert!(rows.contains(&vec![
            "产出指标".to_owned(),
            "数量指标".to_owned(),
            "5000吨稻谷、500吨成品粮储备到位率".to_owned(),
            "100%".to_owned(),
            "100%".to_owned()
        ]));
        assert!(rows.contains(&vec![
            "库存数量真实率".to_owned(),
            "100%".to_owned(),
            "100%".to_owned()
        ]));
        // A number printed twice with nothing between is the target and the actual.
        assert!(rows.contains(&vec![
            "质量指标".to_owned(),
            "库存粮食明显变质比例".to_owned(),
            "0".to_owned(),
            "0".to_owned()
        ]));
        assert!(rows.contains(&vec![
            "满意度指标".to_owned(),
            "市民满意度调查".to_owned(),
            "≥90%".to_owned(),
            "96%".to_owned()
        ]));
    }

    #[test]
    fn closing_remarks_after_the_grid_are_rows_of_a_label_and_its_text() {
        let text = "项目名称某县困难群众救助绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分\
                    产出指标数量指标救助人数≥100人120人2020满意度指标服务对象满意度指标受助群众满意度≥90%95%1010\
                    总分100100评价结论结合自评情况,说明项目自评总分。(200字以内)存在问题暂无\
                    改进措施:加强资金监管项目负责人:某某";
        let file: Arc<str> = Arc::from("t.txt");
        let rows = texts(&rows(&file, text, &Profile::builtin()).expect("a header"));
        let tail: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r.len() == 2 && REMARK_LABELS.contains(&r[0].as_str()))
            .collect();
        assert_eq!(
            tail,
            [
                &vec![
                    "评价结论".to_owned(),
                    "结合自评情况,说明项目自评总分。(200字以内)".to_owned()
                ],
                &vec!["存在问题".to_owned(), "暂无".to_owned()],
                &vec!["改进措施".to_owned(), "加强资金监管".to_owned()],
            ]
        );
    }

    #[test]
    fn numbered_indicators_with_points_first_are_split() {
        // The Ningxia self-evaluation: 分值 before 指标值, `指标1` before each name, the weight run
        // into the target, OCR's `工` for `≥`, answers in words and a 未完成原因 after the score.
        let text = "项目名称马铃薯项目\n一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及改进措施产出指标(40分)数量指标指标1免费发放原原种8550万粒550万粒8指标2一级种薯繁育基地8000亩8535.5亩效益指标(40分)经济效益指标指标1种薯亩均收入较鲜薯亩均收入8工5%工5%8生态效益指标1农药量较上年减少82%2%8可持续影响指标持续完善种薯繁育体系8是基本达到7加强技术指导满意度指标(20分)服务对象满意度种植农户调";
        let file: Arc<str> = Arc::from("t.txt");
        let rows = texts(&rows(&file, text, &Profile::builtin()).expect("a header"));
        let expect = |cells: &[&str]| {
            assert!(
                rows.contains(&cells.iter().map(|c| (*c).to_owned()).collect()),
                "{cells:?} not in {rows:#?}"
            );
        };
        expect(&[
            "产出指标(40分)",
            "数量指标",
            "免费发放原原种",
            "8",
            "550万粒",
            "550万粒",
            "8",
        ]);
        expect(&["一级种薯繁育基地", "8000亩", "8535.5亩"]);
        expect(&[
            "效益指标(40分)",
            "经济效益指标",
            "种薯亩均收入较鲜薯亩均收入",
            "8",
            "工5%",
            "工5%",
            "8",
        ]);
        expect(&["生态效益指标", "农药量较上年减少", "8", "2%", "2%", "8"]);
        expect(&[
            "可持续影响指标",
            "持续完善种薯繁育体系",
            "8",
            "是",
            "基本达到",
            "7",
            "加强技术指导",
        ]);
        expect(&["满意度指标(20分)", "服务对象满意度", "种植农户调", ""]);
    }

    #[test]
    fn a_headless_fragment_is_read_when_its_grid_starts_with_a_category_pair() {
        let text = "产出指标数量指标足额保障率=100% 22.5 科目调整次数≤10次 22.5 时效指标按时发放率=100% 22.5 合计100 评价结论及时";
        let file: Arc<str> = Arc::from("t.txt");
        let rows = texts(&rows(&file, text, &Profile::builtin()).expect("a grid"));
        assert_eq!(
            rows[0],
            ["一级指标", "二级指标", "三级指标", "指标值", "权重"]
        );
        assert!(rows.contains(&vec![
            "产出指标".to_owned(),
            "数量指标".to_owned(),
            "足额保障率".to_owned(),
            "=100%".to_owned(),
            "22.5".to_owned()
        ]));
        // Prose that names categories but holds no grid is not read as one.
        let prose = "产出指标数量指标是衡量项目产出的指标，效益指标应当具体。";
        assert!(rows_of(prose).is_none());
    }

    #[test]
    fn extra_values_end_the_name_and_short_categories_follow_a_value() {
        // Hubei's self-evaluation: target, actual and score after each name; `成本` and `时效`
        // (short 二级 names) right after a row's score; a name ending in a number.
        let text = "一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标成本控制不超过预算不超过预算10成本每年财政补助1000万元1000万元1000万元10时效1年1年1年10效益指标经济效益医疗收入达到5亿元5亿元6.47亿元10";
        let rows = texts(&rows_of(text).expect("a header"));
        let expect = |cells: &[&str]| {
            assert!(
                rows.contains(&cells.iter().map(|c| (*c).to_owned()).collect()),
                "{cells:?} not in {rows:#?}"
            );
        };
        expect(&["成本", "每年财政补助1000万元", "1000万元", "1000万元", "10"]);
        expect(&["时效", "1年", "1年", "1年", "10"]);
        expect(&[
            "效益指标",
            "经济效益",
            "医疗收入达到5亿元",
            "5亿元",
            "6.47亿元",
            "10",
        ]);
        // A number after the name's own figure, printed twice: 20 and 20.
        let text = "一级指标二级指标三级指标指标值全年实际完成值数量指标建设普通省道二级公路32.1公里2020满意度指标服务对象满意度指标群众满意度2020……说明";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(rows.contains(&vec![
            "数量指标".to_owned(),
            "建设普通省道二级公路32.1公里".to_owned(),
            "20".to_owned(),
            "20".to_owned()
        ]));
        assert!(rows.iter().any(|r| r.ends_with(&[
            "群众满意度".to_owned(),
            "20".to_owned(),
            "20".to_owned()
        ])));
    }

    #[test]
    fn grid_after_grid_each_opens_with_its_header() {
        // A 长期 grid, then the 年度 one, each with its header; an empty name cell (`88100…`).
        let text = "长期绩效指标一级指标二级指标指标内容指标值备注产出指标数量指标88100成本指标88100…年度绩效指标一级指标二级指标指标内容指标值备注产出指标数量指标培训人次≥300人次";
        let rows = texts(&rows_of(text).expect("a header"));
        let headers = rows
            .iter()
            .filter(|r| r.first().is_some_and(|c| c == "一级指标"))
            .count();
        assert_eq!(headers, 2, "{rows:#?}");
        assert!(
            rows.contains(&vec!["成本指标".to_owned(), "88100".to_owned()]),
            "{rows:#?}"
        );
        assert!(rows.contains(&vec![
            "产出指标".to_owned(),
            "数量指标".to_owned(),
            "培训人次".to_owned(),
            "≥300人次".to_owned()
        ]));
    }

    fn rows_of(text: &str) -> Option<Vec<Vec<Cell>>> {
        rows(&Arc::from("t.txt"), text, &Profile::builtin())
    }

    #[test]
    fn words_repeated_after_a_name_are_its_values() {
        let text = "成本控制不超过预算不超过预算";
        let cells = split_repeated(text, 0, text.len(), 2);
        let parts: Vec<&str> = cells.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(parts, ["成本控制", "不超过预算", "不超过预算"]);
    }

    #[test]
    fn a_cut_copy_ends_with_the_target_and_the_start_of_the_actual() {
        let header = "一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分效益指标社会效益指标";
        let rows = texts(
            &rows_of(&format!("{header}改造后保障村民饮水安全供水稳定达标供水稳"))
                .expect("a header"),
        );
        assert!(
            rows.iter().any(|r| r.ends_with(&[
                "改造后保障村民饮水安全".to_owned(),
                "供水稳定达标".to_owned(),
                "供水稳".to_owned()
            ])),
            "{rows:#?}"
        );
        // Three characters at least: `供水` alone is not taken for a cut actual, nor are two
        // names ending in the same word two names.
        let rows = texts(
            &rows_of(&format!("{header}改造后保障村民饮水安全供水稳定达标供水")).expect("a header"),
        );
        assert!(
            rows.iter().any(|r| r.ends_with(&[
                "改造后保障村民饮水安全供水稳定达标供水".to_owned(),
                String::new()
            ])),
            "{rows:#?}"
        );
    }

    #[test]
    fn names_whose_numbers_were_stripped_are_one_per_row() {
        // A copy that lost every number: names run together, a bare `分` and a remark where the
        // score was.
        let text = "一级指标二级指标三级指标年初目标值()实际完成值()得分产出指标数量指标培训教师人数分(因调整,人数减少)资助学生人数受益农户人数成本指标每生年均补助每户年均补助每村年均补助效益指标社会效益指标资金到位率分项目完工率";
        let rows = texts(&rows_of(text).expect("a header"));
        let names: Vec<&str> = rows
            .iter()
            .filter(|r| r.last().is_some_and(String::is_empty))
            .filter_map(|r| r.get(r.len() - 2).map(String::as_str))
            .collect();
        assert_eq!(
            names,
            [
                "培训教师人数",
                "资助学生人数",
                "受益农户人数",
                "每生年均补助",
                "每户年均补助",
                "每村年均补助",
                "资金到位率",
                "项目完工率"
            ],
            "{rows:#?}"
        );
        // A name with punctuation is not a list of names.
        let text = "提高服务质量,群众满意度";
        assert_eq!(split_parallel_names(text, 0, text.len()), None);
    }

    #[test]
    fn a_level2_printed_among_the_header_words_opens_the_first_row() {
        // A PDF put the first row's merged 二级 cell, centred on the header's lines, between the
        // header words.
        let text = "一级指标二级指标数量指标三级指标年度目标指标值培训人数500人发放补贴户数300户";
        let rows = texts(&rows_of(text).expect("a header"));
        assert_eq!(
            rows.first().map(Vec::as_slice),
            Some(&["一级指标", "二级指标", "三级指标", "年度目标指标值"].map(String::from)[..]),
            "{rows:#?}"
        );
        assert_eq!(
            rows.get(1).map(Vec::as_slice),
            Some(&["数量指标", "培训人数", "500人"].map(String::from)[..]),
            "{rows:#?}"
        );
    }

    #[test]
    fn grading_template_rows_have_a_name_a_description_four_grades_and_a_basis() {
        // The first header word lost its first character to `???` (its gloss `jī)` left behind),
        // and the copy stops inside the next table's title, which starts like this one's.
        let text = "某县2019年困难群众救助补助资金绩效目标表绩效目标保障困难群众基本生活???jī)效指标分类\
                    绩效指标绩效指标描述绩效指标评价标准评价标准确定依据优良中差产出指标补助发放率补助资金按时足额发放的比率\
                    100%95%90%80%按发放记录评价资金到位率资金按计划拨付到位的比率100%90%80%70%\
                    按拨付文件评价效果指标受助对象满意度(%)问卷调查中满意的受助对象所占比率90%85%80%70%\
                    按问卷结果评价某县2019年困难群众救助补(b";
        let rows = texts(&rows_of(text).expect("a header"));
        let expected: [&[&str]; 4] = [
            &[
                "绩效指标分类",
                "绩效指标",
                "绩效指标描述",
                "优",
                "良",
                "中",
                "差",
                "评价标准确定依据",
            ],
            &[
                "产出指标",
                "补助发放率",
                "补助资金按时足额发放的比率",
                "100%",
                "95%",
                "90%",
                "80%",
                "按发放记录评价",
            ],
            &[
                "资金到位率",
                "资金按计划拨付到位的比率",
                "100%",
                "90%",
                "80%",
                "70%",
                "按拨付文件评价",
            ],
            &[
                "效果指标",
                "受助对象满意度(%)",
                "问卷调查中满意的受助对象所占比率",
                "90%",
                "85%",
                "80%",
                "70%",
                "按问卷结果评价",
            ],
        ];
        assert_eq!(
            rows[rows.len() - 4..],
            expected.map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()),
            "{rows:#?}"
        );
    }

    #[test]
    fn a_number_printed_twice_then_its_score_is_three_cells() {
        let text = "一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标补贴农户数8820质量指标补贴发放率100%100%10";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(
            rows.iter()
                .any(|r| r.ends_with(&["补贴农户数", "8", "8", "20"].map(String::from))),
            "{rows:#?}"
        );
        assert_eq!(doubled_then_score("6620"), Some(1));
        // `1110`: 1, 1 and 10 (11 and 10 is not a number twice); `123` is no number twice.
        assert_eq!(doubled_then_score("1110"), Some(1));
        assert_eq!(doubled_then_score("123"), None);
    }

    #[test]
    fn space_joined_rows_with_answers_in_words_split_at_each_answer() {
        let text = "一级指标二级指标指标内容指标值\n效益指标 耕地质量 明显改善对增加农民收入的作用 通过技术培训,提高种植收益。对促进";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(
            rows.iter()
                .any(|r| r.ends_with(&["耕地质量", "明显改善"].map(String::from))),
            "{rows:#?}"
        );
        assert!(
            rows.iter().any(|r| r.ends_with(
                &["对增加农民收入的作用", "通过技术培训,提高种植收益。"].map(String::from)
            )),
            "{rows:#?}"
        );
        // A space inside a cell (a wrapped line) is not a row boundary.
        let text = "一级指标二级指标三级指标指标值\n效益指标可持续影响指标院区建成后,可持续为周边 群众提供医疗服务";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(
            rows.iter().any(|r| r
                .iter()
                .any(|c| c == "院区建成后,可持续为周边群众提供医疗服务")),
            "{rows:#?}"
        );
    }

    #[test]
    fn budget_figures_run_together_split_where_the_rate_fits() {
        assert_eq!(
            budget_split("10001000100%20", true),
            Some(["1000", "1000", "100%", "20"].map(String::from).to_vec())
        );
        assert_eq!(
            budget_split("1.561.56120", true),
            Some(["1.56", "1.56", "1", "20"].map(String::from).to_vec())
        );
        assert_eq!(
            budget_split("20015075%15", true),
            Some(["200", "150", "75%", "15"].map(String::from).to_vec())
        );
        // No rate fits.
        assert_eq!(budget_split("12345%", false), None);
        let text = "项目名称乡村道路养护预算执行情况(万元)(20分)预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)年度财政资金总额20015075%15一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标养护里程10公里10公里20";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(
            rows.contains(
                &["", "预算数", "执行数", "执行率", "得分"]
                    .map(String::from)
                    .to_vec()
            ),
            "{rows:#?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.ends_with(&["200", "150", "75%", "15"].map(String::from))),
            "{rows:#?}"
        );
        // The rate's header word lost; a line of the total's breakdown in the same cell.
        let text = "项目名称乡村道路养护项目资金(万元)全年预算数(A)全年执行数(B)年度资金总额:3003010%其中:中央补助2002010%一级指标二级指标三级指标指标值全年实际完成值产出指标数量指标养护里程10公里10公里";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(
            rows.contains(
                &["", "预算数", "执行数", "执行率"]
                    .map(String::from)
                    .to_vec()
            ),
            "{rows:#?}"
        );
        assert!(
            rows.contains(
                &["年度资金总额", "300", "30", "10%"]
                    .map(String::from)
                    .to_vec()
            ),
            "{rows:#?}"
        );
        assert!(
            rows.contains(&["中央补助", "200", "20", "10%"].map(String::from).to_vec()),
            "{rows:#?}"
        );
    }

    #[test]
    fn budget_figures_with_a_long_breakdown_are_read() {
        // Longer than a name: the total's figures, then its breakdown lines.
        let text = "专项资金名称粮食储备项目资金(万元)全年预算数(A)全年执行数(B)执行率(B/A)年度资金总额88.588.5100%其中:中央、省、市补助县级资金88.588.5100%其他资金年度总体目标保持粮食储备一级指标二级指标三级指标年度指标值全年完成值产出指标数量指标储备到位率100%100%";
        let rows = texts(&rows_of(text).expect("a header"));
        assert!(
            rows.contains(
                &["年度资金总额", "88.5", "88.5", "100%"]
                    .map(String::from)
                    .to_vec()
            ),
            "{rows:#?}"
        );
        assert!(
            rows.contains(
                &["中央、省、市补助县级资金", "88.5", "88.5", "100%"]
                    .map(String::from)
                    .to_vec()
            ),
            "{rows:#?}"
        );
    }
}
