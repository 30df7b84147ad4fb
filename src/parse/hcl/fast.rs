//! A one-pass reader for the HCL that Terraform code is written in. It builds the same tree,
//! spans included, as hcl-edit's parser converted by [`super::convert`] (a differential test
//! and a fuzz target hold it to that), at a fraction of the cost; whenever it meets something it
//! does not read (template directives and strip markers, namespaced functions, non-ASCII
//! identifiers, nesting deeper than [`MAX_DEPTH`], anything malformed) it returns None and the
//! caller parses the file with hcl-edit, which also reports errors.
//!
//! The grammar follows hcl-edit's, including where newlines may continue an expression: an
//! attribute value or object item ends at a newline unless it is inside brackets, except that
//! once an expression began with a list or a function call, newlines may precede its
//! operators (a quirk kept so both readers agree).

use super::{
    Attribute, BinaryOperator, Block, Body, Element, Expr, ExprKind, ForExpr, FuncCall, Ident,
    ObjectKey, Sp, Structure, TraversalOp, UnaryOperator,
};

/// Nesting (blocks, brackets, operands) past which hcl-edit reads the file (it stops at 64).
const MAX_DEPTH: u32 = 40;
/// Binary operators in one chain past which hcl-edit reads the file (it stops at 128).
const MAX_CHAIN: usize = 64;
/// Object keys that are neither identifiers nor plain strings, or strings written with
/// escapes (each is compared with the others of its kind for repeats), past which hcl-edit
/// reads the file.
const MAX_COMPLEX_KEYS: usize = 64;

/// The tree of `text`, or None when hcl-edit must read it.
pub fn parse_body(text: &str) -> Option<Body> {
    let mut p = Reader {
        t: text,
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let body = p.body()?;
    p.ws()?;
    (p.i == p.b.len()).then_some(body)
}

struct Reader<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
    depth: u32,
}

fn id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn id_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, s: &[u8]) -> bool {
        self.b[self.i..].starts_with(s)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Consume `t` if it comes next.
    fn eat_tag(&mut self, t: &[u8]) -> bool {
        let at = self.at(t);
        if at {
            self.i += t.len();
        }
        at
    }

    fn deeper(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    // ------------------------------------------------------------------ trivia

    /// Spaces, tabs and `/* */` comments.
    fn sp(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.i += 1,
                Some(b'/') if self.at(b"/*") => self.block_comment()?,
                _ => return Some(()),
            }
        }
    }

    /// Any whitespace, newlines and comments.
    fn ws(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.i += 1,
                Some(b'#') => self.line_comment()?,
                Some(b'/') if self.at(b"//") => self.line_comment()?,
                Some(b'/') if self.at(b"/*") => self.block_comment()?,
                _ => return Some(()),
            }
        }
    }

    fn skip(&mut self, nl: bool) -> Option<()> {
        if nl { self.ws() } else { self.sp() }
    }

    fn block_comment(&mut self) -> Option<()> {
        let end = memchr::memmem::find(&self.b[self.i + 2..], b"*/")?;
        self.i += 2 + end + 2;
        Some(())
    }

    /// `#` or `//` to the end of the line (the line ending is not consumed).
    fn line_comment(&mut self) -> Option<()> {
        let rest = &self.b[self.i..];
        let end = match memchr::memchr(b'\n', rest) {
            Some(n) if n > 0 && rest[n - 1] == b'\r' => n - 1,
            Some(n) => n,
            None => rest.len(),
        };
        // A lone carriage return is no line ending: leave such text to hcl-edit.
        if rest[..end].contains(&b'\r') {
            return None;
        }
        self.i += end;
        Some(())
    }

    fn line_ending(&mut self) -> bool {
        if self.at(b"\n") {
            self.i += 1;
            true
        } else if self.at(b"\r\n") {
            self.i += 2;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        if !id_start(self.peek()?) {
            return None;
        }
        self.i += 1;
        while self.peek().is_some_and(id_continue) {
            self.i += 1;
        }
        // A non-ASCII letter may go on the identifier: hcl-edit knows Unicode identifiers.
        if self.peek().is_some_and(|c| c >= 0x80) {
            return None;
        }
        Some(&self.t[start..self.i])
    }

    // ------------------------------------------------------------------ structure

    fn body(&mut self) -> Option<Body> {
        let mut items = Vec::new();
        let mut names = Seen::default();
        loop {
            let save = self.i;
            self.ws()?;
            if !self.peek().is_some_and(id_start) {
                self.i = save;
                break;
            }
            let s = self.structure()?;
            if let Structure::Attribute(a) = &s {
                let name = &self.t[a.key.span.start as usize..a.key.span.end as usize];
                if !names.insert(name) {
                    return None;
                }
            }
            items.push(s);
            self.sp()?;
            if matches!(self.peek(), Some(b'#')) || self.at(b"//") {
                self.line_comment()?;
            }
            if !self.line_ending() && self.i != self.b.len() {
                return None;
            }
        }
        self.ws()?;
        Some(Body { items })
    }

    fn structure(&mut self) -> Option<Structure> {
        let start = self.i;
        let name = self.ident()?;
        let key = Ident {
            name: name.to_owned(),
            span: Sp::new(start, self.i),
        };
        self.sp()?;
        match self.peek()? {
            b'=' => self.attribute(key, start).map(Structure::Attribute),
            b'{' => self.block(name, Vec::new(), start),
            b'"' => self.labelled(name, start),
            c if id_start(c) => self.labelled(name, start),
            _ => None,
        }
    }

    /// From the `=` of an attribute whose key has been read.
    fn attribute(&mut self, key: Ident, start: usize) -> Option<Attribute> {
        self.eat(b'=')?;
        self.sp()?;
        let value = self.expr(false)?;
        Some(Attribute {
            key,
            span: Sp::new(start, value.span.end as usize),
            value,
        })
    }

    fn labelled(&mut self, name: &str, start: usize) -> Option<Structure> {
        let mut labels = Vec::new();
        loop {
            match self.peek()? {
                b'"' => match self.quoted()? {
                    ExprKind::String(s) => labels.push(s),
                    _ => return None,
                },
                c if id_start(c) => labels.push(self.ident()?.to_owned()),
                _ => break,
            }
            self.sp()?;
        }
        self.block(name, labels, start)
    }

    fn block(&mut self, name: &str, labels: Vec<String>, start: usize) -> Option<Structure> {
        self.eat(b'{')?;
        self.deeper()?;
        let open = self.i;
        self.sp()?;
        if matches!(self.peek(), Some(b'#')) || self.at(b"//") {
            self.line_comment()?;
        }
        let body = if self.line_ending() {
            self.body()?
        } else {
            // One line: `{}` or `{ key = value }`.
            self.i = open;
            self.sp()?;
            let mut items = Vec::new();
            let at = self.i;
            if self.peek().is_some_and(id_start) {
                let n = self.ident()?;
                let key = Ident {
                    name: n.to_owned(),
                    span: Sp::new(at, self.i),
                };
                self.sp()?;
                items.push(Structure::Attribute(self.attribute(key, at)?));
                self.sp()?;
            }
            Body { items }
        };
        self.eat(b'}')?;
        self.depth -= 1;
        Some(Structure::Block(Block {
            ident: name.to_owned(),
            labels,
            body,
            span: Sp::new(start, self.i),
        }))
    }

    // ------------------------------------------------------------------ expressions

    /// An expression; `nl`: whether newlines may separate its parts (inside brackets).
    fn expr(&mut self, nl: bool) -> Option<Expr> {
        self.deeper()?;
        let mut nl = nl;
        let start = self.i;
        let first = self.term(&mut nl)?;
        let mut e = first;
        loop {
            let save = self.i;
            self.skip(nl)?;
            let c = self.peek();
            if c == Some(b'?') {
                self.i += 1;
                self.skip(nl)?;
                let yes = self.expr(nl)?;
                self.skip(nl)?;
                self.eat(b':')?;
                self.skip(nl)?;
                let no = self.expr(nl)?;
                e = Expr {
                    span: Sp::new(start, no.span.end as usize),
                    kind: ExprKind::Conditional(Box::new([e, yes, no])),
                };
                break;
            }
            let operator = match c {
                Some(b'/') => !self.at(b"//") && !self.at(b"/*"),
                Some(b'=') => self.at(b"=="),
                Some(b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'%' | b'&' | b'|') => true,
                _ => false,
            };
            if !operator {
                self.i = save;
                break;
            }
            e = self.binary_ops(e, nl)?;
        }
        self.depth -= 1;
        Some(e)
    }

    fn binary_operator(&mut self) -> Option<BinaryOperator> {
        use BinaryOperator as B;
        let two = |r: &mut Self, op| {
            r.i += 2;
            Some(op)
        };
        let one = |r: &mut Self, op| {
            r.i += 1;
            Some(op)
        };
        match self.peek()? {
            b'=' if self.at(b"==") => two(self, B::Eq),
            b'!' if self.at(b"!=") => two(self, B::NotEq),
            b'<' if self.at(b"<=") => two(self, B::LessEq),
            b'<' => one(self, B::Less),
            b'>' if self.at(b">=") => two(self, B::GreaterEq),
            b'>' => one(self, B::Greater),
            b'+' => one(self, B::Plus),
            b'-' => one(self, B::Minus),
            b'*' => one(self, B::Mul),
            b'/' if !self.at(b"//") && !self.at(b"/*") => one(self, B::Div),
            b'%' => one(self, B::Mod),
            b'&' if self.at(b"&&") => two(self, B::And),
            b'|' if self.at(b"||") => two(self, B::Or),
            _ => None,
        }
    }

    /// A chain of binary operators after `lhs`, grouped by precedence (left associative).
    fn binary_ops(&mut self, lhs: Expr, nl: bool) -> Option<Expr> {
        let mut operands = vec![lhs];
        let mut ops: Vec<BinaryOperator> = Vec::new();
        let mut chain = 0;
        loop {
            let save = self.i;
            self.skip(nl)?;
            let Some(op) = self.binary_operator() else {
                if ops.is_empty() {
                    return None;
                }
                self.i = save;
                break;
            };
            self.skip(nl)?;
            let mut term_nl = nl;
            self.deeper()?;
            let rhs = self.term(&mut term_nl)?;
            self.depth -= 1;
            // Reduce what binds at least as tightly as `op` before pushing it.
            while let Some(&top) = ops.last() {
                if top.precedence() < op.precedence() {
                    break;
                }
                reduce(&mut operands, &mut ops)?;
            }
            ops.push(op);
            operands.push(rhs);
            chain += 1;
            if chain > MAX_CHAIN {
                return None;
            }
        }
        while !ops.is_empty() {
            reduce(&mut operands, &mut ops)?;
        }
        operands.pop()
    }

    /// An expression term (literal, collection, reference, call, unary operation...) with the
    /// traversal that follows it. A list or a call sets `nl` for the rest of the expression.
    fn term(&mut self, nl: &mut bool) -> Option<Expr> {
        let start = self.i;
        let kind = match self.peek()? {
            b'"' => self.quoted()?,
            b'[' => {
                *nl = true;
                self.array()?
            }
            b'{' => self.object(nl)?,
            b'0'..=b'9' => self.number()?,
            b'<' => self.heredoc()?,
            b'-' => {
                self.i += 1;
                self.sp()?;
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    match self.number()? {
                        ExprKind::Number(n) => ExprKind::Number(negate(&n)?),
                        _ => return None,
                    }
                } else {
                    self.unary(UnaryOperator::Neg, *nl)?
                }
            }
            b'!' => {
                self.i += 1;
                self.sp()?;
                self.unary(UnaryOperator::Not, *nl)?
            }
            b'(' => {
                self.i += 1;
                self.ws()?;
                let inner = self.expr(true)?;
                self.ws()?;
                self.eat(b')')?;
                ExprKind::Parenthesis(Box::new(inner))
            }
            c if id_start(c) => self.identlike(nl)?,
            _ => return None,
        };
        let term = Expr {
            span: Sp::new(start, self.i),
            kind,
        };
        self.traversal(term, *nl, start)
    }

    fn unary(&mut self, op: UnaryOperator, nl: bool) -> Option<ExprKind> {
        let mut nl = nl;
        self.deeper()?;
        let operand = self.term(&mut nl)?;
        self.depth -= 1;
        Some(ExprKind::UnaryOp(op, Box::new(operand)))
    }

    fn traversal(&mut self, term: Expr, nl: bool, start: usize) -> Option<Expr> {
        let mut ops = Vec::new();
        loop {
            let save = self.i;
            self.skip(nl)?;
            match self.peek() {
                Some(b'.') if !self.at(b"..") => {
                    self.i += 1;
                    self.ws()?;
                    ops.push(match self.peek()? {
                        b'*' => {
                            self.i += 1;
                            TraversalOp::AttrSplat
                        }
                        b'0'..=b'9' => {
                            let s = self.i;
                            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                                self.i += 1;
                            }
                            let digits = &self.t[s..self.i];
                            // hcl-edit reads `x.01` as `x.0` followed by an error.
                            if digits.len() > 1 && digits.starts_with('0') {
                                return None;
                            }
                            TraversalOp::LegacyIndex(digits.parse().ok()?)
                        }
                        _ => TraversalOp::GetAttr(self.ident()?.to_owned()),
                    });
                }
                Some(b'[') => {
                    self.i += 1;
                    self.ws()?;
                    if self.peek()? == b'*' {
                        self.i += 1;
                        ops.push(TraversalOp::FullSplat);
                    } else {
                        ops.push(TraversalOp::Index(self.expr(true)?));
                    }
                    self.ws()?;
                    self.eat(b']')?;
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        if ops.is_empty() {
            return Some(term);
        }
        Some(Expr {
            span: Sp::new(start, self.i),
            kind: ExprKind::Traversal(Box::new(term), ops),
        })
    }

    fn identlike(&mut self, nl: &mut bool) -> Option<ExprKind> {
        let name = self.ident()?;
        let save = self.i;
        self.skip(*nl)?;
        if self.at(b"::") {
            return None;
        }
        if self.peek() == Some(b'(') {
            *nl = true;
            return self.call(name);
        }
        self.i = save;
        Some(match name {
            "null" => ExprKind::Null,
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            v => ExprKind::Variable(v.to_owned()),
        })
    }

    fn call(&mut self, name: &str) -> Option<ExprKind> {
        self.eat(b'(')?;
        let (args, expand_final) = self.items(b')', true)?;
        Some(ExprKind::FuncCall(Box::new(FuncCall {
            name: name.to_owned(),
            args,
            expand_final,
        })))
    }

    /// `for` follows (after whitespace), as a keyword.
    fn at_for(&self) -> bool {
        let mut probe = Reader {
            t: self.t,
            b: self.b,
            i: self.i,
            depth: 0,
        };
        probe.ws().is_some()
            && probe.at(b"for")
            && matches!(
                probe.b.get(probe.i + 3),
                Some(b' ' | b'\t' | b'#' | b'/' | b'\n')
            )
    }

    fn array(&mut self) -> Option<ExprKind> {
        self.eat(b'[')?;
        if self.at_for() {
            let (key_var, value_var, collection) = self.for_intro()?;
            self.ws()?;
            let value_expr = self.expr(true)?;
            self.ws()?;
            let cond = self.for_cond(true)?;
            self.eat(b']')?;
            return Some(ExprKind::ForExpr(Box::new(ForExpr {
                key_var,
                value_var,
                collection,
                key_expr: None,
                value_expr,
                cond,
                grouping: false,
            })));
        }
        let (items, _) = self.items(b']', false)?;
        Some(ExprKind::Array(items))
    }

    /// Comma-separated expressions (a trailing comma allowed) up to and including `close`;
    /// with `ellipsis`, the last may be followed by `...` (returned as true).
    fn items(&mut self, close: u8, ellipsis: bool) -> Option<(Vec<Expr>, bool)> {
        let mut items = Vec::new();
        let mut expanded = false;
        loop {
            self.ws()?;
            if self.peek()? == close {
                break;
            }
            items.push(self.expr(true)?);
            self.ws()?;
            if self.peek()? == b',' {
                self.i += 1;
                continue;
            }
            if ellipsis && self.eat_tag(b"...") {
                expanded = true;
                self.ws()?;
            }
            break;
        }
        self.eat(close)?;
        Some((items, expanded))
    }

    /// `for k, v in coll :` (whitespace before it included).
    fn for_intro(&mut self) -> Option<(Option<String>, String, Expr)> {
        self.ws()?;
        self.i += 3;
        self.ws()?;
        let first = self.ident()?.to_owned();
        self.ws()?;
        let mut second = None;
        if self.peek()? == b',' {
            self.i += 1;
            self.ws()?;
            second = Some(self.ident()?.to_owned());
            self.ws()?;
        }
        if !self.eat_tag(b"in") {
            return None;
        }
        self.ws()?;
        let collection = self.expr(false)?;
        self.ws()?;
        self.eat(b':')?;
        Some(match second {
            Some(v) => (Some(first), v, collection),
            None => (None, first, collection),
        })
    }

    /// An optional `if cond` of a `for` expression, with the whitespace after it.
    fn for_cond(&mut self, nl: bool) -> Option<Option<Expr>> {
        let save = self.i;
        self.ws()?;
        if !self.eat_tag(b"if") {
            self.i = save;
            return Some(None);
        }
        self.ws()?;
        let cond = self.expr(nl)?;
        self.ws()?;
        Some(Some(cond))
    }

    fn object(&mut self, nl: &mut bool) -> Option<ExprKind> {
        self.eat(b'{')?;
        if self.at_for() {
            *nl = true;
            let (key_var, value_var, collection) = self.for_intro()?;
            self.ws()?;
            let key_expr = self.expr(false)?;
            self.ws()?;
            if !self.eat_tag(b"=>") {
                return None;
            }
            self.ws()?;
            let value_expr = self.expr(false)?;
            self.ws()?;
            let grouping = self.eat_tag(b"...");
            if grouping {
                self.ws()?;
            }
            let cond = self.for_cond(true)?;
            self.eat(b'}')?;
            return Some(ExprKind::ForExpr(Box::new(ForExpr {
                key_var,
                value_var,
                collection,
                key_expr: Some(key_expr),
                value_expr,
                cond,
                grouping,
            })));
        }
        let mut items: Vec<(ObjectKey, Expr)> = Vec::new();
        // Keys seen: identifiers and plain strings by name; other keys are compared with each
        // other, and past a few of them the object goes to hcl-edit (no quadratic work).
        let mut idents = Seen::default();
        let mut strings = Seen::default();
        let mut others: Vec<usize> = Vec::new();
        let mut escaped: Vec<usize> = Vec::new();
        loop {
            self.ws()?;
            if self.peek()? == b'}' {
                break;
            }
            let key = match self.expr(false)? {
                Expr {
                    span,
                    kind: ExprKind::Variable(name),
                } => ObjectKey::Ident(Ident { name, span }),
                x => ObjectKey::Expr(x),
            };
            // A repeated key is an error in hcl-edit, which reports it.
            let fresh = match &key {
                ObjectKey::Ident(id) => {
                    idents.insert(&self.t[id.span.start as usize..id.span.end as usize])
                }
                // By value: `"$${a}"` is `"${a}"`. Keys written with escapes are few: each is
                // compared with the others and looked up among the plain ones.
                ObjectKey::Expr(Expr {
                    kind: ExprKind::String(v),
                    span,
                }) => {
                    let clashes = escaped.iter().any(|&i| match &items[i].0 {
                        ObjectKey::Expr(Expr {
                            kind: ExprKind::String(w),
                            ..
                        }) => w == v,
                        _ => false,
                    });
                    let raw = &self.t[span.start as usize + 1..span.end as usize - 1];
                    if raw == v {
                        !clashes && strings.insert(raw)
                    } else {
                        escaped.push(items.len());
                        !clashes && !strings.contains(v) && escaped.len() <= MAX_COMPLEX_KEYS
                    }
                }
                ObjectKey::Expr(x) => {
                    let repeated = others.iter().any(|&i| match &items[i].0 {
                        ObjectKey::Expr(y) => same_expr(x, y),
                        ObjectKey::Ident(_) => false,
                    });
                    others.push(items.len());
                    !repeated && others.len() <= MAX_COMPLEX_KEYS
                }
            };
            if !fresh {
                return None;
            }
            self.sp()?;
            match self.peek()? {
                b'=' | b':' => self.i += 1,
                _ => return None,
            }
            self.sp()?;
            let value = self.expr(false)?;
            self.sp()?;
            items.push((key, value));
            match self.peek()? {
                b'}' => break,
                b',' => self.i += 1,
                b'\n' | b'\r' => {
                    if !self.line_ending() {
                        return None;
                    }
                }
                b'#' => {
                    self.line_comment()?;
                    if !self.line_ending() {
                        return None;
                    }
                }
                b'/' if self.at(b"//") => {
                    self.line_comment()?;
                    if !self.line_ending() {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        self.eat(b'}')?;
        Some(ExprKind::Object(items))
    }

    fn number(&mut self) -> Option<ExprKind> {
        let s = self.i;
        let digits = |r: &mut Self| {
            let d = r.i;
            while r.peek().is_some_and(|c| c.is_ascii_digit()) {
                r.i += 1;
            }
            r.i > d
        };
        digits(self);
        let mut float = false;
        if self.peek() == Some(b'.') && self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
            digits(self);
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
            float = true;
        }
        let text = &self.t[s..self.i];
        let n = match text.parse::<u64>() {
            Ok(v) if !float => hcl_edit::Number::from(v),
            _ => hcl_edit::Number::from_f64(text.parse::<f64>().ok()?)?,
        };
        Some(ExprKind::Number(n.to_string()))
    }

    /// A quoted string: a plain `String` without interpolation, else a `Template`.
    fn quoted(&mut self) -> Option<ExprKind> {
        self.eat(b'"')?;
        let mut parts = Parts::at(self.i);
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    parts.lit.push(match e {
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'\\' => '\\',
                        b'"' => '"',
                        b'u' => self.hex(4)?,
                        b'U' => self.hex(8)?,
                        _ => return None,
                    });
                }
                _ => self.template_step(&mut parts, |c| matches!(c, b'"' | b'\\'))?,
            }
        }
        let end = self.i;
        self.i += 1;
        if parts.elems.is_empty() {
            return Some(ExprKind::String(parts.lit));
        }
        if end > parts.lit_start {
            parts.finish_literal(end);
        }
        Some(ExprKind::Template(parts.elems))
    }

    /// One step through template text that is not the caller's own syntax (escapes, line
    /// ends, the closing quote): an escaped `$${` or `%%{`, an interpolation, or literal text
    /// up to the next byte the caller or this step reads. None to give up (a directive).
    fn template_step(&mut self, parts: &mut Parts, stop: fn(u8) -> bool) -> Option<()> {
        let c = self.peek()?;
        match c {
            b'$' | b'%' if self.at(b"$${") || self.at(b"%%{") => {
                parts.lit.push(c as char);
                parts.lit.push('{');
                self.i += 3;
            }
            b'%' if self.at(b"%{") => return None,
            b'$' if self.at(b"${") => {
                if self.i > parts.lit_start {
                    parts.finish_literal(self.i);
                }
                let interpolation = self.interpolation()?;
                parts.elems.push(interpolation);
                parts.lit_start = self.i;
            }
            _ => {
                // At least one byte: a `$` or `%` that starts nothing is literal text.
                let run = self.b[self.i + 1..]
                    .iter()
                    .position(|&c| stop(c) || c == b'$' || c == b'%')
                    .map_or(self.b.len(), |n| self.i + 1 + n);
                parts.lit.push_str(self.t.get(self.i..run)?);
                self.i = run;
            }
        }
        Some(())
    }

    fn hex(&mut self, n: usize) -> Option<char> {
        let h = self.t.get(self.i..self.i + n)?;
        if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += n;
        char::from_u32(u32::from_str_radix(h, 16).ok()?)
    }

    /// `${ expr }` (without strip markers).
    fn interpolation(&mut self) -> Option<Element> {
        let start = self.i;
        self.i += 2;
        if self.peek()? == b'~' {
            return None;
        }
        self.ws()?;
        let expr = self.expr(true)?;
        self.ws()?;
        self.eat(b'}')?;
        Some(Element::Interpolation {
            expr,
            span: Sp::new(start, self.i),
        })
    }

    /// `<<EOT` / `<<-EOT` heredocs.
    fn heredoc(&mut self) -> Option<ExprKind> {
        if !self.at(b"<<") {
            return None;
        }
        self.i += 2;
        let indented = self.peek()? == b'-';
        if indented {
            self.i += 1;
        }
        let delim = self.ident()?;
        if !self.line_ending() {
            return None;
        }
        // The closing line: optional spaces, the delimiter, no identifier character after it.
        // Outer None: not sure (a non-ASCII character follows the delimiter).
        let closes = |r: &Self, at: usize| -> Option<Option<usize>> {
            let mut j = at;
            while matches!(r.b.get(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            let end = j + delim.len();
            if r.b.get(j..end) != Some(delim.as_bytes()) {
                return Some(None);
            }
            match r.b.get(end) {
                Some(&c) if c >= 0x80 => None,
                Some(&c) if id_continue(c) => Some(None),
                _ => Some(Some(end)),
            }
        };
        // An empty heredoc is read by hcl-edit only after backtracking: leave it to it.
        if closes(self, self.i)?.is_some() {
            return None;
        }
        let mut parts = Parts::at(self.i);
        let end = loop {
            match self.peek()? {
                b'\n' | b'\r' => {
                    let at = self.i;
                    if !self.line_ending() {
                        parts.lit.push('\r');
                        self.i += 1;
                        continue;
                    }
                    parts.lit.push_str(&self.t[at..self.i]);
                    if let Some(end) = closes(self, self.i)? {
                        break end;
                    }
                }
                _ => self.template_step(&mut parts, |c| matches!(c, b'\n' | b'\r'))?,
            }
        };
        // The last literal runs to the end of the line before the delimiter.
        parts.finish_literal(self.i);
        self.i = end;
        let mut elems = parts.elems;
        if indented {
            dedent(&mut elems);
        }
        Some(ExprKind::Heredoc(elems))
    }
}

/// A template being read: its finished elements, and the literal text going on since
/// `lit_start`.
struct Parts {
    elems: Vec<Element>,
    lit: String,
    lit_start: usize,
}

impl Parts {
    fn at(start: usize) -> Parts {
        Parts {
            elems: Vec::new(),
            lit: String::new(),
            lit_start: start,
        }
    }

    /// The literal text going on, as an element ending at `end`.
    fn finish_literal(&mut self, end: usize) {
        self.elems.push(Element::Literal {
            value: std::mem::take(&mut self.lit),
            span: Sp::new(self.lit_start, end),
        });
    }
}

/// Fold the last operator of a chain with its two operands.
fn reduce(operands: &mut Vec<Expr>, ops: &mut Vec<BinaryOperator>) -> Option<()> {
    let op = ops.pop()?;
    let rhs = operands.pop()?;
    let lhs = operands.pop()?;
    operands.push(Expr {
        span: Sp {
            start: lhs.span.start,
            end: rhs.span.end,
        },
        kind: ExprKind::BinaryOp(op, Box::new([lhs, rhs])),
    });
    Some(())
}

/// Names (slices of the source) seen in one body or object: kept in place while few (most
/// bodies and objects, which then cost no allocation), in a hash set beyond.
#[derive(Default)]
struct Seen<'a> {
    few: [&'a str; 16],
    len: usize,
    many: Option<std::collections::HashSet<&'a str>>,
}

impl<'a> Seen<'a> {
    fn contains(&self, name: &str) -> bool {
        match &self.many {
            Some(set) => set.contains(name),
            None => self.few[..self.len].contains(&name),
        }
    }

    /// False when the name was seen before.
    fn insert(&mut self, name: &'a str) -> bool {
        if let Some(set) = &mut self.many {
            return set.insert(name);
        }
        if self.few[..self.len].contains(&name) {
            return false;
        }
        if self.len < self.few.len() {
            self.few[self.len] = name;
            self.len += 1;
        } else {
            let mut set: std::collections::HashSet<&str> = self.few.iter().copied().collect();
            set.insert(name);
            self.many = Some(set);
        }
        true
    }
}

/// Equal but for spans: conservative (shapes not compared count as equal, so the file goes to
/// hcl-edit, which decides).
fn same_expr(a: &Expr, b: &Expr) -> bool {
    use ExprKind as K;
    match (&a.kind, &b.kind) {
        (K::String(x), K::String(y))
        | (K::Number(x), K::Number(y))
        | (K::Variable(x), K::Variable(y)) => x == y,
        (K::Parenthesis(x), K::Parenthesis(y)) => same_expr(x, y),
        (K::Template(x), K::Template(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|pair| match pair {
                    (Element::Literal { value: v, .. }, Element::Literal { value: w, .. }) => {
                        v == w
                    }
                    (
                        Element::Interpolation { expr: v, .. },
                        Element::Interpolation { expr: w, .. },
                    ) => same_expr(v, w),
                    _ => false,
                })
        }
        (K::Traversal(x, xs), K::Traversal(y, ys)) => {
            same_expr(x, y)
                && xs.len() == ys.len()
                && xs.iter().zip(ys).all(|pair| match pair {
                    (TraversalOp::GetAttr(v), TraversalOp::GetAttr(w)) => v == w,
                    (TraversalOp::Index(v), TraversalOp::Index(w)) => same_expr(v, w),
                    (TraversalOp::LegacyIndex(v), TraversalOp::LegacyIndex(w)) => v == w,
                    (TraversalOp::AttrSplat, TraversalOp::AttrSplat)
                    | (TraversalOp::FullSplat, TraversalOp::FullSplat) => true,
                    _ => false,
                })
        }
        (K::String(_) | K::Number(_) | K::Variable(_) | K::Template(_) | K::Traversal(..), _)
        | (_, K::String(_) | K::Number(_) | K::Variable(_) | K::Template(_) | K::Traversal(..)) => {
            false
        }
        _ => true,
    }
}

fn negate(n: &str) -> Option<String> {
    let v = match n.parse::<u64>() {
        Ok(0) => return None,
        Ok(v) => -hcl_edit::Number::from(v),
        Err(_) => -hcl_edit::Number::from_f64(n.parse::<f64>().ok()?)?,
    };
    Some(v.to_string())
}

/// `<<-` heredocs lose the indentation common to their literal lines, as hcl-edit strips it:
/// the least leading whitespace of the non-empty lines that start a line (a literal after an
/// interpolation on the same line does not count its first line), none if an interpolation
/// starts a line; spans stay those of the source.
fn dedent(elems: &mut [Element]) {
    let mut indent: Option<usize> = None;
    let mut skip_first = false;
    for el in elems.iter() {
        match el {
            Element::Literal { value, .. } => {
                if let Some(n) = least_indent(value, skip_first) {
                    indent = Some(indent.map_or(n, |i| i.min(n)));
                }
                skip_first = !value.ends_with('\n');
            }
            _ if !skip_first => return,
            _ => {}
        }
    }
    let Some(indent) = indent else { return };
    let mut skip_first = false;
    for el in elems.iter_mut() {
        match el {
            Element::Literal { value, .. } => {
                *value = dedent_by(value, indent, skip_first);
                skip_first = !value.ends_with('\n');
            }
            _ if !skip_first => skip_first = true,
            _ => {}
        }
    }
}

fn least_indent(s: &str, skip_first: bool) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    let mut least: Option<usize> = None;
    for (i, line) in s.lines().enumerate() {
        if (i == 0 && skip_first) || line.is_empty() {
            continue;
        }
        let n = line.chars().take_while(|c| c.is_whitespace()).count();
        if n == 0 {
            return None;
        }
        least = Some(least.map_or(n, |l| l.min(n)));
    }
    least
}

fn dedent_by(s: &str, n: usize, skip_first: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i == 0 && skip_first {
            out.push_str(line);
        } else if !line.is_empty() {
            out.extend(line.chars().skip(n));
        }
        out.push('\n');
    }
    if out.ends_with('\n') && !s.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let full = super::super::parse_body_full(text).expect("hcl-edit reads it");
        let fast = parse_body(text).expect("the fast reader reads it");
        assert_eq!(fast, full, "{text}");
    }

    #[test]
    fn common_terraform_reads_like_hcl_edit() {
        for text in [
            "a = 1\n",
            "a = 1",
            "resource \"aws_iam_role\" \"ci\" {\n  name = \"ci\" # c\n  tags = { a = 1, \"b\" = 2 }\n}\n",
            "locals {\n  x = [for k, v in var.m : v.id if v.on]\n  y = {for k, v in var.m : k => v...}\n}\n",
            "a = var.x ? \"y\" : \"z\"\nb = !var.a && (1 + 2 * 3 >= -4)\nc = -1.5e3\n",
            "a = \"x${var.y}z\\n\\u00e9$${q}\"\nb = \"${var.z}\"\n",
            "a = <<EOF\n  x ${var.y}\n EOF\nb = <<-EOT\n    {\n      \"a\": 1\n    }\n    EOT\n",
            "a = aws_iam_role.x[0].arn\nb = data.x.y.*.id\nc = module.m[\"k\"].out\nd = x[*].y\n",
            "a = concat(var.a, [\n  1,\n  2,\n])\nb = f(x...)\n",
            "b {}\nc { a = 1 }\n/* x */\n// y\n",
            "a = jsonencode({\n  Statement = [{\n    Action = \"*\"\n    Effect = \"Allow\"\n  }]\n})\n",
            "a = 18446744073709551616\nb = 007\nc = 1.0\n",
            "a = x.0.y\nb = [\n  for s in var.l :\n  s\n]\n",
            "a = {\n  b = 1 // c\n  d = 2\n}\n",
            "a = f(1)\n  + 2\n",
        ] {
            same(text);
        }
    }

    #[test]
    fn corner_cases_read_like_hcl_edit() {
        for text in [
            // CRLF line endings, in the body and in heredocs.
            "a = 1\r\nb {\r\n  c = \"x\"\r\n}\r\n",
            "a = <<EOF\r\nline\r\nEOF\r\n",
            // Interpolations nesting strings, at line starts of indented heredocs.
            "a = \"${\"x${var.y}\"}\"\n",
            "a = <<-EOT\n  ${var.x}\n    y\n  EOT\n",
            "a = <<-EOT\n    x ${var.y} z\n      w\n\n    EOT\n",
            "a = <<EOT\n$${x} %%{y}\nEOT\n",
            // Comments everywhere whitespace goes.
            "a = [ # c\n  1, // d\n  /* e */ 2\n]\n",
            "b /* x */ \"l\" /* y */ {\n}\n",
            "a = { /* c */ }\n",
            // Objects: separators, colons, keys of every kind.
            "a = { x = 1, y: 2,\n z = 3 }\n",
            "a = {\n  \"k\" = 1\n  (var.k) = 2\n  a.b = 3\n  \"${var.p}:sub\" = 4\n}\n",
            "a = {\n  \"$${x}\" = 1\n  \"$$${y}\" = 2\n  \"x\" = 3\n  \"\\u0078y\" = 4\n}\n",
            // References and splats.
            "a = x.*.y\nb = x[*].y[0]\nc = x.0\nd = x[\"k\"][0].z\n",
            "a = f(x)[0]\nb = (x).y\nc = [1, 2][0]\n",
            // Operators and their precedence, unary operators on references.
            "a = 1 + 2 * 3 - 4 / 5 % 6\nb = a < b || c >= d && !e\nc = -x.y\nd = - 1\n",
            "a = x == y ? 1 : z != w ? 2 : 3\n",
            "a = (\n  x\n  ? 1\n  : 2\n)\n",
            // for expressions in every form.
            "a = [for x in y : x if x != null]\nb = {for i, x in y : x.k => x.v... if x.on}\n",
            "a = [\n  for x in y :\n  x\n  if x\n]\n",
            // Numbers and escapes.
            "a = 0\nb = 1.25\nc = 2e10\nd = 3E-2\ne = 1.5e+3\n",
            "a = \"\\t\\\"\\\\\\r\\U0001F600\"\n",
            // Block forms.
            "a {}\nb \"x\" {}\nc x y {\n}\nd { e = 1 }\n",
            "a {\n  b {\n    c {\n      d = [{ e = f }]\n    }\n  }\n}\n",
            // Function calls with spaces, trailing commas and expansion.
            "a = f (1, 2,)\nb = g(\n  x,\n  y...\n)\nc = h()\n",
            // Identifiers with dashes; keywords as attribute names.
            "a-b = c-d\nnull = true\nfor = false\n",
            // A file without a final newline, and one of only comments.
            "a = 1\n# end",
            "# only\n// comments\n",
            "",
        ] {
            same(text);
        }
    }

    #[test]
    fn gives_up_where_hcl_edit_decides() {
        for text in [
            "a = \"%{if x}y%{endif}\"\n",
            "a = provider::aws::arn_parse(x)\n",
            "a = 1\na = 2\n",
            "a = \"${~x}\"\n",
            "é = 1\n",
            "a = {\n b = 1\n b = 2\n}\n",
            "a = {\n \"b\" = 1\n \"\\u0062\" = 2\n}\n",
            "a = {\n \"\\u0062\" = 1\n \"b\" = 2\n}\n",
            "a = {\n \"$${b}\" = 1\n \"$${b}\" = 2\n}\n",
            "a = <<EOF\nEOF\n",
            "a = 1 }\n",
            "a = x.01\n",
            "a = (\n",
        ] {
            assert!(parse_body(text).is_none(), "{text}");
        }
    }

    #[test]
    fn deep_nesting_goes_to_hcl_edit() {
        let text = format!("a = {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert!(parse_body(&text).is_none());
        let text = format!("a = 1{}\n", " + 1".repeat(500));
        assert!(parse_body(&text).is_none());
    }
}
