//! Any input, parsed and run by the lab-language interpreter, must end in a result or an
//! error, never a panic. Runs are bounded by an operation limit and a time budget, so endless
//! loops end quickly. Run: `cd crate && cargo +nightly fuzz run parse_and_run` (seed it with
//! `../tests/lang/corpus` and `../tests/labs`).
#![no_main]

use flowlab::lang::interp::{Progress, Session};
use libfuzzer_sys::fuzz_target;
use std::time::{Duration, Instant};

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let mut session = Session::new(0);
    session.set_op_limit(200_000);
    if session.start(&source).is_err() {
        return;
    }
    let started = Instant::now();
    let budget = Duration::from_millis(500);
    // a run that is still going after the budget is stopped, as the page's Stop button does
    while let Ok(Progress::Paused) = session.resume(&mut || started.elapsed() > budget) {
        session.interrupt();
    }
    let _ = session.take_text();
    let _ = session.take_figures();
});
