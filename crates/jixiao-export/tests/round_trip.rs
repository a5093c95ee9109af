//! Exports read back to the same model: the seed tables through every layout and container.

use jixiao_model::{Document, Profile};
use jixiao_parse::parse_bytes;

const YUEXIU: &str = include_str!("../../../examples/guangzhou-yuexiu-rsj.txt");
const HUADU: &str = include_str!("../../../examples/guangzhou-huadu-rsj.txt");

fn seeds() -> Vec<Document> {
    let profile = Profile::builtin();
    [("yuexiu.txt", YUEXIU), ("huadu.txt", HUADU)]
        .into_iter()
        .flat_map(|(name, text)| {
            parse_bytes(name, text.as_bytes(), &profile)
                .unwrap()
                .documents
        })
        .collect()
}

/// What a reader cares about, without spans and layout: per project its unit, amounts and goal;
/// per indicator its categories (and whether inferred), name and values.
fn content(documents: &[Document]) -> Vec<String> {
    let mut lines = Vec::new();
    for document in documents {
        for (unit, project) in document.projects() {
            let amount = |a: &Option<jixiao_model::Amount>| a.as_ref().map(|a| a.value.normalize());
            let amounts = &project.amounts;
            lines.push(format!(
                "{} / {} {:?} {:?} {:?} {:?} {:?}",
                if unit.implicit {
                    ""
                } else {
                    unit.name.text.as_str()
                },
                project.name.text,
                amount(&amounts.total),
                amount(&amounts.fiscal),
                amount(&amounts.special_account),
                amount(&amounts.other),
                project.goal.as_ref().map(|g| g.text.as_str()),
            ));
            for i in &project.indicators {
                let category = |c: &Option<jixiao_model::Category>| {
                    c.as_ref().map(|c| {
                        (
                            c.name.to_string(),
                            c.code.as_ref().map(|c| c.to_string()),
                            c.inferred.is_some(),
                        )
                    })
                };
                lines.push(format!(
                    "  {} {:?} {:?} {} {:?} {:?}",
                    i.seq,
                    category(&i.level1),
                    category(&i.level2),
                    i.name.text,
                    i.annual.as_ref().map(|v| v.raw.as_str()),
                    i.period.as_ref().map(|v| v.raw.as_str()),
                ));
            }
        }
    }
    lines
}

fn assert_same(expected: &[Document], actual: &[Document]) {
    let (expected, actual) = (content(expected), content(actual));
    for (e, a) in expected.iter().zip(&actual) {
        assert_eq!(e, a);
    }
    assert_eq!(expected.len(), actual.len());
}

#[test]
fn indicator_rows_xlsx_reads_back() {
    let documents = seeds();
    let bytes = jixiao_export::indicator_rows_xlsx(&documents).unwrap();
    let parsed = parse_bytes("export.xlsx", &bytes, &Profile::builtin()).unwrap();
    assert_eq!(parsed.documents.len(), 2);
    assert_eq!(parsed.documents[1].indicator_count(), 390);
    assert_same(&documents, &parsed.documents);
}

#[test]
fn indicator_rows_html_reads_back() {
    let documents = seeds();
    let html = jixiao_export::indicator_rows_html(&documents);
    let parsed = parse_bytes("export.html", html.as_bytes(), &Profile::builtin()).unwrap();
    assert_same(&documents, &parsed.documents);
}

/// A project's name and its indicators' names and annual values.
type ProjectValues = (String, Vec<(String, Option<String>)>);

#[test]
fn project_sheets_xlsx_read_back() {
    let documents = seeds();
    let bytes = jixiao_export::project_sheets_xlsx(&documents).unwrap();
    let parsed = parse_bytes("sheets.xlsx", &bytes, &Profile::builtin()).unwrap();
    assert_eq!(parsed.documents.len(), 98, "one document per project sheet");
    let projects = |docs: &[Document]| -> Vec<ProjectValues> {
        docs.iter()
            .flat_map(|d| d.projects())
            .map(|(_, p)| {
                (
                    p.name.text.to_string(),
                    p.indicators
                        .iter()
                        .map(|i| {
                            (
                                i.name.text.to_string(),
                                i.annual.as_ref().map(|v| v.raw.to_string()),
                            )
                        })
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(projects(&documents), projects(&parsed.documents));
}
