"""Python callables that Go calls.

A callable passed to a Go function is lent to Go for the duration of that
call under a number: the call's number, a multiple of ``1 << CALL_BITS``,
plus the callable's index within the call. Go calls it through ``gb_py_invoke``
(marshalled arguments and reply) or, for function types that are all
scalars, through the typed scalar entries; cffi takes the GIL for either.
The first exception a callable raises is kept under the call's number; Go
sees an error, and the Go call raises the original exception object when it
returns. Callables of a call that has failed that way are not called again.
"""

from __future__ import annotations

import _warnings  # warnings.warn itself: the module costs an import at start-up
import itertools
import marshal

from . import _values
from ._ffi import call_layer, ffi, lib

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any, Callable

OK = 0
ERROR = 2
STALE = 5

CALL_BITS = 16

# The lent callables by number, and the first exception of each failed call.
_targets: dict[int, Callable[..., Any]] = {}
_raised: dict[int, BaseException] = {}
_calls = itertools.count(1 << CALL_BITS, 1 << CALL_BITS)
_CALL = ~((1 << CALL_BITS) - 1)  # a number's call


class Scope:
    """The callables lent to Go for one call, and the exception one raised."""

    __slots__ = ("call", "lent")

    def __init__(self) -> None:
        self.call = next(_calls)
        self.lent = 0

    def lend(self, fn: Callable[..., Any]) -> int:
        """Lend ``fn`` to Go until ``close``; return its number."""
        if not _scalar_entries_attached:
            attach_scalar_entries()
        if self.lent >= 1 << CALL_BITS:
            raise ValueError(f"a Go call can take at most {1 << CALL_BITS} callables")
        target = self.call | self.lent
        self.lent += 1
        _targets[target] = fn
        return target

    def close(self) -> None:
        """Forget the callables: Go calling them from now on gets an error."""
        for index in range(self.lent):
            _targets.pop(self.call | index, None)


def take_exception(call: int) -> BaseException | None:
    """The first exception a callable of call raised, if any; once. The
    results of the call's callables that did not convert go with it."""
    if _unconverted:
        for target in list(_unconverted):  # a snapshot: other threads may add to it
            if target & _CALL == call:
                _unconverted.pop(target, None)
    return _raised.pop(call, None) if _raised else None


def _record(target: int, exc: BaseException) -> None:
    if target in _targets:  # a call already closed keeps nothing
        _raised.setdefault(target & _CALL, exc)


def _failed(target: int) -> bool:
    return bool(_raised) and target & _CALL in _raised


# For wrappers that lend callables themselves (the fast_callbacks template).
targets = _targets
calls = _calls


_reply = lib.gb_reply
_loads = marshal.loads
_dumps = marshal.dumps
_unpack = ffi.unpack
_OBJECTS = 1 << 63
_EXPLAIN = 1 << 62


@ffi.def_extern()  # type: ignore[untyped-decorator]
def gb_py_invoke(target: int, args: Any, args_len: int, out: Any) -> int:
    if target & _EXPLAIN:
        return _explain(target & ~_EXPLAIN, out)
    objects = target & _OBJECTS
    target &= ~_OBJECTS
    fn = _targets.get(target)
    if fn is None:
        return _reply(out, _stale(), _STALE_MESSAGE, len(_STALE_MESSAGE))
    if _failed(target):
        failed = _raised[target & _CALL]
        data = _dumps((type(failed).__name__, str(failed)), 2)
        return _reply(out, ERROR, data, len(data))
    try:
        values = _loads(_unpack(args, args_len))
        if objects:
            values = call_layer.decode(values)
        result = fn(*values)
        try:
            data = _dumps(result, 2)
        except ValueError:
            data = _values.encode_value(result, Scope())
        return _reply(out, OK, data, len(data))
    except BaseException as exc:  # noqa: BLE001 - raised again when the Go call returns
        _record(target, exc)
        data = _dumps((type(exc).__name__, str(exc)), 2)
        return _reply(out, ERROR, data, len(data))


def _stale() -> int:
    _warnings.warn(_STALE_MESSAGE.decode(), RuntimeWarning, stacklevel=2)
    return STALE


_STALE_MESSAGE = b"a Python callback was called after the Go call it was passed to returned"

# Scalar callbacks: Go calls a callable of a function type that is all
# scalars through a C entry per kind (bridge/gb_callbacks.c), which calls it
# through the C API and answers OK. A result that does not fit the kind is
# kept here and the entry answers a status of its own (Unconverted, in
# go/internal/bridge/scalarcallbacks.go); Go then asks gb_py_invoke for it
# marshalled (target | _EXPLAIN), to word the error as the general path does.
_unconverted: dict[int, Any] = {}


def _explain(target: int, out: Any) -> int:
    # Not popped: Go may call the callable from several goroutines at once,
    # each asking for its result; take_exception drops it with the call.
    value = _unconverted.get(target)
    try:
        data = _dumps(value, 2)
    except ValueError:
        data = _values.encode_value(value, Scope())  # names the type of what it cannot write
    return _reply(out, OK, data, len(data))


_scalar_entries_attached = False


def attach_scalar_entries() -> None:
    """Hand the scalar entries this module's tables; done before the first
    callable is lent, since Go may call any of them from then on."""
    global _scalar_entries_attached
    if _scalar_entries_attached:
        return
    if lib.gb_callbacks_init() != 0:
        raise RuntimeError("gobridge: the scalar callback entries could not start")
    _scalar_entries_attached = True
