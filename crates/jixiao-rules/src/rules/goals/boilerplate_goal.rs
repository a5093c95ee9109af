use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::io;
use std::sync::Arc;

use jixiao_model::{Document, Span};

use crate::Finding;
use crate::engine::Context;
use crate::rules::util;
use crate::rules::{CorpusState, Rule, declare_rule, rule_meta};
use crate::scratch::{RecordLog, Scratch, codec};

declare_rule! {
    /// ## What it does
    /// Reports a 绩效目标 used word for word (after removing spaces and punctuation) by `min_projects`
    /// or more projects (default 3) across everything checked in one run. One finding per goal, at
    /// its first occurrence, naming every project; the other occurrences are related places.
    /// Goals shorter than 10 characters are left to G001.
    ///
    /// ## Why is this bad?
    /// A goal copied across projects describes none of them: each project spends different money
    /// in a different place and should say what it in particular will achieve. Copied goals are a
    /// classic sign of targets filled in to satisfy the form.
    ///
    /// ## Example
    /// ```text
    /// 赤坭镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// 花东镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// 花山镇居民医保扩面工作经费	…	通过提供居民医保扩面工作经费保障，…
    /// ```
    /// Give each project its own goal with its own numbers (参保人数, 扩面任务完成率 for that town).
    ///
    /// ## Regulation
    /// 财预〔2015〕88号 §25: goals are 指向明确 (specific to the project). Reviewers treat copied goals
    /// as boilerplate (DOMAIN.md §4 "Honest").
    ///
    /// ## Known problems
    /// Projects that are genuinely one programme split by place (the same subsidy for each town)
    /// may share a goal on purpose; goals that differ by one word are not grouped.
    pub struct BoilerplateGoal => "G002";
}

impl Rule for BoilerplateGoal {
    rule_meta!();

    fn check_document(&self, _document: &Document, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}

    fn corpus_state(&self) -> Option<Box<dyn CorpusState>> {
        Some(Box::<State>::default())
    }
}

/// Record tags in the use log.
const FILE_RECORD: u32 = 0;
const USE_RECORD: u32 = 1;

/// What is kept in memory per distinct goal is its hash and a count; each use (place, unit,
/// project, and the goal text of the first one) goes to the scratch log and is read back once in
/// `finish`, keeping only the groups that are reported. Memory grows with the number of distinct
/// goals (about 40 bytes each), not with the text of the corpus.
#[derive(Debug, Default)]
struct State {
    /// Hash of the normalised goal → its group, numbered in the order first seen.
    groups: HashMap<u128, u32>,
    /// Uses of each group so far.
    counts: Vec<u32>,
    uses: RecordLog,
    /// The file of the last use logged: file names are logged once per change, not per use.
    last_file: Option<Arc<str>>,
    record: Vec<u8>,
}

#[derive(Debug)]
struct Use {
    span: Span,
    unit: String,
    project: String,
}

impl CorpusState for State {
    fn observe(&mut self, document: &Document, _cx: &Context<'_>) {
        for (unit, project) in util::projects(document) {
            let Some(goal) = &project.goal else { continue };
            let key = util::normalized(&goal.text);
            if key.chars().count() < 10 {
                continue;
            }
            let next = u32::try_from(self.counts.len()).unwrap_or(u32::MAX);
            let group = *self.groups.entry(key_hash(&key)).or_insert(next);
            let first = group == next;
            if first {
                self.counts.push(0);
            }
            self.counts[group as usize] += 1;
            if self.last_file.as_ref() != Some(&goal.span.file) {
                self.record.clear();
                codec::put_u32(&mut self.record, FILE_RECORD);
                codec::put_str(&mut self.record, &goal.span.file);
                self.uses.push(&self.record);
                self.last_file = Some(goal.span.file.clone());
            }
            let span = &goal.span;
            let cell = span
                .cell
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok())
                .unwrap_or_default();
            self.record.clear();
            codec::put_u32(&mut self.record, USE_RECORD);
            for field in [group, span.line, span.start, span.end] {
                codec::put_u32(&mut self.record, field);
            }
            codec::put_str(&mut self.record, &cell);
            codec::put_str(&mut self.record, &unit.name.text);
            codec::put_str(&mut self.record, &project.name.text);
            codec::put_str(&mut self.record, if first { &goal.text } else { "" });
            self.uses.push(&self.record);
        }
    }

    fn use_scratch(&mut self, scratch: Box<dyn Scratch>) {
        // Only before the first observation: the log is not copied.
        if self.counts.is_empty() {
            self.uses = RecordLog::new(scratch);
        }
    }

    fn finish(self: Box<Self>, cx: &Context<'_>, out: &mut Vec<Finding>) -> io::Result<()> {
        let min = cx
            .settings
            .number(BoilerplateGoal::CODE, "min_projects", 3.0)
            .max(2.0)
            .ceil() as usize;
        let State { counts, uses, .. } = *self;
        // Reported groups by group number, so they come out in the order first seen.
        let mut reported: BTreeMap<u32, (String, Vec<Use>)> = BTreeMap::new();
        let mut reader = uses.into_reader()?;
        let mut file: Arc<str> = Arc::from("");
        let corrupt = || io::Error::other("G002 的临时记录已损坏");
        while let Some(record) = reader.next_record()? {
            let mut fields = codec::Fields(record);
            match fields.u32() {
                Some(FILE_RECORD) => file = Arc::from(fields.str().ok_or_else(corrupt)?),
                Some(USE_RECORD) => {
                    let group = fields.u32().ok_or_else(corrupt)?;
                    if counts.get(group as usize).is_none_or(|&n| (n as usize) < min) {
                        continue;
                    }
                    let (line, start, end) = (fields.u32(), fields.u32(), fields.u32());
                    let (Some(line), Some(start), Some(end)) = (line, start, end) else {
                        return Err(corrupt());
                    };
                    let mut span = Span::new(file.clone(), line, start, end);
                    let cell = fields.str().ok_or_else(corrupt)?;
                    if !cell.is_empty() {
                        span.cell = serde_json::from_str(cell).ok();
                    }
                    let unit = fields.str().ok_or_else(corrupt)?.to_owned();
                    let project = fields.str().ok_or_else(corrupt)?.to_owned();
                    let text = fields.str().ok_or_else(corrupt)?;
                    let entry = reported.entry(group).or_default();
                    if !text.is_empty() {
                        entry.0 = text.to_owned();
                    }
                    entry.1.push(Use {
                        span,
                        unit,
                        project,
                    });
                }
                _ => return Err(corrupt()),
            }
        }
        for (text, uses) in reported.into_values() {
            let names: Vec<&str> = uses.iter().map(|u| u.project.as_str()).collect();
            let first = &uses[0];
            let mut finding = Finding::new(
                BoilerplateGoal::CODE,
                first.span.clone(),
                format!(
                    "{} 个项目使用相同的绩效目标“{}”：{}",
                    uses.len(),
                    excerpt(&text, 40),
                    names.join("、")
                ),
                "为每个项目分别写明其自身的绩效目标，写出该项目特有的产出、效果和数量。",
            )
            .in_project(&first.unit, &first.project);
            finding.related = uses[1..].iter().map(|u| u.span.clone()).collect();
            out.push(finding);
        }
        Ok(())
    }
}

/// 128 bits of SipHash over the normalised goal: two keyed halves, so distinct goals in a corpus
/// of millions do not collide in practice while the goal text itself stays on disk.
fn key_hash(key: &str) -> u128 {
    let half = |salt: u8| {
        let mut hasher = DefaultHasher::new();
        hasher.write_u8(salt);
        hasher.write(key.as_bytes());
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
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
