//! Helm chart templates as Kubernetes manifests: a YAML file under a chart's `templates/`
//! is rendered with the chart's default `values.yaml` ([`crate::parse::helm`]), parsed, and
//! read like any manifest. Its facts point at the template's own lines, carry what must hold
//! for the object to be created, and live in the release namespace unless they name another.

use std::path::Path;

use super::kubernetes;
use crate::model::Facts;
use crate::model::rbac::{K8sFacts, Meta};
use crate::parse::doc::{Node, Value};
use crate::parse::helm::{self, Chart, Rendered};
use crate::parse::yaml::{self, Budget};
use crate::report::{Diagnostic, Level};
use crate::source::{FileId, SourceFile, Span};
use crate::suppress::{self, InlineIgnore};

/// The namespace of objects that do not name one: Helm installs them into the release's.
pub const RELEASE_NAMESPACE: &str = "{{ .Release.Namespace }}";

/// The chart a file is a template of: a YAML file below `templates/` of the nearest directory
/// holding a `Chart.yaml` (partials such as `_helpers.yaml` included: [`analyse`] skips them;
/// `_helpers.tpl` and `NOTES.txt` are not YAML files and never get here).
pub fn template_chart(path: &Path) -> Option<&Path> {
    // Cheap before any filesystem access: most YAML files are not in a `templates/` dir.
    if !path.components().any(|c| c.as_os_str() == "templates") {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
        return None;
    }
    let root = kubernetes::chart_root(path)?;
    if !(root.join("Chart.yaml").is_file() || root.join("Chart.yml").is_file()) {
        return None;
    }
    let first = path.strip_prefix(root).ok()?.components().next()?;
    (first.as_os_str() == "templates").then_some(root)
}

/// The chart's defaults: `values.yaml` (an empty map when there is none, unknown when it
/// cannot be read within `max` bytes or does not parse) and the `Chart.yaml` fields templates
/// use. Read per template: small, and units are files.
pub fn load_chart(root: &Path, max: u64) -> Chart {
    let read = |name: &str| -> Option<Result<Node, ()>> {
        let path = root.join(name);
        if !path.is_file() {
            return None;
        }
        let parsed = super::read_text(&path, name.to_owned(), max)
            .map_err(|_| ())
            .and_then(|f| {
                yaml::parse_stream(&f.text, FileId(0), 0, Budget::default()).map_err(|_| ())
            })
            .map(|docs| {
                docs.into_iter()
                    .map(|d| d.root)
                    .find(|r| !r.is_null())
                    .unwrap_or_else(|| Node::new(Span::default(), Value::Map(Vec::new())))
            });
        Some(parsed)
    };
    let values = match read("values.yaml") {
        None => Some(Node::new(Span::default(), Value::Map(Vec::new()))),
        Some(Ok(v)) if v.as_map().is_some() => Some(v),
        Some(Ok(v)) if v.is_null() => Some(Node::new(Span::default(), Value::Map(Vec::new()))),
        Some(_) => None,
    };
    let meta = read("Chart.yaml").and_then(Result::ok);
    let field = |k: &str| {
        meta.as_ref()
            .and_then(|m| m.get(k))
            .and_then(Node::as_str)
            .map(str::to_owned)
    };
    Chart {
        values,
        name: field("name"),
        version: field("version"),
        app_version: field("appVersion"),
    }
}

/// What reading one template gave.
pub struct Template {
    /// Kubernetes objects extracted into the facts.
    pub objects: usize,
    /// Suppression comments of the template.
    pub inline: Vec<InlineIgnore>,
}

/// Read the template `file` (the unit's file `id`) of the chart at `path`'s chart root into
/// `facts`. A template that cannot be rendered or whose rendering is not YAML gives one note
/// naming the construct, and nothing else.
pub fn analyse(
    path: &Path,
    file: &SourceFile,
    id: FileId,
    max: u64,
    facts: &mut Facts,
) -> Result<Template, Diagnostic> {
    let note = |msg: String, line: Option<u32>| {
        Diagnostic::error(&file.display, msg)
            .level(Level::Note)
            .at(line, None)
    };
    // Partials hold named templates, not manifests.
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('_'))
    {
        return Ok(Template {
            objects: 0,
            inline: Vec::new(),
        });
    }
    let chart = template_chart(path)
        .map(|root| load_chart(root, max))
        .unwrap_or_default();
    let rendered = helm::render(&file.text, &chart)
        .map_err(|e| note(format!("Helm template not read: {e}"), None))?;
    let docs = yaml::parse_stream(&rendered.text, id, 0, Budget::default()).map_err(|e| {
        let shown = e
            .line
            .map(|l| file.line_text(l).trim())
            .filter(|t| !t.is_empty())
            .map(|t| {
                let short: String = t.chars().take(80).collect();
                format!(" (`{short}`)")
            })
            .unwrap_or_default();
        let at = e.line.map(|l| format!(" at line {l}")).unwrap_or_default();
        note(
            format!(
                "Helm template not read: its rendering with default values is not YAML{at}{shown}: {}",
                e.message
            ),
            e.line,
        )
    })?;
    let mut roots: Vec<Node> = docs.into_iter().map(|d| d.root).collect();
    rendered.restore(&mut roots);
    let before = counts(&facts.k8s);
    let objects = kubernetes::extract(&roots, facts);
    annotate(&mut facts.k8s, before, &rendered, file);
    let inline = if file.text.contains("nhiaudit:") {
        suppress::scan(file, &suppress::yaml_blocks(&roots))
    } else {
        Vec::new()
    };
    Ok(Template { objects, inline })
}

fn counts(k: &K8sFacts) -> [usize; 5] {
    [
        k.roles.len(),
        k.bindings.len(),
        k.service_accounts.len(),
        k.secrets.len(),
        k.workloads.len(),
    ]
}

/// Give the objects extracted since `before` their template condition, and the release
/// namespace when they are namespaced and name none.
fn annotate(k: &mut K8sFacts, before: [usize; 5], rendered: &Rendered, file: &SourceFile) {
    let fix = |m: &mut Meta, namespaced: bool| {
        let first = file.line_col(m.span.start).line;
        let last = file
            .line_col(m.span.end.saturating_sub(1).max(m.span.start))
            .line;
        // A document's span runs on to the next token, over the lines that close its blocks.
        let last = rendered.last_content_line(first, last);
        m.condition = rendered.condition(first, last);
        // Regions inside the object: only their lines are conditional.
        m.conditional_parts = rendered
            .regions_within(first, last)
            .map(|r| {
                let span = Span {
                    file: m.span.file,
                    start: file.line_start(r.first_line),
                    end: file.line_start(r.last_line.saturating_add(1)),
                };
                (span, r.note.clone())
            })
            .collect();
        if namespaced && m.namespace.is_none() {
            m.namespace = Some(RELEASE_NAMESPACE.to_owned());
            m.address = format!("{}/{RELEASE_NAMESPACE}/{}", m.kind, m.name);
        }
    };
    for r in k.roles.iter_mut().skip(before[0]) {
        fix(&mut r.meta, !r.cluster);
    }
    for b in k.bindings.iter_mut().skip(before[1]) {
        fix(&mut b.meta, !b.cluster);
    }
    for s in k.service_accounts.iter_mut().skip(before[2]) {
        fix(&mut s.meta, true);
    }
    for s in k.secrets.iter_mut().skip(before[3]) {
        fix(&mut s.meta, true);
    }
    for w in k.workloads.iter_mut().skip(before[4]) {
        fix(&mut w.meta, true);
    }
}
