//! Scoring policies: how many points budget execution carries, how it is scored, the qualitative
//! bands and words, the over-achievement ratio and the grade thresholds — all data.
//!
//! `data/policies/national.toml` is complete; every other preset, and a user's policy file, only
//! writes what differs and is laid over it table by table.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

const NATIONAL: &str = include_str!("../data/policies/national.toml");

/// The named presets besides `national`, each an overlay on it.
const PRESETS: [(&str, &str); 3] = [
    ("national", ""),
    ("hubei", include_str!("../data/policies/hubei.toml")),
    ("ningxia", include_str!("../data/policies/ningxia.toml")),
];

/// A complete scoring policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    /// What reviewers call it (`全国通用（财预〔2020〕10号）`).
    pub title: String,
    pub description: String,
    /// Recomputed scores are rounded to this many decimal places.
    pub decimals: u32,
    /// Full marks: the points of budget execution and every indicator together.
    pub total: Decimal,
    pub budget: BudgetPolicy,
    pub indicators: IndicatorPolicy,
    pub qualitative: QualitativePolicy,
    pub grades: GradePolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetPolicy {
    /// Points of budget execution when the table gives none.
    pub weight: Decimal,
    pub method: BudgetMethod,
    /// For [`BudgetMethod::Bands`]: from the highest `from` down, the first band the rate reaches.
    #[serde(default)]
    pub bands: Vec<BudgetBand>,
    /// Percentage points a published rate may differ from executed ÷ budget.
    pub rate_tolerance: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetMethod {
    /// 得分 = 分值 × 执行率, capped at 分值.
    Linear,
    /// 执行率 at least `from`% scores `share`% of the points.
    Bands,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetBand {
    /// Lowest execution rate of the band, in percent.
    pub from: Decimal,
    /// Share of the points the band scores, in percent.
    pub share: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorPolicy {
    pub over_achievement_ratio: Decimal,
    /// Deviation explanations that explain nothing (`无`, `暂无`).
    pub boilerplate_explanations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualitativePolicy {
    /// `[low, high]` percent of the points for 达成.
    pub achieved: [Decimal; 2],
    pub partial: [Decimal; 2],
    pub missed: [Decimal; 2],
    pub achieved_exact: Vec<String>,
    pub partial_exact: Vec<String>,
    pub missed_exact: Vec<String>,
    pub missed_words: Vec<String>,
    pub partial_words: Vec<String>,
    pub achieved_words: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradePolicy {
    /// Lowest total of 优.
    pub excellent: Decimal,
    /// Lowest total of 良.
    pub good: Decimal,
    /// Lowest total of 中; below it is 差.
    pub fair: Decimal,
}

/// A policy that cannot be used, with a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("没有名为“{name}”的计分政策。可用的预设：{known}；也可以给出政策文件（.toml）的路径。")]
    UnknownPreset { name: String, known: String },
    #[error("计分政策格式错误：{0}")]
    Invalid(String),
}

impl Default for Policy {
    fn default() -> Self {
        Self::preset("national").expect("the national policy is valid")
    }
}

impl Policy {
    /// The names of the built-in presets.
    pub fn preset_names() -> impl Iterator<Item = &'static str> {
        PRESETS.iter().map(|(name, _)| *name)
    }

    /// A built-in preset by name.
    pub fn preset(name: &str) -> Result<Self, PolicyError> {
        let (_, overlay) = PRESETS
            .iter()
            .find(|(preset, _)| *preset == name)
            .ok_or_else(|| PolicyError::UnknownPreset {
                name: name.to_owned(),
                known: Self::preset_names().collect::<Vec<_>>().join("、"),
            })?;
        Self::from_toml(overlay)
    }

    /// A policy file's text: laid over the preset named by its `base` key (default `national`).
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        let mut overlay: toml::Table =
            toml::from_str(text).map_err(|e| PolicyError::Invalid(e.to_string()))?;
        let base = match overlay.remove("base") {
            Some(toml::Value::String(base)) => Some(base),
            Some(other) => {
                return Err(PolicyError::Invalid(format!(
                    "base 应为预设名称（字符串），而不是 {other}"
                )));
            }
            None => None,
        };
        let mut table = match base.as_deref() {
            None | Some("national") => national(),
            Some(name) => {
                let base = Self::preset(name)?;
                toml::Table::try_from(base).map_err(|e| PolicyError::Invalid(e.to_string()))?
            }
        };
        merge(&mut table, overlay);
        let policy: Self = table
            .try_into()
            .map_err(|e: toml::de::Error| PolicyError::Invalid(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<(), PolicyError> {
        let hundred = Decimal::ONE_HUNDRED;
        let bands = [
            ("achieved", self.qualitative.achieved),
            ("partial", self.qualitative.partial),
            ("missed", self.qualitative.missed),
        ];
        for (name, [low, high]) in bands {
            if low > high || low < Decimal::ZERO || high > hundred {
                return Err(PolicyError::Invalid(format!(
                    "qualitative.{name} 应为 [下限, 上限]，在 0 到 100 之间且下限不大于上限"
                )));
            }
        }
        if self.budget.method == BudgetMethod::Bands && self.budget.bands.is_empty() {
            return Err(PolicyError::Invalid(
                "budget.method = \"bands\" 时须给出 budget.bands".to_owned(),
            ));
        }
        let grades = self.grades;
        if !(grades.excellent > grades.good && grades.good > grades.fair) {
            return Err(PolicyError::Invalid(
                "grades 应满足 excellent > good > fair".to_owned(),
            ));
        }
        if self.indicators.over_achievement_ratio < Decimal::ONE {
            return Err(PolicyError::Invalid(
                "indicators.over_achievement_ratio 不应小于 1".to_owned(),
            ));
        }
        Ok(())
    }

    /// The policy as TOML, complete, numbers written as numbers (decimals serialise as strings
    /// to stay exact in JSON; a policy file may write either).
    pub fn to_toml(&self) -> String {
        let Ok(toml::Value::Table(mut table)) = toml::Value::try_from(self) else {
            return String::new();
        };
        numbers_as_numbers(&mut table);
        toml::to_string(&table).unwrap_or_default()
    }
}

fn national() -> toml::Table {
    toml::from_str(NATIONAL).expect("data/policies/national.toml is valid TOML")
}

fn numbers_as_numbers(table: &mut toml::Table) {
    fn visit(value: &mut toml::Value) {
        match value {
            toml::Value::String(text) => {
                if let Ok(number) = text.parse::<Decimal>() {
                    *value = if number.fract().is_zero() {
                        i64::try_from(number).map_or_else(|_| value.clone(), toml::Value::Integer)
                    } else {
                        // Shown for reading only; the policy itself keeps the exact decimal.
                        text.parse::<f64>()
                            .map_or_else(|_| value.clone(), toml::Value::Float)
                    };
                }
            }
            toml::Value::Array(items) => items.iter_mut().for_each(visit),
            toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| visit(v)),
            _ => {}
        }
    }
    table.iter_mut().for_each(|(_, v)| visit(v));
}

/// Lays `overlay` over `base`: tables merge key by key, everything else replaces.
fn merge(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base)), toml::Value::Table(overlay)) => merge(base, overlay),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// 优 / 良 / 中 / 差.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    #[serde(rename = "差")]
    Poor,
    #[serde(rename = "中")]
    Fair,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "优")]
    Excellent,
}

impl Grade {
    pub fn label(self) -> &'static str {
        match self {
            Self::Excellent => "优",
            Self::Good => "良",
            Self::Fair => "中",
            Self::Poor => "差",
        }
    }

    /// The grade a published grade cell names (`优`, `优秀`, `良好`), when it names exactly one:
    /// the template's `优良中低差`, left in the cell, names none.
    pub fn from_text(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "优" | "优秀" => Self::Excellent,
            "良" | "良好" => Self::Good,
            "中" | "中等" => Self::Fair,
            "差" | "较差" => Self::Poor,
            _ => return None,
        })
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl GradePolicy {
    /// The grade of a total score.
    pub fn grade(&self, total: Decimal) -> Grade {
        if total >= self.excellent {
            Grade::Excellent
        } else if total >= self.good {
            Grade::Good
        } else if total >= self.fair {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_named_after_itself() {
        for name in Policy::preset_names() {
            let policy = Policy::preset(name).expect(name);
            assert_eq!(policy.name, name);
        }
    }

    #[test]
    fn hubei_overrides_only_what_it_writes() {
        let hubei = Policy::preset("hubei").expect("hubei");
        let national = Policy::default();
        assert_eq!(hubei.budget.weight, dec!(20));
        assert_eq!(hubei.qualitative.partial, [dec!(50), dec!(80)]);
        assert_eq!(hubei.grades, national.grades);
        assert_eq!(
            hubei.qualitative.achieved_words,
            national.qualitative.achieved_words
        );
    }

    #[test]
    fn a_policy_file_can_start_from_a_preset() {
        let policy = Policy::from_toml(
            "base = \"hubei\"\nname = \"xiangyang\"\n[indicators]\nover_achievement_ratio = 1.5\n",
        )
        .expect("valid");
        assert_eq!(policy.name, "xiangyang");
        assert_eq!(policy.budget.weight, dec!(20));
        assert_eq!(policy.indicators.over_achievement_ratio, dec!(1.5));
    }

    #[test]
    fn bad_policies_are_refused_in_chinese() {
        let unknown = Policy::preset("atlantis").expect_err("unknown");
        assert!(unknown.to_string().contains("national"), "{unknown}");
        let typo = Policy::from_toml("[budget]\nwieght = 20\n").expect_err("typo");
        assert!(typo.to_string().contains("计分政策格式错误"), "{typo}");
        let bands = Policy::from_toml("[budget]\nmethod = \"bands\"\n").expect_err("no bands");
        assert!(bands.to_string().contains("budget.bands"), "{bands}");
    }

    #[test]
    fn shown_policies_read_back_the_same() {
        for name in Policy::preset_names() {
            let policy = Policy::preset(name).expect(name);
            let shown = policy.to_toml();
            assert!(shown.contains("total = 100"), "{shown}");
            assert_eq!(Policy::from_toml(&shown).expect("reads back"), policy);
        }
    }

    #[test]
    fn grades_follow_the_thresholds() {
        let grades = Policy::default().grades;
        assert_eq!(grades.grade(dec!(90)), Grade::Excellent);
        assert_eq!(grades.grade(dec!(89.99)), Grade::Good);
        assert_eq!(grades.grade(dec!(80)), Grade::Good);
        assert_eq!(grades.grade(dec!(79.5)), Grade::Fair);
        assert_eq!(grades.grade(dec!(60)), Grade::Fair);
        assert_eq!(grades.grade(dec!(59.99)), Grade::Poor);
        assert_eq!(Grade::from_text("优秀"), Some(Grade::Excellent));
    }
}
