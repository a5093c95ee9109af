//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// jixiao（绩效）：读取、审核项目支出绩效目标表。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 读取绩效目标表，输出结构化数据（JSON、CSV 或摘要）。
    Parse(ParseArgs),
    /// 按发布版式重新写出绩效目标表。
    Render(RenderArgs),
    /// 输出 `parse --format json` 结果的 JSON Schema。
    Schema,
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// 要读取的文件。
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 输出格式。
    #[arg(long, value_enum, default_value_t = ParseFormat::Summary)]
    pub format: ParseFormat,
    /// CSV 输出加 UTF-8 BOM（Excel 打开时需要）。
    #[arg(long)]
    pub bom: bool,
    /// 不在标准错误输出中列出读取问题。
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// 每个文件的单位、项目、指标数量及问题摘要。
    Summary,
    /// 完整的结构化数据（见 schema/document.schema.json）。
    Json,
    /// 每个指标一行。
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// 要读取的文件。
    pub file: PathBuf,
    /// 输出版式。
    #[arg(long, value_enum, default_value_t = RenderLayout::DepartmentList)]
    pub layout: RenderLayout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderLayout {
    /// 部门项目清单（每个项目一行，指标合并在一个单元格中）。
    DepartmentList,
}
