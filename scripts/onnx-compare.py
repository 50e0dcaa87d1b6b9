#!/usr/bin/env python3
"""onnx-compare.py: check an ONNX model nasc exported and compare onnxruntime's outputs with `nasc predict`'s.

Usage: onnx-compare.py MODEL.onnx INPUTS.npy PREDICT_BATCH.npy [PREDICT_BATCH1.npy]

INPUTS.npy holds the raw samples (any shape [S, ...]; reshaped to the model input). PREDICT_BATCH.npy is
`nasc predict` on all S samples in one batch; PREDICT_BATCH1.npy (optional) is `nasc predict --batch-size 1`.
onnxruntime runs the whole batch at once and every sample alone (batch 1). The error of an element is
|ort - nasc| / max(|nasc|, 1) (relative above 1, absolute below). Prints one JSON line with the maxima and exits 1
when a maximum exceeds 1e-5 or the checker fails (onnx.checker.check_model with full_check=True).
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

TOLERANCE = 1e-5


def error(got, want):
    got = np.asarray(got, dtype=np.float64).reshape(want.shape)
    want = np.asarray(want, dtype=np.float64)
    return float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1.0))) if want.size else 0.0


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    model_path, inputs_path, batch_path = argv[1:4]
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == 8, f"ir_version {model.ir_version}"
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)], model.opset_import
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    sample_shape = [int(d) for d in inp.shape[1:]]
    raw = np.load(inputs_path).astype(np.float32)
    x = raw.reshape([raw.shape[0]] + sample_shape)
    if inp.type == "tensor(int64)":  # token ids
        x = x.astype(np.int64)
    want = np.load(batch_path)
    result = {"model": model_path, "samples": int(x.shape[0]), "nodes": len(model.graph.node)}
    (out,) = session.run(None, {inp.name: x})
    result["max_error_batch"] = error(out, want)
    result["max_abs_batch"] = float(np.max(np.abs(out.reshape(want.shape) - want)))
    if len(argv) == 5:
        want1 = np.load(argv[4])
        singles = np.concatenate([session.run(None, {inp.name: x[i:i + 1]})[0] for i in range(x.shape[0])])
        result["max_error_batch1"] = error(singles, want1)
    print(json.dumps(result))
    worst = max(v for k, v in result.items() if k.startswith("max_error"))
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
