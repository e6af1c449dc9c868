"""The cffi build of ``gobridge._native``: the C ABI's cdef and its shim.

``_native`` is not linked against the Go library. Its C code ``dlopen``s the
library named by the Python side on first use and resolves every
``gobridge_*`` function; each ``gb_*`` function below forwards to one of them.
The shim is also the one place that refuses a second, different library and
that notices a ``fork()`` after the Go runtime started (a forked child has no
Go runtime threads, so calling into Go there would hang).

Calls go through the C layer in ``gb_function.c`` (gobridge.GoFunction),
and imports through ``gb_import.c`` (gobridge.__import__), compiled into
the same extension; the scalar callback entries, through which
Go calls Python callables of scalar function types, are generated here from
the same rule as ``go/internal/bridge/scalarcallbacks.go``.
"""

from __future__ import annotations

import itertools
import os

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
CAPI_DIR = os.path.join(os.path.dirname(HERE), "go", "capi")
# The C layer, compiled into the same extension as cffi's generated code.
C_SOURCES = [
    os.path.join(HERE, name) for name in ("gb_function.c", "gb_import.c", "gb_traceback.c")
]

ABI_VERSION = 6

MAX_FAST_ARITY = 2

STATUS = {
    "GB_OK": 0,
    "GB_OK_OBJECTS": 1,
    "GB_ERROR": 2,
    "GB_FORKED": 3,
    "GB_NOT_LOADED": 4,
}


CALLBACK_RESULTS = "iudbv"  # b: bool, as 0 or 1; v: no result


def callback_kinds() -> list[tuple[str, str]]:
    """Every (argument kinds, result kind) of a scalar callback, in the order
    of the host's table, which ``callbackKind`` in
    go/internal/bridge/scalarcallbacks.go computes too."""
    return [
        ("".join(args), result)
        for arity in range(MAX_FAST_ARITY + 1)
        for args in itertools.product("iud", repeat=arity)
        for result in CALLBACK_RESULTS
    ]


def callback_name(args: str, result: str) -> str:
    return f"gb_scalar_{args or 'v'}_{result}"


# (return type, name, parameters) of each forwarded ABI function.
PLAIN_FUNCTIONS = [
    ("uint32_t", "abi_version", "void"),
    ("gb_ret", "runtime_info", "void"),
    ("gb_ret", "registry", "void"),
    ("gb_ret", "module_new", "const char *name, size_t name_len"),
    (
        "gb_ret",
        "call",
        "uint64_t fid, uint64_t self, const char *args, size_t args_len, "
        "const gb_span *bufs, size_t nbufs",
    ),
    ("gb_ret", "describe", "uint64_t fid"),
    ("gb_ret", "type_info", "uint64_t tid"),
    (
        "uint64_t",
        "call_start",
        "uint64_t fid, uint64_t self, const char *args, size_t args_len, "
        "const gb_span *bufs, size_t nbufs, uint64_t done",
    ),
    ("void", "call_cancel", "uint64_t id, int32_t timeout"),
    ("gb_ret", "call_finish", "uint64_t id"),
    ("void", "release", "uint64_t handle"),
    ("gb_ret", "stats", "void"),
    ("gb_ret", "pickle", "uint64_t handle"),
    (
        "gb_ret",
        "unpickle",
        "const char *name, size_t name_len, const char *module, size_t module_len, "
        "const char *format, size_t format_len, const char *data, size_t data_len",
    ),
    ("gb_ret", "copy", "uint64_t handle"),
]

_RET_ON_FAILURE = {
    "uint32_t": "0",
    "uint64_t": "0",
    "void": "",
    "gb_ret": "gb_status_ret()",
}


def cdef() -> str:
    lines = [
        "typedef struct { int64_t status; char *data; size_t len; } gb_ret;",
        "typedef struct { const void *ptr; size_t len; } gb_span;",
        "int gb_open(const char *path, int start, char *err, size_t err_len);",
        "int gb_open_fd(const char *path, int fd, int start, char *err, size_t err_len);",
        "size_t gb_go_runtimes(const char *ours, char *out, size_t cap);",
        "const char *gb_loaded_path(void);",
        "int gb_forked(void);",
        "void gb_free(void *p);",
        "void *gb_malloc(size_t n);",
        "gb_ret gb_call_b1(uint64_t fid, uint64_t self, const char *args, size_t args_len, "
        "const void *buf, size_t buf_len);",
        "int64_t gb_reply(gb_ret *out, int64_t status, const char *data, size_t len);",
        # Go calls Python through this one entry: callbacks and host operations.
        'extern "Python" int64_t gb_py_invoke(uint64_t target, const char *args, size_t args_len, '
        "gb_ret *out);",
    ]
    lines.append("int gb_callbacks_init(void);")
    lines.append("int gb_function_install(const char *hidden_prefix);")
    lines.append("int gb_import_install(const char *hidden_prefix);")
    for name, value in STATUS.items():
        lines.append(f"#define {name} {value}")
    lines.append(f"#define GB_ABI_VERSION {ABI_VERSION}")
    for ret, name, params in PLAIN_FUNCTIONS:
        lines.append(f"{ret} gb_{name}({params});")
    return "\n".join(lines) + "\n"


def source() -> str:
    out = [
        "#include <dlfcn.h>",
        "#include <pthread.h>",
        "#include <signal.h>",
        "#include <stdint.h>",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "#include <string.h>",
        '#include "gb_function.h"',
        '#include "gb_import.h"',
        "typedef struct { int64_t status; char *data; size_t len; } gb_ret;",
        "typedef struct { const void *ptr; size_t len; } gb_span;",
    ]
    for name, value in STATUS.items():
        out.append(f"#define {name} {value}")
    out.append(f"#define GB_ABI_VERSION {ABI_VERSION}")
    out.append(
        """
/* Defined by cffi from the cdef's extern "Python" declarations. */
static int64_t gb_py_invoke(uint64_t target, const char *args, size_t args_len, gb_ret *out);
"""
    )
    out.extend(_scalar_entries())
    out.append(
        """
/* What the library may call back: handed over once, when it is opened. */
typedef struct {
    int64_t (*invoke)(uint64_t target, const char *args, size_t args_len, gb_ret *out);
    size_t nscalar;
    const gb_scalar_entry *scalar;
} gb_host;

static const gb_host gb_the_host = {
    gb_py_invoke, sizeof gb_scalar_entries / sizeof gb_scalar_entries[0], gb_scalar_entries};

static void *gb_mapped;  /* dlopened: the Go runtime is starting or has started */
static char gb_path[4096];  /* the library gb_mapped holds */
static void *gb_handle;  /* checked and handed the host: calls may go through */
static int gb_sigpipe_ignored;  /* Python's SIGPIPE disposition from before Go started */
static volatile int gb_forked_flag;
static pthread_mutex_t gb_open_lock = PTHREAD_MUTEX_INITIALIZER;

static void gb_invoke_unusable(uint64_t fid, gobridge_frame *frame);
extern void (*gb_invoke)(uint64_t fid, gobridge_frame *frame);

static void gb_on_fork_child(void) {
    gb_forked_flag = 1;
    gb_invoke = gb_invoke_unusable;
}

int gb_forked(void) { return gb_forked_flag; }

/* gb_go_runtimes writes, one per line, the objects loaded in the process
   that carry a Go runtime (Go's build-id note: name "Go", type 4), other
   than the library at `ours`; the main program is named by /proc/self/exe.
   It returns the number of bytes the list needs, which may exceed cap. */
#ifdef __linux__
#include <link.h>
#include <limits.h>
#include <unistd.h>

struct gb_go_scan {
    char ours[PATH_MAX]; char *out; size_t cap; size_t len;
    int have_mapped; ElfW(Addr) mapped_base;  /* our library, named gb_path */
};

static int gb_in_loaded_segment(const struct dl_phdr_info *info, ElfW(Addr) start, ElfW(Addr) end) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && start >= ph->p_vaddr && end <= ph->p_vaddr + ph->p_filesz)
            return 1;
    }
    return 0;
}

static int gb_has_go_note(const struct dl_phdr_info *info) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE ||
            !gb_in_loaded_segment(info, ph->p_vaddr, ph->p_vaddr + ph->p_filesz))
            continue;
        size_t align = ph->p_align == 8 ? 8 : 4;
        const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
        const unsigned char *end = p + ph->p_filesz;
        while ((size_t)(end - p) >= 12) {
            uint32_t namesz, descsz, type;
            memcpy(&namesz, p, 4);
            memcpy(&descsz, p + 4, 4);
            memcpy(&type, p + 8, 4);
            size_t room = (size_t)(end - p) - 12;
            size_t name_len = ((size_t)namesz + align - 1) & ~(align - 1);
            size_t desc_len = ((size_t)descsz + align - 1) & ~(align - 1);
            if (name_len > room || desc_len > room - name_len) break;
            if ((namesz == 3 || namesz == 4) && type == 4 && memcmp(p + 12, "Go", 3) == 0) return 1;
            p += 12 + name_len + desc_len;
        }
    }
    return 0;
}

static int gb_scan_object(struct dl_phdr_info *info, size_t size, void *data) {
    struct gb_go_scan *scan = data;
    char exe[PATH_MAX], real[PATH_MAX];
    const char *name = info->dlpi_name;
    (void)size;
    if (!gb_has_go_note(info)) return 0;
    /* A library gb_open_fd mapped is named /proc/self/fd/N by the loader. */
    if (scan->have_mapped && info->dlpi_addr == scan->mapped_base) name = gb_path;
    if (!name || !name[0]) {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) return 0;
        exe[n] = 0;
        name = exe;
    }
    if (realpath(name, real) && strcmp(real, scan->ours) == 0) return 0;
    size_t n = strlen(name);
    if (scan->len + n + 1 <= scan->cap) {
        memcpy(scan->out + scan->len, name, n);
        scan->out[scan->len + n] = '\\n';
    }
    scan->len += n + 1;
    return 0;
}

size_t gb_go_runtimes(const char *ours, char *out, size_t cap) {
    struct gb_go_scan scan = {{0}, out, cap, 0, 0, 0};
    struct link_map *mapped;
    if (!realpath(ours, scan.ours)) snprintf(scan.ours, sizeof scan.ours, "%s", ours);
    if (gb_mapped && dlinfo(gb_mapped, RTLD_DI_LINKMAP, &mapped) == 0) {
        scan.have_mapped = 1;
        scan.mapped_base = mapped->l_addr;
    }
    dl_iterate_phdr(gb_scan_object, &scan);
    return scan.len;
}
#else
size_t gb_go_runtimes(const char *ours, char *out, size_t cap) {
    (void)ours; (void)out; (void)cap;
    return 0;
}
#endif

const char *gb_loaded_path(void) { return gb_mapped ? gb_path : NULL; }

void gb_free(void *p) { free(p); }

void *gb_malloc(size_t n) { return malloc(n ? n : 1); }

/* gb_call_b1 is gb_call with one buffer passed by reference, the span
   built here rather than by a cffi allocation in Python. */
gb_ret gb_call(uint64_t fid, uint64_t self, const char *args, size_t args_len,
               const gb_span *bufs, size_t nbufs);

gb_ret gb_call_b1(uint64_t fid, uint64_t self, const char *args, size_t args_len,
                  const void *buf, size_t buf_len) {
    gb_span span = {buf, buf_len};
    return gb_call(fid, self, args, args_len, &span, 1);
}

/* gb_reply fills the reply of a call from Go into Python (gb_py_invoke)
   with a copy of data in memory the library frees. */
int64_t gb_reply(gb_ret *out, int64_t status, const char *data, size_t len) {
    out->status = status;
    out->data = malloc(len ? len : 1);
    out->len = out->data ? len : 0;
    if (out->data && len) memcpy(out->data, data, len);
    return status;
}

/* The status a shim returns when it cannot reach the library at all. */
static gb_ret gb_status_ret(void) {
    gb_ret r = {gb_forked_flag ? GB_FORKED : GB_NOT_LOADED, NULL, 0};
    return r;
}

static int gb_usable(void) { return gb_handle != NULL && !gb_forked_flag; }

static void (*p_invoke)(uint64_t fid, gobridge_frame *frame);

static void gb_invoke_unusable(uint64_t fid, gobridge_frame *frame) {
    (void)fid;
    frame->status = gb_forked_flag ? GB_FORKED : GB_NOT_LOADED;
}

/* Go's gobridge_invoke once the library is usable; the C layer calls
   through it without a check of its own on every call. */
void (*gb_invoke)(uint64_t fid, gobridge_frame *frame) = gb_invoke_unusable;
"""
    )
    for ret, name, params in PLAIN_FUNCTIONS:
        out.append(f"static {ret} (*p_{name})({params});")

    resolve = []
    for _, name, _ in PLAIN_FUNCTIONS:
        resolve.append(f'    GB_RESOLVE(p_{name}, "gobridge_{name}");')
    out.append(
        """
#define GB_RESOLVE(ptr, sym) do { \\
        *(void **)(&ptr) = dlsym(h, sym); \\
        if (!ptr) { snprintf(err, err_len, "%s: missing symbol %s", path, sym); goto fail; } \\
    } while (0)

/* gb_load_name is what dlopen is given for the library at `path`: with a
   descriptor the caller opened and checked (gobridge._trust), the file
   behind that descriptor, so that a file put at `path` after the check is
   never the one mapped. Elsewhere than Linux it is `path`. */
static const char *gb_load_name(const char *path, int fd, char *buf, size_t cap) {
#ifdef __linux__
    if (fd >= 0) {
        snprintf(buf, cap, "/proc/self/fd/%d", fd);
        return buf;
    }
#else
    (void)fd; (void)buf; (void)cap;
#endif
    return path;
}

/* gb_open_fd loads the Go library at the absolute path `path`, through
   the descriptor `fd` when it is not -1 (see gb_load_name); `path` names
   the library in messages and in the one-library check. Mapping it
   starts the Go runtime, which initialises on a thread of its own; with
   `start` 0 gb_open_fd returns right away, so the caller can go on
   meanwhile. With `start` 1 it also waits for the runtime, checks the ABI
   and hands over the host; only then do calls go through. It returns 0 on
   success (also when that library is already loaded or started), -2 when
   another library is already loaded, and -1 otherwise, with a message in
   err. */
int gb_open_fd(const char *path, int fd, int start, char *err, size_t err_len) {
    void *h = NULL;
    char by_fd[32];
    int rc = -1;
    pthread_mutex_lock(&gb_open_lock);
    if (gb_mapped && strcmp(path, gb_path) != 0) {
        snprintf(err, err_len,
                 "a different gobridge library is already loaded in this process (%s); "
                 "one process can hold one Go runtime, so %s cannot be loaded too",
                 gb_path, path);
        rc = -2;
        goto out;
    }
    if (gb_handle || (gb_mapped && !start)) {
        rc = 0;
        goto out;
    }
    if (gb_forked_flag) {
        snprintf(err, err_len, "the Go runtime does not survive fork()");
        goto out;
    }
    if (path[0] != '/') {
        snprintf(err, err_len, "refusing to load %s: the library path must be absolute", path);
        goto out;
    }
    if (strlen(path) >= sizeof gb_path) {
        snprintf(err, err_len, "library path too long");
        goto out;
    }
    if (!gb_mapped) {
        /* Python ignores SIGPIPE (so that a write to a closed pipe raises
           BrokenPipeError); the Go runtime installs its own handler. Keep
           Python's behaviour, for Go's writes and for the children Python
           starts, by restoring the disposition once Go has started. */
        struct sigaction sigpipe_before;
        sigaction(SIGPIPE, NULL, &sigpipe_before);
        gb_sigpipe_ignored = sigpipe_before.sa_handler == SIG_IGN;
        const char *load = gb_load_name(path, fd, by_fd, sizeof by_fd);
        h = dlopen(load, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            if (load == path)
                snprintf(err, err_len, "%s", dlerror());
            else
                snprintf(err, err_len, "%s (opened as %s): %s", path, load, dlerror());
            goto out;
        }
        strcpy(gb_path, path);
        gb_mapped = h;
        /* Go's threads exist from here on, and a forked child has none. */
        pthread_atfork(NULL, NULL, gb_on_fork_child);
        if (!start) {
            rc = 0;
            goto out;
        }
    }
    h = gb_mapped;
"""
        + "\n".join(resolve)
        + """
    GB_RESOLVE(p_invoke, "gobridge_invoke");
    void (*set_host)(const gb_host *);
    GB_RESOLVE(set_host, "gobridge_set_host");
    if (p_abi_version() != GB_ABI_VERSION) {
        snprintf(err, err_len, "%s speaks gobridge ABI version %u, this gobridge needs %d; "
                 "rebuild the library with this version of gobridge",
                 path, p_abi_version(), GB_ABI_VERSION);
        goto fail;
    }
    set_host(&gb_the_host);
    if (gb_sigpipe_ignored) {
        void (*ignore_sigpipe)(void);
        GB_RESOLVE(ignore_sigpipe, "gobridge_ignore_sigpipe");
        ignore_sigpipe();
    }
    gb_handle = h;
    gb_invoke = p_invoke;
    rc = 0;
    goto out;
fail:
    /* The Go runtime cannot be unloaded once started, so a library that
       failed the checks stays mapped but unused. */
    rc = -1;
out:
    pthread_mutex_unlock(&gb_open_lock);
    return rc;
}

/* gb_open is gb_open_fd by path alone. */
int gb_open(const char *path, int start, char *err, size_t err_len) {
    return gb_open_fd(path, -1, start, err, err_len);
}
"""
    )
    for ret, name, params in PLAIN_FUNCTIONS:
        names = [] if params == "void" else [p.split()[-1].lstrip("*") for p in params.split(",")]
        call = f"p_{name}({', '.join(names)})"
        fail = _RET_ON_FAILURE[ret]
        if ret == "void":
            body = f"if (gb_usable()) {call};"
        else:
            body = f"if (!gb_usable()) return {fail};\n    return {call};"
        out.append(f"{ret} gb_{name}({params}) {{\n    {body}\n}}")
    return "\n".join(out) + "\n"


_SCALAR_CALL = r"""
/* Scalar callbacks: Go calls a Python callable of a function type that is
   all scalars through one entry per kind, each a thin adapter over
   gb_scalar_call, which does in C what a Python entry would: look the
   callable up among those lent to Go (gobridge._callbacks._targets), skip
   it if its call has failed already, call it, and convert its result. The
   rare outcomes go back to Python: a callable no longer lent, and a result
   that does not fit (kept for Go to ask about, see _callbacks._explain). */
typedef int32_t (*gb_scalar_entry)(uint64_t target, uint64_t a0, uint64_t a1, uint64_t *out);

#define GB_CALL_BITS 16
#define GB_STALE 5
#define GB_UNCONVERTED 6

static PyObject *gb_cb_targets, *gb_cb_raised, *gb_cb_unconverted, *gb_cb_stale, *gb_cb_record;

/* gb_callbacks_init takes the callback tables from gobridge._callbacks,
   already in sys.modules (importing could run gobridge's own __import__,
   which needs Go); 0 on success. */
int gb_callbacks_init(void) {
    int rc = -1;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *mod = PyDict_GetItemString(PyImport_GetModuleDict(), "gobridge._callbacks");
    if (mod) {
        Py_INCREF(mod);
        gb_cb_targets = PyObject_GetAttrString(mod, "_targets");
        gb_cb_raised = PyObject_GetAttrString(mod, "_raised");
        gb_cb_unconverted = PyObject_GetAttrString(mod, "_unconverted");
        gb_cb_stale = PyObject_GetAttrString(mod, "_stale");
        gb_cb_record = PyObject_GetAttrString(mod, "_record");
        Py_DECREF(mod);
        if (gb_cb_targets && gb_cb_raised && gb_cb_unconverted && gb_cb_stale && gb_cb_record)
            rc = 0;
    }
    if (rc) PyErr_Clear();
    PyGILState_Release(gil);
    return rc;
}

static PyObject *gb_scalar_arg(char kind, uint64_t raw) {
    switch (kind) {
    case 'i': return PyLong_FromLongLong((long long)raw);
    case 'u': return PyLong_FromUnsignedLongLong(raw);
    default: { double d; memcpy(&d, &raw, 8); return PyFloat_FromDouble(d); }
    }
}

/* gb_scalar_result converts what the callable returned as the entry's
   result kind says; 0 when it does not fit. */
static int gb_scalar_result(char kind, PyObject *value, uint64_t *out) {
    switch (kind) {
    case 'v':
        *out = 0;
        return 1;
    case 'b':
        if (value != Py_True && value != Py_False) return 0;
        *out = value == Py_True;
        return 1;
    case 'd': {
        if (!PyFloat_Check(value) && !PyLong_Check(value)) return 0;
        double d = PyFloat_AsDouble(value);
        if (d == -1.0 && PyErr_Occurred()) { PyErr_Clear(); return 0; }
        memcpy(out, &d, 8);
        return 1;
    }
    case 'i': {
        if (!PyLong_Check(value)) return 0;
        long long n = PyLong_AsLongLong(value);
        if (n == -1 && PyErr_Occurred()) { PyErr_Clear(); return 0; }
        *out = (uint64_t)n;
        return 1;
    }
    default: {
        if (!PyLong_Check(value)) return 0;
        unsigned long long n = PyLong_AsUnsignedLongLong(value);
        if (n == (unsigned long long)-1 && PyErr_Occurred()) { PyErr_Clear(); return 0; }
        *out = n;
        return 1;
    }
    }
}

/* gb_scalar_call calls the callable lent as target with nargs raw
   arguments, kinds naming their kinds and then the result's; it returns
   the status for Go. */
static int32_t gb_scalar_call(uint64_t target, const char *kinds, int nargs, uint64_t a0,
                              uint64_t a1, uint64_t *out) {
    int32_t status = GB_ERROR;
    PyObject *key = NULL, *fn, *args = NULL, *value = NULL;
    *out = 0;
    if (!Py_IsInitialized() || !gb_cb_targets) return GB_NOT_LOADED;
    PyGILState_STATE gil = PyGILState_Ensure();
    key = PyLong_FromUnsignedLongLong(target);
    if (!key) goto failed;
    fn = PyDict_GetItemWithError(gb_cb_targets, key); /* borrowed */
    if (!fn) {
        if (PyErr_Occurred()) goto failed;
        PyObject *r = PyObject_CallObject(gb_cb_stale, NULL);
        Py_XDECREF(r);
        if (!r) PyErr_Clear();
        status = GB_STALE;
        goto done;
    }
    Py_INCREF(fn);
    if (PyDict_Size(gb_cb_raised) > 0) {
        PyObject *call = PyLong_FromUnsignedLongLong(target & ~(((uint64_t)1 << GB_CALL_BITS) - 1));
        int failed_before = call ? PyDict_Contains(gb_cb_raised, call) : -1;
        Py_XDECREF(call);
        if (failed_before) {
            if (failed_before < 0) PyErr_Clear();
            Py_DECREF(fn);
            goto done;
        }
    }
    args = PyTuple_New(nargs);
    if (!args) { Py_DECREF(fn); goto failed; }
    for (int i = 0; i < nargs; i++) {
        PyObject *arg = gb_scalar_arg(kinds[i], i == 0 ? a0 : a1);
        if (!arg) { Py_DECREF(fn); goto failed; }
        PyTuple_SetItem(args, i, arg);
    }
    value = PyObject_Call(fn, args, NULL);
    Py_DECREF(fn);
    if (!value) goto failed;
    if (gb_scalar_result(kinds[nargs], value, out)) {
        status = GB_OK;
    } else if (PyDict_SetItem(gb_cb_unconverted, key, value) == 0) {
        status = GB_UNCONVERTED;
    } else {
        goto failed;
    }
    goto done;
failed: {
        /* Kept with the call, and raised when the Go call returns. */
        PyObject *type, *exc, *tb;
        PyErr_Fetch(&type, &exc, &tb);
        PyErr_NormalizeException(&type, &exc, &tb);
        if (exc && tb) PyException_SetTraceback(exc, tb);
        if (exc && key) {
            PyObject *r = PyObject_CallFunctionObjArgs(gb_cb_record, key, exc, NULL);
            Py_XDECREF(r);
            if (!r) PyErr_Clear();
        }
        Py_XDECREF(type);
        Py_XDECREF(exc);
        Py_XDECREF(tb);
        status = GB_ERROR;
    }
done:
    Py_XDECREF(value);
    Py_XDECREF(args);
    Py_XDECREF(key);
    PyGILState_Release(gil);
    return status;
}
"""


def _scalar_entries() -> list[str]:
    """The scalar callback entries, one per kind, and their table."""
    out = [_SCALAR_CALL]
    names = []
    for args, result in callback_kinds():
        name = callback_name(args, result)
        names.append(name)
        out.append(
            f"static int32_t {name}(uint64_t target, uint64_t a0, uint64_t a1, uint64_t *out) "
            f'{{ return gb_scalar_call(target, "{args}{result}", {len(args)}, a0, a1, out); }}'
        )
    out.append("static const gb_scalar_entry gb_scalar_entries[] = {" + ", ".join(names) + "};")
    return out


def make_builder(absolute_sources: bool = False) -> cffi.FFI:
    """The cffi build of ``gobridge._native``. setuptools builds it from the
    project's directory, with the C layer's sources named relative to it (an
    sdist carries them); cffi's own ``compile`` builds inside a temporary
    directory, where only absolute names resolve."""
    builder = cffi.FFI()
    builder.cdef(cdef())
    sources = C_SOURCES if absolute_sources else [os.path.relpath(path) for path in C_SOURCES]
    builder.set_source(
        "gobridge._native",
        source(),
        sources=sources,
        include_dirs=[HERE, CAPI_DIR],
        depends=[
            os.path.join(HERE, name)
            for name in ("gb_function.h", "gb_import.h", "gb_stable.h", "gb_traceback.h")
        ]
        + [os.path.join(CAPI_DIR, "frame.h")],
        libraries=["dl", "pthread", "m"],
        extra_compile_args=["-O2", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"],
    )
    return builder


ffibuilder = make_builder()

if __name__ == "__main__":
    make_builder(absolute_sources=True).compile(verbose=True)
