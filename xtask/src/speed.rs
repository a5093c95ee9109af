//! The two checks behind every speed change of issue 18, so anyone can repeat a figure in
//! `docs/benchmarks.md`:
//!
//! - `cargo xtask instructions`: instruction counts (callgrind) of eight fixed commands on small
//!   inputs cut from the `cli-bench` inputs. Counts, unlike wall times, do not move with the
//!   load of a shared VM: a change is kept on its count.
//! - `cargo xtask same-output`: two `jixiao` binaries give byte-identical stdout, stderr and exit
//!   codes for `parse` and `check` in every output format, on the examples, the shared samples,
//!   seeds and variations, and the cut inputs. A speed change must not change what users see.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

/// Lines of the generated department list kept for the list's inputs: about 5 MB.
const LIST_LINES: usize = 10_135;
/// Size of the generated department list.
const GENERATED_LIST_BYTES: u64 = 5_000_000;
/// Every `SUB_STEP`-th corpus file (in sorted order) goes into `sub/`: 397 of 7,936.
const SUB_STEP: usize = 20;
/// Files of the corpus's first part copied to `c200/` for the import.
const IMPORT_FILES: usize = 200;

/// The inputs cut from the `cli-bench` inputs in `dir`.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The first [`LIST_LINES`] lines of the department list.
    pub list: PathBuf,
    /// A department list of about 5 MB of generated departments, none repeated (the list above
    /// is one real table repeated, which flatters whatever caches by text).
    pub generated: PathBuf,
    /// Every 20th file of the generated corpus, flat.
    pub sub: PathBuf,
    /// The first 200 files of the corpus's first part.
    pub c200: PathBuf,
}

impl Inputs {
    /// Makes the cut inputs in `dir` from `department-list-52MB.txt` and `corpus-104MB/`
    /// (what `cargo xtask cli-bench --dir DIR` builds), keeping any already made.
    pub fn prepare(dir: &Path) -> anyhow::Result<Self> {
        let list_source = dir.join("department-list-52MB.txt");
        let corpus = dir.join("corpus-104MB");
        if !list_source.is_file() || !corpus.is_dir() {
            bail!(
                "{} 中没有 department-list-52MB.txt 和 corpus-104MB/：先运行 cargo xtask cli-bench --dir {}",
                dir.display(),
                dir.display()
            );
        }
        let inputs = Self {
            list: dir.join("list-5MB.txt"),
            generated: dir.join("generated-list-5MB.txt"),
            sub: dir.join("sub"),
            c200: dir.join("c200"),
        };
        if !inputs.list.is_file() {
            let text = std::fs::read_to_string(&list_source)
                .with_context(|| format!("reading {}", list_source.display()))?;
            let mut head = String::new();
            for line in text.split_inclusive('\n').take(LIST_LINES) {
                head.push_str(line);
            }
            write_new(&inputs.list, head.as_bytes())?;
        }
        crate::clibench::generated_list(&inputs.generated, GENERATED_LIST_BYTES)?;
        if !inputs.sub.is_dir() {
            let files = crate::bench::corpus_files(&corpus)?;
            let staging = dir.join("sub.partial");
            let _ = std::fs::remove_dir_all(&staging);
            std::fs::create_dir_all(&staging)?;
            for file in files.iter().step_by(SUB_STEP) {
                let relative = file.strip_prefix(&corpus).unwrap_or(file);
                let name = relative.to_string_lossy().replace('/', "-");
                std::fs::copy(file, staging.join(name))?;
            }
            std::fs::rename(&staging, &inputs.sub)?;
        }
        if !inputs.c200.is_dir() {
            let mut files = crate::bench::corpus_files(&corpus.join("part-000"))?;
            files.truncate(IMPORT_FILES);
            let staging = dir.join("c200.partial");
            let _ = std::fs::remove_dir_all(&staging);
            std::fs::create_dir_all(&staging)?;
            for file in &files {
                std::fs::copy(file, staging.join(file.file_name().unwrap_or_default()))?;
            }
            std::fs::rename(&staging, &inputs.c200)?;
        }
        Ok(inputs)
    }

    /// The files of `sub/`, sorted.
    fn sub_files(&self) -> anyhow::Result<Vec<String>> {
        sorted_files(&self.sub)
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

fn sorted_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path().display().to_string()))
        .collect::<Result<_, _>>()?;
    files.sort();
    Ok(files)
}

/// One measured command: a label and the count of instructions it ran (all threads).
#[derive(Debug, Clone)]
pub struct Count {
    pub label: &'static str,
    pub instructions: u64,
}

/// Runs the eight commands under callgrind, keeping each profile as `out/LABEL.cg` (for
/// `callgrind_annotate`).
pub fn instructions(jixiao: &Path, inputs: &Inputs, out: &Path) -> anyhow::Result<Vec<Count>> {
    let valgrind = Command::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|_| anyhow::anyhow!("没有找到 valgrind：请先安装（apt-get install valgrind）"))?;
    if !valgrind.status.success() {
        bail!("valgrind --version 失败");
    }
    std::fs::create_dir_all(out)?;
    let db = tempfile::tempdir()?;
    let list = inputs.list.display().to_string();
    let generated = inputs.generated.display().to_string();
    let sub = inputs.sub.display().to_string();
    let mut parse_sub = vec!["parse".to_owned()];
    parse_sub.extend(inputs.sub_files()?);
    parse_sub.push("--quiet".to_owned());
    let owned = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let commands: Vec<(&'static str, Vec<String>)> = vec![
        ("parse-csv", owned(&["parse", "--format", "csv", &list])),
        ("parse-json", owned(&["parse", "--format", "json", &list])),
        ("parse-sub", parse_sub),
        ("check-sub", owned(&["check", "--format", "json", &sub])),
        ("check-list", owned(&["check", "--format", "json", &list])),
        (
            "parse-csv-gen",
            owned(&["parse", "--format", "csv", &generated]),
        ),
        (
            "check-gen",
            owned(&["check", "--format", "json", &generated]),
        ),
        (
            "import-c200",
            owned(&[
                "import",
                &inputs.c200.display().to_string(),
                "--db",
                &db.path().join("c.db").display().to_string(),
                "--index",
                &db.path().join("index").display().to_string(),
                "--quiet",
            ]),
        ),
    ];
    let mut counts = Vec::new();
    for (label, args) in commands {
        let profile = out.join(format!("{label}.cg"));
        let status = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", profile.display()))
            .arg(jixiao)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("running valgrind for {label}"))?;
        // `check` exits 1 when it finds problems; only a crash fails the measurement.
        if status.code().is_none_or(|code| code > 2) {
            bail!("{label}: {} 异常退出（{status}）", jixiao.display());
        }
        counts.push(Count {
            label,
            instructions: callgrind_total(&profile)?,
        });
    }
    Ok(counts)
}

/// The total instruction count of a callgrind profile (its `summary:` or `totals:` line).
fn callgrind_total(profile: &Path) -> anyhow::Result<u64> {
    let text = std::fs::read_to_string(profile)
        .with_context(|| format!("reading {}", profile.display()))?;
    text.lines()
        .find_map(|line| {
            line.strip_prefix("summary: ")
                .or_else(|| line.strip_prefix("totals: "))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .with_context(|| format!("{} has no summary line", profile.display()))
}

/// The counts as a Markdown table, with a second binary's beside them when given.
pub fn table(base: &[Count], new: Option<&[Count]>) -> String {
    let mut out = String::new();
    match new {
        None => {
            out.push_str("| command | instructions |\n|---|---:|\n");
            for count in base {
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    count.label,
                    millions(count.instructions)
                );
            }
        }
        Some(new) => {
            out.push_str("| command | base | new | change |\n|---|---:|---:|---:|\n");
            for (b, n) in base.iter().zip(new) {
                let change = (n.instructions as f64 / b.instructions as f64 - 1.0) * 100.0;
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {change:+.1} % |",
                    b.label,
                    millions(b.instructions),
                    millions(n.instructions)
                );
            }
        }
    }
    out
}

fn millions(count: u64) -> String {
    format!("{:.2} M", count as f64 / 1e6)
}

/// The commands [`same_output`] runs on every input.
const COMMANDS: [&[&str]; 8] = [
    &["parse", "--format", "csv"],
    &["parse", "--format", "json"],
    &["parse", "--format", "jsonl"],
    &["parse"],
    &["check", "--format", "json"],
    &["check", "--format", "sarif"],
    &["check", "--format", "csv"],
    &["check", "--format", "text"],
];

/// What [`same_output`] found.
#[derive(Debug, Default)]
pub struct Comparison {
    pub runs: usize,
    /// The command lines whose output or exit code differed.
    pub differing: Vec<String>,
}

/// Runs both binaries on every input with every command of [`COMMANDS`] and compares stdout,
/// stderr and exit code.
pub fn same_output(
    base: &Path,
    new: &Path,
    workspace: &Path,
    shared: &Path,
    inputs: &Inputs,
) -> anyhow::Result<Comparison> {
    let mut sets: Vec<Vec<String>> = Vec::new();
    for file in sorted_files(&workspace.join("examples"))? {
        if file.ends_with(".txt") {
            sets.push(vec![file]);
        }
    }
    for file in sorted_files(&shared.join("seeds"))? {
        sets.push(vec![file]);
    }
    for file in sorted_files(&shared.join("samples"))? {
        if !file.ends_with("README.md") {
            sets.push(vec![file]);
        }
    }
    for file in sorted_files(&shared.join("variations"))? {
        if [".txt", ".csv", ".html"].iter().any(|e| file.ends_with(e)) {
            sets.push(vec![file]);
        }
    }
    sets.push(vec![inputs.list.display().to_string()]);
    sets.push(vec![inputs.generated.display().to_string()]);
    // `parse` takes files, not folders: the sample's files, in order.
    sets.push(inputs.sub_files()?);
    let mut comparison = Comparison::default();
    for set in &sets {
        for command in COMMANDS {
            let run = |binary: &Path| {
                Command::new(binary)
                    .args(command)
                    .args(set)
                    .stdin(Stdio::null())
                    .output()
                    .with_context(|| format!("running {}", binary.display()))
            };
            let (a, b) = (run(base)?, run(new)?);
            comparison.runs += 1;
            if a.status.code() != b.status.code() || a.stdout != b.stdout || a.stderr != b.stderr {
                let what = if set.len() == 1 {
                    set[0].clone()
                } else {
                    format!("{} files of {}", set.len(), inputs.sub.display())
                };
                comparison.differing.push(format!(
                    "{} {what} (exit {:?} / {:?})",
                    command.join(" "),
                    a.status.code(),
                    b.status.code()
                ));
            }
        }
    }
    Ok(comparison)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_read_from_either_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let summary = dir.path().join("a.cg");
        std::fs::write(&summary, "events: Ir\nsummary: 225009851\n").expect("write");
        assert_eq!(callgrind_total(&summary).expect("count"), 225_009_851);
        let totals = dir.path().join("b.cg");
        std::fs::write(&totals, "events: Ir\nfn=main\n0 5\ntotals: 42\n").expect("write");
        assert_eq!(callgrind_total(&totals).expect("count"), 42);
        let none = dir.path().join("c.cg");
        std::fs::write(&none, "events: Ir\n").expect("write");
        assert!(callgrind_total(&none).is_err());
    }

    #[test]
    fn the_table_shows_the_change() {
        let base = [Count {
            label: "parse-csv",
            instructions: 200_000_000,
        }];
        let new = [Count {
            label: "parse-csv",
            instructions: 150_000_000,
        }];
        let table = table(&base, Some(&new));
        assert!(
            table.contains("| parse-csv | 200.00 M | 150.00 M | -25.0 % |"),
            "{table}"
        );
    }
}
