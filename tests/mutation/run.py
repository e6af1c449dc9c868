"""``make mutate``: check that the tests notice each guard going missing.

For every mutation of mutations.py, in a copy of the source tree (the
working tree's tracked and new files, never the working tree itself): apply
the one-line change, rebuild what it touches, run its tests, put the line
back, and report whether a test failed. Before any mutation, the same
tests must pass on the unchanged copy. It ends with ``mutations caught:
C/N`` and exits non-zero unless every mutation was caught.

Usage: python tests/mutation/run.py [-k SUBSTRING] [--keep]

The copy starts from the library and extension the working tree has built
(``make install-test``) and rebuilds them only for the mutations that need
it. Go is GOBRIDGE_GO, or the go on PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutations import GO_TESTS_ONLY, LIBRARY, MUTATIONS, NATIVE, PYTHON, Mutation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path("python/gobridge")
# A mutation's tests may not run longer than this (a hang counts as caught:
# the mutation broke something, and pytest-timeout or go test -timeout say
# where).
TEST_TIMEOUT = 600
BUILD_TIMEOUT = 900


class MutationError(Exception):
    """The list no longer matches the code, or the tree cannot be built."""


def go_binary() -> str:
    go = os.environ.get("GOBRIDGE_GO") or shutil.which("go")
    if not go:
        raise MutationError("no go on PATH (set GOBRIDGE_GO)")
    return go


def go_env() -> dict[str, str]:
    return {**os.environ, "GOTOOLCHAIN": "local", "CGO_ENABLED": "1"}


def copy_tree(dest: Path) -> None:
    """Copy the working tree's tracked and untracked (not ignored) files,
    and its built library and extension."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    for name in filter(None, listing.decode().split("\0")):
        src = ROOT / name
        if not src.is_file():
            continue  # deleted in the working tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    products = [ROOT / PACKAGE / "libgobridge.so", *sorted((ROOT / PACKAGE).glob("_native*.so"))]
    if len(products) < 2 or not all(p.is_file() for p in products):
        raise MutationError("build gobridge first (make install-test): no libgobridge.so/_native")
    for product in products:
        shutil.copy2(product, dest / PACKAGE / product.name)


def locate(tree: Path, mutation: Mutation) -> tuple[Path, list[str], int]:
    """The file, its lines, and the index of the mutation's line."""
    path = tree / mutation.file
    if not path.is_file():
        raise MutationError(f"{mutation.name}: {mutation.file} does not exist")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.strip() == mutation.original]
    if len(found) != 1:
        raise MutationError(
            f"{mutation.name}: {mutation.file} has {len(found)} lines "
            f"{mutation.original!r} (want exactly one): update tests/mutation/mutations.py"
        )
    return path, lines, found[0]


def mutate(tree: Path, mutation: Mutation) -> tuple[Path, str]:
    """Apply the mutation; return the file and its original text."""
    path, lines, i = locate(tree, mutation)
    original = "".join(lines)
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip())]
    ending = line[len(line.rstrip("\r\n")) :]
    lines[i] = indent + mutation.mutated + ending
    path.write_text("".join(lines), encoding="utf-8")
    return path, original


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[bool, str]:
    """Run cmd; (passed, output). A timeout is a failure."""
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout if isinstance(exc.stdout, str) else (exc.stdout or b"").decode()
        return False, f"{out}\n(timed out after {timeout}s)"
    return proc.returncode == 0, proc.stdout


def build(tree: Path, kind: str) -> None:
    """Rebuild what a mutation of this kind changed."""
    if kind == LIBRARY:
        cmd = [go_binary(), "build", "-buildmode=c-shared", "-trimpath", "-o"]
        cmd += [str(tree / PACKAGE / "libgobridge.so"), "./cmd/libgobridge"]
        ok, out = run(cmd, tree / "go", go_env(), BUILD_TIMEOUT)
    elif kind == NATIVE:
        out_dir = tree / "build-native"
        code = (
            "import sys; sys.path.insert(0, 'bridge'); import native_build; "
            f"native_build.make_builder(absolute_sources=True).compile(tmpdir={str(out_dir)!r})"
        )
        ok, out = run([sys.executable, "-c", code], tree, dict(os.environ), BUILD_TIMEOUT)
        if ok:
            for old in (tree / PACKAGE).glob("_native*.so"):
                old.unlink()
            for built in (out_dir / "gobridge").glob("_native*.so"):
                shutil.copy2(built, tree / PACKAGE / built.name)
    else:
        return
    if not ok:
        raise MutationError(f"build failed:\n{out[-4000:]}")


def restore_products(tree: Path, saved: Path) -> None:
    for old in (tree / PACKAGE).glob("_native*.so"):
        old.unlink()
    for product in saved.iterdir():
        shutil.copy2(product, tree / PACKAGE / product.name)


def run_tests(tree: Path, mutation: Mutation) -> tuple[bool, str]:
    """Run the mutation's tests in the copy; (all passed, output)."""
    outputs = []
    for test in mutation.tests:
        if test[0] == "go":
            _, package, pattern = test
            cmd = [go_binary(), "test", "-count=1", "-timeout=300s", "-run", pattern, package]
            ok, out = run(cmd, tree / "go", go_env(), TEST_TIMEOUT)
            # A selection that runs nothing proves nothing.
            ran = [line for line in out.splitlines() if line.startswith("ok ")]
            if ok and all("[no tests to run]" in line for line in ran):
                raise MutationError(f"{mutation.name}: go test -run {pattern!r} ran no test")
        else:
            env = {**os.environ, "PYTHONPATH": str(tree / "python")}
            env.pop("GOBRIDGE_LIBRARY", None)
            cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
            cmd += ["-o", "timeout=120", *test[1:]]
            # (A selection that runs nothing exits 5: it fails the check
            # on the unchanged tree.)
            ok, out = run(cmd, tree, env, TEST_TIMEOUT)
        outputs.append(f"$ {' '.join(cmd)}\n{out}")
        if not ok:
            return False, "\n".join(outputs)
    return True, "\n".join(outputs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only mutations whose name contains this")
    parser.add_argument("--keep", action="store_true", help="keep the copy of the tree")
    parser.add_argument("-v", "--verbose", action="store_true", help="show test output")
    args = parser.parse_args()
    selected = [m for m in MUTATIONS if args.k in m.name]
    if not selected:
        print(f"no mutation matches {args.k!r}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="gobridge-mutate-"))
    tree, saved = workdir / "tree", workdir / "products"
    caught = 0
    try:
        copy_tree(tree)
        saved.mkdir()
        for product in (tree / PACKAGE).glob("*.so"):
            shutil.copy2(product, saved / product.name)
        # Every target line must exist before anything runs.
        for mutation in selected:
            locate(tree, mutation)
            if mutation.build not in (GO_TESTS_ONLY, LIBRARY, NATIVE, PYTHON):
                raise MutationError(f"{mutation.name}: unknown build {mutation.build!r}")
        # The tests must pass on the unchanged tree, or a failure proves nothing.
        print(f"checking that the {len(selected)} selections pass on the unchanged tree...")
        seen: set[tuple[tuple[str, ...], ...]] = set()
        for mutation in selected:
            if mutation.tests in seen:
                continue
            seen.add(mutation.tests)
            ok, out = run_tests(tree, mutation)
            if not ok:
                raise MutationError(f"{mutation.name}: its tests fail without it:\n{out[-4000:]}")
        for n, mutation in enumerate(selected, 1):
            start = time.monotonic()
            path, original = mutate(tree, mutation)
            try:
                build(tree, mutation.build)
                ok, out = run_tests(tree, mutation)
            finally:
                path.write_text(original, encoding="utf-8")
                if mutation.build in (LIBRARY, NATIVE):
                    restore_products(tree, saved)
            verdict = "MISSED" if ok else "caught"
            caught += not ok
            seconds = time.monotonic() - start
            line = f"[{n}/{len(selected)}] {verdict}  {mutation.name}  ({seconds:.0f} s)"
            print(line, flush=True)
            if ok or args.verbose:
                print(f"    {mutation.file}: {mutation.original!r} -> {mutation.mutated!r}")
                if args.verbose:
                    print(out[-3000:])
    except MutationError as exc:
        print(f"make mutate: {exc}", file=sys.stderr)
        print(f"mutations caught: {caught}/{len(selected)}")
        return 2
    finally:
        if args.keep:
            print(f"the copy is in {tree}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"mutations caught: {caught}/{len(selected)}")
    return 0 if caught == len(selected) else 1


if __name__ == "__main__":
    sys.exit(main())
