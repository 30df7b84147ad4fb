//! Kubernetes RBAC rules: what a Role or ClusterRole allows, judged with the bindings that
//! reach it (cluster-wide, in a privileged namespace, in one namespace, or not bound in the
//! scan), and bindings that hand out too much.
//!
//! A `*` is reported by `k8s-rbac-wildcard`, whose message names the dangerous capabilities it
//! includes; the capability rules fire on resources named explicitly, so one wildcard is one
//! finding. Findings on a role name the bindings that grant it as related locations, and
//! findings on a binding name the role's granting rule.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::index::{RbacIndex, RoleTarget};
use crate::model::identity::PrivilegeClass;
use crate::model::rbac::{CONTROLLERS, Meta, PRIVILEGED_NAMESPACES, PolicyRule, Role, broad_group};
use crate::source::Span;

/// How far a role's rules reach through the bindings of the scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Cluster,
    PrivilegedNamespace,
    Namespace,
    /// No binding in the scan refers to the role.
    Unbound,
}

impl Reach {
    pub fn phrase(self) -> &'static str {
        match self {
            Reach::Cluster => "cluster-wide",
            Reach::PrivilegedNamespace => "in a privileged namespace",
            Reach::Namespace => "in one namespace",
            Reach::Unbound => "(no binding in the scan)",
        }
    }
}

pub fn reach(rbac: &RbacIndex, role: usize) -> (Reach, Vec<usize>) {
    let r = rbac.role(role);
    let bindings = rbac.bindings_of(role);
    let k8s = rbac.k8s;
    let privileged = |ns: &str| PRIVILEGED_NAMESPACES.contains(&ns);
    let reach = if r.cluster && bindings.iter().any(|&b| k8s.bindings[b].cluster) {
        Reach::Cluster
    } else if bindings
        .iter()
        .any(|&b| privileged(k8s.bindings[b].meta.ns()))
        || (!r.cluster && privileged(r.meta.ns()))
    {
        Reach::PrivilegedNamespace
    } else if !bindings.is_empty() {
        Reach::Namespace
    } else {
        Reach::Unbound
    };
    (reach, bindings)
}

/// Scale a rule's base severity by reach: namespaced grants one step lower; a Role bound
/// nowhere in the scan one step lower; a ClusterRole bound nowhere keeps its severity, at
/// lower confidence (its binding is usually elsewhere).
fn scaled(base: Severity, reach: Reach, role: &Role) -> (Severity, Option<Confidence>) {
    match reach {
        Reach::Cluster | Reach::PrivilegedNamespace => (base, None),
        Reach::Namespace => (base.lower(), None),
        Reach::Unbound if role.cluster => (base, Some(Confidence::Medium)),
        Reach::Unbound => (base.lower(), Some(Confidence::Medium)),
    }
}

/// A finding on an object its source creates only under a condition (a Helm template's
/// `{{ if .Values.rbac.create }}` false by default, or an `if` around the offending lines)
/// says what must hold, and is one step less certain. The Kubernetes rules' hits on an
/// object pass here (the token rules add their grants' conditions via [`holds_only_when`]).
pub(crate) fn conditional(h: Hit, meta: &Meta) -> Hit {
    let at = match &h.primary {
        crate::finding::At::Span(s) => *s,
        crate::finding::At::Site(_) => meta.span,
    };
    let c = meta.condition_at(at);
    holds_only_when(h, c)
}

/// Conditions that must all hold, as one phrase, each said once.
pub(crate) fn all_of(parts: impl IntoIterator<Item = String>) -> Option<String> {
    let mut atoms: Vec<String> = Vec::new();
    for p in parts {
        for a in p.split(" and ") {
            if !atoms.iter().any(|x| x == a) {
                atoms.push(a.to_owned());
            }
        }
    }
    (!atoms.is_empty()).then(|| atoms.join(" and "))
}

/// Say what must hold for a hit to be true (when anything must), one step less certain.
pub(crate) fn holds_only_when(mut h: Hit, condition: Option<String>) -> Hit {
    let Some(c) = condition else {
        return h;
    };
    h.message = format!("{} (holds only when {c})", h.message);
    let base = h
        .confidence
        .or_else(|| super::meta(h.rule).map(|m| m.confidence))
        .unwrap_or(Confidence::High);
    h.confidence(base.lower())
}

/// Related locations for a role finding: the bindings that grant it and to whom.
fn binding_notes(rbac: &RbacIndex, bindings: &[usize], mut h: Hit) -> Hit {
    for &b in bindings.iter().take(5) {
        let bd = &rbac.k8s.bindings[b];
        let who: Vec<String> = bd
            .subjects
            .iter()
            .take(3)
            .map(|s| format!("{} {}", s.kind, s.name))
            .collect();
        h = h.related(
            bd.role_span,
            format!("bound by {} to {}", bd.meta.address, who.join(", ")),
        );
    }
    h
}

/// Run `check` over every rule of every role in the scan, reporting what it returns with the
/// role's reach.
fn role_rule(
    cx: &Cx,
    out: &mut Vec<Hit>,
    id: &'static str,
    check: impl Fn(&PolicyRule) -> Option<(Span, Severity, String)>,
) {
    let Some(rbac) = cx.rbac else { return };
    for (ri, role) in rbac.k8s.roles.iter().enumerate() {
        let mut reach_cache = None;
        for rule in &role.rules {
            let Some((anchor, base, what)) = check(rule) else {
                continue;
            };
            let (reach, bindings) = reach_cache.get_or_insert_with(|| reach(rbac, ri)).clone();
            let (sev, conf) = scaled(base, reach, role);
            let mut h = Hit::new(
                id,
                anchor,
                &role.meta.address,
                format!(
                    "{} {} {what} {}",
                    role.meta.kind,
                    role.meta.name,
                    reach.phrase()
                ),
            )
            .severity(sev)
            .context(rule.span)
            .classes(rule.classes().to_vec());
            if let Some(c) = conf {
                h = h.confidence(c);
            }
            out.push(binding_notes(rbac, &bindings, conditional(h, &role.meta)));
        }
    }
}

/// The item naming `resource` explicitly (not through `*`).
fn explicit(rule: &PolicyRule, resources: &[&str]) -> Option<Span> {
    rule.resources
        .iter()
        .find(|r| resources.contains(&r.text.as_str()))
        .map(|r| r.span)
}

fn verb_item(rule: &PolicyRule, verbs: &[&str]) -> Option<Span> {
    rule.verbs
        .iter()
        .find(|v| verbs.contains(&v.text.as_str()) || v.text == "*")
        .map(|v| v.span)
}

fn group_ok(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups
        .iter()
        .any(|g| g.text == "*" || g.text == group)
}

// ----------------------------------------------------------------------------------------

pub struct Wildcard;

impl Rule for Wildcard {
    fn id(&self) -> &'static str {
        "k8s-rbac-wildcard"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            let star = |items: &[crate::model::rbac::Item]| {
                items.iter().find(|i| i.text == "*").map(|i| i.span)
            };
            let (g, r, v) = (
                star(&rule.api_groups),
                star(&rule.resources),
                star(&rule.verbs),
            );
            let first = [g, r, v].into_iter().flatten().min_by_key(|s| s.start)?;
            let fields: Vec<&str> = [("apiGroups", g), ("resources", r), ("verbs", v)]
                .iter()
                .filter(|(_, s)| s.is_some())
                .map(|(n, _)| *n)
                .collect();
            let everything = rule.wildcard_everything();
            let base = if everything {
                Severity::Critical
            } else if r.is_some() && v.is_some()
                || r.is_some()
                    && rule.verbs.iter().any(|x| {
                        matches!(
                            x.text.as_str(),
                            "create"
                                | "update"
                                | "patch"
                                | "delete"
                                | "escalate"
                                | "bind"
                                | "impersonate"
                        )
                    })
            {
                Severity::High
            } else {
                Severity::Medium
            };
            // A wildcard is never milder than the capabilities it covers would be if named:
            // `resources: ["*"]` with `list` reads every Secret, as `k8s-rbac-secret-read` says.
            let rbac = "rbac.authorization.k8s.io";
            let implied = if rule.named() {
                Severity::Medium
            } else if rule.grants("", "secrets", &["list", "watch"])
                || rule.grants(rbac, "roles", &["escalate", "bind"])
                || rule.grants(rbac, "clusterroles", &["escalate", "bind"])
                || ["users", "groups", "serviceaccounts"]
                    .iter()
                    .any(|r| rule.grants("", r, &["impersonate"]))
            {
                Severity::Critical
            } else if rule.classes().iter().any(|c| {
                matches!(
                    c,
                    PrivilegeClass::Privesc
                        | PrivilegeClass::IamModification
                        | PrivilegeClass::CredExposure
                )
            }) {
                Severity::High
            } else {
                Severity::Medium
            };
            let base = base.max(implied);
            let classes: Vec<&str> = rule
                .classes()
                .iter()
                .copied()
                .filter(|c| !matches!(c, PrivilegeClass::Observe | PrivilegeClass::Operate))
                .map(class_phrase)
                .collect();
            let what = if everything {
                "allows every verb on every resource (cluster-admin equivalent)".to_owned()
            } else if classes.is_empty() {
                format!("uses `*` in {}", fields.join(" and "))
            } else {
                format!(
                    "uses `*` in {}, which includes {}",
                    fields.join(" and "),
                    classes.join(", ")
                )
            };
            Some((first, base, what))
        });
    }
}

fn class_phrase(c: PrivilegeClass) -> &'static str {
    match c {
        PrivilegeClass::Admin => "full control",
        PrivilegeClass::Privesc => "privilege escalation",
        PrivilegeClass::IamModification => "RBAC changes",
        PrivilegeClass::CredExposure => "reading secrets or minting tokens",
        PrivilegeClass::InfraDestruction => "deletion",
        PrivilegeClass::Operate => "operations",
        PrivilegeClass::Observe => "reads",
    }
}

pub struct EscalateBindImpersonate;

impl Rule for EscalateBindImpersonate {
    fn id(&self) -> &'static str {
        "k8s-rbac-escalate-bind-impersonate"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let rbac = "rbac.authorization.k8s.io";
        role_rule(cx, out, self.id(), |rule| {
            let named = |v: &str| rule.verbs.iter().find(|x| x.text == v).map(|x| x.span);
            let lowered = |s: Severity| if rule.named() { Severity::Medium } else { s };
            if let Some(v) = named("escalate").filter(|_| {
                group_ok(rule, rbac)
                    && rule.covers(rbac, "roles") | rule.covers(rbac, "clusterroles")
            }) {
                return Some((
                    v,
                    lowered(Severity::Critical),
                    "allows `escalate` on roles: it can grant permissions it does not hold".into(),
                ));
            }
            if let Some(v) = named("bind").filter(|_| {
                group_ok(rule, rbac)
                    && (rule.covers(rbac, "roles")
                        || rule.covers(rbac, "clusterroles")
                        || rule.covers(rbac, "rolebindings")
                        || rule.covers(rbac, "clusterrolebindings"))
            }) {
                return Some((
                    v,
                    lowered(Severity::Critical),
                    "allows `bind`: it can bind any role, including cluster-admin, to itself"
                        .into(),
                ));
            }
            if let Some(v) = named("impersonate") {
                let what = ["serviceaccounts", "users", "groups", "userextras/*", "uids"]
                    .iter()
                    .filter(|r| {
                        rule.covers("", r)
                            || rule.covers("authentication.k8s.io", r)
                            // Each extra key is its own subresource (`userextras/scopes`).
                            || (**r == "userextras/*"
                                && group_ok(rule, "authentication.k8s.io")
                                && rule.resources.iter().any(|x| x.text.starts_with("userextras/")))
                    })
                    .copied()
                    .collect::<Vec<_>>();
                if !what.is_empty() {
                    return Some((
                        v,
                        lowered(Severity::Critical),
                        format!("allows `impersonate` of {}", what.join(", ")),
                    ));
                }
            }
            None
        });
    }
}

pub struct SecretRead;

impl Rule for SecretRead {
    fn id(&self) -> &'static str {
        "k8s-rbac-secret-read"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            let anchor = explicit(rule, &["secrets"])?;
            if !group_ok(rule, "") {
                return None;
            }
            verb_item(rule, &["get", "list", "watch"])?;
            let listing = rule.has_verb("list") || rule.has_verb("watch");
            // With resourceNames, `list` and `watch` are authorized only for requests that
            // select those names (`metadata.name` field selector): still just the named Secrets.
            let (sev, what) = if rule.named() {
                (Severity::Low, "reads the named Secrets")
            } else if listing {
                (Severity::Critical, "can list and read every Secret")
            } else {
                (Severity::High, "reads Secrets by name")
            };
            Some((anchor, sev, what.to_owned()))
        });
    }
}

pub struct PodExec;

impl Rule for PodExec {
    fn id(&self) -> &'static str {
        "k8s-rbac-pod-exec"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            let anchor = explicit(rule, &["pods/exec", "pods/attach", "*/exec", "*/attach"])?;
            // `create` is the classic verb; `get` upgrades to exec over WebSocket.
            verb_item(rule, &["create", "get"])?;
            group_ok(rule, "").then(|| {
                (
                    anchor,
                    Severity::High,
                    "can run commands in pods (`pods/exec` / `pods/attach`)".to_owned(),
                )
            })
        });
    }
}

pub struct PodCreate;

impl Rule for PodCreate {
    fn id(&self) -> &'static str {
        "k8s-rbac-pod-create"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            if let Some(a) = explicit(rule, &["pods"])
                && group_ok(rule, "")
                && verb_item(rule, &["create"]).is_some()
            {
                return Some((
                    a,
                    Severity::High,
                    "can create pods, and so run as any ServiceAccount of their namespace"
                        .to_owned(),
                ));
            }
            for (g, r) in CONTROLLERS {
                if let Some(a) = explicit(rule, &[r])
                    && group_ok(rule, g)
                    && verb_item(rule, &["create", "update", "patch"]).is_some()
                {
                    return Some((
                        a,
                        Severity::High,
                        format!(
                            "can create or change {r}, and so run pods as any ServiceAccount of their namespace"
                        ),
                    ));
                }
            }
            None
        });
    }
}

pub struct NodesProxy;

impl Rule for NodesProxy {
    fn id(&self) -> &'static str {
        "k8s-rbac-nodes-proxy"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            let a = explicit(rule, &["nodes/proxy"])?;
            (group_ok(rule, "") && !rule.verbs.is_empty()).then(|| {
                (a, Severity::High, "can reach the kubelet API through `nodes/proxy` (even `get` runs commands in any pod of the node)".to_owned())
            })
        });
    }
}

pub struct WebhookControl;

impl Rule for WebhookControl {
    fn id(&self) -> &'static str {
        "k8s-rbac-webhook-control"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            let a = explicit(
                rule,
                &[
                    "mutatingwebhookconfigurations",
                    "validatingwebhookconfigurations",
                ],
            )?;
            (group_ok(rule, "admissionregistration.k8s.io") && verb_item(rule, &["create", "update", "patch"]).is_some()).then(|| {
                (a, Severity::High, "can change admission webhooks, which see (and may rewrite) every object sent to the API, Secrets included".to_owned())
            })
        });
    }
}

pub struct RbacWrite;

impl Rule for RbacWrite {
    fn id(&self) -> &'static str {
        "k8s-rbac-rbac-write"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let rbac = "rbac.authorization.k8s.io";
        role_rule(cx, out, self.id(), |rule| {
            let a = explicit(
                rule,
                &[
                    "roles",
                    "clusterroles",
                    "rolebindings",
                    "clusterrolebindings",
                ],
            )?;
            (group_ok(rule, rbac) && verb_item(rule, &["create", "update", "patch"]).is_some())
                .then(|| {
                    (
                        a,
                        Severity::High,
                        "can create or change roles and bindings".to_owned(),
                    )
                })
        });
    }
}

pub struct TokenRequest;

impl Rule for TokenRequest {
    fn id(&self) -> &'static str {
        "k8s-rbac-token-request"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        role_rule(cx, out, self.id(), |rule| {
            let a = explicit(rule, &["serviceaccounts/token"])?;
            (group_ok(rule, "") && verb_item(rule, &["create"]).is_some()).then(|| {
                (
                    a,
                    Severity::High,
                    "can mint tokens for ServiceAccounts (`serviceaccounts/token`)".to_owned(),
                )
            })
        });
    }
}

pub struct CsrApproval;

impl Rule for CsrApproval {
    fn id(&self) -> &'static str {
        "k8s-rbac-csr-approval"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let g = "certificates.k8s.io";
        role_rule(cx, out, self.id(), |rule| {
            let a = explicit(rule, &["certificatesigningrequests/approval", "signers"])?;
            let approves = (rule.covers(g, "certificatesigningrequests/approval")
                && verb_item(rule, &["update", "patch"]).is_some())
                || (rule.covers(g, "signers") && verb_item(rule, &["approve"]).is_some());
            approves.then(|| (a, Severity::Critical, "can approve certificate signing requests, and so issue client certificates for any identity".to_owned()))
        });
    }
}

// ----------------------------------------------------------------------------------------

pub struct ClusterAdminBinding;

impl Rule for ClusterAdminBinding {
    fn id(&self) -> &'static str {
        "k8s-cluster-admin-binding"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for (bi, b) in rbac.k8s.bindings.iter().enumerate() {
            let target = rbac.targets[bi];
            let admin_rule = match target {
                RoleTarget::Builtin("cluster-admin") => Some(None),
                RoleTarget::Scan(r) => rbac
                    .role_rules(r)
                    .into_iter()
                    .find(|x| x.rule.wildcard_everything() && !x.rule.named())
                    .map(|x| Some(x.rule.span)),
                _ => None,
            };
            let Some(admin_rule) = admin_rule else {
                continue;
            };
            let sev = if b.cluster {
                Severity::Critical
            } else {
                Severity::High
            };
            let scope = if b.cluster {
                "cluster-wide"
            } else {
                "in its namespace"
            };
            let mut h = Hit::new(
                self.id(),
                b.role_span,
                &b.meta.address,
                format!(
                    "{} grants {} ({}) {scope}",
                    b.meta.address,
                    b.role_name,
                    if matches!(target, RoleTarget::Builtin(_)) {
                        "built-in cluster-admin"
                    } else {
                        "every verb on every resource"
                    }
                ),
            )
            .severity(sev)
            .context(b.meta.span)
            .classes(vec![PrivilegeClass::Admin]);
            for s in &b.subjects {
                let note = broad_group(s)
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{} {}", s.kind, s.name));
                h = h.related(s.span, format!("subject: {note}"));
            }
            if let Some(span) = admin_rule {
                h = h.related(span, "the rule granting every verb on every resource");
            }
            out.push(conditional(h, &b.meta));
        }
    }
}

pub struct BroadGroupBinding;

impl Rule for BroadGroupBinding {
    fn id(&self) -> &'static str {
        "k8s-broad-group-binding"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for (bi, b) in rbac.k8s.bindings.iter().enumerate() {
            // Kubernetes' own defaults bind these groups to discovery roles.
            if b.role_name.starts_with("system:") {
                continue;
            }
            // Most bindings name no broad group: their role's classes are not needed.
            if !b
                .subjects
                .iter()
                .any(|s| broad_group(s).is_some() && s.name != "system:masters")
            {
                continue;
            }
            let rules = rbac.target_rules(rbac.targets[bi]);
            let classes: Vec<PrivilegeClass> = {
                let mut c: Vec<PrivilegeClass> = rules
                    .iter()
                    .flat_map(|r| r.rule.classes())
                    .copied()
                    .collect();
                c.sort();
                c.dedup();
                c
            };
            let powerful = classes
                .iter()
                .any(|c| !matches!(c, PrivilegeClass::Observe));
            for s in &b.subjects {
                let Some(group) = broad_group(s) else {
                    continue;
                };
                // system:masters bypasses RBAC: binding a role to it grants nothing new.
                if s.name == "system:masters" {
                    continue;
                }
                if !powerful && !rules.is_empty() {
                    continue;
                }
                let sev = if b.cluster {
                    Severity::Critical
                } else {
                    Severity::High
                };
                let mut h = Hit::new(
                    self.id(),
                    s.span,
                    &b.meta.address,
                    format!("{} binds {} to {group}", b.meta.address, b.role_name),
                )
                .severity(sev)
                .context(b.meta.span)
                .classes(classes.clone());
                if let Some(r) = rules.iter().find(|r| !r.rule.span.is_empty()) {
                    h = h.related(r.rule.span, "granting rule");
                }
                out.push(conditional(h, &b.meta));
            }
        }
    }
}

pub struct DefaultServiceAccountBound;

impl Rule for DefaultServiceAccountBound {
    fn id(&self) -> &'static str {
        "k8s-default-sa-bound"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for (bi, b) in rbac.k8s.bindings.iter().enumerate() {
            for s in b
                .subjects
                .iter()
                .filter(|s| s.kind == "ServiceAccount" && s.name == "default")
            {
                let ns = b.subject_ns(s);
                let mut h = Hit::new(
                    self.id(),
                    s.span,
                    &b.meta.address,
                    format!(
                        "{} grants {} {} to the `default` ServiceAccount of {ns}: every pod there without its own ServiceAccount receives it",
                        b.meta.address,
                        b.role_kind,
                        b.role_name
                    ),
                )
                .context(b.meta.span);
                if let Some(r) = rbac
                    .target_rules(rbac.targets[bi])
                    .iter()
                    .find(|r| !r.rule.span.is_empty())
                {
                    h = h.related(r.rule.span, "granting rule");
                }
                out.push(conditional(h, &b.meta));
            }
        }
    }
}
