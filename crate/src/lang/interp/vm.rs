//! The machine that runs [`Code`]: frames on a heap stack, so a run can stop after any
//! instruction and resume later with everything intact.

use super::builtins;
use super::code::{ArgShape, Code, CodeKind, Op};
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
    /// The frame depth below which a nested [`Vm::call_sync`] stops.
    pub(super) sync_floor: usize,
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
            sync_floor: 0,
            kept: None,
            rng: crate::rng::seeded(seed),
            printed: String::new(),
            shown: Vec::new(),
            open_figures: Vec::new(),
            current_axes: 0,
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

    /// Executes one instruction.
    fn step(&mut self) -> RtResult<()> {
        let frame = self.frames.last_mut().expect("a frame is running");
        let Some(&op) = frame.code.ops.get(frame.pc) else {
            return Err(RtError::new(
                ErrorKind::Type,
                "ran past the end of the code",
            ));
        };
        frame.pc += 1;
        match op {
            Op::Const(i) => {
                let v = frame.code.consts[i as usize].clone();
                frame.stack.push(v);
            }
            Op::LoadFast(slot) => match &frame.locals[slot as usize] {
                Some(v) => {
                    let v = v.clone();
                    frame.stack.push(v);
                }
                None => {
                    let name = frame.code.locals[slot as usize].clone();
                    return Err(RtError::new(
                        ErrorKind::Name,
                        format!("local variable '{name}' is used before it is assigned: assign it earlier in the function, or pass it in as an argument"),
                    ));
                }
            },
            Op::StoreFast(slot) => {
                let v = frame.stack.pop().unwrap_or(Value::None);
                frame.locals[slot as usize] = Some(v);
            }
            Op::DelFast(slot) => frame.locals[slot as usize] = None,
            Op::LoadName(i) | Op::LoadGlobal(i) => {
                let name = frame.code.names[i as usize].clone();
                let v = self.lookup_name(&name)?;
                self.push(v);
            }
            Op::StoreName(i) => {
                let name = frame.code.names[i as usize].clone();
                let v = frame.stack.pop().unwrap_or(Value::None);
                match &mut frame.class_ns {
                    Some(ns) => {
                        ns.insert(name, v);
                    }
                    None => {
                        self.globals.insert(name, v);
                    }
                }
            }
            Op::DelName(i) => {
                let name = frame.code.names[i as usize].clone();
                let removed = match &mut frame.class_ns {
                    Some(ns) => ns.remove(&name),
                    None => self.globals.remove(&name),
                };
                if removed.is_none() {
                    return Err(RtError::new(
                        ErrorKind::Name,
                        format!("name '{name}' is not defined"),
                    ));
                }
            }
            Op::LoadAttr(i) => {
                let name = frame.code.names[i as usize].clone();
                let obj = self.pop();
                let v = builtins::get_attr(self, &obj, &name)?;
                self.push(v);
            }
            Op::StoreAttr(i) => {
                let name = frame.code.names[i as usize].clone();
                let obj = self.pop();
                let v = self.pop();
                builtins::set_attr(self, &obj, name, v)?;
            }
            Op::DelAttr(i) => {
                let name = frame.code.names[i as usize].clone();
                let obj = self.pop();
                match &obj {
                    Value::Instance(inst) => {
                        let mut attrs = inst.attrs.borrow_mut();
                        let before = attrs.len();
                        attrs.retain(|(k, _)| *k != name);
                        if attrs.len() == before {
                            return Err(super::error::attribute_error(format!(
                                "'{}' object has no attribute '{name}'",
                                inst.class.name
                            )));
                        }
                    }
                    _ => {
                        return Err(type_error(format!(
                            "cannot delete attributes of a '{}' object",
                            obj.type_name()
                        )))
                    }
                }
            }
            Op::LoadSubscript => {
                let index = self.pop();
                let obj = self.pop();
                let v = ops::get_item(&obj, &index)?;
                self.push(v);
            }
            Op::StoreSubscript => {
                let index = self.pop();
                let obj = self.pop();
                let v = self.pop();
                ops::set_item(self, &obj, &index, v)?;
            }
            Op::DelSubscript => {
                let index = self.pop();
                let obj = self.pop();
                ops::del_item(&obj, &index)?;
            }
            Op::BuildSlice(bits) => {
                let mut parts = [None, None, None];
                for (k, bit) in [(2, 4u8), (1, 2), (0, 1)] {
                    if bits & bit != 0 {
                        let v = self.pop();
                        parts[k] = ops::slice_bound(&v)?;
                    }
                }
                if parts[2] == Some(0) {
                    return Err(super::error::value_error("slice step cannot be zero"));
                }
                self.push(Value::Slice(parts[0], parts[1], parts[2]));
            }
            Op::BuildTuple(n) => {
                let items = self.pop_n(n as usize);
                self.push(Value::tuple(items));
            }
            Op::BuildList(n) => {
                let items = self.pop_n(n as usize);
                self.push(Value::list(items));
            }
            Op::BuildDict(n) => {
                let flat = self.pop_n(2 * n as usize);
                let mut entries: Vec<(Value, Value)> = Vec::new();
                for pair in flat.chunks(2) {
                    ops::dict_insert(&mut entries, pair[0].clone(), pair[1].clone())?;
                }
                self.push(Value::Dict(Rc::new(RefCell::new(entries))));
            }
            Op::ListAppend(depth) => {
                let v = self.pop();
                let stack = &self.frame().stack;
                let at = stack.len() - 1 - depth as usize;
                if let Value::List(l) = &stack[at] {
                    l.borrow_mut().push(v);
                }
            }
            Op::Unpack(n) => {
                let v = self.pop();
                let items = ops::unpack(&v, n as usize)?;
                for item in items.into_iter().rev() {
                    self.push(item);
                }
            }
            Op::Binary(op, operands) => {
                let right = self.pop();
                let left = self.pop();
                let v = ops::binary(op, &left, &right).map_err(|e| {
                    let texts = &self.frames.last().expect("frame").code.operands;
                    ops::explain_binary(e, op, &left, &right, texts.get(operands as usize))
                })?;
                self.push(v);
            }
            Op::InPlace(op, operands) => {
                let right = self.pop();
                let left = self.pop();
                let v = ops::in_place(self, op, &left, &right).map_err(|e| {
                    let texts = &self.frames.last().expect("frame").code.operands;
                    ops::explain_binary(e, op, &left, &right, texts.get(operands as usize))
                })?;
                self.push(v);
            }
            Op::Unary(op) => {
                let v = self.pop();
                let r = ops::unary(op, &v)?;
                self.push(r);
            }
            Op::Compare(op) => {
                let right = self.pop();
                let left = self.pop();
                let r = ops::compare(op, &left, &right)?;
                self.push(r);
            }
            Op::Jump(t) => frame.pc = t as usize,
            Op::PopJumpIfFalse(t) => {
                let v = self.pop();
                if !v.truthy().map_err(super::error::value_error)? {
                    self.frame().pc = t as usize;
                }
            }
            Op::PopJumpIfTrue(t) => {
                let v = self.pop();
                if v.truthy().map_err(super::error::value_error)? {
                    self.frame().pc = t as usize;
                }
            }
            Op::JumpIfFalseOrPop(t) => {
                let top = frame.stack.last().cloned().unwrap_or(Value::None);
                if !top.truthy().map_err(super::error::value_error)? {
                    self.frame().pc = t as usize;
                } else {
                    self.pop();
                }
            }
            Op::JumpIfTrueOrPop(t) => {
                let top = frame.stack.last().cloned().unwrap_or(Value::None);
                if top.truthy().map_err(super::error::value_error)? {
                    self.frame().pc = t as usize;
                } else {
                    self.pop();
                }
            }
            Op::GetIter => {
                let v = self.pop();
                let it = ops::iterate(&v)?;
                self.push(Value::Iter(Rc::new(RefCell::new(it))));
            }
            Op::ForIter(exit) => {
                let next = match frame.stack.last() {
                    Some(Value::Iter(it)) => ops::next(&mut it.borrow_mut())?,
                    _ => None,
                };
                match next {
                    Some(v) => frame.stack.push(v),
                    None => {
                        frame.stack.pop();
                        frame.pc = exit as usize;
                    }
                }
            }
            Op::Call { argc, kw, origin } => {
                let code = frame.code.clone();
                let mut values = self.pop_n(argc as usize);
                let callee = self.pop();
                let kwnames: &[Rc<str>] = if kw == u32::MAX {
                    &[]
                } else {
                    &code.kwnames[kw as usize]
                };
                let split = values.len() - kwnames.len();
                let kw_values = values.split_off(split);
                let args = Args {
                    pos: values,
                    kw: kwnames.iter().cloned().zip(kw_values).collect(),
                };
                if let Some(mut v) = self.call(callee, args)? {
                    if origin != u32::MAX {
                        if let Value::Tensor(t) = &mut v {
                            t.origin = Some(code.texts[origin as usize].clone());
                        }
                    }
                    self.push(v);
                }
            }
            Op::CallEx(i) => {
                let code = frame.code.clone();
                let shapes = &code.call_shapes[i as usize];
                let values = self.pop_n(shapes.len());
                let callee = self.pop();
                let mut args = Args::default();
                for (shape, v) in shapes.iter().zip(values) {
                    match shape {
                        ArgShape::Positional => args.pos.push(v),
                        ArgShape::Star => args.pos.extend(ops::to_vec(&v).map_err(|_| {
                            type_error(format!(
                                "argument after * must be an iterable, not {}",
                                v.type_name()
                            ))
                        })?),
                        ArgShape::Keyword(name) => args.kw.push((name.clone(), v)),
                        ArgShape::StarStar => match &v {
                            Value::Dict(d) => {
                                for (k, val) in d.borrow().iter() {
                                    match k {
                                        Value::Str(s) => args.kw.push((s.clone(), val.clone())),
                                        _ => return Err(type_error("keywords must be strings")),
                                    }
                                }
                            }
                            _ => {
                                return Err(type_error(format!(
                                    "argument after ** must be a dict, not {}",
                                    v.type_name()
                                )))
                            }
                        },
                    }
                }
                if let Some(v) = self.call(callee, args)? {
                    self.push(v);
                }
            }
            Op::Pop => {
                frame.stack.pop();
            }
            Op::Dup => {
                let top = frame.stack.last().cloned().unwrap_or(Value::None);
                frame.stack.push(top);
            }
            Op::DupTwo => {
                let n = frame.stack.len();
                let a = frame.stack[n - 2].clone();
                let b = frame.stack[n - 1].clone();
                frame.stack.push(a);
                frame.stack.push(b);
            }
            Op::RotTwo => {
                let n = frame.stack.len();
                frame.stack.swap(n - 1, n - 2);
            }
            Op::RotThree => {
                let top = frame.stack.pop().unwrap_or(Value::None);
                let n = frame.stack.len();
                frame.stack.insert(n - 2, top);
            }
            Op::Return => {
                let v = self.pop();
                self.finish_frame(v)?;
            }
            Op::MakeFunction(n) => {
                let code = match self.pop() {
                    Value::Code(c) => c,
                    _ => return Err(type_error("internal: expected code")),
                };
                let defaults = self.pop_n(n as usize);
                self.push(Value::Function(Rc::new(Function { code, defaults })));
            }
            Op::MakeClass(n) => {
                let code = match self.pop() {
                    Value::Code(c) => c,
                    _ => return Err(type_error("internal: expected code")),
                };
                let bases = self.pop_n(n as usize);
                for b in &bases {
                    if !matches!(b, Value::Class(_)) {
                        return Err(type_error(format!(
                            "a class can only derive from classes (like nn.Module), not from a '{}'",
                            b.type_name()
                        )));
                    }
                }
                self.push_frame(Frame {
                    code,
                    pc: 0,
                    stack: Vec::new(),
                    locals: Vec::new(),
                    class_ns: Some(HashMap::new()),
                    on_return: OnReturn::BuildClass(bases),
                })?;
            }
            Op::Import(i) => {
                let name = frame.code.names[i as usize].clone();
                let m = self.import(&name)?;
                self.push(m);
            }
            Op::ImportFrom(i) => {
                let name = frame.code.names[i as usize].clone();
                let module = frame.stack.last().cloned().unwrap_or(Value::None);
                let v = match &module {
                    Value::Module(m) => match m.attrs.get(&*name) {
                        Some(v) => v.clone(),
                        None => {
                            let sub = format!("{}.{}", m.name, name);
                            match builtins::module(self, &sub) {
                                Some(v) => v,
                                None => return Err(builtins::missing_attr(&module, &name)),
                            }
                        }
                    },
                    _ => return Err(type_error("internal: expected a module")),
                };
                self.push(v);
            }
            Op::FormatValue(conv, has_spec) => {
                let spec = if has_spec {
                    match self.pop() {
                        Value::Str(s) => s,
                        _ => Rc::from(""),
                    }
                } else {
                    Rc::from("")
                };
                let v = self.pop();
                let s = ops::format_value(&v, conv, &spec)?;
                self.push(Value::str(&s));
            }
            Op::BuildString(n) => {
                let parts = self.pop_n(n as usize);
                let mut s = String::new();
                for p in parts {
                    if let Value::Str(p) = p {
                        s.push_str(&p);
                    }
                }
                self.push(Value::str(&s));
            }
            Op::EnterWith => {
                let ctx = frame.stack.last().cloned().unwrap_or(Value::None);
                match ctx {
                    Value::NoGrad => {
                        self.no_grad_depth += 1;
                        crate::autograd::set_grad_enabled(false);
                    }
                    other => {
                        return Err(type_error(format!(
                            "'{}' object cannot be used in a `with` statement: the lab language supports `with torch.no_grad():`",
                            other.type_name()
                        )))
                    }
                }
            }
            Op::ExitWith => {
                self.no_grad_depth = self.no_grad_depth.saturating_sub(1);
                crate::autograd::set_grad_enabled(self.no_grad_depth == 0);
            }
            Op::AssertFail(has_msg) => {
                let msg = if has_msg {
                    let m = self.pop();
                    ops::to_str(&m)
                } else {
                    String::new()
                };
                return Err(RtError::new(ErrorKind::Assertion, msg));
            }
            Op::Super => {
                let frame = self.frames.last().expect("frame");
                let (Some(class_name), Some(Some(this))) =
                    (frame.code.class_name.clone(), frame.locals.first())
                else {
                    return Err(type_error(
                        "super() without arguments works only inside a method of a class",
                    ));
                };
                let this = this.clone();
                let Value::Instance(inst) = &this else {
                    return Err(type_error("super(): the first argument is not an instance"));
                };
                let class = find_class(&inst.class, &class_name).unwrap_or(inst.class.clone());
                self.push(Value::Super(Rc::new((this.clone(), class))));
            }
        }
        Ok(())
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

impl Code {
    /// Whether this is a cell (module-level code).
    pub fn is_cell(&self) -> bool {
        self.kind == Some(CodeKind::Module)
    }
}
