"""Exceptions raised for Go errors and panics, and the decoding of error records."""

from __future__ import annotations

import builtins

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


def make_exception(record: tuple[Any, ...]) -> BaseException:
    """Build the Python exception an error record describes.

    A record is ``(exc_type, message, go_type, go_stack, attrs)``.
    """
    name, message, go_type, go_stack, attrs = record
    cls = exception_type(name)
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
