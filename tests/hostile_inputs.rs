#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Hostile inputs: bad files must never crash, hang or hide the other files of a scan.
//!
//! Every test builds a tree at run time holding the hostile file next to a known-bad IAM policy
//! (`policy.json`, and for Terraform cases a module file `admin.tf` in the same directory) and
//! checks that the scan returns, in bounded time, with the good file's finding still reported
//! and, for kinds nhiaudit parses, a diagnostic naming the hostile file with its reason.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nhiaudit::report::{Diagnostic, Report};
use nhiaudit::{ScanOptions, scan};
use tempfile::TempDir;

/// Past this, a scan counts as hung.
const LIMIT: Duration = Duration::from_secs(20);

const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

const ADMIN_TF: &str = r#"resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
"#;

/// A module with one heredoc policy and one `jsonencode` policy, both admin (LF endings).
const TWO_POLICIES_TF: &str = r#"# two administrator policies
resource "aws_iam_policy" "heredoc" {
  name   = "heredoc"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
POLICY
}

resource "aws_iam_policy" "encoded" {
  name = "encoded"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
"#;

const ACCESS_KEY: &str = "AKIAZ7QRSTUVWXY23456";
const SECRET_KEY: &str = "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";

// ------------------------------------------------------------------------------ helpers

/// A temp dir holding `policy.json` (the known-bad IAM policy).
fn tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policy.json", ADMIN_POLICY);
    dir
}

/// [`tree`] plus `admin.tf`, so hostile Terraform files share a module with a bad policy.
fn tree_with_module() -> TempDir {
    let dir = tree();
    write(dir.path(), "admin.tf", ADMIN_TF);
    dir
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

fn opts(paths: &[&Path]) -> ScanOptions {
    ScanOptions {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        ..ScanOptions::default()
    }
}

/// Run the scan on another thread and fail if it panics, errors or outlives [`LIMIT`].
fn scan_within(opts: ScanOptions) -> Report {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("bounded-scan".into())
        .spawn(move || {
            let _ = tx.send(scan(&opts));
        })
        .unwrap();
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(report)) => report,
        Ok(Err(e)) => panic!("scan returned an error: {e}"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("scan did not finish within {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("scan panicked"),
    }
}

fn scan_dir(dir: &Path) -> Report {
    scan_within(opts(&[dir]))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn describe(report: &Report) -> String {
    let mut s = String::from("diagnostics:\n");
    for d in &report.diagnostics {
        s.push_str(&format!(
            "  {} {:?} {:?}:{:?} {}\n",
            d.path, d.level, d.line, d.column, d.message
        ));
    }
    s.push_str("findings:\n");
    for f in &report.findings {
        s.push_str(&format!(
            "  {}:{}:{} {}\n",
            f.location.path, f.location.start.line, f.location.start.col, f.rule
        ));
    }
    s
}

fn has_finding(report: &Report, file: &str, rule: &str) -> bool {
    report
        .findings
        .iter()
        .any(|f| file_name(&f.location.path) == file && f.rule == rule)
}

/// The known-bad `policy.json` is still reported.
fn assert_policy_reported(report: &Report) {
    assert!(
        has_finding(report, "policy.json", "iam-admin-wildcard"),
        "the good file's finding is missing\n{}",
        describe(report)
    );
}

/// The known-bad `admin.tf` (same module as the hostile file) is still reported.
fn assert_module_reported(report: &Report) {
    assert!(
        has_finding(report, "admin.tf", "iam-admin-wildcard"),
        "the module's other file is no longer analysed\n{}",
        describe(report)
    );
}

/// The diagnostic naming `file`, whose message contains `reason` (case-insensitive).
fn diagnostic<'r>(report: &'r Report, file: &str, reason: &str) -> &'r Diagnostic {
    let reason_lc = reason.to_lowercase();
    report
        .diagnostics
        .iter()
        .find(|d| file_name(&d.path) == file && d.message.to_lowercase().contains(&reason_lc))
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic for {file} mentioning {reason:?}\n{}",
                describe(report)
            )
        })
}

fn no_findings_in(report: &Report, file: &str) {
    assert!(
        !report
            .findings
            .iter()
            .any(|f| file_name(&f.location.path) == file),
        "{file} must not be analysed\n{}",
        describe(report)
    );
}

/// (rule, start, end) of every finding in `file`, in report order.
fn positions(report: &Report, file: &str) -> Vec<(String, u32, u32, u32, u32)> {
    report
        .findings
        .iter()
        .filter(|f| file_name(&f.location.path) == file)
        .map(|f| {
            (
                f.rule.to_owned(),
                f.location.start.line,
                f.location.start.col,
                f.location.end.line,
                f.location.end.col,
            )
        })
        .collect()
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

/// Run the binary with stdout/stderr in files (no pipe to fill) and kill it past [`LIMIT`].
fn run_cli(cwd: &Path, args: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nhiaudit"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nhiaudit {args:?} did not finish within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: fs::read(&stdout_path).unwrap(),
        stderr: fs::read_to_string(&stderr_path).unwrap_or_default(),
    }
}

// ------------------------------------------------------------------------------ nesting

#[test]
fn json_policy_nested_100k_deep_is_a_parse_error() {
    let dir = tree();
    let open = format!("{{\"Statement\": {}", "[".repeat(100_000));
    let balanced = format!(
        "{{\"Statement\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let objects = format!(
        "{{\"Statement\": {}1{}}}",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    write(dir.path(), "deep_open.json", open);
    write(dir.path(), "deep_balanced.json", balanced);
    write(dir.path(), "deep_objects.json", objects);
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    for f in ["deep_open.json", "deep_balanced.json", "deep_objects.json"] {
        diagnostic(&report, f, "parse error");
    }
}

#[test]
fn hcl_nested_100k_deep_is_a_parse_error() {
    let dir = tree_with_module();
    write(
        dir.path(),
        "deep_open.tf",
        format!("a = {}", "[".repeat(100_000)),
    );
    write(
        dir.path(),
        "deep_balanced.tf",
        format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    write(
        dir.path(),
        "deep_parens.tf",
        format!("a = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)),
    );
    write(
        dir.path(),
        "deep_unary.tf",
        format!("a = {}true\n", "!".repeat(100_000)),
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    for f in [
        "deep_open.tf",
        "deep_balanced.tf",
        "deep_parens.tf",
        "deep_unary.tf",
    ] {
        diagnostic(&report, f, "parse error");
    }
}

#[test]
fn terraform_json_nested_100k_deep_is_a_parse_error() {
    let dir = tree_with_module();
    write(
        dir.path(),
        "deep_open.tf.json",
        format!("{{\"locals\": {{\"a\": {}", "[".repeat(100_000)),
    );
    write(
        dir.path(),
        "deep_balanced.tf.json",
        format!(
            "{{\"locals\": {{\"a\": {}{}}}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    diagnostic(&report, "deep_open.tf.json", "parse error");
    diagnostic(&report, "deep_balanced.tf.json", "parse error");
}

// ------------------------------------------------------------------------------ expansion bombs

/// 9 levels of anchors, each aliasing the previous one 9 times: 9^10 nodes once expanded.
fn yaml_alias_bomb() -> String {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        let aliases = vec![format!("*a{p}"); 9].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{aliases}]\n"));
    }
    s
}

#[test]
fn yaml_alias_bomb_does_not_crash() {
    let dir = tree();
    write(dir.path(), "bomb.yaml", yaml_alias_bomb());
    write(dir.path(), "ci/bomb.yml", yaml_alias_bomb());
    // Reaches the JSON path (it mentions "Statement"), where strict JSON rejects YAML syntax.
    write(
        dir.path(),
        "bomb.json",
        format!("{}\"Statement\": *a9\n", yaml_alias_bomb()),
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "bomb.json", "parse error");
}

#[test]
fn json_with_millions_of_nodes_hits_the_node_budget() {
    let dir = tree();
    // Valid JSON (so it reaches the located-tree builder) with more nodes than the budget.
    let items = vec!["0"; 2_100_000].join(",");
    write(
        dir.path(),
        "wide.json",
        format!("{{\"Statement\": [{items}]}}"),
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "wide.json", "budget");
}

#[test]
fn terraform_locals_expansion_bomb_is_bounded() {
    // The Terraform form of an alias bomb: each local lists the previous one 9 times.
    let dir = tree_with_module();
    let mut tf = String::from(
        "locals {\n  l0 = [\"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\"]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("local.l{}", i - 1); 9].join(", ");
        tf.push_str(&format!("  l{i} = [{refs}]\n"));
    }
    tf.push_str("}\n\nresource \"aws_iam_policy\" \"bomb\" {\n  policy = jsonencode({Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = local.l9}]})\n}\n");
    write(dir.path(), "bomb.tf", tf);
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
}

#[test]
fn terraform_json_template_doubling_bomb_is_bounded() {
    // Strings that interpolate the next local 10,000 times: 10^11 bytes once expanded.
    let dir = tree_with_module();
    let t0 = "${local.t1}".repeat(10_000);
    let t = "${local.t0}".repeat(10_000);
    let s = "${local.s}".repeat(10_000);
    let x = "x".repeat(1000);
    write(
        dir.path(),
        "bomb.tf.json",
        format!(
            r#"{{"locals": {{"s": "{s}", "t": "{t}", "t0": "{t0}", "t1": "{x}"}},
 "resource": {{"aws_iam_policy": {{"bomb": {{"policy": "${{local.s}}${{local.t}}"}}}}}}}}"#
        ),
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
}

#[test]
fn terraform_locals_chain_nesting_does_not_overflow_the_stack() {
    // Each local wraps the previous one in 40 lists; referenced in order, memoised values
    // would nest 120,000 levels deep.
    let dir = tree_with_module();
    let mut tf = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..3000 {
        tf.push_str(&format!(
            "  l{i} = {}local.l{}{}\n",
            "[".repeat(40),
            i - 1,
            "]".repeat(40)
        ));
    }
    tf.push_str("}\n");
    for i in 1..3000 {
        tf.push_str(&format!(
            "resource \"aws_iam_policy\" \"p{i}\" {{\n  policy = jsonencode({{Statement = [{{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = local.l{i}}}]}})\n}}\n"
        ));
    }
    write(dir.path(), "chain.tf", tf);
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
}

// ------------------------------------------------------------------------------ encodings

#[test]
fn invalid_utf8_in_terraform_is_a_diagnostic() {
    let dir = tree_with_module();
    write(
        dir.path(),
        "latin1.tf",
        b"resource \"aws_iam_user\" \"u\" {\n  name = \"caf\xe9\xff\xfe\"\n}\n",
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    diagnostic(&report, "latin1.tf", "UTF-8");
}

#[test]
fn utf16_le_bom_policy_is_decoded_and_analysed() {
    let dir = tree();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in ADMIN_POLICY.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    write(dir.path(), "utf16.json", bytes);
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert!(
        has_finding(&report, "utf16.json", "iam-admin-wildcard"),
        "UTF-16 policy not analysed\n{}",
        describe(&report)
    );
    // Positions are those of the same text in UTF-8.
    assert_eq!(
        positions(&report, "utf16.json"),
        positions(&report, "policy.json")
    );
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| file_name(&d.path) == "utf16.json"),
        "{}",
        describe(&report)
    );
}

#[test]
fn empty_terraform_and_json_files_are_harmless() {
    let dir = tree_with_module();
    write(dir.path(), "empty.tf", "");
    write(dir.path(), "blank.tf", "\n\n   \n\t\n");
    write(dir.path(), "empty.json", "");
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    // An empty .tf is valid Terraform; an empty .json is simply not ours.
    let complaints: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| ["empty.tf", "blank.tf", "empty.json"].contains(&file_name(&d.path)))
        .collect();
    assert!(complaints.is_empty(), "{}", describe(&report));
}

#[test]
fn nul_bytes_are_reported_as_binary() {
    let dir = tree_with_module();
    write(dir.path(), "nul.tf", b"locals {\n  a = 1\0\0\0\n}\n");
    write(
        dir.path(),
        "nul.json",
        b"{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}\0",
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    diagnostic(&report, "nul.tf", "binary");
    diagnostic(&report, "nul.json", "binary");
    no_findings_in(&report, "nul.json");
}

// ------------------------------------------------------------------------------ sizes

/// A valid admin policy padded with whitespace to `size` bytes (cheap to parse, unlike a
/// 50 MB string that every credential pattern would scan).
fn padded_policy(size: usize) -> Vec<u8> {
    let head = br#"{"Version":"2012-10-17","#;
    let tail = br#""Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let mut v = Vec::with_capacity(size);
    v.extend_from_slice(head);
    v.resize(size - tail.len(), b' ');
    v.extend_from_slice(tail);
    v
}

const FIFTY_MB: usize = 50 * 1024 * 1024;

#[test]
fn fifty_megabyte_policy_is_skipped_by_the_default_size_limit() {
    let dir = tree();
    write(dir.path(), "big.json", padded_policy(FIFTY_MB));
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "big.json", "larger than");
    no_findings_in(&report, "big.json");
}

#[test]
fn fifty_megabyte_policy_is_parsed_when_the_limit_allows() {
    let dir = tree();
    write(dir.path(), "big.json", padded_policy(FIFTY_MB));
    let report = scan_within(ScanOptions {
        max_file_size: 100_000_000,
        ..opts(&[dir.path()])
    });
    assert_policy_reported(&report);
    assert!(
        has_finding(&report, "big.json", "iam-admin-wildcard"),
        "{}",
        describe(&report)
    );
}

#[test]
fn sparse_1gb_file_is_skipped_by_size_before_being_read() {
    let dir = tree();
    let huge = dir.path().join("huge.json");
    fs::File::create(&huge).unwrap().set_len(1 << 30).unwrap();
    let started = Instant::now();
    // Found by walking, and named explicitly (as a pre-commit hook passes files).
    let walked = scan_dir(dir.path());
    let named = scan_within(opts(&[&huge, &dir.path().join("policy.json")]));
    let took = started.elapsed();
    for report in [&walked, &named] {
        assert_policy_reported(report);
        diagnostic(report, "huge.json", "larger than");
        assert!(report.counts.bytes_scanned < 1 << 20, "{:?}", report.counts);
    }
    assert!(took < Duration::from_secs(5), "took {took:?}: was it read?");
}

// ------------------------------------------------------------------------------ file system

#[cfg(unix)]
#[test]
fn symlink_loop_is_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    symlink("..", dir.path().join("loop")).unwrap();
    symlink(".", dir.path().join("here.tf")).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    symlink("../", dir.path().join("sub/up")).unwrap();
    symlink("self.json", dir.path().join("self.json")).unwrap();
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "self.json", "symlink");
    // The policy is reported once, from its real path only.
    let admin: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "iam-admin-wildcard")
        .collect();
    assert_eq!(admin.len(), 1, "{}", describe(&report));
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.location.path.contains("/loop/") && !f.location.path.contains("/up/")),
        "{}",
        describe(&report)
    );
}

#[cfg(unix)]
#[test]
fn symlink_to_a_file_outside_the_root_is_not_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret.json", ADMIN_POLICY);
    write(outside.path(), "nested/other.json", ADMIN_POLICY);
    let dir = tree();
    symlink(&secret, dir.path().join("outside.json")).unwrap();
    symlink(
        outside.path().join("nested"),
        dir.path().join("outside_dir"),
    )
    .unwrap();
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "outside.json", "outside");
    no_findings_in(&report, "outside.json");
    no_findings_in(&report, "secret.json");
    no_findings_in(&report, "other.json");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree_with_module();
    let locked = write(dir.path(), "locked.json", ADMIN_POLICY);
    let locked_tf = write(dir.path(), "locked.tf", ADMIN_TF);
    for p in [&locked, &locked_tf] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o000)).unwrap();
    }
    // Root (and CAP_DAC_OVERRIDE) reads anyway: then only "no crash" can be checked.
    let enforced = fs::read(&locked).is_err();
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    if enforced {
        diagnostic(&report, "locked.json", "cannot read");
        diagnostic(&report, "locked.tf", "cannot read");
    } else {
        eprintln!("note: running with permission to read mode-000 files; only checked no crash");
    }
    for p in [&locked, &locked_tf] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn fifo_named_like_a_policy_is_never_opened() {
    use std::os::unix::fs::symlink;
    let dir = tree_with_module();
    for name in ["x.json", "pipe.tf"] {
        match Command::new("mkfifo").arg(dir.path().join(name)).status() {
            Ok(s) if s.success() => {}
            other => {
                eprintln!("note: mkfifo unavailable ({other:?}); test skipped");
                return;
            }
        }
    }
    symlink("x.json", dir.path().join("link.json")).unwrap();
    // file() on the FIFO from Terraform must not open it either.
    write(
        dir.path(),
        "reads_fifo.tf",
        "locals {\n  p = file(\"x.json\")\n}\n\nresource \"aws_iam_policy\" \"f\" {\n  policy = local.p\n}\n",
    );
    let walked = scan_dir(dir.path());
    let x = dir.path().join("x.json");
    let named = scan_within(opts(&[&x, &dir.path().join("policy.json")]));
    for report in [&walked, &named] {
        assert_policy_reported(report);
        diagnostic(report, "x.json", "not a regular file");
    }
    assert_module_reported(&walked);
    diagnostic(&walked, "pipe.tf", "not a regular file");
}

// ------------------------------------------------------------------------------ line endings

fn crlf(s: &str) -> String {
    s.replace('\n', "\r\n")
}

#[test]
fn crlf_line_endings_report_the_same_lines_as_lf() {
    let lf = tree();
    let cr = tree();
    write(lf.path(), "main.tf", TWO_POLICIES_TF);
    write(cr.path(), "main.tf", crlf(TWO_POLICIES_TF));
    let a = scan_dir(lf.path());
    let b = scan_dir(cr.path());
    assert_policy_reported(&b);
    let want = positions(&a, "main.tf");
    assert_eq!(
        want.iter().filter(|p| p.0 == "iam-admin-wildcard").count(),
        2,
        "{}",
        describe(&a)
    );
    assert_eq!(positions(&b, "main.tf"), want, "{}", describe(&b));
}

#[test]
fn mixed_line_endings_report_the_same_lines_as_lf() {
    let lf = tree();
    let mixed = tree();
    write(lf.path(), "main.tf", TWO_POLICIES_TF);
    let text: String = TWO_POLICIES_TF
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| if i % 2 == 1 { crlf(l) } else { l.to_owned() })
        .collect();
    write(mixed.path(), "main.tf", text);
    let a = scan_dir(lf.path());
    let b = scan_dir(mixed.path());
    assert_policy_reported(&b);
    let want = positions(&a, "main.tf");
    assert!(!want.is_empty(), "{}", describe(&a));
    assert_eq!(positions(&b, "main.tf"), want, "{}", describe(&b));
}

// ------------------------------------------------------------------------------ broken HCL

#[test]
fn truncated_heredoc_is_a_parse_error() {
    let dir = tree_with_module();
    let truncated: String = TWO_POLICIES_TF
        .lines()
        .take(9)
        .map(|l| l.to_owned() + "\n")
        .collect();
    write(dir.path(), "heredoc.tf", &truncated);
    write(dir.path(), "heredoc_crlf.tf", crlf(&truncated));
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    let lf = diagnostic(&report, "heredoc.tf", "heredoc");
    let cr = diagnostic(&report, "heredoc_crlf.tf", "heredoc");
    assert!(lf.line.is_some(), "{}", describe(&report));
    assert_eq!(lf.line, cr.line, "{}", describe(&report));
}

#[test]
fn unterminated_string_is_a_parse_error() {
    let dir = tree_with_module();
    write(
        dir.path(),
        "string.tf",
        "resource \"aws_iam_user\" \"u\" {\n  name = \"never closed\n}\n\nlocals {\n  x = 1\n}\n",
    );
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert_module_reported(&report);
    let d = diagnostic(&report, "string.tf", "parse error");
    assert_eq!(d.line, Some(2), "{}", describe(&report));
}

// ------------------------------------------------------------------------------ determinism

#[test]
fn findings_are_identical_across_thread_counts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("note: {} missing; test skipped", corpus.display());
        return;
    }
    let run = |threads: &str| {
        let r = run_cli(
            root,
            &[
                "scan",
                "--format",
                "json",
                "--threads",
                threads,
                "../shared/corpus",
            ],
        );
        assert!(
            matches!(r.code, Some(0 | 1)),
            "exit {:?}: {}",
            r.code,
            r.stderr
        );
        r.stdout
    };
    let one = run("1");
    let two = run("2");
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert!(
        v["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "no findings on the corpus"
    );
    assert!(one == two, "--threads 1 and --threads 2 reports differ");
}

// ------------------------------------------------------------------------------ secrets

/// Fails if the output holds a key, or any 8 characters of it past its 4-character prefix.
fn assert_no_key(out: &str, what: &str) {
    for key in [ACCESS_KEY, SECRET_KEY] {
        let tail: Vec<char> = key.chars().skip(4).collect();
        for w in tail.windows(8) {
            let w: String = w.iter().collect();
            assert!(!out.contains(&w), "{what} leaks {w:?} of {key}:\n{out}");
        }
    }
}

#[test]
fn provider_keys_are_masked_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "provider.tf",
        format!(
            "provider \"aws\" {{\n  region     = \"eu-west-1\"\n  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{SECRET_KEY}\"\n}}\n"
        ),
    );
    for format in ["text", "json", "sarif"] {
        let r = run_cli(dir.path(), &["scan", "--format", format, "."]);
        assert_eq!(r.code, Some(1), "{format}: {}", r.stderr);
        let out = String::from_utf8_lossy(&r.stdout);
        assert!(
            out.contains("aws-provider-static-credentials"),
            "{format}:\n{out}"
        );
        assert_no_key(&out, format);
        assert_no_key(&r.stderr, format);
        if format != "sarif" {
            assert!(
                out.contains("AKIA*"),
                "{format} does not show the masked key:\n{out}"
            );
            assert!(
                out.contains("Zx9/*"),
                "{format} does not show the masked key:\n{out}"
            );
        }
    }
}

#[test]
fn parse_errors_on_lines_with_keys_do_not_print_them() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "hcl/provider.tf",
        format!(
            "provider \"aws\" {{\n  access_key = \"{ACCESS_KEY}\" secret_key = \"{SECRET_KEY}\" }}\n"
        ),
    );
    write(
        dir.path(),
        "bare/provider.tf",
        format!("provider \"aws\" {{\n  access_key = {ACCESS_KEY} {SECRET_KEY}\n}}\n"),
    );
    write(
        dir.path(),
        "policy.json",
        format!("{{\"Statement\": \"{ACCESS_KEY}\" \"{SECRET_KEY}\"}}\n"),
    );
    write(
        dir.path(),
        "tfjson/provider.tf.json",
        format!(
            "{{\"provider\": {{\"aws\": {{\"access_key\": \"{ACCESS_KEY}\", \"secret_key\": \"{SECRET_KEY}\" x}}}}}}\n"
        ),
    );
    for format in ["text", "json", "sarif"] {
        let r = run_cli(dir.path(), &["scan", "--format", format, "."]);
        assert!(matches!(r.code, Some(0 | 1)), "{format}: {}", r.stderr);
        let out = String::from_utf8_lossy(&r.stdout);
        for f in [
            "hcl/provider.tf",
            "bare/provider.tf",
            "policy.json",
            "tfjson/provider.tf.json",
        ] {
            assert!(
                out.contains(f) || r.stderr.contains(f),
                "{format}: no diagnostic for {f}:\n{out}\n{}",
                r.stderr
            );
        }
        assert_no_key(&out, format);
        assert_no_key(&r.stderr, format);
    }
}
