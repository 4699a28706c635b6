//! `flowlab run FILE.py`: runs a lab-language file natively, prints what it prints, describes
//! each figure in one line, and exits non-zero with the error on a failure, so a teacher can
//! check a lab file without a browser.
//!
//! `flowlab check FILE.py` only parses it (syntax errors, with line and column).
//!
//! `flowlab lab MODE [--extras]` prints the notebook's lab (`crate/src/lab/flow_matching.py`)
//! in mode full, mid or todo as one Python file, with the course's extra cells if asked.

use flowlab::lang::interp::Session;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: flowlab run FILE.py [--seed N]\n       flowlab check FILE.py\n       flowlab lab full|mid|todo [--extras]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, path) = match args.as_slice() {
        [c, p, ..] => (c.as_str(), p.as_str()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if command == "lab" {
        return match flowlab::lab::Mode::parse(path) {
            Ok(mode) => {
                let extras = args.iter().any(|a| a == "--extras");
                print!(
                    "{}",
                    flowlab::lab::Lab::flow_matching().script(mode, extras)
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}\n{USAGE}");
                ExitCode::from(2)
            }
        };
    }
    let seed = match args.iter().position(|a| a == "--seed") {
        Some(i) => match args.get(i + 1).and_then(|s| s.parse::<u64>().ok()) {
            Some(s) => s,
            None => {
                eprintln!("--seed needs a whole number\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        None => 0,
    };
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        "check" => match flowlab::lang::parse(&source) {
            Ok(_) => {
                println!("{path}: ok");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{path}: {}: {}", e.kind.name(), e.render(&source));
                ExitCode::FAILURE
            }
        },
        "run" => run(path, &source, seed),
        _ => {
            eprintln!("unknown command {command:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(path: &str, source: &str, seed: u64) -> ExitCode {
    let mut session = Session::new(seed);
    if let Err(e) = session.start(source) {
        eprintln!("{path}: {}: {}", e.kind.name(), e.render(source));
        return ExitCode::FAILURE;
    }
    let mut figures = 0;
    let mut stdout = std::io::stdout();
    loop {
        // pause every 100 ms to stream printed text and figures as they come
        let started = std::time::Instant::now();
        let outcome = session.resume(&mut || started.elapsed().as_millis() >= 100);
        let _ = stdout.write_all(session.take_text().as_bytes());
        for f in session.take_figures() {
            figures += 1;
            let _ = writeln!(stdout, "[figure {figures}] {}", f.describe());
        }
        let _ = stdout.flush();
        match outcome {
            Ok(flowlab::lang::interp::Progress::Paused) => continue,
            Ok(flowlab::lang::interp::Progress::Finished) => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{path}: {}: {}", e.kind.name(), e.render(source));
                return ExitCode::FAILURE;
            }
        }
    }
}
