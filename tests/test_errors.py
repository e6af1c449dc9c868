"""Go errors and panics as Python exceptions, and modules whose initialisation fails."""

from __future__ import annotations

import errno
import importlib
import importlib.util
import pickle
import sys
import traceback

import pytest

import gobridge
import gomod
import gomod._testing as t
import gomod.math.bits as bits
import gomod.regexp as regexp
import gomod.strings as strings
from gobridge import GoError, GoPanic, _functions


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


# gobridge's own frames, which a panic's Go stack must not show.
MACHINERY = (
    "runtime/debug.Stack",
    "pyerr.NewPanic",
    "internal/bridge.",
    "capi.",
    "runtime/panic.go",
)


def test_panic_becomes_go_panic_with_its_message_and_a_trimmed_go_stack():
    with pytest.raises(GoPanic) as info:
        t.panic_now("boom")
    exc = info.value
    assert str(exc) == "boom"
    assert exc.args == ("boom",)
    stack = exc.go_stack.splitlines()
    assert stack[0].startswith("goroutine ") and stack[0].endswith(":")
    assert stack[1].startswith("github.com/gobridge/gobridge/modules/testmod.PanicNow(")
    for frame in MACHINERY:
        assert frame not in exc.go_stack
    assert exc.__notes__ == [f"Go stack:\n{exc.go_stack.rstrip()}"]
    # the interpreter goes on and the library still answers
    assert t.add(1, 2) == 3
    assert strings.to_upper("after") == "AFTER"


def test_a_printed_traceback_names_gobridge_go_panic_and_shows_the_go_stack():
    try:
        t.panic_now("shown")
    except GoPanic as exc:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        stack = exc.go_stack
    assert "\ngobridge.GoPanic: shown\n" in text
    assert "gobridge._errors" not in text
    if sys.version_info >= (3, 11):  # notes print from 3.11 on
        assert text.endswith(f"gobridge.GoPanic: shown\nGo stack:\n{stack.rstrip()}\n")


def test_public_exceptions_report_module_gobridge_and_pickle():
    assert GoPanic.__module__ == GoError.__module__ == "gobridge"
    with pytest.raises(GoPanic) as panic:
        t.panic_now("pickled")
    with pytest.raises(GoError) as error:
        t.fail_with("plain")
    for exc in (panic.value, error.value):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc)
        assert str(back) == str(exc)
        assert back.go_type == exc.go_type
        assert getattr(back, "go_stack", None) == getattr(exc, "go_stack", None)
        assert getattr(back, "__notes__", None) == getattr(exc, "__notes__", None)


@pytest.mark.parametrize(
    ("call", "text", "go_type", "frame"),
    [
        (
            t.nil_deref,
            "runtime error: invalid memory address or nil pointer dereference",
            "runtime.errorString",
            "testmod.NilDeref(",
        ),
        (
            lambda: t.index_out_of_range(5),
            "runtime error: index out of range [5] with length 3",
            "runtime.boundsError",
            "testmod.IndexOutOfRange(",
        ),
        (
            lambda: t.index_out_of_range(-1),
            "runtime error: index out of range [-1]",
            "runtime.boundsError",
            "testmod.IndexOutOfRange(",
        ),
        (
            lambda: _functions.general_path(t.panic_now)("general"),
            "general",
            "string",
            "testmod.PanicNow(",
        ),
    ],
    ids=["nil-dereference", "index", "negative-index", "general-path"],
)
def test_runtime_panics(call, text, go_type, frame):
    with pytest.raises(GoPanic) as info:
        call()
    assert str(info.value) == text
    assert info.value.go_type == go_type
    assert frame in info.value.go_stack.splitlines()[1]
    for machinery in MACHINERY:
        assert machinery not in info.value.go_stack
    assert t.index_out_of_range(2) == 30


# Shipped functions that reject an argument value by panicking: the
# exception Python raises for such a value, with Go's message.
ARGUMENT_PANICS = [
    (lambda: strings.repeat("x", -1), ValueError, "strings: negative Repeat count"),
    (lambda: strings.repeat("ab", 2**62), OverflowError, "strings: Repeat output length overflow"),
    (
        lambda: strings.new_replacer("a", "b", "c"),
        ValueError,
        "strings.NewReplacer: odd argument count",
    ),
    (
        lambda: regexp.must_compile("a("),
        ValueError,
        "regexp: Compile(`a(`): error parsing regexp: missing closing ): `a(`",
    ),
    (
        lambda: regexp.must_compile_posix("a("),
        ValueError,
        "regexp: CompilePOSIX(`a(`): error parsing regexp: missing closing ): `a(`",
    ),
    (
        # A position in a str is checked before Go sees it (py.Positions).
        lambda: regexp.compile("(a)").expand_string(b"", "$1", "ab", [0, 5, 0, 5]),
        ValueError,
        "Regexp.expand_string(): match[1]=5 is beyond the end of src, whose length is 2",
    ),
    (
        lambda: regexp.compile("(a)").expand(b"", b"$1", b"ab", [0, 1, 1, 0]),
        ValueError,
        "runtime error: slice bounds out of range [1:0]",
    ),
    (
        lambda: regexp.compile("(a)").expand(b"", b"$1", b"ab", [0, 5, 0, 5]),
        ValueError,
        "runtime error: slice bounds out of range [:5] with capacity 2",
    ),
    *[
        (lambda fn=fn: fn(0, 1, 0), ZeroDivisionError, "runtime error: integer divide by zero")
        for fn in (bits.div, bits.div32, bits.div64, bits.rem, bits.rem32, bits.rem64)
    ],
    *[
        (lambda fn=fn: fn(2, 1, 1), OverflowError, "runtime error: integer overflow")
        for fn in (bits.div, bits.div32, bits.div64)
    ],
]


@pytest.mark.parametrize(("call", "exc_type", "message"), ARGUMENT_PANICS)
def test_shipped_functions_raise_python_exceptions_for_bad_argument_values(call, exc_type, message):
    with pytest.raises(exc_type) as info:
        call()
    assert type(info.value) is exc_type
    assert str(info.value) == message


def test_docstrings_say_what_python_raises_for_go_panics():
    assert (
        "\n\nRaises:\n"
        '    ValueError: where Go panics with "strings: negative Repeat count"\n'
        '    OverflowError: where Go panics with "strings: Repeat output length overflow"\n'
    ) in strings.repeat.__doc__
    assert 'ZeroDivisionError: where Go panics with "runtime error: integer divide by zero"' in (
        bits.rem64.__doc__
    )
    assert "Raises:" not in strings.to_upper.__doc__


def test_argument_panics_on_the_general_path_and_good_values_still_work():
    with pytest.raises(ValueError, match=r"^strings: negative Repeat count$"):
        _functions.general_path(strings.repeat)("x", -1)
    with pytest.raises(ZeroDivisionError):
        _functions.general_path(bits.div64)(0, 1, 0)
    assert strings.repeat("ab", 2) == "abab"
    assert bits.div64(1, 0, 2) == (2**63, 0)
    assert bits.rem(1, 0, 3) == 2**64 % 3
    assert regexp.compile("(a)").expand_string(b"", "<$1>", "ab", [0, 1, 0, 1]) == b"<a>"


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
        with pytest.raises(ImportError) as info:
            importlib.import_module(name)
        assert type(info.value) is ImportError
        assert str(info.value).startswith("_panicking_init: initialisation panicked on purpose")
        assert info.value.name == name
        assert "goroutine" in info.value.go_stack  # type: ignore[attr-defined]
        assert name not in sys.modules
        assert not hasattr(gomod, "_panicking_init")
    assert t.add(2, 2) == 4


def test_failed_init_leaks_no_module_instance(handles):
    baseline = handles()
    for name in ("gomod._broken_init", "gomod._panicking_init"):
        for _ in range(10):
            with pytest.raises(ImportError):
                importlib.import_module(name)
    assert handles() == baseline


def test_failing_modules_are_still_listed():
    names = {e.name for e in gobridge.modules()}
    assert {"gomod._broken_init", "gomod._panicking_init"} <= names
    assert importlib.util.find_spec("gomod._broken_init") is not None
