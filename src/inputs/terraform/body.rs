//! One view over Terraform bodies whether they were written in HCL (`.tf`) or JSON
//! (`.tf.json`): top-level blocks with their labels, attributes, nested and `dynamic` blocks.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Body, Structure};

use crate::parse::doc::{Node, Value};
use crate::source::{FileId, Sources, Span};

/// A parsed Terraform file.
#[derive(Debug)]
pub enum Parsed {
    Hcl(Body),
    Json(Node),
}

#[derive(Clone, Copy, Debug)]
pub enum BodyRef<'a> {
    Hcl(&'a Body, FileId),
    Json(&'a Node),
}

/// An attribute's value expression, not yet evaluated.
#[derive(Clone, Copy, Debug)]
pub enum ExprRef<'a> {
    Hcl(&'a Expression, FileId),
    Json(&'a Node),
}

#[derive(Clone, Copy, Debug)]
pub struct AttrRef<'a> {
    /// The attribute name's span.
    pub key: Span,
    pub expr: ExprRef<'a>,
}

#[derive(Clone, Debug)]
pub struct BlockRef<'a> {
    pub ident: String,
    pub labels: Vec<String>,
    /// From the start of the block to its opening brace (the header line).
    pub header: Span,
    /// The whole block.
    pub full: Span,
    pub body: BodyRef<'a>,
}

pub fn sp(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    match r {
        Some(r) => Span::new(file, r.start, r.end),
        None => Span::new(file, 0, 0),
    }
}

impl<'a> BodyRef<'a> {
    pub fn attr(&self, name: &str) -> Option<AttrRef<'a>> {
        match *self {
            BodyRef::Hcl(body, file) => body.get_attribute(name).map(|a| hcl_attr(a, file)),
            BodyRef::Json(node) => {
                let e = node.entry(name)?;
                // In JSON a nested block is also a key; an object or list of objects under a
                // key that the caller asks for as an attribute is still returned.
                Some(AttrRef {
                    key: e.key.span,
                    expr: ExprRef::Json(&e.value),
                })
            }
        }
    }

    /// Every attribute of the body (HCL: attributes only; JSON: every key).
    pub fn attrs(&self) -> Vec<(String, AttrRef<'a>)> {
        match *self {
            BodyRef::Hcl(body, file) => body
                .attributes()
                .map(|a| (a.key.as_str().to_owned(), hcl_attr(a, file)))
                .collect(),
            BodyRef::Json(node) => node
                .as_map()
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| {
                    Some((
                        e.key.as_str()?.to_owned(),
                        AttrRef {
                            key: e.key.span,
                            expr: ExprRef::Json(&e.value),
                        },
                    ))
                })
                .collect(),
        }
    }

    /// Nested blocks with this identifier (`statement`, `principals`, `environment`).
    pub fn blocks(&self, ident: &str, sources: &Sources) -> Vec<BlockRef<'a>> {
        match *self {
            BodyRef::Hcl(body, file) => body
                .blocks()
                .filter(|b| b.ident.as_str() == ident)
                .map(|b| hcl_block(b, file, sources))
                .collect(),
            BodyRef::Json(node) => {
                let Some(e) = node.entry(ident) else {
                    return Vec::new();
                };
                json_bodies(&e.value)
                    .into_iter()
                    .map(|b| BlockRef {
                        ident: ident.to_owned(),
                        labels: Vec::new(),
                        header: e.key.span,
                        full: b.full_span(),
                        body: BodyRef::Json(b),
                    })
                    .collect()
            }
        }
    }

    /// `dynamic "<name>"` blocks: their content is generated, so it is unknown.
    pub fn dynamic_blocks(&self, name: &str) -> Vec<Span> {
        match *self {
            BodyRef::Hcl(body, file) => body
                .blocks()
                .filter(|b| {
                    b.ident.as_str() == "dynamic"
                        && b.labels.first().map(|l| l.as_str()) == Some(name)
                })
                .map(|b| sp(file, b.span()))
                .collect(),
            BodyRef::Json(node) => node
                .get("dynamic")
                .and_then(|d| d.entry(name))
                .map(|e| vec![e.key.span])
                .unwrap_or_default(),
        }
    }

    pub fn file(&self) -> Option<FileId> {
        match *self {
            BodyRef::Hcl(_, f) => Some(f),
            BodyRef::Json(n) => Some(n.span.file),
        }
    }
}

fn hcl_attr(a: &Attribute, file: FileId) -> AttrRef<'_> {
    AttrRef {
        key: sp(file, a.key.span()),
        expr: ExprRef::Hcl(&a.value, file),
    }
}

fn hcl_block<'a>(
    b: &'a hcl_edit::structure::Block,
    file: FileId,
    sources: &Sources,
) -> BlockRef<'a> {
    let full = sp(file, b.span());
    BlockRef {
        ident: b.ident.as_str().to_owned(),
        labels: b.labels.iter().map(|l| l.as_str().to_owned()).collect(),
        header: header_span(full, sources),
        full,
        body: BodyRef::Hcl(&b.body, file),
    }
}

/// The block header: from the block start to its opening brace.
fn header_span(full: Span, sources: &Sources) -> Span {
    let text = sources.slice(full);
    match text.find('{') {
        Some(i) => Span {
            file: full.file,
            start: full.start,
            end: full.start + u32::try_from(i).unwrap_or(0),
        },
        None => full,
    }
}

/// A JSON block body may be an object or a list of objects.
fn json_bodies(n: &Node) -> Vec<&Node> {
    match &n.value {
        Value::Map(_) => vec![n],
        Value::Seq(items) => items.iter().filter(|i| i.as_map().is_some()).collect(),
        _ => Vec::new(),
    }
}

/// Top-level blocks of a file: `resource`, `data`, `provider`, `variable`, `locals`, ...
pub fn top_blocks<'a>(parsed: &'a Parsed, file: FileId, sources: &Sources) -> Vec<BlockRef<'a>> {
    match parsed {
        Parsed::Hcl(body) => body
            .iter()
            .filter_map(|s| match s {
                Structure::Block(b) => Some(hcl_block(b, file, sources)),
                Structure::Attribute(_) => None,
            })
            .collect(),
        Parsed::Json(root) => json_top_blocks(root),
    }
}

fn json_top_blocks(root: &Node) -> Vec<BlockRef<'_>> {
    let mut out = Vec::new();
    let Some(entries) = root.as_map() else {
        return out;
    };
    for e in entries {
        let Some(kind) = e.key.as_str() else { continue };
        let labels_depth = match kind {
            "resource" | "data" => 2,
            "provider" | "variable" | "output" | "module" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        collect_json_blocks(
            kind,
            &e.value,
            e.key.span,
            labels_depth,
            &mut Vec::new(),
            &mut out,
        );
    }
    out
}

fn collect_json_blocks<'a>(
    kind: &str,
    node: &'a Node,
    key_span: Span,
    depth: usize,
    labels: &mut Vec<String>,
    out: &mut Vec<BlockRef<'a>>,
) {
    if depth == 0 {
        for b in json_bodies(node) {
            out.push(BlockRef {
                ident: kind.to_owned(),
                labels: labels.clone(),
                header: key_span,
                full: b.full_span(),
                body: BodyRef::Json(b),
            });
        }
        return;
    }
    // A label level may itself be written as a list of objects.
    for m in json_bodies(node) {
        for e in m.as_map().unwrap_or(&[]) {
            let Some(l) = e.key.as_str() else { continue };
            labels.push(l.to_owned());
            collect_json_blocks(kind, &e.value, e.key.span, depth - 1, labels, out);
            labels.pop();
        }
    }
}

/// Logical address of a top-level block (`aws_iam_role.ci`, `data.x.y`, `provider.aws`).
pub fn address(b: &BlockRef) -> String {
    match (b.ident.as_str(), b.labels.as_slice()) {
        ("resource", [t, n, ..]) => format!("{t}.{n}"),
        ("data", [t, n, ..]) => format!("data.{t}.{n}"),
        ("provider", [p, ..]) => format!("provider.{p}"),
        ("module", [m, ..]) => format!("module.{m}"),
        ("variable", [v, ..]) => format!("var.{v}"),
        ("output", [o, ..]) => format!("output.{o}"),
        (k, _) => k.to_owned(),
    }
}
