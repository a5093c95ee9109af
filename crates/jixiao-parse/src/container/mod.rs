//! Containers: bytes in, [`Grid`]s out, whatever the file format.
//!
//! A container knows how a file stores a table (ZIP parts, HTML elements, delimiters) and nothing
//! about 绩效目标表; layout recognisers read the grids. Every container keeps a cell's place in
//! the source in its span so findings can point at it.
//!
//! Lattice positions (`GridCell::row`/`col`) are 0-based and start at the grid's first used
//! row and column; `Span::cell` holds the position a user sees in the source (1-based sheet row
//! and column, or table row and column), which can differ from the lattice (an XLSX table that
//! starts at C5, or a DOCX table with its title paragraphs put above it).

mod biff;
mod csv;
mod docx;
mod html;
mod numfmt;
mod pdf;

pub use pdf::grids_from_layout as pdf_grids_from_layout;
mod text;
mod xlsx;
mod zipscan;

use std::borrow::Cow;
use std::fmt;
use std::io::Cursor;
use std::sync::Arc;

use jixiao_model::Grid;

use crate::ReadError;
use crate::limits::{Limit, Limits};

pub use pdf::{PDFTOTEXT_ENV, pdf_tool_available};
pub(crate) use text::{LimitCounter, check_limits as check_text};

/// The kind of file a source is, as far as reading tables goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    /// Pasted or extracted text: tab- or `|`-separated, or one cell per line.
    Text,
    Csv,
    Xlsx,
    /// Excel 97-2003 (and anything else in an OLE compound file, which reading sorts out).
    Xls,
    Html,
    Docx,
    /// PDF, read through Poppler's `pdftotext`.
    Pdf,
}

impl ContainerKind {
    /// The name users know the kind by.
    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "文本",
            Self::Csv => "CSV 文件",
            Self::Xlsx => "Excel 工作簿（XLSX）",
            Self::Xls => "Excel 97-2003 工作簿（XLS）",
            Self::Html => "网页（HTML）",
            Self::Docx => "Word 文档（DOCX）",
            Self::Pdf => "PDF 文件",
        }
    }
}

impl fmt::Display for ContainerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A source whose tables could not be read at all. Each message names the file and says what the
/// user can do; the `reason` fields keep the library's own words for logs, not for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContainerError {
    #[error("{file}：文件为空，没有可读取的内容。请确认选择了正确的文件。")]
    Empty { file: String },
    #[error(
        "{file}：无法识别的二进制文件，不是可读取的表格。请上传 XLSX、XLS、DOCX、HTML、CSV 或文本文件。"
    )]
    Binary { file: String },
    #[error(
        "{file}：无法识别文件编码（既不是 UTF-8、UTF-16 也不是 GBK）。请另存为 UTF-8 编码后再读取。"
    )]
    Encoding { file: String },
    #[error(
        "{file}：文件已损坏（ZIP 压缩结构无法读取），可能下载或复制不完整。请重新获取文件，或用 Excel/Word 打开后另存一份再读取。"
    )]
    CorruptZip { file: String, reason: String },
    #[error(
        "{file}：Excel 工作簿内容损坏，无法读取工作表。请用 Excel 或 WPS 打开后另存为 XLSX 再读取。"
    )]
    CorruptWorkbook { file: String, reason: String },
    #[error("{file}：Word 文档内容损坏，无法读取表格。请用 Word 或 WPS 打开后另存为 DOCX 再读取。")]
    CorruptDocument { file: String, reason: String },
    #[error(
        "{file}：文件设有密码保护（已加密），无法读取。请在 Excel 或 Word 中取消打开密码后另存一份再读取。"
    )]
    Encrypted { file: String },
    #[error(
        "{file}：这是旧版 Word 文档（.doc），无法直接读取。请用 Word 或 WPS 打开后“另存为”DOCX 格式再读取。"
    )]
    LegacyWord { file: String },
    #[error(
        "{file}：这是 {format} 文件，暂不能直接读取其中的表格。请另存为 XLSX、DOCX 或 CSV 后再读取。"
    )]
    Unsupported { file: String, format: &'static str },
    #[error(
        "{file}：读取 PDF 需要 Poppler 的 pdftotext 工具，但本机没有安装。请安装后重试：sudo apt-get install poppler-utils poppler-data（Debian/Ubuntu），或用 WPS/Acrobat 把表格另存为 XLSX 后再读取。"
    )]
    PdfToolMissing { file: String },
    #[error("{file}：调用 pdftotext 读取 PDF 失败，请确认 poppler-utils 安装完整后重试。")]
    PdfTool { file: String, reason: String },
    #[error(
        "{file}：读取 PDF 超时（超过 {seconds} 秒），文件可能过大或已损坏。请拆分文件或另存为 XLSX 后再读取。"
    )]
    PdfTimeout { file: String, seconds: u64 },
    #[error(
        "{file}：PDF 文件已损坏，无法读取，可能下载或复制不完整。请重新获取文件，或用 PDF 阅读器打开后另存一份再读取。"
    )]
    CorruptPdf { file: String, reason: String },
    #[error(
        "{file}：PDF 中没有文字，可能是扫描件（图片）。请先用 OCR 识别为文字，或向发布单位索取 Excel/Word 原件。"
    )]
    PdfWithoutText { file: String },
    #[error("{file}：压缩包里没有 Excel 工作表或 Word 文档。请上传 XLSX、DOCX、CSV 或 HTML 文件。")]
    NotOffice { file: String },
    #[error(
        "{file}：{kind}中没有找到表格（所有工作表或表格都是空的）。请确认文件内容是绩效目标表。"
    )]
    NoTable { file: String, kind: ContainerKind },
    #[error(
        "{file}：{place}{what}超过上限 {shown}，为防止异常文件耗尽内存或时间，已停止读取。如确需读取，请用命令行参数 {flag} 调高上限（如 {flag} {example}），或在 jixiao.toml 的 [limits] 中设置 {key}。",
        what = limit.label(),
        shown = limit.show(*value),
        flag = limit.flag(),
        example = limit.show(value.saturating_mul(4)),
        key = limit.key()
    )]
    Limit {
        file: String,
        limit: Limit,
        /// The limit in force.
        value: u64,
        /// Where in the file it was passed (`第 3 行：`, `xl/sharedStrings.xml：`), or empty.
        place: String,
    },
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// An empty ZIP archive is only its end-of-central-directory record.
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Tells what kind of file `bytes` is: by content first (ZIP parts, OLE signature, HTML tags),
/// then by the extension of `source`. Content wins because published "Excel" downloads are often
/// HTML or tab-separated text with an `.xls` name.
pub fn detect(source: &str, bytes: &[u8]) -> ContainerKind {
    detect_text(source, bytes).0
}

/// [`detect`], with what decoding the bytes as text gave when it was tried (not for ZIP, OLE
/// and PDF files): the text readers take it rather than decoding every file twice.
pub(crate) fn detect_text<'a>(
    source: &str,
    bytes: &'a [u8],
) -> (
    ContainerKind,
    Option<Result<crate::text::Decoded<'a>, ReadError>>,
) {
    detect_decoded(source, bytes, || crate::text::decode(source, bytes))
}

/// [`detect`] of `text`, already known to be UTF-8: the same kind, without validating the
/// bytes a second time (the streamed list's first chunk).
pub(crate) fn detect_utf8(source: &str, text: &str) -> ContainerKind {
    detect_decoded(source, text.as_bytes(), || {
        crate::text::decode_utf8(source, text)
    })
    .0
}

/// [`detect_text`], with `decode` decoding `bytes` when the content is not a ZIP, OLE or PDF
/// file.
fn detect_decoded<'a>(
    source: &str,
    bytes: &[u8],
    decode: impl FnOnce() -> Result<crate::text::Decoded<'a>, ReadError>,
) -> (
    ContainerKind,
    Option<Result<crate::text::Decoded<'a>, ReadError>>,
) {
    let ext = extension(source);
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        let kind = match zip_flavour(bytes) {
            Some(kind) => kind,
            None if ext == "docx" => ContainerKind::Docx,
            None => ContainerKind::Xlsx,
        };
        return (kind, None);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return (ContainerKind::Xls, None);
    }
    if is_pdf(bytes) {
        return (ContainerKind::Pdf, None);
    }
    let decoded = decode();
    let Ok(text) = &decoded else {
        let kind = match ext.as_str() {
            "xlsx" => ContainerKind::Xlsx,
            "xls" => ContainerKind::Xls,
            "docx" => ContainerKind::Docx,
            "pdf" => ContainerKind::Pdf,
            "htm" | "html" => ContainerKind::Html,
            "csv" | "tsv" => ContainerKind::Csv,
            _ => ContainerKind::Text,
        };
        return (kind, Some(decoded));
    };
    let kind = if looks_like_html(&text.text) || matches!(ext.as_str(), "htm" | "html") {
        ContainerKind::Html
    } else if matches!(ext.as_str(), "csv" | "tsv")
        || (ext != "txt" && csv::looks_like_csv(&text.text))
    {
        ContainerKind::Csv
    } else {
        ContainerKind::Text
    };
    (kind, Some(decoded))
}

/// Reads every table in `bytes`, which came from `source` (a file name used in spans and
/// messages), under the default [`Limits`]. Never panics; a file that holds no readable table is
/// an error saying why.
pub fn read_grids(source: &str, bytes: &[u8]) -> Result<Vec<Grid>, ContainerError> {
    read_grids_with_limits(source, bytes, &Limits::default())
}

/// [`read_grids`] under `limits`, which every container checks while it reads.
pub fn read_grids_with_limits(
    source: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let file: Arc<str> = Arc::from(source);
    limits.check(Limit::FileSize, bytes.len() as u64, source, String::new)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ContainerError::Empty {
            file: source.to_owned(),
        });
    }
    if let Some(format) = unsupported_format(bytes) {
        return Err(ContainerError::Unsupported {
            file: source.to_owned(),
            format,
        });
    }
    let kind = detect(source, bytes);
    let grids = match kind {
        ContainerKind::Xlsx | ContainerKind::Docx
            if !bytes.starts_with(ZIP_MAGIC) && !bytes.starts_with(EMPTY_ZIP_MAGIC) =>
        {
            return Err(zip_error(source, "not a ZIP archive".to_owned()));
        }
        ContainerKind::Xlsx => {
            check_office_zip(source, bytes)?;
            zipscan::check(source, bytes, limits)?;
            xlsx::read_xlsx(&file, bytes, limits)?
        }
        ContainerKind::Docx => {
            check_office_zip(source, bytes)?;
            zipscan::check(source, bytes, limits)?;
            docx::read(&file, bytes, limits)?
        }
        ContainerKind::Xls => {
            check_ole(source, bytes)?;
            biff::check(source, bytes, limits)?;
            xlsx::read_xls(&file, bytes, limits)?
        }
        ContainerKind::Html => html::read(&file, bytes, limits)?,
        ContainerKind::Pdf => pdf::read(&file, bytes, limits)?,
        ContainerKind::Csv => {
            let decoded = decode(source, bytes)?;
            csv::read(
                &file,
                &decoded.text,
                decoded.encoding,
                &extension(source),
                limits,
            )?
        }
        ContainerKind::Text => {
            let decoded = decode(source, bytes)?;
            text::check_limits(source, &decoded.text, None, limits)?;
            text::read(&file, &decoded.text, decoded.encoding)
        }
    };
    if grids.is_empty() {
        return Err(ContainerError::NoTable {
            file: source.to_owned(),
            kind,
        });
    }
    Ok(grids)
}

/// Text after decoding, with the encoding's name for `Grid::encoding`.
#[derive(Debug)]
struct Text<'a> {
    text: Cow<'a, str>,
    encoding: &'static str,
}

/// Decodes text the way the department-list reader does (UTF-8, BOM, GBK, and UTF-16 with a
/// BOM, which is what Excel's "Unicode 文本" export writes).
fn decode<'a>(source: &str, bytes: &'a [u8]) -> Result<Text<'a>, ContainerError> {
    match crate::text::decode(source, bytes) {
        Ok(decoded) => Ok(Text {
            text: decoded.text,
            encoding: decoded.encoding,
        }),
        Err(ReadError::Empty { file }) => Err(ContainerError::Empty { file }),
        Err(ReadError::UnknownEncoding { file }) => Err(ContainerError::Encoding { file }),
        // `decode` refuses only empty, binary and undecodable input; `NoTable` comes from the
        // layout readers, so any other error means "not text".
        Err(ReadError::Binary { file } | ReadError::NoTable { file, .. }) => {
            Err(ContainerError::Binary { file })
        }
        Err(ReadError::Container(error)) => Err(error),
    }
}

/// The lowercase extension of a file name, without the dot.
fn extension(source: &str) -> String {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Formats whose tables we cannot read, named so the message tells the user what they have.
fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"{\\rtf") {
        Some("RTF")
    } else {
        None
    }
}

/// PDF files start with `%PDF-`; the standard lets readers accept it anywhere in the first
/// kilobyte (some servers prepend junk).
fn is_pdf(bytes: &[u8]) -> bool {
    memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some()
}

/// HTML pages start with markup and name `html` or `table` early; a text table that merely
/// mentions a tag further in is not HTML.
fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if !start.starts_with('<') {
        return false;
    }
    let head: String = start.chars().take(1024).collect::<String>().to_lowercase();
    ["<html", "<!doctype html", "<table"]
        .iter()
        .any(|marker| head.contains(marker))
}

/// An Office Open XML package keeps its parts under `xl/` (workbooks) or `word/` (documents).
fn zip_flavour(bytes: &[u8]) -> Option<ContainerKind> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut kind = None;
    for name in archive.file_names().filter_map(Result::ok) {
        if name.starts_with("xl/") {
            return Some(ContainerKind::Xlsx);
        }
        if name.starts_with("word/") {
            kind = Some(ContainerKind::Docx);
        }
    }
    kind
}

/// Refuses archives that open but are not workbooks or documents (ODS, a zipped folder), and
/// archives that do not open at all.
fn check_office_zip(source: &str, bytes: &[u8]) -> Result<(), ContainerError> {
    let archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(source, e.to_string()))?;
    let has = |wanted: &str| {
        archive
            .file_names()
            .filter_map(Result::ok)
            .any(|name| name == wanted)
    };
    if has("mimetype") && has("content.xml") {
        return Err(ContainerError::Unsupported {
            file: source.to_owned(),
            format: "OpenDocument（ODS/ODT）",
        });
    }
    if zip_flavour(bytes).is_none() {
        return Err(ContainerError::NotOffice {
            file: source.to_owned(),
        });
    }
    Ok(())
}

/// An OLE compound file is an XLS workbook, an old Word document, or an encrypted Office Open
/// XML file; the stream names (UTF-16 in the directory) tell them apart.
fn check_ole(source: &str, bytes: &[u8]) -> Result<(), ContainerError> {
    if contains_utf16(bytes, "EncryptedPackage") {
        return Err(ContainerError::Encrypted {
            file: source.to_owned(),
        });
    }
    if contains_utf16(bytes, "WordDocument") {
        return Err(ContainerError::LegacyWord {
            file: source.to_owned(),
        });
    }
    Ok(())
}

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(bytes, &needle).is_some()
}

fn zip_error(source: &str, reason: String) -> ContainerError {
    ContainerError::CorruptZip {
        file: source.to_owned(),
        reason,
    }
}

/// Text as a cell shows it: whitespace runs (including full-width and no-break spaces) become one
/// space, each line is trimmed, and empty lines are dropped.
fn clean_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let mut words = line.split(char::is_whitespace).filter(|w| !w.is_empty());
        let Some(first) = words.next() else { continue };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_ignores_folders_and_dotfiles() {
        assert_eq!(extension("a/b.c/表.XLSX"), "xlsx");
        assert_eq!(extension(".csv"), "");
        assert_eq!(extension("表"), "");
    }

    #[test]
    fn detect_utf8_agrees_with_detect() {
        let texts = [
            "",
            " \n\t ",
            "\u{FEFF}",
            "\u{FEFF}\u{FEFF}<html><table>",
            "<!DOCTYPE html><html>",
            "  <table><tr><td>项目</td></tr>",
            "项目名称\t总计\n",
            "a,b,c\n1,2,3\n",
            "%PDF-1.7 项目",
            "PK\u{3}\u{4}",
            "项目\u{0}名称\t总计",
            "<html>\u{0}",
        ];
        for text in texts {
            for source in ["t.txt", "t.TXT", "t.csv", "t.html", "t.xls", "t"] {
                assert_eq!(
                    detect_utf8(source, text),
                    detect(source, text.as_bytes()),
                    "{source} {text:?}"
                );
            }
        }
    }

    #[test]
    fn html_is_recognised_only_at_the_start() {
        assert!(looks_like_html("\u{FEFF}  <!DOCTYPE html><html>"));
        assert!(looks_like_html("<meta charset=gbk><TABLE>"));
        assert!(!looks_like_html("项目\t<table>"));
    }

    #[test]
    fn lines_are_cleaned() {
        assert_eq!(
            clean_lines(["  a \u{3000} b ", "", "\u{a0}", " c"]),
            "a b\nc"
        );
    }
}
