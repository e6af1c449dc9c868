"""``python -m gobridge gen``: the generator front end, and ``python -m gobridge sdk``.

``gen`` runs ``gobridge-gen`` (``go/cmd/gobridge-gen``) from the Go SDK that
ships with this gobridge, on the Go package in the current directory (or
``-dir``), so a package's ``//go:generate`` line needs nothing but gobridge::

    //go:generate python3 -m gobridge gen -module mything

The package's Go module does not have to say where the SDK is: the
generator type-checks the package with a temporary copy of its go.mod that
requires ``github.com/gobridge/gobridge`` and replaces it with the SDK
(``go -modfile``), so the go.mod in the source tree is never changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import _contrib, _linking
from ._cli import command

GENERATOR_PACKAGE = "./cmd/gobridge-gen"

# gobridge-gen's flags: (flag, metavar or None for a boolean, repeatable, help).
# tests/test_authoring.py checks this list against the generator's own -h.
GENERATOR_FLAGS = [
    ("module", "NAME", False, "dotted Python module name below gomod (required)"),
    ("package", None, False, "the module is a Python package (may have submodules)"),
    ("from", "PATH", False, "wrap the package with this import path instead of the local one"),
    ("dir", "DIR", False, "the package directory (default: the current directory)"),
    ("funcs", "A,B", False, "bind only these functions"),
    ("types", "T,U", False, "declare only these struct types as classes"),
    ("consts", "X,Y", False, "bind only these constants; an empty list binds none"),
    (
        "errors",
        "E,F",
        False,
        "declare only these sentinel errors as exception classes; an empty list declares none",
    ),
    ("exclude", "A,T.M", False, "leave out functions, types, constants, or methods/fields T.M"),
    ("rename", "GO=py", True, "Python name for a function, constant, class or method T.M"),
    ("short", "A,B", False, "declare these functions short (called with the GIL held); * for all"),
    (
        "panic",
        "F,T.M=EXC:MESSAGE",
        True,
        "panics that reject an argument: a panic whose message starts with MESSAGE raises EXC",
    ),
    (
        "positions",
        "F=s:return",
        True,
        "int parameters and results (return, return[N]) of F or T.M that are positions "
        "within string parameter s, in code points in Python",
    ),
    ("strict", None, False, "fail, instead of warning, on anything that cannot be bound"),
    ("o", "FILE", False, "output file, relative to -dir (default zz_gobridge.go)"),
]


def _configure_gen(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Flags are gobridge-gen's, with one dash, as in a //go:generate line: "
        "python3 -m gobridge gen -module mything"
    )
    for name, metavar, repeat, help_text in GENERATOR_FLAGS:
        if metavar is None:
            parser.add_argument(f"-{name}", dest=f"gen_{name}", action="store_true", help=help_text)
        else:
            parser.add_argument(
                f"-{name}",
                dest=f"gen_{name}",
                metavar=metavar,
                action="append" if repeat else "store",
                help=help_text,
            )


def generator_args(args: argparse.Namespace) -> list[str]:
    """The parsed flags as gobridge-gen's command line."""
    out: list[str] = []
    for name, metavar, _repeat, _ in GENERATOR_FLAGS:
        value = getattr(args, f"gen_{name}")
        if metavar is None:
            if value:
                out.append(f"-{name}")
        elif isinstance(value, list):
            out.extend(f"-{name}={v}" for v in value)
        elif value is not None:
            out.append(f"-{name}={value}")
    return out


def _module_file(package_dir: Path, work: Path) -> Path | None:
    """A copy of the package's go.mod that finds the SDK, or None for the SDK's own packages."""
    root = _linking.module_root(package_dir)
    sdk = _linking.sdk_dir().resolve()
    if root == sdk:
        return None
    modfile = work / "go.mod"
    shutil.copyfile(root / "go.mod", modfile)
    if (root / "go.sum").is_file():
        shutil.copyfile(root / "go.sum", work / "go.sum")
    else:
        (work / "go.sum").touch()
    text = modfile.read_text(encoding="utf-8")
    gomod = _linking.parse_go_mod(text, str(root / "go.mod"))
    if gomod.module == _contrib.SDK_MODULE:
        raise _linking.BuildError(
            f"{root} holds a copy of gobridge's own Go module; run the generator from it directly "
            "(go run ./cmd/gobridge-gen)"
        )
    kept = [r for r in gomod.replaces if r.old == _contrib.SDK_MODULE]
    edits = [f"-dropreplace={r.old}{'@' + r.old_version if r.old_version else ''}" for r in kept]
    _go_mod_edit(
        modfile,
        [
            *edits,
            f"-require={_contrib.SDK_MODULE}@v0.0.0",
            f"-replace={_contrib.SDK_MODULE}={sdk}",
        ],
    )
    return modfile


def _go_mod_edit(modfile: Path, edits: list[str]) -> None:
    go, extra = _linking.require_go()
    env = _linking.go_environment(extra)
    env.pop("GOFLAGS", None)
    proc = subprocess.run(
        [go, "mod", "edit", *edits, str(modfile)], env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise _linking.BuildError(f"go mod edit failed: {proc.stderr.strip()}")


def build_generator(work: Path) -> Path:
    """Compile gobridge-gen from the SDK into ``work``; Go's build cache makes it quick."""
    go, extra = _linking.require_go()
    env = _linking.go_environment(extra)
    env.pop("GOFLAGS", None)
    binary = work / "gobridge-gen"
    proc = subprocess.run(
        [go, "build", "-o", str(binary), GENERATOR_PACKAGE],
        cwd=_linking.sdk_dir(),
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise _linking.BuildError(f"cannot build gobridge-gen: {proc.stderr.strip()}")
    return binary


def run_generator(argv: list[str], package_dir: Path) -> int:
    """Run gobridge-gen with ``argv`` on the package in ``package_dir``; its exit status."""
    go, extra = _linking.require_go()
    with tempfile.TemporaryDirectory(prefix="gobridge-gen-") as tmp:
        work = Path(tmp)
        binary = build_generator(work)
        modfile = _module_file(package_dir, work)
        env = _linking.go_environment(extra)
        # The generator's go/build finds packages with $GOROOT/bin/go.
        goroot = subprocess.run(
            [go, "env", "GOROOT"], env=env, capture_output=True, text=True
        ).stdout.strip()
        if goroot:
            env["GOROOT"] = goroot
        if modfile is not None:
            env["GOFLAGS"] = " ".join(filter(None, [env.get("GOFLAGS"), f"-modfile={modfile}"]))
        return subprocess.run([str(binary), *argv], cwd=package_dir, env=env).returncode


@command("gen", "generate a Go package's registration code (runs gobridge-gen)", _configure_gen)
def _gen(args: argparse.Namespace) -> int:
    argv = generator_args(args)
    package_dir = Path(args.gen_dir or os.getcwd()).resolve()
    if args.gen_dir:
        # gobridge-gen runs in the package directory, where -dir is ".".
        argv = [a for a in argv if not a.startswith("-dir=")]
    try:
        status = run_generator(argv, package_dir)
    except _linking.BuildError as exc:
        print(f"gobridge gen: {exc}", file=sys.stderr)
        return 1
    if status == 0:
        output = package_dir / (getattr(args, "gen_o", None) or "zz_gobridge.go")
        what = f"gomod.{args.gen_module}" if getattr(args, "gen_module", None) else "the module"
        print(f"gobridge gen: wrote {output}, the registration of {what}", file=sys.stderr)
    return status


@command("sdk", "print the directory of gobridge's Go SDK (for go.work or a replace directive)")
def _sdk(args: argparse.Namespace) -> int:
    print(_linking.sdk_dir().resolve())
    return 0
