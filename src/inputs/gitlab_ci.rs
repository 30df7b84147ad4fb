//! GitLab CI configurations (`.gitlab-ci.yml` and files that look like one) into pipeline
//! facts. Anchors and merge keys are resolved by the YAML reader; `extends` is resolved here
//! within the file (hashes merged deeply, other values replaced, as GitLab does).

use super::github_actions::vars;
use crate::model::pipeline::{IdToken, Job, Pipeline, PipelineKind, Platform, Var};
use crate::parse::doc::{Entry, Node, Value};

/// Top-level keys that are configuration, not jobs.
const RESERVED: &[&str] = &[
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "workflow",
    "default",
    "spec",
];

/// Does this document look like a GitLab CI configuration? (a job with `script`, or the
/// reserved keys GitLab uses)
pub fn is_gitlab(root: &Node, file_name: &str) -> bool {
    if file_name == ".gitlab-ci.yml" || file_name == ".gitlab-ci.yaml" {
        return root.as_map().is_some();
    }
    let Some(map) = root.as_map() else {
        return false;
    };
    let jobs_with_script = map.iter().any(|e| {
        e.key.as_str().is_some_and(|k| !RESERVED.contains(&k))
            && (e.value.get("script").is_some() || e.value.get("trigger").is_some())
    });
    jobs_with_script
        && (map
            .iter()
            .any(|e| e.key.as_str().is_some_and(|k| RESERVED.contains(&k)))
            || map.iter().any(|e| e.value.get("stage").is_some()))
}

/// Merge `over` onto `base`: mappings deeply, everything else replaced.
fn merge(base: &Node, over: &Node) -> Node {
    match (&base.value, &over.value) {
        (Value::Map(b), Value::Map(o)) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(b.len() + o.len());
            for e in b {
                let k = e.key.as_str();
                match o.iter().rev().find(|x| x.key.as_str() == k && k.is_some()) {
                    Some(x) => entries.push(Entry {
                        key: x.key.clone(),
                        value: merge(&e.value, &x.value),
                    }),
                    None => entries.push(e.clone()),
                }
            }
            for x in o {
                let k = x.key.as_str();
                if !b.iter().any(|e| e.key.as_str() == k && k.is_some()) {
                    entries.push(x.clone());
                }
            }
            Node::new(over.span, Value::Map(entries))
        }
        _ => over.clone(),
    }
}

/// A job with its `extends` chain applied (bounded: GitLab allows 11 levels).
fn resolve(root: &Node, job: &Node, depth: usize) -> Node {
    let Some(ext) = job.get("extends") else {
        return job.clone();
    };
    if depth > 11 {
        return job.clone();
    }
    let mut base: Option<Node> = None;
    for parent in ext.one_or_many() {
        let Some(name) = parent.as_str() else {
            continue;
        };
        let Some(p) = root.get(name) else { continue };
        let p = resolve(root, p, depth + 1);
        base = Some(match base {
            Some(b) => merge(&b, &p),
            None => p,
        });
    }
    match base {
        Some(b) => merge(&b, job),
        None => job.clone(),
    }
}

fn script_lines(n: Option<&Node>, out: &mut Vec<(String, crate::source::Span)>) {
    let Some(n) = n else { return };
    for item in n.one_or_many() {
        match &item.value {
            Value::Seq(inner) => {
                for i in inner {
                    if let Some(s) = i.as_str() {
                        out.push((s.to_owned(), i.span));
                    }
                }
            }
            _ => {
                if let Some(s) = item.as_str() {
                    out.push((s.to_owned(), item.span));
                }
            }
        }
    }
}

/// GitLab `variables:` values may be scalars or `{value, description}` mappings.
fn gitlab_vars(n: Option<&Node>) -> Vec<Var> {
    let Some(map) = n.and_then(Node::as_map) else {
        return Vec::new();
    };
    let flat: Vec<Entry> = map
        .iter()
        .map(|e| match e.value.get("value") {
            Some(v) => Entry {
                key: e.key.clone(),
                value: v.clone(),
            },
            None => e.clone(),
        })
        .collect();
    let node = Node::new(n.map(|x| x.span).unwrap_or_default(), Value::Map(flat));
    vars(Some(&node), Platform::GitlabCi)
}

fn id_tokens(n: Option<&Node>) -> Vec<IdToken> {
    let Some(map) = n.and_then(Node::as_map) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|e| {
            let aud = e
                .value
                .get("aud")
                .map(|a| {
                    a.one_or_many()
                        .iter()
                        .filter_map(|x| x.as_str().map(|s| (s.to_owned(), x.span)))
                        .collect()
                })
                .unwrap_or_default();
            Some(IdToken {
                name: e.key.as_str()?.to_owned(),
                span: e.key.span,
                aud,
            })
        })
        .collect()
}

fn conditions(job: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for r in job.get("rules").and_then(Node::as_seq).unwrap_or(&[]) {
        // `when: never` excludes rather than runs; a rule that is not a mapping
        // (`!reference [...]`) is unknown and not guessed.
        if r.as_map().is_none() || r.get("when").and_then(Node::as_str) == Some("never") {
            continue;
        }
        // A rule without `if` (only `changes:`, `exists:` or `when:`) runs on any ref.
        out.push(r.get("if").and_then(Node::as_str).unwrap_or("").to_owned());
    }
    if let Some(only) = job.get("only") {
        let refs = only.get("refs").unwrap_or(only);
        for r in refs.one_or_many() {
            if let Some(s) = r.as_str() {
                out.push(format!("only:{s}"));
            }
        }
    }
    out
}

/// A job runs when a `workflow:rules` entry and one of its own conditions both hold: pair
/// them with `&&` (no workflow rules: the job's alone).
fn with_workflow(workflow: &[String], job: Vec<String>) -> Vec<String> {
    if workflow.is_empty() {
        return job;
    }
    if job.is_empty() {
        return workflow.to_vec();
    }
    workflow
        .iter()
        .flat_map(|w| job.iter().map(move |c| format!("{w} && {c}")))
        .collect()
}

pub fn extract(root: &Node, address: &str) -> Option<Pipeline> {
    let map = root.as_map()?;
    let default = root.get("default");
    let workflow = root.get("workflow").map(conditions).unwrap_or_default();
    let mut jobs = Vec::new();
    for e in map {
        let Some(id) = e.key.as_str() else { continue };
        if RESERVED.contains(&id) || e.value.as_map().is_none() {
            continue;
        }
        let resolved = resolve(root, &e.value, 0);
        let j = &resolved;
        let mut script = Vec::new();
        for key in ["before_script", "script", "after_script"] {
            script_lines(
                j.get(key).or_else(|| {
                    if key == "script" {
                        None
                    } else {
                        default.and_then(|d| d.get(key))
                    }
                }),
                &mut script,
            );
        }
        let environment = j.get("environment").and_then(|env| match &env.value {
            Value::Map(_) => env
                .get("name")
                .and_then(|n| n.as_str().map(|s| (s.to_owned(), n.span))),
            _ => env.as_str().map(|s| (s.to_owned(), env.span)),
        });
        let mut id_tokens = id_tokens(j.get("id_tokens"));
        if id_tokens.is_empty() {
            id_tokens =
                crate::inputs::gitlab_ci::id_tokens(default.and_then(|d| d.get("id_tokens")));
        }
        jobs.push(Job {
            id: id.to_owned(),
            key_span: e.key.span,
            span: e.key.span.cover(e.value.full_span()),
            permissions: None,
            environment,
            uses: None,
            secrets_inherit: None,
            secrets_passed: Vec::new(),
            env: gitlab_vars(j.get("variables")),
            steps: Vec::new(),
            registry_credentials: Vec::new(),
            conditions: with_workflow(&workflow, conditions(j)),
            id_tokens,
            script,
            template: id.starts_with('.'),
        });
    }
    Some(Pipeline {
        platform: Platform::GitlabCi,
        kind: PipelineKind::GitlabConfig,
        address: address.to_owned(),
        span: root.full_span(),
        triggers: Vec::new(),
        on_span: None,
        permissions: None,
        env: gitlab_vars(root.get("variables")),
        jobs,
        default_id_tokens: default
            .and_then(|d| d.entry("id_tokens"))
            .map(|e| e.key.span),
    })
}
