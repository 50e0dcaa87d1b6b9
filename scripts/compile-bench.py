#!/usr/bin/env python3
"""compile-bench.py: compile time and per-trial overhead of one or more nasc binaries, side by side in one run.

Usage: OPENBLAS_NUM_THREADS=1 scripts/compile-bench.py [--runs N] [--cases REGEX] NAME=BINARY [NAME=BINARY ...]
(--cases: only the cases whose name matches, e.g. 'trial' or 'sampled').

For each case the binaries run alternately (round-robin, RUNS rounds, so both see the same machine load) and the
table shows medians of processor time (user + system of the child process, from getrusage) and of wall time, in ms:

- `darts <mode> train|infer`: `nasc compile examples/darts.nas --supernet MODE [--inference] --time-passes`; the
  `compile` columns are the `--time-passes` total (parse to write, processor time), `process` the whole process.
- `trial <space>`: `nasc trial SPACE ARCH` training one epoch on 10 synthetic samples (1 of them validation) at batch size 1 (the training
  itself is a few ms), so the process time is about process start to training start: start-up, load, specialize,
  compile the subnet and its training plan, make the data. The `overhead` column is the trial's own
  `{"type":"overhead"}` report (load + specialize + compile, wall ms).
"""
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile

SPACE_DATA = {
    "examples/nb201.nas": "synthetic?count=10&test=1&shape=3x32x32&classes=10",
    "examples/digits.nas": "synthetic?count=10&test=1&shape=1x8x8&classes=10",
}


def run(cmd):
    """(stdout+stderr, processor ms, wall ms) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = os.times().elapsed
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = (os.times().elapsed - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p.stdout + p.stderr, cpu, wall


def first_architecture(binary, space, directory):
    """NNI 3.0 JSON choosing the first value of every decision."""
    out = subprocess.run([binary, "space", space, "--format", "nni"], capture_output=True, text=True, check=True).stdout
    arch = {}
    for label, d in json.loads(out).items():
        arch[label] = [0] if d["_type"] == "input_choice" else d["_value"][0]
    path = os.path.join(directory, os.path.basename(space) + ".arch.json")
    with open(path, "w") as f:
        json.dump(arch, f)
    return path


def main():
    args = sys.argv[1:]
    runs = 9
    only = None
    while args[:1] in (["--runs"], ["--cases"]):
        if args[0] == "--runs":
            runs = int(args[1])
        else:
            only = re.compile(args[1])
        args = args[2:]
    binaries = [a.split("=", 1) for a in args]
    if not binaries:
        sys.exit(__doc__)
    work = tempfile.mkdtemp()
    cases = []
    for mode in ["darts", "gumbel", "sampled", "proxyless"]:
        for plan in ["train", "infer"]:
            cmd = ["compile", "examples/darts.nas", "--supernet", mode, "--time-passes", "-o", os.path.join(work, "p.pb")]
            cases.append((f"darts {mode} {plan}", cmd + (["--inference"] if plan == "infer" else [])))
    for space, data in SPACE_DATA.items():
        arch = first_architecture(binaries[0][1], space, work)
        cases.append((f"trial {os.path.basename(space)}",
                      ["trial", space, arch, "--data", data, "--train-epochs", "1", "--batch-size", "1"]))
    print(f"medians of {runs} alternating runs; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    header = "| case | " + " | ".join(f"{n} compile cpu | {n} process cpu | {n} process wall | {n} overhead" for n, _ in binaries) + " |"
    print(header)
    print("|" + " --- |" * (1 + 4 * len(binaries)))
    cases = [(n, c) for n, c in cases if only is None or only.search(n)]
    for name, cmd in cases:
        samples = {n: {"compile": [], "cpu": [], "wall": [], "overhead": []} for n, _ in binaries}
        for _ in range(runs):
            for n, b in binaries:
                out, cpu, wall = run([b] + cmd)
                samples[n]["cpu"].append(cpu)
                samples[n]["wall"].append(wall)
                total = re.search(r"^\s*([0-9.]+) \([^)]*\)\s+[0-9.]+ \([^)]*\)\s+total\s*$", out, re.M | re.I)
                if total:
                    samples[n]["compile"].append(float(total.group(1)) * 1000)
                for line in out.splitlines():
                    if line.startswith("{") and '"overhead"' in line:
                        o = json.loads(line)
                        if o.get("type") == "overhead":
                            samples[n]["overhead"].append(o.get("load_ms", 0) + o.get("specialize_ms", 0) + o.get("compile_ms", 0))
        cells = []
        for n, _ in binaries:
            s = samples[n]
            med = lambda v: f"{statistics.median(v):.1f}" if v else "-"
            cells += [med(s["compile"]), med(s["cpu"]), med(s["wall"]), med(s["overhead"])]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
