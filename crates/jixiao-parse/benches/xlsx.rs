//! XLSX import throughput: `read_grids` on a workbook of 100,000 indicator rows.
//!
//! `cargo bench -p jixiao-parse --bench xlsx` writes the workbook in memory with rust_xlsxwriter
//! in the indicator-row layout (项目名称, 一级指标, 二级指标, 三级指标, 指标值, 度量单位, 权重), with
//! a title merged across the columns, project names merged down over each project's rows, and
//! number formats on 指标值 and 权重, then prints rows/s and MB/s.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: u32 = 100_000;
/// Indicators per project, as in the published tables (one per 三级指标).
const PER_PROJECT: u32 = 8;

const INDICATORS: [(&str, &str, &str, f64, &str); PER_PROJECT as usize] = [
    ("产出指标", "数量指标", "村组干部人数", 230.0, "人"),
    ("产出指标", "质量指标", "资金发放准确率", 1.0, "%"),
    ("产出指标", "时效指标", "按时发放率", 0.95, "%"),
    ("成本指标", "经济成本指标", "人均补助标准", 1234.5, "元"),
    ("效益指标", "社会效益指标", "维护社会稳定", 0.95, "%"),
    ("效益指标", "可持续影响指标", "项目维持时效", 1.0, "年"),
    (
        "满意度指标",
        "服务对象满意度指标",
        "人民群众满意度",
        0.9,
        "%",
    ),
    (
        "效益指标",
        "经济效益指标",
        "促进村集体经济发展",
        35.400000000000006,
        "万元",
    ),
];

fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let plain = Format::new();
    let percent = Format::new().set_num_format("0%");
    let money = Format::new().set_num_format("#,##0.00");
    let sheet = book.add_worksheet();
    sheet.set_name("绩效指标")?;
    sheet.merge_range(0, 0, 0, 6, "部门预算项目绩效目标申报表(2023年度)", &plain)?;
    let heads = [
        "项目名称",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "度量单位",
        "权重",
    ];
    for (col, head) in (0u16..).zip(heads) {
        sheet.write_string(1, col, head)?;
    }
    for i in 0..ROWS {
        let row = i + 2;
        let (level1, level2, level3, value, unit) = INDICATORS[(i % PER_PROJECT) as usize];
        if i % PER_PROJECT == 0 {
            let name = format!("项目{}：村组干部报酬", i / PER_PROJECT + 1);
            let last = (row + PER_PROJECT - 1).min(ROWS + 1);
            sheet.merge_range(row, 0, last, 0, &name, &plain)?;
        }
        sheet.write_string(row, 1, level1)?;
        sheet.write_string(row, 2, level2)?;
        sheet.write_string(row, 3, level3)?;
        let format = if unit == "%" { &percent } else { &money };
        sheet.write_number_with_format(row, 4, value, format)?;
        sheet.write_string(row, 5, unit)?;
        sheet.write_number(row, 6, 10.0 + f64::from(i % 3) * 5.0)?;
    }
    book.save_to_buffer()
}

/// The size of the workbook's parts once inflated: what the XML reader actually goes through.
fn unzipped_size(bytes: &[u8]) -> u64 {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return 0;
    };
    (0..archive.len())
        .filter_map(|i| archive.by_index(i).ok().map(|entry| entry.size()))
        .sum()
}

fn bench_xlsx(c: &mut Criterion) {
    let made = Instant::now();
    let bytes = workbook().expect("benchmark workbook");
    let megabytes = bytes.len() as f64 / 1_000_000.0;
    let xml_megabytes = unzipped_size(&bytes) as f64 / 1_000_000.0;
    println!(
        "workbook: {ROWS} indicator rows, {megabytes:.1} MB ({xml_megabytes:.1} MB of XML unzipped), written in {:.1} s",
        made.elapsed().as_secs_f64()
    );

    // One timed run outside criterion for the figures the docs quote.
    let start = Instant::now();
    let grids = jixiao_parse::container::read_grids("indicators.xlsx", &bytes).expect("readable");
    let elapsed = start.elapsed().as_secs_f64();
    let cells: usize = grids.iter().map(|g| g.cells.len()).sum();
    println!(
        "read_grids: {elapsed:.2} s, {cells} cells, {:.0} rows/s, {:.1} MB/s of file, {:.1} MB/s of XML",
        f64::from(ROWS) / elapsed,
        megabytes / elapsed,
        xml_megabytes / elapsed
    );

    let mut group = c.benchmark_group("xlsx");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(u64::from(ROWS)));
    group.bench_function("read_grids_100k_indicator_rows", |b| {
        b.iter(|| {
            let grids = jixiao_parse::container::read_grids("indicators.xlsx", black_box(&bytes))
                .expect("readable");
            black_box(grids.len())
        });
    });
    group.finish();
}

criterion_group!(benches, bench_xlsx);
criterion_main!(benches);
