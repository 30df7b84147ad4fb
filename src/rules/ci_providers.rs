//! Rules about credentials that Terraform hands on to other systems: static keys pushed into
//! GitHub Actions secrets or GitLab CI/CD variables, tokens written in the GitHub and GitLab
//! provider blocks, and outputs that print credential material.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::cloud::CiValue;
use crate::model::identity::PrivilegeClass;

pub struct StaticCredentialInCiSecret;

impl Rule for StaticCredentialInCiSecret {
    fn id(&self) -> &'static str {
        "tfci-static-credential-in-ci-secret"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for s in &cx.facts.cloud.ci.secrets {
            let name = s
                .name
                .as_deref()
                .map_or_else(String::new, |n| format!(" `{n}`"));
            let wide = s
                .wide
                .as_deref()
                .map_or_else(String::new, |w| format!(" ({w})"));
            let h = match &s.value {
                CiValue::Literal { kind, span, strong } => {
                    let what = if *strong {
                        format!("a literal {}", kind.describe())
                    } else {
                        "a literal value".to_owned()
                    };
                    let mut h = Hit::new(
                        self.id(),
                        *span,
                        &s.address,
                        format!(
                            "{}{name}{wide} is set to {what}: the credential is in git history and in the Terraform state",
                            s.kind
                        ),
                    )
                    .label("hard-coded credential")
                    .classes(vec![PrivilegeClass::CredExposure]);
                    if !strong {
                        h = h.confidence(Confidence::Medium);
                    }
                    h
                }
                CiValue::Minted {
                    span,
                    source,
                    source_span,
                    what,
                } => {
                    let mut h = Hit::new(
                        self.id(),
                        *span,
                        &s.address,
                        format!(
                            "{}{name}{wide} receives the {what} of {source}: a static credential copied into CI, valid until someone rotates it; federate the pipeline with OIDC instead",
                            s.kind
                        ),
                    )
                    .label("static credential into CI")
                    .severity(if s.wide.is_some() {
                        Severity::Critical
                    } else {
                        Severity::High
                    })
                    .classes(vec![PrivilegeClass::CredExposure]);
                    if let Some(sp) = source_span {
                        h = h.related(*sp, format!("credential minted by {source}"));
                    }
                    h
                }
            };
            out.push(h.context(s.declared));
        }
    }
}

pub struct ProviderStaticToken;

impl Rule for ProviderStaticToken {
    fn id(&self) -> &'static str {
        "tfci-provider-static-token"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for p in cx
            .facts
            .cloud
            .ci
            .provider_credentials
            .iter()
            .filter(|p| p.provider == "github" || p.provider == "gitlab")
        {
            let what = if p.key == "pem_file" {
                "GitHub App private key".to_owned()
            } else if p.strong {
                p.kind.describe().to_owned()
            } else {
                format!(
                    "{} token",
                    if p.provider == "github" {
                        "GitHub"
                    } else {
                        "GitLab"
                    }
                )
            };
            let mut h = Hit::new(
                self.id(),
                p.span,
                &p.address,
                format!("{what} written in `{}` of {}", p.key, p.address),
            )
            .label("hard-coded token");
            if !p.strong {
                h = h.confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

pub struct OutputCredentialUnmasked;

impl Rule for OutputCredentialUnmasked {
    fn id(&self) -> &'static str {
        "tf-output-credential-unmasked"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for o in &cx.facts.cloud.ci.outputs {
            if o.sensitive && !o.unmasked {
                continue;
            }
            let how = if o.unmasked {
                "unwraps it with nonsensitive()"
            } else {
                "is not marked `sensitive = true`"
            };
            let mut h = Hit::new(
                self.id(),
                o.span,
                &o.address,
                format!(
                    "{} returns the {} of {} and {how}: it is printed by plan, apply and `terraform output`, and lands in CI logs",
                    o.address, o.what, o.source
                ),
            )
            .label("credential in output")
            .context(o.declared)
            .classes(vec![PrivilegeClass::CredExposure]);
            if let Some(sp) = o.source_span {
                h = h.related(sp, format!("credential minted by {}", o.source));
            }
            out.push(h);
        }
    }
}
