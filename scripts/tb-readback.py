#!/usr/bin/env python3
"""tb-readback.py LOGDIR: read a TensorBoard log directory written by nasc back with TensorBoard's own readers.

Prints one JSON object:
  tbparse:     {run: {tag: [[step, value], ...]}}   scalars read by tbparse.SummaryReader
  accumulator: {run: {tag: [[step, value], ...]}}   scalars read by TensorBoard's EventAccumulator
  hparams:     {"experiment": {...} | null, "sessions": {run: {"hparams": {...}, "status": ...}}}
               from the HParams plugin's summaries, decoded with tensorboard.plugins.hparams protos
Used by the Swift tests (Tests/NASCToolTests/TensorBoardTests.swift).
"""
import json
import os
import sys

from tbparse import SummaryReader
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.plugins.hparams import plugin_data_pb2, api_pb2
from google.protobuf import json_format


def main(logdir):
    out = {"tbparse": {}, "accumulator": {}, "hparams": {"experiment": None, "sessions": {}}}
    df = SummaryReader(logdir, extra_columns={"dir_name"}).scalars
    for row in df.itertuples():
        run = row.dir_name or "."
        out["tbparse"].setdefault(run, {}).setdefault(row.tag, []).append([int(row.step), float(row.value)])
    runs = sorted({os.path.relpath(d, logdir) for d, _, files in os.walk(logdir) if any("tfevents" in f for f in files)})
    for run in runs:
        acc = event_accumulator.EventAccumulator(os.path.join(logdir, run), size_guidance={event_accumulator.SCALARS: 0})
        acc.Reload()
        for tag in acc.Tags()["scalars"]:
            out["accumulator"].setdefault(run, {})[tag] = [[e.step, e.value] for e in acc.Scalars(tag)]
        try:
            content = acc.PluginTagToContent("hparams")
        except KeyError:
            content = {}
        for tag, raw in content.items():
            data = plugin_data_pb2.HParamsPluginData.FromString(raw)
            kind = data.WhichOneof("data")
            if kind == "experiment":
                e = data.experiment
                out["hparams"]["experiment"] = {
                    "name": e.name,
                    "hparams": {h.name: {"type": api_pb2.DataType.Name(h.type),
                                         "values": [json_format.MessageToDict(v) for v in h.domain_discrete.values]}
                                for h in e.hparam_infos},
                    "metrics": [m.name.tag for m in e.metric_infos],
                }
            elif kind == "session_start_info":
                s = out["hparams"]["sessions"].setdefault(run, {})
                s["hparams"] = {k: json_format.MessageToDict(v) for k, v in data.session_start_info.hparams.items()}
            elif kind == "session_end_info":
                s = out["hparams"]["sessions"].setdefault(run, {})
                s["status"] = api_pb2.Status.Name(data.session_end_info.status)
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: tb-readback.py LOGDIR", file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
