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

mod coin;
mod flows;
mod pushforward;

/// Checks one blank of the warm-ups.
pub(super) fn check(s: &mut Session, blank: &str) -> Outcome {
    match blank {
        "nll" => coin::nll(s),
        "mle" => coin::mle(s),
        "T_inv" => pushforward::t_inv(s),
        "dT_inv" => pushforward::dt_inv(s),
        "log_p1" => pushforward::log_p1(s),
        "log_prob" => flows::log_prob(s),
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

/// log N(z; 0, 1).
fn log_normal(z: f32) -> f32 {
    -0.5 * z * z - 0.5 * (2.0 * std::f32::consts::PI).ln()
}
