//! Python's operators, indexing, iteration, `str` and `repr` on lab-language values.
//!
//! Numbers follow Python (`7 // -2 == -4`, `-7 % 3 == 2`, `/` always gives a float); tensors
//! follow PyTorch (broadcasting; a Python number on either side). Shape errors name both
//! operands as written and suggest the likely fix.

use super::error::{index_error, type_error, value_error, RtError, RtResult};
use super::value::*;
use super::Vm;
use crate::autograd::Var;
use crate::lang::ast::{BinOp, CmpOp, UnaryOp};
use crate::lang::error::ErrorKind;
use crate::lang::pyfmt;
use crate::tensor::Tensor;
use std::rc::Rc;

/// A Python number as f64 (bools count as 0 and 1), if the value is one.
pub fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// A Python int (or bool), if the value is one.
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

/// An index: a Python int, or a one-element tensor holding a whole number (`xt[i]` where `i`
/// came from a tensor).
pub fn as_index(v: &Value) -> Option<i64> {
    match v {
        Value::Tensor(t) => {
            let value = t.var.value();
            (value.len() == 1 && value.data()[0].fract() == 0.0).then(|| value.data()[0] as i64)
        }
        _ => as_int(v),
    }
}

fn overflow() -> RtError {
    RtError::new(
        ErrorKind::Limit,
        "integer result too large: the lab language's ints hold 64 bits; use a float (1e30) for huge values",
    )
}

fn zero_division(what: &str) -> RtError {
    RtError::new(ErrorKind::ZeroDivision, what.to_string())
}

/// `a op b`.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> RtResult<Value> {
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        if !matches!(a, Value::Float(_)) && !matches!(b, Value::Float(_)) {
            return int_binary(op, x, y);
        }
    }
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return float_binary(op, x, y);
    }
    match (a, b) {
        (Value::Tensor(_), _) | (_, Value::Tensor(_)) => tensor_binary(op, a, b),
        (Value::Str(x), Value::Str(y)) if op == BinOp::Add => Ok(Value::str(&format!("{x}{y}"))),
        (Value::Str(s), n) | (n, Value::Str(s)) if op == BinOp::Mul && as_int(n).is_some() => {
            let k = as_int(n).unwrap_or(0).max(0) as usize;
            check_repeat(s.len(), k)?;
            Ok(Value::str(&s.repeat(k)))
        }
        (Value::Str(s), arg) if op == BinOp::Mod => {
            // printf-style formatting is rare in the labs; support `%s`-free strings only
            Err(type_error(format!(
                "'%' formatting of strings is not part of the lab language: use an f-string, f\"{{value:.2f}}\" (formatting {:?} with a {})",
                &**s,
                arg.type_name()
            )))
        }
        (Value::List(x), Value::List(y)) if op == BinOp::Add => {
            let mut items = x.borrow().clone();
            items.extend(y.borrow().iter().cloned());
            Ok(Value::list(items))
        }
        (Value::Tuple(x), Value::Tuple(y)) if op == BinOp::Add => {
            Ok(Value::tuple(x.iter().chain(y.iter()).cloned().collect()))
        }
        (Value::List(l), n) | (n, Value::List(l)) if op == BinOp::Mul && as_int(n).is_some() => {
            let k = as_int(n).unwrap_or(0).max(0) as usize;
            let items = l.borrow();
            check_repeat(items.len(), k)?;
            Ok(Value::list(
                (0..k).flat_map(|_| items.iter().cloned()).collect(),
            ))
        }
        (Value::Tuple(t), n) | (n, Value::Tuple(t)) if op == BinOp::Mul && as_int(n).is_some() => {
            let k = as_int(n).unwrap_or(0).max(0) as usize;
            check_repeat(t.len(), k)?;
            Ok(Value::tuple(
                (0..k).flat_map(|_| t.iter().cloned()).collect(),
            ))
        }
        _ if is_blank(a) || is_blank(b) => Err(blank_error()),
        _ => Err(type_error(format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            op.symbol(),
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// Whether a value is `...`, the lab's mark for a blank still to fill in.
pub fn is_blank(v: &Value) -> bool {
    matches!(v, Value::Ellipsis)
}

/// The error for using a blank (`x_1 = ...  # TODO`) before filling it in.
pub fn blank_error() -> RtError {
    type_error(
        "this uses `...`, a blank still to fill in: replace the `...` (marked TODO) with your code, then run the cell again",
    )
}

fn check_repeat(len: usize, k: usize) -> RtResult<()> {
    if len.saturating_mul(k) > crate::tensor::MAX_ELEMENTS {
        return Err(RtError::new(
            ErrorKind::Limit,
            format!(
                "repeating {len} items {k} times makes more than {} items",
                crate::tensor::MAX_ELEMENTS
            ),
        ));
    }
    Ok(())
}

fn int_binary(op: BinOp, x: i64, y: i64) -> RtResult<Value> {
    let v = match op {
        BinOp::Add => x.checked_add(y).ok_or_else(overflow)?,
        BinOp::Sub => x.checked_sub(y).ok_or_else(overflow)?,
        BinOp::Mul => x.checked_mul(y).ok_or_else(overflow)?,
        BinOp::Div => {
            if y == 0 {
                return Err(zero_division("division by zero"));
            }
            return Ok(Value::Float(x as f64 / y as f64));
        }
        BinOp::FloorDiv => {
            if y == 0 {
                return Err(zero_division("integer division or modulo by zero"));
            }
            let q = x.checked_div(y).ok_or_else(overflow)?;
            if (x % y != 0) && ((x < 0) != (y < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Mod => {
            if y == 0 {
                return Err(zero_division("integer division or modulo by zero"));
            }
            let r = x.checked_rem(y).unwrap_or(0);
            if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            }
        }
        BinOp::Pow => {
            if y < 0 {
                if x == 0 {
                    return Err(zero_division("0.0 cannot be raised to a negative power"));
                }
                return Ok(Value::Float((x as f64).powf(y as f64)));
            }
            let e = u32::try_from(y).map_err(|_| overflow())?;
            x.checked_pow(e).ok_or_else(overflow)?
        }
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::LShift => {
            if !(0..63).contains(&y) {
                return Err(overflow());
            }
            x.checked_mul(1 << y).ok_or_else(overflow)?
        }
        BinOp::RShift => {
            if y < 0 {
                return Err(value_error("negative shift count"));
            }
            x >> y.min(63)
        }
        BinOp::MatMul => {
            return Err(type_error(
                "unsupported operand type(s) for @: 'int' and 'int' (@ multiplies tensors)",
            ))
        }
    };
    Ok(Value::Int(v))
}

fn float_binary(op: BinOp, x: f64, y: f64) -> RtResult<Value> {
    let v = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return Err(zero_division("float division by zero"));
            }
            x / y
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return Err(zero_division("float floor division by zero"));
            }
            (x / y).floor()
        }
        BinOp::Mod => {
            if y == 0.0 {
                return Err(zero_division("float modulo"));
            }
            let r = x % y;
            if r != 0.0 && ((r < 0.0) != (y < 0.0)) {
                r + y
            } else {
                r
            }
        }
        BinOp::Pow => {
            if x == 0.0 && y < 0.0 {
                return Err(zero_division("0.0 cannot be raised to a negative power"));
            }
            if x < 0.0 && y.fract() != 0.0 {
                return Err(value_error(
                    "a negative number to a fractional power is a complex number, which the lab language does not have",
                ));
            }
            x.powf(y)
        }
        _ => {
            return Err(type_error(format!(
                "unsupported operand type(s) for {}: 'float' and 'float'",
                op.symbol()
            )))
        }
    };
    Ok(Value::Float(v))
}

/// A value as a tensor operand: a tensor, or a Python number as a 0-d tensor.
pub fn to_var(v: &Value) -> Option<Var> {
    match v {
        Value::Tensor(t) => Some(t.var.clone()),
        _ => as_number(v).map(|x| Var::constant(Tensor::scalar(x as f32))),
    }
}

fn tensor_binary(op: BinOp, a: &Value, b: &Value) -> RtResult<Value> {
    let numpy = [a, b]
        .iter()
        .all(|v| !matches!(v, Value::Tensor(t) if !t.numpy));
    let origin = [a, b].iter().find_map(|v| match v {
        Value::Tensor(t) => t.origin.clone(),
        _ => None,
    });
    let scalar_only = |v: &Value| as_number(v).map(|x| x as f32);
    let mut label = None;
    let var = match (a, b, op) {
        // a Python number on one side: no broadcasting to check, cheaper kernels
        (Value::Tensor(t), n, BinOp::Add) | (n, Value::Tensor(t), BinOp::Add)
            if scalar_only(n).is_some() =>
        {
            t.var.add_scalar(scalar_only(n).unwrap_or(0.0))
        }
        (Value::Tensor(t), n, BinOp::Mul) | (n, Value::Tensor(t), BinOp::Mul)
            if scalar_only(n).is_some() =>
        {
            t.var.scale(scalar_only(n).unwrap_or(0.0))
        }
        (Value::Tensor(t), n, BinOp::Sub) if scalar_only(n).is_some() => {
            label = Some("SubBackward0");
            t.var.add_scalar(-scalar_only(n).unwrap_or(0.0))
        }
        (n, Value::Tensor(t), BinOp::Sub) if scalar_only(n).is_some() => {
            label = Some("RsubBackward1");
            t.var.affine(-1.0, scalar_only(n).unwrap_or(0.0))
        }
        (Value::Tensor(t), n, BinOp::Pow) if scalar_only(n).is_some() => {
            t.var.powf(scalar_only(n).unwrap_or(0.0))
        }
        (n, Value::Tensor(t), BinOp::Pow) if scalar_only(n).is_some() => {
            label = Some("PowBackward1");
            t.var.rpow(scalar_only(n).unwrap_or(0.0))
        }
        _ => {
            let (Some(x), Some(y)) = (to_var(a), to_var(b)) else {
                if is_blank(a) || is_blank(b) {
                    return Err(blank_error());
                }
                return Err(type_error(format!(
                    "unsupported operand type(s) for {}: '{}' and '{}'",
                    op.symbol(),
                    a.type_name(),
                    b.type_name()
                )));
            };
            match op {
                BinOp::Add => x.add(&y)?,
                BinOp::Sub => x.sub(&y)?,
                BinOp::Mul => x.mul(&y)?,
                BinOp::Div => x.div(&y)?,
                BinOp::MatMul => {
                    label = Some(match (x.value().ndim(), y.value().ndim()) {
                        (1, 1) => "DotBackward0",
                        (2, 1) => "MvBackward0",
                        (1, 2) => "SqueezeBackward4",
                        (2, 2) => "MmBackward0",
                        _ => "UnsafeViewBackward0",
                    });
                    x.matmul(&y)?
                }
                BinOp::Pow => {
                    return Err(type_error(
                        "a tensor exponent with a tensor base is not supported: use a number on one side (x ** 2, 2 ** x) or torch.exp(y * torch.log(x))",
                    ))
                }
                _ => {
                    return Err(type_error(format!(
                        "the operator {} is not defined for tensors in the lab language",
                        op.symbol()
                    )))
                }
            }
        }
    };
    let mut t = TensorValue::torch(var);
    t.numpy = numpy;
    t.meta.label = label;
    if op != BinOp::MatMul {
        t.origin = origin;
    }
    Ok(Value::Tensor(t))
}

/// `left op= right`: in place for tensors (PyTorch's `x += y` changes `x`, and every name for
/// it) and lists; otherwise the same as `left op right`.
pub fn in_place(vm: &Vm, op: BinOp, left: &Value, right: &Value) -> RtResult<Value> {
    match left {
        Value::List(l) if op == BinOp::Add => {
            let items = to_vec(right)?;
            l.borrow_mut().extend(items);
            Ok(left.clone())
        }
        Value::Tensor(t) if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div) => {
            let recording = vm.grad_enabled();
            if recording && t.var.requires_grad() {
                if t.var.is_leaf() {
                    return Err(RtError::new(
                        ErrorKind::Value,
                        "a leaf Variable that requires grad is being used in an in-place operation: update parameters inside `with torch.no_grad():`",
                    ));
                }
                // part of a graph: rebind the name to the new value (the graph stays right)
                return binary(op, left, right);
            }
            let result = binary(op, left, right)?;
            let Value::Tensor(r) = &result else {
                return Ok(result);
            };
            let (have, got) = (t.var.shape(), r.var.shape());
            if have != got {
                return Err(RtError::new(
                    ErrorKind::Shape,
                    format!(
                        "output with shape {} doesn't match the broadcast shape {}: an in-place {}= cannot grow a tensor",
                        crate::tensor::shape_str(&have),
                        crate::tensor::shape_str(&got),
                        op.symbol()
                    ),
                ));
            }
            let values = r.var.value().clone();
            *t.var.value_mut() = values;
            write_back(vm, t)?;
            Ok(left.clone())
        }
        _ => binary(op, left, right),
    }
}

/// After `view` was written into, writes its values into what it is a view of.
pub fn write_back(vm: &Vm, view: &TensorValue) -> RtResult<()> {
    match view.meta.base.as_deref() {
        None => Ok(()),
        Some(Base::GradOf(owner)) => {
            owner.set_grad(Some(view.var.value().clone()));
            Ok(())
        }
        Some(Base::Index(parent, index)) => {
            let values = Value::Tensor(TensorValue::torch(crate::autograd::Var::constant(
                view.var.value().clone(),
            )));
            assign_tensor(vm, &parent.var, index, &values)?;
            write_back(vm, parent)
        }
    }
}

/// Rewrites a tensor shape error of `left op right` to name both operands as written and
/// suggest the likely fix.
pub fn explain_binary(
    e: RtError,
    op: BinOp,
    left: &Value,
    right: &Value,
    texts: Option<&(Rc<str>, Rc<str>)>,
) -> RtError {
    if e.kind != ErrorKind::Shape {
        return e;
    }
    let (Value::Tensor(l), Value::Tensor(r)) = (left, right) else {
        return e;
    };
    let (ls, rs) = (l.var.shape(), r.var.shape());
    let (lt, rt) = match texts {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => ("the left operand".into(), "the right operand".into()),
    };
    let shape = crate::tensor::shape_str;
    let mut msg = format!(
        "{lt} has shape {} but {rt} has shape {}",
        shape(&ls),
        shape(&rs)
    );
    if op == BinOp::MatMul {
        msg.push_str(&format!(
            ": for {lt} @ {rt} the last dimension of the left ({}) must equal the first of the right ({})",
            ls.last().copied().unwrap_or(0),
            if rs.len() >= 2 { rs[rs.len() - 2] } else { rs.first().copied().unwrap_or(0) }
        ));
        return RtError::new(ErrorKind::Shape, msg);
    }
    msg.push_str(": they cannot be broadcast together (trailing dimensions must be equal or 1)");
    // a vector where a column was meant: (n,) against (n, k)
    let (vector, other) = if ls.len() == 1 { (l, &rs) } else { (r, &ls) };
    let vshape = vector.var.shape();
    if vshape.len() == 1 && other.len() == 2 && other[0] == vshape[0] {
        let fix = vector
            .origin
            .as_deref()
            .filter(|o| o.ends_with(')') && !o.ends_with("()"))
            .filter(|o| o.contains("rand") || o.contains("zeros") || o.contains("ones"))
            .map(|o| format!("{}, 1)", &o[..o.len() - 1]));
        match fix {
            Some(f) => msg.push_str(&format!(": did you mean {f}?")),
            None => msg.push_str(&format!(
                ": did you mean a column of shape ({}, 1)? Add the dimension with .unsqueeze(-1) or [:, None]",
                vshape[0]
            )),
        }
    }
    RtError::new(ErrorKind::Shape, msg)
}

/// `op v`.
pub fn unary(op: UnaryOp, v: &Value) -> RtResult<Value> {
    Ok(match (op, v) {
        (UnaryOp::Not, v) => Value::Bool(!v.truthy().map_err(value_error)?),
        (UnaryOp::Neg, Value::Float(f)) => Value::Float(-f),
        (UnaryOp::Neg, v) if as_int(v).is_some() => {
            Value::Int(as_int(v).unwrap_or(0).checked_neg().ok_or_else(overflow)?)
        }
        (UnaryOp::Pos, Value::Float(f)) => Value::Float(*f),
        (UnaryOp::Pos, v) if as_int(v).is_some() => Value::Int(as_int(v).unwrap_or(0)),
        (UnaryOp::Invert, v) if as_int(v).is_some() => Value::Int(!as_int(v).unwrap_or(0)),
        (UnaryOp::Neg, Value::Tensor(t)) => Value::Tensor(t.derived(t.var.neg())),
        (UnaryOp::Pos, Value::Tensor(t)) => Value::Tensor(t.clone()),
        _ => {
            return Err(type_error(format!(
                "bad operand type for unary {}: '{}'",
                op.symbol(),
                v.type_name()
            )))
        }
    })
}

/// Python's `==` (tensors of one element compare by value).
pub fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return x == y;
    }
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| py_eq(p, q))
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| py_eq(p, q))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| py_eq(k, k2))
                        .is_some_and(|(_, v2)| py_eq(v, v2))
                })
        }
        (Value::Range(a1, b1, s1), Value::Range(a2, b2, s2)) => (a1, b1, s1) == (a2, b2, s2),
        (Value::Size(_), Value::Size(_) | Value::Tuple(_)) | (Value::Tuple(_), Value::Size(_)) => {
            match (to_vec(a), to_vec(b)) {
                (Ok(x), Ok(y)) => x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| py_eq(p, q)),
                _ => false,
            }
        }
        _ => is_same(a, b),
    }
}

/// Python's `is`.
pub fn is_same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Ellipsis, Value::Ellipsis) | (Value::NoGrad, Value::NoGrad) => true,
        (Value::List(x), Value::List(y)) => Rc::ptr_eq(x, y),
        (Value::Dict(x), Value::Dict(y)) => Rc::ptr_eq(x, y),
        (Value::Tuple(x), Value::Tuple(y)) => Rc::ptr_eq(x, y),
        (Value::Tensor(x), Value::Tensor(y)) => x.var.same(&y.var),
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Class(x), Value::Class(y)) => Rc::ptr_eq(x, y),
        (Value::Instance(x), Value::Instance(y)) => Rc::ptr_eq(x, y),
        (Value::Module(x), Value::Module(y)) => Rc::ptr_eq(x, y),
        (Value::Layer(x), Value::Layer(y)) => Rc::ptr_eq(x, y),
        (Value::Optimizer(x), Value::Optimizer(y)) => Rc::ptr_eq(x, y),
        (Value::Figure(x), Value::Figure(y)) => Rc::ptr_eq(x, y),
        (Value::Axes(x, i), Value::Axes(y, j)) => Rc::ptr_eq(x, y) && i == j,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        _ => false,
    }
}

fn order(a: &Value, b: &Value, op: CmpOp) -> RtResult<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if let (Some(x), Some(y)) = (scalar_of(a), scalar_of(b)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::List(_) | Value::Tuple(_), Value::List(_) | Value::Tuple(_))
            if std::mem::discriminant(a) == std::mem::discriminant(b) =>
        {
            let (x, y) = (to_vec(a)?, to_vec(b)?);
            for (p, q) in x.iter().zip(&y) {
                if !py_eq(p, q) {
                    return order(p, q, op);
                }
            }
            Ok(x.len().cmp(&y.len()))
        }
        _ => Err(type_error(format!(
            "'{}' not supported between instances of '{}' and '{}'{}",
            op.symbol(),
            a.type_name(),
            b.type_name(),
            if matches!(a, Value::Tensor(_)) || matches!(b, Value::Tensor(_)) {
                ": compare one element at a time, e.g. loss.item() < 0.1"
            } else {
                ""
            }
        ))),
    }
}

/// A number, or the value of a one-element tensor.
fn scalar_of(v: &Value) -> Option<f64> {
    match v {
        Value::Tensor(t) => {
            let value = t.var.value();
            (value.len() == 1).then(|| f64::from(value.data()[0]))
        }
        _ => as_number(v),
    }
}

/// `a op b` for comparisons.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> RtResult<Value> {
    use std::cmp::Ordering::*;
    let r = match op {
        CmpOp::Eq | CmpOp::NotEq => {
            let eq = match (scalar_of(a), scalar_of(b)) {
                (Some(x), Some(y)) => x == y,
                _ => py_eq(a, b),
            };
            eq == (op == CmpOp::Eq)
        }
        CmpOp::Lt => order(a, b, op)? == Less,
        CmpOp::LtE => order(a, b, op)? != Greater,
        CmpOp::Gt => order(a, b, op)? == Greater,
        CmpOp::GtE => order(a, b, op)? != Less,
        CmpOp::Is => is_same(a, b),
        CmpOp::IsNot => !is_same(a, b),
        CmpOp::In | CmpOp::NotIn => contains(b, a)? == (op == CmpOp::In),
    };
    Ok(Value::Bool(r))
}

fn contains(container: &Value, item: &Value) -> RtResult<bool> {
    Ok(match container {
        Value::Str(s) => match item {
            Value::Str(sub) => s.contains(&**sub),
            _ => return Err(type_error("'in <string>' requires a string on the left")),
        },
        Value::Dict(d) => d.borrow().iter().any(|(k, _)| py_eq(k, item)),
        Value::Range(a, b, s) => match as_int(item) {
            Some(i) => {
                let inside = if *s > 0 {
                    *a <= i && i < *b
                } else {
                    *b < i && i <= *a
                };
                inside && (i - a) % s == 0
            }
            None => false,
        },
        _ => to_vec(container)?.iter().any(|v| py_eq(v, item)),
    })
}

/// The items of an iterable value.
pub fn to_vec(v: &Value) -> RtResult<Vec<Value>> {
    let mut it = iterate(v)?;
    let mut out = Vec::new();
    while let Some(x) = next(&mut it)? {
        out.push(x);
        if out.len() > crate::tensor::MAX_ELEMENTS {
            return Err(RtError::new(ErrorKind::Limit, "too many items"));
        }
    }
    Ok(out)
}

/// Starts iterating over `v`.
pub fn iterate(v: &Value) -> RtResult<Iter> {
    Ok(match v {
        Value::Range(a, b, s) => Iter::Range {
            next: *a,
            stop: *b,
            step: *s,
        },
        Value::List(_) | Value::Tuple(_) | Value::Str(_) => Iter::Items {
            items: v.clone(),
            index: 0,
        },
        Value::Dict(d) => Iter::Values {
            values: d.borrow().iter().map(|(k, _)| k.clone()).collect(),
            index: 0,
        },
        Value::Size(s) => Iter::Values {
            values: s.iter().map(|&d| Value::Int(d as i64)).collect(),
            index: 0,
        },
        Value::Tensor(t) => {
            if t.var.value().ndim() == 0 {
                return Err(type_error("iteration over a 0-d tensor"));
            }
            Iter::Tensor {
                tensor: t.clone(),
                index: 0,
            }
        }
        Value::AxesArray(a) => Iter::Values {
            values: axes_rows(a),
            index: 0,
        },
        Value::Iter(it) => {
            // an iterator iterates over itself: take what is left
            let mut rest = Vec::new();
            let mut inner = it.borrow_mut();
            while let Some(x) = next(&mut inner)? {
                rest.push(x);
            }
            Iter::Values {
                values: rest,
                index: 0,
            }
        }
        _ => {
            return Err(type_error(format!(
                "'{}' object is not iterable",
                v.type_name()
            )))
        }
    })
}

/// The rows of an axes array: the axes themselves when 1-D, arrays of a row when 2-D.
fn axes_rows(a: &AxesArray) -> Vec<Value> {
    if a.shape.len() == 1 {
        return a
            .panels
            .iter()
            .map(|&p| Value::Axes(a.figure.clone(), p))
            .collect();
    }
    let cols = a.shape[1];
    a.panels
        .chunks(cols.max(1))
        .map(|row| {
            Value::AxesArray(Rc::new(AxesArray {
                figure: a.figure.clone(),
                shape: vec![row.len()],
                panels: row.to_vec(),
            }))
        })
        .collect()
}

/// The next item of an iterator, or `None` when it is done.
pub fn next(it: &mut Iter) -> RtResult<Option<Value>> {
    Ok(match it {
        Iter::Range { next, stop, step } => {
            let more = if *step > 0 {
                *next < *stop
            } else {
                *next > *stop
            };
            if !more {
                return Ok(None);
            }
            let v = *next;
            *next = next.saturating_add(*step);
            Some(Value::Int(v))
        }
        Iter::Items { items, index } => {
            let v = match items {
                Value::List(l) => l.borrow().get(*index).cloned(),
                Value::Tuple(t) => t.get(*index).cloned(),
                Value::Str(s) => s.chars().nth(*index).map(|c| Value::str(&c.to_string())),
                _ => None,
            };
            *index += 1;
            v
        }
        Iter::Tensor { tensor, index } => {
            let len = tensor.var.value().shape()[0];
            if *index >= len {
                return Ok(None);
            }
            let row = tensor.var.select(0, *index as isize)?;
            *index += 1;
            Some(Value::Tensor(TensorValue {
                var: row,
                numpy: tensor.numpy,
                origin: None,
                meta: Meta::default(),
            }))
        }
        Iter::Values { values, index } => {
            let v = values.get(*index).cloned();
            *index += 1;
            v
        }
    })
}

/// Unpacks `v` into exactly `n` values (`a, b = pair`).
pub fn unpack(v: &Value, n: usize) -> RtResult<Vec<Value>> {
    let items = to_vec(v).map_err(|_| {
        type_error(format!(
            "cannot unpack a '{}' into {n} names: it is not a sequence",
            v.type_name()
        ))
    })?;
    if items.len() != n {
        return Err(value_error(format!(
            "{} values to unpack into {n} names",
            if items.len() > n {
                format!("too many ({})", items.len())
            } else {
                format!("not enough ({})", items.len())
            }
        )));
    }
    Ok(items)
}

/// A slice bound: an int, a whole-number tensor, or `None`.
pub fn slice_bound(v: &Value) -> RtResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        _ => as_index(v).map(Some).ok_or_else(|| {
            type_error(format!(
                "slice indices must be integers or None, not '{}'",
                v.type_name()
            ))
        }),
    }
}

/// Python's `slice.indices(len)` for a positive step: `(start, stop, step)` with
/// `start <= stop`.
pub fn resolve_slice(
    lower: Option<i64>,
    upper: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> RtResult<(usize, usize, usize)> {
    let step = step.unwrap_or(1);
    if step <= 0 {
        return Err(value_error(
            "step must be greater than zero: PyTorch tensors cannot be sliced backwards (x[::-1]); use torch.flip(x, [0])",
        ));
    }
    let len = len as i64;
    let clamp = |i: i64| -> i64 {
        if i < 0 {
            (i + len).max(0)
        } else {
            i.min(len)
        }
    };
    let start = lower.map_or(0, clamp);
    let stop = upper.map_or(len, clamp).max(start);
    Ok((start as usize, stop as usize, step as usize))
}

/// The positions `a[lower:upper:step]` picks from a sequence of `len`, with Python's rules
/// (negative bounds count from the end, a negative step walks backwards).
pub fn slice_indices(
    lower: Option<i64>,
    upper: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Vec<usize> {
    let step = step.unwrap_or(1);
    let n = len as i64;
    if step > 0 {
        let clamp = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) };
        let (start, stop) = (lower.map_or(0, clamp), upper.map_or(n, clamp));
        (start..stop.max(start))
            .step_by(step as usize)
            .map(|i| i as usize)
            .collect()
    } else {
        let clamp = |i: i64| if i < 0 { (i + n).max(-1) } else { i.min(n - 1) };
        let start = lower.map_or(n - 1, clamp);
        let stop = upper.map_or(-1, clamp);
        let mut out = Vec::new();
        let mut i = start;
        while i > stop {
            out.push(i as usize);
            i += step;
        }
        out
    }
}

fn sequence_index(i: i64, len: usize, what: &str) -> RtResult<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j >= len as i64 {
        return Err(index_error(format!(
            "{what} index {i} is out of range for length {len} (valid: {} to {})",
            -(len as i64),
            len as i64 - 1
        )));
    }
    Ok(j as usize)
}

/// `obj[index]`.
pub fn get_item(obj: &Value, index: &Value) -> RtResult<Value> {
    match obj {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) => {
            let items = match obj {
                Value::Str(s) => s.chars().map(|c| Value::str(&c.to_string())).collect(),
                _ => to_vec(obj)?,
            };
            let what = obj.type_name();
            match index {
                Value::Slice(a, b, s) => {
                    let picked: Vec<Value> = slice_indices(*a, *b, *s, items.len())
                        .into_iter()
                        .map(|i| items[i].clone())
                        .collect();
                    Ok(match obj {
                        Value::List(_) => Value::list(picked),
                        Value::Tuple(_) => Value::tuple(picked),
                        _ => Value::str(&picked.iter().map(to_str).collect::<String>()),
                    })
                }
                _ => {
                    let i = as_index(index).ok_or_else(|| {
                        type_error(format!(
                            "{what} indices must be integers or slices, not {}",
                            index.type_name()
                        ))
                    })?;
                    Ok(items[sequence_index(i, items.len(), &what)?].clone())
                }
            }
        }
        Value::Size(s) => {
            let tuple = Value::tuple(s.iter().map(|&d| Value::Int(d as i64)).collect());
            Ok(match get_item(&tuple, index)? {
                Value::Tuple(t) => {
                    Value::Size(t.iter().map(|v| as_int(v).unwrap_or(0) as usize).collect())
                }
                v => v,
            })
        }
        Value::Range(a, b, s) => {
            let i = as_index(index).ok_or_else(|| type_error("range indices must be integers"))?;
            let len = range_len(*a, *b, *s) as usize;
            let j = sequence_index(i, len, "range")?;
            Ok(Value::Int(a + s * j as i64))
        }
        Value::Dict(d) => d
            .borrow()
            .iter()
            .find(|(k, _)| py_eq(k, index))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                RtError::new(
                    ErrorKind::Index,
                    format!("KeyError: {} is not a key of the dict", repr(index)),
                )
            }),
        Value::Tensor(t) => {
            let (var, label) = index_tensor(&t.var, index, t.numpy)?;
            let mut view = t.derived(var);
            view.meta.label = label;
            view.meta.int = t.meta.int;
            view.meta.base = Some(Rc::new(Base::Index(t.clone(), index.clone())));
            Ok(Value::Tensor(view))
        }
        Value::AxesArray(a) => super::builtins::pyplot::index_axes(a, index),
        Value::Layer(l) => match &**l {
            Layer::Sequential(items, _) => super::builtins::nn::index_sequential(items, index),
            _ => Err(type_error(format!(
                "'{}' object is not subscriptable",
                obj.type_name()
            ))),
        },
        _ => Err(type_error(format!(
            "'{}' object is not subscriptable",
            obj.type_name()
        ))),
    }
}

/// One item of a tensor index.
enum IndexItem {
    At(i64),
    Range(Option<i64>, Option<i64>, Option<i64>),
    NewAxis,
    Rest,
}

fn index_items(index: &Value) -> RtResult<Vec<IndexItem>> {
    let parts: Vec<Value> = match index {
        Value::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    parts
        .iter()
        .map(|p| match p {
            Value::Slice(a, b, s) => Ok(IndexItem::Range(*a, *b, *s)),
            Value::None => Ok(IndexItem::NewAxis),
            Value::Ellipsis => Ok(IndexItem::Rest),
            other => as_index(other).map(IndexItem::At).ok_or_else(|| {
                type_error(format!(
                    "a tensor index must be an int, a slice (a:b), None or ..., not a '{}' (indexing with lists or tensors is not part of the lab language)",
                    other.type_name()
                ))
            }),
        })
        .collect()
}

/// Basic indexing, as PyTorch: ints remove a dimension, slices keep it, `None` adds one.
pub fn index_tensor(
    var: &Var,
    index: &Value,
    numpy: bool,
) -> RtResult<(Var, Option<&'static str>)> {
    let items = index_items(index)?;
    let ndim = var.value().ndim();
    let consumed = items
        .iter()
        .filter(|i| matches!(i, IndexItem::At(_) | IndexItem::Range(..)))
        .count();
    if consumed > ndim {
        return Err(index_error(format!(
            "too many indices for a tensor of dimension {ndim} (shape {}): {consumed} were given",
            crate::tensor::shape_str(&var.shape())
        )));
    }
    let mut out = var.clone();
    let mut d = 0usize;
    let mut label = None;
    for item in &items {
        match item {
            IndexItem::At(i) => {
                label = Some("SelectBackward0");
                let len = out.shape()[d];
                sequence_index(*i, len, "tensor").map_err(|_| {
                    index_error(format!(
                        "index {i} is out of bounds for dimension {d} with size {len}"
                    ))
                })?;
                out = out.select(d as isize, *i as isize)?;
            }
            IndexItem::Range(a, b, Some(s)) if *s < 0 && numpy => {
                // numpy walks backwards (PyTorch does not): gather the rows in order
                let len = out.shape()[d];
                let rows = slice_indices(*a, *b, Some(*s), len)
                    .into_iter()
                    .map(|i| out.slice(d as isize, i, i + 1, 1))
                    .collect::<Result<Vec<Var>, _>>()?;
                out = if rows.is_empty() {
                    out.slice(d as isize, 0, 0, 1)?
                } else {
                    Var::cat(&rows, d as isize)?
                };
                d += 1;
            }
            IndexItem::Range(a, b, s) => {
                let len = out.shape()[d];
                let (start, stop, step) = resolve_slice(*a, *b, *s, len)?;
                if (start, stop, step) != (0, len, 1) {
                    out = out.slice(d as isize, start, stop, step)?;
                    label = Some("SliceBackward0");
                }
                d += 1;
            }
            IndexItem::NewAxis => {
                let mut shape: Vec<isize> = out.shape().iter().map(|&x| x as isize).collect();
                shape.insert(d, 1);
                out = out.reshape(&shape)?;
                label = Some("UnsqueezeBackward0");
                d += 1;
            }
            IndexItem::Rest => d += ndim - consumed,
        }
    }
    if out.same(var) {
        // x[:] and x[...] are new tensors (views) in PyTorch too
        out = out.add_scalar(0.0);
        label = Some("AliasBackward0");
    }
    Ok((out, label))
}

/// `obj[index] = value`.
pub fn set_item(vm: &mut Vm, obj: &Value, index: &Value, value: Value) -> RtResult<()> {
    match obj {
        Value::List(l) => {
            let len = l.borrow().len();
            match index {
                Value::Slice(a, b, s) => {
                    let (start, stop, step) = resolve_slice(*a, *b, *s, len)?;
                    if step != 1 {
                        return Err(value_error(
                            "assigning to a stepped slice of a list is not supported",
                        ));
                    }
                    let new = to_vec(&value)?;
                    l.borrow_mut().splice(start..stop, new);
                }
                _ => {
                    let i = as_index(index)
                        .ok_or_else(|| type_error("list indices must be integers or slices"))?;
                    let j = sequence_index(i, len, "list")?;
                    l.borrow_mut()[j] = value;
                }
            }
            Ok(())
        }
        Value::Dict(d) => dict_insert(&mut d.borrow_mut(), index.clone(), value),
        Value::Tensor(t) => {
            assign_tensor(vm, &t.var, index, &value)?;
            write_back(vm, t)
        }
        _ => Err(type_error(format!(
            "'{}' object does not support item assignment",
            obj.type_name()
        ))),
    }
}

/// `tensor[index] = value`, in place (basic indices only).
fn assign_tensor(vm: &Vm, var: &Var, index: &Value, value: &Value) -> RtResult<()> {
    if vm.grad_enabled()
        && (var.requires_grad() || matches!(value, Value::Tensor(t) if t.var.requires_grad()))
    {
        return Err(RtError::new(
            ErrorKind::Value,
            "in-place assignment into a tensor that requires grad: wrap it in `with torch.no_grad():` (to change parameters), or build the result with torch.cat / torch.stack",
        ));
    }
    let src = to_var(value)
        .ok_or_else(|| {
            type_error(format!(
                "cannot assign a '{}' into a tensor",
                value.type_name()
            ))
        })?
        .value()
        .clone();
    let items = index_items(index)?;
    let mut target = var.value_mut();
    let shape = target.shape().to_vec();
    let consumed = items
        .iter()
        .filter(|i| matches!(i, IndexItem::At(_) | IndexItem::Range(..)))
        .count();
    if consumed > shape.len() {
        return Err(index_error(format!(
            "too many indices for a tensor of dimension {}",
            shape.len()
        )));
    }
    // per dimension: start, stop, step, and whether an int removed it
    let mut region: Vec<(usize, usize, usize, bool)> = Vec::new();
    let mut d = 0;
    for item in &items {
        match item {
            IndexItem::At(i) => {
                let j = sequence_index(*i, shape[d], "tensor")?;
                region.push((j, j + 1, 1, true));
                d += 1;
            }
            IndexItem::Range(a, b, s) => {
                let (start, stop, step) = resolve_slice(*a, *b, *s, shape[d])?;
                region.push((start, stop, step, false));
                d += 1;
            }
            IndexItem::Rest => {
                for _ in 0..shape.len() - consumed {
                    region.push((0, shape[d], 1, false));
                    d += 1;
                }
            }
            IndexItem::NewAxis => {
                return Err(index_error(
                    "None (a new axis) cannot appear in an assignment's index",
                ))
            }
        }
    }
    while d < shape.len() {
        region.push((0, shape[d], 1, false));
        d += 1;
    }
    let mut view = target.array_mut().view_mut();
    for (axis, &(start, stop, step, _)) in region.iter().enumerate() {
        view.slice_axis_inplace(
            ndarray::Axis(axis),
            ndarray::Slice::new(start as isize, Some(stop as isize), step as isize),
        );
    }
    let logical: Vec<usize> = region
        .iter()
        .zip(view.shape())
        .filter(|((.., removed), _)| !removed)
        .map(|(_, &n)| n)
        .collect();
    let broadcast = src.array().broadcast(logical.clone()).ok_or_else(|| {
        RtError::new(
            ErrorKind::Shape,
            format!(
                "cannot assign a tensor of shape {} into a slot of shape {}",
                crate::tensor::shape_str(src.shape()),
                crate::tensor::shape_str(&logical)
            ),
        )
    })?;
    let filled = broadcast
        .to_owned()
        .into_shape_with_order(view.raw_dim())
        .map_err(|e| value_error(e.to_string()))?;
    view.assign(&filled);
    Ok(())
}

/// `del obj[index]`.
pub fn del_item(obj: &Value, index: &Value) -> RtResult<()> {
    match obj {
        Value::List(l) => {
            let len = l.borrow().len();
            let i = as_index(index).ok_or_else(|| type_error("list indices must be integers"))?;
            let j = sequence_index(i, len, "list")?;
            l.borrow_mut().remove(j);
            Ok(())
        }
        Value::Dict(d) => {
            let mut d = d.borrow_mut();
            let before = d.len();
            d.retain(|(k, _)| !py_eq(k, index));
            if d.len() == before {
                return Err(index_error(format!("KeyError: {}", repr(index))));
            }
            Ok(())
        }
        _ => Err(type_error(format!(
            "'{}' object does not support item deletion",
            obj.type_name()
        ))),
    }
}

/// Inserts or replaces `key` in an insertion-ordered dict.
pub fn dict_insert(entries: &mut Vec<(Value, Value)>, key: Value, value: Value) -> RtResult<()> {
    if matches!(key, Value::List(_) | Value::Dict(_) | Value::Tensor(_)) {
        return Err(type_error(format!(
            "unhashable type: '{}' (dict keys are numbers, strings or tuples)",
            key.type_name()
        )));
    }
    match entries.iter_mut().find(|(k, _)| py_eq(k, &key)) {
        Some(slot) => slot.1 = value,
        None => entries.push((key, value)),
    }
    Ok(())
}

/// An f-string field: `conv` 0 none, 1 `!s`, 2 `!r`, 3 `!a`; then the spec.
pub fn format_value(v: &Value, conv: u8, spec: &str) -> RtResult<String> {
    let converted;
    let v = match conv {
        1 => {
            converted = Value::str(&to_str(v));
            &converted
        }
        2 | 3 => {
            converted = Value::str(&repr(v));
            &converted
        }
        _ => v,
    };
    let fmt_err = |e: String| value_error(e);
    match v {
        Value::Bool(b) if spec.is_empty() => Ok(if *b { "True" } else { "False" }.into()),
        Value::Bool(_) | Value::Int(_) => {
            pyfmt::format_int(as_int(v).unwrap_or(0), spec).map_err(fmt_err)
        }
        Value::Float(f) => pyfmt::format_float(*f, spec).map_err(fmt_err),
        Value::Str(s) => pyfmt::format_str(s, spec).map_err(fmt_err),
        // PyTorch formats a 0-d tensor as its number (f"{loss}", f"{t:.2f}")
        Value::Tensor(t) if t.var.value().ndim() == 0 => {
            let x = f64::from(t.var.value().data()[0]);
            if t.meta.int {
                pyfmt::format_int(x as i64, spec).map_err(fmt_err)
            } else {
                pyfmt::format_float(x, spec).map_err(fmt_err)
            }
        }
        Value::Tensor(t) if !spec.is_empty() => Err(type_error(format!(
            "unsupported format string passed to {}.__format__: a tensor of shape {} needs one number, e.g. x[0].item() or x.mean().item()",
            v.type_name(),
            crate::tensor::shape_str(&t.var.shape())
        ))),
        _ if spec.is_empty() => Ok(to_str(v)),
        _ => Err(type_error(format!(
            "unsupported format string passed to {}.__format__",
            v.type_name()
        ))),
    }
}

/// Python's `str(v)`.
pub fn to_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Tensor(t) if t.numpy => {
            let value = t.var.value();
            match (value.ndim(), t.meta.int) {
                (0, true) => format!("{}", value.data()[0] as i64),
                (0, false) => pyfmt::numpy_str_typed(value.data(), &[], t.meta.float32),
                (_, true) => numpy_int_str(value.data(), value.shape()),
                _ => pyfmt::numpy_str_typed(value.data(), value.shape(), t.meta.float32),
            }
        }
        _ => repr(v),
    }
}

/// The `grad_fn=<...>` / `requires_grad=True` suffix PyTorch prints.
fn tensor_suffixes(t: &TensorValue) -> Vec<String> {
    let var = &t.var;
    if !var.requires_grad() {
        return Vec::new();
    }
    match var.op_name() {
        None => vec!["requires_grad=True".into()],
        Some(op) => vec![format!(
            "grad_fn=<{}>",
            t.meta
                .label
                .map_or_else(|| backward_name(op), str::to_string)
        )],
    }
}

/// numpy's `str` of an integer array: `[0 1 1]`, columns as wide as the widest number.
fn numpy_int_str(data: &[f32], shape: &[usize]) -> String {
    let texts: Vec<String> = data.iter().map(|&v| format!("{}", v as i64)).collect();
    let width = texts.iter().map(String::len).max().unwrap_or(1);
    fn level(texts: &[String], shape: &[usize], width: usize, depth: usize) -> String {
        match shape.split_first() {
            None => texts.first().cloned().unwrap_or_default(),
            Some((&n, [])) => {
                let items: Vec<String> = texts[..n.min(texts.len())]
                    .iter()
                    .map(|t| format!("{t:>width$}"))
                    .collect();
                format!("[{}]", items.join(" "))
            }
            Some((&n, rest)) => {
                let step: usize = rest.iter().product();
                let rows: Vec<String> = (0..n)
                    .map(|i| level(&texts[i * step..(i + 1) * step], rest, width, depth + 1))
                    .collect();
                let sep = format!("\n{}{}", "\n".repeat(rest.len() - 1), " ".repeat(depth + 1));
                format!("[{}]", rows.join(&sep))
            }
        }
    }
    if data.len() != shape.iter().product::<usize>() {
        return format!("{texts:?}");
    }
    level(&texts, shape, width, 0)
}

/// PyTorch's name for the backward of one of the engine's operations.
fn backward_name(op: &str) -> String {
    let name = match op {
        "add" | "add_scalar" => "AddBackward0",
        "sub" => "SubBackward0",
        "mul" | "scale" => "MulBackward0",
        "div" => "DivBackward0",
        "neg" => "NegBackward0",
        "pow" => "PowBackward0",
        "matmul" => "MmBackward0",
        "linear" | "mlp" => "AddmmBackward0",
        "mean" => "MeanBackward0",
        "sum" => "SumBackward0",
        "mse_loss" => "MseLossBackward0",
        "exp" => "ExpBackward0",
        "log" => "LogBackward0",
        "sqrt" => "SqrtBackward0",
        "sin" => "SinBackward0",
        "cos" => "CosBackward0",
        "tanh" => "TanhBackward0",
        "sigmoid" => "SigmoidBackward0",
        "relu" => "ReluBackward0",
        "elu" => "EluBackward0",
        "silu" => "SiluBackward0",
        "reshape" => "ViewBackward0",
        "expand" => "ExpandBackward0",
        "transpose" => "TBackward0",
        "cat" => "CatBackward0",
        "slice" => "SliceBackward0",
        "select" => "SelectBackward0",
        other => return format!("{}Backward0", capitalize(other)),
    };
    name.into()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Python's `repr(v)`.
pub fn repr(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => pyfmt::float_repr(*f),
        Value::Str(s) => pyfmt::str_repr(s),
        Value::List(l) => {
            let items: Vec<String> = l.borrow().iter().map(repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Tuple(t) => {
            let items: Vec<String> = t.iter().map(repr).collect();
            if items.len() == 1 {
                format!("({},)", items[0])
            } else {
                format!("({})", items.join(", "))
            }
        }
        Value::Dict(d) => {
            let items: Vec<String> = d
                .borrow()
                .iter()
                .map(|(k, v)| format!("{}: {}", repr(k), repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Tensor(t) => {
            let value = t.var.value();
            if t.numpy {
                if value.ndim() == 0 {
                    format!(
                        "np.float64({})",
                        pyfmt::float_repr(f64::from(value.data()[0]))
                    )
                } else {
                    pyfmt::numpy_repr_typed(value.data(), value.shape(), t.meta.float32)
                }
            } else {
                let text = pyfmt::torch_repr(value.data(), value.shape(), &tensor_suffixes(t));
                if t.meta.param && t.var.is_leaf() && t.var.requires_grad() {
                    format!("Parameter containing:\n{text}")
                } else {
                    text
                }
            }
        }
        Value::Size(s) => {
            let dims: Vec<String> = s.iter().map(|d| d.to_string()).collect();
            format!("torch.Size([{}])", dims.join(", "))
        }
        Value::Range(a, b, s) => {
            if *s == 1 {
                format!("range({a}, {b})")
            } else {
                format!("range({a}, {b}, {s})")
            }
        }
        Value::Slice(a, b, s) => {
            let f = |x: &Option<i64>| x.map_or("None".to_string(), |v| v.to_string());
            format!("slice({}, {}, {})", f(a), f(b), f(s))
        }
        Value::Ellipsis => "Ellipsis".into(),
        Value::Function(f) => format!("<function {}>", f.code.name),
        Value::Method(m) => match &m.1 {
            Value::Function(f) => format!("<bound method {}>", f.code.name),
            _ => "<bound method>".into(),
        },
        Value::Builtin(b) => format!("<built-in function {}>", b.name),
        Value::Class(c) => format!("<class '__main__.{}'>", c.name),
        Value::Instance(i) if i.class.is_module => super::builtins::nn::module_repr(v),
        Value::Instance(i) => format!("<__main__.{} object>", i.class.name),
        Value::Layer(_) => super::builtins::nn::module_repr(v),
        Value::Module(m) => format!("<module '{}'>", m.name),
        Value::Optimizer(o) => super::builtins::optim::optimizer_repr(&o.borrow()),
        Value::Figure(f) => {
            let f = f.borrow();
            format!(
                "Figure({}x{})",
                (f.width * 100.0).round(),
                (f.height * 100.0).round()
            )
        }
        Value::Axes(_, i) => format!("<Axes: panel {i}>"),
        Value::AxesArray(a) => format!("array of {} Axes", a.panels.len()),
        Value::Colormap(n) => format!("<matplotlib.colors.ListedColormap '{n}'>"),
        other => format!("<{}>", other.type_name()),
    }
}
