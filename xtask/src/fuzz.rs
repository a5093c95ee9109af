//! `cargo xtask fuzz --minutes N`: mutation fuzzing of every reader on stable Rust, with no
//! fuzzing toolchain to build (cargo-fuzz needs nightly; cargo-afl builds AFL++ from source).
//!
//! Each target starts from seed inputs (the examples, `../shared/samples`, `../shared/variations`,
//! and files written by `jixiao-export`), mutates them (bit flips, inserted and deleted runs,
//! repeated regions, splices of two seeds, table words and separators dropped in) and reads each
//! mutant in-process under the default limits. The invariant: no panic, and each input answered
//! within 5 s. Panicking and slow inputs are saved under `target/fuzz/<target>/` and reported.
//! It is not coverage-guided; it finds what random damage to real tables finds.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use jixiao_model::Profile;
use jixiao_parse::Limits;

/// A reader under test and the file name its inputs are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Text,
    Csv,
    Xlsx,
    Xls,
    Html,
    Docx,
    PdfLayout,
    Value,
}

impl Target {
    pub const ALL: [Target; 8] = [
        Target::Text,
        Target::Csv,
        Target::Xlsx,
        Target::Xls,
        Target::Html,
        Target::Docx,
        Target::PdfLayout,
        Target::Value,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Text => "text",
            Target::Csv => "csv",
            Target::Xlsx => "xlsx",
            Target::Xls => "xls",
            Target::Html => "html",
            Target::Docx => "docx",
            Target::PdfLayout => "pdf-layout",
            Target::Value => "value",
        }
    }
}

/// What fuzzing one target found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub execs: u64,
    pub panics: Vec<PathBuf>,
    pub slow: Vec<PathBuf>,
    pub slowest: Duration,
    pub seeds: usize,
}

/// Runs every target for `minutes / targets` each; saves findings under `out`.
pub fn run(
    workspace: &Path,
    shared: &Path,
    minutes: f64,
    seed: u64,
    out: &Path,
) -> anyhow::Result<Vec<(Target, Outcome)>> {
    let per_target = Duration::from_secs_f64(minutes * 60.0 / Target::ALL.len() as f64);
    let seeds = Seeds::collect(workspace, shared)?;
    // Panics are the finding, not noise on stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let mut results = Vec::new();
    for target in Target::ALL {
        let corpus = seeds.of(target);
        let outcome = fuzz_target(target, &corpus, per_target, seed, &out.join(target.name()))?;
        eprintln!(
            "{:<11} {:>9} execs  {} panics  {} slow  slowest {:.2} s",
            target.name(),
            outcome.execs,
            outcome.panics.len(),
            outcome.slow.len(),
            outcome.slowest.as_secs_f64()
        );
        results.push((target, outcome));
    }
    let _ = std::panic::take_hook();
    Ok(results)
}

fn fuzz_target(
    target: Target,
    corpus: &[Vec<u8>],
    budget: Duration,
    seed: u64,
    out: &Path,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome {
        seeds: corpus.len(),
        ..Outcome::default()
    };
    if corpus.is_empty() {
        return Ok(outcome);
    }
    let mut rng = fastrand::Rng::with_seed(seed ^ target as u64);
    let profile = Profile::builtin();
    let limits = Limits::default();
    // An input that makes the process run out of memory kills it before it can be saved:
    // with JIXIAO_FUZZ_KEEP_CURRENT set, each input is written out before it is read.
    let keep_current = std::env::var_os("JIXIAO_FUZZ_KEEP_CURRENT").is_some();
    let started = Instant::now();
    // Seeds first, unchanged, then mutants.
    let mut index = 0usize;
    while started.elapsed() < budget {
        let input = if index < corpus.len() {
            corpus[index].clone()
        } else {
            mutate(&mut rng, corpus, target)
        };
        index += 1;
        if keep_current {
            std::fs::create_dir_all(out)?;
            std::fs::write(out.join(format!("current.{}", extension(target))), &input)?;
        }
        let begun = Instant::now();
        let result = std::panic::catch_unwind(|| read(target, &input, &profile, &limits));
        let took = begun.elapsed();
        outcome.execs += 1;
        outcome.slowest = outcome.slowest.max(took);
        let save = |kind: &str, n: usize| -> anyhow::Result<PathBuf> {
            std::fs::create_dir_all(out)?;
            let path = out.join(format!("{kind}-{n}.{}", extension(target)));
            std::fs::write(&path, &input)?;
            Ok(path)
        };
        if result.is_err() && outcome.panics.len() < 50 {
            let n = outcome.panics.len();
            outcome.panics.push(save("panic", n)?);
        } else if took > Duration::from_secs(5) && outcome.slow.len() < 50 {
            let n = outcome.slow.len();
            outcome.slow.push(save("slow", n)?);
        }
    }
    Ok(outcome)
}

fn extension(target: Target) -> &'static str {
    match target {
        Target::Text | Target::Value => "txt",
        Target::Csv => "csv",
        Target::Xlsx => "xlsx",
        Target::Xls => "xls",
        Target::Html => "html",
        Target::Docx => "docx",
        Target::PdfLayout => "xhtml",
    }
}

/// Reads one input the way `jixiao parse` would (or, for the value grammar and the PDF layout,
/// the one stage under test).
pub fn read(target: Target, input: &[u8], profile: &Profile, limits: &Limits) {
    match target {
        Target::Value => {
            let text = String::from_utf8_lossy(input);
            for line in text.lines() {
                let _ = jixiao_parse::parse_value(line);
            }
        }
        Target::PdfLayout => {
            let text = String::from_utf8_lossy(input);
            let file: Arc<str> = Arc::from("fuzz.pdf");
            let _ = jixiao_parse::container::pdf_grids_from_layout(&file, &text);
        }
        _ => {
            let name = format!("fuzz.{}", extension(target));
            let _ = jixiao_parse::parse_bytes_with_limits(&name, input, profile, None, limits);
        }
    }
}

/// Words and separators tables are made of, dropped into mutants.
const TOKENS: &[&str] = &[
    "\t",
    "|",
    " | ",
    "\n",
    "\r\n",
    "||||||||",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "产出指标",
    "数量指标",
    "满意度指标",
    "项目名称",
    "主管部门",
    "≥",
    "≤",
    "%",
    "100%",
    "万元",
    "1、",
    "年度指标值：",
    "（1）",
    "合计",
    "<table>",
    "<tr><td>",
    "</td></tr>",
    "rowspan=\"99\"",
    "colspan=\"9999\"",
    "<![CDATA[",
    "&#",
    "<w:tc>",
    "<c r=\"XFD1048576\">",
    "項(xiàng)目",
    "\u{feff}",
    "\u{0}",
    "9999999999999999999999",
];

fn mutate(rng: &mut fastrand::Rng, corpus: &[Vec<u8>], target: Target) -> Vec<u8> {
    let seed = &corpus[rng.usize(..corpus.len())];
    let zipped = matches!(target, Target::Xlsx | Target::Docx);
    // Mutated bytes of a compressed archive are mostly a broken archive, which tests only the
    // refusal; half the time mutate the XML inside and compress it again.
    if zipped
        && rng.bool()
        && let Some(mutant) = mutate_inside_zip(rng, seed)
    {
        return mutant;
    }
    // Likewise an XLS: half the time its BIFF records are mutated inside an intact compound file.
    if target == Target::Xls
        && rng.bool()
        && let Some(mut stream) = crate::xls::stream_of(seed)
    {
        mutate_bytes(rng, &mut stream, corpus, true);
        return crate::xls::ole("Workbook", &stream);
    }
    let mut data = seed.clone();
    mutate_bytes(rng, &mut data, corpus, !zipped);
    data
}

/// The archive `seed` with one member (an `.xml` or `.rels` part when there is one) mutated, and
/// now and then a member dropped or doubled; `None` when `seed` is not a readable archive.
fn mutate_inside_zip(rng: &mut fastrand::Rng, seed: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read as _, Write as _};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(seed)).ok()?;
    let mut members = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).ok()?;
        let name = file.name().ok()?.into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).ok()?;
        members.push((name, bytes));
    }
    if members.is_empty() {
        return None;
    }
    let parts: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].0.ends_with(".xml") || members[i].0.ends_with(".rels"))
        .collect();
    let pick = if parts.is_empty() {
        rng.usize(..members.len())
    } else {
        parts[rng.usize(..parts.len())]
    };
    let others: Vec<Vec<u8>> = members.iter().map(|(_, bytes)| bytes.clone()).collect();
    mutate_bytes(rng, &mut members[pick].1, &others, true);
    match rng.u8(..16) {
        0 if members.len() > 1 => {
            members.remove(rng.usize(..members.len()));
        }
        1 => {
            let copy = members[pick].clone();
            members.push(copy);
        }
        _ => {}
    }
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in &members {
            // A doubled member is a duplicate name, which the writer refuses; so are some
            // mutated names. Such archives are tried as bytes instead.
            writer.start_file(name.as_str(), options).ok()?;
            writer.write_all(bytes).ok()?;
        }
        writer.finish().ok()?;
    }
    Some(buffer.into_inner())
}

/// Up to eight byte-level mutations of `data`: bit flips, inserted tokens (sometimes repeated
/// thousands of times), deletions, duplications, splices with another input, truncation.
fn mutate_bytes(
    rng: &mut fastrand::Rng,
    data: &mut Vec<u8>,
    corpus: &[Vec<u8>],
    may_truncate: bool,
) {
    for _ in 0..rng.usize(1..=8) {
        let len = data.len();
        match rng.u8(..8) {
            0 if len > 0 => {
                let at = rng.usize(..len);
                data[at] ^= 1 << rng.u8(..8);
            }
            1 => {
                let at = rng.usize(..=len);
                let token = TOKENS[rng.usize(..TOKENS.len())].as_bytes();
                let times = if rng.u8(..10) == 0 {
                    rng.usize(1..2000)
                } else {
                    1
                };
                let insert: Vec<u8> = token.repeat(times);
                data.splice(at..at, insert);
            }
            2 if len > 1 => {
                let start = rng.usize(..len);
                let end = (start + rng.usize(1..=len.min(256))).min(len);
                data.drain(start..end);
            }
            3 if len > 1 => {
                let start = rng.usize(..len);
                let end = (start + rng.usize(1..=len.min(512))).min(len);
                let chunk = data[start..end].to_vec();
                let at = rng.usize(..=data.len());
                let times = rng.usize(1..4);
                for _ in 0..times {
                    data.splice(at..at, chunk.iter().copied());
                }
            }
            4 => {
                // Splice: the head of this input, the tail of another.
                let other = &corpus[rng.usize(..corpus.len())];
                let cut = rng.usize(..=data.len());
                let from = rng.usize(..=other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            5 if len > 0 && may_truncate => {
                // Cut the input short, as crawlers do.
                data.truncate(rng.usize(..len));
            }
            6 if len > 0 => {
                let at = rng.usize(..len);
                data[at] = rng.u8(..);
            }
            _ => {}
        }
    }
}

/// Seed inputs per target.
struct Seeds {
    text: Vec<Vec<u8>>,
    csv: Vec<Vec<u8>>,
    xlsx: Vec<Vec<u8>>,
    xls: Vec<Vec<u8>>,
    html: Vec<Vec<u8>>,
    docx: Vec<Vec<u8>>,
    pdf_layout: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
}

impl Seeds {
    fn collect(workspace: &Path, shared: &Path) -> anyhow::Result<Self> {
        let read_dir = |dir: &Path, ext: &str| -> Vec<Vec<u8>> {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return Vec::new();
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect();
            paths.sort();
            paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
        };
        let mut text = read_dir(&workspace.join("examples"), "txt");
        text.extend(read_dir(&shared.join("samples"), "txt"));
        text.extend(read_dir(&shared.join("variations"), "txt"));
        let csv = read_dir(&shared.join("variations"), "csv");
        let mut html = read_dir(&shared.join("variations"), "html");
        let profile = Profile::builtin();
        let mut documents = Vec::new();
        for seed in read_dir(&workspace.join("examples"), "txt") {
            let parsed = jixiao_parse::parse_bytes("seed.txt", &seed, &profile)
                .context("reading an example")?;
            documents.extend(parsed.documents);
        }
        // Small spreadsheets: the first few projects of the examples.
        let mut small = documents.clone();
        for document in &mut small {
            for unit in &mut document.units {
                unit.projects.truncate(3);
            }
            document.units.truncate(2);
        }
        let xlsx = vec![
            jixiao_export::indicator_rows_xlsx(&small).context("writing a seed workbook")?,
            jixiao_export::project_sheets_xlsx(&small[..1]).context("writing a seed workbook")?,
        ];
        html.push(jixiao_export::indicator_rows_html(&small).into_bytes());
        // XLS: the examples (department lists) and the project sheet of the Word seed.
        let mut xls_texts: Vec<String> = read_dir(&workspace.join("examples"), "txt")
            .iter()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .collect();
        xls_texts.push(
            PROJECT_SHEET
                .iter()
                .map(|r| r.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let xls = xls_texts
            .iter()
            .map(|text| {
                let cells = crate::xls::cells_of_text(text);
                let borrowed: Vec<(u16, u16, &str)> =
                    cells.iter().map(|(r, c, t)| (*r, *c, t.as_str())).collect();
                crate::xls::workbook(&borrowed)
            })
            .collect();
        let docx = vec![minimal_docx()?];
        let pdf_layout = pdf_layouts(workspace);
        let values = text
            .iter()
            .filter_map(|t| jixiao_parse::parse_bytes("seed.txt", t, &profile).ok())
            .flat_map(|p| p.documents)
            .flat_map(|d| {
                d.projects()
                    .flat_map(|(_, p)| &p.indicators)
                    .filter_map(|i| i.annual.as_ref().map(|v| v.raw.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<String>>()
            .chunks(20)
            .map(|c| c.join("\n").into_bytes())
            .collect();
        Ok(Self {
            text,
            csv,
            xlsx,
            xls,
            html,
            docx,
            pdf_layout,
            values,
        })
    }

    fn of(&self, target: Target) -> Vec<Vec<u8>> {
        match target {
            Target::Text => self.text.clone(),
            Target::Csv => self.csv.clone(),
            Target::Xlsx => self.xlsx.clone(),
            Target::Xls => self.xls.clone(),
            Target::Html => self.html.clone(),
            Target::Docx => self.docx.clone(),
            Target::PdfLayout => self.pdf_layout.clone(),
            Target::Value => self.values.clone(),
        }
    }
}

/// A small project sheet, the seed of the Word and XLS targets.
const PROJECT_SHEET: [[&str; 4]; 5] = [
    ["项目名称", "社区养老服务补助", "", ""],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "服务老人人数", "≥500人"],
    ["", "质量指标", "服务合格率", "≥95%"],
    ["满意度指标", "服务对象满意度指标", "老人满意度", "≥90%"],
];

/// A Word document of one project sheet: the title paragraph and a table.
fn minimal_docx() -> anyhow::Result<Vec<u8>> {
    use std::io::Write as _;
    let rows = PROJECT_SHEET;
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let table: String = rows
        .iter()
        .map(|r| {
            format!(
                "<w:tr>{}</w:tr>",
                r.iter().map(|t| cell(t)).collect::<String>()
            )
        })
        .collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>项目支出绩效目标表</w:t></w:r></w:p><w:tbl>{table}</w:tbl></w:body></w:document>"#
    );
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options)?;
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#)?;
        zip.start_file("word/document.xml", options)?;
        zip.write_all(document.as_bytes())?;
        zip.finish()?;
    }
    Ok(buffer.into_inner())
}

/// `pdftotext -bbox -raw` of the PDF fixtures, when Poppler is installed.
fn pdf_layouts(workspace: &Path) -> Vec<Vec<u8>> {
    let dir = workspace.join("crates/jixiao-parse/tests/fixtures/pdf");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .filter_map(|p| {
            std::process::Command::new("pdftotext")
                .args(["-bbox", "-raw", "-enc", "UTF-8", "-q"])
                .arg(&p)
                .arg("-")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| o.stdout)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_mutated_inside_and_stay_readable_archives() {
        let seed = minimal_docx().expect("docx");
        let part = |archive: &[u8]| {
            let mut archive =
                zip::ZipArchive::new(std::io::Cursor::new(archive)).expect("an archive");
            let mut text = Vec::new();
            if let Ok(mut part) = archive.by_name("word/document.xml") {
                std::io::Read::read_to_end(&mut part, &mut text).expect("inflates");
            }
            text
        };
        let original = part(&seed);
        assert!(!original.is_empty());
        let mut rng = fastrand::Rng::with_seed(7);
        let mut changed = 0;
        for _ in 0..50 {
            let Some(mutant) = mutate_inside_zip(&mut rng, &seed) else {
                continue;
            };
            let text = part(&mutant);
            if !text.is_empty() && text != original {
                changed += 1;
            }
        }
        assert!(
            changed > 10,
            "{changed} of 50 mutants changed the document part"
        );
    }
}
