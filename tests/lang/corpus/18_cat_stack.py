# torch.cat and torch.stack along different dimensions.
import torch

a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, 4.0, 5.0])
print(torch.cat([a, b]))
print(torch.cat((a, b), dim=0))
print(torch.cat([a, a, a]).shape)
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
n = torch.tensor([[5.0, 6.0]])
print(torch.cat([m, n]))
print(torch.cat([m, n], dim=0).shape)
k = torch.tensor([[7.0], [8.0]])
print(torch.cat([m, k], dim=1))
print(torch.cat((k, m), dim=-1))
print(torch.stack([a, a * 2]))
print(torch.stack([a, a * 2], dim=1))
print(torch.stack([a, -a], dim=-1))
print(torch.stack([m, m * 10]).shape)
print(torch.stack([m, m * 10], dim=1))
print(torch.stack([m, m * 10], dim=2).shape)
s = [torch.tensor(float(i)) for i in range(4)]
print(torch.stack(s))
print(torch.stack(s).shape)
t = torch.linspace(0, 1, 3).view(3, 1)
x = torch.tensor([[1.0, -1.0], [2.0, -2.0], [3.0, -3.0]])
tx = torch.cat((t, x), dim=-1)
print(tx)
print(tx.shape)
rows = [torch.ones(2) * i for i in range(3)]
print(torch.stack(rows, dim=0))
print(torch.cat(rows))
cube = torch.stack([torch.zeros(2, 2), torch.ones(2, 2)], dim=0)
print(cube)
print(torch.cat([cube, cube], dim=2).shape)
print(torch.cat([torch.zeros(0), a]))
pieces = []
for i in range(3):
    pieces = pieces + [torch.tensor([[float(i), float(i * i)]])]
print(torch.cat(pieces, dim=0))
print(torch.stack([a, a], dim=0).sum(dim=0))
