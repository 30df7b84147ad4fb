//! Google Cloud service accounts and Azure user-assigned managed identities as graph nodes:
//! what each is granted (GCP IAM bindings, Azure role assignments), who can obtain it (GCP
//! service-account-level grants such as `workloadIdentityUser`, Azure federated identity
//! credentials), its standing keys and the compute that runs as it. Summarised per unit, while
//! its files are at hand, in the same [`CloudIdentity`] shape as AWS users and roles.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::finding::{Site, site};
use crate::model::Facts;
use crate::model::cloud::{AzRole, AzScope, GcpLevel, RoleDefinition};
use crate::model::iam::Val;
use crate::model::identity::{
    CloudIdentity, Lifetime, PrivilegeClass, Scope, TrustEntry, TrustKind,
};
use crate::source::{Sources, Span};

use PrivilegeClass::*;

/// Privilege classes of a GCP role (RULES-CATALOG §4.2); empty when unknown.
pub fn gcp_role_classes(role: &str) -> Vec<PrivilegeClass> {
    let r = role.trim().trim_start_matches("roles/");
    let mut lower = r.to_ascii_lowercase();
    // `compute.instanceAdmin.v1`: the version does not change the power
    if let Some((base, v)) = lower.rsplit_once(".v")
        && !v.is_empty()
        && v.bytes().all(|b| b.is_ascii_digit())
    {
        lower = base.to_owned();
    }
    match lower.as_str() {
        "owner" | "editor" => return vec![Admin],
        "viewer" | "browser" => return vec![Observe],
        "resourcemanager.projectiamadmin"
        | "resourcemanager.folderiamadmin"
        | "resourcemanager.organizationadmin"
        | "iam.securityadmin"
        | "iam.roleadmin"
        | "iam.organizationroleadmin"
        | "orgpolicy.policyadmin" => return vec![IamModification],
        "iam.serviceaccountadmin" => return vec![IamModification, Privesc],
        "iam.serviceaccounttokencreator" | "iam.serviceaccountkeyadmin" => {
            return vec![Privesc, CredExposure];
        }
        "iam.serviceaccountuser" | "iam.workloadidentityuser" => return vec![Privesc],
        "cloudbuild.builds.editor"
        | "cloudbuild.builds.builder"
        | "deploymentmanager.editor"
        | "cloudfunctions.developer"
        | "cloudfunctions.admin"
        | "run.admin"
        | "run.developer"
        | "dataflow.developer"
        | "composer.admin"
        | "cloudscheduler.admin" => return vec![Privesc],
        "secretmanager.secretaccessor"
        | "secretmanager.admin"
        | "cloudkms.cryptokeydecrypter"
        | "cloudkms.cryptokeyencrypterdecrypter"
        | "container.admin"
        | "container.clusteradmin"
        | "storage.hmackeyadmin"
        | "serviceusage.apikeysadmin" => return vec![CredExposure],
        "logging.logwriter" | "monitoring.metricwriter" | "cloudtrace.agent" => {
            return vec![Observe];
        }
        _ => {}
    }
    if lower.ends_with("admin") {
        vec![InfraDestruction]
    } else if lower.ends_with("viewer") || lower.ends_with("reader") || lower.ends_with("observer")
    {
        vec![Observe]
    } else if lower.ends_with("editor")
        || lower.ends_with("developer")
        || lower.ends_with("writer")
        || lower.ends_with("user")
        || lower.ends_with("invoker")
        || lower.ends_with("operator")
    {
        vec![Operate]
    } else {
        Vec::new()
    }
}

/// Privilege classes of an Azure built-in role, by name (RULES-CATALOG §4.3).
pub fn azure_role_classes(name: &str) -> Vec<PrivilegeClass> {
    let n = name.trim().to_ascii_lowercase();
    match n.as_str() {
        "owner" => return vec![Admin],
        "user access administrator" | "role based access control administrator" => {
            return vec![IamModification];
        }
        // Everything but IAM: delete any resource, list any key.
        "contributor" => return vec![InfraDestruction, CredExposure],
        "reader" => return vec![Observe],
        _ => {}
    }
    if n.contains("key vault")
        && (n.contains("secret") || n.contains("administrator") || n.contains("crypto"))
    {
        return vec![CredExposure];
    }
    if n.contains("key operator") || n.contains("managed identity operator") {
        return vec![CredExposure];
    }
    if n.ends_with("reader") || n.ends_with("viewer") || n.contains("monitoring metrics publisher")
    {
        return vec![Observe];
    }
    if n.ends_with("contributor") || n.ends_with("owner") || n.ends_with("administrator") {
        return vec![InfraDestruction];
    }
    if n.ends_with("operator") || n.ends_with("user") || n.ends_with("sender") {
        return vec![Operate];
    }
    Vec::new()
}

/// Classes of an Azure custom role from its actions.
fn azure_custom_classes(d: &RoleDefinition) -> Vec<PrivilegeClass> {
    let mut out = BTreeSet::new();
    for a in d.actions.iter().filter(|a| a.known) {
        let t = a.text.to_ascii_lowercase();
        if t == "*" {
            out.insert(Admin);
        } else if t.starts_with("microsoft.authorization/") && !t.ends_with("/read") {
            out.insert(IamModification);
        } else if t.ends_with("/delete") || t == "*/delete" {
            out.insert(InfraDestruction);
        } else if t.contains("listkeys")
            || t.contains("/secrets/")
            || t.contains("listcredential")
            || t.contains("runcommand")
        {
            out.insert(CredExposure);
        } else if t.ends_with("/read") || t == "*/read" {
            out.insert(Observe);
        } else {
            out.insert(Operate);
        }
    }
    out.into_iter().collect()
}

/// Does `text` (a value as written: `google_service_account.ci.email`,
/// `serviceAccount:${google_service_account.ci.email}`, an email) refer to the identity?
fn refers(text: &str, address: &str, aliases: &[String]) -> bool {
    let t = text.trim();
    let mut at = 0;
    while let Some(i) = t[at..].find(address) {
        let end = at + i + address.len();
        let before_ok = at + i == 0
            || !t.as_bytes()[at + i - 1].is_ascii_alphanumeric()
                && t.as_bytes()[at + i - 1] != b'_';
        if before_ok
            && t.as_bytes()
                .get(end)
                .is_none_or(|b| *b == b'.' || *b == b'[')
        {
            return true;
        }
        at = end;
    }
    aliases.iter().any(|a| {
        if a.ends_with('@') {
            t.trim_start_matches("serviceAccount:")
                .starts_with(a.as_str())
        } else {
            t.trim_start_matches("serviceAccount:") == a
        }
    })
}

/// `serviceAccount:proj.svc.id.goog[ns/ksa]` -> `system:serviceaccount:ns:ksa`.
fn gke_member_subject(member: &str) -> Option<String> {
    let rest = member.trim().strip_prefix("serviceAccount:")?;
    let (pool, sa) = rest.split_once('[')?;
    if !pool.ends_with(".svc.id.goog") {
        return None;
    }
    let (ns, name) = sa.trim_end_matches(']').split_once('/')?;
    Some(format!("system:serviceaccount:{ns}:{name}"))
}

fn gcp_trust(member: &Val, mk: &dyn Fn(Span) -> Option<Arc<Site>>) -> Option<TrustEntry> {
    let site = mk(member.span)?;
    let m = member.text.trim();
    let (kind, principal, subs) = if let Some(sub) = gke_member_subject(m) {
        let issuer = m
            .trim_start_matches("serviceAccount:")
            .split('[')
            .next()
            .unwrap_or("")
            .to_owned();
        (TrustKind::KubernetesOidc, issuer, vec![(sub, site.clone())])
    } else if m.starts_with("principalSet://") || m.starts_with("principal://") {
        if m.ends_with("/*") {
            (TrustKind::OtherOidc, m.to_owned(), Vec::new())
        } else {
            (
                TrustKind::OtherOidc,
                m.to_owned(),
                vec![(m.to_owned(), site.clone())],
            )
        }
    } else if m == "allUsers" || m == "allAuthenticatedUsers" {
        (TrustKind::Anyone, m.to_owned(), Vec::new())
    } else {
        (TrustKind::Account, m.to_owned(), Vec::new())
    };
    Some(TrustEntry {
        kind,
        principal,
        subs,
        like: false,
        site,
    })
}

fn gcp_scope(level: GcpLevel) -> Scope {
    match level {
        GcpLevel::Organization | GcpLevel::Folder => Scope::Organization,
        GcpLevel::Project | GcpLevel::Unknown => Scope::Account,
        GcpLevel::ServiceAccount | GcpLevel::Resource => Scope::NamedResources,
    }
}

fn azure_scope(s: AzScope) -> Scope {
    match s {
        AzScope::Root | AzScope::ManagementGroup => Scope::Organization,
        AzScope::Subscription => Scope::Account,
        AzScope::ResourceGroup | AzScope::Unknown => Scope::Namespace,
        AzScope::Resource => Scope::NamedResources,
    }
}

/// Keep the first grant site of each class, highest class first.
fn per_class(
    grants: &[(PrivilegeClass, Arc<Site>, String)],
) -> Vec<(PrivilegeClass, Arc<Site>, String)> {
    let mut out: Vec<(PrivilegeClass, Arc<Site>, String)> = Vec::new();
    for g in grants {
        if !out.iter().any(|(c, _, _)| *c == g.0) {
            out.push(g.clone());
        }
    }
    out.sort_by_key(|(c, _, _)| *c);
    out
}

/// The GCP service accounts and Azure user-assigned identities of a unit.
pub fn identities(facts: &Facts, sources: &Sources, secret_spans: &[Span]) -> Vec<CloudIdentity> {
    let mk = |span: Span| site(sources, span, secret_spans);
    let mut out = Vec::new();
    let gcp = &facts.cloud.gcp;
    for sa in &gcp.service_accounts {
        let Some(decl) = mk(sa.span) else { continue };
        let mut aliases = Vec::new();
        if let Some(e) = sa.email() {
            aliases.push(e);
        }
        if let Some(a) = &sa.account_id {
            aliases.push(format!("{a}@"));
        }
        let r = |t: &str| refers(t, &sa.address, &aliases);
        let mut grants = Vec::new();
        let mut trust = Vec::new();
        let mut scope = Scope::NamedResources;
        let mut addresses = vec![sa.address.clone()];
        for g in &gcp.grants {
            let on_it = g.level == GcpLevel::ServiceAccount && g.target.as_deref().is_some_and(r);
            if on_it {
                // Who may act as it: impersonation and workload-identity grants on it.
                if gcp_role_classes(&g.role.text).contains(&Privesc) {
                    trust.extend(g.members.iter().filter_map(|m| gcp_trust(m, &mk)));
                    addresses.push(g.address.clone());
                }
                continue;
            }
            if !g.members.iter().any(|m| r(&m.text)) {
                continue;
            }
            addresses.push(g.address.clone());
            let Some(s) = mk(g.role.span) else { continue };
            for c in gcp_role_classes(&g.role.text) {
                scope = scope.max(gcp_scope(g.level));
                grants.push((
                    c,
                    s.clone(),
                    format!("`{}` on the {}", g.role.text, g.level.noun()),
                ));
            }
        }
        let keys: Vec<Arc<Site>> = gcp
            .sa_keys
            .iter()
            .filter(|k| r(&k.account))
            .filter_map(|k| {
                addresses.push(k.address.clone());
                mk(k.span)
            })
            .collect();
        let mut used_by = Vec::new();
        for vm in &gcp.vms {
            if vm.email.as_ref().is_some_and(|e| r(&e.text))
                && let Some(s) = mk(vm.block)
            {
                used_by.push((format!("Compute Engine {} {}", vm.kind, vm.address), s));
            }
        }
        for n in &gcp.gke_nodes {
            if n.email.as_ref().is_some_and(|e| r(&e.text))
                && let Some(s) = mk(n.node_config)
            {
                used_by.push((format!("GKE nodes of {}", n.address), s));
            }
        }
        let grants_pc = per_class(&grants);
        let classes: Vec<PrivilegeClass> = grants_pc.iter().map(|(c, _, _)| *c).collect();
        addresses.sort();
        addresses.dedup();
        out.push(CloudIdentity {
            provider: "gcp",
            kind: "service account",
            address: sa.address.clone(),
            name: sa.account_id.clone(),
            site: decl,
            grant: grants_pc.first().map(|(_, s, w)| (s.clone(), w.clone())),
            grants: grants_pc,
            classes,
            used_by,
            addresses,
            scope,
            trust,
            lifetime: if keys.is_empty() {
                Lifetime::ShortLived
            } else {
                Lifetime::Static
            },
            static_keys: keys,
            pod_identities: Vec::new(),
            function: None,
            aliases,
        });
    }
    let az = &facts.cloud.azure;
    for id in &az.identities {
        let Some(decl) = mk(id.span) else { continue };
        let r = |t: &str| refers(t, &id.address, &[]);
        let mut grants = Vec::new();
        let mut scope = Scope::NamedResources;
        let mut addresses = vec![id.address.clone()];
        for a in az.role_assignments.iter().filter(|a| r(&a.principal_text)) {
            addresses.push(a.address.clone());
            let (classes, what) = match &a.role {
                AzRole::Builtin(n) => (azure_role_classes(n), n.clone()),
                AzRole::Custom(i) => match az.role_definitions.get(*i) {
                    Some(d) => (
                        azure_custom_classes(d),
                        d.name.clone().unwrap_or_else(|| d.address.clone()),
                    ),
                    None => (Vec::new(), "custom role".into()),
                },
                AzRole::Unknown => (Vec::new(), "unknown role".into()),
            };
            let Some(s) = mk(a.role_span) else { continue };
            for c in classes {
                scope = scope.max(azure_scope(a.scope));
                grants.push((c, s.clone(), format!("{what} at {} scope", a.scope.noun())));
            }
        }
        let mut trust = Vec::new();
        for f in az
            .federated
            .iter()
            .filter(|f| f.parent.as_deref().is_some_and(r))
        {
            addresses.push(f.address.clone());
            let issuer = f
                .issuer
                .as_ref()
                .map(|i| i.text.clone())
                .unwrap_or_default();
            let il = issuer.to_ascii_lowercase();
            let kind = if il.contains("token.actions.githubusercontent.com") {
                TrustKind::GithubOidc
            } else if il.contains("gitlab") {
                TrustKind::GitlabOidc
            } else if il.contains("oic.prod-aks.azure.com")
                || il.contains("oidc_issuer_url")
                || f.subject
                    .as_ref()
                    .is_some_and(|s| s.text.starts_with("system:serviceaccount:"))
            {
                TrustKind::KubernetesOidc
            } else {
                TrustKind::OtherOidc
            };
            let Some(site_decl) = mk(f.declared) else {
                continue;
            };
            let subs = f
                .subject
                .as_ref()
                .filter(|s| s.known)
                .and_then(|s| Some((s.text.clone(), mk(s.span)?)))
                .into_iter()
                .collect();
            trust.push(TrustEntry {
                kind,
                principal: issuer,
                subs,
                like: false,
                site: site_decl,
            });
        }
        let grants_pc = per_class(&grants);
        let classes: Vec<PrivilegeClass> = grants_pc.iter().map(|(c, _, _)| *c).collect();
        addresses.sort();
        addresses.dedup();
        out.push(CloudIdentity {
            provider: "azure",
            kind: "managed identity",
            address: id.address.clone(),
            name: id.name.clone(),
            site: decl,
            grant: grants_pc.first().map(|(_, s, w)| (s.clone(), w.clone())),
            grants: grants_pc,
            classes,
            used_by: Vec::new(),
            addresses,
            scope,
            trust,
            lifetime: Lifetime::ShortLived,
            static_keys: Vec::new(),
            pod_identities: Vec::new(),
            function: None,
            aliases: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_classes() {
        assert_eq!(gcp_role_classes("roles/owner"), vec![Admin]);
        assert_eq!(
            gcp_role_classes("roles/iam.workloadIdentityUser"),
            vec![Privesc]
        );
        assert_eq!(
            gcp_role_classes("roles/secretmanager.secretAccessor"),
            vec![CredExposure]
        );
        assert_eq!(
            gcp_role_classes("roles/compute.instanceAdmin.v1"),
            vec![InfraDestruction]
        );
        assert_eq!(
            gcp_role_classes("roles/storage.objectViewer"),
            vec![Observe]
        );
        assert_eq!(azure_role_classes("Owner"), vec![Admin]);
        assert_eq!(
            azure_role_classes("Key Vault Secrets User"),
            vec![CredExposure]
        );
        assert_eq!(
            azure_role_classes("Storage Blob Data Reader"),
            vec![Observe]
        );
        assert_eq!(
            azure_role_classes("Virtual Machine Contributor"),
            vec![InfraDestruction]
        );
    }

    #[test]
    fn references() {
        let a = vec!["ci@p.iam.gserviceaccount.com".to_owned(), "ci@".to_owned()];
        assert!(refers(
            "google_service_account.ci.email",
            "google_service_account.ci",
            &a
        ));
        assert!(refers(
            "serviceAccount:${google_service_account.ci.email}",
            "google_service_account.ci",
            &a
        ));
        assert!(!refers(
            "google_service_account.cid.email",
            "google_service_account.ci",
            &a
        ));
        assert!(!refers(
            "xgoogle_service_account.ci.email",
            "google_service_account.ci",
            &a
        ));
        assert!(refers(
            "serviceAccount:ci@p.iam.gserviceaccount.com",
            "google_service_account.ci",
            &a
        ));
        assert!(!refers(
            "serviceAccount:cix@p.iam.gserviceaccount.com",
            "google_service_account.ci",
            &a
        ));
        assert_eq!(
            gke_member_subject("serviceAccount:proj.svc.id.goog[ops/remediator]").as_deref(),
            Some("system:serviceaccount:ops:remediator")
        );
    }
}
