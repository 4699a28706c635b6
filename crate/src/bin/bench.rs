//! Benchmark of the lab's training step, natively.
//!
//! `cargo run --release -p flowlab --bin flowlab-bench -- --steps 10000`
//!
//! Trains the lab's configuration (moons, batch 256, widths 64-64-64, ELU, Adam 1e-2, a fresh
//! batch each step) with the pipeline, then runs the lab's own training cell (from
//! `tests/labs/full.py`, the same settings, with its number of iterations set to `--steps`)
//! through the lab-language interpreter. Reports the median of `--repeats` runs of each, their
//! ratio, and as its last lines `lab-train: <steps/s> steps/s` and
//! `lab-interpreter: <steps/s> steps/s`.

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
    let mut interpreted = Vec::new();
    for r in 0..repeats {
        let rate = match interpreter_rate(steps) {
            Ok(rate) => rate,
            Err(e) => {
                eprintln!("the lab's training cell failed: {e}");
                std::process::exit(1);
            }
        };
        println!(
            "interpreter run {}: {steps} steps in {:.3} s ({rate:.0} steps/s)",
            r + 1,
            steps as f64 / rate
        );
        interpreted.push(rate);
    }
    interpreted.sort_by(|a, b| a.total_cmp(b));
    let lab = interpreted[interpreted.len() / 2];
    println!(
        "10,000 steps take {:.2} s with the pipeline and {:.2} s in the interpreter: ratio {:.2}",
        10_000.0 / median,
        10_000.0 / lab,
        median / lab
    );
    println!("lab-train: {median:.0} steps/s");
    println!("lab-interpreter: {lab:.0} steps/s");
}

/// The lab's cells up to and including training, as written in the full lab.
const FULL_LAB: &str = include_str!("../../../tests/labs/full.py");

/// Steps per second of the full lab's training cell run by the interpreter (the cells before
/// it, imports and the model, run first and are not timed).
fn interpreter_rate(steps: usize) -> Result<f64, String> {
    let cells: Vec<&str> = FULL_LAB.split("\n# %%").collect();
    let training = cells
        .iter()
        .position(|c| c.starts_with(" training"))
        .ok_or("no training cell in tests/labs/full.py")?;
    let setup = cells[..training].join("\n# %%");
    let cell = format!("# %%{}", cells[training])
        .replace("n_iterations = 10_000", &format!("n_iterations = {steps}"));
    let mut session = flowlab::lang::interp::Session::new(0);
    session.run(&setup).map_err(|e| e.render(&setup))?;
    let start = Instant::now();
    session.run(&cell).map_err(|e| e.render(&cell))?;
    Ok(steps as f64 / start.elapsed().as_secs_f64())
}
