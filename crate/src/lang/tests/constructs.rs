//! Each construct of the language parses to the expected tree.

use super::*;

fn target_and_value(src: &str) -> (Vec<String>, String) {
    match stmt(src).kind {
        StmtKind::Assign { targets, value } => (targets.iter().map(sx).collect(), sx(&value)),
        other => panic!("not an assignment: {other:?}"),
    }
}

#[test]
fn assignment_to_a_name() {
    assert_eq!(
        target_and_value("x = 1"),
        (vec!["x".to_string()], "1".to_string())
    );
}

#[test]
fn assignment_to_an_element_a_slice_and_an_attribute() {
    assert_eq!(target_and_value("a[i] = v").0, vec!["([] a i)"]);
    assert_eq!(target_and_value("a[i:j] = v").0, vec!["([] a (: i j _))"]);
    assert_eq!(target_and_value("xt[i + 1] = x").0, vec!["([] xt (+ i 1))"]);
    assert_eq!(target_and_value("self.net = n").0, vec!["(. self net)"]);
}

#[test]
fn assignment_to_tuples_with_and_without_parentheses() {
    assert_eq!(
        target_and_value("a, b = b, a"),
        (vec!["(tuple a b)".to_string()], "(tuple b a)".to_string())
    );
    assert_eq!(target_and_value("(a, b) = p").0, vec!["(tuple a b)"]);
    assert_eq!(target_and_value("[a, b] = p").0, vec!["(list a b)"]);
    assert_eq!(target_and_value("a, = p").0, vec!["(tuple a)"]);
    assert_eq!(
        target_and_value("fig, (ax0, ax1) = plt.subplots(1, 2)").0,
        vec!["(tuple fig (tuple ax0 ax1))"]
    );
}

#[test]
fn chained_assignment_keeps_targets_in_order() {
    assert_eq!(
        target_and_value("a = b = c = 0"),
        (
            vec!["a".to_string(), "b".to_string(), "c".to_string()],
            "0".to_string()
        )
    );
}

#[test]
fn augmented_assignment_covers_every_operator() {
    let ops = [
        ("+=", BinOp::Add),
        ("-=", BinOp::Sub),
        ("*=", BinOp::Mul),
        ("/=", BinOp::Div),
        ("//=", BinOp::FloorDiv),
        ("%=", BinOp::Mod),
        ("**=", BinOp::Pow),
        ("@=", BinOp::MatMul),
        ("|=", BinOp::BitOr),
        ("&=", BinOp::BitAnd),
        ("^=", BinOp::BitXor),
        ("<<=", BinOp::LShift),
        (">>=", BinOp::RShift),
    ];
    for (text, expected) in ops {
        match stmt(&format!("x.y[0] {text} 2")).kind {
            StmtKind::AugAssign { target, op, value } => {
                assert_eq!(op, expected, "{text}");
                assert_eq!(sx(&target), "([] (. x y) 0)");
                assert_eq!(sx(&value), "2");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn annotated_assignment_keeps_the_annotation() {
    match stmt("n: int = 3").kind {
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => {
            assert_eq!(sx(&target), "n");
            assert_eq!(sx(&annotation), "int");
            assert_eq!(value.map(|v| sx(&v)), Some("3".to_string()));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        stmt("n: int").kind,
        StmtKind::AnnAssign { value: None, .. }
    ));
}

#[test]
fn if_elif_else_is_one_flat_statement() {
    let s =
        stmt("if a:\n    x = 1\nelif b:\n    x = 2\nelif c: x = 3\nelse:\n    x = 4\n    y = 5\n");
    match s.kind {
        StmtKind::If { branches, orelse } => {
            let tests: Vec<String> = branches.iter().map(|b| sx(&b.test)).collect();
            assert_eq!(tests, vec!["a", "b", "c"]);
            assert!(branches.iter().all(|b| b.body.len() == 1));
            assert_eq!(orelse.len(), 2);
            assert_eq!(branches[1].span.line, 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.span, Span::new(1, 1, 8, 14 - 4));
}

#[test]
fn for_loops_take_names_and_tuples() {
    match stmt("for k, (i, x) in enumerate(zip(a, b)):\n    pass\n").kind {
        StmtKind::For { target, iter, body } => {
            assert_eq!(sx(&target), "(tuple k (tuple i x))");
            assert_eq!(sx(&iter), "(call enumerate (call zip a b))");
            assert_eq!(body.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    match stmt("for x in 1, 2:\n    pass\n").kind {
        StmtKind::For { iter, .. } => assert_eq!(sx(&iter), "(tuple 1 2)"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn while_break_continue_and_pass() {
    let p = parse_ok(
        "while i < 10:\n    i += 1\n    if i == 3:\n        continue\n    if i > 5:\n        break\n    pass\n",
    );
    match &p.body[0].kind {
        StmtKind::While { test, body } => {
            assert_eq!(sx(test), "(cmp i < 10)");
            assert_eq!(body.len(), 4);
            assert!(matches!(body[3].kind, StmtKind::Pass));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn break_inside_a_nested_block_of_a_loop_is_allowed() {
    parse_ok("for i in x:\n    with a:\n        if b:\n            break\n");
}

#[test]
fn def_with_defaults_star_args_keyword_only_and_kwargs() {
    let s = stmt("def f(a, b=1, *args, c, d=2, **kw) -> int:\n    return a\n");
    let StmtKind::FunctionDef(def) = s.kind else {
        panic!("not a def");
    };
    assert_eq!(def.name.name, "f");
    let params: Vec<(String, ParamKind, Option<String>)> = def
        .params
        .iter()
        .map(|p| (p.name.name.clone(), p.kind, p.default.as_ref().map(sx)))
        .collect();
    assert_eq!(
        params,
        vec![
            ("a".into(), ParamKind::Positional, None),
            ("b".into(), ParamKind::Positional, Some("1".into())),
            ("args".into(), ParamKind::VarPositional, None),
            ("c".into(), ParamKind::KeywordOnly, None),
            ("d".into(), ParamKind::KeywordOnly, Some("2".into())),
            ("kw".into(), ParamKind::VarKeyword, None),
        ]
    );
    assert_eq!(def.returns.as_ref().map(sx), Some("int".into()));
    assert_eq!(def.span, Span::new(1, 1, 2, 13));
}

#[test]
fn def_with_a_bare_star_and_annotations() {
    let StmtKind::FunctionDef(def) =
        stmt("def g(x: float, *, scale: float = 1.0):\n    pass\n").kind
    else {
        panic!("not a def");
    };
    assert_eq!(def.params.len(), 2);
    assert_eq!(def.params[1].kind, ParamKind::KeywordOnly);
    assert_eq!(
        def.params[0].annotation.as_ref().map(sx),
        Some("float".into())
    );
    assert_eq!(def.params[1].default.as_ref().map(sx), Some("1.0".into()));
}

#[test]
fn return_with_nothing_a_value_or_a_tuple() {
    let StmtKind::FunctionDef(def) =
        stmt("def f():\n    if a:\n        return\n    return x, y\n").kind
    else {
        panic!();
    };
    match &def.body[1].kind {
        StmtKind::Return(Some(v)) => assert_eq!(sx(v), "(tuple x y)"),
        other => panic!("{other:?}"),
    }
    let StmtKind::If { branches, .. } = &def.body[0].kind else {
        panic!();
    };
    assert!(matches!(branches[0].body[0].kind, StmtKind::Return(None)));
}

#[test]
fn class_with_a_base_and_methods() {
    let src = "class Flow(nn.Module):\n    \"\"\"Doc.\"\"\"\n\n    def __init__(self, dim=2):\n        super().__init__()\n        self.dim = dim\n\n    def forward(self, x):\n        return self.net(x)\n";
    let StmtKind::ClassDef(class) = stmt(src).kind else {
        panic!("not a class");
    };
    assert_eq!(class.name.name, "Flow");
    assert_eq!(
        class.bases.iter().map(sx).collect::<Vec<_>>(),
        vec!["(. nn Module)"]
    );
    assert_eq!(class.body.len(), 3);
    assert!(
        matches!(&class.body[0].kind, StmtKind::Expr(Expr { kind: ExprKind::Str(s), .. }) if s == "Doc.")
    );
    let StmtKind::FunctionDef(init) = &class.body[1].kind else {
        panic!();
    };
    assert_eq!(init.name.name, "__init__");
    assert_eq!(
        match &init.body[0].kind {
            StmtKind::Expr(e) => sx(e),
            _ => String::new(),
        },
        "(call (. (call super) __init__))"
    );
    assert!(
        matches!(stmt("class A:\n    pass\n").kind, StmtKind::ClassDef(c) if c.bases.is_empty())
    );
}

#[test]
fn import_forms() {
    match stmt("import torch, matplotlib.pyplot as plt").kind {
        StmtKind::Import(aliases) => {
            assert_eq!(aliases.len(), 2);
            assert_eq!(aliases[0].module.dotted(), "torch");
            assert!(aliases[0].alias.is_none());
            assert_eq!(aliases[1].module.dotted(), "matplotlib.pyplot");
            assert_eq!(
                aliases[1].alias.as_ref().map(|a| a.name.as_str()),
                Some("plt")
            );
        }
        other => panic!("{other:?}"),
    }
    match stmt("from sklearn.datasets import make_moons, make_circles as circles").kind {
        StmtKind::ImportFrom { module, names } => {
            assert_eq!(module.dotted(), "sklearn.datasets");
            assert_eq!(names[0].name.name, "make_moons");
            assert_eq!(
                names[1].alias.as_ref().map(|a| a.name.as_str()),
                Some("circles")
            );
        }
        other => panic!("{other:?}"),
    }
    match stmt("from torch import (\n    nn,\n    optim,\n)").kind {
        StmtKind::ImportFrom { names, .. } => assert_eq!(names.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn with_items_and_targets() {
    match stmt("with torch.no_grad():\n    y = f(x)\n").kind {
        StmtKind::With { items, body } => {
            assert_eq!(items.len(), 1);
            assert_eq!(sx(&items[0].context), "(call (. torch no_grad))");
            assert!(items[0].target.is_none());
            assert_eq!(body.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    match stmt("with a as b, c as (d, e):\n    pass\n").kind {
        StmtKind::With { items, .. } => {
            assert_eq!(items[0].target.as_ref().map(sx), Some("b".into()));
            assert_eq!(items[1].target.as_ref().map(sx), Some("(tuple d e)".into()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn assert_with_and_without_a_message() {
    match stmt("assert x.shape == (256, 2), f\"bad {x.shape}\"").kind {
        StmtKind::Assert { test, msg } => {
            assert_eq!(sx(&test), "(cmp (. x shape) == (tuple 256 2))");
            assert_eq!(
                msg.map(|m| sx(&m)),
                Some("(f \"bad \" {(. x shape)})".into())
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        stmt("assert ok").kind,
        StmtKind::Assert { msg: None, .. }
    ));
}

#[test]
fn del_takes_several_targets() {
    match stmt("del a, b[0], c.d").kind {
        StmtKind::Del(targets) => assert_eq!(
            targets.iter().map(sx).collect::<Vec<_>>(),
            vec!["a", "([] b 0)", "(. c d)"]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn semicolons_separate_simple_statements() {
    let p = parse_ok("a = 1; b = 2;\nc = 3\n");
    assert_eq!(p.body.len(), 3);
    assert_eq!(p.body[1].span, Span::new(1, 8, 1, 13));
}

#[test]
fn a_block_may_sit_on_the_header_line() {
    match stmt("if it % 500 == 0: print(it); n += 1").kind {
        StmtKind::If { branches, .. } => assert_eq!(branches[0].body.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn number_literals() {
    assert_eq!(sx_of("10_000"), "10000");
    assert_eq!(sx_of("1e-2"), "0.01");
    assert_eq!(sx_of(".5"), "0.5");
    assert_eq!(sx_of("3."), "3.0");
    assert_eq!(sx_of("0xff"), "255");
    assert_eq!(sx_of("-1"), "(- 1)");
}

#[test]
fn constants_and_ellipsis() {
    assert_eq!(
        sx_of("(True, False, None, ...)"),
        "(tuple True False None ...)"
    );
}

#[test]
fn string_literals_and_implicit_concatenation() {
    assert_eq!(sx_of("'a' \"b\""), "\"ab\"");
    assert_eq!(sx_of("('a'\n    'b')"), "\"ab\"");
    assert_eq!(sx_of("'''x\ny'''"), "\"x\\ny\"");
    assert_eq!(sx_of("r'\\n'"), "\"\\\\n\"");
}

#[test]
fn fstring_fields_are_parsed_expressions() {
    assert_eq!(
        sx_of("f\"t = {time_steps[i]:.2f}\""),
        "(f \"t = \" {([] time_steps i):.2f})"
    );
    assert_eq!(
        sx_of("f'{x!r} {{lit}} {a + b}'"),
        "(f {x!r} \" {lit} \" {(+ a b)})"
    );
    assert_eq!(sx_of("f'{x:{w}.{p}f}'"), "(f {x:{w}.{p}f})");
    assert_eq!(sx_of("f'{d[\"k\"]}'"), "(f {([] d \"k\")})");
}

#[test]
fn fstring_self_documenting_field_expands_to_text_and_repr() {
    assert_eq!(sx_of("f'{x=}'"), "(f \"x=\" {x!r})");
    assert_eq!(sx_of("f'{ x = :.1f}'"), "(f \" x = \" {x:.1f})");
}

#[test]
fn fstring_joined_with_plain_strings_is_one_fstring() {
    assert_eq!(sx_of("'a' f'{b}' 'c'"), "(f \"a\" {b} \"c\")");
}

#[test]
fn fstring_field_errors_point_into_the_string() {
    let e = parse_err("s = f'value {x +}'");
    assert_eq!((e.line(), e.column()), (1, 17));
}

#[test]
fn lists_tuples_and_dicts() {
    assert_eq!(sx_of("[]"), "(list )");
    assert_eq!(sx_of("[1, 2,]"), "(list 1 2)");
    assert_eq!(sx_of("()"), "(tuple )");
    assert_eq!(sx_of("(x,)"), "(tuple x)");
    assert_eq!(sx_of("(x)"), "x");
    assert_eq!(sx_of("x, y"), "(tuple x y)");
    assert_eq!(sx_of("{}"), "(dict )");
    assert_eq!(sx_of("{'lr': 1e-2, 'n': 3,}"), "(dict \"lr\":0.01 \"n\":3)");
}

#[test]
fn comprehensions_and_generators() {
    assert_eq!(
        sx_of("[f(x) for x in xs if x > 0]"),
        "(listcomp (call f x) for x in xs if (cmp x > 0))"
    );
    assert_eq!(
        sx_of("[a * b for a, b in zip(p, q) for c in r if c if d]"),
        "(listcomp (* a b) for (tuple a b) in (call zip p q) for c in r if c if d)"
    );
    assert_eq!(
        sx_of("sum(x ** 2 for x in xs)"),
        "(call sum (gen (** x 2) for x in xs))"
    );
    assert_eq!(sx_of("(x for x in xs)"), "(gen x for x in xs)");
    assert_eq!(
        sx_of("[x if x > 0 else 0 for x in xs]"),
        "(listcomp (if (cmp x > 0) x 0) for x in xs)"
    );
}

#[test]
fn call_arguments_keep_their_order_and_kind() {
    assert_eq!(
        sx_of("ax.scatter(*x.T, s=10, alpha=0.5)"),
        "(call (. ax scatter) *(. x T) s=10 alpha=0.5)"
    );
    assert_eq!(sx_of("f(a, *b, c=1, **d)"), "(call f a *b c=1 **d)");
    assert_eq!(sx_of("f(a,)"), "(call f a)");
    assert_eq!(sx_of("f()"), "(call f)");
}

#[test]
fn subscripts_with_slices_none_and_ellipsis() {
    assert_eq!(sx_of("a[1:3]"), "([] a (: 1 3 _))");
    assert_eq!(sx_of("x[:, 0]"), "([] x (tuple (: _ _ _) 0))");
    assert_eq!(sx_of("x[..., None]"), "([] x (tuple ... None))");
    assert_eq!(sx_of("a[::2]"), "([] a (: _ _ 2))");
    assert_eq!(sx_of("a[::-1]"), "([] a (: _ _ (- 1)))");
    assert_eq!(sx_of("a[-1]"), "([] a (- 1))");
    assert_eq!(sx_of("a[1,]"), "([] a (tuple 1))");
    assert_eq!(sx_of("a[i][j]"), "([] ([] a i) j)");
    assert_eq!(sx_of("xt[i, :, 0]"), "([] xt (tuple i (: _ _ _) 0))");
    assert_eq!(sx_of("a[lo:hi:st]"), "([] a (: lo hi st))");
}

#[test]
fn expression_spans_cover_their_source() {
    let p = parse_ok("loss = loss_fn(flow(x_t, t), x_1 - x_0)\n");
    let StmtKind::Assign { value, .. } = &p.body[0].kind else {
        panic!();
    };
    assert_eq!(value.span, Span::new(1, 8, 1, 40));
    let ExprKind::Call { args, .. } = &value.kind else {
        panic!();
    };
    assert_eq!(args[0].span(), Span::new(1, 16, 1, 28));
    assert_eq!(args[1].span(), Span::new(1, 30, 1, 39));
    assert_eq!(p.body[0].span, Span::new(1, 1, 1, 40));
}

#[test]
fn multi_line_expressions_span_their_lines() {
    let p = parse_ok(
        "net = nn.Sequential(\n    nn.Linear(3, 64),\n    nn.ELU(),\n)\nz = 1 + \\\n    2\n",
    );
    assert_eq!(p.body.len(), 2);
    assert_eq!(p.body[0].span, Span::new(1, 1, 4, 2));
    assert_eq!(p.body[1].span, Span::new(5, 1, 6, 6));
}

#[test]
fn comments_and_blank_lines_are_ignored_everywhere() {
    let p = parse_ok(
        "# %% cell\n\nx = [  # a list\n  1,  # one\n\n  2,\n]\n\n\n   # indented comment\ny = x\n",
    );
    assert_eq!(p.body.len(), 2);
}

#[test]
fn empty_source_is_an_empty_program() {
    assert!(parse_ok("").body.is_empty());
    assert!(parse_ok("\n\n# only a comment\n").body.is_empty());
}

#[test]
fn soft_keywords_are_names() {
    assert_eq!(sx_of("match + case + type"), "(+ (+ match case) type)");
}

#[test]
fn parse_expression_reads_one_expression() {
    assert_eq!(sx(&parse_expression("x_t.shape").unwrap()), "(. x_t shape)");
    assert_eq!(sx(&parse_expression("a, b\n").unwrap()), "(tuple a b)");
    assert!(parse_expression("a b").is_err());
}

#[test]
fn display_prints_statements_and_expressions() {
    assert_eq!(stmt("x  =  ( a+b )*c").to_string(), "x = (a + b) * c");
    assert_eq!(expr("f( a , b=2 )").to_string(), "f(a, b=2)");
}

#[test]
fn compound_statement_spans_end_at_their_last_token() {
    let p = parse_ok(
        "def f():\n    return 1  # done\n\n\nx = 2\nfor i in y:\n    if i:\n        z = i\nw = 0\n",
    );
    assert_eq!(p.body[0].span, Span::new(1, 1, 2, 13));
    assert_eq!(p.body[1].span, Span::new(5, 1, 5, 6));
    assert_eq!(p.body[2].span, Span::new(6, 1, 8, 14));
    let StmtKind::For { body, .. } = &p.body[2].kind else {
        panic!();
    };
    assert_eq!(body[0].span, Span::new(7, 5, 8, 14));
}
