"""``python -m gobridge.bench``: run the benchmark suite and write its results.

    python -m gobridge.bench                  the full suite (under 10 minutes)
    python -m gobridge.bench --quick          a smoke run (under a minute once built)
    python -m gobridge.bench --only calls,bulk
    python -m gobridge.bench --list
    python -m gobridge.bench --markdown bench-results/latest.json

Results go to ``bench-results/latest.json`` with charts beside it;
``--docs-charts DIR`` also copies the charts there. docs/benchmarks.md
describes every figure and its target.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from . import _builds, _calls, _charts, _gopy, _imports, _manymods, _workloads
from ._harness import Figure, Settings, format_number, machine_info

# (id, needs the benchmark library loaded in this process, what it measures)
FIGURES: list[tuple[str, bool, str]] = [
    ("calls", True, "call overhead by signature vs bare cffi, C extension, ctypes, Python"),
    ("objects", True, "method calls on Go objects; callback round trip vs cffi extern Python"),
    ("bulk", True, "sha256 and base64 from 1 KiB to 64 MiB vs hashlib and binascii"),
    ("parallel", True, "two threads calling CPU-bound Go vs one"),
    ("regexp", True, "gomod.regexp vs re, ordinary and catastrophic patterns"),
    ("dunder_import", True, "gobridge.__import__ vs builtins and importlib"),
    ("startup", False, "python -c 'import gomod.strings' vs python -c pass"),
    ("imports", False, "cold and warm imports; the finder's cost to 200 stdlib imports"),
    ("manymods", False, "N modules in one library vs one c-shared library per module"),
    ("gopy", False, "go-python/gopy vs gobridge on the same Go package"),
]


def _runner(figure_id: str, settings: Settings, library: Path | None) -> Callable[[], Figure]:
    def need_library() -> Path:
        assert library is not None
        return library

    runners: dict[str, Callable[[], Figure]] = {
        "calls": lambda: _calls.overhead(settings, need_library()),
        "objects": lambda: _calls.objects(settings, need_library()),
        "bulk": lambda: _workloads.bulk(settings),
        "parallel": lambda: _workloads.parallel(settings),
        "regexp": lambda: _workloads.regexp(settings),
        "dunder_import": lambda: _imports.dunder_import(settings),
        "startup": lambda: _imports.startup(settings),
        "imports": lambda: _imports.imports(settings),
        "manymods": lambda: _manymods.many_modules(settings),
        "gopy": lambda: _gopy.gopy(settings),
    }
    return runners[figure_id]


def markdown(result: dict[str, Any]) -> str:
    """The figures of a result file as Markdown tables, for docs/benchmarks.md."""
    lines = []
    for fig in result["figures"]:
        lines += [f"#### {fig['title']}", "", f"`{fig['command']}`", ""]
        if fig["skipped"]:
            lines += [f"Skipped: {fig['skipped']}", ""]
            continue
        lines += ["| figure | measured | target | result |", "| --- | --- | --- | --- |"]
        for row in fig["rows"]:
            measured = (
                "n/a" if row["ratio"] is None else f"{format_number(row['ratio'])}{row['unit']}"
            )
            target = (
                ""
                if row["target"] is None
                else (
                    f"{'<=' if row['better'] == 'lower' else '>='} "
                    f"{format_number(row['target'])}{row['unit']}"
                )
            )
            status = {True: "met", False: "**missed**", None: ""}[row["passed"]]
            detail = f" ({row['detail']})" if row["detail"] else ""
            lines.append(f"| {row['name']}{detail} | {measured} | {target} | {status} |")
        lines += [""] + [f"{note}" for note in fig["notes"]] + ([""] if fig["notes"] else [])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gobridge.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and sizes")
    parser.add_argument("--only", help="comma-separated figure ids (see --list)")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    parser.add_argument("--out", default="bench-results", help="results directory")
    parser.add_argument("--no-charts", action="store_true", help="write no PNG charts")
    parser.add_argument("--docs-charts", metavar="DIR", help="also copy the charts to DIR")
    parser.add_argument(
        "--markdown", metavar="JSON", help="print a result file's figures as Markdown tables"
    )
    args = parser.parse_args(argv)

    if args.markdown:
        print(markdown(json.loads(Path(args.markdown).read_text())))
        return 0
    if args.list:
        for figure_id, _, what in FIGURES:
            print(f"{figure_id:14} {what}")
        return 0
    known = [f[0] for f in FIGURES]
    selected = known if not args.only else [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(selected) - set(known))
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(known)}")
    if "gomod" in {name.split(".")[0] for name in sys.modules}:
        parser.error("gomod was imported before the benchmark chose its library")

    settings = Settings.for_mode(args.quick)
    started = time.perf_counter()
    info = machine_info()
    info["load_average_start"] = os.getloadavg()[0]
    print("gobridge benchmark suite" + (" (--quick)" if args.quick else ""))
    for key, value in info.items():
        print(f"  {key}: {value}")
    if info["load_average_start"] > 0.5:
        print("  note: the machine is busy (load average above 0.5); figures will be noisier")

    library: Path | None = None
    needs_library = any(lib for fid, lib, _ in FIGURES if fid in selected)
    figures: list[Figure] = []
    if needs_library:
        try:
            library = _builds.variant_library()
        except _builds.BuildError as exc:
            print(f"\ncannot build the benchmark library: {exc}", file=sys.stderr)
            return 1
        # Before the first gomod import: this process loads the benchmark's
        # library, and the baselines then find the same one already loaded.
        os.environ["GOBRIDGE_LIBRARY"] = str(library)
        print(f"  benchmark library: {library}")

    failed = False
    for figure_id in (f for f in known if f in selected):
        t0 = time.perf_counter()
        try:
            fig = _runner(figure_id, settings, library)()
        except Exception as exc:
            failed = True
            fig = Figure(figure_id, figure_id, f"python -m gobridge.bench --only {figure_id}")
            fig.skipped = f"failed: {type(exc).__name__}: {exc}"
            traceback.print_exc()
        fig.seconds = time.perf_counter() - t0
        figures.append(fig)
        print(f"\n{fig.title}  ({fig.seconds:.1f} s)")
        if fig.skipped:
            print(f"  skipped: {fig.skipped}")
        for row in fig.rows:
            print(row.line())
        for note in fig.notes:
            print(f"  note: {note}")

    info["load_average_end"] = os.getloadavg()[0]
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = {
        "suite": "gobridge.bench",
        "quick": args.quick,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.perf_counter() - started, 1),
        "machine": info,
        "figures": [f.as_json() for f in figures],
    }
    if not args.no_charts:
        result["charts"] = _charts.write_all(figures, out_dir, args.docs_charts)
    path = out_dir / "latest.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, default=float) + "\n")
    tmp.replace(path)
    rows = [r for f in figures for r in f.rows if r.passed is not None]
    missed = [r for f in figures for r in f.rows if r.passed is False]
    print(f"\n{len(rows) - len(missed)} targets met, {len(missed)} missed; "
          f"{result['seconds']} s; results in {path}")  # fmt: skip
    for row in missed:
        print(row.line())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
