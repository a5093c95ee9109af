//! The words tables use for their columns and labels (`data/vocabulary.toml`), and the one key
//! every reader matches them by.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::{hans, match_key};

const BUILTIN: &str = include_str!("../data/vocabulary.toml");

/// The role of a column of an indicator grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnRole {
    Level1,
    Level2,
    Level3,
    Nature,
    Value,
    Period,
    Unit,
    Weight,
    Direction,
    Standard,
    Actual,
    Score,
    Deviation,
    Note,
}

/// The role of a label in a project sheet's header block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelRole {
    Project,
    Department,
    Implementer,
    Period,
    LongTermGoal,
    Goal,
    AchievedGoal,
    Total,
    /// A label read past (`联系电话`, `省级财政部门`): it ends the value before it.
    Other,
}

#[derive(Debug, Deserialize)]
struct Data {
    columns: Columns,
    labels: Labels,
    ends: Ends,
}

#[derive(Debug, Deserialize)]
struct Ends {
    exact: Vec<String>,
    prefix: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Columns {
    level1: Vec<String>,
    level2: Vec<String>,
    level3: Vec<String>,
    nature: Vec<String>,
    value: Vec<String>,
    period: Vec<String>,
    unit: Vec<String>,
    weight: Vec<String>,
    direction: Vec<String>,
    standard: Vec<String>,
    actual: Vec<String>,
    score: Vec<String>,
    deviation: Vec<String>,
    note: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Labels {
    project: Vec<String>,
    department: Vec<String>,
    implementer: Vec<String>,
    period: Vec<String>,
    long_term_goal: Vec<String>,
    goal: Vec<String>,
    achieved_goal: Vec<String>,
    total: Vec<String>,
    other: Vec<String>,
}

/// Column and label words by their key.
#[derive(Debug)]
pub struct Vocabulary {
    columns: HashMap<String, ColumnRole>,
    labels: HashMap<String, LabelRole>,
    /// The longest key of `columns` and of `labels`, in bytes.
    longest_column: usize,
    longest_label: usize,
    ends_exact: Vec<String>,
    ends_prefix: Vec<String>,
}

impl Vocabulary {
    /// The built-in vocabulary.
    pub fn builtin() -> &'static Self {
        static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
        VOCABULARY.get_or_init(|| {
            let data: Data =
                toml::from_str(BUILTIN).expect("the built-in vocabulary is valid TOML");
            Self::from_data(data)
        })
    }

    fn from_data(data: Data) -> Self {
        let mut columns = HashMap::new();
        let c = data.columns;
        for (role, words) in [
            (ColumnRole::Level1, c.level1),
            (ColumnRole::Level2, c.level2),
            (ColumnRole::Level3, c.level3),
            (ColumnRole::Nature, c.nature),
            (ColumnRole::Value, c.value),
            (ColumnRole::Period, c.period),
            (ColumnRole::Unit, c.unit),
            (ColumnRole::Weight, c.weight),
            (ColumnRole::Direction, c.direction),
            (ColumnRole::Standard, c.standard),
            (ColumnRole::Actual, c.actual),
            (ColumnRole::Score, c.score),
            (ColumnRole::Deviation, c.deviation),
            (ColumnRole::Note, c.note),
        ] {
            for word in words {
                columns.entry(label_key(&word).into_owned()).or_insert(role);
            }
        }
        let mut labels = HashMap::new();
        let l = data.labels;
        for (role, words) in [
            (LabelRole::Project, l.project),
            (LabelRole::Department, l.department),
            (LabelRole::Implementer, l.implementer),
            (LabelRole::Period, l.period),
            (LabelRole::LongTermGoal, l.long_term_goal),
            (LabelRole::Goal, l.goal),
            (LabelRole::AchievedGoal, l.achieved_goal),
            (LabelRole::Total, l.total),
            (LabelRole::Other, l.other),
        ] {
            for word in words {
                labels.entry(label_key(&word).into_owned()).or_insert(role);
            }
        }
        let key = |w: &String| label_key(w).into_owned();
        Self {
            longest_column: columns.keys().map(String::len).max().unwrap_or(0),
            longest_label: labels.keys().map(String::len).max().unwrap_or(0),
            columns,
            labels,
            ends_exact: data.ends.exact.iter().map(key).collect(),
            ends_prefix: data.ends.prefix.iter().map(key).collect(),
        }
    }

    /// True when a cell ends an indicator grid: a closing row (`合计`, `评价结论`), a signature
    /// (`填表人：`), or the web page around a copied table (`文件下载`, `标签：`).
    pub fn ends_grid(&self, cell: &str) -> bool {
        let key = label_key(cell);
        self.ends_exact.iter().any(|w| *w == key.as_ref())
            || self.ends_prefix.iter().any(|w| key.starts_with(w.as_str()))
    }

    /// Every column word (as its key) with its role.
    pub fn column_words(&self) -> impl Iterator<Item = (&str, ColumnRole)> {
        self.columns
            .iter()
            .map(|(word, role)| (word.as_str(), *role))
    }

    /// Every label word (as its key) with its role.
    pub fn label_words(&self) -> impl Iterator<Item = (&str, LabelRole)> {
        self.labels
            .iter()
            .map(|(word, role)| (word.as_str(), *role))
    }

    /// The column a header cell names: the whole cell, else the cell without a bracketed note
    /// (`指标值(包含数字及文字描述)`, `权重(%)`, `得分(20分*执行率)`).
    pub fn column(&self, cell: &str) -> Option<ColumnRole> {
        if label_key_longer_than(cell, self.longest_column) {
            return None;
        }
        let key = label_key(cell);
        self.columns
            .get(key.as_ref())
            .or_else(|| self.columns.get(without_brackets(&key).as_str()))
            .copied()
    }

    /// The column a header cell is, knowing the cell before it: `绩效指标` right after the grading
    /// template's `绩效指标分类` heads its name column (elsewhere it is a grid's side label).
    pub fn column_after(&self, previous: Option<&str>, cell: &str) -> Option<ColumnRole> {
        self.column(cell).or_else(|| {
            (cell.len() <= 32
                && label_key(cell) == "绩效指标"
                && previous.is_some_and(|p| label_key(p) == "绩效指标分类"))
            .then_some(ColumnRole::Level3)
        })
    }

    /// The label a header-block cell is (`项目名称`, `主管部门及代码`, `实施单位(盖章)`).
    pub fn label(&self, cell: &str) -> Option<LabelRole> {
        if label_key_longer_than(cell, self.longest_label) {
            return None;
        }
        let key = label_key(cell);
        self.labels
            .get(key.as_ref())
            .or_else(|| self.labels.get(without_brackets(&key).as_str()))
            .copied()
    }
}

/// The key of a label or header cell: full-width forms folded, white space removed, Simplified
/// characters, no trailing `:`, no leading `*` (a required-field mark).
pub fn label_key(text: &str) -> Cow<'_, str> {
    let key = match_key(text);
    let needs_work = key
        .chars()
        .any(|c| c.is_whitespace() || hans::is_traditional(c))
        || key.ends_with(':')
        || key.starts_with('*');
    if !needs_work {
        return key;
    }
    let simplified: String = key
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(hans::simplified_char)
        .collect();
    Cow::Owned(
        simplified
            .trim_start_matches('*')
            .trim_end_matches(':')
            .to_owned(),
    )
}

/// True when `without_brackets(&label_key(cell))`, and so `label_key(cell)`, certainly has more
/// than `limit` bytes: a cheap test that spares keying a long cell (a paragraph, a line of JSON)
/// that no word can be. `*` and `:` are not counted: the key may trim them.
pub fn label_key_longer_than(cell: &str, limit: usize) -> bool {
    crate::key::key_longer_than(cell, limit, |b| b != b'*' && b != b':')
}

/// `text` without bracketed parts (`(万元)`, `【必填】`).
pub fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_key_said_longer_is_longer_outside_its_brackets() {
        let cells = [
            "项目名称",
            "* 项目名称：",
            "指标值（包含数字及文字描述）",
            "{\"file\":\"part-000/d000000.txt\",\"line\":11,\"unit\":\"遂宁市大英县民政局\"}",
            "  a b\tc\u{3000}d ",
            "項目績效目標 產出指標",
            "e\u{301}e\u{301}e\u{301}ab<\u{338}cd",
            "ab⑴cd（ef）gh［i］【j】〔k〕",
            "ab\u{FE35}cd\u{FE59}ef\u{207D}gh\u{FE3B}ij\u{FE5D}kl",
            "ＡＢＣ１２３：：",
            "**::a:b*c::",
            "一二三四五六七八九十〇",
            "䷀䷁ab㐀",
        ];
        for cell in cells {
            let outside = without_brackets(&label_key(cell)).len();
            for limit in 0..cell.len() + 2 {
                if label_key_longer_than(cell, limit) {
                    assert!(outside > limit, "{cell} {limit}");
                }
            }
        }
        assert!(label_key_longer_than("项目名称项目名称", 20));
        assert!(!label_key_longer_than("项目名称项目名称", 24));
    }

    #[test]
    fn columns_and_labels_by_any_synonym() {
        let v = Vocabulary::builtin();
        assert_eq!(v.column("一级"), Some(ColumnRole::Level1));
        assert_eq!(v.column("一 级 指 标"), Some(ColumnRole::Level1));
        assert_eq!(v.column("三級指標"), Some(ColumnRole::Level3));
        assert_eq!(v.column("三级指标（具体指标）"), Some(ColumnRole::Level3));
        assert_eq!(
            v.column("指标值（包含数字及文字描述）"),
            Some(ColumnRole::Value)
        );
        assert_eq!(v.column("得分(20分*执行率)"), Some(ColumnRole::Score));
        assert_eq!(v.column("产出指标"), None);
        assert_eq!(v.label("项目名称："), Some(LabelRole::Project));
        assert_eq!(v.label("主管部门及代码"), Some(LabelRole::Department));
        assert_eq!(v.label("实施单位（盖章）"), Some(LabelRole::Implementer));
        assert_eq!(v.label("社区养老服务补助"), None);
    }
}
