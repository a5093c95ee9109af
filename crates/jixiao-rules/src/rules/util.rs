//! Small helpers shared by rules.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, MatchKind, StartKind};
use jixiao_model::{Document, Indicator, Project, Quantity, Unit, ValueKind};
use rustc_hash::FxBuildHasher;

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
    /// For a set of several lists ([`WordSet::joined`]), the list each word came from.
    lists: Vec<usize>,
    /// The Aho-Corasick DFA itself rather than `AhoCorasick`, whose overlapping search costs
    /// several times the DFA's one table lookup per byte on names a few dozen bytes long; the
    /// scans below walk the DFA directly. Built on first use: a set searched only with
    /// [`WordSet::occurs_in_each`] (V009, C001 ask of most texts only that) never needs it, and
    /// building a DFA costs hundreds of thousands of instructions per set and process.
    dfa: OnceLock<Option<DFA>>,
    /// For [`WordSet::occurs_in`], built on first use: a searcher with Aho-Corasick's prefilter
    /// (SIMD where the CPU has it), which passes over a long text without any of the words many
    /// times faster than the DFA's step per byte. `None` inside when it cannot be built.
    finder: OnceLock<Option<AhoCorasick>>,
}

impl WordSet {
    pub fn new(words: Vec<String>) -> Self {
        Self::joined(vec![words])
    }

    /// One set of several word lists, so that a rule needing all of them scans a name once;
    /// [`WordSet::occurrences_by_list`] tells which list each occurrence is from.
    pub fn joined(lists: Vec<Vec<String>>) -> Self {
        let (lists, words): (Vec<usize>, Vec<String>) = lists
            .into_iter()
            .enumerate()
            .flat_map(|(list, words)| words.into_iter().map(move |w| (list, w)))
            .filter(|(_, w)| !w.is_empty())
            .unzip();
        Self {
            words,
            lists,
            dfa: OnceLock::new(),
            finder: OnceLock::new(),
        }
    }

    /// The DFA of the words, built on first use.
    fn dfa(&self) -> Option<&DFA> {
        self.dfa
            .get_or_init(|| {
                // Building fails only past automaton size limits no word list comes near; without
                // a matcher the set matches nothing rather than stopping the review.
                // Names are a few dozen bytes of CJK text, whose lead bytes are all alike: a
                // prefilter only adds work there, and a DFA takes one lookup per byte.
                DFA::builder()
                    .match_kind(MatchKind::Standard)
                    .start_kind(StartKind::Unanchored)
                    .prefilter(false)
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
    }

    /// True when the text contains any of the words, as [`WordSet::contains_any`], found with a
    /// prefilter: for a rule that looks at every text and finds a word in few of them.
    pub fn occurs_in(&self, text: &str) -> bool {
        // A short text (a name, a value) costs the DFA's few instructions a byte; the prefilter's
        // setup on each call cost more than that.
        if text.len() < PREFILTER_FROM && self.dfa().is_some() {
            return self.contains_any(text);
        }
        match self.finder() {
            Some(finder) => finder.is_match(text),
            None => self.contains_any(text),
        }
    }

    /// For each of `texts`, whether it contains any of the words ([`WordSet::occurs_in`]), told
    /// by one prefiltered search of the texts `joined`: a document's texts are mostly a few
    /// dozen bytes each, too short for the prefilter alone and nearly all without a word.
    pub fn occurs_in_each<'t>(
        &self,
        joined: &Joined,
        texts: impl Iterator<Item = &'t str>,
    ) -> Vec<bool> {
        // A match cannot run across the separator, which no word contains: each match lies in
        // one text, and a text with a word has a match, since the search is leftmost.
        match self.finder() {
            Some(finder) if !self.words.iter().any(|w| w.as_bytes().contains(&SEPARATOR)) => {
                joined.hit(finder.find_iter(joined.bytes()).map(|m| m.start()))
            }
            _ => texts.map(|t| self.occurs_in(t)).collect(),
        }
    }

    /// The prefiltered searcher of [`WordSet::occurs_in`].
    fn finder(&self) -> Option<&AhoCorasick> {
        self.finder
            .get_or_init(|| {
                // Leftmost-first: whether a word occurs does not depend on the match semantics,
                // and only leftmost searches get the SIMD prefilter (Teddy) for a few dozen words.
                // The prefilter reports the matches itself, so the automaton behind it is the
                // one cheapest to build rather than a DFA, which cost more to build than the
                // searches of a small corpus.
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
    }

    /// Every occurrence of every word, overlapping ones included: `(word, start, end)`, ordered
    /// by end, as `AhoCorasick::find_overlapping_iter` reports them.
    pub fn occurrences<'s, 't>(
        &'s self,
        text: &'t str,
    ) -> impl Iterator<Item = (&'s str, usize, usize)> + use<'s, 't> {
        self.matches(text).filter_map(|(index, end)| {
            let word = self.words.get(index)?;
            Some((word.as_str(), end - word.len(), end))
        })
    }

    /// Every occurrence of every word of a [`WordSet::joined`] set: `(list, start, end)`, ordered
    /// by end.
    pub fn occurrences_by_list<'s, 't>(
        &'s self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, usize, usize)> + use<'s, 't> {
        self.matches(text).filter_map(|(index, end)| {
            let (word, list) = (self.words.get(index)?, self.lists.get(index)?);
            Some((*list, end - word.len(), end))
        })
    }

    /// Every occurrence as the index of its word and where it ends.
    fn matches<'s, 't>(&'s self, text: &'t str) -> Matches<'s, 't> {
        let dfa = self
            .dfa()
            .and_then(|dfa| Some((dfa, dfa.start_state(Anchored::No).ok()?)));
        Matches {
            dfa,
            text: text.as_bytes(),
            at: 0,
            matched: 0..0,
        }
    }

    /// The words, in the order given, empty ones left out.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// True when the text contains any of the words.
    pub fn contains_any(&self, text: &str) -> bool {
        let Some(dfa) = self.dfa() else { return false };
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return false;
        };
        for &byte in text.as_bytes() {
            state = dfa.next_state(Anchored::No, state, byte);
            if dfa.is_match(state) {
                return true;
            }
        }
        false
    }

    /// The longest word (in characters) that occurs in `text`; of equally long ones, the last in
    /// the list.
    pub fn longest(&self, text: &str) -> Option<&str> {
        self.matches(text)
            .map(|(index, _)| index)
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

/// Texts of at least this many bytes are searched with the prefilter in [`WordSet::occurs_in`].
const PREFILTER_FROM: usize = 64;

/// What separates the texts of a [`Joined`].
const SEPARATOR: u8 = b'\n';

/// Texts one after another, each followed by a line break: one search of them finds what a
/// search of each text finds for what holds no line break, without a search's setup per text.
#[derive(Debug, Default)]
pub struct Joined {
    bytes: Vec<u8>,
    /// Where each text ends (its line break) in `bytes`.
    ends: Vec<usize>,
}

impl Joined {
    pub fn new<'t>(texts: impl Iterator<Item = &'t str> + Clone) -> Self {
        let mut joined = Self::default();
        joined.fill(texts);
        joined
    }

    /// Replaces the texts with `texts`.
    pub fn fill<'t>(&mut self, texts: impl Iterator<Item = &'t str> + Clone) {
        self.bytes.clear();
        self.ends.clear();
        // Sized once: grown by doubling, a large document's texts were copied over again.
        let (count, length) = texts
            .clone()
            .fold((0, 0), |(n, l), t| (n + 1, l + t.len() + 1));
        self.bytes.reserve(length);
        self.ends.reserve(count);
        for text in texts {
            self.bytes.extend_from_slice(text.as_bytes());
            self.ends.push(self.bytes.len());
            self.bytes.push(SEPARATOR);
        }
    }

    /// The texts and their line breaks.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// For each text, whether one of `positions` (ascending positions in [`Joined::bytes`], none
    /// of them at a line break that ends a text) is in it.
    pub fn hit(&self, positions: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let mut found = vec![false; self.ends.len()];
        let mut text = 0;
        for at in positions {
            while self.ends.get(text).is_some_and(|&end| end < at) {
                text += 1;
            }
            if let Some(hit) = found.get_mut(text) {
                *hit = true;
            }
        }
        found
    }
}

/// The iterator of [`WordSet::matches`].
#[derive(Debug)]
struct Matches<'s, 't> {
    /// The DFA and its state after `text[..at]`; `None` when the set matches nothing.
    dfa: Option<(&'s DFA, StateID)>,
    text: &'t [u8],
    at: usize,
    /// Indices into the current state's matches not yet reported.
    matched: std::ops::Range<usize>,
}

impl Iterator for Matches<'_, '_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let (dfa, state) = self.dfa.as_mut()?;
        loop {
            if let Some(index) = self.matched.next() {
                return Some((dfa.match_pattern(*state, index).as_usize(), self.at));
            }
            // The state and position in locals until the next match: most bytes end in no match,
            // and this loop is most of the time of several rules.
            let (mut sid, mut at) = (*state, self.at);
            let rest = self.text.get(at..)?;
            let mut found = false;
            for &byte in rest {
                sid = dfa.next_state(Anchored::No, sid, byte);
                at += 1;
                if dfa.is_match(sid) {
                    found = true;
                    break;
                }
            }
            (*state, self.at) = (sid, at);
            if !found {
                self.text = &[];
                return None;
            }
            self.matched = 0..dfa.match_len(sid);
        }
    }
}

/// A pure lookup's last few keys and answers: rules look up the categories of indicator after
/// indicator, and a project's indicators have a handful of categories between them, which the
/// last answer alone missed about every other time.
#[derive(Debug)]
pub struct Recent<K, V> {
    entries: Vec<(K, V)>,
    /// The entry replaced next once all [`RECENT`] are taken.
    next: usize,
}

/// How many answers a [`Recent`] keeps.
const RECENT: usize = 8;

impl<K, V> Default for Recent<K, V> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            next: 0,
        }
    }
}

impl<K: PartialEq + Copy, V: Copy> Recent<K, V> {
    /// `look_up(key)`, or the answer kept for `key`.
    pub fn get(&mut self, key: K, look_up: impl FnOnce(K) -> V) -> V {
        if let Some(&(_, answer)) = self.entries.iter().find(|(k, _)| *k == key) {
            return answer;
        }
        let answer = look_up(key);
        if self.entries.len() < RECENT {
            self.entries.push((key, answer));
        } else if let Some(entry) = self.entries.get_mut(self.next) {
            *entry = (key, answer);
            self.next = (self.next + 1) % RECENT;
        }
        answer
    }
}

/// A text as a [`Recent`] key, told by where it is rather than by what it says: a category's name
/// and code are shared with the profile's definition they were read as, so an address answers
/// without comparing bytes, and two copies of one text are only looked up twice.
#[derive(Debug, Clone, Copy)]
pub struct ByAddress<'a>(pub &'a str);

impl PartialEq for ByAddress<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// A short text as a [`Recent`] key, compared byte by byte in place: a category code is two or
/// three bytes, and `str`'s comparison called `memcmp` for each of the few kept keys.
#[derive(Debug, Clone, Copy)]
pub struct ByBytes<'a>(pub &'a str);

impl PartialEq for ByBytes<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// Text with quotes, spaces and trailing punctuation removed, for comparing goals and names;
/// borrowed when the text is already its own normal form, as most names and values are: rules
/// compare millions of them.
pub fn normalized_cow(text: &str) -> Cow<'_, str> {
    jixiao_model::match_key_without(text, is_dropped)
}

/// The match key of `text` and its [`normalized_cow`] form when that differs from the key.
pub fn key_and_normalized(text: &str) -> (Cow<'_, str>, Option<String>) {
    // Most names are their own normal form, and then their own match key too (nothing changes
    // and nothing is dropped): one pass tells, where keying and then looking for dropped
    // characters in the key took two.
    match normalized_cow(text) {
        Cow::Borrowed(text) => (Cow::Borrowed(text), None),
        Cow::Owned(normalized) => {
            let key = jixiao_model::match_key(text);
            let normalized = (normalized != *key).then_some(normalized);
            (key, normalized)
        }
    }
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

/// `text.contains(word)` for a short word in a short text (a name, a category): `str::contains`
/// builds a two-way searcher on every call, which costs more than scanning a name of a few dozen
/// bytes. UTF-8 is self-synchronising, so a byte match is a match of whole characters.
pub fn has(text: &str, word: &str) -> bool {
    let (text, word) = (text.as_bytes(), word.as_bytes());
    let Some(&last) = word.last() else {
        return true;
    };
    // The last byte of a CJK character varies most: compare the window only where it matches.
    text.get(word.len() - 1..).is_some_and(|ends| {
        ends.iter()
            .enumerate()
            .any(|(i, &b)| b == last && text[i..i + word.len()] == *word)
    })
}

/// Characters [`normalized_cow`] removes.
pub fn is_dropped(c: char) -> bool {
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
/// 元 per unit of the document's amounts (`单位：万元` → 10000); tables that do not say are in 万元.
pub fn yuan_per_amount(document: &Document) -> rust_decimal::Decimal {
    use rust_decimal::Decimal;
    match document.amount_unit.as_ref().map(|t| t.text.trim()) {
        Some(unit) if unit.contains('万') => Decimal::from(10_000),
        Some(unit) if unit.contains('千') => Decimal::from(1_000),
        Some(unit) if unit.contains('亿') => Decimal::from(100_000_000),
        Some(unit) if unit.contains('元') => Decimal::ONE,
        _ => Decimal::from(10_000),
    }
}

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
    // Hashed with Fx: every rule asks for its sets in every run of projects, and SipHash of the
    // names was most of the cost of asking.
    sets: RwLock<HashMap<OptionKey, Arc<WordSet>, FxBuildHasher>>,
    joined: RwLock<HashMap<JoinedKey, Arc<WordSet>, FxBuildHasher>>,
    /// Word lists compared whole rather than searched for ([`WordSets::list`]).
    lists: RwLock<HashMap<OptionKey, Arc<[String]>, FxBuildHasher>>,
    /// What rules found in indicator names with these sets ([`WordSets::name_answer`]).
    names: RwLock<HashMap<&'static str, NameAnswers, FxBuildHasher>>,
}

/// One rule's answers about names, by name.
type NameAnswers = HashMap<Box<str>, u32, FxBuildHasher>;

/// How many names' answers a rule keeps in [`WordSets::name_answer`]; names past it are judged
/// each time, so memory stays bounded however many distinct names a corpus has.
const NAME_ANSWERS: usize = 1 << 16;

/// A rule's code and a word-list option.
type OptionKey = (&'static str, &'static str);

/// A rule's code and the word-list options joined into one set.
type JoinedKey = (&'static str, &'static [&'static str]);

impl WordSets {
    /// The word-list option `key` of rule `code` (or `default`), compiled.
    pub fn get(
        &self,
        settings: &Settings,
        code: &'static str,
        key: &'static str,
        default: &[&str],
    ) -> Arc<WordSet> {
        cached(&self.sets, (code, key), || {
            WordSet::new(settings.words(code, key, default))
        })
    }

    /// The word-list option `key` of rule `code` (or `default`) as [`Settings::words`] gives it,
    /// made once: rules that compare units with a list copied the list in every run.
    pub fn list(
        &self,
        settings: &Settings,
        code: &'static str,
        key: &'static str,
        default: &[&str],
    ) -> Arc<[String]> {
        let read = self.lists.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(list) = read.get(&(code, key)) {
            return Arc::clone(list);
        }
        drop(read);
        let mut write = self.lists.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            write
                .entry((code, key))
                .or_insert_with(|| settings.words(code, key, default).into()),
        )
    }

    /// `judge()`, the answer of rule `code` about an indicator name, or the answer kept from an
    /// earlier run: a corpus repeats a few thousand names over hundreds of thousands of
    /// indicators, and rules judged each name again in every document. The answer may depend
    /// only on the name and the checker's settings.
    pub fn name_answer(&self, code: &'static str, name: &str, judge: impl FnOnce() -> u32) -> u32 {
        let read = self.names.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(&answer) = read.get(code).and_then(|answers| answers.get(name)) {
            return answer;
        }
        drop(read);
        let answer = judge();
        let mut write = self.names.write().unwrap_or_else(PoisonError::into_inner);
        let answers = write.entry(code).or_default();
        if answers.len() < NAME_ANSWERS {
            answers.insert(name.into(), answer);
        }
        answer
    }

    /// The word-list options `keys` of rule `code` (or `defaults`, one per key), compiled into
    /// one [`WordSet::joined`] set whose list `n` is option `keys[n]`.
    pub fn get_joined(
        &self,
        settings: &Settings,
        code: &'static str,
        keys: &'static [&'static str],
        defaults: &[&[&str]],
    ) -> Arc<WordSet> {
        cached(&self.joined, (code, keys), || {
            let lists = keys
                .iter()
                .zip(defaults)
                .map(|(key, default)| settings.words(code, key, default))
                .collect();
            WordSet::joined(lists)
        })
    }
}

/// The set cached under `key`, built with `build` on first use.
fn cached<K: std::hash::Hash + Eq>(
    sets: &RwLock<HashMap<K, Arc<WordSet>, FxBuildHasher>>,
    key: K,
    build: impl FnOnce() -> WordSet,
) -> Arc<WordSet> {
    // A poisoned lock only means another thread panicked mid-insert; the map is still whole.
    let read = sets.read().unwrap_or_else(PoisonError::into_inner);
    if let Some(set) = read.get(&key) {
        return Arc::clone(set);
    }
    drop(read);
    // Built under the write lock: threads that start together wait for the one set instead of
    // each building its own.
    let mut write = sets.write().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(write.entry(key).or_insert_with(|| Arc::new(build())))
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

    /// The key and the normal form made in one pass are those made apart, for every character
    /// of the Basic Multilingual Plane among others.
    #[test]
    fn key_and_normal_form_at_once() {
        for c in '\0'..='\u{FFFF}' {
            for text in [
                format!("{c}"),
                format!("a{c}项{c}{c}b"),
                format!("“{c}”，。 "),
            ] {
                let (key, normalized) = jixiao_model::match_key_and_without(&text, is_dropped);
                assert_eq!(key, jixiao_model::match_key(&text), "{text}");
                assert_eq!(normalized, normalized_cow(&text), "{text}");
                assert_eq!(normalized, reference(&text), "{text}");
            }
        }
    }

    #[test]
    fn normalisation_is_the_match_key_without_dropped_characters() {
        for text in [
            "“按时发放”。",
            "达标率（%）：≥ 95％，",
            "项目,经费;足额:",
            "经费",
            "资金到位率（％）",
            "培训 人次",
            "按时发放。",
            "ＡＢＣ",
        ] {
            assert_eq!(normalized_cow(text), reference(text), "{text}");
            let (key, normalized) = key_and_normalized(text);
            assert_eq!(key, jixiao_model::match_key(text), "{text}");
            assert_eq!(
                normalized.unwrap_or_else(|| key.clone().into_owned()),
                reference(text),
                "{text}"
            );
        }
    }

    /// One search of the texts joined tells what a search of each text tells, also for a word
    /// at a text's very start or end, texts with line breaks, empty texts and a set whose word
    /// holds the separator.
    #[test]
    fn occurs_in_each_text_as_in_each_alone() {
        let texts = [
            "按期完成率(≥**%)",
            "",
            "**",
            "必",
            "填",
            "请填写\n本项",
            "说明成效。（200字以内）",
            "字以",
            "内容",
            &"无需填写的长文本".repeat(20),
            &"长文本".repeat(30),
            "……",
        ];
        let words = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect();
        for set in [
            WordSet::new(words(&["必填", "**", "……", "字以内", "请填写", "填写说明"])),
            WordSet::new(words(&["以\n本", "写\n"])),
            WordSet::new(words(&["内"])),
            WordSet::new(Vec::new()),
        ] {
            let each: Vec<bool> = texts.iter().map(|t| set.occurs_in(t)).collect();
            let joined = Joined::new(texts.iter().copied());
            assert_eq!(set.occurs_in_each(&joined, texts.iter().copied()), each);
        }
    }

    #[test]
    fn counts_ideographs() {
        assert!(has_ideographs("项目 “经费”", 4));
        assert!(!has_ideographs("项目 “经费”", 5));
        assert!(has_ideographs("", 0));
    }
}
