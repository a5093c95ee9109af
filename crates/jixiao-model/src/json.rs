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
    // Most texts have nothing to escape: found a block at a time (a fixed-size block without
    // an early exit is vectorised) and copied whole.
    let mut clean = 0;
    let mut blocks = bytes.chunks_exact(16);
    for block in blocks.by_ref() {
        if block.iter().fold(false, |any, &b| any | escaped(b)) {
            break;
        }
        clean += 16;
    }
    if clean == bytes.len() - blocks.remainder().len() {
        clean += blocks
            .remainder()
            .iter()
            .take_while(|&&b| !escaped(b))
            .count();
    }
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
