//! Kubernetes manifests (multi-document YAML, `kind: List`, JSON) into RBAC, ServiceAccount,
//! Secret and workload facts. A chart's templates are rendered by [`super::helm`] first; Go
//! templates outside a chart are recognised and skipped with one note per chart. Kustomize
//! files are not manifests and are skipped quietly.

use std::path::Path;

use crate::model::Facts;
use crate::model::credentials::{self, SecretKind, SecretLiteral, SecretPlace};
use crate::model::rbac::{
    Binding, EnvVar, Item, Meta, PolicyRule, Role, SecretEntry, SecretObj, ServiceAccount, Subject,
    Workload,
};
use crate::parse::doc::Node;
use crate::source::Span;

/// Does a YAML/JSON text look like a Kubernetes manifest? (cheap, before parsing)
pub fn sniff(text: &str) -> bool {
    text.contains("apiVersion") && text.contains("kind")
}

/// Kustomize's own files configure a build; they are not objects.
pub fn is_kustomize(file_name: &str) -> bool {
    matches!(
        file_name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

/// Go-template syntax in a YAML file: a Helm chart template, not valid YAML.
pub fn is_helm_template(text: &str) -> bool {
    text.contains("{{") && (text.contains("}}"))
}

/// The chart a template belongs to: the nearest ancestor directory with a `Chart.yaml`,
/// or the file's own directory.
pub fn chart_root(path: &Path) -> Option<&Path> {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.join("Chart.yaml").is_file() || d.join("Chart.yml").is_file() {
            return Some(d);
        }
        dir = d.parent();
    }
    path.parent()
}

/// Extract every object of the documents; returns the number of Kubernetes objects seen.
pub fn extract(docs: &[Node], facts: &mut Facts) -> usize {
    let mut n = 0;
    for d in docs {
        n += object(d, facts, 0);
    }
    n
}

fn s(n: Option<&Node>) -> Option<String> {
    n.and_then(Node::as_str).map(str::to_owned)
}

fn object(n: &Node, facts: &mut Facts, depth: usize) -> usize {
    if depth > 4 {
        return 0;
    }
    let (Some(_api), Some(kind)) = (s(n.get("apiVersion")), s(n.get("kind"))) else {
        return 0;
    };
    if kind == "List" || kind.ends_with("List") {
        return n
            .get("items")
            .and_then(Node::as_seq)
            .map(|items| items.iter().map(|i| object(i, facts, depth + 1)).sum())
            .unwrap_or(0);
    }
    let meta = meta(n, &kind);
    match kind.as_str() {
        "Role" | "ClusterRole" => role(n, meta, facts),
        "RoleBinding" | "ClusterRoleBinding" => binding(n, meta, facts),
        "ServiceAccount" => {
            let automount = n
                .get("automountServiceAccountToken")
                .and_then(|a| a.as_bool().map(|b| (b, a.span)));
            facts
                .k8s
                .service_accounts
                .push(ServiceAccount { meta, automount });
        }
        "Secret" => secret(n, meta, facts),
        "ConfigMap" => config_map(n, &meta, facts),
        _ => {
            if let Some(w) = workload(n, meta, facts) {
                facts.k8s.workloads.push(w);
            }
        }
    }
    1
}

fn meta(n: &Node, kind: &str) -> Meta {
    let m = n.get("metadata");
    let name_node = m.and_then(|m| m.get("name"));
    let name = s(name_node).unwrap_or_default();
    let namespace = s(m.and_then(|m| m.get("namespace")));
    let pairs = |key: &str| -> Vec<(String, String, Span)> {
        m.and_then(|m| m.get(key))
            .and_then(Node::as_map)
            .map(|es| {
                es.iter()
                    .filter_map(|e| {
                        Some((
                            e.key.as_str()?.to_owned(),
                            e.value.as_str().unwrap_or("").to_owned(),
                            e.value.span,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let address = match &namespace {
        Some(ns) => format!("{kind}/{ns}/{name}"),
        None => format!("{kind}/{name}"),
    };
    Meta {
        kind: kind.to_owned(),
        name,
        name_span: name_node.map(|n| n.span).unwrap_or(n.span),
        namespace,
        span: n.full_span(),
        labels: pairs("labels")
            .into_iter()
            .map(|(k, v, _)| (k, v))
            .collect(),
        annotations: pairs("annotations"),
        address,
        condition: None,
        conditional_parts: Vec::new(),
    }
}

fn items(n: Option<&Node>) -> Vec<Item> {
    let Some(n) = n else { return Vec::new() };
    n.one_or_many()
        .iter()
        .filter_map(|i| {
            Some(Item {
                text: i.as_str()?.to_owned(),
                span: i.span,
            })
        })
        .collect()
}

pub fn policy_rule(r: &Node) -> PolicyRule {
    PolicyRule {
        api_groups: items(r.get("apiGroups")),
        resources: items(r.get("resources")),
        verbs: items(r.get("verbs")),
        resource_names: items(r.get("resourceNames")),
        non_resource_urls: items(r.get("nonResourceURLs")),
        span: r.full_span(),
        unknown: r.is_unknown(),
        classes: Default::default(),
    }
}

fn role(n: &Node, meta: Meta, facts: &mut Facts) {
    let cluster = meta.kind == "ClusterRole";
    let rules = n
        .get("rules")
        .and_then(Node::as_seq)
        .map(|rs| rs.iter().map(policy_rule).collect())
        .unwrap_or_default();
    let aggregation = n
        .path(&["aggregationRule", "clusterRoleSelectors"])
        .and_then(Node::as_seq)
        .map(|sel| {
            sel.iter()
                .filter_map(|s| s.get("matchLabels").and_then(Node::as_map))
                .map(|m| {
                    m.iter()
                        .filter_map(|e| {
                            Some((e.key.as_str()?.to_owned(), e.value.as_str()?.to_owned()))
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    facts.k8s.roles.push(Role {
        meta,
        cluster,
        rules,
        aggregation,
    });
}

fn binding(n: &Node, meta: Meta, facts: &mut Facts) {
    let cluster = meta.kind == "ClusterRoleBinding";
    let rr = n.get("roleRef");
    let role_name_node = rr.and_then(|r| r.get("name"));
    let subjects = n
        .get("subjects")
        .and_then(Node::as_seq)
        .map(|ss| {
            ss.iter()
                .map(|s| Subject {
                    kind: self::s(s.get("kind")).unwrap_or_default(),
                    name: self::s(s.get("name")).unwrap_or_default(),
                    namespace: self::s(s.get("namespace")),
                    span: s.full_span(),
                })
                .collect()
        })
        .unwrap_or_default();
    facts.k8s.bindings.push(Binding {
        meta,
        cluster,
        role_kind: s(rr.and_then(|r| r.get("kind"))).unwrap_or_else(|| "ClusterRole".into()),
        role_name: s(role_name_node).unwrap_or_default(),
        role_span: role_name_node.or(rr).map(|r| r.span).unwrap_or(n.span),
        subjects,
    });
}

fn secret(n: &Node, meta: Meta, facts: &mut Facts) {
    let encrypted = n.get("sops").is_some();
    let mut entries = Vec::new();
    for (key, string_data) in [("data", false), ("stringData", true)] {
        let Some(map) = n.get(key).and_then(Node::as_map) else {
            continue;
        };
        for e in map {
            let Some(k) = e.key.as_str() else { continue };
            let raw = e.value.as_str().unwrap_or("");
            let text = if string_data {
                raw.to_owned()
            } else {
                credentials::base64_decode(raw)
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_else(|| raw.to_owned())
            };
            let inert = text.trim().is_empty()
                || raw.starts_with("ENC[")
                || encrypted
                || e.value.is_unknown()
                || credentials::is_placeholder(&text)
                || raw.contains("{{");
            if !inert {
                facts.secrets.push(SecretLiteral {
                    kind: SecretKind::NamedSecret,
                    span: e.value.span,
                    key: k.to_owned(),
                    place: SecretPlace::K8sSecret,
                    address: meta.address.clone(),
                    strong: !credentials::find_tokens(&text).is_empty(),
                });
            }
            entries.push(SecretEntry {
                key: k.to_owned(),
                key_span: e.key.span,
                value_span: e.value.span,
                string_data,
                inert,
            });
        }
    }
    let secret_type = n
        .get("type")
        .and_then(|t| t.as_str().map(|s| (s.to_owned(), t.span)));
    facts.k8s.secrets.push(SecretObj {
        meta,
        secret_type,
        entries,
        encrypted,
    });
}

/// ConfigMaps are not for secrets: literal credentials in them are reported like env values.
fn config_map(n: &Node, meta: &Meta, facts: &mut Facts) {
    let Some(map) = n.get("data").and_then(Node::as_map) else {
        return;
    };
    for e in map {
        let (Some(k), Some(v)) = (e.key.as_str(), e.value.as_str()) else {
            continue;
        };
        literal_secret(
            k,
            v,
            &e.value,
            &meta.address,
            SecretPlace::K8sConfigMap,
            facts,
        );
    }
}

/// A literal value that is a credential: a recognisable token anywhere in it, or a literal
/// under a secret-sounding name.
pub(crate) fn literal_secret(
    name: &str,
    v: &str,
    node: &Node,
    address: &str,
    place: SecretPlace,
    facts: &mut Facts,
) {
    if v.contains("{{") || node.is_unknown() {
        return;
    }
    let tokens = credentials::find_tokens(v);
    let (kind, strong) = match tokens.first() {
        Some((k, _, _)) => (*k, true),
        None if credentials::is_secret_name(name) && !credentials::is_placeholder(v) => {
            (SecretKind::NamedSecret, false)
        }
        None => return,
    };
    facts.secrets.push(SecretLiteral {
        kind,
        span: node.span,
        key: name.to_owned(),
        place,
        address: address.to_owned(),
        strong,
    });
}

/// The pod spec of a workload: known kinds, and any object with a pod template (CRDs such as
/// Knative Services and Argo Rollouts run pods too).
fn pod_spec(n: &Node) -> Option<(&Node, crate::source::Span)> {
    let spec_entry = n.entry("spec")?;
    let spec = &spec_entry.value;
    if let Some(jt) = spec.path(&["jobTemplate", "spec", "template"]) {
        let e = jt.entry("spec")?;
        return Some((&e.value, e.key.span));
    }
    if let Some(t) = spec.get("template")
        && let Some(e) = t.entry("spec")
        && (e.value.get("containers").is_some() || e.value.get("serviceAccountName").is_some())
    {
        return Some((&e.value, e.key.span));
    }
    if spec.get("containers").is_some() {
        return Some((spec, spec_entry.key.span));
    }
    None
}

fn workload(n: &Node, meta: Meta, facts: &mut Facts) -> Option<Workload> {
    let (spec, key_span) = pod_spec(n)?;
    let service_account = spec
        .get("serviceAccountName")
        .or_else(|| spec.get("serviceAccount"))
        .map(|sa| (sa.as_str().unwrap_or("").to_owned(), sa.span));
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(|a| a.as_bool().map(|b| (b, a.span)));
    let mut env = Vec::new();
    let mut env_from_secrets = Vec::new();
    let mut volume_secrets = Vec::new();
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        for c in spec.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
            let cname = s(c.get("name")).unwrap_or_default();
            for e in c.get("env").and_then(Node::as_seq).unwrap_or(&[]) {
                let Some(name_node) = e.get("name") else {
                    continue;
                };
                let name = name_node.as_str().unwrap_or("").to_owned();
                let value = e
                    .get("value")
                    .and_then(|v| v.as_str().map(|t| (t.to_owned(), v.span)));
                if let Some((v, _)) = &value
                    && let Some(vn) = e.get("value")
                {
                    literal_secret(&name, v, vn, &meta.address, SecretPlace::K8sEnv, facts);
                }
                let secret_ref = e.path(&["valueFrom", "secretKeyRef"]).map(|r| {
                    (
                        s(r.get("name")).unwrap_or_default(),
                        s(r.get("key")).unwrap_or_default(),
                        r.full_span(),
                    )
                });
                env.push(EnvVar {
                    name,
                    name_span: name_node.span,
                    value,
                    secret_ref,
                    container: cname.clone(),
                });
            }
            for ef in c.get("envFrom").and_then(Node::as_seq).unwrap_or(&[]) {
                if let Some(r) = ef.get("secretRef") {
                    env_from_secrets.push((s(r.get("name")).unwrap_or_default(), ef.full_span()));
                }
            }
        }
    }
    let mut projected_tokens = Vec::new();
    for v in spec.get("volumes").and_then(Node::as_seq).unwrap_or(&[]) {
        if let Some(sec) = v.get("secret") {
            volume_secrets.push((
                s(sec.get("secretName")).unwrap_or_default(),
                sec.full_span(),
            ));
        }
        for src in v
            .path(&["projected", "sources"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(t) = src.get("serviceAccountToken") {
                projected_tokens.push((
                    s(t.get("audience")),
                    t.get("expirationSeconds")
                        .and_then(Node::as_str)
                        .and_then(|x| x.parse().ok()),
                    t.full_span(),
                ));
            }
        }
    }
    Some(Workload {
        meta,
        service_account,
        automount,
        pod_spec: spec.full_span(),
        pod_spec_key: key_span,
        env,
        env_from_secrets,
        volume_secrets,
        projected_tokens,
    })
}
