/* gobridge.__import__ and gobridge.import_from: see gb_import.h. */

#include "gb_stable.h"

#include "gb_function.h"
#include "gb_import.h"
#include "gb_traceback.h"

/* METH_FASTCALL's calling convention, which every CPython from 3.7 on
   exports; the limited API names it from 3.10. */
#ifndef METH_FASTCALL
#define METH_FASTCALL 0x0080
#endif

typedef PyObject *(*gb_fastcall_keywords)(PyObject *self, PyObject *const *args,
                                           Py_ssize_t nargs, PyObject *kwnames);

/* The host's entry points: each returns the imported object, or an
   instance of gb_failure_type whose "exception" is the error to raise. */
static PyObject *gb_import_name, *gb_import_from;
static PyObject *gb_failure_type;
/* _importer._plain: the names of plain imports ("import a.b", level 0, no
   fromlist) whose decision is to return sys.modules[name], mapped to "",
   or to return the top-level package, mapped to its name. */
static PyObject *gb_plain;
/* _importer._decisions, of which the C layer reads the common form: key
   (name, fromlist, level, package, None at level 0) to (module name, has
   __path__ or None, names, whether the module has each name). */
static PyObject *gb_decisions;
static PyObject *gb_zero, *gb_empty_tuple;
static PyObject *gb_str_spec, *gb_str_initializing, *gb_str_exception, *gb_str_path,
    *gb_str_getattr, *gb_str_package, *gb_str_parent;

/* initialized reports whether the engine reads module as an initialised
   module: getattr(getattr(module, "__spec__", None), "_initializing",
   False) is False. -1 when reading it raises anything but AttributeError;
   the engine then raises it. */
static int
initialized(PyObject *module)
{
    PyObject *spec = PyObject_GetAttr(module, gb_str_spec);
    if (spec == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            return -1;
        }
        PyErr_Clear();
        return 1;
    }
    if (spec == Py_None) {
        Py_DECREF(spec);
        return 1;
    }
    PyObject *flag = PyObject_GetAttr(spec, gb_str_initializing);
    Py_DECREF(spec);
    if (flag == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            return -1;
        }
        PyErr_Clear();
        return 1;
    }
    int done = flag == Py_False;
    Py_DECREF(flag);
    return done;
}

/* initialized_module returns sys.modules[name] (borrowed) if it is a
   module there, initialised; NULL, with no error set, otherwise. */
static PyObject *
initialized_module(PyObject *modules, PyObject *name)
{
    PyObject *module = PyDict_GetItemWithError(modules, name);
    if (module == NULL || module == Py_None) {
        /* None blocks the import: the engine raises. */
        PyErr_Clear();
        return NULL;
    }
    return initialized(module) == 1 ? module : NULL;
}

/* cached_plain_import answers "import name" from the decision cache: a new
   reference to the module the engine decided to return, or NULL, with no
   error set, when the engine must decide. A decision holds while the
   modules it read are in sys.modules and initialised. */
static PyObject *
cached_plain_import(PyObject *name)
{
    PyObject *top = PyDict_GetItemWithError(gb_plain, name);
    if (top == NULL) {
        PyErr_Clear();  /* an unhashable name: the engine raises */
        return NULL;
    }
    PyObject *modules = PySys_GetObject("modules");
    if (modules == NULL || !PyDict_CheckExact(modules)) {
        return NULL;
    }
    PyObject *module = initialized_module(modules, name);
    if (module != NULL && PyUnicode_GetLength(top) != 0) {
        module = initialized_module(modules, top);
    }
    Py_XINCREF(module);
    return module;
}

/* has_attr is hasattr(obj, name): 1 or 0, or -1 with the error cleared
   when getting it raises anything but AttributeError. */
static int
has_attr(PyObject *obj, PyObject *name)
{
    PyObject *value = PyObject_GetAttr(obj, name);
    if (value != NULL) {
        Py_DECREF(value);
        return 1;
    }
    int missing = PyErr_ExceptionMatches(PyExc_AttributeError);
    PyErr_Clear();
    return missing ? 0 : -1;
}

/* has_path is hasattr(module, "__path__"), read from the namespace of a
   plain module without __getattr__ rather than by raising AttributeError,
   as _importer._has_path does. */
static int
has_path(PyObject *module)
{
    if (PyModule_CheckExact(module)) {
        PyObject *namespace = PyModule_GetDict(module);
        if (PyDict_Contains(namespace, gb_str_path) == 1) {
            return 1;
        }
        if (PyDict_Contains(namespace, gb_str_getattr) == 0) {
            return 0;
        }
        PyErr_Clear();
    }
    return has_attr(module, gb_str_path);
}

/* relative_package is the package a relative import is resolved in, as
   _importer._decision_key reads it from globals: a new reference to a str,
   or NULL, with no error set, when the engine must resolve it (it is not
   a str, or resolving it warns or raises). */
static PyObject *
relative_package(PyObject *globals)
{
    if (!PyDict_CheckExact(globals)) {
        return NULL;
    }
    PyObject *package = PyDict_GetItemWithError(globals, gb_str_package);
    PyObject *spec = PyErr_Occurred() ? NULL : PyDict_GetItemWithError(globals, gb_str_spec);
    PyObject *parent = NULL;
    if (PyErr_Occurred()) {
        PyErr_Clear();
        return NULL;
    }
    if (spec != NULL && spec != Py_None) {
        parent = PyObject_GetAttr(spec, gb_str_parent);
        if (parent == NULL) {
            PyErr_Clear();
            return NULL;
        }
    }
    if (package != NULL && package != Py_None) {
        /* __package__ wins; one that differs from __spec__.parent warns. */
        int same = parent == NULL || PyObject_RichCompareBool(parent, package, Py_EQ) == 1;
        PyErr_Clear();
        Py_XDECREF(parent);
        if (!same || !PyUnicode_CheckExact(package)) {
            return NULL;
        }
        Py_INCREF(package);
        return package;
    }
    if (parent != NULL && !PyUnicode_CheckExact(parent)) {
        Py_CLEAR(parent);
    }
    return parent;  /* NULL without __spec__: resolving warns */
}

/* cached_from_import answers "from name import fromlist", at level 0 or
   relative to globals' package, from the decision cache, as
   cached_plain_import does: the module read the same way, and the same
   answers to hasattr for the names of fromlist. */
static PyObject *
cached_from_import(PyObject *name, PyObject *globals, PyObject *fromlist, PyObject *level)
{
    PyObject *key;
    if (level == gb_zero) {
        key = PyTuple_Pack(4, name, fromlist, gb_zero, Py_None);
    }
    else {
        PyObject *package = relative_package(globals);
        if (package == NULL) {
            return NULL;
        }
        key = PyTuple_Pack(4, name, fromlist, level, package);
        Py_DECREF(package);
    }
    if (key == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *decision = PyDict_GetItemWithError(gb_decisions, key);
    Py_DECREF(key);
    if (decision == NULL || PyTuple_Size(decision) != 4) {
        PyErr_Clear();  /* an unhashable item, or a decision of many steps */
        return NULL;
    }
    PyObject *modules = PySys_GetObject("modules");
    if (modules == NULL || !PyDict_CheckExact(modules)) {
        return NULL;
    }
    PyObject *module = initialized_module(modules, PyTuple_GetItem(decision, 0));
    if (module == NULL) {
        return NULL;
    }
    PyObject *path_answer = PyTuple_GetItem(decision, 1);
    if (path_answer != Py_None && has_path(module) != (path_answer == Py_True)) {
        return NULL;
    }
    PyObject *names = PyTuple_GetItem(decision, 2);
    PyObject *answers = PyTuple_GetItem(decision, 3);
    Py_ssize_t n = PyTuple_Size(names);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (has_attr(module, PyTuple_GetItem(names, i))
            != (PyTuple_GetItem(answers, i) == Py_True)) {
            return NULL;
        }
    }
    Py_INCREF(module);
    return module;
}

/* finish raises a failure the host returned, or returns its result. */
static PyObject *
finish(PyObject *outcome)
{
    if (outcome == NULL) {
        /* Raised by the host itself, not by the import: an error of
           gobridge's, or KeyboardInterrupt. */
        gb_hide_frames();
        return NULL;
    }
    if (Py_TYPE(outcome) != (PyTypeObject *)gb_failure_type) {
        return outcome;
    }
    PyObject *exc = PyObject_GetAttr(outcome, gb_str_exception);
    Py_DECREF(outcome);
    if (exc == NULL) {
        return NULL;
    }
    /* As the raise statement does: the traceback the host trimmed, and
       the exception being handled as the context. */
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
}

static PyObject *
gb_import(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    /* IMPORT_NAME's call: name, globals, locals, fromlist, level. */
    if (kwnames == NULL && nargs == 5 && PyLong_CheckExact(args[4])) {
        PyObject *module = NULL;
        if (args[4] == gb_zero && (args[3] == Py_None || args[3] == gb_empty_tuple)) {
            module = cached_plain_import(args[0]);
        }
        else if (PyTuple_CheckExact(args[3]) && PyObject_RichCompareBool(args[4], gb_zero, Py_GE) == 1) {
            module = cached_from_import(args[0], args[1], args[3], args[4]);
        }
        PyErr_Clear();
        if (module != NULL) {
            return module;
        }
    }
    return finish(gb_call_fastcall(gb_import_name, args, nargs, kwnames));
}

static PyObject *
gb_import_from_fast(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs,
                    PyObject *kwnames)
{
    if (kwnames == NULL && nargs == 2 && PyUnicode_Check(args[1])) {
        PyObject *found = PyObject_GetAttr(args[0], args[1]);
        if (found != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return found;
        }
        PyErr_Clear();
    }
    return finish(gb_call_fastcall(gb_import_from, args, nargs, kwnames));
}

static PyMethodDef gb_import_def = {
    "__import__",
    (PyCFunction)(void (*)(void))(gb_fastcall_keywords)gb_import,
    METH_FASTCALL | METH_KEYWORDS,
    "__import__($module, /, name, globals=None, locals=None, fromlist=(), level=0)\n"
    "--\n"
    "\n"
    "builtins.__import__ run by gobridge's Go import engine.\n"
    "\n"
    "Imports name as `import name` or `from name import fromlist` would\n"
    "(relative to globals when level is positive) and returns what the\n"
    "statement binds. Errors are those of CPython's own import.",
};

static PyMethodDef gb_import_from_def = {
    "import_from",
    (PyCFunction)(void (*)(void))(gb_fastcall_keywords)gb_import_from_fast,
    METH_FASTCALL | METH_KEYWORDS,
    "import_from($module, /, module, name)\n"
    "--\n"
    "\n"
    "IMPORT_FROM, the second half of `from module import name`: the\n"
    "attribute, or the submodule `module.name` a circular import has put in\n"
    "sys.modules but not yet bound, or CPython's ImportError.",
};

/* bind makes the built-in of def, with the gobridge module as __self__,
   and binds it in module under its name. */
static int
bind(PyObject *module, PyObject *gobridge, PyMethodDef *def)
{
    PyObject *name = PyUnicode_FromString("gobridge");
    PyObject *function = name ? PyCFunction_NewEx(def, gobridge, name) : NULL;
    int rc = function ? PyObject_SetAttrString(module, def->ml_name, function) : -1;
    Py_XDECREF(function);
    Py_XDECREF(name);
    return rc;
}

/* take sets *slot to a new reference to module's attribute name. */
static int
take(PyObject **slot, PyObject *module, const char *name)
{
    PyObject *value = PyObject_GetAttrString(module, name);
    if (value == NULL) {
        return -1;
    }
    Py_XDECREF(*slot);
    *slot = value;
    return 0;
}

int
gb_import_install(const char *hidden_prefix)
{
    int rc = -1;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *modules = PyImport_GetModuleDict();
    PyObject *host = PyDict_GetItemString(modules, "gobridge._importer");
    PyObject *gobridge = PyDict_GetItemString(modules, "gobridge");
    if (host == NULL || gobridge == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "gobridge._importer is not loaded");
        goto out;
    }
    if (gb_zero == NULL) {
        gb_zero = PyLong_FromLong(0);
        gb_empty_tuple = PyTuple_New(0);
        gb_str_spec = PyUnicode_InternFromString("__spec__");
        gb_str_initializing = PyUnicode_InternFromString("_initializing");
        gb_str_exception = PyUnicode_InternFromString("exception");
        gb_str_path = PyUnicode_InternFromString("__path__");
        gb_str_getattr = PyUnicode_InternFromString("__getattr__");
        gb_str_package = PyUnicode_InternFromString("__package__");
        gb_str_parent = PyUnicode_InternFromString("parent");
        if (gb_zero == NULL || gb_empty_tuple == NULL || gb_str_spec == NULL
            || gb_str_initializing == NULL || gb_str_exception == NULL || gb_str_path == NULL
            || gb_str_getattr == NULL || gb_str_package == NULL || gb_str_parent == NULL) {
            goto out;
        }
    }
    if (gb_hide_files(hidden_prefix) < 0
        || take(&gb_import_name, host, "__import__") < 0
        || take(&gb_import_from, host, "import_from") < 0
        || take(&gb_failure_type, host, "_Failure") < 0
        || take(&gb_plain, host, "_plain") < 0
        || take(&gb_decisions, host, "_decisions") < 0) {
        goto out;
    }
    if (!PyType_Check(gb_failure_type) || !PyDict_CheckExact(gb_plain)
        || !PyDict_CheckExact(gb_decisions)) {
        PyErr_SetString(PyExc_TypeError, "gobridge._importer does not match the C layer");
        goto out;
    }
    if (PyObject_SetAttrString(host, "_import_name", gb_import_name) < 0
        || PyObject_SetAttrString(host, "_import_from", gb_import_from) < 0
        || bind(host, gobridge, &gb_import_def) < 0
        || bind(host, gobridge, &gb_import_from_def) < 0) {
        goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        PyErr_Print();
    }
    PyGILState_Release(gil);
    return rc;
}
