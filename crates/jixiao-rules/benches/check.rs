//! Review throughput on the large repeated-seed input (the same 100 MB as the parse benchmark).
//!
//! `cargo bench -p jixiao-rules --bench check` times, on one thread:
//! - `check_only_100MB`: every rule over the parsed model (per-document rules, then the corpus-wide
//!   ones through `observe` and `finish`);
//! - `parse_and_check_100MB`: bytes to findings, what `jixiao check` does per file.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jixiao_rules::{Checker, Settings};

// The model is many small strings and vectors; the `jixiao` binary uses mimalloc too.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TARGET_BYTES: usize = 100 * 1024 * 1024;

#[path = "../../jixiao-parse/benches/support/large_input.rs"]
mod large_input;
use large_input::large_input;

fn check_all(parsed: &jixiao_parse::Parsed) -> usize {
    let mut checker = Checker::new(Settings::default());
    let mut findings = checker.check(&parsed.documents, &parsed.problems);
    findings.extend(checker.finish());
    findings.len()
}

fn bench_check(c: &mut Criterion) {
    let text = large_input(TARGET_BYTES);
    let settings = Settings::default();
    let parsed = jixiao_parse::parse_bytes("large.txt", text.as_bytes(), &settings.profile)
        .expect("the repeated seed is readable");
    println!(
        "{:.1} MB, {} indicators, {} findings",
        text.len() as f64 / 1_000_000.0,
        parsed
            .documents
            .iter()
            .map(|d| d.indicator_count())
            .sum::<usize>(),
        check_all(&parsed)
    );
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("check_only_100MB", |b| {
        b.iter(|| black_box(check_all(black_box(&parsed))));
    });
    drop(parsed);
    group.bench_function("parse_and_check_100MB", |b| {
        b.iter(|| {
            let parsed = jixiao_parse::parse_bytes(
                "large.txt",
                black_box(text.as_bytes()),
                &settings.profile,
            )
            .expect("readable");
            black_box(check_all(&parsed))
        });
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
