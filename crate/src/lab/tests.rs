use super::*;
use crate::lang::interp::Session;
use std::collections::HashMap;

const TODO_BLANKS: [&str; 10] = [
    "euler",
    "x_1",
    "x_0",
    "t",
    "x_t",
    "target",
    "loss",
    "generate",
    "plot_samples",
    "plot_path",
];

fn blank_ids(lab: &Lab, mode: Mode) -> Vec<String> {
    lab.cells(mode)
        .into_iter()
        .flat_map(|c| c.blanks.into_iter().map(|b| b.id))
        .collect()
}

#[test]
fn each_mode_blanks_what_the_workshop_blanks() {
    let lab = Lab::flow_matching();
    assert_eq!(blank_ids(&lab, Mode::Todo), TODO_BLANKS);
    assert_eq!(blank_ids(&lab, Mode::Mid), ["train"]);
    assert!(blank_ids(&lab, Mode::Full).is_empty());
    for mode in Mode::ALL {
        let script = lab.script(mode, true);
        let todos = script.matches("...  # TODO").count();
        let expected = match mode {
            Mode::Full => 0,
            Mode::Mid => 1,
            Mode::Todo => 10,
        };
        assert_eq!(todos, expected, "{mode:?}:\n{script}");
        assert!(!script.contains("#|"), "markers leak into {mode:?}");
    }
    // the todo lab shows its blanks the way the workshop's script does
    let todo = lab.script(Mode::Todo, false);
    for line in [
        "        return ...  # TODO: move x_t by stepsize along the velocity self(x_t, t)",
        "    t = ...  # TODO: times uniform on [0, 1], shape (batch_size, 1)",
        "    x_t = ...  # TODO: the point at time t on the line from x_0 to x_1",
        "        x = ...  # TODO: one Euler step from time_steps[i] to time_steps[i + 1]",
    ] {
        assert!(todo.lines().any(|l| l == line), "{line:?} not in\n{todo}");
    }
    assert!(!todo.contains("Retrain on 8 points"));
    assert!(lab.script(Mode::Todo, true).contains("Retrain on 8 points"));
}

#[test]
fn extra_cells_and_text_are_the_same_in_every_mode() {
    let lab = Lab::flow_matching();
    let full = lab.cells(Mode::Full);
    for mode in [Mode::Mid, Mode::Todo] {
        for (a, b) in full.iter().zip(lab.cells(mode)) {
            assert_eq!(a.id, b.id);
            if a.kind != CellKind::Code || a.extra {
                assert_eq!(a.text, b.text, "{}", a.id);
            }
        }
    }
    let extras: Vec<&str> = full
        .iter()
        .filter(|c| c.extra)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        extras,
        [
            "plot-the-training-data",
            "plot-p-t-for-chosen-t",
            "retrain-on-8-points"
        ]
    );
    let question = full.iter().find(|c| c.kind == CellKind::Question).unwrap();
    assert!(question.answer.as_deref().unwrap().contains("Theorem 1"));
}

/// Puts each blank's solution back: every mode becomes the full lab again.
#[test]
fn solutions_fill_the_blanks_back_into_the_full_lab() {
    let lab = Lab::flow_matching();
    let full = lab.cells(Mode::Full);
    for mode in [Mode::Mid, Mode::Todo] {
        for (cell, whole) in lab.cells(mode).iter().zip(&full) {
            let solutions: Vec<&str> = cell.blanks.iter().map(|b| b.solution.as_str()).collect();
            assert_eq!(
                fill(&cell.text, &solutions),
                whole.text,
                "{mode:?} {}",
                cell.id
            );
        }
    }
}

/// Replaces the `...  # TODO` blanks of a cell, in order, by `fills` (several lines for a
/// blank that stands alone on its lines, the value for a one-line blank).
pub(super) fn fill(text: &str, fills: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    let mut comments = 0;
    for line in text.lines() {
        let Some(at) = line.find("...  # TODO") else {
            // the comment lines of a long TODO go with it
            if line.trim_start().starts_with("# TODO:")
                || (comments > 0 && line.trim_start().starts_with("# "))
            {
                comments += 1;
            } else {
                comments = 0;
            }
            out.push(line.to_string());
            continue;
        };
        out.truncate(out.len() - comments);
        comments = 0;
        let indent = &line[..line.len() - line.trim_start().len()];
        let head = &line[..at];
        if head.trim().is_empty() {
            out.extend(
                fills[k]
                    .lines()
                    .map(|l| format!("{indent}{l}").trim_end().to_string()),
            );
        } else {
            let value = fills[k].split_once(" = ").map_or(fills[k], |(_, v)| v);
            let value = value.strip_prefix("return ").unwrap_or(value);
            out.push(format!("{head}{value}"));
        }
        k += 1;
    }
    assert_eq!(k, fills.len(), "one fill per blank in\n{text}");
    out.join("\n")
}

/// The todo lab run cell by cell in one session, with `answers` for its blanks (the full
/// lab's code for those not given), training for `iterations`; returns the session and each
/// cell's error.
fn run_todo(answers: &[(&str, &str)], iterations: usize) -> (Session, HashMap<String, String>) {
    let lab = Lab::flow_matching();
    let answers: HashMap<&str, &str> = answers.iter().copied().collect();
    let mut session = Session::new(0);
    let mut errors = HashMap::new();
    for cell in lab.cells(Mode::Todo) {
        if cell.kind != CellKind::Code || cell.extra {
            continue;
        }
        let fills: Vec<&str> = cell
            .blanks
            .iter()
            .map(|b| answers.get(b.id.as_str()).copied().unwrap_or(&b.solution))
            .collect();
        let code = fill(&cell.text, &fills).replace(
            "n_iterations = 10_000",
            &format!("n_iterations = {iterations}"),
        );
        if let Err(e) = session.run(&code) {
            errors.insert(cell.id.clone(), e.to_string());
        }
        session.take_text();
        session.take_figures();
        if cell.blanks.is_empty() {
            continue;
        }
        // the checks look at the cell that just ran
        for b in &cell.blanks {
            let c = check(&mut session, &b.id);
            errors.insert(
                format!("check {}", b.id),
                format!("{:?}: {}", c.status, c.message),
            );
        }
    }
    (session, errors)
}

fn status(errors: &HashMap<String, String>, blank: &str) -> String {
    errors[&format!("check {blank}")].clone()
}

#[test]
fn correct_answers_pass_every_check() {
    let variants: [&[(&str, &str)]; 3] = [
        &[],
        &[
            ("euler", "return x_t + self.forward(x_t, t) * stepsize"),
            ("x_0", "x_0 = torch.randn(batch_size, 2)"),
            ("t", "t = torch.rand(x_1.shape[0]).unsqueeze(-1)"),
            ("x_t", "x_t = x_0 + t * (x_1 - x_0)"),
            ("target", "target = -(x_0 - x_1)"),
            ("loss", "loss = ((flow(x_t, t) - target) ** 2).mean()"),
            ("generate", "x = flow.euler_step(x, time_steps[i], 1 / (n_steps - 1))"),
        ],
        &[
            ("euler", "return x_t + stepsize * self.net(torch.cat((t, x_t), dim=-1))"),
            ("x_1", "x_1 = torch.tensor(make_moons(n_samples=batch_size, noise=0.05)[0], dtype=torch.float32)"),
            ("t", "t = torch.rand(len(x_1), 1)"),
            ("x_t", "x_t = t * x_1 + (1 - t) * x_0"),
            ("loss", "loss = nn.functional.mse_loss(flow(x_t, t), target)"),
        ],
    ];
    for answers in variants {
        let (_, errors) = run_todo(answers, 30);
        for blank in TODO_BLANKS {
            assert!(
                status(&errors, blank).starts_with("Pass"),
                "{blank}: {errors:#?}"
            );
        }
    }
}

#[test]
fn typical_mistakes_get_their_own_hint() {
    let cases: [(&str, &str, &str, &str); 9] = [
        ("t", "t = torch.rand(batch_size)", "t", "has shape (256,)"),
        ("x_t", "x_t = t * x_0 + (1 - t) * x_1", "x_t", "swapped"),
        ("target", "target = x_0 - x_1", "target", "sign is flipped"),
        (
            "loss",
            "loss = (flow(x_t, t) - target) ** 2",
            "loss",
            "one number",
        ),
        (
            "loss",
            "loss = ((flow(x_t, t) - target) ** 2).sum()",
            "loss",
            "sum of the squared errors",
        ),
        (
            "euler",
            "return x_t + self(x_t, t)",
            "euler",
            "step size is missing",
        ),
        ("x_0", "x_0 = torch.rand_like(x_1)", "x_0", "uniform"),
        (
            "generate",
            "x = x + flow(x, time_steps[i].view(1, 1).expand(n_points, 1))",
            "generate",
            "full velocity",
        ),
        (
            "x_1",
            "x_1 = torch.randn(batch_size, 2)",
            "x_1",
            "looks like Gaussian noise",
        ),
    ];
    for (blank, answer, checked, expected) in cases {
        let (_, errors) = run_todo(&[(blank, answer)], 5);
        let got = status(&errors, checked);
        assert!(
            got.starts_with("Fail") && got.contains(expected),
            "{answer:?}: {got}"
        );
    }
}

#[test]
fn blanks_left_unfilled_are_reported_not_passed() {
    let (_, errors) = run_todo(
        &[("x_t", "x_t = ..."), ("plot_samples", "print('no plot')")],
        5,
    );
    assert!(status(&errors, "x_t").starts_with("Fail"), "{errors:#?}");
    assert!(
        status(&errors, "plot_samples").starts_with("Missing"),
        "{errors:#?}"
    );
    // nothing ran yet
    let mut fresh = Session::new(0);
    for blank in TODO_BLANKS {
        assert_eq!(check(&mut fresh, blank).status, Status::Missing, "{blank}");
    }
}

#[test]
fn the_mid_blank_is_checked_as_a_whole() {
    let lab = Lab::flow_matching();
    let run = |body: &str| {
        let mut s = Session::new(0);
        for cell in lab.cells(Mode::Mid) {
            if cell.kind != CellKind::Code || cell.extra {
                continue;
            }
            let fills: Vec<&str> = cell.blanks.iter().map(|_| body).collect();
            let code = fill(&cell.text, &fills).replace("10_000", "20");
            let _ = s.run(&code);
            if cell.id == "training" {
                return check(&mut s, "train");
            }
        }
        unreachable!()
    };
    let good = lab.blank("train").unwrap().solution.clone();
    assert_eq!(run(&good).status, Status::Pass, "{:?}", run(&good));
    let no_step = good.replace("optimizer.step()", "");
    let c = run(&no_step);
    assert!(
        c.status == Status::Fail && c.message.contains("never stepped"),
        "{c:?}"
    );
    let renamed = good.replace("target", "velocity");
    let c = run(&renamed);
    assert!(c.message.contains("name the batch's tensors"), "{c:?}");
    let swapped = good.replace("(1 - t) * x_0 + t * x_1", "t * x_0 + (1 - t) * x_1");
    assert!(run(&swapped).message.contains("swapped"));
}

#[test]
fn checks_leave_the_notebook_as_it_was() {
    let (mut s, _) = run_todo(&[], 3);
    let names = s.names();
    let before = s.repr_of("x_t");
    for blank in TODO_BLANKS {
        check(&mut s, blank);
    }
    assert_eq!(s.names(), names);
    assert_eq!(s.repr_of("x_t"), before);
    // the generator is where it was: the next draw equals a fresh session's after the same cells
    let (mut twin, _) = run_todo(&[], 3);
    s.run("r = torch.rand(3)").unwrap();
    twin.run("r = torch.rand(3)").unwrap();
    assert_eq!(s.repr_of("r"), twin.repr_of("r"));
    assert!(s.take_text().is_empty() && s.take_figures().is_empty());
}

#[test]
fn an_euler_step_that_never_returns_is_reported() {
    let (_, errors) = run_todo(&[("euler", "return self.euler_step(x_t, t, stepsize)")], 2);
    let got = status(&errors, "euler");
    assert!(
        got.starts_with("Fail") && got.contains("euler_step"),
        "{got}"
    );
}

#[test]
fn degenerate_generation_settings_get_a_message_not_a_crash() {
    let (mut s, _) = run_todo(&[], 2);
    for (steps, points) in [(0, 300), (1, 300), (100, 0)] {
        s.run(&format!(
            "n_steps = {steps}\nn_points = {points}\nxt = torch.zeros({steps}, {points}, 2)"
        ))
        .unwrap();
        let c = check(&mut s, "generate");
        assert_eq!(c.status, Status::Fail, "{c:?}");
        assert!(c.message.contains("at least 2 times"), "{c:?}");
    }
}
