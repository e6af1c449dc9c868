"""Classes called as their Go constructor, and parameter defaults."""

from __future__ import annotations

import asyncio
import inspect
import pydoc
import sys
from typing import Any

import pytest

import gobridge
import gomod._testing as t
import gomod.strings as strings


def test_calling_a_class_calls_its_new_function() -> None:
    counter = t.Counter(5)
    assert type(counter) is t.Counter
    assert counter.incr(2) == 7
    assert t.Counter(start=1).get() == 1
    # The module function stays, for code written before.
    assert type(t.new_counter(1)) is t.Counter
    assert str(inspect.signature(t.Counter)) == "(start)"


def test_a_constructor_error_is_raised() -> None:
    with pytest.raises(gobridge.GoError, match="negative start"):
        t.Tally(-1)
    with pytest.raises(
        TypeError, match=r"Counter\(\) missing 1 required positional argument: 'start'"
    ):
        t.Counter()
    with pytest.raises(TypeError, match=r"Counter\(\) argument 'start' must be int"):
        t.Counter("x")


def test_a_marked_constructor_returning_a_struct_by_value() -> None:
    box = t.Box("a", "b")
    assert type(box) is t.Box
    assert box.len() == 2 and box.items == ["a", "b"]
    assert str(inspect.signature(t.Box)) == "(*items)"


def test_a_standard_library_constructor() -> None:
    replacer = strings.Replacer("a", "1", "b", "2")
    assert replacer.replace("abc") == "12c"
    with pytest.raises(ValueError, match="odd argument count"):
        strings.Replacer("a")


def test_defaults_in_calls_signature_and_help() -> None:
    assert t.repeat("ab") == "ab, ab"
    assert t.repeat("ab", 3) == "ab, ab, ab"
    assert t.repeat("ab", sep="-") == "ab-ab"
    assert t.repeat(s="x", times=1) == "x"
    assert str(inspect.signature(t.repeat)) == "(s, times=2, sep=', ')"
    assert t.repeat.__text_signature__ == "(s, times=2, sep=', ')"
    text = pydoc.render_doc(t.repeat, renderer=pydoc.plaintext)
    assert "repeat(s: str, times: int = 2, sep: str = ', ') -> str" in text
    with pytest.raises(TypeError, match="missing 1 required positional argument: 's'"):
        t.repeat()


def test_defaults_on_the_c_call_path() -> None:
    # scale(float64, float64) float64 is called by the C layer itself.
    assert type(t.scale) is gobridge._functions.GoFunction
    assert t.scale(2) == 20.0
    assert t.scale(x=2) == 20.0
    assert t.scale(2, 3) == 6.0
    assert t.scale(2, factor=0.5) == 1.0
    assert t.scale(factor=2, x=4) == 8.0
    assert str(inspect.signature(t.scale)) == "(x, factor=10.0)"
    # The C layer fills the defaults in itself: no Python frame runs, as
    # one would on the general path (a profile hook sees it).
    called: list[str] = []

    def profile(frame: Any, event: str, arg: object) -> None:
        if event == "call":
            called.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        t.scale(2)
        t.scale(x=2)
        t.scale(factor=3, x=1)
        assert "scale" not in called
        with pytest.raises(TypeError):
            t.scale("2")  # not converted by the C layer: the general path says why
        assert "scale" in called
    finally:
        sys.setprofile(None)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        t.scale()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        t.scale(factor=1)
    with pytest.raises(TypeError, match="got multiple values for argument 'x'"):
        t.scale(1, x=1)
    with pytest.raises(TypeError, match="takes from 1 to 2 positional arguments but 3 were given"):
        t.scale(1, 2, 3)


def test_defaults_of_methods_and_constructors() -> None:
    tally = t.Tally()
    assert tally.total == 0
    assert tally.add() == 1
    assert tally.add(5) == 6
    assert tally.add(n=2) == 8
    assert str(inspect.signature(t.Tally)) == "(start=0)"
    assert str(inspect.signature(t.Tally.add)) == "(self, n=1)"
    assert "Tally(start=0)" in pydoc.render_doc(t.Tally, renderer=pydoc.plaintext)


def test_defaults_of_aio_calls() -> None:
    async def main() -> tuple[str, str]:
        return await t.repeat.aio("a"), await t.repeat.aio("a", 3, "")

    assert asyncio.run(main()) == ("a, a", "aaa")


def test_hand_written_defaults_and_constructor() -> None:
    import gomod._handwritten as h

    assert str(inspect.signature(h.Greeter)) == "(greeting='Hello', fail=False)"
    assert h.Greeter().greet("Bob") == "Hello, Bob!"
    assert h.Greeter("Hi").greet("Al", punct="?") == "Hi, Al?"
    with pytest.raises(ValueError, match=r"Greeter\(\) got nil from .*newGreeter"):
        h.Greeter(fail=True)
    # A variadic parameter may follow one with a default.
    assert str(inspect.signature(h.total)) == "(a, b=100, *more)"
    assert h.total(1) == 101
    assert h.total(1, 2, 3, 4) == 10


def test_hand_written_value_struct_with_a_renamed_field() -> None:
    import gomod._handwritten as h

    assert str(inspect.signature(h.Point)) == "(x=0, y=0, name='')"
    assert h.negate(h.Point(1, 2, name="n")) == h.Point(-1, -2, "n")
    assert repr(h.negate({"x": 1})) == "Point(x=-1, y=0, name='')"
    assert h.Point.__doc__ == "A point."


def test_a_value_bound_before_its_class_pickles() -> None:
    import pickle

    import gomod._handwritten as h

    assert type(h.ORIGIN) is h.Point
    assert h.Point.__module__ == "gomod._handwritten"
    assert pickle.loads(pickle.dumps(h.ORIGIN)) == h.Point(name="origin")
