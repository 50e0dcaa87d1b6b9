#!/usr/bin/env python3
"""bench_table.py: aggregates nasc-bench / torch_ref.py JSON lines into a table of medians and nasc/torch ratios.

Usage: bench_table.py RAW.jsonl RESULTS.jsonl   (prints the table; writes one JSON line per model/mode/threads row)
"""
import json
import statistics
import sys


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def main():
    raw, out = sys.argv[1], sys.argv[2]
    runs = [json.loads(l) for l in open(raw) if l.strip()]
    keys = []
    for r in runs:
        k = (r["model"], r["mode"], r["threads"])
        if k not in keys:
            keys.append(k)
    rows = []
    for k in keys:
        sel = [r for r in runs if (r["model"], r["mode"], r["threads"]) == k]
        nasc = [r for r in sel if r.get("impl") == "nasc" and r.get("available", True)]
        torch = [r for r in sel if r.get("impl") == "torch"]
        na = next((r for r in sel if r.get("impl") == "nasc" and not r.get("available", True)), None)
        row = {
            "model": k[0], "mode": k[1], "threads": k[2],
            "nasc_img_s": med([r["img_s_median"] for r in nasc]),
            "torch_img_s": med([r["img_s_median"] for r in torch]),
            "nasc_runs": [round(r["img_s_median"], 1) for r in nasc],
            "torch_runs": [round(r["img_s_median"], 1) for r in torch],
            "nasc_step_ms": med([r.get("step_ms_median") for r in nasc]),
            "torch_step_ms": med([r.get("step_ms_median") for r in torch]),
            "gemm_gflops": med([r.get("gemm_gflops") for r in nasc]),
            "nasc_peak_mib": max([r["peak_rss_mib"] for r in nasc], default=None),
            "torch_peak_mib": max([r["peak_rss_mib"] for r in torch], default=None),
            "others_cpu_pct_nasc": med([r["others_cpu_pct_of_one_core"] for r in nasc]),
            "others_cpu_pct_torch": med([r["others_cpu_pct_of_one_core"] for r in torch]),
        }
        if na is not None:
            row["nasc_not_available"] = na.get("reason")
        row["ratio"] = (row["nasc_img_s"] / row["torch_img_s"]) if row["nasc_img_s"] and row["torch_img_s"] else None
        rows.append(row)
    with open(out, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")

    def fmt(v, p=0):
        return "-" if v is None else f"{v:.{p}f}"

    hdr = f"{'model':5} {'mode':5} {'thr':>3} {'nasc img/s':>10} {'torch img/s':>11} {'ratio':>6} {'GEMM GF/s':>9} " \
          f"{'nasc MiB':>8} {'torch MiB':>9} {'others% n/t':>12}"
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        contam = f"{fmt(r['others_cpu_pct_nasc'])}/{fmt(r['others_cpu_pct_torch'])}"
        print(f"{r['model']:5} {r['mode']:5} {r['threads']:>3} {fmt(r['nasc_img_s']):>10} {fmt(r['torch_img_s']):>11} "
              f"{fmt(r['ratio'], 2):>6} {fmt(r['gemm_gflops'], 1):>9} {fmt(r['nasc_peak_mib']):>8} {fmt(r['torch_peak_mib']):>9} "
              f"{contam:>12}")
    reasons = {}
    for r in rows:
        if r.get("nasc_not_available"):
            reasons.setdefault(r["nasc_not_available"], []).append(f"{r['model']} {r['mode']} t={r['threads']}")
    for reason, where in reasons.items():
        print(f"nasc ({', '.join(where)}): {reason}")
    for r in rows:
        if r["mode"] == "darts":
            print(f"DARTS step ({r['model']}, t={r['threads']}): nasc {fmt(r['nasc_step_ms'], 1)} ms, torch {fmt(r['torch_step_ms'], 1)} ms "
                  f"(architecture step on a validation batch + weight step on a training batch, batch 64 each)")
    print("others% = CPU used by other processes during the timed section, % of one core (median; >10 = contaminated)")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
