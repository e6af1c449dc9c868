"""The curated mutations of ``make mutate``: one-line changes that each
disable a guard, and the tests that must notice.

Each entry names a file, one line of it exactly as it stands (leading
white space aside; it must occur exactly once), the line that replaces it,
what must be rebuilt, and the tests to run: a narrow, fast selection. A
mutation whose line no longer exists is an error, so that this list
follows the code: when a guard moves, move its entry.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a mutation needs rebuilt before its tests run.
GO_TESTS_ONLY = "go"  # go test compiles the sources itself
LIBRARY = "library"  # libgobridge.so, for Python tests
NATIVE = "native"  # the cffi extension gobridge._native
PYTHON = "python"  # nothing: Python sources are imported as they are


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    original: str
    mutated: str
    build: str
    # ("go", package, -run regexp) or ("pytest", arguments...).
    tests: tuple[tuple[str, ...], ...]


CONVERT = "go/internal/convert/from_python.go"
CONVERT_TABLE = ("go", "./internal/convert", "TestConversionTable")
CONVERSION_TABLE_PY = "tests/test_conversion_table.py"

MUTATIONS = [
    # --- range checks ------------------------------------------------------
    Mutation(
        "convert: narrow signed ints unchecked",
        CONVERT,
        "if n.Fit != pymarshal.FitsInt64 || reflect.Zero(t).OverflowInt(n.Int64) {",
        "if n.Fit != pymarshal.FitsInt64 {",
        GO_TESTS_ONLY,
        (CONVERT_TABLE,),
    ),
    Mutation(
        "convert: negative ints accepted for unsigned kinds",
        CONVERT,
        "if n.Fit == pymarshal.FitsBig || n.Fit == pymarshal.FitsInt64 && n.Int64 < 0 || "
        "reflect.Zero(t).OverflowUint(n.Uint64) {",
        "if n.Fit == pymarshal.FitsBig || reflect.Zero(t).OverflowUint(n.Uint64) {",
        GO_TESTS_ONLY,
        (CONVERT_TABLE,),
    ),
    Mutation(
        "convert: narrow unsigned ints unchecked",
        CONVERT,
        "if n.Fit == pymarshal.FitsBig || n.Fit == pymarshal.FitsInt64 && n.Int64 < 0 || "
        "reflect.Zero(t).OverflowUint(n.Uint64) {",
        "if n.Fit == pymarshal.FitsBig || n.Fit == pymarshal.FitsInt64 && n.Int64 < 0 {",
        GO_TESTS_ONLY,
        (CONVERT_TABLE,),
    ),
    Mutation(
        "convert: float32 overflow unchecked",
        CONVERT,
        "if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && "
        "math.IsInf(float64(float32(f)), 0) {",
        "if false {",
        GO_TESTS_ONLY,
        (CONVERT_TABLE,),
    ),
    Mutation(
        "convert: int too large for a float unchecked",
        CONVERT,
        "if math.IsInf(f, 0) {",
        "if false {",
        GO_TESTS_ONLY,
        (CONVERT_TABLE,),
    ),
    Mutation(
        "convert (from Python, through .aio and containers): narrow signed ints unchecked",
        CONVERT,
        "if n.Fit != pymarshal.FitsInt64 || reflect.Zero(t).OverflowInt(n.Int64) {",
        "if n.Fit != pymarshal.FitsInt64 {",
        LIBRARY,
        (("pytest", CONVERSION_TABLE_PY, "-k", "int8 and (aio or list or dict or general)"),),
    ),
    Mutation(
        "C layer: narrow signed ints unchecked",
        "bridge/gb_function.c",
        "if ((kind == 'b' && (v < INT8_MIN || v > INT8_MAX))",
        "if ((0 && kind == 'b' && (v < INT8_MIN || v > INT8_MAX))",
        NATIVE,
        (("pytest", CONVERSION_TABLE_PY, "-k", "int8 and (general or list or dict)"),),
    ),
    Mutation(
        "C layer: narrow unsigned ints unchecked",
        "bridge/gb_function.c",
        "if ((kind == 'B' && v > UINT8_MAX) || (kind == 'H' && v > UINT16_MAX)",
        "if ((0 && kind == 'B' && v > UINT8_MAX) || (kind == 'H' && v > UINT16_MAX)",
        NATIVE,
        (("pytest", CONVERSION_TABLE_PY, "-k", "uint8 and (general or list or dict)"),),
    ),
    Mutation(
        "C layer: an int64 list's overflow unchecked",
        "bridge/gb_function.c",
        "if (overflow != 0 || (v == -1 && PyErr_Occurred())) {",
        "if (v == -1 && PyErr_Occurred()) {",
        NATIVE,
        (("pytest", CONVERSION_TABLE_PY, "-k", "int64 and list"),),
    ),
    Mutation(
        "C layer: float32 overflow unchecked",
        "bridge/gb_function.c",
        "if (kind == 'f' && isfinite(d) && isinf((float)d)) {",
        "if (0) {",
        NATIVE,
        (("pytest", CONVERSION_TABLE_PY, "-k", "float32 and (general or list or dict)"),),
    ),
    Mutation(
        "scalar callbacks: narrow signed int results unchecked",
        "go/internal/bridge/fast.go",
        "if v.OverflowInt(n) {",
        "if false {",
        LIBRARY,
        (("pytest", CONVERSION_TABLE_PY, "-k", "int8 and callable_result"),),
    ),
    Mutation(
        "scalar callbacks: narrow unsigned int results unchecked",
        "go/internal/bridge/fast.go",
        "if v.OverflowUint(raw) {",
        "if false {",
        LIBRARY,
        (("pytest", CONVERSION_TABLE_PY, "-k", "uint8 and callable_result"),),
    ),
    # --- UTF-8 and surrogates ----------------------------------------------
    Mutation(
        "marshal encoder: invalid UTF-8 written as a str",
        "go/internal/pymarshal/encoder.go",
        "if !valid(s) {",
        "if false {",
        GO_TESTS_ONLY,
        (("go", "./internal/convert", "TestToPythonStrings"),),
    ),
    Mutation(
        "marshal decoder: lone surrogates and invalid UTF-8 read into Go strings",
        "go/internal/pymarshal/decoder.go",
        "if !latin1 && !utf8.Valid(b) {",
        "if false {",
        GO_TESTS_ONLY,
        (CONVERT_TABLE,),
    ),
    # --- the finder --------------------------------------------------------
    Mutation(
        "finder: names outside gomod asked of the library",
        "python/gobridge/_finder.py",
        "if not fullname.startswith(_PREFIX):",
        "if False:",
        PYTHON,
        (("pytest", "tests/test_finder.py", "-k", "without_asking_go"),),
    ),
    # --- module-name conflicts and failed links ------------------------------
    Mutation(
        "conflict: a name two packages register still looked up",
        "go/registry/registry.go",
        "if !ok || len(e.Conflict) > 0 {",
        "if !ok {",
        GO_TESTS_ONLY,
        (("go", "./registry", "TestConflicts"),),
    ),
    Mutation(
        "conflict: a new contribution's taken module names not checked",
        "python/gobridge/_linking.py",
        "wanted = set(modules)",
        "wanted: set[str] = set()",
        PYTHON,
        (("pytest", "tests/test_build.py", "-k", "module_name_conflicts"),),
    ),
    Mutation(
        "conflict: a failed link tried again by every import",
        "python/gobridge/_linking.py",
        "if _failed is not None and _failed[0] == fingerprint:",
        "if False:",
        PYTHON,
        (("pytest", "tests/test_build.py", "-k", "failed_link"),),
    ),
    # --- panic recovery, on each path --------------------------------------
    Mutation(
        "panic recovery: direct calls",
        "go/internal/bridge/calls.go",
        "status = writeError(enc, f.recovered(r))",
        "panic(r)",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestDirect.*Panics"),),
    ),
    Mutation(
        "panic recovery: general calls (reflection, started and awaited calls)",
        "go/internal/bridge/calls.go",
        "results, err = nil, f.recovered(r)",
        "panic(r)",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestGeneralCallPanics"),),
    ),
    Mutation(
        "panic recovery: frame calls of the C layer",
        "go/internal/bridge/frame.go",
        "err = f.recovered(r)",
        "panic(r)",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestFrameErrors|TestFastCallPanics"),),
    ),
    Mutation(
        "panic recovery: scalar calls of the C layer",
        "go/internal/bridge/frame.go",
        "r, err = 0, f.recovered(recover())",
        "panic(recover())",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestFrameErrors|TestFastCallPanics"),),
    ),
    Mutation(
        "panic recovery: iter.Seq iterators",
        "go/internal/bridge/iterators.go",
        'items <- item{err: recovered(r, "calling GoIterator.__next__")}',
        "panic(r)",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestSeqIteratorPanicCarriesTheSeqStack"),),
    ),
    Mutation(
        "panic recovery: module initialisation",
        "go/py/module.go",
        'err = NewPanic(r, fmt.Sprintf("initialising module %s", m.name))',
        "panic(r)",
        LIBRARY,
        (("pytest", "tests/test_errors.py", "-k", "module_init_panicking"),),
    ),
    # --- exception classes of Go errors --------------------------------------
    Mutation(
        "error classes: a class takes an error from its Python mapping",
        "go/internal/bridge/errclasses.go",
        'if c.module == module || c.base != typ && typ != "gobridge.GoError" {',
        "if c.module == module {",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestModuleError"),),
    ),
    Mutation(
        "error classes: a wrapped error is not matched",
        "go/internal/bridge/errclasses.go",
        "e = u.Unwrap()",
        "return nil",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestModuleError"),),
    ),
    # --- panics that read like Python errors ------------------------------
    Mutation(
        "panics: the Go stack keeps gobridge's recovery frames",
        "go/pyerr/errors.go",
        "return &Panic{Value: value, Stack: TrimStack(string(debug.Stack())), Where: where}",
        "return &Panic{Value: value, Stack: string(debug.Stack()), Where: where}",
        GO_TESTS_ONLY,
        (("go", "./pyerr", "TestNewPanicStackStartsAtThePanickingFrame"),),
    ),
    Mutation(
        "panics: the stack trim keeps gobridge's call machinery below the code",
        "go/pyerr/stack.go",
        "frames = frames[:end]",
        "_ = end",
        GO_TESTS_ONLY,
        (("go", "./pyerr", "TestTrimStackGolden"),),
    ),
    Mutation(
        "panics: the message is Go's description, not the panic value's",
        "go/internal/bridge/calls.go",
        "msg = pnc.Message()",
        "_ = msg",
        LIBRARY,
        (("pytest", "tests/test_errors.py", "-k", "trimmed_go_stack"),),
    ),
    Mutation(
        "panics: PanicAs rules ignored",
        "go/internal/bridge/callbacks.go",
        "if err := f.desc.PanicError(r); err != nil {",
        "if err := f.desc.PanicError(r); false {",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestPanicAsOnEveryPath"),),
    ),
    Mutation(
        "panics: strings.repeat's negative count is a GoPanic",
        "go/modules/strings/zz_gobridge.go",
        '"overflows."), py.PanicAs("ValueError", "strings: negative Repeat count"), '
        'py.PanicAs("OverflowError", "strings: Repeat output length overflow"))',
        '"overflows."), py.PanicAs("OverflowError", "strings: Repeat output length overflow"))',
        LIBRARY,
        (("pytest", "tests/test_errors.py", "-k", "bad_argument_values"),),
    ),
    Mutation(
        "bytes arguments keep spare capacity",
        "go/internal/convert/from_python.go",
        "c := make([]byte, len(b))",
        "c := make([]byte, len(b), len(b)+8)",
        LIBRARY,
        (("pytest", "tests/test_errors.py", "-k", "bad_argument_values"),),
    ),
    # --- one runtime per process, and fork ---------------------------------
    Mutation(
        "shim: a second, different library loaded",
        "bridge/gb_loader.c",
        "if (gb_mapped && strcmp(path, gb_path) != 0) {",
        "if (0) {",
        NATIVE,
        (("pytest", "tests/reliability/test_loading.py", "-k", "second_different_library"),),
    ),
    Mutation(
        "_ffi: a foreign Go runtime in the process not refused",
        "python/gobridge/_ffi.py",
        "if others:",
        "if False:",
        PYTHON,
        (("pytest", "tests/reliability/test_loading.py", "-k", "foreign_go_runtime"),),
    ),
    Mutation(
        "shim: fork after load unnoticed",
        "bridge/gb_loader.c",
        "gb_forked_flag = 1;",
        "",
        NATIVE,
        (("pytest", "tests/reliability/test_processes.py", "-k", "forked_after_load"),),
    ),
    # --- the import engine -------------------------------------------------
    Mutation(
        "IMPORT_FROM: no sys.modules fallback",
        "go/importlib/bootstrap.go",
        "if c.Found {",
        "if false && c.Found {",
        GO_TESTS_ONLY,
        (("go", "./importlib/...", "TestVectors|TestHostOperations"),),
    ),
    Mutation(
        "module locks: deadlock detector off",
        "go/importlib/lock.go",
        "if ls.hasDeadlock(l, t) {",
        "if false {",
        GO_TESTS_ONLY,
        (("go", "./importlib/...", "Deadlock|Circular"),),
    ),
    Mutation(
        "import cache in C: a module being initialised taken as imported",
        "bridge/gb_import.c",
        "return initialized(module) == 1 ? module : NULL;",
        "return module;",
        NATIVE,
        (("pytest", "tests/test_importer.py", "-k", "cached or initialised"),),
    ),
    Mutation(
        "import cache in C: fromlist answers not checked again",
        "bridge/gb_import.c",
        "!= (PyTuple_GetItem(answers, i) == Py_True)) {",
        "!= (PyTuple_GetItem(answers, i) == Py_True) && 0) {",
        NATIVE,
        (("pytest", "tests/test_importer.py", "-k", "cached or initialised"),),
    ),
    Mutation(
        "import cache in C: a relative import that warns taken from the cache",
        "bridge/gb_import.c",
        "if (!same || !PyUnicode_CheckExact(package)) {",
        "if (!PyUnicode_CheckExact(package)) {",
        NATIVE,
        (("pytest", "tests/test_importer.py", "-k", "cached or relative"),),
    ),
    # --- borrowed buffers --------------------------------------------------
    Mutation(
        "C layer: a borrowed buffer kept after the call",
        "bridge/gb_function.c",
        "PyBuffer_Release(&a->buffers[i]);",
        "(void)i;",
        NATIVE,
        (("pytest", "tests/test_borrowed_buffers.py", "tests/test_call_layer.py", "-k", "buffer"),),
    ),
    Mutation(
        "borrowed buffers: a view kept after the call",
        "python/gobridge/_values.py",
        "self.spans.append(view)",
        'self.spans.append(view); globals().setdefault("_kept_views", []).append(view)',
        PYTHON,
        (("pytest", "tests/test_borrowed_buffers.py"),),
    ),
    # --- positions in code points -----------------------------------------
    Mutation(
        "positions: no conversion on any path",
        "go/internal/bridge/functions.go",
        "if f.positions = newPositionPlan(f); f.positions != nil {",
        "if f.positions = nil; f.positions != nil {",
        LIBRARY,
        (
            ("go", "./internal/bridge", "TestPositionsOnEveryPath"),
            ("pytest", "tests/test_positions.py", "-k", "issue_example"),
        ),
    ),
    Mutation(
        "positions: general path results left in bytes",
        "go/internal/bridge/positions.go",
        "results[i] = v",
        "_ = v",
        LIBRARY,
        (("pytest", "tests/test_positions.py", "-k", "index_cases or nested_position_results"),),
    ),
    Mutation(
        "positions: frame path parameters left in code points",
        "go/internal/bridge/positions.go",
        "if err := p.frameParam(spec, &c, i, params[i], &args[i]); err != nil {",
        "if err := error(nil); err != nil {",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestPositionsOnEveryPath"),),
    ),
    Mutation(
        "positions: lead bytes counted as continuation bytes in a word",
        "go/internal/bridge/positions.go",
        "cont += bits.OnesCount64(w &^ (w << 1) & highBits)",
        "cont += bits.OnesCount64(w & highBits)",
        GO_TESTS_ONLY,
        (("go", "./internal/bridge", "TestPositionConversion"),),
    ),
]
