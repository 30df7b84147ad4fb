//! AWS resources of one Terraform module into model facts: IAM principals and the policies
//! that reach them (inline, attached, `data "aws_iam_policy_document"`), trust and resource
//! policies, static keys and console passwords, OIDC providers, and credentials written in
//! clear in providers, compute environments and user data.

use std::collections::HashMap;

use super::body::{BlockRef, BodyRef, address, split_ref, strip_module};
use super::eval::Evaluator;
use super::instances::{Generated, dynamic_blocks};
use crate::model::Facts;
use crate::model::aws::{
    AccessKey, Attachment, AwsPrincipal, InstanceMetadata, LoginProfile, ManagedSecret,
    OidcProvider, PrincipalKind, RoleUse, SecretRotation, StaticKeyConfig,
};
use crate::model::credentials::{self, SecretKind, SecretLiteral, SecretPlace};
use crate::model::iam::{
    Condition, Effect, Field, PolicyDocument, PolicyKind, Principal, PrincipalEntry, Statement, Val,
};
use crate::parse::doc::{Node, Value};
use crate::source::Span;

/// Extract AWS facts from the module's top-level blocks.
pub fn extract(ev: &Evaluator, blocks: &[BlockRef], facts: &mut Facts) {
    let first_attachment = facts.attachments.len();
    let mut x = Extractor {
        ev,
        facts,
        principals: HashMap::new(),
        policies: HashMap::new(),
        policy_names: HashMap::new(),
        data_docs: HashMap::new(),
        first_attachment,
    };
    // Order matters: data documents, then principals, then policies, then what refers to them.
    let is_doc = |b: &BlockRef| {
        b.ident == "data" && b.labels.first().map(String::as_str) == Some("aws_iam_policy_document")
    };
    for b in blocks.iter().filter(|b| is_doc(b)) {
        x.data_document(b);
    }
    for b in blocks.iter().filter(|b| is_doc(b)) {
        x.data_document_includes(b);
    }
    for b in blocks {
        x.principal_block(b);
    }
    for b in blocks {
        x.policy_block(b);
    }
    for b in blocks {
        x.other_block(b);
    }
    x.link();
}

struct Extractor<'a, 'm> {
    ev: &'a Evaluator<'m>,
    facts: &'a mut Facts,
    /// Principal address -> index.
    principals: HashMap<String, usize>,
    /// `aws_iam_policy` address -> document index.
    policies: HashMap<String, usize>,
    /// `aws_iam_policy` name -> document index.
    policy_names: HashMap<String, usize>,
    /// `data.aws_iam_policy_document.X` -> document index.
    data_docs: HashMap<String, usize>,
    /// Attachments before this module evaluation's (the unit's other module calls).
    first_attachment: usize,
}

fn rtype<'b>(b: &'b BlockRef) -> Option<&'b str> {
    if b.ident == "resource" {
        b.labels.first().map(String::as_str)
    } else {
        None
    }
}

/// The first reference in an Unknown value that names a resource of one of `types`, as
/// `type.name` (with its instance index, `type.name["a"]`, when it names one instance).
fn ref_to(n: &Node, types: &[&str]) -> Option<String> {
    let u = n.as_unknown()?;
    u.refs.iter().find_map(|r| {
        let mut parts = split_ref(r).into_iter();
        let (t, name) = (parts.next()?, parts.next()?);
        if t == "data" {
            let (dt, dn) = (name, parts.next()?);
            let full = format!("data.{dt}");
            return types
                .contains(&full.as_str())
                .then(|| format!("data.{dt}.{dn}"));
        }
        types.contains(&t).then(|| format!("{t}.{name}"))
    })
}

impl<'m> Extractor<'_, 'm> {
    /// [`ref_to`] as an address of the module being evaluated (addresses of a called module's
    /// blocks carry the call's `module.x.` prefix; its references do not).
    fn ref_to(&self, n: &Node, types: &[&str]) -> Option<String> {
        let r = ref_to(n, types)?;
        Some(if self.ev.prefix().is_empty() {
            r
        } else {
            format!("{}{r}", self.ev.prefix())
        })
    }

    fn eval_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<(Span, Node)> {
        let a = body.attr(name)?;
        Some((a.key, self.ev.eval(a.expr)))
    }

    fn str_attr(&self, body: &BodyRef<'m>, name: &str) -> Option<String> {
        self.eval_attr(body, name)
            .and_then(|(_, n)| n.as_str().map(str::to_owned))
    }

    fn sources(&self) -> std::cell::Ref<'_, crate::source::Sources> {
        self.ev.sources.borrow()
    }

    // -------------------------------------------------------------------- principals

    fn principal_block(&mut self, b: &BlockRef<'m>) {
        let kind = match rtype(b) {
            Some("aws_iam_user") => PrincipalKind::User,
            Some("aws_iam_role") => PrincipalKind::Role,
            Some("aws_iam_group") => PrincipalKind::Group,
            _ => return,
        };
        let addr = address(b);
        let name = self.str_attr(&b.body, "name");
        let idx = self.facts.principals.len();
        self.facts.principals.push(AwsPrincipal {
            kind,
            address: addr.clone(),
            name,
            span: b.header,
            trust: None,
            policies: Vec::new(),
            managed: Vec::new(),
            groups: Vec::new(),
            has_boundary: b.body.attr("permissions_boundary").is_some(),
            function: self.eval_attr(&b.body, "tags").and_then(|(_, t)| {
                t.get("nhiaudit:function")
                    .and_then(Node::as_str)
                    .map(str::to_owned)
            }),
        });
        self.principals.insert(addr.clone(), idx);
        if kind != PrincipalKind::Role {
            return;
        }
        if let Some(a) = b.body.attr("assume_role_policy") {
            let n = self.ev.eval(a.expr);
            let host = a.key.cover(n.span);
            if let Some(d) = self.policy_value(&n, PolicyKind::Trust, &addr, host) {
                self.facts.principals[idx].trust = Some(d);
            }
        }
        let mut inline = b.body.blocks("inline_policy", &self.sources());
        for g in dynamic_blocks(self.ev, &b.body, "inline_policy") {
            match g {
                Generated::Block(ib) => inline.push(ib),
                // What it generates is unknown: no policy to read, no finding to make.
                Generated::Unknown(_) => {}
            }
        }
        for ib in inline {
            if let Some(a) = ib.body.attr("policy") {
                let n = self.ev.eval(a.expr);
                let host = a.key.cover(n.span);
                if let Some(d) = self.policy_value(&n, PolicyKind::Identity, &addr, host) {
                    self.facts.attachments.push(Attachment {
                        principal: Some(idx),
                        target_text: addr.clone(),
                        policy: Some(d),
                        arn: None,
                        span: ib.header,
                        via: addr.clone(),
                    });
                }
            }
        }
    }

    /// What a role refers to that must already be known: managed policies and its boundary.
    fn role_references(&mut self, b: &BlockRef<'m>, addr: &str) {
        let Some(&idx) = self.principals.get(addr) else {
            return;
        };
        if let Some((_, arns)) = self.eval_attr(&b.body, "managed_policy_arns") {
            for item in arns.one_or_many() {
                self.attach_arn(Some(idx), addr, item, addr);
            }
        }
        if let Some(a) = b.body.attr("permissions_boundary") {
            let n = self.ev.eval(a.expr);
            if let Some(p) = self.ref_to(&n, &["aws_iam_policy"])
                && let Some(&d) = self.policies.get(&p)
            {
                self.facts.policies[d].kind = PolicyKind::Guardrail;
            }
        }
    }

    // -------------------------------------------------------------------- policy documents

    /// Turn a policy value (`jsonencode({...})`, heredoc, `data.x.json`, `file()`) into a
    /// document index, reusing data documents rather than copying them.
    fn policy_value(
        &mut self,
        n: &Node,
        kind: PolicyKind,
        addr: &str,
        host: Span,
    ) -> Option<usize> {
        if let Some(data) = self.ref_to(n, &["data.aws_iam_policy_document"])
            && let Some(&i) = self.data_docs.get(&data)
        {
            let doc = &mut self.facts.policies[i];
            if kind == PolicyKind::Trust || kind == PolicyKind::Guardrail {
                doc.kind = kind;
            }
            return Some(i);
        }
        let doc = match &n.value {
            Value::Map(_) => PolicyDocument::from_node(n, kind, addr.to_owned(), host),
            Value::Str(_) => match self.ev.embedded_json(n) {
                Some(j) => PolicyDocument::from_node(&j, kind, addr.to_owned(), host),
                None => Some(PolicyDocument::unknown(kind, addr.to_owned(), host, n.span)),
            },
            Value::Unknown(_) => Some(PolicyDocument::unknown(kind, addr.to_owned(), host, n.span)),
            _ => None,
        }?;
        self.facts.policies.push(doc);
        Some(self.facts.policies.len() - 1)
    }

    fn data_document(&mut self, b: &BlockRef<'m>) {
        let addr = address(b);
        let sources = self.sources();
        let stmt_blocks = b.body.blocks("statement", &sources);
        drop(sources);
        let mut statements = Vec::new();
        for sb in &stmt_blocks {
            statements.push(self.data_statement(sb));
        }
        for g in dynamic_blocks(self.ev, &b.body, "statement") {
            statements.push(match g {
                Generated::Block(sb) => self.data_statement(&sb),
                Generated::Unknown(span) => Statement::unknown(span),
            });
        }
        let kind = infer_kind(&statements);
        self.facts.policies.push(PolicyDocument {
            kind,
            address: addr.clone(),
            host: b.header,
            span: b.full,
            statements,
            unknown: false,
            aws_managed: false,
        });
        self.data_docs.insert(addr, self.facts.policies.len() - 1);
    }

    /// `source_policy_documents` / `override_policy_documents`: the included documents'
    /// statements become part of this one.
    fn data_document_includes(&mut self, b: &BlockRef<'m>) {
        let addr = address(b);
        let Some(&me) = self.data_docs.get(&addr) else {
            return;
        };
        for attr in [
            "source_policy_documents",
            "override_policy_documents",
            "source_json",
            "override_json",
        ] {
            let Some((_, n)) = self.eval_attr(&b.body, attr) else {
                continue;
            };
            for item in n.one_or_many() {
                if let Some(other) = self.ref_to(item, &["data.aws_iam_policy_document"]) {
                    if let Some(&o) = self.data_docs.get(&other)
                        && o != me
                    {
                        let extra = self.facts.policies[o].statements.clone();
                        self.facts.policies[me].statements.extend(extra);
                    }
                } else if item.is_unknown() {
                    let span = item.span;
                    self.facts.policies[me]
                        .statements
                        .push(Statement::unknown(span));
                }
            }
        }
    }

    fn list_field(&self, body: &BodyRef<'m>, key: &str, not_key: &str) -> Option<Field> {
        let (not, (key_span, n)) = match self.eval_attr(body, key) {
            Some(v) => (false, v),
            None => (true, self.eval_attr(body, not_key)?),
        };
        let unknown = n.is_unknown();
        let values = if unknown {
            Vec::new()
        } else {
            n.one_or_many().iter().map(Val::from_node).collect()
        };
        Some(Field {
            not,
            key_span,
            values,
            unknown,
        })
    }

    fn data_statement(&self, sb: &BlockRef<'m>) -> Statement {
        let body = &sb.body;
        let effect_attr = self.eval_attr(body, "effect");
        let (effect, effect_span) = match &effect_attr {
            None => (Effect::Allow, sb.header),
            Some((_, n)) => match n.as_str() {
                Some(e) if e.eq_ignore_ascii_case("allow") => (Effect::Allow, n.span),
                Some(e) if e.eq_ignore_ascii_case("deny") => (Effect::Deny, n.span),
                _ => (Effect::Unknown, n.span),
            },
        };
        let mut principal = None;
        for (key, not) in [("principals", false), ("not_principals", true)] {
            let mut pbs = body.blocks(key, &self.sources());
            let mut dynamic = Vec::new();
            for g in dynamic_blocks(self.ev, body, key) {
                match g {
                    Generated::Block(pb) => pbs.push(pb),
                    Generated::Unknown(span) => dynamic.push(span),
                }
            }
            if pbs.is_empty() && dynamic.is_empty() {
                continue;
            }
            let mut entries = Vec::new();
            for pb in &pbs {
                let ty = self.str_attr(&pb.body, "type").unwrap_or_default();
                if let Some((_, ids)) = self.eval_attr(&pb.body, "identifiers") {
                    if ids.is_unknown() {
                        entries.push(PrincipalEntry {
                            kind: ty.clone(),
                            value: Val::from_node(&ids),
                        });
                    } else {
                        for id in ids.one_or_many() {
                            entries.push(PrincipalEntry {
                                kind: ty.clone(),
                                value: Val::from_node(id),
                            });
                        }
                    }
                }
            }
            let key_span = pbs
                .first()
                .map(|p| p.header)
                .or_else(|| dynamic.first().copied())
                .unwrap_or(sb.header);
            principal = Some(Principal {
                not,
                key_span,
                entries,
                unknown: !dynamic.is_empty(),
            });
            break;
        }
        let mut conditions = Vec::new();
        let mut condition_blocks = body.blocks("condition", &self.sources());
        let mut conditions_unknown = false;
        for g in dynamic_blocks(self.ev, body, "condition") {
            match g {
                Generated::Block(cb) => condition_blocks.push(cb),
                Generated::Unknown(_) => conditions_unknown = true,
            }
        }
        for cb in condition_blocks {
            let op = self.str_attr(&cb.body, "test").unwrap_or_default();
            let key = self.str_attr(&cb.body, "variable").unwrap_or_default();
            let values = match self.eval_attr(&cb.body, "values") {
                Some((_, n)) if n.is_unknown() => vec![Val::from_node(&n)],
                Some((_, n)) => n.one_or_many().iter().map(Val::from_node).collect(),
                None => Vec::new(),
            };
            conditions.push(Condition {
                op,
                key,
                values,
                span: cb.full,
            });
        }
        Statement {
            sid: self.str_attr(body, "sid"),
            effect,
            effect_span,
            action: self.list_field(body, "actions", "not_actions"),
            resource: self.list_field(body, "resources", "not_resources"),
            principal,
            conditions,
            conditions_unknown,
            span: sb.full,
            unknown: false,
        }
    }

    fn policy_block(&mut self, b: &BlockRef<'m>) {
        let Some(t) = rtype(b) else { return };
        let addr = address(b);
        match t {
            "aws_iam_policy" => {
                if let Some(a) = b.body.attr("policy") {
                    let n = self.ev.eval(a.expr);
                    let host = a.key.cover(n.span);
                    if let Some(d) = self.policy_value(&n, PolicyKind::Identity, &addr, host) {
                        self.policies.insert(addr.clone(), d);
                        if let Some(name) = self.str_attr(&b.body, "name") {
                            self.policy_names.insert(name, d);
                        }
                    }
                }
            }
            "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
                let target_attr = match t {
                    "aws_iam_role_policy" => "role",
                    "aws_iam_user_policy" => "user",
                    _ => "group",
                };
                let Some(a) = b.body.attr("policy") else {
                    return;
                };
                let n = self.ev.eval(a.expr);
                let host = a.key.cover(n.span);
                let Some(d) = self.policy_value(&n, PolicyKind::Identity, &addr, host) else {
                    return;
                };
                let (principal, target_text) = self.target(&b.body, target_attr);
                self.facts.attachments.push(Attachment {
                    principal,
                    target_text,
                    policy: Some(d),
                    arn: None,
                    span: b.header,
                    via: addr,
                });
            }
            "aws_iam_role_policies_exclusive"
            | "aws_iam_policy_attachment"
            | "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment" => {}
            "aws_s3_bucket_policy"
            | "aws_kms_key"
            | "aws_kms_key_policy"
            | "aws_secretsmanager_secret_policy"
            | "aws_secretsmanager_secret"
            | "aws_sns_topic_policy"
            | "aws_sqs_queue_policy"
            | "aws_ecr_repository_policy"
            | "aws_glacier_vault"
            | "aws_s3_bucket"
            | "aws_sns_topic"
            | "aws_sqs_queue"
            | "aws_lambda_permission"
            | "aws_opensearch_domain_policy" => {
                if let Some(a) = b.body.attr("policy") {
                    let n = self.ev.eval(a.expr);
                    let host = a.key.cover(n.span);
                    self.policy_value(&n, PolicyKind::Resource, &addr, host);
                }
            }
            "aws_ssoadmin_permission_set_inline_policy" => {
                if let Some(a) = b.body.attr("inline_policy") {
                    let n = self.ev.eval(a.expr);
                    let host = a.key.cover(n.span);
                    self.policy_value(&n, PolicyKind::Identity, &addr, host);
                }
            }
            "aws_organizations_policy" => {
                if let Some(a) = b.body.attr("content") {
                    let n = self.ev.eval(a.expr);
                    let host = a.key.cover(n.span);
                    self.policy_value(&n, PolicyKind::Guardrail, &addr, host);
                }
            }
            _ => {}
        }
    }

    /// Resolve a `role`/`user`/`group` attribute to a principal.
    fn target(&self, body: &BodyRef<'m>, attr: &str) -> (Option<usize>, String) {
        let Some((key, n)) = self.eval_attr(body, attr) else {
            return (None, String::new());
        };
        self.resolve_principal(&n, attr).map_or_else(
            || (None, self.node_text(&n, key)),
            |i| (Some(i), self.facts.principals[i].address.clone()),
        )
    }

    fn node_text(&self, n: &Node, _key: Span) -> String {
        match &n.value {
            Value::Unknown(u) => u.text.clone(),
            _ => n.as_str().unwrap_or("").to_owned(),
        }
    }

    fn resolve_principal(&self, n: &Node, kind: &str) -> Option<usize> {
        let ty = match kind {
            "role" | "roles" | "role_name" => "aws_iam_role",
            "user" | "users" => "aws_iam_user",
            _ => "aws_iam_group",
        };
        if let Some(r) = self.ref_to(n, &[ty]) {
            return self.principals.get(&r).copied();
        }
        let name = n.as_str()?;
        // An ARN or a plain name: match the principal's `name`.
        let name = name.rsplit('/').next().unwrap_or(name);
        self.facts.principals.iter().position(|p| {
            p.name.as_deref() == Some(name) && strip_module(&p.address).starts_with(ty)
        })
    }

    fn attach_arn(&mut self, principal: Option<usize>, target_text: &str, arn: &Node, via: &str) {
        let target_text = target_text.to_owned();
        if let Some(p) = self.ref_to(arn, &["aws_iam_policy"]) {
            let policy = self.policies.get(&p).copied();
            self.facts.attachments.push(Attachment {
                principal,
                target_text,
                policy,
                arn: if policy.is_none() { Some(p) } else { None },
                span: arn.span,
                via: via.to_owned(),
            });
            return;
        }
        let text = match &arn.value {
            Value::Unknown(u) => u.text.clone(),
            _ => arn.as_str().unwrap_or("").to_owned(),
        };
        let policy = if arn.is_unknown() || text.contains(":iam::aws:policy/") {
            None
        } else {
            text.rsplit('/')
                .next()
                .and_then(|n| self.policy_names.get(n).copied())
        };
        self.facts.attachments.push(Attachment {
            principal,
            target_text,
            policy,
            arn: if policy.is_none() { Some(text) } else { None },
            span: arn.span,
            via: via.to_owned(),
        });
    }

    // -------------------------------------------------------------------- everything else

    fn other_block(&mut self, b: &BlockRef<'m>) {
        let addr = address(b);
        match (b.ident.as_str(), b.labels.first().map(String::as_str)) {
            ("provider", Some("aws")) => {
                let addr = match self.str_attr(&b.body, "alias") {
                    Some(alias) => format!("{addr}.{alias}"),
                    None => addr,
                };
                self.provider(b, &addr)
            }
            ("terraform", _) => {
                let sources = self.sources();
                let backends = b.body.blocks("backend", &sources);
                drop(sources);
                for be in backends {
                    if be.labels.first().map(String::as_str) == Some("s3") {
                        self.static_keys(
                            &be.body,
                            &["access_key", "secret_key", "token"],
                            "terraform.backend.s3",
                        );
                    }
                }
            }
            ("module", _) => {
                self.user_data(b, &addr);
                for key in ["environment_variables", "environment"] {
                    if let Some((_, n)) = self.eval_attr(&b.body, key)
                        && n.as_map().is_some()
                    {
                        self.env_map(&n, &addr);
                    }
                }
            }
            ("resource", Some(t)) => self.resource(t, b, &addr),
            _ => {}
        }
    }

    fn provider(&mut self, b: &BlockRef<'m>, addr: &str) {
        self.static_keys(&b.body, &["access_key", "secret_key", "token"], addr);
        if let Some((_, ids)) = self.eval_attr(&b.body, "allowed_account_ids") {
            for id in ids.one_or_many() {
                if let Some(s) = id.as_str()
                    && !self.facts.own_accounts.iter().any(|a| a == s)
                {
                    self.facts.own_accounts.push(s.to_owned());
                }
            }
        }
    }

    /// `access_key` / `secret_key` / `token` written as literals (or as variable defaults).
    fn static_keys(&mut self, body: &BodyRef<'m>, keys: &[&str], addr: &str) {
        for key in keys {
            let Some((_, n)) = self.eval_attr(body, key) else {
                continue;
            };
            let Some(v) = n.as_str() else { continue };
            if v.trim().is_empty() || credentials::is_placeholder(v) {
                continue;
            }
            let (kind, strong) = match *key {
                "access_key" => (SecretKind::AwsAccessKeyId, credentials::is_aws_key_id(v)),
                "secret_key" => (
                    SecretKind::AwsSecretAccessKey,
                    credentials::is_aws_secret_key(v),
                ),
                _ => (SecretKind::AwsSessionToken, v.len() > 100),
            };
            let span = self.value_span(&n, 0, v.len());
            self.facts.secrets.push(SecretLiteral {
                kind,
                span,
                key: (*key).to_owned(),
                place: SecretPlace::ProviderBlock,
                address: addr.to_owned(),
                strong,
            });
        }
    }

    fn resource(&mut self, t: &str, b: &BlockRef<'m>, addr: &str) {
        match t {
            "aws_iam_role" => self.role_references(b, addr),
            "aws_iam_policy_attachment" => {
                let Some((_, arn)) = self.eval_attr(&b.body, "policy_arn") else {
                    return;
                };
                for kind in ["users", "roles", "groups"] {
                    let Some((_, list)) = self.eval_attr(&b.body, kind) else {
                        continue;
                    };
                    for item in list.one_or_many() {
                        let p = self.resolve_principal(item, kind);
                        let text = p.map_or_else(
                            || self.node_text(item, item.span),
                            |i| self.facts.principals[i].address.clone(),
                        );
                        self.attach_arn(p, &text, &arn, addr);
                    }
                }
            }
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment" => {
                let target_attr = match t {
                    "aws_iam_role_policy_attachment" => "role",
                    "aws_iam_user_policy_attachment" => "user",
                    _ => "group",
                };
                let Some((_, arn)) = self.eval_attr(&b.body, "policy_arn") else {
                    return;
                };
                let (p, text) = self.target(&b.body, target_attr);
                self.attach_arn(p, &text, &arn, addr);
            }
            "aws_iam_role_policy_attachments_exclusive"
            | "aws_iam_role_managed_policy_attachments" => {
                let (p, text) = self.target(&b.body, "role_name");
                if let Some((_, arns)) = self.eval_attr(&b.body, "policy_arns") {
                    for item in arns.one_or_many() {
                        self.attach_arn(p, &text, item, addr);
                    }
                }
            }
            "aws_iam_group_membership" => {
                let (g, _) = self.target(&b.body, "group");
                let Some(g) = g else { return };
                if let Some((_, users)) = self.eval_attr(&b.body, "users") {
                    for u in users.one_or_many() {
                        if let Some(ui) = self.resolve_principal(u, "user") {
                            self.facts.principals[ui].groups.push(g);
                        }
                    }
                }
            }
            "aws_iam_user_group_membership" => {
                let (u, _) = self.target(&b.body, "user");
                let Some(u) = u else { return };
                if let Some((_, groups)) = self.eval_attr(&b.body, "groups") {
                    for g in groups.one_or_many() {
                        if let Some(gi) = self.resolve_principal(g, "group") {
                            self.facts.principals[u].groups.push(gi);
                        }
                    }
                }
            }
            "aws_iam_access_key" => {
                let (user, user_text) = self.target(&b.body, "user");
                let inactive = self
                    .str_attr(&b.body, "status")
                    .is_some_and(|s| s.eq_ignore_ascii_case("inactive"));
                self.facts.access_keys.push(AccessKey {
                    address: addr.to_owned(),
                    span: b.header,
                    user,
                    user_text,
                    inactive,
                    pgp: b.body.attr("pgp_key").is_some(),
                });
            }
            "aws_iam_user_login_profile" => {
                let (user, user_text) = self.target(&b.body, "user");
                self.facts.login_profiles.push(LoginProfile {
                    address: addr.to_owned(),
                    span: b.header,
                    user,
                    user_text,
                    pgp: b.body.attr("pgp_key").is_some(),
                });
            }
            "aws_eks_pod_identity_association" => {
                let (Some(ns), Some(sa)) = (
                    self.str_attr(&b.body, "namespace"),
                    self.str_attr(&b.body, "service_account"),
                ) else {
                    return;
                };
                let role = self
                    .eval_attr(&b.body, "role_arn")
                    .and_then(|(_, n)| self.resolve_principal(&n, "role"));
                self.facts
                    .pod_identities
                    .push(crate::model::aws::PodIdentity {
                        namespace: ns,
                        service_account: sa,
                        role,
                        span: b.header,
                    });
            }
            "aws_iam_openid_connect_provider" => {
                let host = self
                    .str_attr(&b.body, "url")
                    .map(|u| {
                        u.trim_start_matches("https://")
                            .trim_end_matches('/')
                            .to_owned()
                    })
                    .unwrap_or_default();
                let client_ids = self
                    .eval_attr(&b.body, "client_id_list")
                    .map(|(_, n)| {
                        n.one_or_many()
                            .iter()
                            .filter_map(Node::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                self.facts.oidc_providers.push(OidcProvider {
                    address: addr.to_owned(),
                    host,
                    client_ids,
                });
            }
            "aws_lambda_function" => {
                self.role_use(b, "role", addr, "Lambda function");
                let sources = self.sources();
                let envs = b.body.blocks("environment", &sources);
                drop(sources);
                for env in envs {
                    if let Some((_, vars)) = self.eval_attr(&env.body, "variables") {
                        self.env_map(&vars, addr);
                    }
                }
            }
            "aws_sagemaker_notebook_instance"
            | "aws_glue_job"
            | "aws_sfn_state_machine"
            | "aws_glue_dev_endpoint" => {
                let (attr, kind) = match t {
                    "aws_sagemaker_notebook_instance" => ("role_arn", "SageMaker notebook"),
                    "aws_glue_job" => ("role_arn", "Glue job"),
                    "aws_glue_dev_endpoint" => ("role_arn", "Glue development endpoint"),
                    _ => ("role_arn", "Step Functions state machine"),
                };
                self.role_use(b, attr, addr, kind);
            }
            "aws_iam_instance_profile" => self.role_use(b, "role", addr, "EC2 instance profile"),
            "aws_ecs_task_definition" => {
                self.role_use(b, "task_role_arn", addr, "ECS task");
                if let Some((_, defs)) = self.eval_attr(&b.body, "container_definitions") {
                    let defs = match &defs.value {
                        Value::Str(_) => self.ev.embedded_json(&defs),
                        _ => Some(defs),
                    };
                    if let Some(defs) = defs {
                        for c in defs.one_or_many() {
                            if let Some(env) = c.get("environment") {
                                for e in env.one_or_many() {
                                    if let (Some(name), Some(value)) =
                                        (e.get("name").and_then(Node::as_str), e.get("value"))
                                    {
                                        self.env_var(name, value, addr);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            "aws_codebuild_project" => {
                self.role_use(b, "service_role", addr, "CodeBuild project");
                let sources = self.sources();
                let mut vars = Vec::new();
                for env in b.body.blocks("environment", &sources) {
                    vars.extend(env.body.blocks("environment_variable", &sources));
                }
                drop(sources);
                for v in vars {
                    let plaintext = self
                        .str_attr(&v.body, "type")
                        .is_none_or(|t| t.eq_ignore_ascii_case("PLAINTEXT"));
                    if !plaintext {
                        continue;
                    }
                    if let (Some(name), Some((_, value))) = (
                        self.str_attr(&v.body, "name"),
                        self.eval_attr(&v.body, "value"),
                    ) {
                        self.env_var(&name, &value, addr);
                    }
                }
            }
            "aws_secretsmanager_secret" => {
                let days = self.rotation_days(&b.body);
                let inline = b.body.attr("rotation_lambda_arn").is_some()
                    || b.body.attr("rotation_rules").is_some()
                    || days.is_some();
                self.facts.managed_secrets.push(ManagedSecret {
                    address: addr.to_owned(),
                    header: b.header,
                    rotated_inline: inline.then_some(days),
                });
            }
            "aws_secretsmanager_secret_rotation" => {
                let secret = self
                    .eval_attr(&b.body, "secret_id")
                    .and_then(|(_, n)| self.ref_to(&n, &["aws_secretsmanager_secret"]));
                let days = self.rotation_days(&b.body);
                self.facts
                    .secret_rotations
                    .push(SecretRotation { secret, days });
            }
            "aws_instance"
            | "aws_launch_template"
            | "aws_launch_configuration"
            | "aws_spot_instance_request" => {
                self.user_data(b, addr);
                self.instance_metadata(t, b, addr);
            }
            _ => {}
        }
    }

    /// `rotation_rules { automatically_after_days = N }`, when known.
    fn rotation_days(&self, body: &BodyRef<'m>) -> Option<(u64, Span)> {
        let rules = {
            let sources = self.sources();
            body.blocks("rotation_rules", &sources).into_iter().next()
        }?;
        let (_, n) = self.eval_attr(&rules.body, "automatically_after_days")?;
        let days = match &n.value {
            Value::Number(t) | Value::Str(t) => t.trim().parse::<u64>().ok()?,
            _ => return None,
        };
        Some((days, n.span))
    }

    /// An instance profile on EC2 compute, with its `metadata_options`.
    fn instance_metadata(&mut self, t: &str, b: &BlockRef<'m>, addr: &str) {
        let kind = match t {
            "aws_instance" => "EC2 instance",
            "aws_launch_template" => "launch template",
            "aws_launch_configuration" => "launch configuration",
            _ => "spot instance request",
        };
        // `iam_instance_profile = ...` (instances, configurations) or a block (templates).
        let profile = match self.eval_attr(&b.body, "iam_instance_profile") {
            Some((key, n)) => {
                let empty = matches!(&n.value, Value::Null)
                    || n.as_str().is_some_and(|v| v.trim().is_empty());
                (!empty).then(|| key.cover(n.span))
            }
            None => {
                let sources = self.sources();
                b.body
                    .blocks("iam_instance_profile", &sources)
                    .first()
                    .map(|p| p.full)
            }
        };
        let Some(profile) = profile else { return };
        let options = {
            let sources = self.sources();
            b.body
                .blocks("metadata_options", &sources)
                .into_iter()
                .next()
        };
        let mut tokens = None;
        let mut endpoint_disabled = false;
        if let Some(o) = &options {
            if let Some((_, n)) = self.eval_attr(&o.body, "http_tokens") {
                let v = if n.is_unknown() {
                    String::new()
                } else {
                    n.as_str().unwrap_or("").to_ascii_lowercase()
                };
                tokens = Some((v, n.span));
            }
            endpoint_disabled = self
                .str_attr(&o.body, "http_endpoint")
                .is_some_and(|e| e.eq_ignore_ascii_case("disabled"));
        }
        self.facts.instance_metadata.push(InstanceMetadata {
            address: addr.to_owned(),
            kind,
            header: b.header,
            profile,
            options: options.map(|o| o.header),
            tokens,
            endpoint_disabled,
        });
    }

    /// Record that a compute resource runs as the role named by `attr`.
    fn role_use(&mut self, b: &BlockRef<'m>, attr: &str, addr: &str, kind: &'static str) {
        let Some((key, n)) = self.eval_attr(&b.body, attr) else {
            return;
        };
        let role = self.resolve_principal(&n, "role");
        self.facts.role_uses.push(RoleUse {
            address: addr.to_owned(),
            span: key.cover(n.span),
            role,
            kind,
        });
    }

    fn env_map(&mut self, vars: &Node, addr: &str) {
        let Some(entries) = vars.as_map() else { return };
        for e in entries {
            if let Some(name) = e.key.as_str() {
                let name = name.to_owned();
                self.env_var(&name, &e.value, addr);
            }
        }
    }

    /// One environment variable: a recognisable token anywhere in the value, or a literal under
    /// a secret-sounding name.
    fn env_var(&mut self, name: &str, value: &Node, addr: &str) {
        let Some(v) = value.as_str() else { return };
        if let Value::Unknown(_) = value.value {
            return;
        }
        let tokens = credentials::find_tokens(v);
        if !tokens.is_empty() {
            for (kind, s, e) in tokens {
                let span = self.value_span(value, s, e);
                self.push_secret(kind, span, name, SecretPlace::ComputeEnv, addr, true);
            }
            return;
        }
        let upper = name.to_ascii_uppercase();
        if upper.contains("SECRET_ACCESS_KEY") && credentials::is_aws_secret_key(v) {
            let span = self.value_span(value, 0, v.len());
            self.push_secret(
                SecretKind::AwsSecretAccessKey,
                span,
                name,
                SecretPlace::ComputeEnv,
                addr,
                true,
            );
            return;
        }
        if credentials::is_secret_name(name) && !credentials::is_placeholder(v) {
            let span = self.value_span(value, 0, v.len());
            self.push_secret(
                SecretKind::NamedSecret,
                span,
                name,
                SecretPlace::ComputeEnv,
                addr,
                false,
            );
        }
    }

    /// Free text such as user data: tokens, `KEY=value` lines with secret names, and bare
    /// 40-character secret-key-shaped strings (weak evidence).
    /// User data (plain or base64) and provisioners of an instance, launch template or
    /// module: secrets written in clear, and static AWS keys configured for the workload.
    fn user_data(&mut self, b: &BlockRef<'m>, addr: &str) {
        for key in ["user_data", "user_data_base64"] {
            let Some((_, n)) = self.eval_attr(&b.body, key) else {
                continue;
            };
            self.free_text(&n, key, addr, SecretPlace::UserData);
            let Some(text) = n.as_str() else { continue };
            let marker = static_key_marker(text)
                .map(|(s, e)| self.value_span(&n, s, e))
                .or_else(|| {
                    let decoded = credentials::base64_decode(text.trim())
                        .and_then(|d| String::from_utf8(d).ok())?;
                    static_key_marker(&decoded).map(|_| n.span)
                });
            if let Some(span) = marker {
                self.static_key_config(span, b, addr, "user data");
            }
        }
        let sources = self.sources();
        let provisioners = b.body.blocks("provisioner", &sources);
        drop(sources);
        for p in provisioners {
            let (attr, how) = match p.labels.first().map(String::as_str) {
                Some("remote-exec") => ("inline", "remote-exec provisioner"),
                Some("file") => ("destination", "file provisioner"),
                _ => continue,
            };
            let Some((_, n)) = self.eval_attr(&p.body, attr) else {
                continue;
            };
            for item in n.one_or_many() {
                if let Some(text) = item.as_str()
                    && let Some((s, e)) = static_key_marker(text)
                {
                    let span = self.value_span(item, s, e);
                    self.static_key_config(span, b, addr, how);
                    break;
                }
            }
        }
    }

    fn static_key_config(&mut self, span: Span, b: &BlockRef<'m>, addr: &str, how: &'static str) {
        self.facts.static_key_configs.push(StaticKeyConfig {
            span,
            address: addr.to_owned(),
            declared: b.header,
            how,
        });
    }

    fn free_text(&mut self, n: &Node, key: &str, addr: &str, place: SecretPlace) {
        let Some(text) = n.as_str().map(str::to_owned) else {
            return;
        };
        let mut found = false;
        for (kind, s, e) in credentials::find_tokens(&text) {
            let span = self.value_span(n, s, e);
            self.push_secret(kind, span, key, place, addr, true);
            found = true;
        }
        if key.ends_with("base64")
            && let Some(decoded) = credentials::base64_decode(text.trim())
            && let Ok(d) = String::from_utf8(decoded)
        {
            for (kind, _, _) in credentials::find_tokens(&d) {
                self.push_secret(kind, n.span, key, place, addr, true);
                found = true;
            }
        }
        for (name, s, e) in assignments_with_secret_names(&text) {
            let span = self.value_span(n, s, e);
            if !self.facts.secrets.iter().any(|x| {
                x.span.start <= span.start && span.end <= x.span.end && x.span.file == span.file
            }) {
                self.push_secret(SecretKind::NamedSecret, span, &name, place, addr, false);
                found = true;
            }
        }
        if !found {
            for (s, e) in credentials::find_secret_key_tokens(&text) {
                let span = self.value_span(n, s, e);
                self.push_secret(
                    SecretKind::AwsSecretAccessKey,
                    span,
                    key,
                    place,
                    addr,
                    false,
                );
            }
        }
    }

    fn push_secret(
        &mut self,
        kind: SecretKind,
        span: Span,
        key: &str,
        place: SecretPlace,
        addr: &str,
        strong: bool,
    ) {
        self.facts.secrets.push(SecretLiteral {
            kind,
            span,
            key: key.to_owned(),
            place,
            address: addr.to_owned(),
            strong,
        });
    }

    /// The span of bytes `s..e` of a string value: exact when the source holds the value
    /// verbatim (a heredoc, or a quoted string without escapes), else the whole value.
    fn value_span(&self, n: &Node, s: usize, e: usize) -> Span {
        match n.as_str() {
            Some(text) => super::body::value_span(&self.sources(), n.span, text, s, e),
            None => n.span,
        }
    }

    // -------------------------------------------------------------------- linking

    /// Fill every principal's policies and managed ARNs from the attachments.
    fn link(&mut self) {
        let Facts {
            attachments,
            principals,
            ..
        } = &mut *self.facts;
        for a in attachments.iter().skip(self.first_attachment) {
            let Some(p) = a.principal else { continue };
            let Some(pr) = principals.get_mut(p) else {
                continue;
            };
            if let Some(d) = a.policy
                && !pr.policies.contains(&d)
            {
                pr.policies.push(d);
            }
            if let Some(arn) = &a.arn {
                pr.managed.push(crate::model::aws::AttachedArn {
                    arn: arn.clone(),
                    span: a.span,
                    via: a.via.clone(),
                });
            }
        }
    }
}

/// A document's kind from its content, when nothing uses it: principals with `sts:AssumeRole*`
/// make a trust policy, other principals a resource policy.
pub fn infer_kind(statements: &[Statement]) -> PolicyKind {
    let with_principal: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.principal.is_some())
        .collect();
    if with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    // Resource policies always name a Resource; trust policies never do.
    if with_principal.iter().all(|s| s.resource.is_none()) {
        return PolicyKind::Trust;
    }
    let assumes = with_principal.iter().all(|s| {
        s.action.as_ref().is_some_and(|f| {
            !f.not
                && f.values.iter().any(|v| {
                    let t = v.text.to_ascii_lowercase();
                    t.starts_with("sts:assumerole")
                        || t == "sts:tagsession"
                        || t == "sts:setsourceidentity"
                        || t == "sts:*"
                })
        })
    });
    if assumes {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

/// `PASSWORD=...`, `export AWS_SECRET_ACCESS_KEY=...`, `secret_key = "..."` in scripts: the
/// byte range of each literal value under a secret-sounding name.
fn assignments_with_secret_names(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        if let Some(eq) = l.find('=') {
            let name = l[..eq].trim().trim_start_matches("export ").trim();
            let name = name.rsplit(' ').next().unwrap_or(name);
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
                && credentials::is_secret_name(name)
            {
                let raw = &l[eq + 1..];
                let lead = raw.len() - raw.trim_start().len();
                let v = raw.trim().trim_matches(['"', '\'']);
                let v_start =
                    eq + 1 + lead + usize::from(raw.trim_start().starts_with(['"', '\'']));
                if !v.is_empty() && !credentials::is_placeholder(v) && !v.starts_with('$') {
                    out.push((
                        name.to_owned(),
                        line_start + v_start,
                        line_start + v_start + v.len(),
                    ));
                }
            }
        }
        line_start += line.len();
    }
    out
}

/// Where a script configures static AWS keys: the AWS CLI's key names or its credentials
/// file. Returns the first match.
fn static_key_marker(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        let code = lower.trim_start();
        // comments and `unset` do not configure anything
        let comment = code.starts_with('#') && !code.starts_with("#!");
        if !comment && !code.starts_with("unset ") {
            for key in ["aws_access_key_id", "aws_secret_access_key"] {
                let mut from = 0;
                while let Some(i) = lower[from..].find(key) {
                    let at = from + i;
                    let rest = lower[at + key.len()..].trim_start_matches(['"', '\'', ' ', '\t']);
                    // an assignment (`KEY=`, `key = `, `key: `) or `aws configure set key value`
                    if rest.starts_with(['=', ':'])
                        || (lower[..at].contains("configure set") && !rest.is_empty())
                    {
                        return Some((offset + at, offset + at + key.len()));
                    }
                    from = at + key.len();
                }
            }
            if let Some(i) = lower.find(".aws/credentials") {
                return Some((offset + i, offset + i + ".aws/credentials".len()));
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_assignments() {
        let t = "#!/bin/bash\nexport DB_PASSWORD=\"s3cr3tvalue\"\nNAME=x\n";
        let r = assignments_with_secret_names(t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, "DB_PASSWORD");
        assert_eq!(&t[r[0].1..r[0].2], "s3cr3tvalue");
    }
}
