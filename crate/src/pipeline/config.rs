//! The settings of a training run, validated once where the run is built.

use super::error::{config_err, Result};
use crate::data::Dataset;
use crate::flow::Schedule;
use serde::{Deserialize, Serialize};

/// Limits that keep a typo from freezing or exhausting the page.
pub mod limits {
    /// Largest batch size.
    pub const MAX_BATCH: usize = 65_536;
    /// Largest hidden width.
    pub const MAX_WIDTH: usize = 1024;
    /// Most hidden layers.
    pub const MAX_DEPTH: usize = 8;
    /// Most training steps in one call (the page calls repeatedly in slices).
    pub const MAX_TRAIN_STEPS: usize = 1_000_000;
    /// Most particles one sampling call transports.
    pub const MAX_SAMPLES: usize = 100_000;
    /// Most solver steps in one sampling call.
    pub const MAX_SOLVER_STEPS: usize = 10_000;
    /// Most floats in one returned trajectory, (steps + 1) * n * 2 (64 MiB).
    pub const MAX_TRAJECTORY_FLOATS: usize = 16_777_216;
}

/// Everything that defines a training run. Missing fields take the lab's values
/// ([`Config::default`]); field names are camelCase in JavaScript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// One of [`Dataset::ALL_NAMES`], or "points" with `points` given.
    pub dataset: String,
    /// Standard deviation of the data noise; `None` takes the data set's default (moons 0.05).
    pub noise: Option<f32>,
    /// The user's points for `dataset: "points"`, each `[x, y]`.
    pub points: Option<Vec<[f32; 2]>>,
    /// Hidden layer widths; the network is 3 -> hidden... -> 2.
    pub hidden: Vec<usize>,
    /// One of [`Activation::NAMES`].
    pub activation: String,
    /// "adam" or "sgd".
    pub optimizer: String,
    /// Base learning rate.
    pub lr: f32,
    /// SGD momentum (ignored by Adam).
    pub momentum: f32,
    /// "constant" or "cosine".
    pub schedule: String,
    /// Length of the cosine decay in steps.
    pub schedule_steps: usize,
    /// Final learning rate of the cosine decay as a fraction of `lr`.
    pub lr_floor: f32,
    /// EMA decay of the weights used for sampling, in [0, 1); 0 turns it off.
    pub ema: f32,
    /// Points per training batch.
    pub batch: usize,
    /// Seeds the network's initialisation and every training batch.
    pub seed: u64,
}

impl Default for Config {
    /// The workshop lab's settings.
    fn default() -> Self {
        Config {
            dataset: "moons".into(),
            noise: None,
            points: None,
            hidden: vec![64, 64, 64],
            activation: "elu".into(),
            optimizer: "adam".into(),
            lr: 1e-2,
            momentum: 0.9,
            schedule: "constant".into(),
            schedule_steps: 10_000,
            lr_floor: 0.01,
            ema: 0.0,
            batch: 256,
            seed: 0,
        }
    }
}

impl Config {
    /// The data set this config names.
    pub fn dataset(&self) -> Result<Dataset> {
        if self.dataset == "points" {
            let pts = self.points.clone().ok_or_else(|| {
                config_err("points", "dataset \"points\" needs a list of [x, y] points")
            })?;
            return Dataset::points(pts).map_err(|e| config_err("points", e.to_string()));
        }
        Dataset::from_name(&self.dataset).map_err(|e| config_err("dataset", e.to_string()))
    }

    /// The noise level to use: the given one, else the data set's default.
    pub fn noise(&self, dataset: &Dataset) -> Result<f32> {
        match self.noise {
            Some(n) if n.is_finite() && (0.0..=10.0).contains(&n) => Ok(n),
            Some(n) => Err(config_err(
                "noise",
                format!("must be between 0 and 10, but is {n}"),
            )),
            None => Ok(dataset.default_noise()),
        }
    }

    pub(super) fn schedule(&self) -> Result<Schedule> {
        match self.schedule.as_str() {
            "constant" => Ok(Schedule::Constant),
            "cosine" => {
                if self.schedule_steps == 0 || self.schedule_steps > limits::MAX_TRAIN_STEPS {
                    return Err(config_err(
                        "scheduleSteps",
                        format!(
                            "must be between 1 and {}, but is {}",
                            limits::MAX_TRAIN_STEPS,
                            self.schedule_steps
                        ),
                    ));
                }
                if !(self.lr_floor.is_finite() && (0.0..=1.0).contains(&self.lr_floor)) {
                    return Err(config_err(
                        "lrFloor",
                        format!("must be between 0 and 1, but is {}", self.lr_floor),
                    ));
                }
                Ok(Schedule::Cosine {
                    steps: self.schedule_steps,
                    floor: self.lr_floor,
                })
            }
            other => Err(config_err(
                "schedule",
                format!("unknown schedule {other:?}; choose \"constant\" or \"cosine\""),
            )),
        }
    }
}
