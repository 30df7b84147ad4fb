//! One view over Terraform bodies whether they were written in HCL (`.tf`) or JSON
//! (`.tf.json`): top-level blocks with their labels, attributes, nested and `dynamic` blocks,
//! and which repetition (`count` / `for_each` instance) of a block a body is read for.

use crate::parse::hcl::{Attribute, Block, Body, Expr, ExprKind, Sp};

use crate::parse::doc::{Node, Value};
use crate::source::{FileId, Sources, Span};

/// A parsed Terraform file.
#[derive(Debug)]
pub enum Parsed {
    Hcl(Body),
    Json(Node),
}

/// Which repetition of a `count` / `for_each` block a body or expression is read for: an index
/// into the evaluator's instance table, or [`Inst::NONE`] outside repeated blocks (and for
/// repeated blocks whose collection is unknown, which are read once with `each` unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Inst(pub u32);

impl Inst {
    pub const NONE: Inst = Inst(u32::MAX);
}

impl Default for Inst {
    fn default() -> Inst {
        Inst::NONE
    }
}

#[derive(Clone, Copy, Debug)]
pub enum BodyRef<'a> {
    Hcl(&'a Body, FileId, Inst),
    Json(&'a Node, Inst),
}

/// An attribute's value expression, not yet evaluated, with the instance it is read for.
#[derive(Clone, Copy, Debug)]
pub enum ExprRef<'a> {
    Hcl(&'a Expr, FileId, Inst),
    Json(&'a Node, Inst),
}

impl ExprRef<'_> {
    pub fn inst(&self) -> Inst {
        match *self {
            ExprRef::Hcl(_, _, i) | ExprRef::Json(_, i) => i,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct AttrRef<'a> {
    /// The attribute name's span.
    pub key: Span,
    pub expr: ExprRef<'a>,
}

/// A `dynamic "<name>"` block: it generates one `<name>` block per element of `for_each`,
/// each with the `content` body, inside which the iterator (`<name>`, or the `iterator`
/// attribute's name) has a `key` and a `value`.
#[derive(Clone, Debug)]
pub struct DynamicRef<'a> {
    /// The `dynamic` block itself.
    pub block: BlockRef<'a>,
    pub for_each: Option<AttrRef<'a>>,
    pub iterator: String,
    pub content: Option<BodyRef<'a>>,
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
    /// `module.x.` (nested: `module.x.module.y.`) when read for a module call; empty at the root.
    pub module: String,
    /// The instance key of a repeated block (`["admin"]`, `[0]`); empty otherwise.
    pub key: String,
}

impl BlockRef<'_> {
    /// The same block read for one instance.
    pub fn instance(&self, inst: Inst, key: String) -> Self {
        let mut b = self.clone();
        b.body = b.body.with_inst(inst);
        b.key = key;
        b
    }
}

/// Bytes `s..e` of a string value written at `written`, as a span of the source: exact when
/// the source holds the value verbatim (quoted or not); in a heredoc (`<<-` loses each line's
/// indentation) found on the same line; else the whole written value.
pub fn value_span(sources: &Sources, written: Span, value: &str, s: usize, e: usize) -> Span {
    let raw = sources.slice(written);
    let off = if raw == value {
        Some(0)
    } else if raw.len() == value.len() + 2 && raw.get(1..raw.len() - 1) == Some(value) {
        Some(1)
    } else {
        None
    };
    if let Some(o) = off {
        let at = written.start as usize + o;
        return Span::new(written.file, at + s, at + e);
    }
    value
        .get(s..e)
        .filter(|needle| !needle.is_empty())
        .and_then(|needle| {
            // A heredoc written whole (`<<EOT` ... `EOT`) has its opening line before the value.
            let header = usize::from(raw.starts_with("<<"));
            let line = value.get(..s)?.matches('\n').count() + header;
            let mut start = 0;
            for (i, l) in raw.split_inclusive('\n').enumerate() {
                if i == line {
                    let p = l.find(needle)?;
                    let at = written.start as usize + start + p;
                    return Some(Span::new(written.file, at, at + needle.len()));
                }
                start += l.len();
            }
            None
        })
        .unwrap_or(written)
}

pub fn sp(file: FileId, r: Sp) -> Span {
    Span {
        file,
        start: r.start,
        end: r.end,
    }
}

impl<'a> BodyRef<'a> {
    pub fn inst(&self) -> Inst {
        match *self {
            BodyRef::Hcl(_, _, i) | BodyRef::Json(_, i) => i,
        }
    }

    pub fn with_inst(self, inst: Inst) -> BodyRef<'a> {
        match self {
            BodyRef::Hcl(b, f, _) => BodyRef::Hcl(b, f, inst),
            BodyRef::Json(n, _) => BodyRef::Json(n, inst),
        }
    }

    pub fn attr(&self, name: &str) -> Option<AttrRef<'a>> {
        match *self {
            BodyRef::Hcl(body, file, inst) => {
                body.get_attribute(name).map(|a| hcl_attr(a, file, inst))
            }
            BodyRef::Json(node, inst) => {
                let e = node.entry(name)?;
                // In JSON a nested block is also a key; an object or list of objects under a
                // key that the caller asks for as an attribute is still returned.
                Some(AttrRef {
                    key: e.key.span,
                    expr: ExprRef::Json(&e.value, inst),
                })
            }
        }
    }

    /// Every attribute of the body (HCL: attributes only; JSON: every key).
    pub fn attrs(&self) -> Vec<(String, AttrRef<'a>)> {
        match *self {
            BodyRef::Hcl(body, file, inst) => body
                .attributes()
                .map(|a| (a.key.name.clone(), hcl_attr(a, file, inst)))
                .collect(),
            BodyRef::Json(node, inst) => node
                .as_map()
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| {
                    Some((
                        e.key.as_str()?.to_owned(),
                        AttrRef {
                            key: e.key.span,
                            expr: ExprRef::Json(&e.value, inst),
                        },
                    ))
                })
                .collect(),
        }
    }

    /// Nested blocks with this identifier (`statement`, `principals`, `environment`).
    pub fn blocks(&self, ident: &str, sources: &Sources) -> Vec<BlockRef<'a>> {
        match *self {
            BodyRef::Hcl(body, file, inst) => body
                .blocks()
                .filter(|b| b.ident == ident)
                .map(|b| hcl_block(b, file, sources, inst))
                .collect(),
            BodyRef::Json(node, inst) => {
                let Some(e) = node.entry(ident) else {
                    return Vec::new();
                };
                json_bodies(&e.value)
                    .into_iter()
                    .map(|b| json_block(ident, Vec::new(), e.key.span, b, inst))
                    .collect()
            }
        }
    }

    /// `dynamic "<name>"` blocks: their content is generated, so it is unknown.
    pub fn dynamic_blocks(&self, name: &str) -> Vec<Span> {
        match *self {
            BodyRef::Hcl(body, file, _) => {
                hcl_dynamic(body, name).map(|b| sp(file, b.span)).collect()
            }
            BodyRef::Json(node, _) => node
                .get("dynamic")
                .and_then(|d| d.entry(name))
                .map(|e| vec![e.key.span])
                .unwrap_or_default(),
        }
    }

    /// `dynamic "<name>"` blocks with their `for_each`, iterator name and `content`.
    pub fn dynamics(&self, name: &str, sources: &Sources) -> Vec<DynamicRef<'a>> {
        let blocks: Vec<BlockRef<'a>> = match *self {
            BodyRef::Hcl(body, file, inst) => hcl_dynamic(body, name)
                .map(|b| hcl_block(b, file, sources, inst))
                .collect(),
            BodyRef::Json(node, inst) => node
                .get("dynamic")
                .and_then(|d| d.entry(name))
                .map(|e| {
                    json_bodies(&e.value)
                        .into_iter()
                        .map(|b| json_block("dynamic", vec![name.to_owned()], e.key.span, b, inst))
                        .collect()
                })
                .unwrap_or_default(),
        };
        blocks
            .into_iter()
            .map(|block| {
                let iterator = block
                    .body
                    .attr("iterator")
                    .and_then(|a| match a.expr {
                        ExprRef::Hcl(x, _, _) => match &x.kind {
                            ExprKind::Variable(v) => Some(v.clone()),
                            _ => None,
                        },
                        ExprRef::Json(n, _) => n.as_str().map(str::to_owned),
                    })
                    .unwrap_or_else(|| name.to_owned());
                DynamicRef {
                    for_each: block.body.attr("for_each"),
                    content: block
                        .body
                        .blocks("content", sources)
                        .into_iter()
                        .next()
                        .map(|c| c.body),
                    iterator,
                    block,
                }
            })
            .collect()
    }

    pub fn file(&self) -> Option<FileId> {
        match *self {
            BodyRef::Hcl(_, f, _) => Some(f),
            BodyRef::Json(n, _) => Some(n.span.file),
        }
    }
}

/// The `dynamic "<name>"` blocks of an HCL body.
fn hcl_dynamic<'b, 'n>(
    body: &'b Body,
    name: &'n str,
) -> impl Iterator<Item = &'b Block> + use<'b, 'n> {
    body.blocks()
        .filter(move |b| b.ident == "dynamic" && b.labels.first().map(String::as_str) == Some(name))
}

fn hcl_attr(a: &Attribute, file: FileId, inst: Inst) -> AttrRef<'_> {
    AttrRef {
        key: sp(file, a.key.span),
        expr: ExprRef::Hcl(&a.value, file, inst),
    }
}

fn hcl_block<'a>(b: &'a Block, file: FileId, sources: &Sources, inst: Inst) -> BlockRef<'a> {
    let full = sp(file, b.span);
    BlockRef {
        ident: b.ident.clone(),
        labels: b.labels.clone(),
        header: header_span(full, sources),
        full,
        body: BodyRef::Hcl(&b.body, file, inst),
        module: String::new(),
        key: String::new(),
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

/// A block of a `.tf.json` file: its body is `body`, its header the key that names it.
fn json_block<'a>(
    ident: &str,
    labels: Vec<String>,
    header: Span,
    body: &'a Node,
    inst: Inst,
) -> BlockRef<'a> {
    BlockRef {
        ident: ident.to_owned(),
        labels,
        header,
        full: body.full_span(),
        body: BodyRef::Json(body, inst),
        module: String::new(),
        key: String::new(),
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
            .blocks()
            .map(|b| hcl_block(b, file, sources, Inst::NONE))
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
            out.push(json_block(kind, labels.clone(), key_span, b, Inst::NONE));
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

/// Logical address of a top-level block (`aws_iam_role.ci`, `data.x.y`, `provider.aws`), with
/// its instance key (`aws_iam_role.ci["deploy"]`) and, inside a called module, the call's path
/// (`module.ci.aws_iam_role.this[0]`): what Terraform itself names the object.
pub fn address(b: &BlockRef) -> String {
    if b.module.is_empty() {
        local_address(b)
    } else {
        format!("{}{}", b.module, local_address(b))
    }
}

/// The address inside its own module (what references from the same module name).
pub fn local_address(b: &BlockRef) -> String {
    let k = &b.key;
    match (b.ident.as_str(), b.labels.as_slice()) {
        ("resource", [t, n, ..]) => format!("{t}.{n}{k}"),
        ("data", [t, n, ..]) => format!("data.{t}.{n}{k}"),
        ("provider", [p, ..]) => format!("provider.{p}"),
        ("module", [m, ..]) => format!("module.{m}{k}"),
        ("variable", [v, ..]) => format!("var.{v}"),
        ("output", [o, ..]) => format!("output.{o}"),
        (k, _) => k.to_owned(),
    }
}

/// The parts of a reference or address split at its dots, an instance index staying with its
/// name even when the key holds dots (`aws_iam_role.r["a.b"].arn` -> `aws_iam_role`,
/// `r["a.b"]`, `arn`).
pub fn split_ref(r: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut depth, mut quoted, mut escaped) = (0, 0u32, false, false);
    for (i, c) in r.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&r[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&r[start..]);
    out
}

/// An address without the module calls that lead to it (`module.a.module.b["x"].aws_iam_role.r`
/// -> `aws_iam_role.r`).
pub fn strip_module(addr: &str) -> &str {
    let mut rest = addr;
    while let Some(after) = rest.strip_prefix("module.") {
        let parts = split_ref(after);
        let Some(name) = parts.first() else { break };
        match after.get(name.len() + 1..) {
            Some(r) if parts.len() > 1 => rest = r,
            _ => break,
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_outside_instance_keys() {
        assert_eq!(
            split_ref(r#"aws_iam_role.r["a.b"].arn"#),
            vec!["aws_iam_role", r#"r["a.b"]"#, "arn"]
        );
        assert_eq!(split_ref(r#"x.y["q\"]."]"#), vec!["x", r#"y["q\"]."]"#]);
        assert_eq!(split_ref("a"), vec!["a"]);
    }

    #[test]
    fn module_prefixes_are_stripped() {
        assert_eq!(
            strip_module(r#"module.a.module.b["x.y"].aws_iam_role.r[0]"#),
            "aws_iam_role.r[0]"
        );
        assert_eq!(strip_module("aws_iam_role.r"), "aws_iam_role.r");
        assert_eq!(strip_module("module.a"), "module.a");
    }
}
