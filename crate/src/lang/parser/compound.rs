//! Compound statements, the ones that take an indented block: the header colon and the block
//! itself, `if` / `elif` / `else`, `for` (with its target list), `while`, `def` with its
//! parameter list and annotations, `class` and `with`.

use super::{compound_name, starts_expression, unsupported, PResult, Parser, TargetContext, L_BOR};
use crate::lang::ast::*;
use crate::lang::error::{ErrorKind, LangError};
use crate::lang::token::{Keyword, Op, TokenKind};
use std::sync::Arc;

impl Parser {
    /// Expects the ':' that ends a compound statement's header.
    fn header_colon(&mut self, after: &str) -> PResult<()> {
        if self.eat_op(Op::Colon) {
            return Ok(());
        }
        let mut message = format!("expected ':' after {after}, found {}", self.found());
        if self.at_op(Op::Assign) {
            message.push_str(" (to compare two values, use '==')");
        }
        Err(self.error_here(message))
    }

    /// The block after a header's ':': an indented block on the next lines, or simple
    /// statements on the same line.
    fn block(&mut self, what: &str, header: Span) -> PResult<Vec<Stmt>> {
        self.enter()?;
        let mut body = Vec::new();
        if self.eat(TokenKind::Newline) || self.at(&TokenKind::Eof) {
            if !self.eat(TokenKind::Indent) {
                return Err(LangError::new(
                    ErrorKind::Indentation,
                    format!(
                        "expected an indented block after {what} on line {}: indent the lines \
                         of the block (4 spaces more than the line ending with ':'), or write \
                         `pass` for an empty block",
                        header.line
                    ),
                    self.span(),
                ));
            }
            while !self.at(&TokenKind::Dedent) && !self.at(&TokenKind::Eof) {
                self.statement(&mut body)?;
            }
            self.eat(TokenKind::Dedent);
        } else {
            if let Some(name) = compound_name(self.kind()) {
                return Err(self.error_here(format!(
                    "a `{name}` statement cannot follow ':' on the same line: start it on a new, \
                     indented line"
                )));
            }
            self.simple_statements(&mut body)?;
        }
        self.leave(1);
        Ok(body)
    }

    pub(super) fn if_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let mut branches = Vec::new();
        let test = self.expr()?;
        self.header_colon("the `if` condition")?;
        let body = self.block("the `if` statement", start)?;
        branches.push(Branch {
            test,
            body,
            span: self.since(start),
        });
        while self.at_kw(Keyword::Elif) {
            let elif = self.advance();
            let test = self.expr()?;
            self.header_colon("the `elif` condition")?;
            let body = self.block("the `elif` clause", elif)?;
            branches.push(Branch {
                test,
                body,
                span: self.since(elif),
            });
        }
        let mut orelse = Vec::new();
        if self.at_kw(Keyword::Else) {
            let else_span = self.advance();
            self.header_colon("`else`")?;
            orelse = self.block("the `else` clause", else_span)?;
        }
        Ok(Stmt::new(
            StmtKind::If { branches, orelse },
            self.since(start),
        ))
    }

    fn reject_loop_else(&self, loop_kw: &str) -> PResult<()> {
        if self.at_kw(Keyword::Else) {
            return Err(unsupported(
                format!(
                    "`else` after a `{loop_kw}` loop is not part of the lab language: set a flag \
                     variable inside the loop and test it after the loop with `if`"
                ),
                self.span(),
            ));
        }
        Ok(())
    }

    /// Comma-separated assignment targets up to `in` (`i`, `i, x`, `(a, b), c`).
    pub(super) fn target_list(&mut self) -> PResult<Expr> {
        let start = self.span();
        let first = self.operators(L_BOR)?;
        if !self.at_op(Op::Comma) {
            self.check_target(&first, TargetContext::Loop)?;
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(Op::Comma) {
            if !starts_expression(self.kind()) {
                break;
            }
            items.push(self.operators(L_BOR)?);
        }
        let target = Expr::new(ExprKind::Tuple(items), self.since(start));
        self.check_target(&target, TargetContext::Loop)?;
        Ok(target)
    }

    pub(super) fn for_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let target = self.target_list()?;
        if !self.eat_kw(Keyword::In) {
            let mut message = format!(
                "expected `in` after the loop variable of the `for` statement, found {}",
                self.found()
            );
            if self.at_op(Op::Assign) {
                message.push_str(" (a Python loop reads `for i in range(n):`)");
            }
            return Err(self.error_here(message));
        }
        let iter = self.expr_list()?;
        self.header_colon("the `for` header")?;
        self.loop_depth += 1;
        let body = self.block("the `for` statement", start)?;
        self.loop_depth -= 1;
        self.reject_loop_else("for")?;
        Ok(Stmt::new(
            StmtKind::For { target, iter, body },
            self.since(start),
        ))
    }

    pub(super) fn while_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let test = self.expr()?;
        self.header_colon("the `while` condition")?;
        self.loop_depth += 1;
        let body = self.block("the `while` statement", start)?;
        self.loop_depth -= 1;
        self.reject_loop_else("while")?;
        Ok(Stmt::new(StmtKind::While { test, body }, self.since(start)))
    }

    pub(super) fn def_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let name = self.name("a function name after `def`")?;
        let open = self.expect_op(
            Op::LParen,
            &format!(
                "'(' after `def {}` (a definition reads `def f(x):`)",
                name.name
            ),
        )?;
        let params = self.parameters(&name.name, open)?;
        let returns = if self.eat_op(Op::Arrow) {
            Some(self.expr()?)
        } else {
            None
        };
        self.header_colon(&format!("`def {}(...)`", name.name))?;
        let saved = (self.in_function, self.loop_depth);
        (self.in_function, self.loop_depth) = (true, 0);
        let body = self.block(&format!("the definition of `{}`", name.name), start)?;
        (self.in_function, self.loop_depth) = saved;
        let span = self.since(start);
        let def = FunctionDef {
            name,
            params,
            returns,
            body,
            span,
        };
        Ok(Stmt::new(StmtKind::FunctionDef(Arc::new(def)), span))
    }

    /// The parameters of `def name(`, up to and including the `)`.
    fn parameters(&mut self, function: &str, open: Span) -> PResult<Vec<Param>> {
        let mut params: Vec<Param> = Vec::new();
        let mut seen_default = false;
        let mut seen_star = false;
        let mut bare_star: Option<Span> = None;
        loop {
            if self.at_op(Op::RParen) {
                break;
            }
            if let Some(last) = params.last().filter(|p| p.kind == ParamKind::VarKeyword) {
                return Err(self.error_here(format!(
                    "`**{}` must be the last parameter of `{function}`",
                    last.name.name
                )));
            }
            let param = if self.at_op(Op::Star) {
                let star = self.advance();
                if seen_star {
                    return Err(LangError::syntax(
                        format!("`{function}` can have only one `*` or `*args` parameter"),
                        star,
                    ));
                }
                seen_star = true;
                if !matches!(self.kind(), TokenKind::Name(_)) {
                    bare_star = Some(star);
                    None
                } else {
                    let name = self.name("a parameter name after '*'")?;
                    let annotation = self.annotation()?;
                    Some(Param {
                        name,
                        kind: ParamKind::VarPositional,
                        default: None,
                        annotation,
                    })
                }
            } else if self.eat_op(Op::DoubleStar) {
                let name = self.name("a parameter name after '**'")?;
                let annotation = self.annotation()?;
                Some(Param {
                    name,
                    kind: ParamKind::VarKeyword,
                    default: None,
                    annotation,
                })
            } else if self.at_op(Op::Slash) {
                return Err(unsupported(
                    "positional-only parameters (`/`) are not part of the lab language: remove \
                     the `/`",
                    self.span(),
                ));
            } else {
                let name = self.name("a parameter name")?;
                let annotation = self.annotation()?;
                let default = if self.eat_op(Op::Assign) {
                    Some(self.expr()?)
                } else {
                    None
                };
                let kind = if seen_star {
                    ParamKind::KeywordOnly
                } else {
                    ParamKind::Positional
                };
                if kind == ParamKind::Positional {
                    if default.is_some() {
                        seen_default = true;
                    } else if seen_default {
                        return Err(LangError::syntax(
                            format!(
                                "parameter `{0}` without a default follows a parameter with a \
                                 default: give `{0}` a default too, or move it before the \
                                 parameters that have one",
                                name.name
                            ),
                            name.span,
                        ));
                    }
                }
                bare_star = None;
                Some(Param {
                    name,
                    kind,
                    default,
                    annotation,
                })
            };
            if let Some(param) = param {
                if params.iter().any(|p| p.name.name == param.name.name) {
                    return Err(LangError::syntax(
                        format!(
                            "duplicate parameter `{}` in the definition of `{function}`",
                            param.name.name
                        ),
                        param.name.span,
                    ));
                }
                params.push(param);
            }
            if !self.eat_op(Op::Comma) && !self.at_op(Op::RParen) {
                return Err(self.expected_separator(&format!(
                    "',' or ')' in the parameters of `{function}` (opened at {open})"
                )));
            }
        }
        if let Some(star) = bare_star {
            return Err(LangError::syntax(
                "a bare `*` must be followed by at least one named parameter",
                star,
            ));
        }
        self.advance();
        Ok(params)
    }

    fn annotation(&mut self) -> PResult<Option<Expr>> {
        if self.eat_op(Op::Colon) {
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    pub(super) fn class_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let name = self.name("a class name after `class`")?;
        let mut bases = Vec::new();
        if self.at_op(Op::LParen) {
            let open = self.advance();
            while !self.at_op(Op::RParen) {
                if matches!(self.kind(), TokenKind::Name(_))
                    && matches!(self.peek_kind(1), TokenKind::Op(Op::Assign))
                {
                    return Err(unsupported(
                        "keyword arguments in a class header (`metaclass=...`) are not part of \
                         the lab language",
                        self.span(),
                    ));
                }
                bases.push(self.expr()?);
                if !self.eat_op(Op::Comma) && !self.at_op(Op::RParen) {
                    return Err(self.expected_separator(&format!(
                        "',' or ')' in the base classes of `{}` (opened at {open})",
                        name.name
                    )));
                }
            }
            self.advance();
        }
        self.header_colon(&format!("`class {}`", name.name))?;
        let saved = (self.in_function, self.loop_depth);
        (self.in_function, self.loop_depth) = (false, 0);
        let body = self.block(&format!("the definition of class `{}`", name.name), start)?;
        (self.in_function, self.loop_depth) = saved;
        let span = self.since(start);
        let class = ClassDef {
            name,
            bases,
            body,
            span,
        };
        Ok(Stmt::new(StmtKind::ClassDef(Arc::new(class)), span))
    }

    pub(super) fn with_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let mut items = Vec::new();
        loop {
            let context = self.expr()?;
            let target = if self.eat_kw(Keyword::As) {
                let target = self.operators(L_BOR)?;
                self.check_target(&target, TargetContext::WithAs)?;
                Some(target)
            } else {
                None
            };
            items.push(WithItem { context, target });
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        self.header_colon("the `with` header")?;
        let body = self.block("the `with` statement", start)?;
        Ok(Stmt::new(StmtKind::With { items, body }, self.since(start)))
    }
}
