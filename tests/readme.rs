#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The README's copy-paste snippets work as written.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced block that follows `<!-- snippet: NAME -->`.
fn snippet(name: &str) -> String {
    let text = readme();
    let marker = format!("<!-- snippet: {name} -->");
    let at = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no snippet {name}"));
    let rest = &text[at + marker.len()..];
    let open = rest.find("```").unwrap();
    let body_start = open + rest[open..].find('\n').unwrap() + 1;
    let close = rest[body_start..].find("\n```").unwrap();
    rest[body_start..body_start + close + 1].to_owned()
}

#[test]
fn quick_start_has_exactly_two_commands() {
    let text = readme();
    let qs = &text[text.find("## Quick start").unwrap()..];
    let block = &qs[qs.find("```sh").unwrap() + 5..];
    let block = &block[..block.find("```").unwrap()];
    let cmds: Vec<&str> = block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        cmds,
        ["cargo run --release -- scan testdata/demo", "cargo test"]
    );
    let ci =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn config_snippet_loads() {
    nhiaudit::config::parse(&snippet("config"), "README.md").unwrap();
}

#[test]
fn suppression_snippet_suppresses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), snippet("suppression")).unwrap();
    let report = nhiaudit::scan(&nhiaudit::ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        ..Default::default()
    })
    .unwrap();
    let admin: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "iam-admin-wildcard")
        .collect();
    assert_eq!(admin.len(), 1);
    assert!(admin[0].suppression.is_some());
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn pre_commit_snippet_names_the_hook() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let snip = snippet("pre-commit");
    assert!(snip.contains("- id: nhiaudit"));
    assert!(hooks.contains("- id: nhiaudit"));
}

#[test]
fn workflow_snippet_is_the_example_file() {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nhiaudit.yml"),
    )
    .unwrap();
    assert_eq!(snippet("workflow"), example);
}
