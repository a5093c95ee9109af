//! The 指标值 grammar: every form seen in published tables, and properties over generated input.

use std::str::FromStr;

use jixiao_model::{Comparator, Deadline, Quantity, Scale, ValueKind};
use jixiao_parse::parse_value;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// What a quantitative value is expected to read as:
/// `(raw, comparator, comparator_raw, number, scale, unit, subject, trailing)`.
type Expected = (
    &'static str,
    Option<Comparator>,
    &'static str,
    &'static str,
    Option<Scale>,
    Option<&'static str>,
    &'static str,
    &'static str,
);

use Comparator::{Approx, Eq, Ge, Gt, Le, Lt};
use Scale::{HundredMillion, TenThousand};

#[rustfmt::skip]
const QUANTITIES: &[Expected] = &[
    (">75%", Some(Gt), ">", "75", None, Some("%"), "", ""),
    ("≥97%", Some(Ge), "≥", "97", None, Some("%"), "", ""),
    ("不低于95%", Some(Ge), "不低于", "95", None, Some("%"), "", ""),
    ("不少于1次", Some(Ge), "不少于", "1", None, Some("次"), "", ""),
    ("大于等于1家", Some(Ge), "大于等于", "1", None, Some("家"), "", ""),
    ("=2872.52元/人.月", Some(Eq), "=", "2872.52", None, Some("元/人.月"), "", ""),
    ("不低于15000人/每年", Some(Ge), "不低于", "15000", None, Some("人/每年"), "", ""),
    ("≤35.4万元", Some(Le), "≤", "35.4", None, Some("万元"), "", ""),
    ("≥3个亿", Some(Ge), "≥", "3", Some(HundredMillion), None, "", ""),
    ("1.2万", None, "", "1.2", Some(TenThousand), None, "", ""),
    ("约6次", Some(Approx), "约", "6", None, Some("次"), "", ""),
    ("0", None, "", "0", None, None, "", ""),
    ("255", None, "", "255", None, None, "", ""),
    ("100%", None, "", "100", None, Some("%"), "", ""),
    (":=100%", Some(Eq), ":=", "100", None, Some("%"), "", ""),
    ("：=100%", Some(Eq), "：=", "100", None, Some("%"), "", ""),
    (">=90%", Some(Ge), ">=", "90", None, Some("%"), "", ""),
    ("≧100", Some(Ge), "≧", "100", None, None, "", ""),
    // OCR's `≥`.
    ("工5%", Some(Ge), "工", "5", None, Some("%"), "", ""),
    ("^80%", Some(Ge), "^", "80", None, Some("%"), "", ""),
    ("﹦100", Some(Eq), "﹦", "100", None, None, "", ""),
    ("═100", Some(Eq), "═", "100", None, None, "", ""),
    ("＞＝95％", Some(Ge), "＞＝", "95", None, Some("％"), "", ""),
    ("≥100百分比", Some(Ge), "≥", "100", None, Some("百分比"), "", ""),
    ("≥ 95 %", Some(Ge), "≥", "95", None, Some("%"), "", ""),
    ("95%以上", Some(Ge), "以上", "95", None, Some("%"), "", ""),
    ("5天以内", Some(Le), "以内", "5", None, Some("天"), "", ""),
    ("10万元以下", Some(Le), "以下", "10", None, Some("万元"), "", ""),
    ("6次左右", Some(Approx), "左右", "6", None, Some("次"), "", ""),
    ("(≥**%)85", Some(Ge), "≥", "85", None, Some("%"), "", ""),
    ("（≥**%）85", Some(Ge), "≥", "85", None, Some("%"), "", ""),
    ("≤1%", Some(Le), "≤", "1", None, Some("%"), "", ""),
    ("≥1", Some(Ge), "≥", "1", None, None, "", ""),
    ("≥80M", Some(Ge), "≥", "80", None, Some("M"), "", ""),
    ("10辆", None, "", "10", None, Some("辆"), "", ""),
    ("250万", None, "", "250", Some(TenThousand), None, "", ""),
    ("26.21万", None, "", "26.21", Some(TenThousand), None, "", ""),
    ("63人", None, "", "63", None, Some("人"), "", ""),
    ("≥90%", Some(Ge), "≥", "90", None, Some("%"), "", ""),
    ("=100%", Some(Eq), "=", "100", None, Some("%"), "", ""),
    ("100分", None, "", "100", None, Some("分"), "", ""),
    ("2872.52元/人.月", None, "", "2872.52", None, Some("元/人.月"), "", ""),
    ("≥1.5万人次", Some(Ge), "≥", "1.5", Some(TenThousand), Some("人次"), "", ""),
    ("不超过30个工作日", Some(Le), "不超过", "30", None, Some("个工作日"), "", ""),
    ("不高于5%", Some(Le), "不高于", "5", None, Some("%"), "", ""),
    ("不多于3次", Some(Le), "不多于", "3", None, Some("次"), "", ""),
    ("小于等于2天", Some(Le), "小于等于", "2", None, Some("天"), "", ""),
    ("大于95%", Some(Gt), "大于", "95", None, Some("%"), "", ""),
    ("超过90%", Some(Gt), "超过", "90", None, Some("%"), "", ""),
    ("高于80%", Some(Gt), "高于", "80", None, Some("%"), "", ""),
    ("低于5%", Some(Lt), "低于", "5", None, Some("%"), "", ""),
    ("小于3次", Some(Lt), "小于", "3", None, Some("次"), "", ""),
    ("不小于10场", Some(Ge), "不小于", "10", None, Some("场"), "", ""),
    ("村组干部230人", None, "", "230", None, Some("人"), "村组干部", ""),
    ("促进创业600人以上", Some(Ge), "以上", "600", None, Some("人"), "促进创业", ""),
    ("赴安顺不少于1次", Some(Ge), "不少于", "1", None, Some("次"), "赴安顺", ""),
    // Thousands separators, full-width digits, blanks and a closing full stop.
    ("15,000人", None, "", "15000", None, Some("人"), "", ""),
    ("34,139.95", None, "", "34139.95", None, None, "", ""),
    ("≥９５％", Some(Ge), "≥", "95", None, Some("％"), "", ""),
    ("  ≥95%。 ", Some(Ge), "≥", "95", None, Some("%"), "", ""),
    ("≥95%.", Some(Ge), "≥", "95", None, Some("%"), "", ""),
    // Money units and unit-initial scale characters.
    ("3亿元", None, "", "3", None, Some("亿元"), "", ""),
    ("5千元", None, "", "5", None, Some("千元"), "", ""),
    ("5千米", None, "", "5", None, Some("千米"), "", ""),
    ("3个百分点", None, "", "3", None, Some("个百分点"), "", ""),
    ("1.5万人", None, "", "1.5", Some(TenThousand), Some("人"), "", ""),
    // More postfixes, weak 控制在, colon after a subject, negative numbers, ranges.
    ("3个工作日内", Some(Le), "内", "3", None, Some("个工作日"), "", ""),
    ("10日内", Some(Le), "内", "10", None, Some("日"), "", ""),
    ("90%及以上", Some(Ge), "及以上", "90", None, Some("%"), "", ""),
    ("10人上下", Some(Approx), "上下", "10", None, Some("人"), "", ""),
    ("控制在5%以内", Some(Le), "以内", "5", None, Some("%"), "", ""),
    ("控制在5%", Some(Le), "控制在", "5", None, Some("%"), "", ""),
    ("不低于95%以上", Some(Ge), "不低于", "95", None, Some("%"), "", ""),
    ("人数：10人", None, "", "10", None, Some("人"), "人数", ""),
    ("人数：≥10人", Some(Ge), "：≥", "10", None, Some("人"), "人数", ""),
    ("-5%", None, "", "-5", None, Some("%"), "", ""),
    ("90%-95%", None, "", "90", None, Some("%"), "", "-95%"),
    ("≤10万元（含）", Some(Le), "≤", "10", None, Some("万元"), "", "（含）"),
    ("≥95%，确保完成", Some(Ge), "≥", "95", None, Some("%"), "", "，确保完成"),
    ("节约资金10万元", None, "", "10", None, Some("万元"), "节约资金", ""),
    ("每年1次", None, "", "1", None, Some("次"), "每年", ""),
];

#[test]
fn quantitative_forms() {
    for &(raw, comparator, comparator_raw, number, scale, unit, subject, trailing) in QUANTITIES {
        let expected = Quantity {
            comparator,
            comparator_raw: comparator_raw.into(),
            number: Decimal::from_str(number).expect("test number"),
            subject: subject.into(),
            unit: unit.map(Into::into),
            scale,
            trailing: trailing.into(),
        };
        assert_eq!(
            parse_value(raw),
            ValueKind::Quantitative(expected),
            "parsing {raw:?}"
        );
    }
}

#[test]
fn canonical_rendering() {
    let cases = [
        ("不低于95%", "≥95%"),
        ("约6次", "≈6次"),
        ("≥3个亿", "≥3亿"),
        ("＞＝95％", "≥95％"),
        ("95%以上", "≥95%"),
        ("赴安顺不少于1次", "赴安顺≥1次"),
    ];
    for (raw, rendered) in cases {
        let ValueKind::Quantitative(q) = parse_value(raw) else {
            panic!("{raw:?} is not quantitative");
        };
        assert_eq!(q.to_string(), rendered, "rendering {raw:?}");
    }
}

fn deadline(month: Option<u8>, day: Option<u8>, recurring: bool, occasions: &[&str]) -> ValueKind {
    ValueKind::Deadline(Deadline {
        month,
        day,
        recurring,
        occasions: occasions.iter().map(|o| (*o).to_owned()).collect(),
    })
}

#[test]
fn deadline_forms() {
    let cases = [
        ("11月30日前完成", deadline(Some(11), Some(30), false, &[])),
        ("每月25日前", deadline(None, Some(25), true, &[])),
        ("每月25号之前", deadline(None, Some(25), true, &[])),
        (
            "春节、中秋节前",
            deadline(None, None, false, &["春节", "中秋节"]),
        ),
        (
            "元旦和春节前",
            deadline(None, None, false, &["元旦", "春节"]),
        ),
        ("春节期间", deadline(None, None, false, &["春节"])),
        ("12月底到位", deadline(Some(12), None, false, &[])),
        ("12月底前", deadline(Some(12), None, false, &[])),
        ("年底前完成", deadline(Some(12), None, false, &[])),
        ("2023年12月31日前", deadline(Some(12), Some(31), false, &[])),
        ("2023年底前完成", deadline(Some(12), None, false, &[])),
        ("6月前", deadline(Some(6), None, false, &[])),
        ("截止12月31日", deadline(Some(12), Some(31), false, &[])),
        ("于6月底前完成资金拨付", deadline(Some(6), None, false, &[])),
        ("25日前", deadline(None, Some(25), false, &[])),
        ("每季度末", deadline(None, None, true, &[])),
        ("每年12月底前", deadline(Some(12), None, true, &[])),
        ("按季度拨付", deadline(None, None, true, &[])),
        ("按月发放", deadline(None, None, true, &[])),
        ("上半年完成", deadline(Some(6), None, false, &[])),
        ("年内完成", deadline(None, None, false, &[])),
        ("2023年", deadline(None, None, false, &[])),
        ("2021年1月-12月", deadline(Some(12), None, false, &[])),
        ("1-12月", deadline(Some(12), None, false, &[])),
        ("2023.07-2024.01", deadline(Some(1), None, false, &[])),
        ("１１月３０日前", deadline(Some(11), Some(30), false, &[])),
    ];
    for (raw, expected) in cases {
        assert_eq!(parse_value(raw), expected, "parsing {raw:?}");
    }
}

fn reference(reference: &str) -> ValueKind {
    ValueKind::Reference {
        reference: reference.into(),
    }
}

#[test]
fn reference_forms() {
    let cases = [
        ("年度控制数", "年度控制数"),
        ("预算控制数以内", "预算控制数"),
        ("穗人社函〔2020〕73号标准", "穗人社函〔2020〕73号"),
        ("按照穗人社函〔2020〕73号文执行", "穗人社函〔2020〕73号"),
        ("按省定标准", "省定标准"),
        ("按政策标准执行", "政策标准"),
        ("按照相关文件规定", "相关文件规定"),
        ("按年度预算执行", "年度预算"),
        ("根据文件奖补类型执行", "文件奖补类型"),
        ("严格按照预算标准1000元/人给补助对象兑付补助", "预算标准"),
        ("控制在批复资金内", "批复资金"),
        ("控制在预算范围内", "预算"),
        ("控制在预算成本内", "预算成本"),
        ("以财政批复为准", "财政批复"),
        ("不低于上年水平", "上年水平"),
        ("≤预算数", "预算数"),
        (
            "大于等于当年度高层次人才认定数量的10%",
            "当年度高层次人才认定数量的10%",
        ),
    ];
    for (raw, expected) in cases {
        assert_eq!(parse_value(raw), reference(expected), "parsing {raw:?}");
    }
}

#[test]
fn qualitative_forms() {
    let cases = [
        "是",
        "合规",
        "有效",
        "优良",
        "长期",
        "完成",
        "减少",
        "无",
        "N/A",
        "按时发放",
        "按要求完成",
        "春节",
        "控制在合理范围内",
        "≥良好",
        "自愿参加城乡居民医保人群增加",
        "通过发放该补贴，保障自谋职业随军家属的基本生活",
        "通过发放该补贴，保障自谋职业随军家属的基本生活。",
        "除节假日等特殊情况下，发生故障后，100%当天启动处理程序",
        "100%当天启动处理程序",
        "2023年购买13台安可电脑",
    ];
    for raw in cases {
        assert_eq!(parse_value(raw), ValueKind::Qualitative, "parsing {raw:?}");
    }
}

#[test]
fn empty_forms() {
    for raw in [
        "", "   ", "\u{3000}", "/", "—", "——", "-", "*", "。", "≥", "%",
    ] {
        assert_eq!(parse_value(raw), ValueKind::Empty, "parsing {raw:?}");
    }
}

#[test]
fn compound_with_byte_ranges() {
    let raw = "赴安顺不少于1次，赴遂溪不少于2次";
    let ValueKind::Compound { parts } = parse_value(raw) else {
        panic!("not compound");
    };
    assert_eq!(parts.len(), 2);
    let subjects = ["赴安顺", "赴遂溪"];
    for ((part, subject), number) in parts.iter().zip(subjects).zip([1, 2]) {
        assert_eq!(&raw[part.start as usize..part.end as usize], part.raw);
        let ValueKind::Quantitative(q) = &part.kind else {
            panic!("part {:?} is not quantitative", part.raw);
        };
        assert_eq!(q.subject, subject);
        assert_eq!(q.comparator, Some(Ge));
        assert_eq!(q.number, Decimal::from(number));
        assert_eq!(q.unit.as_deref(), Some("次"));
    }
    assert_eq!(parts[0].raw, "赴安顺不少于1次");
    assert_eq!((parts[1].start, parts[1].end), (25, 47));
}

#[test]
fn compound_keeps_every_part_and_offsets_into_raw() {
    let raw = " ≥95%；6月前完成；群众满意 ";
    let ValueKind::Compound { parts } = parse_value(raw) else {
        panic!("not compound");
    };
    let kinds: Vec<_> = parts
        .iter()
        .map(|p| jixiao_model::value_kind_name(&p.kind))
        .collect();
    assert_eq!(parts.len(), 3, "{kinds:?}");
    assert!(matches!(parts[0].kind, ValueKind::Quantitative(_)));
    assert!(matches!(parts[1].kind, ValueKind::Deadline(_)));
    assert_eq!(parts[2].kind, ValueKind::Qualitative);
    for part in &parts {
        assert_eq!(&raw[part.start as usize..part.end as usize], part.raw);
    }
}

#[test]
fn compound_keeps_occasion_lists_whole() {
    let ValueKind::Compound { parts } = parse_value("春节、中秋节前；≥95%") else {
        panic!("not compound");
    };
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].raw, "春节、中秋节前");
    assert_eq!(
        parts[0].kind,
        deadline(None, None, false, &["春节", "中秋节"])
    );
}

#[test]
fn not_compound_with_one_target() {
    // One target among words, a thousands comma, a list of occasions.
    assert!(matches!(
        parse_value("≥95%，确保完成"),
        ValueKind::Quantitative(_)
    ));
    assert!(matches!(
        parse_value("15,000人"),
        ValueKind::Quantitative(_)
    ));
    assert!(matches!(
        parse_value("春节、中秋节前"),
        ValueKind::Deadline(_)
    ));
}

// ---------------------------------------------------------------------------------------------
// Properties

const COMPARATORS: &[(&str, Option<Comparator>)] = &[
    ("", None),
    ("≥", Some(Ge)),
    ("≧", Some(Ge)),
    (">=", Some(Ge)),
    ("＞＝", Some(Ge)),
    ("不低于", Some(Ge)),
    ("不少于", Some(Ge)),
    ("大于等于", Some(Ge)),
    ("不小于", Some(Ge)),
    ("≤", Some(Le)),
    ("<=", Some(Le)),
    ("不高于", Some(Le)),
    ("不超过", Some(Le)),
    ("不多于", Some(Le)),
    ("小于等于", Some(Le)),
    (">", Some(Gt)),
    ("＞", Some(Gt)),
    ("大于", Some(Gt)),
    ("超过", Some(Gt)),
    ("高于", Some(Gt)),
    ("<", Some(Lt)),
    ("小于", Some(Lt)),
    ("低于", Some(Lt)),
    ("=", Some(Eq)),
    ("﹦", Some(Eq)),
    ("═", Some(Eq)),
    (":=", Some(Eq)),
    ("等于", Some(Eq)),
    ("约", Some(Approx)),
    ("≈", Some(Approx)),
];

#[rustfmt::skip]
const UNITS: &[&str] = &[
    "%", "％", "人", "次", "家", "个", "元/人.月", "人/每年", "人次", "万元", "亿元", "个工作日",
    "天", "场", "辆", "分", "百分比", "元", "M", "台", "份", "节", "名", "户", "平方米", "公里",
];

/// Comparator words after the unit, tried when there is none before the number.
const POSTFIXES: &[(&str, Option<Comparator>)] = &[
    ("", None),
    ("以上", Some(Ge)),
    ("及以上", Some(Ge)),
    ("以下", Some(Le)),
    ("以内", Some(Le)),
    ("左右", Some(Approx)),
];

const SUBJECTS: &[&str] = &["", "赴安顺", "村组干部", "培训"];

/// A comparator written before the number or after the unit: `(before, after, comparator)`.
fn comparator_strategy() -> impl Strategy<Value = (&'static str, &'static str, Option<Comparator>)>
{
    prop_oneof![
        3 => prop::sample::select(COMPARATORS).prop_map(|(word, c)| (word, "", c)),
        1 => prop::sample::select(POSTFIXES).prop_map(|(word, c)| ("", word, c)),
    ]
}

fn scale_strategy() -> impl Strategy<Value = Option<Scale>> {
    prop_oneof![
        Just(None),
        Just(Some(Scale::Hundred)),
        Just(Some(Scale::Thousand)),
        Just(Some(TenThousand)),
        Just(Some(HundredMillion)),
    ]
}

fn number_strategy() -> impl Strategy<Value = Decimal> {
    (-10_000_000_000i64..10_000_000_000, 0u32..6)
        .prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

/// A scale word and a unit that, written one after the other, do not make a different unit:
/// `万` + `元` reads as the unit `万元`, `百` + `分` as the start of `百分比`.
fn scale_and_unit() -> impl Strategy<Value = (Option<Scale>, Option<&'static str>)> {
    (
        scale_strategy(),
        prop::option::of(prop::sample::select(UNITS)),
    )
        .prop_map(|(scale, unit)| {
            let clash = match (scale, unit) {
                (Some(Scale::Hundred), Some(u)) => u.starts_with('分'),
                (Some(_), Some(u)) => u.starts_with('元'),
                _ => false,
            };
            (scale, if clash { None } else { unit })
        })
}

/// Pieces values are made of.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "≥", "≤", ">=", "＞＝", ":=", "：", "=", "不低于", "大于", "约", "以上", "以内", "左右",
    "控制在", "按照", "每月", "月", "日", "前", "底", "年", "春节", "、", "，", ",", "；", "。",
    ".", "%", "％", "万", "亿", "个", "元", "人次", "〔", "〕", "号", "(", "）", "*", "-", " ",
    "\u{3000}", "0", "1", "9", "25", "2023", "１２", "99999999999999999999999999999999", "标准",
    "内", "数", "\u{feff}",
];

/// Text mixing the pieces values are made of.
fn value_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_text(raw in ".*") {
        let _ = parse_value(&raw);
    }

    #[test]
    fn never_panics_on_value_like_text(raw in value_like()) {
        let kind = parse_value(&raw);
        if let ValueKind::Compound { parts } = &kind {
            for part in parts {
                prop_assert_eq!(raw.get(part.start as usize..part.end as usize), Some(part.raw.as_str()));
            }
        }
    }

    #[test]
    fn quantities_read_back_from_their_rendering(
        (before, after, comparator) in comparator_strategy(),
        subject in prop::sample::select(SUBJECTS),
        number in number_strategy(),
        (scale, unit) in scale_and_unit(),
    ) {
        // A bare `2023.10` is read as a date (year and month), not a number.
        let bare = before.is_empty()
            && after.is_empty()
            && subject.is_empty()
            && scale.is_none()
            && unit.is_none();
        let year = number.trunc();
        prop_assume!(!(bare && number.scale() > 0 && year >= Decimal::from(1900) && year <= Decimal::from(2100)));
        let raw = format!(
            "{subject}{before}{number}{}{}{after}",
            scale.map_or("", Scale::word),
            unit.unwrap_or(""),
        );
        let ValueKind::Quantitative(q) = parse_value(&raw) else {
            return Err(TestCaseError::fail(format!("{raw:?} is not quantitative")));
        };
        prop_assert_eq!(q.comparator, comparator, "comparator of {:?}", raw);
        prop_assert_eq!(q.comparator_raw.as_str(), if after.is_empty() { before } else { after });
        prop_assert_eq!(q.number, number);
        prop_assert_eq!(q.scale, scale);
        prop_assert_eq!(q.unit.as_deref(), unit);
        prop_assert_eq!(q.subject.as_str(), subject);
        prop_assert_eq!(q.trailing.as_str(), "");

        let rendered = q.to_string();
        let ValueKind::Quantitative(again) = parse_value(&rendered) else {
            return Err(TestCaseError::fail(format!("{rendered:?} is not quantitative")));
        };
        prop_assert_eq!(
            Quantity { comparator_raw: Default::default(), ..again },
            Quantity { comparator_raw: Default::default(), ..q },
            "{:?} rendered as {:?}", raw, rendered
        );
    }
}
