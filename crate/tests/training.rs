//! Cross-module scenarios: the lab trained natively, and the data it learns from.

use flowlab::data::Dataset;
use flowlab::metrics::{sliced_w2, DEFAULT_PROJECTIONS};
use flowlab::pipeline::{noise, Config, Pipeline};
use flowlab::rng::seeded;

fn fresh_moons(n: usize, seed: u64) -> Vec<f32> {
    Dataset::Moons.sample(n, 0.05, &mut seeded(seed)).unwrap().0
}

#[test]
fn the_lab_configuration_learns_moons_within_ten_thousand_steps() {
    let mut p = Pipeline::new(Config::default()).unwrap();
    let reference = fresh_moons(2000, 1234);
    // pure noise is far from the data (about 0.56)
    let before = sliced_w2(&noise(2000, 77), &reference, DEFAULT_PROJECTIONS).unwrap();
    assert!(before > 0.45, "noise scores {before}");
    let losses = p.train(10_000).unwrap();
    assert!(losses.iter().all(|l| l.is_finite()));
    let samples = p.sample_final(2000, "euler", 100, 77).unwrap();
    let after = sliced_w2(&samples, &reference, DEFAULT_PROJECTIONS).unwrap();
    println!("sliced W2 to fresh moons: noise {before:.3}, after 10,000 steps {after:.4}");
    assert!(after < 0.1, "sliced W2 after training: {after}");
    // the loss of flow matching cannot reach zero (the target is random given x_t), but it falls
    let early: f32 = losses[..200].iter().sum::<f32>() / 200.0;
    let late: f32 = losses[9800..].iter().sum::<f32>() / 200.0;
    println!("mean loss: first 200 steps {early:.3}, last 200 {late:.3}");
    assert!(late < early, "loss {early} -> {late}");
}

#[test]
fn a_schedule_and_weight_averaging_train_and_sample_too() {
    let config = Config {
        schedule: "cosine".into(),
        schedule_steps: 1500,
        ema: 0.99,
        ..Config::default()
    };
    let mut p = Pipeline::new(config).unwrap();
    p.train(1500).unwrap();
    let q = p.quality(1000, 3).unwrap();
    assert!(q.is_finite() && q < 0.3, "sliced W2 {q}");
}

#[test]
fn moons_match_scikit_learns_noiseless_construction() {
    let path = format!("{}/../tests/golden/moons.json", env!("CARGO_MANIFEST_DIR"));
    let f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in f["cases"].as_array().unwrap() {
        let n = case["n_samples"].as_u64().unwrap() as usize;
        let want: Vec<f64> = case["X"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let labels: Vec<u32> = case["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        let (x, y) = flowlab::data::sklearn::make_moons(n, 0.0, false, &mut seeded(0)).unwrap();
        assert_eq!(y, labels, "labels for n = {n}");
        for (g, w) in x.iter().zip(&want) {
            assert!(
                (*g as f64 - w).abs() < 1e-6,
                "n = {n}: {g} vs scikit-learn {w}"
            );
        }
    }
}
