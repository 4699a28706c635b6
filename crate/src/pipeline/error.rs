//! Why a pipeline call was refused.

use std::fmt;

/// Why a pipeline call was refused; the message names the value and what would fix it.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineError {
    /// A configuration field out of range.
    Config {
        field: &'static str,
        message: String,
    },
    /// A call argument out of range.
    Argument { name: &'static str, message: String },
    /// A failure inside the engine (diverged training, a shape error).
    Engine(String),
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::Config { field, message } => write!(f, "config.{field}: {message}"),
            PipelineError::Argument { name, message } => write!(f, "{name}: {message}"),
            PipelineError::Engine(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PipelineError {}

impl From<crate::tensor::TensorError> for PipelineError {
    fn from(e: crate::tensor::TensorError) -> Self {
        PipelineError::Engine(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, PipelineError>;

pub(super) fn config_err(field: &'static str, message: impl Into<String>) -> PipelineError {
    PipelineError::Config {
        field,
        message: message.into(),
    }
}

pub(super) fn arg_err(name: &'static str, message: impl Into<String>) -> PipelineError {
    PipelineError::Argument {
        name,
        message: message.into(),
    }
}

/// Checks `value` lies in `lo..=hi`.
pub(super) fn in_range(name: &'static str, value: usize, lo: usize, hi: usize) -> Result<usize> {
    if (lo..=hi).contains(&value) {
        Ok(value)
    } else {
        Err(arg_err(
            name,
            format!("must be between {lo} and {hi}, but is {value}"),
        ))
    }
}
