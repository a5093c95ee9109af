//! Turning a parsed and checked document into what the store writes: identity (content hash,
//! document key, year, publisher), the model as JSON, and findings tied to projects and indicators.
//!
//! Pure CPU work with no database, so an importer runs it on worker threads.

use std::collections::HashMap;

use jixiao_model::{Document, Problem};
use jixiao_rules::{Checker, CorpusNotes, Finding};
use sha2::{Digest as _, Sha256};

use crate::infer::{file_name, infer_publisher, infer_year};
use crate::{Result, StoreError};

/// Year and publisher given on the command line instead of inferred.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub year: Option<i32>,
    pub publisher: Option<String>,
}

/// Who and what a stored document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    /// Ties versions together (see [`crate::identity::document_key`]); `#n` tells apart tables of
    /// one file that would otherwise get the same key.
    pub key: String,
    /// SHA-256 of the source file's bytes, lowercase hex.
    pub content_hash: String,
    /// The table's place in its source file, from 0.
    pub ordinal: u32,
    /// The source file's name without its directory.
    pub source_file: String,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    /// The year and publisher were given on the command line: a stored copy of the same content
    /// takes them (a corrected `--year`), where inferred values leave the stored ones alone.
    pub year_given: bool,
    pub publisher_given: bool,
}

/// A finding with the project and indicator it concerns, as indices into the document's
/// projects (in [`Document::projects`] order) and indicators (in the same walk order).
#[derive(Debug, Clone)]
pub struct PreparedFinding {
    pub finding: Finding,
    pub project: Option<usize>,
    pub indicator: Option<usize>,
}

/// Everything [`crate::Store::import`] writes for one document.
#[derive(Debug, Clone)]
pub struct PreparedDocument {
    pub meta: DocumentMeta,
    pub document: Document,
    pub findings: Vec<PreparedFinding>,
    /// The model as Zstandard-compressed JSON (see [`model_bytes`]).
    pub model: Vec<u8>,
    /// What one unit of the table's amounts is in 万元 ([`crate::amounts::wan_factor`]).
    pub wan_factor: Option<rust_decimal::Decimal>,
    /// The table's total in 万元 ([`crate::amounts::document_total`]); `None`: 未列金额.
    pub total_wan: Option<rust_decimal::Decimal>,
    /// The self-evaluation projects scored under the checker's policy
    /// ([`crate::scores::score_rows`]); empty for a target table.
    pub scores: Vec<crate::scores::PreparedScore>,
    /// What the corpus-wide rules need of the document ([`Checker::check_with_notes`]), for an
    /// importer that feeds them ([`Checker::observe_notes`]) once the document is stored.
    pub notes: CorpusNotes,
}

impl PreparedDocument {
    pub fn indicator_count(&self) -> usize {
        self.document.indicator_count()
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Checks every document of one source file and prepares it for storing. Parse problems go to the
/// document whose lines they fall in.
pub fn prepare_file(
    bytes: &[u8],
    documents: Vec<Document>,
    problems: &[Problem],
    checker: &Checker,
    overrides: &Overrides,
) -> Result<Vec<PreparedDocument>> {
    let hash = content_hash(bytes);
    let starts: Vec<u32> = documents.iter().map(first_line).collect();
    let mut own_problems: Vec<Vec<Problem>> = vec![Vec::new(); documents.len()];
    for problem in problems {
        let index = starts
            .iter()
            .rposition(|start| *start <= problem.span.line)
            .unwrap_or(0);
        if let Some(list) = own_problems.get_mut(index) {
            list.push(problem.clone());
        }
    }
    // Keys first, in the file's order: a repeated key takes `#n` by its place in the file.
    let mut seen_keys: HashMap<String, u32> = HashMap::new();
    let jobs: Vec<(Document, Vec<Problem>, DocumentMeta)> = documents
        .into_iter()
        .zip(own_problems)
        .enumerate()
        .map(|(ordinal, (document, problems))| {
            let mut meta = meta_for(&document, &hash, ordinal as u32, overrides);
            let repeat = seen_keys.entry(meta.key.clone()).or_insert(0);
            if *repeat > 0 {
                meta.key = format!("{}#{repeat}", meta.key);
            }
            *repeat += 1;
            (document, problems, meta)
        })
        .collect();
    let prepare_one = |(document, problems, meta): (Document, Vec<Problem>, DocumentMeta)| {
        // The notes come with the findings, from what the check derives anyway (the goals'
        // match keys), instead of from a second walk of the document on the importer's thread.
        let (findings, notes) =
            checker.check_with_notes(std::slice::from_ref(&document), &problems);
        let mut document = prepare(document, findings, meta)?;
        document.scores =
            crate::scores::score_rows(&document.document, &checker.settings().score_policy);
        document.notes = notes;
        Ok(document)
    };
    let threads = if jobs.len() < PARALLEL_DOCUMENTS {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    };
    if threads <= 1 {
        return jobs.into_iter().map(prepare_one).collect();
    }
    // A file of many tables (a department's list, a whole city's) is checked and prepared on
    // every core, table by table, not on the one worker that read it.
    let count = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let mut done: Vec<(usize, Result<PreparedDocument>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(count))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let next = queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .next();
                        let Some((index, job)) = next else { break };
                        done.push((index, prepare_one(job)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, document)| document).collect()
}

/// Tables in one file from which [`prepare_file`] spreads them over the cores: fewer are not
/// worth starting threads for (an import already prepares several files at once).
const PARALLEL_DOCUMENTS: usize = 8;

/// The identity of one document: key, year and publisher (overrides first, then inferred).
pub fn meta_for(
    document: &Document,
    content_hash: &str,
    ordinal: u32,
    overrides: &Overrides,
) -> DocumentMeta {
    let source_file = file_name(&document.source).to_owned();
    let publisher = overrides
        .publisher
        .clone()
        .or_else(|| infer_publisher(document));
    let year = overrides.year.or_else(|| infer_year(document));
    let key = crate::identity::document_key(
        publisher.as_deref(),
        year,
        document,
        &source_file,
        content_hash,
        ordinal,
    );
    DocumentMeta {
        key,
        content_hash: content_hash.to_owned(),
        ordinal,
        source_file,
        publisher,
        year,
        year_given: overrides.year.is_some(),
        publisher_given: overrides.publisher.is_some(),
    }
}

/// Ties findings to projects and indicators and serialises the model.
pub fn prepare(
    document: Document,
    findings: Vec<Finding>,
    meta: DocumentMeta,
) -> Result<PreparedDocument> {
    let mut projects: HashMap<(&str, &str), usize> = HashMap::new();
    let mut indicators: HashMap<(usize, u32), usize> = HashMap::new();
    let mut indicator_index = 0;
    for (project_index, (unit, project)) in document.projects().enumerate() {
        projects
            .entry((unit.name.text.as_str(), project.name.text.as_str()))
            .or_insert(project_index);
        for indicator in &project.indicators {
            indicators
                .entry((project_index, indicator.seq))
                .or_insert(indicator_index);
            indicator_index += 1;
        }
    }
    let findings = findings
        .into_iter()
        .map(|finding| {
            let project = match (&finding.unit, &finding.project) {
                (Some(unit), Some(project)) => {
                    projects.get(&(unit.as_str(), project.as_str())).copied()
                }
                _ => None,
            };
            let indicator = project
                .zip(finding.indicator)
                .and_then(|key| indicators.get(&key).copied());
            PreparedFinding {
                finding,
                project,
                indicator,
            }
        })
        .collect();
    let model = model_bytes(&document)?;
    let wan_factor = crate::amounts::document_factor(&document);
    let total_wan = wan_factor
        .zip(crate::amounts::document_total(&document))
        .map(|(factor, total)| crate::amounts::to_wan(total, factor));
    Ok(PreparedDocument {
        meta,
        document,
        findings,
        model,
        wan_factor,
        total_wan,
        scores: Vec::new(),
        notes: CorpusNotes::default(),
    })
}

/// The first line a document occupies.
fn first_line(document: &Document) -> u32 {
    [
        document.title.as_ref().map(|t| t.span.line),
        document.department.as_ref().map(|t| t.span.line),
        document.amount_unit.as_ref().map(|t| t.span.line),
        document.header.as_ref().map(|t| t.span.line),
        document.grand_total.as_ref().map(|t| t.span.line),
        document.units.first().map(|u| u.span.line),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(1)
}

/// The stored form of a model: a tag, then its JSON with the spans written short
/// ([`crate::compact`]), Zstandard-compressed (level 3). The model is the largest part of a
/// corpus file; short spans make it about a third smaller than the plain JSON compressed alike.
pub fn model_bytes(document: &Document) -> Result<Vec<u8>> {
    MODEL_SCRATCH.with_borrow_mut(|scratch| {
        let ModelScratch { json, compressor } = scratch;
        json.clear();
        // serde_json's bytes, written by hand (its string escaping was 4 % of an import), with
        // the short spans written at once.
        jixiao_export::push_document_json_packed(json, document);
        let packed = &*json;
        // The frame goes after the tag, in one allocation of the size it may need.
        let mut out = Vec::with_capacity(MODEL_TAG.len() + zstd::compress_bound(packed.len()));
        out.extend_from_slice(&MODEL_TAG);
        let mut frame = std::io::Cursor::new(out);
        frame.set_position(MODEL_TAG.len() as u64);
        let compressor = match compressor {
            Some(compressor) => compressor,
            None => compressor.insert(
                zstd::bulk::Compressor::new(MODEL_LEVEL)
                    .map_err(|e| StoreError::Compress(e.to_string()))?,
            ),
        };
        compressor
            .compress_to_buffer(packed.as_slice(), &mut frame)
            .map_err(|e| StoreError::Compress(e.to_string()))?;
        let mut out = frame.into_inner();
        // Large documents leave a large bound: the stored model keeps only what it uses.
        if out.capacity() > out.len() + out.len() / 4 + 1024 {
            out.shrink_to_fit();
        }
        Ok(out)
    })
}

/// What [`model_bytes`] keeps between documents on a thread: the JSON buffer and the Zstandard
/// context. A fresh context allocated (and the kernel zeroed) several megabytes for every
/// document, which cost about as much as compressing a small one.
#[derive(Default)]
struct ModelScratch {
    json: Vec<u8>,
    compressor: Option<zstd::bulk::Compressor<'static>>,
}

thread_local! {
    static MODEL_SCRATCH: std::cell::RefCell<ModelScratch> =
        std::cell::RefCell::new(ModelScratch::default());
}

const MODEL_LEVEL: i32 = 3;

/// Starts a model stored by [`model_bytes`]. Older models are a bare Zstandard frame (plain
/// JSON) or Snappy's raw format, which starts with the JSON's length as a varint: a first byte
/// below 0x80 would be a model of fewer than 128 bytes, which no document is.
const MODEL_TAG: [u8; 4] = *b"JXm1";

/// Every Zstandard frame starts with these bytes; a raw Snappy stream starts with the JSON's
/// length as a varint, and `28` alone would be a 40-byte model, which no document is.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Reads a model stored by [`model_bytes`], or by an older version (plain JSON in Zstandard, or
/// in Snappy's raw format).
pub(crate) fn model_from_bytes(id: i64, bytes: &[u8]) -> Result<Document> {
    let compress_error = |e: String| StoreError::Compress(format!("文档 {id}：{e}"));
    let json = if let Some(packed) = bytes.strip_prefix(&MODEL_TAG) {
        let packed = zstd::stream::decode_all(packed).map_err(|e| compress_error(e.to_string()))?;
        crate::compact::unpack(&packed).ok_or_else(|| compress_error("模型格式无法识别".into()))?
    } else if bytes.starts_with(&ZSTD_MAGIC) {
        zstd::stream::decode_all(bytes).map_err(|e| compress_error(e.to_string()))?
    } else {
        snap::raw::Decoder::new()
            .decompress_vec(bytes)
            .map_err(|e| compress_error(e.to_string()))?
    };
    serde_json::from_slice(&json).map_err(|cause| StoreError::Model { id, cause })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Document {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/guangzhou-huadu-rsj.txt"
        );
        let bytes = std::fs::read(path).expect("example");
        let parsed = jixiao_parse::parse_bytes(
            "guangzhou-huadu-rsj.txt",
            &bytes,
            &jixiao_model::Profile::builtin(),
        )
        .expect("parses");
        parsed.documents.into_iter().next().expect("a document")
    }

    #[test]
    fn models_round_trip_and_older_models_still_read() {
        let document = seed();
        let stored = model_bytes(&document).expect("stored");
        assert!(stored.starts_with(&MODEL_TAG));
        assert_eq!(model_from_bytes(1, &stored).expect("read"), document);

        let json = serde_json::to_vec(&document).expect("json");
        let plain = zstd::bulk::compress(&json, MODEL_LEVEL).expect("zstd");
        assert!(plain.starts_with(&ZSTD_MAGIC));
        assert!(
            stored.len() * 4 < plain.len() * 3,
            "{} vs {}",
            stored.len(),
            plain.len()
        );
        assert_eq!(model_from_bytes(2, &plain).expect("read"), document);
        let older = snap::raw::Encoder::new()
            .compress_vec(&json)
            .expect("snappy");
        assert_eq!(model_from_bytes(3, &older).expect("read"), document);
        assert!(model_from_bytes(4, b"not a model").is_err());
    }
}
