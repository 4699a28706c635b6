//! Branch-free f32 elementary functions built from `+ - * /` only.
//!
//! Why not `f32::exp` and friends: they call libm, which differs between glibc (native) and
//! Rust's own libm (wasm), so the same seed would draw different numbers in tests and in the
//! browser; and libm calls do not vectorise, which made them as costly as the network in the
//! training step. These polynomials are accurate to a few ulp on the ranges used here and give
//! bit-identical results on every target.

use std::f32::consts::{LN_2, LOG2_E};

/// `e^x`, relative error below 2e-7 for `x` in [-87, 88]; saturates outside.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    // x = k ln2 + r, |r| <= ln2 / 2
    let k = round(x * LOG2_E);
    let r = x - k * 0.693_145_75 - k * 1.428_606_8e-6;
    let p = exp_poly(r);
    p * pow2i(k)
}

/// `e^x - 1`, accurate also for small `|x|` (needed by ELU near zero); saturates at -1 below
/// -87.
///
/// One reduction `x = k ln2 + r` serves every `x`: `e^x - 1 = 2^k (e^r - 1) + (2^k - 1)`, and
/// for `|x| < ln2 / 2` (k = 0) that is the polynomial for `e^r - 1` itself, accurate near zero.
/// Half the work of evaluating a small-`x` series and `exp` and selecting one (ELU was the
/// second-largest cost of a wasm training step); branch-free, so loops over slices vectorise.
#[inline(always)]
pub fn expm1(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let k = round(x * LOG2_E);
    let r = x - k * 0.693_145_75 - k * 1.428_606_8e-6;
    // e^r - 1 = r + r^2 (1/2 + r/6 + ...), Taylor to degree 7: below 2e-8 relative for
    // |r| <= ln2/2; in Estrin's scheme, as `exp_poly`
    let r2 = r * r;
    let q01 = 0.5 + r * (1.0 / 6.0);
    let q23 = 1.0 / 24.0 + r * (1.0 / 120.0);
    let q45 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    let em1 = r + r2 * (q01 + r2 * (q23 + r2 * q45));
    let scale = pow2i(k);
    scale * em1 + (scale - 1.0)
}

/// Natural logarithm for `x > 0`; `ln(0) = -inf`, negative or NaN input gives NaN.
#[inline(always)]
pub fn ln(x: f32) -> f32 {
    if x.is_nan() || x < 0.0 {
        return f32::NAN;
    }
    if x == 0.0 {
        return f32::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f32::INFINITY;
    }
    if x.to_bits() < 0x0080_0000 {
        // subnormal: scale into the normal range first
        return ln_normal_bits((x * 8_388_608.0).to_bits(), -23);
    }
    ln_normal_bits(x.to_bits(), 0)
}

/// `ln(f32::from_bits(bits)) + extra_exponent * ln 2` for the bits of a positive, normal,
/// finite f32: the branch-free core of [`ln`], which loops over slices can vectorise (the
/// batch sampler calls it directly on uniforms that are never zero, subnormal or infinite).
#[inline(always)]
pub(crate) fn ln_normal_bits(bits: u32, extra_exponent: i32) -> f32 {
    let e = extra_exponent + ((bits >> 23) as i32) - 127;
    // mantissa m in [sqrt(1/2), sqrt(2))
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let high = m > std::f32::consts::SQRT_2;
    let m = if high { m * 0.5 } else { m };
    let e = if high { e + 1 } else { e };
    // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let p = 2.0 / 9.0;
    let p = p * s2 + 2.0 / 7.0;
    let p = p * s2 + 2.0 / 5.0;
    let p = p * s2 + 2.0 / 3.0;
    let p = p * s2 + 2.0;
    (e as f32) * LN_2 + p * s
}

/// `(sin x, cos x)` for `|x| <= 2 pi` (enough for Box-Muller), abs error below 1e-6.
#[inline(always)]
pub fn sin_cos(x: f32) -> (f32, f32) {
    // reduce to r in [-pi/4, pi/4] and a quadrant q
    let q = round(x * (2.0 / std::f32::consts::PI));
    let r = x - q * 1.570_796_4 + q * 4.371_139e-8;
    let r2 = r * r;
    let s =
        r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 / 362_880.0))));
    let c = 1.0
        + r2 * (-0.5
            + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0 - r2 / 3_628_800.0))));
    // quadrant q: (s, c), (c, -s), (-s, -c), (-c, s), as selects and sign flips rather than a
    // match, so loops over slices vectorise (same bits either way)
    let q = low_bits(q);
    let (sin, cos) = if q & 1 == 0 { (s, c) } else { (c, s) };
    let sin = if q & 2 == 0 { sin } else { -sin };
    let cos = if q.wrapping_add(1) & 2 == 0 {
        cos
    } else {
        -cos
    };
    (sin, cos)
}

/// `tanh x`, via `expm1` so it stays accurate near zero.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let a = if x < 0.0 { -x } else { x };
    let a = if a > 10.0 { 10.0 } else { a };
    let e = expm1(-2.0 * a);
    // |t| with the sign of x: tanh(0) is +0 and tanh(-0) is -0, as in PyTorch
    (-e / (2.0 + e)).abs().copysign(x)
}

/// Logistic sigmoid `1 / (1 + e^-x)`, stable for large `|x|`.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    // 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below: one exp of -|x| serves both. Written
    // as two branches, a vectorised loop evaluated both, two exps and two divisions; `abs`
    // rather than a select of -x or x, which LLVM splits back into two exps.
    let e = exp(-x.abs());
    let num = if x >= 0.0 { 1.0 } else { e };
    num / (1.0 + e)
}

/// `ln(1 + e^x)` computed without overflow, as PyTorch's softplus (threshold 20).
#[inline(always)]
pub fn softplus(x: f32) -> f32 {
    if x > 20.0 {
        x
    } else if x < -15.0 {
        exp(x)
    } else {
        ln1p(exp(x))
    }
}

/// `ln(1 + x)` for `x > -1`, accurate for small `x`.
#[inline(always)]
pub fn ln1p(x: f32) -> f32 {
    let u = 1.0 + x;
    if u == 1.0 {
        x
    } else {
        // correct the rounding of 1 + x (Goldberg's trick)
        ln(u) * (x / (u - 1.0))
    }
}

/// Adding then subtracting 1.5 * 2^23 rounds an f32 of magnitude below 2^22 to an integer
/// (ties to even) with float operations only, which vectorise (a cast to `i32` saturates and
/// does not).
const ROUNDER: f32 = 12_582_912.0;

/// Rounds `x` (|x| < 2^22) to the nearest integer.
#[inline(always)]
fn round(x: f32) -> f32 {
    (x + ROUNDER) - ROUNDER
}

/// The low bits of an integral `k` (|k| < 2^22) in two's complement, without a cast.
#[inline(always)]
fn low_bits(k: f32) -> u32 {
    (k + ROUNDER).to_bits().wrapping_sub(ROUNDER.to_bits())
}

/// `e^r` for `|r| <= ln2 / 2`: degree-7 Taylor, error below 1 ulp.
///
/// Evaluated in Estrin's scheme (pairs of terms combined with r^2 and r^4) rather than
/// Horner's: 5 dependent steps instead of 14. A vectorised loop of `exp` is bound by the
/// latency of that chain, not by the number of operations (SiLU ran 18% faster in wasm).
#[inline(always)]
fn exp_poly(r: f32) -> f32 {
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = 1.0 + r;
    let p23 = 0.5 + r * (1.0 / 6.0);
    let p45 = 1.0 / 24.0 + r * (1.0 / 120.0);
    let p67 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    (p01 + r2 * p23) + r4 * (p45 + r2 * p67)
}

/// `2^k` for an integral `k` in [-126, 127], built from the exponent bits.
#[inline(always)]
fn pow2i(k: f32) -> f32 {
    f32::from_bits(low_bits(k + 127.0) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f32, b: f64) -> f64 {
        ((a as f64) - b).abs() / b.abs().max(1e-30)
    }

    #[test]
    fn exp_matches_std_to_a_few_ulp() {
        let mut worst: f64 = 0.0;
        for i in -8000..8000 {
            let x = i as f32 * 0.01;
            worst = worst.max(rel(exp(x), (x as f64).exp()));
        }
        assert!(worst < 5e-7, "worst relative error {worst}");
    }

    #[test]
    fn expm1_is_accurate_near_zero() {
        for i in -2000..2000 {
            let x = i as f32 * 1e-3;
            let want = (x as f64).exp_m1();
            let got = expm1(x) as f64;
            assert!(
                (got - want).abs() <= 3e-7 * want.abs().max(1e-7) + 1e-12,
                "x={x} got={got} want={want}"
            );
        }
    }

    #[test]
    fn expm1_matches_std_from_saturation_to_overflow() {
        for i in -9000..=8800 {
            let x = i as f32 * 0.01;
            let want = (x as f64).exp_m1();
            assert!(
                rel(expm1(x), want) < 5e-7,
                "x={x} got={} want={want}",
                expm1(x)
            );
        }
        assert_eq!(expm1(-1000.0), -1.0);
    }

    #[test]
    fn ln_matches_std_over_many_decades() {
        let mut x = 1e-38f32;
        while x < 1e38 {
            let r = rel(ln(x), (x as f64).ln());
            let abs = ((ln(x) as f64) - (x as f64).ln()).abs();
            assert!(r < 5e-7 || abs < 1e-7, "x={x} rel={r}");
            x *= 1.37;
        }
        assert_eq!(ln(0.0), f32::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert!((ln(1e-45) as f64 - (1e-45f64).ln()).abs() < 0.5);
    }

    #[test]
    fn sin_cos_match_std_on_two_turns() {
        for i in -6300..6300 {
            let x = i as f32 * 1e-3;
            let (s, c) = sin_cos(x);
            assert!((s as f64 - (x as f64).sin()).abs() < 1e-6, "sin {x}");
            assert!((c as f64 - (x as f64).cos()).abs() < 1e-6, "cos {x}");
        }
    }

    #[test]
    fn tanh_sigmoid_softplus_match_std() {
        for i in -3000..3000 {
            let x = i as f32 * 0.01;
            let xd = x as f64;
            assert!(
                (tanh(x) as f64 - xd.tanh()).abs() < 3e-7 * (1.0 + xd.tanh().abs()),
                "tanh {x}"
            );
            let sg = 1.0 / (1.0 + (-xd).exp());
            assert!((sigmoid(x) as f64 - sg).abs() < 3e-7, "sigmoid {x}");
            let sp = (1.0 + xd.exp()).ln();
            assert!(
                rel(softplus(x), sp) < 1e-6 || (softplus(x) as f64 - sp).abs() < 1e-7,
                "softplus {x}"
            );
        }
    }
}
