/* The C API gobridge's C layer is built against: the limited API of
   CPython 3.9, so that one abi3 build serves 3.9 and every later version,
   plus the few functions and flags below.

   Each of them is exported, with the ABI given here, by every CPython from
   3.9 on, and a later version made it part of the stable ABI unchanged:
   vectorcall and method descriptors (PEP 590; stable in 3.12),
   PyUnicode_AsUTF8AndSize (3.10), and the buffer protocol (3.11).
   PyMethod_New, which binds a GoMethod to an object, and PyUnicode_New
   are exported by every CPython 3 (3.3 on) but were never made part of
   the limited API. They are declared here only when the headers of the
   targeted limited API leave them out. */
#ifndef GB_STABLE_H
#define GB_STABLE_H

#define PY_SSIZE_T_CLEAN
#ifndef Py_LIMITED_API
#define Py_LIMITED_API 0x03090000
#endif
#include <Python.h>
#include <structmember.h>

#include <stdint.h>

/* From 3.13 on, CPython's headers return None, True and False without a
   new reference whatever limited API is targeted, since they are immortal
   from 3.12 on. They are not on 3.9 to 3.11, which this build also serves:
   there a borrowed return frees None after enough calls. */
#undef Py_RETURN_NONE
#undef Py_RETURN_TRUE
#undef Py_RETURN_FALSE
#define Py_RETURN_NONE do { Py_INCREF(Py_None); return Py_None; } while (0)
#define Py_RETURN_TRUE do { Py_INCREF(Py_True); return Py_True; } while (0)
#define Py_RETURN_FALSE do { Py_INCREF(Py_False); return Py_False; } while (0)

/* Type checks that test the exact built-in type by pointer before asking
   for the type's flags: under the limited API PyLong_Check and its kin are
   a call of PyType_GetFlags, which costs a list of ints more than reading
   its items. Subclasses still pass, through the flags. */
#define GB_INT_CHECK(o) (Py_IS_TYPE((o), &PyLong_Type) || PyLong_Check(o))
#define GB_FLOAT_CHECK(o) (Py_IS_TYPE((o), &PyFloat_Type) || PyFloat_Check(o))
#define GB_STR_CHECK(o) (Py_IS_TYPE((o), &PyUnicode_Type) || PyUnicode_Check(o))
#define GB_LIST_CHECK(o) (Py_IS_TYPE((o), &PyList_Type) || PyList_Check(o))
#define GB_TUPLE_CHECK(o) (Py_IS_TYPE((o), &PyTuple_Type) || PyTuple_Check(o))
#define GB_DICT_CHECK(o) (Py_IS_TYPE((o), &PyDict_Type) || PyDict_Check(o))

typedef PyObject *(*gb_vectorcallfunc)(PyObject *callable, PyObject *const *args,
                                       size_t nargsf, PyObject *kwnames);

#define GB_VECTORCALL_ARGUMENTS_OFFSET ((size_t)1 << (8 * sizeof(size_t) - 1))
#define GB_TPFLAGS_HAVE_VECTORCALL (1UL << 11)
#define GB_TPFLAGS_METHOD_DESCRIPTOR (1UL << 17)
/* Py_TPFLAGS_IMMUTABLETYPE from 3.10 on, where CPython specialises a
   method call only when the descriptor's type has it; 3.9 has no flag at
   this bit. */
#define GB_TPFLAGS_IMMUTABLETYPE (1UL << 8)

#if Py_LIMITED_API + 0 < 0x030c0000
PyAPI_FUNC(PyObject *) PyVectorcall_Call(PyObject *callable, PyObject *tuple, PyObject *dict);
#endif

/* Exported by every CPython 3, though not part of the limited API. */
PyAPI_FUNC(PyObject *) PyMethod_New(PyObject *func, PyObject *self);
/* Exported by every CPython from 3.3 on, never part of the limited API:
   the C layer makes the str of a large ASCII result with it, for Go to
   fill (see build_result in gb_function.c). */
PyAPI_FUNC(PyObject *) PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar);

#if Py_LIMITED_API + 0 < 0x030a0000
PyAPI_FUNC(const char *) PyUnicode_AsUTF8AndSize(PyObject *unicode, Py_ssize_t *size);
#endif

#if Py_LIMITED_API + 0 < 0x030b0000
typedef struct {
    void *buf;
    PyObject *obj;
    Py_ssize_t len;
    Py_ssize_t itemsize;
    int readonly;
    int ndim;
    char *format;
    Py_ssize_t *shape;
    Py_ssize_t *strides;
    Py_ssize_t *suboffsets;
    void *internal;
} Py_buffer;

#define PyBUF_SIMPLE 0

PyAPI_FUNC(int) PyObject_GetBuffer(PyObject *obj, Py_buffer *view, int flags);
PyAPI_FUNC(void) PyBuffer_Release(Py_buffer *view);
#endif

#endif
