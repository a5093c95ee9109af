//! CPU time of checking the repeated-seed input, which the criterion bench cannot give on a shared
//! machine (it measures wall time).
//!
//! `cargo run --release -p jixiao-rules --example check_cpu -- [ITERATIONS] [MiB]` parses the 花都
//! table repeated to `MiB` (default 100, as the bench) once, then checks it `ITERATIONS` times
//! (default 3) and prints, per check, this thread's CPU time (user + system, from
//! `/proc/thread-self/stat`) and a hash of the findings, so that a change that alters them shows.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

use jixiao_rules::{Checker, Settings};

// As in the bench and the `jixiao` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/large_input.rs"]
mod support;
use support::large_input;

/// CPU seconds (user + system) this thread has used; 0 where `/proc` is not available.
fn thread_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    // Fields after the command name: state is field 3, utime 14, stime 15 (in clock ticks).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let text = large_input(mib * 1024 * 1024);
    let settings = Settings::default();
    let start = thread_cpu();
    let parsed = jixiao_parse::parse_bytes("large.txt", text.as_bytes(), &settings.profile)
        .expect("the repeated seed is readable");
    println!(
        "{:.1} MB parsed in {:.2} s CPU",
        text.len() as f64 / 1e6,
        thread_cpu() - start
    );
    for _ in 0..iterations {
        let (wall, start) = (Instant::now(), thread_cpu());
        let mut checker = Checker::new(Settings::default());
        let mut findings = checker.check(&parsed.documents, &parsed.problems);
        findings.extend(checker.finish());
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), thread_cpu() - start);
        let mut hasher = DefaultHasher::new();
        for f in &findings {
            (f.code, &f.message, &f.help, f.span.line, f.span.start).hash(&mut hasher);
        }
        println!(
            "check: {} findings (hash {:016x}), {cpu:.2} s CPU ({:.1} MB/s), {wall:.2} s wall",
            findings.len(),
            hasher.finish(),
            text.len() as f64 / 1e6 / cpu
        );
    }
}
