//! Evaluating template expressions against a chart's default values: field and variable
//! lookups, the Sprig functions that matter for identity settings (`default`, `quote`,
//! `toYaml`, `and`/`or`/`not`/`eq`, `hasKey`, ...), and conditions put into words for the
//! "holds only when" notes. Anything else is unknown, never guessed.

use super::MAX_INDENT;
use super::Renderer;
use super::emit::base64;
use super::expr::{Arg, Command, Operand, Pipeline};
use crate::parse::doc::{Entry, Node, Value};

/// A value during evaluation. Collections borrow from the chart's values, never copied.
#[derive(Clone, Debug)]
pub(super) enum V<'a> {
    /// The top-level context (`$`).
    Root,
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    List(&'a [Node]),
    Map(&'a [Entry]),
    /// Not known statically; the text to show for it when better than the action's own.
    Unknown(Option<String>),
}

impl<'a> V<'a> {
    pub(super) fn of(n: &'a Node) -> V<'a> {
        match &n.value {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(s) => V::Num(s.clone()),
            Value::Str(s) => V::Str(s.clone()),
            Value::Seq(items) => V::List(items),
            Value::Map(entries) => V::Map(entries),
            Value::Unknown(_) => V::Unknown(None),
        }
    }

    pub(super) fn truthy(&self) -> Option<bool> {
        match self {
            V::Root => Some(true),
            V::Null => Some(false),
            V::Bool(b) => Some(*b),
            V::Num(n) => Some(n.parse::<f64>().map(|x| x != 0.0).unwrap_or(true)),
            V::Str(s) => Some(!s.is_empty()),
            V::List(l) => Some(!l.is_empty()),
            V::Map(m) => Some(!m.is_empty()),
            V::Unknown(_) => None,
        }
    }

    /// The text a scalar prints as.
    pub(super) fn text(&self) -> Option<String> {
        match self {
            V::Null => Some(String::new()),
            V::Bool(b) => Some(b.to_string()),
            V::Num(s) | V::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            V::Num(s) | V::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn kind(&self) -> Option<&'static str> {
        match self {
            V::Null => Some("invalid"),
            V::Bool(_) => Some("bool"),
            V::Num(_) => Some("float64"),
            V::Str(_) => Some("string"),
            V::List(_) => Some("slice"),
            V::Map(_) | V::Root => Some("map"),
            V::Unknown(_) => None,
        }
    }
}

fn find<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .rev()
        .find(|e| e.key.as_str() == Some(key))
        .map(|e| &e.value)
}

fn lookup_node<'a>(n: &'a Node, path: &[String]) -> V<'a> {
    let mut cur = n;
    for k in path {
        match &cur.value {
            Value::Map(es) => match find(es, k) {
                Some(x) => cur = x,
                None => return V::Null,
            },
            Value::Unknown(_) => return V::Unknown(None),
            _ => return V::Null,
        }
    }
    V::of(cur)
}

/// Flags an expression's functions set: how its value may be written.
#[derive(Default)]
pub(super) struct Flags {
    /// Passed through `toYaml` (or `toJson`): maps and lists are meant as YAML.
    pub(super) yaml: bool,
    /// `nindent N` / `indent N`.
    pub(super) indent: Option<usize>,
}

impl<'a> Renderer<'a> {
    /// What must hold for a condition to be `want`: `None` when it is so with the defaults.
    pub(super) fn phrase(&self, p: Option<&Pipeline>, raw: &str, want: bool) -> Option<String> {
        let Some(p) = p else {
            return Some(generic(raw.trim(), want));
        };
        let mut fl = Flags::default();
        if self.eval(p, &mut fl).truthy() == Some(want) {
            return None;
        }
        Some(self.describe(p, want))
    }

    fn describe(&self, p: &Pipeline, want: bool) -> String {
        if let [c] = p.cmds.as_slice() {
            if let [a] = c.args.as_slice() {
                return self.describe_arg(a, want);
            }
            if let Some(Operand::Ident(f)) = c.args.first().map(|a| &a.op) {
                let args = &c.args[1..];
                let truth = |a: &Arg| self.arg(a, &mut Flags::default()).truthy();
                match (f.as_str(), want) {
                    ("not" | "empty", _) if args.len() == 1 => {
                        return self.describe_arg(&args[0], !want);
                    }
                    ("hasKey", _) if args.len() == 2 => {
                        if let (Some(name), Operand::Str(k)) = (values_name(&args[0]), &args[1].op)
                        {
                            let what = if want { "is set" } else { "is not set" };
                            return format!("{name}.{k} {what}");
                        }
                    }
                    ("kindIs", _) if args.len() == 2 => {
                        if let (Some(name), Operand::Str(k)) = (values_name(&args[1]), &args[0].op)
                        {
                            let what = if want { "is a" } else { "is not a" };
                            return format!("{name} {what} {k}");
                        }
                    }
                    ("and", true) | ("or", false) => {
                        let parts: Vec<String> = args
                            .iter()
                            .filter(|a| truth(a) != Some(want))
                            .map(|a| self.describe_arg(a, want))
                            .collect();
                        if !parts.is_empty() {
                            return parts.join(" and ");
                        }
                    }
                    ("or", true) => {
                        return args
                            .iter()
                            .map(|a| self.describe_arg(a, true))
                            .collect::<Vec<_>>()
                            .join(" or ");
                    }
                    ("eq" | "ne", _) if args.len() == 2 => {
                        if let Some(name) = values_name(&args[0]) {
                            let is = (f == "eq") == want;
                            return format!(
                                "{name} {} {}",
                                if is { "is" } else { "is not" },
                                args[1].text
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        generic(&p.text, want)
    }

    fn describe_arg(&self, a: &Arg, want: bool) -> String {
        if let Operand::Sub(p, fields) = &a.op
            && fields.is_empty()
        {
            return self.describe(p, want);
        }
        match values_name(a) {
            Some(name) => {
                let boolean = matches!(self.arg(a, &mut Flags::default()), V::Bool(_));
                let what = match (boolean, want) {
                    (true, true) => "is true",
                    (true, false) => "is false",
                    (false, true) => "is set",
                    (false, false) => "is not set",
                };
                format!("{name} {what}")
            }
            None if matches!(a.op, Operand::Field(_) | Operand::Var(..)) => {
                format!(
                    "`{}` {}",
                    a.text,
                    if want { "is set" } else { "is not set" }
                )
            }
            None => generic(&a.text, want),
        }
    }

    // --------------------------------------------------------------------------------------
    // Evaluation

    pub(super) fn eval(&self, p: &Pipeline, fl: &mut Flags) -> V<'a> {
        let mut piped: Option<V<'a>> = None;
        for c in &p.cmds {
            piped = Some(self.command(c, piped, fl));
        }
        piped.unwrap_or(V::Unknown(None))
    }

    fn command(&self, c: &Command, piped: Option<V<'a>>, fl: &mut Flags) -> V<'a> {
        let Some(first) = c.args.first() else {
            return V::Unknown(None);
        };
        if let Operand::Ident(f) = &first.op
            && !matches!(f.as_str(), "true" | "false" | "nil")
        {
            return self.call(f, &c.args[1..], piped, fl);
        }
        if c.args.len() == 1 && piped.is_none() {
            return self.arg(first, fl);
        }
        V::Unknown(None)
    }

    fn arg(&self, a: &Arg, fl: &mut Flags) -> V<'a> {
        match &a.op {
            Operand::Str(s) => V::Str(s.clone()),
            Operand::Num(n) => V::Num(n.clone()),
            Operand::Ident(i) => match i.as_str() {
                "true" => V::Bool(true),
                "false" => V::Bool(false),
                "nil" => V::Null,
                f => self.call(f, &[], None, fl),
            },
            Operand::Field(path) => self.lookup(&self.dot, path),
            Operand::Var(name, path) if name.is_empty() => self.lookup(&V::Root, path),
            Operand::Var(name, path) => match self.vars.iter().rev().find(|(n, _)| n == name) {
                Some((_, v)) => self.lookup(v, path),
                None => V::Unknown(Some(format!("{{{{ ${name} }}}}"))),
            },
            Operand::Sub(p, fields) => {
                let v = self.eval(p, fl);
                self.lookup(&v, fields)
            }
        }
    }

    fn lookup(&self, base: &V<'a>, path: &[String]) -> V<'a> {
        let Some(head) = path.first() else {
            return base.clone();
        };
        match base {
            V::Root => self.root_field(path),
            V::Map(entries) => match find(entries, head) {
                Some(n) => lookup_node(n, &path[1..]),
                None => V::Null,
            },
            V::Unknown(_) => V::Unknown(None),
            _ => V::Null,
        }
    }

    fn root_field(&self, path: &[String]) -> V<'a> {
        let shown = || V::Unknown(Some(format!("{{{{ .{} }}}}", path.join("."))));
        let chart = |v: &Option<String>| v.clone().map(V::Str).unwrap_or_else(shown);
        match (
            path.first().map(String::as_str),
            path.get(1).map(String::as_str),
        ) {
            (Some("Values"), _) => match &self.chart.values {
                Some(v) => lookup_node(v, &path[1..]),
                None => shown(),
            },
            (Some("Release"), Some("Service")) if path.len() == 2 => V::Str("Helm".into()),
            (Some("Chart"), Some("Name")) if path.len() == 2 => chart(&self.chart.name),
            (Some("Chart"), Some("Version")) if path.len() == 2 => chart(&self.chart.version),
            (Some("Chart"), Some("AppVersion")) if path.len() == 2 => {
                chart(&self.chart.app_version)
            }
            _ => shown(),
        }
    }

    fn call(&self, f: &str, raw: &[Arg], piped: Option<V<'a>>, fl: &mut Flags) -> V<'a> {
        if matches!(f, "include" | "template") {
            return match raw.first().map(|a| &a.op) {
                Some(Operand::Str(name)) => {
                    V::Unknown(Some(format!("{{{{ include \"{name}\" }}}}")))
                }
                _ => V::Unknown(None),
            };
        }
        let mut args: Vec<V<'a>> = raw.iter().map(|a| self.arg(a, fl)).collect();
        args.extend(piped);
        let last = || args.last().cloned().unwrap_or(V::Null);
        let text_fn = |g: &dyn Fn(&str) -> String| match args.last().and_then(V::text) {
            Some(t) => V::Str(g(&t)),
            None => V::Unknown(None),
        };
        match f {
            "toYaml" | "toJson" | "toPrettyJson" | "toRawJson" | "mustToJson"
            | "mustToPrettyJson" | "mustToRawJson" => {
                fl.yaml = true;
                last()
            }
            "nindent" | "indent" => {
                if let Some(n) = args.first().and_then(V::number) {
                    fl.indent = Some(n.clamp(0.0, MAX_INDENT as f64) as usize);
                }
                last()
            }
            "quote" | "squote" | "toString" => text_fn(&|t| t.to_owned()),
            "trim" => text_fn(&|t| t.trim().to_owned()),
            "lower" => text_fn(&str::to_lowercase),
            "upper" => text_fn(&str::to_uppercase),
            "b64enc" => text_fn(&|t| base64(t.as_bytes())),
            "trimSuffix" | "trimPrefix" if args.len() == 2 => {
                match (args[0].text(), args[1].text()) {
                    (Some(a), Some(t)) => V::Str(if f == "trimSuffix" {
                        t.strip_suffix(a.as_str()).unwrap_or(&t).to_owned()
                    } else {
                        t.strip_prefix(a.as_str()).unwrap_or(&t).to_owned()
                    }),
                    _ => V::Unknown(None),
                }
            }
            "trunc" if args.len() == 2 => match (args[0].number(), args[1].text()) {
                (Some(n), Some(t)) if n >= 0.0 => V::Str(t.chars().take(n as usize).collect()),
                _ => V::Unknown(None),
            },
            "int" | "int64" | "float64" | "atoi" => match last().number() {
                Some(n) if f == "float64" => V::Num(n.to_string()),
                Some(n) => V::Num((n.trunc() as i64).to_string()),
                None => V::Unknown(None),
            },
            "required" => last(),
            "default" => match args.as_slice() {
                [d] => d.clone(),
                [d, x] => match x.truthy() {
                    Some(true) => x.clone(),
                    Some(false) => d.clone(),
                    None => x.clone(),
                },
                _ => V::Unknown(None),
            },
            "coalesce" => {
                for a in &args {
                    match a.truthy() {
                        Some(true) => return a.clone(),
                        None => return V::Unknown(None),
                        Some(false) => {}
                    }
                }
                V::Null
            }
            "ternary" if args.len() == 3 => match args[2].truthy() {
                Some(true) => args[0].clone(),
                Some(false) => args[1].clone(),
                None => V::Unknown(None),
            },
            "tpl" => match args.first() {
                Some(V::Str(s)) if s.contains("{{") => V::Unknown(None),
                Some(v) => v.clone(),
                None => V::Unknown(None),
            },
            "not" => match last().truthy() {
                Some(b) => V::Bool(!b),
                None => V::Unknown(None),
            },
            "empty" => match last().truthy() {
                Some(b) => V::Bool(!b),
                None => V::Unknown(None),
            },
            "and" | "or" => {
                let decisive = f == "or";
                if let Some(v) = args.iter().find(|a| a.truthy() == Some(decisive)) {
                    return v.clone();
                }
                if args.iter().any(|a| a.truthy().is_none()) {
                    return V::Unknown(None);
                }
                last()
            }
            "eq" | "ne" if args.len() >= 2 => {
                let mut unknown = false;
                let mut equal = false;
                for other in &args[1..] {
                    match same(&args[0], other) {
                        Some(true) => equal = true,
                        Some(false) => {}
                        None => unknown = true,
                    }
                    if f == "ne" {
                        break;
                    }
                }
                if equal {
                    V::Bool(f == "eq")
                } else if unknown {
                    V::Unknown(None)
                } else {
                    V::Bool(f == "ne")
                }
            }
            "lt" | "le" | "gt" | "ge" if args.len() == 2 => {
                match (args[0].number(), args[1].number()) {
                    (Some(a), Some(b)) => V::Bool(match f {
                        "lt" => a < b,
                        "le" => a <= b,
                        "gt" => a > b,
                        _ => a >= b,
                    }),
                    _ => V::Unknown(None),
                }
            }
            "hasKey" if args.len() == 2 => match (&args[0], args[1].text()) {
                (V::Map(es), Some(k)) => V::Bool(find(es, &k).is_some()),
                (V::Unknown(_), _) | (_, None) => V::Unknown(None),
                _ => V::Bool(false),
            },
            "kindIs" if args.len() == 2 => match (args[0].text(), args[1].kind()) {
                (Some(want), Some(k)) => V::Bool(want == k),
                _ => V::Unknown(None),
            },
            "len" => match last() {
                V::List(l) => V::Num(l.len().to_string()),
                V::Map(m) => V::Num(m.len().to_string()),
                V::Str(s) => V::Num(s.len().to_string()),
                _ => V::Unknown(None),
            },
            "print" => {
                let parts: Option<Vec<String>> = args.iter().map(V::text).collect();
                parts
                    .map(|p| V::Str(p.concat()))
                    .unwrap_or(V::Unknown(None))
            }
            "printf" => printf(&args),
            _ => V::Unknown(None),
        }
    }
}

/// Go's `eq` on scalars; `None` when either side is unknown.
fn same(a: &V<'_>, b: &V<'_>) -> Option<bool> {
    match (a, b) {
        (V::Unknown(_), _) | (_, V::Unknown(_)) => None,
        (V::Null, V::Null) => Some(true),
        (V::Null, _) | (_, V::Null) => Some(false),
        _ => match (a.number(), b.number()) {
            (Some(x), Some(y)) if !matches!((a, b), (V::Str(_), V::Str(_))) => Some(x == y),
            _ => Some(a.text().is_some() && a.text() == b.text()),
        },
    }
}

fn printf<'a>(args: &[V<'a>]) -> V<'a> {
    let Some(fmt) = args.first().and_then(V::text) else {
        return V::Unknown(None);
    };
    let mut out = String::new();
    let mut rest = args[1..].iter();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'v' | 'd') => match rest.next().and_then(V::text) {
                Some(t) => out.push_str(&t),
                None => return V::Unknown(None),
            },
            _ => return V::Unknown(None),
        }
    }
    V::Str(out)
}

/// `rbac.create` for `.Values.rbac.create` or `$.Values.rbac.create`.
fn values_name(a: &Arg) -> Option<String> {
    let path = match &a.op {
        Operand::Field(p) => p,
        Operand::Var(n, p) if n.is_empty() => p,
        _ => return None,
    };
    match path.split_first() {
        Some((head, rest)) if head == "Values" && !rest.is_empty() => Some(rest.join(".")),
        _ => None,
    }
}

fn generic(text: &str, want: bool) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if want {
        format!("`{t}`")
    } else {
        format!("not `{t}`")
    }
}
