"""Memory stays bounded over many calls, and Go's counts return to their baseline.

``GOBRIDGE_MEMORY_CALLS`` sets the number of measured calls (default one
million, which takes a few seconds; set it lower on a slow machine). The
calls run in a child interpreter, so that the measurement sees gobridge
alone.
"""

from __future__ import annotations

import json
import os

CALLS = int(os.environ.get("GOBRIDGE_MEMORY_CALLS", "1000000"))
RSS_GROWTH_LIMIT = 5 * 1024 * 1024

_WORKLOAD = """
import gc, json, os, resource
import gobridge
import gomod._testing as t
import gomod.strings as strings

PAGE = os.sysconf("SC_PAGE_SIZE")

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE

def settle():
    gc.collect()
    return gobridge.stats()

# Each round makes CALLS_PER_ROUND calls.
CALLS_PER_ROUND = 10

def rounds(n):
    for i in range(n):
        s = "x%d" % i
        assert strings.to_upper(s) == s.upper()
        assert t.echo(s * 3) == s * 3
        b = s.encode() * 4
        assert t.bytes_copy(b) == b
        assert t.sum_ints([i, 1, 2]) == i + 3
        assert t.echo([i, s, [b, None]]) == [i, s, [b, None]]
        assert t.map_roundtrip({{s: i, "k": 1}}) == {{s: i, "k": 1}}
        counter = t.new_counter(i)          # a Go object, dropped at once
        assert counter.incr(1) == i + 1
        assert t.apply(lambda x: x * 2, i) == 2 * i
        if i % 10 == 0:
            assert list(t.count(3)) == [0, 1, 2]    # an iterator, dropped
        elif i % 10 == 5:
            assert t.sleep_ctx(0) is None           # a call on a goroutine of its own
        else:
            assert t.add(i, 1) == i + 1

baseline = settle()
rounds({warmup})
settle()
before = rss()
rounds({rounds})
after_stats = settle()
after = rss()
print(json.dumps({{"growth": after - before, "before": before, "after": after,
                  "baseline": baseline, "after_stats": after_stats}}))
"""


def test_many_calls_keep_memory_bounded_and_counts_at_baseline(child):
    calls_per_round = 10
    rounds = max(CALLS // calls_per_round, 1)
    warmup = max(rounds // 10, 2000)
    proc = child(_WORKLOAD.format(rounds=rounds, warmup=warmup), timeout=170)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["growth"] < RSS_GROWTH_LIMIT, report
    baseline, after = report["baseline"], report["after_stats"]
    assert after["handles"] == baseline["handles"], report
    assert after["python_objects"] == baseline["python_objects"] == 0, report
    assert after["pending_calls"] == 0, report
    # Go keeps a few goroutines of its own (the finaliser, the GC workers) that
    # may start during the run; what must not happen is one per call.
    assert after["goroutines"] <= baseline["goroutines"] + 4, report


def test_stats_exposes_the_counts(handles):
    import gobridge
    import gomod._testing as t

    stats = gobridge.stats()
    assert set(stats) == {"handles", "goroutines", "pending_calls", "python_objects"}
    assert all(isinstance(v, int) and v >= 0 for v in stats.values())
    before = handles()
    counters = [t.new_counter(i) for i in range(5)]
    assert gobridge.stats()["handles"] == before + 5
    assert gobridge.stats()["python_objects"] >= 5
    del counters
    assert handles() == before


def test_big_values_are_given_back(child):
    proc = child(
        """
        import gc, json, os
        import gomod._testing as t
        PAGE = os.sysconf("SC_PAGE_SIZE")
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * PAGE
        for _ in range(3):
            assert len(t.allocate(32 << 20, 1)) == 32 << 20
        gc.collect()
        before = rss()
        for i in range(30):
            data = t.allocate(32 << 20, i)
            assert data[-1] == i
            assert t.borrowed_len(data) == 32 << 20
            del data
        gc.collect()
        print(json.dumps({"growth": rss() - before}))
        """,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    # 30 values of 32 MiB passed through; what stays is at most a few of them.
    assert json.loads(proc.stdout)["growth"] < 3 * (32 << 20)
