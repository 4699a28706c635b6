//! Checks of the warm-ups' blanks (`warm_ups.py`): the coin's negative log-likelihood and
//! maximum likelihood estimate, run on the attendee's own flips and on test sequences; the
//! pushforward's inverse map, its derivative and the log-density of `T(x) = a x + b`, run on
//! test points for several (a, b), a < 0 included; the normalizing flow's `log_prob(x, layers)`,
//! run on test points with the attendee's own layers and with a flow the check builds, against
//! the same layers' outputs. Every test input goes through [`Session::probe`], so the
//! attendee's variables (`flips`, `a`, `b`, `layers`, ...) are as they were.

use super::*;
use std::collections::HashMap;
use std::rc::Rc;

/// Test sequences of the coin: heads and tails in different numbers, so that a formula with
/// them swapped gives other values.
const SEQUENCES: [&str; 3] = ["HTTTT", "HHHHHHT", "HTHTTHTTT"];
/// Values of p the NLL is evaluated at.
const PS: [f32; 5] = [0.1, 0.3, 0.5, 0.7, 0.9];
/// (a, b) pairs of the pushforward's tests: a < 0 in the middle.
const MAPS: [(f32, f32); 3] = [(2.0, 1.0), (-1.5, 0.5), (0.5, -1.0)];
/// Points y of the pushforward's tests.
const YS: [f32; 5] = [-2.0, -0.5, 0.0, 1.0, 3.0];

/// Checks one blank of the warm-ups.
pub(super) fn check(s: &mut Session, blank: &str) -> Outcome {
    match blank {
        "nll" => nll(s),
        "mle" => mle(s),
        "T_inv" => t_inv(s),
        "dT_inv" => dt_inv(s),
        "log_p1" => log_p1(s),
        "log_prob" => log_prob(s),
        other => Err(Verdict::Missing(format!("no check is known for {other:?}"))),
    }
}

/// Whether `a` equals `b` within float32 rounding of a few logs.
fn near(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| (x - y).abs() <= 1e-3 * (1.0 + y.abs()))
}

fn list(values: &[f32]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// What a probe left in `probe_v`: its numbers, or why there are none.
fn result(left: &HashMap<Rc<str>, Value>, call: &str) -> Result<Vec<f32>, Verdict> {
    match left.get("probe_v") {
        Some(Value::Tensor(t)) => Ok(t.var.value().data().to_vec()),
        Some(Value::Ellipsis) => fail(format!(
            "{call} still returns the blank `...`: replace it with your code"
        )),
        Some(Value::None) | None => {
            fail(format!("{call} returns None: did you forget the `return`?"))
        }
        Some(v) => match crate::lang::interp::ops::as_number(v) {
            Some(x) => Ok(vec![x as f32]),
            None => fail(format!(
                "{call} returns a {}, not a number or a tensor",
                v.type_name()
            )),
        },
    }
}

/// The function `name` is defined, or the check waits for its cell.
fn defined(s: &mut Session, name: &str) -> Result<(), Verdict> {
    match global(s, name) {
        Some(Value::Function(_)) => Ok(()),
        Some(_) => fail(format!(
            "{name} should be a function (def {name}(...): ...)"
        )),
        None => Err(Verdict::Missing(format!(
            "{name} is not defined yet: run the cell"
        ))),
    }
}

/// The attendee's own flips, if they are a sequence of H and T.
fn own_flips(s: &mut Session) -> Option<String> {
    match global(s, "flips") {
        Some(Value::Str(f)) if !f.is_empty() && f.chars().all(|c| c == 'H' || c == 'T') => {
            Some(f.to_string())
        }
        _ => None,
    }
}

/// The sequences a coin check runs on: the attendee's own first, then the test ones.
fn sequences(s: &mut Session) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = own_flips(s).into_iter().map(|f| (f, true)).collect();
    out.extend(SEQUENCES.iter().map(|f| (f.to_string(), false)));
    out
}

/// Sets the coin's variables for `flips` as the flips cell does, then runs `call`.
fn coin_probe(s: &mut Session, flips: &str, call: &str) -> Result<Vec<f32>, Verdict> {
    let code = format!(
        "flips = \"{flips}\"\nn = len(flips)\nn_heads = flips.count(\"H\")\nn_tails = flips.count(\"T\")\nprobe_p = torch.tensor({})\nprobe_v = {call}\n",
        list(&PS)
    );
    let shown = call.replace("probe_p", "p");
    match s.probe(&code, PROBE_OPS) {
        Ok(left) => result(&left, &shown),
        Err(e) => fail(format!(
            "{shown} with flips = \"{flips}\" and p a tensor of 5 values fails: {}",
            e.message
        )),
    }
}

fn counts(flips: &str) -> (f32, f32) {
    let h = flips.chars().filter(|&c| c == 'H').count() as f32;
    (h, flips.len() as f32 - h)
}

/// A coin rule: the values a formula gives for a sequence of flips.
type Rule<'a> = &'a dyn Fn(&str) -> Vec<f32>;

/// The NLL of `flips` at each of [`PS`] by `f(p, h, t)`.
fn coin_values(flips: &str, f: impl Fn(f32, f32, f32) -> f32) -> Vec<f32> {
    let (h, t) = counts(flips);
    PS.iter().map(|&p| f(p, h, t)).collect()
}

/// The attendee's values on every sequence against `rule`'s: pass, the first hint whose rule
/// matches on every sequence, the attendee's own flips right but a test sequence wrong (a
/// formula on globals), or `otherwise` for the first sequence that is wrong.
fn judge_coin(
    runs: &[(String, bool, Vec<f32>)],
    rule: Rule,
    hints: &[(Rule, &str)],
    call: &str,
    otherwise: &dyn Fn(&str, &[f32]) -> String,
) -> Result<(), Verdict> {
    let right = |f: Rule| runs.iter().all(|(s, _, got)| near(got, &f(s)));
    if right(rule) {
        return Ok(());
    }
    for (f, hint) in hints {
        if right(*f) {
            return fail(*hint);
        }
    }
    let wrong = runs
        .iter()
        .find(|(s, _, got)| !near(got, &rule(s)))
        .expect("some run is wrong");
    if let Some((mine, _, _)) = runs
        .iter()
        .find(|(s, own, got)| *own && near(got, &rule(s)))
    {
        return fail(format!(
            "{call} is right for your flips but not for flips = \"{}\": count the heads and tails of the argument flips, not of global variables (your flips are \"{mine}\")",
            wrong.0
        ));
    }
    fail(otherwise(&wrong.0, &wrong.2))
}

/// `nll(p, flips)` is `-(h log p + t log(1 - p))` for a tensor of p, or that divided by n.
fn nll(s: &mut Session) -> Outcome {
    defined(s, "nll")?;
    let mut runs = Vec::new();
    for (flips, own) in sequences(s) {
        let got = coin_probe(s, &flips, "nll(probe_p, flips)")?;
        if got.len() != PS.len() {
            return fail(format!(
                "nll(p, flips) returns {} value{} for a tensor of {} values of p: it should return one NLL per p (use torch.log, which works on every value at once, and sum over the flips, not over p)",
                got.len(),
                if got.len() == 1 { "" } else { "s" },
                PS.len()
            ));
        }
        runs.push((flips, own, got));
    }
    let sum = |f: &str| coin_values(f, |p, h, t| -(h * p.ln() + t * (1.0 - p).ln()));
    let mean = |f: &str| coin_values(f, |p, h, t| -(h * p.ln() + t * (1.0 - p).ln()) / (h + t));
    if judge_coin(&runs, &mean, &[], "", &|_, _| String::new()).is_ok() {
        return Ok("nll(p, flips) is the mean NLL per flip: n times smaller than -log L(p), with the same minimiser p-hat, so it is fine here (the sum is -log L(p) itself)".into());
    }
    let log_l = |f: &str| coin_values(f, |p, h, t| h * p.ln() + t * (1.0 - p).ln());
    let mean_log_l =
        |f: &str| coin_values(f, |p, h, t| (h * p.ln() + t * (1.0 - p).ln()) / (h + t));
    let l = |f: &str| coin_values(f, |p, h, t| p.powf(h) * (1.0 - p).powf(t));
    let minus_l = |f: &str| coin_values(f, |p, h, t| -p.powf(h) * (1.0 - p).powf(t));
    let no_log = |f: &str| coin_values(f, |p, h, t| -(h * p + t * (1.0 - p)));
    let swapped = |f: &str| coin_values(f, |p, h, t| -(t * p.ln() + h * (1.0 - p).ln()));
    let heads_only = |f: &str| coin_values(f, |p, h, _| -(h * p.ln()));
    let hints: [(Rule, &str); 7] = [
        (&log_l, "the sign is flipped: this is the log-likelihood log L(p), which is maximised; the NLL is its negative, -(h log p + t log(1 - p)), minimised at the same p"),
        (&mean_log_l, "the sign is flipped: this is the mean log-likelihood; the NLL is its negative"),
        (&l, "this is the likelihood L(p) = p^h (1 - p)^t itself: the NLL is -log L(p)"),
        (&minus_l, "the log is missing: -L(p) has the same minimiser, but the NLL is -log L(p) = -(h log p + t log(1 - p)), a sum where L is a product that underflows"),
        (&no_log, "the log is missing: each head contributes log p and each tail log(1 - p), not p and 1 - p"),
        (&swapped, "heads and tails are swapped: p is the probability of heads, so the heads contribute log p and the tails log(1 - p)"),
        (&heads_only, "only the heads are counted: the tails contribute t log(1 - p) too"),
    ];
    let otherwise = |flips: &str, got: &[f32]| {
        let (h, t) = counts(flips);
        format!(
            "for flips = \"{flips}\" ({h} heads, {t} tails) and p = {}, nll(p, flips) returns {}, but -(h log p + t log(1 - p)) is {}",
            list(&PS),
            list(got),
            list(&sum(flips))
        )
    };
    judge_coin(&runs, &sum, &hints, "nll(p, flips)", &otherwise)?;
    Ok("nll(p, flips) = -(h log p + t log(1 - p)) for every p of a tensor".into())
}

/// `mle(flips)` is the fraction of heads.
fn mle(s: &mut Session) -> Outcome {
    defined(s, "mle")?;
    let mut runs = Vec::new();
    for (flips, own) in sequences(s) {
        let got = coin_probe(s, &flips, "mle(flips)")?;
        if got.len() != 1 {
            return fail(format!(
                "mle(flips) returns {} values: p-hat is one number",
                got.len()
            ));
        }
        runs.push((flips, own, got));
    }
    let of = |f: fn(f32, f32) -> f32| {
        move |flips: &str| {
            let (h, t) = counts(flips);
            vec![f(h, t)]
        }
    };
    let heads = of(|h, t| h / (h + t));
    let tails = of(|h, t| t / (h + t));
    let count = of(|h, _| h);
    let odds = of(|h, t| h / t);
    let upside_down = of(|h, t| (h + t) / h);
    let floor = of(|h, t| (h / (h + t)).floor());
    let half = of(|_, _| 0.5);
    let hints: [(Rule, &str); 6] = [
        (
            &half,
            "mle(flips) is always 0.5: the estimate depends on the flips, p-hat = h / n",
        ),
        (
            &tails,
            "this is the fraction of tails: p is the probability of heads, so p-hat = h / n",
        ),
        (
            &count,
            "this is the number of heads: divide by the number of flips n",
        ),
        (
            &odds,
            "this is heads per tail (the odds): p-hat = h / n, with n = h + t flips",
        ),
        (&upside_down, "upside down: p-hat = h / n"),
        (&floor, "integer division: h // n rounds down; use h / n"),
    ];
    let otherwise = |flips: &str, got: &[f32]| {
        let (h, t) = counts(flips);
        format!(
            "for flips = \"{flips}\" ({h} heads of {}) mle(flips) returns {}, but the NLL is smallest at {}",
            h + t,
            got[0],
            h / (h + t)
        )
    };
    judge_coin(&runs, &heads, &hints, "mle(flips)", &otherwise)?;
    Ok("mle(flips) = h / n, the fraction of heads".into())
}

/// Runs `call` (of `probe_y`) with the globals `a` and `b` set to each pair of [`MAPS`].
fn map_probe(s: &mut Session, a: f32, b: f32, call: &str) -> Result<Vec<f32>, String> {
    let code = format!(
        "a = {a:?}\nb = {b:?}\nprobe_y = torch.tensor({})\nprobe_v = {call}\n",
        list(&YS)
    );
    let shown = call.replace("probe_y", "y");
    match s.probe(&code, PROBE_OPS) {
        Ok(left) => result(&left, &shown).map_err(|v| match v {
            Verdict::Fail(m) | Verdict::Missing(m) => m,
        }),
        Err(e) => Err(format!(
            "{shown} with a = {a}, b = {b} and y a tensor of 5 points fails: {}",
            e.message
        )),
    }
}

/// Every pair's values, or the first failure.
fn map_values(s: &mut Session, call: &str) -> Result<Vec<Vec<f32>>, Verdict> {
    let mut out = Vec::new();
    for (a, b) in MAPS {
        out.push(map_probe(s, a, b, call).or_else(fail)?);
    }
    Ok(out)
}

/// `f(y, a, b)` on the test points of each pair.
fn expected(f: impl Fn(f32, f32, f32) -> f32) -> Vec<Vec<f32>> {
    MAPS.iter()
        .map(|&(a, b)| YS.iter().map(|&y| f(y, a, b)).collect())
        .collect()
}

/// `got` equals `expected` pair by pair; a one-number result stands for every point.
fn matches(got: &[Vec<f32>], expected: &[Vec<f32>]) -> bool {
    got.iter().zip(expected).all(|(g, e)| {
        if g.len() == 1 {
            e.iter().all(|&v| near(g, &[v]))
        } else {
            near(g, e)
        }
    })
}

fn bad_length(got: &[Vec<f32>], name: &str) -> Option<String> {
    got.iter()
        .find(|g| g.len() != 1 && g.len() != YS.len())
        .map(|g| {
            format!(
                "{name}(y) returns {} values for 5 points y: it should return one value per point",
                g.len()
            )
        })
}

/// `T_inv(y)` is `(y - b) / a`.
fn t_inv(s: &mut Session) -> Outcome {
    defined(s, "T_inv")?;
    let got = map_values(s, "T_inv(probe_y)")?;
    if let Some(m) = bad_length(&got, "T_inv") {
        return fail(m);
    }
    if matches(&got, &expected(|y, a, b| (y - b) / a)) {
        return Ok("T_inv(y) = (y - b) / a undoes T".into());
    }
    let hints: [(Vec<Vec<f32>>, &str); 5] = [
        (
            expected(|y, a, b| a * y + b),
            "this is T itself: T_inv goes back, from y = a x + b to x",
        ),
        (
            expected(|y, a, b| (y - b) * a),
            "multiplied by a: undoing x -> a x divides by a, T_inv(y) = (y - b) / a",
        ),
        (
            expected(|y, a, b| y / a - b),
            "the order: T multiplies by a, then adds b, so T_inv first subtracts b, then divides by a",
        ),
        (
            expected(|y, a, b| (b - y) / a),
            "the sign is flipped: T_inv(y) = (y - b) / a",
        ),
        (
            expected(|y, a, b| (y + b) / a),
            "T adds b, so T_inv subtracts it: (y - b) / a",
        ),
    ];
    for (e, hint) in hints {
        if matches(&got, &e) {
            return fail(hint);
        }
    }
    fail(format!(
        "with a = {}, b = {} and y = {}, T_inv(y) returns {}, but (y - b) / a is {}",
        MAPS[0].0,
        MAPS[0].1,
        list(&YS),
        list(&got[0]),
        list(&expected(|y, a, b| (y - b) / a)[0])
    ))
}

/// `dT_inv(y)` is `1 / a` (a number, or one per point).
fn dt_inv(s: &mut Session) -> Outcome {
    defined(s, "dT_inv")?;
    let got = map_values(s, "dT_inv(probe_y)")?;
    if let Some(m) = bad_length(&got, "dT_inv") {
        return fail(m);
    }
    if matches(&got, &expected(|_, a, _| 1.0 / a)) {
        return Ok("dT_inv(y) = 1 / a, the slope of T_inv".into());
    }
    let hints: [(Vec<Vec<f32>>, &str); 5] = [
        (
            expected(|_, a, _| 1.0 / a.abs()),
            "right for a > 0 but not for a < 0: T_inv decreases then, so its derivative 1 / a is negative; the absolute value belongs in log|dT_inv/dy|, not here",
        ),
        (
            expected(|_, a, _| a),
            "this is the derivative of T (dT/dx = a): T_inv's is its inverse, 1 / a",
        ),
        (
            expected(|_, a, _| -1.0 / a),
            "the sign is flipped: T_inv(y) = (y - b) / a has slope 1 / a",
        ),
        (
            expected(|_, a, _| 1.0 / (a * a)),
            "divided by a twice: T_inv(y) = (y - b) / a has slope 1 / a",
        ),
        (
            expected(|y, a, b| (y - b) / a),
            "this is T_inv itself: its derivative is the slope of y -> (y - b) / a",
        ),
    ];
    for (e, hint) in hints {
        if matches(&got, &e) {
            return fail(hint);
        }
    }
    fail(format!(
        "with a = {}, dT_inv(y) returns {}, but the derivative of (y - b) / a is {}",
        MAPS[0].0,
        list(&got[0]),
        1.0 / MAPS[0].0
    ))
}

/// log N(z; 0, 1).
fn log_normal(z: f32) -> f32 {
    -0.5 * z * z - 0.5 * (2.0 * std::f32::consts::PI).ln()
}

/// `log_p1(y)` is log N(y; b, a²), the change of variables with `log |1 / a|`.
fn log_p1(s: &mut Session) -> Outcome {
    defined(s, "log_p1")?;
    let abs_hint = "for a < 0 the derivative 1 / a is negative and its log is not defined (NaN, or math.log's \"math domain error\"): the formula takes the absolute value, log|dT_inv/dy| = log(abs(dT_inv(y)))";
    let mut got = Vec::new();
    for (a, b) in MAPS {
        match map_probe(s, a, b, "log_p1(probe_y)") {
            Ok(v) if a < 0.0 && v.iter().any(|x| x.is_nan()) => return fail(abs_hint),
            Ok(v) => got.push(v),
            Err(e) if a < 0.0 && (e.contains("domain") || e.contains("log")) => {
                return fail(abs_hint)
            }
            Err(e) => return fail(e),
        }
    }
    if let Some(m) = bad_length(&got, "log_p1") {
        return fail(m);
    }
    let correct = expected(|y, a, b| log_normal((y - b) / a) - a.abs().ln());
    if matches(&got, &correct) {
        return Ok(
            "log_p1(y) = log p0(T_inv(y)) + log|dT_inv/dy|: the log-density of N(b, a^2)".into(),
        );
    }
    let hints: [(Vec<Vec<f32>>, &str); 7] = [
        (
            expected(|y, a, b| log_normal((y - b) / a)),
            "the log|dT_inv/dy| term is missing: without it p1 is off by the factor 1/|a| (it integrates to |a|, not 1); add log(abs(dT_inv(y)))",
        ),
        (
            expected(|y, a, b| log_normal((y - b) / a) + a.abs().ln()),
            "the correction has the wrong sign: log|dT_inv/dy| = log(1/|a|) = -log|a|",
        ),
        (
            expected(|y, a, b| log_normal((y - b) / a) - 2.0 * a.abs().ln()),
            "this divides the density by a^2 (the variance): it scales by 1/|a|, one over the standard deviation, so the term is log|1/a|",
        ),
        (
            expected(|y, a, b| log_normal(a * y + b) - a.abs().ln()),
            "p0 is evaluated at T(y): the point y came from x = T_inv(y), so evaluate log_p0(T_inv(y))",
        ),
        (
            expected(|y, a, b| log_normal(a * y + b)),
            "p0 is evaluated at T(y), and the log|dT_inv/dy| term is missing: log_p0(T_inv(y)) + log(abs(dT_inv(y)))",
        ),
        (
            expected(|y, a, b| log_normal(a * y + b) + a.abs().ln()),
            "this uses T instead of T_inv (p0 at T(y), log|dT/dx|): the formula runs backwards, log_p0(T_inv(y)) + log|dT_inv/dy|",
        ),
        (
            expected(|y, a, b| (log_normal((y - b) / a) - a.abs().ln()).exp()),
            "this is the density p1 itself: return its log (the plot takes exp(log_p1(y)))",
        ),
    ];
    for (e, hint) in hints {
        if matches(&got, &e) {
            return fail(hint);
        }
    }
    fail(format!(
        "with a = {}, b = {} and y = {}, log_p1(y) returns {}, but log N(y; b, a^2) is {} (T_inv and dT_inv must be right too)",
        MAPS[0].0,
        MAPS[0].1,
        list(&YS),
        list(&got[0]),
        list(&correct[0])
    ))
}

/// Test points of the flow's log-likelihood, on the moons and off them.
const POINTS: [[f32; 2]; 6] = [
    [0.0, 0.0],
    [1.0, 0.5],
    [-1.0, 0.2],
    [2.0, -0.3],
    [0.5, -0.4],
    [1.5, 1.2],
];

/// A flow of the check's own, besides the attendee's `layers`: other layers, another count.
const FRESH_FLOW: &str = "from flowlab import PlanarFlow as probe_P, AffineCoupling as probe_A
torch.manual_seed(7)
probe_layers = [probe_P(), probe_A(keep=1, hidden=8), probe_P()]
";

/// A tensor the probe left, as (shape, values).
fn left_tensor(left: &HashMap<Rc<str>, Value>, name: &str) -> Option<(Vec<usize>, Vec<f32>)> {
    match left.get(name) {
        Some(Value::Tensor(t)) => Some((t.var.shape(), t.var.value().data().to_vec())),
        _ => None,
    }
}

/// What the layers of one flow do to [`POINTS`]: the last z, each layer's log-determinant,
/// and the points run through the inverses (in the layers' order and in reverse).
struct FlowRun {
    /// Which flow: the attendee's `layers` or the check's own.
    name: &'static str,
    setup: &'static str,
    z: Vec<f32>,
    log_dets: Vec<Vec<f32>>,
    inverse: Vec<f32>,
    inverse_reversed: Vec<f32>,
}

/// The flow `layers` (set up by `setup`) on [`POINTS`], or None if it is not a list of flow
/// layers.
fn flow_run(
    s: &mut Session,
    name: &'static str,
    setup: &'static str,
    layers: &str,
) -> Option<FlowRun> {
    let code = format!(
        "import torch\n{setup}probe_x = torch.tensor({points:?})\nprobe_z = probe_x\nprobe_lds = []\nfor probe_l in {layers}:\n    probe_z, probe_d = probe_l(probe_z)\n    probe_lds.append(probe_d)\nprobe_ld = torch.stack(probe_lds)\nprobe_zi = probe_x\nfor probe_l in {layers}:\n    probe_zi = probe_l.inverse(probe_zi)\nprobe_zr = probe_x\nfor probe_l in reversed({layers}):\n    probe_zr = probe_l.inverse(probe_zr)\n",
        points = POINTS.map(|p| p.to_vec()).to_vec()
    );
    let left = s.probe(&code, PROBE_OPS).ok()?;
    let (_, z) = left_tensor(&left, "probe_z")?;
    let (shape, lds) = left_tensor(&left, "probe_ld")?;
    let n = POINTS.len();
    if shape.len() != 2 || shape[1] != n || z.len() != 2 * n {
        return None;
    }
    Some(FlowRun {
        name,
        setup,
        z,
        log_dets: lds.chunks(n).map(|c| c.to_vec()).collect(),
        inverse: left_tensor(&left, "probe_zi")?.1,
        inverse_reversed: left_tensor(&left, "probe_zr")?.1,
    })
}

/// `log N(z; 0, Id)` of each point of `z` (rows of 2).
fn log_base(z: &[f32]) -> Vec<f32> {
    z.chunks(2)
        .map(|p| log_normal(p[0]) + log_normal(p[1]))
        .collect()
}

fn add(a: &[f32], b: &[f32]) -> Vec<f32> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

fn scale(a: &[f32], k: f32) -> Vec<f32> {
    a.iter().map(|x| x * k).collect()
}

fn mean(a: &[f32]) -> f32 {
    a.iter().sum::<f32>() / a.len() as f32
}

impl FlowRun {
    /// The sum of the layers' log-determinants at each point.
    fn total_log_det(&self) -> Vec<f32> {
        let mut total = vec![0.0; POINTS.len()];
        for ld in &self.log_dets {
            total = add(&total, ld);
        }
        total
    }

    /// log p1 of each point: the change of variables.
    fn log_prob(&self) -> Vec<f32> {
        add(&log_base(&self.z), &self.total_log_det())
    }
}

/// A mistake of `log_prob`: its values from a flow's run, and its hint.
type FlowRule = (fn(&FlowRun) -> Vec<f32>, &'static str);

const FLOW_MISTAKES: [FlowRule; 12] = [
    (
        |r| log_base(&r.z),
        "the log-determinants are missing: log p1(x) = log p0(f(x)) + the sum of every layer's log|det J|; add up the log_det each layer returns (z, ld = layer(z)) and add the sum to log p0(z)",
    ),
    (
        |r| add(&log_base(&r.z), &scale(&r.total_log_det(), -1.0)),
        "the log-determinants have the wrong sign: the layers map data to noise (f = T^-1), so log p1(x) = log p0(f(x)) + sum log|det J_fk|, with a plus",
    ),
    (
        |r| add(&log_base(&r.z), r.log_dets.last().expect("a layer")),
        "only the last layer's log-determinant is counted: add each layer's to a running total (log_det = log_det + ld), not log_det = ld",
    ),
    (
        |r| add(&log_base(&r.z), &r.log_dets[0]),
        "only the first layer's log-determinant is counted: add each layer's to a running total inside the loop",
    ),
    (
        |r| scale(&r.log_prob(), -1.0),
        "this is -log p1(x), the negative log-likelihood of each point: return log p1(x) itself (the training cell takes the minus and the mean)",
    ),
    (
        |r| vec![mean(&r.log_prob())],
        "this is the mean over the points: return one log p1 per point, shape (n,) (the training cell takes the mean)",
    ),
    (
        |r| vec![-mean(&r.log_prob())],
        "this is the loss, the mean negative log-likelihood: return log p1(x) per point, shape (n,); the training cell takes -mean",
    ),
    (
        |r| {
            let all: f32 = log_base(&r.z).iter().sum();
            r.total_log_det().iter().map(|d| all + d).collect()
        },
        "the base log-density is summed over every point and coordinate (.sum()): sum it over the two coordinates only, .sum(1), for one log p0(z) per point",
    ),
    (
        |r| {
            let c = 0.5 * (2.0 * std::f32::consts::PI).ln();
            r.log_prob().iter().map(|v| v + c).collect()
        },
        "the constant of log p0: in 2-D, log N(z; 0, Id) = -|z|^2 / 2 - log(2 pi), half a log(2 pi) per coordinate",
    ),
    (
        |r| {
            let c = (2.0 * std::f32::consts::PI).ln();
            r.log_prob().iter().map(|v| v + c).collect()
        },
        "the normalising constant of p0 is missing: log N(z; 0, Id) = -|z|^2 / 2 - log(2 pi) in 2-D",
    ),
    (
        |r| {
            let x: Vec<f32> = POINTS.iter().flatten().copied().collect();
            add(&log_base(&x), &r.total_log_det())
        },
        "log p0 is evaluated at x: evaluate it at z = f(x), the points that come out of the last layer",
    ),
    (
        |r| log_base(&r.inverse),
        "layer.inverse goes the other way, from noise to data: log p1(x) runs x through the layers themselves, z, ld = layer(z), which map data to noise and give the log-determinants",
    ),
];

/// `log_prob(x, layers)` is `log p0(f(x)) + sum_k log|det J_fk|`, one value per point, with the
/// attendee's layers and with the check's own flow.
fn log_prob(s: &mut Session) -> Outcome {
    defined(s, "log_prob")?;
    let mut runs = Vec::new();
    let own = matches!(global(s, "layers"), Some(Value::List(_)));
    if own {
        runs.extend(flow_run(s, "your layers", "", "layers"));
    }
    match flow_run(s, "a flow of 3 other layers", FRESH_FLOW, "probe_layers") {
        Some(r) => runs.push(r),
        None => return fail("the check could not build its test flow (PlanarFlow, AffineCoupling): is flowlab shadowed by a name of yours?"),
    }
    let n = POINTS.len();
    let mut got = Vec::new();
    for r in &runs {
        let layers = if r.setup.is_empty() {
            "layers"
        } else {
            "probe_layers"
        };
        let code = format!(
            "import torch\n{}probe_x = torch.tensor({:?})\nprobe_v = log_prob(probe_x, {layers})\n",
            r.setup,
            POINTS.map(|p| p.to_vec()).to_vec()
        );
        let call = format!(
            "log_prob(x, layers) with {} and x of shape ({n}, 2)",
            r.name
        );
        let left = match s.probe(&code, PROBE_OPS) {
            Ok(left) => left,
            Err(e) => {
                let m = &e.message;
                if m.contains(&format!("({n}, 2)"))
                    && m.contains(&format!("({n},)"))
                    && m.contains("broadcast")
                {
                    return fail(format!("the base log-density has one value per coordinate, shape ({n}, 2), and the log-determinants one per point, shape ({n},): sum log p0 over the two coordinates first, Normal(0, 1).log_prob(z).sum(1) ({call} fails: {m})"));
                }
                if m.contains("to unpack") {
                    return fail(format!("a layer called as layer(z) returns the pair (z, log_det); if you called layer.inverse(z), it returns only points, and goes the other way (noise to data) ({call} fails: {m})"));
                }
                if m.contains("out of range") && !r.setup.is_empty() {
                    return fail(format!("loop over the layers given as the argument (for layer in layers), however many there are: {call} fails: {m}"));
                }
                return fail(format!("{call} fails: {m}"));
            }
        };
        let (shape, values) = match left.get("probe_v") {
            Some(Value::Tensor(t)) => (t.var.shape(), t.var.value().data().to_vec()),
            _ => (vec![], result(&left, "log_prob(x, layers)")?),
        };
        if values.len() == 2 * n {
            return fail(format!(
                "log_prob(x, layers) returns shape {} for {n} points: the base log-density Normal(0, 1).log_prob(z) has one value per coordinate; sum it over the two coordinates, .sum(1), for one log p1 per point, shape ({n},)",
                crate::tensor::shape_str(&shape)
            ));
        }
        if values.len() != n && values.len() != 1 {
            return fail(format!(
                "log_prob(x, layers) returns {} values for {n} points: it should return one log p1 per point, shape ({n},)",
                values.len()
            ));
        }
        got.push(values);
    }
    let all = |f: &dyn Fn(&FlowRun) -> Vec<f32>| runs.iter().zip(&got).all(|(r, g)| near(g, &f(r)));
    if all(&|r| r.log_prob()) {
        return Ok("log_prob(x, layers) = log p0(f(x)) + the sum of the layers' log|det J|, one value per point".into());
    }
    for (rule, hint) in FLOW_MISTAKES {
        if all(&rule) {
            return fail(hint);
        }
    }
    if all(&|r| log_base(&r.inverse_reversed)) {
        return fail(FLOW_MISTAKES[FLOW_MISTAKES.len() - 1].1);
    }
    let (r, g) = runs
        .iter()
        .zip(&got)
        .find(|(r, g)| !near(g, &r.log_prob()))
        .expect("some run is wrong");
    fail(format!(
        "with {} and x = torch.tensor({POINTS:?}), log_prob(x, layers) returns {}, but log p0(f(x)) + sum log|det J| is {}",
        r.name,
        list(g),
        list(&r.log_prob())
    ))
}
