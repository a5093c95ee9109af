//! Spreadsheet numbers and dates as Excel displays them, from the cell's number format code.
//!
//! Budget tables show amounts with fixed decimals (`#,##0.00`), rates as percentages (`0%`) and
//! dates in Chinese layouts (`yyyy"年"m"月"d"日"`); the stored value is a binary float such as
//! 35.400000000000006. Reviewers compare what they see, so the grid keeps the displayed text.
//!
//! Supported: digit placeholders `0 # ?`, thousands separators, trailing-comma scaling, `%`,
//! quoted and escaped literals, `[$¥-804]` currency, colours, sections for negative and zero
//! values, and the common date and time tokens. Scientific, fractional, conditional (`[>100]`)
//! and Chinese-numeral (`[DBNum1]`) formats fall back to `general`, as does a number whose
//! format is a date layout.

use rust_decimal::{Decimal, RoundingStrategy};

/// A number format code, parsed once per workbook style.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Format {
    General,
    Number(Vec<Section>),
    /// A date or time layout; numbers under it are shown as `general`.
    Date(Vec<DateToken>),
}

/// One `;`-separated part of a number format.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Section {
    prefix: String,
    suffix: String,
    /// `0`s before the decimal point: the fewest integer digits shown.
    min_int: usize,
    /// `0`s after the point: decimals always shown.
    min_decimals: usize,
    /// All placeholders after the point: decimals shown at most.
    max_decimals: usize,
    thousands: bool,
    /// Each `%` multiplies by 100.
    percents: u32,
    /// Each comma after the last placeholder divides by 1000.
    thousands_scale: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum DateToken {
    Literal(String),
    Year4,
    Year2,
    Month,
    Month2,
    MonthName,
    Day,
    Day2,
    Weekday,
    Hour,
    Hour2,
    Minute,
    Minute2,
    Second,
    Second2,
    /// Fractions of a second with this many digits.
    SubSecond(usize),
    AmPm,
    /// `上午/下午`: Chinese morning and afternoon.
    AmPmChinese,
    ElapsedHours,
    ElapsedMinutes,
    ElapsedSeconds,
}

impl Format {
    /// Parses a format code; `id` is the built-in format number, whose code in Chinese Excel is
    /// not always the one stored (built-in 14 shows the system's short date).
    pub(super) fn parse(code: &str, id: Option<u32>) -> Self {
        match id {
            Some(14) => return Self::Date(iso_date(false)),
            Some(22) => return Self::Date(iso_date(true)),
            Some(27..=36 | 50..=58) if code.eq_ignore_ascii_case("general") => {
                return Self::Date(iso_date(false));
            }
            _ => {}
        }
        let sections = split_sections(code);
        let first = sections.first().copied().unwrap_or("");
        if first.trim().eq_ignore_ascii_case("general") || first.trim() == "@" {
            return Self::General;
        }
        if let Some(tokens) = parse_date(first) {
            return Self::Date(tokens);
        }
        let parsed: Option<Vec<Section>> =
            sections.iter().take(3).map(|s| parse_section(s)).collect();
        match parsed {
            Some(parsed) if !parsed.is_empty() => Self::Number(parsed),
            _ => Self::General,
        }
    }

    /// A number as this format shows it.
    pub(super) fn number(&self, value: f64) -> String {
        match self {
            Self::Number(sections) => {
                format_number(sections, value).unwrap_or_else(|| general(value))
            }
            Self::General | Self::Date(_) => general(value),
        }
    }

    /// A date and time (as `(year, month, day, hour, minute, second, milli)`) as this format
    /// shows it; `serial` is the stored day count, for elapsed-time tokens. Non-date formats show
    /// the ISO date, with the time when there is one.
    pub(super) fn date(&self, parts: DateParts, serial: f64) -> String {
        match self {
            Self::Date(tokens) => format_date(tokens, parts, serial),
            Self::General | Self::Number(_) => {
                let with_time = parts.3 != 0 || parts.4 != 0 || parts.5 != 0;
                format_date(&iso_date(with_time), parts, serial)
            }
        }
    }
}

/// `(year, month, day, hour, minute, second, milli)`.
pub(super) type DateParts = (u16, u8, u8, u8, u8, u8, u16);

/// A number with no format to follow: rounded to 15 significant digits (the precision Excel
/// keeps and shows at most), trailing zeros dropped, so 35.400000000000006 reads `35.4`.
pub(super) fn general(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    match decimal_15(value) {
        Some(d) => d.normalize().to_string(),
        None => value.to_string(),
    }
}

/// The float as a decimal of 15 significant digits; `None` outside `Decimal`'s range.
fn decimal_15(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Most cells hold short decimals (35.4, 1234.5): when the shortest text that reads back as
    // the same float has at most 15 significant digits, it is already the rounded value, and
    // printing it is several times faster than exact 15-digit formatting.
    let shortest = value.to_string();
    let significant = shortest
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count();
    if significant <= 15
        && shortest.len() <= 29
        && let Ok(decimal) = shortest.parse::<Decimal>()
    {
        return Some(decimal);
    }
    Decimal::from_scientific(&format!("{value:.14e}")).ok()
}

fn iso_date(with_time: bool) -> Vec<DateToken> {
    let lit = |s: &str| DateToken::Literal(s.to_owned());
    let mut tokens = vec![
        DateToken::Year4,
        lit("-"),
        DateToken::Month2,
        lit("-"),
        DateToken::Day2,
    ];
    if with_time {
        tokens.extend([
            lit(" "),
            DateToken::Hour2,
            lit(":"),
            DateToken::Minute2,
            lit(":"),
            DateToken::Second2,
        ]);
    }
    tokens
}

/// Splits at `;` outside quotes, escapes and brackets.
fn split_sections(code: &str) -> Vec<&str> {
    let mut sections = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for (i, c) in code.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            ';' if !bracket => {
                sections.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    sections.push(&code[start..]);
    sections
}

/// What a bracket holds: `[$¥-804]` currency text, a colour, or something we cannot render.
enum Bracket {
    Literal(String),
    Ignore,
    Unsupported,
}

fn bracket(content: &str) -> Bracket {
    if let Some(currency) = content.strip_prefix('$') {
        let symbol = currency.split('-').next().unwrap_or("");
        return Bracket::Literal(symbol.to_owned());
    }
    let lower = content.to_ascii_lowercase();
    let colours = [
        "black", "blue", "cyan", "green", "magenta", "red", "white", "yellow",
    ];
    if colours.contains(&lower.as_str()) || lower.starts_with("color") {
        Bracket::Ignore
    } else {
        Bracket::Unsupported
    }
}

/// Parses one number section; `None` for what we do not render.
fn parse_section(code: &str) -> Option<Section> {
    let mut section = Section::default();
    let mut chars = code.chars().peekable();
    let mut seen_digit = false;
    let mut after_point = false;
    let literal = |s: &mut Section, seen: bool, text: &str| {
        if seen {
            s.suffix.push_str(text);
        } else {
            s.prefix.push_str(text);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let text: String = chars.by_ref().take_while(|&c| c != '"').collect();
                literal(&mut section, seen_digit, &text);
            }
            '\\' => {
                if let Some(next) = chars.next() {
                    literal(&mut section, seen_digit, &next.to_string());
                }
            }
            '_' | '*' => {
                chars.next();
            }
            '[' => {
                let content: String = chars.by_ref().take_while(|&c| c != ']').collect();
                match bracket(&content) {
                    Bracket::Literal(text) => literal(&mut section, seen_digit, &text),
                    Bracket::Ignore => {}
                    Bracket::Unsupported => return None,
                }
            }
            '0' | '#' | '?' => {
                // A placeholder after literal text is a layout like `000-0000`, not a number.
                if !section.suffix.is_empty() || section.thousands_scale > 0 {
                    return None;
                }
                seen_digit = true;
                if after_point {
                    section.max_decimals += 1;
                    if c == '0' {
                        section.min_decimals = section.max_decimals;
                    }
                } else if c == '0' {
                    section.min_int += 1;
                }
            }
            '.' if !after_point
                && (seen_digit || matches!(chars.peek(), Some('0' | '#' | '?'))) =>
            {
                after_point = true;
                seen_digit = true;
            }
            ',' if seen_digit => {
                if matches!(chars.peek(), Some('0' | '#' | '?')) && !after_point {
                    section.thousands = true;
                } else {
                    section.thousands_scale += 1;
                }
            }
            '%' => {
                section.percents += 1;
                literal(&mut section, seen_digit, "%");
            }
            'E' | 'e' if seen_digit => return None,
            '/' if seen_digit => return None,
            'y' | 'Y' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'm' | 'M' | '@' => return None,
            other => literal(&mut section, seen_digit, &other.to_string()),
        }
    }
    if !seen_digit {
        // A section of text only (`"免费"` for zero) shows just that text.
        section.max_decimals = 0;
    }
    Some(section)
}

fn format_number(sections: &[Section], value: f64) -> Option<String> {
    let value = decimal_15(value)?;
    let (section, negative_sign) = match sections {
        [_, negative, ..] if value.is_sign_negative() && !value.is_zero() => (negative, false),
        [_, _, zero, ..] if value.is_zero() => (zero, false),
        [first, ..] => (first, value.is_sign_negative() && !value.is_zero()),
        [] => return None,
    };
    let mut scaled = value.abs();
    for _ in 0..section.percents {
        scaled = scaled.checked_mul(Decimal::ONE_HUNDRED)?;
    }
    for _ in 0..section.thousands_scale {
        scaled = scaled.checked_div(Decimal::ONE_THOUSAND)?;
    }
    let decimals = u32::try_from(section.max_decimals).ok()?;
    let rounded = scaled.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let digits = format!("{rounded:.prec$}", prec = section.max_decimals);
    let (int, frac) = digits.split_once('.').unwrap_or((digits.as_str(), ""));
    let frac = frac.as_bytes();
    let mut keep = frac.len();
    while keep > section.min_decimals && frac.get(keep - 1) == Some(&b'0') {
        keep -= 1;
    }
    let frac = &digits[digits.len() - frac.len()..][..keep];
    let int = int.trim_start_matches('0');
    let int = if int.len() < section.min_int {
        format!("{}{int}", "0".repeat(section.min_int - int.len()))
    } else {
        int.to_owned()
    };
    let int = if section.thousands { group(&int) } else { int };
    let mut out = String::new();
    if negative_sign && !rounded.is_zero() {
        out.push('-');
    }
    out.push_str(&section.prefix);
    out.push_str(&int);
    if section.max_decimals > 0 {
        out.push('.');
        out.push_str(frac);
    }
    out.push_str(&section.suffix);
    Some(out.trim().to_owned())
}

/// `1234567` → `1,234,567`.
fn group(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parses a date layout; `None` when the section has no date or time token.
fn parse_date(code: &str) -> Option<Vec<DateToken>> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    let mut any = false;
    let flush = |text: &mut String, tokens: &mut Vec<DateToken>| {
        if !text.is_empty() {
            tokens.push(DateToken::Literal(std::mem::take(text)));
        }
    };
    while let Some(&c) = chars.get(i) {
        let run = chars[i..]
            .iter()
            .take_while(|&&x| x.eq_ignore_ascii_case(&c))
            .count();
        let token = match c.to_ascii_lowercase() {
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == '"')
                    .map_or(chars.len(), |p| i + 1 + p);
                text.extend(&chars[i + 1..end]);
                i = end + 1;
                continue;
            }
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    text.push(next);
                }
                i += 2;
                continue;
            }
            '_' | '*' => {
                i += 2;
                continue;
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|&x| x == ']')
                    .map_or(chars.len(), |p| i + p);
                let content: String = chars[i + 1..end].iter().collect();
                i = end + 1;
                let elapsed = match content.to_ascii_lowercase().chars().next() {
                    Some('h') => Some(DateToken::ElapsedHours),
                    Some('m') => Some(DateToken::ElapsedMinutes),
                    Some('s') => Some(DateToken::ElapsedSeconds),
                    _ => None,
                };
                if let Some(token) = elapsed {
                    any = true;
                    flush(&mut text, &mut tokens);
                    tokens.push(token);
                } else if let Bracket::Literal(symbol) = bracket(&content) {
                    text.push_str(&symbol);
                }
                continue;
            }
            'y' | 'e' => Some(if run <= 2 && c != 'e' {
                DateToken::Year2
            } else {
                DateToken::Year4
            }),
            'm' => Some(month_or_minute(&tokens, &chars[i + run..], run)),
            'd' => Some(match run {
                1 => DateToken::Day,
                2 => DateToken::Day2,
                _ => DateToken::Weekday,
            }),
            'a' if matches!(run, 3 | 4) => Some(DateToken::Weekday),
            'h' => Some(if run == 1 {
                DateToken::Hour
            } else {
                DateToken::Hour2
            }),
            's' => Some(if run == 1 {
                DateToken::Second
            } else {
                DateToken::Second2
            }),
            '.' if matches!(chars.get(i + 1), Some('0')) && tokens.iter().any(is_second) => {
                let zeros = chars[i + 1..].iter().take_while(|&&x| x == '0').count();
                flush(&mut text, &mut tokens);
                tokens.push(DateToken::SubSecond(zeros));
                i += 1 + zeros;
                continue;
            }
            _ if starts_with(&chars[i..], "am/pm") => {
                i += 5;
                flush(&mut text, &mut tokens);
                tokens.push(DateToken::AmPm);
                continue;
            }
            _ if starts_with(&chars[i..], "上午/下午") => {
                i += 5;
                flush(&mut text, &mut tokens);
                tokens.push(DateToken::AmPmChinese);
                continue;
            }
            ';' => break,
            _ => None,
        };
        match token {
            Some(token) => {
                any = true;
                flush(&mut text, &mut tokens);
                tokens.push(token);
                i += run;
            }
            None => {
                text.push(c);
                i += 1;
            }
        }
    }
    flush(&mut text, &mut tokens);
    any.then_some(tokens)
}

fn starts_with(chars: &[char], word: &str) -> bool {
    let mut it = chars.iter();
    word.chars().all(|w| {
        it.next()
            .is_some_and(|c| c.to_lowercase().eq(w.to_lowercase()))
    })
}

fn is_second(token: &DateToken) -> bool {
    matches!(token, DateToken::Second | DateToken::Second2)
}

/// `m` is a minute right after an hour or right before a second, else a month.
fn month_or_minute(before: &[DateToken], after: &[char], run: usize) -> DateToken {
    let after_hour = before
        .iter()
        .rev()
        .find(|t| !matches!(t, DateToken::Literal(_)))
        .is_some_and(|t| {
            matches!(
                t,
                DateToken::Hour | DateToken::Hour2 | DateToken::ElapsedHours
            )
        });
    let before_second = after
        .iter()
        .find(|c| c.is_ascii_alphabetic())
        .is_some_and(|c| c.eq_ignore_ascii_case(&'s'));
    match run {
        1 | 2 if after_hour || before_second => {
            if run == 1 {
                DateToken::Minute
            } else {
                DateToken::Minute2
            }
        }
        1 => DateToken::Month,
        2 => DateToken::Month2,
        _ => DateToken::MonthName,
    }
}

fn format_date(tokens: &[DateToken], parts: DateParts, serial: f64) -> String {
    let (year, month, day, hour, minute, second, milli) = parts;
    let twelve = tokens
        .iter()
        .any(|t| matches!(t, DateToken::AmPm | DateToken::AmPmChinese));
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    let shown_hour = if twelve { hour12 } else { hour };
    let mut out = String::new();
    for token in tokens {
        match token {
            DateToken::Literal(text) => out.push_str(text),
            DateToken::Year4 => out.push_str(&format!("{year:04}")),
            DateToken::Year2 => out.push_str(&format!("{:02}", year % 100)),
            DateToken::Month => out.push_str(&month.to_string()),
            DateToken::Month2 => out.push_str(&format!("{month:02}")),
            DateToken::MonthName => out.push_str(&format!("{month}月")),
            DateToken::Day => out.push_str(&day.to_string()),
            DateToken::Day2 => out.push_str(&format!("{day:02}")),
            DateToken::Weekday => out.push_str(weekday(year, month, day)),
            DateToken::Hour => out.push_str(&shown_hour.to_string()),
            DateToken::Hour2 => out.push_str(&format!("{shown_hour:02}")),
            DateToken::Minute => out.push_str(&minute.to_string()),
            DateToken::Minute2 => out.push_str(&format!("{minute:02}")),
            DateToken::Second => out.push_str(&second.to_string()),
            DateToken::Second2 => out.push_str(&format!("{second:02}")),
            DateToken::SubSecond(digits) => {
                let fraction = format!("{milli:03}");
                out.push('.');
                out.push_str(&fraction[..(*digits).min(3)]);
            }
            DateToken::AmPm => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            DateToken::AmPmChinese => out.push_str(if hour < 12 { "上午" } else { "下午" }),
            DateToken::ElapsedHours => out.push_str(&elapsed(serial, 24.0)),
            DateToken::ElapsedMinutes => out.push_str(&elapsed(serial, 1440.0)),
            DateToken::ElapsedSeconds => out.push_str(&elapsed(serial, 86400.0)),
        }
    }
    out
}

/// Whole hours, minutes or seconds in a duration of `serial` days.
fn elapsed(serial: f64, per_day: f64) -> String {
    let units = (serial * per_day + 1e-9).floor();
    if units.is_finite() {
        format!("{units:.0}")
    } else {
        String::new()
    }
}

/// The Chinese weekday name (Sakamoto's method).
fn weekday(year: u16, month: u8, day: u8) -> &'static str {
    const OFFSETS: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    const NAMES: [&str; 7] = [
        "星期日",
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
    ];
    let mut y = u32::from(year);
    if month < 3 {
        y = y.saturating_sub(1);
    }
    let offset = OFFSETS[usize::from(month.clamp(1, 12)) - 1];
    let index = (y + y / 4 - y / 100 + y / 400 + offset + u32::from(day)) % 7;
    NAMES[index as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(code: &str, value: f64) -> String {
        Format::parse(code, None).number(value)
    }

    #[test]
    fn general_rounds_to_fifteen_digits() {
        assert_eq!(general(35.400000000000006), "35.4");
        assert_eq!(general(0.1 + 0.2), "0.3");
        assert_eq!(general(-2.0), "-2");
        assert_eq!(general(1234567.0), "1234567");
        assert_eq!(general(0.0), "0");
        assert_eq!(general(1e21), "1000000000000000000000");
        assert_eq!(general(0.000_001_25), "0.00000125");
        assert_eq!(general(123_456_789_012_345_680.0), "123456789012346000");
    }

    #[test]
    fn decimals_thousands_and_percent() {
        assert_eq!(show("#,##0.00", 1234.5), "1,234.50");
        assert_eq!(show("0.00", 35.400000000000006), "35.40");
        assert_eq!(show("0%", 0.95), "95%");
        assert_eq!(show("0.0%", 1.0), "100.0%");
        assert_eq!(show("0", 2.5), "3");
        assert_eq!(show("0.##", 3.1), "3.1");
        assert_eq!(show("#,##0", 1234567.4), "1,234,567");
        assert_eq!(show("#,##0.00,", 1234567.0), "1,234.57");
        assert_eq!(show("0.00", 1.005), "1.01");
    }

    #[test]
    fn literals_currency_and_sections() {
        assert_eq!(show("#,##0.00\"元\"", 1234.5), "1,234.50元");
        assert_eq!(show("[$¥-804]#,##0.00", 12.0), "¥12.00");
        assert_eq!(show("0.00_ ", 35.4), "35.40");
        assert_eq!(show("#,##0.00;[Red]-#,##0.00", -5.0), "-5.00");
        assert_eq!(show("#,##0.00;(#,##0.00)", -5.0), "(5.00)");
        assert_eq!(show("0.00", -5.0), "-5.00");
        assert_eq!(show("0;-0;\"-\"", 0.0), "-");
        assert_eq!(
            show("_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * \"-\"??_ ;_ @_ ", 8.0),
            "8.00"
        );
    }

    #[test]
    fn unsupported_formats_fall_back_to_general() {
        assert_eq!(show("0.00E+00", 1234.5), "1234.5");
        assert_eq!(show("# ?/?", 0.5), "0.5");
        assert_eq!(show("[>100]0;0.0", 1.25), "1.25");
        assert_eq!(show("[DBNum1]0", 3.0), "3");
        assert_eq!(show("yyyy-mm-dd", 45000.0), "45000");
    }

    #[test]
    fn dates_follow_the_layout() {
        let parts = (2023, 1, 2, 14, 5, 9, 0);
        let date = |code: &str| Format::parse(code, None).date(parts, 0.0);
        assert_eq!(date("yyyy-mm-dd"), "2023-01-02");
        assert_eq!(date("yyyy\"年\"m\"月\"d\"日\""), "2023年1月2日");
        assert_eq!(date("yyyy/m/d h:mm"), "2023/1/2 14:05");
        assert_eq!(date("h:mm AM/PM"), "2:05 PM");
        assert_eq!(date("上午/下午h\"时\"mm\"分\""), "下午2时05分");
        assert_eq!(date("mm:ss"), "05:09");
        assert_eq!(date("dddd"), "星期一");
        assert_eq!(
            Format::parse("mm-dd-yy", Some(14)).date(parts, 0.0),
            "2023-01-02"
        );
        assert_eq!(Format::General.date(parts, 0.0), "2023-01-02 14:05:09");
        assert_eq!(
            Format::parse("[h]:mm:ss", None).date((1900, 1, 1, 2, 0, 0, 0), 1.5),
            "36:00:00"
        );
    }
}
