//! Tests of the plot descriptions: colours against matplotlib's own values, the one-line
//! description, and the serialized shape the page reads.

use super::*;
use serde_json::json;

/// Whether two colours agree to within `tol` in every channel.
fn close(c: Rgba, expected: [f32; 4], tol: f32) -> bool {
    let got = [c.r, c.g, c.b, c.a];
    got.iter().zip(expected).all(|(g, e)| (g - e).abs() <= tol)
}

fn hex(s: &str) -> String {
    parse_color(s).unwrap().to_hex()
}

fn scatter(n: usize, color: Rgba) -> Mark {
    Mark::Scatter {
        x: (0..n).map(|i| i as f32).collect(),
        y: vec![0.0; n],
        size: vec![10.0],
        color: Paint::One(color),
        alpha: 1.0,
        label: None,
    }
}

// ---- colours ----

#[test]
fn tab10_is_matplotlibs() {
    let expected = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf",
    ];
    let got: Vec<String> = tab10().iter().map(Rgba::to_hex).collect();
    assert_eq!(got, expected);
    // Exactly 31/255 etc., as matplotlib's floats are.
    assert!(close(
        tab10()[0],
        [0.121_568_63, 0.466_666_67, 0.705_882_4, 1.0],
        1e-7
    ));
}

#[test]
fn cycle_names_and_tab_names_give_tab10() {
    for (k, name) in [
        "tab:blue",
        "tab:orange",
        "tab:green",
        "tab:red",
        "tab:purple",
        "tab:brown",
        "tab:pink",
        "tab:gray",
        "tab:olive",
        "tab:cyan",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(parse_color(&format!("C{k}")).unwrap(), tab10()[k]);
        assert_eq!(parse_color(name).unwrap(), tab10()[k], "{name}");
    }
    assert_eq!(hex("tab:grey"), "#7f7f7f");
    assert_eq!(hex("TAB:Blue"), "#1f77b4");
    // matplotlib wraps Cn around the cycle.
    assert_eq!(hex("C10"), "#1f77b4");
    assert_eq!(hex("C12"), "#2ca02c");
}

#[test]
fn single_letters_are_matplotlibs_base_colors() {
    let cases = [
        ("b", [0.0, 0.0, 1.0]),
        ("g", [0.0, 0.5, 0.0]),
        ("r", [1.0, 0.0, 0.0]),
        ("c", [0.0, 0.75, 0.75]),
        ("m", [0.75, 0.0, 0.75]),
        ("y", [0.75, 0.75, 0.0]),
        ("k", [0.0, 0.0, 0.0]),
        ("w", [1.0, 1.0, 1.0]),
    ];
    for (s, [r, g, b]) in cases {
        assert_eq!(parse_color(s).unwrap(), Rgba::rgb(r, g, b), "{s}");
    }
    assert_eq!(hex("y"), "#bfbf00");
}

#[test]
fn css4_names_match_matplotlib_in_any_case() {
    // Values from matplotlib 3.11's to_hex(to_rgba(name)).
    let cases = [
        ("red", "#ff0000"),
        ("Red", "#ff0000"),
        ("blue", "#0000ff"),
        ("green", "#008000"),
        ("black", "#000000"),
        ("white", "#ffffff"),
        ("gray", "#808080"),
        ("grey", "#808080"),
        ("orange", "#ffa500"),
        ("purple", "#800080"),
        ("brown", "#a52a2a"),
        ("pink", "#ffc0cb"),
        ("olive", "#808000"),
        ("cyan", "#00ffff"),
        ("magenta", "#ff00ff"),
        ("yellow", "#ffff00"),
        ("navy", "#000080"),
        ("teal", "#008080"),
        ("lightgray", "#d3d3d3"),
        ("darkgreen", "#006400"),
        ("crimson", "#dc143c"),
        ("gold", "#ffd700"),
        ("rebeccapurple", "#663399"),
        ("aliceblue", "#f0f8ff"),
        ("yellowgreen", "#9acd32"),
    ];
    for (name, expected) in cases {
        assert_eq!(hex(name), expected, "{name}");
    }
}

#[test]
fn hex_strings_grey_levels_and_none() {
    assert_eq!(hex("#1f77b4"), "#1f77b4");
    assert_eq!(hex("#1F77B4"), "#1f77b4");
    assert_eq!(hex("#abc"), "#aabbcc");
    assert_eq!(hex("#ff000080"), "#ff000080");
    assert!(close(
        parse_color("#ff000080").unwrap(),
        [1.0, 0.0, 0.0, 128.0 / 255.0],
        1e-6
    ));
    assert!(close(
        parse_color("#abc8").unwrap(),
        [0.666_666_7, 0.733_333_3, 0.8, 0.533_333_3],
        1e-6
    ));
    assert_eq!(parse_color("0.5").unwrap(), Rgba::rgb(0.5, 0.5, 0.5));
    assert_eq!(parse_color("0.25").unwrap().to_hex(), "#404040");
    assert_eq!(parse_color("1").unwrap(), Rgba::rgb(1.0, 1.0, 1.0));
    assert_eq!(parse_color(".75").unwrap(), Rgba::rgb(0.75, 0.75, 0.75));
    assert_eq!(parse_color("none").unwrap().a, 0.0);
}

#[test]
fn unknown_colours_are_errors_naming_the_value() {
    // Each of these is an error in matplotlib too.
    for bad in [
        "R",
        "c0",
        "C",
        "tab:black",
        "#12345",
        "#ggg",
        "1.5",
        "-0.5",
        "redd",
        "",
        "C1x",
    ] {
        let err = parse_color(bad).unwrap_err();
        assert!(err.contains(&format!("{bad:?}")), "{err}");
        assert!(
            err.contains("use a name like 'red', 'C1' or '#1f77b4'"),
            "{err}"
        );
    }
}

#[test]
fn viridis_matches_matplotlib() {
    // matplotlib 3.11: colormaps["viridis"](t).
    let cases = [
        (0.0, [0.267_004, 0.004_874, 0.329_415]),
        (0.1, [0.282_623, 0.140_926, 0.457_517]),
        (0.25, [0.229_739, 0.322_361, 0.545_706]),
        (0.5, [0.127_568, 0.566_949, 0.550_556]),
        (0.75, [0.369_214, 0.788_888, 0.382_914]),
        (0.9, [0.741_388, 0.873_449, 0.149_561]),
        (1.0, [0.993_248, 0.906_157, 0.143_936]),
    ];
    for (t, [r, g, b]) in cases {
        let c = viridis(t);
        assert!(close(c, [r, g, b, 1.0], 0.01), "viridis({t}) = {c:?}");
    }
    assert_eq!(viridis(0.0), Rgba::rgb(0.267_004, 0.004_874, 0.329_415));
    assert_eq!(viridis(1.0), Rgba::rgb(0.993_248, 0.906_157, 0.143_936));
    assert_eq!(viridis(-3.0), viridis(0.0));
    assert_eq!(viridis(7.0), viridis(1.0));
    assert_eq!(viridis(f32::NAN), viridis(0.0));
}

#[test]
fn coolwarm_matches_matplotlib() {
    let cases = [
        (0.0, [0.229_806, 0.298_718, 0.753_683]),
        (0.25, [0.554_312, 0.690_097, 0.995_516]),
        (0.5, [0.867_428, 0.864_377, 0.862_602]),
        (0.9, [0.839_365, 0.321_856, 0.264_924]),
    ];
    for (t, [r, g, b]) in cases {
        let c = coolwarm(t);
        assert!(close(c, [r, g, b, 1.0], 0.01), "coolwarm({t}) = {c:?}");
    }
}

#[test]
fn map_values_normalises_min_to_max() {
    let colors = map_values(&[2.0, 4.0, 3.0], "viridis").unwrap();
    assert_eq!(colors, vec![viridis(0.0), viridis(1.0), viridis(0.5)]);
    let colors = map_values(&[-1.0, 1.0], "coolwarm").unwrap();
    assert_eq!(colors, vec![coolwarm(0.0), coolwarm(1.0)]);
}

#[test]
fn map_values_gives_constant_input_the_middle_colour() {
    let colors = map_values(&[5.0, 5.0, 5.0], "viridis").unwrap();
    assert_eq!(colors, vec![viridis(0.5); 3]);
    assert_eq!(map_values(&[], "viridis").unwrap(), vec![]);
}

#[test]
fn map_values_makes_non_finite_values_transparent() {
    let colors = map_values(&[0.0, f32::NAN, 10.0, f32::INFINITY], "viridis").unwrap();
    assert_eq!(colors[0], viridis(0.0));
    assert_eq!(colors[1].a, 0.0);
    assert_eq!(colors[2], viridis(1.0));
    assert_eq!(colors[3].a, 0.0);
    // The extremes of f32 do not overflow the range.
    let colors = map_values(&[f32::MIN, 0.0, f32::MAX], "viridis").unwrap();
    assert!(close(
        colors[1],
        {
            let c = viridis(0.5);
            [c.r, c.g, c.b, 1.0]
        },
        1e-5
    ));
}

#[test]
fn map_values_tab10_indexes_labels_modulo_10() {
    let t = tab10();
    let colors = map_values(&[0.0, 1.0, 9.0, 10.0, 13.0, -1.0], "tab10").unwrap();
    assert_eq!(colors, vec![t[0], t[1], t[9], t[0], t[3], t[9]]);
    let err = map_values(&[0.0, 0.5], "tab10").unwrap_err();
    assert!(err.contains("0.5") && err.contains("whole-number"), "{err}");
}

#[test]
fn map_values_rejects_unknown_colormaps() {
    let err = map_values(&[1.0], "jet").unwrap_err();
    assert!(err.contains("\"jet\""), "{err}");
    assert!(err.contains("viridis, tab10, coolwarm"), "{err}");
}

#[test]
fn rgba_hex_rounds_and_clamps() {
    assert_eq!(Rgba::rgb(1.0, 0.0, 0.5).to_hex(), "#ff0080");
    assert_eq!(Rgba::new(0.0, 0.0, 0.0, 0.5).to_hex(), "#00000080");
    assert_eq!(Rgba::new(2.0, -1.0, f32::NAN, 1.0).to_hex(), "#ff0000");
    assert_eq!(Rgba::from_hex(0x1f77b4), tab10()[0]);
    assert_eq!(tab10()[1].with_alpha(0.0).to_hex(), "#ff7f0e00");
}

// ---- figures and axes ----

#[test]
fn figure_new_lays_out_panels_row_major() {
    let fig = Figure::new(2, 3, Some((8.0, 4.0)), true, false);
    assert_eq!((fig.width, fig.height), (8.0, 4.0));
    assert_eq!(fig.axes.len(), 6);
    let cells: Vec<(usize, usize)> = fig.axes.iter().map(|a| (a.row, a.col)).collect();
    assert_eq!(cells, [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]);
    assert!(fig.sharex && !fig.sharey);
    assert!(fig
        .axes
        .iter()
        .all(|a| a.marks.is_empty() && a.title.is_none()));
}

#[test]
fn figure_new_defaults_to_matplotlibs_size_and_at_least_one_panel() {
    let fig = Figure::new(1, 1, None, false, false);
    assert_eq!((fig.width, fig.height), (6.4, 4.8));
    let fig = Figure::new(0, 0, Some((-1.0, f32::NAN)), false, false);
    assert_eq!((fig.rows, fig.cols, fig.axes.len()), (1, 1, 1));
    assert_eq!((fig.width, fig.height), DEFAULT_FIGSIZE);
}

#[test]
fn axes_at_finds_panels_inside_the_grid_only() {
    let mut fig = Figure::new(2, 2, None, false, false);
    fig.axes_at(1, 0).unwrap().title = Some("here".into());
    assert_eq!(fig.axes[2].title.as_deref(), Some("here"));
    assert!(fig.axes_at(2, 0).is_none());
    assert!(fig.axes_at(0, 2).is_none());
}

#[test]
fn next_color_walks_the_tab10_cycle() {
    let mut axes = Axes::new(0, 0);
    let got: Vec<Rgba> = (0..12).map(|_| axes.next_color()).collect();
    let t = tab10();
    assert_eq!(got[..10], t[..]);
    assert_eq!(got[10], t[0]);
    assert_eq!(got[11], t[1]);
    assert_eq!(axes.color_cycle, 12);
}

// ---- describe ----

/// The lab's "True data" vs "Generated data" figure.
fn lab_figure() -> Figure {
    let mut fig = Figure::new(1, 2, Some((8.0, 4.0)), true, true);
    fig.axes[0].title = Some("True data".into());
    fig.axes[0].marks.push(scatter(256, tab10()[0]));
    fig.axes[1].title = Some("Generated data".into());
    fig.axes[1].marks.push(scatter(300, tab10()[1]));
    fig
}

#[test]
fn describe_lists_panels_titles_and_point_counts() {
    assert_eq!(
        lab_figure().describe(),
        "figure 1x2 (8 x 4 in, sharex, sharey): [0,0] \"True data\": scatter 256 pts; \
         [0,1] \"Generated data\": scatter 300 pts"
    );
}

#[test]
fn describe_shows_limits_settings_labels_and_every_mark_kind() {
    let mut fig = Figure::new(2, 1, None, false, false);
    fig.suptitle = Some("Flow".into());
    let a = &mut fig.axes[0];
    a.xlim = Some((-3.0, 3.0));
    a.ylim = Some((-2.5, 0.5));
    a.aspect_equal = true;
    a.legend = true;
    a.xlabel = Some("x".into());
    a.marks.push(Mark::Line {
        x: vec![0.0, 1.0],
        y: vec![1.0, 2.0],
        color: tab10()[0],
        width: DEFAULT_LINE_WIDTH,
        dashed: true,
        alpha: 1.0,
        label: Some("fit".into()),
        marker: false,
    });
    a.marks.push(Mark::Scatter {
        x: vec![1.0],
        y: vec![1.0],
        size: vec![DEFAULT_MARKER_AREA],
        color: Paint::PerPoint(vec![tab10()[3]]),
        alpha: 0.5,
        label: None,
    });
    a.marks.push(Mark::Quiver {
        x: vec![0.0; 4],
        y: vec![0.0; 4],
        u: vec![1.0; 4],
        v: vec![0.0; 4],
        color: Rgba::rgb(0.0, 0.0, 0.0),
        alpha: 1.0,
    });
    a.marks.push(Mark::Heatmap {
        x_range: (0.0, 1.0),
        y_range: (0.0, 1.0),
        nx: 3,
        ny: 2,
        values: vec![0.0; 6],
        colors: vec![viridis(0.0); 6],
    });
    assert_eq!(
        fig.describe(),
        "figure 2x1 (6.4 x 4.8 in) \"Flow\": [0,0]: dashed line 2 pts \"fit\", \
         scatter 1 pt (coloured per point), quiver 4 arrows, heatmap 3x2, xlim (-3, 3), \
         ylim (-2.5, 0.5), aspect equal, legend, xlabel \"x\"; [1,0]: empty"
    );
}

#[test]
fn describe_is_one_line_without_trailing_spaces() {
    let mut fig = lab_figure();
    fig.axes[0].title = Some("two\nlines \"quoted\" ".into());
    let text = fig.describe();
    assert!(!text.contains('\n'), "{text}");
    assert_eq!(text, text.trim_end());
    assert!(text.contains(r#"[0,0] "two\nlines \"quoted\" ": scatter 256 pts"#));
    assert_eq!(text, fig.describe());
}

#[test]
fn describe_prints_the_lab_time_panels() {
    let mut fig = Figure::new(1, 2, Some((16.0, 2.5)), true, true);
    for (k, a) in fig.axes.iter_mut().enumerate() {
        a.title = Some(format!("t = {:.2}", k as f32));
        a.aspect_equal = true;
        a.xlim = Some((-3.0, 3.0));
        a.ylim = Some((-3.0, 3.0));
        a.marks.push(scatter(1000, tab10()[0]));
    }
    assert_eq!(
        fig.describe(),
        "figure 1x2 (16 x 2.5 in, sharex, sharey): [0,0] \"t = 0.00\": scatter 1000 pts, \
         xlim (-3, 3), ylim (-3, 3), aspect equal; [0,1] \"t = 1.00\": scatter 1000 pts, \
         xlim (-3, 3), ylim (-3, 3), aspect equal"
    );
}

// ---- serialization ----

#[test]
fn figure_serializes_in_camel_case_with_css_colours() {
    let mut fig = Figure::new(1, 2, Some((8.0, 4.0)), true, true);
    fig.axes[0].title = Some("True data".into());
    fig.axes[0].xlim = Some((-3.0, 3.0));
    fig.axes[0].marks.push(Mark::Scatter {
        x: vec![0.5],
        y: vec![1.0],
        size: vec![10.0],
        color: Paint::One(tab10()[0]),
        alpha: 0.5,
        label: Some("data".into()),
    });
    let value = serde_json::to_value(&fig).unwrap();
    assert_eq!(
        value,
        json!({
            "width": 8.0, "height": 4.0, "rows": 1, "cols": 2, "sharex": true, "sharey": true,
            "suptitle": null,
            "axes": [
                {
                    "row": 0, "col": 0, "title": "True data", "xlim": [-3.0, 3.0], "ylim": null,
                    "aspectEqual": false, "legend": false, "xlabel": null, "ylabel": null,
                    "colorCycle": 0,
                    "marks": [{
                        "kind": "scatter", "x": [0.5], "y": [1.0], "size": [10.0],
                        "color": "#1f77b4", "alpha": 0.5, "label": "data"
                    }]
                },
                {
                    "row": 0, "col": 1, "title": null, "xlim": null, "ylim": null,
                    "aspectEqual": false, "legend": false, "xlabel": null, "ylabel": null,
                    "colorCycle": 0, "marks": []
                }
            ]
        })
    );
}

#[test]
fn marks_serialize_tagged_by_kind() {
    let line = Mark::Line {
        x: vec![0.0, 1.0],
        y: vec![0.0, 1.0],
        color: Rgba::rgb(1.0, 0.0, 0.0).with_alpha(0.5),
        width: 1.5,
        dashed: true,
        alpha: 1.0,
        label: None,
        marker: true,
    };
    assert_eq!(
        serde_json::to_value(&line).unwrap(),
        json!({"kind": "line", "x": [0.0, 1.0], "y": [0.0, 1.0], "color": "#ff000080",
               "width": 1.5, "dashed": true, "alpha": 1.0, "label": null, "marker": true})
    );
    let per_point = Mark::Scatter {
        x: vec![0.0, 1.0],
        y: vec![0.0, 1.0],
        size: vec![36.0, 9.0],
        color: Paint::PerPoint(vec![tab10()[0], tab10()[1]]),
        alpha: 1.0,
        label: None,
    };
    let value = serde_json::to_value(&per_point).unwrap();
    assert_eq!(value["color"], json!(["#1f77b4", "#ff7f0e"]));
    assert_eq!(value["size"], json!([36.0, 9.0]));
    let quiver = Mark::Quiver {
        x: vec![0.0],
        y: vec![0.0],
        u: vec![1.0],
        v: vec![-1.0],
        color: Rgba::rgb(0.0, 0.0, 0.0),
        alpha: 1.0,
    };
    assert_eq!(
        serde_json::to_value(&quiver).unwrap(),
        json!({"kind": "quiver", "x": [0.0], "y": [0.0], "u": [1.0], "v": [-1.0],
               "color": "#000000", "alpha": 1.0})
    );
    let heatmap = Mark::Heatmap {
        x_range: (-1.0, 1.0),
        y_range: (0.0, 2.0),
        nx: 2,
        ny: 1,
        values: vec![0.0, 1.0],
        colors: map_values(&[0.0, 1.0], "viridis").unwrap(),
    };
    assert_eq!(
        serde_json::to_value(&heatmap).unwrap(),
        json!({"kind": "heatmap", "xRange": [-1.0, 1.0], "yRange": [0.0, 2.0], "nx": 2, "ny": 1,
               "values": [0.0, 1.0], "colors": ["#440154", "#fde725"]})
    );
    for (mark, kind) in [
        (&line, "line"),
        (&per_point, "scatter"),
        (&quiver, "quiver"),
    ] {
        assert_eq!(mark.kind(), kind);
        assert_eq!(serde_json::to_value(mark).unwrap()["kind"], kind);
    }
}

#[test]
fn bars_and_vlines_serialize_and_describe() {
    let bars = Mark::Bars {
        edges: vec![0.0, 0.5, 1.0],
        heights: vec![0.25, 1.5],
        color: tab10()[0],
        alpha: 0.5,
        label: Some("samples".into()),
    };
    assert_eq!(
        serde_json::to_value(&bars).unwrap(),
        json!({"kind": "bars", "edges": [0.0, 0.5, 1.0], "heights": [0.25, 1.5],
               "color": "#1f77b4", "alpha": 0.5, "label": "samples"})
    );
    let vline = Mark::Vline {
        x: 0.25,
        color: tab10()[3],
        width: 1.5,
        dashed: true,
        alpha: 1.0,
        label: None,
    };
    assert_eq!(
        serde_json::to_value(&vline).unwrap(),
        json!({"kind": "vline", "x": 0.25, "color": "#d62728", "width": 1.5, "dashed": true,
               "alpha": 1.0, "label": null})
    );
    assert_eq!((bars.kind(), vline.kind()), ("bars", "vline"));
    let mut fig = Figure::new(1, 1, None, false, false);
    fig.axes[0].marks = vec![bars, vline];
    assert_eq!(
        fig.describe(),
        "figure 1x1 (6.4 x 4.8 in): [0,0]: bars 2 bins \"samples\", dashed vline at 0.25"
    );
}
