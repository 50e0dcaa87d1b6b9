#!/usr/bin/env python3
"""read_nasc.py: a small, independent reader of nasc protobuf files built on Python's protobuf (interop test).

Prints the same lines as read_nasc.c (see there). Needs nasc_pb2 from
`protoc --python_out=DIR -I IR/Schema IR/Schema/nasc.proto` on PYTHONPATH. Plan payloads: later.
"""
import sys

from google.protobuf.message import DecodeError

import nasc_pb2


def scalar(s):
    which = s.WhichOneof("value")
    if which == "int_value":
        return "int %d" % s.int_value
    if which == "float_value":
        return "float %.17g" % s.float_value
    return "unset"


def print_space(s):
    print("space %s root %s" % (s.name, s.root))
    for g in s.graphs:
        print("graph %s nodes %d" % (g.name, len(g.nodes)))
        for n in g.nodes:
            print("  %s %s" % (n.name, n.op))
    for v in s.value_choices:
        print("value_choice %s %d" % (v.label, len(v.values)))


def print_architecture(a):
    print("architecture decisions %d" % len(a.decisions))
    for e in a.decisions:
        which = e.value.WhichOneof("decision") if e.HasField("value") else None
        if which == "candidate":
            rest = "candidate " + e.value.candidate
        elif which == "inputs":
            rest = "inputs" + "".join(" %d" % i for i in e.value.inputs.values)
        elif which == "value":
            rest = "value " + scalar(e.value.value)
        else:
            rest = "unset"
        print("  %s %s" % (e.label, rest))


def main(argv):
    if len(argv) != 2:
        print("usage: read_nasc.py FILE.pb", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        print("%s: error: cannot read file: %s" % (path, e.strerror), file=sys.stderr)
        return 1
    try:
        nasc_file = nasc_pb2.NascFile.FromString(data)
    except DecodeError as e:
        print("%s: error: not a valid nasc.ir.NascFile: %s" % (path, e), file=sys.stderr)
        return 1
    print("format_version %d" % nasc_file.format_version)
    print("producer %s" % nasc_file.producer)
    which = nasc_file.WhichOneof("payload")
    if which == "space":
        print_space(nasc_file.space)
    elif which == "architecture":
        print_architecture(nasc_file.architecture)
    else:
        print("%s: error: file has no payload" % path, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
