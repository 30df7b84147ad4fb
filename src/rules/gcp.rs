//! GCP rules: user-managed service-account keys, basic and impersonation-capable roles granted
//! at project, folder or organization level, workloads running as the Compute Engine default
//! service account, workload identity federation that trusts too much, and GKE clusters that
//! still accept legacy credentials.
//!
//! `roles/owner` and `roles/editor` are reported by `gcp-basic-role-granted` only, although
//! Checkov also lists them as impersonation roles: one grant, one finding.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::cloud::{GcpGrant, GcpLevel, GkeAuthKind, SaChoice};
use crate::model::iam::Val;
use crate::model::identity::PrivilegeClass;

/// Roles that let a member act as (or mint credentials for) the service accounts under the
/// grant: Checkov's `IMPERSONATION_ROLES` (AbsGoogleImpersonationRoles.py) without the basic
/// roles, plus the Cloud Build and Deployment Manager editors, which run builds and deployments
/// as a project service account.
const IMPERSONATION_ROLES: &[&str] = &[
    "roles/iam.securityadmin",
    "roles/iam.serviceaccountadmin",
    "roles/iam.serviceaccountkeyadmin",
    "roles/iam.serviceaccountuser",
    "roles/iam.serviceaccounttokencreator",
    "roles/iam.workloadidentityuser",
    "roles/dataproc.editor",
    "roles/dataproc.admin",
    "roles/dataflow.developer",
    "roles/resourcemanager.folderadmin",
    "roles/resourcemanager.folderiamadmin",
    "roles/resourcemanager.projectiamadmin",
    "roles/resourcemanager.organizationadmin",
    "roles/serverless.serviceagent",
    "roles/dataproc.serviceagent",
    "roles/cloudbuild.builds.editor",
    "roles/deploymentmanager.editor",
];

/// Who a member string names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum MemberKind {
    /// A person (`user:`).
    User,
    /// Workload identities (`serviceAccount:`, `principal://`, `principalSet://`).
    Workload,
    /// Many identities (`group:`, `domain:`).
    Group,
    /// `allUsers`, `allAuthenticatedUsers`: anyone.
    Public,
    /// Anything else, or an expression the scanner cannot read.
    Unknown,
}

/// The kind of a member from its text; a template such as `serviceAccount:${...}` keeps its
/// literal prefix, which is enough.
fn member_kind(v: &Val) -> MemberKind {
    let t = v.text.trim();
    let lower = t.to_ascii_lowercase();
    if lower == "allusers" || lower == "allauthenticatedusers" {
        return MemberKind::Public;
    }
    for (p, k) in [
        ("serviceaccount:", MemberKind::Workload),
        ("principal://", MemberKind::Workload),
        ("principalset://", MemberKind::Workload),
        ("group:", MemberKind::Group),
        ("domain:", MemberKind::Group),
        ("user:", MemberKind::User),
    ] {
        if lower.starts_with(p) {
            return k;
        }
    }
    MemberKind::Unknown
}

/// `google_service_account.ci.name` / `${google_service_account.ci.name}` as
/// `google_service_account.ci`.
fn account_name(text: &str) -> &str {
    let t = text.trim().trim_start_matches("${").trim_end_matches('}');
    for suffix in [".name", ".id", ".email", ".unique_id"] {
        if let Some(x) = t.strip_suffix(suffix) {
            return x;
        }
    }
    t
}

fn member_list(members: &[&Val]) -> String {
    let mut names: Vec<&str> = members.iter().take(3).map(|m| m.text.as_str()).collect();
    if members.len() > 3 {
        names.push("…");
    }
    names.join(", ")
}

fn role_is(g: &GcpGrant, names: &[&str]) -> bool {
    g.role.known && names.contains(&g.role.text.trim().to_ascii_lowercase().as_str())
}

fn where_granted(g: &GcpGrant) -> String {
    match (&g.level, &g.via) {
        (GcpLevel::Unknown, _) => format!("in {} (applied outside this module)", g.address),
        (l, Some((via, _))) => format!("at {} level through {via}", l.noun()),
        (l, None) => format!("at {} level", l.noun()),
    }
}

fn grant_hit(rule: &'static str, g: &GcpGrant, msg: String) -> Hit {
    let mut h = Hit::new(rule, g.role.span, &g.address, msg)
        .label("role granted")
        .context(g.declared);
    if let Some((via, span)) = &g.via {
        h = h.related(*span, format!("applied by {via}"));
    }
    h
}

pub struct UserManagedKey;

impl Rule for UserManagedKey {
    fn id(&self) -> &'static str {
        "gcp-sa-user-managed-key"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        for k in &facts.cloud.gcp.sa_keys {
            let who = match account_name(&k.account) {
                "" => "a service account".to_owned(),
                a => format!("service account {a}"),
            };
            let mut msg = format!(
                "user-managed key for {who}: a long-lived credential that stays valid until someone deletes it, and whose private key sits in the Terraform state"
            );
            if k.uploaded {
                msg.push_str("; the key pair was generated outside Google");
            }
            let mut h = Hit::new(self.id(), k.span, &k.address, msg)
                .label("service-account key")
                .classes(vec![PrivilegeClass::CredExposure]);
            if k.rotated {
                h = h.severity(Severity::Medium);
                h.message
                    .push_str(" (rotated on a schedule through `keepers`)");
            }
            let prefix = format!("{}.", k.address);
            for s in &facts.cloud.ci.secrets {
                if let crate::model::cloud::CiValue::Minted { source, .. } = &s.value
                    && (*source == k.address || source.starts_with(&prefix))
                {
                    h = h.related(s.declared, format!("copied into CI by {}", s.address));
                }
            }
            for o in &facts.cloud.ci.outputs {
                if o.source == k.address {
                    h = h.related(o.declared, format!("returned by {}", o.address));
                }
            }
            out.push(h);
        }
    }
}

pub struct BasicRoleGranted;

impl Rule for BasicRoleGranted {
    fn id(&self) -> &'static str {
        "gcp-basic-role-granted"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for g in &cx.facts.cloud.gcp.grants {
            if !(g.level.is_hierarchy() || g.level == GcpLevel::Unknown)
                || !role_is(g, &["roles/owner", "roles/editor"])
            {
                continue;
            }
            let machine: Vec<&Val> = g
                .members
                .iter()
                .filter(|m| {
                    matches!(
                        member_kind(m),
                        MemberKind::Workload | MemberKind::Group | MemberKind::Public
                    )
                })
                .collect();
            let unknown = g
                .members
                .iter()
                .any(|m| member_kind(m) == MemberKind::Unknown);
            if machine.is_empty() && !unknown {
                // Only people: a human-access question, not an NHI one.
                continue;
            }
            let owner = g.role.text.trim().eq_ignore_ascii_case("roles/owner");
            let what = if owner {
                "full control, including IAM, of every resource"
            } else {
                "write access to almost every resource"
            };
            let who = if machine.is_empty() {
                "members the scanner cannot resolve".to_owned()
            } else {
                member_list(&machine)
            };
            let mut h = grant_hit(
                self.id(),
                g,
                format!(
                    "basic role {} granted {} to {who}: {what} below it",
                    g.role.text,
                    where_granted(g)
                ),
            )
            .classes(vec![PrivilegeClass::Admin]);
            let mut sev = if owner {
                Severity::Critical
            } else {
                Severity::High
            };
            if machine.iter().any(|m| member_kind(m) == MemberKind::Public) {
                sev = Severity::Critical;
            }
            if g.conditioned {
                sev = sev.lower();
                h.message.push_str(" (limited by an IAM condition)");
            }
            h = h.severity(sev);
            if machine.is_empty() {
                h = h.confidence(Confidence::Low);
            } else if g.level == GcpLevel::Unknown {
                h = h.confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

pub struct ImpersonationRoleBroad;

impl Rule for ImpersonationRoleBroad {
    fn id(&self) -> &'static str {
        "gcp-impersonation-role-broad"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for g in &cx.facts.cloud.gcp.grants {
            if !role_is(g, IMPERSONATION_ROLES) {
                continue;
            }
            let kinds: Vec<MemberKind> = g.members.iter().map(member_kind).collect();
            let public = kinds.contains(&MemberKind::Public);
            let broad_level = g.level.is_hierarchy() || g.level == GcpLevel::Unknown;
            // On one service account the grant is the recommended pattern, unless anyone may
            // use it.
            if !broad_level && !public {
                continue;
            }
            if kinds.is_empty() {
                continue;
            }
            let unresolved = kinds.contains(&MemberKind::Unknown);
            let worst = kinds
                .iter()
                .copied()
                .filter(|k| *k != MemberKind::Unknown)
                .max();
            let shown: Vec<&Val> = g
                .members
                .iter()
                .filter(|m| member_kind(m) != MemberKind::Unknown)
                .collect();
            let who = if shown.is_empty() {
                "members the scanner cannot resolve".to_owned()
            } else {
                member_list(&shown)
            };
            let reach = if broad_level {
                format!(
                    "{}: the members can act as every service account below it",
                    where_granted(g)
                )
            } else {
                format!("on {}: anyone can act as it", g.address)
            };
            let mut h = grant_hit(
                self.id(),
                g,
                format!("{} granted to {who} {reach}", g.role.text),
            )
            .classes(vec![PrivilegeClass::Privesc]);
            let (sev, conf) = if public {
                (Severity::Critical, Confidence::High)
            } else {
                match worst {
                    Some(MemberKind::Workload | MemberKind::Group) => {
                        (Severity::High, Confidence::High)
                    }
                    Some(MemberKind::User) if !unresolved => {
                        h.message
                            .push_str(" (people acting as workload identities)");
                        (Severity::Medium, Confidence::High)
                    }
                    _ => (Severity::High, Confidence::Low),
                }
            };
            let (sev, conf) = if g.level == GcpLevel::Unknown {
                (sev, conf.lower())
            } else {
                (sev, conf)
            };
            let sev = if g.conditioned {
                h.message.push_str(" (limited by an IAM condition)");
                sev.lower()
            } else {
                sev
            };
            out.push(h.severity(sev).confidence(conf));
        }
    }
}

fn is_cloud_platform(v: &Val) -> bool {
    let t = v.text.trim();
    t == "cloud-platform" || t == "https://www.googleapis.com/auth/cloud-platform"
}

pub struct DefaultComputeSaFullScope;

impl Rule for DefaultComputeSaFullScope {
    fn id(&self) -> &'static str {
        "gcp-default-compute-sa-full-scope"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for vm in &cx.facts.cloud.gcp.vms {
            if vm.account != SaChoice::Default {
                continue;
            }
            let Some(scope) = vm.scopes.iter().find(|s| s.known && is_cloud_platform(s)) else {
                continue;
            };
            let how = match &vm.email {
                Some(e) if e.known => format!("the default service account {}", e.text),
                Some(e) => format!("the default service account ({})", e.text),
                None => "the Compute Engine default service account (no `email`)".to_owned(),
            };
            out.push(
                Hit::new(
                    self.id(),
                    scope.span,
                    &vm.address,
                    format!(
                        "{} {} runs as {how} with the cloud-platform scope: any process on it can call every Google Cloud API with the project-wide roles of that shared account (Editor by default)",
                        vm.kind, vm.address
                    ),
                )
                .label("full API scope")
                .context(vm.block)
                .classes(vec![PrivilegeClass::Admin]),
            );
        }
    }
}

pub struct GkeDefaultNodeSa;

impl Rule for GkeDefaultNodeSa {
    fn id(&self) -> &'static str {
        "gcp-gke-default-node-sa"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for n in &cx.facts.cloud.gcp.gke_nodes {
            if n.account != SaChoice::Default {
                continue;
            }
            let full = n.scopes.iter().any(|s| s.known && is_cloud_platform(s));
            let how = match &n.email {
                Some(e) if e.known => format!("the default service account {}", e.text),
                _ => "the Compute Engine default service account (no `service_account`)".to_owned(),
            };
            let mut msg = format!(
                "GKE nodes of {} run as {how}: every pod that can reach the metadata server holds the project-wide roles of that shared account",
                n.address
            );
            let mut sev = if full {
                msg.push_str(", with the cloud-platform scope");
                Severity::High
            } else {
                Severity::Medium
            };
            if n.pool_removed {
                msg.push_str(" (the default pool is removed after creation)");
                sev = Severity::Low;
            }
            let mut h = Hit::new(self.id(), n.node_config, &n.address, msg)
                .label("default node service account")
                .severity(sev);
            if n.node_config != n.declared {
                h = h.context(n.declared);
            }
            out.push(h);
        }
    }
}

/// Issuers that mint tokens for anyone who signs up: without a condition, strangers can use
/// the provider.
const MULTI_TENANT_ISSUERS: &[&str] = &[
    "token.actions.githubusercontent.com",
    "gitlab.com",
    "app.terraform.io",
    "oidc.circleci.com",
    "accounts.google.com",
    "sts.windows.net",
    "login.microsoftonline.com",
    "api.bitbucket.org",
];

fn issuer_host(issuer: &str) -> String {
    issuer
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

/// GitHub claims whose value any repository can choose: a `sub` that starts with one of them
/// can be produced anywhere (Checkov's `gh_abusable_claims`).
const GH_ABUSABLE_CLAIMS: &[&str] = &[
    "workflow",
    "environment",
    "ref",
    "context",
    "head_ref",
    "base_ref",
];

/// Does a CEL `attribute_condition` pin the token to one repository or owner (GitHub) or
/// project or namespace (GitLab)? Every `||` alternative must pin.
pub fn condition_pins(cond: &str, gitlab: bool) -> bool {
    let alternatives: Vec<&str> = cond.split("||").collect();
    !alternatives.is_empty() && alternatives.iter().all(|a| clause_pins(a, gitlab))
}

fn clause_pins(clause: &str, gitlab: bool) -> bool {
    let claims: &[&str] = if gitlab {
        &[
            "project_path",
            "namespace_path",
            "namespace_id",
            "project_id",
        ]
    } else {
        &[
            "repository_owner_id",
            "repository_owner",
            "repository_id",
            "repository",
            "sub",
        ]
    };
    for claim in claims {
        for prefix in ["assertion.", "attribute."] {
            let needle = format!("{prefix}{claim}");
            let mut from = 0;
            while let Some(i) = clause[from..].find(&needle) {
                let at = from + i + needle.len();
                from = at;
                // `assertion.repository` must not match `assertion.repository_owner`.
                if clause[at..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    continue;
                }
                for v in compared_literals(&clause[at..]) {
                    if literal_pins(claim, &v, gitlab) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// The quoted literals a claim is compared with: `== 'x'`, `in ['x', 'y']`, `.startsWith('x')`.
fn compared_literals(rest: &str) -> Vec<String> {
    let r = rest.trim_start();
    let body = if let Some(x) = r.strip_prefix("==") {
        x.trim_start()
    } else if let Some(x) = r.strip_prefix(".startsWith(") {
        x.trim_start()
    } else if let Some(x) = r.strip_prefix("in") {
        let x = x.trim_start();
        match x.strip_prefix('[') {
            Some(list) => {
                let end = list.find(']').unwrap_or(list.len());
                return quoted(&list[..end]);
            }
            None => return Vec::new(),
        }
    } else {
        return Vec::new();
    };
    quoted(body).into_iter().take(1).collect()
}

fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            break;
        };
        let inner = &rest[1..];
        let Some(end) = inner.find(q) else { break };
        out.push(inner[..end].to_owned());
        rest = &inner[end + 1..];
    }
    out
}

fn literal_pins(claim: &str, v: &str, gitlab: bool) -> bool {
    let v = v.trim();
    if v.is_empty() || v.starts_with('*') {
        return false;
    }
    if gitlab {
        return !v.contains('*');
    }
    match claim {
        "repository" => {
            let Some((owner, repo)) = v.split_once('/') else {
                return false;
            };
            valid_owner(owner) && !repo.is_empty() && !repo.starts_with('*')
        }
        "repository_owner" | "repository_owner_id" | "repository_id" => !v.contains('*'),
        _ => {
            // `sub`: Checkov's claim logic.
            let mut parts = v.split(':');
            let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
                return false;
            };
            if first == "*" || second == "*" || GH_ABUSABLE_CLAIMS.contains(&first) {
                return false;
            }
            if first != "repo" {
                return false;
            }
            match second.split_once('/') {
                Some((owner, _)) => valid_owner(owner),
                None => false,
            }
        }
    }
}

fn valid_owner(owner: &str) -> bool {
    !owner.is_empty()
        && owner.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '$' | '{' | '}')
        })
}

pub struct WifProviderUnconditioned;

impl Rule for WifProviderUnconditioned {
    fn id(&self) -> &'static str {
        "gcp-wif-provider-unconditioned"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in &cx.facts.cloud.gcp.wif_providers {
            let host = p
                .issuer
                .as_ref()
                .filter(|i| i.known)
                .map(|i| issuer_host(&i.text));
            // GitHub Enterprise Cloud issuers add the enterprise slug as a path.
            let github = host.as_deref().is_some_and(|h| {
                h.split('/').next() == Some("token.actions.githubusercontent.com")
            });
            let gitlab = host.as_deref() == Some("gitlab.com");
            let multi = github
                || host
                    .as_deref()
                    .is_some_and(|h| MULTI_TENANT_ISSUERS.contains(&h));
            match &p.condition {
                None => {
                    let who = match (p.protocol, host.as_deref()) {
                        _ if github => "a workflow in any repository on GitHub".to_owned(),
                        (_, Some("gitlab.com")) => {
                            "a pipeline of any project on GitLab.com".to_owned()
                        }
                        (_, Some(h)) => format!("any identity the issuer {h} vouches for"),
                        ("aws", _) => "any role or user of the trusted AWS account".to_owned(),
                        _ => format!("any identity of the {} provider", p.protocol),
                    };
                    let at = p.issuer.as_ref().map_or(p.protocol_span, |i| i.span);
                    out.push(
                        Hit::new(
                            self.id(),
                            at,
                            &p.address,
                            format!(
                                "workload identity provider {} has no attribute_condition: {who} can exchange its token for Google credentials",
                                p.address
                            ),
                        )
                        .label("no attribute_condition")
                        .context(p.declared)
                        .severity(if multi || p.protocol == "aws" {
                            Severity::Critical
                        } else {
                            Severity::High
                        }),
                    );
                }
                Some(c) if c.known && (github || gitlab) && !condition_pins(&c.text, gitlab) => {
                    let what = if github {
                        "a repository or repository owner"
                    } else {
                        "a GitLab project or namespace"
                    };
                    out.push(
                        Hit::new(
                            self.id(),
                            c.span,
                            &p.address,
                            format!(
                                "attribute_condition of {} does not pin {what}: other {} can satisfy it",
                                p.address,
                                if github { "repositories" } else { "projects" }
                            ),
                        )
                        .label("condition too broad")
                        .context(p.declared)
                        .severity(Severity::High),
                    );
                }
                _ => {}
            }
        }
    }
}

pub struct WifPoolWideBinding;

impl Rule for WifPoolWideBinding {
    fn id(&self) -> &'static str {
        "gcp-wif-pool-wide-binding"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for g in &cx.facts.cloud.gcp.grants {
            for m in &g.members {
                let t = m.text.trim();
                let lower = t.to_ascii_lowercase();
                if !(lower.starts_with("principalset://") && t.ends_with("/*")) {
                    continue;
                }
                if !lower.contains("workloadidentitypools/") && m.known {
                    continue;
                }
                out.push(
                    Hit::new(
                        self.id(),
                        m.span,
                        &g.address,
                        format!(
                            "{} granted {} to every identity of a workload identity pool (`{t}`): any repository or workload that any provider of the pool admits gets it",
                            g.role.text,
                            where_granted(g)
                        ),
                    )
                    .label("whole pool")
                    .context(g.declared),
                );
            }
        }
    }
}

pub struct GkeLegacyAuth;

impl Rule for GkeLegacyAuth {
    fn id(&self) -> &'static str {
        "gcp-gke-legacy-auth"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for a in &cx.facts.cloud.gcp.gke_auth {
            let (msg, label, sev, conf) = match a.kind {
                GkeAuthKind::LegacyAbac => (
                    "legacy ABAC is enabled: service accounts and nodes get the broad static permissions of ABAC, which RBAC cannot narrow",
                    "legacy ABAC",
                    Severity::High,
                    Confidence::High,
                ),
                GkeAuthKind::BasicAuth => (
                    "basic authentication is configured: a static username and password to the cluster API",
                    "basic auth",
                    Severity::High,
                    Confidence::High,
                ),
                GkeAuthKind::ClientCertificate => (
                    "a client certificate is issued: a cluster-admin credential that cannot be revoked without rotating the cluster CA",
                    "client certificate",
                    Severity::High,
                    Confidence::High,
                ),
                GkeAuthKind::ClientCertificateDefault => (
                    "master_auth without client_certificate_config: clusters created before GKE 1.12 are issued a non-revocable client certificate; set issue_client_certificate = false",
                    "client certificate default",
                    Severity::Medium,
                    Confidence::Low,
                ),
            };
            out.push(
                Hit::new(
                    self.id(),
                    a.span,
                    &a.address,
                    format!("{}: {msg}", a.address),
                )
                .label(label)
                .context(a.declared)
                .severity(sev)
                .confidence(conf),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_conditions() {
        assert!(condition_pins("assertion.repository == 'org/app'", false));
        assert!(condition_pins(
            "assertion.repository_owner_id == '123' && assertion.ref == 'refs/heads/main'",
            false
        ));
        assert!(condition_pins(
            "assertion.sub == 'repo:myOrg/myRepo:*'",
            false
        ));
        assert!(condition_pins(
            "attribute.repository in ['org/a', 'org/b']",
            false
        ));
        assert!(!condition_pins("assertion.sub == 'invalid'", false));
        assert!(!condition_pins("assertion.sub == 'repo:*'", false));
        assert!(!condition_pins("assertion.sub == 'repo:myOrg*'", false));
        assert!(!condition_pins(
            "assertion.sub == 'workflow:github-actions:repo:myOrg/myRepo:ref:refs/heads/main'",
            false
        ));
        assert!(!condition_pins("assertion.ref == 'refs/heads/main'", false));
        assert!(!condition_pins(
            "assertion.repository == 'org/app' || assertion.ref == 'refs/heads/main'",
            false
        ));
        assert!(!condition_pins(
            "assertion.repository_owner_id != '123'",
            false
        ));
    }

    #[test]
    fn gitlab_conditions() {
        assert!(condition_pins(
            "assertion.namespace_path == 'acme' && assertion.ref == 'main'",
            true
        ));
        assert!(!condition_pins("assertion.ref_protected == 'true'", true));
    }
}
