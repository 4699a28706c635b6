//! Expressions by precedence climbing: bare tuples, the conditional expression, the binary,
//! boolean and unary operators by binding level, chained comparisons, and the trailers that
//! follow an atom (attribute access, calls with their arguments, subscripts and slices), plus
//! comprehension clauses.

use super::{starts_expression, PResult, Parser, L_AND, L_BOR, L_CMP, L_NOT, L_OR, L_UNARY};
use crate::lang::ast::*;
use crate::lang::error::LangError;
use crate::lang::token::{Keyword, Op, TokenKind};

/// A binary operator token's operator and level (`|` 5 ... `*` 10, `**` 12).
fn binop_of(kind: &TokenKind) -> Option<(BinOp, u8)> {
    let TokenKind::Op(op) = kind else {
        return None;
    };
    Some(match op {
        Op::Pipe => (BinOp::BitOr, 5),
        Op::Caret => (BinOp::BitXor, 6),
        Op::Amp => (BinOp::BitAnd, 7),
        Op::LShift => (BinOp::LShift, 8),
        Op::RShift => (BinOp::RShift, 8),
        Op::Plus => (BinOp::Add, 9),
        Op::Minus => (BinOp::Sub, 9),
        Op::Star => (BinOp::Mul, 10),
        Op::Slash => (BinOp::Div, 10),
        Op::DoubleSlash => (BinOp::FloorDiv, 10),
        Op::Percent => (BinOp::Mod, 10),
        Op::At => (BinOp::MatMul, 10),
        Op::DoubleStar => (BinOp::Pow, 12),
        _ => return None,
    })
}

/// The comparison operator starting at `kind` (followed by `next`) and how many tokens it
/// spans (`not in` and `is not` take two).
fn comparison_of(kind: &TokenKind, next: &TokenKind) -> Option<(CmpOp, usize)> {
    Some(match kind {
        TokenKind::Op(Op::Lt) => (CmpOp::Lt, 1),
        TokenKind::Op(Op::Gt) => (CmpOp::Gt, 1),
        TokenKind::Op(Op::LtE) => (CmpOp::LtE, 1),
        TokenKind::Op(Op::GtE) => (CmpOp::GtE, 1),
        TokenKind::Op(Op::EqEq) => (CmpOp::Eq, 1),
        TokenKind::Op(Op::NotEq) => (CmpOp::NotEq, 1),
        TokenKind::Keyword(Keyword::In) => (CmpOp::In, 1),
        TokenKind::Keyword(Keyword::Not) if matches!(next, TokenKind::Keyword(Keyword::In)) => {
            (CmpOp::NotIn, 2)
        }
        TokenKind::Keyword(Keyword::Is) if matches!(next, TokenKind::Keyword(Keyword::Not)) => {
            (CmpOp::IsNot, 2)
        }
        TokenKind::Keyword(Keyword::Is) => (CmpOp::Is, 1),
        _ => return None,
    })
}

impl Parser {
    /// `expr (, expr)* [,]`: a tuple when there is a comma.
    pub(super) fn expr_list(&mut self) -> PResult<Expr> {
        let start = self.span();
        let first = self.expr()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(Op::Comma) {
            if !starts_expression(self.kind()) {
                break;
            }
            items.push(self.expr()?);
        }
        Ok(Expr::new(ExprKind::Tuple(items), self.since(start)))
    }

    /// One expression (no bare tuple): a conditional expression or anything tighter, counted
    /// as one nesting level.
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let body = self.operators(L_OR)?;
        let expr = if self.at_kw(Keyword::If) {
            self.advance();
            let test = self.operators(L_OR)?;
            if !self.eat_kw(Keyword::Else) {
                return Err(self.expected(
                    "`else` in the conditional expression (it reads `a if condition else b`)",
                ));
            }
            let orelse = self.expr()?;
            let span = body.span.to(orelse.span);
            Expr::new(
                ExprKind::IfElse {
                    test: Box::new(test),
                    body: Box::new(body),
                    orelse: Box::new(orelse),
                },
                span,
            )
        } else {
            body
        };
        self.leave(1);
        Ok(expr)
    }

    /// Everything from `or` down to `**` by precedence climbing: an operand (with its prefix
    /// operators) followed by infix operators that bind at least as tightly as `min` (one of
    /// the `L_` levels). One function for all the levels keeps the stack shallow: a bracket
    /// costs `expr`, `operators`, `postfix` and `atom`, not one frame per precedence level.
    pub(super) fn operators(&mut self, min: u8) -> PResult<Expr> {
        let mut levels = 0;
        let mut left = self.prefix(min)?;
        loop {
            let kind = self.kind();
            if matches!(kind, TokenKind::Keyword(Keyword::Or)) && min <= L_OR {
                left = self.bool_chain(left, BoolOp::Or, Keyword::Or, L_AND)?;
            } else if matches!(kind, TokenKind::Keyword(Keyword::And)) && min <= L_AND {
                left = self.bool_chain(left, BoolOp::And, Keyword::And, L_NOT)?;
            } else if min <= L_CMP && comparison_of(kind, self.peek_kind(1)).is_some() {
                left = self.comparison_chain(left)?;
            } else if let Some((op, level)) = binop_of(kind).filter(|&(_, l)| l >= min) {
                self.advance();
                self.enter()?;
                levels += 1;
                // `**` is right-associative and takes a unary operand on its right
                let right_min = if op == BinOp::Pow { L_UNARY } else { level + 1 };
                let right = self.operators(right_min)?;
                let span = left.span.to(right.span);
                left = Expr::new(
                    ExprKind::Binary {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    span,
                );
            } else {
                break;
            }
        }
        self.leave(levels);
        Ok(left)
    }

    /// An operand with its prefix operators: `not x` (where `min` allows it), `-x`, `+x`,
    /// `~x`, or an atom with its trailers.
    fn prefix(&mut self, min: u8) -> PResult<Expr> {
        let (op, operand_min) = match self.kind() {
            TokenKind::Keyword(Keyword::Not) if min <= L_NOT => (UnaryOp::Not, L_NOT),
            TokenKind::Op(Op::Minus) => (UnaryOp::Neg, L_UNARY),
            TokenKind::Op(Op::Plus) => (UnaryOp::Pos, L_UNARY),
            TokenKind::Op(Op::Tilde) => (UnaryOp::Invert, L_UNARY),
            _ => return self.postfix(),
        };
        let start = self.advance();
        self.enter()?;
        let operand = self.operators(operand_min)?;
        self.leave(1);
        let span = start.to(operand.span);
        Ok(Expr::new(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        ))
    }

    /// `first kw value kw value ...`, flattened into one [`ExprKind::BoolOp`]; the cursor is on
    /// the first `kw`.
    fn bool_chain(&mut self, first: Expr, op: BoolOp, kw: Keyword, operand: u8) -> PResult<Expr> {
        let mut values = vec![first];
        while self.eat_kw(kw) {
            values.push(self.operators(operand)?);
        }
        let span = match (values.first(), values.last()) {
            (Some(a), Some(b)) => a.span.to(b.span),
            _ => self.span(),
        };
        Ok(Expr::new(ExprKind::BoolOp { op, values }, span))
    }

    /// `left op e op e ...` for comparison operators, as one chained [`ExprKind::Compare`];
    /// the cursor is on the first operator.
    fn comparison_chain(&mut self, left: Expr) -> PResult<Expr> {
        let mut rest = Vec::new();
        while let Some((op, tokens)) = comparison_of(self.kind(), self.peek_kind(1)) {
            for _ in 0..tokens {
                self.advance();
            }
            rest.push((op, self.operators(L_BOR)?));
        }
        let end = rest.last().map_or(left.span, |(_, e)| e.span);
        let span = left.span.to(end);
        Ok(Expr::new(
            ExprKind::Compare {
                left: Box::new(left),
                rest,
            },
            span,
        ))
    }

    /// An atom followed by any number of `.name`, `(args)` and `[index]`.
    fn postfix(&mut self) -> PResult<Expr> {
        let mut expr = self.atom()?;
        let mut levels = 0;
        loop {
            let kind = if self.at_op(Op::Dot) {
                self.advance();
                let attr = self.name("an attribute name after '.'")?;
                ExprKind::Attribute {
                    value: Box::new(expr),
                    attr,
                }
            } else if self.at_op(Op::LParen) {
                let open = self.advance();
                self.enter()?;
                levels += 1;
                let args = self.call_arguments(open)?;
                ExprKind::Call {
                    func: Box::new(expr),
                    args,
                }
            } else if self.at_op(Op::LBracket) {
                let open = self.advance();
                self.enter()?;
                levels += 1;
                let index = self.subscript(open)?;
                ExprKind::Subscript {
                    value: Box::new(expr),
                    index: Box::new(index),
                }
            } else {
                break;
            };
            let start = match &kind {
                ExprKind::Attribute { value, .. } | ExprKind::Subscript { value, .. } => value.span,
                ExprKind::Call { func, .. } => func.span,
                _ => self.span(),
            };
            expr = Expr::new(kind, self.since(start));
            if matches!(expr.kind, ExprKind::Attribute { .. }) {
                self.enter()?;
                levels += 1;
            }
        }
        self.leave(levels);
        Ok(expr)
    }

    /// The arguments of a call, after its `(`, up to and including the `)`.
    fn call_arguments(&mut self, open: Span) -> PResult<Vec<Arg>> {
        let mut args: Vec<Arg> = Vec::new();
        let mut seen_keyword = false;
        loop {
            if self.at_op(Op::RParen) {
                break;
            }
            let arg = if self.eat_op(Op::Star) {
                Arg::Star(self.expr()?)
            } else if self.eat_op(Op::DoubleStar) {
                seen_keyword = true;
                Arg::StarStar(self.expr()?)
            } else if matches!(self.kind(), TokenKind::Name(_))
                && matches!(self.peek_kind(1), TokenKind::Op(Op::Assign))
            {
                let name = self.name("a keyword argument name")?;
                self.advance();
                if args
                    .iter()
                    .any(|a| matches!(a, Arg::Keyword { name: n, .. } if n.name == name.name))
                {
                    return Err(LangError::syntax(
                        format!("keyword argument `{}` is given twice", name.name),
                        name.span,
                    ));
                }
                seen_keyword = true;
                let value = self.expr()?;
                Arg::Keyword { name, value }
            } else {
                let value = self.expr()?;
                if self.at_kw(Keyword::For) {
                    let generator = self.comprehension(value, false)?;
                    if !args.is_empty() || !self.at_op(Op::RParen) {
                        return Err(LangError::syntax(
                            "a generator expression must be in parentheses unless it is the \
                             only argument: f((x for x in xs), y)",
                            generator.span,
                        ));
                    }
                    Arg::Positional(generator)
                } else if self.at_op(Op::Assign) {
                    return Err(LangError::syntax(
                        "a keyword argument's name must be a plain name, as in f(x=1) (to \
                         compare two values, use '==')",
                        value.span,
                    ));
                } else {
                    if seen_keyword {
                        return Err(LangError::syntax(
                            "positional argument follows a keyword argument: put the \
                             positional arguments first, as in f(a, b, key=c)",
                            value.span,
                        ));
                    }
                    Arg::Positional(value)
                }
            };
            args.push(arg);
            if !self.eat_op(Op::Comma) && !self.at_op(Op::RParen) {
                return Err(self.expected_separator(&format!(
                    "',' or ')' after the argument (the call's '(' is at {open})"
                )));
            }
        }
        self.advance();
        Ok(args)
    }

    /// The index of a subscript, after its `[`, up to and including the `]`.
    fn subscript(&mut self, open: Span) -> PResult<Expr> {
        let start = self.span();
        if self.at_op(Op::RBracket) {
            return Err(self.error_here("expected an index or slice inside '[ ]', found ']'"));
        }
        let mut items = Vec::new();
        let mut comma = false;
        loop {
            items.push(self.subscript_item()?);
            if !self.eat_op(Op::Comma) {
                break;
            }
            comma = true;
            if self.at_op(Op::RBracket) {
                break;
            }
        }
        let span = self.since(start);
        self.close(Op::RBracket, open)?;
        if !comma {
            if let Some(item) = items.pop() {
                return Ok(item);
            }
        }
        Ok(Expr::new(ExprKind::Tuple(items), span))
    }

    /// An index (`i`, `None`, `...`) or a slice (`a:b:c`, each part optional).
    fn subscript_item(&mut self) -> PResult<Expr> {
        let start = self.span();
        let lower = if self.at_op(Op::Colon) {
            None
        } else {
            let lower = self.expr()?;
            if !self.at_op(Op::Colon) {
                return Ok(lower);
            }
            Some(Box::new(lower))
        };
        self.advance();
        let ends = |p: &Parser| p.at_op(Op::Colon) || p.at_op(Op::Comma) || p.at_op(Op::RBracket);
        let upper = if ends(self) {
            None
        } else {
            Some(Box::new(self.expr()?))
        };
        let step = if self.eat_op(Op::Colon) {
            if ends(self) {
                None
            } else {
                Some(Box::new(self.expr()?))
            }
        } else {
            None
        };
        Ok(Expr::new(
            ExprKind::Slice { lower, upper, step },
            self.since(start),
        ))
    }

    /// The `for ... in ... if ...` clauses after a comprehension's element.
    pub(super) fn comprehension(&mut self, element: Expr, list: bool) -> PResult<Expr> {
        let start = element.span;
        let mut clauses = Vec::new();
        while self.at_kw(Keyword::For) {
            self.advance();
            let target = self.target_list()?;
            if !self.eat_kw(Keyword::In) {
                return Err(self.expected("`in` after the loop variable of the comprehension"));
            }
            let iter = self.operators(L_OR)?;
            let mut conditions = Vec::new();
            while self.eat_kw(Keyword::If) {
                conditions.push(self.operators(L_OR)?);
            }
            clauses.push(CompFor {
                target,
                iter,
                conditions,
            });
        }
        let element = Box::new(element);
        let kind = if list {
            ExprKind::ListComp { element, clauses }
        } else {
            ExprKind::Generator { element, clauses }
        };
        Ok(Expr::new(kind, self.since(start)))
    }
}
