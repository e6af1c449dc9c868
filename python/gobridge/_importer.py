"""``gobridge.__import__`` and ``gobridge.import_from``: the import statement
run by the Go import engine over CPython's own import state.

The engine (``go/importlib``, hosted by ``go/internal/pyhost``) decides what
an import does; this module is its *host*: every question the engine asks
(look names up in ``sys.modules``, find a spec, load a module, take a module
lock) is one call of ``_Call.dispatch`` on the Python side. Python objects
never cross: each Go call gets a ``_Call`` whose table holds the objects of
that call, and Go sees their indexes (the wire protocol is documented in
``go/internal/pyhost/pyhost.go``).

A call into Go and each host operation cost microseconds, so the host keeps
an inline cache of the engine's *decisions*. A call whose host operations
were only reads of modules that are present and initialised (and
``hasattr`` checks of a fromlist) is a pure function of what those reads
returned, because the engine treats Python objects as opaque. The cache
stores the reads by key (name, fromlist, level, package) and, on the next
call with that key, repeats them in Python: the same answers mean the same
decision, so the result is read from ``sys.modules`` without entering Go.
Any other answer falls back to the engine. The reads are those CPython's C
fast path makes itself (``sys.modules`` lookup, ``__spec__._initializing``,
``__path__``, ``hasattr`` for each fromlist name), so a cache hit observes
exactly what ``import`` would. docs/importlib.md has the details.
"""

from __future__ import annotations

import _frozen_importlib
import _warnings
import contextlib
import sys
from _thread import allocate_lock, get_ident
from types import ModuleType
from typing import Any, Callable

# The engine's machinery, imported with this module: importing it at the
# first call would run through the caller's import state, which may be a
# test's (a mock sys.meta_path, a patched builtins.__import__), or this
# module's own __import__. A sub-interpreter cannot load Go (nor import
# _ffi): there, imports fall back to importlib.
from ._subinterpreters import in_subinterpreter

if in_subinterpreter():
    _ffi: Any = None
    _finder: Any = None
else:
    # _callbacks and _objects too: the engine calls back through a lent
    # callable, and _functions imports those modules only when a call first
    # needs them, which must not happen under a caller's import state either.
    from . import _callbacks, _ffi, _finder, _objects  # noqa: F401

# True where Go cannot run: in a sub-interpreter, or when the library cannot
# be loaded (a gomod import says why).
_no_go = _finder is None

# importlib._bootstrap, as the C import calls it (typeshed lists few of its names).
_bootstrap: Any = _frozen_importlib

__all__ = ["__import__", "import_from"]

# Wire protocol (go/internal/pyhost/pyhost.go).
_PROTOCOL = 2
_OP_GET_MODULES = 1
_OP_FIND_SPEC = 2
_OP_LOAD_UNLOCKED = 3
_OP_GET_ATTR = 4
_OP_SET_ATTR = 5
_OP_HAS_ATTRS = 6
_OP_MODULE_INFO = 7
_OP_ITEMS = 8
_OP_WARN = 9
_OP_TRUTH = 10
_OP_ACQUIRE = 11
_OP_RELEASE = 12
_OP_LOCK_UNLOCK = 13
_FLAG_NONE = 1
_FLAG_INITIALIZING = 2
_FLAG_HAS_PATH = 4
_RESULT_OK = 0
_RESULT_RAISE = 1
_GLOBALS_MISSING = 0
_GLOBALS_DICT = 1
_GLOBALS_OTHER = 2
_GLOBALS_KEYS = ("__package__", "__spec__", "__name__", "__path__")

# Identity tests against these are exact for CPython's singletons: 0 and the
# empty tuple are shared objects, and anything else takes the slow path.
_ZERO = 0
_EMPTY: tuple[()] = ()
_MISSING = object()

# From 3.11 on, _find_and_load_unlocked keeps the submodules being loaded in
# the parent spec's _uninitialized_submodules, for the AttributeError
# message of a partially initialised module; 3.9 and 3.10 have no such list.
_TRACKS_SUBMODULES = sys.version_info >= (3, 11)


class _NotGiven:
    """The default of ``globals``: C's NULL, which differs from None."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<not given>"


_NOT_GIVEN: Any = _NotGiven()


def _initializing(module: Any) -> bool:
    """``_PyModuleSpec_IsInitializing(module.__spec__)``: errors read as False."""
    try:
        return bool(module.__spec__._initializing)
    except Exception:  # noqa: BLE001 - C clears any error here
        return False


def _has_path(module: Any) -> bool:
    """``hasattr(module, "__path__")``, without building an AttributeError for
    the common case of a plain module that is not a package."""
    if type(module) is ModuleType:
        namespace = module.__dict__
        if "__path__" in namespace:
            return True
        if "__getattr__" not in namespace:
            return False
    return hasattr(module, "__path__")


# --- the decision cache --------------------------------------------------------
#
# _plain: name -> _SELF or the top-level name, for ``import a`` / ``import
# a.b.c`` (level 0, no fromlist): the engine's decision is "return
# sys.modules[name]" (or sys.modules[top]) when both are present and
# initialised. ``__path__`` is not read: without a fromlist the engine never
# looks at it (importlib.Cached.HasPath).
#
# _decisions: (name, fromlist, level, package) -> (steps, result): steps are
# ("m", key, has_path or None) for a sys.modules read that found an initialised
# module, and ("a", step, names, answers) for hasattr checks on the module of an
# earlier step; result is the step whose module the import returned. The
# common decision, one module and hasattr on it, is stored flat as (key,
# has_path, names, answers).

_SELF = ""
_plain: dict[str, str] = {}
_decisions: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def __import__(  # noqa: A001 - the drop-in for builtins.__import__
    name: Any,
    globals: Any = _NOT_GIVEN,  # noqa: A002 - builtins.__import__'s parameter name
    locals: Any = None,  # noqa: A002, ARG001 - unused, as by builtins.__import__
    fromlist: Any = (),
    level: Any = 0,
) -> Any:
    """``builtins.__import__`` run by gobridge's Go import engine: what the
    statement binds, or a ``_Failure`` holding the error CPython's own import
    would raise, for the built-in ``gobridge.__import__`` (bridge/gb_import.c)
    to raise."""
    if level is _ZERO and (fromlist is None or fromlist is _EMPTY):
        try:
            top = _plain.get(name)
        except TypeError:
            top = None
        if top is not None:
            modules = sys.modules
            module = modules.get(name)
            if (
                module is not None
                and getattr(getattr(module, "__spec__", None), "_initializing", False) is False
            ):
                if top is _SELF:
                    return module
                module = modules.get(top)
                if (
                    module is not None
                    and getattr(getattr(module, "__spec__", None), "_initializing", False) is False
                ):
                    return module
    elif type(fromlist) is tuple and type(level) is int:
        if level is _ZERO:
            key = (name, fromlist, 0, None)
        else:
            key = _decision_key(name, globals, fromlist, level)
        try:
            decision = _decisions.get(key) if key is not None else None
        except TypeError:
            decision = None
        if decision is not None:
            if len(decision) == 4:
                # One module, its __path__ and hasattr for the fromlist.
                source, has_path, attrs, answers = decision
                module = sys.modules.get(source)
                if (
                    module is not None
                    and getattr(getattr(module, "__spec__", None), "_initializing", False) is False
                    and (has_path is None or _has_path(module) is has_path)
                ):
                    for attr, answer in zip(attrs, answers):
                        if hasattr(module, attr) is not answer:
                            break
                    else:
                        return module
            else:
                module = _replay(decision)
                if module is not _MISSING:
                    return module
    return _import_slow(name, globals, fromlist, level)


def _decision_key(name: Any, globals: Any, fromlist: Any, level: int) -> Any:
    """The cache key of a relative import: (name, fromlist, level, package),
    or None when the call must go to the engine (its package cannot be known
    without it, or resolving it warns)."""
    if level < 0 or type(globals) is not dict:
        return None
    package = globals.get("__package__")
    spec = globals.get("__spec__")
    try:
        if package is not None:
            if type(package) is not str:
                return None
            if spec is not None and spec.parent != package:
                return None  # the engine warns
        elif spec is not None:
            package = spec.parent
            if type(package) is not str:
                return None
        else:
            return None  # the engine warns
    except Exception:  # noqa: BLE001 - the engine raises it again, in order
        return None
    return (name, fromlist, level, package)


def _replay(decision: tuple[Any, ...]) -> Any:
    """Repeat a decision's reads; its module if every answer is the same."""
    steps, result = decision
    modules = sys.modules
    seen: list[Any] = []
    for step in steps:
        if step[0] == "m":
            module = modules.get(step[1])
            if (
                module is None
                or getattr(getattr(module, "__spec__", None), "_initializing", False) is not False
            ):
                return _MISSING
            has_path = step[2]
            if has_path is not None and _has_path(module) is not has_path:
                return _MISSING
            seen.append(module)
        else:
            module = seen[step[1]]
            for attr, answer in zip(step[2], step[3]):
                if hasattr(module, attr) is not answer:
                    return _MISSING
            seen.append(None)
    return seen[result]


def _remember(name: Any, globals: Any, fromlist: Any, level: Any, call: _Call, module: Any) -> None:
    """Store the decision of a pure engine call under its key."""
    log = call.log
    if not call.pure or not log:
        return
    plain = level is _ZERO and (fromlist is None or fromlist is _EMPTY)
    if plain:
        if type(name) is not str:
            return
        reads = [entry for entry in log if entry[0] == "m"]
        if len(reads) != len(log):
            return
        if len(reads) == 1 and reads[0][1] == name and reads[0][2] is module:
            _plain[name] = _SELF
        elif (
            len(reads) == 2
            and reads[0][1] == name
            and reads[1][2] is module
            and reads[1][1] == name.partition(".")[0]
        ):
            _plain[name] = reads[1][1]
        return
    if type(level) is not int or type(fromlist) is not tuple:
        return
    key = (name, fromlist, 0, None) if level == 0 else _decision_key(name, globals, fromlist, level)
    if key is None or (call.parent is not None and call.parent != key[3]):
        return
    check_path = bool(fromlist)
    steps: list[tuple[Any, ...]] = []
    modules: list[Any] = []
    result = -1
    for entry in log:
        if entry[0] == "m":
            _, key_name, found, has_path = entry
            steps.append(("m", key_name, has_path if check_path else None))
            modules.append(found)
            if found is module and result < 0:
                result = len(steps) - 1
        else:
            _, obj, names, answers = entry
            for index, found in enumerate(modules):
                if found is obj:
                    steps.append(("a", index, names, answers))
                    modules.append(None)
                    break
            else:
                return
    if result < 0:
        return
    decision: tuple[Any, ...]
    if result == 0 and len(steps) == 1:
        decision = (steps[0][1], steps[0][2], (), ())
    elif result == 0 and len(steps) == 2 and steps[1][0] == "a":
        decision = (steps[0][1], steps[0][2], steps[1][2], steps[1][3])
    else:
        decision = (tuple(steps), result)
    with contextlib.suppress(TypeError):  # an unhashable fromlist item
        _decisions[key] = decision


# --- IMPORT_FROM -----------------------------------------------------------------


def import_from(module: Any, name: str) -> Any:
    """IMPORT_FROM, the second half of ``from module import name``: the
    attribute, or the submodule ``module.name`` a circular import has put in
    ``sys.modules`` but not yet bound, or a ``_Failure`` holding CPython's
    ImportError, for the built-in ``gobridge.import_from`` to raise."""
    try:
        return getattr(module, name)
    except AttributeError:
        pass
    return _import_from_slow(module, name)


# --- the engine ------------------------------------------------------------------


class _Failure:
    """An exception for the built-in entry point to raise: raised from C, its
    traceback starts at the importing frame, as with C's import."""

    __slots__ = ("exception",)

    def __init__(self, exception: BaseException) -> None:
        self.exception = exception


_ENGINE = "gomod._import_engine"
_engine: Any = None
_engine_lock = allocate_lock()
_forked: Callable[[], int] | None = None


def _load_engine() -> Any:
    """The Go engine module, loaded on first use; None while it is being
    loaded (the imports that loading makes run in Python meanwhile), and
    where Go cannot run: in a process forked after Go started, in a
    sub-interpreter, and when the Go library cannot be loaded."""
    global _engine, _forked, _no_go
    engine = _engine
    if engine is not None:
        if _forked is not None and _forked():
            return None
        return engine
    if _no_go or not _engine_lock.acquire(False):
        return None
    try:
        if _engine is None:
            try:
                _ffi.open_library()
            except ImportError:
                # Imports go on in Python (CPython imports modules at
                # start-up too, 3.13's linecache before a -c program), and
                # a gomod import raises this error, from gobridge's finder.
                _no_go = True
                return None
            # Built straight from the loader: the engine is machinery, not a
            # module of the program, so sys.modules, sys.meta_path and the
            # gomod package stay as they were.
            module = ModuleType(_ENGINE)
            _finder.GoModuleLoader.exec_module(module)
            if getattr(module, "PROTOCOL", None) != _PROTOCOL:
                raise ImportError(
                    "the loaded gobridge library's import engine speaks protocol "
                    f"{getattr(module, 'PROTOCOL', None)}, gobridge.__import__ needs {_PROTOCOL}"
                )
            # The engine reproduces the import of the interpreter it runs in.
            module.set_python_version(sys.version_info[0], sys.version_info[1])
            _forked = _ffi.lib.gb_forked
            _engine = module
        return _engine
    except ImportError as exc:
        raise ImportError(
            f"gobridge.__import__ needs the Go import engine ({_ENGINE}): {exc}"
        ) from exc
    finally:
        _engine_lock.release()


def _fallback(name: Any, globals: Any, fromlist: Any, level: Any) -> Any:
    """importlib's Python __import__, for the imports that loading the engine
    itself makes and where Go cannot run (after fork(), in a sub-interpreter)."""
    given = None if globals is _NOT_GIVEN else globals
    return _bootstrap.__import__(name, given, None, fromlist, level)


def _import_slow(name: Any, globals: Any, fromlist: Any, level: Any) -> Any:
    """Run IMPORT_NAME in the engine; the module, or a _Failure."""
    engine = _load_engine()
    if engine is None:
        try:
            return _fallback(name, globals, fromlist, level)
        except Exception as exc:  # noqa: BLE001 - raised by the entry point
            return _Failure(exc)
    call = _Call()
    if globals is _NOT_GIVEN:
        globals_kind, wire_globals = _GLOBALS_MISSING, None
    elif isinstance(globals, dict):
        globals_kind = _GLOBALS_DICT
        wire_globals = {}
        for key in _GLOBALS_KEYS:
            found = dict.get(globals, key, _MISSING)
            if found is not _MISSING:
                wire_globals[key] = call.value(found)
        call.spec = dict.get(globals, "__spec__")
    else:
        globals_kind, wire_globals = _GLOBALS_OTHER, call.value(globals)
    wire_fromlist: Any
    if fromlist is None or type(fromlist) is str:
        wire_fromlist = fromlist
    elif type(fromlist) is tuple or type(fromlist) is list:
        wire_fromlist = [call.value(item) for item in fromlist]
    else:
        wire_fromlist = call.value(fromlist)
    wire_level = level if type(level) is int or type(level) is bool else _index(level, call)
    prefetch: dict[str, Any] = {}
    if level is _ZERO and type(name) is str and name:
        prefetch = {name: call.facts(name, call.prefetch_log)}
        top = name.partition(".")[0]
        if top != name:
            prefetch[top] = call.facts(top, call.prefetch_log)
    wire_name = name if type(name) is str else call.value(name)
    try:
        kind, *rest = engine.import_name(
            call.dispatch,
            wire_name,
            globals_kind,
            wire_globals,
            wire_fromlist,
            wire_level,
            prefetch,
        )
    except BaseException as exc:  # noqa: BLE001 - raised by the entry point
        return _Failure(_strip(exc))
    if kind == _RESULT_OK:
        ref, used_prefetch = rest
        module = call.objs[ref]
        if used_prefetch:
            call.log[:0] = call.prefetch_log
            call.pure = call.pure and call.prefetch_pure
        _remember(name, globals, fromlist, level, call, module)
        return module
    return _Failure(call.failure(kind, rest))


def _index(level: Any, call: _Call) -> Any:
    """``level`` as the builtin's argument parsing reads it (``__index__``),
    or a reference for the engine's TypeError."""
    try:
        return level.__index__()
    except Exception:  # noqa: BLE001 - the engine names the type
        return call.value(level)


def _import_from_slow(module: Any, name: str) -> Any:
    engine = _load_engine()
    if engine is None:
        try:
            return _fallback_from(module, name)
        except ImportError as exc:
            return _Failure(exc)
    call = _Call()
    try:
        kind, *rest = engine.import_from(call.dispatch, call.ref(module), name)
    except BaseException as exc:  # noqa: BLE001 - raised by the entry point
        return _Failure(_strip(exc))
    if kind == _RESULT_OK:
        return None if rest[0] is None else call.objs[rest[0]]
    return _Failure(call.failure(kind, rest))


def _fallback_from(module: Any, name: str) -> Any:
    """IMPORT_FROM's fallback as ceval.c does it, for processes where Go
    cannot run (after fork(), in a sub-interpreter)."""
    try:
        package = module.__name__
    except Exception:  # noqa: BLE001 - ceval clears it
        package = None
    if isinstance(package, str):
        full = f"{package}.{name}"
        found = sys.modules.get(full, _MISSING)
        if found is not _MISSING:
            if found is not None and _initializing(found):
                _bootstrap._lock_unlock_module(full)
            return found
    else:
        package = None
    shown = "<unknown module name>" if package is None else package
    filename = vars(module).get("__file__") if isinstance(module, ModuleType) else None
    if not isinstance(filename, str):
        message = f"cannot import name {name!r} from {shown!r} (unknown location)"
        raise ImportError(message, name=package)
    partial = (
        "partially initialized module {!r} (most likely due to a circular import)"
        if _initializing(module)
        else "{!r}"
    )
    message = f"cannot import name {name!r} from {partial.format(shown)} ({filename})"
    raise ImportError(message, name=package, path=filename)


# --- tracebacks ------------------------------------------------------------------

_BOOTSTRAP_FILES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")
_OWN_FILE = __file__


def _strip(exc: BaseException) -> BaseException:
    """Remove gobridge's frames, and importlib's as ``remove_importlib_frames``
    in Python/import.c does: all of them for an ImportError, otherwise the
    chunks that end in ``_call_with_frames_removed``. Frames of the modules'
    own code stay."""
    if sys.flags.verbose:
        return exc
    always_trim = isinstance(exc, ImportError)
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    kept: list[Any] = []
    chunk: list[Any] = []  # the importlib frames since the last kept frame
    for tb in frames:
        code = tb.tb_frame.f_code
        if code.co_filename == _OWN_FILE or _is_bridge_code(code):
            continue
        if code.co_filename in _BOOTSTRAP_FILES:
            if always_trim or code.co_name == "_call_with_frames_removed":
                chunk.clear()
            else:
                chunk.append(tb)
            continue
        kept.extend(chunk)
        chunk.clear()
        kept.append(tb)
    kept.extend(chunk)
    head = None
    for tb in reversed(kept):
        tb.tb_next = head
        head = tb
    return exc.with_traceback(head)


def _is_bridge_code(code: Any) -> bool:
    """The frames of the bridge between Python and Go: the generated wrapper
    of a Go function and the callback entry."""
    return code.co_filename == "<gobridge>" or code.co_filename.endswith(
        ("gobridge/_callbacks.py", "gobridge/_functions.py", "gobridge/_values.py")
    )


# --- the host ---------------------------------------------------------------------


class _Call:
    """The Python objects of one Go call and the host operations on them.

    ``log`` records the reads of a call that may be cached (see _remember);
    ``pure`` turns False at the first operation that is not such a read.
    """

    __slots__ = (
        "objs",
        "log",
        "pure",
        "prefetch_log",
        "prefetch_pure",
        "spec",
        "parent",
        "parent_specs",
        "thread",
    )

    def __init__(self) -> None:
        self.objs: list[Any] = []
        self.log: list[tuple[Any, ...]] = []
        self.pure = True
        self.prefetch_log: list[tuple[Any, ...]] = []
        self.prefetch_pure = True
        self.spec: Any = None
        self.parent: Any = None
        self.parent_specs: dict[str, Any] = {}
        self.thread = get_ident()

    def ref(self, obj: Any) -> int:
        objs = self.objs
        objs.append(obj)
        return len(objs) - 1

    def value(self, obj: Any) -> Any:
        """A value the engine inspects: a str or None as itself, else a reference."""
        if obj is None or type(obj) is str:
            return obj
        if isinstance(obj, str):
            return str.__str__(obj)
        return {"ref": self.ref(obj), "type": type(obj).__name__}

    def facts(self, name: str, log: list[tuple[Any, ...]]) -> Any:
        """What the engine needs to know about ``sys.modules[name]``."""
        module = sys.modules.get(name, _MISSING)
        if module is _MISSING:
            self.pure_read(log, False)
            return None
        if module is None:
            self.pure_read(log, False)
            return [0, _FLAG_NONE, None]
        flags = 0
        if _initializing(module):
            flags |= _FLAG_INITIALIZING
            self.pure_read(log, False)
        path = getattr(module, "__path__", _MISSING)
        path_ref = None
        if path is not _MISSING:
            flags |= _FLAG_HAS_PATH
            path_ref = self.ref(path)
        log.append(("m", name, module, path is not _MISSING))
        return [self.ref(module), flags, path_ref]

    def pure_read(self, log: list[tuple[Any, ...]], pure: bool) -> None:
        if not pure:
            if log is self.prefetch_log:
                self.prefetch_pure = False
            else:
                self.pure = False

    def dispatch(self, op: int, a: Any, b: Any) -> Any:
        """The one entry of every host operation; an exception becomes a reply."""
        try:
            return _OPS[op](self, a, b)
        except BaseException as exc:  # noqa: BLE001 - the engine decides; Python re-raises it
            return self.exception(exc)

    def exception(self, exc: BaseException) -> dict[str, Any]:
        reply: dict[str, Any] = {"exc": self.ref(exc)}
        if isinstance(exc, ModuleNotFoundError):
            reply["type"] = "ModuleNotFoundError"
            reply["name"] = exc.name if type(exc.name) is str else None
        elif isinstance(exc, AttributeError):
            reply["type"] = "AttributeError"
        else:
            reply["type"] = type(exc).__name__
        return reply

    def failure(self, kind: int, rest: list[Any]) -> BaseException:
        """The exception of a failed engine call."""
        if kind == _RESULT_RAISE:
            return _strip(self.objs[rest[0]])
        type_name, message, attrs = rest
        cls = _EXCEPTIONS.get(type_name, RuntimeError)
        for attr, value in attrs.items():
            if type(value) is int:
                attrs[attr] = self.objs[value]
        if issubclass(cls, ImportError):
            return cls(message, name=attrs.get("name"), path=attrs.get("path"))
        return cls(message)

    # The operations, in op-code order (see _OPS).

    def get_modules(self, names: list[str], _: Any) -> list[Any]:
        return [self.facts(name, self.log) for name in names]

    def find_spec(self, name: str, path: Any) -> Any:
        self.pure = False
        path_obj = None
        if path is not None:
            path_obj = self.objs[path]
            if _TRACKS_SUBMODULES:
                # _find_and_load_unlocked reads the parent's spec before finding.
                parent = name.rpartition(".")[0]
                self.parent_specs[name] = sys.modules[parent].__spec__
        spec = _bootstrap._find_spec(name, path_obj)
        return None if spec is None else self.ref(spec)

    def load_unlocked(self, spec_ref: int, _: Any) -> int:
        self.pure = False
        spec = self.objs[spec_ref]
        parent_spec = self.parent_specs.pop(spec.name, None)
        if parent_spec:
            # Tracks circular imports for the partially initialised module's
            # AttributeError message, as _find_and_load_unlocked does.
            parent_spec._uninitialized_submodules.append(spec.name.rpartition(".")[2])
        try:
            module = _bootstrap._load_unlocked(spec)
        finally:
            if parent_spec:
                parent_spec._uninitialized_submodules.pop()
        return self.ref(module)

    def get_attr(self, obj: int, name: str) -> Any:
        target = self.objs[obj]
        found = getattr(target, name)
        if name == "parent" and target is self.spec and self.spec is not None:
            self.parent = found  # resolving the package: the cache key holds it
        else:
            self.pure = False
        return self.value(found)

    def set_attr(self, obj: int, pair: list[Any]) -> None:
        self.pure = False
        name, value = pair
        setattr(self.objs[obj], name, self.objs[value])

    def has_attrs(self, obj: int, names: list[str]) -> list[bool]:
        target = self.objs[obj]
        answers = [hasattr(target, name) for name in names]
        self.log.append(("a", target, tuple(names), tuple(answers)))
        return answers

    def module_info(self, obj: int, _: Any) -> list[Any]:
        self.pure = False
        module = self.objs[obj]
        try:
            name = module.__name__
        except Exception:  # noqa: BLE001 - import_from clears it
            name = None
        if not isinstance(name, str):
            name = None
        filename = None
        if isinstance(module, ModuleType):
            found = vars(module).get("__file__")
            if isinstance(found, str):
                filename = found
        return [
            None if name is None else str.__str__(name),
            None if filename is None else str.__str__(filename),
            _initializing(module),
        ]

    def items(self, obj: int, _: Any) -> list[Any]:
        self.pure = False
        return [self.value(item) for item in self.objs[obj]]

    def warn(self, category: str, message: str) -> None:
        self.pure = False
        frame: Any = sys._getframe(1)
        level = 2
        while frame is not None and frame.f_code not in _ENTRY_CODES:
            frame = frame.f_back
            level += 1
        _warnings.warn(message, _WARNINGS[category], level + 1 if frame is not None else 1)

    def truth(self, obj: int, _: Any) -> bool:
        self.pure = False
        return bool(self.objs[obj])

    def acquire(self, name: str, _: Any) -> int:
        self.pure = False
        if get_ident() != self.thread:
            # _ModuleLock's owner is the calling thread: Go must call back on
            # the thread that called it.
            raise RuntimeError("gobridge: an import callback ran on another thread")
        lock = _bootstrap._get_module_lock(name)
        lock.acquire()
        return self.ref(lock)

    def release(self, lock: int, _: Any) -> None:
        self.objs[lock].release()

    def lock_unlock(self, name: str, _: Any) -> None:
        self.pure = False
        _bootstrap._lock_unlock_module(name)


_OPS: list[Callable[[_Call, Any, Any], Any]] = [
    lambda call, a, b: None,  # op codes start at 1
    _Call.get_modules,
    _Call.find_spec,
    _Call.load_unlocked,
    _Call.get_attr,
    _Call.set_attr,
    _Call.has_attrs,
    _Call.module_info,
    _Call.items,
    _Call.warn,
    _Call.truth,
    _Call.acquire,
    _Call.release,
    _Call.lock_unlock,
]

_EXCEPTIONS: dict[str, type[BaseException]] = {
    cls.__name__: cls
    for cls in (
        ImportError,
        ModuleNotFoundError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        RuntimeError,
        OverflowError,
    )
}
_WARNINGS: dict[str, type[Warning]] = {
    "ImportWarning": ImportWarning,
    "DeprecationWarning": DeprecationWarning,
}
_ENTRY_CODES = (__import__.__code__, import_from.__code__)


def _raising(entry: Callable[..., Any]) -> Callable[..., Any]:
    """An entry point that raises its failure itself: where the C layer
    cannot load (a sub-interpreter), imports go to importlib through it."""

    def run(*args: Any, **kwargs: Any) -> Any:
        outcome = entry(*args, **kwargs)
        if type(outcome) is _Failure:
            raise outcome.exception
        return outcome

    run.__name__ = run.__qualname__ = entry.__name__
    run.__doc__ = entry.__doc__
    return run


# The public entry points are built-in functions (bridge/gb_import.c) over
# the two above, which the C layer keeps as _import_name and _import_from.
if _ffi is not None:
    if _ffi.lib.gb_import_install(_OWN_FILE.rpartition("/")[0].encode() + b"/") != 0:
        raise ImportError("gobridge: the import functions could not be created")
else:
    _import_name, _import_from = __import__, import_from
    __import__ = _raising(_import_name)  # noqa: A001
    import_from = _raising(_import_from)
