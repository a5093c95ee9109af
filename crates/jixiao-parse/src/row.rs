//! A logical table row: one line, or several lines that a page break split, joined back.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::Arc;

use jixiao_model::{Span, Str, Text};

use crate::text::{trim_end, trim_start};

/// A logical row and where each part of it came from.
#[derive(Debug)]
pub struct Row<'a> {
    pub text: Cow<'a, str>,
    /// `(offset in text, line number, offset in that line)` for each joined line, in order.
    segments: Vec<Segment>,
    pub file: Arc<str>,
    /// The decoded source `text` is a slice of, and where in it the row starts; model text shares
    /// it rather than copying.
    source: Arc<String>,
    base: usize,
    /// A joined row's text is not a slice of the source; it gets a source of its own.
    joined: OnceCell<Arc<String>>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    offset: usize,
    line: u32,
    line_offset: usize,
}

impl<'a> Row<'a> {
    /// A row of one line; `text` should be a slice of `source`.
    pub fn single(file: Arc<str>, line: u32, text: &'a str, source: &Arc<String>) -> Self {
        let start = (text.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
        let inside = start
            .checked_add(text.len())
            .is_some_and(|end| end <= source.len());
        let (source, base) = if inside {
            (Arc::clone(source), start)
        } else {
            (Arc::new(text.to_owned()), 0)
        };
        Self {
            text: Cow::Borrowed(text),
            segments: vec![Segment {
                offset: 0,
                line,
                line_offset: 0,
            }],
            file,
            source,
            base,
            joined: OnceCell::new(),
        }
    }

    /// `text[start..end]` as model text sharing the source.
    pub fn str(&self, start: usize, end: usize) -> Str {
        if self.is_joined() {
            let own = self.joined.get_or_init(|| Arc::new(self.text.to_string()));
            Str::from_source(own, start..end)
        } else {
            Str::from_source(&self.source, self.base + start..self.base + end)
        }
    }

    /// `text[start..end]` with its span.
    // Inline: the indicator reader makes five an indicator, and the call returned 56 bytes
    // through memory.
    #[inline]
    pub fn text(&self, start: usize, end: usize) -> Text {
        Text {
            text: self.str(start, end),
            span: self.span(start, end),
        }
    }

    pub fn first_line(&self) -> u32 {
        self.segments[0].line
    }

    pub fn last_line(&self) -> u32 {
        self.segments[self.segments.len() - 1].line
    }

    pub fn is_joined(&self) -> bool {
        self.segments.len() > 1
    }

    /// Appends the next physical line; the two halves of the split cell are joined directly.
    pub fn join(&mut self, line: u32, text: &str) {
        let offset = self.text.len();
        self.text.to_mut().push_str(text);
        self.segments.push(Segment {
            offset,
            line,
            line_offset: 0,
        });
    }

    /// The span of `start..end` (byte offsets into `text`). A range that crosses a join is cut at
    /// the end of the line it starts on.
    // Inline for the row of one line (nearly every row): a name, a value or a category is given
    // a span each, and the call cost a third of the span.
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> Span {
        if let [segment] = self.segments[..] {
            let end = end.min(self.text.len()).max(start);
            return Span::new(self.file.clone(), segment.line, to_u32(start), to_u32(end));
        }
        self.joined_span(start, end)
    }

    /// [`Row::span`] in a joined row.
    fn joined_span(&self, start: usize, end: usize) -> Span {
        let index = self
            .segments
            .partition_point(|s| s.offset <= start)
            .saturating_sub(1);
        let segment = self.segments[index];
        let segment_end = self
            .segments
            .get(index + 1)
            .map_or(self.text.len(), |s| s.offset);
        let end = end.min(segment_end).max(start);
        let to_line = |offset: usize| to_u32(offset - segment.offset + segment.line_offset);
        Span::new(
            self.file.clone(),
            segment.line,
            to_line(start),
            to_line(end),
        )
    }

    /// The tab-separated fields as byte ranges into `text`, each trimmed of surrounding spaces.
    pub fn fields(&self) -> Vec<(usize, usize)> {
        fields_of(&self.text)
    }
}

/// The tab-separated fields of `text` as byte ranges into it, each trimmed of surrounding spaces.
pub fn fields_of(text: &str) -> Vec<(usize, usize)> {
    let mut fields = Vec::with_capacity(8);
    let mut start = 0;
    // Tabs found with memchr: `split('\t')` compared each candidate byte by byte.
    let ends = memchr::memchr_iter(b'\t', text.as_bytes()).chain([text.len()]);
    for end in ends {
        let part = &text[start..end];
        let trimmed_start = start + (part.len() - trim_start(part).len());
        let trimmed_end = end - (part.len() - trim_end(part).len());
        fields.push((trimmed_start, trimmed_end.max(trimmed_start)));
        start = end + 1;
    }
    fields
}

pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
