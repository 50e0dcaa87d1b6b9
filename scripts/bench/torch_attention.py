#!/usr/bin/env python3
"""torch_attention.py: PyTorch's side of `nasc-bench --model attn64|attn128` -- one self-attention layer at text
classification sizes: x [B, 64, D] -> nn.MultiheadAttention(D, 4, batch_first=True) (query = key = value) -> mean
over time -> Linear(D, 10). Train step: zero_grad, forward, cross-entropy, backward, SGD(lr .01, momentum .9);
inference: eval + inference_mode forward. Timing and output fields as torch_ref.py (img/s = batch / step time).

Usage: torch_attention.py --torch-ref ../shared/bench/torch_ref.py --model attn64 --mode train --threads 1 [--json F]
"""
import argparse
import importlib.util
import json
import os
import resource
import time

import torch
import torch.nn.functional as F
from torch import nn


class AttentionLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.a = nn.MultiheadAttention(d, heads, batch_first=True)
        self.fc = nn.Linear(d, 10)

    def forward(self, x):
        return self.fc(self.a(x, x, x, need_weights=False)[0].mean(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torch-ref", required=True, help="path of torch_ref.py (rss and jiffies helpers)")
    ap.add_argument("--model", choices=["attn64", "attn128"], required=True)
    ap.add_argument("--mode", choices=["train", "infer"], default="train")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    spec = importlib.util.spec_from_file_location("torch_ref", args.torch_ref)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rss0 = ref.rss_mib()
    B, D = args.batch, int(args.model[4:])
    model = AttentionLayer(D, 4)
    x, y = torch.randn(B, 64, D), torch.randint(0, 10, (B,))
    if args.mode == "train":
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

        def step():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.inference_mode():
                return model(x)

    for _ in range(args.warmup):
        step()
    rss_warm = ref.rss_mib()
    times = []
    cpu0, j0, w0 = os.times(), ref.busy_jiffies(), time.perf_counter()
    for _ in range(args.iters):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    wall = time.perf_counter() - w0
    j1, cpu1 = ref.busy_jiffies(), os.times()
    own = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    other = max(0.0, (j1 - j0) / os.sysconf("SC_CLK_TCK") - own)
    st = sorted(times)
    res = {
        "model": args.model, "mode": args.mode, "threads": args.threads, "batch": B, "torch": torch.__version__,
        "img_s_median": B / st[len(st) // 2], "img_s_min": B / st[-1], "img_s_max": B / st[0],
        "step_ms_median": 1e3 * st[len(st) // 2], "step_ms_min": 1e3 * st[0], "step_ms_max": 1e3 * st[-1],
        "iters": args.iters, "warmup": args.warmup,
        "rss_start_mib": round(rss0, 1), "rss_after_warmup_mib": round(rss_warm, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "own_cpu_util": round(own / wall, 2),
        "others_cpu_pct_of_one_core": round(100 * other / wall, 1),
        "n_params": sum(p.numel() for p in model.parameters()),
    }
    print(f"[{args.model} {args.mode} t={args.threads}] step {res['step_ms_median']:.2f} ms "
          f"({res['img_s_median']:.0f} samples/s); peakRSS {res['peak_rss_mib']} MiB; others' CPU {res['others_cpu_pct_of_one_core']}%")
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
