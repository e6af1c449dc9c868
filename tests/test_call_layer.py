"""The C layer: Go functions as C-level callables (gobridge.GoFunction).

Every layout a value takes through a frame call, both ways, with its bad
inputs; what a GoFunction looks like to inspect, pydoc and pickle; and
tracebacks that hold no frame of gobridge's own.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import math
import os
import pickle
import pydoc
import sys
import threading
import time
import traceback
import tracemalloc
from collections import deque
from itertools import repeat, starmap

import pytest

import gobridge
import gomod._kinds as k
import gomod._testing as testing
import gomod.crypto.sha256 as sha256
import gomod.encoding.hex as hexmod
import gomod.strings as strings

GOBRIDGE_DIR = os.path.dirname(os.path.abspath(gobridge.__file__))


def gobridge_frames(exc: BaseException) -> list[str]:
    """The traceback entries of exc that are gobridge's own."""
    return [
        f"{entry.filename}:{entry.lineno}"
        for entry in traceback.extract_tb(exc.__traceback__)
        if entry.filename == "<gobridge>" or entry.filename.startswith(GOBRIDGE_DIR)
    ]


def test_functions_are_go_functions():
    assert type(strings.to_upper).__name__ == "GoFunction"
    assert type(strings.to_upper).__module__ == "gobridge"
    assert type(k.str) is type(strings.to_upper)


def test_names_doc_and_repr():
    f = strings.to_upper
    assert f.__name__ == "to_upper"
    assert f.__qualname__ == "to_upper"
    assert f.__module__ == "gomod.strings"
    assert f.__doc__.startswith("to_upper(s: str) -> str")
    assert "Go: func strings.ToUpper(s string) string" in f.__doc__
    assert repr(f) == "<Go function gomod.strings.to_upper (strings.ToUpper)>"


def test_signature_and_keywords():
    assert str(inspect.signature(k.concat)) == "(a, b)"
    assert k.concat(b="2", a="1") == "12"
    assert k.concat("1", b="2") == "12"
    with pytest.raises(TypeError, match=r"concat\(\) got an unexpected keyword argument 'c'"):
        k.concat("1", c="2")
    with pytest.raises(TypeError, match=r"concat\(\) missing 1 required positional argument: 'b'"):
        k.concat("1")
    with pytest.raises(TypeError, match=r"concat\(\) takes 2 positional arguments but 3"):
        k.concat("1", "2", "3")


def test_help_lists_go_functions_as_functions():
    text = pydoc.render_doc(k, renderer=pydoc.plaintext)
    functions = text.split("FUNCTIONS", 1)[1].split("DATA", 1)[0]
    assert "concat(a, b)" in functions
    assert "to_upper" not in functions
    assert "to_upper(s)" in pydoc.render_doc(strings.to_upper, renderer=pydoc.plaintext)


def test_pickled_by_reference():
    for f in (strings.to_upper, k.int_map, sha256.sum256):
        assert pickle.loads(pickle.dumps(f)) is f


def test_does_not_bind_to_instances():
    class Holder:
        upper = strings.to_upper

    assert Holder().upper("a") == "A"


def test_keeps_attributes_like_a_function():
    assert callable(strings.to_upper.aio)
    with pytest.raises(AttributeError):
        strings.no_such_thing  # noqa: B018


SIGNED = [("int8", 8), ("int16", 16), ("int32", 32), ("int64", 64), ("int", 64)]
UNSIGNED = [("uint8", 8), ("uint16", 16), ("uint32", 32), ("uint64", 64), ("uint", 64)]


@pytest.mark.parametrize(("name", "bits"), SIGNED)
def test_signed_integers_at_their_bounds(name, bits):
    f = getattr(k, name)
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    for v in (lo, -1, 0, 1, hi, True):
        assert f(v) == v
    for v in (lo - 1, hi + 1, 2**200):
        with pytest.raises(OverflowError, match=rf"{name}\(\) argument 'v'"):
            f(v)
    for v in (1.0, "1", None, b"1"):
        with pytest.raises(TypeError, match=rf"{name}\(\) argument 'v' must be int"):
            f(v)


@pytest.mark.parametrize(("name", "bits"), UNSIGNED)
def test_unsigned_integers_at_their_bounds(name, bits):
    f = getattr(k, name)
    for v in (0, 1, 2**bits - 1):
        assert f(v) == v
    for v in (-1, 2**bits, -(2**70)):
        with pytest.raises(OverflowError, match=rf"{name}\(\) argument 'v'"):
            f(v)
    with pytest.raises(TypeError, match=rf"{name}\(\) argument 'v' must be int"):
        f(0.5)


def test_int_subclasses_are_ints():
    class Small(int):
        pass

    assert k.int8(Small(5)) == 5


def test_floats():
    assert k.float64(1.5) == 1.5
    assert k.float64(3) == 3.0
    assert math.isnan(k.float64(math.nan))
    assert k.float64(-math.inf) == -math.inf
    assert k.float32(0.1) == pytest.approx(0.1, rel=1e-7)
    assert k.float32(math.inf) == math.inf
    with pytest.raises(OverflowError, match=r"float32\(\) argument 'v'"):
        k.float32(1e39)
    with pytest.raises(OverflowError):
        k.float64(2**1100)
    with pytest.raises(TypeError, match=r"float64\(\) argument 'v' must be float"):
        k.float64("1.5")


def test_bools():
    assert k.bool(True) is True
    assert k.bool(False) is False
    with pytest.raises(TypeError, match=r"bool\(\) argument 'b' must be bool"):
        k.bool(1)


def test_strings():
    for s in ("", "ascii", "héllo wörld", "日本語", "\U0001f600", "a\x00b"):
        assert k.str(s) == s
    assert k.concat("é", "ü") == "éü"
    with pytest.raises(ValueError, match="lone surrogate"):
        k.str("a\udc80")
    with pytest.raises(TypeError, match=r"str\(\) argument 's' must be str"):
        k.str(b"bytes")


def test_bytes_are_copied_and_buffers_lent():
    data = bytearray(b"abc")
    assert k.bytes(data) == b"abc!"
    assert data == b"abc"
    for b in (b"abcd", bytearray(b"abcd"), memoryview(b"xxabcd")[2:]):
        assert k.borrowed(b) == 4
        assert k.digest(b) == bytes([97, 98, 99, 100, (97 + 98 + 99 + 100) % 256])
    assert k.borrowed(b"") == 0
    with pytest.raises(TypeError, match=r"borrowed\(\) argument 'b'"):
        k.borrowed("text")
    assert k.bytes([1, 2]) == b"\x01\x02!"  # a list of ints is a []byte too
    with pytest.raises(TypeError, match=r"bytes\(\) argument 'b'"):
        k.bytes("text")


def test_lists_and_tuples():
    assert k.int64s([1, -2, 2**63 - 1]) == [1, -2, 2**63 - 1]
    assert k.int64s((4, 5)) == [4, 5]
    assert k.int64s([]) == []
    assert k.strs(["a", "é", ""]) == ["a", "é", ""]
    assert k.float64s([1, 2.5]) == [1.0, 2.5]
    assert k.bools([True, False]) == [True, False]
    assert k.uint16s([0, 65535]) == [0, 65535]
    assert k.float32s([0.5]) == [0.5]
    with pytest.raises(OverflowError, match=r"int8s\(\) argument 'xs'"):
        k.int8s([1, 128])
    with pytest.raises(TypeError, match=r"strs\(\) argument 'xs'"):
        k.strs(["a", 1])
    with pytest.raises(TypeError, match=r"int64s\(\) argument 'xs'"):
        k.int64s({1, 2})
    with pytest.raises(ValueError, match="lone surrogate"):
        k.strs(["\ud800"])


def test_dicts():
    assert k.int_map({"b": 2, "a": 1}) == {"a": 1, "b": 2}
    assert list(k.int_map({"b": 2, "a": 1})) == ["a", "b"]  # Go's map, sorted
    assert k.str_map({"k": "v", "é": ""}) == {"k": "v", "é": ""}
    assert k.float_map({"x": 1}) == {"x": 1.0}
    assert k.sum({"a": 40, "b": 2}) == 42
    assert k.sum({}) == 0
    with pytest.raises(TypeError, match=r"int_map\(\) argument 'm'"):
        k.int_map({1: 2})
    with pytest.raises(OverflowError, match=r"uint8_map\(\) argument 'm'"):
        k.uint8_map({"a": 256})
    with pytest.raises(TypeError, match=r"int_map\(\) argument 'm'"):
        k.int_map([("a", 1)])


def test_several_results_and_none():
    assert k.split("a b") == (["a", "b"], 2, True)
    assert k.split("") == ([], 0, False)
    assert k.nothing() is None


def test_large_results_spill_out_of_scratch():
    out = k.long("xy", 300)
    assert len(out) == 300 and out[-1] == "xy" * 300


LARGE = 1 << 20  # bridge.LargeResult: results of this size are built in place


@pytest.mark.parametrize("size", [LARGE - 1, LARGE, LARGE + 1, 3 * LARGE + 7])
def test_large_results_are_built_in_place(size):
    ascii_text = strings.repeat("a", size)
    assert type(ascii_text) is str and ascii_text == "a" * size
    assert ascii_text.isascii() and hash(ascii_text) == hash("a" * size)
    assert sys.getrefcount(ascii_text) == 2
    # A scalar result next, in the same C stack slot: its len is stale.
    assert strings.count(ascii_text, "a") == size
    assert k.borrowed(b"xyz") == 3
    wide = strings.repeat("é", size // 2 + 1)  # non-ASCII: written to C memory, decoded
    assert wide == "é" * (size // 2 + 1)
    data = bytes(range(256)) * (size // 256) + b"\x00" * (size % 256)
    decoded = hexmod.decode(data.hex())
    assert type(decoded) is bytes and decoded == data
    assert sys.getrefcount(decoded) == 2
    # Two large results and a small one, in a tuple.
    before, after, found = strings.cut(ascii_text + "|" + "b" * size, "|")
    assert (before, after, found) == (ascii_text, "b" * size, True)
    assert strings.to_upper(ascii_text[:-1] + "é") == "A" * (size - 1) + "É"


def test_large_results_from_threads():
    # Each call takes the GIL back to make its object while the others run.
    texts = [chr(ord("a") + i) * (2 * LARGE + i) for i in range(4)]
    results: list[list[str]] = [[] for _ in texts]

    def run(i: int) -> None:
        for _ in range(5):
            results[i].append(strings.to_upper(texts[i]))
            assert len(strings.repeat("-", LARGE)) == LARGE

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[text.upper()] * 5 for text in texts]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_large_results_leak_nothing():
    text = "xy" * (4 * LARGE)
    data = os.urandom(4 * LARGE)

    def run(count: int) -> None:
        for _ in range(count):
            assert len(strings.repeat(text, 2)) == 4 * len(text) // 2
            assert len(hexmod.decode(hexmod.encode(data))) == len(data)
            with pytest.raises(UnicodeDecodeError):
                k.invalid_utf8(True)

    run(3)
    gc.collect()
    before = _rss_kib()
    run(40)
    gc.collect()
    assert _rss_kib() - before < 32 * 1024, "RSS grew over calls with large results"


def test_go_errors_and_panics():
    assert k.fails("ok") == "ok"
    with pytest.raises(gobridge.GoError, match="asked to fail"):
        k.fails("fail")
    with pytest.raises(ValueError, match="n must not be negative"):
        k.refuses(-1)
    with pytest.raises(gobridge.GoPanic, match="boom"):
        k.panics("boom")
    with pytest.raises(UnicodeDecodeError, match=r"invalid_utf8\(\)"):
        k.invalid_utf8(True)
    assert k.invalid_utf8(False) == "ok"


@pytest.mark.parametrize(
    "call",
    [
        lambda: k.fails("fail"),
        lambda: k.panics("boom"),
        lambda: k.refuses(-1),
        lambda: k.str(1),
        lambda: k.int8(1000),
        lambda: k.str("\udc80"),
        lambda: k.concat("a", c="b"),
        lambda: k.concat("a"),
        lambda: k.invalid_utf8(True),
        lambda: strings.repeat("x", -1),
    ],
    ids=[
        "go-error",
        "go-panic",
        "mapped-error",
        "type-error",
        "overflow",
        "surrogate",
        "bad-keyword",
        "missing-argument",
        "bad-result",
        "shipped-panic",
    ],
)
def test_tracebacks_hold_no_gobridge_frame(call):
    with pytest.raises(Exception) as info:
        call()
    assert gobridge_frames(info.value) == []
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames[-1].name == "<lambda>"


def _ticks_during(call) -> int:
    """How often another Python thread ran during call(). The other thread
    gives up the GIL after every tick, and the interpreter is told not to
    take it from this one, so that only the call can let it run."""
    ticks = [0]
    started = threading.Event()
    stop = threading.Event()

    def tick():
        started.set()
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(30)
    thread = threading.Thread(target=tick)
    thread.start()
    started.wait()
    try:
        before = ticks[0]
        call()
        during = ticks[0] - before
    finally:
        sys.setswitchinterval(interval)
        stop.set()
        thread.join()
    return during


def test_calls_release_the_gil():
    spin = k.spin  # built first: building a function calls Go with the GIL released
    # Holding the GIL gives 0 ticks (below); on a loaded machine the other
    # thread may get only a few hundred in the time the call takes.
    assert _ticks_during(lambda: spin(2 * 10**8)) > 100


def test_short_functions_keep_the_gil():
    spin_short = k.spin_short
    assert spin_short(10) == 10
    assert _ticks_during(lambda: spin_short(2 * 10**8)) == 0


SIGNATURES = [
    (k.nothing, ()),
    (k.int64, (5,)),
    (k.uint64, (2**64 - 1,)),
    (k.float32, (0.5,)),
    (k.float64, (2.5,)),
    (k.bool, (True,)),
    (k.str, ("héllo",)),
    (k.concat, ("a", "b")),
    (k.borrowed, (b"abc",)),
    (k.bytes, (b"abc",)),
    (k.strs, (["a", "b", "c"],)),
    (k.int64s, (list(range(8)),)),
    (k.int_map, ({"a": 1, "b": 2},)),
    (k.str_map, ({"a": "x"},)),
    (k.split, ("a b c",)),
    (k.int8, (1000,)),  # refused: the general path's error
    (k.fails, ("fail",)),
    (k.refuses, (-1,)),  # a scalar call's Go error
    (testing.new_counter(0).incr, (1,)),  # a scalar method
]


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.parametrize(("fn", "args"), SIGNATURES, ids=lambda v: getattr(v, "__name__", ""))
def test_a_million_calls_leak_nothing(fn, args):
    fails = fn in (k.int8, k.fails, k.refuses)
    n = 100_000 if fails else 1_000_000

    def run(count: int) -> None:
        if not fails:
            # Called from C (starmap), so that the calls are what is timed.
            deque(starmap(fn, repeat(args, count)), maxlen=0)
            return
        for _ in range(count):
            with contextlib.suppress(OverflowError, ValueError, gobridge.GoError):
                fn(*args)

    run(20_000)
    gc.collect()
    before_rss = _rss_kib()
    run(n)
    gc.collect()
    after_rss = _rss_kib()
    assert after_rss - before_rss < 4 * 1024, f"RSS grew by {after_rss - before_rss} KiB"
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    run(n // 10)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert after - before < 64 * 1024, f"{after - before} bytes of Python objects leaked"


def test_methods_are_go_methods():
    import gomod._testing as t
    import gomod.regexp as regexp

    method = regexp.Regexp.find_string
    assert type(method).__name__ == "GoMethod"
    assert method.__qualname__ == "Regexp.find_string"
    assert repr(method) == (
        "<Go method gomod.regexp.Regexp.find_string ((*regexp.Regexp).FindString)>"
    )
    assert pickle.loads(pickle.dumps(method)) is method
    rx = regexp.compile("a+")
    assert rx.find_string("xaay") == "aa"
    assert rx.find_string(s="xaay") == "aa"
    assert method(rx, "baaa") == "aaa"
    assert method(rx, s="baaa") == "aaa"
    bound = rx.find_string
    assert bound.__self__ is rx and bound("a") == "a"
    assert rx.find_all_string("a aa aaa", 2) == ["a", "aa"]
    counter = t.new_counter(5)
    assert counter.incr(2) == 7
    assert t.Counter.incr(counter, delta=1) == 8


def test_method_errors():
    import gomod._testing as t
    import gomod.regexp as regexp

    rx = regexp.compile("a")
    with pytest.raises(TypeError, match=r"find_string\(\) argument 's' must be str"):
        rx.find_string(1)
    with pytest.raises(TypeError, match="descriptor 'find_string' for 'Regexp' objects"):
        regexp.Regexp.find_string("not a regexp", "a")
    with pytest.raises(TypeError):
        regexp.Regexp.find_string(t.new_counter(1), "a")
    gobridge.release(rx)
    with pytest.raises(ValueError, match="released"):
        rx.find_string("a")
    with pytest.raises(TypeError) as info:
        t.new_counter(1).incr("x")
    assert gobridge_frames(info.value) == []


def test_keywords_take_the_c_path():
    assert k.concat(a="x", b="y") == "xy"
    assert k.int_map(m={"a": 1}) == {"a": 1}
    with pytest.raises(TypeError, match=r"concat\(\) got multiple values for argument 'a'"):
        k.concat("x", a="y")
    with pytest.raises(OverflowError, match=r"int8\(\) argument 'v'"):
        k.int8(v=300)


def test_callables_cross_as_lent_numbers():
    import gomod._testing as t

    assert type(t.apply).__name__ == "GoFunction"
    assert t.apply(lambda x: x * 2, 21) == 42
    assert t.apply(f=lambda x: x + 1, x=1) == 2

    def fails(x):
        raise KeyError("inside the callback")

    with pytest.raises(KeyError, match="inside the callback") as info:
        t.apply(fails, 1)
    assert gobridge_frames(info.value) == []
    names = [entry.name for entry in traceback.extract_tb(info.value.__traceback__)]
    assert names[-1] == "fails"
    with pytest.raises(TypeError, match=r"apply\(\) argument 'f' must be Callable"):
        t.apply(1, 1)
    assert t.apply(lambda x: x, 5) == 5  # nothing stays lent after a failure
