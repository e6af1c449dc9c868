/* gobridge.GoFunction: see gb_function.h. */

#include "gb_stable.h"

#include <math.h>
#include <string.h>

#include "gb_function.h"
#include "gb_status.h"
#include "gb_traceback.h"

/* Frames of at most this many parameters and results take the fast path. */
#define GB_MAX_SLOTS 16
/* A scalar function's parameters: MaxFastArity in go/internal/bridge. */
#define GB_MAX_SCALAR_ARITY 2
/* Stack memory for a call's arguments and for its results. */
#define GB_ARG_WORDS 64
#define GB_RESULT_WORDS 64
#define GB_MAX_BLOCKS 8
#define GB_MAX_BUFFERS 4

typedef struct {
    PyObject_HEAD
    gb_vectorcallfunc vectorcall;
    PyObject *dict;
    uint64_t fid;
    PyObject *general;   /* the general path: a callable with the same signature */
    PyObject *names;     /* the parameters' names, a tuple of str, for keywords */
    PyObject *defaults;  /* the defaults of the last parameters, a tuple, maybe empty */
    int is_method;       /* the first argument is the Go object the method is called on */
    int scalar;          /* called through gb_invoke_scalar: numbers in, one out */
    int nparams;         /* not counting a method's receiver */
    int nlent;           /* parameters that take Python callables (layout K) */
    int nresults;
    int release_gil;
    /* The layout of each parameter and result: a letter, and for l and m
       the letter of the items. */
    char params[GB_MAX_SLOTS][2];
    char results[GB_MAX_SLOTS][2];
} gb_function;

/* Where a call's argument memory comes from: the stack, then blocks of its
   own. */
typedef struct {
    uint64_t stack[GB_ARG_WORDS];
    size_t used;
    void *blocks[GB_MAX_BLOCKS];
    int nblocks;
    Py_buffer buffers[GB_MAX_BUFFERS];
    int nbuffers;
} gb_arena;

static PyTypeObject *gb_function_type, *gb_method_type;
static PyObject *gb_handle_name;     /* "_gb_handle": a Go object's handle */
static PyObject *gb_hooks_module;   /* gobridge._functions, once a call needs it */
/* gobridge._callbacks' table of lent callables and the numbers of calls. */
static PyObject *gb_lent_targets, *gb_lent_calls;

/* ---- Arguments ---------------------------------------------------------- */

static void *
arena_alloc(gb_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n <= sizeof a->stack - a->used) {
        void *p = (char *)a->stack + a->used;
        a->used += n;
        return p;
    }
    if (a->nblocks == GB_MAX_BLOCKS) {
        return NULL;
    }
    void *p = PyMem_Malloc(n ? n : 1);
    if (p != NULL) {
        a->blocks[a->nblocks++] = p;
    }
    return p;
}

static void
arena_release(gb_arena *a)
{
    for (int i = 0; i < a->nblocks; i++) {
        PyMem_Free(a->blocks[i]);
    }
    for (int i = 0; i < a->nbuffers; i++) {
        PyBuffer_Release(&a->buffers[i]);
    }
}

/* The conversions below return 1 when the value converted and 0 when it
   does not fit the frame path, with no Python error set: the general path
   then converts it, and says precisely what is wrong. */

static int
scalar_word_general(char kind, PyObject *o, uint64_t *out)
{
    switch (kind) {
    case '?':
        if (o != Py_True && o != Py_False) {
            return 0;
        }
        *out = o == Py_True;
        return 1;
    case 'b': case 'h': case 'i': case 'q': {
        if (!GB_INT_CHECK(o)) {
            return 0;
        }
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow || (v == -1 && PyErr_Occurred())) {
            PyErr_Clear();
            return 0;
        }
        if ((kind == 'b' && (v < INT8_MIN || v > INT8_MAX))
            || (kind == 'h' && (v < INT16_MIN || v > INT16_MAX))
            || (kind == 'i' && (v < INT32_MIN || v > INT32_MAX))) {
            return 0;
        }
        *out = (uint64_t)v;
        return 1;
    }
    case 'B': case 'H': case 'I': case 'Q': {
        if (!GB_INT_CHECK(o)) {
            return 0;
        }
        unsigned long long v = PyLong_AsUnsignedLongLong(o);
        if (v == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        if ((kind == 'B' && v > UINT8_MAX) || (kind == 'H' && v > UINT16_MAX)
            || (kind == 'I' && v > UINT32_MAX)) {
            return 0;
        }
        *out = v;
        return 1;
    }
    case 'f': case 'd': {
        double d;
        if (GB_FLOAT_CHECK(o)) {
            d = PyFloat_AsDouble(o);
        }
        else if (GB_INT_CHECK(o)) {
            d = PyLong_AsDouble(o);
            if (d == -1.0 && PyErr_Occurred()) {
                PyErr_Clear();
                return 0;
            }
        }
        else {
            return 0;
        }
        if (kind == 'f' && isfinite(d) && isinf((float)d)) {
            return 0;
        }
        memcpy(out, &d, sizeof d);
        return 1;
    }
    }
    return 0;
}

/* scalar_word converts o to the 64-bit pattern of kind. An int64 or a
   uint64 from an int, the commonest cases, is converted inline, with the
   one call the limited API needs; its OverflowError then only sends the
   call to the general path, as any value that does not convert does. */
static inline int
scalar_word(char kind, PyObject *o, uint64_t *out)
{
    if (Py_IS_TYPE(o, &PyLong_Type)) {
        if (kind == 'q') {
            long long v = PyLong_AsLongLong(o);
            if (v == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                return 0;
            }
            *out = (uint64_t)v;
            return 1;
        }
        if (kind == 'Q') {
            unsigned long long v = PyLong_AsUnsignedLongLong(o);
            if (v == (unsigned long long)-1 && PyErr_Occurred()) {
                PyErr_Clear();
                return 0;
            }
            *out = v;
            return 1;
        }
    }
    return scalar_word_general(kind, o, out);
}

/* str_utf8 is the UTF-8 of a str, cached in the str object; NULL for
   anything else, and for a str that has none (a lone surrogate). */
static const char *
str_utf8(PyObject *o, Py_ssize_t *n)
{
    if (!GB_STR_CHECK(o)) {
        return NULL;
    }
    const char *s = PyUnicode_AsUTF8AndSize(o, n);
    if (s == NULL) {
        PyErr_Clear();
    }
    return s;
}

/* copy_str copies the UTF-8 of a str into the arena, for containers, whose
   items another thread may replace while Go runs without the GIL. */
static int
copy_str(gb_arena *a, PyObject *o, gobridge_slot *slot)
{
    Py_ssize_t n;
    const char *s = str_utf8(o, &n);
    if (s == NULL) {
        return 0;
    }
    char *p = arena_alloc(a, (size_t)n);
    if (p == NULL) {
        return 0;
    }
    memcpy(p, s, (size_t)n);
    slot->word = (uint64_t)(uintptr_t)p;
    slot->len = (uint64_t)n;
    return 1;
}

static inline int
item_slot(gb_arena *a, char kind, PyObject *o, void *at)
{
    if (kind == 's') {
        return copy_str(a, o, at);
    }
    return scalar_word(kind, o, at);
}

static size_t
item_size(char kind)
{
    return kind == 's' ? sizeof(gobridge_slot) : sizeof(uint64_t);
}

/* int64_items converts the n items of a list or tuple of ints to int64 in
   one loop: the common []int64 and []int, where a call per item for its
   kind costs as much as reading the item. */
static int
int64_items(PyObject *o, int is_list, Py_ssize_t n, int64_t *items)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = is_list ? PyList_GetItem(o, i) : PyTuple_GetItem(o, i);
        if (!GB_INT_CHECK(item)) {
            return 0;
        }
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(item, &overflow);
        if (overflow != 0 || (v == -1 && PyErr_Occurred())) {
            PyErr_Clear();
            return 0;
        }
        items[i] = v;
    }
    return 1;
}

static int
list_slot(gb_arena *a, char kind, PyObject *o, gobridge_slot *slot)
{
    int is_list = GB_LIST_CHECK(o);
    if (!is_list && !GB_TUPLE_CHECK(o)) {
        return 0;
    }
    Py_ssize_t n = is_list ? PyList_Size(o) : PyTuple_Size(o);
    char *items = arena_alloc(a, (size_t)n * item_size(kind));
    if (items == NULL) {
        return 0;
    }
    if (kind == 'q') {
        if (!int64_items(o, is_list, n, (int64_t *)(void *)items)) {
            return 0;
        }
    }
    else {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = is_list ? PyList_GetItem(o, i) : PyTuple_GetItem(o, i);
            if (!item_slot(a, kind, item, items + (size_t)i * item_size(kind))) {
                return 0;
            }
        }
    }
    slot->word = (uint64_t)(uintptr_t)items;
    slot->len = (uint64_t)n;
    return 1;
}

/* A dict crosses as its keys' slots followed by its values. */
static int
dict_slot(gb_arena *a, char kind, PyObject *o, gobridge_slot *slot)
{
    if (!GB_DICT_CHECK(o)) {
        return 0;
    }
    Py_ssize_t n = PyDict_Size(o), pos = 0, i = 0;
    gobridge_slot *keys = arena_alloc(a, (size_t)n * (sizeof(gobridge_slot) + item_size(kind)));
    if (keys == NULL) {
        return 0;
    }
    char *values = (char *)(keys + n);
    PyObject *key, *value;
    while (PyDict_Next(o, &pos, &key, &value)) {
        if (!copy_str(a, key, &keys[i])
            || !item_slot(a, kind, value, values + (size_t)i * item_size(kind))) {
            return 0;
        }
        i++;
    }
    slot->word = (uint64_t)(uintptr_t)keys;
    slot->len = (uint64_t)n;
    return 1;
}

static int
buffer_slot(gb_arena *a, PyObject *o, gobridge_slot *slot)
{
    if (PyBytes_Check(o)) {
        char *p;
        Py_ssize_t n;
        if (PyBytes_AsStringAndSize(o, &p, &n) < 0) {
            PyErr_Clear();
            return 0;
        }
        slot->word = (uint64_t)(uintptr_t)p;
        slot->len = (uint64_t)n;
        return 1;
    }
    if (a->nbuffers == GB_MAX_BUFFERS) {
        return 0;
    }
    Py_buffer *view = &a->buffers[a->nbuffers];
    if (PyObject_GetBuffer(o, view, PyBUF_SIMPLE) < 0) {
        PyErr_Clear();
        return 0;
    }
    a->nbuffers++;
    slot->word = (uint64_t)(uintptr_t)view->buf;
    slot->len = (uint64_t)view->len;
    return 1;
}

static int
arg_slot(gb_arena *a, const char *layout, PyObject *o, gobridge_slot *slot)
{
    switch (layout[0]) {
    case 's': {
        Py_ssize_t n;
        const char *s = str_utf8(o, &n);
        if (s == NULL) {
            return 0;
        }
        /* The caller holds the str for the whole call. */
        slot->word = (uint64_t)(uintptr_t)s;
        slot->len = (uint64_t)n;
        return 1;
    }
    case 'y': case 'Y':
        return buffer_slot(a, o, slot);
    case 'l':
        return list_slot(a, layout[1], o, slot);
    case 'm':
        return dict_slot(a, layout[1], o, slot);
    }
    slot->len = 0;
    return scalar_word(layout[0], o, &slot->word);
}

/* ---- Results ------------------------------------------------------------ */

static PyObject *
scalar_object(char kind, uint64_t w)
{
    switch (kind) {
    case '?':
        return PyBool_FromLong(w != 0);
    case 'B': case 'H': case 'I': case 'Q':
        return PyLong_FromUnsignedLongLong(w);
    case 'f': case 'd': {
        double d;
        memcpy(&d, &w, sizeof d);
        return PyFloat_FromDouble(d);
    }
    }
    return PyLong_FromLongLong((long long)w);
}

static PyObject *
item_object(char kind, const char *at)
{
    if (kind == 's') {
        const gobridge_slot *s = (const gobridge_slot *)at;
        return PyUnicode_DecodeUTF8((const char *)(uintptr_t)s->word, (Py_ssize_t)s->len,
                                    "strict");
    }
    uint64_t w;
    memcpy(&w, at, sizeof w);
    return scalar_object(kind, w);
}

/* Large str and bytes results are built in place (frame.h's
   gobridge_builder): Go asks, while it writes the results and usually
   without the GIL, for the Python object of a result's length, and copies
   the bytes straight into it. The object's memory is C memory that Go only
   writes during the call, as cgo's rules allow. */

/* Where a compact ASCII str's characters start, from its address: measured
   once on a str of CPython's own, as the limited API has no macro for it;
   0 when it could not be, and then no result is built in place. */
static Py_ssize_t gb_ascii_offset;

static gobridge_built
build_result(int32_t kind, uint64_t len)
{
    gobridge_built built = {NULL, NULL};
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *o;
    if (kind == 'y') {
        o = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)len);
        built.data = o != NULL ? PyBytes_AsString(o) : NULL;
    }
    else {
        /* Its characters are garbage until Go has written them: nothing
           may read them before, so the address is computed, not asked. */
        o = PyUnicode_New((Py_ssize_t)len, 127);
        built.data = o != NULL ? (char *)o + gb_ascii_offset : NULL;
    }
    if (built.data == NULL) {
        /* Go raises MemoryError for it, with the function's name. */
        Py_XDECREF(o);
        PyErr_Clear();
    }
    else {
        built.object = o;
    }
    PyGILState_Release(gil);
    return built;
}

static void
drop_result(void *object)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    Py_DECREF((PyObject *)object);
    PyGILState_Release(gil);
}

static const gobridge_builder gb_builder = {build_result, drop_result};
/* &gb_builder once gb_ascii_offset is known; frames carry it to Go. */
static const gobridge_builder *gb_result_builder;

/* measure_ascii_offset sets gb_ascii_offset from a str of CPython's making,
   whose UTF-8, for a compact ASCII str, is its own characters. */
static void
measure_ascii_offset(void)
{
    PyObject *probe = PyUnicode_FromString("gobridge");
    Py_ssize_t n;
    const char *utf8 = probe != NULL ? PyUnicode_AsUTF8AndSize(probe, &n) : NULL;
    Py_ssize_t offset = utf8 != NULL ? (Py_ssize_t)(utf8 - (const char *)probe) : 0;
    if (offset >= (Py_ssize_t)sizeof(PyObject) && offset <= 128) {
        gb_ascii_offset = offset;
        gb_result_builder = &gb_builder;
    }
    Py_XDECREF(probe);
    PyErr_Clear();
}

/* drop_results gives back the objects built for slots from..n-1, which a
   failed conversion of an earlier result leaves unused. */
static void
drop_results(gb_function *f, const gobridge_slot *slots, int from)
{
    for (int i = from; i < f->nresults; i++) {
        char kind = f->results[i][0];
        if ((kind == 's' || kind == 'y') && (slots[i].len & GOBRIDGE_SLOT_OBJECT)) {
            Py_DECREF((PyObject *)(uintptr_t)slots[i].word);
        }
    }
}

static PyObject *
result_object(const char *layout, const gobridge_slot *slot)
{
    const char *p = (const char *)(uintptr_t)slot->word;
    Py_ssize_t n = (Py_ssize_t)slot->len;
    switch (layout[0]) {
    /* Only str and bytes results can be built, and Go writes their len
       whole; a scalar's len is what the stack held before. */
    case 's':
        if (slot->len & GOBRIDGE_SLOT_OBJECT) {
            return (PyObject *)p;
        }
        return PyUnicode_DecodeUTF8(p, n, "strict");
    case 'y':
        if (slot->len & GOBRIDGE_SLOT_OBJECT) {
            return (PyObject *)p;
        }
        return PyBytes_FromStringAndSize(p, n);
    case 'l': {
        PyObject *list = PyList_New(n);
        for (Py_ssize_t i = 0; list != NULL && i < n; i++) {
            PyObject *item = item_object(layout[1], p + (size_t)i * item_size(layout[1]));
            if (item == NULL || PyList_SetItem(list, i, item) < 0) {
                Py_CLEAR(list);
            }
        }
        return list;
    }
    case 'm': {
        PyObject *dict = PyDict_New();
        const char *values = p + (size_t)n * sizeof(gobridge_slot);
        for (Py_ssize_t i = 0; dict != NULL && i < n; i++) {
            PyObject *key = item_object('s', p + (size_t)i * sizeof(gobridge_slot));
            PyObject *value = key ? item_object(layout[1], values + (size_t)i * item_size(layout[1]))
                                  : NULL;
            if (value == NULL || PyDict_SetItem(dict, key, value) < 0) {
                Py_CLEAR(dict);
            }
            Py_XDECREF(key);
            Py_XDECREF(value);
        }
        return dict;
    }
    }
    return scalar_object(layout[0], slot->word);
}

static PyObject *
results_object(gb_function *f, const gobridge_slot *slots)
{
    if (f->nresults == 0) {
        Py_RETURN_NONE;
    }
    if (f->nresults == 1) {
        return result_object(f->results[0], &slots[0]);
    }
    PyObject *tuple = PyTuple_New(f->nresults);
    if (tuple == NULL) {
        drop_results(f, slots, 0);
        return NULL;
    }
    for (int i = 0; i < f->nresults; i++) {
        PyObject *item = result_object(f->results[i], &slots[i]);
        if (item == NULL || PyTuple_SetItem(tuple, i, item) < 0) {
            Py_DECREF(tuple);
            drop_results(f, slots, i + 1);
            return NULL;
        }
    }
    return tuple;
}

/* ---- Errors ------------------------------------------------------------- */

/* hook returns a function of gobridge._functions, which is imported before
   any GoFunction exists; NULL with an error set if it is missing. */
static PyObject *
hook(const char *name)
{
    if (gb_hooks_module == NULL) {
        PyObject *modules = PyImport_GetModuleDict();
        PyObject *mod = PyDict_GetItemString(modules, "gobridge._functions");
        if (mod == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "gobridge._functions is not loaded");
            return NULL;
        }
        Py_INCREF(mod);
        gb_hooks_module = mod;
    }
    return PyObject_GetAttrString(gb_hooks_module, name);
}

/* raise_call_error raises the error a call reports: Go's error record,
   which it frees, or, when there is none, why the library could not be
   called. */
static void
raise_call_error(char *error, uint64_t error_len)
{
    PyObject *exc = NULL;
    if (error != NULL) {
        PyObject *record = PyBytes_FromStringAndSize(error, (Py_ssize_t)error_len);
        free(error);
        PyObject *make = record ? hook("exception_from_record") : NULL;
        if (make != NULL) {
            exc = PyObject_CallFunctionObjArgs(make, record, NULL);
            Py_DECREF(make);
        }
        Py_XDECREF(record);
    }
    else {
        PyObject *make = hook("forked_or_unloaded");
        if (make != NULL) {
            exc = PyObject_CallFunctionObjArgs(make, NULL);
            Py_DECREF(make);
        }
    }
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
}

/* ---- Lent callables ----------------------------------------------------- */

/* A Python callable passed where Go takes a func crosses as the number it
   is lent under for the call: the call's number (from
   gobridge._callbacks.calls, a multiple of 1 << 16) plus the parameter's
   index. Go calls it back through the shim's scalar entries, which find it
   in gobridge._callbacks._targets. */

static int
lent_tables(void)
{
    if (gb_lent_targets != NULL) {
        return 0;
    }
    PyObject *mod = PyDict_GetItemString(PyImport_GetModuleDict(), "gobridge._callbacks");
    if (mod == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "gobridge._callbacks is not loaded");
        return -1;
    }
    PyObject *targets = PyObject_GetAttrString(mod, "targets");
    PyObject *calls = targets ? PyObject_GetAttrString(mod, "calls") : NULL;
    if (calls == NULL) {
        Py_XDECREF(targets);
        return -1;
    }
    gb_lent_targets = targets;
    gb_lent_calls = calls;
    return 0;
}

/* lend lends o, a callable, as number target; 0 when it is not one, which
   the general path handles: None is a nil func there for a parameter
   declared py.Nilable, and a TypeError naming the parameter otherwise,
   where Go would panic calling it. */
static int
lend(PyObject *o, uint64_t target, gobridge_slot *slot)
{
    slot->len = 0;
    slot->word = 0;
    if (!PyCallable_Check(o)) {
        return 0;
    }
    PyObject *key = PyLong_FromUnsignedLongLong(target);
    if (key == NULL || PyDict_SetItem(gb_lent_targets, key, o) < 0) {
        Py_XDECREF(key);
        PyErr_Clear();
        return 0;
    }
    Py_DECREF(key);
    slot->word = target;
    return 1;
}

/* unlend takes back what the call lent to its first n parameters. */
static void
unlend(gb_function *f, const gobridge_slot *in, Py_ssize_t n)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (f->params[i][0] != 'K' || in[i].word == 0) {
            continue;
        }
        PyObject *key = PyLong_FromUnsignedLongLong(in[i].word);
        if (key == NULL || PyDict_DelItem(gb_lent_targets, key) < 0) {
            PyErr_Clear();
        }
        Py_XDECREF(key);
    }
    PyErr_Restore(type, value, tb);
}

/* lent_exception returns the first exception a callable lent to call
   raised, if any: Go then fails the call, and the exception is what Python
   sees. */
static PyObject *
lent_exception(uint64_t call)
{
    PyObject *exc = NULL;
    PyObject *take = hook("take_lent_exception");
    PyObject *number = take ? PyLong_FromUnsignedLongLong(call) : NULL;
    if (number != NULL) {
        exc = PyObject_CallFunctionObjArgs(take, number, NULL);
    }
    Py_XDECREF(number);
    Py_XDECREF(take);
    if (exc == Py_None) {
        Py_CLEAR(exc);
    }
    PyErr_Clear();
    return exc;
}

/* ---- Calls -------------------------------------------------------------- */

/* with_defaults fills the parameters ordered leaves NULL with their
   defaults (borrowed from the tuple, which outlives the call); 0 when one
   of them has none. */
static int
with_defaults(gb_function *f, PyObject **ordered)
{
    Py_ssize_t total = f->nparams + f->is_method, ndefaults = PyTuple_Size(f->defaults);
    for (Py_ssize_t i = 0; i < total; i++) {
        if (ordered[i] == NULL) {
            Py_ssize_t d = i - (total - ndefaults);
            if (d < 0) {
                return 0;
            }
            ordered[i] = PyTuple_GetItem(f->defaults, d);
        }
    }
    return 1;
}

/* by_keyword puts the arguments of a call with keywords in the order of
   the parameters, in ordered, the defaults filling those left out; 0 when
   they do not fill every parameter exactly once, which the general path
   then reports as Python would. */
static int
by_keyword(gb_function *f, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
           PyObject **ordered)
{
    Py_ssize_t nkw = PyTuple_Size(kwnames), first = f->is_method;
    Py_ssize_t total = f->nparams + first, ndefaults = PyTuple_Size(f->defaults);
    if (nargs + nkw > total || nargs + nkw < total - ndefaults || nargs < first) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < total; i++) {
        ordered[i] = i < nargs ? args[i] : NULL;
    }
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *key = PyTuple_GetItem(kwnames, i);
        Py_ssize_t at = -1;
        for (Py_ssize_t j = 0; j < f->nparams && at < 0; j++) {
            PyObject *name = PyTuple_GetItem(f->names, j);
            if (name == key || PyUnicode_Compare(name, key) == 0) {
                at = first + j;
            }
        }
        if (PyErr_Occurred()) {
            PyErr_Clear();
        }
        if (at < 0 || ordered[at] != NULL) {
            return 0;
        }
        ordered[at] = args[nargs + i];
    }
    return with_defaults(f, ordered);
}

/* A Go object keeps its handle in the _gb_handle slot of
   gobridge._objects.GoObject. A method call reads the slot at its offset,
   found once by a probe, where an attribute lookup would cost the call a
   fifth of its time; anything else takes the lookup. */
static PyTypeObject *gb_object_type;
static Py_ssize_t gb_handle_offset;  /* 0: not found yet; -1: not to be found */

/* find_handle_slot sets gb_handle_offset: where a GoObject made by
   object.__new__ holds a value set as its _gb_handle. */
static void
find_handle_slot(void)
{
    PyObject *objects = PyDict_GetItemString(PyImport_GetModuleDict(), "gobridge._objects");
    if (objects == NULL) {
        return;  /* no Go object exists before it is imported */
    }
    gb_handle_offset = -1;
    PyObject *type = PyObject_GetAttrString(objects, "GoObject");
    PyObject *size = type ? PyObject_GetAttrString(type, "__basicsize__") : NULL;
    PyObject *probe = size ? PyObject_CallMethod((PyObject *)&PyBaseObject_Type, "__new__", "O",
                                                 type)
                           : NULL;
    PyObject *marker = probe ? PyLong_FromUnsignedLongLong(UINT64_MAX) : NULL;
    if (marker != NULL && PyType_Check(type) && PyObject_SetAttr(probe, gb_handle_name, marker) == 0) {
        Py_ssize_t end = PyLong_AsSsize_t(size) - (Py_ssize_t)sizeof(PyObject *);
        for (Py_ssize_t at = sizeof(PyObject); at <= end; at += sizeof(PyObject *)) {
            if (*(PyObject **)((char *)probe + at) == marker) {
                gb_handle_offset = at;
                Py_INCREF(type);
                gb_object_type = (PyTypeObject *)type;
                break;
            }
        }
        PyObject *zero = PyLong_FromLong(0);
        if (zero == NULL || PyObject_SetAttr(probe, gb_handle_name, zero) < 0) {
            gb_handle_offset = -1;
        }
        Py_XDECREF(zero);
    }
    PyErr_Clear();
    Py_XDECREF(marker);
    Py_XDECREF(probe);
    Py_XDECREF(size);
    Py_XDECREF(type);
}

static uint64_t
handle_value(PyObject *h)
{
    uint64_t handle = GB_INT_CHECK(h) ? PyLong_AsUnsignedLongLong(h) : 0;
    if (handle == (uint64_t)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        handle = 0;
    }
    return handle;
}

/* handle_of is the handle of the Go object o stands for, or 0 when o is
   not a Go object, or one released: the general path then says why. */
static uint64_t
handle_of(PyObject *o)
{
    if (gb_handle_offset == 0) {
        find_handle_slot();
    }
    if (gb_handle_offset > 0
        && (Py_TYPE(o) == gb_object_type || PyType_IsSubtype(Py_TYPE(o), gb_object_type))) {
        PyObject *h = *(PyObject **)((char *)o + gb_handle_offset);
        return h != NULL ? handle_value(h) : 0;
    }
    PyObject *h = PyObject_GetAttr(o, gb_handle_name);
    if (h == NULL) {
        PyErr_Clear();
        return 0;
    }
    uint64_t handle = handle_value(h);
    Py_DECREF(h);
    return handle;
}

PyObject *
gb_call_fastcall(PyObject *callable, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *result = NULL, *kwargs = NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_Size(kwnames) : 0;
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SetItem(tuple, i, args[i]);
    }
    if (nkw > 0) {
        kwargs = PyDict_New();
        for (Py_ssize_t i = 0; kwargs != NULL && i < nkw; i++) {
            if (PyDict_SetItem(kwargs, PyTuple_GetItem(kwnames, i), args[nargs + i]) < 0) {
                Py_CLEAR(kwargs);
            }
        }
        if (kwargs == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
    }
    result = PyObject_Call(callable, tuple, kwargs);
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return result;
}

/* call_general calls the function's general path, with its frames hidden
   from the traceback. */
static PyObject *
call_general(gb_function *f, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *result = gb_call_fastcall(f->general, args, nargs, kwnames);
    if (result == NULL) {
        gb_hide_frames();
    }
    return result;
}

/* invoke_scalar calls scalar function f, with the GIL released unless f
   is short, and returns the call's status. */
static inline int64_t
invoke_scalar(gb_function *f, uint64_t receiver, uint64_t a0, uint64_t a1,
              gobridge_scalar_result *r)
{
    int64_t status;
    r->word = 0;
    r->error = NULL;
    r->error_len = 0;
    if (f->release_gil) {
        PyThreadState *ts = PyEval_SaveThread();
        status = gb_invoke_scalar(f->fid, receiver, a0, a1, r);
        PyEval_RestoreThread(ts);
    }
    else {
        status = gb_invoke_scalar(f->fid, receiver, a0, a1, r);
    }
    return status;
}

static PyObject *gb_function_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                        PyObject *kwnames);

/* gb_scalar_vectorcall is the call of a scalar function that lends no
   callable: the commonest call there is, so it converts its positional
   numbers and calls Go with nothing in between. Anything else --
   keywords, defaults, a value that does not convert -- takes
   gb_function_vectorcall. */
static PyObject *
gb_scalar_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    gb_function *f = (gb_function *)self;
    Py_ssize_t nargs = (Py_ssize_t)(nargsf & ~GB_VECTORCALL_ARGUMENTS_OFFSET);
    uint64_t w[GB_MAX_SCALAR_ARITY] = {0, 0};
    uint64_t receiver = 0;
    if (kwnames != NULL || nargs != f->nparams + f->is_method) {
        return gb_function_vectorcall(self, args, nargsf, kwnames);
    }
    if (f->is_method && !(receiver = handle_of(args[0]))) {
        return gb_function_vectorcall(self, args, nargsf, kwnames);
    }
    for (int i = 0; i < f->nparams; i++) {
        if (!scalar_word(f->params[i][0], args[f->is_method + i], &w[i])) {
            return gb_function_vectorcall(self, args, nargsf, kwnames);
        }
    }
    gobridge_scalar_result r;
    int64_t status = invoke_scalar(f, receiver, w[0], w[1], &r);
    if (status != GB_OK) {
        raise_call_error(r.error, r.error_len);
        return NULL;
    }
    if (f->nresults == 0) {
        Py_RETURN_NONE;
    }
    return scalar_object(f->results[0][0], r.word);
}

static PyObject *
gb_function_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    gb_function *f = (gb_function *)self;
    Py_ssize_t nargs = (Py_ssize_t)(nargsf & ~GB_VECTORCALL_ARGUMENTS_OFFSET);
    PyObject *ordered[GB_MAX_SLOTS + 1];
    if (kwnames != NULL && PyTuple_Size(kwnames) > 0) {
        if (!by_keyword(f, args, nargs, kwnames, ordered)) {
            return call_general(f, args, nargs, kwnames);
        }
        args = ordered;
        nargs = f->nparams + f->is_method;
        kwnames = NULL;
    }
    else if (nargs != f->nparams + f->is_method) {
        /* Leaving out arguments that have defaults. */
        if (nargs > f->nparams + f->is_method || nargs < f->is_method) {
            return call_general(f, args, nargs, NULL);
        }
        for (Py_ssize_t i = 0; i < f->nparams + f->is_method; i++) {
            ordered[i] = i < nargs ? args[i] : NULL;
        }
        if (!with_defaults(f, ordered)) {
            return call_general(f, args, nargs, NULL);
        }
        args = ordered;
        nargs = f->nparams + f->is_method;
    }
    uint64_t receiver = 0;
    if (f->is_method && !(receiver = handle_of(args[0]))) {
        return call_general(f, args, nargs, kwnames);
    }
    PyObject *const *all = args;
    Py_ssize_t nall = nargs;
    args += f->is_method;
    nargs -= f->is_method;
    gb_arena arena;
    arena.used = 0;
    arena.nblocks = 0;
    arena.nbuffers = 0;
    gobridge_slot in[GB_MAX_SLOTS], out[GB_MAX_SLOTS];
    uint64_t call = 0;
    if (f->nlent > 0) {
        PyObject *number = lent_tables() == 0 ? PyIter_Next(gb_lent_calls) : NULL;
        if (number == NULL) {
            return NULL;
        }
        call = PyLong_AsUnsignedLongLong(number);
        Py_DECREF(number);
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        int ok = f->params[i][0] == 'K' ? lend(args[i], call | (uint64_t)i, &in[i])
                                        : arg_slot(&arena, f->params[i], args[i], &in[i]);
        if (!ok) {
            if (f->nlent > 0) {
                unlend(f, in, i);
            }
            arena_release(&arena);
            return call_general(f, all, nall, kwnames);
        }
    }
    uint64_t scratch[GB_RESULT_WORDS];
    /* Field by field: zeroing the whole frame costs more than a small
       call's conversions. Go clears its room for its state itself. */
    gobridge_frame frame;
    frame.spill = NULL;
    frame.builder = gb_result_builder;
    frame.status = GB_OK;
    frame.error = NULL;
    frame.error_len = 0;
    if (f->scalar) {
        gobridge_scalar_result r;
        frame.status = invoke_scalar(f, receiver, nargs > 0 ? in[0].word : 0,
                                     nargs > 1 ? in[1].word : 0, &r);
        out[0].word = r.word;
        frame.error = r.error;
        frame.error_len = r.error_len;
    }
    else {
        frame.self = receiver;
        frame.args = in;
        frame.nargs = (uint64_t)nargs;
        frame.results = out;
        frame.nresults = (uint64_t)f->nresults;
        frame.scratch = scratch;
        frame.scratch_len = sizeof scratch;
        if (f->release_gil) {
            PyThreadState *ts = PyEval_SaveThread();
            gb_invoke(f->fid, &frame);
            PyEval_RestoreThread(ts);
        }
        else {
            gb_invoke(f->fid, &frame);
        }
    }
    arena_release(&arena);
    PyObject *raised = NULL;
    if (f->nlent > 0) {
        unlend(f, in, nargs);
        if (frame.status != GB_OK) {
            raised = lent_exception(call);
        }
    }
    PyObject *result = NULL;
    if (raised != NULL) {
        /* What a callable raised wins over what Go made of it, with its
           own traceback less gobridge's frames. */
        free(frame.error);
        PyObject *type = (PyObject *)Py_TYPE(raised);
        Py_INCREF(type);
        PyErr_Restore(type, raised, PyException_GetTraceback(raised));
        gb_hide_frames();
    }
    else if (frame.status == GB_OK) {
        result = results_object(f, out);
    }
    else {
        raise_call_error(frame.error, frame.error_len);
    }
    if (frame.spill != NULL) {
        /* Rare: only results larger than the scratch area spill. */
        free(frame.spill);
    }
    return result;
}

/* ---- The type ----------------------------------------------------------- */

static int
parse_layouts(const char *sig, char (*params)[2], int *nparams, char (*results)[2], int *nresults)
{
    char (*list)[2] = params;
    int *count = nparams;
    *nparams = *nresults = 0;
    if (*sig == '=') {
        sig++;
    }
    for (const char *p = sig; *p; p++) {
        if (*p == ':') {
            list = results;
            count = nresults;
            continue;
        }
        if (*count == GB_MAX_SLOTS) {
            return -1;
        }
        list[*count][0] = *p;
        list[*count][1] = 0;
        if (*p == 'l' || *p == 'm') {
            if (!*++p) {
                return -1;
            }
            list[*count][1] = *p;
        }
        (*count)++;
    }
    return 0;
}

/* GoFunction(fid, frame_signature, general, parameter_names, name,
              qualname, module, doc, go_name, release_gil[, defaults]) */
static PyObject *
gb_function_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    unsigned long long fid;
    const char *sig;
    PyObject *general, *names, *name, *qualname, *module, *doc, *go_name;
    int release_gil;
    PyObject *defaults = NULL;
    if (kwargs != NULL && PyDict_Size(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "GoFunction() takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "KsOO!UUUOUp|O!:GoFunction", &fid, &sig, &general, &PyTuple_Type,
                          &names, &name, &qualname, &module, &doc, &go_name, &release_gil,
                          &PyTuple_Type, &defaults)) {
        return NULL;
    }
    allocfunc alloc = (allocfunc)PyType_GetSlot(type, Py_tp_alloc);
    gb_function *f = (gb_function *)alloc(type, 0);
    if (f == NULL) {
        return NULL;
    }
    f->is_method = type == gb_method_type;
    f->scalar = sig[0] == '=';
    f->fid = fid;
    f->release_gil = release_gil;
    Py_INCREF(general);
    f->general = general;
    Py_INCREF(names);
    f->names = names;
    f->defaults = defaults != NULL ? defaults : PyTuple_New(0);
    if (defaults != NULL) {
        Py_INCREF(defaults);
    }
    if (f->defaults == NULL) {
        goto fail;
    }
    if (parse_layouts(sig, f->params, &f->nparams, f->results, &f->nresults) < 0
        || PyTuple_Size(names) != f->nparams) {
        PyErr_Format(PyExc_ValueError, "bad frame signature %s", sig);
        goto fail;
    }
    if (PyTuple_Size(f->defaults) > f->nparams) {
        PyErr_Format(PyExc_ValueError, "%zd defaults for %d parameters", PyTuple_Size(f->defaults),
                     f->nparams);
        goto fail;
    }
    for (int i = 0; i < f->nparams; i++) {
        f->nlent += f->params[i][0] == 'K';
    }
    if (f->scalar && (f->nparams > GB_MAX_SCALAR_ARITY || f->nresults > 1)) {
        PyErr_Format(PyExc_ValueError, "bad frame signature %s", sig);
        goto fail;
    }
    f->vectorcall = f->scalar && f->nlent == 0 ? gb_scalar_vectorcall : gb_function_vectorcall;
    f->dict = PyDict_New();
    if (f->dict == NULL
        || PyDict_SetItemString(f->dict, "__name__", name) < 0
        || PyDict_SetItemString(f->dict, "__qualname__", qualname) < 0
        || PyDict_SetItemString(f->dict, "__module__", module) < 0
        || PyDict_SetItemString(f->dict, "__doc__", doc) < 0
        || PyDict_SetItemString(f->dict, "_go_name", go_name) < 0) {
        goto fail;
    }
    return (PyObject *)f;
fail:
    Py_DECREF(f);
    return NULL;
}

static int
gb_function_traverse(PyObject *self, visitproc visit, void *arg)
{
    gb_function *f = (gb_function *)self;
    Py_VISIT(f->dict);
    Py_VISIT(f->general);
    Py_VISIT(f->names);
    Py_VISIT(f->defaults);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int
gb_function_clear(PyObject *self)
{
    gb_function *f = (gb_function *)self;
    Py_CLEAR(f->dict);
    Py_CLEAR(f->general);
    Py_CLEAR(f->names);
    Py_CLEAR(f->defaults);
    return 0;
}

static void
gb_function_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    gb_function_clear(self);
    freefunc free_self = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_self(self);
    Py_DECREF(type);
}

static PyObject *
gb_function_attr(PyObject *self, const char *name)
{
    gb_function *f = (gb_function *)self;
    PyObject *value = f->dict ? PyDict_GetItemString(f->dict, name) : NULL;
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "GoFunction has no %s", name);
        return NULL;
    }
    Py_INCREF(value);
    return value;
}

static PyObject *
gb_function_repr(PyObject *self)
{
    PyObject *module = gb_function_attr(self, "__module__");
    PyObject *qualname = module ? gb_function_attr(self, "__qualname__") : NULL;
    PyObject *go_name = qualname ? gb_function_attr(self, "_go_name") : NULL;
    const char *what = ((gb_function *)self)->is_method ? "method" : "function";
    PyObject *repr = go_name ? PyUnicode_FromFormat("<Go %s %U.%U (%U)>", what, module,
                                                    qualname, go_name)
                             : NULL;
    Py_XDECREF(module);
    Py_XDECREF(qualname);
    Py_XDECREF(go_name);
    return repr;
}

/* Pickled by reference, as functions are: by module and qualified name. */
static PyObject *
gb_function_reduce(PyObject *self, PyObject *unused)
{
    (void)unused;
    return gb_function_attr(self, "__qualname__");
}

/* A GoFunction does not bind to instances, as built-in functions do not;
   having __get__ also makes inspect and pydoc treat it as a routine. */
static PyObject *
gb_function_get(PyObject *self, PyObject *obj, PyObject *type)
{
    (void)obj;
    (void)type;
    Py_INCREF(self);
    return self;
}

/* __signature__ is made when asked for, by gobridge._functions, from the
   description the general path was built from. */
static PyObject *
gb_function_signature(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *make = hook("signature_of");
    if (make == NULL) {
        return NULL;
    }
    PyObject *sig = PyObject_CallFunctionObjArgs(make, self, ((gb_function *)self)->general, NULL);
    Py_DECREF(make);
    return sig;
}

static PyObject *
gb_function_text_signature(PyObject *self, void *closure)
{
    (void)closure;
    return PyObject_GetAttrString(((gb_function *)self)->general, "__text_signature__");
}

static PyObject *
gb_function_general(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *general = ((gb_function *)self)->general;
    Py_INCREF(general);
    return general;
}

/* A GoMethod binds to the Go object it is looked up on, as a method
   descriptor does; calls of obj.method(...) skip the binding altogether
   (Py_TPFLAGS_METHOD_DESCRIPTOR). */
static PyObject *
gb_method_get(PyObject *self, PyObject *obj, PyObject *type)
{
    (void)type;
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static PyMethodDef gb_function_methods[] = {
    {"__reduce__", gb_function_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef gb_function_getset[] = {
    {"__signature__", gb_function_signature, NULL, NULL, NULL},
    {"__text_signature__", gb_function_text_signature, NULL, NULL, NULL},
    {"_general", gb_function_general, NULL, "the general path of the call", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef gb_function_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(gb_function, vectorcall), READONLY, NULL},
    {"__dictoffset__", T_PYSSIZET, offsetof(gb_function, dict), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

/* new_callable_type makes GoFunction or GoMethod: the same object and call,
   bound to instances by get, or not at all. */
static PyTypeObject *
new_callable_type(const char *name, const char *doc, descrgetfunc get, unsigned long flags)
{
    PyType_Slot slots[] = {
        {Py_tp_new, gb_function_new},
        {Py_tp_dealloc, gb_function_dealloc},
        {Py_tp_traverse, gb_function_traverse},
        {Py_tp_clear, gb_function_clear},
        {Py_tp_call, PyVectorcall_Call},
        {Py_tp_repr, gb_function_repr},
        {Py_tp_descr_get, get},
        {Py_tp_methods, gb_function_methods},
        {Py_tp_getset, gb_function_getset},
        {Py_tp_members, gb_function_members},
        {Py_tp_doc, (void *)doc},
        {0, NULL},
    };
    PyType_Spec spec = {
        name,
        sizeof(gb_function),
        0,
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | GB_TPFLAGS_HAVE_VECTORCALL
            | GB_TPFLAGS_IMMUTABLETYPE | flags,
        slots,
    };
    return (PyTypeObject *)PyType_FromSpec(&spec);
}

int
gb_function_install(const char *hidden_prefix)
{
    int rc = -1;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *modules = PyImport_GetModuleDict();
    PyObject *native = PyDict_GetItemString(modules, "gobridge._native");
    if (native == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "gobridge._native is not loaded");
        goto out;
    }
    if (gb_function_type == NULL) {
        gb_handle_name = PyUnicode_InternFromString("_gb_handle");
        gb_function_type = new_callable_type(
            "gobridge.GoFunction", "A Go function, called through gobridge's C layer.",
            gb_function_get, 0);
        gb_method_type = new_callable_type(
            "gobridge.GoMethod", "A method of a Go type, called through gobridge's C layer.",
            gb_method_get, GB_TPFLAGS_METHOD_DESCRIPTOR);
        if (gb_handle_name == NULL || gb_function_type == NULL || gb_method_type == NULL) {
            goto out;
        }
    }
    if (gb_result_builder == NULL) {
        measure_ascii_offset();
    }
    if (gb_hide_files(hidden_prefix) < 0) {
        goto out;
    }
    rc = PyObject_SetAttrString(native, "GoFunction", (PyObject *)gb_function_type);
    if (rc == 0) {
        rc = PyObject_SetAttrString(native, "GoMethod", (PyObject *)gb_method_type);
    }
out:
    if (rc < 0) {
        PyErr_Print();
    }
    PyGILState_Release(gil);
    return rc;
}
