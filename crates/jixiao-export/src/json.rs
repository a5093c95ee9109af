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

/// Where [`push_document_json_packed`] is: the spans it writes short are steps from the last one.
struct Packing {
    source: Box<str>,
    line: i64,
    end: i64,
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
    /// For each depth a span was written at, what comes before its line number: the opening
    /// brace, the file member and the line key (pretty only; cleared when the file changes).
    span_heads: Vec<(usize, Vec<u8>)>,
    /// Set by [`push_document_json_packed`] only.
    packing: Option<Packing>,
    /// Inferred categories written so far (see [`Writer::category`]).
    inferred: InferredCategories,
}

/// The JSON of inferred categories (no raw text, no span: the profile's name, code and
/// inference, shared by many indicators), written once for each set of texts and depth and
/// copied after. The texts are known by address and length, which stay valid while the
/// document is borrowed (one writer).
#[derive(Debug, Default)]
struct InferredCategories {
    /// Direct-mapped by the addresses of the name and the inference: the key and the JSON's
    /// range in `bytes`.
    slots: Vec<Option<(InferredKey, usize, usize)>>,
    bytes: Vec<u8>,
}

/// The name's and the code's address and length, the inference's address and the depth.
type InferredKey = ((usize, usize), Option<(usize, usize)>, usize, usize);

const INFERRED_SLOTS: usize = 64;

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
            inferred: InferredCategories::default(),
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
    #[inline]
    fn key(&mut self, object: &mut Object, key: &str) {
        if PRETTY {
            // The first member has no comma before it.
            let from = usize::from(object.empty);
            self.out.extend_from_slice(&self.indent[from..]);
        } else if !object.empty {
            self.out.push(b',');
        }
        object.empty = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out
            .extend_from_slice(if PRETTY { b"\": " } else { b"\":" });
    }

    #[inline]
    fn end(&mut self, object: Object) {
        if PRETTY {
            self.indent.truncate(self.indent.len() - 2);
            if !object.empty {
                self.out.extend_from_slice(&self.indent[1..]);
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
                self.out.extend_from_slice(&self.indent[from..]);
            } else if i > 0 {
                self.out.push(b',');
            }
            each(self, item);
        }
        if PRETTY {
            self.indent.truncate(self.indent.len() - 2);
            self.out.extend_from_slice(&self.indent[1..]);
        }
        self.out.push(b']');
    }

    #[inline]
    fn string(&mut self, text: &str) {
        self.out.push(b'"');
        push_escaped(self.out, text.as_bytes());
        self.out.push(b'"');
    }

    #[inline]
    fn number(&mut self, n: u32) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
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
        self.key(&mut o, "source");
        self.string(&d.source);
        self.key(&mut o, "encoding");
        self.string(&d.encoding);
        self.key(&mut o, "layout");
        self.string(d.layout.name());
        for (key, text) in [
            ("title", &d.title),
            ("department", &d.department),
            ("amount_unit", &d.amount_unit),
            ("header", &d.header),
        ] {
            if let Some(text) = text {
                self.key(&mut o, key);
                self.text(text);
            }
        }
        if let Some(total) = &d.grand_total {
            self.key(&mut o, "grand_total");
            self.amount_row(total);
        }
        self.key(&mut o, "units");
        self.array(&d.units, Self::unit);
        if let Some(truncation) = &d.truncation {
            self.key(&mut o, "truncation");
            self.truncation(truncation);
        }
        self.end(o);
    }

    fn truncation(&mut self, t: &Truncation) {
        let mut o = self.begin();
        self.key(&mut o, "starts_midway");
        self.boolean(t.starts_midway);
        self.key(&mut o, "stops_early");
        self.boolean(t.stops_early);
        self.key(&mut o, "note");
        self.string(&t.note);
        self.key(&mut o, "span");
        self.span(&t.span);
        self.end(o);
    }

    fn text(&mut self, t: &Text) {
        let mut o = self.begin();
        self.key(&mut o, "text");
        self.string(&t.text);
        self.key(&mut o, "span");
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
        self.key(&mut o, "file");
        self.file(&s.file);
        self.key(&mut o, "line");
        self.number(s.line);
        self.key(&mut o, "start");
        self.number(s.start);
        self.key(&mut o, "end");
        self.number(s.end);
        if let Some(cell) = &s.cell {
            self.key(&mut o, "cell");
            self.cell(cell);
        }
        self.end(o);
    }

    /// A span without a cell, pretty: the most frequent object by far. What comes before its
    /// line number is the same for every span at one depth in one file, and is made once.
    fn plain_span(&mut self, s: &Span) {
        let depth = self.indent.len();
        let known = matches!(&self.file, Some((file, _)) if Arc::ptr_eq(file, &s.file) || **file == *s.file);
        if !known {
            self.span_heads.clear();
        }
        let head = match self.span_heads.iter().position(|(d, _)| *d == depth) {
            Some(i) => i,
            None => {
                let out = std::mem::take(self.out);
                let mut head = Vec::new();
                *self.out = head;
                let mut o = self.begin();
                self.key(&mut o, "file");
                self.file(&s.file);
                self.key(&mut o, "line");
                head = std::mem::replace(self.out, out);
                self.indent.truncate(depth);
                self.span_heads.push((depth, head));
                self.span_heads.len() - 1
            }
        };
        self.out.extend_from_slice(&self.span_heads[head].1);
        self.number(s.line);
        // `,\n`, the members' indentation: the current one and two more spaces.
        self.out.extend_from_slice(&self.indent);
        self.out.extend_from_slice(b"  \"start\": ");
        self.number(s.start);
        self.out.extend_from_slice(&self.indent);
        self.out.extend_from_slice(b"  \"end\": ");
        self.number(s.end);
        self.out.extend_from_slice(&self.indent[1..]);
        self.out.push(b'}');
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
            self.key(&mut o, "sheet");
            self.string(sheet);
        }
        if let Some(page) = c.page {
            self.key(&mut o, "page");
            self.number(page);
        }
        self.key(&mut o, "row");
        self.number(c.row);
        self.key(&mut o, "col");
        self.number(c.col);
        self.end(o);
    }

    fn amount_row(&mut self, r: &AmountRow) {
        let mut o = self.begin();
        self.key(&mut o, "label");
        self.text(&r.label);
        self.key(&mut o, "amounts");
        self.amounts(&r.amounts);
        self.key(&mut o, "span");
        self.span(&r.span);
        self.end(o);
    }

    fn amounts(&mut self, a: &Amounts) {
        let mut o = self.begin();
        for (key, amount) in [
            ("total", &a.total),
            ("fiscal", &a.fiscal),
            ("special_account", &a.special_account),
            ("other", &a.other),
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
        self.key(&mut o, "value");
        self.decimal(&a.value);
        self.key(&mut o, "raw");
        self.string(&a.raw);
        self.key(&mut o, "span");
        self.span(&a.span);
        self.end(o);
    }

    fn unit(&mut self, u: &Unit) {
        let mut o = self.begin();
        self.key(&mut o, "name");
        self.text(&u.name);
        self.key(&mut o, "amounts");
        self.amounts(&u.amounts);
        if u.implicit {
            self.key(&mut o, "implicit");
            self.boolean(true);
        }
        self.key(&mut o, "span");
        self.span(&u.span);
        self.key(&mut o, "projects");
        self.array(&u.projects, Self::project);
        self.end(o);
    }

    fn project(&mut self, p: &Project) {
        let mut o = self.begin();
        self.key(&mut o, "name");
        self.text(&p.name);
        self.key(&mut o, "amounts");
        self.amounts(&p.amounts);
        if let Some(goal) = &p.goal {
            self.key(&mut o, "goal");
            self.text(goal);
        }
        if let Some(cell) = &p.indicator_cell {
            self.key(&mut o, "indicator_cell");
            self.text(cell);
        }
        self.key(&mut o, "indicators");
        self.array(&p.indicators, Self::indicator);
        self.key(&mut o, "span");
        self.span(&p.span);
        if let Some(details) = &p.details {
            self.key(&mut o, "details");
            self.project_details(details);
        }
        if let Some(evaluation) = &p.evaluation {
            self.key(&mut o, "evaluation");
            self.evaluation(evaluation);
        }
        self.end(o);
    }

    fn project_details(&mut self, d: &ProjectDetails) {
        let mut o = self.begin();
        for (key, text) in [
            ("department", &d.department),
            ("implementer", &d.implementer),
            ("period", &d.period),
            ("long_term_goal", &d.long_term_goal),
            ("achieved_goal", &d.achieved_goal),
        ] {
            if let Some(text) = text {
                self.key(&mut o, key);
                self.text(text);
            }
        }
        if !d.funding.is_empty() {
            self.key(&mut o, "funding");
            self.array(&d.funding, Self::funding);
        }
        if !d.fields.is_empty() {
            self.key(&mut o, "fields");
            self.array(&d.fields, Self::field);
        }
        self.end(o);
    }

    fn funding(&mut self, f: &Funding) {
        let mut o = self.begin();
        self.key(&mut o, "label");
        self.text(&f.label);
        if let Some(column) = &f.column {
            self.key(&mut o, "column");
            self.string(column);
        }
        self.key(&mut o, "amount");
        self.amount(&f.amount);
        self.end(o);
    }

    fn field(&mut self, f: &Field) {
        let mut o = self.begin();
        self.key(&mut o, "label");
        self.string(&f.label);
        self.key(&mut o, "value");
        self.text(&f.value);
        self.end(o);
    }

    fn evaluation(&mut self, e: &Evaluation) {
        let mut o = self.begin();
        if !e.budget.is_empty() {
            self.key(&mut o, "budget");
            self.array(&e.budget, Self::budget_line);
        }
        if let Some(score) = &e.total_score {
            self.key(&mut o, "total_score");
            self.amount(score);
        }
        if let Some(grade) = &e.grade {
            self.key(&mut o, "grade");
            self.text(grade);
        }
        if !e.remarks.is_empty() {
            self.key(&mut o, "remarks");
            self.array(&e.remarks, Self::field);
        }
        self.end(o);
    }

    fn budget_line(&mut self, b: &BudgetLine) {
        let mut o = self.begin();
        self.key(&mut o, "label");
        self.text(&b.label);
        for (key, amount) in [
            ("initial", &b.initial),
            ("adjusted", &b.adjusted),
            ("executed", &b.executed),
            ("weight", &b.weight),
        ] {
            if let Some(amount) = amount {
                self.key(&mut o, key);
                self.amount(amount);
            }
        }
        if let Some(rate) = &b.rate {
            self.key(&mut o, "rate");
            self.text(rate);
        }
        if let Some(score) = &b.score {
            self.key(&mut o, "score");
            self.amount(score);
        }
        self.end(o);
    }

    fn indicator(&mut self, i: &Indicator) {
        let mut o = self.begin();
        self.key(&mut o, "seq");
        self.number(i.seq);
        if let Some(level1) = &i.level1 {
            self.key(&mut o, "level1");
            self.category(level1);
        }
        if let Some(level2) = &i.level2 {
            self.key(&mut o, "level2");
            self.category(level2);
        }
        self.key(&mut o, "name");
        self.text(&i.name);
        if let Some(annual) = &i.annual {
            self.key(&mut o, "annual");
            self.value(annual);
        }
        if let Some(period) = &i.period {
            self.key(&mut o, "period");
            self.value(period);
        }
        self.key(&mut o, "raw");
        self.string(&i.raw);
        self.key(&mut o, "span");
        self.span(&i.span);
        if let Some(details) = &i.details {
            self.key(&mut o, "details");
            self.indicator_details(details);
        }
        self.end(o);
    }

    fn indicator_details(&mut self, d: &IndicatorDetails) {
        let mut o = self.begin();
        if let Some(nature) = &d.nature {
            self.key(&mut o, "nature");
            self.text(nature);
        }
        if let Some(unit) = &d.measure_unit {
            self.key(&mut o, "measure_unit");
            self.text(unit);
        }
        if let Some(weight) = &d.weight {
            self.key(&mut o, "weight");
            self.amount(weight);
        }
        if let Some(direction) = &d.direction {
            self.key(&mut o, "direction");
            self.text(direction);
        }
        if let Some(standard) = &d.standard {
            self.key(&mut o, "standard");
            self.text(standard);
        }
        if let Some(actual) = &d.actual {
            self.key(&mut o, "actual");
            self.value(actual);
        }
        if let Some(score) = &d.score {
            self.key(&mut o, "score");
            self.amount(score);
        }
        if let Some(deviation) = &d.deviation {
            self.key(&mut o, "deviation");
            self.text(deviation);
        }
        if !d.fields.is_empty() {
            self.key(&mut o, "fields");
            self.array(&d.fields, Self::field);
        }
        self.end(o);
    }

    fn category(&mut self, c: &Category) {
        if !(c.raw.is_empty() && c.span.is_none()) {
            return self.category_members(c);
        }
        let at = |text: &str| (text.as_ptr() as usize, text.len());
        let inference = c.inferred.as_ref().map_or(0, |i| Arc::as_ptr(i) as usize);
        let key = (
            at(&c.name),
            c.code.as_deref().map(at),
            inference,
            self.indent.len(),
        );
        // The addresses mixed by a multiplication: their low bits alone follow the heap's
        // layout, and two categories used by turns could share a slot.
        let mixed = (key.0.0 ^ inference.rotate_left(32)) as u64;
        let slot = (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % INFERRED_SLOTS;
        if self.inferred.slots.is_empty() {
            self.inferred.slots.resize(INFERRED_SLOTS, None);
        }
        if let Some((known, start, end)) = &self.inferred.slots[slot]
            && *known == key
        {
            self.out
                .extend_from_slice(&self.inferred.bytes[*start..*end]);
            return;
        }
        let start = self.out.len();
        self.category_members(c);
        let from = self.inferred.bytes.len();
        self.inferred.bytes.extend_from_slice(&self.out[start..]);
        self.inferred.slots[slot] = Some((key, from, self.inferred.bytes.len()));
    }

    fn category_members(&mut self, c: &Category) {
        let mut o = self.begin();
        self.key(&mut o, "name");
        self.string(&c.name);
        if let Some(code) = &c.code {
            self.key(&mut o, "code");
            self.string(code);
        }
        if !c.raw.is_empty() {
            self.key(&mut o, "raw");
            self.string(&c.raw);
        }
        if let Some(inference) = &c.inferred {
            self.key(&mut o, "inferred");
            let mut inner = self.begin();
            self.key(&mut inner, "rule");
            self.string(&inference.rule);
            self.key(&mut inner, "reason");
            self.string(&inference.reason);
            self.end(inner);
        }
        if let Some(span) = &c.span {
            self.key(&mut o, "span");
            self.span(span);
        }
        self.end(o);
    }

    fn value(&mut self, v: &Value) {
        let mut o = self.begin();
        self.key(&mut o, "raw");
        self.string(&v.raw);
        self.key(&mut o, "span");
        self.span(&v.span);
        self.key(&mut o, "kind");
        self.value_kind(&v.kind);
        self.end(o);
    }

    /// A `ValueKind`, internally tagged: `{"kind": "quantitative", …the variant's fields}`.
    fn value_kind(&mut self, kind: &ValueKind) {
        let mut o = self.begin();
        self.key(&mut o, "kind");
        match kind {
            ValueKind::Quantitative(q) => {
                self.string("quantitative");
                self.quantity(&mut o, q);
            }
            ValueKind::Deadline(d) => {
                self.string("deadline");
                self.deadline(&mut o, d);
            }
            ValueKind::Qualitative => self.string("qualitative"),
            ValueKind::Compound { parts } => {
                self.string("compound");
                self.key(&mut o, "parts");
                self.array(parts, Self::value_part);
            }
            ValueKind::Reference { reference } => {
                self.string("reference");
                self.key(&mut o, "reference");
                self.string(reference);
            }
            ValueKind::Empty => self.string("empty"),
        }
        self.end(o);
    }

    fn quantity(&mut self, o: &mut Object, q: &Quantity) {
        self.key(o, "comparator");
        match q.comparator {
            Some(comparator) => self.string(comparator_name(comparator)),
            None => self.out.extend_from_slice(b"null"),
        }
        if !q.comparator_raw.is_empty() {
            self.key(o, "comparator_raw");
            self.string(&q.comparator_raw);
        }
        self.key(o, "number");
        self.decimal(&q.number);
        if !q.subject.is_empty() {
            self.key(o, "subject");
            self.string(&q.subject);
        }
        if let Some(unit) = &q.unit {
            self.key(o, "unit");
            self.string(unit);
        }
        if let Some(scale) = q.scale {
            self.key(o, "scale");
            self.string(scale.word());
        }
        if !q.trailing.is_empty() {
            self.key(o, "trailing");
            self.string(&q.trailing);
        }
    }

    fn deadline(&mut self, o: &mut Object, d: &Deadline) {
        if let Some(month) = d.month {
            self.key(o, "month");
            self.number(u32::from(month));
        }
        if let Some(day) = d.day {
            self.key(o, "day");
            self.number(u32::from(day));
        }
        if d.recurring {
            self.key(o, "recurring");
            self.boolean(true);
        }
        if !d.occasions.is_empty() {
            self.key(o, "occasions");
            self.array(&d.occasions, |w, occasion| w.string(occasion));
        }
    }

    fn value_part(&mut self, p: &ValuePart) {
        let mut o = self.begin();
        self.key(&mut o, "raw");
        self.string(&p.raw);
        self.key(&mut o, "start");
        self.number(p.start);
        self.key(&mut o, "end");
        self.number(p.end);
        self.key(&mut o, "kind");
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

#[cfg(test)]
mod tests {
    use super::*;

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
