"""Run the import conformance vectors through Python importers.

Each vector's tree is written to a fresh directory on sys.path, its steps are
run in-process as real import statements, and the observations are compared
with what the generator recorded from this interpreter's CPython version
(generate.py; vectorlib.load_vectors picks the version's expectations).
sys.modules, sys.path and the path importer cache are restored after every
vector, so the whole suite runs in one process in seconds.

Importers:
  builtins  CPython's own import (the C builtins.__import__, taken from
            vectorlib.cpython_import, so that it stays CPython's under the
            import-engine run too). It is installed as builtins.__import__
            for the duration of a vector.
  gobridge  gobridge.__import__, the Go engine through the bridge. It is
            installed as builtins.__import__ for the duration of a vector, so
            both the steps and the tree's module bodies import through it.
  gobridge_from
            the same, with IMPORT_FROM run by gobridge.import_from as well:
            every from-import (in steps and module bodies) is rendered as a
            call of __import__ followed by calls of import_from.
"""

import builtins
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import vectorlib  # noqa: E402

sys.path.remove(HERE)

VECTORS = [pytest.param(v, id=f"{family}/{v['id']}") for family, v in vectorlib.load_vectors()]


def test_vector_count():
    assert len(VECTORS) >= 150


# --- importers --------------------------------------------------------------


class Importer:
    """An import function installed as builtins.__import__ for a vector."""

    def __init__(self, func, import_from=None):
        self.func = func
        self.import_from = import_from
        self.explicit_from = import_from is not None

    def install(self, monkeypatch):
        monkeypatch.setattr(builtins, "__import__", self.func)
        ns = dict(vars(builtins))
        ns["__import__"] = self.func
        if self.import_from is not None:
            name = vectorlib.IMPORT_FROM_BUILTIN
            monkeypatch.setattr(builtins, name, self.import_from, raising=False)
            ns[name] = self.import_from
        return ns


def builtins_importer():
    """CPython's import: the reference the vectors were recorded with."""
    return Importer(vectorlib.cpython_import())


def gobridge_importer():
    gobridge = pytest.importorskip("gobridge", reason="the gobridge package is not importable")
    func = getattr(gobridge, "__import__", None)
    if func is None:
        pytest.skip("gobridge.__import__ does not exist yet")
    return Importer(func)


def gobridge_from_importer():
    importer = gobridge_importer()
    import gobridge

    return Importer(importer.func, gobridge.import_from)


IMPORTERS = {
    "builtins": builtins_importer,
    "gobridge": gobridge_importer,
    "gobridge_from": gobridge_from_importer,
}


@pytest.fixture(params=sorted(IMPORTERS))
def importer(request):
    return IMPORTERS[request.param]()


def test_builtins_importer_is_cpythons_own():
    """Under the import-engine run builtins.__import__ is gobridge's: the
    reference must still be the C function, or gobridge is compared with
    itself."""
    func = builtins_importer().func
    assert vectorlib.is_cpython_import(func), func
    gobridge = pytest.importorskip("gobridge")
    assert func is not gobridge.__import__


# --- the test ---------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS)
def test_vector(vector, importer, tmp_path, monkeypatch):
    root = str(tmp_path / "tree")
    builtins_ns = importer.install(monkeypatch)
    try:
        got = vectorlib.run_vector(vector, root, builtins_ns, importer.explicit_from)
    finally:
        monkeypatch.undo()
    assert got == vector["expect"]
