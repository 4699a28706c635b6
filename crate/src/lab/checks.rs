//! Checks of the lab's blanks, by behaviour: after a cell runs, each of its blanks is tested on
//! what the attendee's code produced (the tensors it left in the namespace, the figures it
//! showed) or on what it does with test inputs (run through [`Session::probe`], which leaves
//! the notebook as it was). A failed check names the specific mistake when it recognises one
//! (t of shape (256,), t and 1 - t swapped, the target's sign, a loss without the mean, an
//! Euler step without the step size, ...).

use crate::autograd::Var;
use crate::lang::interp::value::Value;
use crate::lang::interp::Session;
use crate::plot::{Figure, Mark};
use std::collections::HashMap;
use std::rc::Rc;

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

/// `x_1`: a batch of moons, shape (batch_size, 2).
fn x_1(s: &mut Session) -> Outcome {
    let x = tensor(s, "x_1")?;
    let n = int_global(s, "batch_size");
    if x.shape.len() != 2 || x.shape[1] != 2 {
        return fail(format!(
            "x_1 has shape {}: it should hold one 2-D point per row, shape (batch_size, 2)",
            x.shape_text()
        ));
    }
    if let Some(n) = n.filter(|&n| n != x.shape[0]) {
        return fail(format!(
            "x_1 has {} rows but batch_size is {n}: draw make_moons(batch_size, noise=0.05)",
            x.shape[0]
        ));
    }
    let near = x
        .data
        .chunks(2)
        .filter(|p| moon_distance(p[0], p[1]) < 0.3)
        .count();
    if (near as f64) < 0.9 * x.shape[0] as f64 {
        let hint = if (x.mean()).abs() < 0.2 && (x.std() - 1.0).abs() < 0.2 {
            "x_1 looks like Gaussian noise: x_1 is the data, drawn with make_moons"
        } else {
            "x_1 does not lie on the two moons: draw it with make_moons(batch_size, noise=0.05)[0]"
        };
        return fail(hint);
    }
    Ok(format!("x_1 is a batch of moons, shape {}", x.shape_text()))
}

/// Distance from (x, y) to the nearer of make_moons' two noiseless half circles.
fn moon_distance(x: f32, y: f32) -> f32 {
    let arc = |cx: f32, cy: f32, upper: bool| {
        let (dx, dy) = (x - cx, y - cy);
        if (dy >= 0.0) == upper {
            ((dx * dx + dy * dy).sqrt() - 1.0).abs()
        } else {
            // below (above) the half circle: the nearer end point
            let d1 = ((dx - 1.0).powi(2) + dy * dy).sqrt();
            let d2 = ((dx + 1.0).powi(2) + dy * dy).sqrt();
            d1.min(d2)
        }
    };
    arc(0.0, 0.0, true).min(arc(1.0, 0.5, false))
}

/// `x_0`: standard normal noise of x_1's shape.
fn x_0(s: &mut Session) -> Outcome {
    let x0 = tensor(s, "x_0")?;
    let x1 = tensor(s, "x_1")?;
    if x0.shape != x1.shape {
        return fail(format!(
            "x_0 has shape {} but x_1 has shape {}: draw one noise point per data point, torch.randn_like(x_1)",
            x0.shape_text(),
            x1.shape_text()
        ));
    }
    let (lo, hi) = x0
        .data
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    if lo >= 0.0 && hi <= 1.0 {
        return fail("x_0 lies in [0, 1]: that is uniform noise (torch.rand); the source p_0 is a standard normal, torch.randn");
    }
    if close(&x0.data, &x1.data) {
        return fail("x_0 equals x_1: x_0 is noise, drawn independently of the data");
    }
    let (m, sd) = (x0.mean(), x0.std());
    let tolerance = 5.0 / (x0.data.len() as f64).sqrt();
    if m.abs() > tolerance || (sd - 1.0).abs() > tolerance.max(0.1) {
        return fail(format!(
            "x_0 should be standard normal, but its mean is {m:.2} and its standard deviation {sd:.2}: torch.randn_like(x_1)"
        ));
    }
    Ok("x_0 is standard normal noise of x_1's shape".into())
}

/// `t`: one uniform time per point, shape (batch, 1).
fn t(s: &mut Session) -> Outcome {
    let t = tensor(s, "t")?;
    let x1 = tensor(s, "x_1")?;
    let n = x1.shape.first().copied().unwrap_or(0);
    if t.shape != [n, 1] {
        let hint = if t.shape == [n] {
            format!(
                "t has shape ({n},): it needs one time per point as a column, shape ({n}, 1), so that t * x_1 scales each row: torch.rand(batch_size, 1)"
            )
        } else {
            format!(
                "t has shape {}, but it needs one time per point as a column, shape ({n}, 1): torch.rand(batch_size, 1)",
                t.shape_text()
            )
        };
        return fail(hint);
    }
    if t.data.iter().any(|&v| !(0.0..=1.0).contains(&v)) {
        return fail(
            "some times lie outside [0, 1]: t is uniform on [0, 1], torch.rand (not randn)",
        );
    }
    if t.std() < 0.1 {
        return fail("the times hardly vary: draw a fresh uniform time for every point, torch.rand(batch_size, 1)");
    }
    Ok(format!("t is uniform on [0, 1], shape ({n}, 1)"))
}

/// The three tensors of the batch, shaped as the lab needs them for the checks below.
fn batch(s: &mut Session) -> Result<(Values, Values, Values), Verdict> {
    let (x0, x1, t) = (tensor(s, "x_0")?, tensor(s, "x_1")?, tensor(s, "t")?);
    let n = x1.shape.first().copied().unwrap_or(0);
    if x0.shape != x1.shape || t.shape != [n, 1] || x1.shape.len() != 2 {
        return Err(Verdict::Missing(
            "fix x_1, x_0 and t first: this check uses them".into(),
        ));
    }
    Ok((x0, x1, t))
}

/// `x_t = (1 - t) x_0 + t x_1` on the attendee's own tensors.
fn x_t(s: &mut Session) -> Outcome {
    let xt = tensor(s, "x_t")?;
    let (x0, x1, t) = batch(s)?;
    let d = x1.shape[1];
    if xt.shape != x1.shape {
        return fail(format!(
            "x_t has shape {} but x_0 and x_1 have shape {}",
            xt.shape_text(),
            x1.shape_text()
        ));
    }
    let along = |a: &Values, b: &Values| {
        let from = rows_times(&t.data, &a.data, d, |t| 1.0 - t);
        let to = rows_times(&t.data, &b.data, d, |t| t);
        zip_with(&from, &to, |p, q| p + q)
    };
    if close(&xt.data, &along(&x0, &x1)) {
        return Ok("x_t = (1 - t) x_0 + t x_1".into());
    }
    if close(&xt.data, &along(&x1, &x0)) {
        return fail("t and 1 - t are swapped: at t = 0 the point must be the noise x_0, at t = 1 the data x_1, so x_t = (1 - t) * x_0 + t * x_1");
    }
    fail(
        "x_t is not the point at time t on the line from x_0 to x_1: x_t = (1 - t) * x_0 + t * x_1",
    )
}

/// `target = x_1 - x_0`.
fn target(s: &mut Session) -> Outcome {
    let y = tensor(s, "target")?;
    let (x0, x1) = (tensor(s, "x_0")?, tensor(s, "x_1")?);
    if y.shape != x1.shape {
        return fail(format!(
            "target has shape {} but x_1 has shape {}",
            y.shape_text(),
            x1.shape_text()
        ));
    }
    if close(&y.data, &zip_with(&x1.data, &x0.data, |a, b| a - b)) {
        return Ok("target = x_1 - x_0".into());
    }
    if close(&y.data, &zip_with(&x0.data, &x1.data, |a, b| a - b)) {
        return fail(
            "the sign is flipped: the path goes from x_0 to x_1, so its velocity is x_1 - x_0",
        );
    }
    if close(&y.data, &x1.data) {
        return fail(
            "the target is the velocity of the path (its derivative in t), not its end point x_1",
        );
    }
    fail("the target should be the velocity of x_t = (1 - t) x_0 + t x_1, that is x_1 - x_0")
}

/// `loss`: the MSE of the network's output at (x_t, t) against the target, differentiable.
fn loss(s: &mut Session) -> Outcome {
    let loss = tensor(s, "loss")?;
    let y = tensor(s, "target")?;
    if loss.data.len() != 1 {
        return fail(format!(
            "loss has shape {}: it must be one number, the mean over the batch and the coordinates (loss_fn = nn.MSELoss() does that, or ((...) ** 2).mean())",
            loss.shape_text()
        ));
    }
    if !loss.var.requires_grad() {
        return fail("loss does not depend on the network's parameters: was it computed under torch.no_grad(), detached, or from .item()?");
    }
    let Some((input, output)) = s.vm().last_forward.clone() else {
        return fail(
            "the network was never called: the loss compares flow(x_t, t) with the target",
        );
    };
    let (input, out) = (Values::of(&input), Values::of(&output));
    if let (Ok(t), Ok(xt)) = (tensor(s, "t"), tensor(s, "x_t")) {
        let expected: Vec<f32> = t
            .data
            .iter()
            .zip(xt.data.chunks(xt.shape.last().copied().unwrap_or(1).max(1)))
            .flat_map(|(&ti, row)| std::iter::once(ti).chain(row.iter().copied()))
            .collect();
        if !close(&input.data, &expected) {
            return fail(
                "the network's last input was not (t, x_t): compute the loss from flow(x_t, t)",
            );
        }
    }
    if out.shape != y.shape {
        return fail(format!(
            "the network's output has shape {} but target has shape {}",
            out.shape_text(),
            y.shape_text()
        ));
    }
    let squares = zip_with(&out.data, &y.data, |a, b| (a - b) * (a - b));
    let sum: f32 = squares.iter().sum();
    let n = squares.len() as f32;
    let value = loss.data[0];
    let near = |v: f32| (value - v).abs() <= 1e-3 * (1.0 + v.abs());
    if near(sum / n) {
        return Ok("loss is the mean squared error of flow(x_t, t) against the target".into());
    }
    if near(sum) {
        return fail("loss is the sum of the squared errors: take the mean (nn.MSELoss() does), so that its size does not grow with the batch");
    }
    let rows = y.shape.first().copied().unwrap_or(1) as f32;
    if near(sum / rows) {
        return fail("loss averages over the points but sums over the coordinates: nn.MSELoss() averages over both");
    }
    let absolute: f32 = zip_with(&out.data, &y.data, |a, b| (a - b).abs())
        .iter()
        .sum();
    if near(absolute / n) {
        return fail("loss is the mean absolute error: the lecture's loss squares the error");
    }
    if near((sum / n).sqrt()) {
        return fail("loss is the root of the mean squared error: drop the square root");
    }
    fail("loss should be the mean squared error between flow(x_t, t) and target: loss_fn(flow(x_t, t), target)")
}

/// The mid lab's blank: the whole training iteration, checked part by part.
fn train(s: &mut Session) -> Outcome {
    type Part = fn(&mut Session) -> Outcome;
    let parts: [(&str, Part); 6] = [
        ("x_1", x_1),
        ("x_0", x_0),
        ("t", t),
        ("x_t", x_t),
        ("target", target),
        ("loss", loss),
    ];
    for (name, part) in parts {
        match part(s) {
            Ok(_) => {}
            Err(Verdict::Missing(_)) => {
                return fail(format!(
                    "{name} is not defined: name the batch's tensors x_1, x_0, t, x_t, target and loss, so the checks can find them"
                ))
            }
            Err(verdict) => return Err(verdict),
        }
    }
    match global(s, "optimizer") {
        Some(Value::Optimizer(o)) if o.borrow().steps > 0 => {
            Ok("the batch, the loss and the optimizer step are right".into())
        }
        Some(Value::Optimizer(_)) => {
            fail("the optimizer never stepped: end each iteration with optimizer.zero_grad(), loss.backward(), optimizer.step()")
        }
        _ => Err(Verdict::Missing("optimizer is not defined yet: run the cell".into())),
    }
}

/// A probe's result: the named tensor it left.
fn probed(left: &HashMap<Rc<str>, Value>, name: &str) -> Result<Values, Verdict> {
    match left.get(name) {
        Some(v) => tensor_value(v, name),
        None => fail(format!("{name} was not computed")),
    }
}

/// `euler_step(x, t, h)` returns `x + h u(x, t)` on test inputs.
fn euler(s: &mut Session) -> Outcome {
    if global(s, "Flow").is_none() {
        return Err(Verdict::Missing(
            "Flow is not defined yet: run the cell".into(),
        ));
    }
    const PROBE: &str = "\
probe_model = Flow()
probe_x = torch.tensor([[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8], [0.0, 0.0]])
probe_t = torch.tensor(0.3)
with torch.no_grad():
    probe_u = probe_model(probe_x, probe_t.view(1, 1).expand(4, 1))
    probe_step = probe_model.euler_step(probe_x, probe_t, 0.05)
";
    let left = match s.probe(PROBE, PROBE_OPS) {
        Ok(left) => left,
        Err(e) if e.span.line == 6 => {
            return fail(format!(
                "euler_step(x, t, 0.05) with x of shape (4, 2) and t = tensor(0.3) fails: {}",
                e.message
            ))
        }
        Err(e) => return fail(format!("Flow itself fails on test inputs: {}", e.message)),
    };
    if matches!(left.get("probe_step"), Some(Value::Ellipsis)) {
        return fail("euler_step still returns the blank `...`: replace it with the Euler update");
    }
    let (x, u, got) = (
        probed(&left, "probe_x")?,
        probed(&left, "probe_u")?,
        probed(&left, "probe_step")?,
    );
    if got.shape != x.shape {
        return fail(format!(
            "euler_step returns shape {} for x_t of shape (4, 2): it should return the moved points, same shape as x_t",
            got.shape_text()
        ));
    }
    let h = 0.05;
    let step = |a: f32, b: f32| zip_with(&x.data, &u.data, |x, u| a * x + b * u);
    if close(&got.data, &step(1.0, h)) {
        return Ok("euler_step returns x_t + stepsize * u(x_t, t)".into());
    }
    let hints = [
        (step(1.0, 1.0), "the step size is missing: a step of size h moves x_t by h times the velocity, x_t + stepsize * self(x_t, t)"),
        (step(0.0, h), "this is only the displacement: add the starting point, x_t + stepsize * self(x_t, t)"),
        (step(0.0, 1.0), "this returns the velocity: the step moves x_t along it, x_t + stepsize * self(x_t, t)"),
        (step(1.0, -h), "the step goes backwards in time: add stepsize * self(x_t, t)"),
        (step(1.0, 0.0), "the points do not move: add stepsize * self(x_t, t)"),
    ];
    for (expected, hint) in hints {
        if close(&got.data, &expected) {
            return fail(hint);
        }
    }
    fail("on test inputs euler_step(x_t, t, stepsize) should return x_t + stepsize * u(x_t, t), but returned something else")
}

/// The states `xt` of shape (n_steps, n_points, 2), from a standard normal, one Euler step apart.
fn generate(s: &mut Session) -> Outcome {
    let xt = tensor(s, "xt")?;
    let steps = int_global(s, "n_steps").unwrap_or(100);
    let points = int_global(s, "n_points").unwrap_or(300);
    if xt.shape != [steps, points, 2] {
        return fail(format!(
            "xt has shape {} but should be (n_steps, n_points, 2) = ({steps}, {points}, 2)",
            xt.shape_text()
        ));
    }
    if steps < 2 || points == 0 {
        return fail(format!(
            "n_steps is {steps} and n_points {points}: generation needs at least 2 times (the start and the end) and one point"
        ));
    }
    let state = |i: usize| &xt.data[i * points * 2..(i + 1) * points * 2];
    let first = Values {
        shape: vec![points, 2],
        data: state(0).to_vec(),
        var: xt.var.clone(),
    };
    if first.mean().abs() > 0.3 || (first.std() - 1.0).abs() > 0.3 {
        return fail("xt[0] should be the standard normal start, x = torch.randn(n_points, 2)");
    }
    if global(s, "flow").is_none() || global(s, "time_steps").is_none() {
        return Err(Verdict::Missing(
            "flow and time_steps are needed: run the training and this cell".into(),
        ));
    }
    let picks: Vec<usize> = [0, 1, steps / 2, steps - 2]
        .into_iter()
        .filter(|&i| i + 1 < steps)
        .collect();
    let list = picks
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let probe = format!(
        "with torch.no_grad():\n    probe_v = torch.stack([flow(xt[i], time_steps[i].view(1, 1).expand({points}, 1)) for i in [{list}]])\n    probe_h = torch.stack([time_steps[i + 1] - time_steps[i] for i in [{list}]])\n"
    );
    let left = s.probe(&probe, PROBE_OPS).or_else(|e| {
        fail(format!(
            "the check could not evaluate flow on xt: {}",
            e.message
        ))
    })?;
    let (v, h) = (probed(&left, "probe_v")?, probed(&left, "probe_h")?);
    let n = points * 2;
    for (k, &i) in picks.iter().enumerate() {
        let (now, next) = (state(i), state(i + 1));
        let vel = &v.data[k * n..(k + 1) * n];
        let euler = |scale: f32| zip_with(now, vel, |x, u| x + scale * u);
        if close(next, &euler(h.data[k])) {
            continue;
        }
        let hint = if next.iter().all(|&v| v == 0.0) {
            format!(
                "xt[{}] is still zero: store each new state, xt[i + 1] = x",
                i + 1
            )
        } else if close(next, now) {
            format!("xt[{}] equals xt[{i}]: x does not move, x = flow.euler_step(x, time_steps[i], time_steps[i + 1] - time_steps[i])", i + 1)
        } else if close(next, &euler(1.0)) {
            "each step moves by the full velocity: multiply it by the step size time_steps[i + 1] - time_steps[i]".to_string()
        } else {
            format!("xt[{}] is not one Euler step from xt[{i}] at time time_steps[{i}]: x = flow.euler_step(x, time_steps[i], time_steps[i + 1] - time_steps[i])", i + 1)
        };
        return fail(hint);
    }
    Ok(format!(
        "xt has shape ({steps}, {points}, 2), starts standard normal and follows Euler steps"
    ))
}

/// Panels of a figure that scatter points, with how many points each.
fn scattered(f: &Figure) -> Vec<usize> {
    f.axes
        .iter()
        .map(|a| {
            a.marks
                .iter()
                .map(|m| match m {
                    Mark::Scatter { x, .. } => x.len(),
                    _ => 0,
                })
                .sum()
        })
        .collect()
}

/// Two panels: true data and the generated points.
fn plot_samples(s: &mut Session) -> Outcome {
    let figures = s.cell_figures();
    if figures.is_empty() {
        return Err(Verdict::Missing(
            "no figure yet: draw with plt.subplots(1, 2) and scatter, then plt.show()".into(),
        ));
    }
    let points = int_global(s, "n_points").unwrap_or(300);
    for f in &figures {
        let counts = scattered(f);
        if counts.len() >= 2 && counts.iter().filter(|&&c| c > 0).count() >= 2 {
            if !counts.contains(&points) {
                return fail(format!(
                    "one panel should scatter the {points} generated points x"
                ));
            }
            return Ok("two panels: the data and the generated points".into());
        }
    }
    fail("the figure needs two panels side by side, each with a scatter: the true data and the generated data")
}

/// Eight panels of the stored states.
fn plot_path(s: &mut Session) -> Outcome {
    let figures = s.cell_figures();
    if figures.is_empty() {
        return Err(Verdict::Missing(
            "no figure yet: draw with plt.subplots(1, 8) and scatter xt[i] on each panel, then plt.show()".into(),
        ));
    }
    let points = int_global(s, "n_points").unwrap_or(300);
    let best = figures
        .iter()
        .map(scattered)
        .max_by_key(|c| c.iter().filter(|&&n| n == points).count())
        .unwrap_or_default();
    let full = best.iter().filter(|&&n| n == points).count();
    if best.len() != 8 {
        return fail(format!(
            "the figure has {} panel(s): draw eight, plt.subplots(1, 8), one per time",
            best.len()
        ));
    }
    if full != 8 {
        return fail(format!(
            "{full} of the 8 panels scatter the {points} points of a state xt[i]: scatter one state on each"
        ));
    }
    Ok("eight panels of the probability path".into())
}
