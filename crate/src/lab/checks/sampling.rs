//! Checks that run the attendee's sampling code on test inputs: the Euler step and the
//! generation loop's states.

use super::*;
use std::collections::HashMap;
use std::rc::Rc;

/// A probe's result: the named tensor it left.
fn probed(left: &HashMap<Rc<str>, Value>, name: &str) -> Result<Values, Verdict> {
    match left.get(name) {
        Some(v) => tensor_value(v, name),
        None => fail(format!("{name} was not computed")),
    }
}

/// `euler_step(x, t, h)` returns `x + h u(x, t)` on test inputs.
pub(super) fn euler(s: &mut Session) -> Outcome {
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
pub(super) fn generate(s: &mut Session) -> Outcome {
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
