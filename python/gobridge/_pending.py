"""Go calls that run on their own goroutine: interruptible, cancellable, awaitable.

A Go function whose first parameter is a ``context.Context`` is called this
way: the calling thread waits on a lock (which Ctrl-C interrupts) instead of
inside Go, so ``KeyboardInterrupt`` or an expired ``timeout=`` cancels the
Go context promptly. Any Go function can also be awaited from asyncio with
``await f.aio(...)``: the event loop keeps running while Go works.

A Go function that ignores its cancelled context cannot be stopped. gobridge
waits ``CANCEL_GRACE`` seconds for it, then raises anyway and lets the call
finish in the background, discarding its result.
"""

from __future__ import annotations

from . import _callbacks, _values
from ._ffi import call_layer, ffi, forked_or_unloaded, lib

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any

CANCEL_GRACE = 0.5
_INFINITY = float("inf")

# Calls given up on, kept (with the buffers Go may still read) until they end.
_abandoned: dict[int, Any] = {}


class _Call:
    """One started call: its arguments (alive until it ends) and its state."""

    def __init__(self, fid: int, self_handle: int, borrow: frozenset[int], args: tuple[Any, ...]):
        import threading  # only calls that take a context, or are awaited, need it

        scope = _callbacks.Scope()
        try:
            self.encoded = _values.encode(args, borrow, scope)
        except BaseException:
            scope.close()
            raise
        self.finished = threading.Event()
        self.abandoned = False
        self.on_done: Any = None
        # The notification has a scope of its own: a callable of the call
        # that raised must not keep Go from reporting that the call ended.
        self.notifier = _callbacks.Scope()
        done_target = self.notifier.lend(self._done)
        enc = self.encoded
        self.id = lib.gb_call_start(
            fid, self_handle, enc.data, len(enc.data), enc.spans, enc.nspans, done_target
        )
        if self.id == 0:
            self.close_scopes()
            raise forked_or_unloaded()

    def _done(self) -> None:
        self.finished.set()
        if self.abandoned:
            _abandoned.pop(self.id, None)
            ret = lib.gb_call_finish(self.id)
            if ret.data != ffi.NULL:
                lib.gb_free(ret.data)
            self.close_scopes()
            _callbacks.take_exception(self.encoded.scope.call)
        elif self.on_done is not None:
            self.on_done()

    def cancel(self, timeout: bool) -> None:
        lib.gb_call_cancel(self.id, 1 if timeout else 0)

    def abandon(self) -> None:
        """Stop waiting: the call ends in the background, its result discarded."""
        self.abandoned = True
        _abandoned[self.id] = self
        if self.finished.is_set() and self.id in _abandoned:
            self._done()

    def close_scopes(self) -> None:
        self.encoded.scope.close()
        self.notifier.close()
        # Go is done with the buffers it borrowed: give them back now, not
        # when the collector breaks the cycle an awaited call's callback
        # makes, so that a bytearray can be resized again as soon as the
        # call returns.
        for view in self.encoded.views:
            ffi.release(view)
        self.encoded.views.clear()
        self.on_done = None

    def result(self) -> Any:
        ret = lib.gb_call_finish(self.id)
        self.close_scopes()
        return call_layer.finish_scoped(ret, self.encoded.scope.call)


def call_with_context(
    fid: int, self_handle: int, borrow: frozenset[int], args: tuple[Any, ...], timeout: float | None
) -> Any:
    """Call a Go function that takes a context.Context, interruptibly."""
    if timeout is not None and timeout < 0:
        raise ValueError("timeout must be non-negative or None")
    if timeout == _INFINITY:
        timeout = None  # longer than threading.Event.wait can count
    call = _Call(fid, self_handle, borrow, args)
    try:
        if not call.finished.wait(timeout):
            call.cancel(timeout=True)
            if not call.finished.wait(CANCEL_GRACE):
                call.abandon()
                raise TimeoutError(
                    "the Go call timed out and ignored its cancelled context; "
                    "it goes on in the background and its result will be discarded"
                )
    except BaseException:
        if call.abandoned:
            raise
        if not call.finished.is_set():
            call.cancel(timeout=False)
            if not call.finished.wait(CANCEL_GRACE):
                call.abandon()
                raise
        # The call ended; report the interruption rather than its outcome.
        try:  # noqa: SIM105 - contextlib is not loaded at start-up
            call.result()
        except BaseException:
            pass
        raise
    return call.result()


async def call_async(
    fid: int, self_handle: int, borrow: frozenset[int], args: tuple[Any, ...], timeout: float | None
) -> Any:
    """Await a Go call from asyncio without blocking the event loop."""
    import asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not future.done():
            future.set_result(None)

    call = _Call(fid, self_handle, borrow, args)

    def on_done() -> None:
        # A closed loop raises RuntimeError: nobody awaits any more.
        try:  # noqa: SIM105 - contextlib is not loaded at start-up
            loop.call_soon_threadsafe(wake)
        except RuntimeError:
            pass

    call.on_done = on_done
    if call.finished.is_set():
        wake()
    try:
        if timeout is None:
            await future
        else:
            await asyncio.wait_for(asyncio.shield(future), timeout)
    except asyncio.TimeoutError:
        call.cancel(timeout=True)
        call.abandon()
        raise
    except BaseException:
        call.cancel(timeout=False)
        call.abandon()
        raise
    return call.result()
