//! `jixiao export`: write data out for other tools.
//!
//! With `--db` it exports the corpus (or the part `--publisher`/`--year` select), one row per
//! indicator with its document, unit and project, streamed from the database so the corpus never
//! has to fit in memory. Exporting parsed files (`FILE...`) to the published xlsx layouts is the
//! other mode of this command and is chosen in [`run`] when no `--db` is given.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use arrow_array::builder::{BooleanBuilder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Schema};
use jixiao_store::{ExportRow, Filter};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive as _, ToPrimitive as _};

use crate::args::{ExportArgs, ExportFormat, ExportLayout};

/// Boxed errors, as the store's row sink takes them.
type SinkResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    match (&args.db, args.files.is_empty()) {
        (Some(_), false) => anyhow::bail!(
            "请在 --db（导出语料库）和文件（导出表格文件）中二选一，例如：jixiao export 表.txt --to xlsx --out 表.xlsx"
        ),
        (Some(_), true) if args.to == ExportFormat::Html => {
            anyhow::bail!("语料库不能导出为 html；请用 xlsx、csv、json 或 parquet。")
        }
        (Some(url), true) => export_corpus(url, args),
        (None, false) => export_files(args),
        (None, true) => anyhow::bail!(
            "请指定要导出的表格文件，或用 --db 指定要导出的语料库，例如：jixiao export 表.txt --to xlsx --out 表.xlsx 或 jixiao export --db jixiao.db --to csv --out 指标.csv"
        ),
    }
}

/// `jixiao export FILE…`: the files' documents in a layout people use. Files that cannot be read
/// are reported and left out; the exit code is then 2.
fn export_files(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let profile = jixiao_model::Profile::builtin();
    let limits = super::limits(None, &args.limits)?;
    let mut documents = Vec::new();
    let mut failed = 0;
    for path in &args.files {
        match super::read_file(path, &profile, &limits) {
            Ok(parsed) => documents.extend(parsed.documents),
            Err(error) => {
                eprintln!("错误：{error:#}");
                failed += 1;
            }
        }
    }
    let out = args.out.as_deref();
    match args.to {
        ExportFormat::Xlsx => {
            let bytes = match args.layout {
                ExportLayout::IndicatorRows => jixiao_export::indicator_rows_xlsx(&documents)?,
                ExportLayout::ProjectSheet => jixiao_export::project_sheets_xlsx(&documents)?,
            };
            let path = required_out(out, "xlsx")?;
            std::fs::write(path, bytes)
                .with_context(|| format!("{}：无法写入文件", path.display()))?;
        }
        ExportFormat::Html => {
            let html = jixiao_export::indicator_rows_html(&documents);
            writer(out)?.write_all(html.as_bytes())?;
        }
        ExportFormat::Csv => {
            let mut sink = writer(out)?;
            if args.bom {
                sink.write_all("\u{feff}".as_bytes())?;
            }
            super::parse::write_csv(sink, &documents)?;
        }
        ExportFormat::Json => {
            let mut sink = writer(out)?;
            serde_json::to_writer_pretty(&mut sink, &documents)?;
            sink.write_all(b"\n")?;
        }
        ExportFormat::Parquet => anyhow::bail!(
            "表格文件不能直接导出为 parquet；请先 jixiao import 导入语料库，再 jixiao export --db … --to parquet。"
        ),
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Column kinds, which decide the parquet type and how xlsx writes the cell.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Int,
    Decimal,
    Bool,
}

/// Name (CSV, JSON, parquet), Chinese label (xlsx header) and kind of every column, in order.
const COLUMNS: [(&str, &str, Kind); 28] = [
    ("document_id", "文档编号", Kind::Int),
    ("source_file", "文件", Kind::Text),
    ("publisher", "部门", Kind::Text),
    ("year", "年度", Kind::Int),
    ("version", "版本", Kind::Int),
    ("layout", "版式", Kind::Text),
    ("amount_unit", "金额单位", Kind::Text),
    ("unit", "单位", Kind::Text),
    ("project", "项目", Kind::Text),
    ("project_total", "项目总计", Kind::Decimal),
    ("project_fiscal", "财政拨款", Kind::Decimal),
    ("project_special_account", "财政专户拨款", Kind::Decimal),
    ("project_other", "其他资金", Kind::Decimal),
    ("project_total_wan", "项目金额（万元）", Kind::Decimal),
    ("seq", "序号", Kind::Int),
    ("level1", "一级指标", Kind::Text),
    ("level1_code", "一级指标代码", Kind::Text),
    ("level2", "二级指标", Kind::Text),
    ("level2_code", "二级指标代码", Kind::Text),
    ("level2_inferred", "二级指标为推断", Kind::Bool),
    ("name", "指标名称", Kind::Text),
    ("annual_raw", "年度指标值", Kind::Text),
    ("annual_kind", "指标值类型", Kind::Text),
    ("annual_comparator", "比较符", Kind::Text),
    ("annual_number", "数值", Kind::Decimal),
    ("annual_unit", "计量单位", Kind::Text),
    ("period_raw", "实施周期指标值", Kind::Text),
    ("line", "行号", Kind::Int),
];

/// One cell of an exported row.
#[derive(Debug, Clone, Copy)]
enum Field<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Decimal(Option<Decimal>),
    Bool(bool),
}

fn fields(row: &ExportRow) -> [Field<'_>; 28] {
    use Field::{Bool, Decimal, Int, Text};
    [
        Int(Some(row.document_id)),
        Text(Some(&row.source_file)),
        Text(row.publisher.as_deref()),
        Int(row.year),
        Int(Some(row.version)),
        Text(Some(&row.layout)),
        Text(row.amount_unit.as_deref()),
        Text(Some(&row.unit)),
        Text(Some(&row.project)),
        Decimal(row.project_total),
        Decimal(row.project_fiscal),
        Decimal(row.project_special_account),
        Decimal(row.project_other),
        Decimal(row.project_total_wan),
        Int(Some(row.seq)),
        Text(row.level1.as_deref()),
        Text(row.level1_code.as_deref()),
        Text(row.level2.as_deref()),
        Text(row.level2_code.as_deref()),
        Bool(row.level2_inferred),
        Text(Some(&row.name)),
        Text(row.annual_raw.as_deref()),
        Text(row.annual_kind.as_deref()),
        Text(row.annual_comparator.as_deref()),
        Decimal(row.annual_number),
        Text(row.annual_unit.as_deref()),
        Text(row.period_raw.as_deref()),
        Int(Some(row.line)),
    ]
}

impl Field<'_> {
    fn to_text(self) -> String {
        match self {
            Self::Text(t) => t.unwrap_or_default().to_owned(),
            Self::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
            Self::Decimal(d) => d.map(|d| d.to_string()).unwrap_or_default(),
            Self::Bool(b) => b.to_string(),
        }
    }
}

fn export_corpus(url: &str, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let filter = Filter {
        publisher: args.publisher.clone(),
        year: args.year,
    };
    let out = args.out.as_deref();
    let mut sink: Box<dyn Sink> = match args.to {
        ExportFormat::Csv => Box::new(CsvSink::new(writer(out)?, args.bom)?),
        ExportFormat::Json => Box::new(JsonSink::new(writer(out)?)),
        ExportFormat::Xlsx => Box::new(XlsxSink::new(required_out(out, "xlsx")?)?),
        ExportFormat::Parquet => Box::new(ParquetSink::new(required_out(out, "parquet")?)?),
        ExportFormat::Html => {
            anyhow::bail!("语料库不能导出为 html；请用 xlsx、csv、json 或 parquet。")
        }
    };
    let runtime = super::import::runtime()?;
    let rows = runtime.block_on(async {
        let store = jixiao_store::open_existing(url).await?;
        let rows = store
            .export(&filter, &mut |row: &ExportRow| sink.row(row))
            .await?;
        anyhow::Ok(rows)
    })?;
    sink.finish()
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("写出导出文件失败")?;
    if let Some(path) = out {
        eprintln!("已导出 {rows} 个指标到 {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn writer(out: Option<&Path>) -> anyhow::Result<Box<dyn Write + Send>> {
    Ok(match out {
        Some(path) => Box::new(BufWriter::new(create(path)?)),
        None => Box::new(BufWriter::new(std::io::stdout())),
    })
}

fn required_out<'a>(out: Option<&'a Path>, format: &str) -> anyhow::Result<&'a Path> {
    out.ok_or_else(|| {
        anyhow::anyhow!("导出为 {format} 时请用 --out 指定输出文件，例如 --out 指标.{format}")
    })
}

fn create(path: &Path) -> anyhow::Result<File> {
    File::create(path).with_context(|| format!("{}：无法创建输出文件", path.display()))
}

/// Where exported rows go.
trait Sink: Send {
    fn row(&mut self, row: &ExportRow) -> SinkResult;
    fn finish(&mut self) -> SinkResult;
}

struct CsvSink {
    writer: csv::Writer<Box<dyn Write + Send>>,
}

impl CsvSink {
    fn new(mut out: Box<dyn Write + Send>, bom: bool) -> anyhow::Result<Self> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(COLUMNS.iter().map(|c| c.0))?;
        Ok(Self { writer })
    }
}

impl Sink for CsvSink {
    fn row(&mut self, row: &ExportRow) -> SinkResult {
        self.writer
            .write_record(fields(row).iter().map(|f| f.to_text()))?;
        Ok(())
    }

    fn finish(&mut self) -> SinkResult {
        self.writer.flush()?;
        Ok(())
    }
}

/// A JSON array written one object at a time.
struct JsonSink {
    out: Box<dyn Write + Send>,
    rows: u64,
}

impl JsonSink {
    fn new(out: Box<dyn Write + Send>) -> Self {
        Self { out, rows: 0 }
    }
}

impl Sink for JsonSink {
    fn row(&mut self, row: &ExportRow) -> SinkResult {
        self.out
            .write_all(if self.rows == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, row)?;
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self) -> SinkResult {
        self.out
            .write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(())
    }
}

/// Excel's sheet limit, header row included.
const XLSX_MAX_ROWS: u32 = 1_048_576;

struct XlsxSink {
    workbook: rust_xlsxwriter::Workbook,
    path: std::path::PathBuf,
    row: u32,
}

impl XlsxSink {
    fn new(path: &Path) -> anyhow::Result<Self> {
        // Fail before reading the corpus if the file cannot be written.
        create(path)?;
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("指标")?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (col, (_, label, _)) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *label, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Self {
            workbook,
            path: path.to_owned(),
            row: 1,
        })
    }
}

impl Sink for XlsxSink {
    fn row(&mut self, row: &ExportRow) -> SinkResult {
        if self.row >= XLSX_MAX_ROWS {
            return Err(
                "超过 Excel 工作表的最大行数（1,048,576 行）。请用 --publisher/--year 缩小范围，或导出为 csv 或 parquet。"
                    .into(),
            );
        }
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, field) in fields(row).into_iter().enumerate() {
            let col = col as u16;
            match field {
                Field::Text(Some(text)) => {
                    let text = if COLUMNS[usize::from(col)].0 == "annual_kind" {
                        super::value_kind_label(text)
                    } else {
                        text
                    };
                    sheet.write_string(self.row, col, text)?;
                }
                Field::Int(Some(value)) => {
                    sheet.write_number(self.row, col, value as f64)?;
                }
                Field::Decimal(Some(value)) => write_decimal(sheet, self.row, col, value)?,
                Field::Bool(value) => {
                    sheet.write_boolean(self.row, col, value)?;
                }
                Field::Text(None) | Field::Int(None) | Field::Decimal(None) => {}
            }
        }
        self.row += 1;
        Ok(())
    }

    fn finish(&mut self) -> SinkResult {
        self.workbook.save(&self.path)?;
        Ok(())
    }
}

/// Excel cells hold IEEE doubles. A decimal goes in as a number when the double reads back as the
/// same decimal (every published amount does: they have at most 15 significant digits), and as
/// text otherwise, so the export never changes a value.
pub(super) fn write_decimal(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    value: Decimal,
) -> SinkResult {
    let exact = value
        .to_f64()
        .filter(|f| Decimal::from_f64(*f).map(|d| d.round_dp(value.scale())) == Some(value));
    match exact {
        Some(number) => {
            sheet.write_number(row, col, number)?;
        }
        None => {
            sheet.write_string(row, col, value.to_string())?;
        }
    }
    Ok(())
}

/// Decimals in parquet are DECIMAL(38, 10): exact for every amount and target value with at most
/// ten decimal places; a value with more is refused rather than rounded.
const PARQUET_SCALE: u32 = 10;
const PARQUET_BATCH: usize = 8192;

enum ColumnBuilder {
    Text(StringBuilder),
    Int(Int64Builder),
    Decimal(Decimal128Builder),
    Bool(BooleanBuilder),
}

struct ParquetSink {
    writer: Option<ArrowWriter<File>>,
    schema: Arc<Schema>,
    builders: Vec<ColumnBuilder>,
    pending: usize,
}

impl ParquetSink {
    fn new(path: &Path) -> anyhow::Result<Self> {
        let schema = Arc::new(Schema::new(
            COLUMNS
                .iter()
                .map(|(name, _, kind)| {
                    let data_type = match kind {
                        Kind::Text => DataType::Utf8,
                        Kind::Int => DataType::Int64,
                        Kind::Decimal => DataType::Decimal128(38, PARQUET_SCALE as i8),
                        Kind::Bool => DataType::Boolean,
                    };
                    arrow_schema::Field::new(*name, data_type, true)
                })
                .collect::<Vec<_>>(),
        ));
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(create(path)?, schema.clone(), Some(properties))?;
        Ok(Self {
            writer: Some(writer),
            schema,
            builders: Self::builders()?,
            pending: 0,
        })
    }

    fn builders() -> anyhow::Result<Vec<ColumnBuilder>> {
        COLUMNS
            .iter()
            .map(|(_, _, kind)| {
                Ok(match kind {
                    Kind::Text => ColumnBuilder::Text(StringBuilder::new()),
                    Kind::Int => ColumnBuilder::Int(Int64Builder::new()),
                    Kind::Decimal => ColumnBuilder::Decimal(
                        Decimal128Builder::new()
                            .with_precision_and_scale(38, PARQUET_SCALE as i8)?,
                    ),
                    Kind::Bool => ColumnBuilder::Bool(BooleanBuilder::new()),
                })
            })
            .collect()
    }

    fn flush(&mut self) -> SinkResult {
        if self.pending == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self
            .builders
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    ColumnBuilder::Text(b) => Arc::new(b.finish()),
                    ColumnBuilder::Int(b) => Arc::new(b.finish()),
                    ColumnBuilder::Decimal(b) => Arc::new(b.finish()),
                    ColumnBuilder::Bool(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns)?;
        if let Some(writer) = &mut self.writer {
            writer.write(&batch)?;
        }
        self.pending = 0;
        Ok(())
    }
}

/// The unscaled DECIMAL(38, 10) integer of a value.
fn parquet_decimal(value: Decimal) -> Result<i128, String> {
    if value.scale() > PARQUET_SCALE {
        return Err(format!(
            "数值 {value} 超过 {PARQUET_SCALE} 位小数，无法无损写入 parquet；请导出为 csv 或 json。"
        ));
    }
    let mut scaled = value;
    scaled.rescale(PARQUET_SCALE);
    if scaled.scale() != PARQUET_SCALE {
        return Err(format!(
            "数值 {value} 太大，无法无损写入 parquet；请导出为 csv 或 json。"
        ));
    }
    Ok(scaled.mantissa())
}

impl Sink for ParquetSink {
    fn row(&mut self, row: &ExportRow) -> SinkResult {
        for (builder, field) in self.builders.iter_mut().zip(fields(row)) {
            match (builder, field) {
                (ColumnBuilder::Text(b), Field::Text(v)) => b.append_option(v),
                (ColumnBuilder::Int(b), Field::Int(v)) => b.append_option(v),
                (ColumnBuilder::Decimal(b), Field::Decimal(v)) => {
                    b.append_option(v.map(parquet_decimal).transpose()?);
                }
                (ColumnBuilder::Bool(b), Field::Bool(v)) => b.append_value(v),
                _ => return Err("导出列的类型与数据不一致".into()),
            }
        }
        self.pending += 1;
        if self.pending >= PARQUET_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> SinkResult {
        self.flush()?;
        if let Some(writer) = self.writer.take() {
            writer.close()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_decimals_are_exact_or_refused() {
        let value = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(parquet_decimal(value("34139.95")), Ok(341_399_500_000_000));
        assert_eq!(parquet_decimal(value("-0.5")), Ok(-5_000_000_000));
        assert!(parquet_decimal(value("0.12345678901")).is_err());
        assert!(parquet_decimal(Decimal::MAX).is_err());
    }
}
