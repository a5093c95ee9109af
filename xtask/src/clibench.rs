//! `cargo xtask cli-bench`: the CLI as a whole process, as a user runs it (issue 18).
//!
//! Builds the inputs (a department list made of the 花都 seed repeated to a size, optionally a
//! second, large one, a department list of as many generated departments, none repeated, and the
//! generated corpus of `cargo xtask gen --size`), then times on each,
//! in one run: `wc -l`, a plain Python reader of the department-list layout that prints JSON
//! (`xtask/bench/department_list.py`, standard library only), and `jixiao parse` / `jixiao check`
//! in each output format, with stdout to `/dev/null`. Wall time, CPU time and peak memory come
//! from `/usr/bin/time -v`; the table gives each command's time as a multiple of `wc -l`'s and
//! of the Python reader's on the same input.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::bench::{Measurement, measure_command};
use crate::corpus;

/// Options of `cli-bench`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the inputs are built (and kept between runs unless `clean`).
    pub dir: PathBuf,
    /// The `jixiao` binary to time.
    pub jixiao: PathBuf,
    /// Size of the department list made of the seed, in bytes; 0 leaves it out.
    pub list_size: u64,
    /// Size of the second, large department list; 0 leaves it out.
    pub large_size: u64,
    /// Size of the department list of generated departments (one file, no table repeated); 0
    /// leaves it out. The seed repeated has 99 distinct lines in 105,512, so whatever caches by
    /// text looks better on it than on a real list; this one has about 69,000 in 110,000.
    pub generated_list_size: u64,
    /// Size of the generated corpus; 0 leaves it out.
    pub corpus_size: u64,
    /// The department list repeated to make the lists.
    pub seed_file: PathBuf,
    /// Times each command is run; the table shows the fastest run and the highest peak memory.
    pub runs: usize,
    /// Delete the inputs at the end.
    pub clean: bool,
}

/// One row of the table.
struct Row {
    input: String,
    bytes: u64,
    command: String,
    best: Measurement,
    rss_kib: u64,
}

/// Builds the inputs, times every command and returns the Markdown table.
pub fn run(options: &Options, workspace: &Path) -> anyhow::Result<String> {
    if !options.jixiao.is_file() {
        bail!(
            "{} not found: build it first (cargo build --release -p jixiao-cli)",
            options.jixiao.display()
        );
    }
    std::fs::create_dir_all(&options.dir)
        .with_context(|| format!("creating {}", options.dir.display()))?;
    let python = workspace.join("xtask/bench/department_list.py");
    let mut rows = Vec::new();
    let mut inputs = Vec::new();
    for (size, name) in [
        (options.list_size, "department-list"),
        (options.large_size, "department-list-large"),
        (options.generated_list_size, "department-list-generated"),
    ] {
        if size == 0 {
            continue;
        }
        let path = options.dir.join(format!("{name}-{}.txt", size_label(size)));
        if name == "department-list-generated" {
            generated_list(&path, size)?;
        } else {
            repeat_seed(&options.seed_file, &path, size)?;
        }
        inputs.push(path.clone());
        let bytes = std::fs::metadata(&path)?.len();
        let input = format!(
            "{} ({:.1} MB)",
            path.file_name().unwrap_or_default().to_string_lossy(),
            bytes as f64 / 1e6
        );
        let file = path.display().to_string();
        // The default limits (128 MiB, 2 million cells) refuse a larger list: raised.
        let limit = ["--max-file-size", "4GiB", "--max-cells", "1000000000"];
        let jixiao = options.jixiao.display().to_string();
        let mut commands: Vec<(String, Vec<String>)> =
            vec![("wc -l".into(), vec!["wc".into(), "-l".into(), file.clone()])];
        // The Python reader holds the whole list and its JSON: not run on the large one.
        if name == "department-list" {
            commands.push((
                "Python reader → JSON".into(),
                vec!["python3".into(), python.display().to_string(), file.clone()],
            ));
        }
        for (label, args) in [
            ("jixiao parse (summary)", &["parse"][..]),
            ("jixiao parse --format csv", &["parse", "--format", "csv"]),
            ("jixiao parse --format json", &["parse", "--format", "json"]),
            (
                "jixiao parse --format jsonl",
                &["parse", "--format", "jsonl"],
            ),
            ("jixiao check --format json", &["check", "--format", "json"]),
        ] {
            let mut argv = vec![jixiao.clone()];
            argv.extend(args.iter().map(|a| (*a).to_owned()));
            argv.extend(limit.iter().map(|a| (*a).to_owned()));
            argv.push(file.clone());
            commands.push((label.into(), argv));
        }
        time_all(options, &input, bytes, &commands, &mut rows)?;
    }
    if options.corpus_size > 0 {
        let dir = options
            .dir
            .join(format!("corpus-{}", size_label(options.corpus_size)));
        if !dir.join("manifest.json").is_file() {
            let mut gen_options = corpus::Options::new(20, 1, dir.clone());
            gen_options.size = Some(options.corpus_size);
            corpus::generate(&gen_options)?;
        }
        inputs.push(dir.clone());
        let files = crate::bench::corpus_files(&dir)?;
        let mut bytes = 0;
        for file in &files {
            bytes += std::fs::metadata(file)?.len();
        }
        let input = format!(
            "generated corpus ({} files, {:.1} MB)",
            files.len(),
            bytes as f64 / 1e6
        );
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        let jixiao = options.jixiao.display().to_string();
        let mut commands: Vec<(String, Vec<String>)> = Vec::new();
        let mut wc = vec!["wc".to_owned(), "-l".to_owned()];
        wc.extend(names.iter().cloned());
        commands.push(("wc -l".into(), wc));
        for (label, args) in [
            ("jixiao parse (summary)", &["parse", "--quiet"][..]),
            (
                "jixiao parse --format csv",
                &["parse", "--quiet", "--format", "csv"],
            ),
            (
                "jixiao parse --format json",
                &["parse", "--quiet", "--format", "json"],
            ),
            (
                "jixiao parse --format jsonl",
                &["parse", "--quiet", "--format", "jsonl"],
            ),
        ] {
            let mut argv = vec![jixiao.clone()];
            argv.extend(args.iter().map(|a| (*a).to_owned()));
            argv.extend(names.iter().cloned());
            commands.push((label.into(), argv));
        }
        commands.push((
            "jixiao check --format json (directory)".into(),
            vec![
                jixiao.clone(),
                "check".into(),
                "--format".into(),
                "json".into(),
                dir.display().to_string(),
            ],
        ));
        time_all(options, &input, bytes, &commands, &mut rows)?;
    }
    if options.clean {
        for input in inputs {
            if input.is_dir() {
                std::fs::remove_dir_all(&input)?;
            } else {
                std::fs::remove_file(&input)?;
            }
        }
    }
    Ok(table(&rows))
}

/// Times each command `options.runs` times on one input.
fn time_all(
    options: &Options,
    input: &str,
    bytes: u64,
    commands: &[(String, Vec<String>)],
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    for (label, argv) in commands {
        let mut best: Option<Measurement> = None;
        let mut rss_kib = 0;
        for _ in 0..options.runs.max(1) {
            // jixiao exits 1 when it finds problems; only a crash or a read error fails a row.
            let measured = measure_command(label, argv, &[0, 1])?;
            eprintln!(
                "{input}: {label}: {:.2} s, {} MiB",
                measured.seconds,
                measured.max_rss_kib / 1024
            );
            rss_kib = rss_kib.max(measured.max_rss_kib);
            if best.as_ref().is_none_or(|b| measured.seconds < b.seconds) {
                best = Some(measured);
            }
        }
        if let Some(best) = best {
            rows.push(Row {
                input: input.to_owned(),
                bytes,
                command: label.clone(),
                best,
                rss_kib,
            });
        }
    }
    Ok(())
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| input | command | wall (s) | MB/s | CPU (s) | peak RSS (MiB) | × `wc -l` time | ÷ Python time |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let same_input = |prefix: &str| {
            rows.iter()
                .find(|r| r.input == row.input && r.command.starts_with(prefix))
                .map(|r| r.best.seconds)
        };
        let wc = same_input("wc -l");
        let python = same_input("Python");
        let ratio = |base: Option<f64>, f: &dyn Fn(f64) -> f64| {
            base.filter(|b| *b > 0.0)
                .map_or_else(|| "—".to_owned(), |b| format!("{:.1}", f(b)))
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {:.0} | {:.2} | {} | {} | {} |",
            row.input,
            row.command,
            row.best.seconds,
            row.bytes as f64 / 1e6 / row.best.seconds.max(1e-9),
            row.best.cpu_seconds,
            row.rss_kib / 1024,
            ratio(wc, &|b| row.best.seconds / b),
            ratio(python, &|b| b / row.best.seconds),
        );
    }
    out
}

/// `52MB`, `1GB` (powers of 1000, rounded down), for file names.
fn size_label(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{}GB", bytes / 1_000_000_000)
    } else if bytes >= 1_000_000 {
        format!("{}MB", bytes / 1_000_000)
    } else {
        format!("{bytes}B")
    }
}

/// Writes a department list of generated departments (`cargo xtask gen`, seed 1, no corrected
/// versions) into `path`, stopping at `size` bytes, unless `path` is already there.
pub fn generated_list(path: &Path, size: u64) -> anyhow::Result<()> {
    if path.is_file() {
        return Ok(());
    }
    let staging = path.with_extension("gen");
    let _ = std::fs::remove_dir_all(&staging);
    let mut options = corpus::Options::new(usize::MAX, 1, staging.clone());
    options.size = Some(size);
    options.per_file = usize::MAX;
    options.republish = 0.0;
    corpus::generate(&options)?;
    let written = staging.join("part-000/d000000.txt");
    std::fs::rename(&written, path)
        .with_context(|| format!("moving {} to {}", written.display(), path.display()))?;
    std::fs::remove_dir_all(&staging)?;
    Ok(())
}

/// Writes `seed` again and again, a blank line between copies, until `path` holds at least
/// `size` bytes; an existing file of that size is kept.
fn repeat_seed(seed: &Path, path: &Path, size: u64) -> anyhow::Result<()> {
    use std::io::Write as _;
    let text = std::fs::read(seed).with_context(|| format!("reading {}", seed.display()))?;
    let copy = [text.as_slice(), b"\n\n"].concat();
    let copies = size.div_ceil(copy.len() as u64);
    let expected = copies * copy.len() as u64;
    if std::fs::metadata(path).is_ok_and(|m| m.len() == expected) {
        return Ok(());
    }
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    for _ in 0..copies {
        out.write_all(&copy)?;
    }
    out.flush()?;
    Ok(())
}
