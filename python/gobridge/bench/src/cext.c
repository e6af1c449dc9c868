/* _gb_bench_cext: the hand-written CPython extension baseline, the floor of
   what calling Go from Python can cost. It calls the bare exports of the
   benchmark library (src/main.go) directly, converts arguments with the C
   API's fastest routines and, like every gobridge call, releases the GIL
   around each Go call. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *data; size_t len; } bare_buf;
extern void bare_nop(void);
extern int64_t bare_add(int64_t a, int64_t b);
extern int64_t bare_ones_count64(uint64_t x);
extern uint64_t bare_rotate_left64(uint64_t x, int64_t k);
extern bare_buf bare_to_upper(char *s, size_t n);
extern void bare_sum256(void *p, size_t n, unsigned char *out);
extern int64_t bare_sum_ints(int64_t *xs, size_t n);
extern int64_t bare_dict_sum(char *keys, size_t *lens, int64_t *vals, size_t n);
extern uintptr_t bare_new_box(int64_t n);
extern void bare_free_box(uintptr_t h);
extern int64_t bare_box_scale(uintptr_t h, int64_t x);
extern bare_buf bare_box_label(uintptr_t h, char *s, size_t n);

static PyObject *nop(PyObject *self, PyObject *unused) {
    Py_BEGIN_ALLOW_THREADS
    bare_nop();
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *add(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "add() takes 2 arguments");
        return NULL;
    }
    int64_t a = PyLong_AsLongLong(args[0]);
    if (a == -1 && PyErr_Occurred()) return NULL;
    int64_t b = PyLong_AsLongLong(args[1]);
    if (b == -1 && PyErr_Occurred()) return NULL;
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_add(a, b);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(r);
}

static PyObject *ones_count64(PyObject *self, PyObject *arg) {
    uint64_t x = PyLong_AsUnsignedLongLong(arg);
    if (x == (uint64_t)-1 && PyErr_Occurred()) return NULL;
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_ones_count64(x);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(r);
}

static PyObject *rotate_left64(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "rotate_left64() takes 2 arguments");
        return NULL;
    }
    uint64_t x = PyLong_AsUnsignedLongLong(args[0]);
    if (x == (uint64_t)-1 && PyErr_Occurred()) return NULL;
    int64_t k = PyLong_AsLongLong(args[1]);
    if (k == -1 && PyErr_Occurred()) return NULL;
    uint64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_rotate_left64(x, k);
    Py_END_ALLOW_THREADS
    return PyLong_FromUnsignedLongLong(r);
}

/* str_of takes a UTF-8 result Go malloc'd and returns it as a str. */
static PyObject *str_of(bare_buf r) {
    PyObject *out = PyUnicode_DecodeUTF8(r.data, (Py_ssize_t)r.len, "strict");
    free(r.data);
    return out;
}

static PyObject *to_upper(PyObject *self, PyObject *arg) {
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &n);
    if (s == NULL) return NULL;
    bare_buf r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_to_upper((char *)s, (size_t)n);
    Py_END_ALLOW_THREADS
    return str_of(r);
}

static PyObject *sum256(PyObject *self, PyObject *arg) {
    Py_buffer view;
    unsigned char digest[32];
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    Py_BEGIN_ALLOW_THREADS
    bare_sum256(view.buf, (size_t)view.len, digest);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return PyBytes_FromStringAndSize((const char *)digest, sizeof digest);
}

static PyObject *sum_ints(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "sum_ints() needs a list");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int64_t small[64];
    int64_t *xs = n <= 64 ? small : PyMem_Malloc(sizeof(int64_t) * (size_t)n);
    if (xs == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        xs[i] = PyLong_AsLongLong(items[i]);
        if (xs[i] == -1 && PyErr_Occurred()) {
            if (xs != small) PyMem_Free(xs);
            Py_DECREF(seq);
            return NULL;
        }
    }
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_sum_ints(xs, (size_t)n);
    Py_END_ALLOW_THREADS
    if (xs != small) PyMem_Free(xs);
    Py_DECREF(seq);
    return PyLong_FromLongLong(r);
}

static PyObject *dict_sum(PyObject *self, PyObject *arg) {
    if (!PyDict_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "dict_sum() needs a dict");
        return NULL;
    }
    Py_ssize_t n = PyDict_GET_SIZE(arg), pos = 0, i = 0, total = 0;
    PyObject *key, *value;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        Py_ssize_t len;
        if (PyUnicode_AsUTF8AndSize(key, &len) == NULL) return NULL;
        total += len;
    }
    char *keys = PyMem_Malloc((size_t)total + 1);
    size_t *lens = PyMem_Malloc(sizeof(size_t) * (size_t)(n + 1));
    int64_t *vals = PyMem_Malloc(sizeof(int64_t) * (size_t)(n + 1));
    PyObject *out = NULL;
    if (keys == NULL || lens == NULL || vals == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    char *at = keys;
    pos = 0;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        Py_ssize_t len;
        const char *k = PyUnicode_AsUTF8AndSize(key, &len);
        memcpy(at, k, (size_t)len);
        at += len;
        lens[i] = (size_t)len;
        vals[i] = PyLong_AsLongLong(value);
        if (vals[i] == -1 && PyErr_Occurred()) goto done;
        i++;
    }
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_dict_sum(keys, lens, vals, (size_t)n);
    Py_END_ALLOW_THREADS
    out = PyLong_FromLongLong(r);
done:
    PyMem_Free(keys);
    PyMem_Free(lens);
    PyMem_Free(vals);
    return out;
}

/* Box: a Go benchmod.Box held by its cgo handle, with its methods. */
typedef struct {
    PyObject_HEAD
    uintptr_t handle;
} BoxObject;

static PyObject *Box_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    long long n;
    if (!PyArg_ParseTuple(args, "L:Box", &n)) return NULL;
    BoxObject *self = (BoxObject *)type->tp_alloc(type, 0);
    if (self != NULL) self->handle = bare_new_box(n);
    return (PyObject *)self;
}

static void Box_dealloc(PyObject *self) {
    bare_free_box(((BoxObject *)self)->handle);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *Box_scale(PyObject *self, PyObject *arg) {
    int64_t x = PyLong_AsLongLong(arg);
    if (x == -1 && PyErr_Occurred()) return NULL;
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_box_scale(((BoxObject *)self)->handle, x);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(r);
}

static PyObject *Box_label(PyObject *self, PyObject *arg) {
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &n);
    if (s == NULL) return NULL;
    bare_buf r;
    Py_BEGIN_ALLOW_THREADS
    r = bare_box_label(((BoxObject *)self)->handle, (char *)s, (size_t)n);
    Py_END_ALLOW_THREADS
    return str_of(r);
}

static PyMethodDef Box_methods[] = {
    {"scale", Box_scale, METH_O, NULL},
    {"label", Box_label, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject BoxType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_gb_bench_cext.Box",
    .tp_basicsize = sizeof(BoxObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Box_new,
    .tp_dealloc = Box_dealloc,
    .tp_methods = Box_methods,
};

static PyMethodDef methods[] = {
    {"nop", nop, METH_NOARGS, NULL},
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, NULL},
    {"ones_count64", ones_count64, METH_O, NULL},
    {"rotate_left64", (PyCFunction)(void (*)(void))rotate_left64, METH_FASTCALL, NULL},
    {"to_upper", to_upper, METH_O, NULL},
    {"sum256", sum256, METH_O, NULL},
    {"sum_ints", sum_ints, METH_O, NULL},
    {"dict_sum", dict_sum, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_gb_bench_cext",
    "Hand-written C extension calling the benchmark library's bare exports.", -1, methods,
};

PyMODINIT_FUNC PyInit__gb_bench_cext(void) {
    if (PyType_Ready(&BoxType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&BoxType);
    if (PyModule_AddObject(m, "Box", (PyObject *)&BoxType) < 0) {
        Py_DECREF(&BoxType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
