#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every input a fuzz target ever crashed on (fuzz/regressions/<target>/) is replayed through
//! that target's own entry point and through the per-file pipeline under every file kind, so
//! a fixed crash stays fixed.

use std::path::Path;

use nhiaudit::parse::yaml::{Budget, parse_events, parse_fast, parse_json, parse_stream};
use nhiaudit::source::FileId;

/// The names `fuzz/fuzz_targets/pipeline.rs` picks from with an input's first byte.
const NAMES: &[&str] = &[
    "main.tf",
    "main.tf.json",
    "policy.json",
    "manifest.yaml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "action.yml",
    "templates/deployment.yaml",
];

/// What the fuzz target `target` does with `data` (keep in step with fuzz/fuzz_targets/):
/// a crash found by a target that calls a parser directly may not be reached by a whole scan.
fn replay_target(target: &str, data: &[u8]) {
    let text = std::str::from_utf8(data).ok();
    match target {
        "yaml_tree" => {
            if let Some(text) = text {
                let budget = Budget {
                    max_nodes: 200_000,
                    max_documents: 1_000,
                    max_depth: 200,
                };
                let _ = parse_stream(text, FileId(0), 0, budget);
            }
        }
        "yaml_fast_path" => {
            if let Some(text) = text {
                let budget = Budget {
                    max_nodes: 200_000,
                    max_documents: 1_000,
                    max_depth: 200,
                };
                if let Some(fast) = parse_fast(text, FileId(0), 0, budget) {
                    let full = parse_events(text, FileId(0), 0, budget)
                        .expect("the full parser takes what the fast reader takes");
                    let f: Vec<_> = fast.iter().map(|d| &d.root).collect();
                    let g: Vec<_> = full.iter().map(|d| &d.root).collect();
                    assert_eq!(f, g, "trees differ for {text:?}");
                }
            }
        }
        "json_tree" => {
            if let Some(Ok(root)) = text.map(|t| parse_json(t, FileId(0), 0, Budget::default())) {
                let mut facts = nhiaudit::model::Facts::default();
                nhiaudit::inputs::iam_json::extract(&root, "fuzz.json", &mut facts);
                nhiaudit::inputs::kubernetes::extract(std::slice::from_ref(&root), &mut facts);
            }
        }
        "hcl_reader" => {
            if let Some(text) = text {
                let _ = nhiaudit::parse::hcl::parse_body(text);
            }
        }
        "hcl_fast_path" => {
            if let Some(text) = text
                && let Some(ours) = nhiaudit::parse::hcl::fast::parse_body(text)
            {
                let full = nhiaudit::parse::hcl::parse_body_full(text)
                    .expect("hcl-edit takes what the fast reader takes");
                assert_eq!(ours, full, "trees differ for {text:?}");
            }
        }
        "terraform_eval" => {
            let _ = nhiaudit::scan_bytes("main.tf", data);
        }
        "pipeline" => {
            if let Some((first, rest)) = data.split_first() {
                let _ = nhiaudit::scan_bytes(NAMES[usize::from(*first) % NAMES.len()], rest);
            }
        }
        other => panic!("fuzz/regressions/{other}/ is not a fuzz target's directory"),
    }
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).unwrap().flatten() {
        if !target.path().is_dir() {
            continue;
        }
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            let bytes = std::fs::read(input.path()).unwrap();
            replay_target(&name, &bytes);
            for name in NAMES {
                let _ = nhiaudit::scan_bytes(name, &bytes);
                if let Some((_, rest)) = bytes.split_first() {
                    let _ = nhiaudit::scan_bytes(name, rest);
                }
            }
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} fuzz regression inputs");
}

#[test]
fn scan_bytes_reports_like_a_scan() {
    let (findings, diags) = nhiaudit::scan_bytes(
        "policy.json",
        br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    assert!(diags.is_empty());
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.rule == "iam-admin-wildcard")
            .count(),
        1
    );
    let (_, diags) = nhiaudit::scan_bytes("main.tf", b"resource \"x\" {");
    assert_eq!(
        diags.len(),
        1,
        "a parse error is a diagnostic naming the file"
    );
    assert_eq!(diags[0].path, "main.tf");
}
