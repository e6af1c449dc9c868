"""Go objects pickle and copy through their types' own marshalling.

A Go type that implements encoding.BinaryMarshaler and BinaryUnmarshaler
(preferred) or encoding.TextMarshaler and TextUnmarshaler pickles by value;
any other Go object raises a TypeError naming those interfaces. The module
_pickling has objects of each kind; tests/test_scale_out.py sends them to
other processes.
"""

from __future__ import annotations

import copy
import hashlib
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gobridge
import gomod._pickling as p
import gomod._testing as t
import gomod.crypto.md5 as md5
import gomod.crypto.sha256 as sha256
import gomod.regexp as regexp
import gomod.strings as strings
from gobridge import _pickling

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def _fed(new, data: bytes):
    h = new()
    h.update(data)
    return h


# (id, make the object, what must survive the round trip)
ROUND_TRIPS = [
    ("regexp", lambda: regexp.compile(r"(\w+)@(\w+)\.com"), str),
    ("regexp non-ASCII", lambda: regexp.compile("é+|[ß-ü]"), str),
    ("sha256", lambda: _fed(sha256.new, b"hello "), lambda h: (h.name, h.hexdigest())),
    ("sha224", lambda: _fed(sha256.new224, b"x" * 100), lambda h: (h.name, h.hexdigest())),
    ("md5", lambda: _fed(md5.new, b"abc"), lambda h: (h.name, h.hexdigest())),
    ("value struct as text", lambda: p.temperature(-3.25), lambda v: v.celsius),
    ("binary over text", lambda: p.versioned(7), lambda v: v.n),
    ("concrete type behind an interface", lambda: p.sha256_started(b"abc"), lambda d: d.sum(b"")),
]


@pytest.mark.parametrize(
    ("make", "state"), [r[1:] for r in ROUND_TRIPS], ids=[r[0] for r in ROUND_TRIPS]
)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_round_trip(make, state, protocol):
    obj = make()
    back = pickle.loads(pickle.dumps(obj, protocol))
    assert type(back) is type(obj)
    assert back is not obj
    assert state(back) == state(obj)


@pytest.mark.parametrize(
    ("make", "state"), [r[1:] for r in ROUND_TRIPS], ids=[r[0] for r in ROUND_TRIPS]
)
@pytest.mark.parametrize("how", [copy.copy, copy.deepcopy])
def test_copy(make, state, how):
    obj = make()
    new = how(obj)
    assert type(new) is type(obj)
    assert new is not obj
    assert state(new) == state(obj)


def test_binary_is_preferred_over_text():
    assert p.versioned(3).via == "new"
    assert pickle.loads(pickle.dumps(p.versioned(3))).via == "binary"
    assert copy.copy(p.versioned(3)).via == "binary"
    assert str(pickle.loads(pickle.dumps(regexp.compile("a")))) == "a"  # text only


def test_pickle_holds_the_module_type_and_bytes():
    fn, args = regexp.compile("a+b").__reduce__()
    assert fn is _pickling.unpickle
    assert args == ("regexp", "*regexp.Regexp", "text", b"a+b")
    fn, args = p.temperature(21.5).__reduce__()
    assert args == (
        "_pickling",
        "github.com/gobridge/gobridge/modules/testmod/pickled.Temperature",
        "text",
        b"21.5C",
    )
    _, (module, _, fmt, data) = _fed(sha256.new224, b"").__reduce__()
    assert (module, fmt, data[:7]) == ("crypto.sha256", "binary", b"sha224:")


def test_copies_and_unpickled_hashes_are_independent():
    h = _fed(sha256.new, b"common ")
    a, b, c = copy.copy(h), copy.deepcopy(h), pickle.loads(pickle.dumps(h))
    for obj, tail in ((h, b"h"), (a, b"a"), (b, b"b"), (c, b"c")):
        obj.update(tail)
    for obj, tail in ((h, b"h"), (a, b"a"), (b, b"b"), (c, b"c")):
        assert obj.hexdigest() == hashlib.sha256(b"common " + tail).hexdigest()


def test_deepcopy_respects_the_memo():
    r = regexp.compile("x")
    h = sha256.new()
    items = [r, r, {"h": h, "again": h}]
    new = copy.deepcopy(items)
    assert new[0] is new[1]
    assert new[0] is not r and str(new[0]) == "x"
    assert new[2]["h"] is new[2]["again"] is not h
    # pickle's own memo does the same.
    back = pickle.loads(pickle.dumps(items))
    assert back[0] is back[1] and back[2]["h"] is back[2]["again"]


def test_an_object_pickled_twice_unpickles_as_two_objects(handles):
    r = regexp.compile("y")
    a, b = pickle.loads(pickle.dumps(r)), pickle.loads(pickle.dumps(r))
    assert a is not b and a is not r
    baseline = handles()
    del a, b
    assert handles() == baseline - 2


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300), st.sampled_from(["sha256", "sha224"]))
def test_hash_state_round_trips(prefix, suffix, algorithm):
    h = _fed(sha256.new if algorithm == "sha256" else sha256.new224, prefix)
    back = pickle.loads(pickle.dumps(h))
    back.update(suffix)
    assert back.hexdigest() == hashlib.new(algorithm, prefix + suffix).hexdigest()
    assert h.hexdigest() == hashlib.new(algorithm, prefix).hexdigest()


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=40))
def test_regexp_round_trips(text):
    r = regexp.compile("(?:" + regexp.quote_meta(text) + ")+x?")
    back = copy.copy(pickle.loads(pickle.dumps(r)))
    assert str(back) == str(r)
    assert back.match_string(text) == r.match_string(text)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: t.new_counter(1), "Counter"),
        (lambda: strings.new_replacer("a", "b"), "Replacer"),
        (lambda: p.opaque(1), "Opaque"),
    ],
)
def test_objects_without_marshalling_name_the_interfaces(make, name):
    obj = make()
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError) as info:
            attempt(obj)
        message = str(info.value)
        verb = "pickle" if attempt is pickle.dumps else "copy"
        assert f"cannot {verb} Go object {name} (Go type " in message
        assert "encoding.BinaryMarshaler and encoding.BinaryUnmarshaler" in message
        assert "encoding.TextMarshaler and encoding.TextUnmarshaler" in message


def test_a_type_no_module_declares_copies_but_does_not_pickle():
    h = p.md5_started(b"abc")
    with pytest.raises(TypeError, match=r"no gomod module declares the type.*Module\.Types"):
        pickle.dumps(h)
    c = copy.copy(h)
    assert type(c) is type(h) and c is not h
    p.hash_write(c, b"def")
    assert p.hash_hex(c) == hashlib.md5(b"abcdef").hexdigest()
    assert p.hash_hex(h) == hashlib.md5(b"abc").hexdigest()


def test_a_failing_marshaller_raises_value_error():
    with pytest.raises(
        ValueError, match="cannot pickle Go object of type .*Unwritable: unwritable on purpose"
    ):
        pickle.dumps(p.unwritable())
    with pytest.raises(ValueError, match="unwritable on purpose"):
        copy.copy(p.unwritable())


def test_a_posix_regexp_refuses_rather_than_lose_longest_matching():
    r = regexp.compile_posix("a|ab")
    assert r.find_string("ab") == "ab"
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(ValueError, match="leftmost-longest matching of compile_posix"):
            attempt(r)


def test_released_objects_do_not_pickle():
    r = regexp.compile("z")
    gobridge.release(r)
    with pytest.raises(ValueError, match="released Go object"):
        pickle.dumps(r)
    with pytest.raises(ValueError, match="released Go object"):
        copy.copy(r)


def test_unpickling_bad_pickles():
    with pytest.raises(
        TypeError, match=r"no Go type \*example\.com/gone\.T is known .* gomod\._pickling"
    ):
        _pickling.unpickle("_pickling", "*example.com/gone.T", "binary", b"")
    with pytest.raises(ModuleNotFoundError, match="gomod.no_such_module"):
        _pickling.unpickle("no_such_module", "*regexp.Regexp", "text", b"a")
    with pytest.raises(ValueError, match=r"cannot unpickle Go object of type \*regexp\.Regexp"):
        _pickling.unpickle("regexp", "*regexp.Regexp", "text", b"a(")
    with pytest.raises(ValueError, match='holds "binary" data'):
        _pickling.unpickle("regexp", "*regexp.Regexp", "binary", b"a")
    with pytest.raises(ValueError, match="not the state of a SHA-256"):
        _pickling.unpickle(
            "crypto.sha256",
            "*github.com/gobridge/gobridge/modules/crypto/sha256.Hash",
            "binary",
            b"md5:xyz",
        )
    with pytest.raises(TypeError, match="'data' must be bytes"):
        _pickling.unpickle("regexp", "*regexp.Regexp", "text", "a")
    with pytest.raises(TypeError, match="'module' must be str"):
        _pickling.unpickle(None, "*regexp.Regexp", "text", b"a")


_FRESH_CHILD = """
import hashlib, pickle, sys
# No module that declares a type is imported (under make test-import-engine,
# gobridge itself is, and Go is loaded, from the start).
assert not any(name.startswith("gomod.") for name in sys.modules)
objs = pickle.loads(sys.stdin.buffer.read())
r, h, d, temp = objs
h.update(b"world")
d.write(b"world")
want = hashlib.sha256(b"hello world").hexdigest()
assert h.hexdigest() == want, h.hexdigest()
assert d.sum(b"").hex() == want
assert r.find_all_string("aab ab b", -1) == ["aab", "ab"]
assert temp.celsius == 21.5
print(sorted(name for name in sys.modules if name.startswith("gomod.")))
"""


def test_unpickling_in_a_fresh_process_imports_the_modules():
    objs = [
        regexp.compile("a+b"),
        _fed(sha256.new, b"hello "),
        p.sha256_started(b"hello "),
        p.temperature(21.5),
    ]
    proc = subprocess.run(
        [sys.executable, "-c", _FRESH_CHILD],
        input=pickle.dumps(objs),
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert (
        proc.stdout.decode().strip()
        == "['gomod._pickling', 'gomod.crypto', 'gomod.crypto.sha256', 'gomod.regexp']"
    )
