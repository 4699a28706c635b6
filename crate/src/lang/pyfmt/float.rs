//! Float to text as CPython's `PyOS_double_to_string` does it (`Python/pystrtod.c`).
//!
//! Rust's float formatting already gives the digits Python wants: `{:e}` the shortest digits
//! that round-trip, `{:.N}` and `{:.Ne}` the exact binary value correctly rounded (ties to
//! even), like David Gay's `dtoa` that CPython uses. What is left is Python's layout of those
//! digits, ported from `format_float_short`.

/// Python's `repr()` / `str()` of a float.
pub fn float_repr(x: f64) -> String {
    double_to_string(
        x,
        'r',
        0,
        Flags {
            add_dot_0: true,
            ..Flags::default()
        },
    )
}

/// The flags of `PyOS_double_to_string`.
#[derive(Clone, Copy, Default)]
pub(super) struct Flags {
    /// `Py_DTSF_ADD_DOT_0`: an integral value keeps a `.0` (repr and the no-type format).
    pub add_dot_0: bool,
    /// `Py_DTSF_ALT`: the `#` of a format spec.
    pub alt: bool,
    /// `Py_DTSF_NO_NEG_0`: the `z` of a format spec.
    pub no_neg_0: bool,
}

/// `PyOS_double_to_string(x, code, precision, flags)` for code in `eEfFgGr`. The result has a
/// leading `-` when negative and never a `+`.
pub(super) fn double_to_string(x: f64, code: char, precision: usize, flags: Flags) -> String {
    let upper = code.is_ascii_uppercase();
    let code = code.to_ascii_lowercase();
    let neg = x.is_sign_negative() && !x.is_nan();
    if !x.is_finite() {
        let word = if x.is_nan() { "nan" } else { "inf" };
        let word = if upper {
            word.to_ascii_uppercase()
        } else {
            word.to_string()
        };
        return if neg { format!("-{word}") } else { word };
    }
    let a = x.abs();
    if code == 'f' {
        // `{:.N}` pads with zeros exactly as Python's 'f' does.
        let mut s = format!("{a:.precision$}");
        if precision == 0 && flags.alt {
            s.push('.');
        }
        let zero = s.bytes().all(|b| b == b'0' || b == b'.');
        return if neg && !(flags.no_neg_0 && zero) {
            format!("-{s}")
        } else {
            s
        };
    }
    let (digits, decpt) = match code {
        'e' => sig_digits(a, precision + 1),
        'g' => sig_digits(a, precision.max(1)),
        _ => shortest_digits(a),
    };
    let precision = if code == 'g' {
        precision.max(1)
    } else {
        precision + (code == 'e') as usize
    };
    let neg = neg && !(flags.no_neg_0 && digits == "0");
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    layout(&mut out, &digits, decpt, code, precision, flags);
    if upper {
        out = out.to_ascii_uppercase();
    }
    out
}

/// The significant digits (no leading or trailing zeros, "0" for zero) of `a >= 0` and the
/// position of the decimal point: `a = 0.d1d2d3... * 10^decpt`. This is `_Py_dg_dtoa` mode 0.
pub(super) fn shortest_digits(a: f64) -> (String, i64) {
    let (digits, decpt) = split_exp(&format!("{a:e}"));
    even_tie(digits, decpt, a, |t| t.parse::<f64>() == Ok(a))
}

/// Between two equally close shortest candidates Rust's `{:e}` takes the upper one, but
/// `dtoa` and numpy's Dragon4 take the even last digit: -850529238492592.25 has the repr
/// `-850529238492592.2`. `digits`/`decpt` are Rust's pick for the exact value `a >= 0`;
/// `reads_back` says whether a decimal text rounds back to the original float.
pub(super) fn even_tie(
    digits: String,
    decpt: i64,
    a: f64,
    reads_back: impl Fn(&str) -> bool,
) -> (String, i64) {
    let n = digits.len();
    if digits.bytes().last().is_none_or(|d| d % 2 == 0) {
        return (digits, decpt);
    }
    // Cheap filter first: a tie needs the value rounded to n + 1 digits to end in 5.
    let (rounded, e) = raw_digits(&format!("{a:.n$e}"));
    if rounded.last() != Some(&b'5') || e + 1 != decpt {
        return (digits, decpt);
    }
    // A float's exact expansion has at most 767 significant digits.
    let (exact, _) = raw_digits(&format!("{a:.780e}"));
    if exact.get(n) != Some(&b'5') || exact[n + 1..].iter().any(|&d| d != b'0') {
        return (digits, decpt);
    }
    // The candidates are the truncation and one unit above it: take the other one.
    let mut alt = exact[..n].to_vec();
    let mut decpt_alt = decpt;
    if alt == digits.as_bytes() {
        let mut i = n;
        loop {
            if i == 0 {
                alt.insert(0, b'1');
                decpt_alt += 1;
                break;
            }
            i -= 1;
            if alt[i] == b'9' {
                alt[i] = b'0';
            } else {
                alt[i] += 1;
                break;
            }
        }
    }
    let alt = String::from_utf8_lossy(&alt).into_owned();
    if reads_back(&format!("0.{alt}e{decpt_alt}")) {
        let (d, p) = split_exp(&format!("{}.{}e{}", &alt[..1], &alt[1..], decpt_alt - 1));
        (d, p)
    } else {
        (digits, decpt)
    }
}

/// All mantissa digits and the exponent of Rust's `d.ddde-5`.
fn raw_digits(s: &str) -> (Vec<u8>, i64) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    (
        mant.bytes().filter(u8::is_ascii_digit).collect(),
        exp.parse().unwrap_or(0),
    )
}

/// Like [`shortest_digits`] but rounded to `n >= 1` significant digits, trailing zeros
/// dropped (`_Py_dg_dtoa` mode 2).
pub(super) fn sig_digits(a: f64, n: usize) -> (String, i64) {
    split_exp(&format!("{a:.prec$e}", prec = n.saturating_sub(1)))
}

/// Splits Rust's `d.ddde-5` into trimmed digits and the decimal point position.
pub(super) fn split_exp(s: &str) -> (String, i64) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let mut digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    if digits.is_empty() || digits.bytes().all(|b| b == b'0') {
        return ("0".to_string(), 1);
    }
    (digits, exp + 1)
}

/// The body of `format_float_short` after the digits are known, for codes 'e', 'g' and 'r'.
fn layout(out: &mut String, digits: &str, decpt: i64, code: char, precision: usize, f: Flags) {
    let n = digits.len() as i64;
    let p = precision as i64;
    let (use_exp, mut vend) = match code {
        'e' => (true, p),
        'g' => (
            decpt <= -4 || decpt > if f.add_dot_0 { p - 1 } else { p },
            if f.alt { p } else { n },
        ),
        _ => (decpt <= -4 || decpt > 16, n),
    };
    let (decpt, exp) = if use_exp { (1, decpt - 1) } else { (decpt, 0) };
    let vstart = if decpt <= 0 { decpt - 1 } else { 0 };
    vend = if !use_exp && f.add_dot_0 {
        vend.max(decpt + 1)
    } else {
        vend.max(decpt)
    };
    let zeros = |out: &mut String, k: i64| out.extend(std::iter::repeat_n('0', k.max(0) as usize));
    if decpt <= 0 {
        zeros(out, decpt - vstart);
        out.push('.');
        zeros(out, -decpt);
    } else {
        zeros(out, -vstart);
    }
    if 0 < decpt && decpt <= n {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    } else {
        out.push_str(digits);
    }
    if n < decpt {
        zeros(out, decpt - n);
        out.push('.');
        zeros(out, vend - decpt);
    } else {
        zeros(out, vend - n);
    }
    if out.ends_with('.') && !f.alt {
        out.pop();
    }
    if use_exp {
        let sign = if exp < 0 { '-' } else { '+' };
        out.push_str(&format!("e{sign}{:02}", exp.unsigned_abs()));
    }
}
