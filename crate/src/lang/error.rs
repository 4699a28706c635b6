//! What can go wrong in lab-language source, when reading it or running it: the kind, a message
//! that says what was expected and how to fix it, and where.

use super::ast::Span;
use std::fmt;

/// The family of a [`LangError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Source that is not valid Python: a missing `:`, an unclosed bracket, a bad literal.
    Syntax,
    /// Indentation that does not form blocks: an unexpected indent, an unindent to no outer
    /// level, a missing indented block, tabs and spaces mixed ambiguously.
    Indentation,
    /// Valid Python that the lab language leaves out (`try`, `lambda`, decorators, ...); the
    /// message names the construct and what to write instead.
    Unsupported,
    /// Nesting deeper than [`super::MAX_NESTING`] (brackets, operators, blocks), or more
    /// indentation levels than [`super::MAX_INDENT_LEVELS`].
    TooDeep,
    /// A name that is not defined (the message suggests the nearest known one).
    Name,
    /// An operation applied to a value of the wrong type.
    Type,
    /// A value out of its allowed range (a negative size, an unknown option).
    Value,
    /// Tensor shapes that do not fit together; the message names both and the likely fix.
    Shape,
    /// An index or key outside a sequence, tensor or dict.
    Index,
    /// An attribute the value does not have.
    Attribute,
    /// Division or modulo by zero.
    ZeroDivision,
    /// A failed `assert`.
    Assertion,
    /// Training that produced NaN or infinity.
    Numerics,
    /// A documented limit: tensor size, operation budget, recursion depth.
    Limit,
    /// An import of a module that is not built in.
    Import,
    /// The run was stopped from outside.
    Interrupted,
}

impl ErrorKind {
    /// The kind in words, as Python would name it ("SyntaxError").
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "SyntaxError",
            ErrorKind::Indentation => "IndentationError",
            ErrorKind::Unsupported => "NotSupportedError",
            ErrorKind::TooDeep => "SyntaxError",
            ErrorKind::Name => "NameError",
            ErrorKind::Type => "TypeError",
            ErrorKind::Value => "ValueError",
            ErrorKind::Shape => "RuntimeError",
            ErrorKind::Index => "IndexError",
            ErrorKind::Attribute => "AttributeError",
            ErrorKind::ZeroDivision => "ZeroDivisionError",
            ErrorKind::Assertion => "AssertionError",
            ErrorKind::Numerics => "FloatingPointError",
            ErrorKind::Limit => "ResourceError",
            ErrorKind::Import => "ModuleNotFoundError",
            ErrorKind::Interrupted => "KeyboardInterrupt",
        }
    }
}

/// An error in lab-language source, with its position.
///
/// `Display` gives `line 3, column 12: expected ':' after the `for` header`;
/// [`LangError::render`] adds the offending source line and a caret under the column.
#[derive(Clone, Debug, PartialEq)]
pub struct LangError {
    pub kind: ErrorKind,
    /// What was expected and what fixes it; no position (that is in `span`).
    pub message: String,
    /// Where the problem is: `span.line` and `span.column` are 1-based and always inside the
    /// source (a problem at the very end points just after the last character).
    pub span: Span,
}

impl LangError {
    /// An error of `kind` at `span`.
    pub fn new(kind: ErrorKind, message: impl Into<String>, span: Span) -> LangError {
        LangError {
            kind,
            message: message.into(),
            span,
        }
    }

    /// A [`ErrorKind::Syntax`] error.
    pub fn syntax(message: impl Into<String>, span: Span) -> LangError {
        LangError::new(ErrorKind::Syntax, message, span)
    }

    /// The 1-based line of the error.
    pub fn line(&self) -> u32 {
        self.span.line
    }

    /// The 1-based column of the error.
    pub fn column(&self) -> u32 {
        self.span.column
    }

    /// The message with its position, the source line and a caret under the column:
    ///
    /// ```text
    /// line 2, column 19: expected ':' after the `for` header
    ///     for i in range(10)
    ///                       ^
    /// ```
    pub fn render(&self, source: &str) -> String {
        let mut out = self.to_string();
        let line_index = self.span.line.saturating_sub(1) as usize;
        if let Some(text) = source.lines().nth(line_index) {
            out.push_str("\n    ");
            out.push_str(text);
            out.push_str("\n    ");
            // keep tabs under tabs so the caret lines up
            for c in text
                .chars()
                .take(self.span.column.saturating_sub(1) as usize)
            {
                out.push(if c == '\t' { '\t' } else { ' ' });
            }
            out.push('^');
        }
        out
    }
}

impl fmt::Display for LangError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.span, self.message)
    }
}

impl std::error::Error for LangError {}
