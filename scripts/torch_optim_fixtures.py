#!/usr/bin/env python3
"""torch_optim_fixtures: writes the PyTorch reference runs that Tests/NASCRuntimeTests/OptimTests.swift compares against.

Each fixture runs torch.optim (single-tensor CPU path, float32) for a few steps on small seeded tensors with given
gradients and records the parameters after every step and the final optimizer state; schedules record the learning
rate at every scheduler step; gradient clipping records the total norm and the clipped gradients.

Usage: python3 scripts/torch_optim_fixtures.py  (needs torch; install with pip install 'torch==2.13.0+cpu')
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "NASCRuntimeTests", "Fixtures", "optim")
SIZES = [5, 6]  # two parameters: a vector and a flattened 2x3 matrix
STEPS = 5


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def optimizer_case(name, kind, hyper, lrs=None, skip=None, seed=0):
    """Runs one optimizer. skip[(step, param)] = True leaves that parameter without a gradient at that step."""
    g = torch.Generator().manual_seed(seed)
    params = [torch.nn.Parameter(torch.randn(n, generator=g, dtype=torch.float32)) for n in SIZES]
    initial = [flat(p) for p in params]
    if kind == "sgd":
        opt = torch.optim.SGD(params, foreach=False, **hyper)
    elif kind == "adam":
        opt = torch.optim.Adam(params, foreach=False, **hyper)
    elif kind == "adamw":
        opt = torch.optim.AdamW(params, foreach=False, **hyper)
    else:
        raise ValueError(kind)
    steps = []
    skip = skip or set()
    for s in range(STEPS):
        lr = lrs[s] if lrs else hyper["lr"]
        for group in opt.param_groups:
            group["lr"] = lr
        grads = []
        for i, p in enumerate(params):
            if (s, i) in skip:
                p.grad = None
                grads.append(None)
            else:
                gr = torch.randn(SIZES[i], generator=g, dtype=torch.float32) * 0.5
                p.grad = gr.clone()
                grads.append(flat(gr))
        opt.step()
        steps.append({"lr": lr, "grads": grads, "params": [flat(p) for p in params]})
    state = []
    for p in params:
        st = opt.state[p]
        entry = {}
        if "momentum_buffer" in st and st["momentum_buffer"] is not None:
            entry["momentum_buffer"] = flat(st["momentum_buffer"])
        if "exp_avg" in st:
            entry["exp_avg"] = flat(st["exp_avg"])
            entry["exp_avg_sq"] = flat(st["exp_avg_sq"])
            entry["step"] = int(st["step"].item())
        state.append(entry)
    write(name, {"kind": kind, "hyper": hyper, "initial": initial, "steps": steps, "final_state": state,
                 "torch": torch.__version__})


def schedule_case(name, base_lr, decay, warmup=None, steps=15):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    if decay["kind"] == "cosine":
        main = lambda: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=decay["t_max"], eta_min=decay["eta_min"])
    elif decay["kind"] == "step":
        main = lambda: torch.optim.lr_scheduler.StepLR(opt, step_size=decay["step_size"], gamma=decay["gamma"])
    else:
        main = lambda: torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=0)
    if warmup:
        w = torch.optim.lr_scheduler.LinearLR(opt, start_factor=warmup["start_factor"], total_iters=warmup["steps"])
        sched = torch.optim.lr_scheduler.SequentialLR(opt, schedulers=[w, main()], milestones=[warmup["steps"]])
    else:
        sched = main()
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    write(name, {"base_lr": base_lr, "decay": decay, "warmup": warmup, "lrs": lrs, "torch": torch.__version__})


def per_iteration_case(name, base_lr, epochs, samples, batch_size):
    # PyTorch's per-iteration cosine: T_max = epochs * len(loader), scheduler.step() after every batch.
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    loader = torch.utils.data.DataLoader(torch.zeros(samples, 1), batch_size=batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * len(loader))
    lrs = []
    for _ in range(epochs):
        for _ in loader:
            lrs.append(opt.param_groups[0]["lr"])  # the rate this batch trains with
            opt.step()
            sched.step()
    write(name, {"base_lr": base_lr, "epochs": epochs, "samples": samples, "batch_size": batch_size,
                 "lrs": lrs, "torch": torch.__version__})


def clip_case(name, max_norm, scale, seed):
    g = torch.Generator().manual_seed(seed)
    params = [torch.nn.Parameter(torch.zeros(n)) for n in [4, 7, 3]]
    for p in params:
        p.grad = torch.randn(p.numel(), generator=g, dtype=torch.float32) * scale
    grads = [flat(p.grad) for p in params]
    total = torch.nn.utils.clip_grad_norm_(params, max_norm=max_norm, norm_type=2.0, foreach=False)
    write(name, {"max_norm": max_norm, "grads": grads, "total_norm": float(total),
                 "clipped": [flat(p.grad) for p in params], "torch": torch.__version__})


def write(name, obj):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    varying = [0.1, 0.08, 0.05, 0.05, 0.02]
    optimizer_case("sgd_plain", "sgd", {"lr": 0.1}, seed=1)
    optimizer_case("sgd_momentum", "sgd", {"lr": 0.05, "momentum": 0.9}, seed=2)
    optimizer_case("sgd_momentum_dampening", "sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.25}, seed=3)
    optimizer_case("sgd_nesterov_weight_decay", "sgd",
                   {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, seed=4)
    optimizer_case("sgd_momentum_weight_decay_varying_lr_skip", "sgd",
                   {"lr": 0.1, "momentum": 0.8, "weight_decay": 5e-4}, lrs=varying, skip={(0, 1), (1, 1), (3, 0)}, seed=5)
    optimizer_case("adam_default", "adam", {"lr": 1e-3}, seed=6)
    optimizer_case("adam_weight_decay", "adam",
                   {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01}, seed=7)
    optimizer_case("adamw", "adamw", {"lr": 1e-2, "weight_decay": 0.01}, seed=8)
    optimizer_case("adamw_varying_lr_skip", "adamw", {"lr": 1e-2, "betas": (0.9, 0.95), "weight_decay": 0.1},
                   lrs=varying, skip={(0, 1), (2, 1), (4, 0)}, seed=9)
    schedule_case("cosine", 0.1, {"kind": "cosine", "t_max": 10, "eta_min": 0.001}, steps=25)
    schedule_case("step", 0.5, {"kind": "step", "step_size": 3, "gamma": 0.5}, steps=12)
    schedule_case("warmup_cosine", 0.1, {"kind": "cosine", "t_max": 8, "eta_min": 0.0},
                  warmup={"steps": 3, "start_factor": 0.1}, steps=14)
    schedule_case("warmup_step", 0.2, {"kind": "step", "step_size": 2, "gamma": 0.1},
                  warmup={"steps": 4, "start_factor": 0.25}, steps=10)
    schedule_case("warmup_constant", 0.05, {"kind": "constant"}, warmup={"steps": 5, "start_factor": 0.2}, steps=8)
    per_iteration_case("cosine_per_iteration", 0.05, epochs=3, samples=10, batch_size=4)
    clip_case("clip_large", 1.0, 2.0, seed=10)
    clip_case("clip_small", 100.0, 0.1, seed=11)


if __name__ == "__main__":
    main()
