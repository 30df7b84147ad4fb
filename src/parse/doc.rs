//! The shared located tree: every value of a YAML/JSON document or an evaluated Terraform
//! expression is a `Node` carrying the byte span it came from.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Numbers keep their source spelling (`012`, `1e3`): rules compare text, never do arithmetic.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// A value the scanner cannot know statically (a Terraform variable without default, a
    /// resource attribute, a template with unknown parts). Never guessed, never dropped.
    Unknown(Box<Unknown>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Unknown {
    /// The source text of the expression, for messages (`var.role_arn`, `"${local.x}-ci"`).
    pub text: String,
    /// Terraform references the value depends on (`aws_iam_role.ci`, `var.x`, `data.x.y`),
    /// each with the attribute path that followed it (`aws_iam_role.ci.arn` keeps `arn`).
    pub refs: Vec<String>,
}

impl Node {
    pub fn new(span: Span, value: Value) -> Node {
        Node { span, value }
    }

    pub fn unknown(span: Span, text: impl Into<String>, refs: Vec<String>) -> Node {
        Node {
            span,
            value: Value::Unknown(Box::new(Unknown {
                text: text.into(),
                refs,
            })),
        }
    }

    /// Text of a scalar: strings, numbers and booleans (YAML and HCL authors mix them freely).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Number(s) => Some(s),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) => match s.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.value {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Value of a mapping key (exact match; the last entry wins, as most consumers do).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }

    /// Value of a mapping key compared ASCII-case-insensitively (IAM JSON keys such as
    /// `Statement` are case-sensitive for AWS but tools and humans write `statement`).
    pub fn get_ci(&self, key: &str) -> Option<&Node> {
        self.entry_ci(key).map(|e| &e.value)
    }

    pub fn entry_ci(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
    }

    /// Follow a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut cur = self;
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    /// A scalar or a list of scalars, as AWS and Kubernetes accept either: yields every item.
    pub fn one_or_many(&self) -> &[Node] {
        match &self.value {
            Value::Seq(v) => v,
            _ => std::slice::from_ref(self),
        }
    }

    /// Number of nodes in the subtree (used to enforce budgets on alias expansion).
    pub fn size(&self) -> usize {
        match &self.value {
            Value::Seq(v) => 1 + v.iter().map(Node::size).sum::<usize>(),
            Value::Map(v) => {
                1 + v
                    .iter()
                    .map(|e| e.key.size() + e.value.size())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }

    /// The span of the node including its children (collections' own spans may cover only the
    /// opening token).
    pub fn full_span(&self) -> Span {
        let mut s = self.span;
        match &self.value {
            Value::Seq(v) => {
                if let Some(last) = v.last() {
                    s = s.cover(last.full_span());
                }
            }
            Value::Map(v) => {
                if let Some(first) = v.first() {
                    s = s.cover(first.key.span);
                }
                if let Some(last) = v.last() {
                    s = s.cover(last.value.full_span());
                }
            }
            _ => {}
        }
        s
    }
}
