//! Matrix-product kernels for the small shapes of this field (a batch of 256 through 64-wide
//! layers). A general GEMM library spends its time packing; these register-blocked loops keep a
//! tile of C in registers and stream one row of B per step, which LLVM turns into SIMD code
//! (AVX2/AVX-512 with FMA natively, chosen at run time; simd128 in the browser).

// Tile sizes (rows MR by columns NR of C held in registers), chosen per instruction set so a
// tile is about 8 vector registers: enough independent FMAs to hide their latency, few enough
// never to spill. Measured with `flowlab-bench`; in wasm 4x8 beat 2x16, 3x8, 3x16, 4x12, 5x8
// and 6x8 (V8 has 16 SIMD registers, and wider tiles spill), and unrolling k by 2 was slower.
#[cfg(target_arch = "x86_64")]
const MR_AVX2: usize = 4;
#[cfg(target_arch = "x86_64")]
const NR_AVX2: usize = 16;
const MR_BASE: usize = 4;
const NR_BASE: usize = 8;

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
    // The fast kernels read through raw pointers: make sure every index is inside its slice.
    let last = |mat: &MatRef, rows: usize, cols: usize| {
        (rows - 1) * mat.row_stride + (cols - 1) * mat.col_stride
    };
    assert!(
        last(&a, m, k) < a.data.len() && last(&b, k, n) < b.data.len() && m * n <= c.len(),
        "gemm: operand slices are shorter than ({m}, {k}) @ ({k}, {n})"
    );
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the features were detected on this CPU just above.
            unsafe { gemm_avx512(m, n, k, a, b, c) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: as above.
            unsafe { gemm_avx2(m, n, k, a, b, c) };
            return;
        }
    }
    gemm_body::<false, MR_BASE, NR_BASE>(m, n, k, a, b, c);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn gemm_avx512(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32]) {
    if b.col_stride != 1 {
        return gemm_body::<true, MR_AVX2, NR_AVX2>(m, n, k, a, b, c);
    }
    // LLVM's own vectorisation of wider tiles gathers across rows and runs slower, so the
    // main tiles here are written with intrinsics: 4 rows by 32 columns, 8 accumulators.
    let n_full = n - n % 32;
    let m_full = m - m % 4;
    for i in (0..m_full).step_by(4) {
        for j in (0..n_full).step_by(32) {
            // SAFETY: i + 3 < m and j + 31 < n, and `gemm` checked the slice lengths.
            unsafe { tile_avx512_4x32(i, j, n, k, a, b, c) };
        }
    }
    // the rest (a ragged border) through the generic kernels
    rest_rows::<true, NR_AVX2>(m_full, m, n, n_full, k, a, b, c);
    if n_full < n {
        edge_columns::<true>(m, n, n_full, k, a, b, c);
    }
}

/// C[i..i+4, j..j+32] += A[i..i+4, :] @ B[:, j..j+32] with AVX-512 FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn tile_avx512_4x32(
    i: usize,
    j: usize,
    ldc: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    use std::arch::x86_64::*;
    let mut acc = [_mm512_setzero_ps(); 8];
    let (ap, bp) = (a.data.as_ptr(), b.data.as_ptr());
    for p in 0..k {
        let brow = bp.add(p * b.row_stride + j);
        let b0 = _mm512_loadu_ps(brow);
        let b1 = _mm512_loadu_ps(brow.add(16));
        for r in 0..4 {
            let av = _mm512_set1_ps(*ap.add((i + r) * a.row_stride + p * a.col_stride));
            acc[2 * r] = _mm512_fmadd_ps(av, b0, acc[2 * r]);
            acc[2 * r + 1] = _mm512_fmadd_ps(av, b1, acc[2 * r + 1]);
        }
    }
    let cp = c.as_mut_ptr();
    for r in 0..4 {
        let row = cp.add((i + r) * ldc + j);
        _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), acc[2 * r]));
        _mm512_storeu_ps(
            row.add(16),
            _mm512_add_ps(_mm512_loadu_ps(row.add(16)), acc[2 * r + 1]),
        );
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn gemm_avx2(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32]) {
    gemm_body::<true, MR_AVX2, NR_AVX2>(m, n, k, a, b, c);
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
fn gemm_body<const FMA: bool, const MR: usize, const NR: usize>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    if b.col_stride != 1 {
        return gemm_naive::<FMA>(m, n, k, a, b, c);
    }
    let n_full = n - n % NR;
    let mut i = 0;
    while i + MR <= m {
        for j in (0..n_full).step_by(NR) {
            // SAFETY: i + MR <= m and j + NR <= n; `gemm` checked the slices hold (m, k) @ (k, n).
            unsafe { tile::<FMA, MR, NR>(i, j, n, k, a, b, c) };
        }
        i += MR;
    }
    rest_rows::<FMA, NR>(i, m, n, n_full, k, a, b, c);
    if n_full < n {
        edge_columns::<FMA>(m, n, n_full, k, a, b, c);
    }
}

/// The rows `i0..m` below the last full tile, columns `0..n_full` (a multiple of NR): 3 rows
/// at a time, then 2 or 1. Row by row, each row of B would be loaded once per row of C.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn rest_rows<const FMA: bool, const NR: usize>(
    i0: usize,
    m: usize,
    n: usize,
    n_full: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    let mut i = i0;
    while i < m {
        let rows = (m - i).min(3);
        for j in (0..n_full).step_by(NR) {
            // SAFETY: i + rows <= m and j + NR <= n_full <= n; `gemm` checked the slices.
            unsafe {
                match rows {
                    3 => tile::<FMA, 3, NR>(i, j, n, k, a, b, c),
                    2 => tile::<FMA, 2, NR>(i, j, n, k, a, b, c),
                    _ => tile::<FMA, 1, NR>(i, j, n, k, a, b, c),
                }
            }
        }
        i += rows;
    }
}

/// One (R, NR) tile of C at (i, j): `C[i..i+R, j..j+NR] += A[i..i+R, :] @ B[:, j..j+NR]`, the
/// accumulators held in registers for the whole k loop.
///
/// Raw pointers instead of indexing: the bounds checks of slice indexing, six per step of k,
/// cost as much as the arithmetic in wasm (measured: the 256 x 64 x 64 products ran 1.7x
/// faster without them).
///
/// # Safety
/// `i + R <= m`, `j + NR <= ldc = n`, and the operands hold (m, k) @ (k, n) (checked in `gemm`).
#[inline(always)]
unsafe fn tile<const FMA: bool, const R: usize, const NR: usize>(
    i: usize,
    j: usize,
    ldc: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    let mut acc = [[0.0f32; NR]; R];
    let mut ap = a.data.as_ptr().add(i * a.row_stride);
    let mut bp = b.data.as_ptr().add(j);
    for _ in 0..k {
        let brow = &*(bp as *const [f32; NR]);
        for (r, acc_row) in acc.iter_mut().enumerate() {
            let av = *ap.add(r * a.row_stride);
            for (acc_v, &b_v) in acc_row.iter_mut().zip(brow) {
                *acc_v = madd::<FMA>(av, b_v, *acc_v);
            }
        }
        // wrapping: after the last step the pointers may point past the slices, unread
        ap = ap.wrapping_add(a.col_stride);
        bp = bp.wrapping_add(b.row_stride);
    }
    let cp = c.as_mut_ptr();
    for (r, acc_row) in acc.iter().enumerate() {
        let crow = &mut *(cp.add((i + r) * ldc + j) as *mut [f32; NR]);
        for (c_v, &a_v) in crow.iter_mut().zip(acc_row) {
            *c_v += a_v;
        }
    }
}

/// The columns right of the last full tile (for example the 2 outputs of the lab's last
/// layer), at most 8 at a time with the width known at compile time.
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
    let mut j = j0;
    while j < n {
        let w = (n - j).min(8);
        match w {
            1 => edge_strip::<FMA, 1>(m, n, j, k, a, b, c),
            2 => edge_strip::<FMA, 2>(m, n, j, k, a, b, c),
            3 => edge_strip::<FMA, 3>(m, n, j, k, a, b, c),
            4 => edge_strip::<FMA, 4>(m, n, j, k, a, b, c),
            5 => edge_strip::<FMA, 5>(m, n, j, k, a, b, c),
            6 => edge_strip::<FMA, 6>(m, n, j, k, a, b, c),
            7 => edge_strip::<FMA, 7>(m, n, j, k, a, b, c),
            _ => edge_strip::<FMA, 8>(m, n, j, k, a, b, c),
        }
        j += w;
    }
}

/// `C[:, j..j+W] += A @ B[:, j..j+W]`, 4 rows at a time so that independent accumulations hide
/// the latency of each multiply-add.
#[inline(always)]
fn edge_strip<const FMA: bool, const W: usize>(
    m: usize,
    n: usize,
    j: usize,
    k: usize,
    a: MatRef,
    b: MatRef,
    c: &mut [f32],
) {
    let mut i = 0;
    while i + 4 <= m {
        // SAFETY: i + 4 <= m, j + W <= n; `gemm` checked the slices.
        unsafe { tile::<FMA, 4, W>(i, j, n, k, a, b, c) };
        i += 4;
    }
    while i < m {
        // SAFETY: i < m, j + W <= n.
        unsafe { tile::<FMA, 1, W>(i, j, n, k, a, b, c) };
        i += 1;
    }
}

#[inline(always)]
fn gemm_naive<const FMA: bool>(m: usize, n: usize, k: usize, a: MatRef, b: MatRef, c: &mut [f32]) {
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
        for &(m, n, k) in &[
            (1, 1, 1),
            (5, 3, 7),
            (256, 64, 3),
            (256, 2, 64),
            (9, 33, 17),
            (64, 64, 256),
        ] {
            let a = filled(m * k, 1);
            let b = filled(k * n, 2);
            let mut c = vec![0.0; m * n];
            gemm(
                m,
                n,
                k,
                MatRef::rows(&a, k),
                MatRef::rows(&b, n),
                &mut c,
                false,
            );
            let want = reference(m, n, k, &a, &b);
            for (got, want) in c.iter().zip(&want) {
                assert!(
                    (*got as f64 - want).abs() < 1e-4 * (1.0 + want.abs()),
                    "({m},{n},{k})"
                );
            }
        }
    }

    #[test]
    fn every_tile_border_matches_with_a_stored_either_way() {
        // rows left over after the tiles (1, 2, 3, 5, 6, 7), ragged columns, k of 1 to 3
        for &(m, n, k) in &[
            (3, 64, 256),
            (64, 3, 256),
            (2, 64, 256),
            (7, 16, 5),
            (6, 40, 9),
            (5, 33, 2),
            (1, 70, 3),
            (13, 7, 1),
            (35, 48, 4),
        ] {
            let a = filled(m * k, 5);
            let b = filled(k * n, 6);
            let want = reference(m, n, k, &a, &b);
            let at: Vec<f32> = (0..k * m).map(|idx| a[(idx % m) * k + idx / m]).collect();
            for (layout, a_ref) in [
                ("A row-major", MatRef::rows(&a, k)),
                ("A transposed", MatRef::transposed(&at, m)),
            ] {
                let mut c = vec![0.5; m * n];
                gemm(m, n, k, a_ref, MatRef::rows(&b, n), &mut c, true);
                for (got, want) in c.iter().zip(&want) {
                    assert!(
                        (*got as f64 - (want + 0.5)).abs() < 1e-4 * (1.0 + want.abs()),
                        "({m},{n},{k}) {layout}"
                    );
                }
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
        gemm(
            m,
            n,
            k,
            MatRef::transposed(&at, m),
            MatRef::rows(&b, n),
            &mut c,
            true,
        );
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
        gemm(
            m,
            n,
            k,
            MatRef::rows(&a, k),
            MatRef::transposed(&bt, k),
            &mut c2,
            false,
        );
        for (got, want) in c2.iter().zip(&want) {
            assert!((*got as f64 - want).abs() < 1e-4 * (1.0 + want.abs()));
        }
    }
}
