"""What the benchmark builds for itself: library variants, baselines, peers.

Everything is built at run time into a cache directory outside the source
tree (``$GOBRIDGE_BENCH_CACHE``, else ``$XDG_CACHE_HOME/gobridge-bench``,
else ``~/.cache/gobridge-bench``), under a key derived from every input, so
a second run reuses the builds and a change to any input rebuilds. Nothing
built here is committed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Callable

SRC = Path(__file__).resolve().parent / "src"
VARIANT_LIBRARY = "libgobridge-bench.so"
BENCH_MODULE = "gobridgebench"


class BuildError(Exception):
    """A build the benchmark needs failed; the message says which and why."""


def cache_root() -> Path:
    configured = os.environ.get("GOBRIDGE_BENCH_CACHE")
    if configured:
        return Path(configured).resolve()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base).resolve() / "gobridge-bench"


def sdk_dir() -> Path:
    """The gobridge Go module this gobridge was built from (or $GOBRIDGE_BENCH_SDK)."""
    configured = os.environ.get("GOBRIDGE_BENCH_SDK")
    sdk = Path(configured) if configured else Path(__file__).resolve().parent.parent / "_go"
    if not (sdk / "go.mod").is_file():
        raise BuildError(f"the gobridge Go SDK is missing: {sdk}/go.mod does not exist")
    return sdk.resolve()


def go_binary() -> str:
    go = os.environ.get("GOBRIDGE_GO") or shutil.which("go")
    if not go:
        raise BuildError("no Go toolchain: put go on PATH or set GOBRIDGE_GO")
    return go


def go_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", CGO_ENABLED="1", GOFLAGS="-mod=mod")
    env.pop("GOBRIDGE_LIBRARY", None)
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(
            f"`{' '.join(cmd)}` in {cwd} failed (exit {proc.returncode}):\n"
            f"{(proc.stdout + proc.stderr).strip()[-3000:]}"
        )
    return proc.stdout


def tree_digest(*roots: Path, extra: str = "") -> str:
    """A digest of every file under roots (Go and C sources, go.mod) and extra."""
    h = hashlib.sha256(extra.encode())
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for f in files:
            if f.is_file() and f.suffix in (".go", ".c", ".h", ".mod", ".s"):
                if f.name.endswith("_test.go") or "testdata" in f.parts:
                    continue
                h.update(str(f.relative_to(root) if f != root else f.name).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


_go_version: str | None = None


def go_version() -> str:
    global _go_version
    if _go_version is None:
        _go_version = run([go_binary(), "env", "GOVERSION"], Path.cwd(), go_env()).strip()
    return _go_version


def cached(kind: str, digest: str, build: Callable[[Path], None]) -> Path:
    """The directory holding the build of kind for digest, building it first if needed.

    A build goes to a temporary directory renamed into place when complete,
    so an interrupted build is never mistaken for a finished one.
    """
    final = cache_root() / f"{kind}-{digest}"
    if final.is_dir():
        return final
    tmp = final.with_name(final.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        build(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    return final


def write_go_module(root: Path, module: str, requires_gobridge: bool) -> None:
    root.mkdir(parents=True, exist_ok=True)
    lines = [f"module {module}", "", "go 1.23", ""]
    if requires_gobridge:
        lines += [
            "require github.com/gobridge/gobridge v0.0.0",
            "",
            f"replace github.com/gobridge/gobridge => {sdk_dir()}",
            "",
        ]
    (root / "go.mod").write_text("\n".join(lines))


def go_shared(root: Path, package: str, out: Path, env: dict[str, str] | None = None) -> None:
    run(
        [go_binary(), "build", "-buildmode=c-shared", "-trimpath", "-o", str(out), package],
        root,
        env or go_env(),
    )


# --- the benchmark library and its baselines ---------------------------------


def variant_library() -> Path:
    """The benchmark's library: the default one plus _bench and the bare exports."""
    digest = tree_digest(sdk_dir(), SRC, extra=go_version())

    def build(out: Path) -> None:
        work = out / "src"
        shutil.copytree(SRC, work)
        (work / "cext.c").unlink()
        (work / "cmd").mkdir()
        (work / "main.go").rename(work / "cmd" / "main.go")
        write_go_module(work, BENCH_MODULE, requires_gobridge=True)
        go_shared(work, "./cmd", out / VARIANT_LIBRARY)

    return cached("variant", digest, build) / VARIANT_LIBRARY


BARE_CDEF = """
typedef struct { char *data; size_t len; } bare_buf;
void bare_nop(void);
int64_t bare_add(int64_t a, int64_t b);
int64_t bare_ones_count64(uint64_t x);
uint64_t bare_rotate_left64(uint64_t x, int64_t k);
bare_buf bare_to_upper(char *s, size_t n);
void bare_sum256(void *p, size_t n, unsigned char *out);
int64_t bare_sum_ints(int64_t *xs, size_t n);
int64_t bare_dict_sum(char *keys, size_t *lens, int64_t *vals, size_t n);
int64_t bare_apply(int64_t (*f)(int64_t), int64_t x);
extern "Python" int64_t bare_py_callback(int64_t);
void free(void *p);
"""

BARE_SOURCE = """
#include <stdint.h>
#include <stdlib.h>
typedef struct { char *data; size_t len; } bare_buf;
extern void bare_nop(void);
extern int64_t bare_add(int64_t a, int64_t b);
extern int64_t bare_ones_count64(uint64_t x);
extern uint64_t bare_rotate_left64(uint64_t x, int64_t k);
extern bare_buf bare_to_upper(char *s, size_t n);
extern void bare_sum256(void *p, size_t n, unsigned char *out);
extern int64_t bare_sum_ints(int64_t *xs, size_t n);
extern int64_t bare_dict_sum(char *keys, size_t *lens, int64_t *vals, size_t n);
extern int64_t bare_apply(int64_t (*f)(int64_t), int64_t x);
"""


def _abi_tag() -> str:
    return f"{sys.implementation.cache_tag}-{sysconfig.get_platform()}"


def bare_cffi(library: Path) -> Path:
    """A cffi API-mode module, ``_gb_bench_bare``, linked against library's bare exports."""
    import cffi

    digest = hashlib.sha256(
        f"{library}{BARE_CDEF}{BARE_SOURCE}{cffi.__version__}{_abi_tag()}".encode()
    ).hexdigest()[:16]

    def build(out: Path) -> None:
        ffibuilder = cffi.FFI()
        ffibuilder.cdef(BARE_CDEF)
        ffibuilder.set_source(
            "_gb_bench_bare",
            BARE_SOURCE,
            extra_compile_args=["-O2"],
            extra_link_args=[str(library)],
        )
        ffibuilder.compile(tmpdir=str(out), verbose=False)

    return cached("bare-cffi", digest, build)


def c_extension(library: Path) -> Path:
    """The hand-written C extension ``_gb_bench_cext``, linked against library."""
    source = SRC / "cext.c"
    digest = hashlib.sha256(f"{library}{_abi_tag()}".encode() + source.read_bytes()).hexdigest()
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"

    def build(out: Path) -> None:
        cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
        cmd = [
            cc, "-O2", "-shared", "-fPIC", "-Wall", "-Werror=implicit-function-declaration",
            f"-I{sysconfig.get_paths()['include']}", str(source), str(library),
            "-o", str(out / f"_gb_bench_cext{suffix}"),
        ]  # fmt: skip
        run(cmd, out)

    return cached("cext", digest[:16], build)
