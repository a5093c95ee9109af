//! Readers for published 项目支出绩效目标表: bytes in, `Parsed { documents, problems }` out.
//!
//! Readers never panic and never stop at the first bad cell: every problem is returned with a span
//! and a Chinese message. Only input that is not a table at all (empty, binary, undecodable, no
//! recognisable rows) is an error.

mod assemble;
mod catlist;
pub mod container;
mod department_list;
mod flat;
mod indicators;
mod limits;
mod own;
mod render;
mod row;
mod runtogether;
mod sheet;
mod stream;
mod text;
pub mod value;

use std::sync::Arc;

use container::ContainerKind;
use jixiao_model::{Document, Layout, Problem, ProblemKind, Profile, Span};

pub use department_list::parse_amount;
pub use limits::{Limit, LimitValue, Limits};
pub use own::CSV_COLUMNS as INDICATOR_CSV_COLUMNS;
pub use render::{render_department_list, render_project_sheets};
pub use stream::{STREAM_ENCODING, STREAM_FROM, StreamError, Streamed, parse_streaming};
pub use value::parse_value;

/// What a reader found in one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
    /// The text encoding the source was decoded from; empty for spreadsheets, Word and PDF files.
    pub encoding: &'static str,
}

/// Spreadsheets, web pages, Word documents and CSV: every table becomes a grid, and each grid is
/// read by the layout recognisers.
fn parse_grids(
    source: &str,
    bytes: &[u8],
    profile: &Profile,
    layout: Option<Layout>,
    limits: &Limits,
) -> Result<Parsed, ReadError> {
    let mut grids = container::read_grids_with_limits(source, bytes, limits)?;
    let mut problems = Vec::new();
    for grid in &mut grids {
        let sample: String = grid
            .cells
            .iter()
            .take(400)
            .map(|c| c.text.as_str())
            .collect();
        if jixiao_model::hans::looks_traditional(&sample) {
            for cell in &mut grid.cells {
                let text = jixiao_model::hans::without_glosses(&cell.text);
                let text = jixiao_model::hans::to_simplified(&text).into_owned();
                cell.text = text;
            }
            problems.push(Problem {
                kind: ProblemKind::Encoding,
                message: format!(
                    "{}为繁体字：已按简体字读取，位置仍指向原单元格。",
                    grid.name.as_deref().unwrap_or("表格")
                ),
                span: Span::line(source.into(), 1),
            });
        }
    }
    let file: Arc<str> = Arc::from(source);
    let mut documents = Vec::new();
    // Spreadsheets, Word and PDF files have no text encoding to speak of: left empty.
    let mut encoding = "";
    let mut seen = Vec::new();
    for grid in &grids {
        if let Some(e) = grid.encoding.as_deref() {
            encoding = match e {
                "GBK" => "GBK",
                "UTF-16" => "UTF-16",
                _ => "UTF-8",
            };
        }
        let rows = assemble::assemble(flat::grid_rows(grid), profile);
        let mut found = if layout.is_some_and(|l| l != Layout::DepartmentList)
            || (layout.is_none() && sheet::detect(&rows).is_some())
        {
            sheet::read(&file, &rows, encoding, layout, profile, &mut problems)
        } else {
            Vec::new()
        };
        if found.is_empty() && matches!(layout, None | Some(Layout::DepartmentList)) {
            // The department list reader reads lines of tab-separated cells.
            let text = grid.tab_separated();
            let mut grid_problems = Vec::new();
            found = department_list::read(
                source,
                &Arc::new(text),
                encoding,
                profile,
                &mut grid_problems,
            );
            if !found.is_empty() {
                problems.extend(grid_problems);
            }
        }
        if layout.is_none() && found.iter().all(|d| d.indicator_count() == 0) {
            let mut list_problems = Vec::new();
            let listed = catlist::read(&file, &rows, encoding, profile, &mut list_problems);
            if !listed.is_empty() {
                problems.extend(list_problems);
                found = listed;
            }
        }
        found.retain(is_table);
        if found.is_empty() {
            let first: String = grid
                .cells
                .iter()
                .map(|c| c.text.trim())
                .find(|t| !t.is_empty())
                .unwrap_or_default()
                .chars()
                .take(30)
                .collect();
            seen.push(format!(
                "{}（首格“{first}”）",
                grid.name.as_deref().unwrap_or("表格")
            ));
        }
        documents.extend(found);
    }
    documents.retain(is_table);
    if documents.is_empty() {
        return Err(ReadError::NoTable {
            file: source.to_owned(),
            seen: seen.join("；"),
        });
    }
    Ok(Parsed {
        documents,
        problems,
        encoding,
    })
}

/// A source that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{file}：文件为空，没有可读取的内容。请确认选择了正确的文件。")]
    Empty { file: String },
    #[error(
        "{file}：这是二进制文件（如 PDF、图片、压缩包或 Excel 文件），不是文本表格。请导出为文本（制表符分隔）后再读取。"
    )]
    Binary { file: String },
    #[error("{file}：无法识别文件编码（既不是 UTF-8 也不是 GBK）。请另存为 UTF-8 编码后再读取。")]
    UnknownEncoding { file: String },
    #[error(
        "{file}：未找到绩效目标表。jixiao 能读取的版式：部门项目支出绩效目标表（表头为“项目名称（资金使用单位）、总计、财政拨款、财政专户拨款、其他资金、绩效目标、绩效指标”，每项目一行）；项目绩效目标申报表和绩效自评表（含“一级指标、二级指标、三级指标、指标值”表头）。实际看到：{seen}"
    )]
    NoTable { file: String, seen: String },
    #[error(transparent)]
    Container(#[from] container::ContainerError),
}

/// Decodes source bytes the way the readers do (UTF-8 or GBK, BOM removed), replacing what
/// cannot be decoded; for showing source lines next to findings.
pub fn decode_lossy(bytes: &[u8]) -> String {
    match text::decode("", bytes) {
        Ok(decoded) => decoded.text.into_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Reads every table in `bytes`, which came from `source` (a file name used in spans and messages).
pub fn parse_bytes(source: &str, bytes: &[u8], profile: &Profile) -> Result<Parsed, ReadError> {
    parse_bytes_as(source, bytes, profile, None)
}

/// [`parse_bytes`], reading every table as `layout` when one is given (`--layout`) instead of
/// the layout each recogniser detects.
pub fn parse_bytes_as(
    source: &str,
    bytes: &[u8],
    profile: &Profile,
    layout: Option<Layout>,
) -> Result<Parsed, ReadError> {
    parse_bytes_with_limits(source, bytes, profile, layout, &Limits::default())
}

/// [`parse_bytes_as`] under `limits` (`jixiao.toml` `[limits]`, `--max-*`): a source past one
/// is refused with a message naming the limit.
pub fn parse_bytes_with_limits(
    source: &str,
    bytes: &[u8],
    profile: &Profile,
    layout: Option<Layout>,
    limits: &Limits,
) -> Result<Parsed, ReadError> {
    let (kind, decoded) = container::detect_text(source, bytes);
    if matches!(kind, ContainerKind::Text | ContainerKind::Csv)
        && let Some(parsed) = read_own_output(source, bytes)
    {
        return Ok(parsed);
    }
    let tabbed_csv = kind == ContainerKind::Csv && memchr::memchr(b'\t', bytes).is_some();
    if kind != ContainerKind::Text && !tabbed_csv {
        return parse_grids(source, bytes, profile, layout, limits);
    }
    limits.check(Limit::FileSize, bytes.len() as u64, source, String::new)?;
    let decoded = match decoded {
        Some(decoded) => decoded?,
        None => text::decode(source, bytes)?,
    };
    container::check_text(source, &decoded.text, None, limits)?;
    let encoding = decoded.encoding;
    let encoding_notes = || {
        (encoding != "UTF-8")
            .then(|| Problem {
                kind: ProblemKind::Encoding,
                message: format!("文件不是 UTF-8 编码，已按 {encoding} 编码读取。"),
                span: Span::line(source.into(), 1),
            })
            .into_iter()
            .collect::<Vec<_>>()
    };
    let mut problems = encoding_notes();
    let (text, script_note) = simplified_script(source, decoded.text);
    problems.extend(script_note.clone());
    let encoding_notes = || {
        let mut notes = encoding_notes();
        notes.extend(script_note.clone());
        notes
    };
    // One copy of the decoded text; every name and value in the model shares it.
    let shared = Arc::new(text.into_owned());
    let file: Arc<str> = Arc::from(source);
    let read_sheets = |problems: &mut Vec<Problem>| {
        let rows = assemble::assemble(flat::rows(&file, &shared), profile);
        sheet::read(&file, &rows, encoding, layout, profile, problems)
    };
    let read_list = |problems: &mut Vec<Problem>| {
        match pipes_as_tabs(&shared) {
            // `|` and a tab are one byte each: spans stay right.
            Some(tabbed) => {
                department_list::read(source, &Arc::new(tabbed), encoding, profile, problems)
            }
            None => department_list::read(source, &shared, encoding, profile, problems),
        }
    };
    // The reader the text looks made for reads first; when it finds no indicator, the other
    // reads too, and whichever finds more indicators wins (a department-list reader given a cut
    // self-evaluation finds "projects" but no indicators).
    let indicators =
        |documents: &[Document]| -> usize { documents.iter().map(Document::indicator_count).sum() };
    let documents = match layout {
        Some(Layout::DepartmentList) => read_list(&mut problems),
        Some(_) => read_sheets(&mut problems),
        None => {
            let grid_first = has_indicator_grid(&shared);
            let mut first_problems = problems.clone();
            let first = if grid_first {
                read_sheets(&mut first_problems)
            } else {
                read_list(&mut first_problems)
            };
            if indicators(&first) > 0 {
                problems = first_problems;
                first
            } else {
                let mut second_problems = encoding_notes();
                let second = if grid_first {
                    read_list(&mut second_problems)
                } else {
                    read_sheets(&mut second_problems)
                };
                if indicators(&second) > 0 || first.is_empty() {
                    problems = second_problems;
                    second
                } else {
                    problems = first_problems;
                    first
                }
            }
        }
    };
    // The indicators with a value (twice with a 一级), counted only until `enough`: the answers
    // below compare the count with small numbers (looking each name up as a category word was a
    // tenth of reading a corpus of small tables).
    let valued = |documents: &[Document], enough: usize| -> usize {
        let mut count = 0;
        let all = documents
            .iter()
            .flat_map(|d| d.projects())
            .flat_map(|(_, p)| &p.indicators);
        for i in all {
            if count >= enough {
                break;
            }
            let valued = i.annual.as_ref().is_some_and(|v| !v.raw.trim().is_empty())
                // A name that is a category word is a misread row.
                && profile.level1(&i.name.text).is_none()
                && profile.level2(&i.name.text, None).is_none();
            if valued {
                count += 1 + usize::from(i.level1.is_some());
            }
        }
        count
    };
    // Text whose cells ran together (a doc-sharing site, a PDF extraction): its rows are put back
    // from the words it holds, when neither reader found an indicator.
    // Only small inputs with few indicators read: a run-together copy is a page, not a corpus.
    let before = if layout.is_none() && (shared.len() as u64) < stream::RUN_TOGETHER_BELOW {
        valued(&documents, 40)
    } else {
        40
    };
    let mut documents = if before < 40 {
        let mut together_problems = encoding_notes();
        let together = runtogether::rows(&file, &shared, profile)
            .map(|rows| {
                sheet::read(
                    &file,
                    &rows,
                    encoding,
                    None,
                    profile,
                    &mut together_problems,
                )
            })
            .unwrap_or_default();
        if valued(&together, before + 1) > before {
            problems = together_problems;
            together
        } else {
            documents
        }
    } else {
        documents
    };
    // A project list with one target column per category (扶贫 project tables).
    if layout.is_none() && indicators(&documents) == 0 {
        let rows = assemble::assemble(flat::rows(&file, &shared), profile);
        let mut list_problems = encoding_notes();
        let found = catlist::read(&file, &rows, encoding, profile, &mut list_problems);
        if indicators(&found) > 0 {
            problems = list_problems;
            documents = found;
        }
    }
    documents.retain(is_table);
    if documents.is_empty() {
        let seen: String = shared
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect();
        return Err(ReadError::NoTable {
            file: source.to_owned(),
            seen: format!("首行“{seen}”"),
        });
    }
    Ok(Parsed {
        documents,
        problems,
        encoding,
    })
}

/// jixiao's own JSON or indicator CSV, read back to the documents they were written from.
fn read_own_output(source: &str, bytes: &[u8]) -> Option<Parsed> {
    let head = &bytes[..bytes.len().min(4096)];
    let json = matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'[' | b'{')
    );
    let csv = head.starts_with(b"file,department,") || head.starts_with(b"\xEF\xBB\xBFfile,");
    if !json && !csv {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let documents = if json {
        own::read_json(text)?
    } else if own::is_indicator_csv(text) {
        own::read_csv(source, text)?
    } else {
        return None;
    };
    Some(Parsed {
        documents,
        problems: Vec::new(),
        encoding: "UTF-8",
    })
}

/// A document a reader recognised: it has a header row or at least one indicator. Rows of
/// anything else (`a,b,c` / `1,2,3`) that a reader took for a table are not one.
fn is_table(document: &Document) -> bool {
    document.header.is_some() || document.indicator_count() > 0
}

/// A `|`-separated text (a web table flattened by a crawler) with its separators as tabs, for the
/// department-list reader; `None` when the text is not `|`-separated.
fn pipes_as_tabs(text: &str) -> Option<String> {
    if memchr::memchr(b'\t', text.as_bytes()).is_some() {
        return None;
    }
    // A header and a row at least, each of several cells.
    let rows = text
        .lines()
        .filter(|l| memchr::memchr_iter(b'|', l.as_bytes()).count() >= 2)
        .take(2)
        .count();
    (rows == 2).then(|| text.replace('|', "\t"))
}

/// A Traditional-character table (a mirror's conversion) in Simplified characters, without the
/// pinyin glosses some mirrors insert (`項(xiàng)目`), and a note saying so. Conversion keeps byte
/// offsets; removing glosses shifts the offsets within a line, never the line numbers.
fn simplified_script<'a>(
    source: &str,
    text: std::borrow::Cow<'a, str>,
) -> (std::borrow::Cow<'a, str>, Option<Problem>) {
    use jixiao_model::hans;
    if !hans::looks_traditional(&text) {
        return (text, None);
    }
    let glossed = !hans::glosses(&text).is_empty();
    let simplified = hans::to_simplified(&hans::without_glosses(&text)).into_owned();
    let message = if glossed {
        "表格为繁体字，且字后夹有拼音注音（如“項(xiàng)目”）：已去掉注音、按简体字读取。同一行内的字节位置按去掉注音后的文字计。"
    } else {
        "表格为繁体字：已按简体字读取，位置仍指向原文。"
    };
    let note = Problem {
        kind: ProblemKind::Encoding,
        message: message.to_owned(),
        span: Span::line(source.into(), 1),
    };
    (std::borrow::Cow::Owned(simplified), Some(note))
}

/// True when the text has an indicator grid header (`三级指标`, `三级`, `指标名称`), which
/// department lists never have.
fn has_indicator_grid(text: &str) -> bool {
    // A grid's header is near its start; a 100 MB department list is not searched five times.
    let mut head = text.len().min(256 * 1024);
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let head = &text.as_bytes()[..head];
    // A department list has none of the words, so each search reads all of its text: searched
    // for with finders made once, each keyed on two bytes that are rare together in Chinese text.
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            GRID_WORDS
                .iter()
                .map(|w| {
                    memchr::memmem::FinderBuilder::new()
                        .build_forward_with_ranker(LastBytes::of(w), w.as_bytes())
                })
                .collect()
        });
    FINDERS.iter().any(|f| f.find(head).is_some())
}

/// Words of an indicator grid's header.
const GRID_WORDS: [&str; 5] = ["三级", "三級", "二级指标", "指标名称", "指标内容"];

/// A ranking of bytes for finding a word of Chinese text: the last bytes of its first and last
/// characters are the rarest. memchr's own ranking (made for English text and binaries) takes
/// the lead bytes of ideographs (E4 to E9) for rare ones, so a search keyed on them stopped at
/// nearly every character; the last bytes of two characters are together rare.
#[derive(Debug, Clone, Copy)]
struct LastBytes(u8, u8);

impl LastBytes {
    fn of(word: &str) -> Self {
        let first = word.chars().next().map_or(0, char::len_utf8);
        let bytes = word.as_bytes();
        Self(
            bytes[first.saturating_sub(1)],
            bytes[bytes.len().saturating_sub(1)],
        )
    }
}

impl memchr::arch::all::packedpair::HeuristicFrequencyRank for LastBytes {
    fn rank(&self, byte: u8) -> u8 {
        if byte == self.0 {
            0
        } else if byte == self.1 {
            1
        } else {
            255
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_words_are_found_anywhere_in_the_head() {
        let filler =
            "项目名称（资金使用单位）\t总计\t产出指标：数量指标，年度指标值：≥94%。\n".repeat(50);
        for word in GRID_WORDS {
            let mut middle = filler.len() / 2;
            while !filler.is_char_boundary(middle) {
                middle -= 1;
            }
            for at in [0, 3, middle, filler.len()] {
                let mut text = filler.clone();
                text.insert_str(at, word);
                assert!(has_indicator_grid(&text), "{word} at {at}");
            }
        }
        assert!(!has_indicator_grid(&filler));
        assert!(!has_indicator_grid("三 级二级 指标名 称指标内"));
        // Past the first 256 KiB a word is not looked for.
        let long = format!("{}三级", "二".repeat(256 * 1024 / 3 + 1));
        assert!(!has_indicator_grid(&long));
    }
}
