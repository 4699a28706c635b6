//! Checks of the plot cells: the figures they showed have the expected panels.

use super::*;
use crate::plot::{Figure, Mark};

/// Panels of a figure that scatter points, with how many points each.
fn scattered(f: &Figure) -> Vec<usize> {
    f.axes
        .iter()
        .map(|a| {
            a.marks
                .iter()
                .map(|m| match m {
                    Mark::Scatter { x, .. } => x.len(),
                    _ => 0,
                })
                .sum()
        })
        .collect()
}

/// Two panels: true data and the generated points.
pub(super) fn plot_samples(s: &mut Session) -> Outcome {
    let figures = s.cell_figures();
    if figures.is_empty() {
        return Err(Verdict::Missing(
            "no figure yet: draw with plt.subplots(1, 2) and scatter, then plt.show()".into(),
        ));
    }
    let points = int_global(s, "n_points").unwrap_or(300);
    for f in &figures {
        let counts = scattered(f);
        if counts.len() >= 2 && counts.iter().filter(|&&c| c > 0).count() >= 2 {
            if !counts.contains(&points) {
                return fail(format!(
                    "one panel should scatter the {points} generated points x"
                ));
            }
            return Ok("two panels: the data and the generated points".into());
        }
    }
    fail("the figure needs two panels side by side, each with a scatter: the true data and the generated data")
}

/// Eight panels of the stored states.
pub(super) fn plot_path(s: &mut Session) -> Outcome {
    let figures = s.cell_figures();
    if figures.is_empty() {
        return Err(Verdict::Missing(
            "no figure yet: draw with plt.subplots(1, 8) and scatter xt[i] on each panel, then plt.show()".into(),
        ));
    }
    let points = int_global(s, "n_points").unwrap_or(300);
    let best = figures
        .iter()
        .map(scattered)
        .max_by_key(|c| c.iter().filter(|&&n| n == points).count())
        .unwrap_or_default();
    let full = best.iter().filter(|&&n| n == points).count();
    if best.len() != 8 {
        return fail(format!(
            "the figure has {} panel(s): draw eight, plt.subplots(1, 8), one per time",
            best.len()
        ));
    }
    if full != 8 {
        return fail(format!(
            "{full} of the 8 panels scatter the {points} points of a state xt[i]: scatter one state on each"
        ));
    }
    Ok("eight panels of the probability path".into())
}
