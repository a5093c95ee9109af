//! A finding: what a rule found, where, and what to do about it.

use std::borrow::Cow;
use std::fmt;

use jixiao_model::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Info => "提示",
            Self::Warning => "警告",
            Self::Error => "错误",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "info" => Self::Info,
            "warning" => Self::Warning,
            "error" => Self::Error,
            _ => return None,
        })
    }
}

impl Severity {
    /// `info`, `warning` or `error`, as [`Display`](fmt::Display) writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, in Chinese, naming the values involved.
    pub message: String,
    /// What to do about it, in Chinese. Rules' advice is fixed text: borrowing it spares an
    /// allocation and a copy per finding (a corpus has hundreds of thousands).
    pub help: Cow<'static, str>,
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The indicator's sequence number within its project.
    pub indicator: Option<u32>,
    /// Other places the finding concerns (the other projects sharing a boilerplate goal).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Span>,
    /// A ceiling on the code's configured severity, for a finding the rule knows to be minor
    /// (a difference the size of rounding): the settings can lower it further, never raise it.
    #[serde(skip)]
    pub severity_cap: Option<Severity>,
}

impl Finding {
    /// A finding at `span`; the engine sets the severity from the settings.
    pub fn new(
        code: &'static str,
        span: Span,
        message: String,
        help: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            code,
            severity: Severity::Warning,
            message,
            help: help.into(),
            span,
            unit: None,
            project: None,
            indicator: None,
            related: Vec::new(),
            severity_cap: None,
        }
    }

    /// Reports this finding at `severity` at most, whatever its code's severity.
    pub fn at_most(mut self, severity: Severity) -> Self {
        self.severity_cap = Some(severity);
        self
    }

    pub fn in_project(mut self, unit: &str, project: &str) -> Self {
        self.unit = Some(unit.to_owned());
        self.project = Some(project.to_owned());
        self
    }

    pub fn at_indicator(mut self, seq: u32) -> Self {
        self.indicator = Some(seq);
        self
    }
}
