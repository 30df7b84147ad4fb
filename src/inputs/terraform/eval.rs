//! A light Terraform evaluator: turns expressions into located [`Node`]s, resolving what a
//! static reader can know (literals, `locals`, variable defaults and `*.tfvars`, `jsonencode`,
//! heredocs, `file()` inside the scanned tree, common collection and string functions) and
//! leaving everything else [`Unknown`](crate::parse::doc::Unknown) with the references it
//! depends on. It never guesses and never fails: the worst answer is Unknown.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, FuncCall, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::template::{Element, Template};

use super::body::{BodyRef, ExprRef, Parsed, sp, top_blocks};
use crate::parse::doc::{Entry, Node, Value};
use crate::parse::yaml::{self, Budget};
use crate::source::{FileId, Sources, Span};

const MAX_DEPTH: u32 = 48;
/// Approximate bytes of values one module's references (`local.`, `var.`, `file()`) may hand
/// out in total. Memoised values are cloned at every use, so locals that each reference the
/// previous one several times would otherwise grow exponentially ("billion laughs").
const MAX_EXPANSION: usize = 64 << 20;
/// What one node costs against [`MAX_EXPANSION`], besides its text.
const NODE_WEIGHT: usize = 64;

/// Where `file()` may read from, and how much.
#[derive(Clone, Debug)]
pub struct FileAccess {
    /// Canonical scan root: nothing outside it is read.
    pub root: PathBuf,
    pub max_size: u64,
}

pub struct Evaluator<'m> {
    pub dir: PathBuf,
    pub sources: RefCell<Sources>,
    vars: HashMap<String, ExprRef<'m>>,
    tfvars: HashMap<String, ExprRef<'m>>,
    locals: HashMap<String, ExprRef<'m>>,
    memo: RefCell<HashMap<String, Node>>,
    in_progress: RefCell<HashSet<String>>,
    depth: Cell<u32>,
    /// Weight handed out by references so far (see [`MAX_EXPANSION`]).
    expanded: Cell<usize>,
    access: FileAccess,
}

impl<'m> Evaluator<'m> {
    /// `files` are the module's parsed files (tfvars files are listed separately).
    pub fn new(
        dir: PathBuf,
        sources: Sources,
        files: &'m [(FileId, Parsed)],
        tfvars: &'m [(FileId, Parsed)],
        access: FileAccess,
    ) -> Evaluator<'m> {
        let mut vars = HashMap::new();
        let mut locals = HashMap::new();
        for (fid, parsed) in files {
            for b in top_blocks(parsed, *fid, &sources) {
                match b.ident.as_str() {
                    "variable" => {
                        if let (Some(name), Some(def)) = (b.labels.first(), b.body.attr("default"))
                        {
                            vars.insert(name.clone(), def.expr);
                        }
                    }
                    "locals" => {
                        for (name, a) in b.body.attrs() {
                            locals.insert(name, a.expr);
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut tv = HashMap::new();
        for (fid, parsed) in tfvars {
            let body = match parsed {
                Parsed::Hcl(b) => BodyRef::Hcl(b, *fid),
                Parsed::Json(n) => BodyRef::Json(n),
            };
            for (name, a) in body.attrs() {
                tv.insert(name, a.expr);
            }
        }
        Evaluator {
            dir,
            sources: RefCell::new(sources),
            vars,
            tfvars: tv,
            locals,
            memo: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(HashSet::new()),
            depth: Cell::new(0),
            expanded: Cell::new(0),
            access,
        }
    }

    pub fn into_sources(self) -> Sources {
        self.sources.into_inner()
    }

    pub fn source_text(&self, span: Span) -> String {
        self.sources.borrow().slice(span).to_owned()
    }

    pub fn eval<'e>(&self, e: ExprRef<'e>) -> Node {
        let d = self.depth.get();
        if d > MAX_DEPTH {
            let span = match e {
                ExprRef::Hcl(x, f) => sp(f, x.span()),
                ExprRef::Json(n) => n.span,
            };
            return Node::unknown(span, "(expression too deep)", Vec::new());
        }
        self.depth.set(d + 1);
        let out = match e {
            ExprRef::Hcl(x, f) => self.hcl(x, f),
            ExprRef::Json(n) => self.json(n),
        };
        self.depth.set(d);
        out
    }

    // ------------------------------------------------------------------ HCL expressions

    fn hcl(&self, e: &Expression, f: FileId) -> Node {
        let span = sp(f, e.span());
        match e {
            Expression::Null(_) => Node::new(span, Value::Null),
            Expression::Bool(b) => Node::new(span, Value::Bool(*b.value())),
            Expression::Number(n) => Node::new(span, Value::Number(n.value().to_string())),
            Expression::String(s) => Node::new(span, Value::Str(s.value().clone())),
            Expression::Array(a) => Node::new(
                span,
                Value::Seq(a.iter().map(|x| self.eval(ExprRef::Hcl(x, f))).collect()),
            ),
            Expression::Object(o) => {
                let mut entries = Vec::with_capacity(o.len());
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => {
                            Node::new(sp(f, id.span()), Value::Str(id.as_str().to_owned()))
                        }
                        ObjectKey::Expression(x) => self.eval(ExprRef::Hcl(x, f)),
                    };
                    let value = self.eval(ExprRef::Hcl(v.expr(), f));
                    entries.push(Entry { key, value });
                }
                Node::new(span, Value::Map(entries))
            }
            Expression::StringTemplate(t) => {
                let elems: Vec<&Element> = t.iter().collect();
                self.template(&elems, span, f)
            }
            Expression::HeredocTemplate(h) => self.heredoc(&h.template, span, f),
            Expression::Parenthesis(p) => self.eval(ExprRef::Hcl(p.inner(), f)),
            Expression::Variable(v) => Node::unknown(span, v.as_str(), vec![v.as_str().to_owned()]),
            Expression::Traversal(t) => self.traversal(t, span, f),
            Expression::FuncCall(fc) => self.func(fc, span, f),
            Expression::Conditional(c) => {
                let cond = self.eval(ExprRef::Hcl(&c.cond_expr, f));
                match cond.as_bool() {
                    Some(true) => self.eval(ExprRef::Hcl(&c.true_expr, f)),
                    Some(false) => self.eval(ExprRef::Hcl(&c.false_expr, f)),
                    None => self.unknown_from(span, e, f),
                }
            }
            Expression::UnaryOp(_) | Expression::BinaryOp(_) | Expression::ForExpr(_) => {
                self.unknown_from(span, e, f)
            }
        }
    }

    /// An Unknown carrying the source text and every reference inside the expression.
    fn unknown_from(&self, span: Span, e: &Expression, _f: FileId) -> Node {
        let mut refs = Vec::new();
        collect_refs(e, &mut refs);
        let text = self.source_text(span);
        Node::unknown(span, text, refs)
    }

    fn template(&self, elems: &[&Element], span: Span, f: FileId) -> Node {
        // `"${expr}"` is the value of `expr` itself, whatever its type (legacy 0.11 syntax).
        if let [Element::Interpolation(i)] = elems {
            return self.eval(ExprRef::Hcl(&i.expr, f));
        }
        let mut out = String::new();
        let mut refs = Vec::new();
        let mut known = true;
        for el in elems {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(ExprRef::Hcl(&i.expr, f));
                    match (&v.value, v.as_str()) {
                        (Value::Unknown(u), _) => {
                            known = false;
                            refs.extend(u.refs.iter().cloned());
                            out.push_str("${");
                            out.push_str(&u.text);
                            out.push('}');
                        }
                        (_, Some(s)) => out.push_str(s),
                        (Value::Null, _) => {}
                        _ => {
                            known = false;
                            out.push_str("${...}");
                        }
                    }
                }
                Element::Directive(_) => {
                    known = false;
                    out.push_str("%{...}");
                }
            }
        }
        if known {
            Node::new(span, Value::Str(out))
        } else {
            Node::unknown(span, out, refs)
        }
    }

    /// Heredocs keep their raw text (interpolations included as written) and point at the
    /// body, so a JSON policy inside is parsed with exact spans.
    fn heredoc(&self, t: &Template, span: Span, f: FileId) -> Node {
        let mut start = None;
        let mut end = None;
        let mut plain = true;
        for el in t.iter() {
            let r = match el {
                Element::Literal(l) => l.span(),
                Element::Interpolation(i) => {
                    plain = false;
                    i.span()
                }
                Element::Directive(_) => {
                    plain = false;
                    None
                }
            };
            if let Some(r) = r {
                start = Some(start.map_or(r.start, |s: usize| s.min(r.start)));
                end = Some(end.map_or(r.end, |e: usize| e.max(r.end)));
            }
        }
        let body_span = match (start, end) {
            (Some(s), Some(e)) => Span::new(f, s, e),
            _ => span,
        };
        if plain {
            let text: String = t
                .iter()
                .filter_map(|e| e.as_literal().map(|l| l.value().as_str()))
                .collect();
            Node::new(body_span, Value::Str(text))
        } else {
            // Unknown parts stay as `${...}` in the text: values that contain them are
            // treated as unknown by the model, the rest of the document stays readable.
            Node::new(body_span, Value::Str(self.source_text(body_span)))
        }
    }

    fn traversal(&self, t: &Traversal, span: Span, f: FileId) -> Node {
        let root = match &t.expr {
            Expression::Variable(v) => v.as_str().to_owned(),
            _ => return self.unknown_from(span, &Expression::Traversal(Box::new(t.clone())), f),
        };
        let ops = &t.operators;
        let attr = |i: usize| -> Option<&str> {
            match ops.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
                _ => None,
            }
        };
        let text = self.source_text(span);
        let (base, rest_from) = match root.as_str() {
            "var" => match attr(0) {
                Some(name) => (self.var(name, span), 1),
                None => return Node::unknown(span, text, vec!["var".into()]),
            },
            "local" => match attr(0) {
                Some(name) => (self.local(name, span), 1),
                None => return Node::unknown(span, text, vec!["local".into()]),
            },
            "path" => (Node::new(span, Value::Str(".".into())), 1),
            _ => {
                // resource, data source, module, each/count/self: not knowable statically
                let mut path = vec![root.clone()];
                for op in ops.iter() {
                    if let TraversalOperator::GetAttr(id) = op.value() {
                        path.push(id.as_str().to_owned());
                    }
                }
                return Node::unknown(span, text, vec![path.join(".")]);
            }
        };
        let mut cur = base;
        for op in ops.iter().skip(rest_from) {
            if let Value::Unknown(u) = &mut cur.value {
                u.text = text.clone();
                cur.span = span;
                return cur;
            }
            let next = match op.value() {
                TraversalOperator::GetAttr(id) => cur.get(id.as_str()).cloned(),
                TraversalOperator::Index(x) => {
                    let idx = self.eval(ExprRef::Hcl(x, f));
                    match (&cur.value, idx.as_str()) {
                        (Value::Map(_), Some(k)) => cur.get(k).cloned(),
                        (Value::Seq(items), Some(k)) => {
                            k.parse::<usize>().ok().and_then(|i| items.get(i).cloned())
                        }
                        _ => None,
                    }
                }
                TraversalOperator::LegacyIndex(i) => cur
                    .as_seq()
                    .and_then(|items| items.get(usize::try_from(*i.value()).ok()?).cloned()),
                _ => None,
            };
            cur = match next {
                Some(n) => n,
                None => return Node::unknown(span, text, Vec::new()),
            };
        }
        cur
    }

    fn var(&self, name: &str, at: Span) -> Node {
        let key = format!("var.{name}");
        if let Some(n) = self.memo.borrow().get(&key) {
            return self.admit(n, at, &key);
        }
        let expr = self
            .tfvars
            .get(name)
            .or_else(|| self.vars.get(name))
            .copied();
        let node = match expr {
            Some(e) if self.in_progress.borrow_mut().insert(key.clone()) => {
                let n = self.eval(e);
                self.in_progress.borrow_mut().remove(&key);
                if n.is_null() {
                    Node::unknown(at, key.clone(), vec![key.clone()])
                } else {
                    n
                }
            }
            _ => Node::unknown(at, key.clone(), vec![key.clone()]),
        };
        let out = self.admit(&node, at, &key);
        self.memo.borrow_mut().insert(key, node);
        out
    }

    fn local(&self, name: &str, at: Span) -> Node {
        let key = format!("local.{name}");
        if let Some(n) = self.memo.borrow().get(&key) {
            return self.admit(n, at, &key);
        }
        let node = match self.locals.get(name).copied() {
            Some(e) if self.in_progress.borrow_mut().insert(key.clone()) => {
                let n = self.eval(e);
                self.in_progress.borrow_mut().remove(&key);
                n
            }
            _ => Node::unknown(at, key.clone(), vec![key.clone()]),
        };
        let out = self.admit(&node, at, &key);
        self.memo.borrow_mut().insert(key, node);
        out
    }

    /// A copy of a referenced value, if it fits the expansion budget and, nested where it is
    /// used, stays within [`MAX_DEPTH`] (a chain of locals each wrapping the previous one
    /// would otherwise build trees deeper than any stack); otherwise Unknown.
    fn admit(&self, n: &Node, at: Span, key: &str) -> Node {
        let room = (MAX_DEPTH + 2).saturating_sub(self.depth.get()) as usize;
        let left = MAX_EXPANSION.saturating_sub(self.expanded.get());
        match weigh(n, room, left) {
            Some(w) => {
                self.expanded.set(self.expanded.get() + w);
                n.clone()
            }
            None => Node::unknown(at, key, vec![key.to_owned()]),
        }
    }

    fn func(&self, fc: &FuncCall, span: Span, f: FileId) -> Node {
        let name = fc.name.name.as_str();
        let args: Vec<&Expression> = fc.args.iter().collect();
        let arg = |i: usize| args.get(i).map(|x| self.eval(ExprRef::Hcl(x, f)));
        let unknown = || self.unknown_from(span, &Expression::FuncCall(Box::new(fc.clone())), f);
        if fc.args.expand_final() {
            return unknown();
        }
        match name {
            // Encoding functions keep the structure: rules read the object, not its JSON text.
            "jsonencode" | "yamlencode" | "tolist" | "toset" | "tomap" | "sensitive"
            | "nonsensitive" | "base64encode" | "textencodebase64" => {
                arg(0).unwrap_or_else(unknown)
            }
            "jsondecode" => match arg(0) {
                Some(n) => self
                    .embedded_json(&n)
                    .unwrap_or_else(|| if n.is_unknown() { n } else { unknown() }),
                None => unknown(),
            },
            "file" => match arg(0).as_ref().and_then(|n| n.as_str().map(str::to_owned)) {
                Some(p) => self.read_file(&p, span).unwrap_or_else(unknown),
                None => unknown(),
            },
            "templatefile" => match arg(0).as_ref().and_then(|n| n.as_str().map(str::to_owned)) {
                // Only a template without placeholders is knowable.
                Some(p) => match self.read_file(&p, span) {
                    Some(n)
                        if n.as_str()
                            .is_some_and(|t| !t.contains("${") && !t.contains("%{")) =>
                    {
                        n
                    }
                    _ => unknown(),
                },
                None => unknown(),
            },
            "concat" => {
                let mut items = Vec::new();
                for i in 0..args.len() {
                    match arg(i).map(|n| n.value) {
                        Some(Value::Seq(v)) => items.extend(v),
                        _ => return unknown(),
                    }
                }
                Node::new(span, Value::Seq(items))
            }
            "flatten" => match arg(0) {
                Some(n) => match flatten(n) {
                    Some(items) => Node::new(span, Value::Seq(items)),
                    None => unknown(),
                },
                None => unknown(),
            },
            "distinct" | "compact" | "sort" => arg(0).unwrap_or_else(unknown),
            "merge" => {
                let mut entries: Vec<Entry> = Vec::new();
                for i in 0..args.len() {
                    match arg(i).map(|n| n.value) {
                        Some(Value::Map(m)) => {
                            for e in m {
                                entries.retain(|x| x.key.as_str() != e.key.as_str());
                                entries.push(e);
                            }
                        }
                        Some(Value::Null) => {}
                        _ => return unknown(),
                    }
                }
                Node::new(span, Value::Map(entries))
            }
            "lookup" => {
                let (Some(m), Some(k)) = (arg(0), arg(1)) else {
                    return unknown();
                };
                match (m.as_map(), k.as_str()) {
                    (Some(_), Some(key)) => m
                        .get(key)
                        .cloned()
                        .or_else(|| arg(2))
                        .unwrap_or_else(unknown),
                    _ => unknown(),
                }
            }
            "element" => {
                let (Some(l), Some(i)) = (arg(0), arg(1)) else {
                    return unknown();
                };
                match (l.as_seq(), i.as_str().and_then(|s| s.parse::<usize>().ok())) {
                    (Some(items), Some(i)) if !items.is_empty() => items[i % items.len()].clone(),
                    _ => unknown(),
                }
            }
            "join" => {
                let (Some(sep), Some(list)) = (arg(0), arg(1)) else {
                    return unknown();
                };
                let (Some(sep), Some(items)) = (sep.as_str(), list.as_seq()) else {
                    return unknown();
                };
                let parts: Option<Vec<&str>> = items.iter().map(Node::as_str).collect();
                match parts {
                    Some(p) => Node::new(span, Value::Str(p.join(sep))),
                    None => unknown(),
                }
            }
            "format" => {
                let vals: Vec<Node> = (0..args.len()).filter_map(arg).collect();
                match format_fn(&vals) {
                    Some(s) => Node::new(span, Value::Str(s)),
                    None => unknown(),
                }
            }
            "lower" | "upper" | "trimspace" => {
                match arg(0).as_ref().and_then(|n| n.as_str().map(str::to_owned)) {
                    Some(s) => {
                        let v = match name {
                            "lower" => s.to_lowercase(),
                            "upper" => s.to_uppercase(),
                            _ => s.trim().to_owned(),
                        };
                        Node::new(span, Value::Str(v))
                    }
                    None => unknown(),
                }
            }
            "coalesce" | "try" => {
                for i in 0..args.len() {
                    if let Some(n) = arg(i) {
                        if !n.is_unknown() && !n.is_null() && n.as_str() != Some("") {
                            return n;
                        }
                        if n.is_unknown() && name == "coalesce" {
                            return unknown();
                        }
                    }
                }
                unknown()
            }
            _ => unknown(),
        }
    }

    /// `file("${path.module}/policy.json")`: read a file inside the scan root, registering it
    /// as a source so that spans point into it.
    fn read_file(&self, rel: &str, _at: Span) -> Option<Node> {
        let rel = rel.trim_start_matches("./");
        let path = if Path::new(rel).is_absolute() {
            PathBuf::from(rel)
        } else {
            self.dir.join(rel)
        };
        let canon = path.canonicalize().ok()?;
        if !canon.starts_with(&self.access.root) {
            return None;
        }
        let meta = std::fs::metadata(&canon).ok()?;
        if !meta.is_file() || meta.len() > self.access.max_size {
            return None;
        }
        let cost = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        let spent = self.expanded.get().saturating_add(cost);
        if spent > MAX_EXPANSION {
            return None;
        }
        self.expanded.set(spent);
        let existing = self.sources.borrow().find_path(&canon);
        let id = match existing {
            Some(id) => id,
            None => {
                // Shown like every other file: relative to the directory nhiaudit runs from.
                let cwd = std::env::current_dir()
                    .ok()
                    .and_then(|c| c.canonicalize().ok());
                let display = crate::discover::display_of(&canon, cwd.as_deref());
                let file = crate::inputs::read_text(&canon, display, self.access.max_size).ok()?;
                self.sources.borrow_mut().add(file)
            }
        };
        let sources = self.sources.borrow();
        let file = sources.get(id)?;
        let span = Span::new(id, 0, file.text.len());
        Some(Node::new(span, Value::Str(file.text.clone())))
    }

    /// Parse a JSON string value (a heredoc, `file()` content, a quoted JSON string) into a
    /// located tree. Spans are exact when the value is the verbatim source text at its span.
    pub fn embedded_json(&self, n: &Node) -> Option<Node> {
        let text = n.as_str()?;
        let sources = self.sources.borrow();
        let raw = sources.slice(n.span);
        let exact = if raw == text || raw.split_whitespace().eq(text.split_whitespace()) {
            Some(raw)
        } else {
            None
        };
        match exact {
            Some(raw) => {
                let trimmed_start = raw.len() - raw.trim_start().len();
                yaml::parse_json(
                    raw.trim(),
                    n.span.file,
                    n.span.start as usize + trimmed_start,
                    Budget::default(),
                )
                .ok()
            }
            None => {
                let mut node =
                    yaml::parse_json(text.trim(), n.span.file, 0, Budget::default()).ok()?;
                respan(&mut node, n.span);
                Some(node)
            }
        }
    }

    // ------------------------------------------------------------------ .tf.json values

    fn json(&self, n: &Node) -> Node {
        match &n.value {
            Value::Str(s) if s.contains("${") => {
                // The decoded JSON string is template text (quotes inside `${...}` are plain
                // quotes), and a lone interpolation yields its value unchanged, as Terraform
                // does (`"${jsonencode({...})}"` is an object, not a string).
                match hcl_edit::parser::parse_template(s) {
                    Ok(t) => {
                        // The template is evaluated in isolation; its spans do not map to the
                        // JSON file, so the result points at the JSON string.
                        let f = FileId(u32::MAX);
                        let elems: Vec<&Element> = t.iter().collect();
                        let mut v = match elems.as_slice() {
                            [Element::Interpolation(i)] => self.eval(ExprRef::Hcl(&i.expr, f)),
                            _ => self.template(&elems, n.span, f),
                        };
                        respan(&mut v, n.span);
                        if let Value::Unknown(u) = &mut v.value {
                            u.text = s.clone();
                        }
                        v
                    }
                    Err(_) => Node::unknown(n.span, s.clone(), Vec::new()),
                }
            }
            Value::Seq(items) => Node::new(
                n.span,
                Value::Seq(items.iter().map(|i| self.eval(ExprRef::Json(i))).collect()),
            ),
            Value::Map(entries) => Node::new(
                n.span,
                Value::Map(
                    entries
                        .iter()
                        .map(|e| Entry {
                            key: e.key.clone(),
                            value: self.eval(ExprRef::Json(&e.value)),
                        })
                        .collect(),
                ),
            ),
            _ => n.clone(),
        }
    }
}

/// The weight of a tree against the expansion budget, or None when it is heavier than `left`
/// or nested deeper than `room` levels (checked without recursing past `room`).
fn weigh(n: &Node, room: usize, left: usize) -> Option<usize> {
    if room == 0 {
        return None;
    }
    let mut w = NODE_WEIGHT;
    match &n.value {
        Value::Str(s) | Value::Number(s) => w += s.len(),
        Value::Unknown(u) => w += u.text.len() + u.refs.iter().map(String::len).sum::<usize>(),
        Value::Seq(items) => {
            for i in items {
                w += weigh(i, room - 1, left.checked_sub(w)?)?;
            }
        }
        Value::Map(entries) => {
            for e in entries {
                w += weigh(&e.key, room - 1, left.checked_sub(w)?)?;
                w += weigh(&e.value, room - 1, left.checked_sub(w)?)?;
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
    (w <= left).then_some(w)
}

fn flatten(n: Node) -> Option<Vec<Node>> {
    match n.value {
        Value::Seq(items) => {
            let mut out = Vec::new();
            for i in items {
                match i.value {
                    Value::Seq(_) => out.extend(flatten(i)?),
                    Value::Unknown(_) => return None,
                    _ => out.push(i),
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn format_fn(vals: &[Node]) -> Option<String> {
    let fmt = vals.first()?.as_str()?;
    let mut out = String::new();
    let mut args = vals[1..].iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(args.next()?.as_str()?),
            _ => return None,
        }
    }
    Some(out)
}

/// Point a whole tree at one span (values whose own text does not map to the file).
pub fn respan(n: &mut Node, span: Span) {
    n.span = span;
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| respan(i, span)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            respan(&mut e.key, span);
            respan(&mut e.value, span);
        }),
        _ => {}
    }
}

/// Every `a.b.c` reference inside an expression (for Unknown values).
pub fn collect_refs(e: &Expression, out: &mut Vec<String>) {
    match e {
        Expression::Traversal(t) => {
            if let Expression::Variable(v) = &t.expr {
                let mut path = vec![v.as_str().to_owned()];
                for op in t.operators.iter() {
                    if let TraversalOperator::GetAttr(id) = op.value() {
                        path.push(id.as_str().to_owned());
                    }
                }
                out.push(path.join("."));
            } else {
                collect_refs(&t.expr, out);
            }
            for op in t.operators.iter() {
                if let TraversalOperator::Index(x) = op.value() {
                    collect_refs(x, out);
                }
            }
        }
        Expression::Variable(v) => out.push(v.as_str().to_owned()),
        Expression::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        Expression::Object(o) => o.iter().for_each(|(_, v)| collect_refs(v.expr(), out)),
        Expression::StringTemplate(t) => t.iter().for_each(|el| {
            if let Element::Interpolation(i) = el {
                collect_refs(&i.expr, out);
            }
        }),
        Expression::HeredocTemplate(h) => h.template.iter().for_each(|el| {
            if let Element::Interpolation(i) = el {
                collect_refs(&i.expr, out);
            }
        }),
        Expression::Parenthesis(p) => collect_refs(p.inner(), out),
        Expression::FuncCall(f) => f.args.iter().for_each(|x| collect_refs(x, out)),
        Expression::Conditional(c) => {
            collect_refs(&c.cond_expr, out);
            collect_refs(&c.true_expr, out);
            collect_refs(&c.false_expr, out);
        }
        Expression::UnaryOp(u) => collect_refs(&u.expr, out),
        Expression::BinaryOp(b) => {
            collect_refs(&b.lhs_expr, out);
            collect_refs(&b.rhs_expr, out);
        }
        Expression::ForExpr(fe) => {
            collect_refs(&fe.intro.collection_expr, out);
            collect_refs(&fe.value_expr, out);
        }
        _ => {}
    }
}
