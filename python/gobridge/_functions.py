"""Python functions that call Go: built from the library's descriptions.

Each wrapper is a real Python function with the Go parameter names, so
keyword arguments, ``inspect.signature`` and ``help()`` work as for any
function. Wrappers are made from a few code templates, compiled once per
process and renamed per function with ``CodeType.replace``, so importing a
module compiles nothing.
"""

from __future__ import annotations

import builtins
import marshal
import sys
from _frozen_importlib import _gcd_import  # type: ignore[attr-defined]  # importlib._bootstrap

from . import _native
from ._errors import make_exception
from ._ffi import call_layer, ffi, forked_or_unloaded, lib
from ._templates import TEMPLATES as _precompiled

TYPE_CHECKING = False  # typing and types cost start-up time; type checkers read the block below
if TYPE_CHECKING:
    from types import CodeType, FunctionType
    from typing import Any

    from ._callbacks import Scope
else:
    FunctionType = type(lambda: None)
    CodeType = type((lambda: None).__code__)


def _go_function_types() -> tuple[type, type]:
    """The C layer's GoFunction and GoMethod types, created by the first Go
    module (never in a sub-interpreter, which gobridge refuses before)."""
    global GoFunction, GoMethod
    if GoFunction is _NotInstalled:
        # Frames of gobridge's own files are kept out of Go calls' tracebacks.
        if lib.gb_function_install(_PACKAGE_DIR.encode()) != 0:
            raise ImportError("gobridge: the GoFunction type could not be created")
        # Taken from the module, not imported: the first Go function may be
        # made while the import state is replaced (gobridge.__import__).
        made = vars(_native)
        GoFunction, GoMethod = made["GoFunction"], made["GoMethod"]
    return GoFunction, GoMethod


class _NotInstalled:
    pass


GoFunction: type = _NotInstalled
GoMethod: type = _NotInstalled

# Code objects have a qualified name of their own from Python 3.11 on.
_HAS_QUALNAME = hasattr(CodeType, "co_qualname")

GB_OK = lib.GB_OK
GB_OK_OBJECTS = lib.GB_OK_OBJECTS
GB_ERROR = lib.GB_ERROR


def finish(ret: Any) -> Any:
    """Turn a ``gb_ret`` into its value, or raise the error it carries."""
    status = ret.status
    if ret.data != ffi.NULL:
        try:
            value = marshal.loads(ffi.buffer(ret.data, ret.len))
        finally:
            lib.gb_free(ret.data)
    else:
        value = None
    if status == GB_OK:
        return value
    if status == GB_OK_OBJECTS:
        return decode(value)
    if status == GB_ERROR:
        raise make_exception(value)
    raise forked_or_unloaded()


def exception_from_record(data: bytes) -> BaseException:
    """The exception a Go error record stands for; the C layer raises it."""
    return make_exception(marshal.loads(data))


# _callbacks (callables lent to Go), _values (arguments marshal cannot
# write), _pending (context and awaitable calls) and _objects (Go objects
# and classes) are imported by the first function that needs them, not with
# gobridge: most programs never need some of them. They sit below this
# module and call back into it through _ffi.call_layer, filled in at the end.

class_modules: dict[int, str] = {}
"""The module that binds each class, by tid: a module makes its classes on
first use, so a value of one may come first, from a function, and its
class (``_objects.wrap``) is made then, already in the module pickle and
``repr`` name."""


def submodule(name: str) -> Any:
    """gobridge's module ``name``, imported if need be without the import
    statement, which goes through ``builtins.__import__``: that may be
    gobridge's own, whose engine makes functions (gobridge._importer imports
    what those need first)."""
    module = sys.modules.get("gobridge." + name)
    if module is None or getattr(module.__spec__, "_initializing", False):
        # Not imported, or being imported by another thread: importlib
        # waits for that thread.
        module = _gcd_import("gobridge." + name)
    return module


def take_lent_exception(call: int) -> BaseException | None:
    """The first exception a callable lent to call raised; the C layer
    raises it."""
    _callbacks = submodule("_callbacks")
    return _callbacks.take_exception(call)


_PACKAGE_DIR = __file__.rpartition("/")[0] + "/"


def signature_of(fn: Any, general: Any) -> Any:
    """``inspect.Signature`` of a GoFunction: that of its general path, a
    Python function with the same parameters and annotations."""
    import inspect

    return inspect.signature(general)


def is_go_callable(fn: Any) -> bool:
    """Whether fn is a GoFunction or a GoMethod."""
    return isinstance(fn, (GoFunction, GoMethod))


def general_path(fn: Any) -> FunctionType:
    """The Python function behind a Go function: itself, or a GoFunction's
    general path."""
    general: FunctionType = fn._general if is_go_callable(fn) else fn
    return general


def call_slow(fid: int, self: int, borrow: frozenset[int], args: tuple[Any, ...]) -> Any:
    """Call with arguments marshal cannot write on its own."""
    scope = submodule("_callbacks").Scope()
    try:
        encoded = submodule("_values").encode(args, borrow, scope)
        ret = lib.gb_call(fid, self, encoded.data, len(encoded.data), encoded.spans, encoded.nspans)
    finally:
        scope.close()
    return finish_scoped(ret, scope.call)


def finish_scoped(ret: Any, call: int) -> Any:
    """``finish`` for a call that lent callables as call (its Scope's
    ``call``): the first exception one of them raised wins over whatever the
    Go call returned."""
    _callbacks = submodule("_callbacks")
    exception = _callbacks.take_exception(call)
    if exception is not None:
        if ret.data != ffi.NULL:
            lib.gb_free(ret.data)
        raise exception
    return finish(ret)


def _lend(scope: Scope, value: Any) -> Any:
    """A callable as marshal can write it for Go: (Ellipsis, number)."""
    if callable(value):
        return (..., scope.lend(value))
    return value  # Go names the parameter and the type it got


def decode(value: Any) -> Any:
    """A value as Go sent it, with Go objects turned into Python objects."""
    return submodule("_objects").adopt(value)


# The templates. Every name a template uses besides its parameters is a
# global of the wrapper's own namespace (see _namespace), so the parameter
# names can be anything; the locals are named to avoid Go parameter names.
_TEMPLATES = {
    "generic": """
def T({params}):
    try:
        _gb_d = _dumps(({args}), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, ({args}))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)
""",
    "method": """
def T(self, {params}):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps(({args}), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, ({args}))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)
""",
    "callbacks": """
def T({params}):
    _gb_s = _Scope()
    try:
        _gb_d = _dumps(({lent_args}), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        _gb_s.close()
        return _slow(_fid, 0, _borrow, ({args}))
    try:
        _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    finally:
        _gb_s.close()
    return _finish_scoped(_gb_r, _gb_s.call)
""",
    "borrow1": """
def T({params}):
    try:
        _gb_b = _from_buffer({borrowed})
    except TypeError:  # not bytes-like: Go names the parameter and the type
        _gb_b = None
    if _gb_b is None:
        return _slow(_fid, 0, _borrow, ({args}))
    _gb_d = _dumps(({lent_args}), 2)
    _gb_r = _call_b1(_fid, 0, _gb_d, len(_gb_d), _gb_b, len(_gb_b))
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)
""",
    "slow": """
def T({params}):
    return _slow(_fid, 0, _borrow, ({args}))
""",
    "context": """
def T({params}, *, timeout=None):
    return _call_context(_fid, 0, _borrow, ({args}), timeout)
""",
}

_compiled: dict[tuple[str, int, bool, frozenset[int]], CodeType] = {}


def _template(
    kind: str, arity: int, variadic: bool, lent: frozenset[int] = frozenset()
) -> CodeType:
    key = (kind, arity, variadic, lent)
    code = _compiled.get(key)
    if code is None:
        # The common templates come compiled with gobridge (_templates.py,
        # from its .pyc): compiling one costs a fifth of a millisecond.
        made = _precompiled.get(key)
        if made is None:
            namespace: dict[str, Any] = {}
            # exec of the source, not of compile()'s result: compile() first asks
            # whether its argument is an AST, and the first such question of a
            # process creates every AST node type, a millisecond of start-up.
            exec(_template_source(kind, arity, variadic, lent), namespace)
            made = namespace["T"]
        code = made.__code__.replace(co_filename="<gobridge>")
        _compiled[key] = code
    return code


def _template_source(
    kind: str, arity: int, variadic: bool, lent: frozenset[int], name: str = "T"
) -> str:
    names = [f"p{i}" for i in range(arity)]
    params = names[:]
    args = ", ".join(names) + ("," if arity == 1 and not variadic else "")
    if variadic:
        params[-1] = "*" + params[-1]
        args = ", ".join(names[:-1] + ["*" + names[-1]]) + ","
    placeholder = "(..., 0)" if kind == "borrow1" else None
    lent_args = ", ".join(
        (placeholder or f"_lend(_gb_s, {n})") if i in lent else n for i, n in enumerate(names)
    ) + ("," if arity == 1 else "")
    borrowed = names[min(lent)] if lent else ""
    source = _TEMPLATES[kind].format(
        params=", ".join(params), args=args, lent_args=lent_args, borrowed=borrowed
    )
    source = source.replace("def T(self, )", "def T(self)").replace("def T(, *", "def T(*")
    if variadic:
        source = source.replace(", *, timeout", ", timeout")
    return source.replace("def T(", f"def {name}(", 1)


# The templates _templates.py holds compiled: those the shipped modules use.
PRECOMPILED_KEYS: list[tuple[str, int, bool, frozenset[int]]] = [
    *(("generic", n, False, frozenset()) for n in range(6)),
    *(("generic", n, True, frozenset()) for n in range(1, 4)),
    *(("method", n, False, frozenset()) for n in range(6)),
    *(("method", n, True, frozenset()) for n in range(1, 3)),
    ("borrow1", 1, False, frozenset({0})),
    ("borrow1", 2, False, frozenset({0})),
    ("borrow1", 2, False, frozenset({1})),
]


def precompiled_source() -> str:
    """The text of _templates.py, which tests keep in step with _TEMPLATES."""
    parts = [
        '"""The common templates of ``gobridge._functions``, compiled with the package.\n\n'
        "Generated from ``_functions._TEMPLATES`` by ``_functions.precompiled_source()``;\n"
        'do not edit (tests/test_lazy_modules.py checks it is up to date).\n"""\n'
        "# ruff: noqa\n# mypy: ignore-errors\n# fmt: off\n"
    ]
    table = []
    for kind, arity, variadic, lent in PRECOMPILED_KEYS:
        name = f"_{kind}_{arity}{'_v' if variadic else ''}{''.join(f'_{i}' for i in sorted(lent))}"
        parts.append(_template_source(kind, arity, variadic, lent, name))
        lent_text = f"frozenset({set(sorted(lent))!r})" if lent else "frozenset()"
        table.append(f"    ({kind!r}, {arity}, {variadic}, {lent_text}): {name},\n")
    parts.append("\nTEMPLATES = {\n" + "".join(table) + "}\n")
    return "".join(parts)


def _namespace(module: str, fid: int, borrowed: frozenset[int]) -> dict[str, Any]:
    return {
        "__builtins__": builtins,
        "__name__": module,
        "_fid": fid,
        "_borrow": borrowed,
        "_dumps": marshal.dumps,
        "_loads": marshal.loads,
        "_unpack": ffi.unpack,
        "_free": lib.gb_free,
        "_NULL": ffi.NULL,
        "_call": lib.gb_call,
        "_finish": finish,
        "_slow": call_slow,
    }


def make_function(module: str, desc: tuple[Any, ...], qualname_prefix: str = "") -> Any:
    """Build the Python wrapper of a Go function from its description.

    A description is ``(fid, name, doc, params, variadic, result annotation,
    Go signature, borrowed parameter indexes, takes a context, frame
    signature or None, short, defaults)``, where each parameter is ``(name,
    Python type, Go type)`` and defaults are those of the last parameters.
    A function with a frame signature is a GoFunction (or GoMethod) of the
    C layer, with the Python function made here as its general path: the
    calls the C layer does not convert itself.
    """
    (
        fid,
        name,
        doc,
        params,
        variadic,
        result,
        go_sig,
        borrowed,
        takes_context,
        frame_sig,
        short,
        defaults,
    ) = desc
    if defaults:
        adopt = submodule("_objects").adopt
        defaults = tuple(adopt(d) for d in defaults)
    else:
        defaults = ()
    names = [p[0] for p in params]
    lent = frozenset(i for i, p in enumerate(params) if p[1].startswith("Callable"))
    is_method = bool(qualname_prefix)
    namespace = _namespace(module, fid, frozenset(borrowed))
    arity = len(params)
    if is_method:
        owner = qualname_prefix

        def not_self(obj: Any) -> TypeError:
            return TypeError(
                f"descriptor '{name}' for '{owner}' objects doesn't apply to a "
                f"'{type(obj).__name__}' object"
            )

        namespace["_not_self"] = not_self
    if is_method:
        code = _template("method", arity, variadic)
    elif takes_context:
        code = _template("context", arity, variadic)
        _pending = submodule("_pending")
        namespace["_call_context"] = _pending.call_with_context
    elif len(borrowed) == 1 and not variadic and not lent:
        code = _template("borrow1", arity, variadic, frozenset(borrowed))
        namespace.update(_from_buffer=ffi.from_buffer, _call_b1=lib.gb_call_b1)
    elif borrowed:
        code = _template("slow", arity, variadic)
    elif lent and not variadic:
        code = _template("callbacks", arity, variadic, lent)
        _callbacks = submodule("_callbacks")
        namespace.update(_Scope=_callbacks.Scope, _lend=_lend, _finish_scoped=finish_scoped)
    else:
        code = _template("generic", arity, variadic)
    varnames = list(code.co_varnames)
    offset = 1 if is_method else 0
    varnames[offset : offset + arity] = names
    qualname = f"{qualname_prefix}.{name}" if qualname_prefix else name
    if _HAS_QUALNAME:
        code = code.replace(co_name=name, co_qualname=qualname, co_varnames=tuple(varnames))
    else:
        code = code.replace(co_name=name, co_varnames=tuple(varnames))
    fn: Any = FunctionType(code, namespace, name)
    if defaults:
        fn.__defaults__ = defaults
    if takes_context and not is_method:
        fn.__kwdefaults__ = {"timeout": None}
    fn.__qualname__ = qualname
    fn.__module__ = module
    fn.__doc__ = _docstring(name, params, variadic, result, doc, go_sig, is_method, defaults)
    annotations = {p[0]: p[1] for p in params}
    if result:
        annotations["return"] = result
    fn.__annotations__ = annotations
    fn.__text_signature__ = _text_signature(names, variadic, is_method, takes_context, defaults)
    if frame_sig is not None:
        if lent:
            _callbacks = submodule("_callbacks")
            _callbacks.attach_scalar_entries()
        go_name = _go_name(go_sig) if go_sig else name
        kind = _go_function_types()[is_method]
        general = fn
        release_gil = not short
        fn = kind(
            fid,
            frame_sig,
            general,
            tuple(names),
            name,
            qualname,
            module,
            general.__doc__,
            go_name,
            release_gil,
            defaults,
        )
        fn.__annotations__ = general.__annotations__
    if not is_method:
        nnamed = len(names) - (1 if variadic else 0)
        fn.aio = Aio(fid, frozenset(borrowed), name, qualname, nnamed, defaults)
    return fn


class Aio:
    """``f.aio(*args, timeout=None)``: await the Go function without blocking the
    event loop; cancelling the task cancels the Go call's context."""

    __slots__ = ("fid", "borrow", "__name__", "__qualname__", "nnamed", "defaults")

    def __init__(
        self,
        fid: int,
        borrow: frozenset[int],
        name: str,
        qualname: str,
        nnamed: int = 0,
        defaults: tuple[Any, ...] = (),
    ) -> None:
        self.fid = fid
        self.borrow = borrow
        self.__name__ = name
        self.__qualname__ = qualname + ".aio"
        # The parameters before a variadic one, and the defaults of the last
        # of them, which fill in the arguments a call leaves out.
        self.nnamed = nnamed
        self.defaults = defaults

    def __call__(self, *args: Any, timeout: float | None = None) -> Any:
        call_async = submodule("_pending").call_async
        missing = self.nnamed - len(args)
        if 0 < missing <= len(self.defaults):
            args += self.defaults[len(self.defaults) - missing :]
        return call_async(self.fid, 0, self.borrow, args, timeout)

    def __repr__(self) -> str:
        return f"<gobridge awaitable {self.__qualname__}>"


def _go_name(go_sig: str) -> str:
    """The Go name in a Go signature: "strings.ToUpper" of "func
    strings.ToUpper(s string) string", "(*regexp.Regexp).FindString" of a
    method's."""
    head = go_sig[len("func ") :]
    start = head.index(")") + 1 if head.startswith("(") else 0
    return head[: head.index("(", start)]


def _text_signature(
    names: list[str],
    variadic: bool,
    is_method: bool,
    takes_context: bool,
    defaults: tuple[Any, ...] = (),
) -> str | None:
    """The signature inspect reads from text, or None when a default is no
    literal it can read back (inspect then reads the code and __defaults__)."""
    if not all(_is_literal(d) for d in defaults):
        return None
    named = names[:-1] if variadic else names
    first = len(named) - len(defaults)
    parts = (["self"] if is_method else []) + [
        n if i < first else f"{n}={defaults[i - first]!r}" for i, n in enumerate(named)
    ]
    if variadic and names:
        parts.append("*" + names[-1])
    if takes_context:
        parts += ["*", "timeout=None"] if not variadic else ["timeout=None"]
    return "(" + ", ".join(parts) + ")"


def _is_literal(value: Any) -> bool:
    if type(value) is float:
        return value == value and abs(value) != float("inf")
    return type(value) in (int, bool, str, bytes, type(None))


def _docstring(
    name: str,
    params: list[tuple[str, str, str]],
    variadic: bool,
    result: str,
    doc: str | None,
    go_sig: str | None,
    is_method: bool,
    defaults: tuple[Any, ...] = (),
) -> str:
    parts = [
        f"{'*' if variadic and i == len(params) - 1 else ''}{p[0]}: {p[1]}"
        for i, p in enumerate(params)
    ]
    first = len(params) - (1 if variadic else 0) - len(defaults)
    for i, value in enumerate(defaults):
        parts[first + i] += f" = {value!r}"

    if is_method:
        parts.insert(0, "self")
    head = f"{name}({', '.join(parts)}) -> {result or 'None'}"
    lines = [head]
    if doc:
        lines += ["", doc.strip()]
    if go_sig:
        lines += ["", f"Go: {go_sig}"]
    return "\n".join(lines)


# What the modules this one imports on first need call back into (see
# _ffi.CallLayer).
call_layer.make_function = make_function
call_layer.finish = finish
call_layer.finish_scoped = finish_scoped
call_layer.call_slow = call_slow
call_layer.decode = decode
call_layer.class_modules = class_modules
