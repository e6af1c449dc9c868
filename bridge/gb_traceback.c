/* gobridge's frames kept out of tracebacks: see gb_traceback.h. */

#include "gb_stable.h"

#include <stdlib.h>
#include <string.h>

#include "gb_traceback.h"

static char *gb_hidden_prefix;

int
gb_hide_files(const char *prefix)
{
    char *copy = strdup(prefix);
    if (copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    free(gb_hidden_prefix);
    gb_hidden_prefix = copy;
    return 0;
}

/* hidden_frame reports whether a traceback entry is gobridge's own: a
   frame of a file under gobridge's package directory, or of the code
   gobridge compiles ("<gobridge>"). */
static int
hidden_frame(PyObject *tb)
{
    int hidden = 0;
    PyObject *frame = PyObject_GetAttrString(tb, "tb_frame");
    PyObject *code = frame ? PyObject_GetAttrString(frame, "f_code") : NULL;
    PyObject *file = code ? PyObject_GetAttrString(code, "co_filename") : NULL;
    const char *name = file && PyUnicode_Check(file) ? PyUnicode_AsUTF8AndSize(file, NULL) : NULL;
    if (name != NULL) {
        hidden = strcmp(name, "<gobridge>") == 0
                 || (gb_hidden_prefix != NULL
                     && strncmp(name, gb_hidden_prefix, strlen(gb_hidden_prefix)) == 0);
    }
    PyErr_Clear();
    Py_XDECREF(file);
    Py_XDECREF(code);
    Py_XDECREF(frame);
    return hidden;
}

void
gb_hide_frames(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (type == NULL) {
        return;
    }
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *head = NULL, *last = NULL;
    PyObject *entry = tb;
    Py_XINCREF(entry);
    while (entry != NULL && entry != Py_None) {
        PyObject *next = PyObject_GetAttrString(entry, "tb_next");
        if (next == NULL) {
            PyErr_Clear();
        }
        if (!hidden_frame(entry)) {
            if (last == NULL) {
                head = entry;
                Py_INCREF(head);
            }
            else if (PyObject_SetAttrString(last, "tb_next", entry) < 0) {
                PyErr_Clear();
            }
            Py_XDECREF(last);
            last = entry;
            Py_INCREF(last);
        }
        Py_DECREF(entry);
        entry = next;
    }
    Py_XDECREF(entry);
    if (last != NULL) {
        if (PyObject_SetAttrString(last, "tb_next", Py_None) < 0) {
            PyErr_Clear();
        }
        Py_DECREF(last);
    }
    Py_XDECREF(tb);
    if (value != NULL) {
        PyException_SetTraceback(value, head ? head : Py_None);
    }
    PyErr_Restore(type, value, head);
}

