#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every input a fuzz target ever crashed on (fuzz/regressions/<target>/) is replayed through
//! the per-file pipeline under every file kind, so a fixed crash stays fixed.

use std::path::Path;

const NAMES: &[&str] = &[
    "main.tf",
    "main.tf.json",
    "policy.json",
    "manifest.yaml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "action.yml",
];

#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).unwrap().flatten() {
        if !target.path().is_dir() {
            continue;
        }
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            let bytes = std::fs::read(input.path()).unwrap();
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
