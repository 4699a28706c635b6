//! Maximum likelihood with normalizing flows (the lecture's chapters before flow matching):
//! a model is a density `p(x)` on the plane whose `log p` is differentiable in its parameters,
//! trained by minimising the negative log-likelihood of data batches.
//!
//! Discrete flows ([`planar`], [`coupling`]) are stacks of invertible [`Layer`]s read in the
//! normalizing direction, data `x` to noise `z = f(x)`:
//! `log p(x) = log N(f(x); 0, I) + sum over layers of log |det df_k/dx|`. Sampling runs the
//! inverses from `z ~ N(0, I)`. The continuous flow ([`cnf`]) gets `log p` by integrating the
//! instantaneous change of variables through the solver's steps (discretise, then optimise).

pub mod cnf;
pub mod coupling;
pub mod planar;
#[cfg(test)]
mod tests;

use crate::autograd::{NoGradGuard, Var};
use crate::data::Dataset;
use crate::optim::{Adam, Optimizer};
use crate::rng::{self, Rng};
use crate::tensor::{Result, Tensor, TensorError};

/// One invertible map of the plane, in the normalizing direction (data to noise).
pub trait Layer {
    /// `x`: (n, 2) to `(z, log_det)`: `z` (n, 2) and `log |det dz/dx|` per row, (n,), both on
    /// the autograd graph.
    fn forward(&self, x: &Var) -> Result<(Var, Var)>;
    /// The inverse `z` to `x` (no graph: sampling only).
    fn inverse(&self, z: &Tensor) -> Result<Tensor>;
    fn parameters(&self) -> Vec<Var>;
}

/// A density on the plane with a differentiable log-likelihood and a sampler.
pub trait DensityModel {
    /// `log p(x)` per row of `x`: (n, 2), as (n,) on the autograd graph.
    fn log_prob(&self, x: &Var) -> Result<Var>;
    /// `n` samples as (n, 2), every draw from `rng`.
    fn sample(&self, n: usize, rng: &mut Rng) -> Result<Tensor>;
    fn parameters(&self) -> Vec<Var>;

    /// `log p` of many `points`: (n, 2) without recording a graph (density grids, held-out
    /// likelihood); a model with a faster path than its graph overrides it.
    fn log_density(&self, points: &[f32]) -> Result<Vec<f32>> {
        if !points.len().is_multiple_of(2) {
            return Err(TensorError::Invalid(format!(
                "points must be (n, 2), but {} numbers were given",
                points.len()
            )));
        }
        let _off = NoGradGuard::new();
        let mut out = Vec::with_capacity(points.len() / 2);
        for rows in points.chunks(2 * EVAL_CHUNK) {
            let x = Var::constant(Tensor::from_vec(&[rows.len() / 2, 2], rows.to_vec())?);
            out.extend_from_slice(self.log_prob(&x)?.value().data());
        }
        Ok(out)
    }
}

/// Points evaluated together by [`DensityModel::log_density`].
const EVAL_CHUNK: usize = 1024;

/// `log N(z; 0, I)` per row of `z`: (n, 2), on the graph.
pub fn log_standard_normal(z: &Var) -> Result<Var> {
    let half_square = z.mul(z)?.sum_dim(1, false)?.scale(-0.5);
    Ok(half_square.add_scalar(-(2.0 * std::f32::consts::PI).ln()))
}

/// `n` draws from N(0, I) in the plane, as (n, 2).
pub fn standard_normal(n: usize, rng: &mut Rng) -> Result<Tensor> {
    // refuse a huge `n` before allocating
    crate::tensor::check_size(&[n, 2])?;
    let mut z = vec![0.0; 2 * n];
    rng::fill_normal(rng, &mut z);
    Tensor::from_vec(&[n, 2], z)
}

/// The number of rows of `shape` if it is (n, 2): points of the plane, one per row.
pub(crate) fn check_points(shape: &[usize], what: &str) -> Result<usize> {
    match shape {
        [n, 2] => Ok(*n),
        _ => Err(TensorError::Invalid(format!(
            "{what} must be points of the plane, shape (n, 2), but has shape {}",
            crate::tensor::shape_str(shape)
        ))),
    }
}

/// A stack of layers over a standard normal base: `log p(x) = log N(f(x)) + sum log |det|`.
pub struct LayerStack {
    pub layers: Vec<Box<dyn Layer>>,
}

impl LayerStack {
    /// `x` through every layer: `(z, total log |det dz/dx|)`.
    pub fn forward(&self, x: &Var) -> Result<(Var, Var)> {
        let n = check_points(&x.shape(), "a flow's input")?;
        let mut z = x.clone();
        let mut log_det = Var::constant(Tensor::zeros(&[n])?);
        for layer in &self.layers {
            let (next, ld) = layer.forward(&z)?;
            z = next;
            log_det = log_det.add(&ld)?;
        }
        Ok((z, log_det))
    }

    /// `z` back through the inverses, last layer first.
    pub fn inverse(&self, z: &Tensor) -> Result<Tensor> {
        check_points(z.shape(), "a flow's inverse input")?;
        let mut x = z.clone();
        for layer in self.layers.iter().rev() {
            x = layer.inverse(&x)?;
        }
        Ok(x)
    }
}

impl DensityModel for LayerStack {
    fn log_prob(&self, x: &Var) -> Result<Var> {
        let (z, log_det) = self.forward(x)?;
        log_standard_normal(&z)?.add(&log_det)
    }

    fn sample(&self, n: usize, rng: &mut Rng) -> Result<Tensor> {
        self.inverse(&standard_normal(n, rng)?)
    }

    fn parameters(&self) -> Vec<Var> {
        self.layers.iter().flat_map(|l| l.parameters()).collect()
    }
}

/// What [`MleTrainer`] needs besides the model.
#[derive(Clone, Debug)]
pub struct MleSettings {
    pub dataset: Dataset,
    /// Standard deviation of the data set's noise.
    pub noise: f32,
    /// Points per batch.
    pub batch: usize,
    pub lr: f32,
    pub seed: u64,
}

/// Maximum likelihood by Adam on fresh data batches: each step minimises the batch's mean
/// negative log-likelihood.
pub struct MleTrainer {
    pub model: Box<dyn DensityModel>,
    optimizer: Adam,
    settings: MleSettings,
    rng: Rng,
    batch: Vec<f32>,
    step: usize,
}

impl MleTrainer {
    pub fn new(model: Box<dyn DensityModel>, settings: MleSettings) -> Result<MleTrainer> {
        if settings.batch == 0 {
            return Err(TensorError::Invalid(
                "the batch needs at least one point".into(),
            ));
        }
        let optimizer = Adam::new(model.parameters(), settings.lr)?;
        let batch = vec![0.0; 2 * settings.batch];
        Ok(MleTrainer {
            model,
            optimizer,
            rng: rng::seeded(settings.seed),
            settings,
            batch,
            step: 0,
        })
    }

    /// Steps taken so far.
    pub fn step(&self) -> usize {
        self.step
    }

    /// One step; returns the batch's negative log-likelihood (nats per point) before the update.
    /// A non-finite loss is refused before it reaches the parameters, so the model stays usable.
    pub fn train_step(&mut self) -> Result<f32> {
        let s = &self.settings;
        s.dataset
            .sample_into(s.noise, &mut self.rng, &mut self.batch, None)
            .map_err(|e| TensorError::Invalid(e.to_string()))?;
        let x = Var::constant(Tensor::from_vec(&[s.batch, 2], self.batch.clone())?);
        let nll = self.model.log_prob(&x)?.mean().neg();
        let value = nll.value().data()[0];
        if !value.is_finite() {
            return Err(TensorError::Invalid(format!(
                "the negative log-likelihood became {value} at step {}: the model diverged",
                self.step + 1
            )));
        }
        self.optimizer.zero_grad();
        nll.backward()?;
        self.optimizer.step()?;
        self.step += 1;
        Ok(value)
    }

    /// `steps` steps; the losses, one per step.
    pub fn train(&mut self, steps: usize) -> Result<Vec<f32>> {
        (0..steps).map(|_| self.train_step()).collect()
    }
}
