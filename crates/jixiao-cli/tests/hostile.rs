//! Hostile and unusual files (issue 15): each is built here, in a temporary directory, and read
//! by the `jixiao` binary in a child process whose exit code, message, time and peak memory are
//! checked. Peak memory is the child's `VmHWM` (peak resident set) in `/proc/<pid>/status`,
//! polled every 2 ms while it runs: memory cannot be faulted in fast enough to pass the bound
//! between two polls, and the bounds are far below what the files asked for before the limits
//! (gigabytes, or an abort).

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, FlushCompress, Status};

/// The issue's bound for every hostile file.
const PEAK_BOUND_KIB: u64 = 200 * 1024;

/// The issue asks for 5 s in a release build; the tests run the debug binary, several times
/// slower, so they allow more (`docs/reliability.md` has the release timings).
fn time_bound() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(5)
    }
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_kib: u64,
    elapsed: Duration,
}

/// Runs `jixiao` with `args` in `dir`, measuring its peak memory.
fn jixiao(dir: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jixiao starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).ok();
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| vm_hwm(&status))
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > time_bound() * 2 {
            child.kill().ok();
            panic!("jixiao {args:?} ran past {:?}", time_bound() * 2);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        code: status.code(),
        stdout: out.join().expect("stdout thread"),
        stderr: err.join().expect("stderr thread"),
        peak_kib,
        elapsed: start.elapsed(),
    }
}

fn vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Asserts the bounds every hostile file must meet, and the exit code.
fn assert_bounded(run: &Run, code: i32) {
    eprintln!(
        "exit {:?}, {:.2} s, peak {} MiB\n{}",
        run.code,
        run.elapsed.as_secs_f64(),
        run.peak_kib / 1024,
        run.stderr
    );
    assert_eq!(run.code, Some(code), "stderr: {}", run.stderr);
    assert!(
        run.peak_kib > 0 && run.peak_kib < PEAK_BOUND_KIB,
        "peak {} KiB",
        run.peak_kib
    );
    assert!(run.elapsed < time_bound(), "took {:?}", run.elapsed);
}

/// Asserts that a limit refused the file, with the Chinese message naming it and its flag.
fn assert_refused(run: &Run, what: &str, flag: &str) {
    assert_bounded(run, 2);
    assert!(run.stderr.contains(what), "stderr: {}", run.stderr);
    assert!(run.stderr.contains("超过上限"), "stderr: {}", run.stderr);
    assert!(run.stderr.contains(flag), "stderr: {}", run.stderr);
    assert!(run.stderr.contains("[limits]"), "stderr: {}", run.stderr);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(path).expect("example")
}

// ---------------------------------------------------------------------------------------------
// ZIP packages built by hand, so a member can inflate to gigabytes from a few megabytes.

/// A ZIP member: its stored bytes, CRC and inflated size; `deflated` says how it is stored.
struct Member {
    name: String,
    data: Vec<u8>,
    crc: u32,
    size: u64,
    deflated: bool,
}

fn stored(name: &str, data: &[u8]) -> Member {
    Member {
        name: name.to_owned(),
        data: data.to_vec(),
        crc: crc32fast::hash(data),
        size: data.len() as u64,
        deflated: false,
    }
}

/// A deflated member whose content is `head`, then `chunk` `times` times, then `tail`. The
/// chunk is compressed once after a full flush (which resets the window), so its compressed
/// bytes can be repeated; the CRC of the repetition is combined, not computed over gigabytes.
fn repeated(name: &str, head: &[u8], chunk: &[u8], times: u64, tail: &[u8]) -> Member {
    let mut compress = Compress::new(Compression::best(), false);
    let mut data = Vec::new();
    deflate(&mut compress, head, FlushCompress::Full, &mut data);
    let mut block = Vec::new();
    deflate(&mut compress, chunk, FlushCompress::Full, &mut block);
    for _ in 0..times {
        data.extend_from_slice(&block);
    }
    deflate(&mut compress, tail, FlushCompress::Finish, &mut data);

    let mut crc = crc32fast::Hasher::new();
    crc.update(head);
    let mut power = crc32fast::Hasher::new();
    power.update(chunk);
    let mut repetitions = crc32fast::Hasher::new();
    let mut n = times;
    while n > 0 {
        if n & 1 == 1 {
            repetitions.combine(&power);
        }
        let doubled = power.clone();
        power.combine(&doubled);
        n >>= 1;
    }
    crc.combine(&repetitions);
    let mut end = crc32fast::Hasher::new();
    end.update(tail);
    crc.combine(&end);
    Member {
        name: name.to_owned(),
        data,
        crc: crc.finalize(),
        size: head.len() as u64 + chunk.len() as u64 * times + tail.len() as u64,
        deflated: true,
    }
}

fn deflate(compress: &mut Compress, mut input: &[u8], flush: FlushCompress, out: &mut Vec<u8>) {
    loop {
        out.reserve(64 * 1024);
        let before = compress.total_in();
        let status = compress.compress_vec(input, out, flush).expect("deflate");
        let consumed = usize::try_from(compress.total_in() - before).expect("size");
        input = &input[consumed..];
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            _ => out.len() < out.capacity(),
        };
        if input.is_empty() && done {
            return;
        }
    }
}

/// A ZIP archive of `members` (sizes past 4 GiB are not needed here).
fn zip(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for member in members {
        let offset = u32::try_from(out.len()).expect("offset");
        let method: u16 = if member.deflated { 8 } else { 0 };
        let compressed = u32::try_from(member.data.len()).expect("size");
        let size = u32::try_from(member.size).expect("size");
        let name = member.name.as_bytes();
        let name_len = u16::try_from(name.len()).expect("name");
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(method.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend(member.crc.to_le_bytes());
        out.extend(compressed.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(name_len.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(name);
        out.extend(&member.data);

        directory.extend(0x0201_4b50u32.to_le_bytes());
        directory.extend(20u16.to_le_bytes());
        directory.extend(20u16.to_le_bytes());
        directory.extend(0u16.to_le_bytes());
        directory.extend(method.to_le_bytes());
        directory.extend([0u8; 4]);
        directory.extend(member.crc.to_le_bytes());
        directory.extend(compressed.to_le_bytes());
        directory.extend(size.to_le_bytes());
        directory.extend(name_len.to_le_bytes());
        directory.extend([0u8; 12]);
        directory.extend(offset.to_le_bytes());
        directory.extend(name);
    }
    let start = u32::try_from(out.len()).expect("offset");
    let count = u16::try_from(members.len()).expect("count");
    let directory_len = u32::try_from(directory.len()).expect("size");
    out.extend(directory);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(directory_len.to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const GIB: u64 = 1 << 30;

/// An XLSX package with one sheet and a shared-strings part.
fn xlsx(sheet: Member, shared_strings: Member) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    zip(&[
        stored("[Content_Types].xml", types.as_bytes()),
        stored("_rels/.rels", rels.as_bytes()),
        stored("xl/workbook.xml", workbook.as_bytes()),
        stored("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        sheet,
        shared_strings,
    ])
}

fn one_cell_sheet() -> Member {
    let sheet = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
    );
    stored("xl/worksheets/sheet1.xml", sheet.as_bytes())
}

fn no_shared_strings() -> Member {
    stored(
        "xl/sharedStrings.xml",
        format!(r#"<sst xmlns="{MAIN}"></sst>"#).as_bytes(),
    )
}

#[test]
fn xlsx_whose_shared_strings_inflate_to_2_gib_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 2 GiB of 1 KiB strings: the inflated size is what runs out first.
    let string = format!("<si><t>{}</t></si>", "项".repeat(335));
    let chunk = string.repeat(1024);
    let times = 2 * GIB / chunk.len() as u64;
    let strings = repeated(
        "xl/sharedStrings.xml",
        format!(r#"<?xml version="1.0"?><sst xmlns="{MAIN}">"#).as_bytes(),
        chunk.as_bytes(),
        times,
        b"</sst>",
    );
    let bytes = xlsx(one_cell_sheet(), strings);
    assert!(bytes.len() < 8 << 20, "{} bytes", bytes.len());
    write(dir.path(), "bomb.xlsx", &bytes);
    let run = jixiao(dir.path(), &["parse", "bomb.xlsx"]);
    assert_refused(&run, "解压后的大小超过上限 256MiB", "--max-inflated-size");
    assert!(run.stderr.contains("xl/sharedStrings.xml"));
}

#[test]
fn xlsx_with_millions_of_tiny_shared_strings_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chunk = "<si><t>a</t></si>".repeat(1 << 16);
    let strings = repeated(
        "xl/sharedStrings.xml",
        format!(r#"<?xml version="1.0"?><sst xmlns="{MAIN}">"#).as_bytes(),
        chunk.as_bytes(),
        2 * GIB / chunk.len() as u64,
        b"</sst>",
    );
    write(dir.path(), "strings.xlsx", &xlsx(one_cell_sheet(), strings));
    let run = jixiao(dir.path(), &["parse", "strings.xlsx"]);
    assert_refused(&run, "单元格数超过上限 2000000", "--max-cells");
}

#[test]
fn xlsx_claiming_billions_of_shared_strings_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // calamine reserves room for `uniqueCount` strings before reading one.
    let strings = stored(
        "xl/sharedStrings.xml",
        format!(r#"<sst xmlns="{MAIN}" count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#)
            .as_bytes(),
    );
    write(dir.path(), "claim.xlsx", &xlsx(one_cell_sheet(), strings));
    let run = jixiao(dir.path(), &["parse", "claim.xlsx"]);
    assert_refused(&run, "单元格数超过上限", "--max-cells");
}

#[test]
fn xlsx_sheet_of_2_gib_of_spaces_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sheet = repeated(
        "xl/worksheets/sheet1.xml",
        format!(r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#)
            .as_bytes(),
        &[b' '; 1 << 20],
        2048,
        b"x</t></is></c></row></sheetData></worksheet>",
    );
    write(dir.path(), "spaces.xlsx", &xlsx(sheet, no_shared_strings()));
    let run = jixiao(dir.path(), &["parse", "spaces.xlsx"]);
    assert_refused(&run, "长度超过上限 1MiB", "--max-cell-size");
}

#[test]
fn xlsx_with_a_cell_at_xfd1048576_reads_sparsely() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let text = example("guangzhou-yuexiu-rsj.txt");
    for (row, line) in (0u32..).zip(text.lines()) {
        for (col, cell) in (0u16..).zip(line.split('\t')) {
            if !cell.is_empty() {
                sheet.write_string(row, col, cell).expect("cell");
            }
        }
    }
    sheet
        .write_string(1_048_575, 16_383, "备注")
        .expect("far cell");
    let bytes = workbook.save_to_buffer().expect("xlsx");
    assert!(bytes.len() < 64 * 1024);
    write(dir.path(), "far.xlsx", &bytes);
    let run = jixiao(dir.path(), &["parse", "far.xlsx"]);
    assert_bounded(&run, 0);
    assert!(run.stdout.contains("10 个项目"), "stdout: {}", run.stdout);
}

#[test]
fn docx_whose_document_inflates_to_2_gib_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let chunk = "<w:p><w:r><w:t>项目</w:t></w:r></w:p>".repeat(1 << 15);
    let document = repeated(
        "word/document.xml",
        br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        chunk.as_bytes(),
        2 * GIB / chunk.len() as u64,
        b"</w:body></w:document>",
    );
    let bytes = zip(&[
        stored("[Content_Types].xml", types.as_bytes()),
        stored("_rels/.rels", rels.as_bytes()),
        document,
    ]);
    write(dir.path(), "bomb.docx", &bytes);
    let run = jixiao(dir.path(), &["parse", "bomb.docx"]);
    assert_refused(&run, "解压后的大小超过上限", "--max-inflated-size");
}

// ---------------------------------------------------------------------------------------------
// HTML

fn nested_tables(depth: usize) -> String {
    format!(
        "<html><body>{}x{}</body></html>",
        "<table><tr><td>".repeat(depth),
        "</td></tr></table>".repeat(depth)
    )
}

#[test]
fn html_of_100k_nested_tables_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "nested.html", nested_tables(100_000).as_bytes());
    let run = jixiao(dir.path(), &["parse", "nested.html"]);
    assert_refused(&run, "表格嵌套的层数超过上限 100", "--max-depth");
}

#[test]
fn html_nesting_takes_linear_time_when_the_limit_is_raised() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "nested.html", nested_tables(20_000).as_bytes());
    let run = jixiao(
        dir.path(),
        &["parse", "--max-depth", "100000", "nested.html"],
    );
    // Not a 绩效目标表, but read to the end: the answer is that no table was found.
    assert_bounded(&run, 2);
    assert!(run.stderr.contains("未找到绩效目标表"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Text

#[test]
fn text_of_one_200_mb_line_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("line.txt");
    let mut file = std::fs::File::create(&path).expect("create");
    let block = vec![b'a'; 1 << 20];
    for _ in 0..200 {
        file.write_all(&block).expect("write");
    }
    drop(file);
    let run = jixiao(dir.path(), &["parse", "line.txt"]);
    assert_refused(&run, "文件大小超过上限 128MiB", "--max-file-size");
}

#[test]
fn text_of_one_100_mb_line_is_refused_at_the_cell_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, unit) in [("line.txt", &b"a"[..]), ("spaces.txt", b"a ")] {
        let path = dir.path().join(name);
        let mut file = std::fs::File::create(&path).expect("create");
        let block = unit.repeat((1 << 20) / unit.len());
        for _ in 0..100 {
            file.write_all(&block).expect("write");
        }
        drop(file);
        let run = jixiao(dir.path(), &["parse", name]);
        assert_refused(
            &run,
            "第 1 行：一个单元格（或文本文件的一行）的长度超过上限 1MiB",
            "--max-cell-size",
        );
    }
}

/// Run-together text of header words repeated (found by `cargo xtask fuzz`): every position
/// started a header that ran to the end of the text, and every grid searched the rest of the text
/// for its end, so 240 KB took minutes. A megabyte now takes about a second in a debug build.
#[test]
fn text_of_one_header_word_repeated_takes_linear_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "word.txt", "一级指标".repeat(87_000).as_bytes());
    write(
        dir.path(),
        "header.txt",
        "一级指标二级指标三级指标指标值".repeat(18_000).as_bytes(),
    );
    for name in ["word.txt", "header.txt"] {
        let run = jixiao(dir.path(), &["parse", name]);
        assert_bounded(&run, 2);
        assert!(run.stderr.contains(name), "{}", run.stderr);
    }
}

#[test]
fn rows_of_thousands_of_empty_cells_cost_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let row = format!("项目名称,总计,{}x\n", ",".repeat(16_000));
    write(dir.path(), "wide.csv", row.repeat(300).as_bytes());
    let run = jixiao(dir.path(), &["parse", "wide.csv"]);
    assert_bounded(&run, 2);
    assert!(!run.stderr.contains("超过上限"), "{}", run.stderr);

    let row = format!("项目名称\t总计\t{}x\n", "\t".repeat(20_000));
    write(dir.path(), "wider.txt", row.repeat(3).as_bytes());
    let run = jixiao(dir.path(), &["parse", "wider.txt"]);
    assert_refused(&run, "第 1 行：一行的列数超过上限 16384", "--max-columns");
}

#[test]
fn utf16_text_with_a_bom_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = example("guangzhou-yuexiu-rsj.txt");
    let text = text.trim_start_matches('\u{feff}');
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    for (name, bytes, encoding) in [("le.txt", le, "UTF-16LE"), ("be.txt", be, "UTF-16BE")] {
        write(dir.path(), name, &bytes);
        let run = jixiao(dir.path(), &["parse", name]);
        assert_bounded(&run, 0);
        assert!(run.stdout.contains("10 个项目"), "stdout: {}", run.stdout);
        assert!(run.stdout.contains(encoding), "stdout: {}", run.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// PDF

/// True when Poppler's `pdftotext` and Adobe's CMaps are here; else the PDF tests say so loudly
/// (`.ci/run` installs them, so CI runs these tests).
fn poppler() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok()
        && Path::new("/usr/share/poppler/cMap").is_dir();
    if !found {
        eprintln!("PDF test skipped: install poppler-utils and poppler-data");
    }
    found
}

/// A one-page PDF of `words` (text, x, y from the bottom) in STSong-Light (not embedded, read
/// through poppler-data's UniGB-UCS2-H), its content stream deflated: repeated words make a
/// small file whose text layout is large.
fn pdf(width: u32, height: u32, size: f32, words: &[(String, f32, f32)]) -> Vec<u8> {
    let mut content = format!("BT /F1 {size} Tf\n");
    for (text, x, y) in words {
        let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
        content.push_str(&format!("1 0 0 1 {x} {y} Tm <{hex}> Tj\n"));
    }
    content.push_str("ET\n");
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(content.as_bytes()).expect("deflate");
    let stream = encoder.finish().expect("deflate");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] \
             /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>"
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
           /DescendantFonts [5 0 R] >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
           /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 >>"
            .to_vec(),
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                stream.len()
            )
            .as_bytes(),
            &stream,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// An indicator header, then `rows` × `cols` one-character words, each its own cell: far enough
/// apart that no two join, so every word is a fragment, a block and a cell of the rebuilt table.
fn pdf_grid(rows: u32, cols: u32) -> Vec<u8> {
    let (width, height) = (cols * 5 + 40, rows * 5 + 60);
    let top = (height - 20) as f32;
    let mut words: Vec<(String, f32, f32)> = ["一级指标", "二级指标", "三级指标", "指标值"]
        .iter()
        .enumerate()
        .map(|(i, w)| (w.to_string(), 20.0 + 12.0 * i as f32, top))
        .collect();
    for row in 0..rows {
        for col in 0..cols {
            let word = char::from_u32(0x4E00 + (row * cols + col) % 0x5000).unwrap_or('甲');
            words.push((
                word.to_string(),
                20.0 + 5.0 * col as f32,
                top - 10.0 - 5.0 * row as f32,
            ));
        }
    }
    pdf(width, height, 2.0, &words)
}

#[test]
fn pdf_whose_text_layout_inflates_past_the_limit_is_refused() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = pdf_grid(400, 500);
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    write(dir.path(), "layout.pdf", &bytes);
    let run = jixiao(
        dir.path(),
        &["parse", "--max-inflated-size", "4MiB", "layout.pdf"],
    );
    assert_refused(
        &run,
        "PDF 中的文字（pdftotext 解出）：解压后的大小超过上限 4MiB",
        "--max-inflated-size",
    );
}

#[test]
fn pdf_page_of_200k_separate_words_takes_linear_time() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "grid.pdf", &pdf_grid(400, 500));
    let run = jixiao(dir.path(), &["parse", "grid.pdf"]);
    // One character per cell under an indicator header: read as such, in bounded time and
    // memory (Poppler's own layout, `-bbox-layout`, took 227 s for 40,000 of these words).
    assert_bounded(&run, 0);
    assert!(run.stdout.contains("grid.pdf"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// Settings and messages

#[test]
fn limits_come_from_jixiao_toml_and_flags_override_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "nested.html", nested_tables(5).as_bytes());
    write(dir.path(), "jixiao.toml", b"[limits]\ndepth = 3\n");
    let run = jixiao(dir.path(), &["parse", "nested.html"]);
    assert_refused(&run, "表格嵌套的层数超过上限 3", "--max-depth");
    let run = jixiao(dir.path(), &["check", "nested.html"]);
    assert_refused(&run, "表格嵌套的层数超过上限 3", "--max-depth");

    let run = jixiao(dir.path(), &["parse", "--max-depth", "10", "nested.html"]);
    assert_eq!(run.code, Some(2));
    assert!(!run.stderr.contains("超过上限"), "{}", run.stderr);

    write(dir.path(), "jixiao.toml", b"[limits]\nrows = 3\n");
    let run = jixiao(dir.path(), &["parse", "nested.html"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("[limits] 中没有“rows”这一项"),
        "{}",
        run.stderr
    );
}

#[test]
fn limit_values_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.txt", b"x");
    let run = jixiao(dir.path(), &["parse", "--max-cells", "3MiB", "a.txt"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("--max-cells"), "{}", run.stderr);
    assert!(run.stderr.contains("请写正整数"), "{}", run.stderr);
    let run = jixiao(dir.path(), &["parse", "--max-file-size", "1KiB", "a.txt"]);
    assert_ne!(run.code, Some(0));
    assert!(!run.stderr.contains("超过上限"), "{}", run.stderr);
}

#[test]
fn missing_files_and_folders_are_named_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("表格")).expect("mkdir");
    let run = jixiao(dir.path(), &["parse", "没有这个文件.txt"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("找不到文件：没有这个文件.txt"),
        "{}",
        run.stderr
    );
    let run = jixiao(dir.path(), &["parse", "表格"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("这是一个目录：表格"), "{}", run.stderr);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for args in [
        &["parse", "--format", "json"][..],
        &["parse", "--format", "csv"],
        &["check"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .args(["guangzhou-huadu-rsj.txt", "guangzhou-yuexiu-rsj.txt"])
            .current_dir(&examples)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("jixiao starts");
        // `| head -0`: the reader goes away before the first write.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
        assert_ne!(output.status.code(), Some(2), "{args:?}: {stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// XLS: an OLE compound file with one `Workbook` stream of BIFF8 records (`xtask::xls`).

/// A fuzzer's XLS (`cargo xtask fuzz`) whose sector chain loops and whose stream claims 4 GB:
/// calamine followed the loop until the machine ran out of memory (23 GB before the OOM killer).
#[test]
fn xls_whose_sector_chain_loops_is_refused_before_calamine_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../jixiao-parse/tests/fixtures/fuzz/xls-chain-loop.xls");
    std::fs::copy(&fixture, dir.path().join("loop.xls")).expect("fixture");
    let run = jixiao(dir.path(), &["parse", "loop.xls"]);
    assert_bounded(&run, 2);
    assert!(
        run.stderr.contains("loop.xls：Excel 工作簿内容损坏"),
        "{}",
        run.stderr
    );
}

#[test]
fn xls_with_cells_at_a1_and_iv65536_is_refused_before_calamine_builds_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = xtask::xls::workbook(&[(0, 0, "a"), (65_535, 255, "b")]);
    assert!(bytes.len() < 8 * 1024);
    write(dir.path(), "far.xls", &bytes);
    let run = jixiao(dir.path(), &["parse", "far.xls"]);
    assert_refused(&run, "从 A1 到 IV65536 的范围", "--max-cells");

    // The same records close together read as a sheet.
    let bytes = xtask::xls::workbook(&[(0, 0, "a"), (1, 1, "b")]);
    write(dir.path(), "near.xls", &bytes);
    let run = jixiao(dir.path(), &["parse", "near.xls"]);
    assert_bounded(&run, 2);
    assert!(run.stderr.contains("未找到绩效目标表"), "{}", run.stderr);
    assert!(run.stderr.contains("首格“a”"), "{}", run.stderr);
}
