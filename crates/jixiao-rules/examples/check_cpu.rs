//! CPU time of checking the repeated-seed input, which the criterion bench cannot give on a shared
//! machine (it measures wall time).
//!
//! `cargo run --release -p jixiao-rules --example check_cpu -- [ITERATIONS] [MiB]` parses the 花都
//! table repeated to `MiB` (default 100, as the bench) once, then checks it `ITERATIONS` times
//! (default 3) and prints, per check, this thread's CPU time (user + system, from
//! `/proc/thread-self/schedstat`) and a hash of the findings, so that a change that alters them
//! shows.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

use jixiao_rules::{Checker, Settings};

// As in the bench and the `jixiao` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../jixiao-parse/benches/support/large_input.rs"]
mod large_input;
#[path = "../../jixiao-parse/benches/support/thread_cpu.rs"]
mod thread_cpu;
use large_input::large_input;
use thread_cpu::thread_cpu;

/// [`thread_cpu`] in seconds, 0 where it is not available.
fn cpu_seconds() -> f64 {
    thread_cpu().map_or(0.0, |cpu| cpu.as_secs_f64())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let text = large_input(mib * 1024 * 1024);
    let settings = Settings::default();
    let start = cpu_seconds();
    let parsed = jixiao_parse::parse_bytes("large.txt", text.as_bytes(), &settings.profile)
        .expect("the repeated seed is readable");
    println!(
        "{:.1} MB parsed in {:.2} s CPU",
        text.len() as f64 / 1e6,
        cpu_seconds() - start
    );
    for _ in 0..iterations {
        let (wall, start) = (Instant::now(), cpu_seconds());
        let mut checker = Checker::new(Settings::default());
        let mut findings = checker.check(&parsed.documents, &parsed.problems);
        findings.extend(checker.finish());
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - start);
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
