# Gradient accumulation, no_grad, detach, and manual gradient descent.
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
(w * 2).sum().backward()
print(w.grad)
(w * 3).sum().backward()
print(w.grad)
(w ** 2).sum().backward()
print(w.grad)
with torch.no_grad():
    y = w * 10
print(y, y.requires_grad)
z = w * 10
print(z.requires_grad, z.detach().requires_grad)
d = w.detach()
print(d, d.requires_grad)
e = (w.detach() * w).sum()
w.grad[:] = 0.0
e.backward()
print(w.grad)
x = torch.tensor([3.0], requires_grad=True)
for i in range(3):
    loss = (x * x).sum()
    loss.backward()
    print(i, x.grad)
p = torch.tensor([4.0, -2.0], requires_grad=True)
lr = 0.1
for step in range(5):
    loss = ((p - torch.tensor([1.0, 1.0])) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        p -= lr * p.grad
    p.grad[:] = 0.0
    print(f"step {step}: loss={loss.item():.4f} p={p.detach()}")
print(p.requires_grad, p.grad)
a = torch.tensor(2.0, requires_grad=True)
b = a * a
c = b.detach() * a
c.backward()
print(a.grad)
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
with torch.no_grad():
    m[0, 0] = 10.0
    total = m.sum()
print(m.detach(), total, total.requires_grad)
m.sum().backward()
print(m.grad)
k = torch.tensor([1.0, 2.0], requires_grad=True)
shared = k * k
(shared.sum() + shared.mean()).backward()
print(k.grad)
h = torch.tensor(1.0, requires_grad=True)
out1 = h * 2
out2 = h * 5
out1.backward()
out2.backward()
print(h.grad)
