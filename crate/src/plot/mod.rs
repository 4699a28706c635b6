//! Plot descriptions: what the lab language's `matplotlib.pyplot` subset builds, as plain data.
//!
//! Rust draws nothing. A [`Figure`] holds a grid of [`Axes`], each a list of [`Mark`]s (points,
//! lines, arrows, a coloured grid) with every colour already resolved to an [`Rgba`]; the page
//! draws it (`www/js/plots/figure.js`, `drawFigure`) after the wasm facade hands it over through
//! serde, and [`Figure::describe`] prints it as one line of text for command-line checks.
//!
//! # Serialized shape
//!
//! Every type serializes with camelCase field names. [`Rgba`] is a CSS colour string
//! (`"#1f77b4"`, or `"#1f77b480"` when not opaque), [`Paint`] is either one such string or an
//! array of them (one per point), a [`Mark`] is an object whose `kind` is `"scatter"`, `"line"`,
//! `"quiver"`, `"heatmap"`, `"bars"` (a histogram) or `"vline"`, and pairs such as `xlim` are
//! two-element arrays (or `null`):
//!
//! ```json
//! {"width": 8.0, "height": 4.0, "rows": 1, "cols": 2, "sharex": true, "sharey": true,
//!  "suptitle": null,
//!  "axes": [{"row": 0, "col": 0, "title": "True data", "xlim": [-3.0, 3.0], "ylim": null,
//!            "aspectEqual": false, "legend": false, "xlabel": null, "ylabel": null,
//!            "colorCycle": 0,
//!            "marks": [{"kind": "scatter", "x": [0.5], "y": [1.0], "size": [10.0],
//!                       "color": "#1f77b4", "alpha": 1.0, "label": null}]}, ...]}
//! ```
//!
//! Units follow matplotlib: figure sizes in inches, scatter sizes in points² (marker area),
//! line widths in points (1 pt = 1/72 in), so the page can draw a figure at its own scale.

mod color;
mod describe;

#[cfg(test)]
mod tests;

pub use color::{coolwarm, map_values, parse_color, tab10, viridis, COLORMAPS};

use serde::{Serialize, Serializer};

/// matplotlib's default figure size (`rcParams["figure.figsize"]`), inches.
pub const DEFAULT_FIGSIZE: (f32, f32) = (6.4, 4.8);
/// matplotlib's default scatter marker area, points² (`rcParams["lines.markersize"]` 6, squared).
pub const DEFAULT_MARKER_AREA: f32 = 36.0;
/// matplotlib's default line width (`rcParams["lines.linewidth"]`), points.
pub const DEFAULT_LINE_WIDTH: f32 = 1.5;

/// A colour with straight (not premultiplied) alpha, each channel in 0..=1.
///
/// Serializes as a CSS hex string: `"#rrggbb"` when opaque, `"#rrggbbaa"` otherwise, each
/// channel rounded to 0..=255 (so the page can hand it to the canvas as it is).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgba {
    pub r: f32,
    pub g: f32,
    pub b: f32,
    pub a: f32,
}

impl Rgba {
    /// A colour from four channels in 0..=1 (values outside are clamped when serialized).
    pub const fn new(r: f32, g: f32, b: f32, a: f32) -> Rgba {
        Rgba { r, g, b, a }
    }

    /// An opaque colour from three channels in 0..=1.
    pub const fn rgb(r: f32, g: f32, b: f32) -> Rgba {
        Rgba { r, g, b, a: 1.0 }
    }

    /// An opaque colour from `0xrrggbb`.
    pub const fn from_hex(rgb: u32) -> Rgba {
        Rgba::rgb(
            ((rgb >> 16) & 0xff) as f32 / 255.0,
            ((rgb >> 8) & 0xff) as f32 / 255.0,
            (rgb & 0xff) as f32 / 255.0,
        )
    }

    /// The same colour with alpha `a`.
    pub const fn with_alpha(self, a: f32) -> Rgba {
        Rgba { a, ..self }
    }

    /// `"#rrggbb"` when alpha rounds to 255, else `"#rrggbbaa"`; NaN channels count as 0.
    pub fn to_hex(&self) -> String {
        let byte = |v: f32| -> u8 {
            if v.is_nan() {
                0
            } else {
                (v.clamp(0.0, 1.0) * 255.0).round() as u8
            }
        };
        let (r, g, b, a) = (byte(self.r), byte(self.g), byte(self.b), byte(self.a));
        if a == 255 {
            format!("#{r:02x}{g:02x}{b:02x}")
        } else {
            format!("#{r:02x}{g:02x}{b:02x}{a:02x}")
        }
    }
}

impl Serialize for Rgba {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

/// The fill of a set of points: one colour for all, or one per point.
///
/// Serializes untagged: a colour string, or an array of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Paint {
    One(Rgba),
    PerPoint(Vec<Rgba>),
}

/// Something drawn inside an [`Axes`]. Coordinates are data units; `alpha` (0..=1) multiplies
/// the colours' own alpha, as matplotlib's `alpha=` does. The page draws heatmaps first, then
/// bars, points and arrows, then lines (matplotlib's default z-order), each group in list order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Mark {
    /// `plt.scatter(x, y, s=..., c=..., alpha=..., label=...)`: filled circles.
    Scatter {
        x: Vec<f32>,
        y: Vec<f32>,
        /// Marker area in points², one value for all points or one per point
        /// ([`DEFAULT_MARKER_AREA`] by default).
        size: Vec<f32>,
        color: Paint,
        alpha: f32,
        label: Option<String>,
    },
    /// `plt.plot(x, y, ...)`: a polyline through the points, optionally with circle markers.
    Line {
        x: Vec<f32>,
        y: Vec<f32>,
        color: Rgba,
        /// Points ([`DEFAULT_LINE_WIDTH`] by default).
        width: f32,
        /// matplotlib's `"--"`.
        dashed: bool,
        alpha: f32,
        label: Option<String>,
        /// Circle markers at the points (`"o-"`, `marker="o"`), matplotlib's default size.
        marker: bool,
    },
    /// `plt.quiver(x, y, u, v)`: an arrow from each (x, y) along (u, v), scaled by the page
    /// as matplotlib scales them by default.
    Quiver {
        x: Vec<f32>,
        y: Vec<f32>,
        u: Vec<f32>,
        v: Vec<f32>,
        color: Rgba,
        alpha: f32,
    },
    /// A grid of `ny` rows of `nx` coloured cells covering `x_range` x `y_range` (the outer
    /// edges of the cells). `values` and `colors` are row-major, (ny, nx), row 0 being the
    /// bottom row (at `y_range.0`), as the engine's velocity grids are; `colors` are already
    /// mapped (see [`map_values`]), `values` are kept for describing and hovering.
    Heatmap {
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
        values: Vec<f32>,
        colors: Vec<Rgba>,
    },
    /// `plt.hist(x, bins=..., density=...)`: bar `i` covers `edges[i]..edges[i + 1]` from 0 up
    /// to `heights[i]` (counts, or densities with `density=True`); `edges` has one more value
    /// than `heights`.
    Bars {
        edges: Vec<f32>,
        heights: Vec<f32>,
        color: Rgba,
        alpha: f32,
        label: Option<String>,
    },
    /// `plt.axvline(x, ...)`: a vertical line at `x` across the whole height of the panel,
    /// whatever its y limits (it does not widen them).
    Vline {
        x: f32,
        color: Rgba,
        /// Points ([`DEFAULT_LINE_WIDTH`] by default).
        width: f32,
        dashed: bool,
        alpha: f32,
        label: Option<String>,
    },
}

impl Mark {
    /// The mark's kind as it serializes: `"scatter"`, `"line"`, `"quiver"`, `"heatmap"`,
    /// `"bars"` or `"vline"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Mark::Scatter { .. } => "scatter",
            Mark::Line { .. } => "line",
            Mark::Quiver { .. } => "quiver",
            Mark::Heatmap { .. } => "heatmap",
            Mark::Bars { .. } => "bars",
            Mark::Vline { .. } => "vline",
        }
    }
}

/// One panel of a [`Figure`]: its marks and settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Axes {
    pub row: usize,
    pub col: usize,
    pub title: Option<String>,
    /// `set_xlim(lo, hi)`; `None`: fitted to the data with a 5 % margin, as matplotlib does.
    pub xlim: Option<(f64, f64)>,
    pub ylim: Option<(f64, f64)>,
    /// `set_aspect("equal")`: one data unit as long on x as on y (the panel shrinks).
    pub aspect_equal: bool,
    /// `legend()` was called: the page lists the labelled marks.
    pub legend: bool,
    pub xlabel: Option<String>,
    pub ylabel: Option<String>,
    pub marks: Vec<Mark>,
    /// Index of the next default colour in matplotlib's colour cycle (see [`Axes::next_color`]).
    pub color_cycle: usize,
}

impl Axes {
    /// An empty panel at (row, col).
    pub fn new(row: usize, col: usize) -> Axes {
        Axes {
            row,
            col,
            title: None,
            xlim: None,
            ylim: None,
            aspect_equal: false,
            legend: false,
            xlabel: None,
            ylabel: None,
            marks: Vec::new(),
            color_cycle: 0,
        }
    }

    /// The next colour of matplotlib's default property cycle (tab10, `C0`..`C9`, repeating),
    /// advancing the cycle: each `plot` or `scatter` without an explicit colour takes one.
    pub fn next_color(&mut self) -> Rgba {
        let color = tab10()[self.color_cycle % 10];
        self.color_cycle = self.color_cycle.wrapping_add(1);
        color
    }
}

/// A figure: `rows` x `cols` panels, as `plt.subplots(rows, cols, figsize=..., sharex=...,
/// sharey=...)` makes them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figure {
    /// Inches ([`DEFAULT_FIGSIZE`] by default); the page keeps width / height.
    pub width: f32,
    pub height: f32,
    pub rows: usize,
    pub cols: usize,
    /// All panels show the same x range (and only the bottom row labels its x ticks).
    pub sharex: bool,
    /// All panels show the same y range (and only the left column labels its y ticks).
    pub sharey: bool,
    /// Row-major: panel (r, c) is `axes[r * cols + c]`.
    pub axes: Vec<Axes>,
    pub suptitle: Option<String>,
}

impl Figure {
    /// A figure of `rows` x `cols` empty panels. The interpreter checks its arguments first
    /// (naming a bad one); here rows and cols below 1 count as 1, and a figsize that is not
    /// two positive finite numbers is matplotlib's default, so a `Figure` is always drawable.
    pub fn new(
        rows: usize,
        cols: usize,
        figsize: Option<(f32, f32)>,
        sharex: bool,
        sharey: bool,
    ) -> Figure {
        let rows = rows.max(1);
        let cols = cols.max(1);
        let (width, height) = match figsize {
            Some((w, h)) if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => (w, h),
            _ => DEFAULT_FIGSIZE,
        };
        let axes = (0..rows * cols)
            .map(|k| Axes::new(k / cols, k % cols))
            .collect();
        Figure {
            width,
            height,
            rows,
            cols,
            sharex,
            sharey,
            axes,
            suptitle: None,
        }
    }

    /// The panel at (row, col), if inside the grid.
    pub fn axes_at(&mut self, row: usize, col: usize) -> Option<&mut Axes> {
        if row < self.rows && col < self.cols {
            self.axes.get_mut(row * self.cols + col)
        } else {
            None
        }
    }
}
