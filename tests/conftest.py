"""Fixtures shared by the Python tests of gobridge."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

import gobridge

RunPython = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def run_python(tmp_path: Path) -> RunPython:
    """Run code in a fresh interpreter, away from the checkout and from
    GOBRIDGE_LIBRARY, so that it imports gobridge the way an installed copy
    would be imported."""

    def run(code: str, *args: str, env: dict[str, str] | None = None, check: bool = True):
        child_env = {k: v for k, v in os.environ.items() if k != "GOBRIDGE_LIBRARY"}
        if env:
            child_env.update(env)
        proc = subprocess.run(
            [sys.executable, *args, "-c", code],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=child_env,
            timeout=120,
        )
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc

    return run


def live_handles() -> int:
    """Go objects and module instances the library has lent, after collecting garbage."""
    gc.collect()
    return gobridge.stats()["handles"]


@pytest.fixture
def handles() -> Callable[[], int]:
    return live_handles


# pytest-timeout (configured in pyproject.toml) kills a test that overruns.
# These tests build Go libraries, wheels or benchmarks in subprocesses
# whose own timeouts run to many minutes (and there may be several per
# test): they get a longer limit than the default.
BUILD_TIMEOUT = 1800
BUILD_MODULES = {
    "test_authoring.py",
    "test_bench_smoke.py",
    "test_build.py",
    "test_packaging.py",
    "test_stubgen.py",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("timeout") is not None:
            continue
        if item.get_closest_marker("slow") is not None or item.path.name in BUILD_MODULES:
            item.add_marker(pytest.mark.timeout(BUILD_TIMEOUT))
