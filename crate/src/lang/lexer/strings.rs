//! String literals: quotes (single, double, triple), backslash escapes and the `r` prefix, and
//! f-strings, whose literal text, `{expr}` fields, `!r` / `!s` / `!a` conversions, `=` debug
//! markers and (possibly nested) format specs are cut into [`RawFStringPart`]s for the parser;
//! with the errors for unterminated strings and unclosed fields.

use super::Lexer;
use crate::lang::ast::{Conversion, Span};
use crate::lang::error::{ErrorKind, LangError};
use crate::lang::token::{RawFStringPart, TokenKind};
use crate::lang::MAX_NESTING;

/// How a string literal is delimited.
#[derive(Clone, Copy)]
struct Quote {
    ch: char,
    triple: bool,
}

/// Where a nested f-string piece ends.
#[derive(Clone, Copy, PartialEq)]
enum PartsEnd {
    /// At the f-string's closing quote (consumed).
    Quote,
    /// At the `}` that closes a field whose format spec this is (not consumed).
    Brace,
}

impl Lexer {
    /// Lexes a string literal whose prefix (if any) started at `start`; the next character is
    /// the opening quote.
    pub(super) fn string(
        &mut self,
        start: (u32, u32),
        raw: bool,
        fstring: bool,
    ) -> Result<(), LangError> {
        let Some(ch) = self.bump() else {
            return Ok(());
        };
        let triple = self.peek(0) == Some(ch) && self.peek(1) == Some(ch);
        if triple {
            self.bump();
            self.bump();
        }
        let quote = Quote { ch, triple };
        let start_span = Span::point(start.0, start.1);
        if fstring {
            let parts = self.fstring_parts(quote, raw, start_span, PartsEnd::Quote, 0)?;
            let span = self.span_from(start);
            self.push(TokenKind::FString(parts), span);
        } else {
            let mut value = String::new();
            loop {
                match self.peek(0) {
                    None => return Err(unterminated(quote, start_span)),
                    Some('\n') if !triple => return Err(unterminated(quote, start_span)),
                    Some(c) if c == ch && self.closes(quote) => {
                        for _ in 0..if triple { 3 } else { 1 } {
                            self.bump();
                        }
                        break;
                    }
                    Some('\\') => self.escape(raw, &mut value)?,
                    Some(c) => {
                        value.push(c);
                        self.bump();
                    }
                }
            }
            let span = self.span_from(start);
            self.push(TokenKind::Str(value), span);
        }
        Ok(())
    }

    /// Whether the quote character under the cursor closes a string delimited by `quote`.
    fn closes(&self, quote: Quote) -> bool {
        self.peek(0) == Some(quote.ch)
            && (!quote.triple || (self.peek(1) == Some(quote.ch) && self.peek(2) == Some(quote.ch)))
    }

    /// Reads the escape sequence under the cursor (a backslash) into `out`.
    fn escape(&mut self, raw: bool, out: &mut String) -> Result<(), LangError> {
        let span = self.point();
        self.bump();
        let Some(c) = self.peek(0) else {
            out.push('\\');
            return Ok(());
        };
        self.bump();
        if raw {
            out.push('\\');
            out.push(c);
            return Ok(());
        }
        match c {
            '\n' => {}
            '\\' | '\'' | '"' => out.push(c),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut code = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek(0).and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            code = code * 8 + d;
                            self.bump();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let len = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut code = 0u32;
                for _ in 0..len {
                    match self.peek(0).and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            code = code.saturating_mul(16).saturating_add(d);
                            self.bump();
                        }
                        None => {
                            return Err(LangError::syntax(
                                format!(
                                    "invalid escape `\\{c}`: it needs exactly {len} hex digits, \
                                     as in `\\{c}{}`",
                                    "0".repeat(len - 2) + "41"
                                ),
                                span,
                            ))
                        }
                    }
                }
                match char::from_u32(code) {
                    Some(ch) => out.push(ch),
                    None => {
                        return Err(LangError::syntax(
                            format!("invalid escape: {code:#x} is not a Unicode character"),
                            span,
                        ))
                    }
                }
            }
            'N' => {
                return Err(LangError::new(
                    ErrorKind::Unsupported,
                    "named escapes `\\N{...}` are not supported: write the character itself or \
                     `\\u` with its code point",
                    span,
                ))
            }
            other => {
                // Python keeps unknown escapes as written
                out.push('\\');
                out.push(other);
            }
        }
        Ok(())
    }

    /// Reads f-string text and fields up to the closing quote (consumed) or, inside a format
    /// spec, up to the `}` that ends the field (not consumed).
    fn fstring_parts(
        &mut self,
        quote: Quote,
        raw: bool,
        start: Span,
        end: PartsEnd,
        nested: u32,
    ) -> Result<Vec<RawFStringPart>, LangError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            match self.peek(0) {
                None => return Err(unterminated(quote, start)),
                Some('\n') if !quote.triple => return Err(unterminated(quote, start)),
                Some(c) if c == quote.ch && self.closes(quote) => {
                    if end == PartsEnd::Brace {
                        return Err(expecting_brace(start));
                    }
                    for _ in 0..if quote.triple { 3 } else { 1 } {
                        self.bump();
                    }
                    break;
                }
                Some('{') if end == PartsEnd::Quote && self.peek(1) == Some('{') => {
                    self.bump();
                    self.bump();
                    text.push('{');
                }
                Some('{') => {
                    if !text.is_empty() {
                        parts.push(RawFStringPart::Literal(std::mem::take(&mut text)));
                    }
                    let field = self.fstring_field(quote, raw, nested)?;
                    parts.push(field);
                }
                Some('}') if end == PartsEnd::Brace => break,
                Some('}') if self.peek(1) == Some('}') => {
                    self.bump();
                    self.bump();
                    text.push('}');
                }
                Some('}') => {
                    return Err(LangError::syntax(
                        "single '}' is not allowed in an f-string: write '}}' for a literal brace",
                        self.point(),
                    ))
                }
                Some('\\') if end == PartsEnd::Quote => self.escape(raw, &mut text)?,
                Some(c) => {
                    text.push(c);
                    self.bump();
                }
            }
        }
        if !text.is_empty() {
            parts.push(RawFStringPart::Literal(text));
        }
        Ok(parts)
    }

    /// Reads one `{expression!conversion:spec}` field; the cursor is on the `{`.
    fn fstring_field(
        &mut self,
        quote: Quote,
        raw: bool,
        nested: u32,
    ) -> Result<RawFStringPart, LangError> {
        let open = self.point();
        self.bump();
        if nested >= 2 {
            return Err(LangError::syntax(
                "f-string: fields are nested too deeply (a format spec may hold fields, but \
                 their specs may not)",
                open,
            ));
        }
        let (line, column) = self.here();
        let mut source = String::new();
        let mut depth = 0usize;
        let mut debug_text = None;
        loop {
            let Some(c) = self.peek(0) else {
                return Err(expecting_brace(open));
            };
            match c {
                '\n' if !quote.triple => return Err(expecting_brace(open)),
                c if c == quote.ch && self.closes(quote) => return Err(expecting_brace(open)),
                '\'' | '"' => self.copy_nested_string(&mut source)?,
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(too_deep(self.point()));
                    }
                    source.push(c);
                    self.bump();
                }
                ')' | ']' | '}' if depth > 0 => {
                    depth -= 1;
                    source.push(c);
                    self.bump();
                }
                '}' => break,
                '!' if depth == 0 && self.peek(1) != Some('=') => break,
                ':' if depth == 0 => break,
                '=' if depth == 0
                    && self.peek(1) != Some('=')
                    && !matches!(source.chars().last(), Some('=' | '!' | '<' | '>')) =>
                {
                    self.bump();
                    let mut text = source.clone();
                    text.push('=');
                    while let Some(w) = self.peek(0).filter(|w| w.is_whitespace() && *w != '\n') {
                        text.push(w);
                        self.bump();
                    }
                    debug_text = Some(text);
                    break;
                }
                '#' => {
                    return Err(LangError::syntax(
                        "f-string: a field's expression cannot contain '#'",
                        self.point(),
                    ))
                }
                _ => {
                    source.push(c);
                    self.bump();
                }
            }
        }
        if source.trim().is_empty() {
            return Err(LangError::syntax(
                "f-string: empty expression: put an expression between the braces, or write \
                 '{{' for a literal brace",
                open,
            ));
        }
        let mut conversion = None;
        if self.peek(0) == Some('!') {
            let at = self.point();
            self.bump();
            conversion = match self.peek(0) {
                Some('s') => Some(Conversion::Str),
                Some('r') => Some(Conversion::Repr),
                Some('a') => Some(Conversion::Ascii),
                _ => {
                    return Err(LangError::syntax(
                        "f-string: invalid conversion: expected 's', 'r' or 'a' after '!'",
                        at,
                    ))
                }
            };
            self.bump();
        }
        let mut spec = Vec::new();
        if self.peek(0) == Some(':') {
            self.bump();
            spec = self.fstring_parts(quote, raw, open, PartsEnd::Brace, nested + 1)?;
        }
        if self.peek(0) != Some('}') {
            return Err(expecting_brace(open));
        }
        self.bump();
        Ok(RawFStringPart::Field {
            source,
            line,
            column,
            conversion,
            spec,
            debug_text,
        })
    }

    /// Copies a string literal inside an f-string field's expression verbatim into `source`;
    /// the cursor is on its opening quote (which differs from the f-string's own quote, or the
    /// f-string would have ended there).
    fn copy_nested_string(&mut self, source: &mut String) -> Result<(), LangError> {
        let start = self.point();
        let Some(ch) = self.bump() else {
            return Ok(());
        };
        source.push(ch);
        let triple = self.peek(0) == Some(ch) && self.peek(1) == Some(ch);
        if triple {
            for _ in 0..2 {
                self.bump();
                source.push(ch);
            }
        }
        let quote = Quote { ch, triple };
        loop {
            match self.peek(0) {
                None => return Err(unterminated(quote, start)),
                Some('\n') if !triple => return Err(unterminated(quote, start)),
                Some(c) if c == ch && self.closes(quote) => {
                    for _ in 0..if triple { 3 } else { 1 } {
                        self.bump();
                        source.push(ch);
                    }
                    return Ok(());
                }
                Some('\\') => {
                    source.push('\\');
                    self.bump();
                    if let Some(c) = self.bump() {
                        source.push(c);
                    }
                }
                Some(c) => {
                    source.push(c);
                    self.bump();
                }
            }
        }
    }
}

fn unterminated(quote: Quote, start: Span) -> LangError {
    let message = if quote.triple {
        format!(
            "unterminated triple-quoted string starting at {start}: close it with {0}{0}{0}",
            quote.ch
        )
    } else {
        format!(
            "unterminated string starting at {start}: close it with {0} on the same line, or use \
             triple quotes ({0}{0}{0}) for text over several lines",
            quote.ch
        )
    };
    LangError::syntax(message, start)
}

fn expecting_brace(open: Span) -> LangError {
    LangError::syntax(
        format!("f-string: expecting '}}' to close the '{{' at {open}"),
        open,
    )
}

fn too_deep(span: Span) -> LangError {
    LangError::new(
        ErrorKind::TooDeep,
        format!(
            "too deeply nested (more than {MAX_NESTING} levels of brackets, operators or \
             blocks): split it into steps with intermediate variables"
        ),
        span,
    )
}
