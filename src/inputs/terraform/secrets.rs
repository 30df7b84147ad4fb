//! Credentials written as literals anywhere in Terraform: under a credential-like attribute or
//! object key (`password`, `client_secret`, `api_key`, `auth_token`, ...), in a variable
//! default or a local, inside `jsonencode({...})` / `sensitive("...")`, or as a recognisable
//! token (AWS key id, PEM private key, GitHub / GitLab / Slack / Google / Stripe token) in any
//! string. Places that a more specific rule owns (provider blocks of AWS, Azure, GitHub and
//! GitLab, compute environments, Kubernetes Secrets, CI secrets) are recorded by their own
//! extractors first and not again here.
//!
//! The walk is syntactic: a value is reported only where its text is written, so a reference
//! (`var.x`, `random_password.db.result`, `data.aws_secretsmanager_secret_version.x`) is never
//! a finding, and the variable default or local that holds a literal is reported once, where
//! it is written, however many resources use it.

use std::collections::HashSet;

use crate::parse::hcl::{Body, Element, Expr, ExprKind, ObjectKey, Structure};

use super::body::{BlockRef, BodyRef, address};
use super::eval::Evaluator;
use crate::model::Facts;
use crate::model::credentials::{self, SecretKind, SecretLiteral, SecretPlace};
use crate::parse::doc::{Node, Value};
use crate::source::{FileId, Sources, Span};

/// Providers whose credentials have their own rule (`aws-provider-static-credentials`,
/// `az-provider-static-credentials`, `tfci-provider-static-token`).
const OWN_RULE_PROVIDERS: &[&str] = &["aws", "azurerm", "azuread", "github", "gitlab"];

/// Functions whose string arguments are file paths, not values.
const PATH_FUNCTIONS: &[&str] = &[
    "file",
    "filebase64",
    "filesha256",
    "filemd5",
    "fileexists",
    "templatefile",
    "pathexpand",
    "abspath",
    "dirname",
    "basename",
];

/// Nesting followed in bodies and expressions; deeper content is not searched.
const MAX_DEPTH: usize = 16;

/// Record every literal credential of the blocks (after the provider extractors ran).
pub fn extract(ev: &Evaluator, blocks: &[BlockRef], facts: &mut Facts) {
    let mut seen_bodies: HashSet<Span> = HashSet::new();
    let mut found: Vec<SecretLiteral> = Vec::new();
    for b in blocks {
        // Instances of a repeated block share one body: its text is searched once.
        if !seen_bodies.insert(b.full) {
            continue;
        }
        let label = b.labels.first().map(String::as_str).unwrap_or("");
        let (addr, only) = match b.ident.as_str() {
            "resource" | "data" | "module" | "terraform" => (address(b), None),
            "provider" if OWN_RULE_PROVIDERS.contains(&label) => continue,
            "provider" => (format!("provider.{label}"), None),
            // A variable's default is its value: it is named by the variable.
            "variable" => (format!("var.{label}"), Some(("default", label))),
            "locals" => ("locals".to_owned(), None),
            _ => continue,
        };
        let forced = forced_value_attr(ev, b);
        let sources = ev.sources.borrow();
        let mut w = Walk {
            sources: &sources,
            addr: &addr,
            out: &mut found,
        };
        match b.body {
            BodyRef::Hcl(body, file, _) => w.hcl_body(body, file, only, forced, 0),
            BodyRef::Json(node, _) => w.json_body(node, only, forced),
        }
    }
    for s in found {
        let taken = facts.secrets.iter().any(|x| {
            x.span.file == s.span.file && x.span.start < s.span.end && s.span.start < x.span.end
        });
        if !taken {
            facts.secrets.push(s);
        }
    }
}

/// An attribute that holds a secret whatever its name: the value of a secret-store resource
/// written in the configuration.
fn forced_value_attr(ev: &Evaluator, b: &BlockRef) -> Option<&'static str> {
    if b.ident != "resource" {
        return None;
    }
    match b.labels.first().map(String::as_str)? {
        "azurerm_key_vault_secret" => Some("value"),
        "vault_generic_secret" | "vault_kv_secret_v2" | "vault_kv_secret" => Some("data_json"),
        // Only a SecureString parameter is meant to be secret.
        "aws_ssm_parameter" => {
            let ty = ev.eval(b.body.attr("type")?.expr);
            (ty.as_str() == Some("SecureString")).then_some("value")
        }
        _ => None,
    }
}

struct Walk<'a, 's> {
    sources: &'s Sources,
    addr: &'a str,
    out: &'a mut Vec<SecretLiteral>,
}

impl Walk<'_, '_> {
    /// `only`: read just this attribute, under this name (a variable's `default`).
    fn hcl_body(
        &mut self,
        body: &Body,
        file: FileId,
        only: Option<(&str, &str)>,
        forced: Option<&str>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let ignored = if depth == 0 {
            hcl_ignored_changes(body)
        } else {
            Vec::new()
        };
        for s in &body.items {
            match s {
                Structure::Attribute(a) => {
                    let name = a.key.name.as_str();
                    // A value Terraform is told to ignore is only the initial one: the real
                    // secret is set elsewhere (`lifecycle { ignore_changes = [value] }`).
                    if ignored.iter().any(|i| i == name || i == "all") {
                        continue;
                    }
                    let key = match only {
                        Some((attr, _)) if attr != name => continue,
                        Some((_, as_name)) => as_name,
                        None => name,
                    };
                    let force = depth == 0 && forced == Some(name);
                    self.hcl_expr(key, force, &a.value, file, depth + 1);
                }
                Structure::Block(b) if only.is_none() => {
                    self.hcl_body(&b.body, file, None, None, depth + 1);
                }
                Structure::Block(_) => {}
            }
        }
    }

    fn hcl_expr(&mut self, key: &str, force: bool, e: &Expr, file: FileId, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match &e.kind {
            ExprKind::String(s) => {
                let span = super::body::sp(file, e.span);
                self.literal(key, force, s, span);
            }
            ExprKind::Template(t) | ExprKind::Heredoc(t) => self.template(key, force, t, file, e),
            ExprKind::Object(o) => {
                for (k, v) in o {
                    let name = match k {
                        ObjectKey::Ident(id) => id.name.clone(),
                        ObjectKey::Expr(Expr {
                            kind: ExprKind::String(s),
                            ..
                        }) => s.clone(),
                        ObjectKey::Expr(_) => key.to_owned(),
                    };
                    self.hcl_expr(&name, false, v, file, depth + 1);
                }
            }
            ExprKind::Array(a) => {
                for x in a {
                    self.hcl_expr(key, force, x, file, depth + 1);
                }
            }
            ExprKind::FuncCall(f) => {
                if PATH_FUNCTIONS.contains(&f.name.as_str()) {
                    return;
                }
                for x in &f.args {
                    self.hcl_expr(key, force, x, file, depth + 1);
                }
            }
            ExprKind::Parenthesis(p) => self.hcl_expr(key, force, p, file, depth + 1),
            ExprKind::Conditional(c) => {
                self.hcl_expr(key, force, &c[1], file, depth + 1);
                self.hcl_expr(key, force, &c[2], file, depth + 1);
            }
            _ => {}
        }
    }

    /// A template: a value only when it has no interpolation; recognisable tokens are looked
    /// for in its literal parts either way.
    fn template(&mut self, key: &str, force: bool, t: &[Element], file: FileId, e: &Expr) {
        let mut literal = String::new();
        let mut whole = true;
        for el in t {
            match el {
                Element::Literal { value, .. } => literal.push_str(value),
                _ => whole = false,
            }
        }
        if whole {
            let span = super::body::sp(file, e.span);
            self.literal(key, force, &literal, span);
            return;
        }
        for el in t {
            if let Element::Literal { value, span } = el {
                let span = super::body::sp(file, *span);
                self.tokens(key, value, span);
            }
        }
    }

    fn json_body(&mut self, node: &Node, only: Option<(&str, &str)>, forced: Option<&str>) {
        let ignored: Vec<&str> = node
            .get("lifecycle")
            .and_then(|l| l.get("ignore_changes"))
            .map(|i| i.one_or_many().iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        for e in node.as_map().unwrap_or(&[]) {
            let Some(name) = e.key.as_str() else { continue };
            if ignored.iter().any(|i| *i == name || *i == "all") {
                continue;
            }
            let key = match only {
                Some((attr, _)) if attr != name => continue,
                Some((_, as_name)) => as_name,
                None => name,
            };
            self.json_value(key, forced == Some(name), &e.value, 1);
        }
    }

    fn json_value(&mut self, key: &str, force: bool, n: &Node, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match &n.value {
            // `${...}` in `.tf.json` strings is an expression, not a value.
            Value::Str(s) if s.contains("${") => {
                self.tokens(key, s, n.span);
            }
            Value::Str(s) => self.literal(key, force, s, n.span),
            Value::Map(entries) => {
                for e in entries {
                    let name = e.key.as_str().unwrap_or(key);
                    self.json_value(name, false, &e.value, depth + 1);
                }
            }
            Value::Seq(items) => {
                for i in items {
                    self.json_value(key, force, i, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// A whole string value written at `span` (quotes included when it is quoted).
    fn literal(&mut self, key: &str, force: bool, value: &str, span: Span) {
        if self.tokens(key, value, span) {
            return;
        }
        if !(force || credentials::is_credential_name(key))
            || !looks_like_secret(value)
            || echoes(key, value)
        {
            return;
        }
        let span = self.exact(value, span, 0, value.len());
        self.push(SecretKind::NamedSecret, span, key, false);
    }

    /// Recognisable tokens in a string; says whether any was found.
    fn tokens(&mut self, key: &str, value: &str, span: Span) -> bool {
        let found = credentials::find_tokens(value);
        let any = !found.is_empty();
        for (kind, s, e) in found {
            let at = self.exact(value, span, s, e);
            self.push(kind, at, key, true);
        }
        any
    }

    /// Bytes `s..e` of `value` in the file (see [`super::body::value_span`]).
    fn exact(&self, value: &str, span: Span, s: usize, e: usize) -> Span {
        super::body::value_span(self.sources, span, value, s, e)
    }

    fn push(&mut self, kind: SecretKind, span: Span, key: &str, strong: bool) {
        if self.out.iter().any(|x| x.span == span) {
            return;
        }
        self.out.push(SecretLiteral {
            kind,
            span,
            key: key.to_owned(),
            place: SecretPlace::TerraformAttribute,
            address: self.addr.to_owned(),
            strong,
        });
    }
}

/// The attribute names of a body's `lifecycle { ignore_changes = [...] }` (`all` included).
fn hcl_ignored_changes(body: &Body) -> Vec<String> {
    let mut out = Vec::new();
    for b in body.blocks().filter(|b| b.ident == "lifecycle") {
        let Some(a) = b.body.get_attribute("ignore_changes") else {
            continue;
        };
        let mut refs = Vec::new();
        super::eval::collect_refs(&a.value, &mut refs);
        out.extend(refs);
        if let ExprKind::Variable(v) = &a.value.kind {
            out.push(v.clone());
        }
    }
    out
}

/// A value that only repeats its own name (`secret_data = "secret-data"`): a placeholder.
fn echoes(key: &str, value: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    norm(key) == norm(value)
}

/// Could a literal under a credential name be a real secret, rather than a reference, a path,
/// prose or a placeholder?
fn looks_like_secret(v: &str) -> bool {
    let t = v.trim();
    if credentials::is_placeholder(t) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    // Prose, commands and paths.
    if t.contains(char::is_whitespace)
        || t.starts_with('/')
        || t.starts_with("./")
        || t.starts_with("~/")
        || lower.contains("://")
        || lower.starts_with("projects/")
        || lower.starts_with("data.")
        || lower.starts_with("var.")
        || lower.starts_with("local.")
    {
        return false;
    }
    const FILE_EXTENSIONS: &[&str] = &[
        ".json", ".pem", ".key", ".crt", ".p12", ".pfx", ".txt", ".yaml", ".yml", ".tpl",
    ];
    if FILE_EXTENSIONS.iter().any(|x| lower.ends_with(x)) {
        return false;
    }
    // A path of lower-case words (`kv/data/app`, `prod/db/password`): where a secret lives.
    if t.contains('/')
        && t.split('/').all(|seg| {
            !seg.is_empty()
                && seg.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                })
        })
    {
        return false;
    }
    // The name of an environment variable or parameter that holds the secret.
    if t.contains('_')
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_paths_and_prose_are_not_secrets() {
        for v in [
            "AZURE_CLIENT_SECRET",
            "/prod/db/password",
            "credentials.json",
            "The password of the admin user",
            "https://vault.example.com/v1/secret",
            "projects/p/secrets/db",
            "kv/data/app",
            "prod/db/password",
            "changeme",
            "${var.x}",
        ] {
            assert!(!looks_like_secret(v), "{v}");
        }
        for v in ["Sup3rS3cret!", "3gzcGokilvtw2HmCLuPx", "Aa12345678"] {
            assert!(looks_like_secret(v), "{v}");
        }
    }
}
