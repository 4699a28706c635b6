//! One line of text per figure, for checking a lab without a browser.

use std::fmt::Write;

use super::{Axes, Figure, Mark, Paint};

impl Figure {
    /// The figure in one line: its grid and size, then each panel (row-major, `; ` between
    /// them) with its title, marks and settings, for example
    ///
    /// ```text
    /// figure 1x2 (8 x 4 in, sharex, sharey): [0,0] "True data": scatter 256 pts; [0,1] "Generated data": scatter 300 pts
    /// ```
    ///
    /// A panel lists its marks (`scatter N pts`, `line N pts`, `quiver N arrows`,
    /// `heatmap NXxNY`, `bars N bins`, `vline at X`, each with its `"label"` when it has one) or `empty`, then whichever of
    /// `xlim (lo, hi)`, `ylim (lo, hi)`, `aspect equal`, `legend`, `xlabel "..."`,
    /// `ylabel "..."` are set. Texts are quoted with Rust's escapes, so the line never breaks.
    /// Deterministic, no trailing spaces.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "figure {}x{} ({} x {} in",
            self.rows, self.cols, self.width, self.height
        );
        if self.sharex {
            out.push_str(", sharex");
        }
        if self.sharey {
            out.push_str(", sharey");
        }
        out.push(')');
        if let Some(title) = &self.suptitle {
            let _ = write!(out, " {title:?}");
        }
        out.push(':');
        for (k, axes) in self.axes.iter().enumerate() {
            out.push_str(if k == 0 { " " } else { "; " });
            describe_axes(&mut out, axes);
        }
        out
    }
}

fn describe_axes(out: &mut String, axes: &Axes) {
    let _ = write!(out, "[{},{}]", axes.row, axes.col);
    if let Some(title) = &axes.title {
        let _ = write!(out, " {title:?}");
    }
    out.push_str(": ");
    let mut items: Vec<String> = axes.marks.iter().map(describe_mark).collect();
    if items.is_empty() {
        items.push("empty".to_string());
    }
    if let Some((lo, hi)) = axes.xlim {
        items.push(format!("xlim ({lo}, {hi})"));
    }
    if let Some((lo, hi)) = axes.ylim {
        items.push(format!("ylim ({lo}, {hi})"));
    }
    if axes.aspect_equal {
        items.push("aspect equal".to_string());
    }
    if axes.legend {
        items.push("legend".to_string());
    }
    if let Some(label) = &axes.xlabel {
        items.push(format!("xlabel {label:?}"));
    }
    if let Some(label) = &axes.ylabel {
        items.push(format!("ylabel {label:?}"));
    }
    out.push_str(&items.join(", "));
}

fn describe_mark(mark: &Mark) -> String {
    let (mut text, label) = match mark {
        Mark::Scatter {
            x, y, label, color, ..
        } => {
            let n = x.len().min(y.len());
            let mut text = format!("scatter {n} {}", plural(n, "pt", "pts"));
            if let Paint::PerPoint(_) = color {
                text.push_str(" (coloured per point)");
            }
            (text, label)
        }
        Mark::Line {
            x,
            y,
            label,
            dashed,
            ..
        } => {
            let n = x.len().min(y.len());
            let style = if *dashed { "dashed line" } else { "line" };
            (format!("{style} {n} {}", plural(n, "pt", "pts")), label)
        }
        Mark::Quiver { x, y, u, v, .. } => {
            let n = x.len().min(y.len()).min(u.len()).min(v.len());
            (
                format!("quiver {n} {}", plural(n, "arrow", "arrows")),
                &None,
            )
        }
        Mark::Heatmap { nx, ny, .. } => (format!("heatmap {nx}x{ny}"), &None),
        Mark::Bars { heights, label, .. } => {
            let n = heights.len();
            (format!("bars {n} {}", plural(n, "bin", "bins")), label)
        }
        Mark::Vline {
            x, label, dashed, ..
        } => {
            let style = if *dashed { "dashed vline" } else { "vline" };
            (format!("{style} at {x}"), label)
        }
    };
    if let Some(label) = label {
        let _ = write!(text, " {label:?}");
    }
    text
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
