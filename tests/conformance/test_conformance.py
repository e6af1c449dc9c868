"""Run the import conformance vectors through Python importers.

Each vector's tree is written to a fresh directory on sys.path, its steps are
run in-process as real import statements, and the observations are compared
with what the generator recorded from CPython (generate.py). sys.modules,
sys.path and the path importer cache are restored after every vector, so
the whole suite runs in one process in seconds.

Importers:
  builtins  CPython's own import (builtins.__import__, the C implementation).
  gobridge  gobridge.__import__, the Go engine through the bridge. It is
            installed as builtins.__import__ for the duration of a vector, so
            both the steps and the tree's module bodies import through it.
  gobridge_from
            the same, with IMPORT_FROM run by gobridge.import_from as well:
            every from-import (in steps and module bodies) is rendered as a
            call of __import__ followed by calls of import_from.
"""

import builtins
import glob
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import vectorlib  # noqa: E402

sys.path.remove(HERE)


def load_vectors():
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "vectors", "*.json"))):
        family = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            for v in json.load(f):
                out.append(pytest.param(v, id=f"{family}/{v['id']}"))
    return out


VECTORS = load_vectors()


def test_vector_count():
    assert len(VECTORS) >= 150


# --- importers --------------------------------------------------------------


class BuiltinsImporter:
    """CPython's import: the reference the vectors were recorded with."""

    explicit_from = False

    def install(self, monkeypatch):
        return builtins


class GobridgeImporter:
    """gobridge.__import__ as the process-wide import function."""

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
    return BuiltinsImporter()


def gobridge_importer():
    gobridge = pytest.importorskip("gobridge", reason="the gobridge package is not importable")
    func = getattr(gobridge, "__import__", None)
    if func is None:
        pytest.skip("gobridge.__import__ does not exist yet")
    return GobridgeImporter(func)


def gobridge_from_importer():
    importer = gobridge_importer()
    import gobridge

    return GobridgeImporter(importer.func, gobridge.import_from)


IMPORTERS = {
    "builtins": builtins_importer,
    "gobridge": gobridge_importer,
    "gobridge_from": gobridge_from_importer,
}


@pytest.fixture(params=sorted(IMPORTERS))
def importer(request):
    return IMPORTERS[request.param]()


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
