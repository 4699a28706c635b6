//! Tokens: what the lexer cuts the source into and the parser reads.

use super::ast::{Conversion, Span};

/// One token and its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The kinds of tokens.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// An identifier that is not a keyword.
    Name(String),
    /// An integer literal's value.
    Int(i64),
    /// A float literal's value.
    Float(f64),
    /// A string literal's value, escapes resolved.
    Str(String),
    /// An f-string's pieces; the fields' expressions are still source text, parsed by the
    /// parser.
    FString(Vec<RawFStringPart>),
    Keyword(Keyword),
    Op(Op),
    /// The end of a logical line.
    Newline,
    /// The start of a more indented block.
    Indent,
    /// The end of an indented block.
    Dedent,
    /// The end of the source.
    Eof,
}

/// A piece of an f-string as the lexer sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum RawFStringPart {
    /// Text, escapes and doubled braces resolved.
    Literal(String),
    /// `{source!conversion:spec}`.
    Field {
        /// The expression's source text, between `{` and `!`, `:`, `=` or `}`.
        source: String,
        /// Where `source` starts, so errors inside it point into the f-string.
        line: u32,
        column: u32,
        conversion: Option<Conversion>,
        spec: Vec<RawFStringPart>,
        /// For `{x = }`: the text `x = ` to print before the value.
        debug_text: Option<String>,
    },
}

/// Python's keywords. (`match`, `case`, `type` and `_` are soft keywords in Python and plain
/// names here.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
}

impl Keyword {
    const ALL: [Keyword; 35] = [
        Keyword::False,
        Keyword::None,
        Keyword::True,
        Keyword::And,
        Keyword::As,
        Keyword::Assert,
        Keyword::Async,
        Keyword::Await,
        Keyword::Break,
        Keyword::Class,
        Keyword::Continue,
        Keyword::Def,
        Keyword::Del,
        Keyword::Elif,
        Keyword::Else,
        Keyword::Except,
        Keyword::Finally,
        Keyword::For,
        Keyword::From,
        Keyword::Global,
        Keyword::If,
        Keyword::Import,
        Keyword::In,
        Keyword::Is,
        Keyword::Lambda,
        Keyword::Nonlocal,
        Keyword::Not,
        Keyword::Or,
        Keyword::Pass,
        Keyword::Raise,
        Keyword::Return,
        Keyword::Try,
        Keyword::While,
        Keyword::With,
        Keyword::Yield,
    ];

    /// The keyword for an identifier, if it is one.
    pub fn from_name(name: &str) -> Option<Keyword> {
        Keyword::ALL.iter().copied().find(|k| k.text() == name)
    }

    /// The keyword as written.
    pub fn text(self) -> &'static str {
        match self {
            Keyword::False => "False",
            Keyword::None => "None",
            Keyword::True => "True",
            Keyword::And => "and",
            Keyword::As => "as",
            Keyword::Assert => "assert",
            Keyword::Async => "async",
            Keyword::Await => "await",
            Keyword::Break => "break",
            Keyword::Class => "class",
            Keyword::Continue => "continue",
            Keyword::Def => "def",
            Keyword::Del => "del",
            Keyword::Elif => "elif",
            Keyword::Else => "else",
            Keyword::Except => "except",
            Keyword::Finally => "finally",
            Keyword::For => "for",
            Keyword::From => "from",
            Keyword::Global => "global",
            Keyword::If => "if",
            Keyword::Import => "import",
            Keyword::In => "in",
            Keyword::Is => "is",
            Keyword::Lambda => "lambda",
            Keyword::Nonlocal => "nonlocal",
            Keyword::Not => "not",
            Keyword::Or => "or",
            Keyword::Pass => "pass",
            Keyword::Raise => "raise",
            Keyword::Return => "return",
            Keyword::Try => "try",
            Keyword::While => "while",
            Keyword::With => "with",
            Keyword::Yield => "yield",
        }
    }
}

/// Operators and delimiters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Semicolon,
    Dot,
    Ellipsis,
    Arrow,
    Plus,
    Minus,
    Star,
    Slash,
    DoubleSlash,
    Percent,
    DoubleStar,
    At,
    Pipe,
    Amp,
    Caret,
    Tilde,
    LShift,
    RShift,
    Lt,
    Gt,
    LtE,
    GtE,
    EqEq,
    NotEq,
    Assign,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    DoubleSlashEq,
    PercentEq,
    DoubleStarEq,
    AtEq,
    PipeEq,
    AmpEq,
    CaretEq,
    LShiftEq,
    RShiftEq,
}

impl Op {
    /// Every operator, longest spellings first, so the lexer can take the first prefix match.
    pub(crate) const BY_LENGTH: [Op; 46] = [
        Op::DoubleStarEq,
        Op::DoubleSlashEq,
        Op::LShiftEq,
        Op::RShiftEq,
        Op::Ellipsis,
        Op::Arrow,
        Op::DoubleStar,
        Op::DoubleSlash,
        Op::LShift,
        Op::RShift,
        Op::LtE,
        Op::GtE,
        Op::EqEq,
        Op::NotEq,
        Op::PlusEq,
        Op::MinusEq,
        Op::StarEq,
        Op::SlashEq,
        Op::PercentEq,
        Op::AtEq,
        Op::PipeEq,
        Op::AmpEq,
        Op::CaretEq,
        Op::LParen,
        Op::RParen,
        Op::LBracket,
        Op::RBracket,
        Op::LBrace,
        Op::RBrace,
        Op::Comma,
        Op::Colon,
        Op::Semicolon,
        Op::Dot,
        Op::Plus,
        Op::Minus,
        Op::Star,
        Op::Slash,
        Op::Percent,
        Op::At,
        Op::Pipe,
        Op::Amp,
        Op::Caret,
        Op::Tilde,
        Op::Lt,
        Op::Gt,
        Op::Assign,
    ];

    /// The operator as written.
    pub fn text(self) -> &'static str {
        match self {
            Op::LParen => "(",
            Op::RParen => ")",
            Op::LBracket => "[",
            Op::RBracket => "]",
            Op::LBrace => "{",
            Op::RBrace => "}",
            Op::Comma => ",",
            Op::Colon => ":",
            Op::Semicolon => ";",
            Op::Dot => ".",
            Op::Ellipsis => "...",
            Op::Arrow => "->",
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Star => "*",
            Op::Slash => "/",
            Op::DoubleSlash => "//",
            Op::Percent => "%",
            Op::DoubleStar => "**",
            Op::At => "@",
            Op::Pipe => "|",
            Op::Amp => "&",
            Op::Caret => "^",
            Op::Tilde => "~",
            Op::LShift => "<<",
            Op::RShift => ">>",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::LtE => "<=",
            Op::GtE => ">=",
            Op::EqEq => "==",
            Op::NotEq => "!=",
            Op::Assign => "=",
            Op::PlusEq => "+=",
            Op::MinusEq => "-=",
            Op::StarEq => "*=",
            Op::SlashEq => "/=",
            Op::DoubleSlashEq => "//=",
            Op::PercentEq => "%=",
            Op::DoubleStarEq => "**=",
            Op::AtEq => "@=",
            Op::PipeEq => "|=",
            Op::AmpEq => "&=",
            Op::CaretEq => "^=",
            Op::LShiftEq => "<<=",
            Op::RShiftEq => ">>=",
        }
    }
}

impl TokenKind {
    /// The token in words, for "expected X, found Y" messages: `'('`, "the name `x`",
    /// "the end of the line".
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Name(name) => format!("the name `{name}`"),
            TokenKind::Int(v) => format!("the number {v}"),
            TokenKind::Float(v) => format!("the number {v:?}"),
            TokenKind::Str(_) => "a string".to_string(),
            TokenKind::FString(_) => "an f-string".to_string(),
            TokenKind::Keyword(k) => format!("the keyword `{}`", k.text()),
            TokenKind::Op(op) => format!("'{}'", op.text()),
            TokenKind::Newline => "the end of the line".to_string(),
            TokenKind::Indent => "an indented line".to_string(),
            TokenKind::Dedent => "the end of the indented block".to_string(),
            TokenKind::Eof => "the end of the code".to_string(),
        }
    }

    /// The token as it would be written, for "after X" in messages (`=`, `for`, `x`).
    pub fn text(&self) -> String {
        match self {
            TokenKind::Name(name) => name.clone(),
            TokenKind::Int(v) => v.to_string(),
            TokenKind::Float(v) => format!("{v:?}"),
            TokenKind::Str(_) | TokenKind::FString(_) => "the string".to_string(),
            TokenKind::Keyword(k) => k.text().to_string(),
            TokenKind::Op(op) => op.text().to_string(),
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent | TokenKind::Eof => {
                String::new()
            }
        }
    }
}
