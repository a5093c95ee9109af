use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::sync::Arc;

use jixiao_model::{Document, Span};
use twox_hash::XxHash3_128;

use crate::Finding;
use crate::engine::Context;
use crate::rules::index::GoalKeys;
use crate::rules::util;
use crate::rules::{CorpusState, Rule, declare_rule, rule_meta};
use crate::scratch::{self, RecordLog, Scratch, ScratchFactory, codec};

declare_rule! {
    /// ## 检查什么
    /// 报告在同一次检查的全部表格中，被`min_projects`个（默认3个）及以上项目逐字相同地使用（去除空格和标点后比较）的绩效目标。每个目标只报一条，位于其首次出现处，列出所有项目；其余出现处作为相关位置。不足10个字的目标由G001处理。
    ///
    /// ## 为什么是问题
    /// 多个项目照抄的目标描述不了其中任何一个：每个项目花的钱不同、用的地方不同，应说明本项目具体要达到什么。照抄目标是为应付填表而填写目标的典型迹象。
    ///
    /// ## 示例
    /// ```text
    /// 赤坭镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// 花东镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// 花山镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// ```
    /// 为每个项目写出各自的目标和数字（该镇的参保人数、扩面任务完成率）。
    ///
    /// ## 依据
    /// 财预〔2015〕88号 §25：绩效目标应指向明确（针对本项目）。审核人把照抄的目标视为套话（DOMAIN.md §4“如实”）。
    ///
    /// ## 已知局限
    /// 确属同一项目按地域拆分的（各镇同一项补贴），可能有意使用相同的目标；只差一个词的目标不归为一组。
    pub struct BoilerplateGoal => "G002";
}

impl Rule for BoilerplateGoal {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}

    fn corpus_state(&self) -> Option<Box<dyn CorpusState>> {
        Some(Box::<State>::default())
    }
}

/// Record tags in a partition's log.
const FILE_RECORD: u32 = 0;
const USE_RECORD: u32 = 1;

/// Tags in a document's notes: a file's name, then the records of its goals' uses.
const FILE_NOTE: u8 = 0;
const USE_NOTE: u8 = 1;

/// Bytes of a use's note besides its texts (a cell's place in JSON included, most of the time).
const NOTE_OVERHEAD: usize = 128;

/// Uses are spread over this many logs by their goal's hash, so `finish` counts one partition
/// at a time: memory holds a sixty-fourth of the distinct goals at most, not all of them.
const PARTITIONS: usize = 64;

/// Every use of a long enough goal (its hash, place, unit, project and text) is logged to one of
/// [`PARTITIONS`] scratch logs (temporary files for a corpus) and nothing else is kept per goal.
/// `finish` reads each partition twice, once to count the uses of each goal and once to copy the
/// uses of the goals that are reported, grouped by goal, to a second scratch; then it makes the
/// groups' findings one at a time, in the order the groups were first seen, and hands each on
/// before making the next. A large list repeats goals across thousands of projects: its findings
/// name every project, and holding them all was most of the memory of a whole check.
struct State {
    partitions: Vec<Partition>,
    /// Uses logged so far; a use's number orders the groups as first seen.
    uses: u64,
    record: Vec<u8>,
    /// The file of the notes being observed.
    file: Option<Arc<str>>,
    /// Where `finish` copies the reported groups, one for each half of the partitions.
    groups: [Box<dyn Scratch>; 2],
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("uses", &self.uses)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default)]
struct Partition {
    log: RecordLog,
    /// The file of the last use logged here: file names are logged when they change, not per use.
    last_file: Option<Arc<str>>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            partitions: (0..PARTITIONS).map(|_| Partition::default()).collect(),
            uses: 0,
            record: Vec::new(),
            file: None,
            groups: [scratch::in_memory(), scratch::in_memory()],
        }
    }
}

/// A reported group, copied to the groups' scratch: the number of its first use (which orders
/// the findings), how many uses it has, and where its bytes are (see [`Collected`]).
#[derive(Default)]
struct GroupPlace {
    number: u64,
    uses: usize,
    /// `(offset, length)` of each piece written.
    chunks: Vec<(u64, usize)>,
}

/// A group being collected from its partition: where it goes and its bytes not yet written
/// (first the goal text and unit of its first use, then each use's file, place and project:
/// the finding names the unit of the first use only).
type Collected = (GroupPlace, Vec<u8>);

/// Bytes of a partition's groups held before they are written to the groups' scratch: a goal
/// repeated in every copy of a 1 GB list has 22,000 uses.
const COLLECT_BUDGET: usize = 4 << 20;

/// Writes each group's bytes held to `store` at `offset` and forgets them.
fn flush_groups<'a>(
    groups: impl Iterator<Item = &'a mut Collected>,
    store: &mut impl io::Write,
    offset: &mut u64,
) -> io::Result<()> {
    for (place, bytes) in groups {
        if !bytes.is_empty() {
            store.write_all(bytes)?;
            place.chunks.push((*offset, bytes.len()));
            *offset += bytes.len() as u64;
            *bytes = Vec::new();
        }
    }
    Ok(())
}

impl CorpusState for State {
    fn note(
        &self,
        document: &Document,
        goals: Option<&GoalKeys<'_>>,
        _cx: &Context<'_>,
        notes: &mut Vec<u8>,
    ) {
        // Sized for every goal: a department's notes grown by doubling were copied over again.
        notes.reserve(
            util::projects(document)
                .filter_map(|(unit, project)| {
                    let goal = project.goal.as_ref()?;
                    Some(
                        NOTE_OVERHEAD
                            + goal.span.file.len()
                            + unit.name.text.len()
                            + project.name.text.len()
                            + goal.text.len(),
                    )
                })
                .sum(),
        );
        let mut file: Option<&Arc<str>> = None;
        for (n, (unit, project)) in util::projects(document).enumerate() {
            let Some(goal) = &project.goal else { continue };
            let normalized;
            let key = match goals.and_then(|goals| goals.normalized(n)) {
                Some(key) => key,
                None => {
                    normalized = util::normalized_cow(&goal.text);
                    &normalized
                }
            };
            // At most four bytes a character: only keys of 10 to 39 bytes need counting.
            if key.len() < 10 || (key.len() < 40 && key.chars().count() < 10) {
                continue;
            }
            let (high, low) = key_hash(key);
            let span = &goal.span;
            if file != Some(&span.file) {
                notes.push(FILE_NOTE);
                codec::put_str(notes, &span.file);
                file = Some(&span.file);
            }
            let cell = span
                .cell
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok())
                .unwrap_or_default();
            // The use's record with its number left 0, set when it is logged.
            notes.push(USE_NOTE);
            let length_at = notes.len();
            codec::put_u32(notes, 0);
            codec::put_u32(notes, USE_RECORD);
            for field in [high, low, 0] {
                codec::put_u64(notes, field);
            }
            for field in [span.line, span.start, span.end] {
                codec::put_u32(notes, field);
            }
            for text in [&cell, &*unit.name.text, &*project.name.text, &*goal.text] {
                codec::put_str(notes, text);
            }
            let length = u32::try_from(notes.len() - length_at - 4).unwrap_or(u32::MAX);
            notes[length_at..length_at + 4].copy_from_slice(&length.to_le_bytes());
        }
    }

    fn observe_notes(&mut self, notes: &[u8]) {
        let mut fields = codec::Fields(notes);
        while let Some((&tag, rest)) = fields.0.split_first() {
            fields.0 = rest;
            if tag == FILE_NOTE {
                let Some(file) = fields.str() else { return };
                if self.file.as_deref() != Some(file) {
                    self.file = Some(Arc::from(file));
                }
                continue;
            }
            let Some(record) = fields.u32().and_then(|len| {
                let (record, rest) = fields.0.split_at_checked(len as usize)?;
                fields.0 = rest;
                Some(record)
            }) else {
                return;
            };
            // The tag, the goal's hash and the use's number (see `note`).
            let (Some(head), Some(tail), Some(file)) =
                (record.get(..20), record.get(28..), self.file.as_ref())
            else {
                return;
            };
            let mut low = [0u8; 8];
            low.copy_from_slice(&head[12..20]);
            let low = u64::from_le_bytes(low);
            let partition = &mut self.partitions[(low % PARTITIONS as u64) as usize];
            if partition.last_file.as_ref() != Some(file) {
                self.record.clear();
                codec::put_u32(&mut self.record, FILE_RECORD);
                codec::put_str(&mut self.record, file);
                partition.log.push(&self.record);
                partition.last_file = Some(file.clone());
            }
            partition
                .log
                .push_parts(&[head, &self.uses.to_le_bytes(), tail]);
            self.uses += 1;
        }
    }

    fn use_scratch(&mut self, make: &ScratchFactory) -> io::Result<()> {
        // Only before the first observation: logs are not copied.
        if self.uses == 0 {
            for partition in &mut self.partitions {
                partition.log = RecordLog::new(make()?);
            }
            self.groups = [make()?, make()?];
        }
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        cx: &Context<'_>,
        out: &mut dyn FnMut(Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        let min = cx
            .settings
            .number(BoilerplateGoal::CODE, "min_projects", 3.0)
            .max(2.0)
            .ceil() as usize;
        let State {
            mut partitions,
            groups: [store, other_store],
            ..
        } = *self;
        // The partitions are independent until their groups are ordered: half of them are
        // collected on another thread, as `finish` is the one part of a check that no other
        // work overlaps.
        let other_partitions = partitions.split_off(partitions.len() / 2);
        let (collected, other) = std::thread::scope(|scope| {
            let other = scope.spawn(move || collect(other_partitions, other_store, min));
            let collected = collect(partitions, store, min);
            (
                collected,
                other
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("G002 的汇总线程意外退出"))),
            )
        });
        let mut halves = [collected?, other?];
        let mut places: Vec<(usize, GroupPlace)> = Vec::new();
        for (half, collected) in halves.iter_mut().enumerate() {
            places.extend(
                std::mem::take(&mut collected.places)
                    .into_iter()
                    .map(|p| (half, p)),
            );
        }
        places.sort_by_key(|(_, place)| place.number);
        let mut bytes = Vec::new();
        for (half, place) in places {
            let Collection { store, files, .. } = &mut halves[half];
            bytes.clear();
            for &(offset, len) in &place.chunks {
                store.seek(SeekFrom::Start(offset))?;
                let at = bytes.len();
                bytes.resize(at + len, 0);
                store.read_exact(&mut bytes[at..])?;
            }
            out(group_finding(&bytes, place.uses, files).ok_or_else(corrupt)?)?;
        }
        Ok(())
    }
}

/// What [`collect`] copied out of some partitions: the reported groups, in `store`, and the
/// files their uses are in, which a use refers to by number.
struct Collection {
    places: Vec<GroupPlace>,
    files: Vec<Arc<str>>,
    store: Box<dyn Scratch>,
}

/// Copies the groups of goals used at least `min` times in `partitions` to `store`.
fn collect(
    partitions: Vec<Partition>,
    store: Box<dyn Scratch>,
    min: usize,
) -> io::Result<Collection> {
    let mut store = io::BufWriter::with_capacity(64 * 1024, store);
    let mut places: Vec<GroupPlace> = Vec::new();
    let mut offset = 0u64;
    let mut files: Vec<Arc<str>> = Vec::new();
    let mut file_numbers: HashMap<Arc<str>, u32, rustc_hash::FxBuildHasher> = HashMap::default();
    for partition in partitions {
        let mut reader = partition.log.into_reader()?;
        let mut counts: HashMap<(u64, u64), usize, GoalHash> = HashMap::default();
        // Counting needs only the hash, at a fixed place: validating the texts of every use
        // as UTF-8 was most of the cost of `finish`.
        while let Some(record) = reader.next_record()? {
            if let Some(hash) = use_hash(record)? {
                *counts.entry(hash).or_default() += 1;
            }
        }
        counts.retain(|_, n| *n >= min);
        if counts.is_empty() {
            continue;
        }
        reader.rewind()?;
        let mut reported: HashMap<(u64, u64), Collected, GoalHash> = HashMap::default();
        let mut held = 0usize;
        let mut file = 0u32;
        // The last file record, numbered at the first reported use after it: most files
        // have no reported use in a partition, and numbering each file record was a
        // quarter of the cost of `finish` on a corpus.
        let mut file_record: Vec<u8> = Vec::new();
        let mut numbered = true;
        while let Some(record) = reader.next_record()? {
            match use_hash(record)? {
                None => {
                    file_record.clear();
                    file_record.extend_from_slice(record);
                    numbered = false;
                    continue;
                }
                // Uses of goals that are not reported are skipped undecoded.
                Some(hash) if !counts.contains_key(&hash) => continue,
                Some(_) => {}
            }
            if !numbered {
                let LogRecord::File(name) = LogRecord::decode(&file_record)? else {
                    return Err(corrupt());
                };
                file = match file_numbers.get(name) {
                    Some(&number) => number,
                    None => {
                        let number = u32::try_from(files.len()).map_err(|_| corrupt())?;
                        let name: Arc<str> = Arc::from(name);
                        files.push(name.clone());
                        file_numbers.insert(name, number);
                        number
                    }
                };
                numbered = true;
            }
            // A use of a reported goal: the others were skipped above.
            match LogRecord::decode(record)? {
                LogRecord::File(_) => return Err(corrupt()),
                LogRecord::Use {
                    hash,
                    number,
                    line,
                    start,
                    end,
                    cell,
                    unit,
                    project,
                    text,
                } => {
                    let (place, bytes) = match reported.entry(hash) {
                        Entry::Occupied(group) => group.into_mut(),
                        Entry::Vacant(place) => {
                            let text = std::str::from_utf8(text).map_err(|_| corrupt())?;
                            let mut bytes = Vec::new();
                            codec::put_str(&mut bytes, text);
                            codec::put_str(&mut bytes, unit);
                            let group = GroupPlace {
                                number,
                                ..GroupPlace::default()
                            };
                            place.insert((group, bytes))
                        }
                    };
                    place.uses += 1;
                    let before = bytes.len();
                    for field in [file, line, start, end] {
                        codec::put_u32(bytes, field);
                    }
                    for text in [cell, project] {
                        codec::put_str(bytes, text);
                    }
                    held += bytes.len() - before;
                    if held > COLLECT_BUDGET {
                        flush_groups(reported.values_mut(), &mut store, &mut offset)?;
                        held = 0;
                    }
                }
            }
        }
        // The partition's groups go to the store before the next partition is read.
        flush_groups(reported.values_mut(), &mut store, &mut offset)?;
        places.extend(reported.into_values().map(|(place, _)| place));
    }
    drop(file_numbers);
    let store = store.into_inner().map_err(|e| e.into_error())?;
    Ok(Collection {
        places,
        files,
        store,
    })
}

/// A use of a reported goal, its project's name borrowed from its group's bytes.
struct Use<'a> {
    span: Span,
    project: &'a str,
}

/// The finding of a reported group from its bytes (see [`Collected`]): its goal text and its
/// `count` uses in order; `None` when the bytes are cut short.
fn group_finding(bytes: &[u8], count: usize, files: &[Arc<str>]) -> Option<Finding> {
    let mut fields = codec::Fields(bytes);
    let text = fields.str()?;
    let unit = fields.str()?;
    let mut uses = Vec::with_capacity(count);
    for _ in 0..count {
        let file = files.get(fields.u32()? as usize)?.clone();
        let mut span = Span::new(file, fields.u32()?, fields.u32()?, fields.u32()?);
        let cell = fields.str()?;
        if !cell.is_empty() {
            span.cell = serde_json::from_str(cell).ok();
        }
        uses.push(Use {
            span,
            project: fields.str()?,
        });
    }
    let first = uses.first()?;
    // The message names every project: made in one piece of the right size, as a 1 GB list
    // names 22,000 projects (megabytes) in each.
    let mut message = format!(
        "{} 个项目使用相同的绩效目标“{}”：",
        uses.len(),
        excerpt(text, 40)
    );
    message.reserve_exact(uses.iter().map(|u| u.project.len() + '、'.len_utf8()).sum());
    for (index, one) in uses.iter().enumerate() {
        if index > 0 {
            message.push('、');
        }
        message.push_str(one.project);
    }
    let mut finding = Finding::new(
        BoilerplateGoal::CODE,
        first.span.clone(),
        message,
        "为每个项目分别写明其自身的绩效目标，写出该项目特有的产出、效果和数量。",
    )
    .in_project(unit, first.project);
    finding.related = uses.into_iter().skip(1).map(|u| u.span).collect();
    Some(finding)
}

/// A record of a partition's log, borrowed from the reader's buffer.
enum LogRecord<'a> {
    File(&'a str),
    Use {
        hash: (u64, u64),
        number: u64,
        line: u32,
        start: u32,
        end: u32,
        cell: &'a str,
        unit: &'a str,
        project: &'a str,
        /// The goal as written, checked as UTF-8 only where it is used: a group's first use.
        text: &'a [u8],
    },
}

impl<'a> LogRecord<'a> {
    fn decode(record: &'a [u8]) -> io::Result<Self> {
        let mut fields = codec::Fields(record);
        let decoded = match fields.u32() {
            Some(FILE_RECORD) => fields.str().map(LogRecord::File),
            Some(USE_RECORD) => (|| {
                Some(LogRecord::Use {
                    hash: (fields.u64()?, fields.u64()?),
                    number: fields.u64()?,
                    line: fields.u32()?,
                    start: fields.u32()?,
                    end: fields.u32()?,
                    cell: fields.str()?,
                    unit: fields.str()?,
                    project: fields.str()?,
                    text: {
                        let len = fields.u32()? as usize;
                        fields.0.get(..len)?
                    },
                })
            })(),
            _ => None,
        };
        decoded.ok_or_else(corrupt)
    }
}

/// The goal hash of a use record, `None` for a file record; the same checks as
/// [`LogRecord::decode`] on the fields it reads.
fn use_hash(record: &[u8]) -> io::Result<Option<(u64, u64)>> {
    let mut fields = codec::Fields(record);
    match fields.u32() {
        Some(FILE_RECORD) => Ok(None),
        Some(USE_RECORD) => match (fields.u64(), fields.u64()) {
            (Some(high), Some(low)) => Ok(Some((high, low))),
            _ => Err(corrupt()),
        },
        _ => Err(corrupt()),
    }
}

fn corrupt() -> io::Error {
    io::Error::other("G002 的临时记录已损坏")
}

/// 128 bits of XXH3 over the normalised goal, so distinct goals in a corpus of millions do not
/// collide in practice while the goal text itself stays on disk; one pass over the goal where
/// two keyed SipHash halves took two.
/// Hashing for maps keyed by [`key_hash`]: the key is a hash already, so its halves are used as
/// they are; SipHash over them was a fifth of the cost of `finish`.
type GoalHash = BuildHasherDefault<GoalHasher>;

#[derive(Debug, Default)]
struct GoalHasher(u64);

impl Hasher for GoalHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Not reached for `(u64, u64)` keys; correct for anything else.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, half: u64) {
        self.0 = self.0.rotate_left(32) ^ half;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn key_hash(key: &str) -> (u64, u64) {
    let hash = XxHash3_128::oneshot(key.as_bytes());
    ((hash >> 64) as u64, hash as u64)
}

fn excerpt(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
