#!/usr/bin/env python3
"""torch_darts_step.py: PyTorch's side of `nasc-bench --model b2|b --mode darts` -- one first-order DARTS step on
torch_ref.py's Supernet (model b; `--layers 2` is the 2-LayerChoice version of the issue's NNI reference figure).

A step, as NNI's DartsLightningModule.training_step (first order): an architecture step on a validation batch
(zero_grad, forward, cross-entropy, backward, Adam(lr 3e-4, betas (0.5, 0.999), weight decay 1e-3) on alpha), then a
weight step on a training batch (zero_grad, forward, backward, SGD(lr .025, momentum .9, weight decay 3e-4) on the
weights). No gradient clipping on either side. Timing and output fields: bench_timing.py (as torch_ref.py).

Usage: torch_darts_step.py --torch-ref ../shared/bench/torch_ref.py --layers 2 --threads 2 [--json out.jsonl]
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_timing  # noqa: E402


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

    ref = bench_timing.load_ref(args.torch_ref)
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

    res = bench_timing.time_steps(ref, step, model="b2" if args.layers == 2 else ("b" if args.layers == 4 else f"b{args.layers}"),
                                  mode="darts", threads=args.threads, batch=B, warmup=args.warmup, iters=args.iters,
                                  rss_start=rss0, n_params=sum(p.numel() for p in model.parameters()))
    bench_timing.report(res, "img", args.json)


if __name__ == "__main__":
    main()
