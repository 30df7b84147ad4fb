//! Helm chart templates read without helm: a tolerant, line-preserving rendering of a Go
//! template into YAML that the normal parser reads.
//!
//! Every template line stays on its line. Control actions (`if`, `else`, `end`, `range`,
//! `with`, `define` bodies, assignments, comments) are blanked and the content of every branch
//! is kept. Output actions become the value they have with the chart's default `values.yaml`
//! when that is a plain lookup (through `quote`, `default`, `toYaml`, `nindent` and a few other
//! functions), or a marked placeholder scalar `__helm_N__` that [`Rendered::restore`] turns
//! back into a readable `{{ ... }}` text after parsing. Maps and lists from `toYaml` are
//! written as one-line flow collections, so nothing after them moves. Columns may shift: a
//! piece table maps every rendered byte back to the template, so spans point at real template
//! text. Branches whose condition does not hold with the default values are kept as line
//! [`Region`]s, so an object created only when `rbac.create` is true can say so.

mod emit;
mod eval;
mod expr;

use std::collections::HashMap;

use super::doc::{Node, Value};
use crate::source::Span;
use emit::{Scan, escape_double, flow, json_quote, plain_safe, previous_key, starts_scalar};
use eval::{Flags, V};
use expr::{Action, Kind, Pipeline, lex};

/// What a template sees of its chart.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    /// The default `values.yaml` (an empty map when the chart has none); `None` when it could
    /// not be read, and every `.Values` lookup is then unknown rather than empty.
    pub values: Option<Node>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub app_version: Option<String>,
}

/// Template lines `first_line..=last_line` are rendered only when `note` holds (it does not
/// with the default values, or cannot be decided statically).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub first_line: u32,
    pub last_line: u32,
    /// What must hold, e.g. `rbac.create is true`.
    pub note: String,
}

/// Why a template could not be read, naming the construct and its line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("unterminated `{{{{` action at line {0}")]
    Unterminated(u32),
    #[error("`{{{{ end }}}}` at line {0} closes no block")]
    StrayEnd(u32),
    #[error("`{{{{ else }}}}` at line {0} is outside any block")]
    StrayElse(u32),
    #[error("`{{{{ {keyword} }}}}` opened at line {line} is never closed")]
    Unclosed { keyword: &'static str, line: u32 },
    #[error("template is too large to render")]
    TooLarge,
}

/// A rendered template: YAML text with the template's lines, and how to map back.
#[derive(Debug)]
pub struct Rendered {
    pub text: String,
    pieces: Vec<Piece>,
    source_len: u32,
    /// Where each rendered line starts.
    line_starts: Vec<u32>,
    /// Display text of each `__helm_N__` placeholder.
    placeholders: Vec<String>,
    /// Conditional line ranges, outermost first.
    pub regions: Vec<Region>,
}

/// A run of rendered bytes and the template bytes it came from: copied verbatim (byte for
/// byte) or replacing a whole action or blanked text.
#[derive(Clone, Copy, Debug)]
struct Piece {
    r: u32,
    o: u32,
    r_len: u32,
    o_len: u32,
    verbatim: bool,
}

const TOKEN: &str = "__helm_";
/// How far the context checks of a `toYaml` line look for its key and its next sibling.
const CONTEXT_LINES: usize = 200;
/// Nesting limit of parenthesised expressions and of emitted flow collections.
const MAX_DEPTH: usize = 64;
/// Deeper `nindent` values are not YAML anyone writes: such a line is left blank.
const MAX_INDENT: usize = 512;
/// Values written out (flow collections) may add at most this much to a template's size;
/// past it they are placeholders, so a template repeating `toYaml .Values` stays bounded.
const MAX_GROWTH: usize = 16 << 20;

/// Render a template with a chart's defaults.
pub fn render(template: &str, chart: &Chart) -> Result<Rendered, RenderError> {
    if u32::try_from(template.len()).is_err() {
        return Err(RenderError::TooLarge);
    }
    let mut line_starts = vec![0usize];
    let bytes = template.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line_starts.push(i + 1);
        }
    }
    let actions = lex(template, &line_starts)?;
    let r = Renderer {
        src: template,
        chart,
        line_starts,
        actions,
        out: String::with_capacity(template.len()),
        pieces: Vec::new(),
        placeholders: Vec::new(),
        placeholder_ids: HashMap::new(),
        regions: Vec::new(),
        frames: Vec::new(),
        dot: V::Root,
        vars: Vec::new(),
        define_depth: 0,
        scan: Scan::new(0),
    };
    r.run()
}

impl Rendered {
    /// Map a span of the rendered text to the template text it came from.
    pub fn map_span(&self, s: Span) -> Span {
        let start = self.map_start(s.start);
        let end = if s.end <= s.start {
            start
        } else {
            self.map_end(s.end).max(start)
        };
        Span {
            file: s.file,
            start,
            end,
        }
    }

    fn map_start(&self, r: u32) -> u32 {
        let i = self.pieces.partition_point(|p| p.r + p.r_len <= r);
        match self.pieces.get(i) {
            Some(p) if p.verbatim => p.o + (r - p.r).min(p.o_len),
            Some(p) => p.o,
            None => self.source_len,
        }
    }

    fn map_end(&self, r: u32) -> u32 {
        let Some(q) = r.checked_sub(1) else { return 0 };
        let i = self.pieces.partition_point(|p| p.r + p.r_len <= q);
        match self.pieces.get(i) {
            Some(p) if p.verbatim => p.o + (q - p.r + 1).min(p.o_len),
            Some(p) => p.o + p.o_len,
            None => self.source_len,
        }
    }

    /// After parsing the rendered text: point every span at the template, and put the
    /// readable text of each placeholder back into the scalars that hold one.
    pub fn restore(&self, roots: &mut [Node]) {
        let mut stack: Vec<&mut Node> = roots.iter_mut().collect();
        while let Some(n) = stack.pop() {
            n.span = self.map_span(n.span);
            match &mut n.value {
                Value::Str(s) => {
                    if let Some(r) = self.restore_str(s) {
                        *s = r;
                    }
                }
                Value::Seq(items) => stack.extend(items.iter_mut()),
                Value::Map(entries) => {
                    for e in entries.iter_mut() {
                        stack.push(&mut e.key);
                        stack.push(&mut e.value);
                    }
                }
                _ => {}
            }
        }
    }

    /// A scalar's text with placeholders replaced by what they stand for.
    pub fn restore_str(&self, s: &str) -> Option<String> {
        if !s.contains(TOKEN) {
            return None;
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find(TOKEN) {
            out.push_str(&rest[..i]);
            let after = &rest[i + TOKEN.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let shown = after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|_| after[digits..].starts_with("__"))
                .and_then(|n| self.placeholders.get(n));
            match shown {
                Some(d) => {
                    out.push_str(d);
                    rest = &after[digits + 2..];
                }
                None => {
                    out.push_str(TOKEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Some(out)
    }

    /// Regions that start inside lines `first..=last` without covering them all: the parts of
    /// an object written only under a condition.
    pub fn regions_within(&self, first: u32, last: u32) -> impl Iterator<Item = &Region> {
        let from = self.regions.partition_point(|r| r.first_line < first);
        let to = self.regions.partition_point(|r| r.first_line <= last);
        self.regions[from..to.max(from)]
            .iter()
            .filter(move |r| r.first_line > first || r.last_line < last)
    }

    /// The last of lines `first..=last` with content once rendered (control lines are blank).
    pub fn last_content_line(&self, first: u32, last: u32) -> u32 {
        let mut l = last;
        while l > first {
            let idx = l as usize - 1;
            let (Some(&s), e) = (
                self.line_starts.get(idx),
                self.line_starts
                    .get(idx + 1)
                    .copied()
                    .unwrap_or(u32_of(self.text.len())),
            ) else {
                l -= 1;
                continue;
            };
            let t = self.text.get(s as usize..e as usize).unwrap_or("").trim();
            if !t.is_empty() && !t.starts_with('#') && t != "---" {
                break;
            }
            l -= 1;
        }
        l
    }

    /// What must hold for template lines `first..=last` to be rendered at all: the notes of
    /// the regions enclosing them, outermost first.
    pub fn condition(&self, first: u32, last: u32) -> Option<String> {
        let mut notes: Vec<&str> = Vec::new();
        let before = self.regions.partition_point(|r| r.first_line <= first);
        for r in &self.regions[..before] {
            if r.last_line >= last && !notes.contains(&r.note.as_str()) {
                notes.push(&r.note);
            }
        }
        (!notes.is_empty()).then(|| notes.join(" and "))
    }
}

// ------------------------------------------------------------------------------------------
// Rendering

struct Frame<'a> {
    keyword: &'static str,
    line: u32,
    /// Line where the current branch starts.
    branch_line: u32,
    /// What must hold for the current branch (`None`: it holds with the defaults).
    note: Option<String>,
    /// What must not hold for later branches: the negations of earlier conditions.
    negations: Vec<String>,
    pending_negation: Option<String>,
    saved_dot: Option<V<'a>>,
    var_mark: usize,
}

enum Item {
    Text(usize, usize),
    Action(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The line has text: render every part in place.
    Mixed,
    /// Only control actions: a blank line.
    Blank,
    /// Only actions, some of them output: blank, or a flow collection from `toYaml`.
    OwnLine,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Plain,
    Double,
    Single,
    Comment,
}

struct Renderer<'a> {
    src: &'a str,
    chart: &'a Chart,
    line_starts: Vec<usize>,
    actions: Vec<Action>,
    out: String,
    pieces: Vec<Piece>,
    placeholders: Vec<String>,
    placeholder_ids: HashMap<String, usize>,
    regions: Vec<Region>,
    frames: Vec<Frame<'a>>,
    dot: V<'a>,
    vars: Vec<(String, V<'a>)>,
    define_depth: usize,
    scan: Scan,
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Renderer<'a> {
    fn line_of(&self, off: usize) -> u32 {
        u32_of(self.line_starts.partition_point(|&s| s <= off))
    }

    fn verbatim(&mut self, o: usize, o_end: usize) {
        if o_end <= o {
            return;
        }
        let r = u32_of(self.out.len());
        self.out.push_str(self.src.get(o..o_end).unwrap_or(""));
        let len = u32_of(o_end - o);
        if let Some(last) = self.pieces.last_mut()
            && last.verbatim
            && last.r + last.r_len == r
            && last.o + last.o_len == u32_of(o)
        {
            last.r_len += len;
            last.o_len += len;
            return;
        }
        self.pieces.push(Piece {
            r,
            o: u32_of(o),
            r_len: len,
            o_len: len,
            verbatim: true,
        });
    }

    fn replace(&mut self, o: usize, o_end: usize, text: &str) {
        self.pieces.push(Piece {
            r: u32_of(self.out.len()),
            o: u32_of(o),
            r_len: u32_of(text.len()),
            o_len: u32_of(o_end.saturating_sub(o)),
            verbatim: false,
        });
        self.out.push_str(text);
    }

    fn run(mut self) -> Result<Rendered, RenderError> {
        let src = self.src;
        let mut pos = 0;
        let mut ai = 0;
        loop {
            let mut items = Vec::new();
            let mut p = pos;
            let (line_end, brk) = loop {
                let nl = src
                    .get(p..)
                    .and_then(|s| s.find(['\n', '\r']))
                    .map(|i| p + i);
                match self.actions.get(ai).map(|a| (a.start, a.end)) {
                    Some((a, e)) if nl.is_none_or(|n| a < n) => {
                        if a > p {
                            items.push(Item::Text(p, a));
                        }
                        items.push(Item::Action(ai));
                        p = e;
                        ai += 1;
                    }
                    _ => {
                        let n = nl.unwrap_or(src.len());
                        if n > p {
                            items.push(Item::Text(p, n));
                        }
                        let brk = match nl {
                            None => 0,
                            Some(n) if src.get(n..n + 2) == Some("\r\n") => 2,
                            Some(_) => 1,
                        };
                        break (n, brk);
                    }
                }
            };
            self.line(&items)?;
            if brk == 0 {
                break;
            }
            if src.get(line_end..line_end + brk) == Some("\r") {
                // A lone `\r` followed by a `\n` of the rendering would read as one break.
                self.replace(line_end, line_end + 1, "\n");
            } else {
                self.verbatim(line_end, line_end + brk);
            }
            pos = line_end + brk;
        }
        if let Some(f) = self.frames.last() {
            return Err(RenderError::Unclosed {
                keyword: f.keyword,
                line: f.line,
            });
        }
        self.regions
            .sort_by_key(|r| (r.first_line, std::cmp::Reverse(r.last_line)));
        let mut line_starts = vec![0u32];
        let b = self.out.as_bytes();
        for (i, c) in b.iter().enumerate() {
            if *c == b'\n' || (*c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                line_starts.push(u32_of(i + 1));
            }
        }
        Ok(Rendered {
            line_starts,
            text: self.out,
            pieces: self.pieces,
            source_len: u32_of(src.len()),
            placeholders: self.placeholders,
            regions: self.regions,
        })
    }

    fn line(&mut self, items: &[Item]) -> Result<(), RenderError> {
        let src = self.src;
        let has_text = items.iter().any(|i| match i {
            Item::Text(s, e) => !src.get(*s..*e).unwrap_or("").trim().is_empty(),
            Item::Action(_) => false,
        });
        let outputs = items
            .iter()
            .filter(|i| matches!(i, Item::Action(a) if self.actions[*a].kind.is_output()))
            .count();
        let mode = if has_text {
            Mode::Mixed
        } else if outputs == 0 {
            Mode::Blank
        } else {
            Mode::OwnLine
        };
        let line_start = self.out.len();
        for (k, item) in items.iter().enumerate() {
            match *item {
                Item::Text(s, e) => {
                    if mode == Mode::Mixed && self.define_depth == 0 {
                        self.verbatim(s, e);
                    } else {
                        self.replace(s, e, "");
                    }
                }
                Item::Action(i) => {
                    let (start, end) = (self.actions[i].start, self.actions[i].end);
                    // Line breaks inside a multi-line action stay line breaks (one `\n` each:
                    // a lone `\r` next to a later `\n` must not become one `\r\n`).
                    let text = src.get(start..end).unwrap_or("");
                    let breaks = "\n".repeat(
                        text.matches('\n').count()
                            + text
                                .as_bytes()
                                .windows(2)
                                .filter(|w| w[0] == b'\r' && w[1] != b'\n')
                                .count()
                            + usize::from(text.ends_with('\r')),
                    );
                    let kind = self.actions[i].kind.clone();
                    let text = match &kind {
                        Kind::Output(p) if self.define_depth == 0 => match mode {
                            Mode::Mixed => {
                                self.inline_output(p.as_ref(), i, line_start, &items[k + 1..])
                            }
                            Mode::OwnLine if outputs == 1 => {
                                self.own_line_output(p.as_ref(), i, line_start)
                            }
                            _ => String::new(),
                        },
                        Kind::Output(_) => String::new(),
                        _ => {
                            let line = self.line_of(start);
                            let inner = without_keyword(&self.actions[i].inner);
                            self.control(kind, line, &inner)?;
                            String::new()
                        }
                    };
                    self.replace(start, end, &(text + &breaks));
                }
            }
        }
        Ok(())
    }

    /// A value as a flow collection, unless writing it would exceed [`MAX_GROWTH`].
    fn flow_within_budget(&self, v: &V<'a>) -> Option<String> {
        let room = (self.src.len() + MAX_GROWTH).saturating_sub(self.out.len());
        flow(v, room)
    }

    fn token(&mut self, display: String) -> String {
        let n = match self.placeholder_ids.get(&display) {
            Some(n) => *n,
            None => {
                let n = self.placeholders.len();
                self.placeholder_ids.insert(display.clone(), n);
                self.placeholders.push(display);
                n
            }
        };
        format!("{TOKEN}{n}__")
    }

    /// The text an unknown value is shown as: its own, or the action's.
    fn display(&self, v: &V<'a>, action: usize) -> String {
        match v {
            V::Unknown(Some(d)) => d.clone(),
            _ => {
                let inner = &self.actions[action].inner;
                format!(
                    "{{{{ {} }}}}",
                    inner.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            }
        }
    }

    fn evaluate(&self, p: Option<&Pipeline>) -> (V<'a>, Flags) {
        let mut fl = Flags::default();
        let v = match p {
            Some(p) => self.eval(p, &mut fl),
            None => V::Unknown(None),
        };
        (v, fl)
    }

    /// An output action among text: its value written to fit where it stands.
    fn inline_output(
        &mut self,
        p: Option<&Pipeline>,
        action: usize,
        line_start: usize,
        rest: &[Item],
    ) -> String {
        let (v, fl) = self.evaluate(p);
        if self.scan.line_start != line_start || self.scan.pos < line_start {
            self.scan = Scan::new(line_start);
        }
        let quote = self.scan.advance(&self.out);
        let prefix = self.out.get(line_start..).unwrap_or("");
        let scalar = match &v {
            V::Null | V::Bool(_) | V::Num(_) | V::Str(_) => v.text(),
            _ => None,
        };
        match quote {
            Quote::Comment => self.token(self.display(&v, action)),
            Quote::Double => match scalar {
                Some(t) => escape_double(&t),
                None => self.token(self.display(&v, action)),
            },
            Quote::Single => match scalar {
                Some(t) if !t.contains(['\n', '\r']) => t.replace('\'', "''"),
                Some(t) => self.token(t),
                None => self.token(self.display(&v, action)),
            },
            Quote::Plain => {
                let start = starts_scalar(prefix);
                let end = self.scalar_end(rest);
                match (start, end) {
                    (true, Some(is_key)) => match &v {
                        V::Str(s) => json_quote(s),
                        V::Bool(_) | V::Num(_) => scalar.unwrap_or_default(),
                        V::Null if is_key => "\"\"".to_owned(),
                        V::Null => String::new(),
                        V::List(_) | V::Map(_) if fl.yaml && !is_key => {
                            match self.flow_within_budget(&v) {
                                Some(f) => f,
                                None => self.token(self.display(&v, action)),
                            }
                        }
                        _ => self.token(self.display(&v, action)),
                    },
                    _ => match scalar {
                        Some(t) if plain_safe(&t, start) => t,
                        Some(t) => self.token(t),
                        None => self.token(self.display(&v, action)),
                    },
                }
            }
        }
    }

    /// Where a scalar that starts at an output action ends: `Some(false)` at the end of a
    /// value, `Some(true)` at a key's `:`, `None` when more text follows (embedded).
    fn scalar_end(&self, rest: &[Item]) -> Option<bool> {
        let mut ws_before = false;
        for item in rest {
            match *item {
                Item::Action(a) if self.actions[a].kind.is_output() => return None,
                Item::Action(_) => {}
                Item::Text(s, e) => {
                    let t = self.src.get(s..e).unwrap_or("");
                    let trimmed = t.trim_start();
                    if trimmed.is_empty() {
                        ws_before |= !t.is_empty();
                        continue;
                    }
                    ws_before |= trimmed.len() < t.len();
                    let c = trimmed.chars().next().unwrap_or(' ');
                    return match c {
                        '#' if ws_before => Some(false),
                        ',' | ']' | '}' => Some(false),
                        ':' if trimmed[1..].is_empty() || trimmed[1..].starts_with([' ', '\t']) => {
                            Some(true)
                        }
                        _ => None,
                    };
                }
            }
        }
        Some(false)
    }

    /// An output action alone on its line: blank, except a `toYaml` map or list that is the
    /// whole value of the key on the line above, written as a flow collection.
    fn own_line_output(
        &mut self,
        p: Option<&Pipeline>,
        action: usize,
        line_start: usize,
    ) -> String {
        let (v, fl) = self.evaluate(p);
        if !fl.yaml || !matches!(v, V::List(_) | V::Map(_)) {
            return String::new();
        }
        let a_start = self.actions[action].start;
        let a_end = self.actions[action].end;
        let col = a_start - self.line_starts[self.line_of(a_start) as usize - 1];
        let indent = fl.indent.unwrap_or(col);
        let Some(key_indent) = previous_key(self.out.get(..line_start).unwrap_or("")) else {
            return String::new();
        };
        if indent <= key_indent || indent >= MAX_INDENT {
            return String::new();
        }
        match self.next_content_indent(a_end) {
            Some(n) if n > key_indent => String::new(),
            _ => match self.flow_within_budget(&v) {
                Some(f) => format!("{}{}", " ".repeat(indent), f),
                None => String::new(),
            },
        }
    }

    /// Indentation of the next template line with content once rendered (`None`: the end of
    /// the document or file).
    fn next_content_indent(&self, from: usize) -> Option<usize> {
        let first = self.line_of(from) as usize; // index of the next line
        for li in first..(first + CONTEXT_LINES).min(self.line_starts.len()) {
            let ls = self.line_starts[li];
            let le = self
                .line_starts
                .get(li + 1)
                .copied()
                .unwrap_or(self.src.len());
            let line = self.src.get(ls..le).unwrap_or("");
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || self.actions_only(ls, le) {
                continue;
            }
            if trimmed.starts_with("---") || trimmed.starts_with("...") {
                return None;
            }
            return Some(line.len() - line.trim_start_matches(' ').len());
        }
        None
    }

    /// Does the line hold nothing but actions and whitespace?
    fn actions_only(&self, ls: usize, le: usize) -> bool {
        let mut i = self.actions.partition_point(|a| a.end <= ls);
        let mut pos = ls;
        let text_ws = |a: usize, b: usize| self.src.get(a..b).unwrap_or("").trim().is_empty();
        let mut any = false;
        while let Some(a) = self.actions.get(i) {
            if a.start >= le {
                break;
            }
            if a.start > pos && !text_ws(pos, a.start) {
                return false;
            }
            any = true;
            pos = a.end;
            i += 1;
        }
        any && (pos >= le || text_ws(pos, le))
    }

    fn control(&mut self, kind: Kind, line: u32, inner: &str) -> Result<(), RenderError> {
        if self.define_depth > 0 {
            // Inside a named template's body: follow the nesting only.
            match kind {
                Kind::Define => {
                    self.define_depth += 1;
                    self.push_frame("define", line, None, None, None);
                }
                Kind::If(_) => self.push_frame("if", line, None, None, None),
                Kind::Range(_) => self.push_frame("range", line, None, None, None),
                Kind::With(_) => self.push_frame("with", line, None, None, None),
                Kind::Block(_) => self.push_frame("block", line, None, None, None),
                Kind::End => {
                    let f = self.frames.pop().ok_or(RenderError::StrayEnd(line))?;
                    if f.keyword == "define" {
                        self.define_depth -= 1;
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        match kind {
            Kind::Comment | Kind::Silent | Kind::Output(_) => {}
            Kind::Assign(p) => {
                let value = self.eval(&p, &mut Flags::default());
                for name in &p.decl {
                    match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                        Some(slot) if !p.declare => slot.1 = value.clone(),
                        _ => self.vars.push((name.clone(), value.clone())),
                    }
                }
            }
            Kind::If(p) => {
                let note = self.phrase(p.as_ref(), inner, true);
                let neg = self.phrase(p.as_ref(), inner, false);
                self.push_frame("if", line, note, neg, None);
            }
            Kind::With(p) => {
                let note = self.phrase(p.as_ref(), inner, true);
                let neg = self.phrase(p.as_ref(), inner, false);
                let (v, _) = self.evaluate(p.as_ref());
                let saved = std::mem::replace(&mut self.dot, v);
                self.push_frame("with", line, note, neg, Some(saved));
            }
            Kind::Block(p) => {
                let (v, _) = self.evaluate(p.as_ref());
                let saved = std::mem::replace(&mut self.dot, v);
                self.push_frame("block", line, None, None, Some(saved));
            }
            Kind::Range(p) => {
                let note = self.phrase(p.as_ref(), inner, true);
                let neg = self.phrase(p.as_ref(), inner, false);
                let (v, _) = self.evaluate(p.as_ref());
                // The body is rendered once: bound to the first element, as the most
                // likely shape of every element.
                let (key, elem) = match v {
                    V::Map(es) => match es.first() {
                        Some(e) => (
                            e.key
                                .as_str()
                                .map(|k| V::Str(k.to_owned()))
                                .unwrap_or(V::Null),
                            V::of(&e.value),
                        ),
                        None => (V::Unknown(None), V::Unknown(None)),
                    },
                    V::List(items) => match items.first() {
                        Some(n) => (V::Num("0".into()), V::of(n)),
                        None => (V::Unknown(None), V::Unknown(None)),
                    },
                    _ => (V::Unknown(None), V::Unknown(None)),
                };
                let saved = std::mem::replace(&mut self.dot, elem.clone());
                self.push_frame("range", line, note, neg, Some(saved));
                if let Some(p) = &p {
                    let unknown = |n: &str| V::Unknown(Some(format!("{{{{ ${n} }}}}")));
                    match p.decl.as_slice() {
                        [e] => self.vars.push((e.clone(), known_or(elem, unknown(e)))),
                        [k, e] => {
                            self.vars.push((k.clone(), known_or(key, unknown(k))));
                            self.vars.push((e.clone(), known_or(elem, unknown(e))));
                        }
                        _ => {}
                    }
                }
            }
            Kind::Define => {
                self.define_depth += 1;
                self.push_frame("define", line, None, None, None);
            }
            Kind::Else | Kind::ElseIf(_) | Kind::ElseWith(_) => {
                let Some(f) = self.frames.last_mut() else {
                    return Err(RenderError::StrayElse(line));
                };
                if let Some(n) = f.note.take() {
                    self.regions.push(Region {
                        first_line: f.branch_line,
                        last_line: line,
                        note: n,
                    });
                }
                if let Some(n) = f.pending_negation.take() {
                    f.negations.push(n);
                }
                f.branch_line = line;
                let mark = f.var_mark;
                let negations = f.negations.clone();
                let saved = f.saved_dot.clone();
                self.vars.truncate(mark);
                if let Some(d) = saved {
                    self.dot = d;
                }
                let (note, neg) = match &kind {
                    Kind::ElseIf(p) | Kind::ElseWith(p) => (
                        self.phrase(p.as_ref(), inner, true),
                        self.phrase(p.as_ref(), inner, false),
                    ),
                    _ => (None, None),
                };
                if let Kind::ElseWith(p) = &kind {
                    let (v, _) = self.evaluate(p.as_ref());
                    self.dot = v;
                }
                let mut all = negations;
                all.extend(note);
                if let Some(f) = self.frames.last_mut() {
                    f.note = (!all.is_empty()).then(|| all.join(" and "));
                    f.pending_negation = neg;
                }
            }
            Kind::End => {
                let f = self.frames.pop().ok_or(RenderError::StrayEnd(line))?;
                if let Some(n) = f.note {
                    self.regions.push(Region {
                        first_line: f.branch_line,
                        last_line: line,
                        note: n,
                    });
                }
                self.vars.truncate(f.var_mark);
                if let Some(d) = f.saved_dot {
                    self.dot = d;
                }
                if f.keyword == "define" {
                    self.define_depth = self.define_depth.saturating_sub(1);
                }
            }
        }
        Ok(())
    }

    fn push_frame(
        &mut self,
        keyword: &'static str,
        line: u32,
        note: Option<String>,
        pending_negation: Option<String>,
        saved_dot: Option<V<'a>>,
    ) {
        self.frames.push(Frame {
            keyword,
            line,
            branch_line: line,
            note,
            negations: Vec::new(),
            pending_negation,
            saved_dot,
            var_mark: self.vars.len(),
        });
    }
}

/// The expression of a control action (`if X`, `else if X`, `with X`): `X`.
fn without_keyword(inner: &str) -> String {
    let mut t = inner.trim();
    for kw in ["else", "if", "with", "range"] {
        if let Some(rest) = t.strip_prefix(kw)
            && rest.starts_with([' ', '\t', '\n', '\r', '('])
        {
            t = rest.trim_start();
        }
    }
    t.to_owned()
}

fn known_or<'a>(v: V<'a>, unknown: V<'a>) -> V<'a> {
    match v {
        V::Unknown(None) => unknown,
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::{self, Budget};
    use crate::source::FileId;

    fn chart(values: &str) -> Chart {
        let values = yaml::parse_stream(values, FileId(0), 0, Budget::default())
            .unwrap()
            .into_iter()
            .next()
            .map(|d| d.root)
            .or_else(|| Some(Node::new(Span::default(), Value::Map(Vec::new()))));
        Chart {
            values,
            name: Some("demo".into()),
            version: Some("1.0.0".into()),
            app_version: Some("2.0".into()),
        }
    }

    /// Render, check the line structure is the template's, parse, and restore.
    fn render_ok(template: &str, values: &str) -> (Rendered, Vec<Node>) {
        let r = render(template, &chart(values)).unwrap();
        assert_eq!(
            r.text.split('\n').count(),
            template.split('\n').count(),
            "line count changed:\n{}",
            r.text
        );
        let mut roots: Vec<Node> = yaml::parse_stream(&r.text, FileId(0), 0, Budget::default())
            .unwrap_or_else(|e| panic!("rendered text is not YAML ({e:?}):\n{}", r.text))
            .into_iter()
            .map(|d| d.root)
            .collect();
        r.restore(&mut roots);
        (r, roots)
    }

    /// The 1-based template line a node's span starts on.
    fn line(template: &str, n: &Node) -> usize {
        template[..n.span.start as usize].matches('\n').count() + 1
    }

    fn text(template: &str, n: &Node) -> String {
        template[n.span.start as usize..n.span.end as usize].to_owned()
    }

    #[test]
    fn control_lines_blank_and_both_branches_stay() {
        let t = "\
{{- if .Values.rbac.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: a
{{- else }}
  labels:
    x: y
{{- end }}
";
        let (r, roots) = render_ok(t, "rbac:\n  create: false\n");
        assert_eq!(r.text.lines().next(), Some(""));
        let m = roots[0].get("metadata").unwrap();
        assert_eq!(m.path(&["labels", "x"]).and_then(Node::as_str), Some("y"));
        assert_eq!(line(t, m.get("name").unwrap()), 5);
        assert_eq!(r.condition(2, 5).as_deref(), Some("rbac.create is true"));
        // the else branch holds by default
        assert_eq!(r.condition(7, 8), None);
    }

    #[test]
    fn range_with_define_and_template_markers_keep_lines() {
        let t = "\
{{- define \"x.labels\" }}
app: {{ .Chart.Name }}
{{- end }}
{{- range $name, $g := .Values.groups }}
kind: ClusterRole
metadata:
  name: {{ $name }}
{{- with $g.rules }}
rules:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- template \"x.labels\" . }}
";
        let v = "groups:\n  ops:\n    rules:\n      - verbs: [\"*\"]\n        resources: [\"*\"]\n";
        let (r, roots) = render_ok(t, v);
        assert!(r.text.starts_with("\n\n\n\nkind"), "{}", r.text);
        let role = &roots[0];
        assert_eq!(
            role.path(&["metadata", "name"]).and_then(Node::as_str),
            Some("ops")
        );
        let rules = role.get("rules").and_then(Node::as_seq).unwrap();
        let verb = &rules[0].get("verbs").and_then(Node::as_seq).unwrap()[0];
        assert_eq!(verb.as_str(), Some("*"));
        // values from a flow collection point at the template line that wrote them
        assert_eq!(line(t, verb), 10);
        assert_eq!(text(t, verb), "{{- toYaml . | nindent 2 }}");
    }

    #[test]
    fn own_line_toyaml_becomes_blank_or_a_flow_value() {
        let t = "\
metadata:
  labels:
    {{- include \"x.labels\" . | nindent 4 }}
  annotations:
    {{- toYaml .Values.podAnnotations | nindent 4 }}
  name: a
spec:
  {{- toYaml .Values.extra | nindent 2 }}
  other: 1
";
        let v = "podAnnotations:\n  eks.amazonaws.com/role-arn: arn:aws:iam::1:role/x\nextra:\n  a: b\n";
        let (r, roots) = render_ok(t, v);
        let lines: Vec<&str> = r.text.lines().collect();
        assert_eq!(lines[2], "");
        assert_eq!(
            lines[4],
            "    {\"eks.amazonaws.com/role-arn\": \"arn:aws:iam::1:role/x\"}"
        );
        // the map would not be the whole value of `spec:`: left out
        assert_eq!(lines[7], "");
        let ann = roots[0].path(&["metadata", "annotations"]).unwrap();
        let arn = ann.get("eks.amazonaws.com/role-arn").unwrap();
        assert_eq!(arn.as_str(), Some("arn:aws:iam::1:role/x"));
        assert_eq!(line(t, arn), 5);
        assert_eq!(
            roots[0].path(&["spec", "other"]).and_then(Node::as_str),
            Some("1")
        );
    }

    #[test]
    fn inline_values_resolve_in_every_position() {
        let t = r#"a: {{ .Values.name }}
b: "{{ .Values.name }}-x"
c: '{{ .Values.quote }}'
d: {{ .Values.missing | default "dflt" }}
e: {{ .Values.flag }}
f: {{ .Values.name | quote }}
g: [{{ .Values.name }}, "{{ .Values.n }}"]
{{ .Values.key }}: v
h: pre-{{ .Values.name }}-post
i: {{ .Values.m | toYaml | nindent 2 }}
j: {{ .Values.sa.automountServiceAccountToken }}
k: {{ .Chart.Name }}-{{ .Chart.AppVersion }}
l: {{ .Values.odd }}x
"#;
        let v = "name: web\nquote: it's\nflag: false\nn: 3\nkey: kk\nm: {x: 1}\nsa:\n  automountServiceAccountToken: true\nodd: 'a: b'\n";
        let (_, roots) = render_ok(t, v);
        let r = &roots[0];
        let s = |k: &str| r.get(k).and_then(Node::as_str).map(str::to_owned);
        assert_eq!(s("a").as_deref(), Some("web"));
        assert_eq!(s("b").as_deref(), Some("web-x"));
        assert_eq!(s("c").as_deref(), Some("it's"));
        assert_eq!(s("d").as_deref(), Some("dflt"));
        assert_eq!(r.get("e").and_then(Node::as_bool), Some(false));
        assert_eq!(s("f").as_deref(), Some("web"));
        let g: Vec<&str> = r
            .get("g")
            .and_then(Node::as_seq)
            .unwrap()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(g, ["web", "3"]);
        assert_eq!(s("kk").as_deref(), Some("v"));
        assert_eq!(s("h").as_deref(), Some("pre-web-post"));
        assert_eq!(r.path(&["i", "x"]).and_then(Node::as_str), Some("1"));
        assert_eq!(r.get("j").and_then(Node::as_bool), Some(true));
        assert_eq!(s("k").as_deref(), Some("demo-2.0"));
        // a value that cannot stand inside a plain scalar comes back whole after parsing
        assert_eq!(s("l").as_deref(), Some("a: bx"));
    }

    #[test]
    fn unknown_expressions_become_readable_placeholders() {
        let t = r#"name: {{ include "x.fullname" . }}-role
ns: {{ .Values.namespace | default .Release.Namespace }}
ns2: {{ $.Release.Namespace }}
sa: {{ template "x.serviceAccountName" . }}
quoted: "{{ include "x.fullname" . }}"
flow: [ {{ .Release.Name }} ]
"#;
        let (_, roots) = render_ok(t, "");
        let r = &roots[0];
        let s = |k: &str| r.get(k).and_then(Node::as_str).unwrap().to_owned();
        assert_eq!(s("name"), r#"{{ include "x.fullname" }}-role"#);
        assert_eq!(s("ns"), "{{ .Release.Namespace }}");
        assert_eq!(s("ns2"), "{{ .Release.Namespace }}");
        assert_eq!(s("sa"), r#"{{ include "x.serviceAccountName" }}"#);
        assert_eq!(s("quoted"), r#"{{ include "x.fullname" }}"#);
        let name = r.get("name").unwrap();
        assert_eq!(text(t, name), r#"{{ include "x.fullname" . }}-role"#);
    }

    #[test]
    fn trim_markers_comments_and_multiline_actions_do_not_join_lines() {
        let t = "\
{{- /* a comment
spanning lines */ -}}
a: 1
{{- if or
      .Values.x
      .Values.y -}}
b: {{- .Values.v -}}
{{- end -}}
c: 3
";
        let (r, roots) = render_ok(t, "v: 2\n");
        let lines: Vec<&str> = r.text.lines().collect();
        assert_eq!(lines[0], "");
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "a: 1");
        assert_eq!(lines[6], "b: 2");
        let c = roots[0].get("c").unwrap();
        assert_eq!(line(t, c), 9);
        assert_eq!(r.condition(7, 7).as_deref(), Some("x is set or y is set"));
    }

    #[test]
    fn conditions_name_what_must_hold() {
        let t = "\
{{- if and (not .Values.watchGlobally) .Values.rbac.enabled }}
a: 1
{{- end }}
{{- if eq .Values.kind \"Deployment\" }}
b: 2
{{- else if .Capabilities.APIVersions.Has \"batch/v1\" }}
c: 3
{{- else }}
d: 4
{{- end }}
{{- with .Values.sa }}
e: {{ .name }}
{{- end }}
{{- if .Values.on }}
f: 5
{{- end }}
";
        let v = "watchGlobally: true\nrbac:\n  enabled: true\nkind: CronJob\nsa: {}\non: true\n";
        let (r, roots) = render_ok(t, v);
        assert_eq!(r.condition(2, 2).as_deref(), Some("watchGlobally is false"));
        assert_eq!(r.condition(5, 5).as_deref(), Some("kind is \"Deployment\""));
        assert_eq!(
            r.condition(7, 7).as_deref(),
            Some("`.Capabilities.APIVersions.Has \"batch/v1\"`")
        );
        assert_eq!(
            r.condition(9, 9).as_deref(),
            Some("not `.Capabilities.APIVersions.Has \"batch/v1\"`")
        );
        assert_eq!(r.condition(12, 12).as_deref(), Some("sa is set"));
        assert_eq!(r.condition(15, 15), None);
        // `.name` of an empty map is empty: the key stays, with no value
        assert!(roots[0].get("e").unwrap().is_null());
    }

    #[test]
    fn crlf_templates_keep_their_lines() {
        let t = "{{- if .Values.x }}\r\na: {{ .Values.y }}\r\n{{- end }}\r\n";
        let (r, roots) = render_ok(t, "y: z\n");
        assert_eq!(r.text, "\r\na: \"z\"\r\n\r\n");
        assert_eq!(roots[0].get("a").and_then(Node::as_str), Some("z"));
    }

    #[test]
    fn unreadable_templates_name_the_construct() {
        let c = chart("");
        assert_eq!(
            render("a: {{ .Values.x\nb: 1\n", &c).unwrap_err(),
            RenderError::Unterminated(1)
        );
        assert_eq!(
            render("a: 1\n{{- end }}\n", &c).unwrap_err(),
            RenderError::StrayEnd(2)
        );
        assert_eq!(
            render("{{- range .Values.x }}\na: 1\n", &c).unwrap_err(),
            RenderError::Unclosed {
                keyword: "range",
                line: 1
            }
        );
        assert_eq!(
            render("{{ else }}\n", &c).unwrap_err(),
            RenderError::StrayElse(1)
        );
        assert!(
            render("{{ end }}", &c)
                .unwrap_err()
                .to_string()
                .contains("`{{ end }}` at line 1")
        );
    }

    #[test]
    fn unreadable_values_make_lookups_unknown_not_empty() {
        let c = Chart::default();
        let r = render(
            "a: {{ .Values.x.y }}\n{{- if .Values.on }}\nb: 1\n{{- end }}\n",
            &c,
        )
        .unwrap();
        let mut roots: Vec<Node> = yaml::parse_stream(&r.text, FileId(0), 0, Budget::default())
            .unwrap()
            .into_iter()
            .map(|d| d.root)
            .collect();
        r.restore(&mut roots);
        assert_eq!(
            roots[0].get("a").and_then(Node::as_str),
            Some("{{ .Values.x.y }}")
        );
        assert_eq!(r.condition(3, 3).as_deref(), Some("on is set"));
    }

    #[test]
    fn spans_map_back_across_shifted_columns() {
        let t = "k: {{ .Values.long }} tail\nz: {{ .Values.s }}\n";
        let (_, roots) = render_ok(t, "long: x\ns: \"a#b\"\n");
        let k = roots[0].get("k").unwrap();
        assert_eq!(k.as_str(), Some("x tail"));
        assert_eq!(text(t, k), "{{ .Values.long }} tail");
        let z = roots[0].get("z").unwrap();
        assert_eq!(z.as_str(), Some("a#b"));
        assert_eq!(text(t, z), "{{ .Values.s }}");
    }

    /// Line starts as `SourceFile` counts them (`\n`, `\r\n` and a lone `\r`).
    fn lines_of(t: &str) -> usize {
        let b = t.as_bytes();
        1 + b
            .iter()
            .enumerate()
            .filter(|(i, c)| **c == b'\n' || (**c == b'\r' && b.get(i + 1) != Some(&b'\n')))
            .count()
    }

    #[test]
    fn random_template_soup_never_panics_and_keeps_lines() {
        const PARTS: &[&str] = &[
            "{{",
            "}}",
            "{{- ",
            " -}}",
            "if ",
            "else ",
            "end",
            "range ",
            "with ",
            "define \"x\" ",
            ".Values.m",
            ".Values.s",
            ".Values.l",
            "$",
            "$v := ",
            "toYaml ",
            "| nindent 4 ",
            "| quote ",
            "default \"d\" ",
            "(",
            ")",
            "\"",
            "'",
            "`",
            "/*",
            "*/",
            "\n",
            "\r\n",
            "\r",
            "  ",
            "- ",
            "k: ",
            ": ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "#",
            "é",
            "\u{1F600}",
            "---\n",
            "include \"n\" . ",
            "\\",
            "|",
            "-",
            "0",
            "999999999999 ",
        ];
        let c = chart("m:\n  a: 1\n  b: [x, y]\ns: \"str: with #\"\nl:\n  - {k: v}\n");
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut t = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 40) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(PARTS[(seed % PARTS.len() as u64) as usize]);
            }
            let Ok(r) = render(&t, &c) else { continue };
            assert_eq!(lines_of(&r.text), lines_of(&t), "{t:?} -> {:?}", r.text);
            if let Ok(docs) = yaml::parse_stream(&r.text, FileId(0), 0, Budget::default()) {
                let mut roots: Vec<Node> = docs.into_iter().map(|d| d.root).collect();
                r.restore(&mut roots);
                let mut stack: Vec<&Node> = roots.iter().collect();
                while let Some(n) = stack.pop() {
                    assert!(n.span.start <= n.span.end && n.span.end as usize <= t.len());
                    match &n.value {
                        Value::Seq(v) => stack.extend(v),
                        Value::Map(es) => stack.extend(es.iter().flat_map(|e| [&e.key, &e.value])),
                        _ => {}
                    }
                }
            }
            let _ = r.condition(1, 3);
        }
    }
}
