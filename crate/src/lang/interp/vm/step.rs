//! One instruction of the machine: the meaning of every [`Op`].

use super::*;

impl Vm {
    /// Executes one instruction.
    pub(super) fn step(&mut self) -> RtResult<()> {
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
                            return Err(crate::lang::interp::error::attribute_error(format!(
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
                    return Err(crate::lang::interp::error::value_error(
                        "slice step cannot be zero",
                    ));
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
                if !v
                    .truthy()
                    .map_err(crate::lang::interp::error::value_error)?
                {
                    self.frame().pc = t as usize;
                }
            }
            Op::PopJumpIfTrue(t) => {
                let v = self.pop();
                if v.truthy()
                    .map_err(crate::lang::interp::error::value_error)?
                {
                    self.frame().pc = t as usize;
                }
            }
            Op::JumpIfFalseOrPop(t) => {
                let top = frame.stack.last().cloned().unwrap_or(Value::None);
                if !top
                    .truthy()
                    .map_err(crate::lang::interp::error::value_error)?
                {
                    self.frame().pc = t as usize;
                } else {
                    self.pop();
                }
            }
            Op::JumpIfTrueOrPop(t) => {
                let top = frame.stack.last().cloned().unwrap_or(Value::None);
                if top
                    .truthy()
                    .map_err(crate::lang::interp::error::value_error)?
                {
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
}
