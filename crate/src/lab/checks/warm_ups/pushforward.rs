//! The 1-D pushforward by `T(x) = a x + b`: `T_inv`, `dT_inv` and `log_p1` on test points for
//! several (a, b), a < 0 included.

use super::*;

/// (a, b) pairs of the pushforward's tests: a < 0 in the middle.
const MAPS: [(f32, f32); 3] = [(2.0, 1.0), (-1.5, 0.5), (0.5, -1.0)];
/// Points y of the pushforward's tests.
const YS: [f32; 5] = [-2.0, -0.5, 0.0, 1.0, 3.0];

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
pub(super) fn t_inv(s: &mut Session) -> Outcome {
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
pub(super) fn dt_inv(s: &mut Session) -> Outcome {
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

/// `log_p1(y)` is log N(y; b, a²), the change of variables with `log |1 / a|`.
pub(super) fn log_p1(s: &mut Session) -> Outcome {
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
