//! Self-evaluations (绩效自评表) in the layout of `shared/variations/09_self_eval_clean.txt`, each
//! either clean (its numbers hold, its closing remarks are its own) or with one planted
//! inconsistency an E rule should report, or (when V009 is planted at all) the instructions of the
//! blank form left in one of its closing remarks.
//!
//! Scores are kept in hundredths of a point (integers), so every total is exact.

use super::{Clean, Planted, Rendered};

/// The codes planted, one per self-evaluation; a share [`CLEAN_SHARE`] stays clean.
pub const SELF_EVALUATION_CODES: &[&str] = &[
    "E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008", "E009", "E010", "E011",
];

/// Closing remarks written under the 总分 row: label, clean text with `{s}` for the service.
const REMARKS: &[(&str, &str)] = &[
    (
        "评价结论",
        "项目按计划实施，{s}各项任务全部完成，自评结果与实际相符。",
    ),
    (
        "存在问题",
        "个别服务环节衔接不够紧密，服务对象需求调查不够深入。",
    ),
    ("改进措施", "优化服务流程，加强需求调查，提高资金使用效益。"),
];

/// Instructions of the blank form left in a remark instead of the project's own text (V009),
/// after sample 68's `结合自评情况,说明项目自评总分…(200字以内)`.
const REMARK_TEMPLATES: &[&str] = &[
    "结合自评情况，说明项目自评总分，说明项目实施取得的成效或成果。（200字以内）",
    "结合自评情况,说明项目实施中存在的问题及原因。(200字以内)",
    "请填写下一步改进措施……",
    "（必填）",
];

/// Share of the self-evaluations left clean.
const CLEAN_SHARE: f64 = 0.3;

/// Syllables of place names: a self-evaluation's place is its index written in them, so every
/// project name and goal is its own (numbers in them would be promises for G003, and a goal
/// shared by many projects is G002's boilerplate).
const PLACES: &[&str] = &[
    "东城", "西山", "南河", "北岭", "青石", "白沙", "长坪", "石桥", "柳溪", "桃源", "松林", "梅岭",
    "竹园", "金湖", "银杏", "龙泉", "凤鸣", "安乐", "永和", "新华",
];

/// The place of self-evaluation `index` (`东城`, `西山` … `东城西山` …).
fn place(index: usize) -> String {
    let mut name = String::new();
    let mut rest = index;
    loop {
        name.push_str(PLACES[rest % PLACES.len()]);
        rest /= PLACES.len();
        if rest == 0 {
            return name;
        }
    }
}

const UNITS: &[&str] = &[
    "某县民政局",
    "某县教育体育局",
    "某县卫生健康局",
    "某县农业农村局",
    "某县文化旅游局",
    "某县人力资源和社会保障局",
];

const SERVICES: &[(&str, &str)] = &[
    ("居家养老服务", "老人"),
    ("职业技能培训", "学员"),
    ("基层医疗巡诊", "群众"),
    ("农技推广服务", "农户"),
    ("公共文化服务", "群众"),
    ("困难学生资助", "学生"),
];

/// 1-based line numbers of the layout.
const PROJECT_LINE: u32 = 3;
const BUDGET_LINE: u32 = 6;
const GOAL_LINE: u32 = 9;
const FIRST_INDICATOR_LINE: u32 = 11;

/// One indicator row.
struct Row {
    level1: &'static str,
    level2: &'static str,
    name: String,
    target: String,
    actual: String,
    /// In whole points.
    weight: i64,
    /// In hundredths.
    score: i64,
    explanation: String,
}

/// One self-evaluation numbered `index`, as text; records what was planted in `rendered`. With
/// `template`, template text in a closing remark (V009) is planted as often as each E code.
pub fn render(
    rng: &mut fastrand::Rng,
    file: &str,
    index: usize,
    rendered: &mut Rendered,
    template: bool,
) -> String {
    let unit = UNITS[rng.usize(..UNITS.len())];
    let (service, people) = SERVICES[rng.usize(..SERVICES.len())];
    let place = place(index);
    let project = format!("{place}{service}项目");
    let served = rng.i64(200..2000);
    let over = rng.i64(1..50);
    let pass = rng.i64(95..=99);
    let on_time = rng.i64(95..=99);
    let unit_cost = rng.i64(100..500);
    let cover = rng.i64(95..=99);
    let satisfied = rng.i64(95..=99);
    let mut rows = vec![
        Row {
            level1: "产出指标",
            level2: "数量指标",
            name: format!("服务{people}人数"),
            target: format!("≥{served}人"),
            actual: format!("{}人", served + over),
            weight: 15,
            score: 1500,
            explanation: String::new(),
        },
        Row {
            level1: "",
            level2: "质量指标",
            name: "服务验收合格率".to_owned(),
            target: format!("≥{}%", pass - 2),
            actual: format!("{pass}%"),
            weight: 15,
            score: 1500,
            explanation: String::new(),
        },
        Row {
            level1: "",
            level2: "时效指标",
            name: "服务任务按时完成率".to_owned(),
            target: format!("≥{}%", on_time - 3),
            actual: format!("{on_time}%"),
            weight: 15,
            score: 1500,
            explanation: String::new(),
        },
        Row {
            level1: "成本指标",
            level2: "经济成本指标",
            name: "人均服务成本".to_owned(),
            target: format!("≤{unit_cost}元/人"),
            actual: format!("{}元/人", unit_cost - rng.i64(1..50)),
            weight: 15,
            score: 1500,
            explanation: String::new(),
        },
        Row {
            level1: "效益指标",
            level2: "社会效益指标",
            name: format!("{people}服务覆盖率"),
            target: format!("≥{}%", cover - 5),
            actual: format!("{cover}%"),
            weight: 20,
            score: 2000,
            explanation: String::new(),
        },
        Row {
            level1: "满意度指标",
            level2: "服务对象满意度指标",
            name: format!("{people}满意度"),
            target: format!("≥{}%", satisfied - 5),
            actual: format!("{satisfied}%"),
            weight: 10,
            score: 1000,
            explanation: String::new(),
        },
    ];
    // Budget in hundredths of 万元; executed 85–100% of it.
    let budget = rng.i64(5_000..50_000);
    let executed = budget * rng.i64(85..=100) / 100;
    // Rate in hundredths of a percent, rounded half up; budget score in hundredths of a point.
    let rate = (executed * 10_000 * 2 + budget) / (budget * 2);
    let budget_weight = 10;
    let budget_score = (rate * budget_weight + 50) / 100;
    let goal = format!("为{place}片区{people}提供{service}，提高服务质量");
    let mut achieved = format!("全年为{}名{people}提供{service}", served + over);
    let mut rate_text = format!("{}%", hundredths(rate));
    let mut grade_override: Option<&str> = None;
    let mut total_offset = 0;

    let choices = SELF_EVALUATION_CODES.len() + usize::from(template);
    let code = if rng.f64() < CLEAN_SHARE {
        None
    } else {
        Some(
            SELF_EVALUATION_CODES
                .get(rng.usize(..choices))
                .copied()
                .unwrap_or("V009"),
        )
    };
    let mut remarks: Vec<(&str, String)> = REMARKS
        .iter()
        .map(|(label, text)| (*label, text.replace("{s}", service)))
        .collect();
    let indicator = rng.usize(..rows.len());
    let line = match code {
        None => None,
        Some("E001") => {
            // 3–10 percentage points off, staying within 0–100%.
            let off = rng.i64(300..1000);
            let shown = if rate + off <= 10_000 {
                rate + off
            } else {
                rate - off
            };
            rate_text = format!("{}%", hundredths(shown));
            Some(BUDGET_LINE)
        }
        Some("E002") => {
            rows[indicator].score += 200;
            Some(row_line(indicator))
        }
        Some("E003") => {
            total_offset = rng.i64(1..5) * 100;
            Some(row_line(rows.len()))
        }
        Some("E004") => {
            grade_override = Some("良");
            Some(row_line(rows.len()))
        }
        Some("E005") => {
            rows[indicator].actual = "—".to_owned();
            Some(row_line(indicator))
        }
        Some("E006") => {
            rows[indicator].score -= 200;
            rows[indicator].explanation = "个别环节安排不够紧凑".to_owned();
            Some(row_line(indicator))
        }
        Some("E007") => {
            let row = &mut rows[indicator];
            row.actual = missed_actual(row);
            Some(row_line(indicator))
        }
        Some("E008") => {
            rows[indicator].weight += 5;
            rows[indicator].score += 500;
            Some(PROJECT_LINE)
        }
        Some("E009") => {
            let row = &mut rows[indicator];
            row.actual = missed_actual(row);
            row.score -= 100;
            row.explanation = ["无", "暂无", ""][rng.usize(..3)].to_owned();
            Some(row_line(indicator))
        }
        Some("E010") => {
            if rng.bool() {
                achieved = goal.clone();
                Some(GOAL_LINE)
            } else {
                // Satisfaction is a rate with a ≥ target: the copy is a bound, not a measurement.
                let last = rows.len() - 1;
                rows[last].actual = rows[last].target.clone();
                Some(row_line(last))
            }
        }
        Some("E011") => {
            rows[0].actual = format!("{}人次", served + over);
            Some(row_line(0))
        }
        Some("V009") => {
            let at = rng.usize(..remarks.len());
            remarks[at].1 = REMARK_TEMPLATES[rng.usize(..REMARK_TEMPLATES.len())].to_owned();
            Some(row_line(rows.len() + 1 + at))
        }
        Some(other) => unreachable!("no plan for {other}"),
    };

    let total = budget_score + rows.iter().map(|r| r.score).sum::<i64>() + total_offset;
    let grade = grade_override.unwrap_or(grade_of(total));
    let weights = budget_weight + rows.iter().map(|r| r.weight).sum::<i64>();

    let mut text = String::new();
    let mut push = |line: String| {
        text.push_str(&line);
        text.push('\n');
    };
    push("项目支出绩效自评表".to_owned());
    push("（2023年度）".to_owned());
    push(format!("项目名称\t{project}"));
    push(format!("主管部门\t{unit}\t实施单位\t{unit}服务中心"));
    push("项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分".to_owned());
    push(format!(
        "\t年度资金总额\t{}\t{}\t{}\t{budget_weight}\t{rate_text}\t{}",
        hundredths(budget),
        hundredths(budget),
        hundredths(executed),
        hundredths(budget_score)
    ));
    push(format!(
        "\t其中：当年财政拨款\t{}\t{}\t{}\t—\t{}%\t—",
        hundredths(budget),
        hundredths(budget),
        hundredths(executed),
        hundredths(rate)
    ));
    push("年度总体目标\t预期目标\t\t\t实际完成情况".to_owned());
    push(format!("\t{goal}\t\t\t{achieved}"));
    push(
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
            .to_owned(),
    );
    for row in &rows {
        push(format!(
            "\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            row.level1,
            row.level2,
            row.name,
            row.target,
            row.actual,
            row.weight,
            hundredths(row.score),
            row.explanation
        ));
    }
    push(format!(
        "总分\t\t\t\t\t\t{weights}\t{}\t{grade}",
        hundredths(total)
    ));
    for (label, remark) in &remarks {
        push(format!("{label}\t{remark}"));
    }

    rendered.projects += 1;
    match (code, line) {
        (Some(code), Some(line)) => rendered.planted.push(Planted {
            file: file.to_owned(),
            line,
            code: code.to_owned(),
            unit: unit.to_owned(),
            project: Some(project),
            cause: code.to_owned(),
            related: Vec::new(),
        }),
        _ => rendered.clean.push(Clean {
            file: file.to_owned(),
            line: PROJECT_LINE,
            unit: unit.to_owned(),
            project,
        }),
    }
    text
}

/// The line of indicator row `i`; row `len`, one after the last, is the 总分 row.
fn row_line(i: usize) -> u32 {
    FIRST_INDICATOR_LINE + i as u32
}

/// An actual that falls short of the row's target, in the target's unit.
fn missed_actual(row: &Row) -> String {
    let number: i64 = row
        .target
        .trim_start_matches(['≥', '≤'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(100);
    let unit: String = row
        .target
        .trim_start_matches(['≥', '≤'])
        .chars()
        .skip_while(char::is_ascii_digit)
        .collect();
    if row.target.starts_with('≤') {
        format!("{}{unit}", number + number / 5 + 1)
    } else {
        format!("{}{unit}", number - number / 5 - 1)
    }
}

fn grade_of(total: i64) -> &'static str {
    match total {
        t if t >= 9000 => "优",
        t if t >= 8000 => "良",
        t if t >= 6000 => "中",
        _ => "差",
    }
}

/// Hundredths as a decimal with two places (`12345` → `123.45`).
fn hundredths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let value = value.abs();
    format!("{sign}{}.{:02}", value / 100, value % 100)
}
