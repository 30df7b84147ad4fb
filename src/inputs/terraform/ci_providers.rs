//! Credentials that Terraform hands on: GitHub Actions secrets and GitLab CI/CD variables
//! (written as literals, or filled from another resource's secret attribute such as
//! `aws_iam_access_key.ci.secret`), `output`s that return credential material, and tokens
//! written in `provider "github"` / `provider "gitlab"` blocks. Also the helpers the GCP and
//! Azure extractors share for credentials written in clear.

use std::collections::HashMap;

use super::body::{BlockRef, BodyRef, address, local_address};
use super::eval::Evaluator;
use crate::model::Facts;
use crate::model::cloud::{CiSecret, CiValue, CredentialOutput, ProviderCredential};
use crate::model::credentials::{self, SecretKind, SecretLiteral, SecretPlace};
use crate::parse::doc::{Node, Value};
use crate::source::Span;

/// Resource attributes that hold a credential, with what it is.
const SECRET_ATTRS: &[(&str, &[&str], &str)] = &[
    (
        "aws_iam_access_key",
        &["secret", "ses_smtp_password_v4"],
        "AWS secret access key",
    ),
    (
        "aws_iam_service_specific_credential",
        &["service_password"],
        "AWS service-specific password",
    ),
    (
        "google_service_account_key",
        &["private_key"],
        "GCP service-account key",
    ),
    (
        "google_storage_hmac_key",
        &["secret"],
        "Cloud Storage HMAC secret",
    ),
    ("google_apikeys_key", &["key_string"], "Google API key"),
    (
        "azuread_application_password",
        &["value"],
        "Entra ID client secret",
    ),
    (
        "azuread_service_principal_password",
        &["value"],
        "Entra ID client secret",
    ),
    (
        "azurerm_storage_account",
        &[
            "primary_access_key",
            "secondary_access_key",
            "primary_connection_string",
            "secondary_connection_string",
        ],
        "Azure storage account key",
    ),
    (
        "azurerm_container_registry",
        &["admin_password"],
        "container registry admin password",
    ),
    (
        "azurerm_kubernetes_cluster",
        &["kube_admin_config_raw", "kube_config_raw"],
        "AKS kubeconfig",
    ),
    ("gitlab_project_access_token", &["token"], "GitLab token"),
    ("gitlab_group_access_token", &["token"], "GitLab token"),
    ("gitlab_personal_access_token", &["token"], "GitLab token"),
    ("gitlab_deploy_token", &["token"], "GitLab deploy token"),
    (
        "tls_private_key",
        &[
            "private_key_pem",
            "private_key_openssh",
            "private_key_pem_pkcs8",
        ],
        "private key",
    ),
];

/// The first reference inside a value to a credential attribute: (`type.name`, what it is).
fn minted_ref(n: &Node) -> Option<(String, &'static str)> {
    match &n.value {
        Value::Unknown(u) => u.refs.iter().find_map(|r| {
            let mut p = r.split('.');
            let (t, name, attr) = (p.next()?, p.next()?, p.next()?);
            SECRET_ATTRS
                .iter()
                .find(|(ty, attrs, _)| *ty == t && attrs.contains(&attr))
                .map(|(_, _, what)| (format!("{t}.{name}"), *what))
        }),
        Value::Seq(items) => items.iter().find_map(minted_ref),
        Value::Map(entries) => entries.iter().find_map(|e| minted_ref(&e.value)),
        _ => None,
    }
}

/// Extract CI secrets, credential outputs and CI provider tokens.
pub fn extract(ev: &Evaluator, blocks: &[BlockRef], facts: &mut Facts) {
    let declared: HashMap<String, Span> = blocks
        .iter()
        .filter(|b| b.ident == "resource")
        .map(|b| (local_address(b), b.header))
        .collect();
    for b in blocks {
        match (b.ident.as_str(), b.labels.first().map(String::as_str)) {
            ("resource", Some(t)) => ci_secret(ev, t, b, &declared, facts),
            ("output", _) => output(ev, b, &declared, facts),
            ("provider", Some(p @ ("github" | "gitlab"))) => {
                let addr = match str_attr(ev, &b.body, "alias") {
                    Some(alias) => format!("provider.{p}.{alias}"),
                    None => format!("provider.{p}"),
                };
                provider_token(ev, &b.body, "token", p, &addr, facts);
                let sources = ev.sources.borrow();
                let apps = b.body.blocks("app_auth", &sources);
                drop(sources);
                for a in apps {
                    provider_token(ev, &a.body, "pem_file", p, &addr, facts);
                }
            }
            _ => {}
        }
    }
}

fn eval_attr<'m>(ev: &Evaluator<'m>, body: &BodyRef<'m>, name: &str) -> Option<(Span, Node)> {
    let a = body.attr(name)?;
    Some((a.key, ev.eval(a.expr)))
}

fn str_attr<'m>(ev: &Evaluator<'m>, body: &BodyRef<'m>, name: &str) -> Option<String> {
    eval_attr(ev, body, name).and_then(|(_, n)| n.as_str().map(str::to_owned))
}

fn ci_secret(
    ev: &Evaluator,
    t: &str,
    b: &BlockRef,
    declared: &HashMap<String, Span>,
    facts: &mut Facts,
) {
    let (kind, name_attr, value_attr, github) = match t {
        "github_actions_secret" => ("repository secret", "secret_name", "plaintext_value", true),
        "github_actions_environment_secret" => {
            ("environment secret", "secret_name", "plaintext_value", true)
        }
        "github_actions_organization_secret" => (
            "organization secret",
            "secret_name",
            "plaintext_value",
            true,
        ),
        "github_dependabot_secret" => ("Dependabot secret", "secret_name", "plaintext_value", true),
        "github_dependabot_organization_secret" => (
            "Dependabot organization secret",
            "secret_name",
            "plaintext_value",
            true,
        ),
        "gitlab_project_variable" => ("project variable", "key", "value", false),
        "gitlab_group_variable" => ("group variable", "key", "value", false),
        "gitlab_instance_variable" => ("instance variable", "key", "value", false),
        _ => return,
    };
    let Some((_, value)) = eval_attr(ev, &b.body, value_attr) else {
        return;
    };
    let name = str_attr(ev, &b.body, name_attr);
    let addr = address(b);
    let wide = match t {
        "github_actions_organization_secret" | "github_dependabot_organization_secret" => {
            match str_attr(ev, &b.body, "visibility").as_deref() {
                Some("all") => Some("visible to every repository of the organization".to_owned()),
                Some("private") => {
                    Some("visible to every private repository of the organization".to_owned())
                }
                _ => None,
            }
        }
        "gitlab_group_variable" => Some("available to every project of the group".to_owned()),
        "gitlab_instance_variable" => {
            Some("available to every project of the GitLab instance".to_owned())
        }
        _ => None,
    };
    let civ = if let Some((source, what)) = minted_ref(&value) {
        Some(CiValue::Minted {
            span: value.span,
            source_span: declared.get(&source).copied(),
            source,
            what,
        })
    } else if let Some(v) = value.as_str().filter(|_| !value.is_unknown()) {
        literal_kind(v, name.as_deref(), github).map(|(kind, s, e, strong)| {
            let span = value_span(ev, &value, s, e);
            facts.secrets.push(SecretLiteral {
                kind,
                span,
                key: name.clone().unwrap_or_else(|| value_attr.to_owned()),
                place: SecretPlace::Other,
                address: addr.clone(),
                strong,
            });
            CiValue::Literal { kind, span, strong }
        })
    } else {
        None
    };
    if let Some(value) = civ {
        facts.cloud.ci.secrets.push(CiSecret {
            address: addr,
            declared: b.header,
            kind,
            name,
            wide,
            value,
        });
    }
}

/// What a literal CI secret value is: a recognisable token (strong), or, for GitHub secrets
/// (secret by construction) and GitLab variables under a secret-sounding key, any value that is
/// not a placeholder. Returns the kind, the byte range to point at, and the evidence strength.
fn literal_kind(
    v: &str,
    name: Option<&str>,
    github: bool,
) -> Option<(SecretKind, usize, usize, bool)> {
    if v.trim().is_empty() {
        return None;
    }
    if let Some((k, s, e)) = credentials::find_tokens(v).into_iter().next() {
        return Some((k, s, e, true));
    }
    let upper = name.unwrap_or("").to_ascii_uppercase();
    if upper.contains("SECRET_ACCESS_KEY") && credentials::is_aws_secret_key(v) {
        return Some((SecretKind::AwsSecretAccessKey, 0, v.len(), true));
    }
    let named = name.is_some_and(credentials::is_secret_name);
    if (github || named) && !credentials::is_placeholder(v) {
        return Some((SecretKind::NamedSecret, 0, v.len(), false));
    }
    None
}

fn output(ev: &Evaluator, b: &BlockRef, declared: &HashMap<String, Span>, facts: &mut Facts) {
    let Some(a) = b.body.attr("value") else {
        return;
    };
    let value = ev.eval(a.expr);
    let Some((source, what)) = minted_ref(&value) else {
        return;
    };
    let sensitive = eval_attr(ev, &b.body, "sensitive")
        .and_then(|(_, n)| n.as_bool())
        .unwrap_or(false);
    let span = a.key.cover(value.full_span());
    let unmasked = ev.source_text(span).contains("nonsensitive(");
    facts.cloud.ci.outputs.push(CredentialOutput {
        address: address(b),
        declared: b.header,
        span,
        source_span: declared.get(&source).copied(),
        source,
        what,
        sensitive,
        unmasked,
    });
}

fn provider_token(
    ev: &Evaluator,
    body: &BodyRef,
    key: &str,
    provider: &str,
    addr: &str,
    facts: &mut Facts,
) {
    let Some((_, n)) = eval_attr(ev, body, key) else {
        return;
    };
    let Some(v) = n.as_str() else { return };
    let strong = !credentials::find_tokens(v).is_empty();
    let span = value_span(ev, &n, 0, v.len());
    literal_credential(v, span, key, provider, addr, strong, facts);
}

/// Record a credential written in a provider or backend block (and mask it in every output),
/// unless it is empty or a placeholder.
pub fn literal_credential(
    v: &str,
    span: Span,
    key: &str,
    provider: &str,
    addr: &str,
    strong: bool,
    facts: &mut Facts,
) {
    let t = v.trim();
    if t.is_empty() || (!strong && credentials::is_placeholder(t)) {
        return;
    }
    let kind = credentials::find_tokens(t)
        .first()
        .map_or(SecretKind::NamedSecret, |(k, _, _)| *k);
    facts.secrets.push(SecretLiteral {
        kind,
        span,
        key: key.to_owned(),
        place: SecretPlace::Other,
        address: addr.to_owned(),
        strong,
    });
    facts
        .cloud
        .ci
        .provider_credentials
        .push(ProviderCredential {
            address: addr.to_owned(),
            provider: provider.to_owned(),
            key: key.to_owned(),
            span,
            kind,
            strong,
        });
}

/// The span of bytes `s..e` of a string value: exact when the source holds the value verbatim
/// (a heredoc, or a quoted string without escapes), else the whole value.
pub fn value_span(ev: &Evaluator, n: &Node, s: usize, e: usize) -> Span {
    match n.as_str() {
        Some(text) => super::body::value_span(&ev.sources.borrow(), n.span, text, s, e),
        None => n.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_values() {
        let gh = literal_kind("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", None, false);
        assert!(matches!(gh, Some((SecretKind::GithubToken, 0, _, true))));
        assert!(literal_kind("eu-west-1", Some("AWS_REGION"), false).is_none());
        assert!(matches!(
            literal_kind("s3cr3t-value-123", Some("DB_PASSWORD"), false),
            Some((SecretKind::NamedSecret, _, _, false))
        ));
        assert!(literal_kind("changeme", Some("DB_PASSWORD"), true).is_none());
    }
}
