//! The reading measured on generated tables: each generated project is written as a project sheet
//! (项目支出绩效目标表, one project, the 一级/二级/三级/指标值 grid with merged category cells) and
//! then flattened the ways real copies are (tabs, ragged `|` rows, one cell per line, cells ending
//! in ` |`, space-joined, run together, Traditional characters, points in category cells, a table
//! cut above its header). Each flattening is read back and compared with the project it was
//! written from: the same indicators, in order, with the same name, value, 一级 and 二级.
//!
//! What the project is comes from the generated department list read by the department-list
//! reader, which the rule evaluation already holds exact on these files; this measures whether
//! the other readers recover the same table from its other shapes.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use jixiao_model::{Indicator, Profile, Project, hans};

/// One way a copy of a table loses its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flattening {
    Tabs,
    RaggedPipes,
    OneCellPerLine,
    TrailingPipes,
    Spaces,
    RunTogether,
    Traditional,
    PointsInCategories,
    CutAboveHeader,
}

impl Flattening {
    pub const ALL: [Flattening; 9] = [
        Flattening::Tabs,
        Flattening::RaggedPipes,
        Flattening::OneCellPerLine,
        Flattening::TrailingPipes,
        Flattening::Spaces,
        Flattening::RunTogether,
        Flattening::Traditional,
        Flattening::PointsInCategories,
        Flattening::CutAboveHeader,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Flattening::Tabs => "制表符",
            Flattening::RaggedPipes => "`|` 分隔、合并单元格丢失",
            Flattening::OneCellPerLine => "每格一行、空行分隔",
            Flattening::TrailingPipes => "每格一行、以 `|` 结尾",
            Flattening::Spaces => "空格分隔",
            Flattening::RunTogether => "单元格连排",
            Flattening::Traditional => "繁体字",
            Flattening::PointsInCategories => "类别单元格带分值",
            Flattening::CutAboveHeader => "从表中截断（无表头）",
        }
    }
}

/// The project sheet of `project` as rows of cells; `None` in a cell is a cell left empty (the
/// category of a merged group after its first row).
fn sheet_rows(project: &Project, department: &str, points: bool) -> Vec<Vec<Option<String>>> {
    let cell = |t: &str| Some(t.to_owned());
    let mut rows = vec![
        vec![cell("项目支出绩效目标表")],
        vec![cell("项目名称"), cell(&project.name.text)],
        vec![cell("主管部门"), cell(department)],
    ];
    if let Some(goal) = &project.goal {
        rows.push(vec![cell("年度目标"), cell(&goal.text)]);
    }
    rows.push(vec![
        cell("一级指标"),
        cell("二级指标"),
        cell("三级指标"),
        cell("指标值"),
    ]);
    let mut last = (String::new(), String::new());
    for indicator in &project.indicators {
        let level1 = indicator
            .level1
            .as_ref()
            .map_or(String::new(), |c| c.name.to_string());
        let level2 = indicator
            .level2
            .as_ref()
            .map_or(String::new(), |c| c.name.to_string());
        let first1 = level1 != last.0;
        let first2 = first1 || level2 != last.1;
        let with_points = |name: &str, n: u32| {
            if points {
                format!("{name}({n}分)")
            } else {
                name.to_owned()
            }
        };
        rows.push(vec![
            first1.then(|| with_points(&level1, 30)),
            first2.then(|| with_points(&level2, 10)),
            cell(&indicator.name.text),
            indicator.annual.as_ref().map(|v| v.raw.to_string()),
        ]);
        last = (level1, level2);
    }
    rows
}

/// The text of `rows` flattened as `how`.
fn flatten(rows: &[Vec<Option<String>>], how: Flattening) -> String {
    let cells = |row: &[Option<String>]| -> Vec<String> { row.iter().flatten().cloned().collect() };
    let mut out = String::new();
    match how {
        Flattening::Tabs | Flattening::Traditional | Flattening::PointsInCategories => {
            for row in rows {
                let line: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("")).collect();
                let _ = writeln!(out, "{}", line.join("\t"));
            }
        }
        Flattening::RaggedPipes => {
            for row in rows {
                let _ = writeln!(out, "{} |", cells(row).join(" | "));
            }
        }
        Flattening::OneCellPerLine => {
            for row in rows {
                for cell in cells(row) {
                    let _ = writeln!(out, "{cell}");
                }
                out.push('\n');
            }
        }
        Flattening::TrailingPipes => {
            for row in rows {
                for cell in cells(row) {
                    let _ = writeln!(out, "{cell} |");
                }
                let _ = writeln!(out, "|||");
            }
        }
        Flattening::Spaces => {
            for row in rows {
                let _ = writeln!(out, "{}", cells(row).join(" "));
            }
        }
        Flattening::RunTogether => {
            for row in rows {
                out.push_str(&cells(row).concat());
            }
            out.push('\n');
        }
        Flattening::CutAboveHeader => {
            let header = rows
                .iter()
                .position(|r| r.first().is_some_and(|c| c.as_deref() == Some("一级指标")))
                .unwrap_or(0);
            for row in &rows[header + 1..] {
                let line: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("")).collect();
                let _ = writeln!(out, "{}", line.join(" | "));
            }
        }
    }
    if how == Flattening::Traditional {
        out = to_traditional(&out);
    }
    out
}

/// Simplified → Traditional for the generated words: the first Traditional form of each
/// Simplified character in jixiao's table.
fn to_traditional(text: &str) -> String {
    static REVERSE: std::sync::OnceLock<std::collections::HashMap<char, char>> =
        std::sync::OnceLock::new();
    let reverse = REVERSE.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for code in 0x4E00u32..=0x9FFF {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            if hans::is_traditional(c) {
                map.entry(hans::simplified_char(c)).or_insert(c);
            }
        }
        map
    });
    text.chars()
        .map(|c| reverse.get(&c).copied().unwrap_or(c))
        .collect()
}

/// Indicators read right and written, per flattening.
#[derive(Debug, Clone, Default)]
pub struct FlatteningScore {
    pub tables: usize,
    pub read: usize,
    pub written: usize,
    pub right: usize,
    /// The first indicators not read right: `(written, read)` as text.
    pub misses: Vec<String>,
}

/// The annual value's text; an empty cell is no value.
fn annual(indicator: &Indicator) -> Option<String> {
    indicator
        .annual
        .as_ref()
        .map(|v| v.raw.split_whitespace().collect::<String>())
        .filter(|v| !v.is_empty())
        .map(|v| hans::to_simplified(&v).into_owned())
}

fn same(written: &Indicator, read: &Indicator) -> bool {
    let key = |t: &str| -> String {
        hans::to_simplified(t)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let category =
        |a: Option<&jixiao_model::Category>, b: Option<&jixiao_model::Category>| match (a, b) {
            (Some(a), Some(b)) => a.name == b.name,
            (None, _) => true,
            (Some(_), None) => false,
        };
    key(&written.name.text) == key(&read.name.text)
        && annual(written) == annual(read)
        && category(written.level1.as_ref(), read.level1.as_ref())
        && category(written.level2.as_ref(), read.level2.as_ref())
}

/// Writes up to `limit` generated projects of the corpus in `dir` in every flattening, reads each
/// back and scores it.
pub fn evaluate(dir: &Path, limit: usize) -> anyhow::Result<Vec<(Flattening, FlatteningScore)>> {
    let manifest = crate::corpus::Manifest::read(dir)?;
    let profile = Profile::builtin();
    let mut projects: Vec<(String, Project)> = Vec::new();
    'files: for file in &manifest.files {
        let bytes = std::fs::read(dir.join(file)).with_context(|| format!("reading {file}"))?;
        let Ok(parsed) = jixiao_parse::parse_bytes(file, &bytes, &profile) else {
            continue;
        };
        for document in &parsed.documents {
            let department = document
                .department
                .as_ref()
                .map_or(String::new(), |d| d.text.to_string());
            // A few projects of each file, with at least three indicators.
            for (_, project) in document
                .projects()
                .filter(|(_, p)| p.indicators.len() >= 3)
                .take(2)
            {
                projects.push((department.clone(), project.clone()));
                if projects.len() >= limit {
                    break 'files;
                }
            }
        }
    }
    let mut scores = Vec::new();
    for how in Flattening::ALL {
        let mut score = FlatteningScore::default();
        for (index, (department, project)) in projects.iter().enumerate() {
            let rows = sheet_rows(project, department, how == Flattening::PointsInCategories);
            let text = flatten(&rows, how);
            let name = format!("{index}.txt");
            score.tables += 1;
            score.written += project.indicators.len();
            let Ok(parsed) = jixiao_parse::parse_bytes(&name, text.as_bytes(), &profile) else {
                continue;
            };
            let read: Vec<&Indicator> = parsed
                .documents
                .iter()
                .flat_map(|d| d.projects())
                .flat_map(|(_, p)| &p.indicators)
                .collect();
            if !read.is_empty() {
                score.read += 1;
            }
            for (i, written) in project.indicators.iter().enumerate() {
                match read.get(i) {
                    Some(r) if same(written, r) => score.right += 1,
                    other if score.misses.len() < 20 => score.misses.push(format!(
                        "{}: {} / {:?} ← {:?}",
                        how.label(),
                        written.name.text,
                        written.annual.as_ref().map(|v| v.raw.to_string()),
                        other.map(|r| (
                            r.name.text.to_string(),
                            r.annual.as_ref().map(|v| v.raw.to_string()),
                            r.level1.as_ref().map(|c| c.name.to_string()),
                            r.level2.as_ref().map(|c| c.name.to_string())
                        ))
                    )),
                    _ => {}
                }
            }
        }
        scores.push((how, score));
    }
    Ok(scores)
}

/// The per-flattening table, as Markdown.
pub fn table(scores: &[(Flattening, FlatteningScore)]) -> String {
    let mut out = String::from("| 写法 | 表 | 读出 | 指标读对 / 写入 |\n|---|---|---|---|\n");
    for (how, score) in scores {
        let share = if score.written == 0 {
            0.0
        } else {
            score.right as f64 * 100.0 / score.written as f64
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} / {} ({share:.1}%) |",
            how.label(),
            score.tables,
            score.read,
            score.right,
            score.written
        );
    }
    out
}
