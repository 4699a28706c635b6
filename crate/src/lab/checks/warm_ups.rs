//! Checks of the warm-ups' blanks (`warm_ups.py`): the coin's negative log-likelihood and
//! maximum likelihood estimate, run on the attendee's own flips and on test sequences; the
//! pushforward's inverse map, its derivative and the log-density of `T(x) = a x + b`, run on
//! test points for several (a, b), a < 0 included. Every test input goes through
//! [`Session::probe`], so the attendee's variables (`flips`, `a`, `b`, ...) are as they were.

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
