//! Helpers shared by integration tests (each test file that needs them says `mod common;`).

use std::path::{Path, PathBuf};

/// Regular files under `root` (symlinks not followed, below 4 MiB) whose extension is one of
/// `exts`, in a stable order.
pub fn files_with(root: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            files_with(&p, exts, out);
        } else if meta.is_file()
            && meta.len() < 4 << 20
            && p.extension().is_some_and(|e| exts.iter().any(|x| e == *x))
        {
            out.push(p);
        }
    }
}

/// The files of `testdata/` and of the shared corpus with one of these extensions, with their
/// text (files that are not UTF-8 are left out).
pub fn real_files(exts: &[&str]) -> Vec<(PathBuf, String)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files_with(&here.join("testdata"), exts, &mut all);
    files_with(&here.join("../shared/corpus"), exts, &mut all);
    all.into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p, text))
        })
        .collect()
}
