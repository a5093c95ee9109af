//! Project tasks:
//! - `cargo xtask docs [--check]`: write docs/rules/*.md from the rules' documentation, or check
//!   that the committed pages are current;
//! - `cargo xtask gen --departments N --seed S --out DIR [--size 10MB] [--per-file K]
//!   [--self-evaluations N] [--rate CODE=R …] [--republish R]`: a corpus with planted mistakes, corrected republications
//!   (share R of the departments, default 0.03) and `manifest.json` (which tables are versions of
//!   which: `tables`);
//! - `cargo xtask eval [--seed S] [--departments N] [--self-evaluations N] [--dir DIR]`: recall and precision per rule;
//! - `cargo xtask fuzz [--minutes N]`: mutation fuzzing of every reader (see `fuzz.rs`);
//! - `cargo xtask reading-eval [--check-labels] [-v]`: how well real tables are read, against the
//!   hand labels in `tests/reading/`;
//! - `cargo xtask bench-scale [--sizes 10MB,100MB,1GB] [--dir DIR] [--keep]`: timings at scale;
//! - `cargo xtask cli-bench [--list-size 52MB] [--large 1GB] [--corpus-size 100MB] [--runs N]`:
//!   the CLI as a whole process against `wc -l` and a Python reader (see `clibench.rs`);
//! - `parse-files DIR`, `check-files DIR`: the streaming commands `bench-scale` times;
//! - `cargo xtask instructions [--jixiao BIN] [--base BIN] [--dir DIR] [--out DIR]` and
//!   `cargo xtask same-output --base BIN [--jixiao BIN] [--dir DIR]`: the instruction counts and
//!   the identical-output check behind every speed change (see `speed.rs`);
//! - `cargo xtask pdf-fixtures [DIR]`: write the PDF test fixtures (see `pdf.rs`);
//! - `cargo xtask web-load (--url URL | --serve BIN --db DB) [--seconds N] [--rate R]
//!   [--check-file F] [--check-rate R]`: latency of `jixiao serve` under load (see `load.rs`).

mod pdf;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use xtask::{bench, corpus, eval, load, speed};

// The allocator `jixiao` uses, so the streaming commands that bench-scale times compare fairly
// with the CLI (glibc malloc grows slower as the corpus-wide G002 state grows).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  cargo xtask docs [--check]
  cargo xtask gen --out DIR [--departments N] [--seed S] [--size 10MB|100MB|1GB] [--per-file K] [--self-evaluations N] [--rate CODE=R ...] [--republish R]
  cargo xtask eval [--seed S] [--departments N] [--self-evaluations N] [--dir DIR] [--verbose]
  cargo xtask fuzz [--minutes N] [--seed S] [--out DIR]
  cargo xtask reading-eval [--labels DIR] [--shared DIR] [--check-labels] [--verbose]
  cargo xtask bench-scale [--sizes 10MB,100MB,1GB] [--dir DIR] [--seed S] [--per-file K] [--keep] [--skip-cli-above SIZE]
  cargo xtask cli-bench [--dir DIR] [--jixiao BIN] [--list-size 52MB] [--large 0|1GB] [--generated-list 52MB|0] [--corpus-size 100MB|0] [--runs N] [--clean]
  cargo xtask parse-files DIR | check-files DIR [--progress]
  cargo xtask instructions [--jixiao BIN] [--base BIN] [--dir DIR] [--out DIR]
  cargo xtask same-output --base BIN [--jixiao BIN] [--dir DIR] [--shared DIR]
  cargo xtask pdf-fixtures [DIR]
  cargo xtask web-load (--url http://127.0.0.1:PORT | --serve target/release/jixiao --db DB) [--seconds 10] [--rate 200] [--query 满意度] [--check-file F] [--check-rate 5] [--token T]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("docs") => docs(args.iter().any(|a| a == "--check")),
        Some("gen") => generate(rest),
        Some("eval") => evaluate(rest),
        Some("reading-eval") => reading_eval(rest),
        Some("fuzz") => fuzz(rest),
        Some("bench-scale") => bench_scale(rest),
        Some("cli-bench") => cli_bench(rest),
        Some(command @ ("parse-files" | "check-files")) => stream(command, rest),
        Some("web-load") => web_load(rest),
        Some("instructions") => instructions(rest),
        Some("same-output") => same_output(rest),
        Some("pdf-fixtures") => {
            let dir = args.get(1).map_or_else(
                || {
                    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                        .join("../crates/jixiao-parse/tests/fixtures/pdf")
                },
                PathBuf::from,
            );
            pdf::fixtures(&dir)?;
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("{USAGE}"),
    }
}

/// Fuzzes every reader for `--minutes` in all (default 8), saving findings under `--out`.
fn fuzz(args: &[String]) -> anyhow::Result<ExitCode> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut minutes = 8.0;
    let mut seed = 1;
    let mut out = root.join("target/fuzz");
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--minutes" => minutes = flags.number(flag)?,
            "--seed" => seed = flags.number(flag)?,
            "--out" => out = PathBuf::from(flags.value(flag)?),
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    let started = Instant::now();
    let results = xtask::fuzz::run(&root, &root.join("../shared"), minutes, seed, &out)?;
    println!("| target | seeds | execs | execs/s | panics | slow (>5 s) | slowest |");
    println!("|---|---|---|---|---|---|---|");
    let mut found = 0;
    for (target, outcome) in &results {
        let per_second =
            outcome.execs as f64 / (started.elapsed().as_secs_f64() / results.len() as f64);
        println!(
            "| {} | {} | {} | {per_second:.0} | {} | {} | {:.2} s |",
            target.name(),
            outcome.seeds,
            outcome.execs,
            outcome.panics.len(),
            outcome.slow.len(),
            outcome.slowest.as_secs_f64()
        );
        found += outcome.panics.len() + outcome.slow.len();
        for path in outcome.panics.iter().chain(&outcome.slow) {
            println!("  {}", path.display());
        }
    }
    println!("peak memory: {}", peak_memory());
    Ok(if found == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// This process's peak resident memory (`VmHWM`), as Linux reports it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The reading eval: labels in `tests/reading/`, sources in `../shared/`.
fn reading_eval(args: &[String]) -> anyhow::Result<ExitCode> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut labels = root.join("tests/reading");
    let mut shared = root.join("../shared");
    let mut check = false;
    let mut verbose = false;
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--labels" => labels = PathBuf::from(flags.value(flag)?),
            "--shared" => shared = PathBuf::from(flags.value(flag)?),
            "--check-labels" => check = true,
            "--verbose" | "-v" => verbose = true,
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    let ok = xtask::reading::run(&labels, &shared, check, verbose)?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `--name value` pairs and bare flags, in order.
struct Flags<'a> {
    args: &'a [String],
    index: usize,
}

impl<'a> Flags<'a> {
    fn new(args: &'a [String]) -> Self {
        Self { args, index: 0 }
    }

    /// The next flag and, for flags that take one, its value.
    fn next_flag(&mut self) -> Option<&'a str> {
        let flag = self.args.get(self.index)?;
        self.index += 1;
        Some(flag.as_str())
    }

    fn value(&mut self, flag: &str) -> anyhow::Result<&'a str> {
        let value = self
            .args
            .get(self.index)
            .with_context(|| format!("{flag} needs a value\n{USAGE}"))?;
        self.index += 1;
        Ok(value.as_str())
    }

    fn number<T: std::str::FromStr>(&mut self, flag: &str) -> anyhow::Result<T> {
        let value = self.value(flag)?;
        value
            .parse()
            .map_err(|_| anyhow::anyhow!("{flag}: not a number: {value}"))
    }
}

fn generate(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut options = corpus::Options::new(20, 1, PathBuf::new());
    let mut out = None;
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--departments" => options.departments = flags.number(flag)?,
            "--seed" => options.seed = flags.number(flag)?,
            "--out" => out = Some(PathBuf::from(flags.value(flag)?)),
            "--size" => options.size = Some(bench::parse_size(flags.value(flag)?)?),
            "--per-file" => options.per_file = flags.number(flag)?,
            "--self-evaluations" => options.self_evaluations = flags.number(flag)?,
            "--rate" => options.set_rate(flags.value(flag)?)?,
            "--republish" => {
                options.republish = flags.number(flag)?;
                if !(0.0..=1.0).contains(&options.republish) {
                    bail!("--republish: a rate is between 0 and 1");
                }
            }
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    options.out = out.with_context(|| format!("--out DIR is required\n{USAGE}"))?;
    let started = Instant::now();
    let stats = corpus::generate(&options)?;
    eprintln!(
        "{}: {} files, {} tables ({} of them corrected versions of another), {:.1} MiB, {} projects ({} with planted mistakes at {} places, {} clean) in {:.1} s",
        options.out.display(),
        stats.files,
        stats.tables,
        stats.republished,
        stats.bytes as f64 / f64::from(1 << 20),
        stats.projects,
        stats.projects - stats.clean,
        stats.planted,
        stats.clean,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn evaluate(args: &[String]) -> anyhow::Result<ExitCode> {
    let (mut seed, mut departments, mut dir, mut verbose) = (1, 200, None, false);
    let mut self_evaluations = 0;
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--seed" => seed = flags.number(flag)?,
            "--departments" => departments = flags.number(flag)?,
            "--self-evaluations" => self_evaluations = flags.number(flag)?,
            "--dir" => dir = Some(PathBuf::from(flags.value(flag)?)),
            "--verbose" | "-v" => verbose = true,
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    let (report, reading) = match dir {
        Some(dir) => (eval::evaluate(&dir)?, xtask::flatten::evaluate(&dir, 60)?),
        None => eval::run_with(seed, departments, self_evaluations)?,
    };
    println!(
        "{} files, {:.1} MiB, {} findings, {} clean projects\n",
        report.files,
        report.bytes as f64 / f64::from(1 << 20),
        report.findings,
        report.projects_clean
    );
    print!("{}", report.table());
    println!("\nclean projects with findings: {}", report.strays.len());
    let self_evaluations_clean = report.clean_self_evaluations;
    if self_evaluations_clean > 0 {
        println!(
            "clean self-evaluations with findings: {} of {self_evaluations_clean}",
            report.stray_self_evaluations()
        );
        if let Some(v009) = report.self_evaluation_scores.get("V009") {
            println!(
                "V009 in self-evaluations' closing remarks: {} of {} found, {} spurious",
                v009.hits, v009.expected, v009.false_positives
            );
        }
    }
    println!("\nreading the corpus's projects written as project sheets, flattened:\n");
    print!("{}", xtask::flatten::table(&reading));
    if verbose {
        for (_, score) in &reading {
            for miss in &score.misses {
                println!("not read right: {miss}");
            }
        }
    }
    if verbose {
        for (file, line, code, cause) in &report.misses {
            println!("missed   {file}:{line} {code} (planted {cause})");
        }
        for (file, line, code, message) in &report.false_positives {
            println!("spurious {file}:{line} {code} {message}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_scale(args: &[String]) -> anyhow::Result<ExitCode> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut options = bench::ScaleOptions {
        sizes: vec!["10MB".into(), "100MB".into(), "1GB".into()],
        dir: workspace.join("target/gen-bench"),
        seed: 1,
        per_file: 10,
        keep: false,
        skip_cli_above: None,
    };
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--sizes" => {
                options.sizes = flags.value(flag)?.split(',').map(str::to_owned).collect();
            }
            "--dir" => options.dir = PathBuf::from(flags.value(flag)?),
            "--seed" => options.seed = flags.number(flag)?,
            "--per-file" => options.per_file = flags.number(flag)?,
            "--keep" => options.keep = true,
            "--skip-cli-above" => {
                options.skip_cli_above = Some(bench::parse_size(flags.value(flag)?)?);
            }
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    let table = bench::scale(&options, &workspace)?;
    print!("{table}");
    Ok(ExitCode::SUCCESS)
}

fn cli_bench(args: &[String]) -> anyhow::Result<ExitCode> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let mut options = xtask::clibench::Options {
        dir: PathBuf::from("/tmp/cli-bench"),
        jixiao: target.join("release/jixiao"),
        list_size: 52_000_000,
        large_size: 0,
        generated_list_size: 52_000_000,
        corpus_size: 100 << 20,
        seed_file: workspace.join("examples/guangzhou-huadu-rsj.txt"),
        runs: 1,
        clean: false,
    };
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--dir" => options.dir = PathBuf::from(flags.value(flag)?),
            "--jixiao" => options.jixiao = PathBuf::from(flags.value(flag)?),
            "--list-size" => options.list_size = bench::parse_size(flags.value(flag)?)?,
            "--large" => options.large_size = bench::parse_size(flags.value(flag)?)?,
            "--corpus-size" => options.corpus_size = bench::parse_size(flags.value(flag)?)?,
            "--generated-list" => {
                options.generated_list_size = bench::parse_size(flags.value(flag)?)?;
            }
            "--seed-file" => options.seed_file = PathBuf::from(flags.value(flag)?),
            "--runs" => options.runs = flags.number(flag)?,
            "--clean" => options.clean = true,
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    let table = xtask::clibench::run(&options, &workspace)?;
    print!("{table}");
    Ok(ExitCode::SUCCESS)
}

/// The `jixiao` release binary of this workspace (or of `CARGO_TARGET_DIR`).
fn release_jixiao(workspace: &std::path::Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from)
        .join("release/jixiao")
}

/// The options of `instructions` and `same-output`: the binary measured, the one it is compared
/// with, the `cli-bench` inputs, where profiles go and where the shared samples are.
struct SpeedArgs {
    workspace: PathBuf,
    jixiao: PathBuf,
    base: Option<PathBuf>,
    dir: PathBuf,
    out: PathBuf,
    shared: PathBuf,
}

impl SpeedArgs {
    fn parse(args: &[String]) -> anyhow::Result<Self> {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut parsed = Self {
            jixiao: release_jixiao(&workspace),
            base: None,
            dir: PathBuf::from("/tmp/cli-bench"),
            out: workspace.join("target/instructions"),
            shared: workspace.join("../shared"),
            workspace,
        };
        let mut flags = Flags::new(args);
        while let Some(flag) = flags.next_flag() {
            let value = PathBuf::from(flags.value(flag)?);
            match flag {
                "--jixiao" => parsed.jixiao = value,
                "--base" => parsed.base = Some(value),
                "--dir" => parsed.dir = value,
                "--out" => parsed.out = value,
                "--shared" => parsed.shared = value,
                _ => bail!("unknown option {flag}\n{USAGE}"),
            }
        }
        Ok(parsed)
    }
}

/// Instruction counts of the fixed commands for `--jixiao` (and `--base`, then side by side).
fn instructions(args: &[String]) -> anyhow::Result<ExitCode> {
    let SpeedArgs {
        jixiao,
        base,
        dir,
        out,
        ..
    } = SpeedArgs::parse(args)?;
    let inputs = speed::Inputs::prepare(&dir)?;
    let new = speed::instructions(&jixiao, &inputs, &out.join("new"))?;
    let table = match base {
        Some(base) => {
            let base = speed::instructions(&base, &inputs, &out.join("base"))?;
            speed::table(&base, Some(&new))
        }
        None => speed::table(&new, None),
    };
    print!("{table}");
    println!("(callgrind profiles in {})", out.display());
    Ok(ExitCode::SUCCESS)
}

/// Whether `--jixiao` prints exactly what `--base` prints; exit 1 when not.
fn same_output(args: &[String]) -> anyhow::Result<ExitCode> {
    let SpeedArgs {
        workspace,
        jixiao,
        base,
        dir,
        shared,
        ..
    } = SpeedArgs::parse(args)?;
    let base = base.with_context(|| format!("--base is required\n{USAGE}"))?;
    let inputs = speed::Inputs::prepare(&dir)?;
    let comparison = speed::same_output(&base, &jixiao, &workspace, &shared, &inputs)?;
    for line in &comparison.differing {
        println!("differs: {line}");
    }
    println!(
        "runs: {} differing: {}",
        comparison.runs,
        comparison.differing.len()
    );
    Ok(if comparison.differing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn stream(command: &str, args: &[String]) -> anyhow::Result<ExitCode> {
    let (dir, progress) = match args {
        [dir] => (dir, false),
        [dir, flag] if flag == "--progress" => (dir, true),
        _ => bail!("{USAGE}"),
    };
    let files = bench::corpus_files(std::path::Path::new(dir))?;
    let counts = if command == "parse-files" {
        bench::parse_files(&files)?
    } else {
        bench::check_files(&files, progress)?
    };
    println!(
        "{} files, {} bytes, {} documents, {} projects, {} indicators, {} findings",
        counts.files,
        counts.bytes,
        counts.documents,
        counts.projects,
        counts.indicators,
        counts.findings
    );
    Ok(ExitCode::SUCCESS)
}

fn docs(check: bool) -> anyhow::Result<ExitCode> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    let mut pages = vec![("README.md".to_owned(), index())];
    for rule in jixiao_rules::all_rules() {
        let page = jixiao_rules::rule_page(rule.code()).context("every rule has a page")?;
        pages.push((format!("{}.md", rule.code()), page));
    }
    let mut stale = Vec::new();
    for (name, page) in &pages {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *page {
            stale.push(name.clone());
            if !check {
                std::fs::create_dir_all(&dir)?;
                std::fs::write(&path, page)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
    }
    if check && !stale.is_empty() {
        eprintln!(
            "docs/rules is stale ({}); run `cargo xtask docs`",
            stale.join(", ")
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn index() -> String {
    let mut text = String::from(
        "# 审核规则\n\n由 `cargo xtask docs` 从各规则的文档生成，请勿手工修改。\n\n| 代码 | 名称 | 说明 | 默认级别 |\n|---|---|---|---|\n",
    );
    for info in jixiao_rules::CODES {
        text.push_str(&format!(
            "| [{code}]({code}.md) | {} | {} | {} |\n",
            info.name,
            info.title,
            info.severity.label(),
            code = info.code
        ));
    }
    text
}

/// The first `href="{prefix}…"` of a page, without the prefix.
fn first_link<'a>(page: &'a str, prefix: &str) -> Option<&'a str> {
    let marker = format!("href=\"{prefix}");
    let start = page.find(&marker)? + marker.len();
    let end = start + page[start..].find('"')?;
    Some(&page[start..end])
}

/// Times the browse, search and dashboard pages and checking one table under a fixed request
/// rate, against a running server (`--url`) or one it starts (`--serve BIN --db DB`, read-only
/// pages public) and stops afterwards.
fn web_load(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut url = None;
    let mut serve = None;
    let mut db = None;
    let mut seconds = 10.0;
    let mut rate = 200.0;
    let mut check_rate = 5.0;
    let mut query = "满意度".to_owned();
    let mut check_file = None;
    let mut token = None;
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag {
            "--url" => url = Some(flags.value(flag)?.to_owned()),
            "--serve" => serve = Some(PathBuf::from(flags.value(flag)?)),
            "--db" => db = Some(flags.value(flag)?.to_owned()),
            "--seconds" => seconds = flags.number(flag)?,
            "--rate" => rate = flags.number(flag)?,
            "--check-rate" => check_rate = flags.number(flag)?,
            "--query" => query = flags.value(flag)?.to_owned(),
            "--check-file" => check_file = Some(PathBuf::from(flags.value(flag)?)),
            "--token" => token = Some(flags.value(flag)?.to_owned()),
            other => bail!("unknown option {other}\n{USAGE}"),
        }
    }
    if !(seconds > 0.0 && seconds <= 600.0 && rate > 0.0 && check_rate > 0.0) {
        bail!("--seconds must be in (0, 600] and the rates positive");
    }
    let mut child = None;
    let base = match (url, serve) {
        (Some(url), None) => url.trim_end_matches('/').to_owned(),
        (None, Some(binary)) => {
            let db = db.context("--serve needs --db")?;
            let addr = "127.0.0.1:18089";
            child = Some(
                std::process::Command::new(&binary)
                    .args([
                        "serve",
                        "--public",
                        "--no-examples",
                        "--addr",
                        addr,
                        "--db",
                        &db,
                    ])
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .with_context(|| format!("starting {}", binary.display()))?,
            );
            format!("http://{addr}")
        }
        _ => bail!("give either --url or --serve\n{USAGE}"),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        load::wait_until_up(&base, std::time::Duration::from_secs(900)).await?;
        let page = fetch(&base, "/publishers").await?;
        let publisher = first_link(&page, "/publishers/")
            .context("no publisher on /publishers: is the corpus empty?")?
            .to_owned();
        let page = fetch(&base, &format!("/publishers/{publisher}")).await?;
        let document = first_link(&page, "/documents/")
            .context("no document")?
            .to_owned();
        let get = |label: &str, path: String| load::Target {
            label: label.to_owned(),
            method: hyper::Method::GET,
            path,
            body: None,
        };
        let encoded: String = query
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let mut targets = vec![
            (
                get("发布单位列表 /publishers", "/publishers".to_owned()),
                rate,
            ),
            (
                get(
                    "一个发布单位 /publishers/{name}",
                    format!("/publishers/{publisher}"),
                ),
                rate,
            ),
            (
                get("一张表 /documents/{id}", format!("/documents/{document}")),
                rate,
            ),
            (
                get(
                    &format!("搜索 /search?q={query}"),
                    format!("/search?q={encoded}"),
                ),
                rate,
            ),
            (get("统计 /dashboard", "/dashboard".to_owned()), rate),
        ];
        if let Some(file) = &check_file {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("table.txt");
            targets.push((
                load::Target {
                    label: format!("审核一张表 POST /api/v1/check（{} KB）", bytes.len() / 1024),
                    method: hyper::Method::POST,
                    path: format!("/api/v1/check?name={name}"),
                    body: Some((bytes.into(), "text/plain; charset=utf-8")),
                },
                check_rate,
            ));
        }
        println!("| request | rate (req/s) | sent | failed | p50 | p90 | p99 | max |");
        println!("|---|---|---|---|---|---|---|---|");
        for (target, rate) in &targets {
            let r = load::run(&base, target, *rate, seconds, token.as_deref()).await?;
            let ms = |d: std::time::Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
            println!(
                "| {} | {:.0} | {} | {} | {} | {} | {} | {} |",
                r.label,
                r.rate,
                r.sent,
                r.failed,
                ms(r.p50),
                ms(r.p90),
                ms(r.p99),
                ms(r.max)
            );
        }
        anyhow::Ok(())
    });
    if let Some(mut child) = child {
        let _ = child.kill();
        let _ = child.wait();
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

async fn fetch(base: &str, path: &str) -> anyhow::Result<String> {
    use http_body_util::BodyExt as _;
    let client: hyper_util::client::legacy::Client<_, http_body_util::Empty<hyper::body::Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
    let response = client.get(format!("{base}{path}").parse()?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if !status.is_success() {
        bail!("{path}: {status}");
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}
