//! `terraform show -json` output: a plan (`planned_values`, with `resource_changes` and
//! `prior_state`) or a state (`values`). Each resource's `values` object is the resource as it
//! will be (or is): its attributes are final values, so it is read as a `.tf.json` resource
//! body whose strings are literal, addressed as the plan addresses it
//! (`module.ci.aws_iam_role.this[0]`), by the same extractors as Terraform source. Findings
//! point into the plan file: a policy held in a JSON string points at that string.
//!
//! Data sources are skipped, except `aws_iam_policy_document`s whose JSON no resource holds
//! (unknown until apply: `read` in `resource_changes`, the roles' policies then unknown too):
//! what a used one computes is already in the values of the resources that use it, and
//! reading both would report each statement twice.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::PathBuf;

use super::body::{BlockRef, BodyRef, Inst};
use super::eval::{Evaluator, FileAccess, index_key};
use super::{aws, azure, ci_providers, gcp, kubernetes};
use crate::model::Facts;
use crate::parse::doc::{Node, Value};
use crate::source::Sources;

/// Does this JSON text look like `terraform show -json` output? Cheap, before parsing: the two
/// version keys Terraform writes first, and a module tree.
pub fn sniff(text: &str) -> bool {
    let head = text.get(..4096).unwrap_or(text);
    head.contains("\"format_version\"")
        && head.contains("\"terraform_version\"")
        && text.contains("\"root_module\"")
}

/// The root module of the planned values, else of the state's values, else of the prior state.
fn root_module(root: &Node) -> Option<&Node> {
    root.path(&["planned_values", "root_module"])
        .or_else(|| root.path(&["values", "root_module"]))
        .or_else(|| root.path(&["prior_state", "values", "root_module"]))
}

/// Extract facts from a parsed plan or state. Returns false when it holds no module tree.
pub fn extract(mut root: Node, sources: &mut Sources, facts: &mut Facts) -> bool {
    if root_module(&root).is_none() {
        return false;
    }
    drop_unset(&mut root);
    let Some(module) = root_module(&root) else {
        return false;
    };
    let cell = RefCell::new(std::mem::take(sources));
    {
        let access = FileAccess {
            // Values are literal: nothing is read on the plan's behalf.
            root: PathBuf::from("/nonexistent-root-for-plans"),
            max_size: 0,
            cwd: None,
        };
        let ev = Evaluator::new(PathBuf::from("."), &cell, &[], &[], access).literal();
        let blocks = resources(module, root.get("resource_changes"));
        aws::extract(&ev, &blocks, facts);
        gcp::extract(&ev, &blocks, facts);
        azure::extract(&ev, &blocks, facts);
        ci_providers::extract(&ev, &blocks, facts);
        kubernetes::extract(&ev, &blocks, facts);
    }
    *sources = cell.into_inner();
    true
}

/// Every managed resource of the module tree (child modules walked with a stack, not
/// recursion), and the policy documents no resource holds, as blocks.
fn resources<'a>(module: &'a Node, changes: Option<&'a Node>) -> Vec<BlockRef<'a>> {
    let mut out = Vec::new();
    let mut docs: Vec<(BlockRef<'a>, Option<&'a str>)> = Vec::new();
    let mut stack: Vec<(&Node, String)> = vec![(module, String::new())];
    while let Some((m, prefix)) = stack.pop() {
        for r in m.get("resources").map(Node::one_or_many).unwrap_or(&[]) {
            if let Some(b) = resource(r, &prefix) {
                out.push(b);
            } else if let Some(d) = policy_document(r, r.get("values"), &prefix) {
                docs.push(d);
            }
        }
        let children = m.get("child_modules").map(Node::one_or_many).unwrap_or(&[]);
        // Pushed in reverse so that modules are read in the order the plan lists them.
        for c in children.iter().rev() {
            if let Some(addr) = c.get("address").and_then(Node::as_str) {
                stack.push((c, format!("{addr}.")));
            }
        }
    }
    // Documents read only at apply are in the changes, with what is known of them.
    for c in changes.map(Node::one_or_many).unwrap_or(&[]) {
        let prefix = c
            .get("module_address")
            .and_then(Node::as_str)
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        let after = c.path(&["change", "after"]);
        if let Some(d) = policy_document(c, after, &prefix)
            && !docs.iter().any(|(x, _)| same_block(x, &d.0))
        {
            docs.push(d);
        }
    }
    if !docs.is_empty() {
        let held = held_strings(&out);
        out.extend(
            docs.into_iter()
                .filter(|(_, json)| json.is_none_or(|j| !held.contains(j)))
                .map(|(b, _)| b),
        );
    }
    out
}

/// A `data "aws_iam_policy_document"` with its values, and its JSON when known.
fn policy_document<'a>(
    r: &'a Node,
    values: Option<&'a Node>,
    prefix: &str,
) -> Option<(BlockRef<'a>, Option<&'a str>)> {
    if r.get("mode").and_then(Node::as_str) != Some("data")
        || r.get("type").and_then(Node::as_str) != Some("aws_iam_policy_document")
    {
        return None;
    }
    let name = r.get("name")?.as_str()?;
    let values = values.filter(|v| v.as_map().is_some())?;
    let header = r
        .entry("address")
        .map(|e| e.key.span.cover(e.value.span))
        .unwrap_or(r.span);
    let key = r.get("index").and_then(index_key).unwrap_or_default();
    let b = BlockRef {
        ident: "data".into(),
        labels: vec!["aws_iam_policy_document".into(), name.to_owned()],
        header,
        full: r.full_span(),
        body: BodyRef::Json(values, Inst::NONE),
        module: prefix.to_owned(),
        key,
    };
    Some((b, values.get("json").and_then(Node::as_str)))
}

fn same_block(a: &BlockRef, b: &BlockRef) -> bool {
    a.module == b.module && a.labels == b.labels && a.key == b.key
}

/// Every string in the resources' values (a document whose JSON is among them is used).
fn held_strings<'a>(blocks: &[BlockRef<'a>]) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    let mut stack: Vec<&Node> = blocks
        .iter()
        .filter_map(|b| match b.body {
            BodyRef::Json(n, _) => Some(n),
            BodyRef::Hcl(..) => None,
        })
        .collect();
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Str(s) => {
                out.insert(s.as_str());
            }
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    out
}

fn resource<'a>(r: &'a Node, prefix: &str) -> Option<BlockRef<'a>> {
    if r.get("mode").and_then(Node::as_str) != Some("managed") {
        return None;
    }
    let t = r.get("type")?.as_str()?;
    let name = r.get("name")?.as_str()?;
    let values = r.get("values").filter(|v| v.as_map().is_some())?;
    // The header is the `"address": "..."` line: one line that names the resource.
    let header = r
        .entry("address")
        .map(|e| e.key.span.cover(e.value.span))
        .unwrap_or(r.span);
    let key = r.get("index").and_then(index_key).unwrap_or_default();
    Some(BlockRef {
        ident: "resource".into(),
        labels: vec![t.to_owned(), name.to_owned()],
        header,
        full: r.full_span(),
        body: BodyRef::Json(values, Inst::NONE),
        module: prefix.to_owned(),
        key,
    })
}

/// Plans list every attribute, set or not: `null` everywhere, and `""` for unset top-level
/// strings in states. Unset is absent in source; removing them keeps `permissions_boundary:
/// null` from reading as a boundary.
fn drop_unset(root: &mut Node) {
    let mut modules: Vec<&mut Node> = Vec::new();
    if let Value::Map(entries) = &mut root.value {
        for e in entries.iter_mut() {
            match (e.key.as_str(), &mut e.value.value) {
                (Some("planned_values" | "values"), _) => modules.push(&mut e.value),
                (Some("prior_state"), _) => {
                    if let Some(v) = map_get_mut(&mut e.value, "values") {
                        modules.push(v);
                    }
                }
                (Some("resource_changes"), Value::Seq(changes)) => {
                    for c in changes.iter_mut() {
                        if let Some(after) =
                            map_get_mut(c, "change").and_then(|ch| map_get_mut(ch, "after"))
                        {
                            strip(after);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut stack: Vec<&mut Node> = modules
        .into_iter()
        .filter_map(|m| map_get_mut(m, "root_module"))
        .collect();
    while let Some(m) = stack.pop() {
        let Value::Map(entries) = &mut m.value else {
            continue;
        };
        for e in entries.iter_mut() {
            match (e.key.as_str(), &mut e.value.value) {
                (Some("resources"), Value::Seq(rs)) => {
                    for r in rs.iter_mut() {
                        if let Some(v) = map_get_mut(r, "values") {
                            strip(v);
                        }
                    }
                }
                (Some("child_modules"), Value::Seq(cs)) => stack.extend(cs.iter_mut()),
                _ => {}
            }
        }
    }
}

/// Remove `null` everywhere in a resource's values, and `""` among its top-level attributes.
fn strip(values: &mut Node) {
    if let Value::Map(entries) = &mut values.value {
        entries.retain(|e| !matches!(&e.value.value, Value::Str(s) if s.is_empty()));
    }
    let mut stack: Vec<&mut Node> = vec![values];
    while let Some(n) = stack.pop() {
        match &mut n.value {
            Value::Map(entries) => {
                entries.retain(|e| !e.value.is_null());
                stack.extend(entries.iter_mut().map(|e| &mut e.value));
            }
            Value::Seq(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

fn map_get_mut<'a>(n: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut n.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|e| e.key.as_str() == Some(key))
            .map(|e| &mut e.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_plans_and_states_only() {
        assert!(sniff(
            r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{}}}"#
        ));
        assert!(!sniff(r#"{"Version":"2012-10-17","Statement":[]}"#));
        assert!(!sniff(r#"{"format_version":"1.0","root_module":{}}"#));
    }
}
