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


def _reply(out: Any, status: int, data: bytes) -> int:
    buf = lib.gb_malloc(len(data))
    ffi.memmove(buf, data, len(data))
    out.status = status
    out.data = ffi.cast("char *", buf)
    out.len = len(data)
    return status


@ffi.def_extern()  # type: ignore[untyped-decorator]
def gb_py_invoke(target: int, args: Any, args_len: int, out: Any) -> int:
    from . import _functions, _values

    entry = _targets.get(target)
    if entry is None:
        message = "a Python callback was called after the Go call it was passed to returned"
        warnings.warn(message, RuntimeWarning, stacklevel=1)
        return _reply(out, STALE, message.encode())
    fn, scope = entry
    if scope.exception is not None:
        failed = scope.exception
        return _reply(out, ERROR, marshal.dumps((type(failed).__name__, str(failed)), 2))
    try:
        values = _functions.decode(marshal.loads(ffi.unpack(args, args_len)))
        result = fn(*values)
        try:
            data = marshal.dumps(result, 2)
        except ValueError:
            data = _values.encode_value(result)
        return _reply(out, OK, data)
    except BaseException as exc:  # noqa: BLE001 - raised again when the Go call returns
        scope.exception = exc
        return _reply(out, ERROR, marshal.dumps((type(exc).__name__, str(exc)), 2))
