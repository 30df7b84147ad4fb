//! A fast reader for the YAML that configuration files are almost always written in: block
//! mappings and sequences, single-line plain and quoted scalars, single-line flow collections,
//! literal and folded block scalars, comments and `---` separators.
//!
//! Anything else (anchors, aliases, tags, merge keys, multi-line plain or quoted scalars,
//! escapes, tabs, carriage returns, directives, complex keys, indentation indicators) makes it
//! give up (`None`), and the full parser reads the file. Where it succeeds it builds exactly the
//! tree the full parser builds, spans included: the differential tests below and the
//! `yaml_fast_path` fuzz target hold it to that. It reads the text once, byte by byte, with no
//! token or event queue; nesting is bounded by the same depth budget as the full parser.

use super::{Budget, Document, plain_kind};
use crate::parse::doc::{Entry, Node, Value};
use crate::source::{FileId, Span};

/// The text is outside what this reader handles: the full parser decides.
struct GiveUp;

type Res<T> = Result<T, GiveUp>;

/// Parse `text` if it is written in the common subset; `None` otherwise.
pub(super) fn parse(
    text: &str,
    file: FileId,
    base: usize,
    budget: Budget,
) -> Option<Vec<Document>> {
    if !simple_characters(text) {
        return None;
    }
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        pos: 0,
        line: 0,
        file,
        base,
        budget,
        nodes: 0,
        depth: 0,
    };
    r.stream().ok()
}

/// Only line feeds and printable characters: no tabs (indentation rules), no carriage returns
/// (line ends), no control characters (the full parser reports them), no byte order marks or
/// Unicode line separators inside the text.
fn simple_characters(text: &str) -> bool {
    let b = text.as_bytes();
    if b.iter().any(|&c| (c < 0x20 && c != b'\n') || c == 0x7f) {
        return false;
    }
    b.is_ascii()
        || text.chars().all(|c| {
            !matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    /// Start of the line `pos` is on.
    line: usize,
    file: FileId,
    base: usize,
    budget: Budget,
    nodes: usize,
    depth: usize,
}

enum Chomp {
    Clip,
    Strip,
}

impl<'a> Reader<'a> {
    /// The byte at `i`; 0 past the end (the text holds no NUL).
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn eof(&self) -> bool {
        self.pos >= self.b.len()
    }

    fn col(&self, i: usize) -> usize {
        i - self.line
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.base + start, self.base + end)
    }

    fn charge(&mut self) -> Res<()> {
        self.nodes += 1;
        if self.nodes > self.budget.max_nodes {
            return Err(GiveUp);
        }
        Ok(())
    }

    fn enter(&mut self) -> Res<()> {
        if self.depth >= self.budget.max_depth {
            return Err(GiveUp);
        }
        self.depth += 1;
        Ok(())
    }

    /// `---` (or `...`) at the start of a line, followed by a blank or the end.
    fn marker(&self, c: u8) -> bool {
        self.pos == self.line
            && self.b.get(self.pos..self.pos + 3) == Some(&[c, c, c][..])
            && matches!(self.at(self.pos + 3), b' ' | b'\n' | 0)
    }

    /// At the end of the input or of a document.
    fn at_document_end(&self) -> bool {
        self.eof() || self.marker(b'-') || self.marker(b'.')
    }

    /// A block sequence entry indicator `- ` at `i`.
    fn dash(&self, i: usize) -> bool {
        self.at(i) == b'-' && matches!(self.at(i + 1), b' ' | b'\n' | 0)
    }

    /// Skip blanks, line ends and comments (the caller is at a line start or after a blank).
    fn skip_blank(&mut self) {
        loop {
            match self.at(self.pos) {
                b' ' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line = self.pos;
                }
                b'#' => self.skip_line(),
                _ => return,
            }
        }
    }

    fn skip_line(&mut self) {
        self.pos += memchr_line_end(&self.b[self.pos.min(self.b.len())..]);
    }

    fn skip_spaces(&mut self) {
        while self.at(self.pos) == b' ' {
            self.pos += 1;
        }
    }

    /// After a value: only blanks and a comment may follow on its line.
    fn end_of_line(&mut self) -> Res<()> {
        let before = self.pos;
        self.skip_spaces();
        match self.at(self.pos) {
            b'\n' | 0 => Ok(()),
            b'#' if self.pos > before => {
                self.skip_line();
                Ok(())
            }
            _ => Err(GiveUp),
        }
    }

    fn stream(&mut self) -> Res<Vec<Document>> {
        let mut docs = Vec::new();
        self.skip_blank();
        while !self.eof() {
            if self.marker(b'.') || (self.pos == self.line && self.at(self.pos) == b'%') {
                return Err(GiveUp);
            }
            let explicit = if self.marker(b'-') {
                let start = self.pos;
                self.pos += 3;
                self.end_of_line()?;
                self.skip_blank();
                Some(start)
            } else {
                None
            };
            let root = if self.at_document_end() {
                // Only an explicit start can open an empty document.
                let start = explicit.ok_or(GiveUp)?;
                self.charge()?;
                Node::new(self.span(start + 3, start + 3), Value::Null)
            } else {
                let n = self.block_node(-1)?;
                self.skip_blank();
                if !self.eof() && !self.marker(b'-') {
                    return Err(GiveUp);
                }
                n
            };
            if docs.len() >= self.budget.max_documents {
                return Err(GiveUp);
            }
            docs.push(Document { root });
        }
        Ok(docs)
    }

    /// A node starting at `pos`, whose column is greater than `parent`'s.
    fn block_node(&mut self, parent: isize) -> Res<Node> {
        let c = self.col(self.pos);
        if self.dash(self.pos) {
            return self.block_seq(c, false);
        }
        if self.key_colon(self.pos).is_some() {
            return self.block_map(c);
        }
        self.inline_value(parent)
    }

    /// When a mapping key starts at `i`: where its `:` indicator is.
    fn key_colon(&self, i: usize) -> Option<usize> {
        let mut j = match self.at(i) {
            b'"' | b'\'' => self.quoted_end(i)?,
            b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b',' | b']'
            | b'}' | b'#' | b'\n' | 0 => return None,
            b'-' | b'?' | b':' if matches!(self.at(i + 1), b' ' | b'\n' | 0) => return None,
            _ => {
                let mut j = i;
                loop {
                    match self.at(j) {
                        b'\n' | 0 => return None,
                        b':' if matches!(self.at(j + 1), b' ' | b'\n' | 0) => return Some(j),
                        b' ' if self.at(j + 1) == b'#' => return None,
                        _ => j += 1,
                    }
                }
            }
        };
        while self.at(j) == b' ' {
            j += 1;
        }
        (self.at(j) == b':' && matches!(self.at(j + 1), b' ' | b'\n' | 0)).then_some(j)
    }

    /// The end (after the closing quote) of a quoted scalar starting at `i`, when it closes
    /// on its line without escapes.
    fn quoted_end(&self, i: usize) -> Option<usize> {
        let q = self.at(i);
        let mut j = i + 1;
        loop {
            match self.at(j) {
                b'\n' | 0 | b'\\' if q == b'"' => return None,
                b'\n' | 0 => return None,
                c if c == q => {
                    if q == b'\'' && self.at(j + 1) == b'\'' {
                        j += 2;
                    } else {
                        return Some(j + 1);
                    }
                }
                _ => j += 1,
            }
        }
    }

    fn block_map(&mut self, indent: usize) -> Res<Node> {
        self.enter()?;
        self.charge()?;
        let start = self.pos;
        let mut entries = Vec::new();
        loop {
            let colon = self.key_colon(self.pos).ok_or(GiveUp)?;
            let key = self.key(colon)?;
            self.pos = colon + 1;
            let value = self.map_value(indent, colon)?;
            entries.push(Entry { key, value });
            if !self.next_at(indent)? {
                break;
            }
        }
        self.depth -= 1;
        Ok(Node::new(self.span(start, self.pos), Value::Map(entries)))
    }

    /// After an entry of a block collection at column `indent`: is the next token another
    /// entry at that column (`false` when the collection ends: the input or the document ends,
    /// or a line is indented less)? Deeper indentation there is not handled.
    fn next_at(&mut self, indent: usize) -> Res<bool> {
        self.skip_blank();
        if self.at_document_end() {
            return Ok(false);
        }
        match self.col(self.pos) {
            c if c < indent => Ok(false),
            c if c > indent => Err(GiveUp),
            _ => Ok(true),
        }
    }

    /// The key at `pos`, whose `:` is at `colon`.
    fn key(&mut self, colon: usize) -> Res<Node> {
        let start = self.pos;
        // Longer implicit keys are an error for YAML.
        if colon - start > 1024 {
            return Err(GiveUp);
        }
        let node = match self.at(start) {
            b'"' | b'\'' => self.quoted()?,
            _ => {
                let text = self.s[start..colon].trim_end_matches(' ');
                // Merge keys need the builder.
                if text == "<<" {
                    return Err(GiveUp);
                }
                self.charge()?;
                Node::new(self.span(start, start + text.len()), plain(text))
            }
        };
        if node.as_str() == Some("<<") {
            return Err(GiveUp);
        }
        Ok(node)
    }

    /// The value after a mapping key's `:` (at `colon`, `pos` just after it).
    fn map_value(&mut self, indent: usize, colon: usize) -> Res<Node> {
        self.skip_spaces();
        if matches!(self.at(self.pos), b'\n' | 0 | b'#') {
            self.skip_line();
            self.skip_blank();
            if !self.at_document_end() {
                let c = self.col(self.pos);
                if c > indent {
                    return self.block_node(indent as isize);
                }
                if c == indent && self.dash(self.pos) {
                    return self.block_seq(c, true);
                }
            }
            self.charge()?;
            return Ok(Node::new(self.span(colon, colon), Value::Null));
        }
        self.inline_value(indent as isize)
    }

    /// A block sequence whose `-` is at `pos` (column `indent`). An indentless sequence (the
    /// value of a key at the same column) starts where its first entry's content does.
    fn block_seq(&mut self, indent: usize, indentless: bool) -> Res<Node> {
        self.enter()?;
        self.charge()?;
        let mut start = self.pos;
        let mut items = Vec::new();
        loop {
            self.pos += 1;
            self.skip_spaces();
            if matches!(self.at(self.pos), b'\n' | 0 | b'#') || self.dash(self.pos) {
                // An empty entry, or its content on the next lines, or a nested `- -`.
                return Err(GiveUp);
            }
            if indentless && items.is_empty() {
                start = self.pos;
            }
            let item = if self.key_colon(self.pos).is_some() {
                self.block_map(self.col(self.pos))?
            } else {
                self.inline_value(indent as isize)?
            };
            items.push(item);
            if !self.next_at(indent)? {
                break;
            }
            if !self.dash(self.pos) {
                if indentless {
                    break;
                }
                return Err(GiveUp);
            }
        }
        self.depth -= 1;
        Ok(Node::new(self.span(start, self.pos), Value::Seq(items)))
    }

    /// A scalar or flow collection starting at `pos` on the current line, or a block scalar
    /// whose header is there. `parent` is the column of the collection it belongs to.
    fn inline_value(&mut self, parent: isize) -> Res<Node> {
        match self.at(self.pos) {
            b'"' | b'\'' => {
                let n = self.quoted()?;
                self.end_of_line()?;
                Ok(n)
            }
            b'[' | b'{' => {
                let n = self.flow()?;
                self.end_of_line()?;
                Ok(n)
            }
            b'|' | b'>' => self.block_scalar(parent),
            b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' => Err(GiveUp),
            b'-' | b'?' | b':' if matches!(self.at(self.pos + 1), b' ' | b'\n' | 0) => Err(GiveUp),
            _ => {
                let start = self.pos;
                let mut j = start;
                loop {
                    match self.at(j) {
                        b'\n' | 0 => break,
                        b' ' if self.at(j + 1) == b'#' => break,
                        b':' if matches!(self.at(j + 1), b' ' | b'\n' | 0) => {
                            return Err(GiveUp);
                        }
                        _ => j += 1,
                    }
                }
                let text = self.s[start..j].trim_end_matches(' ');
                self.charge()?;
                self.pos = j;
                self.end_of_line()?;
                Ok(Node::new(self.span(start, start + text.len()), plain(text)))
            }
        }
    }

    /// A single-line quoted scalar at `pos`, without escapes (bar `''`).
    fn quoted(&mut self) -> Res<Node> {
        let start = self.pos;
        let end = self.quoted_end(start).ok_or(GiveUp)?;
        let inner = &self.s[start + 1..end - 1];
        let text = if self.at(start) == b'\'' && inner.contains("''") {
            inner.replace("''", "'")
        } else {
            inner.to_owned()
        };
        self.charge()?;
        self.pos = end;
        Ok(Node::new(self.span(start, end), Value::Str(text)))
    }

    /// A flow collection at `pos`, closed on its line.
    fn flow(&mut self) -> Res<Node> {
        self.enter()?;
        self.charge()?;
        let start = self.pos;
        let map = self.at(start) == b'{';
        let close = if map { b'}' } else { b']' };
        self.pos += 1;
        let mut items = Vec::new();
        let mut entries = Vec::new();
        loop {
            self.flow_spaces()?;
            if self.at(self.pos) == close {
                self.pos += 1;
                break;
            }
            let first = self.flow_item()?;
            if map {
                self.flow_spaces()?;
                if self.at(self.pos) != b':' || first.as_str() == Some("<<") {
                    return Err(GiveUp);
                }
                self.pos += 1;
                self.flow_spaces()?;
                let value = self.flow_item()?;
                entries.push(Entry { key: first, value });
            } else {
                items.push(first);
            }
            self.flow_spaces()?;
            match self.at(self.pos) {
                b',' => self.pos += 1,
                c if c == close => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(GiveUp),
            }
        }
        self.depth -= 1;
        let value = if map {
            Value::Map(entries)
        } else {
            Value::Seq(items)
        };
        Ok(Node::new(self.span(start, self.pos), value))
    }

    /// Blanks inside a flow collection; it must close on its line, without comments.
    fn flow_spaces(&mut self) -> Res<()> {
        self.skip_spaces();
        match self.at(self.pos) {
            b'\n' | 0 | b'#' => Err(GiveUp),
            _ => Ok(()),
        }
    }

    fn flow_item(&mut self) -> Res<Node> {
        match self.at(self.pos) {
            b'"' | b'\'' => self.quoted(),
            b'[' | b'{' => self.flow(),
            b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'#' | b',' | b']' | b'}'
            | b'?' | b':' => Err(GiveUp),
            // `-` starts a plain scalar only before a character that may follow it there.
            b'-' if matches!(
                self.at(self.pos + 1),
                b' ' | b'\n' | 0 | b',' | b'[' | b']' | b'{' | b'}'
            ) =>
            {
                Err(GiveUp)
            }
            _ => {
                let start = self.pos;
                let mut j = start;
                loop {
                    match self.at(j) {
                        b',' | b']' | b'}' | b'\n' | 0 => break,
                        b'[' | b'{' => return Err(GiveUp),
                        b' ' if self.at(j + 1) == b'#' => return Err(GiveUp),
                        // `NHI7:2025`: a colon before anything but a blank or a flow
                        // indicator is part of the scalar.
                        b':' if matches!(
                            self.at(j + 1),
                            b' ' | b',' | b'[' | b']' | b'{' | b'}' | b'\n' | 0
                        ) =>
                        {
                            break;
                        }
                        _ => j += 1,
                    }
                }
                let text = self.s[start..j].trim_end_matches(' ');
                if text.is_empty() {
                    return Err(GiveUp);
                }
                self.charge()?;
                self.pos = start + text.len();
                Ok(Node::new(self.span(start, self.pos), plain(text)))
            }
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `pos`. Its content lines
    /// are indented more than `parent`; it ends before the first line indented less than its
    /// first line (its span ends at that line's first token).
    fn block_scalar(&mut self, parent: isize) -> Res<Node> {
        if parent < 0 {
            // A block scalar as a whole document: rare, and the full parser has its own view
            // of its indentation.
            return Err(GiveUp);
        }
        let literal = self.at(self.pos) == b'|';
        self.pos += 1;
        let chomp = match self.at(self.pos) {
            b'-' => {
                self.pos += 1;
                Chomp::Strip
            }
            b'+' => return Err(GiveUp),
            _ => Chomp::Clip,
        };
        if !matches!(self.at(self.pos), b' ' | b'\n' | 0) {
            // An indentation indicator, `|-2`, `|+`, or garbage.
            return Err(GiveUp);
        }
        self.end_of_line()?;
        if self.eof() {
            return Err(GiveUp);
        }
        // The first content line sets the indentation; leading empty lines are not handled.
        let mut cur = self.pos + 1;
        let indent = self.b[cur..].iter().take_while(|&&c| c == b' ').count();
        if matches!(self.at(cur + indent), b'\n' | 0) || indent as isize <= parent {
            return Err(GiveUp);
        }
        let content_start = cur + indent;
        let mut value = String::new();
        // Empty lines seen since the last content line.
        let mut blanks = 0usize;
        let mut any = false;
        let end = loop {
            let spaces = self.b[cur.min(self.b.len())..]
                .iter()
                .take_while(|&&c| c == b' ')
                .count();
            let after = cur + spaces;
            let eol = after + memchr_line_end(&self.b[after.min(self.b.len())..]);
            if after >= eol {
                // An empty line: spaces only (more than the indentation would be content).
                if spaces > indent {
                    return Err(GiveUp);
                }
                blanks += 1;
            } else if spaces < indent {
                break after;
            } else {
                if !literal && spaces > indent {
                    // More-indented lines keep their breaks in folded scalars: not handled.
                    return Err(GiveUp);
                }
                let line = &self.s[cur + indent..eol];
                if any {
                    if literal {
                        value.extend(std::iter::repeat_n('\n', blanks + 1));
                    } else if blanks == 0 {
                        value.push(' ');
                    } else {
                        value.extend(std::iter::repeat_n('\n', blanks));
                    }
                }
                value.push_str(line);
                any = true;
                blanks = 0;
            }
            if eol >= self.b.len() {
                break self.b.len();
            }
            cur = eol + 1;
        };
        if matches!(chomp, Chomp::Clip) {
            value.push('\n');
        }
        self.charge()?;
        self.pos = end;
        self.line = cur.min(end);
        Ok(Node::new(self.span(content_start, end), Value::Str(value)))
    }
}

/// A plain scalar resolved by the YAML 1.2 core schema.
fn plain(text: &str) -> Value {
    plain_kind(text).unwrap_or_else(|| Value::Str(text.to_owned()))
}

/// Bytes up to the next line feed (or all of them).
fn memchr_line_end(b: &[u8]) -> usize {
    memchr::memchr(b'\n', b).unwrap_or(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::parse_events;

    /// The fast reader takes `src` and builds what the full parser builds.
    fn same(src: &str) {
        let fast = parse(src, FileId(0), 0, Budget::default())
            .unwrap_or_else(|| panic!("the fast reader gave up on:\n{src}"));
        let full = parse_events(src, FileId(0), 0, Budget::default()).expect("full parser");
        let f: Vec<&Node> = fast.iter().map(|d| &d.root).collect();
        let g: Vec<&Node> = full.iter().map(|d| &d.root).collect();
        assert_eq!(f, g, "trees differ for:\n{src}");
    }

    /// The fast reader gives up on `src` (and leaves it to the full parser).
    fn gives_up(src: &str) {
        assert!(
            parse(src, FileId(0), 0, Budget::default()).is_none(),
            "expected to give up on:\n{src}"
        );
    }

    #[test]
    fn block_collections_and_scalars_match_the_full_parser() {
        same(
            "apiVersion: v1\nkind: Role   # trailing\nmetadata:\n  name: \"x\"\n  labels: {}\n  empty:\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\", 'b']\n  verbs:\n    - get\n    - list\n",
        );
        same(
            "a:\n  b: |\n    x\n  c: 1   # c\n  e:     # comment\n# top comment\n  d:\n  - k: v\n    m: n\n  - z\n  f: [a, \"b\", [c]]\n  g: {p: q, r: [s]}\nz:\n- x\n- y\n",
        );
        same(
            "k: 'it''s'\nl: [a, ]\nm: {\"a\":1}\nn:\n- x\n-   y\nurl: http://x:80/y\nn2: -1\nb: true\nnul: ~\nnum: 0x1F\n",
        );
        same("- a\n- b: 1\n  c: [1, 2]\n- {x: y}\n");
        same("plain scalar document\n");
        same("");
        same("# only a comment\n");
    }

    #[test]
    fn documents_match_the_full_parser() {
        same("a: 1\n---\nb: 2\n");
        same("---\na: 1\n---\n---\nb: 2\n---\n");
        same("--- # comment\nkind: List\nitems:\n- kind: Role\n");
        same("a: 1\n---");
    }

    #[test]
    fn block_scalars_match_the_full_parser() {
        same("data: |\n  line1\n  line2\n\nlast: >-\n  folded\n  text\n---\nsecond: 1\n");
        same(
            "a:\n  b: |\n    x\n  # comment\n  c: |-\n    y\n\n# low comment\n  d: >\n    p\n    q\ne: |\n  tail\n",
        );
        same("f: |\n  x");
        same(
            "run: |\n  echo \"a: b\" # not a comment\n    indented more\n\n  done\nnext: >\n  one\n  two\n\n\n  three\n",
        );
        same("- |\n  item\n- >-\n  other\n");
        same(
            "steps:\n  - name: x\n    run: | # comment\n      echo ---\n      a: b # c\n\n  - uses: y\n",
        );
        same("a: >-\n  x\n\n\n# gap\nb: 1\n");
        same("c: |\n   deeper first\n   ---\n");
    }

    #[test]
    fn odd_corners_match_the_full_parser() {
        same("---\n# comment only\n");
        same("a: {}\nb: []\nc: [[], {}]\nd: {e: [f, {g: h}]}\n");
        same("'quoted key': v\n\"dq\": 'x'\n'': empty\n");
        same("k: v:w\nurl: a#b\nneg: -x\ncolon: a:\"b\"\n");
        same("n: .5\no: 1e3\np: +1\nq: 0o7\nr: .inf\ns: Null\nt: TRUE\nu: yes\n");
        same("  indented: root\n  second: 2\n");
        same("- a\n-  b\n-   c: 1\n    d: 2\n");
        same("é: ünïcode\nkey: 日本\n");
        same("{a: 1}\n");
        same("[1, 2]\n---\n- x\n");
        same("owasp: [NHI7:2025, NHI4:2025]\nm: {k: a:b, 'q': x:y}\nurls: [http://a/b, c]\n");
    }

    #[test]
    fn what_is_not_handled_is_left_to_the_full_parser() {
        gives_up("a: &x 1\nb: *x\n");
        gives_up("a: !!str 1\n");
        gives_up("<<: {a: 1}\n");
        gives_up("a: multi\n  line\n");
        gives_up("a: \"esc\\n\"\n");
        gives_up("a:\n\tb: 1\n");
        gives_up("a: 1\r\n");
        gives_up("%YAML 1.2\n---\na: 1\n");
        gives_up("? complex\n: key\n");
        gives_up("a: [1,\n  2]\n");
        gives_up("a: |2\n   x\n");
        gives_up("a: |+\n  x\n\n");
        gives_up("a: b: c\n");
        gives_up("- - a\n");
        gives_up("a: 1\n...\n");
        gives_up("            |\nc#\n");
        gives_up("rules:\n  secrets-outs: [-]\n");
    }
}
