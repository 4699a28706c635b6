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

use super::ast::{Conversion, Span};
use super::error::{ErrorKind, LangError};
use super::token::{Keyword, Op, RawFStringPart, Token, TokenKind};
use super::{MAX_INDENT_LEVELS, MAX_NESTING};

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

    /// Measures the indentation of the next line with code and emits `Indent` / `Dedent`;
    /// `false` at the end of the source.
    fn indentation(&mut self) -> Result<bool, LangError> {
        loop {
            let (mut width, mut alt) = (0u32, 0u32);
            while let Some(c) = self.peek(0) {
                match c {
                    ' ' => {
                        width = width.saturating_add(1);
                        alt = alt.saturating_add(1);
                    }
                    '\t' => {
                        width = (width / 8).saturating_add(1).saturating_mul(8);
                        alt = alt.saturating_add(1);
                    }
                    '\x0c' => {
                        width = 0;
                        alt = 0;
                    }
                    _ => break,
                }
                self.bump();
            }
            match self.peek(0) {
                None => return Ok(false),
                Some('#') => self.skip_comment(),
                Some('\n') => {
                    self.bump();
                }
                Some(_) => {
                    self.at_line_start = false;
                    self.indent_to(width, alt)?;
                    return Ok(true);
                }
            }
        }
    }

    fn indent_to(&mut self, width: u32, alt: u32) -> Result<(), LangError> {
        let span = self.point();
        let tab_error = || {
            LangError::new(
                ErrorKind::Indentation,
                "inconsistent use of tabs and spaces in indentation: indent with spaces only \
                 (4 per level)",
                span,
            )
        };
        let (top, top_alt) = self.indents.last().copied().unwrap_or((0, 0));
        if width > top {
            if alt <= top_alt {
                return Err(tab_error());
            }
            if self.indents.len() > MAX_INDENT_LEVELS {
                return Err(LangError::new(
                    ErrorKind::TooDeep,
                    format!(
                        "too many indentation levels (more than {MAX_INDENT_LEVELS}): move the \
                         inner blocks into functions"
                    ),
                    span,
                ));
            }
            self.indents.push((width, alt));
            self.push(TokenKind::Indent, span);
        } else if width == top {
            if alt != top_alt {
                return Err(tab_error());
            }
        } else {
            let levels: Vec<String> = self.indents.iter().map(|(w, _)| w.to_string()).collect();
            while self.indents.last().is_some_and(|&(w, _)| w > width) {
                self.indents.pop();
                self.push(TokenKind::Dedent, span);
            }
            let (top, top_alt) = self.indents.last().copied().unwrap_or((0, 0));
            if top != width {
                return Err(LangError::new(
                    ErrorKind::Indentation,
                    format!(
                        "unindent does not match any outer indentation level: this line is \
                         indented by {width} spaces, but the enclosing blocks are indented by {}",
                        join_or(&levels)
                    ),
                    span,
                ));
            }
            if alt != top_alt {
                return Err(tab_error());
            }
        }
        Ok(())
    }

    fn continuation(&mut self) -> Result<(), LangError> {
        let span = self.point();
        self.bump();
        match self.peek(0) {
            Some('\n') => {
                self.bump();
                Ok(())
            }
            None => Err(LangError::syntax(
                "unexpected end of the code after the line continuation character '\\': a \
                 backslash at the end of a line continues the statement on the next line",
                span,
            )),
            Some(_) => Err(LangError::syntax(
                "unexpected character after the line continuation character '\\': a backslash \
                 continues a line only as the very last character of the line (remove what \
                 follows it, comments included)",
                span,
            )),
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

    // ----- numbers -----

    /// Collects decimal digits and underscores.
    fn digits(&mut self, text: &mut String) {
        while let Some(c) = self.peek(0).filter(|&c| c == '_' || c.is_ascii_digit()) {
            text.push(c);
            self.bump();
        }
    }

    fn number(&mut self) -> Result<(), LangError> {
        let start = self.here();
        if self.peek(0) == Some('0') {
            let radix = match self.peek(1) {
                Some('x' | 'X') => Some((16, "hexadecimal")),
                Some('o' | 'O') => Some((8, "octal")),
                Some('b' | 'B') => Some((2, "binary")),
                _ => None,
            };
            if let Some((radix, name)) = radix {
                return self.radix_number(start, radix, name);
            }
        }
        let mut text = String::new();
        self.digits(&mut text);
        let mut is_float = false;
        if self.peek(0) == Some('.') {
            is_float = true;
            text.push('.');
            self.bump();
            self.digits(&mut text);
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let signed = matches!(self.peek(1), Some('+' | '-'));
            let digit_at = if signed { 2 } else { 1 };
            if self.peek(digit_at).is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                for _ in 0..digit_at {
                    if let Some(c) = self.bump() {
                        text.push(c);
                    }
                }
                self.digits(&mut text);
            }
        }
        if matches!(self.peek(0), Some('j' | 'J')) {
            self.bump();
            return Err(LangError::new(
                ErrorKind::Unsupported,
                "complex numbers (`1j`) are not part of the lab language",
                self.span_from(start),
            ));
        }
        if self.peek(0).is_some_and(is_ident_continue) {
            return Err(LangError::syntax(
                format!(
                    "invalid number `{text}{}`: a name cannot start with a digit, and a number \
                     cannot be followed directly by a letter (is an operator missing, as in \
                     `2 * x` rather than `2x`?)",
                    self.peek(0).unwrap_or(' ')
                ),
                self.span_from(start),
            ));
        }
        let span = self.span_from(start);
        check_underscores(&text, span, true)?;
        let clean: String = text.chars().filter(|&c| c != '_').collect();
        if is_float {
            // Rust's float parser wants digits on both sides of the point
            let mut normal = String::with_capacity(clean.len() + 2);
            let mut prev = None;
            for c in clean.chars() {
                if c == '.' && prev.is_none() {
                    normal.push('0');
                }
                if matches!(c, 'e' | 'E') && prev == Some('.') {
                    normal.push('0');
                }
                normal.push(c);
                prev = Some(c);
            }
            if prev == Some('.') {
                normal.push('0');
            }
            match normal.parse::<f64>() {
                Ok(v) => self.push(TokenKind::Float(v), span),
                Err(_) => return Err(LangError::syntax(format!("invalid number `{text}`"), span)),
            }
        } else {
            if clean.len() > 1 && clean.starts_with('0') && clean.chars().any(|c| c != '0') {
                return Err(LangError::syntax(
                    format!(
                        "leading zeros are not allowed in the integer `{text}`: write {}",
                        clean.trim_start_matches('0')
                    ),
                    span,
                ));
            }
            self.push_int(clean.parse::<i64>().ok(), &text, span)?;
        }
        Ok(())
    }

    fn radix_number(&mut self, start: (u32, u32), radix: u32, name: &str) -> Result<(), LangError> {
        self.bump();
        self.bump();
        let mut text = String::new();
        while let Some(c) = self.peek(0).filter(|&c| is_ident_continue(c)) {
            text.push(c);
            self.bump();
        }
        let span = self.span_from(start);
        if let Some(bad) = text.chars().find(|&c| c != '_' && !c.is_digit(radix)) {
            return Err(LangError::syntax(
                format!("invalid digit '{bad}' in the {name} number `0{text}`"),
                span,
            ));
        }
        let digits: String = text.chars().filter(|&c| c != '_').collect();
        if digits.is_empty() {
            return Err(LangError::syntax(
                format!("invalid {name} number: digits must follow its prefix"),
                span,
            ));
        }
        // an underscore may directly follow the prefix (0x_ff), as in Python
        check_underscores(text.strip_prefix('_').unwrap_or(&text), span, false)?;
        let value = u64::from_str_radix(&digits, radix)
            .ok()
            .and_then(|v| i64::try_from(v).ok());
        self.push_int(value, &text, span)
    }

    fn push_int(&mut self, value: Option<i64>, text: &str, span: Span) -> Result<(), LangError> {
        match value {
            Some(v) => {
                self.push(TokenKind::Int(v), span);
                Ok(())
            }
            None => Err(LangError::syntax(
                format!(
                    "the integer `{text}` is too large: the lab language's integers are 64-bit \
                     (at most {}); write a float such as 1e20 instead",
                    i64::MAX
                ),
                span,
            )),
        }
    }

    // ----- strings -----

    /// Lexes a string literal whose prefix (if any) started at `start`; the next character is
    /// the opening quote.
    fn string(&mut self, start: (u32, u32), raw: bool, fstring: bool) -> Result<(), LangError> {
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

    // ----- operators -----

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

/// Underscores in a number must sit between two digits (for a decimal number: not next to the
/// point or the exponent's `e`).
fn check_underscores(text: &str, span: Span, decimal: bool) -> Result<(), LangError> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c != '_' {
            continue;
        }
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 1);
        let digitish = |d: Option<&char>| d.is_some_and(|d| d.is_ascii_alphanumeric());
        let bad_neighbour = |d: Option<&char>| decimal && matches!(d, Some('e' | 'E'));
        if !digitish(before) || !digitish(after) || bad_neighbour(before) || bad_neighbour(after) {
            return Err(LangError::syntax(
                format!(
                    "invalid underscore in the number `{text}`: underscores go between digits, \
                     as in 10_000"
                ),
                span,
            ));
        }
    }
    Ok(())
}

/// "4 or 0", "8, 4 or 0": the widths of the open levels, innermost first.
fn join_or(levels: &[String]) -> String {
    let mut items: Vec<&str> = levels.iter().map(String::as_str).collect();
    items.reverse();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn err(src: &str) -> LangError {
        tokenize(src).unwrap_err()
    }

    #[test]
    fn indentation_gives_indent_and_dedent_tokens() {
        use TokenKind::*;
        let k = kinds("if x:\n    y\nz\n");
        assert_eq!(
            k,
            vec![
                Keyword(super::Keyword::If),
                Name("x".into()),
                Op(super::Op::Colon),
                Newline,
                Indent,
                Name("y".into()),
                Newline,
                Dedent,
                Name("z".into()),
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn blank_and_comment_lines_give_no_tokens() {
        use TokenKind::*;
        let k = kinds("\n# c\n   \n  # indented comment\nx  # trailing\n\n");
        assert_eq!(k, vec![Name("x".into()), Newline, Eof]);
    }

    #[test]
    fn open_blocks_are_closed_at_the_end_without_a_final_newline() {
        use TokenKind::*;
        let k = kinds("for i in a:\n    if i:\n        b");
        assert_eq!(&k[k.len() - 4..], &[Newline, Dedent, Dedent, Eof]);
    }

    #[test]
    fn newlines_inside_brackets_and_after_backslash_join_lines() {
        use TokenKind::*;
        let k = kinds("x = (1,\n        2)\ny = 1 + \\\n    2\n");
        let newlines = k.iter().filter(|t| **t == Newline).count();
        assert_eq!(newlines, 2);
        assert!(!k.contains(&Indent));
    }

    #[test]
    fn crlf_and_cr_count_as_newlines() {
        let t = tokenize("a\r\nb\rc").unwrap();
        let lines: Vec<u32> = t.iter().map(|t| t.span.line).collect();
        assert_eq!(lines, vec![1, 1, 2, 2, 3, 3, 3]);
    }

    #[test]
    fn numbers_parse_like_python() {
        use TokenKind::*;
        assert_eq!(
            kinds("10_000 0x1f 0b101 0o17 0 00 1e-2 .5 3. 1.5e3 1_0.2_5 1E+2 1.e5"),
            vec![
                Int(10_000),
                Int(31),
                Int(5),
                Int(15),
                Int(0),
                Int(0),
                Float(0.01),
                Float(0.5),
                Float(3.0),
                Float(1500.0),
                Float(10.25),
                Float(100.0),
                Float(1e5),
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn huge_float_literal_is_infinity() {
        assert_eq!(kinds("1e999")[0], TokenKind::Float(f64::INFINITY));
    }

    #[test]
    fn strings_resolve_escapes_and_prefixes() {
        use TokenKind::*;
        assert_eq!(
            kinds(
                r#"'a\n' "b\"c" r'\d' '\x41\u00e9\101' 'k\q' """x
y""" u'u'"#
            ),
            vec![
                Str("a\n".into()),
                Str("b\"c".into()),
                Str("\\d".into()),
                Str("AéA".into()),
                Str("k\\q".into()),
                Str("x\ny".into()),
                Str("u".into()),
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn backslash_newline_inside_a_string_continues_it() {
        assert_eq!(kinds("'ab\\\ncd'")[0], TokenKind::Str("abcd".into()));
    }

    #[test]
    fn fstring_fields_keep_their_source_and_position() {
        let k = kinds("s = f'a{{b}} {x + 1:.2f} {y!r} {d[\"k\"]}'");
        let TokenKind::FString(parts) = &k[2] else {
            panic!("not an f-string: {k:?}");
        };
        assert_eq!(parts.len(), 6);
        assert_eq!(parts[0], RawFStringPart::Literal("a{b} ".into()));
        match &parts[1] {
            RawFStringPart::Field {
                source,
                line,
                column,
                spec,
                ..
            } => {
                assert_eq!(source, "x + 1");
                assert_eq!((*line, *column), (1, 15));
                assert_eq!(spec, &vec![RawFStringPart::Literal(".2f".into())]);
            }
            other => panic!("{other:?}"),
        }
        match &parts[3] {
            RawFStringPart::Field { conversion, .. } => {
                assert_eq!(*conversion, Some(Conversion::Repr))
            }
            other => panic!("{other:?}"),
        }
        match &parts[5] {
            RawFStringPart::Field { source, .. } => assert_eq!(source, "d[\"k\"]"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fstring_comparison_operators_are_not_conversions_or_debug() {
        let k = kinds("f'{a != b}{a == b}{a <= b}{a >= b}'");
        let TokenKind::FString(parts) = &k[0] else {
            panic!();
        };
        let sources: Vec<&str> = parts
            .iter()
            .map(|p| match p {
                RawFStringPart::Field {
                    source, debug_text, ..
                } => {
                    assert!(debug_text.is_none());
                    source.as_str()
                }
                _ => "",
            })
            .collect();
        assert_eq!(sources, vec!["a != b", "a == b", "a <= b", "a >= b"]);
    }

    #[test]
    fn keywords_and_soft_keywords() {
        use TokenKind::*;
        assert_eq!(
            kinds("for match in None"),
            vec![
                Keyword(super::Keyword::For),
                Name("match".into()),
                Keyword(super::Keyword::In),
                Keyword(super::Keyword::None),
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn operators_take_the_longest_spelling() {
        use super::Op as O;
        use TokenKind::Op;
        assert_eq!(
            kinds("a **= b // c ... -> != <= >>= @")
                .into_iter()
                .filter(|k| matches!(k, Op(_)))
                .collect::<Vec<_>>(),
            vec![
                Op(O::DoubleStarEq),
                Op(O::DoubleSlash),
                Op(O::Ellipsis),
                Op(O::Arrow),
                Op(O::NotEq),
                Op(O::LtE),
                Op(O::RShiftEq),
                Op(O::At)
            ]
        );
    }

    #[test]
    fn spans_are_one_based_and_count_characters() {
        let t = tokenize("é = 'ü' + x").unwrap();
        assert_eq!(t[0].span, Span::new(1, 1, 1, 2));
        assert_eq!(t[2].span, Span::new(1, 5, 1, 8));
        assert_eq!(t[4].span, Span::new(1, 11, 1, 12));
    }

    #[test]
    fn error_at_the_end_stays_on_the_last_line() {
        let t = tokenize("x = 1\n\n").unwrap();
        let eof = t.last().unwrap();
        assert_eq!(eof.kind, TokenKind::Eof);
        assert_eq!((eof.span.line, eof.span.column), (2, 1));
        let t = tokenize("x = 1\n").unwrap();
        assert_eq!(t.last().unwrap().span, Span::point(1, 6));
    }

    #[test]
    fn unclosed_bracket_is_reported_where_it_opened() {
        let e = err("x = 1\ny = f(a,\n  b\n");
        assert_eq!(
            e.to_string(),
            "line 2, column 6: unclosed '(' opened at line 2, column 6: close it with ')'"
        );
    }

    #[test]
    fn mismatched_and_unmatched_closing_brackets_are_errors() {
        assert_eq!(
            err("a = [1, 2)").to_string(),
            "line 1, column 10: closing ')' does not match '[' opened at line 1, column 5: \
             close it with ']' first"
        );
        assert_eq!(
            err("a = 1)").to_string(),
            "line 1, column 6: unmatched ')': there is no opening bracket for it to close"
        );
    }

    #[test]
    fn inconsistent_dedent_is_an_indentation_error() {
        let e = err("if x:\n    y\n  z\n");
        assert_eq!(e.kind, ErrorKind::Indentation);
        assert_eq!(
            e.to_string(),
            "line 3, column 3: unindent does not match any outer indentation level: this line \
             is indented by 2 spaces, but the enclosing blocks are indented by 4 or 0"
        );
    }

    #[test]
    fn tabs_expand_to_eight_and_ambiguous_mixes_are_errors() {
        // a tab alone is a consistent indentation
        assert!(tokenize("if x:\n\ty\n\tz\n").is_ok());
        // 8 spaces then a tab-indented line: same width, different meaning for other tab sizes
        let e = err("if x:\n        y\n\tz\n");
        assert_eq!(e.kind, ErrorKind::Indentation);
        assert_eq!(
            e.to_string(),
            "line 3, column 2: inconsistent use of tabs and spaces in indentation: indent with \
             spaces only (4 per level)"
        );
    }

    #[test]
    fn unterminated_strings_point_at_their_start() {
        assert_eq!(
            err("x = 1\ns = 'abc\n").to_string(),
            "line 2, column 5: unterminated string starting at line 2, column 5: close it with \
             ' on the same line, or use triple quotes (''') for text over several lines"
        );
        assert_eq!(
            err("s = \"\"\"abc\n\nd").to_string(),
            "line 1, column 5: unterminated triple-quoted string starting at line 1, column 5: \
             close it with \"\"\""
        );
        assert_eq!(err("f'{x'").span, Span::point(1, 3));
    }

    #[test]
    fn bad_number_literals_are_errors() {
        assert!(err("x = 2x").message.contains("`2 * x`"));
        assert_eq!(
            err("x = 007").message,
            "leading zeros are not allowed in the integer `007`: write 7"
        );
        assert!(err("1__0").message.starts_with("invalid underscore"));
        assert!(err("1_").message.starts_with("invalid underscore"));
        assert!(err("1_.5").message.starts_with("invalid underscore"));
        assert!(err("0x").message.starts_with("invalid hexadecimal"));
        assert!(err("0b102").message.starts_with("invalid digit '2'"));
        assert!(err("99999999999999999999").message.contains("too large"));
        assert_eq!(err("3j").kind, ErrorKind::Unsupported);
    }

    #[test]
    fn pasted_characters_get_a_hint() {
        assert!(err("x = \u{201c}a\u{201d}")
            .message
            .contains("straight quote"));
        assert!(err("x =\u{a0}1").message.contains("normal space"));
        assert!(err("x = a \u{2212} b").message.contains("use '-'"));
        assert!(err("a && b").message.contains("write `and`"));
        assert!(err("a || b").message.contains("write `or`"));
        assert!(err("!a").message.contains("`not x`"));
    }

    #[test]
    fn backslash_not_at_the_end_of_a_line_is_an_error() {
        assert!(err("x = 1 \\ # c\n")
            .message
            .starts_with("unexpected character after the line continuation"));
        assert!(err("x = 1 + \\")
            .message
            .starts_with("unexpected end of the code"));
    }

    #[test]
    fn fstring_errors() {
        assert_eq!(
            err("f'{}'").message,
            "f-string: empty expression: put an expression between the braces, or write '{{' \
             for a literal brace"
        );
        assert_eq!(
            err("f'a}'").message,
            "single '}' is not allowed in an f-string: write '}}' for a literal brace"
        );
        assert!(err("f'{x!z}'").message.contains("invalid conversion"));
        assert!(err("f'{x # c}'").message.contains("'#'"));
        assert!(err("f'{x:{y:{z}}}'").message.contains("nested too deeply"));
        assert_eq!(err("b'x'").kind, ErrorKind::Unsupported);
    }

    #[test]
    fn too_many_indentation_levels_is_an_error() {
        let mut src = String::new();
        for i in 0..150 {
            src.push_str(&" ".repeat(i));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(150));
        src.push_str("pass\n");
        assert_eq!(err(&src).kind, ErrorKind::TooDeep);
    }

    #[test]
    fn too_many_nested_brackets_is_an_error() {
        let src = "(".repeat(100_000);
        assert_eq!(err(&src).kind, ErrorKind::TooDeep);
    }
}
