//! The parser: tokens to a [`Program`], by recursive descent with Python's grammar and
//! precedence.
//!
//! Precedence, loosest first: `a if c else b`; `or`; `and`; `not`; comparisons (`<`, `==`,
//! `in`, `not in`, `is`, `is not`, chained); `|`; `^`; `&`; `<<` `>>`; `+` `-`;
//! `*` `/` `//` `%` `@`; unary `-` `+` `~`; `**` (right-associative, and binding tighter than a
//! unary minus on its left: `-x**2` is `-(x**2)`, `2**-1` is `2**(-1)`); then attribute access,
//! calls and subscripts; then atoms.
//!
//! Nesting is bounded: every bracket, unary operator, `**`, chained binary operator, trailer
//! (`.x`, `(...)`, `[...]`), conditional expression and block counts one level, and more than
//! [`MAX_NESTING`] levels is an [`ErrorKind::TooDeep`] error. This bounds both the parser's
//! recursion and the depth of the tree it returns, so later passes can recurse over the tree.

use super::ast::*;
use super::error::{ErrorKind, LangError};
use super::lexer::{tokenize, tokenize_embedded};
use super::token::{Keyword, Op, RawFStringPart, Token, TokenKind};
use super::MAX_NESTING;
use std::sync::Arc;

type PResult<T> = Result<T, LangError>;

/// Parses a cell or file of lab-language source.
///
/// ```
/// let program = flowlab::lang::parse("x_t = (1 - t) * x_0 + t * x_1\n").unwrap();
/// assert_eq!(program.body.len(), 1);
/// ```
pub fn parse(source: &str) -> Result<Program, LangError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser::new(tokens);
    parser.program()
}

/// Parses a single expression (a comma-separated list gives a tuple), such as a cell's check.
pub fn parse_expression(source: &str) -> Result<Expr, LangError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser::new(tokens);
    let expr = parser.expr_list()?;
    parser.eat(TokenKind::Newline);
    if !parser.at(&TokenKind::Eof) {
        return Err(parser.error_here(format!(
            "expected the end of the expression, found {}",
            parser.found()
        )));
    }
    Ok(expr)
}

static EOF: Token = Token {
    kind: TokenKind::Eof,
    span: Span::new(1, 1, 1, 1),
};

/// Where an assignment-like target appears, for its error message.
#[derive(Clone, Copy)]
enum TargetContext {
    Assign,
    AugAssign(BinOp),
    Annotated,
    Loop,
    Delete,
    WithAs,
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Current nesting level (see the module docs).
    depth: usize,
    /// Inside a `def` (where `return` is allowed).
    in_function: bool,
    /// Loops open in the current function (where `break` and `continue` are allowed).
    loop_depth: usize,
    /// Where the last consumed token ends.
    last_end: (u32, u32),
}

fn unsupported(message: impl Into<String>, span: Span) -> LangError {
    LangError::new(ErrorKind::Unsupported, message, span)
}

// Binding levels of the operators, loosest first (the conditional expression sits below
// them all, in `Parser::expr`).
const L_OR: u8 = 1;
const L_AND: u8 = 2;
const L_NOT: u8 = 3;
const L_CMP: u8 = 4;
const L_BOR: u8 = 5;
const L_UNARY: u8 = 11;

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

/// Whether a token can start an expression.
fn starts_expression(kind: &TokenKind) -> bool {
    match kind {
        TokenKind::Name(_)
        | TokenKind::Int(_)
        | TokenKind::Float(_)
        | TokenKind::Str(_)
        | TokenKind::FString(_) => true,
        TokenKind::Keyword(k) => matches!(
            k,
            Keyword::True
                | Keyword::False
                | Keyword::None
                | Keyword::Not
                | Keyword::Lambda
                | Keyword::Await
                | Keyword::Yield
        ),
        TokenKind::Op(op) => matches!(
            op,
            Op::LParen
                | Op::LBracket
                | Op::LBrace
                | Op::Minus
                | Op::Plus
                | Op::Tilde
                | Op::Ellipsis
                | Op::Star
        ),
        _ => false,
    }
}

/// The statements that take a block, by keyword.
fn compound_name(kind: &TokenKind) -> Option<&'static str> {
    match kind {
        TokenKind::Keyword(
            k @ (Keyword::If
            | Keyword::For
            | Keyword::While
            | Keyword::Def
            | Keyword::Class
            | Keyword::With),
        ) => Some(k.text()),
        _ => None,
    }
}

impl Parser {
    fn new(tokens: Vec<Token>) -> Parser {
        Parser {
            tokens,
            pos: 0,
            depth: 0,
            in_function: false,
            loop_depth: 0,
            last_end: (1, 1),
        }
    }

    // ----- token access -----

    fn tok(&self) -> &Token {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .unwrap_or(&EOF)
    }

    fn kind(&self) -> &TokenKind {
        &self.tok().kind
    }

    fn peek_kind(&self, ahead: usize) -> &TokenKind {
        self.tokens
            .get(self.pos.saturating_add(ahead))
            .or(self.tokens.last())
            .map_or(&TokenKind::Eof, |t| &t.kind)
    }

    fn span(&self) -> Span {
        self.tok().span
    }

    fn advance(&mut self) -> Span {
        let span = self.span();
        let layout = matches!(
            self.kind(),
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent | TokenKind::Eof
        );
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        // spans end at the last real token, not at the end of a line or block
        if !layout {
            self.last_end = (span.end_line, span.end_column);
        }
        span
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.kind() == kind
    }

    fn at_op(&self, op: Op) -> bool {
        matches!(self.kind(), TokenKind::Op(o) if *o == op)
    }

    fn at_kw(&self, kw: Keyword) -> bool {
        matches!(self.kind(), TokenKind::Keyword(k) if *k == kw)
    }

    fn eat(&mut self, kind: TokenKind) -> bool {
        if self.at(&kind) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn eat_op(&mut self, op: Op) -> bool {
        if self.at_op(op) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: Keyword) -> bool {
        if self.at_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// From the start of `start` to the end of the last consumed token.
    fn since(&self, start: Span) -> Span {
        Span::new(start.line, start.column, self.last_end.0, self.last_end.1)
    }

    fn found(&self) -> String {
        self.kind().describe()
    }

    fn error_here(&self, message: impl Into<String>) -> LangError {
        LangError::syntax(message, self.span())
    }

    /// "expected X, found Y".
    fn expected(&self, what: &str) -> LangError {
        self.error_here(format!("expected {what}, found {}", self.found()))
    }

    /// "expected X, found Y", with a hint when Y is an operand, which suggests a missing comma
    /// or operator between two operands.
    fn expected_separator(&self, what: &str) -> LangError {
        let mut message = format!("expected {what}, found {}", self.found());
        if matches!(
            self.kind(),
            TokenKind::Name(_)
                | TokenKind::Int(_)
                | TokenKind::Float(_)
                | TokenKind::Str(_)
                | TokenKind::FString(_)
        ) {
            message.push_str(" (is a comma or an operator missing?)");
        }
        self.error_here(message)
    }

    fn expect_op(&mut self, op: Op, what: &str) -> PResult<Span> {
        if self.at_op(op) {
            Ok(self.advance())
        } else {
            Err(self.expected(what))
        }
    }

    /// Expects the closing bracket of the one opened at `open`.
    fn close(&mut self, op: Op, open: Span) -> PResult<Span> {
        let opening = match op {
            Op::RParen => '(',
            Op::RBracket => '[',
            _ => '{',
        };
        if self.at_op(op) {
            return Ok(self.advance());
        }
        Err(self.expected_separator(&format!(
            "'{}' to close the '{opening}' at {open}",
            op.text()
        )))
    }

    fn name(&mut self, what: &str) -> PResult<Ident> {
        match self.kind() {
            TokenKind::Name(name) => {
                let name = name.clone();
                let span = self.advance();
                Ok(Ident { name, span })
            }
            TokenKind::Keyword(k) => Err(self.error_here(format!(
                "expected {what}, found the keyword `{}`, which cannot be used as a name",
                k.text()
            ))),
            _ => Err(self.expected(what)),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(LangError::new(
                ErrorKind::TooDeep,
                format!(
                    "too deeply nested (more than {MAX_NESTING} levels of brackets, operators or \
                     blocks): split it into steps with intermediate variables"
                ),
                self.span(),
            ));
        }
        Ok(())
    }

    fn leave(&mut self, levels: usize) {
        self.depth = self.depth.saturating_sub(levels);
    }

    // ----- statements -----

    fn program(&mut self) -> PResult<Program> {
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
    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
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
    fn simple_statements(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
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

    fn check_target(&self, target: &Expr, context: TargetContext) -> PResult<()> {
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
                let text = super::unparse::expr_to_string(target);
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

    fn if_statement(&mut self) -> PResult<Stmt> {
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
    fn target_list(&mut self) -> PResult<Expr> {
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

    fn for_statement(&mut self) -> PResult<Stmt> {
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

    fn while_statement(&mut self) -> PResult<Stmt> {
        let start = self.advance();
        let test = self.expr()?;
        self.header_colon("the `while` condition")?;
        self.loop_depth += 1;
        let body = self.block("the `while` statement", start)?;
        self.loop_depth -= 1;
        self.reject_loop_else("while")?;
        Ok(Stmt::new(StmtKind::While { test, body }, self.since(start)))
    }

    fn def_statement(&mut self) -> PResult<Stmt> {
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

    fn class_statement(&mut self) -> PResult<Stmt> {
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

    fn with_statement(&mut self) -> PResult<Stmt> {
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

    // ----- expressions -----

    /// `expr (, expr)* [,]`: a tuple when there is a comma.
    fn expr_list(&mut self) -> PResult<Expr> {
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
    fn expr(&mut self) -> PResult<Expr> {
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
    fn operators(&mut self, min: u8) -> PResult<Expr> {
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
    fn comprehension(&mut self, element: Expr, list: bool) -> PResult<Expr> {
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

    fn atom(&mut self) -> PResult<Expr> {
        let span = self.span();
        let kind =
            match self.kind() {
                TokenKind::Name(name) => ExprKind::Name(name.clone()),
                TokenKind::Int(v) => ExprKind::Int(*v),
                TokenKind::Float(v) => ExprKind::Float(*v),
                TokenKind::Str(_) | TokenKind::FString(_) => return self.strings(),
                TokenKind::Keyword(Keyword::True) => ExprKind::Bool(true),
                TokenKind::Keyword(Keyword::False) => ExprKind::Bool(false),
                TokenKind::Keyword(Keyword::None) => ExprKind::None,
                TokenKind::Op(Op::Ellipsis) => ExprKind::Ellipsis,
                TokenKind::Op(Op::LParen) => return self.parenthesized(),
                TokenKind::Op(Op::LBracket) => return self.list(),
                TokenKind::Op(Op::LBrace) => return self.dict(),
                TokenKind::Keyword(Keyword::Lambda) => {
                    return Err(unsupported(
                        "`lambda` is not part of the lab language: define a function with `def \
                     name(args):` and `return`, and use its name",
                        span,
                    ))
                }
                TokenKind::Keyword(Keyword::Yield) => return Err(unsupported(
                    "`yield` (generator functions) is not part of the lab language: build a list \
                     and return it",
                    span,
                )),
                TokenKind::Keyword(Keyword::Await) => {
                    return Err(unsupported(
                        "`await` is not part of the lab language: call the function directly",
                        span,
                    ))
                }
                TokenKind::Op(Op::Star) => {
                    return Err(unsupported(
                        "starred expressions (`*x`) are only allowed as call arguments, as in \
                     f(*x); to unpack into names, list them all: `a, b = pair`",
                        span,
                    ))
                }
                _ => return Err(self.expected_expression()),
            };
        self.advance();
        Ok(Expr::new(kind, span))
    }

    fn expected_expression(&self) -> LangError {
        let previous = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map(|t| &t.kind);
        match previous {
            Some(prev @ (TokenKind::Op(_) | TokenKind::Keyword(_))) => self.error_here(format!(
                "expected an expression after '{}', found {}",
                prev.text(),
                self.found()
            )),
            _ => self.error_here(format!("expected an expression, found {}", self.found())),
        }
    }

    /// Adjacent string and f-string literals, joined.
    fn strings(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut parts: Vec<FStringPart> = Vec::new();
        let mut formatted = false;
        loop {
            let raw = match self.tokens.get_mut(self.pos).map(|t| &mut t.kind) {
                Some(TokenKind::Str(s)) => vec![RawFStringPart::Literal(std::mem::take(s))],
                Some(TokenKind::FString(p)) => {
                    formatted = true;
                    std::mem::take(p)
                }
                _ => break,
            };
            self.advance();
            for part in raw {
                self.fstring_part(part, &mut parts)?;
            }
        }
        let span = self.since(start);
        if formatted {
            return Ok(Expr::new(ExprKind::FString(parts), span));
        }
        let text = match parts.pop() {
            Some(FStringPart::Literal(text)) => text,
            _ => String::new(),
        };
        Ok(Expr::new(ExprKind::Str(text), span))
    }

    fn fstring_part(&mut self, raw: RawFStringPart, out: &mut Vec<FStringPart>) -> PResult<()> {
        let push_literal = |out: &mut Vec<FStringPart>, text: String| {
            if let Some(FStringPart::Literal(last)) = out.last_mut() {
                last.push_str(&text);
            } else {
                out.push(FStringPart::Literal(text));
            }
        };
        match raw {
            RawFStringPart::Literal(text) => push_literal(out, text),
            RawFStringPart::Field {
                source,
                line,
                column,
                mut conversion,
                spec,
                debug_text,
            } => {
                let value = self.embedded(&source, line, column)?;
                let mut spec_parts = Vec::new();
                for part in spec {
                    self.fstring_part(part, &mut spec_parts)?;
                }
                if let Some(text) = debug_text {
                    push_literal(out, text);
                    if conversion.is_none() && spec_parts.is_empty() {
                        conversion = Some(Conversion::Repr);
                    }
                }
                out.push(FStringPart::Field {
                    value,
                    conversion,
                    spec: spec_parts,
                });
            }
        }
        Ok(())
    }

    /// Parses an f-string field's expression with this parser's nesting level.
    fn embedded(&mut self, source: &str, line: u32, column: u32) -> PResult<Expr> {
        let tokens = tokenize_embedded(source, line, column)?;
        let saved_tokens = std::mem::replace(&mut self.tokens, tokens);
        let saved_pos = std::mem::replace(&mut self.pos, 0);
        let saved_end = self.last_end;
        let result = self.embedded_expression().map_err(|mut e| {
            e.message = e
                .message
                .replace("the end of the code", "the end of the f-string field");
            e
        });
        self.tokens = saved_tokens;
        self.pos = saved_pos;
        self.last_end = saved_end;
        result
    }

    fn embedded_expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let expr = self.expr_list()?;
        self.leave(1);
        if !self.at(&TokenKind::Eof) {
            return Err(self.expected_separator("'}' after the f-string field's expression"));
        }
        Ok(expr)
    }

    /// `()`, `(x)`, `(x,)`, `(x, y)`, `(x for x in xs)`.
    fn parenthesized(&mut self) -> PResult<Expr> {
        let open = self.advance();
        if self.at_op(Op::RParen) {
            self.advance();
            return Ok(Expr::new(ExprKind::Tuple(Vec::new()), self.since(open)));
        }
        let first = self.expr()?;
        let result = if self.at_kw(Keyword::For) {
            let generator = self.comprehension(first, false)?;
            self.close(Op::RParen, open)?;
            Expr::new(generator.kind, self.since(open))
        } else if self.at_op(Op::Comma) {
            let mut items = vec![first];
            while self.eat_op(Op::Comma) {
                if self.at_op(Op::RParen) {
                    break;
                }
                items.push(self.expr()?);
            }
            self.close(Op::RParen, open)?;
            Expr::new(ExprKind::Tuple(items), self.since(open))
        } else {
            self.close(Op::RParen, open)?;
            first
        };
        Ok(result)
    }

    /// `[]`, `[a, b]`, `[x for x in xs]`.
    fn list(&mut self) -> PResult<Expr> {
        let open = self.advance();
        let mut items = Vec::new();
        if !self.at_op(Op::RBracket) {
            let first = self.expr()?;
            if self.at_kw(Keyword::For) {
                let comp = self.comprehension(first, true)?;
                self.close(Op::RBracket, open)?;
                return Ok(Expr::new(comp.kind, self.since(open)));
            }
            items.push(first);
            while self.eat_op(Op::Comma) {
                if self.at_op(Op::RBracket) {
                    break;
                }
                items.push(self.expr()?);
            }
        }
        self.close(Op::RBracket, open)?;
        Ok(Expr::new(ExprKind::List(items), self.since(open)))
    }

    /// `{}`, `{key: value, ...}`; sets and comprehensions are rejected.
    fn dict(&mut self) -> PResult<Expr> {
        let open = self.advance();
        let mut pairs = Vec::new();
        while !self.at_op(Op::RBrace) {
            if self.at_op(Op::DoubleStar) {
                return Err(unsupported(
                    "`**` inside a dict literal is not part of the lab language: copy the dict \
                     and assign its new keys one by one",
                    self.span(),
                ));
            }
            let key = self.expr()?;
            if pairs.is_empty() && (self.at_op(Op::Comma) || self.at_op(Op::RBrace)) {
                return Err(unsupported(
                    "set literals `{a, b}` are not part of the lab language: use a list `[a, b]`",
                    open,
                ));
            }
            if self.at_kw(Keyword::For) {
                return Err(unsupported(
                    "set comprehensions are not part of the lab language: use a list \
                     comprehension `[x for x in xs]`",
                    open,
                ));
            }
            self.expect_op(Op::Colon, "':' after the dict key")?;
            let value = self.expr()?;
            if self.at_kw(Keyword::For) {
                return Err(unsupported(
                    "dict comprehensions are not part of the lab language: build the dict in a \
                     `for` loop",
                    open,
                ));
            }
            pairs.push((key, value));
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        self.close(Op::RBrace, open)?;
        Ok(Expr::new(ExprKind::Dict(pairs), self.since(open)))
    }
}
