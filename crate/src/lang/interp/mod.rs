//! The lab language's interpreter: compiles a cell to bytecode and runs it on a machine whose
//! state is plain data, so a long cell runs in slices of a time budget, reports progress, can be
//! stopped, and leaves the namespace (shared by the notebook's cells, as in Jupyter) intact.
//!
//! ```
//! use flowlab::lang::interp::Session;
//! let mut s = Session::new(0);
//! s.run("import torch\nx = torch.ones(2, 3)\nprint(x.sum().item())").unwrap();
//! assert_eq!(s.take_text(), "6.0\n");
//! ```

pub mod builtins;
mod call;
pub mod code;
pub mod compile;
pub mod error;
pub mod ops;
pub mod value;
mod vm;

pub use vm::{group_thousands, Progress, Vm, DEFAULT_OP_LIMIT, MAX_CALL_DEPTH};

use crate::lang::error::{ErrorKind, LangError};
use crate::plot::Figure;
use std::collections::HashMap;
use std::rc::Rc;

/// What one slice of a run produced: for the page, which shows text and figures as they come,
/// a progress bar for the cell's main loop, and the error (if any) with its position.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SliceReport {
    /// The cell finished (successfully or not).
    pub done: bool,
    /// The line about to run (0 when done).
    pub line: u32,
    /// `[done, total]` of the cell's outermost `for ... in range(...)` loop.
    pub progress: Option<(i64, i64)>,
    pub text: String,
    pub figures: Vec<Figure>,
    pub error: Option<ErrorReport>,
}

/// A [`LangError`] for the page: Python's name for it, the message, where, and the source
/// line with a caret.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReport {
    pub kind: String,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// `line 3, column 5: message` followed by the source line and a caret.
    pub rendered: String,
}

impl ErrorReport {
    pub fn new(e: &LangError, source: &str) -> ErrorReport {
        ErrorReport {
            kind: e.kind.name().to_string(),
            message: e.message.clone(),
            line: e.span.line,
            column: e.span.column,
            end_line: e.span.end_line,
            end_column: e.span.end_column,
            rendered: e.render(source),
        }
    }
}

/// A notebook's interpreter: one namespace, one cell running at a time.
pub struct Session {
    vm: Vm,
    /// The running cell's source (for rendering errors).
    source: String,
    /// Every figure the current (or last) cell showed, for the lab's checks.
    cell_figures: Vec<Figure>,
}

impl Session {
    /// A fresh namespace whose random draws start from `seed` (until `torch.manual_seed`).
    pub fn new(seed: u64) -> Session {
        Session {
            vm: Vm::new(seed),
            source: String::new(),
            cell_figures: Vec::new(),
        }
    }

    /// Parses and compiles `source` and makes it the running cell (stopping any other);
    /// [`Session::resume`] runs it.
    pub fn start(&mut self, source: &str) -> Result<(), LangError> {
        self.vm.stop();
        self.source = source.to_string();
        self.cell_figures.clear();
        let program = crate::lang::parse(source)?;
        let code = compile::compile_program(&program)?;
        self.vm.start(code);
        Ok(())
    }

    /// Runs the current cell until it finishes, fails, or `out_of_time()` returns true. At the
    /// end of a cell, figures still open are shown (as in a notebook).
    pub fn resume(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Result<Progress, LangError> {
        if !self.vm.running() {
            return Ok(Progress::Finished);
        }
        let outcome = self.vm.resume(out_of_time);
        if !matches!(outcome, Ok(Progress::Paused)) {
            builtins::pyplot::show_all(&mut self.vm);
        }
        outcome
    }

    /// Runs the current cell for about `budget_ms` milliseconds of `clock()` (any clock in
    /// milliseconds) and reports what happened.
    pub fn run_slice(&mut self, budget_ms: f64, clock: &dyn Fn() -> f64) -> SliceReport {
        let deadline = clock() + budget_ms;
        let outcome = self.resume(&mut || clock() >= deadline);
        let (done, error) = match outcome {
            Ok(Progress::Paused) => (false, None),
            Ok(Progress::Finished) => (true, None),
            Err(e) => (true, Some(ErrorReport::new(&e, &self.source))),
        };
        self.report(done, error)
    }

    /// Starts `source` and reports a syntax error at once, as a finished slice.
    pub fn start_report(&mut self, source: &str) -> Option<SliceReport> {
        match self.start(source) {
            Ok(()) => None,
            Err(e) => {
                let error = Some(ErrorReport::new(&e, source));
                Some(self.report(true, error))
            }
        }
    }

    /// Stops the running cell and reports where, as a finished slice.
    pub fn interrupt_report(&mut self) -> SliceReport {
        let error = self.interrupt().map(|e| ErrorReport::new(&e, &self.source));
        self.report(true, error)
    }

    fn report(&mut self, done: bool, error: Option<ErrorReport>) -> SliceReport {
        SliceReport {
            done,
            line: if done { 0 } else { self.current_line() },
            progress: self.loop_progress(),
            text: self.take_text(),
            figures: self.take_figures(),
            error,
        }
    }

    /// Runs `source` to the end without pausing.
    pub fn run(&mut self, source: &str) -> Result<(), LangError> {
        self.start(source)?;
        self.resume(&mut || false).map(|_| ())
    }

    /// Stops the running cell; the namespace keeps what it assigned so far. Returns the error
    /// that reports where it stopped.
    pub fn interrupt(&mut self) -> Option<LangError> {
        if !self.vm.running() {
            return None;
        }
        let line = self.vm.current_line().max(1);
        self.vm.stop();
        builtins::pyplot::show_all(&mut self.vm);
        Some(LangError::new(
            ErrorKind::Interrupted,
            "stopped: the namespace keeps everything assigned before this line",
            crate::lang::ast::Span::point(line, 1),
        ))
    }

    /// Whether a cell is in progress.
    pub fn running(&self) -> bool {
        self.vm.running()
    }

    /// The line about to run.
    pub fn current_line(&self) -> u32 {
        self.vm.current_line()
    }

    /// `(done, total)` of the cell's outermost `for ... in range(...)` loop.
    pub fn loop_progress(&self) -> Option<(i64, i64)> {
        self.vm.loop_progress()
    }

    /// Text printed since the last call.
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.vm.printed)
    }

    /// Figures shown since the last call.
    pub fn take_figures(&mut self) -> Vec<Figure> {
        let shown = std::mem::take(&mut self.vm.shown);
        self.cell_figures.extend(shown.iter().cloned());
        shown
    }

    /// Every figure the current (or last) cell showed so far, collected or not.
    pub fn cell_figures(&self) -> Vec<Figure> {
        let mut all = self.cell_figures.clone();
        all.extend(self.vm.shown.iter().cloned());
        all
    }

    /// Runs `source` to the end, unpaused, as if it were a cell, and returns the namespace it
    /// left; then puts everything back as it was: names, random generator, printed text,
    /// figures, the network's last call. The lab's checks use it to try the attendee's code
    /// on test inputs without disturbing the notebook. At most `op_limit` instructions.
    pub fn probe(
        &mut self,
        source: &str,
        op_limit: u64,
    ) -> Result<HashMap<Rc<str>, value::Value>, LangError> {
        if self.vm.running() {
            return Err(LangError::new(
                ErrorKind::Value,
                "a cell is running: checks wait until it ends",
                crate::lang::ast::Span::point(1, 1),
            ));
        }
        let globals = self.vm.globals.clone();
        let rng = self.vm.rng.clone();
        let printed = self.vm.printed.len();
        let shown = self.vm.shown.len();
        let open = self.vm.open_figures.clone();
        let axes = self.vm.current_axes;
        let limit = self.vm.op_limit;
        let last_forward = self.vm.last_forward.clone();
        let cell_source = std::mem::take(&mut self.source);
        let cell_figures = std::mem::take(&mut self.cell_figures);

        self.vm.op_limit = op_limit;
        let outcome = self.start(source).and_then(|()| self.resume(&mut || false));
        let left = std::mem::replace(&mut self.vm.globals, globals);

        self.vm.stop();
        self.vm.rng = rng;
        self.vm.printed.truncate(printed);
        self.vm.shown.truncate(shown);
        self.vm.open_figures = open;
        self.vm.current_axes = axes;
        self.vm.op_limit = limit;
        self.vm.last_forward = last_forward;
        self.source = cell_source;
        self.cell_figures = cell_figures;
        outcome.map(|_| left)
    }

    /// Forgets every name and figure and reseeds the generator.
    pub fn reset(&mut self, seed: u64) {
        self.vm = Vm::new(seed);
    }

    /// The names the namespace holds, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vm.globals.keys().map(|k| k.to_string()).collect();
        names.sort();
        names
    }

    /// A global's value, printed as `repr` would.
    pub fn repr_of(&self, name: &str) -> Option<String> {
        self.vm.globals.get(name).map(ops::repr)
    }

    /// The interpreter itself (tests and tools).
    pub fn vm(&mut self) -> &mut Vm {
        &mut self.vm
    }

    /// Changes the operation limit of a run (default [`DEFAULT_OP_LIMIT`]).
    pub fn set_op_limit(&mut self, limit: u64) {
        self.vm.op_limit = limit;
    }
}
