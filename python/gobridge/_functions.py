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
from types import CodeType, FunctionType

from . import _callbacks, _pending, _values  # noqa: F401 - _callbacks defines gb_py_invoke
from ._errors import make_exception
from ._ffi import ffi, forked_error, lib

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any, Callable

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


def raise_parked() -> None:
    """Raise the error the scalar fast path parked on this thread."""
    finish(lib.gb_take_error())


def call_slow(fid: int, self: int, borrow: frozenset[int], args: tuple[Any, ...]) -> Any:
    """Call with arguments marshal cannot write on its own."""
    encoded = _values.encode(args, borrow)
    scope = encoded.scope
    try:
        ret = lib.gb_call(fid, self, encoded.data, len(encoded.data), encoded.spans, encoded.nspans)
    finally:
        scope.close()
    return finish_scoped(ret, scope.call)


def finish_scoped(ret: Any, call: int) -> Any:
    """``finish`` for a call that lent callables as call (its Scope's
    ``call``): the first exception one of them raised wins over whatever the
    Go call returned."""
    exception = _callbacks.take_exception(call)
    if exception is not None:
        if ret.data != ffi.NULL:
            lib.gb_free(ret.data)
        raise exception
    return finish(ret)


def _lend(scope: _callbacks.Scope, value: Any) -> Any:
    """A callable as marshal can write it for Go: (Ellipsis, number)."""
    if callable(value):
        return (..., scope.lend(value))
    return value  # Go names the parameter and the type it got


def decode(value: Any) -> Any:
    """A value as Go sent it, with Go objects turned into Python objects."""
    return _objects.adopt(value)


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
    "fast": """
def T({params}):
    try:
        _gb_r = _fast({fast_args})
    except (TypeError, OverflowError) as _gb_e:
        raise _arg_error(_gb_e, ({args})) from None
    if _gb_r == _sentinel and _pending():
        _raise_parked()
    {ret}
""",
    "fast_method": """
def T(self, {params}):
    try:
        _gb_r = _fast({method_args})
    except AttributeError:
        raise _not_self(self) from None
    except (TypeError, OverflowError) as _gb_e:
        raise _arg_error(_gb_e, ({args})) from None
    if _gb_r == _sentinel and _pending():
        _raise_parked()
    {ret}
""",
    "fast_callbacks": """
def T({params}):
    if not ({callable_checks}):
        raise _arg_error(TypeError(), ({args}))
    _gb_c = _next(_calls)
{lend}
    try:
        _gb_r = _fast({numbered_args})
    except (TypeError, OverflowError) as _gb_e:
        raise _arg_error(_gb_e, ({args})) from None
    finally:
{unlend}
    if _gb_r == _sentinel and _pending():
        _finish_scoped(_take_error(), _gb_c)
    {ret}
""",
}

# How a fast template presents the raw result, by the description's mode.
_RETURNS = {"value": "return _gb_r", "bool": "return _gb_r == 1", "none": "return None"}

_compiled: dict[tuple[str, int, bool, bool, frozenset[int], str], CodeType] = {}


def _template(
    kind: str,
    arity: int,
    variadic: bool,
    slotted: bool,
    lent: frozenset[int] = frozenset(),
    mode: str = "value",
) -> CodeType:
    key = (kind, arity, variadic, slotted, lent, mode)
    code = _compiled.get(key)
    if code is None:
        names = [f"p{i}" for i in range(arity)]
        params = names[:]
        args = ", ".join(names) + ("," if arity == 1 and not variadic else "")
        if variadic:
            params[-1] = "*" + params[-1]
            args = ", ".join(names[:-1] + ["*" + names[-1]]) + ","
        fid = [] if slotted else ["_fid"]
        fast_args = ", ".join(fid + names)
        placeholder = "(..., 0)" if kind == "borrow1" else None
        lent_args = ", ".join(
            (placeholder or f"_lend(_gb_s, {n})") if i in lent else n for i, n in enumerate(names)
        ) + ("," if arity == 1 else "")
        # fast_callbacks: callables cross as the numbers they are lent under.
        lend = "\n".join(
            f"    if {names[i]} is None:\n        _gb_t{i} = 0\n    else:\n"
            f"        _gb_t{i} = _gb_c{f' | {i}' if i else ''}\n"
            f"        _targets[_gb_t{i}] = {names[i]}"
            for i in sorted(lent)
        )
        unlend = "\n".join(
            f"        if _gb_t{i}:\n            del _targets[_gb_t{i}]" for i in sorted(lent)
        )
        borrowed = names[min(lent)] if lent else ""
        source = _TEMPLATES[kind].format(
            params=", ".join(params),
            args=args,
            fast_args=fast_args,
            lent_args=lent_args,
            borrowed=borrowed,
            ret=_RETURNS[mode],
            lend=lend,
            unlend=unlend,
            numbered_args=", ".join(
                fid + [f"_gb_t{i}" if i in lent else n for i, n in enumerate(names)]
            ),
            method_args=", ".join([*fid, "self._gb_handle", *names]),
            callable_checks=" and ".join(
                f"({names[i]} is None or callable({names[i]}))" for i in sorted(lent)
            ),
        )
        source = source.replace("def T(self, )", "def T(self)").replace("def T(, *", "def T(*")
        if variadic:
            source = source.replace(", *, timeout", ", timeout")
        namespace: dict[str, Any] = {}
        exec(compile(source, "<gobridge>", "exec"), namespace)
        code = namespace["T"].__code__
        _compiled[key] = code
    return code


_SENTINELS = {"i": -1073741823, "u": 1073741823, "d": -(2.0**-1070)}

# Slots handed out so far, by kind: fid -> slot number.
_slots: dict[str, dict[int, int]] = {}


def _has_slots(args: str) -> bool:
    """bridge/native_build.py's ``slotted``: which kinds have slots."""
    return len(args) <= 1 or (len(args) == 2 and args[0] == "u")


def _slot_for(kind: str, fid: int) -> Any:
    """Bind fid to a one-argument trampoline of its kind, if one is free."""
    taken = _slots.setdefault(kind, {})
    slot = taken.get(fid)
    if slot is None:
        if len(taken) >= lib.GB_SLOTS_PER_KIND:
            return None
        slot = len(taken)
        getattr(lib, f"gb_slot_fids_{kind}")[slot] = fid
        taken[fid] = slot
    return getattr(lib, f"gb_slot_{kind}_{slot}")


def _arg_error_maker(name: str, params: list[tuple[str, str, str]]) -> Callable[..., Exception]:
    def arg_error(error: Exception, args: tuple[Any, ...]) -> Exception:
        for (pname, pytype, gotype), value in zip(params, args):
            if pytype == "Callable":
                if value is None or callable(value):
                    continue
                return TypeError(
                    f"{name}() argument '{pname}' must be Callable (Go {gotype}), "
                    f"not {type(value).__name__}"
                )
            if (
                pytype == "float"
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
            ):
                continue
            if pytype == "int" and isinstance(value, int):
                if _in_range(gotype, value):
                    continue
                return OverflowError(
                    f"{name}() argument '{pname}' out of range for Go {gotype}: "
                    f"{_abbreviate(value)}"
                )
            if not isinstance(value, (int, float)) or (
                pytype == "int" and isinstance(value, float)
            ):
                return TypeError(
                    f"{name}() argument '{pname}' must be {pytype} (Go {gotype}), "
                    f"not {type(value).__name__}"
                )
        return error

    return arg_error


def _abbreviate(value: int) -> str:
    """A number for a message, short even when huge (and under Python's
    limit on converting ints to str)."""
    if abs(value) < 10**60:
        return str(value)
    return f"an int of {value.bit_length()} bits"


def _in_range(gotype: str, value: int) -> bool:
    if gotype.startswith("uint"):
        return 0 <= value < 2**64
    return -(2**63) <= value < 2**63


def _namespace(module: str, desc: tuple[Any, ...], fid: int) -> dict[str, Any]:
    borrowed = frozenset(desc[9])
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


def make_function(module: str, desc: tuple[Any, ...], qualname_prefix: str = "") -> FunctionType:
    """Build the Python wrapper of a Go function from its description.

    A description is ``(fid, name, doc, params, variadic, result annotation,
    Go signature, fast kind or None, result mode, borrowed parameter indexes,
    takes a context)``,
    where each parameter is ``(name, Python type, Go type)``.
    """
    fid, name, doc, params, variadic, result, go_sig, fast_kind, mode, borrowed, takes_context = (
        desc
    )
    names = [p[0] for p in params]
    lent = frozenset(i for i, p in enumerate(params) if p[1] == "Callable")
    is_method = bool(qualname_prefix)
    namespace = _namespace(module, desc, fid)
    arity = len(params)
    if is_method:
        owner = qualname_prefix

        def not_self(obj: Any) -> TypeError:
            return TypeError(
                f"descriptor '{name}' for '{owner}' objects doesn't apply to a "
                f"'{type(obj).__name__}' object"
            )

        namespace["_not_self"] = not_self
    if fast_kind is not None and not (is_method and lent):
        fast = _slot_for(fast_kind, fid) if _has_slots(fast_kind.split("_")[0]) else None
        if is_method:
            # The receiver's handle is the entry's first argument.
            code = _template("fast_method", arity, False, fast is not None, mode=mode)
        elif lent:
            # Callables cross as the numbers they are lent under.
            code = _template("fast_callbacks", arity, False, fast is not None, lent, mode)
            _callbacks.attach_scalar_entries()
            namespace.update(
                _next=next,
                _calls=_callbacks.calls,
                _targets=_callbacks.targets,
                _finish_scoped=finish_scoped,
                _take_error=lib.gb_take_error,
            )
        else:
            code = _template("fast", arity, False, fast is not None, mode=mode)
        namespace.update(
            _fast=fast or getattr(lib, f"gb_fcall_{fast_kind}"),
            _sentinel=_SENTINELS[fast_kind[-1]],
            _pending=lib.gb_fast_error_pending,
            _raise_parked=raise_parked,
            _arg_error=_arg_error_maker(name, params),
        )
    elif is_method:
        code = _template("method", arity, variadic, False)
    elif takes_context:
        code = _template("context", arity, variadic, False)
        namespace["_call_context"] = _pending.call_with_context
    elif len(borrowed) == 1 and not variadic and not lent:
        code = _template("borrow1", arity, variadic, False, frozenset(borrowed))
        namespace.update(_from_buffer=ffi.from_buffer, _call_b1=lib.gb_call_b1)
    elif borrowed:
        code = _template("slow", arity, variadic, False)
    elif lent and not variadic:
        code = _template("callbacks", arity, variadic, False, lent)
        namespace.update(_Scope=_callbacks.Scope, _lend=_lend, _finish_scoped=finish_scoped)
    else:
        code = _template("generic", arity, variadic, False)
    varnames = list(code.co_varnames)
    offset = 1 if is_method else 0
    varnames[offset : offset + arity] = names
    qualname = f"{qualname_prefix}.{name}" if qualname_prefix else name
    if _HAS_QUALNAME:
        code = code.replace(co_name=name, co_qualname=qualname, co_varnames=tuple(varnames))
    else:
        code = code.replace(co_name=name, co_varnames=tuple(varnames))
    fn = FunctionType(code, namespace, name)
    if takes_context and not is_method:
        fn.__kwdefaults__ = {"timeout": None}
    fn.__qualname__ = qualname
    fn.__module__ = module
    fn.__doc__ = _docstring(name, params, variadic, result, doc, go_sig, is_method)
    annotations = {p[0]: p[1] for p in params}
    if result:
        annotations["return"] = result
    fn.__annotations__ = annotations
    fn.__text_signature__ = _text_signature(  # type: ignore[attr-defined]
        names, variadic, is_method, takes_context
    )
    if not is_method:
        fn.aio = _pending.Aio(fid, frozenset(borrowed), name, qualname)  # type: ignore[attr-defined]
    return fn


def forked_or_unloaded() -> Exception:
    """The error for a call the library could not even start."""
    if lib.gb_forked():
        return forked_error()
    return RuntimeError("the gobridge Go library is not loaded")


def _text_signature(names: list[str], variadic: bool, is_method: bool, takes_context: bool) -> str:
    parts = (["self"] if is_method else []) + names
    if variadic and names:
        parts[-1] = "*" + parts[-1]
    if takes_context:
        parts += ["*", "timeout=None"] if not variadic else ["timeout=None"]
    return "(" + ", ".join(parts) + ")"


def _docstring(
    name: str,
    params: list[tuple[str, str, str]],
    variadic: bool,
    result: str,
    doc: str | None,
    go_sig: str | None,
    is_method: bool,
) -> str:
    parts = [
        f"{'*' if variadic and i == len(params) - 1 else ''}{p[0]}: {p[1]}"
        for i, p in enumerate(params)
    ]
    if is_method:
        parts.insert(0, "self")
    head = f"{name}({', '.join(parts)}) -> {result or 'None'}"
    lines = [head]
    if doc:
        lines += ["", doc.strip()]
    if go_sig:
        lines += ["", f"Go: {go_sig}"]
    return "\n".join(lines)


# At the end, because _objects imports this module too; not in decode, where
# the import would run through whatever import state the caller has set up
# (gobridge.__import__ calls Go while a test has replaced sys.meta_path).
from . import _objects  # noqa: E402
