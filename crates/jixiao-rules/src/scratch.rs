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
    scratch: io::BufWriter<Box<dyn Scratch>>,
    /// The first write error; reported when the records are read back.
    error: Option<io::Error>,
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
        Self::new(in_memory())
    }
}

impl RecordLog {
    pub fn new(scratch: Box<dyn Scratch>) -> Self {
        Self {
            scratch: io::BufWriter::with_capacity(64 * 1024, scratch),
            error: None,
        }
    }

    /// Appends one record; a failure is remembered and returned by [`RecordLog::into_reader`].
    pub fn push(&mut self, record: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let Ok(len) = u32::try_from(record.len()) else {
            self.error = Some(io::Error::other("记录过长"));
            return;
        };
        let written = self
            .scratch
            .write_all(&len.to_le_bytes())
            .and_then(|()| self.scratch.write_all(record));
        if let Err(error) = written {
            self.error = Some(error);
        }
    }

    /// Every record pushed, in order.
    pub fn into_reader(self) -> io::Result<RecordReader> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut scratch = self.scratch.into_inner().map_err(|e| e.into_error())?;
        scratch.seek(SeekFrom::Start(0))?;
        Ok(RecordReader {
            scratch: io::BufReader::with_capacity(64 * 1024, scratch),
            record: Vec::new(),
        })
    }
}

pub(crate) struct RecordReader {
    scratch: io::BufReader<Box<dyn Scratch>>,
    record: Vec<u8>,
}

impl RecordReader {
    /// Back to the first record, to read them again.
    pub fn rewind(&mut self) -> io::Result<()> {
        self.scratch.seek(SeekFrom::Start(0))?;
        Ok(())
    }

    /// The next record, or `None` at the end.
    pub fn next_record(&mut self) -> io::Result<Option<&[u8]>> {
        let mut len = [0u8; 4];
        match self.scratch.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        self.record.resize(u32::from_le_bytes(len) as usize, 0);
        self.scratch.read_exact(&mut self.record)?;
        Ok(Some(&self.record))
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
        let mut log = RecordLog::default();
        for text in ["一", "", "三三三"] {
            let mut record = Vec::new();
            codec::put_str(&mut record, text);
            codec::put_u32(&mut record, 7);
            log.push(&record);
        }
        let mut reader = log.into_reader().expect("in memory");
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
    }
}
