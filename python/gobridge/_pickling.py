"""Pickling and copying Go objects, through Go's own marshalling.

A Go object pickles by value when its type implements
``encoding.BinaryMarshaler`` and ``encoding.BinaryUnmarshaler`` (preferred),
or ``encoding.TextMarshaler`` and ``encoding.TextUnmarshaler``. The pickle
holds the gomod module that declares the type, the type's stable Go name
(import path and name, ``*`` first for a pointer), the format and the bytes
Go wrote. Go cannot look a type up by name, so unpickling imports the module
first: importing it declares its types to the library (its classes, and the
concrete types it returns behind interfaces, ``Module.Types``). That makes a
pickle loadable in a fresh process, such as a ``spawn`` worker or a Dask
worker, which has imported nothing yet.

``copy.copy`` and ``copy.deepcopy`` make the new object in one call to Go,
through the same interfaces; the type need not be declared by a module.
"""

from __future__ import annotations

import importlib

from ._ffi import call_layer, lib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._objects import GoObject

# The namespace gomod modules import below (bridge.Namespace in Go).
_NAMESPACE = "gomod"


def _handle(obj: GoObject, verb: str) -> int:
    handle: int = obj._gb_handle
    if not handle:
        cls = type(obj)
        raise ValueError(
            f"cannot {verb} a released Go object ({cls.__module__}.{cls.__qualname__})"
        )
    return handle


def reduce(obj: GoObject) -> tuple[Any, ...]:
    """``obj.__reduce__()``: the call that rebuilds obj in another process."""
    fmt, data, type_name, module = call_layer.finish(lib.gb_pickle(_handle(obj, "pickle")))
    return (unpickle, (module, type_name, fmt, data))


def unpickle(module: str, type_name: str, fmt: str, data: bytes) -> GoObject:
    """Rebuild a pickled Go object: import the gomod module that declares its
    type, then have Go read the data into a new value of that type."""
    for name, value in (("module", module), ("type_name", type_name), ("fmt", fmt)):
        if not isinstance(value, str):
            raise TypeError(f"unpickle() argument {name!r} must be str, not {type(value).__name__}")
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"unpickle() argument 'data' must be bytes, not {type(data).__name__}")
    importlib.import_module(f"{_NAMESPACE}.{module}")
    names = [value.encode() for value in (type_name, module, fmt)]
    obj: GoObject = call_layer.finish(
        lib.gb_unpickle(
            names[0],
            len(names[0]),
            names[1],
            len(names[1]),
            names[2],
            len(names[2]),
            bytes(data),
            len(data),
        )
    )
    return obj


def copy(obj: GoObject) -> GoObject:
    """``copy.copy(obj)`` and ``copy.deepcopy(obj)``: a new Go object holding
    what obj holds, written and read back by its type's marshalling."""
    new: GoObject = call_layer.finish(lib.gb_copy(_handle(obj, "copy")))
    return new
