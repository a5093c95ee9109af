//! `jixiao parse`: read tables and print them as JSON, CSV or a summary.

use std::io::Write as _;
use std::process::ExitCode;

use jixiao_model::{Document, Profile};

use super::schema::FileError;
use crate::args::{ParseArgs, ParseFormat};

/// The CSV columns, in order (documented in the README); the parser reads the same back.
pub const CSV_HEADER: &[&str] = jixiao_parse::INDICATOR_CSV_COLUMNS;

pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let profile = Profile::builtin();
    let limits = super::limits(None, &args.limits)?;
    let mut problems = Vec::new();
    let mut errors = Vec::new();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Documents, CSV rows and summary lines are written file by file and the documents dropped,
    // so a province's tables fit in memory; only the (few) problems and errors wait for the end.
    let mut json = match args.format {
        ParseFormat::Json => Some(JsonOutput::begin(&mut out)?),
        ParseFormat::Csv | ParseFormat::Summary => None,
    };
    let mut csv = match args.format {
        ParseFormat::Csv => {
            if args.bom {
                out.write_all(b"\xEF\xBB\xBF")?;
            }
            let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(stdout.lock()));
            writer.write_record(CSV_HEADER)?;
            Some(writer)
        }
        ParseFormat::Json | ParseFormat::Summary => None,
    };
    out.flush()?;
    for path in &args.files {
        let file = path.display().to_string();
        // A failed write (a closed pipe) is the output's error, not this file's: it ends the run.
        let mut write_failed: Option<std::io::ErrorKind> = None;
        // Documents go out as they are read: a large department list is never whole in memory.
        let mut write = |document: Document, encoding: &str| -> std::io::Result<()> {
            match args.format {
                ParseFormat::Json => {
                    if let Some(json) = &mut json {
                        json.document(&mut out, &document)?;
                    }
                }
                ParseFormat::Csv => {
                    if let Some(writer) = &mut csv {
                        jixiao_export::write_indicator_csv_rows(
                            writer,
                            std::slice::from_ref(&document),
                        )
                        // The I/O error itself (a closed pipe ends quietly), else the CSV one.
                        .map_err(|e| match e.into_kind() {
                            csv::ErrorKind::Io(io) => io,
                            other => std::io::Error::other(format!("{other:?}")),
                        })?;
                    }
                }
                ParseFormat::Summary => {
                    writeln!(out, "{}", summary_line(&file, &document, encoding))?;
                }
            }
            Ok(())
        };
        let mut each = |document: Document, encoding: &str| {
            write(document, encoding).inspect_err(|error| write_failed = Some(error.kind()))
        };
        match super::read_file_each(
            path,
            &profile,
            args.layout.map(Into::into),
            &limits,
            &mut each,
        ) {
            Ok((file_problems, _)) => {
                if !args.quiet {
                    super::print_problems(&file_problems);
                }
                match args.format {
                    ParseFormat::Json => problems.extend(file_problems),
                    ParseFormat::Csv => {}
                    ParseFormat::Summary => {
                        let count = file_problems.iter().filter(|p| !p.kind.is_note()).count();
                        writeln!(out, "{file}：读取问题 {count} 个")?;
                    }
                }
            }
            Err(_) if let Some(kind) = write_failed => {
                return Err(std::io::Error::from(kind).into());
            }
            Err(error) => {
                eprintln!("错误：{error:#}");
                errors.push(FileError {
                    file: path.display().to_string(),
                    message: format!("{error:#}"),
                });
            }
        }
    }
    if let Some(mut writer) = csv {
        writer.flush()?;
    }
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

    fn document(
        &mut self,
        out: &mut impl std::io::Write,
        document: &Document,
    ) -> std::io::Result<()> {
        out.write_all(if self.documents == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        write_indented(out, document, b"    ")?;
        self.documents += 1;
        Ok(())
    }

    fn finish(
        self,
        out: &mut impl std::io::Write,
        problems: &[jixiao_model::Problem],
        errors: &[FileError],
    ) -> anyhow::Result<()> {
        out.write_all(if self.documents == 0 { b"]" } else { b"\n  ]" })?;
        out.write_all(b",\n  \"problems\": ")?;
        write_indented(out, &problems, b"  ")?;
        out.write_all(b",\n  \"errors\": ")?;
        write_indented(out, &errors, b"  ")?;
        out.write_all(b"\n}\n")?;
        Ok(())
    }
}

/// `value` pretty-printed with `indent` after every line break, as it appears nested in a larger
/// pretty-printed value (strings escape their line breaks, so every one is structure).
// Serialized into memory first: serde_json writing through an indenting writer made many small
// writes and took twice the CPU time on a department list.
fn write_indented(
    out: &mut impl std::io::Write,
    value: &impl serde::Serialize,
    indent: &[u8],
) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(value)?;
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n")?;
        out.write_all(indent)?;
        out.write_all(line)?;
    }
    Ok(())
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
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    jixiao_export::write_indicator_csv_rows(&mut writer, documents)?;
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
            json.document(&mut out, document).expect("writes");
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
