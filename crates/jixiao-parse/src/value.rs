//! The grammar of a 指标值 (target value): the text of one cell → [`ValueKind`].
//!
//! The text is trimmed (whitespace, BOM, zero-width spaces) and a trailing `。` `.` `，` `；` `、`
//! is ignored. Full-width ASCII (`＞＝９５％`) is read as ASCII, but every string the result keeps
//! (subject, comparator as written, unit, trailing text) is a slice of the input as published.
//! The first rule that matches wins:
//!
//! 1. **Empty**: nothing but punctuation or symbols (`/`, `—`, `-`, `*`). `无` is a word and is
//!    [`ValueKind::Qualitative`].
//! 2. **Compound**: the text splits on `，` `,` `；` `;` `、` `。` or a line break outside brackets
//!    (not on a thousands comma, `15,000`, nor between occasions, `春节、中秋节前`) into parts of
//!    which at least two are quantitative or deadlines: `赴安顺不少于1次，赴遂溪不少于2次`. Every
//!    non-empty part is kept, with its byte range in the raw text.
//! 3. **Deadline**: `[截止|截至|于|在] [每月|每季度|每年|按月|按季度…] date-or-occasions
//!    [- date] [前|之前|以前|底|末|内|止|期间] [tail]`, where date is `2023年12月31日`, `12月底`,
//!    `25号`, `2023.07`, `年底`/`年末` (month 12), `上半年` (month 6), `年内`/`当年`; occasions are
//!    festivals joined by `、` `和` `及` (`春节、中秋节`); and tail is at most 6 characters with no
//!    digit (`完成`, `到位`). A window (`2021年1月-12月`, `1-12月`, `2023.07-2024.01`) is read
//!    as its end; a dotted date (`2023.07`) takes no tail, so `2023.10%` stays a number. A day
//!    alone needs `前` (`25日前`; `10日内` is a duration, hence quantitative), occasions alone need
//!    a terminator (`春节` alone is qualitative), a year needs four digits (`2023年`; `1年` is a
//!    quantity), and `按月`/`按季度` + a verb such as 发放/拨付 is a recurring deadline.
//! 4. **Reference by document number**: `穗人社函〔2020〕73号标准` → `穗人社函〔2020〕73号`.
//! 5. **Quantitative**: `[(hint)] [subject] [comparator] number [个] [scale] [unit] [postfix]
//!    [trailing]`.
//!    - comparator: a symbol run (`≥ ≧ ⩾ >= => ＞＝ ≤ ≦ <= > < = == ＝ ﹦ ═ ≈`), optionally after
//!      a stray `:`/`：` that is kept in `comparator_raw` (`:=`), or a word: 大于等于 不低于 不少于
//!      不小于 至少 → ≥; 小于等于 不高于 不超过 不多于 不大于 至多 控制在 → ≤; 大于 超过 高于 多于
//!      → >; 小于 低于 少于 不足 → <; 等于 → =; 约 大约 → ≈ (but not the 约 of 节约, 预约, 签约…);
//!      OCR's `工` and `^` right before a digit → ≥ (`工5%`, `^80%`).
//!      The longest word wins (不低于 over 低于).
//!    - number: ASCII or full-width digits, a `,` thousands separator before exactly three digits,
//!      one decimal point, a leading minus; read as a `Decimal`, never a float.
//!    - scale: 万 亿 千 百, after an optional classifier 个 (`≥3个亿`), except where the character
//!      begins a unit: 万元 亿元 千元 are money units (unit `万元`, no scale), 百分比/百分点,
//!      千米/千克/千瓦…
//!    - unit: the text after the number up to whitespace, a separator, a bracket, a comparator
//!      symbol, a range mark, a digit (unless after a Latin letter: `m2`) or a postfix; `%` `‰` end
//!      it at once. Kept as written (`％` stays `％`).
//!    - postfix: 以上 及以上 或以上 → ≥; 以下 及以下 或以下 以内 之内 内 → ≤; 左右 上下 → ≈. A
//!      comparator before the number wins over a postfix, except the weak `控制在`.
//!    - hint: a bracketed group at the very start followed by text with a digit is a template
//!      hint or an enumeration and is skipped: `(≥**%)85` → `≥85%`; the hint's comparator and `%`
//!      are used when the value itself has none.
//!
//!    It is *not* quantitative (falls through to the rules below) when the subject is longer than
//!    12 characters, contains a separator or a comparator not followed by a number; when the unit
//!    is longer than 8 characters; when the trailing text is longer than 6 characters or contains
//!    a digit (unless it starts with a range mark or a bracket, as in `90%-95%`, which keeps the
//!    lower bound and `-95%` as trailing). So `严格按照预算标准1000元/人给补助对象兑付补助` and
//!    `100%当天启动处理程序` are not quantities.
//! 6. **Reference**: `(严格)按照|按|根据|依据|参照… X` where X (cut at a digit or separator,
//!    less a closing verb such as 执行/发放) names a standard, rule, document, policy, budget…
//!    (`按省定标准` → `省定标准`; `按时发放` stays qualitative); `控制在X内` with no number
//!    (`控制在批复资金内` → `批复资金`); a figure ending in 控制数/预算数/批复数… (`年度控制数`);
//!    `以X为准`; a comparator followed by words naming an outside figure (`不低于上年水平`,
//!    `≤预算数`, `大于等于当年度高层次人才认定数量的10%`).
//! 7. **Qualitative**: anything else with text (`是`, `合规`, `长期`, `无`).
//!
//! The scanner works on `&str` slices and allocates only the strings the result keeps.

use std::str::FromStr;

use jixiao_model::{Comparator, Deadline, Quantity, Scale, Str, ValueKind, ValuePart};
use rust_decimal::Decimal;

/// Longest subject (words before the number) a quantity may have, in characters.
const MAX_SUBJECT: usize = 12;
/// Longest unit a quantity may have, in characters.
const MAX_UNIT: usize = 8;
/// Longest text a quantity may have after its unit, in characters.
const MAX_TRAILING: usize = 6;
/// Longest text a deadline may have after its date (`完成资金拨付`), in characters.
const MAX_DEADLINE_TAIL: usize = 6;

/// Reads a 指标值. Never panics; see the module documentation for the grammar.
pub fn parse_value(raw: &str) -> ValueKind {
    parse_shared(&Str::new(raw))
}

/// Reads a 指标值 whose text shares a source; the parts of the result (comparator, unit …)
/// share it too.
pub fn parse_shared(raw: &Str) -> ValueKind {
    let (start, end) = core(raw);
    let text = &raw[start..end];
    if let Some(quantity) = plain_number(text).or_else(|| simple_quantity(text)) {
        return Shape::Quantity(quantity).into_kind(raw);
    }
    general(raw, start, end)
}

/// The whole grammar over `raw[start..end]`, the value without its surrounding blanks.
fn general(raw: &Str, start: usize, end: usize) -> ValueKind {
    let text = &raw[start..end];
    if !text.chars().any(is_alphanumeric) {
        return ValueKind::Empty;
    }
    if let Some(parts) = compound(raw, start, end) {
        return ValueKind::Compound { parts };
    }
    single(text).into_kind(raw)
}

/// The most common values, `100%`, `≥95%`, `≤2`, `0.5`: an optional `≥`/`≤`, ASCII digits with at
/// most one decimal point, an optional `%`. Read here without the general grammar, which gives
/// the same quantity for them (a test compares the two) but tries deadlines, document numbers
/// and compounds first; this form is most of the values in published tables.
fn plain_number(text: &str) -> Option<QuantityRef<'_>> {
    let bytes = text.as_bytes();
    let (comparator, comparator_len) = if text.starts_with('≥') {
        (Some(Comparator::Ge), '≥'.len_utf8())
    } else if text.starts_with('≤') {
        (Some(Comparator::Le), '≤'.len_utf8())
    } else {
        (None, 0)
    };
    let body = &bytes[comparator_len..];
    let unit_len = usize::from(body.last() == Some(&b'%'));
    let number = &body[..body.len() - unit_len];
    let integer = number.iter().take_while(|b| b.is_ascii_digit()).count();
    let fraction = match &number[integer..] {
        [] => 0,
        [b'.', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) => rest.len(),
        _ => return None,
    };
    // `2023.07` is a date (a deadline), and long digit runs are left to the general reader's
    // limits.
    if integer == 0
        || integer + fraction > 20
        || (comparator.is_none() && integer == 4 && fraction > 0)
    {
        return None;
    }
    let digits = &text[comparator_len..comparator_len + number.len()];
    let number = decimal(digits)?;
    let end = text.len();
    Some(QuantityRef {
        comparator,
        comparator_raw: &text[..comparator_len],
        number,
        subject: &text[comparator_len..comparator_len],
        unit: (unit_len > 0).then(|| &text[end - 1..]),
        scale: None,
        trailing: &text[end..],
    })
}

/// The next most common values, `>94%`, `≥513人`, `不少于1026人次`, `≤491.00万元`, `1537户以上`: a
/// comparator at the start (a symbol run or a word) or none, ASCII digits with at most one
/// decimal point, a unit of ideographs (or `%`, `‰`) and a postfix at the end. None of them can
/// be a compound (no separator), a deadline (no date character follows the number) or a document
/// number (no `号`), so the general grammar reads them as this quantity after trying those; a
/// test compares the two. Anything else (a scale word, a blank, a subject, trailing text) is left
/// to the general grammar.
fn simple_quantity(text: &str) -> Option<QuantityRef<'_>> {
    let first = text.chars().next()?;
    let prefix = if first.is_ascii_digit() {
        None
    } else if matches!(first, ':' | '：') {
        return None;
    } else {
        Some(prefix_at(text, true)?)
    };
    let number_start = prefix.map_or(0, |p| p.raw.len());
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let integer = digits(number_start);
    let mut number_end = number_start + integer;
    let mut fraction = 0;
    if bytes.get(number_end) == Some(&b'.') {
        fraction = digits(number_end + 1);
        if fraction == 0 {
            return None;
        }
        number_end += 1 + fraction;
    }
    // `2023.07` may be a date, and long digit runs are left to the general reader's limits.
    if integer == 0 || integer + fraction > 20 || (integer == 4 && fraction > 0) {
        return None;
    }
    let number = decimal(&text[number_start..number_end])?;
    let rest = &text[number_end..];
    // A scale word (`3万`, `3个亿`) is read by the general grammar; `万元` is a unit.
    if scale_at(rest).is_some()
        || rest
            .strip_prefix('个')
            .is_some_and(|r| scale_at(r).is_some())
    {
        return None;
    }
    let mut unit_end = 0;
    let mut count = 0;
    for (i, c) in rest.char_indices() {
        let takes = if i == 0 {
            match c {
                '%' | '‰' => {
                    unit_end = c.len_utf8();
                    break;
                }
                // A date (`12月`, `2023年`, `25日`, `25号`) or a document number.
                '年' | '月' | '日' | '号' => return None,
                _ => is_unit_ideograph(c),
            }
        } else {
            is_unit_ideograph(c) || c == '/'
        };
        if !takes {
            break;
        }
        count += 1;
        if count > MAX_UNIT {
            return None;
        }
        unit_end = i + c.len_utf8();
    }
    let after = &rest[unit_end..];
    let postfix = if after.is_empty() {
        None
    } else {
        Some(postfix_at(after).filter(|(_, raw)| raw.len() == after.len())?)
    };
    let (comparator, comparator_raw) = match (prefix, postfix) {
        (Some(p), _) if !p.weak => (Some(p.comparator), p.raw),
        (_, Some((comparator, raw))) => (Some(comparator), raw),
        (Some(p), None) => (Some(p.comparator), p.raw),
        (None, None) => (None, ""),
    };
    let end = text.len();
    Some(QuantityRef {
        comparator,
        comparator_raw,
        number,
        subject: &text[..0],
        unit: (unit_end > 0).then(|| &rest[..unit_end]),
        scale: None,
        trailing: &text[end..],
    })
}

/// An ideograph that [`unit`] reads as part of a unit wherever it stands, and that neither
/// begins a postfix (`以上`, `内`) nor joins a range (`至`, `到`) nor ends a document number.
fn is_unit_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        && !matches!(
            c,
            '及' | '或' | '以' | '之' | '左' | '上' | '内' | '至' | '到' | '号'
        )
}

/// `Decimal::from_str`, with the common case (`34,139.95` without its commas, `95`: at most 18
/// digits, at most one point, no sign) read directly; every amount and number goes through here.
pub(crate) fn decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let mut mantissa: i64 = 0;
    let mut digits = 0;
    let mut scale = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // Eighteen digits always fit an i64; a nineteenth might not.
            b'0'..=b'9' if digits < 18 => {
                mantissa = mantissa * 10 + i64::from(b - b'0');
                digits += 1;
            }
            b'.' if scale.is_none() && i > 0 && i + 1 < bytes.len() => {
                scale = Some(bytes.len() - i - 1)
            }
            _ => return Decimal::from_str(text).ok(),
        }
    }
    if digits == 0 {
        return Decimal::from_str(text).ok();
    }
    let scale = u32::try_from(scale.unwrap_or(0)).ok()?;
    Some(Decimal::new(mantissa, scale))
}

/// `char::is_alphanumeric` with the common cases (ASCII, CJK ideographs) answered without its
/// table lookups, which showed in profiles.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Punctuation and comparators (`，` `：` `≥` `“`) start or end most values and are neither
    // letters nor digits; a test checks these ranges against the tables.
    let no_alphanumeric = matches!(c,
        '\u{2000}'..='\u{206F}' // general punctuation
        | '\u{2190}'..='\u{22FF}' // arrows, mathematical operators
        | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' // CJK punctuation
        | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' // full-width punctuation
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}'
    );
    !no_alphanumeric && (('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric())
}

/// What one value (or one part of a compound) was read as, borrowing from the input.
enum Shape<'a> {
    Quantity(QuantityRef<'a>),
    Deadline(DeadlineRef<'a>),
    Reference(&'a str),
    Qualitative,
    Empty,
}

struct QuantityRef<'a> {
    comparator: Option<Comparator>,
    comparator_raw: &'a str,
    number: Decimal,
    subject: &'a str,
    unit: Option<&'a str>,
    scale: Option<Scale>,
    trailing: &'a str,
}

struct DeadlineRef<'a> {
    month: Option<u8>,
    day: Option<u8>,
    recurring: bool,
    /// The occasions as written, still joined by `、` `和`…
    occasions: &'a str,
}

impl Shape<'_> {
    fn is_target(&self) -> bool {
        matches!(self, Shape::Quantity(_) | Shape::Deadline(_))
    }

    /// The owned kind; `base` is the text the shape's slices were taken from.
    fn into_kind(self, base: &Str) -> ValueKind {
        match self {
            Shape::Quantity(q) => ValueKind::Quantitative(Quantity {
                comparator: q.comparator,
                comparator_raw: base.slice_ref(q.comparator_raw),
                number: q.number,
                subject: base.slice_ref(q.subject),
                unit: q.unit.map(|unit| base.slice_ref(unit)),
                scale: q.scale,
                trailing: base.slice_ref(q.trailing),
            }),
            Shape::Deadline(d) => ValueKind::Deadline(Deadline {
                month: d.month,
                day: d.day,
                recurring: d.recurring,
                occasions: d
                    .occasions
                    .split(is_occasion_joiner)
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
            Shape::Reference(reference) => ValueKind::Reference {
                reference: base.slice_ref(reference),
            },
            Shape::Qualitative => ValueKind::Qualitative,
            Shape::Empty => ValueKind::Empty,
        }
    }
}

/// The byte range of `raw` without surrounding blanks and trailing sentence punctuation.
fn core(raw: &str) -> (usize, usize) {
    // Most values start with a printable ASCII character or an ideograph (E4 to E9 lead, UTF-8
    // of U+4E00..=U+9FFF and more, no blank among them) and end with a letter, a digit, `%` or an
    // ideograph: nothing to trim, told by their bytes.
    let bytes = raw.as_bytes();
    let plain_start = matches!(bytes.first(), Some(0x21..=0x7E | 0xE4..=0xE9));
    let plain_end = match bytes {
        [.., last] if last.is_ascii_alphanumeric() || *last == b'%' => true,
        [.., lead, _, _] => (0xE4..=0xE9).contains(lead),
        _ => false,
    };
    if plain_start && plain_end {
        return (0, raw.len());
    }
    let trimmed = raw.trim_start_matches(is_blank);
    let start = raw.len() - trimmed.len();
    let end = start
        + trimmed
            .trim_end_matches(|c: char| {
                is_blank(c) || matches!(c, '。' | '.' | '．' | '，' | ',' | '；' | ';' | '、')
            })
            .len();
    (start, end)
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}')
}

/// Full-width ASCII and the ideographic space read as their ASCII counterparts.
fn fold(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_digit(c: char) -> bool {
    fold(c).is_ascii_digit()
}

/// Separators between the targets of a compound, and the end of a unit or a subject.
fn is_separator(c: char) -> bool {
    matches!(fold(c), ',' | ';' | '。' | '、' | '\n' | '\r')
}

fn is_open_bracket(c: char) -> bool {
    matches!(fold(c), '(' | '[' | '【' | '〔' | '﹝' | '《')
}

fn is_close_bracket(c: char) -> bool {
    matches!(fold(c), ')' | ']' | '】' | '〕' | '﹞' | '》')
}

fn is_range_mark(c: char) -> bool {
    matches!(fold(c), '-' | '~' | '—' | '–' | '−' | '〜')
}

fn is_sign(c: char) -> bool {
    matches!(fold(c), '-' | '−')
}

fn is_occasion_joiner(c: char) -> bool {
    matches!(fold(c), '、' | '和' | '及' | '与' | '或' | '/' | ',')
}

fn char_count_exceeds(s: &str, max: usize) -> bool {
    s.chars().nth(max).is_some()
}

/// A position in a text with helpers that read the folded characters.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Self { text, pos }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next().map(fold)
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1).map(fold)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(fold(c))
    }

    fn eat_if(&mut self, pred: impl Fn(char) -> bool) -> bool {
        match self.peek() {
            Some(c) if pred(c) => {
                self.bump();
                true
            }
            _ => false,
        }
    }

    fn eat_any(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let rest = self.rest();
        let word = words.iter().find(|w| rest.starts_with(**w))?;
        self.pos += word.len();
        Some(word)
    }

    fn skip_blank(&mut self) {
        while self.rest().starts_with(is_blank) {
            self.bump();
        }
    }

    fn at_number(&self) -> bool {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if is_sign(c) => self.peek_second().is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        }
    }

    /// Reads 1..=`max` digits as a small integer; reads nothing when there are more.
    fn small_number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.pos;
        let mut value = 0u32;
        let mut count = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            if count == max {
                self.pos = start;
                return None;
            }
            value = value * 10 + d;
            count += 1;
            self.bump();
        }
        if count == 0 {
            None
        } else {
            Some((value, count))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compound

fn compound(raw: &Str, start: usize, end: usize) -> Option<Vec<ValuePart>> {
    let text = &raw[start..end];
    if !text.chars().any(is_separator) {
        return None;
    }
    let targets = segments(text)
        .filter(|&(a, b)| single(text[a..b].trim_matches(is_blank)).is_target())
        .take(2)
        .count();
    if targets < 2 {
        return None;
    }
    let parts = segments(text)
        .filter_map(|(a, b)| {
            let segment = &text[a..b];
            let lead = segment.len() - segment.trim_start_matches(is_blank).len();
            let part = segment.trim_matches(is_blank);
            if part.is_empty() {
                return None;
            }
            let part_start = start + a + lead;
            Some(ValuePart {
                raw: raw.slice_ref(part),
                start: offset(part_start),
                end: offset(part_start + part.len()),
                kind: single(part).into_kind(raw),
            })
        })
        .collect();
    Some(parts)
}

fn offset(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Byte ranges of the parts of `text` between separators outside brackets.
fn segments(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut depth = 0u32;
    let mut start = 0;
    let mut done = false;
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        for (i, c) in chars.by_ref() {
            if is_open_bracket(c) {
                depth += 1;
            } else if is_close_bracket(c) {
                depth = depth.saturating_sub(1);
            } else if depth == 0
                && is_separator(c)
                && !is_thousands_comma(text, i)
                && !joins_occasions(text, i, c)
            {
                let range = (start, i);
                start = i + c.len_utf8();
                return Some(range);
            }
        }
        done = true;
        Some((start, text.len()))
    })
}

/// A `、` between two occasions (`春节、中秋节前`), which joins them rather than two targets.
fn joins_occasions(text: &str, index: usize, c: char) -> bool {
    c == '、'
        && OCCASIONS.iter().any(|o| text[..index].ends_with(o))
        && OCCASIONS
            .iter()
            .any(|o| text[index + c.len_utf8()..].starts_with(o))
}

/// An ASCII comma at `index` between a digit and exactly three digits: `15,000`.
fn is_thousands_comma(text: &str, index: usize) -> bool {
    if !text[index..].starts_with(',') {
        return false;
    }
    let before = text[..index].chars().next_back().is_some_and(is_digit);
    let mut after = text[index + 1..].chars();
    before
        && (0..3).all(|_| after.next().is_some_and(is_digit))
        && !after.next().is_some_and(is_digit)
}

// ---------------------------------------------------------------------------------------------
// One value

fn single(text: &str) -> Shape<'_> {
    let (start, end) = core(text);
    let text = &text[start..end];
    if !text.chars().any(is_alphanumeric) {
        return Shape::Empty;
    }
    if let Some(deadline) = deadline(text) {
        return Shape::Deadline(deadline);
    }
    if let Some(document) = document_number(text) {
        return Shape::Reference(document);
    }
    if let Some(quantity) = quantity(text) {
        return Shape::Quantity(quantity);
    }
    match reference(text) {
        Some(reference) => Shape::Reference(reference),
        None => Shape::Qualitative,
    }
}

// ---------------------------------------------------------------------------------------------
// Comparators

/// Comparator words before a number, longest first so that 不低于 wins over 低于. The flag marks
/// a weak comparator that a postfix overrides.
const PREFIX_WORDS: &[(&str, Comparator, bool)] = &[
    ("大于或等于", Comparator::Ge, false),
    ("小于或等于", Comparator::Le, false),
    ("大于等于", Comparator::Ge, false),
    ("小于等于", Comparator::Le, false),
    ("不得低于", Comparator::Ge, false),
    ("不得少于", Comparator::Ge, false),
    ("不得超过", Comparator::Le, false),
    ("不得高于", Comparator::Le, false),
    ("不得多于", Comparator::Le, false),
    ("不低于", Comparator::Ge, false),
    ("不少于", Comparator::Ge, false),
    ("不小于", Comparator::Ge, false),
    ("不高于", Comparator::Le, false),
    ("不超过", Comparator::Le, false),
    ("不多于", Comparator::Le, false),
    ("不大于", Comparator::Le, false),
    ("控制在", Comparator::Le, true),
    ("至少", Comparator::Ge, false),
    ("至多", Comparator::Le, false),
    ("大于", Comparator::Gt, false),
    ("超过", Comparator::Gt, false),
    ("高于", Comparator::Gt, false),
    ("多于", Comparator::Gt, false),
    ("小于", Comparator::Lt, false),
    ("低于", Comparator::Lt, false),
    ("少于", Comparator::Lt, false),
    ("不足", Comparator::Lt, false),
    ("等于", Comparator::Eq, false),
    ("大约", Comparator::Approx, false),
    ("约", Comparator::Approx, false),
];

/// Comparator words after the number and unit, longest first.
const POSTFIX_WORDS: &[(&str, Comparator)] = &[
    ("及以上", Comparator::Ge),
    ("或以上", Comparator::Ge),
    ("及以下", Comparator::Le),
    ("或以下", Comparator::Le),
    ("以上", Comparator::Ge),
    ("以下", Comparator::Le),
    ("以内", Comparator::Le),
    ("之内", Comparator::Le),
    ("左右", Comparator::Approx),
    ("上下", Comparator::Approx),
    ("内", Comparator::Le),
];

#[derive(Clone, Copy)]
struct Prefix<'a> {
    comparator: Comparator,
    raw: &'a str,
    weak: bool,
}

/// A comparator symbol, normalised to one of `> < = ≥ ≤ ≈`.
fn symbol(c: char) -> Option<char> {
    Some(match fold(c) {
        '>' => '>',
        '<' => '<',
        '=' | '﹦' | '═' => '=',
        '≥' | '≧' | '⩾' => '≥',
        '≤' | '≦' | '⩽' => '≤',
        '≈' => '≈',
        _ => return None,
    })
}

/// A run of comparator symbols at the start of `s` and its length in bytes.
fn symbol_comparator(s: &str) -> Option<(Comparator, usize)> {
    let mut symbols = ['\0'; 2];
    let mut count = 0;
    let mut len = 0;
    for c in s.chars() {
        let Some(sym) = symbol(c) else { break };
        if count == symbols.len() {
            return None;
        }
        symbols[count] = sym;
        count += 1;
        len += c.len_utf8();
    }
    let comparator = match symbols[..count] {
        ['≥'] | ['>', '='] | ['=', '>'] | ['≥', '='] => Comparator::Ge,
        ['≤'] | ['<', '='] | ['=', '<'] | ['≤', '='] => Comparator::Le,
        ['>'] => Comparator::Gt,
        ['<'] => Comparator::Lt,
        ['='] | ['=', '='] => Comparator::Eq,
        ['≈'] => Comparator::Approx,
        _ => return None,
    };
    Some((comparator, len))
}

/// A comparator at the start of `s`, with a stray colon before it; `approx` allows 约.
fn prefix_at(s: &str, approx: bool) -> Option<Prefix<'_>> {
    let body = s.trim_start_matches([':', '：']);
    let colon = s.len() - body.len();
    if colon > '：'.len_utf8() * 2 {
        return None;
    }
    if let Some((comparator, len)) = symbol_comparator(body) {
        return Some(Prefix {
            comparator,
            raw: &s[..colon + len],
            weak: false,
        });
    }
    let first = body.chars().next()?;
    // OCR prints `≥` as `工` or `^` (`工5%`, `^80%`); only right before a digit.
    if matches!(first, '工' | '^')
        && body[first.len_utf8()..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Some(Prefix {
            comparator: Comparator::Ge,
            raw: &s[..colon + first.len_utf8()],
            weak: false,
        });
    }
    if !matches!(
        first,
        '大' | '小' | '不' | '低' | '高' | '超' | '多' | '少' | '等' | '约' | '至' | '控'
    ) {
        return None;
    }
    PREFIX_WORDS
        .iter()
        .find(|(word, comparator, _)| {
            body.starts_with(word) && (approx || *comparator != Comparator::Approx)
        })
        .map(|&(word, comparator, weak)| Prefix {
            comparator,
            raw: &s[..colon + word.len()],
            weak,
        })
}

fn postfix_at(s: &str) -> Option<(Comparator, &str)> {
    POSTFIX_WORDS
        .iter()
        .find(|(word, _)| s.starts_with(word))
        .map(|&(word, comparator)| (comparator, &s[..word.len()]))
}

// ---------------------------------------------------------------------------------------------
// Quantities

fn quantity(text: &str) -> Option<QuantityRef<'_>> {
    let (hint, body) = leading_hint(text);
    let mut cur = Cursor::new(text, body);
    cur.skip_blank();
    let subject_start = cur.pos;

    // Subject, then the comparator directly before the number.
    let mut prefix = None;
    // Characters the trimmed subject will keep at least; past `MAX_SUBJECT` no quantity can
    // follow, so long qualitative values stop here instead of being scanned to the end.
    let mut kept = 0;
    let subject_end = loop {
        let here = cur.pos;
        if cur.at_number() {
            break here;
        }
        let c = cur.peek()?;
        if is_separator(c) {
            return None;
        }
        // Only `约` and `大约` depend on the word before them; look back only for those.
        let approx = !matches!(c, '约' | '大')
            || !text[subject_start..here]
                .trim_matches(is_blank)
                .chars()
                .next_back()
                .is_some_and(|c| YUE_WORDS.contains(c));
        if let Some(p) = prefix_at(cur.rest(), approx) {
            let mut after = Cursor::new(text, here + p.raw.len());
            after.skip_blank();
            if !after.at_number() {
                // A comparator before words, not a number: `不低于上年的10%` is a reference.
                return None;
            }
            prefix = Some(p);
            cur = after;
            break here;
        }
        if !(is_blank(c) || c == ':') {
            kept += 1;
            if kept > MAX_SUBJECT {
                return None;
            }
        }
        cur.bump();
    };
    let subject = text[subject_start..subject_end]
        .trim_end_matches(|c: char| is_blank(c) || matches!(c, ':' | '：'))
        .trim_start_matches(is_blank);
    if char_count_exceeds(subject, MAX_SUBJECT) {
        return None;
    }

    let number = number(&mut cur)?;
    cur.skip_blank();

    // Scale, after an optional classifier: `3个亿`.
    let mut scale = None;
    let mut classifier = cur;
    if classifier.eat_any(&["个"]).is_some() && scale_at(classifier.rest()).is_some() {
        cur = classifier;
    }
    if let Some((s, len)) = scale_at(cur.rest()) {
        scale = Some(s);
        cur.pos += len;
        cur.skip_blank();
    }

    let unit = unit(&mut cur);
    if unit.is_some_and(|u| char_count_exceeds(u, MAX_UNIT)) {
        return None;
    }
    cur.skip_blank();

    let postfix = postfix_at(cur.rest());
    if let Some((_, raw)) = postfix {
        cur.pos += raw.len();
    }

    let trailing = cur.rest().trim_matches(is_blank);
    if char_count_exceeds(trailing, MAX_TRAILING) {
        return None;
    }
    if trailing.chars().any(is_digit)
        && !trailing
            .chars()
            .next()
            .is_some_and(|c| is_range_mark(c) || is_open_bracket(c) || matches!(c, '至' | '到'))
    {
        return None;
    }

    let (comparator, comparator_raw) = match (prefix, postfix, hint.comparator) {
        (Some(p), _, _) if !p.weak => (Some(p.comparator), p.raw),
        (_, Some((comparator, raw)), _) => (Some(comparator), raw),
        (Some(p), None, _) => (Some(p.comparator), p.raw),
        (None, None, Some(p)) => (Some(p.comparator), p.raw),
        (None, None, None) => (None, ""),
    };
    Some(QuantityRef {
        comparator,
        comparator_raw,
        number,
        subject,
        unit: unit.or(hint.unit),
        scale,
        trailing,
    })
}

/// Characters that make a word with a following 约 (节约, 预约, 签约), which is then no comparator.
const YUE_WORDS: &str = "节预签制合履违特邀契公条践赴相失集俭简缔解守如誓立";

#[derive(Default)]
struct Hint<'a> {
    comparator: Option<Prefix<'a>>,
    unit: Option<&'a str>,
}

/// A bracketed group at the start of `text` that is followed by a number somewhere: a template
/// hint (`(≥**%)85`) or an enumeration (`（1）10人`). Returns what it says and where the value
/// starts.
fn leading_hint(text: &str) -> (Hint<'_>, usize) {
    let none = (Hint::default(), 0);
    if !text.starts_with(is_open_bracket) {
        return none;
    }
    let mut depth = 0u32;
    for (i, c) in text.char_indices() {
        if is_open_bracket(c) {
            depth += 1;
        } else if is_close_bracket(c) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                let body = i + c.len_utf8();
                if !text[body..].chars().any(is_digit) {
                    return none;
                }
                let inner = text[first_len(text)..i].trim_matches(is_blank);
                let unit = inner
                    .char_indices()
                    .next_back()
                    .filter(|&(_, c)| matches!(fold(c), '%'))
                    .map(|(j, _)| &inner[j..]);
                let hint = Hint {
                    comparator: prefix_at(inner, true),
                    unit,
                };
                return (hint, body);
            }
        }
    }
    none
}

/// The length in bytes of the first character of `text`.
fn first_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

/// A decimal number at the cursor: digits, thousands commas before exactly three digits, one
/// decimal point, a leading minus.
fn number(cur: &mut Cursor<'_>) -> Option<Decimal> {
    const MAX_DIGITS: usize = 28;
    let mut buf = [0u8; MAX_DIGITS + 2];
    let mut len = 0;
    if cur.peek().is_some_and(is_sign) {
        cur.bump();
        buf[0] = b'-';
        len = 1;
    }
    let mut seen_point = false;
    while let Some(c) = cur.peek() {
        if c.is_ascii_digit() {
            if len == buf.len() {
                return None;
            }
            buf[len] = c as u8;
            len += 1;
            cur.bump();
        } else if c == '.' && !seen_point && cur.peek_second().is_some_and(|d| d.is_ascii_digit()) {
            if len == buf.len() {
                return None;
            }
            seen_point = true;
            buf[len] = b'.';
            len += 1;
            cur.bump();
        } else if c == ',' && !seen_point && is_thousands_comma(cur.text, cur.pos) {
            cur.bump();
        } else {
            break;
        }
    }
    let digits = std::str::from_utf8(&buf[..len]).ok()?;
    decimal(digits)
}

/// A scale word at the start of `s`, unless it begins a unit (`万元`, `百分比`, `千米`).
fn scale_at(s: &str) -> Option<(Scale, usize)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    let scale = Scale::from_char(c)?;
    let next = chars.next();
    let begins_unit = match scale {
        Scale::Hundred => next == Some('分'),
        Scale::Thousand => matches!(
            next,
            Some('元' | '米' | '克' | '瓦' | '伏' | '卡' | '帕' | '焦' | '赫' | '字' | '兆')
        ),
        Scale::TenThousand | Scale::HundredMillion => next == Some('元'),
    };
    if begins_unit {
        None
    } else {
        Some((scale, c.len_utf8()))
    }
}

/// The unit at the cursor, if any.
fn unit<'a>(cur: &mut Cursor<'a>) -> Option<&'a str> {
    let start = cur.pos;
    let mut prev = None::<char>;
    while let Some(c) = cur.peek() {
        let ends = is_blank(c)
            || is_separator(c)
            || is_open_bracket(c)
            || is_close_bracket(c)
            || symbol(c).is_some()
            || is_range_mark(c)
            || c == ':'
            || (c.is_ascii_digit() && !prev.is_some_and(|p| p.is_ascii_alphabetic()))
            || (matches!(c, '至' | '到') && cur.peek_second().is_some_and(|d| d.is_ascii_digit()))
            || postfix_at(cur.rest()).is_some();
        if ends {
            break;
        }
        cur.bump();
        prev = Some(c);
        if matches!(c, '%' | '‰' | '℃') {
            break;
        }
    }
    let unit = &cur.text[start..cur.pos];
    (!unit.is_empty()).then_some(unit)
}

// ---------------------------------------------------------------------------------------------
// Deadlines

/// Festivals and other occasions a deadline may name, longer spellings first.
#[rustfmt::skip]
const OCCASIONS: &[&str] = &[
    "春节", "元旦", "元宵节", "元宵", "清明节", "清明", "劳动节", "五一", "端午节", "端午",
    "建党节", "七一", "建军节", "八一", "中秋节", "中秋", "国庆节", "国庆", "重阳节", "重阳",
    "除夕", "冬至", "汛期", "开学", "寒假", "暑假",
];

/// Whether some occasion begins with `c`, without comparing against each of them: this runs for
/// every value that is not a plain number.
fn begins_occasion(c: char) -> bool {
    matches!(
        c,
        '春' | '元'
            | '清'
            | '劳'
            | '五'
            | '端'
            | '建'
            | '七'
            | '八'
            | '中'
            | '国'
            | '重'
            | '除'
            | '冬'
            | '汛'
            | '开'
            | '寒'
            | '暑'
    )
}

/// What may follow `按月`/`按季度` for the text to be a schedule.
const SCHEDULED_VERBS: &[&str] = &[
    "发放", "拨付", "支付", "兑付", "兑现", "结算", "上报", "报送", "申报", "完成", "开展", "检查",
    "考核", "统计", "更新", "召开", "公示", "到位",
];

const TERMINATORS: &[&str] = &[
    "之前", "以前", "前", "为止", "止", "以内", "之内", "内", "期间", "底", "末",
];

#[derive(Default, Clone, Copy)]
struct Date {
    /// Written with `.` `/` `-` (`2023.07`), which also reads as a number: `2023.10%`.
    dotted: bool,
    year: bool,
    month: Option<u32>,
    day: Option<u32>,
}

fn deadline(text: &str) -> Option<DeadlineRef<'_>> {
    let first = text.chars().next()?;
    if !(is_digit(first)
        || matches!(
            first,
            '截' | '于' | '在' | '至' | '每' | '按' | '年' | '当' | '本' | '上' | '下'
        )
        || begins_occasion(first))
    {
        return None;
    }
    let mut cur = Cursor::new(text, 0);
    cur.eat_any(&["截止到", "截至到", "截止", "截至", "至", "于", "在"]);
    cur.skip_blank();

    let mut recurring = false;
    let mut by = false;
    if cur
        .eat_any(&[
            "每个月",
            "每月",
            "每季度",
            "每季",
            "每半年",
            "每年度",
            "每年",
            "每周",
        ])
        .is_some()
    {
        recurring = true;
    } else if cur
        .eat_any(&["按月", "按季度", "按季", "按半年", "按年度", "按年", "按周"])
        .is_some()
    {
        recurring = true;
        by = true;
    }

    let mut date = Date::default();
    let mut dotted = false;
    let mut occasions = "";
    let mut period = false;
    if let Some(d) = date_part(&mut cur) {
        date = d;
        dotted = d.dotted;
        let save = cur;
        cur.skip_blank();
        if range_mark(&mut cur) {
            cur.skip_blank();
            match date_part(&mut cur) {
                Some(end) => {
                    dotted |= end.dotted;
                    date = end;
                }
                None => cur = save,
            }
        } else {
            cur = save;
        }
    } else if let Some(end) = bare_window(&mut cur) {
        date = end;
    } else if let Some(o) = occasion_list(&mut cur) {
        occasions = o;
    } else if cur.eat_any(&["年底", "年末", "年终"]).is_some() {
        date.month = Some(12);
    } else if cur.eat_any(&["上半年"]).is_some() {
        date.month = Some(6);
    } else if cur.eat_any(&["下半年"]).is_some() {
        date.month = Some(12);
    } else if cur
        .eat_any(&[
            "本年度内",
            "当年度内",
            "年度内",
            "当年内",
            "年内",
            "当年度",
            "当年",
            "本年度",
        ])
        .is_some()
        || (recurring && cur.eat_any(&["末", "底", "初"]).is_some())
    {
        period = true;
    }

    cur.skip_blank();
    let terminator = cur.eat_any(TERMINATORS);
    let tail = cur.rest().trim_matches(is_blank);
    if char_count_exceeds(tail, MAX_DEADLINE_TAIL)
        || tail
            .chars()
            .any(|c| is_digit(c) || is_separator(c) || symbol(c).is_some())
        || contains_any(tail, REFERENCE_NOUNS)
        || (dotted && !tail.is_empty())
    {
        return None;
    }

    let accepted = if !occasions.is_empty() {
        terminator.is_some()
    } else if date.year || date.month.is_some() || period {
        true
    } else if date.day.is_some() {
        recurring || matches!(terminator, Some("前" | "之前" | "以前" | "为止" | "止"))
    } else {
        // `按月发放`, `按季度拨付`: a schedule, but `按年度预算执行` is not one.
        by && (tail.is_empty() || SCHEDULED_VERBS.iter().any(|v| tail.starts_with(v)))
    };
    if !accepted
        || date.month.is_some_and(|m| !(1..=12).contains(&m))
        || date.day.is_some_and(|d| !(1..=31).contains(&d))
    {
        return None;
    }
    Some(DeadlineRef {
        month: date.month.and_then(|m| u8::try_from(m).ok()),
        day: date.day.and_then(|d| u8::try_from(d).ok()),
        recurring,
        occasions,
    })
}

fn range_mark(cur: &mut Cursor<'_>) -> bool {
    if cur.eat_if(is_range_mark) {
        cur.eat_if(is_range_mark);
        true
    } else {
        cur.eat_any(&["至", "到"]).is_some()
    }
}

/// `2023年12月31日`, `2023年底`, `12月底`, `25号`, `2023.07`, `2023-07-01`.
fn date_part(cur: &mut Cursor<'_>) -> Option<Date> {
    let start = *cur;
    let Some((value, digits)) = cur.small_number(4) else {
        *cur = start;
        return None;
    };
    let mut date = Date::default();
    match cur.peek() {
        Some('年') if digits == 4 && (1900..=2100).contains(&value) => {
            cur.bump();
            cur.eat_any(&["度"]);
            date.year = true;
            if cur.eat_any(&["底", "末", "终"]).is_some() {
                date.month = Some(12);
                return Some(date);
            }
            let before_month = *cur;
            match cur.small_number(2) {
                Some((month, _)) if cur.peek() == Some('月') => {
                    cur.bump();
                    date.month = Some(month);
                    date.day = day_after_month(cur);
                }
                _ => *cur = before_month,
            }
        }
        Some('.' | '/' | '-') if digits == 4 && (1900..=2100).contains(&value) => {
            cur.bump();
            match cur.small_number(2) {
                Some((month, _)) => {
                    date.dotted = true;
                    date.year = true;
                    date.month = Some(month);
                    let before_day = *cur;
                    if cur.eat_if(|c| matches!(c, '.' | '/' | '-')) {
                        match cur.small_number(2) {
                            Some((day, _)) => date.day = Some(day),
                            None => *cur = before_day,
                        }
                    }
                }
                None => {
                    *cur = start;
                    return None;
                }
            }
        }
        Some('月') if digits <= 2 => {
            cur.bump();
            date.month = Some(value);
            date.day = day_after_month(cur);
        }
        Some('日' | '号') if digits <= 2 => {
            cur.bump();
            date.day = Some(value);
        }
        _ => {
            *cur = start;
            return None;
        }
    }
    Some(date)
}

/// After `N月`: `底`/`末`/`上旬`… (no day) or `N日`/`N号`.
fn day_after_month(cur: &mut Cursor<'_>) -> Option<u32> {
    if cur
        .eat_any(&["底", "末", "上旬", "中旬", "下旬", "初"])
        .is_some()
    {
        return None;
    }
    let before = *cur;
    match cur.small_number(2) {
        Some((day, _)) if matches!(cur.peek(), Some('日' | '号')) => {
            cur.bump();
            Some(day)
        }
        _ => {
            *cur = before;
            None
        }
    }
}

/// `1-12月`: a bare month, a range mark and a date with a month; returns the end.
fn bare_window(cur: &mut Cursor<'_>) -> Option<Date> {
    let start = *cur;
    let found = (|| {
        cur.small_number(2)?;
        if !range_mark(cur) {
            return None;
        }
        date_part(cur).filter(|d| d.month.is_some())
    })();
    if found.is_none() {
        *cur = start;
    }
    found
}

/// `春节、中秋节`: occasions joined by `、` `和` `及`…
fn occasion_list<'a>(cur: &mut Cursor<'a>) -> Option<&'a str> {
    let start = cur.pos;
    cur.eat_any(OCCASIONS)?;
    loop {
        let end = *cur;
        if cur.eat_if(is_occasion_joiner) && cur.eat_any(OCCASIONS).is_some() {
            continue;
        }
        *cur = end;
        return Some(&cur.text[start..cur.pos]);
    }
}

// ---------------------------------------------------------------------------------------------
// References

/// Words that make the object of 按照/根据… a reference rather than a manner (`按时发放`).
const REFERENCE_NOUNS: &[&str] = &[
    "标准",
    "规定",
    "文件",
    "政策",
    "办法",
    "通知",
    "合同",
    "协议",
    "方案",
    "规划",
    "预算",
    "批复",
    "控制数",
    "定额",
    "细则",
    "制度",
    "条例",
    "法规",
    "意见",
    "号文",
];

/// Words that make the object of a comparator an outside figure (`不低于上年水平`).
const FIGURE_NOUNS: &[&str] = &[
    "上年",
    "去年",
    "往年",
    "上一年",
    "同期",
    "平均",
    "标准",
    "水平",
    "预算",
    "控制数",
    "计划",
    "批复",
    "规定",
    "文件",
    "基数",
    "核定",
    "定额",
    "合同",
    "限额",
    "数量",
    "总数",
    "目标",
];

/// Figures that are references by themselves (`年度控制数`).
const FIGURE_ENDINGS: &[&str] = &[
    "控制数",
    "预算数",
    "批复数",
    "核定数",
    "计划数",
    "控制额",
    "预算额",
    "限额",
    "控制线",
];

const REFERENCE_VERBS: &[&str] = &[
    "按照", "依照", "遵照", "参照", "根据", "依据", "参考", "执行", "按",
];

const CLOSING_VERBS: &[&str] = &[
    "执行", "发放", "落实", "兑付", "兑现", "实施", "拨付", "支付", "确定", "核定", "计算", "办理",
    "进行", "完成", "给予", "开展", "安排", "使用",
];

fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// `号`, found with memchr: `str::contains` with a non-ASCII character set up a general substring
/// search for every value.
static HAO: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("号"));

/// A document number such as `穗人社函〔2020〕73号`, with the issuer's abbreviation before it.
fn document_number(text: &str) -> Option<&str> {
    HAO.find(text.as_bytes())?;
    for (open, c) in text.char_indices().filter(|&(_, c)| is_open_bracket(c)) {
        let mut cur = Cursor::new(text, open + c.len_utf8());
        let is_number = cur.small_number(4).is_some_and(|(_, n)| n == 4)
            && cur.eat_if(is_close_bracket)
            && cur.small_number(6).is_some()
            && cur.eat_any(&["号"]).is_some();
        if !is_number {
            continue;
        }
        let issuer = text[..open]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| {
                ('\u{4e00}'..='\u{9fff}').contains(&c)
                    && !matches!(c, '照' | '据' | '的' | '和' | '及' | '与' | '或')
            })
            .take(12)
            .last()
            .map_or(open, |(i, _)| i);
        let mut reference = &text[issuer..cur.pos];
        while let Some(rest) = REFERENCE_VERBS
            .iter()
            .find_map(|v| reference.strip_prefix(v))
        {
            reference = rest;
        }
        return Some(reference);
    }
    None
}

fn reference(text: &str) -> Option<&str> {
    by_rule(text)
        .or_else(|| against_figure(text))
        .or_else(|| controlled(text))
        .or_else(|| as_standard(text))
}

/// `按政策标准执行` → `政策标准`; `严格按照预算标准1000元/人…` → `预算标准`.
fn by_rule(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("严格").unwrap_or(text);
    let rest = REFERENCE_VERBS.iter().find_map(|v| rest.strip_prefix(v))?;
    let end = rest
        .find(|c: char| is_digit(c) || is_separator(c) || is_open_bracket(c))
        .unwrap_or(rest.len());
    let mut core = rest[..end].trim_matches(is_blank);
    while let Some(shorter) = CLOSING_VERBS.iter().find_map(|v| core.strip_suffix(v)) {
        core = shorter;
    }
    (!core.is_empty() && contains_any(core, REFERENCE_NOUNS)).then_some(core)
}

/// `控制在批复资金内` → `批复资金`; `年度控制数` → itself.
fn controlled(text: &str) -> Option<&str> {
    let (core, kept) = match ["控制在", "控制于"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
    {
        Some(rest) => (rest, true),
        None => (text.strip_prefix("在").unwrap_or(text), false),
    };
    let core = [
        "范围之内",
        "范围以内",
        "范围内",
        "之内",
        "以内",
        "内",
        "范围",
    ]
    .iter()
    .find_map(|s| core.strip_suffix(s))
    .unwrap_or(core)
    .trim_matches(is_blank);
    // `控制在合理范围内` names no outside figure.
    let names_figure = if kept {
        contains_any(core, REFERENCE_NOUNS) || contains_any(core, FIGURE_NOUNS)
    } else {
        FIGURE_ENDINGS.iter().any(|e| core.ends_with(e))
    };
    let is_reference = !core.is_empty() && !core.chars().any(is_digit) && names_figure;
    is_reference.then_some(core)
}

/// `以财政批复为准` → `财政批复`.
fn as_standard(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("以")?;
    let core = ["为准", "为限"].iter().find_map(|s| rest.strip_suffix(s))?;
    let core = core.trim_matches(is_blank);
    (!core.is_empty()).then_some(core)
}

/// `不低于上年水平` → `上年水平`; `≤预算数` → `预算数`.
fn against_figure(text: &str) -> Option<&str> {
    let p = prefix_at(text, false).filter(|p| !p.weak)?;
    let rest = text[p.raw.len()..].trim_matches(is_blank);
    let starts_with_number = Cursor::new(rest, 0).at_number();
    (!rest.is_empty() && !starts_with_number && contains_any(rest, FIGURE_NOUNS)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that a quick path's reading of `raw[start..end]`, when it gives one, is what the
    /// general grammar reads, and that `parse_shared` agrees; true when the quick path gave one.
    fn agrees_with_general(
        raw: &Str,
        start: usize,
        end: usize,
        quick: Option<QuantityRef<'_>>,
    ) -> bool {
        let expected = general(raw, start, end);
        let taken = quick.is_some();
        if let Some(quantity) = quick {
            assert_eq!(
                Shape::Quantity(quantity).into_kind(raw),
                expected,
                "{}",
                raw.as_str()
            );
        }
        assert_eq!(parse_shared(raw), expected, "{}", raw.as_str());
        taken
    }

    #[test]
    fn begins_occasion_lists_the_first_characters_of_occasions() {
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let expected = OCCASIONS.iter().any(|o| o.starts_with(c));
            assert_eq!(begins_occasion(c), expected, "{c}");
        }
    }

    #[test]
    fn decimal_agrees_with_from_str() {
        let samples = [
            "0",
            "00",
            "0.00",
            "007",
            "1",
            "95",
            "34139.95",
            "404.50",
            "1.",
            ".5",
            "1.2.3",
            "-1.5",
            "+2",
            "-0.00",
            "999999999999999999",
            "9999999999999999999",
            "12345678901234567.8",
            "1234567890123456789.5",
            "0.000000000000000001",
            "",
            ".",
            "1e3",
            "1,000",
        ];
        for text in samples {
            let expected = Decimal::from_str(text).ok();
            let found = decimal(text);
            assert_eq!(found, expected, "{text}");
            assert_eq!(
                found.map(|d| d.to_string()),
                expected.map(|d| d.to_string()),
                "{text}"
            );
        }
        for n in 0..20_000u32 {
            for text in [
                format!("{n}"),
                format!("{}.{:02}", n / 100, n % 100),
                format!("{n}.5"),
            ] {
                let expected = Decimal::from_str(&text).ok();
                assert_eq!(
                    decimal(&text).map(|d| d.to_string()),
                    expected.map(|d| d.to_string())
                );
            }
        }
    }

    #[test]
    fn is_alphanumeric_agrees_with_std() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_alphanumeric(c),
                c.is_alphanumeric(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    /// The fast path for plain numbers must read exactly what the whole grammar reads.
    #[test]
    fn plain_numbers_read_as_the_grammar_reads_them() {
        let mut numbers: Vec<String> = (0..=2200).map(|n| n.to_string()).collect();
        numbers.extend(
            [
                "0.5",
                "00",
                "007",
                "1.25",
                "12.5",
                "123.45",
                "2023.07",
                "2023.7",
                "2023.12",
                "1899.5",
                "2101.01",
                "9999.99",
                "12345678901234567890",
                "123456789012345678901",
                "1234567890.1234567890",
                "1.",
                ".5",
                "1.2.3",
                "1,000",
                "",
                "-1",
                "1e3",
            ]
            .map(str::to_owned),
        );
        let mut fast = 0;
        for comparator in ["", "≥", "≤", "＞", "约", ">="] {
            for number in &numbers {
                for unit in ["", "%", "％", "次"] {
                    let text = format!("{comparator}{number}{unit}");
                    let raw = Str::new(&text);
                    let quick = plain_number(&text);
                    fast += usize::from(agrees_with_general(&raw, 0, raw.len(), quick));
                }
            }
        }
        assert!(fast > 10_000, "the fast path was taken {fast} times");
    }

    #[test]
    fn core_trims_as_the_character_scan_trims() {
        fn by_chars(raw: &str) -> (usize, usize) {
            let trimmed = raw.trim_start_matches(is_blank);
            let start = raw.len() - trimmed.len();
            let end = start
                + trimmed
                    .trim_end_matches(|c: char| {
                        is_blank(c)
                            || matches!(c, '。' | '.' | '．' | '，' | ',' | '；' | ';' | '、')
                    })
                    .len();
            (start, end)
        }
        let ends = [
            "", " ", "\u{3000}", "\u{feff}", "\u{200b}", "\u{a0}", "\n", "。", ".", "．", "，",
            ",", "；", ";", "、", "a", "5", "%", "％", "人", "一", "\u{9fff}", "\u{4dff}", "é",
            "≥", "）", "\u{2003}", "\u{1680}", "\u{205f}",
        ];
        for a in ends {
            for b in ends {
                for middle in ["", "x", "是", " 是 "] {
                    let text = format!("{a}{middle}{b}");
                    assert_eq!(core(&text), by_chars(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn simple_quantities_read_as_the_grammar_reads_them() {
        let comparators = [
            "",
            "≥",
            "≤",
            ">",
            "<",
            "=",
            ">=",
            "=>",
            "==",
            ">>",
            "≥=",
            "＞",
            "＞＝",
            "≈",
            "约",
            "大约",
            "不少于",
            "不低于",
            "大于等于",
            "大于或等于",
            "小于",
            "控制在",
            "至少",
            "至多",
            "至",
            "工",
            "^",
            "：",
            "≥:",
            ":≥",
            "-",
            "≥-",
            "≥ ",
            "大",
            "不",
            "每月",
            "年",
            "是",
        ];
        let numbers = [
            "0",
            "5",
            "12",
            "25",
            "95",
            "100",
            "513",
            "2023",
            "2024",
            "12345",
            "0.5",
            "12.5",
            "2023.07",
            "2023.5",
            "491.00",
            "1.",
            "1.2.3",
            "1,000",
            "12345678901234567890",
            "123456789012345678901",
        ];
        let units = [
            "",
            "%",
            "‰",
            "％",
            "%人",
            "人",
            "人次",
            "个",
            "个亿",
            "个万",
            "个月",
            "万",
            "万元",
            "亿元",
            "千元",
            "千米",
            "百分点",
            "百分比",
            "百",
            "万人",
            "万平方米",
            "元/人",
            "元/人次",
            "次/年",
            "/人",
            "年",
            "月",
            "日",
            "号",
            "日前",
            "月底",
            "年底",
            "人以上",
            "%以上",
            "以上",
            "以内",
            "内",
            "左右",
            "上下",
            "人左右",
            "个工作日内",
            "个工作日",
            "人上",
            "份及以上",
            "户或以上",
            "平方公里以上",
            "天之内",
            "人至",
            "至30人",
            "到",
            "人号",
            "一二三四五六七八",
            "一二三四五六七八九",
            "人.月",
            "人-",
            "人，",
            "人 ",
            "人(",
            "人）",
            "人5",
            "m2",
            "℃",
            "人春节前",
            "元/亩",
            "公里以内",
            "以上人",
        ];
        let mut fast = 0;
        for comparator in comparators {
            for number in numbers {
                for unit in units {
                    let text = format!("{comparator}{number}{unit}");
                    let raw = Str::new(&text);
                    let (start, end) = core(&raw);
                    let quick = simple_quantity(&raw[start..end]);
                    fast += usize::from(agrees_with_general(&raw, start, end, quick));
                }
            }
        }
        assert!(fast > 5_000, "the fast path was taken {fast} times");
    }
}
