"""gobridge: Go-implemented modules for Python, imported like any other module.

Go modules import below the ``gomod`` namespace (``import gomod.strings``).
This package holds the machinery and a small public API: the exceptions Go
errors and panics become, and diagnostics of the loaded Go runtime. Importing
it does not load Go.
"""

# import gomod imports this package before it starts Go, so nothing here may
# cost start-up time: no typing, not even from __future__ import annotations.
TYPE_CHECKING = False  # type checkers read the block below
if TYPE_CHECKING:
    from typing import Any

    from ._errors import GoError, GoPanic

__all__ = ["GoError", "GoPanic", "import_from", "modules", "release", "runtime_info", "stats"]


def runtime_info() -> "dict[str, Any]":
    """Describe the loaded Go library: its path, Go version, platform and modules.

    ``module_origins`` maps each module to its Go package, and
    ``module_distributions`` to the Python distribution that contributed it
    (``"gobridge"`` for gobridge's own, None for a package of a local
    ``python -m gobridge build``). Loads the library if no gomod module has
    been imported yet.
    """
    from . import _contrib, _ffi, _functions

    _ffi.open_library()
    info: dict[str, Any] = _functions.finish(_ffi.lib.gb_runtime_info())
    info["library"] = _ffi.ffi.string(_ffi.lib.gb_loaded_path()).decode()
    info["module_origins"] = {
        entry.name: entry.go_package for entry in modules() if entry.go_package
    }
    info["module_distributions"] = _contrib.module_distributions(
        info["library"], info["module_origins"]
    )
    return info


def modules() -> "list[Any]":
    """Every registered module, sorted by name, with ``name``, ``is_package``,
    ``summary`` and ``go_package`` attributes."""
    from ._finder import entries

    return [entry for _, entry in sorted(entries().items())]


def stats() -> dict[str, int]:
    """Counters for diagnostics: Go objects lent to Python (``handles``), live
    goroutines (``goroutines``) and Go objects Python holds (``python_objects``)."""
    from . import _ffi, _functions, _objects

    _ffi.open_library()
    counts: dict[str, int] = _functions.finish(_ffi.lib.gb_stats())
    counts["python_objects"] = _objects.handle_count()
    return counts


def __getattr__(name: str) -> "Any":
    """The exceptions, from ``gobridge._errors``, and the import functions,
    ``__import__`` and ``import_from``, from ``gobridge._importer``: loaded on
    first access, so that ``import gomod`` starts Go sooner, and the import
    engine loading Go only when an import needs it. ``__version__`` is
    ``gobridge._contrib``'s, which sits below this package and cannot import
    it for the version."""
    if name == "__version__":
        from ._contrib import VERSION

        value = globals()[name] = VERSION
        return value
    if name in ("GoError", "GoPanic"):
        from . import _errors

        value = globals()[name] = getattr(_errors, name)
        return value
    if name in ("__import__", "import_from"):
        from . import _importer

        return getattr(_importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"__import__", "__version__"})


def release(obj: "Any") -> None:
    """Give a Go object back to Go now, rather than when Python collects it.

    Using the object afterwards raises ``ValueError``; releasing it twice is
    harmless.
    """
    from . import _objects

    _objects.release(obj)
