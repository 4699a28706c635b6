//! Expressions: operators (with their operands' source text, for shape errors), calls (with the
//! source of tensor-creating calls, for fixes), comprehensions, f-strings.

use super::{Compiler, NONE};
use crate::lang::ast::*;
use crate::lang::error::LangError;
use crate::lang::interp::code::{ArgShape, Op};
use crate::lang::interp::value::Value;
use crate::lang::unparse::expr_to_string;
use std::rc::Rc;

impl Compiler {
    pub(super) fn expr(&mut self, e: &Expr) -> Result<(), LangError> {
        let span = e.span;
        match &e.kind {
            ExprKind::Name(n) => self.load_name(n, span),
            ExprKind::Int(i) => self.load_const(Value::Int(*i), span),
            ExprKind::Float(f) => self.load_const(Value::Float(*f), span),
            ExprKind::Str(s) => self.load_const(Value::str(s), span),
            ExprKind::Bool(b) => self.load_const(Value::Bool(*b), span),
            ExprKind::None => self.load_const(Value::None, span),
            ExprKind::Ellipsis => self.load_const(Value::Ellipsis, span),
            ExprKind::FString(parts) => self.fstring(parts, span)?,
            ExprKind::List(items) => {
                for i in items {
                    self.expr(i)?;
                }
                self.emit(Op::BuildList(items.len() as u32), span);
            }
            ExprKind::Tuple(items) => {
                for i in items {
                    self.expr(i)?;
                }
                self.emit(Op::BuildTuple(items.len() as u32), span);
            }
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    self.expr(k)?;
                    self.expr(v)?;
                }
                self.emit(Op::BuildDict(items.len() as u32), span);
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.name_index(&attr.name);
                self.emit(Op::LoadAttr(i), attr.span);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.emit(Op::LoadSubscript, span);
            }
            ExprKind::Slice { lower, upper, step } => {
                let mut bits = 0;
                for (bit, part) in [(1, lower), (2, upper), (4, step)] {
                    if let Some(p) = part {
                        self.expr(p)?;
                        bits |= bit;
                    }
                }
                self.emit(Op::BuildSlice(bits), span);
            }
            ExprKind::Call { func, args } => self.call(e, func, args)?,
            ExprKind::Unary { op, operand } => {
                self.expr(operand)?;
                self.emit(Op::Unary(*op), span);
            }
            ExprKind::Binary { op, left, right } => {
                let operands = self.operands(left, right);
                self.expr(left)?;
                self.expr(right)?;
                self.emit(Op::Binary(*op, operands), span);
            }
            ExprKind::BoolOp { op, values } => {
                let mut jumps = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        let j = match op {
                            BoolOp::And => Op::JumpIfFalseOrPop(0),
                            BoolOp::Or => Op::JumpIfTrueOrPop(0),
                        };
                        jumps.push(self.emit(j, v.span));
                    }
                }
                for j in jumps {
                    self.patch(j);
                }
            }
            ExprKind::Compare { left, rest } => {
                self.expr(left)?;
                let mut cleanups = Vec::new();
                for (i, (op, right)) in rest.iter().enumerate() {
                    self.expr(right)?;
                    if i + 1 < rest.len() {
                        self.emit(Op::Dup, span);
                        self.emit(Op::RotThree, span);
                        self.emit(Op::Compare(*op), span);
                        cleanups.push(self.emit(Op::JumpIfFalseOrPop(0), span));
                    } else {
                        self.emit(Op::Compare(*op), span);
                    }
                }
                if !cleanups.is_empty() {
                    let end = self.emit(Op::Jump(0), span);
                    for c in cleanups {
                        self.patch(c);
                    }
                    self.emit(Op::RotTwo, span);
                    self.emit(Op::Pop, span);
                    self.patch(end);
                }
            }
            ExprKind::IfElse { test, body, orelse } => {
                self.expr(test)?;
                let skip = self.emit(Op::PopJumpIfFalse(0), test.span);
                self.expr(body)?;
                let end = self.emit(Op::Jump(0), span);
                self.patch(skip);
                self.expr(orelse)?;
                self.patch(end);
            }
            ExprKind::ListComp { element, clauses } | ExprKind::Generator { element, clauses } => {
                self.emit(Op::BuildList(0), span);
                self.comprehension(element, clauses, 0)?;
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        element: &Expr,
        clauses: &[CompFor],
        depth: u32,
    ) -> Result<(), LangError> {
        let Some((clause, rest)) = clauses.split_first() else {
            self.expr(element)?;
            self.emit(Op::ListAppend(depth), element.span);
            return Ok(());
        };
        self.expr(&clause.iter)?;
        self.emit(Op::GetIter, clause.iter.span);
        let start = self.here();
        let exit = self.emit(Op::ForIter(0), clause.iter.span);
        self.store(&clause.target)?;
        for cond in &clause.conditions {
            self.expr(cond)?;
            let skip = self.emit(Op::PopJumpIfFalse(0), cond.span);
            self.patch_to(skip, start);
        }
        self.comprehension(element, rest, depth + 1)?;
        self.emit(Op::Jump(start), clause.iter.span);
        self.patch(exit);
        Ok(())
    }

    fn call(&mut self, whole: &Expr, func: &Expr, args: &[Arg]) -> Result<(), LangError> {
        if let ExprKind::Name(n) = &func.kind {
            if n == "super" && args.is_empty() {
                self.emit(Op::Super, whole.span);
                return Ok(());
            }
        }
        self.expr(func)?;
        let simple = args
            .iter()
            .all(|a| matches!(a, Arg::Positional(_) | Arg::Keyword { .. }));
        if simple {
            let mut kwnames = Vec::new();
            for a in args {
                match a {
                    Arg::Positional(v) => self.expr(v)?,
                    Arg::Keyword { name, value } => {
                        self.expr(value)?;
                        kwnames.push(Rc::from(name.name.as_str()));
                    }
                    _ => unreachable!("checked above"),
                }
            }
            let kw = if kwnames.is_empty() {
                NONE
            } else {
                self.code.kwnames.push(kwnames);
                (self.code.kwnames.len() - 1) as u32
            };
            let origin = if creates_tensor(func) {
                self.code
                    .texts
                    .push(Rc::from(expr_to_string(whole).as_str()));
                (self.code.texts.len() - 1) as u32
            } else {
                NONE
            };
            self.emit(
                Op::Call {
                    argc: args.len() as u32,
                    kw,
                    origin,
                },
                whole.span,
            );
        } else {
            let mut shapes = Vec::new();
            for a in args {
                match a {
                    Arg::Positional(v) => {
                        self.expr(v)?;
                        shapes.push(ArgShape::Positional);
                    }
                    Arg::Star(v) => {
                        self.expr(v)?;
                        shapes.push(ArgShape::Star);
                    }
                    Arg::Keyword { name, value } => {
                        self.expr(value)?;
                        shapes.push(ArgShape::Keyword(Rc::from(name.name.as_str())));
                    }
                    Arg::StarStar(v) => {
                        self.expr(v)?;
                        shapes.push(ArgShape::StarStar);
                    }
                }
            }
            self.code.call_shapes.push(shapes);
            let i = (self.code.call_shapes.len() - 1) as u32;
            self.emit(Op::CallEx(i), whole.span);
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &[FStringPart], span: Span) -> Result<(), LangError> {
        for p in parts {
            match p {
                FStringPart::Literal(s) => self.load_const(Value::str(s), span),
                FStringPart::Field {
                    value,
                    conversion,
                    spec,
                } => {
                    self.expr(value)?;
                    let has_spec = !spec.is_empty();
                    if has_spec {
                        self.fstring(spec, span)?;
                    }
                    let conv = match conversion {
                        None => 0,
                        Some(Conversion::Str) => 1,
                        Some(Conversion::Repr) => 2,
                        Some(Conversion::Ascii) => 3,
                    };
                    self.emit(Op::FormatValue(conv, has_spec), value.span);
                }
            }
        }
        self.emit(Op::BuildString(parts.len() as u32), span);
        Ok(())
    }
}

/// Calls whose result a shape error may suggest changing (`torch.rand(n)` → `torch.rand(n, 1)`).
fn creates_tensor(func: &Expr) -> bool {
    let name = match &func.kind {
        ExprKind::Attribute { attr, .. } => attr.name.as_str(),
        ExprKind::Name(n) => n.as_str(),
        _ => return false,
    };
    matches!(
        name,
        "rand" | "randn" | "zeros" | "ones" | "linspace" | "arange" | "tensor" | "Tensor"
    )
}
