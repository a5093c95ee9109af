//! The published table: document, units, projects, amounts and indicators.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::{Span, Str, Value};

/// One published 项目支出绩效目标表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// The file (or other source) the document was read from.
    pub source: String,
    /// The text encoding the source was decoded from (`UTF-8`, `GBK`).
    pub encoding: String,
    pub layout: Layout,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Text>,
    /// The amount unit (`万元`, `元`) as stated by the table (`单位：万元`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_unit: Option<Text>,
    /// The column header row, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Text>,
    /// The 合计 row, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grand_total: Option<AmountRow>,
    pub units: Vec<Unit>,
    /// Set when this copy of the table is cut: it starts part-way (the rows above were lost) or
    /// stops part-way. What it holds is read; what it lacks is not the publisher's omission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncation: Option<Truncation>,
}

/// Where a cut table was cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Truncation {
    /// The table starts part-way: its first rows (a header block, a project name) are missing.
    pub starts_midway: bool,
    /// The table stops part-way: rows after the last one read are missing.
    pub stops_early: bool,
    /// What is missing, in Chinese, for messages.
    pub note: String,
    /// The first (for a table starting part-way) or last row read.
    pub span: Span,
}

impl Document {
    pub fn projects(&self) -> impl Iterator<Item = (&Unit, &Project)> {
        self.units
            .iter()
            .flat_map(|unit| unit.projects.iter().map(move |project| (unit, project)))
    }

    pub fn indicator_count(&self) -> usize {
        self.projects().map(|(_, p)| p.indicators.len()).sum()
    }
}

/// The layout a document was published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// One row per project, all indicators packed into one cell (the seed tables).
    DepartmentList,
    /// One row per indicator, many projects; project cells only on a project's first row.
    IndicatorRows,
    /// One sheet per project (申报表): a header block, then the 一级/二级/三级/指标值 grid.
    ProjectSheet,
    /// A self-evaluation sheet (自评表): budget execution, targets with actual values and scores.
    SelfEvaluation,
}

impl Layout {
    pub const ALL: [Self; 4] = [
        Self::DepartmentList,
        Self::IndicatorRows,
        Self::ProjectSheet,
        Self::SelfEvaluation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::DepartmentList => "department-list",
            Self::IndicatorRows => "indicator-rows",
            Self::ProjectSheet => "project-sheet",
            Self::SelfEvaluation => "self-evaluation",
        }
    }

    /// The layout's name as reviewers call it.
    pub fn label(self) -> &'static str {
        match self {
            Self::DepartmentList => "部门项目支出绩效目标表（每项目一行）",
            Self::IndicatorRows => "项目绩效目标申报表（每指标一行）",
            Self::ProjectSheet => "项目支出绩效目标申报表（每项目一表）",
            Self::SelfEvaluation => "项目支出绩效自评表",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// Text exactly as published and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Text {
    pub text: Str,
    pub span: Span,
}

/// A row that carries only amounts (the 合计 row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AmountRow {
    pub label: Text,
    pub amounts: Amounts,
    pub span: Span,
}

/// A funds-using unit (资金使用单位) and its projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unit {
    pub name: Text,
    pub amounts: Amounts,
    /// True when the table gave no unit row and the unit stands for the department.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub implicit: bool,
    pub span: Span,
    pub projects: Vec<Project>,
}

/// A spending project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    pub name: Text,
    pub amounts: Amounts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Text>,
    /// The indicator cell as published, when the layout packs indicators into one cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_cell: Option<Text>,
    pub indicators: Vec<Indicator>,
    pub span: Span,
    /// What project sheets and self-evaluations add: period, long-term goal, funding by source.
    // Boxed: department lists have none, and a project should stay small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<ProjectDetails>>,
    /// The self-evaluation block, for self-evaluation sheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Box<Evaluation>>,
}

/// Header fields of a project sheet beyond name, amounts and goal (`Project::goal` holds the
/// annual goal, 年度目标).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectDetails {
    /// 主管部门.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Text>,
    /// 实施单位 / 项目单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementer: Option<Text>,
    /// 项目实施期 / 项目期限 as published (`2023年1月-2023年12月`, `长期`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Text>,
    /// 实施期目标 / 总体目标 (long-term), beside the annual goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_term_goal: Option<Text>,
    /// 实际完成情况 (self-evaluation: what was achieved against the annual goal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_goal: Option<Text>,
    /// Funding broken down by source (`其中：财政拨款`, `上年结转`, `中央补助` …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funding: Vec<Funding>,
    /// Other labelled fields of the header block, kept as published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
}

impl ProjectDetails {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// One funding line of a project sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Funding {
    /// The source as published (`财政拨款`, `其中：上年结转`).
    pub label: Text,
    /// The column the amount stood in when the sheet has several (`实施期资金总额`, `年度资金总额`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub amount: Amount,
}

/// A labelled value kept as published (`项目属性：延续项目`, an extra indicator column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Field {
    pub label: String,
    pub value: Text,
}

/// The self-evaluation block of a project (绩效自评表).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evaluation {
    /// Budget execution rows (年度资金总额, 其中：财政拨款 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budget: Vec<BudgetLine>,
    /// 总分 as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_score: Option<Amount>,
    /// 自评等级 as published (`优`, `良` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Text>,
    /// The closing texts after the indicators, as published: 评价结论, 存在问题, 改进措施 (label as
    /// printed, and its text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<Field>,
}

/// One row of a self-evaluation's budget execution block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetLine {
    pub label: Text,
    /// 年初预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<Amount>,
    /// 全年预算数 / 调整后预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<Amount>,
    /// 全年执行数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed: Option<Amount>,
    /// 分值 (the weight of budget execution in the total score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Amount>,
    /// 执行率 as published (`98.5%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Text>,
    /// 得分.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Amount>,
}

/// 总计 = 财政拨款 + 财政专户拨款 + 其他资金. An empty cell is `None`, which is not the same as `0.00`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Amounts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_account: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Amount>,
}

/// Which amount column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmountColumn {
    Total,
    Fiscal,
    SpecialAccount,
    Other,
}

impl AmountColumn {
    pub const ALL: [Self; 4] = [Self::Total, Self::Fiscal, Self::SpecialAccount, Self::Other];

    /// The column's name as published.
    pub fn label(self) -> &'static str {
        match self {
            Self::Total => "总计",
            Self::Fiscal => "财政拨款",
            Self::SpecialAccount => "财政专户拨款",
            Self::Other => "其他资金",
        }
    }
}

impl Amounts {
    pub fn get(&self, column: AmountColumn) -> Option<&Amount> {
        match column {
            AmountColumn::Total => self.total.as_ref(),
            AmountColumn::Fiscal => self.fiscal.as_ref(),
            AmountColumn::SpecialAccount => self.special_account.as_ref(),
            AmountColumn::Other => self.other.as_ref(),
        }
    }

    /// The value of a column, reading an absent cell as zero.
    pub fn value_or_zero(&self, column: AmountColumn) -> Decimal {
        self.get(column).map_or(Decimal::ZERO, |a| a.value)
    }

    pub fn is_empty(&self) -> bool {
        AmountColumn::ALL.iter().all(|c| self.get(*c).is_none())
    }
}

/// An amount (or another exact number: a weight, a score): its value, its text as published
/// (`34,139.95`) and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Amount {
    pub value: Decimal,
    pub raw: Str,
    pub span: Span,
}

/// One performance indicator (绩效指标).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    /// The running sequence number the table gave it (`1、`, `2、` …).
    pub seq: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level1: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level2: Option<Category>,
    /// The indicator's own name (三级指标).
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual: Option<Value>,
    // Boxed: only the coded dialect and project sheets give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Box<Value>>,
    /// The whole item as published, e.g. `1、产出指标：…，年度指标值：100%。`.
    pub raw: Str,
    pub span: Span,
    /// Columns that indicator-row, project-sheet and self-evaluation layouts add.
    // Boxed: department lists have none, and there may be millions of indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<IndicatorDetails>>,
}

/// What layouts with one row per indicator publish beside name and value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorDetails {
    /// 指标性质 / 指标值类型 (`≥`, `定量`, `定性`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<Text>,
    /// 度量单位 (`%`, `人次`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_unit: Option<Text>,
    /// 权重 / 分值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Amount>,
    /// 指标方向 (`正向`, `反向`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Text>,
    /// 绩效标准 / 评（扣）分标准.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<Text>,
    /// 实际完成值 (self-evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// 得分 as published (self-evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Amount>,
    /// 偏差原因分析及改进措施.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation: Option<Text>,
    /// Other columns, kept as published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
}

impl IndicatorDetails {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A level-1 or level-2 category of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Category {
    /// The canonical name (`产出指标`, `质量指标`), after aliases are resolved.
    pub name: Str,
    /// The code (`1`, `12`) as published, or from the profile when the table gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Str>,
    /// The text as published (`1-产出指标`, `项目完成指标`); empty when inferred.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub raw: Str,
    /// Set when the table did not give this category and jixiao inferred it.
    // Shared: the profile makes each distinct inference once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred: Option<Arc<Inference>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// Why a category was inferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Inference {
    /// The id of the inference rule that matched.
    pub rule: String,
    /// A Chinese sentence saying why (`名称含“及时”`).
    pub reason: String,
}
