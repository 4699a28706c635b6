//! Run-time choice of the instruction set for hot loops.
//!
//! A native build targets baseline x86-64 (SSE2) so it runs everywhere; [`vectorized`] runs a
//! closure compiled again with AVX-512 or AVX2 + FMA when this CPU has them. In wasm the build
//! itself enables simd128 (`.cargo/config.toml`), so the closure simply runs.

/// The widest instruction set this CPU offers for f32 loops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Avx512,
    Avx2,
    Base,
}

/// Detects the level once per call site (std caches the CPUID answer).
#[inline(always)]
pub fn level() -> Level {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("fma")
        {
            return Level::Avx512;
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            return Level::Avx2;
        }
    }
    Level::Base
}

/// Runs `f` compiled for the best available instruction set. `f` must be small enough to be
/// inlined (its body is then vectorised with the wider registers).
#[inline(always)]
pub fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        match level() {
            // SAFETY: the features were detected on this CPU.
            Level::Avx512 => return unsafe { run_avx512(f) },
            Level::Avx2 => return unsafe { run_avx2(f) },
            Level::Base => {}
        }
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn run_avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}
