"""Go objects as instances of Python classes.

A Go value of a struct type, or a pointer to one, reaches Python as a
handle: a number the library maps back to the value. Each Go type gets one
Python class, built from the library's description of it on first use:
methods become methods, exported fields become properties, ``String()``
becomes ``__str__`` (and no ``string`` method) and Go's ``==`` on struct
values becomes ``__eq__``.
One Go pointer is one Python object: the library lends the same pointer
under the same handle, and this module keeps the live wrapper of each
handle. Collecting the wrapper gives the handle back.

A struct with exported fields only and no methods (a value struct) crosses
by value instead: its class is a ``GoValue``, whose instances hold a copy
of the fields as attributes, built by calling the class with the fields
(checked and converted by Go, each defaulting to its zero value) and passed
back to Go as the dict of their fields. A class whose Go type has a
constructor (``NewT``) calls it when called.
"""

from __future__ import annotations

from _weakref import ref  # weakref.ref; the weakref module costs start-up time

from ._ffi import call_layer, lib

TYPE_CHECKING = False  # typing costs milliseconds at start-up; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any


class GoObject:
    """Base class of every Python class that stands for a Go type."""

    __slots__ = ("_gb_handle", "__weakref__")
    _gb_is_go_object = True
    _gb_go_type = ""

    def __new__(cls, *args: Any, **kwargs: Any) -> GoObject:
        raise TypeError(
            f"cannot create '{cls.__module__}.{cls.__qualname__}' instances "
            "from Python; Go functions return them"
        )

    def __repr__(self) -> str:
        cls = type(self)
        if not getattr(self, "_gb_handle", 0):
            return f"<released {cls.__module__}.{cls.__qualname__} object>"
        text = ""
        if "__str__" in cls.__dict__:
            text = " " + str(self)
        return f"<{cls.__module__}.{cls.__qualname__}{text} (Go {cls._gb_go_type})>"

    def __del__(self) -> None:
        handle = getattr(self, "_gb_handle", 0)
        if handle:
            self._gb_handle = 0
            _live.pop(handle, None)
            lib.gb_release(handle)

    # Pickling and copying go through the Go type's own marshalling
    # (gobridge._pickling); a type without it raises TypeError saying which
    # interfaces it lacks. Imported on use: most programs never pickle.
    def __reduce__(self) -> Any:
        from . import _pickling

        return _pickling.reduce(self)

    def __copy__(self) -> GoObject:
        from . import _pickling

        return _pickling.copy(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> GoObject:
        from . import _pickling

        return _pickling.copy(self)


# The live wrapper of each handle, by weak reference: a wrapper's __del__
# removes its entry.
_live: dict[int, ref[GoObject]] = {}
# The class of each Go type id.
_classes: dict[int, type[GoObject]] = {}


def _new_instance(cls: type[GoObject], handle: int) -> GoObject:
    obj = object.__new__(cls)
    obj._gb_handle = handle
    return obj


def wrap(handle: int, tid: int) -> GoObject:
    """The Python object for a handle the library lent to Python."""
    alive = _live.get(handle)
    obj = alive() if alive is not None else None
    if obj is not None:
        # The library counted a new loan of a handle Python already holds.
        lib.gb_release(handle)
        return obj
    cls = _classes.get(tid)
    if cls is None:
        cls = _make_class_of(tid)
    obj = _new_instance(cls, handle)
    _live[handle] = ref(obj)
    return obj


def adopt(value: Any) -> Any:
    """Replace the object markers ``(Ellipsis, "obj", handle, tid)`` and the
    value markers ``(Ellipsis, "val", tid, fields)`` in a value."""
    cls = type(value)
    if cls is tuple:
        if len(value) == 4 and value[0] is Ellipsis:
            if value[1] == "obj":
                return wrap(value[2], value[3])
            if value[1] == "val":
                return _value_instance(value[2], value[3])
        return tuple(adopt(v) for v in value)
    if cls is list:
        return [adopt(v) for v in value]
    if cls is dict:
        return {adopt(k): adopt(v) for k, v in value.items()}
    return value


class _LazyMethod:
    """A method whose wrapper is built on first use, then put in the class in
    its place, so that a class with many methods is cheap to create."""

    __slots__ = ("module", "owner", "desc", "__name__")

    def __init__(self, module: str, owner: str, desc: tuple[Any, ...]) -> None:
        self.module = module
        self.owner = owner
        self.desc = desc
        self.__name__ = desc[1]

    def build(self) -> Any:
        return call_layer.make_function(self.module, self.desc, qualname_prefix=self.owner)

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        fn = self.build()
        if cls is None:
            cls = type(obj)
        for klass in cls.__mro__:
            if klass.__dict__.get(self.__name__) is self:
                setattr(klass, self.__name__, fn)
                break
        return fn if obj is None else fn.__get__(obj, cls)


def _iter_self(self: GoObject) -> GoObject:
    return self


def _field_property(module: str, cls_name: str, field: tuple[Any, ...]) -> property:
    name, getter_fid, setter_fid, pytype = field

    def get(self: GoObject) -> Any:
        return call_layer.call_slow(getter_fid, self._gb_handle, frozenset(), ())

    def set_(self: GoObject, value: Any) -> None:
        call_layer.call_slow(setter_fid, self._gb_handle, frozenset(), (value,))

    get.__name__ = name
    get.__qualname__ = f"{cls_name}.{name}"
    get.__annotations__ = {"return": pytype}
    return property(get, set_ if setter_fid else None, doc=f"{name}: {pytype}")


class GoValue:
    """Base class of every Python class that stands for a Go value struct.

    Instances are plain Python values: their attributes are the struct's
    fields, ``==`` compares them field by field (and, as for a dataclass
    with ``eq=True``, instances are mutable and not hashable), ``repr``
    shows them, and pickling and copying rebuild the instance from them.
    """

    __slots__ = ()
    _gb_is_go_value = True
    _gb_fields: tuple[str, ...] = ()
    _gb_go_type = ""

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._gb_fields)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._gb_fields)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, n) for n in self._gb_fields))

    def _gb_as_dict(self) -> dict[str, Any]:
        """The fields by name: how an instance crosses to Go."""
        return {n: getattr(self, n) for n in self._gb_fields}


def _value_instance(tid: int, fields: tuple[Any, ...]) -> Any:
    cls: Any = _classes.get(tid)
    if cls is None:
        cls = _make_class_of(tid)
    obj = object.__new__(cls)
    for name, value in zip(cls._gb_fields, fields):
        setattr(obj, name, adopt(value))
    return obj


class _Constructor:
    """What calling a class calls: the Go constructor, whose wrapper is built
    on first use (its defaults may be instances of classes that the module
    binds after this one)."""

    __slots__ = ("module", "fid", "name", "fn")

    def __init__(self, module: str, fid: int, name: str) -> None:
        self.module = module
        self.fid = fid
        self.name = name
        self.fn: Any = None

    def get(self) -> Any:
        fn = self.fn
        if fn is None:
            fn = call_layer.make_function(self.module, call_layer.finish(lib.gb_describe(self.fid)))
            fn.__qualname__ = self.name
            self.fn = fn
        return fn

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        """``cls.__signature__``: the constructor's, without its result."""
        import inspect

        sig = inspect.signature(self.get())
        return sig.replace(return_annotation=inspect.Signature.empty)


def _constructor(ctor: _Constructor) -> Any:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        return ctor.get()(*args, **kwargs)

    __new__.__doc__ = f"Calls the Go constructor; {ctor.name}'s signature gives its parameters."
    return __new__


def _make_class_of(tid: int) -> Any:
    """The class of tid, met in a value before its module bound it."""
    module = call_layer.class_modules.get(tid, "gomod")
    return make_class(module, call_layer.finish(lib.gb_type_info(tid)))


def make_class(module: str, desc: tuple[Any, ...]) -> type[Any]:
    """Build (once per Go type) the class a description names.

    A description is ``(tid, name, doc, Go type, methods, fields, has String,
    eq fid or 0, constructor fid or 0, value fields or None)``.
    """
    tid, name, doc, go_type, methods, fields, has_string, eq_fid, ctor_fid, value_fields = desc
    existing = _classes.get(tid)
    if existing is not None:
        if existing.__module__ == "gomod" and module != "gomod":
            # Made for a value met before its module bound the class (a
            # module constant): the module that binds it is where pickle
            # finds it.
            existing.__module__ = module
        return existing
    if value_fields is not None:
        # A value struct's constructor takes its fields: there always is one.
        fields_ctor = _Constructor(module, ctor_fid, name)
        return _make_value_class(module, tid, name, doc, go_type, value_fields, fields_ctor)
    ctor = _Constructor(module, ctor_fid, name) if ctor_fid else None
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__module__": module,
        "__qualname__": name,
        "__doc__": doc or f"Go type {go_type}.",
        "_gb_go_type": go_type,
    }
    for method in methods:
        namespace[method[1]] = _LazyMethod(module, name, method)
    for field in fields:
        if field[0] not in namespace:
            namespace[field[0]] = _field_property(module, name, field)
    if "__next__" in namespace:
        namespace["__iter__"] = _iter_self
    # Special methods are looked up on the type by the interpreter: build
    # them now rather than lazily.
    if has_string and "__str__" in namespace:
        namespace["__str__"] = namespace["__str__"].build()
    if "__next__" in namespace:
        namespace["__next__"] = namespace["__next__"].build()
    if eq_fid:

        def __eq__(self: GoObject, other: object) -> Any:
            if not isinstance(other, GoObject):
                return NotImplemented
            return call_layer.call_slow(eq_fid, self._gb_handle, frozenset(), (other,))

        namespace["__eq__"] = __eq__
        namespace["__hash__"] = None
    if ctor is not None:
        namespace["__new__"] = _constructor(ctor)
        namespace["__signature__"] = ctor
    cls = type(name, (GoObject,), namespace)
    _classes[tid] = cls
    return cls


def _make_value_class(
    module: str,
    tid: int,
    name: str,
    doc: str,
    go_type: str,
    fields: list[tuple[str, str]],
    ctor: _Constructor,
) -> type[GoValue]:
    names = tuple(f[0] for f in fields)
    namespace: dict[str, Any] = {
        "__slots__": {n: f"{n}: {ann}" for n, ann in fields},  # the docs of the attributes
        "__module__": module,
        "__qualname__": name,
        "__doc__": doc,
        "__annotations__": dict(fields),
        "__new__": _constructor(ctor),
        "__signature__": ctor,
        "_gb_fields": names,
        "_gb_go_type": go_type,
    }
    cls = type(name, (GoValue,), namespace)
    _classes[tid] = cls
    return cls


def handle_count() -> int:
    """The number of Go objects Python holds."""
    return len(_live)


def release(obj: Any) -> None:
    """Return a Go object's handle to Go now; later use raises ValueError."""
    if not isinstance(obj, GoObject):
        raise TypeError(f"release() expects a Go object, not {type(obj).__name__}")
    handle = obj._gb_handle
    if handle:
        obj._gb_handle = 0
        _live.pop(handle, None)
        lib.gb_release(handle)
