//! Parses each file given on the command line with `jixiao_parse::parse_bytes` and prints what it
//! found: the parser alone, without the CLI's summary or output, for CPU-time measurements
//! (`/usr/bin/time`, `perf stat -e instructions:u`, `perf record`).
//!
//! `cargo run --release -p jixiao-parse --example parse_file -- /tmp/big100.txt`

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let profile = jixiao_model::Profile::builtin();
    for path in std::env::args_os().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{}: {error}", path.to_string_lossy());
                return std::process::ExitCode::from(2);
            }
        };
        let name = path.to_string_lossy();
        match jixiao_parse::parse_bytes(&name, &bytes, &profile) {
            Ok(parsed) => {
                let indicators: usize = parsed
                    .documents
                    .iter()
                    .map(jixiao_model::Document::indicator_count)
                    .sum();
                println!(
                    "{name}: {} bytes, {} documents, {indicators} indicators, {} problems",
                    bytes.len(),
                    parsed.documents.len(),
                    parsed.problems.len()
                );
            }
            Err(error) => {
                eprintln!("{name}: {error}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
