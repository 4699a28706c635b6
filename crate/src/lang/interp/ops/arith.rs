//! Arithmetic: Python numbers (`7 // -2 == -4`, `/` always a float), sequences (`+`, `*`),
//! tensors as PyTorch (broadcasting, a number on either side), in-place `op=`, and shape errors
//! that name both operands as written and suggest the likely fix.

use super::*;
use crate::autograd::Var;
use crate::lang::ast::{BinOp, UnaryOp};
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::Tensor;
use std::rc::Rc;

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
    t.meta.int = keeps_int(op, a, b);
    if t.meta.int {
        check_exact_ints(&t)?;
    }
    if op != BinOp::MatMul {
        t.origin = origin;
    }
    Ok(Value::Tensor(t))
}

/// Integer tensors are whole numbers held in float32, exact up to 2^24: a result beyond that
/// would print as an exact int64 but be rounded, so it is an error instead.
fn check_exact_ints(t: &TensorValue) -> RtResult<()> {
    const EXACT: f32 = 16_777_216.0;
    match t.var.value().data().iter().find(|v| v.abs() > EXACT) {
        Some(v) => Err(RtError::new(
            ErrorKind::Limit,
            format!(
                "an integer result reached {v}, beyond 2**24 = 16,777,216, the largest whole number the lab language holds exactly (integers are float32 here): convert with .float() first"
            ),
        )),
        None => Ok(()),
    }
}

/// Whether `a op b` is an integer tensor, as in PyTorch and numpy: `+ - *` (and `**` by a
/// non-negative int) of integer tensors and Python ints stay integer; `/` and floats do not.
fn keeps_int(op: BinOp, a: &Value, b: &Value) -> bool {
    let int = |v: &Value| match v {
        Value::Tensor(t) => t.meta.int,
        Value::Int(_) | Value::Bool(_) => true,
        _ => false,
    };
    let any_tensor = matches!(a, Value::Tensor(_)) || matches!(b, Value::Tensor(_));
    any_tensor
        && match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul => int(a) && int(b),
            BinOp::Pow => int(a) && matches!(b, Value::Int(e) if *e >= 0),
            _ => false,
        }
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
            if t.meta.int && !r.meta.int {
                return Err(RtError::new(
                    ErrorKind::Value,
                    "result type Float can't be cast to the desired output type Long: convert the integer tensor with .float() first",
                ));
            }
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
        (UnaryOp::Neg, Value::Tensor(t)) => {
            let mut r = t.derived(t.var.neg());
            r.meta.int = t.meta.int;
            Value::Tensor(r)
        }
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
