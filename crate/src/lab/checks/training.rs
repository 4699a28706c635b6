//! Checks of the training cell's blanks: the batch (x_1, x_0, t), x_t, the target, the loss,
//! and the mid lab's whole iteration.

use super::*;

/// `x_1`: a batch of moons, shape (batch_size, 2).
pub(super) fn x_1(s: &mut Session) -> Outcome {
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
pub(super) fn x_0(s: &mut Session) -> Outcome {
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
pub(super) fn t(s: &mut Session) -> Outcome {
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
pub(super) fn x_t(s: &mut Session) -> Outcome {
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
pub(super) fn target(s: &mut Session) -> Outcome {
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
pub(super) fn loss(s: &mut Session) -> Outcome {
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
pub(super) fn train(s: &mut Session) -> Outcome {
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
