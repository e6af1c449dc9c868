"""The benchmark suite runs and writes a valid result file.

This checks that ``python -m gobridge.bench`` works, not what it measures:
figures are never asserted, because a test must not depend on timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("GOBRIDGE_LIBRARY", None)
    return subprocess.run(
        [sys.executable, "-m", "gobridge.bench", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_quick_startup_figure_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results"
    proc = _run(tmp_path, "--quick", "--only", "startup", "--no-charts", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads((out / "latest.json").read_text())
    assert result["quick"] is True
    assert {"cpu", "cores", "python", "go"} <= set(result["machine"])
    [figure] = result["figures"]
    assert figure["id"] == "startup"
    assert figure["skipped"] is None
    assert [row["unit"] for row in figure["rows"]] == [" ms", " MiB", " ms", " MiB"]
    # The time to the first result has targets; import alone is information.
    for row, targeted in zip(figure["rows"], (True, True, False, False)):
        assert isinstance(row["ratio"], float)
        assert (row["target"] is not None) is targeted
        assert isinstance(row["passed"], bool) is targeted
    assert "extra wall time of import gomod.strings and one call" in proc.stdout


def test_unknown_figure_is_refused(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--only", "no_such_figure")
    assert proc.returncode == 2
    assert "unknown figure(s) no_such_figure" in proc.stderr


def test_list_names_every_figure(tmp_path: Path) -> None:
    proc = _run(tmp_path, "--list")
    assert proc.returncode == 0
    ids = [line.split()[0] for line in proc.stdout.splitlines()]
    assert ids == [
        "calls", "objects", "bulk", "parallel", "regexp", "dunder_import",
        "startup", "imports", "manymods", "gopy",
    ]  # fmt: skip
