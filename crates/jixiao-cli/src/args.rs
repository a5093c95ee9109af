//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// jixiao（绩效）：读取、审核项目支出绩效目标表。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, long_about = None)]
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
    /// 审核绩效目标表，报告发现的问题。
    Check(CheckArgs),
    /// 给绩效自评表重新计分：每行的公布得分、重算得分、差异和原因，以及总分和等级。
    Score(ScoreArgs),
    /// 显示规则说明。
    Rule(RuleArgs),
    /// 输出 `parse --format json` 结果的 JSON Schema。
    Schema,
    /// 把绩效目标表导入语料库（SQLite 文件或 PostgreSQL）。
    Import(ImportArgs),
    /// 查询语料库：概览、部门、问题统计、指标搜索、项目历年情况、自评等级核对。
    Query(QueryArgs),
    /// 导出语料库（--db）为 xlsx、csv、json 或 parquet，每个指标一行。
    Export(ExportArgs),
    /// 启动审核网页（默认 http://127.0.0.1:8080）；语料库为空时先导入随附的两张示例表。
    Serve(ServeArgs),
    /// 管理网页的用户和接口令牌。
    User(UserArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[arg(long, help = DB_HELP)]
    pub db: Option<String>,
    /// 搜索索引目录（默认在 SQLite 数据库旁，如 jixiao.db.index；PostgreSQL 为当前目录下的 jixiao-postgres.index）。
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// 监听地址。
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// 不登录也可浏览只读页面（审核操作仍需登录）。
    #[arg(long)]
    pub public: bool,
    /// 服务在 HTTPS 反向代理之后：Cookie 加上 Secure。
    #[arg(long)]
    pub secure_cookies: bool,
    /// 语料库为空时不导入示例表。
    #[arg(long)]
    pub no_examples: bool,
    /// 审核配置文件（默认在当前目录及上级目录查找 jixiao.toml）。
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// 上传文件的大小上限（默认 20MiB）及其他读取上限。
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
    #[arg(long, global = true, help = DB_HELP)]
    pub db: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum UserAction {
    /// 添加用户；密码从标准输入读取（第一行）。
    Add {
        /// 用户名。
        name: String,
        /// 角色：admin（管理员）、reviewer（审核员）、guest（访客）。
        #[arg(long, value_enum)]
        role: RoleArg,
        /// 从标准输入读取密码（默认也是如此；写明此项便于脚本）。
        #[arg(long)]
        password_stdin: bool,
    },
    /// 为用户创建接口令牌（只显示一次），用于 Authorization: Bearer …。
    Token {
        /// 用户名。
        name: String,
        /// 令牌的用途说明。
        #[arg(long, default_value = "脚本")]
        label: String,
    },
    /// 列出用户。
    List,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Reviewer,
    Guest,
}

/// 数据库地址的说明，三个语料库命令共用。
const DB_HELP: &str = "数据库：文件路径、sqlite://文件 或 postgres://用户@主机/库。\
默认取环境变量 JIXIAO_DB，否则为当前目录下的 jixiao.db。";

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// 要导入的文件或目录（目录会递归查找 .txt/.tsv/.csv 文件）。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, help = DB_HELP)]
    pub db: Option<String>,
    /// 搜索索引目录（默认在 SQLite 数据库旁，如 jixiao.db.index；PostgreSQL 为当前目录下的 jixiao-postgres.index）。
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// 年度（默认从标题、部门名称或文件名推断，如“2024年度”）。
    #[arg(long)]
    pub year: Option<i32>,
    /// 发布部门（默认取表中的“部门名称”）。
    #[arg(long)]
    pub publisher: Option<String>,
    /// 审核配置文件（默认在当前目录及上级目录查找 jixiao.toml）。
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// 给绩效自评表重算得分所用的计分政策：预设名称（national、hubei、ningxia）或政策文件（.toml），
    /// 与 score 命令相同。默认取 jixiao.toml 中 [score] 的 policy，否则为 national。
    #[arg(long)]
    pub policy: Option<String>,
    /// 不显示进度条。
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    #[command(subcommand)]
    pub report: QueryReport,
    #[arg(long, global = true, help = DB_HELP)]
    pub db: Option<String>,
    /// 输出格式。
    #[arg(long, global = true, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// 只看部门名称包含此文字的文档。
    #[arg(long, global = true)]
    pub publisher: Option<String>,
    /// 只看此年度的文档。
    #[arg(long, global = true)]
    pub year: Option<i32>,
    /// 最多显示的行数（search 默认 100，其他报表默认全部）；结果被截断时会说明。
    #[arg(long, global = true)]
    pub limit: Option<usize>,
    /// 跳过前面的行数，与 --limit 一起分页查看。
    #[arg(long, global = true, default_value_t = 0)]
    pub offset: usize,
}

#[derive(Debug, Subcommand)]
pub enum QueryReport {
    /// 语料库概览：按部门和年度统计文档、单位、项目、指标、问题和金额合计。
    Overview,
    /// 一个部门的单位和项目：金额、指标数、问题数。
    Department {
        /// 部门名称（包含即可，如“花都”）。
        name: String,
    },
    /// 审核问题按代码和严重程度统计，含处理状态。
    Findings,
    /// 查找名称或指标值包含某段文字的指标。
    Search {
        /// 要查找的文字（如“满意度”）。
        text: String,
    },
    /// 同一项目在各年度的金额和指标情况。
    History {
        /// 项目名称（包含即可）。
        name: String,
    },
    /// 绩效自评：公布等级高于重算等级的项目（公布与重算的总分、等级和差异）；--summary 按部门和年度汇总。
    Grades {
        /// 按部门和年度汇总：自评项目数、公布等级高于/低于重算等级的项目数。
        #[arg(long)]
        summary: bool,
        /// 列出全部已计分的自评项目，而不只是公布等级高于重算等级的。
        #[arg(long, conflicts_with = "summary")]
        all: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// 对齐的表格（中文按双倍宽度对齐）。
    Table,
    /// CSV，第一行为列名。
    Csv,
    /// JSON 数组。
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// 要导出的表格文件（任何能读取的文件和版式）；与 --db 二选一。
    pub files: Vec<PathBuf>,
    /// 从此语料库导出（见 import --db）。
    #[arg(long)]
    pub db: Option<String>,
    /// 导出文件时的 Excel 版式：每指标一行（默认）或每项目一张工作表。
    #[arg(long, value_enum, default_value_t = ExportLayout::IndicatorRows)]
    pub layout: ExportLayout,
    /// 导出格式。
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// 输出文件；csv 和 json 默认写到标准输出，xlsx 和 parquet 必须指定。
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 只导出部门名称包含此文字的文档。
    #[arg(long)]
    pub publisher: Option<String>,
    /// 只导出此年度的文档。
    #[arg(long)]
    pub year: Option<i32>,
    /// CSV 输出加 UTF-8 BOM（Excel 打开时需要）。
    #[arg(long)]
    pub bom: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The XLSX layouts `jixiao export FILE…` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportLayout {
    /// 项目绩效目标申报表：每个指标一行，冻结表头。
    IndicatorRows,
    /// 项目支出绩效目标申报表：每个项目一张工作表，一级、二级指标合并单元格。
    ProjectSheet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Excel 工作簿，列名为中文。
    Xlsx,
    /// CSV，每个指标一行。
    Csv,
    /// JSON 数组，每个指标一个对象。
    Json,
    /// Apache Parquet（Snappy 压缩），可直接用 DuckDB、DataFusion、Spark 读取。
    Parquet,
    /// 网页表格（仅导出文件时）。
    Html,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 要审核的文件或目录（目录会递归查找 .txt/.tsv/.csv/.xlsx/.xls/.html/.htm/.docx 文件）。
    pub paths: Vec<PathBuf>,
    /// 按指定版式读取（默认自动识别）。
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
    /// 输出格式。
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// 发现此级别及以上的问题时以退出码 1 结束。
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// 配置文件（默认在当前目录及上级目录查找 jixiao.toml）。
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// 输出生效的配置后退出。
    #[arg(long)]
    pub show_settings: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// 中文说明、位置、原文标注和建议。
    Text,
    /// {"findings":[…],"summary":{…}}
    Json,
    /// SARIF 2.1.0。
    Sarif,
    /// 每个问题一行。
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// 从不因发现问题而失败。
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// 要计分的绩效自评表文件或目录。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 计分政策：预设名称（national、hubei、ningxia）或政策文件（.toml）。
    /// 默认取 jixiao.toml 中 [score] 的 policy，否则为 national。
    #[arg(long)]
    pub policy: Option<String>,
    /// 输出格式。
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
    /// 输出文件；xlsx 必须指定，其他格式默认写到标准输出。
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 有得分或总分的差异超过容差时以退出码 1 结束。
    #[arg(long)]
    pub fail_on: bool,
    /// 容差（分）：差异超过此值才算不符。
    #[arg(long, default_value = "0.5")]
    pub tolerance: rust_decimal::Decimal,
    /// 配置文件（默认在当前目录及上级目录查找 jixiao.toml）。
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// 输出生效的计分政策（TOML）后退出。
    #[arg(long)]
    pub show_policy: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// 每个项目一张中文表格，再列总分、等级和提示。
    Text,
    /// {"policy":…,"projects":[…],"summary":{…}}
    Json,
    /// 每行（预算执行、每个指标、总分）一行。
    Csv,
    /// Excel 工作簿（须用 --out 指定文件）。
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// 规则代码（如 A001）或名称（如 amounts-row-sum）。
    #[arg(required_unless_present = "all")]
    pub code: Option<String>,
    /// 显示全部规则。
    #[arg(long)]
    pub all: bool,
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
    /// 按指定版式读取（默认自动识别）。
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
    /// 同时读取的文件数（默认为处理器核数）。多个文件并行读取，输出仍按文件顺序；
    /// 单个大文件（部门清单）按顺序逐个文档读取。
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The layouts a user can force with `--layout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// 部门项目支出绩效目标表：每项目一行，指标写在一个单元格内。
    DepartmentList,
    /// 项目绩效目标申报表：每指标一行，多个项目。
    IndicatorRows,
    /// 项目支出绩效目标申报表：每项目一表。
    ProjectSheet,
    /// 项目支出绩效自评表。
    SelfEvaluation,
}

impl From<LayoutArg> for jixiao_model::Layout {
    fn from(layout: LayoutArg) -> Self {
        match layout {
            LayoutArg::DepartmentList => Self::DepartmentList,
            LayoutArg::IndicatorRows => Self::IndicatorRows,
            LayoutArg::ProjectSheet => Self::ProjectSheet,
            LayoutArg::SelfEvaluation => Self::SelfEvaluation,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// 每个文件的单位、项目、指标数量及问题摘要。
    Summary,
    /// 完整的结构化数据（见 schema/document.schema.json）。
    Json,
    /// 每个文档一行紧凑的 JSON（JSON Lines），每行的结构同 json 输出中 documents 的一项；
    /// 读取问题只在标准错误输出中列出。适合很大的输出和逐行处理。
    Jsonl,
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
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderLayout {
    /// 部门项目清单（每个项目一行，指标合并在一个单元格中）。
    DepartmentList,
    /// 项目支出绩效目标申报表（每项目一表；有自评内容时为自评表，含完成值、权重、得分）。
    ProjectSheet,
}

/// 读取上限：超过时停止读取并说明（见 docs/reliability.md）；命令行的值优先于 jixiao.toml 的 [limits]。
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitArgs {
    /// 文件大小上限（默认 128MiB；可写 300MiB、1GiB 或字节数）。
    #[arg(long, value_name = "大小", help_heading = "读取上限")]
    pub max_file_size: Option<String>,
    /// XLSX、DOCX 解压后大小上限（默认 256MiB）。
    #[arg(long, value_name = "大小", help_heading = "读取上限")]
    pub max_inflated_size: Option<String>,
    /// 一张表格的单元格数上限（默认 2000000）。
    #[arg(long, value_name = "个数", help_heading = "读取上限")]
    pub max_cells: Option<String>,
    /// 一行的列数上限（默认 16384）。
    #[arg(long, value_name = "个数", help_heading = "读取上限")]
    pub max_columns: Option<String>,
    /// 一个单元格（或文本文件一行）的长度上限（默认 1MiB）。
    #[arg(long, value_name = "大小", help_heading = "读取上限")]
    pub max_cell_size: Option<String>,
    /// 表格嵌套层数上限（默认 100）。
    #[arg(long, value_name = "层数", help_heading = "读取上限")]
    pub max_depth: Option<String>,
}

impl LimitArgs {
    /// Each limit with the value given on the command line, if any.
    pub fn values(&self) -> [(jixiao_parse::Limit, Option<&str>); 6] {
        use jixiao_parse::Limit;
        [
            (Limit::FileSize, self.max_file_size.as_deref()),
            (Limit::InflatedSize, self.max_inflated_size.as_deref()),
            (Limit::Cells, self.max_cells.as_deref()),
            (Limit::Columns, self.max_columns.as_deref()),
            (Limit::CellSize, self.max_cell_size.as_deref()),
            (Limit::Depth, self.max_depth.as_deref()),
        ]
    }
}
