"""The common templates of ``gobridge._functions``, compiled with the package.

Generated from ``_functions._TEMPLATES`` by ``_functions.precompiled_source()``;
do not edit (tests/test_lazy_modules.py checks it is up to date).
"""
# ruff: noqa
# mypy: ignore-errors
# fmt: off

def _generic_0():
    try:
        _gb_d = _dumps((), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, ())
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_1(p0):
    try:
        _gb_d = _dumps((p0,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0,))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_2(p0, p1):
    try:
        _gb_d = _dumps((p0, p1), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0, p1))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_3(p0, p1, p2):
    try:
        _gb_d = _dumps((p0, p1, p2), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0, p1, p2))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_4(p0, p1, p2, p3):
    try:
        _gb_d = _dumps((p0, p1, p2, p3), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0, p1, p2, p3))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_5(p0, p1, p2, p3, p4):
    try:
        _gb_d = _dumps((p0, p1, p2, p3, p4), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0, p1, p2, p3, p4))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_1_v(*p0):
    try:
        _gb_d = _dumps((*p0,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (*p0,))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_2_v(p0, *p1):
    try:
        _gb_d = _dumps((p0, *p1,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0, *p1,))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _generic_3_v(p0, p1, *p2):
    try:
        _gb_d = _dumps((p0, p1, *p2,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, 0, _borrow, (p0, p1, *p2,))
    _gb_r = _call(_fid, 0, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_0(self):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, ())
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_1(self, p0):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((p0,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (p0,))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_2(self, p0, p1):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((p0, p1), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (p0, p1))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_3(self, p0, p1, p2):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((p0, p1, p2), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (p0, p1, p2))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_4(self, p0, p1, p2, p3):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((p0, p1, p2, p3), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (p0, p1, p2, p3))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_5(self, p0, p1, p2, p3, p4):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((p0, p1, p2, p3, p4), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (p0, p1, p2, p3, p4))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_1_v(self, *p0):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((*p0,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (*p0,))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _method_2_v(self, p0, *p1):
    try:
        _gb_h = self._gb_handle
    except AttributeError:
        _gb_h = None
    if _gb_h is None:
        raise _not_self(self)
    try:
        _gb_d = _dumps((p0, *p1,), 2)
    except ValueError:
        _gb_d = None
    if _gb_d is None:  # outside the except block, so no exception context leaks
        return _slow(_fid, _gb_h, _borrow, (p0, *p1,))
    _gb_r = _call(_fid, _gb_h, _gb_d, len(_gb_d), _NULL, 0)
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _borrow1_1_0(p0):
    try:
        _gb_b = _from_buffer(p0)
    except TypeError:  # not bytes-like: Go names the parameter and the type
        _gb_b = None
    if _gb_b is None:
        return _slow(_fid, 0, _borrow, (p0,))
    _gb_d = _dumps(((..., 0),), 2)
    _gb_r = _call_b1(_fid, 0, _gb_d, len(_gb_d), _gb_b, len(_gb_b))
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _borrow1_2_0(p0, p1):
    try:
        _gb_b = _from_buffer(p0)
    except TypeError:  # not bytes-like: Go names the parameter and the type
        _gb_b = None
    if _gb_b is None:
        return _slow(_fid, 0, _borrow, (p0, p1))
    _gb_d = _dumps(((..., 0), p1), 2)
    _gb_r = _call_b1(_fid, 0, _gb_d, len(_gb_d), _gb_b, len(_gb_b))
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

def _borrow1_2_1(p0, p1):
    try:
        _gb_b = _from_buffer(p1)
    except TypeError:  # not bytes-like: Go names the parameter and the type
        _gb_b = None
    if _gb_b is None:
        return _slow(_fid, 0, _borrow, (p0, p1))
    _gb_d = _dumps((p0, (..., 0)), 2)
    _gb_r = _call_b1(_fid, 0, _gb_d, len(_gb_d), _gb_b, len(_gb_b))
    if _gb_r.status == 0:
        _gb_v = _loads(_unpack(_gb_r.data, _gb_r.len))
        _free(_gb_r.data)
        return _gb_v
    return _finish(_gb_r)

TEMPLATES = {
    ('generic', 0, False, frozenset()): _generic_0,
    ('generic', 1, False, frozenset()): _generic_1,
    ('generic', 2, False, frozenset()): _generic_2,
    ('generic', 3, False, frozenset()): _generic_3,
    ('generic', 4, False, frozenset()): _generic_4,
    ('generic', 5, False, frozenset()): _generic_5,
    ('generic', 1, True, frozenset()): _generic_1_v,
    ('generic', 2, True, frozenset()): _generic_2_v,
    ('generic', 3, True, frozenset()): _generic_3_v,
    ('method', 0, False, frozenset()): _method_0,
    ('method', 1, False, frozenset()): _method_1,
    ('method', 2, False, frozenset()): _method_2,
    ('method', 3, False, frozenset()): _method_3,
    ('method', 4, False, frozenset()): _method_4,
    ('method', 5, False, frozenset()): _method_5,
    ('method', 1, True, frozenset()): _method_1_v,
    ('method', 2, True, frozenset()): _method_2_v,
    ('borrow1', 1, False, frozenset({0})): _borrow1_1_0,
    ('borrow1', 2, False, frozenset({0})): _borrow1_2_0,
    ('borrow1', 2, False, frozenset({1})): _borrow1_2_1,
}
