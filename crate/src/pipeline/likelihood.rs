//! The pipeline's likelihood calls (crate::density): log p1 of points and on a grid, the
//! held-out negative log-likelihood with the Hutchinson estimator's spread, and Theorem 1's
//! exact marginal velocity of a finite sample of the data set.

use super::error::{arg_err, in_range};
use super::{limits, noise, Pipeline, PipelineError, Result};
use crate::data::MAX_POINTS;
use crate::density::{self, Divergence, Settings};
use crate::flow::{self, MarginalVelocity};
use crate::nn::Mlp;
use crate::ode::Solver;
use crate::rng::seeded;

/// How to compute log p1 (the page's and the console's options; missing fields take these
/// defaults: exact divergence, RK4, 20 steps, seed 0).
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct DensityOptions {
    /// "exact", "hutchinson" (Rademacher probes) or "hutchinson-gaussian".
    pub divergence: String,
    /// Hutchinson probes per point.
    pub probes: usize,
    pub solver: String,
    pub steps: usize,
    /// Seeds the probes.
    pub seed: u64,
}

impl Default for DensityOptions {
    fn default() -> Self {
        DensityOptions {
            divergence: "exact".into(),
            probes: 1,
            solver: "rk4".into(),
            steps: 20,
            seed: 0,
        }
    }
}

/// The most network evaluations times directions one call may ask for: four times the
/// benchmark's 128 x 128 grid with the exact divergence and 20 RK4 steps (seconds, not minutes:
/// a call cannot be interrupted).
pub const MAX_DENSITY_WORK: usize = 4 * 128 * 128 * 80 * 3;

/// The most (data points x evaluated points x steps) one call of Theorem 1's exact velocity may
/// ask for (each term is a few operations: seconds at most).
pub const MAX_EXACT_WORK: usize = 100_000_000;

fn check_exact_work(m: usize, points: usize, steps: usize) -> Result<()> {
    let work = m.saturating_mul(points).saturating_mul(steps);
    if work > MAX_EXACT_WORK {
        return Err(arg_err(
            "m",
            format!(
                "{m} data points x {points} points x {steps} steps is {work}, over the limit of {MAX_EXACT_WORK}: use fewer points or steps"
            ),
        ));
    }
    Ok(())
}

impl DensityOptions {
    /// The engine's settings for `points` points, checked (solver, steps, divergence, work).
    pub fn settings(&self, points: usize) -> Result<Settings> {
        self.settings_repeated(points, 1)
    }

    /// The settings for `repeats` solves of `points` points, within [`MAX_DENSITY_WORK`].
    fn settings_repeated(&self, points: usize, repeats: usize) -> Result<Settings> {
        let solver =
            Solver::from_name(&self.solver).map_err(|e| arg_err("solver", e.to_string()))?;
        in_range("steps", self.steps, 1, limits::MAX_SOLVER_STEPS)?;
        let divergence = Divergence::from_name(&self.divergence, self.probes)
            .map_err(|e| arg_err("divergence", e.to_string()))?;
        let directions = match divergence {
            Divergence::Exact => 2,
            Divergence::Hutchinson { probes, .. } => probes,
        };
        let work = points
            .saturating_mul(self.steps * solver.evals_per_step())
            .saturating_mul(1 + directions)
            .saturating_mul(repeats);
        if work > MAX_DENSITY_WORK {
            return Err(arg_err(
                "steps",
                format!(
                    "{points} points x {} steps x {} evaluations x {} directions{} is {work} network passes, over the limit of {MAX_DENSITY_WORK}: use fewer points, steps, probes or repeats",
                    self.steps,
                    solver.evals_per_step(),
                    1 + directions,
                    if repeats > 1 { format!(" x {repeats} repeats") } else { String::new() }
                ),
            ));
        }
        Ok(Settings {
            solver,
            steps: self.steps,
            divergence,
            seed: self.seed,
        })
    }
}

/// The held-out negative log-likelihood: exact, and as the chosen estimator gives it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LikelihoodReport {
    /// Held-out points (fresh draws of the data set).
    pub points: usize,
    /// Mean -log p1 over them with the exact divergence, in nats; and in bits.
    pub exact_nll: f32,
    pub exact_bits: f32,
    /// The estimator's mean NLL over `repeats` draws of its probes, and the standard
    /// deviation of that mean across the draws (0 for the exact divergence).
    pub estimate_nll: f32,
    pub estimate_spread: f32,
    /// The standard deviation of one point's log p1 across the draws, averaged over points.
    pub point_spread: f32,
    pub repeats: usize,
}

impl Pipeline {
    /// log p1 of `points`: (n, 2) under the model (its sampling network): (n,).
    pub fn log_density(&self, points: &[f32], options: &DensityOptions) -> Result<Vec<f32>> {
        let n = points.len() / 2;
        in_range("points", n, 1, MAX_POINTS)?;
        let settings = options.settings(n)?;
        density::log_density(self.sampling_net(), points, &settings)
            .map_err(|e| arg_err("points", e.to_string()))
    }

    /// log p1 on an `nx` by `ny` grid over `bounds` [x_min, x_max, y_min, y_max]: (ny, nx),
    /// row 0 at y_min.
    pub fn log_density_grid(
        &self,
        bounds: [f32; 4],
        nx: usize,
        ny: usize,
        options: &DensityOptions,
    ) -> Result<Vec<f32>> {
        log_density_grid(self.sampling_net(), bounds, nx, ny, options)
    }

    /// `n` samples (noise from `seed`) carried from t = 0 to 1, each with its log p1 computed
    /// along the way: (samples (n, 2), log p1 (n,)). The options' seed draws the probes.
    pub fn sample_with_log_density(
        &self,
        n: usize,
        seed: u64,
        options: &DensityOptions,
    ) -> Result<(Vec<f32>, Vec<f32>)> {
        in_range("n", n, 1, MAX_POINTS)?;
        let settings = options.settings(n)?;
        density::sample_with_log_density(self.sampling_net(), &noise(n, seed), &settings)
            .map_err(|e| PipelineError::Engine(e.to_string()))
    }

    /// The negative log-likelihood of `n` fresh data points (drawn from `data_seed`), exact
    /// and by `options`' estimator over `repeats` draws of its probes (seeds `options.seed`,
    /// `+1`, ...), so the estimator's spread is seen next to the exact value.
    pub fn likelihood_report(
        &self,
        n: usize,
        data_seed: u64,
        options: &DensityOptions,
        repeats: usize,
    ) -> Result<LikelihoodReport> {
        in_range("n", n, 1, MAX_POINTS)?;
        likelihood_report(
            self.sampling_net(),
            &self.training_set(n, data_seed)?,
            options,
            repeats,
        )
    }

    /// `m` points of the data set (drawn from `data_seed`) and Theorem 1's exact velocity for
    /// them on a grid at time `t`: (points (m, 2), velocities (ny, nx, 2)).
    #[allow(clippy::too_many_arguments)] // one call of the page
    pub fn exact_velocity_grid(
        &self,
        m: usize,
        data_seed: u64,
        bounds: [f32; 4],
        nx: usize,
        ny: usize,
        t: f32,
    ) -> Result<(Vec<f32>, Vec<f32>)> {
        if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
            return Err(arg_err("t", format!("must be in [0, 1], but is {t}")));
        }
        check_exact_work(m, nx.saturating_mul(ny), 1)?;
        let data = self.training_set(m, data_seed)?;
        let points =
            flow::grid_points(bounds, nx, ny).map_err(|e| arg_err("grid", e.to_string()))?;
        let mut out = vec![0.0; points.len()];
        MarginalVelocity::new(&data)
            .map_err(|e| PipelineError::Engine(e.to_string()))?
            .eval(&points, t, &mut out);
        Ok((data, out))
    }

    /// `n` samples (noise from `seed`) carried by the exact velocity of `m` data points (drawn
    /// from `data_seed`) with `steps` Euler steps: (points (m, 2), samples (n, 2)).
    pub fn exact_samples(
        &self,
        m: usize,
        data_seed: u64,
        n: usize,
        steps: usize,
        seed: u64,
    ) -> Result<(Vec<f32>, Vec<f32>)> {
        in_range("n", n, 1, MAX_POINTS)?;
        in_range("steps", steps, 1, limits::MAX_SOLVER_STEPS)?;
        check_exact_work(m, n, steps)?;
        let data = self.training_set(m, data_seed)?;
        let samples = flow::exact_samples(&data, &noise(n, seed), steps)
            .map_err(|e| PipelineError::Engine(e.to_string()))?;
        Ok((data, samples))
    }

    /// `m` fresh points of the model's data set, drawn from `data_seed`.
    fn training_set(&self, m: usize, data_seed: u64) -> Result<Vec<f32>> {
        in_range("m", m, 1, MAX_POINTS)?;
        let dataset = self.config.dataset()?;
        let noise = self.config.noise(&dataset)?;
        let (data, _) = dataset
            .sample(m, noise, &mut seeded(data_seed))
            .map_err(|e| arg_err("m", e.to_string()))?;
        Ok(data)
    }
}

/// log p1 of any 2-D velocity network (the pipeline's, or the notebook's `flow`) on a grid:
/// (ny, nx), row 0 at y_min.
pub fn log_density_grid(
    net: &Mlp,
    bounds: [f32; 4],
    nx: usize,
    ny: usize,
    options: &DensityOptions,
) -> Result<Vec<f32>> {
    let settings = options.settings(nx.saturating_mul(ny))?;
    density::log_density_grid(net, bounds, nx, ny, &settings)
        .map_err(|e| arg_err("grid", e.to_string()))
}

/// The negative log-likelihood of held-out `data` (n, 2) under `net`, exact and by
/// `options`' estimator over `repeats` draws of its probes (seeds `options.seed`, `+1`, ...),
/// so the estimator's spread is seen next to the exact value.
pub fn likelihood_report(
    net: &Mlp,
    data: &[f32],
    options: &DensityOptions,
    repeats: usize,
) -> Result<LikelihoodReport> {
    in_range("repeats", repeats, 1, 100)?;
    let n = data.len() / 2;
    in_range("n", n, 1, MAX_POINTS)?;
    // the exact solve and every draw of the estimator, all in this one call
    let solves = if options.divergence == "exact" {
        1
    } else {
        1 + repeats
    };
    options.settings_repeated(n, solves)?;
    let log_density = |o: &DensityOptions| {
        density::log_density(net, data, &o.settings(n)?)
            .map_err(|e| arg_err("points", e.to_string()))
    };
    let exact_logp = log_density(&DensityOptions {
        divergence: "exact".into(),
        ..options.clone()
    })?;
    let exact_nll = -mean(&exact_logp);
    let draws: Vec<Vec<f32>> = if options.divergence != "exact" {
        (0..repeats as u64)
            .map(|r| {
                log_density(&DensityOptions {
                    seed: options.seed.wrapping_add(r),
                    ..options.clone()
                })
            })
            .collect::<Result<_>>()?
    } else {
        vec![exact_logp]
    };
    let nlls: Vec<f32> = draws.iter().map(|d| -mean(d)).collect();
    let point_spread = if draws.len() > 1 {
        (0..n)
            .map(|i| std(&draws.iter().map(|d| d[i]).collect::<Vec<_>>()))
            .sum::<f32>()
            / n as f32
    } else {
        0.0
    };
    Ok(LikelihoodReport {
        points: n,
        exact_nll,
        exact_bits: exact_nll / std::f32::consts::LN_2,
        estimate_nll: mean(&nlls),
        estimate_spread: if nlls.len() > 1 { std(&nlls) } else { 0.0 },
        point_spread,
        repeats: draws.len(),
    })
}

fn mean(v: &[f32]) -> f32 {
    v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len().max(1) as f32
}

fn std(v: &[f32]) -> f32 {
    let m = mean(v) as f64;
    let var = v.iter().map(|&x| (x as f64 - m).powi(2)).sum::<f64>() / (v.len().max(2) - 1) as f64;
    var.sqrt() as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Config;

    fn trained() -> Pipeline {
        let mut p = Pipeline::new(Config {
            batch: 128,
            ..Default::default()
        })
        .unwrap();
        p.train(300).unwrap();
        p
    }

    #[test]
    fn bad_options_name_the_field_and_the_fix() {
        let p = trained();
        let with = |o: DensityOptions| p.log_density(&[0.0, 0.0], &o).unwrap_err().to_string();
        let base = DensityOptions::default();
        assert!(with(DensityOptions {
            divergence: "trace".into(),
            ..base.clone()
        })
        .contains("divergence"));
        assert!(with(DensityOptions {
            solver: "rk5".into(),
            ..base.clone()
        })
        .contains("solver"));
        assert!(with(DensityOptions {
            steps: 0,
            ..base.clone()
        })
        .contains("steps"));
        let huge = p
            .log_density_grid([-1.0, 1.0, -1.0, 1.0], 1024, 1024, &base)
            .unwrap_err()
            .to_string();
        assert!(huge.contains("network passes, over the limit"), "{huge}");
        let hutchinson = DensityOptions {
            divergence: "hutchinson".into(),
            probes: 2,
            solver: "euler".into(),
            steps: 5,
            ..base.clone()
        };
        let many = p
            .likelihood_report(1_000_000, 1, &hutchinson, 100)
            .unwrap_err()
            .to_string();
        assert!(many.contains("x 101 repeats"), "{many}");
        let exact = p
            .exact_samples(1_000_000, 1, 1_000_000, 10_000, 0)
            .unwrap_err()
            .to_string();
        assert!(exact.contains("over the limit"), "{exact}");
        let grid = p
            .exact_velocity_grid(100_000, 1, [-1.0, 1.0, -1.0, 1.0], 1024, 1024, 0.5)
            .unwrap_err()
            .to_string();
        assert!(grid.contains("over the limit"), "{grid}");
    }

    #[test]
    fn the_report_puts_the_estimator_next_to_the_exact_value() {
        let p = trained();
        let exact = p
            .likelihood_report(200, 1, &DensityOptions::default(), 5)
            .unwrap();
        assert_eq!((exact.repeats, exact.estimate_spread), (1, 0.0));
        assert_eq!(exact.estimate_nll, exact.exact_nll);
        let hutchinson = DensityOptions {
            divergence: "hutchinson".into(),
            ..Default::default()
        };
        let r = p.likelihood_report(200, 1, &hutchinson, 10).unwrap();
        assert_eq!(r.repeats, 10);
        assert!(r.estimate_spread > 0.0 && r.point_spread > r.estimate_spread);
        assert!(
            (r.estimate_nll - r.exact_nll).abs() < 4.0 * r.estimate_spread + 1e-3,
            "{r:?}"
        );
        // samples carry their log-density: the same as computing it backwards afterwards
        let (samples, logp) = p
            .sample_with_log_density(50, 3, &DensityOptions::default())
            .unwrap();
        let back = p.log_density(&samples, &DensityOptions::default()).unwrap();
        for (a, b) in logp.iter().zip(&back) {
            assert!((a - b).abs() < 0.05, "{a} vs {b}");
        }
    }
}
