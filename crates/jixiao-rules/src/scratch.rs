//! Scratch storage for state that grows with the corpus (G002's goal uses, the JSON summary's
//! grades). In memory by default; a caller that checks a whole province hands in a temporary file
//! so memory stays bounded while the disk holds what the report will need at the end.

use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};

/// Somewhere to append bytes and read them back once, from the start.
pub trait Scratch: Read + Write + Seek + Send + Sync {}

impl<T: Read + Write + Seek + Send + Sync> Scratch for T {}

/// Makes a fresh, empty scratch (for example `tempfile::tempfile`).
pub type ScratchFactory = dyn Fn() -> io::Result<Box<dyn Scratch>> + Send + Sync;

/// An empty in-memory scratch.
pub fn in_memory() -> Box<dyn Scratch> {
    Box::new(Cursor::new(Vec::new()))
}

/// Appends length-prefixed records to a scratch and reads them back in order.
pub(crate) struct RecordLog {
    sink: Sink,
    /// The first write error; reported when the records are read back.
    error: Option<io::Error>,
}

/// Where a [`RecordLog`] keeps its records.
enum Sink {
    /// A vector read back in place: through a `Cursor` and the buffers each record was copied
    /// four times, most of the cost of G002 on a large corpus.
    Memory(Vec<u8>),
    Scratch(io::BufWriter<Box<dyn Scratch>>),
}

impl std::fmt::Debug for RecordLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordLog")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl Default for RecordLog {
    fn default() -> Self {
        Self {
            sink: Sink::Memory(Vec::new()),
            error: None,
        }
    }
}

impl RecordLog {
    pub fn new(scratch: Box<dyn Scratch>) -> Self {
        Self {
            sink: Sink::Scratch(io::BufWriter::with_capacity(64 * 1024, scratch)),
            error: None,
        }
    }

    /// Appends one record; a failure is remembered and returned by [`RecordLog::into_reader`].
    pub fn push(&mut self, record: &[u8]) {
        self.push_parts(&[record]);
    }

    /// Appends one record made of `parts` in turn, like [`RecordLog::push`] of them joined.
    pub fn push_parts(&mut self, parts: &[&[u8]]) {
        if self.error.is_some() {
            return;
        }
        let Ok(len) = u32::try_from(parts.iter().map(|part| part.len()).sum::<usize>()) else {
            self.error = Some(io::Error::other("记录过长"));
            return;
        };
        match &mut self.sink {
            Sink::Memory(log) => {
                log.extend_from_slice(&len.to_le_bytes());
                for part in parts {
                    log.extend_from_slice(part);
                }
            }
            Sink::Scratch(scratch) => {
                let written = scratch
                    .write_all(&len.to_le_bytes())
                    .and_then(|()| parts.iter().try_for_each(|part| scratch.write_all(part)));
                if let Err(error) = written {
                    self.error = Some(error);
                }
            }
        }
    }

    /// Every record pushed, in order.
    pub fn into_reader(self) -> io::Result<RecordReader> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let source = match self.sink {
            Sink::Memory(log) => Source::Memory { log, at: 0 },
            Sink::Scratch(scratch) => {
                let mut scratch = scratch.into_inner().map_err(|e| e.into_error())?;
                scratch.seek(SeekFrom::Start(0))?;
                Source::Scratch {
                    scratch: io::BufReader::with_capacity(64 * 1024, scratch),
                    record: Vec::new(),
                }
            }
        };
        Ok(RecordReader { source })
    }
}

/// Reads a [`RecordLog`]'s records back.
pub(crate) struct RecordReader {
    source: Source,
}

enum Source {
    /// The log and where the next record's length is.
    Memory { log: Vec<u8>, at: usize },
    Scratch {
        scratch: io::BufReader<Box<dyn Scratch>>,
        /// The last record read.
        record: Vec<u8>,
    },
}

impl RecordReader {
    /// Back to the first record, to read them again.
    pub fn rewind(&mut self) -> io::Result<()> {
        match &mut self.source {
            Source::Memory { at, .. } => *at = 0,
            Source::Scratch { scratch, .. } => {
                scratch.seek(SeekFrom::Start(0))?;
            }
        }
        Ok(())
    }

    /// The next record, or `None` at the end.
    pub fn next_record(&mut self) -> io::Result<Option<&[u8]>> {
        match &mut self.source {
            Source::Memory { log, at } => {
                let Some(len) = log.get(*at..*at + 4) else {
                    return if *at == log.len() {
                        Ok(None)
                    } else {
                        Err(io::ErrorKind::UnexpectedEof.into())
                    };
                };
                let mut bytes = [0u8; 4];
                bytes.copy_from_slice(len);
                let start = *at + 4;
                let end = start + u32::from_le_bytes(bytes) as usize;
                let record = log.get(start..end).ok_or(io::ErrorKind::UnexpectedEof)?;
                *at = end;
                Ok(Some(record))
            }
            Source::Scratch { scratch, record } => {
                let mut len = [0u8; 4];
                match scratch.read_exact(&mut len) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                    Err(e) => return Err(e),
                }
                record.resize(u32::from_le_bytes(len) as usize, 0);
                scratch.read_exact(record)?;
                Ok(Some(record))
            }
        }
    }
}

/// Little-endian field encoding for records.
pub(crate) mod codec {
    pub fn put_u32(out: &mut Vec<u8>, value: u32) {
        out.extend_from_slice(&value.to_le_bytes());
    }

    pub fn put_u64(out: &mut Vec<u8>, value: u64) {
        out.extend_from_slice(&value.to_le_bytes());
    }

    pub fn put_str(out: &mut Vec<u8>, text: &str) {
        put_u32(out, u32::try_from(text.len()).unwrap_or(u32::MAX));
        out.extend_from_slice(text.as_bytes());
    }

    /// Reads fields back in the order they were put; `None` when the record is cut short.
    pub struct Fields<'a>(pub &'a [u8]);

    impl<'a> Fields<'a> {
        pub fn u32(&mut self) -> Option<u32> {
            let (head, rest) = self.0.split_at_checked(4)?;
            self.0 = rest;
            Some(u32::from_le_bytes(head.try_into().ok()?))
        }

        pub fn u64(&mut self) -> Option<u64> {
            let (head, rest) = self.0.split_at_checked(8)?;
            self.0 = rest;
            Some(u64::from_le_bytes(head.try_into().ok()?))
        }

        pub fn str(&mut self) -> Option<&'a str> {
            let len = self.u32()? as usize;
            let (head, rest) = self.0.split_at_checked(len)?;
            self.0 = rest;
            std::str::from_utf8(head).ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_in_order() {
        // In memory, and through a scratch as a temporary file would be.
        for mut log in [RecordLog::default(), RecordLog::new(in_memory())] {
            for text in ["一", "", "三三三"] {
                let mut record = Vec::new();
                codec::put_str(&mut record, text);
                codec::put_u32(&mut record, 7);
                log.push(&record);
            }
            let mut reader = log.into_reader().expect("in memory");
            for _ in 0..2 {
                let mut seen = Vec::new();
                while let Some(record) = reader.next_record().expect("in memory") {
                    let mut fields = codec::Fields(record);
                    seen.push((fields.str().map(str::to_owned), fields.u32()));
                }
                assert_eq!(
                    seen,
                    vec![
                        (Some("一".to_owned()), Some(7)),
                        (Some(String::new()), Some(7)),
                        (Some("三三三".to_owned()), Some(7)),
                    ]
                );
                reader.rewind().expect("in memory");
            }
        }
    }
}
