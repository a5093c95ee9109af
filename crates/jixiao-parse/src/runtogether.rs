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

/// The text without white space, and for each of its characters the line it came from.
struct Compact {
    text: String,
    /// `(byte offset in text, line number)` for each character.
    lines: Vec<(usize, u32)>,
}

impl Compact {
    fn new(source: &str) -> Self {
        let mut text = String::with_capacity(source.len());
        let mut lines = Vec::with_capacity(source.len() / 3);
        for (number, line) in source.lines().enumerate() {
            let number = u32::try_from(number + 1).unwrap_or(u32::MAX);
            let line = jixiao_model::match_key(strip_chunk_marker(line));
            for c in line.chars().filter(|c| !c.is_whitespace()) {
                lines.push((text.len(), number));
                text.push(c);
            }
        }
        Self { text, lines }
    }

    fn line_at(&self, offset: usize) -> u32 {
        let index = self.lines.partition_point(|&(o, _)| o <= offset);
        self.lines
            .get(index.saturating_sub(1))
            .map_or(1, |&(_, line)| line)
    }

    fn cell(&self, file: &Arc<str>, start: usize, end: usize) -> Cell {
        Cell {
            text: Str::from(self.text[start..end].to_owned()),
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
    let (header_start, header_end, columns) = find_header(text)?;
    let mut rows = Vec::new();
    rows.extend(label_rows(&compact, file, &text[..header_start]));
    let header: Vec<Cell> = columns
        .iter()
        .map(|&(start, end, _)| compact.cell(file, start, end))
        .collect();
    rows.push(header);
    let value_columns: Vec<ColumnRole> = columns
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
    let body_end = find_grid_end(text, header_end);
    rows.extend(indicator_rows(
        &compact,
        file,
        header_end,
        body_end,
        value_columns.len().max(1),
        profile,
    ));
    Some(rows)
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

/// The column word at `at`, with a bracketed note after it (`年初目标值(A)`, `()`), and its role.
fn column_at(text: &str, at: usize) -> Option<(usize, ColumnRole)> {
    let rest = &text[at..];
    let (word, role) = column_words()
        .iter()
        .find(|(w, _)| rest.starts_with(w.as_str()))?;
    let mut end = at + word.len();
    if (text[end..].starts_with('(') || text[end..].starts_with('（'))
        && let Some(close) = text[end..].find([')', '）']).filter(|&c| c <= 24)
    {
        end += close + text[end + close..].chars().next().map_or(1, char::len_utf8);
    }
    Some((end, *role))
}

/// The indicator header: a run of column words with a 一级 and a name column. Returns its start,
/// its end and each word's range and role.
#[allow(clippy::type_complexity)]
fn find_header(text: &str) -> Option<(usize, usize, Vec<(usize, usize, ColumnRole)>)> {
    for (at, _) in text.char_indices() {
        let Some((_, ColumnRole::Level1)) = column_at(text, at) else {
            continue;
        };
        let mut columns = Vec::new();
        let mut pos = at;
        while let Some((end, role)) = column_at(text, pos) {
            columns.push((pos, end, role));
            pos = end;
        }
        let has_name = columns.iter().any(|c| c.2 == ColumnRole::Level3);
        if has_name && columns.len() >= 3 {
            return Some((at, pos, columns));
        }
    }
    None
}

/// Where the grid ends: a closing label (`说明`, `注：`, `合计`, `总分`, `评价结论`…) or the end.
fn find_grid_end(text: &str, from: usize) -> usize {
    const ENDS: &[&str] = &[
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
    ENDS.iter()
        .filter_map(|w| text[from..].find(w).map(|p| from + p))
        .min()
        .unwrap_or(text.len())
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
        if value.is_empty() || value.chars().count() > longest(role) {
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
    ];
    let rest = &text[at..];
    // Words before a number that belong to the value (`各1次`, `约200人`).
    let lead = [
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
    let comparator = COMPARATORS
        .iter()
        .chain(&["="])
        .find(|c| rest.starts_with(**c))
        .map_or(0, |c| c.len());
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
    if text[end..].starts_with('年') || text[end..].starts_with('月') {
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
    if let Some(unit) = UNITS.iter().find(|u| text[end..].starts_with(**u)) {
        end += unit.len();
        // A rate per something: `元/人次`, `元/人.月`.
        if text[end..].starts_with('/') {
            let per = [
                "人.月", "人月", "人次", "户次", "人", "户", "次", "月", "年", "天", "亩", "个",
                "件",
            ]
            .iter()
            .find(|u| text[end + 1..].starts_with(**u));
            if let Some(per) = per {
                end += 1 + per.len();
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

/// Words that answer a name in words, and end a run-together row (`…是否得到规范是`,
/// `…服务质量明显提升`).
const ANSWERS: &[&str] = &[
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
    ANSWERS
        .iter()
        .find(|a| cell.ends_with(**a) && cell.chars().count() >= a.chars().count() + 2)
        .map(|a| end - a.len())
}

/// Indicator rows from the grid body `from..to`.
fn indicator_rows(
    compact: &Compact,
    file: &Arc<str>,
    from: usize,
    to: usize,
    values_per_row: usize,
    profile: &Profile,
) -> Vec<Vec<Cell>> {
    let text = &compact.text[..to];
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
    };
    // Tokens: categories, and between them content.
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut pos = from;
    let mut content_start = from;
    let flush_content =
        |start: usize, end: usize, row: &mut Vec<Cell>, rows: &mut Vec<Vec<Cell>>| {
            if start >= end {
                return;
            }
            for (i, indicator) in split_content(text, start, end, values_per_row)
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
            pos += label.len();
            content_start = pos;
            continue;
        }
        let after_level1 = pos == content_start
            && row
                .last()
                .is_some_and(|c| profile.level1(&c.text).is_some());
        if let Some(end) = category_at(pos, after_level1) {
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
            if named || has_level2 || foreign || (is_level1 && !row.is_empty()) {
                rows.push(std::mem::take(&mut row));
            }
            row.push(compact.cell(file, pos, end));
            pos = end;
            content_start = end;
            continue;
        }
        pos += text[pos..].chars().next().map_or(1, char::len_utf8);
    }
    flush_content(content_start, text.len(), &mut row, &mut rows);
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

/// Splits the text between categories into indicators: each a name followed by a run of value
/// tokens. Runs of as many values as the header has value columns are preferred; a run that is
/// part of a name (`5000吨稻谷`) is shorter and followed by more name.
fn split_content(text: &str, start: usize, end: usize, per_row: usize) -> Vec<Vec<(usize, usize)>> {
    // Value runs: (start, [token ranges]).
    let mut runs: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    let mut at = start;
    while at < end {
        if let Some(first_end) = value_at(text, at).filter(|&e| e <= end) {
            let mut tokens = vec![(at, first_end)];
            let mut next = first_end;
            while let Some(e) = value_at(text, next).filter(|&e| e <= end) {
                tokens.push((next, e));
                next = e;
            }
            runs.push((at, tokens));
            at = next;
            continue;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    // A name has two characters at least, one of them a letter or an ideograph (not `……`).
    let name_ok = |s: usize, e: usize| {
        text[s..e].chars().count() >= 2 && text[s..e].chars().any(char::is_alphanumeric)
    };
    let pick = |full_only: bool| -> Vec<Vec<(usize, usize)>> {
        let mut indicators = Vec::new();
        let mut name_start = start;
        for (run_start, tokens) in &runs {
            let last = tokens.last().map_or(*run_start, |t| t.1);
            let at_end = last >= end;
            let full = tokens.len() >= per_row;
            if *run_start <= name_start || !name_ok(name_start, *run_start) {
                continue;
            }
            if full_only && !full && !at_end {
                continue;
            }
            let mut cells = split_repeated(text, name_start, *run_start, per_row);
            cells.extend(split_doubled(text, tokens, per_row));
            indicators.push(cells);
            name_start = last;
        }
        if name_start < end && name_ok(name_start, end) {
            // A name with no value (an empty or cut cell), a value in words printed after it as
            // often as there are columns (`成本控制不超过预算不超过预算`), or an answer in words.
            let repeated = split_repeated(text, name_start, end, per_row);
            match split_answer(text, name_start, end) {
                Some(at) if repeated.len() == 1 => {
                    indicators.push(vec![(name_start, at), (at, end)]);
                }
                _ => indicators.push(repeated),
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
            if answer && cell[first..second] == cell[second..] {
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

/// Value tokens of a run, splitting a number printed twice with nothing between (`2020` for 20 and
/// 20, `00`) when the header has two value columns and the run one token.
fn split_doubled(text: &str, tokens: &[(usize, usize)], per_row: usize) -> Vec<(usize, usize)> {
    if per_row >= 2
        && let [(s, e)] = tokens
    {
        let token = &text[*s..*e];
        let half = token.len() / 2;
        if token.len().is_multiple_of(2)
            && token.is_char_boundary(half)
            && token[..half] == token[half..]
            && token.bytes().all(|b| b.is_ascii_digit())
        {
            return vec![(*s, s + half), (s + half, *e)];
        }
    }
    tokens.iter().take(per_row.max(1)).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn words_repeated_after_a_name_are_its_values() {
        let text = "成本控制不超过预算不超过预算";
        let cells = split_repeated(text, 0, text.len(), 2);
        let parts: Vec<&str> = cells.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(parts, ["成本控制", "不超过预算", "不超过预算"]);
    }
}
