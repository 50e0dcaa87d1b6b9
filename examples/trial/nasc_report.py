"""nasc_report: report a trial's metrics to `nasc run --trial-command`, in the spirit of NNI's
nni.report_intermediate_result / nni.report_final_result. No dependencies (standard library only).

    import nasc_report
    arch = nasc_report.get_architecture()        # {label: value} from NASC_ARCH_FILE (NNI v3 form);
                                                 # also nasc_report.get_next_parameter(), as in NNI
    for epoch in range(1, epochs + 1):
        ...
        nasc_report.report_intermediate_result(accuracy)   # epoch numbers are counted for you
    nasc_report.report_final_result(accuracy)

Protocol: one JSON object per line on the trial's standard output, exactly what `nasc trial` prints:
    {"type":"overhead","started_at":...}        (sent once, at import: the process start-up cost)
    {"type":"intermediate","epoch":1,"metric":0.91}
    {"type":"final","metric":0.97}
    {"type":"error","kind":"diverged","message":"..."}
Metrics are finite numbers (higher is better); a NaN or infinite metric is reported as a `diverged` error and
the trial exits with status 1. Any other line on stdout would be bad output, so at import this module moves
the process's stdout to stderr (print() and library warnings land in the trial's log, DIR/trials/<id>.log) and
keeps the original stdout for reports only. Set NASC_REPORT_KEEP_STDOUT=1 to turn that off.
"""
import json
import math
import os
import sys
import time

_started_at = time.time()
_epoch = 0
_final_sent = False

# The channel to nasc: a private copy of the original stdout. Everything else written to fd 1 goes to stderr.
if os.environ.get("NASC_REPORT_KEEP_STDOUT") == "1":
    _out = sys.stdout
else:
    sys.stdout.flush()
    _out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def _send(message):
    _out.write(json.dumps(message, sort_keys=True, allow_nan=False) + "\n")
    _out.flush()


def _metric(value):
    try:
        m = float(value)
    except (TypeError, ValueError):
        raise TypeError("nasc_report: a metric must be a number, got %r" % (value,))
    return m


def in_nasc():
    """True when running as a trial of `nasc run --trial-command`."""
    return "NASC_ARCH_FILE" in os.environ


def get_architecture():
    """The trial's architecture as a dict {label: value} (NNI v3 form), read from NASC_ARCH_FILE."""
    path = os.environ.get("NASC_ARCH_FILE")
    if not path:
        raise RuntimeError("nasc_report: NASC_ARCH_FILE is not set (run this under `nasc run --trial-command`)")
    with open(path) as f:
        return json.load(f)


def get_trial_id():
    """The trial's id in its experiment (an int), or None outside nasc."""
    v = os.environ.get("NASC_TRIAL_ID")
    return int(v) if v else None


def get_seed(default=0):
    """The trial's seed (NASC_SEED: the experiment seed plus the trial id)."""
    return int(os.environ.get("NASC_SEED", default))


def get_trial_dir():
    """A directory of the trial's own (NASC_TRIAL_DIR), kept across retries; the current directory outside nasc."""
    return os.environ.get("NASC_TRIAL_DIR", ".")


def report_error(kind, message):
    """Reports why the trial failed (`kind`: a short tag such as diverged, data, oom) and exits with status 1."""
    _send({"type": "error", "kind": str(kind), "message": str(message)})
    sys.exit(1)


def report_intermediate_result(metric, epoch=None):
    """Reports the metric after an epoch (1-based; counted for you when omitted)."""
    global _epoch
    m = _metric(metric)
    _epoch = int(epoch) if epoch is not None else _epoch + 1
    if not math.isfinite(m):
        report_error("diverged", "metric is %r at epoch %d" % (m, _epoch))
    _send({"type": "intermediate", "epoch": _epoch, "metric": m})


def report_final_result(metric, params=None, flops=None):
    """Reports the final metric (higher is better). Call it once, at the end of the trial."""
    global _final_sent
    m = _metric(metric)
    if not math.isfinite(m):
        report_error("diverged", "final metric is %r" % (m,))
    message = {"type": "final", "metric": m}
    if params is not None:
        message["params"] = int(params)
    if flops is not None:
        message["flops"] = int(flops)
    _send(message)
    _final_sent = True


# NNI's names, for trials ported from `nni.get_next_parameter()` / `nni.report_*_result()`.
get_next_parameter = get_architecture

_send({"type": "overhead", "started_at": _started_at})
