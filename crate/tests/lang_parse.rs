//! The lab scripts in `tests/labs/` parse through the public API, print back as source that
//! parses again, and each blank of the attendee's versions is an `...` statement.
#![cfg(feature = "lang")]

use flowlab::lang::{self, ExprKind, Program, Stmt, StmtKind};
use std::path::PathBuf;

fn labs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/labs")
}

fn read(name: &str) -> String {
    let path = labs_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(name: &str) -> Program {
    let src = read(name);
    lang::parse(&src).unwrap_or_else(|e| panic!("{name}: {}", e.render(&src)))
}

fn count_blanks(body: &[Stmt]) -> usize {
    body.iter()
        .map(|s| match &s.kind {
            StmtKind::Expr(e) if e.kind == ExprKind::Ellipsis => 1,
            StmtKind::Assign { value, .. } if value.kind == ExprKind::Ellipsis => 1,
            StmtKind::For { body, .. } | StmtKind::While { body, .. } => count_blanks(body),
            StmtKind::With { body, .. } => count_blanks(body),
            StmtKind::If { branches, orelse } => {
                branches
                    .iter()
                    .map(|b| count_blanks(&b.body))
                    .sum::<usize>()
                    + count_blanks(orelse)
            }
            StmtKind::FunctionDef(d) => count_blanks(&d.body),
            StmtKind::ClassDef(c) => count_blanks(&c.body),
            _ => 0,
        })
        .sum()
}

#[test]
fn every_lab_file_parses_and_its_printed_form_parses_again() {
    let mut names: Vec<String> = std::fs::read_dir(labs_dir())
        .expect("tests/labs exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".py"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "full.py",
            "mid.py",
            "mid_blank.py",
            "todo_blank.py",
            "todo_solved.py"
        ]
    );
    for name in &names {
        let program = parse(name);
        let printed = lang::unparse(&program);
        let again = lang::parse(&printed)
            .unwrap_or_else(|e| panic!("{name} printed: {}", e.render(&printed)));
        assert_eq!(lang::unparse(&again), printed, "{name}");
    }
}

#[test]
fn completed_labs_have_no_blank_and_blank_labs_have_theirs() {
    assert_eq!(count_blanks(&parse("full.py").body), 0);
    assert_eq!(count_blanks(&parse("mid.py").body), 0);
    assert_eq!(count_blanks(&parse("todo_solved.py").body), 0);
    assert_eq!(count_blanks(&parse("mid_blank.py").body), 1);
    assert_eq!(count_blanks(&parse("todo_blank.py").body), 10);
}
