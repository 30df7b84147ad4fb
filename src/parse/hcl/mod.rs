//! HCL (Terraform `.tf`) into a small located tree: blocks, attributes and expressions, each
//! with the byte span the Terraform reader points findings at. Interpretation of the tree lives
//! in `inputs::terraform`.
//!
//! Two readers build the same tree. [`fast`] reads the HCL that Terraform code is made of
//! (blocks, attributes, literals, strings and heredocs with interpolations, collections,
//! references, function calls, operators, conditionals, `for` expressions) in one pass, and
//! gives up on anything else (template directives, namespaced functions, nesting past its
//! limit, input it is not sure of). hcl-edit then reads the file: it knows the whole language,
//! reports syntax errors with their position, and its tree is converted ([`convert`]). A test
//! holds the two readers to the same tree, spans included, on every Terraform file we have.

mod convert;
pub mod fast;

pub use hcl_edit::expr::{BinaryOperator, UnaryOperator};

use super::ParseError;

/// A byte range of the parsed text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sp {
    pub start: u32,
    pub end: u32,
}

impl Sp {
    pub fn new(start: usize, end: usize) -> Sp {
        Sp {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    pub items: Vec<Structure>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Structure {
    Attribute(Attribute),
    Block(Block),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub key: Ident,
    pub value: Expr,
    /// From the key to the end of the value.
    pub span: Sp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub ident: String,
    /// Label values (`resource "aws_iam_role" "ci"`: `aws_iam_role`, `ci`).
    pub labels: Vec<String>,
    pub body: Body,
    /// From the identifier to the closing brace.
    pub span: Sp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Sp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub span: Sp,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// As Terraform prints it (`1`, `1.5`, `1000` for `1e3`).
    Number(String),
    /// A quoted string without interpolation or directive, unescaped.
    String(String),
    Array(Vec<Expr>),
    Object(Vec<(ObjectKey, Expr)>),
    /// A quoted string with interpolations or directives.
    Template(Vec<Element>),
    /// `<<EOT` / `<<-EOT` (the latter with its indentation stripped from the literals).
    Heredoc(Vec<Element>),
    Parenthesis(Box<Expr>),
    Variable(String),
    Traversal(Box<Expr>, Vec<TraversalOp>),
    FuncCall(Box<FuncCall>),
    /// `cond ? a : b`: the three expressions in that order.
    Conditional(Box<[Expr; 3]>),
    UnaryOp(UnaryOperator, Box<Expr>),
    BinaryOp(BinaryOperator, Box<[Expr; 2]>),
    ForExpr(Box<ForExpr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectKey {
    /// A bare identifier key (`name = ...`).
    Ident(Ident),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TraversalOp {
    GetAttr(String),
    Index(Expr),
    LegacyIndex(u64),
    AttrSplat,
    FullSplat,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FuncCall {
    /// The function name, without a provider namespace.
    pub name: String,
    pub args: Vec<Expr>,
    /// The last argument is followed by `...`.
    pub expand_final: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    pub cond: Option<Expr>,
    /// `key => value...`
    pub grouping: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Element {
    Literal {
        value: String,
        span: Sp,
    },
    Interpolation {
        expr: Expr,
        span: Sp,
    },
    /// `%{if}` / `%{for}`: never evaluated, so only where it is.
    Directive {
        span: Sp,
    },
}

impl Body {
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|s| match s {
            Structure::Block(b) => Some(b),
            Structure::Attribute(_) => None,
        })
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.items.iter().filter_map(|s| match s {
            Structure::Attribute(a) => Some(a),
            Structure::Block(_) => None,
        })
    }

    pub fn get_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes().find(|a| a.key.name == name)
    }
}

/// Parse a Terraform file's text.
pub fn parse_body(text: &str) -> Result<Body, ParseError> {
    if let Some(body) = fast::parse_body(text) {
        return Ok(body);
    }
    parse_body_full(text)
}

/// Parse with hcl-edit only (the reader the fast one is checked against).
pub fn parse_body_full(text: &str) -> Result<Body, ParseError> {
    hcl_edit::parser::parse_body(text)
        .map(|b| convert::body(&b))
        .map_err(|e| {
            let loc = e.location();
            // hcl-edit's message is short; its `line()` holds the whole offending source line,
            // which may be huge or hold a secret, so it is never copied into the diagnostic.
            ParseError::at(e.message().to_string(), loc.line(), loc.column())
        })
}

/// Parse template text on its own (a `.tf.json` string holding `${...}`); spans are offsets
/// into `text`.
pub fn parse_template(text: &str) -> Option<Vec<Element>> {
    hcl_edit::parser::parse_template(text)
        .ok()
        .map(|t| convert::template(&t))
}
