"""The conversion table of go/internal/convert, through every call path.

go/internal/convert/testdata/conversions.json lists boundary values of every
Go kind and what converting each must give; the Go tests check the
converter with it. These send the same values through each way an argument
reaches Go, since each has checks of its own (the scalar fast path range-
checks in C and Go, the others in the converter): a scalar call, a call
that cannot take the fast path, an awaited call (``.aio``), an item of a
list, a value of a dict, a method argument and a callable's result.
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any, Callable

import pytest

import gomod._testing as t

TABLE = Path(__file__).resolve().parent.parent / "go/internal/convert/testdata/conversions.json"
CASES = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]

# Which function of gomod._testing echoes a value of each Go kind.
FUNCTION_SUFFIX = {
    "int": "int",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "uint": "uint",
    "uint8": "uint8",
    "uint16": "uint16",
    "uint32": "uint32",
    "uint64": "uint64",
    "uintptr": "uintptr",
    "float32": "float32",
    "float64": "float64",
    "complex64": "complex64",
    "complex128": "complex128",
    "bool": "bool",
    "string": "string",
}


def python_value(v: dict[str, Any]) -> Any:
    """The Python value a table value stands for."""
    ((tag, x),) = v.items()
    if tag == "int":
        return int(x)
    if tag == "float":
        return float(x)
    if tag == "complex":
        return complex(float(x[0]), float(x[1]))
    if tag == "str":
        return x
    if tag == "codepoints":
        return "".join(map(chr, x))
    if tag == "bytes":
        return bytes.fromhex(x)
    if tag == "bool":
        return bool(x)
    if tag == "none":
        return None
    raise AssertionError(f"unknown table value {v}")


def same(got: Any, want: Any) -> bool:
    """Equal as Python values of the same type, NaN equal to NaN."""
    if type(got) is not type(want):
        return False
    if isinstance(got, float):
        return got == want or (math.isnan(got) and math.isnan(want))
    if isinstance(got, complex):
        return same(got.real, want.real) and same(got.imag, want.imag)
    return bool(got == want)


def result_type(case: dict[str, Any]) -> type:
    """The Python type a Go value of the case's kind comes back as."""
    kind = case["type"]
    if kind.startswith(("int", "uint")):
        return int
    if kind.startswith("float"):
        return float
    if kind.startswith("complex"):
        return complex
    return {"bool": bool, "string": str}[kind]


def scalar(kind: str, value: Any) -> Any:
    return getattr(t, f"echo_{kind}")(value)


def general(kind: str, value: Any) -> Any:
    return getattr(t, f"echo_{kind}_labelled")(value, "label")


def awaited(kind: str, value: Any) -> Any:
    return asyncio.run(getattr(t, f"echo_{kind}").aio(value))


def in_list(kind: str, value: Any) -> Any:
    (got,) = getattr(t, f"echo_{kind}_list")([value])
    return got


def in_dict(kind: str, value: Any) -> Any:
    got = getattr(t, f"echo_{kind}_dict")({"k": value})
    assert list(got) == ["k"]
    return got["k"]


def method(kind: str, value: Any) -> Any:
    return getattr(t.new_kinds(), f"echo_{kind}")(value)


def callable_result(kind: str, value: Any) -> Any:
    return getattr(t, f"echo_{kind}_result")(lambda: value)


PATHS: dict[str, Callable[[str, Any], Any]] = {
    "scalar": scalar,
    "general": general,
    "aio": awaited,
    "list": in_list,
    "dict": in_dict,
    "method": method,
    "callable_result": callable_result,
}

# Raw marshal data is for the Go tests only: Python never writes it.
PY_CASES = [c for c in CASES if "marshal" not in c["value"]]


def case_id(case: dict[str, Any]) -> str:
    ((tag, x),) = case["value"].items()
    return f"{case['type']}-{tag}-{x}-{case.get('note', '')}".replace(" ", "_")


def test_table_covers_every_kind() -> None:
    assert {c["type"] for c in CASES} == set(FUNCTION_SUFFIX)
    assert any("marshal" in c["value"] for c in CASES)
    for kind in FUNCTION_SUFFIX:
        wants = {c["want"] for c in CASES if c["type"] == kind}
        assert "ok" in wants and "TypeError" in wants, kind


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case", PY_CASES, ids=case_id)
def test_conversion(case: dict[str, Any], path: str) -> None:
    kind = FUNCTION_SUFFIX[case["type"]]
    value = python_value(case["value"])
    call = PATHS[path]
    if case["want"] == "ok":
        want = python_value(case.get("out", case["value"]))
        got = call(kind, value)
        want = result_type(case)(want)
        assert same(got, want), f"{case['type']} {value!r} via {path}: got {got!r}, want {want!r}"
        return
    expected = {"OverflowError": OverflowError, "TypeError": TypeError, "ValueError": ValueError}
    with pytest.raises(expected[case["want"]]) as info:
        call(kind, value)
    # The exact class, not a subclass that happens to match (such as a
    # UnicodeError for a ValueError), and a message that says something.
    assert type(info.value) is expected[case["want"]], repr(info.value)
    assert str(info.value)
