#!/usr/bin/env python3
"""torch-compare.py: load a `nasc export --format pytorch` directory in PyTorch and compare with `nasc predict`.

Usage: torch-compare.py DIR INPUTS.npy PREDICT.npy [DIR INPUTS.npy PREDICT.npy ...]

Imports DIR/model.py, instantiates its model class (the last nn.Module class defined there), loads
DIR/model.safetensors with safetensors.torch.load_file and load_state_dict(strict=True), runs it in eval mode on
the raw samples of INPUTS.npy (reshaped to the documented input) and compares with PREDICT.npy: the error of an
element is |torch - nasc| / max(|nasc|, 1). Prints one JSON line per directory (several directories share one
start of Python and torch); exits 1 when any error is above 1e-5.
"""
import importlib.util
import inspect
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file

TOLERANCE = 1e-5


def compare(directory, inputs_path, predict_path):
    spec = importlib.util.spec_from_file_location("nasc_exported_model", os.path.join(directory, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [c for _, c in inspect.getmembers(module, inspect.isclass)
               if issubclass(c, torch.nn.Module) and c.__module__ == module.__name__ and c.__name__ != "InputNormalization"]
    assert len(classes) == 1, classes
    model = classes[0]()
    missing_unexpected = model.load_state_dict(load_file(os.path.join(directory, "model.safetensors")), strict=True)
    model.eval()
    want = np.load(predict_path)
    raw = np.load(inputs_path).astype(np.float32)
    doc = classes[0].__doc__  # "Input x: f32[N,1,8,8] ..."
    dims = doc.split("[", 1)[1].split("]", 1)[0].split(",")[1:]
    x = torch.from_numpy(raw.reshape([raw.shape[0]] + [int(d) for d in dims]))
    if "i64[" in doc:  # token ids
        x = x.to(torch.int64)
    with torch.no_grad():
        out = model(x).numpy().astype(np.float64).reshape(want.shape)
    err = float(np.max(np.abs(out - want) / np.maximum(np.abs(want), 1.0))) if want.size else 0.0
    print(json.dumps({"dir": directory, "class": classes[0].__name__, "samples": int(x.shape[0]),
                      "parameters": sum(p.numel() for p in model.parameters()), "load": str(missing_unexpected),
                      "max_error": err}))
    return err


def main(argv):
    if len(argv) < 4 or (len(argv) - 1) % 3 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    worst = max(compare(*argv[i:i + 3]) for i in range(1, len(argv), 3))
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
