//! The three labs (full, mid with its blank filled, todo with every blank filled) and the blank
//! versions an attendee starts from all parse; their blanks are `...` (Ellipsis).

use super::*;

macro_rules! lab {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/labs/",
            $file
        ))
    };
}

/// Every lab script, by file name.
pub(super) const LABS: [(&str, &str); 5] = [
    ("full.py", lab!("full.py")),
    ("mid.py", lab!("mid.py")),
    ("mid_blank.py", lab!("mid_blank.py")),
    ("todo_solved.py", lab!("todo_solved.py")),
    ("todo_blank.py", lab!("todo_blank.py")),
];

fn lab(name: &str) -> &'static str {
    LABS.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, src)| *src)
        .unwrap_or_else(|| panic!("no lab {name}"))
}

/// Names bound by top-level statements, in order (assignments, defs, classes, imports, loops).
fn top_level_names(program: &Program) -> Vec<String> {
    let mut names = Vec::new();
    for s in &program.body {
        match &s.kind {
            StmtKind::Assign { targets, .. } => {
                for t in targets {
                    names.push(t.to_string());
                }
            }
            StmtKind::FunctionDef(d) => names.push(d.name.name.clone()),
            StmtKind::ClassDef(c) => names.push(c.name.name.clone()),
            StmtKind::Import(aliases) => {
                for a in aliases {
                    names.push(
                        a.alias
                            .as_ref()
                            .map_or(a.module.dotted(), |x| x.name.clone()),
                    );
                }
            }
            StmtKind::ImportFrom { names: n, .. } => {
                for i in n {
                    names.push(i.alias.as_ref().unwrap_or(&i.name).name.clone());
                }
            }
            _ => {}
        }
    }
    names
}

/// How many `...` expression statements or `x = ...` assignments the program holds, at any
/// depth of blocks.
fn blanks(body: &[Stmt]) -> usize {
    body.iter()
        .map(|s| match &s.kind {
            StmtKind::Expr(e) if e.kind == ExprKind::Ellipsis => 1,
            StmtKind::Assign { value, .. } if value.kind == ExprKind::Ellipsis => 1,
            StmtKind::For { body, .. } | StmtKind::While { body, .. } => blanks(body),
            StmtKind::With { body, .. } => blanks(body),
            StmtKind::If { branches, orelse } => {
                branches.iter().map(|b| blanks(&b.body)).sum::<usize>() + blanks(orelse)
            }
            StmtKind::FunctionDef(d) => blanks(&d.body),
            StmtKind::ClassDef(c) => blanks(&c.body),
            _ => 0,
        })
        .sum()
}

#[test]
fn every_lab_parses() {
    for (name, src) in LABS {
        if let Err(e) = parse(src) {
            panic!("{name}: {}", e.render(src));
        }
    }
}

#[test]
fn full_lab_defines_the_flow_and_uses_euler_step_consistently() {
    let program = parse_ok(lab("full.py"));
    let names = top_level_names(&program);
    for name in [
        "torch",
        "np",
        "make_moons",
        "nn",
        "plt",
        "Flow",
        "flow",
        "optimizer",
        "xt",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
    let StmtKind::ClassDef(flow) = &program
        .body
        .iter()
        .find(|s| matches!(&s.kind, StmtKind::ClassDef(_)))
        .expect("a class")
        .kind
    else {
        unreachable!()
    };
    let methods: Vec<&str> = flow
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::FunctionDef(d) => Some(d.name.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(methods, vec!["__init__", "forward", "euler_step"]);
    let text = unparse(&program);
    assert!(text.contains("flow.euler_step(x, time_steps[i], stepsize)"));
    assert!(!text.contains("flow.step("));
    assert_eq!(blanks(&program.body), 0);
}

#[test]
fn mid_lab_names_the_step_method_step_and_fills_the_training_body() {
    let program = parse_ok(lab("mid.py"));
    let text = unparse(&program);
    assert!(text.contains("def step(self, x_t, t_start, t_end):"));
    assert!(text.contains("x = flow.step(x, time_steps[i], time_steps[i + 1])"));
    assert!(text.contains("loss.backward()"));
    assert_eq!(blanks(&program.body), 0);
}

#[test]
fn blank_labs_mark_each_blank_with_an_ellipsis() {
    let mid = parse_ok(lab("mid_blank.py"));
    assert_eq!(blanks(&mid.body), 1);
    let todo = parse_ok(lab("todo_blank.py"));
    let todo_markers = lab("todo_blank.py").matches("...  # TODO").count();
    assert_eq!(todo_markers, 10);
    assert_eq!(blanks(&todo.body), todo_markers);
}

#[test]
fn todo_lab_solved_has_no_blank_left() {
    let program = parse_ok(lab("todo_solved.py"));
    assert_eq!(blanks(&program.body), 0);
    let text = unparse(&program);
    assert!(text.contains("loss = ((flow(x_t, t) - target) ** 2).mean()"));
    assert!(text
        .contains("indices = [round(k * (n_steps - 1) / (n_plots - 1)) for k in range(n_plots)]"));
}

#[test]
fn lab_statements_start_on_the_lines_they_are_written_on() {
    let src = lab("full.py");
    let program = parse_ok(src);
    let lines: Vec<&str> = src.lines().collect();
    for s in &program.body {
        let line = lines[s.span.line as usize - 1];
        let column = s.span.column as usize - 1;
        let first = line.chars().nth(column).expect("a character at the span");
        assert!(
            !first.is_whitespace(),
            "span {} points at whitespace",
            s.span
        );
        assert_ne!(first, '#');
    }
}
