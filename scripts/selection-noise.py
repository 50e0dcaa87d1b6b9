#!/usr/bin/env python3
"""How picking the best trial by validation accuracy, by validation loss, or by an average over seeds changes the
pick's held-out test accuracy, on the per-seed runs of a table built by scripts/make-digits-table.py.

Regret = the table's best mean test accuracy minus the mean test accuracy of the pick. Ties in a score go to the
earlier architecture in the table. Usage: scripts/selection-noise.py [RUNS.jsonl] [TABLE.jsonl]
"""
import collections
import json
import statistics as st
import sys

runs_path = sys.argv[1] if len(sys.argv) > 1 else "examples/tables/nb201_digits3.runs.jsonl"
table_path = sys.argv[2] if len(sys.argv) > 2 else "examples/tables/nb201_digits3.jsonl"
key = lambda a: json.dumps(a, sort_keys=True)
table = [json.loads(l) for l in open(table_path)]
order = [key(r["arch"]) for r in table]
test = {key(r["arch"]): r["test"] for r in table}
best = max(test.values())
by = collections.defaultdict(dict)
for line in open(runs_path):
    r = json.loads(line)
    by[r["seed"]][key(r["arch"])] = r
seeds = sorted(s for s in by if len(by[s]) == len(order))  # seeds with every architecture trained
if not seeds:
    sys.exit(f"{runs_path}: no seed has all {len(order)} architectures")


def regret(score):
    return best - test[max(order, key=lambda a: (score(a), -order.index(a)))]


rows = collections.OrderedDict()
for s in seeds:
    R = by[s]
    rows.setdefault("one seed: validation accuracy, earlier on ties", []).append(regret(lambda a: (R[a]["metric"],)))
    rows.setdefault("one seed: validation accuracy, then lower loss", []).append(
        regret(lambda a: (R[a]["metric"], -R[a]["validation_loss"])))
    rows.setdefault("one seed: lower validation loss", []).append(regret(lambda a: (-R[a]["validation_loss"],)))
mean_acc = lambda a: st.mean(by[s][a]["metric"] for s in seeds)
mean_loss = lambda a: st.mean(by[s][a]["validation_loss"] for s in seeds)
rows[f"mean of {len(seeds)} seeds: accuracy, earlier on ties"] = [regret(lambda a: (mean_acc(a),))]
rows[f"mean of {len(seeds)} seeds: accuracy, then lower loss"] = [regret(lambda a: (mean_acc(a), -mean_loss(a)))]
rows[f"mean of {len(seeds)} seeds: lower loss"] = [regret(lambda a: (-mean_loss(a),))]
fractions = sorted({r["validation"] for s in seeds for r in by[s].values()})
print(f"{len(order)} architectures, seeds {seeds}, validation fraction {fractions}, best mean test {best:.4f}")
print("| rule | regret per seed | mean |")
print("| --- | --- | --- |")
for k, v in rows.items():
    print(f"| {k} | {', '.join(f'{x:.4f}' for x in v)} | {st.mean(v):.4f} |")
