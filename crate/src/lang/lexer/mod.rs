//! The lexer: source text to [`Token`]s, with Python's indentation rules.
//!
//! - Leading whitespace of each logical line becomes `Indent` / `Dedent` tokens. A tab advances
//!   to the next multiple of 8 columns (as in Python); indentation whose meaning would change
//!   with another tab width is an error, as is an unindent to a width no enclosing block has.
//! - Blank lines and comment-only lines produce no tokens.
//! - Inside `()`, `[]` and `{}`, newlines and indentation are ignored; a backslash at the very
//!   end of a line joins it with the next.
//! - `\r\n` and `\r` count as newlines; a leading byte-order mark is skipped.
//!
//! Everything runs in one pass over the characters (linear time), and nothing here panics: every
//! character access goes through [`Lexer::peek`].

mod indentation;
mod numbers;
mod strings;
#[cfg(test)]
mod tests;

use super::ast::Span;
use super::error::{ErrorKind, LangError};
use super::token::{Keyword, Op, Token, TokenKind};
use super::MAX_NESTING;

/// Cuts `source` into tokens, ending with `Newline` (if the last line has tokens), the `Dedent`s
/// that close open blocks, and `Eof`.
pub fn tokenize(source: &str) -> Result<Vec<Token>, LangError> {
    Lexer::new(source, 1, 1, false).run()
}

/// Cuts the expression of an f-string field, which starts at `line`, `column` of the enclosing
/// source, into tokens as if it stood inside brackets (no newlines or indentation), ending with
/// `Eof`.
pub(crate) fn tokenize_embedded(
    source: &str,
    line: u32,
    column: u32,
) -> Result<Vec<Token>, LangError> {
    Lexer::new(source, line, column, true).run()
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    col: u32,
    /// The column just after the last character of the previous line (for the end position).
    prev_line_end: u32,
    first_line: u32,
    tokens: Vec<Token>,
    /// Widths of the open indentation levels: (tab to the next multiple of 8, tab as 1).
    indents: Vec<(u32, u32)>,
    /// Open brackets and where they were opened.
    brackets: Vec<(char, Span)>,
    /// Lexing an f-string field's expression: no lines, no indentation.
    embedded: bool,
    at_line_start: bool,
    line_has_tokens: bool,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn closing_of(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

impl Lexer {
    fn new(source: &str, line: u32, column: u32, embedded: bool) -> Lexer {
        let mut chars = Vec::with_capacity(source.len());
        let mut it = source.chars().peekable();
        if it.peek() == Some(&'\u{feff}') {
            it.next();
        }
        while let Some(c) = it.next() {
            if c == '\r' {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
                chars.push('\n');
            } else {
                chars.push(c);
            }
        }
        Lexer {
            chars,
            pos: 0,
            line,
            col: column,
            prev_line_end: 1,
            first_line: line,
            tokens: Vec::new(),
            indents: vec![(0, 0)],
            brackets: Vec::new(),
            embedded,
            at_line_start: !embedded,
            line_has_tokens: false,
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos.saturating_add(ahead)).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += 1;
        if c == '\n' {
            self.prev_line_end = self.col;
            self.line = self.line.saturating_add(1);
            self.col = 1;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn here(&self) -> (u32, u32) {
        (self.line, self.col)
    }

    fn point(&self) -> Span {
        Span::point(self.line, self.col)
    }

    fn span_from(&self, start: (u32, u32)) -> Span {
        Span::new(start.0, start.1, self.line, self.col)
    }

    /// The position just after the last character, kept on the last line that has text (so an
    /// error at the end of the code never points below the code).
    fn end_point(&self) -> Span {
        if self.col == 1 && self.line > self.first_line && self.chars.last() == Some(&'\n') {
            Span::point(self.line - 1, self.prev_line_end)
        } else {
            self.point()
        }
    }

    fn push(&mut self, kind: TokenKind, span: Span) {
        self.tokens.push(Token { kind, span });
        self.line_has_tokens = true;
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(i, c)| self.peek(i) == Some(c))
    }

    fn run(mut self) -> Result<Vec<Token>, LangError> {
        loop {
            if self.at_line_start && !self.indentation()? {
                break;
            }
            while matches!(self.peek(0), Some(' ' | '\t' | '\x0c')) {
                self.bump();
            }
            let Some(c) = self.peek(0) else { break };
            match c {
                '#' => self.skip_comment(),
                '\n' => {
                    let span = self.point();
                    self.bump();
                    if self.brackets.is_empty() && !self.embedded {
                        if self.line_has_tokens {
                            self.push(TokenKind::Newline, span);
                        }
                        self.at_line_start = true;
                        self.line_has_tokens = false;
                    }
                }
                '\\' => self.continuation()?,
                c if is_ident_start(c) => self.name_or_string()?,
                c if c.is_ascii_digit() => self.number()?,
                '.' if self.peek(1).is_some_and(|d| d.is_ascii_digit()) => self.number()?,
                '"' | '\'' => self.string(self.here(), false, false)?,
                _ => self.operator()?,
            }
        }
        self.finish()
    }

    fn finish(mut self) -> Result<Vec<Token>, LangError> {
        if let Some(&(open, span)) = self.brackets.last() {
            return Err(LangError::syntax(
                format!(
                    "unclosed '{open}' opened at {span}: close it with '{}'",
                    closing_of(open)
                ),
                span,
            ));
        }
        let end = self.end_point();
        if !self.embedded {
            if self.line_has_tokens {
                self.push(TokenKind::Newline, end);
            }
            while self.indents.len() > 1 {
                self.indents.pop();
                self.push(TokenKind::Dedent, end);
            }
        }
        self.push(TokenKind::Eof, end);
        Ok(self.tokens)
    }

    fn skip_comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    fn name_or_string(&mut self) -> Result<(), LangError> {
        let start = self.here();
        let mut name = String::new();
        while let Some(c) = self.peek(0).filter(|&c| is_ident_continue(c)) {
            name.push(c);
            self.bump();
        }
        if matches!(self.peek(0), Some('"' | '\'')) {
            let prefix = name.to_ascii_lowercase();
            if matches!(prefix.as_str(), "b" | "br" | "rb") {
                return Err(LangError::new(
                    ErrorKind::Unsupported,
                    "bytes literals (b\"...\") are not part of the lab language: use a normal \
                     string",
                    self.span_from(start),
                ));
            }
            if matches!(prefix.as_str(), "r" | "u" | "f" | "rf" | "fr") {
                let raw = prefix.contains('r');
                let fstring = prefix.contains('f');
                return self.string(start, raw, fstring);
            }
        }
        let span = self.span_from(start);
        let kind = match Keyword::from_name(&name) {
            Some(k) => TokenKind::Keyword(k),
            None => TokenKind::Name(name),
        };
        self.push(kind, span);
        Ok(())
    }

    fn operator(&mut self) -> Result<(), LangError> {
        let start = self.here();
        let span = self.point();
        let Some(c) = self.peek(0) else {
            return Ok(());
        };
        if self.starts_with("&&") || self.starts_with("||") {
            let word = if c == '&' { "and" } else { "or" };
            return Err(LangError::syntax(
                format!("'{c}{c}' is not Python: write `{word}`"),
                span,
            ));
        }
        if self.starts_with(":=") {
            return Err(LangError::new(
                ErrorKind::Unsupported,
                "`:=` (the walrus operator) is not part of the lab language: assign the value on \
                 its own line first",
                span,
            ));
        }
        if c == '!' && self.peek(1) != Some('=') {
            return Err(LangError::syntax(
                "'!' is not an operator in Python: write `not x` to negate, or `!=` for \
                 'not equal'",
                span,
            ));
        }
        let Some(op) = Op::BY_LENGTH
            .iter()
            .copied()
            .find(|op| self.starts_with(op.text()))
        else {
            return Err(unexpected_character(c, span));
        };
        for _ in 0..op.text().len() {
            self.bump();
        }
        let span = self.span_from(start);
        match c {
            '(' | '[' | '{' => {
                if self.brackets.len() >= MAX_NESTING {
                    return Err(LangError::new(
                        ErrorKind::TooDeep,
                        format!(
                            "too many nested brackets (more than {MAX_NESTING}): split the \
                             expression into steps with intermediate variables"
                        ),
                        span,
                    ));
                }
                self.brackets.push((c, span));
            }
            ')' | ']' | '}' => match self.brackets.pop() {
                None => {
                    return Err(LangError::syntax(
                        format!("unmatched '{c}': there is no opening bracket for it to close"),
                        span,
                    ))
                }
                Some((open, open_span)) if closing_of(open) != c => {
                    return Err(LangError::syntax(
                        format!(
                            "closing '{c}' does not match '{open}' opened at {open_span}: close \
                             it with '{}' first",
                            closing_of(open)
                        ),
                        span,
                    ))
                }
                Some(_) => {}
            },
            _ => {}
        }
        self.push(TokenKind::Op(op), span);
        Ok(())
    }
}

fn unexpected_character(c: char, span: Span) -> LangError {
    // (what the character is, what to write instead)
    let (what, fix) = match c {
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{00ab}' | '\u{00bb}' => (
            ", a typographic quote often pasted from a document",
            ": use a straight quote \" instead",
        ),
        '\u{2018}' | '\u{2019}' | '\u{201a}' => (
            ", a typographic quote often pasted from a document",
            ": use a straight quote ' instead",
        ),
        '\u{00a0}' | '\u{2007}' | '\u{202f}' | '\u{200b}' | '\u{3000}' => (
            ", an invisible space often pasted from a document",
            ": replace it with a normal space",
        ),
        '\u{2212}' | '\u{2013}' | '\u{2014}' => {
            (", a dash from a document", ": use '-' to subtract")
        }
        '\u{00d7}' | '\u{22c5}' | '\u{00b7}' => ("", ": use '*' to multiply"),
        '\u{00f7}' => ("", ": use '/' to divide"),
        '$' | '?' | '`' => ("", ": it has no meaning in Python"),
        _ => ("", ""),
    };
    LangError::syntax(
        format!(
            "unexpected character '{}' (U+{:04X}{what}){fix}",
            c.escape_debug(),
            c as u32
        ),
        span,
    )
}
