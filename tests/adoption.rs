#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! What keeps a team using the scanner: configuration, inline suppressions that never fail
//! silently, baselines keyed on identity rather than line numbers, fingerprints that survive
//! edits, GitHub annotations, and rule documentation that cannot go stale.

use std::path::Path;
use std::process::Command;

const ADMIN_POLICY: &str = r#"resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
"#;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nhiaudit"))
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().current_dir(dir).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let (_, out, err) = run(dir, &args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("json: {e}\n{out}\n{err}"))
}

fn findings(v: &serde_json::Value) -> Vec<(String, u64, bool)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["location"]["start"]["line"].as_u64().unwrap(),
                f.get("suppression").is_some(),
            )
        })
        .collect()
}

fn diagnostics(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_inserted_above_and_reformatting() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), ADMIN_POLICY).unwrap();
    let before = json(dir.path(), &[]);
    let moved = format!(
        "{}{}",
        "\n".repeat(10),
        ADMIN_POLICY.replace("Action = \"*\"", "Action   =   \"*\"")
    );
    std::fs::write(dir.path().join("main.tf"), moved).unwrap();
    let after = json(dir.path(), &[]);
    let fp = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!fp(&before).is_empty());
    assert_eq!(
        fp(&before),
        fp(&after),
        "fingerprints changed after inserting 10 lines above"
    );
    // SARIF carries the same key
    let (_, sarif, _) = run(dir.path(), &["scan", ".", "--format", "sarif"]);
    let s: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let pf = s["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"]
        .as_str()
        .unwrap();
    assert_eq!(pf, fp(&before)[0]);
}

#[test]
fn moving_the_risk_to_another_resource_changes_the_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), ADMIN_POLICY).unwrap();
    let a = json(dir.path(), &[]);
    std::fs::write(
        dir.path().join("main.tf"),
        ADMIN_POLICY.replace("\"ci\" {", "\"deployer\" {"),
    )
    .unwrap();
    let b = json(dir.path(), &[]);
    assert_ne!(
        a["findings"][0]["fingerprint"],
        b["findings"][0]["fingerprint"]
    );
}

#[test]
fn inline_suppressions_apply_and_typos_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let tf = format!(
        "# nhiaudit: ignore[iam-admin-wildcard] break-glass policy, reviewed in SEC-42\n{ADMIN_POLICY}\nresource \"aws_iam_access_key\" \"k\" {{ # nhiaudit: ignore[aws-iam-acess-key] typo in the id\n  user = \"bot\"\n}}\n\nresource \"aws_iam_user\" \"u\" {{\n  name = \"svc\" # nhiaudit: ignore[aws-iam-access-key]\n}}\n"
    );
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let v = json(dir.path(), &[]);
    let f = findings(&v);
    assert!(
        f.iter().any(|(r, _, s)| r == "iam-admin-wildcard" && *s),
        "header comment suppresses the block: {f:?}"
    );
    assert!(
        f.iter().any(|(r, _, s)| r == "aws-iam-access-key" && !*s),
        "a typo never suppresses: {f:?}"
    );
    let d = diagnostics(&v).join("\n");
    assert!(d.contains("unknown rule 'aws-iam-acess-key'"), "{d}");
    assert!(d.contains("without a reason"), "{d}");
    assert!(d.contains("matches no finding"), "{d}");
    // suppressed findings stay in SARIF with their justification
    let (_, sarif, _) = run(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert!(
        sarif.contains("\"justification\": \"break-glass policy, reviewed in SEC-42\""),
        "{sarif}"
    );
    assert!(sarif.contains("\"kind\": \"inSource\""));
    // audit mode ignores them all
    let audit = json(dir.path(), &["--no-inline-ignores"]);
    assert!(findings(&audit).iter().all(|(_, _, s)| !s));
}

#[test]
fn yaml_comments_suppress_documents_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rbac.yaml"),
        "# nhiaudit: ignore[k8s-rbac-wildcard] the platform's own break-glass role\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: break-glass\nrules:\n- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n",
    )
    .unwrap();
    let v = json(dir.path(), &[]);
    let f = findings(&v);
    assert!(
        f.iter().any(|(r, _, s)| r == "k8s-rbac-wildcard" && *s),
        "{f:?}"
    );
}

#[test]
fn config_ignores_by_identity_expire_and_report_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), ADMIN_POLICY).unwrap();
    std::fs::write(
        dir.path().join(".nhiaudit.toml"),
        "[[ignore]]\nrule = \"iam-admin-wildcard\"\naddress = \"aws_iam_policy.ci\"\nreason = \"accepted until the migration\"\nexpires = \"2999-01-01\"\n\n[rules.severity]\n\"iam-admin-wildcard\" = \"high\"\n",
    )
    .unwrap();
    let v = json(dir.path(), &[]);
    let admin: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "iam-admin-wildcard")
        .collect();
    assert_eq!(admin[0]["suppression"]["kind"], "external");
    assert_eq!(admin[0]["severity"], "high", "severity override applies");
    // expired: no longer applies, and says so
    std::fs::write(
        dir.path().join(".nhiaudit.toml"),
        "[[ignore]]\nrule = \"iam-admin-wildcard\"\naddress = \"aws_iam_policy.ci\"\nreason = \"accepted until the migration\"\nexpires = \"2001-01-01\"\n",
    )
    .unwrap();
    let v = json(dir.path(), &[]);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "iam-admin-wildcard" && f.get("suppression").is_none())
    );
    assert!(diagnostics(&v).join("\n").contains("expired on 2001-01-01"));
    // unknown key: an error naming the key and its line
    std::fs::write(
        dir.path().join(".nhiaudit.toml"),
        "fail-on = \"high\"\n[rules]\nselekt = [\"x\"]\n",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), &["scan", "."]);
    assert_eq!(code, 2);
    assert!(err.contains(":3:") && err.contains("selekt"), "{err}");
}

#[test]
fn config_paths_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/main.tf"), ADMIN_POLICY).unwrap();
    std::fs::write(
        dir.path().join(".nhiaudit.toml"),
        "fail-on = \"critical\"\n[paths]\nexclude = [\"vendor/**\"]\n",
    )
    .unwrap();
    let (code, out, _) = run(dir.path(), &["scan", "."]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no findings"), "{out}");
}

#[test]
fn baseline_reports_only_new_findings_and_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), ADMIN_POLICY).unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["scan", ".", "--write-baseline", "baseline.json"],
    );
    assert_eq!(code, 0, "{err}");
    // lines inserted above: still known
    std::fs::write(dir.path().join("main.tf"), format!("\n\n\n{ADMIN_POLICY}")).unwrap();
    let (code, out, _) = run(dir.path(), &["scan", ".", "--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{out}");
    // a new risk is reported
    std::fs::write(
        dir.path().join("main.tf"),
        format!("{ADMIN_POLICY}\nresource \"aws_iam_access_key\" \"k\" {{\n  user = \"bot\"\n}}\n"),
    )
    .unwrap();
    let v = json(dir.path(), &["--baseline", "baseline.json"]);
    let f = findings(&v);
    assert!(
        f.iter().any(|(r, _, s)| r == "aws-iam-access-key" && !*s),
        "{f:?}"
    );
    assert!(
        f.iter().any(|(r, _, s)| r == "iam-admin-wildcard" && *s),
        "{f:?}"
    );
    // the old risk fixed: the entry is stale
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_iam_user\" \"u\" {}\n",
    )
    .unwrap();
    let v = json(dir.path(), &["--baseline", "baseline.json"]);
    assert!(
        diagnostics(&v).join("\n").contains("stale baseline entry"),
        "{:?}",
        diagnostics(&v)
    );
}

#[test]
fn github_format_emits_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), ADMIN_POLICY).unwrap();
    let (_, out, _) = run(dir.path(), &["scan", ".", "--format", "github"]);
    let line = out
        .lines()
        .find(|l| l.contains("iam-admin-wildcard"))
        .expect("annotation");
    assert!(
        line.starts_with("::error file=main.tf,line=5,col="),
        "{line}"
    );
    assert!(
        line.contains("title=nhiaudit iam-admin-wildcard (critical)::"),
        "{line}"
    );
}

#[test]
fn init_writes_a_default_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = run(dir.path(), &["init"]);
    assert_eq!(code, 0);
    let (code, _, _) = run(dir.path(), &["init"]);
    assert_eq!(code, 2, "does not overwrite");
    std::fs::write(dir.path().join("main.tf"), ADMIN_POLICY).unwrap();
    let (code, _, err) = run(dir.path(), &["scan", "."]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn rules_documentation_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = nhiaudit::output::markdown::rules_markdown();
    assert!(
        current == generated,
        "docs/rules.md is stale: run `cargo run -q -- rules --format markdown > docs/rules.md`"
    );
    for m in nhiaudit::rules::metas() {
        assert!(
            current.contains(&format!("\n## {}\n", m.id)),
            "{} has no section",
            m.id
        );
    }
}
