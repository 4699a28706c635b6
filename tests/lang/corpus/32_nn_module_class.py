# Subclassing nn.Module: __init__, super().__init__(), forward, extra methods.
import torch
from torch import nn

class Affine(nn.Module):
    def __init__(self, scale, shift):
        super().__init__()
        self.scale = scale
        self.shift = shift

    def forward(self, x):
        return x * self.scale + self.shift

class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(2, 2)
        self.act = nn.Tanh()
        self.l2 = nn.Linear(2, 1)
        with torch.no_grad():
            self.l1.weight[:] = torch.tensor([[1.0, 0.5], [-0.5, 1.0]])
            self.l1.bias[:] = torch.tensor([0.0, 0.1])
            self.l2.weight[:] = torch.tensor([[2.0, -1.0]])
            self.l2.bias[:] = torch.tensor([0.3])

    def forward(self, x):
        h = self.act(self.l1(x))
        return self.l2(h)

    def predict(self, x):
        with torch.no_grad():
            return self(x)

    def n_params(self):
        total = 0
        for p in self.parameters():
            total += p.view(-1).shape[0]
        return total

aff = Affine(2.0, -1.0)
print(aff(torch.tensor([0.0, 1.0, 2.0])))
print(aff(3.0), aff.scale, aff.shift)
print(len(list(aff.parameters())))
net = TwoLayer()
x = torch.tensor([[1.0, 2.0], [0.0, -1.0], [0.5, 0.5]])
print(net.predict(x))
print(net.n_params(), len(list(net.parameters())))
for p in net.parameters():
    print(tuple(p.shape))
y = net(x)
loss = ((y - torch.tensor([[1.0], [0.0], [0.5]])) ** 2).mean()
loss.backward()
print(f"loss={loss.item():.6f}")
print(net.l1.weight.grad)
print(net.l1.bias.grad)
print(net.l2.weight.grad)
print(net.l2.bias.grad)
print(isinstance(net, nn.Module), isinstance(aff, nn.Module), isinstance(x, torch.Tensor))
class Composite(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = TwoLayer()
        self.post = Affine(0.5, 0.0)

    def forward(self, x):
        return self.post(self.inner(x))

comp = Composite()
print(comp(x).detach())
print(len(list(comp.parameters())))
