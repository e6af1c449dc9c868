"""Go objects as instances of Python classes."""

from __future__ import annotations

import copy
import gc
import inspect
import pickle
import sys
import weakref

import pytest

import gobridge
import gomod._testing as t
import gomod.crypto.md5 as md5
import gomod.crypto.sha256 as sha256
import gomod.regexp as regexp
import gomod.strings as strings


def test_go_types_are_python_classes():
    counter = t.new_counter(5)
    assert type(counter) is t.Counter
    assert isinstance(regexp.compile("x"), regexp.Regexp)
    assert type(sha256.new()) is sha256.Hash
    assert type(sha256.new224()) is sha256.Hash
    assert sha256.Hash is not md5.Hash
    assert type(md5.new()) is md5.Hash
    assert type(strings.new_replacer("a", "b")) is strings.Replacer
    assert t.Counter.__module__ == "gomod._testing"
    assert t.Counter.__qualname__ == "Counter"
    assert regexp.Regexp.__module__ == "gomod.regexp"


def test_methods():
    counter = t.new_counter(5)
    assert counter.get() == 5
    assert counter.incr(2) == 7
    assert counter.incr(delta=-10) == -3
    assert counter.get() == -3
    with pytest.raises(TypeError) as info:
        counter.incr("1")
    assert "'delta'" in str(info.value) and "int64" in str(info.value)
    with pytest.raises(TypeError):
        counter.incr()
    with pytest.raises(TypeError):
        counter.incr(1, 2)
    with pytest.raises(OverflowError):
        counter.incr(2**63)


def test_method_signature_and_doc():
    sig = inspect.signature(t.Counter.incr)
    assert list(sig.parameters) == ["self", "delta"]
    assert "Incr adds delta to the counter" in t.Counter.incr.__doc__
    assert list(inspect.signature(regexp.Regexp.find_all_string).parameters) == ["self", "s", "n"]
    assert t.Counter.incr.__qualname__ == "Counter.incr"
    assert "Counter is a Go object with a field and methods" in t.Counter.__doc__


def test_fields_are_properties_settable_on_pointer_types():
    counter = t.new_counter(1)
    assert isinstance(t.Counter.__dict__["value"], property)
    assert counter.value == 1
    counter.value = 41
    assert counter.value == 41
    assert counter.incr(1) == 42  # Go sees the new value
    with pytest.raises(TypeError) as info:
        counter.value = "x"
    assert "int64" in str(info.value)
    with pytest.raises(OverflowError):
        counter.value = 2**64
    assert counter.value == 42
    with pytest.raises(AttributeError):
        counter.not_a_field = 1
    with pytest.raises(AttributeError):
        del counter.value


def test_repr_and_str():
    rx = regexp.compile(r"a+b")
    assert str(rx) == "a+b"  # String() becomes __str__
    assert repr(rx) == "<gomod.regexp.Regexp a+b (Go *regexp.Regexp)>"
    counter = t.new_counter(3)
    assert repr(counter) == "<gomod._testing.Counter (Go *testmod.Counter)>"
    assert str(counter) == repr(counter)  # no String method
    assert "Go *sha256.Hash" in repr(sha256.new())


def test_one_go_pointer_is_one_python_object():
    counter = t.new_counter(0)
    assert t.echo(counter) is counter
    assert t.echo([counter, counter]) == [counter, counter]
    back = t.echo({"c": counter})["c"]
    assert back is counter


def test_objects_as_arguments():
    counter = t.new_counter(0)
    rx = regexp.compile("x")
    with pytest.raises(TypeError) as info:
        t.sum_ints(counter)
    assert "'xs'" in str(info.value)
    # an object of the wrong Go type as self
    with pytest.raises(TypeError) as info:
        t.Counter.incr(rx, 1)
    assert "Counter" in str(info.value) and "regexp" in str(info.value)


def test_method_called_with_a_non_go_self_is_a_type_error():
    with pytest.raises(TypeError):
        t.Counter.incr(5, 1)
    with pytest.raises(TypeError):
        regexp.Regexp.match_string("not a regexp", "x")


@pytest.mark.parametrize("cls", [regexp.Regexp, sha256.Hash, md5.Hash])
def test_classes_without_a_constructor_cannot_be_instantiated_from_python(cls):
    for args in ((), (1,), ("x",)):
        with pytest.raises(TypeError) as info:
            cls(*args)
        assert "cannot create" in str(info.value)


def test_refused_instantiation_goes_away_quietly(monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: unraisable.append(str(info.exc_value)))
    with pytest.raises(TypeError):
        regexp.Regexp()
    gc.collect()
    assert unraisable == []


def _new_without_init(cls):
    """What cls.__new__(cls) gives, described without touching the object."""
    try:
        obj = cls.__new__(cls)
    except TypeError:
        return "TypeError"
    del obj
    gc.collect()
    return "an object"


def test_new_cannot_make_a_hollow_object(monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: unraisable.append(str(info.exc_value)))
    assert _new_without_init(t.Counter) == "TypeError"
    assert unraisable == []


# Objects whose Go types marshal themselves pickle: tests/test_pickling.py.
@pytest.mark.parametrize("make", [lambda: t.new_counter(1), lambda: strings.new_replacer("a", "b")])
def test_go_objects_without_marshalling_cannot_be_pickled_or_copied(make):
    obj = make()
    with pytest.raises(TypeError):
        pickle.dumps(obj)
    with pytest.raises(TypeError):
        copy.copy(obj)
    with pytest.raises(TypeError):
        copy.deepcopy(obj)


def test_weak_references():
    counter = t.new_counter(1)
    ref = weakref.ref(counter)
    assert ref() is counter
    del counter
    gc.collect()
    assert ref() is None


def test_handles_return_to_baseline(handles):
    baseline = handles()
    python_baseline = gobridge.stats()["python_objects"]
    objects = []
    for i in range(100):
        objects.append(t.new_counter(i))
        objects.append(regexp.compile(f"a{i}"))
        h = sha256.new()
        h.update(b"x")
        objects.append(h.copy())
        objects.append(h)
    objects.append(t.echo(objects[:10]))
    assert handles() >= baseline + 400
    assert gobridge.stats()["python_objects"] >= python_baseline + 400
    del objects, h
    assert handles() == baseline
    assert gobridge.stats()["python_objects"] == python_baseline


def test_object_survives_while_referenced(handles):
    baseline = handles()
    counter = t.new_counter(7)
    for _ in range(100):
        t.echo(counter)
        counter.incr(1)
    assert counter.get() == 107
    assert handles() == baseline + 1
    del counter
    assert handles() == baseline


def test_regexp_objects_are_reusable_and_independent():
    first = regexp.compile("a+")
    second = regexp.compile("b+")
    assert first.find_all_string("aa b aaa", -1) == ["aa", "aaa"]
    assert second.find_all_string("aa b bb", -1) == ["b", "bb"]
    assert first.subexp_names() == [""]
    named = regexp.compile("(?P<year>\\d{4})-(?P<month>\\d{2})")
    assert named.subexp_names() == ["", "year", "month"]
    assert named.subexp_index("month") == 2
    assert named.find_string_submatch("on 2024-05") == ["2024-05", "2024", "05"]


def test_method_on_a_released_object_is_a_clear_error():
    counter = t.new_counter(1)
    assert counter.get() == 1
    gobridge.release(counter)
    gobridge.release(counter)  # twice is harmless
    with pytest.raises(ValueError, match="released"):
        counter.get()
    with pytest.raises(ValueError, match="released"):
        t.echo(counter)
    assert "released" in repr(counter)
    with pytest.raises(TypeError, match="expects a Go object"):
        gobridge.release(42)
