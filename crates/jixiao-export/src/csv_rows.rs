//! The indicator CSV that `jixiao parse --format csv` writes and the readers read back: one row
//! per indicator, money as exact decimals, empty cells empty (not 0).

use std::borrow::Cow;

use jixiao_model::{AmountColumn, Document, Indicator, Project, Unit, ValueKind, value_kind_name};

use crate::json::{BLOCK, block_words, push_block, push_padded, push_u32, short_block};

/// The whole CSV of `documents` with its header row, optionally behind a UTF-8 BOM (for Excel).
pub fn indicator_csv(documents: &[Document], bom: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut writer = IndicatorCsvWriter::new(out);
    writer.write_documents(documents)?;
    Ok(writer.into_inner()?)
}

/// Writes one CSV row per indicator (the columns of [`jixiao_parse::INDICATOR_CSV_COLUMNS`])
/// through a `csv::Writer`; [`IndicatorCsvWriter`] writes the same bytes several times faster.
pub fn write_indicator_csv_rows<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    documents: &[Document],
) -> Result<(), csv::Error> {
    for document in documents {
        for unit in &document.units {
            for project in &unit.projects {
                // A project's amounts are the same on each of its rows: formatted once.
                let amounts = project_amounts(project);
                for indicator in &project.indicators {
                    let fields = record(document, unit, project, &amounts, indicator);
                    writer.write_record(fields.iter().map(|f| f.as_bytes()))?;
                }
            }
        }
    }
    Ok(())
}

/// One indicator's CSV row.
pub fn indicator_csv_record(
    document: &Document,
    unit: &Unit,
    project: &Project,
    indicator: &Indicator,
) -> [String; 22] {
    record(
        document,
        unit,
        project,
        &project_amounts(project),
        indicator,
    )
    .map(Cow::into_owned)
}

/// The project's total, fiscal, special-account and other amounts as CSV cells.
fn project_amounts(project: &Project) -> [String; 4] {
    AmountColumn::ALL.map(|column| {
        project
            .amounts
            .get(column)
            .map(|a| a.value.to_string())
            .unwrap_or_default()
    })
}

/// One indicator's CSV row, its texts borrowed from the model (a row is written per indicator:
/// 22 new strings each was most of the CSV output's cost).
fn record<'a>(
    document: &'a Document,
    unit: &'a Unit,
    project: &'a Project,
    amounts: &'a [String; 4],
    indicator: &'a Indicator,
) -> [Cow<'a, str>; 22] {
    let category_name =
        |c: &'a Option<jixiao_model::Category>| c.as_ref().map_or("", |c| c.name.as_str());
    let category_code = |c: &'a Option<jixiao_model::Category>| {
        c.as_ref()
            .and_then(|c| c.code.as_ref())
            .map_or("", |c| c.as_str())
    };
    let quantity = indicator.annual.as_ref().and_then(|v| match &v.kind {
        ValueKind::Quantitative(q) => Some(q),
        _ => None,
    });
    let [total, fiscal, special_account, other] = amounts;
    [
        Cow::Borrowed(document.source.as_str()),
        Cow::Borrowed(document.department.as_ref().map_or("", |d| d.text.as_str())),
        Cow::Borrowed(unit.name.text.as_str()),
        Cow::Borrowed(project.name.text.as_str()),
        Cow::Owned(project.span.line.to_string()),
        Cow::Owned(indicator.seq.to_string()),
        Cow::Borrowed(category_name(&indicator.level1)),
        Cow::Borrowed(category_code(&indicator.level1)),
        Cow::Borrowed(category_name(&indicator.level2)),
        Cow::Borrowed(category_code(&indicator.level2)),
        Cow::Borrowed(indicator.level2.as_ref().map_or("", |c| {
            if c.inferred.is_some() {
                "true"
            } else {
                "false"
            }
        })),
        Cow::Borrowed(indicator.name.text.as_str()),
        Cow::Borrowed(indicator.annual.as_ref().map_or("", |v| v.raw.as_str())),
        Cow::Borrowed(
            indicator
                .annual
                .as_ref()
                .map_or("", |v| value_kind_name(&v.kind)),
        ),
        Cow::Borrowed(
            quantity
                .and_then(|q| q.comparator)
                .map_or("", |c| c.symbol()),
        ),
        quantity.map_or(Cow::Borrowed(""), |q| Cow::Owned(q.number.to_string())),
        Cow::Borrowed(
            quantity
                .and_then(|q| q.unit.as_ref())
                .map_or("", |u| u.as_str()),
        ),
        Cow::Borrowed(indicator.period.as_ref().map_or("", |v| v.raw.as_str())),
        Cow::Borrowed(total.as_str()),
        Cow::Borrowed(fiscal.as_str()),
        Cow::Borrowed(special_account.as_str()),
        Cow::Borrowed(other.as_str()),
    ]
}

/// Writes the indicator CSV a row per indicator straight into a buffer, byte for byte as
/// `csv::Writer` with its defaults writes it (a field is quoted when it holds `,` `"` `\r` or
/// `\n`, a quote doubled inside; rows end in `\n`). A project's leading and trailing cells are
/// the same on each of its rows: they are escaped once and copied.
// csv_core's field and delimiter writing was the largest single cost of `parse --format csv`
// on a department list (16 % of its profile), most of it on those repeated cells.
#[derive(Debug)]
pub struct IndicatorCsvWriter<W: std::io::Write> {
    out: W,
    buf: Vec<u8>,
}

/// Bytes gathered before they go to the writer.
const CSV_BUFFER: usize = 64 << 10;

impl<W: std::io::Write> IndicatorCsvWriter<W> {
    /// A writer that has written the header row to `out`.
    pub fn new(out: W) -> Self {
        let mut buf = Vec::with_capacity(CSV_BUFFER + 4096);
        push_indicator_csv_header(&mut buf);
        Self { out, buf }
    }

    /// Writes a row for each indicator of `documents`.
    pub fn write_documents(&mut self, documents: &[Document]) -> std::io::Result<()> {
        for document in documents {
            push_indicator_csv_rows(&mut self.buf, std::slice::from_ref(document));
            if self.buf.len() >= CSV_BUFFER {
                self.out.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    /// Writes what is buffered and flushes the writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }

    /// The writer, everything written and flushed.
    pub fn into_inner(mut self) -> std::io::Result<W> {
        self.flush()?;
        Ok(self.out)
    }
}

/// Appends the header row of the indicator CSV to `buf`.
pub fn push_indicator_csv_header(buf: &mut Vec<u8>) {
    for (i, column) in jixiao_parse::INDICATOR_CSV_COLUMNS.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_field(buf, column.as_bytes());
    }
    buf.push(b'\n');
}

/// Appends a row for each indicator of `documents` to `buf`, as [`IndicatorCsvWriter`] writes
/// them.
pub fn push_indicator_csv_rows(buf: &mut Vec<u8>, documents: &[Document]) {
    // Made with room for what a department list's rows need: grown from nothing, they were
    // reallocated about 25 times for each document (a call a department).
    let mut head = Vec::with_capacity(512);
    let mut tail = Vec::with_capacity(256);
    let mut categories = CategoryCells {
        slots: Vec::new(),
        bytes: Vec::with_capacity(4096),
    };
    for document in documents {
        for unit in &document.units {
            for project in &unit.projects {
                if project.indicators.is_empty() {
                    continue;
                }
                head.clear();
                push_field(&mut head, document.source.as_bytes());
                head.push(b',');
                push_field(
                    &mut head,
                    document
                        .department
                        .as_ref()
                        .map_or(b"", |d| d.text.as_bytes()),
                );
                head.push(b',');
                push_field(&mut head, unit.name.text.as_bytes());
                head.push(b',');
                push_field(&mut head, project.name.text.as_bytes());
                head.push(b',');
                push_u32(&mut head, project.span.line);
                head.push(b',');
                tail.clear();
                for column in AmountColumn::ALL {
                    tail.push(b',');
                    if let Some(amount) = project.amounts.get(column) {
                        crate::push_decimal(&mut tail, &amount.value);
                    }
                }
                tail.push(b'\n');
                let tail_len = tail.len();
                tail.resize(tail_len + BLOCK, b' ');
                for indicator in &project.indicators {
                    buf.extend_from_slice(&head);
                    indicator_cells(buf, indicator, &mut categories);
                    push_padded(buf, &tail, tail_len);
                }
            }
        }
    }
}

/// The category cells of rows (`level1` to `level2_inferred`, each with its delimiter), escaped
/// once for each set of texts and copied for the rows after. The texts are the profile's
/// names and codes, shared by many rows; they are known by their addresses, which stay valid
/// while the documents are borrowed (one call of [`push_indicator_csv_rows`]).
#[derive(Default)]
struct CategoryCells {
    /// Direct-mapped by the address of the level-2 name (else the level-1 name): the key and
    /// the cells' range in `bytes`.
    slots: Vec<Option<(CategoryKey, usize, usize)>>,
    bytes: Vec<u8>,
}

/// The address and length of each of the four texts, and the `level2_inferred` cell.
type CategoryKey = ([(usize, usize); 4], u8);

const CATEGORY_SLOTS: usize = 64;

impl CategoryCells {
    /// Appends the category cells of `indicator` to `buf`.
    fn push(&mut self, buf: &mut Vec<u8>, indicator: &Indicator) {
        fn category(c: &Option<jixiao_model::Category>) -> (&[u8], &[u8]) {
            c.as_ref().map_or((b"", b""), |c| {
                (
                    c.name.as_bytes(),
                    c.code.as_ref().map_or(b"", |c| c.as_bytes()),
                )
            })
        }
        let at = |text: &[u8]| (text.as_ptr() as usize, text.len());
        let (level1, level1_code) = category(&indicator.level1);
        let (level2, level2_code) = category(&indicator.level2);
        let inferred = match &indicator.level2 {
            None => 0,
            Some(c) if c.inferred.is_some() => 1,
            Some(_) => 2,
        };
        let key = (
            [at(level1), at(level1_code), at(level2), at(level2_code)],
            inferred,
        );
        let by = if level2.is_empty() { level1 } else { level2 };
        let slot = (by.as_ptr() as usize >> 3) % CATEGORY_SLOTS;
        if self.slots.is_empty() {
            self.slots.resize(CATEGORY_SLOTS, None);
        }
        if let Some((known, start, end)) = &self.slots[slot]
            && *known == key
        {
            push_padded(buf, &self.bytes[*start..], end - start);
            return;
        }
        let start = buf.len();
        for cell in [level1, level1_code, level2, level2_code] {
            push_field(buf, cell);
            buf.push(b',');
        }
        buf.extend_from_slice(match inferred {
            0 => b",",
            1 => b"true,",
            _ => b"false,",
        });
        let cells = &buf[start..];
        let from = self.bytes.len();
        self.bytes.extend_from_slice(cells);
        let to = self.bytes.len();
        // Padding, for the copy as a block of fixed length.
        self.bytes.resize(to + BLOCK, b' ');
        self.slots[slot] = Some((key, from, to));
    }
}

/// The cells from `seq` to `period_raw`, without a delimiter after the last.
fn indicator_cells(buf: &mut Vec<u8>, indicator: &Indicator, categories: &mut CategoryCells) {
    let quantity = indicator.annual.as_ref().and_then(|v| match &v.kind {
        ValueKind::Quantitative(q) => Some(q),
        _ => None,
    });
    push_u32(buf, indicator.seq);
    buf.push(b',');
    categories.push(buf, indicator);
    push_field(buf, indicator.name.text.as_bytes());
    buf.push(b',');
    push_field(
        buf,
        indicator.annual.as_ref().map_or(b"", |v| v.raw.as_bytes()),
    );
    buf.push(b',');
    // The kind's name and the comparator's symbol hold nothing to quote.
    buf.extend_from_slice(
        indicator
            .annual
            .as_ref()
            .map_or("", |v| value_kind_name(&v.kind))
            .as_bytes(),
    );
    buf.push(b',');
    buf.extend_from_slice(
        quantity
            .and_then(|q| q.comparator)
            .map_or("", |c| c.symbol())
            .as_bytes(),
    );
    buf.push(b',');
    if let Some(q) = quantity {
        // A decimal has nothing to quote; written without a string of its own.
        crate::push_decimal(buf, &q.number);
    }
    buf.push(b',');
    push_field(
        buf,
        quantity
            .and_then(|q| q.unit.as_ref())
            .map_or(b"", |u| u.as_bytes()),
    );
    buf.push(b',');
    push_field(
        buf,
        indicator.period.as_ref().map_or(b"", |v| v.raw.as_bytes()),
    );
}

/// `field` as a CSV cell: as it is, or in quotes with its quotes doubled when it holds a
/// delimiter, a quote or a line break.
// Inlined at its few call sites (four a row): a call of its own cost the frame and the register
// saves of the capacity checks, for texts that are mostly short.
#[inline(always)]
fn push_field(buf: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    if let Some(block) = short_block(bytes) {
        let (low, high) = block_words(&block);
        if !has_special(low) && !has_special(high) {
            push_block(buf, &block, bytes.len());
            return;
        }
    }
    if !needs_quotes(bytes) {
        buf.extend_from_slice(bytes);
        return;
    }
    buf.push(b'"');
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(b'"', rest) {
        buf.extend_from_slice(&rest[..=at]);
        buf.push(b'"');
        rest = &rest[at + 1..];
    }
    buf.extend_from_slice(rest);
    buf.push(b'"');
}

/// Whether `bytes` hold `,` `"` `\r` or `\n`, decided eight bytes at a time: most cells are a
/// few dozen bytes, too short for the vectorised loop over every byte, whose scalar tail took
/// about five instructions a byte.
#[inline]
fn needs_quotes(bytes: &[u8]) -> bool {
    match bytes.len() {
        0 => false,
        1..8 => has_special(jixiao_model::json::short_word(bytes)),
        n => {
            // Word by word, stopping at the first found: vectorised, the loop's set-up cost more
            // than a cell of a few dozen bytes.
            let mut chunks = bytes.chunks_exact(8);
            chunks
                .by_ref()
                .any(|chunk| has_special(u64::from_le_bytes(word_of(chunk))))
                // The last eight bytes, overlapping the last whole chunk.
                || (!chunks.remainder().is_empty()
                    && has_special(u64::from_le_bytes(word_of(&bytes[n - 8..]))))
        }
    }
}

/// The first eight bytes of `chunk` (which has at least eight).
#[inline]
fn word_of(chunk: &[u8]) -> [u8; 8] {
    [
        chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
    ]
}

/// Whether a byte of `word` is `,` `"` `\r` or `\n`: a byte equal to `b` is a zero byte of
/// `word ^ (b * ONES)`, and `(x - ONES) & !x & HIGH` is non-zero exactly when `x` has a zero
/// byte.
#[inline]
fn has_special(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // All four are below `-`, and most words have no byte below it (CJK text, digits): then
    // `(word - 0x2D × ONES) & !word & HIGH` is zero.
    if word.wrapping_sub(ONES * 0x2D) & !word & HIGH == 0 {
        return false;
    }
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    let any = zero_in(word ^ (ONES * u64::from(b',')))
        | zero_in(word ^ (ONES * u64::from(b'"')))
        | zero_in(word ^ (ONES * u64::from(b'\n')))
        | zero_in(word ^ (ONES * u64::from(b'\r')));
    any & HIGH != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_fields_are_written_as_csv_writes_them() {
        let plain = "甲a1%≥ .-\t\u{80}\u{FF0C}";
        for len in 0..=20 {
            let base: Vec<u8> = plain.bytes().cycle().take(len).collect();
            for at in 0..len {
                for byte in [b',', b'"', b'\n', b'\r', b'A', 0, 0xE4] {
                    let mut text = base.clone();
                    text[at] = byte;
                    let Ok(text) = String::from_utf8(text) else {
                        continue;
                    };
                    let mut out = Vec::new();
                    push_field(&mut out, text.as_bytes());
                    let mut writer = csv::Writer::from_writer(Vec::new());
                    writer.write_record([&text]).expect("writes");
                    let mut expected = writer.into_inner().expect("flushes");
                    expected.pop();
                    if text.is_empty() {
                        expected.clear();
                    }
                    assert_eq!(out, expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn quotes_are_needed_exactly_when_a_byte_is_special() {
        let specials = [b',', b'"', b'\n', b'\r'];
        let plain = "甲a1%≥ .-\t\u{80}\u{FF0C}";
        for len in 0..=20 {
            for at in 0..len {
                for &special in &specials {
                    let mut text: Vec<u8> = plain.bytes().cycle().take(len).collect();
                    assert!(!needs_quotes(&text), "{text:?}");
                    text[at] = special;
                    assert!(needs_quotes(&text), "{text:?}");
                    let expected = text.iter().any(|b| specials.contains(b));
                    assert_eq!(needs_quotes(&text), expected);
                }
            }
        }
        for byte in 0..=255u8 {
            for len in 1..=17 {
                let text = vec![byte; len];
                assert_eq!(
                    needs_quotes(&text),
                    specials.contains(&byte),
                    "{byte} × {len}"
                );
            }
        }
    }
}
