//! The warm-ups (`warm_ups.py`): the versions, the full version run cell by cell, and each
//! blank's check on correct answers in several forms and on the typical mistakes.

use super::tests::fill;
use super::*;
use crate::lang::interp::Session;
use std::collections::HashMap;

const BLANKS: [&str; 5] = ["nll", "mle", "T_inv", "dT_inv", "log_p1"];

#[test]
fn the_warm_ups_have_a_full_and_a_todo_version() {
    let lab = Lab::warm_ups();
    assert_eq!(lab.name, "warm-ups");
    assert_eq!(lab.modes(), [Mode::Full, Mode::Todo]);
    assert!(lab
        .mode("mid")
        .unwrap_err()
        .contains("no mid version: use full or todo"));
    assert_eq!(Lab::flow_matching().modes(), Mode::ALL);
    assert!(Lab::named("nope")
        .unwrap_err()
        .contains("flow-matching, warm-ups"));
    let ids: Vec<String> = lab
        .cells(Mode::Todo)
        .into_iter()
        .flat_map(|c| c.blanks.into_iter().map(|b| b.id))
        .collect();
    assert_eq!(ids, BLANKS);
    let todo = lab.script(Mode::Todo, true);
    assert_eq!(todo.matches("...  # TODO").count(), 5, "{todo}");
    assert!(!todo.contains("#|"));
    assert!(todo.starts_with("# Warm-ups before flow matching: the todo lab (flowlab)."));
    assert!(!todo.contains("    return (y - b) / a"));
    assert!(!lab.script(Mode::Full, true).contains("TODO"));
    // an exported file comes back into its version
    let back = lab.import(&todo).unwrap();
    assert_eq!(back.mode, Some(Mode::Todo));
    assert!(back.cells.contains_key("the-negative-log-likelihood"));
}

/// Runs the warm-ups in `mode` cell by cell with `answers` in place of blanks (the solution
/// for those not given) and `edits` (cell id, from, to) applied first; returns each blank's
/// check as "Status: message" and each cell's error.
fn run(
    mode: Mode,
    answers: &[(&str, &str)],
    edits: &[(&str, &str, &str)],
) -> (Session, HashMap<String, String>) {
    let lab = Lab::warm_ups();
    let answers: HashMap<&str, &str> = answers.iter().copied().collect();
    let mut session = Session::new(0);
    let mut out = HashMap::new();
    for cell in lab.cells(mode) {
        if cell.kind != CellKind::Code {
            continue;
        }
        let fills: Vec<&str> = cell
            .blanks
            .iter()
            .map(|b| answers.get(b.id.as_str()).copied().unwrap_or(&b.solution))
            .collect();
        let mut code = if mode == Mode::Full {
            cell.text.clone()
        } else {
            fill(&cell.text, &fills)
        };
        for (id, from, to) in edits {
            if *id == cell.id {
                assert!(code.contains(from), "{from:?} not in {}", cell.id);
                code = code.replace(from, to);
            }
        }
        if let Err(e) = session.run(&code) {
            out.insert(cell.id.clone(), e.to_string());
        }
        session.take_text();
        session.take_figures();
        for b in &cell.blanks {
            let c = lab.check(&mut session, &b.id);
            out.insert(b.id.clone(), format!("{:?}: {}", c.status, c.message));
        }
    }
    // the full version has no blanks of its own: check them all at the end
    for blank in BLANKS {
        if !out.contains_key(blank) {
            let c = lab.check(&mut session, blank);
            out.insert(blank.to_string(), format!("{:?}: {}", c.status, c.message));
        }
    }
    (session, out)
}

#[test]
fn the_full_version_runs_and_draws_both_figures() {
    let lab = Lab::warm_ups();
    let mut s = Session::new(0);
    let mut figures = Vec::new();
    for cell in lab.cells(Mode::Full) {
        if cell.kind == CellKind::Code {
            s.run(&cell.text)
                .unwrap_or_else(|e| panic!("{}: {e}", cell.id));
            figures.extend(s.take_figures());
        }
    }
    let described: Vec<String> = figures.iter().map(|f| f.describe()).collect();
    assert_eq!(described.len(), 2, "{described:#?}");
    assert!(
        described[0].contains("\"likelihood L(p)\": line 199 pts, dashed vline at 0.5 \"p_hat\""),
        "{}",
        described[0]
    );
    assert!(described[1].contains("bars 80 bins \"samples of T(x)\", line 300 pts \"your p1\""));
    let text = s.take_text();
    assert!(text.contains("10 flips: 5 heads, 5 tails"), "{text}");
    assert!(text.contains("p_hat = 0.500"), "{text}");
    // every check passes on the full version
    for blank in BLANKS {
        let c = lab.check(&mut s, blank);
        assert_eq!(c.status, Status::Pass, "{c:?}");
    }
}

#[test]
fn the_todo_blanks_are_missing_until_written() {
    let lab = Lab::warm_ups();
    let mut fresh = Session::new(0);
    for blank in BLANKS {
        assert_eq!(
            lab.check(&mut fresh, blank).status,
            Status::Missing,
            "{blank}"
        );
    }
    // the todo version as shipped: its cells run as far as the blanks let them, and no blank
    // passes
    let mut s = Session::new(0);
    for cell in lab.cells(Mode::Todo) {
        if cell.kind == CellKind::Code {
            let _ = s.run(&cell.text);
            for b in &cell.blanks {
                let c = lab.check(&mut s, &b.id);
                assert_ne!(c.status, Status::Pass, "{c:?}");
                assert!(
                    c.message.contains("None") || c.message.contains("`...`"),
                    "{c:?}"
                );
            }
        }
    }
}

fn status(out: &HashMap<String, String>, blank: &str) -> String {
    out[blank].clone()
}

#[test]
fn several_correct_forms_pass() {
    let forms: [(&str, &str); 11] = [
        ("nll", "return -(flips.count('H') * torch.log(p) + flips.count('T') * torch.log(1 - p))"),
        ("nll", "return -sum([torch.log(p) if c == 'H' else torch.log(1 - p) for c in flips])"),
        (
            "nll",
            "y = torch.tensor([1.0 if c == 'H' else 0.0 for c in flips])\nreturn -(y.sum() * torch.log(p) + (1 - y).sum() * torch.log(1 - p))",
        ),
        ("nll", "h = flips.count('H')\nreturn -torch.log(p ** h * (1 - p) ** (len(flips) - h))"),
        (
            "nll",
            "h = flips.count('H')\nn = len(flips)\nreturn -(h * torch.log(p) + (n - h) * torch.log(1 - p)) / n",
        ),
        ("mle", "return torch.tensor([1.0 if c == 'H' else 0.0 for c in flips]).mean()"),
        ("mle", "return sum([c == 'H' for c in flips]) / len(flips)"),
        ("T_inv", "return y / a - b / a"),
        ("dT_inv", "return torch.ones_like(y) / a"),
        ("dT_inv", "return a ** -1"),
        (
            "log_p1",
            "return -0.5 * ((y - b) / a) ** 2 - 0.5 * math.log(2 * math.pi) - math.log(abs(a))",
        ),
    ];
    for (blank, answer) in forms {
        let (_, out) = run(Mode::Todo, &[(blank, answer)], &[]);
        let got = status(&out, blank);
        assert!(got.starts_with("Pass"), "{answer:?}: {got}\n{out:#?}");
        if answer.ends_with("/ n") {
            assert!(
                got.contains("mean NLL") && got.contains("same minimiser"),
                "{got}"
            );
        }
    }
    // the global counts the flips cell made work too: the checks set them for each sequence
    let (_, out) = run(
        Mode::Todo,
        &[
            (
                "nll",
                "return -(n_heads * torch.log(p) + n_tails * torch.log(1 - p))",
            ),
            ("mle", "return n_heads / len(flips)"),
        ],
        &[],
    );
    assert!(status(&out, "nll").starts_with("Pass"), "{out:#?}");
    assert!(status(&out, "mle").starts_with("Pass"), "{out:#?}");
    // and the attendee's own sequence and own map are used
    let (_, out) = run(
        Mode::Full,
        &[],
        &[
            ("your-flips", "\"HHTHHTTTHT\"", "\"HHTHHTHH\""),
            ("the-map-t", "a = -1.5", "a = 0.75"),
        ],
    );
    for blank in BLANKS {
        assert!(status(&out, blank).starts_with("Pass"), "{out:#?}");
    }
}

#[test]
fn typical_mistakes_get_their_own_hint() {
    let cases: [(&str, &str, &str); 18] = [
        (
            "mle",
            "return flips.count('T') / len(flips)",
            "fraction of tails",
        ),
        (
            "mle",
            "return flips.count('H')",
            "divide by the number of flips",
        ),
        (
            "mle",
            "return flips.count('H') // len(flips)",
            "integer division",
        ),
        (
            "nll",
            "return flips.count('H') * torch.log(p) + flips.count('T') * torch.log(1 - p)",
            "sign is flipped",
        ),
        (
            "nll",
            "return p ** flips.count('H') * (1 - p) ** flips.count('T')",
            "likelihood L(p)",
        ),
        (
            "nll",
            "return -(p ** flips.count('H') * (1 - p) ** flips.count('T'))",
            "log is missing",
        ),
        (
            "nll",
            "return -(flips.count('H') * p + flips.count('T') * (1 - p))",
            "log is missing",
        ),
        (
            "nll",
            "return -(flips.count('T') * torch.log(p) + flips.count('H') * torch.log(1 - p))",
            "swapped",
        ),
        (
            "nll",
            "return -(flips.count('H') * math.log(0.5))",
            "one NLL per p",
        ),
        ("T_inv", "return a * y + b", "this is T itself"),
        ("T_inv", "return y / a - b", "the order"),
        ("dT_inv", "return 1 / abs(a)", "not for a < 0"),
        ("dT_inv", "return a", "derivative of T"),
        ("log_p1", "return log_p0(T_inv(y))", "factor 1/|a|"),
        (
            "log_p1",
            "return log_p0(T_inv(y)) + math.log(dT_inv(y))",
            "absolute value",
        ),
        (
            "log_p1",
            "return log_p0(T_inv(y)) - math.log(a ** 2)",
            "a^2",
        ),
        (
            "log_p1",
            "return log_p0(a * y + b) + math.log(abs(dT_inv(y)))",
            "evaluated at T(y)",
        ),
        (
            "log_p1",
            "return log_p0(T_inv(y)) + torch.log(dT_inv(y) * torch.ones_like(y))",
            "absolute value",
        ),
    ];
    for (blank, answer, expected) in cases {
        let (_, out) = run(Mode::Todo, &[(blank, answer)], &[]);
        let got = status(&out, blank);
        assert!(
            got.starts_with("Fail") && got.contains(expected),
            "{answer:?}: {got}"
        );
    }
}

#[test]
fn counting_other_flips_than_the_arguments_is_named() {
    let (_, out) = run(
        Mode::Todo,
        &[
            (
                "nll",
                "return -(my_h * torch.log(p) + my_t * torch.log(1 - p))",
            ),
            ("mle", "return my_h / len(flips)"),
        ],
        &[(
            "your-flips",
            "n_tails = flips.count(\"T\")",
            "n_tails = flips.count(\"T\")\nmy_h, my_t = n_heads, n_tails",
        )],
    );
    for blank in ["nll", "mle"] {
        let got = status(&out, blank);
        assert!(
            got.starts_with("Fail") && got.contains("right for your flips but not for flips ="),
            "{got}"
        );
    }
}

#[test]
fn warm_up_checks_leave_the_notebook_as_it_was() {
    let lab = Lab::warm_ups();
    let (mut s, _) = run(Mode::Todo, &[], &[]);
    let names = s.names();
    let flips = s.repr_of("flips");
    let a = s.repr_of("a");
    for blank in BLANKS {
        lab.check(&mut s, blank);
    }
    assert_eq!(s.names(), names);
    assert_eq!((s.repr_of("flips"), s.repr_of("a")), (flips, a));
    assert!(s.take_text().is_empty() && s.take_figures().is_empty());
}
