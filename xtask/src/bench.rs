//! `cargo xtask bench-scale`: parse and check generated corpora of growing size, next to `cat` and
//! `wc -l` on the same files in the same run, and print a Markdown table of time, throughput and
//! peak memory (`/usr/bin/time -v`).
//!
//! Also the two streaming commands it times: `parse-files` and `check-files` read one file at a
//! time through the libraries and drop it, which is the floor for what `jixiao parse` and
//! `jixiao check` could use in time and memory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};
use jixiao_rules::{Checker, Settings};

use crate::corpus;

/// Every `.txt` file under `dir`, sorted.
pub fn corpus_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// What the streaming commands saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub files: usize,
    pub bytes: u64,
    pub documents: usize,
    pub projects: usize,
    pub indicators: usize,
    pub findings: usize,
}

/// Parses every file, one at a time, keeping only counts.
pub fn parse_files(files: &[PathBuf]) -> anyhow::Result<Counts> {
    let profile = jixiao_model::Profile::builtin();
    let mut counts = Counts::default();
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let parsed = jixiao_parse::parse_bytes(&path.display().to_string(), &bytes, &profile)?;
        count_documents(&mut counts, &parsed.documents, bytes.len());
    }
    Ok(counts)
}

/// Parses and checks every file, one at a time, keeping only counts; corpus-wide rules keep
/// what they need. With `progress`, prints the CPU time of every 1,000 files to stderr, which
/// shows whether later files cost more than earlier ones (state that grows with the corpus).
pub fn check_files(files: &[PathBuf], progress: bool) -> anyhow::Result<Counts> {
    // G002's per-goal log goes to temporary files, as in `jixiao check`.
    let mut checker = Checker::new(Settings::default())
        .with_scratch(&|| Ok(Box::new(tempfile::tempfile()?) as Box<dyn jixiao_rules::Scratch>))?;
    let mut counts = Counts::default();
    let mut last_cpu = process_cpu_seconds();
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let parsed = jixiao_parse::parse_bytes(
            &path.display().to_string(),
            &bytes,
            &checker.settings().profile,
        )?;
        counts.findings += checker.check(&parsed.documents, &parsed.problems).len();
        count_documents(&mut counts, &parsed.documents, bytes.len());
        if progress && counts.files % 1000 == 0 {
            let cpu = process_cpu_seconds();
            eprintln!(
                "{} files, {:.0} MiB: {:.2} CPU s for the last 1000 files",
                counts.files,
                counts.bytes as f64 / f64::from(1 << 20),
                cpu - last_cpu
            );
            last_cpu = cpu;
        }
    }
    counts.findings += checker.try_finish()?.len();
    Ok(counts)
}

/// User plus system time of this process from `/proc/self/stat` (0 where there is none).
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // The kernel reports in USER_HZ, which is 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

fn count_documents(counts: &mut Counts, documents: &[jixiao_model::Document], bytes: usize) {
    counts.files += 1;
    counts.bytes += bytes as u64;
    counts.documents += documents.len();
    for document in documents {
        for (_, project) in document.projects() {
            counts.projects += 1;
            counts.indicators += project.indicators.len();
        }
    }
}

/// One timed command.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub what: String,
    pub seconds: f64,
    /// User plus system CPU time, less sensitive than wall time to other work on the machine.
    pub cpu_seconds: f64,
    pub max_rss_kib: u64,
}

/// Runs `sh -c script` in `dir` under `/usr/bin/time -v`.
fn measure(what: &str, dir: &Path, script: &str) -> anyhow::Result<Measurement> {
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .with_context(|| format!("running /usr/bin/time -v sh -c {script}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!(
            "`{script}` failed: {}",
            stderr.lines().take(5).collect::<Vec<_>>().join(" / ")
        );
    }
    measurement(what, seconds, &stderr)
}

/// Runs `argv` under `/usr/bin/time -v` with stdout to `/dev/null`, as a user's command writing
/// to a file would run; an exit code outside `accepted` fails with the first lines of stderr.
pub fn measure_command(
    what: &str,
    argv: &[String],
    accepted: &[i32],
) -> anyhow::Result<Measurement> {
    let report = tempfile::NamedTempFile::new()?;
    let errors = tempfile::NamedTempFile::new()?;
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(report.path())
        .args(argv)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(errors.reopen()?)
        .status()
        .with_context(|| format!("running /usr/bin/time -v {}", argv.join(" ")))?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.code().is_some_and(|c| accepted.contains(&c)) {
        let stderr = std::fs::read_to_string(errors.path()).unwrap_or_default();
        bail!(
            "`{}` failed ({status}): {}",
            argv.join(" ").chars().take(200).collect::<String>(),
            stderr.lines().take(5).collect::<Vec<_>>().join(" / ")
        );
    }
    let report = std::fs::read_to_string(report.path())?;
    measurement(what, seconds, &report)
}

/// A measurement from the report of `/usr/bin/time -v`: CPU time and peak memory.
fn measurement(what: &str, seconds: f64, report: &str) -> anyhow::Result<Measurement> {
    let field = |name: &str| -> f64 {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0)
    };
    let cpu_seconds = field("User time (seconds):") + field("System time (seconds):");
    let max_rss_kib = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
        .context("no maximum resident set size in the output of /usr/bin/time -v")?;
    Ok(Measurement {
        what: what.to_owned(),
        seconds,
        cpu_seconds,
        max_rss_kib,
    })
}

/// Parses `10MB`, `1GB`, `500KB` (powers of 1024) or a plain byte count.
pub fn parse_size(text: &str) -> anyhow::Result<u64> {
    let upper = text.trim().to_ascii_uppercase();
    let (number, factor) = if let Some(n) = upper.strip_suffix("GB") {
        (n, 1u64 << 30)
    } else if let Some(n) = upper.strip_suffix("MB") {
        (n, 1 << 20)
    } else if let Some(n) = upper.strip_suffix("KB") {
        (n, 1 << 10)
    } else {
        (upper.as_str(), 1)
    };
    let number: f64 = number
        .trim()
        .parse()
        .with_context(|| format!("not a size: {text} (write e.g. 10MB, 1GB)"))?;
    Ok((number * factor as f64) as u64)
}

/// Options of `bench-scale`.
#[derive(Debug, Clone)]
pub struct ScaleOptions {
    pub sizes: Vec<String>,
    pub dir: PathBuf,
    pub seed: u64,
    pub per_file: usize,
    /// Keep the corpora (they are reused when present).
    pub keep: bool,
    /// Skip the `jixiao` commands (parse, check, import) on corpora larger than this, to keep a
    /// run short.
    pub skip_cli_above: Option<u64>,
}

/// Builds the binaries, generates the corpora (or reuses them) and times every command on each.
pub fn scale(options: &ScaleOptions, workspace: &Path) -> anyhow::Result<String> {
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "jixiao-cli",
            "-p",
            "xtask",
        ])
        .current_dir(workspace)
        .status()
        .context("running cargo build --release")?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    let release = workspace.join("target/release");
    let jixiao = release.join("jixiao");
    let xtask = release.join("xtask");
    let mut table = String::from(
        "| corpus | files | MiB | command | wall (s) | MiB/s | CPU (s) | CPU s per 100 MiB | max RSS (MiB) | throughput ÷ `wc -l` |\n|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for size_text in &options.sizes {
        let size = parse_size(size_text)?;
        let dir = options.dir.join(size_text);
        if !dir.join("manifest.json").is_file() {
            let mut gen_options = corpus::Options::new(0, options.seed, dir.clone());
            gen_options.size = Some(size);
            gen_options.per_file = options.per_file;
            let started = Instant::now();
            let stats = corpus::generate(&gen_options)?;
            eprintln!(
                "generated {size_text}: {} files, {} projects in {:.1} s",
                stats.files,
                stats.projects,
                started.elapsed().as_secs_f64()
            );
        }
        let files = corpus_files(&dir)?;
        let bytes: u64 = files
            .iter()
            .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
            .sum();
        let mib = bytes as f64 / f64::from(1 << 20);
        // File lists go through find and xargs: a 1 GB corpus names more files than one `sh -c`
        // argument may hold.
        let find = "find . -name '*.txt'";
        let cli_ok = options.skip_cli_above.is_none_or(|limit| bytes <= limit);
        let mut commands: Vec<(&str, String)> = vec![
            (
                "`cat > /dev/null`",
                format!("{find} -exec cat {{}} + > /dev/null"),
            ),
            ("`wc -l`", format!("{find} -exec wc -l {{}} + > /dev/null")),
            (
                "parse, streaming (`xtask parse-files`)",
                format!("{} parse-files . > /dev/null", xtask.display()),
            ),
            (
                "check, streaming (`xtask check-files`)",
                format!("{} check-files . > /dev/null", xtask.display()),
            ),
        ];
        if cli_ok {
            commands.push((
                "`jixiao parse --quiet`",
                format!(
                    "{find} -print0 | sort -z | xargs -0 -s 1900000 {} parse --quiet > /dev/null",
                    jixiao.display()
                ),
            ));
            commands.push((
                "`jixiao check --format json`",
                format!(
                    "{} check --format json --fail-on never . > /dev/null",
                    jixiao.display()
                ),
            ));
            // A fresh SQLite file beside the corpus each time, so every run imports everything.
            let db = std::path::absolute(options.dir.join(format!("{size_text}.db")))?;
            commands.push((
                "`jixiao import` into SQLite",
                format!(
                    "rm -f '{db}' '{db}-wal' '{db}-shm' && {jixiao} import . --db 'sqlite://{db}' > /dev/null",
                    db = db.display(),
                    jixiao = jixiao.display()
                ),
            ));
        }
        // Warm the page cache so every command reads from memory.
        measure(
            "warm-up",
            &dir,
            &format!("{find} -exec cat {{}} + > /dev/null"),
        )?;
        let mut wc_rate = None;
        for (what, script) in commands {
            let m = measure(what, &dir, &script)?;
            let rate = mib / m.seconds;
            if what == "`wc -l`" {
                wc_rate = Some(rate);
            }
            let ratio = match wc_rate {
                Some(wc) if what != "`wc -l`" && what != "`cat > /dev/null`" => {
                    format!("1/{:.0}", wc / rate)
                }
                _ => "—".to_owned(),
            };
            let row = format!(
                "| {size_text} | {} | {mib:.1} | {} | {:.2} | {:.1} | {:.2} | {:.2} | {:.0} | {ratio} |\n",
                files.len(),
                m.what,
                m.seconds,
                rate,
                m.cpu_seconds,
                m.cpu_seconds * 100.0 / mib,
                m.max_rss_kib as f64 / 1024.0
            );
            eprint!("{row}");
            table.push_str(&row);
        }
        if !options.keep {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    Ok(table)
}
