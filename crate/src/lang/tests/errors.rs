//! Every error message, with its line and column: the exact text a person sees. This file holds
//! the shared `check` helper and the errors of statements (indentation, unsupported Python,
//! assignment targets, definitions and calls); `errors_tokens` has the rest.

use super::*;

/// Checks that each source fails with exactly this kind, position and message.
pub(super) fn check(cases: &[(&str, ErrorKind, u32, u32, &str)]) {
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
