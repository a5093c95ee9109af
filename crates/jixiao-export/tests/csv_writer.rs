//! The indicator CSV writer writes what `csv::Writer` writes for the same rows, on every seed,
//! example and sample, and on cells that need quoting.

use jixiao_export::{IndicatorCsvWriter, write_indicator_csv_rows};
use jixiao_model::{Document, Profile, Str};

mod support;
use support::{read_dir, workspace};

/// What `csv::Writer` with its defaults writes for the documents, header first.
fn through_csv_crate(documents: &[Document]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(jixiao_parse::INDICATOR_CSV_COLUMNS)
        .expect("writes");
    write_indicator_csv_rows(&mut writer, documents).expect("writes");
    writer.into_inner().expect("flushes")
}

fn through_own_writer(documents: &[Document]) -> Vec<u8> {
    let mut writer = IndicatorCsvWriter::new(Vec::new());
    // A document at a time, as `parse` writes them.
    for document in documents {
        writer
            .write_documents(std::slice::from_ref(document))
            .expect("writes");
    }
    writer.into_inner().expect("flushes")
}

/// The 越秀 example's documents, read under the file name `name`.
fn yuexiu_as(name: &str) -> Vec<Document> {
    let text = std::fs::read_to_string(workspace().join("examples/guangzhou-yuexiu-rsj.txt"))
        .expect("example");
    jixiao_parse::parse_bytes(name, text.as_bytes(), &Profile::builtin())
        .expect("parses")
        .documents
}

#[test]
fn writes_what_the_csv_crate_writes_for_every_table_read() {
    let profile = Profile::builtin();
    let mut documents = Vec::new();
    for dir in ["examples", "../shared/seeds", "../shared/samples"] {
        for (name, bytes) in read_dir(dir) {
            if let Ok(parsed) = jixiao_parse::parse_bytes(&name, &bytes, &profile) {
                documents.extend(parsed.documents);
            }
        }
    }
    let indicators: usize = documents.iter().map(Document::indicator_count).sum();
    assert!(indicators > 1000, "{indicators} indicators");
    let expected = through_csv_crate(&documents);
    assert!(through_own_writer(&documents) == expected, "CSV differs");
    assert!(
        jixiao_export::indicator_csv(&documents, false).expect("CSV") == expected,
        "CSV differs"
    );
}

#[test]
fn quotes_cells_as_the_csv_crate_does() {
    let mut documents = yuexiu_as("a,\"b\".txt");
    let cells = [
        "逗号,在中间",
        "\"引号\"开头",
        "换行\n在中间",
        "回车\r在中间",
        "",
        "普通",
        "末尾引号\"",
        "\"",
        ",",
    ];
    let mut n = 0;
    for document in &mut documents {
        for unit in &mut document.units {
            unit.name.text = Str::new(cells[n % cells.len()]);
            for project in &mut unit.projects {
                project.name.text = Str::new(cells[(n + 1) % cells.len()]);
                for indicator in &mut project.indicators {
                    indicator.name.text = Str::new(cells[n % cells.len()]);
                    if let Some(value) = &mut indicator.annual {
                        value.raw = Str::new(cells[(n + 2) % cells.len()]);
                    }
                    n += 1;
                }
            }
        }
    }
    assert!(n >= cells.len() * 2);
    assert!(through_own_writer(&documents) == through_csv_crate(&documents));
}

/// The category cells are escaped once per set of texts and copied after: texts of the same
/// content at other addresses, texts that need quoting and categories dropped are written as
/// the csv crate writes them.
#[test]
fn category_cells_are_written_as_the_csv_crate_writes_them() {
    let mut documents = yuexiu_as("x.txt");
    let names = ["产出指标", "a,b", "\"q\"", "", "产出指标"];
    let shared = Str::new("共享,名");
    let mut n = 0;
    for document in &mut documents {
        for unit in &mut document.units {
            for project in &mut unit.projects {
                for indicator in &mut project.indicators {
                    match n % 4 {
                        0 => {
                            if let Some(c) = &mut indicator.level1 {
                                c.name = Str::new(names[n % names.len()]);
                            }
                        }
                        1 => indicator.level2 = None,
                        2 => {
                            if let Some(c) = &mut indicator.level2 {
                                c.name = shared.clone();
                                c.code = None;
                            }
                        }
                        _ => {}
                    }
                    n += 1;
                }
            }
        }
    }
    assert!(n >= 20);
    assert!(through_own_writer(&documents) == through_csv_crate(&documents));
}
