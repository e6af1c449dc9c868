"""Positions within a str count code points, as Python's own str and re do;
positions within bytes count bytes.

Go counts UTF-8 bytes. The shipped index functions and methods, and a
function of the private test module declared with py.Positions, are
compared with str.find, str.rfind and re over many strings, ASCII and not,
on the C layer's frame path and on the general path.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gomod._testing as t
import gomod.regexp as goregexp
import gomod.strings as gostrings
from gobridge._functions import general_path

# Characters of every UTF-8 length, and no lone surrogate (which has no
# UTF-8 and which Go cannot receive).
ALPHABET = "ab xyz.é€日𝄞😀"
text = st.text(alphabet=ALPHABET, max_size=40) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20
)
needle = st.text(alphabet=ALPHABET, max_size=3)

Regexp = type(goregexp.compile("a"))


def both_paths(fn: Callable[..., Any]) -> list[Callable[..., Any]]:
    """fn itself (the frame path, where it has one) and its general path."""
    return [fn, general_path(fn)]


def method_paths(name: str) -> list[Callable[..., Any]]:
    """A Regexp method as called on an object and through its general path."""
    method = getattr(Regexp, name)
    return [method, general_path(method)]


# ---- strings ---------------------------------------------------------------


def test_the_issue_example() -> None:
    assert gostrings.index("aaéb", "b") == "aaéb".index("b") == 3
    loc = goregexp.compile("(é)(b)").find_string_index("aaéb")
    assert loc == [2, 4]
    assert "aaéb"[loc[0] : loc[1]] == "éb"


@settings(max_examples=300, deadline=None)
@given(text, needle)
def test_index_and_last_index_agree_with_find(s: str, sub: str) -> None:
    for index in both_paths(gostrings.index):
        assert index(s, sub) == s.find(sub)
    for last_index in both_paths(gostrings.last_index):
        assert last_index(s, sub) == s.rfind(sub)
    assert gostrings.index(s=s, substr=sub) == s.find(sub)


def first_of(s: str, chars: str) -> int:
    return min((i for i, c in enumerate(s) if c in chars), default=-1)


def last_of(s: str, chars: str) -> int:
    return max((i for i, c in enumerate(s) if c in chars), default=-1)


@settings(max_examples=300, deadline=None)
@given(text, needle)
def test_index_any_agrees_with_python(s: str, chars: str) -> None:
    for index_any in both_paths(gostrings.index_any):
        assert index_any(s, chars) == first_of(s, chars)
    for last_index_any in both_paths(gostrings.last_index_any):
        assert last_index_any(s, chars) == last_of(s, chars)


@settings(max_examples=300, deadline=None)
@given(text, st.sampled_from(ALPHABET))
def test_index_rune_agrees_with_find(s: str, c: str) -> None:
    for index_rune in both_paths(gostrings.index_rune):
        assert index_rune(s, ord(c)) == s.find(c)


def containing_character(s: str, byte_offset: int) -> int:
    """The index of the character whose UTF-8 holds byte byte_offset."""
    if byte_offset < 0:
        return -1
    return len(s.encode()[:byte_offset].decode(errors="ignore"))


@settings(max_examples=300, deadline=None)
@given(text, st.integers(0, 255))
def test_index_byte_counts_characters(s: str, c: int) -> None:
    data = s.encode()
    for index_byte in both_paths(gostrings.index_byte):
        assert index_byte(s, c) == containing_character(s, data.find(bytes([c])))
    for last_index_byte in both_paths(gostrings.last_index_byte):
        assert last_index_byte(s, c) == containing_character(s, data.rfind(bytes([c])))
    if c < 0x80:
        assert gostrings.index_byte(s, c) == s.find(chr(c))


@pytest.mark.parametrize(
    ("s", "sub", "want"),
    [
        ("", "", 0),
        ("", "a", -1),
        ("é", "", 0),
        ("abc", "c", 2),  # ASCII: bytes and code points agree
        ("é", "é", 0),
        ("aé€𝄞b", "b", 4),  # 2, 3 and 4-byte characters before the match
        ("x" * 20 + "é" + "x" * 20 + "!", "!", 41),  # ASCII words around a character
        ("€€€", "z", -1),
    ],
)
def test_index_cases(s: str, sub: str, want: int) -> None:
    assert s.find(sub) == want
    for index in both_paths(gostrings.index):
        assert index(s, sub) == want


def test_str_parameters_refuse_bytes() -> None:
    # A str parameter takes str only, so a position is never counted in
    # bytes that Python passed as bytes.
    with pytest.raises(TypeError, match="argument 's' must be str"):
        gostrings.index(b"a\xc3\xa9b", b"b")  # type: ignore[arg-type]


def test_docstrings_say_positions_count_code_points() -> None:
    for fn in (
        gostrings.index,
        gostrings.index_any,
        gostrings.index_byte,
        gostrings.index_rune,
        gostrings.last_index,
        gostrings.last_index_any,
        gostrings.last_index_byte,
        Regexp.find_string_index,
        Regexp.find_string_submatch_index,
        Regexp.find_all_string_index,
        Regexp.find_all_string_submatch_index,
    ):
        assert "Positions in s count code points" in (fn.__doc__ or ""), fn
    assert "Positions in src count code points" in (Regexp.expand_string.__doc__ or "")
    for fn in (
        Regexp.find_index,
        Regexp.find_submatch_index,
        Regexp.find_all_index,
        gostrings.count,
    ):
        assert "Positions in" not in (fn.__doc__ or ""), fn
    for module in (gostrings, goregexp):
        assert "positions within a str argument count code points" in (module.__doc__ or "")


# ---- regexp ----------------------------------------------------------------

# Patterns that RE2 and Python's re read alike and that never match the
# empty string, where the two differ in the All forms.
PATTERNS = [
    "é",
    "b",
    "[é€a]+",
    "(é)(x)?(b)",
    "(a|日)+(𝄞)?",
    "[^ ]+",
    ".€",
    "(?:x|(y))z",
    "😀+",
]


def spans(m: re.Match[Any]) -> list[int]:
    return [i for g in range(len(m.groups()) + 1) for i in m.span(g)]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), text)
def test_regexp_index_methods_agree_with_re(pattern: str, s: str) -> None:
    go, py = goregexp.compile(pattern), re.compile(pattern)
    m = py.search(s)
    found = [] if m is None else list(m.span())
    every = [list(x.span()) for x in py.finditer(s)]
    every_groups = [spans(x) for x in py.finditer(s)]
    for find in method_paths("find_string_index"):
        assert find(go, s) == found
    for find in method_paths("find_string_submatch_index"):
        assert find(go, s) == ([] if m is None else spans(m))
    for find in method_paths("find_all_string_index"):
        assert find(go, s, -1) == every
    for find in method_paths("find_all_string_submatch_index"):
        assert find(go, s, -1) == every_groups
    assert go.find_all_string_index(s, 1) == every[:1]
    if m is not None:
        assert s[found[0] : found[1]] == m.group()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), text)
def test_regexp_bytes_methods_keep_byte_offsets(pattern: str, s: str) -> None:
    # Go matches bytes as UTF-8 text, so the reference is re on the str,
    # with its positions turned into byte offsets.
    go, py = goregexp.compile(pattern), re.compile(pattern)
    data = s.encode()

    def in_bytes(positions: list[int]) -> list[int]:
        return [-1 if i < 0 else len(s[:i].encode()) for i in positions]

    m = py.search(s)
    for find in method_paths("find_index"):
        assert find(go, data) == ([] if m is None else in_bytes(list(m.span())))
    for find in method_paths("find_submatch_index"):
        assert find(go, data) == ([] if m is None else in_bytes(spans(m)))
    for find in method_paths("find_all_index"):
        assert find(go, data, -1) == [in_bytes(list(x.span())) for x in py.finditer(s)]
    for find in method_paths("find_all_submatch_index"):
        assert find(go, data, -1) == [in_bytes(spans(x)) for x in py.finditer(s)]
    if m is not None:
        start, end = in_bytes(list(m.span()))
        assert data[start:end] == m.group().encode()


@settings(max_examples=200, deadline=None)
@given(text)
def test_expand_string_takes_code_point_positions(s: str) -> None:
    go, py = goregexp.compile("(é)(x)?([b€])"), re.compile("(é)(x)?([b€])")
    m = py.search(s)
    if m is None:
        return
    match = go.find_string_submatch_index(s)
    assert match == spans(m)
    for expand in method_paths("expand_string"):
        got = expand(go, b"", "<$1|$2|$3>", s, match)
        assert got.decode() == m.expand(r"<\1|\2|\3>")


def test_expand_string_refuses_positions_beyond_the_end() -> None:
    go = goregexp.compile("(é)")
    for expand in method_paths("expand_string"):
        with pytest.raises(
            ValueError, match=r"match\[1\]=3 is beyond the end of src, whose length is 2"
        ):
            expand(go, b"", "$1", "éa", [0, 3, 0, 1])


# ---- the authoring option: py.Positions in the private test module ----------


@settings(max_examples=200, deadline=None)
@given(text, st.data())
def test_position_parameters(s: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(s)))
    end = data.draw(st.integers(start, len(s)))
    for slice_ in both_paths(t.slice):
        assert slice_(s, start, end) == s[start:end]
    for index_from in both_paths(t.index_from):
        assert index_from(s, "é", start) == s.find("é", start)


@pytest.mark.parametrize("fn", both_paths(t.slice))
def test_position_parameters_beyond_the_end_raise_value_error(fn: Callable[..., Any]) -> None:
    with pytest.raises(
        ValueError, match=r"slice\(\): end=4 is beyond the end of s, whose length is 3"
    ):
        fn("é€𝄞", 0, 4)
    assert fn("é€𝄞", 0, 3) == "é€𝄞"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="a é€日𝄞", max_size=30))
def test_nested_position_results(s: str) -> None:
    want = [list(m.span()) for m in re.finditer("[^ ]+", s)]
    for word_spans in both_paths(t.word_spans):
        # The count, result 1, is not declared a position: it stays as is.
        assert word_spans(s) == (want, len(want))


def test_positions_of_a_method() -> None:
    splitter = t.new_splitter("€")
    s = "a€bé€€c"
    want = [i for i, c in enumerate(s) if c == "€"]
    assert want == [1, 4, 5]
    for cuts in both_paths(type(splitter).cuts):
        assert cuts(splitter, s) == want
    assert splitter.cuts("") == []
    assert "Positions in s count code points" in (type(splitter).cuts.__doc__ or "")
