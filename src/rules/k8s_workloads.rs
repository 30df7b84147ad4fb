//! Kubernetes rules about the identities workloads run as and the credentials they carry:
//! ServiceAccount tokens mounted where they give power, the shared `default` account, one
//! account reused by unrelated applications, long-lived token Secrets, credentials committed
//! in Secrets, env values and ConfigMaps, and bindings to accounts that do not exist.

use std::collections::BTreeMap;

use super::k8s_rbac::{all_of, conditional, holds_only_when};
use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::index::RbacIndex;
use crate::model::credentials::SecretPlace;
use crate::model::identity::PrivilegeClass;
use crate::model::rbac::{ServiceAccount, Workload};
use crate::source::Span;

fn find_sa<'a>(rbac: &RbacIndex<'a>, ns: &str, name: &str) -> Option<&'a ServiceAccount> {
    rbac.service_account(ns, name)
}

/// Is the token mounted into the workload's pods? The pod's setting wins, then the
/// ServiceAccount's; Kubernetes mounts it by default.
fn token_mounted(w: &Workload, sa: Option<&ServiceAccount>) -> bool {
    match (w.automount, sa.and_then(|s| s.automount)) {
        (Some((b, _)), _) => b,
        (None, Some((b, _))) => b,
        (None, None) => true,
    }
}

/// Where to point for a mounted token: the explicit `true`, an empty `serviceAccountName`,
/// or the pod spec that lacks the setting.
fn automount_anchor(w: &Workload) -> Span {
    match (&w.automount, &w.service_account) {
        (Some((true, s)), _) => *s,
        (_, Some((name, s))) if name.is_empty() => *s,
        _ => w.pod_spec_key,
    }
}

/// Classes the ServiceAccount `ns/name` holds, in any namespace (a RoleBinding elsewhere
/// gives its token power there), with one granting rule to point at.
fn sa_power(rbac: &RbacIndex, ns: &str, name: &str) -> (Vec<PrivilegeClass>, Option<Span>) {
    let mut classes = Vec::new();
    let mut anchor = None;
    for g in rbac.service_account_grants(ns, name) {
        let c = g.rule.rule.classes();
        if anchor.is_none()
            && c.iter().any(|x| *x != PrivilegeClass::Observe)
            && !g.rule.rule.span.is_empty()
        {
            anchor = Some(g.rule.rule.span);
        }
        if anchor.is_none()
            && g.rule.rule.span.is_empty()
            && c.iter().any(|x| *x != PrivilegeClass::Observe)
        {
            anchor = Some(rbac.k8s.bindings[g.binding].role_span);
        }
        classes.extend_from_slice(c);
    }
    classes.sort();
    classes.dedup();
    (classes, anchor)
}

/// What must hold for the ServiceAccount `ns/name` to hold more than read access: `None` when
/// one such grant exists unconditionally; else the conditions of its role or binding (a Helm
/// chart's `rbac.create`), any of which gives the power.
fn grant_condition(rbac: &RbacIndex, ns: &str, name: &str) -> Option<String> {
    let mut any = Vec::new();
    for g in rbac.service_account_grants(ns, name) {
        if !beyond_observe(g.rule.rule.classes()) {
            continue;
        }
        let b = &rbac.k8s.bindings[g.binding];
        // One unconditional grant of the power: the finding holds whatever the values.
        let c = all_of(
            [
                b.meta.condition_at(b.role_span),
                g.rule
                    .role
                    .and_then(|r| rbac.k8s.roles.get(r))
                    .and_then(|r| r.meta.condition_at(g.rule.rule.span)),
            ]
            .into_iter()
            .flatten(),
        )?;
        if !any.contains(&c) {
            any.push(c);
        }
    }
    (!any.is_empty()).then(|| any.join(" or "))
}

/// The workload's own condition where the finding points, then that of the grants.
fn token_condition(w: &Workload, at: Span, grants: Option<String>) -> Option<String> {
    all_of([w.meta.condition_at(at), grants].into_iter().flatten())
}

fn beyond_observe(classes: &[PrivilegeClass]) -> bool {
    classes.iter().any(|c| *c != PrivilegeClass::Observe)
}

pub struct DefaultSaTokenAutomount;

impl Rule for DefaultSaTokenAutomount {
    fn id(&self) -> &'static str {
        "k8s-default-sa-token-automount"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for w in &rbac.k8s.workloads {
            if w.sa_name() != "default" {
                continue;
            }
            let ns = w.meta.ns();
            let sa = find_sa(rbac, ns, "default");
            if !token_mounted(w, sa) {
                continue;
            }
            let (classes, grant) = sa_power(rbac, ns, "default");
            let powerful = beyond_observe(&classes);
            let mut h = Hit::new(
                self.id(),
                automount_anchor(w),
                &w.meta.address,
                format!(
                    "{} {} runs as the namespace's `default` ServiceAccount with its token mounted{}",
                    w.meta.kind,
                    w.meta.name,
                    if powerful { "; that account holds RBAC grants, so every such pod does too" } else { "" }
                ),
            )
            .context(w.meta.span)
            .classes(classes);
            if powerful {
                h = h.severity(Severity::High);
            }
            if let Some(g) = grant {
                h = h.related(g, "grant held by the default ServiceAccount");
            }
            let grants = if powerful {
                grant_condition(rbac, ns, "default")
            } else {
                None
            };
            let c = token_condition(w, automount_anchor(w), grants);
            out.push(holds_only_when(h, c));
        }
        // The `default` account itself: its token goes to every pod that does not opt out.
        for sa in rbac
            .k8s
            .service_accounts
            .iter()
            .filter(|s| s.meta.name == "default")
        {
            if matches!(sa.automount, Some((false, _))) {
                continue;
            }
            let anchor = sa.automount.map(|(_, s)| s).unwrap_or(sa.meta.name_span);
            let h = Hit::new(
                self.id(),
                anchor,
                &sa.meta.address,
                format!(
                    "the `default` ServiceAccount of {} does not disable token automounting",
                    sa.meta.ns()
                ),
            )
            .context(sa.meta.span);
            out.push(conditional(h, &sa.meta));
        }
    }
}

pub struct PrivilegedSaTokenAutomount;

impl Rule for PrivilegedSaTokenAutomount {
    fn id(&self) -> &'static str {
        "k8s-sa-token-automount"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for w in &rbac.k8s.workloads {
            let name = w.sa_name();
            if name == "default" {
                continue;
            }
            let ns = w.meta.ns();
            let sa = find_sa(rbac, ns, name);
            if !token_mounted(w, sa) {
                continue;
            }
            let (classes, grant) = sa_power(rbac, ns, name);
            if !beyond_observe(&classes) {
                continue;
            }
            let critical = classes.iter().any(|c| {
                matches!(
                    c,
                    PrivilegeClass::Admin
                        | PrivilegeClass::Privesc
                        | PrivilegeClass::IamModification
                )
            });
            let names: Vec<&str> = classes.iter().map(|c| c.as_str()).collect();
            let mut h = Hit::new(
                self.id(),
                automount_anchor(w),
                &w.meta.address,
                format!(
                    "{} {} mounts the token of ServiceAccount {name}, which holds {}: anyone who compromises a container gets it",
                    w.meta.kind,
                    w.meta.name,
                    names.join(", ")
                ),
            )
            .severity(if critical { Severity::Critical } else { Severity::High })
            .context(w.meta.span)
            .classes(classes);
            if let Some(g) = grant {
                h = h.related(g, format!("grant held by {name}"));
            }
            if let Some(sa) = sa {
                h = h.related(sa.meta.name_span, format!("ServiceAccount {name}"));
            }
            let c = token_condition(w, automount_anchor(w), grant_condition(rbac, ns, name));
            out.push(holds_only_when(h, c));
        }
    }
}

pub struct SharedServiceAccount;

impl Rule for SharedServiceAccount {
    fn id(&self) -> &'static str {
        "k8s-sa-shared-across-workloads"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        let mut by_sa: BTreeMap<(&str, &str), Vec<&Workload>> = BTreeMap::new();
        for w in &rbac.k8s.workloads {
            let name = w.sa_name();
            if name != "default" {
                by_sa.entry((w.meta.ns(), name)).or_default().push(w);
            }
        }
        for ((ns, name), ws) in by_sa {
            let mut apps: Vec<&str> = ws.iter().map(|w| w.app()).collect();
            apps.sort_unstable();
            apps.dedup();
            if apps.len() < 2 {
                continue;
            }
            let parts: Vec<Option<&str>> = ws.iter().map(|w| w.part_of()).collect();
            if parts.iter().all(|p| p.is_some() && *p == parts[0]) {
                continue; // components of one application
            }
            let (classes, _) = sa_power(rbac, ns, name);
            let sa = find_sa(rbac, ns, name);
            let primary = sa
                .map(|s| s.meta.name_span)
                .or_else(|| ws[0].service_account.as_ref().map(|(_, s)| *s))
                .unwrap_or(ws[0].pod_spec_key);
            let mut h = Hit::new(
                self.id(),
                primary,
                format!("ServiceAccount/{ns}/{name}"),
                format!(
                    "ServiceAccount {name} is shared by {} unrelated workloads ({})",
                    apps.len(),
                    apps.join(", ")
                ),
            )
            .classes(classes.clone());
            if beyond_observe(&classes) {
                h = h.severity(Severity::High);
            }
            for w in ws.iter().take(10) {
                if let Some((_, s)) = &w.service_account {
                    h = h.related(*s, format!("used by {} {}", w.meta.kind, w.meta.name));
                }
            }
            match sa {
                Some(sa) => out.push(conditional(h, &sa.meta)),
                None => out.push(h),
            }
        }
    }
}

pub struct LegacyTokenSecret;

impl Rule for LegacyTokenSecret {
    fn id(&self) -> &'static str {
        "k8s-legacy-sa-token-secret"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for s in &rbac.k8s.secrets {
            let Some((t, span)) = &s.secret_type else {
                continue;
            };
            if t != "kubernetes.io/service-account-token" {
                continue;
            }
            let owner = s
                .meta
                .annotation("kubernetes.io/service-account.name")
                .map(|(n, _)| n.to_owned())
                .unwrap_or_else(|| "a ServiceAccount".into());
            let h = Hit::new(
                self.id(),
                *span,
                &s.meta.address,
                format!("Secret {} holds a long-lived token for {owner}: it never expires and survives the pods that use it", s.meta.name),
            )
            .context(s.meta.span);
            out.push(conditional(h, &s.meta));
        }
    }
}

pub struct PlaintextSecretManifest;

impl Rule for PlaintextSecretManifest {
    fn id(&self) -> &'static str {
        "k8s-plaintext-secret"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for s in &rbac.k8s.secrets {
            if s.encrypted
                || s.secret_type
                    .as_ref()
                    .is_some_and(|(t, _)| t == "kubernetes.io/service-account-token")
            {
                continue;
            }
            let live: Vec<_> = s.entries.iter().filter(|e| !e.inert).collect();
            let Some(first) = live.first() else { continue };
            let keys: Vec<&str> = live.iter().map(|e| e.key.as_str()).collect();
            let how = if live.iter().all(|e| e.string_data) {
                "in clear text"
            } else {
                "base64-encoded, not encrypted"
            };
            let h = Hit::new(
                self.id(),
                first.value_span,
                &s.meta.address,
                format!(
                    "Secret {} is committed with {} value(s) {how}: {}",
                    s.meta.name,
                    live.len(),
                    keys.join(", ")
                ),
            )
            .label("committed secret")
            .context(s.meta.span);
            out.push(conditional(h, &s.meta));
        }
    }
}

pub struct HardcodedCredential;

impl Rule for HardcodedCredential {
    fn id(&self) -> &'static str {
        "k8s-hardcoded-credential"
    }

    // Per unit, not global: it needs no index, and a file holding only ConfigMaps has no
    // Kubernetes facts to carry into the global phase.

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for s in cx
            .facts
            .secrets
            .iter()
            .filter(|s| matches!(s.place, SecretPlace::K8sEnv | SecretPlace::K8sConfigMap))
        {
            let place = if s.place == SecretPlace::K8sEnv {
                "an environment variable"
            } else {
                "a ConfigMap"
            };
            let what = if s.strong {
                s.kind.describe().to_owned()
            } else {
                format!("literal value under secret-like name `{}`", s.key)
            };
            let mut h = Hit::new(
                self.id(),
                s.span,
                &s.address,
                format!("{what} written in clear in {place} of {}", s.address),
            )
            .label("plaintext credential");
            if s.strong {
                h = h.severity(Severity::Critical);
            } else {
                h = h.confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

pub struct SecretEnvVar;

impl Rule for SecretEnvVar {
    fn id(&self) -> &'static str {
        "k8s-secret-env-var"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        for w in &rbac.k8s.workloads {
            for e in &w.env {
                if let Some((secret, key, span)) = &e.secret_ref {
                    let h = Hit::new(
                        self.id(),
                        *span,
                        &w.meta.address,
                        format!("{} {} exposes key `{key}` of Secret {secret} as environment variable {}", w.meta.kind, w.meta.name, e.name),
                    )
                    .context(w.meta.span);
                    out.push(conditional(h, &w.meta));
                }
            }
            for (secret, span) in &w.env_from_secrets {
                let h = Hit::new(
                    self.id(),
                    *span,
                    &w.meta.address,
                    format!("{} {} loads every key of Secret {secret} into environment variables (`envFrom`)", w.meta.kind, w.meta.name),
                )
                .context(w.meta.span);
                out.push(conditional(h, &w.meta));
            }
        }
    }
}

pub struct DanglingServiceAccount;

impl Rule for DanglingServiceAccount {
    fn id(&self) -> &'static str {
        "k8s-dangling-sa-reference"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(rbac) = cx.rbac else { return };
        // Only meaningful where the scan defines the namespace's ServiceAccounts at all.
        let known_ns = |ns: &str| rbac.sa_namespaces.contains(ns);
        for b in &rbac.k8s.bindings {
            for s in b
                .subjects
                .iter()
                .filter(|s| s.kind == "ServiceAccount" && s.name != "default")
            {
                let ns = b.subject_ns(s);
                if known_ns(ns) && !rbac.service_account_defined(ns, &s.name) {
                    let h = Hit::new(
                        self.id(),
                        s.span,
                        &b.meta.address,
                        format!("{} grants {} to ServiceAccount {ns}/{}, which no manifest defines: whoever creates that name inherits the grant", b.meta.address, b.role_name, s.name),
                    )
                    .context(b.meta.span);
                    out.push(conditional(h, &b.meta));
                }
            }
        }
    }
}
