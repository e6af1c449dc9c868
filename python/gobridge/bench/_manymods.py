"""Many modules, one runtime: gobridge against the setuptools-golang way.

The same N trivial Go modules are built twice: into one gobridge library
(one Go runtime however many modules), and the way setuptools-golang builds
extensions, where each module is its own ``go build -buildmode=c-shared``
extension with a C ``PyInit`` function, and so brings its own Go runtime.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sysconfig
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import _builds
from ._harness import Figure, Row, Settings, run_python
from ._imports import default_env

MODULE = "gobridgemany"

TRIVIAL_GO = """// Package m{i:03d} is trivial module number {i} of the many-modules benchmark.
package m{i:03d}

// Value returns the module's number.
func Value() int64 {{ return {i} }}
"""

REGISTER_GO = """// Package r{i:03d} registers module m{i:03d} with gobridge.
package r{i:03d}

import (
	"github.com/gobridge/gobridge/py"
	"{module}/trivial/m{i:03d}"
)

func init() {{
	py.Register("_many_m{i:03d}", py.ModuleDef{{
		Doc: "Trivial module number {i}.",
		Exec: func(m *py.Module) error {{
			m.Func(m{i:03d}.Value, py.Doc("Value returns the module's number."))
			return nil
		}},
	}})
}}
"""

LIBRARY_MAIN_GO = """// Command lib{n} is a gobridge library holding {n} trivial modules.
package main

import (
	_ "github.com/gobridge/gobridge/capi"
{imports}
)

func main() {{}}
"""

# The setuptools-golang shape: a main package built as the extension itself.
PEER_GO = """// Command peer_m{i:03d} is trivial module {i} as a setuptools-golang style extension.
package main

import "C"

import "{module}/trivial/m{i:03d}"

//export peer_value
func peer_value() C.longlong {{ return C.longlong(m{i:03d}.Value()) }}

func main() {{}}
"""

PEER_C = """#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_cgo_export.h"

static PyObject *value(PyObject *self, PyObject *unused) {{
    return PyLong_FromLongLong(peer_value());
}}

static PyMethodDef methods[] = {{{{"value", value, METH_NOARGS, NULL}}, {{NULL, NULL, 0, NULL}}}};
static struct PyModuleDef def = {{PyModuleDef_HEAD_INIT, "peer_m{i:03d}", NULL, -1, methods}};

PyMODINIT_FUNC PyInit_peer_m{i:03d}(void) {{ return PyModule_Create(&def); }}
"""

MEASURE = """
import importlib, json, sys, time
def status():
    with open("/proc/self/status") as f:
        return {line.split(":")[0]: int(line.split()[1]) for line in f
                if line.startswith(("VmRSS:", "Threads:"))}
names = sys.argv[1].split(",")
before = status()
t0 = time.perf_counter()
mods = [importlib.import_module(n) for n in names]
elapsed = time.perf_counter() - t0
values = [m.value() for m in mods]
assert values == list(range(len(names))), values
after = status()
print(json.dumps({"seconds": elapsed, "rss_kib": after["VmRSS"] - before["VmRSS"],
                  "threads": after["Threads"]}))
"""


def _source_tree(root: Path, count: int) -> None:
    _builds.write_go_module(root, MODULE, requires_gobridge=True)
    for i in range(count):
        for kind, template in (("trivial", TRIVIAL_GO), ("register", REGISTER_GO)):
            d = root / kind / f"{'m' if kind == 'trivial' else 'r'}{i:03d}"
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{d.name}.go").write_text(template.format(i=i, module=MODULE))


def gobridge_library(n: int) -> Path:
    templates = LIBRARY_MAIN_GO + REGISTER_GO + TRIVIAL_GO
    digest = _builds.tree_digest(_builds.sdk_dir(), extra=f"{n}{_builds.go_version()}{templates}")

    def build(out: Path) -> None:
        src = out / "src"
        _source_tree(src, n)
        imports = "\n".join(f'\t_ "{MODULE}/register/r{i:03d}"' for i in range(n))
        (src / "cmd").mkdir()
        (src / "cmd" / "main.go").write_text(LIBRARY_MAIN_GO.format(n=n, imports=imports))
        _builds.go_shared(src, "./cmd", out / "libgobridge.so")

    return _builds.cached(f"many-gobridge-{n}", digest, build) / "libgobridge.so"


def peer_extensions(n: int) -> Path:
    """A directory of n extension modules peer_m000..., each with its own Go runtime."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    include = sysconfig.get_paths()["include"]
    digest = hashlib.sha256(
        f"{n}{_builds.go_version()}{PEER_GO}{PEER_C}{TRIVIAL_GO}{include}{suffix}".encode()
    ).hexdigest()[:16]

    def build(out: Path) -> None:
        src = out / "src"
        _builds.write_go_module(src, MODULE, requires_gobridge=False)
        env = _builds.go_env(CGO_CFLAGS=f"-I{include} -O2")
        for i in range(n):
            d = src / "trivial" / f"m{i:03d}"
            d.mkdir(parents=True)
            (d / f"m{i:03d}.go").write_text(TRIVIAL_GO.format(i=i))
            p = src / "peer" / f"m{i:03d}"
            p.mkdir(parents=True)
            (p / "main.go").write_text(PEER_GO.format(i=i, module=MODULE))
            (p / "module.c").write_text(PEER_C.format(i=i))

        def one(i: int) -> None:
            _builds.go_shared(src, f"./peer/m{i:03d}", out / f"peer_m{i:03d}{suffix}", env)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(one, range(n)))

    return _builds.cached(f"many-peer-{n}", digest, build)


def many_modules(settings: Settings) -> Figure:
    fig = Figure(
        "manymods",
        "Many modules, one runtime: gobridge vs one c-shared library per module",
        "python -m gobridge.bench --only manymods",
    )
    counts = [1, 5] if settings.quick else [1, 10, 50]
    peers = peer_extensions(max(counts))
    runs: dict[str, dict[int, list[dict[str, float]]]] = {"gobridge": {}, "peer": {}}
    plans = []
    for n in counts:
        env = default_env()
        env["GOBRIDGE_LIBRARY"] = str(gobridge_library(n))
        names = ",".join(f"gomod._many_m{i:03d}" for i in range(n))
        plans.append(("gobridge", n, ["-c", MEASURE, names], env))
        peer_env = default_env()
        peer_env["PYTHONPATH"] = os.pathsep.join(
            [str(peers), *filter(None, [peer_env.get("PYTHONPATH")])]
        )
        names = ",".join(f"peer_m{i:03d}" for i in range(n))
        plans.append(("peer", n, ["-c", MEASURE, names], peer_env))
    rounds = max(3, settings.subprocess_rounds // 3)
    for r in range(rounds):
        for kind, n, args, env in plans[:: 1 if r % 2 else -1]:
            _, _, out = run_python(args, env)
            runs[kind].setdefault(n, []).append(json.loads(out))

    summary: dict[str, dict[str, dict[str, float]]] = {}
    for kind, by_n in runs.items():
        for n, samples in by_n.items():
            summary.setdefault(kind, {})[str(n)] = {
                key: statistics.median(s[key] for s in samples)
                for key in ("seconds", "rss_kib", "threads")
            }
    fig.data["by_n"] = summary
    lo, hi = str(min(counts)), str(max(counts))
    added = max(counts) - min(counts)
    for kind, label in (("gobridge", "gobridge"), ("peer", "one c-shared library per module")):
        s = summary[kind]
        target = kind == "gobridge"
        fig.rows.append(
            Row(
                f"{label}: RSS per added module",
                (s[hi]["rss_kib"] - s[lo]["rss_kib"]) / added / 1024,
                0.1 if target else None,
                unit=" MiB",
                detail=f"N={lo}: {s[lo]['rss_kib'] / 1024:.1f} MiB, "
                f"N={hi}: {s[hi]['rss_kib'] / 1024:.1f} MiB (RSS added by the imports)",
            )
        )
        fig.rows.append(
            Row(
                f"{label}: OS threads per added module",
                (s[hi]["threads"] - s[lo]["threads"]) / added,
                0.1 if target else None,
                unit="",
                detail=f"N={lo}: {s[lo]['threads']:.0f} threads, N={hi}: {s[hi]['threads']:.0f}",
            )
        )
    fig.rows.append(
        Row(
            f"import time of N={hi} modules: one library per module / gobridge",
            summary["peer"][hi]["seconds"] / summary["gobridge"][hi]["seconds"],
            better="higher",
            detail=f"gobridge {summary['gobridge'][hi]['seconds'] * 1e3:.1f} ms, "
            f"per-module libraries {summary['peer'][hi]['seconds'] * 1e3:.1f} ms "
            "(both include starting the Go runtime(s))",
        )
    )
    return fig
