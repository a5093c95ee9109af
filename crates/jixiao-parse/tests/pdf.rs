//! PDF as a container: the fixtures under `fixtures/pdf/` (made by `make.sh` from the seed tables
//! and a project sheet) read back to the same model as their source text.
//!
//! The reader runs Poppler's `pdftotext`; where it is not installed these tests say so loudly and
//! pass (CI installs poppler-utils first). The missing-tool message is tested in the CLI tests,
//! which can set `JIXIAO_PDFTOTEXT` for one process without racing other tests.

use jixiao_model::{Document, Grid, Profile};
use jixiao_parse::container::{
    ContainerError, ContainerKind, detect, pdf_tool_available, read_grids,
};
use jixiao_parse::{ReadError, parse_bytes};

const HUADU_TXT: &[u8] = include_bytes!("../../../examples/guangzhou-huadu-rsj.txt");
const YUEXIU_TXT: &[u8] = include_bytes!("../../../examples/guangzhou-yuexiu-rsj.txt");
const HUADU_PDF: &[u8] = include_bytes!("fixtures/pdf/huadu.pdf");
const YUEXIU_PDF: &[u8] = include_bytes!("fixtures/pdf/yuexiu.pdf");
const YUEXIU_STSONG_PDF: &[u8] = include_bytes!("fixtures/pdf/yuexiu-stsong.pdf");
const PROJECT_SHEET_PDF: &[u8] = include_bytes!("fixtures/pdf/project-sheet.pdf");

fn poppler() -> bool {
    let available = pdf_tool_available();
    if !available {
        eprintln!(
            "PDF tests skipped: install poppler-utils (apt-get install poppler-utils poppler-data)"
        );
    }
    available
}

fn documents(source: &str, bytes: &[u8]) -> Vec<Document> {
    let parsed = parse_bytes(source, bytes, &Profile::builtin())
        .unwrap_or_else(|e| panic!("{source} should read: {e}"));
    assert!(
        parsed.problems.is_empty(),
        "{source}: {:?}",
        parsed.problems
    );
    parsed.documents
}

/// Everything a reader cares about, without spans: title (its text; the department-list reader
/// keeps a grid row's trailing tabs in it, for every grid container), department, amount unit,
/// grand total, per project its amounts and goal, per indicator its categories, name and raw values.
fn content(documents: &[Document]) -> Vec<String> {
    let mut lines = Vec::new();
    for document in documents {
        lines.push(format!(
            "{:?} {:?} {:?} {:?}",
            document.title.as_ref().map(|t| t.text.trim().to_owned()),
            document.department.as_ref().map(|t| t.text.to_string()),
            document.amount_unit.as_ref().map(|t| t.text.to_string()),
            document
                .grand_total
                .as_ref()
                .and_then(|t| t.amounts.total.as_ref())
                .map(|a| a.value.normalize()),
        ));
        for (unit, project) in document.projects() {
            let amount = |a: &Option<jixiao_model::Amount>| a.as_ref().map(|a| a.value.normalize());
            let amounts = &project.amounts;
            lines.push(format!(
                "{} / {} {:?} {:?} {:?} {:?} {:?}",
                unit.name.text,
                project.name.text,
                amount(&amounts.total),
                amount(&amounts.fiscal),
                amount(&amounts.special_account),
                amount(&amounts.other),
                project.goal.as_ref().map(|g| g.text.as_str()),
            ));
            for i in &project.indicators {
                lines.push(format!(
                    "  {} {:?} {:?} {} {:?} {:?}",
                    i.seq,
                    i.level1.as_ref().map(|c| c.name.to_string()),
                    i.level2.as_ref().map(|c| c.name.to_string()),
                    i.name.text,
                    i.annual.as_ref().map(|v| v.raw.as_str()),
                    i.period.as_ref().map(|v| v.raw.as_str()),
                ));
            }
        }
    }
    lines
}

fn assert_same(expected: &[Document], actual: &[Document]) {
    let (expected, actual) = (content(expected), content(actual));
    for (e, a) in expected.iter().zip(&actual) {
        assert_eq!(e, a);
    }
    assert_eq!(expected.len(), actual.len());
}

fn grid(source: &str, bytes: &[u8]) -> Grid {
    let mut grids = read_grids(source, bytes).unwrap_or_else(|e| panic!("{source}: {e}"));
    assert_eq!(grids.len(), 1, "{source}: one table");
    grids.remove(0)
}

#[test]
fn pdf_is_detected_by_content() {
    assert_eq!(detect("附件", HUADU_PDF), ContainerKind::Pdf);
    assert_eq!(detect("附件.txt", b"junk\n%PDF-1.4\n"), ContainerKind::Pdf);
    assert_eq!(ContainerKind::Pdf.label(), "PDF 文件");
}

#[test]
fn huadu_pdf_reads_as_the_seed_text() {
    if !poppler() {
        return;
    }
    let text = documents("huadu.txt", HUADU_TXT);
    let pdf = documents("huadu.pdf", HUADU_PDF);
    assert_eq!(pdf.len(), 1);
    assert_eq!(pdf[0].units.len(), 5);
    assert_eq!(pdf[0].projects().count(), 88);
    assert_eq!(pdf[0].indicator_count(), text[0].indicator_count());
    assert_eq!(pdf[0].indicator_count(), 390);
    assert_same(&text, &pdf);
    // The department-list reader reads grid rows as lines, so a project's span line is its grid
    // row; the grid cell there has the page and the cell position.
    let (_, project) = pdf[0].projects().last().expect("projects");
    let grid = grid("huadu.pdf", HUADU_PDF);
    let cell = grid
        .cells
        .iter()
        .find(|c| c.col == 0 && c.row + 1 == project.name.span.line)
        .expect("the project's grid cell");
    assert_eq!(cell.text, project.name.text.as_str());
    let at = cell.span.cell.as_deref().expect("cell reference");
    assert_eq!((at.page, at.row, at.col), (Some(19), cell.row + 1, 1));
}

#[test]
fn yuexiu_pdf_reads_as_the_seed_text() {
    if !poppler() {
        return;
    }
    let text = documents("yuexiu.txt", YUEXIU_TXT);
    let pdf = documents("yuexiu.pdf", YUEXIU_PDF);
    assert_eq!(pdf[0].indicator_count(), 20);
    assert_same(&text, &pdf);
}

/// STSong-Light with UniGB-UCS2-H, not embedded and without a ToUnicode map: only the CMaps in
/// poppler-data say which characters the codes are.
#[test]
fn font_without_tounicode_reads_the_right_characters() {
    if !poppler() {
        return;
    }
    if !std::path::Path::new("/usr/share/poppler/cMap").is_dir() {
        eprintln!("PDF test skipped: install poppler-data (Adobe's CMaps for UniGB-UCS2-H)");
        return;
    }
    let raw = String::from_utf8_lossy(YUEXIU_STSONG_PDF);
    assert!(raw.contains("/STSong-Light") && raw.contains("/UniGB-UCS2-H"));
    assert!(!raw.contains("/ToUnicode") && !raw.contains("/FontFile"));
    let text = documents("yuexiu.txt", YUEXIU_TXT);
    let pdf = documents("yuexiu-stsong.pdf", YUEXIU_STSONG_PDF);
    assert_same(&text, &pdf);
    let department = pdf[0].department.as_ref().expect("部门名称");
    assert!(department.text.contains("广州市越秀区人力资源和社会保障局"));
}

#[test]
fn table_across_pages_is_one_grid_without_repeated_header_or_page_furniture() {
    if !poppler() {
        return;
    }
    let grid = grid("huadu.pdf", HUADU_PDF);
    assert_eq!(grid.name.as_deref(), Some("第 1–19 页"));
    assert_eq!(grid.col_count(), 7);
    let rows = grid.text_rows();
    assert_eq!(rows[0][0], "项目支出绩效目标表（含转移支付项目）");
    assert_eq!(rows[1][0], "部门名称：广州市花都区人力资源和社会保障局");
    assert_eq!(rows[2][0], "单位：万元");
    assert_eq!(
        rows[3],
        [
            "项目名称（资金使用单位）",
            "总计",
            "财政拨款",
            "财政专户拨款",
            "其他资金",
            "绩效目标",
            "绩效指标"
        ]
    );
    let headers = rows
        .iter()
        .filter(|r| r.first().is_some_and(|c| c.starts_with("项目名称")))
        .count();
    assert_eq!(headers, 1, "the header repeated on each page is dropped");
    for cell in &grid.cells {
        assert!(
            !cell.text.contains('页') && !cell.text.contains("部门预算公开"),
            "page furniture in {:?}",
            cell
        );
    }
    // Text rows match the seed's lines cell for cell (wrapped lines joined as typed); rows of
    // the grid end at their last cell, so trailing empty cells are not compared.
    let trimmed = |cells: Vec<String>| {
        let mut cells = cells;
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        cells
    };
    let seed: Vec<Vec<String>> = String::from_utf8_lossy(HUADU_TXT)
        .lines()
        .filter(|l| l.contains('\t') && !l.starts_with("项目名称"))
        .map(|l| trimmed(l.split('\t').map(|c| c.trim().to_owned()).collect()))
        .collect();
    let body: Vec<Vec<String>> = rows[4..]
        .iter()
        .map(|r| trimmed(r.iter().map(|c| c.trim().to_owned()).collect()))
        .collect();
    assert_eq!(body.len(), seed.len());
    for (pdf_row, seed_row) in body.iter().zip(&seed) {
        assert_eq!(pdf_row, seed_row);
    }
}

#[test]
fn project_sheet_pdf_keeps_merged_categories_and_values() {
    if !poppler() {
        return;
    }
    let grid = grid("sheet.pdf", PROJECT_SHEET_PDF);
    let merged = grid
        .cells
        .iter()
        .find(|c| c.text == "1-产出指标")
        .expect("一级 cell");
    assert_eq!((merged.col, merged.row_span), (0, 2), "spans its two rows");
    let sheet = documents("sheet.pdf", PROJECT_SHEET_PDF);
    assert_eq!(sheet.len(), 1);
    let (_, project) = sheet[0].projects().next().expect("project");
    assert_eq!(project.name.text, "自谋职业随军家属专项补贴");
    let rows: Vec<(String, String, String, Option<String>)> = project
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1
                    .as_ref()
                    .map(|c| c.name.to_string())
                    .unwrap_or_default(),
                i.level2
                    .as_ref()
                    .map(|c| c.name.to_string())
                    .unwrap_or_default(),
                i.name.text.to_string(),
                i.annual.as_ref().map(|v| v.raw.to_string()),
            )
        })
        .collect();
    let expected = documents("yuexiu.txt", YUEXIU_TXT);
    let (_, source) = expected[0]
        .projects()
        .find(|(_, p)| p.name.text == "自谋职业随军家属专项补贴")
        .expect("the seed project");
    let source_rows: Vec<(String, String, String, Option<String>)> = source
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1
                    .as_ref()
                    .map(|c| c.name.to_string())
                    .unwrap_or_default(),
                i.level2
                    .as_ref()
                    .map(|c| c.name.to_string())
                    .unwrap_or_default(),
                i.name.text.to_string(),
                i.annual.as_ref().map(|v| v.raw.to_string()),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows, source_rows);
}

#[test]
fn corrupt_pdf_is_a_chinese_error() {
    if !poppler() {
        return;
    }
    let truncated = &YUEXIU_PDF[..YUEXIU_PDF.len() / 3];
    for (name, bytes) in [
        ("坏.pdf", &b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj <<"[..]),
        ("截断.pdf", truncated),
    ] {
        let error = parse_bytes(name, bytes, &Profile::builtin()).expect_err("corrupt");
        assert!(
            matches!(
                error,
                ReadError::Container(ContainerError::CorruptPdf { .. })
            ),
            "{name}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "{name}：PDF 文件已损坏，无法读取，可能下载或复制不完整。请重新获取文件，或用 PDF 阅读器打开后另存一份再读取。"
            )
        );
    }
}

/// Pages per second on the 花都 PDF (19 pages), pdftotext included:
/// `cargo test --release -p jixiao-parse --test pdf -- --ignored --nocapture pdf_pages_per_second`
#[test]
#[ignore = "timing; run by hand for docs/benchmarks.md"]
fn pdf_pages_per_second() {
    if !poppler() {
        return;
    }
    let runs = 10;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let parsed = parse_bytes("huadu.pdf", HUADU_PDF, &Profile::builtin()).expect("reads");
        assert_eq!(parsed.documents[0].indicator_count(), 390);
    }
    let seconds = start.elapsed().as_secs_f64();
    let pages = 19.0 * f64::from(runs);
    println!(
        "huadu.pdf: {runs} runs × 19 pages in {seconds:.2} s = {:.1} pages/s",
        pages / seconds
    );
}
