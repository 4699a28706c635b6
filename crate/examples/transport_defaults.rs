//! How fast each training recipe reaches the sliced-W2 floor on moons: the measurement behind
//! the Transport view's defaults.
//!
//! `cargo run --release -p flowlab --example transport_defaults`
//!
//! Prints, per recipe and checkpoint, the sliced W2 of 2,000 samples (Euler, 100 steps) to
//! 2,000 fresh moons, averaged over 3 sample/reference draws (one draw of the floor itself
//! ranges 0.015 to 0.049).

use flowlab::pipeline::{Config, Pipeline};

fn main() {
    let cosine = |steps: usize| Config {
        schedule: "cosine".into(),
        schedule_steps: steps,
        ema: 0.999,
        ..Config::default()
    };
    let recipes: Vec<(&str, Config)> = vec![
        ("lab: adam 1e-2 constant", Config::default()),
        ("adam 1e-2 cosine(3000) ema 0.999", cosine(3000)),
        (
            "adam 1e-2 cosine(5000) ema 0.999 batch 512",
            Config {
                batch: 512,
                ..cosine(5000)
            },
        ),
        (
            "adam 1e-2 cosine(5000) ema 0.999 batch 1024",
            Config {
                batch: 1024,
                ..cosine(5000)
            },
        ),
        (
            "adam 2e-2 cosine(5000) ema 0.999 batch 512",
            Config {
                batch: 512,
                lr: 2e-2,
                ..cosine(5000)
            },
        ),
        (
            "adam 1e-2 cosine(5000) ema 0.999 b512 silu",
            Config {
                batch: 512,
                activation: "silu".into(),
                ..cosine(5000)
            },
        ),
        (
            "adam 1e-2 cosine(5000) ema 0.999 b512 128x3",
            Config {
                batch: 512,
                hidden: vec![128, 128, 128],
                ..cosine(5000)
            },
        ),
        (
            "adam 1e-2 cosine(3000) ema 0.999 b512 silu",
            Config {
                batch: 512,
                activation: "silu".into(),
                ..cosine(3000)
            },
        ),
        (
            "adam 1e-2 cosine(3000) ema 0.999 b256 silu",
            Config {
                activation: "silu".into(),
                ..cosine(3000)
            },
        ),
    ];
    let checkpoints = [1000, 2000, 3000, 5000];
    for (name, config) in recipes {
        for seed in 0..2u64 {
            let mut p = match Pipeline::new(Config {
                seed,
                ..config.clone()
            }) {
                Ok(p) => p,
                Err(e) => return eprintln!("{name}: {e}"),
            };
            let mut done = 0;
            let mut line = format!("{name:48} seed {seed}:");
            for &c in &checkpoints {
                if let Err(e) = p.train(c - done) {
                    return eprintln!("{name}: {e}");
                }
                done = c;
                let q: f32 = (0..3)
                    .map(|k| p.quality(2000, 100 + k).unwrap_or(f32::NAN))
                    .sum::<f32>()
                    / 3.0;
                line.push_str(&format!("  {c}: {q:.4}"));
            }
            println!("{line}");
        }
    }
}
