"""Whether the running code is in a sub-interpreter, where Go cannot be loaded."""

import sys


def in_subinterpreter() -> bool:
    """Whether this code runs in a sub-interpreter rather than the main one.

    CPython's public C API answers this (``PyInterpreterState_Get``), but a
    cffi function always runs with the GIL released, where that call is
    undefined, so the answer comes from ``_thread`` (3.12 on), or the
    interpreters module of the running version (``_xxsubinterpreters``
    before), or, where that is not built, from the C API through ctypes.
    """
    import _thread

    is_main = getattr(_thread, "_is_main_interpreter", None)
    if is_main is not None:  # 3.12 on: built in, where the modules below are extensions to load
        return not is_main()
    if sys.version_info >= (3, 13):
        name = "_interpreters"
    else:
        name = "_xxsubinterpreters"
    try:
        interpreters = __import__(name)
    except ImportError:
        return in_subinterpreter_capi()
    current, main = interpreters.get_current(), interpreters.get_main()
    if type(current) is tuple:  # 3.13: (id, how it was created)
        current, main = current[0], main[0]
    return int(current) != int(main)


def in_subinterpreter_capi() -> bool:
    """``in_subinterpreter`` from the C API: the main interpreter's ID is 0."""
    try:
        import ctypes  # costs milliseconds, hence only where no module answers
    except ImportError:
        # Not built, or refused by a sub-interpreter with a GIL of its own,
        # which refuses gobridge's cffi extension as well.
        return False

    api = ctypes.pythonapi  # calls hold the GIL, as these functions need
    api.PyInterpreterState_Get.restype = ctypes.c_void_p
    api.PyInterpreterState_GetID.argtypes = [ctypes.c_void_p]
    api.PyInterpreterState_GetID.restype = ctypes.c_int64
    return bool(api.PyInterpreterState_GetID(api.PyInterpreterState_Get()) != 0)
