//! `Str`: text that shares the decoded source instead of copying it.
//!
//! Every name, value and raw text in the model is a piece of the source. Holding each as its own
//! `String` cost an allocation and a copy per piece, and the copies made the model ten times the
//! size of the input; a `Str` is the source (reference-counted) plus a byte range.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string slice of a shared source. Compares, hashes, prints and serialises exactly
/// like the `str` it holds.
// `Arc<String>` rather than `Arc<str>`: a thin pointer keeps a `Str` at 16 bytes, and there are
// a dozen per indicator. `None` for the empty string: many parts of a value are empty (no
// subject, no trailing text), and an empty `Str` then costs no reference count.
#[derive(Clone, Default)]
pub struct Str {
    source: Option<Arc<String>>,
    start: u32,
    end: u32,
}

impl Str {
    /// A `Str` that owns a copy of `text`.
    pub fn new(text: &str) -> Self {
        if text.is_empty() {
            return Self::default();
        }
        Self::whole(Arc::new(text.to_owned()))
    }

    /// All of `source`.
    pub fn whole(source: Arc<String>) -> Self {
        Self::from_source(&source, 0..source.len())
    }

    /// `source[range]`, sharing `source`. Falls back to a copy when the range does not fit in
    /// 32 bits (a source over 4 GiB) or is not on character boundaries.
    // Inline: the readers call it for every name and value, from other crates.
    #[inline]
    pub fn from_source(source: &Arc<String>, range: Range<usize>) -> Self {
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) if start == end && source.is_char_boundary(range.start) => {
                Self::default()
            }
            (Ok(start), Ok(end)) if start <= end && source.get(range.clone()).is_some() => Self {
                source: Some(Arc::clone(source)),
                start,
                end,
            },
            _ => Self::new(source.get(range).unwrap_or_default()),
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        // The range was checked against the source when the `Str` was made.
        match &self.source {
            Some(source) => &source[self.start as usize..self.end as usize],
            None => "",
        }
    }

    /// The bytes of [`Str::as_str`], without its check that the range falls on character
    /// boundaries (made when the `Str` was): for writers that only copy bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.source {
            Some(source) => &source.as_bytes()[self.start as usize..self.end as usize],
            None => b"",
        }
    }

    /// `sub` as a `Str` sharing this one's source when `sub` lies inside it (as slices of
    /// `self.as_str()` do); a copy otherwise.
    pub fn slice_ref(&self, sub: &str) -> Self {
        let base = self.as_str();
        let base_start = base.as_ptr() as usize;
        let sub_start = sub.as_ptr() as usize;
        if sub.is_empty() {
            Self::default()
        } else if let Some(source) = &self.source
            && sub_start >= base_start
            && sub_start + sub.len() <= base_start + base.len()
        {
            let offset = self.start as usize + (sub_start - base_start);
            Self::from_source(source, offset..offset + sub.len())
        } else {
            Self::new(sub)
        }
    }
}

impl Deref for Str {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    #[inline]
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Str {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl From<&str> for Str {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for Str {
    fn from(text: String) -> Self {
        if text.is_empty() {
            return Self::default();
        }
        Self::whole(Arc::new(text))
    }
}

impl From<&String> for Str {
    fn from(text: &String) -> Self {
        Self::new(text)
    }
}

impl From<Str> for String {
    fn from(text: Str) -> Self {
        text.as_str().to_owned()
    }
}

impl Serialize for Str {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl JsonSchema for Str {
    fn inline_schema() -> bool {
        <String as JsonSchema>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <String as JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <String as JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <String as JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_the_source_and_behaves_like_str() {
        let source = Arc::new("产出指标：培训人次".to_owned());
        let name = Str::from_source(&source, 15..27);
        assert_eq!(name, "培训人次");
        assert_eq!(Arc::strong_count(&source), 2);
        let part = name.slice_ref(&name[6..]);
        assert_eq!(part, "人次");
        assert_eq!(Arc::strong_count(&source), 3);
        let outside = name.slice_ref("别处");
        assert_eq!(outside, "别处");
        assert_eq!(
            serde_json::to_string(&name).ok().as_deref(),
            Some("\"培训人次\"")
        );
        assert_eq!(
            Str::from_source(&source, 1..3),
            "",
            "not a char boundary: empty copy"
        );
        assert_eq!(Str::default(), "");
    }
}
