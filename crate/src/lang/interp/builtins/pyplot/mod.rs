//! `matplotlib.pyplot`: figures become [`Figure`] descriptions that the page draws (or the
//! command line describes); nothing is drawn here.

use super::{flag, number, size, ArgReader};
use crate::lang::interp::error::{index_error, type_error, value_error, RtResult};
use crate::lang::interp::ops::{as_index, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::plot::{tab10, Figure};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

mod axes;

use axes::axes_method;

/// The most panels one figure may have.
pub const MAX_PANELS: usize = 64;
/// The most figures open at once.
pub const MAX_FIGURES: usize = 32;

pub const AXES_METHODS: &[&str] = &[
    "scatter",
    "plot",
    "quiver",
    "hist",
    "axvline",
    "set_title",
    "set_xlim",
    "set_ylim",
    "set_aspect",
    "legend",
    "set_xlabel",
    "set_ylabel",
    "grid",
    "axis",
    "suptitle",
    "tight_layout",
    "savefig",
];

pub fn module() -> HashMap<&'static str, Value> {
    let fns: [(&'static str, BuiltinFn); 19] = [
        ("subplots", subplots),
        ("figure", figure),
        ("show", |vm, _, a| {
            let mut a = ArgReader::new("show", a);
            let _ = a.keyword("block");
            a.finish()?;
            show_all(vm);
            Ok(Value::None)
        }),
        ("close", close),
        ("tight_layout", |_, _, _| Ok(Value::None)),
        ("savefig", |vm, _, a| savefig(vm, a)),
        ("scatter", |vm, _, a| on_current(vm, "scatter", a)),
        ("plot", |vm, _, a| on_current(vm, "plot", a)),
        ("quiver", |vm, _, a| on_current(vm, "quiver", a)),
        ("hist", |vm, _, a| on_current(vm, "hist", a)),
        ("axvline", |vm, _, a| on_current(vm, "axvline", a)),
        ("title", |vm, _, a| on_current(vm, "set_title", a)),
        ("xlim", |vm, _, a| on_current(vm, "set_xlim", a)),
        ("ylim", |vm, _, a| on_current(vm, "set_ylim", a)),
        ("legend", |vm, _, a| on_current(vm, "legend", a)),
        ("xlabel", |vm, _, a| on_current(vm, "set_xlabel", a)),
        ("ylabel", |vm, _, a| on_current(vm, "set_ylabel", a)),
        ("axis", |vm, _, a| on_current(vm, "axis", a)),
        ("gca", |vm, _, _| {
            let (fig, i) = current(vm)?;
            Ok(Value::Axes(fig, i))
        }),
    ];
    let mut m: HashMap<&'static str, Value> = fns
        .into_iter()
        .map(|(n, f)| (n, Value::builtin(n, f)))
        .collect();
    m.insert("grid", Value::builtin("grid", |_, _, _| Ok(Value::None)));
    m.insert(
        "suptitle",
        Value::builtin("suptitle", |vm, _, a| {
            let (fig, _) = current(vm)?;
            axes_method(vm, &Value::Figure(fig), "suptitle", a)
        }),
    );
    let maps = ["tab10", "viridis", "coolwarm"]
        .iter()
        .map(|n| (Value::str(n), Value::Colormap(Rc::from(*n))))
        .collect();
    m.insert("colormaps", Value::Dict(Rc::new(RefCell::new(maps))));
    m
}

/// Moves every open figure to the shown list (what `plt.show()` and the end of a cell do).
pub fn show_all(vm: &mut Vm) {
    for f in std::mem::take(&mut vm.open_figures) {
        let fig = f.borrow().clone();
        vm.shown.push(fig);
    }
}

fn open(vm: &mut Vm, fig: Figure) -> RtResult<Rc<RefCell<Figure>>> {
    if vm.open_figures.len() >= MAX_FIGURES {
        return Err(value_error(format!(
            "more than {MAX_FIGURES} figures are open: call plt.show() or plt.close() after each one"
        )));
    }
    let f = Rc::new(RefCell::new(fig));
    vm.open_figures.push(f.clone());
    vm.current_axes = 0;
    Ok(f)
}

/// The current figure and panel, making a figure when there is none (as pyplot does).
fn current(vm: &mut Vm) -> RtResult<(Rc<RefCell<Figure>>, usize)> {
    if let Some(f) = vm.open_figures.last() {
        let n = f.borrow().axes.len();
        return Ok((f.clone(), vm.current_axes.min(n.saturating_sub(1))));
    }
    let f = open(vm, Figure::new(1, 1, None, false, false))?;
    Ok((f, 0))
}

fn figsize(v: Option<Value>) -> RtResult<Option<(f32, f32)>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => {
            let items = to_vec(&v)?;
            match items.as_slice() {
                [w, h] => {
                    let (w, h) = (
                        number("figure", "figsize", w)?,
                        number("figure", "figsize", h)?,
                    );
                    if !(w > 0.0 && h > 0.0 && w <= 100.0 && h <= 100.0) {
                        return Err(value_error(format!(
                            "figsize must be two positive sizes in inches up to 100, got ({w}, {h})"
                        )));
                    }
                    Ok(Some((w as f32, h as f32)))
                }
                _ => Err(value_error("figsize must be (width, height) in inches")),
            }
        }
    }
}

fn subplots(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("subplots", args);
    let rows = a
        .get(0, "nrows")
        .map_or(Ok(1), |v| size("subplots", "nrows", &v))?;
    let cols = a
        .get(1, "ncols")
        .map_or(Ok(1), |v| size("subplots", "ncols", &v))?;
    let sharex = a.get(2, "sharex").map_or(Ok(false), |v| flag(&v))?;
    let sharey = a.get(3, "sharey").map_or(Ok(false), |v| flag(&v))?;
    let squeeze = a.get(4, "squeeze").map_or(Ok(true), |v| flag(&v))?;
    let size = figsize(a.keyword("figsize"))?;
    let _ = a.keyword("dpi");
    let _ = a.keyword("constrained_layout");
    a.finish()?;
    if rows == 0 || cols == 0 || rows * cols > MAX_PANELS {
        return Err(value_error(format!(
            "subplots({rows}, {cols}): a figure has from 1 to {MAX_PANELS} panels"
        )));
    }
    let fig = open(vm, Figure::new(rows, cols, size, sharex, sharey))?;
    vm.current_axes = rows * cols - 1;
    let panels: Vec<usize> = (0..rows * cols).collect();
    let axes = if squeeze && rows * cols == 1 {
        Value::Axes(fig.clone(), 0)
    } else {
        let shape = if squeeze && (rows == 1 || cols == 1) {
            vec![rows * cols]
        } else {
            vec![rows, cols]
        };
        Value::AxesArray(Rc::new(AxesArray {
            figure: fig.clone(),
            shape,
            panels,
        }))
    };
    Ok(Value::tuple(vec![Value::Figure(fig), axes]))
}

fn figure(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("figure", args);
    let _ = a.get(0, "num");
    let size = figsize(a.get(1, "figsize"))?;
    let _ = a.keyword("dpi");
    a.finish()?;
    let fig = open(vm, Figure::new(1, 1, size, false, false))?;
    Ok(Value::Figure(fig))
}

fn close(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("close", args);
    let which = a.get(0, "fig");
    a.finish()?;
    match which {
        None => {
            vm.open_figures.pop();
        }
        Some(Value::Str(s)) if &*s == "all" => vm.open_figures.clear(),
        Some(Value::Figure(f)) => vm.open_figures.retain(|g| !Rc::ptr_eq(g, &f)),
        Some(other) => {
            return Err(type_error(format!(
                "close() takes a figure or 'all', not a '{}'",
                other.type_name()
            )))
        }
    }
    Ok(Value::None)
}

fn savefig(vm: &mut Vm, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("savefig", args);
    let name = a.required(0, "fname")?;
    let _ = a.keyword("dpi");
    let _ = a.keyword("bbox_inches");
    a.finish()?;
    vm.write(&format!(
        "[savefig] {} was not written: flowlab shows figures below the cell (right-click a figure to save it)\n",
        crate::lang::interp::ops::to_str(&name)
    ));
    Ok(Value::None)
}

fn on_current(vm: &mut Vm, method: &'static str, args: Args) -> RtResult<Value> {
    let (fig, i) = current(vm)?;
    axes_method(vm, &Value::Axes(fig, i), method, args)
}

/// `axes[i]`, `axes[r, c]`, `axes[r][c]`.
pub fn index_axes(a: &AxesArray, index: &Value) -> RtResult<Value> {
    let items: Vec<Value> = match index {
        Value::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    let resolve = |i: &Value, n: usize| -> RtResult<usize> {
        let k = as_index(i).ok_or_else(|| {
            type_error(format!(
                "axes indices must be ints, not '{}'",
                i.type_name()
            ))
        })?;
        let j = if k < 0 { k + n as i64 } else { k };
        if j < 0 || j >= n as i64 {
            return Err(index_error(format!(
                "index {k} is out of bounds for an axes array of length {n}"
            )));
        }
        Ok(j as usize)
    };
    match (a.shape.as_slice(), items.as_slice()) {
        ([n], [i]) => Ok(Value::Axes(a.figure.clone(), a.panels[resolve(i, *n)?])),
        ([r, c], [i]) => {
            let row = resolve(i, *r)?;
            Ok(Value::AxesArray(Rc::new(AxesArray {
                figure: a.figure.clone(),
                shape: vec![*c],
                panels: a.panels[row * c..(row + 1) * c].to_vec(),
            })))
        }
        ([r, c], [i, j]) => {
            let (row, col) = (resolve(i, *r)?, resolve(j, *c)?);
            Ok(Value::Axes(a.figure.clone(), a.panels[row * c + col]))
        }
        _ => Err(index_error(format!(
            "too many indices for an axes array of shape {:?}",
            a.shape
        ))),
    }
}

/// Attributes of figures, axes, axes arrays and colormaps.
pub fn attr(obj: &Value, name: &str) -> RtResult<Option<Value>> {
    Ok(match (obj, name) {
        (Value::Colormap(n), "colors") => {
            if &**n != "tab10" {
                return Ok(None);
            }
            let colors = tab10()
                .iter()
                .map(|c| {
                    Value::tuple(vec![
                        Value::Float(f64::from(c.r)),
                        Value::Float(f64::from(c.g)),
                        Value::Float(f64::from(c.b)),
                    ])
                })
                .collect();
            Some(Value::tuple(colors))
        }
        (Value::Colormap(n), "name") => Some(Value::Str(n.clone())),
        (Value::AxesArray(a), "flat") => Some(flat(a)),
        (Value::AxesArray(a), "shape") => Some(Value::tuple(
            a.shape.iter().map(|&d| Value::Int(d as i64)).collect(),
        )),
        (Value::AxesArray(_), "flatten" | "ravel") => Some(Value::native_method(
            obj.clone(),
            "flatten",
            |_, this, _, _| match this {
                Value::AxesArray(a) => Ok(flat(a)),
                _ => Ok(Value::None),
            },
        )),
        (Value::Axes(..) | Value::Figure(_), _) => {
            let Some(&name) = AXES_METHODS.iter().find(|m| **m == name) else {
                return Ok(None);
            };
            Some(Value::native_method(obj.clone(), name, axes_method))
        }
        _ => None,
    })
}

fn flat(a: &AxesArray) -> Value {
    Value::AxesArray(Rc::new(AxesArray {
        figure: a.figure.clone(),
        shape: vec![a.panels.len()],
        panels: a.panels.clone(),
    }))
}

#[cfg(test)]
mod tests;
