#!/usr/bin/env python3
"""torch_mnist_curve.py: PyTorch reference loss curve for the user guide's MNIST network (executor test fixture).

Network (as in the user guide / PyTorch's MNIST example):
  conv1 1->32 3x3, relu, conv2 32->64 3x3, relu, max_pool2d 2, dropout, flatten,
  fc1 9216->128, relu, dropout, fc2 128->10, log_softmax, nll_loss
Trained for 20 plain SGD steps (lr 0.1) with batch 8 from identical initial weights on the same data order
(5 distinct batches, cycled: step s uses batch s % 5, so the curve shows the net fitting them).

Determinism and size choices (documented for the Swift test, Tests/NASCRuntimeTests/MNISTCurveTests.swift):
  * Dropout uses p = 0 (identity): PyTorch's and nasc's dropout RNGs differ, so masks cannot match.
  * Initial weights and the data are not stored as raw tensors (fc1 alone is 4.7 MB of f32); both sides
    generate them from the same SplitMix64 streams, bit-exactly (nasc's SeededGenerator):
      value_i = (2 * u_i - 1) * bound,  u_i = (mix(seed + (i+1) * 0x9E3779B97F4A7C15) >> 40) / 2^24   (f32 math)
    Parameter k (state_dict order) uses seed 1000 + k and bound 1/sqrt(fan_in) (PyTorch's default init range).
    Batch b = s % 5 uses seed 5000 + b for the pixels (bound 1, i.e. 28x28 values in [-1, 1)) and
    labels = mix(9000 + b + (i+1) * golden) % 10.
    The fixture records checksums of every generated tensor so the Swift side proves it generated the same ones.
  * torch.set_num_threads(1) and deterministic algorithms.

Usage: python3 scripts/torch_mnist_curve.py [output.json]   (default Tests/NASCRuntimeTests/Fixtures/mnist_sgd_curve.json)
"""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
STEPS, BATCH, LR, DISTINCT_BATCHES = 20, 8, 0.1, 5


def mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def stream(seed, n):
    i = np.arange(1, n + 1, dtype=np.uint64)
    return mix(np.uint64(seed) + i * GOLDEN)


def uniform(seed, n, bound):
    u = (stream(seed, n) >> np.uint64(40)).astype(np.float32) / np.float32(16777216)
    return (np.float32(2) * u - np.float32(1)) * np.float32(bound)


def f32_bound(fan_in):
    return np.float32(1) / np.sqrt(np.float32(fan_in))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.0)
        self.dropout2 = nn.Dropout(0.0)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def checksum(a):
    a = np.asarray(a, dtype=np.float64).ravel()
    return {"count": int(a.size), "sum": float(a.sum()), "abs_sum": float(np.abs(a).sum()), "first": [float(v) for v in a[:3]]}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "Tests/NASCRuntimeTests/Fixtures/mnist_sgd_curve.json"
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    net = Net()
    fan_in = {"conv1": 9, "conv2": 288, "fc1": 9216, "fc2": 128}
    params = []
    with torch.no_grad():
        for k, (name, p) in enumerate(net.state_dict().items()):
            values = uniform(1000 + k, p.numel(), f32_bound(fan_in[name.split(".")[0]]))
            p.copy_(torch.from_numpy(values.reshape(tuple(p.shape))))
            params.append({"name": name, "seed": 1000 + k, "fan_in": fan_in[name.split(".")[0]], "shape": list(p.shape),
                           "checksum": checksum(values)})
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    net.train()
    losses, batches = [], []
    for s in range(STEPS):  # batches[s] describes the batch of step s
        b = s % DISTINCT_BATCHES
        x = uniform(5000 + b, BATCH * 784, 1.0).reshape(BATCH, 1, 28, 28)
        y = (stream(9000 + b, BATCH) % np.uint64(10)).astype(np.int64)
        batches.append({"pixels": checksum(x), "labels": [int(v) for v in y]})
        opt.zero_grad()
        loss = F.nll_loss(net(torch.from_numpy(x)), torch.from_numpy(y))
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    fixture = {
        "description": "PyTorch " + torch.__version__ + " SGD loss curve of the MNIST example net; see scripts/torch_mnist_curve.py",
        "steps": STEPS, "batch": BATCH, "lr": LR, "dropout": 0.0, "distinct_batches": DISTINCT_BATCHES,
        "params": params, "batches": batches, "losses": losses,
    }
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
    print("wrote", out, "losses", losses[0], "->", losses[-1])


if __name__ == "__main__":
    main()
