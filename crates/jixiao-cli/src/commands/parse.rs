//! `jixiao parse`: read tables and print them as JSON, CSV or a summary.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use jixiao_model::{Document, Layout, Problem, Profile};
use jixiao_parse::Limits;

use super::Batch;
use super::schema::FileError;
use crate::args::{ParseArgs, ParseFormat};

pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let profile = Profile::builtin();
    let limits = super::limits(None, &args.limits)?;
    let layout: Option<Layout> = args.layout.map(Into::into);
    let stdout = std::io::stdout();
    let mut output = Output {
        format: args.format,
        quiet: args.quiet,
        // Small documents are gathered; one at least this large (a department list's) goes
        // straight to standard output rather than being copied into the buffer first.
        out: std::io::BufWriter::with_capacity(OUT_BUFFER, stdout.lock()),
        json: None,
        problems: Vec::new(),
        errors: Vec::new(),
    };
    // Documents, CSV rows and summary lines are written file by file and the documents dropped,
    // so a province's tables fit in memory; only the (few) problems and errors wait for the end.
    match args.format {
        ParseFormat::Json => output.json = Some(JsonOutput::begin(&mut output.out)?),
        ParseFormat::Csv => {
            if args.bom {
                output.out.write_all(b"\xEF\xBB\xBF")?;
            }
            let mut header = Vec::new();
            jixiao_export::push_indicator_csv_header(&mut header);
            output.out.write_all(&header)?;
        }
        ParseFormat::Summary | ParseFormat::Jsonl => {}
    }
    let jobs = args.jobs.map_or_else(super::cores, |n| n.max(1));
    // Small files are read and rendered a file per core, written in order; a large one (a
    // province's department list) is streamed on this thread a document at a time.
    for batch in super::batches(&args.files) {
        match batch {
            Batch::Small(small) => {
                let mut failed = None;
                super::in_file_order(
                    small,
                    jobs,
                    |path| read_and_render(path, args.format, &profile, layout, &limits),
                    |path, read| {
                        if failed.is_none() {
                            failed = output.file(path, read).err();
                        }
                    },
                );
                if let Some(error) = failed {
                    return Err(error.into());
                }
            }
            Batch::Large(path) => output.streamed(path, &profile, layout, &limits)?,
        }
    }
    let Output {
        mut out,
        json,
        problems,
        errors,
        ..
    } = output;
    let failed = !errors.is_empty();
    if let Some(json) = json {
        json.finish(&mut out, &problems, &errors)?;
    }
    out.flush()?;
    Ok(if !failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The capacity of the output's buffer. A streamed file's documents are rendered into a buffer of
/// their own and written when it holds at least this much, which goes past the output's buffer
/// rather than through it.
const OUT_BUFFER: usize = 64 << 10;

/// Where the documents go, and the problems and errors that wait for the end of the output.
struct Output<W: std::io::Write> {
    format: ParseFormat,
    quiet: bool,
    out: W,
    json: Option<JsonOutput>,
    problems: Vec<Problem>,
    errors: Vec<FileError>,
}

/// One file read and rendered: each document's output, or why the file could not be read.
type Read = anyhow::Result<Rendered>;

struct Rendered {
    /// Each document's output as [`render`] writes it.
    documents: Vec<Vec<u8>>,
    problems: Vec<Problem>,
}

impl<W: std::io::Write> Output<W> {
    /// Writes a document rendered by [`render`].
    fn document(&mut self, rendered: &[u8]) -> std::io::Result<()> {
        if let Some(json) = &mut self.json {
            json.separator(&mut self.out)?;
        }
        self.out.write_all(rendered)
    }

    /// Writes a file read whole: its documents, then what is said after them.
    fn file(&mut self, path: &Path, read: Read) -> std::io::Result<()> {
        match read {
            Ok(rendered) => {
                for document in &rendered.documents {
                    self.document(document)?;
                }
                self.after(path, rendered.problems)
            }
            Err(error) => {
                self.error(path, &error);
                Ok(())
            }
        }
    }

    /// A file's problems: on standard error, and in the JSON or after the summary lines.
    fn after(&mut self, path: &Path, problems: Vec<Problem>) -> std::io::Result<()> {
        if !self.quiet {
            super::print_problems(&problems);
        }
        match self.format {
            ParseFormat::Json => self.problems.extend(problems),
            ParseFormat::Csv | ParseFormat::Jsonl => {}
            ParseFormat::Summary => {
                let count = problems.iter().filter(|p| !p.kind.is_note()).count();
                writeln!(self.out, "{}：读取问题 {count} 个", path.display())?;
            }
        }
        Ok(())
    }

    fn error(&mut self, path: &Path, error: &anyhow::Error) {
        eprintln!("错误：{error:#}");
        self.errors.push(FileError {
            file: path.display().to_string(),
            message: format!("{error:#}"),
        });
    }

    /// Reads a large file on this thread, writing each document as it is read: a department list
    /// is never whole in memory.
    fn streamed(
        &mut self,
        path: &Path,
        profile: &Profile,
        layout: Option<Layout>,
        limits: &Limits,
    ) -> anyhow::Result<()> {
        let file = path.display().to_string();
        // A failed write (a closed pipe) is the output's error, not this file's: it ends the run.
        let mut write_failed: Option<std::io::ErrorKind> = None;
        // Documents (and the JSON separators before them) gather here, not in the output's
        // buffer: each was copied into it, a department list's output once more.
        let mut buffer = Vec::new();
        let mut each = |document: Document, encoding: &str| {
            if let Some(json) = &mut self.json {
                json.separator(&mut buffer)?;
            }
            render(self.format, &file, &document, encoding, &mut buffer)?;
            if buffer.len() < OUT_BUFFER {
                return Ok(());
            }
            let written = self.out.write_all(&buffer);
            buffer.clear();
            written.inspect_err(|error| write_failed = Some(error.kind()))
        };
        let read = super::read_file_each(path, profile, layout, limits, &mut each);
        if write_failed.is_none()
            && let Err(error) = self.out.write_all(&buffer)
        {
            write_failed = Some(error.kind());
        }
        match read {
            _ if let Some(kind) = write_failed => {
                return Err(std::io::Error::from(kind).into());
            }
            Ok((problems, _)) => self.after(path, problems)?,
            Err(error) => self.error(path, &error),
        }
        Ok(())
    }
}

/// One document's output: its CSV rows, its JSON as an element of the output's `documents`, its
/// JSON line, or its summary line.
fn render(
    format: ParseFormat,
    file: &str,
    document: &Document,
    encoding: &str,
    buffer: &mut Vec<u8>,
) -> std::io::Result<()> {
    match format {
        ParseFormat::Csv => {
            jixiao_export::push_indicator_csv_rows(buffer, std::slice::from_ref(document));
        }
        // Written by hand, byte for byte as `serde_json` writes the model (a third of the time).
        ParseFormat::Json => jixiao_export::push_document_json(buffer, document, 2),
        ParseFormat::Jsonl => {
            jixiao_export::push_document_json_compact(buffer, document);
            buffer.push(b'\n');
        }
        ParseFormat::Summary => writeln!(buffer, "{}", summary_line(file, document, encoding))?,
    }
    Ok(())
}

/// One file read whole and each of its documents rendered.
fn read_and_render(
    path: &Path,
    format: ParseFormat,
    profile: &Profile,
    layout: Option<Layout>,
    limits: &Limits,
) -> Read {
    let parsed = super::read_file_as(path, profile, layout, limits)?;
    let file = path.display().to_string();
    let mut documents = Vec::with_capacity(parsed.documents.len());
    for document in &parsed.documents {
        let mut buffer = Vec::new();
        render(format, &file, document, parsed.encoding, &mut buffer)?;
        documents.push(buffer);
    }
    Ok(Rendered {
        documents,
        problems: parsed.problems,
    })
}

/// Writes a [`ParseOutput`](super::schema::ParseOutput) byte for byte as
/// `serde_json::to_writer_pretty` does, one document at a time instead of holding them all.
#[derive(Debug)]
struct JsonOutput {
    documents: usize,
}

impl JsonOutput {
    fn begin(out: &mut impl std::io::Write) -> std::io::Result<Self> {
        out.write_all(b"{\n  \"documents\": [")?;
        Ok(Self { documents: 0 })
    }

    /// What comes before the next document.
    fn separator(&mut self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.documents == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.documents += 1;
        Ok(())
    }

    fn finish(
        self,
        out: &mut impl std::io::Write,
        problems: &[Problem],
        errors: &[FileError],
    ) -> anyhow::Result<()> {
        out.write_all(if self.documents == 0 { b"]" } else { b"\n  ]" })?;
        out.write_all(b",\n  \"problems\": ")?;
        jixiao_rules::render::write_pretty(out, &problems, 1)?;
        out.write_all(b",\n  \"errors\": ")?;
        jixiao_rules::render::write_pretty(out, &errors, 1)?;
        out.write_all(b"\n}\n")?;
        Ok(())
    }
}

/// The summary line of one document read from `file`.
fn summary_line(file: &str, document: &Document, encoding: &str) -> String {
    let department = document
        .department
        .as_ref()
        .map_or("（未注明部门）", |d| d.text.as_str());
    let units = document.units.iter().filter(|u| !u.implicit).count();
    let units = if units == 0 {
        String::new()
    } else {
        format!("{units} 个单位，")
    };
    let projects = document.projects().count();
    let indicators = document.indicator_count();
    let total = document
        .grand_total
        .as_ref()
        .and_then(|t| t.amounts.total.as_ref())
        .map(|a| format!("，合计 {}", a.raw))
        .unwrap_or_default();
    let unit = document
        .amount_unit
        .as_ref()
        .map_or("", |u| u.text.as_str());
    format!(
        "{file}：{department}，{}，{units}{projects} 个项目，{indicators} 个指标{total}{}{}",
        document.layout.label(),
        if total.is_empty() { "" } else { unit },
        if encoding.is_empty() {
            String::new()
        } else {
            format!("（编码 {encoding}）")
        }
    )
}

pub(super) fn write_csv(out: impl std::io::Write, documents: &[Document]) -> anyhow::Result<()> {
    let mut writer = jixiao_export::IndicatorCsvWriter::new(out);
    writer.write_documents(documents)?;
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::schema::ParseOutput;
    use super::*;

    fn streamed(output: &ParseOutput) -> String {
        let mut out = Vec::new();
        let mut json = JsonOutput::begin(&mut out).expect("writes");
        for document in &output.documents {
            json.separator(&mut out).expect("writes");
            render(ParseFormat::Json, "", document, "", &mut out).expect("writes");
        }
        json.finish(&mut out, &output.problems, &output.errors)
            .expect("writes");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn streamed_json_is_what_serde_writes_for_the_whole_output() {
        let profile = Profile::builtin();
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        let mut output = ParseOutput {
            documents: Vec::new(),
            problems: Vec::new(),
            errors: Vec::new(),
        };
        // A table whose last row was cut off in the middle: read, with problems.
        let yuexiu = std::fs::read_to_string(format!("{examples}/guangzhou-yuexiu-rsj.txt"))
            .expect("example");
        let cut = yuexiu.trim_end().len() - 40;
        let cut = (0..=cut)
            .rev()
            .find(|&i| yuexiu.is_char_boundary(i))
            .unwrap_or(0);
        let broken = yuexiu[..cut].to_owned();
        for (name, text) in [
            ("guangzhou-huadu-rsj.txt", None),
            ("broken.txt", Some(broken)),
        ] {
            let bytes = text.map_or_else(
                || std::fs::read(format!("{examples}/{name}")).expect("example"),
                String::into_bytes,
            );
            let parsed = jixiao_parse::parse_bytes(name, &bytes, &profile).expect("parses");
            output.documents.extend(parsed.documents);
            output.problems.extend(parsed.problems);
        }
        assert!(!output.problems.is_empty());
        output.errors.push(FileError {
            file: "缺失.txt".into(),
            message: "无法打开文件\n（第二行）".into(),
        });
        let whole = serde_json::to_string_pretty(&output).expect("serializes") + "\n";
        assert_eq!(streamed(&output), whole);

        let empty = ParseOutput {
            documents: Vec::new(),
            problems: Vec::new(),
            errors: Vec::new(),
        };
        let whole = serde_json::to_string_pretty(&empty).expect("serializes") + "\n";
        assert_eq!(streamed(&empty), whole);
    }
}
