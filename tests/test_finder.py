"""The gomod finder and loader: specs, module attributes and the importlib API."""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import pkgutil
import pydoc
import re
import sys

import pytest

import gobridge
import gomod
import gomod.crypto
import gomod.crypto.sha256
import gomod.strings
from gobridge._finder import GoModuleFinder, GoModuleLoader

REGISTERED = [entry.name for entry in gobridge.modules()]
PACKAGES = {entry.name for entry in gobridge.modules() if entry.is_package}
PLAIN = [name for name in REGISTERED if name not in PACKAGES]
# Modules whose initialisation fails on purpose cannot be imported.
FAILING = ("gomod._broken_init", "gomod._panicking_init", "gomod._bad_registration")
IMPORTABLE_PLAIN = [n for n in PLAIN if n not in FAILING]


def test_registry_lists_the_shipped_modules():
    for name in [
        "gomod.strings",
        "gomod.crypto",
        "gomod.crypto.sha256",
        "gomod.crypto.md5",
        "gomod.encoding",
        "gomod.encoding.base64",
        "gomod.encoding.hex",
        "gomod.math",
        "gomod.math.bits",
        "gomod.regexp",
        "gomod._testing",
    ]:
        assert name in REGISTERED
    assert sorted(REGISTERED) == REGISTERED
    assert {"gomod.crypto", "gomod.encoding", "gomod.math"} <= PACKAGES
    assert "gomod.strings" not in PACKAGES


# --- specs --------------------------------------------------------------------


@pytest.mark.parametrize("name", REGISTERED)
def test_spec_is_like_a_builtin_modules(name):
    spec = importlib.util.find_spec(name)
    assert spec is not None
    assert spec.name == name
    assert spec.loader is GoModuleLoader
    assert spec.origin and spec.origin.startswith("go")
    assert spec.has_location is False
    assert spec.cached is None
    assert spec.parent == (name if name in PACKAGES else name.rsplit(".", 1)[0])
    if name in PACKAGES:
        assert spec.submodule_search_locations
        assert all(isinstance(p, str) for p in spec.submodule_search_locations)
    else:
        assert spec.submodule_search_locations is None


def test_spec_origin_names_the_go_package():
    entry = {e.name: e for e in gobridge.modules()}["gomod.strings"]
    assert entry.go_package.endswith("/modules/strings")
    assert importlib.util.find_spec("gomod.strings").origin == "go:" + entry.go_package


def test_find_spec_of_unregistered_name_is_none():
    assert importlib.util.find_spec("gomod.nope") is None
    assert importlib.util.find_spec("gomod.crypto.nope") is None
    assert "gomod.nope" not in sys.modules


def test_find_spec_below_a_plain_module_raises():
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.util.find_spec("gomod.strings.x")
    assert info.value.name == "gomod.strings.x"


def test_finder_declines_names_outside_gomod():
    for name in ["os", "json.decoder", "gomod", "gomodx", "gomodx.strings", "xgomod.strings", ""]:
        assert GoModuleFinder.find_spec(name) is None, name
        assert GoModuleFinder.find_spec(name, None, None) is None, name


def test_finder_answers_only_registered_gomod_names():
    spec = GoModuleFinder.find_spec("gomod.math.bits")
    assert spec is not None and spec.name == "gomod.math.bits"
    assert GoModuleFinder.find_spec("gomod.math.bitz") is None
    assert GoModuleFinder.find_spec("gomod.") is None
    assert GoModuleFinder.find_spec("gomod..strings") is None


# --- module attributes --------------------------------------------------------


@pytest.mark.parametrize("name", IMPORTABLE_PLAIN)
def test_plain_module_attributes(name):
    module = importlib.import_module(name)
    for attr in ("__file__", "__cached__", "__path__"):
        assert not hasattr(module, attr), attr
    assert module.__name__ == name
    assert module.__package__ == name.rsplit(".", 1)[0]
    assert module.__spec__.name == name
    assert module.__loader__ is GoModuleLoader
    assert isinstance(module.__doc__, str) and module.__doc__.strip()


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_package_attributes(name):
    module = importlib.import_module(name)
    assert not hasattr(module, "__file__")
    assert not hasattr(module, "__cached__")
    assert module.__package__ == name
    assert list(module.__path__) == list(module.__spec__.submodule_search_locations)
    assert module.__path__


def test_repr_is_like_a_builtin_modules():
    module = gomod.strings
    assert repr(module) == f"<module 'gomod.strings' ({module.__spec__.origin})>"
    assert repr(gomod.crypto).startswith("<module 'gomod.crypto' (go")


def test_dir_lists_the_go_functions():
    names = dir(gomod.strings)
    for name in ["to_upper", "to_lower", "split", "join", "contains", "fields", "repeat"]:
        assert name in names
        assert name in gomod.strings.__all__
    assert all(not n.startswith("_") for n in gomod.strings.__all__)


def test_dir_and_help_show_the_go_api_and_no_machinery():
    module = importlib.reload(gomod.strings)  # no function built yet
    names = dir(module)
    assert "__getattr__" not in names and "__dir__" not in names
    assert [n for n in names if not n.startswith("__")] == sorted(module.__all__)
    assert {"__doc__", "__name__", "__all__"} <= set(names)
    text = pydoc.render_doc(module, renderer=pydoc.plaintext)
    functions = text.split("\nFUNCTIONS\n", 1)[1].split("\nDATA\n", 1)[0]
    listed = re.findall(r"^    (\w+)\(", functions, re.MULTILINE)
    routines = [n for n in module.__all__ if callable(getattr(module, n)) and n != "Replacer"]
    assert listed == sorted(routines)
    assert "repeat(s, count)" in functions
    assert "Repeat returns a new string consisting of count copies" in functions
    for machinery in ("__getattr__", "__dir__", "lambda", "gobridge._finder"):
        assert machinery not in text
    # help() goes through the same pydoc rendering.
    out = io.StringIO()
    pydoc.Helper(output=out).help(module)
    assert "__getattr__" not in out.getvalue() and "repeat(s, count)" in out.getvalue()


def test_dir_follows_deleted_functions():
    module = importlib.reload(gomod.strings)
    del module.repeat  # not built yet
    assert "repeat" not in dir(module)
    module.to_upper("x")
    del module.to_upper  # built
    assert "to_upper" not in dir(module)
    importlib.reload(module)
    assert {"repeat", "to_upper"} <= set(dir(module))


def test_help_renders():
    text = pydoc.render_doc(gomod.strings, renderer=pydoc.plaintext)
    assert "gomod.strings" in text
    assert "to_upper(s)" in text
    assert "ToUpper returns s with all Unicode letters mapped to their upper case" in text
    out = io.StringIO()
    pydoc.Helper(output=out).help(gomod.crypto.sha256)
    assert "sum256" in out.getvalue()
    assert "class Hash" in out.getvalue()
    out = io.StringIO()
    pydoc.Helper(output=out).help(gomod.strings.split)
    assert "split(s, sep)" in out.getvalue()


# --- importlib API ------------------------------------------------------------


def test_import_module_absolute_and_relative():
    assert importlib.import_module("gomod.strings") is gomod.strings
    assert importlib.import_module(".sha256", "gomod.crypto") is gomod.crypto.sha256
    md5 = importlib.import_module("..md5", "gomod.crypto.sha256")
    assert md5.__name__ == "gomod.crypto.md5"
    assert importlib.import_module(".crypto.sha256", "gomod") is gomod.crypto.sha256
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module(".nope", "gomod.crypto")
    assert info.value.name == "gomod.crypto.nope"


def test_from_import_forms():
    from gomod.crypto import md5, sha256

    assert sha256 is sys.modules["gomod.crypto.sha256"]
    assert md5 is sys.modules["gomod.crypto.md5"]
    from gomod.strings import to_upper

    assert to_upper("go") == "GO"
    with pytest.raises(ImportError) as info:
        from gomod.strings import no_such_function  # noqa: F401
    assert "no_such_function" in str(info.value)
    assert info.value.name == "gomod.strings"


def test_reload_keeps_the_object_and_reexecutes():
    module = importlib.import_module("gomod.math.bits")
    before = module.ones_count64
    del module.rotate_left64
    module.marker = "kept"
    reloaded = importlib.reload(module)
    assert reloaded is module
    assert sys.modules["gomod.math.bits"] is module
    # re-executed: the deleted function is back and functions are new objects
    assert module.rotate_left64(1, 1) == 2
    assert module.ones_count64 is not before
    # CPython's reload keeps what the namespace held
    assert module.marker == "kept"
    # a function kept from before the reload still works
    assert before(0xFF) == 8
    assert module.ones_count64(0xFF) == 8


def test_reload_many_times_releases_old_instances(handles):
    module = importlib.import_module("gomod.strings")
    # Other tests may hold functions of the first execution: count from a
    # reload on, when only the module holds the current execution.
    importlib.reload(module)
    baseline = handles()
    for _ in range(30):
        importlib.reload(module)
    assert module.to_upper("abc") == "ABC"
    assert handles() == baseline


def test_reload_of_a_package():
    reloaded = importlib.reload(gomod.crypto)
    assert reloaded is gomod.crypto
    assert gomod.crypto.sha256 is sys.modules["gomod.crypto.sha256"]


def test_pkgutil_iter_modules_lists_the_top_level():
    found = {(m.name, m.ispkg) for m in pkgutil.iter_modules(gomod.__path__)}
    expected = {
        (name[len("gomod.") :], name in PACKAGES) for name in REGISTERED if name.count(".") == 1
    }
    assert found == expected


def test_pkgutil_iter_modules_of_a_subpackage():
    found = sorted(m.name for m in pkgutil.iter_modules(gomod.crypto.__path__, "gomod.crypto."))
    expected = sorted(n for n in REGISTERED if n.startswith("gomod.crypto."))
    assert found == expected == ["gomod.crypto.md5", "gomod.crypto.sha256"]


def test_pkgutil_walk_packages_lists_every_registered_module():
    found = [(m.name, m.ispkg) for m in pkgutil.walk_packages(gomod.__path__, "gomod.")]
    assert sorted(found) == sorted((name, name in PACKAGES) for name in REGISTERED)
    assert len(found) == len(set(found))


# --- imports in a fresh interpreter -------------------------------------------


def _gomod_modules_after(run_python, statement):
    code = (
        f"{statement}\nimport sys, json\n"
        "names = [k for k in sys.modules if k == 'gomod' or k.startswith('gomod.')]\n"
        "print(json.dumps(sorted(names)))"
    )
    return json.loads(run_python(code).stdout)


def test_importing_a_package_does_not_import_its_submodules(run_python):
    assert _gomod_modules_after(run_python, "import gomod.crypto") == ["gomod", "gomod.crypto"]
    assert _gomod_modules_after(run_python, "import gomod.math") == ["gomod", "gomod.math"]
    assert _gomod_modules_after(run_python, "import gomod") == ["gomod"]


def test_importing_a_submodule_imports_and_binds_parents(run_python):
    code = """
import sys
import gomod.crypto.sha256 as m
assert sys.modules['gomod.crypto'].sha256 is m
assert sys.modules['gomod'].crypto is sys.modules['gomod.crypto']
assert 'gomod.crypto.md5' not in sys.modules
print(m.sum256(b'').hex())
"""
    out = run_python(code).stdout.strip()
    assert out == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_importing_a_plain_module_imports_nothing_else(run_python):
    assert _gomod_modules_after(run_python, "import gomod.strings") == ["gomod", "gomod.strings"]


# --- unknown names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("gomod.nope", "gomod.nope"),
        ("gomod.nope.deeper", "gomod.nope"),
        ("gomod.crypto.nope", "gomod.crypto.nope"),
        ("gomod.Strings", "gomod.Strings"),
    ],
)
def test_unregistered_name_gives_cpythons_error(name, missing):
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module(name)
    assert str(info.value) == f"No module named '{missing}'"
    assert info.value.name == missing
    assert missing not in sys.modules
    with pytest.raises(ModuleNotFoundError) as info:
        __import__(name)
    assert str(info.value) == f"No module named '{missing}'"


def test_import_statement_of_unregistered_name():
    with pytest.raises(ModuleNotFoundError) as info:
        import gomod.nope  # noqa: F401
    assert str(info.value) == "No module named 'gomod.nope'"
    assert info.value.name == "gomod.nope"


def test_submodule_of_a_plain_module_gives_cpythons_error():
    with pytest.raises(ModuleNotFoundError) as info:
        import gomod.strings.x  # noqa: F401
    assert str(info.value) == "No module named 'gomod.strings.x'; 'gomod.strings' is not a package"
    assert info.value.name == "gomod.strings.x"
    # the same text CPython gives for a plain stdlib module
    with pytest.raises(ModuleNotFoundError) as reference:
        import json.decoder.x  # noqa: F401
    assert str(reference.value) == (
        "No module named 'json.decoder.x'; 'json.decoder' is not a package"
    )


def test_finder_declines_names_outside_gomod_without_asking_go(run_python, tmp_path):
    # With a library that cannot be loaded, the finder must still answer
    # "not mine" for every name outside gomod, without opening the library:
    # otherwise every later import in the process would raise its ImportError.
    not_a_library = tmp_path / "libgobridge.so"
    not_a_library.write_bytes(b"not an ELF file")
    code = """if True:
        import sys
        import gomod
        from gobridge._finder import GoModuleFinder
        for name in ["os", "json.decoder", "gomod", "gomodx", "gomodx.strings", "colorsys", ""]:
            assert GoModuleFinder.find_spec(name) is None, name
        import colorsys, json.decoder, xml.dom.minidom  # not imported yet: the finder is asked
        assert "colorsys" in sys.modules
        try:
            import gomod.strings
        except ImportError as e:
            print("gomod import refused:", e)
        else:
            raise AssertionError("an unusable library imported gomod.strings")
        import wave  # and after the refusal too
        """
    proc = run_python(code, env={"GOBRIDGE_LIBRARY": str(not_a_library)})
    assert "gomod import refused:" in proc.stdout, proc.stdout + proc.stderr
