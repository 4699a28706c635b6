# torch.trace, torch.diag, torch.diagonal (functions and methods): values, offsets,
# non-square matrices, how results print, and gradients through them.
import torch

m = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
print(torch.trace(m), m.trace(), m.trace().item())
print(torch.diag(m), m.diag(), torch.diag(m, 1), m.diag(-2), torch.diag(m, diagonal=-1))
print(torch.diagonal(m), m.diagonal(), m.diagonal(1), m.diagonal(offset=-1), torch.diagonal(m, 0, 1, 0))
v = torch.tensor([1.5, -2.0, 0.5])
print(torch.diag(v))
print(torch.diag(v, 1))
print(v.diag(-1).shape, torch.diag(torch.diag(v)))
r = torch.arange(0.0, 6.0).view(2, 3)
print(r.trace(), torch.diag(r), r.diagonal(2), r.T.diagonal(), r.diagonal(5).shape)

# gradients
a = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
t = torch.trace(a)
print(t)
t.backward()
print(a.grad)
a.grad = None
d = torch.diag(a)
print(d)
(d * torch.tensor([2.0, -1.0])).sum().backward()
print(a.grad)
a.grad = None
dd = a.diagonal(offset=1)
print(dd)
(dd ** 2).sum().backward()
print(a.grad)
w = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
D = torch.diag(w)
print(D)
(D @ torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])).sum().backward()
print(w.grad)
w.grad = None
E = torch.diag(w, -1)
(E * torch.arange(1.0, 17.0).view(4, 4)).sum().backward()
print(w.grad)

# the trace of a Jacobian is a divergence: J = A for u = x A^T, trace(A A^T) = ||A||^2
A = torch.tensor([[0.5, -1.0], [2.0, 1.5]], requires_grad=True)
q = torch.trace(A @ A.T)
q.backward()
print(q.item(), (A * A).sum().item())
print(A.grad)
B = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
g = torch.autograd.grad(torch.trace(B @ B), B)[0]
print(g, 2 * B.T.detach())
print(torch.trace(torch.diag(torch.tensor([1.0, 2.0, 3.0]))))
print(f"{torch.trace(m):.1f} {m.diag().sum().item()}")
