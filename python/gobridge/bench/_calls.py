"""Call overhead by signature, method calls and callbacks, in this process.

Every variant calls Go functions of the one benchmark library this process
has loaded: gobridge through gomod, and the baselines through the library's
bare exports (src/main.go), by cffi, a C extension and ctypes.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from . import _builds
from ._harness import (
    Figure,
    Row,
    Settings,
    format_seconds,
    gomod,
    interleave,
    make_timer,
    median,
    median_ratio,
    spread,
)

MASK64 = (1 << 64) - 1

# The arguments of each signature: small, so that the call is what is timed.
STR_ARG = "hello, wörld 0123"
BYTES_ARG = bytes(range(64))
LIST_ARG = list(range(16))
DICT_ARG = {f"key{i}": i for i in range(8)}

SIGNATURES: list[tuple[str, str, tuple[Any, ...], bool]] = [
    # (name, what it is, arguments, scalar)
    ("nop", "_testing.no_result()", (), True),
    ("add", "_testing.add(a, b) (2 ints)", (40, 2), True),
    ("ones_count64", "bits.OnesCount64(x), GIL released", (0xF0F0F0F0F0F0F0F0,), True),
    ("rotate_left64", "bits.RotateLeft64(x, k), GIL released", (0x0123456789ABCDEF, 12), True),
    ("str", "strings.to_upper(s)", (STR_ARG,), False),
    ("bytes", "crypto.sha256.sum256(b) (64 B)", (BYTES_ARG,), False),
    ("list", "_testing.sum_ints(xs) (16 ints)", (LIST_ARG,), False),
    ("dict", "_bench.dict_sum(m) (8 items)", (DICT_ARG,), False),
]

# Every signature against the hand-written C extension: the floor.
CEXT_TARGET = 1.3


def load_baselines(library: Path) -> tuple[Any, Any, ModuleType]:
    """Import the bare cffi module and the C extension built against library."""
    for directory in (_builds.bare_cffi(library), _builds.c_extension(library)):
        if str(directory) not in sys.path:
            sys.path.insert(0, str(directory))
    bare = importlib.import_module("_gb_bench_bare")
    cext = importlib.import_module("_gb_bench_cext")
    return bare.ffi, bare.lib, cext


def gobridge_functions() -> dict[str, Callable[..., Any]]:
    bench, testing, sha256 = gomod("_bench"), gomod("_testing"), gomod("crypto.sha256")
    bits, strings = gomod("math.bits"), gomod("strings")

    return {
        "nop": testing.no_result,
        "add": testing.add,
        "ones_count64": bench.ones_count64,
        "rotate_left64": bench.rotate_left64,
        "ones_count64 (short)": bits.ones_count64,
        "str": strings.to_upper,
        "bytes": sha256.sum256,
        "list": testing.sum_ints,
        "dict": bench.dict_sum,
    }


def bare_cffi_functions(ffi: Any, lib: Any) -> dict[str, Callable[..., Any]]:
    """What a careful hand-written cffi binding of the same functions looks like."""
    unpack, free, new, from_buffer = ffi.unpack, lib.free, ffi.new, ffi.from_buffer
    bare_to_upper, bare_sum256 = lib.bare_to_upper, lib.bare_sum256
    bare_sum_ints, bare_dict_sum = lib.bare_sum_ints, lib.bare_dict_sum

    def to_upper(s: str) -> str:
        b = s.encode()
        r = bare_to_upper(b, len(b))
        try:
            return str(unpack(r.data, r.len).decode())
        finally:
            free(r.data)

    def sum256(b: bytes) -> bytes:
        out = new("unsigned char[32]")
        bare_sum256(from_buffer(b), len(b), out)
        return bytes(unpack(out, 32))

    def sum_ints(xs: list[int]) -> int:
        return int(bare_sum_ints(new("int64_t[]", xs), len(xs)))

    def dict_sum(m: dict[str, int]) -> int:
        keys = [k.encode() for k in m]
        return int(
            bare_dict_sum(
                b"".join(keys),
                new("size_t[]", [len(k) for k in keys]),
                new("int64_t[]", list(m.values())),
                len(keys),
            )
        )

    return {
        "nop": lib.bare_nop,
        "add": lib.bare_add,
        "ones_count64": lib.bare_ones_count64,
        "rotate_left64": lib.bare_rotate_left64,
        "str": to_upper,
        "bytes": sum256,
        "list": sum_ints,
        "dict": dict_sum,
    }


class _Buf(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def ctypes_functions(library: Path) -> dict[str, Callable[..., Any]]:
    # dlopen of the path gobridge already loaded returns the same handle.
    dll = ctypes.CDLL(str(library))
    libc_free = ctypes.CDLL(None).free
    libc_free.argtypes = [ctypes.c_void_p]
    libc_free.restype = None
    i64, u64, size = ctypes.c_int64, ctypes.c_uint64, ctypes.c_size_t

    def bind(name: str, restype: Any, *argtypes: Any) -> Any:
        fn = getattr(dll, name)
        fn.restype, fn.argtypes = restype, list(argtypes)
        return fn

    nop = bind("bare_nop", None)
    add = bind("bare_add", i64, i64, i64)
    ones = bind("bare_ones_count64", i64, u64)
    rotate = bind("bare_rotate_left64", u64, u64, i64)
    upper = bind("bare_to_upper", _Buf, ctypes.c_char_p, size)
    sha = bind("bare_sum256", None, ctypes.c_void_p, size, ctypes.c_void_p)
    sums = bind("bare_sum_ints", i64, ctypes.POINTER(i64), size)
    dsum = bind(
        "bare_dict_sum", i64, ctypes.c_char_p, ctypes.POINTER(size), ctypes.POINTER(i64), size
    )
    string_at = ctypes.string_at

    def to_upper(s: str) -> str:
        b = s.encode()
        r = upper(b, len(b))
        try:
            return string_at(r.data, r.len).decode()
        finally:
            libc_free(r.data)

    def sum256(b: bytes) -> bytes:
        out = ctypes.create_string_buffer(32)
        sha(b, len(b), out)
        return out.raw

    def sum_ints(xs: list[int]) -> int:
        return int(sums((i64 * len(xs))(*xs), len(xs)))

    def dict_sum(m: dict[str, int]) -> int:
        keys = [k.encode() for k in m]
        n = len(keys)
        return int(dsum(b"".join(keys), (size * n)(*map(len, keys)), (i64 * n)(*m.values()), n))

    return {
        "nop": nop,
        "add": add,
        "ones_count64": ones,
        "rotate_left64": rotate,
        "str": to_upper,
        "bytes": sum256,
        "list": sum_ints,
        "dict": dict_sum,
    }


def python_functions() -> dict[str, Callable[..., Any]]:
    def nop() -> None:
        pass

    def add(a: int, b: int) -> int:
        return a + b

    def ones_count64(x: int) -> int:
        return bin(x).count("1")

    def rotate_left64(x: int, k: int) -> int:
        k &= 63
        return ((x << k) | (x >> (64 - k))) & MASK64

    def to_upper(s: str) -> str:
        return s.upper()

    def sum256(b: bytes) -> bytes:
        return hashlib.sha256(b).digest()

    def sum_ints(xs: list[int]) -> int:
        return sum(xs)

    def dict_sum(m: dict[str, int]) -> int:
        return sum(m.values())

    return {
        "nop": nop,
        "add": add,
        "ones_count64": ones_count64,
        "rotate_left64": rotate_left64,
        "str": to_upper,
        "bytes": sum256,
        "list": sum_ints,
        "dict": dict_sum,
    }


VARIANTS = ("gobridge", "bare cffi", "C extension", "ctypes", "pure Python")


def overhead(settings: Settings, library: Path) -> Figure:
    fig = Figure(
        "calls",
        "Call overhead by signature",
        "python -m gobridge.bench --only calls",
    )
    ffi, lib, cext = load_baselines(library)
    impls = {
        "gobridge": gobridge_functions(),
        "bare cffi": bare_cffi_functions(ffi, lib),
        "C extension": {name: getattr(cext, _cext_name(name)) for name, *_ in SIGNATURES},
        "ctypes": ctypes_functions(library),
        "pure Python": python_functions(),
    }
    per_call: dict[str, dict[str, float]] = {}
    for name, what, args, _scalar in SIGNATURES:
        results = {variant: impls[variant][name](*args) for variant in VARIANTS}
        if len({repr(r) for r in results.values()}) != 1:
            raise AssertionError(f"{name}: the variants disagree: {results}")
        samples = interleave(
            {variant: make_timer(impls[variant][name], *args) for variant in VARIANTS}, settings
        )
        per_call[name] = {v: median(samples[v]) for v in VARIANTS}
        times = ", ".join(f"{v} {format_seconds(per_call[name][v])}" for v in VARIANTS)
        lo, hi = spread(samples, "gobridge", "C extension")
        fig.rows.append(
            Row(
                f"{name}: {what} vs C extension",
                median_ratio(samples, "gobridge", "C extension"),
                CEXT_TARGET,
                detail=f"IQR {lo:.2f}-{hi:.2f}; {times}",
                values={v: per_call[name][v] for v in VARIANTS},
            )
        )
        for other in ("bare cffi", "ctypes", "pure Python"):
            fig.rows.append(Row(f"{name}: vs {other}", median_ratio(samples, "gobridge", other)))
    short = impls["gobridge"]["ones_count64 (short)"]
    arg = SIGNATURES[2][2]
    samples = interleave(
        {
            "short": make_timer(short, *arg),
            "C extension": make_timer(impls["C extension"]["ones_count64"], *arg),
        },
        settings,
    )
    fig.rows.append(
        Row(
            "ones_count64: math.bits.ones_count64(x), declared short (GIL held) vs C extension",
            median_ratio(samples, "short", "C extension"),
        )
    )
    fig.data["ns_per_call"] = {
        name: {v: t * 1e9 for v, t in times.items()} for name, times in per_call.items()
    }
    fig.notes.append(
        "Ratios are gobridge's time per call over the baseline's; every variant calls the "
        "same Go code in the same loaded library and releases the GIL, as gobridge does "
        "for every function not declared short; the last row is math.bits' short function."
    )
    return fig


def _cext_name(signature: str) -> str:
    return {"str": "to_upper", "bytes": "sum256", "list": "sum_ints", "dict": "dict_sum"}.get(
        signature, signature
    )


def objects(settings: Settings, library: Path) -> Figure:
    fig = Figure(
        "objects",
        "Go object method calls and Python callbacks",
        "python -m gobridge.bench --only objects",
    )
    bench = gomod("_bench")
    box = bench.new_box(3)
    ffi, lib, cext = load_baselines(library)
    cext_box = cext.Box(3)
    for label, method, function, cext_method, arg in (
        ("scale(x): int -> int", box.scale, bench.scale, cext_box.scale, 14),
        ("label(s): str -> str", box.label, bench.label, cext_box.label, "abc"),
    ):
        if not method(arg) == function(arg) == cext_method(arg):
            raise AssertionError(f"{label}: method, function and C extension disagree")
        samples = interleave(
            {
                "method": make_timer(method, arg),
                "function": make_timer(function, arg),
                "C extension": make_timer(cext_method, arg),
            },
            settings,
        )
        fig.rows.append(
            Row(
                f"method {label} vs the C extension's method",
                median_ratio(samples, "method", "C extension"),
                CEXT_TARGET,
                detail=f"method {format_seconds(median(samples['method']))}, C extension "
                f"{format_seconds(median(samples['C extension']))} (a type holding a cgo.Handle)",
            )
        )
        fig.rows.append(
            Row(
                f"method {label} vs module-level function",
                median_ratio(samples, "method", "function"),
                1.5,
                detail=f"method {format_seconds(median(samples['method']))}, "
                f"function {format_seconds(median(samples['function']))}",
            )
        )

    try:
        callback_module = gomod("_bench_callback")
    except ImportError as exc:
        fig.notes.append(
            f"callback round trip: skipped, Go functions cannot take callables yet ({exc})"
        )
        return fig

    def increment(x: int) -> int:
        return x + 1

    ffi.def_extern(name="bare_py_callback")(increment)
    apply, bare_apply, bare_cb = callback_module.apply, lib.bare_apply, lib.bare_py_callback
    if apply(increment, 41) != 42 or bare_apply(bare_cb, 41) != 42:
        raise AssertionError("callback round trip: wrong result")
    samples = interleave(
        {
            "gobridge": make_timer(apply, increment, 41),
            "cffi extern Python": make_timer(bare_apply, bare_cb, 41),
        },
        settings,
    )
    fig.rows.append(
        Row(
            'callback round trip Python -> Go -> Python vs cffi extern "Python"',
            median_ratio(samples, "gobridge", "cffi extern Python"),
            2.0,
            detail=f"gobridge {format_seconds(median(samples['gobridge']))}, cffi "
            f"{format_seconds(median(samples['cffi extern Python']))}",
        )
    )
    return fig
