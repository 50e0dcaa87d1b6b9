"""bench_timing.py: the timing loop the PyTorch bench scripts share (torch_attention.py, torch_recurrent.py,
torch_darts_step.py): warm-up steps, timed steps, and the fields and line torch_ref.py prints (img/s = batch / step
time, median / min / max, RSS, own CPU utilisation and other processes' CPU share during the run).
"""
import argparse
import importlib.util
import json
import os
import resource
import time

import torch


def load_ref(path):
    """Loads torch_ref.py (rss and jiffies helpers, the reference models) from `path`."""
    spec = importlib.util.spec_from_file_location("torch_ref", path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    return ref


def time_steps(ref, step, *, model, mode, threads, batch, warmup, iters, n_params, rss_start):
    """Runs `step` `warmup` times, then times `iters` calls; returns the result fields."""
    for _ in range(warmup):
        step()
    rss_warm = ref.rss_mib()
    times = []
    cpu0, j0, w0 = os.times(), ref.busy_jiffies(), time.perf_counter()
    for _ in range(iters):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    wall = time.perf_counter() - w0
    j1, cpu1 = ref.busy_jiffies(), os.times()
    own = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    other = max(0.0, (j1 - j0) / os.sysconf("SC_CLK_TCK") - own)
    st = sorted(times)
    return {
        "model": model, "mode": mode, "threads": threads, "batch": batch, "torch": torch.__version__,
        "img_s_median": batch / st[len(st) // 2], "img_s_min": batch / st[-1], "img_s_max": batch / st[0],
        "step_ms_median": 1e3 * st[len(st) // 2], "step_ms_min": 1e3 * st[0], "step_ms_max": 1e3 * st[-1],
        "iters": iters, "warmup": warmup,
        "rss_start_mib": round(rss_start, 1), "rss_after_warmup_mib": round(rss_warm, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "own_cpu_util": round(own / wall, 2),
        "others_cpu_pct_of_one_core": round(100 * other / wall, 1),
        "n_params": n_params,
    }


def report(res, unit, json_path):
    """Prints the one-line summary and appends `res` to `json_path` (JSON lines) when given."""
    print(f"[{res['model']} {res['mode']} t={res['threads']}] step {res['step_ms_median']:.2f} ms "
          f"({res['img_s_median']:.0f} {unit}/s); peakRSS {res['peak_rss_mib']} MiB; "
          f"others' CPU {res['others_cpu_pct_of_one_core']}%")
    if json_path:
        with open(json_path, "a") as f:
            f.write(json.dumps(res) + "\n")


def supervised_step(model, x, y, mode, lr=0.01, momentum=0.9):
    """A training step (zero_grad, forward, cross-entropy, backward, SGD) or an inference step (eval,
    inference_mode forward) of `model` on `(x, y)`."""
    if mode == "train":
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

        def step():
            opt.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
        return step
    model.eval()

    def infer():
        with torch.inference_mode():
            return model(x)
    return infer


def run_layer(models, build, doc):
    """The main of a one-layer script: parses `--torch-ref`, `--model` (one of `models`), `--mode`, `--threads`,
    `--batch`, `--warmup`, `--iters`, `--json`; `build(model_name)` gives the nn.Module and its input `[B, ...]`
    builder; times a supervised train or inference step with 10 classes and reports it."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--torch-ref", required=True, help="path of torch_ref.py (rss and jiffies helpers)")
    ap.add_argument("--model", choices=models, required=True)
    ap.add_argument("--mode", choices=["train", "infer"], default="train")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    ref = load_ref(args.torch_ref)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rss0 = ref.rss_mib()
    model, sample_shape = build(args.model)
    x, y = torch.randn(args.batch, *sample_shape), torch.randint(0, 10, (args.batch,))
    step = supervised_step(model, x, y, args.mode)
    res = time_steps(ref, step, model=args.model, mode=args.mode, threads=args.threads, batch=args.batch,
                     warmup=args.warmup, iters=args.iters, rss_start=rss0,
                     n_params=sum(p.numel() for p in model.parameters()))
    report(res, "samples", args.json)
