//! The identity graph of a whole scan: cloud identities (summarised per unit, while their
//! files are at hand), Kubernetes ServiceAccounts and CI jobs, and the links between them:
//! a ServiceAccount that becomes a cloud role (IRSA annotation, EKS Pod Identity), a CI job
//! that assumes one (`role-to-assume`, GitLab ID tokens with a role ARN). Graph rules and the
//! inventory read it; it is built once per scan.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::finding::{At, Confidence, Site, site};
use crate::index::RbacIndex;
use crate::model::Facts;
use crate::model::aws::PrincipalKind;
use crate::model::aws_actions::classes_of_action;
use crate::model::iam::{PolicyKind, Tri};
use crate::model::identity::{
    CloudIdentity, Lifetime, PrivilegeClass, Scope, TrustEntry, TrustKind,
};
use crate::model::pipeline::{PipelineFacts, Platform};
use crate::model::rbac::K8sFacts;
use crate::rules::iam_policy::{grants_admin, principal_docs, principal_methods};
use crate::source::{Sources, Span};

/// AWS-managed policies whose power is known without their text.
const MANAGED: &[(&str, PrivilegeClass)] = &[
    ("AdministratorAccess", PrivilegeClass::Admin),
    ("PowerUserAccess", PrivilegeClass::Admin),
    ("IAMFullAccess", PrivilegeClass::IamModification),
    ("SecretsManagerReadWrite", PrivilegeClass::CredExposure),
    ("AmazonS3FullAccess", PrivilegeClass::InfraDestruction),
    ("AmazonEC2FullAccess", PrivilegeClass::InfraDestruction),
    ("ReadOnlyAccess", PrivilegeClass::Observe),
    ("ViewOnlyAccess", PrivilegeClass::Observe),
    ("CloudWatchReadOnlyAccess", PrivilegeClass::Observe),
];

/// Summarise a unit's cloud identities for the graph (called while its sources are alive):
/// AWS users and roles, Google Cloud service accounts, Azure user-assigned identities.
pub fn cloud_identities(
    facts: &Facts,
    sources: &Sources,
    secret_spans: &[Span],
) -> Vec<CloudIdentity> {
    let mut out = if facts.principals.is_empty() {
        Vec::new()
    } else {
        aws_identities(facts, sources, secret_spans)
    };
    out.extend(crate::graph_cloud::identities(facts, sources, secret_spans));
    out
}

/// Summarise a unit's AWS users and roles.
fn aws_identities(facts: &Facts, sources: &Sources, secret_spans: &[Span]) -> Vec<CloudIdentity> {
    let mk = |span: Span| site(sources, span, secret_spans);
    let mut out = Vec::new();
    for (pi, p) in facts.principals.iter().enumerate() {
        if p.kind == PrincipalKind::Group {
            continue;
        }
        let Some(decl) = mk(p.span) else { continue };
        let docs = principal_docs(facts, p);
        let mut classes: BTreeSet<PrivilegeClass> = BTreeSet::new();
        let mut broad = false;
        let mut grants: Vec<(PrivilegeClass, Span, String)> = Vec::new();
        for &d in &docs {
            let Some(doc) = facts.policies.get(d) else {
                continue;
            };
            if doc.kind != PolicyKind::Identity || doc.unknown {
                continue;
            }
            for s in doc.allows() {
                let Some(f) = &s.action else { continue };
                let wide = s.broad_resources() == Tri::Yes;
                if f.not {
                    classes.insert(PrivilegeClass::Admin);
                    grants.push((
                        PrivilegeClass::Admin,
                        f.key_span,
                        "Allow with NotAction".into(),
                    ));
                    broad |= wide;
                    continue;
                }
                for v in f.values.iter().filter(|v| v.known) {
                    if doc.denies_everywhere(&v.text) {
                        continue;
                    }
                    for c in classes_of_action(&v.text) {
                        classes.insert(c);
                        grants.push((c, v.span, format!("allows `{}`", v.text)));
                        broad |= wide;
                    }
                }
            }
        }
        if grants_admin(facts, &docs) {
            classes.insert(PrivilegeClass::Admin);
            broad = true;
        }
        if !principal_methods(facts, pi).is_empty() {
            classes.insert(PrivilegeClass::Privesc);
        }
        for m in &p.managed {
            let name = m.arn.rsplit('/').next().unwrap_or("");
            if let Some((_, c)) = MANAGED.iter().find(|(n, _)| *n == name) {
                classes.insert(*c);
                grants.push((*c, m.span, format!("AWS-managed {name}")));
                broad = true;
            }
        }
        let per_class: Vec<(PrivilegeClass, Arc<Site>, String)> = classes
            .iter()
            .filter_map(|&c| {
                grants
                    .iter()
                    .filter(|(g, _, _)| *g == c)
                    .min_by_key(|(_, s, _)| (s.file, s.start))
                    .and_then(|(_, s, what)| mk(*s).map(|site| (c, site, what.clone())))
            })
            .collect();
        let top = classes.iter().next().copied();
        let grant = per_class
            .first()
            .filter(|(c, _, _)| Some(*c) == top)
            .map(|(_, s, w)| (s.clone(), w.clone()));
        let mut addresses = vec![p.address.clone()];
        addresses.extend(
            docs.iter()
                .filter_map(|&d| facts.policies.get(d))
                .map(|d| d.address.clone()),
        );
        if let Some(t) = p.trust.and_then(|t| facts.policies.get(t)) {
            addresses.push(t.address.clone());
        }
        addresses.extend(
            facts
                .access_keys
                .iter()
                .filter(|k| k.user == Some(pi))
                .map(|k| k.address.clone()),
        );
        let used_by: Vec<(String, Arc<Site>)> = facts
            .role_uses
            .iter()
            .filter(|u| u.role == Some(pi))
            .filter_map(|u| Some((format!("{} {}", u.kind, u.address), mk(u.span)?)))
            .collect();
        addresses.extend(
            facts
                .role_uses
                .iter()
                .filter(|u| u.role == Some(pi))
                .map(|u| u.address.clone()),
        );
        addresses.sort();
        addresses.dedup();
        let trust = p
            .trust
            .and_then(|t| facts.policies.get(t))
            .map(|doc| trust_entries(doc, &mk))
            .unwrap_or_default();
        let static_keys: Vec<Arc<Site>> = facts
            .access_keys
            .iter()
            .filter(|k| k.user == Some(pi) && !k.inactive)
            .filter_map(|k| mk(k.span))
            .collect();
        let lifetime = match p.kind {
            PrincipalKind::Role => Lifetime::ShortLived,
            _ if !static_keys.is_empty() => Lifetime::Static,
            _ => Lifetime::LongSession,
        };
        let pod_identities = facts
            .pod_identities
            .iter()
            .filter(|x| x.role == Some(pi))
            .filter_map(|x| Some((x.namespace.clone(), x.service_account.clone(), mk(x.span)?)))
            .collect();
        out.push(CloudIdentity {
            provider: "aws",
            kind: p.kind.noun(),
            address: p.address.clone(),
            name: p.name.clone(),
            site: decl,
            classes: classes.into_iter().collect(),
            grant,
            grants: per_class,
            used_by,
            addresses,
            scope: if broad {
                Scope::Account
            } else {
                Scope::NamedResources
            },
            trust,
            lifetime,
            static_keys,
            pod_identities,
            function: p.function.clone(),
            aliases: Vec::new(),
        });
    }
    out
}

fn trust_entries(
    doc: &crate::model::iam::PolicyDocument,
    mk: &dyn Fn(Span) -> Option<Arc<Site>>,
) -> Vec<TrustEntry> {
    let mut out = Vec::new();
    for s in doc.allows() {
        let Some(p) = &s.principal else { continue };
        for e in &p.entries {
            let v = &e.value;
            let text = v.text.trim().to_owned();
            let kind = match e.kind.to_ascii_lowercase().as_str() {
                "service" => TrustKind::Service,
                "federated" => {
                    // The provider may be a reference (`aws_iam_openid_connect_provider.x.arn`):
                    // the condition keys name the issuer too.
                    let mut t = text.to_ascii_lowercase();
                    for c in &s.conditions {
                        t.push(' ');
                        t.push_str(&c.key.to_ascii_lowercase());
                    }
                    if t.contains("saml-provider/") {
                        TrustKind::Saml
                    } else if t.contains("token.actions.githubusercontent.com") {
                        TrustKind::GithubOidc
                    } else if t.contains("gitlab") {
                        TrustKind::GitlabOidc
                    } else if t.contains("oidc.eks.") {
                        TrustKind::KubernetesOidc
                    } else {
                        TrustKind::OtherOidc
                    }
                }
                _ if v.is_star() => TrustKind::Anyone,
                _ => TrustKind::Account,
            };
            let mut subs = Vec::new();
            let mut like = false;
            for c in s
                .conditions
                .iter()
                .filter(|c| c.key.to_ascii_lowercase().ends_with(":sub"))
            {
                like |= c.base_op().contains("Like");
                for val in c.values.iter().filter(|v| v.known) {
                    if let Some(site) = mk(val.span) {
                        subs.push((val.text.clone(), site));
                    }
                }
            }
            let Some(site) = mk(v.span) else { continue };
            out.push(TrustEntry {
                kind,
                principal: text,
                subs,
                like,
                site,
            });
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// Links

/// A Kubernetes ServiceAccount that becomes a cloud identity.
#[derive(Clone, Debug)]
pub struct SaLink {
    pub namespace: String,
    pub name: String,
    /// The annotation (or the association) that links them.
    pub at: At,
    pub identity: usize,
    /// `IRSA annotation`, `EKS Pod Identity association`.
    pub how: &'static str,
    pub confidence: Confidence,
    /// How the value was matched to the identity (`Terraform reference`, `role name in the ARN`).
    pub matched: &'static str,
}

/// A CI job that assumes a cloud identity.
#[derive(Clone, Debug)]
pub struct JobLink {
    pub pipeline: usize,
    pub job: usize,
    pub at: Span,
    pub identity: usize,
    pub confidence: Confidence,
    pub matched: &'static str,
}

pub struct Graph {
    /// Declared functions from the configuration, by address, name or `namespace/name`.
    pub functions: std::collections::BTreeMap<String, String>,
    pub identities: Vec<CloudIdentity>,
    pub sa_links: Vec<SaLink>,
    pub job_links: Vec<JobLink>,
}

/// `helm upgrade --install` / `helm install` commands of the pipelines: the chart path as
/// written and the `--namespace` it is installed into.
fn helm_installs(pipelines: &PipelineFacts) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in &pipelines.pipelines {
        for job in &p.jobs {
            let scripts = job
                .steps
                .iter()
                .filter_map(|s| s.run.as_ref().map(|(r, _)| r.as_str()))
                .chain(job.script.iter().map(|(l, _)| l.as_str()));
            for script in scripts {
                let joined = script.replace("\\\n", " ");
                for cmd in joined.split(['\n', ';', '|', '&']) {
                    out.extend(helm_install(cmd));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `helm upgrade --install rel ./charts/x -n ops` -> (`./charts/x`, `ops`).
fn helm_install(cmd: &str) -> Option<(String, String)> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let h = words
        .iter()
        .position(|w| *w == "helm" || w.ends_with("/helm"))?;
    let rest = &words[h + 1..];
    let sub = rest.iter().position(|w| !w.starts_with('-'))?;
    if !matches!(rest[sub], "upgrade" | "install") {
        return None;
    }
    // Flags that take a value, so their value is not a positional argument.
    const VALUED: &[&str] = &[
        "-f",
        "--values",
        "--set",
        "--set-string",
        "--set-file",
        "--version",
        "--timeout",
        "--kube-context",
        "--kubeconfig",
        "-n",
        "--namespace",
        "--post-renderer",
        "--repo",
        "--description",
        "--history-max",
        "--username",
        "--password",
    ];
    let mut ns = None;
    let mut positional = Vec::new();
    let mut i = sub + 1;
    while i < rest.len() {
        let w = rest[i];
        if let Some(v) = w.strip_prefix("--namespace=") {
            ns = Some(v);
        } else if w == "-n" || w == "--namespace" {
            ns = rest.get(i + 1).copied();
            i += 1;
        } else if VALUED.contains(&w) {
            i += 1;
        } else if !w.starts_with('-') {
            positional.push(w);
        }
        i += 1;
    }
    // install NAME CHART / upgrade NAME CHART (install CHART --generate-name: one positional)
    let chart = positional.get(1).or(positional.first())?;
    let ns = ns?.trim_matches(['"', '\'']);
    if ns.is_empty() || ns.contains('$') || ns.contains('{') {
        return None;
    }
    Some((chart.trim_matches(['"', '\'']).to_owned(), ns.to_owned()))
}

/// Resolve the namespace of chart objects left to the release from the pipelines that install
/// the chart: only when every install of the chart names the same namespace.
pub fn assign_release_namespaces(
    k8s: &mut K8sFacts,
    pipelines: &PipelineFacts,
    sources: &crate::source::Sources,
) {
    let installs = helm_installs(pipelines);
    if installs.is_empty() {
        return;
    }
    // chart directory (display path up to `/templates/`) of every file with such objects
    let mut charts: Vec<(crate::source::FileId, String)> = Vec::new();
    for (id, f) in sources.iter() {
        if let Some(i) = f.display.find("/templates/") {
            charts.push((id, f.display[..i].to_owned()));
        }
    }
    let mut dirs: Vec<&str> = charts.iter().map(|(_, d)| d.as_str()).collect();
    dirs.sort_unstable();
    dirs.dedup();
    for dir in dirs {
        let nss: BTreeSet<&str> = installs
            .iter()
            .filter(|(chart, _)| {
                let c = chart.trim_start_matches("./").trim_end_matches('/');
                !c.is_empty() && (dir == c || dir.ends_with(&format!("/{c}")))
            })
            .map(|(_, ns)| ns.as_str())
            .collect();
        if nss.len() != 1 {
            continue;
        }
        let Some(ns) = nss.into_iter().next() else {
            continue;
        };
        let files: Vec<crate::source::FileId> = charts
            .iter()
            .filter(|(_, d)| d == dir)
            .map(|(f, _)| *f)
            .collect();
        k8s.assign_release_namespace(&|f| files.contains(&f), ns);
    }
}

/// A namespace the manifests leave to deployment time (a Helm chart's
/// `{{ .Release.Namespace }}`): it may be any namespace.
pub fn unknown_namespace(ns: &str) -> bool {
    ns.contains("{{")
}

/// `arn:aws:iam::111122223333:role/path/name` -> `name`.
fn arn_role_name(arn: &str) -> Option<&str> {
    let rest = arn.trim().strip_prefix("arn:")?;
    let resource = rest.splitn(5, ':').nth(4)?;
    let r = resource.strip_prefix("role/")?;
    r.rsplit('/').next()
}

/// Identities by address and by role name, so that resolving a value looks up a few entries
/// instead of scanning every identity (a monorepo has thousands of identities and thousands of
/// annotations and `role-to-assume` values to resolve: a scan of each was quadratic).
struct Lookup {
    by_address: HashMap<String, Vec<usize>>,
    roles_by_name: HashMap<String, Vec<usize>>,
    /// Identities with aliases (service-account emails), in identity order.
    with_aliases: Vec<usize>,
}

impl Lookup {
    fn new(identities: &[CloudIdentity]) -> Lookup {
        let mut l = Lookup {
            by_address: HashMap::new(),
            roles_by_name: HashMap::new(),
            with_aliases: Vec::new(),
        };
        for (i, id) in identities.iter().enumerate() {
            l.by_address.entry(id.address.clone()).or_default().push(i);
            if id.kind == "role"
                && let Some(name) = &id.name
            {
                l.roles_by_name.entry(name.clone()).or_default().push(i);
            }
            if !id.aliases.is_empty() {
                l.with_aliases.push(i);
            }
        }
        l
    }
}

impl Graph {
    /// Identities a value refers to: a Terraform reference (`aws_iam_role.x.arn`, exact), or
    /// an ARN or bare name (by role name; identities of other accounts may share it).
    fn resolve(&self, lookup: &Lookup, value: &str) -> Vec<(usize, Confidence, &'static str)> {
        let v = value.trim();
        // A reference is an identity's address, whole or followed by `.attribute`: look up
        // the value and each of its prefixes that ends before a dot.
        let mut refs: Vec<usize> = std::iter::once(v)
            .chain(v.match_indices('.').filter_map(|(i, _)| v.get(..i)))
            .filter_map(|a| lookup.by_address.get(a))
            .flatten()
            .copied()
            .collect();
        if !refs.is_empty() {
            refs.sort_unstable();
            refs.dedup();
            return refs
                .into_iter()
                .map(|i| (i, Confidence::High, "Terraform reference"))
                .collect();
        }
        // A Google service account's email: exact, or by its `account_id@` when the
        // Terraform does not say the project.
        if v.contains('@') && !v.contains('$') && !v.contains('{') {
            return lookup
                .with_aliases
                .iter()
                .filter_map(|&i| self.identities.get(i).map(|id| (i, id)))
                .filter(|(_, id)| {
                    id.aliases.iter().any(|a| {
                        if a.ends_with('@') {
                            v.starts_with(a.as_str())
                        } else {
                            a == v
                        }
                    })
                })
                .map(|(i, _)| (i, Confidence::Medium, "service-account email"))
                .collect();
        }
        // An ARN names the account too, which the Terraform rarely spells out: matched by
        // role name (medium). A bare name is weaker still (low).
        let (name, confidence, how) = match arn_role_name(v) {
            Some(n) => (n, Confidence::Medium, "role name in the ARN"),
            None if v.contains(':') || v.contains('/') => ("", Confidence::Low, ""),
            None => (v, Confidence::Low, "bare role name"),
        };
        if name.is_empty() || name.contains('$') || name.contains('{') {
            return Vec::new();
        }
        lookup
            .roles_by_name
            .get(name)
            .map(|ids| ids.iter().map(|&i| (i, confidence, how)).collect())
            .unwrap_or_default()
    }

    pub fn build(
        identities: Vec<CloudIdentity>,
        k8s: &K8sFacts,
        pipelines: &PipelineFacts,
    ) -> Graph {
        let mut g = Graph {
            functions: std::collections::BTreeMap::new(),
            identities,
            sa_links: Vec::new(),
            job_links: Vec::new(),
        };
        let lookup = Lookup::new(&g.identities);
        /// Annotations that make a ServiceAccount a cloud identity.
        const ANNOTATIONS: &[(&str, &str)] = &[
            ("eks.amazonaws.com/role-arn", "IRSA annotation"),
            (
                "iam.gke.io/gcp-service-account",
                "GKE Workload Identity annotation",
            ),
            (
                "azure.workload.identity/client-id",
                "Azure Workload Identity annotation",
            ),
        ];
        for sa in &k8s.service_accounts {
            for (key, how) in ANNOTATIONS {
                let Some((value, span)) = sa.meta.annotation(key) else {
                    continue;
                };
                let mut found = g.resolve(&lookup, value);
                if found.is_empty() && key.starts_with("azure.") {
                    // A client id is generated by Azure, so manifests write a GUID the
                    // Terraform never shows: link through the identity whose federated
                    // credential names exactly this ServiceAccount.
                    let want = format!("system:serviceaccount:{}:{}", sa.meta.ns(), sa.meta.name);
                    found = g
                        .identities
                        .iter()
                        .enumerate()
                        .filter(|(_, id)| {
                            id.provider == "azure"
                                && id.trust.iter().any(|t| {
                                    t.kind == TrustKind::KubernetesOidc
                                        && t.subs.iter().any(|(s, _)| *s == want)
                                })
                        })
                        .map(|(i, _)| (i, Confidence::Medium, "federated credential subject"))
                        .collect();
                }
                for (i, confidence, matched) in found {
                    g.sa_links.push(SaLink {
                        namespace: sa.meta.ns().to_owned(),
                        name: sa.meta.name.clone(),
                        at: At::Span(span),
                        identity: i,
                        how,
                        confidence,
                        matched,
                    });
                }
            }
        }
        for (i, id) in g.identities.iter().enumerate() {
            for (ns, name, site) in &id.pod_identities {
                g.sa_links.push(SaLink {
                    namespace: ns.clone(),
                    name: name.clone(),
                    at: At::Site(site.clone()),
                    identity: i,
                    how: "EKS Pod Identity association",
                    confidence: Confidence::High,
                    matched: "Terraform reference",
                });
            }
        }
        for (pi, p) in pipelines.pipelines.iter().enumerate() {
            for (ji, job) in p.jobs.iter().enumerate().filter(|(_, j)| !j.template) {
                let mut values: Vec<(String, Span)> = Vec::new();
                for s in &job.steps {
                    let input = match s.action().as_deref() {
                        Some("aws-actions/configure-aws-credentials") => "role-to-assume",
                        Some("google-github-actions/auth") => "service_account",
                        Some("azure/login") => "client-id",
                        _ => continue,
                    };
                    if let Some(v) = s.input(input) {
                        values.push((v.value.clone(), v.value_span));
                    }
                }
                if p.platform == Platform::GitlabCi && !job.id_tokens.is_empty() {
                    for v in job.env.iter().chain(p.env.iter()) {
                        if v.name.to_ascii_uppercase().contains("ROLE_ARN") {
                            values.push((v.value.clone(), v.value_span));
                        }
                    }
                }
                for (value, span) in values {
                    for (i, confidence, matched) in g.resolve(&lookup, &value) {
                        g.job_links.push(JobLink {
                            pipeline: pi,
                            job: ji,
                            at: span,
                            identity: i,
                            confidence,
                            matched,
                        });
                    }
                }
            }
        }
        g
    }

    /// Apply the configuration's `[functions]` to the cloud identities (a tag on the identity
    /// itself wins); ServiceAccounts are looked up by [`Graph::function_of_sa`].
    pub fn with_functions(
        mut self,
        functions: &std::collections::BTreeMap<String, String>,
    ) -> Graph {
        for id in &mut self.identities {
            if id.function.is_none() {
                id.function = functions
                    .get(&id.address)
                    .or_else(|| id.name.as_ref().and_then(|n| functions.get(n)))
                    .cloned();
            }
        }
        self.functions = functions.clone();
        self
    }

    /// The configured function of ServiceAccount `ns/name`.
    pub fn function_of_sa(&self, ns: &str, name: &str) -> Option<&str> {
        self.functions
            .get(&format!("{ns}/{name}"))
            .map(String::as_str)
    }

    /// Subjects that can create pods (or pod controllers) in `ns`: they can run a pod as any
    /// ServiceAccount of that namespace. Returns binding indices.
    pub fn pod_creators(rbac: &RbacIndex, ns: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for (bi, b) in rbac.k8s.bindings.iter().enumerate() {
            if !b.cluster && b.meta.ns() != ns {
                continue;
            }
            let can = rbac.target_rules(rbac.targets[bi]).iter().any(|r| {
                r.rule.grants("", "pods", &["create"])
                    || crate::model::rbac::CONTROLLERS
                        .iter()
                        .any(|(g, res)| r.rule.grants(g, res, &["create", "update", "patch"]))
            });
            if can {
                out.push(bi);
            }
        }
        out
    }
}
