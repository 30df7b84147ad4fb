//! The fast YAML reader against the full parser on every YAML and JSON file of `testdata/` and
//! of the shared corpus: wherever the fast reader takes a file, the trees (values and spans of
//! every node) must be the ones the full parser builds.

use std::path::{Path, PathBuf};

use nhiaudit::parse::doc::Node;
use nhiaudit::parse::yaml::{Budget, parse_events, parse_fast};
use nhiaudit::source::FileId;

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
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(p);
        }
    }
}

#[test]
fn fast_reader_builds_the_full_parsers_trees_on_every_real_file() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(&here.join("testdata"), &mut all);
    files(&here.join("../shared/corpus"), &mut all);
    let (mut taken, mut total) = (0, 0);
    let mut differ = Vec::new();
    for p in &all {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
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
