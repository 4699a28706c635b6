//! The lab language: the subset of Python the workshop's PyTorch labs are written in.
//!
//! This module reads source into a syntax tree ([`parse`] gives a [`Program`]); the interpreter
//! walks that tree. [`unparse`] prints a tree back as canonical source.
//!
//! # What the language has
//!
//! - **Blocks** by indentation (tabs count to the next multiple of 8, as in Python; mixing
//!   tabs and spaces ambiguously is an error), comments, blank lines, implicit line joining
//!   inside brackets, `\` at the end of a line, several simple statements on a line with `;`.
//! - **Statements**: expressions; assignment to names, `a[i]`, `a[i:j]`, `obj.x`, tuples and
//!   lists of targets (`a, b = b, a`, `(a, b) = p`), chained (`a = b = 0`); augmented
//!   assignment (`+= -= *= /= //= %= **= @= |= &= ^= <<= >>=`); annotated assignment
//!   (`x: int = 1`, annotation ignored); `if` / `elif` / `else`; `for target in iter:`;
//!   `while test:`; `break`, `continue`, `pass`; `return [value]`; `def f(a, b=1, *args, c,
//!   **kwargs) -> T:` (annotations parsed and ignored); `class Name(Base):`; `import a.b [as
//!   c]`; `from a.b import c [as d], (e, f)`; `with expr [as target], ...:`; `assert test[,
//!   message]`; `del targets`.
//! - **Expressions**, with Python's precedence (see [`parser`]): conditional `a if c else b`;
//!   `or`, `and`, `not`; comparisons, chained (`0 <= t < 1`), with `in`, `not in`, `is`,
//!   `is not`; `| ^ & << >>`; `+ -`; `* / // % @`; unary `- + ~`; `**`; attribute access;
//!   calls with positional, keyword, `*args` and `**kwargs` arguments and a sole generator
//!   argument (`sum(x for x in xs)`); subscripts with indices, slices (`a[1:3]`, `a[::2]`),
//!   tuples of them (`x[:, 0]`), `None` (new axis) and `...` (`x[..., None]`); literals: ints
//!   (`10_000`, `0x1f`, `0o7`, `0b1`), floats (`1e-2`, `.5`, `3.`), strings (single, double,
//!   triple quotes, escapes, `r` and `u` prefixes, adjacent literals joined), f-strings
//!   (`{expr}`, `{expr:.2f}`, `{expr!r}`, `{x=}`, nested `{x:{width}}`, `{{` / `}}`), `True`,
//!   `False`, `None`, `...`; lists, tuples (`()`, `(x,)`, bare `a, b`), dicts; list
//!   comprehensions and parenthesised generator expressions with any number of `for` and `if`
//!   clauses.
//!
//! # What it leaves out, and says so
//!
//! Each of these is an [`ErrorKind::Unsupported`] error whose message names the construct and
//! what to write instead: `try` / `except` / `finally`, `raise`, `lambda`, `yield`, `async` /
//! `await`, decorators, `global` / `nonlocal`, `for ... else` / `while ... else`, the walrus
//! operator `:=`, `from x import *`, relative imports, positional-only parameters (`/`),
//! starred expressions outside calls (`a, *b = ...`, `[*a]`), set literals and set / dict
//! comprehensions, `**` in dict literals, class keyword arguments, bytes literals, complex
//! numbers, `\N{...}` escapes.
//!
//! `while` is supported: an attendee may write one, and the interpreter's operation budget
//! already stops a loop that never ends.
//!
//! # Errors
//!
//! Every error is a [`LangError`] with a kind, a message that says what was expected and how to
//! fix it, and a 1-based line and column inside the source ("line 3, column 12: expected ':'
//! after the `for` header, found the end of the line"). Only the first error is reported. No
//! input makes the lexer or parser panic, and nesting deeper than [`MAX_NESTING`] levels is an
//! error rather than a stack overflow, so every later pass may recurse over the tree.

pub mod ast;
pub mod error;
pub mod interp;
pub mod lexer;
pub mod parser;
pub mod pyfmt;
pub mod token;
pub mod unparse;

#[cfg(test)]
mod tests;

pub use ast::{
    Arg, BinOp, BoolOp, Branch, ClassDef, CmpOp, CompFor, Conversion, DottedName, Expr, ExprKind,
    FStringPart, FunctionDef, Ident, ImportAlias, ImportName, Param, ParamKind, Program, Span,
    Stmt, StmtKind, UnaryOp, WithItem,
};
pub use error::{ErrorKind, LangError};
pub use parser::{parse, parse_expression};
pub use unparse::unparse;

/// The deepest nesting the parser accepts: brackets, unary operators, `**`, links of a binary
/// operator chain, trailers (`.x`, `(...)`, `[...]`) and blocks each count one level. Bounds the
/// parser's recursion and the depth of every tree [`parse`] returns. At the limit, parsing
/// takes about 175 KiB of stack in optimised code (1.2 MiB unoptimised), well inside wasm's
/// 1 MiB. Python's own limits are of the same order (100 indentation levels, 200 brackets).
pub const MAX_NESTING: usize = 100;

/// The most indentation levels the lexer accepts (Python's own limit is 100).
pub const MAX_INDENT_LEVELS: usize = 100;
