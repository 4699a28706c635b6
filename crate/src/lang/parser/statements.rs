//! Statements that fit on one line, and the program and statement-line loop around them:
//! expression statements, assignments (plain, chained, augmented, annotated) and their target
//! checks, `return`, `pass`, `break`, `continue`, `assert`, `del`, `import` and `from ...
//! import`; also the dispatch from a statement's first keyword to its parser and the error for
//! a line that does not end where a statement should.

use super::{compound_name, starts_expression, unsupported, PResult, Parser, TargetContext, L_BOR};
use crate::lang::ast::*;
use crate::lang::error::{ErrorKind, LangError};
use crate::lang::token::{Keyword, Op, TokenKind};

fn augmented_op(kind: &TokenKind) -> Option<BinOp> {
    let TokenKind::Op(op) = kind else {
        return None;
    };
    Some(match op {
        Op::PlusEq => BinOp::Add,
        Op::MinusEq => BinOp::Sub,
        Op::StarEq => BinOp::Mul,
        Op::SlashEq => BinOp::Div,
        Op::DoubleSlashEq => BinOp::FloorDiv,
        Op::PercentEq => BinOp::Mod,
        Op::DoubleStarEq => BinOp::Pow,
        Op::AtEq => BinOp::MatMul,
        Op::PipeEq => BinOp::BitOr,
        Op::AmpEq => BinOp::BitAnd,
        Op::CaretEq => BinOp::BitXor,
        Op::LShiftEq => BinOp::LShift,
        Op::RShiftEq => BinOp::RShift,
        _ => return None,
    })
}

impl Parser {
    pub(super) fn program(&mut self) -> PResult<Program> {
        let mut body = Vec::new();
        loop {
            match self.kind() {
                TokenKind::Eof => break,
                TokenKind::Newline => {
                    self.advance();
                }
                _ => self.statement(&mut body)?,
            }
        }
        Ok(Program { body })
    }

    /// Parses one statement line (several with `;`) or one compound statement into `out`.
    pub(super) fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let span = self.span();
        let TokenKind::Keyword(kw) = self.kind() else {
            return match self.kind() {
                TokenKind::Indent => Err(LangError::new(
                    ErrorKind::Indentation,
                    "unexpected indent: this line is indented more than the one before it, but \
                     only a line ending with ':' starts an indented block",
                    span,
                )),
                TokenKind::Dedent => Err(LangError::new(
                    ErrorKind::Indentation,
                    "unexpected unindent",
                    span,
                )),
                TokenKind::Op(Op::At) => Err(unsupported(
                    "decorators (`@...` before a `def` or `class`) are not part of the lab \
                     language: call the function directly; for `@torch.no_grad()`, put the body \
                     of the function in `with torch.no_grad():`",
                    span,
                )),
                _ => self.simple_statements(out),
            };
        };
        let stmt = match kw {
            Keyword::If => self.if_statement()?,
            Keyword::For => self.for_statement()?,
            Keyword::While => self.while_statement()?,
            Keyword::Def => self.def_statement()?,
            Keyword::Class => self.class_statement()?,
            Keyword::With => self.with_statement()?,
            Keyword::Try | Keyword::Except | Keyword::Finally => {
                return Err(unsupported(
                    format!(
                        "`{}` is not part of the lab language (there is no `try` / `except`): an \
                         error stops the cell and shows its line; check values beforehand with \
                         `if` or `assert` instead",
                        kw.text()
                    ),
                    span,
                ))
            }
            Keyword::Async => {
                return Err(unsupported(
                    "`async` is not part of the lab language: write a plain `def`, `for` or \
                     `with`",
                    span,
                ))
            }
            Keyword::Elif | Keyword::Else => {
                return Err(self.error_here(format!(
                    "unexpected `{}`: it must follow an `if` block and start at the same \
                     indentation as that `if`",
                    kw.text()
                )))
            }
            _ => return self.simple_statements(out),
        };
        out.push(stmt);
        Ok(())
    }

    /// `simple (; simple)* [;] NEWLINE`.
    pub(super) fn simple_statements(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let stmt = self.simple_statement()?;
            out.push(stmt);
            if self.eat_op(Op::Semicolon) {
                if self.at(&TokenKind::Newline) || self.at(&TokenKind::Eof) {
                    break;
                }
                if let Some(name) = compound_name(self.kind()) {
                    return Err(self.error_here(format!(
                        "a `{name}` statement cannot follow ';': start it on a new line"
                    )));
                }
                continue;
            }
            break;
        }
        if self.eat(TokenKind::Newline) || self.at(&TokenKind::Eof) {
            return Ok(());
        }
        Err(self.end_of_statement_error(out.last()))
    }

    fn end_of_statement_error(&self, last: Option<&Stmt>) -> LangError {
        if let Some(Stmt {
            kind:
                StmtKind::Expr(Expr {
                    kind: ExprKind::Name(name),
                    ..
                }),
            ..
        }) = last
        {
            if name == "print" && starts_expression(self.kind()) {
                return self.error_here(
                    "`print` is a function: write print(...) with parentheses around what to \
                     print",
                );
            }
        }
        if let Some(Stmt {
            kind:
                StmtKind::Expr(Expr {
                    kind: ExprKind::Name(name),
                    ..
                }),
            span,
        }) = last
        {
            let lower = name.to_lowercase();
            if lower != *name && Keyword::from_name(&lower).is_some() {
                return LangError::syntax(
                    format!(
                        "`{name}` is not a keyword: Python's keywords are lower case, write \
                         `{lower}`"
                    ),
                    *span,
                );
            }
        }
        if self.at_op(Op::Colon) {
            return self.error_here(
                "unexpected ':': only a line that starts with `if`, `elif`, `else`, `for`, \
                 `while`, `def`, `class` or `with` ends with ':' (check the spelling of the \
                 keyword)",
            );
        }
        if let Some(name) = compound_name(self.kind()) {
            return self.error_here(format!("a `{name}` statement must start on its own line"));
        }
        self.expected_separator("the end of the line after the statement")
    }

    fn simple_statement(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let kind = match self.kind() {
            TokenKind::Keyword(Keyword::Pass) => {
                self.advance();
                StmtKind::Pass
            }
            TokenKind::Keyword(kw @ (Keyword::Break | Keyword::Continue)) => {
                let kw = *kw;
                if self.loop_depth == 0 {
                    return Err(self.error_here(format!(
                        "`{}` outside a loop: it can only stand inside a `for` or `while` block",
                        kw.text()
                    )));
                }
                self.advance();
                if kw == Keyword::Break {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            TokenKind::Keyword(Keyword::Return) => {
                if !self.in_function {
                    return Err(self.error_here(
                        "`return` outside a function: it can only stand inside a `def`",
                    ));
                }
                self.advance();
                let value = if starts_expression(self.kind()) {
                    Some(self.expr_list()?)
                } else {
                    None
                };
                StmtKind::Return(value)
            }
            TokenKind::Keyword(Keyword::Del) => {
                self.advance();
                let mut targets = Vec::new();
                loop {
                    let target = self.operators(L_BOR)?;
                    self.check_target(&target, TargetContext::Delete)?;
                    targets.push(target);
                    if !self.eat_op(Op::Comma) || !starts_expression(self.kind()) {
                        break;
                    }
                }
                StmtKind::Del(targets)
            }
            TokenKind::Keyword(Keyword::Assert) => {
                self.advance();
                let test = self.expr()?;
                let msg = if self.eat_op(Op::Comma) {
                    Some(self.expr()?)
                } else {
                    None
                };
                StmtKind::Assert { test, msg }
            }
            TokenKind::Keyword(Keyword::Import) => self.import()?,
            TokenKind::Keyword(Keyword::From) => self.import_from()?,
            TokenKind::Keyword(Keyword::Raise) => {
                return Err(unsupported(
                    "`raise` is not part of the lab language: use `assert condition, \
                     \"message\"` to stop with an error",
                    start,
                ))
            }
            TokenKind::Keyword(kw @ (Keyword::Global | Keyword::Nonlocal)) => {
                return Err(unsupported(
                    format!(
                        "`{}` is not part of the lab language: return the value from the \
                         function and assign it where you call it",
                        kw.text()
                    ),
                    start,
                ))
            }
            _ => self.expression_statement()?,
        };
        Ok(Stmt::new(kind, self.since(start)))
    }

    /// An expression statement, an assignment (also chained, augmented or annotated).
    fn expression_statement(&mut self) -> PResult<StmtKind> {
        let first = self.expr_list()?;
        if self.at_op(Op::Assign) {
            let mut targets = vec![first];
            loop {
                self.advance();
                let next = self.expr_list()?;
                if self.at_op(Op::Assign) {
                    targets.push(next);
                } else {
                    for target in &targets {
                        self.check_target(target, TargetContext::Assign)?;
                    }
                    return Ok(StmtKind::Assign {
                        targets,
                        value: next,
                    });
                }
            }
        }
        if let Some(op) = augmented_op(self.kind()) {
            self.check_target(&first, TargetContext::AugAssign(op))?;
            self.advance();
            let value = self.expr_list()?;
            return Ok(StmtKind::AugAssign {
                target: first,
                op,
                value,
            });
        }
        if self.at_op(Op::Colon)
            && matches!(
                first.kind,
                ExprKind::Name(_)
                    | ExprKind::Attribute { .. }
                    | ExprKind::Subscript { .. }
                    | ExprKind::Tuple(_)
                    | ExprKind::List(_)
            )
        {
            self.check_target(&first, TargetContext::Annotated)?;
            self.advance();
            let annotation = self.expr()?;
            let value = if self.eat_op(Op::Assign) {
                Some(self.expr_list()?)
            } else {
                None
            };
            return Ok(StmtKind::AnnAssign {
                target: first,
                annotation,
                value,
            });
        }
        Ok(StmtKind::Expr(first))
    }

    pub(super) fn check_target(&self, target: &Expr, context: TargetContext) -> PResult<()> {
        let allows_tuple = !matches!(
            context,
            TargetContext::AugAssign(_) | TargetContext::Annotated
        );
        let what = match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {
                return Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) if allows_tuple => {
                for item in items {
                    self.check_target(item, context)?;
                }
                return Ok(());
            }
            ExprKind::Tuple(_) | ExprKind::List(_) => target.describe().to_string(),
            _ => {
                let text = crate::lang::unparse::expr_to_string(target);
                let shown: String = text.chars().take(40).collect();
                let ellipsis = if shown.len() < text.len() { "..." } else { "" };
                format!("{} (`{shown}{ellipsis}`)", target.describe())
            }
        };
        let message = match context {
            TargetContext::Assign => format!(
                "cannot assign to {what}: the left side of '=' must be a name, an element \
                 `a[i]`, an attribute `obj.x`, or a tuple of those{}",
                if matches!(target.kind, ExprKind::Compare { .. }) {
                    " (to compare two values, use '==')"
                } else {
                    ""
                }
            ),
            TargetContext::AugAssign(op) => format!(
                "cannot use `{}=` on {what}: its target must be a single name, element `a[i]` \
                 or attribute `obj.x`",
                op.symbol()
            ),
            TargetContext::Annotated => format!(
                "cannot annotate {what}: only a single name, element or attribute can have a \
                 type annotation"
            ),
            TargetContext::Loop => format!(
                "the loop variable cannot be {what}: after `for` write a name or names, as in \
                 `for i, x in enumerate(xs):`"
            ),
            TargetContext::Delete => format!(
                "cannot delete {what}: `del` takes names, elements `a[i]` or attributes `obj.x`"
            ),
            TargetContext::WithAs => format!(
                "cannot assign to {what} after `as`: write a name, as in `with open(p) as f:`"
            ),
        };
        Err(LangError::syntax(message, target.span))
    }

    fn dotted_name(&mut self) -> PResult<DottedName> {
        let start = self.span();
        let mut parts = vec![self.name("a module name")?];
        while self.eat_op(Op::Dot) {
            parts.push(self.name("a name after '.'")?);
        }
        Ok(DottedName {
            parts,
            span: self.since(start),
        })
    }

    fn alias(&mut self) -> PResult<Option<Ident>> {
        if self.eat_kw(Keyword::As) {
            Ok(Some(self.name("a name after `as`")?))
        } else {
            Ok(None)
        }
    }

    fn import(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut aliases = Vec::new();
        loop {
            let module = self.dotted_name()?;
            let alias = self.alias()?;
            aliases.push(ImportAlias { module, alias });
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        Ok(StmtKind::Import(aliases))
    }

    fn import_from(&mut self) -> PResult<StmtKind> {
        self.advance();
        if self.at_op(Op::Dot) || self.at_op(Op::Ellipsis) {
            return Err(unsupported(
                "relative imports (`from . import x`) are not part of the lab language: import \
                 the module by its full name",
                self.span(),
            ));
        }
        let module = self.dotted_name()?;
        if !self.eat_kw(Keyword::Import) {
            return Err(self.expected(&format!("`import` after `from {}`", module.dotted())));
        }
        if self.at_op(Op::Star) {
            return Err(unsupported(
                format!(
                    "`from {0} import *` is not part of the lab language: import the names you \
                     use, as in `from {0} import a, b`",
                    module.dotted()
                ),
                self.span(),
            ));
        }
        let open = if self.at_op(Op::LParen) {
            Some(self.advance())
        } else {
            None
        };
        let mut names = Vec::new();
        loop {
            let name = self.name("a name to import")?;
            let alias = self.alias()?;
            names.push(ImportName { name, alias });
            if !self.eat_op(Op::Comma) {
                break;
            }
            if open.is_some() && self.at_op(Op::RParen) {
                break;
            }
            if open.is_none() && !matches!(self.kind(), TokenKind::Name(_)) {
                return Err(self.error_here(
                    "trailing comma not allowed in an import without parentheses: remove it, or \
                     put the names in parentheses",
                ));
            }
        }
        if let Some(open) = open {
            self.close(Op::RParen, open)?;
        }
        Ok(StmtKind::ImportFrom { module, names })
    }
}
