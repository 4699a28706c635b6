//! Nesting limits: deep or long inputs give a clear error, never a stack overflow, and the
//! deepest accepted input parses on a small stack.

use super::*;

fn too_deep(src: &str) {
    let e = parse_err(src);
    assert_eq!(e.kind, ErrorKind::TooDeep, "{e}");
    assert!(
        e.message.starts_with("too deeply nested") || e.message.starts_with("too many"),
        "{e}"
    );
}

#[test]
fn deep_parentheses_are_an_error() {
    too_deep(&format!("x = {}1{}", "(".repeat(250), ")".repeat(250)));
    too_deep(&format!("x = {}", "(".repeat(100_000)));
}

#[test]
fn deep_brackets_of_every_kind_are_an_error() {
    too_deep(&format!("x = {}1{}", "[".repeat(250), "]".repeat(250)));
    too_deep(&format!("x = {}{}", "{1: ".repeat(250), "}".repeat(250)));
    too_deep(&format!("x = {}x{}", "f(".repeat(150), ")".repeat(150)));
    too_deep(&format!("x = a{}", "[0]".repeat(300)));
}

#[test]
fn long_operator_chains_are_an_error() {
    too_deep(&format!("x = {}x", "-".repeat(100_000)));
    too_deep(&format!("x = {}x", "not ".repeat(50_000)));
    too_deep(&format!("x = x{}", " ** x".repeat(50_000)));
    too_deep(&format!("x = x{}", " + x".repeat(50_000)));
    too_deep(&format!("x = x{}", ".a".repeat(50_000)));
    too_deep(&format!("x = x{}", "(1)".repeat(50_000)));
    too_deep(&format!("x = {}0", "1 if c else ".repeat(50_000)));
}

#[test]
fn deep_blocks_are_an_error() {
    let mut src = String::new();
    for depth in 0..300 {
        src.push_str(&" ".repeat(depth));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(300));
    src.push_str("pass\n");
    too_deep(&src);
}

#[test]
fn deep_fstring_nesting_is_an_error() {
    let mut src = "x".to_string();
    for _ in 0..120 {
        src = format!("f({src})");
    }
    too_deep(&format!("s = f'{{{src}}}'"));
}

#[test]
fn flat_constructs_have_no_length_limit() {
    let items = vec!["1"; 50_000].join(", ");
    assert_eq!(parse_ok(&format!("x = [{items}]\n")).body.len(), 1);
    let ands = vec!["a"; 50_000].join(" and ");
    assert_eq!(parse_ok(&format!("x = {ands}\n")).body.len(), 1);
    let cmps = vec!["a"; 50_000].join(" < ");
    assert_eq!(parse_ok(&format!("x = {cmps}\n")).body.len(), 1);
    let many = "x = 1\n".repeat(100_000);
    assert_eq!(parse_ok(&many).body.len(), 100_000);
    let strings = vec!["'a'"; 50_000].join(" ");
    assert_eq!(parse_ok(&format!("x = ({strings})\n")).body.len(), 1);
}

#[test]
fn moderate_nesting_is_accepted() {
    parse_ok(&format!("x = {}1{}\n", "(".repeat(80), ")".repeat(80)));
    parse_ok(&format!("x = {}x\n", "-".repeat(80)));
    parse_ok(&format!("x = x{}\n", " + x".repeat(80)));
}

/// Runs `f` on a thread with a 2 MiB stack (Rust's default for test threads). Measured at the
/// limit: about 175 KiB for parsing optimised (opt-level 2 or 3, as in the test profile and the
/// wasm build) and about 1.2 MiB unoptimised, for the worst case, 98 nested parentheses.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the parse overflowed or panicked");
}

#[test]
fn deepest_accepted_inputs_parse_and_print_on_a_two_mib_stack() {
    on_small_stack(|| {
        let limit = MAX_NESTING;
        let cases = [
            // each level: a bracket, counted once
            format!("x = {}1{}\n", "(".repeat(limit - 2), ")".repeat(limit - 2)),
            format!("x = {}1{}\n", "[".repeat(limit - 2), "]".repeat(limit - 2)),
            format!(
                "x = f'{{{}1{}}}'\n",
                "(".repeat(limit - 4),
                ")".repeat(limit - 4)
            ),
            format!(
                "x = {}1{}\n",
                "a[".repeat(limit / 2 - 2),
                "]".repeat(limit / 2 - 2)
            ),
            // each level: a call and its argument list
            format!(
                "x = {}1{}\n",
                "f(".repeat(limit / 2 - 1),
                ")".repeat(limit / 2 - 1)
            ),
            format!(
                "x = {}1{}\n",
                "-(".repeat(limit / 2 - 1),
                ")".repeat(limit / 2 - 1)
            ),
            format!("x = {}x\n", "not ".repeat(limit - 2)),
            format!("x = 1{}\n", " ** 1".repeat(limit - 2)),
            format!("x = {}0\n", "1 if c else ".repeat(limit - 2)),
        ];
        for src in cases {
            let program = parse(&src);
            let program = match program {
                Ok(p) => p,
                Err(e) => panic!("{e} for {}...", &src[..40]),
            };
            let text = unparse(&program);
            assert!(parse(&text).is_ok());
            drop(program);
        }
    });
}
