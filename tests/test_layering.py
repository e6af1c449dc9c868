"""The layering of gobridge's Python packages, read from their source.

Every import of one gobridge (or gomod) module by another is an edge: the
import statement at module level or inside a function, ``from . import x``
and ``from .x import y``, ``importlib.import_module("gobridge.x")`` and the
like with a literal name, and ``_functions.submodule("x")``, gobridge's lazy
import. Imports under ``if TYPE_CHECKING:`` are for type checkers only and
are left out. The graph must have no cycle, and no runtime module may reach
the build tooling (docs/design.md, "Layers").
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PYTHON = Path(__file__).resolve().parent.parent / "python"

# The build tooling: what builds, generates, packages and measures. The rest
# is the runtime, which a program importing gomod modules loads.
TOOLING_PREFIXES = (
    "gobridge._build",
    "gobridge._gen",
    "gobridge._stubgen",
    "gobridge.setuptools",
    "gobridge.bench",
    "gobridge._cli",
    "gobridge.__main__",
)

# Modules without a Python source: the cffi extension (bridge/native_build.py).
EXTENSIONS = ("gobridge._native",)

# Calls whose first argument, a string literal, names a module they import.
_IMPORTING_CALLS = {"import_module", "_gcd_import", "__import__", "_bootstrap_import"}


def is_tooling(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in TOOLING_PREFIXES)


def module_files() -> dict[str, tuple[Path, bool]]:
    """Each module's dotted name, its file and whether it is a package."""
    found: dict[str, tuple[Path, bool]] = {}
    for top in ("gobridge", "gomod"):
        for path in sorted((PYTHON / top).rglob("*.py")):
            rel = path.relative_to(PYTHON).with_suffix("")
            parts = list(rel.parts)
            if "_go" in parts or "src" in parts:  # the Go SDK copy, the benchmarks' sources
                continue
            package = parts[-1] == "__init__"
            if package:
                parts.pop()
            found[".".join(parts)] = (path, package)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST):
    """ast.walk without the bodies of ``if TYPE_CHECKING:``."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, ast.If) and _is_type_checking(current.test):
            stack.extend(current.orelse)
            stack.append(current.test)
            continue
        stack.extend(ast.iter_child_nodes(current))


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def imports_of(module: str, path: Path, package: bool, known: set[str]) -> dict[str, int]:
    """The gobridge and gomod modules module imports, each with a line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module if package else module.rpartition(".")[0]
    edges: dict[str, int] = {}

    def add(name: str, line: int) -> None:
        # A module without a source file here (the C extension _native, a
        # gomod module of Go) is a node with no edges of its own.
        if name.partition(".")[0] in ("gobridge", "gomod") and name != module:
            edges.setdefault(name, line)

    for node in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                if f"{source}.{alias.name}" in known:
                    add(f"{source}.{alias.name}", node.lineno)
                else:
                    add(source, node.lineno)
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            name = _called_name(node)
            if name == "submodule":
                add("gobridge." + first.value, node.lineno)
            elif name in _IMPORTING_CALLS:
                add(first.value, node.lineno)
    return edges


def import_graph() -> dict[str, dict[str, int]]:
    files = module_files()
    known = set(files) | set(EXTENSIONS)
    return {name: imports_of(name, path, pkg, known) for name, (path, pkg) in files.items()}


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """A cycle of the graph as the list of its modules, the first repeated
    at the end; None if there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, {})):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def tangles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def describe(graph: dict[str, dict[str, int]], chain: list[str]) -> str:
    files = module_files()
    return "\n".join(
        f"  {a} -> {b} ({files[a][0].relative_to(PYTHON)} line {graph[a][b]})"
        for a, b in zip(chain, chain[1:])
    )


def test_the_graph_sees_every_kind_of_import():
    """The collector itself: a test that finds no edge proves nothing."""
    graph = import_graph()
    assert "gobridge._functions" in graph["gobridge._finder"]  # from . import x
    assert "gobridge._ffi" in graph["gomod"]  # from gobridge._ffi import y
    assert "gobridge._errors" in graph["gobridge"]  # inside a function
    assert "gobridge._pending" in graph["gobridge._functions"]  # submodule("x")
    assert "gobridge._native" in graph["gobridge._ffi"]  # an extension module
    assert "gobridge._cli" in graph["gobridge._gen"]  # tooling on tooling


def test_the_collector_leaves_out_type_checking_blocks(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n"
        "    from . import a\n"
        "else:\n"
        "    from . import b\n"
        "def f():\n"
        "    from .c import thing\n"
        "    return submodule('d'), importlib.import_module('gobridge.e')\n"
    )
    known = {f"gobridge.{x}" for x in "abcde"} | {"gobridge", "gobridge.m"}
    edges = imports_of("gobridge.m", source, False, known)
    assert sorted(edges) == ["gobridge.b", "gobridge.c", "gobridge.d", "gobridge.e"]
    source.write_text("from . import __version__, c\nimport gobridge.b.x, os\n")
    edges = imports_of("gobridge.m", source, False, known)
    assert sorted(edges) == ["gobridge", "gobridge.b.x", "gobridge.c"]


def test_find_cycle_reports_the_cycle():
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4, "e": 5}, "e": {"d": 6}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert tangles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None
    assert tangles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycles():
    graph = import_graph()
    cycle = find_cycle(graph)
    if cycle is not None:
        groups = "\n".join("  " + ", ".join(group) for group in tangles(graph))
        pytest.fail(
            "gobridge's modules import each other in a cycle:\n"
            + describe(graph, cycle)
            + "\nthe modules that import each other, directly or not:\n"
            + groups
        )


def test_runtime_never_reaches_build_tooling():
    # A path from the runtime into the tooling starts with an edge from a
    # runtime module to a tooling one: there must be none.
    graph = import_graph()
    wrong = [
        describe(graph, [module, target])
        for module, edges in sorted(graph.items())
        if not is_tooling(module)
        for target in sorted(edges)
        if is_tooling(target)
    ]
    assert not wrong, "runtime modules import build tooling:\n" + "\n".join(wrong)


BRIDGE = PYTHON.parent / "bridge"


def names_the_c_layer_reads() -> dict[str, set[str]]:
    """The attributes the C layer reads from gobridge's modules by name: the
    hooks of gb_function.c (``hook("x")``, from ``_functions``) and what a
    function takes from a module it finds in ``sys.modules``."""
    read: dict[str, set[str]] = {}
    for path in sorted(BRIDGE.glob("*.c")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r'\bhook\("(\w+)"\)', text):
            read.setdefault("gobridge._functions", set()).add(name)
        for body in text.split("\n}\n"):  # one C function at a time
            for var, module in re.findall(
                r'(\w+) = PyDict_GetItemString\([^;]*"(gobridge\.\w+)"\);', body
            ):
                names = re.findall(rf'PyObject_GetAttrString\({var}, "(\w+)"\)', body)
                read.setdefault(module, set()).update(names)
    return read


def test_the_c_layer_reads_names_the_modules_have():
    # The C layer looks modules up by name, where no import shows: moving a
    # function or table to another module must move the C side's lookup too.
    import importlib

    read = names_the_c_layer_reads()
    assert {"exception_from_record", "take_lent_exception"} <= read["gobridge._functions"]
    assert {"targets", "_targets"} <= read["gobridge._callbacks"]
    missing = [
        f"{module}.{name}"
        for module, names in sorted(read.items())
        for name in sorted(names)
        if not hasattr(importlib.import_module(module), name)
    ]
    assert not missing, f"the C layer reads names its modules lack: {missing}"
