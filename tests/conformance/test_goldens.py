"""The Go packages' golden files, checked against CPython's own import.

go/internal/pyhost/testdata/traces.json and go/importlib/testdata/hostops.json
are written by the Go tests (``go test -update``) from what the engine does.
Here the same operations run on this interpreter, with CPython's C
``__import__`` (vectorlib.cpython_import), and must agree:

* traces.json: each case's ``python`` call, after importing ``loaded``, must
  have the same effects on the import system (module locks taken and
  released, specs found, modules loaded, submodules bound on their parents,
  warnings), observed through importlib._bootstrap's functions, which the C
  import calls; and the same outcome (module returned, or exception type
  and message) on the version the Go test's engine reproduces, the
  exception type on the others.
* hostops.json: each statement, run with its modules already imported, must
  take CPython's fast path (no ``_find_and_load``), call ``_handle_fromlist``
  as often as the engine asks HasAttrs, and compile to as many IMPORT_FROM
  instructions as the engine asks GetAttr.
"""

import builtins
import contextlib
import dis
import importlib._bootstrap as bootstrap
import json
import os
import sys
import types
import warnings

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
GO = os.path.join(os.path.dirname(os.path.dirname(HERE)), "go")
sys.path.insert(0, HERE)
import vectorlib  # noqa: E402

sys.path.remove(HERE)

TRACES = os.path.join(GO, "internal", "pyhost", "testdata", "traces.json")
HOSTOPS = os.path.join(GO, "importlib", "testdata", "hostops.json")
# The version pyhost's Go tests run the engine as (importlib.DefaultVersion).
ENGINE_TEST_VERSION = "3.11"


def load(path):
    with open(path) as f:
        return json.load(f)


def write(root, files):
    for rel, text in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


class LoggingModule(types.ModuleType):
    """A module that logs the attributes the import system sets on it."""

    log = None

    def __setattr__(self, name, value):
        if LoggingModule.log is not None and isinstance(value, types.ModuleType):
            LoggingModule.log.append(f"setattr {self.__name__} {name}")
        super().__setattr__(name, value)


@contextlib.contextmanager
def effects_of(names, monkeypatch):
    """Log what importlib._bootstrap does for the modules in names (and
    their submodules): module locks, _find_spec, _load_unlocked."""
    log = []

    def ours(name):
        return name.split(".")[0] in names

    real_get_lock = bootstrap._get_module_lock
    real_find_spec = bootstrap._find_spec
    real_load = bootstrap._load_unlocked

    class LoggedLock:
        def __init__(self, name, lock):
            self.name, self.lock = name, lock

        def acquire(self, *args, **kwargs):
            log.append(f"acquire {self.name}")
            return self.lock.acquire(*args, **kwargs)

        def release(self, *args, **kwargs):
            log.append(f"release {self.name}")
            return self.lock.release(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.lock, name)

    def get_module_lock(name):
        lock = real_get_lock(name)
        return LoggedLock(name, lock) if ours(name) else lock

    def find_spec(name, path, target=None):
        if ours(name):
            log.append(f"find_spec {name}")
        return real_find_spec(name, path, target)

    def load_unlocked(spec):
        if ours(spec.name):
            log.append(f"load {spec.name}")
        return real_load(spec)

    monkeypatch.setattr(bootstrap, "_get_module_lock", get_module_lock)
    monkeypatch.setattr(bootstrap, "_find_spec", find_spec)
    monkeypatch.setattr(bootstrap, "_load_unlocked", load_unlocked)
    LoggingModule.log = log
    try:
        yield log
    finally:
        LoggingModule.log = None
        monkeypatch.undo()


# --- traces.json ------------------------------------------------------------

TRACE_TREE = {
    "pkg/__init__.py": "",
    "pkg/sub.py": "",
    "pkg/fails.py": "raise ValueError('boom')\n",
    "mod.py": "",
}


def outcome(func):
    try:
        result = func()
    except Exception as e:  # the observation is the exception
        message = e.args[0] if len(e.args) == 1 and isinstance(e.args[0], str) else str(e)
        return {"error": [type(e).__name__, message]}
    return {"module": result.__name__ if isinstance(result, types.ModuleType) else None}


@pytest.mark.parametrize("case", sorted(load(TRACES)))
def test_pyhost_trace_is_what_cpython_does(case, tmp_path, monkeypatch):
    trace = load(TRACES)[case]
    root = str(tmp_path)
    write(root, TRACE_TREE)
    cpython_import = vectorlib.cpython_import()
    monkeypatch.setattr("builtins.__import__", cpython_import)
    ns = {"__name__": "__main__", "__builtins__": {**vars(builtins), "__import__": cpython_import}}
    with vectorlib.isolated(root):
        for name in trace["loaded"] or ():
            cpython_import(name)
            module = sys.modules[name]
            module.__class__ = LoggingModule
            parent, _, child = name.rpartition(".")
            if parent:
                delattr(sys.modules[parent], child)  # the fake's modules start unbound
        with effects_of({"pkg", "mod", "nosuch", "x"}, monkeypatch) as log:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = outcome(lambda: eval_call(trace["python"], ns))
            log += [f"warn {w.category.__name__} {w.message}" for w in caught]
    if "error" in got:
        got["error"][1] = got["error"][1].replace(root, "/src")
    assert log == trace["effects"]
    if vectorlib.this_version() == ENGINE_TEST_VERSION:
        assert got == trace["outcome"]
    else:
        assert got.keys() == trace["outcome"].keys()
        if "error" in got:
            assert got["error"][0] == trace["outcome"]["error"][0]
        else:
            assert got == trace["outcome"]


def eval_call(src, ns):
    """Run a call (an expression) or a from-import (bind its first name)."""
    if src.startswith("from "):
        exec(compile(src, "<trace>", "exec"), ns)
        return ns[src.split(" import ")[1].split(",")[0].strip()]
    return eval(compile(src, "<trace>", "eval"), ns)


# --- hostops.json -------------------------------------------------------------

HOSTOPS_TREE = {
    "importlibtest/__init__.py": "",
    "importlibtest/ops/__init__.py": "VERSION = 1\n",
    "importlibtest/ops/sub/__init__.py": "",
    "importlibtest/ops/sub/leaf.py": "x = 1\n",
    "importlibtest/ops/mod.py": "",
}


def statement_and_globals(path):
    """hostops.json names a path by its statement, with " (in module)" for
    one run in a module's namespace."""
    statement, _, where = path.partition(" (in ")
    ns = {"__name__": "__main__"}
    if where:
        module = where.rstrip(")")
        ns = {"__name__": module, "__package__": module.rpartition(".")[0]}
    return statement, ns


def import_from_count(code):
    return sum(
        import_from_count(c) if isinstance(c, types.CodeType) else 0 for c in code.co_consts
    ) + sum(1 for i in dis.get_instructions(code) if i.opname == "IMPORT_FROM")


@pytest.mark.parametrize("path", sorted(load(HOSTOPS)))
def test_hostops_match_cpythons_import(path, tmp_path, monkeypatch):
    ops = load(HOSTOPS)[path]
    root = str(tmp_path)
    write(root, HOSTOPS_TREE)
    statement, ns = statement_and_globals(path)
    code = compile(statement, "<hostops>", "exec")
    cpython_import = vectorlib.cpython_import()
    ns["__builtins__"] = {**vars(builtins), "__import__": cpython_import}
    calls = {"_handle_fromlist": 0, "_find_and_load": 0}

    def counted(name):
        real = getattr(bootstrap, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    with vectorlib.isolated(root):
        for module in ("importlibtest.ops.sub.leaf", "importlibtest.ops.mod"):
            cpython_import(module)
        for name in calls:
            monkeypatch.setattr(bootstrap, name, counted(name))
        try:
            exec(code, ns)
        finally:
            monkeypatch.undo()
    # Every module is imported: one lookup (C's fast path), nothing loaded.
    assert calls["_find_and_load"] == 0
    assert set(ops) <= {"GetModules", "HasAttrs", "GetAttr"}
    assert ops["GetModules"] == 1
    assert ops.get("HasAttrs", 0) == calls["_handle_fromlist"]
    assert ops.get("GetAttr", 0) == import_from_count(code)
