"""Modules make their functions and classes on first use.

Importing a gomod module asks Go for a list of names; Go analyses a
function, and describes a class, when Python first reads the attribute.
Everything that reads attributes by name (dir, star imports, pickle, help,
inspect) must see the module as if it had been built whole.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pydoc
import threading

import pytest

import gomod.math.bits


def fresh(name: str):
    """The module, executed again: its functions are not made yet."""
    module = importlib.import_module(name)
    return importlib.reload(module)


@pytest.mark.parametrize(
    ("module_name", "attr"),
    [
        ("gomod.math.bits", "reverse_bytes16"),
        ("gomod.strings", "to_lower"),
        ("gomod.regexp", "Regexp"),
        ("gomod.regexp", "match_string"),
    ],
)
def test_first_access_makes_the_attribute(module_name, attr):
    module = fresh(module_name)
    assert attr not in vars(module)
    assert attr in dir(module)
    assert attr in module.__all__
    value = getattr(module, attr)
    assert vars(module)[attr] is value
    assert getattr(module, attr) is value  # made once, then a plain attribute


def test_untouched_functions_work_with_dir_star_import_and_pickle():
    module = fresh("gomod.math.bits")
    namespace: dict[str, object] = {}
    exec("from gomod.math.bits import *", namespace)  # noqa: S102
    assert namespace["ones_count64"](0xFF) == 8
    assert set(module.__all__) <= set(namespace)

    module = fresh("gomod.math.bits")
    assert "len64" not in vars(module)
    assert pickle.loads(pickle.dumps(module.len64)) is module.len64


def test_untouched_functions_have_help_and_signatures():
    module = fresh("gomod.math.bits")
    text = pydoc.render_doc(module, renderer=pydoc.plaintext)
    assert "rotate_left64(x: int, k: int) -> int" in text
    module = fresh("gomod.math.bits")
    assert list(inspect.signature(module.rotate_left64).parameters) == ["x", "k"]


def test_a_class_made_by_a_result_first_belongs_to_its_module(run_python):
    proc = run_python(
        "import gomod.regexp as r\n"
        "x = r.compile('a+')\n"
        "print('Regexp' in vars(r), type(x).__module__, type(x).__qualname__)\n"
        "print(r.Regexp is type(x), 'Regexp' in vars(r))\n"
    )
    assert proc.stdout.split() == ["False", "gomod.regexp", "Regexp", "True", "True"]


def test_a_function_that_cannot_cross_fails_its_first_use():
    import gomod._lazy_broken as m

    assert m.twice(21) == 42
    assert {"drain", "misnamed", "twice"} <= set(dir(m))
    with pytest.raises(ImportError, match=r"cannot make gomod\._lazy_broken\.drain: .*cannot wrap"):
        m.drain  # noqa: B018
    with pytest.raises(ImportError, match=r'bound as "misnamed" is named "other"'):
        m.misnamed  # noqa: B018
    assert "drain" not in vars(m)


def test_deleting_an_untouched_function():
    module = fresh("gomod.math.bits")
    del module.trailing_zeros8
    assert "trailing_zeros8" not in dir(module)
    with pytest.raises(AttributeError):
        module.trailing_zeros8  # noqa: B018


def test_threads_racing_to_first_use_get_one_object():
    names = ["add64", "mul64", "sub64", "len32", "Regexp"]
    bits = fresh("gomod.math.bits")
    regexp = fresh("gomod.regexp")
    barrier = threading.Barrier(8)
    seen: list[list[object]] = []
    lock = threading.Lock()

    def first_use() -> None:
        barrier.wait()
        got = [getattr(regexp if n == "Regexp" else bits, n) for n in names]
        with lock:
            seen.append(got)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8
    for got in seen:
        assert all(a is b for a, b in zip(got, seen[0]))
    assert bits.add64(1, 2, 0) == (3, 0)
    assert gomod.math.bits is bits


def test_precompiled_templates_are_up_to_date():
    from pathlib import Path

    from gobridge import _functions, _templates

    path = Path(_templates.__file__)
    assert path.read_text() == _functions.precompiled_source(), (
        "python/gobridge/_templates.py is stale: write _functions.precompiled_source() to it"
    )
    for key, made in _templates.TEMPLATES.items():
        namespace: dict[str, object] = {}
        exec(_functions._template_source(*key), namespace)  # noqa: S102
        fresh = namespace["T"].__code__  # type: ignore[attr-defined]
        code = made.__code__
        assert (code.co_code, code.co_consts, code.co_names, code.co_varnames) == (
            fresh.co_code,
            fresh.co_consts,
            fresh.co_names,
            fresh.co_varnames,
        ), key


def test_an_exception_class_is_made_when_first_raised(run_python):
    proc = run_python(
        "import gomod.encoding.hex as h\n"
        "print('InvalidByteError' in vars(h), 'InvalidByteError' in dir(h))\n"
        "try:\n"
        "    h.decode('zz')\n"
        "except Exception as e:\n"
        "    raised = type(e)\n"
        "print(raised.__module__, raised.__name__, raised is h.InvalidByteError)\n"
        "print(h.ErrLength.__module__, issubclass(h.ErrLength, ValueError))\n"
    )
    assert proc.stdout.split() == [
        "False",
        "True",
        "gomod.encoding.hex",
        "InvalidByteError",
        "True",
        "gomod.encoding.hex",
        "True",
    ]


def test_threads_making_their_first_callback_calls_at_once(run_python):
    # _callbacks is imported by the first call that lends a callable: the
    # other threads wait for that import rather than see it half done.
    proc = run_python(
        "import threading, gomod._testing as t\n"
        "barrier = threading.Barrier(8)\n"
        "out = []\n"
        "def work(n):\n"
        "    barrier.wait()\n"
        "    out.append(t.apply(lambda x: x + n, 1))\n"
        "threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]\n"
        "[th.start() for th in threads]\n"
        "[th.join() for th in threads]\n"
        "print(sorted(out))\n"
    )
    assert proc.stdout.strip() == str([n + 1 for n in range(8)])


def test_a_plain_call_loads_no_rare_path_module(run_python):
    proc = run_python(
        "import sys, gomod.strings as s\n"
        "s.to_upper('x')\n"
        "print(sorted(m for m in ('gobridge._callbacks', 'gobridge._values',"
        " 'gobridge._pending', 'gobridge._pickling', 'gobridge._objects') if m in sys.modules))\n"
    )
    assert proc.stdout.strip() == "[]"
