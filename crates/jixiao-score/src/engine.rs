//! Scores every project of a self-evaluation: budget execution and each indicator recomputed
//! beside the published score, with the difference and why, then the total and the grade.

use jixiao_model::{
    BudgetLine, Comparator, Deadline, Document, Evaluation, Indicator, Layout, Project, Quantity,
    Span, Unit, Value, ValueKind,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::formula::{self, Level};
use crate::policy::{BudgetMethod, Grade, Policy};

/// The scores of one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectScore {
    pub file: String,
    pub unit: String,
    pub project: String,
    pub span: Span,
    /// Budget execution first (when the table has it), then the indicators in table order.
    pub lines: Vec<LineScore>,
    pub total: TotalScore,
    /// What concerns the project as a whole (incomplete reading, totals that do not add up).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// One scored line: budget execution or an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineScore {
    pub kind: LineKind,
    /// `预算执行` or the indicator's name (三级指标).
    pub name: String,
    /// 一级/二级 of an indicator (`产出指标/质量指标`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The target as published (budget execution: 预算数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The actual value as published (budget execution: 执行数).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// 分值: the points the line carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// True when the table gave no 分值 and the policy's was used.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub weight_from_policy: bool,
    /// 得分 as published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Decimal>,
    /// The recomputed score; for a qualitative line, the published score brought into the band
    /// (the band's top when nothing was published).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recomputed: Option<Decimal>,
    /// The band a qualitative line may score in, `[low, high]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<[Decimal; 2]>,
    /// 公布得分 − 重算得分: positive when the table gave more points than the rules allow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Decimal>,
    pub method: Method,
    /// Why the recomputed score is what it is, in Chinese.
    pub reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Budget,
    Indicator,
}

impl LineKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Budget => "预算执行",
            Self::Indicator => "指标",
        }
    }
}

/// The formula a line was scored with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 分值 × 执行率.
    BudgetRate,
    /// 执行率 by the policy's bands.
    BudgetBands,
    /// 正向: 分值 × 完成值 ÷ 目标值.
    HigherIsBetter,
    /// 反向: 分值 × 目标值 ÷ 完成值.
    LowerIsBetter,
    /// = target of a count or amount: full points only when met.
    ExactCount,
    /// A deadline: met or not.
    Deadline,
    /// 达成 / 部分达成 / 未达成 bands.
    Qualitative,
    /// No actual value: no points.
    NoActual,
    /// Not recomputed (no 分值, a compound or referenced target, units that differ …).
    NotComputable,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Self::BudgetRate => "分值×执行率",
            Self::BudgetBands => "执行率分档",
            Self::HigherIsBetter => "正向指标",
            Self::LowerIsBetter => "反向指标",
            Self::ExactCount => "等于目标",
            Self::Deadline => "时限",
            Self::Qualitative => "定性指标",
            Self::NoActual => "无完成值",
            Self::NotComputable => "无法重算",
        }
    }
}

/// Something a reviewer should look at, beyond the difference in points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// No actual value: scored 0.
    MissingActual,
    /// Far above target without an explanation.
    OverAchievement,
    /// Below full points without an explanation.
    UnexplainedDeduction,
    /// The published execution rate is not 执行数 ÷ 预算数.
    RateMismatch,
    /// The published score is above the line's points.
    ScoreAboveWeight,
    /// Actual and target in different units.
    UnitMismatch,
    /// The line could not be recomputed.
    NotComputable,
    /// The points read do not add up to full marks: the table was probably not read whole.
    Incomplete,
    /// The published total is not the sum of the published scores.
    TotalNotSum,
    /// The published grade is not the grade of the published total.
    GradeMismatch,
}

/// The total and the grade, published and recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalScore {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Decimal>,
    /// The grade as published (`优`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_grade: Option<String>,
    pub recomputed: Decimal,
    /// `None` when lines are missing and no total was published: a part has no grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recomputed_grade: Option<Grade>,
    /// 公布总分 − 重算总分.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Decimal>,
    pub basis: TotalBasis,
    /// The points of the lines read (full marks when the table was read whole).
    pub points_read: Decimal,
}

/// How the recomputed total was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalBasis {
    /// Every line was read: the sum of the recomputed lines.
    Lines,
    /// Lines are missing: the published total corrected by each line's difference.
    PublishedCorrected,
    /// Lines are missing and no total was published: the sum of what was read.
    Partial,
}

impl ProjectScore {
    /// The largest difference, in points, of any line or the total.
    pub fn largest_difference(&self) -> Decimal {
        self.lines
            .iter()
            .filter_map(|line| line.difference)
            .chain(self.total.difference)
            .map(|d| d.abs())
            .max()
            .unwrap_or_default()
    }

    /// True when some line's or the total's difference exceeds `tolerance` points.
    pub fn exceeds(&self, tolerance: Decimal) -> bool {
        self.largest_difference() > tolerance
    }
}

/// Scores every self-evaluation project of a document; other projects are skipped. A project
/// read in another layout counts when its indicators carry actual values or scores (the tail of
/// a self-evaluation, cut from its header, reads as a project sheet).
pub fn score_document(document: &Document, policy: &Policy) -> Vec<ProjectScore> {
    document
        .projects()
        .filter(|(_, project)| is_self_evaluation(document, project))
        .map(|(unit, project)| score_project(&document.source, unit, project, policy))
        .collect()
}

/// True when a project of `document` is a self-evaluation: read in that layout, or carrying an
/// evaluation block, actual values or scores.
pub fn is_self_evaluation(document: &Document, project: &Project) -> bool {
    document.layout == Layout::SelfEvaluation
        || project.evaluation.is_some()
        || project.indicators.iter().any(|indicator| {
            indicator
                .details
                .as_deref()
                .is_some_and(|d| d.actual.is_some() || d.score.is_some())
        })
}

/// Scores one project of a self-evaluation.
pub fn score_project(file: &str, unit: &Unit, project: &Project, policy: &Policy) -> ProjectScore {
    let empty = Evaluation::default();
    let evaluation = project.evaluation.as_deref().unwrap_or(&empty);
    let scorer = Scorer { policy };
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    match budget_total(&evaluation.budget) {
        Some(budget) => lines.push(scorer.budget(budget, &evaluation.budget)),
        None if policy.budget.weight > Decimal::ZERO => notes.push(Note {
            kind: NoteKind::Incomplete,
            message: "未读到预算执行情况（年度资金总额的预算数和执行数），预算执行未重算。"
                .to_owned(),
        }),
        None => {}
    }
    lines.extend(
        project
            .indicators
            .iter()
            .map(|indicator| scorer.indicator(indicator)),
    );
    let total = scorer.total(evaluation, &lines, &mut notes);
    ProjectScore {
        file: file.to_owned(),
        unit: unit.name.text.to_string(),
        project: project.name.text.to_string(),
        span: project.span.clone(),
        lines,
        total,
        notes,
    }
}

/// The budget line that stands for the whole project (年度资金总额, 总额, 合计).
fn budget_total(budget: &[BudgetLine]) -> Option<&BudgetLine> {
    budget
        .iter()
        .find(|line| {
            let label = &line.label.text;
            ["总额", "合计", "总计"].iter().any(|w| label.contains(w))
        })
        .or_else(|| budget.first())
}

struct Scorer<'a> {
    policy: &'a Policy,
}

/// A line's score before it is set beside the published one.
struct Outcome {
    method: Method,
    score: Option<Decimal>,
    band: Option<(Decimal, Decimal)>,
    reason: String,
    notes: Vec<Note>,
}

impl Outcome {
    fn exact(method: Method, score: Decimal, reason: String) -> Self {
        Self {
            method,
            score: Some(score),
            band: None,
            reason,
            notes: Vec::new(),
        }
    }

    fn not_computable(reason: String) -> Self {
        Self {
            method: Method::NotComputable,
            score: None,
            band: None,
            notes: vec![Note {
                kind: NoteKind::NotComputable,
                message: reason.clone(),
            }],
            reason,
        }
    }
}

impl Scorer<'_> {
    fn round(&self, value: Decimal) -> Decimal {
        formula::round(value, self.policy.decimals)
    }

    fn budget(&self, line: &BudgetLine, all: &[BudgetLine]) -> LineScore {
        let policy = &self.policy.budget;
        let table_weight = line
            .weight
            .as_ref()
            .or_else(|| all.iter().find_map(|l| l.weight.as_ref()))
            .map(|w| w.value);
        let weight = table_weight.unwrap_or(policy.weight);
        let (budget, budget_label) = match (&line.adjusted, &line.initial) {
            (Some(adjusted), _) => (Some(adjusted), "全年（调整后）预算数"),
            (None, Some(initial)) => (Some(initial), "年初预算数"),
            (None, None) => (None, "预算数"),
        };
        let method = match policy.method {
            BudgetMethod::Linear => Method::BudgetRate,
            BudgetMethod::Bands => Method::BudgetBands,
        };
        let mut notes = Vec::new();
        let outcome = match (budget, &line.executed) {
            (Some(budget), Some(executed)) => {
                match formula::execution_rate(executed.value, budget.value) {
                    Some(rate) => {
                        let percent = self.round(rate * Decimal::ONE_HUNDRED);
                        if let Some(published) = line
                            .rate
                            .as_ref()
                            .and_then(|r| formula::published_rate(&r.text))
                            && (published - rate * Decimal::ONE_HUNDRED).abs()
                                > policy.rate_tolerance
                        {
                            notes.push(Note {
                                kind: NoteKind::RateMismatch,
                                message: format!(
                                    "公布的执行率 {}，但执行数 ÷ {budget_label} = {} ÷ {} = {percent}%。",
                                    line.rate.as_ref().map_or("", |r| &r.text),
                                    executed.raw,
                                    budget.raw
                                ),
                            });
                        }
                        let score = self.round(formula::budget_score(weight, rate, policy));
                        let reason = match policy.method {
                            BudgetMethod::Linear if rate > Decimal::ONE => format!(
                                "执行率 {} ÷ {} = {percent}%，超过 100% 按 100% 计：{weight} 分",
                                executed.raw, budget.raw
                            ),
                            BudgetMethod::Linear => format!(
                                "执行率 {} ÷ {} = {percent}%：{weight} × {percent}% = {score}",
                                executed.raw, budget.raw
                            ),
                            BudgetMethod::Bands => format!(
                                "执行率 {} ÷ {} = {percent}%，按档计 {score} 分",
                                executed.raw, budget.raw
                            ),
                        };
                        Outcome::exact(method, score, reason)
                    }
                    None => Outcome::not_computable(format!(
                        "{budget_label}为 {}，无法计算执行率",
                        budget.raw
                    )),
                }
            }
            (None, _) => Outcome::not_computable("未读到预算数，无法计算执行率".to_owned()),
            (_, None) => Outcome::not_computable("未读到执行数，无法计算执行率".to_owned()),
        };
        let mut outcome = outcome;
        outcome.notes.extend(notes);
        let mut reason = outcome.reason.clone();
        if table_weight.is_none() {
            reason.push_str(&format!("（表中未给分值，按政策取 {weight} 分）"));
        }
        outcome.reason = reason;
        self.line(
            LineKind::Budget,
            "预算执行".to_owned(),
            None,
            budget.map(|b| b.raw.to_string()),
            line.executed.as_ref().map(|e| e.raw.to_string()),
            Some(weight),
            table_weight.is_none(),
            line.score.as_ref().map(|s| s.value),
            outcome,
            line.label.span.clone(),
        )
    }

    fn indicator(&self, indicator: &Indicator) -> LineScore {
        let details = indicator.details.as_deref();
        let weight = details.and_then(|d| d.weight.as_ref()).map(|w| w.value);
        let published = details.and_then(|d| d.score.as_ref()).map(|s| s.value);
        let actual = details.and_then(|d| d.actual.as_ref());
        let explanation = details
            .and_then(|d| d.deviation.as_ref())
            .map(|d| d.text.trim())
            .filter(|text| {
                !text.is_empty()
                    && !self
                        .policy
                        .indicators
                        .boilerplate_explanations
                        .iter()
                        .any(|b| b == text)
            });
        let reversed = details
            .and_then(|d| d.direction.as_ref())
            .is_some_and(|d| d.text.contains("反向"));
        let mut outcome = match weight {
            None => Outcome::not_computable("表中没有分值，无法重算".to_owned()),
            Some(weight) => self.indicator_outcome(
                weight,
                indicator.annual.as_ref(),
                actual,
                reversed,
                explanation.is_some(),
            ),
        };
        if let (Some(weight), Some(published)) = (weight, published) {
            if published > weight {
                outcome.notes.push(Note {
                    kind: NoteKind::ScoreAboveWeight,
                    message: format!("公布得分 {published} 高于分值 {weight}。"),
                });
            }
            if published < weight && explanation.is_none() && outcome.method != Method::NoActual {
                outcome.notes.push(Note {
                    kind: NoteKind::UnexplainedDeduction,
                    message: format!("得分 {published} 低于分值 {weight}，但没有说明偏差原因。"),
                });
            }
        }
        let category = match (&indicator.level1, &indicator.level2) {
            (Some(l1), Some(l2)) => Some(format!("{}/{}", l1.name, l2.name)),
            (Some(l1), None) => Some(l1.name.to_string()),
            (None, Some(l2)) => Some(l2.name.to_string()),
            (None, None) => None,
        };
        self.line(
            LineKind::Indicator,
            indicator.name.text.to_string(),
            category,
            indicator.annual.as_ref().map(shown_value),
            actual.map(shown_value),
            weight,
            false,
            published,
            outcome,
            indicator.span.clone(),
        )
    }

    fn indicator_outcome(
        &self,
        weight: Decimal,
        target: Option<&Value>,
        actual: Option<&Value>,
        reversed: bool,
        explained: bool,
    ) -> Outcome {
        let Some(actual) = actual.filter(|a| !matches!(a.kind, ValueKind::Empty)) else {
            return Outcome {
                method: Method::NoActual,
                score: Some(Decimal::ZERO),
                band: None,
                reason: "没有实际完成值，得 0 分".to_owned(),
                notes: vec![Note {
                    kind: NoteKind::MissingActual,
                    message: "没有实际完成值：按规定得 0 分。".to_owned(),
                }],
            };
        };
        let Some(target) = target else {
            return Outcome::not_computable("没有指标值（目标），无法重算".to_owned());
        };
        match (&target.kind, &actual.kind) {
            (ValueKind::Quantitative(t), ValueKind::Quantitative(a)) => {
                self.quantitative(weight, t, a, reversed, explained)
            }
            (ValueKind::Quantitative(t), ValueKind::Qualitative) => {
                // `完成` against a number: the words are all there is to judge by.
                match formula::judge_words("", &actual.raw, &self.policy.qualitative) {
                    Some(level) => self.band(
                        weight,
                        level,
                        format!(
                            "目标 {t} 为定量，完成值“{}”不是数值，按文字判断",
                            actual.raw.trim()
                        ),
                    ),
                    None => Outcome::not_computable(format!(
                        "目标 {t} 为定量，完成值“{}”不是数值，无法比较",
                        actual.raw.trim()
                    )),
                }
            }
            (ValueKind::Deadline(deadline), _) => self.deadline(weight, deadline, actual),
            (ValueKind::Qualitative, ValueKind::Quantitative(a)) if a.is_percent() => {
                let level = if a.scaled_number() >= Decimal::ONE_HUNDRED {
                    Level::Achieved
                } else if a.scaled_number() > Decimal::ZERO {
                    Level::Partial
                } else {
                    Level::Missed
                };
                self.band(
                    weight,
                    level,
                    format!(
                        "完成值 {} 对定性目标“{}”",
                        actual.raw.trim(),
                        target.raw.trim()
                    ),
                )
            }
            (ValueKind::Qualitative, _) => self.qualitative(weight, &target.raw, &actual.raw),
            (ValueKind::Compound { .. }, _) => {
                Outcome::not_computable("指标值含多个目标（复合指标），未自动重算".to_owned())
            }
            (ValueKind::Reference { .. }, _) => {
                Outcome::not_computable("指标值引用表外标准，无法重算".to_owned())
            }
            (ValueKind::Empty, _) => {
                Outcome::not_computable("没有指标值（目标），无法重算".to_owned())
            }
            (ValueKind::Quantitative(_), _) => {
                Outcome::not_computable(format!("完成值“{}”无法与目标比较", actual.raw.trim()))
            }
        }
    }

    fn quantitative(
        &self,
        weight: Decimal,
        target: &Quantity,
        actual: &Quantity,
        reversed: bool,
        explained: bool,
    ) -> Outcome {
        if let (Some(t), Some(a)) = (unit_key(target), unit_key(actual))
            && t != a
        {
            let message = format!(
                "完成值的单位“{}”与目标的单位“{}”不同，无法比较",
                actual.unit.as_deref().unwrap_or_default(),
                target.unit.as_deref().unwrap_or_default()
            );
            let mut outcome = Outcome::not_computable(message.clone());
            outcome.notes = vec![Note {
                kind: NoteKind::UnitMismatch,
                message: format!("{message}。"),
            }];
            return outcome;
        }
        let t = target.scaled_number();
        let a = actual.scaled_number();
        let unit = target.unit.as_deref().unwrap_or_default();
        let lower = match target.comparator {
            Some(Comparator::Le | Comparator::Lt) => true,
            Some(Comparator::Ge | Comparator::Gt | Comparator::Eq | Comparator::Approx) => false,
            None => reversed,
        };
        let equal = matches!(target.comparator, Some(Comparator::Eq | Comparator::Approx));
        let shown = |n: Decimal| format!("{}{unit}", n.normalize());
        let mut outcome = if equal && !target.is_percent() {
            let score = formula::exact_count(weight, a, t);
            let reason = if score == weight {
                format!("完成值 {} 等于目标 {}：满分 {weight}", shown(a), shown(t))
            } else {
                format!(
                    "目标为等于 {}，完成值 {}：未达到，得 0 分",
                    shown(t),
                    shown(a)
                )
            };
            Outcome::exact(Method::ExactCount, score, reason)
        } else if lower {
            let score = self.round(formula::lower_is_better(weight, a, t));
            let reason = if a <= t {
                format!("完成值 {} 不高于目标 {}：满分 {weight}", shown(a), shown(t))
            } else {
                format!(
                    "完成值 {} 高于目标 {}：{weight} × {} ÷ {} = {score}",
                    shown(a),
                    shown(t),
                    t.normalize(),
                    a.normalize()
                )
            };
            Outcome::exact(Method::LowerIsBetter, score, reason)
        } else {
            let score = self.round(formula::higher_is_better(weight, a, t));
            let reason = if a >= t {
                format!("完成值 {} 达到目标 {}：满分 {weight}", shown(a), shown(t))
            } else {
                format!(
                    "完成值 {} 低于目标 {}：{weight} × {} ÷ {} = {score}",
                    shown(a),
                    shown(t),
                    a.normalize(),
                    t.normalize()
                )
            };
            Outcome::exact(Method::HigherIsBetter, score, reason)
        };
        let ratio = self.policy.indicators.over_achievement_ratio;
        let over = if lower {
            a > Decimal::ZERO && t / a > ratio
        } else {
            t > Decimal::ZERO && a / t > ratio
        };
        if over && !explained {
            let times = if lower { t / a } else { a / t };
            outcome.notes.push(Note {
                kind: NoteKind::OverAchievement,
                message: format!(
                    "完成值 {} 是目标 {} 的 {} 倍（超过 {ratio} 倍），须说明原因：目标可能定得过低。",
                    shown(a),
                    shown(t),
                    formula::round(if lower { Decimal::ONE / times } else { times }, 2)
                ),
            });
        }
        outcome
    }

    fn deadline(&self, weight: Decimal, target: &Deadline, actual: &Value) -> Outcome {
        let met = match &actual.kind {
            ValueKind::Deadline(done) => match (target.month, done.month) {
                (Some(tm), Some(am)) => {
                    Some((am, done.day.unwrap_or(0)) <= (tm, target.day.unwrap_or(31)))
                }
                _ => formula::judge_words("", &actual.raw, &self.policy.qualitative)
                    .map(|level| level == Level::Achieved),
            },
            ValueKind::Quantitative(q) if q.is_percent() => {
                Some(q.scaled_number() >= Decimal::ONE_HUNDRED)
            }
            _ => formula::judge_words("", &actual.raw, &self.policy.qualitative)
                .map(|level| level == Level::Achieved),
        };
        match met {
            Some(met) => {
                let score = formula::deadline(weight, met);
                let reason = if met {
                    format!("完成值“{}”：按期完成，满分 {weight}", actual.raw.trim())
                } else {
                    format!("完成值“{}”：未按期完成，得 0 分", actual.raw.trim())
                };
                Outcome::exact(Method::Deadline, score, reason)
            }
            None => Outcome::not_computable(format!(
                "无法从完成值“{}”判断是否按期完成",
                actual.raw.trim()
            )),
        }
    }

    fn qualitative(&self, weight: Decimal, target: &str, actual: &str) -> Outcome {
        match formula::judge_words(target, actual, &self.policy.qualitative) {
            Some(level) => self.band(
                weight,
                level,
                format!("完成值“{}”对目标“{}”", actual.trim(), target.trim()),
            ),
            None => Outcome::not_computable(format!(
                "无法从完成值“{}”判断是否达成目标“{}”",
                actual.trim(),
                target.trim()
            )),
        }
    }

    fn band(&self, weight: Decimal, level: Level, what: String) -> Outcome {
        let (low, high) = formula::qualitative_band(weight, level, &self.policy.qualitative);
        let (low, high) = (self.round(low), self.round(high));
        Outcome {
            method: Method::Qualitative,
            score: Some(high),
            band: Some((low, high)),
            reason: format!("{what}为{}，得分应在 {low}–{high}", level.label()),
            notes: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn line(
        &self,
        kind: LineKind,
        name: String,
        category: Option<String>,
        target: Option<String>,
        actual: Option<String>,
        weight: Option<Decimal>,
        weight_from_policy: bool,
        published: Option<Decimal>,
        outcome: Outcome,
        span: Span,
    ) -> LineScore {
        // A qualitative score anywhere in its band is right; outside it, the nearest edge is.
        let recomputed = match (outcome.band, published) {
            (Some((low, high)), Some(published)) => Some(published.clamp(low, high)),
            _ => outcome.score,
        };
        let difference = match (published, recomputed) {
            (Some(p), Some(r)) => Some((p - r).normalize()),
            _ => None,
        };
        LineScore {
            kind,
            name: name.trim().to_owned(),
            category,
            target: target.map(|t| t.trim().to_owned()),
            actual: actual.map(|a| a.trim().to_owned()),
            weight: weight.map(|d| d.normalize()),
            weight_from_policy,
            published: published.map(|d| d.normalize()),
            recomputed: recomputed.map(|d| d.normalize()),
            band: outcome.band.map(|(l, h)| [l, h]),
            difference,
            method: outcome.method,
            reason: outcome.reason,
            notes: outcome.notes,
            span,
        }
    }

    fn total(
        &self,
        evaluation: &Evaluation,
        lines: &[LineScore],
        notes: &mut Vec<Note>,
    ) -> TotalScore {
        let points_read: Decimal = lines.iter().filter_map(|l| l.weight).sum();
        let published = evaluation.total_score.as_ref().map(|t| t.value.normalize());
        let complete = points_read == self.policy.total;
        let (recomputed, basis) = if complete {
            let sum = lines
                .iter()
                .map(|l| l.recomputed.or(l.published).unwrap_or_default())
                .sum();
            (sum, TotalBasis::Lines)
        } else if let Some(published) = published {
            let corrected = published - lines.iter().filter_map(|l| l.difference).sum::<Decimal>();
            notes.push(Note {
                kind: NoteKind::Incomplete,
                message: format!(
                    "读到的分值合计 {} 分，不是满分 {}：表格可能没有读全。重算总分 = 公布总分 − 各行差异。",
                    points_read.normalize(),
                    self.policy.total
                ),
            });
            (corrected, TotalBasis::PublishedCorrected)
        } else {
            notes.push(Note {
                kind: NoteKind::Incomplete,
                message: format!(
                    "读到的分值合计 {} 分，不是满分 {}，且未公布总分：重算总分只含读到的各行。",
                    points_read.normalize(),
                    self.policy.total
                ),
            });
            let sum = lines
                .iter()
                .map(|l| l.recomputed.or(l.published).unwrap_or_default())
                .sum();
            (sum, TotalBasis::Partial)
        };
        let recomputed = self.round(recomputed);
        if complete && let Some(published) = published {
            let scores: Option<Decimal> = lines.iter().map(|l| l.published).sum();
            if let Some(sum) = scores
                && sum != published
            {
                notes.push(Note {
                    kind: NoteKind::TotalNotSum,
                    message: format!(
                        "公布的各行得分合计 {}，与公布总分 {published} 不符。",
                        sum.normalize()
                    ),
                });
            }
        }
        let published_grade = evaluation.grade.as_ref().map(|g| g.text.trim().to_owned());
        if let (Some(text), Some(total)) = (&published_grade, published)
            && let Some(grade) = Grade::from_text(text)
            && grade != self.policy.grades.grade(total)
        {
            notes.push(Note {
                kind: NoteKind::GradeMismatch,
                message: format!(
                    "公布总分 {total} 应为“{}”，公布的等级却是“{text}”。",
                    self.policy.grades.grade(total)
                ),
            });
        }
        TotalScore {
            published,
            published_grade,
            recomputed,
            recomputed_grade: (basis != TotalBasis::Partial)
                .then(|| self.policy.grades.grade(recomputed)),
            difference: published.map(|p| (p - recomputed).normalize()),
            basis,
            points_read: points_read.normalize(),
        }
    }
}

/// A value as reviewers read it: a quantity with the comparator and unit of its columns
/// (`≧ | 735 | 人次` → `≥735人次`), anything else as published.
fn shown_value(value: &Value) -> String {
    match &value.kind {
        ValueKind::Quantitative(quantity) => quantity.to_string(),
        _ => value.raw.to_string(),
    }
}

/// The unit a quantity is compared in; `None` when it has none.
fn unit_key(quantity: &Quantity) -> Option<&str> {
    if quantity.is_percent() {
        return Some("%");
    }
    quantity
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
}
