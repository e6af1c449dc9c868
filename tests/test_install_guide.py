"""docs/authoring.md's set-up and install commands, as a new user runs them.

The commands are read from the guide itself: each shell block that an HTML
comment ``<!-- tests/test_install_guide.py: NAME -->`` introduces runs
verbatim in bash, in a fresh virtual environment of this interpreter's
Python, with ``~/src/gobridge`` (the guide's name for a checkout of
gobridge) standing for this checkout. The worked example's project
(``mything``) is written from the guide's own code blocks. So a guide whose
commands stop working, or a change that breaks them, fails here.

Beyond the guide's text, the tests check what it promises: an editable
install contributes its Go modules and picks up edits; a distribution whose
module name is taken is refused at ``pip install``; one installed anyway
breaks only that module, with an ImportError naming both distributions.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gobridge import _linking

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "authoring.md"
CHECKOUT = "~/src/gobridge"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(_linking.find_go() is None, reason="no Go toolchain"),
]


def guide_block(name: str) -> str:
    """The shell block the guide marks for this test under ``name``."""
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(
        r"<!-- tests/test_install_guide\.py: " + re.escape(name) + r"\b[^>]*-->\n```sh\n(.*?)```",
        text,
        re.S,
    )
    assert m, f"docs/authoring.md has no shell block marked {name!r} for this test"
    return m.group(1)


def code_block_after(marker: str, language: str) -> str:
    """The first ``language`` code block after ``marker`` in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(marker)
    m = re.compile(r"```" + language + r"\n(.*?)```", re.S).search(text, start)
    assert m, f"no {language} block after {marker!r} in docs/authoring.md"
    return m.group(1)


class Shell:
    """Runs the guide's blocks in one virtual environment, as if activated."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.venv = tmp / "venv"
        self.python = self.venv / "bin" / "python"
        self.exports: list[str] = []
        self.run(f"{shlex.quote(sys.executable)} -m venv {shlex.quote(str(self.venv))}", tmp)

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTHON", "GOBRIDGE_", "PIP_", "MAKE", "MFLAGS"))
            and k != "VIRTUAL_ENV"
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        # The guide's cache is ~/.cache/gobridge; the test keeps its own.
        env["GOBRIDGE_CACHE_DIR"] = str(self.tmp / "cache")
        return env

    def run(self, script: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        __tracebackhide__ = True
        full = "set -euo pipefail\n" + "".join(e + "\n" for e in self.exports) + script
        proc = subprocess.run(
            ["bash", "-c", full],
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=1500,
        )
        if check and proc.returncode != 0:
            pytest.fail(
                f"this script, in {cwd}, exited {proc.returncode}:\n{full}\n"
                f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
            )
        return proc

    def block(self, name: str, cwd: Path, **replace: str) -> subprocess.CompletedProcess[str]:
        """Run the guide's block ``name``: the checkout is this one, and
        ``replace`` maps other text of the block to what the test uses."""
        script = guide_block(name)
        for old, new in replace.items():
            script = script.replace(old, new)
        script = script.replace(CHECKOUT, shlex.quote(str(REPO)))
        return self.run(script, cwd)


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Shell:
    """A fresh virtual environment set up by the guide's set-up block."""
    sh = Shell(tmp_path_factory.mktemp("guide"))
    setup = guide_block("set-up")
    assert "make -C ~/src/gobridge wheelhouse" in setup
    sh.block("set-up", sh.tmp)
    # The block's exports hold for the commands that follow it, as in the
    # reader's shell.
    sh.exports = [
        line.split("#", 1)[0].strip().replace(CHECKOUT, shlex.quote(str(REPO)))
        for line in setup.splitlines()
        if line.startswith("export ")
    ]
    assert any(e.startswith("export PIP_FIND_LINKS=") for e in sh.exports)
    assert list((REPO / "wheelhouse").glob("gobridge-*.whl"))
    return sh


@pytest.fixture(scope="module")
def mything(shell: Shell) -> Path:
    """The worked example's project, from the guide's steps 1 to 3."""
    step1 = code_block_after("**1. A Go module.**", "sh")
    shell.run(step1, shell.tmp)
    project = shell.tmp / "mything"
    (project / "go" / "mything.go").write_text(
        code_block_after("`mything/go/mything.go`:", "go"), encoding="utf-8"
    )
    (project / "pyproject.toml").write_text(
        code_block_after("`mything/pyproject.toml`:", "toml"), encoding="utf-8"
    )
    step3 = code_block_after("**3. Generate the registration.**", "sh")
    generated = shell.run(step3, project / "go")
    assert (project / "go" / "zz_gobridge.go").is_file()
    assert "gobridge gen: wrote" in generated.stderr  # gen says what it did
    return project


def greet(shell: Shell) -> subprocess.CompletedProcess[str]:
    return shell.run("python -c 'import gomod.mything as m; print(m.greet(\"Ada\", 1))'", shell.tmp)


def test_the_guides_commands_install_a_new_distribution(shell: Shell, mything: Path) -> None:
    # Each way the guide gives, in the order that lets each one install
    # over the last: a wheel, a build without isolation, then pip install .
    built = shell.block("wheel", mything)
    assert (mything / "dist" / "mything-0.1.0-py3-none-any.whl").is_file()
    assert (mything / "dist" / "mything-0.1.0.tar.gz").is_file()
    assert "Successfully installed" in built.stdout
    assert greet(shell).stdout == "Hello, Ada! \n"

    shell.block("no-build-isolation", mything)
    assert greet(shell).stdout == "Hello, Ada! \n"

    installed = shell.block("install", mything)
    assert installed.stdout.splitlines()[-1] == "Hello, Ada! "

    # The worked example's constructor, default and value struct, installed.
    used = shell.run(
        'python -c \'import gomod.mything as m; t = m.Tally("lunch"); '
        'print(repr(m.greet("Ada")), t.cast(m.Ballot("tea", weight=3)), '
        't.cast({"choice": "tea"}), t.vote("tea"), m.Ballot("tea"))\'',
        shell.tmp,
    )
    assert used.stdout == "'Hello, Ada! ' 3 3 4 Ballot(choice='tea', weight=0)\n"


def test_the_worked_examples_sentinel_error_is_an_exception_class(
    shell: Shell, mything: Path
) -> None:
    shell.block("install", mything)
    program = (
        "import pickle, gobridge, gomod.mything as m\n"
        "try:\n"
        "    m.Tally('dinner').winner()\n"
        "except m.ErrNoVotes as exc:\n"
        "    print(type(exc).__module__, type(exc).__name__, exc)\n"
        "print(issubclass(m.ErrNoVotes, gobridge.GoError))\n"
        "print(pickle.loads(pickle.dumps(m.ErrNoVotes)) is m.ErrNoVotes)\n"
    )
    (shell.tmp / "winner.py").write_text(program, encoding="utf-8")
    proc = shell.run("python winner.py", shell.tmp)
    assert proc.stdout.splitlines() == [
        'gomod.mything ErrNoVotes tally "dinner": no votes yet',
        "True",
        "True",
    ]


def test_the_guides_commands_install_the_examples(shell: Shell, tmp_path: Path) -> None:
    # The examples are copied, so that pip's in-tree build leaves the
    # checkout alone.
    examples = tmp_path / "examples"
    for name in ("geometry", "textstats"):
        shutil.copytree(REPO / "examples" / name, examples / name)
    shutil.copy(REPO / "examples" / "demo.py", examples / "demo.py")
    proc = shell.block("examples", tmp_path, **{f"{CHECKOUT}/examples": str(examples)})
    assert "distance from (0, 0) to (3, 4): 5" in proc.stdout
    assert "gomod.geometry from gobridge-example-geometry" in proc.stdout
    assert "gomod.textstats from gobridge-example-textstats" in proc.stdout


def test_an_editable_install_contributes_and_follows_edits(shell: Shell, mything: Path) -> None:
    shell.run("pip install -e .", mything)
    assert greet(shell).stdout == "Hello, Ada! \n"
    source = mything / "go" / "mything.go"
    original = source.read_text(encoding="utf-8")
    try:
        source.write_text(original.replace('"Hello"', '"Howdy"'), encoding="utf-8")
        edited = greet(shell)
        assert edited.stdout == "Howdy, Ada! \n"
        assert re.search(r"linking the Go modules of .*\bmything\b", edited.stderr)
    finally:
        source.write_text(original, encoding="utf-8")
        shell.block("install", mything)


def test_a_taken_module_name_is_refused_at_install_and_breaks_only_that_module(
    shell: Shell, mything: Path, tmp_path: Path
) -> None:
    clash = tmp_path / "clash"
    shutil.copytree(mything, clash, ignore=shutil.ignore_patterns("dist", "build", "*.egg-info"))
    pyproject = clash / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('name = "mything"', 'name = "clash"'))
    gomod = clash / "go" / "go.mod"
    gomod.write_text(gomod.read_text().replace("example.com/mything", "example.com/clash"))

    refused = shell.run("pip install .", clash, check=False)
    assert refused.returncode != 0
    output = refused.stdout + refused.stderr
    assert "clash registers Go modules that are taken" in output
    assert "gomod.mything is registered by the installed distribution mything 0.1.0" in output

    # A wheel built elsewhere (python -m build's own environment has no
    # mything) and installed without checks: the clash is in the environment.
    shell.run(
        "pip install -q build && python -m build --wheel && "
        "pip install --no-deps dist/clash-0.1.0-py3-none-any.whl",
        clash,
    )
    try:
        proc = shell.run(
            """python - <<'EOF'
import gomod.strings
for attempt in range(2):
    try:
        import gomod.mything
    except ImportError as exc:
        print(type(exc).__name__, exc)
print(gomod.strings.to_upper("still here"))
EOF""",
            shell.tmp,
        )
        first, second, last = proc.stdout.splitlines()
        assert first == second
        assert first.startswith("ImportError gomod.mything cannot be imported: ")
        assert "clash 0.1.0 (Go package example.com/clash)" in first
        assert "mything 0.1.0 (Go package example.com/mything)" in first
        assert "pip uninstall clash or mything" in first
        assert last == "STILL HERE"
        assert "goroutine" not in proc.stderr
    finally:
        shell.run("pip uninstall -y clash", shell.tmp)
    assert greet(shell).stdout == "Hello, Ada! \n"
