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
/// The start is the first [`IDEOGRAPHS`] Chinese characters within the first 20,000 characters.
pub fn looks_traditional(text: &str) -> bool {
    const READ: usize = 20_000;
    let cjk = &table().cjk;
    let (mut chinese, mut traditional) = (0usize, 0usize);
    // Every file read asks this: characters are told by their first bytes, an ideograph with one
    // test and one look-up, any other character passed over by its first byte's length.
    let mut rest = &text.as_bytes()[..prefix_len(text, READ)];
    while let [lead, second, third, tail @ ..] = rest {
        if let Some(word) = cjk.get(cjk_index(*lead, *second)) {
            chinese += 1;
            traditional += usize::from(word >> (third & 0x3F) & 1 != 0);
            if chinese == IDEOGRAPHS {
                break;
            }
            rest = tail;
        } else {
            rest = rest
                .get(usize::from(UTF8_LEN[usize::from(*lead)])..)
                .unwrap_or_default();
        }
    }
    traditional >= 8 && traditional * 12 >= chinese
}

/// The Chinese characters [`looks_traditional`] reads at most. A mirror's conversion has a
/// Simplified form for about a third of them and a Simplified text for almost none, so a few
/// thousand decide it as well as the whole text: on the 36 samples, 38 variations and the seeds
/// every decision is the same from 1,000 on. Reading every character of every file was the
/// largest single cost of `check` on a corpus (5.7 %).
pub const IDEOGRAPHS: usize = 2_000;

/// The length of a UTF-8 character by its first byte (1 for a continuation byte), looked up:
/// told by comparisons, it cost as much as the look-up of an ideograph.
static UTF8_LEN: [u8; 256] = {
    let mut lengths = [1u8; 256];
    let mut lead = 0xC0;
    while lead < 256 {
        lengths[lead] = match lead {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        lead += 1;
    }
    lengths
};

/// The length in bytes of the first `count` characters of `text` (all of it when it has fewer).
fn prefix_len(text: &str, count: usize) -> usize {
    // No more bytes than characters to read: no need to count them.
    if text.len() <= count {
        return text.len();
    }
    let bytes = text.as_bytes();
    // A character starts at every byte that is not a continuation byte (10xxxxxx); counted a
    // block at a time while the block's characters are all to be read.
    let mut chars = 0;
    let mut end = 0;
    for block in bytes.chunks_exact(64) {
        // Summed in a byte (at most 64), which is vectorised.
        let starts = block
            .iter()
            .fold(0u8, |n, &b| n + u8::from(b & 0xC0 != 0x80));
        let starts = usize::from(starts);
        if chars + starts > count {
            break;
        }
        chars += starts;
        end += block.len();
    }
    while let Some(&b) = bytes.get(end) {
        if b & 0xC0 != 0x80 {
            if chars == count {
                break;
            }
            chars += 1;
        }
        end += 1;
    }
    end
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
                if chinese == IDEOGRAPHS {
                    break;
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
            format!(
                "{}{}",
                "a😀éabcdefghijkl项".repeat(1_250),
                traditional.repeat(50)
            ),
            format!(
                "{}{}",
                "a😀éabcdefghijkl项".repeat(1_249),
                traditional.repeat(50)
            ),
            format!("{}{}", "a😀é项".repeat(5_000), traditional.repeat(50)),
            format!("{}{}", "a😀é項".repeat(5_000), simplified.repeat(50)),
            // Just at the ratio: 8 Traditional among 96 Chinese characters, and among 97.
            format!("{}{}", "產".repeat(8), "产".repeat(88)),
            format!("{}{}", "產".repeat(8), "产".repeat(89)),
            // The 20,000th character near a block of the prefix count, and in one.
            format!("{}{}", "a".repeat(19_990), traditional),
            format!("{}{}", "a".repeat(4_095), traditional.repeat(700)),
            format!("{}{}", "項".repeat(19_999), "a產產產"),
            // Past the Chinese characters read: a Traditional tail after a Simplified start is
            // not seen, and one that starts just before the last character read is.
            format!("{}{}", "项".repeat(IDEOGRAPHS), traditional.repeat(100)),
            format!("{}{}", "项".repeat(IDEOGRAPHS - 1), traditional.repeat(100)),
            format!("{}{}", "项a".repeat(IDEOGRAPHS - 167), "產".repeat(167)),
            format!("{}{}", "项a".repeat(IDEOGRAPHS - 166), "產".repeat(167)),
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
        // 167 Traditional among the 2,000 read is enough; the 167th as the 2,001st is not seen.
        let read = |simplified: usize| format!("{}{}", "项".repeat(simplified), "產".repeat(167));
        assert!(looks_traditional(&read(IDEOGRAPHS - 167)));
        assert!(!looks_traditional(&read(IDEOGRAPHS - 166)));
    }

    /// The prefix read is the first characters as `char_indices` counts them, on texts of
    /// characters of every UTF-8 length, cut near the counting's 64-byte blocks.
    #[test]
    fn prefix_is_the_first_characters() {
        let pieces = ["a", "é", "项", "😀", "\t", "產"];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..500 {
            let length = next(300);
            let text: String = (0..length).map(|_| pieces[next(pieces.len())]).collect();
            for count in [
                0,
                1,
                2,
                15,
                16,
                17,
                63,
                64,
                65,
                next(400),
                length,
                length + 1,
            ] {
                let expected = text
                    .char_indices()
                    .nth(count)
                    .map_or(text.len(), |(i, _)| i);
                assert_eq!(prefix_len(&text, count), expected, "{count} {text}");
            }
        }
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
