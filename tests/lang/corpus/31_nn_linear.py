# nn.Linear with explicitly set weights: forward, backward, parameters().
import torch
from torch import nn

lin = nn.Linear(2, 3)
with torch.no_grad():
    lin.weight[:] = torch.tensor([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]])
    lin.bias[:] = torch.tensor([0.1, -0.2, 0.0])
print(lin.weight.shape, lin.bias.shape)
print(lin.weight)
print(lin.bias)
print(lin.weight.requires_grad, lin.bias.requires_grad, lin.weight.grad)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
y = lin(x)
print(y.detach())
print(y.shape)
print(lin(torch.tensor([0.5, 0.5])).detach())
loss = (y ** 2).mean()
print(f"loss {loss.item():.6f}")
loss.backward()
print(lin.weight.grad)
print(lin.bias.grad)
params = list(lin.parameters())
print(len(params), params[0].shape, params[1].shape)
for p in lin.parameters():
    print(p.shape, p.grad.shape, p.requires_grad)
manual = x @ lin.weight.detach().T + lin.bias.detach()
print(manual)
single = nn.Linear(3, 1)
with torch.no_grad():
    single.weight[:] = torch.tensor([[0.2, 0.4, -0.6]])
    single.bias[:] = 1.0
inp = torch.tensor([[1.0, 1.0, 1.0], [0.0, 2.0, 1.0], [-1.0, 0.0, 3.0]], requires_grad=True)
out = single(inp)
print(out.detach(), out.shape)
out.sum().backward()
print(inp.grad)
print(single.weight.grad, single.bias.grad)
swap = nn.Linear(2, 2)
with torch.no_grad():
    swap.weight[:] = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    swap.bias[:] = torch.zeros(2)
print(swap(torch.tensor([[3.0, 4.0]])).detach())
print(len(list(swap.parameters())))
wide = nn.Linear(4, 2)
with torch.no_grad():
    wide.weight[:] = torch.linspace(-1, 1, 8).view(2, 4)
    wide.bias[:] = torch.zeros(2)
print(wide.weight.detach())
print(wide(torch.ones(3, 4)).detach())
batch = torch.arange(8.0).view(2, 4) / 8
print(wide(batch).detach())
