//! The facade in a real browser (headless Chromium through wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use flowlab::api::{self, JsPipeline};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("../../tests/golden/seeded_draws.json");

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Error::from(v).message().into()
}

fn config(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn the_lab_pipeline_trains_samples_and_reports_its_field() {
    let mut p = JsPipeline::new(JsValue::UNDEFINED).unwrap();
    let losses = p.train(50).unwrap().to_vec();
    assert_eq!(losses.len(), 50);
    assert!(losses.iter().all(|l| l.is_finite()));
    assert_eq!(p.step(), 50);
    let traj = p.sample(100, "heun", 10, 3.0).unwrap();
    assert_eq!(traj.length(), 11 * 100 * 2);
    let grid = p.velocity_grid(-3.0, 3.0, -3.0, 3.0, 8, 6, 0.5).unwrap();
    assert_eq!(grid.length(), 6 * 8 * 2);
    assert!(p.quality(500, 1.0).unwrap().is_finite());
}

#[wasm_bindgen_test]
fn bad_input_becomes_a_js_error_with_the_value_and_nothing_panics() {
    let e = JsPipeline::new(config(&[("batch", JsValue::from(0))]))
        .err()
        .unwrap();
    assert_eq!(
        message(e),
        "config.batch: must be between 1 and 65536, but is 0"
    );
    let e = JsPipeline::new(config(&[("lr", JsValue::from(f64::NAN))]))
        .err()
        .unwrap();
    assert!(message(e).contains("lr"));
    let e = JsPipeline::new(config(&[("dataset", JsValue::from("mons"))]))
        .err()
        .unwrap();
    assert!(message(e).contains("moons"));
    let e = JsPipeline::new(config(&[("learningRate", JsValue::from(0.1))]))
        .err()
        .unwrap();
    assert!(
        message(e).contains("learningRate"),
        "unknown fields are named"
    );
    let mut p = JsPipeline::new(JsValue::NULL).unwrap();
    assert!(p.train(0).is_err());
    assert!(p.sample(100_000, "euler", 10_000, 0.0).is_err());
    assert!(p.sample(10, "euler", 10, -1.0).is_err());
    assert!(api::dataset_samples("moons", 0, None, 0.0).is_err());
    assert!(api::dataset_samples("moons", 10_000_000, None, 0.0).is_err());
    // still usable after every refusal
    assert_eq!(p.train(2).unwrap().length(), 2);
}

#[wasm_bindgen_test]
fn the_same_seed_draws_the_same_numbers_as_natively() {
    let want: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    let floats = |key: &str| -> Vec<f32> {
        want[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect()
    };
    assert_eq!(
        api::dataset_samples("moons", 64, None, 42.0)
            .unwrap()
            .to_vec(),
        floats("moons_64_seed_42")
    );
    let labels: Vec<u32> = want["moons_64_seed_42_labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    assert_eq!(
        api::dataset_labels("moons", 64, None, 42.0)
            .unwrap()
            .to_vec(),
        labels
    );
    assert_eq!(
        api::noise(64, 42.0).unwrap().to_vec(),
        floats("noise_64_seed_42")
    );
    let mut p = JsPipeline::new(JsValue::UNDEFINED).unwrap();
    for (a, b) in p
        .train(5)
        .unwrap()
        .to_vec()
        .iter()
        .zip(floats("lab_first_5_losses"))
    {
        assert!(
            (a - b).abs() <= 1e-5 * b.abs(),
            "wasm loss {a} vs native {b}"
        );
    }
}
