//! Atoms, the tightest-binding expressions: names, numbers, `True` / `False` / `None` /
//! `...`, adjacent string literals and f-strings (whose fields are lexed and parsed as embedded
//! expressions at their place in the source), parenthesised expressions, tuples and generator
//! expressions, list displays and comprehensions, and dict displays.

use super::{unsupported, PResult, Parser};
use crate::lang::ast::*;
use crate::lang::error::LangError;
use crate::lang::lexer::tokenize_embedded;
use crate::lang::token::{Keyword, Op, RawFStringPart, TokenKind};

impl Parser {
    pub(super) fn atom(&mut self) -> PResult<Expr> {
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
