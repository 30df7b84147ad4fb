//! A light Terraform evaluator: turns expressions into located [`Node`]s, resolving what a
//! static reader can know (literals, `locals`, variable defaults and `*.tfvars`, the values a
//! module call gives a local module, `each` / `count.index` inside repeated blocks, `for`
//! expressions, `jsonencode`, heredocs, `file()` inside the scanned tree, common collection and
//! string functions) and leaving everything else [`Unknown`](crate::parse::doc::Unknown) with the
//! references it depends on. It never guesses and never fails: the worst answer is Unknown.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl_edit::template::{Element, Template};

use super::body::{BodyRef, ExprRef, Inst, Parsed, sp, top_blocks};
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
/// Expressions one module evaluation may evaluate in total, besides [`STEPS_PER_BYTE`] for each
/// byte of its files: `for` expressions nested over large collections and blocks repeated many
/// times would otherwise multiply without bound.
const MAX_STEPS: usize = 2_000_000;
const STEPS_PER_BYTE: usize = 4;

/// Where `file()` may read from, and how much.
#[derive(Clone, Debug)]
pub struct FileAccess {
    /// Canonical scan root: nothing outside it is read.
    pub root: PathBuf,
    pub max_size: u64,
}

/// One repetition of a `count` / `for_each` block.
#[derive(Debug)]
struct Instance {
    /// `each.key` (a string) or `count.index` (a number); `None` outside repeated blocks.
    key: Option<Node>,
    /// `each.value` (for `count`, the index again).
    value: Option<Node>,
    /// The iterators of the enclosing `dynamic` blocks, innermost last: name, key, value.
    iters: Vec<(String, Node, Node)>,
}

/// The instances of a repeated block: `each.key`s (a map), or `count` indices (a list).
pub struct Repeated {
    pub keys: Vec<Node>,
    pub count: bool,
}

/// A memoised `var.` / `local.` value.
struct Memo {
    node: Node,
    /// It depends on a variable default (see [`Evaluator::eval_decided`]).
    defaults: bool,
    /// A module call's input: its spans point into the caller, so every use is re-pointed at
    /// the reference inside the module.
    respan: bool,
}

pub struct Evaluator<'m> {
    pub dir: PathBuf,
    /// The unit's sources, shared by the evaluations of its module calls.
    pub sources: &'m RefCell<Sources>,
    vars: HashMap<String, ExprRef<'m>>,
    tfvars: HashMap<String, ExprRef<'m>>,
    locals: HashMap<String, ExprRef<'m>>,
    /// What a module call gives the module's variables, evaluated in the caller.
    inputs: HashMap<String, Node>,
    /// `module.x.` when evaluating a called module; empty at the root.
    prefix: String,
    memo: RefCell<HashMap<String, Memo>>,
    in_progress: RefCell<HashSet<String>>,
    depth: Cell<u32>,
    /// Weight handed out by references so far (see [`MAX_EXPANSION`]).
    expanded: Cell<usize>,
    steps: Cell<usize>,
    max_steps: usize,
    access: FileAccess,
    instances: RefCell<Vec<Instance>>,
    /// The instance the expression being evaluated belongs to.
    cur: Cell<Inst>,
    /// Names bound by the enclosing `for` expressions, innermost last.
    bindings: RefCell<Vec<(String, Node)>>,
    /// Set when a variable's default was used (see [`Evaluator::eval_decided`]).
    used_default: Cell<bool>,
    /// Blocks read once per instance, by local address (`aws_iam_role.x`): references to them
    /// keep their index (`aws_iam_role.x["a"]`), which is the instance's address, and the
    /// block itself is the collection of its instances (`for_each = aws_iam_user.bots`).
    repeated: RefCell<HashMap<String, Repeated>>,
    /// JSON strings are final values, not templates (a plan: `${aws:username}` in a policy is
    /// an IAM policy variable).
    literal: bool,
}

impl<'m> Evaluator<'m> {
    /// `files` are the module's parsed files (tfvars files are listed separately).
    pub fn new(
        dir: PathBuf,
        sources: &'m RefCell<Sources>,
        files: &'m [(FileId, Parsed)],
        tfvars: &'m [(FileId, Parsed)],
        access: FileAccess,
    ) -> Evaluator<'m> {
        let mut vars = HashMap::new();
        let mut locals = HashMap::new();
        let src = sources.borrow();
        let bytes: usize = files
            .iter()
            .filter_map(|(id, _)| src.get(*id).map(|f| f.text.len()))
            .sum();
        for (fid, parsed) in files {
            for b in top_blocks(parsed, *fid, &src) {
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
        drop(src);
        let mut tv = HashMap::new();
        for (fid, parsed) in tfvars {
            let body = match parsed {
                Parsed::Hcl(b) => BodyRef::Hcl(b, *fid, Inst::NONE),
                Parsed::Json(n) => BodyRef::Json(n, Inst::NONE),
            };
            for (name, a) in body.attrs() {
                tv.insert(name, a.expr);
            }
        }
        Evaluator {
            dir,
            sources,
            vars,
            tfvars: tv,
            locals,
            inputs: HashMap::new(),
            prefix: String::new(),
            memo: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(HashSet::new()),
            depth: Cell::new(0),
            expanded: Cell::new(0),
            steps: Cell::new(0),
            max_steps: MAX_STEPS.saturating_add(bytes.saturating_mul(STEPS_PER_BYTE)),
            access,
            instances: RefCell::new(Vec::new()),
            cur: Cell::new(Inst::NONE),
            bindings: RefCell::new(Vec::new()),
            used_default: Cell::new(false),
            repeated: RefCell::new(HashMap::new()),
            literal: false,
        }
    }

    /// Read JSON strings as final values (`terraform show -json` output), never as templates.
    pub fn literal(mut self) -> Evaluator<'m> {
        self.literal = true;
        self
    }

    /// Evaluate the module as called: `prefix` is the call's address (`module.x.`), `inputs`
    /// the values the call gives its variables (a variable without one takes its default).
    pub fn called(mut self, prefix: String, inputs: HashMap<String, Node>) -> Evaluator<'m> {
        self.prefix = prefix;
        self.inputs = inputs;
        self
    }

    /// `module.x.` for a called module, empty at the root.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn source_text(&self, span: Span) -> String {
        self.sources.borrow().slice(span).to_owned()
    }

    pub fn eval<'e>(&self, e: ExprRef<'e>) -> Node {
        let d = self.depth.get();
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if d > MAX_DEPTH || steps > self.max_steps {
            let span = match e {
                ExprRef::Hcl(x, f, _) => sp(f, x.span()),
                ExprRef::Json(n, _) => n.span,
            };
            let why = if d > MAX_DEPTH {
                "(expression too deep)"
            } else {
                "(evaluation budget spent)"
            };
            return Node::unknown(span, why, Vec::new());
        }
        self.depth.set(d + 1);
        let outer = self.cur.replace(e.inst());
        let out = match e {
            ExprRef::Hcl(x, f, _) => self.hcl(x, f),
            ExprRef::Json(n, _) => self.json(n),
        };
        self.cur.set(outer);
        self.depth.set(d);
        out
    }

    /// Evaluate a `count` / `for_each` value, saying whether a variable default was used to
    /// get it: a default is the module author's example, not the caller's decision, so an empty
    /// collection found that way does not remove the block from the audit.
    pub fn eval_decided(&self, e: ExprRef<'_>) -> (Node, bool) {
        let outer = self.used_default.replace(false);
        let n = self.eval(e);
        let defaults = self.used_default.replace(outer);
        (n, !defaults)
    }

    /// Register one repetition of a block: `key` is `each.key` / `count.index`.
    pub fn add_instance(&self, key: Node, value: Node) -> Inst {
        let mut list = self.instances.borrow_mut();
        let id = u32::try_from(list.len()).unwrap_or(u32::MAX - 1);
        list.push(Instance {
            key: Some(key),
            value: Some(value),
            iters: Vec::new(),
        });
        Inst(id)
    }

    /// Register one block generated by a `dynamic` block read for `parent`: inside it
    /// `<iterator>.key` / `<iterator>.value` are known, and `each` / `count` stay the parent's.
    pub fn add_iteration(&self, parent: Inst, iterator: &str, key: Node, value: Node) -> Inst {
        let mut list = self.instances.borrow_mut();
        let (k, v, mut iters) = match list.get(parent.0 as usize) {
            Some(p) => (p.key.clone(), p.value.clone(), p.iters.clone()),
            None => (None, None, Vec::new()),
        };
        iters.push((iterator.to_owned(), key, value));
        let id = u32::try_from(list.len()).unwrap_or(u32::MAX - 1);
        list.push(Instance {
            key: k,
            value: v,
            iters,
        });
        Inst(id)
    }

    /// Is `name` the iterator of a `dynamic` block around the expression being evaluated?
    fn is_iterator(&self, name: &str) -> bool {
        let list = self.instances.borrow();
        list.get(self.cur.get().0 as usize)
            .is_some_and(|i| i.iters.iter().any(|(n, _, _)| n == name))
    }

    /// Say that a block (by its local address) is read once per instance.
    pub fn mark_repeated(&self, local_address: String, instances: Repeated) {
        self.repeated.borrow_mut().insert(local_address, instances);
    }

    /// A repeated block referred to as a whole (`aws_iam_user.bots`): its instances, each an
    /// Unknown object that refers to the instance (`aws_iam_user.bots["a"]`).
    fn instances_of(&self, path: &str, span: Span) -> Option<Node> {
        let rep = self.repeated.borrow();
        let r = rep.get(path)?;
        let one = |k: &Node| {
            let addr = format!("{path}{}", index_key(k).unwrap_or_default());
            Node::unknown(span, addr.clone(), vec![addr])
        };
        Some(if r.count {
            Node::new(span, Value::Seq(r.keys.iter().map(one).collect()))
        } else {
            Node::new(
                span,
                Value::Map(
                    r.keys
                        .iter()
                        .map(|k| Entry {
                            key: k.clone(),
                            value: one(k),
                        })
                        .collect(),
                ),
            )
        })
    }

    /// Evaluate a sub-expression in the current instance.
    fn sub(&self, x: &Expression, f: FileId) -> Node {
        self.eval(ExprRef::Hcl(x, f, self.cur.get()))
    }

    // ------------------------------------------------------------------ HCL expressions

    fn hcl(&self, e: &Expression, f: FileId) -> Node {
        let span = sp(f, e.span());
        match e {
            Expression::Null(_) => Node::new(span, Value::Null),
            Expression::Bool(b) => Node::new(span, Value::Bool(*b.value())),
            Expression::Number(n) => Node::new(span, Value::Number(n.value().to_string())),
            Expression::String(s) => Node::new(span, Value::Str(s.value().clone())),
            Expression::Array(a) => {
                Node::new(span, Value::Seq(a.iter().map(|x| self.sub(x, f)).collect()))
            }
            Expression::Object(o) => {
                let mut entries = Vec::with_capacity(o.len());
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => {
                            Node::new(sp(f, id.span()), Value::Str(id.as_str().to_owned()))
                        }
                        ObjectKey::Expression(x) => self.sub(x, f),
                    };
                    let value = self.sub(v.expr(), f);
                    entries.push(Entry { key, value });
                }
                Node::new(span, Value::Map(entries))
            }
            Expression::StringTemplate(t) => {
                let elems: Vec<&Element> = t.iter().collect();
                self.template(&elems, span, f)
            }
            Expression::HeredocTemplate(h) => self.heredoc(&h.template, span, f),
            Expression::Parenthesis(p) => self.sub(p.inner(), f),
            Expression::Variable(v) => match self.binding(v.as_str()) {
                Some(n) => n,
                None => Node::unknown(span, v.as_str(), vec![v.as_str().to_owned()]),
            },
            Expression::Traversal(t) => self.traversal(t, span, f),
            Expression::FuncCall(fc) => self.func(fc, span, f),
            Expression::Conditional(c) => {
                let cond = self.sub(&c.cond_expr, f);
                match cond.as_bool() {
                    Some(true) => self.sub(&c.true_expr, f),
                    Some(false) => self.sub(&c.false_expr, f),
                    None => self.unknown_from(span, e, f),
                }
            }
            Expression::UnaryOp(u) => {
                let v = self.sub(&u.expr, f);
                let out = match (u.operator.value(), &v.value) {
                    (UnaryOperator::Not, Value::Bool(b)) => Some(Value::Bool(!b)),
                    (UnaryOperator::Neg, Value::Number(n)) => n
                        .parse::<f64>()
                        .ok()
                        .map(|x| Value::Number(number_text(-x))),
                    _ => None,
                };
                match out {
                    Some(v) => Node::new(span, v),
                    None => self.unknown_from(span, e, f),
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.sub(&b.lhs_expr, f);
                let r = self.sub(&b.rhs_expr, f);
                match binary(*b.operator.value(), &l, &r) {
                    Some(v) => Node::new(span, v),
                    None => self.unknown_from(span, e, f),
                }
            }
            Expression::ForExpr(fe) => self
                .for_expr(fe, span, f)
                .unwrap_or_else(|| self.unknown_from(span, e, f)),
        }
    }

    /// The innermost `for` binding of this name.
    fn binding(&self, name: &str) -> Option<Node> {
        let b = self.bindings.borrow();
        let n = b.iter().rev().find(|(k, _)| k == name).map(|(_, n)| n)?;
        self.budgeted(n)
    }

    /// A copy of a value handed out again (a binding, `each.value`), if it fits the expansion
    /// budget and the nesting room left (see [`Evaluator::admit`]).
    fn budgeted(&self, n: &Node) -> Option<Node> {
        let left = MAX_EXPANSION.saturating_sub(self.expanded.get());
        let room = (MAX_DEPTH + 2).saturating_sub(self.depth.get()) as usize;
        let w = weigh(n, room, left)?;
        self.expanded.set(self.expanded.get() + w);
        Some(n.clone())
    }

    /// `[for k, v in coll : expr if cond]` and `{for k, v in coll : key => value}` over a known
    /// collection; None when the collection or a part of the result is not knowable.
    fn for_expr(&self, fe: &ForExpr, span: Span, f: FileId) -> Option<Node> {
        let coll = self.sub(&fe.intro.collection_expr, f);
        let pairs: Vec<(Node, Node)> = match coll.value {
            Value::Seq(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Node::new(v.span, Value::Number(i.to_string())), v))
                .collect(),
            Value::Map(entries) => entries.into_iter().map(|e| (e.key, e.value)).collect(),
            _ => return None,
        };
        let key_var = fe.intro.key_var.as_ref().map(|k| k.as_str().to_owned());
        let value_var = fe.intro.value_var.as_str().to_owned();
        let mut seq = Vec::new();
        let mut map: Vec<Entry> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for (k, v) in pairs {
            let depth = {
                let mut b = self.bindings.borrow_mut();
                let depth = b.len();
                if let Some(kv) = &key_var {
                    b.push((kv.clone(), k));
                }
                b.push((value_var.clone(), v));
                depth
            };
            let result = (|| {
                if let Some(c) = &fe.cond {
                    match self.sub(&c.expr, f).as_bool() {
                        Some(true) => {}
                        Some(false) => return Some(None),
                        None => return None,
                    }
                }
                let value = self.sub(&fe.value_expr, f);
                let key = match &fe.key_expr {
                    Some(kx) => {
                        let key = self.sub(kx, f);
                        key.as_str()?;
                        Some(key)
                    }
                    None => None,
                };
                Some(Some((key, value)))
            })();
            self.bindings.borrow_mut().truncate(depth);
            match result? {
                None => {}
                Some((None, value)) => seq.push(value),
                Some((Some(key), value)) => {
                    let name = key.as_str().unwrap_or_default().to_owned();
                    match at.get(&name).and_then(|&i| map.get_mut(i)) {
                        // `key => value...` gathers the values of one key in a list; without
                        // the ellipsis a repeated key is an error in Terraform: the last wins.
                        Some(e) if fe.grouping => {
                            if let Value::Seq(items) = &mut e.value.value {
                                items.push(value);
                            }
                        }
                        Some(e) => e.value = value,
                        None => {
                            at.insert(name, map.len());
                            let value = if fe.grouping {
                                Node::new(value.span, Value::Seq(vec![value]))
                            } else {
                                value
                            };
                            map.push(Entry { key, value });
                        }
                    }
                }
            }
        }
        Some(if fe.key_expr.is_some() {
            Node::new(span, Value::Map(map))
        } else {
            Node::new(span, Value::Seq(seq))
        })
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
            return self.sub(&i.expr, f);
        }
        let mut out = String::new();
        let mut refs = Vec::new();
        let mut known = true;
        for el in elems {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => {
                    let v = self.sub(&i.expr, f);
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
        let instance = |pick: fn(&Instance) -> Option<&Node>| -> Option<Node> {
            let cur = self.cur.get();
            let list = self.instances.borrow();
            self.budgeted(pick(list.get(cur.0 as usize)?)?)
        };
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
            r if self.bindings.borrow().iter().any(|(k, _)| k == r) => match self.binding(r) {
                Some(n) => (n, 0),
                None => return Node::unknown(span, text, Vec::new()),
            },
            r if self.is_iterator(r) => {
                let cur = self.cur.get();
                let picked = {
                    let list = self.instances.borrow();
                    let it = list
                        .get(cur.0 as usize)
                        .and_then(|i| i.iters.iter().rev().find(|(n, _, _)| n == r));
                    match (it, attr(0)) {
                        (Some((_, k, _)), Some("key")) => self.budgeted(k),
                        (Some((_, _, v)), Some("value")) => self.budgeted(v),
                        _ => None,
                    }
                };
                match picked {
                    Some(n) => (n, 1),
                    None => return Node::unknown(span, text, Vec::new()),
                }
            }
            "each" | "count" => {
                let picked = match (root.as_str(), attr(0)) {
                    ("each", Some("key")) | ("count", Some("index")) => {
                        instance(|i| i.key.as_ref())
                    }
                    ("each", Some("value")) => instance(|i| i.value.as_ref()),
                    _ => None,
                };
                match picked {
                    // `count.index` has no place in the source: it points where it is used.
                    Some(mut n) if root == "count" => {
                        n.span = span;
                        (n, 1)
                    }
                    Some(n) => (n, 1),
                    None => return Node::unknown(span, text, vec![self.ref_path(&root, ops, f)]),
                }
            }
            _ => {
                let path = self.ref_path(&root, ops, f);
                // A repeated block as a whole: the collection of its instances.
                let bare = ops.len() == if root == "data" { 2 } else { 1 };
                if bare
                    && root != "module"
                    && let Some(n) = self.instances_of(&path, span)
                {
                    return n;
                }
                // resource, data source, module, self: not knowable statically
                return Node::unknown(span, text, vec![path]);
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
                    let idx = self.sub(x, f);
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

    /// The reference a resource, data source or module traversal makes, for Unknown values:
    /// `aws_iam_role.ci.arn`; the instance index is kept when it is knowable and the block is
    /// repeated (`aws_iam_role.ci["a"].arn`), since that is the instance's address.
    fn ref_path(
        &self,
        root: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        f: FileId,
    ) -> String {
        let mut path = root.to_owned();
        // The name is the 2nd part (`type.name`, `module.name`), the 3rd for `data.type.name`.
        let name_at = if root == "data" { 2 } else { 1 };
        let mut attrs = 0;
        for op in ops {
            match op.value() {
                TraversalOperator::GetAttr(id) => {
                    path.push('.');
                    path.push_str(id.as_str());
                    attrs += 1;
                }
                TraversalOperator::Index(x) if attrs == name_at => {
                    if self.repeated.borrow().contains_key(&path)
                        && let Some(k) = index_key(&self.sub(x, f))
                    {
                        path.push_str(&k);
                    }
                    attrs += 1;
                }
                TraversalOperator::LegacyIndex(i) if attrs == name_at => {
                    if self.repeated.borrow().contains_key(&path) {
                        path.push_str(&format!("[{}]", i.value()));
                    }
                    attrs += 1;
                }
                _ => {}
            }
        }
        path
    }

    /// Evaluate a `var.` / `local.` definition on its own: outside any instance and `for`
    /// binding (they cannot see them), noting whether a variable default was used.
    fn definition(&self, e: ExprRef<'_>) -> (Node, bool) {
        let bindings = std::mem::take(&mut *self.bindings.borrow_mut());
        let outer = self.used_default.replace(false);
        let n = self.eval(match e {
            ExprRef::Hcl(x, f, _) => ExprRef::Hcl(x, f, Inst::NONE),
            ExprRef::Json(n, _) => ExprRef::Json(n, Inst::NONE),
        });
        let defaults = self.used_default.replace(outer);
        *self.bindings.borrow_mut() = bindings;
        (n, defaults)
    }

    /// A memoised value, handed out at `at`.
    fn remembered(&self, key: &str, at: Span) -> Option<Node> {
        let memo = self.memo.borrow();
        let m = memo.get(key)?;
        if m.defaults {
            self.used_default.set(true);
        }
        Some(self.admit(&m.node, at, key, m.respan))
    }

    fn remember(&self, key: String, m: Memo, at: Span) -> Node {
        if m.defaults {
            self.used_default.set(true);
        }
        let out = self.admit(&m.node, at, &key, m.respan);
        self.memo.borrow_mut().insert(key, m);
        out
    }

    fn var(&self, name: &str, at: Span) -> Node {
        let key = format!("var.{name}");
        if let Some(n) = self.remembered(&key, at) {
            return n;
        }
        let unknown = || Node::unknown(at, key.clone(), vec![key.clone()]);
        // A call's input (null means "use the default"), then tfvars, then the default.
        if let Some(n) = self.inputs.get(name).filter(|n| !n.is_null()) {
            let m = Memo {
                node: n.clone(),
                defaults: false,
                respan: true,
            };
            return self.remember(key, m, at);
        }
        let (expr, is_default) = match self.tfvars.get(name) {
            Some(e) => (Some(*e), false),
            // A called module's defaults are what its caller chose by leaving them out.
            None => (self.vars.get(name).copied(), self.prefix.is_empty()),
        };
        let m = match expr {
            Some(e) if self.in_progress.borrow_mut().insert(key.clone()) => {
                let (n, defaults) = self.definition(e);
                self.in_progress.borrow_mut().remove(&key);
                Memo {
                    node: if n.is_null() { unknown() } else { n },
                    defaults: defaults || is_default,
                    respan: false,
                }
            }
            _ => Memo {
                node: unknown(),
                defaults: false,
                respan: false,
            },
        };
        self.remember(key, m, at)
    }

    fn local(&self, name: &str, at: Span) -> Node {
        let key = format!("local.{name}");
        if let Some(n) = self.remembered(&key, at) {
            return n;
        }
        let m = match self.locals.get(name).copied() {
            Some(e) if self.in_progress.borrow_mut().insert(key.clone()) => {
                let (node, defaults) = self.definition(e);
                self.in_progress.borrow_mut().remove(&key);
                Memo {
                    node,
                    defaults,
                    respan: false,
                }
            }
            _ => Memo {
                node: Node::unknown(at, key.clone(), vec![key.clone()]),
                defaults: false,
                respan: false,
            },
        };
        self.remember(key, m, at)
    }

    /// A copy of a referenced value, if it fits the expansion budget and, nested where it is
    /// used, stays within [`MAX_DEPTH`] (a chain of locals each wrapping the previous one
    /// would otherwise build trees deeper than any stack); otherwise Unknown.
    fn admit(&self, n: &Node, at: Span, key: &str, respan_to_use: bool) -> Node {
        let room = (MAX_DEPTH + 2).saturating_sub(self.depth.get()) as usize;
        let left = MAX_EXPANSION.saturating_sub(self.expanded.get());
        match weigh(n, room, left) {
            Some(w) => {
                self.expanded.set(self.expanded.get() + w);
                let mut out = n.clone();
                if respan_to_use {
                    respan(&mut out, at);
                }
                out
            }
            None => Node::unknown(at, key, vec![key.to_owned()]),
        }
    }

    fn func(&self, fc: &FuncCall, span: Span, f: FileId) -> Node {
        let name = fc.name.name.as_str();
        let args: Vec<&Expression> = fc.args.iter().collect();
        let arg = |i: usize| args.get(i).map(|x| self.sub(x, f));
        let unknown = || self.unknown_from(span, &Expression::FuncCall(Box::new(fc.clone())), f);
        if fc.args.expand_final() {
            return unknown();
        }
        match name {
            // Encoding functions keep the structure: rules read the object, not its JSON text.
            "jsonencode" | "yamlencode" | "tolist" | "tomap" | "sensitive" | "nonsensitive"
            | "base64encode" | "textencodebase64" => arg(0).unwrap_or_else(unknown),
            // A set of strings has no duplicates and iterates in lexical order.
            "toset" => match arg(0) {
                Some(Node {
                    value: Value::Seq(mut items),
                    span: s,
                }) => {
                    if items.iter().all(|i| matches!(i.value, Value::Str(_))) {
                        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                        items.dedup_by(|a, b| a.as_str() == b.as_str());
                    }
                    Node::new(s, Value::Seq(items))
                }
                Some(n) => n,
                None => unknown(),
            },
            "length" => match arg(0).map(|n| n.value) {
                Some(Value::Seq(v)) => Node::new(span, Value::Number(v.len().to_string())),
                Some(Value::Map(v)) => Node::new(span, Value::Number(v.len().to_string())),
                Some(Value::Str(v)) => {
                    Node::new(span, Value::Number(v.chars().count().to_string()))
                }
                _ => unknown(),
            },
            "keys" | "values" => match arg(0) {
                Some(Node {
                    value: Value::Map(entries),
                    span: s,
                }) => {
                    let mut entries = entries;
                    // Terraform returns both in lexical order of the keys.
                    entries.sort_by(|a, b| a.key.as_str().cmp(&b.key.as_str()));
                    let items = entries
                        .into_iter()
                        .map(|e| if name == "keys" { e.key } else { e.value })
                        .collect();
                    Node::new(s, Value::Seq(items))
                }
                _ => unknown(),
            },
            "tostring" => match arg(0) {
                Some(n) if matches!(n.value, Value::Str(_)) => n,
                Some(Node {
                    value: Value::Number(v) | Value::Str(v),
                    span: s,
                }) => Node::new(s, Value::Str(v)),
                Some(Node {
                    value: Value::Bool(b),
                    span: s,
                }) => Node::new(s, Value::Str(b.to_string())),
                _ => unknown(),
            },
            "contains" => {
                let (Some(list), Some(x)) = (arg(0), arg(1)) else {
                    return unknown();
                };
                match (list.as_seq(), x.as_str()) {
                    (Some(items), Some(x)) if !items.iter().any(Node::is_unknown) => Node::new(
                        span,
                        Value::Bool(items.iter().any(|i| i.as_str() == Some(x))),
                    ),
                    _ => unknown(),
                }
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
            Value::Str(s) if !self.literal && s.contains("${") => {
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
                            [Element::Interpolation(i)] => self.sub(&i.expr, f),
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
                Value::Seq(
                    items
                        .iter()
                        .map(|i| self.eval(ExprRef::Json(i, self.cur.get())))
                        .collect(),
                ),
            ),
            Value::Map(entries) => Node::new(
                n.span,
                Value::Map(
                    entries
                        .iter()
                        .map(|e| Entry {
                            key: e.key.clone(),
                            value: self.eval(ExprRef::Json(&e.value, self.cur.get())),
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

/// The address suffix of an instance key: `["a"]` for a string, `[0]` for a number.
pub fn index_key(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => {
            let mut out = String::with_capacity(s.len() + 4);
            out.push_str("[\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if c.is_control() => out.push(' '),
                    c => out.push(c),
                }
            }
            out.push_str("\"]");
            Some(out)
        }
        Value::Number(s) => Some(format!("[{s}]")),
        _ => None,
    }
}

/// A number as Terraform prints it: integers without a fraction.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// `==`, `!=`, `&&`, `||`, comparisons and arithmetic on known values.
fn binary(op: BinaryOperator, l: &Node, r: &Node) -> Option<Value> {
    let num = |n: &Node| match &n.value {
        Value::Number(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    let scalar = |n: &Node| {
        matches!(
            n.value,
            Value::Str(_) | Value::Number(_) | Value::Bool(_) | Value::Null
        )
    };
    Some(match op {
        BinaryOperator::And => Value::Bool(l.as_bool()? && r.as_bool()?),
        BinaryOperator::Or => Value::Bool(l.as_bool()? || r.as_bool()?),
        BinaryOperator::Eq | BinaryOperator::NotEq => {
            if !scalar(l) || !scalar(r) {
                return None;
            }
            let eq = match (num(l), num(r)) {
                (Some(a), Some(b)) => a == b,
                _ => l.value == r.value,
            };
            Value::Bool(eq == (op == BinaryOperator::Eq))
        }
        BinaryOperator::Less => Value::Bool(num(l)? < num(r)?),
        BinaryOperator::LessEq => Value::Bool(num(l)? <= num(r)?),
        BinaryOperator::Greater => Value::Bool(num(l)? > num(r)?),
        BinaryOperator::GreaterEq => Value::Bool(num(l)? >= num(r)?),
        BinaryOperator::Plus => Value::Number(number_text(num(l)? + num(r)?)),
        BinaryOperator::Minus => Value::Number(number_text(num(l)? - num(r)?)),
        BinaryOperator::Mul => Value::Number(number_text(num(l)? * num(r)?)),
        BinaryOperator::Div | BinaryOperator::Mod => {
            let (a, b) = (num(l)?, num(r)?);
            if b == 0.0 {
                return None;
            }
            Value::Number(number_text(if op == BinaryOperator::Div {
                a / b
            } else {
                a % b
            }))
        }
    })
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
