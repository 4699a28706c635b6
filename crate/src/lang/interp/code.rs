//! Compiled code: a flat list of stack-machine instructions per function, class body or cell.
//!
//! The interpreter runs bytecode rather than walking the tree so that a run can stop after any
//! instruction and resume later (every frame, stack and loop lives in plain data): a
//! 10,000-iteration cell runs in slices, reports progress, and can be interrupted.

use super::value::Value;
use crate::lang::ast::{BinOp, CmpOp, ParamKind, Span, UnaryOp};
use std::rc::Rc;

/// One instruction. Operands index the [`Code`]'s tables.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Const(u32),
    /// A cell's or class body's name: its own namespace, then the globals, then built-ins.
    LoadName(u32),
    StoreName(u32),
    DelName(u32),
    /// A function's local variable, by slot.
    LoadFast(u32),
    StoreFast(u32),
    DelFast(u32),
    /// A name a function reads but never assigns: the globals, then built-ins.
    LoadGlobal(u32),
    LoadAttr(u32),
    /// Stack: value, object.
    StoreAttr(u32),
    DelAttr(u32),
    /// Stack: object, index.
    LoadSubscript,
    /// Stack: value, object, index.
    StoreSubscript,
    DelSubscript,
    /// Bits 1, 2, 4: lower, upper and step are on the stack (in that order).
    BuildSlice(u8),
    BuildTuple(u32),
    BuildList(u32),
    BuildDict(u32),
    /// Appends the top to the list `n` items below it (list comprehensions).
    ListAppend(u32),
    /// Replaces a sequence on top by its `n` items, the first on top.
    Unpack(u32),
    /// The operator and the index of its operands' source text in [`Code::operands`].
    Binary(BinOp, u32),
    /// `target op= value`: in place where Python would be (tensors, lists).
    InPlace(BinOp, u32),
    Unary(UnaryOp),
    Compare(CmpOp),
    Jump(u32),
    PopJumpIfFalse(u32),
    PopJumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    GetIter,
    /// Pushes the next item of the iterator on top, or pops it and jumps when it is done.
    ForIter(u32),
    /// `argc` values (positional then keyword) above the callee; `kw` indexes
    /// [`Code::kwnames`] (`u32::MAX`: none); `origin` indexes [`Code::texts`] (`u32::MAX`:
    /// none): the call's source, remembered on a tensor it creates.
    Call {
        argc: u32,
        kw: u32,
        origin: u32,
    },
    /// A call with `*args` / `**kwargs`: [`Code::call_shapes`] says what each value is.
    CallEx(u32),
    Pop,
    Dup,
    DupTwo,
    RotTwo,
    RotThree,
    Return,
    /// Stack: defaults..., code. Makes a function with `n` defaults.
    MakeFunction(u32),
    /// Stack: bases..., code. Runs the class body, then pushes the class.
    MakeClass(u32),
    /// Pushes the built-in module named by `names[i]` (a dotted path).
    Import(u32),
    /// `from m import x`: pushes attribute `names[i]` of the module on top (keeps the module).
    ImportFrom(u32),
    /// An f-string field: conversion (0 none, 1 `!s`, 2 `!r`, 3 `!a`), whether a spec is on top.
    FormatValue(u8, bool),
    BuildString(u32),
    EnterWith,
    ExitWith,
    /// Stack: message (when the flag is set). Raises `AssertionError`.
    AssertFail(bool),
    /// `super()` with no arguments, inside a method.
    Super,
}

/// What an argument of a [`Op::CallEx`] call is.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgShape {
    Positional,
    Star,
    Keyword(Rc<str>),
    StarStar,
}

/// What kind of body a [`Code`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// A cell or file: names live in the globals.
    Module,
    /// A `def`: locals in slots.
    Function,
    /// A class body: names live in the class's namespace.
    Class,
}

/// A parameter of a function.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    pub name: Rc<str>,
    pub kind: ParamKind,
    /// Index into the function's defaults, if it has one.
    pub default: Option<usize>,
}

/// A compiled function, class body or cell.
#[derive(Debug, Default)]
pub struct Code {
    /// The function's name (`<cell>` for a cell, the class's name for a class body).
    pub name: Rc<str>,
    pub kind: Option<CodeKind>,
    pub ops: Vec<Op>,
    /// Where each instruction came from (same length as `ops`).
    pub spans: Vec<Span>,
    pub consts: Vec<Value>,
    pub names: Vec<Rc<str>>,
    /// Local slot names (functions): parameters first.
    pub locals: Vec<Rc<str>>,
    pub params: Vec<ParamSpec>,
    pub kwnames: Vec<Vec<Rc<str>>>,
    pub call_shapes: Vec<Vec<ArgShape>>,
    /// Source text of binary operands (for shape errors) and of tensor-creating calls.
    pub operands: Vec<(Rc<str>, Rc<str>)>,
    pub texts: Vec<Rc<str>>,
    /// For a method: the name of the class whose body defined it (zero-argument `super()`).
    pub class_name: Option<Rc<str>>,
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}>", self.type_name())
    }
}
