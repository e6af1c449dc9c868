"""The raw layer: loads ``gobridge._native`` and opens the Go library.

Nothing above this module touches dlopen, library paths or process state;
nothing in it knows about modules, values or functions. It holds the entry
points of the call layer (``call_layer``) without knowing what they do.
"""

# Imported before Go starts (see gomod/__init__.py): annotations are quoted
# where Python 3.9 cannot evaluate them, rather than paying for __future__.
import os
import sys

from ._contrib import CACHE_ENV, cache_dir, contribution_dirs
from ._subinterpreters import in_subinterpreter

# Checked before _native loads: from 3.12 on, a sub-interpreter with a GIL
# of its own refuses the cffi extension with a message that does not say
# why, and one sharing the main interpreter's GIL is handed the main
# interpreter's ffi and lib objects (CPython copies the module of a
# single-phase extension), so nothing below would notice.
if in_subinterpreter():
    raise ImportError(
        "gomod modules cannot be imported from a sub-interpreter: the Go runtime and its "
        "module state belong to the main interpreter"
    )

from ._native import ffi, lib  # noqa: E402

TYPE_CHECKING = False  # typing costs start-up time; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["call_layer", "ffi", "lib", "library_path", "open_library", "start_library"]


class CallLayer:
    """What the modules gobridge imports on first need call back into the
    call layer (``gobridge._functions``) for: ``_objects`` makes methods and
    calls field accessors, ``_callbacks`` decodes the Go objects a callable
    is passed, ``_pending``, ``_pickling`` and ``_errors`` finish calls.
    They sit below ``_functions``, which imports them, so they cannot import
    it back; ``_functions`` fills this in as it is imported, which is before
    any Go call (docs/design.md, "Layers")."""

    __slots__ = ("make_function", "finish", "finish_scoped", "call_slow", "decode", "class_modules")

    if TYPE_CHECKING:
        make_function: Callable[..., Any]
        finish: Callable[[Any], Any]
        finish_scoped: Callable[[Any, int], Any]
        call_slow: Callable[[int, int, frozenset[int], tuple[Any, ...]], Any]
        decode: Callable[[Any], Any]
        class_modules: dict[int, str]


call_layer = CallLayer()

LIBRARY_NAME = "libgobridge.so"
LIBRARY_ENV = "GOBRIDGE_LIBRARY"
_PACKAGE_LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBRARY_NAME)

_opened = False

_DIFFERENT_LIBRARY = -2  # gb_open_fd: another library is already loaded


def library_path() -> str:
    """The absolute path of the Go library this process uses.

    ``GOBRIDGE_LIBRARY`` names a library built with ``python -m gobridge build``;
    it must be an absolute path, so that a library is never picked up from the
    current directory. Without it, when installed distributions contribute Go
    modules (``gobridge-modules`` directories on ``sys.path``), the library
    that links them with gobridge's modules is used (``gobridge._linking``,
    which builds it on first use); otherwise the library in gobridge's own
    package directory.
    """
    path, contributions = _library_choice()
    if path is not None:
        return path
    from . import _linking

    return _linking.library_for_contributions(contributions)


def _library_choice() -> "tuple[str | None, list[str]]":
    """The library path when no build is involved, or None and the
    contribution directories whose library ``gobridge._linking`` provides."""
    configured = os.environ.get(LIBRARY_ENV)
    if configured:
        if not os.path.isabs(configured):
            raise ImportError(
                f"{LIBRARY_ENV} must be an absolute path, got {configured!r}; "
                "gobridge never loads a library from a relative path"
            )
        return configured, []
    contributions = contribution_dirs()
    if contributions:
        return None, contributions
    return _PACKAGE_LIBRARY, []


def _refuse_second_runtime(path: str) -> None:
    """Raise ImportError if another Go runtime is already in the process.

    Go supports one runtime per process; a second one (another extension's
    Go library, or a second copy of gobridge) can crash the interpreter.
    """
    if not sys.platform.startswith("linux"):
        return
    others = foreign_go_runtimes(path)
    if others:
        raise ImportError(
            f"refusing to load the gobridge library {path}: this process already has a Go "
            f"runtime, from {', '.join(others)}, and one process can hold only one Go runtime "
            "(golang/go#65050). Build the Go code of that library into gobridge's library "
            "instead (a distribution can contribute Go packages, see gobridge's "
            "docs/authoring.md), or import the gomod modules in a separate process",
            path=path,
        )


def _check_process() -> None:
    """Raise RuntimeError in a child forked after Go started, where Go must
    not be loaded. (A sub-interpreter cannot import this module at all.)"""
    if lib.gb_forked():
        raise forked_error()


def _check_library(path: str) -> int:
    """Raise ImportError if the library at path is missing, if loading it
    would put a second Go runtime in the process, or if someone other than
    this user or root could have written it (``gobridge._trust``). Return the
    descriptor to load it through, or -1 to load it by its path: gobridge's
    own library, or one that is already mapped (and was checked then)."""
    if not os.path.exists(path):
        raise ImportError(f"the gobridge Go library is missing: {path} does not exist", path=path)
    if lib.gb_loaded_path() != ffi.NULL:
        return -1
    _refuse_second_runtime(path)
    if path == _PACKAGE_LIBRARY:
        return -1
    from . import _trust

    if os.environ.get(LIBRARY_ENV):
        return _trust.open_configured_library(path, LIBRARY_ENV)
    return _trust.open_cached_library(path, str(cache_dir()), CACHE_ENV)


def _open(path: str, fd: int, start: int) -> "tuple[int, str]":
    """gb_open_fd, then close the descriptor (the mapping keeps the file):
    its return code and message."""
    err = ffi.new("char[]", 1024)
    try:
        rc = lib.gb_open_fd(os.fsencode(path), fd, start, err, len(err))
    finally:
        if fd >= 0:
            os.close(fd)
    return rc, ffi.string(err).decode("utf-8", "replace")


def start_library() -> None:
    """Start loading the Go library, without waiting for its runtime.

    ``import gomod`` calls this first, so that the Go runtime initialises on
    its own thread while the rest of gobridge's Python modules import. It
    never raises: a library that cannot be loaded (or a process that must
    not load one) is left to ``open_library``, which says why. So is the
    library of installed distributions' contributions: finding it means
    hashing their sources (``gobridge._linking``).
    """
    if _opened:
        return
    try:
        _check_process()
        path, _ = _library_choice()
        if path is None:
            return
        fd = _check_library(path)
    except (ImportError, RuntimeError):
        return
    _open(path, fd, 0)


def open_library() -> None:
    """Load the Go library into the process, once, and wait for its runtime;
    raise ImportError if it cannot be loaded."""
    global _opened
    if _opened:
        _check_setting_unchanged()
        return
    _check_process()
    path = library_path()
    rc, message = _open(path, _check_library(path), 1)
    if rc != 0:
        if rc == _DIFFERENT_LIBRARY:
            message += (
                f". Set {LIBRARY_ENV} before the first gomod import of the process, to a "
                "library that holds every module it needs (python -m gobridge build links "
                "several Go packages into one)"
            )
        raise ImportError(message, path=path)
    _opened = True


# os.environ's own dict, keyed by bytes on POSIX: a miss there costs no
# KeyError, which os.environ.get raises and catches on every import.
_environ_data = getattr(os.environ, "_data", None) if os.name == "posix" else None
_ENV_KEY = os.fsencode(LIBRARY_ENV)


def _check_setting_unchanged() -> None:
    """Refuse a GOBRIDGE_LIBRARY set, after the library loaded, to another library."""
    if type(_environ_data) is dict and not _environ_data.get(_ENV_KEY):
        return
    configured = os.environ.get(LIBRARY_ENV)
    if not configured:
        return
    loaded = ffi.string(lib.gb_loaded_path()).decode()
    if os.path.realpath(configured) != os.path.realpath(loaded):
        raise ImportError(
            f"{LIBRARY_ENV} names {configured}, but this process already runs the Go library "
            f"{loaded}, and one process can hold only one Go runtime. Set {LIBRARY_ENV} "
            "before the first gomod import (or start a new process)",
            path=configured,
        )


def forked_error() -> RuntimeError:
    """The error every call raises in a child forked after the Go runtime started."""
    return RuntimeError(
        "the Go runtime does not survive fork(): this process was forked after gobridge "
        "loaded Go, so Go cannot be called here. Start worker processes with the 'spawn' "
        "or 'forkserver' start method (multiprocessing.set_start_method or "
        "get_context), or fork before the first gomod import"
    )


def forked_or_unloaded() -> Exception:
    """The error for a call the library could not even start."""
    if lib.gb_forked():
        return forked_error()
    return RuntimeError("the gobridge Go library is not loaded")


# --- another Go runtime in the process --------------------------------------------------------


def foreign_go_runtimes(ours: str) -> list[str]:
    """The loaded objects, other than the library at ``ours``, that carry a Go
    runtime (Go's build-id note), the main program included; Linux only."""
    size = 4096
    while True:
        buf = ffi.new("char[]", size)
        needed = lib.gb_go_runtimes(os.fsencode(ours), buf, size)
        if needed <= size:
            break
        size = needed
    listing = os.fsdecode(ffi.unpack(buf, needed))
    return [path for path in listing.split("\n") if path]
