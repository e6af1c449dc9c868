"""gobridge loads only a Go library that this user or root could have written.

Every test lays out real directories with real modes and owners. A cache
is laid out as a build leaves it, with a copy of gobridge's own library as
the library of a fake installed contribution, and a child interpreter
imports a gomod module from it. Tests that give files to another user
(``nobody``) or run the importing side as that user need root, and are
skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from gobridge import _contrib, _ffi, _linking, _trust

REPO = Path(__file__).resolve().parent.parent
GEOMETRY = REPO / "examples" / "geometry" / "go"
PACKAGE_LIBRARY = Path(_ffi.__file__).resolve().parent / _ffi.LIBRARY_NAME
IS_ROOT = os.geteuid() == 0
NOBODY = 65534  # the unprivileged user the tests hand files to, or run as
OTHER = 54321  # a second unprivileged user, with no account

needs_root = pytest.mark.skipif(
    not IS_ROOT, reason="giving a file to another user, or running as one, needs root"
)
needs_go = pytest.mark.skipif(_linking.find_go() is None, reason="no Go toolchain")


@pytest.fixture
def base() -> Iterator[Path]:
    """A directory that every user can search (pytest's own are 0700), for
    the tests whose importing side runs as another user."""
    path = Path(tempfile.mkdtemp(prefix="gobridge-trust-"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


class Layout:
    """An installed contribution and a cache holding its library."""

    def __init__(self, base: Path) -> None:
        self.site = base / "site"
        contribution = self.site / _contrib.CONTRIB_DIR / "geo_dist"
        shutil.copytree(GEOMETRY, contribution / "src")
        gomod = _linking.parse_go_mod((GEOMETRY / "go.mod").read_text())
        manifest = {
            "format": _linking.MANIFEST_FORMAT,
            "distribution": "geo-dist",
            "version": "1.0",
            "go_module": gomod.module,
            "go": gomod.go,
            "packages": [gomod.module],
            "source": "src",
            "replace": [],
        }
        (contribution / _linking.MANIFEST_NAME).write_text(json.dumps(manifest))
        contributions = _linking.installed_contributions([str(self.site / _contrib.CONTRIB_DIR)])
        self.key = _linking.Plan([c.unit() for c in contributions]).key()[:40]
        self.root = base / "cache"
        self.lib_dir = self.root / "lib"
        self.key_dir = self.lib_dir / self.key
        self.library = self.key_dir / _linking.LIBRARY_NAME
        self.record = Path(str(self.library) + _linking.SIDECAR_SUFFIX)
        for directory in (self.root, self.lib_dir, self.key_dir):
            directory.mkdir(mode=0o700)
            os.chmod(directory, 0o700)
        shutil.copyfile(PACKAGE_LIBRARY, self.library)
        os.chmod(self.library, 0o755)
        self.record.write_text(json.dumps({"key": self.key, "units": []}))
        os.chmod(self.record, 0o644)

    def paths(self) -> list[Path]:
        return [self.root, self.lib_dir, self.key_dir, self.library, self.record]

    def chown(self, uid: int, *paths: Path) -> None:
        for path in paths or self.paths():
            os.chown(path, uid, -1, follow_symlinks=False)

    def share_read_only(self) -> None:
        """What a build stage's ``chmod -R a+rX,go-w`` leaves."""
        for path in self.paths():
            os.chmod(path, 0o755 if path.is_dir() or path == self.library else 0o644)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != _ffi.LIBRARY_ENV}
        python = str(Path(_ffi.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join([python, str(self.site)])
        env[_linking.CACHE_ENV] = str(self.root)
        env.update(extra)
        return env


@pytest.fixture
def layout(base: Path) -> Layout:
    return Layout(base)


# What the child prints: the outcome of importing a gomod module.
IMPORT = """
try:
    import gomod.MODULE as m
    print("loaded", m.__name__)
except ImportError as exc:
    print("ImportError:", exc)
"""
LOADED = "loaded gomod.strings"


def importing(module: str = "strings") -> str:
    return IMPORT.replace("MODULE", module)


# Imports, as root, what the first gomod import needs from the interpreter's
# and gobridge's files (which another user may not be able to read here),
# then drops to the user RUN_AS.
DROP_PRIVILEGES = """
import os, sys, json, hashlib, platform, re, pwd, stat, dataclasses, pathlib, fcntl
import gobridge, gobridge._ffi, gobridge._linking, gobridge._trust, gomod
import gobridge._finder, gobridge._functions, gobridge._objects, gobridge._values
import gobridge._callbacks, gobridge._pending, gobridge._errors
os.setgroups([])
os.setgid(RUN_AS)
os.setuid(RUN_AS)
"""


def run(
    code: str, env: dict[str, str], cwd: Path, run_as: int | None = None
) -> subprocess.CompletedProcess[str]:
    if run_as is not None:
        code = DROP_PRIVILEGES.replace("RUN_AS", str(run_as)) + code
    return subprocess.run(
        [sys.executable, "-B", "-c", textwrap.dedent(code)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def import_outcome(layout: Layout, run_as: int | None = None, **env: str) -> str:
    proc = run(importing(), layout.env(**env), layout.root.parent, run_as)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def assert_refused(outcome: str, path: Path, owner: str, mode: str, fix: str) -> None:
    # (under gobridge.__import__, the engine's own ImportError carries this one)
    assert outcome.startswith("ImportError: "), outcome
    assert "gobridge: refusing to load" in outcome, outcome
    assert f"{path} (owner {owner}" in outcome, outcome
    assert f"mode {mode})" in outcome, outcome
    assert fix in outcome, outcome


CACHE_FIX = f"or point {_linking.CACHE_ENV} at a private directory"


# --- the cache: what is accepted ------------------------------------------------------


def test_a_private_cache_of_this_user_is_loaded(layout: Layout) -> None:
    assert import_outcome(layout) == LOADED


@needs_root
def test_a_root_owned_read_only_cache_is_loaded_by_another_user(layout: Layout) -> None:
    # The image layout: a build stage (root) writes the cache, the runtime
    # user only reads it.
    layout.share_read_only()
    assert import_outcome(layout, run_as=NOBODY) == LOADED


@needs_root
def test_a_cache_owned_by_the_runtime_user_is_loaded_by_it(layout: Layout) -> None:
    layout.chown(NOBODY)
    assert import_outcome(layout, run_as=NOBODY) == LOADED


# --- the cache: what is refused -------------------------------------------------------


@needs_root
def test_the_issue_a_library_handed_to_another_user_and_made_writable(layout: Layout) -> None:
    layout.chown(NOBODY, layout.key_dir, layout.library)
    os.chmod(layout.key_dir, 0o777)
    os.chmod(layout.library, 0o777)
    assert_refused(import_outcome(layout), layout.key_dir, "nobody", "drwxrwxrwx", CACHE_FIX)


@needs_root
@pytest.mark.parametrize("which", ["root", "lib_dir", "key_dir", "library", "record"])
def test_anything_owned_by_another_user_is_refused(layout: Layout, which: str) -> None:
    path = getattr(layout, which)
    layout.chown(NOBODY, path)
    outcome = import_outcome(layout)
    mode = "drwx------" if path.is_dir() else "-rwxr-xr-x" if which == "library" else "-rw-r--r--"
    assert_refused(outcome, path, "nobody", mode, CACHE_FIX)
    assert "is owned by another user" in outcome


@pytest.mark.parametrize("which", ["root", "lib_dir", "key_dir", "library", "record"])
@pytest.mark.parametrize("bits", [0o020, 0o002])
def test_anything_writable_by_group_or_others_is_refused(
    layout: Layout, which: str, bits: int
) -> None:
    path = getattr(layout, which)
    os.chmod(path, (path.stat().st_mode & 0o777) | bits)
    outcome = import_outcome(layout)
    assert f"{path} (owner " in outcome, outcome
    assert f"is writable by {'group' if bits == 0o020 else 'others'}" in outcome, outcome
    assert CACHE_FIX in outcome


def test_a_shared_sticky_cache_root_is_refused(layout: Layout) -> None:
    # The issue's GOBRIDGE_CACHE_DIR=/shared (mode 1777): anyone could have
    # made lib/<hash> there first.
    os.chmod(layout.root, 0o1777)
    outcome = import_outcome(layout)
    assert_refused(outcome, layout.root, "root" if IS_ROOT else "", "drwxrwxrwt", CACHE_FIX)


@pytest.mark.parametrize("which", ["key_dir", "library"])
def test_a_symbolic_link_in_the_cache_is_refused(layout: Layout, base: Path, which: str) -> None:
    # A link to a good library of this user's is refused too: the cache
    # holds none, so one there was put by someone else.
    path = getattr(layout, which)
    elsewhere = base / "elsewhere"
    shutil.move(str(path), str(elsewhere))
    path.symlink_to(elsewhere)
    outcome = import_outcome(layout)
    assert f"{path} (owner " in outcome, outcome
    assert "is a symbolic link" in outcome, outcome
    assert CACHE_FIX in outcome


@needs_root
def test_a_library_of_a_third_user_is_refused_for_the_runtime_user(layout: Layout) -> None:
    layout.share_read_only()
    layout.chown(OTHER, layout.key_dir)
    outcome = import_outcome(layout, run_as=NOBODY)
    assert_refused(outcome, layout.key_dir, "?", "drwxr-xr-x", CACHE_FIX)
    assert "not by this process's user (nobody, uid 65534) or root" in outcome


# What is mapped: the inode of every mapping of a libgobridge.so.
MAPPED_INODES = """
def mapped_inodes():
    with open("/proc/self/maps") as f:
        return sorted({int(line.split()[4]) for line in f if "libgobridge.so" in line})
"""


def swap_after_check(library: Path, replacement: Path) -> str:
    """Child code that renames ``replacement`` over ``library`` between
    gobridge's check of the library and the shim's loading it, then imports."""
    return (
        MAPPED_INODES
        + f"""
import os
from gobridge import _ffi
check = _ffi._check_library
def check_then_swap(path):
    fd = check(path)
    if os.path.exists({str(replacement)!r}):  # once: at the first mapping
        os.rename({str(replacement)!r}, {str(library)!r})
    return fd
_ffi._check_library = check_then_swap
"""
        + importing()
        + "print(mapped_inodes())\n"
    )


@pytest.mark.parametrize("owner", [None, NOBODY])
def test_a_cached_library_replaced_after_the_check_is_not_loaded(
    layout: Layout, owner: int | None
) -> None:
    if owner is not None and not IS_ROOT:
        pytest.skip("giving a file to another user needs root")
    original = layout.library.stat().st_ino
    planted = layout.key_dir / "planted"
    planted.write_bytes(b"\x7fELF not a library")
    os.chmod(planted, 0o777)
    if owner is not None:
        os.chown(planted, owner, -1)
    code = swap_after_check(layout.library, planted)
    proc = run(code, layout.env(), layout.root.parent)
    assert proc.returncode == 0, proc.stderr
    outcome, inodes = proc.stdout.strip().splitlines()
    assert outcome == LOADED
    assert inodes == repr([original])
    assert layout.library.read_bytes().startswith(b"\x7fELF not")  # the swap did happen


# --- GOBRIDGE_LIBRARY --------------------------------------------------------------------

LIBRARY_FIX = f"or set {_ffi.LIBRARY_ENV} to a library that only you or root can write"


@pytest.fixture
def configured(base: Path) -> Path:
    library = base / "app" / _linking.LIBRARY_NAME
    library.parent.mkdir()
    shutil.copyfile(PACKAGE_LIBRARY, library)
    os.chmod(library, 0o755)
    return library


def configured_outcome(library: Path, run_as: int | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != _linking.CACHE_ENV}
    env[_ffi.LIBRARY_ENV] = str(library)
    proc = run(importing(), env, library.parent, run_as)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_a_configured_library_of_this_user_is_loaded(configured: Path) -> None:
    assert configured_outcome(configured) == LOADED


@pytest.mark.parametrize(("mode", "shown"), [(0o775, "-rwxrwxr-x"), (0o757, "-rwxr-xrwx")])
def test_a_configured_library_writable_by_others_is_refused(
    configured: Path, mode: int, shown: str
) -> None:
    os.chmod(configured, mode)
    outcome = configured_outcome(configured)
    assert_refused(outcome, configured, "", shown, LIBRARY_FIX)
    assert f"named by {_ffi.LIBRARY_ENV}" in outcome


@needs_root
def test_a_configured_library_of_another_user_is_refused(configured: Path) -> None:
    os.chown(configured, NOBODY, -1)
    assert_refused(configured_outcome(configured), configured, "nobody", "-rwxr-xr-x", LIBRARY_FIX)


@needs_root
def test_a_configured_root_owned_library_is_loaded_by_another_user(configured: Path) -> None:
    os.chmod(configured.parent, 0o755)
    assert configured_outcome(configured, run_as=NOBODY) == LOADED


@needs_root
def test_a_configured_link_is_judged_by_the_library_it_names(configured: Path, base: Path) -> None:
    link = base / "link.so"
    link.symlink_to(configured)
    assert configured_outcome(link) == LOADED
    os.chown(configured, NOBODY, -1)
    outcome = configured_outcome(link)
    assert_refused(outcome, configured, "nobody", "-rwxr-xr-x", LIBRARY_FIX)
    assert f"gobridge: refusing to load {link}, named by" in outcome


@pytest.mark.parametrize("owner", [None, NOBODY])
def test_a_configured_library_replaced_after_the_check_is_not_loaded(
    configured: Path, owner: int | None
) -> None:
    if owner is not None and not IS_ROOT:
        pytest.skip("giving a file to another user needs root")
    original = configured.stat().st_ino
    planted = configured.parent / "planted"
    planted.write_bytes(b"\x7fELF not a library")
    os.chmod(planted, 0o777)
    if owner is not None:
        os.chown(planted, owner, -1)
    env = {k: v for k, v in os.environ.items() if k != _linking.CACHE_ENV}
    env[_ffi.LIBRARY_ENV] = str(configured)
    code = swap_after_check(configured, planted)
    proc = run(code, env, configured.parent)
    assert proc.returncode == 0, proc.stderr
    outcome, inodes = proc.stdout.strip().splitlines()
    assert outcome == LOADED
    assert inodes == repr([original])


def test_a_library_mapped_through_its_descriptor_is_still_named_by_its_path(
    configured: Path,
) -> None:
    # runtime_info, and the scan for a second Go runtime, name the library
    # by its path, not by the /proc/self/fd path the shim mapped it through.
    env = {k: v for k, v in os.environ.items() if k != _linking.CACHE_ENV}
    env[_ffi.LIBRARY_ENV] = str(configured)
    code = f"""
import gobridge, gomod.strings
from gobridge import _ffi
print(gobridge.runtime_info()["library"])
print(_ffi.foreign_go_runtimes({str(configured)!r}), _ffi.foreign_go_runtimes("/x.so"))
"""
    proc = run(code, env, configured.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines() == [str(configured), f"[] {[str(configured)]!r}"]


# --- building: a private cache ------------------------------------------------------------


def mode(path: Path) -> int:
    return os.lstat(path).st_mode & 0o7777


def test_cache_directories_are_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_linking.CACHE_ENV, str(tmp_path / "new" / "cache"))
    old = os.umask(0)
    try:
        made = _linking.private_cache_dir("lib", "x")
    finally:
        os.umask(old)
    assert made == (tmp_path / "new" / "cache" / "lib" / "x").resolve()
    for path in (made, made.parent, made.parent.parent, tmp_path / "new"):
        assert mode(path) == 0o700, path


@pytest.mark.parametrize("bits", [0o1777, 0o770])
def test_a_build_into_a_shared_cache_root_is_refused_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bits: int
) -> None:
    root = tmp_path / "shared"
    root.mkdir()
    os.chmod(root, bits)
    monkeypatch.setenv(_linking.CACHE_ENV, str(root))
    plan = _linking.Plan([])
    with pytest.raises(_trust.UntrustedPathError, match="is writable by group") as info:
        _linking.build_library(plan, plan.key(), ("/nonexistent/go", {}))
    assert f"refusing to use the gobridge cache {root}" in str(info.value)
    assert CACHE_FIX in str(info.value)
    assert list(root.iterdir()) == []


@needs_root
def test_a_build_into_a_cache_of_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "theirs"
    (root / "lib").mkdir(parents=True, mode=0o700)
    os.chown(root / "lib", NOBODY, -1)
    monkeypatch.setenv(_linking.CACHE_ENV, str(root))
    with pytest.raises(_trust.UntrustedPathError, match="owner nobody, uid 65534"):
        _linking.private_cache_dir("lib")


def plant_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    monkeypatch.setenv(_linking.CACHE_ENV, str(tmp_path / "cache"))
    key = "k" * 64
    return key, _linking.private_cache_dir("locks") / f"{key[:40]}.lock"


def test_a_lock_file_is_made_private_and_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, lock = plant_lock(tmp_path, monkeypatch)
    with _linking._lock(key):
        assert mode(lock) == 0o600
    with _linking._lock(key):  # an existing one is reused
        pass


def test_a_lock_file_that_is_a_symbolic_link_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, lock = plant_lock(tmp_path, monkeypatch)
    target = tmp_path / "victim"
    lock.symlink_to(target)
    with pytest.raises(_trust.UntrustedPathError, match="is a symbolic link"):
        _linking._lock(key)
    assert not target.exists()
    target.write_text("precious")
    with pytest.raises(_trust.UntrustedPathError, match="is a symbolic link"):
        _linking._lock(key)
    assert target.read_text() == "precious"


@pytest.mark.parametrize("owner", [None, NOBODY])
def test_a_lock_file_someone_else_could_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: int | None
) -> None:
    if owner is not None and not IS_ROOT:
        pytest.skip("giving a file to another user needs root")
    key, lock = plant_lock(tmp_path, monkeypatch)
    lock.write_text("")
    if owner is None:
        os.chmod(lock, 0o666)
    else:
        os.chmod(lock, 0o600)
        os.chown(lock, owner, -1)
    with pytest.raises(_trust.UntrustedPathError, match=f"refusing to use the lock file {lock}"):
        _linking._lock(key)


@needs_go
def test_a_first_import_builds_a_private_cache_whatever_the_umask(layout: Layout) -> None:
    # The issue, end to end: the first import builds the library of an
    # installed contribution; it loads; handed to another user and made
    # writable by all, it is refused.
    shutil.rmtree(layout.root)
    env = layout.env()
    code = "import os\nos.umask(0)\nimport gomod.geometry as g\nprint(g.__name__)\n"
    proc = run(code, env, layout.site)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "gomod.geometry"
    for directory in (layout.root, layout.lib_dir, layout.key_dir, layout.root / "locks"):
        assert mode(directory) == 0o700, directory
    assert mode(layout.root / "work") == 0o700
    assert list((layout.root / "work").iterdir()) == []
    assert [p.name for p in layout.lib_dir.iterdir()] == [layout.key]  # no staging left
    assert mode(layout.library) == 0o755
    assert mode(layout.record) == 0o644
    assert mode(layout.root / "locks" / f"{layout.key}.lock") == 0o600
    if not IS_ROOT:
        return
    layout.chown(NOBODY, layout.key_dir, layout.library)
    os.chmod(layout.key_dir, 0o777)
    os.chmod(layout.library, 0o777)
    proc = run(importing("geometry"), env, layout.site)
    assert proc.returncode == 0, proc.stderr
    assert_refused(proc.stdout.strip(), layout.key_dir, "nobody", "drwxrwxrwx", CACHE_FIX)


@needs_go
def test_a_build_killed_before_its_rename_is_built_again(layout: Layout) -> None:
    # A directory of the key without its library (an older gobridge wrote
    # the record first) is replaced by a complete one.
    shutil.rmtree(layout.root)
    env = layout.env()
    assert run(importing("geometry"), env, layout.site).stdout.strip() == "loaded gomod.geometry"
    layout.library.unlink()
    assert run(importing("geometry"), env, layout.site).stdout.strip() == "loaded gomod.geometry"
    assert layout.library.is_file()
    assert mode(layout.key_dir) == 0o700


@needs_go
def test_build_output_is_never_written_through_a_planted_name(tmp_path: Path, base: Path) -> None:
    out = base / "out" / _linking.LIBRARY_NAME
    out.parent.mkdir()
    victim = base / "victim"
    victim.write_text("precious")
    for name in (out.name + ".tmp", out.name + ".json.tmp"):
        (out.parent / name).symlink_to(victim)
    env = dict(os.environ, **{_linking.CACHE_ENV: str(tmp_path / "cache")})
    proc = subprocess.run(
        [sys.executable, "-m", "gobridge", "build", "-q", str(GEOMETRY), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    assert victim.read_text() == "precious"
    assert mode(out) == 0o755
    assert mode(Path(str(out) + _linking.SIDECAR_SUFFIX)) == 0o644
    assert sorted(p.name for p in out.parent.iterdir() if not p.is_symlink()) == [
        out.name,
        out.name + _linking.SIDECAR_SUFFIX,
    ]
