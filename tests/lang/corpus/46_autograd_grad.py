# torch.autograd.grad: divergences of fixed fields, Hutchinson probes, grad_outputs,
# tuples of inputs and outputs, allow_unused; .grad is never touched.
import torch
from torch import nn

x = torch.stack([torch.linspace(-1.0, 1.0, 5), torch.linspace(0.5, -0.5, 5)], dim=1)
x.requires_grad_()
print(x.requires_grad, x.grad)

# a linear field u = x A^T + b: its divergence is trace(A) everywhere
A = torch.tensor([[0.5, -1.0], [2.0, -1.5]])
b = torch.tensor([0.25, -0.75])
u = x @ A.T + b
div = 0
for i in range(2):
    div = div + torch.autograd.grad(u[:, i].sum(), x, retain_graph=True)[0][:, i]
print(div, torch.trace(A).item())
print(x.grad)

# a nonlinear field u = tanh(x W^T + c) V^T: div = sum_k tanh'(z_k) sum_i V_ik W_ki
W = torch.tensor([[1.0, -0.5], [0.3, 0.8], [-1.2, 0.4]])
c = torch.tensor([0.1, -0.2, 0.3])
V = torch.tensor([[0.7, -0.3, 0.5], [0.2, 0.9, -0.6]])
h = torch.tanh(x @ W.T + c)
u = h @ V.T
div = torch.zeros(5)
for i in range(2):
    g = torch.autograd.grad(u[:, i].sum(), x, retain_graph=True)[0]
    div = div + g[:, i]
with torch.no_grad():
    d = 1 - h ** 2
    analytic = (d * (V.T * W).sum(dim=1)).sum(dim=1)
print(div)
print(analytic)
print(f"max difference {(div - analytic).abs().max().item():.6f}")

# Hutchinson: the four Rademacher probes of a 2-D field average to the exact divergence
probes = [[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]]
total = torch.zeros(5)
for p in probes:
    eps = torch.tensor(p).expand(5, 2)
    vjp = torch.autograd.grad(u, x, grad_outputs=eps, retain_graph=True)[0]
    hutch = (vjp * eps).sum(-1)
    total = total + hutch
    print(p, hutch)
print(total / 4)

# random probes: only seed-independent facts
torch.manual_seed(0)
eps = torch.randint(0, 2, (5, 2)).float() * 2 - 1
print(eps.shape, eps.dtype, eps.abs().sum().item())
vjp = torch.autograd.grad(u, x, grad_outputs=eps)[0]
print(vjp.shape, (vjp * eps).sum(-1).shape)

# through a model: nn.Sequential with set weights, and a time input
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
with torch.no_grad():
    model[0].weight[:] = torch.tensor([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4], [-0.6, 0.1, 0.2], [0.2, -0.7, 0.9]])
    model[0].bias[:] = torch.tensor([0.1, 0.0, -0.1, 0.2])
    model[2].weight[:] = torch.tensor([[0.4, -0.3, 0.2, 0.1], [-0.5, 0.6, 0.3, -0.2]])
    model[2].bias[:] = torch.tensor([0.05, -0.05])
t = torch.linspace(0.0, 1.0, 5).unsqueeze(1)
v = model(torch.cat([x, t], dim=-1))
div = 0
for i in range(2):
    div = div + torch.autograd.grad(v[:, i].sum(), x, retain_graph=True)[0][:, i]
print(div)
print(model[0].weight.grad, x.grad)
ones = torch.ones(5, 2)
print(torch.autograd.grad(v, x, grad_outputs=ones, retain_graph=True)[0])
(v ** 2).sum().backward()
print(model[2].bias.grad)

# tuples of inputs, lists of outputs, grad_outputs with None, intermediates
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = (a * w).sum()
ga, gw = torch.autograd.grad(y, (a, w), retain_graph=True)
print(ga, gw)
print(torch.autograd.grad([y, (a ** 2).sum()], [a], retain_graph=True))
print(torch.autograd.grad([a * 2, (a ** 2).sum()], a, grad_outputs=[torch.tensor([1.0, 0.0, -1.0]), None]))
m = a * w
z = (m ** 2).sum()
print(torch.autograd.grad(z, m, retain_graph=True))
print(torch.autograd.grad(z, [m, a], retain_graph=True))
unused = torch.tensor([1.0, 1.0], requires_grad=True)
print(torch.autograd.grad(z, [a, unused], allow_unused=True, retain_graph=True))
print(torch.autograd.grad(z, [a, unused], materialize_grads=True, retain_graph=True))
with torch.no_grad():
    print(torch.autograd.grad(z, w, retain_graph=False, create_graph=False))
print(a.grad, w.grad, unused.grad)
s = torch.tensor(3.0, requires_grad=True)
print(torch.autograd.grad(s * s * s, s))
grads = torch.autograd.grad(s * 2, [s])
print(len(grads), isinstance(grads, tuple), grads[0].requires_grad)
