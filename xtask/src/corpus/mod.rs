//! `cargo xtask gen`: corpora of department-list tables with mistakes planted on purpose and a
//! manifest of where they are and which rule should report them, and of which tables are versions
//! of which (`tables`: some departments publish a corrected table again, as a file of its own).
//!
//! One file per department (or `--per-file K` departments) under `part-NNN/`. Everything is drawn
//! from one seeded PRNG, so a seed gives the same corpus byte for byte. A project gets at most one planted mistake; some mistakes
//! necessarily show up in more than one place (a project row that does not add up makes its unit
//! row and the 合计 row not add up either), and the manifest lists each place with the mistake
//! that caused it.

mod selfeval;
mod words;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};

pub use selfeval::SELF_EVALUATION_CODES;
use words::{BUREAUS, Bureau, Ind, Topic, ValueForm};

/// Mistakes planted per project, with their default rates (share of projects).
pub const PROJECT_CODES: &[(&str, f64)] = &[
    ("A001", 0.02),
    ("A004", 0.01),
    ("I002", 0.03),
    ("I003", 0.03),
    ("I004", 0.03),
    ("I005", 0.02),
    ("I006", 0.02),
    ("I007", 0.02),
    ("V001", 0.01),
    ("V002", 0.03),
    ("V003", 0.03),
    ("V004", 0.01),
    ("V005", 0.03),
    ("V006", 0.02),
    ("V007", 0.02),
    ("V008", 0.02),
    ("C001", 0.03),
    ("C002", 0.03),
    ("G001", 0.01),
    ("G003", 0.02),
    // Planted after the goal with each project's own random numbers (see `LATE_CODES`).
    ("V009", 0.02),
    ("V010", 0.02),
    ("V011", 0.01),
    ("I008", 0.02),
    ("C003", 0.02),
];

/// Mistakes of real tables (template text, damaged text, shares past the whole, misfiled
/// categories, unit price × quantity against the total), planted after the goal is written and
/// with the project's own random numbers: the department's draws are those of a corpus without
/// them, so they change no table beyond the projects they go into (which would be clean).
const LATE_CODES: &[&str] = &["V009", "V010", "V011", "I008", "C003"];

/// Whether a project's mistake is one of [`LATE_CODES`].
fn is_late(mistake: Mistake) -> bool {
    matches!(mistake, Mistake::Code(code) if LATE_CODES.contains(&code))
}

/// The random numbers of one project's late mistake: from the seed and the project's name (unique
/// in its file).
fn own_rng(seed: u64, name: &str) -> fastrand::Rng {
    let mut hasher = DefaultHasher::new();
    (seed, name).hash(&mut hasher);
    fastrand::Rng::with_seed(hasher.finish())
}

/// Mistakes planted elsewhere: A002 per unit, A003 per department with a 合计 row, G002 per
/// project (the first of a group of 3–4 projects sharing a goal), S003 per project (a row split by
/// a page break).
pub const OTHER_CODES: &[(&str, f64)] = &[
    ("A002", 0.05),
    ("A003", 0.10),
    ("G002", 0.01),
    ("S003", 0.03),
];

/// Where the self-evaluations go, beside the departments' `part-NNN/`.
pub const SELF_EVALUATION_DIR: &str = "selfeval";

/// True for a file of the corpus that is a self-evaluation.
pub fn is_self_evaluation_file(file: &str) -> bool {
    file.strip_prefix(SELF_EVALUATION_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub departments: usize,
    pub seed: u64,
    pub out: PathBuf,
    /// Stop once this many bytes are written (instead of after `departments`).
    pub size: Option<u64>,
    /// Departments per file: 1 is how tables are published; a compilation of a province's
    /// tables has many.
    pub per_file: usize,
    pub rates: BTreeMap<String, f64>,
    /// Share of departments whose table is published again, corrected (one project's amount
    /// changed), as the next file: a second version of the same document.
    pub republish: f64,
    /// Self-evaluations to write after the departments, one per file under `selfeval/`: most
    /// with one inconsistency an E rule should find, the rest clean. They are no tables of the
    /// corpus's documents and versions.
    pub self_evaluations: usize,
}

impl Options {
    pub fn new(departments: usize, seed: u64, out: PathBuf) -> Self {
        let rates = PROJECT_CODES
            .iter()
            .chain(OTHER_CODES)
            .map(|(code, rate)| ((*code).to_owned(), *rate))
            .collect();
        Self {
            departments,
            seed,
            out,
            size: None,
            per_file: 1,
            rates,
            republish: 0.03,
            self_evaluations: 0,
        }
    }

    /// Sets `CODE=RATE`.
    pub fn set_rate(&mut self, spec: &str) -> anyhow::Result<()> {
        let (code, rate) = spec
            .split_once('=')
            .with_context(|| format!("--rate wants CODE=RATE, got {spec}"))?;
        let code = code.trim().to_ascii_uppercase();
        if !self.rates.contains_key(&code) {
            bail!(
                "no mistake is planted for {code}; known: {}",
                self.rates.keys().cloned().collect::<Vec<_>>().join(" ")
            );
        }
        let rate: f64 = rate
            .trim()
            .parse()
            .with_context(|| format!("--rate {spec}: not a number"))?;
        if !(0.0..=1.0).contains(&rate) {
            bail!("--rate {spec}: a rate is between 0 and 1");
        }
        self.rates.insert(code, rate);
        Ok(())
    }

    fn rate(&self, code: &str) -> f64 {
        self.rates.get(code).copied().unwrap_or(0.0)
    }
}

/// One place where a rule should report a planted mistake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planted {
    /// Relative to the corpus directory.
    pub file: String,
    pub line: u32,
    pub code: String,
    pub unit: String,
    /// `None` for unit and 合计 rows.
    pub project: Option<String>,
    /// The planted mistake this is a consequence of (the code itself for the mistake's own place).
    pub cause: String,
    /// Other places of the same mistake (the other projects sharing a boilerplate goal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<u32>,
}

/// A project without planted mistakes: no rule should report anything in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clean {
    pub file: String,
    pub line: u32,
    pub unit: String,
    pub project: String,
}

/// One table of the corpus and the document it is a version of. Tables of one document have the
/// same publisher, year and projects; the highest version is the one reports show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub file: String,
    /// Its place in the file, from 0.
    pub table: usize,
    /// Numbers the documents of the corpus from 0, in the order first published.
    pub document: usize,
    /// 1 for the first publication, 2 for the corrected one.
    pub version: u32,
    pub publisher: String,
    pub year: u32,
    pub projects: usize,
    pub indicators: usize,
    /// The table's total in 万元 as it states it (its 合计 row, else the sum of its unit rows).
    pub total_wan: String,
}

/// What a run wrote.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub projects: usize,
    pub planted: usize,
    pub clean: usize,
    pub tables: usize,
    pub republished: usize,
}

/// The manifest as read back by `eval`.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub seed: u64,
    pub files: Vec<String>,
    pub planted: Vec<Planted>,
    pub clean: Vec<Clean>,
    #[serde(default)]
    pub tables: Vec<Table>,
}

impl Manifest {
    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }
}

/// Writes the corpus and its manifest.
pub fn generate(options: &Options) -> anyhow::Result<Stats> {
    let total_rate: f64 = PROJECT_CODES.iter().map(|(c, _)| options.rate(c)).sum();
    if total_rate > 1.0 {
        bail!("the per-project rates add up to {total_rate:.2}, more than 1");
    }
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("creating {}", options.out.display()))?;
    let manifest_path = options.out.join("manifest.json");
    let mut manifest = ManifestWriter::create(&manifest_path, options)?;
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut goals = GoalSet::default();
    let mut stats = Stats::default();
    let per_file = options.per_file.max(1);
    let mut index = 0;
    // A department to publish again, corrected, at the start of the next file, with its document
    // number.
    let mut republish: Option<(Department, usize)> = None;
    let mut documents = 0;
    let mut identities = HashSet::new();
    let done = |index: usize, bytes: u64| match options.size {
        Some(size) => bytes >= size,
        None => index >= options.departments,
    };
    while !done(index, stats.bytes) || republish.is_some() {
        let file_index = stats.files;
        let file = format!("part-{:03}/d{file_index:06}.txt", file_index / 1000);
        let mut out = Writer::default();
        let mut rendered = Rendered::default();
        // Project names are unique within a file, so the manifest can name a project by file and
        // name even when a file holds two departments of the same name.
        let mut names = HashSet::new();
        let mut tables = Vec::new();
        // A corrected table is published as a file of its own, as publishers do; so every file
        // is either all latest versions or all superseded (with one department per file).
        let republished = republish.take();
        let fresh = republished.is_none();
        if let Some((mut department, document)) = republished {
            department.correct(&mut rng);
            let total = department.render(&mut rng, &file, &mut out, &mut rendered);
            tables.push(department.table(&file, tables.len(), document, 2, total));
            stats.republished += 1;
        }
        let mut in_file = 0;
        while fresh && in_file < per_file && !done(index, stats.bytes + out.text.len() as u64) {
            let department = loop {
                let department = Department::draw(&mut rng, options, &mut goals, &mut names);
                // Two departments of one name and year with the same projects would be one
                // document; draw again (it does not happen in practice).
                if identities.insert(department.identity()) {
                    break department;
                }
            };
            let total = department.render(&mut rng, &file, &mut out, &mut rendered);
            tables.push(department.table(&file, tables.len(), documents, 1, total));
            if republish.is_none() && department.can_be_corrected() && rng.f64() < options.republish
            {
                republish = Some((department, documents));
            }
            documents += 1;
            index += 1;
            in_file += 1;
        }
        let path = options.out.join(&file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, out.text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        stats.files += 1;
        stats.bytes += out.text.len() as u64;
        stats.projects += rendered.projects;
        stats.planted += rendered.planted.len();
        stats.clean += rendered.clean.len();
        stats.tables += tables.len();
        manifest.add(&file, &rendered, &tables)?;
    }
    // Their own generator, so a corpus with self-evaluations has the same departments as one
    // without.
    let mut rng = fastrand::Rng::with_seed(options.seed ^ 0x5e1f_e7a1);
    for index in 0..options.self_evaluations {
        let file = format!("{SELF_EVALUATION_DIR}/s{index:06}.txt");
        let mut rendered = Rendered::default();
        let text = selfeval::render(
            &mut rng,
            &file,
            index,
            &mut rendered,
            options.rate("V009") > 0.0,
        );
        let path = options.out.join(&file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        stats.files += 1;
        stats.bytes += text.len() as u64;
        stats.projects += rendered.projects;
        stats.planted += rendered.planted.len();
        stats.clean += rendered.clean.len();
        manifest.add(&file, &rendered, &[])?;
    }
    manifest.finish()?;
    Ok(stats)
}

/// Writes the manifest as it goes, so a 1 GB corpus does not keep its manifest in memory.
struct ManifestWriter {
    files: std::io::BufWriter<std::fs::File>,
    planted: std::io::BufWriter<std::fs::File>,
    clean: std::io::BufWriter<std::fs::File>,
    tables: std::io::BufWriter<std::fs::File>,
    paths: [PathBuf; 4],
    target: PathBuf,
    header: String,
    counts: [usize; 4],
}

impl ManifestWriter {
    fn create(target: &Path, options: &Options) -> anyhow::Result<Self> {
        let part = |name: &str| target.with_extension(format!("{name}.part"));
        let paths = [
            part("files"),
            part("planted"),
            part("clean"),
            part("tables"),
        ];
        let open = |p: &Path| -> anyhow::Result<_> {
            Ok(std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            ))
        };
        let header = format!(
            "{{\n\"seed\": {},\n\"rates\": {},\n",
            options.seed,
            serde_json::to_string(&options.rates)?
        );
        Ok(Self {
            files: open(&paths[0])?,
            planted: open(&paths[1])?,
            clean: open(&paths[2])?,
            tables: open(&paths[3])?,
            paths,
            target: target.to_owned(),
            header,
            counts: [0; 4],
        })
    }

    fn add(&mut self, file: &str, rendered: &Rendered, tables: &[Table]) -> anyhow::Result<()> {
        let sep = |n: usize| if n == 0 { "\n" } else { ",\n" };
        write!(
            self.files,
            "{}{}",
            sep(self.counts[0]),
            serde_json::to_string(file)?
        )?;
        self.counts[0] += 1;
        for planted in &rendered.planted {
            write!(
                self.planted,
                "{}{}",
                sep(self.counts[1]),
                serde_json::to_string(planted)?
            )?;
            self.counts[1] += 1;
        }
        for clean in &rendered.clean {
            write!(
                self.clean,
                "{}{}",
                sep(self.counts[2]),
                serde_json::to_string(clean)?
            )?;
            self.counts[2] += 1;
        }
        for table in tables {
            write!(
                self.tables,
                "{}{}",
                sep(self.counts[3]),
                serde_json::to_string(table)?
            )?;
            self.counts[3] += 1;
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        let Self {
            files,
            planted,
            clean,
            tables,
            paths,
            target,
            header,
            ..
        } = self;
        for writer in [files, planted, clean, tables] {
            writer.into_inner().map_err(|e| e.into_error())?;
        }
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(&target)
                .with_context(|| format!("creating {}", target.display()))?,
        );
        out.write_all(header.as_bytes())?;
        for (name, path) in ["files", "planted", "clean", "tables"].iter().zip(&paths) {
            write!(out, "\"{name}\": [")?;
            let mut part = std::fs::File::open(path)?;
            std::io::copy(&mut part, &mut out)?;
            let last = *name == "tables";
            write!(out, "\n]{}\n", if last { "" } else { "," })?;
            std::fs::remove_file(path)?;
        }
        out.write_all(b"}\n")?;
        out.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}

/// Normalised goals seen so far, so that clean goals never repeat across the corpus (G002).
#[derive(Debug, Default)]
struct GoalSet(HashSet<u64>);

impl GoalSet {
    /// Records the goal; false when it (or one differing only in punctuation) was seen before.
    fn insert(&mut self, goal: &str) -> bool {
        let mut hasher = DefaultHasher::new();
        for c in goal.chars().filter(|c| !is_punctuation(*c)) {
            c.hash(&mut hasher);
        }
        self.0.insert(hasher.finish())
    }
}

fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '。'
            | '.'
            | '、'
            | '；'
            | ';'
            | '：'
            | ':'
            | '“'
            | '”'
            | '"'
            | ' '
            | '（'
            | '）'
            | '('
            | ')'
    )
}

/// How a department writes its table.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// `1、1-产出指标；12-质量指标；名称；实施周期指标值：V；年度指标值：V。` (越秀) rather than
    /// `1、产出指标：名称，年度指标值：V。` (花都).
    coded: bool,
    /// Half-width `:` and `,` in the indicator cell and goals.
    half_width: bool,
    /// `34,139.95` rather than `34139.95`.
    thousands: bool,
    /// Zero amounts as empty cells rather than `0.00`.
    empty_zeros: bool,
    /// A 合计 row under the header.
    grand_total: bool,
}

/// Amounts in cents of the table's unit (万元): total, fiscal, special account, other.
type Cents = [i64; 4];

#[derive(Debug)]
struct Department {
    title: String,
    name: String,
    style: Style,
    units: Vec<UnitRow>,
    /// Planted A003: the 合计 row is off by this many cents.
    grand_delta: Option<i64>,
}

#[derive(Debug)]
struct UnitRow {
    name: String,
    /// Planted A002: the unit row is off by this many cents.
    delta: Option<i64>,
    projects: Vec<ProjectRow>,
}

/// A mistake planted in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    Code(&'static str),
    /// A member of a group sharing a boilerplate goal; the first one carries the G002.
    Boilerplate {
        first: bool,
    },
}

#[derive(Debug)]
struct ProjectRow {
    name: String,
    amounts: Cents,
    goal: String,
    indicators: Vec<Indicator>,
    mistake: Mistake,
    split: bool,
    /// Where findings are expected: code and what in the row they point at.
    expects: Vec<(&'static str, Anchor)>,
    /// Other members of a boilerplate group, by index in the department's project order.
    group: Vec<usize>,
}

/// What in a project row a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// The row (its first line).
    Row,
    /// Indicator `i`'s name.
    Name(usize),
    /// Indicator `i`'s 二级 category.
    Level2(usize),
    /// Indicator `i`'s annual value.
    Annual(usize),
}

/// The 一级 of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level1 {
    Output,
    Effect,
    Satisfaction,
}

#[derive(Debug, Clone)]
struct Indicator {
    level1: Level1,
    /// `11-数量指标` and the like, for the coded dialect.
    level2: &'static str,
    name: String,
    annual: String,
    period: String,
    /// The number and unit a goal may promise (`300人次`, `95%`), if any.
    promise: Option<(String, &'static str)>,
    /// Touched by a planted mistake: goals do not promise it.
    tainted: bool,
}

impl Department {
    fn draw(
        rng: &mut fastrand::Rng,
        options: &Options,
        goals: &mut GoalSet,
        used_names: &mut HashSet<String>,
    ) -> Self {
        let (city, districts) = pick(rng, words::PLACES);
        let district = pick(rng, districts);
        let bureau = &pick(rng, BUREAUS);
        let coded = rng.bool();
        let style = Style {
            coded,
            half_width: !coded && rng.f64() < 0.3,
            thousands: !coded || rng.f64() < 0.3,
            empty_zeros: coded && rng.f64() < 0.7,
            grand_total: !coded || rng.bool(),
        };
        let year = 2021 + rng.u32(0..5);
        let title = format!("{year}年{}", pick(rng, words::TITLES));
        let name = format!("{city}{district}{}", bureau.name);
        let unit_count = 1 + rng.usize(0..3);
        let mut unit_names = vec![if rng.bool() {
            format!("{name}（本级）")
        } else {
            name.clone()
        }];
        let mut others: Vec<&str> = bureau.units.to_vec();
        rng.shuffle(&mut others);
        for unit in others.iter().take(unit_count - 1) {
            unit_names.push(format!("{city}{district}{unit}"));
        }
        let sizes: Vec<usize> = unit_names
            .iter()
            .map(|_| 2 + rng.usize(0..5) + rng.usize(0..6))
            .collect();
        let total: usize = sizes.iter().sum();
        let mistakes = draw_mistakes(rng, options, total, coded);
        let mut units = Vec::new();
        let mut index = 0;
        let place = district.to_owned();
        let mut group_goal: Option<String> = None;
        for (unit_name, size) in unit_names.into_iter().zip(sizes) {
            let mut projects = Vec::new();
            for _ in 0..size {
                let (mistake, group) = &mistakes[index];
                let topic = &pick(rng, bureau.topics);
                let name = project_name(rng, topic, &place, year, used_names);
                let mut project = ProjectRow::draw(rng, topic, name, *mistake, style);
                project.group.clone_from(group);
                if let Mistake::Boilerplate { first: true } = mistake {
                    group_goal = Some(boilerplate_goal(rng, &place, bureau, goals));
                }
                project.finish_goal(rng, topic, &place, style, goals, group_goal.as_deref());
                if let Mistake::Code(code) = *mistake
                    && is_late(*mistake)
                {
                    let mut own = own_rng(options.seed, &project.name);
                    project.plant_late(&mut own, code, topic, style, year);
                }
                if !matches!(mistake, Mistake::Boilerplate { .. }) {
                    group_goal = None;
                }
                project.split = rng.f64() < options.rate("S003");
                projects.push(project);
                index += 1;
            }
            let delta = (rng.f64() < options.rate("A002")).then(|| delta(rng));
            units.push(UnitRow {
                name: unit_name,
                delta,
                projects,
            });
        }
        let grand_delta =
            (style.grand_total && rng.f64() < options.rate("A003")).then(|| delta(rng));
        Self {
            title,
            name,
            style,
            units,
            grand_delta,
        }
    }
}

/// An amount a planted total is off by: one cent (rounding) or a real amount.
fn delta(rng: &mut fastrand::Rng) -> i64 {
    if rng.bool() {
        1
    } else {
        i64::from(rng.u32(100..500_000))
    }
}

/// The mistake of each project slot of a department, and for the first of a boilerplate group the
/// indexes of the others.
fn draw_mistakes(
    rng: &mut fastrand::Rng,
    options: &Options,
    total: usize,
    coded: bool,
) -> Vec<(Mistake, Vec<usize>)> {
    let mut out: Vec<(Mistake, Vec<usize>)> = Vec::with_capacity(total);
    let mut index = 0;
    while index < total {
        if total - index >= 3 && rng.f64() < options.rate("G002") {
            let size = (3 + rng.usize(0..2)).min(total - index);
            let members: Vec<usize> = (index..index + size).collect();
            out.push((Mistake::Boilerplate { first: true }, members[1..].to_vec()));
            for _ in 1..size {
                out.push((Mistake::Boilerplate { first: false }, Vec::new()));
            }
            index += size;
            continue;
        }
        let mut u = rng.f64();
        let mut mistake = Mistake::None;
        for (code, _) in PROJECT_CODES {
            let rate = options.rate(code);
            if u < rate {
                // V007 needs the 实施周期 value of the coded dialect.
                if *code != "V007" || coded {
                    mistake = Mistake::Code(code);
                }
                break;
            }
            u -= rate;
        }
        out.push((mistake, Vec::new()));
        index += 1;
    }
    out
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(0..items.len())]
}

fn project_name(
    rng: &mut fastrand::Rng,
    topic: &Topic,
    place: &str,
    year: u32,
    used: &mut HashSet<String>,
) -> String {
    for attempt in 0..20 {
        let prefix = match rng.u32(0..5) {
            0 => place.to_owned(),
            1 => (pick(rng, words::TOWNS)).to_owned(),
            2 => format!("{year}年度"),
            _ => String::new(),
        };
        let suffix = pick(rng, words::PROJECT_SUFFIXES);
        let level = match rng.u32(0..8) {
            0 => "（区本级）",
            1 => "（市级）",
            _ => "",
        };
        let mut name = format!("{prefix}{}{suffix}{level}", topic.core);
        if attempt >= 10 {
            name.push_str(&format!("（{}）", pick(rng, words::TOWNS)));
        }
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("{}{}项目（{}）", place, topic.core, used.len());
    used.insert(name.clone());
    name
}

fn boilerplate_goal(
    rng: &mut fastrand::Rng,
    place: &str,
    bureau: &Bureau,
    goals: &mut GoalSet,
) -> String {
    loop {
        let town = pick(rng, words::TOWNS);
        let topic = pick(rng, words::BOILERPLATE_TOPICS);
        let template = pick(rng, words::BOILERPLATE_GOALS);
        let who = format!("{place}{town}{}{topic}", bureau.name.trim_end_matches('局'));
        let goal = template.replace("{p}", &who);
        if goals.insert(&goal) {
            return goal;
        }
    }
}

impl ProjectRow {
    fn draw(
        rng: &mut fastrand::Rng,
        topic: &Topic,
        name: String,
        mistake: Mistake,
        style: Style,
    ) -> Self {
        let amounts = draw_amounts(rng);
        let mut indicators = Vec::new();
        let take = |rng: &mut fastrand::Rng, list: &[Ind]| -> Vec<Ind> {
            let mut list = list.to_vec();
            rng.shuffle(&mut list);
            let n = 1 + rng.usize(0..list.len());
            list.truncate(n);
            list
        };
        for ind in take(rng, topic.counts) {
            indicators.push(clean_indicator(rng, Level1::Output, &ind));
        }
        for ind in take(rng, topic.qualities) {
            indicators.push(clean_indicator(rng, Level1::Output, &ind));
        }
        for ind in take(rng, topic.costs) {
            indicators.push(clean_indicator(rng, Level1::Output, &ind));
        }
        for ind in take(rng, topic.effects) {
            indicators.push(clean_indicator(rng, Level1::Effect, &ind));
        }
        if rng.f64() < 0.2 {
            indicators.push(clean_extra(rng, amounts[0]));
        }
        let satisfaction = Ind {
            name: "",
            value: ValueForm::Rate { lo: 80, hi: 95 },
        };
        let mut sat = clean_indicator(rng, Level1::Satisfaction, &satisfaction);
        sat.name = format!("{}满意度", topic.recipient);
        indicators.push(sat);
        if !style.coded {
            // The 花都 dialect lists categories in no particular order.
            rng.shuffle(&mut indicators);
        }
        let mut project = Self {
            name,
            amounts,
            goal: String::new(),
            indicators,
            mistake,
            split: false,
            expects: Vec::new(),
            group: Vec::new(),
        };
        if let Mistake::Code(code) = mistake
            && !is_late(mistake)
        {
            project.plant(rng, code, topic, style);
        }
        project
    }

    /// A project a republication may correct: clean, or with a late mistake a higher total
    /// keeps (they were planted in projects that would have been clean, and the correction picks
    /// the project it would pick without them).
    fn correctable(&self) -> bool {
        (self.mistake == Mistake::None || is_late(self.mistake)) && self.amounts[0] > 0
    }

    fn is_clean(&self) -> bool {
        self.expects.is_empty() && !matches!(self.mistake, Mistake::Boilerplate { .. })
    }

    /// Plants one mistake; the indicators it touches are tainted and the places findings should
    /// appear are recorded.
    fn plant(&mut self, rng: &mut fastrand::Rng, code: &'static str, topic: &Topic, style: Style) {
        match code {
            "A001" => {
                self.amounts[0] += delta(rng);
                self.expects.push(("A001", Anchor::Row));
            }
            "A004" => {
                self.amounts = [0; 4];
                self.expects.push(("A004", Anchor::Row));
            }
            "I002" => {
                self.indicators.retain(|i| i.level1 != Level1::Effect);
                self.expects.push(("I002", Anchor::Row));
            }
            "I003" => {
                self.indicators.retain(|i| i.level1 != Level1::Satisfaction);
                self.expects.push(("I003", Anchor::Row));
            }
            "I004" => {
                self.indicators.retain(|i| !i.level2.starts_with("14"));
                self.expects.push(("I004", Anchor::Row));
            }
            "I005" => {
                let count = self
                    .indicators
                    .iter()
                    .position(|i| i.level2.starts_with("11"));
                let sat = self
                    .indicators
                    .iter()
                    .position(|i| i.level1 == Level1::Satisfaction);
                if let (Some(count), Some(sat)) = (count, sat) {
                    self.indicators =
                        vec![self.indicators[count].clone(), self.indicators[sat].clone()];
                    self.expects.push(("I005", Anchor::Row));
                    self.expects.push(("I002", Anchor::Row));
                    self.expects.push(("I004", Anchor::Row));
                }
            }
            "I006" => {
                if let Some(i) = self
                    .indicators
                    .iter()
                    .position(|i| i.level2.starts_with("11"))
                {
                    let mut copy = self.indicators[i].clone();
                    if let ValueForm::Count { unit, lo, hi } = count_form(topic, &copy.name) {
                        let n = rng.u32(lo..=hi);
                        copy.annual = format!("≥{n}{unit}");
                        copy.period.clone_from(&copy.annual);
                    }
                    if rng.bool() {
                        copy.name = format!("全年{}", copy.name);
                    }
                    copy.tainted = true;
                    copy.promise = None;
                    let at = self.last_of(Level1::Output) + 1;
                    self.indicators.insert(at, copy);
                    self.expects.push(("I006", Anchor::Name(at)));
                }
            }
            "I007" => {
                let rate_effect = self
                    .indicators
                    .iter()
                    .position(|i| i.level1 == Level1::Effect && i.annual.ends_with('%'));
                match rate_effect {
                    Some(i) if style.coded && rng.bool() => {
                        // A 二级 of 产出 under 效益, or 社会效益 with the code of 经济效益.
                        self.indicators[i].level2 = pick(rng, &["12-质量指标", "21-社会效益"]);
                        self.indicators[i].tainted = true;
                        self.expects.push(("I007", Anchor::Level2(i)));
                    }
                    _ => {
                        let name = (pick(rng, words::MISPLACED_SATISFACTION)).to_owned();
                        let q = rng.u32(80..=95);
                        let at = self.push_planted(
                            Level1::Effect,
                            "22-社会效益",
                            name,
                            format!("≥{q}%"),
                        );
                        self.expects.push(("I007", Anchor::Name(at)));
                    }
                }
            }
            "V001" => {
                let i = rng.usize(0..self.indicators.len());
                self.indicators[i].annual = String::new();
                self.indicators[i].tainted = true;
                self.expects.push(("V001", Anchor::Annual(i)));
            }
            "V002" => {
                let quality = self.find(|i| i.level2.starts_with("12"));
                if let Some(i) = quality.or_else(|| self.find(|i| i.level2.starts_with("11"))) {
                    let value = (pick(rng, words::VAGUE_VALUES)).to_owned();
                    self.set_value(i, value);
                    self.expects.push(("V002", Anchor::Annual(i)));
                }
            }
            "V003" => {
                let count = self.find(|i| i.level2.starts_with("11") && is_count_name(&i.name));
                let rate = self.find(|i| i.level2.starts_with("12") && is_rate_name(&i.name));
                let choice = match (count, rate) {
                    (Some(c), Some(r)) => Some(if rng.bool() { (c, true) } else { (r, false) }),
                    (Some(c), None) => Some((c, true)),
                    (None, Some(r)) => Some((r, false)),
                    (None, None) => None,
                };
                if let Some((i, is_count)) = choice {
                    let value = match (is_count, rng.bool()) {
                        (true, _) => format!("≥{}%", rng.u32(80..=99)),
                        // `会议培训频数达标率（%）；≥1` (越秀).
                        (false, true) => format!("≥{}", rng.u32(1..=20)),
                        (false, false) => {
                            format!(
                                "≥{}{}",
                                rng.u32(1..=20),
                                pick(rng, &["次", "个", "人", "项"])
                            )
                        }
                    };
                    self.set_value(i, value);
                    self.expects.push(("V003", Anchor::Annual(i)));
                }
            }
            "V004" => {
                if let Some(i) =
                    self.find(|i| i.level2.starts_with("12") && i.annual.ends_with('%'))
                {
                    let value = format!("≥{}%", rng.u32(80..=99) * 10);
                    self.set_value(i, value);
                    self.expects.push(("V004", Anchor::Annual(i)));
                }
            }
            "V005" => {
                let count = self
                    .find(|i| i.level2.starts_with("11") && counted_unit(topic, &i.name).is_some());
                match count {
                    Some(i) if rng.bool() => {
                        let unit = counted_unit(topic, &self.indicators[i].name).unwrap_or("人");
                        let n = rng.u32(10..=500);
                        let value = match rng.u32(0..5) {
                            0 => format!("{n}{unit}以内"),
                            1 => format!("{n}{unit}以下"),
                            _ => format!("{}{n}{unit}", pick(rng, &["≤", "不超过", "<="])),
                        };
                        self.set_value(i, value);
                        self.expects.push(("V005", Anchor::Annual(i)));
                    }
                    _ => {
                        let (name, unit) = pick(rng, words::NEGATIVE_EFFECTS);
                        let name = name.to_owned();
                        let value =
                            format!("{}{}{unit}", pick(rng, &["≥", "不少于"]), rng.u32(1..=5));
                        let at = self.push_planted(Level1::Effect, "22-社会效益", name, value);
                        self.expects.push(("V005", Anchor::Annual(at)));
                    }
                }
            }
            "V006" => {
                let template = pick(rng, words::TAUTOLOGIES);
                let text = template
                    .replace("{p}", "本地区")
                    .replace("{r}", topic.recipient)
                    .replace("{t}", topic.core);
                let value = match rng.u32(0..4) {
                    0 => format!("{text}。"),
                    1 => format!("通过实施项目，{text}"),
                    _ => text.clone(),
                };
                let at = self.push_planted(Level1::Effect, "22-社会效益", text, value);
                self.expects.push(("V006", Anchor::Annual(at)));
            }
            "V007" => {
                let count = self
                    .find(|i| i.level2.starts_with("11") && counted_unit(topic, &i.name).is_some());
                if let Some(i) = count {
                    let unit = counted_unit(topic, &self.indicators[i].name).unwrap_or("人");
                    let n = rng.u32(10..=500);
                    self.indicators[i].period = format!("≥{n}{unit}");
                    self.indicators[i].annual = format!("≥{}{unit}", n * rng.u32(2..=4));
                    self.indicators[i].tainted = true;
                    self.indicators[i].promise = None;
                    self.expects.push(("V007", Anchor::Annual(i)));
                }
            }
            "V008" => {
                if let Some(i) = self.find(|i| i.level1 == Level1::Satisfaction) {
                    let value = match rng.u32(0..4) {
                        0 => "100%".to_owned(),
                        1 => "=100%".to_owned(),
                        _ => format!("≥{}%", rng.u32(50..70)),
                    };
                    self.set_value(i, value);
                    self.expects.push(("V008", Anchor::Annual(i)));
                }
            }
            "C001" => {
                // C001 accepts paying on time as the output of a project that is a payment
                // (`就业补助`): plant only money reaching the unit or being spent there.
                let candidates: Vec<&str> = words::INPUT_INDICATORS
                    .iter()
                    .copied()
                    .filter(|n| !jixiao_rules::is_payout_timeliness(&self.name, n))
                    .collect();
                let name = (pick(rng, &candidates)).to_owned();
                let value = pick(rng, &["100%", "≥95%", "=100%", "≥90%"]).to_string();
                let at = self.push_planted(
                    Level1::Output,
                    if name.contains("及时") {
                        "13-时效指标"
                    } else {
                        "12-质量指标"
                    },
                    name,
                    value,
                );
                self.expects.push(("C001", Anchor::Name(at)));
            }
            "C002" => {
                if let Some(i) = self.find(|i| i.level2.starts_with("14")) {
                    let total = self.amounts[0];
                    let wan = trim_decimal(&format_cents(total, false));
                    let value = match rng.u32(0..5) {
                        0 => format!("≤{wan}万元"),
                        1 => format!("{wan}万"),
                        2 => format!("≤{}元", total * 100),
                        3 => format!("≤{}万元", format_cents(total, style.thousands)),
                        _ => format!("≤{}万元", format_cents(total, false)),
                    };
                    self.indicators[i].name = (pick(rng, words::BUDGET_COSTS)).to_owned();
                    self.set_value(i, value);
                    self.expects.push(("C002", Anchor::Annual(i)));
                }
            }
            "G001" | "G003" => {
                // Planted when the goal is written.
                self.expects.push((code, Anchor::Row));
            }
            _ => {}
        }
    }

    /// Plants one of [`LATE_CODES`] once the goal is written. Indicators whose numbers the goal
    /// promises keep their numbers (G003 stays quiet); when no indicator fits, nothing is planted
    /// and the project stays clean.
    fn plant_late(
        &mut self,
        rng: &mut fastrand::Rng,
        code: &'static str,
        topic: &Topic,
        style: Style,
        year: u32,
    ) {
        let not_satisfaction = |i: &Indicator| i.level1 != Level1::Satisfaction;
        match code {
            "V009" => {
                let rate = self.find(|i| not_satisfaction(i) && i.annual.ends_with('%'));
                let count = self.find(|i| {
                    i.level2.starts_with("11") && i.promise.as_ref().is_some_and(|p| p.1 != "%")
                });
                match (rng.u32(0..5), rate, count) {
                    // `贫困地区基础设施建设按期完成率(≥**%)` (sample 44).
                    (0, Some(i), _) => {
                        let hint = pick(rng, &words::NAME_HINTS[..2]);
                        self.indicators[i].name.push_str(hint);
                        self.taint_name(i, "V009");
                    }
                    // `受益建档立卡贫困人口数≥**人` (sample 44).
                    (1, _, Some(i)) => {
                        let unit = self.indicators[i].promise.as_ref().map_or("人", |p| p.1);
                        let hint = pick(rng, words::COUNT_HINTS).replace("{u}", unit);
                        self.indicators[i].name.push_str(&hint);
                        self.taint_name(i, "V009");
                    }
                    (2, _, _) => {
                        let mut goal = self.goal.trim_end_matches('。').to_owned();
                        goal.push_str("……");
                        self.goal = goal;
                        self.expects.push(("V009", Anchor::Row));
                    }
                    (n, _, _) => {
                        let Some(i) = self.find(not_satisfaction) else {
                            return;
                        };
                        if n == 3 {
                            self.indicators[i].name = format!("指标{}", i + 1);
                        } else {
                            let hint = pick(rng, &words::NAME_HINTS[2..]);
                            self.indicators[i].name.push_str(hint);
                        }
                        self.taint_name(i, "V009");
                    }
                }
            }
            "V010" => {
                let deadline = self.find(|i| i.level2.starts_with("13") && i.promise.is_none());
                match (rng.u32(0..3), deadline) {
                    // `20246`: 2024年6月 with its separators lost.
                    (0, Some(i)) => {
                        let month = rng.u32(1..=12);
                        let value = match rng.u32(0..3) {
                            0 => format!("{year}{month}"),
                            1 => format!("{year}{month}前完成"),
                            _ => format!("{year}{month}底前"),
                        };
                        self.set_value(i, value);
                        self.expects.push(("V010", Anchor::Annual(i)));
                    }
                    (1, _) => {
                        let Some(i) = self.find(not_satisfaction) else {
                            return;
                        };
                        let Some(name) = damaged(rng, &self.indicators[i].name) else {
                            return;
                        };
                        self.indicators[i].name = name;
                        self.taint_name(i, "V010");
                    }
                    _ => {
                        let Some(goal) = damaged(rng, &self.goal) else {
                            return;
                        };
                        self.goal = goal;
                        self.expects.push(("V010", Anchor::Row));
                    }
                }
            }
            "V011" => {
                let parts = pick(rng, words::SHARE_PARTS);
                let whole = 5 * rng.u32(21..=28);
                let mut shares = Vec::new();
                let mut left = whole;
                for k in 0..parts.len() {
                    // In fives, each part 10–90 % (the whole is past 100 % only together).
                    let share = if k + 1 == parts.len() {
                        left
                    } else {
                        let after = (parts.len() - k - 1) as u32;
                        let least = (left.saturating_sub(90 * after)).div_ceil(5).max(2);
                        let most = ((left - 10 * after) / 5).min(18);
                        5 * rng.u32(least..=most.max(least))
                    };
                    shares.push(share);
                    left -= share;
                }
                let comma = if style.half_width { "," } else { "，" };
                let mut goal = self.goal.trim_end_matches('。').to_owned();
                goal.push_str(comma);
                goal.push_str("其中");
                for (k, (part, share)) in parts.iter().zip(&shares).enumerate() {
                    if k > 0 {
                        goal.push_str(comma);
                    }
                    let word = pick(rng, &["占", "占比"]);
                    let _ = write!(goal, "{part}{word}{share}%");
                }
                goal.push('。');
                self.goal = goal;
                self.expects.push(("V011", Anchor::Row));
                // The shares are numbers the goal promises and no indicator measures.
                let measured = self.numbers();
                if shares.iter().any(|s| !measured.contains(s)) {
                    self.expects.push(("G003", Anchor::Row));
                }
            }
            "I008" => {
                let satisfaction = self
                    .find(|i| i.level1 == Level1::Satisfaction)
                    .filter(|&i| !self.goal.contains(&self.indicators[i].name));
                match satisfaction {
                    // A count as a satisfaction target.
                    Some(i) if !style.coded || rng.bool() => {
                        let n = rng.u32(50..=2000);
                        let value = pick(rng, &["≥{n}人", "{n}人次", "≥{n}户"])
                            .replace("{n}", &n.to_string());
                        self.set_value(i, value);
                        self.taint_name(i, "I008");
                        // A 满意度 name is a rate: V003 reports the count as well.
                        self.expects.push(("V003", Anchor::Annual(i)));
                    }
                    // A rate that has nothing to do with time, filed under 时效 (the 越秀
                    // dialect gives the 二级).
                    _ if style.coded => {
                        let q = rng.u32(90..=99);
                        let value =
                            pick(rng, &["≥{q}%", "{q}%", "100%"]).replace("{q}", &q.to_string());
                        let at = self.push_planted(
                            Level1::Output,
                            "13-时效指标",
                            pick(rng, words::UNTIMELY_RATES).to_owned(),
                            value,
                        );
                        self.expects.push(("I008", Anchor::Name(at)));
                    }
                    _ => {}
                }
            }
            "C003" => self.plant_unit_price(rng, topic),
            _ => {}
        }
    }

    /// C003: the project's cost indicator becomes a price per unit of work, and its exact
    /// quantities times that price fall short of the project's total.
    fn plant_unit_price(&mut self, rng: &mut fastrand::Rng, topic: &Topic) {
        // The topic's own cost (a standard or price per unit), not an extra one in 万元.
        let Some(cost) = self
            .find(|i| i.level2.starts_with("14") && topic.costs.iter().any(|c| c.name == i.name))
        else {
            return;
        };
        let is_work = |unit: &str| words::PRICED_WORKS.iter().any(|w| w.1 == unit);
        // Quantities of the topic already in a unit of work (`养护道路里程`, in 公里) become exact,
        // keeping the number a goal may promise; else a quantity of work is added.
        let existing: Vec<(usize, u32, &'static str)> = self
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.level2.starts_with("11"))
            .filter_map(|(at, i)| match count_form(topic, &i.name) {
                ValueForm::Count { unit, .. } if is_work(unit) => {
                    let n = i.promise.as_ref()?.0.parse().ok()?;
                    Some((at, n, unit))
                }
                _ => None,
            })
            .collect();
        // A floor on work in the same unit (`≥71万平方米` of 清扫保洁面积) leaves the work done
        // open: a new quantity is of another unit.
        let scaled: Vec<&str> = self
            .indicators
            .iter()
            .filter(|i| i.level2.starts_with("11"))
            .filter_map(|i| match count_form(topic, &i.name) {
                ValueForm::Count { unit, .. } if !is_work(unit) => Some(unit),
                _ => None,
            })
            .collect();
        let free: Vec<&(&str, &str, u32, u32, &str)> = words::PRICED_WORKS
            .iter()
            .filter(|w| !scaled.iter().any(|u| u.ends_with(w.1)))
            .collect();
        let work = match existing.first() {
            Some(&(_, _, unit)) => words::PRICED_WORKS.iter().find(|w| w.1 == unit),
            None if free.is_empty() => None,
            None => Some(free[rng.usize(..free.len())]),
        };
        let Some(&(work_name, unit, lo, hi, price_name)) = work else {
            return;
        };
        let quantity: u32 = if existing.is_empty() {
            rng.u32(lo..=hi)
        } else {
            existing.iter().map(|e| e.1).sum()
        };
        // 万元 in cents is 元 in hundreds; the price leaves 5–30% of the total unexplained.
        let total_yuan = self.amounts[0] * 100;
        let share = i64::from(rng.u32(70..=95));
        let price_yuan = total_yuan * share / 100 / i64::from(quantity);
        if price_yuan < 1 {
            return;
        }
        let comparator = pick(rng, &["≤", "≤", "="]);
        // Beside other work (`万平方米` swept) the price says what it is per.
        let other_work = scaled
            .iter()
            .any(|u| words::PRICED_WORKS.iter().any(|w| u.ends_with(w.1)));
        let per = if other_work || rng.bool() {
            format!("/{unit}")
        } else {
            String::new()
        };
        let value = if price_yuan >= 10_000 {
            let wan = trim_decimal(&format_cents(price_yuan / 100, false));
            format!("{comparator}{wan}万元{per}")
        } else {
            format!("{comparator}{price_yuan}元{per}")
        };
        for &(at, n, unit) in &existing {
            let exact = if rng.bool() {
                format!("{n}{unit}")
            } else {
                format!("={n}{unit}")
            };
            let ind = &mut self.indicators[at];
            if ind.period == ind.annual {
                ind.period.clone_from(&exact);
            }
            ind.annual = exact;
            ind.tainted = true;
        }
        if existing.is_empty() {
            let exact = if rng.bool() {
                format!("{quantity}{unit}")
            } else {
                format!("={quantity}{unit}")
            };
            self.push_planted(Level1::Output, "11-数量指标", work_name.to_owned(), exact);
        }
        // The cost moved if a quantity went in before it.
        let Some(cost) = (cost..self.indicators.len())
            .find(|&i| self.indicators[i].level2.starts_with("14") && !self.indicators[i].tainted)
        else {
            return;
        };
        self.indicators[cost].name = price_name.to_owned();
        self.set_value(cost, value);
        self.expects.push(("C003", Anchor::Name(cost)));
    }

    /// Marks indicator `i` touched and expects `code` at its name.
    fn taint_name(&mut self, i: usize, code: &'static str) {
        self.indicators[i].tainted = true;
        self.expects.push((code, Anchor::Name(i)));
    }

    /// Every whole number in the indicators' names and values.
    fn numbers(&self) -> HashSet<u32> {
        let mut seen = HashSet::new();
        for ind in &self.indicators {
            for text in [&ind.name, &ind.annual, &ind.period] {
                let mut digits = String::new();
                for c in text.chars().chain(std::iter::once(' ')) {
                    if c.is_ascii_digit() {
                        digits.push(c);
                    } else if !digits.is_empty() {
                        if let Ok(n) = digits.parse::<u32>() {
                            seen.insert(n);
                        }
                        digits.clear();
                    }
                }
            }
        }
        seen
    }

    fn find(&self, f: impl Fn(&Indicator) -> bool) -> Option<usize> {
        self.indicators.iter().position(|i| !i.tainted && f(i))
    }

    /// Inserts a planted indicator, with `value` as both its annual and period value, after the
    /// last of its 一级, and says where it went.
    fn push_planted(
        &mut self,
        level1: Level1,
        level2: &'static str,
        name: String,
        value: String,
    ) -> usize {
        let at = self.last_of(level1) + 1;
        let indicator = Indicator {
            level1,
            level2,
            name,
            annual: value.clone(),
            period: value,
            promise: None,
            tainted: true,
        };
        self.indicators.insert(at, indicator);
        at
    }

    fn last_of(&self, level1: Level1) -> usize {
        self.indicators
            .iter()
            .rposition(|i| i.level1 == level1)
            .unwrap_or(self.indicators.len().saturating_sub(1))
    }

    fn set_value(&mut self, i: usize, value: String) {
        let ind = &mut self.indicators[i];
        ind.period.clone_from(&value);
        ind.annual = value;
        ind.tainted = true;
        ind.promise = None;
    }

    /// Writes the goal: a boilerplate goal for group members, else the project's own goal with
    /// promises its indicators carry (and, for G001 and G003, the planted mistake).
    fn finish_goal(
        &mut self,
        rng: &mut fastrand::Rng,
        topic: &Topic,
        place: &str,
        style: Style,
        goals: &mut GoalSet,
        group_goal: Option<&str>,
    ) {
        if let Mistake::Boilerplate { first } = self.mistake {
            self.goal = group_goal.unwrap_or_default().to_owned();
            if rng.u32(0..3) == 0 {
                // Copies differ in punctuation only: `，` and `,`, a dropped `。`.
                self.goal = self
                    .goal
                    .replace('，', ",")
                    .trim_end_matches('。')
                    .to_owned();
            }
            if first {
                self.expects.push(("G002", Anchor::Row));
            }
            return;
        }
        if self.mistake == Mistake::Code("G001") {
            // Short enough that G002 leaves it alone even when another department has a project
            // of the same name.
            self.goal = match rng.u32(0..3) {
                0 => String::new(),
                1 if self.name.chars().count() < 10 => self.name.clone(),
                _ => (pick(rng, &["保障运转", "做好工作", "见附件", "按要求完成"])).to_owned(),
            };
            return;
        }
        let mut attempt = 0;
        loop {
            let mut goal = String::new();
            let opening = pick(rng, words::GOAL_OPENINGS);
            goal.push_str(opening);
            if rng.bool() {
                goal.push_str(&format!("实施{}，", self.name));
            }
            goal.push_str(topic.action);
            goal.push('，');
            goal.push_str(topic.purpose);
            let carried: Vec<&Indicator> = self
                .indicators
                .iter()
                .filter(|i| !i.tainted && i.promise.is_some())
                .collect();
            let n = carried.len().min(1 + rng.usize(0..3) + attempt / 3);
            let mut chosen: Vec<&Indicator> = carried;
            rng.shuffle(&mut chosen);
            for ind in chosen.iter().take(n) {
                if let Some((number, unit)) = &ind.promise {
                    let verb = if *unit == "%" {
                        pick(rng, &["达到", "不低于", "保持在"])
                    } else {
                        pick(rng, &["不少于", "达到", "完成"])
                    };
                    let tail = if rng.bool() { "以上" } else { "" };
                    goal.push_str(&format!("，{}{verb}{number}{unit}{tail}", ind.name));
                }
            }
            if self.mistake == Mistake::Code("G003") {
                let number = self.unused_number(rng);
                let (what, unit) = pick(
                    rng,
                    &[
                        ("开展政策宣传活动", "场"),
                        ("发放宣传资料", "份"),
                        ("服务群众", "人次"),
                        ("完成入户走访", "户"),
                        ("召开工作推进会", "次"),
                    ],
                );
                goal.push_str(&format!("，全年{what}{number}{unit}"));
            }
            let closing = pick(rng, words::GOAL_CLOSINGS);
            if !closing.is_empty() {
                goal.push('，');
                goal.push_str(closing);
            }
            if attempt > 6 {
                goal.push_str(&format!("，服务范围覆盖{place}"));
                goal.push_str(&format!("（{}）", self.name));
            }
            goal.push('。');
            if style.half_width {
                goal = goal.replace('，', ",");
            }
            if goals.insert(&goal) || attempt > 12 {
                self.goal = goal;
                return;
            }
            attempt += 1;
        }
    }

    /// A number that appears in none of the indicators, for a G003 promise.
    fn unused_number(&self, rng: &mut fastrand::Rng) -> u32 {
        let seen = self.numbers();
        loop {
            let n = rng.u32(3..=300);
            if !seen.contains(&n) {
                return n;
            }
        }
    }
}

/// `text` with `???` (or `？？？`) between two of its Chinese characters past the first few: a
/// character set that could not hold them; `None` when there is no such place.
fn damaged(rng: &mut fastrand::Rng, text: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let places: Vec<usize> = (3..chars.len())
        .filter(|&k| is_han(chars[k - 1].1) && is_han(chars[k].1))
        .map(|k| chars[k].0)
        .collect();
    let at = *places.get(rng.usize(..places.len().max(1)))?;
    let marks = if rng.bool() { "???" } else { "？？？" };
    Some(format!("{}{marks}{}", &text[..at], &text[at..]))
}

/// The value form of a topic's count indicator by name.
fn count_form(topic: &Topic, name: &str) -> ValueForm {
    topic.counts.iter().find(|c| c.name == name).map_or(
        ValueForm::Count {
            unit: "人",
            lo: 10,
            hi: 100,
        },
        |c| c.value,
    )
}

/// The unit of a count indicator when the rules count it as a counted thing (V005) and as one
/// that adds up over the years (V007): these units are in both rules' lists.
fn counted_unit(topic: &Topic, name: &str) -> Option<&'static str> {
    const UNITS: &[&str] = &[
        "人", "人次", "次", "家", "个", "场", "户", "件", "份", "期", "所",
    ];
    match count_form(topic, name) {
        ValueForm::Count { unit, .. } if UNITS.contains(&unit) => Some(unit),
        _ => None,
    }
}

/// A name the rules read as a count (V003): `…次数`, `…人数`, `…数量`, `…人次`, `…场次`, `…数`.
fn is_count_name(name: &str) -> bool {
    [
        "次数", "人数", "个数", "户数", "家数", "期数", "份数", "数量", "人次", "场次",
    ]
    .iter()
    .any(|w| name.contains(w))
        || name.ends_with('数')
}

/// A name the rules read as a physical measure with no unit in it (V003): `…里程`, `…面积`.
fn is_measure_name(name: &str) -> bool {
    ["里程", "长度", "面积", "重量", "体积", "容积", "产量"]
        .iter()
        .any(|w| name.ends_with(w))
}

/// A name the rules read as a rate (V003).
fn is_rate_name(name: &str) -> bool {
    ["率", "比例", "占比", "覆盖"]
        .iter()
        .any(|w| name.contains(w))
        && !["频率", "效率"].iter().any(|w| name.contains(w))
}

fn clean_indicator(rng: &mut fastrand::Rng, level1: Level1, ind: &Ind) -> Indicator {
    let (level2, annual, promise) = match ind.value {
        ValueForm::Count { unit, lo, hi } => {
            let n = rng.u32(lo..=hi);
            let value = match rng.u32(0..20) {
                // A bare number is clear for a count (`培训人数 255`), not for a measure whose
                // unit the name does not say (`养护道路里程 120`: 公里 or 米? V003 reports it).
                // A floor, as most are: an exact quantity of work is priced by C003.
                0 if is_measure_name(ind.name) => format!("≥{n}{unit}"),
                0 => n.to_string(),
                1 => format!("{n}{unit}以上"),
                2 => format!("约{n}{unit}"),
                _ => {
                    let comparator = pick(rng, &["≥", "≥", "不少于", "大于等于", ">="]);
                    format!("{comparator}{n}{unit}")
                }
            };
            ("11-数量指标", value, Some((n.to_string(), unit)))
        }
        ValueForm::Rate { lo, hi } => {
            let q = rng.u32(lo..=hi);
            let (comparator, percent) = pick(
                rng,
                &[
                    ("≥", "%"),
                    ("≥", "%"),
                    ("不低于", "%"),
                    (">", "%"),
                    ("", "%"),
                    ("≥", "％"),
                    ("", "%以上"),
                ],
            );
            let level2 = match level1 {
                Level1::Output => "12-质量指标",
                Level1::Effect => pick_effect_level2(rng),
                Level1::Satisfaction => pick(rng, &["31-服务对象满意度", "31-服务对象满意度指标"]),
            };
            (
                level2,
                format!("{comparator}{q}{percent}"),
                Some((q.to_string(), "%")),
            )
        }
        ValueForm::Deadline => (
            "13-时效指标",
            (pick(rng, words::DEADLINES)).to_owned(),
            None,
        ),
        ValueForm::YesNo { answer } => (pick_effect_level2(rng), answer.to_owned(), None),
        ValueForm::Cost { per, lo, hi } => {
            let n = rng.u32(lo..=hi);
            let comparator = if rng.bool() { "≤" } else { "=" };
            ("14-成本指标", format!("{comparator}{n}元/{per}"), None)
        }
    };
    let period = match ind.value {
        ValueForm::Count { unit, .. } if rng.f64() < 0.2 => {
            let n: u32 = promise
                .as_ref()
                .and_then(|(n, _)| n.parse().ok())
                .unwrap_or(1);
            format!("≥{}{unit}", n * rng.u32(2..=3))
        }
        _ => annual.clone(),
    };
    Indicator {
        level1,
        level2,
        name: ind.name.to_owned(),
        annual,
        period,
        promise,
        tainted: false,
    }
}

/// A clean indicator that looks like trouble and is not: a ceiling on something that should be
/// few, or a cost in 万元 that is not the project's total.
fn clean_extra(rng: &mut fastrand::Rng, total_cents: i64) -> Indicator {
    let (level1, level2, name, value) = match rng.u32(0..3) {
        0 => (
            Level1::Effect,
            "22-社会效益",
            "群众投诉率",
            format!("≤{}%", rng.u32(1..=5)),
        ),
        1 => (
            Level1::Effect,
            "22-社会效益",
            "安全生产事故起数",
            pick(rng, &["0起", "≤1起", "0"]).to_owned(),
        ),
        _ => {
            let mut wan = rng.u32(1..=5);
            if i64::from(wan) * 100 == total_cents {
                wan += 1;
            }
            (
                Level1::Output,
                "14-成本指标",
                "单场活动经费",
                format!("≤{wan}万元"),
            )
        }
    };
    Indicator {
        level1,
        level2,
        name: name.to_owned(),
        annual: value.clone(),
        period: value,
        promise: None,
        tainted: false,
    }
}

fn pick_effect_level2(rng: &mut fastrand::Rng) -> &'static str {
    pick(
        rng,
        &[
            "22-社会效益",
            "22-社会效益指标",
            "24-可持续影响",
            "21-经济效益",
        ],
    )
}

fn draw_amounts(rng: &mut fastrand::Rng) -> Cents {
    // Log-uniform between 0.50 and 20,000.00 万元, with most projects small.
    let low = 50f64.ln();
    let high = 2_000_000f64.ln();
    let mut total = (low + (high - low) * rng.f64() * rng.f64().sqrt()).exp() as i64;
    if rng.f64() < 0.4 {
        // Round figures are common in budgets.
        total = (total / 100).max(1) * 100;
    }
    match rng.u32(0..10) {
        0 => {
            let special = total * i64::from(rng.u32(10..90)) / 100;
            [total, total - special, special, 0]
        }
        1 => [total, 0, total, 0],
        2 => [total, 0, 0, total],
        _ => [total, total, 0, 0],
    }
}

fn format_cents(cents: i64, thousands: bool) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    let whole = (cents / 100).to_string();
    let whole = if thousands {
        let mut out = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        whole
    };
    format!("{sign}{whole}.{:02}", cents % 100)
}

/// `35.40` → `35.4`, `16.00` → `16`.
fn trim_decimal(text: &str) -> String {
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A department as written, with the places findings are expected.
#[derive(Debug, Default)]
struct Rendered {
    projects: usize,
    planted: Vec<Planted>,
    clean: Vec<Clean>,
}

/// Rows of a rendered indicator cell, with where each part of each indicator starts.
#[derive(Debug, Default)]
struct CellOffsets {
    name: Vec<usize>,
    level2: Vec<usize>,
    annual: Vec<usize>,
}

impl Department {
    /// Appends the department to `out` and what to expect of it to `rendered`.
    /// Returns the total the table states, in cents of 万元: its 合计 row, else the sum of its
    /// unit rows.
    fn render(
        &self,
        rng: &mut fastrand::Rng,
        file: &str,
        out: &mut Writer,
        rendered: &mut Rendered,
    ) -> i64 {
        let style = self.style;
        out.blank(1 + rng.usize(0..2));
        out.line(&self.title);
        out.blank(1);
        out.line(&format!("部门名称：{}", self.name));
        out.blank(1);
        out.line("单位：万元");
        out.blank(1);
        out.line(
            "项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标",
        );
        let planted = &mut rendered.planted;
        let clean = &mut rendered.clean;
        // Unit rows are the sums of their projects as written, then the planted A002 offsets.
        let unit_amounts: Vec<Cents> = self
            .units
            .iter()
            .map(|u| {
                let mut sum = [0i64; 4];
                for p in &u.projects {
                    for (s, a) in sum.iter_mut().zip(p.amounts) {
                        *s += a;
                    }
                }
                if let Some(d) = u.delta {
                    sum[0] += d;
                    let part = largest_part(&sum);
                    sum[part] += d;
                }
                sum
            })
            .collect();
        let mut grand = [0i64; 4];
        for amounts in &unit_amounts {
            for (g, a) in grand.iter_mut().zip(amounts) {
                *g += a;
            }
        }
        let grand_row_sum_off = unit_amounts.iter().any(|a| a[0] != a[1] + a[2] + a[3]);
        if style.grand_total {
            if let Some(d) = self.grand_delta {
                grand[0] += d;
                let part = largest_part(&grand);
                grand[part] += d;
            }
            let line = out.line(&amount_row("合计", &grand, style, false));
            if self.grand_delta.is_some() {
                planted.push(Planted {
                    file: file.to_owned(),
                    line,
                    code: "A003".into(),
                    unit: String::new(),
                    project: None,
                    cause: "A003".into(),
                    related: Vec::new(),
                });
            }
            if grand_row_sum_off {
                planted.push(Planted {
                    file: file.to_owned(),
                    line,
                    code: "A001".into(),
                    unit: String::new(),
                    project: None,
                    cause: "A001".into(),
                    related: Vec::new(),
                });
            }
        }
        let mut rows_since_break = 0;
        let mut project_lines: Vec<u32> = Vec::new();
        let mut pending_groups: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut project_index = 0;
        for (unit, amounts) in self.units.iter().zip(&unit_amounts) {
            let line = out.line(&amount_row(&unit.name, amounts, style, false));
            if unit.delta.is_some() {
                planted.push(Planted {
                    file: file.to_owned(),
                    line,
                    code: "A002".into(),
                    unit: unit.name.clone(),
                    project: None,
                    cause: "A002".into(),
                    related: Vec::new(),
                });
            }
            if amounts[0] != amounts[1] + amounts[2] + amounts[3] {
                planted.push(Planted {
                    file: file.to_owned(),
                    line,
                    code: "A001".into(),
                    unit: unit.name.clone(),
                    project: None,
                    cause: "A001".into(),
                    related: Vec::new(),
                });
            }
            for project in &unit.projects {
                rows_since_break += 1;
                if rows_since_break > 6 && rng.f64() < 0.15 {
                    out.blank(1);
                    rows_since_break = 0;
                }
                let (cell, offsets) = indicator_cell(&project.indicators, style);
                let mut row = amount_row(&project.name, &project.amounts, style, true);
                row.push('\t');
                row.push_str(&project.goal);
                row.push('\t');
                let cell_start = row.len();
                row.push_str(&cell);
                let first_line = out.next_line();
                let blanks = 1 + rng.usize(0..2);
                let split_at = if project.split {
                    split_point(
                        rng,
                        &row,
                        cell_start - project.goal.len() - 1,
                        &offsets,
                        cell_start,
                    )
                } else {
                    None
                };
                match split_at {
                    Some(at) => {
                        out.line(&row[..at]);
                        out.blank(blanks);
                        out.line(&row[at..]);
                        rows_since_break = 0;
                    }
                    None => {
                        out.line(&row);
                    }
                }
                let line_of = |offset: usize| -> u32 {
                    match split_at {
                        Some(at) if cell_start + offset >= at => first_line + blanks as u32 + 1,
                        _ => first_line,
                    }
                };
                project_lines.push(first_line);
                if split_at.is_some() {
                    planted.push(Planted {
                        file: file.to_owned(),
                        line: first_line,
                        code: "S003".into(),
                        unit: unit.name.clone(),
                        project: Some(project.name.clone()),
                        cause: "S003".into(),
                        related: Vec::new(),
                    });
                }
                let cause = match project.mistake {
                    Mistake::Code(code) => code,
                    Mistake::Boilerplate { .. } => "G002",
                    Mistake::None => "",
                };
                for (code, anchor) in &project.expects {
                    let line = match *anchor {
                        Anchor::Row => first_line,
                        Anchor::Name(i) => line_of(offsets.name[i]),
                        Anchor::Level2(i) => line_of(offsets.level2[i]),
                        Anchor::Annual(i) => line_of(offsets.annual[i]),
                    };
                    planted.push(Planted {
                        file: file.to_owned(),
                        line,
                        code: (*code).into(),
                        unit: unit.name.clone(),
                        project: Some(project.name.clone()),
                        cause: cause.into(),
                        related: Vec::new(),
                    });
                    if *code == "G002" {
                        pending_groups.push((planted.len() - 1, project.group.clone()));
                    }
                }
                if project.is_clean() && split_at.is_none() {
                    clean.push(Clean {
                        file: file.to_owned(),
                        line: first_line,
                        unit: unit.name.clone(),
                        project: project.name.clone(),
                    });
                }
                project_index += 1;
            }
        }
        for (at, members) in pending_groups {
            planted[at].related = members
                .iter()
                .filter_map(|&m| project_lines.get(m).copied())
                .collect();
        }
        rendered.projects += project_index;
        if style.grand_total {
            grand[0]
        } else {
            unit_amounts.iter().map(|a| a[0]).sum()
        }
    }

    /// Name, year and project names: what makes the table this document and not another.
    fn identity(&self) -> u64 {
        let mut names: Vec<&str> = self.project_names().collect();
        names.sort_unstable();
        let mut hasher = DefaultHasher::new();
        (&self.name, &self.title[..4], names).hash(&mut hasher);
        hasher.finish()
    }

    fn project_names(&self) -> impl Iterator<Item = &str> {
        self.units
            .iter()
            .flat_map(|u| u.projects.iter().map(|p| p.name.as_str()))
    }

    /// Whether a corrected copy can be published without changing what the rules should find:
    /// no boilerplate group (its goal would be used twice as often, in two files) and a clean
    /// project with an amount to correct.
    fn can_be_corrected(&self) -> bool {
        let projects = || self.units.iter().flat_map(|u| &u.projects);
        !projects().any(|p| matches!(p.mistake, Mistake::Boilerplate { .. }))
            && projects().any(|p| p.correctable())
    }

    /// The correction of a republished table: one clean project's amount changes by less than
    /// 1.00 万元 (its 总计 and its largest source), never to a whole number of 万元 (a cost
    /// indicator of the project could then restate it).
    fn correct(&mut self, rng: &mut fastrand::Rng) {
        let Some(project) = self
            .units
            .iter_mut()
            .flat_map(|u| &mut u.projects)
            .find(|p| p.correctable())
        else {
            return;
        };
        let mut delta = 1 + i64::from(rng.u32(0..98));
        if (project.amounts[0] + delta) % 100 == 0 {
            delta += 1;
        }
        let part = largest_part(&project.amounts);
        project.amounts[0] += delta;
        project.amounts[part] += delta;
    }

    fn table(
        &self,
        file: &str,
        table: usize,
        document: usize,
        version: u32,
        total_cents: i64,
    ) -> Table {
        let projects = self.units.iter().map(|u| u.projects.len()).sum();
        let indicators = self
            .units
            .iter()
            .flat_map(|u| &u.projects)
            .map(|p| p.indicators.len())
            .sum();
        Table {
            file: file.to_owned(),
            table,
            document,
            version,
            publisher: self.name.clone(),
            year: self.title[..4].parse().unwrap_or_default(),
            projects,
            indicators,
            total_wan: format_cents(total_cents, false),
        }
    }
}

/// Where a page break splits a row: anywhere in the goal or the indicator cell, but not right at
/// the start of a name or value a finding points at (the reader may start its span a character
/// later or earlier than the generator thinks, e.g. at a stray `:`).
fn split_point(
    rng: &mut fastrand::Rng,
    row: &str,
    goal_start: usize,
    offsets: &CellOffsets,
    cell_start: usize,
) -> Option<usize> {
    let anchors: Vec<usize> = offsets
        .name
        .iter()
        .chain(&offsets.level2)
        .chain(&offsets.annual)
        .map(|o| cell_start + o)
        .collect();
    let candidates: Vec<usize> = row
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| {
            i > goal_start + 6
                && i + 6 < row.len()
                && i != cell_start
                && i + 1 != cell_start
                && !anchors.iter().any(|&a| i + 6 >= a && i <= a + 6)
        })
        .collect();
    (!candidates.is_empty()).then(|| candidates[rng.usize(0..candidates.len())])
}

fn largest_part(amounts: &Cents) -> usize {
    (1..4).max_by_key(|&i| (amounts[i], 4 - i)).unwrap_or(1)
}

fn amount_row(name: &str, amounts: &Cents, style: Style, project: bool) -> String {
    let mut row = name.to_owned();
    for (i, &a) in amounts.iter().enumerate() {
        row.push('\t');
        if a == 0 && i > 0 && style.empty_zeros {
            continue;
        }
        row.push_str(&format_cents(a, style.thousands));
    }
    if !project {
        row.push_str("\t\t");
    }
    row
}

/// The indicator cell in the department's dialect, with where each part starts.
fn indicator_cell(indicators: &[Indicator], style: Style) -> (String, CellOffsets) {
    let mut cell = String::new();
    let mut offsets = CellOffsets::default();
    let (colon, comma) = if style.half_width {
        (":", ",")
    } else {
        ("：", "，")
    };
    for (i, ind) in indicators.iter().enumerate() {
        let seq = i + 1;
        if style.coded {
            let level1 = match ind.level1 {
                Level1::Output => "1-产出指标",
                Level1::Effect => "2-效益指标",
                Level1::Satisfaction => "3-满意度指标",
            };
            let _ = write!(cell, "{seq}、{level1}；");
            offsets.level2.push(cell.len());
            let _ = write!(cell, "{}；", ind.level2);
            push_name(&mut cell, &mut offsets, &ind.name);
            // The 越秀 table sometimes writes `实施周期指标值:=100%`.
            let sep = if ind.annual.starts_with('=') {
                ":"
            } else {
                "："
            };
            let _ = write!(cell, "；实施周期指标值{sep}{}；年度指标值{sep}", ind.period);
            offsets.annual.push(cell.len());
            let _ = write!(cell, "{}。", ind.annual);
        } else {
            let level1 = match ind.level1 {
                Level1::Output => "产出指标",
                Level1::Effect => "效益指标",
                Level1::Satisfaction => "满意度指标",
            };
            let _ = write!(cell, "{seq}、{level1}{colon}");
            offsets.level2.push(cell.len());
            push_name(&mut cell, &mut offsets, &ind.name);
            let _ = write!(cell, "{comma}年度指标值{colon}");
            offsets.annual.push(cell.len());
            let _ = write!(cell, "{}。", ind.annual);
        }
    }
    (cell, offsets)
}

fn push_name(cell: &mut String, offsets: &mut CellOffsets, name: &str) {
    offsets.name.push(cell.len());
    cell.push_str(name);
}

/// Text with line numbers.
#[derive(Debug, Default)]
struct Writer {
    text: String,
    lines: u32,
}

impl Writer {
    /// Writes a line; returns its number.
    fn line(&mut self, text: &str) -> u32 {
        self.text.push_str(text);
        self.text.push('\n');
        self.lines += 1;
        self.lines
    }

    fn blank(&mut self, n: usize) {
        for _ in 0..n {
            self.line("");
        }
    }

    fn next_line(&self) -> u32 {
        self.lines + 1
    }
}
