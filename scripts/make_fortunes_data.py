#!/usr/bin/env python3
"""Builds examples/data/fortunes/{train,test}.tsv: a 4-class text-classification set from Debian's `fortunes`.

The sentences are the fortune cookies of four category files that the Debian package `fortunes` (fortune-mod
1.99.1, BSD licence; see examples/data/fortunes/README.md) installs under /usr/share/games/fortunes: computers,
politics, science and work. The task is to tell from a fortune's text which file it came from.

    apt-get download fortunes && dpkg-deb -x fortunes_*.deb x
    python3 scripts/make_fortunes_data.py x/usr/share/games/fortunes examples/data/fortunes

Each fortune becomes one row: overstrike sequences (`c BACKSPACE c`) are resolved to the printed character, runs
of whitespace (newlines, tabs) become one space. Every fifth fortune of each file (the 5th, 10th, ...) goes to the
test split, the rest to the training split, so the split is fixed and reproducible. The output is TSV with a
header `label<TAB>text`, written by Python's csv module (a cell containing a quote or a tab is quoted, RFC 4180).
"""
import csv
import re
import sys

CATEGORIES = ["computers", "politics", "science", "work"]


def fortunes(path):
    raw = open(path, "rb").read().decode("utf-8")
    raw = re.sub(r".\x08", "", raw)  # overstriking: 'x BS y' prints y
    current = []
    for line in raw.split("\n") + ["%"]:
        if line == "%":  # a line holding only % ends a fortune
            text = " ".join(" ".join(current).split())
            if text:
                yield text
            current = []
        else:
            current.append(line)


def main(source, destination):
    rows = {"train": [], "test": []}
    for category in CATEGORIES:
        for i, text in enumerate(fortunes(f"{source}/{category}"), start=1):
            rows["test" if i % 5 == 0 else "train"].append((category, text))
    for split, items in rows.items():
        with open(f"{destination}/{split}.tsv", "w", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(["label", "text"])
            w.writerows(items)
        print(f"{split}: {len(items)} rows")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_fortunes_data.py FORTUNES_DIR OUTPUT_DIR")
    main(sys.argv[1], sys.argv[2])
