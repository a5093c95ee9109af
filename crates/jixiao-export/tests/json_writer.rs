//! The hand-written JSON writer writes what `serde_json` writes for the model, pretty and
//! compact, on every example, seed, sample and variation, and on a document that has every
//! optional part of the model.

use jixiao_export::{push_document_json, push_document_json_compact};
use jixiao_model::{Document, Profile};

mod support;
use support::read_dir;

fn assert_same(document: &Document) {
    let mut pretty = Vec::new();
    push_document_json(&mut pretty, document, 0);
    let expected = serde_json::to_string_pretty(document).expect("serializes");
    assert!(
        pretty == expected.as_bytes(),
        "{}: pretty JSON differs",
        document.source
    );
    // Deeper in, every line after the first is indented more (JSON strings hold no line end),
    // past the depth the writer copies indentation in one block too.
    let pretty = String::from_utf8(pretty).expect("UTF-8");
    for level in [2, 40] {
        let mut nested = Vec::new();
        push_document_json(&mut nested, document, level);
        let expected = pretty.replace('\n', &format!("\n{}", " ".repeat(2 * level)));
        assert!(
            nested == expected.as_bytes(),
            "{}: pretty JSON at depth {level} differs",
            document.source
        );
    }
    let mut compact = Vec::new();
    push_document_json_compact(&mut compact, document);
    let expected = serde_json::to_string(document).expect("serializes");
    assert!(
        compact == expected.as_bytes(),
        "{}: compact JSON differs",
        document.source
    );
}

#[test]
fn writes_what_serde_writes_for_every_table_read() {
    let profile = Profile::builtin();
    let mut documents = 0;
    for dir in [
        "examples",
        "../shared/seeds",
        "../shared/samples",
        "../shared/variations",
    ] {
        for (name, bytes) in read_dir(dir) {
            if let Ok(parsed) = jixiao_parse::parse_bytes(&name, &bytes, &profile) {
                for document in &parsed.documents {
                    assert_same(document);
                    documents += 1;
                }
            }
        }
    }
    assert!(documents >= 2, "{documents} documents");
}

/// A document with every optional part: details, evaluations, cells, deadlines, compound and
/// reference values, inferred categories, a truncation, and texts JSON escapes.
#[test]
fn writes_what_serde_writes_for_every_part_of_the_model() {
    let span = |line: u32| {
        format!(
            r#"{{"file":"表\"1\".xlsx","line":{line},"start":0,"end":3,"cell":{{"sheet":"Sheet1","page":2,"row":{line},"col":4}}}}"#
        )
    };
    let plain = r#"{"file":"a\\b.txt","line":1,"start":0,"end":0}"#;
    let text = |t: &str, line: u32| format!(r#"{{"text":"{t}","span":{}}}"#, span(line));
    let amount = |v: &str| format!(r#"{{"value":"{v}","raw":"{v}","span":{plain}}}"#);
    let value = |kind: &str| format!(r#"{{"raw":"值\t\u0001","span":{plain},"kind":{kind}}}"#);
    let quantity = r#"{"kind":"quantitative","comparator":"ge","comparator_raw":"不少于","number":"1.20","subject":"赴安顺","unit":"万元","scale":"万","trailing":"（含）"}"#;
    let bare = r#"{"kind":"quantitative","comparator":null,"number":"-0.5"}"#;
    let deadline =
        r#"{"kind":"deadline","month":11,"day":30,"recurring":true,"occasions":["春节","中秋节"]}"#;
    let compound = format!(
        r#"{{"kind":"compound","parts":[{{"raw":"a","start":0,"end":1,"kind":{quantity}}},{{"raw":"b","start":2,"end":3,"kind":{{"kind":"qualitative"}}}}]}}"#
    );
    let reference = r#"{"kind":"reference","reference":"穗人社函〔2020〕73号"}"#;
    let category = format!(
        r#"{{"name":"产出指标","code":"1","raw":"1-产出指标","inferred":{{"rule":"r1","reason":"名称含“及时”"}},"span":{plain}}}"#
    );
    let field = format!(r#"{{"label":"项目属性","value":{}}}"#, text("延续项目", 3));
    let indicator = format!(
        r#"{{"seq":1,"level1":{category},"level2":{{"name":"数量指标"}},"name":{},"annual":{},"period":{},"raw":"1、…","span":{plain},"details":{{"nature":{},"measure_unit":{},"weight":{},"direction":{},"standard":{},"actual":{},"score":{},"deviation":{},"fields":[{field}]}}}}"#,
        text(r#"培训\"人次\""#, 4),
        value(quantity),
        value(deadline),
        text("≥", 5),
        text("%", 5),
        amount("10"),
        text("正向", 5),
        text("标准", 5),
        value(&compound),
        amount("9.5"),
        text("原因", 5),
    );
    let others = [
        bare,
        reference,
        r#"{"kind":"empty"}"#,
        r#"{"kind":"qualitative"}"#,
    ]
    .map(|kind| {
        format!(
            r#"{{"seq":2,"name":{},"annual":{},"raw":"","span":{plain},"details":{{}}}}"#,
            text("名", 6),
            value(kind)
        )
    })
    .join(",");
    let project = format!(
        r#"{{"name":{},"amounts":{{"total":{},"other":{}}},"goal":{},"indicator_cell":{},"indicators":[{indicator},{others}],"span":{plain},"details":{{"department":{},"implementer":{},"period":{},"long_term_goal":{},"achieved_goal":{},"funding":[{{"label":{},"column":"年度资金总额","amount":{}}},{{"label":{},"amount":{}}}],"fields":[{field}]}},"evaluation":{{"budget":[{{"label":{},"initial":{},"adjusted":{},"executed":{},"weight":{},"rate":{},"score":{}}},{{"label":{}}}],"total_score":{},"grade":{},"remarks":[{field}]}}}}"#,
        text("项目", 7),
        amount("34139.95"),
        amount("0.00"),
        text(r"目标\n第二行", 7),
        text("1、…", 7),
        text("部门", 8),
        text("单位", 8),
        text("长期", 8),
        text("总体目标", 8),
        text("完成", 8),
        text("财政拨款", 9),
        amount("1"),
        text("其中：上年结转", 9),
        amount("2"),
        text("年度资金总额", 10),
        amount("1"),
        amount("2"),
        amount("3"),
        amount("10"),
        text("98.5%", 10),
        amount("9.85"),
        text("空", 10),
        amount("95"),
        text("优", 11),
    );
    let empty_project = format!(
        r#"{{"name":{},"amounts":{{}},"indicators":[],"span":{plain},"evaluation":{{}}}}"#,
        text("空项目", 12)
    );
    let json = format!(
        r#"{{"source":"表\"1\".xlsx","encoding":"GBK","layout":"self-evaluation","title":{},"department":{},"amount_unit":{},"header":{},"grand_total":{{"label":{},"amounts":{{"fiscal":{},"special_account":{}}},"span":{plain}}},"units":[{{"name":{},"amounts":{{}},"implicit":true,"span":{plain},"projects":[{project},{empty_project}]}},{{"name":{},"amounts":{{}},"span":{plain},"projects":[]}}],"truncation":{{"starts_midway":true,"stops_early":false,"note":"缺少表头","span":{}}}}}"#,
        text("标题", 1),
        text("部门", 1),
        text("万元", 1),
        text(r"项目名称\t总计", 1),
        text("合计", 2),
        amount("1.5"),
        amount("-2"),
        text("单位", 2),
        text("第二单位", 2),
        span(13),
    );
    let document: Document = serde_json::from_str(&json).expect("a document");
    assert_same(&document);
    for layout in jixiao_model::Layout::ALL {
        let mut other = document.clone();
        other.layout = layout;
        other.units.clear();
        other.title = None;
        other.truncation = None;
        assert_same(&other);
    }
}
