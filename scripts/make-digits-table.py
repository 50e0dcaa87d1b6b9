#!/usr/bin/env python3
"""Build the tabular benchmark examples/tables/nb201_digits3.jsonl by training every architecture of
examples/nb201_digits3.nas with `nasc train`, over several seeds.

Every training is one `nasc train SPACE --arch ARCH --seed S --json` process (release build recommended). Its
per-epoch lines give the validation-accuracy curve and the epoch times; its JSON line gives the final validation and
test accuracy and the parameter count. Each finished training is appended to the runs file at once (one JSON line),
so the script can be stopped and started again: finished (architecture, seed) pairs are skipped. Seeds are trained
in order (every architecture with the first seed, then the second, ...), so a partial run still gives whole seeds.

The table has one line per architecture, averaged over the seeds every architecture has finished:
  arch     the NNI v3 dict
  metric   mean validation accuracy (what a strategy sees)
  curve    mean validation accuracy after each epoch
  test     mean test accuracy (held out)
  params   trainable parameters
  flops    FLOPs per sample (`nasc inspect --proxies --json`, when --flops is given)
  seconds  mean CPU seconds of the `nasc train` process (user + system; wall time on a shared machine says more
           about the other jobs than about the architecture, the epoch lines' wall times are kept in the runs file)

Usage:
  scripts/make-digits-table.py train [--nasc .build/release/nasc] [--seeds 0,1,2] [--epochs 4] ...
  scripts/make-digits-table.py table [--flops]     # assemble the table from the runs file
"""
import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time

SPACE = "examples/nb201_digits3.nas"
LABELS = ["1_0", "2_0", "2_1"]
OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EPOCH_LINE = re.compile(r"^epoch (\d+): .* val loss ([0-9.naif]+) acc ([0-9.]+)\s+([0-9.]+)s")



def architectures():
    for ops in itertools.product(OPS, repeat=len(LABELS)):
        yield dict(zip(LABELS, ops))


def key(arch):
    return json.dumps(arch, sort_keys=True)


def load_runs(path):
    runs = []
    if os.path.exists(path):
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if line:
                    try:
                        runs.append(json.loads(line))
                    except json.JSONDecodeError as e:
                        sys.exit(f"{path}:{n}:1: error: not JSON ({e.msg})")
    return runs


def train(args):
    done = {(key(r["arch"]), r["seed"]) for r in load_runs(args.runs)}
    seeds = [int(s) for s in args.seeds.split(",")]
    archs = list(architectures())
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for seed in seeds:
        for i, arch in enumerate(archs):
            if (key(arch), seed) in done:
                continue
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                json.dump(arch, f)
                arch_file = f.name
            cmd = [args.nasc, "train", SPACE, "--arch", arch_file, "--data", "digits", "--epochs", str(args.epochs),
                   "--batch-size", str(args.batch_size), "--lr", str(args.lr), "--validation", str(args.validation),
                   "--seed", str(seed), "--threads", "1", "--json"]
            start, cpu0 = time.time(), os.times()
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            wall, cpu1 = time.time() - start, os.times()
            cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
            os.unlink(arch_file)
            if p.returncode != 0:
                sys.exit(f"{SPACE}: error: training {key(arch)} seed {seed} failed ({p.returncode}): "
                         + (p.stderr.strip().splitlines() or ["no output"])[-1])
            result = json.loads(p.stdout.strip().splitlines()[-1])
            curve, losses, epoch_seconds = [], [], 0.0
            for line in p.stderr.splitlines():
                m = EPOCH_LINE.match(line.strip())
                if m:
                    losses.append(float(m.group(2)))
                    curve.append(float(m.group(3)))
                    epoch_seconds += float(m.group(4))
            if len(curve) != args.epochs:
                sys.exit(f"{SPACE}: error: {key(arch)} seed {seed}: found {len(curve)} epoch lines, expected {args.epochs}")
            curve[-1] = result["validation_accuracy"]  # the exact final value (epoch lines have 4 decimals)
            run = {"arch": arch, "seed": seed, "epochs": args.epochs, "validation": args.validation,
                   "metric": result["validation_accuracy"],
                   "validation_loss": result.get("validation_loss", losses[-1]),
                   "test": result["test_accuracy"], "curve": curve, "params": result["parameters"],
                   "seconds": round(cpu, 3), "epoch_seconds": round(epoch_seconds, 3), "wall": round(wall, 3)}
            with open(args.runs, "a") as out:
                out.write(json.dumps(run, sort_keys=True) + "\n")
            print(f"seed {seed} {i + 1}/{len(archs)} {key(arch)} val {run['metric']:.4f} test {run['test']:.4f} "
                  f"{wall:.1f}s", flush=True)


def table(args):
    runs = load_runs(args.runs)
    by_arch = {}
    for r in runs:
        by_arch.setdefault(key(r["arch"]), {})[r["seed"]] = r
    archs = list(architectures())
    # Only seeds every architecture finished: a table averaged over unequal seed sets would mix noise levels.
    seeds = sorted(set.intersection(*[set(by_arch.get(key(a), {})) for a in archs]))
    if not seeds:
        sys.exit(f"{args.runs}: error: no seed has finished every architecture")
    flops = {}
    if args.flops:
        p = subprocess.run([args.nasc, "inspect", SPACE, "--proxies", "--json", "--proxy-list", "flops"],
                           capture_output=True, text=True, check=True)
        for line in p.stdout.splitlines():
            row = json.loads(line)
            flops[key(row["arch"])] = int(row["flops"])
    mean = lambda xs: sum(xs) / len(xs)
    with open(args.table, "w") as out:
        for a in archs:
            rs = [by_arch[key(a)][s] for s in seeds]
            row = {"arch": a, "metric": round(mean([r["metric"] for r in rs]), 6),
                   "curve": [round(mean(c), 6) for c in zip(*[r["curve"] for r in rs])],
                   "test": round(mean([r["test"] for r in rs]), 6), "params": rs[0]["params"],
                   "seconds": round(mean([r["seconds"] for r in rs]), 3)}
            if key(a) in flops:
                row["flops"] = flops[key(a)]
            out.write(json.dumps(row) + "\n")
    print(f"{args.table}: {len(archs)} architectures, seeds {','.join(map(str, seeds))}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["train", "table"])
    ap.add_argument("--nasc", default=".build/release/nasc")
    ap.add_argument("--runs", default="examples/tables/nb201_digits3.runs.jsonl")
    ap.add_argument("--table", default="examples/tables/nb201_digits3.jsonl")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--validation", type=float, default=0.2)
    ap.add_argument("--flops", action="store_true", help="add FLOPs from `nasc inspect --proxies --json`")
    args = ap.parse_args()
    os.makedirs(os.path.dirname(args.runs) or ".", exist_ok=True)
    train(args) if args.command == "train" else table(args)


if __name__ == "__main__":
    main()
