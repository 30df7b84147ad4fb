//! Kubernetes identities, whatever they were written in (YAML manifests or the Terraform
//! Kubernetes provider): roles and their rules, bindings and subjects, ServiceAccounts,
//! Secrets, and the workloads that run as a ServiceAccount. Also what a rule lets its holder
//! do: the privilege classes of catalog §4.4.

use super::identity::PrivilegeClass;
use crate::source::{FileId, Span};

/// Object metadata shared by every kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    pub kind: String,
    pub name: String,
    /// `metadata.name` (or the object start when the name is missing).
    pub name_span: Span,
    /// As written; `None` when absent (then Kubernetes' default applies).
    pub namespace: Option<String>,
    /// The whole object.
    pub span: Span,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String, Span)>,
    /// Logical address: `ClusterRole/name`, `Role/ns/name`, `kubernetes_role_v1.x`.
    pub address: String,
    /// What must hold for the object to exist, when its source creates it only sometimes (a
    /// Helm template's `{{ if .Values.rbac.create }}` that is false by default): findings on
    /// it say so, at lower confidence.
    pub condition: Option<String>,
    /// Parts of the object written only under a condition (an `if` inside a Helm template's
    /// object): where, and what must hold.
    pub conditional_parts: Vec<(Span, String)>,
}

impl Meta {
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn annotation(&self, key: &str) -> Option<(&str, Span)> {
        self.annotations
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, s)| (v.as_str(), *s))
    }

    /// What must hold for a finding at `at` to be true: the object's condition and those of
    /// the conditional parts where `at` starts (a map's span may run on past the part).
    pub fn condition_at(&self, at: Span) -> Option<String> {
        let mut notes: Vec<&str> = self.condition.as_deref().into_iter().collect();
        for (s, n) in &self.conditional_parts {
            let inside = s.file == at.file && s.start <= at.start && at.start < s.end;
            if inside && !notes.contains(&n.as_str()) {
                notes.push(n);
            }
        }
        (!notes.is_empty()).then(|| notes.join(" and "))
    }

    /// The namespace Kubernetes would use for a namespaced object.
    pub fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
}

/// One list entry of a rule (`"*"` in `verbs`), with where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyRule {
    pub api_groups: Vec<Item>,
    pub resources: Vec<Item>,
    pub verbs: Vec<Item>,
    pub resource_names: Vec<Item>,
    pub non_resource_urls: Vec<Item>,
    /// The rule entry.
    pub span: Span,
    /// Some field could not be read (a Terraform variable, a dynamic block).
    pub unknown: bool,
    /// [`PolicyRule::classes`], worked out once: every workload whose ServiceAccount the
    /// rule reaches asks again.
    pub classes: ClassCache,
}

/// A rule's privilege classes once they are worked out. Not part of what the rule is: two
/// rules are equal whether or not either has been asked yet.
#[derive(Clone, Debug, Default)]
pub struct ClassCache(std::sync::OnceLock<Vec<PrivilegeClass>>);

impl PartialEq for ClassCache {
    fn eq(&self, _: &ClassCache) -> bool {
        true
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub meta: Meta,
    /// ClusterRole (true) or Role.
    pub cluster: bool,
    pub rules: Vec<PolicyRule>,
    /// `aggregationRule.clusterRoleSelectors[].matchLabels`.
    pub aggregation: Vec<Vec<(String, String)>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    /// `ServiceAccount`, `User` or `Group`.
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub meta: Meta,
    /// ClusterRoleBinding (true) or RoleBinding.
    pub cluster: bool,
    /// `ClusterRole` or `Role`.
    pub role_kind: String,
    pub role_name: String,
    pub role_span: Span,
    pub subjects: Vec<Subject>,
}

impl Binding {
    /// The namespace a subject ServiceAccount lives in: its own, or (as Kubernetes defaults
    /// it for RoleBindings) the binding's.
    pub fn subject_ns<'a>(&'a self, s: &'a Subject) -> &'a str {
        s.namespace.as_deref().unwrap_or_else(|| self.meta.ns())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceAccount {
    pub meta: Meta,
    /// `automountServiceAccountToken` with where it is set.
    pub automount: Option<(bool, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecretEntry {
    pub key: String,
    pub key_span: Span,
    pub value_span: Span,
    /// Under `stringData` (clear text) rather than `data` (base64).
    pub string_data: bool,
    /// Nothing worth protecting: empty, a placeholder, or a SOPS `ENC[...]` value.
    pub inert: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecretObj {
    pub meta: Meta,
    pub secret_type: Option<(String, Span)>,
    pub entries: Vec<SecretEntry>,
    /// The manifest is SOPS-encrypted.
    pub encrypted: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub name_span: Span,
    /// A literal `value:`.
    pub value: Option<(String, Span)>,
    /// `valueFrom.secretKeyRef` (secret name, key).
    pub secret_ref: Option<(String, String, Span)>,
    pub container: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub meta: Meta,
    /// `serviceAccountName` (or the deprecated `serviceAccount`) as written.
    pub service_account: Option<(String, Span)>,
    pub automount: Option<(bool, Span)>,
    /// The pod spec (`spec`, `spec.template.spec`, ...), where absent settings belong.
    pub pod_spec: Span,
    /// The key that introduces the pod spec (`spec:` of a Pod, `template:`...).
    pub pod_spec_key: Span,
    pub env: Vec<EnvVar>,
    /// Secrets loaded whole into the environment (`envFrom[].secretRef`): name, where.
    pub env_from_secrets: Vec<(String, Span)>,
    /// Secrets mounted as files (`volumes[].secret`): name, where.
    pub volume_secrets: Vec<(String, Span)>,
    /// Projected ServiceAccount token volumes (audience, expirationSeconds).
    pub projected_tokens: Vec<(Option<String>, Option<u64>, Span)>,
}

impl Workload {
    /// The ServiceAccount the pods run as (Kubernetes defaults to `default`).
    pub fn sa_name(&self) -> &str {
        match &self.service_account {
            Some((n, _)) if !n.is_empty() => n,
            _ => "default",
        }
    }

    /// Application identity for "shared ServiceAccount" checks.
    pub fn app(&self) -> &str {
        self.meta
            .label("app.kubernetes.io/name")
            .or_else(|| self.meta.label("app"))
            .or_else(|| self.meta.label("k8s-app"))
            .unwrap_or(&self.meta.name)
    }

    pub fn part_of(&self) -> Option<&str> {
        self.meta
            .label("app.kubernetes.io/part-of")
            .or_else(|| self.meta.label("app.kubernetes.io/instance"))
    }
}

/// Every Kubernetes fact of one unit (and, merged, of the whole scan).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct K8sFacts {
    pub roles: Vec<Role>,
    pub bindings: Vec<Binding>,
    pub service_accounts: Vec<ServiceAccount>,
    pub secrets: Vec<SecretObj>,
    pub workloads: Vec<Workload>,
}

impl K8sFacts {
    /// Give back the spare capacity of each list: a unit's facts are kept until the global
    /// phase, and a list grown to one element holds room for four.
    pub fn shrink_to_fit(&mut self) {
        self.roles.shrink_to_fit();
        self.bindings.shrink_to_fit();
        self.service_accounts.shrink_to_fit();
        self.secrets.shrink_to_fit();
        self.workloads.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
            && self.bindings.is_empty()
            && self.service_accounts.is_empty()
            && self.secrets.is_empty()
            && self.workloads.is_empty()
    }

    /// Move every span to another file numbering (units are merged into one source table).
    /// Work out (and cache) every role rule's privilege classes now: the global rules all read
    /// them, and here it is done on the scan thread that extracted the facts rather than in
    /// the global phase, where rules running side by side would wait on each other's caches.
    pub fn work_out_classes(&self) {
        for r in &self.roles {
            for rule in &r.rules {
                rule.classes();
            }
        }
    }

    pub fn shift_files(&mut self, by: u32) {
        let sh = |s: &mut Span| s.file = FileId(s.file.0 + by);
        let meta = |m: &mut Meta| {
            sh(&mut m.name_span);
            sh(&mut m.span);
            m.annotations.iter_mut().for_each(|(_, _, s)| sh(s));
            m.conditional_parts.iter_mut().for_each(|(s, _)| sh(s));
        };
        let items = |v: &mut Vec<Item>| v.iter_mut().for_each(|i| sh(&mut i.span));
        for r in &mut self.roles {
            meta(&mut r.meta);
            for pr in &mut r.rules {
                items(&mut pr.api_groups);
                items(&mut pr.resources);
                items(&mut pr.verbs);
                items(&mut pr.resource_names);
                items(&mut pr.non_resource_urls);
                sh(&mut pr.span);
            }
        }
        for b in &mut self.bindings {
            meta(&mut b.meta);
            sh(&mut b.role_span);
            b.subjects.iter_mut().for_each(|s| sh(&mut s.span));
        }
        for sa in &mut self.service_accounts {
            meta(&mut sa.meta);
            if let Some((_, s)) = &mut sa.automount {
                sh(s);
            }
        }
        for s in &mut self.secrets {
            meta(&mut s.meta);
            if let Some((_, sp)) = &mut s.secret_type {
                sh(sp);
            }
            for e in &mut s.entries {
                sh(&mut e.key_span);
                sh(&mut e.value_span);
            }
        }
        for w in &mut self.workloads {
            meta(&mut w.meta);
            if let Some((_, s)) = &mut w.service_account {
                sh(s);
            }
            if let Some((_, s)) = &mut w.automount {
                sh(s);
            }
            sh(&mut w.pod_spec);
            sh(&mut w.pod_spec_key);
            for e in &mut w.env {
                sh(&mut e.name_span);
                if let Some((_, s)) = &mut e.value {
                    sh(s);
                }
                if let Some((_, _, s)) = &mut e.secret_ref {
                    sh(s);
                }
            }
            w.env_from_secrets.iter_mut().for_each(|(_, s)| sh(s));
            w.volume_secrets.iter_mut().for_each(|(_, s)| sh(s));
            w.projected_tokens.iter_mut().for_each(|(_, _, s)| sh(s));
        }
    }

    /// Give the objects of the files `in_chart` whose namespace is left to the Helm release
    /// (`{{ .Release.Namespace }}`) the namespace `ns` it is installed into.
    pub fn assign_release_namespace(&mut self, in_chart: &dyn Fn(FileId) -> bool, ns: &str) {
        let fix = |m: &mut Meta| {
            if !in_chart(m.span.file) {
                return;
            }
            if let Some(old) = m.namespace.as_ref().filter(|n| n.contains("{{")).cloned() {
                m.address = m.address.replace(&old, ns);
                m.namespace = Some(ns.to_owned());
            }
        };
        self.roles.iter_mut().for_each(|r| fix(&mut r.meta));
        self.service_accounts
            .iter_mut()
            .for_each(|x| fix(&mut x.meta));
        self.secrets.iter_mut().for_each(|x| fix(&mut x.meta));
        self.workloads.iter_mut().for_each(|x| fix(&mut x.meta));
        for b in &mut self.bindings {
            fix(&mut b.meta);
            if in_chart(b.meta.span.file) {
                for s in &mut b.subjects {
                    if s.namespace.as_deref().is_some_and(|n| n.contains("{{")) {
                        s.namespace = Some(ns.to_owned());
                    }
                }
            }
        }
    }

    pub fn extend(&mut self, other: K8sFacts) {
        self.roles.extend(other.roles);
        self.bindings.extend(other.bindings);
        self.service_accounts.extend(other.service_accounts);
        self.secrets.extend(other.secrets);
        self.workloads.extend(other.workloads);
    }
}

// ------------------------------------------------------------------------------------------
// What a rule grants

/// `*` or the value itself, as Kubernetes RBAC matches (exact strings, `*` only as a whole).
fn item_matches(items: &[Item], want: &str) -> bool {
    items.iter().any(|i| i.text == "*" || i.text == want)
}

impl PolicyRule {
    pub fn has_verb(&self, verb: &str) -> bool {
        item_matches(&self.verbs, verb)
    }

    /// Does the rule cover `resource` (`pods`, `pods/exec`) in `group` (`""` is core)?
    /// `*` covers every resource and `*/sub` every resource's subresource.
    pub fn covers(&self, group: &str, resource: &str) -> bool {
        let group_ok = self
            .api_groups
            .iter()
            .any(|g| g.text == "*" || g.text == group);
        let res_ok = self.resources.iter().any(|r| {
            r.text == "*"
                || r.text == resource
                || (resource.contains('/')
                    && r.text.strip_prefix("*/").is_some_and(|sub| {
                        // `resource` ends with `/{sub}`, without building that string
                        resource
                            .strip_suffix(sub)
                            .is_some_and(|head| head.ends_with('/'))
                    }))
        });
        group_ok && res_ok
    }

    /// Covers the resource with any of the verbs.
    pub fn grants(&self, group: &str, resource: &str, verbs: &[&str]) -> bool {
        self.covers(group, resource) && verbs.iter().any(|v| self.has_verb(v))
    }

    /// The item to point at for a grant: the resource entry, else the verb, else the rule.
    pub fn anchor(&self, resource: &str) -> Span {
        self.resources
            .iter()
            .find(|r| r.text == resource)
            .or_else(|| {
                self.resources
                    .iter()
                    .find(|r| r.text == "*" || r.text.starts_with("*/"))
            })
            .map(|r| r.span)
            .unwrap_or(self.span)
    }

    /// Limited to named objects.
    pub fn named(&self) -> bool {
        !self.resource_names.is_empty()
    }

    pub fn wildcard_everything(&self) -> bool {
        item_matches(&self.api_groups, "*")
            && self.resources.iter().any(|r| r.text == "*")
            && self.verbs.iter().any(|v| v.text == "*")
    }

    /// The privilege classes of catalog §4.4 this rule falls into.
    pub fn classes(&self) -> &[PrivilegeClass] {
        self.classes.0.get_or_init(|| self.work_out_classes())
    }

    fn work_out_classes(&self) -> Vec<PrivilegeClass> {
        let mut out = Vec::new();
        let named = self.named();
        if self.wildcard_everything() && !named {
            out.push(PrivilegeClass::Admin);
        }
        let rbac = "rbac.authorization.k8s.io";
        let privesc = self.grants(rbac, "roles", &["escalate", "bind"])
            || self.grants(rbac, "clusterroles", &["escalate", "bind"])
            || self.grants("", "users", &["impersonate"])
            || self.grants("", "groups", &["impersonate"])
            || self.grants("", "serviceaccounts", &["impersonate"])
            || self.grants("", "pods/exec", &["create"])
            || self.grants("", "pods/attach", &["create"])
            || self.grants("", "pods", &["create"])
            || self.grants("", "nodes/proxy", &["get", "create", "update", "patch"])
            || self.grants(
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                &["create", "update", "patch"],
            )
            || self.grants(
                "admissionregistration.k8s.io",
                "validatingwebhookconfigurations",
                &["create", "update", "patch"],
            )
            || CONTROLLERS
                .iter()
                .any(|(g, r)| self.grants(g, r, &["create", "update", "patch"]));
        if privesc {
            out.push(PrivilegeClass::Privesc);
        }
        if [
            "roles",
            "clusterroles",
            "rolebindings",
            "clusterrolebindings",
        ]
        .iter()
        .any(|r| self.grants(rbac, r, &["create", "update", "patch"]))
        {
            out.push(PrivilegeClass::IamModification);
        }
        if (self.grants("", "secrets", &["get", "list", "watch"]) && !named)
            || self.grants("", "serviceaccounts/token", &["create"])
            || self.grants(
                "certificates.k8s.io",
                "certificatesigningrequests/approval",
                &["update", "patch"],
            )
        {
            out.push(PrivilegeClass::CredExposure);
        }
        if DESTROYABLE
            .iter()
            .any(|(g, r)| self.grants(g, r, &["delete", "deletecollection"]))
            || self.grants("", "events", &["delete", "deletecollection"])
        {
            out.push(PrivilegeClass::InfraDestruction);
        }
        if self.grants("apps", "deployments/scale", &["update", "patch"])
            || self.grants("apps", "deployments", &["update", "patch"])
            || self.grants("", "pods", &["delete"])
            || self.grants("", "pods/eviction", &["create"])
        {
            out.push(PrivilegeClass::Operate);
        }
        if [
            "pods",
            "pods/log",
            "events",
            "nodes",
            "services",
            "configmaps",
        ]
        .iter()
        .any(|r| self.grants("", r, &["get", "list", "watch"]))
        {
            out.push(PrivilegeClass::Observe);
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Pod controllers: creating or changing one runs pods as any ServiceAccount of its namespace.
pub const CONTROLLERS: &[(&str, &str)] = &[
    ("apps", "deployments"),
    ("apps", "daemonsets"),
    ("apps", "statefulsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("", "replicationcontrollers"),
];

const DESTROYABLE: &[(&str, &str)] = &[
    ("", "secrets"),
    ("", "pods"),
    ("", "services"),
    ("", "persistentvolumeclaims"),
    ("", "namespaces"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "daemonsets"),
    ("apps", "statefulsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

/// Namespaces whose workloads hold cluster-level power (rbac-police's default set plus the
/// usual platform controllers).
pub const PRIVILEGED_NAMESPACES: &[&str] = &["kube-system"];

/// Rules of the built-in ClusterRoles that matter, for bindings to roles not in the scan.
/// Spans are empty: they are not written anywhere in the scanned files.
pub fn builtin_cluster_role(name: &str) -> Option<Vec<PolicyRule>> {
    let item = |t: &str| Item {
        text: t.to_owned(),
        span: Span::default(),
    };
    let rule = |groups: &[&str], resources: &[&str], verbs: &[&str]| PolicyRule {
        api_groups: groups.iter().map(|g| item(g)).collect(),
        resources: resources.iter().map(|r| item(r)).collect(),
        verbs: verbs.iter().map(|v| item(v)).collect(),
        resource_names: Vec::new(),
        non_resource_urls: Vec::new(),
        span: Span::default(),
        unknown: false,
        classes: ClassCache::default(),
    };
    let rw = &[
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
    ];
    let ro = &["get", "list", "watch"];
    match name {
        "cluster-admin" => Some(vec![rule(&["*"], &["*"], &["*"])]),
        "admin" | "edit" => {
            let mut r = vec![
                rule(
                    &[""],
                    &[
                        "pods",
                        "pods/exec",
                        "pods/attach",
                        "pods/portforward",
                        "secrets",
                        "configmaps",
                        "services",
                        "serviceaccounts",
                        "persistentvolumeclaims",
                        "replicationcontrollers",
                    ],
                    rw,
                ),
                rule(
                    &["apps"],
                    &[
                        "deployments",
                        "daemonsets",
                        "statefulsets",
                        "replicasets",
                        "deployments/scale",
                    ],
                    rw,
                ),
                rule(&["batch"], &["jobs", "cronjobs"], rw),
                rule(&[""], &["serviceaccounts"], &["impersonate"]),
            ];
            if name == "admin" {
                r.push(rule(
                    &["rbac.authorization.k8s.io"],
                    &["roles", "rolebindings"],
                    rw,
                ));
            }
            Some(r)
        }
        "view" => Some(vec![
            rule(
                &[""],
                &[
                    "pods",
                    "pods/log",
                    "configmaps",
                    "services",
                    "events",
                    "persistentvolumeclaims",
                ],
                ro,
            ),
            rule(
                &["apps"],
                &["deployments", "daemonsets", "statefulsets", "replicasets"],
                ro,
            ),
        ]),
        _ => None,
    }
}

/// Subjects that stand for many identities at once.
pub fn broad_group(s: &Subject) -> Option<&'static str> {
    if s.kind == "Group" {
        match s.name.as_str() {
            "system:masters" => Some("system:masters (bypasses RBAC entirely)"),
            "system:authenticated" => Some("system:authenticated (every authenticated identity)"),
            "system:unauthenticated" => Some("system:unauthenticated (anonymous requests)"),
            "system:serviceaccounts" => {
                Some("system:serviceaccounts (every ServiceAccount of the cluster)")
            }
            n if n.starts_with("system:serviceaccounts:") => {
                Some("every ServiceAccount of a namespace")
            }
            _ => None,
        }
    } else if s.kind == "User" && s.name == "system:anonymous" {
        Some("system:anonymous (unauthenticated requests)")
    } else {
        None
    }
}
