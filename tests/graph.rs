#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of the identity graph: every link kind (IRSA annotation in YAML and in
//! Terraform, EKS Pod Identity, GitHub `role-to-assume`, GitLab ID tokens) joins the files it
//! should, with the confidence its matching deserves, and every graph rule carries the whole
//! chain in its related locations. Also the inventory of `testdata/demo/`, by snapshot.

use std::path::{Path, PathBuf};

use nhiaudit::finding::{Confidence, Finding};
use nhiaudit::report::Report;
use nhiaudit::{ScanOptions, scan};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn scan_dir(rel: &str, inventory: bool) -> Report {
    // Paths relative to the crate root, as users pass them.
    std::env::set_current_dir(root()).unwrap();
    scan(&ScanOptions {
        paths: vec![PathBuf::from(rel)],
        threads: Some(2),
        inventory,
        ..Default::default()
    })
    .unwrap()
}

fn one<'a>(r: &'a Report, rule: &str) -> &'a Finding {
    let hits: Vec<&Finding> = r.findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(hits.len(), 1, "{rule}: {:#?}", hits);
    hits[0]
}

/// `file:line` of every related location, file relative to `dir`.
fn chain(f: &Finding, dir: &str) -> Vec<String> {
    f.related
        .iter()
        .map(|r| {
            let p = r
                .location
                .path
                .strip_prefix(dir)
                .unwrap_or(&r.location.path);
            format!("{}:{}", p.trim_start_matches('/'), r.location.start.line)
        })
        .collect()
}

#[test]
fn irsa_annotation_in_yaml_links_by_role_name_with_the_whole_chain() {
    let dir = "testdata/rules/xref-k8s-sa-cloud-role/bad-irsa-admin";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-k8s-sa-cloud-role");
    assert!(f.location.path.ends_with("serviceaccount.yaml"));
    assert_eq!(f.location.start.line, 7);
    // matched by the role name of an ARN: medium, and the message says so
    assert_eq!(f.confidence, Confidence::Medium);
    assert!(
        f.message.contains("linked by role name in the ARN"),
        "{}",
        f.message
    );
    assert_eq!(
        chain(f, dir),
        [
            "role.tf:1",              // the role
            "role.tf:21",             // the grant behind its class (AdministratorAccess)
            "serviceaccount.yaml:21", // the Deployment that runs as the ServiceAccount
        ]
    );
}

#[test]
fn irsa_annotation_in_terraform_links_by_reference_with_high_confidence() {
    let dir = "testdata/rules/xref-k8s-sa-cloud-role/bad-terraform-reference";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-k8s-sa-cloud-role");
    assert_eq!(f.confidence, Confidence::High);
    assert!(!f.message.contains("linked by"));
    assert!(f.message.contains("IAM_MODIFICATION"), "{}", f.message);
    assert_eq!(chain(f, dir), ["main.tf:1", "main.tf:19"]);
}

#[test]
fn pod_identity_association_links_the_service_account() {
    let dir = "testdata/rules/xref-k8s-sa-cloud-role/bad-pod-identity-secrets";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-k8s-sa-cloud-role");
    assert_eq!(f.address, "ServiceAccount/platform/secret-rotator");
    assert!(f.message.contains("EKS Pod Identity association"));
    assert_eq!(f.confidence, Confidence::High);
    assert_eq!(chain(f, dir), ["main.tf:1", "main.tf:20"]);
}

#[test]
fn github_role_to_assume_links_the_job_to_the_role() {
    let dir =
        "testdata/rules/xref-privileged-automation-without-approval/bad-admin-role-no-environment";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-privileged-automation-without-approval");
    assert!(f.location.path.ends_with(".github/workflows/apply.yml"));
    assert_eq!(f.location.start.line, 17);
    assert_eq!(chain(f, dir), ["role.tf:1", "role.tf:21"]);
    // the job is the context: where an `environment:` would go
    assert_eq!(f.context.as_ref().unwrap().start.line, 8);
}

#[test]
fn gitlab_id_token_job_links_through_its_role_arn_variable() {
    let dir = "testdata/rules/xref-privileged-automation-without-approval/bad-gitlab-admin-no-environment";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-privileged-automation-without-approval");
    assert!(f.location.path.ends_with(".gitlab-ci.yml"));
    assert!(f.message.contains("IAM_MODIFICATION"), "{}", f.message);
    assert_eq!(chain(f, dir), ["main.tf:1", "main.tf:26"]);
}

#[test]
fn ci_trust_finding_lists_the_jobs_that_assume_the_role() {
    let dir = "testdata/rules/xref-ci-role-trust-broader-than-use/bad-env-jobs-any-ref";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-ci-role-trust-broader-than-use");
    assert_eq!(
        chain(f, dir),
        [".github/workflows/deploy.yml:17", "role.tf:1", "role.tf:24"]
    );
}

#[test]
fn shared_identity_points_at_both_environments() {
    let dir = "testdata/rules/xref-identity-shared-across-envs/bad-namespaces";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-identity-shared-across-envs");
    assert_eq!(f.location.start.line, 15); // the non-production use
    assert_eq!(chain(f, dir), ["serviceaccounts.yaml:7", "role.tf:1"]);
}

#[test]
fn trust_mismatch_names_the_service_accounts_it_admits() {
    let dir = "testdata/rules/xref-workload-identity-trust-mismatch/bad-namespace-wildcard";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-workload-identity-trust-mismatch");
    assert!(f.message.contains("ops/debug-shell"), "{}", f.message);
    assert!(
        f.message.contains("ops/remediator uses it"),
        "{}",
        f.message
    );
}

#[test]
fn sod_violation_from_an_annotation_points_at_the_declaration_and_the_grant() {
    let dir = "testdata/rules/xref-aiops-sod-violation/bad-annotated-service-account";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-aiops-sod-violation");
    assert!(f.location.path.ends_with("serviceaccount.yaml"));
    assert!(f.message.contains("T4 credentials"), "{}", f.message);
    assert_eq!(chain(f, dir), ["role.tf:1", "role.tf:26"]);
}

#[test]
fn links_do_not_cross_to_unrelated_identities() {
    let dir = "testdata/rules/xref-k8s-sa-cloud-role/good-annotation-to-other-account";
    let r = scan_dir(dir, true);
    assert!(r.findings.iter().all(|f| !f.rule.starts_with("xref-")));
    let inv = r.inventory.unwrap();
    let sa = inv
        .identities
        .iter()
        .find(|i| i.id == "k8s:serviceaccount:kube-system/external-dns")
        .unwrap();
    assert!(sa.links.is_empty());
    assert!(sa.classes.is_empty());
}

#[test]
fn inventory_propagates_cloud_power_to_service_accounts_and_jobs() {
    let r = scan_dir("testdata/demo", true);
    let inv = r.inventory.as_ref().unwrap();
    let get = |id: &str| {
        inv.identities
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| {
                panic!(
                    "{id} not in {:?}",
                    inv.identities.iter().map(|i| &i.id).collect::<Vec<_>>()
                )
            })
    };
    let job = get("github-actions:job:testdata/demo/.github/workflows/deploy-operator.yml#deploy");
    assert_eq!(
        job.links,
        ["aws:role:testdata/demo/terraform/runner.tf#aws_iam_role.runner"]
    );
    assert!(
        job.classes
            .contains(&nhiaudit::model::identity::PrivilegeClass::Privesc)
    );
    let user = get("aws:user:testdata/demo/terraform/ticket_bot.tf#aws_iam_user.ticket_bot");
    assert_eq!(user.lifetime, nhiaudit::model::identity::Lifetime::Static);
    // findings are attributed: the user's key, console access and escalation
    let rules: Vec<&str> = user.findings.iter().map(|f| f.rule.as_str()).collect();
    for want in [
        "aws-iam-access-key",
        "aws-iam-user-console-access",
        "iam-credential-minting-actions",
    ] {
        assert!(rules.contains(&want), "{want} not in {rules:?}");
    }
    // sorted by blast radius
    let scores: Vec<f64> = inv
        .identities
        .iter()
        .map(|i| i.blast_radius.score)
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn inventory_is_the_same_whatever_the_thread_count() {
    std::env::set_current_dir(root()).unwrap();
    let run = |threads| {
        let r = scan(&ScanOptions {
            paths: vec![PathBuf::from("testdata")],
            threads: Some(threads),
            inventory: true,
            ..Default::default()
        })
        .unwrap();
        nhiaudit::output::inventory::json(&r)
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn demo_inventory_markdown() {
    let r = scan_dir("testdata/demo", true);
    insta::assert_snapshot!(nhiaudit::output::inventory::markdown(&r));
}

#[test]
fn gke_annotation_links_by_email_to_the_google_service_account() {
    let dir = "testdata/rules/xref-k8s-sa-cloud-role/bad-gke-workload-identity";
    let r = scan_dir(dir, true);
    let f = one(&r, "xref-k8s-sa-cloud-role");
    assert_eq!(f.confidence, Confidence::Medium);
    assert!(
        f.message
            .contains("Google Cloud service account remediator (ADMIN)"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("linked by service-account email"),
        "{}",
        f.message
    );
    assert_eq!(chain(f, dir), ["gsa.tf:1", "gsa.tf:9"]);
    // the workload-identity grant is who can obtain it
    let inv = r.inventory.unwrap();
    let gsa = inv
        .identities
        .iter()
        .find(|i| i.kind == "Google Cloud service account")
        .unwrap();
    assert!(
        gsa.obtained_by
            .iter()
            .any(|e| e.text.contains("system:serviceaccount:ops:remediator")),
        "{:?}",
        gsa.obtained_by
    );
    assert_eq!(gsa.links, ["k8s:serviceaccount:ops/remediator"]);
}

#[test]
fn aks_annotation_links_through_the_federated_credential_subject() {
    let dir = "testdata/rules/xref-k8s-sa-cloud-role/bad-aks-workload-identity";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-k8s-sa-cloud-role");
    assert_eq!(f.confidence, Confidence::Medium);
    assert!(
        f.message
            .contains("Azure managed identity secret-rotator (CRED_EXPOSURE)"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("federated credential subject"),
        "{}",
        f.message
    );
    assert_eq!(chain(f, dir), ["identity.tf:1", "identity.tf:9"]);
}

#[test]
fn google_auth_action_links_the_job_to_the_service_account() {
    let dir = "testdata/rules/xref-privileged-automation-without-approval/bad-gcp-deployer";
    let r = scan_dir(dir, false);
    let f = one(&r, "xref-privileged-automation-without-approval");
    assert_eq!(f.location.start.line, 18);
    assert_eq!(chain(f, dir), ["iam.tf:1", "iam.tf:8"]);
}

#[test]
fn configured_function_makes_a_detector_out_of_an_untagged_role() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_iam_role" "triage" {
  name               = "triage"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "triage" {
  role   = aws_iam_role.triage.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["ec2:RebootInstances"], Resource = "*" }] })
}
"#,
    )
    .unwrap();
    let scan_with = |functions: &str| {
        let cfg = dir.path().join(".nhiaudit.toml");
        std::fs::write(&cfg, functions).unwrap();
        let loaded = nhiaudit::config::load(&cfg, "cfg").unwrap();
        scan(&ScanOptions {
            paths: vec![dir.path().join("main.tf")],
            config: loaded,
            ..Default::default()
        })
        .unwrap()
    };
    let none = scan_with("");
    assert!(
        none.findings
            .iter()
            .all(|f| f.rule != "xref-aiops-sod-violation")
    );
    let declared = scan_with("[functions]\n\"aws_iam_role.triage\" = \"recommend\"\n");
    let f = one(&declared, "xref-aiops-sod-violation");
    assert!(f.message.contains("serves recommend"), "{}", f.message);
    assert_eq!(f.location.start.line, 8); // the grant
    assert!(
        nhiaudit::config::load(
            &{
                let p = dir.path().join("bad.toml");
                std::fs::write(&p, "[functions]\n\"x\" = \"observe-and-fix\"\n").unwrap();
                p
            },
            "bad.toml"
        )
        .is_err()
    );
}
