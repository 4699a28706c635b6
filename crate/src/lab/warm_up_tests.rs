//! The warm-ups (`warm_ups.py`): the versions, the full version run cell by cell (the planar
//! flow trained to a clearly lower NLL), and each blank's check on correct answers in several
//! forms and on the typical mistakes.

use super::tests::fill;
use super::*;
use crate::lang::interp::Session;
use std::collections::HashMap;

const BLANKS: [&str; 6] = ["nll", "mle", "T_inv", "dT_inv", "log_p1", "log_prob"];

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
    let code: Vec<String> = lab
        .cells(Mode::Full)
        .into_iter()
        .filter(|c| c.kind == CellKind::Code)
        .map(|c| format!("{}{}", c.id, if c.extra { " [extra]" } else { "" }))
        .collect();
    assert_eq!(
        code[code.len() - 5..],
        [
            "a-planar-flow",
            "the-log-likelihood-of-the-flow",
            TRAINING,
            "plot-samples-and-density",
            "realnvp-instead [extra]"
        ]
    );
    let todo = lab.script(Mode::Todo, true);
    assert_eq!(todo.matches("...  # TODO").count(), 6, "{todo}");
    assert!(!todo.contains("#|"));
    assert!(todo.starts_with("# Warm-ups before flow matching: the todo lab (flowlab)."));
    assert!(!todo.contains("    return (y - b) / a"));
    // the flow's blank is one line
    assert!(todo.contains("    ...  # TODO: log p1(x): through each layer, summing the log-determinants, plus log p0(z)\n"));
    assert!(!lab.script(Mode::Full, true).contains("TODO"));
    // an exported file comes back into its version
    let back = lab.import(&todo).unwrap();
    assert_eq!(back.mode, Some(Mode::Todo));
    assert!(back.cells.contains_key("the-negative-log-likelihood"));
}

/// The flow's training cell, and the edit that shortens it for tests that do not look at it.
const TRAINING: &str = "training-the-flow";
const SHORT_TRAINING: (&str, &str, &str) = (TRAINING, "n_iterations = 1000", "n_iterations = 3");

/// Runs the warm-ups in `mode` cell by cell with `answers` in place of blanks (the solution
/// for those not given) and `edits` (cell id, from, to) applied first (the flow trains for 3
/// iterations unless an edit names its cell); returns each blank's check as "Status: message"
/// and each cell's error.
fn run(
    mode: Mode,
    answers: &[(&str, &str)],
    edits: &[(&str, &str, &str)],
) -> (Session, HashMap<String, String>) {
    let lab = Lab::warm_ups();
    let answers: HashMap<&str, &str> = answers.iter().copied().collect();
    let mut edits = edits.to_vec();
    if !edits.iter().any(|(id, _, _)| *id == TRAINING) {
        edits.push(SHORT_TRAINING);
    }
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
        for (id, from, to) in &edits {
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
fn the_full_version_runs_draws_its_figures_and_the_flow_learns() {
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
    assert_eq!(described.len(), 3, "{described:#?}");
    assert!(
        described[0].contains("\"likelihood L(p)\": line 199 pts, dashed vline at 0.5 \"p_hat\""),
        "{}",
        described[0]
    );
    assert!(described[1].contains("bars 80 bins \"samples of T(x)\", line 300 pts \"your p1\""));
    assert!(
        described[2].contains("\"data: two moons\": scatter 1000 pts")
            && described[2].contains("\"samples of the flow (8 layers)\": scatter 1000 pts")
            && described[2].contains(
                "\"learned log-density log p1(x)\": scatter 4131 pts (coloured per point)"
            ),
        "{}",
        described[2]
    );
    let text = s.take_text();
    assert!(text.contains("10 flips: 5 heads, 5 tails"), "{text}");
    assert!(text.contains("p_hat = 0.500"), "{text}");
    assert!(text.contains("8 planar layers, 40 parameters"), "{text}");
    assert!(text.contains("8 coupling layers"), "{text}");
    // the NLL printed every 200 iterations drops clearly: about 3.7 nats to 1.1
    let nll: Vec<f64> = text
        .lines()
        .filter_map(|l| l.split_once(": NLL ").map(|(_, v)| v.parse().unwrap()))
        .collect();
    assert_eq!(nll.len(), 6, "{text}");
    assert!(
        nll[0] > 3.0 && nll[5] < nll[0] - 1.5 && nll[5] < 1.6,
        "{text}"
    );
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
    let params = s.repr_of("params");
    assert!(
        params.as_deref().unwrap_or("").contains("tensor("),
        "{params:?}"
    );
    for blank in BLANKS {
        lab.check(&mut s, blank);
    }
    assert_eq!(s.names(), names);
    assert_eq!((s.repr_of("flips"), s.repr_of("a")), (flips, a));
    assert_eq!(s.repr_of("params"), params);
    assert!(s.take_text().is_empty() && s.take_figures().is_empty());
}

/// The loop of `log_prob` that passes `x` through the layers, then `tail`.
fn through_layers(tail: &str) -> String {
    format!(
        "z = x\nlog_det = torch.zeros(x.shape[0])\nfor layer in layers:\n    z, ld = layer(z)\n    log_det = log_det + ld\n{tail}"
    )
}

#[test]
fn the_flow_log_likelihood_passes_in_several_forms() {
    let forms = [
        through_layers("return Normal(0, 1).log_prob(z).sum(-1) + log_det"),
        through_layers("return -0.5 * (z ** 2).sum(1) - math.log(2 * math.pi) + log_det"),
        through_layers(
            "return Normal(torch.zeros(2), torch.ones(2)).log_prob(z).sum(dim=1) + log_det",
        ),
        through_layers("return log_det - 0.5 * (z * z).sum(1) - torch.log(torch.tensor(2 * math.pi))"),
        // a list of log-determinants summed at the end, an index loop
        "lds = []\nfor k in range(len(layers)):\n    x, ld = layers[k](x)\n    lds.append(ld)\nreturn Normal(0, 1).log_prob(x).sum(1) + torch.stack(lds).sum(0)".to_string(),
        "total = 0\nfor layer in layers:\n    x, ld = layer(x)\n    total += ld\nreturn Normal(0, 1).log_prob(x[:, 0]) + Normal(0, 1).log_prob(x[:, 1]) + total".to_string(),
        "z = x\nlog_dets = []\nfor layer in layers:\n    z, ld = layer(z)\n    log_dets.append(ld)\nreturn Normal(0, 1).log_prob(z).sum(1) + sum(log_dets)".to_string(),
    ];
    for answer in &forms {
        let (_, out) = run(Mode::Todo, &[("log_prob", answer)], &[]);
        let got = status(&out, "log_prob");
        assert!(got.starts_with("Pass"), "{answer}: {got}\n{out:#?}");
        assert!(!out.contains_key("training-the-flow"), "{out:#?}");
    }
    // after training, with the RealNVP layers of the extra cell, and trained further: the check
    // uses whatever layers the notebook holds
    let (mut s, out) = run(
        Mode::Full,
        &[],
        &[(TRAINING, "n_iterations = 1000", "n_iterations = 20")],
    );
    assert!(status(&out, "log_prob").starts_with("Pass"), "{out:#?}");
    let layers = s.repr_of("layers").unwrap();
    assert!(layers.contains("AffineCoupling"), "{layers}");
    assert_eq!(
        Lab::warm_ups().check(&mut s, "log_prob").status,
        Status::Pass
    );
}

#[test]
fn flow_log_likelihood_mistakes_get_their_own_hint() {
    let cases = [
        (through_layers("return Normal(0, 1).log_prob(z).sum(1)"), "log-determinants are missing"),
        (through_layers("return Normal(0, 1).log_prob(z).sum(1) - log_det"), "wrong sign"),
        (
            "z = x\nfor layer in layers:\n    z, log_det = layer(z)\nreturn Normal(0, 1).log_prob(z).sum(1) + log_det".to_string(),
            "only the last layer",
        ),
        (through_layers("return Normal(0, 1).log_prob(z) + log_det"), "sum log p0 over the two coordinates"),
        (
            through_layers("return Normal(0, 1).log_prob(z) + log_det[:, None]"),
            "returns shape (6, 2) for 6 points",
        ),
        (through_layers("return Normal(0, 1).log_prob(z).sum() + log_det"), "every point and coordinate"),
        (through_layers("return -(Normal(0, 1).log_prob(z).sum(1) + log_det)"), "negative log-likelihood of each point"),
        (through_layers("return (Normal(0, 1).log_prob(z).sum(1) + log_det).mean()"), "mean over the points"),
        (through_layers("return -(Normal(0, 1).log_prob(z).sum(1) + log_det).mean()"), "this is the loss"),
        (
            through_layers("return -0.5 * (z ** 2).sum(1) - 0.5 * math.log(2 * math.pi) + log_det"),
            "half a log(2 pi) per coordinate",
        ),
        (through_layers("return Normal(0, 1).log_prob(x).sum(1) + log_det"), "evaluated at x"),
        (
            "z = x\nfor layer in layers:\n    z = layer.inverse(z)\nreturn Normal(0, 1).log_prob(z).sum(1)".to_string(),
            "layer.inverse goes the other way",
        ),
        (
            "z = x\nlog_det = torch.zeros(x.shape[0])\nfor layer in reversed(layers):\n    z = layer.inverse(z)\nreturn Normal(0, 1).log_prob(z).sum(1) + log_det".to_string(),
            "layer.inverse goes the other way",
        ),
        (
            "z = x\nlog_det = torch.zeros(x.shape[0])\nfor layer in layers:\n    z, ld = layer.inverse(z)\n    log_det = log_det + ld\nreturn Normal(0, 1).log_prob(z).sum(1) + log_det".to_string(),
            "goes the other way (noise to data)",
        ),
        (
            "z = x\nlog_det = torch.zeros(x.shape[0])\nfor k in range(8):\n    z, ld = layers[k](z)\n    log_det = log_det + ld\nreturn Normal(0, 1).log_prob(z).sum(1) + log_det".to_string(),
            "however many there are",
        ),
        (
            through_layers("return Normal(0, 1).log_prob(z).sum(1) + 2 * log_det"),
            "returns [",
        ),
    ];
    for (answer, expected) in &cases {
        let (_, out) = run(Mode::Todo, &[("log_prob", answer)], &[]);
        let got = status(&out, "log_prob");
        assert!(
            got.starts_with("Fail") && got.contains(expected),
            "{answer}\n-> {got}"
        );
    }
}

/// A Python with PyTorch, scikit-learn and matplotlib: `FLOWLAB_PYTHON`, the venv of
/// tests/golden, or `python3`; None if none has them.
fn python_with_torch() -> Option<String> {
    let candidates = [
        std::env::var("FLOWLAB_PYTHON").ok(),
        Some("/opt/torchvenv/bin/python".to_string()),
        Some("python3".to_string()),
    ];
    candidates.into_iter().flatten().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import torch, sklearn, matplotlib"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs `script` in `python` (matplotlib without a display, one thread) -> its printed text.
fn run_python(python: &str, name: &str, script: &str) -> String {
    let dir = std::env::temp_dir().join(format!("flowlab-warm-ups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, script).unwrap();
    let out = std::process::Command::new(python)
        .arg(&path)
        .env("MPLBACKEND", "Agg")
        .env("OMP_NUM_THREADS", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{} failed:\n{stdout}\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    if std::env::var_os("FLOWLAB_KEEP_EXPORT").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    stdout
}

#[test]
fn the_exported_full_warm_ups_run_in_cpython_and_the_flow_learns() {
    let Some(python) = python_with_torch() else {
        eprintln!("skipped: no Python with torch, scikit-learn and matplotlib (tried FLOWLAB_PYTHON, /opt/torchvenv/bin/python, python3)");
        return;
    };
    let script = Lab::warm_ups().script(Mode::Full, true);
    let check = "\nprint(f\"samples: {samples.shape[0]}, mean {samples.mean(0).tolist()}\")\n";
    let out = run_python(&python, "warm-ups-full.py", &format!("{script}{check}"));
    assert!(out.contains("p_hat = 0.500"), "{out}");
    assert!(out.contains("8 planar layers, 40 parameters"), "{out}");
    assert!(out.contains("8 coupling layers"), "{out}");
    let nll: Vec<f64> = out
        .lines()
        .filter_map(|l| l.split_once(": NLL ").map(|(_, v)| v.parse().unwrap()))
        .collect();
    assert_eq!(nll.len(), 6, "{out}");
    assert!(nll[5] < nll[0] - 1.0 && nll[5] < 1.8, "{out}");
    assert!(out.contains("samples: 1000"), "{out}");
}

#[test]
fn the_exported_flowlab_layers_compute_what_the_core_does() {
    let Some(python) = python_with_torch() else {
        eprintln!("skipped: no Python with torch, scikit-learn and matplotlib (tried FLOWLAB_PYTHON, /opt/torchvenv/bin/python, python3)");
        return;
    };
    // the browser's layers, their parameters by name (PyTorch lists a module's own parameters
    // before its submodules', so AffineCoupling's log_scale_bound comes first there) and what
    // they give on a few points
    let build = "import torch
from torch import nn
from flowlab import PlanarFlow, AffineCoupling, CNF
torch.manual_seed(3)
layers = [PlanarFlow(), AffineCoupling(keep=1, hidden=8), PlanarFlow(), AffineCoupling(keep=0, hidden=8)]
net = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2))
";
    let compute = "x = torch.tensor([[0.0, 0.0], [1.0, 0.5], [-1.0, 0.2], [2.0, -0.3], [0.5, -0.4], [-2.5, 3.0]])
outs = []
for layer in layers:
    z, ld = layer(x)
    outs.append([z.tolist(), ld.tolist(), layer.inverse(x).tolist()])
for solver in ['euler', 'midpoint', 'heun', 'rk4']:
    outs.append(CNF(net, steps=3, solver=solver).log_prob(x).tolist())
";
    let mut s = Session::new(0);
    s.run(&format!(
        "{build}params = [[[n, p.tolist()] for n, p in l.named_parameters()] for l in layers + [net]]\n{compute}print(params)\nprint(outs)\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let text = s.take_text();
    let (params, outs) = text.trim().split_once('\n').unwrap();
    let script = format!(
        "{flowlab}
{build}
with torch.no_grad():
    for module, values in zip(layers + [net], {params}):
        named = dict(module.named_parameters())
        assert sorted(named) == sorted([n for n, v in values]), (list(named), values)
        for n, v in values:
            named[n].copy_(torch.tensor(v))
{compute}
want = {outs}
def flat(v):
    return [x for item in v for x in flat(item)] if isinstance(v, list) else [v]
got, want = torch.tensor(flat(outs)), torch.tensor(flat(want))
assert got.shape == want.shape, (got.shape, want.shape)
print(f'max difference {{(got - want).abs().max().item():.3g}} over {{got.numel()}} numbers')
assert torch.allclose(got, want, rtol=1e-4, atol=1e-4), (got - want).abs().max()
",
        flowlab = super::export::flowlab_cell(&["PlanarFlow", "AffineCoupling", "CNF"]),
    );
    let out = run_python(&python, "flowlab-layers.py", &script);
    assert!(out.contains("max difference"), "{out}");
}
