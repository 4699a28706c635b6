use super::FlowBatch;
use crate::data::Dataset;
use crate::nn::{Mlp, MlpScratch, Module};
use crate::optim::Optimizer;
use crate::rng::Rng;
use crate::tensor::{Result, TensorError};

/// How the learning rate changes over training.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// The lab's constant rate.
    Constant,
    /// Cosine decay from the base rate to `base * floor` over `steps` steps, then flat.
    /// Removes the late-training swings of a constant rate.
    Cosine { steps: usize, floor: f32 },
}

impl Schedule {
    /// The learning rate at `step` for base rate `lr`.
    pub fn lr_at(self, lr: f32, step: usize) -> f32 {
        match self {
            Schedule::Constant => lr,
            Schedule::Cosine { steps, floor } => {
                let p = (step as f64 / steps.max(1) as f64).min(1.0);
                let c = 0.5 * (1.0 + (std::f64::consts::PI * p).cos());
                (lr as f64 * (floor as f64 + (1.0 - floor as f64) * c)) as f32
            }
        }
    }
}

/// What a [`Trainer`] needs besides the network and optimizer.
#[derive(Clone, Debug)]
pub struct TrainSettings {
    pub dataset: Dataset,
    /// Standard deviation of the data set's noise.
    pub noise: f32,
    /// Points per batch.
    pub batch: usize,
    pub schedule: Schedule,
    /// Decay of the exponential moving average of the weights used for sampling; 0 = off.
    pub ema: f32,
}

/// The lab's training loop: fresh batch, MSE to `x1 - x0`, optimizer step; optionally a
/// learning-rate schedule and an exponential moving average (EMA) of the weights.
pub struct Trainer {
    pub net: Mlp,
    /// The averaged weights, sampled from when EMA is on.
    pub ema_net: Option<Mlp>,
    optimizer: Box<dyn Optimizer>,
    settings: TrainSettings,
    base_lr: f32,
    rng: Rng,
    batch: FlowBatch,
    scratch: MlpScratch,
    step: usize,
}

impl Trainer {
    /// `rng` draws the training batches (the network was initialised before, from its own draws).
    pub fn new(
        net: Mlp,
        optimizer: Box<dyn Optimizer>,
        settings: TrainSettings,
        rng: Rng,
    ) -> Trainer {
        let ema_net = (settings.ema > 0.0).then(|| net.deep_clone());
        let base_lr = optimizer.lr();
        Trainer {
            net,
            ema_net,
            optimizer,
            settings,
            base_lr,
            rng,
            batch: FlowBatch::default(),
            scratch: MlpScratch::default(),
            step: 0,
        }
    }

    /// Training steps taken so far.
    pub fn step(&self) -> usize {
        self.step
    }

    /// The network to sample from: the EMA weights when on, else the trained ones.
    pub fn sampling_net(&self) -> &Mlp {
        self.ema_net.as_ref().unwrap_or(&self.net)
    }

    /// The most recent batch (for inspection and tests).
    pub fn last_batch(&self) -> &FlowBatch {
        &self.batch
    }

    /// Runs `steps` training steps and returns their losses. Stops with an error, before
    /// applying the update, if the loss stops being finite.
    pub fn train(&mut self, steps: usize) -> Result<Vec<f32>> {
        let mut losses = Vec::with_capacity(steps);
        for _ in 0..steps {
            losses.push(self.train_step()?);
        }
        Ok(losses)
    }

    /// One step; returns its loss.
    pub fn train_step(&mut self) -> Result<f32> {
        let s = &self.settings;
        self.optimizer
            .set_lr(s.schedule.lr_at(self.base_lr, self.step));
        self.batch
            .draw(&s.dataset, s.noise, s.batch, &mut self.rng)?;
        let loss = self.net.loss_and_grads(
            &self.batch.input,
            &self.batch.target,
            s.batch,
            &mut self.scratch,
        )?;
        if !loss.is_finite() {
            return Err(TensorError::Invalid(format!(
                "training diverged at step {}: the loss became {loss}. Lower the learning rate (now {}) and reset.",
                self.step + 1,
                self.optimizer.lr()
            )));
        }
        self.optimizer.step()?;
        self.step += 1;
        if let Some(ema) = &self.ema_net {
            // warm-up: average over roughly the steps so far until the decay takes over
            let decay = self
                .settings
                .ema
                .min((1 + self.step) as f32 / (10 + self.step) as f32);
            for (e, p) in ema.parameters().iter().zip(self.net.parameters()) {
                let p = p.value();
                for (ev, &pv) in e.value_mut().data_mut().iter_mut().zip(p.data()) {
                    *ev = decay * *ev + (1.0 - decay) * pv;
                }
            }
        }
        Ok(loss)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_schedule_starts_at_the_base_and_ends_at_the_floor() {
        let s = Schedule::Cosine {
            steps: 100,
            floor: 0.1,
        };
        assert_eq!(s.lr_at(0.01, 0), 0.01);
        assert!((s.lr_at(0.01, 50) - 0.0055).abs() < 1e-6);
        assert!((s.lr_at(0.01, 100) - 0.001).abs() < 1e-7);
        assert!((s.lr_at(0.01, 5000) - 0.001).abs() < 1e-7);
        assert_eq!(Schedule::Constant.lr_at(0.01, 5000), 0.01);
    }
}
