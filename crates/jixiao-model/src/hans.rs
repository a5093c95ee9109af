//! Traditional characters read as Simplified, and the pinyin glosses some mirrors insert.
//!
//! Mirrors of government pages convert tables to Traditional characters (`項目績效`) and some add
//! a pinyin gloss after a character (`項(xiàng)目`). Readers match header words, labels and
//! category names in Simplified, so a Traditional table is converted before it is read. Each pair
//! in `data/traditional.txt` has equal UTF-8 lengths: the converted text keeps every byte offset,
//! so spans still point at the published characters.

use std::borrow::Cow;
use std::sync::OnceLock;

const PAIRS: &str = include_str!("../data/traditional.txt");

/// Traditional characters of the Basic Multilingual Plane, by code point.
struct Table {
    /// One bit per code point: set for a Traditional character that has a Simplified form.
    traditional: Vec<u64>,
    /// `(Traditional, Simplified)`, sorted.
    pairs: Vec<(char, char)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut traditional = vec![0u64; 0x10000 / 64];
        let mut pairs = Vec::new();
        for line in PAIRS.lines() {
            let mut chars = line.chars();
            let (Some(t), Some(' '), Some(s)) = (chars.next(), chars.next(), chars.next()) else {
                continue;
            };
            let code = t as usize;
            if code < 0x10000 && t.len_utf8() == s.len_utf8() {
                traditional[code / 64] |= 1 << (code % 64);
                pairs.push((t, s));
            }
        }
        pairs.sort_unstable();
        Table { traditional, pairs }
    })
}

/// True for a character that has a different Simplified form.
pub fn is_traditional(c: char) -> bool {
    let code = c as usize;
    code < 0x10000 && table().traditional[code / 64] & (1 << (code % 64)) != 0
}

/// The Simplified form of `c`, or `c`.
pub fn simplified_char(c: char) -> char {
    if !is_traditional(c) {
        return c;
    }
    let pairs = &table().pairs;
    pairs
        .binary_search_by_key(&c, |&(t, _)| t)
        .map_or(c, |i| pairs[i].1)
}

/// `text` with Traditional characters in their Simplified form; the same length in bytes.
pub fn to_simplified(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_traditional) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(simplified_char).collect())
}

/// True when the start of `text` reads as a Traditional-character table: enough of its Chinese
/// characters have a Simplified form. A Simplified text has almost none (a `乾` or `著` at most).
pub fn looks_traditional(text: &str) -> bool {
    // The characters are decoded from their bytes here, with the table looked up once: decoding
    // with `chars` and finding the table for each character was a tenth of the instructions of
    // reading a corpus of small tables, which all ask this. `text` is UTF-8, so a lead byte says
    // how long its character is; the CJK block is all three bytes long.
    let bits = &table().traditional;
    let bytes = text.as_bytes();
    let mut chinese = 0usize;
    let mut traditional = 0usize;
    let mut i = 0;
    for _ in 0..20_000 {
        let Some(&lead) = bytes.get(i) else {
            break;
        };
        match lead {
            0xE0..=0xEF => {
                let (Some(&second), Some(&third)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                    break;
                };
                let code = (usize::from(lead & 0x0F) << 12)
                    | (usize::from(second & 0x3F) << 6)
                    | usize::from(third & 0x3F);
                if (0x4E00..=0x9FFF).contains(&code) {
                    chinese += 1;
                    if bits
                        .get(code / 64)
                        .is_some_and(|w| w & (1 << (code % 64)) != 0)
                    {
                        traditional += 1;
                    }
                }
                i += 3;
            }
            0xF0.. => i += 4,
            0xC0.. => i += 2,
            _ => i += 1,
        }
    }
    traditional >= 8 && traditional * 12 >= chinese
}

/// Characters a mirror's pinyin gloss is written in: ASCII letters and vowels with tone marks.
fn is_pinyin(c: char) -> bool {
    c.is_ascii_lowercase()
        || matches!(
            c,
            'ā' | 'á'
                | 'ǎ'
                | 'à'
                | 'ē'
                | 'é'
                | 'ě'
                | 'è'
                | 'ī'
                | 'í'
                | 'ǐ'
                | 'ì'
                | 'ō'
                | 'ó'
                | 'ǒ'
                | 'ò'
                | 'ū'
                | 'ú'
                | 'ǔ'
                | 'ù'
                | 'ǖ'
                | 'ǘ'
                | 'ǚ'
                | 'ǜ'
                | 'ü'
        )
}

/// The byte ranges of pinyin glosses (`(xiàng)`) that follow a Chinese character; a gloss has at
/// least one tone mark, which tells it from an English word in brackets.
pub fn glosses(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut previous_chinese = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if previous_chinese && (c == '(' || c == '（') {
            let rest = &text[i + c.len_utf8()..];
            let inner = rest
                .char_indices()
                .take_while(|&(_, ch)| is_pinyin(ch))
                .last()
                .map_or(0, |(j, ch)| j + ch.len_utf8());
            let closes = rest[inner..]
                .chars()
                .next()
                .filter(|&ch| ch == ')' || ch == '）');
            let toned = !rest[..inner].is_ascii();
            if let Some(close) = closes
                && inner > 0
                && inner <= 12
                && toned
            {
                let end = i + c.len_utf8() + inner + close.len_utf8();
                found.push(i..end);
                while iter.peek().is_some_and(|&(j, _)| j < end) {
                    iter.next();
                }
                previous_chinese = false;
                continue;
            }
        }
        previous_chinese = ('\u{4E00}'..='\u{9FFF}').contains(&c);
    }
    found
}

/// `text` without its pinyin glosses.
pub fn without_glosses(text: &str) -> Cow<'_, str> {
    let ranges = glosses(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`looks_traditional`] as it was written with `chars`, before it decoded bytes itself.
    fn looks_traditional_by_chars(text: &str) -> bool {
        let mut chinese = 0usize;
        let mut traditional = 0usize;
        for c in text.chars().take(20_000) {
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                chinese += 1;
                if is_traditional(c) {
                    traditional += 1;
                }
            }
        }
        traditional >= 8 && traditional * 12 >= chinese
    }

    #[test]
    fn looks_traditional_decides_as_the_char_by_char_count() {
        let traditional = "項目支出績效目標表：產出指標，數量指標，質量指標，時效指標，經濟效益";
        let simplified = "项目支出绩效目标表：产出指标，数量指标，质量指标，时效指标，经济效益";
        let mut texts = vec![
            String::new(),
            traditional.to_owned(),
            simplified.to_owned(),
            format!("é😀ab\t{traditional}"),
            // Past the 20,000 characters read: the Traditional tail is not seen.
            format!("{}{}", "a😀é项".repeat(5_000), traditional.repeat(50)),
            format!("{}{}", "a😀é項".repeat(5_000), simplified.repeat(50)),
            // Just at the ratio: 8 Traditional among 96 Chinese characters, and among 97.
            format!("{}{}", "產".repeat(8), "产".repeat(88)),
            format!("{}{}", "產".repeat(8), "产".repeat(89)),
        ];
        texts.push(texts.concat());
        for text in &texts {
            assert_eq!(
                looks_traditional(text),
                looks_traditional_by_chars(text),
                "{}",
                text.chars().take(30).collect::<String>()
            );
        }
        assert!(looks_traditional(traditional));
        assert!(!looks_traditional(simplified));
    }

    #[test]
    fn converts_traditional_and_keeps_length() {
        let text = "項目支出績效目標表 一級指標 產出指標 滿意度";
        let simple = to_simplified(text);
        assert_eq!(simple, "项目支出绩效目标表 一级指标 产出指标 满意度");
        assert_eq!(simple.len(), text.len());
        assert!(looks_traditional(text));
        assert!(!looks_traditional(
            "项目支出绩效目标表 一级指标 产出指标 满意度 乾隆 著作"
        ));
    }

    #[test]
    fn removes_pinyin_glosses_only() {
        assert_eq!(without_glosses("項(xiàng)目績(jī)效"), "項目績效");
        assert_eq!(without_glosses("目標(biāo)值（biāo）"), "目標值");
        // Brackets that are not glosses stay.
        assert_eq!(without_glosses("产出指标(50分)"), "产出指标(50分)");
        assert_eq!(without_glosses("支持IPv6(ipv)"), "支持IPv6(ipv)");
        assert_eq!(without_glosses("单位(abc)"), "单位(abc)");
    }
}
