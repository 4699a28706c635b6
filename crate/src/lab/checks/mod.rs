//! Checks of the lab's blanks, by behaviour: after a cell runs, each of its blanks is tested on
//! what the attendee's code produced (the tensors it left in the namespace, the figures it
//! showed) or on what it does with test inputs (run through [`Session::probe`], which leaves
//! the notebook as it was). A failed check names the specific mistake when it recognises one
//! (t of shape (256,), t and 1 - t swapped, the target's sign, a loss without the mean, an
//! Euler step without the step size, ...).

use crate::autograd::Var;
use crate::lang::interp::value::Value;
use crate::lang::interp::Session;

mod plots;
mod sampling;
mod training;
mod warm_ups;

use plots::{plot_path, plot_samples};
use sampling::{euler, generate};
use training::{loss, t, target, train, x_0, x_1, x_t};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// Nothing to check yet: the cell has not run this far (or a name is missing).
    Missing,
}

/// The outcome of one blank's check, for the page: a green mark or a specific hint.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Check {
    pub blank: String,
    pub status: Status,
    pub message: String,
}

/// Why a check did not pass.
enum Verdict {
    Fail(String),
    Missing(String),
}

type Outcome = Result<String, Verdict>;

/// Instructions a check's probe may run (an endless loop in the attendee's method stops here).
const PROBE_OPS: u64 = 20_000_000;

/// Checks `blank` (an id of the lab's blanks) against the session's namespace.
pub fn check(session: &mut Session, blank: &str) -> Check {
    let outcome = match blank {
        "euler" => euler(session),
        "x_1" => x_1(session),
        "x_0" => x_0(session),
        "t" => t(session),
        "x_t" => x_t(session),
        "target" => target(session),
        "loss" => loss(session),
        "train" => train(session),
        "generate" => generate(session),
        "plot_samples" => plot_samples(session),
        "plot_path" => plot_path(session),
        other => Err(Verdict::Missing(format!("no check is known for {other:?}"))),
    };
    verdict(blank, outcome)
}

/// Checks `blank`, one of the warm-ups' blanks (`warm_ups.py`), against the session's namespace.
pub fn check_warm_up(session: &mut Session, blank: &str) -> Check {
    verdict(blank, warm_ups::check(session, blank))
}

fn verdict(blank: &str, outcome: Outcome) -> Check {
    let (status, message) = match outcome {
        Ok(m) => (Status::Pass, m),
        Err(Verdict::Fail(m)) => (Status::Fail, m),
        Err(Verdict::Missing(m)) => (Status::Missing, m),
    };
    Check {
        blank: blank.to_string(),
        status,
        message,
    }
}

fn fail<T>(message: impl Into<String>) -> Result<T, Verdict> {
    Err(Verdict::Fail(message.into()))
}

/// A tensor's values, row-major.
struct Values {
    shape: Vec<usize>,
    data: Vec<f32>,
    var: Var,
}

impl Values {
    fn of(var: &Var) -> Values {
        Values {
            shape: var.shape(),
            data: var.value().data().to_vec(),
            var: var.clone(),
        }
    }

    fn shape_text(&self) -> String {
        crate::tensor::shape_str(&self.shape)
    }

    fn mean(&self) -> f64 {
        self.data.iter().map(|&v| v as f64).sum::<f64>() / self.data.len().max(1) as f64
    }

    fn std(&self) -> f64 {
        let m = self.mean();
        let n = self.data.len().max(2) as f64;
        (self
            .data
            .iter()
            .map(|&v| (v as f64 - m).powi(2))
            .sum::<f64>()
            / (n - 1.0))
            .sqrt()
    }
}

fn global(session: &mut Session, name: &str) -> Option<Value> {
    session.vm().globals.get(name).cloned()
}

/// The tensor called `name`: missing if the cell has not assigned it yet.
fn tensor(session: &mut Session, name: &str) -> Result<Values, Verdict> {
    match global(session, name) {
        None => Err(Verdict::Missing(format!(
            "{name} is not defined yet: run the cell"
        ))),
        Some(v) => tensor_value(&v, name),
    }
}

fn tensor_value(v: &Value, name: &str) -> Result<Values, Verdict> {
    match v {
        Value::Tensor(t) => Ok(Values::of(&t.var)),
        Value::Tuple(items) if items.len() == 2 => fail(format!(
            "{name} is a pair, not a tensor: make_moons returns (points, labels); keep the points with [0]"
        )),
        Value::Ellipsis => fail(format!("{name} is still the blank `...`: replace it with your code")),
        other => fail(format!(
            "{name} is a {}, not a tensor",
            other.type_name()
        )),
    }
}

fn int_global(session: &mut Session, name: &str) -> Option<usize> {
    match global(session, name) {
        Some(Value::Int(n)) if n >= 0 => Some(n as usize),
        _ => None,
    }
}

/// Whether `a` equals `b` up to float32 rounding.
fn close(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| (x - y).abs() <= 1e-4 * (1.0 + y.abs()))
}

fn zip_with(a: &[f32], b: &[f32], f: impl Fn(f32, f32) -> f32) -> Vec<f32> {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

/// Rows of `t` (n, 1) times rows of `x` (n, d).
fn rows_times(t: &[f32], x: &[f32], d: usize, f: impl Fn(f32) -> f32) -> Vec<f32> {
    x.iter()
        .enumerate()
        .map(|(k, &v)| f(t[k / d]) * v)
        .collect()
}
