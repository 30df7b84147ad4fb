//! AWS IAM policy documents, whatever they were written in: stand-alone JSON, a heredoc, a
//! `jsonencode({...})`, or a `data "aws_iam_policy_document"` block all become a
//! [`PolicyDocument`] whose every value keeps its span. Matching follows IAM semantics:
//! actions compare case-insensitively with `*`/`?` wildcards, `NotAction`/`NotResource`
//! invert, and values that could not be resolved stay unknown.

use crate::parse::doc::{Node, Value};
use crate::source::Span;

/// Three-valued answer for questions about partly unknown policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    Yes,
    Maybe,
    No,
}

impl Tri {
    pub fn is_yes(self) -> bool {
        self == Tri::Yes
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to a user, group or role (or a managed policy that can be).
    Identity,
    /// An `assume_role_policy`: who may become the role.
    Trust,
    /// On a resource (bucket, key, secret, topic...): who may use it.
    Resource,
    /// Used as a permissions boundary or an SCP: it limits, it does not grant.
    Guardrail,
}

/// One value of a policy field: an action, resource, principal or condition value.
#[derive(Clone, Debug, PartialEq)]
pub struct Val {
    pub text: String,
    pub span: Span,
    /// False when the value could not be resolved (a variable without default, a reference to
    /// another resource's attribute, a template with unknown parts).
    pub known: bool,
}

impl Val {
    pub fn from_node(n: &Node) -> Val {
        match &n.value {
            Value::Unknown(u) => Val {
                text: u.text.clone(),
                span: n.span,
                known: false,
            },
            _ => {
                let text = n.as_str().unwrap_or("").to_owned();
                // Terraform interpolation left in a heredoc: the value is not known statically.
                let known = !text.contains("${");
                Val {
                    text,
                    span: n.span,
                    known,
                }
            }
        }
    }

    pub fn is_star(&self) -> bool {
        self.known && self.text == "*"
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// `NotAction` / `NotResource`.
    pub not: bool,
    /// The key (`"Action"`, `actions`), for findings about the field as a whole.
    pub key_span: Span,
    pub values: Vec<Val>,
    /// The whole list could not be resolved (e.g. `actions = var.actions`).
    pub unknown: bool,
}

impl Field {
    pub fn span(&self) -> Span {
        self.values
            .iter()
            .fold(self.key_span, |s, v| s.cover(v.span))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for `"Principal": "*"`.
    pub kind: String,
    pub value: Val,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// `NotPrincipal`.
    pub not: bool,
    pub key_span: Span,
    pub entries: Vec<PrincipalEntry>,
    pub unknown: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// Operator such as `StringEquals`, `StringLike`, `ForAnyValue:StringLike`, `Bool`.
    pub op: String,
    /// Context key such as `token.actions.githubusercontent.com:sub`.
    pub key: String,
    pub values: Vec<Val>,
    pub span: Span,
}

impl Condition {
    /// The operator without set qualifiers and `IfExists`.
    pub fn base_op(&self) -> &str {
        let op = self.op.rsplit(':').next().unwrap_or(&self.op);
        op.strip_suffix("IfExists").unwrap_or(op)
    }

    pub fn if_exists(&self) -> bool {
        self.op.ends_with("IfExists")
    }

    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub effect_span: Span,
    pub action: Option<Field>,
    pub resource: Option<Field>,
    pub principal: Option<Principal>,
    pub conditions: Vec<Condition>,
    /// Some condition could not be read (e.g. a `dynamic "condition"` block).
    pub conditions_unknown: bool,
    pub span: Span,
    /// The statement itself is unknown (a `dynamic "statement"` block, a variable).
    pub unknown: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDocument {
    pub kind: PolicyKind,
    /// Logical address of what holds the document: `aws_iam_policy.ci`, `policies/admin.json`.
    pub address: String,
    /// Where the document is declared (the `policy = ...` attribute, the data block, the file).
    pub host: Span,
    pub span: Span,
    pub statements: Vec<Statement>,
    /// The document as a whole could not be resolved.
    pub unknown: bool,
    /// The document is an AWS-managed policy's text (e.g. inside account-authorization output).
    pub aws_managed: bool,
}

// ------------------------------------------------------------------------------------------
// Reading a JSON-shaped node (stand-alone files, heredocs, jsonencode objects)
// ------------------------------------------------------------------------------------------

impl PolicyDocument {
    /// Read a policy document from a JSON-shaped node. Returns `None` when the node has no
    /// `Statement` at all (it is not a policy).
    pub fn from_node(
        node: &Node,
        kind: PolicyKind,
        address: String,
        host: Span,
    ) -> Option<PolicyDocument> {
        if let Value::Unknown(_) = node.value {
            return Some(PolicyDocument::unknown(kind, address, host, node.span));
        }
        let stmts = node.get_ci("Statement")?;
        let mut statements = Vec::new();
        match &stmts.value {
            Value::Seq(items) => {
                for it in items {
                    statements.push(Statement::from_node(it));
                }
            }
            Value::Map(_) | Value::Unknown(_) => statements.push(Statement::from_node(stmts)),
            _ => {}
        }
        Some(PolicyDocument {
            kind,
            address,
            host,
            span: node.full_span(),
            statements,
            unknown: false,
            aws_managed: false,
        })
    }

    pub fn unknown(kind: PolicyKind, address: String, host: Span, span: Span) -> PolicyDocument {
        PolicyDocument {
            kind,
            address,
            host,
            span,
            statements: Vec::new(),
            unknown: true,
            aws_managed: false,
        }
    }

    pub fn allows(&self) -> impl Iterator<Item = &Statement> {
        self.statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && !s.unknown)
    }

    /// True when an unconditional `Deny` in this document removes `action` on all resources.
    pub fn denies_everywhere(&self, action: &str) -> bool {
        self.statements.iter().any(|s| s.denies_everywhere(action))
    }
}

fn field(node: &Node, key: &str, not_key: &str) -> Option<Field> {
    let (entry, not) = match node.entry_ci(key) {
        Some(e) => (e, false),
        None => (node.entry_ci(not_key)?, true),
    };
    let v = &entry.value;
    let unknown = v.is_unknown();
    let values = if unknown {
        Vec::new()
    } else {
        v.one_or_many()
            .iter()
            .map(Val::from_node)
            .collect::<Vec<_>>()
    };
    Some(Field {
        not,
        key_span: entry.key.span,
        values,
        unknown,
    })
}

impl Statement {
    pub fn from_node(n: &Node) -> Statement {
        if n.is_unknown() || n.as_map().is_none() {
            return Statement::unknown(n.span);
        }
        let effect_node = n.get_ci("Effect");
        let effect = match effect_node.and_then(Node::as_str) {
            Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
            Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
            _ => Effect::Unknown,
        };
        let principal = principal(n, "Principal", "NotPrincipal");
        let (conditions, conditions_unknown) = match n.get_ci("Condition") {
            None => (Vec::new(), false),
            Some(c) => conditions_from_node(c),
        };
        Statement {
            sid: n.get_ci("Sid").and_then(Node::as_str).map(str::to_owned),
            effect,
            effect_span: effect_node.map(|e| e.span).unwrap_or(n.span),
            action: field(n, "Action", "NotAction"),
            resource: field(n, "Resource", "NotResource"),
            principal,
            conditions,
            conditions_unknown,
            span: n.full_span(),
            unknown: false,
        }
    }

    pub fn unknown(span: Span) -> Statement {
        Statement {
            sid: None,
            effect: Effect::Unknown,
            effect_span: span,
            action: None,
            resource: None,
            principal: None,
            conditions: Vec::new(),
            conditions_unknown: true,
            span,
            unknown: true,
        }
    }

    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow && !self.unknown
    }

    pub fn has_conditions(&self) -> bool {
        !self.conditions.is_empty() || self.conditions_unknown
    }

    pub fn condition(&self, key: &str) -> impl Iterator<Item = &Condition> {
        self.conditions.iter().filter(move |c| c.key_is(key))
    }

    pub fn has_condition_key(&self, key: &str) -> bool {
        self.condition(key).next().is_some()
    }

    /// Any condition key with this prefix (`aws:ResourceTag/`).
    pub fn has_condition_prefix(&self, prefix: &str) -> bool {
        let p = prefix.to_ascii_lowercase();
        self.conditions
            .iter()
            .any(|c| c.key.to_ascii_lowercase().starts_with(&p))
    }

    /// Does this statement's action list cover `action` (e.g. `iam:PassRole`)? Ignores effect.
    pub fn covers_action(&self, action: &str) -> Tri {
        let Some(f) = &self.action else {
            return Tri::No;
        };
        if f.unknown {
            return Tri::Maybe;
        }
        let mut maybe = false;
        let mut hit = false;
        for v in &f.values {
            if !v.known {
                maybe = true;
            } else if action_matches(&v.text, action) {
                hit = true;
                break;
            }
        }
        match (f.not, hit, maybe) {
            (false, true, _) => Tri::Yes,
            (false, false, true) => Tri::Maybe,
            (false, false, false) => Tri::No,
            (true, true, _) => Tri::No,
            (true, false, true) => Tri::Maybe,
            (true, false, false) => Tri::Yes,
        }
    }

    /// The action values (not `NotAction`) that match `action`.
    pub fn action_values_matching<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a Val> {
        self.action
            .iter()
            .filter(|f| !f.not)
            .flat_map(|f| f.values.iter())
            .filter(move |v| v.known && action_matches(&v.text, action))
    }

    /// Does the statement apply to every resource (`*`, an all-wildcard ARN, or `NotResource`)?
    pub fn all_resources(&self) -> Tri {
        let Some(f) = &self.resource else {
            // Trust policies have no Resource; for identity policies AWS rejects it.
            return Tri::No;
        };
        if f.not {
            return Tri::Yes;
        }
        if f.unknown {
            return Tri::Maybe;
        }
        let mut maybe = false;
        for v in &f.values {
            if !v.known {
                maybe = true;
            } else if resource_is_all(&v.text) {
                return Tri::Yes;
            }
        }
        if maybe { Tri::Maybe } else { Tri::No }
    }

    /// Does the statement apply to a wide set of resources: everything, or a wildcard pattern
    /// (`arn:aws:iam::*:role/*`, `arn:aws:s3:::*`), as opposed to named resources?
    pub fn broad_resources(&self) -> Tri {
        match self.all_resources() {
            Tri::Yes => return Tri::Yes,
            Tri::Maybe => return Tri::Maybe,
            Tri::No => {}
        }
        let Some(f) = &self.resource else {
            return Tri::No;
        };
        if f.values
            .iter()
            .any(|v| v.known && resource_is_broad(&v.text))
        {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    /// The resource values that make the statement broad, for pointing at them.
    pub fn broad_resource_values(&self) -> impl Iterator<Item = &Val> {
        self.resource
            .iter()
            .filter(|f| !f.not)
            .flat_map(|f| f.values.iter())
            .filter(|v| v.known && (resource_is_all(&v.text) || resource_is_broad(&v.text)))
    }

    /// An unconditional Deny of `action` on every resource.
    pub fn denies_everywhere(&self, action: &str) -> bool {
        self.effect == Effect::Deny
            && !self.unknown
            && !self.has_conditions()
            && self.covers_action(action).is_yes()
            && (self.resource.is_none() || self.all_resources().is_yes())
    }

    /// Grants `action` (Allow, action covered) - resource scope is checked separately.
    pub fn allows_action(&self, action: &str) -> Tri {
        if self.effect != Effect::Allow || self.unknown {
            return if self.unknown { Tri::Maybe } else { Tri::No };
        }
        self.covers_action(action)
    }

    /// The span to point at for the statement's grant of `action`: the matching value, or the
    /// `NotAction` key.
    pub fn action_anchor(&self, action: &str) -> Span {
        if let Some(v) = self.action_values_matching(action).next() {
            return v.span;
        }
        self.action
            .as_ref()
            .map(|f| f.key_span)
            .unwrap_or(self.span)
    }
}

fn principal(n: &Node, key: &str, not_key: &str) -> Option<Principal> {
    let (entry, not) = match n.entry_ci(key) {
        Some(e) => (e, false),
        None => (n.entry_ci(not_key)?, true),
    };
    let v = &entry.value;
    let mut entries = Vec::new();
    let mut unknown = false;
    match &v.value {
        Value::Str(_) => entries.push(PrincipalEntry {
            kind: "*".into(),
            value: Val::from_node(v),
        }),
        Value::Map(m) => {
            for e in m {
                let kind = e.key.as_str().unwrap_or("").to_owned();
                if e.value.is_unknown() {
                    entries.push(PrincipalEntry {
                        kind: kind.clone(),
                        value: Val::from_node(&e.value),
                    });
                    continue;
                }
                for item in e.value.one_or_many() {
                    entries.push(PrincipalEntry {
                        kind: kind.clone(),
                        value: Val::from_node(item),
                    });
                }
            }
        }
        _ => unknown = true,
    }
    Some(Principal {
        not,
        key_span: entry.key.span,
        entries,
        unknown,
    })
}

fn conditions_from_node(c: &Node) -> (Vec<Condition>, bool) {
    let Some(ops) = c.as_map() else {
        return (Vec::new(), true);
    };
    let mut out = Vec::new();
    let mut unknown = false;
    for op in ops {
        let op_name = op.key.as_str().unwrap_or("").to_owned();
        let Some(keys) = op.value.as_map() else {
            unknown = true;
            continue;
        };
        for k in keys {
            let values = if k.value.is_unknown() {
                vec![Val::from_node(&k.value)]
            } else {
                k.value.one_or_many().iter().map(Val::from_node).collect()
            };
            out.push(Condition {
                op: op_name.clone(),
                key: k.key.as_str().unwrap_or("").to_owned(),
                values,
                span: k.key.span.cover(k.value.full_span()),
            });
        }
    }
    (out, unknown)
}

// ------------------------------------------------------------------------------------------
// Matching
// ------------------------------------------------------------------------------------------

/// IAM action matching: case-insensitive, `*` and `?` wildcards in the pattern.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    // A pattern that starts with a letter or digit starts with that literal character: most
    // patterns are ruled out by it before any trimming or scanning.
    if let (Some(p), Some(a)) = (pattern.as_bytes().first(), action.as_bytes().first())
        && p.is_ascii_alphanumeric()
        && !p.eq_ignore_ascii_case(a)
    {
        return false;
    }
    ActionPattern::new(pattern).matches(action)
}

/// An action pattern prepared once, for rules that ask it about whole tables of actions.
#[derive(Clone, Copy, Debug)]
pub struct ActionPattern<'a> {
    /// The trimmed pattern.
    p: &'a [u8],
    /// Bytes before the first wildcard (all of them for a literal action).
    literal: usize,
}

impl<'a> ActionPattern<'a> {
    pub fn new(pattern: &'a str) -> ActionPattern<'a> {
        // Skip the Unicode-aware trim when both ends are printable ASCII, which `trim` would
        // leave as they are.
        let b = pattern.as_bytes();
        let p = if b.first().is_some_and(u8::is_ascii_graphic)
            && b.last().is_some_and(u8::is_ascii_graphic)
        {
            b
        } else {
            pattern.trim().as_bytes()
        };
        let literal = p
            .iter()
            .position(|c| matches!(c, b'*' | b'?'))
            .unwrap_or(p.len());
        ActionPattern { p, literal }
    }

    pub fn matches(&self, action: &str) -> bool {
        let a = action.as_bytes();
        if self.literal == self.p.len() {
            return self.p.len() == a.len() && self.p.eq_ignore_ascii_case(a);
        }
        // The literal head (`ec2:Describe` of `ec2:Describe*`) rules most actions out at once.
        a.len() >= self.literal
            && self.p[..self.literal].eq_ignore_ascii_case(&a[..self.literal])
            && glob_ci(&self.p[self.literal..], &a[self.literal..])
    }
}

/// Case-insensitive glob with `*` (any run) and `?` (one character), linear time.
pub fn glob_ci(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(&c) if c == b'?' || c.eq_ignore_ascii_case(&s[si]) => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

/// `*`, or an ARN made only of wildcards (`arn:aws:*:*:*:*`, `arn:*:*`).
pub fn resource_is_all(r: &str) -> bool {
    let r = r.trim();
    if r == "*" {
        return true;
    }
    let Some(rest) = r.strip_prefix("arn:") else {
        return false;
    };
    rest.split(':')
        .enumerate()
        .all(|(i, part)| part == "*" || (i == 0 && part.starts_with("aws")) || part.is_empty())
        && rest.contains('*')
        && rest.split(':').nth(1).is_some_and(|svc| svc == "*")
}

/// A wildcard that still spans a whole class of resources: the resource part of the ARN is
/// `*`, or ends in `/*` right after the resource type (`role/*`, `secret:*`), or the account is
/// a wildcard together with a wildcard name.
pub fn resource_is_broad(r: &str) -> bool {
    let r = r.trim();
    if resource_is_all(r) {
        return true;
    }
    let Some(rest) = r.strip_prefix("arn:") else {
        return r.contains('*');
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let Some(resource) = parts.get(4) else {
        return rest.contains('*');
    };
    if *resource == "*" || resource.is_empty() {
        return true;
    }
    // `role/*`, `user/*`, `secret:*`, `parameter/*`, `bucket-name/*` is object-level: narrower.
    let (rtype, name) = match resource.split_once(['/', ':']) {
        Some((t, n)) => (t, n),
        None => ("", *resource),
    };
    if name == "*" && !rtype.is_empty() {
        return matches!(
            parts.get(1),
            Some(&"iam" | &"secretsmanager" | &"ssm" | &"kms" | &"sts")
        ) || rtype == "*";
    }
    false
}

/// The account of an ARN (`arn:aws:iam::123456789012:role/x` -> `123456789012`).
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut it = arn.strip_prefix("arn:")?.splitn(5, ':');
    let _partition = it.next()?;
    let _service = it.next()?;
    let _region = it.next()?;
    it.next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_iam_patterns() {
        assert!(action_matches("iam:*", "iam:PassRole"));
        assert!(action_matches("IAM:pass*", "iam:PassRole"));
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("iam:?assRole", "iam:PassRole"));
        assert!(!action_matches("iam:Put*", "iam:PassRole"));
        assert!(action_matches("iam:*Policy", "iam:PutRolePolicy"));
        assert!(!action_matches("s3:*", "iam:PassRole"));
        assert!(action_matches("*:*", "iam:PassRole"));
    }

    #[test]
    fn resource_breadth() {
        assert!(resource_is_all("*"));
        assert!(resource_is_all("arn:aws:*:*:*:*"));
        assert!(!resource_is_all("arn:aws:s3:::bucket/*"));
        assert!(resource_is_broad("arn:aws:iam::*:role/*"));
        assert!(resource_is_broad("arn:aws:iam::123456789012:*"));
        assert!(!resource_is_broad("arn:aws:iam::123456789012:role/deploy"));
        assert!(!resource_is_broad("arn:aws:s3:::my-bucket/*"));
        assert_eq!(
            arn_account("arn:aws:iam::123456789012:root"),
            Some("123456789012")
        );
    }
}
