//! The same seed gives the same numbers natively and in the browser: both this test and
//! `wasm_api.rs` (run in headless Chromium) compare against one committed fixture,
//! `tests/golden/seeded_draws.json`. Data and noise draws must agree bit for bit; training
//! losses to float rounding (native kernels use FMA, wasm simd128 does not).
//!
//! Regenerate after an intended change of the random streams: `FLOWLAB_BLESS=1 cargo test -p
//! flowlab --test determinism`.

use flowlab::pipeline::{
    dataset_samples, noise, CompareOptions, Comparison, Config, Pipeline, MODELS,
};

fn draws() -> serde_json::Value {
    let (moons, labels) = dataset_samples("moons", 64, None, 42).unwrap();
    let mut p = Pipeline::new(Config::default()).unwrap();
    let losses = p.train(5).unwrap();
    serde_json::json!({
        "compare_after_3_steps": compare_after_3_steps(),
        "moons_64_seed_42": moons,
        "moons_64_seed_42_labels": labels,
        "noise_64_seed_42": noise(64, 42),
        "lab_first_5_losses": losses,
    })
}

/// The Compare view's four models after 3 training steps each (seed 0): per model, the mean
/// training loss and the held-out NLL.
fn compare_after_3_steps() -> Vec<[f32; 2]> {
    let mut c = Comparison::new(CompareOptions::default()).unwrap();
    MODELS
        .iter()
        .map(|m| {
            c.train(m, 3).unwrap();
            let r = c.report(m, 0).unwrap();
            [r.recent_loss.unwrap(), r.held_out_nll.unwrap()]
        })
        .collect()
}

#[test]
fn seeded_draws_match_the_committed_fixture() {
    let path = format!(
        "{}/../tests/golden/seeded_draws.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let now = draws();
    if std::env::var_os("FLOWLAB_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&now).unwrap()).unwrap();
    }
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // compared as f32 (the JSON holds the f32 values widened to f64)
    let floats = |v: &serde_json::Value| -> Vec<f32> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect()
    };
    for key in [
        "moons_64_seed_42",
        "moons_64_seed_42_labels",
        "noise_64_seed_42",
    ] {
        assert_eq!(
            floats(&now[key]),
            floats(&want[key]),
            "{key} changed: random streams must stay stable across releases"
        );
    }
    for (a, b) in now["lab_first_5_losses"]
        .as_array()
        .unwrap()
        .iter()
        .zip(want["lab_first_5_losses"].as_array().unwrap())
    {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        assert!((a - b).abs() <= 1e-5 * b.abs(), "loss {a} vs fixture {b}");
    }
    let pairs = |v: &serde_json::Value| -> Vec<f32> {
        v.as_array().unwrap().iter().flat_map(floats).collect()
    };
    for (a, b) in pairs(&now["compare_after_3_steps"])
        .into_iter()
        .zip(pairs(&want["compare_after_3_steps"]))
    {
        assert!(
            (a - b).abs() <= 1e-4 * b.abs(),
            "compare: {a} vs fixture {b}"
        );
    }
}
