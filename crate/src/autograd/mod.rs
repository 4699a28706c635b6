//! Reverse-mode automatic differentiation, micrograd style: every [`Var`] produced by an
//! operation remembers its parents and how to send a gradient back to them; `backward()` walks
//! the graph once in reverse topological order.

mod grad;
mod linalg;
mod ops;

pub use grad::grad;

use crate::tensor::{Result, Tensor, TensorError};
use std::cell::{Cell, Ref, RefCell, RefMut};
use std::rc::Rc;

thread_local! {
    static GRAD_ENABLED: Cell<bool> = const { Cell::new(true) };
}

/// Whether operations currently record a graph (false inside [`no_grad`]).
pub fn grad_enabled() -> bool {
    GRAD_ENABLED.with(|g| g.get())
}

/// Turns gradient recording on or off (for an interpreter that pauses inside a `no_grad`
/// block and must leave the mode as it found it between slices).
pub fn set_grad_enabled(on: bool) {
    GRAD_ENABLED.with(|g| g.set(on));
}

/// Runs `f` without recording gradients (PyTorch's `with torch.no_grad():`).
pub fn no_grad<T>(f: impl FnOnce() -> T) -> T {
    let _guard = NoGradGuard::new();
    f()
}

/// Turns gradient recording off until dropped; restores the previous mode even on early return.
pub struct NoGradGuard {
    previous: bool,
}

impl NoGradGuard {
    pub fn new() -> Self {
        let previous = GRAD_ENABLED.with(|g| g.replace(false));
        NoGradGuard { previous }
    }
}

impl Default for NoGradGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for NoGradGuard {
    fn drop(&mut self) {
        GRAD_ENABLED.with(|g| g.set(self.previous));
    }
}

/// Sends the output's gradient to each parent: `(grad of output, output value, parents)` to one
/// optional gradient per parent (`None` where a parent needs none).
type BackwardFn = dyn Fn(&Tensor, &Tensor, &[Var]) -> Result<Vec<Option<Tensor>>>;

struct GradFn {
    name: &'static str,
    parents: Vec<Var>,
    backward: Box<BackwardFn>,
}

struct Node {
    /// The forward value.
    value: RefCell<Tensor>,
    /// d(root)/d(this), filled by `backward()` on leaves that require it.
    grad: RefCell<Option<Tensor>>,
    requires_grad: Cell<bool>,
    /// How this value was computed; `None` for leaves and constants.
    grad_fn: Option<GradFn>,
}

impl Drop for Node {
    /// Unlinks the graph iteratively: the default recursive drop would overflow the stack on
    /// the long chains a training loop builds.
    fn drop(&mut self) {
        let Some(f) = self.grad_fn.take() else { return };
        let mut stack = f.parents;
        while let Some(v) = stack.pop() {
            if let Ok(mut node) = Rc::try_unwrap(v.0) {
                if let Some(f) = node.grad_fn.take() {
                    stack.extend(f.parents);
                }
            }
        }
    }
}

/// A tensor in the autograd graph (cheap to clone: clones share the node, like Python names).
#[derive(Clone)]
pub struct Var(Rc<Node>);

impl std::fmt::Debug for Var {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Var({:?}, requires_grad={})",
            self.value().shape(),
            self.requires_grad()
        )
    }
}

impl Var {
    /// A leaf: a constant, or a parameter when `requires_grad`.
    pub fn leaf(value: Tensor, requires_grad: bool) -> Var {
        Var(Rc::new(Node {
            value: RefCell::new(value),
            grad: RefCell::new(None),
            requires_grad: Cell::new(requires_grad),
            grad_fn: None,
        }))
    }

    /// A leaf that needs no gradient.
    pub fn constant(value: Tensor) -> Var {
        Var::leaf(value, false)
    }

    /// Records the result of an operation: it joins the graph only if recording is on and some
    /// parent requires a gradient.
    pub(crate) fn from_op(
        value: Tensor,
        name: &'static str,
        parents: Vec<Var>,
        backward: impl Fn(&Tensor, &Tensor, &[Var]) -> Result<Vec<Option<Tensor>>> + 'static,
    ) -> Var {
        if !grad_enabled() || !parents.iter().any(Var::requires_grad) {
            return Var::constant(value);
        }
        Var(Rc::new(Node {
            value: RefCell::new(value),
            grad: RefCell::new(None),
            requires_grad: Cell::new(true),
            grad_fn: Some(GradFn {
                name,
                parents,
                backward: Box::new(backward),
            }),
        }))
    }

    /// The forward value.
    pub fn value(&self) -> Ref<'_, Tensor> {
        self.0.value.borrow()
    }

    /// The forward value, mutable (optimizers update leaves in place).
    pub fn value_mut(&self) -> RefMut<'_, Tensor> {
        self.0.value.borrow_mut()
    }

    /// The shape of the value.
    pub fn shape(&self) -> Vec<usize> {
        self.value().shape().to_vec()
    }

    /// The accumulated gradient, if `backward()` reached this leaf.
    pub fn grad(&self) -> Option<Tensor> {
        self.0.grad.borrow().clone()
    }

    /// Borrow of the gradient slot (optimizers read it without copying).
    pub fn grad_ref(&self) -> Ref<'_, Option<Tensor>> {
        self.0.grad.borrow()
    }

    /// Replaces the gradient (`None` is PyTorch's `zero_grad(set_to_none=True)`).
    pub fn set_grad(&self, grad: Option<Tensor>) {
        *self.0.grad.borrow_mut() = grad;
    }

    /// Adds `g` to the gradient slot, creating it if empty.
    pub fn accumulate_grad(&self, g: &Tensor) -> Result<()> {
        let mut slot = self.0.grad.borrow_mut();
        let next = match slot.take() {
            Some(old) => old.add(g)?,
            None => g.clone(),
        };
        *slot = Some(next);
        Ok(())
    }

    /// Runs `f` on the gradient's data in place (the slot must hold a gradient already).
    pub fn with_grad_mut(&self, f: impl FnOnce(&mut [f32])) {
        if let Some(g) = self.0.grad.borrow_mut().as_mut() {
            f(g.data_mut());
        }
    }

    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad.get()
    }

    /// Marks a leaf as needing a gradient (PyTorch's `requires_grad_()`); refused on results
    /// of operations, whose gradient flag follows their inputs.
    pub fn set_requires_grad(&self, on: bool) -> Result<()> {
        if self.0.grad_fn.is_some() {
            return Err(TensorError::Invalid(
                "requires_grad can only be changed on leaf tensors; use .detach() first".into(),
            ));
        }
        self.0.requires_grad.set(on);
        Ok(())
    }

    /// Whether this is a leaf (not the result of a recorded operation).
    pub fn is_leaf(&self) -> bool {
        self.0.grad_fn.is_none()
    }

    /// The name of the operation that produced this value, if recorded.
    pub fn op_name(&self) -> Option<&'static str> {
        self.0.grad_fn.as_ref().map(|g| g.name)
    }

    /// A new constant holding a copy of the value (PyTorch's `detach().clone()`).
    pub fn detach(&self) -> Var {
        Var::constant(self.value().clone())
    }

    /// Whether two handles share one node.
    pub fn same(&self, other: &Var) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Back-propagates from this one-element value: fills `.grad` of every leaf that requires
    /// it, adding to what is already there (like PyTorch).
    pub fn backward(&self) -> Result<()> {
        let shape = self.shape();
        if shape.iter().product::<usize>() != 1 {
            return Err(TensorError::Invalid(format!(
                "backward() needs a single number (a loss), but this tensor has shape {}; reduce it first, e.g. with .mean()",
                crate::tensor::shape_str(&shape)
            )));
        }
        if !self.requires_grad() {
            return Err(TensorError::Invalid(
                "backward(): this value does not depend on any tensor that requires a gradient (was it computed under no_grad, or from detached tensors?)".into(),
            ));
        }
        self.backward_with(Tensor::full(&shape, 1.0)?)
    }

    /// Back-propagates a given output gradient (same shape as the value): adds to `.grad` of
    /// every leaf that requires it. The graph is kept (a second backward through it works).
    pub fn backward_with(&self, seed: Tensor) -> Result<()> {
        grad::propagate(&[(self.clone(), seed)], None, |var, g| {
            if var.is_leaf() && var.requires_grad() {
                var.accumulate_grad(g)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod gradcheck;
#[cfg(test)]
pub(crate) use gradcheck::check_sampled as gradcheck_for_tests;
