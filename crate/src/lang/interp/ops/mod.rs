//! Python's operators, indexing, iteration, `str` and `repr` on lab-language values.
//!
//! Numbers follow Python (`7 // -2 == -4`, `-7 % 3 == 2`, `/` always gives a float); tensors
//! follow PyTorch (broadcasting; a Python number on either side). Shape errors name both
//! operands as written and suggest the likely fix.

mod arith;
mod compare;
mod index;
mod iterate;
mod text;

pub use arith::*;
pub use compare::*;
pub use index::*;
pub use iterate::*;
pub use text::*;

use super::value::*;

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
