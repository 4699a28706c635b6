//! The one random generator of flowlab: seeded, portable, and fast.
//!
//! Every random draw in the crate goes through a [`Rng`] created by [`seeded`] and passed in
//! explicitly. Xoshiro256++ gives the same stream on every platform, and the transforms below use
//! only [`crate::mathf`], so a seed draws bit-identical numbers natively and in the browser.

use rand::{Rng as _, SeedableRng};

/// The generator type used everywhere (Xoshiro256++, portable and reproducible).
pub type Rng = rand::rngs::Xoshiro256PlusPlus;

/// A generator from a seed; the same seed gives the same stream on every target.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// Uniform on [0, 1), 24 random bits.
#[inline]
pub fn uniform(rng: &mut Rng) -> f32 {
    (rng.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
}

/// Uniform integer in [0, n) by Lemire's multiply-shift (bias below 2^-32 * n, no loop).
#[inline]
pub fn below(rng: &mut Rng, n: usize) -> usize {
    ((rng.next_u32() as u64 * n as u64) >> 32) as usize
}

/// Fills `out` with independent uniforms on [0, 1).
pub fn fill_uniform(rng: &mut Rng, out: &mut [f32]) {
    for v in out.iter_mut() {
        *v = uniform(rng);
    }
}

/// Fills `out` with independent standard normals (Box-Muller, both outputs used).
pub fn fill_normal(rng: &mut Rng, out: &mut [f32]) {
    let mut chunks = out.chunks_exact_mut(2);
    for pair in &mut chunks {
        let (a, b) = normal_pair(rng);
        pair[0] = a;
        pair[1] = b;
    }
    if let [last] = chunks.into_remainder() {
        *last = normal_pair(rng).0;
    }
}

/// One standard normal draw.
pub fn normal(rng: &mut Rng) -> f32 {
    normal_pair(rng).0
}

/// Two independent standard normals from two uniforms.
#[inline]
fn normal_pair(rng: &mut Rng) -> (f32, f32) {
    // u1 in (0, 1] so ln(u1) is finite
    let u1 = ((rng.next_u32() >> 8) + 1) as f32 * (1.0 / 16_777_216.0);
    let u2 = uniform(rng);
    let r = (-2.0 * crate::mathf::ln(u1)).sqrt();
    let (s, c) = crate::mathf::sin_cos(std::f32::consts::TAU * u2 - std::f32::consts::PI);
    (r * c, r * s)
}

/// Shuffles `items` in place (Fisher-Yates).
pub fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_the_same_stream() {
        let (mut a, mut b) = (seeded(7), seeded(7));
        let (mut xa, mut xb) = (vec![0.0; 101], vec![0.0; 101]);
        fill_normal(&mut a, &mut xa);
        fill_normal(&mut b, &mut xb);
        assert_eq!(xa, xb);
        assert_ne!(xa, {
            let mut c = seeded(8);
            let mut xc = vec![0.0; 101];
            fill_normal(&mut c, &mut xc);
            xc
        });
    }

    #[test]
    fn normals_have_zero_mean_unit_variance_and_gaussian_tails() {
        let mut rng = seeded(1);
        let mut x = vec![0.0f32; 200_000];
        fill_normal(&mut rng, &mut x);
        let n = x.len() as f64;
        let mean = x.iter().map(|&v| v as f64).sum::<f64>() / n;
        let var = x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
        let beyond2 = x.iter().filter(|v| v.abs() > 2.0).count() as f64 / n;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "var {var}");
        assert!((beyond2 - 0.0455).abs() < 0.002, "P(|z|>2) = {beyond2}");
    }

    #[test]
    fn uniforms_lie_in_the_unit_interval_with_mean_one_half() {
        let mut rng = seeded(2);
        let mut x = vec![0.0f32; 100_000];
        fill_uniform(&mut rng, &mut x);
        assert!(x.iter().all(|&v| (0.0..1.0).contains(&v)));
        let mean = x.iter().map(|&v| v as f64).sum::<f64>() / x.len() as f64;
        assert!((mean - 0.5).abs() < 0.005);
    }
}
