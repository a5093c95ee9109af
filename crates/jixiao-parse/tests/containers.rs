//! The container layer on fixtures modeled on published tables: every container's cell texts,
//! lattice positions, spans, and the messages for files it cannot read.

use std::io::{Cursor, Write};

use jixiao_model::{CellRef, Grid, GridCell};
use jixiao_parse::container::{ContainerError, ContainerKind, detect, read_grids};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const HUADU: &[u8] = include_bytes!("../../../examples/guangzhou-huadu-rsj.txt");

fn grids(source: &str, bytes: &[u8]) -> Vec<Grid> {
    read_grids(source, bytes).unwrap_or_else(|e| panic!("{source} should read: {e}"))
}

fn error(source: &str, bytes: &[u8]) -> String {
    match read_grids(source, bytes) {
        Ok(grids) => panic!("{source} should fail, read {} grids", grids.len()),
        Err(e) => e.to_string(),
    }
}

/// The cell whose top-left lattice position is `(row, col)`.
fn cell(grid: &Grid, row: u32, col: u32) -> &GridCell {
    grid.cells
        .iter()
        .find(|c| c.row == row && c.col == col)
        .unwrap_or_else(|| panic!("no cell at ({row}, {col}) in {:?}", grid.name))
}

fn no_cell(grid: &Grid, row: u32, col: u32) -> bool {
    !grid.cells.iter().any(|c| c.row == row && c.col == col)
}

/// Lattice position, spans and text of a cell, for compact assertions.
fn shape(cell: &GridCell) -> (u32, u32, u32, u32, &str) {
    (
        cell.row,
        cell.col,
        cell.row_span,
        cell.col_span,
        cell.text.as_str(),
    )
}

fn cell_ref(cell: &GridCell) -> &CellRef {
    cell.span
        .cell
        .as_deref()
        .expect("grid cells carry a cell reference")
}

fn text_rows(grid: &Grid) -> Vec<Vec<String>> {
    grid.text_rows()
        .into_iter()
        .map(|row| row.into_iter().map(str::to_owned).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// XLSX

/// A 项目支出绩效目标申报表 sheet (one sheet per project) with merged 一级/二级 cells and the
/// number formats such sheets use, starting at B2 like many exported sheets.
fn project_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let merged = Format::new();
    let money = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0%");
    let iso = Format::new().set_num_format("yyyy-mm-dd");
    let chinese_date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let sheet = book.add_worksheet();
    sheet.set_name("雾炮车项目").expect("name");
    let put = |result: Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>| {
        result.expect("write");
    };
    put(sheet.merge_range(1, 1, 1, 6, "2023年项目支出绩效目标申报表", &merged));
    put(sheet.write_string(2, 1, "单位：万元"));
    put(sheet.write_string(3, 1, "项目名称"));
    put(sheet.merge_range(3, 2, 3, 6, "雾炮车降尘抑尘服务", &merged));
    put(sheet.write_string(4, 1, "年度预算"));
    put(sheet.write_number(4, 2, 35.400000000000006));
    put(sheet.write_string(4, 3, "总金额"));
    put(sheet.write_number_with_format(4, 4, 1234.5, &money));
    put(sheet.write_string(4, 5, "实施期"));
    let start = ExcelDateTime::from_ymd(2023, 1, 1).expect("date");
    put(sheet.write_datetime_with_format(4, 6, &start, &iso));
    put(sheet.write_datetime_with_format(5, 6, &start, &chinese_date));
    for (col, head) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "度量单位",
        "权重",
    ]
    .iter()
    .enumerate()
    {
        put(sheet.write_string(6, 1 + col as u16, *head));
    }
    put(sheet.merge_range(7, 1, 9, 1, "产出指标", &merged));
    put(sheet.merge_range(7, 2, 8, 2, "数量指标", &merged));
    put(sheet.write_string(9, 2, "质量指标"));
    put(sheet.write_string(7, 3, "配备车辆数"));
    put(sheet.write_number(7, 4, 10.0));
    put(sheet.write_string(7, 5, "辆"));
    put(sheet.write_string(8, 3, "风炮射程"));
    put(sheet.write_string(8, 4, "≥80"));
    put(sheet.write_string(8, 5, "米"));
    put(sheet.write_string(9, 3, "空气质量达标率"));
    put(sheet.write_number_with_format(9, 4, 1.0, &percent));
    put(sheet.write_number_with_format(9, 6, 0.95, &percent));
    put(sheet.write_number(7, 6, 0.1 + 0.2));
    put(sheet.write_string(10, 1, "多行\n说明"));

    book.add_worksheet().set_name("空白").expect("name");
    let hidden = book.add_worksheet();
    hidden.set_name("下拉选项").expect("name");
    put(hidden.write_string(0, 0, "产出指标"));
    hidden.set_hidden(true);
    book.save_to_buffer().expect("workbook")
}

#[test]
fn xlsx_project_sheet_keeps_merges_and_displayed_numbers() {
    let bytes = project_workbook();
    assert_eq!(detect("项目.xlsx", &bytes), ContainerKind::Xlsx);
    assert_eq!(detect("download", &bytes), ContainerKind::Xlsx);
    let grids = grids("项目.xlsx", &bytes);
    assert_eq!(
        grids.len(),
        1,
        "the empty and the hidden sheet are left out"
    );
    let grid = &grids[0];
    assert_eq!(grid.name.as_deref(), Some("雾炮车项目"));
    assert_eq!(grid.encoding, None);
    assert_eq!(&*grid.source, "项目.xlsx");

    // The lattice starts at the first used cell, B2.
    assert_eq!(
        shape(cell(grid, 0, 0)),
        (0, 0, 1, 6, "2023年项目支出绩效目标申报表")
    );
    assert_eq!(shape(cell(grid, 1, 0)), (1, 0, 1, 1, "单位：万元"));
    assert_eq!(shape(cell(grid, 2, 1)), (2, 1, 1, 5, "雾炮车降尘抑尘服务"));
    assert_eq!(cell(grid, 3, 1).text, "35.4");
    assert_eq!(cell(grid, 3, 3).text, "1,234.50");
    assert_eq!(cell(grid, 3, 5).text, "2023-01-01");
    assert_eq!(cell(grid, 4, 5).text, "2023年1月1日");
    assert_eq!(shape(cell(grid, 6, 0)), (6, 0, 3, 1, "产出指标"));
    assert_eq!(shape(cell(grid, 6, 1)), (6, 1, 2, 1, "数量指标"));
    assert_eq!(shape(cell(grid, 8, 1)), (8, 1, 1, 1, "质量指标"));
    assert!(no_cell(grid, 7, 0) && no_cell(grid, 8, 0) && no_cell(grid, 7, 1));
    assert_eq!(cell(grid, 6, 3).text, "10");
    assert_eq!(cell(grid, 6, 5).text, "0.3");
    assert_eq!(cell(grid, 8, 3).text, "100%");
    assert_eq!(cell(grid, 8, 5).text, "95%");
    assert_eq!(cell(grid, 9, 0).text, "多行\n说明");

    let rows = text_rows(grid);
    assert_eq!(rows[7][..4], ["产出指标", "数量指标", "风炮射程", "≥80"]);
    assert_eq!(
        rows[8][..5],
        ["产出指标", "质量指标", "空气质量达标率", "100%", ""]
    );

    // Spans hold the sheet position a user sees: 产出指标 is at B8.
    let origin = cell(grid, 6, 0);
    assert_eq!(
        cell_ref(origin),
        &CellRef {
            sheet: Some("雾炮车项目".to_owned()),
            page: None,
            row: 8,
            col: 2,
        }
    );
    assert_eq!(
        (origin.span.line, origin.span.start, origin.span.end),
        (8, 0, 0)
    );
    assert_eq!(
        origin.span.to_string(),
        "项目.xlsx:8 [雾炮车项目] 第8行第2列"
    );
}

#[test]
fn xlsx_with_only_empty_sheets_is_an_error() {
    let mut book = Workbook::new();
    book.add_worksheet();
    let bytes = book.save_to_buffer().expect("workbook");
    assert_eq!(
        error("空表.xlsx", &bytes),
        "空表.xlsx：Excel 工作簿（XLSX）中没有找到表格（所有工作表或表格都是空的）。请确认文件内容是绩效目标表。"
    );
}

/// XLS files the fuzzer made (`cargo xtask fuzz`) on which calamine's compound-file reader
/// panics (a sector cut short): each is a damaged workbook, in Chinese, not a crash.
#[test]
fn xls_on_which_calamine_panics_is_a_damaged_workbook() {
    for n in 0..3 {
        let name = format!("xls-cfb-assert-{n}.xls");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fuzz")
            .join(&name);
        let bytes = std::fs::read(&path).expect("fixture");
        assert_eq!(
            error(&name, &bytes),
            format!(
                "{name}：Excel 工作簿内容损坏，无法读取工作表。请用 Excel 或 WPS 打开后另存为 XLSX 再读取。"
            )
        );
    }
}

// ---------------------------------------------------------------------------------------------
// DOCX

fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        writer.write_all(content.as_bytes()).expect("write");
    }
    writer.finish().expect("zip").into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn tc(props: &str, body: &str) -> String {
    format!("<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/>{props}</w:tcPr>{body}</w:tc>")
}

/// A 申报表 as Word tables: title and unit paragraphs, a project row spanning three columns,
/// 一级指标 merged down two rows, a row starting one column in, a cell of two paragraphs, a
/// nested table, and a second table after a paragraph.
fn project_document() -> String {
    let inner = format!(
        "<w:tbl><w:tr>{}</w:tr><w:tr>{}</w:tr></w:tbl>",
        tc("", &para("内表甲")),
        tc("", &para("内表乙"))
    );
    let rows = [
        format!(
            "<w:tr>{}{}</w:tr>",
            tc("", &para("项目名称")),
            tc("<w:gridSpan w:val=\"3\"/>", &para("雾炮车降尘抑尘服务"))
        ),
        format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc("", &para("一级指标")),
            tc("", &para("二级指标")),
            tc("", &para("三级指标")),
            tc("", &para("指标值"))
        ),
        format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc("<w:vMerge w:val=\"restart\"/>", &para("产出指标")),
            tc("", &para("数量指标")),
            tc("", &para("车辆数")),
            tc("", &para("10辆"))
        ),
        format!(
            "<w:tr>{}{}{}{}</w:tr>",
            tc("<w:vMerge/>", "<w:p/>"),
            tc("", &para("质量指标")),
            tc(
                "",
                "<w:p><w:r><w:t>空气</w:t></w:r><w:r><w:delText>不</w:delText></w:r><w:r><w:t>质量</w:t></w:r></w:p>"
            ),
            tc("", &format!("{}{}", para("优良"), para("（全年）")))
        ),
        format!(
            "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}{}</w:tr>",
            tc("", &para("社会效益指标")),
            tc(
                "",
                &format!(
                    "<w:p><w:r><w:t>满意度&amp;知晓率</w:t><w:br/><w:t>（群众）</w:t></w:r></w:p>{inner}"
                )
            ),
            tc("", &para("≥85%"))
        ),
    ];
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{}{}<w:p/><w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{}</w:tbl>{}<w:tbl><w:tr>{}{}</w:tr></w:tbl>{}<w:sectPr/></w:body></w:document>"#,
        para("2023年度项目支出绩效目标申报表"),
        para("单位：万元"),
        rows.concat(),
        para("表二　资金明细"),
        tc("", &para("财政拨款")),
        tc("", &para("35.40")),
        para("填表人：张三"),
    )
}

fn docx(document: &str) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", document),
    ])
}

#[test]
fn docx_tables_keep_spans_titles_and_nested_tables() {
    let bytes = docx(&project_document());
    assert_eq!(detect("申报表.docx", &bytes), ContainerKind::Docx);
    assert_eq!(detect("申报表", &bytes), ContainerKind::Docx);
    let grids = grids("申报表.docx", &bytes);
    let names: Vec<_> = grids.iter().map(|g| g.name.as_deref()).collect();
    assert_eq!(names, [Some("表格 1"), Some("表格 2"), Some("表格 3")]);

    let main = &grids[0];
    // Title paragraphs first, each spanning the table's four columns.
    assert_eq!(
        shape(cell(main, 0, 0)),
        (0, 0, 1, 4, "2023年度项目支出绩效目标申报表")
    );
    assert_eq!(shape(cell(main, 1, 0)), (1, 0, 1, 4, "单位：万元"));
    assert_eq!(cell(main, 0, 0).span.cell, None);
    assert_eq!(cell(main, 1, 0).span.line, 2);
    // The table, two rows down.
    assert_eq!(shape(cell(main, 2, 1)), (2, 1, 1, 3, "雾炮车降尘抑尘服务"));
    assert_eq!(shape(cell(main, 4, 0)), (4, 0, 2, 1, "产出指标"));
    assert!(no_cell(main, 5, 0));
    assert_eq!(cell(main, 5, 2).text, "空气质量");
    assert_eq!(cell(main, 5, 3).text, "优良\n（全年）");
    assert!(
        no_cell(main, 6, 0),
        "gridBefore leaves the first column empty"
    );
    assert_eq!(shape(cell(main, 6, 1)), (6, 1, 1, 1, "社会效益指标"));
    assert_eq!(cell(main, 6, 2).text, "满意度&知晓率\n（群众）");
    assert_eq!(cell(main, 6, 3).text, "≥85%");
    assert_eq!(
        cell_ref(cell(main, 4, 0)),
        &CellRef {
            sheet: Some("表格 1".to_owned()),
            page: None,
            row: 3,
            col: 1,
        }
    );

    let nested = &grids[1];
    assert_eq!(text_rows(nested), [["内表甲"], ["内表乙"]]);
    assert_eq!(
        cell_ref(cell(nested, 1, 0)).sheet.as_deref(),
        Some("表格 2")
    );

    let second = &grids[2];
    assert_eq!(
        text_rows(second),
        [
            vec!["表二 资金明细".to_owned(), "表二 资金明细".to_owned()],
            vec!["财政拨款".to_owned(), "35.40".to_owned()],
        ]
    );
    assert!(
        grids
            .iter()
            .all(|g| g.cells.iter().all(|c| !c.text.contains("填表人"))),
        "paragraphs after the last table are not kept"
    );
}

#[test]
fn docx_follows_the_package_relationship_to_its_main_part() {
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let document = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>权重</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
    let bytes = zip(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", rels),
        ("word/document2.xml", document),
    ]);
    let grids = grids("x.docx", &bytes);
    assert_eq!(text_rows(&grids[0]), [["权重"]]);
}

#[test]
fn docx_without_tables_is_an_error() {
    let document = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>说明</w:t></w:r></w:p></w:body></w:document>"#;
    assert_eq!(
        error("说明.docx", &docx(document)),
        "说明.docx：Word 文档（DOCX）中没有找到表格（所有工作表或表格都是空的）。请确认文件内容是绩效目标表。"
    );
}

// ---------------------------------------------------------------------------------------------
// HTML

const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>绩效目标</title></head><body>
<h1>2023年项目支出绩效目标申报表</h1>
<table border="1">
  <tr><th colspan="2">一级/二级指标</th><th>三级指标</th><th>指标值</th></tr>
  <tr><td rowspan="3">产出指标</td><td rowspan="2">数量指标</td><td>车辆数</td><td>10&nbsp;辆</td></tr>
  <tr><td>风炮射程</td><td>&ge;80M</td></tr>
  <tr><td>质量指标</td><td>空气   质量<br>达标率</td><td><p>优良</p><p>（全年）</p></td></tr>
  <tr><td>效益指标</td><td colspan="2">满意度 &amp; 知晓率
      <table><tr><td>内表</td></tr></table></td><td>≥90%</td></tr>
</table>
<table><tr><td>单位：万元</td><td>35.40</td></tr></table>
<table><tr><td> </td></tr></table>
</body></html>"#;

#[test]
fn html_tables_lay_out_rowspan_and_colspan() {
    assert_eq!(detect("page.htm", PAGE.as_bytes()), ContainerKind::Html);
    assert_eq!(detect("导出.xls", PAGE.as_bytes()), ContainerKind::Html);
    let grids = grids("page.htm", PAGE.as_bytes());
    let names: Vec<_> = grids.iter().map(|g| g.name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("表格 1"), Some("表格 2"), Some("表格 3")],
        "the blank table is left out"
    );

    let main = &grids[0];
    assert_eq!(main.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(shape(cell(main, 0, 0)), (0, 0, 1, 2, "一级/二级指标"));
    assert_eq!(shape(cell(main, 1, 0)), (1, 0, 3, 1, "产出指标"));
    assert_eq!(shape(cell(main, 1, 1)), (1, 1, 2, 1, "数量指标"));
    assert_eq!(shape(cell(main, 1, 3)), (1, 3, 1, 1, "10 辆"));
    assert_eq!(shape(cell(main, 2, 2)), (2, 2, 1, 1, "风炮射程"));
    assert_eq!(shape(cell(main, 2, 3)), (2, 3, 1, 1, "≥80M"));
    assert_eq!(cell(main, 3, 2).text, "空气 质量\n达标率");
    assert_eq!(cell(main, 3, 3).text, "优良\n（全年）");
    assert_eq!(shape(cell(main, 4, 1)), (4, 1, 1, 2, "满意度 & 知晓率"));
    assert_eq!(cell(main, 4, 3).text, "≥90%");
    assert_eq!(
        cell_ref(cell(main, 2, 3)),
        &CellRef {
            sheet: Some("表格 1".to_owned()),
            page: None,
            row: 3,
            col: 4,
        }
    );
    assert_eq!(
        text_rows(main)[2],
        ["产出指标", "数量指标", "风炮射程", "≥80M"]
    );
    assert_eq!(text_rows(&grids[1]), [["内表"]]);
    assert_eq!(text_rows(&grids[2]), [["单位：万元", "35.40"]]);
}

#[test]
fn html_in_gbk_is_decoded_by_its_meta_charset() {
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
                <body><table><tr><td>项目名称</td><td>社保服务大厅运营专项经费</td></tr></table></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(page);
    let grids = grids("gbk.html", &bytes);
    assert_eq!(grids[0].encoding.as_deref(), Some("GBK"));
    assert_eq!(
        text_rows(&grids[0]),
        [["项目名称", "社保服务大厅运营专项经费"]]
    );
}

#[test]
fn html_without_tables_is_an_error() {
    assert_eq!(
        error(
            "news.html",
            b"<html><body><p>\xE6\x96\xB0\xE9\x97\xBB</p></body></html>"
        ),
        "news.html：网页（HTML）中没有找到表格（所有工作表或表格都是空的）。请确认文件内容是绩效目标表。"
    );
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_in_gbk_records_encoding_and_byte_ranges() {
    let text = "项目名称,一级指标,指标值\r\n村组干部报酬,产出指标,\"3,309,840.00\"\r\n 基层组织活动经费 ,效益指标,95%\r\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    assert_eq!(detect("申报表.csv", &bytes), ContainerKind::Csv);
    let grids = grids("申报表.csv", &bytes);
    assert_eq!(grids.len(), 1);
    let grid = &grids[0];
    assert_eq!(grid.encoding.as_deref(), Some("GBK"));
    assert_eq!(grid.name, None);
    assert_eq!(
        text_rows(grid),
        [
            ["项目名称", "一级指标", "指标值"],
            ["村组干部报酬", "产出指标", "3,309,840.00"],
            ["基层组织活动经费", "效益指标", "95%"],
        ]
    );
    let quoted = cell(grid, 1, 2);
    let line = "村组干部报酬,产出指标,\"3,309,840.00\"";
    assert_eq!(
        (quoted.span.line, quoted.span.start, quoted.span.end),
        (2, 33, 45)
    );
    assert_eq!(&line[33..45], "3,309,840.00");
    let padded = cell(grid, 2, 0);
    assert_eq!(
        (padded.span.line, padded.span.start, padded.span.end),
        (3, 1, 25)
    );
    assert_eq!(
        cell_ref(padded),
        &CellRef {
            sheet: None,
            page: None,
            row: 3,
            col: 1,
        }
    );
}

#[test]
fn csv_with_bom_and_semicolons_and_multiline_cells() {
    let text = "\u{FEFF}一级指标;三级指标\n产出指标;\"车辆数\n（辆）\"\n效益指标;满意度\n";
    let grids = grids("export.csv", text.as_bytes());
    let grid = &grids[0];
    assert_eq!(grid.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(cell(grid, 1, 1).text, "车辆数\n（辆）");
    let after = cell(grid, 2, 1);
    assert_eq!(after.text, "满意度");
    assert_eq!(
        (after.span.line, after.span.start, after.span.end),
        (4, 13, 22)
    );
    // The first cell's range does not include the byte-order mark.
    let first = cell(grid, 0, 0);
    assert_eq!(
        (first.span.line, first.span.start, first.span.end),
        (1, 0, 12)
    );
}

#[test]
fn tsv_is_read_as_csv_with_tabs() {
    let grids = grids("a.tsv", "项目\t金额\n培训费\t7.40\n".as_bytes());
    assert_eq!(text_rows(&grids[0]), [["项目", "金额"], ["培训费", "7.40"]]);
}

// ---------------------------------------------------------------------------------------------
// Text

#[test]
fn department_list_seed_is_one_tab_separated_grid() {
    assert_eq!(
        detect("guangzhou-huadu-rsj.txt", HUADU),
        ContainerKind::Text
    );
    let grids = grids("guangzhou-huadu-rsj.txt", HUADU);
    assert_eq!(
        grids.len(),
        1,
        "blank lines do not split a table whose columns stay the same"
    );
    let grid = &grids[0];
    assert_eq!(grid.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(grid.row_count(), 98);
    assert_eq!(grid.col_count(), 7);
    assert_eq!(
        shape(cell(grid, 0, 0)),
        (0, 0, 1, 1, "项目支出绩效目标表（含转移支付项目）")
    );
    assert_eq!(cell(grid, 2, 0).text, "单位：万元");
    let header = &text_rows(grid)[3];
    assert_eq!(header[0], "项目名称（资金使用单位）");
    assert_eq!(header[6], "绩效指标");
    let total = cell(grid, 4, 1);
    assert_eq!(total.text, "34,139.95");
    // `合计` is on line 10; its amount starts after `合计` and a tab.
    assert_eq!(
        (total.span.line, total.span.start, total.span.end),
        (10, 7, 16)
    );
    assert_eq!(cell_ref(total).row, 5);
    assert_eq!(cell_ref(total).col, 2);
}

#[test]
fn pipe_text_keeps_empty_cells_and_splits_where_columns_change() {
    let text = "\
| 部门预算项目绩效目标申报表(2023年度) | ||
| 金额单位:元 | ||

| 单位名称 | 项目名称 | 预算数 |
| 820001-井研县马踏镇人民政府 | 村组干部报酬 | 3,309,840.00 |

| 一级指标 | 二级指标 |
| 产出指标 | 数量指标 |
";
    assert_eq!(detect("paste.txt", text.as_bytes()), ContainerKind::Text);
    let grids = grids("paste.txt", text.as_bytes());
    assert_eq!(grids.len(), 2);
    assert_eq!(
        text_rows(&grids[0]),
        [
            ["部门预算项目绩效目标申报表(2023年度)", "", ""],
            ["金额单位:元", "", ""],
            ["单位名称", "项目名称", "预算数"],
            [
                "820001-井研县马踏镇人民政府",
                "村组干部报酬",
                "3,309,840.00"
            ],
        ]
    );
    assert_eq!(
        text_rows(&grids[1]),
        [["一级指标", "二级指标"], ["产出指标", "数量指标"]]
    );
    let amount = cell(&grids[0], 3, 2);
    assert_eq!(
        (amount.span.line, amount.span.start, amount.span.end),
        (5, 63, 75)
    );
    let second = cell(&grids[1], 1, 1);
    assert_eq!((second.span.line, cell_ref(second).row), (8, 2));
}

#[test]
fn utf16_text_from_excel_unicode_export() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "一级指标\t指标值\r\n产出指标\t100%\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let grids = grids("unicode.txt", &bytes);
    assert_eq!(grids[0].encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(
        text_rows(&grids[0]),
        [["一级指标", "指标值"], ["产出指标", "100%"]]
    );
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be read

/// An OLE compound file header followed by a directory entry name in UTF-16.
fn ole_with_stream(name: &str) -> Vec<u8> {
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.resize(512, 0);
    bytes.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(2048, 0);
    bytes
}

#[test]
fn unreadable_files_say_what_to_do() {
    assert_eq!(
        error("申报表.xlsx", b"PK\x03\x04\x14\x00\x00\x00broken"),
        "申报表.xlsx：文件已损坏（ZIP 压缩结构无法读取），可能下载或复制不完整。请重新获取文件，或用 Excel/Word 打开后另存一份再读取。"
    );
    assert_eq!(
        error("申报表.doc", &ole_with_stream("WordDocument")),
        "申报表.doc：这是旧版 Word 文档（.doc），无法直接读取。请用 Word 或 WPS 打开后“另存为”DOCX 格式再读取。"
    );
    assert_eq!(
        error("加密.xlsx", &ole_with_stream("EncryptedPackage")),
        "加密.xlsx：文件设有密码保护（已加密），无法读取。请在 Excel 或 Word 中取消打开密码后另存一份再读取。"
    );
    assert_eq!(
        error("空.csv", b""),
        "空.csv：文件为空，没有可读取的内容。请确认选择了正确的文件。"
    );
    assert_eq!(
        error("空.txt", b" \r\n\t\n"),
        "空.txt：文件为空，没有可读取的内容。请确认选择了正确的文件。"
    );
    // A PDF with no body: damaged, or, where Poppler is not installed, how to install it.
    let pdf = error("公开.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    assert!(
        pdf == "公开.pdf：PDF 文件已损坏，无法读取，可能下载或复制不完整。请重新获取文件，或用 PDF 阅读器打开后另存一份再读取。"
            || pdf.contains("sudo apt-get install poppler-utils poppler-data"),
        "{pdf}"
    );
    assert_eq!(
        error("附件.zip", &zip(&[("readme.txt", "hi")])),
        "附件.zip：压缩包里没有 Excel 工作表或 Word 文档。请上传 XLSX、DOCX、CSV 或 HTML 文件。"
    );
    assert_eq!(
        error("图片.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
        "图片.png：无法识别的二进制文件，不是可读取的表格。请上传 XLSX、XLS、DOCX、HTML、CSV 或文本文件。"
    );
    assert!(matches!(
        read_grids("x.xls", &ole_with_stream("Workbook")),
        Err(ContainerError::CorruptWorkbook { .. })
    ));
}

#[test]
fn kinds_have_chinese_labels() {
    assert_eq!(ContainerKind::Xlsx.label(), "Excel 工作簿（XLSX）");
    assert_eq!(ContainerKind::Text.to_string(), "文本");
}

// ---------------------------------------------------------------------------------------------
// Robustness

const NAMES: [&str; 8] = [
    "a.xlsx", "a.xls", "a.docx", "a.html", "a.csv", "a.tsv", "a.txt", "a",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), name in 0..NAMES.len()) {
        let _ = read_grids(NAMES[name], &bytes);
    }

    #[test]
    fn random_text_never_panics(text in "[|\t,;\"\r\n a-c产出指标<>/=td]{0,400}", name in 0..NAMES.len()) {
        let _ = read_grids(NAMES[name], text.as_bytes());
    }

    #[test]
    fn ole_files_with_random_content_never_panic(body in proptest::collection::vec(any::<u8>(), 0..4096), name in 0..NAMES.len()) {
        let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        bytes.extend(body);
        let _ = read_grids(NAMES[name], &bytes);
    }

    #[test]
    fn truncated_office_files_never_panic(cut in 0.0f64..1.0, flip in any::<Option<(usize, u8)>>(), docx_file in any::<bool>()) {
        let mut bytes = if docx_file { docx(&project_document()) } else { project_workbook() };
        if let Some((at, value)) = flip {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        let len = (bytes.len() as f64 * cut) as usize;
        let _ = read_grids(if docx_file { "t.docx" } else { "t.xlsx" }, &bytes[..len]);
    }
}
