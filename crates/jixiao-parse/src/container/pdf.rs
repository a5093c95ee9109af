//! PDF files: words with their boxes from Poppler's `pdftotext -bbox -raw`, tables rebuilt
//! from how the words line up.
//!
//! `-raw` keeps Poppler from building its own reading order (`-bbox-layout` does, in time that
//! grows with the cube of the words on a page: 10,000 words took 5 s, 40,000 took 227 s). The
//! words and their boxes are the same (all four PDF fixtures compared word for word); only their
//! order differs, and the layout below sorts them by position anyway.
//!
//! Poppler is the reader that gets Chinese government PDFs right: fonts in `GBK-EUC-H` or
//! `UniGB-UCS2-H` without a ToUnicode map come out as characters through Adobe's CMaps
//! (poppler-data). It runs as a separate process with a time limit, so a hostile file can
//! neither crash nor hang us; `JIXIAO_PDFTOTEXT` names another binary (or a missing one).
//!
//! Tables are rebuilt from text alignment alone, for bordered tables whose cells have padding:
//! - the table starts at its header row (`项目名称 … 绩效指标`, or `一级指标 … 三级指标`);
//!   lines above it on its first page are titles, one grid row each;
//! - columns are the x ranges that words of the table cover, gutters where none do;
//! - in each column, lines closer than a line gap are one cell (wrapped lines joined without
//!   a separator, so Chinese text comes back as typed);
//! - cells that overlap vertically make a row; in indicator grids the 一级/二级 columns are left
//!   out of that, and a category written once and centred spans the rows around it;
//! - a page that repeats the header continues the table; the repeated header is dropped, and a
//!   row that starts without its key cell continues the last row of the page before;
//! - running headers, footers and page numbers in the page margins are left out.
//!
//! Not done: ruling lines (borders) are not read, so a table without cell padding can have
//! rows run together; scanned pages (no text layer) are an error.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jixiao_model::{CellRef, Grid, GridCell, Span};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ContainerError;
use crate::limits::{Limit, Limits};

/// The environment variable naming the `pdftotext` binary to run.
pub const PDFTOTEXT_ENV: &str = "JIXIAO_PDFTOTEXT";
/// How long `pdftotext` may take for one file.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The share of the page height at the top and bottom where running headers and page numbers
/// are looked for.
const MARGIN_BAND: f32 = 0.1;

/// A word as Poppler boxed it; y grows downwards.
#[derive(Debug, Clone)]
struct Word {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

#[derive(Debug, Default)]
struct Page {
    number: u32,
    height: f32,
    words: Vec<Word>,
}

/// Words of one page at the same height, left to right.
#[derive(Debug, Clone)]
struct Line {
    y0: f32,
    y1: f32,
    words: Vec<Word>,
}

impl Line {
    fn height(&self) -> f32 {
        (self.y1 - self.y0).max(1.0)
    }

    fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }
}

pub(super) fn read(
    file: &Arc<str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let xhtml = run_pdftotext(file, bytes, limits)?;
    layout_grids(file, &xhtml, limits)
}

/// The tables of `pdftotext -bbox -raw` (or `-bbox-layout`) output: the layout half of reading a PDF, which the
/// fuzzer drives directly (it needs no Poppler). Default limits.
pub fn grids_from_layout(file: &Arc<str>, xhtml: &str) -> Result<Vec<Grid>, ContainerError> {
    layout_grids(file, xhtml, &Limits::default())
}

/// [`grids_from_layout`] under `limits`: the words of the layout are the cells it can become, and
/// each word is a cell's text at most.
fn layout_grids(
    file: &Arc<str>,
    xhtml: &str,
    limits: &Limits,
) -> Result<Vec<Grid>, ContainerError> {
    let pages = parse_xhtml(xhtml).map_err(|reason| ContainerError::CorruptPdf {
        file: file.to_string(),
        reason,
    })?;
    let words: usize = pages.iter().map(|p| p.words.len()).sum();
    limits.check(Limit::Cells, words as u64, file, || {
        "PDF 中的文字块：".to_owned()
    })?;
    for page in &pages {
        if let Some(longest) = page.words.iter().map(|w| w.text.len()).max() {
            limits.check(Limit::CellSize, longest as u64, file, || {
                format!("第 {} 页：", page.number)
            })?;
        }
    }
    if pages.is_empty() {
        return Err(ContainerError::CorruptPdf {
            file: file.to_string(),
            reason: "no pages".to_owned(),
        });
    }
    if pages.iter().all(|p| p.words.is_empty()) {
        return Err(ContainerError::PdfWithoutText {
            file: file.to_string(),
        });
    }
    let pages: Vec<(u32, Vec<Line>)> = without_furniture(&pages);
    Ok(build_grids(file, &pages))
}

/// The `pdftotext` to run: `JIXIAO_PDFTOTEXT` if set, else the first on `PATH`.
fn pdftotext() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(PDFTOTEXT_ENV) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join("pdftotext"))
        .find(|p| p.is_file())
}

/// True when PDF files can be read here (`pdftotext` is installed).
pub fn pdf_tool_available() -> bool {
    pdftotext().is_some()
}

fn run_pdftotext(file: &Arc<str>, bytes: &[u8], limits: &Limits) -> Result<String, ContainerError> {
    let Some(tool) = pdftotext() else {
        return Err(ContainerError::PdfToolMissing {
            file: file.to_string(),
        });
    };
    let failed = |reason: String| ContainerError::PdfTool {
        file: file.to_string(),
        reason,
    };
    let mut child = Command::new(&tool)
        .args(["-bbox", "-raw", "-enc", "UTF-8", "-q", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("{}: {e}", tool.display())))?;
    let stdin = child.stdin.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A closed pipe means pdftotext stopped reading; its exit status tells why.
            let _ = stdin.write_all(&input);
        }
    });
    // What pdftotext writes is bounded like an archive's inflated parts: a small PDF can
    // inflate to gigabytes of text. One byte past the limit says it was reached.
    let cap = limits.inflated_size;
    let capped = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take();
    let reader = std::thread::spawn({
        let capped = capped.clone();
        move || {
            let mut out = Vec::new();
            if let Some(stdout) = stdout {
                let _ = stdout.take(cap.saturating_add(1)).read_to_end(&mut out);
            }
            if out.len() as u64 > cap {
                capped.store(true, Ordering::Release);
            }
            out
        }
    });
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stderr) = stderr {
            let _ = stderr.take(4096).read_to_end(&mut out);
        }
        out
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            // The reader stopped at the cap: pdftotext would block on a full pipe.
            Ok(None) if capped.load(Ordering::Acquire) => {
                let _ = child.kill();
                break child.wait().map_err(|e| failed(e.to_string()))?;
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ContainerError::PdfTimeout {
                    file: file.to_string(),
                    seconds: TIMEOUT.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    limits.check(Limit::InflatedSize, out.len() as u64, file, || {
        "PDF 中的文字（pdftotext 解出）：".to_owned()
    })?;
    let err = String::from_utf8_lossy(&errors.join().unwrap_or_default()).into_owned();
    if !status.success() {
        if err.to_ascii_lowercase().contains("password") || status.code() == Some(3) {
            return Err(ContainerError::Encrypted {
                file: file.to_string(),
            });
        }
        return Err(ContainerError::CorruptPdf {
            file: file.to_string(),
            reason: format!("pdftotext exited with {status}: {}", err.trim()),
        });
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Pages and words from `pdftotext -bbox` XHTML.
fn parse_xhtml(xhtml: &str) -> Result<Vec<Page>, String> {
    let mut reader = Reader::from_str(xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut word: Option<Word> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                "page" => pages.push(Page {
                    number: u32::try_from(pages.len() + 1).unwrap_or(u32::MAX),
                    height: number(e, "height").unwrap_or(0.0),
                    words: Vec::new(),
                }),
                "word" => {
                    word = Some(Word {
                        x0: number(e, "xMin").unwrap_or(0.0),
                        y0: number(e, "yMin").unwrap_or(0.0),
                        x1: number(e, "xMax").unwrap_or(0.0),
                        y1: number(e, "yMax").unwrap_or(0.0),
                        text: String::new(),
                    });
                }
                _ => {}
            },
            Event::Text(ref t) => {
                if let Some(word) = &mut word {
                    word.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(ref r) => {
                if let Some(word) = &mut word {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => quick_xml::escape::resolve_predefined_entity(r).map(str::to_owned),
                    };
                    if let Some(text) = resolved {
                        word.text.push_str(&text);
                    }
                }
            }
            Event::End(ref e) if e.name().as_ref() == "word" => {
                if let (Some(w), Some(page)) = (word.take(), pages.last_mut()) {
                    let text = w.text.trim();
                    if !text.is_empty() && w.x1 >= w.x0 && w.y1 >= w.y0 {
                        page.words.push(Word {
                            text: text.to_owned(),
                            ..w
                        });
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pages)
}

fn number(element: &BytesStart<'_>, name: &str) -> Option<f32> {
    element
        .attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse::<f32>().ok())
        .filter(|n| n.is_finite())
}

/// Groups words into lines: a word joins the line whose vertical middle is within a third of a
/// line height of its own.
fn lines_of(words: &[Word]) -> Vec<Line> {
    let mut sorted: Vec<&Word> = words.iter().collect();
    sorted.sort_by(|a, b| (a.y0 + a.y1).total_cmp(&(b.y0 + b.y1)));
    let mut lines: Vec<Line> = Vec::new();
    for word in sorted {
        let middle = (word.y0 + word.y1) / 2.0;
        match lines.last_mut() {
            Some(line)
                if (middle - (line.y0 + line.y1) / 2.0).abs()
                    < line.height().min(word.y1 - word.y0).max(1.0) / 3.0 =>
            {
                line.y0 = line.y0.min(word.y0);
                line.y1 = line.y1.max(word.y1);
                line.words.push(word.clone());
            }
            _ => lines.push(Line {
                y0: word.y0,
                y1: word.y1,
                words: vec![word.clone()],
            }),
        }
    }
    for line in &mut lines {
        line.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Lines of each page without running headers, footers and page numbers: lines in the top or
/// bottom band of the page, set apart from the text next to them, that are page numbers or that
/// repeat (digits aside) at the same height on another page.
fn without_furniture(pages: &[Page]) -> Vec<(u32, Vec<Line>)> {
    let all: Vec<(u32, f32, Vec<Line>)> = pages
        .iter()
        .map(|p| (p.number, p.height, lines_of(&p.words)))
        .collect();
    let key = |line: &Line| -> String {
        line.text()
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect()
    };
    // Margin lines by their text, each with its height and page, sorted by height: a line's
    // twins are found by a binary search, not by comparing every margin line with every other.
    let mut margin_lines: HashMap<String, Vec<(f32, u32)>> = HashMap::new();
    let in_band = |line: &Line, height: f32| {
        height > 0.0 && (line.y1 < height * MARGIN_BAND || line.y0 > height * (1.0 - MARGIN_BAND))
    };
    for (number, height, lines) in &all {
        for line in lines.iter().filter(|l| in_band(l, *height)) {
            margin_lines
                .entry(key(line))
                .or_default()
                .push((line.y0, *number));
        }
    }
    for twins in margin_lines.values_mut() {
        twins.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    all.iter()
        .map(|(number, height, lines)| {
            let kept = lines
                .iter()
                .enumerate()
                .filter(|(i, line)| {
                    if !in_band(line, *height) || is_table_header(&line.text()).is_some() {
                        return true;
                    }
                    let gap_above = i
                        .checked_sub(1)
                        .and_then(|j| lines.get(j))
                        .map_or(f32::MAX, |above| line.y0 - above.y1);
                    let gap_below = lines
                        .get(i + 1)
                        .map_or(f32::MAX, |below| below.y0 - line.y1);
                    let apart = gap_above.min(gap_below) > line.height();
                    if !apart {
                        return true;
                    }
                    let repeated = margin_lines.get(&key(line)).is_some_and(|twins| {
                        let from = twins.partition_point(|(y, _)| *y <= line.y0 - 3.0);
                        twins[from..]
                            .iter()
                            .take_while(|(y, _)| *y < line.y0 + 3.0)
                            .any(|(_, n)| n != number)
                    });
                    !(is_page_number(&line.text()) || repeated)
                })
                .map(|(_, line)| line.clone())
                .collect();
            (*number, kept)
        })
        .collect()
}

/// `第 1 页`, `第1页 共5页`, `- 1 -`, `1/5`, `Page 1 of 5`, or a lone number.
fn is_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits_only(&compact) {
        return true;
    }
    let rest: String = compact
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect::<String>()
        .to_lowercase();
    compact.chars().any(|c| c.is_ascii_digit())
        && matches!(
            rest.as_str(),
            "第页" | "第页共页" | "--" | "—" | "——" | "/" | "pageof" | "page" | "共页第页"
        )
}

/// What kind of table a header line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    DepartmentList,
    IndicatorGrid,
}

fn is_table_header(text: &str) -> Option<TableKind> {
    let has = |w: &str| text.contains(w);
    if has("三级指标") || (has("一级指标") && has("二级指标")) {
        Some(TableKind::IndicatorGrid)
    } else if (has("项目名称") || has("单位名称"))
        && (has("总计") || has("绩效指标") || has("绩效目标") || has("财政拨款"))
    {
        Some(TableKind::DepartmentList)
    } else {
        None
    }
}

/// A run of words on one line inside one column.
#[derive(Debug, Clone)]
struct Fragment {
    col: usize,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    text: String,
}

/// Fragments of one column stacked closely: one cell's text.
#[derive(Debug, Clone)]
struct Block {
    col: usize,
    y0: f32,
    y1: f32,
    text: String,
}

/// A table being rebuilt: its column ranges and key columns, its rows so far.
#[derive(Debug)]
struct Table {
    kind: Option<TableKind>,
    header: String,
    columns: Vec<(f32, f32)>,
    /// The column a row always has text in (项目名称, 三级指标).
    key: usize,
    /// Columns whose cells may span rows (一级/二级 left of 三级指标).
    hierarchical: Vec<usize>,
    first_page: u32,
    last_page: u32,
    rows: Vec<Vec<RowCell>>,
}

#[derive(Debug, Clone)]
struct RowCell {
    col: usize,
    row_span: u32,
    page: u32,
    text: String,
}

fn build_grids(file: &Arc<str>, pages: &[(u32, Vec<Line>)]) -> Vec<Grid> {
    let mut grids = Vec::new();
    let mut table: Option<Table> = None;
    let mut loose: Vec<(u32, Line)> = Vec::new();
    for (number, lines) in pages {
        let header_at = lines
            .iter()
            .position(|l| is_table_header(&l.text()).is_some());
        match header_at {
            Some(at) => {
                let header_text = lines[at].text();
                let repeated = at == 0
                    && table
                        .as_ref()
                        .is_some_and(|t| t.header == header_text && t.last_page + 1 == *number);
                if repeated {
                    if let Some(t) = &mut table {
                        continue_table(t, *number, lines, true);
                    }
                    continue;
                }
                if let Some(done) = table.take() {
                    grids.push(to_grid(file, done, std::mem::take(&mut loose)));
                }
                // The header row can start a little above the line naming it (a wrapped header
                // cell centred against a taller one).
                let threshold = gap_threshold(lines);
                let mut start = at;
                while start > 0 && lines[start].y0 - lines[start - 1].y1 < threshold {
                    start -= 1;
                }
                loose.extend(lines[..start].iter().map(|l| (*number, l.clone())));
                let kind = is_table_header(&header_text);
                let mut t = Table {
                    kind,
                    header: header_text,
                    columns: Vec::new(),
                    key: 0,
                    hierarchical: Vec::new(),
                    first_page: *number,
                    last_page: *number,
                    rows: Vec::new(),
                };
                continue_table(&mut t, *number, &lines[start..], false);
                table = Some(t);
            }
            None => match &mut table {
                Some(t) if t.last_page + 1 == *number && !lines.is_empty() => {
                    continue_table(t, *number, lines, false);
                }
                _ => {
                    if let Some(done) = table.take() {
                        grids.push(to_grid(file, done, std::mem::take(&mut loose)));
                    }
                    loose.extend(lines.iter().map(|l| (*number, l.clone())));
                }
            },
        }
    }
    match table {
        Some(done) => grids.push(to_grid(file, done, loose)),
        None if !loose.is_empty() => grids.push(loose_grid(file, &loose)),
        None => {}
    }
    grids.retain(|g| !g.is_empty());
    grids
}

/// The largest vertical gap between two lines of one cell: a bit more than the smallest gap
/// between lines, at most most of a line.
fn gap_threshold(lines: &[Line]) -> f32 {
    let height = median(lines.iter().map(Line::height).collect()).unwrap_or(10.0);
    threshold_from(lines.windows(2).map(|w| w[1].y0 - w[0].y1), height)
}

/// [`gap_threshold`] from the gaps between fragments stacked in the same column, which stays
/// right when the lines of neighbouring cells interleave.
fn column_gap_threshold(fragments: &[Fragment]) -> f32 {
    let height = median(fragments.iter().map(|f| (f.y1 - f.y0).max(1.0)).collect()).unwrap_or(10.0);
    let mut by_col: Vec<&Fragment> = fragments.iter().collect();
    by_col.sort_by(|a, b| a.col.cmp(&b.col).then(a.y0.total_cmp(&b.y0)));
    let gaps = by_col
        .windows(2)
        .filter(|w| w[0].col == w[1].col)
        .map(|w| w[1].y0 - w[0].y1);
    threshold_from(gaps, height)
}

fn threshold_from(gaps: impl Iterator<Item = f32>, height: f32) -> f32 {
    let smallest = gaps.filter(|g| *g > 0.0).fold(f32::MAX, f32::min);
    let base = if smallest == f32::MAX {
        0.3 * height
    } else {
        smallest
    };
    (base + 0.3 * height).min(0.8 * height)
}

fn median(mut values: Vec<f32>) -> Option<f32> {
    values.sort_by(f32::total_cmp);
    values.get(values.len() / 2).copied()
}

/// Column ranges: x positions covered by the words of the table's lines, split where no word is;
/// a range holding two header words far apart is split between them.
fn columns_of(lines: &[Line], header: &Line) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = lines
        .iter()
        .flat_map(|l| l.words.iter().map(|w| (w.x0, w.x1)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut columns: Vec<(f32, f32)> = Vec::new();
    for (x0, x1) in spans {
        match columns.last_mut() {
            Some(last) if x0 <= last.1 + 0.5 => last.1 = last.1.max(x1),
            _ => columns.push((x0, x1)),
        }
    }
    let height = header.height();
    let mut split = Vec::new();
    for (x0, x1) in columns {
        let mut start = x0;
        // The header's words are in order of x0: those inside start from a binary search.
        let first = header.words.partition_point(|w| w.x0 < x0 - 0.5);
        let inside: Vec<&Word> = header.words[first..]
            .iter()
            .take_while(|w| w.x0 <= x1 + 0.5)
            .filter(|w| w.x1 <= x1 + 0.5)
            .collect();
        for pair in inside.windows(2) {
            if pair[1].x0 - pair[0].x1 > height {
                let cut = (pair[0].x1 + pair[1].x0) / 2.0;
                split.push((start, cut));
                start = cut;
            }
        }
        split.push((start, x1));
    }
    split
}

/// The column a word starting at `x0` is in: the last whose start is at or left of it
/// (`columns` are in order, so a binary search).
fn column_at(columns: &[(f32, f32)], x0: f32) -> usize {
    columns
        .partition_point(|(start, _)| *start <= x0 + 0.5)
        .saturating_sub(1)
}

/// The fragments of `lines`: words split where a gap is wider than most of a character, each
/// run given the column its first word starts in.
fn fragments(lines: &[Line], columns: &[(f32, f32)]) -> Vec<Fragment> {
    let mut out = Vec::new();
    for line in lines {
        let height = line.height();
        let mut current: Option<Fragment> = None;
        for word in &line.words {
            let col = column_at(columns, word.x0);
            match &mut current {
                Some(f) if word.x0 - f.x1 <= 0.6 * height && col == f.col => {
                    f.text.push(' ');
                    f.text.push_str(&word.text);
                    f.x1 = word.x1;
                    f.y0 = f.y0.min(word.y0);
                    f.y1 = f.y1.max(word.y1);
                }
                _ => {
                    out.extend(current.take());
                    current = Some(Fragment {
                        col,
                        x0: word.x0,
                        x1: word.x1,
                        y0: word.y0,
                        y1: word.y1,
                        text: word.text.clone(),
                    });
                }
            }
        }
        out.extend(current);
    }
    out
}

/// Stacks each column's fragments into blocks: a fragment joins the block above it in its column
/// when the gap between them is at most `threshold` and they overlap horizontally.
fn blocks(fragments: &[Fragment], threshold: f32) -> Vec<Block> {
    // Every block with its x range, in the order they were opened.
    let mut all: Vec<(Block, f32, f32)> = Vec::new();
    // Per column, the blocks a later fragment can still join. Fragments come in order of y0,
    // so a block more than `threshold` above the current fragment is closed for good: the
    // lists are pruned of those when they have doubled, which keeps the search short.
    let mut open: HashMap<usize, (Vec<usize>, usize)> = HashMap::new();
    let mut sorted: Vec<&Fragment> = fragments.iter().collect();
    sorted.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    for f in sorted {
        let (column, pruned_at) = open.entry(f.col).or_insert_with(|| (Vec::new(), 8));
        if column.len() >= *pruned_at {
            column.retain(|&i| f.y0 - all[i].0.y1 <= threshold);
            *pruned_at = (column.len() * 2).max(8);
        }
        let found = column.iter().rev().copied().find(|&i| {
            let (b, x0, x1) = &all[i];
            f.y0 - b.y1 <= threshold && f.x0 < *x1 + 1.0 && f.x1 > *x0 - 1.0
        });
        match found {
            Some(i) => {
                let (block, x0, x1) = &mut all[i];
                join_line(&mut block.text, &f.text);
                block.y1 = block.y1.max(f.y1);
                *x0 = x0.min(f.x0);
                *x1 = x1.max(f.x1);
            }
            None => {
                column.push(all.len());
                all.push((
                    Block {
                        col: f.col,
                        y0: f.y0,
                        y1: f.y1,
                        text: f.text.clone(),
                    },
                    f.x0,
                    f.x1,
                ));
            }
        }
    }
    let mut done: Vec<Block> = all.into_iter().map(|(b, _, _)| b).collect();
    done.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.col.cmp(&b.col)));
    done
}

/// Joins a wrapped line to the text before it: Chinese wraps anywhere, so nothing goes between,
/// except a space between two Latin letters (a word processor wraps Latin text at spaces).
fn join_line(text: &mut String, next: &str) {
    let ends_latin = text.chars().last().is_some_and(|c| c.is_ascii_alphabetic());
    let starts_latin = next.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if ends_latin && starts_latin {
        text.push(' ');
    }
    text.push_str(next);
}

/// Adds one page's lines (from the header row down) to the table.
fn continue_table(table: &mut Table, page: u32, lines: &[Line], drop_header: bool) {
    table.last_page = page;
    if lines.is_empty() {
        return;
    }
    let header_line = lines
        .iter()
        .find(|l| is_table_header(&l.text()).is_some())
        .cloned();
    if let Some(header) = &header_line {
        table.columns = columns_of(lines, header);
        let col_of = |word: &str| {
            header
                .words
                .iter()
                .find(|w| w.text.contains(word))
                .map(|w| column_at(&table.columns, w.x0))
        };
        match table.kind {
            Some(TableKind::IndicatorGrid) => {
                table.key = col_of("三级指标").unwrap_or(0);
                table.hierarchical = (0..table.key).collect();
            }
            _ => {
                table.key = col_of("项目名称")
                    .or_else(|| col_of("单位名称"))
                    .unwrap_or(0);
                table.hierarchical.clear();
            }
        }
    }
    if table.columns.is_empty() {
        return;
    }
    let fragments = fragments(lines, &table.columns);
    let all = blocks(&fragments, column_gap_threshold(&fragments));
    // (`hierarchical` is in order.)
    let (hier, plain): (Vec<Block>, Vec<Block>) = all
        .into_iter()
        .partition(|b| table.hierarchical.binary_search(&b.col).is_ok());
    // Rows: blocks of the other columns that overlap vertically. Blocks come in order of y0, so
    // a row that ends above the current block is done; only the others are searched.
    let mut rows: Vec<(f32, f32, Vec<Block>)> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut prune_at = 8;
    for block in plain {
        if active.len() >= prune_at {
            active.retain(|&r| rows[r].1 > block.y0);
            prune_at = (active.len() * 2).max(8);
        }
        let found = active
            .iter()
            .rev()
            .copied()
            .find(|&r| block.y0 < rows[r].1 && block.y1 > rows[r].0);
        match found {
            Some(r) => {
                let row = &mut rows[r];
                row.0 = row.0.min(block.y0);
                row.1 = row.1.max(block.y1);
                row.2.push(block);
            }
            None => {
                active.push(rows.len());
                rows.push((block.y0, block.y1, vec![block]));
            }
        }
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    // The header row on a page after the first is the repeated header.
    let header_row = header_line
        .as_ref()
        .and_then(|h| rows.iter().position(|(y0, y1, _)| h.y0 < *y1 && h.y1 > *y0));
    let had_rows = !table.rows.is_empty();
    let mut page_rows: Vec<Vec<RowCell>> = Vec::new();
    // Whether a row of this page was kept (`page_rows` also holds the empty places of rows that
    // were dropped or joined to the row before).
    let mut page_has_rows = false;
    for (index, (_, _, blocks)) in rows.iter().enumerate() {
        let mut cells: Vec<RowCell> = Vec::new();
        let mut cell_of_col: HashMap<usize, usize> = HashMap::new();
        for block in blocks {
            match cell_of_col.get(&block.col) {
                Some(&at) => join_line(&mut cells[at].text, &block.text),
                None => {
                    cell_of_col.insert(block.col, cells.len());
                    cells.push(RowCell {
                        col: block.col,
                        row_span: 1,
                        page,
                        text: block.text.clone(),
                    });
                }
            }
        }
        cells.sort_by_key(|c| c.col);
        let is_header = Some(index) == header_row;
        if is_header && drop_header {
            page_rows.push(Vec::new());
            continue;
        }
        // A row cut by the page break: its rest has no key cell at the top of the next page.
        let continues =
            had_rows && !is_header && !page_has_rows && !cells.iter().any(|c| c.col == table.key);
        if continues && let Some(last) = table.rows.last_mut() {
            for cell in cells {
                match last.iter_mut().find(|c| c.col == cell.col) {
                    Some(existing) => join_line(&mut existing.text, &cell.text),
                    None => last.push(cell),
                }
            }
            last.sort_by_key(|c| c.col);
            page_rows.push(Vec::new());
            continue;
        }
        page_has_rows |= !cells.is_empty();
        page_rows.push(cells);
    }
    // Categories written once: each spans from where the one above it ended to the row that
    // puts the text in the middle.
    let bands: Vec<(f32, f32)> = rows.iter().map(|(y0, y1, _)| (*y0, *y1)).collect();
    // The lowest bottom of the bands from each one on: the search for the rows a category
    // spans stops once no later band can bring its centre closer.
    let mut lowest_bottom_from = vec![f32::MAX; bands.len() + 1];
    for at in (0..bands.len()).rev() {
        lowest_bottom_from[at] = lowest_bottom_from[at + 1].min(bands[at].1);
    }
    let data_start = header_row.map_or(0, |h| h + 1);
    let mut hier_by_col: BTreeMap<usize, Vec<&Block>> = BTreeMap::new();
    for block in &hier {
        hier_by_col.entry(block.col).or_default().push(block);
    }
    for (&col, column_blocks) in &hier_by_col {
        let mut next_free = data_start;
        for block in column_blocks {
            let middle = (block.y0 + block.y1) / 2.0;
            if let Some(h) = header_row
                && block.y1 <= bands[h].1 + 0.5
            {
                page_rows[h].push(RowCell {
                    col,
                    row_span: 1,
                    page,
                    text: block.text.clone(),
                });
                continue;
            }
            if bands.is_empty() || next_free >= bands.len() {
                if let Some(last) = page_rows.last_mut() {
                    last.push(RowCell {
                        col,
                        row_span: 1,
                        page,
                        text: block.text.clone(),
                    });
                }
                continue;
            }
            let start = next_free;
            let mut best = (f32::MAX, start);
            for end in start..bands.len() {
                let nearest = (bands[start].0 + lowest_bottom_from[end]) / 2.0 - middle;
                if nearest >= best.0 {
                    break;
                }
                let centre = (bands[start].0 + bands[end].1) / 2.0;
                let distance = (centre - middle).abs();
                if distance < best.0 {
                    best = (distance, end);
                }
            }
            let end = best.1;
            page_rows[start].push(RowCell {
                col,
                row_span: u32::try_from(end - start + 1).unwrap_or(1),
                page,
                text: block.text.clone(),
            });
            next_free = end + 1;
        }
    }
    for mut cells in page_rows {
        if cells.is_empty() {
            continue;
        }
        cells.sort_by_key(|c| c.col);
        table.rows.push(cells);
    }
}

fn to_grid(file: &Arc<str>, table: Table, loose: Vec<(u32, Line)>) -> Grid {
    let mut grid = Grid::new(file.clone());
    grid.name = Some(if table.first_page == table.last_page {
        format!("第 {} 页", table.first_page)
    } else {
        format!("第 {}–{} 页", table.first_page, table.last_page)
    });
    let mut row = 0u32;
    for (page, line) in &loose {
        push_line(&mut grid, &mut row, *page, line, &table.columns);
    }
    for cells in table.rows {
        for cell in cells {
            let col = u32::try_from(cell.col).unwrap_or(u32::MAX);
            grid.cells.push(grid_cell(
                file,
                cell.page,
                row,
                col,
                cell.row_span,
                cell.text,
            ));
        }
        row += 1;
    }
    grid.cells.sort_by_key(|c| (c.row, c.col));
    grid
}

/// Text outside any table: a grid row per line, a cell per run of words.
fn loose_grid(file: &Arc<str>, loose: &[(u32, Line)]) -> Grid {
    let mut grid = Grid::new(file.clone());
    let first = loose.first().map_or(1, |(p, _)| *p);
    let last = loose.last().map_or(1, |(p, _)| *p);
    grid.name = Some(format!("第 {first}–{last} 页"));
    let mut row = 0;
    for (page, line) in loose {
        push_line(&mut grid, &mut row, *page, line, &[]);
    }
    grid
}

/// A line outside the table body (a title, 部门名称): one row; a single run of words goes in the
/// first column, several go in the columns they start in (or one after another).
fn push_line(grid: &mut Grid, row: &mut u32, page: u32, line: &Line, columns: &[(f32, f32)]) {
    let single_column = [(f32::MIN, f32::MAX)];
    let runs = fragments(std::slice::from_ref(line), &single_column);
    let many = runs.len() > 1;
    let mut last_col: Option<u32> = None;
    for run in runs {
        let col = if many && !columns.is_empty() {
            u32::try_from(column_at(columns, run.x0)).unwrap_or(0)
        } else {
            last_col.map_or(0, |c| c + 1)
        };
        let col = match last_col {
            Some(previous) if col <= previous => previous + 1,
            _ => col,
        };
        last_col = Some(col);
        grid.cells.push(grid_cell(
            &grid.source.clone(),
            page,
            *row,
            col,
            1,
            run.text,
        ));
    }
    *row += 1;
}

fn grid_cell(
    file: &Arc<str>,
    page: u32,
    row: u32,
    col: u32,
    row_span: u32,
    text: String,
) -> GridCell {
    let mut span = Span::line(file.clone(), row + 1);
    span.cell = Some(Box::new(CellRef {
        sheet: None,
        page: Some(page),
        row: row + 1,
        col: col + 1,
    }));
    GridCell {
        row,
        col,
        row_span: row_span.max(1),
        col_span: 1,
        text,
        span,
    }
}
