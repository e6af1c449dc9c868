"""Values across the boundary, through gomod._testing and the shipped modules."""

from __future__ import annotations

import array
import collections
import collections.abc
import inspect
import math
import os
import struct
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gomod._testing as t
import gomod.crypto.sha256 as sha256
import gomod.math.bits as bits
import gomod.strings as strings

SETTINGS = settings(max_examples=50, deadline=None)
# str without lone surrogates: what a Go string can hold.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)


# --- None, bool, int ----------------------------------------------------------


def test_none():
    assert t.echo(None) is None
    assert t.no_result() is None


def test_bool():
    assert t.negate(True) is False
    assert t.negate(False) is True
    assert t.echo(True) is True


@pytest.mark.parametrize("value", [0, 1, True, None, "true", 1.0])
def test_bool_parameter_takes_only_bool(value):
    if isinstance(value, bool):
        assert t.negate(value) is (not value)
        return
    with pytest.raises(TypeError) as info:
        t.negate(value)
    assert "'b'" in str(info.value)
    assert "Go bool" in str(info.value)


@given(INT64, INT64)
@SETTINGS
def test_int64_add_wraps_like_go(a, b):
    expected = (a + b + 2**63) % 2**64 - 2**63
    assert t.add(a, b) == expected


def test_int_bounds():
    assert t.int8_identity(-128) == -128
    assert t.int8_identity(127) == 127
    assert t.add_u8(255, 0) == 255
    assert t.add_u8(200, 100) == 44  # Go's uint8 arithmetic wraps
    assert t.add(2**63 - 1, 0) == 2**63 - 1
    assert t.add(-(2**63), 0) == -(2**63)
    assert t.max_uint64() == 2**64 - 1
    assert bits.ones_count64(2**64 - 1) == 64


@pytest.mark.parametrize(
    ("fn", "args", "param", "go_type"),
    [
        (t.int8_identity, (128,), "v", "int8"),
        (t.int8_identity, (-129,), "v", "int8"),
        (t.int8_identity, (2**64,), "v", "int8"),
        (t.add_u8, (-1, 0), "a", "uint8"),
        (t.add_u8, (0, 256), "b", "uint8"),
        (t.add, (2**63, 0), "a", "int64"),
        (t.add, (0, -(2**63) - 1), "b", "int64"),
        (t.add, (2**64, 0), "a", "int64"),
        (t.add, (2**100, 0), "a", "int64"),
        (t.add, (-(2**100), 0), "a", "int64"),
        (bits.ones_count64, (-1,), "x", "uint64"),
        (bits.ones_count64, (2**64,), "x", "uint64"),
        (bits.rotate_left64, (-5, 1), "x", "uint64"),
        (bits.rotate_left64, (1, 2**63), "k", "int"),
        (t.index_out_of_range, (2**63,), "i", "int"),
        (t.sleep_ms, (2**70,), "ms", "int"),
        (strings.repeat, ("a", 2**64), "count", "int"),
    ],
)
def test_out_of_range_int_raises_overflow(fn, args, param, go_type):
    with pytest.raises(OverflowError) as info:
        fn(*args)
    message = str(info.value)
    assert f"'{param}'" in message
    assert f"Go {go_type}" in message


# Every sized unsigned parameter of math.bits: one past the top and -1.
SIZED = [
    (name, size)
    for size in (8, 16, 32, 64)
    for name in (
        f"ones_count{size}",
        f"leading_zeros{size}",
        f"trailing_zeros{size}",
        f"len{size}",
        f"reverse{size}",
    )
]


@pytest.mark.parametrize(("name", "size"), SIZED)
@pytest.mark.parametrize("past", ["top", "negative"])
def test_sized_unsigned_parameters_refuse_out_of_range(name, size, past):
    fn = getattr(bits, name)
    assert fn(2**size - 1) is not None
    value = 2**size if past == "top" else -1
    with pytest.raises(OverflowError) as info:
        fn(value)
    assert "'x'" in str(info.value)
    assert f"Go uint{size}" in str(info.value)


@given(st.integers(min_value=-(2**300), max_value=2**300))
@SETTINGS
def test_big_int_round_trip(x):
    assert t.big_square(x) == x * x
    assert t.echo(x) == x


def test_int_subclass_and_index_objects():
    class MyInt(int):
        pass

    assert t.add(MyInt(2), 3) == 5
    assert bits.ones_count64(MyInt(7)) == 3


# --- float, complex -----------------------------------------------------------


def test_float_parameters_accept_int():
    assert t.div(1, 2) == 0.5
    assert t.div(7, 2.0) == 3.5
    assert t.float32_identity(1) == 1.0


def test_float32_rounds_and_overflows():
    assert t.float32_identity(0.1) == struct.unpack("f", struct.pack("f", 0.1))[0]
    assert t.float32_identity(float("inf")) == float("inf")
    assert math.isnan(t.float32_identity(float("nan")))
    for value in (1e39, -1e39, 3.5e38):
        with pytest.raises(OverflowError) as info:
            t.float32_identity(value)
        assert "'v'" in str(info.value)
        assert "float32" in str(info.value)


@given(st.floats(allow_nan=False))
@SETTINGS
def test_float_round_trip(x):
    assert t.echo(x) == x
    if x != 0:
        assert t.div(x, 1) == x


def test_complex():
    assert t.complex_conj(1 + 2j) == 1 - 2j
    assert t.complex_conj(3) == 3 - 0j
    assert t.echo(2.5 - 1j) == 2.5 - 1j
    with pytest.raises(TypeError) as info:
        t.complex_conj("1+2j")
    assert "'c'" in str(info.value) and "complex128" in str(info.value)


# --- str ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ascii",
        "héllo wörld",
        "日本語テキスト",
        "emoji 😀👍🏽🏳️‍🌈",
        "nul\x00inside",
        "\U0010ffff",
    ],
)
def test_str_round_trip(text):
    assert t.echo(text) == text
    assert t.split_pair(text + "," + text) == (text, text)
    assert strings.repeat(text, 3) == text * 3
    assert strings.clone(text) == text


@given(TEXT)
@SETTINGS
def test_str_round_trip_any_text(text):
    assert t.echo(text) == text
    assert strings.clone(text) == text
    assert t.variadic_join("", text) == text


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda s: t.echo(s), "v"),
        (lambda s: t.split_pair(s), "s"),
        (lambda s: t.echo([s]), "v"),
        (lambda s: t.map_roundtrip({s: 1}), "m"),
        (lambda s: strings.join([s], ""), "elems"),
        (lambda s: strings.to_upper(s), "s"),
        (lambda s: strings.contains(s, "a"), "s"),
        (lambda s: strings.repeat(s, 2), "s"),
        (lambda s: strings.split("a", s), "sep"),
    ],
)
@pytest.mark.parametrize("surrogate", ["\ud800", "a\udc80b", "\ud83d"])
def test_lone_surrogate_is_a_value_error(call, param, surrogate):
    with pytest.raises(ValueError) as info:
        call(surrogate)
    message = str(info.value)
    assert "surrogate" in message
    assert f"'{param}'" in message


def test_invalid_utf8_from_go():
    with pytest.raises(UnicodeDecodeError) as info:
        t.invalid_utf8()
    assert info.value.object == b"\xff"
    assert info.value.encoding == "utf-8"
    assert "invalid_utf8" in str(info.value)
    assert t.echo("still fine") == "still fine"


@pytest.mark.parametrize(
    ("fn", "args", "param", "go_type", "got"),
    [
        (strings.to_upper, (b"x",), "s", "string", "bytes"),
        (strings.to_upper, (None,), "s", "string", "NoneType"),
        (strings.to_upper, (1,), "s", "string", "int"),
        (strings.repeat, ("a", "3"), "count", "int", "str"),
        (strings.repeat, ("a", 1.5), "count", "int", "float"),
        (strings.join, ("ab", "-"), "elems", "[]string", "str"),
        (t.add, ("1", 2), "a", "int64", "str"),
        (t.add, (1, 2.0), "b", "int64", "float"),
        (t.div, (1, "2"), "b", "float64", "str"),
        (t.float32_identity, ("x",), "v", "float32", "str"),
        (t.sum_ints, (5,), "xs", "[]int64", "int"),
        (t.bytes_copy, ("ab",), "b", "[]uint8", "str"),
        (t.borrowed_len, ("ab",), "b", "py.Bytes", "str"),
        (t.borrowed_len, (3,), "b", "py.Bytes", "int"),
        (t.map_roundtrip, ([1],), "m", "map[string]int64", "list"),
        (t.nested, ("ab",), "v", "[][]string", "str"),
        (bits.ones_count64, ("1",), "x", "uint64", "str"),
        (bits.ones_count64, (1.0,), "x", "uint64", "float"),
        (bits.rotate_left64, (1, None), "k", "int", "NoneType"),
        (sha256.sum256, ("abc",), "data", "py.Bytes", "str"),
    ],
)
def test_wrong_type_names_parameter_and_go_type(fn, args, param, go_type, got):
    with pytest.raises(TypeError) as info:
        fn(*args)
    message = str(info.value)
    assert f"'{param}'" in message
    assert f"Go {go_type}" in message or f"Go convert.{go_type}" in message
    assert got in message
    assert fn.__name__ in message


def test_wrong_element_type_names_the_position():
    with pytest.raises(TypeError) as info:
        t.sum_ints([1, "x"])
    assert "'xs'[1]" in str(info.value) and "int64" in str(info.value)
    with pytest.raises(TypeError) as info:
        t.nested([["a", 1]])
    assert "'v'[0][1]" in str(info.value)
    with pytest.raises(OverflowError) as info:
        t.sum_ints([0, 2**64])
    assert "'xs'[1]" in str(info.value)


def test_unconvertible_object_is_a_type_error():
    with pytest.raises(TypeError) as info:
        t.echo(object())
    assert "'v'" in str(info.value)


# --- bytes and buffers --------------------------------------------------------


@pytest.mark.parametrize("make", [bytes, bytearray, memoryview, lambda b: array.array("B", b)])
def test_bytes_in_bytes_out(make):
    data = bytes(range(256)) * 3
    out = t.bytes_copy(make(data))
    assert type(out) is bytes
    assert out == data


def test_empty_and_large_bytes():
    assert t.bytes_copy(b"") == b""
    data = os.urandom(1 << 20)
    assert t.bytes_copy(data) == data
    assert t.echo(data) == data


@pytest.mark.parametrize(
    "buffer",
    [
        b"abcde",
        bytearray(b"abcde"),
        memoryview(b"abcde"),
        memoryview(bytearray(b"xxabcdexx"))[2:7],
        array.array("B", b"abcde"),
        b"",
    ],
    ids=["bytes", "bytearray", "memoryview", "memoryview-slice", "array", "empty"],
)
def test_borrowed_bytes_accept_contiguous_buffers(buffer):
    assert t.borrowed_len(buffer) == len(bytes(buffer))


def test_borrowed_bytes_read_the_buffer_in_place():
    data = bytearray(os.urandom(4096))
    view = memoryview(data)[100:200]
    import hashlib

    assert sha256.sum256(view) == hashlib.sha256(data[100:200]).digest()
    data[150] ^= 0xFF
    assert sha256.sum256(view) == hashlib.sha256(data[100:200]).digest()


def test_borrowed_bytes_refuse_non_contiguous_views():
    with pytest.raises((BufferError, TypeError, ValueError)):
        t.borrowed_len(memoryview(b"abcdef")[::2])
    assert t.borrowed_len(b"ok") == 2


def test_borrowed_bytes_keyword():
    assert t.borrowed_len(b=b"abc") == 3


# --- sequences and maps -------------------------------------------------------


@given(st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=50))
@SETTINGS
def test_list_and_tuple_to_slice(xs):
    assert t.sum_ints(xs) == sum(xs)
    assert t.sum_ints(tuple(xs)) == sum(xs)


def test_slices_come_back_as_lists():
    assert strings.split("a,b,,c", ",") == ["a", "b", "", "c"]
    assert strings.split("", ",") == [""]
    assert t.nested([["a"], ["b", "c"], []]) == [["a"], ["b", "c"], []]
    assert t.nested([]) == []
    assert t.nested((("x",),)) == [["x"]]


def test_fixed_size_array():
    assert t.array_reverse([1, 2, 3]) == [3, 2, 1]
    assert t.array_reverse((1, 2, 3)) == [3, 2, 1]
    for wrong in ([1, 2], [1, 2, 3, 4]):
        with pytest.raises(ValueError) as info:
            t.array_reverse(wrong)
        assert "'a'" in str(info.value) and "[3]int" in str(info.value)


@given(st.dictionaries(TEXT, INT64, max_size=20))
@SETTINGS
def test_dict_to_map_and_back(m):
    assert t.map_roundtrip(m) == m


def test_map_errors():
    with pytest.raises(TypeError) as info:
        t.map_roundtrip({1: 1})
    assert "'m'" in str(info.value) and "key" in str(info.value) and "str" in str(info.value)
    with pytest.raises(TypeError) as info:
        t.map_roundtrip({b"k": 1})
    assert "'m'" in str(info.value)
    with pytest.raises(TypeError) as info:
        t.map_roundtrip({"a": "b"})
    assert "'m'" in str(info.value) and "int64" in str(info.value)
    with pytest.raises(OverflowError):
        t.map_roundtrip({"a": 2**64})


def test_nested_any_values():
    value = [1, "a", b"x", {"k": 1.5, "n": None}, None, True, [2**70, -3], 3j, [[[]]]]
    assert t.echo(value) == value
    assert t.echo({"a": {"b": {"c": [1, 2]}}}) == {"a": {"b": {"c": [1, 2]}}}


# --- results ------------------------------------------------------------------


def test_multiple_results_are_a_tuple():
    assert t.multi() == (1, "two", True)
    assert type(t.multi()) is tuple
    assert t.split_pair("a,b,c") == ("a", "b,c")
    assert strings.cut("key=value", "=") == ("key", "value", True)


def test_result_and_nil_error():
    assert t.div(6, 3) == 2.0
    assert t.fail_with("none") is None


# --- calling conventions ------------------------------------------------------


def test_keyword_arguments_by_go_parameter_name():
    assert t.add(a=1, b=2) == 3
    assert t.add(1, b=2) == 3
    assert t.add(b=1, a=5) == 6
    assert strings.replace_all(s="aXbX", old="X", new="-") == "a-b-"
    assert strings.split(sep=",", s="a,b") == ["a", "b"]
    assert bits.rotate_left64(k=4, x=1) == 16
    assert bits.ones_count64(x=255) == 8
    assert t.div(b=4, a=2) == 0.5


@pytest.mark.parametrize(
    "call",
    [
        lambda: t.add(1),
        lambda: t.add(1, 2, 3),
        lambda: t.add(1, c=2),
        lambda: t.add(1, a=2),
        lambda: t.no_result(1),
        lambda: strings.to_upper(),
        lambda: strings.to_upper("a", "b"),
        lambda: strings.replace_all("a", "b"),
        lambda: bits.ones_count64(),
        lambda: bits.ones_count64(1, 2),
        lambda: bits.rotate_left64(1),
        lambda: sha256.sum256(b"", b""),
        lambda: t.variadic_join(),
        lambda: t.variadic_join(sep="-", parts=["a"]),
    ],
)
def test_wrong_arity_is_a_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_variadic():
    assert t.variadic_join("-", "a", "b", "c") == "a-b-c"
    assert t.variadic_join("-") == ""
    assert t.variadic_join(", ", *["x"] * 100) == ", ".join(["x"] * 100)
    assert t.variadic_join(sep="+") == ""
    with pytest.raises(TypeError) as info:
        t.variadic_join("-", "a", 1)
    assert "parts" in str(info.value) and "string" in str(info.value)


def test_signatures_show_go_parameter_names():
    assert list(inspect.signature(t.add).parameters) == ["a", "b"]
    assert list(inspect.signature(strings.replace_all).parameters) == ["s", "old", "new"]
    assert list(inspect.signature(bits.rotate_left64).parameters) == ["x", "k"]
    assert list(inspect.signature(sha256.sum256).parameters) == ["data"]
    sig = inspect.signature(t.variadic_join)
    assert list(sig.parameters) == ["sep", "parts"]
    assert sig.parameters["parts"].kind is inspect.Parameter.VAR_POSITIONAL
    sig = inspect.signature(strings.new_replacer)
    assert sig.parameters["oldnew"].kind is inspect.Parameter.VAR_POSITIONAL
    assert str(inspect.signature(t.no_result)) == "()"


class _Squares(collections.abc.Sequence):
    """A user's own sequence, known only through the ABC."""

    def __len__(self) -> int:
        return 3

    def __getitem__(self, i):
        if not 0 <= i < 3:
            raise IndexError(i)
        return i * i


@pytest.mark.parametrize(
    "value",
    [[0, 1, 4], (0, 1, 4), range(0, 5, 2), collections.deque([0, 1, 4]), _Squares()],
    ids=["list", "tuple", "range", "deque", "user-sequence"],
)
def test_a_slice_parameter_takes_any_sequence(value):
    # The stubs say Sequence[int]: every sequence must cross.
    assert t.echo_int_list(value) == list(value)
    assert t.echo_int_list._general(value) == list(value)


@pytest.mark.parametrize(
    "value", [iter([1]), (x for x in [1]), {1}], ids=["iterator", "generator", "set"]
)
def test_a_slice_parameter_refuses_what_is_not_a_sequence(value):
    with pytest.raises(TypeError, match=r"argument 'xs' must be list\[int\]"):
        t.echo_int_list(value)


@pytest.mark.parametrize(
    "value",
    [{"a": 1}, types.MappingProxyType({"a": 1}), collections.OrderedDict(a=1)],
    ids=["dict", "mappingproxy", "ordereddict"],
)
def test_a_map_parameter_takes_any_mapping(value):
    # The stubs say Mapping[str, int].
    assert t.echo_int_dict(value) == {"a": 1}
