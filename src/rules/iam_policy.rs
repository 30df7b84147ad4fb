//! Rules over AWS identity policies: what a user, role or group is allowed to do.
//!
//! Each action value is reported by the most specific rule: `*` on everything by
//! `iam-admin-wildcard`, whole-service wildcards (`iam:*`) by `iam-service-wildcard-action`
//! (whose message names the dangerous classes they include), and named or partial-wildcard
//! actions by the class rules below. Deny statements never fire an Allow rule; an
//! unconditional Deny (in the same document, or in every principal the document reaches)
//! cancels the grant; conditions lower the severity.

use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::Facts;
use crate::model::aws::AwsPrincipal;
use crate::model::aws_actions::{
    self, ADMIN_MANAGED_POLICIES, CREDENTIAL_MINTING, DEFENCE_EVASION, INFRA_DESTRUCTION,
    MINTING_ONLY_ON_STAR, MethodKind, PERMISSIONS_MANAGEMENT, PERMISSIONS_MANAGEMENT_CRITICAL,
    PRIVESC_METHODS, PrivescMethod, SECRET_READ, SENSITIVE_SERVICES,
};
use crate::model::iam::{
    ActionPattern, PolicyDocument, PolicyKind, Statement, Tri, Val, action_matches, arn_account,
};
use crate::model::identity::PrivilegeClass;

/// Identity documents whose content the scan owns (not AWS-managed text, not unresolved).
fn identity_docs(facts: &Facts) -> impl Iterator<Item = (usize, &PolicyDocument)> {
    facts
        .policies
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == PolicyKind::Identity && !d.aws_managed && !d.unknown)
}

/// Every identity document in effect for a principal: its own and its groups'.
pub fn principal_docs(facts: &Facts, p: &AwsPrincipal) -> Vec<usize> {
    let mut docs = p.policies.clone();
    for &g in &p.groups {
        if let Some(gp) = facts.principals.get(g) {
            for &d in &gp.policies {
                if !docs.contains(&d) {
                    docs.push(d);
                }
            }
        }
    }
    docs
}

/// Is the grant of `action` by document `doc` cancelled by an unconditional Deny: in the same
/// document, or in every principal that the document is attached to?
fn neutralized(facts: &Facts, doc: usize, action: &str) -> bool {
    let Some(d) = facts.policies.get(doc) else {
        return false;
    };
    if d.denies_everywhere(action) {
        return true;
    }
    let users: Vec<&AwsPrincipal> = facts
        .principals
        .iter()
        .filter(|p| principal_docs(facts, p).contains(&doc))
        .collect();
    !users.is_empty()
        && users.iter().all(|p| {
            principal_docs(facts, p).iter().any(|&o| {
                facts
                    .policies
                    .get(o)
                    .is_some_and(|od| od.denies_everywhere(action))
            })
        })
}

fn is_full_wildcard(t: &str) -> bool {
    matches!(t.trim(), "*" | "*:*")
}

fn is_service_wildcard(t: &str) -> bool {
    t.trim().split_once(':').is_some_and(|(_, n)| n == "*")
}

fn lowered(sev: Severity, conditioned: bool) -> Severity {
    if conditioned { sev.lower() } else { sev }
}

fn short_list(items: &[&str], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

/// A statement-level rule over a table of actions: one hit per statement, at the first
/// matching value.
fn table_rule(
    cx: &Cx,
    out: &mut Vec<Hit>,
    table: &[&str],
    needs: fn(&Statement) -> bool,
    mut report: impl FnMut(&PolicyDocument, &Statement, &[&str], &Val) -> Option<Hit>,
) {
    // Literal values are compared only with the table actions of their length, not with the
    // whole table: a statement may list a million actions. Built on first use, as the
    // per-document table below: most units have no statement the rule needs, and building
    // them for every unit was a good part of the rule's time.
    let by_len_of = || {
        let mut by_len: Vec<Vec<usize>> = Vec::new();
        for (i, a) in table.iter().enumerate() {
            if by_len.len() <= a.len() {
                by_len.resize(a.len() + 1, Vec::new());
            }
            if let Some(ids) = by_len.get_mut(a.len()) {
                ids.push(i);
            }
        }
        by_len
    };
    let mut by_len: Option<Vec<Vec<usize>>> = None;
    for (di, d) in identity_docs(cx.facts) {
        // Whether a Deny cancels an action depends on the document, not the statement: asked
        // once per document (per statement, it is quadratic in huge policies).
        let mut cancelled: Vec<Option<bool>> = Vec::new();
        for s in d.allows() {
            if !needs(s) {
                continue;
            }
            let by_len = by_len.get_or_insert_with(by_len_of);
            if cancelled.len() != table.len() {
                cancelled.resize(table.len(), None);
            }
            // The first value matching each table action, full and whole-service wildcards
            // aside (the wildcard rules report those).
            let mut firsts: Vec<Option<&Val>> = vec![None; table.len()];
            let values = s.action.iter().filter(|f| !f.not).flat_map(|f| &f.values);
            for v in values.filter(|v| v.known) {
                let t = v.text.trim();
                if t.bytes().any(|c| c == b'*' || c == b'?') {
                    if is_full_wildcard(t) || is_service_wildcard(t) {
                        continue;
                    }
                    let pattern = ActionPattern::new(t);
                    for (a, slot) in table.iter().zip(firsts.iter_mut()) {
                        if slot.is_none() && pattern.matches(a) {
                            *slot = Some(v);
                        }
                    }
                } else if let Some(ids) = by_len.get(t.len()) {
                    for &i in ids {
                        if let (Some(slot), Some(a)) = (firsts.get_mut(i), table.get(i))
                            && t.eq_ignore_ascii_case(a)
                        {
                            slot.get_or_insert(v);
                        }
                    }
                }
            }
            let mut matched: Vec<&str> = Vec::new();
            let mut first: Option<&Val> = None;
            for ((a, v), cancelled) in table.iter().zip(&firsts).zip(cancelled.iter_mut()) {
                let Some(v) = *v else { continue };
                if *cancelled.get_or_insert_with(|| neutralized(cx.facts, di, a)) {
                    continue;
                }
                matched.push(a);
                if first.is_none_or(|f| v.span.start < f.span.start) {
                    first = Some(v);
                }
            }
            if let Some(v) = first
                && let Some(h) = report(d, s, &matched, v)
            {
                out.push(h);
            }
        }
    }
}

// ----------------------------------------------------------------------------------------

pub struct AdminWildcard;

impl Rule for AdminWildcard {
    fn id(&self) -> &'static str {
        "iam-admin-wildcard"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for (di, d) in identity_docs(cx.facts) {
            for s in d.allows() {
                let Some(f) = &s.action else { continue };
                if f.not || s.all_resources() != Tri::Yes || neutralized(cx.facts, di, "*") {
                    continue;
                }
                for v in f
                    .values
                    .iter()
                    .filter(|v| v.known && is_full_wildcard(&v.text))
                {
                    let conditioned = s.has_conditions();
                    let mut h = Hit::new(
                        self.id(),
                        v.span,
                        &d.address,
                        if conditioned {
                            "policy allows every action on every resource, limited only by a condition"
                        } else {
                            "policy allows every action on every resource (full administrator)"
                        },
                    )
                    .label("every action")
                    .context(d.host)
                    .classes(vec![PrivilegeClass::Admin]);
                    if conditioned {
                        h = h.severity(Severity::High);
                    }
                    if let Some(r) = s.broad_resource_values().next() {
                        h = h.related(r.span, "on every resource");
                    }
                    out.push(h);
                }
            }
        }
    }
}

pub struct ServiceWildcard;

impl Rule for ServiceWildcard {
    fn id(&self) -> &'static str {
        "iam-service-wildcard-action"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for (di, d) in identity_docs(cx.facts) {
            for s in d.allows() {
                let Some(f) = &s.action else { continue };
                if f.not {
                    continue;
                }
                let all = s.all_resources() == Tri::Yes;
                let broad = s.broad_resources() == Tri::Yes;
                for v in f.values.iter().filter(|v| v.known) {
                    let t = v.text.trim();
                    // only wildcards are this rule's: literal actions go first and fast
                    if !t.bytes().any(|c| c == b'*' || c == b'?') {
                        continue;
                    }
                    let conditioned = s.has_conditions();
                    // Denies are looked up only for values about to be reported: for every
                    // value, that is quadratic in huge policies.
                    if is_full_wildcard(t) {
                        if all {
                            continue; // iam-admin-wildcard
                        }
                        if neutralized(cx.facts, di, t) {
                            continue;
                        }
                        let h = Hit::new(
                            self.id(),
                            v.span,
                            &d.address,
                            "policy allows every action of every service on the listed resources",
                        )
                        .label("every action")
                        .context(d.host)
                        .severity(lowered(Severity::High, conditioned))
                        .classes(vec![PrivilegeClass::Admin]);
                        out.push(h);
                        continue;
                    }
                    if aws_actions::pattern_is_read_only(t) {
                        continue;
                    }
                    let Some((svc, _)) = t.split_once(':') else {
                        continue;
                    };
                    let classes = aws_actions::classes_of_action(t);
                    if !is_service_wildcard(t) && !classes.is_empty() {
                        continue; // reported by the class rules with the actions it includes
                    }
                    if neutralized(cx.facts, di, t) {
                        continue;
                    }
                    let svc_l = svc.to_ascii_lowercase();
                    let critical = PERMISSIONS_MANAGEMENT_CRITICAL
                        .iter()
                        .any(|a| action_matches(t, a));
                    let mut sev = if critical {
                        Severity::Critical
                    } else if SENSITIVE_SERVICES.contains(&svc_l.as_str()) {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    sev = lowered(sev, conditioned);
                    if !broad {
                        sev = sev.lower();
                    }
                    let names: Vec<&str> = classes
                        .iter()
                        .filter(|c| !matches!(c, PrivilegeClass::Observe | PrivilegeClass::Operate))
                        .map(|c| class_phrase(*c))
                        .collect();
                    let msg = if names.is_empty() {
                        format!(
                            "`{t}` allows every {svc} action{}",
                            if broad {
                                ""
                            } else {
                                " on the listed resources"
                            }
                        )
                    } else {
                        format!(
                            "`{t}` allows every {svc} action, including {}",
                            names.join(", ")
                        )
                    };
                    let mut h = Hit::new(self.id(), v.span, &d.address, msg)
                        .label("service-wide wildcard")
                        .context(d.host)
                        .severity(sev)
                        .classes(classes);
                    if !broad {
                        h = h.confidence(Confidence::Medium);
                    }
                    out.push(h);
                }
            }
        }
    }
}

fn class_phrase(c: PrivilegeClass) -> &'static str {
    match c {
        PrivilegeClass::Admin => "full administration",
        PrivilegeClass::Privesc => "privilege escalation",
        PrivilegeClass::IamModification => "permissions management",
        PrivilegeClass::CredExposure => "credential and secret access",
        PrivilegeClass::InfraDestruction => "deletion",
        PrivilegeClass::Operate => "operations",
        PrivilegeClass::Observe => "reads",
    }
}

pub struct AllowNotActionNotResource;

impl Rule for AllowNotActionNotResource {
    fn id(&self) -> &'static str {
        "iam-allow-notaction-notresource"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for d in cx
            .facts
            .policies
            .iter()
            .filter(|d| !d.aws_managed && !d.unknown && d.kind != PolicyKind::Guardrail)
        {
            for s in d.allows() {
                if d.kind == PolicyKind::Identity {
                    if let Some(f) = s.action.as_ref().filter(|f| f.not) {
                        let listed: Vec<&str> = f.values.iter().map(|v| v.text.as_str()).collect();
                        out.push(
                            Hit::new(
                                self.id(),
                                f.key_span,
                                &d.address,
                                format!(
                                    "Allow with NotAction grants every action except {}",
                                    short_list(&listed, 3)
                                ),
                            )
                            .label("NotAction")
                            .context(d.host)
                            .classes(vec![PrivilegeClass::Admin]),
                        );
                    }
                    if let Some(f) = s.resource.as_ref().filter(|f| f.not) {
                        out.push(
                            Hit::new(self.id(), f.key_span, &d.address, "Allow with NotResource applies to every resource except the listed ones")
                                .label("NotResource")
                                .context(d.host),
                        );
                    }
                }
                if let Some(p) = s.principal.as_ref().filter(|p| p.not) {
                    out.push(
                        Hit::new(self.id(), p.key_span, &d.address, "Allow with NotPrincipal grants access to every principal except the listed ones")
                            .label("NotPrincipal")
                            .context(d.host)
                            .severity(Severity::Critical),
                    );
                }
            }
        }
    }
}

pub struct ManagedAdminPolicy;

impl Rule for ManagedAdminPolicy {
    fn id(&self) -> &'static str {
        "iam-managed-admin-policy"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for a in &cx.facts.attachments {
            let Some(arn) = &a.arn else { continue };
            let Some(rest) = arn.split_once(":iam::aws:policy/").map(|(_, r)| r) else {
                continue;
            };
            let name = rest.rsplit('/').next().unwrap_or(rest);
            let Some((_, sev)) = ADMIN_MANAGED_POLICIES.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let principal = a.principal.and_then(|p| cx.facts.principals.get(p));
            let who = principal.map_or_else(|| a.target_text.clone(), |p| p.address.clone());
            let mut h = Hit::new(
                self.id(),
                a.span,
                if who.is_empty() {
                    a.via.clone()
                } else {
                    who.clone()
                },
                format!(
                    "AWS-managed {name} attached to {}",
                    if who.is_empty() { "a principal" } else { &who }
                ),
            )
            .label(name.to_owned())
            .severity(Severity::parse(sev).unwrap_or(Severity::High))
            .classes(vec![if name == "AdministratorAccess" {
                PrivilegeClass::Admin
            } else {
                PrivilegeClass::IamModification
            }]);
            if let Some(p) = principal {
                h = h.related(p.span, format!("{} {}", p.kind.noun(), p.address));
            }
            out.push(h);
        }
    }
}

// ----------------------------------------------------------------------------------------
// Privilege escalation over a principal's whole set of policies

/// A statement granting one action of a method.
struct Grant<'a> {
    stmt: &'a Statement,
    action: &'static str,
}

/// Resources an escalation action can be abused on: everything, or a wildcard pattern that
/// may cover the principal's own resources (but not the AWS-managed namespace, which no
/// customer can modify).
fn exploitable(s: &Statement, action: &str) -> bool {
    if s.resource.as_ref().is_some_and(|f| f.not) {
        return true;
    }
    let Some(f) = &s.resource else {
        return false;
    };
    f.values.iter().any(|v| {
        v.known
            && (v.text.trim() == "*"
                || (v.text.contains(['*', '?'])
                    && arn_account(&v.text) != Some("aws")
                    && arn_applies_to(&v.text, action)
                    // Service-linked roles: AWS owns their policies and trust, and they
                    // cannot be passed to new compute.
                    && !v.text.contains(":role/aws-service-role/")))
    })
}

/// Can a resource ARN pattern name a resource of the action's service? (`iam:*` on
/// `arn:aws:s3:::*` grants nothing in IAM.)
fn arn_applies_to(arn: &str, action: &str) -> bool {
    let Some(svc) = arn.strip_prefix("arn:").and_then(|r| r.split(':').nth(1)) else {
        return true;
    };
    let action_svc = action.split(':').next().unwrap_or("");
    if svc.contains(['*', '?']) || svc.eq_ignore_ascii_case(action_svc) {
        return true;
    }
    // Actions whose resources live in another service's namespace.
    matches!(
        (action_svc, svc),
        ("sts", "iam") | ("ec2-instance-connect", "ec2") | ("ssm", "ec2") | ("glue", "iam")
    )
}

/// `iam:PassRole` limited by `iam:PassedToService` to services other than the method's.
fn passrole_allows(s: &Statement, method: &PrivescMethod) -> bool {
    let conds: Vec<_> = s.condition("iam:PassedToService").collect();
    if conds.is_empty() {
        return true;
    }
    let service = method
        .actions
        .iter()
        .find(|a| !a.starts_with("iam:"))
        .and_then(|a| a.split(':').next())
        .unwrap_or("");
    let svc = match service {
        "ecs" => "ecs-tasks",
        "apprunner" => "tasks.apprunner",
        other => other,
    };
    conds.iter().any(|c| {
        c.values.iter().any(|v| {
            !v.known || v.text.contains('*') || v.text.to_ascii_lowercase().starts_with(svc)
        })
    })
}

fn find_grant<'a>(
    facts: &'a Facts,
    docs: &[usize],
    action: &'static str,
    method: &PrivescMethod,
) -> Option<Grant<'a>> {
    let denied = docs.iter().any(|&d| {
        facts
            .policies
            .get(d)
            .is_some_and(|p| p.denies_everywhere(action))
    });
    if denied {
        return None;
    }
    for &d in docs {
        let Some(doc) = facts.policies.get(d) else {
            continue;
        };
        if doc.kind != PolicyKind::Identity || doc.unknown {
            continue;
        }
        for s in doc.allows() {
            // A required permissions boundary caps whatever the escalation would grant.
            if s.allows_action(action) == Tri::Yes
                && exploitable(s, action)
                && !s.has_condition_key("iam:PermissionsBoundary")
                && (action != "iam:PassRole" || passrole_allows(s, method))
            {
                return Some(Grant { stmt: s, action });
            }
        }
    }
    None
}

/// Does the set of documents grant full administration (then the admin rules report it)?
pub fn grants_admin(facts: &Facts, docs: &[usize]) -> bool {
    docs.iter().any(|&d| {
        facts.policies.get(d).is_some_and(|p| {
            p.kind == PolicyKind::Identity
                && p.allows().any(|s| {
                    // conditioned or not, `*` on `*` is iam-admin-wildcard's to report
                    s.all_resources() == Tri::Yes
                        && s.action.as_ref().is_some_and(|f| {
                            !f.not
                                && f.values
                                    .iter()
                                    .any(|v| v.known && is_full_wildcard(&v.text))
                        })
                })
        })
    }) && !docs.iter().any(|&d| {
        facts
            .policies
            .get(d)
            .is_some_and(|p| p.denies_everywhere("*"))
    })
}

pub struct EscalationPaths<'a> {
    pub methods: Vec<&'static PrivescMethod>,
    grants: Vec<Grant<'a>>,
}

/// The escalation methods a set of documents grants in full.
pub fn escalation_paths<'a>(facts: &'a Facts, docs: &[usize]) -> EscalationPaths<'a> {
    let mut methods = Vec::new();
    let mut grants: Vec<Grant> = Vec::new();
    if docs.is_empty() || grants_admin(facts, docs) {
        return EscalationPaths { methods, grants };
    }
    for m in PRIVESC_METHODS {
        let found: Option<Vec<Grant>> = m
            .actions
            .iter()
            .map(|a| find_grant(facts, docs, a, m))
            .collect();
        if let Some(g) = found {
            methods.push(m);
            for x in g {
                if !grants
                    .iter()
                    .any(|y| std::ptr::eq(y.stmt, x.stmt) && y.action == x.action)
                {
                    grants.push(x);
                }
            }
        }
    }
    EscalationPaths { methods, grants }
}

/// The escalation methods the policies of principal `pi` grant in full (as
/// [`escalation_paths`] finds them), worked out for every principal of the unit on first use.
/// Facts must be complete: principals are not added once rules run.
pub fn principal_methods(facts: &Facts, pi: usize) -> &[&'static PrivescMethod] {
    facts
        .escalation
        .0
        .get_or_init(|| {
            facts
                .principals
                .iter()
                .map(|p| escalation_paths(facts, &principal_docs(facts, p)).methods)
                .collect()
        })
        .get(pi)
        .map_or(&[], Vec::as_slice)
}

/// Can principal `pi` escalate, or does it already hold full administration?
pub fn principal_is_powerful(facts: &Facts, pi: usize) -> bool {
    let Some(p) = facts.principals.get(pi) else {
        return false;
    };
    grants_admin(facts, &principal_docs(facts, p))
        || !principal_methods(facts, pi).is_empty()
        || p.managed
            .iter()
            .any(|m| m.arn.ends_with(":policy/AdministratorAccess"))
}

pub struct PrivilegeEscalation;

impl PrivilegeEscalation {
    fn hit(
        &self,
        paths: &EscalationPaths,
        primary: crate::source::Span,
        address: &str,
        subject: &str,
    ) -> Hit {
        let names: Vec<String> = paths
            .methods
            .iter()
            .map(|m| format!("{} ({})", m.name, m.actions.join(" + ")))
            .collect();
        let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let iam_only = paths.methods.iter().any(|m| m.kind == MethodKind::IamOnly);
        let all_conditioned = paths.grants.iter().all(|g| g.stmt.has_conditions());
        let sev = lowered(
            if iam_only {
                Severity::Critical
            } else {
                Severity::High
            },
            all_conditioned,
        );
        let mut h = Hit::new(
            self.id(),
            primary,
            address,
            format!(
                "{subject} can escalate its privileges: {}",
                short_list(&name_refs, 3)
            ),
        )
        .label("privilege escalation")
        .severity(sev)
        .classes(vec![PrivilegeClass::Privesc]);
        let mut grants: Vec<&Grant> = paths.grants.iter().collect();
        grants.sort_by_key(|g| (g.stmt.span.file, g.stmt.span.start, g.action));
        for g in grants.iter().take(20) {
            h = h.related(
                g.stmt.action_anchor(g.action),
                format!("grants {}", g.action),
            );
        }
        if all_conditioned {
            h = h.confidence(Confidence::Medium);
        }
        h
    }
}

impl Rule for PrivilegeEscalation {
    fn id(&self) -> &'static str {
        "iam-privilege-escalation-combo"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        let mut attached: Vec<usize> = Vec::new();
        for (pi, p) in facts.principals.iter().enumerate() {
            let docs = principal_docs(facts, p);
            attached.extend(docs.iter().copied());
            if principal_methods(facts, pi).is_empty() {
                continue;
            }
            let paths = escalation_paths(facts, &docs);
            let mut h = self.hit(
                &paths,
                p.span,
                &p.address,
                &format!(
                    "{} {}",
                    p.kind.noun(),
                    p.name.as_deref().unwrap_or(&p.address)
                ),
            );
            if p.has_boundary {
                h = h.confidence(Confidence::Low);
            }
            out.push(h);
        }
        // Documents no principal of the scan uses: judge them on their own.
        for (di, d) in identity_docs(facts) {
            if attached.contains(&di) {
                continue;
            }
            let paths = escalation_paths(facts, &[di]);
            let Some(first) = paths
                .grants
                .iter()
                .min_by_key(|g| (g.stmt.span.start, g.action))
            else {
                continue;
            };
            let anchor = first.stmt.action_anchor(first.action);
            out.push(
                self.hit(
                    &paths,
                    anchor,
                    &d.address,
                    "any principal given this policy",
                )
                .context(d.host),
            );
        }
    }
}

// ----------------------------------------------------------------------------------------

pub struct PassRoleUnrestricted;

impl Rule for PassRoleUnrestricted {
    fn id(&self) -> &'static str {
        "iam-passrole-unrestricted"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        table_rule(
            cx,
            out,
            &["iam:PassRole"],
            |s| s.broad_resources() == Tri::Yes && !s.has_condition_key("iam:PassedToService"),
            |d, s, _, v| {
                Some(
                    Hit::new(
                        self.id(),
                        v.span,
                        &d.address,
                        "iam:PassRole on any role without an iam:PassedToService condition",
                    )
                    .label("iam:PassRole")
                    .context(d.host)
                    .severity(lowered(Severity::High, s.has_conditions()))
                    .classes(vec![PrivilegeClass::Privesc]),
                )
            },
        );
    }
}

pub struct PermissionsManagement;

impl Rule for PermissionsManagement {
    fn id(&self) -> &'static str {
        "iam-permissions-management-unscoped"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        table_rule(
            cx,
            out,
            PERMISSIONS_MANAGEMENT,
            |s| s.broad_resources() == Tri::Yes,
            |d, s, matched, v| {
                let critical = matched
                    .iter()
                    .any(|a| PERMISSIONS_MANAGEMENT_CRITICAL.contains(a));
                let boundary = s.has_condition_key("iam:PermissionsBoundary");
                let sev = lowered(
                    if critical {
                        Severity::Critical
                    } else {
                        Severity::High
                    },
                    s.has_conditions() || boundary,
                );
                Some(
                    Hit::new(
                        self.id(),
                        v.span,
                        &d.address,
                        format!(
                            "permissions management on any resource: {}",
                            short_list(matched, 4)
                        ),
                    )
                    .label("changes who can do what")
                    .context(d.host)
                    .severity(sev)
                    .classes(vec![PrivilegeClass::IamModification]),
                )
            },
        );
    }
}

pub struct CredentialMinting;

impl Rule for CredentialMinting {
    fn id(&self) -> &'static str {
        "iam-credential-minting-actions"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        if cx.facts.policies.is_empty() {
            return; // most files hold no IAM policy: skip building the table
        }
        let table: Vec<&str> = CREDENTIAL_MINTING
            .iter()
            .copied()
            .filter(|a| !MINTING_ONLY_ON_STAR.contains(a))
            .collect();
        table_rule(
            cx,
            out,
            &table,
            |s| s.broad_resources() == Tri::Yes,
            |d, s, matched, v| {
                Some(
                    Hit::new(
                        self.id(),
                        v.span,
                        &d.address,
                        format!(
                            "credential-issuing actions on any resource: {}",
                            short_list(matched, 4)
                        ),
                    )
                    .label("mints credentials")
                    .context(d.host)
                    .severity(lowered(Severity::High, s.has_conditions()))
                    .classes(vec![PrivilegeClass::CredExposure]),
                )
            },
        );
    }
}

pub struct SecretRead;

impl Rule for SecretRead {
    fn id(&self) -> &'static str {
        "iam-secret-read-unscoped"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let needs = |s: &Statement| {
            s.broad_resources() == Tri::Yes
                && !s.has_condition_prefix("secretsmanager:ResourceTag/")
                && !s.has_condition_prefix("aws:ResourceTag/")
                && !s.has_condition_prefix("kms:ViaService")
                && !s.has_condition_prefix("kms:EncryptionContext")
                && !s.has_condition_prefix("ssm:resourceTag/")
        };
        table_rule(cx, out, SECRET_READ, needs, |d, s, matched, v| {
            let only_s3 = matched.iter().all(|a| *a == "s3:GetObject");
            let sev = lowered(
                if only_s3 {
                    Severity::Medium
                } else {
                    Severity::High
                },
                s.has_conditions(),
            );
            Some(
                Hit::new(
                    self.id(),
                    v.span,
                    &d.address,
                    format!("reads secrets on any resource: {}", short_list(matched, 4)),
                )
                .label("reads every secret")
                .context(d.host)
                .severity(sev)
                .classes(vec![PrivilegeClass::CredExposure]),
            )
        });
    }
}

pub struct DestructiveActions;

impl Rule for DestructiveActions {
    fn id(&self) -> &'static str {
        "iam-destructive-actions-unscoped"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let table: Vec<&str> = INFRA_DESTRUCTION
            .iter()
            .chain(DEFENCE_EVASION)
            .copied()
            .collect();
        let needs = |s: &Statement| {
            s.all_resources() == Tri::Yes && !s.has_condition_prefix("aws:ResourceTag/")
        };
        table_rule(cx, out, &table, needs, |d, s, matched, v| {
            let evasion = matched.iter().any(|a| DEFENCE_EVASION.contains(a));
            let destroy = matched.iter().any(|a| INFRA_DESTRUCTION.contains(a));
            let sev = lowered(
                if evasion && destroy {
                    Severity::High
                } else {
                    Severity::Medium
                },
                s.has_conditions(),
            );
            let what = if evasion && !destroy {
                "disables logging or detection on any resource"
            } else {
                "deletes resources anywhere"
            };
            Some(
                Hit::new(
                    self.id(),
                    v.span,
                    &d.address,
                    format!("{what}: {}", short_list(matched, 4)),
                )
                .label("destructive")
                .context(d.host)
                .severity(sev)
                .classes(vec![PrivilegeClass::InfraDestruction]),
            )
        });
    }
}
