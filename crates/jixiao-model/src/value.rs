//! A target value (指标值) as published, and what it means.

use std::fmt;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Span, Str};

/// A 指标值: the raw text exactly as published, where it is, and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Value {
    pub raw: Str,
    pub span: Span,
    pub kind: ValueKind,
}

/// What a value means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueKind {
    /// A number with an optional comparator, unit and scale word: `≥95%`, `不少于1次`, `≥3个亿`.
    Quantitative(Quantity),
    /// A point in time the work must be done by: `11月30日前完成`, `每月25日前`, `春节、中秋节前`.
    Deadline(Deadline),
    /// Words rather than a number: `是`, `合规`, `群众积极参加城乡居民医疗保险`.
    Qualitative,
    /// Several targets in one cell: `赴安顺不少于1次，赴遂溪不少于2次`.
    Compound { parts: Vec<ValuePart> },
    /// A target set by reference to something outside the table: `年度控制数`, `穗人社函〔2020〕73号标准`.
    Reference { reference: Str },
    /// Nothing could be read (an empty value, or only punctuation).
    Empty,
}

/// One part of a compound value; `start..end` is its byte range inside the value's raw text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValuePart {
    pub raw: Str,
    pub start: u32,
    pub end: u32,
    pub kind: ValueKind,
}

/// A quantitative target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Quantity {
    /// `None` when the text gives a bare number (`100%`, `255`), which reviewers read as "at least".
    pub comparator: Option<Comparator>,
    /// The comparator as written (`不低于`, `>=`, `≧`, `:=`); empty when there is none.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub comparator_raw: Str,
    pub number: Decimal,
    /// Words before the number that are not a comparator (`赴安顺`, `村组干部`).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub subject: Str,
    /// The unit of measure after the number and scale word (`%`, `人`, `元/人.月`, `万元`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Str>,
    /// A scale word multiplying the number (`万`, `亿`, `千`), as in `1.2万` or `≥3个亿`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// Text after the unit that qualifies the target (`以上`, `左右` are folded into the comparator;
    /// this keeps the rest, such as `（含）`).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub trailing: Str,
}

impl Quantity {
    /// The number with its scale word applied (`1.2万` → 12000).
    pub fn scaled_number(&self) -> Decimal {
        match self.scale {
            Some(scale) => self.number * scale.factor(),
            None => self.number,
        }
    }

    /// True when the unit is a percentage.
    pub fn is_percent(&self) -> bool {
        matches!(self.unit.as_deref(), Some("%" | "％" | "百分比"))
    }
}

impl fmt::Display for Quantity {
    /// Renders the quantity canonically: `≥95%`, `≈6次`, `≥3亿`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.subject)?;
        if let Some(comparator) = self.comparator {
            f.write_str(comparator.symbol())?;
        }
        write!(f, "{}", self.number)?;
        if let Some(scale) = self.scale {
            f.write_str(scale.word())?;
        }
        if let Some(unit) = &self.unit {
            f.write_str(unit)?;
        }
        f.write_str(&self.trailing)
    }
}

/// A comparator (指标性质 / 计算符号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
    /// 约, 左右: approximately.
    Approx,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Ge => "≥",
            Self::Le => "≤",
            Self::Gt => ">",
            Self::Lt => "<",
            Self::Eq => "=",
            Self::Approx => "≈",
        }
    }

    /// The comparator a symbol stands for, accepting the variants seen in published tables.
    pub fn from_symbol(symbol: &str) -> Option<Self> {
        Some(match symbol {
            "≥" | "≧" | ">=" | "＞＝" | "＞=" | "=>" | "⩾" => Self::Ge,
            "≤" | "≦" | "<=" | "＜＝" | "＜=" | "=<" | "⩽" => Self::Le,
            ">" | "＞" => Self::Gt,
            "<" | "＜" => Self::Lt,
            "=" | "＝" | "﹦" | "═" | "==" => Self::Eq,
            "≈" | "约" => Self::Approx,
            _ => return None,
        })
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// A scale word standing for a power of ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Scale {
    #[serde(rename = "百")]
    Hundred,
    #[serde(rename = "千")]
    Thousand,
    #[serde(rename = "万")]
    TenThousand,
    #[serde(rename = "亿")]
    HundredMillion,
}

impl Scale {
    pub fn word(self) -> &'static str {
        match self {
            Self::Hundred => "百",
            Self::Thousand => "千",
            Self::TenThousand => "万",
            Self::HundredMillion => "亿",
        }
    }

    pub fn factor(self) -> Decimal {
        match self {
            Self::Hundred => Decimal::from(100),
            Self::Thousand => Decimal::from(1_000),
            Self::TenThousand => Decimal::from(10_000),
            Self::HundredMillion => Decimal::from(100_000_000),
        }
    }

    pub fn from_char(c: char) -> Option<Self> {
        Some(match c {
            '百' => Self::Hundred,
            '千' => Self::Thousand,
            '万' => Self::TenThousand,
            '亿' => Self::HundredMillion,
            _ => return None,
        })
    }
}

/// A deadline or time window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Deadline {
    /// Month (1–12) when the text names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    /// Day of the month when the text names one (`月底` is left as `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// True for a repeating deadline (`每月25日前`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recurring: bool,
    /// Named occasions the deadline refers to (`春节`, `中秋节`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occasions: Vec<String>,
}
