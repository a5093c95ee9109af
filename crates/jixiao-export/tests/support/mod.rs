//! What the writer tests share: the workspace and the tables in its folders.

use std::path::PathBuf;

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file of `dir` (relative to the workspace) but its README, sorted, with its bytes;
/// none when the folder is missing.
pub fn read_dir(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(workspace().join(dir))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("reads");
            (p.display().to_string(), bytes)
        })
        .collect()
}
