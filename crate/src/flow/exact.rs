//! Theorem 1 of the lecture, in closed form: for a finite data set `y_1..y_m` (uniform weights),
//! noise `X0 ~ N(0, I)` and `X_t = (1 - t) X0 + t X1`, the marginal velocity
//! `u*(x, t) = E[X1 - X0 | X_t = x]` is a softmax-weighted average of the directions to the
//! data points: `u*(x, t) = sum_i w_i(x, t) (y_i - x) / (1 - t)`, with
//! `w_i ∝ exp(-|x - t y_i|^2 / (2 (1 - t)^2))`. Sampling with it lands exactly on the data
//! points: flow matching's minimiser memorises a finite training set.

use crate::tensor::{Result, TensorError};

/// The last `1 - t` used: `u*` is singular at `t = 1`, where every point has arrived.
const MIN_REMAINING: f32 = 1e-4;

/// The exact marginal velocity of a data set (2-D points).
#[derive(Clone, Debug)]
pub struct MarginalVelocity {
    points: Vec<f32>,
    /// Scratch: one logit per data point.
    logits: Vec<f32>,
}

impl MarginalVelocity {
    /// `points`: (m, 2), m >= 1, finite.
    pub fn new(points: &[f32]) -> Result<Self> {
        if points.is_empty()
            || !points.len().is_multiple_of(2)
            || points.iter().any(|v| !v.is_finite())
        {
            return Err(TensorError::Invalid(format!(
                "the exact velocity needs at least one finite 2-D data point, got {} values",
                points.len()
            )));
        }
        Ok(MarginalVelocity {
            points: points.to_vec(),
            logits: vec![0.0; points.len() / 2],
        })
    }

    /// `out` = u*(x, t) for states `x`: (n, 2); `out`: (n, 2).
    pub fn eval(&mut self, x: &[f32], t: f32, out: &mut [f32]) {
        let remaining = (1.0 - t).max(MIN_REMAINING);
        let scale = 1.0 / (2.0 * remaining * remaining);
        for (p, o) in x.chunks_exact(2).zip(out.chunks_exact_mut(2)) {
            let mut best = f32::NEG_INFINITY;
            for (l, y) in self.logits.iter_mut().zip(self.points.chunks_exact(2)) {
                let (dx, dy) = (p[0] - t * y[0], p[1] - t * y[1]);
                *l = -(dx * dx + dy * dy) * scale;
                best = best.max(*l);
            }
            // softmax with the largest logit subtracted: no overflow however far the point
            let (mut total, mut ux, mut uy) = (0.0f32, 0.0f32, 0.0f32);
            for (l, y) in self.logits.iter().zip(self.points.chunks_exact(2)) {
                let w = crate::mathf::exp(l - best);
                total += w;
                ux += w * (y[0] - p[0]);
                uy += w * (y[1] - p[1]);
            }
            o[0] = ux / (total * remaining);
            o[1] = uy / (total * remaining);
        }
    }
}

/// Samples: `x0`: (n, 2) noise carried to t = 1 by the exact velocity with `steps` Euler steps.
pub fn exact_samples(points: &[f32], x0: &[f32], steps: usize) -> Result<Vec<f32>> {
    let mut field = MarginalVelocity::new(points)?;
    let ode_err = |e: crate::ode::OdeError| TensorError::Invalid(e.to_string());
    let grid = crate::ode::uniform_grid(0.0, 1.0, steps).map_err(ode_err)?;
    crate::ode::integrate(
        crate::ode::Solver::Euler,
        &mut |x: &[f32], t: f32, out: &mut [f32]| field.eval(x, t, out),
        x0,
        &grid,
    )
    .map_err(ode_err)
}
