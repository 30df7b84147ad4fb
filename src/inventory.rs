//! The NHI inventory of a scan: every non-human identity (cloud users and roles, Kubernetes
//! ServiceAccounts, CI jobs that hold credentials) with what it can do, how far that reaches,
//! who or what can obtain it, how long a leaked credential lives, what runs as it and the
//! findings against it. Built once per scan from the identity graph; `nhiaudit inventory`
//! prints it as Markdown or JSON (schema in `docs/inventory.md`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::finding::{Finding, Severity, locate};
use crate::graph::Graph;
use crate::index::{RbacIndex, RoleTarget};
use crate::model::Facts;
use crate::model::identity::{
    BlastRadius, CloudIdentity, Lifetime, PrivilegeClass, Scope, Tier, TrustKind,
};
use crate::model::pipeline::{Job, Pipeline, Platform};
use crate::rules::ci::cloud_auths;
use crate::source::{Sources, Span};

/// Version of the JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The inventory of one scan, identities sorted by blast radius (highest first).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Inventory {
    pub schema_version: u32,
    pub identities: Vec<Identity>,
}

/// A place in the scanned files.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Loc {
    pub path: String,
    pub line: u32,
}

/// One line of a section (a grant, a way to obtain the identity, a consumer), with where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<PrivilegeClass>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Loc>,
}

/// A finding attributed to an identity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingRef {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub at: Loc,
    pub fingerprint: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Identity {
    /// Stable identifier: `aws:role:<path>#<address>`, `k8s:serviceaccount:<ns>/<name>`,
    /// `github-actions:job:<path>#<job>`, `gitlab-ci:job:<path>#<job>`.
    pub id: String,
    /// `AWS IAM role`, `AWS IAM user`, `Kubernetes ServiceAccount`, `GitHub Actions job`...
    pub kind: String,
    pub name: String,
    pub defined_at: Option<Loc>,
    /// How it authenticates (`STS session (assumed role)`, `static access key`...).
    pub credential: String,
    pub lifetime: Lifetime,
    /// Privilege classes it holds, directly or through a linked identity, highest first.
    pub classes: Vec<PrivilegeClass>,
    /// The AIOps action tier (`T0`..`T6`) and its name.
    pub tier: Tier,
    pub tier_name: String,
    pub scope: Scope,
    /// Who can obtain it, in a phrase (the broadest way).
    pub trust: String,
    pub blast_radius: BlastRadius,
    /// Declared function (`detect`, `recommend`, `execute`), from tags or annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    pub grants: Vec<Entry>,
    pub obtained_by: Vec<Entry>,
    pub runs_as: Vec<Entry>,
    /// Ids of the identities it becomes or is obtained through.
    pub links: Vec<String>,
    pub findings: Vec<FindingRef>,
    /// How findings are attributed: addresses in a directory, or line ranges of a file.
    #[serde(skip)]
    matcher: Matcher,
}

#[derive(Clone, Debug, Default)]
struct Matcher {
    /// Finding addresses that belong to the identity, with the directory their files are in
    /// (`None`: any directory).
    addresses: Vec<(String, Option<String>)>,
    /// Files and line ranges (inclusive) that are the identity's own.
    ranges: Vec<(String, u32, u32)>,
}

fn dir_of(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => path[..i].to_owned(),
        None => String::new(),
    }
}

fn top_class(classes: &[PrivilegeClass]) -> Option<PrivilegeClass> {
    classes.iter().min().copied()
}

fn trust_reach(id: &CloudIdentity) -> (f64, String) {
    let mut best = (0.0f64, String::new());
    let mut consider = |r: f64, what: String| {
        if r > best.0 {
            best = (r, what);
        }
    };
    for t in &id.trust {
        let subs: Vec<&str> = t.subs.iter().map(|(s, _)| s.as_str()).collect();
        let wild = t.like && subs.iter().any(|s| s.contains('*') || s.contains('?'));
        let shown = if subs.is_empty() {
            "any subject".to_owned()
        } else {
            subs.iter()
                .take(2)
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match t.kind {
            TrustKind::Anyone => consider(1.0, "any AWS principal".into()),
            TrustKind::Account => {
                let root = t.principal.ends_with(":root")
                    || t.principal.bytes().all(|b| b.is_ascii_digit());
                if root {
                    consider(0.8, format!("any principal of account {}", t.principal));
                } else {
                    consider(0.5, format!("principal {}", t.principal));
                }
            }
            TrustKind::Service => consider(0.5, format!("service {}", t.principal)),
            TrustKind::GithubOidc | TrustKind::GitlabOidc => {
                let who = if t.kind == TrustKind::GithubOidc {
                    "GitHub Actions"
                } else {
                    "GitLab CI"
                };
                if subs.is_empty() {
                    consider(1.0, format!("{who}: any repository"));
                } else if subs.iter().any(|s| {
                    *s == "*" || s.starts_with("repo:*") || s.starts_with("project_path:*")
                }) {
                    consider(1.0, format!("{who}: {shown}"));
                } else if subs.iter().any(|s| s.contains("/*")) && wild {
                    consider(0.8, format!("{who}: {shown} (org-wide)"));
                } else if wild && !subs.iter().all(|s| s.contains("environment:")) {
                    consider(0.6, format!("{who}: {shown} (any ref)"));
                } else if subs.iter().all(|s| s.contains("environment:")) {
                    consider(0.3, format!("{who}: {shown}"));
                } else {
                    consider(0.4, format!("{who}: {shown}"));
                }
            }
            TrustKind::KubernetesOidc => {
                if subs.is_empty()
                    || subs
                        .iter()
                        .any(|s| *s == "*" || s.starts_with("system:serviceaccount:*"))
                {
                    consider(1.0, format!("any pod of the cluster ({shown})"));
                } else if wild {
                    consider(0.6, format!("Kubernetes ServiceAccounts {shown}"));
                } else {
                    consider(0.3, format!("Kubernetes ServiceAccount {shown}"));
                }
            }
            TrustKind::OtherOidc => consider(
                if subs.is_empty() || wild { 1.0 } else { 0.4 },
                format!("OIDC {} ({shown})", t.principal),
            ),
            TrustKind::Saml => consider(0.5, format!("SAML federation {}", t.principal)),
        }
    }
    if !id.static_keys.is_empty() {
        consider(0.8, "whoever holds its access key".into());
    }
    if best.0 == 0.0 {
        best = if id.kind == "user" {
            (
                0.8,
                "whoever holds its credentials (created outside the scan)".into(),
            )
        } else {
            (0.5, "unknown (no trust policy in the scan)".into())
        };
    }
    best
}

/// `AWS IAM role deployer (ADMIN, CRED_EXPOSURE)`.
fn describe(id: &CloudIdentity) -> String {
    let cls: Vec<&str> = id.classes.iter().map(|x| x.as_str()).collect();
    format!(
        "{} {} ({})",
        kind_label(id),
        id.name.as_deref().unwrap_or(&id.address),
        if cls.is_empty() {
            "no recognised permissions".to_owned()
        } else {
            cls.join(", ")
        }
    )
}

/// `AWS IAM role`, `Google Cloud service account`, `Azure managed identity`.
fn kind_label(id: &CloudIdentity) -> String {
    if id.provider == "aws" {
        format!("AWS IAM {}", id.kind)
    } else {
        format!("{} {}", id.provider_name(), id.kind)
    }
}

/// ` (only when rbac.create is true)` for objects a chart creates only under other values.
fn only_when(condition: &Option<String>) -> String {
    condition
        .as_ref()
        .map(|c| format!(" (only when {c})"))
        .unwrap_or_default()
}

fn entry(text: impl Into<String>, class: Option<PrivilegeClass>, at: Option<Loc>) -> Entry {
    Entry {
        text: text.into(),
        class,
        at,
    }
}

fn site_loc(s: &crate::finding::Site) -> Loc {
    Loc {
        path: s.location.path.clone(),
        line: s.location.start.line,
    }
}

struct Ctx<'a> {
    facts: &'a Facts,
    sources: &'a Sources,
    secret_spans: Vec<Span>,
}

impl Ctx<'_> {
    fn loc(&self, span: Span) -> Option<Loc> {
        let f = self.sources.get(span.file)?;
        Some(Loc {
            path: f.display.clone(),
            line: f.line_col(span.start).line,
        })
    }

    fn range(&self, span: Span) -> Option<(String, u32, u32)> {
        let l = locate(self.sources, span, &self.secret_spans)?;
        Some((l.path, l.start.line, l.end.line))
    }
}

fn cloud_id(id: &CloudIdentity) -> String {
    let kind = id.kind.replace(' ', "-");
    if id.address.starts_with(&id.site.location.path) {
        // IAM JSON: the address already names the file
        format!("{}:{kind}:{}", id.provider, id.address)
    } else {
        format!(
            "{}:{kind}:{}#{}",
            id.provider, id.site.location.path, id.address
        )
    }
}

fn sa_id(ns: &str, name: &str) -> String {
    format!("k8s:serviceaccount:{ns}/{name}")
}

fn job_id(p: &Pipeline, job: &Job) -> String {
    let platform = match p.platform {
        Platform::GithubActions => "github-actions",
        Platform::GitlabCi => "gitlab-ci",
    };
    format!("{platform}:job:{}#{}", p.address, job.id)
}

/// Build the inventory (findings are attributed later, by [`Inventory::attribute`]).
pub fn build(facts: &Facts, sources: &Sources, rbac: &RbacIndex, graph: &Graph) -> Inventory {
    let cx = Ctx {
        facts,
        sources,
        secret_spans: facts.secrets.iter().map(|s| s.span).collect(),
    };
    let mut out = Vec::new();
    for (i, id) in graph.identities.iter().enumerate() {
        out.push(cloud_identity(&cx, graph, i, id));
    }
    out.extend(service_accounts(&cx, rbac, graph));
    out.extend(ci_jobs(&cx, graph));
    sort(&mut out);
    let out = merge_instances(out);
    Inventory {
        schema_version: SCHEMA_VERSION,
        identities: out,
    }
}

/// One resource evaluated in several contexts (a module directory on its own and through the
/// modules that call it) is one identity: keep the highest-scoring evaluation, with the
/// others' links, consumers and finding matchers merged in.
fn merge_instances(ids: Vec<Identity>) -> Vec<Identity> {
    let mut out: Vec<Identity> = Vec::with_capacity(ids.len());
    let mut seen: BTreeMap<(String, Loc, String), usize> = BTreeMap::new();
    for id in ids {
        let Some(at) = id.defined_at.clone() else {
            out.push(id);
            continue;
        };
        let key = (id.kind.clone(), at, id.name.clone());
        match seen.get(&key) {
            Some(&k) => {
                let keep = &mut out[k];
                for (mine, theirs) in [
                    (&mut keep.grants, id.grants),
                    (&mut keep.obtained_by, id.obtained_by),
                    (&mut keep.runs_as, id.runs_as),
                ] {
                    for e in theirs {
                        if !mine.contains(&e) {
                            mine.push(e);
                        }
                    }
                }
                for l in id.links {
                    if !keep.links.contains(&l) {
                        keep.links.push(l);
                    }
                }
                keep.matcher.addresses.extend(id.matcher.addresses);
                keep.matcher.ranges.extend(id.matcher.ranges);
            }
            None => {
                seen.insert(key, out.len());
                out.push(id);
            }
        }
    }
    out
}

fn sort(ids: &mut [Identity]) {
    ids.sort_by(|a, b| {
        b.blast_radius
            .score
            .total_cmp(&a.blast_radius.score)
            .then_with(|| a.tier.cmp(&b.tier).reverse())
            .then_with(|| a.id.cmp(&b.id))
    });
}

fn cloud_identity(cx: &Ctx, graph: &Graph, i: usize, id: &CloudIdentity) -> Identity {
    let pipelines = &cx.facts.pipelines.pipelines;
    let (reach, trust) = trust_reach(id);
    let mut runs_as: Vec<Entry> = id
        .used_by
        .iter()
        .map(|(what, s)| entry(what.clone(), None, Some(site_loc(s))))
        .collect();
    let mut links = Vec::new();
    for l in graph.sa_links.iter().filter(|l| l.identity == i) {
        let at = match &l.at {
            crate::finding::At::Span(s) => cx.loc(*s),
            crate::finding::At::Site(s) => Some(site_loc(s)),
        };
        runs_as.push(entry(
            format!(
                "Kubernetes ServiceAccount {}/{} ({}, matched by {})",
                l.namespace, l.name, l.how, l.matched
            ),
            None,
            at,
        ));
        links.push(sa_id(&l.namespace, &l.name));
    }
    for l in graph.job_links.iter().filter(|l| l.identity == i) {
        let p = &pipelines[l.pipeline];
        let job = &p.jobs[l.job];
        let env = job
            .environment
            .as_ref()
            .map(|(e, _)| format!(", environment {e}"))
            .unwrap_or_default();
        runs_as.push(entry(
            format!(
                "{} job `{}` of {}{env} (matched by {})",
                p.platform.name(),
                job.id,
                p.address,
                l.matched
            ),
            None,
            cx.loc(l.at),
        ));
        links.push(job_id(p, job));
    }
    let mut obtained_by: Vec<Entry> = Vec::new();
    for t in &id.trust {
        let what = match t.kind {
            TrustKind::Anyone => "any AWS principal".to_owned(),
            TrustKind::Account => format!("AWS principal {}", t.principal),
            TrustKind::Service => format!("AWS service {}", t.principal),
            TrustKind::GithubOidc => "GitHub Actions OIDC".into(),
            TrustKind::GitlabOidc => "GitLab CI OIDC".into(),
            TrustKind::KubernetesOidc => format!(
                "Kubernetes OIDC issuer {}",
                t.principal
                    .rsplit("oidc-provider/")
                    .next()
                    .unwrap_or(&t.principal)
            ),
            TrustKind::OtherOidc => format!("OIDC issuer {}", t.principal),
            TrustKind::Saml => format!("SAML provider {}", t.principal),
        };
        if t.subs.is_empty() {
            let cond = if matches!(
                t.kind,
                TrustKind::GithubOidc
                    | TrustKind::GitlabOidc
                    | TrustKind::KubernetesOidc
                    | TrustKind::OtherOidc
            ) {
                " with no `sub` condition"
            } else {
                ""
            };
            obtained_by.push(entry(
                format!("{what}{cond}"),
                None,
                Some(site_loc(&t.site)),
            ));
        }
        for (sub, s) in &t.subs {
            obtained_by.push(entry(
                format!("{what}, subject `{sub}`"),
                None,
                Some(site_loc(s)),
            ));
        }
    }
    for k in &id.static_keys {
        obtained_by.push(entry("holders of its static key", None, Some(site_loc(k))));
    }
    let grants: Vec<Entry> = id
        .grants
        .iter()
        .map(|(c, s, what)| entry(what.clone(), Some(*c), Some(site_loc(s))))
        .collect();
    let consumers = runs_as.len();
    let blast = BlastRadius::new(
        top_class(&id.classes),
        id.scope,
        reach,
        id.lifetime,
        consumers,
    );
    let tier = Tier::of(&id.classes);
    let credential = match (id.provider, id.kind, id.static_keys.len()) {
        ("aws", "role", _) => "STS session (assumed role)".to_owned(),
        ("aws", "user", 0) => "IAM user (keys or password created outside the scan)".to_owned(),
        ("aws", _, n) => format!("static access key ({n})"),
        ("gcp", _, 0) => {
            "short-lived tokens (impersonation, attached compute, workload identity)".to_owned()
        }
        ("gcp", _, n) => format!("user-managed service-account key ({n})"),
        _ => "managed identity tokens (short-lived)".to_owned(),
    };
    let dir = dir_of(&id.site.location.path);
    let json = id.site.location.path.ends_with(".json");
    Identity {
        id: cloud_id(id),
        kind: kind_label(id),
        name: id.name.clone().unwrap_or_else(|| id.address.clone()),
        defined_at: Some(site_loc(&id.site)),
        credential,
        lifetime: id.lifetime,
        classes: id.classes.clone(),
        tier,
        tier_name: tier.describe().to_owned(),
        scope: id.scope,
        trust,
        blast_radius: blast,
        function: id.function.clone(),
        grants,
        obtained_by,
        runs_as,
        links,
        findings: Vec::new(),
        matcher: Matcher {
            addresses: id
                .addresses
                .iter()
                .map(|a| (a.clone(), Some(dir.clone())))
                .collect(),
            ranges: if json {
                vec![(id.site.location.path.clone(), 1, u32::MAX)]
            } else {
                Vec::new()
            },
        },
    }
}

fn service_accounts(cx: &Ctx, rbac: &RbacIndex, graph: &Graph) -> Vec<Identity> {
    let k8s = &cx.facts.k8s;
    // Every ServiceAccount the scan defines, runs workloads as, or binds.
    let mut names: BTreeSet<(String, String)> = BTreeSet::new();
    for sa in &k8s.service_accounts {
        names.insert((sa.meta.ns().to_owned(), sa.meta.name.clone()));
    }
    for w in &k8s.workloads {
        names.insert((w.meta.ns().to_owned(), w.sa_name().to_owned()));
    }
    for b in &k8s.bindings {
        for s in b.subjects.iter().filter(|s| s.kind == "ServiceAccount") {
            names.insert((b.subject_ns(s).to_owned(), s.name.clone()));
        }
    }
    for l in &graph.sa_links {
        names.insert((l.namespace.clone(), l.name.clone()));
    }
    let mut out = Vec::new();
    for (ns, name) in names {
        let sa = rbac.service_account(&ns, &name);
        let mut classes: BTreeSet<PrivilegeClass> = BTreeSet::new();
        let mut grants: Vec<Entry> = Vec::new();
        let mut addresses: Vec<(String, Option<String>)> =
            vec![(format!("ServiceAccount/{ns}/{name}"), None)];
        let mut cluster_wide = false;
        // One entry per binding: the classes it gives and where its highest is granted.
        let mut per_binding: BTreeMap<usize, (BTreeSet<PrivilegeClass>, Option<Span>)> =
            BTreeMap::new();
        for g in rbac.service_account_grants(&ns, &name) {
            let c = g.rule.rule.classes();
            cluster_wide |= g.namespace.is_none();
            let e = per_binding.entry(g.binding).or_default();
            let top_before = e.0.iter().next().copied();
            e.0.extend(c.iter().copied());
            let top_now = e.0.iter().next().copied();
            if (e.1.is_none() || top_now != top_before)
                && !g.rule.rule.span.is_empty()
                && !c.is_empty()
                && c.contains(&top_now.unwrap_or(PrivilegeClass::Observe))
            {
                e.1 = Some(g.rule.rule.span);
            }
            classes.extend(c);
        }
        for (bi, (c, span)) in &per_binding {
            let b = &k8s.bindings[*bi];
            addresses.push((b.meta.address.clone(), None));
            let role = match rbac.targets[*bi] {
                RoleTarget::Scan(r) => {
                    addresses.push((rbac.role(r).meta.address.clone(), None));
                    rbac.role(r).meta.address.clone()
                }
                RoleTarget::Builtin(n) => format!("built-in ClusterRole {n}"),
                RoleTarget::Missing => format!("{} {} (not in the scan)", b.role_kind, b.role_name),
            };
            let where_ = match rbac.binding_scope(*bi) {
                None => "cluster-wide".to_owned(),
                Some(n) => format!("in namespace {n}"),
            };
            let cls: Vec<&str> = c.iter().map(|x| x.as_str()).collect();
            let what = if cls.is_empty() {
                "no recognised permissions".to_owned()
            } else {
                cls.join(", ")
            };
            let cond = b
                .meta
                .condition
                .as_ref()
                .or_else(|| match rbac.targets[*bi] {
                    RoleTarget::Scan(r) => rbac.role(r).meta.condition.as_ref(),
                    _ => None,
                });
            grants.push(entry(
                format!(
                    "{role} through {} {where_}: {what}{}",
                    b.meta.address,
                    only_when(&cond.cloned())
                ),
                c.iter().next().copied(),
                span.and_then(|s| cx.loc(s)).or_else(|| cx.loc(b.role_span)),
            ));
        }
        let mut links = Vec::new();
        let mut scope = if cluster_wide {
            Scope::Account
        } else {
            Scope::Namespace
        };
        for l in graph
            .sa_links
            .iter()
            .filter(|l| l.namespace == ns && l.name == name)
        {
            let id = &graph.identities[l.identity];
            classes.extend(id.classes.iter().copied());
            scope = scope.max(id.scope);
            let top = top_class(&id.classes);
            let at = match &l.at {
                crate::finding::At::Span(s) => cx.loc(*s),
                crate::finding::At::Site(s) => Some(site_loc(s)),
            };
            grants.push(entry(
                format!("becomes {} through its {}", describe(id), l.how),
                top,
                at,
            ));
            links.push(cloud_id(id));
        }
        let classes: Vec<PrivilegeClass> = classes.into_iter().collect();
        let workloads: Vec<_> = k8s
            .workloads
            .iter()
            .filter(|w| w.meta.ns() == ns && w.sa_name() == name)
            .collect();
        let runs_as: Vec<Entry> = workloads
            .iter()
            .map(|w| {
                let at = w
                    .service_account
                    .as_ref()
                    .map(|(_, s)| *s)
                    .unwrap_or(w.pod_spec_key);
                entry(format!("{} {}", w.meta.kind, w.meta.name), None, cx.loc(at))
            })
            .collect();
        for w in &workloads {
            addresses.push((w.meta.address.clone(), None));
        }
        let mut obtained_by: Vec<Entry> = Vec::new();
        let token_secrets: Vec<_> = k8s
            .secrets
            .iter()
            .filter(|s| {
                s.meta.ns() == ns
                    && s.secret_type
                        .as_ref()
                        .is_some_and(|(t, _)| t == "kubernetes.io/service-account-token")
                    && s.meta
                        .annotation("kubernetes.io/service-account.name")
                        .is_some_and(|(n, _)| n == name)
            })
            .collect();
        for s in &token_secrets {
            obtained_by.push(entry(
                format!(
                    "readers of Secret {ns}/{} (a non-expiring token){}",
                    s.meta.name,
                    only_when(&s.meta.condition)
                ),
                None,
                cx.loc(s.meta.name_span),
            ));
            addresses.push((s.meta.address.clone(), None));
        }
        // A token Secret a chart creates only under non-default values does not make the
        // credential static by default.
        let token_secrets: Vec<_> = token_secrets
            .into_iter()
            .filter(|s| s.meta.condition.is_none())
            .collect();
        // Subjects other than the ServiceAccount itself that can run pods as it.
        let creators: Vec<usize> = Graph::pod_creators(rbac, &ns)
            .into_iter()
            .filter(|&b| {
                let bd = &k8s.bindings[b];
                bd.subjects.iter().any(|s| {
                    !(s.kind == "ServiceAccount" && s.name == name && bd.subject_ns(s) == ns)
                })
            })
            .collect();
        for &b in creators.iter().take(10) {
            let bd = &k8s.bindings[b];
            let subjects: Vec<String> = bd
                .subjects
                .iter()
                .take(3)
                .map(|s| match s.kind.as_str() {
                    "ServiceAccount" => format!("ServiceAccount {}/{}", bd.subject_ns(s), s.name),
                    k => format!("{k} {}", s.name),
                })
                .collect();
            obtained_by.push(entry(
                format!(
                    "{} (can create pods in {ns}) through {}",
                    subjects.join(", "),
                    bd.meta.address
                ),
                None,
                cx.loc(bd.role_span),
            ));
        }
        if !workloads.is_empty() {
            obtained_by.push(entry(
                format!("code running in its {} workload(s)", workloads.len()),
                None,
                None,
            ));
        }
        let lifetime = if token_secrets.is_empty() {
            Lifetime::ShortLived
        } else {
            Lifetime::Static
        };
        let credential = if token_secrets.is_empty() {
            "projected ServiceAccount token (bound, expiring)".to_owned()
        } else {
            "legacy ServiceAccount token Secret (never expires)".to_owned()
        };
        let (reach, trust) = if !creators.is_empty() {
            (
                0.8,
                format!(
                    "its pods, and {} binding(s) that can create pods in {ns}",
                    creators.len()
                ),
            )
        } else if !token_secrets.is_empty() {
            (0.8, "readers of its token Secret".to_owned())
        } else if !workloads.is_empty() {
            (0.6, format!("its {} workload(s)", workloads.len()))
        } else {
            (0.3, "nothing in the scan runs as it".to_owned())
        };
        let tier = Tier::of(&classes);
        let function = sa
            .and_then(|s| s.meta.annotation("nhiaudit.io/function"))
            .map(|(f, _)| f.to_owned());
        out.push(Identity {
            id: sa_id(&ns, &name),
            kind: "Kubernetes ServiceAccount".into(),
            name: format!("{ns}/{name}"),
            defined_at: sa.and_then(|s| cx.loc(s.meta.name_span)),
            credential,
            lifetime,
            blast_radius: BlastRadius::new(
                top_class(&classes),
                scope,
                reach,
                lifetime,
                workloads.len(),
            ),
            classes,
            tier,
            tier_name: tier.describe().to_owned(),
            scope,
            trust,
            function,
            grants,
            obtained_by,
            runs_as,
            links,
            findings: Vec::new(),
            matcher: Matcher {
                addresses,
                ranges: Vec::new(),
            },
        });
    }
    out
}

fn ci_jobs(cx: &Ctx, graph: &Graph) -> Vec<Identity> {
    let mut out = Vec::new();
    for (pi, p) in cx.facts.pipelines.pipelines.iter().enumerate() {
        for (ji, job) in p.jobs.iter().enumerate().filter(|(_, j)| !j.template) {
            let auths = cloud_auths(p, job);
            let secrets = job.secret_refs(cx.sources);
            let perms = job.permissions.as_ref().or(p.permissions.as_ref());
            let writes: Vec<(String, Span)> = match perms {
                Some(pm) => match pm.write_all() {
                    Some(s) => vec![("write-all".to_owned(), s)],
                    None => pm
                        .writes()
                        .into_iter()
                        .map(|(n, s)| (format!("{n}: write"), s))
                        .collect(),
                },
                None => Vec::new(),
            };
            let links: Vec<&crate::graph::JobLink> = graph
                .job_links
                .iter()
                .filter(|l| l.pipeline == pi && l.job == ji)
                .collect();
            if auths.is_empty()
                && secrets.is_empty()
                && writes.is_empty()
                && links.is_empty()
                && job.id_tokens.is_empty()
            {
                continue;
            }
            let mut classes: BTreeSet<PrivilegeClass> = BTreeSet::new();
            let mut scope = Scope::NamedResources;
            let mut grants: Vec<Entry> = Vec::new();
            let mut link_ids = Vec::new();
            for l in &links {
                let id = &graph.identities[l.identity];
                classes.extend(id.classes.iter().copied());
                scope = scope.max(id.scope);
                grants.push(entry(
                    format!("assumes {}", describe(id)),
                    top_class(&id.classes),
                    cx.loc(l.at),
                ));
                link_ids.push(cloud_id(id));
            }
            let static_auth = auths.iter().any(|(a, _)| a.is_static());
            for (a, s) in &auths {
                if a.is_static() {
                    grants.push(entry(
                        format!(
                            "static {} credentials (power decided outside the scan)",
                            a.cloud()
                        ),
                        None,
                        cx.loc(*s),
                    ));
                } else if links.is_empty() {
                    grants.push(entry(
                        format!("{} federation (role not in the scan)", a.cloud()),
                        None,
                        cx.loc(*s),
                    ));
                }
            }
            for (w, s) in &writes {
                let token = if p.platform == Platform::GithubActions {
                    "GITHUB_TOKEN"
                } else {
                    "CI_JOB_TOKEN"
                };
                grants.push(entry(format!("{token} {w}"), None, cx.loc(*s)));
            }
            let mut seen = BTreeSet::new();
            for (name, s) in &secrets {
                if seen.insert(name.clone()) && seen.len() <= 10 {
                    grants.push(entry(format!("secret {name}"), None, cx.loc(*s)));
                }
            }
            if seen.len() > 10 {
                grants.push(entry(
                    format!("… and {} more secrets", seen.len() - 10),
                    None,
                    None,
                ));
            }
            let mut obtained_by = Vec::new();
            for t in &p.triggers {
                obtained_by.push(entry(format!("trigger `{}`", t.name), None, cx.loc(t.span)));
            }
            if let Some((e, s)) = &job.environment {
                obtained_by.push(entry(format!("gated by environment `{e}` (reviewers and branch rules live in the repository settings)"), None, cx.loc(*s)));
            }
            let runs_as: Vec<Entry> = job
                .steps
                .iter()
                .filter_map(|s| s.uses.as_ref())
                .filter(|(u, _)| !u.starts_with("./"))
                .take(15)
                .map(|(u, s)| entry(format!("action {u}"), None, cx.loc(*s)))
                .collect();
            let untrusted = [
                "pull_request_target",
                "workflow_run",
                "issue_comment",
                "issues",
                "pull_request_review_comment",
            ];
            let (reach, trust) = if job.environment.is_some() {
                (0.3, "runs behind an environment gate".to_owned())
            } else if let Some(t) = p
                .triggers
                .iter()
                .find(|t| untrusted.contains(&t.name.as_str()))
            {
                (1.0, format!("anyone who can trigger `{}`", t.name))
            } else if p
                .triggers
                .iter()
                .any(|t| t.name == "pull_request" || t.name == "merge_request_event")
            {
                (0.8, "pull request authors".to_owned())
            } else {
                (0.6, "anyone who can push to a triggering ref".to_owned())
            };
            let lifetime = if static_auth || !seen.is_empty() {
                Lifetime::Static
            } else {
                Lifetime::ShortLived
            };
            let credential = match (
                static_auth,
                !seen.is_empty(),
                !links.is_empty() || auths.iter().any(|(a, _)| !a.is_static()),
            ) {
                (true, _, _) => "static cloud keys from CI secrets".to_owned(),
                (false, true, true) => "OIDC federation and stored secrets".to_owned(),
                (false, true, false) => "stored secrets".to_owned(),
                (false, false, true) => "OIDC federation".to_owned(),
                (false, false, false) => "job token only".to_owned(),
            };
            let classes: Vec<PrivilegeClass> = classes.into_iter().collect();
            let tier = Tier::of(&classes);
            let range = cx.range(job.span);
            out.push(Identity {
                id: job_id(p, job),
                kind: format!("{} job", p.platform.name()),
                name: format!(
                    "{}#{}",
                    p.address.rsplit('/').next().unwrap_or(&p.address),
                    job.id
                ),
                defined_at: cx.loc(job.key_span),
                credential,
                lifetime,
                blast_radius: BlastRadius::new(top_class(&classes), scope, reach, lifetime, 1),
                classes,
                tier,
                tier_name: tier.describe().to_owned(),
                scope,
                trust,
                function: None,
                grants,
                obtained_by,
                runs_as,
                links: link_ids,
                findings: Vec::new(),
                matcher: Matcher {
                    addresses: vec![(format!("{}#{}", p.address, job.id), None)],
                    ranges: range.into_iter().collect(),
                },
            });
        }
    }
    out
}

impl Inventory {
    /// Attribute the scan's (final, unsuppressed) findings to the identities they are about.
    pub fn attribute(&mut self, findings: &[Finding]) {
        for id in &mut self.identities {
            id.findings.clear();
            for f in findings.iter().filter(|f| f.suppression.is_none()) {
                let path = &f.location.path;
                let line = f.location.start.line;
                let by_address = id.matcher.addresses.iter().any(|(a, dir)| {
                    *a == f.address && dir.as_ref().is_none_or(|d| dir_of(path) == *d)
                });
                let by_range = id
                    .matcher
                    .ranges
                    .iter()
                    .any(|(p, s, e)| p == path && (*s..=*e).contains(&line));
                if by_address || by_range {
                    id.findings.push(FindingRef {
                        rule: f.rule.to_owned(),
                        severity: f.severity,
                        message: f.message.clone(),
                        at: Loc {
                            path: path.clone(),
                            line,
                        },
                        fingerprint: f.fingerprint.clone(),
                    });
                }
            }
            id.findings.sort_by(|a, b| {
                a.severity
                    .cmp(&b.severity)
                    .reverse()
                    .then_with(|| a.at.cmp(&b.at))
                    .then_with(|| a.rule.cmp(&b.rule))
            });
        }
    }
}
