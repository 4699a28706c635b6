# torch.randint and int64 tensors: how they print, dtype, bounds, int arithmetic, .float(),
# .long(), .item(); random draws print only seed-independent facts.
import torch
import numpy as np

torch.manual_seed(0)
z = torch.randint(0, 1, (2, 3))
print(z)
print(z.dtype, z.shape, z.requires_grad)
print(torch.randint(5, 6, (4,)), torch.randint(1, (3,)), torch.randint(7, 8, ()))
print(torch.randint(-3, -2, (2, 2)))
print(torch.randint(high=1, size=(2,)), torch.randint(low=2, high=3, size=(3,)), torch.randint(4, 5, size=(1, 2)))
print(torch.randint(0, 1, (0,)), torch.randint(0, 1, (0, 3)))

r = torch.randint(0, 10, (200,))
print(r.shape, r.min().item() >= 0, r.max().item() <= 9, r.dtype == torch.int64, r.dtype == torch.long)
b = torch.randint(0, 2, (5, 2))
print(b.shape, b.min().item() >= 0, b.max().item() <= 1)
signs = b * 2 - 1
print(signs.dtype, signs.abs().sum().item(), (signs * signs).sum())
eps = torch.randint(0, 2, (5, 2)).float() * 2 - 1
print(eps.dtype, eps.abs().sum(), (eps ** 2).mean())

# int arithmetic on a known int tensor
k = torch.randint(3, 4, (2, 3))
print(k * 2 - 1, -k, k + k, k ** 2)
print(k * 0.5, k / 2, k + torch.ones(2, 3))
print(k.sum(), k.sum().item(), k[0, 1].item(), k.tolist())
print(k.float(), k.float().dtype, k.float().long(), k.long().dtype)
print(torch.tensor([1.7, -1.7, 2.0]).long(), k.to(torch.float32).dtype, k.T, k.view(3, 2).dtype)
print(f"{k.sum()} {k[1, 2]:3d} {k.float().mean().item()}")
print(torch.cat([k, k], dim=0).shape, torch.cat([k, k]).dtype, torch.stack([k[0], k[1]]))
k += 1
print(k)
print(torch.randint(0, 2, (3,), dtype=torch.float32).dtype, torch.randint(0, 1, (2,), dtype=torch.float32))
print(np.array([1, 2, 3]) * 2 - 1)
