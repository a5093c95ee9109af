//! Small helpers shared by rules.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use jixiao_model::{Document, Indicator, Project, Quantity, Unit, ValueKind};

use crate::Settings;

/// Every project with its unit.
pub fn projects(document: &Document) -> impl Iterator<Item = (&Unit, &Project)> {
    document.projects()
}

/// The annual value as a quantity, when it is one.
pub fn annual_quantity(indicator: &Indicator) -> Option<&Quantity> {
    match &indicator.annual.as_ref()?.kind {
        ValueKind::Quantitative(q) => Some(q),
        _ => None,
    }
}

/// The level-1 code of an indicator (`1` 产出, `2` 效益, `3` 满意度, `4` 成本).
pub fn level1_code(indicator: &Indicator) -> Option<&str> {
    indicator.level1.as_ref()?.code.as_deref()
}

/// The level-2 code of an indicator, given or inferred.
pub fn level2_code(indicator: &Indicator) -> Option<&str> {
    indicator.level2.as_ref()?.code.as_deref()
}

/// A rule's word list compiled once per checker ([`WordSets`]): one scan of a name finds every word, where
/// `str::contains` per word built a searcher per word per indicator.
#[derive(Debug)]
pub struct WordSet {
    words: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl WordSet {
    pub fn new(words: Vec<String>) -> Self {
        let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        // Building fails only past automaton size limits no word list comes near; without a
        // matcher the set matches nothing rather than stopping the review.
        // Names are a few dozen bytes of CJK text, whose lead bytes are all alike: a prefilter
        // only adds work there, and a DFA takes one lookup per byte.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&words)
            .ok();
        Self { words, matcher }
    }

    /// Every occurrence of every word, overlapping ones included: `(word, start, end)`.
    pub fn occurrences<'s, 't>(
        &'s self,
        text: &'t str,
    ) -> impl Iterator<Item = (&'s str, usize, usize)> + use<'s, 't> {
        self.matcher.iter().flat_map(move |matcher| {
            matcher.find_overlapping_iter(text).map(|m| {
                (
                    self.words[m.pattern().as_usize()].as_str(),
                    m.start(),
                    m.end(),
                )
            })
        })
    }

    /// The words, in the order given, empty ones left out.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// True when the text contains any of the words.
    pub fn contains_any(&self, text: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(text))
    }

    /// The longest word (in characters) that occurs in `text`; of equally long ones, the last in
    /// the list.
    pub fn longest(&self, text: &str) -> Option<&str> {
        self.matcher
            .iter()
            .flat_map(|matcher| matcher.find_overlapping_iter(text))
            .map(|m| m.pattern().as_usize())
            .max_by_key(|&i| (self.words[i].chars().count(), i))
            .map(|i| self.words[i].as_str())
    }

    /// The word ending last in `text` and where it ends.
    pub fn last<'s>(&'s self, text: &str) -> Option<(&'s str, usize)> {
        self.occurrences(text)
            .map(|(word, _, end)| (word, end))
            .max_by_key(|&(_, end)| end)
    }
}

/// Text with quotes, spaces and trailing punctuation removed, for comparing goals and names.
pub fn normalized(text: &str) -> String {
    normalized_cow(text).into_owned()
}

/// [`normalized`] without allocating when the text is already its own normal form, as most
/// names and values are: rules compare millions of them.
pub fn normalized_cow(text: &str) -> Cow<'_, str> {
    if let Some(fast) = normalized_simple(text) {
        return fast;
    }
    let key = jixiao_model::match_key(text);
    match without_dropped(&key) {
        Some(owned) => Cow::Owned(owned),
        None => key,
    }
}

/// [`normalized`] in one pass for text made only of characters whose match key is known without
/// the NFKC tables (ideographs, ASCII, common CJK punctuation, full-width forms, whitespace), as
/// nearly all published text is; `None` for anything else. Goals are long, and keying them and
/// then dropping characters walked and copied each twice.
fn normalized_simple(text: &str) -> Option<Cow<'_, str>> {
    // Borrow until the first character that changes; from there on, copy.
    let mut out: Option<String> = None;
    for (i, c) in text.char_indices() {
        let key = simple_key(c)?.filter(|&k| !is_dropped(k));
        match (&mut out, key) {
            (Some(out), Some(k)) => out.push(k),
            (Some(_), None) => {}
            (None, Some(k)) if k == c => {}
            (None, _) => {
                let mut copy = String::with_capacity(text.len());
                copy.push_str(&text[..i]);
                copy.extend(key);
                out = Some(copy);
            }
        }
    }
    Some(out.map_or(Cow::Borrowed(text), Cow::Owned))
}

/// What `match_key` makes of a character, for the characters it maps without the NFKC tables:
/// `Some(Some(k))` for the key character, `Some(None)` for whitespace (removed), `None` for a
/// character that needs the tables.
fn simple_key(c: char) -> Option<Option<char>> {
    match c {
        '\u{4E00}'..='\u{9FFF}'
        | '!'..='~'
        | '\u{3001}'..='\u{3002}'
        | '\u{3008}'..='\u{3011}'
        | '\u{2018}'..='\u{2019}'
        | '\u{201C}'..='\u{201D}'
        | '\u{2264}'..='\u{2265}' => Some(Some(c)),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).map(Some),
        ' ' | '\t' | '\n' | '\r' | '\u{3000}' => Some(None),
        _ => None,
    }
}

/// A match key without the characters [`normalized`] removes; `None` when it has none of them.
pub fn without_dropped(key: &str) -> Option<String> {
    if !key.contains(is_dropped) {
        return None;
    }
    // Copying the runs between dropped characters is much faster than collecting char by char.
    let mut kept = String::with_capacity(key.len());
    for run in key.split(is_dropped) {
        kept.push_str(run);
    }
    Some(kept)
}

/// True when `text` has at least `n` CJK unified ideographs. Normalising keeps every one of them
/// (they have no NFKC mapping and compose with nothing) and they are not punctuation, so the
/// normalised text has at least as many characters.
pub fn has_ideographs(text: &str, n: usize) -> bool {
    n == 0
        || text
            .chars()
            .filter(|c| matches!(c, '\u{4E00}'..='\u{9FFF}'))
            .nth(n - 1)
            .is_some()
}

/// False when the match key of `text` certainly has no ASCII digit: every character is one that
/// keys to a non-digit without the NFKC tables.
pub fn may_key_to_digit(text: &str) -> bool {
    text.chars().any(|c| match simple_key(c) {
        Some(Some(k)) => k.is_ascii_digit(),
        Some(None) => false,
        None => true,
    })
}

/// Characters [`normalized`] removes.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '\'' | '‘' | '’' | '。' | '.' | ',' | '、' | ';' | ':'
    )
}

/// The 一级 family of an indicator as a code (`1` 产出, `2` 效益, `3` 满意度, `4` 成本): the
/// level-1 code, or the first digit of the level-2 code when the level 1 has none.
pub fn family_code(indicator: &Indicator) -> Option<&str> {
    level1_code(indicator).or_else(|| level2_code(indicator).and_then(|c| c.get(..1)))
}

/// True when the indicator is a cost indicator in either framework: 一级 `4` (成本指标) or 二级
/// `14` (产出/成本指标) or `41`–`43`.
pub fn is_cost_indicator(indicator: &Indicator) -> bool {
    level1_code(indicator) == Some("4")
        || matches!(level2_code(indicator), Some("14" | "41" | "42" | "43"))
}

/// The amount of a quantity in 元 when its unit is money (`元`, `千元`, `万元`, `亿元`) or it has a
/// scale word and no unit (`26.21万`); `None` for anything else (`元/人.月`, `%`).
pub fn quantity_in_yuan(quantity: &Quantity) -> Option<rust_decimal::Decimal> {
    use rust_decimal::Decimal;
    let unit_factor = match quantity.unit.as_deref().map(str::trim) {
        Some("元") => Decimal::ONE,
        Some("千元") => Decimal::from(1_000),
        Some("万元") => Decimal::from(10_000),
        Some("亿元") => Decimal::from(100_000_000),
        None if quantity.scale.is_some() => Decimal::ONE,
        _ => return None,
    };
    Some(quantity.scaled_number() * unit_factor)
}

/// Every rule's compiled word lists, built on first use and kept for the checker's lifetime:
/// building an automaton costs more than scanning a small document with it, and the store
/// checks one document at a time.
#[derive(Debug, Default)]
pub struct WordSets {
    sets: RwLock<HashMap<(&'static str, &'static str), Arc<WordSet>>>,
}

impl WordSets {
    /// The word-list option `key` of rule `code` (or `default`), compiled.
    pub fn get(
        &self,
        settings: &Settings,
        code: &'static str,
        key: &'static str,
        default: &[&str],
    ) -> Arc<WordSet> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still whole.
        let read = self.sets.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(set) = read.get(&(code, key)) {
            return Arc::clone(set);
        }
        drop(read);
        let set = Arc::new(WordSet::new(settings.words(code, key, default)));
        self.sets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((code, key))
            .or_insert(set)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `normalized` as it was first written: the match key without the dropped characters.
    fn reference(text: &str) -> String {
        jixiao_model::match_key(text)
            .chars()
            .filter(|&c| !is_dropped(c))
            .collect()
    }

    #[test]
    fn one_pass_normalisation_agrees_with_the_match_key() {
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
                assert_eq!(
                    normalized(&text),
                    reference(&text),
                    "U+{:04X}",
                    u32::from(c)
                );
                let digit = reference(&text).chars().any(|k| k.is_ascii_digit());
                assert!(!digit || may_key_to_digit(&text), "U+{:04X}", u32::from(c));
            }
        }
    }

    #[test]
    fn counts_ideographs() {
        assert!(has_ideographs("项目 “经费”", 4));
        assert!(!has_ideographs("项目 “经费”", 5));
        assert!(has_ideographs("", 0));
    }
}
