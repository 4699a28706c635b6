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

mod atoms;
mod compound;
mod expressions;
mod statements;

use super::ast::*;
use super::error::{ErrorKind, LangError};
use super::lexer::tokenize;
use super::token::{Keyword, Op, Token, TokenKind};
use super::MAX_NESTING;

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
}
