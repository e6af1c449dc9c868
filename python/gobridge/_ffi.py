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
    current directory. Without it, when installed distributions contribute Go
    modules (``gobridge-modules`` directories on ``sys.path``), the library
    that links them with gobridge's modules is used (``gobridge._build``);
    otherwise the library in gobridge's own package directory.
    """
    configured = os.environ.get(LIBRARY_ENV)
    if configured:
        if not os.path.isabs(configured):
            raise ImportError(
                f"{LIBRARY_ENV} must be an absolute path, got {configured!r}; "
                "gobridge never loads a library from a relative path"
            )
        return configured
    contributions = _contribution_dirs()
    if contributions:
        from . import _build

        return _build.library_for_contributions(contributions)
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBRARY_NAME)


CONTRIB_DIR = "gobridge-modules"
"""The directory, in a ``sys.path`` entry, where installed distributions put
the Go sources they contribute (see ``gobridge._build``)."""


def _contribution_dirs() -> list[str]:
    """The ``gobridge-modules`` directories of ``sys.path``: one stat per entry,
    so that a process without contributions pays nothing more."""
    found = []
    for entry in sys.path:
        if entry and isinstance(entry, str):
            candidate = os.path.join(entry, CONTRIB_DIR)
            if os.path.isdir(candidate) and candidate not in found:
                found.append(candidate)
    return found


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
        _check_setting_unchanged()
        return
    if lib.gb_forked():
        raise forked_error()
    if _in_subinterpreter():
        raise ImportError(
            "gomod modules cannot be imported from a sub-interpreter: the Go runtime and its "
            "module state belong to the main interpreter"
        )
    path = library_path()
    if not os.path.exists(path):
        raise ImportError(f"the gobridge Go library is missing: {path} does not exist", path=path)
    if lib.gb_loaded_path() == ffi.NULL:
        _refuse_second_runtime(path)
    err = ffi.new("char[]", 1024)
    if lib.gb_open(os.fsencode(path), err, len(err)) != 0:
        message = ffi.string(err).decode("utf-8", "replace")
        if lib.gb_loaded_path() != ffi.NULL:
            message += (
                f". Set {LIBRARY_ENV} before the first gomod import of the process, to a "
                "library that holds every module it needs (python -m gobridge build links "
                "several Go packages into one)"
            )
        raise ImportError(message, path=path)
    _opened = True


def _check_setting_unchanged() -> None:
    """Refuse a GOBRIDGE_LIBRARY set, after the library loaded, to another library."""
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


# --- another Go runtime in the process --------------------------------------------------------


def _has_go_buildinfo(path: str) -> bool:
    """Whether an ELF file has a ``.go.buildinfo`` section: it carries a Go runtime."""
    import struct

    try:
        with open(path, "rb") as f:
            ident = f.read(64)
            if len(ident) < 64 or ident[:4] != b"\x7fELF":
                return False
            is64, endian = ident[4] == 2, "<" if ident[5] == 1 else ">"
            if is64:
                (shoff,) = struct.unpack_from(endian + "Q", ident, 0x28)
                shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", ident, 0x3A)
            else:
                (shoff,) = struct.unpack_from(endian + "I", ident, 0x20)
                shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", ident, 0x2E)
            if not shoff or not shnum or shstrndx >= shnum or shnum > 4096:
                return False
            f.seek(shoff)
            table = f.read(shentsize * shnum)
            fmt = endian + ("IIQQQQ" if is64 else "IIIIII")

            def section(i: int) -> tuple[int, ...]:
                return struct.unpack_from(fmt, table, i * shentsize)

            strtab = section(shstrndx)
            f.seek(strtab[4])
            names = f.read(min(strtab[5], 1 << 16))
            return any(
                names[section(i)[0] : section(i)[0] + 14] == b".go.buildinfo\0"
                for i in range(shnum)
            )
    except (OSError, struct.error):
        return False


def foreign_go_runtimes(ours: str) -> list[str]:
    """Shared libraries with a Go runtime already mapped into this process, other than ``ours``.

    Linux only (``/proc/self/maps``); elsewhere, an empty list.
    """
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return []
    paths: list[str] = []
    for line in lines:
        parts = line.split(None, 5)
        if len(parts) == 6:
            path = parts[5].strip()
            if path.startswith("/") and ".so" in path and path not in paths:
                paths.append(path)
    go_libraries = [p for p in paths if _has_go_buildinfo(p)]
    if not go_libraries:
        return []
    ours_real = os.path.realpath(ours)
    return [p for p in go_libraries if os.path.realpath(p) != ours_real]
