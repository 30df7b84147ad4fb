//! Writing values into YAML text where an action stood: the quoting context of a line
//! (plain, single- or double-quoted, comment), whether an action is a whole scalar, escapes,
//! one-line flow collections for `toYaml` maps and lists, and the key a `toYaml` line belongs
//! to.

use super::eval::V;
use super::{CONTEXT_LINES, MAX_DEPTH, Quote};
use crate::parse::doc::{Entry, Node, Value};

/// The quoting context at the end of a rendered line, computed incrementally: a line with
/// many actions is scanned once, not once per action.
#[derive(Clone, Copy)]
pub(super) struct Scan {
    pub(super) line_start: usize,
    /// Rendered bytes before this offset are scanned.
    pub(super) pos: usize,
    q: Quote,
    prev_ws: bool,
}

impl Scan {
    pub(super) fn new(line_start: usize) -> Scan {
        Scan {
            line_start,
            pos: line_start,
            q: Quote::Plain,
            prev_ws: true,
        }
    }

    /// Advance over `out` (the whole rendered text so far) and say where its end stands.
    pub(super) fn advance(&mut self, out: &str) -> Quote {
        let line = out.get(self.line_start..).unwrap_or("");
        let from = self.pos - self.line_start;
        let mut it = line.get(from..).unwrap_or("").char_indices().peekable();
        while let Some((k, c)) = it.next() {
            let i = from + k;
            match self.q {
                Quote::Plain => {
                    if c == '#' && self.prev_ws {
                        self.q = Quote::Comment;
                    } else if (c == '"' || c == '\'') && starts_scalar(&line[..i]) {
                        self.q = if c == '"' {
                            Quote::Double
                        } else {
                            Quote::Single
                        };
                    }
                }
                Quote::Double => match c {
                    // The escaped character is not written yet: resume here.
                    '\\' if it.next().is_none() => {
                        self.pos = self.line_start + i;
                        return Quote::Double;
                    }
                    '"' => self.q = Quote::Plain,
                    _ => {}
                },
                Quote::Single if c == '\'' => match it.peek() {
                    Some((_, '\'')) => {
                        it.next();
                    }
                    // `''` may be completed by what follows: resume at this quote.
                    None => {
                        self.pos = self.line_start + i;
                        return Quote::Plain;
                    }
                    Some(_) => self.q = Quote::Plain,
                },
                Quote::Single | Quote::Comment => {}
            }
            self.prev_ws = c == ' ' || c == '\t';
        }
        self.pos = out.len();
        self.q
    }
}

/// Would a scalar starting after `prefix` be a whole scalar (after `key: `, `- `, `[`, `,`,
/// `{`, or at the start of the line)?
pub(super) fn starts_scalar(prefix: &str) -> bool {
    let t = prefix.trim_end_matches([' ', '\t']);
    let ws = t.len() < prefix.len();
    let Some(last) = t.chars().last() else {
        return true;
    };
    match last {
        ':' | '?' => ws,
        '-' => {
            ws && t[..t.len() - 1]
                .chars()
                .last()
                .is_none_or(|c| c == ' ' || c == '\t')
        }
        '[' | '{' | ',' => true,
        _ => false,
    }
}

/// Can `t` be written inside a plain scalar without changing the YAML structure?
pub(super) fn plain_safe(t: &str, at_start: bool) -> bool {
    if t.is_empty() {
        return true;
    }
    let ok = t.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '.'
                    | '_'
                    | '/'
                    | '@'
                    | '%'
                    | '+'
                    | '='
                    | '~'
                    | '-'
                    | ':'
                    | '('
                    | ')'
                    | '^'
                    | '$'
                    | ';'
                    | '<'
                    | '>'
            )
    });
    ok && !t.contains(": ")
        && !t.ends_with(':')
        && !t.contains(" #")
        && !t.ends_with(' ')
        && (!at_start || !t.starts_with(['-', '?', ':', '@', '%', ' ', '<', '>']))
}

pub(super) fn escape_double(t: &str) -> String {
    let q = json_quote(t);
    q[1..q.len() - 1].to_owned()
}

/// A double-quoted scalar (JSON escapes are YAML escapes).
pub(super) fn json_quote(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 2);
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A map or list as a one-line flow collection of at most `cap` bytes.
pub(super) fn flow(v: &V<'_>, cap: usize) -> Option<String> {
    let mut out = String::new();
    match v {
        V::Map(es) => flow_map(es, &mut out, 0, cap),
        V::List(items) => flow_seq(items, &mut out, 0, cap),
        _ => out.push_str("null"),
    }
    (out.len() <= cap).then_some(out)
}

fn flow_map(es: &[Entry], out: &mut String, depth: usize, cap: usize) {
    out.push('{');
    for (i, e) in es.iter().enumerate() {
        if out.len() > cap {
            return;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&json_quote(e.key.as_str().unwrap_or("")));
        out.push_str(": ");
        flow_node(&e.value, out, depth + 1, cap);
    }
    out.push('}');
}

fn flow_seq(items: &[Node], out: &mut String, depth: usize, cap: usize) {
    out.push('[');
    for (i, n) in items.iter().enumerate() {
        if out.len() > cap {
            return;
        }
        if i > 0 {
            out.push_str(", ");
        }
        flow_node(n, out, depth + 1, cap);
    }
    out.push(']');
}

fn flow_node(n: &Node, out: &mut String, depth: usize, cap: usize) {
    if depth > MAX_DEPTH {
        out.push_str("null");
        return;
    }
    match &n.value {
        Value::Null | Value::Unknown(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(s) => out.push_str(s),
        Value::Str(s) => out.push_str(&json_quote(s)),
        Value::Seq(items) => flow_seq(items, out, depth, cap),
        Value::Map(es) => flow_map(es, out, depth, cap),
    }
}

/// The indentation of the key the line after `before` would be the value of: the last
/// non-blank, non-comment rendered line, when it ends with `:`.
pub(super) fn previous_key(before: &str) -> Option<usize> {
    for line in before.lines().rev().take(CONTEXT_LINES) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if !t.ends_with(':') {
            return None;
        }
        // `- key:` puts the key after the dash.
        let mut indent = line.len() - line.trim_start_matches(' ').len();
        let mut rest = &line[indent..];
        while let Some(r) = rest.strip_prefix("- ") {
            let r2 = r.trim_start_matches(' ');
            indent += rest.len() - r2.len();
            rest = r2;
        }
        return Some(indent);
    }
    None
}

pub(super) fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
