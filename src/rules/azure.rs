//! Azure rules: privileged role assignments to service principals and managed identities at
//! subscription scope or above, custom roles with wildcard or authorization actions, long-lived
//! client secrets and certificates, Key Vault items that never expire, shared keys and local
//! accounts, federated credentials whose subject admits too much, credentials in provider
//! blocks, and workloads without a managed identity.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::cloud::{
    AppCredentialKind, AzPrincipal, AzRole, AzScope, RoleDefinition, Validity, VaultItemKind,
};
use crate::model::iam::Val;
use crate::model::identity::PrivilegeClass;

/// What a role lets its holder do, as far as these rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Power {
    /// Every resource operation, not IAM (Contributor).
    Resources,
    /// Role assignments (User Access Administrator, RBAC Administrator, custom roles with
    /// `Microsoft.Authorization/*/write`): can grant itself anything.
    Iam,
    /// Everything (Owner, custom `*`).
    Full,
}

fn builtin_power(name: &str) -> Option<Power> {
    match name.trim().to_ascii_lowercase().as_str() {
        "owner" => Some(Power::Full),
        "user access administrator" | "role based access control administrator" => Some(Power::Iam),
        "contributor" => Some(Power::Resources),
        _ => None,
    }
}

fn lower(v: &Val) -> String {
    v.text.trim().to_ascii_lowercase()
}

/// Actions that let a principal change role assignments or definitions, or elevate.
fn is_authorization_write(a: &str) -> bool {
    matches!(
        a,
        "microsoft.authorization/*"
            | "microsoft.authorization/*/write"
            | "microsoft.authorization/roleassignments/write"
            | "microsoft.authorization/roleassignments/*"
            | "microsoft.authorization/roledefinitions/write"
            | "microsoft.authorization/roledefinitions/*"
            | "microsoft.authorization/elevateaccess/action"
            | "*/write"
    )
}

/// `*` minus `Microsoft.Authorization` writes is Contributor; `*` alone is Owner.
fn custom_power(d: &RoleDefinition) -> Option<Power> {
    let acts: Vec<String> = d.actions.iter().filter(|a| a.known).map(lower).collect();
    let nots: Vec<String> = d
        .not_actions
        .iter()
        .filter(|a| a.known)
        .map(lower)
        .collect();
    let iam_excluded = nots.iter().any(|n| {
        n == "microsoft.authorization/*"
            || n == "microsoft.authorization/*/write"
            || n == "*"
            || n == "microsoft.authorization/roleassignments/write"
    });
    if acts.iter().any(|a| a == "*") {
        return Some(if iam_excluded {
            Power::Resources
        } else {
            Power::Full
        });
    }
    if acts.iter().any(|a| is_authorization_write(a)) && !iam_excluded {
        return Some(Power::Iam);
    }
    None
}

pub struct PrivilegedRoleAssignment;

impl Rule for PrivilegedRoleAssignment {
    fn id(&self) -> &'static str {
        "az-privileged-role-assignment"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let az = &cx.facts.cloud.azure;
        for a in &az.role_assignments {
            if !matches!(
                a.scope,
                AzScope::Subscription | AzScope::ManagementGroup | AzScope::Root
            ) {
                continue;
            }
            let (power, role_name, def) = match &a.role {
                AzRole::Builtin(n) => match builtin_power(n) {
                    Some(p) => (p, n.clone(), None),
                    None => continue,
                },
                AzRole::Custom(i) => {
                    let Some(d) = az.role_definitions.get(*i) else {
                        continue;
                    };
                    match custom_power(d) {
                        Some(p) => (
                            p,
                            format!(
                                "custom role {}",
                                d.name.clone().unwrap_or_else(|| d.address.clone())
                            ),
                            Some(d),
                        ),
                        None => continue,
                    }
                }
                AzRole::Unknown => continue,
            };
            let (who, conf) = match a.principal {
                AzPrincipal::ServicePrincipal => ("service principal", Confidence::High),
                AzPrincipal::ManagedIdentity => ("managed identity", Confidence::High),
                AzPrincipal::Deployer => (
                    "the identity running Terraform (a pipeline's service principal, or a person)",
                    Confidence::Medium,
                ),
                AzPrincipal::Unknown => ("a principal", Confidence::Low),
                AzPrincipal::User | AzPrincipal::Group => continue,
            };
            let what = match power {
                Power::Full => "full control of every resource and of access to them",
                Power::Iam => "the right to grant any role, itself included",
                Power::Resources => "write access to every resource",
            };
            let mut sev = if power == Power::Resources {
                Severity::High
            } else {
                Severity::Critical
            };
            let mut msg = format!(
                "{role_name} assigned at {} scope to {who} {}: {what} in the {}",
                a.scope.noun(),
                a.principal_text,
                a.scope.noun()
            );
            if a.conditioned && power == Power::Iam {
                sev = sev.lower();
                msg.push_str(" (an ABAC condition limits which roles it may assign)");
            }
            let mut h = Hit::new(self.id(), a.role_span, &a.address, msg)
                .label("privileged role")
                .context(a.declared)
                .related(a.scope_span, format!("{} scope", a.scope.noun()))
                .severity(sev)
                .confidence(conf)
                .classes(vec![match power {
                    Power::Full | Power::Resources => PrivilegeClass::Admin,
                    Power::Iam => PrivilegeClass::IamModification,
                }]);
            if let Some(d) = def {
                h = h.related(d.declared, format!("role definition {}", d.address));
            }
            out.push(h);
        }
    }
}

pub struct CustomRoleWildcard;

impl Rule for CustomRoleWildcard {
    fn id(&self) -> &'static str {
        "az-custom-role-wildcard"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for d in &cx.facts.cloud.azure.role_definitions {
            let power = custom_power(d);
            for a in d.actions.iter().filter(|a| a.known) {
                let l = lower(a);
                let why = if l == "*" {
                    match power {
                        Some(Power::Resources) => {
                            "every action on every resource type (Contributor-equivalent)"
                        }
                        _ => "every action, role assignments included (Owner-equivalent)",
                    }
                } else if is_authorization_write(&l) && power == Some(Power::Iam) {
                    "writes role assignments or definitions: whoever holds it can grant itself any role"
                } else {
                    continue;
                };
                let name = d.name.clone().unwrap_or_else(|| d.address.clone());
                let mut h = Hit::new(
                    self.id(),
                    a.span,
                    &d.address,
                    format!("custom role {name} allows `{}`: {why}", a.text),
                )
                .label("wildcard action")
                .context(d.declared)
                .classes(vec![if l == "*" {
                    PrivilegeClass::Admin
                } else {
                    PrivilegeClass::IamModification
                }]);
                if d.assignable_root {
                    h.message.push_str(", assignable at the tenant root");
                }
                out.push(h);
            }
        }
    }
}

pub struct CredentialLongLived;

impl Rule for CredentialLongLived {
    fn id(&self) -> &'static str {
        "az-credential-long-lived"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for c in &cx.facts.cloud.azure.app_credentials {
            let what = match c.kind {
                AppCredentialKind::Password => "client secret",
                AppCredentialKind::Certificate => "certificate credential",
            };
            let (span, msg, conf) = match &c.validity {
                Validity::Default => (
                    c.declared,
                    match c.kind {
                        AppCredentialKind::Password => format!(
                            "{what} {} has no end date: it stays valid for the Microsoft Graph default of two years",
                            c.address
                        ),
                        AppCredentialKind::Certificate => format!(
                            "{what} {} has no end date: it stays valid as long as the certificate",
                            c.address
                        ),
                    },
                    if c.kind == AppCredentialKind::Password {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    },
                ),
                Validity::Days(d, span) if *d > 366 => (
                    *span,
                    format!(
                        "{what} {} is valid for {d} days (about {} years)",
                        c.address,
                        (*d + 182) / 365
                    ),
                    Confidence::High,
                ),
                _ => continue,
            };
            let mut h = Hit::new(
                self.id(),
                span,
                &c.address,
                format!("{msg}; prefer federated credentials or a managed identity"),
            )
            .label("long-lived credential")
            .confidence(conf);
            if c.kind == AppCredentialKind::Certificate {
                h = h.severity(Severity::Medium);
            }
            if span != c.declared {
                h = h.context(c.declared);
            }
            out.push(h);
        }
    }
}

pub struct KeyVaultItemNoExpiry;

impl Rule for KeyVaultItemNoExpiry {
    fn id(&self) -> &'static str {
        "az-keyvault-item-no-expiry"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for v in cx
            .facts
            .cloud
            .azure
            .vault_items
            .iter()
            .filter(|v| !v.expires)
        {
            let what = match v.kind {
                VaultItemKind::Secret => "secret",
                VaultItemKind::Key => "key",
            };
            out.push(
                Hit::new(
                    self.id(),
                    v.declared,
                    &v.address,
                    format!(
                        "Key Vault {what} {} has no expiration_date: nothing forces it to be rotated",
                        v.address
                    ),
                )
                .label("no expiry"),
            );
        }
    }
}

pub struct LocalAuthEnabled;

impl Rule for LocalAuthEnabled {
    fn id(&self) -> &'static str {
        "az-local-auth-enabled"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for l in &cx.facts.cloud.azure.local_auth {
            let kind = l.address.split('.').next().unwrap_or("");
            let (service, cred) = match kind {
                "azurerm_storage_account" => (
                    "storage account",
                    "two account keys that grant full access to all data and never expire",
                ),
                "azurerm_container_registry" => (
                    "container registry",
                    "a static admin username and password with push and pull rights",
                ),
                _ => (
                    "AKS cluster",
                    "a cluster-admin kubeconfig with a client certificate that Entra ID cannot revoke",
                ),
            };
            let mut msg = format!(
                "{service} {} has {} enabled{}: {cred}",
                l.address,
                l.what,
                if l.explicit {
                    ""
                } else {
                    " (the provider default)"
                }
            );
            if let Some((_, first)) = l.consumers.first() {
                msg.push_str(&format!(", and {first}"));
            }
            let mut h = Hit::new(self.id(), l.span, &l.address, msg).label("static credential");
            if l.span != l.declared {
                h = h.context(l.declared);
            }
            for (s, m) in &l.consumers {
                h = h.related(*s, m.clone());
            }
            out.push(h);
        }
    }
}

/// What is wrong with a federated credential's subject, if anything.
fn subject_problem(issuer: &str, subject: &str) -> Option<(Severity, String)> {
    let s = subject.trim();
    let host = issuer
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_ascii_lowercase();
    if s.contains('*') {
        return Some((
            Severity::Critical,
            "contains `*`: subjects are compared literally, so either nothing matches or a flexible-credential expression admits whole classes of tokens".to_owned(),
        ));
    }
    if host.split('/').next() == Some("token.actions.githubusercontent.com") {
        let mut parts = s.split(':');
        let first = parts.next().unwrap_or("");
        let second = parts.next().unwrap_or("");
        if first != "repo" {
            return Some((
                Severity::Critical,
                format!(
                    "starts with `{first}:` instead of `repo:<owner>/<repo>`: any repository can produce it"
                ),
            ));
        }
        let Some((owner, repo)) = second.split_once('/') else {
            return Some((Severity::Critical, "does not name a repository".to_owned()));
        };
        if owner.is_empty() || repo.is_empty() {
            return Some((Severity::Critical, "does not name a repository".to_owned()));
        }
        if s.ends_with(":pull_request") {
            return Some((
                Severity::Medium,
                "admits any pull_request workflow of the repository: anyone who can open a pull request from a branch gets the identity".to_owned(),
            ));
        }
        return None;
    }
    if host.contains(".oic.prod-aks.azure.com") || host.contains("oidc.prod-aks.azure.com") {
        let ok = s
            .strip_prefix("system:serviceaccount:")
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(ns, sa)| !ns.is_empty() && !sa.is_empty() && !sa.contains(':'));
        if !ok {
            return Some((
                Severity::Critical,
                "is not `system:serviceaccount:<namespace>:<name>`: it does not pin one Kubernetes service account".to_owned(),
            ));
        }
        return None;
    }
    if host == "gitlab.com" && !s.starts_with("project_path:") {
        return Some((
            Severity::Critical,
            "does not start with `project_path:<group>/<project>`: other projects can produce it"
                .to_owned(),
        ));
    }
    None
}

pub struct FederatedCredentialBroadSubject;

impl Rule for FederatedCredentialBroadSubject {
    fn id(&self) -> &'static str {
        "az-federated-credential-broad-subject"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for f in &cx.facts.cloud.azure.federated {
            let Some(subject) = f.subject.as_ref().filter(|s| s.known) else {
                continue;
            };
            let issuer = f
                .issuer
                .as_ref()
                .filter(|i| i.known)
                .map_or("", |i| i.text.as_str());
            if let Some((sev, why)) = subject_problem(issuer, &subject.text) {
                let mut h = Hit::new(
                    self.id(),
                    subject.span,
                    &f.address,
                    format!("federated credential subject `{}` {why}", subject.text),
                )
                .label("subject too broad")
                .context(f.declared)
                .severity(sev);
                if let Some(i) = &f.issuer {
                    h = h.related(i.span, "issuer");
                }
                out.push(h);
            }
        }
    }
}

pub struct ProviderStaticCredentials;

impl Rule for ProviderStaticCredentials {
    fn id(&self) -> &'static str {
        "az-provider-static-credentials"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in cx
            .facts
            .cloud
            .ci
            .provider_credentials
            .iter()
            .filter(|p| p.provider == "azurerm" || p.provider == "azuread")
        {
            let what = match p.key.as_str() {
                "access_key" => "storage account key",
                "sas_token" => "SAS token",
                "client_certificate" => "client certificate",
                "client_certificate_password" => "certificate password",
                _ => "client secret",
            };
            let mut h = Hit::new(
                self.id(),
                p.span,
                &p.address,
                format!("{what} written in `{}` of {}", p.key, p.address),
            )
            .label("hard-coded credential");
            if !p.strong {
                h = h.confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

pub struct WorkloadNoManagedIdentity;

impl Rule for WorkloadNoManagedIdentity {
    fn id(&self) -> &'static str {
        "az-workload-no-managed-identity"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for w in cx
            .facts
            .cloud
            .azure
            .workloads
            .iter()
            .filter(|w| !w.has_identity)
        {
            out.push(
                Hit::new(
                    self.id(),
                    w.declared,
                    &w.address,
                    format!(
                        "{} {} has no managed identity: whatever Azure resources it reaches, it reaches with stored secrets",
                        w.kind, w.address
                    ),
                )
                .label("no managed identity"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_subjects() {
        let gh = "https://token.actions.githubusercontent.com";
        assert!(subject_problem(gh, "repo:acme/app:environment:prod").is_none());
        assert!(subject_problem(gh, "repo:acme/app:ref:refs/heads/main").is_none());
        assert!(subject_problem(gh, "repo:acme/*").is_some());
        assert!(subject_problem(gh, "environment:prod").is_some());
        assert_eq!(
            subject_problem(gh, "repo:acme/app:pull_request").map(|(s, _)| s),
            Some(Severity::Medium)
        );
    }

    #[test]
    fn aks_subjects() {
        let aks = "https://westeurope.oic.prod-aks.azure.com/tenant/guid/";
        assert!(subject_problem(aks, "system:serviceaccount:payments:api").is_none());
        assert!(subject_problem(aks, "system:serviceaccount:payments").is_some());
    }
}
