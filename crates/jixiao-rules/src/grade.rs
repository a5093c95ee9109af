//! The suggested review grade of a project (优/良/中/差) from its findings.
//!
//! A project starts at 100 points and loses `error`, `warning` and `info` points per finding of
//! that severity; the grade is 优 at or above `excellent`, 良 at or above `good`, 中 at or above
//! `fair`, else 差. The defaults (25/8/2; 90/75/60) mean: one error makes a project 良 at best and
//! two make it 中, as a reviewer would send back a table with two real mistakes; any finding of a
//! code in `fail_codes` makes it 差 (the table cannot enter the budget as it stands). All of it is
//! configurable under `[grades]` in `jixiao.toml`.

use serde::{Deserialize, Serialize};

use crate::{Finding, Severity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GradeSettings {
    pub error: f64,
    pub warning: f64,
    pub info: f64,
    pub excellent: f64,
    pub good: f64,
    pub fair: f64,
    pub fail_codes: Vec<String>,
}

impl Default for GradeSettings {
    fn default() -> Self {
        Self {
            error: 25.0,
            warning: 8.0,
            info: 2.0,
            excellent: 90.0,
            good: 75.0,
            fair: 60.0,
            fail_codes: vec!["G001".to_owned()],
        }
    }
}

/// A review grade (DOMAIN.md §4): 优 proceeds, 良 fixed in consultation, 中 returned, 差 rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    #[serde(rename = "优")]
    Excellent,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "中")]
    Fair,
    #[serde(rename = "差")]
    Poor,
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
}

impl GradeSettings {
    /// The points left after a project's findings.
    pub fn points<'a>(&self, findings: impl IntoIterator<Item = &'a Finding>) -> f64 {
        self.points_of(findings.into_iter().map(|f| f.severity))
    }

    pub fn grade<'a>(&self, findings: impl IntoIterator<Item = &'a Finding> + Clone) -> Grade {
        self.grade_of(findings.into_iter().map(|f| (f.code, f.severity)))
    }

    /// [`GradeSettings::points`] from severities alone.
    pub fn points_of(&self, severities: impl IntoIterator<Item = Severity>) -> f64 {
        let lost: f64 = severities
            .into_iter()
            .map(|severity| match severity {
                Severity::Error => self.error,
                Severity::Warning => self.warning,
                Severity::Info => self.info,
            })
            .sum();
        (100.0 - lost).max(0.0)
    }

    /// [`GradeSettings::grade`] from codes and severities, as a corpus stores findings.
    pub fn grade_of<'a>(&self, findings: impl IntoIterator<Item = (&'a str, Severity)>) -> Grade {
        let mut fails = false;
        let points = self.points_of(findings.into_iter().map(|(code, severity)| {
            fails |= self.fail_codes.iter().any(|c| c == code);
            severity
        }));
        if fails {
            Grade::Poor
        } else if points >= self.excellent {
            Grade::Excellent
        } else if points >= self.good {
            Grade::Good
        } else if points >= self.fair {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }
}
