"""The raw layer: loads ``gobridge._native`` and opens the Go library.

Nothing above this module touches dlopen, library paths or process state;
nothing in it knows about modules, values or functions.
"""

from __future__ import annotations

import os
import sys

from ._native import ffi, lib

__all__ = ["ffi", "lib", "library_path", "open_library"]

LIBRARY_NAME = "libgobridge.so"
LIBRARY_ENV = "GOBRIDGE_LIBRARY"

_opened = False


def library_path() -> str:
    """The absolute path of the Go library this process uses.

    ``GOBRIDGE_LIBRARY`` names a library built with ``python -m gobridge build``;
    it must be an absolute path, so that a library is never picked up from the
    current directory. Without it, the library in gobridge's own package
    directory is used.
    """
    configured = os.environ.get(LIBRARY_ENV)
    if configured:
        if not os.path.isabs(configured):
            raise ImportError(
                f"{LIBRARY_ENV} must be an absolute path, got {configured!r}; "
                "gobridge never loads a library from a relative path"
            )
        return configured
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBRARY_NAME)


def _in_subinterpreter() -> bool:
    try:
        import _xxsubinterpreters as interpreters  # type: ignore[import-not-found]
    except ImportError:
        return False
    return bool(interpreters.get_current() != interpreters.get_main())


def open_library() -> None:
    """Load the Go library into the process, once; raise ImportError if it cannot be."""
    global _opened
    if _opened:
        return
    if lib.gb_forked():
        raise forked_error()
    if "_xxsubinterpreters" in sys.builtin_module_names and _in_subinterpreter():
        raise ImportError(
            "gomod modules cannot be imported from a sub-interpreter: the Go runtime and its "
            "module state belong to the main interpreter"
        )
    path = library_path()
    if not os.path.exists(path):
        raise ImportError(f"the gobridge Go library is missing: {path} does not exist", path=path)
    err = ffi.new("char[]", 1024)
    if lib.gb_open(os.fsencode(path), err, len(err)) != 0:
        raise ImportError(ffi.string(err).decode("utf-8", "replace"), path=path)
    _opened = True


def forked_error() -> RuntimeError:
    """The error every call raises in a child forked after the Go runtime started."""
    return RuntimeError(
        "the Go runtime does not survive fork(): this process was forked after gobridge "
        "loaded Go, so Go cannot be called here. Start worker processes with the 'spawn' "
        "or 'forkserver' start method (multiprocessing.set_start_method or "
        "get_context), or fork before the first gomod import"
    )
