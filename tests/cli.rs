#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Command-line behaviour: help and version, usage errors, `rules` and `explain`, exit codes
//! and `--fail-on`, `-o FILE`, and SARIF output that GitHub's ingestion would accept.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const LIMIT: Duration = Duration::from_secs(20);

const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// Only `iam-service-wildcard-action` (high) fires on this policy.
const HIGH_ONLY_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run the binary in `cwd`, bounded by [`LIMIT`].
fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nhiaudit"));
    cmd.args(args).current_dir(cwd).env("NO_COLOR", "1");
    run_bounded(cmd, LIMIT)
}

/// Run a command with stdout/stderr in files (no pipe to fill); kill it and fail past `limit`.
fn run_bounded(mut cmd: Command, limit: Duration) -> Run {
    let out = tempfile::tempdir().unwrap();
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&fs::read(&stdout_path).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&fs::read(&stderr_path).unwrap()).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A temp dir holding one file.
fn tree(name: &str, content: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), content).unwrap();
    dir
}

fn rule_ids() -> Vec<&'static str> {
    nhiaudit::rules::all().map(|r| r.id()).collect()
}

// ------------------------------------------------------------------------------ help, version

#[test]
fn version_prints_the_crate_version() {
    let r = run(&["--version"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains(env!("CARGO_PKG_VERSION")) && r.stdout.contains("nhiaudit"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_succeeds_and_shows_examples() {
    let r = run(&["--help"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("Examples"), "{}", r.stdout);
    assert!(r.stdout.contains("nhiaudit scan"), "{}", r.stdout);
    let r = run(&["scan", "--help"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("--fail-on"), "{}", r.stdout);
}

// ------------------------------------------------------------------------------ usage errors

#[test]
fn unknown_flag_is_a_usage_error() {
    let r = run(&["scan", "--definitely-not-a-flag", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(r.stderr.contains("--definitely-not-a-flag"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn unknown_rule_in_select_or_ignore_is_a_usage_error() {
    let dir = tree("policy.json", ADMIN_POLICY);
    for flag in ["--select", "--ignore"] {
        let r = run_in(
            dir.path(),
            &["scan", flag, "iam-admin-wildcard,no-such-rule", "."],
        );
        assert_eq!(r.code, Some(2), "{flag}: {}", r.stdout);
        assert!(r.stderr.contains("no-such-rule"), "{flag}: {}", r.stderr);
    }
}

#[test]
fn nonexistent_path_is_a_fatal_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["scan", "does/not/exist"]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(r.stderr.contains("does/not/exist"), "{}", r.stderr);
}

#[test]
fn zero_threads_is_a_usage_error() {
    let dir = tree("policy.json", ADMIN_POLICY);
    let r = run_in(dir.path(), &["scan", "--threads", "0", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

// ------------------------------------------------------------------------------ rules, explain

#[test]
fn rules_lists_every_rule_id() {
    let r = run(&["rules"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let listed: BTreeSet<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let all: BTreeSet<&str> = rule_ids().into_iter().collect();
    assert!(!all.is_empty());
    assert_eq!(listed, all, "{}", r.stdout);

    let r = run(&["rules", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, all);
}

#[test]
fn explain_prints_what_why_and_remediation() {
    let r = run(&["explain", "iam-admin-wildcard"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("iam-admin-wildcard"), "{}", r.stdout);
    for heading in ["## What", "## Why", "## Remediation"] {
        assert!(
            r.stdout.contains(heading),
            "missing {heading}:\n{}",
            r.stdout
        );
    }
}

#[test]
fn explain_unknown_rule_is_a_usage_error() {
    let r = run(&["explain", "nope"]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

// ------------------------------------------------------------------------------ exit codes

#[test]
fn findings_exit_1_at_the_default_fail_on() {
    let dir = tree("policy.json", ADMIN_POLICY);
    let r = run_in(dir.path(), &["scan", "."]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("iam-admin-wildcard"), "{}", r.stdout);
}

#[test]
fn clean_scan_exits_0() {
    let dir = tree(
        "policy.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key"}]}"#,
    );
    let r = run_in(dir.path(), &["scan", "."]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn fail_on_critical_ignores_a_high_finding() {
    let dir = tree("policy.json", HIGH_ONLY_POLICY);
    let r = run_in(dir.path(), &["scan", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let severities: BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, BTreeSet::from(["high"]), "{}", r.stdout);
    assert_eq!(r.code, Some(1));
    let r = run_in(dir.path(), &["scan", "--fail-on", "critical", "."]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    let r = run_in(dir.path(), &["scan", "--fail-on", "high", "."]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn fail_on_none_always_exits_0() {
    let dir = tree("policy.json", ADMIN_POLICY);
    let r = run_in(dir.path(), &["scan", "--fail-on", "none", "."]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("iam-admin-wildcard"), "{}", r.stdout);
}

#[test]
fn parse_failures_change_the_exit_code_only_with_strict() {
    let dir = tree("broken.json", r#"{"Statement": [}"#);
    let r = run_in(dir.path(), &["scan", "."]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("broken.json"), "{}", r.stdout);
    let r = run_in(dir.path(), &["scan", "--strict", "."]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
}

// ------------------------------------------------------------------------------ output

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tree("policy.json", ADMIN_POLICY);
    let out = dir.path().join("report.json");
    let r = run_in(
        dir.path(),
        &[
            "scan",
            "--format",
            "json",
            "-o",
            "report.json",
            "policy.json",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    let written = fs::read_to_string(&out).unwrap();
    let direct = run_in(dir.path(), &["scan", "--format", "json", "policy.json"]);
    assert_eq!(written, direct.stdout);
    let v: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["findings"][0]["rule"], "iam-admin-wildcard", "{written}");
}

#[test]
fn unwritable_output_file_is_a_fatal_error() {
    let dir = tree("policy.json", ADMIN_POLICY);
    let r = run_in(
        dir.path(),
        &["scan", "-o", "no/such/dir/report.txt", "policy.json"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
}

/// Scan a small tree with findings, a parse failure and an unread file kind to SARIF.
fn sarif_tree() -> (TempDir, String) {
    let dir = tree("policy.json", ADMIN_POLICY);
    fs::write(dir.path().join("high.json"), HIGH_ONLY_POLICY).unwrap();
    fs::write(dir.path().join("broken.json"), r#"{"Statement": [}"#).unwrap();
    fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_iam_user_policy\" \"ci\" {\n  user = \"ci\"\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = \"iam:*\", Resource = \"*\" }]\n  })\n}\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["scan", "--format", "sarif", "."]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    (dir, r.stdout)
}

#[test]
fn sarif_is_2_1_0_and_every_result_names_a_declared_rule() {
    let (_dir, out) = sarif_tree();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules: Vec<&str> = runs[0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{out}");
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        assert!(rules.contains(&id), "{id} not among driver.rules {rules:?}");
        if let Some(i) = res["ruleIndex"].as_u64() {
            assert_eq!(rules[usize::try_from(i).unwrap()], id);
        }
    }
}

#[test]
fn sarif_passes_the_external_validator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let validator = root.join("../shared/tools/validate-sarif");
    if !validator.is_file() {
        eprintln!(
            "note: {} missing; SARIF validation skipped",
            validator.display()
        );
        return;
    }
    let (dir, out) = sarif_tree();
    let file = dir.path().join("nhiaudit.sarif");
    fs::write(&file, &out).unwrap();
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: python3 missing; SARIF validation skipped");
        return;
    }
    // The first run may pip-install jsonschema: allow it more time than a scan.
    let mut cmd = Command::new(&validator);
    cmd.arg(&file);
    let result = run_bounded(cmd, Duration::from_secs(300));
    let text = format!("{}{}", result.stdout, result.stderr);
    match result.code {
        Some(0) => {}
        Some(2) => eprintln!("note: validate-sarif could not set itself up; skipped:\n{text}"),
        _ => panic!("validate-sarif rejected our SARIF:\n{text}"),
    }
}

#[test]
fn inventory_prints_json_and_markdown_and_exits_zero() {
    let json = run(&["inventory", "testdata/demo", "--format", "json"]);
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let ids = v["identities"].as_array().unwrap();
    assert!(ids.len() >= 6, "{}", ids.len());
    for id in ids {
        for field in [
            "id",
            "kind",
            "name",
            "lifetime",
            "classes",
            "tier",
            "scope",
            "trust",
            "blast_radius",
            "grants",
            "obtained_by",
            "runs_as",
            "findings",
        ] {
            assert!(id.get(field).is_some(), "{field} missing in {id}");
        }
    }
    // secrets never appear, not even in an inventory
    assert!(!json.stdout.contains("QwErTyUiOpAsDfGhJkLzXcVb"));
    let md = run(&["inventory", "testdata/demo"]);
    assert_eq!(md.code, Some(0), "{}", md.stderr);
    assert!(md.stdout.starts_with("# Non-human identity inventory\n"));
    assert!(md.stdout.contains("| # | identity | kind |"));
}

#[test]
fn inventory_writes_to_a_file() {
    let dir = tree("p.json", ADMIN_POLICY);
    let out = dir.path().join("inv.md");
    let r = run(&[
        "inventory",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let text = fs::read_to_string(&out).unwrap();
    // a bare policy document is not an identity
    assert!(text.contains("0 non-human identities"), "{text}");
}

#[test]
fn documentation_example_keys_are_reported_at_low_confidence_and_redacted() {
    let t = tree(
        "main.tf",
        r#"provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}
"#,
    );
    let r = run_in(t.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{}", r.stdout);
    for f in findings {
        assert_eq!(f["rule"], "aws-provider-static-credentials");
        assert_eq!(f["confidence"], "low");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("AWS documentation example key"),
            "{f}"
        );
    }
    assert!(!r.stdout.contains("IOSFODNN7"), "{}", r.stdout);
    assert!(!r.stdout.contains("K7MDENG"), "{}", r.stdout);
}
