//! The one table of rule codes. A code is never reused; a renamed rule keeps its code.

use serde::Serialize;

use crate::Severity;

/// The family a rule belongs to; the first letter of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A: amounts add up.
    Amounts,
    /// S: the table could be read.
    Structure,
    /// I: the indicator set is complete and well organised.
    Indicators,
    /// V: each target value is measurable and plausible.
    Values,
    /// G: the goal is stated and backed by indicators.
    Goals,
    /// C: costs and inputs are not passed off as outputs.
    Costs,
    /// E: a self-evaluation's scores, totals and actual values hold.
    SelfEvaluation,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Self::Amounts => "金额",
            Self::Structure => "结构",
            Self::Indicators => "指标体系",
            Self::Values => "指标值",
            Self::Goals => "绩效目标",
            Self::Costs => "成本与投入",
            Self::SelfEvaluation => "自评",
        }
    }
}

/// Whether a rule is ready for everyday use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Stable,
    Preview,
}

/// One row of the codes table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub status: Status,
    /// A one-line Chinese title.
    pub title: &'static str,
}

macro_rules! codes {
    ($(($code:literal, $name:literal, $family:ident, $severity:ident, $status:ident, $title:literal)),* $(,)?) => {
        /// Every rule code, in code order.
        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo {
                code: $code,
                name: $name,
                family: Family::$family,
                severity: Severity::$severity,
                status: Status::$status,
                title: $title,
            }),*
        ];
    };
}

codes! {
    ("A001", "amounts-row-sum", Amounts, Error, Stable, "总计不等于各资金来源之和"),
    ("A002", "unit-total-mismatch", Amounts, Error, Stable, "单位金额不等于其项目之和"),
    ("A003", "grand-total-mismatch", Amounts, Error, Stable, "合计不等于各单位之和"),
    ("A004", "non-positive-amount", Amounts, Error, Stable, "项目金额为零或负数"),
    ("S001", "unreadable-row", Structure, Error, Stable, "无法读取的行"),
    ("S002", "unreadable-indicators", Structure, Error, Stable, "无法拆分的绩效指标"),
    ("I001", "missing-output", Indicators, Error, Stable, "缺少产出指标"),
    ("I002", "missing-effect", Indicators, Error, Stable, "缺少效益指标"),
    ("I003", "missing-satisfaction", Indicators, Warning, Stable, "缺少满意度指标"),
    ("I004", "missing-cost", Indicators, Info, Stable, "缺少成本指标"),
    ("I005", "too-few-indicators", Indicators, Warning, Stable, "指标过少"),
    ("I006", "duplicate-indicator", Indicators, Warning, Stable, "重复的指标"),
    ("I007", "level-mismatch", Indicators, Warning, Stable, "指标层级不符"),
    ("V001", "unreadable-value", Values, Error, Stable, "无法读取的指标值"),
    ("V002", "vague-target", Values, Warning, Stable, "指标值不可衡量"),
    ("V003", "unit-mismatch", Values, Warning, Stable, "计量单位与指标名称不符"),
    ("V004", "rate-out-of-range", Values, Error, Stable, "百分比超出范围"),
    ("V005", "suspicious-direction", Values, Warning, Stable, "指标方向可疑"),
    ("V006", "value-restates-name", Values, Warning, Stable, "指标值重复指标名称"),
    ("V007", "annual-period-inconsistent", Values, Warning, Stable, "年度指标值与实施周期指标值矛盾"),
    ("V008", "implausible-satisfaction", Values, Info, Stable, "满意度目标不合理"),
    ("G001", "goal-missing", Goals, Error, Stable, "缺少绩效目标"),
    ("G002", "boilerplate-goal", Goals, Warning, Stable, "多个项目使用相同的绩效目标"),
    ("G003", "goal-promise-unmeasured", Goals, Info, Stable, "目标中的承诺没有对应指标"),
    ("C001", "input-as-output", Costs, Warning, Stable, "以资金投入代替产出"),
    ("C002", "cost-restates-budget", Costs, Warning, Stable, "成本指标只是重复预算金额"),
    ("S003", "repaired-row", Structure, Info, Stable, "读取时修补的行或截断的表"),
    ("E001", "execution-rate-mismatch", SelfEvaluation, Error, Stable, "执行率不等于执行数除以预算数"),
    ("E002", "score-above-weight", SelfEvaluation, Error, Stable, "得分高于分值"),
    ("E003", "total-not-sum", SelfEvaluation, Error, Stable, "总分不等于各项得分之和"),
    ("E004", "grade-mismatch", SelfEvaluation, Error, Stable, "自评等级与总分不符"),
    ("E005", "full-points-without-actual", SelfEvaluation, Error, Stable, "没有完成值却得满分"),
    ("E006", "deducted-though-met", SelfEvaluation, Warning, Stable, "完成目标却被扣分"),
    ("E007", "full-points-though-missed", SelfEvaluation, Warning, Stable, "未完成目标却得满分"),
    ("E008", "weights-not-total", SelfEvaluation, Warning, Stable, "分值合计不等于满分"),
    ("E009", "unexplained-deduction", SelfEvaluation, Warning, Stable, "扣分而未说明偏差原因"),
    ("E010", "actual-copies-target", SelfEvaluation, Warning, Stable, "完成情况照抄目标"),
    ("E011", "actual-unit-mismatch", SelfEvaluation, Warning, Stable, "完成值与目标的计量单位不同"),
    ("V009", "template-left-in", Values, Warning, Stable, "表中留有模板提示文字"),
    ("I008", "category-misfiled", Indicators, Warning, Stable, "指标内容与所在类别不符"),
    ("V010", "damaged-text", Values, Warning, Stable, "文字损坏（问号串、乱码或丢了分隔符的日期）"),
    ("C003", "unit-cost-times-quantity", Costs, Warning, Stable, "单价乘以数量与项目金额不符"),
    ("V011", "shares-exceed-whole", Values, Warning, Stable, "各部分所占比例合计超过100%"),
}

/// Looks a code up by code (`A001`) or name (`amounts-row-sum`).
pub fn lookup(code_or_name: &str) -> Option<&'static CodeInfo> {
    CODES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code_or_name) || c.name == code_or_name)
}
