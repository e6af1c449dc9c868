"""Many Python threads importing gomod modules and calling Go at once.

Each scenario runs in a fresh interpreter, so that the threads race through
the first gomod import of the process (loading the library, building the
registry) as well as through calls; the child's timeout turns a deadlock
into a failure. ``GOBRIDGE_STRESS_ITERATIONS`` sets how many rounds each
thread makes (default 200, which CI runs).
"""

from __future__ import annotations

import json
import os

THREADS = 32
ITERATIONS = int(os.environ.get("GOBRIDGE_STRESS_ITERATIONS", "200"))

_STRESS = """
import hashlib, importlib, json, sys, threading, traceback

THREADS, ITERATIONS = {threads}, {iterations}
barrier = threading.Barrier(THREADS)
results = [0] * THREADS
errors = []

def work(n):
    try:
        barrier.wait()
        strings = importlib.import_module("gomod.strings")
        sha256 = importlib.import_module("gomod.crypto.sha256")
        bits = importlib.import_module("gomod.math.bits")
        t = importlib.import_module("gomod._testing")
        counter = t.new_counter(0)
        for i in range(ITERATIONS):
            word = f"thread{{n}}-round{{i}}"
            assert strings.to_upper(word) == word.upper(), word
            assert t.add(n, i) == n + i
            assert bits.ones_count64(n * 1000 + i) == bin(n * 1000 + i).count("1")
            value = {{"n": n, "i": [i, str(i), b"%d" % i, 1.5 * i, None, [n, i]]}}
            assert t.echo(value) == value
            assert sha256.sum256(word.encode()) == hashlib.sha256(word.encode()).digest()
            assert t.apply(lambda x: x + n, i) == n + i
            assert counter.incr(1) == i + 1
            assert list(t.count(i % 7)) == list(range(i % 7))
            if i % 25 == 0:
                assert t.sleep_ctx(1) is None
                try:
                    t.panic_now(word)
                except Exception as exc:
                    assert word in str(exc)
                else:
                    raise AssertionError("no panic")
            results[n] += 1
    except BaseException:
        errors.append(traceback.format_exc())

threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(THREADS)]
for th in threads:
    th.start()
for th in threads:
    th.join(timeout=120)
alive = sum(th.is_alive() for th in threads)
import gc, gobridge
gc.collect()
print(json.dumps({{"results": results, "errors": errors[:3], "alive": alive,
                  "stats": gobridge.stats()}}))
"""


def test_many_threads_import_and_call_concurrently(child):
    proc = child(_STRESS.format(threads=THREADS, iterations=ITERATIONS), timeout=170)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    assert report["alive"] == 0
    assert report["results"] == [ITERATIONS] * THREADS
    assert report["stats"]["pending_calls"] == 0


def test_concurrent_first_imports_run_the_module_once(child):
    proc = child(
        """
        import importlib, json, threading
        barrier = threading.Barrier(32)
        got = []

        def imp():
            barrier.wait()
            got.append(importlib.import_module("gomod._counted_init"))

        threads = [threading.Thread(target=imp) for _ in range(32)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        import gomod._testing as t
        print(json.dumps({
            "imported": len(got),
            "distinct": len({id(m) for m in got}),
            "run": got[0].RUN,
            "runs": t.counted_init_runs(),
        }))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"imported": 32, "distinct": 1, "run": 1, "runs": 1}


def test_concurrent_first_imports_of_different_modules(child):
    # The gomod package itself is imported first: CPython lets another thread
    # look up gomod.x while gomod/__init__.py is still being read from disk,
    # before any code of ours can run (see docs/reliability.md). Everything
    # after that, including the first Go module and the runtime's start, races.
    proc = child(
        """
        import importlib, json, threading
        import gomod
        names = ["gomod.strings", "gomod.crypto.sha256", "gomod.crypto.md5",
                 "gomod.encoding.base64", "gomod.encoding.hex", "gomod.math",
                 "gomod.math.bits", "gomod.regexp", "gomod._testing"]
        barrier = threading.Barrier(len(names) * 3)
        got, errors = {}, []
        lock = threading.Lock()

        def imp(name):
            barrier.wait()
            try:
                module = importlib.import_module(name)
            except Exception as exc:
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                return
            with lock:
                got.setdefault(name, set()).add(id(module))

        threads = [threading.Thread(target=imp, args=(n,)) for n in names * 3]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        print(json.dumps({"errors": sorted(set(errors)),
                          "modules": {n: len(ids) for n, ids in sorted(got.items())}}))
        """
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    assert len(report["modules"]) == 9
    assert set(report["modules"].values()) == {1}
