#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Per-rule fixtures: every rule has `testdata/rules/<rule-id>/` with `bad-*` files that must
//! fire on exactly the marked lines and `good-*` files (realistic near misses) that must stay
//! silent. Each fixture is scanned on its own, as a pre-commit hook would pass it.
//!
//! Expected lines are marked where the finding starts: a trailing `# expect: <rule-id>` (or
//! `// expect: <rule-id>`) comment in HCL and YAML, several ids separated by commas. JSON
//! cannot carry comments, and neither can the body of a heredoc, so those expectations go in
//! a sidecar `<fixture-file-name>.expect` with one `LINE RULE-ID` per line (blank lines and
//! `#` comments allowed). A fixture is checked only against its directory's rule: markers for
//! other rules document side effects and are ignored.
//!
//! Rules that correlate files (a ServiceAccount manifest and the Terraform role it becomes)
//! take a fixture *directory* (`bad-*/`, `good-*/`): it is scanned as one tree, and the
//! markers of all its files are checked as (file, line) pairs.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use nhiaudit::report::Report;
use nhiaudit::{ScanOptions, scan};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules")
}

/// Can this file hold comments (HCL, YAML), or must its expectations live in a sidecar?
fn is_json(name: &str) -> bool {
    name.ends_with(".json")
}

/// `# expect: a, b` / `// expect: a` markers of one line.
fn line_markers(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["# expect:", "// expect:"] {
        if let Some(pos) = line.find(tag) {
            out.extend(
                line[pos + tag.len()..]
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    out
}

/// Rule id -> expected lines, from inline markers and the sidecar. Malformed sidecar lines are
/// pushed to `errors`.
fn expectations(
    path: &Path,
    text: &str,
    errors: &mut Vec<String>,
) -> BTreeMap<String, BTreeSet<u32>> {
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    if !is_json(&name) {
        for (i, line) in text.lines().enumerate() {
            for id in line_markers(line) {
                out.entry(id).or_default().insert(i as u32 + 1);
            }
        }
    }
    let sidecar = path.with_file_name(format!("{name}.expect"));
    if let Ok(s) = fs::read_to_string(&sidecar) {
        for (i, raw) in s.lines().enumerate() {
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let mut parts = l.split_whitespace();
            let (Some(line), Some(ids), None) = (parts.next(), parts.next(), parts.next()) else {
                errors.push(format!(
                    "{}:{}: sidecar line must be `LINE RULE-ID`: {raw:?}",
                    sidecar.display(),
                    i + 1
                ));
                continue;
            };
            let Ok(line) = line.parse::<u32>() else {
                errors.push(format!(
                    "{}:{}: not a line number: {raw:?}",
                    sidecar.display(),
                    i + 1
                ));
                continue;
            };
            let lines = text.lines().count() as u32;
            if line == 0 || line > lines {
                errors.push(format!(
                    "{}:{}: line {line} is outside the fixture ({lines} lines)",
                    sidecar.display(),
                    i + 1
                ));
            }
            for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                out.entry(id.to_owned()).or_default().insert(line);
            }
        }
    }
    out
}

fn scan_one(path: &Path) -> Result<Report, String> {
    scan(&ScanOptions {
        paths: vec![path.to_path_buf()],
        threads: Some(1),
        ..Default::default()
    })
    .map_err(|e| e.to_string())
}

fn fmt_lines(s: &BTreeSet<u32>) -> String {
    let v: Vec<String> = s.iter().map(u32::to_string).collect();
    format!("[{}]", v.join(", "))
}

/// Check one fixture file against its directory's rule.
fn check_fixture(rule: &str, path: &Path, known: &BTreeSet<&str>, failures: &mut Vec<String>) {
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let bad = name.starts_with("bad-");
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            failures.push(format!("{rel}: cannot read: {e}"));
            return;
        }
    };
    let mut errors = Vec::new();
    let expected = expectations(path, &text, &mut errors);
    failures.extend(errors.into_iter().map(|e| format!("{rel}: {e}")));
    for id in expected.keys() {
        if !known.contains(id.as_str()) {
            failures.push(format!("{rel}: marker names unknown rule `{id}`"));
        }
    }
    let report = match scan_one(path) {
        Ok(r) => r,
        Err(e) => {
            failures.push(format!("{rel}: scan failed: {e}"));
            return;
        }
    };
    // A fixture that is not read, or fails to parse, would pass as "good" vacuously.
    if report.counts.files_scanned != 1 || !report.diagnostics.is_empty() {
        let diags: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{}:{:?}: {}", d.path, d.line, d.message))
            .collect();
        failures.push(format!(
            "{rel}: not scanned cleanly (files scanned: {}, diagnostics: {diags:?})",
            report.counts.files_scanned
        ));
    }
    let ours: Vec<_> = report.findings.iter().filter(|f| f.rule == rule).collect();
    let actual: BTreeSet<u32> = ours.iter().map(|f| f.location.start.line).collect();
    let want = expected.get(rule).cloned().unwrap_or_default();
    let detail = || {
        ours.iter()
            .map(|f| {
                format!(
                    "\n      {}:{}: {}",
                    f.location.path, f.location.start.line, f.message
                )
            })
            .collect::<String>()
    };
    if bad {
        if want.is_empty() {
            failures.push(format!(
                "{rel}: bad fixture has no `expect: {rule}` marker (actual lines {}){}",
                fmt_lines(&actual),
                detail()
            ));
        } else if want != actual {
            failures.push(format!(
                "{rel}: expected {rule} on lines {}, found on lines {}{}",
                fmt_lines(&want),
                fmt_lines(&actual),
                detail()
            ));
        }
    } else {
        if !want.is_empty() {
            failures.push(format!(
                "{rel}: good fixture carries `expect: {rule}` markers on lines {}",
                fmt_lines(&want)
            ));
        }
        if !actual.is_empty() {
            failures.push(format!(
                "{rel}: good fixture must not fire {rule}, found on lines {}{}",
                fmt_lines(&actual),
                detail()
            ));
        }
    }
}

/// Files of a fixture directory, sorted, sidecars excluded.
fn tree_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            tree_files(&p, out);
        } else if !p.to_string_lossy().ends_with(".expect") {
            out.push(p);
        }
    }
}

/// Check a fixture directory, scanned as one tree, against its rule.
fn check_tree_fixture(rule: &str, dir: &Path, known: &BTreeSet<&str>, failures: &mut Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = dir.strip_prefix(root).unwrap_or(dir).display().to_string();
    let bad = dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("bad-");
    let mut files = Vec::new();
    tree_files(dir, &mut files);
    let mut want: BTreeSet<(String, u32)> = BTreeSet::new();
    for f in &files {
        let frel = f.strip_prefix(dir).unwrap().display().to_string();
        let text = match fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{rel}/{frel}: cannot read: {e}"));
                continue;
            }
        };
        let mut errors = Vec::new();
        for (id, lines) in expectations(f, &text, &mut errors) {
            if !known.contains(id.as_str()) {
                failures.push(format!("{rel}/{frel}: marker names unknown rule `{id}`"));
            }
            if id == rule {
                want.extend(lines.into_iter().map(|l| (frel.clone(), l)));
            }
        }
        failures.extend(errors.into_iter().map(|e| format!("{rel}/{frel}: {e}")));
    }
    let report = match scan_one(dir) {
        Ok(r) => r,
        Err(e) => {
            failures.push(format!("{rel}: scan failed: {e}"));
            return;
        }
    };
    if report.counts.files_scanned != files.len() || !report.diagnostics.is_empty() {
        failures.push(format!(
            "{rel}: not scanned cleanly (files scanned: {} of {}, diagnostics: {:?})",
            report.counts.files_scanned,
            files.len(),
            report
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.path, d.message))
                .collect::<Vec<_>>()
        ));
    }
    let ours: Vec<_> = report.findings.iter().filter(|f| f.rule == rule).collect();
    let actual: BTreeSet<(String, u32)> = ours
        .iter()
        .map(|f| {
            let p = root.join(&f.location.path);
            let frel = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
            (frel, f.location.start.line)
        })
        .collect();
    let show = |s: &BTreeSet<(String, u32)>| {
        s.iter()
            .map(|(f, l)| format!("{f}:{l}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let detail: String = ours
        .iter()
        .map(|f| {
            format!(
                "\n      {}:{}: {}",
                f.location.path, f.location.start.line, f.message
            )
        })
        .collect();
    if bad && want.is_empty() {
        failures.push(format!(
            "{rel}: bad fixture has no `expect: {rule}` marker (actual [{}]){detail}",
            show(&actual)
        ));
    } else if !bad && !want.is_empty() {
        failures.push(format!(
            "{rel}: good fixture carries `expect: {rule}` markers"
        ));
    } else if want != actual {
        failures.push(format!(
            "{rel}: expected {rule} at [{}], found at [{}]{detail}",
            show(&want),
            show(&actual)
        ));
    }
}

#[test]
fn every_rule_fires_on_bad_fixtures_and_only_there() {
    let root = fixtures_root();
    let known: BTreeSet<&str> = nhiaudit::rules::all().map(|r| r.id()).collect();
    let mut failures: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();

    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let dname = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !dir.is_dir() {
            failures.push(format!(
                "testdata/rules/{dname}: not a directory (fixtures live in testdata/rules/<rule-id>/)"
            ));
            continue;
        }
        if !known.contains(dname.as_str()) {
            failures.push(format!(
                "testdata/rules/{dname}: no rule has this id (see `nhiaudit rules`)"
            ));
            continue;
        }
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let entry = counts.entry(dname.clone()).or_default();
        for f in files {
            let fname = f.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(fixture) = fname.strip_suffix(".expect") {
                if !dir.join(fixture).is_file() {
                    failures.push(format!(
                        "testdata/rules/{dname}/{fname}: sidecar without its fixture {fixture}"
                    ));
                }
                continue;
            }
            if f.is_dir() && (fname.starts_with("bad-") || fname.starts_with("good-")) {
                if fname.starts_with("bad-") {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
                check_tree_fixture(&dname, &f, &known, &mut failures);
                continue;
            }
            if fname.starts_with("bad-") {
                entry.0 += 1;
            } else if fname.starts_with("good-") {
                entry.1 += 1;
            } else {
                failures.push(format!(
                    "testdata/rules/{dname}/{fname}: fixture names start with `bad-` or `good-`"
                ));
                continue;
            }
            check_fixture(&dname, &f, &known, &mut failures);
        }
    }
    for id in &known {
        match counts.get(*id) {
            None => failures.push(format!("rule {id} has no testdata/rules/{id}/ directory")),
            Some((b, g)) if *b == 0 || *g == 0 => failures.push(format!(
                "rule {id} needs at least one bad and one good fixture (has {b} bad, {g} good)"
            )),
            Some(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n  - {}",
        failures.len(),
        failures.join("\n  - ")
    );
}

#[test]
fn markers_parse() {
    assert_eq!(
        line_markers(r#"  Action = "*" # expect: iam-admin-wildcard, iam-x"#),
        vec!["iam-admin-wildcard", "iam-x"]
    );
    assert_eq!(line_markers("  a = 1 // expect: r"), vec!["r"]);
    assert!(line_markers("  a = 1 # nothing").is_empty());
}
