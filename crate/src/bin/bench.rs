//! Benchmark of the lab's training step, natively.
//!
//! `cargo run --release -p flowlab --bin flowlab-bench -- --steps 10000`
//!
//! Trains the lab's configuration (moons, batch 256, widths 64-64-64, ELU, Adam 1e-2, a fresh
//! batch each step), reports the median of `--repeats` runs, and prints as its last line
//! `lab-train: <steps per second> steps/s`.

use flowlab::pipeline::{Config, Pipeline};
use std::time::Instant;

fn arg(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.replace('_', "").parse().ok())
            .ok_or_else(|| format!("{name} needs a positive integer")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (steps, repeats) = match (arg(&args, "--steps", 10_000), arg(&args, "--repeats", 3)) {
        (Ok(s), Ok(r)) if s > 0 && r > 0 => (s, r),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}\nusage: flowlab-bench [--steps N] [--repeats R]");
            std::process::exit(2);
        }
        _ => {
            eprintln!("--steps and --repeats must be at least 1");
            std::process::exit(2);
        }
    };
    let mut rates = Vec::new();
    for r in 0..repeats {
        let mut p = match Pipeline::new(Config::default()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let start = Instant::now();
        let losses = match p.train(steps) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let secs = start.elapsed().as_secs_f64();
        let rate = steps as f64 / secs;
        let last = losses.last().copied().unwrap_or(f32::NAN);
        println!(
            "run {}: {steps} steps in {secs:.3} s ({rate:.0} steps/s), final loss {last:.4}",
            r + 1
        );
        rates.push(rate);
    }
    rates.sort_by(|a, b| a.total_cmp(b));
    let median = rates[rates.len() / 2];
    println!(
        "10,000 steps take {:.2} s at the median rate",
        10_000.0 / median
    );
    println!("lab-train: {median:.0} steps/s");
}
