//! GitHub Actions workflows (`.github/workflows/*.yml`, or any YAML whose jobs have `runs-on`
//! or `steps`) and composite actions (`action.yml` with `runs.using: composite`) into
//! pipeline facts.

use crate::model::pipeline::{
    Job, Permissions, Pipeline, PipelineKind, Platform, Step, Trigger, Var, expr_refs, is_literal,
};
use crate::parse::doc::{Node, Value};

/// A workflow: top-level `jobs` whose entries look like jobs.
pub fn is_workflow(root: &Node) -> bool {
    root.get("jobs").and_then(Node::as_map).is_some_and(|jobs| {
        !jobs.is_empty()
            && jobs.iter().any(|j| {
                j.value.get("runs-on").is_some()
                    || j.value.get("steps").is_some()
                    || j.value.get("uses").is_some()
            })
    })
}

/// An action metadata file: `runs.using`.
pub fn is_action(root: &Node) -> bool {
    root.path(&["runs", "using"]).is_some()
}

/// Values of a mapping (`env:`, `with:`, `secrets:`) as vars.
pub fn vars(n: Option<&Node>, platform: Platform) -> Vec<Var> {
    let Some(map) = n.and_then(Node::as_map) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|e| {
            let name = e.key.as_str()?.to_owned();
            let value = scalar_text(&e.value);
            let refs = match platform {
                Platform::GithubActions => expr_refs(&value, e.value.span),
                Platform::GitlabCi => crate::model::pipeline::gitlab_refs(&value, e.value.span),
            };
            Some(Var {
                literal: is_literal(&value, platform) && !e.value.is_null(),
                name,
                name_span: e.key.span,
                value,
                value_span: e.value.span,
                refs,
            })
        })
        .collect()
}

fn scalar_text(n: &Node) -> String {
    match &n.value {
        Value::Str(s) | Value::Number(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

pub fn permissions(n: Option<&crate::parse::doc::Entry>) -> Option<Permissions> {
    let e = n?;
    let mut p = Permissions {
        key_span: e.key.span,
        all: None,
        scopes: Vec::new(),
    };
    match &e.value.value {
        Value::Str(s) => p.all = Some((s.clone(), e.value.span)),
        Value::Map(m) if m.is_empty() => p.all = Some(("{}".into(), e.value.span)),
        Value::Map(m) => {
            for s in m {
                if let (Some(k), Some(v)) = (s.key.as_str(), s.value.as_str()) {
                    p.scopes.push((k.to_owned(), v.to_owned(), s.value.span));
                }
            }
        }
        _ => {}
    }
    Some(p)
}

fn triggers(root: &Node) -> (Vec<Trigger>, Option<crate::source::Span>) {
    // YAML 1.2 keeps `on` a string; a YAML 1.1-minded author's `true:` is not a workflow.
    let Some(e) = root.entry("on") else {
        return (Vec::new(), None);
    };
    let mut out = Vec::new();
    match &e.value.value {
        Value::Str(s) => out.push(Trigger {
            name: s.clone(),
            span: e.value.span,
        }),
        Value::Seq(items) => {
            for i in items {
                if let Some(s) = i.as_str() {
                    out.push(Trigger {
                        name: s.to_owned(),
                        span: i.span,
                    });
                }
            }
        }
        Value::Map(m) => {
            for t in m {
                if let Some(s) = t.key.as_str() {
                    out.push(Trigger {
                        name: s.to_owned(),
                        span: t.key.span,
                    });
                }
            }
        }
        _ => {}
    }
    (out, Some(e.key.span))
}

fn steps(n: Option<&Node>) -> Vec<Step> {
    n.and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter(|s| s.as_map().is_some())
        .map(|s| Step {
            name: s.get("name").and_then(Node::as_str).map(str::to_owned),
            uses: s
                .get("uses")
                .and_then(|u| u.as_str().map(|t| (t.to_owned(), u.span))),
            with: vars(s.get("with"), Platform::GithubActions),
            env: vars(s.get("env"), Platform::GithubActions),
            run: s
                .get("run")
                .and_then(|r| r.as_str().map(|t| (t.to_owned(), r.span))),
            span: s.full_span(),
        })
        .collect()
}

fn credentials(n: Option<&Node>, out: &mut Vec<Var>) {
    if let Some(c) = n.and_then(|c| c.get("credentials")) {
        out.extend(
            vars(Some(c), Platform::GithubActions)
                .into_iter()
                .filter(|v| v.name == "password"),
        );
    }
}

fn job(id: &str, e: &crate::parse::doc::Entry) -> Job {
    let j = &e.value;
    let environment = j.get("environment").and_then(|env| match &env.value {
        Value::Map(_) => env
            .get("name")
            .and_then(|n| n.as_str().map(|s| (s.to_owned(), n.span))),
        _ => env.as_str().map(|s| (s.to_owned(), env.span)),
    });
    let secrets = j.entry("secrets");
    let secrets_inherit = secrets
        .filter(|s| s.value.as_str() == Some("inherit"))
        .map(|s| s.value.span);
    let mut registry_credentials = Vec::new();
    credentials(j.get("container"), &mut registry_credentials);
    if let Some(services) = j.get("services").and_then(Node::as_map) {
        for s in services {
            credentials(Some(&s.value), &mut registry_credentials);
        }
    }
    Job {
        id: id.to_owned(),
        key_span: e.key.span,
        span: e.key.span.cover(j.full_span()),
        permissions: permissions(j.entry("permissions")),
        environment,
        uses: j
            .get("uses")
            .and_then(|u| u.as_str().map(|s| (s.to_owned(), u.span))),
        secrets_inherit,
        secrets_passed: if secrets_inherit.is_some() {
            Vec::new()
        } else {
            vars(secrets.map(|s| &s.value), Platform::GithubActions)
        },
        env: vars(j.get("env"), Platform::GithubActions),
        steps: steps(j.get("steps")),
        registry_credentials,
        conditions: j
            .get("if")
            .and_then(Node::as_str)
            .map(|c| vec![c.to_owned()])
            .unwrap_or_default(),
        id_tokens: Vec::new(),
        script: Vec::new(),
        template: false,
    }
}

/// Read a workflow or composite action.
pub fn extract(root: &Node, address: &str) -> Option<Pipeline> {
    if is_workflow(root) {
        let (triggers, on_span) = triggers(root);
        let kind = if triggers.iter().any(|t| t.name == "workflow_call") {
            PipelineKind::ReusableWorkflow
        } else {
            PipelineKind::Workflow
        };
        let jobs = root
            .get("jobs")
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| Some(job(e.key.as_str()?, e)))
            .collect();
        return Some(Pipeline {
            platform: Platform::GithubActions,
            kind,
            address: address.to_owned(),
            span: root.full_span(),
            triggers,
            on_span,
            permissions: permissions(root.entry("permissions")),
            env: vars(root.get("env"), Platform::GithubActions),
            jobs,
            default_id_tokens: None,
        });
    }
    if is_action(root) {
        let runs = root.entry("runs")?;
        let composite = Job {
            id: "composite".into(),
            key_span: runs.key.span,
            span: runs.key.span.cover(runs.value.full_span()),
            permissions: None,
            environment: None,
            uses: None,
            secrets_inherit: None,
            secrets_passed: Vec::new(),
            env: vars(runs.value.get("env"), Platform::GithubActions),
            steps: steps(runs.value.get("steps")),
            registry_credentials: Vec::new(),
            conditions: Vec::new(),
            id_tokens: Vec::new(),
            script: Vec::new(),
            template: false,
        };
        return Some(Pipeline {
            platform: Platform::GithubActions,
            kind: PipelineKind::CompositeAction,
            address: address.to_owned(),
            span: root.full_span(),
            triggers: Vec::new(),
            on_span: None,
            permissions: None,
            env: Vec::new(),
            jobs: vec![composite],
            default_id_tokens: None,
        });
    }
    None
}
