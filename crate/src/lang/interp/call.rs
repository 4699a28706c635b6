//! Calls: user functions and methods get a frame (so they can pause like the cell), built-ins
//! run at once, classes make instances (running `__init__`), module instances run `forward`.
//! Arguments bind to parameters as Python binds them.

use super::builtins;
use super::error::{nearest, type_error, RtResult};
use super::ops;
use super::value::*;
use super::vm::{Frame, OnReturn};
use super::Vm;
use crate::lang::ast::ParamKind;
use std::cell::RefCell;
use std::rc::Rc;

impl Vm {
    /// Pushes a frame that runs user function `f` (a method when `this` is given).
    pub(super) fn enter(
        &mut self,
        f: &Function,
        this: Option<Value>,
        args: Args,
        on_return: OnReturn,
    ) -> RtResult<Option<Value>> {
        let locals = bind(f, this, args)?;
        self.push_frame(Frame {
            code: f.code.clone(),
            pc: 0,
            stack: Vec::new(),
            locals,
            class_ns: None,
            on_return,
        })?;
        Ok(None)
    }

    /// Calls `callee`: a native function returns its value at once; a user function pushes a
    /// frame and returns `None` (its value arrives on the stack when it returns).
    pub(super) fn call(&mut self, callee: Value, mut args: Args) -> RtResult<Option<Value>> {
        match callee {
            Value::Function(f) => self.enter(&f, None, args, OnReturn::Push),
            Value::Method(m) => {
                let (this, f) = (&m.0, &m.1);
                match f {
                    Value::Function(f) => self.enter(f, Some(this.clone()), args, OnReturn::Push),
                    other => {
                        args.pos.insert(0, this.clone());
                        self.call(other.clone(), args)
                    }
                }
            }
            Value::Builtin(b) => (b.f)(self, b.this.as_ref(), args).map(Some),
            Value::NativeMethod(m) => (m.call)(self, &m.this, m.name, args).map(Some),
            Value::Class(c) => {
                let inst = Value::Instance(Rc::new(Instance {
                    class: c.clone(),
                    attrs: RefCell::new(Vec::new()),
                }));
                match c.lookup("__init__") {
                    Some(Value::Function(f)) => {
                        self.enter(&f, Some(inst.clone()), args, OnReturn::PushInstead(inst))
                    }
                    Some(Value::Builtin(b)) => {
                        (b.f)(self, Some(&inst), args)?;
                        Ok(Some(inst))
                    }
                    _ if args.pos.is_empty() && args.kw.is_empty() => Ok(Some(inst)),
                    _ => Err(type_error(format!(
                        "{}() takes no arguments: define __init__ to accept them",
                        c.name
                    ))),
                }
            }
            Value::Instance(inst) => {
                let method = if inst.class.is_module {
                    "forward"
                } else {
                    "__call__"
                };
                match inst.class.lookup(method) {
                    Some(f @ Value::Function(_)) => {
                        self.call(Value::Method(Rc::new((Value::Instance(inst), f))), args)
                    }
                    _ if inst.class.is_module => Err(type_error(format!(
                        "'{}' has no forward method: define `def forward(self, ...)` in the class",
                        inst.class.name
                    ))),
                    _ => Err(type_error(format!(
                        "'{}' object is not callable",
                        inst.class.name
                    ))),
                }
            }
            Value::Layer(l) => builtins::nn::call_layer(self, &l, args).map(Some),
            Value::Ellipsis => Err(ops::blank_error()),
            other => Err(type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    /// Calls `callee` from native code and waits for its value: user code runs to completion
    /// here, without pausing (it still counts against the operation limit).
    pub fn call_sync(&mut self, callee: Value, args: Args) -> RtResult<Value> {
        let floor = self.frames.len();
        match self.call(callee, args)? {
            Some(v) => Ok(v),
            None => {
                // the pushed frame's value must come back here, not onto the caller's stack
                if let Some(f) = self.frames.last_mut() {
                    f.on_return = match std::mem::replace(&mut f.on_return, OnReturn::Keep) {
                        OnReturn::PushInstead(inst) => OnReturn::PushInstead(inst),
                        _ => OnReturn::Keep,
                    };
                }
                self.execute(floor, None)?;
                Ok(match self.kept.take() {
                    Some(v) => v,
                    // `__init__` pushed the instance onto the native caller's frame
                    None => self.pop(),
                })
            }
        }
    }
}

/// Binds call arguments to a function's parameters, as Python does.
fn bind(f: &Function, this: Option<Value>, args: Args) -> RtResult<Vec<Option<Value>>> {
    let code = &f.code;
    let mut locals: Vec<Option<Value>> = vec![None; code.locals.len()];
    let mut pos = this.into_iter().chain(args.pos);
    let name = &code.name;
    let mut extra_pos = Vec::new();
    let mut var_kw: Option<usize> = None;
    let mut var_pos: Option<usize> = None;
    for (i, p) in code.params.iter().enumerate() {
        match p.kind {
            ParamKind::Positional => {
                if let Some(v) = pos.next() {
                    locals[i] = Some(v);
                }
            }
            ParamKind::VarPositional => var_pos = Some(i),
            ParamKind::VarKeyword => var_kw = Some(i),
            ParamKind::KeywordOnly => {}
        }
    }
    extra_pos.extend(pos);
    if !extra_pos.is_empty() && var_pos.is_none() {
        let takes = code
            .params
            .iter()
            .filter(|p| p.kind == ParamKind::Positional)
            .count();
        return Err(type_error(format!(
            "{name}() takes {takes} positional argument{} but {} were given",
            if takes == 1 { "" } else { "s" },
            takes + extra_pos.len()
        )));
    }
    if let Some(i) = var_pos {
        locals[i] = Some(Value::tuple(extra_pos));
    }
    let mut extra_kw = Vec::new();
    for (k, v) in args.kw {
        match code.params.iter().position(|p| {
            p.name == k && matches!(p.kind, ParamKind::Positional | ParamKind::KeywordOnly)
        }) {
            Some(i) => {
                if locals[i].is_some() {
                    return Err(type_error(format!(
                        "{name}() got multiple values for argument '{k}'"
                    )));
                }
                locals[i] = Some(v);
            }
            None if var_kw.is_some() => extra_kw.push((Value::Str(k), v)),
            None => {
                let names = code.params.iter().map(|p| &*p.name);
                let hint = nearest(&k, names)
                    .map(|n| format!(": did you mean '{n}'?"))
                    .unwrap_or_default();
                return Err(type_error(format!(
                    "{name}() got an unexpected keyword argument '{k}'{hint}"
                )));
            }
        }
    }
    if let Some(i) = var_kw {
        locals[i] = Some(Value::Dict(Rc::new(RefCell::new(extra_kw))));
    }
    for (i, p) in code.params.iter().enumerate() {
        if locals[i].is_none() {
            match p.default {
                Some(d) => locals[i] = f.defaults.get(d).cloned(),
                None => {
                    return Err(type_error(format!(
                        "{name}() missing required argument '{}'",
                        p.name
                    )))
                }
            }
        }
    }
    Ok(locals)
}
