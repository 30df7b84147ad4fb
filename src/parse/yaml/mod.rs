//! Multi-document YAML and JSON into located [`Node`] trees, built from granit-parser events.
//!
//! Anchors and aliases are expanded (aliases become copies carrying the anchor's spans), merge
//! keys `<<` are applied with explicit keys winning, and every resource is bounded: nodes
//! (counting alias copies, so alias bombs stop early), documents and nesting depth. The builder
//! uses an explicit stack, never recursion on input structure.

mod fast;

use std::collections::{HashMap, HashSet};

use granit_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::ParseError;
use super::doc::{Entry, Node, Value};
use crate::source::{FileId, Span};

/// Resource limits for one file.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Total nodes, including every copy made by alias expansion.
    pub max_nodes: usize,
    pub max_documents: usize,
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_nodes: 2_000_000,
            max_documents: 100_000,
            max_depth: 200,
        }
    }
}

/// One document of a stream, with the span of its content.
#[derive(Debug)]
pub struct Document {
    pub root: Node,
}

/// An open collection. Its children so far are `Builder::items[start..]` (a mapping's keys
/// and values alternate there): one scratch stack for the whole file, and each collection gets
/// one vector of its exact size when it closes, instead of growing a vector per collection.
enum Frame {
    Seq {
        span: Span,
        anchor: usize,
        start: usize,
    },
    Map {
        span: Span,
        anchor: usize,
        start: usize,
        has_merge: bool,
    },
}

struct Builder {
    file: FileId,
    base: usize,
    budget: Budget,
    nodes: usize,
    stack: Vec<Frame>,
    items: Vec<Node>,
    anchors: HashMap<usize, (Node, usize)>,
}

/// Parse a YAML stream (or a JSON text: JSON is YAML 1.2 flow syntax) into documents.
/// `base` is added to every byte offset (for documents embedded in another file).
///
/// Text written in the common subset of YAML (see [`fast`]) is read by a direct reader; the
/// rest, and every error, by the full parser, which gives the same trees.
pub fn parse_stream(
    text: &str,
    file: FileId,
    base: usize,
    budget: Budget,
) -> Result<Vec<Document>, ParseError> {
    if let Some(docs) = fast::parse(text, file, base, budget) {
        return Ok(docs);
    }
    parse_events(text, file, base, budget)
}

/// The fast reader alone: `None` when the text is outside the subset it reads. For
/// differential tests against [`parse_events`].
pub fn parse_fast(text: &str, file: FileId, base: usize, budget: Budget) -> Option<Vec<Document>> {
    fast::parse(text, file, base, budget)
}

/// [`parse_stream`] by the full parser alone (granit-parser events), for differential tests.
pub fn parse_events(
    text: &str,
    file: FileId,
    base: usize,
    budget: Budget,
) -> Result<Vec<Document>, ParseError> {
    let mut b = Builder {
        file,
        base,
        budget,
        nodes: 0,
        stack: Vec::new(),
        items: Vec::new(),
        anchors: HashMap::new(),
    };
    let mut docs: Vec<Document> = Vec::new();
    let mut current: Option<Node> = None;
    let mut doc_start: Option<YSpan> = None;
    for next in Parser::new_from_str(text) {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            ParseError::at(e.info().to_string(), m.line(), m.col() + 1)
        })?;
        match event {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(..) => {
                if docs.len() >= b.budget.max_documents {
                    return Err(ParseError::at(
                        format!(
                            "more than {} documents in one file (budget)",
                            b.budget.max_documents
                        ),
                        span.start.line(),
                        span.start.col() + 1,
                    ));
                }
                current = None;
                doc_start = Some(span);
                b.anchors.clear();
            }
            Event::DocumentEnd => {
                let root = current.take().unwrap_or_else(|| {
                    let s = doc_start.map(|d| b.span(&d)).unwrap_or_default();
                    Node::new(s, Value::Null)
                });
                docs.push(Document { root });
            }
            Event::Alias(id) => {
                let Some(size) = b.anchors.get(&id).map(|(_, s)| *s) else {
                    return Err(ParseError::at(
                        "alias to an unknown anchor",
                        span.start.line(),
                        span.start.col() + 1,
                    ));
                };
                // Charge before copying, so an alias bomb stops before it allocates.
                b.charge(size, &span)?;
                let Some(node) = b.anchors.get(&id).map(|(n, _)| n.clone()) else {
                    continue;
                };
                b.push_value(node, &mut current);
            }
            Event::Scalar(text, style, anchor, _tag) => {
                b.charge(1, &span)?;
                let value = scalar_value(text, style);
                let node = Node::new(b.span(&span), value);
                if anchor != 0 {
                    b.anchors.insert(anchor, (node.clone(), 1));
                }
                b.push_value(node, &mut current);
            }
            Event::SequenceStart(_, anchor, _) => {
                b.charge(1, &span)?;
                b.open(
                    Frame::Seq {
                        span: b.span(&span),
                        anchor,
                        start: b.items.len(),
                    },
                    &span,
                )?;
            }
            Event::MappingStart(_, anchor, _) => {
                b.charge(1, &span)?;
                b.open(
                    Frame::Map {
                        span: b.span(&span),
                        anchor,
                        start: b.items.len(),
                        has_merge: false,
                    },
                    &span,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    return Err(ParseError::at(
                        "unbalanced collection end",
                        span.start.line(),
                        span.start.col() + 1,
                    ));
                };
                let end = b.base + span.end.byte_offset().unwrap_or(0);
                let (node, anchor) = match frame {
                    Frame::Seq {
                        mut span,
                        anchor,
                        start,
                    } => {
                        span.end = span.end.max(u32::try_from(end).unwrap_or(u32::MAX));
                        let items: Vec<Node> = b.items.drain(start.min(b.items.len())..).collect();
                        (Node::new(span, Value::Seq(items)), anchor)
                    }
                    Frame::Map {
                        mut span,
                        anchor,
                        start,
                        has_merge,
                    } => {
                        span.end = span.end.max(u32::try_from(end).unwrap_or(u32::MAX));
                        let mut kv = b.items.drain(start.min(b.items.len())..);
                        let mut entries = Vec::with_capacity(kv.len() / 2);
                        // A key left without a value (never emitted by the parser) is dropped.
                        while let (Some(key), Some(value)) = (kv.next(), kv.next()) {
                            entries.push(Entry { key, value });
                        }
                        drop(kv);
                        let entries = if has_merge {
                            apply_merges(entries)
                        } else {
                            entries
                        };
                        (Node::new(span, Value::Map(entries)), anchor)
                    }
                };
                if anchor != 0 {
                    let size = node.size();
                    b.anchors.insert(anchor, (node.clone(), size));
                }
                b.push_value(node, &mut current);
            }
            _ => {}
        }
    }
    Ok(docs)
}

impl Builder {
    fn span(&self, s: &YSpan) -> Span {
        let start = self.base + s.start.byte_offset().unwrap_or(0);
        let end = self.base + s.end.byte_offset().unwrap_or(0);
        Span::new(self.file, start, end)
    }

    fn charge(&mut self, n: usize, at: &YSpan) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.budget.max_nodes {
            return Err(ParseError::at(
                format!(
                    "more than {} nodes after alias expansion (budget; an alias bomb?)",
                    self.budget.max_nodes
                ),
                at.start.line(),
                at.start.col() + 1,
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, at: &YSpan) -> Result<(), ParseError> {
        if self.stack.len() >= self.budget.max_depth {
            return Err(ParseError::at(
                format!("nesting deeper than {} levels", self.budget.max_depth),
                at.start.line(),
                at.start.col() + 1,
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn push_value(&mut self, node: Node, current: &mut Option<Node>) {
        match self.stack.last_mut() {
            None => *current = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map {
                start, has_merge, ..
            }) => {
                // an odd count of children so far: this node is the value of the last key
                if self.items.len().saturating_sub(*start) % 2 == 1
                    && let Some(key) = self.items.last()
                    && key.as_str() == Some("<<")
                    && matches!(key.value, Value::Str(_))
                {
                    *has_merge = true;
                }
                self.items.push(node);
            }
        }
    }
}

/// Apply YAML merge keys: explicit entries win, then earlier merge sources over later ones.
fn apply_merges(entries: Vec<Entry>) -> Vec<Entry> {
    let mut explicit = Vec::with_capacity(entries.len());
    let mut sources = Vec::new();
    for e in entries {
        if e.key.as_str() == Some("<<") {
            match e.value.value {
                Value::Map(m) => sources.push(m),
                Value::Seq(items) => {
                    for it in items {
                        if let Value::Map(m) = it.value {
                            sources.push(m);
                        }
                    }
                }
                _ => {}
            }
        } else {
            explicit.push(e);
        }
    }
    // A set, not a search of the entries so far: merge chains (each level merging all the
    // earlier ones) would make that cubic.
    let mut taken: HashSet<String> = explicit
        .iter()
        .filter_map(|x| x.key.as_str().map(str::to_owned))
        .collect();
    let mut merged: Vec<Entry> = Vec::new();
    for src in sources {
        for e in src {
            if e.key.as_str().is_none_or(|k| taken.insert(k.to_owned())) {
                merged.push(e);
            }
        }
    }
    merged.extend(explicit);
    merged
}

/// YAML 1.2 core schema resolution of plain scalars; quoted and block scalars are strings.
/// Takes the parser's text by value: an unescaped scalar is already an owned string.
fn scalar_value(text: std::borrow::Cow<'_, str>, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(text.into_owned());
    }
    match plain_kind(&text) {
        Some(v) => v,
        None => Value::Str(text.into_owned()),
    }
}

/// A plain scalar's resolution: `None` for a string, else null, a boolean or a number.
fn plain_kind(t: &str) -> Option<Value> {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        t if looks_numeric(t) => Some(Value::Number(t.to_owned())),
        _ => None,
    }
}

fn looks_numeric(t: &str) -> bool {
    let s = t.strip_prefix(['-', '+']).unwrap_or(t);
    if s.is_empty() {
        return false;
    }
    if let Some(h) = s.strip_prefix("0x") {
        return !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(o) = s.strip_prefix("0o") {
        return !o.is_empty() && o.chars().all(|c| ('0'..='7').contains(&c));
    }
    if matches!(s, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let mut digits = 0;
    let mut dot = false;
    let mut exp = false;
    let mut prev = ' ';
    for c in s.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' if !dot && !exp => dot = true,
            'e' | 'E' if !exp && digits > 0 => exp = true,
            '+' | '-' if prev == 'e' || prev == 'E' => {}
            _ => return false,
        }
        prev = c;
    }
    digits > 0 && !matches!(prev, 'e' | 'E' | '+' | '-')
}

/// Parse a JSON text with spans. JSON syntax is checked strictly first (YAML would accept
/// `{a: yes,}`), then the same builder as YAML produces the located tree.
pub fn parse_json(
    text: &str,
    file: FileId,
    base: usize,
    budget: Budget,
) -> Result<Node, ParseError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(ParseError::at(json_error_message(&e), e.line(), e.column()));
    }
    let mut docs = parse_stream(text, file, base, budget)?;
    match docs.len() {
        1 => Ok(docs.remove(0).root),
        _ => Err(ParseError::new("expected exactly one JSON value")),
    }
}

fn json_error_message(e: &serde_json::Error) -> String {
    // serde_json appends " at line X column Y"; the location is reported separately.
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Vec<Document> {
        parse_stream(s, FileId(0), 0, Budget::default()).expect("parses")
    }

    #[test]
    fn spans_point_at_scalars_in_later_documents() {
        let src = "a: 1\n---\nkind: Role\nverbs: [\"*\"]\n";
        let docs = parse(src);
        assert_eq!(docs.len(), 2);
        let verbs = docs[1].root.get("verbs").expect("verbs");
        let star = &verbs.as_seq().expect("seq")[0];
        assert_eq!(
            &src[star.span.start as usize..star.span.end as usize],
            "\"*\""
        );
    }

    #[test]
    fn merge_keys_keep_explicit_values_and_defined_spans() {
        let src = "base: &b\n  x: 1\n  y: 2\njob:\n  <<: *b\n  y: 3\n";
        let docs = parse(src);
        let job = docs[0].root.get("job").expect("job");
        assert_eq!(job.get("x").and_then(Node::as_str), Some("1"));
        assert_eq!(job.get("y").and_then(Node::as_str), Some("3"));
        // merged value points where it was defined
        let x = job.get("x").expect("x");
        assert_eq!(&src[x.span.start as usize..x.span.end as usize], "1");
        assert!(x.span.start < 20);
    }

    #[test]
    fn alias_bomb_hits_the_node_budget() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse_stream(&s, FileId(0), 0, Budget::default()).expect_err("budget");
        assert!(err.message.contains("budget"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "[".repeat(100_000);
        assert!(parse_stream(&s, FileId(0), 0, Budget::default()).is_err());
        let j = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(parse_json(&j, FileId(0), 0, Budget::default()).is_err());
    }

    #[test]
    fn json_is_strict() {
        assert!(parse_json("{a: 1}", FileId(0), 0, Budget::default()).is_err());
        let n = parse_json("{\"a\": [1, \"b\"]}", FileId(0), 0, Budget::default()).expect("ok");
        assert_eq!(
            n.get("a").and_then(|a| a.as_seq()).map(|s| s.len()),
            Some(2)
        );
    }

    #[test]
    fn plain_scalars_resolve_like_yaml_1_2() {
        let d = parse("a: on\nb: true\nc: 012\nd: ~\ne: '1'\n");
        let r = &d[0].root;
        assert_eq!(r.get("a").map(|n| &n.value), Some(&Value::Str("on".into())));
        assert_eq!(r.get("b").map(|n| &n.value), Some(&Value::Bool(true)));
        assert_eq!(
            r.get("c").map(|n| &n.value),
            Some(&Value::Number("012".into()))
        );
        assert_eq!(r.get("d").map(|n| &n.value), Some(&Value::Null));
        assert_eq!(r.get("e").map(|n| &n.value), Some(&Value::Str("1".into())));
    }
}
