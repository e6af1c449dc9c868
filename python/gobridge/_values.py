"""Values across the boundary: CPython's marshal format plus gobridge's codes.

Arguments go to Go as ``marshal.dumps(args, 2)``. When marshal cannot write
them (Go objects, buffers passed by reference, subclasses, unsupported
objects), ``encode`` writes the same format itself, with the extension codes
of docs/design.md. Results come back as marshal data that ``marshal.loads``
reads straight from the library's buffer.
"""

from __future__ import annotations

import marshal
from _struct import Struct  # struct's; the struct module costs start-up time

from ._ffi import ffi

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read the block below
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Callable

    from ._callbacks import Scope

_U32 = Struct("<I")
_U64 = Struct("<Q")
_I32 = Struct("<i")


class Encoder:
    """Writes one call's arguments; holds the buffers Go may read during the
    call. Callables are lent to Go in the scope the caller gives, which it
    closes when the call returns (this module sits below _callbacks, whose
    callback entry writes results with it)."""

    __slots__ = ("parts", "spans", "borrow", "scope")

    def __init__(self, scope: Scope, borrow: frozenset[int] = frozenset()) -> None:
        self.parts: list[bytes] = []
        self.spans: list[Any] = []
        self.borrow = borrow
        self.scope = scope

    def args(self, args: tuple[Any, ...]) -> bytes:
        parts = self.parts
        parts.append(b"(" + _I32.pack(len(args)))
        for index, value in enumerate(args):
            if index in self.borrow:
                self.buffer(value)
            else:
                self.value(value)
        return b"".join(parts)

    def buffer(self, value: Any) -> None:
        """Pass a bytes-like object by reference, with no copy."""
        try:
            view = ffi.from_buffer(value)
        except TypeError:
            self.value(value)  # Go names the parameter and the type it got
            return
        self.parts.append(b"B" + _U32.pack(len(self.spans)))
        self.spans.append(view)

    def value(self, value: Any) -> None:
        cls = type(value)
        if cls in _MARSHAL_EXACT:
            try:
                self.parts.append(marshal.dumps(value, 2))
                return
            except ValueError:
                pass  # a container holding something marshal cannot write
        writer = _WRITERS.get(cls)
        if writer is None:
            writer = _writer_for(cls)
        writer(self, value)

    def _sequence(self, code: bytes, items: Any) -> None:
        self.parts.append(code + _I32.pack(len(items)))
        for item in items:
            self.value(item)

    def _dict(self, value: Mapping[Any, Any]) -> None:
        self.parts.append(b"{")
        for key, item in value.items():
            self.value(key)
            self.value(item)
        self.parts.append(b"0")


def _write_handle(enc: Encoder, value: Any) -> None:
    handle = value._gb_handle
    if not handle:
        raise ValueError(f"{type(value).__name__} object has been released")
    enc.parts.append(b"H" + _U64.pack(handle))


def _write_callable(enc: Encoder, value: Any) -> None:
    enc.parts.append(b"K" + _U64.pack(enc.scope.lend(value)))


def _write_opaque(enc: Encoder, value: Any) -> None:
    name = type(value).__name__.encode("utf-8", "surrogatepass")
    enc.parts.append(b"O" + b"u" + _U32.pack(len(name)) + name)


_MARSHAL_EXACT = frozenset({type(None), bool, int, float, complex, str, bytes, tuple, list, dict})

_WRITERS: dict[type, Callable[[Encoder, Any], None]] = {
    tuple: lambda enc, v: enc._sequence(b"(", v),
    list: lambda enc, v: enc._sequence(b"[", v),
    dict: Encoder._dict,
    bytearray: lambda enc, v: enc.parts.append(marshal.dumps(bytes(v), 2)),
    memoryview: lambda enc, v: enc.parts.append(marshal.dumps(v.tobytes(), 2)),
}


def _writer_for(cls: type) -> Callable[[Encoder, Any], None]:
    """Pick (and remember) how to write instances of a type marshal cannot write."""
    writer: Callable[[Encoder, Any], None]
    if getattr(cls, "_gb_is_go_object", False):
        writer = _write_handle
    elif getattr(cls, "_gb_is_go_value", False):
        # A value struct crosses as the dict of its fields.
        writer = lambda enc, v: enc._dict(v._gb_as_dict())  # noqa: E731
    elif issubclass(cls, bool):
        writer = lambda enc, v: enc.value(bool(v))  # noqa: E731
    elif issubclass(cls, int):
        writer = lambda enc, v: enc.value(int(v))  # noqa: E731
    elif issubclass(cls, float):
        writer = lambda enc, v: enc.value(float(v))  # noqa: E731
    elif issubclass(cls, complex):
        writer = lambda enc, v: enc.value(complex(v))  # noqa: E731
    elif issubclass(cls, str):
        writer = lambda enc, v: enc.value(str(v))  # noqa: E731
    elif issubclass(cls, (bytes, bytearray)):
        writer = lambda enc, v: enc.value(bytes(v))  # noqa: E731
    elif issubclass(cls, tuple):
        writer = lambda enc, v: enc._sequence(b"(", v)  # noqa: E731
    elif issubclass(cls, list):
        writer = lambda enc, v: enc._sequence(b"[", v)  # noqa: E731
    elif issubclass(cls, dict):
        writer = Encoder._dict
    elif hasattr(cls, "__index__"):
        from operator import index  # rarely needed: not imported at start-up

        writer = lambda enc, v: enc.value(index(v))  # noqa: E731
    elif _is_abc(cls, "Sequence"):
        # Any sequence (range, deque, a user's class) crosses as a list, as
        # the stubs' Sequence[...] for a Go slice promises.
        writer = lambda enc, v: enc._sequence(b"[", v)  # noqa: E731
    elif _is_abc(cls, "Mapping"):
        writer = Encoder._dict
    elif _instances_are_callable(cls):
        writer = _write_callable
    else:
        return _write_opaque  # not remembered: the class may gain a writer later
    _WRITERS[cls] = writer
    return writer


def _is_abc(cls: type, name: str) -> bool:
    """Whether cls is a collections.abc class (registered or derived)."""
    import collections.abc  # already loaded by the interpreter; imported here for the name

    return issubclass(cls, getattr(collections.abc, name))


def _instances_are_callable(cls: type) -> bool:
    """Whether instances of cls are callables (functions, methods, classes,
    objects with ``__call__``), which cross to Go as callbacks."""
    return any("__call__" in vars(base) for base in cls.__mro__)


def encode(args: tuple[Any, ...], borrow: frozenset[int], scope: Scope) -> Encoded:
    """Marshal a call's arguments the slow way, lending callables in scope."""
    enc = Encoder(scope, borrow)
    data = enc.args(args)
    if not enc.spans:
        return Encoded(data, ffi.NULL, 0, enc.spans, enc.scope)
    spans = ffi.new("gb_span[]", len(enc.spans))
    for i, view in enumerate(enc.spans):
        spans[i].ptr = view
        spans[i].len = len(view)
    return Encoded(data, spans, len(enc.spans), enc.spans, enc.scope)


def encode_value(value: Any, scope: Scope) -> bytes:
    """Marshal one value the slow way (a callback's result)."""
    enc = Encoder(scope)
    enc.value(value)
    return b"".join(enc.parts)


class Encoded:
    """A call's marshalled arguments, with what must live until it returns:
    the span array and buffer views Go reads, and the callables Go may call."""

    __slots__ = ("data", "spans", "nspans", "views", "scope")

    def __init__(
        self, data: bytes, spans: Any, nspans: int, views: list[Any], scope: Scope
    ) -> None:
        self.data = data
        self.spans = spans
        self.nspans = nspans
        self.views = views
        self.scope = scope
