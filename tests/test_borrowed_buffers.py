"""Buffers passed to ``py.Bytes`` parameters are borrowed for the call only.

Go reads a bytes-like argument in place; the export that makes this
possible must end when the call does, on every path that borrows, or the
object stays locked: a bytearray could never be resized again, and its
memory never freed. CPython refuses to resize a bytearray with a live
export (BufferError), which is what these tests watch.
"""

from __future__ import annotations

import asyncio
import gc

import pytest

import gomod._testing as t


def assert_released(buffer: bytearray) -> None:
    gc.collect()
    buffer.extend(b"!")  # BufferError while any export is alive
    del buffer[-1]


def borrow_one(b: bytearray) -> int:
    return t.borrowed_len(b)


def borrow_two(b: bytearray) -> int:
    return t.borrowed_pair_len(b, b) // 2


def borrow_with_context(b: bytearray) -> int:
    return t.borrowed_len_ctx(b, timeout=30)


def borrow_awaited(b: bytearray) -> int:
    return asyncio.run(t.borrowed_len.aio(b))


def borrow_awaited_two(b: bytearray) -> int:
    return asyncio.run(t.borrowed_pair_len.aio(b, b)) // 2


@pytest.mark.parametrize(
    "call", [borrow_one, borrow_two, borrow_with_context, borrow_awaited, borrow_awaited_two]
)
def test_a_borrowed_buffer_is_released_when_the_call_returns(call):
    buffer = bytearray(b"borrowed")
    assert call(buffer) == 8
    assert_released(buffer)
    # and a memoryview of it too
    view = memoryview(buffer)
    assert call(view) == 8
    view.release()
    assert_released(buffer)


def test_a_borrowed_buffer_is_released_when_the_call_fails():
    buffer = bytearray(b"borrowed")
    with pytest.raises(TypeError, match="argument 'b'"):
        t.borrowed_pair_len(buffer, "not bytes")
    assert_released(buffer)
    with pytest.raises(TypeError, match="argument 'b'"):
        asyncio.run(t.borrowed_pair_len.aio(buffer, 3))
    assert_released(buffer)
