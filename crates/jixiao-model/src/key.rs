//! Match keys: the NFKC form of a text without whitespace, so that names, units and goals compare
//! equal however they were typed (full-width `：（％）` or ASCII). Used for matching only, never
//! displayed.
//!
//! Parsing, checking and storing key millions of names, values and goals, nearly all made only
//! of ideographs, ASCII, common CJK punctuation and full-width forms, whose keys are known without
//! the NFKC tables. Those are keyed in one pass, borrowing the text when it is its own key.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// The match key of a text: full-width letters, digits and punctuation (`：，（）％＞`) map to
/// their ASCII forms, whitespace goes; `≥ ≤ 、 。` stay as they are.
pub fn match_key(text: &str) -> Cow<'_, str> {
    match_key_without(text, |_| false)
}

/// The match key of `text` without the key characters for which `drop` is true (quotes and
/// trailing punctuation, for comparing goals); borrowed when that is the text itself.
pub fn match_key_without(text: &str, drop: impl Fn(char) -> bool) -> Cow<'_, str> {
    simple_key_without(text, &drop).unwrap_or_else(|| {
        Cow::Owned(
            text.nfkc()
                .filter(|&c| !c.is_whitespace() && !drop(c))
                .collect(),
        )
    })
}

/// [`match_key`] and [`match_key_without`] of `text` at once, in one pass where both are wanted
/// (a goal's key for its numbers and the key it is compared by).
pub fn match_key_and_without(
    text: &str,
    drop: impl Fn(char) -> bool,
) -> (Cow<'_, str>, Cow<'_, str>) {
    simple_key_and_without(text, &drop).unwrap_or_else(|| {
        let key: String = text.nfkc().filter(|&c| !c.is_whitespace()).collect();
        let without = key.chars().filter(|&c| !drop(c)).collect();
        (Cow::Owned(key), Cow::Owned(without))
    })
}

/// [`simple_key_without`] with the key itself beside it: the same pass, with a copy for each.
fn simple_key_and_without<'t>(
    text: &'t str,
    drop: &impl Fn(char) -> bool,
) -> Option<(Cow<'t, str>, Cow<'t, str>)> {
    // Each copy is borrowed until its first change, then made of the runs between changes.
    let mut key = Edited::default();
    let mut without = Edited::default();
    let mut i = 0;
    while let Some(&lead) = text.as_bytes().get(i) {
        if lead.is_ascii_graphic() {
            if drop(char::from(lead)) {
                without.change(text, i, 1, None);
            }
            i += 1;
            continue;
        }
        if is_ideograph_at(text, i) {
            i = skip_ideographs(text, i + 3);
            continue;
        }
        let c = text[i..].chars().next()?;
        let k = simple_key(c)?;
        if k != Some(c) {
            key.change(text, i, c.len_utf8(), k);
        }
        let kept = k.filter(|&k| !drop(k));
        if kept != Some(c) {
            without.change(text, i, c.len_utf8(), kept);
        }
        i += c.len_utf8();
    }
    Some((key.finish(text), without.finish(text)))
}

/// A text being copied with some of its characters changed: the copy so far (none while nothing
/// has changed) and where the text's unchanged run since the last change starts.
#[derive(Default)]
struct Edited {
    out: Option<String>,
    run: usize,
}

impl Edited {
    /// Puts `into` (or nothing) in place of the `len` bytes at `at` of `text`.
    #[inline(always)]
    fn change(&mut self, text: &str, at: usize, len: usize, into: Option<char>) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[self.run..at]);
        push_key_char(out, into);
        self.run = at + len;
    }

    fn finish(self, text: &str) -> Cow<'_, str> {
        match self.out {
            None => Cow::Borrowed(text),
            Some(mut out) => {
                out.push_str(&text[self.run..]);
                Cow::Owned(out)
            }
        }
    }
}

/// True when the match key of `text` without its bracketed parts (and so its whole key) certainly
/// has more than `limit` bytes. Counted up to the first character that may key to an opening
/// bracket (`(`, `[`, and anything neither ASCII nor a CJK ideograph, such as `（` `【` `⑴`): the
/// ASCII characters for which `kept` is true, one byte each, and ideographs, three bytes each;
/// NFKC keeps both as they are, and `kept` leaves out what a caller's key may trim.
pub fn key_longer_than(text: &str, limit: usize, kept: impl Fn(u8) -> bool) -> bool {
    if text.len() <= limit {
        return false;
    }
    let bytes = text.as_bytes();
    let mut counted = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'(' | b'[' => return false,
            b'!'..=b'~' => {
                counted += usize::from(kept(b));
                i += 1;
            }
            0..=0x7F => i += 1,
            _ if is_ideograph_at(text, i) => {
                counted += 3;
                i += 3;
            }
            _ => return false,
        }
        if counted > limit {
            return true;
        }
    }
    false
}

/// [`match_key_without`] in one pass for text made only of characters [`simple_key`] knows;
/// `None` for anything else.
fn simple_key_without<'t>(text: &'t str, drop: &impl Fn(char) -> bool) -> Option<Cow<'t, str>> {
    // Borrow until the first character that changes; from there on, copy the runs of unchanged
    // characters between the changed ones (goals change at every comma: pushing each character
    // was most of the cost of comparing goals).
    let mut out: Option<String> = None;
    let mut run = 0;
    let mut i = 0;
    while let Some(&lead) = text.as_bytes().get(i) {
        // Ideographs and ordinary ASCII, most of the text, stay as they are: skip them by their
        // bytes without decoding.
        if lead.is_ascii_graphic() && !drop(char::from(lead)) {
            i += 1;
            continue;
        }
        if is_ideograph_at(text, i) {
            i = skip_ideographs(text, i + 3);
            continue;
        }
        let c = text[i..].chars().next()?;
        let key = simple_key(c)?.filter(|&k| !drop(k));
        if key != Some(c) {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[run..i]);
            push_key_char(out, key);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    Some(match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[run..]);
            Cow::Owned(out)
        }
    })
}

/// What NFKC makes of a character, for the characters it maps without the tables: `Some(Some(k))`
/// for the key character, `Some(None)` for whitespace (removed), `None` for a character that needs
/// the tables.
#[inline]
fn simple_key(c: char) -> Option<Option<char>> {
    match c {
        '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '!'..='~'
        | '\u{3001}'..='\u{3002}' // 、。
        | '\u{3008}'..='\u{301B}' // 《》「」【】〔〕 and the other CJK brackets
        | '\u{B7}' // ·, as in transliterated names
        | '\u{2018}'..='\u{2019}' | '\u{201C}'..='\u{201D}' // ‘’“”
        | '\u{2264}'..='\u{2265}' => Some(Some(c)), // ≤≥
        // `！`–`～` map to `!`–`~` by a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).map(Some),
        ' ' | '\t' | '\n' | '\r' | '\u{3000}' => Some(None),
        _ => None,
    }
}

/// Appends a key character, if any (`String::extend` of an `Option` was a call of its own).
#[inline]
fn push_key_char(out: &mut String, c: Option<char>) {
    if let Some(c) = c {
        out.push(c);
    }
}

/// The first byte at or after `i` (a character boundary of `text`) that does not start a run of
/// ideographs whose lead bytes are E5 to E9 (U+5000..=U+9FFF, most of a goal's text): a tight
/// loop over three bytes at a time, where the main loop tested each ideograph for ASCII first.
#[inline]
fn skip_ideographs(text: &str, mut i: usize) -> usize {
    while let Some(0xE5..=0xE9) = text.as_bytes().get(i) {
        i += 3;
    }
    i
}

/// True when the character at byte `i` of `text` (a character boundary) is a CJK unified
/// ideograph U+4E00..=U+9FFF, told by its UTF-8 bytes: E4 B8 80 to E9 BF BF.
fn is_ideograph_at(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(0xE5..=0xE9) => true,
        Some(0xE4) => bytes.get(i + 1).is_some_and(|&b| b >= 0xB8),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nfkc_key(text: &str, drop: impl Fn(char) -> bool) -> String {
        text.nfkc()
            .filter(|&c| !c.is_whitespace() && !drop(c))
            .collect()
    }

    fn is_punctuation(c: char) -> bool {
        matches!(c, '"' | '“' | '”' | '。' | '.' | ',' | '、' | ':')
    }

    #[test]
    fn one_pass_keys_agree_with_nfkc() {
        let samples = (0x09..0x3100)
            .chain(0x4DF0..0x4F00)
            .chain(0x9FF0..0xA010)
            .chain(0xFE00..0xFFF0)
            .filter_map(char::from_u32);
        for c in samples {
            for text in [
                format!("达标率{c}（%）：≥ 95％，“好”。"),
                format!("{c}"),
                format!("ab{c}{c}"),
            ] {
                let at = format!("U+{:04X}", u32::from(c));
                assert_eq!(match_key(&text), nfkc_key(&text, |_| false), "{at}");
                assert_eq!(
                    match_key_without(&text, is_punctuation),
                    nfkc_key(&text, is_punctuation),
                    "{at}"
                );
                let (key, without) = match_key_and_without(&text, is_punctuation);
                assert_eq!(key, nfkc_key(&text, |_| false), "{at}");
                assert_eq!(without, nfkc_key(&text, is_punctuation), "{at}");
            }
        }
    }

    /// Runs of ideographs (lead bytes E4 to E9, inside and outside U+4E00..=U+9FFF) between the
    /// characters the keys fold, drop or leave to the tables, at every position: the one-pass
    /// keys agree with NFKC, as the keys before the ideograph runs were skipped did.
    #[test]
    fn keys_of_mixed_runs_agree_with_nfkc() {
        let pieces = [
            "",
            "一",
            "丁",
            "㐀",
            "䷀",
            "东",
            "龥",
            "鿿",
            "中文目标",
            "a",
            "1",
            " ",
            "\t",
            "\n",
            "\u{3000}",
            "，",
            ",",
            "。",
            ".",
            "、",
            "：",
            ":",
            "；",
            "“",
            "”",
            "\"",
            "'",
            "‘",
            "’",
            "（",
            "％",
            "≥",
            "≤",
            "·",
            "【",
            "】",
            "①",
            "㎡",
            "ﬁ",
            "Ａ",
            "\u{FF5F}",
            "é",
            "e\u{301}",
            "가",
        ];
        let mut texts = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("达到{a}提高{b}服务质量{c}效益"));
                }
            }
        }
        for text in &texts {
            assert_eq!(match_key(text), nfkc_key(text, |_| false), "{text:?}");
            assert_eq!(
                match_key_without(text, is_punctuation),
                nfkc_key(text, is_punctuation),
                "{text:?}"
            );
            let (key, without) = match_key_and_without(text, is_punctuation);
            assert_eq!(key, nfkc_key(text, |_| false), "{text:?}");
            assert_eq!(without, nfkc_key(text, is_punctuation), "{text:?}");
        }
    }

    #[test]
    fn ideographs_are_told_by_their_bytes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}");
            assert_eq!(
                is_ideograph_at(&text, 1),
                matches!(c, '\u{4E00}'..='\u{9FFF}'),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn folds_full_width_but_keeps_comparators() {
        assert_eq!(match_key("（％）：≥ 95％，"), "(%):≥95%,");
        assert_eq!(match_key("、。≤"), "、。≤");
        assert!(matches!(match_key("达标率(%)≥95%"), Cow::Borrowed(_)));
    }
}
