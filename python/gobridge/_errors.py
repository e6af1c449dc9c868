"""Exceptions raised for Go errors and panics, and the decoding of error records."""

from __future__ import annotations

import builtins
from _thread import allocate_lock

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any


class GoError(Exception):
    """A Go error with no more specific Python exception.

    ``go_type`` is the dynamic Go type of the error, such as ``*errors.errorString``.
    """

    go_type: str | None = None


class GoPanic(Exception):
    """A Go panic, recovered at the boundary; the interpreter goes on.

    The message is the panic value's own. ``go_stack`` holds the stack of the
    goroutine that panicked, from the frame that panicked down to gobridge's
    call; a note (``__notes__``) carries it into printed tracebacks.
    """

    go_type: str | None = None
    go_stack: str = ""


# Tracebacks and pickle name a class by its __module__: these are public as
# gobridge.GoError and gobridge.GoPanic, where pickle finds them again.
GoError.__module__ = GoPanic.__module__ = "gobridge"


def _add_stack_note(exc: BaseException, go_stack: str) -> None:
    """Attach the Go stack as a note, which tracebacks print (3.11+); before
    3.11, ``__notes__`` is set as the exceptiongroup backport and pytest read it."""
    note = f"Go stack:\n{go_stack.rstrip()}"
    add_note = getattr(exc, "add_note", None)
    if add_note is not None:
        add_note(note)
    else:
        exc.__notes__ = [*getattr(exc, "__notes__", ()), note]


_OWN_EXCEPTIONS: dict[str, type[BaseException]] = {
    "gobridge.GoError": GoError,
    "gobridge.GoPanic": GoPanic,
}


def exception_type(name: str) -> type[BaseException]:
    """The exception class named by an error record: ours, or a builtin."""
    own = _OWN_EXCEPTIONS.get(name)
    if own is not None:
        return own
    exc = getattr(builtins, name, None)
    if isinstance(exc, type) and issubclass(exc, BaseException):
        return exc
    return GoError


# The exception classes Go modules declare (Module.Error, Module.ErrorType),
# by (module, name). A module imported again, or reloaded, keeps its classes:
# except clauses and pickles that hold the class go on matching it.
_module_errors: dict[tuple[str, str], type[BaseException]] = {}
# The classes of imported modules not made yet: a class is made, from the
# library's description, when it is first read or first raised.
_pending_errors: set[tuple[str, str]] = set()
_module_errors_lock = allocate_lock()


def declare_module_error(module: str, name: str) -> None:
    """Record that ``module.name`` is an exception class for
    ``module_error`` to make on first use."""
    _pending_errors.add((module, name))


def module_error(module: str, name: str) -> type[BaseException]:
    """The exception class ``name`` of a Go module, from the library's
    description ``(doc, base exception, Go description, fields)``: a
    subclass of GoError and, when the Go error maps to a builtin exception
    (ValueError, FileNotFoundError...), of that exception too. ``fields``
    lists the ``(attribute, Python type)`` of the Go fields its exceptions
    carry; the stubs declare them."""
    from ._ffi import call_layer, lib  # loaded by then: the module's import loaded them

    key = f"{module}:{name}".encode()
    desc = call_layer.finish(lib.gb_error_info(key, len(key)))
    # Under a lock: threads that first read and first raise the class at
    # once must get one class.
    with _module_errors_lock:
        return _module_error(module, name, desc)


def _module_error(module: str, name: str, desc: tuple[Any, ...]) -> type[BaseException]:
    _pending_errors.discard((module, name))
    doc, base_name, what, fields = desc
    bases: tuple[type[BaseException], ...] = (GoError,)
    base = exception_type(base_name)
    if base is not GoError and not issubclass(GoError, base):
        bases = (GoError, base)
    fields = tuple(tuple(f) for f in fields)
    existing = _module_errors.get((module, name))
    if existing is not None and existing.__bases__ == bases:
        existing.__doc__ = doc or existing.__doc__
        existing._gb_fields = fields  # type: ignore[attr-defined]
        return existing
    cls = type(
        name,
        bases,
        {
            "__module__": module,
            "__qualname__": name,
            "__doc__": doc or f"{what}.",
            "_gb_fields": fields,
        },
    )
    _module_errors[module, name] = cls
    return cls


# Classes deriving from the classes of several modules that declare the
# same Go error, by those classes.
_combined: dict[tuple[type[BaseException], ...], type[BaseException]] = {}


def _reduce_to_first_base(exc: BaseException) -> tuple[Any, ...]:
    # A combined class is no module's attribute: pickle as the first class.
    return (type(exc).__bases__[0], exc.args, exc.__dict__ or None)


def _module_error_class(classes: str) -> type[BaseException] | None:
    """The class to raise for the record's module classes (``"module:name"``
    joined by commas): the one of them this interpreter has, or a class
    deriving from each of those it has, so that every module's except
    clause catches the error."""
    found = []
    for key in classes.split(","):
        module, _, name = key.partition(":")
        cls = _module_errors.get((module, name))
        if cls is None and (module, name) in _pending_errors:
            try:
                cls = module_error(module, name)
            except RuntimeError:  # the library no longer knows it: the error's own type
                cls = None
        if cls is not None:
            found.append(cls)
    if len(found) < 2:
        return found[0] if found else None
    bases = tuple(found)
    combined = _combined.get(bases)
    if combined is None:
        first = bases[0]
        try:
            combined = type(
                first.__name__,
                bases,
                {
                    "__module__": first.__module__,
                    "__qualname__": first.__qualname__,
                    "__doc__": first.__doc__,
                    "__reduce__": _reduce_to_first_base,
                },
            )
        except TypeError:  # bases Python cannot combine: the first one's class
            combined = first
        _combined[bases] = combined
    return combined


def make_exception(record: tuple[Any, ...]) -> BaseException:
    """Build the Python exception an error record describes.

    A record is ``(exc_type, message, go_type, go_stack, attrs, module
    classes)``, where the module classes are ``"module:name"`` of exception
    classes Go modules declared, joined by commas, or ``""``. Those this
    interpreter has imported are raised (see _module_error_class), the
    exception type otherwise.
    """
    name, message, go_type, go_stack, attrs, module_classes = record
    cls = exception_type(name)
    if module_classes:
        cls = _module_error_class(module_classes) or cls
    exc: BaseException
    if issubclass(cls, ImportError):
        exc = cls(message, name=attrs.get("name"), path=attrs.get("path"))
    elif cls is UnicodeDecodeError:
        exc = UnicodeDecodeError(
            "utf-8", attrs.get("object", b""), attrs.get("start", 0), attrs.get("end", 1), message
        )
    else:
        exc = cls(message)
    if not issubclass(cls, (ImportError, UnicodeDecodeError)):
        for key, value in attrs.items():
            try:  # noqa: SIM105 - contextlib is not loaded at start-up
                setattr(exc, key, value)
            except AttributeError:
                pass
    if go_type is not None:
        try:  # noqa: SIM105 - contextlib is not loaded at start-up
            exc.go_type = go_type  # type: ignore[attr-defined]
        except AttributeError:
            pass
    if go_stack:
        exc.go_stack = go_stack  # type: ignore[attr-defined]
        _add_stack_note(exc, go_stack)
    return exc
