//! The jurisdiction profile: indicator categories, codes, aliases and level-2 inference rules.
//!
//! Kept as data (`data/profile.toml`) so a jurisdiction can extend it without code changes.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::key::match_key;
use crate::{Category, Inference, Str, Value, ValueKind};

const BUILTIN: &str = include_str!("../data/profile.toml");

/// A category of the indicator hierarchy as the profile defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    /// Shared with every `Category` made from this definition.
    pub code: Str,
    pub name: Str,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// For a level-2 category, the code of its level-1 parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// One level-2 inference rule; see `data/profile.toml` for the meaning of each condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferenceRule {
    pub id: String,
    pub level1: String,
    pub level2: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_contains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_kinds: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
}

/// The profile as written in TOML; every list is optional so a file can extend the built-in one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileData {
    #[serde(default)]
    pub level1: Vec<CategoryDef>,
    #[serde(default)]
    pub level2: Vec<CategoryDef>,
    #[serde(default)]
    pub inference: Vec<InferenceRule>,
}

/// A profile ready for lookups.
#[derive(Debug, Clone)]
pub struct Profile {
    data: ProfileData,
    level1_by_key: HashMap<String, usize, KeyHash>,
    level2_by_key: HashMap<String, Vec<usize>, KeyHash>,
    /// The longest key of `level1_by_key` and of `level2_by_key`, in bytes.
    longest_level1: usize,
    longest_level2: usize,
    /// Match keys of each inference rule's words and units, computed once.
    rule_keys: Vec<RuleKeys>,
    /// All rules' words in one automaton, so a name is scanned once rather than once per word.
    /// Pattern `i` is word `word_of[i].1` of rule `word_of[i].0`. The DFA itself, walked byte by
    /// byte ([`Profile::found_words`]): `AhoCorasick`'s overlapping search cost several times as
    /// much on names a few dozen bytes long.
    words: DFA,
    word_count: usize,
    /// Every inference a rule can make, made once: indexed by rule, keyed by what matched.
    inferences: Vec<HashMap<ReasonKey, Arc<Inference>, KeyHash>>,
    /// The index in `data.level2` of each rule's level 2, found once.
    rule_level2: Vec<Option<usize>>,
    /// The indices of the rules for each level-1 code, in order: a name is inferred against a
    /// few rules instead of comparing every rule's code.
    rules_by_level1: Vec<(String, Vec<usize>)>,
    /// Tells this profile's inferences apart in the memo ([`Profile::infer_level2`]); a clone
    /// keeps it, as nothing in a profile changes once it is made.
    id: u64,
}

/// The next [`Profile::id`].
static NEXT_PROFILE_ID: AtomicU64 = AtomicU64::new(1);

/// Slots of the inference memo of each thread (a power of two): with 1,024, a tenth of the
/// lookups on a department list missed, the names of one table evicting each other.
const MEMO_SLOTS: usize = 4096;

/// Names longer than this are inferred without the memo.
const MEMO_NAME_MAX: usize = 192;

/// One remembered inference: its inputs, compared in full on a hit, and its result.
struct Memo {
    hash: u64,
    profile: u64,
    level1: Box<str>,
    name: Box<str>,
    kind: Option<&'static str>,
    unit: Option<Box<str>>,
    result: Option<Category>,
}

thread_local! {
    /// The inferences made last on this thread, a slot per hash of the inputs: an inference
    /// depends only on its inputs, and a table repeats its indicator names (满意度, 完成率 …), so
    /// most are made before. Walking the word automaton over a name missed the cache on every
    /// byte (a tenth of the instructions of reading a department list).
    static INFERRED: RefCell<Vec<Option<Box<Memo>>>> = const { RefCell::new(Vec::new()) };
}

/// Hashing for the profile's lookup tables. Category names and reason keys are looked up for
/// every indicator, and SipHash showed in profiles; the keys come from the profile, not from the
/// input, so a hash built to resist flooding buys nothing here.
type KeyHash = BuildHasherDefault<KeyHasher>;

/// FxHash (rustc's hash): a multiply and a rotate per eight bytes.
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl KeyHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Byte by byte rather than copied into a word: a copy of a variable length was a
            // call to `memcpy`, three for each inference looked up in the memo.
            let word = rest
                .iter()
                .rev()
                .fold(0u64, |word, &byte| (word << 8) | u64::from(byte));
            self.add(word);
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// What made a rule match: the index of the name word, of the value kind and of the unit in the
/// rule's lists (each `None` when the rule has no such condition).
type ReasonKey = (Option<usize>, Option<usize>, Option<usize>);

#[derive(Debug, Clone)]
struct RuleKeys {
    /// Pattern ids of the rule's words in `Profile::words`, in the rule's order.
    words: Vec<usize>,
    units: Vec<String>,
}

impl Default for Profile {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Profile {
    /// The built-in profile.
    pub fn builtin() -> Self {
        let data: ProfileData =
            toml::from_str(BUILTIN).expect("the built-in profile is valid TOML");
        Self::from_data(data)
    }

    /// The built-in profile extended by `extension`: categories with a known code gain the new
    /// aliases (and a new name, if given), new codes are added, and inference rules with a known id
    /// replace the built-in one while new ids are tried before the built-in rules.
    pub fn extended(extension: ProfileData) -> Self {
        let mut data = Self::builtin().data;
        merge_categories(&mut data.level1, extension.level1);
        merge_categories(&mut data.level2, extension.level2);
        let mut new_rules = Vec::new();
        for rule in extension.inference {
            match data.inference.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => new_rules.push(rule),
            }
        }
        new_rules.append(&mut data.inference);
        data.inference = new_rules;
        Self::from_data(data)
    }

    pub fn from_data(data: ProfileData) -> Self {
        let mut level1_by_key = HashMap::default();
        for (index, def) in data.level1.iter().enumerate() {
            for name in
                std::iter::once(def.name.as_str()).chain(def.aliases.iter().map(String::as_str))
            {
                level1_by_key
                    .entry(category_key(name).into_owned())
                    .or_insert(index);
                level1_by_key.entry(name.to_owned()).or_insert(index);
            }
        }
        let mut level2_by_key: HashMap<String, Vec<usize>, KeyHash> = HashMap::default();
        for (index, def) in data.level2.iter().enumerate() {
            for name in
                std::iter::once(def.name.as_str()).chain(def.aliases.iter().map(String::as_str))
            {
                for key in [category_key(name).into_owned(), name.to_owned()] {
                    let entry = level2_by_key.entry(key).or_default();
                    if !entry.contains(&index) {
                        entry.push(index);
                    }
                }
            }
        }
        let mut patterns: Vec<String> = Vec::new();
        let rule_keys = data
            .inference
            .iter()
            .map(|rule| RuleKeys {
                words: rule
                    .name_contains
                    .iter()
                    .map(|w| {
                        patterns.push(match_key(w).into_owned());
                        patterns.len() - 1
                    })
                    .collect(),
                units: rule
                    .units
                    .iter()
                    .map(|u| match_key(u).into_owned())
                    .collect(),
            })
            .collect();
        // A DFA: a few hundred states for the built-in words, and the fastest search per byte.
        // Names are CJK text whose lead bytes are all alike, where a prefilter only adds work.
        let words = DFA::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&patterns)
            .expect("inference words are short literal strings");
        let inferences = data.inference.iter().map(all_inferences).collect();
        let rule_level2 = data
            .inference
            .iter()
            .map(|rule| {
                data.level2
                    .iter()
                    .position(|d| d.code == rule.level2.as_str())
            })
            .collect();
        let mut rules_by_level1: Vec<(String, Vec<usize>)> = Vec::new();
        for (index, rule) in data.inference.iter().enumerate() {
            match rules_by_level1
                .iter_mut()
                .find(|(code, _)| *code == rule.level1)
            {
                Some((_, rules)) => rules.push(index),
                None => rules_by_level1.push((rule.level1.clone(), vec![index])),
            }
        }
        Self {
            data,
            longest_level1: level1_by_key.keys().map(String::len).max().unwrap_or(0),
            longest_level2: level2_by_key.keys().map(String::len).max().unwrap_or(0),
            level1_by_key,
            rules_by_level1,
            level2_by_key,
            rule_keys,
            inferences,
            words,
            word_count: patterns.len(),
            rule_level2,
            id: NEXT_PROFILE_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    pub fn data(&self) -> &ProfileData {
        &self.data
    }

    /// The level-1 category a published name stands for.
    pub fn level1(&self, name: &str) -> Option<&CategoryDef> {
        // Published names are usually exact; only normalise when the plain lookup misses.
        let found = if category_key_longer_than(name, self.longest_level1) {
            None
        } else {
            self.level1_by_key
                .get(name)
                .or_else(|| self.level1_by_key.get(normalized(name)?.as_ref()))
        };
        found
            .map(|&i| &self.data.level1[i])
            .or_else(|| self.level1_scrambled(name))
    }

    /// An 一级 name whose characters came out of order (`出标产指`): vertical text in a merged
    /// cell, read line by line by OCR or a PDF extraction. Only the canonical `…指标` names.
    pub fn level1_scrambled(&self, name: &str) -> Option<&CategoryDef> {
        // (`指标效益` is `指标` then a word: only a text that split 指 from 标 is scrambled.)
        if !(name.contains('指') && name.contains('标')) || name.contains("指标") {
            return None;
        }
        let mut chars: Vec<char> = name.chars().collect();
        if !(4..=5).contains(&chars.len()) {
            return None;
        }
        chars.sort_unstable();
        self.data.level1.iter().find(|d| {
            let mut canonical: Vec<char> = d.name.chars().collect();
            canonical.sort_unstable();
            canonical == chars
        })
    }

    pub fn level1_by_code(&self, code: &str) -> Option<&CategoryDef> {
        self.data.level1.iter().find(|d| d.code == code)
    }

    pub fn level2_by_code(&self, code: &str) -> Option<&CategoryDef> {
        self.data.level2.iter().find(|d| d.code == code)
    }

    /// The level-2 category a published name stands for, preferring one under `parent_code`
    /// (成本指标 is both an 一级 and an 二级 under 产出).
    pub fn level2(&self, name: &str, parent_code: Option<&str>) -> Option<&CategoryDef> {
        if category_key_longer_than(name, self.longest_level2) {
            return None;
        }
        let candidates = match self.level2_by_key.get(name) {
            Some(found) => found,
            None => self.level2_by_key.get(normalized(name)?.as_ref())?,
        };
        let preferred = candidates.iter().find(|&&i| {
            parent_code.is_some() && self.data.level2[i].parent.as_deref() == parent_code
        });
        preferred
            .or_else(|| candidates.first())
            .map(|&i| &self.data.level2[i])
    }

    /// Infers the level-2 category of an indicator whose table gives only the level 1.
    pub fn infer_level2(
        &self,
        level1_code: &str,
        name: &str,
        annual: Option<&Value>,
    ) -> Option<Category> {
        let kind = annual.map(|v| value_kind_name(&v.kind));
        let unit = annual.and_then(|v| match &v.kind {
            ValueKind::Quantitative(q) => q.unit.as_deref(),
            _ => None,
        });
        if name.len() > MEMO_NAME_MAX || unit.is_some_and(|u| u.len() > MEMO_NAME_MAX) {
            return self.infer_level2_uncached(level1_code, name, kind, unit);
        }
        // Hashed by hand rather than as a tuple (a write per part, the integers through the
        // byte loop): a kind is one of a few static names, hashed by its address; the memo
        // compares every input on a hit.
        let mut hasher = KeyHasher(self.id);
        hasher.write(name.as_bytes());
        hasher.write(level1_code.as_bytes());
        hasher.add(kind.map_or(0, |k| k.as_ptr() as u64));
        if let Some(unit) = unit {
            hasher.write(unit.as_bytes());
        }
        let hash = hasher.finish();
        let remembered = INFERRED.with(|memo| {
            let memo = memo.try_borrow().ok()?;
            let slot = memo.get(slot_of(hash))?.as_ref()?;
            (slot.hash == hash
                && slot.profile == self.id
                && *slot.level1 == *level1_code
                && *slot.name == *name
                && same_kind(slot.kind, kind)
                && slot.unit.as_deref() == unit)
                .then(|| {
                    // Built here rather than by the derived `clone`, which was not inlined: an
                    // inferred category has no raw text and no span.
                    slot.result.as_ref().map(|c| Category {
                        name: c.name.clone(),
                        code: c.code.clone(),
                        raw: Str::default(),
                        inferred: c.inferred.clone(),
                        span: None,
                    })
                })
        });
        if let Some(result) = remembered {
            return result;
        }
        let result = self.infer_level2_uncached(level1_code, name, kind, unit);
        INFERRED.with(|memo| {
            if let Ok(mut memo) = memo.try_borrow_mut() {
                if memo.is_empty() {
                    memo.resize_with(MEMO_SLOTS, || None);
                }
                // Boxed, each on its own: one vector of the memos themselves was a large
                // allocation, for which the allocator committed megabytes.
                memo[slot_of(hash)] = Some(Box::new(Memo {
                    hash,
                    profile: self.id,
                    level1: level1_code.into(),
                    name: name.into(),
                    kind,
                    unit: unit.map(Into::into),
                    result: result.clone(),
                }));
            }
        });
        result
    }

    /// [`Profile::infer_level2`] without the memo, from the annual value's kind and unit.
    fn infer_level2_uncached(
        &self,
        level1_code: &str,
        name: &str,
        kind: Option<&'static str>,
        unit: Option<&str>,
    ) -> Option<Category> {
        let key = match_key(name);
        let unit_key = unit.map(match_key);
        let rules = self
            .rules_by_level1
            .iter()
            .find_map(|(code, rules)| (code == level1_code).then_some(rules))?;
        let found = self.found_words(&key);
        for &index in rules {
            let rule = &self.data.inference[index];
            let keys = &self.rule_keys[index];
            let inferences = &self.inferences[index];
            let key = if rule.fallback {
                Some((None, None, None))
            } else {
                rule_match(rule, keys, &found, kind, unit_key.as_deref())
            };
            let Some(inference) = key.and_then(|key| inferences.get(&key)) else {
                continue;
            };
            let def = &self.data.level2[self.rule_level2[index]?];
            return Some(Category {
                name: def.name.clone(),
                code: Some(def.code.clone()),
                raw: Str::default(),
                inferred: Some(Arc::clone(inference)),
                span: None,
            });
        }
        None
    }
}

/// Whether two value kinds' names are the same: by address first (they are static names).
#[inline]
fn same_kind(a: Option<&'static str>, b: Option<&'static str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b) || a == b,
        (None, None) => true,
        _ => false,
    }
}

/// The memo slot of an inference's hash.
fn slot_of(hash: u64) -> usize {
    // The high bits: FxHash mixes them best.
    (hash >> (64 - MEMO_SLOTS.trailing_zeros())) as usize % MEMO_SLOTS
}

impl Profile {
    /// The inference words that occur in `key`, overlapping ones included.
    fn found_words(&self, key: &str) -> WordSet {
        let mut found = WordSet::new(self.word_count);
        let dfa = &self.words;
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return found;
        };
        let mut add_matches = |state| {
            for i in 0..dfa.match_len(state) {
                found.insert(dfa.match_pattern(state, i).as_usize());
            }
        };
        // The start state matches only an empty word.
        if dfa.is_match(state) {
            add_matches(state);
        }
        for &byte in key.as_bytes() {
            state = dfa.next_state(Anchored::No, state, byte);
            if dfa.is_match(state) {
                add_matches(state);
            }
        }
        found
    }
}

/// The lookup key of a category name when it differs from the name itself (`None` when the
/// plain lookup already tried it).
fn normalized(name: &str) -> Option<Cow<'_, str>> {
    let key = category_key(name);
    (key.as_ref() != name).then_some(key)
}

/// Whether a non-fallback rule matches, and on what; every given condition must hold.
fn rule_match(
    rule: &InferenceRule,
    keys: &RuleKeys,
    found_words: &WordSet,
    kind: Option<&str>,
    unit_key: Option<&str>,
) -> Option<ReasonKey> {
    let word = if rule.name_contains.is_empty() {
        None
    } else {
        Some(keys.words.iter().position(|&w| found_words.contains(w))?)
    };
    let kind = if rule.value_kinds.is_empty() {
        None
    } else {
        let kind = kind?;
        Some(rule.value_kinds.iter().position(|k| k == kind)?)
    };
    let unit = if rule.units.is_empty() {
        None
    } else {
        let unit_key = unit_key?;
        Some(keys.units.iter().position(|u| {
            unit_key == u
                || unit_key
                    .strip_prefix(u.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })?)
    };
    if (word, kind, unit) == (None, None, None) {
        None
    } else {
        Some((word, kind, unit))
    }
}

/// The words of the inference rules found in a name: a bit per word, on the stack for up to
/// 256 words (the built-in profile has about 50), so that inferring allocates nothing.
enum WordSet {
    Small([u64; 4]),
    Large(Vec<bool>),
}

impl WordSet {
    fn new(words: usize) -> Self {
        if words <= 256 {
            Self::Small([0; 4])
        } else {
            Self::Large(vec![false; words])
        }
    }

    #[inline]
    fn insert(&mut self, word: usize) {
        match self {
            Self::Small(bits) => bits[word / 64] |= 1 << (word % 64),
            Self::Large(found) => found[word] = true,
        }
    }

    #[inline]
    fn contains(&self, word: usize) -> bool {
        match self {
            Self::Small(bits) => bits[word / 64] & (1 << (word % 64)) != 0,
            Self::Large(found) => found[word],
        }
    }
}

/// Every inference `rule` can make, with its Chinese reason (`名称含“及时”，指标值为定量值`).
fn all_inferences(rule: &InferenceRule) -> HashMap<ReasonKey, Arc<Inference>, KeyHash> {
    let make = |reason: String| {
        Arc::new(Inference {
            rule: rule.id.clone(),
            reason,
        })
    };
    let mut all = HashMap::default();
    if rule.fallback {
        all.insert(
            (None, None, None),
            make("该一级指标下的默认二级指标".to_owned()),
        );
        return all;
    }
    let choices = |n: usize| -> Vec<Option<usize>> {
        if n == 0 {
            vec![None]
        } else {
            (0..n).map(Some).collect()
        }
    };
    for word in choices(rule.name_contains.len()) {
        for kind in choices(rule.value_kinds.len()) {
            for unit in choices(rule.units.len()) {
                let mut reasons = Vec::new();
                if let Some(i) = word {
                    reasons.push(format!("名称含“{}”", rule.name_contains[i]));
                }
                if let Some(i) = kind {
                    reasons.push(format!(
                        "指标值为{}",
                        value_kind_label(&rule.value_kinds[i])
                    ));
                }
                if let Some(i) = unit {
                    reasons.push(format!("计量单位为“{}”", rule.units[i]));
                }
                if !reasons.is_empty() {
                    all.insert((word, kind, unit), make(reasons.join("，")));
                }
            }
        }
    }
    all
}

/// The snake_case name of a value kind, as used in profiles and exports.
pub fn value_kind_name(kind: &ValueKind) -> &'static str {
    match kind {
        ValueKind::Quantitative(_) => "quantitative",
        ValueKind::Deadline(_) => "deadline",
        ValueKind::Qualitative => "qualitative",
        ValueKind::Compound { .. } => "compound",
        ValueKind::Reference { .. } => "reference",
        ValueKind::Empty => "empty",
    }
}

fn value_kind_label(kind: &str) -> &'static str {
    match kind {
        "quantitative" => "定量值",
        "deadline" => "时限",
        "qualitative" => "定性描述",
        "compound" => "复合值",
        "reference" => "引用标准",
        _ => "空值",
    }
}

fn merge_categories(base: &mut Vec<CategoryDef>, extension: Vec<CategoryDef>) {
    for def in extension {
        match base
            .iter_mut()
            .find(|d| d.code == def.code && d.parent == def.parent)
        {
            Some(existing) => {
                existing.name = def.name;
                for alias in def.aliases {
                    if !existing.aliases.contains(&alias) {
                        existing.aliases.push(alias);
                    }
                }
            }
            None => base.push(def),
        }
    }
}

/// True when `category_key(name)`, and `name` itself, certainly have more than `limit` bytes:
/// a long text (a goal, a paragraph) is no category, and keying it was most of the time spent
/// on a large file that is no table. Leading digits, `-` and `.` are not counted, nor the three
/// ideographs `分` and `指标` the key may trim.
fn category_key_longer_than(name: &str, limit: usize) -> bool {
    crate::key::key_longer_than(name, limit + 9, |b| {
        !(b.is_ascii_digit() || b == b'-' || b == b'.')
    })
}

/// The key a category name is looked up by: the match key without template hints in brackets
/// (`(必填硬性指标)`), without a leading code (`1-`) and without a trailing `指标`.
pub fn category_key(name: &str) -> Cow<'_, str> {
    fn trim(key: &str) -> &str {
        let key = key.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '.');
        // Points written after the name (`产出指标50分`, `成本指标(0-20)分` once the bracket is
        // gone) are a score, not part of the name.
        let key = match key.strip_suffix('分') {
            Some(rest) => {
                let bare = rest.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                if bare.len() < rest.len() || rest.ends_with("指标") {
                    bare
                } else {
                    key
                }
            }
            None => key,
        };
        key.strip_suffix("指标").unwrap_or(key)
    }
    match match_key(name) {
        Cow::Borrowed(key) if !key.contains(['(', '[', '【']) => Cow::Borrowed(trim(key)),
        key => Cow::Owned(trim(&crate::vocabulary::without_brackets(&key)).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_key_said_longer_is_longer() {
        let names = [
            "1-产出指标50分",
            "12.5.3-成本指标(0-20)分",
            "产出指标：数量指标，年度指标值：≥95%",
            "效益指标指标指标分",
            "123456789产出指标〔必填〕abc",
            "{\"file\":\"part-000/d000000.txt\",\"line\":11,\"unit\":\"遂宁市大英县民政局\"}",
            "ＡＢＣ 满意度指标 99.5分",
            "a\u{301}bc质量指标1.5分",
        ];
        for name in names {
            let key = category_key(name).len();
            for limit in 0..name.len() + 2 {
                if category_key_longer_than(name, limit) {
                    assert!(key > limit && name.len() > limit, "{name} {limit}");
                }
            }
        }
        assert!(category_key_longer_than(
            "项目支出绩效目标项目支出绩效目标",
            30
        ));
    }

    #[test]
    fn scrambled_level1_names_are_recognised_and_words_after_zhibiao_are_not() {
        let profile = Profile::builtin();
        assert_eq!(
            profile.level1("出标产指").map(|d| d.code.as_str()),
            Some("1")
        );
        assert_eq!(
            profile.level1("益标效指").map(|d| d.code.as_str()),
            Some("2")
        );
        assert!(profile.level1("指标效益").is_none());
        assert!(profile.level1("标指产").is_none());
    }

    #[test]
    fn builtin_profile_resolves_aliases() {
        let profile = Profile::builtin();
        assert_eq!(
            profile.level1("项目完成指标").map(|d| d.code.as_str()),
            Some("1")
        );
        assert_eq!(
            profile.level1("1-产出指标").map(|d| d.code.as_str()),
            Some("1")
        );
        assert_eq!(profile.level1("效益").map(|d| d.code.as_str()), Some("2"));
        assert_eq!(
            profile
                .level1("社会公众或服务对象满意度指标")
                .map(|d| d.code.as_str()),
            Some("3")
        );
        assert_eq!(
            profile
                .level2("社会效益", Some("2"))
                .map(|d| d.code.as_str()),
            Some("22")
        );
        assert_eq!(
            profile
                .level2("成本指标", Some("1"))
                .map(|d| d.code.as_str()),
            Some("14")
        );
        assert_eq!(
            profile
                .level2("质量指标(必填硬性指标)", None)
                .map(|d| d.code.as_str()),
            Some("12")
        );
    }

    #[test]
    fn inference_records_why() {
        let profile = Profile::builtin();
        let category = profile
            .infer_level2("1", "编外人员工资发放及时率", None)
            .expect("a rule matches");
        assert_eq!(category.code.as_deref(), Some("13"));
        let inference = category.inferred.expect("inferred");
        assert_eq!(inference.rule, "timeliness-words");
        assert_eq!(inference.reason, "名称含“及时”");
    }

    #[test]
    fn extension_adds_aliases_and_rules_first() {
        let extension: ProfileData = toml::from_str(
            r#"
            [[level1]]
            code = "1"
            name = "产出指标"
            aliases = ["完成情况指标"]

            [[inference]]
            id = "local-training"
            level1 = "1"
            level2 = "12"
            name_contains = ["培训"]
            "#,
        )
        .expect("valid");
        let profile = Profile::extended(extension);
        assert_eq!(
            profile.level1("完成情况指标").map(|d| d.code.as_str()),
            Some("1")
        );
        let category = profile
            .infer_level2("1", "培训人数", None)
            .expect("a rule matches");
        assert_eq!(category.code.as_deref(), Some("12"));
    }
}
