//! Words for the index and for queries, cut by jieba.
//!
//! Indexed text is cut in jieba's search mode: the words of the default cut plus the dictionary
//! words inside them (服务对象满意度 → 服务, 对象, 服务对象, 满意, 满意度), so a query for a word
//! inside a longer one finds it where jieba sees that word. A query is cut in the default mode and
//! every word must match. Latin letters are lower-cased; spaces and punctuation are not words.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The dictionary is a few MB; load it once per process.
fn jieba() -> &'static Arc<Jieba> {
    static JIEBA: OnceLock<Arc<Jieba>> = OnceLock::new();
    JIEBA.get_or_init(|| Arc::new(Jieba::new()))
}

fn is_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// The words of a query, in order, without repeats.
pub fn query_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in jieba().cut(text, true) {
        let word = word.trim().to_lowercase();
        if is_word(&word) && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// tantivy's tokenizer over jieba's search-mode cut.
#[derive(Clone)]
pub struct JiebaTokenizer {
    jieba: Arc<Jieba>,
}

impl std::fmt::Debug for JiebaTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JiebaTokenizer")
    }
}

impl Default for JiebaTokenizer {
    fn default() -> Self {
        Self {
            jieba: jieba().clone(),
        }
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

/// How many cuts a thread remembers before it starts again (a few MB).
const CACHED_TEXTS: usize = 16_384;

thread_local! {
    /// Cuts already made on this thread, by text: cutting is a pure function of the text, and
    /// jieba's search-mode cut is most of what indexing an entry costs.
    static CUTS: RefCell<HashMap<Box<str>, Rc<Vec<Token>>>> = RefCell::new(HashMap::new());
}

impl JiebaTokenizer {
    fn cut(&self, text: &str) -> Vec<Token> {
        // jieba counts characters; tantivy wants byte offsets.
        let mut bytes: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        bytes.push(text.len());
        let mut tokens = Vec::new();
        for token in self.jieba.tokenize(text, TokenizeMode::Search, true) {
            if !is_word(token.word) {
                continue;
            }
            tokens.push(Token {
                offset_from: bytes[token.start],
                offset_to: bytes[token.end],
                position: tokens.len(),
                text: token.word.to_lowercase(),
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
        let tokens = CUTS.with_borrow_mut(|cuts| {
            if let Some(tokens) = cuts.get(text) {
                return tokens.clone();
            }
            if cuts.len() >= CACHED_TEXTS {
                cuts.clear();
            }
            let tokens = Rc::new(self.cut(text));
            cuts.insert(text.into(), tokens.clone());
            tokens
        });
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
        let mut tokenizer = JiebaTokenizer::default();
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
        let fresh: Vec<Vec<Token>> = texts
            .iter()
            .map(|t| JiebaTokenizer::default().cut(t))
            .collect();
        for _ in 0..2 {
            for (text, expected) in texts.iter().zip(&fresh) {
                let mut tokenizer = JiebaTokenizer::default();
                let mut stream = tokenizer.token_stream(text);
                let mut got = Vec::new();
                while stream.advance() {
                    got.push(stream.token().clone());
                }
                assert_eq!(&got, expected, "{text}");
            }
        }
        // A filter changing a token does not change the remembered cut.
        let mut tokenizer = JiebaTokenizer::default();
        let mut stream = tokenizer.token_stream("培训人数");
        assert!(stream.advance());
        stream.token_mut().text = "changed".into();
        let mut again = tokenizer.token_stream("培训人数");
        assert!(again.advance());
        assert_eq!(again.token().text, fresh[1][0].text);
    }

    #[test]
    fn query_words_are_the_default_cut_without_punctuation() {
        assert_eq!(query_words("  满意度，PM2.5 "), ["满意度", "pm2.5"]);
    }
}
