#!/usr/bin/env python3
"""Generate cpython_golden.json: CPython's marshal.dumps of a table of values.

Run from this directory with the reference interpreter:

    python3 gen_golden.py

Each entry is {"name", "version", "data" (hex), and "want" or "err"}.

"want" is the value in a tagged JSON form that both the Go test and
tests/test_marshal_vectors.py read (see tag() below). "err" names the error
the Go decoder must return: "ref" (back-references, which versions 3 and 4
write for every object with more than one reference), "surrogate" (a str
with a lone surrogate, which a Go string cannot hold).

Versions 3 and 4 data is also included with its FLAG_REF bits cleared when it
holds no 'r' code (entries named "...+noref", checked with marshal.loads),
so the decoder is tested on the version 4 codes ('z', 'Z', 'a', 'A', 't',
')') that CPython only writes with FLAG_REF. The "crafted" entries are
hand-written bytes for codes CPython reads but no longer writes; their
expected values come from marshal.loads too.
"""

import json
import marshal
import math
import os
import struct
import sys


def tag(v):
    """Return the tagged JSON form of a Python value."""
    t = type(v)
    if v is None:
        return {"t": "none"}
    if v is Ellipsis:
        return {"t": "ellipsis"}
    if v is StopIteration:
        return {"t": "stopiteration"}
    if t is bool:
        return {"t": "bool", "v": v}
    if t is int:
        return {"t": "int", "v": str(v)}
    if t is float:
        return {"t": "float", "v": struct.pack(">d", v).hex()}
    if t is complex:
        return {"t": "complex", "v": [struct.pack(">d", v.real).hex(), struct.pack(">d", v.imag).hex()]}
    if t is str:
        return {"t": "str", "v": v}
    if t is bytes:
        return {"t": "bytes", "v": v.hex()}
    if t in (tuple, list, set, frozenset):
        return {"t": t.__name__, "v": [tag(x) for x in v]}
    if t is dict:
        return {"t": "dict", "v": [[tag(k), tag(x)] for k, x in v.items()]}
    raise TypeError(t)


def has_surrogate(v):
    if type(v) is str:
        return any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if type(v) in (tuple, list, set, frozenset):
        return any(has_surrogate(x) for x in v)
    if type(v) is dict:
        return any(has_surrogate(k) or has_surrogate(x) for k, x in v.items())
    return False


def strip_refs(b):
    """Return b with every FLAG_REF bit cleared, or None if b holds an 'r'."""
    out = bytearray(b)
    pos = 0

    def u32(p):
        return struct.unpack_from("<i", b, p)[0]

    def walk():
        nonlocal pos
        code = b[pos] & 0x7F
        out[pos] = code
        pos += 1
        c = chr(code)
        if c in "NFTS.":
            return True
        if c == "r":
            return False
        if c == "i":
            pos += 4
        elif c == "I":
            pos += 8
        elif c == "g":
            pos += 8
        elif c == "y":
            pos += 16
        elif c == "f":
            pos += 1 + b[pos]
        elif c == "x":
            pos += 1 + b[pos]
            pos += 1 + b[pos]
        elif c == "l":
            pos += 4 + 2 * abs(u32(pos))
        elif c in "stuaA":
            pos += 4 + u32(pos)
        elif c in "zZ":
            pos += 1 + b[pos]
        elif c in "([<>)":
            if c == ")":
                n = b[pos]
                pos += 1
            else:
                n = u32(pos)
                pos += 4
            for _ in range(n):
                if not walk():
                    return False
        elif c == "{":
            while b[pos] != ord("0"):
                if not walk() or not walk():
                    return False
            pos += 1
        else:
            raise ValueError("unexpected code %r" % c)
        return True

    if not walk() or pos != len(b):
        return None
    return bytes(out)


def runtime(s):
    """Return a non-interned copy of s (CPython interns literals)."""
    return "".join(list(s))


def nested(depth):
    v = []
    for _ in range(depth - 1):
        v = [v]
    return v


VALUES = [
    ("none", None),
    ("true", True),
    ("false", False),
    ("ellipsis", Ellipsis),
    ("stopiteration", StopIteration),
    ("int/0", 0),
    ("int/1", 1),
    ("int/-1", -1),
    ("int/max32", 2**31 - 1),
    ("int/min32", -(2**31)),
    ("int/max32+1", 2**31),
    ("int/min32-1", -(2**31) - 1),
    ("int/2**45", 2**45),
    ("int/2**62", 2**62),
    ("int/max64", 2**63 - 1),
    ("int/min64", -(2**63)),
    ("int/max64+1", 2**63),
    ("int/min64-1", -(2**63) - 1),
    ("int/maxu64", 2**64 - 1),
    ("int/2**64", 2**64),
    ("int/-2**64", -(2**64)),
    ("int/2**100+12345", 2**100 + 12345),
    ("int/-3**200", -(3**200)),
    ("float/0", 0.0),
    ("float/-0", -0.0),
    ("float/1.5", 1.5),
    ("float/0.1", 0.1),
    ("float/-2.5e-10", -2.5e-10),
    ("float/1e308", 1e308),
    ("float/denormal", 5e-324),
    ("float/inf", math.inf),
    ("float/-inf", -math.inf),
    ("float/nan", math.nan),
    ("complex/1j", 1j),
    ("complex/-0+2.5j", complex(-0.0, 2.5)),
    ("complex/inf-nan", complex(math.inf, math.nan)),
    ("str/empty", runtime("")),
    ("str/abc", runtime("abc")),
    ("str/interned", "interned_name"),
    ("str/latin1", runtime("h\xe9llo w\xf6rld")),
    ("str/cjk", runtime("\u65e5\u672c\u8a9e")),
    ("str/emoji", runtime("\U0001F600!")),
    ("str/nul", runtime("a\x00b")),
    ("str/ascii255", runtime("a" * 255)),
    ("str/ascii256", runtime("b" * 256)),
    ("str/nonascii", runtime("\xe9" * 10)),
    ("str/surrogate", "\ud800"),
    ("str/surrogate-mid", runtime("a\udfffb")),
    ("bytes/empty", b""),
    ("bytes/bin", b"\x00\xff\x80"),
    ("bytes/300", b"xyz" * 100),
    ("tuple/empty", ()),
    ("tuple/1", (1,)),
    ("tuple/255", (None,) * 254 + (1,)),
    ("tuple/256", (None,) * 255 + (2,)),
    ("list/empty", []),
    ("list/mixed", [1, runtime("a"), None, 2.5, b"b", True]),
    ("set/empty", set()),
    ("set/ints", {1, 2, 3}),
    ("frozenset/empty", frozenset()),
    ("frozenset/strs", frozenset({runtime("a"), runtime("bc")})),
    ("dict/empty", {}),
    ("dict/simple", {runtime("a"): 1, runtime("b"): [2, 3]}),
    ("dict/nested", {1: {2: {3: ()}}, (1, 2): frozenset({4})}),
    ("nested/list50", nested(50)),
    ("nested/mixed", ([(1, 2), {runtime("k"): b"v"}], {runtime("s")}, (None, (Ellipsis,)))),
    ("nested/surrogate", (1, [runtime("ok"), "\udc80"])),
]

def text(s):
    return bytes([len(s)]) + s


LARGE = {"tuple/255", "tuple/256", "bytes/300", "str/ascii255", "str/ascii256", "nested/list50"}


# Hand-written data for codes CPython reads but dumps no longer writes.
CRAFTED = [
    ("crafted/int64", b"I" + struct.pack("<q", -(2**40))),
    ("crafted/int64-max", b"I" + struct.pack("<q", 2**63 - 1)),
    ("crafted/long-zero", b"l\x00\x00\x00\x00"),
    ("crafted/float-text", b"f" + text(b"-1.25e+300")),
    ("crafted/float-text-infinity", b"f" + text(b"-Infinity")),
    ("crafted/float-text-nan", b"f" + text(b"NaN")),
    ("crafted/float-text-dot", b"f" + text(b".5")),
    ("crafted/float-text-dot2", b"f" + text(b"+5.E3")),
    ("crafted/float-text-overflow", b"f" + text(b"1e999")),
    ("crafted/float-text-underflow", b"f" + text(b"-1e-999")),
    ("crafted/complex-text", b"x" + text(b"1.5") + text(b"-inf")),
    ("crafted/short-ascii-latin1", b"z\x02\xe9\xff"),
    ("crafted/ascii-latin1", b"a\x03\x00\x00\x00a\xe9b"),
    ("crafted/ascii-interned", b"A\x03\x00\x00\x00abc"),
    ("crafted/short-ascii-interned", b"Z\x03abc"),
    ("crafted/interned", b"t\x02\x00\x00\x00\xc3\xa9"),
    ("crafted/big-tuple-code-small", b"(\x01\x00\x00\x00N"),
    ("crafted/small-tuple", b")\x02NT"),
]


# Seeds for go test -fuzz, in testdata/fuzz/<FuzzName>/ (the committed corpus;
# the fuzz functions also add every golden entry).
FUZZ_SEEDS = [
    ("nested", marshal.dumps([(1, b"x"), {"k": [None, 2.5]}, {3}, frozenset({"a"})], 2)),
    ("big-int", marshal.dumps(-(2**100) + 7, 2)),
    ("text-floats", marshal.dumps((1.5, complex(-0.0, math.inf)), 1)),
    ("v4-refs", marshal.dumps(("abc", "abc", 1, 1), 4)),
    ("surrogate", marshal.dumps("a\udc80", 2)),
    ("extensions", b")\x04H\x01\x00\x00\x00\x00\x00\x00\x00K\x02\x00\x00\x00\x00\x00\x00\x00B\x03\x00\x00\x00Oz\x04Path"),
    ("huge-count", b"[\xff\xff\xff\x7fN"),
    ("long-digits", b"l\x02\x00\x00\x00\xff\x7f\x00\x00"),
    ("dict-key-only", b"{N0"),
    ("deep", b"[\x01\x00\x00\x00" * 30 + b"N"),
]


def go_quote(b):
    out = []
    for c in b:
        if 0x20 <= c < 0x7F and c not in (0x22, 0x5C):
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return '"' + "".join(out) + '"'


def write_fuzz_seeds():
    for fuzz in ("FuzzDecode", "FuzzRoundTrip"):
        os.makedirs(os.path.join("fuzz", fuzz), exist_ok=True)
        for name, data in FUZZ_SEEDS:
            with open(os.path.join("fuzz", fuzz, "seed-" + name), "w") as f:
                f.write("go test fuzz v1\n[]byte(%s)\n" % go_quote(data))


def main():
    write_fuzz_seeds()
    entries = []

    def add(name, version, data, value):
        e = {"name": name, "version": version, "data": data.hex()}
        if data[0] & 0x80:
            e["err"] = "ref"
        elif has_surrogate(value):
            e["err"] = "surrogate"
        else:
            e["want"] = tag(value)
        entries.append(e)

    def same(a, b):
        return marshal.dumps(a, 2) == marshal.dumps(b, 2) or (a != a and b != b)

    for name, value in VALUES:
        # Keep the file small: the large values only in versions 2 and 4.
        versions = (2, 4) if name in LARGE else range(5)
        for version in versions:
            data = marshal.dumps(value, version)
            add(name, version, data, value)
            if version >= 3 and data[0] & 0x80:
                stripped = strip_refs(data)
                if stripped is not None:
                    back = marshal.loads(stripped)
                    assert same(back, value) or type(value) in (set, frozenset, dict), name
                    add(name + "+noref", version, stripped, back)
    for name, data in CRAFTED:
        add(name, -1, data, marshal.loads(data))

    with open("cpython_golden.json", "w") as f:
        f.write('{"python": %s, "entries": [\n' % json.dumps(sys.version.split()[0]))
        f.write(",\n".join(json.dumps(e, sort_keys=True) for e in entries))
        f.write("\n]}\n")


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Set iteration order, and so the output, depends on the hash seed.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    main()
