"""What the runtime knows of installed contributions and built libraries.

Installed distributions may contribute Go modules: Go sources under
``gobridge-modules/<distribution>/`` in a ``sys.path`` directory. The
runtime finds those directories, reads the build record kept next to a
library, and words the errors of modules that contributions declare but a
library leaves out. Building and linking are :mod:`gobridge._linking`'s,
which imports this module; this module imports no other module of
gobridge's.
"""

# Imported before Go starts (see gomod/__init__.py), as gobridge._ffi is:
# annotations are quoted, and what only some functions need is imported
# in them.
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any

VERSION = "0.1.0"
"""gobridge's version (``gobridge.__version__``), which its build records name."""

CONTRIB_DIR = "gobridge-modules"
"""The directory, in a ``sys.path`` entry, where installed distributions put
the Go sources they contribute (see ``gobridge._linking``)."""

CACHE_ENV = "GOBRIDGE_CACHE_DIR"
SIDECAR_SUFFIX = ".json"

SDK_MODULE = "github.com/gobridge/gobridge"
"""The Go module path of the SDK shipped in ``gobridge/_go``."""

unavailable_modules: "dict[str, str]" = {}
"""Modules (``gomod.x``) that installed distributions declare but the
library leaves out, with the ImportError message that says why
(``gobridge._linking`` fills it when it links the installed contributions)."""


def contribution_dirs() -> "list[str]":
    """The ``gobridge-modules`` directories of ``sys.path``: one stat per entry,
    so that a process without contributions pays nothing more."""
    found = []
    for entry in sys.path:
        if entry and isinstance(entry, str):
            candidate = os.path.join(entry, CONTRIB_DIR)
            if os.path.isdir(candidate) and candidate not in found:
                found.append(candidate)
    return found


def cache_dir() -> "Path":
    """Where built libraries are kept: ``$GOBRIDGE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/gobridge``, else ``~/.cache/gobridge``."""
    from pathlib import Path

    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return (base / "gobridge").resolve()


def gobridge_version() -> str:
    """gobridge's version, as its build records name it."""
    return VERSION


def library_record(library: str) -> "dict[str, Any] | None":
    """The build record next to a library built by gobridge, or None."""
    import json

    try:
        with open(library + SIDECAR_SUFFIX, encoding="utf-8") as f:
            record: dict[str, Any] = json.load(f)
    except (OSError, ValueError):
        return None
    return record


def module_distributions(library: str, origins: "dict[str, str]") -> "dict[str, str | None]":
    """Which distribution each module (``gomod.x`` -> Go package) comes from.

    gobridge's own packages come from ``gobridge``; the others from the
    distribution that contributed their Go module, per the library's build
    record; None for packages of a local build.
    """
    owners: dict[str, str | None] = {SDK_MODULE: "gobridge"}
    record = library_record(library)
    for unit in (record or {}).get("units", []):
        if unit.get("go_module") != SDK_MODULE:
            owners[unit["go_module"]] = unit.get("distribution")
    result: dict[str, str | None] = {}
    for name, package in origins.items():
        best = ""
        for module in owners:
            if (package == module or package.startswith(module + "/")) and len(module) > len(best):
                best = module
        result[name] = owners[best] if best else None
    return result


def package_owners(library: str, packages: "Iterable[str]") -> "dict[str, str | None]":
    """Which distribution (``"name version"``) each Go package of a library
    comes from: gobridge's own, an installed contribution, or None for a
    package of a local build."""
    owners: dict[str, str | None] = {SDK_MODULE: f"gobridge {gobridge_version()}"}
    for unit in (library_record(library) or {}).get("units", []):
        if unit.get("go_module") and unit.get("go_module") != SDK_MODULE:
            dist = unit.get("distribution")
            owners[unit["go_module"]] = (
                f"{dist} {unit.get('version') or ''}".strip() if dist else None
            )
    result: dict[str, str | None] = {}
    for package in packages:
        best = max(
            (m for m in owners if package == m or package.startswith(m + "/")),
            key=len,
            default="",
        )
        result[package] = owners[best] if best else None
    return result


def conflict_message(fullname: str, packages: "list[str]", library: str) -> str:
    """The ImportError message of a module that several Go packages register."""
    owners = package_owners(library, packages)
    described = [
        f"{owners[p]} (Go package {p})" if owners[p] else f"the Go package {p}" for p in packages
    ]
    uninstall = sorted(
        {o.split()[0] for o in owners.values() if o and not o.startswith("gobridge ")}
    )
    fix = (
        f"Uninstall all but one of them (pip uninstall {' or '.join(uninstall)}), or rename "
        if uninstall
        else "Leave all but one of them out of the library, or rename "
    )
    verb = "both register it" if len(packages) == 2 else "all register it"
    return (
        f"{fullname} cannot be imported: {' and '.join(described)} {verb}. "
        f"{fix}the module in its py.Register call. The other gomod modules are unaffected"
    )
