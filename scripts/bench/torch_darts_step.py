#!/usr/bin/env python3
"""torch_darts_step.py: PyTorch's side of `nasc-bench --model b2|b --mode darts` -- one first-order DARTS step on
torch_ref.py's Supernet (model b; `--layers 2` is the 2-LayerChoice version of the issue's NNI reference figure).

A step, as NNI's DartsLightningModule.training_step (first order): an architecture step on a validation batch
(zero_grad, forward, cross-entropy, backward, Adam(lr 3e-4, betas (0.5, 0.999), weight decay 1e-3) on alpha), then a
weight step on a training batch (zero_grad, forward, backward, SGD(lr .025, momentum .9, weight decay 3e-4) on the
weights). No gradient clipping on either side. Timing and output fields as torch_ref.py (img/s = batch / step time).

Usage: torch_darts_step.py --torch-ref ../shared/bench/torch_ref.py --layers 2 --threads 2 [--json out.jsonl]
"""
import argparse
import importlib.util
import json
import os
import resource
import time

import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torch-ref", required=True, help="path of torch_ref.py (defines Supernet)")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    spec = importlib.util.spec_from_file_location("torch_ref", args.torch_ref)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rss0 = ref.rss_mib()
    B = args.batch
    model = ref.Supernet(layers=args.layers)
    model.train()
    w_opt = torch.optim.SGD(model.weights(), lr=0.025, momentum=0.9, weight_decay=3e-4)
    a_opt = torch.optim.Adam([model.alpha], lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
    x, y = torch.randn(B, 3, 32, 32), torch.randint(0, 10, (B,))
    xv, yv = torch.randn(B, 3, 32, 32), torch.randint(0, 10, (B,))

    def step():
        a_opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(xv), yv).backward()
        a_opt.step()
        w_opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        w_opt.step()

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
        "model": "b2" if args.layers == 2 else ("b" if args.layers == 4 else f"b{args.layers}"), "mode": "darts",
        "threads": args.threads, "batch": B, "torch": torch.__version__,
        "img_s_median": B / st[len(st) // 2], "img_s_min": B / st[-1], "img_s_max": B / st[0],
        "step_ms_median": 1e3 * st[len(st) // 2], "step_ms_min": 1e3 * st[0], "step_ms_max": 1e3 * st[-1],
        "iters": args.iters, "warmup": args.warmup,
        "rss_start_mib": round(rss0, 1), "rss_after_warmup_mib": round(rss_warm, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "own_cpu_util": round(own / wall, 2),
        "others_cpu_pct_of_one_core": round(100 * other / wall, 1),
        "n_params": sum(p.numel() for p in model.parameters()),
    }
    print(f"[{res['model']} darts t={args.threads}] step {res['step_ms_median']:.1f} ms "
          f"({res['img_s_median']:.0f} img/s); peakRSS {res['peak_rss_mib']} MiB; others' CPU {res['others_cpu_pct_of_one_core']}%")
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
