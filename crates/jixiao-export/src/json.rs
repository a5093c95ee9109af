//! A document as JSON, written by hand: the bytes `serde_json` writes for the model's derived
//! `Serialize` (pretty with two-space indentation as `jixiao parse --format json` nests it, or
//! compact as `--format jsonl` writes it), at a fraction of the cost.
//!
//! `serde_json` escaped every string a byte at a time (a sixth of `parse --format json` on a
//! department list) and went through a generic writer per key, bracket and indentation. Here a
//! string is scanned for what JSON escapes a block at a time and copied whole, each span's file
//! name is escaped once per document, and numbers are written with `itoa`.
//!
//! The field order and the `skip_serializing_if` rules are the model's `#[derive(Serialize)]`;
//! a test compares the two on every example, seed, sample and variation.

use std::sync::Arc;

use jixiao_model::json::push_escaped;
use jixiao_model::{
    Amount, AmountRow, Amounts, BudgetLine, Category, CellRef, Deadline, Document, Evaluation,
    Field, Funding, Indicator, IndicatorDetails, Project, ProjectDetails, Quantity, Span, Text,
    Truncation, Unit, Value, ValueKind, ValuePart,
};
use rust_decimal::Decimal;

/// Appends `document` as `serde_json` pretty-prints it (two spaces a level) when it starts
/// `level` levels in: the element of `ParseOutput::documents` that `jixiao parse --format json`
/// writes is at level 2.
pub fn push_document_json(out: &mut Vec<u8>, document: &Document, level: usize) {
    Writer::<true>::new(out, level).document(document);
}

/// Appends `document` as `serde_json::to_writer` writes it (compact, no line end).
pub fn push_document_json_compact(out: &mut Vec<u8>, document: &Document) {
    Writer::<false>::new(out, 0).document(document);
}

/// Appends `document` compact, with each span that points into the document's own source and
/// names no cell written short, as `"span":[dl,ds,n]`: the line as a step from the previous short
/// span's line, the start as a step from that span's end when the line is the same (else the
/// start itself), and the length. These are the bytes the store's `compact::pack` makes of
/// [`push_document_json_compact`]'s (a test there compares them), written at once instead of
/// writing every span out in full and then searching the text for them.
pub fn push_document_json_packed(out: &mut Vec<u8>, document: &Document) {
    let mut writer = Writer::<false>::new(out, 0);
    writer.packing = Some(Packing {
        source: document.source.as_str().into(),
        line: 0,
        end: 0,
    });
    writer.document(document);
}

/// Appends `value` as `rust_decimal`'s `serde-str` serialisation writes it, without quotes (its
/// `Display` without a precision): `34139.95`, `0.00`, `-1.5`, `100`.
pub fn push_decimal(out: &mut Vec<u8>, value: &Decimal) {
    let mut digits = itoa::Buffer::new();
    let mantissa = value.mantissa().unsigned_abs();
    // Formatted as a `u64` when it fits (nearly always): `u128` divides by far more steps.
    let digits: &[u8] = if mantissa == 0 {
        b""
    } else if let Ok(small) = u64::try_from(mantissa) {
        digits.format(small).as_bytes()
    } else {
        digits.format(mantissa).as_bytes()
    };
    let scale = value.scale() as usize;
    if value.is_sign_negative() {
        out.push(b'-');
    }
    if scale == 0 {
        if digits.is_empty() {
            out.push(b'0');
        } else {
            out.extend_from_slice(digits);
        }
        return;
    }
    if digits.len() > scale {
        let whole = digits.len() - scale;
        out.extend_from_slice(&digits[..whole]);
        out.push(b'.');
        out.extend_from_slice(&digits[whole..]);
    } else {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    }
}

/// Appends `n` in decimal. Numbers of up to five digits (lines, offsets, sequence numbers:
/// nearly all) are written as arrays of a fixed length, copied in place, where `itoa` and a
/// copy of its digits took a call each.
#[inline(always)]
pub(crate) fn push_u32(out: &mut Vec<u8>, n: u32) {
    const DIGITS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let pair = |n: u32| {
        let i = 2 * n as usize;
        [DIGITS[i], DIGITS[i + 1]]
    };
    let digit = |n: u32| b'0' + n as u8;
    if n < 10 {
        out.push(digit(n));
    } else if n < 100 {
        out.extend_from_slice(&pair(n));
    } else if n < 1000 {
        let [b, c] = pair(n % 100);
        out.extend_from_slice(&[digit(n / 100), b, c]);
    } else if n < 10_000 {
        let [a, b] = pair(n / 100);
        let [c, d] = pair(n % 100);
        out.extend_from_slice(&[a, b, c, d]);
    } else if n < 100_000 {
        let [b, c] = pair(n / 100 % 100);
        let [d, e] = pair(n % 100);
        out.extend_from_slice(&[digit(n / 10_000), b, c, d, e]);
    } else {
        push_u32_long(out, n);
    }
}

/// [`push_u32`] of six digits or more: out of line, so the common case needs no stack frame.
#[cold]
#[inline(never)]
fn push_u32_long(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A text of at most 16 bytes at the start of a 16-byte block padded with `A` (which neither
/// JSON escapes nor CSV quotes), filled by copies of a fixed length: its first and last eight
/// (or four) bytes, overlapping. `None` for a longer text. Names, raw amounts, units and codes
/// are mostly this short; copied whole and scanned a word at a time, each took a call of
/// `memcpy` and a scanner's set-up.
#[inline(always)]
pub(crate) fn short_block(bytes: &[u8]) -> Option<[u8; 16]> {
    let n = bytes.len();
    let mut block = [b'A'; 16];
    if n > 16 {
        return None;
    }
    if let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        block[..8].copy_from_slice(first);
        if let Some(end) = block
            .get_mut(n - 8..)
            .and_then(|b| b.first_chunk_mut::<8>())
        {
            *end = *last;
        }
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        block[..4].copy_from_slice(first);
        if let Some(end) = block
            .get_mut(n - 4..)
            .and_then(|b| b.first_chunk_mut::<4>())
        {
            *end = *last;
        }
    } else {
        for (slot, &byte) in block.iter_mut().zip(bytes) {
            *slot = byte;
        }
    }
    Some(block)
}

/// The two words of a 16-byte block.
#[inline(always)]
pub(crate) fn block_words(block: &[u8; 16]) -> (u64, u64) {
    let (low, high) = block.split_at(8);
    let word = |half: &[u8]| {
        half.first_chunk::<8>()
            .map_or(0, |w| u64::from_le_bytes(*w))
    };
    (word(low), word(high))
}

/// Whether a byte of `block` is one JSON escapes: below 0x20, a quote or a backslash.
#[inline(always)]
fn block_has_escaped(block: &[u8; 16]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let has = |word: u64| {
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        below(word, 0x20) | below(quote, 1) | below(backslash, 1)
    };
    let (low, high) = block_words(block);
    (has(low) | has(high)) & HIGH != 0
}

/// Appends the first `len` bytes of `block`: the whole block, cut back.
#[inline(always)]
pub(crate) fn push_block(out: &mut Vec<u8>, block: &[u8; 16], len: usize) {
    let at = out.len();
    out.extend_from_slice(block);
    out.truncate(at + len);
}

/// Where [`push_document_json_packed`] is: the spans it writes short are steps from the last one.
struct Packing {
    source: Box<str>,
    line: i64,
    end: i64,
}

/// A member's key as it is written: quoted, with its colon, and a space after it when pretty.
#[derive(Clone, Copy)]
struct Key {
    pretty: &'static [u8],
    compact: &'static [u8],
}

/// The [`Key`] of the member `name` (an identifier: nothing to escape), made at compile time.
macro_rules! key {
    ($name:literal) => {
        Key {
            pretty: concat!("\"", $name, "\": ").as_bytes(),
            compact: concat!("\"", $name, "\":").as_bytes(),
        }
    };
}

/// One object being written: whether a member was written yet.
struct Object {
    empty: bool,
}

struct Writer<'o, const PRETTY: bool> {
    out: &'o mut Vec<u8>,
    /// `,\n` and the indentation of a member at the current depth (pretty only): a key's
    /// separator and indentation are one copy.
    indent: Vec<u8>,
    /// The last span file seen and its escaped, quoted form: every span of a document names
    /// the same file.
    file: Option<(Arc<str>, Vec<u8>)>,
    /// By depth, the text around a span's numbers (pretty only; empty where no span was written
    /// yet, cleared when the file changes).
    span_heads: Vec<SpanPieces>,
    /// Set by [`push_document_json_packed`] only.
    packing: Option<Packing>,
    /// Inferred categories written so far (see [`Writer::category`]).
    inferred: CategoryJson,
    /// The name and code members of other categories written so far.
    category_heads: CategoryJson,
}

/// A plain span's text at one depth, but for its numbers: `bytes[..line]` is the opening brace,
/// the file member and the line key, `bytes[line..start]` the start key, `bytes[start..end]` the
/// end key and `bytes[end..close]` the closing brace, followed by [`BLOCK`] bytes of padding.
#[derive(Default)]
struct SpanPieces {
    bytes: Vec<u8>,
    line: usize,
    start: usize,
    end: usize,
    close: usize,
}

/// The length of the blocks [`push_padded`] copies.
pub(crate) const BLOCK: usize = 64;

/// `,\n` and spaces, for indentations of up to [`BLOCK`] bytes.
const INDENT_BLOCK: [u8; 2 * BLOCK] = {
    let mut block = [b' '; 2 * BLOCK];
    block[0] = b',';
    block[1] = b'\n';
    block
};

/// Appends the first `len` bytes of `padded`. When they are at most [`BLOCK`] and `padded` has
/// that many, a block of that fixed length is copied and the output cut back: copied in place,
/// where a copy of a length known only at run time calls `memcpy`.
#[inline(always)]
pub(crate) fn push_padded(out: &mut Vec<u8>, padded: &[u8], len: usize) {
    match padded.first_chunk::<BLOCK>() {
        Some(block) if len <= BLOCK => {
            let at = out.len();
            out.extend_from_slice(block);
            out.truncate(at + len);
        }
        _ => out.extend_from_slice(&padded[..len]),
    }
}

/// JSON of categories written once for each set of texts and depth and copied after: the whole
/// of inferred categories (no raw text, no span: the profile's name, code and inference, shared
/// by many indicators), and the name and code members of the others. The texts are known by
/// address and length, which stay valid while the document is borrowed (one writer).
#[derive(Debug, Default)]
struct CategoryJson {
    /// Direct-mapped by the addresses of the name and the inference: the key and the JSON's
    /// range in `bytes`.
    slots: Vec<Option<(CategoryKey, usize, usize)>>,
    bytes: Vec<u8>,
}

/// The name's and the code's address and length, the inference's address and the depth.
type CategoryKey = ((usize, usize), Option<(usize, usize)>, usize, usize);

const CATEGORY_SLOTS: usize = 64;

/// Past this many bytes remembered, [`CategoryJson`] starts again: names that are not the
/// profile's (a slice of the source each) would each add their own.
const CATEGORY_BYTES: usize = 64 << 10;

impl CategoryJson {
    fn slot(key: &CategoryKey) -> usize {
        // The addresses mixed by a multiplication: their low bits alone follow the heap's
        // layout, and two categories used by turns could share a slot.
        let mixed = (key.0.0 ^ key.2.rotate_left(32)) as u64;
        (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % CATEGORY_SLOTS
    }

    fn get(&self, key: &CategoryKey) -> Option<&[u8]> {
        match self.slots.get(Self::slot(key)) {
            Some(Some((known, start, end))) if known == key => Some(&self.bytes[*start..*end]),
            _ => None,
        }
    }

    fn put(&mut self, key: CategoryKey, json: &[u8]) {
        if self.slots.is_empty() || self.bytes.len() > CATEGORY_BYTES {
            self.slots.clear();
            self.slots.resize(CATEGORY_SLOTS, None);
            self.bytes.clear();
        }
        let from = self.bytes.len();
        self.bytes.extend_from_slice(json);
        self.slots[Self::slot(&key)] = Some((key, from, self.bytes.len()));
    }
}

impl<'o, const PRETTY: bool> Writer<'o, PRETTY> {
    fn new(out: &'o mut Vec<u8>, level: usize) -> Self {
        let mut indent = b",\n".to_vec();
        if PRETTY {
            indent.resize(2 + 2 * level, b' ');
        }
        Self {
            out,
            indent,
            file: None,
            span_heads: Vec::new(),
            packing: None,
            inferred: CategoryJson::default(),
            category_heads: CategoryJson::default(),
        }
    }

    #[inline]
    fn begin(&mut self) -> Object {
        self.out.push(b'{');
        if PRETTY {
            self.indent.extend_from_slice(b"  ");
        }
        Object { empty: true }
    }

    /// Starts the member `key` (an identifier: nothing to escape).
    #[inline(always)]
    fn key(&mut self, object: &mut Object, key: Key) {
        if PRETTY {
            // The first member has no comma before it.
            let from = usize::from(object.empty);
            self.push_indent(from);
        } else if !object.empty {
            self.out.push(b',');
        }
        object.empty = false;
        self.out
            .extend_from_slice(if PRETTY { key.pretty } else { key.compact });
    }

    #[inline]
    fn end(&mut self, object: Object) {
        if PRETTY {
            self.indent.truncate(self.indent.len() - 2);
            if !object.empty {
                self.push_indent(1);
            }
        }
        self.out.push(b'}');
    }

    /// Writes an array of `items`, each with `each`.
    #[inline]
    fn array<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.out.push(b'[');
        if items.is_empty() {
            self.out.push(b']');
            return;
        }
        if PRETTY {
            self.indent.extend_from_slice(b"  ");
        }
        for (i, item) in items.iter().enumerate() {
            if PRETTY {
                let from = usize::from(i == 0);
                self.push_indent(from);
            } else if i > 0 {
                self.out.push(b',');
            }
            each(self, item);
        }
        if PRETTY {
            self.indent.truncate(self.indent.len() - 2);
            self.push_indent(1);
        }
        self.out.push(b']');
    }

    /// `,\n` and the indentation at the current depth, from `from` on (1 leaves the comma out).
    #[inline(always)]
    fn push_indent(&mut self, from: usize) {
        let len = self.indent.len() - from;
        if len <= BLOCK {
            push_padded(self.out, &INDENT_BLOCK[from..], len);
        } else {
            self.out.extend_from_slice(&self.indent[from..]);
        }
    }

    #[inline(always)]
    fn string<T: TextBytes + ?Sized>(&mut self, text: &T) {
        let text = text.text_bytes();
        self.out.push(b'"');
        match short_block(text) {
            Some(block) if !block_has_escaped(&block) => {
                push_block(self.out, &block, text.len());
            }
            _ => push_escaped(self.out, text),
        }
        self.out.push(b'"');
    }

    #[inline]
    fn number(&mut self, n: u32) {
        push_u32(self.out, n);
    }

    /// A string known to hold nothing JSON escapes (a kind's, comparator's or layout's name).
    #[inline]
    fn plain_string(&mut self, text: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
    }

    #[inline]
    fn boolean(&mut self, value: bool) {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn decimal(&mut self, value: &Decimal) {
        self.out.push(b'"');
        push_decimal(self.out, value);
        self.out.push(b'"');
    }

    fn document(&mut self, d: &Document) {
        let mut o = self.begin();
        self.key(&mut o, key!("source"));
        self.string(&d.source);
        self.key(&mut o, key!("encoding"));
        self.string(&d.encoding);
        self.key(&mut o, key!("layout"));
        self.plain_string(d.layout.name());
        for (key, text) in [
            (key!("title"), &d.title),
            (key!("department"), &d.department),
            (key!("amount_unit"), &d.amount_unit),
            (key!("header"), &d.header),
        ] {
            if let Some(text) = text {
                self.key(&mut o, key);
                self.text(text);
            }
        }
        if let Some(total) = &d.grand_total {
            self.key(&mut o, key!("grand_total"));
            self.amount_row(total);
        }
        self.key(&mut o, key!("units"));
        self.array(&d.units, Self::unit);
        if let Some(truncation) = &d.truncation {
            self.key(&mut o, key!("truncation"));
            self.truncation(truncation);
        }
        self.end(o);
    }

    fn truncation(&mut self, t: &Truncation) {
        let mut o = self.begin();
        self.key(&mut o, key!("starts_midway"));
        self.boolean(t.starts_midway);
        self.key(&mut o, key!("stops_early"));
        self.boolean(t.stops_early);
        self.key(&mut o, key!("note"));
        self.string(&t.note);
        self.key(&mut o, key!("span"));
        self.span(&t.span);
        self.end(o);
    }

    fn text(&mut self, t: &Text) {
        let mut o = self.begin();
        self.key(&mut o, key!("text"));
        self.string(&t.text);
        self.key(&mut o, key!("span"));
        self.span(&t.span);
        self.end(o);
    }

    fn span(&mut self, s: &Span) {
        if PRETTY && s.cell.is_none() {
            return self.plain_span(s);
        }
        if let Some(packing) = &mut self.packing
            && s.cell.is_none()
            && *s.file == *packing.source
        {
            let (line, start, end) = (i64::from(s.line), i64::from(s.start), i64::from(s.end));
            let step = line - packing.line;
            let from = if step == 0 {
                start - packing.end
            } else {
                start
            };
            let mut digits = itoa::Buffer::new();
            self.out.push(b'[');
            self.out.extend_from_slice(digits.format(step).as_bytes());
            self.out.push(b',');
            self.out.extend_from_slice(digits.format(from).as_bytes());
            self.out.push(b',');
            self.out
                .extend_from_slice(digits.format(end - start).as_bytes());
            self.out.push(b']');
            packing.line = line;
            packing.end = end;
            return;
        }
        let mut o = self.begin();
        self.key(&mut o, key!("file"));
        self.file(&s.file);
        self.key(&mut o, key!("line"));
        self.number(s.line);
        self.key(&mut o, key!("start"));
        self.number(s.start);
        self.key(&mut o, key!("end"));
        self.number(s.end);
        if let Some(cell) = &s.cell {
            self.key(&mut o, key!("cell"));
            self.cell(cell);
        }
        self.end(o);
    }

    /// A span without a cell, pretty: the most frequent object by far. Everything but its three
    /// numbers is the same for every span at one depth in one file, and is made once.
    fn plain_span(&mut self, s: &Span) {
        let depth = self.indent.len();
        let known = matches!(&self.file, Some((file, _)) if Arc::ptr_eq(file, &s.file) || **file == *s.file);
        if !known {
            self.span_heads.clear();
        }
        // By depth: `,\n` and two spaces a level. Pieces not made yet have no bytes.
        let head = depth / 2;
        if self.span_heads.get(head).is_none_or(|p| p.bytes.is_empty()) {
            let out = std::mem::take(self.out);
            let mut o = self.begin();
            self.key(&mut o, key!("file"));
            self.file(&s.file);
            self.key(&mut o, key!("line"));
            let line = self.out.len();
            // `,\n`, the members' indentation: the current one and two more spaces.
            self.out.extend_from_slice(&self.indent);
            self.out.extend_from_slice(b"\"start\": ");
            let start = self.out.len();
            self.out.extend_from_slice(&self.indent);
            self.out.extend_from_slice(b"\"end\": ");
            let end = self.out.len();
            self.indent.truncate(depth);
            self.out.extend_from_slice(&self.indent[1..]);
            self.out.push(b'}');
            let close = self.out.len();
            self.out.resize(close + BLOCK, b' ');
            let bytes = std::mem::replace(self.out, out);
            if self.span_heads.len() <= head {
                self.span_heads.resize_with(head + 1, SpanPieces::default);
            }
            self.span_heads[head] = SpanPieces {
                bytes,
                line,
                start,
                end,
                close,
            };
        }
        let pieces = &self.span_heads[head];
        let bytes = &pieces.bytes[..];
        self.out.extend_from_slice(&bytes[..pieces.line]);
        push_u32(self.out, s.line);
        push_padded(self.out, &bytes[pieces.line..], pieces.start - pieces.line);
        push_u32(self.out, s.start);
        push_padded(self.out, &bytes[pieces.start..], pieces.end - pieces.start);
        push_u32(self.out, s.end);
        push_padded(self.out, &bytes[pieces.end..], pieces.close - pieces.end);
    }

    /// A span's file, escaped once for all the spans that name it.
    fn file(&mut self, file: &Arc<str>) {
        if let Some((known, escaped)) = &self.file
            && (Arc::ptr_eq(known, file) || **known == **file)
        {
            self.out.extend_from_slice(escaped);
            return;
        }
        let mut escaped = Vec::with_capacity(file.len() + 2);
        escaped.push(b'"');
        push_escaped(&mut escaped, file.as_bytes());
        escaped.push(b'"');
        self.out.extend_from_slice(&escaped);
        self.file = Some((Arc::clone(file), escaped));
        self.span_heads.clear();
    }

    fn cell(&mut self, c: &CellRef) {
        let mut o = self.begin();
        if let Some(sheet) = &c.sheet {
            self.key(&mut o, key!("sheet"));
            self.string(sheet);
        }
        if let Some(page) = c.page {
            self.key(&mut o, key!("page"));
            self.number(page);
        }
        self.key(&mut o, key!("row"));
        self.number(c.row);
        self.key(&mut o, key!("col"));
        self.number(c.col);
        self.end(o);
    }

    fn amount_row(&mut self, r: &AmountRow) {
        let mut o = self.begin();
        self.key(&mut o, key!("label"));
        self.text(&r.label);
        self.key(&mut o, key!("amounts"));
        self.amounts(&r.amounts);
        self.key(&mut o, key!("span"));
        self.span(&r.span);
        self.end(o);
    }

    fn amounts(&mut self, a: &Amounts) {
        let mut o = self.begin();
        for (key, amount) in [
            (key!("total"), &a.total),
            (key!("fiscal"), &a.fiscal),
            (key!("special_account"), &a.special_account),
            (key!("other"), &a.other),
        ] {
            if let Some(amount) = amount {
                self.key(&mut o, key);
                self.amount(amount);
            }
        }
        self.end(o);
    }

    fn amount(&mut self, a: &Amount) {
        let mut o = self.begin();
        self.key(&mut o, key!("value"));
        self.decimal(&a.value);
        self.key(&mut o, key!("raw"));
        self.string(&a.raw);
        self.key(&mut o, key!("span"));
        self.span(&a.span);
        self.end(o);
    }

    fn unit(&mut self, u: &Unit) {
        let mut o = self.begin();
        self.key(&mut o, key!("name"));
        self.text(&u.name);
        self.key(&mut o, key!("amounts"));
        self.amounts(&u.amounts);
        if u.implicit {
            self.key(&mut o, key!("implicit"));
            self.boolean(true);
        }
        self.key(&mut o, key!("span"));
        self.span(&u.span);
        self.key(&mut o, key!("projects"));
        self.array(&u.projects, Self::project);
        self.end(o);
    }

    fn project(&mut self, p: &Project) {
        let mut o = self.begin();
        self.key(&mut o, key!("name"));
        self.text(&p.name);
        self.key(&mut o, key!("amounts"));
        self.amounts(&p.amounts);
        if let Some(goal) = &p.goal {
            self.key(&mut o, key!("goal"));
            self.text(goal);
        }
        if let Some(cell) = &p.indicator_cell {
            self.key(&mut o, key!("indicator_cell"));
            self.text(cell);
        }
        self.key(&mut o, key!("indicators"));
        self.array(&p.indicators, Self::indicator);
        self.key(&mut o, key!("span"));
        self.span(&p.span);
        if let Some(details) = &p.details {
            self.key(&mut o, key!("details"));
            self.project_details(details);
        }
        if let Some(evaluation) = &p.evaluation {
            self.key(&mut o, key!("evaluation"));
            self.evaluation(evaluation);
        }
        self.end(o);
    }

    fn project_details(&mut self, d: &ProjectDetails) {
        let mut o = self.begin();
        for (key, text) in [
            (key!("department"), &d.department),
            (key!("implementer"), &d.implementer),
            (key!("period"), &d.period),
            (key!("long_term_goal"), &d.long_term_goal),
            (key!("achieved_goal"), &d.achieved_goal),
        ] {
            if let Some(text) = text {
                self.key(&mut o, key);
                self.text(text);
            }
        }
        if !d.funding.is_empty() {
            self.key(&mut o, key!("funding"));
            self.array(&d.funding, Self::funding);
        }
        if !d.fields.is_empty() {
            self.key(&mut o, key!("fields"));
            self.array(&d.fields, Self::field);
        }
        self.end(o);
    }

    fn funding(&mut self, f: &Funding) {
        let mut o = self.begin();
        self.key(&mut o, key!("label"));
        self.text(&f.label);
        if let Some(column) = &f.column {
            self.key(&mut o, key!("column"));
            self.string(column);
        }
        self.key(&mut o, key!("amount"));
        self.amount(&f.amount);
        self.end(o);
    }

    fn field(&mut self, f: &Field) {
        let mut o = self.begin();
        self.key(&mut o, key!("label"));
        self.string(&f.label);
        self.key(&mut o, key!("value"));
        self.text(&f.value);
        self.end(o);
    }

    fn evaluation(&mut self, e: &Evaluation) {
        let mut o = self.begin();
        if !e.budget.is_empty() {
            self.key(&mut o, key!("budget"));
            self.array(&e.budget, Self::budget_line);
        }
        if let Some(score) = &e.total_score {
            self.key(&mut o, key!("total_score"));
            self.amount(score);
        }
        if let Some(grade) = &e.grade {
            self.key(&mut o, key!("grade"));
            self.text(grade);
        }
        if !e.remarks.is_empty() {
            self.key(&mut o, key!("remarks"));
            self.array(&e.remarks, Self::field);
        }
        self.end(o);
    }

    fn budget_line(&mut self, b: &BudgetLine) {
        let mut o = self.begin();
        self.key(&mut o, key!("label"));
        self.text(&b.label);
        for (key, amount) in [
            (key!("initial"), &b.initial),
            (key!("adjusted"), &b.adjusted),
            (key!("executed"), &b.executed),
            (key!("weight"), &b.weight),
        ] {
            if let Some(amount) = amount {
                self.key(&mut o, key);
                self.amount(amount);
            }
        }
        if let Some(rate) = &b.rate {
            self.key(&mut o, key!("rate"));
            self.text(rate);
        }
        if let Some(score) = &b.score {
            self.key(&mut o, key!("score"));
            self.amount(score);
        }
        self.end(o);
    }

    fn indicator(&mut self, i: &Indicator) {
        let mut o = self.begin();
        self.key(&mut o, key!("seq"));
        self.number(i.seq);
        if let Some(level1) = &i.level1 {
            self.key(&mut o, key!("level1"));
            self.category(level1);
        }
        if let Some(level2) = &i.level2 {
            self.key(&mut o, key!("level2"));
            self.category(level2);
        }
        self.key(&mut o, key!("name"));
        self.text(&i.name);
        if let Some(annual) = &i.annual {
            self.key(&mut o, key!("annual"));
            self.value(annual);
        }
        if let Some(period) = &i.period {
            self.key(&mut o, key!("period"));
            self.value(period);
        }
        self.key(&mut o, key!("raw"));
        self.string(&i.raw);
        self.key(&mut o, key!("span"));
        self.span(&i.span);
        if let Some(details) = &i.details {
            self.key(&mut o, key!("details"));
            self.indicator_details(details);
        }
        self.end(o);
    }

    fn indicator_details(&mut self, d: &IndicatorDetails) {
        let mut o = self.begin();
        if let Some(nature) = &d.nature {
            self.key(&mut o, key!("nature"));
            self.text(nature);
        }
        if let Some(unit) = &d.measure_unit {
            self.key(&mut o, key!("measure_unit"));
            self.text(unit);
        }
        if let Some(weight) = &d.weight {
            self.key(&mut o, key!("weight"));
            self.amount(weight);
        }
        if let Some(direction) = &d.direction {
            self.key(&mut o, key!("direction"));
            self.text(direction);
        }
        if let Some(standard) = &d.standard {
            self.key(&mut o, key!("standard"));
            self.text(standard);
        }
        if let Some(actual) = &d.actual {
            self.key(&mut o, key!("actual"));
            self.value(actual);
        }
        if let Some(score) = &d.score {
            self.key(&mut o, key!("score"));
            self.amount(score);
        }
        if let Some(deviation) = &d.deviation {
            self.key(&mut o, key!("deviation"));
            self.text(deviation);
        }
        if !d.fields.is_empty() {
            self.key(&mut o, key!("fields"));
            self.array(&d.fields, Self::field);
        }
        self.end(o);
    }

    fn category(&mut self, c: &Category) {
        if !(c.raw.is_empty() && c.span.is_none()) {
            return self.category_members(c);
        }
        let key = self.category_key(c);
        if let Some(bytes) = self.inferred.get(&key) {
            self.out.extend_from_slice(bytes);
            return;
        }
        let start = self.out.len();
        self.category_members(c);
        self.inferred.put(key, &self.out[start..]);
    }

    /// What a category's remembered JSON is known by: the addresses and lengths of its name and
    /// code, the address of its inference and the depth.
    fn category_key(&self, c: &Category) -> CategoryKey {
        let at = |text: &str| (text.as_ptr() as usize, text.len());
        let inference = c.inferred.as_ref().map_or(0, |i| Arc::as_ptr(i) as usize);
        (
            at(&c.name),
            c.code.as_deref().map(at),
            inference,
            self.indent.len(),
        )
    }

    fn category_members(&mut self, c: &Category) {
        let mut o = self.begin();
        // The name and the code, nearly always the profile's: remembered as a category's first
        // members at this depth.
        let key = self.category_key(c);
        if let Some(bytes) = self.category_heads.get(&key) {
            self.out.extend_from_slice(bytes);
            o.empty = false;
        } else {
            let start = self.out.len();
            self.key(&mut o, key!("name"));
            self.string(&c.name);
            if let Some(code) = &c.code {
                self.key(&mut o, key!("code"));
                self.string(code);
            }
            self.category_heads.put(key, &self.out[start..]);
        }
        if !c.raw.is_empty() {
            self.key(&mut o, key!("raw"));
            self.string(&c.raw);
        }
        if let Some(inference) = &c.inferred {
            self.key(&mut o, key!("inferred"));
            let mut inner = self.begin();
            self.key(&mut inner, key!("rule"));
            self.string(&inference.rule);
            self.key(&mut inner, key!("reason"));
            self.string(&inference.reason);
            self.end(inner);
        }
        if let Some(span) = &c.span {
            self.key(&mut o, key!("span"));
            self.span(span);
        }
        self.end(o);
    }

    fn value(&mut self, v: &Value) {
        let mut o = self.begin();
        self.key(&mut o, key!("raw"));
        self.string(&v.raw);
        self.key(&mut o, key!("span"));
        self.span(&v.span);
        self.key(&mut o, key!("kind"));
        self.value_kind(&v.kind);
        self.end(o);
    }

    /// A `ValueKind`, internally tagged: `{"kind": "quantitative", …the variant's fields}`.
    fn value_kind(&mut self, kind: &ValueKind) {
        let mut o = self.begin();
        self.key(&mut o, key!("kind"));
        match kind {
            ValueKind::Quantitative(q) => {
                self.out.extend_from_slice(b"\"quantitative\"");
                self.quantity(&mut o, q);
            }
            ValueKind::Deadline(d) => {
                self.out.extend_from_slice(b"\"deadline\"");
                self.deadline(&mut o, d);
            }
            ValueKind::Qualitative => self.out.extend_from_slice(b"\"qualitative\""),
            ValueKind::Compound { parts } => {
                self.out.extend_from_slice(b"\"compound\"");
                self.key(&mut o, key!("parts"));
                self.array(parts, Self::value_part);
            }
            ValueKind::Reference { reference } => {
                self.out.extend_from_slice(b"\"reference\"");
                self.key(&mut o, key!("reference"));
                self.string(reference);
            }
            ValueKind::Empty => self.out.extend_from_slice(b"\"empty\""),
        }
        self.end(o);
    }

    fn quantity(&mut self, o: &mut Object, q: &Quantity) {
        self.key(o, key!("comparator"));
        match q.comparator {
            Some(comparator) => self.plain_string(comparator_name(comparator)),
            None => self.out.extend_from_slice(b"null"),
        }
        if !q.comparator_raw.is_empty() {
            self.key(o, key!("comparator_raw"));
            self.string(&q.comparator_raw);
        }
        self.key(o, key!("number"));
        self.decimal(&q.number);
        if !q.subject.is_empty() {
            self.key(o, key!("subject"));
            self.string(&q.subject);
        }
        if let Some(unit) = &q.unit {
            self.key(o, key!("unit"));
            self.string(unit);
        }
        if let Some(scale) = q.scale {
            self.key(o, key!("scale"));
            self.plain_string(scale.word());
        }
        if !q.trailing.is_empty() {
            self.key(o, key!("trailing"));
            self.string(&q.trailing);
        }
    }

    fn deadline(&mut self, o: &mut Object, d: &Deadline) {
        if let Some(month) = d.month {
            self.key(o, key!("month"));
            self.number(u32::from(month));
        }
        if let Some(day) = d.day {
            self.key(o, key!("day"));
            self.number(u32::from(day));
        }
        if d.recurring {
            self.key(o, key!("recurring"));
            self.boolean(true);
        }
        if !d.occasions.is_empty() {
            self.key(o, key!("occasions"));
            self.array(&d.occasions, |w, occasion| w.string(occasion));
        }
    }

    fn value_part(&mut self, p: &ValuePart) {
        let mut o = self.begin();
        self.key(&mut o, key!("raw"));
        self.string(&p.raw);
        self.key(&mut o, key!("start"));
        self.number(p.start);
        self.key(&mut o, key!("end"));
        self.number(p.end);
        self.key(&mut o, key!("kind"));
        self.value_kind(&p.kind);
        self.end(o);
    }
}

/// The name `serde` gives a comparator (`rename_all = "snake_case"`).
fn comparator_name(comparator: jixiao_model::Comparator) -> &'static str {
    use jixiao_model::Comparator;
    match comparator {
        Comparator::Ge => "ge",
        Comparator::Le => "le",
        Comparator::Gt => "gt",
        Comparator::Lt => "lt",
        Comparator::Eq => "eq",
        Comparator::Approx => "approx",
    }
}

/// The bytes of a text the JSON writer copies: a [`Str`](jixiao_model::Str)'s without
/// `as_str`'s check of its character boundaries (made when it was built).
trait TextBytes {
    fn text_bytes(&self) -> &[u8];
}

impl TextBytes for str {
    #[inline(always)]
    fn text_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl TextBytes for String {
    #[inline(always)]
    fn text_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl TextBytes for jixiao_model::Str {
    #[inline(always)]
    fn text_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_itoa_writes_them() {
        let mut samples: Vec<u32> = (0..=100_100).collect();
        samples.extend([999_999, 1_000_000, 4_294_967_295, 123_456_789]);
        for n in samples {
            let mut out = Vec::new();
            push_u32(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    #[test]
    fn short_strings_are_written_as_long_ones() {
        let plain = "甲a1%≥ .-\u{80}\u{FF0C}";
        for len in 0..=20 {
            let base: Vec<u8> = plain.bytes().cycle().take(len).collect();
            for at in 0..len {
                for byte in [b'"', b'\\', b'\n', 0, 0x1F, b'A', b'z', 0x7F, 0xE4] {
                    let mut text = base.clone();
                    text[at] = byte;
                    let Ok(text) = String::from_utf8(text) else {
                        continue;
                    };
                    let mut out = Vec::new();
                    Writer::<true>::new(&mut out, 0).string(&text);
                    let mut long = vec![b'"'];
                    push_escaped(&mut long, text.as_bytes());
                    long.push(b'"');
                    assert_eq!(out, long, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn decimals_are_written_as_serde_writes_them() {
        let mut values = vec![
            Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::new(-0, 2),
            Decimal::new(3_413_995, 2),
            Decimal::new(-15, 1),
            Decimal::new(5, 4),
            Decimal::new(-5, 4),
            Decimal::new(100, 0),
            Decimal::new(12, 2),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
        ];
        let mut negative_zero = Decimal::new(0, 3);
        negative_zero.set_sign_negative(true);
        values.push(negative_zero);
        for value in values {
            let mut out = Vec::new();
            push_decimal(&mut out, &value);
            let serde = serde_json::to_string(&value).expect("serializes");
            assert_eq!(format!("\"{}\"", String::from_utf8_lossy(&out)), serde);
        }
    }
}
