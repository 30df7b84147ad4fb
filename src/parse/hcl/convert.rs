//! hcl-edit's tree into ours. hcl-edit bounds nesting (64 levels, 128 chained operators), so
//! the recursion here is bounded too.

use hcl_edit::Span as _;
use hcl_edit::expr::{self as he, Expression};
use hcl_edit::structure as hs;
use hcl_edit::template as ht;

use super::{
    Attribute, Block, Body, Element, Expr, ExprKind, ForExpr, FuncCall, Ident, ObjectKey, Sp,
    Structure, TraversalOp,
};

fn sp(r: Option<std::ops::Range<usize>>) -> Sp {
    r.map_or(Sp::default(), |r| Sp::new(r.start, r.end))
}

pub fn body(b: &hs::Body) -> Body {
    Body {
        items: b
            .iter()
            .map(|s| match s {
                hs::Structure::Attribute(a) => Structure::Attribute(Attribute {
                    key: Ident {
                        name: a.key.as_str().to_owned(),
                        span: sp(a.key.span()),
                    },
                    value: expr(&a.value),
                    span: sp(a.span()),
                }),
                hs::Structure::Block(k) => Structure::Block(Block {
                    ident: k.ident.as_str().to_owned(),
                    labels: k.labels.iter().map(|l| l.as_str().to_owned()).collect(),
                    body: body(&k.body),
                    span: sp(k.span()),
                }),
            })
            .collect(),
    }
}

pub fn template(t: &ht::Template) -> Vec<Element> {
    t.iter().map(element).collect()
}

fn element(el: &ht::Element) -> Element {
    match el {
        ht::Element::Literal(l) => Element::Literal {
            value: l.value().clone(),
            span: sp(l.span()),
        },
        ht::Element::Interpolation(i) => Element::Interpolation {
            expr: expr(&i.expr),
            span: sp(i.span()),
        },
        ht::Element::Directive(d) => Element::Directive { span: sp(d.span()) },
    }
}

pub fn expr(e: &Expression) -> Expr {
    let kind = match e {
        Expression::Null(_) => ExprKind::Null,
        Expression::Bool(b) => ExprKind::Bool(*b.value()),
        Expression::Number(n) => ExprKind::Number(n.value().to_string()),
        Expression::String(s) => ExprKind::String(s.value().clone()),
        Expression::Array(a) => ExprKind::Array(a.iter().map(expr).collect()),
        Expression::Object(o) => ExprKind::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        he::ObjectKey::Ident(id) => ObjectKey::Ident(Ident {
                            name: id.as_str().to_owned(),
                            span: sp(id.span()),
                        }),
                        he::ObjectKey::Expression(x) => ObjectKey::Expr(expr(x)),
                    };
                    (key, expr(v.expr()))
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => ExprKind::Template(t.iter().map(element).collect()),
        Expression::HeredocTemplate(h) => ExprKind::Heredoc(template(&h.template)),
        Expression::Parenthesis(p) => ExprKind::Parenthesis(Box::new(expr(p.inner()))),
        Expression::Variable(v) => ExprKind::Variable(v.as_str().to_owned()),
        Expression::Traversal(t) => ExprKind::Traversal(
            Box::new(expr(&t.expr)),
            t.operators
                .iter()
                .map(|op| match op.value() {
                    he::TraversalOperator::AttrSplat(_) => TraversalOp::AttrSplat,
                    he::TraversalOperator::FullSplat(_) => TraversalOp::FullSplat,
                    he::TraversalOperator::GetAttr(id) => TraversalOp::GetAttr(id.to_string()),
                    he::TraversalOperator::Index(x) => TraversalOp::Index(expr(x)),
                    he::TraversalOperator::LegacyIndex(i) => TraversalOp::LegacyIndex(*i.value()),
                })
                .collect(),
        ),
        Expression::FuncCall(f) => ExprKind::FuncCall(Box::new(FuncCall {
            name: f.name.name.as_str().to_owned(),
            args: f.args.iter().map(expr).collect(),
            expand_final: f.args.expand_final(),
        })),
        Expression::Conditional(c) => ExprKind::Conditional(Box::new([
            expr(&c.cond_expr),
            expr(&c.true_expr),
            expr(&c.false_expr),
        ])),
        Expression::UnaryOp(u) => ExprKind::UnaryOp(*u.operator.value(), Box::new(expr(&u.expr))),
        Expression::BinaryOp(b) => ExprKind::BinaryOp(
            *b.operator.value(),
            Box::new([expr(&b.lhs_expr), expr(&b.rhs_expr)]),
        ),
        Expression::ForExpr(f) => ExprKind::ForExpr(Box::new(ForExpr {
            key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_owned()),
            value_var: f.intro.value_var.as_str().to_owned(),
            collection: expr(&f.intro.collection_expr),
            key_expr: f.key_expr.as_ref().map(expr),
            value_expr: expr(&f.value_expr),
            cond: f.cond.as_ref().map(|c| expr(&c.expr)),
            grouping: f.grouping,
        })),
    };
    Expr {
        span: sp(e.span()),
        kind,
    }
}
