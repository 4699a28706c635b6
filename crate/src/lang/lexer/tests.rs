//! Unit tests of the lexer: token kinds and spans for indentation, line joining, numbers,
//! strings and f-strings, keywords and operators, and the position and wording of its errors.

use super::*;
use crate::lang::ast::Conversion;
use crate::lang::token::RawFStringPart;

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
