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
use std::sync::{Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

use nhiaudit::discover::{Discovery, Excludes, discover};
use nhiaudit::report::{Diagnostic, Report};
use nhiaudit::{ScanOptions, scan, scan_discovered};
use tempfile::TempDir;

/// Past this, a scan counts as hung.
const LIMIT: Duration = Duration::from_secs(20);

/// Tests that scan tens of megabytes take this first and so run one at a time: the time bound
/// is then each one's, not that of a pile-up on a small machine.
fn heavy() -> MutexGuard<'static, ()> {
    static HEAVY: Mutex<()> = Mutex::new(());
    HEAVY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

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
/// `ghp_` and 36 characters, as GitHub issues them.
const GITHUB_TOKEN: &str = "ghp_R7kXw2Lq9ZtB4nVm8YsJ3dHc6PfA1uGeT5oQ";
/// The start of a PEM private key's body (what follows its header line).
const PEM_BODY: &str = "MIIEowIBAAKCAQEAxQ7vR9sLk2mWc4TzJ8bN1pYhD6eGfU3aK0iXoVt5qSl";

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
    bounded(move || scan(&opts))
}

/// [`scan_within`] on files discovered earlier (the tree may have changed since).
fn scan_discovered_within(discovery: Discovery, opts: ScanOptions) -> Report {
    bounded(move || scan_discovered(discovery, &opts))
}

fn bounded(scan: impl FnOnce() -> Result<Report, nhiaudit::ScanError> + Send + 'static) -> Report {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("bounded-scan".into())
        .spawn(move || {
            let _ = tx.send(scan());
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
    run_cmd(
        Command::new(env!("CARGO_BIN_EXE_nhiaudit")),
        cwd,
        args,
        LIMIT,
        |_| {},
    )
}

/// [`run_cli`], also returning the binary's peak resident set size in KiB: measured by
/// `/usr/bin/time -f %M` when it exists, else by polling the child's `VmHWM`.
fn run_cli_peak_rss(cwd: &Path, args: &[&str], limit: Duration) -> (Run, u64) {
    let bin = env!("CARGO_BIN_EXE_nhiaudit");
    let time = Path::new("/usr/bin/time");
    let probe = time.is_file()
        && Command::new(time)
            .args(["-f", "%M", "true"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if probe {
        let out = tempfile::tempdir().unwrap();
        let report = out.path().join("rss");
        let mut cmd = Command::new(time);
        cmd.arg("-f").arg("%M").arg("-o").arg(&report).arg(bin);
        let run = run_cmd(cmd, cwd, args, limit, |_| {});
        let kb = fs::read_to_string(&report).unwrap();
        // the last line: earlier ones may say the command exited non-zero
        let kb = kb.lines().last().unwrap().trim().parse().unwrap();
        return (run, kb);
    }
    let mut peak = 0u64;
    let run = run_cmd(Command::new(bin), cwd, args, limit, |pid| {
        let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        peak = peak.max(hwm.unwrap_or(0));
    });
    (run, peak)
}

/// Run `cmd args` in `cwd`, calling `poll` with its pid while it runs; killed past `limit`.
fn run_cmd(
    mut cmd: Command,
    cwd: &Path,
    args: &[&str],
    limit: Duration,
    mut poll: impl FnMut(u32),
) -> Run {
    let out = tempfile::tempdir().unwrap();
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let mut child = cmd
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    let status = loop {
        poll(child.id());
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nhiaudit {args:?} did not finish within {limit:?}");
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
    let _one_at_a_time = heavy();
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
    let _one_at_a_time = heavy();
    let dir = tree();
    write(dir.path(), "big.json", padded_policy(FIFTY_MB));
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "big.json", "larger than");
    no_findings_in(&report, "big.json");
}

#[test]
fn fifty_megabyte_policy_is_parsed_when_the_limit_allows() {
    let _one_at_a_time = heavy();
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
    let _one_at_a_time = heavy();
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
    for key in [ACCESS_KEY, SECRET_KEY, GITHUB_TOKEN, PEM_BODY] {
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

/// Parse errors on YAML lines that hold secrets (an AWS key pair, a GitHub token, a PEM
/// private key) name the file without printing the secret, in Kubernetes manifests and
/// GitHub / GitLab pipelines alike.
#[test]
fn yaml_and_workflow_parse_errors_on_lines_with_secrets_do_not_print_them() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "k8s/keys.yaml",
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: keys\nstringData:\n  aws: \"{ACCESS_KEY}\" {SECRET_KEY}\n"
            ),
        ),
        (
            "k8s/pem.yaml",
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pem\nstringData:\n  key: \"-----BEGIN RSA PRIVATE KEY-----\\n{PEM_BODY}\" ]\n"
            ),
        ),
        (
            "k8s/pem_block.yaml",
            format!(
                "apiVersion: v1\nkind: Secret\nstringData:\n  key: -----BEGIN RSA PRIVATE KEY-----\n  {PEM_BODY}: [\n"
            ),
        ),
        (
            ".github/workflows/ci.yml",
            format!(
                "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      TOKEN: '{GITHUB_TOKEN}' {ACCESS_KEY}\n    steps:\n      - run: make\n"
            ),
        ),
        (
            ".github/workflows/flow.yml",
            format!(
                "on: push\njobs: {{build: {{runs-on: ubuntu-latest, env: {{TOKEN: {GITHUB_TOKEN}, KEY: {SECRET_KEY}}}\n"
            ),
        ),
        (
            ".gitlab-ci.yml",
            format!(
                "variables:\n  TOKEN: \"{GITHUB_TOKEN}\" \"{SECRET_KEY}\"\ndeploy:\n  script: [make]\n"
            ),
        ),
    ];
    for (name, text) in &files {
        write(dir.path(), name, text);
    }
    for format in ["text", "json", "sarif"] {
        let r = run_cli(dir.path(), &["scan", "--format", format, "."]);
        assert!(matches!(r.code, Some(0 | 1)), "{format}: {}", r.stderr);
        let out = String::from_utf8_lossy(&r.stdout);
        for (name, _) in &files {
            assert!(
                out.contains(name) || r.stderr.contains(name),
                "{format}: no diagnostic for {name}:\n{out}\n{}",
                r.stderr
            );
        }
        assert_no_key(&out, format);
        assert_no_key(&r.stderr, format);
    }
}

// ------------------------------------------------------------------------------ merge keys

/// Level i merges every earlier level (`<<: [*l0, ..., *l(i-1)]`) and adds `keys` keys of its
/// own: merged maps grow linearly, alias copies quadratically, and a merge that checks each
/// key against every key merged before it, cubically.
fn yaml_merge_bomb(levels: usize, keys: usize) -> String {
    let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merges\n");
    for i in 0..levels {
        s.push_str(&format!("l{i}: &l{i}\n"));
        if i > 0 {
            let refs: Vec<String> = (0..i).map(|j| format!("*l{j}")).collect();
            s.push_str(&format!("  <<: [{}]\n", refs.join(", ")));
        }
        for k in 0..keys {
            s.push_str(&format!("  k{i}_{k}: v\n"));
        }
    }
    s
}

#[test]
fn yaml_merge_key_blowup_is_bounded() {
    let _one_at_a_time = heavy();
    let dir = tree();
    // Within the node budget (about 900,000 nodes): parsed, so merging itself must be fast.
    write(dir.path(), "merges.yaml", yaml_merge_bomb(30, 100));
    // Past it: stopped by the budget.
    write(dir.path(), "merge_bomb.yaml", yaml_merge_bomb(80, 100));
    // One wide map merged once, with an explicit key overriding one merged key.
    let mut wide = String::from("apiVersion: v1\nkind: ConfigMap\nbase: &base\n");
    for k in 0..300_000 {
        wide.push_str(&format!("  k{k}: v\n"));
    }
    wide.push_str("copy:\n  k7: explicit\n  <<: *base\n");
    write(dir.path(), "merge_wide.yaml", wide);
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    diagnostic(&report, "merge_bomb.yaml", "budget");
    for f in ["merges.yaml", "merge_wide.yaml"] {
        assert!(
            !report.diagnostics.iter().any(|d| file_name(&d.path) == f),
            "{}",
            describe(&report)
        );
    }
}

// ------------------------------------------------------------------------------ width and length

#[test]
fn million_element_flow_sequences_are_analysed_in_bounded_time() {
    let _one_at_a_time = heavy();
    let dir = tree();
    // A Role whose verbs list a million entries, the last one a wildcard.
    let verbs = format!("{}\"*\"", "get, ".repeat(1_000_000));
    write(
        dir.path(),
        "wide_role.yaml",
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: wide\n  namespace: default\nrules:\n  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: [{verbs}]\n"
        ),
    );
    // A policy whose Action lists a million actions, the last one `*`.
    let actions = format!("{}\"*\"", "\"s3:GetObject\",".repeat(1_000_000));
    write(
        dir.path(),
        "wide_policy.json",
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{actions}],"Resource":"*"}}]}}"#
        ),
    );
    let report = scan_within(ScanOptions {
        max_file_size: 100_000_000,
        ..opts(&[dir.path()])
    });
    assert_policy_reported(&report);
    assert!(
        has_finding(&report, "wide_role.yaml", "k8s-rbac-wildcard"),
        "{}",
        describe(&report)
    );
    assert!(
        has_finding(&report, "wide_policy.json", "iam-admin-wildcard"),
        "{}",
        describe(&report)
    );
    assert!(report.diagnostics.is_empty(), "{}", describe(&report));
}

/// Terraform whose bodies and objects hold hundreds of thousands of names: keys must be
/// checked for repeats without comparing every pair (the last entries carry the findings).
#[test]
fn terraform_with_huge_bodies_and_objects_is_analysed_in_bounded_time() {
    let _one_at_a_time = heavy();
    let dir = tree();
    let n = 200_000;
    let mut tf = String::from("locals {\n");
    for i in 0..n {
        tf.push_str(&format!("  l{i} = {i}\n"));
    }
    tf.push_str("}\n\nresource \"aws_iam_policy\" \"wide\" {\n  name = \"wide\"\n  tags = {\n");
    for i in 0..n {
        tf.push_str(&format!("    \"k{i}\" = \"v\"\n"));
    }
    tf.push_str("  }\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }]\n  })\n}\n");
    write(dir.path(), "wide.tf", tf);
    let report = scan_within(ScanOptions {
        max_file_size: 100_000_000,
        ..opts(&[dir.path()])
    });
    assert!(
        has_finding(&report, "wide.tf", "iam-admin-wildcard"),
        "{}",
        describe(&report)
    );
    assert!(report.diagnostics.is_empty(), "{}", describe(&report));
}

/// A valid policy on a single line of about `size` bytes: many ordinary statements, some
/// with findings of their own, and an administrator statement at the very end.
fn one_line_policy(size: usize) -> String {
    let tail = r#"{"Sid":"Admin","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let mut s = String::from(r#"{"Version":"2012-10-17","Statement":["#);
    let mut i = 0;
    while s.len() + 300 + tail.len() < size {
        if i % 1000 == 999 {
            s.push_str(&format!(
                r#"{{"Sid":"Pass{i}","Effect":"Allow","Action":"iam:PassRole","Resource":"*"}},"#
            ));
        } else {
            s.push_str(&format!(
                r#"{{"Sid":"Read{i}","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-{i}","arn:aws:s3:::bucket-{i}/*"]}},"#
            ));
        }
        i += 1;
    }
    s.push_str(tail);
    s
}

#[test]
fn ten_megabyte_single_line_policy_is_parsed_in_bounded_time() {
    let _one_at_a_time = heavy();
    let dir = tree();
    let policy = one_line_policy(10_000_000);
    assert!(!policy.contains('\n') && policy.len() <= 10_000_000);
    serde_json::from_str::<serde_json::Value>(&policy).unwrap();
    write(dir.path(), "one_line.json", &policy);
    let started = Instant::now();
    let report = scan_dir(dir.path());
    let took = started.elapsed();
    assert_policy_reported(&report);
    let admin: Vec<_> = report
        .findings
        .iter()
        .filter(|f| {
            file_name(&f.location.path) == "one_line.json" && f.rule == "iam-admin-wildcard"
        })
        .collect();
    assert_eq!(admin.len(), 1, "{}", describe(&report));
    // columns count characters from the start of the (only) line
    let col = policy.rfind(r#""Action":"*""#).unwrap() + r#""Action":"#.len() + 1;
    assert_eq!(admin[0].location.start.line, 1);
    assert_eq!(admin[0].location.start.col as usize, col);
    // snippets of a huge line are cut, never copied whole into every finding
    for f in &report.findings {
        for s in &f.location.snippet {
            assert!(
                s.text.chars().count() < 1000,
                "{} snippet of {} chars",
                f.rule,
                s.text.len()
            );
        }
    }
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| file_name(&d.path) == "one_line.json"),
        "{}",
        describe(&report)
    );
    eprintln!("10 MB single-line policy scanned in {took:?}");
}

// ------------------------------------------------------------------------------ races

/// Discover `dir` as `scan` would, then let `change` alter the tree before reading.
fn discover_then(dir: &Path, change: impl FnOnce()) -> Report {
    let o = opts(&[dir]);
    let discovery = discover(&o.paths, o.max_file_size, &Excludes::default());
    change();
    scan_discovered_within(discovery, o)
}

fn gone_tf() -> String {
    ADMIN_TF.replace("\"admin\"", "\"gone\"")
}

#[test]
fn file_deleted_between_discovery_and_reading_is_a_diagnostic() {
    let dir = tree_with_module();
    let json = write(dir.path(), "gone.json", ADMIN_POLICY);
    let tf = write(dir.path(), "gone.tf", gone_tf());
    let yaml = write(
        dir.path(),
        "gone.yaml",
        "apiVersion: v1\nkind: ServiceAccount\n",
    );
    let report = discover_then(dir.path(), || {
        for p in [&json, &tf, &yaml] {
            fs::remove_file(p).unwrap();
        }
    });
    assert_policy_reported(&report);
    assert_module_reported(&report);
    for f in ["gone.json", "gone.tf", "gone.yaml"] {
        diagnostic(&report, f, "cannot read");
        no_findings_in(&report, f);
    }
}

#[cfg(unix)]
#[test]
fn file_made_unreadable_between_discovery_and_reading_is_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree_with_module();
    let json = write(dir.path(), "locked.json", ADMIN_POLICY);
    let tf = write(dir.path(), "locked.tf", gone_tf());
    let lock = |mode| {
        for p in [&json, &tf] {
            fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    let report = discover_then(dir.path(), || lock(0o000));
    // Root (and CAP_DAC_OVERRIDE) reads anyway: then only "no crash" can be checked.
    let enforced = fs::read(&json).is_err();
    assert_policy_reported(&report);
    assert_module_reported(&report);
    if enforced {
        diagnostic(&report, "locked.json", "cannot read");
        diagnostic(&report, "locked.tf", "cannot read");
    } else {
        eprintln!("note: running with permission to read mode-000 files; only checked no crash");
    }
    lock(0o644);
}

// ------------------------------------------------------------------------------ many files, long names

#[test]
fn hundred_thousand_empty_files_are_counted_quietly() {
    let _one_at_a_time = heavy();
    let dir = tree();
    let exts = ["json", "yaml", "tf", "txt"];
    for d in 0..100 {
        let sub = dir.path().join(format!("d{d}"));
        fs::create_dir(&sub).unwrap();
        for i in 0..1000 {
            fs::File::create(sub.join(format!("f{i}.{}", exts[i % exts.len()]))).unwrap();
        }
    }
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    assert!(report.diagnostics.is_empty(), "{}", describe(&report));
    let c = &report.counts;
    assert_eq!(c.files_failed, 0, "{c:?}");
    assert_eq!(c.files_scanned + c.files_skipped, 100_001, "{c:?}");
}

#[cfg(unix)]
#[test]
fn path_longer_than_path_max_is_scanned_or_reported_cleanly() {
    let dir = tree();
    let name = "d".repeat(200);
    // One level at a time, relative to the last: the OS refuses whole paths this long.
    let made = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "for i in $(seq 25); do mkdir {name} && cd -P {name} || exit 1; done; printf '%s' \"$1\" > deep.json"
        ))
        .arg("sh")
        .arg(ADMIN_POLICY)
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(made.success(), "could not build the deep tree");
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    if !has_finding(&report, "deep.json", "iam-admin-wildcard") {
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.path.contains(&name) && !d.message.is_empty()),
            "the deep file is neither reported nor named in a diagnostic\n{}",
            describe(&report)
        );
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_reported_with_lossy_paths() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tree();
    // Two names that read the same once made lossy: both files are still analysed (their
    // policies differ in layout, so that their findings differ too).
    let second = format!("\n{ADMIN_POLICY}");
    for (raw, text) in [
        (&b"bad-\xff.json"[..], ADMIN_POLICY),
        (b"bad-\xfe.json", &second),
    ] {
        fs::write(dir.path().join(OsStr::from_bytes(raw)), text).unwrap();
    }
    let sub = dir.path().join(OsStr::from_bytes(b"mod-\xc3\x28"));
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join(OsStr::from_bytes(b"main-\x80.tf")), ADMIN_TF).unwrap();
    let report = scan_dir(dir.path());
    assert_policy_reported(&report);
    let lossy = |path: &str| {
        report
            .findings
            .iter()
            .filter(|f| f.location.path.contains(path) && f.rule == "iam-admin-wildcard")
            .count()
    };
    assert_eq!(lossy("bad-\u{FFFD}.json"), 2, "{}", describe(&report));
    assert_eq!(
        lossy("mod-\u{FFFD}(/main-\u{FFFD}.tf"),
        1,
        "{}",
        describe(&report)
    );
    for format in ["sarif", "json"] {
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join(format!("out.{format}"));
        let r = run_cli(
            dir.path(),
            &[
                "scan",
                "--format",
                format,
                "-o",
                file.to_str().unwrap(),
                ".",
            ],
        );
        assert_eq!(r.code, Some(1), "{format}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap())
            .unwrap_or_else(|e| panic!("{format} is not valid JSON: {e}"));
        assert!(v.to_string().contains("bad-"), "{format}: {v}");
        let validator =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/validate-sarif");
        if format == "sarif" && validator.is_file() {
            let ok = Command::new(&validator).arg(&file).status().unwrap();
            assert!(ok.success(), "SARIF with lossy paths does not validate");
        }
    }
}

// ------------------------------------------------------------------------------ memory

/// About 50 KB of Kubernetes manifests as an application ships them: per service a
/// ServiceAccount, a Deployment, its ConfigMap and a RoleBinding; then a read-only Role, an
/// unbound wildcard Role and a Pod with a key in its environment (three findings per file).
fn fifty_kb_manifest(n: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 50_000 {
        s.push_str(&format!(
            r#"---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-{n}-{i}
  namespace: apps
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{n}-{i}
  namespace: apps
  labels: {{app: app-{i}, tier: backend}}
  annotations:
    description: "service {i} of the example application, deployed by the platform team"
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i}}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      serviceAccountName: sa-{n}-{i}
      securityContext: {{runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001}}
      containers:
        - name: app
          image: registry.example.com/team/app-{i}:1.4.{i}
          args: ["--port=8080", "--log-format=json", "--config=/etc/app/config.yaml"]
          ports: [{{containerPort: 8080, name: http}}, {{containerPort: 9090, name: metrics}}]
          env:
            - {{name: LOG_LEVEL, value: info}}
            - {{name: REGION, value: eu-west-1}}
          readinessProbe:
            httpGet: {{path: /ready, port: http}}
            periodSeconds: 10
          livenessProbe:
            httpGet: {{path: /healthz, port: http}}
            initialDelaySeconds: 15
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          volumeMounts:
            - {{name: config, mountPath: /etc/app}}
      volumes:
        - name: config
          configMap: {{name: app-{i}-config}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{n}-{i}-config
  namespace: apps
data:
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
    upstreams:
      - https://api.example.com/v1
      - https://auth.example.com
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb-{n}-{i}
  namespace: apps
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}}
subjects: [{{kind: ServiceAccount, name: sa-{n}-{i}, namespace: apps}}]
"#
        ));
        i += 1;
    }
    s.push_str(&format!(
        r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: apps
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: admin-{n}
  namespace: apps
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: v1
kind: Pod
metadata:
  name: leaky-{n}
  namespace: apps
spec:
  containers:
    - name: c
      image: busybox
      env:
        - {{name: AWS_SECRET_ACCESS_KEY, value: "{SECRET_KEY}"}}
"#
    ));
    s
}

/// Peak RSS allowed for 100 MB of manifests. Measured: about 380 MiB, in debug and release
/// builds alike. Every Kubernetes and pipeline file's text and facts are kept until the
/// cross-file rules have run (about 1x the input for the text, 2x for the facts); a scan that
/// also kept parse trees or copied text into each finding would be far past this.
const PEAK_RSS_MIB: u64 = 512;

#[cfg(target_os = "linux")]
#[test]
fn peak_memory_stays_bounded_on_two_thousand_manifests() {
    let _one_at_a_time = heavy();
    let dir = tree();
    for n in 0..2000 {
        write(
            dir.path(),
            &format!("m{}/manifest-{n}.yaml", n / 100),
            fifty_kb_manifest(n),
        );
    }
    // This run measures memory, not time: an unoptimised build parses YAML at a few MB/s,
    // so the 100 MB get longer than the hang bound of the other tests.
    let (r, kb) = run_cli_peak_rss(
        dir.path(),
        &["scan", "--format", "json", "-o", "/dev/null", "."],
        LIMIT * 6,
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    eprintln!(
        "peak RSS scanning 2,000 x 50 KB manifests: {} MiB",
        kb / 1024
    );
    assert!(kb > 0, "no peak RSS measured");
    assert!(
        kb < PEAK_RSS_MIB * 1024,
        "peak RSS {} MiB on 100 MB of manifests",
        kb / 1024
    );
}
