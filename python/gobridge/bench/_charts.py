"""PNG charts of the results, drawn with matplotlib.

matplotlib is not a dependency of gobridge: when it is missing, it is
installed with pip into the benchmark's cache (not into the environment);
when that fails too, the charts are skipped with a message.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import _builds
from ._harness import Figure


def _pyplot() -> Any:
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        target = _builds.cache_root() / f"matplotlib-{sys.implementation.cache_tag}"
        if not (target / "matplotlib").is_dir():
            print(f"  installing matplotlib into {target} for the charts")
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 "--target", str(target), "matplotlib"],
                capture_output=True,
                text=True,
            )  # fmt: skip
            if proc.returncode != 0:
                message = proc.stderr.strip()[-500:]
                raise OSError(f"pip install matplotlib failed: {message}") from None
        sys.path.append(str(target))
        matplotlib = importlib.import_module("matplotlib")
    matplotlib.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def write_all(figures: list[Figure], out_dir: Path, docs_dir: str | None) -> list[str]:
    """Draw every chart the figures have data for; the paths written."""
    by_id = {f.id: f for f in figures if not f.skipped}
    drawers = [
        ("calls", "overhead-by-signature.png", _overhead),
        ("manymods", "rss-vs-modules.png", _many_modules),
        ("regexp", "regexp-catastrophic.png", _regexp),
        ("bulk", "bulk-speed.png", _bulk),
    ]
    wanted = [d for d in drawers if d[0] in by_id]
    if not wanted:
        return []
    try:
        plt = _pyplot()
    except (ImportError, OSError) as exc:
        print(f"  charts skipped: matplotlib is unavailable ({exc})")
        return []
    written = []
    for figure_id, name, draw in wanted:
        path = out_dir / name
        draw(plt, by_id[figure_id].data, path)
        written.append(str(path))
        if docs_dir:
            Path(docs_dir).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(docs_dir) / name)
    print(f"  charts: {', '.join(written)}")
    return written


def _overhead(plt: Any, data: dict[str, Any], path: Path) -> None:
    ns = data["ns_per_call"]
    signatures = list(ns)
    variants = list(next(iter(ns.values())))
    fig, ax = plt.subplots(figsize=(10, 4.8))
    width = 0.8 / len(variants)
    for i, variant in enumerate(variants):
        xs = [j + (i - (len(variants) - 1) / 2) * width for j in range(len(signatures))]
        ax.bar(xs, [ns[s][variant] for s in signatures], width, label=variant)
    ax.set_xticks(range(len(signatures)), signatures)
    ax.set_yscale("log")
    ax.set_ylabel("time per call (ns, log scale)")
    ax.set_title("Call overhead by signature")
    ax.legend(ncols=len(variants), fontsize="small", loc="upper left")
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _many_modules(plt: Any, data: dict[str, Any], path: Path) -> None:
    by_n = data["by_n"]
    fig, (rss, threads) = plt.subplots(1, 2, figsize=(10, 4))
    labels = {"gobridge": "gobridge (one library)", "peer": "one c-shared library per module"}
    for kind, label in labels.items():
        ns = sorted(by_n[kind], key=int)
        rss.plot([int(n) for n in ns], [by_n[kind][n]["rss_kib"] / 1024 for n in ns], "o-",
                 label=label)  # fmt: skip
        threads.plot([int(n) for n in ns], [by_n[kind][n]["threads"] for n in ns], "o-",
                     label=label)  # fmt: skip
    rss.set_xlabel("modules imported (N)")
    rss.set_ylabel("RSS added by the imports (MiB)")
    threads.set_xlabel("modules imported (N)")
    threads.set_ylabel("OS threads after the imports")
    rss.set_title("Memory vs N")
    threads.set_title("Threads vs N")
    for ax in (rss, threads):
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _regexp(plt: Any, data: dict[str, Any], path: Path) -> None:
    cat = data["catastrophic"]
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, key in (("re", "re_seconds"), ("gomod.regexp", "gomod_seconds")):
        ns = sorted(cat[key], key=int)
        ax.plot([int(n) for n in ns], [cat[key][n] for n in ns], "o-", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n in 'a'*n + 'b'")
    ax.set_ylabel("seconds per search of (a+)+$")
    ax.set_title("Catastrophic backtracking: exponential vs linear")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _bulk(plt: Any, data: dict[str, Any], path: Path) -> None:
    speed = data["speed_ratio"]
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, by_size in speed.items():
        sizes = sorted(by_size, key=int)
        ax.plot([int(s) for s in sizes], [by_size[s] for s in sizes], "o-", label=name)
    ax.axhline(0.95, color="grey", linestyle="--", label="target at 64 MiB")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("buffer size (bytes)")
    ax.set_ylabel("gomod speed / hashlib or binascii speed")
    ax.set_title("Bulk data")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
