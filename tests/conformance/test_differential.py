"""Differential test: random package trees and import statements, run by
CPython's import and by gobridge.__import__, must be observed the same.

Hypothesis draws a tree (packages, modules, attributes, absolute and relative
imports between them, failing modules, missing names) and a few import
statements, in the statement language of vectorlib; each side runs them in
its own fresh directory with sys.modules isolated, and the observations
(bindings, errors with type, message, name and path, warnings, sys.modules,
attributes) must be equal. The gobridge side renders from-imports either as
statements (IMPORT_FROM by the interpreter) or as calls of
gobridge.import_from, as Hypothesis chooses.

GOBRIDGE_DIFFERENTIAL_EXAMPLES bounds the number of examples (default 60).
"""

import builtins
import os
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import vectorlib  # noqa: E402

sys.path.remove(HERE)

gobridge = pytest.importorskip("gobridge")

EXAMPLES = int(os.environ.get("GOBRIDGE_DIFFERENTIAL_EXAMPLES", "60"))
TOPS = ("hza", "hzb")
CHILDREN = ("x", "y")
ATTRS = ("v", "w")
MISSING = "nope"


@st.composite
def module_names(draw):
    """A set of dotted names closed under parents, below TOPS, depth <= 3."""
    names = set()
    for top in draw(st.lists(st.sampled_from(TOPS), min_size=1, max_size=2, unique=True)):
        names.add(top)
        for child in draw(st.lists(st.sampled_from(CHILDREN), max_size=2, unique=True)):
            names.add(f"{top}.{child}")
            for grandchild in draw(st.lists(st.sampled_from(CHILDREN), max_size=1, unique=True)):
                names.add(f"{top}.{child}.{grandchild}")
    return sorted(names)


def target_names(names):
    """Names an import may ask for: the tree's, and some that do not exist."""
    return sorted(set(names) | {f"{n}.{MISSING}" for n in names[:2]} | {MISSING + "_top"})


def statements(names, relative_from, allow_raise):
    """Import statements (and a few others) over the tree's names."""
    targets = target_names(names)
    absolute_import = st.builds(
        lambda module, alias: {"op": "import", "module": module, "as": alias},
        st.sampled_from(targets),
        st.sampled_from([None, None, "al"]),
    )
    from_names = st.lists(
        st.tuples(st.sampled_from(ATTRS + CHILDREN + (MISSING,)), st.sampled_from([None, "b"])),
        min_size=1,
        max_size=2,
        unique_by=lambda p: p[1] or p[0],
    )
    absolute_from = st.builds(
        lambda module, names_: {"op": "from", "module": module, "level": 0, "names": names_},
        st.sampled_from(targets),
        from_names,
    )
    star = st.builds(
        lambda module: {"op": "from", "module": module, "level": 0, "names": [["*", None]]},
        st.sampled_from(names),
    )
    options = [absolute_import, absolute_from, star]
    if relative_from is not None:
        options.append(
            st.builds(
                lambda level, module, names_: {
                    "op": "from",
                    "module": module,
                    "level": level,
                    "names": names_,
                },
                st.integers(1, 3),
                st.sampled_from(["", "x", "y", MISSING]),
                from_names,
            )
        )
    setters = st.builds(
        lambda name, value: {"op": "set", "name": name, "value": value},
        st.sampled_from(ATTRS),
        st.integers(0, 9),
    )
    options.append(setters)
    if allow_raise:
        options.append(
            st.just({"op": "raise", "type": "ValueError", "msg": "module fails"})
            | st.just({"op": "raise", "type": "ImportError", "msg": "by hand", "name": "hza"})
        )
    return st.one_of(options)


@st.composite
def vectors(draw):
    names = draw(module_names())
    children = {n.rpartition(".")[0] for n in names if "." in n}
    tree = {}
    for name in names:
        is_pkg = name in children or draw(st.booleans())
        body = draw(st.lists(statements(names, relative_from=name, allow_raise=True), max_size=3))
        tree[name] = {"pkg": is_pkg, "body": body}
    steps = draw(st.lists(statements(names, None, allow_raise=False), min_size=1, max_size=3))
    if draw(st.booleans()):
        steps = steps + steps  # the second time, gobridge answers from its decision cache
    vector = {"id": "differential", "tree": tree, "steps": steps}
    packages = [n for n in names if tree[n]["pkg"]]
    if packages and draw(st.booleans()):
        # Relative statements in the steps, against a package's globals.
        package = draw(st.sampled_from(packages))
        vector["globals"] = {"__package__": package, "__name__": package + ".main"}
        vector["steps"] += draw(
            st.lists(statements(names, relative_from=package, allow_raise=False), max_size=2)
        )
    return vector


def run(vector, import_func, explicit_from=False):
    """Observe vector run with import_func as builtins.__import__."""
    saved = builtins.__import__
    name = vectorlib.IMPORT_FROM_BUILTIN
    ns = dict(vars(builtins))
    ns["__import__"] = import_func
    if explicit_from:
        ns[name] = gobridge.import_from
        builtins._gb_import_from = gobridge.import_from
    builtins.__import__ = import_func
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return vectorlib.run_vector(vector, os.path.join(tmp, "tree"), ns, explicit_from)
    finally:
        builtins.__import__ = saved
        if explicit_from:
            del builtins._gb_import_from


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(vector=vectors(), explicit_from=st.booleans())
def test_cpython_and_gobridge_import_alike(vector, explicit_from):
    expected = run(vector, CPYTHON_IMPORT)
    got = run(vector, gobridge.__import__, explicit_from)
    assert got == expected


# CPython's C import, even under the import-engine run, where
# builtins.__import__ is already gobridge's when this module is imported.
CPYTHON_IMPORT = vectorlib.cpython_import()


def test_reference_is_cpythons_own_import():
    assert vectorlib.is_cpython_import(CPYTHON_IMPORT), CPYTHON_IMPORT
    assert CPYTHON_IMPORT is not gobridge.__import__
