//! Every error message, with its line and column: the exact text a person sees.

use super::*;

/// Checks that each source fails with exactly this kind, position and message.
fn check(cases: &[(&str, ErrorKind, u32, u32, &str)]) {
    for &(src, kind, line, column, message) in cases {
        let e = parse_err(src);
        assert_eq!(
            (e.kind, e.line(), e.column(), e.message.as_str()),
            (kind, line, column, message),
            "for {src:?}"
        );
    }
}

#[test]
fn the_briefs_examples_read_as_promised() {
    check(&[
        (
            "for i in range(10)\n    pass\n",
            ErrorKind::Syntax,
            1,
            19,
            "expected ':' after the `for` header, found the end of the line",
        ),
        (
            "x = = 1\n",
            ErrorKind::Syntax,
            1,
            5,
            "expected an expression after '=', found '='",
        ),
        (
            "  x = 1\n",
            ErrorKind::Indentation,
            1,
            3,
            "unexpected indent: this line is indented more than the one before it, but only a line ending with ':' starts an indented block",
        ),
        (
            "if x:\n    y\n  z\n",
            ErrorKind::Indentation,
            3,
            3,
            "unindent does not match any outer indentation level: this line is indented by 2 spaces, but the enclosing blocks are indented by 4 or 0",
        ),
        (
            "f(a,\n  b\n",
            ErrorKind::Syntax,
            1,
            2,
            "unclosed '(' opened at line 1, column 2: close it with ')'",
        ),
    ]);
}

#[test]
fn indentation_errors_name_the_block_and_the_fix() {
    check(&[
        (
            "if x:\npass\n",
            ErrorKind::Indentation,
            2,
            1,
            "expected an indented block after the `if` statement on line 1: indent the lines of the block (4 spaces more than the line ending with ':'), or write `pass` for an empty block",
        ),
        (
            "for i in x:\n",
            ErrorKind::Indentation,
            1,
            12,
            "expected an indented block after the `for` statement on line 1: indent the lines of the block (4 spaces more than the line ending with ':'), or write `pass` for an empty block",
        ),
        (
            "x = 1\n    y = 2\n",
            ErrorKind::Indentation,
            2,
            5,
            "unexpected indent: this line is indented more than the one before it, but only a line ending with ':' starts an indented block",
        ),
        (
            "x = 1\n\ty = 2\n",
            ErrorKind::Indentation,
            2,
            2,
            "unexpected indent: this line is indented more than the one before it, but only a line ending with ':' starts an indented block",
        ),
        (
            "def f():\nreturn 1\n",
            ErrorKind::Indentation,
            2,
            1,
            "expected an indented block after the definition of `f` on line 1: indent the lines of the block (4 spaces more than the line ending with ':'), or write `pass` for an empty block",
        ),
        (
            "for i in range(3):\n    x = i\n  y = 2\n",
            ErrorKind::Indentation,
            3,
            3,
            "unindent does not match any outer indentation level: this line is indented by 2 spaces, but the enclosing blocks are indented by 4 or 0",
        ),
        (
            "if x:\n\tpass\n        pass\n",
            ErrorKind::Indentation,
            3,
            9,
            "inconsistent use of tabs and spaces in indentation: indent with spaces only (4 per level)",
        ),
    ]);
}

#[test]
fn unsupported_python_names_the_construct_and_what_to_write_instead() {
    check(&[
        (
            "while True:\n    pass\nelse:\n    pass\n",
            ErrorKind::Unsupported,
            3,
            1,
            "`else` after a `while` loop is not part of the lab language: set a flag variable inside the loop and test it after the loop with `if`",
        ),
        (
            "for i in x:\n    pass\nelse:\n    pass\n",
            ErrorKind::Unsupported,
            3,
            1,
            "`else` after a `for` loop is not part of the lab language: set a flag variable inside the loop and test it after the loop with `if`",
        ),
        (
            "try:\n    x\nexcept:\n    pass\n",
            ErrorKind::Unsupported,
            1,
            1,
            "`try` is not part of the lab language (there is no `try` / `except`): an error stops the cell and shows its line; check values beforehand with `if` or `assert` instead",
        ),
        (
            "f = lambda x: x\n",
            ErrorKind::Unsupported,
            1,
            5,
            "`lambda` is not part of the lab language: define a function with `def name(args):` and `return`, and use its name",
        ),
        (
            "def g():\n    yield 1\n",
            ErrorKind::Unsupported,
            2,
            5,
            "`yield` (generator functions) is not part of the lab language: build a list and return it",
        ),
        (
            "global x\n",
            ErrorKind::Unsupported,
            1,
            1,
            "`global` is not part of the lab language: return the value from the function and assign it where you call it",
        ),
        (
            "nonlocal x\n",
            ErrorKind::Unsupported,
            1,
            1,
            "`nonlocal` is not part of the lab language: return the value from the function and assign it where you call it",
        ),
        (
            "@torch.no_grad()\ndef f():\n    pass\n",
            ErrorKind::Unsupported,
            1,
            1,
            "decorators (`@...` before a `def` or `class`) are not part of the lab language: call the function directly; for `@torch.no_grad()`, put the body of the function in `with torch.no_grad():`",
        ),
        (
            "async def f():\n    pass\n",
            ErrorKind::Unsupported,
            1,
            1,
            "`async` is not part of the lab language: write a plain `def`, `for` or `with`",
        ),
        (
            "raise ValueError('x')\n",
            ErrorKind::Unsupported,
            1,
            1,
            "`raise` is not part of the lab language: use `assert condition, \"message\"` to stop with an error",
        ),
        (
            "def f(a, /):\n    pass\n",
            ErrorKind::Unsupported,
            1,
            10,
            "positional-only parameters (`/`) are not part of the lab language: remove the `/`",
        ),
        (
            "class A(metaclass=M):\n    pass\n",
            ErrorKind::Unsupported,
            1,
            9,
            "keyword arguments in a class header (`metaclass=...`) are not part of the lab language",
        ),
        (
            "x = {1, 2}\n",
            ErrorKind::Unsupported,
            1,
            5,
            "set literals `{a, b}` are not part of the lab language: use a list `[a, b]`",
        ),
        (
            "x = {k: v for k, v in d}\n",
            ErrorKind::Unsupported,
            1,
            5,
            "dict comprehensions are not part of the lab language: build the dict in a `for` loop",
        ),
        (
            "x = {**d}\n",
            ErrorKind::Unsupported,
            1,
            6,
            "`**` inside a dict literal is not part of the lab language: copy the dict and assign its new keys one by one",
        ),
        (
            "a, *b = c\n",
            ErrorKind::Unsupported,
            1,
            4,
            "starred expressions (`*x`) are only allowed as call arguments, as in f(*x); to unpack into names, list them all: `a, b = pair`",
        ),
        (
            "from . import x\n",
            ErrorKind::Unsupported,
            1,
            6,
            "relative imports (`from . import x`) are not part of the lab language: import the module by its full name",
        ),
        (
            "from torch import *\n",
            ErrorKind::Unsupported,
            1,
            19,
            "`from torch import *` is not part of the lab language: import the names you use, as in `from torch import a, b`",
        ),
        (
            "x = (n := 10)\n",
            ErrorKind::Unsupported,
            1,
            8,
            "`:=` (the walrus operator) is not part of the lab language: assign the value on its own line first",
        ),
        (
            "x = yield\n",
            ErrorKind::Unsupported,
            1,
            5,
            "`yield` (generator functions) is not part of the lab language: build a list and return it",
        ),
        (
            "x = await f()\n",
            ErrorKind::Unsupported,
            1,
            5,
            "`await` is not part of the lab language: call the function directly",
        ),
        (
            "x = *a\n",
            ErrorKind::Unsupported,
            1,
            5,
            "starred expressions (`*x`) are only allowed as call arguments, as in f(*x); to unpack into names, list them all: `a, b = pair`",
        ),
        (
            "x = 3j\n",
            ErrorKind::Unsupported,
            1,
            5,
            "complex numbers (`1j`) are not part of the lab language",
        ),
        (
            "x = b'a'\n",
            ErrorKind::Unsupported,
            1,
            5,
            "bytes literals (b\"...\") are not part of the lab language: use a normal string",
        ),
        (
            "x = '\\N{DASH}'\n",
            ErrorKind::Unsupported,
            1,
            6,
            "named escapes `\\N{...}` are not supported: write the character itself or `\\u` with its code point",
        ),
    ]);
}

#[test]
fn assignment_targets_must_be_names_elements_attributes_or_tuples() {
    check(&[
        (
            "f(x) = 1\n",
            ErrorKind::Syntax,
            1,
            1,
            "cannot assign to a function call (`f(x)`): the left side of '=' must be a name, an element `a[i]`, an attribute `obj.x`, or a tuple of those",
        ),
        (
            "1 = x\n",
            ErrorKind::Syntax,
            1,
            1,
            "cannot assign to a literal (`1`): the left side of '=' must be a name, an element `a[i]`, an attribute `obj.x`, or a tuple of those",
        ),
        (
            "a + b = c\n",
            ErrorKind::Syntax,
            1,
            1,
            "cannot assign to an operator expression (`a + b`): the left side of '=' must be a name, an element `a[i]`, an attribute `obj.x`, or a tuple of those",
        ),
        (
            "a, f() = c\n",
            ErrorKind::Syntax,
            1,
            4,
            "cannot assign to a function call (`f()`): the left side of '=' must be a name, an element `a[i]`, an attribute `obj.x`, or a tuple of those",
        ),
        (
            "(a, b) += 1\n",
            ErrorKind::Syntax,
            1,
            1,
            "cannot use `+=` on a tuple: its target must be a single name, element `a[i]` or attribute `obj.x`",
        ),
        (
            "for f() in x:\n    pass\n",
            ErrorKind::Syntax,
            1,
            5,
            "the loop variable cannot be a function call (`f()`): after `for` write a name or names, as in `for i, x in enumerate(xs):`",
        ),
        (
            "del f()\n",
            ErrorKind::Syntax,
            1,
            5,
            "cannot delete a function call (`f()`): `del` takes names, elements `a[i]` or attributes `obj.x`",
        ),
        (
            "with open(p) as f() :\n    pass\n",
            ErrorKind::Syntax,
            1,
            17,
            "cannot assign to a function call (`f()`) after `as`: write a name, as in `with open(p) as f:`",
        ),
        (
            "a, b: int = 1, 2\n",
            ErrorKind::Syntax,
            1,
            1,
            "cannot annotate a tuple: only a single name, element or attribute can have a type annotation",
        ),
    ]);
}

#[test]
fn definitions_and_calls_follow_pythons_rules() {
    check(&[
        (
            "return 1\n",
            ErrorKind::Syntax,
            1,
            1,
            "`return` outside a function: it can only stand inside a `def`",
        ),
        (
            "break\n",
            ErrorKind::Syntax,
            1,
            1,
            "`break` outside a loop: it can only stand inside a `for` or `while` block",
        ),
        (
            "def f():\n    for i in x:\n        def g():\n            break\n",
            ErrorKind::Syntax,
            4,
            13,
            "`break` outside a loop: it can only stand inside a `for` or `while` block",
        ),
        (
            "def f(a=1, b):\n    pass\n",
            ErrorKind::Syntax,
            1,
            12,
            "parameter `b` without a default follows a parameter with a default: give `b` a default too, or move it before the parameters that have one",
        ),
        (
            "def f(a, a):\n    pass\n",
            ErrorKind::Syntax,
            1,
            10,
            "duplicate parameter `a` in the definition of `f`",
        ),
        (
            "def f(*):\n    pass\n",
            ErrorKind::Syntax,
            1,
            7,
            "a bare `*` must be followed by at least one named parameter",
        ),
        (
            "def f(**k, a):\n    pass\n",
            ErrorKind::Syntax,
            1,
            12,
            "`**k` must be the last parameter of `f`",
        ),
        (
            "def (x):\n    pass\n",
            ErrorKind::Syntax,
            1,
            5,
            "expected a function name after `def`, found '('",
        ),
        (
            "def f x:\n    pass\n",
            ErrorKind::Syntax,
            1,
            7,
            "expected '(' after `def f` (a definition reads `def f(x):`), found the name `x`",
        ),
        (
            "f(a=1, b)\n",
            ErrorKind::Syntax,
            1,
            8,
            "positional argument follows a keyword argument: put the positional arguments first, as in f(a, b, key=c)",
        ),
        (
            "f(a=1, a=2)\n",
            ErrorKind::Syntax,
            1,
            8,
            "keyword argument `a` is given twice",
        ),
        (
            "f(x for x in y, 1)\n",
            ErrorKind::Syntax,
            1,
            3,
            "a generator expression must be in parentheses unless it is the only argument: f((x for x in xs), y)",
        ),
        (
            "f(a.b=1)\n",
            ErrorKind::Syntax,
            1,
            3,
            "a keyword argument's name must be a plain name, as in f(x=1) (to compare two values, use '==')",
        ),
        (
            "x = f(a b)\n",
            ErrorKind::Syntax,
            1,
            9,
            "expected ',' or ')' after the argument (the call's '(' is at line 1, column 6), found the name `b` (is a comma or an operator missing?)",
        ),
        (
            "x.y: int = 1\nf(): int\n",
            ErrorKind::Syntax,
            2,
            4,
            "unexpected ':': only a line that starts with `if`, `elif`, `else`, `for`, `while`, `def`, `class` or `with` ends with ':' (check the spelling of the keyword)",
        ),
        (
            "class A:\n    return 1\n",
            ErrorKind::Syntax,
            2,
            5,
            "`return` outside a function: it can only stand inside a `def`",
        ),
    ]);
}

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
