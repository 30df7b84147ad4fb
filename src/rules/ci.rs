//! Rules over CI pipelines of any platform (GitHub Actions, GitLab CI): static cloud keys
//! where federation exists, credentials written in clear, jobs that deploy without an
//! approval gate, and secrets shared between production and other environments.

use std::collections::BTreeMap;

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::credentials::{self, SecretPlace};
use crate::model::pipeline::{Job, Pipeline, Platform, RefKind, Step, Var};
use crate::source::Span;

/// How a job authenticates to a cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloudAuth {
    AwsStatic,
    AwsOidc,
    GcpKey,
    GcpFederated,
    AzureSecret,
    AzureOidc,
}

impl CloudAuth {
    pub fn is_static(self) -> bool {
        matches!(
            self,
            CloudAuth::AwsStatic | CloudAuth::GcpKey | CloudAuth::AzureSecret
        )
    }

    fn advice(self, platform: Platform) -> &'static str {
        match (self, platform) {
            (CloudAuth::AwsStatic, Platform::GithubActions) => {
                "use `role-to-assume` with GitHub OIDC (`permissions: id-token: write` on this job) and a role whose trust pins this repository"
            }
            (CloudAuth::AwsStatic, Platform::GitlabCi) => {
                "use GitLab `id_tokens` with `aws sts assume-role-with-web-identity` and a role whose trust pins this project and branch"
            }
            (CloudAuth::GcpKey, _) => {
                "use Workload Identity Federation (`workload_identity_provider` + `service_account`)"
            }
            (CloudAuth::AzureSecret, _) => {
                "use OIDC federation (`client-id`, `tenant-id`, `subscription-id`, no secret) with a federated credential"
            }
            _ => "",
        }
    }

    pub fn cloud(self) -> &'static str {
        match self {
            CloudAuth::AwsStatic | CloudAuth::AwsOidc => "AWS",
            CloudAuth::GcpKey | CloudAuth::GcpFederated => "Google Cloud",
            CloudAuth::AzureSecret | CloudAuth::AzureOidc => "Azure",
        }
    }
}

/// Environment variable names that carry static cloud credentials.
const STATIC_ENV: &[(&str, CloudAuth)] = &[
    ("AWS_ACCESS_KEY_ID", CloudAuth::AwsStatic),
    ("AWS_SECRET_ACCESS_KEY", CloudAuth::AwsStatic),
    ("ARM_CLIENT_SECRET", CloudAuth::AzureSecret),
    ("AZURE_CLIENT_SECRET", CloudAuth::AzureSecret),
    ("GOOGLE_CREDENTIALS", CloudAuth::GcpKey),
    ("GOOGLE_CLOUD_KEYFILE_JSON", CloudAuth::GcpKey),
    ("GCP_SA_KEY", CloudAuth::GcpKey),
];

/// Every cloud authentication of a job, with the span to point at.
pub fn cloud_auths(p: &Pipeline, job: &Job) -> Vec<(CloudAuth, Span)> {
    let mut out = Vec::new();
    for s in &job.steps {
        out.extend(step_auth(s));
    }
    let envs = p
        .env
        .iter()
        .chain(job.env.iter())
        .chain(job.steps.iter().flat_map(|s| s.env.iter()));
    for v in envs {
        if let Some((_, a)) = STATIC_ENV
            .iter()
            .find(|(n, _)| v.name.eq_ignore_ascii_case(n))
        {
            // LocalStack-style dummies (`test`) and session keys from an earlier step's
            // outputs (an OIDC login with `output-credentials`) are not long-lived keys.
            let dummy = v.literal && credentials::is_placeholder(&v.value);
            let session = !v.refs_secret() && v.value.contains("steps.");
            if !v.value.trim().is_empty() && !dummy && !session {
                out.push((*a, v.name_span));
            }
        }
    }
    if !job.id_tokens.is_empty() {
        // GitLab ID tokens: federated, whichever cloud consumes them.
        out.push((CloudAuth::AwsOidc, job.id_tokens[0].span));
    }
    out
}

fn step_auth(s: &Step) -> Vec<(CloudAuth, Span)> {
    let Some(action) = s.action() else {
        return Vec::new();
    };
    let at = |name: &str| s.input(name).map(|v| v.name_span);
    let mut out = Vec::new();
    match action.as_str() {
        "aws-actions/configure-aws-credentials" => {
            if let Some(sp) = at("aws-access-key-id").or_else(|| at("aws-secret-access-key")) {
                out.push((CloudAuth::AwsStatic, sp));
            } else if let Some(sp) = at("role-to-assume") {
                out.push((CloudAuth::AwsOidc, sp));
            }
        }
        "google-github-actions/auth" => {
            if let Some(sp) = at("credentials_json") {
                out.push((CloudAuth::GcpKey, sp));
            } else if let Some(sp) = at("workload_identity_provider") {
                out.push((CloudAuth::GcpFederated, sp));
            }
        }
        "azure/login" => {
            if let Some(sp) = at("creds") {
                out.push((CloudAuth::AzureSecret, sp));
            } else if let Some(sp) = at("client-id") {
                out.push((CloudAuth::AzureOidc, sp));
            }
        }
        _ => {}
    }
    out
}

pub struct StaticCloudCredentials;

impl Rule for StaticCloudCredentials {
    fn id(&self) -> &'static str {
        "ci-static-cloud-credentials"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in &cx.facts.pipelines.pipelines {
            // A workflow-level `env` reaches every job: report each place once.
            let mut reported: Vec<Span> = Vec::new();
            for job in p.jobs.iter().filter(|j| !j.template) {
                let auths = cloud_auths(p, job);
                let federated = auths.iter().any(|(a, _)| !a.is_static());
                let mut clouds: Vec<&str> = Vec::new();
                for (a, span) in auths.into_iter().filter(|(a, _)| a.is_static()) {
                    // `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` together are one finding,
                    // also when the pair was reported already for an earlier job
                    if reported.contains(&span) {
                        clouds.push(a.cloud());
                    }
                    if clouds.contains(&a.cloud()) {
                        continue;
                    }
                    clouds.push(a.cloud());
                    reported.push(span);
                    let mut h = Hit::new(
                        self.id(),
                        span,
                        format!("{}#{}", p.address, job.id),
                        format!(
                            "job `{}` authenticates to {} with long-lived static credentials; {}",
                            job.id,
                            a.cloud(),
                            a.advice(p.platform)
                        ),
                    )
                    .label("static cloud key")
                    .context(job.key_span);
                    if federated {
                        h = h.severity(Severity::Medium);
                        h.message.push_str(
                            " (a federated login follows: the static key only starts the chain)",
                        );
                    }
                    out.push(h);
                }
            }
        }
    }
}

/// A literal credential in pipeline values: recognisable token formats anywhere, or a literal
/// under a secret-sounding name. Returned as spans for redaction and for the rule.
pub fn literal_credentials(p: &Pipeline) -> Vec<crate::model::credentials::SecretLiteral> {
    let mut out = Vec::new();
    let mut check = |v: &Var, job: Option<&Job>| {
        if !v.literal || v.value.trim().is_empty() {
            return;
        }
        let tokens = credentials::find_tokens(&v.value);
        let (kind, strong) = match tokens.first() {
            Some((k, _, _)) => (*k, true),
            None if (credentials::is_secret_name(&v.name) || v.name == "password")
                && !credentials::is_placeholder(&v.value) =>
            {
                (credentials::SecretKind::NamedSecret, false)
            }
            None => return,
        };
        out.push(credentials::SecretLiteral {
            kind,
            span: v.value_span,
            key: v.name.clone(),
            place: SecretPlace::Pipeline,
            address: match job {
                Some(j) => format!("{}#{}", p.address, j.id),
                None => p.address.clone(),
            },
            strong,
        });
    };
    for v in &p.env {
        check(v, None);
    }
    for j in &p.jobs {
        for v in j.all_vars() {
            check(v, Some(j));
        }
    }
    out
}

pub struct HardcodedCredential;

impl Rule for HardcodedCredential {
    fn id(&self) -> &'static str {
        "ci-hardcoded-credential"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for s in cx
            .facts
            .secrets
            .iter()
            .filter(|s| s.place == SecretPlace::Pipeline)
        {
            let what = if s.strong {
                s.kind.describe().to_owned()
            } else {
                format!("literal value for `{}`", s.key)
            };
            let mut h = Hit::new(
                self.id(),
                s.span,
                &s.address,
                format!("{what} written in clear in the pipeline"),
            )
            .label("hard-coded credential");
            if !s.strong {
                h = h.severity(Severity::High).confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

/// Secret names that say "production" or "deployment".
fn production_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["PROD", "DEPLOY", "RELEASE", "LIVE", "PUBLISH"]
        .iter()
        .any(|k| n.contains(k))
}

pub struct DeployWithoutEnvironment;

impl Rule for DeployWithoutEnvironment {
    fn id(&self) -> &'static str {
        "ci-deploy-without-environment"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in &cx.facts.pipelines.pipelines {
            if p.kind == crate::model::pipeline::PipelineKind::CompositeAction {
                continue;
            }
            for job in p
                .jobs
                .iter()
                .filter(|j| !j.template && j.environment.is_none() && j.uses.is_none())
            {
                let auths = cloud_auths(p, job);
                let prod: Vec<(String, Span)> = job
                    .secret_refs(cx.sources)
                    .into_iter()
                    .filter(|(n, _)| production_secret(n))
                    .collect();
                let reason = if let Some((a, sp)) = auths.first() {
                    Some((format!("holds {} credentials", a.cloud()), *sp))
                } else {
                    prod.first()
                        .map(|(n, sp)| (format!("uses production secret `{n}`"), *sp))
                };
                let Some((why, related)) = reason else {
                    continue;
                };
                out.push(
                    Hit::new(
                        self.id(),
                        job.key_span,
                        format!("{}#{}", p.address, job.id),
                        format!(
                            "job `{}` {why} but declares no `environment:`, so no approval or branch protection gates it",
                            job.id
                        ),
                    )
                    .label("no environment")
                    .related(related, "credential used here"),
                );
            }
        }
    }
}

fn prod_env(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["prod", "production", "live", "prd"].iter().any(|k| {
        n == *k
            || n.starts_with(&format!("{k}-"))
            || n.starts_with(&format!("{k}_"))
            || n.ends_with(&format!("-{k}"))
            || n.ends_with(&format!("_{k}"))
            || n.contains("production")
    })
}

pub struct SecretSharedAcrossEnvironments;

impl Rule for SecretSharedAcrossEnvironments {
    fn id(&self) -> &'static str {
        "ci-secret-shared-across-environments"
    }

    fn global(&self) -> bool {
        true
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        // secret name -> uses (environment or none, pipeline address, job, span)
        let mut uses: BTreeMap<String, Vec<(Option<String>, String, Span)>> = BTreeMap::new();
        for p in &cx.facts.pipelines.pipelines {
            for job in p.jobs.iter().filter(|j| !j.template) {
                // An environment chosen at run time (`${{ inputs.target }}`, `review/$CI_COMMIT_REF_SLUG`)
                // is unknown: neither production nor "no environment".
                let env = match &job.environment {
                    Some((e, _)) if e.contains("${{") || e.contains('$') => continue,
                    e => e.as_ref().map(|(e, _)| e.clone()),
                };
                let mut names: Vec<(String, Span)> = job.secret_refs(cx.sources);
                if p.platform == Platform::GitlabCi {
                    for v in job.all_vars() {
                        for r in &v.refs {
                            if let RefKind::GitlabVar(n) = &r.kind
                                && credentials::is_secret_name(n)
                            {
                                names.push((n.clone(), r.span));
                            }
                        }
                    }
                }
                for (n, sp) in names {
                    uses.entry(n.to_ascii_uppercase()).or_default().push((
                        env.clone(),
                        format!("{}#{}", p.address, job.id),
                        sp,
                    ));
                }
            }
        }
        for (name, us) in uses {
            let Some(prod) = us
                .iter()
                .find(|(e, _, _)| e.as_deref().is_some_and(prod_env))
            else {
                continue;
            };
            // Only a job without an environment proves the name is a repository- or
            // project-wide secret: the same name in `staging` and `production` is usually one
            // environment-scoped secret per environment, which is the fix, not the fault.
            let Some(other) = us.iter().find(|(e, _, _)| e.is_none()) else {
                continue;
            };
            let other_env = "no environment";
            out.push(
                Hit::new(
                    self.id(),
                    other.2,
                    &other.1,
                    format!(
                        "secret `{name}` is used by `{}` ({other_env}) and by `{}` ({}): one credential shared by production and non-production",
                        other.1,
                        prod.1,
                        prod.0.as_deref().unwrap_or("")
                    ),
                )
                .label("shared secret")
                .related(prod.2, "production use"),
            );
        }
    }
}
