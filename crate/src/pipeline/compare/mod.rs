//! The Compare view's engine: the lecture's four ways to learn a density, trained side by side
//! on one data set and measured the same way. Planar flows, RealNVP and a CNF are trained by
//! maximum likelihood; flow matching by regression on the velocity. Each gets the held-out
//! negative log-likelihood, the sliced W2 of its samples, its time per step, and what went
//! wrong if anything did. The lecture's claims about them are then checked against what was
//! measured ([`Comparison::findings`]).
//!
//! The caller (the page's worker) hands out equal wall-clock budgets in slices: it calls
//! [`Comparison::train`] and reports how long the slice took with [`Comparison::add_seconds`]
//! (wasm has no clock of its own here; the worker's `performance.now()` is the clock).

mod findings;

pub use findings::Finding;

use super::error::{arg_err, in_range};
use super::{limits, noise, Config, DensityOptions, Pipeline, PipelineError, Result};
use crate::data::MAX_POINTS;
use crate::density::{self, Divergence};
use crate::flow;
use crate::metrics;
use crate::nn::Mlp;
use crate::normalizing::cnf::{self, Cnf};
use crate::normalizing::{coupling, planar, DensityModel, MleSettings, MleTrainer};
use crate::ode::Solver;
use crate::rng::seeded;

/// The models, in the order the page shows them.
pub const MODELS: [&str; 4] = ["planar", "realnvp", "cnf", "flow-matching"];

/// How the four models are built and measured. Missing fields take these defaults; names are
/// camelCase in JavaScript.
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CompareOptions {
    /// One of the data sets' names (not user points).
    pub dataset: String,
    /// The data's noise; `None` takes the data set's default.
    pub noise: Option<f32>,
    /// Seeds every model's initialisation and batches, and the held-out points.
    pub seed: u64,
    /// Points per training batch, for every model.
    pub batch: usize,
    /// Fresh data points for the held-out likelihood and sliced W2.
    pub held_out: usize,
    pub planar_layers: usize,
    pub coupling_layers: usize,
    /// Hidden width of RealNVP's scale/shift networks and of the CNF's velocity.
    pub hidden: usize,
    /// The CNF's solver and steps inside training, and its divergence ("exact" or
    /// "hutchinson").
    pub cnf_solver: String,
    pub cnf_steps: usize,
    pub cnf_divergence: String,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            dataset: "moons".into(),
            noise: None,
            seed: 0,
            batch: 256,
            held_out: 1000,
            planar_layers: 16,
            coupling_layers: 8,
            hidden: 64,
            cnf_solver: "rk4".into(),
            cnf_steps: 4,
            cnf_divergence: "exact".into(),
        }
    }
}

/// Most layers of a planar flow or RealNVP.
pub const MAX_LAYERS: usize = 64;
/// Most held-out points.
pub const MAX_HELD_OUT: usize = 20_000;
/// Most solver steps inside one CNF training step.
pub const MAX_CNF_STEPS: usize = 100;

/// What one model has done so far.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelReport {
    pub name: &'static str,
    pub steps: usize,
    /// Wall-clock seconds of training, as reported by the caller.
    pub seconds: f64,
    pub seconds_per_step: Option<f64>,
    /// "nll" (nats per point) for the likelihood models, "mse" for flow matching.
    pub objective: &'static str,
    /// The mean training loss over the last steps (up to 50).
    pub recent_loss: Option<f32>,
    /// Mean -log p of the held-out points, nats per point.
    pub held_out_nll: Option<f32>,
    /// Sliced W2 between `held_out` samples and the held-out points.
    pub sliced_w2: Option<f32>,
    /// Why training stopped early, if it did.
    pub failure: Option<String>,
}

/// All four reports and the findings drawn from them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Measurement {
    pub reports: Vec<ModelReport>,
    pub findings: Vec<Finding>,
}

enum Learner {
    /// A discrete flow: its own exact log p and sampler.
    Likelihood(MleTrainer),
    /// The CNF, and a handle on its velocity network's parameters: measured like flow matching
    /// (the same solver and steps), so the two ODE models are compared alike.
    Cnf(MleTrainer, Mlp),
    FlowMatching(Box<Pipeline>),
}

struct Entry {
    name: &'static str,
    learner: Learner,
    seconds: f64,
    losses: Vec<f32>,
    failure: Option<String>,
}

/// The four models being trained and measured on one data set.
pub struct Comparison {
    entries: Vec<Entry>,
    /// Fresh data points, never trained on: (n, 2).
    held_out: Vec<f32>,
    /// How the ODE models' log p and samples are computed (exact divergence, RK4, 20 steps).
    density: DensityOptions,
}

impl Comparison {
    pub fn new(options: CompareOptions) -> Result<Comparison> {
        let config = Config {
            dataset: options.dataset.clone(),
            noise: options.noise,
            batch: options.batch,
            seed: options.seed,
            // the Transport view's recipe without its schedule (a time budget has no known end)
            activation: "silu".into(),
            ema: 0.999,
            ..Config::default()
        };
        if options.dataset == "points" {
            return Err(arg_err(
                "dataset",
                "the comparison trains on a named data set; user points are too few for a held-out set",
            ));
        }
        // The flow-matching pipeline validates the data set, noise and batch for everyone.
        let flow_matching = Pipeline::new(config.clone())?;
        let dataset = config.dataset()?;
        let noise_level = config.noise(&dataset)?;
        in_range("heldOut", options.held_out, 10, MAX_HELD_OUT)?;
        in_range("planarLayers", options.planar_layers, 1, MAX_LAYERS)?;
        in_range("couplingLayers", options.coupling_layers, 1, MAX_LAYERS)?;
        in_range("hidden", options.hidden, 1, limits::MAX_WIDTH)?;
        in_range("cnfSteps", options.cnf_steps, 1, MAX_CNF_STEPS)?;

        let settings = |lr: f32, salt: u64| MleSettings {
            dataset: dataset.clone(),
            noise: noise_level,
            batch: options.batch,
            lr,
            seed: options.seed ^ salt,
        };
        let mut init = seeded(options.seed);
        let planar = planar::flow(options.planar_layers, &mut init)?;
        let realnvp = coupling::flow(options.coupling_layers, options.hidden, &mut init)?;
        let solver = Solver::from_name(&options.cnf_solver)
            .map_err(|e| arg_err("cnfSolver", e.to_string()))?;
        let divergence = Divergence::from_name(&options.cnf_divergence, 1)
            .map_err(|e| arg_err("cnfDivergence", e.to_string()))?;
        let cnf_settings = density::Settings {
            solver,
            steps: options.cnf_steps,
            divergence,
            seed: options.seed,
        };
        let widths = [3, options.hidden, options.hidden, 2];
        let cnf = Cnf::new(&widths, cnf::DEFAULT_ACTIVATION, cnf_settings, &mut init)?;
        let trainer = |model: Box<dyn DensityModel>, lr, salt| -> Result<MleTrainer> {
            Ok(MleTrainer::new(model, settings(lr, salt))?)
        };
        let cnf_net = cnf.net.clone();
        let learners = [
            Learner::Likelihood(trainer(Box::new(planar), 5e-3, 1)?),
            Learner::Likelihood(trainer(Box::new(realnvp), 1e-3, 2)?),
            Learner::Cnf(trainer(Box::new(cnf), 5e-3, 3)?, cnf_net),
            Learner::FlowMatching(Box::new(flow_matching)),
        ];
        let entries = MODELS
            .iter()
            .zip(learners)
            .map(|(&name, learner)| Entry {
                name,
                learner,
                seconds: 0.0,
                losses: Vec::new(),
                failure: None,
            })
            .collect();
        let (held_out, _) = dataset
            .sample(
                options.held_out,
                noise_level,
                &mut seeded(options.seed ^ 0x0004_E1D0_u64),
            )
            .map_err(|e| arg_err("heldOut", e.to_string()))?;
        Ok(Comparison {
            entries,
            held_out,
            density: DensityOptions::default(),
        })
    }

    fn entry(&self, model: &str) -> Result<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name == model)
            .ok_or_else(|| unknown_model(model))
    }

    fn entry_mut(&mut self, model: &str) -> Result<&mut Entry> {
        self.entries
            .iter_mut()
            .find(|e| e.name == model)
            .ok_or_else(|| unknown_model(model))
    }

    /// Up to `steps` training steps of `model`; returns the steps taken. A model that fails
    /// (its loss stops being finite) keeps its last good parameters, records why, and takes no
    /// more steps: the comparison goes on without it.
    pub fn train(&mut self, model: &str, steps: usize) -> Result<usize> {
        in_range("steps", steps, 1, limits::MAX_TRAIN_STEPS)?;
        let entry = self.entry_mut(model)?;
        if entry.failure.is_some() {
            return Ok(0);
        }
        let mut taken = 0;
        while taken < steps {
            let loss = match &mut entry.learner {
                Learner::Likelihood(t) | Learner::Cnf(t, _) => {
                    t.train_step().map_err(|e| e.to_string())
                }
                Learner::FlowMatching(p) => match p.train(1) {
                    Ok(l) if l[0].is_finite() => Ok(l[0]),
                    Ok(l) => Err(format!(
                        "the flow-matching loss became {} at step {}: the model diverged",
                        l[0],
                        p.step()
                    )),
                    Err(e) => Err(e.to_string()),
                },
            };
            match loss {
                Ok(l) => entry.losses.push(l),
                Err(why) => {
                    entry.failure = Some(why);
                    break;
                }
            }
            taken += 1;
        }
        Ok(taken)
    }

    /// Adds wall-clock seconds spent training `model` (measured by the caller).
    pub fn add_seconds(&mut self, model: &str, seconds: f64) -> Result<()> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(arg_err(
                "seconds",
                format!("must be a finite number >= 0, but is {seconds}"),
            ));
        }
        self.entry_mut(model)?.seconds += seconds;
        Ok(())
    }

    /// Training steps and seconds so far, without the held-out measurements (cheap: for
    /// progress while training).
    pub fn progress(&self, model: &str) -> Result<ModelReport> {
        let e = self.entry(model)?;
        let steps = e.losses.len();
        let recent = &e.losses[steps.saturating_sub(50)..];
        Ok(ModelReport {
            name: e.name,
            steps,
            seconds: e.seconds,
            seconds_per_step: (steps > 0).then(|| e.seconds / steps as f64),
            objective: match e.learner {
                Learner::Likelihood(_) | Learner::Cnf(..) => "nll",
                Learner::FlowMatching(_) => "mse",
            },
            recent_loss: (!recent.is_empty())
                .then(|| recent.iter().sum::<f32>() / recent.len() as f32),
            held_out_nll: None,
            sliced_w2: None,
            failure: e.failure.clone(),
        })
    }

    /// [`Comparison::progress`] with the held-out NLL and the sliced W2 of samples drawn from
    /// `seed`.
    pub fn report(&self, model: &str, seed: u64) -> Result<ModelReport> {
        let mut report = self.progress(model)?;
        let log_p = self.log_density(model, &self.held_out)?;
        report.held_out_nll = Some(-log_p.iter().sum::<f32>() / log_p.len() as f32);
        let samples = self.samples(model, self.held_out.len() / 2, seed)?;
        report.sliced_w2 = Some(
            metrics::sliced_w2(&samples, &self.held_out, metrics::DEFAULT_PROJECTIONS)
                .map_err(|e| PipelineError::Engine(e.to_string()))?,
        );
        Ok(report)
    }

    /// `n` samples of `model`, every draw from `seed`: (n, 2).
    pub fn samples(&self, model: &str, n: usize, seed: u64) -> Result<Vec<f32>> {
        in_range("n", n, 1, MAX_POINTS)?;
        let settings = self.density.settings(n)?;
        match &self.entry(model)?.learner {
            Learner::Likelihood(t) => Ok(t.model.sample(n, &mut seeded(seed))?.data().to_vec()),
            Learner::Cnf(_, net) => Ok(flow::sample_final(
                net,
                settings.solver,
                settings.steps,
                &noise(n, seed),
            )?),
            Learner::FlowMatching(p) => {
                p.sample_final(n, settings.solver.name(), settings.steps, seed)
            }
        }
    }

    /// log p of `points`: (n, 2) under `model`: (n,).
    pub fn log_density(&self, model: &str, points: &[f32]) -> Result<Vec<f32>> {
        let n = points.len() / 2;
        in_range("points", n, 1, MAX_POINTS)?;
        if !points.len().is_multiple_of(2) {
            return Err(arg_err(
                "points",
                "must be (n, 2): an even count of numbers",
            ));
        }
        match &self.entry(model)?.learner {
            Learner::Likelihood(t) => Ok(t.model.log_density(points)?),
            Learner::Cnf(_, net) => density::log_density(net, points, &self.density.settings(n)?)
                .map_err(|e| arg_err("points", e.to_string())),
            Learner::FlowMatching(p) => p.log_density(points, &self.density),
        }
    }

    /// log p of `model` on an `nx` by `ny` grid over `bounds`: (ny, nx), row 0 at y_min.
    pub fn log_density_grid(
        &self,
        model: &str,
        bounds: [f32; 4],
        nx: usize,
        ny: usize,
    ) -> Result<Vec<f32>> {
        let points =
            flow::grid_points(bounds, nx, ny).map_err(|e| arg_err("grid", e.to_string()))?;
        self.log_density(model, &points)
    }

    /// Every model's [`Comparison::report`] (samples from `seed`) and the findings they give.
    pub fn measure(&self, seed: u64) -> Result<Measurement> {
        let reports = MODELS
            .iter()
            .map(|m| self.report(m, seed))
            .collect::<Result<Vec<_>>>()?;
        let findings = Comparison::findings(&reports);
        Ok(Measurement { reports, findings })
    }

    /// The held-out points: (n, 2).
    pub fn held_out(&self) -> &[f32] {
        &self.held_out
    }
}

fn unknown_model(model: &str) -> PipelineError {
    arg_err(
        "model",
        format!(
            "unknown model {model:?}; choose one of {}",
            MODELS.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests;
