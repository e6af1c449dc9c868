"""The timing harness: warm-up, interleaved rounds, medians and ratios.

A comparison runs its variants (A, B, ...) round-robin in one process:
every round times each variant once, in an order that rotates from round to
round, so drift on a noisy machine (frequency changes, a neighbour's load)
reaches all variants alike. A ratio is the median of the per-round ratios,
which pairs each sample with its neighbours in time. docs/benchmarks.md
explains why this is an in-house harness rather than pyperf or
pytest-benchmark.
"""

from __future__ import annotations

import gc
import importlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Callable

Timer = Callable[[int], float]
"""Runs its operation ``loops`` times and returns the seconds per operation."""


@dataclass
class Settings:
    quick: bool
    rounds: int
    warmup: int
    sample_seconds: float
    subprocess_rounds: int

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            return cls(quick, rounds=5, warmup=1, sample_seconds=0.002, subprocess_rounds=3)
        return cls(quick, rounds=21, warmup=3, sample_seconds=0.01, subprocess_rounds=15)


@dataclass
class Row:
    """One measured figure: a ratio, its target, and what it compares."""

    name: str
    ratio: float | None
    target: float | None = None
    better: str = "lower"  # or "higher": which side of the target passes
    unit: str = "x"
    detail: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        if self.better == "lower":
            return self.ratio <= self.target
        return self.ratio >= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "(no target)"
        op = "<=" if self.better == "lower" else ">="
        return f"{op} {format_number(self.target)}{self.unit}"

    def line(self) -> str:
        mark = {True: "PASS", False: "MISS", None: "info"}[self.passed]
        ratio = "n/a" if self.ratio is None else f"{format_number(self.ratio)}{self.unit}"
        detail = f"  [{self.detail}]" if self.detail else ""
        return f"  [{mark}] {self.name}: {ratio} (target {self.target_text()}){detail}"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ratio": self.ratio,
            "unit": self.unit,
            "target": self.target,
            "better": self.better,
            "passed": self.passed,
            "detail": self.detail,
            "values": self.values,
        }


@dataclass
class Figure:
    id: str
    title: str
    command: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "command": self.command,
            "skipped": self.skipped,
            "rows": [r.as_json() for r in self.rows],
            "notes": self.notes,
            "data": self.data,
            "seconds": round(self.seconds, 2),
        }


def format_number(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def format_seconds(s: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


def make_timer(fn: Callable[..., Any], *args: Any, unroll: int = 10) -> Timer:
    """A timer of ``fn(*args)``: the call is unrolled so the loop costs little."""
    names = [f"a{i}" for i in range(len(args))]
    call = f"        f({', '.join(names)})\n"
    source = (
        f"def timer(loops, f, {', '.join(names + [''])}perf_counter=perf_counter):\n"
        "    it = range(loops)\n"
        "    t0 = perf_counter()\n"
        "    for _ in it:\n" + call * unroll + "    return (perf_counter() - t0) / (loops * "
        f"{unroll})\n"
    )
    namespace: dict[str, Any] = {"perf_counter": time.perf_counter}
    exec(compile(source, f"<timer {getattr(fn, '__qualname__', fn)}>", "exec"), namespace)
    raw = namespace["timer"]

    def timer(loops: int) -> float:
        return float(raw(loops, fn, *args))

    return timer


def once_timer(fn: Callable[[], Any]) -> Timer:
    """A timer of a long operation, run ``loops`` times without unrolling."""

    def timer(loops: int) -> float:
        t0 = time.perf_counter()
        for _ in range(loops):
            fn()
        return (time.perf_counter() - t0) / loops

    return timer


def calibrate(timer: Timer, seconds: float) -> int:
    """How many loops make one sample last about ``seconds``."""
    loops = 1
    while True:
        per_op = timer(loops)
        if per_op * loops >= seconds / 4 or loops >= 1 << 24:
            return max(1, int(seconds / max(per_op, 1e-9)))
        loops *= 4


def interleave(
    timers: dict[str, Timer],
    settings: Settings,
    sample_seconds: float | None = None,
    rounds: int | None = None,
) -> dict[str, list[float]]:
    """Per-round seconds per operation of each timer, measured round-robin."""
    seconds = sample_seconds if sample_seconds is not None else settings.sample_seconds
    rounds = rounds if rounds is not None else settings.rounds
    names = list(timers)
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        loops = {name: calibrate(timers[name], seconds) for name in names}
        samples: dict[str, list[float]] = {name: [] for name in names}
        for r in range(settings.warmup + rounds):
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                t = timers[name](loops[name])
                if r >= settings.warmup:
                    samples[name].append(t)
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples


def median_ratio(samples: dict[str, list[float]], a: str, b: str) -> float:
    """The median over rounds of a's time divided by b's."""
    return statistics.median(x / y for x, y in zip(samples[a], samples[b]))


def spread(samples: dict[str, list[float]], a: str, b: str) -> tuple[float, float]:
    """The interquartile range of the per-round ratios a/b."""
    ratios = sorted(x / y for x, y in zip(samples[a], samples[b]))
    if len(ratios) < 4:
        return ratios[0], ratios[-1]
    q = statistics.quantiles(ratios, n=4)
    return q[0], q[2]


def median(xs: Iterable[float]) -> float:
    return statistics.median(xs)


def gomod(name: str) -> Any:
    """Import gomod.<name>: Go modules are built at run time and have no static types."""
    return importlib.import_module("gomod." + name)


# --- processes ----------------------------------------------------------


def run_python(
    args: list[str], env: dict[str, str] | None = None, cwd: str | None = None
) -> tuple[float, int, str]:
    """Run ``python args``: its wall time in seconds, its ru_maxrss in KiB, its stdout.

    The ru_maxrss of a forked child includes what it shared with its parent
    before exec; a figure about memory has the child report its own VmHWM.
    """
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=subprocess.PIPE, stderr=errors, env=env, cwd=cwd
        )
        assert proc.stdout is not None
        with proc.stdout:
            out = proc.stdout.read()
        # Reaped here rather than by Popen, for the child's own rusage.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            raise RuntimeError(
                f"python {' '.join(args)[:300]} exited with {code}: "
                f"{errors.read().decode(errors='replace')[-3000:]}"
            )
    return wall, int(usage.ru_maxrss), out.decode()


# --- the machine ----------------------------------------------------------


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }
    try:
        from . import _builds

        info["go"] = _builds.go_version()
    except Exception as exc:  # no Go here: say so rather than fail
        info["go"] = f"unavailable ({exc})"
    try:
        import cffi

        info["cffi"] = cffi.__version__
    except ImportError:
        info["cffi"] = "unavailable"
    try:
        with open("/proc/meminfo") as f:
            info["memory"] = " ".join(f.readline().split()[1:])
    except OSError:
        pass
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
