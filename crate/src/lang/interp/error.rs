//! Run-time errors: Python's exception names, a message that says how to fix the problem, and
//! the span of the instruction that failed (filled in by the machine).

use crate::lang::ast::Span;
use crate::lang::error::{ErrorKind, LangError};
use crate::tensor::TensorError;

/// An error raised while running; becomes a [`LangError`] with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct RtError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Option<Span>,
}

pub type RtResult<T> = Result<T, RtError>;

impl RtError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> RtError {
        RtError {
            kind,
            message: message.into(),
            span: None,
        }
    }

    pub fn into_lang(self, fallback: Span) -> LangError {
        LangError::new(self.kind, self.message, self.span.unwrap_or(fallback))
    }
}

pub fn type_error(message: impl Into<String>) -> RtError {
    RtError::new(ErrorKind::Type, message)
}

pub fn value_error(message: impl Into<String>) -> RtError {
    RtError::new(ErrorKind::Value, message)
}

pub fn index_error(message: impl Into<String>) -> RtError {
    RtError::new(ErrorKind::Index, message)
}

pub fn attribute_error(message: impl Into<String>) -> RtError {
    RtError::new(ErrorKind::Attribute, message)
}

impl From<TensorError> for RtError {
    fn from(e: TensorError) -> RtError {
        let kind = match e {
            TensorError::Index { .. } => ErrorKind::Index,
            TensorError::TooLarge { .. } => ErrorKind::Limit,
            TensorError::Invalid(_) => ErrorKind::Value,
            _ => ErrorKind::Shape,
        };
        RtError::new(kind, e.to_string())
    }
}

/// The closest of `candidates` to `name` by edit distance, if it is close enough to be a typo.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_a_typo_and_ignores_strangers() {
        let names = ["batch_size", "optimizer", "flow", "x_1"];
        assert_eq!(nearest("batchsize", names.into_iter()), Some("batch_size"));
        assert_eq!(nearest("optimiser", names.into_iter()), Some("optimizer"));
        assert_eq!(nearest("zzz", names.into_iter()), None);
    }
}
