//! The wasm-bindgen facade: converts between JavaScript and Rust types and maps errors to
//! `JsError`; nothing else lives here. Big results cross as `Float32Array`s (copied out of wasm
//! memory, so they stay valid when the worker transfers them).
//!
//! The lab language's `Session` (`api/session.rs`) is behind the feature "lang": the page's engine
//! wasm leaves it out, and the worker loads the lab wasm, which has it, on the first cell.

use crate::pipeline::{self, Config, DensityOptions};
use js_sys::{Float32Array, Uint32Array};
use wasm_bindgen::prelude::*;

mod compare;
#[cfg(feature = "lang")]
mod session;
pub use compare::JsComparison;
#[cfg(feature = "lang")]
pub use session::JsSession;

/// Installs the panic hook so a Rust panic reaches the console (and the page's error banner)
/// with its message instead of an opaque `unreachable` trap.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version, e.g. "0.1.0".
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The default configuration (the lab's settings) as a plain object.
#[wasm_bindgen(js_name = defaultConfig)]
pub fn default_config() -> Result<JsValue, JsError> {
    to_js(&Config::default())
}

/// The data set names the engine offers.
#[wasm_bindgen(js_name = datasetNames)]
pub fn dataset_names() -> Vec<String> {
    crate::data::Dataset::ALL_NAMES
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// `n` points of a named data set: (n, 2) flat. `noise` undefined takes the set's default.
#[wasm_bindgen(js_name = datasetSamples)]
pub fn dataset_samples(
    name: &str,
    n: usize,
    noise: Option<f32>,
    seed: f64,
) -> Result<Float32Array, JsError> {
    let (points, _) = pipeline::dataset_samples(name, n, noise, to_seed(seed)?).map_err(js_err)?;
    Ok(Float32Array::from(&points[..]))
}

/// The labels (which moon, which gaussian, ...) of the same draw as [`dataset_samples`]: (n,).
#[wasm_bindgen(js_name = datasetLabels)]
pub fn dataset_labels(
    name: &str,
    n: usize,
    noise: Option<f32>,
    seed: f64,
) -> Result<Uint32Array, JsError> {
    let (_, labels) = pipeline::dataset_samples(name, n, noise, to_seed(seed)?).map_err(js_err)?;
    Ok(Uint32Array::from(&labels[..]))
}

/// `n` standard-normal points from `seed`: (n, 2) flat (the start of every sampling call).
#[wasm_bindgen]
pub fn noise(n: usize, seed: f64) -> Result<Float32Array, JsError> {
    if n == 0 || n > pipeline::limits::MAX_SAMPLES {
        return Err(JsError::new(&format!(
            "n: must be between 1 and {}, but is {n}",
            pipeline::limits::MAX_SAMPLES
        )));
    }
    Ok(Float32Array::from(&pipeline::noise(n, to_seed(seed)?)[..]))
}

/// What a perfect sampler scores against `n` fresh points of a data set (see
/// `pipeline::quality_floor`); `noise` undefined takes the set's default.
#[wasm_bindgen(js_name = qualityFloor)]
pub fn quality_floor(name: &str, n: usize, noise: Option<f32>, seed: f64) -> Result<f32, JsError> {
    let dataset = crate::data::Dataset::from_name(name).map_err(js_err)?;
    let noise = noise.unwrap_or_else(|| dataset.default_noise());
    pipeline::quality_floor(&dataset, noise, n, to_seed(seed)?).map_err(js_err)
}

/// Sliced Wasserstein-2 distance between two 2-D point sets (flat (n, 2) and (m, 2)).
#[wasm_bindgen(js_name = slicedW2)]
pub fn sliced_w2(a: &[f32], b: &[f32]) -> Result<f32, JsError> {
    crate::metrics::sliced_w2(a, b, crate::metrics::DEFAULT_PROJECTIONS).map_err(js_err)
}

/// A flow-matching model in training (JavaScript class `Pipeline`).
#[wasm_bindgen(js_name = Pipeline)]
pub struct JsPipeline {
    inner: pipeline::Pipeline,
}

#[wasm_bindgen(js_class = Pipeline)]
impl JsPipeline {
    /// `new Pipeline({dataset: "moons", lr: 0.01, ...})`; omitted fields take the lab's values.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<JsPipeline, JsError> {
        let config: Config = if config.is_undefined() || config.is_null() {
            Config::default()
        } else {
            reject_unknown_fields(&config)?;
            serde_wasm_bindgen::from_value(config)
                .map_err(|e| JsError::new(&format!("config: {e}")))?
        };
        Ok(JsPipeline {
            inner: pipeline::Pipeline::new(config).map_err(js_err)?,
        })
    }

    /// The validated configuration as a plain object.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.config())
    }

    /// Training steps taken so far.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> usize {
        self.inner.step()
    }

    /// Trains `steps` steps; returns their losses, (steps,).
    pub fn train(&mut self, steps: usize) -> Result<Float32Array, JsError> {
        let losses = self.inner.train(steps).map_err(js_err)?;
        Ok(Float32Array::from(&losses[..]))
    }

    /// Transports `n` noise points (from `seed`) with `steps` steps of `solver`; returns the
    /// trajectory (steps + 1, n, 2) flat.
    pub fn sample(
        &self,
        n: usize,
        solver: &str,
        steps: usize,
        seed: f64,
    ) -> Result<Float32Array, JsError> {
        let traj = self
            .inner
            .sample(n, solver, steps, to_seed(seed)?)
            .map_err(js_err)?;
        Ok(Float32Array::from(&traj[..]))
    }

    /// Only the final states of [`JsPipeline::sample`]: (n, 2) flat.
    #[wasm_bindgen(js_name = sampleFinal)]
    pub fn sample_final(
        &self,
        n: usize,
        solver: &str,
        steps: usize,
        seed: f64,
    ) -> Result<Float32Array, JsError> {
        let x = self
            .inner
            .sample_final(n, solver, steps, to_seed(seed)?)
            .map_err(js_err)?;
        Ok(Float32Array::from(&x[..]))
    }

    /// The velocity at time `t` on an `nx` by `ny` grid over the box: (ny, nx, 2) flat.
    #[wasm_bindgen(js_name = velocityGrid)]
    #[allow(clippy::too_many_arguments)] // mirrors the JavaScript call one to one
    pub fn velocity_grid(
        &self,
        x_min: f32,
        x_max: f32,
        y_min: f32,
        y_max: f32,
        nx: usize,
        ny: usize,
        t: f32,
    ) -> Result<Float32Array, JsError> {
        let v = self
            .inner
            .velocity_grid([x_min, x_max, y_min, y_max], nx, ny, t)
            .map_err(js_err)?;
        Ok(Float32Array::from(&v[..]))
    }

    /// For final states `points`: (n, 2) flat, the label of the nearest data point: (n,).
    #[wasm_bindgen(js_name = endLabels)]
    pub fn end_labels(&self, points: &[f32]) -> Result<Uint32Array, JsError> {
        let labels = self.inner.end_labels(points).map_err(js_err)?;
        Ok(Uint32Array::from(&labels[..]))
    }

    /// log p1 of `points`: (n, 2) flat -> (n,). `options`: {divergence: "exact" |
    /// "hutchinson" | "hutchinson-gaussian", probes, solver, steps, seed}, each optional.
    #[wasm_bindgen(js_name = logDensity)]
    pub fn log_density(&self, points: &[f32], options: JsValue) -> Result<Float32Array, JsError> {
        let options = density_options(options)?;
        let v = self.inner.log_density(points, &options).map_err(js_err)?;
        Ok(Float32Array::from(&v[..]))
    }

    /// log p1 on an `nx` by `ny` grid over the box: (ny, nx) flat, row 0 at `y_min`.
    #[wasm_bindgen(js_name = logDensityGrid)]
    #[allow(clippy::too_many_arguments)] // mirrors the JavaScript call one to one
    pub fn log_density_grid(
        &self,
        x_min: f32,
        x_max: f32,
        y_min: f32,
        y_max: f32,
        nx: usize,
        ny: usize,
        options: JsValue,
    ) -> Result<Float32Array, JsError> {
        let options = density_options(options)?;
        let v = self
            .inner
            .log_density_grid([x_min, x_max, y_min, y_max], nx, ny, &options)
            .map_err(js_err)?;
        Ok(Float32Array::from(&v[..]))
    }

    /// `n` samples (noise from `seed`) with their log p1, computed along the path ->
    /// [samples (n, 2), log p1 (n,)].
    #[wasm_bindgen(js_name = sampleWithLogDensity)]
    pub fn sample_with_log_density(
        &self,
        n: usize,
        seed: f64,
        options: JsValue,
    ) -> Result<js_sys::Array, JsError> {
        let options = density_options(options)?;
        let (samples, logp) = self
            .inner
            .sample_with_log_density(n, to_seed(seed)?, &options)
            .map_err(js_err)?;
        Ok(pair(&samples, &logp))
    }

    /// The held-out NLL of `n` fresh data points, exact and by the options' estimator over
    /// `repeats` probe draws -> {points, exactNll, exactBits, estimateNll, estimateSpread,
    /// pointSpread, repeats}.
    #[wasm_bindgen(js_name = likelihoodReport)]
    pub fn likelihood_report(
        &self,
        n: usize,
        data_seed: f64,
        options: JsValue,
        repeats: usize,
    ) -> Result<JsValue, JsError> {
        let options = density_options(options)?;
        let report = self
            .inner
            .likelihood_report(n, to_seed(data_seed)?, &options, repeats)
            .map_err(js_err)?;
        to_js(&report)
    }

    /// Theorem 1's exact velocity of `m` data points (drawn from `data_seed`) on a grid at `t`
    /// -> {points: Float32Array (m, 2), velocity: Float32Array (ny, nx, 2)}.
    #[wasm_bindgen(js_name = exactVelocityGrid)]
    #[allow(clippy::too_many_arguments)] // mirrors the JavaScript call one to one
    pub fn exact_velocity_grid(
        &self,
        m: usize,
        data_seed: f64,
        x_min: f32,
        x_max: f32,
        y_min: f32,
        y_max: f32,
        nx: usize,
        ny: usize,
        t: f32,
    ) -> Result<js_sys::Array, JsError> {
        let (points, velocity) = self
            .inner
            .exact_velocity_grid(
                m,
                to_seed(data_seed)?,
                [x_min, x_max, y_min, y_max],
                nx,
                ny,
                t,
            )
            .map_err(js_err)?;
        Ok(pair(&points, &velocity))
    }

    /// `n` samples carried by the exact velocity of `m` data points -> [points (m, 2),
    /// samples (n, 2)].
    #[wasm_bindgen(js_name = exactSamples)]
    pub fn exact_samples(
        &self,
        m: usize,
        data_seed: f64,
        n: usize,
        steps: usize,
        seed: f64,
    ) -> Result<js_sys::Array, JsError> {
        let (points, samples) = self
            .inner
            .exact_samples(m, to_seed(data_seed)?, n, steps, to_seed(seed)?)
            .map_err(js_err)?;
        Ok(pair(&points, &samples))
    }

    /// Sliced W2 between `n` samples and `n` fresh data points (the quality readout).
    pub fn quality(&self, n: usize, seed: f64) -> Result<f32, JsError> {
        self.inner.quality(n, to_seed(seed)?).map_err(js_err)
    }
}

/// Density options from JavaScript (`undefined` takes every default); unknown fields are errors.
fn density_options(options: JsValue) -> Result<DensityOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(DensityOptions::default());
    }
    serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&format!("options: {e}")))
}

/// Two flat arrays as a JavaScript pair of Float32Arrays.
fn pair(a: &[f32], b: &[f32]) -> js_sys::Array {
    js_sys::Array::of2(&Float32Array::from(a).into(), &Float32Array::from(b).into())
}

/// serde-wasm-bindgen looks fields up by name and ignores the rest, so a misspelt setting
/// (`learningRate`) would silently keep its default: name it instead.
fn reject_unknown_fields(config: &JsValue) -> Result<(), JsError> {
    let known = js_sys::Object::keys(&js_sys::Object::from(to_js(&Config::default())?));
    let known: Vec<String> = known.iter().filter_map(|k| k.as_string()).collect();
    let given = js_sys::Object::keys(&js_sys::Object::from(config.clone()));
    for key in given.iter().filter_map(|k| k.as_string()) {
        if !known.contains(&key) {
            return Err(JsError::new(&format!(
                "config: unknown setting \"{key}\"; the settings are {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_err)
}

/// A JavaScript number as a seed: a whole number in [0, 2^53).
fn to_seed(seed: f64) -> Result<u64, JsError> {
    if seed.is_finite() && seed >= 0.0 && seed.fract() == 0.0 && seed < 9_007_199_254_740_992.0 {
        Ok(seed as u64)
    } else {
        Err(JsError::new(&format!(
            "seed: must be a whole number >= 0, but is {seed}"
        )))
    }
}
