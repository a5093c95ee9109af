//! Which stored tables are versions of one document (docs/corpus.md): the document key.
//!
//! A version is the same table published again, corrected: same publisher, year and layout, and
//! the same project (a project sheet, a self-evaluation) or the same set of projects (a department
//! list, an indicator-row list). Two different tables of one department in one year (one sheet
//! per project is the normal case) are two documents.

use std::collections::BTreeSet;

use jixiao_model::Document;
use sha2::{Digest as _, Sha256};

/// The scheme [`document_key`] implements, stored with each document so that opening a database
/// whose keys were made by an older scheme recomputes them (see `upgrade_data`).
pub const KEY_SCHEME: i64 = 2;

/// `publisher|year|layout|scope`, where scope is `项目:NAME` for a table of one project,
/// `项目集:N:HASH` for a table of N projects (HASH: the first 16 hex digits of the SHA-256 of
/// their sorted match keys), and `内容:HASH:ORDINAL` for a table that names no project (a cut
/// copy), which cannot be matched with anything but itself. The source file's name stands in for a
/// missing publisher.
pub fn document_key(
    publisher: Option<&str>,
    year: Option<i32>,
    document: &Document,
    source_file: &str,
    content_hash: &str,
    ordinal: u32,
) -> String {
    let names: BTreeSet<String> = document
        .projects()
        .map(|(_, p)| jixiao_model::match_key(&p.name.text).into_owned())
        .filter(|name| !name.is_empty())
        .collect();
    let scope = match names.len() {
        0 => format!(
            "内容:{}:{ordinal}",
            content_hash.get(..16).unwrap_or(content_hash)
        ),
        1 => format!("项目:{}", names.first().map_or("", String::as_str)),
        n => {
            let mut hasher = Sha256::new();
            for name in &names {
                hasher.update(name.as_bytes());
                hasher.update(b"\n");
            }
            let digest = hasher.finalize();
            let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            format!("项目集:{n}:{hex}")
        }
    };
    format!(
        "{}|{}|{}|{scope}",
        publisher.unwrap_or(source_file),
        year.map_or_else(|| "-".to_owned(), |y| y.to_string()),
        document.layout.name()
    )
}

/// The key of a stored copy of `prepared` whose year or publisher change, keeping the `#n` that
/// told it apart from another table of its file.
pub(crate) fn rekeyed(
    key: &str,
    publisher: Option<&str>,
    year: Option<i64>,
    prepared: &crate::PreparedDocument,
) -> String {
    let meta = &prepared.meta;
    let base = document_key(
        publisher,
        year.and_then(|y| i32::try_from(y).ok()),
        &prepared.document,
        &meta.source_file,
        &meta.content_hash,
        meta.ordinal,
    );
    match key.rsplit_once('#') {
        Some((_, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{base}#{n}")
        }
        _ => base,
    }
}
