//! Go template actions: finding them in a template (`{{ ... }}`, comments, trim markers,
//! strings that contain `}}`) and reading each into a control keyword or a pipeline of
//! commands.

use super::{MAX_DEPTH, RenderError};

#[derive(Debug)]
pub(super) struct Action {
    pub(super) start: usize,
    pub(super) end: usize,
    /// The action's text without delimiters and trim markers.
    pub(super) inner: String,
    pub(super) kind: Kind,
}

pub(super) fn lex(src: &str, line_starts: &[usize]) -> Result<Vec<Action>, RenderError> {
    let b = src.as_bytes();
    let line_of =
        |off: usize| u32::try_from(line_starts.partition_point(|&s| s <= off)).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = src.get(i..).and_then(|s| s.find("{{")) {
        let start = i + rel;
        let mut j = start + 2;
        if b.get(j) == Some(&b'-') && b.get(j + 1).is_some_and(u8::is_ascii_whitespace) {
            j += 2;
        }
        let inner_start = j;
        let body = src.get(j..).unwrap_or("");
        let lead = body.len() - body.trim_start().len();
        let (inner_end, end) = if body[lead..].starts_with("/*") {
            let from = j + lead + 2;
            let close = src
                .get(from..)
                .and_then(|s| s.find("*/"))
                .map(|c| from + c + 2)
                .ok_or(RenderError::Unterminated(line_of(start)))?;
            let after = src.get(close..).unwrap_or("");
            let t = after.trim_start();
            let t = t.strip_prefix('-').unwrap_or(t);
            if !t.starts_with("}}") {
                return Err(RenderError::Unterminated(line_of(start)));
            }
            (close, src.len() - t.len() + 2)
        } else {
            let mut k = j;
            loop {
                match b.get(k) {
                    None => return Err(RenderError::Unterminated(line_of(start))),
                    Some(b'"') => {
                        k += 1;
                        while let Some(&c) = b.get(k) {
                            k += 1;
                            match c {
                                b'\\' => k += 1,
                                b'"' | b'\n' => break,
                                _ => {}
                            }
                        }
                    }
                    Some(b'`') => {
                        k = src
                            .get(k + 1..)
                            .and_then(|s| s.find('`'))
                            .map(|c| k + 1 + c + 1)
                            .ok_or(RenderError::Unterminated(line_of(start)))?;
                    }
                    Some(b'}') if b.get(k + 1) == Some(&b'}') => break,
                    Some(_) => k += 1,
                }
            }
            let mut inner_end = k;
            if k >= inner_start + 2 && b[k - 1] == b'-' && b[k - 2].is_ascii_whitespace() {
                inner_end = k - 1;
            }
            (inner_end.max(inner_start), k + 2)
        };
        let inner = src.get(inner_start..inner_end).unwrap_or("").to_owned();
        let kind = classify(&inner);
        out.push(Action {
            start,
            end,
            inner,
            kind,
        });
        i = end;
    }
    Ok(out)
}

// ------------------------------------------------------------------------------------------
// Actions and expressions

#[derive(Clone, Debug)]
pub(super) enum Kind {
    Comment,
    If(Option<Pipeline>),
    ElseIf(Option<Pipeline>),
    ElseWith(Option<Pipeline>),
    Else,
    End,
    Range(Option<Pipeline>),
    With(Option<Pipeline>),
    Define,
    Block(Option<Pipeline>),
    /// `break`, `continue`, `fail`: no output.
    Silent,
    Assign(Pipeline),
    Output(Option<Pipeline>),
}

impl Kind {
    pub(super) fn is_output(&self) -> bool {
        matches!(self, Kind::Output(_))
    }
}

#[derive(Clone, Debug)]
pub(super) enum Operand {
    Str(String),
    Num(String),
    /// `.a.b` (empty: `.`).
    Field(Vec<String>),
    /// `$x.a` (empty name: `$`, the root).
    Var(String, Vec<String>),
    Ident(String),
    /// A parenthesised pipeline, and the fields read from its value (`(...).enabled`).
    Sub(Box<Pipeline>, Vec<String>),
}

#[derive(Clone, Debug)]
pub(super) struct Arg {
    pub(super) op: Operand,
    pub(super) text: String,
}

#[derive(Clone, Debug)]
pub(super) struct Command {
    pub(super) args: Vec<Arg>,
}

#[derive(Clone, Debug)]
pub(super) struct Pipeline {
    /// Variables declared (`:=`) or assigned (`=`).
    pub(super) decl: Vec<String>,
    pub(super) declare: bool,
    pub(super) cmds: Vec<Command>,
    pub(super) text: String,
}

fn classify(inner: &str) -> Kind {
    let t = inner.trim();
    if t.starts_with("/*") {
        return Kind::Comment;
    }
    let w = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let (word, rest) = t.split_at(w);
    match word {
        "if" => Kind::If(parse_pipeline(rest)),
        "else" => {
            let r = rest.trim_start();
            let w2 = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            match &r[..w2] {
                "if" => Kind::ElseIf(parse_pipeline(&r[w2..])),
                "with" => Kind::ElseWith(parse_pipeline(&r[w2..])),
                _ => Kind::Else,
            }
        }
        "end" => Kind::End,
        "range" => Kind::Range(parse_pipeline(rest)),
        "with" => Kind::With(parse_pipeline(rest)),
        "define" => Kind::Define,
        "block" => Kind::Block(parse_pipeline(rest).map(|mut p| {
            // `block "name" pipeline`: the name is not part of the value.
            if let Some(c) = p.cmds.first_mut()
                && matches!(c.args.first().map(|a| &a.op), Some(Operand::Str(_)))
            {
                c.args.remove(0);
            }
            p
        })),
        "break" | "continue" => Kind::Silent,
        _ => match parse_pipeline(t) {
            Some(p) if !p.decl.is_empty() => Kind::Assign(p),
            Some(p)
                if matches!(
                    p.cmds.first().and_then(|c| c.args.first()).map(|a| &a.op),
                    Some(Operand::Ident(f)) if f == "fail"
                ) =>
            {
                Kind::Silent
            }
            p => Kind::Output(p),
        },
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    LParen,
    /// Closing parenthesis immediately followed by a field (`(...).x`): not supported.
    RParen,
    RParenField,
    Pipe,
    Comma,
    Declare,
    Assign,
    Str(String),
    Num(String),
    Field(Vec<String>),
    Var(String, Vec<String>),
    Ident(String),
}

fn tokens(s: &str) -> Option<Vec<(Tok, usize, usize)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let path = |from: usize| {
        let mut k = from;
        while b.get(k).is_some_and(|&c| ident(c) || c == b'.') {
            k += 1;
        }
        k
    };
    let fields = |t: &str| -> Vec<String> {
        t.split('.')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    while let Some(&c) = b.get(i) {
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                if b.get(i) == Some(&b'.') {
                    Tok::RParenField
                } else {
                    Tok::RParen
                }
            }
            b'|' => {
                i += 1;
                Tok::Pipe
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b':' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Declare
            }
            b'=' => {
                i += 1;
                Tok::Assign
            }
            b'"' => {
                let mut v = String::new();
                i += 1;
                loop {
                    match b.get(i) {
                        None => return None,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            let e = b.get(i + 1).copied()?;
                            v.push(match e {
                                b'n' => '\n',
                                b't' => '\t',
                                b'r' => '\r',
                                other => char::from(other),
                            });
                            i += 2;
                        }
                        Some(_) => {
                            let ch = s.get(i..)?.chars().next()?;
                            v.push(ch);
                            i += ch.len_utf8();
                        }
                    }
                }
                Tok::Str(v)
            }
            b'`' => {
                let end = s.get(i + 1..)?.find('`')? + i + 1;
                let v = s.get(i + 1..end)?.to_owned();
                i = end + 1;
                Tok::Str(v)
            }
            b'\'' => {
                let end = s.get(i + 1..)?.find('\'')? + i + 1;
                let v = s.get(i + 1..end)?.to_owned();
                i = end + 1;
                Tok::Str(v)
            }
            b'.' => {
                i = path(i + 1);
                Tok::Field(fields(s.get(start..i)?))
            }
            b'$' => {
                let mut k = i + 1;
                while b.get(k).copied().is_some_and(ident) {
                    k += 1;
                }
                let name = s.get(i + 1..k)?.to_owned();
                i = path(k);
                Tok::Var(name, fields(s.get(k..i)?))
            }
            c if c.is_ascii_digit()
                || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                i += 1;
                while b
                    .get(i)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
                {
                    i += 1;
                }
                Tok::Num(s.get(start..i)?.to_owned())
            }
            c if ident(c) => {
                while b.get(i).copied().is_some_and(ident) {
                    i += 1;
                }
                // `fn.x` does not exist in templates; a dotted name after an identifier is a
                // method call on a field we do not model.
                Tok::Ident(s.get(start..i)?.to_owned())
            }
            _ => return None,
        };
        out.push((tok, start, i));
    }
    Some(out)
}

fn parse_pipeline(s: &str) -> Option<Pipeline> {
    let toks = tokens(s)?;
    let mut pos = 0;
    let p = pipeline(&toks, &mut pos, s, 0)?;
    (pos == toks.len()).then_some(p)
}

fn pipeline(
    toks: &[(Tok, usize, usize)],
    pos: &mut usize,
    s: &str,
    depth: usize,
) -> Option<Pipeline> {
    if depth > MAX_DEPTH {
        return None;
    }
    let start = toks.get(*pos).map(|t| t.1).unwrap_or(s.len());
    let mut decl = Vec::new();
    let mut declare = false;
    // `$x :=`, `$x =`, `$k, $v :=`
    let var_at = |i: usize| match toks.get(i).map(|t| &t.0) {
        Some(Tok::Var(n, f)) if f.is_empty() && !n.is_empty() => Some(n.clone()),
        _ => None,
    };
    if let Some(a) = var_at(*pos) {
        match toks.get(*pos + 1).map(|t| &t.0) {
            Some(Tok::Declare | Tok::Assign) => {
                declare = toks.get(*pos + 1).map(|t| &t.0) == Some(&Tok::Declare);
                decl.push(a);
                *pos += 2;
            }
            Some(Tok::Comma) => {
                if let (Some(b), Some(Tok::Declare | Tok::Assign)) =
                    (var_at(*pos + 2), toks.get(*pos + 3).map(|t| &t.0))
                {
                    declare = toks.get(*pos + 3).map(|t| &t.0) == Some(&Tok::Declare);
                    decl.push(a);
                    decl.push(b);
                    *pos += 4;
                }
            }
            _ => {}
        }
    }
    let mut cmds = Vec::new();
    loop {
        let mut args = Vec::new();
        while let Some((t, a, b)) = toks.get(*pos) {
            let op = match t {
                Tok::Pipe | Tok::RParen => break,
                Tok::Str(v) => Operand::Str(v.clone()),
                Tok::Num(v) => Operand::Num(v.clone()),
                Tok::Field(f) => Operand::Field(f.clone()),
                Tok::Var(n, f) => Operand::Var(n.clone(), f.clone()),
                Tok::Ident(i) => Operand::Ident(i.clone()),
                Tok::LParen => {
                    *pos += 1;
                    let inner = pipeline(toks, pos, s, depth + 1)?;
                    let (fields, e) = match (toks.get(*pos), toks.get(*pos + 1)) {
                        (Some((Tok::RParen, _, e)), _) => (Vec::new(), *e),
                        (Some((Tok::RParenField, _, _)), Some((Tok::Field(f), _, e))) => {
                            *pos += 1;
                            (f.clone(), *e)
                        }
                        _ => return None,
                    };
                    args.push(Arg {
                        op: Operand::Sub(Box::new(inner), fields),
                        text: s.get(*a..e)?.to_owned(),
                    });
                    *pos += 1;
                    continue;
                }
                Tok::RParenField | Tok::Comma | Tok::Declare | Tok::Assign => return None,
            };
            args.push(Arg {
                op,
                text: s.get(*a..*b)?.to_owned(),
            });
            *pos += 1;
        }
        if args.is_empty() {
            return None;
        }
        cmds.push(Command { args });
        if toks.get(*pos).map(|t| &t.0) == Some(&Tok::Pipe) {
            *pos += 1;
        } else {
            break;
        }
    }
    let end = toks
        .get(pos.saturating_sub(1))
        .map(|t| t.2)
        .unwrap_or(s.len());
    Some(Pipeline {
        decl,
        declare,
        cmds,
        text: s.get(start..end.max(start)).unwrap_or("").trim().to_owned(),
    })
}
