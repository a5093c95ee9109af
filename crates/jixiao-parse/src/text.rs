//! Decoding source bytes into text: UTF-8 (with or without BOM), UTF-16 with a BOM, or
//! GBK/GB18030.

use std::borrow::Cow;

use crate::ReadError;

/// Source text after decoding.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GBK`.
    pub encoding: &'static str,
}

/// [`decode`] of `text`, bytes already known to be UTF-8: the same result, without validating
/// them again. (UTF-8 never holds the bytes 0xFF and 0xFE, so no UTF-16 byte-order mark.)
pub(crate) fn decode_utf8<'a>(source: &str, text: &'a str) -> Result<Decoded<'a>, ReadError> {
    let bytes = text.as_bytes();
    refuse_empty_or_binary(source, bytes)?;
    Ok(Decoded {
        text: Cow::Borrowed(text.strip_prefix('\u{FEFF}').unwrap_or(text)),
        encoding: "UTF-8",
    })
}

/// Empty (only whitespace) and binary input are refused with a message a user can act on.
fn refuse_empty_or_binary(source: &str, bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty {
            file: source.to_owned(),
        });
    }
    if looks_binary(bytes) {
        return Err(ReadError::Binary {
            file: source.to_owned(),
        });
    }
    Ok(())
}

/// Decodes bytes as UTF-16 when they start with its byte-order mark (Excel's “Unicode 文本”),
/// as UTF-8 when they are valid UTF-8 or nearly so (a cut last character, a stray byte), else as
/// GBK (GB18030, its superset) when that decodes cleanly. Refuses empty and binary input with a
/// message a user can act on.
pub fn decode<'a>(source: &str, bytes: &'a [u8]) -> Result<Decoded<'a>, ReadError> {
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors {
                return Err(ReadError::UnknownEncoding {
                    file: source.to_owned(),
                });
            }
            if text.trim().is_empty() {
                return Err(ReadError::Empty {
                    file: source.to_owned(),
                });
            }
            return Ok(Decoded {
                text,
                encoding: name,
            });
        }
    }
    refuse_empty_or_binary(source, bytes)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 validates CJK text several times faster than std; the input may be 100 MB.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
        });
    }
    // GB18030 decodes almost any byte string, UTF-8 with one bad byte included; text that is
    // UTF-8 but for a few bytes stays UTF-8, with the bad bytes shown as U+FFFD.
    if mostly_utf8(bytes) {
        return Ok(Decoded {
            text: String::from_utf8_lossy(bytes),
            encoding: "UTF-8",
        });
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::UnknownEncoding {
            file: source.to_owned(),
        });
    }
    Ok(Decoded {
        text,
        encoding: "GBK",
    })
}

/// True when the valid multi-byte UTF-8 characters outnumber the invalid sequences many times
/// over. GBK text has almost no valid UTF-8 sequences (its second bytes are rarely continuation
/// bytes after a valid lead), UTF-8 text has almost no invalid ones.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    invalid > 0 && valid >= 20 * invalid
}

/// Binary files (PDFs, images, archives, spreadsheets read as text) have NUL bytes or many
/// control characters near the start; text tables have neither.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let controls = count_bytes(head, |b| {
        b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)
    });
    controls * 20 > head.len()
}

/// The bytes of `bytes` that are `wanted`, counted in runs of 192 into a byte-wide count, which
/// the compiler does many bytes at a time; `filter(..).count()` took a few instructions a byte,
/// for every file read. 192 is a multiple of the vector width under 256: a run of 255 left 31
/// bytes to count one at a time.
pub(crate) fn count_bytes(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(192)
        .map(|run| run.iter().fold(0u8, |n, &b| n + u8::from(wanted(b))))
        .map(usize::from)
        .sum()
}

/// One line of the source: its 1-based number and its text without the line terminator.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub number: u32,
    pub text: &'a str,
}

/// Splits text into lines, accepting `\n`, `\r\n` and a lone `\r`.
pub fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut rest = text;
    let mut number = 0u32;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        number += 1;
        let (line, next) = match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(i) => {
                let skip =
                    if rest.as_bytes()[i] == b'\r' && rest.as_bytes().get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                (&rest[..i], &rest[i + skip..])
            }
            None => (rest, ""),
        };
        rest = next;
        Some(Line { number, text: line })
    })
}

/// `text.trim_end()`, deciding from the last bytes when nothing is to be trimmed: most cells end
/// in a character that is not white space (ASCII, or a character from U+3001 on: CJK, `，`,
/// `。`), where `trim_end` decoded it and looked it up in Unicode's table, for every name and
/// value.
#[inline]
pub(crate) fn trim_end(text: &str) -> &str {
    match text.as_bytes() {
        [.., last] if *last < 0x80 && !matches!(last, b'\t'..=b'\r' | b' ') => text,
        // A three-byte character from U+4000 on: none of them is white space.
        [.., lead, _, _] if (0xE4..=0xEF).contains(lead) => text,
        // From U+3000 to U+3FFF (`。`, `、`, `》`): only U+3000 itself is white space.
        [.., 0xE3, second, third] if (*second, *third) != (0x80, 0x80) => text,
        // From U+2000 to U+2FFF (`≥`, `”`, `…`): a few spaces and separators.
        [.., 0xE2, second, third] if !is_space_from_2000(*second, *third) => text,
        _ => text.trim_end(),
    }
}

/// Whether the character `E2 second third` (U+2000 to U+2FFF) is white space: U+2000 to U+200A,
/// U+2028, U+2029, U+202F and U+205F.
#[inline]
fn is_space_from_2000(second: u8, third: u8) -> bool {
    matches!(
        (second, third),
        (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
    )
}

/// `text.trim_start()`, deciding from the first bytes when nothing is to be trimmed (see
/// [`trim_end`]).
#[inline]
pub(crate) fn trim_start(text: &str) -> &str {
    match text.as_bytes() {
        [first, ..] if *first < 0x80 && !matches!(first, b'\t'..=b'\r' | b' ') => text,
        [lead, ..] if (0xE4..=0xEF).contains(lead) => text,
        [0xE3, second, third, ..] if (*second, *third) != (0x80, 0x80) => text,
        [0xE2, second, third, ..] if !is_space_from_2000(*second, *third) => text,
        _ => text.trim_start(),
    }
}

/// `text.trim()` with the quick tests of [`trim_start`] and [`trim_end`].
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    trim_end(trim_start(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_trims_are_the_trims_of_std() {
        for text in [
            "",
            " ",
            "a",
            "a ",
            " a",
            "\u{0B}a\u{0B}",
            "\u{0C}",
            "\t甲\n",
            "甲",
            "。",
            "　甲　",
            "甲\u{3000}",
            "\u{3000}甲",
            "\u{85}",
            "x\u{A0}",
            "\u{2009}y\u{2009}",
            "，",
            "甲。",
            "。甲",
            "、",
            "《",
            "\u{3000}",
            "\u{3001}\u{3000}",
            "\u{3000}\u{3001}",
            "\u{2FFF}",
            "\u{FEFF}",
            "\u{1680}z",
            "\u{205F}",
            "≥95%",
            "％",
            "𠀀",
            "é ",
        ] {
            assert_eq!(trim_end(text), text.trim_end(), "{text:?}");
            assert_eq!(trim_start(text), text.trim_start(), "{text:?}");
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn quick_trims_agree_with_std_on_every_character_of_the_first_planes() {
        for c in ('\0'..='\u{FFFF}').chain(['\u{10000}', '\u{20000}', '\u{10FFFF}']) {
            for text in [
                c.to_string(),
                format!("甲{c}"),
                format!("{c}甲"),
                format!("a{c}{c}"),
            ] {
                assert_eq!(trim_end(&text), text.trim_end(), "{:X}", u32::from(c));
                assert_eq!(trim_start(&text), text.trim_start(), "{:X}", u32::from(c));
            }
        }
    }

    #[test]
    fn line_terminators() {
        let found: Vec<_> = lines("a\r\nb\nc\rd").map(|l| (l.number, l.text)).collect();
        assert_eq!(found, vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK.encode("部门名称：测试局");
        let decoded = decode("t.txt", &bytes).expect("decodes");
        assert_eq!(decoded.encoding, "GBK");
        assert_eq!(decoded.text, "部门名称：测试局");
    }

    #[test]
    fn utf16_with_a_bom_is_text() {
        for (bom, encoding, name) in [
            (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
            (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
        ] {
            let text = "部门名称：测试局\t单位：万元\r\n";
            let units: Vec<u16> = text.encode_utf16().collect();
            let mut bytes = bom.to_vec();
            for unit in units {
                if encoding == encoding_rs::UTF_16LE {
                    bytes.extend(unit.to_le_bytes());
                } else {
                    bytes.extend(unit.to_be_bytes());
                }
            }
            let decoded = decode("t.txt", &bytes).expect("decodes");
            assert_eq!(decoded.encoding, name);
            assert_eq!(decoded.text, text);
        }
    }

    #[test]
    fn utf8_with_a_cut_last_character_stays_utf8() {
        let text = "部门名称：测试局\n项目名称\t总计\n".repeat(5);
        let mut bytes = text.as_bytes().to_vec();
        bytes.extend_from_slice(&"局".as_bytes()[..2]);
        let decoded = decode("t.txt", &bytes).expect("decodes");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.starts_with("部门名称：测试局"));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode("x", b"%PDF\0\x01\x02"),
            Err(ReadError::Binary { .. })
        ));
        assert!(matches!(
            decode("x", b" \n\r\n"),
            Err(ReadError::Empty { .. })
        ));
    }
}
