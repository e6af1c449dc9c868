"""Go calls from several Python threads: correct results, and the GIL released.

Nothing here measures speed-ups (that is ``make bench``); the tests check
results, and that Python code runs while a Go call is in progress.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import gomod._testing as t
import gomod.crypto.sha256 as sha256
import gomod.math.bits as bits
import gomod.regexp as regexp
import gomod.strings as strings
from gobridge import GoPanic

MASK64 = 2**64 - 1


def spin_reference(n: int) -> int:
    """_testing.Spin in Python: xorshift64 from a fixed seed."""
    x = 88172645463325252
    for _ in range(n):
        x ^= (x << 13) & MASK64
        x ^= x >> 7
        x ^= (x << 17) & MASK64
    return x


def test_spin_matches_the_python_reference():
    for n in (0, 1, 2, 1000, 20000):
        assert t.spin(n) == spin_reference(n)


def test_two_threads_spinning_get_correct_results():
    n1, n2 = 20_000_000, 20_000_001
    expected = {n1: t.spin(n1), n2: t.spin(n2)}
    results: dict[int, int] = {}
    barrier = threading.Barrier(2)

    def work(n):
        barrier.wait()
        results[n] = t.spin(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in (n1, n2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
        assert not th.is_alive()
    assert results == expected
    assert expected[n1] != expected[n2]


def test_many_threads_many_calls():
    def work(i):
        out = []
        for j in range(200):
            out.append(
                (
                    bits.ones_count64(i * 1000 + j),
                    strings.to_upper(f"t{i}-{j}"),
                    t.add(i, j),
                    t.split_pair(f"{i},{j}"),
                )
            )
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(16)))
    for i, out in enumerate(results):
        for j, (ones, upper, total, pair) in enumerate(out):
            assert ones == bin(i * 1000 + j).count("1")
            assert upper == f"T{i}-{j}"
            assert total == i + j
            assert pair == (str(i), str(j))


def test_errors_and_panics_stay_on_their_thread():
    def work(i):
        for _ in range(100):
            if i % 2:
                with pytest.raises(OverflowError):
                    bits.ones_count64(-i)
            else:
                assert bits.ones_count64(i) == bin(i).count("1")
            if i % 3 == 0:
                with pytest.raises(GoPanic):
                    t.index_out_of_range(7)
            else:
                assert t.index_out_of_range(1) == 20
        return True

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all(pool.map(work, range(12)))


def test_shared_go_object_across_threads():
    counter = t.new_counter(0)

    def work(_):
        for _ in range(500):
            counter.incr(1)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(8)))
    assert counter.get() == 4000
    assert counter.value == 4000


def test_shared_hash_object_across_threads():
    h = sha256.new()
    chunk = b"gobridge" * 1000

    def work(_):
        for _ in range(50):
            h.update(chunk)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    assert h.digest() == hashlib.sha256(chunk * 200).digest()


def test_shared_regexp_across_threads():
    rx = regexp.compile(r"(\w+)@(\w+)\.com")

    def work(i):
        s = f"user{i}@host{i}.com and x{i}@y.com"
        return rx.find_all_string(s, -1), rx.replace_all_string(s, "$2")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for i, (found, replaced) in enumerate(pool.map(work, range(40))):
            assert found == [f"user{i}@host{i}.com", f"x{i}@y.com"]
            assert replaced == f"host{i} and y"


@pytest.fixture
def long_switch_interval():
    """Keep the interpreter from handing the GIL over on its own.

    With a switch interval far longer than the Go call, the only way another
    thread runs while the call is in progress is the call releasing the GIL.
    """
    old = sys.getswitchinterval()
    sys.setswitchinterval(2.0)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


@pytest.mark.parametrize(
    "go_call",
    [
        lambda: t.sleep_ms(300),  # the scalar fast path
        lambda: t.sleep_ctx(300),  # the marshal path
        lambda: t.spin(400_000_000),  # CPU-bound, no blocking inside Go
    ],
    ids=["sleep_ms", "sleep_ctx", "spin"],
)
def test_python_runs_while_a_go_call_is_in_progress(long_switch_interval, go_call):
    finished = False
    ran_during_call = 0

    def worker():
        nonlocal finished
        go_call()
        finished = True

    thread = threading.Thread(target=worker)
    thread.start()
    while not finished:
        ran_during_call += 1
        if ran_during_call % 1000 == 0:
            # let the worker take the GIL back once its call has returned
            threading.Event().wait(0.001)
    thread.join()
    assert ran_during_call > 0


def test_concurrent_sleeps_overlap():
    """Four threads sleeping in Go at once: each sees the others in flight."""
    inside = 0
    peak = 0
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def work(_):
        nonlocal inside, peak
        barrier.wait()
        with lock:
            inside += 1
        t.sleep_ms(400)
        with lock:
            peak = max(peak, inside)
            inside -= 1

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    assert peak == 4
