"""Child interpreters with a deadline, for the reliability tests.

Everything that can kill or wedge a process (fork, signals, fatal Go
errors, sub-interpreters, a fresh import state) runs in a child interpreter,
and every child has a timeout, so that a hang fails the test instead of the
run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHILD_TIMEOUT = 60.0
"""Seconds any child interpreter may run; the tests expect far less."""


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child: this one, without a configured library."""
    env = {k: v for k, v in os.environ.items() if k != "GOBRIDGE_LIBRARY"}
    env["PYTHONFAULTHANDLER"] = "1"  # a hang that hits the timeout shows its stacks
    if extra:
        env.update(extra)
    return env


def child_command(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def run_child(
    code: str,
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = CHILD_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter; a child that outlives timeout is killed
    and the test fails."""
    try:
        return subprocess.run(
            child_command(code),
            capture_output=True,
            text=True,
            cwd=cwd,
            env=child_env(env),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"child interpreter hung for {timeout}s:\n{exc.stderr!r}")


def start_child(
    code: str, *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start code in a fresh interpreter that reports on stdout, line by line."""
    return subprocess.Popen(
        child_command(code),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=child_env(env),
    )


def read_line(proc: subprocess.Popen[str], timeout: float = CHILD_TIMEOUT) -> str:
    """The child's next line of output, failing the test if none comes in time."""
    import selectors

    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            _, err = proc.communicate(timeout=timeout)
            pytest.fail(f"child printed nothing for {timeout}s:\n{err}")
    return proc.stdout.readline().strip()


def finish_child(
    proc: subprocess.Popen[str], timeout: float = CHILD_TIMEOUT
) -> tuple[int, str, str]:
    """Wait for the child; (exit status, rest of stdout, stderr)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=timeout)
        pytest.fail(f"child hung for {timeout}s:\nstdout: {out}\nstderr: {err}")
    return proc.returncode, out, err
