//! Property test: random edits of the lab scripts never make the reader panic, every error
//! points inside the source, and whatever still parses round-trips through `unparse`.

use super::*;
use crate::rng;

/// Characters that tend to break Python's structure.
const NASTY: &[char] = &[
    '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '\'', '"', '\\', '\n', '\t', ' ', '#', '*',
    '-', '!', 'f', '0', '_', 'é', '\u{201c}', '\r', '@', ';', '{', '}',
];

/// One random edit of `chars`: delete, duplicate, insert a nasty character, or swap two
/// neighbours.
fn mutate(chars: &mut Vec<char>, g: &mut rng::Rng) {
    if chars.is_empty() {
        chars.push('x');
        return;
    }
    let at = rng::below(g, chars.len());
    match rng::below(g, 4) {
        0 => {
            chars.remove(at);
        }
        1 => {
            let c = chars[at];
            chars.insert(at, c);
        }
        2 => {
            let c = NASTY[rng::below(g, NASTY.len())];
            chars.insert(at, c);
        }
        _ => {
            if at + 1 < chars.len() {
                chars.swap(at, at + 1);
            }
        }
    }
}

/// Lines of `src` as the reader counts them (`\r\n` and `\r` end lines too), at least 1.
fn line_count(src: &str) -> u32 {
    let normal = src.replace("\r\n", "\n").replace('\r', "\n");
    normal.lines().count().max(1) as u32
}

fn check(src: &str) {
    match parse(src) {
        Ok(program) => {
            // whatever parses must print as source that parses to the same tree
            let text = unparse(&program);
            let mut again = match parse(&text) {
                Ok(p) => p,
                Err(e) => panic!("{e}\n--- mutated ---\n{src}\n--- printed ---\n{text}"),
            };
            let mut first = program;
            clear_spans(&mut first);
            clear_spans(&mut again);
            assert_eq!(
                first, again,
                "--- mutated ---\n{src}\n--- printed ---\n{text}"
            );
        }
        Err(e) => {
            let lines = line_count(src);
            assert!(
                e.line() >= 1 && e.line() <= lines,
                "error line {} outside 1..={lines}: {e}\n--- source ---\n{src}",
                e.line()
            );
            assert!(e.column() >= 1, "{e}");
            assert!(!e.message.is_empty());
            let _ = e.render(src);
        }
    }
}

/// Mutants per lab: 300, or `FLOWLAB_LANG_MUTATIONS` for a longer run (with the seed
/// `FLOWLAB_LANG_SEED`, default 2024).
fn rounds_and_seed() -> (usize, u64) {
    let read = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
    (
        read("FLOWLAB_LANG_MUTATIONS").map_or(300, |n: u64| n as usize),
        read("FLOWLAB_LANG_SEED").unwrap_or(2024),
    )
}

#[test]
fn mutated_labs_never_panic_and_errors_point_inside_the_source() {
    let (rounds, seed) = rounds_and_seed();
    let mut g = rng::seeded(seed);
    for (_, lab) in super::labs::LABS {
        let original: Vec<char> = lab.chars().collect();
        for round in 0..rounds {
            let mut chars = original.clone();
            // one to eight edits, more edits in later rounds
            for _ in 0..1 + round % 8 {
                mutate(&mut chars, &mut g);
            }
            let src: String = chars.iter().collect();
            check(&src);
        }
    }
}

#[test]
fn every_prefix_of_a_lab_parses_or_fails_cleanly() {
    let src = super::labs::LABS[3].1;
    let cut: Vec<usize> = src.char_indices().map(|(i, _)| i).step_by(7).collect();
    for i in cut {
        check(&src[..i]);
    }
}

#[test]
fn random_token_soup_never_panics() {
    const PIECES: &[&str] = &[
        "x",
        "1",
        "2.5",
        "'s'",
        "f'{x}'",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        ".",
        "=",
        "+",
        "-",
        "*",
        "**",
        "/",
        "@",
        "<",
        "==",
        "not",
        "and",
        "or",
        "if",
        "else",
        "for",
        "in",
        "def",
        "class",
        "return",
        "lambda",
        "yield",
        "\n",
        "\n    ",
        "\n        ",
        " ",
        "...",
        "None",
        "with",
        "as",
        "import",
        "from",
        "while",
        "break",
        "\\\n",
        "#c\n",
        ";",
        "try",
        "@dec\n",
        "*args",
        "**kw",
        "f'{",
        "}'",
        "'''",
        "\t",
    ];
    let mut g = rng::seeded(7);
    for _ in 0..3000 {
        let n = 1 + rng::below(&mut g, 25);
        let src: String = (0..n)
            .map(|_| PIECES[rng::below(&mut g, PIECES.len())])
            .collect();
        check(&src);
    }
}
