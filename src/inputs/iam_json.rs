//! Stand-alone AWS IAM JSON: a policy document (identity, trust or resource policy), a policy
//! wrapped by the AWS CLI (`{"Policy": ...}`, `{"PolicyVersion": {"Document": ...}}`,
//! `{"Role": {"AssumeRolePolicyDocument": ...}}`), or a whole account's
//! `get-account-authorization-details` export, whose users, groups and roles become principals
//! with the policies attached to them.

use std::collections::HashMap;

use super::terraform::aws::infer_kind;
use crate::model::Facts;
use crate::model::aws::{AttachedArn, Attachment, AwsPrincipal, PrincipalKind};
use crate::model::iam::{PolicyDocument, PolicyKind};
use crate::parse::doc::{Node, Value};

/// Does this JSON text look like IAM? A cheap check before parsing.
pub fn sniff(text: &str) -> bool {
    let has = |needle: &str| text.contains(needle);
    has("\"Statement\"")
        || has("\"statement\"")
        || has("\"UserDetailList\"")
        || has("\"RoleDetailList\"")
}

/// Extract policies (and, for authorization details, principals) from a parsed JSON file.
/// Returns false when the document holds nothing IAM-shaped.
pub fn extract(root: &Node, display: &str, facts: &mut Facts) -> bool {
    if root.get("UserDetailList").is_some()
        || root.get("RoleDetailList").is_some()
        || root.get("GroupDetailList").is_some()
    {
        authorization_details(root, display, facts);
        return true;
    }
    let before = facts.policies.len();
    find_documents(root, display, "", None, facts, 0);
    facts.policies.len() > before
}

/// Walk the tree for objects with a `Statement`, naming each by its JSON path.
fn find_documents(
    n: &Node,
    display: &str,
    path: &str,
    parent_key: Option<&str>,
    facts: &mut Facts,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    match &n.value {
        Value::Map(entries) => {
            if n.get_ci("Statement").is_some() {
                let kind = match parent_key {
                    Some(k) if k.eq_ignore_ascii_case("AssumeRolePolicyDocument") => {
                        PolicyKind::Trust
                    }
                    Some(k) if k.eq_ignore_ascii_case("PermissionsBoundary") => {
                        PolicyKind::Guardrail
                    }
                    _ => PolicyKind::Identity,
                };
                let address = if path.is_empty() {
                    display.to_owned()
                } else {
                    format!("{display}#{path}")
                };
                // A whole-file policy is declared by its `Statement` key, not by line 1.
                let host = match (path.is_empty(), n.entry_ci("Statement")) {
                    (true, Some(e)) => e.key.span,
                    _ => n.span,
                };
                if let Some(mut doc) = PolicyDocument::from_node(n, kind, address, host) {
                    if kind == PolicyKind::Identity {
                        doc.kind = infer_kind(&doc.statements);
                    }
                    facts.policies.push(doc);
                }
                return;
            }
            for e in entries {
                let Some(k) = e.key.as_str() else { continue };
                let p = if path.is_empty() {
                    k.to_owned()
                } else {
                    format!("{path}.{k}")
                };
                find_documents(&e.value, display, &p, Some(k), facts, depth + 1);
            }
        }
        Value::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                find_documents(it, display, &p, parent_key, facts, depth + 1);
            }
        }
        _ => {}
    }
}

fn authorization_details(root: &Node, display: &str, facts: &mut Facts) {
    // Managed policies exported with the account: their default version's document.
    let mut by_arn: HashMap<String, usize> = HashMap::new();
    if let Some(pols) = root.get("Policies").and_then(Node::as_seq) {
        for p in pols {
            let Some(arn) = p.get("Arn").and_then(Node::as_str) else {
                continue;
            };
            let default = p.get("DefaultVersionId").and_then(Node::as_str);
            let versions = p
                .get("PolicyVersionList")
                .and_then(Node::as_seq)
                .unwrap_or(&[]);
            let doc = versions
                .iter()
                .find(|v| {
                    v.get("IsDefaultVersion").and_then(Node::as_bool) == Some(true)
                        || (default.is_some()
                            && v.get("VersionId").and_then(Node::as_str) == default)
                })
                .and_then(|v| v.get("Document"));
            let Some(doc) = doc else { continue };
            let name = p.get("PolicyName").and_then(Node::as_str).unwrap_or(arn);
            if let Some(mut d) = PolicyDocument::from_node(
                doc,
                PolicyKind::Identity,
                format!("{display}#policy/{name}"),
                p.span,
            ) {
                d.aws_managed = arn.contains(":iam::aws:policy/");
                facts.policies.push(d);
                by_arn.insert(arn.to_owned(), facts.policies.len() - 1);
            }
        }
    }
    let mut groups: HashMap<String, usize> = HashMap::new();
    for (list, kind, name_key, inline_key) in [
        (
            "GroupDetailList",
            PrincipalKind::Group,
            "GroupName",
            "GroupPolicyList",
        ),
        (
            "UserDetailList",
            PrincipalKind::User,
            "UserName",
            "UserPolicyList",
        ),
        (
            "RoleDetailList",
            PrincipalKind::Role,
            "RoleName",
            "RolePolicyList",
        ),
    ] {
        for item in root.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
            let Some(name_node) = item.get(name_key) else {
                continue;
            };
            let name = name_node.as_str().unwrap_or("").to_owned();
            let address = format!("{display}#{}/{name}", kind.noun());
            let idx = facts.principals.len();
            let mut pr = AwsPrincipal {
                kind,
                address: address.clone(),
                name: Some(name.clone()),
                span: name_node.span,
                trust: None,
                policies: Vec::new(),
                managed: Vec::new(),
                groups: Vec::new(),
                has_boundary: item.get("PermissionsBoundary").is_some(),
                function: None,
            };
            if let Some(t) = item.get("AssumeRolePolicyDocument")
                && let Some(d) =
                    PolicyDocument::from_node(t, PolicyKind::Trust, address.clone(), t.span)
            {
                facts.policies.push(d);
                pr.trust = Some(facts.policies.len() - 1);
            }
            for ip in item.get(inline_key).and_then(Node::as_seq).unwrap_or(&[]) {
                let Some(doc) = ip.get("PolicyDocument") else {
                    continue;
                };
                let pname = ip
                    .get("PolicyName")
                    .and_then(Node::as_str)
                    .unwrap_or("inline");
                if let Some(d) = PolicyDocument::from_node(
                    doc,
                    PolicyKind::Identity,
                    format!("{address}/{pname}"),
                    ip.span,
                ) {
                    facts.policies.push(d);
                    pr.policies.push(facts.policies.len() - 1);
                }
            }
            for mp in item
                .get("AttachedManagedPolicies")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                let Some(arn_node) = mp.get("PolicyArn") else {
                    continue;
                };
                let arn = arn_node.as_str().unwrap_or("").to_owned();
                let policy = by_arn.get(&arn).copied();
                if let Some(d) = policy {
                    pr.policies.push(d);
                }
                facts.attachments.push(Attachment {
                    principal: Some(idx),
                    target_text: address.clone(),
                    policy,
                    arn: Some(arn.clone()),
                    span: arn_node.span,
                    via: address.clone(),
                });
                pr.managed.push(AttachedArn {
                    arn,
                    span: arn_node.span,
                    via: address.clone(),
                });
            }
            if kind == PrincipalKind::User {
                for g in item.get("GroupList").and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(gi) = g.as_str().and_then(|g| groups.get(g)) {
                        pr.groups.push(*gi);
                    }
                }
            }
            if kind == PrincipalKind::Group {
                groups.insert(name.clone(), idx);
            }
            facts.principals.push(pr);
        }
    }
}
