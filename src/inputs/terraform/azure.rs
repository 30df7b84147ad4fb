//! Azure resources of one Terraform module (azurerm and azuread providers) into model facts:
//! role assignments with the scope and kind of principal they reach, custom role definitions,
//! client secrets and certificates of applications and service principals, Key Vault items,
//! services that still accept shared keys or local accounts, federated identity credentials,
//! workloads with or without a managed identity, and credentials written in provider and
//! backend blocks.

use std::collections::HashMap;

use super::body::{BlockRef, BodyRef, address, local_address};
use super::ci_providers::{literal_credential, value_span};
use super::eval::Evaluator;
use crate::model::Facts;
use crate::model::cloud::{
    AppCredential, AppCredentialKind, AzIdentity, AzPrincipal, AzRole, AzScope, AzWorkload,
    FederatedCredential, LocalAuth, RoleAssignment, RoleDefinition, Validity, VaultItem,
    VaultItemKind,
};
use crate::model::iam::Val;
use crate::parse::doc::Node;
use crate::source::Span;

/// Built-in roles that rules care about, by role definition GUID.
const BUILTIN_ROLE_IDS: &[(&str, &str)] = &[
    ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"),
    ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"),
    (
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        "User Access Administrator",
    ),
    (
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        "Role Based Access Control Administrator",
    ),
];

/// Attributes through which other resources read a service's shared key.
const SHARED_KEY_ATTRS: &[(&str, &[&str])] = &[
    (
        "azurerm_storage_account",
        &[
            "primary_access_key",
            "secondary_access_key",
            "primary_connection_string",
            "secondary_connection_string",
            "primary_blob_connection_string",
            "secondary_blob_connection_string",
        ],
    ),
    ("azurerm_container_registry", &["admin_password"]),
    (
        "azurerm_kubernetes_cluster",
        &["kube_admin_config", "kube_admin_config_raw"],
    ),
];

/// Extract Azure facts from the module's top-level blocks.
pub fn extract(ev: &Evaluator, blocks: &[BlockRef], facts: &mut Facts) {
    let azure = |b: &&BlockRef| {
        b.labels.first().is_some_and(|t| {
            t.starts_with("azurerm_")
                || t.starts_with("azuread_")
                || t == "azurerm"
                || t == "azuread"
        }) || b.ident == "terraform"
    };
    if !blocks.iter().any(|b| azure(&b)) {
        return;
    }
    let x = Azure { ev };
    // Custom role definitions and role-definition data sources first: assignments refer to them.
    let mut custom: HashMap<String, usize> = HashMap::new();
    let mut data_roles: HashMap<String, String> = HashMap::new();
    for b in blocks.iter().filter(azure) {
        match (b.ident.as_str(), b.labels.first().map(String::as_str)) {
            ("resource", Some("azurerm_role_definition")) => {
                let i = x.role_definition(b, facts);
                // Keyed as references name them: inside the module, without `module.x.`.
                custom.insert(local_address(b), i);
            }
            ("data", Some("azurerm_role_definition")) => {
                if let Some(name) = x.str_attr(&b.body, "name") {
                    data_roles.insert(local_address(b), name);
                }
            }
            _ => {}
        }
    }
    for b in blocks.iter().filter(azure) {
        match (b.ident.as_str(), b.labels.first().map(String::as_str)) {
            ("resource", Some(t)) => x.resource(t, b, &custom, &data_roles, facts),
            ("provider", Some(p @ ("azurerm" | "azuread"))) => {
                let addr = match x.str_attr(&b.body, "alias") {
                    Some(alias) => format!("provider.{p}.{alias}"),
                    None => format!("provider.{p}"),
                };
                for key in [
                    "client_secret",
                    "client_certificate_password",
                    "client_certificate",
                ] {
                    x.provider_secret(&b.body, key, p, &addr, facts);
                }
            }
            ("terraform", _) => {
                for be in x.blocks(&b.body, "backend") {
                    if be.labels.first().map(String::as_str) != Some("azurerm") {
                        continue;
                    }
                    for key in [
                        "access_key",
                        "sas_token",
                        "client_secret",
                        "client_certificate_password",
                    ] {
                        x.provider_secret(
                            &be.body,
                            key,
                            "azurerm",
                            "terraform.backend.azurerm",
                            facts,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    x.shared_key_consumers(blocks, facts);
}

struct Azure<'a, 'm> {
    ev: &'a Evaluator<'m>,
}

impl<'m> Azure<'_, 'm> {
    fn eval_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<(Span, Node)> {
        let a = body.attr(name)?;
        Some((a.key, self.ev.eval(a.expr)))
    }

    fn str_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<String> {
        self.eval_attr(body, name)
            .and_then(|(_, n)| n.as_str().map(str::to_owned))
    }

    fn blocks(&self, body: &BodyRef<'m>, name: &str) -> Vec<BlockRef<'m>> {
        let sources = self.ev.sources.borrow();
        body.blocks(name, &sources)
    }

    fn role_definition(&self, b: &BlockRef<'m>, facts: &mut Facts) -> usize {
        let mut actions = Vec::new();
        let mut not_actions = Vec::new();
        for p in self.blocks(&b.body, "permissions") {
            for (key, out) in [("actions", &mut actions), ("not_actions", &mut not_actions)] {
                if let Some((_, n)) = self.eval_attr(&p.body, key) {
                    if n.is_unknown() {
                        out.push(Val::from_node(&n));
                    } else {
                        out.extend(n.one_or_many().iter().map(Val::from_node));
                    }
                }
            }
        }
        let assignable_root = self
            .eval_attr(&b.body, "assignable_scopes")
            .is_some_and(|(_, n)| n.one_or_many().iter().any(|s| s.as_str() == Some("/")));
        facts.cloud.azure.role_definitions.push(RoleDefinition {
            address: address(b),
            declared: b.header,
            name: self.str_attr(&b.body, "name"),
            actions,
            not_actions,
            assignable_root,
        });
        facts.cloud.azure.role_definitions.len() - 1
    }

    fn resource(
        &self,
        t: &str,
        b: &BlockRef<'m>,
        custom: &HashMap<String, usize>,
        data_roles: &HashMap<String, String>,
        facts: &mut Facts,
    ) {
        let addr = address(b);
        let az = &mut facts.cloud.azure;
        match t {
            "azurerm_user_assigned_identity" => {
                let name = self.str_attr(&b.body, "name");
                az.identities.push(AzIdentity {
                    address: addr,
                    span: b.header,
                    name,
                });
            }
            "azurerm_role_assignment" => {
                let a = self.role_assignment(b, addr, custom, data_roles);
                az.role_assignments.push(a);
            }
            "azuread_application_password" | "azuread_service_principal_password" => {
                az.app_credentials.push(AppCredential {
                    address: addr,
                    declared: b.header,
                    kind: AppCredentialKind::Password,
                    validity: self.validity(&b.body),
                });
            }
            "azuread_application_certificate" | "azuread_service_principal_certificate" => {
                az.app_credentials.push(AppCredential {
                    address: addr,
                    declared: b.header,
                    kind: AppCredentialKind::Certificate,
                    validity: self.validity(&b.body),
                });
            }
            "azurerm_key_vault_secret" | "azurerm_key_vault_key" => {
                let kind = if t == "azurerm_key_vault_secret" {
                    VaultItemKind::Secret
                } else {
                    VaultItemKind::Key
                };
                let expires = b.body.attr("expiration_date").is_some()
                    || self
                        .blocks(&b.body, "rotation_policy")
                        .iter()
                        .any(|r| r.body.attr("expire_after").is_some());
                az.vault_items.push(VaultItem {
                    address: addr,
                    declared: b.header,
                    kind,
                    expires,
                });
            }
            "azurerm_storage_account" => {
                // `shared_access_key_enabled` defaults to true.
                let set = self.eval_attr(&b.body, "shared_access_key_enabled");
                let (enabled, explicit, span) = match &set {
                    None => (true, false, b.header),
                    Some((k, n)) => match n.as_bool() {
                        Some(v) => (v, true, k.cover(n.span)),
                        None => (false, false, b.header),
                    },
                };
                if enabled {
                    az.local_auth.push(LocalAuth {
                        address: addr,
                        declared: b.header,
                        what: "shared key access",
                        span,
                        explicit,
                        consumers: Vec::new(),
                    });
                }
            }
            "azurerm_container_registry" => {
                if let Some((k, n)) = self.eval_attr(&b.body, "admin_enabled")
                    && n.as_bool() == Some(true)
                {
                    az.local_auth.push(LocalAuth {
                        address: addr,
                        declared: b.header,
                        what: "the admin user",
                        span: k.cover(n.span),
                        explicit: true,
                        consumers: Vec::new(),
                    });
                }
            }
            "azurerm_kubernetes_cluster" => {
                // `local_account_disabled` defaults to false: the cluster-admin kubeconfig
                // (a client certificate that never expires) can be listed.
                let set = self.eval_attr(&b.body, "local_account_disabled");
                let (enabled, explicit, span) = match &set {
                    None => (true, false, b.header),
                    Some((k, n)) => match n.as_bool() {
                        Some(v) => (!v, true, k.cover(n.span)),
                        None => (false, false, b.header),
                    },
                };
                if enabled {
                    az.local_auth.push(LocalAuth {
                        address: addr,
                        declared: b.header,
                        what: "local accounts",
                        span,
                        explicit,
                        consumers: Vec::new(),
                    });
                }
            }
            "azurerm_federated_identity_credential"
            | "azuread_application_federated_identity_credential" => {
                let val = |k: &str| self.eval_attr(&b.body, k).map(|(_, n)| Val::from_node(&n));
                let parent = ["parent_id", "application_id", "application_object_id"]
                    .iter()
                    .find_map(|k| val(k))
                    .map(|v| v.text);
                az.federated.push(FederatedCredential {
                    address: addr,
                    declared: b.header,
                    issuer: val("issuer"),
                    subject: val("subject"),
                    parent,
                });
            }
            "azurerm_app_service"
            | "azurerm_function_app"
            | "azurerm_linux_web_app"
            | "azurerm_windows_web_app"
            | "azurerm_linux_function_app"
            | "azurerm_windows_function_app"
            | "azurerm_container_group"
            | "azurerm_automation_account" => {
                let kind = match t {
                    "azurerm_app_service" | "azurerm_linux_web_app" | "azurerm_windows_web_app" => {
                        "App Service app"
                    }
                    "azurerm_container_group" => "container group",
                    "azurerm_automation_account" => "Automation account",
                    _ => "Function App",
                };
                let has_identity = !b.body.dynamic_blocks("identity").is_empty()
                    || self.blocks(&b.body, "identity").iter().any(|i| {
                        self.eval_attr(&i.body, "type")
                            .is_some_and(|(_, n)| n.as_str().is_none_or(|s| !s.trim().is_empty()))
                    });
                az.workloads.push(AzWorkload {
                    address: addr,
                    declared: b.header,
                    kind,
                    has_identity,
                });
            }
            _ => {}
        }
    }

    fn role_assignment(
        &self,
        b: &BlockRef<'m>,
        addr: String,
        custom: &HashMap<String, usize>,
        data_roles: &HashMap<String, String>,
    ) -> RoleAssignment {
        let body = &b.body;
        let mut role = AzRole::Unknown;
        let mut role_span = b.header;
        if let Some((_, n)) = self.eval_attr(body, "role_definition_id") {
            role_span = n.span;
            role = match n.as_str() {
                Some(id) => {
                    builtin_by_id(id).map_or(AzRole::Unknown, |r| AzRole::Builtin(r.into()))
                }
                None => match ref_target(
                    &n,
                    &["azurerm_role_definition.", "data.azurerm_role_definition."],
                ) {
                    Some(r) if r.starts_with("data.") => data_roles
                        .get(&r)
                        .map_or(AzRole::Unknown, |name| AzRole::Builtin(name.clone())),
                    Some(r) => custom
                        .get(&r)
                        .map_or(AzRole::Unknown, |i| AzRole::Custom(*i)),
                    None => AzRole::Unknown,
                },
            };
        }
        if role == AzRole::Unknown
            && let Some((_, n)) = self.eval_attr(body, "role_definition_name")
        {
            role_span = n.span;
            if let Some(name) = n.as_str() {
                role = AzRole::Builtin(name.to_owned());
            }
        }
        let (scope, scope_span) = match self.eval_attr(body, "scope") {
            Some((_, n)) => (scope_of(&n), n.span),
            None => (AzScope::Unknown, b.header),
        };
        // `skip_service_principal_aad_check` only applies to service principals.
        let ptype = self.str_attr(body, "principal_type").or_else(|| {
            self.eval_attr(body, "skip_service_principal_aad_check")
                .and_then(|(_, n)| n.as_bool())
                .filter(|b| *b)
                .map(|_| "ServicePrincipal".to_owned())
        });
        let (principal, principal_span, principal_text) = match self.eval_attr(body, "principal_id")
        {
            Some((_, n)) => {
                let text = match n.as_unknown() {
                    Some(u) => u.text.clone(),
                    None => n.as_str().unwrap_or("").to_owned(),
                };
                (principal_of(&n, ptype.as_deref()), n.span, text)
            }
            None => (AzPrincipal::Unknown, b.header, String::new()),
        };
        RoleAssignment {
            address: addr,
            declared: b.header,
            role,
            role_span,
            scope,
            scope_span,
            principal,
            principal_span,
            principal_text,
            conditioned: b.body.attr("condition").is_some(),
        }
    }

    /// The validity of a client secret or certificate: `end_date_relative`, or `end_date`
    /// counted from `start_date` (or from today).
    fn validity(&self, body: &BodyRef<'m>) -> Validity {
        if let Some((k, n)) = self.eval_attr(body, "end_date_relative") {
            return match n.as_str().and_then(go_duration_hours) {
                Some(h) => Validity::Days(h / 24, k.cover(n.span)),
                None => Validity::Unknown,
            };
        }
        let Some((k, n)) = self.eval_attr(body, "end_date") else {
            return Validity::Default;
        };
        let Some(end) = n.as_str().and_then(days_of_date) else {
            return Validity::Unknown;
        };
        let start = match self.eval_attr(body, "start_date") {
            Some((_, s)) => match s.as_str().and_then(days_of_date) {
                Some(d) => d,
                None => return Validity::Unknown,
            },
            None => today(),
        };
        Validity::Days(end - start, k.cover(n.span))
    }

    fn provider_secret(
        &self,
        body: &BodyRef<'m>,
        key: &str,
        provider: &str,
        addr: &str,
        facts: &mut Facts,
    ) {
        let Some((_, n)) = self.eval_attr(body, key) else {
            return;
        };
        let Some(v) = n.as_str() else { return };
        let strong = match key {
            "client_secret" => is_entra_client_secret(v),
            "access_key" => is_storage_key(v),
            "sas_token" => v.contains("sig="),
            "client_certificate" => v.len() > 200,
            _ => false,
        };
        let span = value_span(self.ev, &n, 0, v.len());
        literal_credential(v, span, key, provider, addr, strong, facts);
    }

    /// Resources that read a shared key (`azurerm_storage_account.x.primary_access_key`) are the
    /// evidence that it is in use: attach them to the service's finding.
    fn shared_key_consumers(&self, blocks: &[BlockRef<'m>], facts: &mut Facts) {
        if facts.cloud.azure.local_auth.is_empty() {
            return;
        }
        for b in blocks {
            let text = self.ev.source_text(b.full);
            for la in facts.cloud.azure.local_auth.iter_mut() {
                // Blocks name services of their own module, without the call's `module.x.`.
                let Some(local) = la.address.strip_prefix(self.ev.prefix()).map(str::to_owned)
                else {
                    continue;
                };
                if !text.contains(local.as_str()) {
                    continue;
                }
                let Some(ty) = local.split('.').next() else {
                    continue;
                };
                let Some((_, attrs)) = SHARED_KEY_ATTRS.iter().find(|(t, _)| *t == ty) else {
                    continue;
                };
                let mut from = 0;
                while let Some(i) = text[from..].find(local.as_str()) {
                    let at = from + i;
                    let rest = &text[at + local.len()..];
                    let attr = rest
                        .strip_prefix('.')
                        .and_then(|r| attrs.iter().find(|a| r.starts_with(**a)));
                    if let Some(a) = attr {
                        let end = at + local.len() + 1 + a.len();
                        let span = Span {
                            file: b.full.file,
                            start: b.full.start + u32::try_from(at).unwrap_or(0),
                            end: b.full.start + u32::try_from(end).unwrap_or(0),
                        };
                        la.consumers
                            .push((span, format!("{} reads `{a}`", address(b))));
                        break;
                    }
                    from = at + local.len();
                }
            }
        }
    }
}

/// The resource a reference names, as `type.name` (or `data.type.name`), if it is one of these.
fn ref_target(n: &Node, prefixes: &[&str]) -> Option<String> {
    let u = n.as_unknown()?;
    u.refs.iter().find_map(|r| {
        let p = prefixes.iter().find(|p| r.starts_with(**p))?;
        let rest = &r[p.len()..];
        let name = rest.split('.').next()?;
        Some(format!("{p}{name}"))
    })
}

pub fn builtin_by_id(id: &str) -> Option<&'static str> {
    let id = id.trim().to_ascii_lowercase();
    BUILTIN_ROLE_IDS
        .iter()
        .find(|(g, _)| id.ends_with(g))
        .map(|(_, name)| *name)
}

/// The scope of an assignment from its value: literal resource ids, `"/subscriptions/${...}"`
/// templates, and references to subscription, management group and resource group objects.
fn scope_of(n: &Node) -> AzScope {
    let text = match (n.as_str(), n.as_unknown()) {
        (Some(s), _) => s.to_owned(),
        (None, Some(u)) => {
            let r = |p: &[&str]| u.refs.iter().any(|r| p.iter().any(|x| r.starts_with(x)));
            // A bare reference to an object's id.
            if !u.text.contains('/') {
                if r(&["data.azurerm_subscription.", "azurerm_subscription."]) {
                    return AzScope::Subscription;
                }
                if r(&[
                    "data.azurerm_management_group.",
                    "azurerm_management_group.",
                ]) {
                    return AzScope::ManagementGroup;
                }
                if r(&["data.azurerm_resource_group.", "azurerm_resource_group."]) {
                    return AzScope::ResourceGroup;
                }
                if u.refs
                    .iter()
                    .any(|r| r.starts_with("azurerm_") && r.ends_with(".id"))
                {
                    return AzScope::Resource;
                }
                return AzScope::Unknown;
            }
            u.text.clone()
        }
        _ => return AzScope::Unknown,
    };
    scope_of_id(&text)
}

/// The scope of a resource id such as `/subscriptions/<id>/resourceGroups/<rg>`; `${...}` parts
/// count as one segment.
pub fn scope_of_id(id: &str) -> AzScope {
    let t = id.trim().trim_start_matches('"').trim_end_matches('"');
    if t == "/" {
        return AzScope::Root;
    }
    let mut segs: Vec<&str> = t.trim_end_matches('/').split('/').collect();
    // `${data.azurerm_subscription.x.id}/resourceGroups/...`: the first part is a subscription.
    if segs
        .first()
        .is_some_and(|s| s.starts_with("${") && s.contains("subscription") && s.ends_with(".id}"))
    {
        segs.splice(0..1, ["", "subscriptions", "x"]);
    }
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    match l.as_slice() {
        [
            "",
            "providers",
            "microsoft.management",
            "managementgroups",
            _,
        ] => AzScope::ManagementGroup,
        ["", "subscriptions", s] if !s.is_empty() => AzScope::Subscription,
        ["", "subscriptions", _, "resourcegroups", g] if !g.is_empty() => AzScope::ResourceGroup,
        ["", "subscriptions", _, ..] => AzScope::Resource,
        _ => AzScope::Unknown,
    }
}

/// Which kind of principal a `principal_id` names.
fn principal_of(n: &Node, principal_type: Option<&str>) -> AzPrincipal {
    match principal_type.map(str::to_ascii_lowercase).as_deref() {
        Some("serviceprincipal") => {
            return if refs_identity(n) {
                AzPrincipal::ManagedIdentity
            } else {
                AzPrincipal::ServicePrincipal
            };
        }
        Some("user") => return AzPrincipal::User,
        Some("group") => return AzPrincipal::Group,
        _ => {}
    }
    let Some(u) = n.as_unknown() else {
        return AzPrincipal::Unknown;
    };
    let has = |p: &str| u.refs.iter().any(|r| r.starts_with(p));
    if refs_identity(n) {
        AzPrincipal::ManagedIdentity
    } else if has("azuread_service_principal.") || has("data.azuread_service_principal.") {
        AzPrincipal::ServicePrincipal
    } else if has("data.azurerm_client_config.") || has("data.azuread_client_config.") {
        AzPrincipal::Deployer
    } else if has("azuread_user.") || has("data.azuread_user.") {
        AzPrincipal::User
    } else if has("azuread_group.") || has("data.azuread_group.") {
        AzPrincipal::Group
    } else {
        AzPrincipal::Unknown
    }
}

/// A user-assigned identity, or a resource's system-assigned / kubelet identity.
fn refs_identity(n: &Node) -> bool {
    n.as_unknown().is_some_and(|u| {
        u.refs.iter().any(|r| {
            r.starts_with("azurerm_user_assigned_identity.")
                || r.starts_with("data.azurerm_user_assigned_identity.")
                || r.contains(".identity.principal_id")
                || r.contains("_identity.object_id")
        })
    })
}

/// Entra ID client secrets: about 40 characters, three hint characters then a version marker
/// such as `8Q~` (`Q_e8Q~ZDWJD...`).
fn is_entra_client_secret(v: &str) -> bool {
    let b = v.trim().as_bytes();
    (34..=44).contains(&b.len()) && b.get(4) == Some(&b'Q') && b.get(5) == Some(&b'~')
}

/// Storage account keys: 88 base64 characters ending with `==`.
fn is_storage_key(v: &str) -> bool {
    let v = v.trim();
    v.len() == 88
        && v.ends_with("==")
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=')
}

/// Hours of a Go duration (`8760h`, `17520h0m0s`, `90m`); None if it is not one.
pub fn go_duration_hours(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total_secs: f64 = 0.0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphabetic() || n == 'µ' {
                unit.push(n);
                chars.next();
            } else {
                break;
            }
        }
        let v: f64 = num.parse().ok()?;
        num.clear();
        total_secs += v * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" | "us" | "µs" | "ns" => 0.0,
            _ => return None,
        };
    }
    if !num.is_empty() {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    Some((total_secs / 3600.0) as i64)
}

/// Days since 1970-01-01 of an RFC 3339 date or timestamp (`2025-01-01T00:00:00Z`).
pub fn days_of_date(s: &str) -> Option<i64> {
    let d = s.trim().get(..10)?;
    let mut p = d.split('-');
    let y: i64 = p.next()?.parse().ok()?;
    let m: i64 = p.next()?.parse().ok()?;
    let day: i64 = p.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    i64::try_from(secs / 86_400).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        assert_eq!(scope_of_id("/"), AzScope::Root);
        assert_eq!(
            scope_of_id("/subscriptions/00000000-0000-0000-0000-000000000000"),
            AzScope::Subscription
        );
        assert_eq!(
            scope_of_id("/subscriptions/${data.azurerm_client_config.c.subscription_id}"),
            AzScope::Subscription
        );
        assert_eq!(
            scope_of_id("/subscriptions/x/resourceGroups/rg"),
            AzScope::ResourceGroup
        );
        assert_eq!(
            scope_of_id(
                "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/s"
            ),
            AzScope::Resource
        );
        assert_eq!(
            scope_of_id("/providers/Microsoft.Management/managementGroups/platform"),
            AzScope::ManagementGroup
        );
    }

    #[test]
    fn durations_and_dates() {
        assert_eq!(go_duration_hours("8760h"), Some(8760));
        assert_eq!(go_duration_hours("17520h0m0s"), Some(17520));
        assert_eq!(go_duration_hours("90m"), Some(1));
        assert_eq!(go_duration_hours("two years"), None);
        assert_eq!(days_of_date("1970-01-02T00:00:00Z"), Some(1));
        assert_eq!(
            days_of_date("2025-01-01")
                .zip(days_of_date("2024-01-01"))
                .map(|(a, b)| a - b),
            Some(366)
        );
    }

    #[test]
    fn builtin_role_ids() {
        assert_eq!(
            builtin_by_id(
                "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
            ),
            Some("Owner")
        );
        assert_eq!(builtin_by_id("acdd72a7-3385-48ef-bd42-f606fba81ae7"), None);
    }
}
