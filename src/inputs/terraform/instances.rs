//! `count` and `for_each`: a repeated block is read once per instance, with `count.index` /
//! `each.key` / `each.value` known inside it and the instance key in its address
//! (`aws_iam_role.ci["deploy"]`, `aws_iam_role.ci[0]`), as Terraform names the objects.
//!
//! A collection that cannot be known (a resource attribute, a variable without default, more
//! elements than [`MAX_PER_BLOCK`]) leaves the block read once with `each` unknown, as before:
//! rules that cannot decide say so. An empty collection removes the block, unless a variable
//! default made it empty: a module's defaults are its author's example (`create_role = false`),
//! and a module scanned on its own is still audited for what it would create.

use super::body::{BlockRef, BodyRef, local_address};
use super::eval::{Evaluator, Repeated, index_key};
use crate::parse::doc::{Node, Value};
use crate::report::{Diagnostic, Level};
use crate::source::Span;

/// Instances of one block beyond which it is read once with `each` unknown.
pub const MAX_PER_BLOCK: usize = 256;
/// Instances of one module evaluation beyond which further repeated blocks are read once.
pub const MAX_PER_MODULE: usize = 4096;

/// What a `count` / `for_each` value says about a block.
enum Repeat {
    /// Read once per (each.key, each.value).
    Each(Vec<(Node, Node)>),
    /// Read `n` times with `count.index`.
    Count(usize),
    /// No instance: the block creates nothing.
    Never,
    /// Read once, `each` unknown (no `count` / `for_each`, or an unknowable collection).
    Once,
}

/// Blocks of one module evaluation, repeated blocks expanded into their instances, every block
/// addressed under `prefix` (`module.x.`, empty at the root).
pub fn expand<'m>(
    ev: &Evaluator<'m>,
    raw: Vec<BlockRef<'m>>,
    prefix: &str,
    notes: &mut Vec<Diagnostic>,
) -> Vec<BlockRef<'m>> {
    let mut budget = MAX_PER_MODULE;
    // Decide every block's repetition first, so that references evaluated later already know
    // which blocks are repeated (and keep their index). A block repeated over another one
    // (`for_each = aws_iam_user.bots`) is decided again once every block has been.
    let mut decided: Vec<Repeat> = Vec::with_capacity(raw.len());
    for round in 0..2 {
        for (i, b) in raw.iter().enumerate() {
            if round == 1 && !matches!(decided.get(i), Some(Repeat::Once)) {
                continue;
            }
            let r = match repeat(ev, b, notes, round == 1) {
                Repeat::Once if round == 1 => continue,
                r => r,
            };
            let n = match &r {
                Repeat::Each(v) => v.len(),
                Repeat::Count(n) => *n,
                _ => 0,
            };
            let r = if n > budget {
                note(ev, b, notes, "more instances than one module may expand");
                Repeat::Once
            } else {
                budget -= n;
                match &r {
                    Repeat::Each(pairs) => ev.mark_repeated(
                        local_address(b),
                        Repeated {
                            keys: pairs.iter().map(|(k, _)| k.clone()).collect(),
                            count: false,
                        },
                    ),
                    Repeat::Count(n) => ev.mark_repeated(
                        local_address(b),
                        Repeated {
                            keys: (0..*n)
                                .map(|i| Node::new(b.header, Value::Number(i.to_string())))
                                .collect(),
                            count: true,
                        },
                    ),
                    _ => {}
                }
                r
            };
            match decided.get_mut(i) {
                Some(d) => *d = r,
                None => decided.push(r),
            }
        }
    }
    let mut out = Vec::with_capacity(raw.len());
    for (mut b, r) in raw.into_iter().zip(decided) {
        b.module = prefix.to_owned();
        match r {
            Repeat::Once => out.push(b),
            Repeat::Never => {}
            Repeat::Count(n) => {
                for i in 0..n {
                    let idx = Node::new(b.header, Value::Number(i.to_string()));
                    let key = format!("[{i}]");
                    let inst = ev.add_instance(idx.clone(), idx);
                    out.push(b.instance(inst, key));
                }
            }
            Repeat::Each(pairs) => {
                for (k, v) in pairs {
                    let key = index_key(&k).unwrap_or_default();
                    let inst = ev.add_instance(k, v);
                    out.push(b.instance(inst, key));
                }
            }
        }
    }
    out
}

/// What one `dynamic` block generates.
pub enum Generated<'m> {
    /// One generated block: the `content` body read with the iterator's key and value.
    Block(BlockRef<'m>),
    /// The collection cannot be known (or is too large): the generated blocks are unknown.
    Unknown(Span),
}

/// The `dynamic "<name>"` blocks of a body, expanded over their `for_each` as Terraform
/// does; a collection that cannot be known leaves one [`Generated::Unknown`].
pub fn dynamic_blocks<'m>(
    ev: &Evaluator<'m>,
    body: &BodyRef<'m>,
    name: &str,
) -> Vec<Generated<'m>> {
    let dynamics = {
        let sources = ev.sources.borrow();
        body.dynamics(name, &sources)
    };
    let mut out = Vec::new();
    for d in dynamics {
        let (Some(for_each), Some(content)) = (d.for_each, d.content) else {
            out.push(Generated::Unknown(d.block.full));
            continue;
        };
        let n = ev.eval(for_each.expr);
        let pairs: Option<Vec<(Node, Node)>> = match n.value {
            Value::Map(entries) => entries
                .into_iter()
                .map(|e| {
                    let k = e.key.as_str()?.to_owned();
                    Some((Node::new(e.key.span, Value::Str(k)), e.value))
                })
                .collect(),
            Value::Seq(items) => Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Node::new(v.span, Value::Number(i.to_string())), v))
                    .collect(),
            ),
            _ => None,
        };
        match pairs {
            Some(pairs) if pairs.len() <= MAX_PER_BLOCK => {
                for (k, v) in pairs {
                    let Some(inst) = ev.add_iteration(body.inst(), &d.iterator, k, v) else {
                        ev.note_unexpanded(d.block.header);
                        out.push(Generated::Unknown(d.block.full));
                        break;
                    };
                    out.push(Generated::Block(BlockRef {
                        ident: name.to_owned(),
                        labels: Vec::new(),
                        header: d.block.header,
                        full: d.block.full,
                        body: content.with_inst(inst),
                        module: d.block.module.clone(),
                        key: String::new(),
                    }));
                }
            }
            Some(_) => {
                ev.note_unexpanded(d.block.header);
                out.push(Generated::Unknown(d.block.full));
            }
            None => out.push(Generated::Unknown(d.block.full)),
        }
    }
    out
}

/// The note for a module evaluation whose `dynamic` blocks were not all expanded.
pub fn unexpanded_note(ev: &Evaluator) -> Option<Diagnostic> {
    let span = ev.unexpanded()?;
    let src = ev.sources.borrow();
    let file = src.get(span.file)?;
    let at = file.line_col(span.start);
    Some(
        Diagnostic::error(
            file.display.clone(),
            format!(
                "a `dynamic` block generates more than {MAX_PER_BLOCK} blocks, or {} per module: what it generates is read as unknown",
                super::eval::MAX_ITERATIONS
            ),
        )
        .at(Some(at.line), Some(at.col))
        .level(Level::Note),
    )
}

/// `quiet`: a second reading, whose notes were given by the first.
fn repeat(ev: &Evaluator, b: &BlockRef, notes: &mut Vec<Diagnostic>, quiet: bool) -> Repeat {
    let mut scratch = Vec::new();
    let notes = if quiet { &mut scratch } else { notes };
    if !matches!(b.ident.as_str(), "resource" | "data" | "module") {
        return Repeat::Once;
    }
    if let Some(a) = b.body.attr("count") {
        let (n, decided) = ev.eval_decided(a.expr);
        let count = match &n.value {
            Value::Number(s) => s
                .parse::<f64>()
                .ok()
                .filter(|x| x.fract() == 0.0 && *x >= 0.0)
                .map(|x| x as usize),
            _ => None,
        };
        return match count {
            Some(0) if decided => Repeat::Never,
            Some(0) | None => Repeat::Once,
            Some(c) if c > MAX_PER_BLOCK => {
                note(
                    ev,
                    b,
                    notes,
                    "`count` is larger than the instances one block may expand",
                );
                Repeat::Once
            }
            Some(c) => Repeat::Count(c),
        };
    }
    let Some(a) = b.body.attr("for_each") else {
        return Repeat::Once;
    };
    let (n, decided) = ev.eval_decided(a.expr);
    let mut pairs: Vec<(Node, Node)> = match n.value {
        Value::Map(entries) => {
            let mut pairs = Vec::with_capacity(entries.len());
            for e in entries {
                if e.key.as_str().is_none() {
                    return Repeat::Once;
                }
                pairs.push((e.key, e.value));
            }
            pairs
        }
        // A set of strings: each.key and each.value are the element.
        Value::Seq(items) => {
            let mut pairs = Vec::with_capacity(items.len());
            for i in items {
                let s = match &i.value {
                    Value::Str(s) | Value::Number(s) => s.clone(),
                    Value::Bool(b) => b.to_string(),
                    _ => return Repeat::Once,
                };
                let key = Node::new(i.span, Value::Str(s));
                pairs.push((key.clone(), Node::new(i.span, key.value)));
            }
            pairs
        }
        _ => return Repeat::Once,
    };
    // Terraform orders instances by key; a key given twice is one instance (the last value).
    pairs.sort_by(|x, y| x.0.as_str().cmp(&y.0.as_str()));
    pairs.reverse();
    pairs.dedup_by(|x, y| x.0.as_str() == y.0.as_str());
    pairs.reverse();
    match pairs.len() {
        0 if decided => Repeat::Never,
        0 => Repeat::Once,
        n if n > MAX_PER_BLOCK => {
            note(
                ev,
                b,
                notes,
                "`for_each` has more elements than one block may expand",
            );
            Repeat::Once
        }
        _ => Repeat::Each(pairs),
    }
}

fn note(ev: &Evaluator, b: &BlockRef, notes: &mut Vec<Diagnostic>, why: &str) {
    let src = ev.sources.borrow();
    let Some(file) = src.get(b.header.file) else {
        return;
    };
    let at = file.line_col(b.header.start);
    notes.push(
        Diagnostic::error(
            file.display.clone(),
            format!(
                "{why} ({} or {MAX_PER_MODULE} per module): `{}` read once with `each` / `count.index` unknown",
                MAX_PER_BLOCK,
                local_address(b)
            ),
        )
        .at(Some(at.line), Some(at.col))
        .level(Level::Note),
    );
}
