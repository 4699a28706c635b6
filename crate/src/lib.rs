//! flowlab: flow-based generative models, small enough to read and fast enough to teach with.
pub mod mathf;
pub mod rng;
pub mod tensor;
pub mod data;
pub mod ode;
pub mod autograd;
pub mod metrics;
pub mod nn;
pub mod optim;
