"""The cffi build of ``gobridge._native``.

The extension is C in this directory: the loader of the Go library and the
forwarders to its functions (``gb_loader.c``), the host through which Go
calls Python (``gb_callbacks.c``), gobridge.GoFunction (``gb_function.c``)
and gobridge.__import__ (``gb_import.c``). cffi adds the module and the
functions Python calls through ``gobridge._native.lib``.

What cffi declares (its cdef) is read from the C headers, so that it cannot
say other than the C does: each declaration Python calls is taken by name
from the header that declares it, the forwarded functions from the
``GB_FORWARDED`` table of ``gb_loader.h``, and the scalar callback kinds
from the ``GB_SCALAR_KINDS`` table of ``gb_callbacks.h``.
"""

from __future__ import annotations

import glob
import os
import re

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
CAPI_DIR = os.path.join(os.path.dirname(HERE), "go", "capi")
# The C layer, compiled into the same extension as cffi's generated code.
C_SOURCES = [
    os.path.join(HERE, name)
    for name in (
        "gb_callbacks.c",
        "gb_function.c",
        "gb_import.c",
        "gb_loader.c",
        "gb_traceback.c",
    )
]
HEADERS = sorted(glob.glob(os.path.join(HERE, "*.h"))) + [
    os.path.join(CAPI_DIR, name) for name in ("abi.h", "frame.h")
]

# The declarations Python calls, by the header that declares them; the
# typedefs of abi.h come first, since gb_loader.h's are of them.
_DECLARED = {
    os.path.join(CAPI_DIR, "abi.h"): ["gobridge_ret", "gobridge_span"],
    os.path.join(HERE, "gb_loader.h"): [
        "gb_ret",
        "gb_span",
        "gb_open",
        "gb_open_fd",
        "gb_go_runtimes",
        "gb_loaded_path",
        "gb_forked",
        "gb_free",
        "gb_malloc",
        "gb_call_b1",
        "gb_reply",
    ],
    os.path.join(HERE, "gb_callbacks.h"): ["gb_callbacks_init"],
    os.path.join(HERE, "gb_function.h"): ["gb_function_install"],
    os.path.join(HERE, "gb_import.h"): ["gb_import_install"],
}


def _read(path: str) -> str:
    """The header at path without its comments."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def _defines(path: str) -> dict[str, int]:
    """The header's #defines of integers, by name."""
    return {
        name: int(value)
        for name, value in re.findall(r"(?m)^#define\s+(\w+)\s+(-?\d+)\s*$", _read(path))
    }


def _declaration(text: str, name: str) -> str:
    """The prototype or typedef that declares name in text, on one line."""
    for pattern in (
        # A function: its return type starts the line that names it.
        rf"(?m)^[ \t]*(\w[\w \t*]*?\b{name}\s*\([^;{{}}]*\))\s*;",
        rf"(?ms)^[ \t]*(typedef\s+struct\s*\{{[^}}]*\}}\s*{name})\s*;",
        rf"(?m)^[ \t]*(typedef\s+\w+\s+{name})\s*;",
    ):
        found = re.search(pattern, text)
        if found:
            return " ".join(found.group(1).split()) + ";"
    raise LookupError(f"no declaration of {name}")


def _table(path: str, macro: str) -> list[list[str]]:
    """The rows of the X-macro table macro in the header at path: the
    arguments of each X(...), as written but for spacing."""
    text = _read(path)
    found = re.search(rf"(?m)^#define\s+{macro}\(X\)((?:[^\n]*\\\n)*[^\n]*)", text)
    if not found:
        raise LookupError(f"{path}: no table {macro}(X)")
    body = found.group(1).replace("\\\n", " ")
    return [_arguments(body, m.end()) for m in re.finditer(r"\bX\(", body)]


def _arguments(text: str, start: int) -> list[str]:
    """The arguments of the macro call whose "(" ends before start: split
    at the commas outside parentheses."""
    arguments: list[str] = []
    depth, begin = 0, start
    for i in range(start, len(text)):
        c = text[i]
        if depth == 0 and c in ",)":
            arguments.append(" ".join(text[begin:i].split()))
            begin = i + 1
            if c == ")":
                return arguments
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
    raise LookupError(f"unbalanced parentheses in {text[start:]!r}")


_STATUS_H = os.path.join(HERE, "gb_status.h")
_LOADER_H = os.path.join(HERE, "gb_loader.h")
_CALLBACKS_H = os.path.join(HERE, "gb_callbacks.h")

ABI_VERSION = _defines(_LOADER_H)["GB_ABI_VERSION"]
"""The C ABI version the shim requires of a library: go/capi's ABIVersion."""

STATUS = _defines(_STATUS_H)
"""The statuses of the C ABI, by name (gb_status.h)."""


def forwarded_functions() -> list[tuple[str, str, str]]:
    """(return type, name, parameters) of each function of the library that
    ``gb_<name>`` forwards to, in the order of ``GB_FORWARDED``."""
    return [(ret, name, params[1:-1]) for ret, name, params, _ in _table(_LOADER_H, "GB_FORWARDED")]


def callback_kinds() -> list[tuple[str, str]]:
    """Every (argument kinds, result kind) of a scalar callback, in the order
    of the host's table (``GB_SCALAR_KINDS``), which ``callbackKind`` in
    go/internal/bridge/scalarcallbacks.go computes too. No arguments is "";
    no result, "v"."""
    return [
        ("" if args == "v" else args, result)
        for args, result in _table(_CALLBACKS_H, "GB_SCALAR_KINDS")
    ]


MAX_FAST_ARITY = max(len(args) for args, _ in callback_kinds())
"""The most parameters of a scalar callback: go/internal/bridge's MaxFastArity."""


def cdef() -> str:
    """What cffi declares: the declarations Python calls, from the headers."""
    lines = []
    for path, names in _DECLARED.items():
        text = _read(path)
        for name in names:
            try:
                lines.append(_declaration(text, name))
            except LookupError:
                raise LookupError(f"{path}: no declaration of {name}") from None
    lines += [f"{ret} gb_{name}({params});" for ret, name, params in forwarded_functions()]
    # Go calls Python through this one entry: callbacks and host operations.
    # "Python+C": gb_callbacks.c hands it to the library.
    lines.append('extern "Python+C" ' + _declaration(_read(_CALLBACKS_H), "gb_py_invoke"))
    lines += [f"#define {name} {value}" for name, value in STATUS.items()]
    lines.append(f"#define GB_ABI_VERSION {ABI_VERSION}")
    return "\n".join(lines) + "\n"


SOURCE = """
#include "gb_loader.h"
#include "gb_callbacks.h"
#include "gb_function.h"
#include "gb_import.h"
"""
"""What cffi's generated C starts with: the declarations of what it calls."""


def make_builder(absolute_sources: bool = False) -> cffi.FFI:
    """The cffi build of ``gobridge._native``. setuptools builds it from the
    project's directory, with the C layer's sources named relative to it (an
    sdist carries them); cffi's own ``compile`` builds inside a temporary
    directory, where only absolute names resolve."""
    builder = cffi.FFI()
    builder.cdef(cdef())
    sources = C_SOURCES if absolute_sources else [os.path.relpath(path) for path in C_SOURCES]
    builder.set_source(
        "gobridge._native",
        SOURCE,
        sources=sources,
        include_dirs=[HERE, CAPI_DIR],
        depends=HEADERS,
        libraries=["dl", "pthread", "m"],
        extra_compile_args=["-O2", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"],
    )
    return builder


ffibuilder = make_builder()

if __name__ == "__main__":
    make_builder(absolute_sources=True).compile(verbose=True)
