//! GitLab CI rules: ID tokens minted too widely, cloud roles assumed from unprotected
//! branches, and debug tracing that prints every variable into the job log.

use super::{Cx, Rule};
use crate::finding::{Hit, Severity};
use crate::model::pipeline::{Job, Pipeline, Platform};
use crate::source::Span;

fn configs<'a>(cx: &Cx<'a>) -> impl Iterator<Item = &'a Pipeline> {
    cx.facts
        .pipelines
        .pipelines
        .iter()
        .filter(|p| p.platform == Platform::GitlabCi)
}

pub struct IdTokenBroad;

impl Rule for IdTokenBroad {
    fn id(&self) -> &'static str {
        "gitlab-id-token-broad"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in configs(cx) {
            if let Some(span) = p.default_id_tokens {
                out.push(
                    Hit::new(self.id(), span, p.address.clone(), "`id_tokens` under `default:` lets every job of the pipeline mint OIDC tokens for cloud roles; declare them on the deploying jobs only")
                        .label("every job mints tokens"),
                );
            }
            // One audience used by jobs of different environments: one relying party (one
            // cloud role trust) serves them all.
            let mut by_aud: Vec<(&str, &Job, crate::source::Span)> = Vec::new();
            for j in p.jobs.iter().filter(|j| !j.template) {
                for t in &j.id_tokens {
                    for (aud, span) in &t.aud {
                        by_aud.push((aud.as_str(), j, *span));
                    }
                }
            }
            let mut reported: Vec<&str> = Vec::new();
            for (aud, job, span) in &by_aud {
                if reported.contains(aud) {
                    continue;
                }
                let env = job.environment.as_ref().map(|(e, _)| e.as_str());
                let other = by_aud.iter().find(|(a, j, _)| {
                    a == aud && j.environment.as_ref().map(|(e, _)| e.as_str()) != env
                });
                if let Some((_, oj, ospan)) = other {
                    reported.push(aud);
                    out.push(
                        Hit::new(
                            self.id(),
                            *span,
                            format!("{}#{}", p.address, job.id),
                            format!(
                                "ID-token audience `{aud}` is shared by job `{}` ({}) and job `{}` ({}): use one audience per environment so each cloud role trusts only its own jobs",
                                job.id,
                                env.unwrap_or("no environment"),
                                oj.id,
                                oj.environment.as_ref().map(|(e, _)| e.as_str()).unwrap_or("no environment")
                            ),
                        )
                        .label("shared audience")
                        .related(*ospan, "same audience"),
                    );
                }
            }
        }
    }
}

/// Does a job only run for protected refs? Every way it can run (each `rules:` entry that is
/// not `when: never`, each `only:` ref) must be limited to protected refs, the default branch
/// or tags.
fn protected(job: &Job) -> bool {
    !job.conditions.is_empty()
        && job
            .conditions
            .iter()
            .all(|c| protected_condition(&c.replace(' ', "")))
}

/// One condition (spaces removed). `a || b` is only as protected as its weakest side; in
/// `a && b` one protected side suffices. A bare `$CI_COMMIT_REF_PROTECTED` is always set
/// (`"false"` on unprotected refs), so only a comparison counts.
fn protected_condition(c: &str) -> bool {
    if c.contains("||") {
        return c.split("||").all(protected_condition);
    }
    c.contains("$CI_COMMIT_REF_PROTECTED==\"true\"")
        || c.contains("$CI_COMMIT_REF_PROTECTED=='true'")
        || c.contains("$CI_COMMIT_REF_PROTECTED!=\"false\"")
        || c.contains("$CI_COMMIT_REF_PROTECTED!='false'")
        || c.contains("$CI_COMMIT_BRANCH==$CI_DEFAULT_BRANCH")
        || c.contains("$CI_COMMIT_REF_NAME==$CI_DEFAULT_BRANCH")
        || (c.contains("$CI_COMMIT_TAG")
            && !c.contains("$CI_COMMIT_TAG==null")
            && !c.contains("$CI_COMMIT_TAG==\"\""))
        || matches!(
            c,
            "only:main" | "only:master" | "only:tags" | "only:production"
        )
        || c.contains("$CI_COMMIT_BRANCH==\"main\"")
        || c.contains("$CI_COMMIT_BRANCH==\"master\"")
}

pub struct CloudRoleUnprotectedBranch;

impl Rule for CloudRoleUnprotectedBranch {
    fn id(&self) -> &'static str {
        "gitlab-cloud-role-unprotected-branch"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in configs(cx) {
            for j in p
                .jobs
                .iter()
                .filter(|j| !j.template && !j.id_tokens.is_empty())
            {
                if protected(j) {
                    continue;
                }
                let mr = j
                    .conditions
                    .iter()
                    .any(|c| c.contains("merge_request_event") && !c.contains("!="));
                let mut h = Hit::new(
                    self.id(),
                    j.id_tokens[0].span,
                    format!("{}#{}", p.address, j.id),
                    format!(
                        "job `{}` mints an ID token for a cloud role on any branch{}: anyone who can push a branch can assume the role unless its trust pins a protected ref",
                        j.id,
                        if mr { ", including merge-request pipelines" } else { "" }
                    ),
                )
                .label("unprotected ID token")
                .context(j.key_span);
                if mr {
                    h = h.severity(Severity::High);
                }
                out.push(h);
            }
        }
    }
}

/// The jobs that run (not templates) whose resolved value is the node at `span`: a
/// template's or `default:`'s value reaches every job that uses it, and is reported once.
fn runners(p: &Pipeline, span: Span, has: impl Fn(&Job, Span) -> bool) -> Vec<&str> {
    p.jobs
        .iter()
        .filter(|j| !j.template && has(j, span))
        .map(|j| j.id.as_str())
        .collect()
}

fn whom(jobs: &[&str], fallback: &str) -> String {
    match jobs {
        [] => format!("job `{fallback}`"),
        [one] => format!("job `{one}`"),
        many => format!(
            "jobs {}",
            many.iter()
                .map(|j| format!("`{j}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub struct DebugTrace;

impl Rule for DebugTrace {
    fn id(&self) -> &'static str {
        "gitlab-debug-trace"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in configs(cx) {
            let mut seen: Vec<Span> = Vec::new();
            let vars = p.env.iter().map(|v| (None, v)).chain(
                p.jobs
                    .iter()
                    .flat_map(|j| j.env.iter().map(move |v| (Some(j), v))),
            );
            for (job, v) in vars {
                if !matches!(v.name.as_str(), "CI_DEBUG_TRACE" | "CI_DEBUG_SERVICES")
                    // the runner reads the flag with Go's `strconv.ParseBool`
                    || !matches!(v.value.as_str(), "true" | "True" | "TRUE" | "t" | "T" | "1")
                    || seen.contains(&v.name_span)
                {
                    continue;
                }
                seen.push(v.name_span);
                let jobs = runners(p, v.name_span, |j, s| {
                    j.env.iter().any(|x| x.name_span == s)
                });
                let (whom, address) = match job {
                    None => ("every job".to_owned(), p.address.clone()),
                    Some(j) => (
                        whom(&jobs, &j.id),
                        format!("{}#{}", p.address, jobs.first().copied().unwrap_or(&j.id)),
                    ),
                };
                out.push(
                    Hit::new(
                        self.id(),
                        v.name_span,
                        address,
                        format!("`{}: {}` makes {whom} print every variable, masked secrets included, into the job log", v.name, v.value),
                    )
                    .label("debug trace"),
                );
            }
        }
    }
}

/// The `$CI_JOB_JWT...` reference inside a value or script line: a block scalar (`- |`)
/// is one span for many lines, and the finding belongs on the line that uses the token.
fn jwt_span(sources: &crate::source::Sources, span: Span) -> Span {
    let text = sources.slice(span);
    let Some(at) = text.find("CI_JOB_JWT") else {
        return span;
    };
    let b = text.as_bytes();
    let mut start = at;
    while start > 0 && matches!(b[start - 1], b'$' | b'{') {
        start -= 1;
    }
    let mut end = at + "CI_JOB_JWT".len();
    while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
        end += 1;
    }
    Span::new(
        span.file,
        span.start as usize + start,
        span.start as usize + end,
    )
}

pub struct LegacyJobJwt;

impl Rule for LegacyJobJwt {
    fn id(&self) -> &'static str {
        "gitlab-legacy-job-jwt"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        const ADVICE: &str = "whose audience is the GitLab instance itself: any service that accepts it accepts every job's token; declare `id_tokens` with a specific `aud`";
        for p in configs(cx) {
            for v in p.env.iter().filter(|v| v.value.contains("CI_JOB_JWT")) {
                out.push(
                    Hit::new(
                        self.id(),
                        jwt_span(cx.sources, v.value_span),
                        p.address.clone(),
                        format!(
                            "every job gets the deprecated `CI_JOB_JWT` token as `{}`, {ADVICE}",
                            v.name
                        ),
                    )
                    .label("legacy job JWT"),
                );
            }
            // A `default:` script or a template's line is shared by the jobs that use it.
            let mut seen: Vec<Span> = Vec::new();
            for j in p.jobs.iter().filter(|j| !j.template) {
                let in_script = j
                    .script
                    .iter()
                    .find(|(line, _)| line.contains("CI_JOB_JWT"));
                let in_vars = j.env.iter().find(|v| v.value.contains("CI_JOB_JWT"));
                let span = in_script.map(|(_, s)| *s).or(in_vars.map(|v| v.value_span));
                let Some(span) = span else { continue };
                if seen.contains(&span) {
                    continue;
                }
                seen.push(span);
                let jobs = runners(p, span, |j, s| {
                    j.script.iter().any(|(_, x)| *x == s) || j.env.iter().any(|v| v.value_span == s)
                });
                let mut h = Hit::new(
                    self.id(),
                    jwt_span(cx.sources, span),
                    format!("{}#{}", p.address, j.id),
                    format!(
                        "{} {} the deprecated `CI_JOB_JWT` token, {ADVICE}",
                        whom(&jobs, &j.id),
                        if jobs.len() > 1 { "use" } else { "uses" }
                    ),
                )
                .label("legacy job JWT");
                if jobs.len() == 1 {
                    h = h.context(j.key_span);
                }
                out.push(h);
            }
        }
    }
}
