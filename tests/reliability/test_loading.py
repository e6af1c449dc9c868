"""Where the Go library comes from, one runtime per process, sub-interpreters
and reloads.

The library is loaded from gobridge's package directory or from the
absolute path in ``GOBRIDGE_LIBRARY``, never from the current directory, a
relative path or the dynamic linker's search path. Once loaded, no other
gobridge library (and no other Go runtime) is accepted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys

import pytest

from gobridge import _ffi

PACKAGE_LIBRARY = os.path.join(os.path.dirname(_ffi.__file__), _ffi.LIBRARY_NAME)

_MAPPED_LIBRARIES = """
def mapped_gobridge_libraries():
    with open("/proc/self/maps") as f:
        paths = {line.split(None, 5)[5].strip() for line in f if len(line.split(None, 5)) == 6}
    return sorted(p for p in paths if p.endswith("libgobridge.so"))
"""


@pytest.fixture
def decoy(tmp_path):
    """A working copy of the library in the child's current directory."""
    shutil.copy(PACKAGE_LIBRARY, tmp_path / "libgobridge.so")
    return tmp_path / "libgobridge.so"


def test_library_is_never_loaded_from_the_current_directory(child, decoy, tmp_path):
    proc = child(
        _MAPPED_LIBRARIES
        + """
import gomod.strings as strings
assert strings.to_upper("a") == "A"
print(mapped_gobridge_libraries())
""",
        env={"LD_LIBRARY_PATH": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == repr([os.path.realpath(PACKAGE_LIBRARY)])


@pytest.mark.parametrize("value", ["libgobridge.so", "./libgobridge.so", "sub/../libgobridge.so"])
def test_relative_library_setting_is_refused(child, decoy, value):
    proc = child(
        _MAPPED_LIBRARIES
        + """
try:
    import gomod.strings
    print("imported")
except ImportError as exc:
    print("ImportError:", exc)
print(mapped_gobridge_libraries())
""",
        env={"GOBRIDGE_LIBRARY": value},
    )
    assert proc.returncode == 0, proc.stderr
    first, mapped = proc.stdout.strip().splitlines()
    assert first.startswith("ImportError:") and "must be an absolute path" in first
    assert mapped == "[]"


def test_shim_refuses_a_relative_path(child, decoy):
    proc = child(
        """
from gobridge._native import ffi, lib
err = ffi.new("char[]", 512)
print(lib.gb_open(b"libgobridge.so", 1, err, len(err)), ffi.string(err).decode())
print(lib.gb_loaded_path() == ffi.NULL)
"""
    )
    assert proc.returncode == 0, proc.stderr
    rc, loaded = proc.stdout.strip().splitlines()
    assert rc.startswith("-1 ") and "must be absolute" in rc
    assert loaded == "True"


def test_a_second_different_library_is_refused(child, decoy):
    proc = child(
        f"""
import os
import gobridge
import gomod.strings as strings
from gobridge._native import ffi, lib
err = ffi.new("char[]", 1024)
print(lib.gb_open({str(decoy)!r}.encode(), 1, err, len(err)), ffi.string(err).decode())
os.environ["GOBRIDGE_LIBRARY"] = {str(decoy)!r}
try:
    gobridge.runtime_info()
    print("loaded")
except ImportError as exc:
    print("ImportError:", exc)
assert strings.to_upper("still") == "STILL"
"""
    )
    assert proc.returncode == 0, proc.stderr
    shim, runtime = proc.stdout.strip().splitlines()
    assert shim.startswith("-2 ") and "a different gobridge library is already loaded" in shim
    assert runtime.startswith("ImportError:")
    assert "already runs the Go library" in runtime
    assert "one process can hold only one Go runtime" in runtime


def test_import_after_the_library_setting_changed_is_refused(child, decoy):
    proc = child(
        f"""
import os
import gomod.strings
os.environ["GOBRIDGE_LIBRARY"] = {str(decoy)!r}
try:
    import gomod.encoding.hex
    print("imported")
except ImportError as exc:
    print("ImportError:", exc)
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ImportError:")


def test_a_foreign_go_runtime_is_refused(child, decoy):
    proc = child(
        f"""
import ctypes
ctypes.CDLL({str(decoy)!r})  # another copy: a second Go runtime if gobridge loaded too
try:
    import gomod.strings
    print("imported")
except ImportError as exc:
    print("ImportError:", exc)
"""
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ImportError:")
    assert "already has a Go runtime" in proc.stdout


# --- sub-interpreters ------------------------------------------------------------


# The ways this CPython offers to run code in a new sub-interpreter: the C
# API's Py_NewInterpreter (a sub-interpreter sharing the main one's GIL), and
# the interpreters module of the version (from 3.12 on, its interpreters have
# a GIL and an allocator of their own).
_RUN_IN_SUBINTERPRETER = {
    "Py_NewInterpreter": """
import _testcapi
assert _testcapi.run_in_subinterp(CODE) == 0
""",
}
if sys.version_info >= (3, 13):
    _RUN_IN_SUBINTERPRETER["_interpreters"] = """
import _interpreters
sub = _interpreters.create()
try:
    assert _interpreters.exec(sub, CODE) is None
finally:
    _interpreters.destroy(sub)
"""
else:
    _RUN_IN_SUBINTERPRETER["_xxsubinterpreters"] = """
import _xxsubinterpreters
sub = _xxsubinterpreters.create()
try:
    _xxsubinterpreters.run_string(sub, CODE)
finally:
    _xxsubinterpreters.destroy(sub)
"""


@pytest.fixture(params=sorted(_RUN_IN_SUBINTERPRETER))
def in_subinterpreter(request):
    """Child code that runs the code in the variable CODE in a new sub-interpreter."""
    if request.param == "Py_NewInterpreter" and importlib.util.find_spec("_testcapi") is None:
        pytest.skip("this CPython was built without its _testcapi module")
    return _RUN_IN_SUBINTERPRETER[request.param]


_IMPORT_IN_SUBINTERPRETER = '''
{before}
CODE = """
{setup}
try:
    import gomod.strings
    print("imported", flush=True)
except ImportError as exc:
    print("ImportError:", exc, flush=True)
"""
{run}
print("mapped" if "libgobridge" in open("/proc/self/maps").read() else "not mapped")
import gomod.strings
print(gomod.strings.to_upper("main"))
'''


@pytest.mark.parametrize(
    "before", ["", "import gomod.strings"], ids=["first-import", "after-main-import"]
)
def test_sub_interpreter_import_is_a_clear_import_error(child, in_subinterpreter, before):
    proc = child(_IMPORT_IN_SUBINTERPRETER.format(before=before, setup="", run=in_subinterpreter))
    assert proc.returncode == 0, proc.stderr
    sub, mapped, main = proc.stdout.strip().splitlines()
    assert sub.startswith("ImportError:") and "from a sub-interpreter" in sub, sub
    # a sub-interpreter's import gomod does not start Go for the process
    assert mapped == ("mapped" if before else "not mapped")
    assert main == "MAIN"


def test_sub_interpreter_is_detected_without_the_interpreters_module(child, in_subinterpreter):
    # Where CPython was built without its interpreters module, the C API
    # (through ctypes) tells a sub-interpreter. From 3.12 on, an interpreter
    # with a GIL of its own loads neither ctypes nor gobridge's cffi extension:
    # CPython's ImportError says so.
    hide = "_interpreters" if sys.version_info >= (3, 13) else "_xxsubinterpreters"
    proc = child(
        _IMPORT_IN_SUBINTERPRETER.format(
            before="import gomod.strings",
            setup=f"import sys; sys.modules[{hide!r}] = None",
            run=in_subinterpreter,
        )
    )
    assert proc.returncode == 0, proc.stderr
    sub, _, main = proc.stdout.strip().splitlines()
    assert sub.startswith("ImportError:"), sub
    assert "from a sub-interpreter" in sub or "does not support loading in subinterpreters" in sub
    assert main == "MAIN"


def test_gobridge_import_falls_back_to_importlib_in_a_sub_interpreter(child, in_subinterpreter):
    # The import engine cannot run there, but gobridge.__import__ still imports.
    proc = child(
        '''
import gomod.strings
CODE = """
import sys, gobridge
print(gobridge.__import__("json") is sys.modules["json"], flush=True)
try:
    gobridge.__import__("gomod.strings")
except ImportError as exc:
    print("ImportError:", exc, flush=True)
"""
'''
        + in_subinterpreter
        + 'print(gomod.strings.to_upper("main"))\n'
    )
    assert proc.returncode == 0, proc.stderr
    imported, refused, main = proc.stdout.strip().splitlines()
    assert imported == "True"
    assert refused.startswith("ImportError:") and "from a sub-interpreter" in refused
    assert main == "MAIN"


# --- reloads -----------------------------------------------------------------------


def test_a_thousand_reloads_leak_nothing(child):
    # A fresh interpreter: other tests hold functions of earlier executions,
    # which rightly keep those executions alive.
    proc = child(
        """
        import gc, importlib, json, sys
        import gobridge
        import gomod._testing as t
        import gomod.strings as strings

        def counts():
            gc.collect()
            stats = gobridge.stats()
            return stats["handles"], stats["goroutines"]

        before = counts()
        kept = strings.to_upper  # a function of an old execution keeps working
        for i in range(1000):
            importlib.reload(strings)
            importlib.reload(t)
            assert t.add(i, 1) == i + 1
        assert kept("old") == "OLD"
        with_kept = counts()
        del kept
        print(json.dumps({"before": before, "with_kept": with_kept, "after": counts(),
                          "same_module": sys.modules["gomod.strings"] is strings}))
        """
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["same_module"]
    assert report["with_kept"][0] == report["before"][0] + 1
    assert report["after"] == report["before"]
