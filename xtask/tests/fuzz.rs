//! The fuzz harness keeps working: every target has seeds and runs a few seconds of mutants with
//! no panic and no slow input. The real runs (`cargo xtask fuzz --minutes N`) are recorded in
//! `docs/reliability.md`.

use std::path::PathBuf;

use xtask::fuzz::{self, Target};

#[test]
fn every_reader_survives_a_short_fuzz_run() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared");
    assert!(
        shared.join("samples").is_dir(),
        "{} is missing: the fuzz seeds need ../shared",
        shared.display()
    );
    let out = tempfile::tempdir().expect("temp dir");
    let results = fuzz::run(&root, &shared, 0.25, 7, out.path()).expect("fuzz runs");
    for (target, outcome) in &results {
        // PDF layouts are seeded from Poppler's output, which CI installs.
        if *target != Target::PdfLayout || outcome.seeds > 0 {
            assert!(outcome.seeds > 0, "{}: no seeds", target.name());
            assert!(
                outcome.execs > outcome.seeds as u64,
                "{}: no mutants ran",
                target.name()
            );
        }
        assert!(
            outcome.panics.is_empty() && outcome.slow.is_empty(),
            "{}: {:?} {:?}",
            target.name(),
            outcome.panics,
            outcome.slow
        );
    }
}
