"""The ``python -m gobridge`` command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import gobridge
from gobridge import _cli

ENTRIES = gobridge.modules()
PUBLIC = [e for e in ENTRIES if not any(p.startswith("_") for p in e.name.split("."))]
PRIVATE = [e for e in ENTRIES if e not in PUBLIC]


def _tree_rows(output):
    """The module rows of a tree: (indent, label, summary)."""
    rows = []
    for line in output.splitlines()[1:]:
        stripped = line.lstrip(" ")
        label, _, summary = stripped.partition(" ")
        rows.append((len(line) - len(stripped), label, summary.strip()))
    return rows


def _check_tree(output, entries):
    lines = output.splitlines()
    assert lines[0].startswith(f"gomod  ({len(entries)} modules; ")
    assert gobridge.runtime_info()["library"] in lines[0]
    rows = _tree_rows(output)
    assert len(rows) == len(entries)
    for (indent, label, summary), entry in zip(rows, entries):
        leaf = entry.name.rsplit(".", 1)[1]
        assert indent == 2 * entry.name.count("."), entry.name
        assert label == leaf + ("/" if entry.is_package else ""), entry.name
        if len(entry.summary) <= 90:
            assert summary == entry.summary
        else:
            assert summary.endswith("...") and entry.summary.startswith(summary[:-3])


def test_python_dash_m_gobridge(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "gobridge"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    _check_tree(proc.stdout, PUBLIC)
    assert "strings" in proc.stdout
    assert "crypto/" in proc.stdout
    assert "_testing" not in proc.stdout


def test_list_is_the_default(capsys):
    assert _cli.main([]) == 0
    default = capsys.readouterr().out
    assert _cli.main(["list"]) == 0
    assert capsys.readouterr().out == default
    _check_tree(default, PUBLIC)


def test_list_all_shows_private_modules(capsys):
    assert _cli.main(["list", "--all"]) == 0
    out = capsys.readouterr().out
    _check_tree(out, ENTRIES)
    for entry in PRIVATE:
        assert entry.name.rsplit(".", 1)[1] in out
    assert {"gomod._testing", "gomod._broken_init", "gomod._panicking_init"} <= {
        e.name for e in PRIVATE
    }


def test_tree_marks_packages_and_shows_one_line_docs(capsys):
    _cli.main(["list"])
    rows = {label: summary for _, label, summary in _tree_rows(capsys.readouterr().out)}
    assert "crypto/" in rows and "encoding/" in rows and "math/" in rows
    assert "sha256" in rows and "strings" in rows and "regexp" in rows
    assert "sha256/" not in rows and "strings/" not in rows
    assert rows["strings"].startswith("Package strings implements")
    assert rows["regexp"] == "Package regexp implements regular expression search."
    assert all(rows.values())


def test_info(capsys):
    assert _cli.main(["info"]) == 0
    out = capsys.readouterr().out
    info = gobridge.runtime_info()
    assert f"library: {info['library']}" in out
    assert f"go_version: {info['go_version']}" in out
    assert "goos: " in out and "goarch: " in out
    assert f"modules: {len(ENTRIES)}" in out
    for entry in ENTRIES:
        if entry.go_package:
            assert f"  {entry.name}: {entry.go_package}" in out


def test_info_json(capsys):
    assert _cli.main(["info", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["library"] == gobridge.runtime_info()["library"]
    assert data["library"].endswith(".so")
    assert data["go_version"].startswith("go")
    assert data["goos"] == "linux"
    assert isinstance(data["abi_version"], int)
    assert data["modules"] == len(ENTRIES)
    assert data["module_origins"]["gomod.strings"].endswith("/modules/strings")


@pytest.mark.parametrize("argv", [["bogus"], ["list", "--nope"], ["info", "extra"]])
def test_bad_usage_exits_with_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as info:
        _cli.main(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_help(capsys):
    with pytest.raises(SystemExit) as info:
        _cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "list" in out and "info" in out
