//! The fast YAML reader against the full parser on every YAML and JSON file of `testdata/` and
//! of the shared corpus: wherever the fast reader takes a file, the trees (values and spans of
//! every node) must be the ones the full parser builds.

mod common;

use std::path::Path;

use nhiaudit::parse::doc::Node;
use nhiaudit::parse::yaml::{Budget, parse_events, parse_fast};
use nhiaudit::source::FileId;

#[test]
fn fast_reader_builds_the_full_parsers_trees_on_every_real_file() {
    let (mut taken, mut total) = (0, 0);
    let mut differ = Vec::new();
    for (p, text) in common::real_files(&["yaml", "yml", "json"]) {
        total += 1;
        let Some(fast) = parse_fast(&text, FileId(0), 0, Budget::default()) else {
            continue;
        };
        taken += 1;
        let full = parse_events(&text, FileId(0), 0, Budget::default());
        let same = full.as_ref().is_ok_and(|full| {
            let f: Vec<&Node> = fast.iter().map(|d| &d.root).collect();
            let g: Vec<&Node> = full.iter().map(|d| &d.root).collect();
            f == g
        });
        if !same {
            differ.push(p.display().to_string());
        }
    }
    eprintln!("the fast reader took {taken} of {total} files");
    assert!(
        differ.is_empty(),
        "trees differ for:\n{}",
        differ.join("\n")
    );
    // It must be worth having: most real files are in the subset it reads.
    assert!(taken * 2 > total, "only {taken} of {total} files taken");
}

/// The rules' front matter is read at every start (a pre-commit run included): the fast reader
/// must take all of it, and build the full parser's trees.
#[test]
fn fast_reader_takes_every_rules_front_matter() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("rules/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let front = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(front, _)| front)
            .expect("front matter");
        let fast = parse_fast(front, FileId(0), 0, Budget::default())
            .unwrap_or_else(|| panic!("{}: the fast reader gave up", path.display()));
        let full = parse_events(front, FileId(0), 0, Budget::default()).expect("valid YAML");
        let f: Vec<&Node> = fast.iter().map(|d| &d.root).collect();
        let g: Vec<&Node> = full.iter().map(|d| &d.root).collect();
        assert_eq!(f, g, "{}", path.display());
        seen += 1;
    }
    assert!(seen > 80, "only {seen} rules");
}
