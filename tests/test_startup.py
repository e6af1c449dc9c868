"""Start-up, in fresh interpreters: what importing gomod costs and changes.

Each test runs a child interpreter (see the run_python fixture), because
what it checks is the state of a process before and after its first
``gomod`` import.
"""

from __future__ import annotations

import json
import os

# Prints, as JSON, whether the Go library and the cffi extension are mapped
# into the child process, and the state of the import system.
STATE = """
import json, sys
def state():
    with open('/proc/self/maps') as f:
        maps = f.read()
    return {
        'go_mapped': 'libgobridge' in maps,
        'native_mapped': any('gobridge/_native' in line for line in maps.splitlines()),
        'meta_path': [getattr(f, '__name__', type(f).__name__) for f in sys.meta_path],
        'gobridge_modules': sorted(
            m for m in sys.modules if m.split('.')[0] in ('gobridge', 'gomod')
        ),
        'path_hooks': len(sys.path_hooks),
    }
"""


def child_state(run_python, body: str, **kwargs) -> dict:
    code = STATE + body + "\nprint(json.dumps(result))"
    return json.loads(run_python(code, **kwargs).stdout.splitlines()[-1])


def test_import_gomod_module_with_nothing_set_up(run_python):
    proc = run_python("import gomod.strings\nprint(gomod.strings.to_upper('works'))")
    assert proc.stdout.strip() == "WORKS"
    assert proc.stderr == ""


def test_import_works_in_isolated_mode(run_python):
    # -I: no environment variables, no user site, no script directory
    proc = run_python("from gomod.crypto import sha256\nprint(sha256.sum256(b'abc').hex())", "-I")
    assert proc.stdout.strip() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_untouched_interpreter_pays_nothing(run_python):
    result = child_state(
        run_python,
        """
import json, os, re, decimal, email.parser, importlib.util
importlib.util.find_spec('json.decoder')
result = state()
""",
    )
    assert result["go_mapped"] is False
    assert result["native_mapped"] is False
    assert result["gobridge_modules"] == []
    assert "GoModuleFinder" not in result["meta_path"]


def test_meta_path_unchanged_without_gomod(run_python):
    result = child_state(
        run_python,
        """
before = state()
import json, decimal
after = state()
import gobridge
with_gobridge = state()
result = {'before': before, 'after': after, 'with_gobridge': with_gobridge}
""",
    )
    assert result["after"]["meta_path"] == result["before"]["meta_path"]
    # gobridge itself is only the machinery: importing it installs nothing
    # and loads no Go
    assert result["with_gobridge"]["meta_path"] == result["before"]["meta_path"]
    assert result["with_gobridge"]["path_hooks"] == result["before"]["path_hooks"]
    assert result["with_gobridge"]["go_mapped"] is False


def test_go_starts_with_gomod_not_before(run_python):
    result = child_state(
        run_python,
        """
import gobridge, gobridge._ffi
after_gobridge = state()
import gomod
after_gomod = state()
import json, decimal, xml.dom   # non-gomod imports go past the finder
after_others = state()
import gomod.strings
after_strings = state()
result = {'gobridge': after_gobridge, 'gomod': after_gomod, 'others': after_others,
          'strings': after_strings}
""",
    )
    assert result["gobridge"]["go_mapped"] is False
    assert "GoModuleFinder" not in result["gobridge"]["meta_path"]
    # import gomod starts the runtime, which initialises while the rest of
    # gobridge imports and the first Go module waits for it
    assert "GoModuleFinder" in result["gomod"]["meta_path"]
    assert result["gomod"]["go_mapped"] is True
    assert result["strings"]["go_mapped"] is True
    assert result["strings"]["native_mapped"] is True


def test_gomod_imports_without_a_usable_library(run_python, tmp_path):
    # The runtime starts on a best-effort basis: a library that cannot load
    # does not break import gomod, and the first Go module says why.
    for value in ("/nonexistent/libgobridge.so", "relative/libgobridge.so"):
        proc = run_python(
            """
import gomod
print('gomod imported')
try:
    import gomod.strings
except ImportError as e:
    print('ImportError:', e)
""",
            env={"GOBRIDGE_LIBRARY": value},
        )
        assert proc.returncode == 0, proc.stderr
        imported, error = proc.stdout.strip().splitlines()
        assert imported == "gomod imported"
        assert error.startswith("ImportError:"), (value, error)


def test_start_up_imports_nothing_heavy(run_python):
    # What a plain interpreter has not loaded costs start-up time: gomod and
    # the modules it needs must not pull in typing, re, collections, enum,
    # contextlib, weakref or importlib (several milliseconds together). -S
    # keeps site (and the .pth files of this environment) from loading them
    # first; the path gives just gobridge and cffi.
    import _cffi_backend

    import gomod

    path = os.pathsep.join(
        [
            os.path.dirname(os.path.dirname(gomod.__file__ or "")),
            os.path.dirname(_cffi_backend.__file__),
        ]
    )
    proc = run_python(
        """
import sys
before = set(sys.modules)
import gomod.strings
gomod.strings.to_upper('x')
print(' '.join(sorted(set(sys.modules) - before)))
""",
        "-S",
        env={"PYTHONPATH": path},
    )
    loaded = set(proc.stdout.split())
    assert "gomod.strings" in loaded
    heavy = {
        "typing", "re", "collections", "enum", "contextlib", "weakref", "importlib",
        "warnings", "functools", "inspect", "threading", "asyncio",
    }  # fmt: skip
    assert not loaded & heavy, sorted(loaded & heavy)


def test_finder_position(run_python):
    result = child_state(
        run_python,
        """
import importlib
import gomod
first = state()
import gomod.strings, gomod.crypto.sha256
importlib.reload(gomod)
from gobridge import _finder
_finder.install()
again = state()
result = {'first': first, 'again': again}
""",
    )
    for key in ("first", "again"):
        meta_path = result[key]["meta_path"]
        assert meta_path.count("GoModuleFinder") == 1, meta_path
        ours = meta_path.index("GoModuleFinder")
        assert meta_path.index("BuiltinImporter") < ours
        assert meta_path.index("FrozenImporter") < ours
        assert ours < meta_path.index("PathFinder")
        assert ours == meta_path.index("PathFinder") - 1
    assert result["again"]["path_hooks"] == result["first"]["path_hooks"]


def test_gomod_does_not_shadow_other_modules(run_python):
    # The finder answers only for gomod.*; stdlib modules still come from
    # their usual finders.
    proc = run_python(
        """
import gomod, gomod.strings, sys
import json, collections, _json
assert json.__spec__.loader.__class__.__name__ == 'SourceFileLoader', json.__spec__
assert _json.__spec__.origin in ('built-in', 'frozen') or _json.__file__
assert type(sys.modules['gomod'].__spec__.loader).__name__ == 'SourceFileLoader'
print('ok')
"""
    )
    assert proc.stdout.strip() == "ok"


def test_bad_library_path_is_a_clear_import_error(run_python, tmp_path):
    not_a_library = tmp_path / "not-a-library.so"
    not_a_library.write_text("not ELF")
    for value, text in [
        ("/nonexistent/libgobridge.so", "does not exist"),
        ("relative/libgobridge.so", "absolute"),
        (str(not_a_library), "not-a-library.so"),
    ]:
        proc = run_python(
            """
try:
    import gomod.strings
except ImportError as e:
    print('ImportError:', e)
""",
            env={"GOBRIDGE_LIBRARY": value},
        )
        assert proc.stdout.startswith("ImportError:"), (value, proc.stdout, proc.stderr)
        assert text in proc.stdout


def test_interpreter_exits_cleanly_after_go_calls(run_python):
    proc = run_python(
        """
import threading
import gomod._testing as t, gomod.regexp as r
rx = r.compile('a+')
c = t.new_counter(1)
threading.Thread(target=t.sleep_ms, args=(50,)).start()
print(t.spin(1000), rx.find_string('baaa'), c.incr(1))
"""
    )
    assert proc.stdout.split() == [str(_spin_1000()), "aaa", "2"]
    assert proc.stderr == ""


def _spin_1000() -> int:
    x = 88172645463325252
    mask = 2**64 - 1
    for _ in range(1000):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
    return x
