//! The cross-file index, built once per scan from every unit's facts: which role a binding
//! refers to (in the scan, built in, or missing), aggregated ClusterRoles, which bindings
//! reach a role, and for every ServiceAccount the rules it effectively holds and where.

use std::collections::{HashMap, HashSet};

use crate::model::rbac::{Binding, K8sFacts, PolicyRule, Role, builtin_cluster_role};

/// What a binding's `roleRef` resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleTarget {
    /// A Role or ClusterRole of the scan (index into `K8sFacts::roles`).
    Scan(usize),
    /// A built-in ClusterRole (`cluster-admin`, `admin`, `edit`, `view`).
    Builtin(&'static str),
    /// Not defined in the scan and not a known built-in.
    Missing,
}

/// Where a rule comes from: a role of the scan (with the rule's index) or a built-in role.
#[derive(Clone, Copy, Debug)]
pub struct RuleRef<'a> {
    pub role: Option<usize>,
    pub rule: &'a PolicyRule,
}

/// A grant reaching a subject through one binding.
#[derive(Clone, Copy, Debug)]
pub struct Grant<'a> {
    pub binding: usize,
    pub rule: RuleRef<'a>,
    /// The namespace the grant applies in; `None` for cluster-wide.
    pub namespace: Option<&'a str>,
}

pub struct RbacIndex<'a> {
    pub k8s: &'a K8sFacts,
    /// `(cluster, namespace, name)` -> role; cluster roles use an empty namespace.
    roles: HashMap<(bool, &'a str, &'a str), usize>,
    pub targets: Vec<RoleTarget>,
    /// Aggregated ClusterRole -> roles whose labels its selectors match.
    aggregated: HashMap<usize, Vec<usize>>,
    /// Role -> bindings that reach it (directly or through aggregation).
    by_role: HashMap<usize, Vec<usize>>,
    /// `(namespace, name)` of a ServiceAccount subject -> bindings naming it.
    by_service_account: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// Bindings to `system:serviceaccounts` (`""`) or `system:serviceaccounts:<ns>` (`ns`).
    by_sa_group: HashMap<&'a str, Vec<usize>>,
    /// ServiceAccounts defined in the scan, by `(namespace, name)`.
    service_accounts: HashMap<(&'a str, &'a str), usize>,
    /// Namespaces in which the scan defines at least one ServiceAccount.
    pub sa_namespaces: HashSet<&'a str>,
}

const BUILTINS: &[&str] = &["cluster-admin", "admin", "edit", "view"];

/// The built-in ClusterRoles' rules, made once.
fn builtins() -> &'static HashMap<&'static str, Vec<PolicyRule>> {
    static B: std::sync::OnceLock<HashMap<&'static str, Vec<PolicyRule>>> =
        std::sync::OnceLock::new();
    B.get_or_init(|| {
        BUILTINS
            .iter()
            .filter_map(|b| builtin_cluster_role(b).map(|r| (*b, r)))
            .collect()
    })
}

impl<'a> RbacIndex<'a> {
    pub fn new(k8s: &'a K8sFacts) -> RbacIndex<'a> {
        let mut roles = HashMap::new();
        for (i, r) in k8s.roles.iter().enumerate() {
            let ns = if r.cluster { "" } else { r.meta.ns() };
            roles
                .entry((r.cluster, ns, r.meta.name.as_str()))
                .or_insert(i);
        }
        let mut service_accounts = HashMap::new();
        let mut sa_namespaces = HashSet::new();
        for (i, sa) in k8s.service_accounts.iter().enumerate() {
            service_accounts
                .entry((sa.meta.ns(), sa.meta.name.as_str()))
                .or_insert(i);
            sa_namespaces.insert(sa.meta.ns());
        }
        let mut by_service_account: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut by_sa_group: HashMap<&str, Vec<usize>> = HashMap::new();
        for (bi, b) in k8s.bindings.iter().enumerate() {
            for s in &b.subjects {
                if s.kind == "ServiceAccount" {
                    let v = by_service_account
                        .entry((b.subject_ns(s), s.name.as_str()))
                        .or_default();
                    if v.last() != Some(&bi) {
                        v.push(bi);
                    }
                } else if s.kind == "Group" {
                    let key = match s.name.as_str() {
                        "system:serviceaccounts" => Some(""),
                        n => n.strip_prefix("system:serviceaccounts:"),
                    };
                    if let Some(k) = key {
                        let v = by_sa_group.entry(k).or_default();
                        if v.last() != Some(&bi) {
                            v.push(bi);
                        }
                    }
                }
            }
        }
        let mut idx = RbacIndex {
            k8s,
            roles,
            targets: Vec::new(),
            aggregated: HashMap::new(),
            by_role: HashMap::new(),
            by_service_account,
            by_sa_group,
            service_accounts,
            sa_namespaces,
        };
        idx.targets = k8s.bindings.iter().map(|b| idx.resolve(b)).collect();
        for (i, r) in k8s.roles.iter().enumerate() {
            if r.aggregation.is_empty() {
                continue;
            }
            let members: Vec<usize> = k8s
                .roles
                .iter()
                .enumerate()
                .filter(|(j, o)| {
                    *j != i
                        && o.cluster
                        && r.aggregation.iter().any(|sel| {
                            !sel.is_empty()
                                && sel.iter().all(|(k, v)| o.meta.label(k) == Some(v.as_str()))
                        })
                })
                .map(|(j, _)| j)
                .collect();
            idx.aggregated.insert(i, members);
        }
        let mut by_role: HashMap<usize, Vec<usize>> = HashMap::new();
        for (bi, t) in idx.targets.iter().enumerate() {
            if let RoleTarget::Scan(r) = t {
                by_role.entry(*r).or_default().push(bi);
                for &m in idx.aggregated.get(r).map(Vec::as_slice).unwrap_or(&[]) {
                    by_role.entry(m).or_default().push(bi);
                }
            }
        }
        idx.by_role = by_role;
        idx
    }

    fn resolve(&self, b: &Binding) -> RoleTarget {
        let cluster = b.role_kind != "Role";
        let ns = if cluster { "" } else { b.meta.ns() };
        if let Some(&i) = self.roles.get(&(cluster, ns, b.role_name.as_str())) {
            return RoleTarget::Scan(i);
        }
        if cluster && let Some(name) = BUILTINS.iter().find(|n| **n == b.role_name) {
            return RoleTarget::Builtin(name);
        }
        RoleTarget::Missing
    }

    /// Every rule a role grants, its aggregated members' included.
    pub fn role_rules(&self, role: usize) -> Vec<RuleRef<'a>> {
        let k8s = self.k8s;
        let mut out: Vec<RuleRef<'a>> = Vec::new();
        let mut push = |i: usize| {
            if let Some(r) = k8s.roles.get(i) {
                out.extend(r.rules.iter().map(|rule| RuleRef {
                    role: Some(i),
                    rule,
                }));
            }
        };
        push(role);
        if let Some(members) = self.aggregated.get(&role) {
            for &m in members {
                push(m);
            }
        }
        out
    }

    pub fn target_rules(&self, t: RoleTarget) -> Vec<RuleRef<'a>> {
        match t {
            RoleTarget::Scan(i) => self.role_rules(i),
            RoleTarget::Builtin(name) => builtins()
                .get(name)
                .map(|rules| {
                    rules
                        .iter()
                        .map(|rule| RuleRef { role: None, rule })
                        .collect()
                })
                .unwrap_or_default(),
            RoleTarget::Missing => Vec::new(),
        }
    }

    /// Bindings whose role is `role` (directly, or through aggregation into a bound role).
    pub fn bindings_of(&self, role: usize) -> Vec<usize> {
        // Bindings resolve a name to the first role of that name; a role defined again under
        // the same name (another environment's copy) is bound by them too.
        let first = self.canonical(role);
        let mut out: Vec<usize> = self.by_role.get(&role).cloned().unwrap_or_default();
        if first != role {
            out.extend(self.by_role.get(&first).map(Vec::as_slice).unwrap_or(&[]));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The first role of the scan with the same kind, namespace and name as `role`.
    fn canonical(&self, role: usize) -> usize {
        let r = &self.k8s.roles[role];
        let ns = if r.cluster { "" } else { r.meta.ns() };
        self.roles
            .get(&(r.cluster, ns, r.meta.name.as_str()))
            .copied()
            .unwrap_or(role)
    }

    /// The namespace a binding grants in: `None` for a ClusterRoleBinding.
    pub fn binding_scope(&self, b: usize) -> Option<&'a str> {
        let bd = &self.k8s.bindings[b];
        if bd.cluster { None } else { Some(bd.meta.ns()) }
    }

    /// Every grant held by the ServiceAccount `ns/name`.
    pub fn service_account_grants(&self, ns: &str, name: &str) -> Vec<Grant<'a>> {
        let mut bindings: Vec<usize> = Vec::new();
        for list in [
            self.by_service_account.get(&(ns, name)),
            self.by_sa_group.get(""),
            self.by_sa_group.get(ns),
        ]
        .into_iter()
        .flatten()
        {
            bindings.extend(list);
        }
        bindings.sort_unstable();
        bindings.dedup();
        let mut out = Vec::new();
        for bi in bindings {
            let scope = self.binding_scope(bi);
            for rule in self.target_rules(self.targets[bi]) {
                out.push(Grant {
                    binding: bi,
                    rule,
                    namespace: scope,
                });
            }
        }
        out
    }

    pub fn role(&self, i: usize) -> &'a Role {
        &self.k8s.roles[i]
    }

    /// Is the ServiceAccount `ns/name` defined in the scan?
    pub fn service_account_defined(&self, ns: &str, name: &str) -> bool {
        self.service_accounts.contains_key(&(ns, name))
    }

    /// The ServiceAccount `ns/name` when the scan defines it.
    pub fn service_account(
        &self,
        ns: &str,
        name: &str,
    ) -> Option<&'a crate::model::rbac::ServiceAccount> {
        self.service_accounts
            .get(&(ns, name))
            .map(|&i| &self.k8s.service_accounts[i])
    }
}
