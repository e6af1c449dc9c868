"""Value structs: Go structs with exported fields and no methods cross by value."""

from __future__ import annotations

import copy
import inspect
import pickle
import pydoc

import pytest

import gomod._testing as t


def test_built_from_keywords_positions_or_nothing() -> None:
    assert repr(t.Vec(x=1, y=2)) == "Vec(x=1.0, y=2.0)"
    assert repr(t.Vec(3, 4)) == "Vec(x=3.0, y=4.0)"
    # A field left out is Go's zero value.
    assert repr(t.Vec()) == "Vec(x=0.0, y=0.0)"
    assert repr(t.Vec(y=5)) == "Vec(x=0.0, y=5.0)"
    assert str(inspect.signature(t.Vec)) == "(x=0.0, y=0.0)"


def test_fields_are_attributes() -> None:
    v = t.Vec(1, 2)
    assert (v.x, v.y) == (1.0, 2.0)
    assert type(v.x) is float
    v.x = 7
    assert t.mid(v, t.Vec()) == t.Vec(3.5, 1.0)
    with pytest.raises(AttributeError):
        v.z = 1  # type: ignore[attr-defined]


def test_passed_as_instances_or_dicts_and_returned_as_instances() -> None:
    mid = t.mid(t.Vec(1, 2), {"x": 3, "y": 4})
    assert type(mid) is t.Vec
    assert mid == t.Vec(2, 3)
    assert t.mid({}, {"x": 2}) == t.Vec(1, 0)


def test_nested_value_structs_and_pointers() -> None:
    s = t.Segment(a=t.Vec(0, 0), b={"x": 3, "y": 4}, label="s", tags=("p", "q"))
    # The constructor converts what it is given, as Go sees it.
    assert s.b == t.Vec(3, 4)
    assert s.tags == ["p", "q"]
    assert t.length(s) == 5.0
    assert t.length({"b": {"x": 3, "y": 4}}) == 5.0
    flipped = t.flip(s)
    assert flipped == t.Segment(a=t.Vec(3, 4), b=t.Vec(0, 0), label="s", tags=["p", "q"])
    assert t.flip(None) is None
    assert (
        repr(t.Segment()) == "Segment(a=Vec(x=0.0, y=0.0), b=Vec(x=0.0, y=0.0), label='', tags=[])"
    )


def test_equality_is_field_wise_and_instances_are_not_hashable() -> None:
    assert t.Vec(1, 2) == t.Vec(1.0, 2.0)
    assert t.Vec(1, 2) != t.Vec(2, 1)
    assert t.Vec(1, 2) != (1.0, 2.0)
    assert t.Vec(1, 2) != {"x": 1.0, "y": 2.0}
    with pytest.raises(TypeError, match="unhashable"):
        hash(t.Vec())


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_and_copy_by_value(protocol: int) -> None:
    s = t.Segment(a=t.Vec(1, 2), b=t.Vec(3, 4), label="x", tags=["a"])
    again = pickle.loads(pickle.dumps(s, protocol))
    assert again == s and again is not s
    assert type(again.a) is t.Vec
    assert copy.copy(s) == s
    deep = copy.deepcopy(s)
    assert deep == s and deep.tags is not s.tags


def test_a_wrong_field_type_names_the_field() -> None:
    with pytest.raises(
        TypeError, match=r"Vec\(\) argument 'x' must be float \(Go float64\), not str"
    ):
        t.Vec(x="1")
    with pytest.raises(
        TypeError, match=r"mid\(\) argument 'a'\.x must be float \(Go float64\), not str"
    ):
        t.mid({"x": "1"}, t.Vec())
    with pytest.raises(TypeError, match=r"length\(\) argument 's'\.a\.y must be float"):
        t.length({"a": {"y": None}})
    # An attribute set to a wrong type is caught when Go gets the value.
    v = t.Vec()
    v.y = "no"
    with pytest.raises(TypeError, match=r"argument 'b'\.y must be float"):
        t.mid(t.Vec(), v)


def test_unknown_fields_are_type_errors() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        t.Vec(z=1)
    with pytest.raises(TypeError, match="takes from 0 to 2 positional arguments"):
        t.Vec(1, 2, 3)
    with pytest.raises(
        TypeError,
        match=r"must be a Vec or a dict of its fields \(x, y\), not a dict with the key \"z\"",
    ):
        t.mid({"z": 1}, t.Vec())
    with pytest.raises(TypeError, match="a dict with str keys"):
        t.mid({1: 1}, t.Vec())
    with pytest.raises(TypeError, match=r"argument 'a' must be .*not list"):
        t.mid([1, 2], t.Vec())


def test_help_shows_the_fields() -> None:
    text = pydoc.render_doc(t.Vec, renderer=pydoc.plaintext)
    assert "Vec(x=0.0, y=0.0)" in text
    assert "Vec is a value struct" in text
    assert "x: float" in text and "y: float" in text
    assert t.Vec.__annotations__ == {"x": "float", "y": "float"}


def test_value_structs_through_python_callables() -> None:
    seen = []

    def double(v: t.Vec) -> dict[str, float]:
        seen.append(v)
        return {"x": v.x * 2, "y": v.y * 2}

    assert t.apply_vec(double, {"x": 1, "y": 2}) == t.Vec(2, 4)
    assert seen == [t.Vec(1, 2)] and type(seen[0]) is t.Vec
    assert t.apply_vec(lambda v: t.Vec(v.y, v.x), t.Vec(1, 2)) == t.Vec(2, 1)
    with pytest.raises(TypeError, match=r"\.x must be float"):
        t.apply_vec(lambda v: {"x": "no"}, t.Vec())
