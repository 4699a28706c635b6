# nn.Sequential of Linear layers and activations.
import torch
from torch import nn

l1 = nn.Linear(3, 4)
l2 = nn.Linear(4, 4)
l3 = nn.Linear(4, 2)
with torch.no_grad():
    l1.weight[:] = torch.sin(torch.arange(12.0)).view(4, 3) * 0.5
    l1.bias[:] = torch.tensor([0.1, -0.1, 0.2, 0.0])
    l2.weight[:] = torch.cos(torch.arange(16.0)).view(4, 4) * 0.4
    l2.bias[:] = torch.zeros(4)
    l3.weight[:] = torch.linspace(-0.5, 0.5, 8).view(2, 4)
    l3.bias[:] = torch.tensor([0.05, -0.05])
print(l1.weight.detach())
net = nn.Sequential(l1, nn.ELU(), l2, nn.ELU(), l3)
x = torch.tensor([[0.0, 1.0, -1.0], [0.5, 0.5, 0.5], [1.0, -2.0, 0.25]])
out = net(x)
print(out.detach())
print(out.shape)
print(len(list(net.parameters())))
total = 0
for p in net.parameters():
    total += p.view(-1).shape[0]
print("parameters:", total)
target = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
loss = ((out - target) ** 2).mean()
loss.backward()
print(f"{loss.item():.6f}")
print(l1.weight.grad)
print(l2.bias.grad)
print(l3.weight.grad)
print(l3.bias.grad)
with torch.no_grad():
    hidden = l1(x)
for act in [nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.SiLU()]:
    print(act(hidden))
small = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
print(len(list(small.parameters())))
