"""The ``python -m gobridge`` command line.

With no command it prints the registered Go modules as a tree. Commands:

* ``list`` (the default): the module tree, with package markers and summaries;
* ``info``: the loaded library, its Go version and where each module comes from.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Callable

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Command]] = {}


def command(
    name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] | None = None
) -> Callable[[Command], Command]:
    """Register a sub-command: ``configure`` adds its arguments."""

    def register(fn: Command) -> Command:
        _COMMANDS[name] = (help, configure or (lambda parser: None), fn)
        return fn

    return register


def _tree_lines(show_private: bool) -> list[str]:
    import gobridge

    entries = [
        e
        for e in gobridge.modules()
        if show_private or not any(part.startswith("_") for part in e.name.split("."))
    ]
    width = max((len(e.name.split(".")[-1]) + 2 * e.name.count(".") for e in entries), default=0)
    lines = [f"gomod  ({len(entries)} modules; {gobridge.runtime_info()['library']})"]
    for entry in entries:
        depth = entry.name.count(".")
        leaf = entry.name.rsplit(".", 1)[1] + ("/" if entry.is_package else "")
        label = "  " * depth + leaf
        summary = entry.summary if len(entry.summary) <= 90 else entry.summary[:87] + "..."
        lines.append(f"{label:<{width + 2}}  {summary}".rstrip())
    return lines


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="include private (_name) modules")


@command("list", "print the registered Go modules as a tree (the default)", _configure_list)
def _list(args: argparse.Namespace) -> int:
    print("\n".join(_tree_lines(args.all)))
    return 0


def _configure_info(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


@command("info", "describe the loaded Go library and runtime", _configure_info)
def _info(args: argparse.Namespace) -> int:
    import gobridge

    info = gobridge.runtime_info()
    if args.json:
        print(json.dumps(info, indent=2, sort_keys=True, default=str))
        return 0
    for key in ("library", "go_version", "goos", "goarch", "abi_version", "modules"):
        print(f"{key}: {info.get(key)}")
    print("modules by Go package:")
    for name, package in sorted(info["module_origins"].items()):
        print(f"  {name}: {package}")
    return 0


def _load_plugins() -> None:
    """Import the modules that register the other sub-commands."""
    import importlib

    for name in ("gobridge._build", "gobridge._stubgen", "gobridge._gen"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def main(argv: Sequence[str] | None = None) -> int:
    _load_plugins()
    parser = argparse.ArgumentParser(
        prog="python -m gobridge", description="Go modules for Python, behind one Go runtime."
    )
    sub = parser.add_subparsers(dest="command", metavar="command")
    for name, (help_text, configure, _) in sorted(_COMMANDS.items()):
        configure(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    name = args.command or "list"
    if args.command is None:
        args = parser.parse_args(["list"])
    try:
        return _COMMANDS[name][2](args)
    except ImportError as exc:
        print(f"gobridge: {exc}", file=sys.stderr)
        return 1
