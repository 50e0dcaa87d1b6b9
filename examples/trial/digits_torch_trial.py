#!/usr/bin/env python3
"""A PyTorch trial for `nasc run examples/digits.nas DIR --trial-command 'python3 examples/trial/digits_torch_trial.py'`.

It trains the architecture nasc chose (NASC_ARCH_FILE) on the bundled digits with PyTorch and reports the
validation accuracy after every epoch and at the end, through nasc_report (NNI-style reporting, no dependencies).

The model comes from nasc's PyTorch export of the chosen architecture when `nasc export --format pytorch` exists
(`$NASC_BIN export`); otherwise it is built here from the architecture JSON, mirroring examples/digits.nas:

    conv1: conv3x3 | conv5x5 (width channels) -> batch_norm -> relu            = c1
    c2 = c1 -> conv3x3 -> relu;  skip: [0] uses c1, [1] uses c2
    -> max_pool2d(2) -> flatten -> linear(hidden) -> relu -> linear(10)

Flags: --epochs N (5), --lr (0.05), --batch-size (64), --threads (1), --no-export (always build from JSON).
"""
import argparse
import importlib.util
import inspect
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nasc_report  # noqa: E402  (first: it takes over stdout before anything can print)

import torch  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "data", "digits")


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(dims)


def load_digits(validation_fraction=0.2):
    """The training file split into train and validation (the last fraction), as nasc's trials do."""
    x = read_idx(os.path.join(DIGITS, "train-images-idx3-ubyte")).float().div(255.0).unsqueeze(1)  # N,1,8,8
    y = read_idx(os.path.join(DIGITS, "train-labels-idx1-ubyte")).long()
    n_val = int(round(len(x) * validation_fraction))
    return (x[:-n_val], y[:-n_val]), (x[-n_val:], y[-n_val:])


class DigitsNet(nn.Module):
    """examples/digits.nas, specialized to one architecture."""

    def __init__(self, arch):
        super().__init__()
        width, hidden = int(arch["width"]), int(arch["hidden"])
        kernel = {"conv3x3": 3, "conv5x5": 5}[arch["conv1"]]
        skip = arch["skip"]
        self.use_c2 = (skip[0] if isinstance(skip, list) else skip) == 1
        self.conv1 = nn.Sequential(nn.Conv2d(1, width, kernel, padding=kernel // 2), nn.BatchNorm2d(width), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU()) if self.use_c2 else None
        self.head = nn.Sequential(nn.MaxPool2d(2), nn.Flatten(), nn.Linear(width * 16, hidden), nn.ReLU(),
                                  nn.Linear(hidden, 10))

    def forward(self, x):
        h = self.conv1(x)
        if self.conv2 is not None:
            h = self.conv2(h)
        return self.head(h)


def exported_model():
    """The model from nasc's PyTorch export of this architecture (`nasc export --format pytorch`: model.py with an
    nn.Module and model.safetensors), or None when this nasc has no PyTorch export. The export needs weights, so nasc
    first trains the architecture for one epoch (`nasc train --save`); PyTorch starts from those weights."""
    nasc = os.environ.get("NASC_BIN")
    if not nasc:
        return None
    probe = subprocess.run([nasc, "export", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if probe.returncode != 0 or "pytorch" not in probe.stdout:
        print("this nasc has no PyTorch export; building the model from the architecture JSON", file=sys.stderr)
        return None
    trial_dir = nasc_report.get_trial_dir()
    space, arch = os.environ["NASC_SPACE_FILE"], os.environ["NASC_ARCH_FILE"]
    weights, out = os.path.join(trial_dir, "init.pb"), os.path.join(trial_dir, "export")
    for cmd in ([nasc, "train", space, "--arch", arch, "--data", "digits", "--epochs", "1", "--save", weights],
                [nasc, "export", space, "--arch", arch, "--weights", weights, "--format", "pytorch", "-o", out]):
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.path.join(HERE, "..", ".."))
        if r.returncode != 0:
            nasc_report.report_error("export", "%s failed: %s" % (" ".join(cmd[:2]), r.stderr.strip()[:300]))
    path = os.path.join(out, "model.py")
    spec = importlib.util.spec_from_file_location("nasc_exported_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # The model is the last nn.Module class of the file (block classes come before it).
    classes = sorted((c for _, c in inspect.getmembers(module, inspect.isclass)
                      if issubclass(c, nn.Module) and c.__module__ == module.__name__),
                     key=lambda c: inspect.getsourcelines(c)[1])
    if not classes:
        nasc_report.report_error("export", "no nn.Module class in %s" % path)
    model = classes[-1]()
    try:
        from safetensors.torch import load_file
        model.load_state_dict(load_file(os.path.join(out, "model.safetensors")), strict=True)
    except ImportError:
        pass
    print("model: %s from the PyTorch export %s" % (classes[-1].__name__, path), file=sys.stderr)
    return model


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--no-export", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(nasc_report.get_seed())

    arch = nasc_report.get_architecture()
    model = None if args.no_export else exported_model()
    if model is None:
        model = DigitsNet(arch)
    (xt, yt), (xv, yv) = load_digits()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    acc = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(xt))
        for i in range(0, len(xt), args.batch_size):
            idx = order[i:i + args.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            if not torch.isfinite(loss):
                nasc_report.report_error("diverged", "loss is %s at epoch %d" % (loss.item(), epoch))
            loss.backward()
            opt.step()
        acc = accuracy(model, xv, yv)
        nasc_report.report_intermediate_result(acc)
    params = sum(p.numel() for p in model.parameters())
    nasc_report.report_final_result(acc, params=params)


if __name__ == "__main__":
    main()
