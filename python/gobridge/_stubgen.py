"""``python -m gobridge stubgen``: type stubs (``.pyi``) for the gomod modules.

The stubs are written from what the runtime knows of each module, which is
what the Go library describes: parameter names, Python types of parameters
and results, classes with their methods and properties, constants. Each
module is imported to read it, so the stubs describe exactly the library
this process loads (``GOBRIDGE_LIBRARY``, or the library of the installed
contributions).

The output directory gets a ``gomod/`` tree of ``.pyi`` files; point mypy at
it with ``MYPYPATH=<dir>`` (or ``mypy_path`` in the mypy configuration).

Types the stubs cannot name (a Go type that no module declares as a class,
say) become ``Any``: a stub is never wrong, only sometimes vague.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path
from types import FunctionType, ModuleType
from typing import TYPE_CHECKING, Any

from . import _functions
from ._cli import command

if TYPE_CHECKING:
    import argparse

BYTES_LIKE = "bytes | bytearray | memoryview"

# Names an annotation may use, and where a stub imports them from.
_BUILTIN_NAMES = frozenset(
    {
        "int",
        "float",
        "complex",
        "str",
        "bytes",
        "bytearray",
        "memoryview",
        "bool",
        "object",
        "None",
        "list",
        "dict",
        "tuple",
        "set",
        "frozenset",
        "type",
    }
)
_TYPING_NAMES = {
    "Any": "typing",
    "Callable": "collections.abc",
    "Iterator": "collections.abc",
    "Iterable": "collections.abc",
    "AsyncIterator": "collections.abc",
    "Awaitable": "collections.abc",
    "Generator": "collections.abc",
    "Sequence": "collections.abc",
    "Mapping": "collections.abc",
}
# A value Python passes to Go may be any of these: the bridge converts any
# sequence to a Go slice, any mapping to a Go map, any bytes-like object
# to []byte. Values Go passes to Python keep their concrete types.
_ACCEPTED = {"list": "Sequence", "dict": "Mapping"}
# Bare generics get their parameters spelled out, as mypy --strict wants.
_BARE_GENERICS = {
    "Callable": "Callable[..., Any]",
    "Iterator": "Iterator[Any]",
    "Iterable": "Iterable[Any]",
    "AsyncIterator": "AsyncIterator[Any]",
    "Awaitable": "Awaitable[Any]",
    "Generator": "Generator[Any, Any, Any]",
    "list": "list[Any]",
    "dict": "dict[Any, Any]",
    "tuple": "tuple[Any, ...]",
    "set": "set[Any]",
    "frozenset": "frozenset[Any]",
}


class _Classes:
    """Every class of the stubbed modules, by Python name and by Go type name."""

    def __init__(self) -> None:
        self.by_module: dict[str, dict[str, type]] = {}

    def add(self, module: str, name: str, cls: type) -> None:
        self.by_module.setdefault(module, {})[name] = cls

    def resolve(self, module: str, name: str) -> tuple[str, str] | None:
        """(module, class name) for an annotation's name, seen from ``module``."""
        candidates: list[tuple[str, str]] = []
        for mod in [module] + sorted(m for m in self.by_module if m != module):
            for pyname, cls in self.by_module.get(mod, {}).items():
                go_name = getattr(cls, "_gb_go_type", "").lstrip("*").rsplit(".", 1)[-1]
                if name in (pyname, go_name):
                    candidates.append((mod, pyname))
            if candidates and mod == module:
                return candidates[0]
        return candidates[0] if len(candidates) == 1 else None


class _ModuleStub:
    """The text of one module's stub, with the imports it needs."""

    def __init__(self, module: str, classes: _Classes) -> None:
        self.module = module
        self.classes = classes
        self.imports: dict[str, set[str]] = {}
        self.modules: set[str] = set()  # imported as a whole: import gobridge
        self.lines: list[str] = []

    def need(self, source: str, name: str) -> None:
        self.imports.setdefault(source, set()).add(name)

    def annotation(self, text: Any, accepting: bool = False) -> str:
        """A Python annotation string from the runtime, as stub syntax.

        ``accepting`` is for a value Python passes to Go (a parameter): its
        lists and dicts become the Sequence and Mapping the bridge accepts.
        It flips inside a Callable, whose arguments come from Go and whose
        result goes to it.
        """
        if text is inspect.Parameter.empty or text is None or text == "":
            self.need("typing", "Any")
            return "Any"
        if not isinstance(text, str):
            text = getattr(text, "__name__", "Any")
        if text == "bytes-like object":
            return BYTES_LIKE
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            self.need("typing", "Any")
            return "Any"
        return ast.unparse(self._rewrite(tree.body, accepting))

    def _rewrite(self, node: ast.expr, accepting: bool) -> ast.expr:
        if isinstance(node, ast.Constant) and (node.value is None or node.value is Ellipsis):
            return node
        if isinstance(node, ast.Name):
            bare = _BARE_GENERICS.get(node.id)
            if bare is not None:
                return self._rewrite(ast.parse(bare, mode="eval").body, accepting)
            if accepting and node.id == "bytes":
                return ast.parse(BYTES_LIKE, mode="eval").body
            named = self._name(node.id)
            if accepting and self._is_value_class(node.id):
                # A value struct parameter also takes the dict of its fields.
                self.need("collections.abc", "Mapping")
                self.need("typing", "Any")
                fields = ast.parse("Mapping[str, Any]", mode="eval").body
                return ast.BinOp(named, ast.BitOr(), fields)
            return named
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            base = node.value.id
            if accepting and base in _ACCEPTED:
                base = _ACCEPTED[base]
                node.value = ast.Name(base)
            if base in _TYPING_NAMES:
                self.need(_TYPING_NAMES[base], base)
            elif base not in _BUILTIN_NAMES:
                return self._any()
            inner = node.slice
            if (
                base == "Callable"
                and isinstance(inner, ast.Tuple)
                and len(inner.elts) == 2
                and isinstance(inner.elts[0], ast.List)
            ):
                # Go passes the callable its arguments and takes its result.
                args = inner.elts[0]
                assert isinstance(args, ast.List)
                args.elts = [self._rewrite(e, not accepting) for e in args.elts]
                inner.elts[1] = self._rewrite(inner.elts[1], accepting)
                return node
            node.slice = self._rewrite(inner, accepting)
            return node
        if isinstance(node, ast.Tuple):
            node.elts = [self._rewrite(e, accepting) for e in node.elts]
            return node
        if isinstance(node, ast.List):  # Callable[[A, B], R]
            node.elts = [self._rewrite(e, accepting) for e in node.elts]
            return node
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            node.left = self._rewrite(node.left, accepting)
            node.right = self._rewrite(node.right, accepting)
            return node
        return self._any()

    def _name(self, name: str) -> ast.expr:
        if name in _BUILTIN_NAMES:
            return ast.Name(name)
        if name in _TYPING_NAMES:
            self.need(_TYPING_NAMES[name], name)
            return ast.Name(name)
        found = self.classes.resolve(self.module, name)
        if found is None:
            return self._any()
        module, pyname = found
        if module != self.module:
            self.need(module, pyname)
        return ast.Name(pyname)

    def _is_value_class(self, name: str) -> bool:
        found = self.classes.resolve(self.module, name)
        if found is None:
            return False
        cls = self.classes.by_module[found[0]][found[1]]
        return bool(getattr(cls, "_gb_is_go_value", False))

    def _any(self) -> ast.expr:
        self.need("typing", "Any")
        return ast.Name("Any")

    # --- declarations ----------------------------------------------------------------

    def parameters(self, fn: Any, skip_self: bool) -> tuple[list[str], bool]:
        """The parameter list of a function, and whether it has a keyword ``timeout``."""
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            self.need("typing", "Any")
            return ["*args: Any", "**kwargs: Any"], True
        params = list(sig.parameters.values())
        out: list[str] = ["self"] if skip_self else []
        if skip_self and params:
            params = params[1:]
        star_done = False
        has_timeout = False
        # The wrappers' signatures may leave the types to __annotations__.
        declared = getattr(fn, "__annotations__", {})
        for p in params:
            raw = p.annotation
            if raw is inspect.Parameter.empty:
                raw = declared.get(p.name, raw)
            ann = self.annotation(raw, accepting=True)
            if p.kind is p.VAR_POSITIONAL:
                out.append(f"*{p.name}: {ann}")
                star_done = True
                continue
            if p.kind is p.VAR_KEYWORD:
                out.append(f"**{p.name}: {ann}")
                continue
            if p.kind is p.KEYWORD_ONLY and not star_done:
                out.append("*")
                star_done = True
            if p.name == "timeout" and p.kind is p.KEYWORD_ONLY:
                has_timeout = True
                if raw is inspect.Parameter.empty:
                    ann = "float | None"
            default = "" if p.default is inspect.Parameter.empty else " = ..."
            out.append(f"{p.name}: {ann}{default}")
            if p.kind is p.POSITIONAL_ONLY and (
                p is params[-1] or params[params.index(p) + 1].kind is not p.POSITIONAL_ONLY
            ):
                out.append("/")
        return out, has_timeout

    def result(self, fn: Any) -> str:
        return self.annotation(getattr(fn, "__annotations__", {}).get("return", "None"))

    def function(self, name: str, fn: Any, indent: str = "") -> None:
        params, has_timeout = self.parameters(fn, skip_self=bool(indent))
        result = self.result(fn)
        if not indent and hasattr(fn, "aio"):
            # f(...) and await f.aio(...): a callable object with an aio method.
            self.need("typing", "Protocol")
            self.need("typing", "type_check_only")
            self.need("collections.abc", "Awaitable")
            aio_params = list(params)
            if not has_timeout:
                if not any(p.startswith("*") for p in aio_params):
                    aio_params.append("*")
                aio_params.append("timeout: float | None = ...")
            proto = f"_{name}_function"
            self.lines += [
                "@type_check_only",
                f"class {proto}(Protocol):",
                f"    def __call__({', '.join(['self', *params])}) -> {result}: ...",
                f"    def aio({', '.join(['self', *aio_params])}) -> Awaitable[{result}]: ...",
                "",
                f"{name}: {proto}",
            ]
            return
        self.lines.append(f"{indent}def {name}({', '.join(params)}) -> {result}: ...")

    def cls(self, name: str, cls: type) -> None:
        self.lines.append(f"class {name}:")
        body_start = len(self.lines)
        if getattr(cls, "_gb_is_go_value", False):
            for field, ann in cls.__dict__["__annotations__"].items():
                self.lines.append(f"    {field}: {self.annotation(ann)}")
        constructor = cls.__dict__.get("__signature__")
        if constructor is not None:
            params, _ = self.parameters(constructor.get(), skip_self=False)
            self.lines.append(f"    def __init__({', '.join(['self', *params])}) -> None: ...")
        for attr in list(cls.__dict__):
            # getattr, not the class dict: it builds methods made on first use.
            value = cls.__dict__[attr]
            if not isinstance(value, property):
                value = getattr(cls, attr)
            if isinstance(value, property):
                ann = self.annotation(getattr(value.fget, "__annotations__", {}).get("return"))
                self.lines += ["    @property", f"    def {attr}(self) -> {ann}: ..."]
                if value.fset is not None:
                    self.lines += [
                        f"    @{attr}.setter",
                        f"    def {attr}(self, value: {ann}) -> None: ...",
                    ]
            elif (isinstance(value, FunctionType) or _functions.is_go_callable(value)) and (
                not attr.startswith("_") or attr in ("__str__", "__eq__")
            ):
                if attr == "__eq__":
                    self.lines.append("    def __eq__(self, other: object) -> bool: ...")
                elif attr == "__str__":
                    self.lines.append("    def __str__(self) -> str: ...")
                else:
                    self.function(attr, value, indent="    ")
        if len(self.lines) == body_start:
            self.lines.append("    ...")

    def error_class(self, name: str, cls: type) -> None:
        """An exception class of the module: ``class ErrX(gobridge.GoError): ...``,
        with the builtin exception it also derives from, if any, and the
        attributes its Go fields give its exceptions."""
        self.modules.add("gobridge")
        bases = []
        for base in cls.__bases__:
            if base.__module__ == "builtins":
                bases.append(base.__name__)
            else:
                bases.append(f"{base.__module__}.{base.__qualname__}")
        fields = [f"    {attr}: {pytype}" for attr, pytype in getattr(cls, "_gb_fields", ())]
        self.lines.append(f"class {name}({', '.join(bases)}):{'' if fields else ' ...'}")
        self.lines += fields

    def text(self) -> str:
        head = [f"# Type stubs of {self.module}, written by python -m gobridge stubgen.", ""]
        for module in sorted(self.modules):
            head.append(f"import {module}")
        for source in sorted(self.imports, key=lambda s: (s.startswith("gomod"), s)):
            names = sorted(self.imports[source])
            head.append(f"from {source} import {', '.join(names)}")
        if self.imports or self.modules:
            head.append("")
        return "\n".join(head + self.lines).rstrip() + "\n"


def _is_go_class(value: Any) -> bool:
    return isinstance(value, type) and (
        getattr(value, "_gb_is_go_object", False) or getattr(value, "_gb_is_go_value", False)
    )


def _constant_type(value: Any) -> str:
    if value is None:
        return "None"
    kind = type(value).__name__
    return _BARE_GENERICS.get(kind, kind)


def module_stub(module: ModuleType, classes: _Classes) -> str:
    """The stub text of one imported gomod module."""
    stub = _ModuleStub(module.__name__, classes)
    names = list(getattr(module, "__all__", [n for n in vars(module) if not n.startswith("_")]))
    values = {n: getattr(module, n) for n in names if hasattr(module, n)}
    for name, value in values.items():
        if not (_is_go_class(value) or callable(value) or isinstance(value, ModuleType)):
            if _is_go_class(type(value)):  # a Go object bound as a module attribute
                ann = stub.annotation(type(value).__name__)
            else:
                ann = _constant_type(value)
            if "Any" in ann:
                stub.need("typing", "Any")
            stub.lines.append(f"{name}: {ann}")
    for name, value in values.items():
        if callable(value) and not _is_go_class(value) and not isinstance(value, type):
            stub.lines.append("")
            stub.function(name, value)
    for name, value in values.items():
        if _is_go_class(value):
            stub.lines += ["", ""]
            stub.cls(name, value)
    for name, value in values.items():
        if _is_module_error(value):
            stub.lines += ["", ""]
            stub.error_class(name, value)
    return stub.text()


def _is_module_error(value: Any) -> bool:
    """Whether value is an exception class of a Go module (Module.Error,
    Module.ErrorType)."""
    from ._errors import GoError

    return isinstance(value, type) and issubclass(value, GoError) and value is not GoError


def generate(
    out: Path, names: list[str] | None = None, include_private: bool = False
) -> list[Path]:
    """Write the stubs of the gomod modules into ``out/gomod``; return the files written.

    ``names`` limits them to these modules (``gomod.x``) and their parents;
    private modules (a part starting with ``_``) are left out unless
    ``include_private``. A module whose import fails is reported on stderr
    and left out.
    """
    import gobridge

    entries = gobridge.modules()
    unknown = [n for n in names or [] if not any(e.name == n for e in entries)]
    if unknown:
        raise ValueError(f"no registered module named {', '.join(unknown)}")
    wanted = []
    for entry in entries:
        private = any(part.startswith("_") for part in entry.name.split("."))
        if private and not include_private:
            continue
        if names and not any(
            entry.name == n or n.startswith(entry.name + ".") or entry.name.startswith(n + ".")
            for n in names
        ):
            continue
        wanted.append(entry)
    modules: dict[str, ModuleType] = {}
    classes = _Classes()
    for entry in wanted:
        try:
            module = importlib.import_module(entry.name)
        except Exception as exc:  # noqa: BLE001 - any failed import is reported and skipped
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            print(
                f"gobridge stubgen: skipping {entry.name}: {type(exc).__name__}: {first_line}",
                file=sys.stderr,
            )
            continue
        modules[entry.name] = module
        # dir, not vars: a module makes its classes on first use.
        for attr in dir(module):
            if not attr.startswith("_"):
                value = getattr(module, attr)
                if _is_go_class(value):
                    classes.add(entry.name, attr, value)
    written: list[Path] = []
    packages = {e.name for e in wanted if e.is_package} | {"gomod"}
    for name in sorted(packages):
        if name not in modules:
            path = out.joinpath(*name.split("."), "__init__.pyi")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# The gomod package {name}.\n", encoding="utf-8")
            written.append(path)
    for name, module in sorted(modules.items()):
        parts = name.split(".")
        if name in packages:
            path = out.joinpath(*parts, "__init__.pyi")
        else:
            path = out.joinpath(*parts[:-1], parts[-1] + ".pyi")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module_stub(module, classes), encoding="utf-8")
        written.append(path)
    return written


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        default="stubs",
        metavar="DIR",
        help="directory to write gomod/*.pyi into (default: ./stubs); use it as MYPYPATH",
    )
    parser.add_argument(
        "modules",
        nargs="*",
        metavar="MODULE",
        help="only these modules (gomod.x); default: every registered module",
    )
    parser.add_argument("--all", action="store_true", help="include private (_name) modules")


@command("stubgen", "write .pyi type stubs of the gomod modules (for mypy)", _configure)
def _stubgen(args: argparse.Namespace) -> int:
    out = Path(args.output).resolve()
    names = [n if n.startswith("gomod.") or n == "gomod" else f"gomod.{n}" for n in args.modules]
    try:
        written = generate(out, names or None, include_private=args.all)
    except ValueError as exc:
        print(f"gobridge stubgen: {exc}", file=sys.stderr)
        return 2
    print(
        f"gobridge: wrote {len(written)} stub files under {out / 'gomod'}; "
        f"use them with MYPYPATH={out}",
        file=sys.stderr,
    )
    return 0
