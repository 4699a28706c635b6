//! Tests of the lab language's reader: constructs, precedence, errors, round trips through
//! [`unparse`], random mutations of the lab scripts, nesting limits and the labs themselves.

mod constructs;
mod errors;
mod errors_tokens;
mod flows;
mod labs;
mod limits;
mod mutations;
mod precedence;
mod roundtrip;

use super::*;

/// Parses `src`, failing the test with the rendered error.
pub(super) fn parse_ok(src: &str) -> Program {
    match parse(src) {
        Ok(program) => program,
        Err(e) => panic!("{}\n--- source ---\n{src}", e.render(src)),
    }
}

/// The error of `src`, failing the test if it parses.
pub(super) fn parse_err(src: &str) -> LangError {
    match parse(src) {
        Ok(program) => panic!("parsed, but should not have:\n{src}\n--- as ---\n{program}"),
        Err(e) => e,
    }
}

/// The only statement of `src`.
pub(super) fn stmt(src: &str) -> Stmt {
    let mut program = parse_ok(src);
    assert_eq!(program.body.len(), 1, "one statement expected in {src:?}");
    program.body.remove(0)
}

/// The expression of the expression statement `src`.
pub(super) fn expr(src: &str) -> Expr {
    match stmt(src).kind {
        StmtKind::Expr(e) => e,
        other => panic!("not an expression statement: {other:?}"),
    }
}

/// The canonical source of `src`.
pub(super) fn canon(src: &str) -> String {
    unparse(&parse_ok(src))
}

/// A fully parenthesised prefix form of an expression, to check the tree's shape independently
/// of the unparser: `a + b * c` is `(+ a (* b c))`.
pub(super) fn sx(e: &Expr) -> String {
    let list = |items: &[Expr]| items.iter().map(sx).collect::<Vec<_>>().join(" ");
    let opt = |e: &Option<Box<Expr>>| e.as_ref().map_or("_".to_string(), |e| sx(e));
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Float(v) => format!("{v:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::FString(parts) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    FStringPart::Literal(s) => format!("{s:?}"),
                    FStringPart::Field {
                        value,
                        conversion,
                        spec,
                    } => format!(
                        "{{{}{}{}}}",
                        sx(value),
                        conversion.map_or(String::new(), |c| format!("!{}", c.letter())),
                        if spec.is_empty() {
                            String::new()
                        } else {
                            format!(
                                ":{}",
                                spec.iter()
                                    .map(|s| match s {
                                        FStringPart::Literal(t) => t.clone(),
                                        FStringPart::Field { value, .. } => {
                                            format!("{{{}}}", sx(value))
                                        }
                                    })
                                    .collect::<String>()
                            )
                        }
                    ),
                })
                .collect();
            format!("(f {})", parts.join(" "))
        }
        ExprKind::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        ExprKind::None => "None".to_string(),
        ExprKind::Ellipsis => "...".to_string(),
        ExprKind::List(items) => format!("(list {})", list(items)),
        ExprKind::Tuple(items) => format!("(tuple {})", list(items)),
        ExprKind::Dict(pairs) => format!(
            "(dict {})",
            pairs
                .iter()
                .map(|(k, v)| format!("{}:{}", sx(k), sx(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ExprKind::Attribute { value, attr } => format!("(. {} {})", sx(value), attr.name),
        ExprKind::Subscript { value, index } => format!("([] {} {})", sx(value), sx(index)),
        ExprKind::Slice { lower, upper, step } => {
            format!("(: {} {} {})", opt(lower), opt(upper), opt(step))
        }
        ExprKind::Call { func, args } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match a {
                    Arg::Positional(v) => sx(v),
                    Arg::Keyword { name, value } => format!("{}={}", name.name, sx(value)),
                    Arg::Star(v) => format!("*{}", sx(v)),
                    Arg::StarStar(v) => format!("**{}", sx(v)),
                })
                .collect();
            format!("(call {} {})", sx(func), args.join(" "))
                .trim_end()
                .replace(" )", ")")
        }
        ExprKind::Unary { op, operand } => format!("({} {})", op.symbol(), sx(operand)),
        ExprKind::Binary { op, left, right } => {
            format!("({} {} {})", op.symbol(), sx(left), sx(right))
        }
        ExprKind::BoolOp { op, values } => format!("({} {})", op.symbol(), list(values)),
        ExprKind::Compare { left, rest } => {
            let rest: Vec<String> = rest
                .iter()
                .map(|(op, e)| format!("{} {}", op.symbol(), sx(e)))
                .collect();
            format!("(cmp {} {})", sx(left), rest.join(" "))
        }
        ExprKind::IfElse { test, body, orelse } => {
            format!("(if {} {} {})", sx(test), sx(body), sx(orelse))
        }
        ExprKind::ListComp { element, clauses } | ExprKind::Generator { element, clauses } => {
            let kind = if matches!(e.kind, ExprKind::ListComp { .. }) {
                "listcomp"
            } else {
                "gen"
            };
            let clauses: Vec<String> = clauses
                .iter()
                .map(|c| {
                    let ifs: String = c
                        .conditions
                        .iter()
                        .map(|i| format!(" if {}", sx(i)))
                        .collect();
                    format!("for {} in {}{ifs}", sx(&c.target), sx(&c.iter))
                })
                .collect();
            format!("({kind} {} {})", sx(element), clauses.join(" "))
        }
    }
}

/// The prefix form of the expression statement `src`.
pub(super) fn sx_of(src: &str) -> String {
    sx(&expr(src))
}

/// Sets every span in `program` to the default, so trees can be compared by shape.
pub(super) fn clear_spans(program: &mut Program) {
    for s in &mut program.body {
        clear_stmt(s);
    }
}

fn clear_block(body: &mut [Stmt]) {
    for s in body {
        clear_stmt(s);
    }
}

fn clear_ident(i: &mut Ident) {
    i.span = Span::default();
}

fn clear_stmt(s: &mut Stmt) {
    s.span = Span::default();
    match &mut s.kind {
        StmtKind::Expr(e) => clear_expr(e),
        StmtKind::Assign { targets, value } => {
            targets.iter_mut().for_each(clear_expr);
            clear_expr(value);
        }
        StmtKind::AugAssign { target, value, .. } => {
            clear_expr(target);
            clear_expr(value);
        }
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => {
            clear_expr(target);
            clear_expr(annotation);
            value.iter_mut().for_each(clear_expr);
        }
        StmtKind::If { branches, orelse } => {
            for b in branches {
                b.span = Span::default();
                clear_expr(&mut b.test);
                clear_block(&mut b.body);
            }
            clear_block(orelse);
        }
        StmtKind::For { target, iter, body } => {
            clear_expr(target);
            clear_expr(iter);
            clear_block(body);
        }
        StmtKind::While { test, body } => {
            clear_expr(test);
            clear_block(body);
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        StmtKind::Return(value) => value.iter_mut().for_each(clear_expr),
        StmtKind::FunctionDef(def) => {
            let def = std::sync::Arc::make_mut(def);
            def.span = Span::default();
            clear_ident(&mut def.name);
            for p in &mut def.params {
                clear_ident(&mut p.name);
                p.default.iter_mut().for_each(clear_expr);
                p.annotation.iter_mut().for_each(clear_expr);
            }
            def.returns.iter_mut().for_each(clear_expr);
            clear_block(&mut def.body);
        }
        StmtKind::ClassDef(class) => {
            let class = std::sync::Arc::make_mut(class);
            class.span = Span::default();
            clear_ident(&mut class.name);
            class.bases.iter_mut().for_each(clear_expr);
            clear_block(&mut class.body);
        }
        StmtKind::Import(aliases) => {
            for a in aliases {
                a.module.span = Span::default();
                a.module.parts.iter_mut().for_each(clear_ident);
                a.alias.iter_mut().for_each(clear_ident);
            }
        }
        StmtKind::ImportFrom { module, names } => {
            module.span = Span::default();
            module.parts.iter_mut().for_each(clear_ident);
            for n in names {
                clear_ident(&mut n.name);
                n.alias.iter_mut().for_each(clear_ident);
            }
        }
        StmtKind::With { items, body } => {
            for item in items {
                clear_expr(&mut item.context);
                item.target.iter_mut().for_each(clear_expr);
            }
            clear_block(body);
        }
        StmtKind::Assert { test, msg } => {
            clear_expr(test);
            msg.iter_mut().for_each(clear_expr);
        }
        StmtKind::Del(targets) => targets.iter_mut().for_each(clear_expr),
    }
}

fn clear_parts(parts: &mut [FStringPart]) {
    for part in parts {
        if let FStringPart::Field { value, spec, .. } = part {
            clear_expr(value);
            clear_parts(spec);
        }
    }
}

fn clear_expr(e: &mut Expr) {
    e.span = Span::default();
    match &mut e.kind {
        ExprKind::Name(_)
        | ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Ellipsis => {}
        ExprKind::FString(parts) => clear_parts(parts),
        ExprKind::List(items) | ExprKind::Tuple(items) => items.iter_mut().for_each(clear_expr),
        ExprKind::Dict(pairs) => {
            for (k, v) in pairs {
                clear_expr(k);
                clear_expr(v);
            }
        }
        ExprKind::Attribute { value, attr } => {
            clear_expr(value);
            clear_ident(attr);
        }
        ExprKind::Subscript { value, index } => {
            clear_expr(value);
            clear_expr(index);
        }
        ExprKind::Slice { lower, upper, step } => {
            for part in [lower, upper, step].into_iter().flatten() {
                clear_expr(part);
            }
        }
        ExprKind::Call { func, args } => {
            clear_expr(func);
            for a in args {
                match a {
                    Arg::Positional(v) | Arg::Star(v) | Arg::StarStar(v) => clear_expr(v),
                    Arg::Keyword { name, value } => {
                        clear_ident(name);
                        clear_expr(value);
                    }
                }
            }
        }
        ExprKind::Unary { operand, .. } => clear_expr(operand),
        ExprKind::Binary { left, right, .. } => {
            clear_expr(left);
            clear_expr(right);
        }
        ExprKind::BoolOp { values, .. } => values.iter_mut().for_each(clear_expr),
        ExprKind::Compare { left, rest } => {
            clear_expr(left);
            rest.iter_mut().for_each(|(_, e)| clear_expr(e));
        }
        ExprKind::IfElse { test, body, orelse } => {
            clear_expr(test);
            clear_expr(body);
            clear_expr(orelse);
        }
        ExprKind::ListComp { element, clauses } | ExprKind::Generator { element, clauses } => {
            clear_expr(element);
            for c in clauses {
                clear_expr(&mut c.target);
                clear_expr(&mut c.iter);
                c.conditions.iter_mut().for_each(clear_expr);
            }
        }
    }
}

/// Checks `parse(unparse(parse(src))) == parse(src)` (spans aside) and that printing is
/// idempotent; returns the canonical text.
pub(super) fn assert_round_trip(src: &str) -> String {
    let mut first = parse_ok(src);
    let text = unparse(&first);
    let mut second = match parse(&text) {
        Ok(p) => p,
        Err(e) => panic!(
            "the unparsed text does not parse: {}\n--- original ---\n{src}\n--- unparsed ---\n{text}",
            e.render(&text)
        ),
    };
    assert_eq!(unparse(&second), text, "printing is not idempotent");
    clear_spans(&mut first);
    clear_spans(&mut second);
    assert_eq!(
        first, second,
        "round trip changed the tree\n--- original ---\n{src}\n--- unparsed ---\n{text}"
    );
    text
}
