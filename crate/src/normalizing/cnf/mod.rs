//! A continuous normalizing flow (FFJORD's model, without its adaptive solver) trained by
//! maximum likelihood.
//!
//! The velocity is an [`Mlp`] with flow matching's convention, input `(t, x, y)` with `t`
//! first, noise `N(0, I)` at t = 0 and data at t = 1, so the page's density and sampling code
//! (`density::log_density`, `flow::sample_trajectory`) runs on [`Cnf::net`] unchanged.
//!
//! `log p(x)` is discretise-then-optimise: the fixed-step solver integrates the augmented
//! state `(x, l)` from t = 1 back to t = 0 with `dl/dt = -div u`, every stage recorded on the
//! autograd graph, so `backward()` differentiates the very numbers the forward pass computed
//! (the gradient of the discretised likelihood, not an adjoint approximation of it). The
//! divergence has to be differentiable in the parameters too, and the engine has no
//! double-backward: instead the forward-mode tangents of [`crate::density::VelocityJvp`] are
//! spelled out as graph operations. A direction `e` enters the first layer as `W1[:, 1:] e`
//! (the time is not perturbed), each hidden layer multiplies it by `act'(z)` (itself a graph
//! expression) and the next weight, and the output is `J e`; the divergence is
//! `sum_i (J e_i)_i` over the two unit directions, or Hutchinson's `mean_k e_k^T J e_k`.

#[cfg(test)]
mod tests;

use super::{log_standard_normal, standard_normal, DensityModel};
use crate::autograd::Var;
use crate::density::{self, Divergence, Probe, Settings, MAX_PROBES};
use crate::flow::{self, check_velocity_net};
use crate::nn::{Activation, Mlp, Module};
use crate::ode::{self, Solver};
use crate::rng::{self, Rng};
use crate::tensor::{Result, Tensor, TensorError};
use std::cell::RefCell;

/// FFJORD's usual choice: smooth, so the divergence (a first derivative) has a useful
/// derivative of its own, and bounded, which keeps the early flows tame.
pub const DEFAULT_ACTIVATION: Activation = Activation::Tanh;

/// The most solver steps on the graph: each stage keeps every layer's values for the backward
/// pass, so the memory grows with the steps (about 1 MB per stage at batch 256 with two
/// hidden layers of 64 and the exact divergence: 32 MB for RK4 in 8 steps).
pub const MAX_GRAPH_STEPS: usize = 1000;

/// A continuous normalizing flow: a velocity network and how its ODE is solved.
pub struct Cnf {
    /// The velocity `u(x, t)`, input `(t, x, y)`, output `(u, v)`.
    pub net: Mlp,
    /// The solver, its steps, the divergence and the seed of the probes [`DensityModel::log_prob`]
    /// draws; the same settings give the fast path [`Cnf::log_density`].
    settings: Settings,
    /// Hutchinson's probes for `log_prob`: fresh ones every call (an unbiased estimate of the
    /// likelihood's gradient over training), reproducible from `settings.seed`.
    probe_rng: RefCell<Rng>,
}

/// The directions of one solve, shared by every stage (as in FFJORD: one probe per point per
/// solve, so the estimate is of one consistent ODE).
enum Directions {
    /// The two unit vectors: the divergence is the trace, `(J e_1)_1 + (J e_2)_2`.
    Exact { input: [Var; 2] },
    /// Hutchinson's probes: the divergence is the mean of `e^T J e`.
    Probes { along: Vec<Var>, input: Vec<Var> },
}

impl Directions {
    /// The tangents of the network's input, one (n, 3) per direction: the direction with a
    /// zero in front, as the time is not perturbed.
    fn inputs(&self) -> &[Var] {
        match self {
            Directions::Exact { input } => input,
            Directions::Probes { input, .. } => input,
        }
    }

    /// The divergence (n,) from the output tangents `J e`, one (n, 2) per direction.
    fn divergence(&self, jv: &[Var]) -> Result<Var> {
        match self {
            Directions::Exact { .. } => jv[0].select(1, 0)?.add(&jv[1].select(1, 1)?),
            Directions::Probes { along, .. } => {
                let mut total: Option<Var> = None;
                for (e, je) in along.iter().zip(jv) {
                    let quadratic = e.mul(je)?.sum_dim(1, false)?;
                    total = Some(match total {
                        Some(t) => t.add(&quadratic)?,
                        None => quadratic,
                    });
                }
                let total = total.ok_or_else(|| {
                    TensorError::Invalid("Hutchinson's estimator needs a probe".into())
                })?;
                Ok(total.scale(1.0 / along.len() as f32))
            }
        }
    }
}

/// Points (n, 2) with a zero time column in front: (n, 3) constant.
fn tangent_input(n: usize, direction: impl Fn(usize) -> [f32; 2]) -> Result<Var> {
    let data = (0..n)
        .flat_map(|i| {
            let [a, b] = direction(i);
            [0.0, a, b]
        })
        .collect();
    Ok(Var::constant(Tensor::from_vec(&[n, 3], data)?))
}

impl Cnf {
    /// A fresh flow through `widths` (from 3 to 2, e.g. `[3, 64, 64, 2]`), initialised like
    /// PyTorch except the last layer, which starts at zero: the flow starts as the identity
    /// and the model as its base `N(0, I)`, a known and finite starting likelihood.
    pub fn new(
        widths: &[usize],
        activation: Activation,
        settings: Settings,
        rng: &mut Rng,
    ) -> Result<Cnf> {
        let net = Mlp::new(widths, activation, rng)?;
        if let Some(last) = net.layers.last() {
            last.weight.value_mut().data_mut().fill(0.0);
            if let Some(b) = &last.bias {
                b.value_mut().data_mut().fill(0.0);
            }
        }
        Cnf::from_net(net, settings)
    }

    /// A flow with a given velocity network (trained by flow matching, or built by hand).
    pub fn from_net(net: Mlp, settings: Settings) -> Result<Cnf> {
        check_velocity_net(&net)?;
        check_activation(net.activation)?;
        check_settings(&settings)?;
        Ok(Cnf {
            net,
            probe_rng: RefCell::new(rng::seeded(settings.seed)),
            settings,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// New settings (e.g. more steps to evaluate a trained flow), checked; the probes restart
    /// from the new seed.
    pub fn set_settings(&mut self, settings: Settings) -> Result<()> {
        check_settings(&settings)?;
        self.probe_rng = RefCell::new(rng::seeded(settings.seed));
        self.settings = settings;
        Ok(())
    }

    /// `log p(x)` per row of `x`: (n, 2), as (n,) on the graph, with any Hutchinson probes drawn
    /// from `rng` (the same generator state gives the same probes, hence the same function:
    /// what a finite-difference check needs).
    pub fn log_prob_with(&self, x: &Var, rng: &mut Rng) -> Result<Var> {
        let n = check_points(x)?;
        check_activation(self.net.activation)?;
        let directions = self.directions(n, rng)?;
        let grid = ode::uniform_grid(1.0, 0.0, self.settings.steps).map_err(ode_err)?;
        // at t = 1, l = 0; dl/dt = -div u, so l(0) = log p0(x(0)) - log p1(x)
        let mut state = x.clone();
        let mut l: Option<Var> = None;
        for w in grid.windows(2) {
            let (next, dl) = self.step(&state, w[0], w[1], &directions)?;
            state = next;
            l = Some(match l {
                Some(l) => l.add(&dl)?,
                None => dl,
            });
        }
        let log_p0 = log_standard_normal(&state)?;
        match l {
            Some(l) => log_p0.sub(&l),
            None => Ok(log_p0),
        }
    }

    /// The velocity (n, 2) and its divergence (n,) at `x`: (n, 2) and time `t`, both on the
    /// graph; exact, or Hutchinson's estimate with probes drawn from `rng`.
    pub fn velocity_and_divergence(&self, x: &Var, t: f32, rng: &mut Rng) -> Result<(Var, Var)> {
        let n = check_points(x)?;
        check_activation(self.net.activation)?;
        self.field(x, t, &self.directions(n, rng)?)
    }

    /// `log p` at `points`: (n, 2) flat, on the fast path (no graph): the page's density code
    /// with this flow's settings. Equals [`DensityModel::log_prob`] for the exact divergence.
    pub fn log_density(&self, points: &[f32]) -> Result<Vec<f32>> {
        density::log_density(&self.net, points, &self.settings)
    }

    /// Unit vectors (exact) or probes drawn in the fast path's order, probe by probe, point
    /// by point: with the same seed, Hutchinson on the graph sees the probes
    /// `density::log_density` does (up to its chunks of 512 points).
    fn directions(&self, n: usize, rng: &mut Rng) -> Result<Directions> {
        match self.settings.divergence {
            Divergence::Exact => Ok(Directions::Exact {
                input: [
                    tangent_input(n, |_| [1.0, 0.0])?,
                    tangent_input(n, |_| [0.0, 1.0])?,
                ],
            }),
            Divergence::Hutchinson { probes, noise } => {
                let (mut along, mut input) = (Vec::new(), Vec::new());
                for _ in 0..probes {
                    let e: Vec<f32> = (0..2 * n)
                        .map(|_| match noise {
                            Probe::Rademacher => {
                                if rng::uniform(rng) < 0.5 {
                                    1.0
                                } else {
                                    -1.0
                                }
                            }
                            Probe::Gaussian => rng::normal(rng),
                        })
                        .collect();
                    input.push(tangent_input(n, |i| [e[2 * i], e[2 * i + 1]])?);
                    along.push(Var::constant(Tensor::from_vec(&[n, 2], e)?));
                }
                Ok(Directions::Probes { along, input })
            }
        }
    }

    /// `u(x, t)` (n, 2) and `div u` (n,) on the graph: the network's primal rows with one
    /// tangent per direction riding alongside (forward mode, written as reverse-mode
    /// operations; one (n, width) tangent each keeps every product the same shape, off the
    /// slower broadcasting path).
    fn field(&self, x: &Var, t: f32, d: &Directions) -> Result<(Var, Var)> {
        let n = x.shape()[0];
        let time = Var::constant(Tensor::full(&[n, 1], t)?);
        let mut h = Var::cat(&[time, x.clone()], 1)?;
        let mut tangents = d.inputs().to_vec();
        let last = self.net.layers.len() - 1;
        for (l, layer) in self.net.layers.iter().enumerate() {
            let z = h.linear(&layer.weight, layer.bias.as_ref())?;
            // a tangent is a difference of inputs: the weight acts, the bias cancels
            let dz = tangents
                .iter()
                .map(|v| v.linear(&layer.weight, None))
                .collect::<Result<Vec<_>>>()?;
            if l == last {
                return Ok((z, d.divergence(&dz)?));
            }
            let (activated, slope) = activate_with_slope(self.net.activation, &z)?;
            h = activated;
            tangents = dz.iter().map(|v| v.mul(&slope)).collect::<Result<_>>()?;
        }
        Err(TensorError::Invalid(
            "a velocity network needs at least one layer".into(),
        ))
    }

    /// One solver step from `t` to `t_next` (the fast path's `ode::Stepper`, on the graph):
    /// the next state and the step's increment of `l`, `h * (-div)` combined as the stages are.
    fn step(&self, x: &Var, t: f32, t_next: f32, d: &Directions) -> Result<(Var, Var)> {
        let h = t_next - t;
        let t_mid = t + 0.5 * h;
        let offset = |x: &Var, c: f32, k: &Var| x.add(&k.scale(c));
        Ok(match self.settings.solver {
            Solver::Euler => {
                let (k1, d1) = self.field(x, t, d)?;
                (offset(x, h, &k1)?, d1.scale(-h))
            }
            Solver::Midpoint => {
                let (k1, _) = self.field(x, t, d)?;
                let (k2, d2) = self.field(&offset(x, 0.5 * h, &k1)?, t_mid, d)?;
                (offset(x, h, &k2)?, d2.scale(-h))
            }
            Solver::Heun => {
                let (k1, d1) = self.field(x, t, d)?;
                let (k2, d2) = self.field(&offset(x, h, &k1)?, t_next, d)?;
                (
                    offset(x, 0.5 * h, &k1.add(&k2)?)?,
                    d1.add(&d2)?.scale(-0.5 * h),
                )
            }
            Solver::Rk4 => {
                let (k1, d1) = self.field(x, t, d)?;
                let (k2, d2) = self.field(&offset(x, 0.5 * h, &k1)?, t_mid, d)?;
                let (k3, d3) = self.field(&offset(x, 0.5 * h, &k2)?, t_mid, d)?;
                let (k4, d4) = self.field(&offset(x, h, &k3)?, t_next, d)?;
                let sixth = h / 6.0;
                let slope = k1.add(&k2.add(&k3)?.scale(2.0))?.add(&k4)?;
                let div = d1.add(&d2.add(&d3)?.scale(2.0))?.add(&d4)?;
                (offset(x, sixth, &slope)?, div.scale(-sixth))
            }
        })
    }
}

impl DensityModel for Cnf {
    /// `log p(x)` through the solver's steps on the graph; Hutchinson's probes come fresh from
    /// the flow's own generator, seeded by its settings.
    fn log_prob(&self, x: &Var) -> Result<Var> {
        let mut rng = self.probe_rng.borrow_mut();
        self.log_prob_with(x, &mut rng)
    }

    /// Noise pushed from t = 0 to 1 on the fast path (no graph).
    fn sample(&self, n: usize, rng: &mut Rng) -> Result<Tensor> {
        let z = standard_normal(n, rng)?;
        let x = flow::sample_final(
            &self.net,
            self.settings.solver,
            self.settings.steps,
            z.data(),
        )?;
        Tensor::from_vec(&[n, 2], x)
    }

    fn parameters(&self) -> Vec<Var> {
        self.net.parameters()
    }

    /// The fast path with the flow's own settings (no graph).
    fn log_density(&self, points: &[f32]) -> Result<Vec<f32>> {
        Cnf::log_density(self, points)
    }
}

/// `act(z)` and `act'(z)`, both on the graph (the slope's own derivative is what trains the
/// divergence). ReLU is refused: its slope is piecewise constant, so the divergence does not
/// move with the parameters almost anywhere and maximum likelihood cannot shape the density.
fn activate_with_slope(activation: Activation, z: &Var) -> Result<(Var, Var)> {
    Ok(match activation {
        Activation::Tanh => {
            let h = z.tanh();
            let slope = h.mul(&h)?.affine(-1.0, 1.0);
            (h, slope)
        }
        Activation::Sigmoid => {
            let h = z.sigmoid();
            let slope = h.mul(&h.affine(-1.0, 1.0))?;
            (h, slope)
        }
        Activation::Silu => {
            // silu' = s (1 + z (1 - s)) = s + h (1 - s), with s = sigmoid(z) and h = z s
            let s = z.sigmoid();
            let h = z.mul(&s)?;
            let slope = s.add(&h.mul(&s.affine(-1.0, 1.0))?)?;
            (h, slope)
        }
        Activation::Elu => {
            // elu' = 1 for z > 0, exp(z) = 1 + h below: 1 - relu(-h) either way
            let h = z.elu(1.0);
            let slope = h.neg().relu().affine(-1.0, 1.0);
            (h, slope)
        }
        Activation::Relu => return Err(relu_refused()),
    })
}

fn relu_refused() -> TensorError {
    TensorError::Invalid(
        "a continuous normalizing flow needs a smooth activation (tanh, elu, silu or sigmoid): \
         with relu the divergence is piecewise constant, so its gradient is zero and maximum \
         likelihood cannot train it"
            .into(),
    )
}

fn check_activation(activation: Activation) -> Result<()> {
    match activation {
        Activation::Relu => Err(relu_refused()),
        _ => Ok(()),
    }
}

fn check_settings(settings: &Settings) -> Result<()> {
    if settings.steps == 0 || settings.steps > MAX_GRAPH_STEPS {
        return Err(TensorError::Invalid(format!(
            "a continuous flow needs 1 to {MAX_GRAPH_STEPS} solver steps, not {}",
            settings.steps
        )));
    }
    if let Divergence::Hutchinson { probes, .. } = settings.divergence {
        if probes == 0 || probes > MAX_PROBES {
            return Err(TensorError::Invalid(format!(
                "Hutchinson's estimator needs 1 to {MAX_PROBES} probes, not {probes}"
            )));
        }
    }
    Ok(())
}

/// The number of points in `x`, which must be (n, 2) with n >= 1.
fn check_points(x: &Var) -> Result<usize> {
    match x.shape()[..] {
        [n, 2] if n > 0 => Ok(n),
        ref s => Err(TensorError::Invalid(format!(
            "log_prob takes points of shape (n, 2) with n >= 1, not {}",
            crate::tensor::shape_str(s)
        ))),
    }
}

fn ode_err(e: ode::OdeError) -> TensorError {
    TensorError::Invalid(e.to_string())
}
