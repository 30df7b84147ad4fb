//! The fast HCL reader against hcl-edit on every Terraform file of `testdata/` and of the
//! shared corpus: wherever the fast reader takes a file, its tree (values and spans of every
//! block, attribute, expression and template part) must be the one hcl-edit's tree converts to;
//! and it must not take a file hcl-edit rejects.

use std::path::{Path, PathBuf};

use nhiaudit::parse::hcl::{fast, parse_body_full};

fn files(root: &Path, out: &mut Vec<PathBuf>) {
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
            files(&p, out);
        } else if meta.is_file()
            && meta.len() < 4 << 20
            && p.extension()
                .is_some_and(|e| e == "tf" || e == "tfvars" || e == "hcl")
        {
            out.push(p);
        }
    }
}

#[test]
fn fast_reader_builds_hcl_edits_trees_on_every_real_file() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(&here.join("testdata"), &mut all);
    files(&here.join("../shared/corpus"), &mut all);
    let (mut taken, mut total) = (0, 0);
    let mut differ = Vec::new();
    let mut declined = Vec::new();
    for p in &all {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let full = parse_body_full(&text);
        total += 1;
        let Some(ours) = fast::parse_body(&text) else {
            if full.is_ok() {
                declined.push(p.display().to_string());
            }
            continue;
        };
        taken += 1;
        if full.as_ref().ok() != Some(&ours) {
            differ.push(p.display().to_string());
        }
    }
    eprintln!(
        "the fast reader took {taken} of {total} files; hcl-edit alone read:\n{}",
        declined.join("\n")
    );
    assert!(
        differ.is_empty(),
        "trees differ for:\n{}",
        differ.join("\n")
    );
    // It must be worth having: nearly every real file is in the subset it reads.
    assert!(
        taken * 10 > total * 9,
        "only {taken} of {total} files taken"
    );
}
