//! Words for the index and for queries, cut by jieba.
//!
//! Indexed text is cut in jieba's search mode: the words of the default cut plus the dictionary
//! words inside them (服务对象满意度 → 服务, 对象, 服务对象, 满意, 满意度), so a query for a word
//! inside a longer one finds it where jieba sees that word. A query is cut in the default mode and
//! every word must match. Latin letters are lower-cased; spaces and punctuation are not words.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The dictionary is a few MB; load it once per process. Loading takes most of a second, so the
/// tokenizer loads it when it first cuts a text, not when it is made: an import opens the index
/// before it starts reading files, and the indexing threads then load it while files are parsed.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Loads the dictionary now on another thread, so that the first text cut need not wait for it.
pub fn preload() {
    // A failed spawn only means the first cut loads it.
    let _ = std::thread::Builder::new()
        .name("jieba-load".into())
        .spawn(|| {
            jieba();
        });
}

fn is_word(text: &str) -> bool {
    // Most words are Chinese: a word led by a CJK ideograph (U+4E00 to U+9FFF: lead byte E5 to
    // E9, or E4 then B8 to BF) or an ASCII letter or digit is settled by its first bytes.
    match text.as_bytes() {
        [b, ..] if b.is_ascii_alphanumeric() => return true,
        [0xE5..=0xE9, ..] | [0xE4, 0xB8..=0xBF, ..] => return true,
        _ => {}
    }
    text.chars().any(|c| {
        c.is_ascii_alphanumeric() || ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
    })
}

/// `word` in lower case; words of ASCII and CJK ideographs only are copied as they are, without
/// a lookup in Unicode's case tables for every character.
fn lower(word: &str) -> String {
    let mut bytes = word.bytes();
    let mut plain = true;
    while let Some(b) = bytes.next() {
        match b {
            b'A'..=b'Z' => plain = false,
            0x00..=0x7F => continue,
            // The two continuation bytes of a character from U+4000 to U+9FFF.
            0xE4..=0xE9 => {
                bytes.next();
                bytes.next();
                continue;
            }
            _ => plain = false,
        }
        break;
    }
    if plain {
        word.to_owned()
    } else {
        word.to_lowercase()
    }
}

/// The words of a query, in order, without repeats.
pub fn query_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for token in jieba().cut(text, true) {
        let word = token.word.trim().to_lowercase();
        if is_word(&word) && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// tantivy's tokenizer over jieba's search-mode cut.
#[derive(Clone, Default)]
pub struct JiebaTokenizer;

impl std::fmt::Debug for JiebaTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JiebaTokenizer")
    }
}

/// The tokens of one text, handed out one by one.
#[derive(Debug)]
pub struct JiebaTokenStream {
    /// Shared with the cache of cuts; copied only if a filter changes a token.
    tokens: Rc<Vec<Token>>,
    next: usize,
}

/// Texts at most this long (in bytes) have their cut remembered: names and values recur across
/// a corpus (a project's name is in each of its entries, 满意度 in thousands of indicators), where
/// long texts such as goals rarely do.
const CACHED_TEXT_BYTES: usize = 120;

/// How many cuts a thread remembers in each of its two generations (a few MB each).
const CACHED_TEXTS: usize = 32_768;

/// Cuts already made on one thread, by text: cutting is a pure function of the text, and
/// jieba's search-mode cut is most of what indexing an entry costs. When the newer generation is
/// full it becomes the older one and the older is dropped, so texts that keep coming back (the
/// indicator names, a project's name in each of its entries) stay remembered while the many
/// values seen once or twice pass through.
#[derive(Default)]
struct Cuts {
    new: FxHashMap<Box<str>, Rc<Vec<Token>>>,
    old: FxHashMap<Box<str>, Rc<Vec<Token>>>,
}

impl Cuts {
    fn get_or_cut(&mut self, text: &str, cut: impl FnOnce() -> Vec<Token>) -> Rc<Vec<Token>> {
        if let Some(tokens) = self.new.get(text) {
            return tokens.clone();
        }
        let tokens = match self.old.get(text) {
            Some(tokens) => tokens.clone(),
            None => Rc::new(cut()),
        };
        if self.new.len() >= CACHED_TEXTS {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(text.into(), tokens.clone());
        tokens
    }
}

thread_local! {
    static CUTS: RefCell<Cuts> = RefCell::new(Cuts::default());
}

impl JiebaTokenizer {
    fn cut(&self, text: &str) -> Vec<Token> {
        let cut = jieba().tokenize(text, TokenizeMode::Search, true);
        let mut tokens = Vec::with_capacity(cut.len());
        for token in cut {
            if !is_word(token.word) {
                continue;
            }
            tokens.push(Token {
                offset_from: token.byte_start,
                offset_to: token.byte_end,
                position: tokens.len(),
                text: lower(token.word),
                position_length: 1,
            });
        }
        tokens
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream {
        if text.len() > CACHED_TEXT_BYTES {
            return JiebaTokenStream {
                tokens: Rc::new(self.cut(text)),
                next: 0,
            };
        }
        let tokens = CUTS.with_borrow_mut(|cuts| cuts.get_or_cut(text, || self.cut(text)));
        JiebaTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for JiebaTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut Rc::make_mut(&mut self.tokens)[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut tokenizer = JiebaTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            assert_eq!(
                text[token.offset_from..token.offset_to].to_lowercase(),
                token.text
            );
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn search_mode_keeps_the_words_inside_a_longer_word() {
        let cut = words("服务对象满意度≥95%");
        for word in ["服务", "对象", "满意", "满意度"] {
            assert!(cut.iter().any(|w| w == word), "{word} not in {cut:?}");
        }
        assert!(!cut.iter().any(|w| w == "≥" || w == "%"), "{cut:?}");
    }

    #[test]
    fn a_remembered_cut_is_the_cut() {
        let texts = [
            "服务对象满意度≥95%",
            "培训人数",
            "服务对象满意度≥95%",
            "PM2.5 浓度",
        ];
        let fresh: Vec<Vec<Token>> = texts.iter().map(|t| JiebaTokenizer.cut(t)).collect();
        for _ in 0..2 {
            for (text, expected) in texts.iter().zip(&fresh) {
                let mut tokenizer = JiebaTokenizer;
                let mut stream = tokenizer.token_stream(text);
                let mut got = Vec::new();
                while stream.advance() {
                    got.push(stream.token().clone());
                }
                assert_eq!(&got, expected, "{text}");
            }
        }
        // A filter changing a token does not change the remembered cut.
        let mut tokenizer = JiebaTokenizer;
        let mut stream = tokenizer.token_stream("培训人数");
        assert!(stream.advance());
        stream.token_mut().text = "changed".into();
        let mut again = tokenizer.token_stream("培训人数");
        assert!(again.advance());
        assert_eq!(again.token().text, fresh[1][0].text);
    }

    #[test]
    fn quick_lower_case_and_word_test_agree_with_unicode() {
        for text in [
            "服务对象满意度",
            "PM2.5",
            "ＰＭ２．５浓度",
            "Ünïcode",
            "㐀㐁",
            "≥95%",
            "，。",
            "",
            "abc",
            "ÀB满意",
            "满意Ⅻ",
            "䷀䷁",
            "㐀䷀",
            "丁≥",
            "≥丁",
            "鿿",
            "9%",
            "%9",
            "䷿满",
        ] {
            assert_eq!(lower(text), text.to_lowercase(), "{text}");
            assert_eq!(
                is_word(text),
                text.chars().any(char::is_alphanumeric),
                "{text}"
            );
        }
    }

    #[test]
    fn query_words_are_the_default_cut_without_punctuation() {
        assert_eq!(query_words("  满意度，PM2.5 "), ["满意度", "pm2.5"]);
    }
}
