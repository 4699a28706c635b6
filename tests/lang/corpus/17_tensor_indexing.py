# Tensor indexing and slicing, negative indices, None/Ellipsis, assignment.
import torch

x = torch.arange(12.0).view(3, 4)
print(x)
print(x[0], x[-1], x[1, 2], x[-1, -2])
print(x[:, 0])
print(x[:, -1])
print(x[1:3])
print(x[:, 1:3])
print(x[-2:, :2])
print(x[0, 1:])
print(x[..., None].shape)
print(x[:, 0][..., None])
print(x[None].shape, x[:, None].shape, x[None, :, None].shape)
print(x[..., 0], x[..., -1])
print(x[::2])
print(x[:, ::3])
v = torch.linspace(0, 1, 5)
print(v[1:3], v[-2:], v[:-1], v[3])
print(v[2].item(), v[-1].item())
y = torch.zeros(3, 2)
y[0] = torch.tensor([1.0, 2.0])
print(y)
y[1, 1] = 5.0
y[-1] = 7.0
print(y)
y[:, 0] = torch.tensor([9.0, 8.0, 7.0])
print(y)
y[1:] = torch.ones(2, 2) * 0.5
print(y)
xt = torch.zeros(4, 3, 2)
for i in range(4):
    xt[i] = torch.ones(3, 2) * i
print(xt[2])
print(xt[:, 0, 1])
print(xt[-1, -1])
print(xt.sum(), xt[1:3].shape)
z = torch.zeros(5)
z[1:4] = torch.tensor([1.0, 2.0, 3.0])
print(z)
z[0] = z[3] * 2
print(z)
b = x[1]
b[0] = 100.0
print(x[1])
c = x.clone()
c[0, 0] = -1.0
print(x[0, 0].item(), c[0, 0].item())
for i in range(x.shape[0]):
    print(i, x[i, i].item())
pts = torch.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
xs = pts[:, 0]
ys = pts[:, 1]
print(xs, ys, xs + ys)
print(pts[1:2], pts[1:2].shape, pts[1].shape)
