"""``python -m gobridge build``: builds Go packages, gobridge's modules and
installed contributions into one library, with :mod:`gobridge._linking`.

Build tooling: the runtime never imports it (its first gomod import links
installed contributions with ``_linking`` itself).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import _trust
from ._contrib import SIDECAR_SUFFIX, conflict_message, library_record
from ._linking import (
    BuildError,
    Plan,
    build_library,
    go_version,
    installed_contributions,
    local_units,
    require_go,
)

if TYPE_CHECKING:
    import argparse


def _configure_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "packages",
        nargs="*",
        metavar="PKG",
        help="directories of Go packages to link (each inside a Go module)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="also copy the library to OUT (default: print the path of the cached library)",
    )
    parser.add_argument(
        "--installed",
        action="store_true",
        help="also link the Go modules that installed distributions contribute "
        "(what the first gomod import would build)",
    )
    parser.add_argument(
        "--no-default-modules",
        action="store_true",
        help="leave out gobridge's default modules (strings, math, ...)",
    )
    parser.add_argument(
        "--include-test-modules",
        action="store_true",
        help="also link gobridge's private test modules (_testing)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the library path")


def _run_build(args: argparse.Namespace) -> int:
    try:
        units = local_units(args.packages)
        contributions = installed_contributions() if args.installed else []
        units += [c.unit() for c in contributions]
        if not args.packages and not args.installed:
            raise BuildError("name Go package directories to build, or --installed")
        plan = Plan(units, not args.no_default_modules, args.include_test_modules)
        go = require_go()
        plain_installed = (
            args.installed and not args.packages and plan.default_modules and not plan.test_modules
        )
        # The import-time hook keys the installed library without the Go
        # version (it may run where there is no Go); an explicit build of the
        # same inputs must produce the library it looks for.
        extra = [] if plain_installed else [go_version(*go) or "go?"]
        key = plan.key(extra)
        lib = build_library(plan, key, go, log=None if args.quiet else sys.stderr)
        conflicts = (library_record(str(lib)) or {}).get("conflicts") or {}
        if conflicts:
            raise BuildError(
                f"{len(conflicts)} module{'s' if len(conflicts) > 1 else ''} of the library "
                f"{lib} cannot be imported:\n"
                + "\n".join(
                    conflict_message(name, packages, str(lib))
                    for name, packages in sorted(conflicts.items())
                )
            )
        if args.output:
            out = Path(args.output).expanduser().resolve()
            out.parent.mkdir(parents=True, exist_ok=True)
            _install_copy(Path(str(lib) + SIDECAR_SUFFIX), Path(str(out) + SIDECAR_SUFFIX), 0o644)
            _install_copy(lib, out, 0o755)
            lib = out
    except (BuildError, _trust.UntrustedPathError) as exc:
        print(f"gobridge build: {str(exc).removeprefix('gobridge: ')}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(
            f"gobridge: built {lib}; select it with GOBRIDGE_LIBRARY={lib} "
            "before the first gomod import",
            file=sys.stderr,
        )
    print(lib)
    return 0


def _install_copy(src: Path, dst: Path, mode: int) -> None:
    """Copy src to dst through a new file of its own (O_EXCL: a name planted
    in dst's directory is never written through) renamed over dst."""
    import contextlib
    import shutil
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", dir=dst.parent)
    try:
        with open(src, "rb") as f, os.fdopen(fd, "wb") as g:
            shutil.copyfileobj(f, g)
        os.chmod(tmp, mode)
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def register_command() -> None:
    """Add ``build`` to the command line, once."""
    from . import _cli

    if "build" not in _cli._COMMANDS:
        _cli.command(
            "build",
            "build Go packages, gobridge's modules and installed contributions into one library",
            _configure_build,
        )(_run_build)


# The command line imports this module to register the command.
if "gobridge._cli" in sys.modules:
    register_command()
