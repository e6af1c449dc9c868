"""The setuptools integration: a distribution that contributes Go modules.

A distribution declares its Go packages in ``pyproject.toml``::

    [build-system]
    requires = ["setuptools>=64", "gobridge"]
    build-backend = "setuptools.build_meta"

    [tool.gobridge]
    go-module-dir = "go"        # the directory of go.mod (default ".")
    packages = ["go/mything"]   # Go package directories, from the project root

gobridge registers :func:`finalize_distribution_options` as a setuptools
plugin (the ``setuptools.finalize_distribution_options`` entry point), so
having gobridge in the build requirements is all it takes: ``pip install .``
and ``python -m build`` then ship the Go *sources* of those packages, with
every package of the same Go module they import, in the wheel under
``gobridge-modules/<distribution>/``, with a ``gobridge.json`` manifest.

Nothing is compiled into the wheel. At the first ``gomod`` import of a
process, gobridge links gobridge's modules and every installed
contribution into one library, cached and rebuilt only when a contribution
changes (``gobridge._linking``), so any number of distributions share one Go
runtime. When the build machine has Go, the packages are compiled once here
too, so that a Go error fails the build instead of the first import.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from setuptools import Command  # type: ignore[import-untyped, unused-ignore]
from setuptools.errors import SetupError  # type: ignore[import-untyped, unused-ignore]

from . import _contrib

# setuptools loads this module for every distribution it builds in an
# environment that has gobridge; only projects with [tool.gobridge] import
# the rest of gobridge (and its native extension).
if TYPE_CHECKING:
    pass

__all__ = ["GoContribution", "finalize_distribution_options", "read_config"]

CONFIG_KEYS = {"go-module-dir", "packages"}


class GoContribution:
    """The ``[tool.gobridge]`` table of a project, checked and resolved."""

    def __init__(self, project: Path, table: dict[str, Any]) -> None:
        from . import _linking

        unknown = set(table) - CONFIG_KEYS
        if unknown:
            raise SetupError(
                f"[tool.gobridge] in {project / 'pyproject.toml'}: unknown keys "
                f"{', '.join(sorted(unknown))} (known: {', '.join(sorted(CONFIG_KEYS))})"
            )
        module_dir = table.get("go-module-dir", ".")
        packages = table.get("packages")
        if not isinstance(module_dir, str):
            raise SetupError("[tool.gobridge] go-module-dir must be a string")
        if (
            not isinstance(packages, list)
            or not packages
            or not all(isinstance(p, str) for p in packages)
        ):
            raise SetupError(
                "[tool.gobridge] packages must be a non-empty list of Go package directories, "
                'relative to the project root (for example packages = ["go/mything"])'
            )
        self.project = project
        self.root = (project / module_dir).resolve()
        if not (self.root / "go.mod").is_file():
            raise SetupError(
                f"[tool.gobridge] go-module-dir: {self.root} has no go.mod; run "
                "'go mod init <module path>' there"
            )
        gomod_text = (self.root / "go.mod").read_text(encoding="utf-8")
        try:
            self.gomod = _linking.parse_go_mod(gomod_text, str(self.root / "go.mod"))
        except _linking.BuildError as exc:
            raise SetupError(str(exc)) from None
        if self.gomod.module == _contrib.SDK_MODULE:
            raise SetupError(f"{self.root} is gobridge's own Go module, not a contribution")
        self.package_dirs: list[Path] = []
        self.import_paths: list[str] = []
        for p in packages:
            directory = (project / p).resolve()
            if directory != self.root and self.root not in directory.parents:
                raise SetupError(
                    f"[tool.gobridge] packages: {p} is outside the Go module in {self.root}"
                )
            if not any(directory.glob("*.go")):
                raise SetupError(f"[tool.gobridge] packages: {p} has no Go files")
            rel = directory.relative_to(self.root).as_posix()
            self.package_dirs.append(directory)
            self.import_paths.append(
                self.gomod.module if rel == "." else f"{self.gomod.module}/{rel}"
            )
        for r in self.gomod.replaces:
            if r.is_local and r.old != _contrib.SDK_MODULE:
                raise SetupError(
                    f"{self.root / 'go.mod'}: replace {r.old} => {r.new} names a local "
                    "directory, which a wheel cannot carry; publish that module, or move its "
                    "packages into this Go module"
                )

    def files(self) -> list[Path]:
        """The files to ship: go.mod, go.sum and the packages with their in-module imports."""
        from . import _linking

        try:
            return _linking.package_files(self.root, self.gomod.module, self.package_dirs)
        except _linking.BuildError as exc:
            raise SetupError(str(exc)) from None

    def registered_modules(self) -> list[str]:
        """The module names the packages register, read from their ``py.Register`` calls."""
        from . import _linking

        return _linking.registered_module_names(self.package_dirs)

    def manifest(self, distribution: str, version: str) -> dict[str, Any]:
        from . import _linking

        return {
            "format": _linking.MANIFEST_FORMAT,
            "distribution": distribution,
            "version": version,
            "go_module": self.gomod.module,
            "go": self.gomod.go,
            "packages": self.import_paths,
            "modules": self.registered_modules(),
            "source": "src",
            "replace": [
                [r.old, r.old_version, r.new, r.new_version]
                for r in self.gomod.replaces
                if r.old != _contrib.SDK_MODULE
            ],
        }


def read_config(project: Path) -> GoContribution | None:
    """The project's ``[tool.gobridge]``, or None when it has none."""
    pyproject = project / "pyproject.toml"
    if not pyproject.is_file():
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - setuptools vendors tomli for older Pythons
        try:
            # setuptools 71 and later put their vendored packages on sys.path
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            from setuptools.extern import tomli as tomllib  # type: ignore[attr-defined,no-redef]
    with open(pyproject, "rb") as f:
        table = tomllib.load(f).get("tool", {}).get("gobridge")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise SetupError("[tool.gobridge] in pyproject.toml must be a table")
    return GoContribution(project, table)


def _dir_name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "_", distribution).lower()


def _staging_dir(build_base: str, distribution: str) -> Path:
    return Path(build_base).resolve() / "gobridge" / _contrib.CONTRIB_DIR / _dir_name(distribution)


def _stubs_dir(build_base: str, distribution: str) -> Path:
    return Path(build_base).resolve() / "gobridge" / "stubs" / _dir_name(distribution)


def write_stubs(config: GoContribution, src: Path, modules: list[str], out: Path) -> None:
    """Write the type stubs of the distribution's modules into ``out/gomod``.

    They ship in the wheel as ``gomod/<module>.pyi`` (``gomod/<module>/
    __init__.pyi`` for a package), next to the ``gomod`` package whose
    ``py.typed`` gobridge ships, so that mypy and other PEP 561 checkers
    find them once the wheel is installed. The stubs are what
    ``python -m gobridge stubgen`` writes, from a library linked with the
    staged packages; that needs Go, and without it the wheel has no stubs.
    Only the distribution's own modules are written: the ``gomod`` package
    and other distributions' modules are theirs.
    """
    from . import _linking

    if out.exists():
        shutil.rmtree(out)
    if not modules:
        return
    if _linking.find_go() is None:
        print("gobridge: no Go toolchain here, so the wheel has no type stubs", file=sys.stderr)
        return
    dirs = [str(src / d.relative_to(config.root)) for d in config.package_dirs]
    build = [sys.executable, "-m", "gobridge", "build", "-q", "--no-default-modules", *dirs]
    proc = subprocess.run(build, capture_output=True, text=True, timeout=1800)
    library = proc.stdout.strip()
    if proc.returncode == 0:
        with tempfile.TemporaryDirectory(prefix="gobridge-stubs-") as tmp:
            names = [f"gomod.{m}" for m in modules]
            stubgen = [sys.executable, "-m", "gobridge", "stubgen", "--all", "-o", tmp, *names]
            env = {**os.environ, "GOBRIDGE_LIBRARY": library}
            proc = subprocess.run(stubgen, capture_output=True, text=True, env=env, timeout=600)
            written = Path(tmp) / "gomod"
            for m in modules if proc.returncode == 0 else []:
                parts = m.split(".")
                for rel in (Path(*parts[:-1], parts[-1] + ".pyi"), Path(*parts, "__init__.pyi")):
                    if (written / rel).is_file():
                        (out / "gomod" / rel).parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(written / rel, out / "gomod" / rel)
    if proc.returncode != 0 or "skipping" in proc.stderr:
        raise SetupError(
            "gobridge: could not write the type stubs of "
            f"{', '.join(modules)}:\n{(proc.stderr + proc.stdout).strip()}"
        )
    print(f"gobridge: wrote the type stubs of {', '.join(modules)}", flush=True)


class build_gobridge(Command):  # type: ignore[misc, unused-ignore]
    """Stage the Go sources and manifest of a contributing distribution."""

    description = "stage the Go packages of [tool.gobridge] (and compile them when Go is present)"
    user_options: list[tuple[str, str | None, str]] = []
    editable_mode = False

    def initialize_options(self) -> None:
        self.build_base: str | None = None

    def finalize_options(self) -> None:
        self.set_undefined_options("build", ("build_base", "build_base"))

    def run(self) -> None:
        from . import _linking

        config = read_config(Path.cwd())
        if config is None:
            return
        dist = self.distribution
        name, version = dist.get_name(), dist.get_version()
        manifest = config.manifest(name, version)
        try:
            conflicts = _linking.module_name_conflicts(name, manifest["modules"])
        except _linking.BuildError as exc:
            raise SetupError(f"gobridge: {exc}") from None
        if conflicts:
            raise SetupError(
                f"gobridge: {name} registers Go modules that are taken, and one process can "
                "import only one module of a name: "
                + "; ".join(conflicts)
                + ". Rename the module in the py.Register call (python -m gobridge gen "
                "-module NEWNAME), or uninstall the other distribution first"
            )
        if self.editable_mode:
            # The manifest goes straight into the editable wheel (setuptools
            # installs nothing else there), naming the project's Go module
            # in place: the first gomod import links it, and links it again
            # after each edit of its sources.
            install_lib = self.distribution.get_command_obj("install").install_lib
            if not install_lib:
                raise SetupError(
                    "gobridge: this editable install gives no directory for the Go modules' "
                    "manifest; install with pip install -e . (setuptools 64 or newer)"
                )
            stage = Path(install_lib) / _contrib.CONTRIB_DIR / _dir_name(name)
            src = config.root
            manifest.update(source=str(config.root), editable=True)
        else:
            assert self.build_base is not None
            stage = _staging_dir(self.build_base, name)
            src = stage / "src"
        if stage.exists():
            shutil.rmtree(stage)
        stage.mkdir(parents=True)
        if not self.editable_mode:
            for f in config.files():
                target = src / f.relative_to(config.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
        (stage / _linking.MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        if not manifest["modules"]:
            print(
                f"gobridge: warning: none of {', '.join(config.import_paths)} calls "
                "py.Register; run 'python -m gobridge gen' to generate the registration",
                file=sys.stderr,
            )
        if self.editable_mode:
            print(f"gobridge: {name} contributes its Go packages in {src} (editable)", flush=True)
        else:
            print(f"gobridge: staged the Go sources of {name} in {stage}", flush=True)
        self._compile_check(config, src)
        assert self.build_base is not None  # set by finalize_options
        write_stubs(config, src, manifest["modules"], _stubs_dir(self.build_base, name))

    def _compile_check(self, config: GoContribution, src: Path) -> None:
        """Compile the staged packages against this gobridge's SDK, if Go is here."""
        from . import _linking

        found = _linking.find_go()
        if found is None:
            print(
                "gobridge: no Go toolchain here, so the Go packages were not compiled; "
                "they will be at the first gomod import",
                file=sys.stderr,
            )
            return
        go, extra = found
        unit = _linking.Unit(
            config.gomod.module,
            src,
            config.import_paths,
            [],
            config.gomod.go,
            [r for r in config.gomod.replaces if r.old != _contrib.SDK_MODULE],
        )
        with tempfile.TemporaryDirectory(prefix="gobridge-check-") as tmp:
            _linking.Plan([unit]).write_main_module(Path(tmp))
            cmd = [go, "build", "-mod=mod", *config.import_paths]
            proc = subprocess.run(
                cmd, cwd=tmp, env=_linking.go_environment(extra), capture_output=True, text=True
            )
            output = (proc.stderr + proc.stdout).strip()
            if src != config.root:
                # Go names the staged copy (relative to its working
                # directory when that is shorter); the user edits the original.
                for staged in (os.path.relpath(src, tmp), str(src)):
                    output = output.replace(staged + os.sep, str(config.root) + os.sep)
        if proc.returncode != 0:
            raise SetupError(
                f"gobridge: the Go packages of {self.distribution.get_name()} do not compile:\n"
                + output
            )

    def get_outputs(self) -> list[str]:
        return []

    def get_source_files(self) -> list[str]:
        config = read_config(Path.cwd())
        if config is None:
            return []
        return [os.path.relpath(f, Path.cwd()) for f in config.files()]


class install_gobridge(Command):  # type: ignore[misc, unused-ignore]
    """Install the staged Go sources into the library directory (the wheel's root)."""

    description = "install the Go sources staged by build_gobridge"
    user_options: list[tuple[str, str | None, str]] = []

    def initialize_options(self) -> None:
        self.install_dir: str | None = None
        self.build_base: str | None = None
        self._outputs: list[str] = []

    def finalize_options(self) -> None:
        self.set_undefined_options("install", ("install_lib", "install_dir"))
        self.set_undefined_options("build", ("build_base", "build_base"))

    def run(self) -> None:
        assert self.build_base is not None and self.install_dir is not None
        stage = _staging_dir(self.build_base, self.distribution.get_name())
        if not stage.is_dir():
            return
        target = Path(self.install_dir) / stage.parent.name / stage.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(stage, target)
        self._outputs = [str(p) for p in sorted(target.rglob("*")) if p.is_file()]
        stubs = _stubs_dir(self.build_base, self.distribution.get_name())
        if stubs.is_dir():
            shutil.copytree(stubs, self.install_dir, dirs_exist_ok=True)
            self._outputs += [
                str(Path(self.install_dir) / p.relative_to(stubs))
                for p in sorted(stubs.rglob("*"))
                if p.is_file()
            ]

    def get_outputs(self) -> list[str]:
        return list(self._outputs)

    def get_inputs(self) -> list[str]:
        return []


def finalize_distribution_options(dist: Any) -> None:
    """The setuptools plugin: add the Go steps to ``build`` and ``install``.

    setuptools calls it for every distribution it builds while gobridge is
    installed; a project without ``[tool.gobridge]`` is left alone.
    """
    config = read_config(Path.cwd())
    if config is None:
        return
    build_cls = dist.get_command_class("build")
    install_cls = dist.get_command_class("install")
    if not any(name == "build_gobridge" for name, _ in build_cls.sub_commands):

        class build(build_cls):  # type: ignore[misc,valid-type]
            sub_commands = [("build_gobridge", None), *build_cls.sub_commands]

        class install(install_cls):  # type: ignore[misc,valid-type]
            sub_commands = [*install_cls.sub_commands, ("install_gobridge", None)]

        dist.cmdclass["build"] = build
        dist.cmdclass["install"] = install
    dist.cmdclass["build_gobridge"] = build_gobridge
    dist.cmdclass["install_gobridge"] = install_gobridge
