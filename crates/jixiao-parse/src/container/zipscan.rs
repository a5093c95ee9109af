//! The XML parts of an Office ZIP package inflated once, streaming and discarding, under the
//! limits, before calamine or the DOCX reader opens them.
//!
//! A ZIP's declared sizes can lie, and the libraries read a part whole (calamine keeps every
//! shared string, reserves what `uniqueCount` claims, and buffers a whole text run), so a 2 MB
//! file can ask for gigabytes. The scan counts what each part really inflates to, the longest
//! run between markup and, in `sharedStrings.xml`, the strings: past a limit the file is refused
//! with memory that does not grow with the part.

use std::io::{Cursor, Read};

use super::ContainerError;
use crate::limits::{Limit, Limits};

/// XML escapes make a cell's text longer in the file than on screen (`&amp;` is five bytes for
/// one); a run longer than this many times the cell limit cannot be a cell within it.
const ESCAPE_FACTOR: u64 = 8;

pub(super) fn check(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), ContainerError> {
    let corrupt = |reason: String| ContainerError::CorruptZip {
        file: file.to_owned(),
        reason,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let mut inflated = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut part = match archive.by_index(index) {
            Ok(part) => part,
            // Encrypted or unsupported parts are the reader's to report.
            Err(_) => continue,
        };
        let Ok(name) = part.name().map(|n| n.into_owned()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        let place = || format!("{name}：");
        let mut scan = Scan::new(lower.ends_with("sharedstrings.xml"));
        loop {
            let n = match part.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(corrupt(format!("{name}: {e}"))),
            };
            inflated += n as u64;
            limits.check(Limit::InflatedSize, inflated, file, place)?;
            scan.feed(&buffer[..n]);
            limits.check(
                Limit::CellSize,
                scan.longest_run / ESCAPE_FACTOR,
                file,
                place,
            )?;
            limits.check(Limit::Cells, scan.strings, file, place)?;
        }
        limits.check(Limit::Cells, scan.declared_strings(), file, place)?;
    }
    Ok(())
}

/// What the scan has seen of one part.
#[derive(Debug)]
struct Scan {
    /// Bytes since the last `<` or `>`.
    run: u64,
    longest_run: u64,
    /// Counting `si` elements (shared strings) and keeping the part's start for `uniqueCount`.
    shared_strings: bool,
    strings: u64,
    /// The element name being read after a `<`, up to a few bytes.
    name: Option<Vec<u8>>,
    head: Vec<u8>,
}

const HEAD: usize = 4096;

impl Scan {
    fn new(shared_strings: bool) -> Self {
        Self {
            run: 0,
            longest_run: 0,
            shared_strings,
            strings: 0,
            name: None,
            head: Vec::new(),
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        if self.shared_strings && self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            if let Some(name) = self.name.as_mut() {
                // Reading an element name: ends at whitespace, `>` or `/`.
                let end = rest
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/' | b'<'));
                let (part, after) = rest.split_at(end.unwrap_or(rest.len()));
                if name.len() < 16 {
                    name.extend_from_slice(&part[..part.len().min(16 - name.len())]);
                }
                self.run += part.len() as u64;
                rest = after;
                if end.is_some() {
                    let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
                    if local == b"si" {
                        self.strings += 1;
                    }
                    self.name = None;
                }
                continue;
            }
            match memchr::memchr2(b'<', b'>', rest) {
                Some(i) => {
                    self.run += i as u64;
                    self.longest_run = self.longest_run.max(self.run);
                    self.run = 0;
                    if rest[i] == b'<' && self.shared_strings {
                        self.name = Some(Vec::with_capacity(16));
                    }
                    rest = &rest[i + 1..];
                }
                None => {
                    self.run += rest.len() as u64;
                    rest = &[];
                }
            }
        }
        self.longest_run = self.longest_run.max(self.run);
    }

    /// The `count`/`uniqueCount` a shared-strings part declares (calamine reserves room for
    /// it up front), or 0.
    fn declared_strings(&self) -> u64 {
        let mut largest = 0;
        for key in [&b"uniqueCount=\""[..], b"count=\""] {
            for at in memchr::memmem::find_iter(&self.head, key) {
                let digits: Vec<u8> = self.head[at + key.len()..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .take(20)
                    .copied()
                    .collect();
                let value = std::str::from_utf8(&digits)
                    .ok()
                    .and_then(|d| d.parse::<u64>().ok())
                    .unwrap_or(u64::MAX);
                largest = largest.max(value);
            }
        }
        largest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_counted_across_chunks() {
        let mut scan = Scan::new(true);
        let xml = b"<sst uniqueCount=\"3\"><si><t>a</t></si><x:si><t>b</t></x:si><si/></sst>";
        for chunk in xml.chunks(3) {
            scan.feed(chunk);
        }
        assert_eq!(scan.strings, 3);
        assert_eq!(scan.declared_strings(), 3);
    }

    #[test]
    fn runs_between_markup_are_measured() {
        let mut scan = Scan::new(false);
        scan.feed(b"<t>");
        scan.feed(&[b' '; 1000]);
        scan.feed(b"x</t>");
        assert_eq!(scan.longest_run, 1001);
    }
}
