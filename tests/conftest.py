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
