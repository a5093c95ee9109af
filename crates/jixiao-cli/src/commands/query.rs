//! `jixiao query`: the built-in reports over the corpus, as an aligned table, CSV or JSON.

use std::io::Write as _;
use std::process::ExitCode;

use jixiao_store::{Filter, Store};
use rust_decimal::Decimal;
use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

use crate::args::{QueryArgs, QueryFormat, QueryReport};

/// Rows `query search` shows when `--limit` is not given.
const SEARCH_LIMIT: usize = 100;

pub fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let url = super::import::database_url(args.db.as_deref());
    let runtime = super::import::runtime()?;
    let filter = Filter {
        publisher: args.publisher.clone(),
        year: args.year,
    };
    let page = Page {
        limit: args.limit.or(match args.report {
            QueryReport::Search { .. } => Some(SEARCH_LIMIT),
            _ => None,
        }),
        offset: args.offset,
    };
    let mut report = runtime.block_on(async {
        let store = jixiao_store::open_existing(&url).await?;
        build(store.as_ref(), &args.report, filter, page).await
    })?;
    let note = report.cut(page);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        QueryFormat::Table => {
            out.write_all(render_table(&report).as_bytes())?;
            if let Some(note) = &note {
                writeln!(out, "{note}")?;
            }
        }
        QueryFormat::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(&report.headers)?;
            for row in report.rows.iter().chain(&report.footer) {
                writer.write_record(row.iter().map(|c| c.text.as_str()))?;
            }
            writer.flush()?;
        }
        QueryFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report.json)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    // Beside CSV and JSON, which scripts read, the note goes to standard error.
    if let (Some(note), QueryFormat::Csv | QueryFormat::Json) = (&note, args.format) {
        eprintln!("{note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Which rows of a report to show.
#[derive(Debug, Clone, Copy)]
struct Page {
    limit: Option<usize>,
    offset: usize,
}

/// A report ready to print: Chinese headers, cells as text, and the rows as JSON.
struct Report {
    headers: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
    /// A 合计 row over all rows, shown after whichever rows the page shows.
    footer: Option<Vec<Cell>>,
    json: serde_json::Value,
    /// Said under the table when there are no rows.
    empty: &'static str,
    /// Rows the store left out after these: unknown how many (a search fetches one row past
    /// the page to tell).
    more: bool,
}

impl Report {
    /// Keeps the page's rows (the store may have applied the offset already: `more` is then
    /// set) and says what was left out, if anything.
    fn cut(&mut self, page: Page) -> Option<String> {
        if self.more {
            let first = page.offset + 1;
            let last = page.offset + self.rows.len();
            return Some(format!(
                "结果已截断：显示第 {first}–{last} 条，后面还有更多；用 --offset {last} 查看后面的结果，或用 --limit 调整条数。"
            ));
        }
        let total = self.rows.len();
        let start = page.offset.min(total);
        let end = page
            .limit
            .map_or(total, |l| start.saturating_add(l).min(total));
        if start == 0 && end == total {
            return None;
        }
        self.rows = self.rows.drain(start..end).collect();
        if let serde_json::Value::Array(items) = &mut self.json {
            *items = items
                .drain(start.min(items.len())..end.min(items.len()))
                .collect();
        }
        Some(if start == end {
            format!("共 {total} 条，--offset {} 之后没有结果。", page.offset)
        } else if end < total {
            format!(
                "结果已截断：共 {total} 条，显示第 {}–{end} 条；用 --offset {end} 查看后面的结果，或用 --limit 调整条数。",
                start + 1
            )
        } else {
            format!("共 {total} 条，显示第 {}–{end} 条。", start + 1)
        })
    }
}

struct Cell {
    text: String,
    /// Numbers are right-aligned in tables and printed with thousands separators there.
    number: bool,
}

fn text(value: impl Into<String>) -> Cell {
    Cell {
        text: value.into(),
        number: false,
    }
}

fn opt(value: Option<&str>) -> Cell {
    text(value.unwrap_or_default())
}

fn int(value: i64) -> Cell {
    Cell {
        text: value.to_string(),
        number: true,
    }
}

fn year(value: Option<i64>) -> Cell {
    text(value.map_or_else(String::new, |y| y.to_string()))
}

/// Money with at least two decimals (`10810.4` → `10810.40`), as budgets write it; the exact
/// digits beyond are kept (`882.762053`).
fn amount(value: Option<Decimal>) -> Cell {
    Cell {
        text: value.map_or_else(String::new, |mut v| {
            if v.scale() < 2 {
                v.rescale(2);
            }
            v.to_string()
        }),
        number: true,
    }
}

/// A total in 万元, or “未列金额” when no table of the row lists an amount (which is not 0).
fn total_wan(value: Option<Decimal>) -> Cell {
    match value {
        Some(v) => amount(Some(v)),
        None => text("未列金额"),
    }
}

fn to_json(rows: &impl Serialize) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::to_value(rows)?)
}

async fn build(
    store: &dyn Store,
    report: &QueryReport,
    filter: Filter,
    page: Page,
) -> anyhow::Result<Report> {
    Ok(match report {
        QueryReport::Overview => {
            let rows = store.overview(&filter).await?;
            let cells: Vec<Vec<Cell>> = rows
                .iter()
                .map(|r| {
                    vec![
                        opt(r.publisher.as_deref()),
                        year(r.year),
                        int(r.documents),
                        int(r.units),
                        int(r.projects),
                        int(r.indicators),
                        int(r.findings),
                        total_wan(r.total_wan),
                        int(r.without_amounts),
                    ]
                })
                .collect();
            let mut footer = None;
            if rows.len() > 1 {
                let sum = |f: fn(&jixiao_store::OverviewRow) -> i64| int(rows.iter().map(f).sum());
                let listed: Vec<Decimal> = rows.iter().filter_map(|r| r.total_wan).collect();
                footer = Some(vec![
                    text("合计"),
                    text(""),
                    sum(|r| r.documents),
                    sum(|r| r.units),
                    sum(|r| r.projects),
                    sum(|r| r.indicators),
                    sum(|r| r.findings),
                    total_wan((!listed.is_empty()).then(|| listed.into_iter().sum())),
                    sum(|r| r.without_amounts),
                ]);
            }
            Report {
                headers: vec![
                    "部门",
                    "年度",
                    "文档",
                    "单位",
                    "项目",
                    "指标",
                    "问题",
                    "金额合计（万元）",
                    "未列金额的文档",
                ],
                rows: cells,
                footer,
                json: to_json(&rows)?,
                empty: "语料库中还没有文档。先运行 jixiao import 文件…",
                more: false,
            }
        }
        QueryReport::Department { name } => {
            let filter = Filter {
                publisher: Some(name.clone()),
                ..filter
            };
            let rows = store.department(&filter).await?;
            Report {
                headers: vec![
                    "部门",
                    "年度",
                    "单位",
                    "项目",
                    "总计（万元）",
                    "财政拨款（万元）",
                    "财政专户拨款（万元）",
                    "其他资金（万元）",
                    "原表金额单位",
                    "指标",
                    "问题",
                ],
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            opt(r.publisher.as_deref()),
                            year(r.year),
                            text(r.unit.as_str()),
                            opt(r.project.as_deref()),
                            total_wan(r.total),
                            amount(r.fiscal),
                            amount(r.special_account),
                            amount(r.other),
                            opt(r.amount_unit.as_deref()),
                            int(r.indicators),
                            int(r.findings),
                        ]
                    })
                    .collect(),
                footer: None,
                json: to_json(&rows)?,
                empty: "没有部门名称包含这段文字的文档。用 jixiao query overview 查看有哪些部门。",
                more: false,
            }
        }
        QueryReport::Findings => {
            if store.corpus_findings_stale().await? {
                eprintln!(
                    "提示：语料库在全库审核（G002 等跨文档规则）之后有过改动（导入被中断，或数据库来自旧版本），这些规则的结果可能不是最新的；再次运行 jixiao import 即会重新计算。"
                );
            }
            let rows = store.finding_counts(&filter).await?;
            Report {
                headers: vec!["代码", "规则", "级别", "数量", "待处理", "已确认", "已驳回"],
                rows: rows
                    .iter()
                    .map(|r| {
                        let title = jixiao_rules::CODES
                            .iter()
                            .find(|c| c.code == r.code)
                            .map_or("", |c| c.title);
                        let severity = jixiao_rules::Severity::parse(&r.severity)
                            .map_or(r.severity.as_str(), |s| s.label());
                        vec![
                            text(r.code.as_str()),
                            text(title),
                            text(severity),
                            int(r.total),
                            int(r.open),
                            int(r.accepted),
                            int(r.dismissed),
                        ]
                    })
                    .collect(),
                footer: None,
                json: to_json(&rows)?,
                empty: "没有审核问题。",
                more: false,
            }
        }
        QueryReport::Search { text: needle } => {
            let limit = page.limit.unwrap_or(SEARCH_LIMIT);
            // One row past the page tells whether there are more.
            let mut rows = store
                .search_from(
                    needle,
                    &filter,
                    i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX),
                    i64::try_from(page.offset).unwrap_or(i64::MAX),
                )
                .await?;
            let more = rows.len() > limit;
            rows.truncate(limit);
            Report {
                headers: vec![
                    "部门",
                    "年度",
                    "单位",
                    "项目",
                    "序号",
                    "一级指标",
                    "指标名称",
                    "年度指标值",
                    "类型",
                    "行",
                ],
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            opt(r.publisher.as_deref()),
                            year(r.year),
                            text(r.unit.as_str()),
                            text(r.project.as_str()),
                            int(r.seq),
                            opt(r.level1.as_deref()),
                            text(r.name.as_str()),
                            opt(r.annual_raw.as_deref()),
                            opt(r.annual_kind.as_deref().map(super::value_kind_label)),
                            int(r.line),
                        ]
                    })
                    .collect(),
                footer: None,
                json: to_json(&rows)?,
                empty: "没有名称或指标值包含这段文字的指标。",
                more,
            }
        }
        QueryReport::History { name } => {
            let rows = store.project_history(name, &filter).await?;
            Report {
                headers: vec![
                    "项目",
                    "部门",
                    "年度",
                    "版本",
                    "单位",
                    "总计（万元）",
                    "财政拨款（万元）",
                    "财政专户拨款（万元）",
                    "其他资金（万元）",
                    "原表金额单位",
                    "指标",
                    "问题",
                ],
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            text(r.project.as_str()),
                            opt(r.publisher.as_deref()),
                            year(r.year),
                            int(r.version),
                            text(r.unit.as_str()),
                            total_wan(r.total),
                            amount(r.fiscal),
                            amount(r.special_account),
                            amount(r.other),
                            opt(r.amount_unit.as_deref()),
                            int(r.indicators),
                            int(r.findings),
                        ]
                    })
                    .collect(),
                footer: None,
                json: to_json(&rows)?,
                empty: "没有名称包含这段文字的项目。",
                more: false,
            }
        }
        QueryReport::Grades { summary, all } => grades(store, &filter, *summary, *all).await?,
    })
}

/// `query grades`: the self-evaluation projects whose published grade is above the recomputed one
/// (every scored project with `all`), or the count of those by publisher and year.
async fn grades(
    store: &dyn Store,
    filter: &Filter,
    summary: bool,
    all: bool,
) -> anyhow::Result<Report> {
    let scored = store.scored_projects(filter).await?;
    let empty = if scored.is_empty() {
        "语料库中没有已计分的绩效自评项目。用 jixiao import 导入绩效自评表后，导入时即按计分政策重算得分。"
    } else if summary || all {
        "没有符合条件的自评项目。"
    } else {
        "没有公布等级高于重算等级的自评项目。用 --all 列出全部已计分的自评项目，--summary 按部门和年度汇总。"
    };
    if summary {
        let rows = jixiao_store::scores::summarise(&scored);
        let cells = rows
            .iter()
            .map(|r| {
                vec![
                    opt(r.publisher.as_deref()),
                    year(r.year),
                    int(r.projects),
                    int(r.graded),
                    int(r.published_higher),
                    int(r.published_lower),
                    int(r.total_higher),
                ]
            })
            .collect();
        let footer = (rows.len() > 1).then(|| {
            let sum = |f: fn(&jixiao_store::ScoreSummaryRow) -> i64| int(rows.iter().map(f).sum());
            vec![
                text("合计"),
                text(""),
                sum(|r| r.projects),
                sum(|r| r.graded),
                sum(|r| r.published_higher),
                sum(|r| r.published_lower),
                sum(|r| r.total_higher),
            ]
        });
        return Ok(Report {
            headers: vec![
                "部门",
                "年度",
                "自评项目",
                "有两种等级",
                "公布等级偏高",
                "公布等级偏低",
                "公布总分偏高",
            ],
            rows: cells,
            footer,
            json: to_json(&rows)?,
            empty,
            more: false,
        });
    }
    let rows: Vec<&jixiao_store::ScoredProject> = scored
        .iter()
        .filter(|p| all || p.published_higher())
        .collect();
    let grade = |g: Option<jixiao_score::Grade>| text(g.map_or("", |g| g.label()));
    Ok(Report {
        headers: vec![
            "部门",
            "年度",
            "单位",
            "项目",
            "公布总分",
            "公布等级",
            "重算总分",
            "重算等级",
            "差异（公布−重算）",
            "计分政策",
            "文件",
        ],
        rows: rows
            .iter()
            .map(|r| {
                // The printed grade; a grade read from the published total is shown in brackets.
                let published_grade = match (&r.published_grade, r.published_rank_grade) {
                    (Some(printed), _) => text(printed.as_str()),
                    (None, Some(derived)) => text(format!("（{}）", derived.label())),
                    (None, None) => text(""),
                };
                vec![
                    opt(r.publisher.as_deref()),
                    year(r.year),
                    text(r.unit.as_str()),
                    text(r.project.as_str()),
                    score(r.published_total),
                    published_grade,
                    score(Some(r.recomputed_total)),
                    grade(r.recomputed_grade),
                    score(r.difference),
                    text(r.policy.as_str()),
                    text(r.source_file.as_str()),
                ]
            })
            .collect(),
        footer: None,
        json: to_json(&rows)?,
        empty,
        more: false,
    })
}

/// Points as the table writes them (`96`, `99.8`), a number.
fn score(value: Option<Decimal>) -> Cell {
    Cell {
        text: value.map_or_else(String::new, |v| v.normalize().to_string()),
        number: true,
    }
}

/// Columns padded to the widest cell, counting CJK characters as two columns.
fn render_table(report: &Report) -> String {
    if report.rows.is_empty() {
        return format!("{}\n", report.empty);
    }
    let all: Vec<&Vec<Cell>> = report.rows.iter().chain(&report.footer).collect();
    let shown: Vec<Vec<String>> = all
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    if c.number {
                        thousands(&c.text)
                    } else {
                        c.text.clone()
                    }
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = report.headers.iter().map(|h| h.width()).collect();
    for row in &shown {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = (&str, bool)>| {
        let mut parts = Vec::new();
        for ((cell, right), width) in cells.zip(&widths) {
            let pad = " ".repeat(width.saturating_sub(cell.width()));
            parts.push(if right {
                format!("{pad}{cell}")
            } else {
                format!("{cell}{pad}")
            });
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    let numeric: Vec<bool> = (0..widths.len())
        .map(|i| all.iter().any(|r| r.get(i).is_some_and(|c| c.number)))
        .collect();
    line(
        &mut out,
        &mut report.headers.iter().zip(&numeric).map(|(h, n)| (*h, *n)),
    );
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, &mut rule.iter().map(|r| (r.as_str(), false)));
    for (row, cells) in shown.iter().zip(&all) {
        line(
            &mut out,
            &mut row
                .iter()
                .zip(cells.iter())
                .map(|(s, c)| (s.as_str(), c.number)),
        );
    }
    out
}

/// `34139.95` → `34,139.95`; text that is not a plain number is left alone.
fn thousands(number: &str) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_owned();
    }
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_whole_part_only() {
        assert_eq!(thousands("34139.95"), "34,139.95");
        assert_eq!(thousands("-1234567"), "-1,234,567");
        assert_eq!(thousands("999.5"), "999.5");
        assert_eq!(thousands(""), "");
    }

    #[test]
    fn table_aligns_cjk_by_display_width() {
        let report = Report {
            headers: vec!["部门", "项目"],
            rows: vec![vec![text("花都区"), int(88)], vec![text("ab"), int(1234)]],
            footer: None,
            json: serde_json::Value::Null,
            empty: "",
            more: false,
        };
        let table = render_table(&report);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "部门     项目");
        assert_eq!(lines[2], "花都区     88");
        assert_eq!(lines[3], "ab      1,234");
        let widths: Vec<usize> = lines.iter().map(|l| l.width()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{table}");
    }
}
