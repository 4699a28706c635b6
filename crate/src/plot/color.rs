//! Colours as matplotlib names them, and the colormaps the lab language offers.

use super::Rgba;

/// The colormaps [`map_values`] knows, by matplotlib's names.
pub const COLORMAPS: [&str; 3] = ["viridis", "tab10", "coolwarm"];

/// matplotlib's `tab10` colours, `C0`..`C9` of the default property cycle.
const TAB10_HEX: [u32; 10] = [
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22,
    0x17becf,
];

/// `tab:` names, in `tab10` order.
const TAB_NAMES: [&str; 10] = [
    "blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan",
];

/// matplotlib's single-letter colours (`BASE_COLORS`).
const BASE_COLORS: [(char, [f32; 3]); 8] = [
    ('b', [0.0, 0.0, 1.0]),
    ('g', [0.0, 0.5, 0.0]),
    ('r', [1.0, 0.0, 0.0]),
    ('c', [0.0, 0.75, 0.75]),
    ('m', [0.75, 0.0, 0.75]),
    ('y', [0.75, 0.75, 0.0]),
    ('k', [0.0, 0.0, 0.0]),
    ('w', [1.0, 1.0, 1.0]),
];

/// matplotlib's `CSS4_COLORS`: the 148 CSS colour names, sorted (binary searched).
const CSS4_COLORS: [(&str, u32); 148] = [
    ("aliceblue", 0xf0f8ff),
    ("antiquewhite", 0xfaebd7),
    ("aqua", 0x00ffff),
    ("aquamarine", 0x7fffd4),
    ("azure", 0xf0ffff),
    ("beige", 0xf5f5dc),
    ("bisque", 0xffe4c4),
    ("black", 0x000000),
    ("blanchedalmond", 0xffebcd),
    ("blue", 0x0000ff),
    ("blueviolet", 0x8a2be2),
    ("brown", 0xa52a2a),
    ("burlywood", 0xdeb887),
    ("cadetblue", 0x5f9ea0),
    ("chartreuse", 0x7fff00),
    ("chocolate", 0xd2691e),
    ("coral", 0xff7f50),
    ("cornflowerblue", 0x6495ed),
    ("cornsilk", 0xfff8dc),
    ("crimson", 0xdc143c),
    ("cyan", 0x00ffff),
    ("darkblue", 0x00008b),
    ("darkcyan", 0x008b8b),
    ("darkgoldenrod", 0xb8860b),
    ("darkgray", 0xa9a9a9),
    ("darkgreen", 0x006400),
    ("darkgrey", 0xa9a9a9),
    ("darkkhaki", 0xbdb76b),
    ("darkmagenta", 0x8b008b),
    ("darkolivegreen", 0x556b2f),
    ("darkorange", 0xff8c00),
    ("darkorchid", 0x9932cc),
    ("darkred", 0x8b0000),
    ("darksalmon", 0xe9967a),
    ("darkseagreen", 0x8fbc8f),
    ("darkslateblue", 0x483d8b),
    ("darkslategray", 0x2f4f4f),
    ("darkslategrey", 0x2f4f4f),
    ("darkturquoise", 0x00ced1),
    ("darkviolet", 0x9400d3),
    ("deeppink", 0xff1493),
    ("deepskyblue", 0x00bfff),
    ("dimgray", 0x696969),
    ("dimgrey", 0x696969),
    ("dodgerblue", 0x1e90ff),
    ("firebrick", 0xb22222),
    ("floralwhite", 0xfffaf0),
    ("forestgreen", 0x228b22),
    ("fuchsia", 0xff00ff),
    ("gainsboro", 0xdcdcdc),
    ("ghostwhite", 0xf8f8ff),
    ("gold", 0xffd700),
    ("goldenrod", 0xdaa520),
    ("gray", 0x808080),
    ("green", 0x008000),
    ("greenyellow", 0xadff2f),
    ("grey", 0x808080),
    ("honeydew", 0xf0fff0),
    ("hotpink", 0xff69b4),
    ("indianred", 0xcd5c5c),
    ("indigo", 0x4b0082),
    ("ivory", 0xfffff0),
    ("khaki", 0xf0e68c),
    ("lavender", 0xe6e6fa),
    ("lavenderblush", 0xfff0f5),
    ("lawngreen", 0x7cfc00),
    ("lemonchiffon", 0xfffacd),
    ("lightblue", 0xadd8e6),
    ("lightcoral", 0xf08080),
    ("lightcyan", 0xe0ffff),
    ("lightgoldenrodyellow", 0xfafad2),
    ("lightgray", 0xd3d3d3),
    ("lightgreen", 0x90ee90),
    ("lightgrey", 0xd3d3d3),
    ("lightpink", 0xffb6c1),
    ("lightsalmon", 0xffa07a),
    ("lightseagreen", 0x20b2aa),
    ("lightskyblue", 0x87cefa),
    ("lightslategray", 0x778899),
    ("lightslategrey", 0x778899),
    ("lightsteelblue", 0xb0c4de),
    ("lightyellow", 0xffffe0),
    ("lime", 0x00ff00),
    ("limegreen", 0x32cd32),
    ("linen", 0xfaf0e6),
    ("magenta", 0xff00ff),
    ("maroon", 0x800000),
    ("mediumaquamarine", 0x66cdaa),
    ("mediumblue", 0x0000cd),
    ("mediumorchid", 0xba55d3),
    ("mediumpurple", 0x9370db),
    ("mediumseagreen", 0x3cb371),
    ("mediumslateblue", 0x7b68ee),
    ("mediumspringgreen", 0x00fa9a),
    ("mediumturquoise", 0x48d1cc),
    ("mediumvioletred", 0xc71585),
    ("midnightblue", 0x191970),
    ("mintcream", 0xf5fffa),
    ("mistyrose", 0xffe4e1),
    ("moccasin", 0xffe4b5),
    ("navajowhite", 0xffdead),
    ("navy", 0x000080),
    ("oldlace", 0xfdf5e6),
    ("olive", 0x808000),
    ("olivedrab", 0x6b8e23),
    ("orange", 0xffa500),
    ("orangered", 0xff4500),
    ("orchid", 0xda70d6),
    ("palegoldenrod", 0xeee8aa),
    ("palegreen", 0x98fb98),
    ("paleturquoise", 0xafeeee),
    ("palevioletred", 0xdb7093),
    ("papayawhip", 0xffefd5),
    ("peachpuff", 0xffdab9),
    ("peru", 0xcd853f),
    ("pink", 0xffc0cb),
    ("plum", 0xdda0dd),
    ("powderblue", 0xb0e0e6),
    ("purple", 0x800080),
    ("rebeccapurple", 0x663399),
    ("red", 0xff0000),
    ("rosybrown", 0xbc8f8f),
    ("royalblue", 0x4169e1),
    ("saddlebrown", 0x8b4513),
    ("salmon", 0xfa8072),
    ("sandybrown", 0xf4a460),
    ("seagreen", 0x2e8b57),
    ("seashell", 0xfff5ee),
    ("sienna", 0xa0522d),
    ("silver", 0xc0c0c0),
    ("skyblue", 0x87ceeb),
    ("slateblue", 0x6a5acd),
    ("slategray", 0x708090),
    ("slategrey", 0x708090),
    ("snow", 0xfffafa),
    ("springgreen", 0x00ff7f),
    ("steelblue", 0x4682b4),
    ("tan", 0xd2b48c),
    ("teal", 0x008080),
    ("thistle", 0xd8bfd8),
    ("tomato", 0xff6347),
    ("turquoise", 0x40e0d0),
    ("violet", 0xee82ee),
    ("wheat", 0xf5deb3),
    ("white", 0xffffff),
    ("whitesmoke", 0xf5f5f5),
    ("yellow", 0xffff00),
    ("yellowgreen", 0x9acd32),
];

/// matplotlib's `viridis` at entries 0, 8, .., 248 and 255 of its 256, interpolated linearly
/// in between (within 0.007 of every entry).
const VIRIDIS: [[f32; 3]; 33] = [
    [0.267004, 0.004874, 0.329415], // 0
    [0.277018, 0.050344, 0.375715], // 8
    [0.282327, 0.094955, 0.417331], // 16
    [0.282884, 0.135920, 0.453427], // 24
    [0.278826, 0.175490, 0.483397], // 32
    [0.270595, 0.214069, 0.507052], // 40
    [0.258965, 0.251537, 0.524736], // 48
    [0.244972, 0.287675, 0.537260], // 56
    [0.229739, 0.322361, 0.545706], // 64
    [0.214298, 0.355619, 0.551184], // 72
    [0.199430, 0.387607, 0.554642], // 80
    [0.185556, 0.418570, 0.556753], // 88
    [0.172719, 0.448791, 0.557885], // 96
    [0.160665, 0.478540, 0.558115], // 104
    [0.149039, 0.508051, 0.557250], // 112
    [0.137770, 0.537492, 0.554906], // 120
    [0.127568, 0.566949, 0.550556], // 128
    [0.120565, 0.596422, 0.543611], // 136
    [0.120638, 0.625828, 0.533488], // 144
    [0.132268, 0.655014, 0.519661], // 152
    [0.157851, 0.683765, 0.501686], // 160
    [0.196571, 0.711827, 0.479221], // 168
    [0.246070, 0.738910, 0.452024], // 176
    [0.304148, 0.764704, 0.419943], // 184
    [0.369214, 0.788888, 0.382914], // 192
    [0.440137, 0.811138, 0.340967], // 200
    [0.515992, 0.831158, 0.294279], // 208
    [0.595839, 0.848717, 0.243329], // 216
    [0.678489, 0.863742, 0.189503], // 224
    [0.762373, 0.876424, 0.137064], // 232
    [0.845561, 0.887322, 0.099702], // 240
    [0.926106, 0.897330, 0.104071], // 248
    [0.993248, 0.906157, 0.143936], // 255
];

/// matplotlib's `coolwarm` at the same 33 of its 256 entries.
const COOLWARM: [[f32; 3]; 33] = [
    [0.229806, 0.298718, 0.753683], // 0
    [0.266381, 0.353304, 0.801637], // 8
    [0.304174, 0.406945, 0.845263], // 16
    [0.343278, 0.459354, 0.884122], // 24
    [0.383662, 0.510183, 0.917831], // 32
    [0.425199, 0.559058, 0.946061], // 40
    [0.467678, 0.605591, 0.968546], // 48
    [0.510824, 0.649397, 0.985079], // 56
    [0.554312, 0.690097, 0.995516], // 64
    [0.597777, 0.727330, 0.999777], // 72
    [0.640828, 0.760752, 0.997846], // 80
    [0.683056, 0.790043, 0.989768], // 88
    [0.724041, 0.814910, 0.975651], // 96
    [0.763363, 0.835092, 0.955658], // 104
    [0.800601, 0.850358, 0.930008], // 112
    [0.835345, 0.860514, 0.898970], // 120
    [0.867428, 0.864377, 0.862602], // 128
    [0.899543, 0.847500, 0.817789], // 136
    [0.925563, 0.825517, 0.771136], // 144
    [0.945540, 0.798606, 0.723105], // 152
    [0.959518, 0.766973, 0.674145], // 160
    [0.967544, 0.730850, 0.624685], // 168
    [0.969683, 0.690484, 0.575138], // 176
    [0.966017, 0.646130, 0.525890], // 184
    [0.956653, 0.598034, 0.477302], // 192
    [0.941728, 0.546413, 0.429707], // 200
    [0.921406, 0.491420, 0.383408], // 208
    [0.895885, 0.433075, 0.338681], // 216
    [0.865391, 0.371128, 0.295769], // 224
    [0.830187, 0.304733, 0.254891], // 232
    [0.790562, 0.231397, 0.216242], // 240
    [0.746838, 0.140021, 0.179996], // 248
    [0.705673, 0.015556, 0.150233], // 255
];

/// matplotlib's ten `tab10` colours (`C0` = `#1f77b4` .. `C9` = `#17becf`).
pub fn tab10() -> [Rgba; 10] {
    TAB10_HEX.map(Rgba::from_hex)
}

/// Reads a colour as matplotlib's `to_rgba` does for strings:
///
/// - single letters `b g r c m y k w` (case matters, as in matplotlib);
/// - `C0`, `C1`, .. : the default colour cycle (tab10), `C10` being `C0` again;
/// - `tab:blue` .. `tab:cyan` (also `tab:grey`), and the 148 CSS4 names (`red`, `navy`,
///   `grey` and `gray`, ...), in any case;
/// - `#rrggbb`, `#rrggbbaa`, `#rgb`, `#rgba`;
/// - a grey level between `0` and `1` as a string (`"0.5"`);
/// - `none`: fully transparent.
///
/// Anything else is an error that names the value and shows what to write instead.
pub fn parse_color(s: &str) -> Result<Rgba, String> {
    if let Some(c) = lookup(s) {
        return Ok(c);
    }
    Err(format!(
        "{s:?} is not a colour matplotlib knows; use a name like 'red', 'C1' or '#1f77b4', \
         or a grey level like '0.5'"
    ))
}

fn lookup(s: &str) -> Option<Rgba> {
    let mut chars = s.chars();
    if let (Some(letter), None) = (chars.next(), chars.next()) {
        if let Some((_, [r, g, b])) = BASE_COLORS.iter().find(|(c, _)| *c == letter) {
            return Some(Rgba::rgb(*r, *g, *b));
        }
    }
    if let Some(n) = s.strip_prefix('C') {
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            // Any number of digits: the index only matters modulo 10.
            let index = n
                .bytes()
                .fold(0usize, |acc, b| (acc * 10 + usize::from(b - b'0')) % 10);
            return Some(tab10()[index]);
        }
    }
    if let Some(hex) = s.strip_prefix('#') {
        return parse_hex(hex);
    }
    let lower = s.to_ascii_lowercase();
    if lower == "none" {
        return Some(Rgba::new(0.0, 0.0, 0.0, 0.0));
    }
    if let Some(name) = lower.strip_prefix("tab:") {
        let name = if name == "grey" { "gray" } else { name };
        let index = TAB_NAMES.iter().position(|&n| n == name)?;
        return Some(tab10()[index]);
    }
    if let Ok(i) = CSS4_COLORS.binary_search_by(|(n, _)| (*n).cmp(lower.as_str())) {
        return Some(Rgba::from_hex(CSS4_COLORS[i].1));
    }
    grey_level(s)
}

/// `rrggbb`, `rrggbbaa`, `rgb` or `rgba` (hex digits, any case).
fn parse_hex(hex: &str) -> Option<Rgba> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u32::from_str_radix(&hex[i..i + 1], 16).ok();
    let channels: Vec<f32> = match hex.len() {
        6 | 8 => (0..hex.len() / 2)
            .map(|k| Some((digit(2 * k)? * 16 + digit(2 * k + 1)?) as f32 / 255.0))
            .collect::<Option<_>>()?,
        // "#abc" is "#aabbcc".
        3 | 4 => (0..hex.len())
            .map(|k| Some(digit(k)? as f32 * 17.0 / 255.0))
            .collect::<Option<_>>()?,
        _ => return None,
    };
    let a = channels.get(3).copied().unwrap_or(1.0);
    Some(Rgba::new(channels[0], channels[1], channels[2], a))
}

/// A grey level written as a number in [0, 1], such as `"0.5"` or `".75"`.
fn grey_level(s: &str) -> Option<Rgba> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let v: f32 = t.parse().ok()?;
    (0.0..=1.0).contains(&v).then_some(Rgba::rgb(v, v, v))
}

/// matplotlib's `viridis` at `t` in [0, 1] (clamped; NaN reads as 0).
pub fn viridis(t: f32) -> Rgba {
    interpolate(&VIRIDIS, t)
}

/// matplotlib's `coolwarm` at `t` in [0, 1] (clamped; NaN reads as 0).
pub fn coolwarm(t: f32) -> Rgba {
    interpolate(&COOLWARM, t)
}

fn interpolate(table: &[[f32; 3]], t: f32) -> Rgba {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let last = table.len() - 1;
    // Anchor k sits at entry 8k of matplotlib's 256, the last anchor at entry 255.
    let entry = t * 255.0;
    let k = ((entry / 8.0) as usize).min(last - 1);
    let (e0, e1) = (
        (8 * k) as f32,
        if k + 1 == last {
            255.0
        } else {
            (8 * (k + 1)) as f32
        },
    );
    let f = ((entry - e0) / (e1 - e0)).clamp(0.0, 1.0);
    let [r0, g0, b0] = table[k];
    let [r1, g1, b1] = table[k + 1];
    Rgba::rgb(r0 + f * (r1 - r0), g0 + f * (g1 - g0), b0 + f * (b1 - b0))
}

/// Colours for values through a colormap, as `scatter(x, y, c=values, cmap=...)` colours them.
///
/// - `viridis`, `coolwarm`: values are normalised from their minimum to their maximum (0..1),
///   as matplotlib's default `Normalize` does; when all are equal every point gets the middle
///   colour.
/// - `tab10`: values are class labels; label `k` gets colour `Ck`, modulo 10 (negative labels
///   count from the end). They must be whole numbers.
///
/// Non-finite values (NaN, infinities) get a transparent colour, as matplotlib's "bad" colour,
/// and are left out of the minimum and maximum. Unknown colormap names, and fractional values
/// for `tab10`, are errors naming the value.
pub fn map_values(values: &[f32], cmap: &str) -> Result<Vec<Rgba>, String> {
    let bad = Rgba::new(0.0, 0.0, 0.0, 0.0);
    let ramp: fn(f32) -> Rgba = match cmap {
        "viridis" => viridis,
        "coolwarm" => coolwarm,
        "tab10" => {
            let colors = tab10();
            return values
                .iter()
                .map(|&v| {
                    if !v.is_finite() {
                        Ok(bad)
                    } else if v.fract() != 0.0 {
                        Err(format!(
                            "the tab10 colormap colours whole-number labels, but got {v}; \
                             use cmap='viridis' for continuous values"
                        ))
                    } else {
                        Ok(colors[(v as i64).rem_euclid(10) as usize])
                    }
                })
                .collect();
        }
        _ => {
            return Err(format!(
                "unknown colormap {cmap:?}; the colormaps are {}",
                COLORMAPS.join(", ")
            ))
        }
    };
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    // In f64: max - min of two finite f32 can overflow f32.
    let span = f64::from(hi) - f64::from(lo);
    Ok(values
        .iter()
        .map(|&v| {
            if !v.is_finite() {
                bad
            } else if span > 0.0 {
                ramp(((f64::from(v) - f64::from(lo)) / span) as f32)
            } else {
                ramp(0.5)
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css4_table_is_sorted_for_binary_search_and_every_name_parses() {
        assert!(CSS4_COLORS.windows(2).all(|w| w[0].0 < w[1].0));
        for (name, rgb) in CSS4_COLORS {
            assert_eq!(parse_color(name), Ok(Rgba::from_hex(rgb)), "{name}");
            assert_eq!(
                parse_color(&name.to_ascii_uppercase()),
                Ok(Rgba::from_hex(rgb))
            );
        }
    }

    #[test]
    fn colormap_anchors_sit_at_their_entries() {
        for (k, [r, g, b]) in VIRIDIS.iter().enumerate() {
            let entry = if k == VIRIDIS.len() - 1 { 255 } else { 8 * k };
            assert_eq!(
                viridis(entry as f32 / 255.0),
                Rgba::rgb(*r, *g, *b),
                "entry {entry}"
            );
        }
    }
}
