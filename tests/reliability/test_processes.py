"""fork() and worker processes.

The Go runtime's threads do not survive fork(): a child forked after the
library loaded must never call into Go (it would wait forever for threads
that are not there). The cffi shim notices the fork and every gomod call in
the child raises RuntimeError naming the 'spawn' and 'forkserver' start
methods. Children forked before the library loaded, and workers started with
spawn or forkserver, load their own runtime and work normally.
"""

from __future__ import annotations

import json
import pickle

import pytest

import gomod._testing as t
import gomod.strings as strings

_FORK_AFTER_LOAD = """
import gc, json, os, select, sys
import gobridge
import gomod._testing as t
import gomod.strings as strings
counter = t.new_counter(1)
iterator = t.count(3)
assert t.add(1, 2) == 3
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    calls = {
        "generic": lambda: strings.to_upper("x"),
        "fast path": lambda: t.add(1, 2),
        "context": lambda: t.sleep_ctx(1),
        "awaitable": lambda: __import__("asyncio").run(t.add.aio(1, 2)),
        "method": lambda: counter.incr(1),
        "iterator": lambda: next(iterator),
        "callback": lambda: t.apply(lambda x: x, 1),
        "stats": gobridge.stats,
        "new import": lambda: __import__("gomod.encoding.hex"),
    }
    seen = {}
    for name, call in calls.items():
        try:
            call()
            seen[name] = "returned"
        except BaseException as exc:
            seen[name] = f"{type(exc).__name__}: {exc}"
    del counter, iterator
    gc.collect()  # releasing Go objects in the child must not touch Go either
    os.write(w, json.dumps(seen).encode())
    os._exit(0)
os.close(w)
ready, _, _ = select.select([r], [], [], 30)
if not ready:
    os.kill(pid, 9)
    print(json.dumps({"hung": True}))
    sys.exit(0)
data = b""
while chunk := os.read(r, 65536):
    data += chunk
_, status = os.waitpid(pid, 0)
assert t.add(2, 2) == 4  # the parent is unaffected
print(json.dumps({"child": json.loads(data), "status": status}))
"""


def test_any_call_in_a_child_forked_after_load_raises(child):
    proc = child(_FORK_AFTER_LOAD)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert "hung" not in report
    assert report["status"] == 0
    for name, outcome in report["child"].items():
        assert outcome.startswith(("RuntimeError: ", "ImportError: ")), (name, outcome)
        assert "fork" in outcome, (name, outcome)
        assert "'spawn'" in outcome and "'forkserver'" in outcome, (name, outcome)
    assert len(report["child"]) == 9


def test_child_forked_before_load_uses_gomod(child):
    proc = child(
        """
        import os, sys
        pid = os.fork()
        import gomod.strings as strings
        import gomod._testing as t
        assert strings.to_upper("abc") == "ABC" and t.add(2, 3) == 5
        assert list(t.count(3)) == [0, 1, 2]
        assert t.sleep_ctx(1) is None
        if pid == 0:
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"


def test_go_functions_and_classes_pickle_by_reference():
    assert pickle.loads(pickle.dumps(strings.to_upper)) is strings.to_upper
    assert pickle.loads(pickle.dumps(t.sleep_ctx)) is t.sleep_ctx
    assert pickle.loads(pickle.dumps(t.Counter)) is t.Counter
    with pytest.raises(TypeError, match="cannot pickle Go object"):
        pickle.dumps(t.new_counter(1))


_POOL = """
import json, multiprocessing, pickle
from concurrent.futures import ProcessPoolExecutor
import gomod._testing as t
import gomod.strings as strings

if __name__ == "__main__":
    assert t.add(1, 1) == 2  # the parent has its runtime loaded before the workers start
    report = {{}}
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("{method}")) as pool:
        report["map"] = list(pool.map(strings.to_upper, ["a", "b", "c"]))
        report["add"] = pool.submit(t.add, 2, 3).result(timeout=60)
        report["context"] = pool.submit(t.sleep_ctx, 1).result(timeout=60)
        report["class"] = pool.submit(pickle.loads, pickle.dumps(t.Counter)).result(
            timeout=60) is t.Counter
        try:
            pool.submit(t.new_counter, 1).result(timeout=60)
        except TypeError as exc:
            report["go object"] = str(exc)
    print(json.dumps(report))
"""


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_process_pool_with_spawn_and_forkserver(tmp_path, method):
    import subprocess

    from children import CHILD_TIMEOUT, child_env

    script = tmp_path / "pool_main.py"
    script.write_text(_POOL.format(method=method))
    proc = subprocess.run(
        [__import__("sys").executable, str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env(),
        timeout=CHILD_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report == {
        "map": ["A", "B", "C"],
        "add": 5,
        "context": None,
        "class": True,
        "go object": report["go object"],
    }
    assert "cannot pickle Go object Counter" in report["go object"]


def test_process_pool_with_fork_after_load_raises_not_hangs(child):
    proc = child(
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        import gomod.strings as strings
        assert strings.to_upper("a") == "A"
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            try:
                pool.submit(strings.to_upper, "b").result(timeout=30)
            except RuntimeError as exc:
                print(exc)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert "does not survive fork()" in proc.stdout
    assert "'spawn'" in proc.stdout
