//! GCP resources of one Terraform module into model facts: IAM grants at organization, folder,
//! project and resource level (`*_iam_member`, `*_iam_binding`, `*_iam_policy` with
//! `data "google_iam_policy"`), user-managed service-account keys, the service accounts and
//! scopes of Compute Engine instances and GKE nodes, GKE cluster authentication settings, and
//! workload identity pool providers.

use std::collections::HashMap;

use super::body::{BlockRef, BodyRef, address, local_address};
use super::eval::Evaluator;
use crate::model::Facts;
use crate::model::cloud::{
    GcpGrant, GcpLevel, GcpServiceAccount, GkeAuth, GkeAuthKind, GkeNodeIdentity, SaChoice, SaKey,
    VmIdentity, WifProvider,
};
use crate::model::iam::Val;
use crate::parse::doc::Node;
use crate::source::Span;

/// Extract GCP facts from the module's top-level blocks.
pub fn extract(ev: &Evaluator, blocks: &[BlockRef], facts: &mut Facts) {
    let gcp = |b: &&BlockRef| b.labels.first().is_some_and(|t| t.starts_with("google_"));
    if !blocks.iter().any(|b| gcp(&b)) {
        return;
    }
    let x = Gcp { ev };
    // A data policy takes the level of the `*_iam_policy` resources that apply it.
    let mut appliers: HashMap<String, (GcpLevel, String, Span)> = HashMap::new();
    for b in blocks.iter().filter(gcp) {
        if b.ident != "resource" {
            continue;
        }
        let Some(t) = b.labels.first() else { continue };
        if !t.ends_with("_iam_policy") {
            continue;
        }
        if let Some((_, n)) = x.eval_attr(&b.body, "policy_data")
            && let Some(data) = ref_to_data_policy(&n)
        {
            let level = level_of(t);
            let e = appliers
                .entry(data)
                .or_insert((level, address(b), b.header));
            // Keep the broadest level when several resources apply the same policy.
            if level.is_hierarchy() && !e.0.is_hierarchy() {
                *e = (level, address(b), b.header);
            }
        }
    }
    for b in blocks.iter().filter(gcp) {
        let Some(t) = b.labels.first().map(String::as_str) else {
            continue;
        };
        match b.ident.as_str() {
            "data" if t == "google_iam_policy" => {
                let addr = address(b);
                // References name blocks of the same module: no `module.x.` prefix.
                let via = appliers.get(&local_address(b)).cloned();
                x.data_policy(b, &addr, via, facts);
            }
            "resource" => x.resource(t, b, facts),
            _ => {}
        }
    }
}

/// `data.google_iam_policy.x` named in a `policy_data` value.
fn ref_to_data_policy(n: &Node) -> Option<String> {
    let u = n.as_unknown()?;
    u.refs.iter().find_map(|r| {
        let mut p = r.split('.');
        match (p.next(), p.next(), p.next()) {
            (Some("data"), Some("google_iam_policy"), Some(name)) => {
                Some(format!("data.google_iam_policy.{name}"))
            }
            _ => None,
        }
    })
}

/// The level an IAM resource type grants at.
fn level_of(t: &str) -> GcpLevel {
    if t.starts_with("google_project_iam_") {
        GcpLevel::Project
    } else if t.starts_with("google_folder_iam_") {
        GcpLevel::Folder
    } else if t.starts_with("google_organization_iam_") {
        GcpLevel::Organization
    } else if t.starts_with("google_service_account_iam_") {
        GcpLevel::ServiceAccount
    } else {
        GcpLevel::Resource
    }
}

/// Does a Terraform reference (or list of them) name any of these prefixes?
fn refs_start_with(n: &Node, prefixes: &[&str]) -> bool {
    n.as_unknown().is_some_and(|u| {
        u.refs
            .iter()
            .any(|r| prefixes.iter().any(|p| r.starts_with(p)))
    })
}

/// The Compute Engine and App Engine default service accounts (Checkov's patterns).
pub fn is_default_sa_email(email: &str) -> bool {
    let e = email.trim().to_ascii_lowercase();
    e == "default"
        || e.ends_with("-compute@developer.gserviceaccount.com")
        || e.ends_with("@appspot.gserviceaccount.com")
}

/// How a `service_account`/`email` value names the account a workload runs as.
fn sa_choice(n: Option<&Node>) -> SaChoice {
    let Some(n) = n else {
        return SaChoice::Default;
    };
    if n.is_null() {
        return SaChoice::Default;
    }
    if let Some(s) = n.as_str() {
        if s.trim().is_empty() || is_default_sa_email(s) {
            return SaChoice::Default;
        }
        return SaChoice::Dedicated;
    }
    if refs_start_with(n, &["data.google_compute_default_service_account"]) {
        return SaChoice::Default;
    }
    if refs_start_with(
        n,
        &[
            "google_service_account.",
            "data.google_service_account.",
            "module.",
        ],
    ) {
        return SaChoice::Dedicated;
    }
    SaChoice::Unknown
}

struct Gcp<'a, 'm> {
    ev: &'a Evaluator<'m>,
}

impl<'m> Gcp<'_, 'm> {
    fn eval_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<(Span, Node)> {
        let a = body.attr(name)?;
        Some((a.key, self.ev.eval(a.expr)))
    }

    fn blocks(&self, body: &BodyRef<'m>, name: &str) -> Vec<BlockRef<'m>> {
        let sources = self.ev.sources.borrow();
        body.blocks(name, &sources)
    }

    /// An attribute's value as text: the string, or the expression of an unknown value.
    fn text_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<String> {
        let (_, n) = self.eval_attr(body, name)?;
        match n.as_unknown() {
            Some(u) => Some(u.text.clone()),
            None => n.as_str().map(str::to_owned),
        }
    }

    fn bool_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<(bool, Span)> {
        let (_, n) = self.eval_attr(body, name)?;
        n.as_bool().map(|b| (b, n.span))
    }

    /// `member = "..."` and/or `members = [...]` (KICS fixtures write either on either type).
    fn members(&self, body: &BodyRef<'m>) -> (Vec<Val>, bool) {
        self.members_with(body, None)
    }

    /// Members, with `each.key` / `each.value` resolved for one `for_each` element.
    fn members_with(&self, body: &BodyRef<'m>, each: Option<(&Node, &Node)>) -> (Vec<Val>, bool) {
        let mut out = Vec::new();
        let mut unknown = false;
        for key in ["member", "members"] {
            let Some((_, mut n)) = self.eval_attr(body, key) else {
                continue;
            };
            if let Some((k, v)) = each
                && let Some(r) = resolve_each(&n, k, v)
            {
                n = r;
            }
            if n.is_unknown() {
                out.push(Val::from_node(&n));
                unknown = true;
                continue;
            }
            for m in n.one_or_many() {
                let v = Val::from_node(m);
                unknown |= !v.known;
                out.push(v);
            }
        }
        (out, unknown)
    }

    fn resource(&self, t: &str, b: &BlockRef<'m>, facts: &mut Facts) {
        let addr = address(b);
        if t.ends_with("_iam_member") || t.ends_with("_iam_binding") {
            self.grant(t, b, &addr, facts);
            return;
        }
        match t {
            "google_service_account" => {
                let str_of = |k: &str| {
                    self.eval_attr(&b.body, k)
                        .and_then(|(_, n)| n.as_str().map(str::to_owned))
                };
                facts.cloud.gcp.service_accounts.push(GcpServiceAccount {
                    address: addr,
                    span: b.header,
                    account_id: str_of("account_id"),
                    project: str_of("project"),
                });
            }
            "google_service_account_key" => {
                let account = self
                    .eval_attr(&b.body, "service_account_id")
                    .map(|(_, n)| match n.as_unknown() {
                        Some(u) => u.text.clone(),
                        None => n.as_str().unwrap_or("").to_owned(),
                    })
                    .unwrap_or_default();
                let rotated = self
                    .eval_attr(&b.body, "keepers")
                    .is_some_and(|(_, n)| mentions(&n, "time_rotating."));
                facts.cloud.gcp.sa_keys.push(SaKey {
                    address: addr,
                    span: b.header,
                    account,
                    uploaded: b.body.attr("public_key_data").is_some(),
                    rotated,
                });
            }
            "google_compute_instance"
            | "google_compute_instance_template"
            | "google_compute_region_instance_template"
            | "google_compute_instance_from_template" => {
                let kind = match t {
                    "google_compute_instance" => "instance",
                    "google_compute_instance_from_template" => "instance from template",
                    _ => "instance template",
                };
                for sa in self.blocks(&b.body, "service_account") {
                    let email = self.eval_attr(&sa.body, "email").map(|(_, n)| n);
                    let (scopes, scopes_unknown) = self.list(&sa.body, "scopes");
                    facts.cloud.gcp.vms.push(VmIdentity {
                        address: addr.clone(),
                        declared: b.header,
                        kind,
                        block: sa.header,
                        account: sa_choice(email.as_ref()),
                        email: email.as_ref().map(Val::from_node),
                        scopes,
                        scopes_unknown,
                    });
                }
            }
            "google_container_cluster" => self.cluster(b, &addr, facts),
            "google_container_node_pool" => {
                let configs = self.blocks(&b.body, "node_config");
                if configs.is_empty() && b.body.dynamic_blocks("node_config").is_empty() {
                    facts.cloud.gcp.gke_nodes.push(GkeNodeIdentity {
                        address: addr.clone(),
                        declared: b.header,
                        node_config: b.header,
                        account: SaChoice::Default,
                        email: None,
                        scopes: Vec::new(),
                        pool_removed: false,
                    });
                }
                for nc in configs {
                    self.node_config(&nc, b, &addr, false, facts);
                }
            }
            "google_iam_workload_identity_pool_provider" => {
                let mut protocol = ("oidc", b.header, None);
                for p in ["oidc", "aws", "saml", "x509"] {
                    if let Some(pb) = self.blocks(&b.body, p).into_iter().next() {
                        let issuer = self
                            .eval_attr(&pb.body, "issuer_uri")
                            .map(|(_, n)| Val::from_node(&n));
                        protocol = (p, pb.header, issuer);
                        break;
                    }
                }
                let condition = self
                    .eval_attr(&b.body, "attribute_condition")
                    .map(|(_, n)| Val::from_node(&n))
                    .filter(|v| !(v.known && v.text.trim().is_empty()));
                facts.cloud.gcp.wif_providers.push(WifProvider {
                    address: addr,
                    declared: b.header,
                    protocol: protocol.0,
                    protocol_span: protocol.1,
                    issuer: protocol.2,
                    condition,
                });
            }
            _ => {}
        }
    }

    fn list(&self, body: &BodyRef<'m>, key: &str) -> (Vec<Val>, bool) {
        match self.eval_attr(body, key) {
            Some((_, n)) if n.is_unknown() => (vec![Val::from_node(&n)], true),
            Some((_, n)) => {
                let vals: Vec<Val> = n.one_or_many().iter().map(Val::from_node).collect();
                let unknown = vals.iter().any(|v| !v.known);
                (vals, unknown)
            }
            None => (Vec::new(), false),
        }
    }

    fn grant(&self, t: &str, b: &BlockRef<'m>, addr: &str, facts: &mut Facts) {
        let Some((_, role)) = self.eval_attr(&b.body, "role") else {
            return;
        };
        let (members, members_unknown) = self.members(&b.body);
        let conditioned = !self.blocks(&b.body, "condition").is_empty();
        let target = self.text_attr(&b.body, "service_account_id");
        let mut push = |role: &Node, members: Vec<Val>, members_unknown: bool| {
            facts.cloud.gcp.grants.push(GcpGrant {
                address: addr.to_owned(),
                declared: b.header,
                level: level_of(t),
                role: Val::from_node(role),
                members,
                members_unknown,
                conditioned,
                via: None,
                target: target.clone(),
            });
        };
        // `for_each = toset(["roles/...", ...])` with `role = each.value` (or members from
        // `each.value`): one grant per element, pointing at the element.
        let each_role = is_each_ref(&role);
        let each_member = members.iter().any(|m| m.text.trim().starts_with("each."));
        if (each_role || each_member)
            && let Some(iters) = self.iterations(&b.body)
        {
            for (k, v) in &iters {
                let r = if each_role {
                    resolve_each(&role, k, v).unwrap_or_else(|| role.clone())
                } else {
                    role.clone()
                };
                let (ms, unknown) = if each_member {
                    self.members_with(&b.body, Some((k, v)))
                } else {
                    (members.clone(), members_unknown)
                };
                push(&r, ms, unknown);
            }
            return;
        }
        push(&role, members, members_unknown);
    }

    /// The elements of a known `for_each`: (each.key, each.value).
    fn iterations(&self, body: &BodyRef<'m>) -> Option<Vec<(Node, Node)>> {
        let (_, fe) = self.eval_attr(body, "for_each")?;
        match &fe.value {
            crate::parse::doc::Value::Seq(items) => {
                Some(items.iter().map(|i| (i.clone(), i.clone())).collect())
            }
            crate::parse::doc::Value::Map(entries) => Some(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect(),
            ),
            _ => None,
        }
    }

    fn data_policy(
        &self,
        b: &BlockRef<'m>,
        addr: &str,
        via: Option<(GcpLevel, String, Span)>,
        facts: &mut Facts,
    ) {
        let level = via.as_ref().map_or(GcpLevel::Unknown, |v| v.0);
        for bind in self.blocks(&b.body, "binding") {
            let Some((_, role)) = self.eval_attr(&bind.body, "role") else {
                continue;
            };
            let (members, members_unknown) = self.members(&bind.body);
            facts.cloud.gcp.grants.push(GcpGrant {
                address: addr.to_owned(),
                declared: bind.header,
                level,
                role: Val::from_node(&role),
                members,
                members_unknown,
                conditioned: !self.blocks(&bind.body, "condition").is_empty(),
                via: via.as_ref().map(|v| (v.1.clone(), v.2)),
                target: None,
            });
        }
    }

    fn cluster(&self, b: &BlockRef<'m>, addr: &str, facts: &mut Facts) {
        let body = &b.body;
        if let Some((true, span)) = self.bool_attr(body, "enable_legacy_abac") {
            facts.cloud.gcp.gke_auth.push(GkeAuth {
                address: addr.to_owned(),
                declared: b.header,
                kind: GkeAuthKind::LegacyAbac,
                span,
            });
        }
        for ma in self.blocks(body, "master_auth") {
            let basic = ["username", "password"].iter().find_map(|k| {
                let (key, n) = self.eval_attr(&ma.body, k)?;
                let set = n.is_unknown() || n.as_str().is_some_and(|s| !s.trim().is_empty());
                set.then_some(key.cover(n.span))
            });
            if let Some(span) = basic {
                facts.cloud.gcp.gke_auth.push(GkeAuth {
                    address: addr.to_owned(),
                    declared: b.header,
                    kind: GkeAuthKind::BasicAuth,
                    span,
                });
            }
            let ccc = self.blocks(&ma.body, "client_certificate_config");
            if ccc.is_empty() {
                facts.cloud.gcp.gke_auth.push(GkeAuth {
                    address: addr.to_owned(),
                    declared: b.header,
                    kind: GkeAuthKind::ClientCertificateDefault,
                    span: ma.header,
                });
            }
            for c in ccc {
                if let Some((true, span)) = self.bool_attr(&c.body, "issue_client_certificate") {
                    facts.cloud.gcp.gke_auth.push(GkeAuth {
                        address: addr.to_owned(),
                        declared: b.header,
                        kind: GkeAuthKind::ClientCertificate,
                        span,
                    });
                }
            }
        }
        let removed = self
            .bool_attr(body, "remove_default_node_pool")
            .is_some_and(|(v, _)| v);
        let configs = self.blocks(body, "node_config");
        let inline_pools = self.blocks(body, "node_pool");
        for nc in configs {
            self.node_config(&nc, b, addr, removed, facts);
        }
        for pool in inline_pools {
            let ncs = self.blocks(&pool.body, "node_config");
            if ncs.is_empty() {
                facts.cloud.gcp.gke_nodes.push(GkeNodeIdentity {
                    address: addr.to_owned(),
                    declared: b.header,
                    node_config: pool.header,
                    account: SaChoice::Default,
                    email: None,
                    scopes: Vec::new(),
                    pool_removed: false,
                });
            }
            for nc in ncs {
                self.node_config(&nc, b, addr, false, facts);
            }
        }
    }

    fn node_config(
        &self,
        nc: &BlockRef<'m>,
        b: &BlockRef<'m>,
        addr: &str,
        pool_removed: bool,
        facts: &mut Facts,
    ) {
        let sa = self.eval_attr(&nc.body, "service_account").map(|(_, n)| n);
        let (scopes, _) = self.list(&nc.body, "oauth_scopes");
        facts.cloud.gcp.gke_nodes.push(GkeNodeIdentity {
            address: addr.to_owned(),
            declared: b.header,
            node_config: nc.header,
            account: sa_choice(sa.as_ref()),
            email: sa.as_ref().map(Val::from_node),
            scopes,
            pool_removed,
        });
    }
}

/// Is the value exactly `each.key`, `each.value` or `each.value.<attr>`?
fn is_each_ref(n: &Node) -> bool {
    n.as_unknown()
        .is_some_and(|u| u.text.trim() == "each.key" || u.text.trim().starts_with("each.value"))
}

/// Resolve `each.key` / `each.value[.attr...]` for one `for_each` element.
fn resolve_each(n: &Node, key: &Node, value: &Node) -> Option<Node> {
    let u = n.as_unknown()?;
    let path: Vec<&str> = u.text.trim().split('.').collect();
    match path.as_slice() {
        ["each", "key"] => Some(key.clone()),
        ["each", "value", rest @ ..] => {
            let mut cur = value;
            for p in rest {
                cur = cur.get(p)?;
            }
            Some(cur.clone())
        }
        _ => None,
    }
}

/// Does any reference inside the value (a map of keepers, a list) start with `prefix`?
fn mentions(n: &Node, prefix: &str) -> bool {
    use crate::parse::doc::Value;
    match &n.value {
        Value::Unknown(u) => u.refs.iter().any(|r| r.starts_with(prefix)),
        Value::Seq(items) => items.iter().any(|i| mentions(i, prefix)),
        Value::Map(entries) => entries.iter().any(|e| mentions(&e.value, prefix)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_service_accounts() {
        assert!(is_default_sa_email(
            "123456789-compute@developer.gserviceaccount.com"
        ));
        assert!(is_default_sa_email("my-app@appspot.gserviceaccount.com"));
        assert!(!is_default_sa_email(
            "ci@my-project.iam.gserviceaccount.com"
        ));
    }

    #[test]
    fn iam_levels() {
        assert_eq!(level_of("google_project_iam_member"), GcpLevel::Project);
        assert_eq!(level_of("google_folder_iam_binding"), GcpLevel::Folder);
        assert_eq!(
            level_of("google_organization_iam_policy"),
            GcpLevel::Organization
        );
        assert_eq!(
            level_of("google_service_account_iam_member"),
            GcpLevel::ServiceAccount
        );
        assert_eq!(
            level_of("google_storage_bucket_iam_member"),
            GcpLevel::Resource
        );
    }
}
