"""The PyTorch reference for flowlab-bench: the lab's training loop, one thread.

    /opt/torchvenv/bin/python tests/golden/bench_torch.py --steps 2000

Same work per step as `cargo run --release -p flowlab --bin flowlab-bench`: make_moons(256,
noise=0.05), x0 ~ N(0, I), t ~ U(0, 1), MLP 3-64-64-64-2 with ELU, MSE, Adam 1e-2. Prints
`torch-lab-train: <steps per second> steps/s` as its last line.
"""
import argparse
import time

import torch
from sklearn.datasets import make_moons

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=2000)
args = parser.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)
net = torch.nn.Sequential(
    torch.nn.Linear(3, 64), torch.nn.ELU(), torch.nn.Linear(64, 64), torch.nn.ELU(),
    torch.nn.Linear(64, 64), torch.nn.ELU(), torch.nn.Linear(64, 2))
opt = torch.optim.Adam(net.parameters(), 1e-2)
loss_fn = torch.nn.MSELoss()
start = time.perf_counter()
for _ in range(args.steps):
    x1 = torch.tensor(make_moons(256, noise=0.05)[0], dtype=torch.float32)
    x0 = torch.randn_like(x1)
    t = torch.rand(len(x1), 1)
    x_t = (1 - t) * x0 + t * x1
    loss = loss_fn(net(torch.cat((t, x_t), -1)), x1 - x0)
    opt.zero_grad()
    loss.backward()
    opt.step()
secs = time.perf_counter() - start
print(f"{args.steps} steps in {secs:.2f} s; 10,000 steps would take {10000 * secs / args.steps:.1f} s")
print(f"torch-lab-train: {args.steps / secs:.0f} steps/s")
