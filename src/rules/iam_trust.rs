//! Rules over trust policies (`assume_role_policy`): who can become a role. Federation with
//! CI providers and Kubernetes clusters is judged on the claims its conditions pin.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::Facts;
use crate::model::iam::{Condition, PolicyDocument, PolicyKind, Statement, Val, arn_account};
use crate::source::Span;

fn trust_docs(facts: &Facts) -> impl Iterator<Item = &PolicyDocument> {
    facts
        .policies
        .iter()
        .filter(|d| d.kind == PolicyKind::Trust && !d.unknown && !d.aws_managed)
}

/// Conditions that tie an open principal back to the owner's organisation or a known caller.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "sts:ExternalId",
];

fn restricted(s: &Statement) -> bool {
    RESTRICTING_KEYS.iter().any(|k| s.has_condition_key(k))
}

/// The identity provider a web-identity statement trusts, as a host (`token.actions.
/// githubusercontent.com`), and the principal value to point at.
fn federated_issuer<'a>(facts: &Facts, s: &'a Statement) -> Option<(String, &'a Val)> {
    let p = s.principal.as_ref()?;
    let entry = p
        .entries
        .iter()
        .find(|e| e.kind.eq_ignore_ascii_case("Federated"))?;
    let v = &entry.value;
    let text = v.text.trim();
    if text.contains("saml-provider/") {
        return None;
    }
    let host = if v.known {
        match text.split_once("oidc-provider/") {
            Some((_, h)) => h.to_owned(),
            None => text.to_owned(),
        }
    } else if let Some(op) = facts
        .oidc_providers
        .iter()
        .find(|o| !o.host.is_empty() && text.contains(&o.address))
    {
        op.host.clone()
    } else {
        // An unresolved provider: the condition keys still name the issuer.
        s.conditions
            .iter()
            .find_map(|c| {
                c.key
                    .rsplit_once(':')
                    .filter(|(_, claim)| matches!(*claim, "sub" | "aud" | "amr"))
                    .map(|(h, _)| h.to_owned())
            })
            .unwrap_or_default()
    };
    Some((host.trim_end_matches('/').to_ascii_lowercase(), v))
}

/// Conditions on `<issuer>:<claim>` (GitHub Enterprise adds a path segment to the issuer).
fn claim_conditions<'a>(s: &'a Statement, host: &str, claim: &str) -> Vec<&'a Condition> {
    s.conditions
        .iter()
        .filter(|c| {
            let Some((issuer, cl)) = c.key.rsplit_once(':') else {
                return false;
            };
            let issuer = issuer.to_ascii_lowercase();
            cl.eq_ignore_ascii_case(claim)
                && (issuer == host
                    || issuer.starts_with(host)
                    || (!host.is_empty() && host.starts_with(&issuer)))
        })
        .collect()
}

fn is_like(c: &Condition) -> bool {
    c.base_op().contains("Like")
}

/// Web-identity statements of trust documents whose issuer matches `pred`.
fn federated(
    facts: &Facts,
    pred: fn(&str) -> bool,
) -> Vec<(&PolicyDocument, &Statement, String, &Val)> {
    let mut out = Vec::new();
    for d in trust_docs(facts) {
        for s in d.allows() {
            if let Some((host, v)) = federated_issuer(facts, s)
                && pred(&host)
            {
                out.push((d, s, host, v));
            }
        }
    }
    out
}

fn is_github(h: &str) -> bool {
    h.contains("token.actions.githubusercontent.com") || h.ends_with("/_services/token")
}

fn is_gitlab(h: &str) -> bool {
    h.contains("gitlab")
}

fn is_eks(h: &str) -> bool {
    h.starts_with("oidc.eks.") && h.contains(".amazonaws.com/id/")
}

// ----------------------------------------------------------------------------------------

pub struct AnyPrincipal;

impl Rule for AnyPrincipal {
    fn id(&self) -> &'static str {
        "trust-any-principal"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for d in trust_docs(cx.facts) {
            for s in d.allows() {
                let Some(p) = &s.principal else { continue };
                let anchor: Option<Span> = if p.not {
                    Some(p.key_span)
                } else {
                    p.entries
                        .iter()
                        .find(|e| {
                            e.value.is_star()
                                && (e.kind == "*" || e.kind.eq_ignore_ascii_case("AWS"))
                        })
                        .map(|e| e.value.span)
                };
                let Some(anchor) = anchor else { continue };
                let (sev, msg) = if restricted(s) {
                    (
                        Severity::Medium,
                        "role can be assumed by any AWS principal, limited only by an organisation or caller condition",
                    )
                } else if s.has_conditions() {
                    (
                        Severity::High,
                        "role can be assumed by any AWS principal; its conditions do not pin the caller",
                    )
                } else {
                    (
                        Severity::Critical,
                        "role can be assumed by any AWS principal, in any account",
                    )
                };
                out.push(
                    Hit::new(self.id(), anchor, &d.address, msg)
                        .label("any principal")
                        .context(d.host)
                        .severity(sev),
                );
            }
        }
    }
}

pub struct GithubOidcWeakSub;

impl Rule for GithubOidcWeakSub {
    fn id(&self) -> &'static str {
        "trust-github-oidc-weak-sub"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for (d, s, host, v) in federated(cx.facts, is_github) {
            let subs = claim_conditions(s, &host, "sub");
            if subs.is_empty() {
                if s.conditions_unknown {
                    continue;
                }
                out.push(
                    Hit::new(self.id(), v.span, &d.address, "trusts GitHub Actions OIDC without a `sub` condition: a workflow in any repository on GitHub can assume this role")
                        .label("no sub condition")
                        .context(d.host),
                );
                continue;
            }
            for c in subs {
                for val in c.values.iter().filter(|v| v.known) {
                    if let Some((sev, why)) = github_sub_problem(&val.text, is_like(c)) {
                        out.push(
                            Hit::new(
                                self.id(),
                                val.span,
                                &d.address,
                                format!("GitHub OIDC `sub` `{}` {why}", val.text),
                            )
                            .label("too broad")
                            .context(d.host)
                            .severity(sev)
                            .related(v.span, "GitHub OIDC provider"),
                        );
                    }
                }
            }
        }
    }
}

/// What is wrong with a GitHub `sub` pattern, if anything.
fn github_sub_problem(sub: &str, like: bool) -> Option<(Severity, &'static str)> {
    let t = sub.trim();
    let wild = |x: &str| like && x.contains(['*', '?']);
    if wild(t) && (t == "*" || t.starts_with('*')) {
        return Some((Severity::Critical, "matches every repository on GitHub"));
    }
    let Some(rest) = t.strip_prefix("repo:") else {
        // Claims such as `environment:prod` or `ref:refs/heads/main` exist in every repository.
        const ABUSABLE: &[&str] = &[
            "workflow:",
            "environment:",
            "ref:",
            "context:",
            "head_ref:",
            "base_ref:",
            "job_workflow_ref:",
            "pull_request",
            "actor:",
        ];
        if ABUSABLE.iter().any(|p| t.starts_with(p)) {
            return Some((
                Severity::Critical,
                "does not name a repository: any repository can produce this claim",
            ));
        }
        return None;
    };
    let owner = rest.split('/').next().unwrap_or("");
    if wild(owner) || owner.is_empty() {
        return Some((Severity::Critical, "matches repositories of any owner"));
    }
    let repo = rest.split_once('/').map(|(_, r)| r).unwrap_or("");
    let repo_name = repo.split(':').next().unwrap_or("");
    if wild(repo_name) {
        return Some((
            Severity::High,
            "matches every repository of the organisation",
        ));
    }
    None
}

pub struct GitlabOidcWeakSub;

impl Rule for GitlabOidcWeakSub {
    fn id(&self) -> &'static str {
        "trust-gitlab-oidc-weak-sub"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for (d, s, host, v) in federated(cx.facts, is_gitlab) {
            let subs = claim_conditions(s, &host, "sub");
            if subs.is_empty() {
                if s.conditions_unknown {
                    continue;
                }
                out.push(
                    Hit::new(self.id(), v.span, &d.address, format!("trusts GitLab OIDC ({host}) without a `sub` condition: a pipeline of any project can assume this role"))
                        .label("no sub condition")
                        .context(d.host),
                );
                continue;
            }
            for c in subs {
                for val in c.values.iter().filter(|v| v.known) {
                    let t = val.text.trim();
                    let like = is_like(c);
                    let problem = if like
                        && (t == "*"
                            || t.starts_with("project_path:*")
                            || !t.starts_with("project_path:") && t.contains('*'))
                    {
                        Some((Severity::Critical, "matches pipelines of any project"))
                    } else if let Some(rest) = t.strip_prefix("project_path:") {
                        let path = rest.split(':').next().unwrap_or("");
                        let (top, below) = path.split_once('/').unwrap_or((path, ""));
                        if like && top.contains('*') {
                            // `my-*/app`: anyone can create a matching top-level group.
                            Some((Severity::Critical, "matches projects of other groups"))
                        } else if like && below.contains('*') {
                            Some((Severity::High, "matches every project of the group"))
                        } else {
                            None
                        }
                    } else {
                        None
                    };
                    if let Some((sev, why)) = problem {
                        out.push(
                            Hit::new(
                                self.id(),
                                val.span,
                                &d.address,
                                format!("GitLab OIDC `sub` `{t}` {why}"),
                            )
                            .label("too broad")
                            .context(d.host)
                            .severity(sev)
                            .related(v.span, "GitLab OIDC provider"),
                        );
                    }
                }
            }
        }
    }
}

pub struct EksIrsaWeakSub;

impl Rule for EksIrsaWeakSub {
    fn id(&self) -> &'static str {
        "trust-eks-irsa-weak-sub"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for (d, s, host, v) in federated(cx.facts, is_eks) {
            let subs = claim_conditions(s, &host, "sub");
            if subs.is_empty() {
                if s.conditions_unknown {
                    continue;
                }
                out.push(
                    Hit::new(self.id(), v.span, &d.address, "trusts an EKS cluster's OIDC issuer without a `sub` condition: any pod of the cluster can assume this role")
                        .label("no sub condition")
                        .context(d.host),
                );
                continue;
            }
            for c in subs {
                for val in c.values.iter().filter(|v| v.known) {
                    let t = val.text.trim();
                    if !is_like(c) || !t.contains('*') {
                        continue;
                    }
                    let parts: Vec<&str> = t.split(':').collect();
                    let (sev, why) = match parts.as_slice() {
                        ["system", "serviceaccount", ns, _] if !ns.contains('*') => (
                            Severity::Medium,
                            "admits every service account of the namespace",
                        ),
                        _ => (Severity::High, "admits service accounts of any namespace"),
                    };
                    out.push(
                        Hit::new(
                            self.id(),
                            val.span,
                            &d.address,
                            format!("IRSA `sub` `{t}` {why}"),
                        )
                        .label("too broad")
                        .context(d.host)
                        .severity(sev),
                    );
                }
            }
        }
    }
}

pub struct OidcMissingAud;

impl Rule for OidcMissingAud {
    fn id(&self) -> &'static str {
        "trust-oidc-missing-aud"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for (d, s, host, v) in federated(cx.facts, |h| !h.is_empty()) {
            if s.conditions_unknown || !claim_conditions(s, &host, "aud").is_empty() {
                continue;
            }
            let pinned = cx
                .facts
                .oidc_providers
                .iter()
                .any(|o| o.host.eq_ignore_ascii_case(&host) && o.client_ids.len() == 1);
            let mut h = Hit::new(
                self.id(),
                v.span,
                &d.address,
                format!("web-identity trust of {host} does not check the token audience (`aud`)"),
            )
            .label("no aud condition")
            .context(d.host);
            if pinned {
                h = h.severity(Severity::Low);
                h.message
                    .push_str(" (the IAM OIDC provider accepts a single client id)");
            }
            out.push(h);
        }
    }
}

/// `arn:aws:iam::123456789012:root`, a bare account id, or the malformed
/// `arn:aws:iam::root` some configurations carry.
fn root_account(v: &Val) -> Option<&str> {
    if !v.known {
        return None;
    }
    let t = v.text.trim();
    if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t);
    }
    let rest = t.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_part, svc, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next(),
    );
    if svc != "iam" {
        return None;
    }
    match resource {
        Some("root") => Some(account),
        None if account == "root" => Some(""),
        _ => None,
    }
}

pub struct AccountRoot;

impl Rule for AccountRoot {
    fn id(&self) -> &'static str {
        "trust-account-root"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let own = &cx.facts.own_accounts;
        for d in trust_docs(cx.facts) {
            for s in d.allows() {
                let Some(p) = &s.principal else { continue };
                if p.not
                    || s.has_condition_key("aws:PrincipalArn")
                    || s.has_condition_key("sts:ExternalId")
                {
                    continue;
                }
                for e in p
                    .entries
                    .iter()
                    .filter(|e| e.kind.eq_ignore_ascii_case("AWS"))
                {
                    let Some(acct) = root_account(&e.value) else {
                        continue;
                    };
                    if !own.is_empty() && !acct.is_empty() && !own.iter().any(|o| o == acct) {
                        continue; // a foreign account: trust-cross-account-no-external-id
                    }
                    let mfa = s.has_condition_key("aws:MultiFactorAuthPresent");
                    let who = if acct.is_empty() {
                        "an account root".to_owned()
                    } else {
                        format!("account {acct}")
                    };
                    let mut h = Hit::new(
                        self.id(),
                        e.value.span,
                        &d.address,
                        format!("role trusts the whole of {who}: any principal there that is allowed sts:AssumeRole can become it"),
                    )
                    .label("account root")
                    .context(d.host);
                    if mfa {
                        h = h.severity(Severity::Low).confidence(Confidence::Medium);
                    }
                    out.push(h);
                }
            }
        }
    }
}

pub struct CrossAccountNoExternalId;

impl Rule for CrossAccountNoExternalId {
    fn id(&self) -> &'static str {
        "trust-cross-account-no-external-id"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let own = &cx.facts.own_accounts;
        if own.is_empty() {
            return; // which accounts are foreign is unknowable without the user's list
        }
        for d in trust_docs(cx.facts) {
            for s in d.allows() {
                let Some(p) = &s.principal else { continue };
                if p.not
                    || s.has_condition_key("sts:ExternalId")
                    || s.has_condition_key("aws:PrincipalOrgID")
                {
                    continue;
                }
                for e in p
                    .entries
                    .iter()
                    .filter(|e| e.kind.eq_ignore_ascii_case("AWS") && e.value.known)
                {
                    let t = e.value.text.trim();
                    let acct = if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
                        Some(t)
                    } else {
                        arn_account(t)
                    };
                    let Some(acct) =
                        acct.filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
                    else {
                        continue;
                    };
                    if own.iter().any(|o| o == acct) {
                        continue;
                    }
                    out.push(
                        Hit::new(
                            self.id(),
                            e.value.span,
                            &d.address,
                            format!("role trusts account {acct}, which is not one of yours, without an sts:ExternalId condition (confused deputy)"),
                        )
                        .label("foreign account")
                        .context(d.host),
                    );
                }
            }
        }
    }
}

pub struct TrustWildcardAction;

impl Rule for TrustWildcardAction {
    fn id(&self) -> &'static str {
        "trust-wildcard-action"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for d in trust_docs(cx.facts) {
            for s in d.allows() {
                let Some(f) = &s.action else { continue };
                if f.not {
                    continue;
                }
                for v in f
                    .values
                    .iter()
                    .filter(|v| v.known && matches!(v.text.trim(), "*" | "sts:*" | "*:*"))
                {
                    let mut msg = format!(
                        "trust policy allows `{}`: besides assuming the role, the principal may set session tags and source identity",
                        v.text.trim()
                    );
                    if s.resource.is_some() {
                        msg.push_str("; the statement also carries `Resource`, so permissions were probably meant for an identity policy");
                    }
                    out.push(
                        Hit::new(self.id(), v.span, &d.address, msg)
                            .label("every STS action")
                            .context(d.host),
                    );
                }
            }
        }
    }
}
