"""Go errors as exception classes of their module (Module.Error and
Module.ErrorType), a registration that fails at import, and String() as
``__str__``."""

from __future__ import annotations

import importlib
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import gomod._testing as t
import gomod.encoding.base64 as base64
import gomod.encoding.hex as hexmod
import gomod.regexp as regexp
from gobridge import GoError, _errors, _stubgen


@pytest.mark.parametrize(
    ("how", "cls", "message"),
    [
        ("missing", t.ErrNotFound, "not found"),
        # wrapped with %w: errors.Is matches, the message is Go's whole string
        ("wrapped", t.ErrNotFound, 'lookup of "wrapped": not found'),
        # the outermost error of the chain decides: the type, not its cause
        ("typed", t.LookupError, 'looking up "typed": duplicate key'),
        ("wrapped typed", t.LookupError, 'outer: looking up "wrapped typed": not found'),
        # errors.Join: the first joined error that matches
        ("joined", t.ErrDuplicate, "first\nduplicate key\nnot found"),
        # an error type whose value, not pointer, implements error
        ("code", t.ErrorCode, "failed: error code 7"),
        ("digit", t.BadDigit, "bad digit at 3"),
    ],
)
def test_go_errors_raise_their_module_class(how: str, cls: type, message: str) -> None:
    with pytest.raises(cls) as info:
        t.lookup(how)
    assert type(info.value) is cls
    assert isinstance(info.value, GoError)
    assert str(info.value) == message
    assert info.value.args == (message,)


def test_the_classes_are_named_as_in_go_in_their_module() -> None:
    for name in ("ErrNotFound", "ErrDuplicate", "LookupError", "ErrorCode", "BadDigit"):
        cls = getattr(t, name)
        assert cls.__module__ == "gomod._testing"
        assert cls.__name__ == cls.__qualname__ == name
        assert issubclass(cls, GoError) and cls is not GoError
        assert name in t.__all__ and name in dir(t)
    assert t.ErrNotFound.__doc__.startswith("ErrNotFound is a sentinel error")
    assert t.ErrNotFound.__bases__ == (GoError,)


def test_a_class_whose_go_error_maps_to_a_builtin_derives_from_it() -> None:
    # BadDigit wraps strconv.ErrSyntax, which Python raises as ValueError:
    # except ValueError keeps catching it.
    assert t.BadDigit.__bases__ == (GoError, ValueError)
    with pytest.raises(ValueError, match="bad digit at 3"):
        t.lookup("digit")


def test_an_error_mapped_to_another_python_exception_keeps_its_mapping() -> None:
    # ErrNotFound wrapped with strconv.ErrSyntax is a ValueError in Python,
    # which ErrNotFound (a GoError only) is not: the class is passed over.
    with pytest.raises(ValueError, match="not found: invalid syntax") as info:
        t.lookup("syntax")
    assert type(info.value) is ValueError
    # an error made with py.Exception keeps the exception its author chose
    with pytest.raises(KeyError) as key:
        t.lookup("python")
    assert type(key.value) is KeyError
    with pytest.raises(GoError) as plain:
        t.lookup("plain")
    assert type(plain.value) is GoError
    assert t.lookup("fine") == "fine"


def test_an_error_types_fields_are_attributes_of_the_exception() -> None:
    with pytest.raises(t.LookupError) as info:
        t.lookup("wrapped typed")
    # Key, a string; Err, an error, is in the message rather than an attribute
    assert info.value.key == "wrapped typed"  # type: ignore[attr-defined]
    assert not hasattr(info.value, "err")
    assert pickle.loads(pickle.dumps(info.value)).key == "wrapped typed"
    with pytest.raises(t.BadDigit) as digit:
        t.lookup("digit")
    assert digit.value.pos == 3  # type: ignore[attr-defined]
    assert t.BadDigit._gb_fields == (("pos", "int"),)  # type: ignore[attr-defined]


def test_pickle_the_class_by_reference_and_a_raised_exception() -> None:
    assert pickle.loads(pickle.dumps(t.ErrNotFound)) is t.ErrNotFound
    assert pickle.loads(pickle.dumps(hexmod.InvalidByteError)) is hexmod.InvalidByteError
    with pytest.raises(t.ErrNotFound) as info:
        t.lookup("wrapped")
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is t.ErrNotFound
    assert str(back) == str(info.value)
    assert back.go_type == info.value.go_type == "*fmt.wrapError"


def test_a_new_import_or_a_reload_keeps_the_classes() -> None:
    # Other tests may have dropped the module from sys.modules: the import
    # may make a new module object, with the classes of the first.
    module = importlib.import_module("gomod.encoding.hex")
    assert module.ErrLength is hexmod.ErrLength
    reloaded = importlib.reload(module)
    assert reloaded.ErrLength is hexmod.ErrLength
    with pytest.raises(hexmod.ErrLength):
        reloaded.decode("abc")


@pytest.mark.parametrize(
    ("call", "cls", "message"),
    [
        (lambda: hexmod.decode("abc"), hexmod.ErrLength, "encoding/hex: odd length hex string"),
        (lambda: hexmod.decode("zz"), hexmod.InvalidByteError, "invalid byte: U+007A 'z'"),
        (lambda: base64.standard_decode("!!"), base64.CorruptInputError, "input byte 0"),
    ],
)
def test_shipped_modules_declare_their_go_errors(
    call: Callable[[], object], cls: type, message: str
) -> None:
    assert cls.__bases__ == (GoError, ValueError)
    with pytest.raises(cls, match=re.escape(message)):
        call()
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_stubs_declare_the_exception_classes() -> None:
    text = _stubgen.module_stub(t, _stubgen._Classes())
    assert "\nimport gobridge\n" in text
    assert "\nclass ErrNotFound(gobridge.GoError): ...\n" in text
    assert "\nclass BadDigit(gobridge.GoError, ValueError):\n    pos: int\n" in text
    assert "\nclass LookupError(gobridge.GoError):\n    key: str\n" in text
    compile(text, "_testing.pyi", "exec")


def test_stubs_of_a_shipped_module_with_exception_classes(tmp_path: Path) -> None:
    _stubgen.generate(tmp_path, ["gomod.encoding.hex"])
    text = (tmp_path / "gomod" / "encoding" / "hex.pyi").read_text()
    assert "class ErrLength(gobridge.GoError, ValueError): ..." in text
    assert "class InvalidByteError(gobridge.GoError, ValueError): ..." in text


def _forget(name: str) -> None:
    sys.modules.pop(name, None)
    import gomod

    leaf = name.rsplit(".", 1)[1]
    if hasattr(gomod, leaf):
        delattr(gomod, leaf)


def test_a_registration_that_cannot_cross_is_an_import_error() -> None:
    name = "gomod._bad_registration"
    _forget(name)
    with pytest.raises(ImportError) as info:
        importlib.import_module(name)
    exc = info.value
    assert type(exc) is ImportError
    assert exc.name == name
    message = str(exc)
    # Go's message first, naming what cannot cross, then the module
    assert message.startswith("gobridge: "), message
    assert "chan int" in message and message.endswith(f"(initialising Go module {name})")
    assert "goroutine" not in message
    stack = exc.go_stack  # type: ignore[attr-defined]
    # from the registration that failed, without gobridge's own frames
    frames = stack.splitlines()
    assert frames[0].startswith("goroutine ")
    assert frames[1].startswith("github.com/gobridge/gobridge/modules/testmod.init."), stack
    assert "broken.go" in frames[2]
    assert "gobridge/py." not in stack and "capi." not in stack
    # a note, which tracebacks print (3.11+), or the attribute pytest reads
    assert exc.__notes__ == [f"Go stack:\n{stack.rstrip()}"]  # type: ignore[attr-defined]
    assert name not in sys.modules
    assert t.add(1, 2) == 3


def test_go_string_is_str_only() -> None:
    pattern = regexp.compile("a+b")
    assert str(pattern) == "a+b"
    assert "string" not in dir(pattern)
    assert not hasattr(pattern, "string")
    assert "__str__" in regexp.Regexp.__dict__
    assert repr(pattern) == "<gomod.regexp.Regexp a+b (Go *regexp.Regexp)>"
    text = _stubgen.module_stub(regexp, _stubgen._Classes())
    assert "    def __str__(self) -> str: ..." in text
    assert "def string(" not in text


def test_a_go_error_two_modules_declare_is_caught_by_both() -> None:
    # _testing declares encoding/hex's ErrLength as gomod.encoding.hex does.
    assert t.ErrLength is not hexmod.ErrLength
    for call in (lambda: t.lookup("hex"), lambda: hexmod.decode("abc")):
        with pytest.raises(t.ErrLength) as info:
            call()
        exc = info.value
        assert isinstance(exc, hexmod.ErrLength) and isinstance(exc, ValueError)
        assert type(exc).__name__ == "ErrLength"
        assert str(exc) == "encoding/hex: odd length hex string"
        # the first module in name order names it, and pickles it
        assert type(exc).__module__ == "gomod._testing"
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is t.ErrLength and str(back) == str(exc)


def test_a_go_error_raises_the_class_of_the_one_module_imported() -> None:
    program = (
        "import gomod.encoding.hex as h\n"
        "try:\n"
        "    h.decode('abc')\n"
        "except h.ErrLength as exc:\n"
        "    print(type(exc) is h.ErrLength)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=120
    )
    assert proc.stdout == "True\n"


def test_a_class_the_library_does_not_describe_leaves_the_error_its_own_type() -> None:
    # Python asks the library for a class's description when it first makes
    # it; were the library's latest build of the module without the class,
    # reading it fails naming it, and an error record naming it raises the
    # exception the error maps to.
    key = ("gomod._testing", "ErrNeverDeclared")
    _errors.declare_module_error(*key)
    try:
        with pytest.raises(RuntimeError, match="gomod._testing:ErrNeverDeclared"):
            _errors.module_error(*key)
        record = ("ValueError", "odd", None, "", {}, "gomod._testing:ErrNeverDeclared")
        exc = _errors.make_exception(record)
    finally:
        _errors._pending_errors.discard(key)
    assert type(exc) is ValueError and str(exc) == "odd"
