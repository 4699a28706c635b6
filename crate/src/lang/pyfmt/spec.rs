//! Python's format-spec mini-language for `int`, `float` and `str`, ported from CPython 3.11's
//! `Python/formatter_unicode.c` (C locale), error messages included.

use super::float::{double_to_string, float_repr, Flags};

/// Widths and precisions above this are refused rather than allocated (Python would try).
const MAX_FIELD: usize = 1_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Grouping {
    None,
    Comma,
    Underscore,
    /// `_` with `b o x X`: every four digits.
    UnderFour,
}

/// A parsed spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
struct Spec {
    fill: char,
    align: char,
    sign: Option<char>,
    no_neg_0: bool,
    alt: bool,
    width: Option<usize>,
    grouping: Grouping,
    precision: Option<usize>,
    /// `None` for a float without a type.
    ty: Option<char>,
}

/// `parse_internal_render_format_spec`.
fn parse(
    spec: &str,
    default_type: Option<char>,
    default_align: char,
    type_name: &str,
) -> Result<Spec, String> {
    let c: Vec<char> = spec.chars().collect();
    let is_align = |ch: char| matches!(ch, '<' | '>' | '=' | '^');
    let mut s = Spec {
        fill: ' ',
        align: default_align,
        sign: None,
        no_neg_0: false,
        alt: false,
        width: None,
        grouping: Grouping::None,
        precision: None,
        ty: default_type,
    };
    let mut pos = 0;
    let mut align_specified = false;
    let mut fill_specified = false;
    if c.len() >= 2 && is_align(c[1]) {
        s.fill = c[0];
        s.align = c[1];
        fill_specified = true;
        align_specified = true;
        pos = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        s.align = c[0];
        align_specified = true;
        pos = 1;
    }
    if let Some(&ch @ ('+' | '-' | ' ')) = c.get(pos) {
        s.sign = Some(ch);
        pos += 1;
    }
    if c.get(pos) == Some(&'z') {
        s.no_neg_0 = true;
        pos += 1;
    }
    if c.get(pos) == Some(&'#') {
        s.alt = true;
        pos += 1;
    }
    if !fill_specified && c.get(pos) == Some(&'0') {
        s.fill = '0';
        if !align_specified && default_align == '>' {
            s.align = '=';
        }
        pos += 1;
    }
    s.width = integer(&c, &mut pos)?;
    if c.get(pos) == Some(&',') {
        s.grouping = Grouping::Comma;
        pos += 1;
    }
    if c.get(pos) == Some(&'_') {
        if s.grouping != Grouping::None {
            return Err("Cannot specify both ',' and '_'.".into());
        }
        s.grouping = Grouping::Underscore;
        pos += 1;
    }
    if c.get(pos) == Some(&',') && s.grouping == Grouping::Underscore {
        return Err("Cannot specify both ',' and '_'.".into());
    }
    if c.get(pos) == Some(&'.') {
        pos += 1;
        s.precision = integer(&c, &mut pos)?;
        if s.precision.is_none() {
            return Err("Format specifier missing precision".into());
        }
    }
    if c.len() - pos > 1 {
        return Err(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        ));
    }
    if let Some(&ch) = c.get(pos) {
        s.ty = Some(ch);
    }
    if s.grouping != Grouping::None {
        let sep = if s.grouping == Grouping::Comma {
            ','
        } else {
            '_'
        };
        match s.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => {}
            Some('b' | 'o' | 'x' | 'X') if sep == '_' => s.grouping = Grouping::UnderFour,
            Some(t) => return Err(format!("Cannot specify '{sep}' with {}.", quoted_code(t))),
        }
    }
    Ok(s)
}

/// `get_integer`: ASCII digits at `pos`, `None` when there are none.
fn integer(c: &[char], pos: &mut usize) -> Result<Option<usize>, String> {
    let mut value: Option<usize> = None;
    while let Some(d) = c.get(*pos).and_then(|ch| ch.to_digit(10)) {
        let v = value
            .unwrap_or(0)
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as usize));
        match v {
            Some(v) if v <= i64::MAX as usize => value = Some(v),
            _ => return Err("Too many decimal digits in format string".into()),
        }
        *pos += 1;
    }
    match value {
        Some(v) if v > MAX_FIELD => Err(format!("format field too large (over {MAX_FIELD})")),
        _ => Ok(value),
    }
}

/// A type code as Python quotes it in messages: `'x'`, or `'\x1'` outside printable ASCII.
fn quoted_code(t: char) -> String {
    if (t as u32) > 32 && (t as u32) < 128 {
        format!("'{t}'")
    } else {
        format!("'\\x{:x}'", t as u32)
    }
}

fn unknown(t: char, type_name: &str) -> String {
    format!(
        "Unknown format code {} for object of type '{type_name}'",
        quoted_code(t)
    )
}

/// Python's `format(v, spec)` for an int.
pub fn format_int(v: i64, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return Ok(v.to_string());
    }
    let s = parse(spec, Some('d'), '>', "int")?;
    let ty = s.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return float_body(v as f64, &s),
        _ => return Err(unknown(ty, "int")),
    }
    if s.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".into());
    }
    if s.no_neg_0 {
        return Err("Negative zero coercion (z) not allowed in integer format specifier".into());
    }
    if ty == 'c' {
        if s.sign.is_some() {
            return Err("Sign not allowed with integer format specifier 'c'".into());
        }
        if s.alt {
            return Err("Alternate form (#) not allowed with integer format specifier 'c'".into());
        }
        if !(0..=0x10ffff).contains(&v) {
            return Err("%c arg not in range(0x110000)".into());
        }
        // A lone surrogate is a Python str but not a Rust char.
        let ch = char::from_u32(v as u32).unwrap_or('\u{fffd}');
        return Ok(number(&s, false, "", &ch.to_string(), 0, ""));
    }
    let m = v.unsigned_abs();
    let (prefix, digits) = match ty {
        'b' => ("0b", format!("{m:b}")),
        'o' => ("0o", format!("{m:o}")),
        'x' => ("0x", format!("{m:x}")),
        'X' => ("0X", format!("{m:X}")),
        _ => ("", m.to_string()),
    };
    let prefix = if s.alt { prefix } else { "" };
    let n = digits.len();
    Ok(number(&s, v < 0, prefix, &digits, n, ""))
}

/// Python's `format(v, spec)` for a float.
pub fn format_float(v: f64, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return Ok(float_repr(v));
    }
    let s = parse(spec, None, '>', "float")?;
    match s.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => float_body(v, &s),
        Some(t) => Err(unknown(t, "float")),
    }
}

/// `format_float_internal`.
fn float_body(v: f64, s: &Spec) -> Result<String, String> {
    if s.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err("precision too big".into());
    }
    let mut flags = Flags {
        add_dot_0: false,
        alt: s.alt,
        no_neg_0: s.no_neg_0,
    };
    let (mut code, mut v, mut pct) = (s.ty.unwrap_or('r'), v, false);
    let mut default_precision = 6;
    if s.ty.is_none() {
        flags.add_dot_0 = true;
        default_precision = 0;
    }
    if code == 'n' {
        code = 'g';
    }
    if code == '%' {
        code = 'f';
        v *= 100.0;
        pct = true;
    }
    let precision = match s.precision {
        None => default_precision,
        Some(p) => {
            if code == 'r' {
                code = 'g';
            }
            p
        }
    };
    let text = double_to_string(v, code, precision, flags);
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    // parse_number: leading digits are grouped, the rest (point, fraction, exponent) is not.
    let n_digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &body[n_digits..];
    let (point, rest) = match rest.strip_prefix('.') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let mut remainder = String::new();
    if point {
        remainder.push('.');
    }
    remainder.push_str(rest);
    if pct {
        remainder.push('%');
    }
    Ok(number(s, neg, "", &body[..n_digits], n_digits, &remainder))
}

/// `calc_number_widths` + `fill_number`: `digits` (its first `n_digits` chars get grouped and
/// zero-padded) after sign and prefix, then `remainder` (point, fraction, exponent, `%`).
fn number(
    s: &Spec,
    neg: bool,
    prefix: &str,
    digits: &str,
    n_digits: usize,
    remainder: &str,
) -> String {
    let sign = match (s.sign, neg) {
        (_, true) => "-",
        (Some('+'), false) => "+",
        (Some(' '), false) => " ",
        _ => "",
    };
    let width = s.width.map_or(-1, |w| w as i64);
    let fixed = (sign.len() + prefix.len() + remainder.chars().count()) as i64;
    let min_width = if s.fill == '0' && s.align == '=' {
        width - fixed
    } else {
        0
    };
    let grouped = if n_digits == 0 {
        // Only 'c' and inf/nan get here: nothing to group.
        digits.to_string()
    } else {
        let (group, sep) = match s.grouping {
            Grouping::None => (0, ""),
            Grouping::Comma => (3, ","),
            Grouping::Underscore => (3, "_"),
            Grouping::UnderFour => (4, "_"),
        };
        group_digits(digits, min_width, group, sep)
    };
    let used = fixed + grouped.chars().count() as i64;
    let pad = (width - used).max(0) as usize;
    let (left, mid, right) = match s.align {
        '<' => (0, 0, pad),
        '^' => (pad / 2, 0, pad - pad / 2),
        '=' => (0, pad, 0),
        _ => (pad, 0, 0),
    };
    let mut out = String::new();
    out.extend(std::iter::repeat_n(s.fill, left));
    out.push_str(sign);
    out.push_str(prefix);
    out.extend(std::iter::repeat_n(s.fill, mid));
    out.push_str(&grouped);
    out.push_str(remainder);
    out.extend(std::iter::repeat_n(s.fill, right));
    out
}

/// `_PyUnicode_InsertThousandsGrouping`: separators every `group` digits (none when 0),
/// leading zeros up to `min_width`; the result may pass `min_width` by one separator.
fn group_digits(digits: &str, min_width: i64, group: i64, sep: &str) -> String {
    let d: Vec<char> = digits.chars().collect();
    let mut remaining = d.len() as i64;
    let mut min_width = min_width.max(0);
    let sep_len = sep.len() as i64;
    // Pieces from the right end leftwards.
    let mut pieces: Vec<String> = Vec::new();
    let mut take = |len: i64, remaining: i64, with_sep: bool| {
        let zeros = (len - remaining).max(0) as usize;
        let chars = remaining.min(len).max(0);
        let end = remaining as usize;
        let start = (remaining - chars) as usize;
        let mut piece: String = "0".repeat(zeros);
        piece.extend(&d[start..end]);
        if with_sep {
            piece.push_str(sep);
        }
        pieces.push(piece);
        chars
    };
    let mut use_sep = false;
    let mut broken = false;
    if group > 0 {
        loop {
            let len = group.min(remaining.max(min_width).max(1));
            let chars = take(len, remaining, use_sep);
            use_sep = true;
            remaining -= chars;
            min_width -= len;
            if remaining <= 0 && min_width <= 0 {
                broken = true;
                break;
            }
            min_width -= sep_len;
        }
    }
    if !broken {
        let len = remaining.max(min_width).max(1);
        take(len, remaining, use_sep);
    }
    pieces.iter().rev().map(String::as_str).collect()
}

/// Python's `format(s, spec)` for a str.
pub fn format_str(text: &str, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return Ok(text.to_string());
    }
    let s = parse(spec, Some('s'), '<', "str")?;
    if s.ty != Some('s') {
        return Err(unknown(s.ty.unwrap_or('s'), "str"));
    }
    match s.sign {
        Some(' ') => return Err("Space not allowed in string format specifier".into()),
        Some(_) => return Err("Sign not allowed in string format specifier".into()),
        None => {}
    }
    if s.no_neg_0 {
        return Err("Negative zero coercion (z) not allowed in string format specifier".into());
    }
    if s.alt {
        return Err("Alternate form (#) not allowed in string format specifier".into());
    }
    if s.align == '=' {
        return Err("'=' alignment not allowed in string format specifier".into());
    }
    let body: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    let pad = s.width.unwrap_or(0).saturating_sub(body.chars().count());
    let (left, right) = match s.align {
        '>' => (pad, 0),
        '^' => (pad / 2, pad - pad / 2),
        _ => (0, pad),
    };
    let mut out: String = std::iter::repeat_n(s.fill, left).collect();
    out.push_str(&body);
    out.extend(std::iter::repeat_n(s.fill, right));
    Ok(out)
}
