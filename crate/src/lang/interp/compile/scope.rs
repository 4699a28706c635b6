//! Python's scoping rule: a function's locals are the names it binds anywhere in its body.

use crate::lang::ast::*;
use std::collections::HashSet;
use std::rc::Rc;

/// The names a function body binds (Python's rule for what is local).
pub(super) fn bound_names(body: &[Stmt], out: &mut HashSet<Rc<str>>) {
    for s in body {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| target_names(t, out));
                expr_bound_names(value, out);
            }
            StmtKind::AugAssign { target, .. } | StmtKind::AnnAssign { target, .. } => {
                target_names(target, out)
            }
            StmtKind::For { target, body, .. } => {
                target_names(target, out);
                bound_names(body, out);
            }
            StmtKind::While { body, .. } => bound_names(body, out),
            StmtKind::If { branches, orelse } => {
                branches.iter().for_each(|b| bound_names(&b.body, out));
                bound_names(orelse, out);
            }
            StmtKind::With { items, body } => {
                for i in items {
                    if let Some(t) = &i.target {
                        target_names(t, out);
                    }
                }
                bound_names(body, out);
            }
            StmtKind::FunctionDef(d) => {
                out.insert(Rc::from(d.name.name.as_str()));
            }
            StmtKind::ClassDef(d) => {
                out.insert(Rc::from(d.name.name.as_str()));
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let n = a.alias.as_ref().unwrap_or(&a.module.parts[0]);
                    out.insert(Rc::from(n.name.as_str()));
                }
            }
            StmtKind::ImportFrom { names, .. } => {
                for n in names {
                    let b = n.alias.as_ref().unwrap_or(&n.name);
                    out.insert(Rc::from(b.name.as_str()));
                }
            }
            StmtKind::Del(targets) => targets.iter().for_each(|t| target_names(t, out)),
            StmtKind::Expr(e) => expr_bound_names(e, out),
            _ => {}
        }
    }
}

/// Comprehension variables are bound in the enclosing function (no separate scope here).
fn expr_bound_names(e: &Expr, out: &mut HashSet<Rc<str>>) {
    if let ExprKind::ListComp { clauses, .. } | ExprKind::Generator { clauses, .. } = &e.kind {
        for c in clauses {
            target_names(&c.target, out);
        }
    }
}

fn target_names(t: &Expr, out: &mut HashSet<Rc<str>>) {
    match &t.kind {
        ExprKind::Name(n) => {
            out.insert(Rc::from(n.as_str()));
        }
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|i| target_names(i, out))
        }
        _ => {}
    }
}
