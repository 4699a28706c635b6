# torch.optim.SGD without and with momentum on a tiny explicit model.
import torch
from torch import nn

x = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]])
y = torch.tensor([[1.0], [-1.0], [0.0], [3.0]])

def make_model():
    lin = nn.Linear(2, 1)
    with torch.no_grad():
        lin.weight[:] = torch.tensor([[0.2, -0.3]])
        lin.bias[:] = torch.tensor([0.1])
    return lin

model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for step in range(4):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    print(f"plain step {step}: loss {loss.item():.6f}")
    print(model.weight.detach(), model.bias.detach())

model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for step in range(5):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    print(f"momentum step {step}: loss {loss.item():.6f} w={model.weight.detach()} b={model.bias.item():.6f}")

opt.zero_grad()
print(model.weight.grad, model.bias.grad)

w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
opt2 = torch.optim.SGD([w], lr=0.25)
for step in range(3):
    opt2.zero_grad()
    f = (w * w).sum()
    f.backward()
    print(step, w.grad)
    opt2.step()
    print(step, w.detach(), f.item())
print(w)
