//! Reading a large department list a chunk at a time, handing each document on as soon as it is
//! complete, so memory holds one document and one chunk instead of the whole file and its model.
//!
//! Only what [`crate::parse_bytes_with_limits`] would read with the department-list reader is
//! streamed, and it gives the same documents and problems: a UTF-8 `.txt` file of tab-separated
//! lines, at least [`STREAM_FROM`] bytes (the run-together reader only reads smaller ones), with no
//! indicator-grid header in its first 256 KiB and not in Traditional characters. A first pass
//! checks the whole file is UTF-8 and within the limits before anything is handed on; documents
//! are held back until one has an indicator (a department list with none would lose to the sheet
//! reader). Anything else is left to the caller to read whole ([`parse_streaming`] returns
//! `None`), before a single document was handed on.

use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use jixiao_model::{Document, Layout, Problem, Profile};

use crate::container::{self, ContainerKind, LimitCounter};
use crate::department_list::ChunkReader;
use crate::limits::{Limit, Limits};
use crate::{ReadError, has_indicator_grid, is_table};

/// Sources smaller than this are read whole: streaming them saves little memory.
pub const STREAM_FROM: u64 = 4 << 20;

/// The encoding of every streamed source.
pub const STREAM_ENCODING: &str = "UTF-8";

/// Bytes read at a time; a chunk ends at the last line end in it.
const CHUNK: usize = 1 << 20;

/// What the first chunk must hold at least: the windows the whole-file reading decides on (the
/// grid header test reads the first 256 KiB).
const HEAD: usize = 256 << 10;

/// The run-together reader reads only texts shorter than this ([`crate::parse_bytes`]).
pub(crate) const RUN_TOGETHER_BELOW: u64 = 1 << 20;

/// What a streamed read found besides its documents.
#[derive(Debug)]
pub struct Streamed {
    pub problems: Vec<Problem>,
    pub encoding: &'static str,
    pub documents: usize,
}

/// Why a streamed read stopped.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The source is not a table, or is past a limit (as [`crate::parse_bytes_with_limits`] says).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Reading the source or handing a document on failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<container::ContainerError> for StreamError {
    fn from(error: container::ContainerError) -> Self {
        Self::Read(ReadError::Container(error))
    }
}

/// Reads `input` (from `source`, a file name used in spans and messages) as a department list a
/// chunk at a time, calling `sink` with each document in order. `Ok(None)` when the source is
/// not one this can stream: `sink` was not called, and the caller reads it whole.
pub fn parse_streaming<R: Read + Seek>(
    source: &str,
    input: &mut R,
    profile: &Profile,
    layout: Option<Layout>,
    limits: &Limits,
    sink: &mut dyn FnMut(Document) -> std::io::Result<()>,
) -> Result<Option<Streamed>, StreamError> {
    parse_streaming_in(
        source,
        input,
        profile,
        layout,
        limits,
        sink,
        STREAM_FROM,
        CHUNK,
    )
}

/// [`parse_streaming`] from `from` bytes on, `chunk` bytes at a time (tests read small sources
/// in small chunks).
#[allow(clippy::too_many_arguments)]
fn parse_streaming_in<R: Read + Seek>(
    source: &str,
    input: &mut R,
    profile: &Profile,
    layout: Option<Layout>,
    limits: &Limits,
    sink: &mut dyn FnMut(Document) -> std::io::Result<()>,
    from: u64,
    chunk: usize,
) -> Result<Option<Streamed>, StreamError> {
    if !matches!(layout, None | Some(Layout::DepartmentList))
        || !source.to_ascii_lowercase().ends_with(".txt")
    {
        return Ok(None);
    }
    let size = input.seek(SeekFrom::End(0))?;
    // The run-together reader reads texts under 1 MiB: those are never streamed.
    if size < from.max(RUN_TOGETHER_BELOW + 3) {
        return Ok(None);
    }
    limits.check(Limit::FileSize, size, source, String::new)?;
    input.seek(SeekFrom::Start(0))?;
    if !first_pass(source, input, layout, limits, chunk)? {
        return Ok(None);
    }
    input.seek(SeekFrom::Start(0))?;

    let mut problems = Vec::new();
    let mut emitted = 0;
    // Documents wait until one has an indicator: only then is the department-list reading the
    // one `parse_bytes` keeps. With `--layout department-list` it is kept whatever it finds.
    let mut held = Vec::new();
    let mut live = layout == Some(Layout::DepartmentList);
    let mut emit = |documents: Vec<Document>| -> std::io::Result<()> {
        for document in documents.into_iter().filter(is_table) {
            if !live && document.indicator_count() > 0 {
                live = true;
                for document in held.drain(..) {
                    sink(document)?;
                    emitted += 1;
                }
            }
            if live {
                sink(document)?;
                emitted += 1;
            } else {
                held.push(document);
            }
        }
        Ok(())
    };
    {
        let mut reader = ChunkReader::new(source, STREAM_ENCODING, profile, &mut problems);
        // The start of a row the next chunk continues: a slice of validated text, so a `String`.
        let mut carry = String::new();
        let mut line = 1;
        let mut failed = None;
        // The texts of earlier chunks, reused once no document holds them any more: a new
        // megabyte a chunk was a fresh allocation, its pages zeroed by the kernel, each time.
        let mut spent: Vec<Arc<String>> = Vec::new();
        chunks(input, chunk, |chunk| {
            // Each chunk ends at a line end, so it is valid UTF-8 on its own when the file is.
            // simdutf8 validates it; the text is then copied, not validated a second time as
            // `String::from_utf8` would (std's validation was an eighth of the reading).
            let valid = match simdutf8::basic::from_utf8(chunk) {
                Ok(valid) => valid,
                Err(error) => {
                    failed = Some(std::io::Error::new(std::io::ErrorKind::InvalidData, error));
                    return Ok(false);
                }
            };
            let mut text = spent
                .iter()
                .position(|text| Arc::strong_count(text) == 1)
                .and_then(|i| Arc::try_unwrap(spent.swap_remove(i)).ok())
                .map(|mut text| {
                    text.clear();
                    text
                })
                .unwrap_or_default();
            // A text too small is replaced, not grown: a reallocation copies all of its old
            // capacity (cleared, but the allocator does not know that).
            let need = carry.len() + valid.len();
            if text.capacity() < need {
                text = String::with_capacity(need + need / 16);
            }
            text.push_str(&carry);
            carry.clear();
            text.push_str(valid);
            let text = Arc::new(text);
            let (consumed, next_line) = reader.read(&text, line, false);
            carry.push_str(&text[consumed..]);
            line = next_line;
            emit(reader.take_documents())?;
            // A few are kept: the document still being read holds the last one or two.
            if spent.len() < 4 {
                spent.push(text);
            }
            Ok(true)
        })?;
        if let Some(error) = failed {
            // The file changed between the two passes.
            return Err(error.into());
        }
        let text = Arc::new(carry);
        reader.read(&text, line, true);
        emit(reader.take_documents())?;
        emit(reader.finish())?;
    }
    if !live {
        // No indicator anywhere: the other readers decide; nothing was handed on.
        return Ok(None);
    }
    if emitted == 0 {
        return Ok(None);
    }
    Ok(Some(Streamed {
        problems,
        encoding: STREAM_ENCODING,
        documents: emitted,
    }))
}

/// Reads the whole source once: true when it is UTF-8 throughout, and its start is a tab-separated
/// text the department-list reader is the first to read; `Err` when it is past a limit.
fn first_pass<R: Read>(
    source: &str,
    input: &mut R,
    layout: Option<Layout>,
    limits: &Limits,
    chunk: usize,
) -> Result<bool, StreamError> {
    let mut counter = LimitCounter::new(Some(b'\t'));
    let mut first = true;
    let mut eligible = true;
    let ended = chunks(input, chunk, |chunk| {
        let Ok(text) = simdutf8::basic::from_utf8(chunk) else {
            eligible = false;
            return Ok(false);
        };
        if first {
            first = false;
            if !starts_like_a_department_list(source, text, layout) {
                eligible = false;
                return Ok(false);
            }
        }
        counter
            .feed(source, text, limits)
            .map_err(|e| std::io::Error::other(StreamError::from(e)))?;
        Ok(true)
    })
    .map_err(|error| match error.downcast::<StreamError>() {
        Ok(stream) => stream,
        Err(error) => StreamError::Io(error),
    })?;
    Ok(eligible && !first && ended != Chunked::LineTooLong)
}

/// What `parse_bytes` decides from the start of a text, decided on the first chunk (without its
/// byte-order mark): a `.txt` text, not HTML, not jixiao's own output, not binary, tab-separated,
/// in Simplified characters, with no indicator-grid header (unless the layout is given).
fn starts_like_a_department_list(source: &str, text: &str, layout: Option<Layout>) -> bool {
    text.len() >= HEAD
        // The chunk was validated just now: `detect` would validate it again.
        && container::detect_utf8(source, text) == ContainerKind::Text
        && text.trim_start().as_bytes().first() != Some(&b'[')
        && !text.starts_with("file,")
        && memchr::memchr(b'\t', text.as_bytes()).is_some()
        && !jixiao_model::hans::looks_traditional(text)
        && (layout.is_some() || !has_indicator_grid(text))
}

/// Calls `each` with the source a chunk at a time, each chunk ending at a line end except the
/// last, the first at least [`HEAD`] bytes long (or the whole source); the byte-order mark of
/// UTF-8 is left out. Stops when `each` returns false.
/// How [`chunks`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunked {
    Done,
    /// `each` said stop.
    Stopped,
    /// A line ran past [`MAX_LINE`] bytes.
    LineTooLong,
}

/// The longest line a streamed file may have: a department list's row is one project, kilobytes
/// long. A longer line (a file of one 100 MB line) is read whole, where the limits answer it.
const MAX_LINE: usize = 16 << 20;

fn chunks<R: Read>(
    input: &mut R,
    size: usize,
    mut each: impl FnMut(&[u8]) -> std::io::Result<bool>,
) -> std::io::Result<Chunked> {
    let mut buffer: Vec<u8> = Vec::with_capacity(size.max(HEAD) * 2);
    let mut first = true;
    loop {
        let filled = buffer.len();
        let size = if first { size.max(2 * HEAD) } else { size };
        // `read_to_end` reads into the spare capacity without zeroing it first, as
        // `resize(…, 0)` did for every chunk.
        buffer.reserve(size);
        let read = read_full(input, &mut buffer, size)?;
        let at_end = read == 0;
        if first {
            first = false;
            if buffer.starts_with(b"\xEF\xBB\xBF") {
                buffer.drain(..3);
            }
        }
        let end = if at_end {
            buffer.len()
        } else {
            // Only what was just read can hold the last line end: the bytes before it had none.
            match memchr::memrchr(b'\n', &buffer[filled..]) {
                Some(i) => filled + i + 1,
                // A line longer than the buffer: read on, up to a bound no department list's
                // line comes near (a project's row); past it the file is not streamed.
                None if buffer.len() > MAX_LINE => return Ok(Chunked::LineTooLong),
                None => continue,
            }
        };
        if end > 0 && !each(&buffer[..end])? {
            return Ok(Chunked::Stopped);
        }
        if at_end {
            return Ok(Chunked::Done);
        }
        buffer.drain(..end);
    }
}

/// Appends up to `size` bytes of `input` to `buffer`, fewer only when the source ends.
fn read_full<R: Read>(input: &mut R, buffer: &mut Vec<u8>, size: usize) -> std::io::Result<usize> {
    let limit = u64::try_from(size).unwrap_or(u64::MAX);
    input.by_ref().take(limit).read_to_end(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_bytes_with_limits;

    /// Every seed and sample, repeated past the run-together size: what streams is read exactly
    /// as the whole text is, in chunks of the usual size and in chunks smaller than a line.
    #[test]
    fn streamed_documents_and_problems_are_the_whole_reading() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
        let mut sources = Vec::new();
        for dir in ["seeds", "samples"] {
            let Ok(entries) = std::fs::read_dir(format!("{shared}/{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "txt") {
                    sources.push(path);
                }
            }
        }
        sources.sort();
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        sources.push(format!("{examples}/guangzhou-huadu-rsj.txt").into());
        sources.push(format!("{examples}/guangzhou-yuexiu-rsj.txt").into());
        let profile = Profile::builtin();
        let limits = Limits::default();
        let mut streamed = 0;
        for path in &sources {
            let text = std::fs::read(path).expect("readable");
            let mut bytes = Vec::new();
            while (bytes.len() as u64) < RUN_TOGETHER_BELOW + (64 << 10) {
                bytes.extend_from_slice(&text);
                bytes.extend_from_slice(b"\n\n");
            }
            // A BOM, and a last row cut short without a line end.
            let mut cut = bytes.len() - 3 - text.len() / 3;
            while cut > 0 && std::str::from_utf8(&bytes[..cut]).is_err() {
                cut -= 1;
            }
            let mut with_bom = b"\xEF\xBB\xBF".to_vec();
            with_bom.extend_from_slice(&bytes[..cut]);
            for bytes in [&bytes, &with_bom] {
                let name = "repeated.txt";
                let mut whole = None;
                for chunk in [CHUNK, 700] {
                    let mut documents = Vec::new();
                    let result = parse_streaming_in(
                        name,
                        &mut std::io::Cursor::new(bytes),
                        &profile,
                        None,
                        &limits,
                        &mut |d| {
                            documents.push(d);
                            Ok(())
                        },
                        0,
                        chunk,
                    )
                    .expect("streams");
                    let Some(result) = result else {
                        assert!(documents.is_empty(), "{}", path.display());
                        continue;
                    };
                    streamed += 1;
                    let whole = whole.get_or_insert_with(|| {
                        parse_bytes_with_limits(name, bytes, &profile, None, &limits)
                            .expect("parses")
                    });
                    assert_eq!(result.documents, documents.len());
                    assert!(
                        documents == whole.documents,
                        "{}: chunk {chunk}: documents differ",
                        path.display()
                    );
                    assert_eq!(result.problems, whole.problems, "{}", path.display());
                    assert_eq!(result.encoding, whole.encoding);
                }
            }
        }
        // The seeds and the examples are department lists: they stream.
        assert!(streamed >= 8, "only {streamed} streamed");
    }

    #[test]
    fn what_is_not_a_department_list_is_left_to_the_whole_reading() {
        let profile = Profile::builtin();
        let limits = Limits::default();
        let sheet = "项目名称\t某项目\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t≥100人次\n"
            .repeat(30_000);
        let gbk = encoding_rs::GBK
            .encode(&"部门名称：测试局\n项目名称（资金使用单位）\t总计\n".repeat(60_000))
            .0
            .into_owned();
        for (name, bytes) in [
            ("sheet.txt", sheet.into_bytes()),
            ("gbk.txt", gbk),
            ("list.xlsx", vec![b'a'; 2 << 20]),
        ] {
            let result = parse_streaming_in(
                name,
                &mut std::io::Cursor::new(&bytes),
                &profile,
                None,
                &limits,
                &mut |_| panic!("nothing streams"),
                0,
                CHUNK,
            )
            .expect("no error");
            assert!(result.is_none(), "{name}");
        }
    }
}
