//! Settings from `jixiao.toml`: which rules run, at what severity, with which options, and the
//! jurisdiction profile.
//!
//! ```toml
//! select = ["A", "I", "V0"]      # codes or prefixes; default: every stable rule
//! ignore = ["V008"]              # ignore beats select at the same specificity
//! [severity]
//! I004 = "warning"
//! [rules.I005]
//! min = 4
//! [rules.V002]
//! vague_words = ["按时发放", "有所提高"]
//! [profile]                      # extends the built-in profile (see jixiao-model data/profile.toml)
//! [[profile.level1]]
//! code = "1"
//! name = "产出指标"
//! aliases = ["完成情况指标"]
//! [grades]                       # see `grade`
//! error = 25
//! [score]                        # jixiao score: a policy preset or file (jixiao-score)
//! policy = "hubei"
//! [limits]                       # reading limits (jixiao-parse Limits, docs/reliability.md)
//! file_size = "300MiB"
//! ```

use std::collections::BTreeMap;

use jixiao_model::{Profile, ProfileData};
use serde::{Deserialize, Serialize};

use crate::grade::GradeSettings;
use crate::{CODES, Severity, Status};

/// `jixiao.toml` as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub rules: BTreeMap<String, toml::Table>,
    #[serde(default)]
    pub profile: Option<ProfileData>,
    #[serde(default)]
    pub grades: Option<GradeSettings>,
    /// `[score]`: the scoring policy of `jixiao score` and of the E rules (`policy = "hubei"` or
    /// a policy file); a preset is resolved here, a file by the command that reads the config.
    #[serde(default)]
    pub score: Option<toml::Table>,
    /// `[limits]`: read by the commands that read files (`jixiao_parse::Limits`); not used here.
    #[serde(default)]
    pub limits: Option<toml::Table>,
}

impl Options {
    /// Parses the text of a `jixiao.toml` without resolving it.
    pub fn from_toml(text: &str) -> Result<Self, SettingsError> {
        toml::from_str(text).map_err(|e| SettingsError(format!("配置文件格式错误：{e}")))
    }
}

/// The resolved settings the engine runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Enabled codes with their severity.
    pub enabled: BTreeMap<&'static str, Severity>,
    pub rule_options: BTreeMap<String, toml::Table>,
    pub profile: Profile,
    pub grades: GradeSettings,
    /// The scoring policy the self-evaluation rules (E) recompute with: `[score] policy` when it
    /// names a preset; a policy file is loaded by the command that knows where the config is.
    pub score_policy: jixiao_score::Policy,
}

impl Default for Settings {
    fn default() -> Self {
        Self::resolve(Options::default()).expect("the defaults are valid")
    }
}

/// A setting that cannot be used, with a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError(pub String);

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// Parses and resolves the text of a `jixiao.toml`.
    pub fn from_toml(text: &str) -> Result<Self, SettingsError> {
        Self::resolve(Options::from_toml(text)?)
    }

    pub fn resolve(options: Options) -> Result<Self, SettingsError> {
        let select = options
            .select
            .clone()
            .unwrap_or_else(|| vec![String::new()]);
        for selector in select.iter().chain(&options.ignore) {
            if !selector.is_empty()
                && !CODES
                    .iter()
                    .any(|c| c.code.starts_with(selector.as_str()) || c.name == selector)
            {
                return Err(SettingsError(format!(
                    "select/ignore 中的“{selector}”不对应任何规则代码。请用 `jixiao rule --all` 查看可用代码。"
                )));
            }
        }
        let specificity = |selectors: &[String], code: &str, name: &str| {
            selectors
                .iter()
                .filter_map(|s| {
                    if s == name || s == code {
                        Some(usize::MAX)
                    } else if code.starts_with(s.as_str()) {
                        Some(s.len())
                    } else {
                        None
                    }
                })
                .max()
        };
        let mut enabled = BTreeMap::new();
        for info in CODES {
            let selected = specificity(&select, info.code, info.name);
            let ignored = specificity(&options.ignore, info.code, info.name);
            // A preview rule runs only when selected by its own code.
            let selected = match (info.status, selected) {
                (Status::Preview, Some(s)) if s < info.code.len() => None,
                (_, s) => s,
            };
            let on = match (selected, ignored) {
                (Some(s), Some(i)) => s > i,
                (Some(_), None) => true,
                _ => false,
            };
            if on {
                enabled.insert(info.code, info.severity);
            }
        }
        for (code, severity) in &options.severity {
            let parsed = Severity::parse(severity).ok_or_else(|| {
                SettingsError(format!(
                    "[severity] 中 {code} 的级别“{severity}”无效，应为 error、warning 或 info。"
                ))
            })?;
            let mut matched = false;
            for info in CODES
                .iter()
                .filter(|c| c.code.starts_with(code.as_str()) || c.name == code)
            {
                matched = true;
                if let Some(slot) = enabled.get_mut(info.code) {
                    *slot = parsed;
                }
            }
            if !matched {
                return Err(SettingsError(format!(
                    "[severity] 中的“{code}”不对应任何规则代码。"
                )));
            }
        }
        for code in options.rules.keys() {
            if crate::codes::lookup(code).is_none() {
                return Err(SettingsError(format!(
                    "[rules.{code}] 不对应任何规则代码。"
                )));
            }
        }
        let profile = match options.profile {
            Some(extension) => Profile::extended(extension),
            None => Profile::builtin(),
        };
        let score_policy = options
            .score
            .as_ref()
            .and_then(|score| score.get("policy"))
            .and_then(toml::Value::as_str)
            .filter(|choice| jixiao_score::Policy::preset_names().any(|name| name == *choice))
            .and_then(|choice| jixiao_score::Policy::preset(choice).ok())
            .unwrap_or_default();
        Ok(Self {
            enabled,
            rule_options: options.rules,
            profile,
            grades: options.grades.unwrap_or_default(),
            score_policy,
        })
    }

    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.enabled.get(code).copied()
    }

    fn option(&self, code: &str, key: &str) -> Option<&toml::Value> {
        self.rule_options.get(code).and_then(|t| t.get(key))
    }

    /// A numeric option of a rule, or its default.
    pub fn number(&self, code: &str, key: &str, default: f64) -> f64 {
        match self.option(code, key) {
            Some(toml::Value::Integer(i)) => *i as f64,
            Some(toml::Value::Float(f)) => *f,
            _ => default,
        }
    }

    /// A word-list option of a rule, or its default.
    pub fn words(&self, code: &str, key: &str, default: &[&str]) -> Vec<String> {
        match self.option(code, key) {
            Some(toml::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => default.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// The resolved settings as TOML, for `jixiao check --show-settings`.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Shown<'a> {
            enabled: BTreeMap<&'a str, String>,
            rules: &'a BTreeMap<String, toml::Table>,
            grades: &'a GradeSettings,
            profile: &'a ProfileData,
        }
        let shown = Shown {
            enabled: self
                .enabled
                .iter()
                .map(|(code, severity)| (*code, severity.to_string()))
                .collect(),
            rules: &self.rule_options,
            grades: &self.grades,
            profile: self.profile.data(),
        };
        toml::to_string_pretty(&shown).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_enable_every_stable_rule() {
        let settings = Settings::default();
        assert_eq!(settings.enabled.len(), CODES.len());
        assert_eq!(settings.severity("I004"), Some(Severity::Info));
    }

    #[test]
    fn more_specific_wins_and_ignore_beats_select() {
        let settings = Settings::from_toml(
            r#"
            select = ["V", "I001"]
            ignore = ["V00", "I", "V003"]
            [severity]
            V003 = "error"
            "#,
        )
        .expect("valid");
        assert!(
            settings.severity("I001").is_some(),
            "exact select beats prefix ignore"
        );
        assert!(settings.severity("I002").is_none());
        assert!(
            settings.severity("V001").is_none(),
            "longer ignore prefix wins"
        );
        assert!(settings.severity("V003").is_none());
        assert!(settings.severity("A001").is_none(), "not selected");

        let tie = Settings::from_toml("select = [\"V\"]\nignore = [\"V\"]").expect("valid");
        assert!(
            tie.severity("V001").is_none(),
            "ignore beats select at equal specificity"
        );
    }

    #[test]
    fn the_score_policy_is_the_configured_preset() {
        assert_eq!(Settings::default().score_policy.name, "national");
        let hubei = Settings::from_toml("[score]\npolicy = \"hubei\"").expect("valid");
        assert_eq!(hubei.score_policy.name, "hubei");
        // A policy file is the reading command's to load.
        let file = Settings::from_toml("[score]\npolicy = \"local.toml\"").expect("valid");
        assert_eq!(file.score_policy.name, "national");
    }

    #[test]
    fn options_and_bad_settings() {
        let settings = Settings::from_toml("[rules.I005]\nmin = 5").expect("valid");
        assert_eq!(settings.number("I005", "min", 3.0), 5.0);
        assert_eq!(settings.number("I006", "min", 3.0), 3.0);
        let error = Settings::from_toml("ignore = [\"Z9\"]").expect_err("unknown code");
        assert!(error.0.contains("Z9"));
        assert!(Settings::from_toml("[severity]\nA001 = \"fatal\"").is_err());
        assert!(Settings::from_toml("selct = []").is_err());
    }
}
