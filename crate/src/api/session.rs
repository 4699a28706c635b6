//! The lab language's facade (feature "lang"): the `Session` class, one notebook's interpreter.
//! Only the lab wasm has it; the worker loads that module on the first cell (www/js/worker.js).

use super::to_js;
use crate::lab::{Lab, Mode};
use crate::lang::interp::Session;
use wasm_bindgen::prelude::*;

/// The shipped lab called `lab` ("flow-matching" when not given, or "warm-ups").
fn named(lab: Option<String>) -> Result<Lab, JsError> {
    Lab::named(lab.as_deref().unwrap_or("flow-matching")).map_err(|e| JsError::new(&e))
}

/// The labs: [{name, title, modes: ["full", ...]}], the notebook's flow matching lab first.
#[wasm_bindgen(js_name = labNames)]
pub fn lab_names() -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    struct Info {
        name: &'static str,
        title: &'static str,
        modes: Vec<Mode>,
    }
    let labs: Vec<Info> = crate::lab::LAB_NAMES
        .iter()
        .map(|n| {
            let lab = Lab::named(n).expect("shipped");
            Info {
                name: lab.name,
                title: lab.title,
                modes: lab.modes(),
            }
        })
        .collect();
    to_js(&labs)
}

/// The lab `lab` (default "flow-matching") in `mode` ("full", "mid" or "todo", those it has):
/// its cells, each with its text for that mode and its blanks (title, TODO text, hints,
/// solution).
#[wasm_bindgen(js_name = labCells)]
pub fn lab_cells(mode: &str, lab: Option<String>) -> Result<JsValue, JsError> {
    let lab = named(lab)?;
    let mode = lab.mode(mode).map_err(|e| JsError::new(&e))?;
    to_js(&lab.cells(mode))
}

/// The lab `lab` (default "flow-matching") in `mode` as one Python file (jupytext's percent
/// format), with `cells` (an object `{cellId: code}`) in place of the mode's own code where
/// given.
#[wasm_bindgen(js_name = labExport)]
pub fn lab_export(mode: &str, cells: JsValue, lab: Option<String>) -> Result<String, JsError> {
    let lab = named(lab)?;
    let mode = lab.mode(mode).map_err(|e| JsError::new(&e))?;
    let texts: std::collections::BTreeMap<String, String> =
        serde_wasm_bindgen::from_value(cells).map_err(|e| JsError::new(&format!("cells: {e}")))?;
    Ok(lab.export(mode, &texts, true))
}

/// Reads a file of the lab `lab` (default "flow-matching") -> {mode: "full" | "mid" | "todo" |
/// null, cells: {cellId: code}, unknown: [titles]}; an error says why nothing could be read.
#[wasm_bindgen(js_name = labImport)]
pub fn lab_import(text: &str, lab: Option<String>) -> Result<JsValue, JsError> {
    let imported = named(lab)?.import(text).map_err(|e| JsError::new(&e))?;
    to_js(&imported)
}

/// A notebook's interpreter (`flowlab::lang::interp::Session`): cells share one namespace.
#[wasm_bindgen(js_name = Session)]
pub struct JsSession {
    inner: Session,
}

#[wasm_bindgen(js_class = Session)]
impl JsSession {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: f64) -> JsSession {
        JsSession {
            inner: Session::new(seed as u64),
        }
    }

    /// Starts a cell; returns a finished report if it does not parse, else `undefined`.
    pub fn start(&mut self, code: &str) -> Result<JsValue, JsError> {
        match self.inner.start_report(code) {
            Some(report) => to_js(&report),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Runs the cell for about `budget_ms` and reports text, figures, progress and any error.
    pub fn resume(&mut self, budget_ms: f64) -> Result<JsValue, JsError> {
        let report = self.inner.run_slice(budget_ms, &js_sys::Date::now);
        to_js(&report)
    }

    /// Stops the running cell; the namespace keeps what it assigned.
    pub fn interrupt(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.inner.interrupt_report())
    }

    #[wasm_bindgen(getter)]
    pub fn running(&self) -> bool {
        self.inner.running()
    }

    /// Forgets every name and reseeds.
    pub fn reset(&mut self, seed: f64) {
        self.inner.reset(seed as u64);
    }

    /// Checks one of the blanks of the lab `lab` (default "flow-matching") against the
    /// namespace -> {blank, status: "pass" | "fail" | "missing", message}. Leaves the namespace
    /// as it was.
    pub fn check(&mut self, blank: &str, lab: Option<String>) -> Result<JsValue, JsError> {
        let lab = named(lab)?;
        to_js(&lab.check(&mut self.inner, blank))
    }

    /// log p1 of the notebook's model `name` (its `flow`) on an `nx` by `ny` grid over the box:
    /// (ny, nx) flat, row 0 at `y_min`; options as the pipeline's `logDensityGrid`.
    #[wasm_bindgen(js_name = logDensityGrid)]
    #[allow(clippy::too_many_arguments)] // mirrors the JavaScript call one to one
    pub fn log_density_grid(
        &mut self,
        name: &str,
        x_min: f32,
        x_max: f32,
        y_min: f32,
        y_max: f32,
        nx: usize,
        ny: usize,
        options: JsValue,
    ) -> Result<js_sys::Float32Array, JsError> {
        let net = self.model(name)?;
        let options = super::density_options(options)?;
        let v =
            crate::pipeline::log_density_grid(&net, [x_min, x_max, y_min, y_max], nx, ny, &options)
                .map_err(super::js_err)?;
        Ok(js_sys::Float32Array::from(&v[..]))
    }

    /// The held-out NLL of `n` fresh moons (the lab's data, noise 0.05, drawn from `data_seed`)
    /// under the notebook's model `name`, as the pipeline's `likelihoodReport`.
    #[wasm_bindgen(js_name = likelihoodReport)]
    pub fn likelihood_report(
        &mut self,
        name: &str,
        n: usize,
        data_seed: f64,
        options: JsValue,
        repeats: usize,
    ) -> Result<JsValue, JsError> {
        let net = self.model(name)?;
        let options = super::density_options(options)?;
        let (data, _) =
            crate::pipeline::dataset_samples("moons", n, Some(0.05), super::to_seed(data_seed)?)
                .map_err(super::js_err)?;
        let report = crate::pipeline::likelihood_report(&net, &data, &options, repeats)
            .map_err(super::js_err)?;
        to_js(&report)
    }

    fn model(&mut self, name: &str) -> Result<crate::nn::Mlp, JsError> {
        if self.inner.running() {
            return Err(JsError::new(
                "a cell is running: the density is computed after it",
            ));
        }
        crate::lab::model::velocity_net(&mut self.inner, name).map_err(|e| JsError::new(&e))
    }

    /// The names defined so far.
    pub fn names(&self) -> Vec<String> {
        self.inner.names()
    }
}
