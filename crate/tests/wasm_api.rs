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
    // the Compare view's four models, 3 steps each: mean loss and held-out NLL
    let mut c = api::JsComparison::new(JsValue::UNDEFINED).unwrap();
    let native: Vec<f32> = want["compare_after_3_steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|pair| pair.as_array().unwrap().clone())
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let mut browser = Vec::new();
    for model in api::JsComparison::models() {
        assert_eq!(c.train(&model, 3).unwrap(), 3);
        let measured = c.measure(0.0).unwrap();
        let reports = js_sys::Reflect::get(&measured, &"reports".into()).unwrap();
        let report = js_sys::Array::from(&reports)
            .iter()
            .find(|r| js_sys::Reflect::get(r, &"name".into()).unwrap() == JsValue::from_str(&model))
            .unwrap();
        for key in ["recentLoss", "heldOutNll"] {
            browser.push(
                js_sys::Reflect::get(&report, &key.into())
                    .unwrap()
                    .as_f64()
                    .unwrap() as f32,
            );
        }
    }
    assert_eq!(browser.len(), native.len());
    for (a, b) in browser.iter().zip(&native) {
        assert!(
            (a - b).abs() <= 1e-4 * b.abs(),
            "compare: wasm {a} vs native {b}"
        );
    }
}

/// The lab language's facade, in the lab wasm only (`--features lang`).
#[cfg(feature = "lang")]
mod session {
    use flowlab::api::JsSession;
    use js_sys::Reflect;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    fn field(report: &JsValue, name: &str) -> JsValue {
        Reflect::get(report, &JsValue::from_str(name)).unwrap()
    }

    /// Runs the started cell slice by slice; returns its printed text and its last report.
    fn finish(s: &mut JsSession) -> (String, JsValue) {
        let mut text = String::new();
        for _ in 0..10_000 {
            let report = s.resume(25.0).unwrap();
            text.push_str(&field(&report, "text").as_string().unwrap());
            if field(&report, "done").as_bool().unwrap() {
                return (text, report);
            }
        }
        panic!("the cell did not finish");
    }

    fn run(s: &mut JsSession, code: &str) -> (String, JsValue) {
        let syntax_error = s.start(code).unwrap();
        if !syntax_error.is_undefined() {
            return (String::new(), syntax_error);
        }
        finish(s)
    }

    fn error_kind(report: &JsValue) -> Option<String> {
        let error = field(report, "error");
        (!error.is_null()).then(|| field(&error, "kind").as_string().unwrap())
    }

    #[wasm_bindgen_test]
    fn cells_share_a_namespace_and_print() {
        let mut s = JsSession::new(0.0);
        let (text, report) = run(&mut s, "x = 5\nprint(1 + 1)");
        assert_eq!(text, "2\n");
        assert!(field(&report, "error").is_null());
        assert!(field(&report, "figures").is_array());
        let (text, _) = run(&mut s, "print(x * 2)");
        assert_eq!(text, "10\n");
        assert_eq!(s.names(), vec!["x".to_string()]);
        assert!(!s.running());
        s.reset(0.0);
        assert!(s.names().is_empty());
        let (_, report) = run(&mut s, "print(x)");
        assert_eq!(error_kind(&report).as_deref(), Some("NameError"));
    }

    #[wasm_bindgen_test]
    fn a_shown_figure_comes_back_as_a_description() {
        let mut s = JsSession::new(0.0);
        let code = "import matplotlib.pyplot as plt\nplt.scatter([1, 2], [3, 4])\nplt.show()";
        let (_, report) = run(&mut s, code);
        assert!(field(&report, "error").is_null());
        let figures = js_sys::Array::from(&field(&report, "figures"));
        assert_eq!(figures.length(), 1);
        let axes = js_sys::Array::from(&field(&figures.get(0), "axes"));
        let marks = js_sys::Array::from(&field(&axes.get(0), "marks"));
        assert_eq!(
            field(&marks.get(0), "kind").as_string().as_deref(),
            Some("scatter")
        );
    }

    #[wasm_bindgen_test]
    fn a_syntax_error_is_reported_at_start_with_its_line() {
        let mut s = JsSession::new(0.0);
        let report = s.start("y = 1\nif y > 0\n    print(y)\n").unwrap();
        assert_eq!(error_kind(&report).as_deref(), Some("SyntaxError"));
        assert_eq!(field(&field(&report, "error"), "line").as_f64(), Some(2.0));
        assert_eq!(field(&report, "done").as_bool(), Some(true));
        assert!(s.names().is_empty(), "nothing ran");
    }

    #[wasm_bindgen_test]
    fn an_endless_loop_pauses_between_slices_and_stops_on_interrupt() {
        let mut s = JsSession::new(0.0);
        assert!(s
            .start("n = 0\nwhile True:\n    n = n + 1\n")
            .unwrap()
            .is_undefined());
        let report = s.resume(5.0).unwrap();
        assert_eq!(field(&report, "done").as_bool(), Some(false));
        assert!(s.running());
        let report = s.interrupt().unwrap();
        assert_eq!(field(&report, "done").as_bool(), Some(true));
        assert_eq!(error_kind(&report).as_deref(), Some("KeyboardInterrupt"));
        assert!(!s.running());
        let (text, _) = run(&mut s, "print(n > 0)");
        assert_eq!(text, "True\n", "a stopped cell keeps what it assigned");
    }

    #[wasm_bindgen_test]
    fn the_same_seed_draws_the_same_numbers() {
        let code = "import torch\nprint(torch.rand(3).tolist())";
        let draw = |seed: f64| run(&mut JsSession::new(seed), code).0;
        assert_eq!(draw(3.0), draw(3.0));
        assert_ne!(draw(3.0), draw(4.0));
        let mut s = JsSession::new(3.0);
        let first = run(&mut s, code).0;
        s.reset(3.0);
        assert_eq!(run(&mut s, code).0, first, "reset reseeds");
    }
}
