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
    traditional: Box<[u64; 0x10000 / 64]>,
    /// The bits of `traditional` for the CJK unified ideographs, by [`cjk_index`].
    cjk: Box<[u64; CJK_PAIRS]>,
    /// `(Traditional, Simplified)`, sorted.
    pairs: Vec<(char, char)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut traditional = Box::new([0u64; 0x10000 / 64]);
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
        let mut cjk = Box::new([0u64; CJK_PAIRS]);
        for (pair, word) in (0xE4B8u16..).zip(cjk.iter_mut()) {
            let [lead, second] = pair.to_be_bytes();
            if second & 0xC0 == 0x80 {
                *word = traditional[(usize::from(lead & 0x0F) << 6) | usize::from(second & 0x3F)];
            }
        }
        Table {
            traditional,
            cjk,
            pairs,
        }
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
    // Every file read asks this, so the characters are told by their bytes, with one test and
    // one look-up for an ideograph, and counted only as the ideographs and the others: a piece
    // of the text no longer in bytes than the characters still to read is read whole.
    const READ: usize = 20_000;
    let mut count = Count::default();
    let mut rest = text;
    while !rest.is_empty() {
        let budget = READ - (count.chinese + count.others);
        if budget == 0 {
            break;
        }
        let mut end = budget.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = rest.chars().next().map_or(0, char::len_utf8);
        }
        count.add(&rest.as_bytes()[..end]);
        rest = &rest[end..];
    }
    count.traditional >= 8 && count.traditional * 12 >= count.chinese
}

/// The characters of a text: CJK unified ideographs, those of them with a Simplified form, and
/// the other characters.
#[derive(Debug, Default)]
struct Count {
    chinese: usize,
    traditional: usize,
    others: usize,
}

impl Count {
    /// Counts the characters of `bytes`, UTF-8 from a character boundary to one.
    fn add(&mut self, bytes: &[u8]) {
        let cjk = &table().cjk;
        let mut rest = bytes;
        loop {
            let lead = match rest {
                [lead, second, third, tail @ ..] => {
                    if let Some(word) = cjk.get(cjk_index(*lead, *second)) {
                        self.chinese += 1;
                        self.traditional += usize::from(word >> (third & 0x3F) & 1 != 0);
                        rest = tail;
                        continue;
                    }
                    *lead
                }
                [lead, ..] => *lead,
                [] => break,
            };
            let len = match lead {
                0..=0x7F => 1,
                0xE0..=0xEF => 3,
                0xF0.. => 4,
                _ => 2,
            };
            self.others += 1;
            rest = rest.get(len..).unwrap_or_default();
        }
    }
}

/// The first two UTF-8 bytes of the CJK unified ideographs U+4E00..=U+9FFF run from E4 B8 to
/// E9 BF: each pair names 64 code points, told apart by the third byte's low six bits.
const CJK_PAIRS: usize = 0xE9BF - 0xE4B8 + 1;

/// The place of a character's first two UTF-8 bytes among [`CJK_PAIRS`]; at least `CJK_PAIRS`
/// for a character that is not a CJK unified ideograph.
fn cjk_index(lead: u8, second: u8) -> usize {
    usize::from(u16::from_be_bytes([lead, second]).wrapping_sub(0xE4B8))
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
            // The 20,000th character near a block of the prefix count, and in one.
            format!("{}{}", "a".repeat(19_990), traditional),
            format!("{}{}", "a".repeat(4_095), traditional.repeat(700)),
            format!("{}{}", "項".repeat(19_999), "a產產產"),
            // At the edges of the CJK block: U+4DC0, U+4E00, U+9FFF, U+A000; and 2- and 4-byte characters.
            format!("\u{4DC0}一\u{9FFF}\u{A000}ü{traditional}😀é").repeat(20),
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
