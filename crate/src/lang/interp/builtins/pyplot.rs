//! `matplotlib.pyplot`: figures become [`Figure`] descriptions that the page draws (or the
//! command line describes); nothing is drawn here.

use super::{flag, number, size, ArgReader};
use crate::lang::interp::error::{index_error, type_error, value_error, RtResult};
use crate::lang::interp::ops::{as_index, as_number, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::plot::{map_values, parse_color, tab10, Axes, Figure, Mark, Paint, Rgba};
use crate::plot::{DEFAULT_LINE_WIDTH, DEFAULT_MARKER_AREA};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The most panels one figure may have.
pub const MAX_PANELS: usize = 64;
/// The most figures open at once.
pub const MAX_FIGURES: usize = 32;

pub const AXES_METHODS: &[&str] = &[
    "scatter",
    "plot",
    "quiver",
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
    let fns: [(&'static str, BuiltinFn); 17] = [
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

/// Numbers from a tensor, list or number, flattened. Plotting a tensor that requires grad is
/// the error matplotlib gives (through `numpy()`), with the fix.
fn numbers(fname: &str, what: &str, v: &Value) -> RtResult<Vec<f32>> {
    match v {
        Value::Tensor(t) => {
            if t.var.requires_grad() {
                return Err(type_error(format!(
                    "{fname}(): {what} is a tensor that requires grad: plot x.detach() (Can't call numpy() on Tensor that requires grad)"
                )));
            }
            Ok(t.var.value().data().to_vec())
        }
        _ => {
            if let Some(x) = as_number(v) {
                return Ok(vec![x as f32]);
            }
            let items = to_vec(v).map_err(|_| {
                type_error(format!(
                    "{fname}(): {what} must be numbers (a tensor, an array or a list), not '{}'",
                    v.type_name()
                ))
            })?;
            let mut out = Vec::with_capacity(items.len());
            for i in &items {
                out.extend(numbers(fname, what, i)?);
            }
            Ok(out)
        }
    }
}

/// A colour argument: a name, `C1`, hex, or an RGB(A) tuple of floats.
fn color(v: &Value) -> RtResult<Rgba> {
    match v {
        Value::Str(s) => parse_color(s).map_err(value_error),
        Value::Tuple(_) | Value::List(_) => {
            let c = to_vec(v)?
                .iter()
                .map(|x| as_number(x).map(|f| f as f32))
                .collect::<Option<Vec<f32>>>()
                .ok_or_else(|| value_error("a colour tuple holds numbers from 0 to 1"))?;
            match c.as_slice() {
                [r, g, b] => Ok(Rgba::rgb(*r, *g, *b)),
                [r, g, b, a] => Ok(Rgba::new(*r, *g, *b, *a)),
                _ => Err(value_error(
                    "a colour tuple has 3 or 4 numbers (r, g, b[, a])",
                )),
            }
        }
        other => Err(type_error(format!(
            "a colour must be a name like 'red', 'C1', '#1f77b4' or an (r, g, b) tuple, not a '{}'",
            other.type_name()
        ))),
    }
}

fn text_arg(v: &Value) -> String {
    crate::lang::interp::ops::to_str(v)
}

fn limits(fname: &str, a: &mut ArgReader) -> RtResult<Option<(f64, f64)>> {
    let first = a.get(0, "left");
    let second = a.get(1, "right");
    let (lo, hi) = match (first, second) {
        (Some(pair @ (Value::Tuple(_) | Value::List(_))), None) => {
            let v = to_vec(&pair)?;
            match v.as_slice() {
                [l, h] => (l.clone(), h.clone()),
                _ => return Err(value_error(format!("{fname}() takes (low, high)"))),
            }
        }
        (Some(l), Some(h)) => (l, h),
        (None, None) => return Ok(None),
        _ => {
            return Err(value_error(format!(
                "{fname}() takes both limits: {fname}(-3, 3)"
            )))
        }
    };
    let (lo, hi) = (number(fname, "low", &lo)?, number(fname, "high", &hi)?);
    if !(lo.is_finite() && hi.is_finite()) || lo == hi {
        return Err(value_error(format!(
            "{fname}({lo}, {hi}): the limits must be two different finite numbers"
        )));
    }
    Ok(Some((lo, hi)))
}

/// A method of an Axes (or, for `suptitle` / `tight_layout` / `savefig`, of a Figure).
fn axes_method(vm: &mut Vm, this: &Value, name: &'static str, args: Args) -> RtResult<Value> {
    let (fig, panel) = match this {
        Value::Axes(f, i) => (f.clone(), Some(*i)),
        Value::Figure(f) => (f.clone(), None),
        _ => return Err(type_error("not an axes")),
    };
    let mut a = ArgReader::new(name, args);
    match name {
        "suptitle" => {
            let t = a.required(0, "t")?;
            let _ = a.keyword("fontsize");
            a.finish()?;
            fig.borrow_mut().suptitle = Some(text_arg(&t));
            return Ok(Value::None);
        }
        "tight_layout" => return Ok(Value::None),
        "savefig" => {
            let rest = Args {
                pos: a.rest(0),
                kw: Vec::new(),
            };
            return savefig(vm, rest);
        }
        _ => {}
    }
    let Some(panel) = panel else {
        return Err(type_error(format!(
            "Figure has no method {name}: call it on an axes (ax.{name}(...))"
        )));
    };
    let mut f = fig.borrow_mut();
    let ax: &mut Axes = f
        .axes
        .get_mut(panel)
        .ok_or_else(|| index_error("no such panel"))?;
    match name {
        "scatter" => {
            let x = numbers(name, "x", &a.required(0, "x")?)?;
            let y = numbers(name, "y", &a.required(1, "y")?)?;
            if x.len() != y.len() {
                return Err(value_error(format!(
                    "scatter(): x and y must be the same size, but x has {} and y has {} values",
                    x.len(),
                    y.len()
                )));
            }
            let size = match a.get(2, "s") {
                Some(s) => numbers(name, "s", &s)?,
                None => vec![DEFAULT_MARKER_AREA],
            };
            if size.len() != 1 && size.len() != x.len() {
                return Err(value_error(
                    "scatter(): s must be one size or one per point",
                ));
            }
            let c = a.get(3, "c");
            let explicit = a.keyword("color");
            let cmap = a.keyword("cmap");
            let alpha = alpha_arg(&mut a)?;
            let label = a.keyword("label").map(|l| text_arg(&l));
            let _ = a.keyword("marker");
            let _ = a.keyword("edgecolors");
            let _ = a.keyword("zorder");
            a.finish()?;
            let paint = match (c, explicit) {
                (Some(_), Some(_)) => {
                    return Err(value_error("scatter(): give c= or color=, not both"))
                }
                (Some(c @ Value::Str(_)), None) | (None, Some(c)) => Paint::One(color(&c)?),
                (Some(c), None) => {
                    let is_colour_tuple = matches!(&c, Value::Tuple(t) if (3..=4).contains(&t.len()) && t.iter().all(|v| as_number(v).is_some()) && x.len() != t.len());
                    if is_colour_tuple {
                        Paint::One(color(&c)?)
                    } else {
                        let values = numbers(name, "c", &c)?;
                        if values.len() != x.len() {
                            return Err(value_error(format!(
                                "scatter(): c has {} values for {} points",
                                values.len(),
                                x.len()
                            )));
                        }
                        let map = match &cmap {
                            Some(Value::Str(s)) => s.to_string(),
                            Some(Value::Colormap(n)) => n.to_string(),
                            _ => "viridis".into(),
                        };
                        Paint::PerPoint(map_values(&values, &map).map_err(value_error)?)
                    }
                }
                (None, None) => Paint::One(ax.next_color()),
            };
            ax.marks.push(Mark::Scatter {
                x,
                y,
                size,
                color: paint,
                alpha,
                label,
            });
        }
        "plot" => {
            let mut data = a.rest(0);
            let fmt = match data.last() {
                Some(Value::Str(s)) => {
                    let s = s.to_string();
                    data.pop();
                    Some(s)
                }
                _ => None,
            };
            let (x, y) = match data.as_slice() {
                [y] => {
                    let y = numbers(name, "y", y)?;
                    ((0..y.len()).map(|i| i as f32).collect(), y)
                }
                [x, y] => (numbers(name, "x", x)?, numbers(name, "y", y)?),
                _ => {
                    return Err(type_error(
                        "plot() takes y, or x and y, then an optional format like 'o-'",
                    ))
                }
            };
            if x.len() != y.len() {
                return Err(value_error(format!(
                    "plot(): x and y must have the same length, but have shapes ({},) and ({},)",
                    x.len(),
                    y.len()
                )));
            }
            let explicit = a.keyword("color").or_else(|| a.keyword("c"));
            let width = match a.keyword("linewidth").or_else(|| a.keyword("lw")) {
                Some(w) => number(name, "linewidth", &w)? as f32,
                None => DEFAULT_LINE_WIDTH,
            };
            let style = a.keyword("linestyle").or_else(|| a.keyword("ls"));
            let marker_kw = a.keyword("marker");
            let alpha = alpha_arg(&mut a)?;
            let label = a.keyword("label").map(|l| text_arg(&l));
            a.finish()?;
            let fmt = fmt.unwrap_or_default();
            let fmt_color = fmt
                .chars()
                .find(|c| "bgrcmykw".contains(*c))
                .map(|c| parse_color(&c.to_string()).map_err(value_error))
                .transpose()?;
            let color = match explicit {
                Some(c) => color(&c)?,
                None => fmt_color.unwrap_or_else(|| ax.next_color()),
            };
            let dashed = fmt.contains("--")
                || matches!(&style, Some(Value::Str(s)) if &**s == "--" || &**s == "dashed");
            let marker = fmt.contains('o') || fmt.contains('.') || marker_kw.is_some();
            ax.marks.push(Mark::Line {
                x,
                y,
                color,
                width,
                dashed,
                alpha,
                label,
                marker,
            });
        }
        "quiver" => {
            let x = numbers(name, "X", &a.required(0, "X")?)?;
            let y = numbers(name, "Y", &a.required(1, "Y")?)?;
            let u = numbers(name, "U", &a.required(2, "U")?)?;
            let v = numbers(name, "V", &a.required(3, "V")?)?;
            let explicit = a.keyword("color");
            let alpha = alpha_arg(&mut a)?;
            for k in ["scale", "width", "angles", "scale_units", "headwidth"] {
                let _ = a.keyword(k);
            }
            a.finish()?;
            let n = x.len();
            if y.len() != n || u.len() != n || v.len() != n {
                return Err(value_error(format!(
                    "quiver(): X, Y, U, V must have the same number of values ({}, {}, {}, {})",
                    n,
                    y.len(),
                    u.len(),
                    v.len()
                )));
            }
            let color = match explicit {
                Some(c) => color(&c)?,
                None => Rgba::from_hex(0x000000),
            };
            ax.marks.push(Mark::Quiver {
                x,
                y,
                u,
                v,
                color,
                alpha,
            });
        }
        "set_title" => {
            let t = a.required(0, "label")?;
            let _ = a.keyword("fontsize");
            let _ = a.keyword("loc");
            a.finish()?;
            ax.title = Some(text_arg(&t));
        }
        "set_xlabel" | "set_ylabel" => {
            let t = text_arg(&a.required(0, "xlabel")?);
            let _ = a.keyword("fontsize");
            a.finish()?;
            if name == "set_xlabel" {
                ax.xlabel = Some(t);
            } else {
                ax.ylabel = Some(t);
            }
        }
        "set_xlim" | "set_ylim" => {
            let lim = limits(name, &mut a)?;
            a.finish()?;
            if name == "set_xlim" {
                ax.xlim = lim.or(ax.xlim);
            } else {
                ax.ylim = lim.or(ax.ylim);
            }
        }
        "set_aspect" => {
            let v = a.required(0, "aspect")?;
            let _ = a.keyword("adjustable");
            a.finish()?;
            ax.aspect_equal = match &v {
                Value::Str(s) if &**s == "equal" => true,
                Value::Str(s) if &**s == "auto" => false,
                other if as_number(other) == Some(1.0) => true,
                other => {
                    return Err(value_error(format!(
                        "set_aspect({}): use 'equal' or 'auto'",
                        crate::lang::interp::ops::repr(other)
                    )))
                }
            };
        }
        "axis" => {
            let v = a.get(0, "arg");
            a.finish()?;
            match v {
                Some(Value::Str(s)) if &*s == "equal" || &*s == "square" => ax.aspect_equal = true,
                Some(Value::Str(_)) | None => {}
                Some(other) => {
                    let v = numbers("axis", "limits", &other)?;
                    if let [x0, x1, y0, y1] = v[..] {
                        ax.xlim = Some((f64::from(x0), f64::from(x1)));
                        ax.ylim = Some((f64::from(y0), f64::from(y1)));
                    } else {
                        return Err(value_error("axis() takes [xmin, xmax, ymin, ymax]"));
                    }
                }
            }
        }
        "legend" => {
            let _ = a.rest(0);
            for k in ["loc", "fontsize", "frameon", "markerscale"] {
                let _ = a.keyword(k);
            }
            a.finish()?;
            ax.legend = true;
        }
        "grid" => {
            let _ = a.rest(0);
            let _ = a.keyword("alpha");
        }
        _ => return Err(type_error(format!("Axes has no method {name}"))),
    }
    Ok(Value::None)
}

fn alpha_arg(a: &mut ArgReader) -> RtResult<f32> {
    match a.keyword("alpha") {
        None | Some(Value::None) => Ok(1.0),
        Some(v) => {
            let x = number(a.fname(), "alpha", &v)?;
            if !(0.0..=1.0).contains(&x) {
                return Err(value_error(format!("alpha ({x}) is outside 0-1")));
            }
            Ok(x as f32)
        }
    }
}
