//! From the syntax tree to [`Code`]: one pass per function, class body or cell.
//!
//! Scoping follows Python: a function's locals are the names it assigns anywhere in its body
//! (and its parameters); every other name it reads is global or built-in. A cell's and a class
//! body's names live in dictionaries. Nested functions see the globals, not the enclosing
//! function's locals (no closures: the labs do not use them).

use super::code::{Code, CodeKind, Op, ParamSpec};
use super::value::Value;
use crate::lang::ast::*;
use crate::lang::error::{ErrorKind, LangError};
use crate::lang::unparse::expr_to_string;
use std::collections::HashSet;
use std::rc::Rc;

mod expr;
mod scope;

use scope::bound_names;

const NONE: u32 = u32::MAX;

/// Compiles a cell (or a whole file).
pub fn compile_program(program: &Program) -> Result<Rc<Code>, LangError> {
    let mut c = Compiler::new("<cell>", CodeKind::Module, None);
    c.block(&program.body)?;
    let end = program.body.last().map_or(Span::point(1, 1), |s| s.span);
    c.load_const(Value::None, end);
    c.emit(Op::Return, end);
    Ok(Rc::new(c.code))
}

/// The loops and `with` blocks around the current instruction, innermost last.
enum Enclosing {
    Loop {
        start: u32,
        breaks: Vec<usize>,
        /// A `for` loop keeps its iterator on the stack; `break` must pop it.
        is_for: bool,
    },
    With,
}

struct Compiler {
    code: Code,
    locals: Option<HashSet<Rc<str>>>,
    enclosing: Vec<Enclosing>,
}

impl Compiler {
    fn new(name: &str, kind: CodeKind, class_name: Option<Rc<str>>) -> Compiler {
        Compiler {
            code: Code {
                name: Rc::from(name),
                kind: Some(kind),
                class_name,
                ..Code::default()
            },
            locals: None,
            enclosing: Vec::new(),
        }
    }

    fn emit(&mut self, op: Op, span: Span) -> usize {
        self.code.ops.push(op);
        self.code.spans.push(span);
        self.code.ops.len() - 1
    }

    fn here(&self) -> u32 {
        self.code.ops.len() as u32
    }

    /// Points the jump at `at` to the next instruction.
    fn patch(&mut self, at: usize) {
        let target = self.here();
        self.patch_to(at, target);
    }

    fn patch_to(&mut self, at: usize, target: u32) {
        self.code.ops[at] = match self.code.ops[at] {
            Op::Jump(_) => Op::Jump(target),
            Op::PopJumpIfFalse(_) => Op::PopJumpIfFalse(target),
            Op::PopJumpIfTrue(_) => Op::PopJumpIfTrue(target),
            Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(target),
            Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(target),
            Op::ForIter(_) => Op::ForIter(target),
            other => other,
        };
    }

    fn name_index(&mut self, name: &str) -> u32 {
        if let Some(i) = self.code.names.iter().position(|n| &**n == name) {
            return i as u32;
        }
        self.code.names.push(Rc::from(name));
        (self.code.names.len() - 1) as u32
    }

    fn local_slot(&mut self, name: &str) -> Option<u32> {
        let locals = self.locals.as_ref()?;
        if !locals.contains(name) {
            return None;
        }
        if let Some(i) = self.code.locals.iter().position(|n| &**n == name) {
            return Some(i as u32);
        }
        self.code.locals.push(Rc::from(name));
        Some((self.code.locals.len() - 1) as u32)
    }

    fn load_const(&mut self, v: Value, span: Span) {
        self.code.consts.push(v);
        let i = (self.code.consts.len() - 1) as u32;
        self.emit(Op::Const(i), span);
    }

    fn load_name(&mut self, name: &str, span: Span) {
        if let Some(slot) = self.local_slot(name) {
            self.emit(Op::LoadFast(slot), span);
        } else if self.locals.is_some() {
            let i = self.name_index(name);
            self.emit(Op::LoadGlobal(i), span);
        } else {
            let i = self.name_index(name);
            self.emit(Op::LoadName(i), span);
        }
    }

    fn store_name(&mut self, name: &str, span: Span) {
        if let Some(slot) = self.local_slot(name) {
            self.emit(Op::StoreFast(slot), span);
        } else {
            let i = self.name_index(name);
            self.emit(Op::StoreName(i), span);
        }
    }

    fn block(&mut self, body: &[Stmt]) -> Result<(), LangError> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), LangError> {
        let span = s.span;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Pop, span);
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::Dup, span);
                    }
                    self.store(t)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value)?,
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.store(target)?;
                }
            }
            StmtKind::If { branches, orelse } => {
                let mut ends = Vec::new();
                for b in branches {
                    self.expr(&b.test)?;
                    let skip = self.emit(Op::PopJumpIfFalse(0), b.test.span);
                    self.block(&b.body)?;
                    ends.push(self.emit(Op::Jump(0), b.span));
                    self.patch(skip);
                }
                self.block(orelse)?;
                for e in ends {
                    self.patch(e);
                }
            }
            StmtKind::For { target, iter, body } => {
                self.expr(iter)?;
                self.emit(Op::GetIter, iter.span);
                let start = self.here();
                let exit = self.emit(Op::ForIter(0), iter.span);
                self.store(target)?;
                self.enclosing.push(Enclosing::Loop {
                    start,
                    breaks: Vec::new(),
                    is_for: true,
                });
                self.block(body)?;
                self.emit(Op::Jump(start), span);
                self.patch(exit);
                self.end_loop();
            }
            StmtKind::While { test, body } => {
                let start = self.here();
                self.expr(test)?;
                let exit = self.emit(Op::PopJumpIfFalse(0), test.span);
                self.enclosing.push(Enclosing::Loop {
                    start,
                    breaks: Vec::new(),
                    is_for: false,
                });
                self.block(body)?;
                self.emit(Op::Jump(start), span);
                self.patch(exit);
                self.end_loop();
            }
            StmtKind::Break => {
                let mut withs = 0;
                let mut is_for = false;
                for e in self.enclosing.iter().rev() {
                    match e {
                        Enclosing::With => withs += 1,
                        Enclosing::Loop { is_for: f, .. } => {
                            is_for = *f;
                            break;
                        }
                    }
                }
                for _ in 0..withs {
                    self.emit(Op::ExitWith, span);
                }
                if is_for {
                    self.emit(Op::Pop, span);
                }
                let j = self.emit(Op::Jump(0), span);
                if let Some(Enclosing::Loop { breaks, .. }) = self
                    .enclosing
                    .iter_mut()
                    .rev()
                    .find(|e| matches!(e, Enclosing::Loop { .. }))
                {
                    breaks.push(j);
                }
            }
            StmtKind::Continue => {
                let mut withs = 0;
                let mut target = 0;
                for e in self.enclosing.iter().rev() {
                    match e {
                        Enclosing::With => withs += 1,
                        Enclosing::Loop { start, .. } => {
                            target = *start;
                            break;
                        }
                    }
                }
                for _ in 0..withs {
                    self.emit(Op::ExitWith, span);
                }
                self.emit(Op::Jump(target), span);
            }
            StmtKind::Pass => {}
            StmtKind::Return(value) => {
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None, span),
                }
                let withs = self
                    .enclosing
                    .iter()
                    .filter(|e| matches!(e, Enclosing::With))
                    .count();
                for _ in 0..withs {
                    self.emit(Op::ExitWith, span);
                }
                self.emit(Op::Return, span);
            }
            StmtKind::FunctionDef(def) => {
                let code = self.function(def)?;
                let mut n = 0;
                for p in &def.params {
                    if let Some(d) = &p.default {
                        self.expr(d)?;
                        n += 1;
                    }
                }
                self.load_const(Value::Code(code), def.name.span);
                self.emit(Op::MakeFunction(n), def.name.span);
                self.store_name(&def.name.name, def.name.span);
            }
            StmtKind::ClassDef(def) => {
                for b in &def.bases {
                    self.expr(b)?;
                }
                let mut body = Compiler::new(&def.name.name, CodeKind::Class, None);
                body.code.class_name = Some(Rc::from(def.name.name.as_str()));
                body.block(&def.body)?;
                body.load_const(Value::None, def.span);
                body.emit(Op::Return, def.span);
                self.load_const(Value::Code(Rc::new(body.code)), def.name.span);
                self.emit(Op::MakeClass(def.bases.len() as u32), def.name.span);
                self.store_name(&def.name.name, def.name.span);
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let dotted = a.module.dotted();
                    match &a.alias {
                        Some(alias) => {
                            let i = self.name_index(&dotted);
                            self.emit(Op::Import(i), a.module.span);
                            self.store_name(&alias.name, alias.span);
                        }
                        None => {
                            // `import a.b` checks `a.b` exists and binds `a`
                            let i = self.name_index(&dotted);
                            self.emit(Op::Import(i), a.module.span);
                            self.emit(Op::Pop, a.module.span);
                            let first = &a.module.parts[0];
                            let i = self.name_index(&first.name);
                            self.emit(Op::Import(i), a.module.span);
                            self.store_name(&first.name, first.span);
                        }
                    }
                }
            }
            StmtKind::ImportFrom { module, names } => {
                let i = self.name_index(&module.dotted());
                self.emit(Op::Import(i), module.span);
                for n in names {
                    let i = self.name_index(&n.name.name);
                    self.emit(Op::ImportFrom(i), n.name.span);
                    let bound = n.alias.as_ref().unwrap_or(&n.name);
                    self.store_name(&bound.name, bound.span);
                }
                self.emit(Op::Pop, module.span);
            }
            StmtKind::With { items, body } => {
                for item in items {
                    self.expr(&item.context)?;
                    self.emit(Op::EnterWith, item.context.span);
                    match &item.target {
                        Some(t) => self.store(t)?,
                        None => {
                            self.emit(Op::Pop, item.context.span);
                        }
                    }
                    self.enclosing.push(Enclosing::With);
                }
                self.block(body)?;
                for _ in items {
                    self.enclosing.pop();
                    self.emit(Op::ExitWith, span);
                }
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                let ok = self.emit(Op::PopJumpIfTrue(0), test.span);
                if let Some(m) = msg {
                    self.expr(m)?;
                }
                self.emit(Op::AssertFail(msg.is_some()), span);
                self.patch(ok);
            }
            StmtKind::Del(targets) => {
                for t in targets {
                    self.del(t)?;
                }
            }
        }
        Ok(())
    }

    fn end_loop(&mut self) {
        if let Some(Enclosing::Loop { breaks, .. }) = self.enclosing.pop() {
            for b in breaks {
                self.patch(b);
            }
        }
    }

    fn function(&mut self, def: &FunctionDef) -> Result<Rc<Code>, LangError> {
        let class_name = match self.code.kind {
            Some(CodeKind::Class) => self.code.class_name.clone(),
            _ => None,
        };
        let mut f = Compiler::new(&def.name.name, CodeKind::Function, class_name);
        let mut locals = HashSet::new();
        for p in &def.params {
            locals.insert(Rc::from(p.name.name.as_str()));
        }
        bound_names(&def.body, &mut locals);
        f.locals = Some(locals);
        let mut defaults = 0;
        for p in &def.params {
            f.local_slot(&p.name.name);
            f.code.params.push(ParamSpec {
                name: Rc::from(p.name.name.as_str()),
                kind: p.kind,
                default: p.default.as_ref().map(|_| {
                    defaults += 1;
                    defaults - 1
                }),
            });
        }
        f.block(&def.body)?;
        f.load_const(Value::None, def.span);
        f.emit(Op::Return, def.span);
        Ok(Rc::new(f.code))
    }

    fn store(&mut self, target: &Expr) -> Result<(), LangError> {
        let span = target.span;
        match &target.kind {
            ExprKind::Name(n) => self.store_name(n, span),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(&attr.name);
                self.emit(Op::StoreAttr(i), attr.span);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::StoreSubscript, span);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                self.emit(Op::Unpack(items.len() as u32), span);
                for t in items {
                    self.store(t)?;
                }
            }
            _ => {
                return Err(LangError::new(
                    ErrorKind::Syntax,
                    format!("cannot assign to {}", target.describe()),
                    span,
                ))
            }
        }
        Ok(())
    }

    fn del(&mut self, target: &Expr) -> Result<(), LangError> {
        let span = target.span;
        match &target.kind {
            ExprKind::Name(n) => {
                if let Some(slot) = self.local_slot(n) {
                    self.emit(Op::DelFast(slot), span);
                } else {
                    let i = self.name_index(n);
                    self.emit(Op::DelName(i), span);
                }
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(&attr.name);
                self.emit(Op::DelAttr(i), span);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::DelSubscript, span);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for t in items {
                    self.del(t)?;
                }
            }
            _ => {
                return Err(LangError::new(
                    ErrorKind::Syntax,
                    format!("cannot delete {}", target.describe()),
                    span,
                ))
            }
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &Expr, op: BinOp, value: &Expr) -> Result<(), LangError> {
        let operands = self.operands(target, value);
        let span = target.span.to(value.span);
        match &target.kind {
            ExprKind::Name(n) => {
                self.load_name(n, target.span);
                self.expr(value)?;
                self.emit(Op::InPlace(op, operands), span);
                self.store_name(n, target.span);
            }
            ExprKind::Attribute { value: obj, attr } => {
                self.expr(obj)?;
                self.emit(Op::Dup, span);
                let i = self.name_index(&attr.name);
                self.emit(Op::LoadAttr(i), attr.span);
                self.expr(value)?;
                self.emit(Op::InPlace(op, operands), span);
                self.emit(Op::RotTwo, span);
                self.emit(Op::StoreAttr(i), attr.span);
            }
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::DupTwo, span);
                self.emit(Op::LoadSubscript, target.span);
                self.expr(value)?;
                self.emit(Op::InPlace(op, operands), span);
                self.emit(Op::RotThree, span);
                self.emit(Op::StoreSubscript, target.span);
            }
            _ => {
                return Err(LangError::new(
                    ErrorKind::Syntax,
                    format!("cannot assign to {}", target.describe()),
                    target.span,
                ))
            }
        }
        Ok(())
    }

    fn operands(&mut self, left: &Expr, right: &Expr) -> u32 {
        let text = |e: &Expr| -> Rc<str> { Rc::from(expr_to_string(e).as_str()) };
        self.code.operands.push((text(left), text(right)));
        (self.code.operands.len() - 1) as u32
    }
}
