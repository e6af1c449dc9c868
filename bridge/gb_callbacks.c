/* Go calling Python: see gb_callbacks.h. */

#include "gb_stable.h"

#include <string.h>

#include "gb_callbacks.h"

/* A lent callable's number: the call it was lent for in the high bits, its
   index among that call's callables in the low GB_CALL_BITS (see
   gobridge._callbacks). */
#define GB_CALL_BITS 16

/* The statuses of a scalar callback besides GB_OK and GB_ERROR: the
   callable is no longer lent (gobridge._callbacks._stale), and its result
   did not convert (go/internal/bridge's Unconverted). */
#define GB_STALE 5
#define GB_UNCONVERTED 6

/* gobridge._callbacks' tables: _targets, the lent callables by number;
   _raised, the calls whose callable raised; _unconverted, the results kept
   for Go to ask about; and its functions _stale and _record. */
static PyObject *gb_cb_targets, *gb_cb_raised, *gb_cb_unconverted, *gb_cb_stale,
    *gb_cb_record;

int
gb_callbacks_init(void)
{
    int rc = -1;
    PyGILState_STATE gil = PyGILState_Ensure();
    /* Taken from sys.modules rather than imported: importing could run
       gobridge's own __import__, which needs Go. */
    PyObject *mod = PyDict_GetItemString(PyImport_GetModuleDict(), "gobridge._callbacks");
    if (mod != NULL) {
        Py_INCREF(mod);
        gb_cb_targets = PyObject_GetAttrString(mod, "_targets");
        gb_cb_raised = PyObject_GetAttrString(mod, "_raised");
        gb_cb_unconverted = PyObject_GetAttrString(mod, "_unconverted");
        gb_cb_stale = PyObject_GetAttrString(mod, "_stale");
        gb_cb_record = PyObject_GetAttrString(mod, "_record");
        Py_DECREF(mod);
        if (gb_cb_targets && gb_cb_raised && gb_cb_unconverted && gb_cb_stale && gb_cb_record) {
            rc = 0;
        }
    }
    if (rc) {
        PyErr_Clear();
    }
    PyGILState_Release(gil);
    return rc;
}

/* scalar_arg converts a raw argument of the given kind. */
static PyObject *
scalar_arg(char kind, uint64_t raw)
{
    double d;
    switch (kind) {
    case 'i':
        return PyLong_FromLongLong((long long)raw);
    case 'u':
        return PyLong_FromUnsignedLongLong(raw);
    default:
        memcpy(&d, &raw, 8);
        return PyFloat_FromDouble(d);
    }
}

/* scalar_result converts what the callable returned as the result kind
   says; 0 when it does not fit. */
static int
scalar_result(char kind, PyObject *value, uint64_t *out)
{
    switch (kind) {
    case 'v':
        *out = 0;
        return 1;
    case 'b':
        if (value != Py_True && value != Py_False) {
            return 0;
        }
        *out = value == Py_True;
        return 1;
    case 'd': {
        if (!PyFloat_Check(value) && !PyLong_Check(value)) {
            return 0;
        }
        double d = PyFloat_AsDouble(value);
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        memcpy(out, &d, 8);
        return 1;
    }
    case 'i': {
        if (!PyLong_Check(value)) {
            return 0;
        }
        long long n = PyLong_AsLongLong(value);
        if (n == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        *out = (uint64_t)n;
        return 1;
    }
    default: {
        if (!PyLong_Check(value)) {
            return 0;
        }
        unsigned long long n = PyLong_AsUnsignedLongLong(value);
        if (n == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        *out = n;
        return 1;
    }
    }
}

/* failed_before reports whether an earlier callable of target's call
   raised: the call then skips the rest, as the general path does. */
static int
failed_before(uint64_t target)
{
    if (PyDict_Size(gb_cb_raised) == 0) {
        return 0;
    }
    PyObject *call = PyLong_FromUnsignedLongLong(target & ~(((uint64_t)1 << GB_CALL_BITS) - 1));
    int found = call ? PyDict_Contains(gb_cb_raised, call) : -1;
    Py_XDECREF(call);
    if (found < 0) {
        PyErr_Clear();
    }
    return found != 0;
}

/* record_error keeps the error being raised with its call, for Python to
   raise when the Go call returns. */
static void
record_error(PyObject *key)
{
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    if (exc && tb) {
        PyException_SetTraceback(exc, tb);
    }
    if (exc && key) {
        PyObject *r = PyObject_CallFunctionObjArgs(gb_cb_record, key, exc, NULL);
        Py_XDECREF(r);
        if (r == NULL) {
            PyErr_Clear();
        }
    }
    Py_XDECREF(type);
    Py_XDECREF(exc);
    Py_XDECREF(tb);
}

/* call_lent calls fn, lent as key, with the raw arguments a0 and a1 of
   kinds args ("" for none), and converts its result of kind result into
   out; it returns the status for Go, with the GIL held. */
static int32_t
call_lent(PyObject *fn, PyObject *key, const char *args, char result, uint64_t a0, uint64_t a1,
          uint64_t *out)
{
    int nargs = (int)strlen(args);
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL) {
        goto failed;
    }
    for (int i = 0; i < nargs; i++) {
        PyObject *arg = scalar_arg(args[i], i == 0 ? a0 : a1);
        if (arg == NULL) {
            Py_DECREF(tuple);
            goto failed;
        }
        PyTuple_SetItem(tuple, i, arg);
    }
    PyObject *value = PyObject_Call(fn, tuple, NULL);
    Py_DECREF(tuple);
    if (value == NULL) {
        goto failed;
    }
    int32_t status = GB_OK;
    if (!scalar_result(result, value, out)) {
        status = GB_UNCONVERTED;
        if (PyDict_SetItem(gb_cb_unconverted, key, value) < 0) {
            Py_DECREF(value);
            goto failed;
        }
    }
    Py_DECREF(value);
    return status;
failed:
    record_error(key);
    return GB_ERROR;
}

/* scalar_call is every scalar entry: it calls the callable lent as target
   and returns the status for Go. */
static int32_t
scalar_call(uint64_t target, const char *args, char result, uint64_t a0, uint64_t a1,
            uint64_t *out)
{
    int32_t status = GB_ERROR;
    *out = 0;
    if (!Py_IsInitialized() || gb_cb_targets == NULL) {
        return GB_NOT_LOADED;
    }
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *key = PyLong_FromUnsignedLongLong(target);
    if (key == NULL) {
        record_error(NULL);
        goto done;
    }
    PyObject *fn = PyDict_GetItemWithError(gb_cb_targets, key); /* borrowed */
    if (fn == NULL) {
        if (PyErr_Occurred()) {
            record_error(key);
            goto done;
        }
        PyObject *r = PyObject_CallObject(gb_cb_stale, NULL);
        Py_XDECREF(r);
        if (r == NULL) {
            PyErr_Clear();
        }
        status = GB_STALE;
        goto done;
    }
    if (failed_before(target)) {
        goto done;
    }
    Py_INCREF(fn);
    status = call_lent(fn, key, args, result, a0, a1, out);
    Py_DECREF(fn);
done:
    Py_XDECREF(key);
    PyGILState_Release(gil);
    return status;
}

/* The scalar entries, one per kind: gb_scalar_<arguments>_<result>. */
#define GB_ARG_KINDS(args) (args[0] == 'v' ? "" : args)
#define GB_DEFINE_SCALAR_ENTRY(args, result) \
    static int32_t gb_scalar_##args##_##result(uint64_t target, uint64_t a0, uint64_t a1, \
                                              uint64_t *out) \
    { \
        return scalar_call(target, GB_ARG_KINDS(#args), #result[0], a0, a1, out); \
    }
GB_SCALAR_KINDS(GB_DEFINE_SCALAR_ENTRY)
#undef GB_DEFINE_SCALAR_ENTRY

#define GB_SCALAR_ENTRY(args, result) gb_scalar_##args##_##result,
static const gobridge_scalar_entry gb_scalar_entries[] = {GB_SCALAR_KINDS(GB_SCALAR_ENTRY)};
#undef GB_SCALAR_ENTRY

const gobridge_host gb_host = {
    gb_py_invoke,
    sizeof gb_scalar_entries / sizeof gb_scalar_entries[0],
    gb_scalar_entries,
};
