//! Lines and indentation: measuring the leading whitespace of each logical line (tabs to the
//! next multiple of 8, with a second measure that catches ambiguous tab / space mixes) and
//! emitting `Indent` / `Dedent` tokens, with the error for an unindent to a width no enclosing
//! block has; and joining a line ending in a backslash with the next.

use super::Lexer;
use crate::lang::error::{ErrorKind, LangError};
use crate::lang::token::TokenKind;
use crate::lang::MAX_INDENT_LEVELS;

impl Lexer {
    /// Measures the indentation of the next line with code and emits `Indent` / `Dedent`;
    /// `false` at the end of the source.
    pub(super) fn indentation(&mut self) -> Result<bool, LangError> {
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

    pub(super) fn continuation(&mut self) -> Result<(), LangError> {
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
