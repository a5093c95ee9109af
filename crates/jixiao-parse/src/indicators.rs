//! The packed indicator cell of the department-list layout.
//!
//! Two dialects are published:
//! - coded: `1、1-产出指标；12-质量指标；NAME；实施周期指标值：V；年度指标值：V。`
//! - named: `1、产出指标：NAME，年度指标值：V。`
//!
//! with full- or half-width punctuation. Names may contain `，` and `。`, values may contain `。`,
//! so items are split by their running sequence numbers (`1、` `2、` …), and inside an item the
//! value labels (`实施周期指标值`, `年度指标值`) are the anchors.

use jixiao_model::{
    Category, Indicator, Problem, ProblemKind, Profile, Str, Text, Value, ValueKind,
};

use crate::row::Row;
use crate::text::{trim_end, trim_start};
use crate::value::parse_shared;

const PERIOD_LABEL: &str = "实施周期指标值";
const ANNUAL_LABEL: &str = "年度指标值";

/// What both value labels end with: one search finds them both.
const LABEL_TAIL: &str = "指标值";

/// Reads the indicator cell `cell_start..cell_end` of `row`.
pub fn read_cell(
    row: &Row<'_>,
    cell_start: usize,
    cell_end: usize,
    profile: &Profile,
    memo: &mut ReadMemo,
    problems: &mut Vec<Problem>,
) -> Vec<Indicator> {
    let cell = &row.text[cell_start..cell_end];
    // The memo's vector, reused from cell to cell (a new one grew twice in a cell of five).
    let mut items = std::mem::take(&mut memo.items);
    split_items(cell, &mut items);
    if items.is_empty() {
        memo.items = items;
        problems.push(Problem {
            kind: ProblemKind::UnreadableIndicators,
            message: format!(
                "绩效指标单元格无法拆分为指标：未找到序号“1、”。请按“1、一级指标：指标名称，年度指标值：指标值。”的格式填写。单元格内容：{}",
                snippet(cell)
            ),
            span: row.span(cell_start, cell_end),
        });
        return Vec::new();
    }
    let mut indicators = Vec::with_capacity(items.len());
    let mut expected = 1;
    for item in &items {
        if item.seq != expected {
            problems.push(Problem {
                kind: ProblemKind::SequenceGap,
                message: format!(
                    "指标序号不连续：应为“{expected}、”，实为“{}、”。请检查是否漏填或多填了指标。",
                    item.seq
                ),
                span: row.span(cell_start + item.start, cell_start + item.body_start),
            });
        }
        expected = item.seq + 1;
        indicators.push(read_item(
            row, cell_start, cell, item, profile, memo, problems,
        ));
    }
    memo.items = items;
    indicators
}

/// One item of the cell: its sequence number and byte ranges relative to the cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Item {
    seq: u32,
    /// Start of `N、`.
    start: usize,
    /// Start of the text after `N、`.
    body_start: usize,
    end: usize,
}

/// Splits a cell into `items` (cleared first) by running sequence numbers. No items when the
/// cell does not start with `1、` (or another number followed by `、`).
fn split_items(cell: &str, items: &mut Vec<Item>) {
    items.clear();
    match sequence_at(cell, 0) {
        Some(first) => items_from(cell, first, find_next_item, items),
        None => split_bracketed_items(cell, items),
    }
}

/// The items of `cell`, the first numbered `first` (its number and where its text starts), each
/// next one found by `next(cell, from, seq)`.
fn items_from(
    cell: &str,
    first: (u32, usize),
    next: impl Fn(&str, usize, u32) -> Option<(usize, u32, usize)>,
    items: &mut Vec<Item>,
) {
    let (mut seq, mut body_start) = first;
    let mut start = 0;
    loop {
        match next(cell, body_start, seq) {
            Some((next_start, next_seq, next_body)) => {
                items.push(Item {
                    seq,
                    start,
                    body_start,
                    end: next_start,
                });
                seq = next_seq;
                start = next_start;
                body_start = next_body;
            }
            None => {
                items.push(Item {
                    seq,
                    start,
                    body_start,
                    end: cell.len(),
                });
                return;
            }
        }
    }
}

/// Items numbered `（1）`, `(2)` …: each next number in brackets starts the next item.
fn split_bracketed_items(cell: &str, items: &mut Vec<Item>) {
    let Some(first) = bracketed_number(cell, 0) else {
        return;
    };
    items_from(
        cell,
        first,
        |cell, from, seq| {
            cell[from..]
                .char_indices()
                .filter(|(_, c)| matches!(c, '（' | '('))
                .map(|(i, _)| from + i)
                .find_map(|at| {
                    bracketed_number(cell, at)
                        .filter(|(n, _)| *n == seq + 1)
                        .map(|(n, body)| (at, n, body))
                })
        },
        items,
    );
}

/// `（N）` or `(N)` at `at`: N and where the text after it starts.
fn bracketed_number(cell: &str, at: usize) -> Option<(u32, usize)> {
    let open = cell[at..]
        .chars()
        .next()
        .filter(|c| matches!(c, '（' | '('))?;
    let digits_start = at + open.len_utf8();
    let digits = cell.as_bytes()[digits_start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let after = digits_start + digits;
    let close = cell[after..]
        .chars()
        .next()
        .filter(|c| matches!(c, '）' | ')'))?;
    let seq = cell[digits_start..after].parse().ok()?;
    Some((seq, after + close.len_utf8()))
}

/// If `text[at..]` starts with digits followed by `、`, their value and the offset after `、`.
fn sequence_at(text: &str, at: usize) -> Option<(u32, usize)> {
    let bytes = text.as_bytes();
    let digits = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let after = at + digits;
    if !text[after..].starts_with('、') {
        return None;
    }
    let seq = text[at..after].parse().ok()?;
    Some((seq, after + '、'.len_utf8()))
}

/// Where the item after `seq` starts: the next `{seq+1}、` that is not part of a longer number,
/// preferring one right after an item terminator (`。` `；` `;` `.`). Failing that, any numbered
/// item after a terminator (the numbering skipped).
fn find_next_item(cell: &str, from: usize, seq: u32) -> Option<(usize, u32, usize)> {
    let wanted = seq + 1;
    let mut fallback = None;
    let mut any_after_terminator = None;
    let mut search = from;
    while let Some(end) = find_item_mark(cell.as_bytes(), search) {
        search = end + '、'.len_utf8();
        let digits_start = digits_before(cell, end);
        if digits_start == end {
            continue;
        }
        let body = end + '、'.len_utf8();
        let after_terminator = follows_terminator(cell, digits_start);
        if cell[digits_start..end].parse::<u32>() == Ok(wanted) {
            if after_terminator {
                return Some((digits_start, wanted, body));
            }
            fallback.get_or_insert((digits_start, wanted, body));
        } else if after_terminator && any_after_terminator.is_none() {
            // A skipped or repeated number: accept `N、` after a terminator for any N.
            any_after_terminator = sequence_at(cell, digits_start)
                .map(|(next_seq, body)| (digits_start, next_seq, body));
        }
    }
    fallback.or(any_after_terminator)
}

/// Where the first `、` (E3 80 81) from `from` on is. Its lead byte E3 starts only U+3000 to
/// U+3FFF, which in a cell are mostly `、` and `。`: a memchr for it stops seldom, where the
/// memmem searcher cost about 120 instructions a call on these short texts.
fn find_item_mark(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = memchr::memchr(0xE3, bytes.get(at..)?) {
        let lead = at + i;
        if bytes.get(lead + 1..lead + 3) == Some(&[0x80, 0x81][..]) {
            return Some(lead);
        }
        at = lead + 1;
    }
    None
}

/// The start of the run of ASCII digits that ends at `end`.
fn digits_before(cell: &str, end: usize) -> usize {
    let digits = cell.as_bytes()[..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    end - digits
}

fn follows_terminator(cell: &str, at: usize) -> bool {
    trim_end(&cell[..at])
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '。' | '；' | ';' | '.' | '，' | ','))
}

fn read_item(
    row: &Row<'_>,
    cell_start: usize,
    cell: &str,
    item: &Item,
    profile: &Profile,
    memo: &mut ReadMemo,
    problems: &mut Vec<Problem>,
) -> Indicator {
    let base = cell_start;
    let raw = &cell[item.start..item.end];
    let span_of = |start: usize, end: usize| row.span(base + start, base + end);
    let text_of = |start: usize, end: usize| row.text(base + start, base + end);
    // The item terminator (`。` or `.`) is not part of the last value.
    let body_end = {
        let trimmed = trim_end(&cell[..item.end]);
        let trimmed = trimmed
            .strip_suffix('。')
            .or_else(|| trimmed.strip_suffix('.'))
            .or_else(|| trimmed.strip_suffix('；'))
            .or_else(|| trimmed.strip_suffix(';'))
            .unwrap_or(trimmed);
        trimmed.len().max(item.body_start)
    };
    let mut pos = skip_space(cell, item.body_start, body_end);

    // 一级 and, in the coded dialect, 二级.
    let mut level1 = None;
    let mut level2 = None;
    // The labels after `pos`, when already found.
    let mut labels_at_pos = None;
    if let Some((category, next)) =
        read_category(row, base, cell, pos, body_end, true, None, profile, memo)
    {
        pos = next;
        let parent = category.code.as_deref();
        let level2_read =
            read_category(row, base, cell, pos, body_end, false, parent, profile, memo);
        level1 = Some(category);
        if let Some((category, next)) = level2_read {
            // `产出指标：数量，年度指标值：…` names the indicator 数量; it is not a 二级.
            let after = find_labels(cell, next, body_end);
            let name_follows = after.first().is_none_or(|l| l.separator_start > next);
            if name_follows {
                level2 = Some(category);
                pos = next;
                labels_at_pos = Some(after);
            }
        }
    }

    // The name runs up to the first value label; the values follow their labels.
    let labels = labels_at_pos.unwrap_or_else(|| find_labels(cell, pos, body_end));
    let name_end = labels.first().map_or(body_end, |l| l.separator_start);
    let name_start = pos;
    let name_end = trim_end_index(cell, name_start, name_end);
    let name = text_of(name_start, name_end);
    let mut period: Option<Box<Value>> = None;
    let mut annual = None;
    for (i, label) in labels.iter().enumerate() {
        let value_end = labels.get(i + 1).map_or(body_end, |l| l.separator_start);
        let value_end = trim_end_index(cell, label.value_start, value_end);
        let Text { text: raw, span } = text_of(label.value_start, value_end);
        // The annual value most often repeats the period's text (read just before it): the
        // grammar reads the same text the same way.
        let kind = match &period {
            Some(known) if label.annual && known.raw == raw => known.kind.clone(),
            _ => memo.value_kind(&raw),
        };
        let value = Value { kind, raw, span };
        if label.annual {
            annual = Some(value);
        } else {
            period = Some(Box::new(value));
        }
    }

    if level1.is_none() || annual.is_none() {
        let missing = match (level1.is_none(), annual.is_none()) {
            (true, true) => "一级指标和“年度指标值”",
            (true, false) => "一级指标",
            _ => "“年度指标值”",
        };
        problems.push(Problem {
            kind: ProblemKind::UnreadableIndicators,
            message: format!(
                "第{}项指标缺少{missing}，无法完整读取。请按“{}、一级指标：指标名称，年度指标值：指标值。”填写。指标内容：{}",
                item.seq,
                item.seq,
                snippet(raw)
            ),
            span: span_of(item.start, item.end),
        });
    }
    if let Some(value) = &annual {
        check_value(value, "年度指标值", problems);
    }
    if let Some(value) = &period {
        check_value(value, "实施周期指标值", problems);
    }
    if level2.is_none()
        && let Some(code) = level1.as_ref().and_then(|c| c.code.as_deref())
    {
        level2 = profile.infer_level2(code, &name.text, annual.as_ref());
    }

    let Text { text: raw, span } = text_of(item.start, item.end);
    Indicator {
        seq: item.seq,
        level1,
        level2,
        name,
        annual,
        period,
        raw,
        span,
        details: None,
    }
}

fn check_value(value: &Value, label: &str, problems: &mut Vec<Problem>) {
    if matches!(value.kind, ValueKind::Empty) {
        problems.push(Problem {
            kind: ProblemKind::UnreadableValue,
            message: format!("{label}为空。请填写可衡量的目标值，如“≥95%”“不少于1次”。"),
            span: value.span.clone(),
        });
    }
}

/// A value label found in an item: where its separator starts (the `；` or `，` before the label)
/// and where the value after `：` starts.
#[derive(Debug, Clone, Copy)]
struct Label {
    annual: bool,
    separator_start: usize,
    value_start: usize,
}

/// Where [`LABEL_TAIL`] first is in `region`, as `memmem` finds it: the places where its first
/// two bytes (E6 8C) are, found eight at a time, each compared with the whole tail. Regions are
/// a few dozen bytes, and `memmem`'s set-up cost more than this scan (about 120 instructions a
/// search, two or three an item).
fn find_label_tail(region: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let tail = LABEL_TAIL.as_bytes();
    let [first, second, ..] = *tail else {
        return None;
    };
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    let last = region.len().checked_sub(tail.len())?;
    let mut at = 0;
    // The words at `at` and `at + 1` lie inside the region while `at <= last` (the tail is nine
    // bytes long); the starts past `last` they hold are not compared.
    while at <= last {
        // A byte equal to `b` is a zero byte of `word ^ (b * ONES)`: each is marked, and a
        // byte above one may be too, which the comparison then refuses.
        let mut found = zero_in(word_at(region, at) ^ (ONES * u64::from(first)))
            & zero_in(word_at(region, at + 1) ^ (ONES * u64::from(second)))
            & HIGH;
        while found != 0 {
            let start = at + (found.trailing_zeros() / 8) as usize;
            if start > last {
                break;
            }
            if region[start..].starts_with(tail) {
                return Some(start);
            }
            found &= found - 1;
        }
        at += 8;
    }
    None
}

/// The value labels of an item, in order: at most two (the period's and the annual value's), held
/// on the stack rather than in a vector allocated for every item.
#[derive(Debug, Clone, Copy)]
struct Labels {
    found: [Label; 2],
    len: usize,
}

impl Labels {
    const NONE: Self = Self {
        found: [Label {
            annual: false,
            separator_start: 0,
            value_start: 0,
        }; 2],
        len: 0,
    };

    fn push(&mut self, label: Label) {
        self.found[self.len] = label;
        self.len += 1;
    }
}

impl std::ops::Deref for Labels {
    type Target = [Label];

    fn deref(&self) -> &[Label] {
        &self.found[..self.len]
    }
}

/// Finds `实施周期指标值` and `年度指标值` labels, each preceded by a separator (or at the start)
/// and followed by `：` or `:`. When a label occurs more than once, the last is the label and the
/// earlier ones are part of the name or value.
fn find_labels(cell: &str, from: usize, to: usize) -> Labels {
    let mut labels = Labels::NONE;
    let region = &cell.as_bytes()[from..to];
    // The last of each label, found in one search for the tail they share: neither label
    // overlaps itself, so every `指标值` after `年度` (or `实施周期`) inside the region is one of
    // the occurrences a search for the whole label finds.
    let mut best: [Option<Label>; 2] = [None, None];
    let mut search = 0;
    // A region too short to hold the tail is not searched: after the annual label (the last,
    // nearly always) comes its value, often shorter.
    while region.len() - search >= LABEL_TAIL.len()
        && let Some(found) = find_label_tail(&region[search..])
    {
        let tail = search + found;
        search = tail + LABEL_TAIL.len();
        let head = &region[..tail];
        let (label, annual) = if head.ends_with("年度".as_bytes()) {
            (ANNUAL_LABEL, true)
        } else if head.ends_with("实施周期".as_bytes()) {
            (PERIOD_LABEL, false)
        } else {
            continue;
        };
        let at = from + tail + LABEL_TAIL.len() - label.len();
        // `实施周期指标值` contains no `年度指标值`, but guard against `年度指标值` inside a name.
        let before = trim_end(&cell[from..at]);
        let separator_start = match before.chars().next_back() {
            Some(c @ ('；' | ';' | '，' | ',' | '。' | '、')) => {
                from + before.len() - c.len_utf8()
            }
            None => from,
            Some(_) => continue,
        };
        let mut value_start = at + label.len();
        let rest = &cell[value_start..to];
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, '：' | ':')) {
            value_start += c.len_utf8();
        }
        value_start = skip_space(cell, value_start, to);
        best[usize::from(annual)] = Some(Label {
            annual,
            separator_start,
            value_start,
        });
    }
    let [period, annual] = best;
    if let Some(label) = period {
        labels.push(label);
    }
    match annual {
        Some(label) => labels.push(label),
        // `指标值：V` where the table does not say 年度 (only after a separator, which keeps
        // `实施周期指标值` out).
        None => {
            if let Some(label) = bare_value_label(cell, from, to) {
                labels.push(label);
            }
        }
    }
    // In order of their separators (a stable sort: the period's first on a tie).
    if labels.len == 2 && labels.found[1].separator_start < labels.found[0].separator_start {
        labels.found.swap(0, 1);
    }
    // A period label found after the annual label would overlap it; keep the order consistent.
    if labels.len == 2 && labels.found[0].value_start > labels.found[1].separator_start {
        labels.found[0] = labels.found[1];
        labels.len = 1;
    }
    labels
}

/// The last `指标值：` after a separator, as the annual value's label.
fn bare_value_label(cell: &str, from: usize, to: usize) -> Option<Label> {
    const LABEL: &str = "指标值";
    let region = &cell[from..to];
    let mut best = None;
    for (found, _) in region.match_indices(LABEL) {
        let at = from + found;
        let before = trim_end(&cell[from..at]);
        let separator_start = match before.chars().next_back() {
            Some(c @ ('；' | ';' | '，' | ',' | '。')) => from + before.len() - c.len_utf8(),
            _ => continue,
        };
        let mut value_start = at + LABEL.len();
        match cell[value_start..to].chars().next() {
            Some(c @ ('：' | ':')) => value_start += c.len_utf8(),
            _ => continue,
        }
        best = Some(Label {
            annual: true,
            separator_start,
            value_start: skip_space(cell, value_start, to),
        });
    }
    best
}

/// Reads a category at `pos`: `1-产出指标；` (coded) or `产出指标：` (named). Level 1 must resolve
/// through the profile or carry a code; level 2 must carry a code or resolve under its parent.
#[allow(clippy::too_many_arguments)]
fn read_category(
    row: &Row<'_>,
    cell_start: usize,
    cell: &str,
    pos: usize,
    end: usize,
    is_level1: bool,
    parent: Option<&str>,
    profile: &Profile,
    memo: &mut ReadMemo,
) -> Option<(Category, usize)> {
    let rest = &cell[pos..end];
    let separator = find_separator(rest)?;
    let raw = trim_end(&rest[..separator]);
    // A text known not to be a level 2 (every named-dialect indicator name is tried) is refused
    // before the checks below, which it passed when it was remembered. Only short texts: a
    // longer one is nearly always over 20 characters, which the bounds refuse unhashed.
    let short = raw.len() <= 60;
    let (code, name_part) = split_code(raw);
    if !is_level1 && short && code.is_none() && memo.is_level2_miss(raw) {
        return None;
    }
    // More than 20 characters, counted as the bytes that start one.
    if raw.is_empty() || (raw.len() > 20 && (raw.len() > 80 || char_count(raw) > 20)) {
        return None;
    }
    let separator_char = rest[separator..].chars().next()?;
    let next = skip_space(cell, pos + separator + separator_char.len_utf8(), end);
    // The canonical name and code of the category the profile defines, if any.
    let def: Option<(&Str, &Str)> = if is_level1 {
        memo.level1(profile, name_part).or_else(|| {
            code.and_then(|c| profile.level1_by_code(c))
                .map(|d| (&d.name, &d.code))
        })
    } else if !short && code.is_none() && memo.is_level2_miss(name_part) {
        return None;
    } else {
        let def = profile
            .level2(name_part, parent)
            .or_else(|| code.and_then(|c| profile.level2_by_code(c)));
        if def.is_none() && code.is_none() {
            memo.add_level2_miss(name_part);
        }
        def.map(|d| (&d.name, &d.code))
    };
    if def.is_none() && code.is_none() {
        return None;
    }
    // In the named dialect a level-2 name must be known: `NAME，年度指标值` is not a category.
    // The code starts the text and the name ends it: taken from the row by their offsets.
    let start = cell_start + pos;
    let end = start + raw.len();
    let name = def.map_or_else(
        || row.str(end - name_part.len(), end),
        |(name, _)| name.clone(),
    );
    let code = code
        .map(|c| row.str(start, start + c.len()))
        .or_else(|| def.map(|(_, code)| code.clone()));
    let raw = row.text(start, end);
    Some((
        Category {
            name,
            code,
            raw: raw.text,
            inferred: None,
            span: Some(raw.span),
        },
        next,
    ))
}

/// What one reading remembers to avoid repeating work on the texts a table repeats.
#[derive(Debug, Default)]
pub struct ReadMemo {
    /// Texts the profile does not know as a level-2 name (`Profile::level2` is `None` for them
    /// whatever the parent). The named dialect tries the name of every indicator as a level 2
    /// (`产出指标：NAME，年度指标值：…`) and the failing lookup normalised the name each time (6 %
    /// of reading a department list). Direct-mapped by a hash of the text.
    level2_misses: Table<Box<str>>,
    /// Value texts and what the value grammar read them as: the grammar is a function of the
    /// text alone, and a fifth of reading a department list (`100%`, `≥90%` and the same
    /// qualitative targets on project after project). Direct-mapped by a hash of the text.
    values: Table<KnownValue>,
    /// Level-1 texts and the name and code of the category the profile reads them as, if any:
    /// a table uses a handful of level-1 names, and each item looked its own up in the profile's
    /// hash table (4 % of the reading's time). At most [`LEVEL1_SLOTS`], replaced in turn.
    level1: Vec<(Box<str>, Option<NameAndCode>)>,
    /// The next entry of `level1` to replace once it is full.
    level1_next: usize,
    /// The items of the cell being read.
    items: Vec<Item>,
}

/// A value text and what the value grammar read it as.
type KnownValue = (Str, ValueKind);

/// A category's canonical name and its code.
type NameAndCode = (Str, Str);

/// Entries of [`ReadMemo::level1`].
const LEVEL1_SLOTS: usize = 16;

/// Texts longer than this are not remembered (a level-2 candidate has at most 20 characters).
const MEMO_TEXT_MAX: usize = 96;

/// A direct-mapped table of [`ReadMemo`]'s, slotted by [`memo_hash`]: 512 slots at first, 4,096
/// once it has taken in as many entries as it has slots. With 512 a department list's level-2
/// misses and values evicted each other (5,664 lookups and 1,763 value readings made again on
/// the 5 MB list); 4,096 from the start cost each small file more to fill and drop than it saved.
#[derive(Debug)]
struct Table<T> {
    slots: Vec<Option<T>>,
    /// Entries put in since the table was last made.
    stored: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            stored: 0,
        }
    }
}

impl<T> Table<T> {
    const FIRST: usize = 512;
    const MOST: usize = 4096;

    fn get(&self, hash: u64) -> Option<&T> {
        let len = self.slots.len();
        if len == 0 {
            return None;
        }
        self.slots[slot(hash, len)].as_ref()
    }

    /// Puts `entry` (whose text is `key(&entry)`, hashed to `hash`) in its slot.
    fn put(&mut self, hash: u64, entry: T, key: impl Fn(&T) -> &str) {
        let len = self.slots.len();
        if len == 0 {
            self.slots.resize_with(Self::FIRST, || None);
        } else if self.stored >= len && len < Self::MOST {
            // The entries move to their slots in the larger table: none is read again.
            let old = std::mem::take(&mut self.slots);
            self.slots.resize_with(Self::MOST, || None);
            for known in old.into_iter().flatten() {
                let at = slot(memo_hash(key(&known)), Self::MOST);
                self.slots[at] = Some(known);
            }
            self.stored = 0;
        }
        self.stored += 1;
        let at = slot(hash, self.slots.len());
        self.slots[at] = Some(entry);
    }
}

/// The slot of `hash` in a table of `len` slots (a power of two): its high bits, which the
/// multiply mixes best.
fn slot(hash: u64, len: usize) -> usize {
    (hash >> (64 - len.trailing_zeros())) as usize
}

/// The memo hash of `text`: FxHash over eight bytes at a time.
fn memo_hash(text: &str) -> u64 {
    let mut hash = 0u64;
    let mut add = |word: u64| {
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    };
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        add(u64::from_le_bytes(word));
    }
    // Byte by byte rather than copied into a word: a copy of a variable length calls `memcpy`.
    let word = chunks
        .remainder()
        .iter()
        .rev()
        .fold(0u64, |word, &byte| (word << 8) | u64::from(byte));
    add(word);
    hash
}

impl ReadMemo {
    /// What [`Profile::level1`] says of `text`: the category's name and code.
    fn level1(&mut self, profile: &Profile, text: &str) -> Option<(&Str, &Str)> {
        let index = match self.level1.iter().position(|(known, _)| **known == *text) {
            Some(index) => index,
            None => {
                let entry = (
                    text.into(),
                    profile
                        .level1(text)
                        .map(|d| (d.name.clone(), d.code.clone())),
                );
                if self.level1.len() < LEVEL1_SLOTS {
                    self.level1.push(entry);
                    self.level1.len() - 1
                } else {
                    let index = self.level1_next;
                    self.level1_next = (index + 1) % LEVEL1_SLOTS;
                    self.level1[index] = entry;
                    index
                }
            }
        };
        self.level1[index]
            .1
            .as_ref()
            .map(|(name, code)| (name, code))
    }

    fn is_level2_miss(&self, text: &str) -> bool {
        text.len() <= MEMO_TEXT_MAX
            && self
                .level2_misses
                .get(memo_hash(text))
                .is_some_and(|known| **known == *text)
    }

    fn add_level2_miss(&mut self, text: &str) {
        if text.len() > MEMO_TEXT_MAX {
            return;
        }
        self.level2_misses
            .put(memo_hash(text), text.into(), |known| &**known);
    }

    /// What the value grammar reads `raw` as ([`parse_shared`]), remembered. A value read here
    /// shares a copy of its text rather than the source: what is remembered must not hold a
    /// chunk of a streamed source.
    fn value_kind(&mut self, raw: &Str) -> ValueKind {
        if raw.len() > MEMO_TEXT_MAX {
            return parse_shared(raw);
        }
        let hash = memo_hash(raw);
        if let Some(known) = self.values.get(hash)
            && *known.0 == **raw
        {
            return known.1.clone();
        }
        // The copy the reading shares is also the key: a second copy of the text for the key
        // was an allocation more for every value read anew.
        let own = Str::new(raw);
        let kind = parse_shared(&own);
        self.values
            .put(hash, (own, kind.clone()), |known| known.0.as_str());
        kind
    }
}

/// Where the first of `；` `;` `：` `:` `，` `,` is in `text`, as `text.find([…])` says, by bytes
/// eight at a time: `find` with a set of chars decoded every character of the name before it,
/// twice an indicator, and a step per character still took about eleven instructions each.
fn find_separator(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // `；` `：` `，` are EF BC 9B, EF BC 9A, EF BC 8C. A separator starts with `;` `:` `,` or
    // 0xEF, none of them a continuation byte: any byte found is where a character starts.
    let is_separator = |at: usize| match bytes[at] {
        b';' | b':' | b',' => true,
        0xEF => {
            bytes.get(at + 1) == Some(&0xBC)
                && matches!(bytes.get(at + 2), Some(0x9A | 0x9B | 0x8C))
        }
        _ => false,
    };
    let first_in = |at: usize, mut found: u64| {
        while found != 0 {
            let i = at + (found.trailing_zeros() / 8) as usize;
            if is_separator(i) {
                return Some(i);
            }
            found &= found - 1;
        }
        None
    };
    let n = bytes.len();
    if n < 8 {
        return (0..n).find(|&i| is_separator(i));
    }
    let mut at = 0;
    while at + 8 <= n {
        if let Some(i) = first_in(at, separator_starts(word_at(bytes, at))) {
            return Some(i);
        }
        at += 8;
    }
    if at == n {
        return None;
    }
    // The last eight bytes, less those the loop has seen.
    let last = n - 8;
    first_in(
        last,
        separator_starts(word_at(bytes, last)) & (!0u64 << (8 * (at - last))),
    )
}

/// The high bit of each byte of `word` that is `;` `:` `,` or 0xEF, and perhaps of a byte
/// above one of those (a byte equal to `b` is a zero byte of `word ^ (b * ONES)`, and
/// `(x - ONES) & !x` marks each zero byte of `x` and may mark a 0x01 byte above one).
#[inline]
fn separator_starts(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    (zero_in(word ^ (ONES * u64::from(b';')))
        | zero_in(word ^ (ONES * u64::from(b':')))
        | zero_in(word ^ (ONES * u64::from(b',')))
        | zero_in(word ^ (ONES * 0xEF)))
        & HIGH
}

/// The eight bytes of `bytes` from `at` as a little-endian word.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let b = &bytes[at..at + 8];
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// The number of characters in `text`: its bytes less its continuation bytes (`10xxxxxx`),
/// counted eight bytes at a time.
fn char_count(text: &str) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    // Bit 7 set and bit 6 clear: `word << 1` brings each byte's bit 6 to its bit 7.
    let mut continuation: usize = chunks
        .by_ref()
        .map(|c| {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            (word & !(word << 1) & HIGH).count_ones() as usize
        })
        .sum();
    continuation += chunks
        .remainder()
        .iter()
        .filter(|&&b| (b & 0xC0) == 0x80)
        .count();
    bytes.len() - continuation
}

/// `12-质量指标` → (`12`, `质量指标`).
fn split_code(raw: &str) -> (Option<&str>, &str) {
    let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(name) = raw[digits..]
            .strip_prefix('-')
            .or_else(|| raw[digits..].strip_prefix('－'))
            .or_else(|| raw[digits..].strip_prefix('.'))
    {
        return (Some(&raw[..digits]), trim_start(name));
    }
    (None, raw)
}

/// The first position from `pos` that is not white space, or `end`.
fn skip_space(text: &str, pos: usize, end: usize) -> usize {
    // Decided on the first byte when it starts a character that is not white space (as
    // `trim_start` decides): names and values nearly always start right after their separator.
    if pos < end
        && let Some(&first) = text.as_bytes().get(pos)
        && ((first < 0x80 && !matches!(first, b'\t'..=b'\r' | b' '))
            || (0xE4..=0xEF).contains(&first))
    {
        return pos;
    }
    end - trim_start(&text[pos..end]).len()
}

fn trim_end_index(text: &str, start: usize, end: usize) -> usize {
    start + trim_end(&text[start..end]).len()
}

/// At most 40 characters of `text`, for messages.
pub fn snippet(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memchr::memmem;

    fn seqs(cell: &str) -> Vec<(u32, &str)> {
        let mut items = Vec::new();
        split_items(cell, &mut items);
        items
            .iter()
            .map(|i| (i.seq, &cell[i.start..i.end]))
            .collect()
    }

    #[test]
    fn splits_by_running_numbers_not_punctuation() {
        let cell = "1、产出指标：春节、中秋节前慰问，年度指标值：春节、中秋节前。2、产出指标：第12、13期培训，年度指标值：2期。";
        assert_eq!(
            seqs(cell),
            vec![
                (
                    1,
                    "1、产出指标：春节、中秋节前慰问，年度指标值：春节、中秋节前。"
                ),
                (2, "2、产出指标：第12、13期培训，年度指标值：2期。"),
            ]
        );
    }

    #[test]
    fn skipped_number_is_still_split() {
        let cell = "1、产出指标：A，年度指标值：1次。3、产出指标：B，年度指标值：2次。";
        assert_eq!(seqs(cell).len(), 2);
        assert_eq!(seqs(cell)[1].0, 3);
    }

    #[test]
    fn label_tails_are_found_as_memmem_finds_them() {
        let parts = [
            "指标值",
            "指",
            "标",
            "值",
            "指标",
            "a",
            "年度",
            "，",
            "扌",
            "\u{1}",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let mut longer = Vec::new();
            for text in &texts {
                for part in parts {
                    longer.push(format!("{text}{part}"));
                }
            }
            texts.extend(longer);
        }
        for text in &texts {
            for pad in 0..9 {
                let text = format!("{}{text}{}", "x".repeat(pad), "y".repeat(8 - pad));
                for start in 0..text.len() {
                    let region = &text.as_bytes()[start..];
                    assert_eq!(
                        find_label_tail(region),
                        memmem::find(region, LABEL_TAIL.as_bytes()),
                        "{text} from {start}"
                    );
                }
            }
        }
    }

    #[test]
    fn separators_are_found_as_find_finds_them() {
        for text in [
            "产出指标：A",
            "12-质量指标；B",
            "名称，年度",
            "a;b",
            "x:y",
            "甲,乙",
            "没有分隔符",
            "",
            "＂全角引号＂；后",
            "\u{FF1B}",
            "\u{FF5B}；",
            "é,ü",
            "ü：é",
            "𠀀;𠀀",
            "𠀀甲é，",
            "©®™€；",
            "一二三四五六七八九十；后",
            "项目完成及时率达到百分之九十五以上，年度",
            "abcdefgh:",
            "abcdefg;h",
            "abcdefghi,",
            "甲乙丙丁戊己庚辛壬癸\u{FF5B}\u{FF5B}：",
            "\u{FF5B}\u{FF5B}\u{FF5B}\u{FF5B}",
            "\u{1}\u{1};\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}",
            ";\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}",
            "\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}",
        ] {
            assert_eq!(
                find_separator(text),
                text.find(['；', ';', '：', ':', '，', ',']),
                "{text}"
            );
        }
    }

    /// `find_labels` as it searched before: each label on its own.
    fn find_labels_by_label(cell: &str, from: usize, to: usize) -> Vec<(bool, usize, usize)> {
        let mut labels = Vec::new();
        for (label, annual) in [(PERIOD_LABEL, false), (ANNUAL_LABEL, true)] {
            let mut best = None;
            for (found, _) in cell[from..to].match_indices(label) {
                let at = from + found;
                let before = cell[from..at].trim_end();
                let separator_start = match before.chars().next_back() {
                    Some(c @ ('；' | ';' | '，' | ',' | '。' | '、')) => {
                        from + before.len() - c.len_utf8()
                    }
                    None => from,
                    Some(_) => continue,
                };
                let mut value_start = at + label.len();
                if let Some(c) = cell[value_start..to]
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '：' | ':'))
                {
                    value_start += c.len_utf8();
                }
                best = Some((annual, separator_start, skip_space(cell, value_start, to)));
            }
            labels.extend(best);
        }
        if !labels.iter().any(|l| l.0) {
            labels.extend(
                bare_value_label(cell, from, to)
                    .map(|l| (l.annual, l.separator_start, l.value_start)),
            );
        }
        labels.sort_by_key(|l| l.1);
        if labels.len() == 2 && labels[0].2 > labels[1].1 {
            labels.remove(0);
        }
        labels
    }

    #[test]
    fn labels_are_found_as_each_label_on_its_own_found_them() {
        for cell in [
            "产出指标：培训人次，年度指标值：≥95%",
            "1-产出指标；12-质量指标；合格率；实施周期指标值：100%；年度指标值：100%",
            "名称年度指标值，年度指标值：1次；实施周期指标值：2次",
            "年度指标值：1",
            "指标值：3；年度指标值",
            "A，实施周期指标值：年度指标值：5",
            "实施周期实施周期指标值；指标值：6，年度年度指标值：7",
            "名称，指标值：8",
            "度指标值，周期指标值，年度 指标值：9",
            "",
        ] {
            for from in 0..=cell.len() {
                if !cell.is_char_boundary(from) {
                    continue;
                }
                let found: Vec<_> = find_labels(cell, from, cell.len())
                    .iter()
                    .map(|l| (l.annual, l.separator_start, l.value_start))
                    .collect();
                assert_eq!(
                    found,
                    find_labels_by_label(cell, from, cell.len()),
                    "{cell} from {from}"
                );
            }
        }
    }

    #[test]
    fn characters_are_counted_as_chars_counts_them() {
        for text in [
            "",
            "a",
            "甲",
            "项目完成指标",
            "12-质量指标abc",
            "é𠀀ü甲乙丙丁戊己庚辛壬癸",
            "＂全角＂；",
        ] {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(char_count(&text[..end]), text[..end].chars().count());
            }
        }
    }

    #[test]
    fn remembered_values_are_what_the_grammar_reads_as_the_tables_grow() {
        let mut memo = ReadMemo::default();
        let texts: Vec<Str> = (0..6000)
            .map(|i| Str::new(&format!("≥{i}%")))
            .chain(["100%", "是", "", "11月30日前完成"].map(Str::new))
            .collect();
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(memo.value_kind(text), parse_shared(text), "{text}");
                memo.add_level2_miss(text);
            }
        }
        assert_eq!(memo.values.slots.len(), 4096);
        assert_eq!(memo.level2_misses.slots.len(), 4096);
        // The entries put last are found.
        assert!(memo.is_level2_miss("100%"));
        assert!(!memo.is_level2_miss("产出指标"));
    }

    #[test]
    fn item_marks_are_found_as_memmem_finds_them() {
        for cell in [
            "",
            "、",
            "1、产出指标：春节、中秋节前。2、x",
            "。。、《》、",
            "ぁ、〇、\u{3001}",
        ] {
            let bytes = cell.as_bytes();
            for from in 0..=bytes.len() {
                assert_eq!(
                    find_item_mark(bytes, from),
                    memmem::find(&bytes[from..], "、".as_bytes()).map(|i| from + i),
                    "{cell} from {from}"
                );
            }
        }
    }

    #[test]
    fn no_number_no_items() {
        let mut items = vec![Item {
            seq: 9,
            start: 0,
            body_start: 0,
            end: 0,
        }];
        split_items("产出指标：A，年度指标值：1次", &mut items);
        assert!(items.is_empty());
    }
}
