//! Every program of `tests/lang/corpus/` runs in the interpreter and prints what real CPython +
//! PyTorch printed for it (the `.out` files, made by `tests/golden/make_corpus.py`): text
//! between numbers exactly, numbers within float32 rounding (see the corpus README).
//!
//! `FLOWLAB_CORPUS=35_sgd cargo test --test lang_corpus` runs only the programs whose name
//! contains the given text.
#![cfg(feature = "lang")]

use flowlab::lang::interp::Session;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lang/corpus")
}

/// A line split into text and number tokens.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    Number(&'a str),
}

fn tokens(line: &str) -> Vec<Token<'_>> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = number_at(bytes, i) {
            if text_start < i {
                out.push(Token::Text(&line[text_start..i]));
            }
            out.push(Token::Number(&line[i..end]));
            i = end;
            text_start = i;
        } else {
            i += 1;
        }
    }
    if text_start < bytes.len() {
        out.push(Token::Text(&line[text_start..]));
    }
    out
}

/// The end of the number starting at `i` (regex `[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`).
fn number_at(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
        j += 1;
    }
    let digits = |mut k: usize| {
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        k
    };
    let start = j;
    if j < b.len() && b[j].is_ascii_digit() {
        j = digits(j);
        if j < b.len() && b[j] == b'.' {
            j = digits(j + 1);
        }
    } else if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
        j = digits(j + 1);
    } else {
        return None;
    }
    if j == start {
        return None;
    }
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        let mut k = j + 1;
        if k < b.len() && (b[k] == b'-' || b[k] == b'+') {
            k += 1;
        }
        if k < b.len() && b[k].is_ascii_digit() {
            j = digits(k);
        }
    }
    Some(j)
}

/// One unit in the last printed digit of a float token (`0.1235` → 1e-4).
fn last_digit_unit(token: &str) -> f64 {
    let (mantissa, exp) = match token.find(['e', 'E']) {
        Some(p) => (&token[..p], token[p + 1..].parse::<i32>().unwrap_or(0)),
        None => (token, 0),
    };
    let decimals = mantissa.find('.').map_or(0, |p| mantissa.len() - p - 1) as i32;
    10f64.powi(exp - decimals)
}

fn numbers_match(actual: &str, expected: &str) -> bool {
    let is_float = |t: &str| t.contains(['.', 'e', 'E']);
    if !is_float(expected) {
        return actual == expected;
    }
    let (Ok(a), Ok(e)) = (actual.parse::<f64>(), expected.parse::<f64>()) else {
        return false;
    };
    let atol = last_digit_unit(expected).max(1e-6);
    (a - e).abs() <= 1e-5 * e.abs() + atol
}

fn lines_match(actual: &str, expected: &str) -> bool {
    let (a, e) = (tokens(actual), tokens(expected));
    a.len() == e.len()
        && a.iter().zip(&e).all(|(x, y)| match (x, y) {
            (Token::Text(p), Token::Text(q)) => p == q,
            (Token::Number(p), Token::Number(q)) => numbers_match(p, q),
            _ => false,
        })
}

/// The first difference between the outputs, or `None` when they match.
fn compare(actual: &str, expected: &str) -> Option<String> {
    let a: Vec<&str> = actual.lines().collect();
    let e: Vec<&str> = expected.lines().collect();
    for (i, (x, y)) in a.iter().zip(&e).enumerate() {
        if !lines_match(x, y) {
            return Some(format!(
                "line {}:\n    got      {x:?}\n    expected {y:?}",
                i + 1
            ));
        }
    }
    if a.len() != e.len() {
        return Some(format!(
            "{} lines printed, {} expected; first extra: {:?}",
            a.len(),
            e.len(),
            a.get(e.len()).or(e.get(a.len()))
        ));
    }
    None
}

#[test]
fn the_comparison_follows_the_corpus_rules() {
    assert!(lines_match(
        "tensor([0.1235, 2.0000])",
        "tensor([0.1234, 2.0000])"
    ));
    assert!(!lines_match(
        "tensor([0.1250, 2.0000])",
        "tensor([0.1234, 2.0000])"
    ));
    assert!(!lines_match("tensor([1, 2])", "tensor([1, 3])"));
    assert!(lines_match("0.30000001192092896", "0.3000000119209290"));
    assert!(!lines_match("7", "8"));
    assert!(lines_match("x = -1.5e-05", "x = -1.5e-05"));
    assert!(!lines_match("a  b", "a b"));
    assert_eq!(
        tokens("t=-0.5e+3,x"),
        vec![
            Token::Text("t="),
            Token::Number("-0.5e+3"),
            Token::Text(",x")
        ]
    );
}

#[test]
fn every_corpus_program_prints_what_python_printed() {
    let filter = std::env::var("FLOWLAB_CORPUS").unwrap_or_default();
    let mut programs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    programs.sort();
    assert!(
        !filter.is_empty() || programs.len() >= 40,
        "the corpus is missing"
    );
    let mut failures = Vec::new();
    for path in &programs {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = std::fs::read_to_string(path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("out")).unwrap();
        let mut session = Session::new(0);
        let result = session.run(&source);
        let printed = session.take_text();
        if let Err(e) = result {
            failures.push(format!(
                "{name}: {}: {}\n  (after {} lines of output)",
                e.kind.name(),
                e.render(&source),
                printed.lines().count()
            ));
            continue;
        }
        if let Some(diff) = compare(&printed, &expected) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus programs differ from Python:\n{}",
        failures.len(),
        programs.len(),
        failures.join("\n")
    );
}
