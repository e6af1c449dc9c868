"""Python callables that Go calls: the one entry Go uses to call Python.

A callable passed to a Go function is registered for the duration of that
call under a number (code ``K`` in the arguments). Go calls it through
``gb_py_invoke``, for which cffi takes the GIL. The first exception a
callable raises is kept with the call (its ``Scope``); Go sees an error, and
the Go call raises the original exception object when it returns. Callables
of a call that has failed that way are not called again.
"""

from __future__ import annotations

import itertools
import marshal
import warnings
from typing import Any, Callable

from ._ffi import ffi, lib

OK = 0
ERROR = 2
STALE = 5


class Scope:
    """The callables lent to Go for one call, and the exception one raised."""

    __slots__ = ("targets", "exception")

    def __init__(self) -> None:
        self.targets: list[int] = []
        self.exception: BaseException | None = None

    def lend(self, fn: Callable[..., Any]) -> int:
        """Lend ``fn`` to Go until ``close``; return its number."""
        target = next(_ids)
        _targets[target] = (fn, self)
        self.targets.append(target)
        return target

    def close(self) -> None:
        """Forget the callables: Go calling them from now on gets an error."""
        for target in self.targets:
            _targets.pop(target, None)


_ids = itertools.count(1)
_targets: dict[int, tuple[Callable[..., Any], Scope]] = {}


_reply = lib.gb_reply
_loads = marshal.loads
_dumps = marshal.dumps
_unpack = ffi.unpack
_OBJECTS = 1 << 63


@ffi.def_extern()  # type: ignore[untyped-decorator]
def gb_py_invoke(target: int, args: Any, args_len: int, out: Any) -> int:
    entry = _targets.get(target & ~_OBJECTS)
    if entry is None:
        message = b"a Python callback was called after the Go call it was passed to returned"
        warnings.warn(message.decode(), RuntimeWarning, stacklevel=1)
        return _reply(out, STALE, message, len(message))
    fn, scope = entry
    if scope.exception is not None:
        failed = scope.exception
        data = _dumps((type(failed).__name__, str(failed)), 2)
        return _reply(out, ERROR, data, len(data))
    try:
        values = _loads(_unpack(args, args_len))
        if target & _OBJECTS:
            values = _functions.decode(values)
        result = fn(*values)
        try:
            data = _dumps(result, 2)
        except ValueError:
            data = _values.encode_value(result)
        return _reply(out, OK, data, len(data))
    except BaseException as exc:  # noqa: BLE001 - raised again when the Go call returns
        scope.exception = exc
        data = _dumps((type(exc).__name__, str(exc)), 2)
        return _reply(out, ERROR, data, len(data))


from . import _functions, _values  # noqa: E402 - they import this module first
