//! The machine that runs [`Code`]: frames on a heap stack, so a run can stop after any
//! instruction and resume later with everything intact. `step.rs` executes one instruction.

mod step;

use super::builtins;
use super::code::{ArgShape, Code, Op};
use super::error::{nearest, type_error, RtError, RtResult};
use super::ops;
use super::value::*;
use crate::lang::ast::Span;
use crate::lang::error::{ErrorKind, LangError};
use crate::plot::Figure;
use crate::rng::Rng;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The most nested calls before `RecursionError` (Python's default is 1000; frames here are
/// on the heap, so this only guards against runaway recursion).
pub const MAX_CALL_DEPTH: usize = 200;

/// Instructions a run may execute before it is stopped as a probable endless loop. The lab's
/// 10,000-step training cell takes about 2 million.
pub const DEFAULT_OP_LIMIT: u64 = 500_000_000;

/// What happens to a frame's return value.
pub(super) enum OnReturn {
    /// Pushed on the caller's stack.
    Push,
    /// `__init__` finished: push the new instance instead.
    PushInstead(Value),
    /// A class body finished: build the class from its namespace and push it.
    BuildClass(Vec<Value>),
    /// Kept for a native caller waiting in [`Vm::call_sync`], or the end of the cell.
    Keep,
}

pub(super) struct Frame {
    pub(super) code: Rc<Code>,
    pub(super) pc: usize,
    pub(super) stack: Vec<Value>,
    pub(super) locals: Vec<Option<Value>>,
    /// A class body's namespace.
    pub(super) class_ns: Option<HashMap<Rc<str>, Value>>,
    pub(super) on_return: OnReturn,
}

/// The outcome of running for a while.
pub enum Progress {
    /// Stopped because the time was up; call again to go on.
    Paused,
    Finished,
}

/// The interpreter's state: the namespace shared by a notebook's cells, the running frames,
/// the random generator, and what the program printed and plotted.
pub struct Vm {
    pub globals: HashMap<Rc<str>, Value>,
    builtins: HashMap<&'static str, Value>,
    modules: HashMap<&'static str, Value>,
    pub(super) frames: Vec<Frame>,
    pub(super) kept: Option<Value>,
    pub rng: Rng,
    /// Printed text not yet collected.
    pub printed: String,
    /// Figures shown (by `plt.show()` or at the end of a cell) not yet collected.
    pub shown: Vec<Figure>,
    /// Figures created and not yet shown or closed; the last is pyplot's current figure.
    pub open_figures: Vec<Rc<RefCell<Figure>>>,
    /// The panel of the current figure that `plt.scatter(...)` and friends draw on.
    pub current_axes: usize,
    /// The input and output of the last call of an `nn.Sequential` (the lab's network), for
    /// the lab's loss check.
    pub last_forward: Option<(crate::autograd::Var, crate::autograd::Var)>,
    no_grad_depth: u32,
    pub ops_run: u64,
    pub op_limit: u64,
}

impl Vm {
    pub fn new(seed: u64) -> Vm {
        Vm {
            globals: HashMap::new(),
            builtins: builtins::python::table(),
            modules: HashMap::new(),
            frames: Vec::new(),
            kept: None,
            rng: crate::rng::seeded(seed),
            printed: String::new(),
            shown: Vec::new(),
            open_figures: Vec::new(),
            current_axes: 0,
            last_forward: None,
            no_grad_depth: 0,
            ops_run: 0,
            op_limit: DEFAULT_OP_LIMIT,
        }
    }

    /// Whether a cell is in progress.
    pub fn running(&self) -> bool {
        !self.frames.is_empty()
    }

    /// Starts running a compiled cell; [`Vm::resume`] does the work.
    pub fn start(&mut self, code: Rc<Code>) {
        self.frames.clear();
        self.no_grad_depth = 0;
        self.ops_run = 0;
        self.kept = None;
        self.frames.push(Frame {
            locals: Vec::new(),
            code,
            pc: 0,
            stack: Vec::new(),
            class_ns: None,
            on_return: OnReturn::Keep,
        });
    }

    /// Abandons the running cell (the namespace keeps what it assigned so far).
    pub fn stop(&mut self) {
        self.frames.clear();
        self.no_grad_depth = 0;
    }

    /// The line of the instruction about to run in the innermost frame.
    pub fn current_line(&self) -> u32 {
        self.frames
            .last()
            .and_then(|f| f.code.spans.get(f.pc))
            .map_or(0, |s| s.line)
    }

    /// `(done, total)` of the outermost `for ... in range(...)` loop still running in the cell.
    pub fn loop_progress(&self) -> Option<(i64, i64)> {
        let frame = self.frames.first()?;
        frame.stack.iter().find_map(|v| match v {
            Value::Iter(it) => match &*it.borrow() {
                Iter::Range { next, stop, step } if *step > 0 => {
                    Some((*next, *stop)).map(|(n, s)| (n.min(s), s))
                }
                _ => None,
            },
            _ => None,
        })
    }

    /// Runs until the cell finishes, fails, or `out_of_time()` says to pause (checked every few
    /// hundred instructions).
    pub fn resume(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Result<Progress, LangError> {
        // the grad mode is global to the engine: set it for this slice and restore it after
        let previous = crate::autograd::grad_enabled();
        crate::autograd::set_grad_enabled(self.no_grad_depth == 0);
        let outcome = self.execute(0, Some(out_of_time));
        crate::autograd::set_grad_enabled(previous);
        match outcome {
            Ok(true) => {
                self.frames.clear();
                Ok(Progress::Finished)
            }
            Ok(false) => Ok(Progress::Paused),
            Err(e) => {
                let err = self.locate(e);
                self.stop();
                Err(err)
            }
        }
    }

    /// Gives an error the span of the failing instruction and names the calls it happened in.
    fn locate(&self, mut e: RtError) -> LangError {
        let spans: Vec<(Span, Rc<str>)> = self
            .frames
            .iter()
            .map(|f| {
                let pc =
                    f.pc.saturating_sub(1)
                        .min(f.code.spans.len().saturating_sub(1));
                (
                    f.code.spans.get(pc).copied().unwrap_or_default(),
                    f.code.name.clone(),
                )
            })
            .collect();
        let Some((innermost, name)) = spans.last().cloned() else {
            return e.into_lang(Span::point(1, 1));
        };
        if spans.len() > 1 && e.kind != ErrorKind::Interrupted {
            let mut trail = format!("\n  (in {name}");
            for (span, _) in spans[..spans.len() - 1].iter().rev() {
                trail.push_str(&format!(", called from line {}", span.line));
            }
            trail.push(')');
            e.message.push_str(&trail);
        }
        e.into_lang(innermost)
    }

    /// Runs frames until the frame count drops to `floor` (returns true) or time is up (false).
    pub(super) fn execute(
        &mut self,
        floor: usize,
        mut out_of_time: Option<&mut dyn FnMut() -> bool>,
    ) -> RtResult<bool> {
        let mut countdown = 0u32;
        loop {
            if self.frames.len() <= floor {
                return Ok(true);
            }
            if countdown == 0 {
                countdown = 256;
                if let Some(f) = out_of_time.as_mut() {
                    if f() {
                        return Ok(false);
                    }
                }
            }
            countdown -= 1;
            self.ops_run += 1;
            if self.ops_run > self.op_limit {
                return Err(RtError::new(
                    ErrorKind::Limit,
                    format!(
                        "the cell ran {} operations without finishing: is a `while` condition never false, or a loop far longer than meant? Check the loop's bounds",
                        group_thousands(self.op_limit)
                    ),
                ));
            }
            self.step()?;
        }
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a frame is running")
    }

    pub(super) fn pop(&mut self) -> Value {
        self.frame().stack.pop().unwrap_or(Value::None)
    }

    fn push(&mut self, v: Value) {
        self.frame().stack.push(v);
    }

    fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let stack = &mut self.frame().stack;
        let at = stack.len().saturating_sub(n);
        stack.split_off(at)
    }

    pub(super) fn push_frame(&mut self, frame: Frame) -> RtResult<()> {
        if self.frames.len() >= MAX_CALL_DEPTH {
            return Err(RtError::new(
                ErrorKind::Limit,
                format!("maximum recursion depth exceeded ({MAX_CALL_DEPTH} nested calls): does a function call itself without a base case?"),
            ));
        }
        self.frames.push(frame);
        Ok(())
    }

    fn finish_frame(&mut self, v: Value) -> RtResult<()> {
        let frame = self.frames.pop().expect("frame");
        let result = match frame.on_return {
            OnReturn::Push => v,
            OnReturn::PushInstead(inst) => {
                if !matches!(v, Value::None) {
                    return Err(type_error(format!(
                        "__init__() should return None, not '{}'",
                        v.type_name()
                    )));
                }
                inst
            }
            OnReturn::BuildClass(bases) => {
                let is_module = bases.iter().any(|b| match b {
                    Value::Class(c) => c.is_module,
                    _ => false,
                });
                Value::Class(Rc::new(Class {
                    name: frame.code.name.clone(),
                    bases,
                    attrs: frame.class_ns.unwrap_or_default(),
                    is_module,
                }))
            }
            OnReturn::Keep => {
                self.kept = Some(v);
                return Ok(());
            }
        };
        self.push(result);
        Ok(())
    }

    /// Looks a name up in the class body being run, the globals, then the built-ins.
    fn lookup_name(&self, name: &Rc<str>) -> RtResult<Value> {
        let frame = self.frames.last().expect("frame");
        if let Some(ns) = &frame.class_ns {
            if let Some(v) = ns.get(name) {
                return Ok(v.clone());
            }
        }
        if let Some(v) = self.globals.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.builtins.get(&**name) {
            return Ok(v.clone());
        }
        Err(self.name_error(name))
    }

    fn name_error(&self, name: &str) -> RtError {
        let frame = self.frames.last();
        let locals = frame
            .into_iter()
            .flat_map(|f| f.code.locals.iter().map(|n| &**n));
        let candidates = locals
            .chain(self.globals.keys().map(|k| &**k))
            .chain(self.builtins.keys().copied())
            .chain(builtins::MODULE_NAMES.iter().copied());
        let hint = match nearest(name, candidates) {
            Some(n) => format!(": did you mean '{n}'?"),
            None if builtins::MODULE_NAMES.contains(&name) => {
                format!(": add `import {name}` first")
            }
            None => ": assign it first, or check the spelling (names are case-sensitive)".into(),
        };
        RtError::new(
            ErrorKind::Name,
            format!("name '{name}' is not defined{hint}"),
        )
    }

    fn import(&mut self, name: &str) -> RtResult<Value> {
        builtins::module(self, name).ok_or_else(|| {
            RtError::new(
                ErrorKind::Import,
                format!(
                    "no module named '{name}': the lab language has {}",
                    builtins::MODULE_NAMES.join(", ")
                ),
            )
        })
    }

    /// The module cache (built-in modules are made once per session).
    pub fn module_cache(&mut self) -> &mut HashMap<&'static str, Value> {
        &mut self.modules
    }

    /// Prints text (what `print` writes).
    pub fn write(&mut self, text: &str) {
        self.printed.push_str(text);
    }

    /// Whether gradients are being recorded (no `with torch.no_grad()` is active).
    pub fn grad_enabled(&self) -> bool {
        self.no_grad_depth == 0
    }
}

/// The class named `name` among `class` and its bases.
fn find_class(class: &Rc<Class>, name: &str) -> Option<Rc<Class>> {
    if &*class.name == name {
        return Some(class.clone());
    }
    class.bases.iter().find_map(|b| match b {
        Value::Class(c) => find_class(c, name),
        _ => None,
    })
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
