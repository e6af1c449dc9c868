"""Go errors and panics as Python exceptions, and modules whose initialisation fails."""

from __future__ import annotations

import errno
import importlib
import importlib.util
import sys

import pytest

import gobridge
import gomod
import gomod._testing as t
import gomod.math.bits as bits
import gomod.regexp as regexp
import gomod.strings as strings
from gobridge import GoError, GoPanic


def test_public_exception_classes():
    assert issubclass(GoError, Exception)
    assert issubclass(GoPanic, Exception)
    assert not issubclass(GoPanic, GoError)
    assert gobridge.GoError is GoError and gobridge.GoPanic is GoPanic
    assert {"GoError", "GoPanic"} <= set(gobridge.__all__)


@pytest.mark.parametrize(
    ("kind", "exc_type", "message", "go_type"),
    [
        ("not_exist", FileNotFoundError, "[Errno 2] no such file or directory", None),
        (
            "path_not_exist",
            FileNotFoundError,
            "[Errno 2] no such file or directory: '/nonexistent/file'",
            "*fs.PathError",
        ),
        ("exist", FileExistsError, "[Errno 17] file exists", None),
        ("permission", PermissionError, "[Errno 13] permission denied", None),
        (
            "range",
            OverflowError,
            'strconv.ParseInt: parsing "99999999999999999999": value out of range',
            "*strconv.NumError",
        ),
        (
            "syntax",
            ValueError,
            'strconv.Atoi: parsing "not a number": invalid syntax',
            "*strconv.NumError",
        ),
        ("deadline", TimeoutError, "context deadline exceeded", None),
        ("value", ValueError, 'bad value "value"', None),
        ("wrapped", ValueError, "while testing: inner value error", "*fmt.wrapError"),
        ("unknown-kind", ValueError, 'unknown kind "unknown-kind"', None),
        ("plain", GoError, "plain Go error", "*errors.errorString"),
    ],
)
def test_go_errors_map_to_python_exceptions(kind, exc_type, message, go_type):
    with pytest.raises(exc_type) as info:
        t.fail_with(kind)
    assert type(info.value) is exc_type
    assert str(info.value) == message
    if go_type is not None:
        assert info.value.go_type == go_type


def test_os_errors_carry_errno_and_filename():
    with pytest.raises(FileNotFoundError) as info:
        t.fail_with("path_not_exist")
    assert info.value.errno == errno.ENOENT
    assert info.value.filename == "/nonexistent/file"


def test_key_error_keeps_its_key():
    with pytest.raises(KeyError) as info:
        t.fail_with("key")
    assert info.value.args == ("missing key",)


def test_plain_go_error_is_go_error():
    with pytest.raises(GoError) as info:
        t.fail_with("plain")
    assert info.value.go_type == "*errors.errorString"
    assert not isinstance(info.value, (ValueError, OSError))


def test_error_with_a_result():
    with pytest.raises(ValueError, match="division by zero"):
        t.div(1, 0)
    assert t.div(1, 4) == 0.25


def test_shipped_modules_map_parse_errors_to_value_error():
    with pytest.raises(ValueError, match="missing closing"):
        regexp.compile("a(b")


# --- panics -------------------------------------------------------------------


def test_panic_becomes_go_panic_with_a_go_stack():
    with pytest.raises(GoPanic) as info:
        t.panic_now("boom")
    exc = info.value
    assert "boom" in str(exc)
    assert "panic_now" in str(exc)
    assert "goroutine" in exc.go_stack
    assert "testmod" in exc.go_stack  # the frame of the function that panicked
    assert "Go stack" in str(exc)
    # the interpreter goes on and the library still answers
    assert t.add(1, 2) == 3
    assert strings.to_upper("after") == "AFTER"


@pytest.mark.parametrize(
    ("call", "text", "go_type"),
    [
        (t.nil_deref, "invalid memory address or nil pointer dereference", "runtime.errorString"),
        (
            lambda: t.index_out_of_range(5),
            "index out of range [5] with length 3",
            "runtime.boundsError",
        ),
        (lambda: t.index_out_of_range(-1), "index out of range [-1]", "runtime.boundsError"),
        (lambda: bits.div64(0, 1, 0), "integer divide by zero", None),
        (lambda: strings.repeat("a", -1), "negative Repeat count", None),
        (lambda: regexp.must_compile("a("), "missing closing", None),
    ],
)
def test_runtime_panics(call, text, go_type):
    with pytest.raises(GoPanic) as info:
        call()
    assert text in str(info.value)
    assert "goroutine" in info.value.go_stack
    if go_type is not None:
        assert info.value.go_type == go_type
    assert t.index_out_of_range(2) == 30


def test_panic_on_the_fast_path_then_normal_results():
    # index_out_of_range takes and returns one int: the scalar fast path.
    for i in range(50):
        with pytest.raises(GoPanic):
            t.index_out_of_range(3 + i)
        assert t.index_out_of_range(i % 3) == [10, 20, 30][i % 3]


def test_many_panics_leak_nothing():
    before = gobridge.stats()
    for _ in range(200):
        with pytest.raises(GoPanic):
            t.panic_now("again")
    after = gobridge.stats()
    assert after["handles"] == before["handles"]
    assert after["goroutines"] <= before["goroutines"] + 2


def test_panic_message_with_non_ascii_text():
    with pytest.raises(GoPanic) as info:
        t.panic_now("ünïcödé 😀")
    assert "ünïcödé 😀" in str(info.value)


def test_errors_are_raised_after_errors():
    # An error parked by one call must not leak into the next one.
    with pytest.raises(OverflowError):
        bits.ones_count64(-1)
    assert bits.ones_count64(3) == 2
    with pytest.raises(GoPanic):
        t.nil_deref()
    assert bits.rotate_left64(1, 1) == 2
    with pytest.raises(ValueError):
        t.div(0, 0)
    assert t.div(0, 1) == 0.0


# --- failing module initialisation --------------------------------------------


def _forget(name):
    sys.modules.pop(name, None)
    leaf = name.rsplit(".", 1)[1]
    if hasattr(gomod, leaf):
        delattr(gomod, leaf)


def test_module_init_returning_an_error():
    name = "gomod._broken_init"
    _forget(name)
    for _ in range(2):  # a retry runs the initialisation again and fails again
        with pytest.raises(ImportError) as info:
            importlib.import_module(name)
        assert not isinstance(info.value, ModuleNotFoundError)
        assert info.value.name == name
        assert name in str(info.value)
        assert "initialisation failed on purpose" in str(info.value)
        assert name not in sys.modules
        assert not hasattr(gomod, "_broken_init")


def test_module_init_returning_an_error_with_import_statement():
    _forget("gomod._broken_init")
    with pytest.raises(ImportError, match="_broken_init"):
        import gomod._broken_init  # noqa: F401
    with pytest.raises(ImportError, match="_broken_init"):
        from gomod import _broken_init  # noqa: F401
    assert "gomod._broken_init" not in sys.modules


def test_module_init_panicking():
    name = "gomod._panicking_init"
    _forget(name)
    for _ in range(2):
        with pytest.raises(GoPanic) as info:
            importlib.import_module(name)
        assert "initialisation panicked on purpose" in str(info.value)
        assert "goroutine" in info.value.go_stack
        assert name not in sys.modules
        assert not hasattr(gomod, "_panicking_init")
    assert t.add(2, 2) == 4


def test_failed_init_leaks_no_module_instance(handles):
    baseline = handles()
    for name in ("gomod._broken_init", "gomod._panicking_init"):
        for _ in range(10):
            with pytest.raises((ImportError, GoPanic)):
                importlib.import_module(name)
    assert handles() == baseline


def test_failing_modules_are_still_listed():
    names = {e.name for e in gobridge.modules()}
    assert {"gomod._broken_init", "gomod._panicking_init"} <= names
    assert importlib.util.find_spec("gomod._broken_init") is not None
