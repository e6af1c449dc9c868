"""Hostile input from Python: every value gives a result or a Python exception,
and the process stays healthy.

Random values (hypothesis) go through ``_testing.echo`` and through typed
parameters and are checked against a model of the conversion rules; fixed
cases cover deep nesting, cycles, huge ints, NaN and infinities, lone
surrogates, non-str dict keys and objects whose ``__index__`` or
``__float__`` raise. ``GOBRIDGE_HYPOTHESIS_EXAMPLES`` sets the number of
examples per property (default 500, which CI runs).
"""

from __future__ import annotations

import math
import os
import struct
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gomod._testing as t
from gobridge import GoError, GoPanic

EXAMPLES = int(os.environ.get("GOBRIDGE_HYPOTHESIS_EXAMPLES", "500"))
bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

INT64 = (-(2**63), 2**63 - 1)
FLOAT32_MAX = struct.unpack("f", bytes.fromhex("ffff7f7f"))[0]


def healthy() -> None:
    """The library still answers after whatever the test sent it."""
    assert t.add(2, 3) == 5
    assert t.echo(["still", "here"]) == ["still", "here"]


# --- a model of what echo gives back ------------------------------------------------


class Refused(Exception):
    """The model's verdict that Go refuses the value, with the exceptions allowed."""

    def __init__(self, *allowed: type[BaseException]) -> None:
        self.allowed = allowed


def _has_lone_surrogate(s: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def expected_echo(value: Any) -> Any:
    """What echo returns for value: sequences and sets come back as lists; a str
    with a lone surrogate is a ValueError and a dict key Go cannot hash (a
    sequence) a TypeError."""
    if isinstance(value, str):
        if _has_lone_surrogate(value):
            raise Refused(ValueError)
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, (set, frozenset)):
        return Unordered(expected_echo(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [expected_echo(v) for v in value]
    if isinstance(value, dict):
        out = {}
        refused: list[type[BaseException]] = []
        for k, v in value.items():
            try:
                if isinstance(k, (tuple, frozenset, bytes)):  # unhashable as Go values
                    raise Refused(TypeError)
                out[expected_echo(k)] = expected_echo(v)
            except Refused as r:
                refused.extend(r.allowed)
        if refused:
            raise Refused(*refused)
        return out
    return value


class Unordered(list):  # type: ignore[type-arg]
    """The list a set comes back as, in marshal's order rather than iteration order."""


def same(a: Any, b: Any) -> bool:
    """Equality that also holds for NaN and checks the types of scalars."""
    if isinstance(a, Unordered):
        return (
            isinstance(b, list) and len(a) == len(b) and all(any(same(x, y) for y in b) for x in a)
        )
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, complex) and isinstance(b, complex):
        return same(a.real, b.real) and same(a.imag, b.imag)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


# Keys Python can hash. None is left out here: a None key crashes the
# process today (test_none_dict_key_is_an_error_not_a_crash).
keys = st.one_of(
    st.integers(),
    st.text(),
    st.floats(allow_nan=False),
    st.binary(max_size=8),
    st.tuples(st.integers()),
    st.frozensets(st.integers(), max_size=3),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.complex_numbers(),
    st.text(),
    st.binary(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.frozensets(st.integers(), max_size=4),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=25,
)


@bounded
@given(values)
def test_random_values_through_echo(value):
    try:
        want = expected_echo(value)
    except Refused as refused:
        with pytest.raises(refused.allowed):
            t.echo(value)
    else:
        got = t.echo(value)
        assert same(want, got), (value, got)
    healthy()


@bounded
@given(st.lists(st.integers(min_value=-(2**70), max_value=2**70), max_size=8))
def test_random_ints_to_a_typed_slice(xs):
    if all(INT64[0] <= x <= INT64[1] for x in xs):
        total = sum(xs) & (2**64 - 1)
        assert t.sum_ints(xs) == (total - 2**64 if total >= 2**63 else total)
    else:
        with pytest.raises(OverflowError, match="sum_ints"):
            t.sum_ints(xs)


@bounded
@given(st.integers(min_value=-(2**80), max_value=2**80))
def test_random_ints_to_small_and_big_parameters(x):
    if -128 <= x <= 127:
        assert t.int8_identity(x) == x
    else:
        with pytest.raises(OverflowError, match="int8"):
            t.int8_identity(x)
    assert t.big_square(x) == x * x


@bounded
@given(st.floats())
def test_random_floats_to_float32(x):
    # Go refuses any finite value beyond the largest float32, even one that
    # rounds down to it (struct.pack accepts those).
    if math.isfinite(x) and abs(x) > FLOAT32_MAX:
        with pytest.raises(OverflowError, match="float32"):
            t.float32_identity(x)
    else:
        assert same(t.float32_identity(x), struct.unpack("f", struct.pack("f", x))[0])


@bounded
@given(st.dictionaries(st.one_of(st.text(), st.integers()), st.integers(), max_size=6))
def test_random_dicts_to_a_typed_map(d):
    # Items convert in order, so the first bad one decides the exception.
    problems: list[type[BaseException]] = []
    for k, v in d.items():
        if not isinstance(k, str):
            problems.append(TypeError)
        elif _has_lone_surrogate(k):
            problems.append(ValueError)
        elif not INT64[0] <= v <= INT64[1]:
            problems.append(OverflowError)
    if problems:
        with pytest.raises(problems[0]):
            t.map_roundtrip(d)
    else:
        assert t.map_roundtrip(d) == d


@bounded
@given(st.text(), st.lists(st.text(), max_size=5))
def test_random_text_through_variadic_parameters(sep, parts):
    if _has_lone_surrogate(sep) or any(_has_lone_surrogate(p) for p in parts):
        with pytest.raises(ValueError, match="lone surrogate"):
            t.variadic_join(sep, *parts)
    else:
        assert t.variadic_join(sep, *parts) == sep.join(parts)


# --- fixed hostile cases ----------------------------------------------------------------

DEPTH = 100_000


def _deep(kind: str) -> Any:
    if kind == "list":
        root: Any = []
        cur = root
        for _ in range(DEPTH):
            cur.append([])
            cur = cur[0]
        return root
    if kind == "dict":
        root = {}
        cur = root
        for _ in range(DEPTH):
            cur["k"] = {}
            cur = cur["k"]
        return root
    value: Any = ()
    for _ in range(DEPTH):
        value = (value,)
    return value


@pytest.mark.parametrize("kind", ["list", "dict", "tuple"])
def test_deep_nesting_is_an_error_not_a_crash(kind):
    value = _deep(kind)
    with pytest.raises((RecursionError, ValueError)):
        t.echo(value)
    if kind == "list":
        with pytest.raises((RecursionError, ValueError)):
            t.nested(value)
    healthy()


def test_nesting_within_marshal_limit_round_trips():
    # Go writes back values as deep as it reads them (just under marshal's
    # own limit), so what crosses one way crosses back.
    value: Any = "leaf"
    for _ in range(1900):
        value = [value]
    back = t.echo(value)
    depth = 0
    while isinstance(back, list):  # == would exceed Python's recursion limit
        (back,) = back
        depth += 1
    assert (depth, back) == (1900, "leaf")
    healthy()


def test_self_referencing_containers():
    cyclic_list: list[Any] = [1]
    cyclic_list.append(cyclic_list)
    cyclic_dict: dict[str, Any] = {}
    cyclic_dict["self"] = cyclic_dict
    for value in (cyclic_list, cyclic_dict, [[cyclic_list]]):
        with pytest.raises((RecursionError, ValueError)):
            t.echo(value)
    healthy()


def test_huge_ints():
    for x in (10**5000, -(10**5000), 2**64, -(2**63) - 1, 2**100_000):
        assert t.echo(x) == x
        assert t.big_square(x) == x * x
        with pytest.raises(OverflowError, match="out of range for Go int64"):
            t.sum_ints([x])
    for x in (2**64, -(2**63) - 1, 10**1000):
        with pytest.raises(OverflowError, match="out of range for Go int64"):
            t.add(x, 1)
    with pytest.raises(OverflowError):
        t.add_u8(256, 0)
    with pytest.raises(OverflowError):
        t.add_u8(-1, 0)
    healthy()


def test_nan_and_infinities():
    for x in (math.inf, -math.inf):
        assert t.echo(x) == x
        assert t.float32_identity(x) == x
        assert t.div(x, 2.0) == x
    assert math.isnan(t.echo(math.nan))
    assert math.isnan(t.float32_identity(math.nan))
    assert math.isnan(t.div(math.nan, 1.0))
    z = t.complex_conj(complex(math.nan, math.inf))
    assert math.isnan(z.real) and z.imag == -math.inf
    healthy()


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\udc80\ud800", "ok\ud83d"])
def test_lone_surrogates(text):
    for call in (
        lambda: t.echo(text),
        lambda: t.split_pair(text),
        lambda: t.nested([[text]]),
        lambda: t.variadic_join(",", "a", text),
        lambda: t.map_roundtrip({text: 1}),
        lambda: t.echo({text: 1}),
    ):
        with pytest.raises(ValueError, match="lone surrogate"):
            call()
    assert t.echo(text.encode("utf-8", "surrogatepass")) == text.encode("utf-8", "surrogatepass")
    healthy()


def test_non_str_dict_keys():
    assert t.echo({1: "a", 2.5: "b", False: "d", -(10**30): "e"}) == {
        1: "a",
        2.5: "b",
        False: "d",
        -(10**30): "e",
    }
    # Keys Go cannot hash: tuples and frozensets become slices, bytes []byte.
    for value in ({(1, 2): 3}, {frozenset({1}): 2}, {b"k": 1}):
        with pytest.raises(TypeError, match="hashable dict key"):
            t.echo(value)
    with pytest.raises(TypeError, match="key must be str"):
        t.map_roundtrip({1: 2})
    healthy()


class RaisingNumber:
    """A number whose conversions raise."""

    def __index__(self) -> int:
        raise ZeroDivisionError("__index__ raised")

    def __int__(self) -> int:
        raise ZeroDivisionError("__int__ raised")

    def __float__(self) -> float:
        raise ZeroDivisionError("__float__ raised")

    def __complex__(self) -> complex:
        raise ZeroDivisionError("__complex__ raised")


@pytest.mark.parametrize(
    "call",
    [
        lambda x: t.add(x, 1),
        lambda x: t.add_u8(1, x),
        lambda x: t.int8_identity(x),
        lambda x: t.float32_identity(x),
        lambda x: t.div(x, 1.0),
        lambda x: t.index_out_of_range(x),
        lambda x: t.sum_ints([1, x]),
        lambda x: t.array_reverse([1, 2, x]),
        lambda x: t.complex_conj(x),
        lambda x: t.big_square(x),
        lambda x: t.echo(x),
        lambda x: t.echo([x]),
        lambda x: t.map_roundtrip({"k": x}),
        lambda x: t.new_counter(0).incr(x),
    ],
)
def test_objects_whose_conversions_raise(call):
    with pytest.raises(Exception) as info:
        call(RaisingNumber())
    assert not isinstance(info.value, (GoPanic, GoError)), info.value
    assert isinstance(info.value, (TypeError, ZeroDivisionError, ValueError)), info.value
    healthy()


def test_unconvertible_objects():
    for value in (object(), [object()], {"k": object()}, {object(): 1}):
        with pytest.raises(TypeError):
            t.echo(value)
    # A callable becomes a Go function, which cannot be returned to Python.
    with pytest.raises(TypeError, match="cannot return the result"):
        t.echo(lambda: 1)
    with pytest.raises(TypeError):
        t.sum_ints("123")
    with pytest.raises(TypeError):
        t.bytes_copy("not bytes")
    healthy()


def test_none_dict_key_is_an_error_not_a_crash(child):
    proc = child(
        """
        import gomod._testing as t
        for value in ({None: 1}, [{None: 1}], {"k": {None: 2}}):
            try:
                print(repr(t.echo(value)))
            except Exception as exc:
                print(type(exc).__name__)
        print(t.add(1, 2))
        """
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.splitlines()[-1] == "3"


def test_overflow_message_of_a_huge_int_on_the_fast_path():
    with pytest.raises(OverflowError, match="out of range for Go int64"):
        t.add(10**5000, 1)
