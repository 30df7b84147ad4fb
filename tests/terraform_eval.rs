#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of the Terraform evaluator: `count` / `for_each` instances (one finding per
//! instance, addressed and fingerprinted apart), local module calls evaluated with their
//! inputs (findings in the module's file, the call as a related location, cycles, depth and
//! fan-out bounded, nothing outside the scanned tree read), and `terraform show -json` plans.

use std::fs;
use std::path::{Path, PathBuf};

use nhiaudit::finding::Finding;
use nhiaudit::report::Report;
use nhiaudit::{ScanOptions, scan};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn scan_path(p: &Path, threads: usize) -> Report {
    // Paths relative to the crate root, as users pass them.
    std::env::set_current_dir(root()).unwrap();
    scan(&ScanOptions {
        paths: vec![p.to_path_buf()],
        threads: Some(threads),
        ..Default::default()
    })
    .unwrap()
}

fn scan_rel(rel: &str) -> Report {
    scan_path(Path::new(rel), 2)
}

/// `rule address path:line` of every finding, paths relative to `dir`.
fn summary(r: &Report, dir: &str) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f.rule,
                f.address,
                rel(&f.location.path, dir),
                f.location.start.line
            )
        })
        .collect()
}

fn rel<'a>(path: &'a str, dir: &str) -> &'a str {
    path.split_once(dir)
        .map(|(_, r)| r.trim_start_matches('/'))
        .unwrap_or(path)
}

/// `path:line message` of every related location.
fn related(f: &Finding, dir: &str) -> Vec<String> {
    f.related
        .iter()
        .map(|r| {
            format!(
                "{}:{} {}",
                rel(&r.location.path, dir),
                r.location.start.line,
                r.message
            )
        })
        .collect()
}

fn notes(r: &Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.path, d.line.unwrap_or(0), d.message))
        .collect()
}

#[test]
fn module_call_inputs_make_the_module_risky_and_findings_point_into_the_module() {
    let dir = "testdata/terraform-eval/modules-call";
    let r = scan_rel(dir);
    assert_eq!(
        summary(&r, dir),
        vec![
            "trust-github-oidc-weak-sub module.deployer.data.aws_iam_policy_document.trust modules/ci-role/main.tf:16",
            "iam-admin-wildcard module.deployer.aws_iam_role_policy.this modules/ci-role/main.tf:33",
        ],
        "{:#?}",
        r.findings
    );
    let admin = &r.findings[1];
    assert_eq!(admin.location.start.col, 18, "points at `var.actions`");
    assert_eq!(
        related(admin, dir),
        vec![
            "modules/ci-role/main.tf:34 on every resource",
            "live/main.tf:3 evaluated with the inputs of `module.deployer`",
            "live/main.tf:6 `actions` given by `module.deployer`",
        ]
    );
    let trust = &r.findings[0];
    assert!(
        related(trust, dir)
            .contains(&"live/main.tf:8 `github_subject` given by `module.deployer`".to_owned()),
        "{:#?}",
        related(trust, dir)
    );
    // The safe call (`module.reader`) and the registry module (never fetched) say nothing.
    assert!(r.findings.iter().all(|f| !f.address.contains("reader")));
    assert!(r.diagnostics.is_empty(), "{:#?}", notes(&r));
}

#[test]
fn a_module_scanned_alone_is_evaluated_with_its_defaults() {
    let dir = "testdata/terraform-eval/modules-call/modules/ci-role";
    let r = scan_rel(dir);
    assert!(r.findings.is_empty(), "{:#?}", summary(&r, dir));
}

#[test]
fn module_findings_identical_to_a_call_are_reported_once_with_the_call() {
    let t = tempfile::tempdir().unwrap();
    let m = t.path().join("modules/role");
    fs::create_dir_all(&m).unwrap();
    fs::create_dir_all(t.path().join("live")).unwrap();
    // Risky with its defaults, and called with the same values twice.
    fs::write(
        m.join("main.tf"),
        r#"variable "actions" {
  default = ["*"]
}

resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
"#,
    )
    .unwrap();
    fs::write(
        t.path().join("live/main.tf"),
        r#"module "a" {
  source = "../modules/role"
}

module "b" {
  source  = "../modules/role"
  actions = ["*"]
}
"#,
    )
    .unwrap();
    let r = scan_path(t.path(), 2);
    let admin: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == "iam-admin-wildcard")
        .collect();
    // `module.a` uses the default (pointing at it), `module.b` its input (pointing at the
    // use); the module's own evaluation repeats `module.a` and is folded into it.
    let got: Vec<(String, u32)> = admin
        .iter()
        .map(|f| (f.address.clone(), f.location.start.line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("module.a.aws_iam_policy.p".to_owned(), 2),
            ("module.b.aws_iam_policy.p".to_owned(), 8),
        ],
        "{:#?}",
        r.findings
    );
}

#[test]
fn for_each_and_count_give_one_finding_per_instance() {
    let dir = "testdata/terraform-eval/for-each";
    let r = scan_rel(dir);
    assert_eq!(
        summary(&r, dir),
        vec![
            "iam-privilege-escalation-combo aws_iam_policy.team[\"operators\"] main.tf:4",
            "iam-service-wildcard-action aws_iam_policy.team[\"operators\"] main.tf:4",
            "iam-admin-wildcard aws_iam_policy.team[\"breakglass\"] main.tf:5",
            "aws-iam-access-key aws_iam_access_key.bot[\"backup-bot\"] main.tf:23",
            "aws-iam-access-key aws_iam_access_key.bot[\"ticket-bot\"] main.tf:23",
            "aws-iam-access-key aws_iam_access_key.legacy[0] main.tf:33",
            "aws-iam-access-key aws_iam_access_key.legacy[1] main.tf:33",
            // `for_each` over a variable without default: read once, as before.
            "iam-admin-wildcard aws_iam_policy.extra main.tf:47",
        ],
        "{:#?}",
        r.findings
    );
    // Each key reaches its own user, by instance address.
    let keys: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == "aws-iam-access-key")
        .collect();
    assert_eq!(
        related(keys[0], dir),
        vec!["main.tf:18 user aws_iam_user.bot[\"backup-bot\"]"]
    );
    assert!(keys[2].message.contains("legacy-0"), "{}", keys[2].message);
    // Instances on one line are told apart by their fingerprints.
    let mut fps: Vec<&str> = r.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    fps.sort_unstable();
    fps.dedup();
    assert_eq!(fps.len(), r.findings.len());
    assert!(r.findings.iter().all(|f| !f.fingerprint.contains(':')));
}

#[test]
fn instance_fingerprints_survive_edits_elsewhere_in_the_file() {
    let t = tempfile::tempdir().unwrap();
    let src = fs::read_to_string(root().join("testdata/terraform-eval/for-each/main.tf")).unwrap();
    fs::write(t.path().join("main.tf"), &src).unwrap();
    let before = scan_path(t.path(), 2);
    fs::write(
        t.path().join("main.tf"),
        format!("# reviewed 2025-05-02\n\n{src}"),
    )
    .unwrap();
    let after = scan_path(t.path(), 2);
    let fp = |r: &Report| -> Vec<(String, String)> {
        r.findings
            .iter()
            .map(|f| (f.address.clone(), f.fingerprint.clone()))
            .collect()
    };
    assert_eq!(fp(&before), fp(&after));
    assert!(
        after
            .findings
            .iter()
            .zip(&before.findings)
            .all(|(a, b)| a.location.start.line == b.location.start.line + 2)
    );
}

#[test]
fn plan_json_resources_are_read_with_their_addresses_and_lines() {
    let dir = "testdata/terraform-eval/plan";
    let r = scan_rel(dir);
    assert_eq!(
        summary(&r, dir),
        vec![
            "trust-github-oidc-weak-sub aws_iam_role.ci plan.json:20",
            "iam-admin-wildcard aws_iam_role_policy.ci_admin plan.json:52",
            "aws-iam-access-key aws_iam_access_key.bot plan.json:76",
            "iam-privilege-escalation-combo module.teams.aws_iam_policy.team[\"platform\"] plan.json:148",
            "iam-service-wildcard-action module.teams.aws_iam_policy.team[\"platform\"] plan.json:148",
        ],
        "{:#?}",
        r.findings
    );
    // The access key reaches its user by name, as the plan resolved it.
    let key = &r.findings[2];
    assert!(key.message.contains("ticket-bot"), "{}", key.message);
    assert_eq!(
        related(key, dir),
        vec!["plan.json:58 user aws_iam_user.bot"]
    );
    assert!(r.diagnostics.is_empty(), "{:#?}", notes(&r));
}

#[test]
fn module_cycles_stop_with_a_note() {
    let dir = "testdata/terraform-eval/cycles";
    let r = scan_rel(dir);
    assert_eq!(
        summary(&r, dir),
        vec![
            "iam-privilege-escalation-combo module.b.aws_iam_policy.p b/main.tf:6",
            "iam-service-wildcard-action module.b.aws_iam_policy.p b/main.tf:6",
            "iam-admin-wildcard aws_iam_policy.p self/main.tf:6",
        ],
        "{:#?}",
        r.findings
    );
    let n = notes(&r);
    assert_eq!(n.len(), 3, "{n:#?}");
    assert!(n.iter().all(|d| d.contains("(a cycle)")), "{n:#?}");
}

#[test]
fn module_chains_deeper_than_the_cap_stop_with_a_note() {
    let t = tempfile::tempdir().unwrap();
    // m0 calls m0/m1 calls ... m11; the last one holds the policy.
    let mut d = t.path().join("m0");
    for i in 0..12 {
        fs::create_dir_all(&d).unwrap();
        let body = if i == 11 {
            r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
"#
            .to_owned()
        } else {
            format!("module \"next\" {{\n  source = \"./m{}\"\n}}\n", i + 1)
        };
        fs::write(d.join("main.tf"), body).unwrap();
        d = d.join(format!("m{}", i + 1));
    }
    // Every directory is a configuration of its own: from m3 down the policy is at most 8
    // calls away and reached, from m0..m2 it is not.
    let r = scan_path(&t.path().join("m0"), 2);
    let depths: Vec<usize> = r
        .findings
        .iter()
        .map(|f| f.address.matches("module.next.").count())
        .collect();
    assert_eq!(
        depths,
        vec![1, 2, 3, 4, 5, 6, 7, 8],
        "{:#?}",
        summary(&r, "")
    );
    let n = notes(&r);
    assert_eq!(
        n.iter()
            .filter(|d| d.contains("nested deeper than 8"))
            .count(),
        3,
        "{n:#?}"
    );
    let deepest = r.findings.last().unwrap();
    assert_eq!(
        deepest.related.len(),
        1 + 8,
        "the policy's other half, and every call: {:#?}",
        deepest.related
    );
}

#[test]
fn module_fan_out_is_capped() {
    let t = tempfile::tempdir().unwrap();
    let m = t.path().join("modules/p");
    fs::create_dir_all(&m).unwrap();
    fs::write(
        m.join("main.tf"),
        r#"variable "n" {}

resource "aws_iam_policy" "p" {
  name   = "p-${var.n}"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
"#,
    )
    .unwrap();
    let keys: Vec<String> = (0..200).map(|i| format!("\"k{i:03}\"")).collect();
    fs::write(
        t.path().join("main.tf"),
        format!(
            "module \"many\" {{\n  source   = \"./modules/p\"\n  for_each = toset([{}])\n  n        = each.key\n}}\n",
            keys.join(", ")
        ),
    )
    .unwrap();
    let r = scan_path(t.path(), 2);
    let calls = r
        .findings
        .iter()
        .filter(|f| f.address.starts_with("module.many["))
        .count();
    assert_eq!(calls, 64, "{:#?}", summary(&r, ""));
    assert!(
        notes(&r)
            .iter()
            .any(|d| d.contains("more than 64 module calls")),
        "{:#?}",
        notes(&r)
    );
}

#[test]
fn module_sources_outside_the_scanned_tree_are_not_read() {
    let t = tempfile::tempdir().unwrap();
    let outside = t.path().join("outside");
    let live = t.path().join("live");
    fs::create_dir_all(&outside).unwrap();
    fs::create_dir_all(&live).unwrap();
    fs::write(
        outside.join("main.tf"),
        r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
"#,
    )
    .unwrap();
    fs::write(
        live.join("main.tf"),
        "module \"x\" {\n  source = \"../outside\"\n}\n",
    )
    .unwrap();
    // Scanning `live` alone: `../outside` is beyond the root.
    let r = scan_path(&live, 2);
    assert!(r.findings.is_empty(), "{:#?}", summary(&r, ""));
    assert!(
        notes(&r)
            .iter()
            .any(|d| d.contains("outside the scanned tree")),
        "{:#?}",
        notes(&r)
    );
    // A module file that is a symlink out of the tree is not read either.
    #[cfg(unix)]
    {
        let m = live.join("modules/linked");
        fs::create_dir_all(&m).unwrap();
        std::os::unix::fs::symlink(outside.join("main.tf"), m.join("main.tf")).unwrap();
        fs::write(
            live.join("main.tf"),
            "module \"x\" {\n  source = \"./modules/linked\"\n}\n",
        )
        .unwrap();
        let r = scan_path(&live, 2);
        assert!(r.findings.is_empty(), "{:#?}", summary(&r, ""));
    }
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let dirs = [
        "testdata/terraform-eval",
        "testdata/rules/iam-admin-wildcard",
    ];
    for d in dirs {
        let one = scan_path(Path::new(d), 1);
        let many = scan_path(Path::new(d), 8);
        assert_eq!(one.findings, many.findings, "{d}");
        assert_eq!(one.diagnostics, many.diagnostics, "{d}");
    }
}

#[test]
fn hostile_repetition_is_bounded() {
    let t = tempfile::tempdir().unwrap();
    // A huge count, a for_each over a huge literal, nested `for` expressions.
    let big: Vec<String> = (0..5000).map(|i| format!("\"u{i}\"")).collect();
    fs::write(
        t.path().join("main.tf"),
        format!(
            r#"locals {{
  names = [{}]
  pairs = flatten([for a in local.names : [for b in local.names : "${{a}}-${{b}}"]])
}}

resource "aws_iam_user" "many" {{
  count = 100000000
  name  = "u${{count.index}}"
}}

resource "aws_iam_user" "each" {{
  for_each = toset(local.names)
  name     = each.key
}}

resource "aws_iam_user" "pairs" {{
  for_each = toset(local.pairs)
  name     = each.key
}}
"#,
            big.join(", ")
        ),
    )
    .unwrap();
    let start = std::time::Instant::now();
    let r = scan_path(t.path(), 2);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    let n = notes(&r);
    assert!(n.iter().any(|d| d.contains("`count` is larger")), "{n:#?}");
    assert!(
        n.iter().any(|d| d.contains("`for_each` has more")),
        "{n:#?}"
    );
}

#[test]
fn state_json_is_read_like_a_plan() {
    let t = tempfile::tempdir().unwrap();
    let plan: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("testdata/terraform-eval/plan/plan.json")).unwrap(),
    )
    .unwrap();
    // `terraform show -json` without a plan: the current state under `values`.
    let state = serde_json::json!({
        "format_version": "1.0",
        "terraform_version": "1.9.5",
        "values": { "root_module": plan["planned_values"]["root_module"].clone() }
    });
    fs::write(
        t.path().join("state.json"),
        serde_json::to_string_pretty(&state).unwrap(),
    )
    .unwrap();
    let r = scan_path(t.path(), 2);
    // serde_json orders keys: the child module comes first in this file.
    let mut got: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.rule, f.address.as_str()))
        .collect();
    got.sort_unstable();
    let mut want = vec![
        ("trust-github-oidc-weak-sub", "aws_iam_role.ci"),
        ("iam-admin-wildcard", "aws_iam_role_policy.ci_admin"),
        ("aws-iam-access-key", "aws_iam_access_key.bot"),
        (
            "iam-privilege-escalation-combo",
            "module.teams.aws_iam_policy.team[\"platform\"]",
        ),
        (
            "iam-service-wildcard-action",
            "module.teams.aws_iam_policy.team[\"platform\"]",
        ),
    ];
    want.sort_unstable();
    assert_eq!(got, want);
    assert!(r.findings.iter().all(|f| f.location.start.line > 0));
}

#[test]
fn dynamic_blocks_are_expanded_over_their_collection() {
    let dir = "testdata/terraform-eval/dynamic";
    let r = scan_rel(dir);
    assert_eq!(
        summary(&r, dir),
        vec![
            // `ec2:Get*` and `secretsmanager:Get*` of the per-service "read-only" statements.
            "iam-credential-minting-actions data.aws_iam_policy_document.read_only main.tf:24",
            "iam-secret-read-unscoped data.aws_iam_policy_document.read_only main.tf:24",
            // The dynamic conditions check `sub` (with a custom iterator), not `aud`.
            "trust-oidc-missing-aud data.aws_iam_policy_document.ci_trust main.tf:41",
        ],
        "{:#?}",
        r.findings
    );
    let secrets = r
        .findings
        .iter()
        .find(|f| f.rule == "iam-secret-read-unscoped")
        .expect("secret read");
    assert!(
        secrets.message.contains("secretsmanager:GetSecretValue")
            && !secrets.message.contains("ec2"),
        "{}",
        secrets.message
    );
}

#[test]
fn nested_dynamic_blocks_in_repeated_blocks_are_bounded() {
    let t = tempfile::tempdir().unwrap();
    // 200 documents x 200 statements x 200 conditions would be eight million blocks.
    let keys: Vec<String> = (0..200).map(|i| format!("\"k{i}\"")).collect();
    fs::write(
        t.path().join("main.tf"),
        format!(
            r#"locals {{
  keys = [{}]
}}

data "aws_iam_policy_document" "admin" {{
  dynamic "statement" {{
    for_each = ["*"]
    content {{
      actions   = [statement.value]
      resources = ["*"]
    }}
  }}
}}

resource "aws_iam_policy" "admin" {{
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}}

data "aws_iam_policy_document" "each" {{
  for_each = toset(local.keys)
  dynamic "statement" {{
    for_each = local.keys
    content {{
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::${{statement.value}}/*"]
      dynamic "condition" {{
        for_each = local.keys
        iterator = c
        content {{
          test     = "StringEquals"
          variable = "aws:PrincipalTag/team"
          values   = [c.value]
        }}
      }}
    }}
  }}
}}

"#,
            keys.join(", ")
        ),
    )
    .unwrap();
    let start = std::time::Instant::now();
    let r = scan_path(t.path(), 2);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    // What was expanded before the budget was spent is kept, and the rest is said.
    assert!(
        r.findings.iter().any(|f| f.rule == "iam-admin-wildcard"),
        "{:#?}",
        r.findings
    );
    let n = notes(&r);
    assert!(
        n.iter()
            .any(|d| d.contains("`dynamic` block generates more")),
        "{n:#?}"
    );
}
