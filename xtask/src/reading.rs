//! `cargo xtask reading-eval`: how well jixiao reads real tables, against labels written by hand
//! from the source text (`tests/reading/`).
//!
//! A labelled indicator is right when jixiao read an indicator with the same name (white space,
//! script and pinyin glosses aside) and, for every field the label gives, the same text: value,
//! actual, weight, score, and the 一级/二级 category (by canonical name or as printed, a score or
//! template hint in the category cell aside).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use jixiao_model::{Indicator, Profile, hans};
use serde::Deserialize;

/// One label file.
#[derive(Debug, Deserialize)]
pub struct Label {
    pub source: String,
    pub holds_indicators: bool,
    #[serde(default)]
    pub documents: Vec<LabelDocument>,
}

#[derive(Debug, Deserialize)]
pub struct LabelDocument {
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub indicators: Vec<LabelIndicator>,
}

#[derive(Debug, Deserialize, Default)]
pub struct LabelIndicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    /// Empty when the table's name cell is empty.
    #[serde(default)]
    pub name: String,
    pub value: Option<String>,
    pub operator: Option<String>,
    pub unit: Option<String>,
    pub actual: Option<String>,
    pub weight: Option<String>,
    pub score: Option<String>,
}

impl LabelIndicator {
    fn strings(&self) -> impl Iterator<Item = &str> {
        [
            self.level1.as_deref(),
            self.level2.as_deref(),
            Some(self.name.as_str()).filter(|n| !n.is_empty()),
            self.value.as_deref(),
            self.operator.as_deref(),
            self.unit.as_deref(),
            self.actual.as_deref(),
            self.weight.as_deref(),
            self.score.as_deref(),
        ]
        .into_iter()
        .flatten()
    }
}

/// What reading one file gave, against its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileScore {
    pub file: String,
    pub holds_indicators: bool,
    /// jixiao found at least one document.
    pub recognised: bool,
    pub labelled: usize,
    pub right: usize,
    /// Indicators jixiao read that no label accounts for.
    pub extra: usize,
    /// For each labelled indicator that was not right, why.
    pub misses: Vec<String>,
}

/// Totals over files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub with_indicators: usize,
    /// Files with indicator rows that yielded at least one right indicator.
    pub yielding: usize,
    pub labelled: usize,
    pub right: usize,
    /// Files without indicator rows where jixiao invented indicators.
    pub invented: usize,
}

impl Totals {
    pub fn of(scores: &[FileScore]) -> Self {
        let mut totals = Self::default();
        for score in scores {
            totals.files += 1;
            totals.labelled += score.labelled;
            totals.right += score.right;
            if score.holds_indicators {
                totals.with_indicators += 1;
                if score.right > 0 {
                    totals.yielding += 1;
                }
            } else if score.extra > 0 {
                totals.invented += 1;
            }
        }
        totals
    }

    pub fn share_right(&self) -> f64 {
        if self.labelled == 0 {
            return 1.0;
        }
        self.right as f64 / self.labelled as f64
    }
}

/// The comparison key: no white space, Simplified characters, no pinyin glosses, full-width
/// forms folded (`（` → `(`, `％` → `%`).
pub fn key(text: &str) -> String {
    let text = hans::without_glosses(text);
    let text = hans::to_simplified(&text);
    jixiao_model::match_key(&text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A category as a label gives it, without a score or template hint (`产出指标(50分)`,
/// `产出指标50分`).
fn category_key(text: &str) -> String {
    let key = key(text);
    let cut = key
        .find(['(', '[', '【'])
        .or_else(|| {
            key.char_indices()
                .find(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
        })
        .unwrap_or(key.len());
    key[..cut].to_owned()
}

/// Reads the labels under `dir` (`samples/*.json`, `variations/*.json`).
pub fn labels(dir: &Path) -> anyhow::Result<Vec<(PathBuf, Label)>> {
    let mut found = Vec::new();
    for sub in ["samples", "variations"] {
        let folder = dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let label: Label = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a label file", path.display()))?;
            found.push((path, label));
        }
    }
    Ok(found)
}

/// Every label string must be in its source once white space and glosses are removed.
pub fn check_labels(labels: &[(PathBuf, Label)], shared: &Path) -> anyhow::Result<Vec<String>> {
    let mut misses = Vec::new();
    for (path, label) in labels {
        let source = shared.join(&label.source);
        let bytes =
            std::fs::read(&source).with_context(|| format!("reading {}", source.display()))?;
        let text = jixiao_parse::decode_lossy(&bytes);
        let plain = |t: &str| -> String {
            hans::without_glosses(t)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let haystack = plain(&text);
        let unchunked = plain(&without_chunk_markers(&text));
        for document in &label.documents {
            let strings = document
                .project
                .iter()
                .map(String::as_str)
                .chain(document.indicators.iter().flat_map(LabelIndicator::strings));
            for string in strings {
                let wanted = plain(string);
                if !haystack.contains(&wanted) && !unchunked.contains(&wanted) {
                    misses.push(format!(
                        "{}: “{string}” is not in the source",
                        path.display()
                    ));
                }
            }
        }
    }
    Ok(misses)
}

/// The text without the chunk markers a doc-sharing site puts at the start of a line after a
/// blank line (`发生动态\n\n2、与短期预报报告次数`): they are the site's, not the table's, so a
/// label may leave them out of a cell they split.
fn without_chunk_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_blank = false;
    for line in text.split_inclusive('\n') {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &line[digits..];
        if after_blank && (1..=2).contains(&digits) && rest.starts_with('、') {
            out.push_str(&rest['、'.len_utf8()..]);
        } else {
            out.push_str(line);
        }
        after_blank = line.trim().is_empty();
    }
    out
}

/// Reads each labelled source and scores it.
pub fn evaluate(labels: &[(PathBuf, Label)], shared: &Path) -> anyhow::Result<Vec<FileScore>> {
    let profile = Profile::builtin();
    let mut scores = Vec::new();
    for (_, label) in labels {
        let source = shared.join(&label.source);
        let bytes =
            std::fs::read(&source).with_context(|| format!("reading {}", source.display()))?;
        let parsed = jixiao_parse::parse_bytes(&label.source, &bytes, &profile).ok();
        let read: Vec<&Indicator> = parsed
            .iter()
            .flat_map(|p| &p.documents)
            .flat_map(|d| &d.units)
            .flat_map(|u| &u.projects)
            .flat_map(|p| &p.indicators)
            .collect();
        let wanted: Vec<&LabelIndicator> =
            label.documents.iter().flat_map(|d| &d.indicators).collect();
        let mut used = vec![false; read.len()];
        let mut right = 0;
        let mut misses = Vec::new();
        for want in &wanted {
            let name = key(&want.name);
            let candidates: Vec<usize> = (0..read.len())
                .filter(|&i| !used[i] && key(&read[i].name.text) == name)
                .collect();
            let Some(&first) = candidates.first() else {
                misses.push(format!("{}: 未读出", want.name));
                continue;
            };
            let best = candidates
                .iter()
                .copied()
                .find(|&i| differences(want, read[i], &profile).is_empty())
                .unwrap_or(first);
            used[best] = true;
            let wrong = differences(want, read[best], &profile);
            if wrong.is_empty() {
                right += 1;
            } else {
                misses.push(format!("{}: {}", want.name, wrong.join("；")));
            }
        }
        scores.push(FileScore {
            file: label.source.clone(),
            holds_indicators: label.holds_indicators,
            recognised: parsed.as_ref().is_some_and(|p| !p.documents.is_empty()),
            labelled: wanted.len(),
            right,
            extra: used.iter().filter(|u| !**u).count(),
            misses,
        });
    }
    Ok(scores)
}

/// What differs between a label and the indicator read for it.
fn differences(want: &LabelIndicator, got: &Indicator, profile: &Profile) -> Vec<String> {
    let mut wrong = Vec::new();
    let details = got.details.as_deref();
    let mut field = |label: &str, wanted: Option<&str>, read: Option<&str>| {
        if let Some(wanted) = wanted
            && read.is_none_or(|r| key(r) != key(wanted))
        {
            wrong.push(format!(
                "{label}应为“{wanted}”，读出“{}”",
                read.unwrap_or("")
            ));
        }
    };
    // A value printed with its comparator and unit in one cell (`=100%`) is the same as the
    // three cells of a table with 计算符号 and 度量单位 columns.
    let composed = want.value.as_ref().map(|v| {
        format!(
            "{}{v}{}",
            want.operator.as_deref().unwrap_or(""),
            want.unit.as_deref().unwrap_or("")
        )
    });
    let annual = got.annual.as_ref().map(|v| v.raw.as_str());
    if composed.is_none_or(|c| annual.is_none_or(|a| key(a) != key(&c))) {
        field("指标值", want.value.as_deref(), annual);
    }
    field(
        "完成值",
        want.actual.as_deref(),
        details
            .and_then(|d| d.actual.as_ref())
            .map(|v| v.raw.as_str()),
    );
    field(
        "权重",
        want.weight.as_deref(),
        details
            .and_then(|d| d.weight.as_ref())
            .map(|a| a.raw.as_str()),
    );
    field(
        "得分",
        want.score.as_deref(),
        details
            .and_then(|d| d.score.as_ref())
            .map(|a| a.raw.as_str()),
    );
    let category = |label: &str,
                    wanted: Option<&str>,
                    read: Option<&jixiao_model::Category>,
                    canonical: &dyn Fn(&str) -> Option<String>|
     -> Option<String> {
        let wanted = wanted?;
        let wanted_key = category_key(wanted);
        let matches = read.is_some_and(|c| {
            category_key(&c.raw) == wanted_key
                || key(&c.name) == wanted_key
                || canonical(wanted).is_some_and(|n| key(&n) == key(&c.name))
        });
        (!matches).then(|| {
            format!(
                "{label}应为“{wanted}”，读出“{}”",
                read.map_or("", |c| c.name.as_str())
            )
        })
    };
    let simplified = |t: &str| hans::to_simplified(&hans::without_glosses(t)).into_owned();
    wrong.extend(category(
        "一级",
        want.level1.as_deref(),
        got.level1.as_ref(),
        &|t| profile.level1(&simplified(t)).map(|d| d.name.to_string()),
    ));
    wrong.extend(category(
        "二级",
        want.level2.as_deref(),
        got.level2.as_ref(),
        &|t| {
            profile
                .level2(&simplified(t), None)
                .map(|d| d.name.to_string())
        },
    ));
    wrong
}

/// The per-file table and totals, as Markdown.
pub fn report(scores: &[FileScore], verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| 文件 | 有指标行 | 识别 | 读对 / 标注 | 多读 |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for score in scores {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} / {} | {} |",
            score.file,
            if score.holds_indicators { "是" } else { "否" },
            if score.recognised { "是" } else { "否" },
            score.right,
            score.labelled,
            score.extra
        );
    }
    let mut groups: BTreeMap<&str, Vec<FileScore>> = BTreeMap::new();
    for score in scores {
        let group = score.file.split('/').next().unwrap_or("");
        groups.entry(group).or_default().push(score.clone());
    }
    let _ = writeln!(out);
    for (group, scores) in &groups {
        let totals = Totals::of(scores);
        let _ = writeln!(
            out,
            "- {group}：{} 个文件，{} 个有指标行，其中 {} 个读出指标；标注指标 {} 个，读对 {} 个（{:.1}%）；无指标行而读出指标的文件 {} 个。",
            totals.files,
            totals.with_indicators,
            totals.yielding,
            totals.labelled,
            totals.right,
            totals.share_right() * 100.0,
            totals.invented
        );
    }
    if verbose {
        let _ = writeln!(out);
        for score in scores {
            for miss in &score.misses {
                let _ = writeln!(out, "{}: {miss}", score.file);
            }
        }
    }
    out
}

/// `cargo xtask reading-eval [--labels DIR] [--shared DIR] [--check-labels] [-v]`.
pub fn run(labels_dir: &Path, shared: &Path, check: bool, verbose: bool) -> anyhow::Result<bool> {
    if !shared.join("samples").is_dir() {
        bail!(
            "{} has no samples/: the reading eval needs ../shared beside the repository",
            shared.display()
        );
    }
    let labels = labels(labels_dir)?;
    if labels.is_empty() {
        bail!("no label files under {}", labels_dir.display());
    }
    if check {
        let misses = check_labels(&labels, shared)?;
        for miss in &misses {
            println!("{miss}");
        }
        println!(
            "{} label files, {} strings not in their source",
            labels.len(),
            misses.len()
        );
        return Ok(misses.is_empty());
    }
    let scores = evaluate(&labels, shared)?;
    print!("{}", report(&scores, verbose));
    Ok(true)
}
