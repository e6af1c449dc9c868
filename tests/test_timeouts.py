"""No test can hang the suite.

pyproject.toml gives every test a timeout (pytest-timeout, thread method);
these tests prove that a hung test is killed, with every thread's stack
shown, both when it hangs in Python and when it hangs inside a Go call
(where a signal handler would never run), and that every subprocess a
test starts has a timeout of its own.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

HANGING_TESTS = """
import threading
import time


def helper_thread_body(stop):
    stop.wait()


def hang_in_python():
    threading.Event().wait()


def hang_in_go():
    import gomod._testing as t

    t.sleep_ms(600_000)


def test_hangs():
    stop = threading.Event()
    threading.Thread(target=helper_thread_body, args=(stop,), name="helper", daemon=True).start()
    {hang}()
"""


def run_hanging_test(tmp_path: Path, hang: str) -> tuple[subprocess.CompletedProcess[str], float]:
    (tmp_path / "test_hanging.py").write_text(HANGING_TESTS.format(hang=hang), encoding="utf-8")
    start = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            # The project's own configuration, with a short limit.
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-o",
            "timeout=3",
            str(tmp_path / "test_hanging.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    return proc, time.monotonic() - start


@pytest.mark.parametrize("hang", ["hang_in_python", "hang_in_go"])
def test_a_hung_test_is_killed_with_every_threads_stack(tmp_path: Path, hang: str) -> None:
    proc, elapsed = run_hanging_test(tmp_path, hang)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Timeout" in output, output
    # Every thread's stack: the hung test's, down to where it hangs, and
    # the helper thread's.
    assert hang in output, output
    assert "helper_thread_body" in output, output
    assert elapsed < 60, (elapsed, output)


# Calls that start a process and wait for it, and the methods that wait.
_STARTS = {"run", "check_output", "check_call", "call"}
_WAITS = {"communicate", "wait"}

# Scripts under tests/ that no test runs (they record data by hand).
NOT_RUN_BY_TESTS = {"tests/conformance/generate.py"}
# Calls allowed to go without a timeout for now, by
# "file:function". pytest-timeout bounds them meanwhile (tests/conftest.py);
# an entry that gets its timeout must leave this list.
KNOWN_MISSING: set[str] = set()


def missing_timeouts(path: Path, root: Path = ROOT) -> list[str]:
    """Calls in path that start or wait for a process without a timeout,
    as "file:function:line"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    popens = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "Popen"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    enclosing: dict[ast.AST, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # Outer functions come first in the walk: inner ones overwrite.
            for inner in ast.walk(node):
                if inner is not node:
                    enclosing[inner] = node.name
    missing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else ""
        starts = owner_name == "subprocess" and node.func.attr in _STARTS
        # proc.communicate() anywhere; .wait() on what a Popen was assigned
        # to (barriers and events wait too, with timeouts of their own).
        waits = node.func.attr == "communicate" or (
            node.func.attr == "wait" and owner_name in popens | {"proc", "process", "child"}
        )
        if not (starts or waits) or any(k.arg == "timeout" for k in node.keywords):
            continue
        if waits and len(node.args) >= (2 if node.func.attr == "communicate" else 1):
            continue  # the timeout passed by position
        where = f"{path.relative_to(root)}:{enclosing.get(node, '<module>')}"
        missing.append(f"{where}:{node.lineno}")
    return missing


def test_every_subprocess_a_test_starts_has_a_timeout() -> None:
    found = [
        line
        for path in sorted(TESTS.rglob("*.py"))
        if str(path.relative_to(ROOT)) not in NOT_RUN_BY_TESTS
        for line in missing_timeouts(path)
    ]
    missing = [line for line in found if line.rsplit(":", 1)[0] not in KNOWN_MISSING]
    assert not missing, "subprocess calls without a timeout:\n" + "\n".join(missing)
    fixed = KNOWN_MISSING - {line.rsplit(":", 1)[0] for line in found}
    assert not fixed, f"these have timeouts now: remove them from KNOWN_MISSING: {fixed}"


def test_the_audit_finds_calls_without_a_timeout(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        textwrap.dedent(
            """\
            import subprocess
            subprocess.run(["true"], timeout=5)
            subprocess.run(["true"])
            def helper():
                p = subprocess.Popen(["true"])
                p.wait()
                p.wait(5)
                p.communicate(timeout=5)
                return subprocess.check_output(["true"])
            """
        ),
        encoding="utf-8",
    )
    assert missing_timeouts(sample, tmp_path) == [
        "sample.py:<module>:3",
        "sample.py:helper:6",
        "sample.py:helper:9",
    ]
