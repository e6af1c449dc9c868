"""Real work through gobridge: bulk data, parallel threads, regular expressions."""

from __future__ import annotations

import binascii
import functools
import hashlib
import os
import re
import threading
import time
from typing import Any, Callable

from ._harness import (
    Figure,
    Row,
    Settings,
    format_seconds,
    gomod,
    interleave,
    median,
    median_ratio,
    once_timer,
)

KiB = 1024
MiB = 1024 * KiB


def _size_name(n: int) -> str:
    return f"{n // MiB} MiB" if n >= MiB else f"{n // KiB} KiB"


def bulk(settings: Settings) -> Figure:
    sha256, base64 = gomod("crypto.sha256"), gomod("encoding.base64")

    fig = Figure(
        "bulk",
        "Bulk data: sha256 and base64 against hashlib and binascii",
        "python -m gobridge.bench --only bulk",
    )
    sizes = [KiB, 64 * KiB, MiB] if settings.quick else [KiB, 64 * KiB, MiB, 16 * MiB, 64 * MiB]
    cases: list[
        tuple[str, Callable[[bytes], Any], Callable[[bytes], Any], Callable[[Any], Any]]
    ] = [
        ("sha256", sha256.sum256, lambda b: hashlib.sha256(b).digest(), lambda r: r),
        (
            "base64",
            base64.standard_encode,
            lambda b: binascii.b2a_base64(b, newline=False),
            lambda r: r.encode() if isinstance(r, str) else r,
        ),
    ]
    throughput: dict[str, dict[str, float]] = {}
    for size in sizes:
        buf = os.urandom(size)
        for name, go, py, normal in cases:
            if normal(go(buf)) != normal(py(buf)):
                raise AssertionError(f"{name}: gomod and Python disagree at {size} bytes")
            samples = interleave(
                {
                    "gomod": once_timer(functools.partial(go, buf)),
                    "python": once_timer(functools.partial(py, buf)),
                },
                settings,
                sample_seconds=max(settings.sample_seconds, 0.02),
                rounds=min(settings.rounds, 11),
            )
            # The speed ratio: Python's time over gomod's (above 1: gomod is faster).
            ratio = median_ratio(samples, "python", "gomod")
            go_t, py_t = median(samples["gomod"]), median(samples["python"])
            throughput.setdefault(name, {})[str(size)] = ratio
            is_target = size == 64 * MiB
            fig.rows.append(
                Row(
                    f"{name} over {_size_name(size)}: gomod speed relative to "
                    f"{'hashlib' if name == 'sha256' else 'binascii'}",
                    ratio,
                    0.95 if is_target else None,
                    better="higher",
                    detail=f"gomod {size / go_t / MiB:.0f} MiB/s ({format_seconds(go_t)}), "
                    f"Python {size / py_t / MiB:.0f} MiB/s ({format_seconds(py_t)})",
                )
            )
    fig.data["speed_ratio"] = throughput
    if settings.quick:
        fig.notes.append("--quick stops at 1 MiB; the 64 MiB target is checked by the full run.")
    return fig


def parallel(settings: Settings) -> Figure:
    testing = gomod("_testing")

    fig = Figure(
        "parallel",
        "Parallel scaling: CPU-bound Go in two Python threads",
        "python -m gobridge.bench --only parallel",
    )
    spin = testing.spin
    # Size the work so one call takes about 20 ms (5 ms with --quick).
    want = 0.005 if settings.quick else 0.02
    n = 1 << 16
    while True:
        t0 = time.perf_counter()
        spin(n)
        if time.perf_counter() - t0 >= want / 4:
            break
        n *= 4
    t0 = time.perf_counter()
    spin(n)
    n = max(1, int(n * want / (time.perf_counter() - t0)))

    spin_samples = _one_vs_two_threads(lambda: spin(n), settings, want)
    fig.rows.append(
        Row(
            "2 threads x 1 call vs 1 thread x 2 calls (speed-up)",
            median_ratio(spin_samples, "one thread", "two threads"),
            1.9,
            better="higher",
            detail=f"_testing.spin({n}): one thread "
            f"{format_seconds(median(spin_samples['one thread']))}, two threads "
            f"{format_seconds(median(spin_samples['two threads']))}; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.2f}",
        )
    )
    # The machine's own ceiling: a C function that releases the GIL too. When
    # another process keeps a core busy, this one cannot scale either.
    buf = bytes(8 * MiB if settings.quick else 32 * MiB)
    ref_samples = _one_vs_two_threads(lambda: hashlib.sha256(buf).digest(), settings, want)
    fig.rows.append(
        Row(
            "reference: hashlib.sha256 in 2 threads vs 1 (the machine's ceiling)",
            median_ratio(ref_samples, "one thread", "two threads"),
            better="higher",
        )
    )
    return fig


def _one_vs_two_threads(
    work: Callable[[], Any], settings: Settings, seconds: float
) -> dict[str, list[float]]:
    """Interleaved samples of work twice in one thread and once in each of two."""

    def serial() -> None:
        work()
        work()

    start = threading.Barrier(3)
    done = threading.Barrier(3)
    stop = False

    def worker() -> None:
        while True:
            start.wait()
            if stop:
                return
            work()
            done.wait()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()

    def two_threads() -> None:
        start.wait()
        done.wait()

    try:
        return interleave(
            {"one thread": once_timer(serial), "two threads": once_timer(two_threads)},
            settings,
            sample_seconds=seconds * 4,
        )
    finally:
        stop = True
        start.wait()
        for t in threads:
            t.join()


TEXT_LINE = (
    "2024-03-{day:02d} 12:{minute:02d}:07 host{host}.example.com ERROR request {req} "
    "from alice{host}@example.com timed out after {ms} ms\n"
)


def _log_text(size: int) -> str:
    lines = []
    total = i = 0
    while total < size:
        line = TEXT_LINE.format(
            day=1 + i % 28, minute=i % 60, host=i % 97, req=i * 7919, ms=100 + i % 900
        )
        lines.append(line if i % 3 else line.replace("ERROR", "INFO").replace("timed out", "ok"))
        total += len(line)
        i += 1
    return "".join(lines)


def regexp(settings: Settings) -> Figure:
    goregexp = gomod("regexp")

    fig = Figure(
        "regexp",
        "Regexp: gomod.regexp (RE2, linear time) against re",
        "python -m gobridge.bench --only regexp",
    )
    text = _log_text(64 * KiB if settings.quick else 256 * KiB)
    ordinary = [
        ("dates", r"\d{4}-\d{2}-\d{2}"),
        ("e-mail addresses", r"[a-z0-9]+@[a-z]+\.[a-z]+"),
        ("error lines", r"ERROR [^\n]*timed out"),
    ]
    for label, pattern in ordinary:
        go_rx, py_rx = goregexp.compile(pattern), re.compile(pattern)
        if go_rx.find_all_string(text, -1) != py_rx.findall(text):
            raise AssertionError(f"regexp {pattern!r}: gomod and re disagree")
        samples = interleave(
            {
                "gomod": once_timer(functools.partial(go_rx.find_all_string, text, -1)),
                "re": once_timer(functools.partial(py_rx.findall, text)),
            },
            settings,
            sample_seconds=max(settings.sample_seconds, 0.02),
            rounds=min(settings.rounds, 11),
        )
        fig.rows.append(
            Row(
                f"find all {label} ({pattern}) in {len(text) // KiB} KiB: gomod time / re time",
                median_ratio(samples, "gomod", "re"),
                detail=f"gomod {format_seconds(median(samples['gomod']))}, "
                f"re {format_seconds(median(samples['re']))}",
            )
        )

    # Catastrophic backtracking: (a+)+$ over "a"*n + "b" has no match; re
    # tries every way of splitting the a's (2**n), RE2 scans once.
    pattern = r"(a+)+$"
    go_rx, py_rx = goregexp.compile(pattern), re.compile(pattern)
    cap = 0.05 if settings.quick else 0.5
    re_times: dict[int, float] = {}
    n = 10
    while True:
        s = "a" * n + "b"
        t0 = time.perf_counter()
        if py_rx.search(s) is not None:
            raise AssertionError("(a+)+$ matched")
        re_times[n] = time.perf_counter() - t0
        if re_times[n] > cap:
            break
        n += 2
    go_times: dict[int, float] = {}
    sizes = sorted(set(re_times) | {1 << k for k in range(5, 17 if settings.quick else 21, 2)})
    for n in sizes:
        s = "a" * n + "b"
        if go_rx.match_string(s):
            raise AssertionError("(a+)+$ matched in gomod")
        reps = max(1, 20000 // n)
        t0 = time.perf_counter()
        for _ in range(reps):
            go_rx.match_string(s)
        go_times[n] = (time.perf_counter() - t0) / reps
    last = max(re_times)
    fig.rows.append(
        Row(
            f"(a+)+$ over 'a'*{last}+'b': re time / gomod time",
            re_times[last] / go_times[last],
            better="higher",
            detail=f"re {format_seconds(re_times[last])} (runs stop past "
            f"{format_seconds(cap)}), gomod {format_seconds(go_times[last])}",
        )
    )
    re_growth = re_times[last] / re_times[last - 2]
    fig.rows.append(
        Row(
            f"re: time growth from n={last - 2} to n={last} (exponential: about 4x)",
            re_growth,
        )
    )
    big, small = max(go_times), max(n for n in go_times if n <= max(go_times) // 16)
    fig.rows.append(
        Row(
            f"gomod: time growth from n={small} to n={big} ({big // small}x the input; "
            "linear: about the same factor)",
            go_times[big] / go_times[small],
        )
    )
    fig.data["catastrophic"] = {
        "re_seconds": {str(k): v for k, v in re_times.items()},
        "gomod_seconds": {str(k): v for k, v in go_times.items()},
    }
    return fig
