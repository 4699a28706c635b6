//! Each kind of mistake an attendee makes, triggered on purpose: the error names the right line
//! and says what fixes it, and the session keeps working afterwards.
#![cfg(feature = "lang")]

use flowlab::lang::interp::Session;
use flowlab::lang::ErrorKind;

/// The lab's imports and a small model, so each case can start where the lab is.
const PRELUDE: &str = "import torch
import numpy as np
from sklearn.datasets import make_moons
from torch import nn
import matplotlib.pyplot as plt
batch_size = 256
";

/// Runs `PRELUDE + case` and returns (kind, line within `case`, message).
fn fail(case: &str) -> (ErrorKind, u32, String) {
    let source = format!("{PRELUDE}{case}");
    let mut s = Session::new(0);
    let e = s
        .run(&source)
        .expect_err(&format!("expected an error from:\n{case}"));
    let offset = PRELUDE.lines().count() as u32;
    // the session stays usable after the error
    s.run(&format!("{PRELUDE}print(batch_size)")).unwrap();
    assert_eq!(s.take_text().lines().last(), Some("256"));
    (e.kind, e.line().saturating_sub(offset), e.message)
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for p in parts {
        assert!(message.contains(p), "{p:?} missing from: {message}");
    }
}

#[test]
fn a_syntax_error_names_its_line_and_what_was_expected() {
    let (kind, line, msg) = fail("x = 1\nfor i in range(10)\n    x += i\n");
    assert_eq!((kind, line), (ErrorKind::Syntax, 2));
    assert_mentions(&msg, &["expected ':'"]);
}

#[test]
fn an_unknown_name_suggests_the_nearest_known_one() {
    let (kind, line, msg) = fail("x = 1\nt = torch.rand(batchsize, 1)\n");
    assert_eq!((kind, line), (ErrorKind::Name, 2));
    assert_mentions(
        &msg,
        &["'batchsize' is not defined", "did you mean 'batch_size'?"],
    );
    let (_, _, msg) = fail("flow = nn.Linear(3, 2)\nfor p in flow.paramters():\n    pass\n");
    assert_mentions(
        &msg,
        &["has no attribute 'paramters'", "did you mean 'parameters'?"],
    );
    let (_, _, msg) = fail("x = torch.randn(4, 2)\ny = x.sum(dimm=0)\n");
    assert_mentions(
        &msg,
        &["unexpected keyword argument 'dimm'", "did you mean 'dim'?"],
    );
}

#[test]
fn unsupported_python_says_what_to_write_instead() {
    let (kind, line, msg) = fail("x = 1\ntry:\n    x = 2\nexcept ValueError:\n    pass\n");
    assert_eq!((kind, line), (ErrorKind::Unsupported, 2));
    assert_mentions(&msg, &["try"]);
    let (kind, line, msg) = fail("f = lambda x: x + 1\n");
    assert_eq!((kind, line), (ErrorKind::Unsupported, 1));
    assert_mentions(&msg, &["lambda", "def"]);
}

#[test]
fn a_shape_mismatch_names_both_shapes_and_the_likely_fix() {
    let case = "x_1 = torch.Tensor(make_moons(batch_size, noise=0.05)[0])
x_0 = torch.randn_like(x_1)
t = torch.rand(batch_size)
x_t = (1 - t) * x_0 + t * x_1
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Shape, 4));
    assert_mentions(
        &msg,
        &[
            "(256,)",
            "(256, 2)",
            "did you mean torch.rand(batch_size, 1)?",
        ],
    );
    let (kind, line, msg) = fail("a = torch.randn(4, 3)\nb = torch.randn(4, 3)\nc = a @ b\n");
    assert_eq!((kind, line), (ErrorKind::Shape, 3));
    assert_mentions(
        &msg,
        &[
            "a has shape (4, 3) but b has shape (4, 3)",
            "last dimension",
        ],
    );
    let (_, line, msg) = fail("lin = nn.Linear(3, 64)\nx = torch.randn(8, 2)\ny = lin(x)\n");
    assert_eq!(line, 3);
    assert_mentions(
        &msg,
        &[
            "last dimension is 3",
            "(8, 2)",
            "torch.cat((t, x_t), dim=-1)",
        ],
    );
}

#[test]
fn backward_on_a_non_scalar_says_to_reduce_it_first() {
    let case = "net = nn.Linear(2, 2)
x = torch.randn(5, 2)
loss = (net(x) - x) ** 2
loss.backward()
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Shape, 4));
    assert_mentions(&msg, &["scalar outputs", "(5, 2)", ".mean()"]);
}

#[test]
fn a_loss_that_diverges_points_at_the_learning_rate() {
    let case = "net = nn.Sequential(nn.Linear(2, 16), nn.ELU(), nn.Linear(16, 2))
opt = torch.optim.SGD(net.parameters(), lr=1e6)
x = torch.randn(64, 2)
for it in range(100):
    loss = ((net(x) - 3 * x) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Numerics, 7));
    assert_mentions(&msg, &["training diverged", "learning rate"]);
}

#[test]
fn a_tensor_over_the_element_limit_is_refused_before_allocating() {
    let (kind, line, msg) = fail("n = 100_000\nbig = torch.zeros(n, n)\n");
    assert_eq!((kind, line), (ErrorKind::Limit, 2));
    assert_mentions(&msg, &["(100000, 100000)", "over the limit"]);
}

#[test]
fn an_endless_loop_stops_at_the_operation_budget() {
    let mut s = Session::new(0);
    s.set_op_limit(1_000_000);
    let e = s.run("x = 0\nwhile x >= 0:\n    x += 1\n").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!((2..=3).contains(&e.line()), "{e}");
    assert!(e.message.contains("operations without finishing"), "{e}");
    // the namespace kept what the loop did before it was stopped
    s.run("print(x > 1000)").unwrap();
    assert_eq!(s.take_text(), "True\n");
}

#[test]
fn a_paused_cell_can_be_interrupted_and_keeps_its_namespace() {
    let mut s = Session::new(0);
    s.start("total = 0\nfor i in range(10_000_000):\n    total += i\n")
        .unwrap();
    let mut budget = 5_000;
    let progress = s.resume(&mut || {
        budget -= 1;
        budget == 0
    });
    assert!(matches!(
        progress,
        Ok(flowlab::lang::interp::Progress::Paused)
    ));
    assert!(s.running());
    let (done, total) = s.loop_progress().unwrap();
    assert!(done > 0 && total == 10_000_000, "{done} / {total}");
    let e = s.interrupt().unwrap();
    assert_eq!(e.kind, ErrorKind::Interrupted);
    assert!(!s.running());
    s.run("print(total > 0, i > 0)").unwrap();
    assert_eq!(s.take_text(), "True True\n");
}

#[test]
fn runaway_recursion_is_an_error_not_a_crash() {
    let (kind, line, msg) = fail("def f(n):\n    return f(n + 1)\nf(0)\n");
    assert_eq!((kind, line), (ErrorKind::Limit, 2));
    assert_mentions(&msg, &["recursion", "base case"]);
}

#[test]
fn an_error_inside_a_function_names_the_call_site() {
    let case = "def velocity(x, t):
    return x * t + y

v = velocity(torch.ones(2), 0.5)
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Name, 2));
    assert_mentions(
        &msg,
        &["'y' is not defined", "in velocity, called from line"],
    );
}

#[test]
fn dividing_by_zero_and_bad_indices_name_their_line() {
    let (kind, line, _) = fail("a = 1\nb = a / 0\n");
    assert_eq!((kind, line), (ErrorKind::ZeroDivision, 2));
    let (kind, line, msg) = fail("x = torch.zeros(3, 2)\ny = x[3]\n");
    assert_eq!((kind, line), (ErrorKind::Index, 2));
    assert_mentions(&msg, &["index 3 is out of bounds", "size 3"]);
}

#[test]
fn plotting_a_tensor_that_requires_grad_says_to_detach_it() {
    let case = "net = nn.Linear(2, 2)
y = net(torch.randn(10, 2))
plt.scatter(y[:, 0], y[:, 1])
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Type, 3));
    assert_mentions(&msg, &["detach()"]);
}

#[test]
fn a_blank_left_in_the_todo_lab_says_to_fill_it_in() {
    let case = "x_1 = ...  # TODO
x_0 = torch.randn(batch_size, 2)
x_t = x_0 + x_1
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Type, 3));
    assert_mentions(&msg, &["blank still to fill in", "TODO"]);
}

#[test]
fn numpy_on_a_tensor_that_requires_grad_gives_pytorchs_fix() {
    let (kind, line, msg) = fail("w = torch.ones(3, requires_grad=True)\na = w.numpy()\n");
    assert_eq!((kind, line), (ErrorKind::Type, 2));
    assert_mentions(&msg, &["detach().numpy()"]);
}

#[test]
fn changing_a_parameter_in_place_outside_no_grad_is_explained() {
    let case = "w = torch.ones(3, requires_grad=True)
w -= 0.1
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Value, 2));
    assert_mentions(&msg, &["torch.no_grad()"]);
}

#[test]
fn recursion_through_a_sequential_ends_in_an_error_within_wasms_stack() {
    // a module that calls itself through nn.Sequential recurses in native code (the layers
    // call back into the interpreter): the call-depth limit must stop it well inside the 1 MiB
    // stack a wasm thread has
    let case = "import torch
from torch import nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
    def forward(self, x):
        return self.seq(x)
m = M()
m.seq = nn.Sequential(m)
m(torch.ones(1, 2))
";
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || Session::new(0).run(case).unwrap_err())
        .unwrap();
    let e = handle.join().expect("no stack overflow");
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("recursion"), "{e}");
}

#[test]
fn autograd_grad_refuses_what_pytorch_refuses_with_the_fix() {
    let field = "x = torch.randn(5, 2, requires_grad=True)\nu = torch.tanh(x) * 2\n";
    let (kind, line, msg) = fail(&format!("{field}g = torch.autograd.grad(u, x)\n"));
    assert_eq!((kind, line), (ErrorKind::Shape, 3));
    assert_mentions(
        &msg,
        &[
            "grad can be implicitly created only for scalar outputs",
            "(5, 2)",
            "grad_outputs=",
        ],
    );
    let (kind, line, msg) = fail(&format!(
        "{field}y = torch.randn(3, requires_grad=True)\ng = torch.autograd.grad(u.sum(), [x, y])\n"
    ));
    assert_eq!((kind, line), (ErrorKind::Value, 4));
    assert_mentions(
        &msg,
        &[
            "The differentiated Tensor at index 1 appears to not have been used in the graph",
            "allow_unused=True",
        ],
    );
    let (kind, _, msg) = fail(&format!(
        "{field}g = torch.autograd.grad(u, x, grad_outputs=torch.ones(5))\n"
    ));
    assert_eq!(kind, ErrorKind::Shape);
    assert_mentions(
        &msg,
        &["Mismatch in shape: grad_output[0] has a shape of torch.Size([5]) and output[0] has a shape of torch.Size([5, 2])"],
    );
    let (_, _, msg) = fail(&format!(
        "{field}g = torch.autograd.grad([u.sum(), u.mean()], x, grad_outputs=[None])\n"
    ));
    assert_mentions(&msg, &["got 2 tensors and 1 gradients"]);
    let (kind, _, msg) = fail(&format!(
        "{field}g = torch.autograd.grad(u.sum(), torch.ones(2))\n"
    ));
    assert_eq!(kind, ErrorKind::Value);
    assert_mentions(
        &msg,
        &[
            "One of the differentiated Tensors does not require grad",
            "requires_grad",
        ],
    );
    let (_, _, msg) = fail(&format!(
        "{field}with torch.no_grad():\n    v = x * 2\ng = torch.autograd.grad(v.sum(), x)\n"
    ));
    assert_mentions(&msg, &["element 0 of tensors does not require grad"]);
    let (_, _, msg) = fail("g = torch.autograd.grad(3.0, torch.ones(2))\n");
    assert_mentions(
        &msg,
        &["outputs must be a tensor or a list/tuple of tensors"],
    );
}

#[test]
fn create_graph_is_refused_with_what_to_do_instead() {
    let case = "x = torch.randn(5, 2, requires_grad=True)
u = torch.tanh(x)
g = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
";
    let (kind, line, msg) = fail(case);
    assert_eq!((kind, line), (ErrorKind::Unsupported, 3));
    assert_mentions(
        &msg,
        &[
            "create_graph=True (differentiating a gradient again) is not supported",
            "without create_graph",
            "torch.no_grad()",
        ],
    );
}

#[test]
fn the_graph_is_kept_after_grad_so_retain_graph_changes_nothing() {
    // PyTorch frees the graph after a grad without retain_graph=True; the engine never does,
    // so a second pass works (documented; no program relies on the error)
    let mut s = Session::new(0);
    s.run(
        "import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
a = torch.autograd.grad(y, x)[0]
b = torch.autograd.grad(y, x, retain_graph=False)[0]
y.backward()
print(a, b, x.grad)
",
    )
    .unwrap();
    assert_eq!(
        s.take_text(),
        "tensor([ 3., 12.]) tensor([ 3., 12.]) tensor([ 3., 12.])\n"
    );
}

#[test]
fn randint_and_integer_tensors_say_what_pytorch_says() {
    let (kind, line, msg) = fail("eps = torch.randint(0, 2, 5)\n");
    assert_eq!((kind, line), (ErrorKind::Type, 1));
    assert_mentions(&msg, &["size must be a tuple", "(5,)"]);
    let (kind, _, msg) = fail("eps = torch.randint(2, 2, (5,))\n");
    assert_eq!(kind, ErrorKind::Value);
    assert_mentions(&msg, &["from=2 >= to=2"]);
    let (_, _, msg) = fail("eps = torch.randint(0, 2, (5,), requires_grad=True)\n");
    assert_mentions(&msg, &["floating point", ".float()"]);
    let (_, _, msg) = fail("eps = torch.randint(0, 2.5, (5,))\n");
    assert_mentions(&msg, &["high must be an int"]);
    let (kind, line, msg) = fail("eps = torch.randint(0, 2, (5, 2))\nm = eps.mean()\n");
    assert_eq!((kind, line), (ErrorKind::Type, 2));
    assert_mentions(&msg, &["Got: Long", ".float()"]);
    let (_, _, msg) = fail("eps = torch.randint(0, 2, (5, 2))\neps *= 0.5\n");
    assert_mentions(&msg, &["can't be cast to the desired output type Long"]);
}

#[test]
fn a_normal_checks_its_parameters_and_values_as_pytorch_does() {
    let (kind, line, msg) = fail(
        "from torch.distributions import Normal\nd = Normal(torch.zeros(2), torch.tensor([1.0, -2.0]))\n",
    );
    assert_eq!((kind, line), (ErrorKind::Value, 2));
    assert_mentions(
        &msg,
        &[
            "Expected parameter scale (Tensor of shape (2,)) of distribution Normal(loc: torch.Size([2]), scale: torch.Size([2])) to satisfy the constraint GreaterThan(lower_bound=0.0), but found invalid values:\ntensor([ 1., -2.])",
        ],
    );
    let normal = "d = torch.distributions.Normal(torch.zeros(2), 1.0)\n";
    let (_, _, msg) = fail(&format!("{normal}lp = d.log_prob(torch.zeros(3))\n"));
    assert_mentions(
        &msg,
        &["Value is not broadcastable with batch_shape+event_shape: torch.Size([3]) vs torch.Size([2])."],
    );
    let (_, _, msg) = fail(&format!("{normal}lp = d.log_prob(0.5)\n"));
    assert_mentions(&msg, &["The value argument to log_prob must be a Tensor"]);
    let (kind, _, msg) = fail(&format!("{normal}s = d.sample(3)\n"));
    assert_eq!(kind, ErrorKind::Type);
    assert_mentions(&msg, &["not iterable", "sample((3,))"]);
    let (_, _, msg) = fail("d = torch.distributions.Normal([0.0], 1.0)\n");
    assert_mentions(&msg, &["loc must be a number or a tensor"]);
}

#[test]
fn diagonals_of_the_wrong_rank_name_the_shape() {
    let (kind, line, msg) = fail("v = torch.ones(3)\nt = torch.trace(v)\n");
    assert_eq!((kind, line), (ErrorKind::Shape, 2));
    assert_mentions(&msg, &["trace()", "(3,)"]);
    let (_, _, msg) = fail("v = torch.ones(2, 2, 2)\nd = torch.diag(v)\n");
    assert_mentions(&msg, &["Supports 1D or 2D tensors. Got 3D"]);
}

#[test]
fn integers_past_two_to_the_24_are_refused_not_rounded() {
    let (kind, line, msg) = fail("x = torch.randint(1, 5, (4,))\ny = x * 2**25\n");
    assert_eq!((kind, line), (ErrorKind::Limit, 2));
    assert_mentions(&msg, &["2**24", ".float()"]);
    // as floats the same numbers are fine
    let mut s = Session::new(0);
    s.run(&format!(
        "{PRELUDE}x = torch.randint(1, 5, (4,)).float() * 2**25\nprint(x.shape)"
    ))
    .unwrap();
}
