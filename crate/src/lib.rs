//! flowlab: flow-based generative models, small enough to read and fast enough to teach with.
#[cfg(target_arch = "wasm32")]
pub mod api;
pub mod autograd;
pub mod data;
pub mod flow;
pub mod lang;
pub mod mathf;
pub mod metrics;
pub mod nn;
pub mod ode;
pub mod optim;
pub mod pipeline;
pub mod plot;
pub mod rng;
pub mod simd;
pub mod tensor;
