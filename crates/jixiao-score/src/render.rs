//! Renderers of project scores: a Chinese text table per project, JSON, and rows for CSV and
//! spreadsheets (shared by the CLI and anything else that shows scores).

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

use crate::engine::{LineKind, LineScore, ProjectScore, TotalBasis};
use crate::policy::Policy;

/// What every renderer needs besides the scores.
#[derive(Debug, Clone)]
pub struct RenderOptions<'a> {
    pub policy: &'a Policy,
    /// Differences above this many points are marked and fail `--fail-on`.
    pub tolerance: Decimal,
}

/// Counts over all projects scored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScoreSummary {
    pub files: usize,
    pub projects: usize,
    /// Projects with a line or total whose difference exceeds the tolerance.
    pub projects_over_tolerance: usize,
    /// Projects whose published grade is above the recomputed one.
    pub grades_too_high: usize,
}

impl ScoreSummary {
    pub fn add(&mut self, scores: &[ProjectScore], tolerance: Decimal) {
        self.projects += scores.len();
        self.projects_over_tolerance += scores.iter().filter(|s| s.exceeds(tolerance)).count();
        self.grades_too_high += scores
            .iter()
            .filter(|s| {
                s.total
                    .published_grade
                    .as_deref()
                    .and_then(crate::Grade::from_text)
                    .zip(s.total.recomputed_grade)
                    .is_some_and(|(published, recomputed)| published > recomputed)
            })
            .count();
    }
}

/// `+3`, `-0.8`, `0`.
fn signed(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

fn or_dash(value: Option<Decimal>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

/// The recomputed score as shown: a band as `18–24`, else the number.
fn recomputed_text(line: &LineScore) -> String {
    match (line.band, line.published) {
        (Some([low, high]), _) if low != high => format!("{low}–{high}"),
        _ => or_dash(line.recomputed),
    }
}

fn difference_text(difference: Option<Decimal>, tolerance: Decimal) -> String {
    match difference {
        Some(d) if d.abs() > tolerance => format!("{}！", signed(d)),
        Some(d) => signed(d),
        None => "—".to_owned(),
    }
}

/// One project as a Chinese table, the total beneath it, then the notes.
pub fn render_text(score: &ProjectScore, options: &RenderOptions<'_>) -> String {
    let mut out = String::new();
    let unit = if score.unit.is_empty() || score.unit == score.project {
        String::new()
    } else {
        format!("（{}）", score.unit)
    };
    let project = if score.project.trim().is_empty() {
        "（未读到项目名称）"
    } else {
        score.project.as_str()
    };
    let _ = writeln!(out, "项目：{project}{unit}");
    let _ = writeln!(out, "位置：{}:{}", score.file, score.span.line);
    let headers = [
        "类别",
        "名称",
        "指标值",
        "完成值",
        "分值",
        "公布得分",
        "重算得分",
        "差异",
        "说明",
    ];
    let rows: Vec<[String; 9]> = score
        .lines
        .iter()
        .map(|line| {
            let mut weight = or_dash(line.weight);
            if line.weight_from_policy {
                weight.push('*');
            }
            [
                match line.kind {
                    LineKind::Budget => "预算执行".to_owned(),
                    LineKind::Indicator => line.category.clone().unwrap_or_default(),
                },
                match line.kind {
                    LineKind::Budget => "执行数/预算数".to_owned(),
                    LineKind::Indicator => line.name.clone(),
                },
                line.target.clone().unwrap_or_else(|| "—".to_owned()),
                line.actual.clone().unwrap_or_else(|| "—".to_owned()),
                weight,
                or_dash(line.published),
                recomputed_text(line),
                difference_text(line.difference, options.tolerance),
                line.reason.clone(),
            ]
        })
        .collect();
    let right = [false, false, false, false, true, true, true, true, false];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut line = |cells: &[&str]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .zip(right)
            .map(|((cell, width), right)| {
                let pad = " ".repeat(width.saturating_sub(cell.width()));
                if right {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        let _ = writeln!(out, "  {}", parts.join("  ").trim_end());
    };
    line(&headers);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells);
    }
    let total = &score.total;
    let published = match (&total.published, &total.published_grade) {
        (Some(p), Some(g)) => format!("{p}（{g}）"),
        (Some(p), None) => format!("{p}（未公布等级）"),
        (None, Some(g)) => format!("未公布（{g}）"),
        (None, None) => "未公布".to_owned(),
    };
    let basis = match total.basis {
        TotalBasis::Lines => "",
        TotalBasis::PublishedCorrected => "，按公布总分与各行差异推算",
        TotalBasis::Partial => "，只含读到的各行",
    };
    let difference = total
        .difference
        .map(|d| format!("，差异 {}", difference_text(Some(d), options.tolerance)))
        .unwrap_or_default();
    let grade = total
        .recomputed_grade
        .map_or_else(|| "不评等级".to_owned(), |g| g.to_string());
    let _ = writeln!(
        out,
        "  总分：公布 {published}；重算 {}（{grade}{basis}）{difference}",
        total.recomputed
    );
    let mut notes: Vec<String> = score.notes.iter().map(|n| n.message.clone()).collect();
    for line in &score.lines {
        if line.weight_from_policy {
            notes.push(format!(
                "预算执行：表中未给分值，按计分政策“{}”取 {} 分（标 *）。",
                options.policy.name,
                or_dash(line.weight)
            ));
        }
        for note in &line.notes {
            if note.kind == crate::NoteKind::NotComputable {
                continue;
            }
            notes.push(format!("{}：{}", line.name, note.message));
        }
    }
    for note in notes {
        let _ = writeln!(out, "  提示：{note}");
    }
    out
}

/// The text after all projects.
pub fn render_text_summary(summary: &ScoreSummary, options: &RenderOptions<'_>) -> String {
    format!(
        "计分政策：{}（{}）。共 {} 个文件、{} 个项目；{} 个项目有差异超过 {} 分的得分（标 ！），{} 个项目公布的等级高于重算等级。差异 = 公布得分 − 重算得分。\n",
        options.policy.name,
        options.policy.title,
        summary.files,
        summary.projects,
        summary.projects_over_tolerance,
        options.tolerance,
        summary.grades_too_high
    )
}

/// Everything as one JSON document.
pub fn render_json(
    scores: &[ProjectScore],
    summary: &ScoreSummary,
    options: &RenderOptions<'_>,
) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct Report<'a> {
        policy: &'a str,
        tolerance: Decimal,
        projects: &'a [ProjectScore],
        summary: &'a ScoreSummary,
    }
    serde_json::to_string_pretty(&Report {
        policy: &options.policy.name,
        tolerance: options.tolerance,
        projects: scores,
        summary,
    })
}

/// A cell of a CSV or spreadsheet row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(Decimal),
    Empty,
}

impl Cell {
    fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    fn number(value: Option<Decimal>) -> Self {
        value.map_or(Self::Empty, Self::Number)
    }

    pub fn to_text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Number(value) => value.to_string(),
            Self::Empty => String::new(),
        }
    }
}

/// The columns of [`rows`]: the CSV name, then the spreadsheet heading.
pub const COLUMNS: [(&str, &str); 17] = [
    ("file", "文件"),
    ("unit", "单位"),
    ("project", "项目"),
    ("kind", "行"),
    ("category", "类别"),
    ("name", "名称"),
    ("target", "指标值"),
    ("actual", "完成值"),
    ("weight", "分值"),
    ("published", "公布得分"),
    ("recomputed", "重算得分"),
    ("band_low", "定性区间下限"),
    ("band_high", "定性区间上限"),
    ("difference", "差异"),
    ("method", "计分方法"),
    ("reason", "说明"),
    ("notes", "提示"),
];

/// One row per line and one `total` row per project, in the order of [`COLUMNS`].
pub fn rows(scores: &[ProjectScore]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for score in scores {
        let head = || {
            vec![
                Cell::text(&score.file),
                Cell::text(&score.unit),
                Cell::text(&score.project),
            ]
        };
        for line in &score.lines {
            let mut row = head();
            row.extend([
                Cell::text(match line.kind {
                    LineKind::Budget => "budget",
                    LineKind::Indicator => "indicator",
                }),
                Cell::text(line.category.clone().unwrap_or_default()),
                Cell::text(&line.name),
                Cell::text(line.target.clone().unwrap_or_default()),
                Cell::text(line.actual.clone().unwrap_or_default()),
                Cell::number(line.weight),
                Cell::number(line.published),
                Cell::number(line.recomputed),
                Cell::number(line.band.map(|[low, _]| low)),
                Cell::number(line.band.map(|[_, high]| high)),
                Cell::number(line.difference),
                Cell::text(line.method.label()),
                Cell::text(&line.reason),
                Cell::text(
                    line.notes
                        .iter()
                        .map(|n| n.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            ]);
            rows.push(row);
        }
        let total = &score.total;
        let mut row = head();
        row.extend([
            Cell::text("total"),
            Cell::Empty,
            Cell::text("总分"),
            Cell::Empty,
            Cell::Empty,
            Cell::Number(total.points_read),
            Cell::number(total.published),
            Cell::Number(total.recomputed),
            Cell::Empty,
            Cell::Empty,
            Cell::number(total.difference),
            Cell::text("合计"),
            Cell::text(format!(
                "公布等级 {}；重算等级 {}",
                total.published_grade.as_deref().unwrap_or("未公布"),
                total
                    .recomputed_grade
                    .map_or_else(|| "不评".to_owned(), |g| g.to_string())
            )),
            Cell::text(
                score
                    .notes
                    .iter()
                    .map(|n| n.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ]);
        rows.push(row);
    }
    rows
}

/// `--format csv`: a header, then [`rows`].
pub fn render_csv(scores: &[ProjectScore]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS.iter().map(|(name, _)| *name))?;
    for row in rows(scores) {
        writer.write_record(row.iter().map(Cell::to_text))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}
