//! The syntax tree of the lab language: what [`super::parse`] returns and the interpreter walks.
//!
//! Every node carries the [`Span`] of the source it came from (1-based line and column of its
//! first character, and the position just after its last one), so a run-time error can point at
//! the expression that failed. Columns count characters (Unicode scalar values), not bytes.
//!
//! The tree is shaped for a tree-walking interpreter rather than for faithfulness to CPython's
//! `ast` module: `elif` chains are flat ([`StmtKind::If`]), `and` / `or` chains are flat
//! ([`ExprKind::BoolOp`]), chained comparisons keep one left operand and a list of
//! `(operator, operand)` pairs ([`ExprKind::Compare`]), and call arguments keep their written
//! order ([`Arg`]). Function and class definitions sit behind an [`Arc`] so the interpreter can
//! keep them in values without copying their bodies.

use std::fmt;
use std::sync::Arc;

/// Where a node or token sits in the source: 1-based line and column of its first character and
/// of the position just after its last character (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Line of the first character, from 1.
    pub line: u32,
    /// Column of the first character, from 1.
    pub column: u32,
    /// Line of the position just after the last character.
    pub end_line: u32,
    /// Column of the position just after the last character (exclusive end).
    pub end_column: u32,
}

impl Span {
    /// A span from `(line, column)` up to `(end_line, end_column)` (exclusive).
    pub const fn new(line: u32, column: u32, end_line: u32, end_column: u32) -> Span {
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// An empty span at one position.
    pub const fn point(line: u32, column: u32) -> Span {
        Span::new(line, column, line, column)
    }

    /// From the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.line, self.column, other.end_line, other.end_column)
    }

    /// The empty span at the start of `self`.
    pub fn start(self) -> Span {
        Span::point(self.line, self.column)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A name written in the source where only a name may stand (a parameter, an attribute, an
/// imported name, a keyword argument), with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole cell or file: its statements in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    pub body: Vec<Stmt>,
}

/// One statement and its span (from its first token to the end of its last line or block).
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// The statements of the lab language.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect (`print(x)`, `loss.backward()`, a docstring).
    Expr(Expr),
    /// `t1 = t2 = value`: `targets` in source order (one for a plain assignment). Each target is
    /// a [`ExprKind::Name`], [`ExprKind::Attribute`], [`ExprKind::Subscript`] (the index may be
    /// a slice) or a [`ExprKind::Tuple`] / [`ExprKind::List`] of targets, as checked by the
    /// parser. `a, b = b, a` has one Tuple target and a Tuple value. Python assigns the targets
    /// left to right, each to the same value.
    Assign { targets: Vec<Expr>, value: Expr },
    /// `target op= value`; `target` is a Name, Attribute or Subscript (never a tuple).
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    /// `target: annotation [= value]`; the annotation is parsed, not checked. `target` is a
    /// Name, Attribute or Subscript. Without a value nothing is assigned.
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
    },
    /// `if test: body` followed by any `elif test: body`, flattened into `branches` (the `if`
    /// first), and the `else` block (`orelse`, empty when there is none).
    If {
        branches: Vec<Branch>,
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: body`; `target` is checked like an assignment target. (`for ...
    /// else` is rejected by the parser.)
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
    },
    /// `while test: body`. (`while ... else` is rejected by the parser.)
    While { test: Expr, body: Vec<Stmt> },
    /// `break`; the parser guarantees it is inside a loop (of the same function).
    Break,
    /// `continue`; the parser guarantees it is inside a loop (of the same function).
    Continue,
    /// `pass`.
    Pass,
    /// `return [value]`; the parser guarantees it is inside a `def`. `return a, b` returns a
    /// Tuple.
    Return(Option<Expr>),
    /// `def name(params) [-> returns]: body`.
    FunctionDef(Arc<FunctionDef>),
    /// `class Name(bases): body`.
    ClassDef(Arc<ClassDef>),
    /// `import a.b.c [as d], e`: each alias binds `d` to module `a.b.c` when `as` is given, and
    /// otherwise binds the first component `a` (as Python does).
    Import(Vec<ImportAlias>),
    /// `from a.b import c [as d], e`: binds `d` (or `c`) to attribute `c` of module `a.b`.
    /// (`from x import *` and relative imports are rejected by the parser.)
    ImportFrom {
        module: DottedName,
        names: Vec<ImportName>,
    },
    /// `with context [as target], ...: body` (the lab writes `with torch.no_grad():`).
    With {
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
    /// `assert test[, msg]`.
    Assert { test: Expr, msg: Option<Expr> },
    /// `del target, ...`; each target is a Name, Attribute, Subscript or a tuple/list of them.
    Del(Vec<Expr>),
}

/// One `if` or `elif` test and the block it guards.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    pub test: Expr,
    pub body: Vec<Stmt>,
    /// From the `if` / `elif` keyword to the end of the block.
    pub span: Span,
}

/// A `def`: name, parameters, optional return annotation and body.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    pub name: Ident,
    /// In source order. The parser checks Python's rules: names are distinct; at most one
    /// [`ParamKind::VarPositional`] (or a bare `*`, which leaves no parameter but makes the
    /// following ones [`ParamKind::KeywordOnly`]); [`ParamKind::VarKeyword`] comes last; a
    /// positional parameter without a default never follows one with a default.
    pub params: Vec<Param>,
    /// The `-> annotation`, parsed and not checked.
    pub returns: Option<Expr>,
    pub body: Vec<Stmt>,
    /// The whole definition, from `def` to the end of its block.
    pub span: Span,
}

/// One parameter of a `def`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub kind: ParamKind,
    /// The default value, evaluated once when the `def` runs (as in Python).
    pub default: Option<Expr>,
    /// `name: annotation`, parsed and not checked.
    pub annotation: Option<Expr>,
}

/// How a parameter receives its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// `x` or `x=default`: by position or by keyword.
    Positional,
    /// `*args`: the extra positional arguments, as a tuple.
    VarPositional,
    /// A parameter after `*args` or a bare `*`: by keyword only.
    KeywordOnly,
    /// `**kwargs`: the extra keyword arguments, as a dict.
    VarKeyword,
}

/// A `class`: name, base classes and body (methods, class attributes, docstring).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    pub name: Ident,
    /// The expressions in parentheses, e.g. `nn.Module`; empty for `class A:`.
    pub bases: Vec<Expr>,
    pub body: Vec<Stmt>,
    /// The whole definition, from `class` to the end of its block.
    pub span: Span,
}

/// A dotted module path such as `matplotlib.pyplot`.
#[derive(Clone, Debug, PartialEq)]
pub struct DottedName {
    /// The components, at least one.
    pub parts: Vec<Ident>,
    pub span: Span,
}

impl DottedName {
    /// The path as written, components joined by dots.
    pub fn dotted(&self) -> String {
        let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
        names.join(".")
    }
}

/// `module [as alias]` in an `import` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportAlias {
    pub module: DottedName,
    pub alias: Option<Ident>,
}

/// `name [as alias]` in a `from ... import` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportName {
    pub name: Ident,
    pub alias: Option<Ident>,
}

/// `context [as target]` in a `with` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    /// Checked like an assignment target.
    pub target: Option<Expr>,
}

/// One expression and its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// The expressions of the lab language.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A variable.
    Name(String),
    /// An integer literal (`10_000`, `0x1f`); literals are never negative (`-1` is
    /// [`UnaryOp::Neg`] applied to `1`). Literals beyond 64 bits are a syntax error.
    Int(i64),
    /// A float literal (`1e-2`, `.5`, `3.`); `1e999` is infinity, as in Python.
    Float(f64),
    /// A string literal, escapes resolved; adjacent literals are already joined.
    Str(String),
    /// An f-string (or string literals joined with at least one f-string), in order.
    FString(Vec<FStringPart>),
    /// `True` or `False`.
    Bool(bool),
    /// `None` (also numpy's / PyTorch's new axis inside a subscript: `x[:, None]`).
    None,
    /// `...` (Ellipsis; `x[..., 0]`, and the blanks of the todo lab: `x_t = ...  # TODO`).
    Ellipsis,
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`, `a, b`, `(a,)`, `()`; also the index of `x[i, j]`.
    Tuple(Vec<Expr>),
    /// `{key: value, ...}` in source order.
    Dict(Vec<(Expr, Expr)>),
    /// `value.attr`.
    Attribute { value: Box<Expr>, attr: Ident },
    /// `value[index]`. With several comma-separated items the index is a [`ExprKind::Tuple`]
    /// (`x[:, 0]` is `Tuple[Slice, Int]`); a single item is the index itself.
    Subscript { value: Box<Expr>, index: Box<Expr> },
    /// `lower:upper:step`, each part optional. Appears only as a subscript's index or as an
    /// item of a subscript's index tuple.
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// `func(args)`, the arguments in written order.
    Call { func: Box<Expr>, args: Vec<Arg> },
    /// `-x`, `+x`, `~x`, `not x`.
    Unary { op: UnaryOp, operand: Box<Expr> },
    /// `left op right` for arithmetic, `@`, `**` and bitwise operators.
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `a and b and c` / `a or b or c`, flattened: at least two values, evaluated left to
    /// right with short-circuit, the result being the last value evaluated (as in Python).
    BoolOp { op: BoolOp, values: Vec<Expr> },
    /// `left op1 e1 op2 e2 ...`, Python's chained comparison: `0 <= t < 1` means
    /// `0 <= t and t < 1` with `t` evaluated once. At least one pair.
    Compare {
        left: Box<Expr>,
        rest: Vec<(CmpOp, Expr)>,
    },
    /// `body if test else orelse`.
    IfElse {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// `[element for target in iter if cond ...]`; clauses nest left to right.
    ListComp {
        element: Box<Expr>,
        clauses: Vec<CompFor>,
    },
    /// `(element for target in iter ...)` or a call's sole argument `sum(x for x in xs)`. The
    /// interpreter may evaluate it eagerly into a list.
    Generator {
        element: Box<Expr>,
        clauses: Vec<CompFor>,
    },
}

/// One `for target in iter [if cond]...` clause of a comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct CompFor {
    /// Checked like an assignment target.
    pub target: Expr,
    pub iter: Expr,
    /// The `if` conditions after this `for`, all of which must hold.
    pub conditions: Vec<Expr>,
}

/// One argument of a call, in written order. The parser checks Python's ordering rules (no
/// positional argument after a keyword or `**` argument) and that no keyword repeats.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `f(x)`.
    Positional(Expr),
    /// `f(name=value)`.
    Keyword { name: Ident, value: Expr },
    /// `f(*xs)`: the elements of `xs` as positional arguments (the lab writes
    /// `ax.scatter(*x.T)`).
    Star(Expr),
    /// `f(**d)`: the entries of dict `d` as keyword arguments.
    StarStar(Expr),
}

impl Arg {
    /// The argument's span (for a keyword argument, from its name to the end of its value).
    pub fn span(&self) -> Span {
        match self {
            Arg::Positional(e) | Arg::Star(e) | Arg::StarStar(e) => e.span,
            Arg::Keyword { name, value } => name.span.to(value.span),
        }
    }
}

/// A piece of an f-string.
#[derive(Clone, Debug, PartialEq)]
pub enum FStringPart {
    /// Text, escapes and `{{` / `}}` already resolved.
    Literal(String),
    /// `{value!conversion:spec}`. `{x=}` (self-documenting) is already expanded into the
    /// literal `"x="` followed by a field with conversion `!r` (or the given spec/conversion).
    Field {
        value: Expr,
        conversion: Option<Conversion>,
        /// The format spec (`.2f` in `{t:.2f}`): usually one literal, possibly with nested
        /// fields (`{x:{width}}`); empty when there is no `:`.
        spec: Vec<FStringPart>,
    },
}

/// An f-string field's `!s`, `!r` or `!a`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// `!s`: `str(value)`.
    Str,
    /// `!r`: `repr(value)`.
    Repr,
    /// `!a`: `ascii(value)`.
    Ascii,
}

impl Conversion {
    /// The letter after `!`.
    pub fn letter(self) -> char {
        match self {
            Conversion::Str => 's',
            Conversion::Repr => 'r',
            Conversion::Ascii => 'a',
        }
    }
}

/// Binary operators (also the operator of an augmented assignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    /// `/`, true division.
    Div,
    /// `//`.
    FloorDiv,
    /// `%`.
    Mod,
    /// `**`.
    Pow,
    /// `@`, matrix product.
    MatMul,
    /// `|`.
    BitOr,
    /// `^`.
    BitXor,
    /// `&`.
    BitAnd,
    /// `<<`.
    LShift,
    /// `>>`.
    RShift,
}

impl BinOp {
    /// The operator as written (`"//"`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::MatMul => "@",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::BitAnd => "&",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
        }
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Pos,
    /// `~x`.
    Invert,
    /// `not x`.
    Not,
}

impl UnaryOp {
    /// The operator as written (`"not"` for [`UnaryOp::Not`]).
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Invert => "~",
            UnaryOp::Not => "not",
        }
    }
}

/// `and` / `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoolOp {
    And,
    Or,
}

impl BoolOp {
    /// The keyword.
    pub fn symbol(self) -> &'static str {
        match self {
            BoolOp::And => "and",
            BoolOp::Or => "or",
        }
    }
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    In,
    NotIn,
    Is,
    IsNot,
}

impl CmpOp {
    /// The operator as written (`"not in"`).
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

impl Expr {
    /// An expression of `kind` at `span`.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// What the expression is, in words, for error messages ("a function call", "a literal").
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            ExprKind::Name(_) => "a name",
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Ellipsis => "a literal",
            ExprKind::FString(_) => "an f-string",
            ExprKind::List(_) => "a list",
            ExprKind::Tuple(_) => "a tuple",
            ExprKind::Dict(_) => "a dict",
            ExprKind::Attribute { .. } => "an attribute",
            ExprKind::Subscript { .. } => "a subscript",
            ExprKind::Slice { .. } => "a slice",
            ExprKind::Call { .. } => "a function call",
            ExprKind::Unary { .. }
            | ExprKind::Binary { .. }
            | ExprKind::BoolOp { .. }
            | ExprKind::Compare { .. } => "an operator expression",
            ExprKind::IfElse { .. } => "a conditional expression",
            ExprKind::ListComp { .. } => "a list comprehension",
            ExprKind::Generator { .. } => "a generator expression",
        }
    }
}

impl Stmt {
    /// A statement of `kind` at `span`.
    pub fn new(kind: StmtKind, span: Span) -> Stmt {
        Stmt { kind, span }
    }
}
