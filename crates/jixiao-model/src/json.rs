//! JSON text written by hand, byte for byte as `serde_json` writes it: the CLI's JSON writers
//! for documents (`jixiao-export`) and findings (`jixiao-rules`) skip serde's per-key formatter
//! on their hot paths and must still print what `serde_json` printed.

/// Whether JSON escapes `byte`: `"`, `\` and the control characters below 0x20.
#[inline]
fn escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Appends `bytes` escaped as `serde_json` escapes a string's contents (no quotes).
pub fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let clean = clean_prefix(bytes);
    out.extend_from_slice(&bytes[..clean]);
    if clean == bytes.len() {
        return;
    }
    let mut start = clean;
    for (i, &byte) in bytes.iter().enumerate().skip(clean) {
        if !escaped(byte) {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// How many bytes at the start of `bytes` need no escape: all of them, or fewer (not
/// necessarily as many as could be copied; the caller escapes byte by byte from there).
#[inline]
fn clean_prefix(bytes: &[u8]) -> usize {
    let n = bytes.len();
    match n {
        0 => 0,
        // Short texts (names, values, numbers as text) in one or two words that may overlap:
        // the byte-by-byte tail of the block loop took about nine instructions a byte.
        1..8 => {
            if has_escaped(short_word(bytes)) {
                0
            } else {
                n
            }
        }
        8..16 => {
            if has_escaped(word_at(bytes, 0)) || has_escaped(word_at(bytes, n - 8)) {
                0
            } else {
                n
            }
        }
        _ => {
            // A fixed-size block without an early exit is vectorised.
            let block_has = |block: &[u8]| block.iter().fold(false, |any, &b| any | escaped(b));
            let mut clean = 0;
            let mut blocks = bytes.chunks_exact(16);
            for block in blocks.by_ref() {
                if block_has(block) {
                    return clean;
                }
                clean += 16;
            }
            // The last sixteen bytes, overlapping the last whole block.
            if clean == n || !block_has(&bytes[n - 16..]) {
                n
            } else {
                clean
            }
        }
    }
}

/// A text of one to seven bytes as one word: up to three bytes padded with `A` (which neither
/// JSON escapes nor CSV quotes), four to seven as their first and last four (overlapping), so a
/// test of every byte at once covers them all. The CSV writer's quote test uses it too.
#[inline]
pub fn short_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n < 4 {
        return bytes
            .iter()
            .rev()
            .fold(u64::from_le_bytes(*b"AAAAAAAA"), |word, &byte| {
                (word << 8) | u64::from(byte)
            });
    }
    let first = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let last = u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
    u64::from(first) | (u64::from(last) << 32)
}

/// The eight bytes of `bytes` from `at` as a little-endian word.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let b = &bytes[at..at + 8];
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// Whether a byte of `word` is below 0x20, a quote or a backslash: `(x - ONES × n) & !x & HIGH` is non-zero
/// exactly when a byte of `x` is below `n` (for `n` ≤ 0x80), and a byte equal to `b` is a zero
/// byte of `word ^ (b × ONES)`.
#[inline]
fn has_escaped(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    (below(word, 0x20) | below(quote, 1) | below(backslash, 1)) & HIGH != 0
}

/// Appends `text` as a JSON string, quoted and escaped as `serde_json` writes it.
#[inline]
pub fn push_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    push_escaped(out, text.as_bytes());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `push_escaped` as it was: byte by byte.
    fn escaped_bytewise(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &byte in bytes {
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0C => out.extend_from_slice(b"\\f"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0..0x20 => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
                _ => out.push(byte),
            }
        }
        out
    }

    #[test]
    fn every_byte_at_every_position_is_escaped_as_byte_by_byte() {
        let plain = "甲a1%≥ .-\u{80}\u{FF0C}";
        for len in 0..=40 {
            let base: Vec<u8> = plain.bytes().cycle().take(len).collect();
            let mut out = Vec::new();
            push_escaped(&mut out, &base);
            assert_eq!(out, base);
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut text = base.clone();
                    text[at] = byte;
                    let mut out = Vec::new();
                    push_escaped(&mut out, &text);
                    assert_eq!(out, escaped_bytewise(&text), "{byte} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        let mut text = String::from("项目\"名称\"\\");
        for byte in 0u8..0x20 {
            text.push(char::from(byte));
            text.push('中');
        }
        text.push('\u{7f}');
        text.push_str(&"长文本".repeat(30));
        for text in [text.as_str(), "", "a", &"无需转义的长文本".repeat(20)] {
            let mut out = Vec::new();
            push_string(&mut out, text);
            assert_eq!(
                String::from_utf8_lossy(&out),
                serde_json::to_string(text).expect("serializes")
            );
        }
    }
}
