//! The department-list reader on the two seed tables and on edge inputs.

use jixiao_model::{Document, ProblemKind, Profile, Span, ValueKind};
use jixiao_parse::container::ContainerError;
use jixiao_parse::{Parsed, ReadError, parse_bytes, render_department_list};
use rust_decimal::Decimal;

const YUEXIU: &str = include_str!("../../../examples/guangzhou-yuexiu-rsj.txt");
const HUADU: &str = include_str!("../../../examples/guangzhou-huadu-rsj.txt");

fn parse(name: &str, text: &str) -> Parsed {
    parse_bytes(name, text.as_bytes(), &Profile::builtin()).expect("readable")
}

fn one(parsed: &Parsed) -> &Document {
    assert_eq!(parsed.documents.len(), 1, "one document");
    &parsed.documents[0]
}

fn decimal(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// The text a span points at.
fn at<'a>(source: &'a str, span: &Span) -> &'a str {
    let line = source
        .lines()
        .nth(span.line as usize - 1)
        .expect("line exists");
    &line[span.start as usize..span.end as usize]
}

#[test]
fn yuexiu_seed() {
    let parsed = parse("yuexiu.txt", YUEXIU);
    let document = one(&parsed);
    assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
    assert_eq!(
        document.department.as_ref().map(|d| d.text.as_str()),
        Some("广州市越秀区人力资源和社会保障局（本级）")
    );
    assert_eq!(
        document.amount_unit.as_ref().map(|u| u.text.as_str()),
        Some("万元")
    );
    assert_eq!(document.units.len(), 1);
    assert_eq!(document.projects().count(), 10);
    assert_eq!(document.indicator_count(), 20);
    let unit = &document.units[0];
    assert_eq!(
        unit.amounts.total.as_ref().map(|a| a.value),
        Some(decimal("453.80"))
    );
    assert!(
        unit.amounts.special_account.is_none(),
        "an empty cell is absent"
    );
    assert_eq!(
        unit.amounts.other.as_ref().map(|a| a.raw.as_str()),
        Some("15.30")
    );
    for (_, project) in document.projects() {
        for indicator in &project.indicators {
            let level1 = indicator.level1.as_ref().expect("level 1");
            let level2 = indicator.level2.as_ref().expect("level 2");
            assert!(level1.code.is_some() && !level1.raw.is_empty());
            assert!(
                level2.inferred.is_none() && level2.code.is_some(),
                "{indicator:?}"
            );
            assert!(indicator.period.is_some() && indicator.annual.is_some());
        }
    }
    let first = &document.units[0].projects[0].indicators[0];
    assert_eq!(
        first.level1.as_ref().map(|c| c.raw.as_str()),
        Some("1-产出指标")
    );
    assert_eq!(
        first.level2.as_ref().map(|c| c.name.as_str()),
        Some("质量指标")
    );
    assert_eq!(first.name.text, "劳动人事争议调解成功率（%）");
    assert_eq!(first.annual.as_ref().map(|v| v.raw.as_str()), Some(">75%"));
}

#[test]
fn huadu_seed() {
    let parsed = parse("huadu.txt", HUADU);
    let document = one(&parsed);
    assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
    let total = document.grand_total.as_ref().expect("合计 row");
    assert_eq!(
        total.amounts.total.as_ref().map(|a| a.value),
        Some(decimal("34139.95"))
    );
    assert_eq!(
        total.amounts.total.as_ref().map(|a| a.raw.as_str()),
        Some("34,139.95")
    );
    assert_eq!(
        total.amounts.other.as_ref().map(|a| a.value),
        Some(decimal("0.00"))
    );
    assert_eq!(document.units.len(), 5);
    assert_eq!(document.projects().count(), 88);
    assert_eq!(document.indicator_count(), 390);
    for (_, project) in document.projects() {
        for indicator in &project.indicators {
            let level2 = indicator
                .level2
                .as_ref()
                .expect("level 2 given or inferred");
            if level2.inferred.is_some() {
                assert!(level2.raw.is_empty());
            }
        }
    }
}

/// Every name, goal, amount and value is the published text, and its span points at exactly it.
#[test]
fn raw_text_and_spans_are_exact() {
    for (name, source) in [("yuexiu.txt", YUEXIU), ("huadu.txt", HUADU)] {
        let parsed = parse(name, source);
        let document = one(&parsed);
        let mut checked = 0;
        for unit in &document.units {
            assert_eq!(at(source, &unit.name.span), unit.name.text);
            for project in &unit.projects {
                assert_eq!(at(source, &project.name.span), project.name.text);
                if let Some(goal) = &project.goal {
                    assert_eq!(at(source, &goal.span), goal.text);
                }
                for amount in [
                    &project.amounts.total,
                    &project.amounts.fiscal,
                    &project.amounts.special_account,
                    &project.amounts.other,
                ]
                .into_iter()
                .flatten()
                {
                    assert_eq!(at(source, &amount.span), amount.raw);
                }
                for indicator in &project.indicators {
                    assert_eq!(at(source, &indicator.span), indicator.raw);
                    assert_eq!(at(source, &indicator.name.span), indicator.name.text);
                    for value in [indicator.annual.as_ref(), indicator.period.as_deref()]
                        .into_iter()
                        .flatten()
                    {
                        assert_eq!(at(source, &value.span), value.raw);
                        checked += 1;
                    }
                    if let Some(level1) = &indicator.level1 {
                        assert_eq!(at(source, level1.span.as_ref().expect("span")), level1.raw);
                    }
                }
            }
        }
        assert!(checked > 0);
    }
}

#[test]
fn every_annual_value_has_a_kind() {
    let mut values = 0;
    for (name, source) in [("yuexiu.txt", YUEXIU), ("huadu.txt", HUADU)] {
        let parsed = parse(name, source);
        for (_, project) in one(&parsed).projects() {
            for indicator in &project.indicators {
                let value = indicator.annual.as_ref().expect("annual value");
                assert!(
                    !matches!(value.kind, ValueKind::Empty),
                    "{}: {}",
                    indicator.name.text,
                    value.raw
                );
                values += 1;
            }
        }
    }
    assert_eq!(values, 410);
}

/// The lines of a table, without blank lines and without the Markdown heading mark (`## `) a
/// copy of the web page put before the title: the title is read without it.
fn without_blank_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim_start_matches('#').trim_start())
        .collect()
}

#[test]
fn render_reproduces_the_seeds_line_for_line() {
    for (name, source) in [("yuexiu.txt", YUEXIU), ("huadu.txt", HUADU)] {
        let parsed = parse(name, source);
        let rendered = render_department_list(&parsed.documents);
        assert_eq!(
            without_blank_lines(&rendered),
            without_blank_lines(source),
            "{name}"
        );
    }
}

/// Indicators that carry no published text (as from other layouts) are written in the coded
/// dialect, and that text reads back to the same categories, names and values.
#[test]
fn synthesised_indicators_read_back() {
    let parsed = parse("huadu.txt", HUADU);
    let mut document = one(&parsed).clone();
    for unit in &mut document.units {
        for project in &mut unit.projects {
            for indicator in &mut project.indicators {
                indicator.raw = Default::default();
            }
        }
    }
    let rendered = render_department_list(std::slice::from_ref(&document));
    let reparsed = parse("rendered.txt", &rendered);
    let again = one(&reparsed);
    let before: Vec<_> = document
        .projects()
        .flat_map(|(_, p)| &p.indicators)
        .collect();
    let after: Vec<_> = again.projects().flat_map(|(_, p)| &p.indicators).collect();
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.name.text, b.name.text);
        assert_eq!(
            a.level1.as_ref().map(|c| &c.name),
            b.level1.as_ref().map(|c| &c.name)
        );
        assert_eq!(
            a.level2.as_ref().map(|c| &c.code),
            b.level2.as_ref().map(|c| &c.code)
        );
        assert_eq!(
            a.annual.as_ref().map(|v| (&v.raw, &v.kind)),
            b.annual.as_ref().map(|v| (&v.raw, &v.kind))
        );
    }
}

const SMALL: &str = "项目支出绩效目标表\n部门名称：测试局\n单位：万元\n项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n测试局\t10.00\t10.00\t\t\t\t\n培训项目\t10.00\t10.00\t\t\t开展培训。\t1、产出指标：培训人次，年度指标值：≥100人次。2、满意度指标：学员满意度，年度指标值：≥90%。\n";

fn small_counts(parsed: &Parsed) -> (usize, usize, usize) {
    let document = one(parsed);
    (
        document.units.len(),
        document.projects().count(),
        document.indicator_count(),
    )
}

#[test]
fn crlf_input() {
    let parsed = parse("crlf.txt", &SMALL.replace('\n', "\r\n"));
    assert_eq!(small_counts(&parsed), (1, 1, 2));
    let indicator = &one(&parsed).units[0].projects[0].indicators[1];
    assert_eq!(
        indicator.annual.as_ref().map(|v| v.raw.as_str()),
        Some("≥90%")
    );
}

#[test]
fn bom_input() {
    let parsed = parse("bom.txt", &format!("\u{feff}{SMALL}"));
    assert_eq!(small_counts(&parsed), (1, 1, 2));
    assert_eq!(parsed.encoding, "UTF-8");
}

#[test]
fn gbk_input() {
    let (bytes, _, _) = encoding_rs::GBK.encode(SMALL);
    let parsed = parse_bytes("gbk.txt", &bytes, &Profile::builtin()).expect("readable");
    assert_eq!(parsed.encoding, "GBK");
    assert_eq!(one(&parsed).encoding, "GBK");
    assert_eq!(small_counts(&parsed), (1, 1, 2));
    assert!(
        parsed
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Encoding)
    );
    assert_eq!(
        one(&parsed).units[0].projects[0].name.text,
        "培训项目",
        "decoded correctly"
    );
}

#[test]
fn page_broken_row_is_joined_and_reported() {
    let broken = SMALL.replace("年度指标值：≥90%", "年度指\n\n标值：≥90%");
    let parsed = parse("broken.txt", &broken);
    assert_eq!(small_counts(&parsed), (1, 1, 2));
    let indicator = &one(&parsed).units[0].projects[0].indicators[1];
    assert_eq!(
        indicator.annual.as_ref().map(|v| v.raw.as_str()),
        Some("≥90%")
    );
    assert_eq!(indicator.annual.as_ref().map(|v| v.span.line), Some(8));
    let joined: Vec<_> = parsed
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::JoinedRow)
        .collect();
    assert_eq!(joined.len(), 1);
    assert!(
        joined[0].message.contains("第6行至第8行"),
        "{}",
        joined[0].message
    );
}

#[test]
fn page_break_inside_the_goal_is_joined() {
    let broken = SMALL.replace("开展培训。", "开展\n培训。");
    let parsed = parse("broken-goal.txt", &broken);
    assert_eq!(small_counts(&parsed), (1, 1, 2));
    let project = &one(&parsed).units[0].projects[0];
    assert_eq!(
        project.goal.as_ref().map(|g| g.text.as_str()),
        Some("开展培训。")
    );
}

#[test]
fn truncated_last_row_keeps_what_is_there() {
    let cut = SMALL
        .find("2、满意度指标")
        .map(|i| &SMALL[..i + "2、满意度指标：学员".len()])
        .expect("found");
    let parsed = parse("cut.txt", cut);
    let project = &one(&parsed).units[0].projects[0];
    assert_eq!(project.indicators.len(), 2);
    assert_eq!(
        project.indicators[0]
            .annual
            .as_ref()
            .map(|v| v.raw.as_str()),
        Some("≥100人次")
    );
    assert!(
        parsed
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::UnreadableIndicators && p.span.line == 6),
        "{:#?}",
        parsed.problems
    );

    let without_indicators = SMALL.split("\t1、").next().expect("head");
    let parsed = parse("cut2.txt", without_indicators);
    assert!(
        parsed
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::TruncatedRow)
    );
}

#[test]
fn missing_trailing_tabs_and_half_width_punctuation() {
    let text = "部门名称:测试局\n单位:万元\n项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标\n测试局\t1,210.00\t1,210.00\n项目甲\t1,210.00\t1,210.00\t\t\t“做好某项工作。”\t1、产出指标:办理业务数量,年度指标值:≥1,000件。2、效益指标:群众办事更便捷，更高效,年度指标值:有效提升。\n";
    let parsed = parse("half.txt", text);
    let document = one(&parsed);
    assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
    assert_eq!(
        document.units[0].amounts.total.as_ref().map(|a| a.value),
        Some(decimal("1210"))
    );
    let project = &document.units[0].projects[0];
    assert_eq!(
        project.goal.as_ref().map(|g| g.text.as_str()),
        Some("“做好某项工作。”")
    );
    assert_eq!(project.indicators[1].name.text, "群众办事更便捷，更高效");
    assert_eq!(
        project.indicators[0]
            .annual
            .as_ref()
            .map(|v| v.raw.as_str()),
        Some("≥1,000件")
    );
}

#[test]
fn coded_dialect_with_a_name_containing_separators() {
    let text = SMALL.replace(
        "1、产出指标：培训人次，年度指标值：≥100人次。2、满意度指标：学员满意度，年度指标值：≥90%。",
        "1、1-产出指标；11-数量指标；培训（含线上，线下。）人次；实施周期指标值：≥300人次；年度指标值：≥100人次。2、3-满意度指标；31-服务对象满意度；学员满意度；实施周期指标值:=100%；年度指标值:=100%。",
    );
    let parsed = parse("coded.txt", &text);
    let project = &one(&parsed).units[0].projects[0];
    assert_eq!(project.indicators.len(), 2);
    assert_eq!(
        project.indicators[0].name.text,
        "培训（含线上，线下。）人次"
    );
    assert_eq!(
        project.indicators[0]
            .period
            .as_ref()
            .map(|v| v.raw.as_str()),
        Some("≥300人次")
    );
    assert_eq!(
        project.indicators[1]
            .level2
            .as_ref()
            .map(|c| c.code.as_deref()),
        Some(Some("31"))
    );
}

#[test]
fn two_tables_in_one_file_are_two_documents() {
    let text = format!("{SMALL}\n{}", SMALL.replace("测试局", "另一局"));
    let parsed = parse("two.txt", &text);
    assert_eq!(parsed.documents.len(), 2);
    assert_eq!(
        parsed.documents[1]
            .department
            .as_ref()
            .map(|d| d.text.as_str()),
        Some("另一局")
    );
}

#[test]
fn unreadable_cells_are_reported_not_dropped() {
    let text = SMALL
        .replace("\t10.00\t10.00\t\t\t开展", "\t十万\t10.00\t\t\t开展")
        .replace(
            "1、产出指标：培训人次，年度指标值：≥100人次。2、满意度指标：学员满意度，年度指标值：≥90%。",
            "培训若干人次",
        );
    let parsed = parse("bad.txt", &text);
    let kinds: Vec<_> = parsed.problems.iter().map(|p| p.kind).collect();
    assert!(kinds.contains(&ProblemKind::UnreadableAmount), "{kinds:?}");
    assert!(
        kinds.contains(&ProblemKind::UnreadableIndicators),
        "{kinds:?}"
    );
    let project = &one(&parsed).units[0].projects[0];
    assert_eq!(
        project.indicator_cell.as_ref().map(|c| c.text.as_str()),
        Some("培训若干人次"),
        "the cell is kept"
    );
}

#[test]
fn empty_binary_and_tableless_input_are_errors() {
    let profile = Profile::builtin();
    assert!(matches!(
        parse_bytes("empty.txt", b"", &profile),
        Err(ReadError::Empty { .. })
    ));
    let error =
        parse_bytes("x.pdf", b"%PDF-1.7\n\x00\x01\x02\x03binary", &profile).expect_err("binary");
    assert!(matches!(
        error,
        ReadError::Container(
            ContainerError::CorruptPdf { .. } | ContainerError::PdfToolMissing { .. }
        )
    ));
    assert!(error.to_string().contains("x.pdf"));
    let error = parse_bytes("notes.txt", "会议纪要\n今天开会。".as_bytes(), &profile)
        .expect_err("no table");
    assert!(error.to_string().contains("未找到绩效目标表"), "{error}");
}

/// Every project of the seeds written as a project sheet reads back to the same indicators: name,
/// value, 一级 and 二级, in order.
#[test]
fn project_sheets_rendered_from_the_seeds_read_back() {
    use jixiao_parse::render_project_sheets;
    for (name, source) in [("yuexiu.txt", YUEXIU), ("huadu.txt", HUADU)] {
        let parsed = parse(name, source);
        let rendered = render_project_sheets(&parsed.documents);
        let again = parse("sheets.txt", &rendered);
        let indicators = |documents: &[Document]| -> Vec<(String, String, String, String)> {
            documents
                .iter()
                .flat_map(|d| d.projects())
                .flat_map(|(_, p)| &p.indicators)
                .map(|i| {
                    (
                        i.name.text.to_string(),
                        i.annual
                            .as_ref()
                            .map_or(String::new(), |v| v.raw.to_string()),
                        i.level1
                            .as_ref()
                            .map_or(String::new(), |c| c.name.to_string()),
                        i.level2
                            .as_ref()
                            .map_or(String::new(), |c| c.name.to_string()),
                    )
                })
                .collect()
        };
        let projects = |documents: &[Document]| -> Vec<String> {
            documents
                .iter()
                .flat_map(|d| d.projects())
                .map(|(_, p)| p.name.text.to_string())
                .collect()
        };
        assert_eq!(
            projects(&again.documents),
            projects(&parsed.documents),
            "{name}"
        );
        assert_eq!(
            indicators(&again.documents),
            indicators(&parsed.documents),
            "{name}"
        );
    }
}
