"""The C ABI as the shim's headers declare it, against go/capi, which
implements it.

bridge/native_build.py makes cffi's declarations from the C headers: the
functions the loader forwards (``GB_FORWARDED`` in gb_loader.h), the entry
points the C layer calls directly (``GB_DIRECT`` in gb_loader.c), and the
scalar callback kinds (``GB_SCALAR_KINDS`` in gb_callbacks.h). Each is a
second description of something Go defines -- an exported function, the ABI
version, a status, the order of callbackKind -- so these tests read both and
compare them. (go/internal/bridge's TestCallbackKindsFollowTheShimOrder
checks callbackKind itself against GB_SCALAR_KINDS.)
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
CAPI = REPO / "go" / "capi"
BRIDGE = REPO / "go" / "internal" / "bridge"


@pytest.fixture(scope="module")
def native_build() -> ModuleType:
    path = REPO / "bridge" / "native_build.py"
    spec = importlib.util.spec_from_file_location("_gobridge_native_build_abi", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def go_constant(path: Path, pattern: str) -> int:
    found = re.search(pattern, path.read_text(encoding="utf-8"), re.M)
    assert found, f"{path}: no match for {pattern}"
    return int(found.group(1))


def go_exports() -> dict[str, tuple[str, list[str]]]:
    """Each function go/capi exports to C: its C result type ("void" for
    none) and parameter types, as cgo writes them."""
    exports = {}
    for path in sorted(CAPI.glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        text = path.read_text(encoding="utf-8")
        for name, params, result in re.findall(
            r"^//export (\w+)\nfunc \1\(([^)]*)\)\s*([^{]*)\{", text, re.M
        ):
            # Go groups parameters of one type: "fid, self C.uint64_t".
            types: list[str] = []
            following = ""
            for param in reversed([p.strip() for p in params.split(",") if p.strip()]):
                if " " in param:
                    following = go_c_type(param.split(None, 1)[1])
                types.append(following)
            exports[name] = (go_c_type(result.strip()) if result.strip() else "void", types[::-1])
    return exports


def go_c_type(go_type: str) -> str:
    """The C type of cgo's C.name or *C.name."""
    found = re.fullmatch(r"(\*?)C\.(\w+)", go_type.strip())
    assert found, go_type
    return found.group(2) + (" *" if found.group(1) else "")


def shim_c_type(declaration: str, named: bool = True) -> str:
    """A C type of the shim's, without const or the parameter's name, and
    with the shim's names for abi.h's types."""
    words = declaration.replace("*", " * ").split()
    if named:
        words = words[:-1]
    words = [w for w in words if w != "const"]
    aliases = {"gb_ret": "gobridge_ret", "gb_span": "gobridge_span"}
    return " ".join(aliases.get(w, w) for w in words)


def shim_signature(ret: str, params: str) -> tuple[str, list[str]]:
    if params.strip() == "void":
        return shim_c_type(ret, named=False), []
    return shim_c_type(ret, named=False), [shim_c_type(p) for p in params.split(",")]


def test_forwarded_functions_are_go_exports(native_build: ModuleType) -> None:
    exports = go_exports()
    forwarded = native_build.forwarded_functions()
    assert len(forwarded) > 10, forwarded
    for ret, name, params in forwarded:
        symbol = f"gobridge_{name}"
        assert symbol in exports, f"GB_FORWARDED's {name}: go/capi exports no {symbol}"
        assert shim_signature(ret, params) == exports[symbol], symbol


def test_direct_entries_are_go_exports(native_build: ModuleType) -> None:
    exports = go_exports()
    direct = native_build._table(str(REPO / "bridge" / "gb_loader.c"), "GB_DIRECT")
    assert [row[1] for row in direct][:1] == ["gb_invoke"], direct
    for ret, _, params, symbol, _ in direct:
        symbol = symbol.strip('"')
        assert symbol in exports, f"GB_DIRECT: go/capi exports no {symbol}"
        assert shim_signature(ret, params[1:-1]) == exports[symbol], symbol


def test_abi_version_is_go_capis(native_build: ModuleType) -> None:
    go = go_constant(CAPI / "capi.go", r"^const ABIVersion = (\d+)$")
    assert go == native_build.ABI_VERSION


def test_statuses_are_go_bridges(native_build: ModuleType) -> None:
    calls = BRIDGE / "calls.go"
    for go_name, c_name in (("OK", "GB_OK"), ("OKObjects", "GB_OK_OBJECTS"), ("Error", "GB_ERROR")):
        go = go_constant(calls, rf"^\t{go_name} Status = (\d+)$")
        assert native_build.STATUS[c_name] == go, c_name
    assert sorted(native_build.STATUS.values()) == list(range(len(native_build.STATUS)))


def test_callback_kinds_follow_the_documented_order(native_build: ModuleType) -> None:
    """GB_SCALAR_KINDS lists arities 0 to MaxFastArity, argument kinds over
    "iud", results over "iudbv", as gb_callbacks.h says and callbackKind
    counts."""
    arity = go_constant(BRIDGE / "fast.go", r"^const MaxFastArity = (\d+)$")
    assert arity == native_build.MAX_FAST_ARITY
    documented = [
        ("".join(args), result)
        for n in range(arity + 1)
        for args in itertools.product("iud", repeat=n)
        for result in "iudbv"
    ]
    assert native_build.callback_kinds() == documented


def test_cdef_is_made_of_the_headers_declarations(native_build: ModuleType) -> None:
    cdef = native_build.cdef()
    # A declaration spread over lines in the header is one line of the cdef.
    assert (
        "gb_ret gb_call_b1(uint64_t fid, uint64_t self, const char *args, size_t args_len, "
        "const void *buf, size_t buf_len);" in cdef.splitlines()
    )
    assert 'extern "Python+C" int64_t gb_py_invoke(' in cdef
    for _, name, _ in native_build.forwarded_functions():
        assert re.search(rf"^\w+ gb_{name}\(", cdef, re.M), name
    with pytest.raises(LookupError, match="no declaration of gb_absent"):
        native_build._declaration(native_build._read(native_build.HEADERS[0]), "gb_absent")
