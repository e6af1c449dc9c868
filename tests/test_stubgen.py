"""python -m gobridge stubgen: .pyi stubs that mypy accepts, and that catch errors.

The end-to-end tests build the library of the two example distributions
(``python -m gobridge build``, cached), write stubs from it in a child
process, and run mypy --strict on ``examples/demo.py`` through them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gobridge import _linking, _stubgen

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

try:
    import mypy.api  # noqa: F401  (only whether it imports)

    HAVE_MYPY = True
except ImportError:  # pragma: no cover - mypy is in the test extra
    HAVE_MYPY = False

needs_mypy = pytest.mark.skipif(
    not HAVE_MYPY, reason="mypy is not importable; pip install -e '.[test]' installs it"
)
needs_go = pytest.mark.skipif(_linking.find_go() is None, reason="no Go toolchain")


# --- annotations -------------------------------------------------------------------------


class FakeGoClass:
    _gb_is_go_object = True
    _gb_go_type = "*example.com/geo.Point"


@pytest.mark.parametrize(
    ("annotation", "stub", "imports"),
    [
        ("int", "int", {}),
        ("list[list[str]]", "list[list[str]]", {}),
        ("dict[str, int]", "dict[str, int]", {}),
        ("tuple[int, str, bool]", "tuple[int, str, bool]", {}),
        ("int | None", "int | None", {}),
        ("bytes-like object", "bytes | bytearray | memoryview", {}),
        ("Callable", "Callable[..., Any]", {"collections.abc": {"Callable"}, "typing": {"Any"}}),
        ("Iterator[int]", "Iterator[int]", {"collections.abc": {"Iterator"}}),
        ("Callable[[int], str]", "Callable[[int], str]", {"collections.abc": {"Callable"}}),
        ("list", "list[Any]", {"typing": {"Any"}}),
        ("Point", "Point", {}),
        ("list[Point]", "list[Point]", {}),
        ("Line", "Line", {"gomod.other": {"Line"}}),
        ("Unknown", "Any", {"typing": {"Any"}}),
        ("chan[int]", "Any", {"typing": {"Any"}}),
        ("not python ((", "Any", {"typing": {"Any"}}),
        ("", "Any", {"typing": {"Any"}}),
    ],
)
def test_annotations_become_stub_syntax(
    annotation: str, stub: str, imports: dict[str, set[str]]
) -> None:
    classes = _stubgen._Classes()
    classes.add("gomod.geo", "Point", FakeGoClass)
    classes.add("gomod.other", "Line", type("Line", (), {"_gb_is_go_object": True}))
    module = _stubgen._ModuleStub("gomod.geo", classes)
    assert module.annotation(annotation) == stub
    assert module.imports == imports


@pytest.mark.parametrize(
    ("annotation", "stub", "imports"),
    [
        ("int", "int", {}),
        ("list[float]", "Sequence[float]", {"collections.abc": {"Sequence"}}),
        ("list[list[str]]", "Sequence[Sequence[str]]", {"collections.abc": {"Sequence"}}),
        (
            "dict[str, list[int]]",
            "Mapping[str, Sequence[int]]",
            {"collections.abc": {"Mapping", "Sequence"}},
        ),
        ("bytes", "bytes | bytearray | memoryview", {}),
        ("list", "Sequence[Any]", {"collections.abc": {"Sequence"}, "typing": {"Any"}}),
        # Go passes a callback's arguments (concrete) and takes its result.
        (
            "Callable[[list[str]], list[int]]",
            "Callable[[list[str]], Sequence[int]]",
            {"collections.abc": {"Callable", "Sequence"}},
        ),
        (
            "Callable[[int], int] | None",
            "Callable[[int], int] | None",
            {"collections.abc": {"Callable"}},
        ),
        (
            "Callable[..., dict[str, int]]",
            "Callable[..., Mapping[str, int]]",
            {"collections.abc": {"Callable", "Mapping"}},
        ),
        ("list[Point]", "Sequence[Point]", {"collections.abc": {"Sequence"}}),
    ],
)
def test_parameters_accept_what_the_bridge_accepts(
    annotation: str, stub: str, imports: dict[str, set[str]]
) -> None:
    classes = _stubgen._Classes()
    classes.add("gomod.geo", "Point", FakeGoClass)
    module = _stubgen._ModuleStub("gomod.geo", classes)
    assert module.annotation(annotation, accepting=True) == stub
    assert module.imports == imports


def test_a_go_func_result_takes_what_the_bridge_accepts() -> None:
    # A Go func returned to Python: Python passes its arguments to Go.
    module = _stubgen._ModuleStub("gomod.geo", _stubgen._Classes())
    assert module.annotation("Callable[[list[str]], list[int]]") == (
        "Callable[[Sequence[str]], list[int]]"
    )


def test_a_renamed_class_is_found_by_its_go_name() -> None:
    classes = _stubgen._Classes()
    classes.add("gomod.geo", "Pt", FakeGoClass)
    assert classes.resolve("gomod.geo", "Point") == ("gomod.geo", "Pt")
    assert classes.resolve("gomod.elsewhere", "Point") == ("gomod.geo", "Pt")


def test_stubs_of_the_default_library(tmp_path: Path) -> None:
    written = _stubgen.generate(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {
        "gomod/__init__.pyi",
        "gomod/strings.pyi",
        "gomod/crypto/__init__.pyi",
        "gomod/crypto/sha256.pyi",
        "gomod/regexp.pyi",
    } <= names
    assert not any("_testing" in n for n in names)
    regexp = (tmp_path / "gomod" / "regexp.pyi").read_text()
    assert "    def __call__(self, expr: str) -> Regexp: ..." in regexp
    assert "class Regexp:" in regexp
    assert "    def match_string(self, s: str) -> bool: ..." in regexp
    strings = (tmp_path / "gomod" / "strings.pyi").read_text()
    assert "    def __call__(self, elems: Sequence[str], sep: str) -> str: ..." in strings
    sha = (tmp_path / "gomod" / "crypto" / "sha256.pyi").read_text()
    assert "SIZE: int" in sha
    assert "bytes | bytearray | memoryview" in sha  # py.Bytes parameters
    for path in written:
        compile(path.read_text(), str(path), "exec")


def test_unknown_module_names_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no registered module named gomod.nope"):
        _stubgen.generate(tmp_path, ["gomod.nope"])


def test_selected_modules_and_their_parents(tmp_path: Path) -> None:
    written = _stubgen.generate(tmp_path, ["gomod.crypto.md5"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "gomod/__init__.pyi",
        "gomod/crypto/__init__.pyi",
        "gomod/crypto/md5.pyi",
    ]


# --- mypy on the example program ----------------------------------------------------------------


def run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def example_stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if _linking.find_go() is None:
        pytest.skip("no Go toolchain to build the examples' library")
    tmp = tmp_path_factory.mktemp("stubs")
    build = run(
        [
            sys.executable,
            "-m",
            "gobridge",
            "build",
            "-q",
            str(EXAMPLES / "geometry" / "go"),
            str(EXAMPLES / "textstats" / "go"),
        ],
        env={_linking.CACHE_ENV: str(tmp / "cache")},
    )
    assert build.returncode == 0, build.stderr
    out = tmp / "stubs"
    proc = run(
        [sys.executable, "-m", "gobridge", "stubgen", "-o", str(out)],
        env={"GOBRIDGE_LIBRARY": build.stdout.strip()},
    )
    assert proc.returncode == 0, proc.stderr
    assert f"MYPYPATH={out}" in proc.stderr
    (tmp / "library").write_text(build.stdout.strip())
    return out


def run_mypy(program: Path, stubs: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(cache),
            str(program),
        ],
        env={"MYPYPATH": str(stubs)},
    )


@needs_mypy
@needs_go
def test_mypy_passes_on_the_example_program(example_stubs: Path, tmp_path: Path) -> None:
    geometry = (example_stubs / "gomod" / "geometry.pyi").read_text()
    assert "class Point:" in geometry
    assert "    def distance(self, q: Point) -> float: ..." in geometry
    assert "    def x(self, value: float) -> None: ..." in geometry  # a settable field
    assert "xs: Sequence[float], ys: Sequence[float]) -> float: ..." in geometry
    textstats = (example_stubs / "gomod" / "textstats.pyi").read_text()
    assert "(self, words: Sequence[str], keep: Callable[[str], bool]) -> list[str]" in textstats
    assert "(self, text: str, key: Callable[[str], str] | None) -> dict[str, int]" in textstats
    proc = run_mypy(EXAMPLES / "demo.py", example_stubs, tmp_path / "mypy-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_mypy
@needs_go
def test_mypy_accepts_what_works_at_run_time(example_stubs: Path, tmp_path: Path) -> None:
    program = tmp_path / "right.py"
    program.write_text(
        textwrap.dedent(
            """
            from collections import deque

            import gomod.geometry as geometry
            import gomod.textstats as textstats

            xs: list[int] = [0, 1, 1, 0]
            area: float = geometry.polygon_area(xs, (0.0, 0.0, 1.0, 1.0))
            triangle = geometry.polygon_area(range(3), deque([0, 0, 1]))


            def keep(word: str) -> bool:
                return word != "the"


            kept: list[str] = textstats.filter_words(("the", "go"), keep)
            kept += textstats.filter_words(textstats.words("a bc"), lambda w: len(w) > 1)
            counts: dict[str, int] = textstats.count_words_by("a b", None)
            counts = textstats.count_words_by("a b", str.upper)
            print(area, triangle, kept, counts)
            """
        )
    )
    proc = run_mypy(program, example_stubs, tmp_path / "mypy-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # And it runs: what the stubs accept, the bridge does.
    library = (example_stubs.parent / "library").read_text()
    proc = run([sys.executable, str(program)], env={"GOBRIDGE_LIBRARY": library})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "1.0 0.5 ['go', 'bc'] {'A': 1, 'B': 1}\n"


@needs_mypy
@needs_go
def test_mypy_catches_misuse_through_the_stubs(example_stubs: Path, tmp_path: Path) -> None:
    program = tmp_path / "wrong.py"
    program.write_text(
        textwrap.dedent(
            """
            import asyncio

            import gomod.geometry as geometry
            import gomod.textstats as textstats

            geometry.circle_area("two")
            point: str = geometry.new_point(1, 2)
            geometry.new_point(1, 2).distance(3)
            textstats.top_words("text", n="3")
            textstats.new_counter().nosuch()
            textstats.filter_words(["a"], lambda w: w.upper() + 1)
            textstats.filter_words(["a"], None)
            textstats.filter_words({"a"}, bool)
            textstats.count_words_by("a b", len)
            textstats.count_words_by("a b", None).append(1)


            async def main() -> None:
                total: str = await textstats.count_lines.aio(b"x")
            """
        )
    )
    proc = run_mypy(program, example_stubs, tmp_path / "mypy-cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors: dict[int, str] = {}
    for line in proc.stdout.splitlines():
        if ": error: " in line:
            where, message = line.split(": error: ", 1)
            errors.setdefault(int(where.rsplit(":", 1)[1]), message)
    assert sorted(errors) == [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20], proc.stdout
    assert 'incompatible type "str"; expected "float"' in errors[7]
    assert 'expression has type "Point", variable has type "str"' in errors[8]
    assert 'incompatible type "int"; expected "Point"' in errors[9]
    assert 'Argument "n"' in errors[10] and 'expected "int"' in errors[10]
    assert '"Counter" has no attribute "nosuch"' in errors[11]
    assert 'Unsupported operand types for + ("str" and "int")' in errors[12]
    assert 'incompatible type "None"; expected "Callable[[str], bool]"' in errors[13]
    assert 'incompatible type "set[str]"; expected "Sequence[str]"' in errors[14]
    # mypy spells it Optional[...] when it checks for Python 3.9.
    assert re.search(
        r'expected "(Callable\[\[str\], str\] \| None|Optional\[Callable\[\[str\], str\]\])"',
        errors[15],
    )
    assert '"dict[str, int]" has no attribute "append"' in errors[16]
    assert 'expression has type "int", variable has type "str"' in errors[20]


@needs_mypy
@needs_go
def test_value_structs_constructors_and_defaults_type_check(
    example_stubs: Path, tmp_path: Path
) -> None:
    geometry = (example_stubs / "gomod" / "geometry.pyi").read_text()
    assert "class Vector:\n    dx: float\n    dy: float\n" in geometry
    assert "    def __init__(self, dx: float = ..., dy: float = ...) -> None: ..." in geometry
    assert "    def __init__(self, x: float = ..., y: float = ...) -> None: ..." in geometry
    assert "def move(self, v: Vector | Mapping[str, Any]) -> Point: ..." in geometry
    textstats = (example_stubs / "gomod" / "textstats.pyi").read_text()
    assert "def top(self, n: int = ...) -> list[str]: ..." in textstats
    program = tmp_path / "values.py"
    program.write_text(
        textwrap.dedent(
            """
            import gomod.geometry as geometry
            import gomod.textstats as textstats

            v = geometry.Vector(dx=1, dy=2)
            w: geometry.Vector = geometry.displacement(geometry.Point(), geometry.Point(3, 4))
            p: geometry.Point = geometry.Point(x=1).move(v).move({"dy": 1.5})
            dx: float = w.dx
            counter = textstats.Counter()
            counter.add("a b a")
            top: list[str] = counter.top()
            print(v, w, p, dx, top, textstats.top_words("b a b"), v == geometry.Vector(1, 2))
            """
        )
    )
    proc = run_mypy(program, example_stubs, tmp_path / "mypy-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    library = (example_stubs.parent / "library").read_text()
    proc = run([sys.executable, str(program)], env={"GOBRIDGE_LIBRARY": library})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "Vector(dx=1.0, dy=2.0) Vector(dx=3.0, dy=4.0) (2, 3.5) 3.0 ['a', 'b'] ['b', 'a'] True\n"
    )
    wrong = tmp_path / "wrong_values.py"
    wrong.write_text(
        textwrap.dedent(
            """
            import gomod.geometry as geometry

            geometry.Vector(dx="1")
            geometry.Vector(dz=1)
            geometry.Point().move(3)
            """
        )
    )
    proc = run_mypy(wrong, example_stubs, tmp_path / "mypy-cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = sorted(
        {int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error: " in line}
    )
    assert lines == [4, 5, 6], proc.stdout
