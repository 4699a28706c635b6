//! `plt.hist` and `plt.axvline`: the marks they describe and what they return, against numpy's
//! and matplotlib's own results.

use crate::lang::interp::Session;
use crate::plot::{tab10, Mark};

fn marks(code: &str) -> (Session, Vec<Mark>) {
    let mut s = Session::new(0);
    s.run(&format!(
        "import torch\nimport matplotlib.pyplot as plt\n{code}"
    ))
    .unwrap_or_else(|e| panic!("{code}: {e}"));
    let figures = s.take_figures();
    assert_eq!(figures.len(), 1, "{code}");
    let marks = figures[0].axes[0].marks.clone();
    (s, marks)
}

fn error(code: &str) -> String {
    let mut s = Session::new(0);
    s.run(&format!("import matplotlib.pyplot as plt\n{code}"))
        .unwrap_err()
        .to_string()
}

fn bars(mark: &Mark) -> (Vec<f32>, Vec<f32>) {
    match mark {
        Mark::Bars { edges, heights, .. } => (edges.clone(), heights.clone()),
        other => panic!("not bars: {other:?}"),
    }
}

#[test]
fn hist_counts_as_numpy_does() {
    // np.histogram([0, 1, 1, 2, 3, 3, 3, 4], bins=4) -> [1, 2, 1, 4], edges [0, 1, 2, 3, 4]
    let (s, m) = marks("n, edges, _ = plt.hist([0, 1, 1, 2, 3, 3, 3, 4], bins=4)\nplt.show()");
    assert_eq!(
        bars(&m[0]),
        (vec![0.0, 1.0, 2.0, 3.0, 4.0], vec![1.0, 2.0, 1.0, 4.0])
    );
    assert_eq!(s.repr_of("n").unwrap(), "array([1., 2., 1., 4.])");
    assert_eq!(s.repr_of("edges").unwrap(), "array([0., 1., 2., 3., 4.])");
    // the default colour is the cycle's first
    assert!(
        matches!(&m[0], Mark::Bars { color, alpha, .. } if *color == tab10()[0] && *alpha == 1.0)
    );
}

#[test]
fn hist_densities_integrate_to_one() {
    let (_, m) = marks(
        "torch.manual_seed(0)\ny = 2 * torch.randn(5000) + 1\nplt.hist(y, bins=40, density=True, alpha=0.5, color='C1', label='samples')",
    );
    let (edges, heights) = bars(&m[0]);
    assert_eq!((edges.len(), heights.len()), (41, 40));
    let area: f32 = heights
        .iter()
        .zip(edges.windows(2))
        .map(|(h, e)| h * (e[1] - e[0]))
        .sum();
    assert!((area - 1.0).abs() < 1e-4, "{area}");
    assert!(
        matches!(&m[0], Mark::Bars { color, label: Some(l), alpha, .. }
        if *color == tab10()[1] && l == "samples" && *alpha == 0.5)
    );
}

#[test]
fn hist_takes_edges_a_range_and_a_constant_sample() {
    // values outside the edges are left out; the last bin holds its right edge
    let (_, m) = marks("plt.hist([0.5, 1.0, 1.5, 2.0, 9.0], bins=[0, 1, 2])");
    assert_eq!(bars(&m[0]), (vec![0.0, 1.0, 2.0], vec![1.0, 3.0]));
    let (_, m) = marks("plt.hist([0.5, 1.0, 3.0], bins=2, range=(0, 2))");
    assert_eq!(bars(&m[0]).1, vec![1.0, 1.0]);
    // numpy widens an empty range by 0.5 on each side
    let (_, m) = marks("plt.hist([2.0, 2.0], bins=2)");
    assert_eq!(bars(&m[0]), (vec![1.5, 2.0, 2.5], vec![0.0, 2.0]));
}

#[test]
fn bad_hist_arguments_say_what_is_wrong() {
    for (code, expected) in [
        ("plt.hist([1, 2], bins=0)", "bins must be from 1"),
        ("plt.hist([1, 2], bins=[1, 1])", "increase"),
        ("plt.hist([1, float('nan')])", "NaN"),
        ("plt.hist([1, 2], range=(2, 1))", "low < high"),
        ("plt.hist([1, 2], bins=2.5)", "must be an int"),
    ] {
        let e = error(code);
        assert!(e.contains(expected), "{code}: {e}");
    }
}

#[test]
fn axvline_marks_a_position_across_the_panel() {
    let (_, m) = marks(
        "fig, ax = plt.subplots()\nax.plot([0, 1], [0, 1])\nax.axvline(0.3, color='red', linestyle='--', label='p hat')\nplt.axvline(0.7)",
    );
    assert!(
        matches!(&m[1], Mark::Vline { x, dashed: true, label: Some(l), .. }
        if *x == 0.3 && l == "p hat")
    );
    // without a colour it takes the next of the cycle, after the line's
    assert!(matches!(&m[2], Mark::Vline { x, color, dashed: false, .. }
        if *x == 0.7 && *color == tab10()[1]));
    assert!(error("plt.axvline(float('inf'))").contains("finite"));
}

#[test]
fn strings_count_their_substrings_as_python_does() {
    let mut s = Session::new(0);
    s.run("a = 'HHTHHTTTHT'.count('H')\nb = 'aaaa'.count('aa')\nc = 'abc'.count('')\nd = 'HT'.count('x')")
        .unwrap();
    for (name, value) in [("a", "5"), ("b", "2"), ("c", "4"), ("d", "0")] {
        assert_eq!(s.repr_of(name).unwrap(), value, "{name}");
    }
    let e = s.run("'HT'.count(1)").unwrap_err().to_string();
    assert!(e.contains("must be str, not int"), "{e}");
}
