#!/usr/bin/env python3
"""torch_recurrent.py: PyTorch's side of `nasc-bench --model lstm|gru` -- one recurrent layer at text classification
sizes: x [B, 64, 128] -> nn.LSTM / nn.GRU(128, 128, batch_first=True) -> mean over time -> Linear(128, 10). Train
step: zero_grad, forward, cross-entropy, backward, SGD(lr .01, momentum .9); inference: eval + inference_mode forward.
Timing and output fields: bench_timing.py (as torch_ref.py).

Usage: torch_recurrent.py --torch-ref ../shared/bench/torch_ref.py --model lstm --mode train --threads 1 [--json F]
"""
import os
import sys

from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_timing  # noqa: E402


class RecurrentLayer(nn.Module):
    def __init__(self, cell, d, h):
        super().__init__()
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(d, h, batch_first=True)
        self.fc = nn.Linear(h, 10)

    def forward(self, x):
        return self.fc(self.rnn(x)[0].mean(1))


if __name__ == "__main__":
    bench_timing.run_layer(["lstm", "gru"], lambda m: (RecurrentLayer(m, 128, 128), (64, 128)), __doc__)
