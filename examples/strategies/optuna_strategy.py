#!/usr/bin/env python3
"""An external nasc strategy backed by Optuna's TPESampler, through Optuna's ask-and-tell interface.

    nasc run SPACE DIR --strategy external --strategy-command 'python3 examples/strategies/optuna_strategy.py' ...

nasc speaks JSON lines with this program on its stdin/stdout (docs/strategies.md): `init` (the NNI search-space
JSON, once), `ask` (N architectures), `tell` (a metric, or a failure with its kind), `save`/`restore` (an opaque
state string kept in nasc's store, so `nasc run --resume` continues the study).

Search-space mapping: layer_choice and choice become CategoricalDistribution over their values; an input_choice
with n_chosen=k becomes a categorical over the k-subsets of its candidates ("0,2"), and n_chosen=null over every
non-empty subset. Failed trials are told to Optuna as FAIL (TPE ignores them).

Flags: --n-startup-trials (10), --multivariate, --constant-liar (both off by default).
"""
import argparse
import itertools
import json
import sys

import optuna
from optuna.distributions import CategoricalDistribution
from optuna.samplers import TPESampler
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.WARNING)


class Space:
    """The NNI search space as Optuna distributions, with conversions both ways."""

    def __init__(self, nni):
        self.labels = sorted(nni)
        self.kinds = {}
        self.dists = {}
        for label in self.labels:
            spec = nni[label]
            kind, value = spec["_type"], spec["_value"]
            self.kinds[label] = kind
            if kind in ("layer_choice", "choice"):
                self.dists[label] = CategoricalDistribution(list(value))
            elif kind == "input_choice":
                cands = list(value["candidates"])
                k = value.get("n_chosen")
                sizes = [k] if k is not None else range(1, len(cands) + 1)
                subsets = [",".join(str(c) for c in s) for n in sizes for s in itertools.combinations(cands, n)]
                self.dists[label] = CategoricalDistribution(subsets)
            else:
                raise ValueError("unsupported search-space type %r for %r" % (kind, label))

    def to_arch(self, params):
        arch = {}
        for label in self.labels:
            v = params[label]
            arch[label] = [int(x) for x in v.split(",")] if self.kinds[label] == "input_choice" else v
        return arch

    def to_params(self, arch):
        params = {}
        for label in self.labels:
            v = arch[label]
            params[label] = ",".join(str(x) for x in v) if self.kinds[label] == "input_choice" else v
        return params


def key(arch):
    return json.dumps(arch, sort_keys=True)


class OptunaStrategy:
    def __init__(self, nni, seed, args):
        self.space = Space(nni)
        self.seed = seed
        self.args = args
        self.history = []  # [{"params":..., "state": "COMPLETE"|"FAIL", "value": float|None}]
        self.pending = {}  # key(arch) -> [trial number, ...] asked and not told yet
        self.new_study(seed)

    def new_study(self, seed):
        sampler = TPESampler(seed=seed, n_startup_trials=self.args.n_startup_trials,
                             multivariate=self.args.multivariate, constant_liar=self.args.constant_liar)
        self.study = optuna.create_study(direction="maximize", sampler=sampler)

    def ask(self, count):
        out = []
        for _ in range(count):
            trial = self.study.ask(self.space.dists)
            arch = self.space.to_arch(trial.params)
            self.pending.setdefault(key(arch), []).append(trial.number)
            out.append(arch)
        return out

    def tell(self, arch, metric=None, failure=None):
        numbers = self.pending.get(key(arch))
        if not numbers:
            raise ValueError("told about an architecture that was not asked for: %s" % key(arch))
        number = numbers.pop(0)
        if not numbers:
            del self.pending[key(arch)]
        params = self.space.to_params(arch)
        if failure is None:
            self.study.tell(number, float(metric))
            self.history.append({"params": params, "state": "COMPLETE", "value": float(metric)})
        else:
            self.study.tell(number, state=TrialState.FAIL)
            self.history.append({"params": params, "state": "FAIL", "value": None, "kind": failure.get("kind")})

    def save(self):
        running = [json.loads(k) for k, ns in self.pending.items() for _ in ns]
        return json.dumps({"history": self.history, "running": running}, sort_keys=True)

    def restore(self, state):
        s = json.loads(state)
        self.history = s["history"]
        self.pending = {}
        # A fresh sampler seeded past the restored trials (the sampler's RNG state is not part of the study).
        self.new_study(self.seed + len(self.history) + len(s["running"]))
        for h in self.history:
            self.study.add_trial(create_trial(
                params=h["params"], distributions=self.space.dists,
                value=h["value"] if h["state"] == "COMPLETE" else None,
                state=TrialState.COMPLETE if h["state"] == "COMPLETE" else TrialState.FAIL))
        # Trials asked before the checkpoint and not told yet: nasc will tell them, so they are pending again.
        for arch in s["running"]:
            self.study.enqueue_trial(self.space.to_params(arch))
            trial = self.study.ask(self.space.dists)
            self.pending.setdefault(key(self.space.to_arch(trial.params)), []).append(trial.number)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n-startup-trials", type=int, default=10)
    p.add_argument("--multivariate", action="store_true")
    p.add_argument("--constant-liar", action="store_true")
    args = p.parse_args()
    out = sys.stdout
    strategy = None

    def reply(obj):
        out.write(json.dumps(obj, sort_keys=True) + "\n")
        out.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        t = msg["type"]
        try:
            if t == "init":
                strategy = OptunaStrategy(msg["search_space"], int(msg.get("seed", 0)), args)
                reply({"type": "ready"})
            elif t == "ask":
                reply({"type": "propose", "architectures": strategy.ask(int(msg["count"]))})
            elif t == "tell":
                strategy.tell(msg["architecture"], metric=msg.get("metric"), failure=msg.get("failure"))
                reply({"type": "ok"})
            elif t == "save":
                reply({"type": "state", "state": strategy.save()})
            elif t == "restore":
                strategy.restore(msg["state"])
                reply({"type": "ok"})
            else:
                reply({"type": "error", "message": "unknown request type %r" % t})
        except Exception as e:  # one line back to nasc; the traceback goes to stderr (DIR/strategy.log)
            import traceback
            traceback.print_exc()
            reply({"type": "error", "message": "%s: %s" % (type(e).__name__, e)})


if __name__ == "__main__":
    main()
