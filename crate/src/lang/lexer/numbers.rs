//! Number literals: decimal ints and floats (`10_000`, `1e-2`, `.5`, `3.`), hexadecimal, octal
//! and binary ints (`0x1f`, `0o7`, `0b1`), the placement rules for underscores, and the errors
//! for ints too large, leading zeros, and suffixes such as complex numbers.

use super::{is_ident_continue, Lexer};
use crate::lang::ast::Span;
use crate::lang::error::{ErrorKind, LangError};
use crate::lang::token::TokenKind;

impl Lexer {
    /// Collects decimal digits and underscores.
    fn digits(&mut self, text: &mut String) {
        while let Some(c) = self.peek(0).filter(|&c| c == '_' || c.is_ascii_digit()) {
            text.push(c);
            self.bump();
        }
    }

    pub(super) fn number(&mut self) -> Result<(), LangError> {
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
