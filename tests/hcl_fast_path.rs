//! The fast HCL reader against hcl-edit on every Terraform file of `testdata/` and of the
//! shared corpus: wherever the fast reader takes a file, its tree (values and spans of every
//! block, attribute, expression and template part) must be the one hcl-edit's tree converts to;
//! and it must not take a file hcl-edit rejects.

mod common;

use nhiaudit::parse::hcl::{fast, parse_body_full};

#[test]
fn fast_reader_builds_hcl_edits_trees_on_every_real_file() {
    let (mut taken, mut total) = (0, 0);
    let mut differ = Vec::new();
    let mut declined = Vec::new();
    for (p, text) in common::real_files(&["tf", "tfvars", "hcl"]) {
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
