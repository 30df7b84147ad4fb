//! GitHub Actions rules: the `GITHUB_TOKEN`'s permissions, privileged triggers that hand
//! secrets to pull-request authors, secrets forwarded wholesale, and secrets given to
//! third-party actions that are not pinned.

use super::ci::cloud_auths;
use super::{Cx, Rule};
use crate::finding::{Hit, Severity};
use crate::model::pipeline::{Pipeline, PipelineKind, Platform, RefKind, expr_refs};

fn workflows<'a>(cx: &Cx<'a>) -> impl Iterator<Item = &'a Pipeline> {
    cx.facts.pipelines.pipelines.iter().filter(|p| {
        p.platform == Platform::GithubActions && p.kind != PipelineKind::CompositeAction
    })
}

pub struct DefaultTokenPermissions;

impl Rule for DefaultTokenPermissions {
    fn id(&self) -> &'static str {
        "gha-default-token-permissions"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in workflows(cx) {
            // A called workflow's token is capped by its caller's permissions; one that also
            // has its own triggers (`push`) runs with the repository default as well.
            let only_called = p.kind == PipelineKind::ReusableWorkflow
                && p.triggers.iter().all(|t| t.name == "workflow_call");
            if p.permissions.is_some() || only_called {
                continue;
            }
            for job in p.jobs.iter().filter(|j| j.permissions.is_none()) {
                // A job that calls a reusable workflow sets the ceiling of the called jobs' token.
                let whose = match &job.uses {
                    Some((target, _)) => format!(
                        "the jobs of `{target}` it calls get a GITHUB_TOKEN capped only by the repository default"
                    ),
                    None => "its GITHUB_TOKEN gets the repository default".to_owned(),
                };
                out.push(
                    Hit::new(
                        self.id(),
                        job.key_span,
                        format!("{}#{}", p.address, job.id),
                        format!(
                            "job `{}` declares no `permissions`, and neither does the workflow: {whose}, which may be read-write on everything",
                            job.id
                        ),
                    )
                    .label("default token permissions"),
                );
            }
        }
    }
}

pub struct WriteAllPermissions;

impl Rule for WriteAllPermissions {
    fn id(&self) -> &'static str {
        "gha-write-all-permissions"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in workflows(cx) {
            let mut places: Vec<(Option<&str>, crate::source::Span)> = Vec::new();
            if let Some(s) = p.permissions.as_ref().and_then(|x| x.write_all()) {
                places.push((None, s));
            }
            for j in &p.jobs {
                if let Some(s) = j.permissions.as_ref().and_then(|x| x.write_all()) {
                    places.push((Some(&j.id), s));
                }
            }
            for (job, span) in places {
                let whom = match job {
                    Some(j) => format!("job `{j}`"),
                    None => "every job of the workflow".into(),
                };
                out.push(
                    Hit::new(self.id(), span, p.address.clone(), format!("`permissions: write-all` gives {whom} a GITHUB_TOKEN that can write to every scope"))
                        .label("write-all"),
                );
            }
        }
    }
}

pub struct WorkflowWritePermissions;

impl Rule for WorkflowWritePermissions {
    fn id(&self) -> &'static str {
        "gha-workflow-write-permissions"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in workflows(cx) {
            let Some(perms) = &p.permissions else {
                continue;
            };
            // only jobs that inherit the workflow's token scopes
            let inheriting: Vec<&str> = p
                .jobs
                .iter()
                // a reusable-workflow call passes them on as the called jobs' ceiling
                .filter(|j| j.permissions.is_none())
                .map(|j| j.id.as_str())
                .collect();
            if inheriting.len() < 2 {
                continue;
            }
            for (scope, span) in perms.writes() {
                if scope == "id-token" {
                    continue; // gha-id-token-workflow-wide
                }
                let mut h = Hit::new(
                    self.id(),
                    span,
                    p.address.clone(),
                    format!(
                        "`{scope}: write` is granted at workflow level, so all {} jobs that do not declare permissions get it ({}); grant it to the job that needs it",
                        inheriting.len(),
                        inheriting.join(", ")
                    ),
                )
                .label("workflow-wide write");
                // Code, releases, packages, sites and workflow runs are the scopes whose
                // write access changes what ships; the others are low.
                if !matches!(
                    scope,
                    "contents" | "actions" | "packages" | "pages" | "deployments"
                ) {
                    h = h.severity(Severity::Low);
                }
                out.push(h);
            }
        }
    }
}

pub struct IdTokenWorkflowWide;

impl Rule for IdTokenWorkflowWide {
    fn id(&self) -> &'static str {
        "gha-id-token-workflow-wide"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in workflows(cx) {
            let Some((level, span)) = p.permissions.as_ref().and_then(|x| x.scope("id-token"))
            else {
                continue;
            };
            if level != "write" {
                continue;
            }
            let inheriting: Vec<&str> = p
                .jobs
                .iter()
                .filter(|j| j.permissions.is_none())
                .map(|j| j.id.as_str())
                .collect();
            let federating: Vec<&str> = p
                .jobs
                .iter()
                .filter(|j| {
                    j.permissions.is_none() && cloud_auths(p, j).iter().any(|(a, _)| !a.is_static())
                })
                .map(|j| j.id.as_str())
                .collect();
            if inheriting.len() < 2 || federating.len() == inheriting.len() {
                continue;
            }
            out.push(
                Hit::new(
                    self.id(),
                    span,
                    p.address.clone(),
                    format!(
                        "`id-token: write` at workflow level lets {} jobs mint OIDC tokens for cloud roles, {} of which do not federate; grant it only to the deploying job",
                        inheriting.len(),
                        inheriting.len() - federating.len()
                    ),
                )
                .label("workflow-wide id-token"),
            );
        }
    }
}

/// Triggers whose runs carry the base repository's secrets while running for outsiders.
const PRIVILEGED_TRIGGERS: &[&str] = &["pull_request_target", "workflow_run"];

pub struct UntrustedTriggerWithSecrets;

impl Rule for UntrustedTriggerWithSecrets {
    fn id(&self) -> &'static str {
        "gha-untrusted-trigger-with-secrets"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in workflows(cx) {
            let Some((trigger, tspan)) = PRIVILEGED_TRIGGERS
                .iter()
                .find_map(|t| p.has_trigger(t).map(|s| (*t, s)))
            else {
                continue;
            };
            for job in &p.jobs {
                let secrets = job.secret_refs(cx.sources);
                let auths = cloud_auths(p, job);
                let id_token = job
                    .permissions
                    .as_ref()
                    .or(p.permissions.as_ref())
                    .is_some_and(|x| {
                        // `write-all` includes `id-token: write`
                        x.write_all().is_some()
                            || x.scope("id-token").is_some_and(|(l, _)| l == "write")
                    });
                let inherit = job.secrets_inherit;
                let what = if let Some((n, _)) = secrets.first() {
                    Some(format!("secret `{n}`"))
                } else if let Some((a, _)) = auths.first() {
                    Some(format!(
                        "{} {} credentials",
                        a.cloud(),
                        if a.is_static() { "static" } else { "federated" }
                    ))
                } else if inherit.is_some() {
                    Some("every secret (`secrets: inherit`)".to_owned())
                } else if id_token {
                    Some("an OIDC token (`id-token: write`)".to_owned())
                } else {
                    None
                };
                let Some(what) = what else { continue };
                let head_checkout = job.steps.iter().find(|s| {
                    s.action().as_deref() == Some("actions/checkout")
                        && s.input("ref").is_some_and(|r| {
                            let v = r.value.to_ascii_lowercase();
                            v.contains("pull_request.head")
                                || v.contains("head_ref")
                                || v.contains("workflow_run.head")
                        })
                });
                let mut h = Hit::new(
                    self.id(),
                    job.key_span,
                    format!("{}#{}", p.address, job.id),
                    format!("job `{}` runs on `{trigger}` (started by outside contributors) and receives {what}", job.id),
                )
                .label("privileged trigger")
                .related(tspan, format!("`{trigger}` trigger"));
                if let Some(s) = head_checkout {
                    h = h
                        .severity(Severity::Critical)
                        .related(s.span, "checks out the pull request's untrusted code");
                    h.message
                        .push_str(", and checks out the pull request's code");
                }
                if let Some((_, sp)) = secrets.first() {
                    h = h.related(*sp, "secret used here");
                }
                out.push(h);
            }
        }
    }
}

pub struct SecretsInherit;

impl Rule for SecretsInherit {
    fn id(&self) -> &'static str {
        "gha-secrets-inherit"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in workflows(cx) {
            for job in &p.jobs {
                let Some(span) = job.secrets_inherit else {
                    continue;
                };
                let target = job.uses.as_ref().map(|(u, _)| u.as_str()).unwrap_or("");
                let external = !target.starts_with("./");
                let mut h = Hit::new(
                    self.id(),
                    span,
                    format!("{}#{}", p.address, job.id),
                    format!("job `{}` passes every repository and organisation secret to `{target}` (`secrets: inherit`)", job.id),
                )
                .label("all secrets");
                if external {
                    h = h.severity(Severity::Critical);
                    h.message
                        .push_str("; the workflow lives in another repository");
                }
                out.push(h);
            }
        }
    }
}

pub struct SecretsBlanketExposure;

impl Rule for SecretsBlanketExposure {
    fn id(&self) -> &'static str {
        "gha-secrets-blanket-exposure"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in cx
            .facts
            .pipelines
            .pipelines
            .iter()
            .filter(|p| p.platform == Platform::GithubActions)
        {
            for job in &p.jobs {
                let mut spans: Vec<crate::source::Span> = job
                    .all_vars()
                    .flat_map(|v| v.refs.iter())
                    .filter(|r| r.kind == RefKind::AllSecrets)
                    .map(|r| r.locate(cx.sources))
                    .collect();
                for s in &job.steps {
                    if let Some((run, span)) = &s.run {
                        spans.extend(
                            expr_refs(run, *span)
                                .into_iter()
                                .filter(|r| r.kind == RefKind::AllSecrets)
                                .map(|r| r.locate(cx.sources)),
                        );
                    }
                }
                spans.dedup();
                for span in spans {
                    out.push(
                        Hit::new(
                            self.id(),
                            span,
                            format!("{}#{}", p.address, job.id),
                            format!("job `{}` hands the whole `secrets` context to a step (`toJSON(secrets)` or a computed `secrets[...]`): every secret reaches it and log redaction can fail", job.id),
                        )
                        .label("every secret"),
                    );
                }
            }
        }
    }
}

/// Owners whose actions are GitHub's own or the clouds' official login actions.
const TRUSTED_OWNERS: &[&str] = &[
    "actions",
    "github",
    "aws-actions",
    "google-github-actions",
    "azure",
];

fn pinned(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit())
}

pub struct SecretToUnpinnedAction;

impl Rule for SecretToUnpinnedAction {
    fn id(&self) -> &'static str {
        "gha-secret-to-unpinned-action"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in cx
            .facts
            .pipelines
            .pipelines
            .iter()
            .filter(|p| p.platform == Platform::GithubActions)
        {
            for job in &p.jobs {
                // Steps' actions, and the reusable workflow the job itself may call with
                // named secrets (`secrets: inherit` is gha-secrets-inherit's).
                let steps = job.steps.iter().filter_map(|s| {
                    s.uses.as_ref().map(|(u, sp)| {
                        (
                            u,
                            *sp,
                            s.with.iter().chain(s.env.iter()).collect::<Vec<_>>(),
                        )
                    })
                });
                let call = job
                    .uses
                    .as_ref()
                    .map(|(u, sp)| (u, *sp, job.secrets_passed.iter().collect::<Vec<_>>()));
                for (uses, uspan, vars) in steps.chain(call) {
                    if uses.starts_with("./") || uses.starts_with("docker://") {
                        continue;
                    }
                    let (target, git_ref) = uses.split_once('@').unwrap_or((uses.as_str(), ""));
                    let owner = target.split('/').next().unwrap_or("").to_ascii_lowercase();
                    if TRUSTED_OWNERS.contains(&owner.as_str()) || pinned(git_ref) {
                        continue;
                    }
                    let secret = vars
                        .iter()
                        .flat_map(|v| v.refs.iter().map(move |r| (*v, r)))
                        .find(|(_, r)| matches!(r.kind, RefKind::Secret(_) | RefKind::AllSecrets));
                    let Some((var, r)) = secret else { continue };
                    let name = match &r.kind {
                        RefKind::Secret(n) => n.clone(),
                        _ => "every secret".into(),
                    };
                    let what = if job.uses.as_ref().is_some_and(|(_, sp)| *sp == uspan) {
                        "reusable workflow"
                    } else {
                        "action"
                    };
                    out.push(
                        Hit::new(
                            self.id(),
                            uspan,
                            format!("{}#{}", p.address, job.id),
                            format!(
                                "third-party {what} `{uses}` receives secret `{name}` (as `{}`) but is not pinned to a commit SHA: whoever controls its tag controls the secret",
                                var.name
                            ),
                        )
                        .label("unpinned third-party action")
                        .related(r.locate(cx.sources), "secret passed here"),
                    );
                }
            }
        }
    }
}
