"""go-python/gopy against gobridge on the same small Go package.

gopy and its helpers are installed at run time into the benchmark's cache,
never into the repository: gopy and goimports with the Go toolchain from the
Go module proxy, pybindgen with pip from PyPI. A gopy module carries its own
Go runtime, so each side runs in its own interpreter, alternating.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from . import _builds
from ._harness import Figure, Row, Settings, format_seconds, run_python
from ._imports import default_env

GOPY_VERSION = "v0.4.10"
# gopy v0.4.10 asks for golang.org/x/tools v0.16.0, which predates the Go
# releases this runs on; a current x/tools builds both gopy and goimports.
X_TOOLS_VERSION = "v0.52.0"
PYBINDGEN_VERSION = "0.22.1"

PACKAGE_GO = """// Package gpbench is the small package both bridges wrap.
package gpbench

import "strings"

// Nop does nothing.
func Nop() {}

// Add returns a+b.
func Add(a, b int64) int64 { return a + b }

// ToUpper returns s upper-cased.
func ToUpper(s string) string { return strings.ToUpper(s) }
"""

REGISTER_GO = """// Command gpbenchlib is a gobridge library holding package gpbench as _gpbench.
package main

import (
	_ "github.com/gobridge/gobridge/capi"
	"github.com/gobridge/gobridge/py"
	"gpbench/gpbench"
)

func init() {
	py.Register("_gpbench", py.ModuleDef{
		Doc: "Package gpbench, for the comparison with gopy.",
		Exec: func(m *py.Module) error {
			m.Func(gpbench.Nop, py.Doc("Nop does nothing."))
			m.Func(gpbench.Add, py.Params("a", "b"), py.Doc("Add returns a+b."))
			m.Func(gpbench.ToUpper, py.Params("s"), py.Doc("ToUpper returns s upper-cased."))
			return nil
		},
	})
}

func main() {}
"""

TOOLS_GO = """//go:build tools

// Package tools pins the versions of gopy and goimports.
package tools

import (
	_ "github.com/go-python/gopy"
	_ "golang.org/x/tools/cmd/goimports"
)
"""

WORKER = """
import importlib, json, sys, time
t0 = time.perf_counter()
module = importlib.import_module(sys.argv[1])
imported = time.perf_counter() - t0
from gobridge.bench._harness import make_timer, calibrate
calls = {"nop": (), "add": (40, 2), "to_upper": ("hello, world",)}
out = {"import_seconds": imported}
for (name, args), attr in zip(calls.items(), sys.argv[2].split(",")):
    timer = make_timer(getattr(module, attr), *args)
    loops = calibrate(timer, 0.01)
    out[name] = min(timer(loops) for _ in range(5))
print(json.dumps(out))
"""


def _pip_target() -> Path:
    def build(out: Path) -> None:
        _builds.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--target", str(out), f"pybindgen=={PYBINDGEN_VERSION}"],
            out,
        )  # fmt: skip

    return _builds.cached("pybindgen", PYBINDGEN_VERSION + sys.version.split()[0], build)


def _gopy_tools() -> Path:
    def build(out: Path) -> None:
        src = out / "src"
        _builds.write_go_module(src, "gopytools", requires_gobridge=False)
        (src / "tools.go").write_text(TOOLS_GO)
        env = _builds.go_env(GOFLAGS="-mod=mod")
        go = _builds.go_binary()
        for spec in (f"github.com/go-python/gopy@{GOPY_VERSION}",
                     f"golang.org/x/tools@{X_TOOLS_VERSION}"):  # fmt: skip
            _builds.run([go, "get", spec], src, env)
        _builds.run(
            [go, "build", "-o", str(out / "bin") + os.sep, "github.com/go-python/gopy",
             "golang.org/x/tools/cmd/goimports"],
            src,
            env,
        )  # fmt: skip

    return _builds.cached("gopy-tools", f"{GOPY_VERSION}-{X_TOOLS_VERSION}-{_builds.go_version()}",
                          build) / "bin"  # fmt: skip


def gopy_module() -> Path:
    """The directory to put on sys.path to import ``gopy_gpbench.gpbench``."""
    bin_dir, pylib = _gopy_tools(), _pip_target()
    key = f"{GOPY_VERSION}{PACKAGE_GO}{sys.executable}{_builds.go_version()}"

    def build(out: Path) -> None:
        _builds.write_go_module(out, "gpbench", requires_gobridge=False)
        (out / "gpbench").mkdir()
        (out / "gpbench" / "gpbench.go").write_text(PACKAGE_GO)
        env = _builds.go_env(
            PATH=os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]),
            PYTHONPATH=str(pylib),
        )
        go = _builds.go_binary()
        _builds.run([go, "get", f"github.com/go-python/gopy@{GOPY_VERSION}"], out, env)
        _builds.run([go, "get", f"golang.org/x/tools@{X_TOOLS_VERSION}"], out, env)
        _builds.run(
            [str(bin_dir / "gopy"), "build", "-output=gopy_gpbench", f"-vm={sys.executable}",
             "./gpbench"],
            out,
            env,
        )  # fmt: skip

    return _builds.cached("gopy-module", hashlib.sha256(key.encode()).hexdigest()[:16], build)


def gobridge_library() -> Path:
    digest = _builds.tree_digest(
        _builds.sdk_dir(), extra=PACKAGE_GO + REGISTER_GO + _builds.go_version()
    )

    def build(out: Path) -> None:
        src = out / "src"
        _builds.write_go_module(src, "gpbench", requires_gobridge=True)
        (src / "gpbench").mkdir()
        (src / "gpbench" / "gpbench.go").write_text(PACKAGE_GO)
        (src / "cmd").mkdir()
        (src / "cmd" / "main.go").write_text(REGISTER_GO)
        _builds.go_shared(src, "./cmd", out / "libgobridge.so")

    return _builds.cached("gopy-gobridge", digest, build) / "libgobridge.so"


def gopy(settings: Settings) -> Figure:
    fig = Figure(
        "gopy",
        "go-python/gopy vs gobridge on the same Go package",
        "python -m gobridge.bench --only gopy",
    )
    try:
        gopy_dir = gopy_module()
    except (_builds.BuildError, subprocess.SubprocessError, OSError) as exc:
        fig.skipped = f"gopy {GOPY_VERSION} could not be built here: {exc}"
        return fig
    gobridge_env = default_env()
    gobridge_env["GOBRIDGE_LIBRARY"] = str(gobridge_library())
    gopy_env = default_env()
    gopy_env["PYTHONPATH"] = os.pathsep.join(
        [str(gopy_dir), *filter(None, [gopy_env.get("PYTHONPATH")])]
    )
    plans = {
        "gobridge": (["-c", WORKER, "gomod._gpbench", "nop,add,to_upper"], gobridge_env),
        "gopy": (["-c", WORKER, "gopy_gpbench.gpbench", "Nop,Add,ToUpper"], gopy_env),
    }
    runs: dict[str, list[dict[str, float]]] = {"gobridge": [], "gopy": []}
    for r in range(max(3, settings.subprocess_rounds // 2)):
        for name in list(plans)[:: 1 if r % 2 else -1]:
            args, env = plans[name]
            runs[name].append(json.loads(run_python(args, env)[2]))
    med = {
        side: {k: statistics.median(run[k] for run in samples) for k in samples[0]}
        for side, samples in runs.items()
    }
    fig.data["medians"] = med
    # gopy's scalar calls are the cheaper kind to beat by a wide margin; its
    # str call converts in C much as gobridge's frame path does.
    for call, target in (("nop", 2.0), ("add", 2.0), ("to_upper", 1.2)):
        fig.rows.append(
            Row(
                f"{call}: gopy time per call / gobridge time per call",
                med["gopy"][call] / med["gobridge"][call],
                target,
                better="higher",
                detail=f"gopy {format_seconds(med['gopy'][call])}, "
                f"gobridge {format_seconds(med['gobridge'][call])}",
            )
        )
    fig.rows.append(
        Row(
            "import time: gopy / gobridge (each starting its Go runtime)",
            med["gopy"]["import_seconds"] / med["gobridge"]["import_seconds"],
            better="higher",
            detail=f"gopy {format_seconds(med['gopy']['import_seconds'])}, "
            f"gobridge {format_seconds(med['gobridge']['import_seconds'])}",
        )
    )
    return fig
