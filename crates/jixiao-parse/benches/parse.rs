//! Parsing throughput on a large department list made by repeating the seed rows.
//!
//! `cargo bench -p jixiao-parse --bench parse` prints, in the same run, the time `wc -l` takes on
//! the same bytes (written to a file under target/) as the floor to compare with.
//!
//! `department_list_100MB` is wall time. `department_list_100MB_cpu` is the CPU time of the
//! benchmark thread (user + system, from `/proc/thread-self/schedstat`), which other processes on
//! a shared machine inflate far less: under a load of 6 on two cores wall time was 2–3 times the
//! CPU time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jixiao_model::Profile;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TARGET_BYTES: usize = 100 * 1024 * 1024;

#[path = "support/large_input.rs"]
mod large_input;
#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use large_input::large_input;
use thread_cpu::thread_cpu;

fn wc_floor(text: &str) -> Option<Duration> {
    let path = std::env::temp_dir().join("jixiao-bench-parse.txt");
    std::fs::write(&path, text).ok()?;
    let mut best: Option<Duration> = None;
    for _ in 0..3 {
        let start = Instant::now();
        let status = std::process::Command::new("wc")
            .arg("-l")
            .arg(&path)
            .output()
            .ok()?;
        let elapsed = start.elapsed();
        if !status.status.success() {
            return None;
        }
        best = Some(best.map_or(elapsed, |b| b.min(elapsed)));
    }
    let _ = std::fs::remove_file(&path);
    best
}

fn bench_parse(c: &mut Criterion) {
    let text = large_input(TARGET_BYTES);
    let megabytes = text.len() as f64 / 1_000_000.0;
    if let Some(floor) = wc_floor(&text) {
        println!(
            "wc -l on the same {megabytes:.1} MB: {:.3} s ({:.0} MB/s)",
            floor.as_secs_f64(),
            megabytes / floor.as_secs_f64()
        );
    }
    let profile = Profile::builtin();
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("department_list_100MB", |b| {
        b.iter(|| {
            let parsed =
                jixiao_parse::parse_bytes("large.txt", black_box(text.as_bytes()), &profile)
                    .expect("readable");
            black_box(parsed.documents.len())
        });
    });
    if thread_cpu().is_some() {
        group.bench_function("department_list_100MB_cpu", |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let start = thread_cpu().unwrap_or_default();
                    let parsed = jixiao_parse::parse_bytes(
                        "large.txt",
                        black_box(text.as_bytes()),
                        &profile,
                    )
                    .expect("readable");
                    black_box(parsed.documents.len());
                    drop(parsed);
                    total += thread_cpu().unwrap_or_default().saturating_sub(start);
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
