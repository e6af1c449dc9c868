"""Fixtures of the reliability tests."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest
from children import run_child


@pytest.fixture
def child(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """run_child in an empty directory."""

    def run(code: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return run_child(code, cwd=tmp_path, **kwargs)

    return run
