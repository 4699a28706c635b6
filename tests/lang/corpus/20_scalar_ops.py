# Tensor arithmetic with Python scalars on both sides, and 0-d tensors.
import torch

t = torch.tensor([0.5, 1.0, 2.0, 4.0])
print(t + 1, 1 + t)
print(t - 1, 1 - t)
print(t * 3, 3 * t, t * 0.5)
print(t / 2, 2 / t, 1.0 / t)
print(t ** 2, t ** 0.5, t ** -1)
print(2 ** t)
print(-t, -(-t))
print(t * 2 + 1, (t + 1) * 2, t / t)
print(t - t, t * t - t)
print(t * 1, t * -1)
s = torch.tensor(3.0)
print(s + 1, 1 - s, s * s, s / 2, s ** 2, 2 ** s)
print((s + 1).item(), (s * t).shape, s.shape)
print(s * t)
print(t + s)
print(t @ t, (t @ t).item())
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
w = torch.tensor([0.5, -0.5])
print(m @ w)
print(w @ m)
print(m @ m)
print(m @ m.T)
print(torch.tensor([[1.0, 2.0, 3.0]]) @ torch.tensor([[1.0], [0.0], [-1.0]]))
i = 3
f = 0.25
print(t * i, t + f, t * i * f, i - t * f)
acc = torch.zeros(2)
acc += torch.tensor([1.0, 2.0])
acc *= 3
acc -= 0.5
acc /= 2
print(acc)
u = acc
u += 1
print(acc, u)
k = torch.tensor([1.0, 2.0])
k = k + 1
print(k)
x = torch.tensor(0.1)
y = x * 3
print(y, y.item(), f"{y.item():.10f}")
print(torch.tensor(1.0) / 3, (torch.tensor(1.0) / 3).item())
print(float(s), float(torch.tensor(0.25)), int(torch.tensor(7.9)))
print(t.sum() / len(t), t.mean() * 2 - 1)
