//! Matrix-product kernels for the small shapes of this field (a batch of 256 through 64-wide
//! layers). A general GEMM library spends its time packing; these register-blocked loops keep a
//! tile of C in registers and stream one row of B per step, which LLVM turns into SIMD code
//! (AVX2/AVX-512 with FMA natively, chosen at run time; simd128 in the browser).

/// Rows of C held in registers per tile.
const MR: usize = 4;
/// Columns of C held in registers per tile (one AVX-512 vector, four simd128 vectors).
const NR: usize = 16;

/// A matrix operand with arbitrary strides, so transposes cost nothing.
#[derive(Clone, Copy)]
pub struct MatRef<'a> {
    pub data: &'a [f32],
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<'a> MatRef<'a> {
    /// A row-major (rows, cols) matrix.
    pub fn rows(data: &'a [f32], cols: usize) -> Self {
        MatRef {
            data,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose of a row-major (rows, cols) matrix, seen as (cols, rows).
    pub fn transposed(data: &'a [f32], cols: usize) -> Self {
        MatRef {
            data,
            row_stride: 1,
            col_stride: cols,
        }
    }
}

/// `c` (m, n) row-major `=` (or `+=` when `accumulate`) `a` (m, k) `@` `b` (k, n).
///
/// `b` must be row-major (`col_stride == 1`) for the fast path; any other layout falls back to a
/// plain loop. Callers check shapes; slices that are too short panic, so every caller in this
/// crate derives lengths from validated shapes.
pub fn gemm(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32], accumulate: bool) {
    if !accumulate {
        c[..m * n].fill(0.0);
    }
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the features were detected on this CPU just above.
            unsafe { gemm_avx512(m, n, k, a, b, c) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: as above.
            unsafe { gemm_avx2(m, n, k, a, b, c) };
            return;
        }
    }
    gemm_body::<false>(m, n, k, a, b, c);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn gemm_avx512(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32]) {
    gemm_body::<true>(m, n, k, a, b, c);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn gemm_avx2(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32]) {
    gemm_body::<true>(m, n, k, a, b, c);
}

#[inline(always)]
fn madd<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

#[inline(always)]
fn gemm_body<const FMA: bool>(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32]) {
    if b.col_stride != 1 {
        return gemm_naive::<FMA>(m, n, k, a, b, c);
    }
    let n_full = n - n % NR;
    let m_full = m - m % MR;
    for i in (0..m_full).step_by(MR) {
        for j in (0..n_full).step_by(NR) {
            tile::<FMA, MR>(i, j, n, k, a, b, c);
        }
    }
    for i in m_full..m {
        for j in (0..n_full).step_by(NR) {
            tile::<FMA, 1>(i, j, n, k, a, b, c);
        }
    }
    if n_full < n {
        edge_columns::<FMA>(m, n, n_full, k, a, b, c);
    }
}

/// One (R, NR) tile of C at (i, j): accumulators stay in registers for the whole k loop.
#[inline(always)]
fn tile<const FMA: bool, const R: usize>(
    i: usize,
    j: usize,
    ldc: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    let mut acc = [[0.0f32; NR]; R];
    for p in 0..k {
        let brow: &[f32; NR] = b.data[p * b.row_stride + j..p * b.row_stride + j + NR]
            .try_into()
            .unwrap_or(&[0.0; NR]);
        for (r, acc_row) in acc.iter_mut().enumerate() {
            let av = a.data[(i + r) * a.row_stride + p * a.col_stride];
            for (acc_v, &b_v) in acc_row.iter_mut().zip(brow) {
                *acc_v = madd::<FMA>(av, b_v, *acc_v);
            }
        }
    }
    for (r, acc_row) in acc.iter().enumerate() {
        let crow = &mut c[(i + r) * ldc + j..(i + r) * ldc + j + NR];
        for (c_v, &a_v) in crow.iter_mut().zip(acc_row) {
            *c_v += a_v;
        }
    }
}

/// The columns right of the last full tile (for example the 2 outputs of the lab's last layer).
#[inline(always)]
fn edge_columns<const FMA: bool>(
    m: usize,
    n: usize,
    j0: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    let w = n - j0;
    for i in 0..m {
        let crow = &mut c[i * n + j0..i * n + n];
        for p in 0..k {
            let av = a.data[i * a.row_stride + p * a.col_stride];
            let brow = &b.data[p * b.row_stride + j0..p * b.row_stride + j0 + w];
            for (c_v, &b_v) in crow.iter_mut().zip(brow) {
                *c_v = madd::<FMA>(av, b_v, *c_v);
            }
        }
    }
}

#[inline(always)]
fn gemm_naive<const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0f32;
            for p in 0..k {
                s = madd::<FMA>(
                    a.data[i * a.row_stride + p * a.col_stride],
                    b.data[p * b.row_stride + j * b.col_stride],
                    s,
                );
            }
            c[i * n + j] += s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Vec<f64> {
        let mut c = vec![0.0f64; m * n];
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] += a[i * k + p] as f64 * b[p * n + j] as f64;
                }
            }
        }
        c
    }

    fn filled(len: usize, seed: u64) -> Vec<f32> {
        let mut rng = crate::rng::seeded(seed);
        let mut v = vec![0.0; len];
        crate::rng::fill_normal(&mut rng, &mut v);
        v
    }

    #[test]
    fn products_of_awkward_shapes_match_a_float64_reference() {
        for &(m, n, k) in &[(1, 1, 1), (5, 3, 7), (256, 64, 3), (256, 2, 64), (9, 33, 17), (64, 64, 256)] {
            let a = filled(m * k, 1);
            let b = filled(k * n, 2);
            let mut c = vec![0.0; m * n];
            gemm(m, n, k, MatRef::rows(&a, k), MatRef::rows(&b, n), &mut c, false);
            let want = reference(m, n, k, &a, &b);
            for (got, want) in c.iter().zip(&want) {
                assert!((*got as f64 - want).abs() < 1e-4 * (1.0 + want.abs()), "({m},{n},{k})");
            }
        }
    }

    #[test]
    fn transposed_operands_and_accumulation_give_a_transpose_b_plus_c() {
        let (m, n, k) = (7, 18, 5);
        // a stored as (k, m): use its transpose
        let at = filled(k * m, 3);
        let b = filled(k * n, 4);
        let mut c = vec![1.0; m * n];
        gemm(m, n, k, MatRef::transposed(&at, m), MatRef::rows(&b, n), &mut c, true);
        let mut a = vec![0.0; m * k];
        for i in 0..m {
            for p in 0..k {
                a[i * k + p] = at[p * m + i];
            }
        }
        let want = reference(m, n, k, &a, &b);
        for (got, want) in c.iter().zip(&want) {
            assert!((*got as f64 - (want + 1.0)).abs() < 1e-4 * (1.0 + want.abs()));
        }
        // a non-unit column stride on b takes the plain path and agrees too
        let bt: Vec<f32> = (0..n * k).map(|idx| b[(idx % k) * n + idx / k]).collect();
        let mut c2 = vec![0.0; m * n];
        gemm(m, n, k, MatRef::rows(&a, k), MatRef::transposed(&bt, k), &mut c2, false);
        for (got, want) in c2.iter().zip(&want) {
            assert!((*got as f64 - want).abs() < 1e-4 * (1.0 + want.abs()));
        }
    }
}
