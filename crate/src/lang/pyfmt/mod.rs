//! Values printed exactly as CPython 3.11, PyTorch 2 and numpy 2 print them, so that a lab's
//! output under the interpreter matches real Python byte for byte.
//!
//! - [`float_repr`]: `repr(x)` / `str(x)` of a float (`0.1`, `1.0`, `1e-05`, `inf`).
//! - [`format_int`], [`format_float`], [`format_str`]: `format(v, spec)` and f-string specs,
//!   with Python's error messages.
//! - [`str_repr`]: `repr(s)` of a str.
//! - [`torch_repr`]: `print(tensor)` of a float32 tensor.
//! - [`numpy_str`], [`numpy_repr`]: `print(arr)` and `repr(arr)` of a float array.
//!
//! All are pure and total: no input panics, whatever the spec, the values or the shape.
//!
//! Where the output can differ from Python, on purpose or for want of data:
//! - numpy shows each f32 as the float64 of its shortest decimal (see `numpy.rs`).
//! - Widths and precisions above 1,000,000 are an error, where Python would allocate them.
//! - Without the Unicode database, [`str_repr`] escapes controls, separators, format and
//!   private-use characters, noncharacters and the unassigned planes, but prints other
//!   unassigned code points as they are (Python escapes them).
//! - `format(0xd800, 'c')`, a lone surrogate in Python, gives U+FFFD; `n` uses the C locale.

mod float;
mod numpy;
mod spec;
mod tensor;

#[cfg(test)]
mod tests;

pub use float::float_repr;
pub use numpy::{numpy_repr, numpy_repr_typed, numpy_str, numpy_str_typed};
pub use spec::{format_float, format_int, format_str};
pub use tensor::{torch_repr, torch_repr_typed};

/// Deeper arrays are shown flat, which keeps the printers' recursion shallow.
const MAX_DIMS: usize = 64;

/// Python's `repr()` of a str: single quotes unless the text has `'` and no `"`; `\\`, the
/// quote, `\t \n \r` and unprintable characters escaped as CPython does.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c < ' ' || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x7f || printable(c) => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one non-ASCII char, without the Unicode database: false
/// for controls, separators other than the space, format characters, private use and
/// noncharacters. Unassigned code points outside those ranges count as printable.
fn printable(c: char) -> bool {
    let u = c as u32;
    if c.is_control() {
        return false;
    }
    let unprintable: &[(u32, u32)] = &[
        (0xa0, 0xa0),
        (0xad, 0xad),
        (0x600, 0x605),
        (0x61c, 0x61c),
        (0x6dd, 0x6dd),
        (0x70f, 0x70f),
        (0x890, 0x891),
        (0x8e2, 0x8e2),
        (0x1680, 0x1680),
        (0x180e, 0x180e),
        (0x2000, 0x200f),
        (0x2028, 0x202f),
        (0x205f, 0x2064),
        (0x2066, 0x206f),
        (0x3000, 0x3000),
        (0xe000, 0xf8ff),
        (0xfdd0, 0xfdef),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0x40000, 0xdffff),
        (0xe0000, 0xe00ff),
        (0xe01f0, 0x10ffff),
    ];
    if u & 0xfffe == 0xfffe {
        return false;
    }
    !unprintable.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

/// Python's repr of a shape tuple: `(0,)`, `(0, 2)`, `()`.
fn shape_tuple(shape: &[usize]) -> String {
    match shape {
        [d] => format!("({d},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A row-major shape that `data` fills exactly.
#[derive(Default)]
struct Layout {
    shape: Vec<usize>,
    strides: Vec<usize>,
    numel: usize,
}

impl Layout {
    /// `None` when the shape's size overflows, differs from `data.len()`, or has too many dims.
    fn new<T>(data: &[T], shape: &[usize]) -> Option<Layout> {
        if shape.len() > MAX_DIMS {
            return None;
        }
        let numel = if shape.contains(&0) {
            0
        } else {
            shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d))?
        };
        if numel != data.len() {
            return None;
        }
        let mut strides = vec![1; shape.len()];
        for i in (0..shape.len().saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * shape[i + 1].max(1);
        }
        Some(Layout {
            shape: shape.to_vec(),
            strides,
            numel,
        })
    }

    /// The indices shown along a dimension of length `n`: all of them, or `edge` at each end
    /// around a `None` that stands for the summary `...`.
    fn edges(n: usize, edge: usize) -> Vec<Option<usize>> {
        if n > edge.saturating_mul(2) {
            (0..edge)
                .map(Some)
                .chain([None])
                .chain((n - edge..n).map(Some))
                .collect()
        } else {
            (0..n).map(Some).collect()
        }
    }

    /// The flat indices of the shown elements, in order.
    fn visible(&self, edge: usize) -> Vec<usize> {
        let mut out = vec![0usize];
        for (d, &n) in self.shape.iter().enumerate() {
            let rows: Vec<usize> = Layout::edges(n, edge).into_iter().flatten().collect();
            out = out
                .iter()
                .flat_map(|&base| rows.iter().map(move |&i| base + i * self.strides[d]))
                .collect();
        }
        out
    }
}
