//! The Compare view's experiment, natively: the four models of `pipeline::compare` (planar
//! flow, RealNVP, CNF by likelihood, flow matching) trained on equal wall-clock budgets, then
//! measured on held-out points.
//!
//! `cargo run --release -p flowlab --bin flowlab-compare -- --seconds 15 --seed 0`
//!
//! Scheduling as the page's worker does it (www/js/worker.js, compareRun): always the model
//! with the least time so far, in slices of about 50 ms. Prints one line per model (steps, time
//! per step, held-out NLL, sliced W2, failure) and the findings.

use flowlab::pipeline::{CompareOptions, Comparison, MODELS};
use std::time::Instant;

const SLICE_S: f64 = 0.05;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn usage() -> ! {
    eprintln!(
        "usage: flowlab-compare [--seconds S > 0] [--seed N] [--dataset NAME] [--divergence exact|hutchinson]"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds = arg(&args, "--seconds").map_or(Ok(15.0), |s| s.parse::<f64>());
    let seed = arg(&args, "--seed").map_or(Ok(0), |s| s.parse::<u64>());
    let (Ok(seconds), Ok(seed)) = (seconds, seed) else {
        usage()
    };
    if !(seconds.is_finite() && seconds > 0.0) {
        usage()
    }
    let mut options = CompareOptions {
        seed,
        ..CompareOptions::default()
    };
    if let Some(d) = arg(&args, "--dataset") {
        options.dataset = d;
    }
    if let Some(d) = arg(&args, "--divergence") {
        options.cnf_divergence = d;
    }
    let fail = |e: &dyn std::fmt::Display| -> ! {
        eprintln!("{e}");
        std::process::exit(1)
    };
    let mut comparison = Comparison::new(options).unwrap_or_else(|e| fail(&e));
    loop {
        let mut open: Vec<_> = MODELS
            .iter()
            .map(|m| comparison.progress(m).unwrap_or_else(|e| fail(&e)))
            .filter(|p| p.failure.is_none() && p.seconds < seconds)
            .collect();
        open.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
        let Some(next) = open.first() else { break };
        let steps = next
            .seconds_per_step
            .map_or(1, |s| ((SLICE_S / s).round() as usize).clamp(1, 10_000));
        let start = Instant::now();
        comparison
            .train(next.name, steps)
            .unwrap_or_else(|e| fail(&e));
        comparison
            .add_seconds(next.name, start.elapsed().as_secs_f64())
            .unwrap_or_else(|e| fail(&e));
    }
    let measured = comparison.measure(seed).unwrap_or_else(|e| fail(&e));
    println!("{seconds} s of training per model, seed {seed}");
    println!(
        "{:<14} {:>8} {:>12} {:>14} {:>10}  failure",
        "model", "steps", "ms/step", "held-out NLL", "sliced W2"
    );
    for r in &measured.reports {
        println!(
            "{:<14} {:>8} {:>12.3} {:>14.3} {:>10.3}  {}",
            r.name,
            r.steps,
            r.seconds_per_step.unwrap_or(f64::NAN) * 1000.0,
            r.held_out_nll.unwrap_or(f32::NAN),
            r.sliced_w2.unwrap_or(f32::NAN),
            r.failure.as_deref().unwrap_or("none")
        );
    }
    for f in &measured.findings {
        let verdict = match f.agrees {
            Some(true) => "agrees",
            Some(false) => "measured otherwise",
            None => "not measured",
        };
        println!("- {} [{verdict}] {}", f.claim, f.measured);
    }
}
