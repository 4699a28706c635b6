//! The Compare view's facade: [`Comparison`] as the JavaScript class `Comparison`.

use super::{js_err, to_js, to_seed};
use crate::pipeline::{CompareOptions, Comparison, MODELS};
use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

/// Planar flow, RealNVP, a CNF by likelihood and flow matching, trained side by side.
#[wasm_bindgen(js_name = Comparison)]
pub struct JsComparison {
    inner: Comparison,
}

#[wasm_bindgen(js_class = Comparison)]
impl JsComparison {
    /// `new Comparison({dataset: "moons", seed: 0, ...})`; omitted fields take the defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsComparison, JsError> {
        let options: CompareOptions = if options.is_undefined() || options.is_null() {
            CompareOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| JsError::new(&format!("options: {e}")))?
        };
        Ok(JsComparison {
            inner: Comparison::new(options).map_err(js_err)?,
        })
    }

    /// The models' names, in display order.
    pub fn models() -> Vec<String> {
        MODELS.iter().map(|s| s.to_string()).collect()
    }

    /// Up to `steps` training steps of `model`; returns the steps taken (fewer when it failed).
    pub fn train(&mut self, model: &str, steps: usize) -> Result<usize, JsError> {
        self.inner.train(model, steps).map_err(js_err)
    }

    /// Adds the wall-clock seconds a slice of `model`'s training took.
    #[wasm_bindgen(js_name = addSeconds)]
    pub fn add_seconds(&mut self, model: &str, seconds: f64) -> Result<(), JsError> {
        self.inner.add_seconds(model, seconds).map_err(js_err)
    }

    /// {name, steps, seconds, secondsPerStep, objective, recentLoss, failure} of `model`.
    pub fn progress(&self, model: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.progress(model).map_err(js_err)?)
    }

    /// {reports: [..., heldOutNll, slicedW2], findings: [{claim, measured, agrees}]}.
    pub fn measure(&self, seed: f64) -> Result<JsValue, JsError> {
        to_js(&self.inner.measure(to_seed(seed)?).map_err(js_err)?)
    }

    /// `n` samples of `model`: (n, 2) flat.
    pub fn samples(&self, model: &str, n: usize, seed: f64) -> Result<Float32Array, JsError> {
        let x = self
            .inner
            .samples(model, n, to_seed(seed)?)
            .map_err(js_err)?;
        Ok(Float32Array::from(&x[..]))
    }

    /// log p of `model` on an `nx` by `ny` grid over the box: (ny, nx) flat, row 0 at y_min.
    #[wasm_bindgen(js_name = logDensityGrid)]
    #[allow(clippy::too_many_arguments)] // mirrors the JavaScript call one to one
    pub fn log_density_grid(
        &self,
        model: &str,
        x_min: f32,
        x_max: f32,
        y_min: f32,
        y_max: f32,
        nx: usize,
        ny: usize,
    ) -> Result<Float32Array, JsError> {
        let v = self
            .inner
            .log_density_grid(model, [x_min, x_max, y_min, y_max], nx, ny)
            .map_err(js_err)?;
        Ok(Float32Array::from(&v[..]))
    }

    /// The held-out data points: (n, 2) flat.
    #[wasm_bindgen(js_name = heldOut)]
    pub fn held_out(&self) -> Float32Array {
        Float32Array::from(self.inner.held_out())
    }
}
