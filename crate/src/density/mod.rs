//! Log-likelihood by the instantaneous change of variables (the lecture's CNF chapter):
//! along the flow `dx/dt = u(x, t)`, `d/dt log p_t(x(t)) = -div u(x(t), t)`. So `log p1(x)` is
//! found by integrating the augmented state `(x, l)` backwards from `t = 1` (at `x`, `l = 0`)
//! to `t = 0`, with `dl/dt = -div u`, and then `log p1(x) = log p0(x(0)) - l(0)`, with `p0` the
//! standard normal. The divergence is exact (the Jacobian's trace, from two forward-mode
//! directions) or Hutchinson's estimate `E[e^T J e]` over `k` random probes `e` (Rademacher or
//! Gaussian), drawn once per point and per solve, from a seeded generator.

mod jvp;

pub use jvp::VelocityJvp;

use crate::nn::Mlp;
use crate::ode::{self, Solver, Stepper};
use crate::rng::{self, Rng};
use crate::tensor::{Result, TensorError};

/// How the divergence is taken.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Divergence {
    /// The trace of the Jacobian: two forward-mode directions per evaluation.
    Exact,
    /// Hutchinson's estimator with `probes` directions per point.
    Hutchinson { probes: usize, noise: Probe },
}

/// The distribution of Hutchinson's probes (both have identity covariance).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Probe {
    /// ±1 in each coordinate.
    Rademacher,
    Gaussian,
}

/// The most Hutchinson probes per point.
pub const MAX_PROBES: usize = 64;
/// Points integrated together: large enough for the matrix kernels, small enough for the cache.
const CHUNK: usize = 512;

/// How to integrate: the solver, its steps from 0 to 1, the divergence, and the probes' seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub solver: Solver,
    pub steps: usize,
    pub divergence: Divergence,
    pub seed: u64,
}

impl Divergence {
    /// `"exact"`, `"hutchinson"` (Rademacher) or `"hutchinson-gaussian"`, with `probes` for
    /// the estimators.
    pub fn from_name(name: &str, probes: usize) -> Result<Divergence> {
        let noise = match name {
            "exact" => return Ok(Divergence::Exact),
            "hutchinson" | "hutchinson-rademacher" => Probe::Rademacher,
            "hutchinson-gaussian" => Probe::Gaussian,
            other => {
                return Err(TensorError::Invalid(format!(
                    "divergence {other:?}: use exact, hutchinson or hutchinson-gaussian"
                )))
            }
        };
        if probes == 0 || probes > MAX_PROBES {
            return Err(TensorError::Invalid(format!(
                "probes must be 1 to {MAX_PROBES}, not {probes}"
            )));
        }
        Ok(Divergence::Hutchinson { probes, noise })
    }

    fn directions(self) -> usize {
        match self {
            Divergence::Exact => 2,
            Divergence::Hutchinson { probes, .. } => probes,
        }
    }
}

/// `log N(z; 0, I)` in 2-D.
pub fn log_normal(z: &[f32]) -> f32 {
    -(z[0] * z[0] + z[1] * z[1]) / 2.0 - (2.0 * std::f32::consts::PI).ln()
}

/// A velocity field with its divergence: `field(x, t, u, div)` for states `x`: (n, 2) writes
/// `u`: (n, 2) and `div`: (n,).
pub trait Field {
    fn eval(&mut self, x: &[f32], t: f32, u: &mut [f32], div: &mut [f32]);
}

impl<F: FnMut(&[f32], f32, &mut [f32], &mut [f32])> Field for F {
    fn eval(&mut self, x: &[f32], t: f32, u: &mut [f32], div: &mut [f32]) {
        self(x, t, u, div)
    }
}

/// A network's field, with its divergence exact or estimated with probes fixed per solve.
pub struct NetField<'a> {
    jvp: VelocityJvp<'a>,
    divergence: Divergence,
    /// The directions, (k, n, 2): unit vectors for the exact trace, probes for Hutchinson.
    directions: Vec<f32>,
    jv: Vec<f32>,
}

impl<'a> NetField<'a> {
    pub fn new(net: &'a Mlp, divergence: Divergence) -> Result<Self> {
        Ok(NetField {
            jvp: VelocityJvp::new(net)?,
            divergence,
            directions: Vec::new(),
            jv: Vec::new(),
        })
    }

    /// Sets the directions for `n` points (new probes from `rng` for Hutchinson).
    fn prepare(&mut self, n: usize, rng: &mut Rng) {
        let k = self.divergence.directions();
        self.directions.clear();
        match self.divergence {
            Divergence::Exact => {
                for axis in 0..2 {
                    for _ in 0..n {
                        self.directions.extend_from_slice(if axis == 0 {
                            &[1.0, 0.0]
                        } else {
                            &[0.0, 1.0]
                        });
                    }
                }
            }
            Divergence::Hutchinson { noise, .. } => {
                for _ in 0..k * n * 2 {
                    self.directions.push(match noise {
                        Probe::Rademacher => {
                            if rng::uniform(rng) < 0.5 {
                                1.0
                            } else {
                                -1.0
                            }
                        }
                        Probe::Gaussian => rng::normal(rng),
                    });
                }
            }
        }
        self.jv.resize(self.directions.len(), 0.0);
    }
}

impl Field for NetField<'_> {
    fn eval(&mut self, x: &[f32], t: f32, u: &mut [f32], div: &mut [f32]) {
        let n = x.len() / 2;
        self.jvp.eval(x, t, &self.directions, u, &mut self.jv);
        let k = self.divergence.directions();
        div.fill(0.0);
        for probe in 0..k {
            let (dirs, jv) = (
                &self.directions[probe * n * 2..(probe + 1) * n * 2],
                &self.jv[probe * n * 2..(probe + 1) * n * 2],
            );
            for (i, d) in div.iter_mut().enumerate() {
                *d += dirs[2 * i] * jv[2 * i] + dirs[2 * i + 1] * jv[2 * i + 1];
            }
        }
        if k > 1 && matches!(self.divergence, Divergence::Hutchinson { .. }) {
            let scale = 1.0 / k as f32;
            div.iter_mut().for_each(|d| *d *= scale);
        }
    }
}

/// `log p1` at `points`: (n, 2) for a field with its divergence, integrated backwards from 1 to
/// 0 with `solver` in `steps` steps. `prepare(n)` is called before each chunk of points.
fn log_density_with<F: Field>(
    field: &mut F,
    mut prepare: impl FnMut(&mut F, usize),
    points: &[f32],
    solver: Solver,
    steps: usize,
) -> Result<Vec<f32>> {
    check_points(points)?;
    let grid = ode::uniform_grid(1.0, 0.0, steps).map_err(ode_err)?;
    let mut out = Vec::with_capacity(points.len() / 2);
    for chunk in points.chunks(2 * CHUNK) {
        let n = chunk.len() / 2;
        prepare(field, n);
        // at t = 1, l = 0: l(0) = log p0(x(0)) - log p1(x)
        let mut state = chunk.to_vec();
        state.resize(3 * n, 0.0);
        solve_augmented(field, &mut state, solver, &grid)?;
        for i in 0..n {
            out.push(log_normal(&state[2 * i..2 * i + 2]) - state[2 * n + i]);
        }
    }
    Ok(out)
}

/// Integrates the augmented state of `n` points, every point's (x, y) then every point's `l`,
/// along `grid` with `dx/dt = u` and `dl/dt = -div u`.
fn solve_augmented<F: Field>(
    field: &mut F,
    state: &mut [f32],
    solver: Solver,
    grid: &[f32],
) -> Result<()> {
    let n = state.len() / 3;
    let (mut u, mut div) = (vec![0.0; 2 * n], vec![0.0; n]);
    let mut f = |s: &[f32], t: f32, ds: &mut [f32]| {
        field.eval(&s[..2 * n], t, &mut u, &mut div);
        ds[..2 * n].copy_from_slice(&u);
        for (d, v) in ds[2 * n..].iter_mut().zip(&div) {
            *d = -v;
        }
    };
    let mut stepper = Stepper::new(solver, 3 * n);
    for w in grid.windows(2) {
        stepper.step(&mut f, state, w[0], w[1]).map_err(ode_err)?;
    }
    Ok(())
}

/// `log p1` at `points`: (n, 2) of a velocity network, by [`Settings`].
pub fn log_density(net: &Mlp, points: &[f32], settings: &Settings) -> Result<Vec<f32>> {
    let mut field = NetField::new(net, settings.divergence)?;
    let mut rng = rng::seeded(settings.seed);
    log_density_with(
        &mut field,
        |f, n| f.prepare(n, &mut rng),
        points,
        settings.solver,
        settings.steps,
    )
}

/// `log p1` at `points` for any field with its divergence (analytic fields in tests, the
/// exact marginal velocity).
pub fn log_density_of<F: Field>(
    field: &mut F,
    points: &[f32],
    solver: Solver,
    steps: usize,
) -> Result<Vec<f32>> {
    log_density_with(field, |_, _| {}, points, solver, steps)
}

/// `log p1` on the nodes of a grid over `bounds` = [x_min, x_max, y_min, y_max]: (ny, nx)
/// row-major, row 0 at `y_min`, both ends included (as [`crate::flow::velocity_grid`]).
pub fn log_density_grid(
    net: &Mlp,
    bounds: [f32; 4],
    nx: usize,
    ny: usize,
    settings: &Settings,
) -> Result<Vec<f32>> {
    let points = crate::flow::grid_points(bounds, nx, ny)?;
    log_density(net, &points, settings)
}

/// Samples pushed forward from `z`: (n, 2) at t = 0 to t = 1, each with its `log p1`, computed
/// along the way (`l` starts at `log p0(z)` and follows `dl/dt = -div u`): (points (n, 2),
/// log p1 (n,)).
pub fn sample_with_log_density(
    net: &Mlp,
    z: &[f32],
    settings: &Settings,
) -> Result<(Vec<f32>, Vec<f32>)> {
    check_points(z)?;
    let mut field = NetField::new(net, settings.divergence)?;
    let mut rng = rng::seeded(settings.seed);
    let grid = ode::uniform_grid(0.0, 1.0, settings.steps).map_err(ode_err)?;
    let (mut points, mut logp) = (Vec::with_capacity(z.len()), Vec::with_capacity(z.len() / 2));
    for chunk in z.chunks(2 * CHUNK) {
        let n = chunk.len() / 2;
        field.prepare(n, &mut rng);
        // at t = 0, l = log p0(z): it ends at log p1 of where z goes
        let mut state = chunk.to_vec();
        state.extend(chunk.chunks_exact(2).map(log_normal));
        solve_augmented(&mut field, &mut state, settings.solver, &grid)?;
        points.extend_from_slice(&state[..2 * n]);
        logp.extend_from_slice(&state[2 * n..]);
    }
    Ok((points, logp))
}

/// The divergence of a network at `points` (n, 2) and time `t`, exact or estimated.
pub fn divergence(
    net: &Mlp,
    points: &[f32],
    t: f32,
    divergence: Divergence,
    seed: u64,
) -> Result<Vec<f32>> {
    check_points(points)?;
    let mut field = NetField::new(net, divergence)?;
    let mut rng = rng::seeded(seed);
    let n = points.len() / 2;
    field.prepare(n, &mut rng);
    let (mut u, mut div) = (vec![0.0; 2 * n], vec![0.0; n]);
    field.eval(points, t, &mut u, &mut div);
    Ok(div)
}

fn check_points(points: &[f32]) -> Result<()> {
    if !points.len().is_multiple_of(2) {
        return Err(TensorError::Invalid(format!(
            "points must be (n, 2) flat: {} values is not a whole number of points",
            points.len()
        )));
    }
    if let Some(bad) = points.iter().find(|v| !v.is_finite()) {
        return Err(TensorError::Invalid(format!(
            "points must be finite, but one coordinate is {bad}"
        )));
    }
    Ok(())
}

fn ode_err(e: ode::OdeError) -> TensorError {
    TensorError::Invalid(e.to_string())
}

#[cfg(test)]
mod tests;
