//! The stored model's JSON with its spans written short.
//!
//! A model's spans are more than a third of its compressed size: every text, amount, value and
//! row has one, and each repeats the document's file path and spells out `line`, `start` and
//! `end`, numbers that a general-purpose compressor cannot predict from the previous span's.
//! The short form writes each span that points into the document's own source and names no cell,
//! `"span":{"file":F,"line":L,"start":S,"end":E}`, as `"span":[dl,ds,n]`: the line as a step from
//! the previous short span's line, the start as a step from the previous span's end on the same
//! line (else from the line's start), and the length. The store writes it at once
//! ([`jixiao_export::push_document_json_packed`]); `pack` (kept for the tests, which hold that
//! writer to it) makes it from the full JSON, and [`unpack`] restores the exact full bytes.
//!
//! Works on the JSON text that `serde_json` writes (compact, fields in declaration order). Outside
//! strings a `"` only opens or closes a string, and inside one it is escaped, so `"span":` is
//! always a key named `span`; every `span` of the model is a [`jixiao_model::Span`] object, so an
//! array after `"span":` is always a short span.

const SHORT: &[u8] = b"\"span\":[";

/// `json` (a serialised model whose first field is its `source`) with its spans written short.
/// The store writes models short at once ([`jixiao_export::push_document_json_packed`]); this is
/// the reference the tests hold that writer to.
#[cfg(test)]
pub(crate) fn pack(json: &[u8]) -> Vec<u8> {
    let Some(source) = source_literal(json) else {
        return json.to_vec();
    };
    let mut prefix = Vec::with_capacity(source.len() + 24);
    prefix.extend_from_slice(b"\"span\":{\"file\":");
    prefix.extend_from_slice(source);
    prefix.extend_from_slice(b",\"line\":");
    let finder = memchr::memmem::Finder::new(&prefix);
    let mut out = Vec::with_capacity(json.len() / 2);
    let (mut line, mut end) = (0_i64, 0_i64);
    let mut from = 0;
    for at in finder.find_iter(json) {
        if at < from {
            continue;
        }
        let rest = &json[at + prefix.len()..];
        let Some((l, s, e, used)) = long_span(rest) else {
            continue;
        };
        out.extend_from_slice(&json[from..at]);
        let step = l - line;
        let start = if step == 0 { s - end } else { s };
        out.extend_from_slice(SHORT);
        push_int(&mut out, step);
        out.push(b',');
        push_int(&mut out, start);
        out.push(b',');
        push_int(&mut out, e - s);
        out.push(b']');
        line = l;
        end = e;
        from = at + prefix.len() + used;
    }
    out.extend_from_slice(&json[from..]);
    out
}

/// The JSON [`pack`] was given, from what it returned; `None` if `packed` is not its output.
pub(crate) fn unpack(packed: &[u8]) -> Option<Vec<u8>> {
    let source = source_literal(packed)?;
    let finder = memchr::memmem::Finder::new(SHORT);
    let mut out = Vec::with_capacity(packed.len() * 2);
    let (mut line, mut end) = (0_i64, 0_i64);
    let mut from = 0;
    for at in finder.find_iter(packed) {
        let rest = &packed[at + SHORT.len()..];
        let (step, rest, a) = int(rest)?;
        let rest = rest.strip_prefix(b",")?;
        let (start, rest, b) = int(rest)?;
        let rest = rest.strip_prefix(b",")?;
        let (length, rest, c) = int(rest)?;
        rest.strip_prefix(b"]")?;
        out.extend_from_slice(&packed[from..at]);
        let l = line.checked_add(step)?;
        let s = if step == 0 {
            end.checked_add(start)?
        } else {
            start
        };
        let e = s.checked_add(length)?;
        out.extend_from_slice(b"\"span\":{\"file\":");
        out.extend_from_slice(source);
        out.extend_from_slice(b",\"line\":");
        push_int(&mut out, l);
        out.extend_from_slice(b",\"start\":");
        push_int(&mut out, s);
        out.extend_from_slice(b",\"end\":");
        push_int(&mut out, e);
        out.push(b'}');
        line = l;
        end = e;
        from = at + SHORT.len() + a + 1 + b + 1 + c + 1;
    }
    out.extend_from_slice(&packed[from..]);
    Some(out)
}

/// The `source` field's string as written, quotes included: `{"source":"…",…`.
fn source_literal(json: &[u8]) -> Option<&[u8]> {
    const OPEN: &[u8] = b"{\"source\":\"";
    let body = json.strip_prefix(OPEN)?;
    let mut escaped = false;
    for (i, byte) in body.iter().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(&json[OPEN.len() - 1..OPEN.len() + i + 1]),
            _ => {}
        }
    }
    None
}

/// After `…,"line":`: `L,"start":S,"end":E}` → (L, S, E, bytes read); `None` for a span that
/// names a cell (it stays as it is).
#[cfg(test)]
fn long_span(rest: &[u8]) -> Option<(i64, i64, i64, usize)> {
    let (line, after, a) = int(rest)?;
    let after = after.strip_prefix(b",\"start\":")?;
    let (start, after, b) = int(after)?;
    let after = after.strip_prefix(b",\"end\":")?;
    let (end, after, c) = int(after)?;
    after.strip_prefix(b"}")?;
    Some((line, start, end, a + 9 + b + 7 + c + 1))
}

/// A decimal integer (optionally negative) at the start of `bytes`: its value, the rest, and how
/// many bytes it took.
fn int(bytes: &[u8]) -> Option<(i64, &[u8], usize)> {
    let negative = bytes.first() == Some(&b'-');
    let digits_from = usize::from(negative);
    let digits = bytes[digits_from..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let used = digits_from + digits;
    // At most 18 digits: no overflow.
    let magnitude = bytes[digits_from..used]
        .iter()
        .fold(0_i64, |n, digit| n * 10 + i64::from(digit - b'0'));
    let value = if negative { -magnitude } else { magnitude };
    Some((value, &bytes[used..], used))
}

/// `n` in decimal, as `serde_json` and `write!` spell it, without the formatting machinery: a
/// model has a span for every text, amount and value.
fn push_int(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_in_the_source_are_short_and_come_back_exactly() {
        let json = br#"{"source":"a\"b.txt","units":[{"name":{"text":"\"span\":{x","span":{"file":"a\"b.txt","line":3,"start":4,"end":9}},"span":{"file":"a\"b.txt","line":3,"start":12,"end":20},"x":{"span":{"file":"other.txt","line":1,"start":0,"end":1}},"y":{"span":{"file":"a\"b.txt","line":2,"start":0,"end":1,"cell":{"row":1,"col":2}}},"z":{"span":{"file":"a\"b.txt","line":1,"start":5,"end":2}}}]}"#;
        let packed = pack(json);
        let text = String::from_utf8(packed.clone()).expect("UTF-8");
        assert!(text.contains(r#""span":[3,4,5]"#), "{text}");
        assert!(text.contains(r#""span":[0,3,8]"#), "{text}");
        assert!(text.contains(r#""span":[-2,5,-3]"#), "{text}");
        assert!(
            text.contains("other.txt") && text.contains("\"cell\""),
            "{text}"
        );
        assert_eq!(unpack(&packed).expect("unpacks"), json.to_vec());
    }

    /// The bytes the store keeps, written short at once, are those of packing the full JSON, and
    /// unpack to it: on every example, seed, sample and variation, and on a document whose spans
    /// also name cells and another file (left long) between short ones.
    #[test]
    fn the_packed_writer_writes_what_pack_makes_of_the_full_json() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let profile = jixiao_model::Profile::builtin();
        let mut documents = Vec::new();
        for dir in [
            "examples",
            "../shared/seeds",
            "../shared/samples",
            "../shared/variations",
        ] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths.iter().filter(|p| p.is_file()) {
                let bytes = std::fs::read(path).expect("readable");
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if let Ok(parsed) = jixiao_parse::parse_bytes(&name, &bytes, &profile) {
                    documents.extend(parsed.documents);
                }
            }
        }
        assert!(documents.len() >= 2, "{} documents", documents.len());
        let mut mixed = documents[0].clone();
        let other: std::sync::Arc<str> = "other.txt".into();
        for (i, project) in mixed.units[0].projects.iter_mut().enumerate() {
            match i % 3 {
                0 => {
                    project.name.span.cell = Some(Box::new(jixiao_model::CellRef {
                        sheet: Some("Sheet1".into()),
                        page: None,
                        row: 3,
                        col: 2,
                    }));
                }
                1 => project.name.span.file = other.clone(),
                _ => project.name.span.start += 7,
            }
        }
        documents.push(mixed);
        for document in &documents {
            let mut full = Vec::new();
            jixiao_export::push_document_json_compact(&mut full, document);
            let mut packed = Vec::new();
            jixiao_export::push_document_json_packed(&mut packed, document);
            assert!(
                packed == pack(&full),
                "{}: the packed writer differs from pack",
                document.source
            );
            assert_eq!(unpack(&packed).as_deref(), Some(full.as_slice()));
        }
    }

    #[test]
    fn json_without_a_source_first_is_left_alone() {
        let json = br#"{"encoding":"UTF-8","span":{"file":"a","line":1,"start":0,"end":1}}"#;
        assert_eq!(pack(json), json.to_vec());
        assert!(unpack(br#"{"source":"a","span":[1,x]}"#).is_none());
    }
}
