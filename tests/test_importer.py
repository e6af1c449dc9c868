"""gobridge.__import__ and gobridge.import_from: what the conformance vectors
do not cover. Errors of unusual arguments against CPython's, tracebacks,
warnings, threads, the decision cache, fork, bootstrapping, and whole
programs run with gobridge.__import__ as the process-wide import function.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import importlib.util
import inspect
import os
import pickle
import subprocess
import sys
import tempfile
import textwrap
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

import gobridge
from gobridge import _importer

HARNESS = str(Path(__file__).parent / "import_engine")

# CPython's import function, also when make test-import-engine has replaced
# builtins.__import__ at startup (its sitecustomize keeps the original).
CPYTHON_IMPORT = getattr(sys.modules.get("sitecustomize"), "cpython_import", builtins.__import__)


# --- helpers ----------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], Path]]:
    """Write modules ({"pkg/__init__.py": source, ...}) to a fresh directory
    on sys.path; restore sys.modules and sys.path afterwards."""
    saved_modules = dict(sys.modules)
    saved_path = list(sys.path)
    root = tmp_path / "tree"

    def write(files: dict[str, str]) -> Path:
        for rel, source in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        importlib.invalidate_caches()
        return root

    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        yield write
    finally:
        sys.dont_write_bytecode = dont_write
        for name in list(sys.modules):
            if name not in saved_modules:
                del sys.modules[name]
        sys.modules.update(saved_modules)
        sys.path[:] = saved_path


def forget(*prefixes: str) -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in prefixes:
            del sys.modules[name]


def outcome(fn: Callable[[], Any]) -> tuple[Any, ...]:
    """What a call returns or raises, comparably."""
    try:
        value = fn()
    except BaseException as exc:  # noqa: BLE001 - the observation
        attrs = (exc.name, exc.path) if isinstance(exc, ImportError) else ()
        return ("raised", type(exc), exc.args, attrs)
    return ("returned", getattr(value, "__name__", value))


def run_harnessed(
    code: str, cwd: Path, *, engine: bool = True, library: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run code in a child interpreter, with gobridge.__import__ as the
    process-wide import function (the sitecustomize of make
    test-import-engine) unless engine is False, and GOBRIDGE_LIBRARY set to
    library if given."""
    env = {k: v for k, v in os.environ.items() if k != "GOBRIDGE_LIBRARY"}
    if library is not None:
        env["GOBRIDGE_LIBRARY"] = library
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != HARNESS]
    if engine:
        paths.insert(0, HARNESS)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONFAULTHANDLER"] = "1"
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


# --- the API ----------------------------------------------------------------------


def test_importing_gobridge_loads_no_go_and_no_engine(tmp_path: Path) -> None:
    # gobridge.__import__ brings the Python side of the engine (gobridge._ffi
    # and the cffi extension) with it, but neither Go nor the engine.
    proc = run_harnessed(
        """
        import sys, gobridge
        assert "gobridge._ffi" not in sys.modules
        f = gobridge.__import__, gobridge.import_from
        print(sorted(m for m in ("gobridge._ffi", "gobridge._finder", "gomod._import_engine")
                     if m in sys.modules))
        print("libgobridge" in open("/proc/self/maps").read())
        """,
        tmp_path,
        engine=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["['gobridge._ffi',", "'gobridge._finder']", "False"]


# The first call of gobridge.__import__ loads the engine. Each of these
# replaces the import state first, as CPython's own test_importlib does:
# loading the engine must not import through that state.
FIRST_CALL_STATES = {
    # A test's mock finder is all of sys.meta_path, there are no path hooks,
    # and builtins.__import__ is patched to return an impostor module.
    "mock-finder-and-patched-import": """
        sys.meta_path[:] = [MockFinder]
        sys.path_hooks[:] = []
        sys.path_importer_cache.clear()
        builtins.__import__ = lambda *args, **kwargs: types.ModuleType("impostor")
    """,
    # gobridge.__import__ is builtins.__import__, over a mock sys.meta_path.
    "engine-is-builtins-import": """
        sys.meta_path[:] = [MockFinder]
        builtins.__import__ = engine_import
    """,
    # No path hooks: nothing on sys.path can be found, gobridge's files neither.
    "no-path-hooks": """
        sys.meta_path.insert(0, MockFinder)
        sys.path_hooks[:] = []
        sys.path_importer_cache.clear()
        builtins.__import__ = engine_import
    """,
}

FIRST_CALL = """
    import builtins, json, os.path, sys, types
    from importlib.machinery import ModuleSpec
    import gobridge

    engine_import = gobridge.__import__

    class MockLoader:
        @staticmethod
        def create_module(spec):
            return None

        @staticmethod
        def exec_module(module):
            module.VALUE = 42

    class MockFinder:
        @staticmethod
        def find_spec(name, path=None, target=None):
            return ModuleSpec(name, MockLoader) if name == "mockmod" else None

    saved = (list(sys.meta_path), list(sys.path_hooks), builtins.__import__)
    {state}
    try:
        results = [
            engine_import("mockmod").VALUE,
            engine_import("json") is sys.modules["json"],
            engine_import("os.path", fromlist=["sep"]) is sys.modules["os.path"],
        ]
    finally:
        sys.meta_path[:], sys.path_hooks[:], builtins.__import__ = saved
        sys.path_importer_cache.clear()
    import gomod.strings
    results.append(engine_import("gomod.strings", fromlist=["x"]).to_upper("after"))
    print(results)
"""


@pytest.mark.parametrize("state", sorted(FIRST_CALL_STATES))
def test_first_call_works_in_a_replaced_import_state(tmp_path: Path, state: str) -> None:
    code = textwrap.dedent(FIRST_CALL).replace(
        "{state}", textwrap.dedent(FIRST_CALL_STATES[state]).strip()
    )
    proc = run_harnessed(code, tmp_path, engine=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[42, True, True, 'AFTER']"


def test_signature_is_builtins_import() -> None:
    import inspect

    params = list(inspect.signature(gobridge.__import__).parameters)
    assert params == ["name", "globals", "locals", "fromlist", "level"]
    assert gobridge.__import__("os") is sys.modules["os"]
    assert gobridge.__import__("os.path", fromlist=["sep"]) is sys.modules["os.path"]
    assert gobridge.__import__(name="os.path") is sys.modules["os"]


# --- errors of unusual arguments ----------------------------------------------------


class Index:
    def __index__(self) -> int:
        return 0


class Falsy:
    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("a false fromlist is not iterated")


class Name(str):
    pass


ARGUMENT_CASES: dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "level_overflow": lambda: (("os",), {"level": 2**40}),
    "level_negative_overflow": lambda: (("os",), {"level": -(2**40)}),
    "level_float_before_bad_name": lambda: ((5,), {"level": 1.5}),
    "level_index": lambda: (("os.path",), {"level": Index()}),
    "level_bool": lambda: (("path",), {"globals": {"__package__": "os"}, "level": True}),
    "name_bytes": lambda: ((b"os",), {}),
    "name_str_subclass": lambda: ((Name("os.path"),), {}),
    "fromlist_empty_set_returns_top": lambda: (("email.mime",), {"fromlist": set()}),
    "fromlist_set": lambda: (("email.mime",), {"fromlist": {"text"}}),
    "fromlist_falsy_object": lambda: (("email.mime",), {"fromlist": Falsy()}),
    "fromlist_generator": lambda: (("email",), {"fromlist": (x for x in ["charset"])}),
    "fromlist_dict_keys": lambda: (("email",), {"fromlist": {"charset": 1}}),
    "fromlist_not_iterable": lambda: (("email",), {"fromlist": 3.5}),
    "fromlist_bytes_item": lambda: (("email",), {"fromlist": [b"charset"]}),
    "globals_subclass": lambda: (
        ("path",),
        {"globals": type("D", (dict,), {})(__package__="os"), "level": 1},
    ),
    "globals_relative_no_package": lambda: (("x",), {"globals": {"__name__": "m"}, "level": 1}),
    "globals_not_given_relative": lambda: (("x",), {"level": 1}),
    "globals_none_relative": lambda: (("x",), {"globals": None, "level": 1}),
    "package_bytes": lambda: (("x",), {"globals": {"__package__": b"os"}, "level": 1}),
    "empty_name_absolute": lambda: (("",), {}),
    "dots_only": lambda: ((".",), {}),
    "unhashable_name": lambda: ((["os"],), {}),
}


@pytest.mark.parametrize("case", sorted(ARGUMENT_CASES))
def test_unusual_arguments_behave_as_in_cpython(case: str) -> None:
    observed = []
    for fn in (CPYTHON_IMPORT, gobridge.__import__):
        args, kwargs = ARGUMENT_CASES[case]()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ImportWarning)
            observed.append(outcome(functools.partial(fn, *args, **kwargs)))
    assert observed[1] == observed[0]


def test_warnings_point_at_the_importing_line() -> None:
    globals_ = {"__name__": "os.fake", "__package__": "os", "__spec__": None}
    globals_["__spec__"] = type("Spec", (), {"parent": "not-os"})()
    for fn in (CPYTHON_IMPORT, gobridge.__import__):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fn("path", globals_, None, (), 1)
            line = sys._getframe().f_lineno - 1
        # an ImportWarning until 3.11, a DeprecationWarning since 3.12
        category = DeprecationWarning if sys.version_info >= (3, 12) else ImportWarning
        assert [(w.category, str(w.message)) for w in caught] == [
            (category, "__package__ != __spec__.parent")
        ]
        assert (caught[0].filename, caught[0].lineno) == (__file__, line)


def test_a_warning_made_an_error_is_raised() -> None:
    globals_ = {"__name__": "os.fake", "__path__": []}
    for fn in (CPYTHON_IMPORT, gobridge.__import__):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ImportWarning)
            with pytest.raises(ImportWarning, match="can't resolve package"):
                fn("path", globals_, None, (), 1)


# --- tracebacks --------------------------------------------------------------------


def frames_of(exc: BaseException) -> list[tuple[str, str]]:
    return [(Path(f.filename).name, f.name) for f in traceback.extract_tb(exc.__traceback__)]


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        ("import tbpkg.fails", ValueError),
        ("import tbpkg.nested", ValueError),
        ("from tbpkg import imports_missing", ModuleNotFoundError),
        ("import tbpkg.nosuch", ModuleNotFoundError),
        ("from tbpkg import nosuch_name as x", ImportError),
        ("import tbpkg.syntax", SyntaxError),
    ],
)
def test_tracebacks_show_the_modules_code_and_no_import_machinery(
    tree: Callable[[dict[str, str]], Path],
    monkeypatch: pytest.MonkeyPatch,
    statement: str,
    error: type[BaseException],
) -> None:
    tree(
        {
            "tbpkg/__init__.py": "",
            "tbpkg/fails.py": """
                def f():
                    raise ValueError("boom")
                f()
            """,
            "tbpkg/nested.py": "from . import fails\n",
            "tbpkg/imports_missing.py": "import tbpkg.absent\n",
            "tbpkg/syntax.py": "def (:\n",
        }
    )
    seen = {}
    for label, fn in (("c", CPYTHON_IMPORT), ("go", gobridge.__import__)):
        forget("tbpkg")
        monkeypatch.setattr(builtins, "__import__", fn)  # for the modules' own imports
        with pytest.raises(error) as info:
            exec(compile(statement, "<statement>", "exec"), {})
        monkeypatch.undo()
        seen[label] = frames_of(info.value)
    # gobridge.__import__ is a built-in function, as CPython's is: the same
    # frames, and none of importlib's.
    assert seen["go"] == seen["c"]
    assert not [f for f in seen["c"] if f[0].startswith(("<frozen", "_"))]


def test_import_from_errors_have_no_gobridge_frames(tree: Callable[[dict[str, str]], Path]) -> None:
    tree({"tbfrom/__init__.py": "X = 1\n"})
    importlib.import_module("tbfrom")

    with pytest.raises(ImportError) as info:
        gobridge.import_from(sys.modules["tbfrom"], "nosuch")
    assert [name for _, name in frames_of(info.value)] == [
        "test_import_from_errors_have_no_gobridge_frames",
    ]


def test_import_functions_are_built_ins() -> None:
    for function, name in (
        (gobridge.__import__, "__import__"),
        (gobridge.import_from, "import_from"),
    ):
        assert type(function) is type(builtins.__import__)
        assert (function.__name__, function.__qualname__, function.__module__) == (
            name,
            name,
            "gobridge",
        )
        assert function.__self__ is gobridge
        assert pickle.loads(pickle.dumps(function)) is function
    # CPython's own (3.10 on; 3.9's builtins.__import__ has none)
    assert (
        str(inspect.signature(gobridge.__import__))
        == "(name, globals=None, locals=None, fromlist=(), level=0)"
    )
    assert str(inspect.signature(gobridge.import_from)) == "(module, name)"
    with pytest.raises(
        TypeError, match=r"__import__\(\) missing 1 required positional argument: 'name'"
    ):
        gobridge.__import__()


def test_cpythons_import_traceback_checks_pass_with_gobridge_import() -> None:
    """CPython's own test_import traceback checks, with gobridge.__import__
    as builtins.__import__: the same frames as C's import."""
    if importlib.util.find_spec("test.test_import") is None:
        pytest.skip("this CPython was installed without its test package")
    program = """
import builtins, sys, unittest
import gobridge
builtins.__import__ = gobridge.__import__
from test.test_import import ImportTracebackTests
suite = unittest.defaultTestLoader.loadTestsFromTestCase(ImportTracebackTests)
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() and result.testsRun >= 10 else 1)
"""
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tempfile.gettempdir(),
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- threads -----------------------------------------------------------------------


def run_threads(targets: list[Callable[[], Any]], timeout: float = 30) -> list[Any]:
    results: list[Any] = [None] * len(targets)
    barrier = threading.Barrier(len(targets))

    def run(i: int) -> None:
        barrier.wait()
        results[i] = outcome(targets[i])

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(targets))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout)
        assert not th.is_alive(), "an import hung"
    return results


SLOW_MODULE = """
    import time, builtins
    builtins._gb_executions = getattr(builtins, "_gb_executions", 0) + 1
    time.sleep(0.2)
    VALUE = 1
"""


def test_threads_importing_one_module_execute_it_once(
    tree: Callable[[dict[str, str]], Path],
) -> None:
    tree({"thslow.py": SLOW_MODULE})
    builtins._gb_executions = 0  # type: ignore[attr-defined]
    try:
        results = run_threads([lambda: gobridge.__import__("thslow").VALUE] * 16)
        assert results == [("returned", 1)] * 16
        assert builtins._gb_executions == 1  # type: ignore[attr-defined]
    finally:
        del builtins._gb_executions  # type: ignore[attr-defined]


def test_engine_and_importlib_share_module_locks(tree: Callable[[dict[str, str]], Path]) -> None:
    tree({"thshared.py": SLOW_MODULE})
    builtins._gb_executions = 0  # type: ignore[attr-defined]
    try:
        targets: list[Callable[[], Any]] = [
            lambda: importlib.import_module("thshared").VALUE,
            lambda: gobridge.__import__("thshared").VALUE,
        ] * 6
        assert run_threads(targets) == [("returned", 1)] * 12
        assert builtins._gb_executions == 1  # type: ignore[attr-defined]
    finally:
        del builtins._gb_executions  # type: ignore[attr-defined]


def test_circular_import_across_threads_does_not_deadlock(
    tree: Callable[[dict[str, str]], Path],
) -> None:
    tree(
        {
            "thcirc/__init__.py": "",
            "thcirc/a.py": """
                import time
                time.sleep(0.2)
                from . import b
                A = 1
            """,
            "thcirc/b.py": """
                import time
                time.sleep(0.2)
                from . import a
                B = 1
            """,
        }
    )
    importlib.import_module("thcirc")

    results = run_threads(
        [lambda: gobridge.__import__("thcirc.a"), lambda: gobridge.__import__("thcirc.b")]
    )
    assert results == [("returned", "thcirc"), ("returned", "thcirc")]
    assert sys.modules["thcirc.a"].A == 1 and sys.modules["thcirc.b"].B == 1


def test_many_threads_import_and_reimport(tree: Callable[[dict[str, str]], Path]) -> None:
    # A chain, so that every thread takes module locks in the same order: a
    # ring would let CPython raise _DeadlockError, with either import.
    files = {"thmany/__init__.py": "", "thmany/m0.py": "X = 0\n"}
    for i in range(1, 8):
        files[f"thmany/m{i}.py"] = f"from . import m{i - 1}\nX = {i}\n"
    tree(files)

    def work(i: int) -> Callable[[], Any]:
        def run() -> Any:
            for j in range(8):
                module = gobridge.__import__(f"thmany.m{(i + j) % 8}", fromlist=["X"])
                assert (i + j) % 8 == module.X
                gobridge.__import__("thmany", globals(), None, (f"m{j}",), 0)
            return "ok"

        return run

    assert run_threads([work(i) for i in range(16)]) == [("returned", "ok")] * 16


# --- the decision cache ---------------------------------------------------------------


def statement_import(
    name: str, globals: Any = None, locals: Any = None, fromlist: Any = None, level: int = 0
) -> Any:
    """gobridge.__import__ called as IMPORT_NAME calls it: five positional
    arguments, the form whose cached decisions the C layer answers."""
    return gobridge.__import__(name, globals, locals, fromlist, level)


def test_cached_decisions_follow_sys_modules(tree: Callable[[dict[str, str]], Path]) -> None:
    tree(
        {
            "cpkg/__init__.py": "",
            "cpkg/sub.py": "X = 1\n",
            "cpkg/other.py": "",
        }
    )
    imp = statement_import
    for _ in range(2):  # the second round is served by the cache
        assert imp("cpkg.sub").__name__ == "cpkg"
        assert imp("cpkg", fromlist=("sub", "other")).sub.X == 1
        assert imp("cpkg", fromlist=("sub",)).sub.X == 1
    replacement = type(sys)("replacement")
    sys.modules["cpkg.sub"] = replacement
    assert imp("cpkg.sub", fromlist=("X",)) is replacement
    sys.modules["cpkg.sub"] = None  # type: ignore[assignment]
    with pytest.raises(ModuleNotFoundError, match="import of cpkg.sub halted"):
        imp("cpkg.sub")
    del sys.modules["cpkg.sub"]
    del sys.modules["cpkg"].sub
    assert imp("cpkg", fromlist=("sub",)).sub.X == 1  # imported again
    assert imp("cpkg", fromlist=("sub",)).sub is sys.modules["cpkg.sub"]
    del sys.modules["cpkg"].__path__  # no longer a package: no fromlist import
    del sys.modules["cpkg"].other
    del sys.modules["cpkg.other"]
    assert not hasattr(imp("cpkg", fromlist=("other",)), "other")


def test_cached_relative_imports_depend_on_the_package(
    tree: Callable[[dict[str, str]], Path],
) -> None:
    tree({"rp1/__init__.py": "", "rp1/x.py": "", "rp2/__init__.py": "", "rp2/x.py": ""})
    imp = statement_import
    for _ in range(2):
        for package in ("rp1", "rp2"):
            module = imp("x", {"__package__": package}, None, ("y",), 1)
            assert module.__name__ == f"{package}.x"
            module = imp("", {"__package__": package}, None, ("x",), 1)
            assert module.__name__ == package


def test_relative_imports_that_warn_are_never_cached(
    tree: Callable[[dict[str, str]], Path],
) -> None:
    tree({"rw1/__init__.py": "", "rw1/x.py": "", "rw2/__init__.py": "", "rw2/x.py": ""})
    spec = importlib.util.spec_from_loader("rw2.mod", loader=None)
    for _ in range(2):  # cached for the package rw1
        assert statement_import("x", {"__package__": "rw1"}, None, ("y",), 1).__name__ == "rw1.x"
    for _ in range(3):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = statement_import(
                "x", {"__package__": "rw1", "__spec__": spec}, None, ("y",), 1
            )
        assert module.__name__ == "rw1.x"
        assert len(caught) == 1
        assert str(caught[0].message).startswith("__package__ != __spec__.parent")


def test_a_module_being_initialised_is_waited_for(tree: Callable[[dict[str, str]], Path]) -> None:
    tree({"cinit.py": SLOW_MODULE})
    builtins._gb_executions = 0  # type: ignore[attr-defined]
    try:
        statement_import("cinit")
        statement_import("cinit")  # cached
        forget("cinit")
        importer = threading.Thread(target=lambda: importlib.import_module("cinit"))
        importer.start()
        while "cinit" not in sys.modules:
            pass
        # Cached, but now initialising in another thread: the engine waits.
        assert statement_import("cinit").VALUE == 1
        importer.join()
        assert builtins._gb_executions == 2  # type: ignore[attr-defined]
    finally:
        del builtins._gb_executions  # type: ignore[attr-defined]


# --- processes ----------------------------------------------------------------------


@pytest.mark.parametrize("library", ["/nonexistent/libgobridge.so", "libgobridge.so"])
def test_without_a_usable_library_imports_go_on_in_python(tmp_path: Path, library: str) -> None:
    # Go cannot run, so neither can the engine: only gomod imports fail, with
    # the reason, and the process imports everything else (3.13 imports
    # linecache before it runs a -c program).
    proc = run_harnessed(
        """
        import builtins, gobridge, sys
        assert builtins.__import__ is gobridge.__import__
        import json, email.mime.text
        from os import path
        try:
            import gomod.strings
        except ImportError as exc:
            print("ImportError:", exc)
        """,
        tmp_path,
        library=library,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ImportError:")
    assert ("does not exist" if library.startswith("/") else "absolute path") in proc.stdout


def test_a_forked_child_still_imports(tmp_path: Path) -> None:
    (tmp_path / "forkmod.py").write_text("VALUE = 42\n")
    proc = run_harnessed(
        """
        import os, sys
        sys.path.insert(0, os.getcwd())
        import json, gomod._testing
        pid = os.fork()
        if pid == 0:
            import json, email.mime.text, forkmod
            from email import charset
            os._exit(0 if forkmod.VALUE == 42 else 1)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0"]


PROGRAM_TREE = {
    "app/__init__.py": "from . import config\nfrom .core import run\n",
    "app/config.py": "from . import core\nNAME = 'app'\n",
    "app/core.py": """
        from . import config
        from .util import helper
        import app.util.deep as deep
        def run():
            return [config.NAME, helper(), deep.DEEP]
    """,
    "app/util/__init__.py": "from .helpers import helper\n",
    "app/util/helpers.py": "from .. import config\ndef helper():\n    return 'helped'\n",
    "app/util/deep.py": "from ..util import helpers\nDEEP = helpers.helper() + '!'\n",
    "circ/__init__.py": "",
    "circ/a.py": "from circ import b\nA = 'a'\ndef get():\n    return b.B\n",
    "circ/b.py": "import circ.a\nB = 'b'\n",
    "circ/c.py": "from . import d\nC = 'c'\n",
    "circ/d.py": "from .c import C\n",
}

PROGRAM = """
    import os, sys
    sys.path.insert(0, os.getcwd())
    import builtins, importlib, json, pkgutil
    stdlib = getattr(sys, "stdlib_module_names", None)
    if stdlib is None:  # 3.9: the modules of the standard library's directories
        import sysconfig
        paths = sysconfig.get_paths()
        dirs = [paths["stdlib"], os.path.join(paths["platstdlib"], "lib-dynload")]
        stdlib = {m.name for m in pkgutil.iter_modules(dirs)}
    modules = [m.name for m in pkgutil.iter_modules() if not m.name.startswith(("_", "test"))
               and m.name in stdlib]
    imported, failed = [], {}
    skip = {"antigravity", "this", "idlelib", "turtledemo", "tkinter", "turtle"}
    for name in sorted(modules):
        if name in skip:
            continue
        try:
            importlib.import_module(name)
            imported.append(name)
        except Exception as exc:
            failed[name] = type(exc).__name__
    import app
    from circ import a
    errors = []
    try:
        import circ.c
    except ImportError as exc:
        errors.append([type(exc).__name__, str(exc).replace(os.getcwd(), "<cwd>"), exc.name])
    print(json.dumps({
        "engine": builtins.__import__ is getattr(sys.modules.get("gobridge"), "__import__", None),
        "stdlib": len(imported), "failed": failed, "app": app.run(), "circ": a.get(),
        "errors": errors,
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("app", "circ")),
    }, sort_keys=True))
"""


def test_a_real_program_behaves_the_same_with_the_engine(tmp_path: Path) -> None:
    for rel, source in PROGRAM_TREE.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    import json

    runs = {}
    for engine in (False, True):
        proc = run_harnessed(PROGRAM, tmp_path, engine=engine)
        assert proc.returncode == 0, proc.stderr
        runs[engine] = json.loads(proc.stdout)
    assert runs[True].pop("engine") is True
    assert runs[False].pop("engine") is False
    assert runs[True] == runs[False]
    assert runs[True]["stdlib"] > 150
    assert runs[True]["app"] == ["app", "helped", "helped!"]
    assert runs[True]["errors"][0][0] == "ImportError"


def test_import_from_without_go_matches_the_engine(tree: Callable[[dict[str, str]], Path]) -> None:
    # After fork() the Go runtime is gone and import_from runs its Python
    # fallback: it must fail exactly as the engine does.
    tree({"fbpkg/__init__.py": "X = 1\n", "fbpkg/sub.py": ""})
    package = importlib.import_module("fbpkg")
    importlib.import_module("fbpkg.sub")
    del package.sub  # only the table has it now
    fileless = type(sys)("fileless")
    partial = type(sys)("partial")
    partial.__file__ = "/src/partial.py"
    partial.__spec__ = type("Spec", (), {"_initializing": True})()
    cases = [(package, "X"), (package, "sub"), (package, "nosuch"), (fileless, "x"), (partial, "x")]
    cases.append((42, "x"))
    for module, name in cases:
        engine = outcome(functools.partial(gobridge.import_from, module, name))
        fallback = outcome(functools.partial(_importer._fallback_from, module, name))
        if engine[0] == "returned" and name == "X":
            continue  # the fallback is only reached after getattr failed
        assert fallback == engine, (module, name)
