//! Error messages for missing or misplaced tokens and for bad literals, and how an error
//! displays and renders its position (with the line and a caret), including errors at the end
//! of the code. Uses the `check` helper of `errors`.

use super::errors::check;
use super::*;

#[test]
fn missing_or_misplaced_tokens_say_what_was_expected() {
    check(&[
        (
            "x = \n",
            ErrorKind::Syntax,
            1,
            5,
            "expected an expression after '=', found the end of the line",
        ),
        (
            "if x = 1:\n    pass\n",
            ErrorKind::Syntax,
            1,
            6,
            "expected ':' after the `if` condition, found '=' (to compare two values, use '==')",
        ),
        (
            "x = [1, 2)\n",
            ErrorKind::Syntax,
            1,
            10,
            "closing ')' does not match '[' opened at line 1, column 5: close it with ']' first",
        ),
        (
            "x = 1)\n",
            ErrorKind::Syntax,
            1,
            6,
            "unmatched ')': there is no opening bracket for it to close",
        ),
        (
            "print 'hello'\n",
            ErrorKind::Syntax,
            1,
            7,
            "`print` is a function: write print(...) with parentheses around what to print",
        ),
        (
            "If x:\n    pass\n",
            ErrorKind::Syntax,
            1,
            1,
            "`If` is not a keyword: Python's keywords are lower case, write `if`",
        ),
        (
            "def f(x:\n    pass\n",
            ErrorKind::Syntax,
            1,
            6,
            "unclosed '(' opened at line 1, column 6: close it with ')'",
        ),
        (
            "from torch import nn,\n",
            ErrorKind::Syntax,
            1,
            22,
            "trailing comma not allowed in an import without parentheses: remove it, or put the names in parentheses",
        ),
        (
            "import\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected a module name, found the end of the line",
        ),
        (
            "x = a if b\n",
            ErrorKind::Syntax,
            1,
            11,
            "expected `else` in the conditional expression (it reads `a if condition else b`), found the end of the line",
        ),
        (
            "x = a[]\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected an index or slice inside '[ ]', found ']'",
        ),
        (
            "else:\n    pass\n",
            ErrorKind::Syntax,
            1,
            1,
            "unexpected `else`: it must follow an `if` block and start at the same indentation as that `if`",
        ),
        (
            "if x:\n    pass\nelif:\n    pass\n",
            ErrorKind::Syntax,
            3,
            5,
            "expected an expression after 'elif', found ':'",
        ),
        (
            "x = a.for\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected an attribute name after '.', found the keyword `for`, which cannot be used as a name",
        ),
        (
            "for = 1\n",
            ErrorKind::Syntax,
            1,
            5,
            "expected an expression after 'for', found '='",
        ),
        (
            "x = 1 if True else\n",
            ErrorKind::Syntax,
            1,
            19,
            "expected an expression after 'else', found the end of the line",
        ),
        (
            "if x: for i in y: pass\n",
            ErrorKind::Syntax,
            1,
            7,
            "a `for` statement cannot follow ':' on the same line: start it on a new, indented line",
        ),
        (
            "x = 1; for i in y: pass\n",
            ErrorKind::Syntax,
            1,
            8,
            "a `for` statement cannot follow ';': start it on a new line",
        ),
        (
            "x = not\n",
            ErrorKind::Syntax,
            1,
            8,
            "expected an expression after 'not', found the end of the line",
        ),
        (
            "x = a ==\n",
            ErrorKind::Syntax,
            1,
            9,
            "expected an expression after '==', found the end of the line",
        ),
        (
            "x = a not b\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected the end of the line after the statement, found the keyword `not`",
        ),
        (
            "x = 1 +\n",
            ErrorKind::Syntax,
            1,
            8,
            "expected an expression after '+', found the end of the line",
        ),
        (
            "x = 1 + \\\n",
            ErrorKind::Syntax,
            1,
            10,
            "expected an expression after '+', found the end of the line",
        ),
        (
            "class A\n    pass\n",
            ErrorKind::Syntax,
            1,
            8,
            "expected ':' after `class A`, found the end of the line",
        ),
        (
            "assert\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected an expression after 'assert', found the end of the line",
        ),
        (
            "x = (1, 2\ny = 3\n",
            ErrorKind::Syntax,
            1,
            5,
            "unclosed '(' opened at line 1, column 5: close it with ')'",
        ),
        (
            "x = a[1:2:3:4]\n",
            ErrorKind::Syntax,
            1,
            12,
            "expected ']' to close the '[' at line 1, column 6, found ':'",
        ),
        (
            "while x\n    pass\n",
            ErrorKind::Syntax,
            1,
            8,
            "expected ':' after the `while` condition, found the end of the line",
        ),
        (
            "with a\n    pass\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected ':' after the `with` header, found the end of the line",
        ),
        (
            "print(x\n",
            ErrorKind::Syntax,
            1,
            6,
            "unclosed '(' opened at line 1, column 6: close it with ')'",
        ),
        (
            "If x:\n    pass\n",
            ErrorKind::Syntax,
            1,
            1,
            "`If` is not a keyword: Python's keywords are lower case, write `if`",
        ),
        (
            "Return x\n",
            ErrorKind::Syntax,
            1,
            1,
            "`Return` is not a keyword: Python's keywords are lower case, write `return`",
        ),
        (
            "for i = 0; i < n; i++:\n    pass\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected `in` after the loop variable of the `for` statement, found '=' (a Python loop reads `for i in range(n):`)",
        ),
        (
            "x = [i for i in]\n",
            ErrorKind::Syntax,
            1,
            16,
            "expected an expression after 'in', found ']'",
        ),
        (
            "x = (\n",
            ErrorKind::Syntax,
            1,
            5,
            "unclosed '(' opened at line 1, column 5: close it with ')'",
        ),
        (
            ")\n",
            ErrorKind::Syntax,
            1,
            1,
            "unmatched ')': there is no opening bracket for it to close",
        ),
    ]);
}

#[test]
fn literal_errors_point_at_the_literal() {
    check(&[
        (
            "x = 1 2\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected the end of the line after the statement, found the number 2 (is a comma or an operator missing?)",
        ),
        (
            "x = [1 2]\n",
            ErrorKind::Syntax,
            1,
            8,
            "expected ']' to close the '[' at line 1, column 5, found the number 2 (is a comma or an operator missing?)",
        ),
        (
            "s = f'{x'\n",
            ErrorKind::Syntax,
            1,
            7,
            "f-string: expecting '}' to close the '{' at line 1, column 7",
        ),
        (
            "s = f'{x +}'\n",
            ErrorKind::Syntax,
            1,
            11,
            "expected an expression after '+', found the end of the f-string field",
        ),
        (
            "s = 'abc\n",
            ErrorKind::Syntax,
            1,
            5,
            "unterminated string starting at line 1, column 5: close it with ' on the same line, or use triple quotes (''') for text over several lines",
        ),
        (
            "x = 0777\n",
            ErrorKind::Syntax,
            1,
            5,
            "leading zeros are not allowed in the integer `0777`: write 777",
        ),
        (
            "x = 1__0\n",
            ErrorKind::Syntax,
            1,
            5,
            "invalid underscore in the number `1__0`: underscores go between digits, as in 10_000",
        ),
        (
            "x = \"a\" \"b\n",
            ErrorKind::Syntax,
            1,
            9,
            "unterminated string starting at line 1, column 9: close it with \" on the same line, or use triple quotes (\"\"\") for text over several lines",
        ),
        (
            "x = '\\x4'\n",
            ErrorKind::Syntax,
            1,
            6,
            "invalid escape `\\x`: it needs exactly 2 hex digits, as in `\\x41`",
        ),
        (
            "x = a && b\n",
            ErrorKind::Syntax,
            1,
            7,
            "'&&' is not Python: write `and`",
        ),
        (
            "x = !a\n",
            ErrorKind::Syntax,
            1,
            5,
            "'!' is not an operator in Python: write `not x` to negate, or `!=` for 'not equal'",
        ),
        (
            "x = “hi”\n",
            ErrorKind::Syntax,
            1,
            5,
            "unexpected character '“' (U+201C, a typographic quote often pasted from a document): use a straight quote \" instead",
        ),
        (
            "s = f'{}'\n",
            ErrorKind::Syntax,
            1,
            7,
            "f-string: empty expression: put an expression between the braces, or write '{{' for a literal brace",
        ),
        (
            "s = f'}'\n",
            ErrorKind::Syntax,
            1,
            7,
            "single '}' is not allowed in an f-string: write '}}' for a literal brace",
        ),
        (
            "s = f'{x!z}'\n",
            ErrorKind::Syntax,
            1,
            9,
            "f-string: invalid conversion: expected 's', 'r' or 'a' after '!'",
        ),
        (
            "s = f'{x +}'\n",
            ErrorKind::Syntax,
            1,
            11,
            "expected an expression after '+', found the end of the f-string field",
        ),
        (
            "s = f'{a}{b:{c:{d}}}'\n",
            ErrorKind::Syntax,
            1,
            16,
            "f-string: fields are nested too deeply (a format spec may hold fields, but their specs may not)",
        ),
        (
            "x = 99999999999999999999\n",
            ErrorKind::Syntax,
            1,
            5,
            "the integer `99999999999999999999` is too large: the lab language's integers are 64-bit (at most 9223372036854775807); write a float such as 1e20 instead",
        ),
    ]);
}

#[test]
fn display_puts_the_position_before_the_message() {
    assert_eq!(
        parse_err("for i in range(10)\n    pass\n").to_string(),
        "line 1, column 19: expected ':' after the `for` header, found the end of the line"
    );
}

#[test]
fn render_shows_the_line_and_a_caret_under_the_column() {
    let src = "x = 1\nfor i in range(10)\n    pass\n";
    assert_eq!(
        parse_err(src).render(src),
        "line 2, column 19: expected ':' after the `for` header, found the end of the line\n    \
         for i in range(10)\n                      ^"
    );
    let tabbed = "if x:\n\ty = (1,\n";
    assert!(parse_err(tabbed).render(tabbed).ends_with("\n    \t    ^"));
}

#[test]
fn errors_at_the_end_of_the_code_point_at_its_last_line() {
    // four lines, the last two empty: the block was expected on the last one
    let e = parse_err("x = 1\nfor i in x:\n\n\n");
    assert_eq!((e.line(), e.column()), (4, 1));
    let e = parse_err("x = (1 +");
    assert_eq!((e.line(), e.column()), (1, 5));
    let e = parse_err("y = 2\nx = 1 +\n");
    assert_eq!((e.line(), e.column()), (2, 8));
}
