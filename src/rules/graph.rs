//! Rules over the identity graph: what crosses from one system to another. A ServiceAccount
//! that becomes a powerful cloud role; a workload-identity trust that admits more
//! ServiceAccounts than use it, or one nobody defines; a CI role whose trust admits more than
//! the jobs that use it; privileged automation without an approval gate; one identity shared
//! by production and other environments; detection identities that can act. Each finding
//! carries the chain as related locations.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::graph::Graph;
use crate::model::identity::{CloudIdentity, PrivilegeClass, Tier, TrustKind};

fn classes_text(id: &CloudIdentity) -> String {
    let c: Vec<&str> = id
        .classes
        .iter()
        .filter(|c| **c != PrivilegeClass::Observe)
        .map(|c| c.as_str())
        .collect();
    if c.is_empty() {
        "read-only access".into()
    } else {
        c.join(", ")
    }
}

fn id_name(id: &CloudIdentity) -> &str {
    id.name.as_deref().unwrap_or(&id.address)
}

fn with_identity(mut h: Hit, id: &CloudIdentity) -> Hit {
    h = h.related(
        id.site.clone(),
        format!("{} {} {}", id.provider_name(), id.kind, id.address),
    );
    if let Some((g, what)) = &id.grant {
        h = h.related(g.clone(), format!("grant: {what}"));
    }
    h.classes(id.classes.clone())
}

fn prod(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("prod") || n == "live" || n == "prd"
}

pub struct SaCloudRole;

impl Rule for SaCloudRole {
    fn id(&self) -> &'static str {
        "xref-k8s-sa-cloud-role"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let (Some(g), Some(rbac)) = (cx.graph, cx.rbac) else {
            return;
        };
        for l in &g.sa_links {
            let id = &g.identities[l.identity];
            let tier = Tier::of(&id.classes);
            if tier < Tier::T4 {
                continue;
            }
            let creators = Graph::pod_creators(rbac, &l.namespace);
            let sev = if tier >= Tier::T5 {
                Severity::Critical
            } else {
                Severity::High
            };
            let mut h = Hit::new(
                self.id(),
                l.at.clone(),
                format!("ServiceAccount/{}/{}", l.namespace, l.name),
                format!(
                    "ServiceAccount {}/{} becomes {} {} {} ({}) through its {}: every pod running as it{} holds that cloud power",
                    l.namespace,
                    l.name,
                    id.provider_name(),
                    id.kind,
                    id_name(id),
                    classes_text(id),
                    l.how,
                    if creators.is_empty() { "" } else { ", and every subject that can create pods in its namespace," }
                ),
            )
            .label("cloud identity")
            .severity(sev);
            if l.confidence < Confidence::High {
                h = h.confidence(l.confidence);
                h.message.push_str(&format!(
                    " (linked by {}, not by a Terraform reference: an identity of another account or project may have the same name)",
                    l.matched
                ));
            }
            h = with_identity(h, id);
            for w in rbac
                .k8s
                .workloads
                .iter()
                .filter(|w| w.meta.ns() == l.namespace && w.sa_name() == l.name)
                .take(5)
            {
                let at = w
                    .service_account
                    .as_ref()
                    .map(|(_, s)| *s)
                    .unwrap_or(w.pod_spec_key);
                h = h.related(at, format!("{} {} runs as it", w.meta.kind, w.meta.name));
            }
            for &b in creators.iter().take(3) {
                let bd = &rbac.k8s.bindings[b];
                h = h.related(
                    bd.role_span,
                    format!(
                        "{} lets its subjects create pods in {}",
                        bd.meta.address, l.namespace
                    ),
                );
            }
            out.push(h);
        }
    }
}

pub struct WorkloadIdentityTrustMismatch;

impl Rule for WorkloadIdentityTrustMismatch {
    fn id(&self) -> &'static str {
        "xref-workload-identity-trust-mismatch"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let (Some(g), Some(rbac)) = (cx.graph, cx.rbac) else {
            return;
        };
        for (i, id) in g.identities.iter().enumerate() {
            let users: Vec<(&str, &str)> = g
                .sa_links
                .iter()
                .filter(|l| l.identity == i)
                .map(|l| (l.namespace.as_str(), l.name.as_str()))
                .collect();
            for t in id
                .trust
                .iter()
                .filter(|t| t.kind == TrustKind::KubernetesOidc)
            {
                for (sub, site) in &t.subs {
                    let Some(rest) = sub.strip_prefix("system:serviceaccount:") else {
                        continue;
                    };
                    let Some((ns, name)) = rest.split_once(':') else {
                        continue;
                    };
                    if t.like && (ns.contains('*') || name.contains('*')) {
                        let defined: Vec<String> = rbac
                            .k8s
                            .service_accounts
                            .iter()
                            .filter(|sa| {
                                crate::model::iam::glob_ci(ns.as_bytes(), sa.meta.ns().as_bytes())
                                    && crate::model::iam::glob_ci(
                                        name.as_bytes(),
                                        sa.meta.name.as_bytes(),
                                    )
                            })
                            .map(|sa| format!("{}/{}", sa.meta.ns(), sa.meta.name))
                            .collect();
                        let extra: Vec<&String> = defined
                            .iter()
                            .filter(|d| !users.iter().any(|(n, s)| **d == format!("{n}/{s}")))
                            .collect();
                        // A wildcard as such is trust-eks-irsa-weak-sub's; here: ServiceAccounts
                        // of the scan that match it without using the role.
                        if extra.is_empty() {
                            continue;
                        }
                        let who = if users.is_empty() {
                            "no ServiceAccount of the scan".to_owned()
                        } else {
                            users
                                .iter()
                                .map(|(n, s)| format!("{n}/{s}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        let shown: Vec<&str> = extra.iter().take(3).map(|s| s.as_str()).collect();
                        let mut h = Hit::new(
                            self.id(),
                            site.clone(),
                            id.address.clone(),
                            format!(
                                "trust of {} admits every ServiceAccount matching `{sub}`: {} of the scan match without using the role ({}), while {who} uses it",
                                id_name(id),
                                extra.len(),
                                shown.join(", ")
                            ),
                        )
                        .label("wider than its users")
                        .severity(Severity::Medium);
                        h = with_identity(h, id);
                        out.push(h);
                    } else if !ns.contains('*')
                        && !name.contains('*')
                        && rbac.sa_namespaces.contains(ns)
                        && !rbac.service_account_defined(ns, name)
                        // a chart's ServiceAccount of that name, namespace left to the release
                        && !rbac.k8s.service_accounts.iter().any(|sa| {
                            sa.meta.name == name && crate::graph::unknown_namespace(sa.meta.ns())
                        })
                    {
                        let h = Hit::new(
                            self.id(),
                            site.clone(),
                            id.address.clone(),
                            format!(
                                "trust of {} names ServiceAccount {ns}/{name}, which no manifest of the scan defines: whoever creates that name in the cluster becomes the role",
                                id_name(id)
                            ),
                        )
                        .label("dangling ServiceAccount")
                        .severity(Severity::Low);
                        out.push(with_identity(h, id));
                    }
                }
            }
            // An annotation pointing at a role whose trust does not admit the ServiceAccount.
            let irsa: Vec<&crate::model::identity::TrustEntry> = id
                .trust
                .iter()
                .filter(|t| t.kind == TrustKind::KubernetesOidc)
                .collect();
            if irsa.is_empty() || irsa.iter().any(|t| t.subs.is_empty()) {
                continue;
            }
            for l in g.sa_links.iter().filter(|l| l.identity == i) {
                let want = format!("system:serviceaccount:{}:{}", l.namespace, l.name);
                let unknown_ns = crate::graph::unknown_namespace(&l.namespace);
                let admitted = irsa.iter().any(|t| {
                    t.subs.iter().any(|(s, _)| {
                        if unknown_ns {
                            // the release decides the namespace: compare names only
                            let name = s.rsplit(':').next().unwrap_or(s);
                            s.starts_with("system:serviceaccount:")
                                && (name == l.name
                                    || (t.like
                                        && crate::model::iam::glob_ci(
                                            name.as_bytes(),
                                            l.name.as_bytes(),
                                        )))
                        } else if t.like {
                            crate::model::iam::glob_ci(s.as_bytes(), want.as_bytes())
                        } else {
                            *s == want
                        }
                    })
                });
                if !admitted {
                    let h = Hit::new(
                        self.id(),
                        l.at.clone(),
                        format!("ServiceAccount/{}/{}", l.namespace, l.name),
                        format!(
                            "ServiceAccount {}/{} is annotated with role {}, whose trust does not admit it: the link is broken, and widening the trust to fix it would admit more",
                            l.namespace,
                            l.name,
                            id_name(id)
                        ),
                    )
                    .label("not admitted by the trust")
                    .severity(Severity::Low);
                    out.push(with_identity(h, id));
                }
            }
        }
    }
}

pub struct CiRoleTrustBroaderThanUse;

impl Rule for CiRoleTrustBroaderThanUse {
    fn id(&self) -> &'static str {
        "xref-ci-role-trust-broader-than-use"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(g) = cx.graph else { return };
        let pipelines = &cx.facts.pipelines.pipelines;
        for (i, id) in g.identities.iter().enumerate() {
            let links: Vec<&crate::graph::JobLink> =
                g.job_links.iter().filter(|l| l.identity == i).collect();
            if links.is_empty() {
                continue;
            }
            let envs: Vec<Option<&str>> = links
                .iter()
                .map(|l| {
                    pipelines[l.pipeline].jobs[l.job]
                        .environment
                        .as_ref()
                        .map(|(e, _)| e.as_str())
                })
                .collect();
            let all_in_env = envs.iter().all(|e| e.is_some());
            let prs = links.iter().any(|l| {
                let p = &pipelines[l.pipeline];
                p.triggers
                    .iter()
                    .any(|t| t.name == "pull_request" || t.name == "pull_request_target")
            });
            for t in id
                .trust
                .iter()
                .filter(|t| matches!(t.kind, TrustKind::GithubOidc | TrustKind::GitlabOidc))
            {
                for (sub, site) in &t.subs {
                    let pins_env = sub.contains("environment:");
                    let wild = t.like && sub.contains('*');
                    // A wildcard before the context part (`repo:o/r:*`, `repo:o/*`) admits
                    // the `pull_request` subject too; `repo:o/r:ref:refs/heads/*` does not.
                    let before = sub.split('*').next().unwrap_or(sub);
                    let admits_pr = t.kind == TrustKind::GithubOidc
                        && (sub.contains(":pull_request")
                            || (wild
                                && ![":ref:", ":environment:", ":job_workflow_ref:"]
                                    .iter()
                                    .any(|c| before.contains(c))));
                    let problem = if all_in_env && !pins_env && wild {
                        Some(format!(
                            "every job that assumes it runs in environment {}, but the trust accepts `{sub}`, which is not pinned to it",
                            envs.iter().flatten().next().unwrap_or(&"")
                        ))
                    } else if !prs && admits_pr {
                        Some(format!(
                            "no job that assumes it runs for pull requests, but the trust accepts `{sub}`, which pull-request runs can present"
                        ))
                    } else {
                        None
                    };
                    let Some(why) = problem else { continue };
                    let tier = Tier::of(&id.classes);
                    let mut h = Hit::new(
                        self.id(),
                        site.clone(),
                        id.address.clone(),
                        format!("CI role {}: {why}", id_name(id)),
                    )
                    .label("trust wider than its use")
                    .severity(if tier >= Tier::T3 {
                        Severity::High
                    } else {
                        Severity::Medium
                    });
                    for l in links.iter().take(3) {
                        let p = &pipelines[l.pipeline];
                        h = h.related(
                            l.at,
                            format!("assumed by job `{}` of {}", p.jobs[l.job].id, p.address),
                        );
                    }
                    out.push(with_identity(h, id));
                }
            }
        }
    }
}

pub struct PrivilegedAutomationWithoutApproval;

impl Rule for PrivilegedAutomationWithoutApproval {
    fn id(&self) -> &'static str {
        "xref-privileged-automation-without-approval"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(g) = cx.graph else { return };
        let pipelines = &cx.facts.pipelines.pipelines;
        for l in &g.job_links {
            let p = &pipelines[l.pipeline];
            let job = &p.jobs[l.job];
            if job.environment.is_some() {
                continue;
            }
            let id = &g.identities[l.identity];
            let tier = Tier::of(&id.classes);
            if tier < Tier::T4 {
                continue;
            }
            let mut h = Hit::new(
                self.id(),
                l.at,
                format!("{}#{}", p.address, job.id),
                format!(
                    "job `{}` assumes {} {} ({}, {}) with no `environment:` approval gate: the automation acts at that tier without a human in the loop",
                    job.id,
                    id.kind,
                    id_name(id),
                    tier.describe(),
                    classes_text(id)
                ),
            )
            .label("no approval gate")
            .severity(if tier >= Tier::T5 { Severity::Critical } else { Severity::High })
            .context(job.key_span);
            if l.confidence < Confidence::High {
                h = h.confidence(l.confidence);
                h.message.push_str(&format!(
                    " (linked by {}, not by a Terraform reference: an identity of another account or project may have the same name)",
                    l.matched
                ));
            }
            out.push(with_identity(h, id));
        }
    }
}

pub struct IdentitySharedAcrossEnvironments;

impl Rule for IdentitySharedAcrossEnvironments {
    fn id(&self) -> &'static str {
        "xref-identity-shared-across-envs"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(g) = cx.graph else { return };
        let pipelines = &cx.facts.pipelines.pipelines;
        for (i, id) in g.identities.iter().enumerate() {
            // (context name, where) of every use
            let mut uses: Vec<(String, crate::finding::At)> = Vec::new();
            for l in g.job_links.iter().filter(|l| l.identity == i) {
                let job = &pipelines[l.pipeline].jobs[l.job];
                let env = job
                    .environment
                    .as_ref()
                    .map(|(e, _)| e.clone())
                    .unwrap_or_else(|| "no environment".into());
                uses.push((env, l.at.into()));
            }
            for l in g.sa_links.iter().filter(|l| l.identity == i) {
                uses.push((format!("namespace {}", l.namespace), l.at.clone()));
            }
            let Some(p) = uses.iter().find(|(c, _)| prod(c)) else {
                continue;
            };
            let Some(o) = uses.iter().find(|(c, _)| !prod(c) && c != "no environment") else {
                continue;
            };
            let h = Hit::new(
                self.id(),
                o.1.clone(),
                id.address.clone(),
                format!("{} {} is used by production ({}) and by {}: a compromise of the weaker environment reaches production", id.kind, id_name(id), p.0, o.0),
            )
            .label("shared across environments")
            .related(p.1.clone(), format!("production use ({})", p.0));
            out.push(with_identity(h, id));
        }
    }
}

pub struct AiopsSeparationOfDuties;

impl Rule for AiopsSeparationOfDuties {
    fn id(&self) -> &'static str {
        "xref-aiops-sod-violation"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let (Some(g), Some(rbac)) = (cx.graph, cx.rbac) else {
            return;
        };
        let detect = |f: &str| {
            matches!(
                f.to_ascii_lowercase().as_str(),
                "detect" | "recommend" | "observe"
            )
        };
        for (i, id) in g.identities.iter().enumerate() {
            // by tag on the role, or by the annotation of a ServiceAccount that becomes it
            let links = || g.sa_links.iter().filter(|l| l.identity == i);
            let sa_fn = links()
                .find_map(|l| {
                    let sa = rbac.service_account(&l.namespace, &l.name)?;
                    let (f, span) = sa.meta.annotation("nhiaudit.io/function")?;
                    Some((f.to_owned(), Some(span)))
                })
                .or_else(|| {
                    links().find_map(|l| {
                        g.function_of_sa(&l.namespace, &l.name)
                            .map(|f| (f.to_owned(), None))
                    })
                });
            let declared = id.function.clone().map(|f| (f, None)).or(sa_fn);
            let tier = Tier::of(&id.classes);
            let heuristic = declared.is_none()
                && id_name(id).to_ascii_lowercase().split(['-', '_']).any(|w| {
                    matches!(
                        w,
                        "observer" | "monitor" | "monitoring" | "detector" | "detect" | "telemetry"
                    )
                });
            let Some(function) = declared
                .as_ref()
                .map(|(f, _)| f.clone())
                .or_else(|| heuristic.then(|| "detection (by its name)".to_owned()))
            else {
                continue;
            };
            if !detect(&function) && !heuristic {
                continue;
            }
            if tier <= Tier::T1 {
                continue;
            }
            let primary: crate::finding::At = match declared.as_ref().and_then(|(_, s)| *s) {
                Some(s) => s.into(),
                None => id
                    .grant
                    .as_ref()
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| id.site.clone())
                    .into(),
            };
            let mut h = Hit::new(
                self.id(),
                primary,
                id.address.clone(),
                format!(
                    "{} {} serves {function} but holds {} ({}): detection and recommendation identities must stay read-only, execution belongs to a separate, gated identity",
                    id.kind,
                    id_name(id),
                    tier.describe(),
                    classes_text(id)
                ),
            )
            .label("separation of duties")
            .severity(if tier >= Tier::T4 { Severity::High } else { Severity::Medium });
            if heuristic {
                h = h.confidence(Confidence::Low);
            }
            out.push(with_identity(h, id));
        }
    }
}
