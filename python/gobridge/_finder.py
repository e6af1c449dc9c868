"""The meta-path finder and loader of the ``gomod`` namespace.

``import gomod`` runs ``gomod/__init__.py``, which calls ``install``: from
then on this finder sits in ``sys.meta_path`` after the built-in and frozen
importers and before ``PathFinder``, and answers for ``gomod.*`` names from
the registry of the Go library. It never searches the file system. The Go
runtime is loaded by the first ``gomod.*`` lookup, not before.

Packages get a ``__path__`` of one marker entry (``gomod://<name>``) that
only our path hook accepts, so ``pkgutil.iter_modules`` and
``walk_packages`` list the registered modules.
"""

from __future__ import annotations

import _thread
import os
import sys
from _frozen_importlib import ModuleSpec  # importlib.machinery's, without importing importlib

# Imported here, not in find_spec: CPython (3.11) calls find_spec holding
# its global import lock, and an import from there can deadlock with a
# thread that holds a module lock and waits for that global lock.
from . import _contrib, _errors, _ffi, _functions

TYPE_CHECKING = False  # typing and types cost start-up time; type checkers read the block below
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from types import ModuleType
    from typing import Any, Callable
else:
    ModuleType = type(sys)

NAMESPACE = "gomod"
_PREFIX = NAMESPACE + "."
PATH_MARKER = "gomod://"


class _Entry:
    __slots__ = ("name", "is_package", "summary", "go_package", "registered")

    def __init__(
        self, name: str, is_package: bool, summary: str, go_package: str, registered: bool
    ) -> None:
        self.name = name
        self.is_package = is_package
        self.summary = summary
        self.go_package = go_package
        self.registered = registered


_entries: dict[str, _Entry] | None = None
_entries_lock = _thread.allocate_lock()
_conflicts: dict[str, list[str]] = {}
"""Names (``gomod.x``) that more than one Go package registered: the Go
packages, which ``gobridge._contrib.conflict_message`` puts in the words of
distributions. Such a module cannot be imported; the others can."""


def entries() -> dict[str, _Entry]:
    """The registered modules by full name (``gomod.x``), loading the library on first use.

    A dotted name whose parents were not registered gets them as empty,
    implicit packages, so every registered module can be imported.
    """
    global _entries
    if _entries is not None:
        return _entries
    with _entries_lock:
        return _entries if _entries is not None else _load_entries()


def _load_entries() -> dict[str, _Entry]:
    global _entries
    _ffi.open_library()
    table: dict[str, _Entry] = {}
    for name, is_package, summary, go_package, conflict in _functions.finish(
        _ffi.lib.gb_registry()
    ):
        full = _PREFIX + name
        if conflict:
            _conflicts[full] = conflict
            continue
        table[full] = _Entry(full, is_package, summary, go_package, True)
    for full in list(table):
        parts = full.split(".")
        for i in range(2, len(parts)):
            parent = ".".join(parts[:i])
            if parent not in table:
                table[parent] = _Entry(parent, True, "", "", False)
    _entries = table
    return table


def _refuse_missing(fullname: str) -> None:
    """Raise ModuleNotFoundError naming ``GOBRIDGE_LIBRARY`` when it is set:
    it overrides the installed distributions' Go modules, which a module
    missing from its library may well be among."""
    configured = os.environ.get(_ffi.LIBRARY_ENV)
    if configured:
        raise ModuleNotFoundError(
            f"No module named {fullname!r}: {_ffi.LIBRARY_ENV} is set, to {configured}, and "
            "that library does not register it. The variable overrides the Go modules of "
            "installed distributions; unset it to use them, or rebuild that library with "
            "the package of this module (python -m gobridge build)",
            name=fullname,
        )


class UnavailableLoader:
    """The loader of a module the library cannot provide: several Go
    packages register its name, or its distribution's contribution was left
    out of the link. Executing it raises ImportError saying which
    distributions are involved and what to do."""

    @classmethod
    def create_module(cls, spec: ModuleSpec) -> ModuleType | None:
        return None

    @classmethod
    def exec_module(cls, module: ModuleType) -> None:
        name = module.__name__
        message = _contrib.unavailable_modules.get(name)
        if message is None:
            library = _ffi.ffi.string(_ffi.lib.gb_loaded_path()).decode()
            message = _contrib.conflict_message(name, _conflicts.get(name, []), library)
        raise ImportError(message, name=name)


def package_path(fullname: str) -> list[str]:
    """The ``__path__`` of a gomod package."""
    return [PATH_MARKER + fullname]


class GoModuleFinder:
    """Finds modules registered in the Go library, under ``gomod.``."""

    @classmethod
    def find_spec(
        cls, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not fullname.startswith(_PREFIX):
            return None
        entry = entries().get(fullname)
        if entry is None:
            if fullname in _conflicts or fullname in _contrib.unavailable_modules:
                # Found, but it cannot load: the loader raises the ImportError
                # that says why (imports here would run under the global
                # import lock, see above).
                return ModuleSpec(fullname, UnavailableLoader, origin="go")  # type: ignore[arg-type]
            _refuse_missing(fullname)
            return None
        origin = f"go:{entry.go_package}" if entry.registered else "go"
        loader: Any = GoModuleLoader  # a class used as a loader, as BuiltinImporter is
        spec = ModuleSpec(fullname, loader, origin=origin, is_package=entry.is_package)
        if entry.is_package:
            spec.submodule_search_locations = package_path(fullname)
        return spec

    @classmethod
    def invalidate_caches(cls) -> None:
        """Nothing to invalidate: the registry never changes once sealed."""

    def __repr__(self) -> str:
        return "<gobridge.GoModuleFinder>"


class GoModuleLoader:
    """Builds a fresh module from its Go factory on every import and reload."""

    @classmethod
    def create_module(cls, spec: ModuleSpec) -> ModuleType | None:
        return None

    @classmethod
    def exec_module(cls, module: ModuleType) -> None:
        name = module.__name__
        _ffi.open_library()  # also refuses a GOBRIDGE_LIBRARY changed since loading
        entry = entries().get(name)
        if entry is None:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        if not entry.registered:
            module.__doc__ = f"Go modules under {name}."
            return
        go_name = name[len(_PREFIX) :].encode()
        doc, handle, first, functions, others, public = _functions.finish(
            _ffi.lib.gb_module_new(go_name, len(go_name))
        )
        namespace = module.__dict__
        # Functions by fid, consecutive from the first, and classes and
        # exception classes by (kind, description): made on first use.
        lazy: dict[str, Any] = dict(zip(functions, range(first, first + len(functions))))
        for attr, kind, payload in others:
            if kind == "value":
                namespace[attr] = payload
                continue
            lazy[attr] = (kind, payload)
            if kind == "class":
                _functions.class_modules[payload] = name
            else:
                _errors.declare_module_error(name, attr)
        if "__getattr__" in namespace:
            for attr in lazy:  # a reload replaces the functions and classes made before
                namespace.pop(attr, None)
        namespace["__doc__"] = doc
        namespace["__all__"] = public
        if lazy:
            # Only functions refer to the instance: Go lends none without them.
            instance = ModuleInstance(handle, _ffi.lib.gb_release) if handle else None
            namespace["__getattr__"] = _lazy_attributes(namespace, lazy, instance)
            module.__class__ = GoModule

    @classmethod
    def is_package(cls, fullname: str) -> bool:
        entry = entries().get(fullname)
        return bool(entry and entry.is_package)

    @classmethod
    def get_code(cls, fullname: str) -> None:
        return None

    @classmethod
    def get_source(cls, fullname: str) -> None:
        return None


def _lazy_attributes(
    namespace: dict[str, Any], lazy: dict[str, Any], instance: ModuleInstance | None
) -> Callable[[str], Any]:
    """The module ``__getattr__`` (PEP 562) that makes each function, class
    and exception class on first use, so that importing a module costs about
    as much whatever it holds: Go analyses a function, and describes a class,
    only when Python first asks for it. An exception class is also made when
    Go first raises it (``_errors``). Threads that race to make the same
    attribute get the same object, the first one bound."""
    module_name = namespace["__name__"]

    def __getattr__(attr: str) -> Any:
        entry = lazy.get(attr)
        if entry is None:
            raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
        value: Any
        if type(entry) is int:
            value = _functions.make_function(
                module_name, _functions.finish(_ffi.lib.gb_describe(entry))
            )
            _functions.general_path(value).__globals__["_instance"] = instance
        elif entry[0] == "class":
            value = _functions.submodule("_objects").make_class(
                module_name, _functions.finish(_ffi.lib.gb_type_info(entry[1]))
            )
        else:
            value = _errors.module_error(module_name, attr)
        return namespace.setdefault(attr, value)

    __getattr__.lazy = lazy  # type: ignore[attr-defined]
    return __getattr__


class GoModule(ModuleType):
    """A Go module: its functions and classes are made on first use, and
    appear in ``dir()`` and ``help()`` before that; deleting one not made yet
    works as for any module.

    The lazy ``__getattr__`` stays in the module's dict, where PEP 562 looks:
    on the class it would take module attribute loads off CPython's
    specialised path. ``__dir__`` is on the class, and leaves ``__getattr__``
    out, so that neither shows among the module's functions.
    """

    def __dir__(self) -> list[str]:
        namespace = self.__dict__
        names = set(namespace) | set(getattr(namespace.get("__getattr__"), "lazy", ()))
        names.discard("__getattr__")
        return sorted(names)

    def __delattr__(self, attr: str) -> None:
        lazy = getattr(self.__dict__.get("__getattr__"), "lazy", {})
        if attr in lazy and attr not in self.__dict__:
            del lazy[attr]
            return
        lazy.pop(attr, None)
        super().__delattr__(attr)


class ModuleInstance:
    """One execution of a Go module; collecting it releases its Go side.

    Every function of the execution refers to it, so a function kept after a
    reload keeps working until it is dropped.
    """

    __slots__ = ("handle", "release")

    def __init__(self, handle: int, release: Callable[[int], None]) -> None:
        self.handle = handle
        self.release = release

    def __del__(self) -> None:
        self.release(self.handle)


class DeferredLoader:
    """Loads a gomod module looked up while ``gomod`` was still initialising.

    Such a lookup comes from another thread that CPython lets past the
    package's initialisation; it cannot wait for it in ``find_spec`` (which
    runs under the global import lock), so ``gomod``'s early finder returns a
    spec whose loader waits for the package when the module executes, under
    its own module lock, and then calls this one, which does what the real
    finder and loader would have.
    """

    @classmethod
    def create_module(cls, spec: ModuleSpec) -> ModuleType | None:
        return None

    @classmethod
    def exec_module(cls, module: ModuleType) -> None:
        name = module.__name__
        spec = GoModuleFinder.find_spec(name)
        if spec is None:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        if module.__spec__ is not None:
            module.__spec__.loader = spec.loader
            module.__spec__.origin = spec.origin
            module.__spec__.submodule_search_locations = spec.submodule_search_locations
        module.__loader__ = spec.loader
        if spec.submodule_search_locations is not None:
            module.__path__ = spec.submodule_search_locations
        elif hasattr(module, "__path__"):
            del module.__path__
        GoModuleLoader.exec_module(module)


class GoPathEntryFinder:
    """The path-entry finder of a ``gomod://`` marker, for ``pkgutil``."""

    def __init__(self, entry: str) -> None:
        self.package = entry[len(PATH_MARKER) :]

    def find_spec(self, fullname: str, target: ModuleType | None = None) -> ModuleSpec | None:
        return GoModuleFinder.find_spec(fullname, None, target)

    def invalidate_caches(self) -> None:
        """Nothing to invalidate."""

    def iter_modules(self, prefix: str = "") -> Iterator[tuple[str, bool]]:
        """The direct children of the package, as ``pkgutil`` expects."""
        depth = self.package.count(".") + 1
        for full, entry in sorted(entries().items()):
            if full.startswith(self.package + ".") and full.count(".") == depth:
                yield prefix + full.rsplit(".", 1)[1], entry.is_package


def _path_hook(entry: str) -> GoPathEntryFinder:
    if isinstance(entry, str) and entry.startswith(PATH_MARKER):
        return GoPathEntryFinder(entry)
    raise ImportError("not a gomod path entry")


# Set once this module has finished initialising: gomod's early finder
# hands lookups to GoModuleFinder only from then on.
READY = True


def _register_pkgutil() -> None:
    """Teach ``pkgutil`` to list our entries; it dispatches on the finder's type."""
    pkgutil = sys.modules.get("pkgutil")
    if pkgutil is not None:
        pkgutil.iter_importer_modules.register(
            GoPathEntryFinder, lambda finder, prefix="": finder.iter_modules(prefix)
        )


def install(replacing: object = None) -> None:
    """Put the finder before ``PathFinder`` in ``sys.meta_path``, once, in
    the place of ``replacing`` if that is there."""
    if replacing is not None and replacing in sys.meta_path:
        index = sys.meta_path.index(replacing)
        if GoModuleFinder in sys.meta_path:
            del sys.meta_path[index]
        else:
            sys.meta_path[index] = GoModuleFinder
    if GoModuleFinder not in sys.meta_path:
        index = len(sys.meta_path)
        for i, finder in enumerate(sys.meta_path):
            if getattr(finder, "__name__", "") == "PathFinder":
                index = i
                break
        sys.meta_path.insert(index, GoModuleFinder)
    if _path_hook not in sys.path_hooks:
        sys.path_hooks.insert(0, _path_hook)
    _register_pkgutil()


def namespace_path() -> list[str]:
    """The ``__path__`` the ``gomod`` package itself gets."""
    return package_path(NAMESPACE)
