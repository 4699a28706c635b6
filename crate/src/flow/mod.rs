//! Flow matching, as in the lab: regress a velocity network `u(x_t, t)` onto `x1 - x0` along
//! straight paths `x_t = (1 - t) x0 + t x1`, then transport noise to data by solving
//! `dx/dt = u(x, t)` from t = 0 to t = 1.
//!
//! The network's input is `(t, x)` with t first, like the lab's `torch.cat((t, x_t), -1)`.

mod exact;
mod trainer;

pub use exact::{exact_samples, MarginalVelocity};
pub use trainer::{Schedule, TrainSettings, Trainer};

use crate::data::Dataset;
use crate::nn::{Mlp, MlpScratch};
use crate::ode::{self, Solver};
use crate::rng::{fill_normal, fill_uniform, Rng};
use crate::tensor::{Result, TensorError};

/// Buffers of one training batch, reused every step.
#[derive(Default, Debug)]
pub struct FlowBatch {
    /// Data points, (n, 2).
    pub x1: Vec<f32>,
    /// Noise points, (n, 2).
    pub x0: Vec<f32>,
    /// Times, (n,) uniform on [0, 1).
    pub t: Vec<f32>,
    /// Network input `(t, x_t)`, (n, 3).
    pub input: Vec<f32>,
    /// Regression target `x1 - x0`, (n, 2).
    pub target: Vec<f32>,
}

impl FlowBatch {
    /// Draws a fresh batch of `n` in the lab's order: data, then noise, then times.
    pub fn draw(&mut self, dataset: &Dataset, noise: f32, n: usize, rng: &mut Rng) -> Result<()> {
        self.x1.resize(2 * n, 0.0);
        self.x0.resize(2 * n, 0.0);
        self.t.resize(n, 0.0);
        self.input.resize(3 * n, 0.0);
        self.target.resize(2 * n, 0.0);
        dataset
            .sample_into(noise, rng, &mut self.x1, None)
            .map_err(|e| TensorError::Invalid(e.to_string()))?;
        fill_normal(rng, &mut self.x0);
        fill_uniform(rng, &mut self.t);
        let rows = self
            .input
            .chunks_exact_mut(3)
            .zip(self.target.chunks_exact_mut(2));
        for (i, (inp, tgt)) in rows.enumerate() {
            let t = self.t[i];
            let (a0, a1) = (self.x0[2 * i], self.x0[2 * i + 1]);
            let (b0, b1) = (self.x1[2 * i], self.x1[2 * i + 1]);
            inp[0] = t;
            inp[1] = (1.0 - t) * a0 + t * b0;
            inp[2] = (1.0 - t) * a1 + t * b1;
            tgt[0] = b0 - a0;
            tgt[1] = b1 - a1;
        }
        Ok(())
    }
}

/// A 2-D velocity network maps `(t, x, y)` to `(u, v)`.
pub fn check_velocity_net(net: &Mlp) -> Result<()> {
    if net.in_features() != 3 || net.out_features() != 2 {
        return Err(TensorError::Invalid(format!(
            "a 2-D velocity network maps (t, x, y) to (u, v): widths must start at 3 and end at 2, not {} and {}",
            net.in_features(),
            net.out_features()
        )));
    }
    Ok(())
}

/// Evaluates a velocity network on flat 2-D states, reusing its buffers.
pub struct VelocityEval<'a> {
    net: &'a Mlp,
    input: Vec<f32>,
    scratch: MlpScratch,
}

impl<'a> VelocityEval<'a> {
    /// `net` must map 3 inputs `(t, x, y)` to 2 outputs.
    pub fn new(net: &'a Mlp) -> Result<Self> {
        check_velocity_net(net)?;
        Ok(VelocityEval {
            net,
            input: Vec::new(),
            scratch: MlpScratch::default(),
        })
    }

    /// `out` = u(x, t) for states `x`: (n, 2); `out`: (n, 2).
    pub fn eval(&mut self, x: &[f32], t: f32, out: &mut [f32]) {
        let n = x.len() / 2;
        self.input.resize(3 * n, 0.0);
        for (inp, p) in self.input.chunks_exact_mut(3).zip(x.chunks_exact(2)) {
            inp[0] = t;
            inp[1] = p[0];
            inp[2] = p[1];
        }
        // the input length is built above from n, so the shape check cannot fail
        if let Ok(u) = self.net.forward_batch(&self.input, n, &mut self.scratch) {
            out.copy_from_slice(u);
        }
    }
}

/// Transports `x0`: (n, 2) along the network's flow from t = 0 to 1 with `steps` steps of
/// `solver`; returns every state, (steps + 1, n, 2) row-major, row 0 = `x0`.
pub fn sample_trajectory(net: &Mlp, solver: Solver, steps: usize, x0: &[f32]) -> Result<Vec<f32>> {
    let grid = ode::uniform_grid(0.0, 1.0, steps).map_err(ode_err)?;
    let mut field = VelocityEval::new(net)?;
    ode::trajectory(
        solver,
        &mut |x: &[f32], t: f32, out: &mut [f32]| field.eval(x, t, out),
        x0,
        &grid,
    )
    .map_err(ode_err)
}

/// Only the last state of [`sample_trajectory`]: (n, 2).
pub fn sample_final(net: &Mlp, solver: Solver, steps: usize, x0: &[f32]) -> Result<Vec<f32>> {
    let grid = ode::uniform_grid(0.0, 1.0, steps).map_err(ode_err)?;
    let mut field = VelocityEval::new(net)?;
    ode::integrate(
        solver,
        &mut |x: &[f32], t: f32, out: &mut [f32]| field.eval(x, t, out),
        x0,
        &grid,
    )
    .map_err(ode_err)
}

/// The velocity u(x, t) at the nodes of a regular grid over a box: (ny, nx, 2) row-major, row 0
/// at `y_min`, column 0 at `x_min`, both ends included.
pub fn velocity_grid(
    net: &Mlp,
    bounds: [f32; 4],
    nx: usize,
    ny: usize,
    t: f32,
) -> Result<Vec<f32>> {
    let [x_min, x_max, y_min, y_max] = bounds;
    let points = grid_points([x_min, x_max, y_min, y_max], nx, ny)?;
    let mut out = vec![0.0; points.len()];
    VelocityEval::new(net)?.eval(&points, t, &mut out);
    Ok(out)
}

/// Largest number of nodes a grid may have on one side.
pub const MAX_GRID_SIDE: usize = 1024;

/// The nodes of a regular grid: (ny, nx, 2), row-major, both ends of each axis included.
pub fn grid_points(bounds: [f32; 4], nx: usize, ny: usize) -> Result<Vec<f32>> {
    let [x_min, x_max, y_min, y_max] = bounds;
    if !bounds.iter().all(|v| v.is_finite()) || x_min >= x_max || y_min >= y_max {
        return Err(TensorError::Invalid(format!(
            "grid box must be finite with min < max, got x [{x_min}, {x_max}], y [{y_min}, {y_max}]"
        )));
    }
    if !(2..=MAX_GRID_SIDE).contains(&nx) || !(2..=MAX_GRID_SIDE).contains(&ny) {
        return Err(TensorError::Invalid(format!(
            "grid size must be between 2 and {MAX_GRID_SIDE} per side, got {nx} x {ny}"
        )));
    }
    let mut pts = Vec::with_capacity(2 * nx * ny);
    for j in 0..ny {
        let y = y_min + (y_max - y_min) * j as f32 / (ny - 1) as f32;
        for i in 0..nx {
            pts.push(x_min + (x_max - x_min) * i as f32 / (nx - 1) as f32);
            pts.push(y);
        }
    }
    Ok(pts)
}

fn ode_err(e: ode::OdeError) -> TensorError {
    TensorError::Invalid(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_lies_on_the_straight_path_with_the_difference_as_target() {
        let mut b = FlowBatch::default();
        b.draw(&Dataset::Moons, 0.05, 64, &mut crate::rng::seeded(1))
            .unwrap();
        for i in 0..64 {
            let t = b.t[i];
            assert!((0.0..1.0).contains(&t));
            assert_eq!(b.input[3 * i], t);
            for d in 0..2 {
                let want = (1.0 - t) * b.x0[2 * i + d] + t * b.x1[2 * i + d];
                assert!((b.input[3 * i + 1 + d] - want).abs() < 1e-6);
                assert_eq!(b.target[2 * i + d], b.x1[2 * i + d] - b.x0[2 * i + d]);
            }
        }
    }

    #[test]
    fn euler_sampling_follows_the_euler_relation_between_states() {
        let net = Mlp::new(
            &[3, 16, 2],
            crate::nn::Activation::Elu,
            &mut crate::rng::seeded(2),
        )
        .unwrap();
        let mut x0 = vec![0.0; 20];
        fill_normal(&mut crate::rng::seeded(3), &mut x0);
        let traj = sample_trajectory(&net, Solver::Euler, 4, &x0).unwrap();
        assert_eq!(traj.len(), 5 * 20);
        assert_eq!(&traj[..20], &x0[..]);
        let mut field = VelocityEval::new(&net).unwrap();
        let mut u = vec![0.0; 20];
        for k in 0..4 {
            let (x, next) = (
                &traj[k * 20..(k + 1) * 20],
                &traj[(k + 1) * 20..(k + 2) * 20],
            );
            field.eval(x, k as f32 * 0.25, &mut u);
            for i in 0..20 {
                assert!((next[i] - (x[i] + 0.25 * u[i])).abs() < 1e-5);
            }
        }
    }

    #[test]
    fn grids_reject_empty_boxes_and_huge_sizes() {
        assert!(grid_points([0.0, 1.0, 0.0, 1.0], 2, 3).is_ok());
        let e = grid_points([1.0, 1.0, 0.0, 1.0], 4, 4)
            .unwrap_err()
            .to_string();
        assert!(e.contains("min < max"), "{e}");
        let e = grid_points([0.0, 1.0, 0.0, 1.0], 100_000, 4)
            .unwrap_err()
            .to_string();
        assert!(e.contains("between 2 and 1024"), "{e}");
    }
}
