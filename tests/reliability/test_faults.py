"""Go panics and Go faults: what is recovered, and what ends the process.

A panic on the goroutine that runs a call (including the runtime panics of a
nil dereference or an index out of range) becomes ``gobridge.GoPanic`` and
the interpreter goes on. A panic in a module's initialisation fails that one
import. Go's fatal errors, and panics on goroutines a Go function started
itself, cannot be recovered by anyone: those run in child interpreters.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import signal
import sys

import pytest

import gobridge
import gomod
import gomod._testing as t
import gomod.strings as strings
from gobridge import GoPanic


def _baseline_handles() -> int:
    gc.collect()
    return gobridge.stats()["handles"]


@pytest.mark.parametrize(
    ("call", "text", "frame"),
    [
        (lambda: t.panic_now("boom"), "boom", "testmod.PanicNow"),
        (
            t.nil_deref,
            "runtime error: invalid memory address or nil pointer dereference",
            "testmod.NilDeref",
        ),
        (
            lambda: t.index_out_of_range(7),
            "runtime error: index out of range [7] with length 3",
            "testmod.IndexOutOfRange",
        ),
        (
            lambda: asyncio.run(t.panic_now.aio("on a goroutine of its own")),
            "on a goroutine of its own",
            "testmod.PanicNow",
        ),
    ],
    ids=["panic", "nil-dereference", "index-out-of-range", "awaited"],
)
def test_panic_is_go_panic_with_the_go_stack_and_the_next_call_works(call, text, frame):
    before = _baseline_handles()
    for _ in range(3):
        with pytest.raises(GoPanic) as info:
            call()
        assert str(info.value) == text
        assert info.value.go_stack.startswith("goroutine ")
        assert frame in info.value.go_stack.splitlines()[1]  # the frame that panicked
        assert t.add(40, 2) == 42
        assert strings.to_upper("still here") == "STILL HERE"
    assert _baseline_handles() == before


def test_panic_inside_an_iterator_ends_the_iteration():
    before = _baseline_handles()
    it = t.panic_after(3)
    assert [next(it), next(it), next(it)] == [0, 1, 2]
    # The Seq runs on a goroutine of its own: the stack is that goroutine's,
    # from the iterator function that panicked.
    with pytest.raises(GoPanic) as info:
        next(it)
    assert str(info.value) == "panic_after: panicked after 3 values"
    assert "testmod.PanicAfter" in info.value.go_stack.splitlines()[1]
    with pytest.raises(StopIteration):
        next(it)
    del it, info  # the traceback holds the iterator too
    assert list(t.count(4)) == [0, 1, 2, 3]
    assert _baseline_handles() == before


def _forget(name: str) -> None:
    sys.modules.pop(name, None)
    leaf = name.rsplit(".", 1)[1]
    if hasattr(gomod, leaf):
        delattr(gomod, leaf)


def test_panicking_init_fails_only_that_import():
    name = "gomod._panicking_init"
    _forget(name)
    with pytest.raises(ImportError, match="initialisation panicked on purpose") as info:
        importlib.import_module(name)
    assert "goroutine " in info.value.go_stack  # type: ignore[attr-defined]
    assert name not in sys.modules
    assert not hasattr(gomod, "_panicking_init")
    # Other modules, imported or not, are untouched.
    assert t.add(1, 1) == 2
    _forget("gomod.encoding.hex")
    hexmod = importlib.import_module("gomod.encoding.hex")
    assert hexmod.encode(b"\x01") == "01"


def test_retried_import_runs_the_init_again():
    name = "gomod._flaky_init"
    _forget(name)
    runs = t.arm_flaky_init()
    with pytest.raises(ImportError, match=f"initialisation {runs + 1} panicked on purpose"):
        importlib.import_module(name)
    assert name not in sys.modules
    module = importlib.import_module(name)
    assert runs + 2 == module.RUN
    assert sys.modules[name] is module
    assert gomod._flaky_init is module
    _forget(name)


def _died_of_go(proc, message: str) -> None:
    """A fatal Go error or an unrecovered panic aborts the process: the Go
    runtime of a c-shared library raises SIGABRT after printing its report."""
    assert proc.returncode in (-signal.SIGABRT, 2), (proc.returncode, proc.stderr[-2000:])
    assert message in proc.stderr
    assert "goroutine " in proc.stderr
    assert "unreachable" not in proc.stdout


def test_concurrent_map_writes_are_fatal_in_a_child(child):
    proc = child(
        """
        import gomod._testing as t
        t.fatal_concurrent_map_writes()
        print("unreachable")
        """
    )
    _died_of_go(proc, "fatal error: concurrent map writes")


def test_panic_on_a_goroutine_of_its_own_is_fatal_in_a_child(child):
    proc = child(
        """
        import gomod._testing as t
        t.fatal_panic_in_goroutine()
        print("unreachable")
        """
    )
    _died_of_go(proc, "panic: fatal_panic_in_goroutine: unrecoverable on purpose")
