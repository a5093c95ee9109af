//! The layouts with one row per indicator, from fixtures of our own modeled on published tables
//! (`../shared/samples`): an indicator-row list, project sheets flattened three ways, a
//! self-evaluation after the tail of another table, and a project sheet as a real workbook.

use jixiao_model::{Document, Indicator, Layout, Profile, ValueKind};
use jixiao_parse::{Parsed, parse_bytes, parse_bytes_as};
use rust_decimal::Decimal;

fn parse(name: &str, text: &str) -> Parsed {
    match parse_bytes(name, text.as_bytes(), &Profile::builtin()) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{name}: {error}"),
    }
}

fn indicators(document: &Document) -> Vec<&Indicator> {
    document
        .projects()
        .flat_map(|(_, p)| p.indicators.iter())
        .collect()
}

/// `(一级, 二级, 三级, 指标值)` of each indicator.
fn rows(document: &Document) -> Vec<(String, String, String, String)> {
    indicators(document)
        .iter()
        .map(|i| {
            (
                i.level1
                    .as_ref()
                    .map_or(String::new(), |c| c.name.to_string()),
                i.level2
                    .as_ref()
                    .map_or(String::new(), |c| c.name.to_string()),
                i.name.text.to_string(),
                i.annual
                    .as_ref()
                    .map_or(String::new(), |v| v.raw.to_string()),
            )
        })
        .collect()
}

fn row(l1: &str, l2: &str, name: &str, value: &str) -> (String, String, String, String) {
    (l1.into(), l2.into(), name.into(), value.into())
}

const INDICATOR_ROWS: &str = "\
| 部门预算项目绩效目标申报表(2024年度) | ||||||||
| 金额单位:元 | ||||||||
| 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性 | |
| 301-示例镇部门 | 1,250,000.00 | |||||||||
| 301001-示例镇人民政府 | 农村道路养护 | 1,000,000.00 | 完成辖区农村道路日常养护 | 产出指标 | 数量指标 | 养护道路里程 | ≥ | 120 | 公里 | 20 | 正向指标 | |
| 产出指标 | 质量指标 | 路面完好率 | ≥ | 90 | % | 20 | 正向指标 | |||
| 满意度指标 | 服务对象满意度指标 | 沿线群众满意度 | ≥ | 90 | % | 10 | 正向指标 | |||
| 村级公共服务经费 | 250,000.00 | 保障村级公共服务运转 | 效益指标 | 社会效益指标 | 公共服务覆盖率 | = | 100 | % | 30 | 正向指标 | ||
| 产出指标 | 数量指标 | 服务村数 | = | 8 | 个 | 20 | 正向指标 | |||
";

#[test]
fn indicator_rows_carry_projects_down() {
    let parsed = parse("rows.txt", INDICATOR_ROWS);
    assert_eq!(parsed.documents.len(), 1);
    let document = &parsed.documents[0];
    assert_eq!(document.layout, Layout::IndicatorRows);
    assert_eq!(document.amount_unit.as_ref().unwrap().text, "元");
    let total = document.grand_total.as_ref().expect("the department row");
    assert_eq!(total.label.text, "301-示例镇部门");
    assert_eq!(
        total.amounts.total.as_ref().unwrap().value,
        Decimal::new(125_000_000, 2)
    );
    assert_eq!(document.units.len(), 1);
    let unit = &document.units[0];
    assert_eq!(unit.name.text, "301001-示例镇人民政府");
    let names: Vec<&str> = unit.projects.iter().map(|p| p.name.text.as_str()).collect();
    assert_eq!(names, ["农村道路养护", "村级公共服务经费"]);
    assert_eq!(
        unit.projects[1].goal.as_ref().unwrap().text,
        "保障村级公共服务运转"
    );
    assert_eq!(
        rows(document),
        [
            row("产出指标", "数量指标", "养护道路里程", "120"),
            row("产出指标", "质量指标", "路面完好率", "90"),
            row("满意度指标", "服务对象满意度指标", "沿线群众满意度", "90"),
            row("效益指标", "社会效益指标", "公共服务覆盖率", "100"),
            row("产出指标", "数量指标", "服务村数", "8"),
        ]
    );
    let first = indicators(document)[0];
    let ValueKind::Quantitative(q) = &first.annual.as_ref().unwrap().kind else {
        panic!("a quantity");
    };
    assert_eq!(
        (q.number, q.unit.as_deref()),
        (Decimal::new(120, 0), Some("公里"))
    );
    let details = first.details.as_ref().expect("columns kept");
    assert_eq!(details.nature.as_ref().unwrap().text, "≥");
    assert_eq!(details.weight.as_ref().unwrap().value, Decimal::new(20, 0));
    assert_eq!(details.direction.as_ref().unwrap().text, "正向指标");
    // Spans point at the cells: line 5, the name cell.
    assert_eq!(first.name.span.line, 5);
    let line = INDICATOR_ROWS.lines().nth(4).unwrap();
    let span = &first.name.span;
    assert_eq!(
        &line[span.start as usize..span.end as usize],
        "养护道路里程"
    );
    assert_eq!(
        indicators(document)[3].seq,
        1,
        "numbering restarts per project"
    );
}

/// One cell per line, rows ended by bare `|` lines, merged cells lost (modeled on sample 07).
const PROJECT_SHEET_CELLS: &str = "\
2024年项目支出绩效目标申报表
|
填报单位:(盖章) 单位:万元 |
||||||
|
项目支出名称 |
城区绿化养护服务 |
预算部门 |
示例市园林绿化中心 |
|||
|
年度本级 预算金额 |
180万 |
|||
|
项目支出实施期 |
2024.01-2024.12 |
|||
|
实施期绩效目标 |
完成城区绿地养护，绿化完好率保持在95%以上 |
|||
|
本年度绩效目标 |
完成城区绿地养护，绿化完好率保持在95%以上 |
|||
|
本年度 绩效指标 |
一级指标 |
二级指标 |
三级指标 |
指标值及单位 |
绩效标准 |
|
|
产出指标 |
数量指标 |
养护绿地面积 |
120万平方米 |
计划标准 |
||
|
质量指标(必填硬性指标) |
绿化完好率 |
≥95% |
计划标准 |
|||
|
效益指标 |
生态效益指标 |
|
|
|||
|
社会公众或服务对象满意度指标 |
市民满意度 |
≥90% |
计划标准 |
|||
|
财政部门审核意见 |
|||
";

#[test]
fn project_sheet_from_one_cell_per_line() {
    let parsed = parse("sheet.txt", PROJECT_SHEET_CELLS);
    let document = &parsed.documents[0];
    assert_eq!(document.layout, Layout::ProjectSheet);
    assert_eq!(
        document.department.as_ref().unwrap().text,
        "示例市园林绿化中心"
    );
    assert_eq!(document.amount_unit.as_ref().unwrap().text, "万元");
    let (_, project) = document.projects().next().unwrap();
    assert_eq!(project.name.text, "城区绿化养护服务");
    assert_eq!(
        project.amounts.total.as_ref().unwrap().value,
        Decimal::new(180, 0)
    );
    let details = project.details.as_ref().unwrap();
    assert_eq!(details.period.as_ref().unwrap().text, "2024.01-2024.12");
    assert!(details.long_term_goal.is_some() && project.goal.is_some());
    assert_eq!(
        rows(document),
        [
            row("产出指标", "数量指标", "养护绿地面积", "120万平方米"),
            row("产出指标", "质量指标", "绿化完好率", "≥95%"),
            // Listed under the merged 效益指标 cell, as the older framework does (sample 07):
            // kept there, for I007 to report.
            row("效益指标", "服务对象满意度指标", "市民满意度", "≥90%"),
        ],
        "the empty 生态效益指标 row has no indicator"
    );
    assert!(
        parsed
            .problems
            .iter()
            .any(|p| p.kind == jixiao_model::ProblemKind::TemplateHint
                && p.message.contains("(必填硬性指标)")),
        "the template hint is reported: {:?}",
        parsed.problems
    );
    let standard = indicators(document)[0].details.as_ref().unwrap();
    assert_eq!(standard.standard.as_ref().unwrap().text, "计划标准");
}

/// Space-separated, wrapped category cells (modeled on sample 17).
const PROJECT_SHEET_SPACES: &str = "\
项目支出绩效目标申报表
(2024年度)
项目名称 困难老人居家照护补贴
预算单位 示例区民政局
项目资金(万元) 年度资金总额 金额(万元)
   (一)财政拨款小计 12.50
       1、一般公共预算 12.50
       2、政府性基金 0.00
年度目标
为困难老人提供居家照护补贴，改善生活质量
绩效指标 一级指标 二级指标 三级指标 指标值(包含数字及文字描述)
绩效指标 项目完成
指标
数量指标 补贴人数 125人
时效指标 补贴发放时间 每季度末前
项目效益
指标
社会效益
指标
受助老人生活改善 明显改善
满意度指标 满意度指标 受助老人满意度 ≥90%
";

#[test]
fn project_sheet_from_space_separated_text() {
    let parsed = parse("spaces.txt", PROJECT_SHEET_SPACES);
    let document = &parsed.documents[0];
    assert_eq!(document.layout, Layout::ProjectSheet);
    let (_, project) = document.projects().next().unwrap();
    assert_eq!(project.name.text, "困难老人居家照护补贴");
    let funding = &project.details.as_ref().unwrap().funding;
    assert_eq!(funding.len(), 3);
    assert_eq!(funding[0].label.text, "(一)财政拨款小计");
    assert_eq!(
        project.amounts.total.as_ref().unwrap().value,
        Decimal::new(1250, 2)
    );
    assert_eq!(
        rows(document),
        [
            row("产出指标", "数量指标", "补贴人数", "125人"),
            row("产出指标", "时效指标", "补贴发放时间", "每季度末前"),
            row("效益指标", "社会效益指标", "受助老人生活改善", "明显改善"),
            row("满意度指标", "服务对象满意度指标", "受助老人满意度", "≥90%"),
        ]
    );
    let raw = &indicators(document)[0].level1.as_ref().unwrap().raw;
    assert_eq!(
        raw, "项目完成指标",
        "the alias as published, wrapped line joined"
    );
}

/// A self-evaluation that starts with the tail of the table before it (modeled on samples 21
/// and 33).
const SELF_EVALUATION: &str = "\
绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析 |
产出指标 | 数量指标 | 上一张表的指标 | = | 1 | 项 | 1 | 90 | 90 | ||
合计 | 100 | |||||||||
部门预算项目支出绩效自评表(2024年度) | ||||||||||
项目名称 | 社区矫正信息化设备购置 | |||||||||
主管部门 | 示例县司法局部门 | 实施单位 | 示例县司法局 | |||||||
预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 | ||
总额 | 5.00 | 4.80 | 4.80 | 100.00% | 10 | 10 | 无 | |||
其中:财政资金 | 5.00 | 4.80 | 4.80 | 100.00% | / | / | ||||
绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析 |
产出指标 | 数量指标 | 购置终端数量 | ≥ | 12 | 台 | 12 | 30 | 30 | ||
时效指标 | 资金支付及时率 | = | 100 | % | 100% | 30 | 21 | 合同签订延迟 |
满意度指标 | 服务对象满意度指标 | 矫正对象满意度 | ≥ | 90 | % | 95% | 30 | 30 | ||
合计 | 100 | |||||||||
总分 | 100 | 91 | 优 |
";

#[test]
fn self_evaluation_keeps_actuals_scores_and_budget() {
    let parsed = parse("self.txt", SELF_EVALUATION);
    assert_eq!(
        parsed.documents.len(),
        2,
        "the tail of the previous table is a document of its own"
    );
    // The tail: what it holds is read, under a project whose name was cut off, and marked.
    let tail = &parsed.documents[0];
    let truncation = tail.truncation.as_ref().expect("the tail is marked as cut");
    assert!(truncation.starts_midway && !truncation.stops_early);
    let (_, cut) = tail.projects().next().unwrap();
    assert_eq!(cut.name.text, "");
    assert_eq!(cut.indicators.len(), 1);
    assert_eq!(cut.indicators[0].name.text, "上一张表的指标");
    assert!(
        parsed
            .problems
            .iter()
            .any(|p| p.message.contains("表格从中途开始")),
        "and saying so: {:?}",
        parsed.problems
    );
    let document = &parsed.documents[1];
    assert!(document.truncation.is_none());
    assert_eq!(document.layout, Layout::SelfEvaluation);
    let (_, project) = document.projects().next().unwrap();
    assert_eq!(project.name.text, "社区矫正信息化设备购置");
    let evaluation = project.evaluation.as_ref().expect("self-evaluation block");
    assert_eq!(evaluation.budget.len(), 2);
    let total = &evaluation.budget[0];
    assert_eq!(total.label.text, "总额");
    assert_eq!(total.initial.as_ref().unwrap().value, Decimal::new(500, 2));
    assert_eq!(total.executed.as_ref().unwrap().value, Decimal::new(480, 2));
    assert_eq!(total.rate.as_ref().unwrap().text, "100.00%");
    assert_eq!(total.score.as_ref().unwrap().value, Decimal::new(10, 0));
    assert_eq!(
        evaluation.total_score.as_ref().unwrap().value,
        Decimal::new(91, 0)
    );
    assert_eq!(evaluation.grade.as_ref().unwrap().text, "优");
    assert_eq!(
        rows(document),
        [
            row("产出指标", "数量指标", "购置终端数量", "12"),
            row("产出指标", "时效指标", "资金支付及时率", "100"),
            row("满意度指标", "服务对象满意度指标", "矫正对象满意度", "90"),
        ]
    );
    // 资金支付及时率: 100% achieved, scored 21 of 30, with the reason given.
    let timely = indicators(document)[1].details.as_ref().unwrap();
    assert_eq!(timely.actual.as_ref().unwrap().raw, "100%");
    assert_eq!(timely.weight.as_ref().unwrap().value, Decimal::new(30, 0));
    assert_eq!(timely.score.as_ref().unwrap().value, Decimal::new(21, 0));
    assert_eq!(timely.deviation.as_ref().unwrap().text, "合同签订延迟");
}

#[test]
fn forced_layout_overrides_detection() {
    let profile = Profile::builtin();
    let parsed = parse_bytes_as(
        "rows.txt",
        SELF_EVALUATION.as_bytes(),
        &profile,
        Some(Layout::ProjectSheet),
    )
    .unwrap();
    assert_eq!(parsed.documents[0].layout, Layout::ProjectSheet);
    let error = parse_bytes_as(
        "rows.txt",
        INDICATOR_ROWS.as_bytes(),
        &profile,
        Some(Layout::DepartmentList),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("一级指标、二级指标、三级指标"),
        "{error}"
    );
}

#[test]
fn workbook_project_sheet_with_merged_categories() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let plain = Format::new();
    let write = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, text: &str| {
        sheet.write_string(row, col, text).map(|_| ())
    };
    (|| -> Result<(), rust_xlsxwriter::XlsxError> {
        sheet.merge_range(0, 0, 0, 4, "2024年项目支出绩效目标申报表", &plain)?;
        write(sheet, 1, 0, "单位：万元")?;
        write(sheet, 2, 0, "项目名称")?;
        sheet.merge_range(2, 1, 2, 4, "校园安全设施改造", &plain)?;
        write(sheet, 3, 0, "主管部门")?;
        write(sheet, 3, 1, "示例区教育局")?;
        write(sheet, 3, 2, "年度资金总额")?;
        sheet.write_number(3, 3, 35.4)?;
        write(sheet, 4, 0, "年度目标")?;
        sheet.merge_range(4, 1, 4, 4, "完成全区中小学安防设施改造", &plain)?;
        for (col, label) in ["一级指标", "二级指标", "三级指标", "指标值", "度量单位"]
            .iter()
            .enumerate()
        {
            write(sheet, 5, col as u16, label)?;
        }
        sheet.merge_range(6, 0, 8, 0, "产出指标", &plain)?;
        sheet.merge_range(6, 1, 7, 1, "数量指标", &plain)?;
        write(sheet, 6, 2, "改造学校数")?;
        write(sheet, 6, 3, "≥12")?;
        write(sheet, 6, 4, "所")?;
        write(sheet, 7, 2, "新增监控点位")?;
        sheet.write_number(7, 3, 240.0)?;
        write(sheet, 7, 4, "个")?;
        write(sheet, 8, 1, "质量指标")?;
        write(sheet, 8, 2, "验收合格率")?;
        write(sheet, 8, 3, "100%")?;
        write(sheet, 9, 0, "满意度指标")?;
        write(sheet, 9, 1, "服务对象满意度指标")?;
        write(sheet, 9, 2, "师生满意度")?;
        write(sheet, 9, 3, "≥90%")?;
        Ok(())
    })()
    .expect("fixture workbook");
    let bytes = workbook.save_to_buffer().expect("fixture workbook");
    let parsed = parse_bytes("安防.xlsx", &bytes, &Profile::builtin()).unwrap();
    let document = &parsed.documents[0];
    assert_eq!(document.layout, Layout::ProjectSheet);
    let (_, project) = document.projects().next().unwrap();
    assert_eq!(project.name.text, "校园安全设施改造");
    assert_eq!(
        rows(document),
        [
            row("产出指标", "数量指标", "改造学校数", "≥12"),
            row("产出指标", "数量指标", "新增监控点位", "240"),
            row("产出指标", "质量指标", "验收合格率", "100%"),
            row("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%"),
        ]
    );
    let second = indicators(document)[1];
    let ValueKind::Quantitative(q) = &second.annual.as_ref().unwrap().kind else {
        panic!("a quantity");
    };
    assert_eq!(
        q.unit.as_deref(),
        Some("个"),
        "unit column joined to the number"
    );
    let cell = second.name.span.cell.as_ref().expect("a cell reference");
    assert_eq!((cell.row, cell.col), (8, 3));
}

/// Every real sample in `../shared/samples` reads without a panic, and a sample that is not read
/// gets the “no table” answer, which names what was seen. How many indicators are read right is
/// held by `xtask/tests/reading.rs` against hand labels.
#[test]
fn shared_samples_read_without_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("{} is missing: CI must have ../shared", dir.display()));
    let profile = Profile::builtin();
    let mut read = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        match parse_bytes(&name, &bytes, &profile) {
            Ok(parsed) => {
                let count: usize = parsed.documents.iter().map(Document::indicator_count).sum();
                if count > 0 {
                    read += 1;
                }
            }
            Err(error) => assert!(
                matches!(error, jixiao_parse::ReadError::NoTable { .. }),
                "{name}: {error}"
            ),
        }
    }
    assert!(read >= 6, "only {read} samples yield indicators");
}

#[test]
fn back_to_back_project_sheets_are_two_documents() {
    let second = PROJECT_SHEET_SPACES.replace("困难老人居家照护补贴", "残疾人两项补贴");
    let text = format!("{PROJECT_SHEET_SPACES}{second}");
    let parsed = parse("two.txt", &text);
    let names: Vec<String> = parsed
        .documents
        .iter()
        .flat_map(|d| d.projects().map(|(_, p)| p.name.text.to_string()))
        .collect();
    assert_eq!(names, ["困难老人居家照护补贴", "残疾人两项补贴"]);
    assert!(parsed.documents.iter().all(|d| d.indicator_count() == 4));
}

/// An empty 年初预算数 cell in a tab-separated self-evaluation does not shift the budget figures
/// after it (they were read one column to the left).
#[test]
fn empty_budget_cell_does_not_shift_the_cells_after_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/variations/09b_self_eval_empty_initial.txt");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("{} is missing: CI must have ../shared", path.display()));
    let parsed = parse_bytes("09b.txt", &bytes, &Profile::builtin()).unwrap();
    let (_, project) = parsed.documents[0].projects().next().unwrap();
    let budget = &project.evaluation.as_ref().unwrap().budget;
    let total = &budget[0];
    assert_eq!(total.label.text, "年度资金总额");
    assert!(total.initial.is_none(), "{total:?}");
    assert_eq!(
        total.adjusted.as_ref().unwrap().value,
        Decimal::new(12000, 2)
    );
    assert_eq!(
        total.executed.as_ref().unwrap().value,
        Decimal::new(10800, 2)
    );
    assert_eq!(total.weight.as_ref().unwrap().value, Decimal::new(10, 0));
    assert_eq!(total.score.as_ref().unwrap().value, Decimal::new(9, 0));
    let fiscal = &budget[1];
    assert_eq!(
        fiscal.initial.as_ref().unwrap().value,
        Decimal::new(10000, 2)
    );
}

/// Rows that are no table at all are not read as a department list (a CSV `a,b,c / 1,2,3` was a
/// document of one unit and no projects, with exit 0, and `check` reported on it).
#[test]
fn rows_that_are_no_table_are_refused() {
    for (name, text) in [
        ("abc.csv", "a,b,c\n1,2,3\n"),
        ("abc.txt", "a\tb\tc\n1\t2\t3\n"),
        ("note.txt", "会议纪要\n今天讨论了预算。\n"),
    ] {
        match parse_bytes(name, text.as_bytes(), &Profile::builtin()) {
            Err(jixiao_parse::ReadError::NoTable { seen, .. }) => {
                assert!(!seen.is_empty(), "{name}: says what it saw")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// A self-evaluation written back as a sheet reads back with its budget lines, actual values,
/// weights, scores and total.
#[test]
fn self_evaluation_rendered_reads_back() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/variations/09_self_eval_clean.txt");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("{} is missing: CI must have ../shared", path.display()));
    let parsed = parse_bytes("09.txt", &bytes, &Profile::builtin()).unwrap();
    let rendered = jixiao_parse::render_project_sheets(&parsed.documents);
    let again = parse("again.txt", &rendered);
    let summary = |documents: &[Document]| -> Vec<String> {
        documents
            .iter()
            .flat_map(|d| d.projects())
            .flat_map(|(_, p)| {
                let evaluation = p.evaluation.as_ref().unwrap();
                let budget = evaluation.budget.iter().map(|b| {
                    format!(
                        "{} {:?} {:?} {:?}",
                        b.label.text,
                        b.adjusted.as_ref().map(|a| a.value),
                        b.executed.as_ref().map(|a| a.value),
                        b.score.as_ref().map(|a| a.value)
                    )
                });
                let indicators = p.indicators.iter().map(|i| {
                    let d = i.details.as_ref().unwrap();
                    format!(
                        "{} {:?} {:?} {:?} {:?}",
                        i.name.text,
                        i.annual.as_ref().map(|v| v.raw.to_string()),
                        d.actual.as_ref().map(|v| v.raw.to_string()),
                        d.weight.as_ref().map(|a| a.value),
                        d.score.as_ref().map(|a| a.value)
                    )
                });
                let total = std::iter::once(format!(
                    "{:?}",
                    evaluation.total_score.as_ref().map(|a| a.value)
                ));
                budget.chain(indicators).chain(total).collect::<Vec<_>>()
            })
            .collect()
    };
    assert_eq!(
        summary(&again.documents),
        summary(&parsed.documents),
        "{rendered}"
    );
}

/// NDRC's 中央预算内投资计划绩效目标表: an 一级 `实施效果指标` whose 二级 are the standard 一级, beside
/// `过程管理指标`; the page around it (`文件下载`) is not read as indicators.
#[test]
fn ndrc_results_group_keeps_its_families() {
    let text = "\
专项名称\t以工代赈示范工程
一级指标\t二级指标\t三级指标\t指标值
实施效果指标\t产出指标\t劳务报酬占中央投资比例\t≥32.68%
效益指标\t项目区农村基础设施条件\t持续改善
满意度指标\t参与工程建设的群众满意度\t≥90%
过程管理指标\t资金管理指标\t中央预算内投资支付率\t≥95%
文件下载
政策咨询\t标签:
";
    let parsed = parse("ndrc.txt", text);
    let indicators = indicators(&parsed.documents[0]);
    let levels: Vec<(String, String, String)> = indicators
        .iter()
        .map(|i| {
            let l1 = i.level1.as_ref().unwrap();
            let l2 = i.level2.as_ref().unwrap();
            (l1.raw.to_string(), l1.name.to_string(), l2.raw.to_string())
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("实施效果指标".into(), "产出指标".into(), "产出指标".into()),
            ("实施效果指标".into(), "效益指标".into(), "效益指标".into()),
            (
                "实施效果指标".into(),
                "满意度指标".into(),
                "满意度指标".into()
            ),
            (
                "过程管理指标".into(),
                "过程管理指标".into(),
                "资金管理指标".into()
            ),
        ]
    );
}

/// Space-separated rows: a comparator and its number are one cell, and so is a short bracket
/// with spaces inside (sample 44's `开发数量( ≥**个 )`).
#[test]
fn spaces_inside_values_and_brackets_stay_in_the_cell() {
    let text = "\
项目名称 景区建设
一级指标 二级指标 三级指标 指标值
产出指标 数量指标 景点开发数量( ≥**个 ) >=4个
质量指标 验收合格率 ≥ 95%
";
    let parsed = parse("spaces.txt", text);
    let found: Vec<(String, String)> = indicators(&parsed.documents[0])
        .iter()
        .map(|i| {
            (
                i.name.text.to_string(),
                i.annual
                    .as_ref()
                    .map_or(String::new(), |v| v.raw.to_string()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("景点开发数量( ≥**个 )".to_owned(), ">=4个".to_owned()),
            ("验收合格率".to_owned(), "≥ 95%".to_owned()),
        ]
    );
}

/// The pre-2020 grading template (sample 53's layout) as a grid: `绩效指标分类 | 绩效指标 |
/// 绩效指标描述 | 绩效指标评价标准 | 评价标准确定依据`, the standard spanning a second header row of
/// grades `优 | 良 | 中 | 差`. The name column is headed by `绩效指标` alone; the 优 grade is the
/// target, the other grades, the description and the basis are kept as the indicator's fields.
#[test]
fn grading_template_reads_the_top_grade_as_the_target() {
    let text = "\
项目名称\t困难群众救助补助
绩效目标\t保障农村低保户的基本生活
绩效指标分类\t绩效指标\t绩效指标描述\t绩效指标评价标准\t\t\t\t评价标准确定依据
\t\t\t优\t良\t中\t差\t
产出指标\t救助覆盖率\t困难群众基本生活救助是否应救尽救\t100%\t90%\t85%\t85%\t按临时救助标准评价
\t救助资金按标准发放的比率\t救助资金按标准发放的比率\t90%\t80%\t70%\t70%\t按临时救助标准评价
效果指标\t救助对象满意度\t满意的救助对象所占比率\t85%\t80%\t70%\t70%\t按服务对象满意度评价
";
    let parsed = parse("grading.txt", text);
    let found: Vec<(String, String, String)> = indicators(&parsed.documents[0])
        .iter()
        .map(|i| {
            (
                i.level1
                    .as_ref()
                    .map_or(String::new(), |c| c.raw.to_string()),
                i.name.text.to_string(),
                i.annual
                    .as_ref()
                    .map_or(String::new(), |v| v.raw.to_string()),
            )
        })
        .collect();
    let expected = [
        ("产出指标", "救助覆盖率", "100%"),
        ("产出指标", "救助资金按标准发放的比率", "90%"),
        ("效果指标", "救助对象满意度", "85%"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(found, expected);
    let fields: Vec<(String, String)> = indicators(&parsed.documents[0])[0]
        .details
        .as_ref()
        .expect("details")
        .fields
        .iter()
        .map(|f| (f.label.to_string(), f.value.text.to_string()))
        .collect();
    let expected = [
        ("绩效指标描述", "困难群众基本生活救助是否应救尽救"),
        ("良", "90%"),
        ("中", "85%"),
        ("差", "85%"),
        ("评价标准确定依据", "按临时救助标准评价"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(fields, expected);
}

/// A self-evaluation flattened by a crawler into one run of text (cells and rows joined with no
/// separator, as samples 62 and 71 were published) keeps its closing remarks, as a grid's tail
/// does: the label as printed, and its text up to the next label or the signatures.
#[test]
fn run_together_self_evaluation_keeps_its_closing_remarks() {
    let text = "项目支出绩效自评表项目名称某县困难群众临时救助\
                绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施\
                产出指标数量指标救助困难群众人次≥300人次320人次4040\
                效益指标社会效益指标困难群众基本生活保障率≥95%98%3030\
                满意度指标服务对象满意度指标受助群众满意度≥90%95%2020\
                总分10090优评价结论结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)\
                存在问题部分乡镇审核进度偏慢改进措施及建议加强乡镇经办人员培训项目负责人:某某\n";
    let parsed = parse("run-together.txt", text);
    let document = parsed.documents.first().expect("a document");
    assert_eq!(document.layout, Layout::SelfEvaluation);
    let (_, project) = document.projects().next().expect("a project");
    assert_eq!(project.indicators.len(), 3, "{:?}", project.indicators);
    let remarks: Vec<(&str, &str)> = project
        .evaluation
        .as_ref()
        .expect("self-evaluation block")
        .remarks
        .iter()
        .map(|r| (r.label.as_str(), &*r.value.text))
        .collect();
    assert_eq!(
        remarks,
        [
            (
                "评价结论",
                "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)"
            ),
            ("存在问题", "部分乡镇审核进度偏慢"),
            ("改进措施及建议", "加强乡镇经办人员培训"),
        ]
    );
}
