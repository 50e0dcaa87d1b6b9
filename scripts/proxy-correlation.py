#!/usr/bin/env python3
"""Spearman rank correlation of each zero-cost proxy with a table's accuracies.

  scripts/proxy-correlation.py TABLE.jsonl PROXIES.jsonl [--key metric|test]

TABLE is a `--benchmark table:` file (one architecture per line with `metric` and `test`); PROXIES is the output of
`nasc inspect SPACE --proxies --json`. Architectures are matched by their canonical JSON. A proxy that is undefined
for an architecture (`null`: NaN or -inf, e.g. NASWOT's log-determinant of a singular kernel) ranks below every
defined value, as `--strategy zero-cost` ranks it. Ties get their average rank (Spearman's rho with ties).
"""
import argparse
import json
import math


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va = math.sqrt(sum((x - ma) ** 2 for x in a))
    vb = math.sqrt(sum((y - mb) ** 2 for y in b))
    return cov / (va * vb) if va > 0 and vb > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("table")
    ap.add_argument("proxies")
    ap.add_argument("--key", default="metric", choices=["metric", "test"])
    args = ap.parse_args()
    key = lambda a: json.dumps(a, sort_keys=True)
    table = {key(r["arch"]): r for r in map(json.loads, open(args.table))}
    rows = [json.loads(l) for l in open(args.proxies)]
    names = [k for k in rows[0] if k != "arch"]
    missing = [r["arch"] for r in rows if key(r["arch"]) not in table]
    if missing:
        raise SystemExit(f"{args.proxies}: error: {len(missing)} architectures not in {args.table}, e.g. {missing[0]}")
    acc = [table[key(r["arch"])][args.key] for r in rows]
    print(f"Spearman rho with `{args.key}` over {len(rows)} architectures")
    for n in names:
        vals = [r[n] if r[n] is not None else -math.inf for r in rows]
        undefined = sum(1 for r in rows if r[n] is None)
        rho = pearson(ranks(vals), ranks(acc))
        print(f"{n:10s} {rho:+.3f}" + (f"  ({undefined} undefined, ranked last)" if undefined else ""))


if __name__ == "__main__":
    main()
