"""Start-up and import costs, measured in fresh interpreters, and __import__.

Each subprocess figure alternates its variants process by process, so that
the runs of A and B are spread over the same stretch of time.
"""

from __future__ import annotations

import builtins
import importlib
import json
import os
import statistics
import sys
from typing import Any

from ._harness import (
    Figure,
    Row,
    Settings,
    format_seconds,
    interleave,
    make_timer,
    median,
    median_ratio,
    run_python,
)


def default_env() -> dict[str, str]:
    """The environment of a user's process: the default library, no bench settings."""
    env = dict(os.environ)
    env.pop("GOBRIDGE_LIBRARY", None)
    return env


def status_field(status: str, name: str) -> int:
    """A number from the text of /proc/PID/status, such as VmHWM (KiB) or Threads."""
    for line in status.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def _compile_bytecode() -> None:
    """Write the bytecode of gobridge and gomod, as installing a wheel does:
    a development tree whose .pyc files are stale (PYTHONDONTWRITEBYTECODE)
    would otherwise compile on every start."""
    import compileall

    import gobridge
    import gomod

    for package in (gobridge, gomod):
        compileall.compile_dir(os.path.dirname(package.__file__ or ""), quiet=1)


def startup(settings: Settings) -> Figure:
    fig = Figure(
        "startup",
        "Time to the first result: python -c \"import gomod.strings as s; s.to_upper('x')\" "
        'vs python -c "pass"',
        "python -m gobridge.bench --only startup",
    )
    env = default_env()
    _compile_bytecode()
    # Each child prints its own peak RSS (VmHWM): the ru_maxrss of a forked
    # child counts the pages it shared with this (larger) process before exec.
    report = "\nprint(open('/proc/self/status').read())"
    variants = {
        "pass": ["-c", "pass" + report],
        "import": ["-c", "import gomod.strings" + report],
        "first result": ["-c", "import gomod.strings as s; s.to_upper('x')" + report],
    }
    walls: dict[str, list[float]] = {k: [] for k in variants}
    rss: dict[str, list[int]] = {k: [] for k in variants}
    rounds = settings.subprocess_rounds * 2
    for r in range(rounds + 1):
        for name in list(variants)[:: 1 if r % 2 else -1]:
            wall, _, status = run_python(variants[name], env)
            if r:  # the first round warms the page cache
                walls[name].append(wall)
                rss[name].append(status_field(status, "VmHWM"))
    for name, what, target_ms, target_mib in (
        ("first result", "import gomod.strings and one call", 5.0, 6.0),
        ("import", "import gomod.strings alone", None, None),
    ):
        dt = statistics.median(a - b for a, b in zip(walls[name], walls["pass"]))
        drss = statistics.median(a - b for a, b in zip(rss[name], rss["pass"])) / 1024
        fig.rows.append(
            Row(
                f"extra wall time of {what}",
                dt * 1e3,
                target_ms,
                unit=" ms",
                detail=f"pass {format_seconds(median(walls['pass']))}, "
                f"{name} {format_seconds(median(walls[name]))}; ratio "
                f"{median(walls[name]) / median(walls['pass']):.2f}x",
            )
        )
        fig.rows.append(
            Row(
                f"extra max RSS of {what}",
                drss,
                target_mib,
                unit=" MiB",
                detail=f"pass {median(rss['pass']) / 1024:.1f} MiB, "
                f"{name} {median(rss[name]) / 1024:.1f} MiB",
            )
        )
    return fig


COLD = """
import time
t0 = time.perf_counter()
import gomod.strings
print(time.perf_counter() - t0)
"""

WARM = """
import importlib, json, sys, time
import gomod.strings
names = sys.argv[1].split(",")
ext = [m for m in sys.argv[2].split(",") if m not in sys.modules]
builtin = [m for m in sys.builtin_module_names if m not in sys.modules]
out = {}
groups = (("gomod", "gomod.", names), ("stdlib", "", ext), ("builtin", "", builtin))
for group, prefix, mods in groups:
    times = out[group] = {}
    for name in mods:
        t0 = time.perf_counter()
        importlib.import_module(prefix + name)
        times[name] = time.perf_counter() - t0
print(json.dumps(out))
"""

# Imported parents first, so each timing is of one module.
WARM_MODULES = [
    "math", "math.bits", "regexp", "encoding", "encoding.base64", "encoding.hex",
    "crypto", "crypto.md5", "crypto.sha256",
]  # fmt: skip

# Small stdlib C modules (built in, or extension modules in lib-dynload):
# the nearest CPython analogue of a Go module. Those already imported at
# start-up are skipped.
STDLIB_C_MODULES = [
    "_bisect", "_heapq", "_random", "_struct", "_datetime", "_statistics", "_contextvars",
    "_json", "_pickle", "_csv", "_md5", "_sha1", "_sha256", "_sha512", "_sha3", "_blake2",
    "_opcode", "_queue", "_zoneinfo", "_asyncio", "_elementtree", "_lsprof", "_symtable",
    "array", "math", "cmath", "binascii", "select", "unicodedata", "zlib", "_socket",
]  # fmt: skip

FINDER = """
import sys, time
if sys.argv[1] == "gomod":
    import gomod
names = sys.argv[2].split(",")
t0 = time.perf_counter()
for name in names:
    __import__(name)
print(time.perf_counter() - t0)
"""

# Standard library modules that do more than define things when imported.
STDLIB_SKIP = {
    "antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "test", "pydoc",
    "lib2to3", "ensurepip", "venv", "__phello__", "__hello__", "_pydecimal", "sitecustomize",
    "usercustomize", "distutils", "msilib", "crypt", "nis", "spwd", "ossaudiodev", "tabnanny",
}  # fmt: skip

# Lists the standard library's modules; walking packages imports them, so
# the list is tried out by SCREEN in a fresh interpreter.
DISCOVER = """
import importlib.util, pkgutil, sys, warnings
warnings.simplefilter("ignore")
skip = set(sys.argv[1].split(","))
names = []
for name in sorted(sys.stdlib_module_names):
    if name in skip:
        continue
    names.append(name)
    spec = importlib.util.find_spec(name) if name not in sys.modules else None
    locations = (spec and spec.submodule_search_locations) or []
    for sub in pkgutil.walk_packages(locations, name + ".", onerror=lambda _: None):
        if not any(p in ("test", "tests", "__main__") for p in sub.name.split(".")):
            names.append(sub.name)
print(",".join(names))
"""

SCREEN = """
import sys, warnings
warnings.simplefilter("ignore")
at_start = set(sys.modules)
ok = []
for name in sys.argv[1].split(","):
    if name in at_start:
        continue
    try:
        __import__(name)
    except BaseException:
        continue
    ok.append(name)
print(",".join(ok))
"""


def stdlib_modules(count: int) -> list[str]:
    """count stdlib modules that a fresh interpreter has not imported and can import.

    Some are imported as a side effect of an earlier one, as in a real program.
    """
    env = default_env()
    _, _, found = run_python(["-c", DISCOVER, ",".join(sorted(STDLIB_SKIP))], env)
    _, _, out = run_python(["-c", SCREEN, found.strip()], env)
    names = out.strip().split(",")
    if len(names) < count:
        raise RuntimeError(f"only {len(names)} importable stdlib modules here, need {count}")
    # Spread over the alphabet rather than the first count.
    step = len(names) / count
    return [names[int(i * step)] for i in range(count)]


def imports(settings: Settings) -> Figure:
    fig = Figure(
        "imports",
        "Import cost: cold, warm, and the finder's cost to other imports",
        "python -m gobridge.bench --only imports",
    )
    env = default_env()
    rounds = settings.subprocess_rounds

    cold = [float(run_python(["-c", COLD], env)[2]) for _ in range(rounds)]
    fig.rows.append(
        Row(
            "cold import gomod.strings, including the Go runtime's start",
            median(cold) * 1e3,
            unit=" ms",
        )
    )

    gomod_times: list[float] = []
    stdlib_times: list[float] = []
    builtin_times: list[float] = []
    for _ in range(rounds):
        out = json.loads(
            run_python(["-c", WARM, ",".join(WARM_MODULES), ",".join(STDLIB_C_MODULES)], env)[2]
        )
        gomod_times += out["gomod"].values()
        stdlib_times += out["stdlib"].values()
        builtin_times += out["builtin"].values()
    warm = median(gomod_times)
    fig.rows.append(
        Row(
            f"warm import of a further gomod module (median over {len(WARM_MODULES)} modules)",
            warm * 1e6,
            20.0,
            unit=" us",
            detail=f"stdlib C module import {format_seconds(median(stdlib_times))}; "
            f"ratio {warm / median(stdlib_times):.2f}x; a module built into the "
            f"interpreter (no file, made in C) {format_seconds(median(builtin_times))}",
        )
    )

    names = stdlib_modules(200)
    walls: dict[str, list[float]] = {"plain": [], "gomod": []}
    for r in range(rounds * 2 + 1):
        for variant in ("plain", "gomod")[:: 1 if r % 2 else -1]:
            t = float(run_python(["-c", FINDER, variant, ",".join(names)], env)[2])
            if r:
                walls[variant].append(t)
    ratio = statistics.median(g / p for g, p in zip(walls["gomod"], walls["plain"]))
    fig.rows.append(
        Row(
            "200 stdlib imports with gomod's finder installed vs without",
            ratio,
            1.01,
            detail=f"without {format_seconds(median(walls['plain']))}, with "
            f"{format_seconds(median(walls['gomod']))}",
        )
    )
    # The same cost measured directly: the finder declining 200 names, in
    # this process, against the time those imports take.
    finder = _gomod_finder()
    decline = make_timer(finder.find_spec, "xml.etree.ElementTree", None)
    samples = interleave({"decline": decline}, settings)
    per_decline = median(samples["decline"])
    fig.rows.append(
        Row(
            "the finder's declines as a share of those imports (direct estimate)",
            1 + 200 * per_decline / median(walls["plain"]),
            1.01,
            detail=f"one decline {format_seconds(per_decline)}",
        )
    )
    fig.data["stdlib_modules"] = names
    return fig


def _gomod_finder() -> Any:
    import gomod  # noqa: F401 - installs the finder

    for finder in sys.meta_path:
        # The finder may be an instance or, like BuiltinImporter, a class.
        owner = finder if isinstance(finder, type) else type(finder)
        if owner.__module__.startswith("gobridge."):
            return finder
    raise RuntimeError("gomod's finder is not on sys.meta_path")


def dunder_import(settings: Settings) -> Figure:
    fig = Figure(
        "dunder_import",
        "gobridge.__import__ vs builtins.__import__ and importlib.__import__",
        "python -m gobridge.bench --only dunder_import",
    )
    import gobridge

    go_import = getattr(gobridge, "__import__", None)
    if go_import is None:
        fig.skipped = "gobridge.__import__ is not available yet in this gobridge"
        return fig
    import os.path  # noqa: F401 - the figure is of an already-imported module

    g = {"__name__": "__main__", "__package__": None}
    impls = {
        "gobridge": go_import,
        "builtins": builtins.__import__,
        "importlib": importlib.__import__,
    }
    for label, args in (
        ("import os.path", ("os.path", g, None, None, 0)),
        ("from os import path", ("os", g, None, ("path",), 0)),
    ):
        samples = interleave({k: make_timer(f, *args) for k, f in impls.items()}, settings)
        times = ", ".join(f"{k} {format_seconds(median(samples[k]))}" for k in impls)
        fig.rows.append(
            Row(
                f"{label}: vs builtins.__import__",
                median_ratio(samples, "gobridge", "builtins"),
                3.0,
                detail=times,
            )
        )
        fig.rows.append(
            Row(
                f"{label}: vs importlib.__import__ (below 1: faster)",
                median_ratio(samples, "gobridge", "importlib"),
                1.0,
            )
        )
    return fig
