#!/usr/bin/env python3
"""torch_attention.py: PyTorch's side of `nasc-bench --model attn64|attn128` -- one self-attention layer at text
classification sizes: x [B, 64, D] -> nn.MultiheadAttention(D, 4, batch_first=True) (query = key = value) -> mean
over time -> Linear(D, 10). Train step: zero_grad, forward, cross-entropy, backward, SGD(lr .01, momentum .9);
inference: eval + inference_mode forward. Timing and output fields: bench_timing.py (as torch_ref.py).

Usage: torch_attention.py --torch-ref ../shared/bench/torch_ref.py --model attn64 --mode train --threads 1 [--json F]
"""
import os
import sys

from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_timing  # noqa: E402


class AttentionLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.a = nn.MultiheadAttention(d, heads, batch_first=True)
        self.fc = nn.Linear(d, 10)

    def forward(self, x):
        return self.fc(self.a(x, x, x, need_weights=False)[0].mean(1))


if __name__ == "__main__":
    bench_timing.run_layer(["attn64", "attn128"], lambda m: (AttentionLayer(int(m[4:]), 4), (64, int(m[4:]))), __doc__)
