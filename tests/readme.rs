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

/// The inventory excerpt in the README is what `nhiaudit inventory testdata/demo` prints.
#[test]
fn inventory_excerpt_matches_the_demo() {
    let text = readme();
    let section = text
        .split("## Reviewing an automation integration")
        .nth(1)
        .expect("README has the review section");
    let rows: Vec<Vec<String>> = section
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| l.starts_with("| ") && l.as_bytes().get(2).is_some_and(u8::is_ascii_digit))
        .map(|l| l.split('|').map(|c| c.trim().to_owned()).collect())
        .collect();
    assert!(rows.len() >= 3, "{rows:?}");
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let report = nhiaudit::scan(&nhiaudit::ScanOptions {
        paths: vec!["testdata/demo".into()],
        inventory: true,
        ..Default::default()
    })
    .unwrap();
    let actual = nhiaudit::output::inventory::markdown(&report);
    for row in rows {
        // | # | identity | kind | lifetime | class | tier | who | score |
        let (n, name, score) = (&row[1], &row[2], &row[8]);
        let line = actual
            .lines()
            .find(|l| l.starts_with(&format!("| {n} | [{name}](")))
            .unwrap_or_else(|| panic!("row {n} `{name}` not in the inventory:\n{actual}"));
        assert!(line.contains(&format!("| {score} |")), "{line}");
        for cell in &row[3..8] {
            assert!(
                line.contains(&format!("| {cell} |")),
                "`{cell}` not in {line}"
            );
        }
    }
}
