/* The Go library as gobridge._native reaches it.

   gobridge._native is not linked against the Go library. gb_open_fd
   dlopens the library the Python side names, checks it and resolves the
   gobridge_* functions used here; each gb_<name> of GB_FORWARDED forwards
   to gobridge_<name>. The loader is also the one place that refuses a
   second, different library and that notices a fork() after the Go runtime
   started: a forked child has no Go runtime threads, so calling into Go
   there would hang, and every call returns GB_FORKED instead.

   bridge/native_build.py makes cffi's declarations (its cdef) from this
   file: keep each declaration Python calls a plain prototype or typedef,
   and GB_FORWARDED one X(...) per function. */
#ifndef GB_LOADER_H
#define GB_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "gb_status.h"

/* The version of the C ABI the loader requires of a library: go/capi's
   ABIVersion. */
#define GB_ABI_VERSION 8

typedef gobridge_ret gb_ret;
typedef gobridge_span gb_span;

/* gb_open_fd loads the Go library at the absolute path `path`, through the
   descriptor `fd` when it is not -1: then the file behind `fd`, which the
   caller opened and checked (gobridge._trust), is the one mapped, whatever
   is at `path` by then; `path` names the library in messages and in the
   one-library check. Mapping it starts the Go runtime, which initialises
   on a thread of its own: with `start` 0 gb_open_fd returns right away, so
   the caller can go on meanwhile. With `start` 1 it also waits for the
   runtime, checks the ABI and hands over the host (gb_callbacks.h); only
   then do calls go through. It returns 0 on success (also when that
   library is already loaded or started), -2 when another library is
   already loaded, and -1 otherwise, with a message in err. */
int gb_open_fd(const char *path, int fd, int start, char *err, size_t err_len);

/* gb_open is gb_open_fd by path alone. */
int gb_open(const char *path, int start, char *err, size_t err_len);

/* gb_loaded_path returns the path of the library mapped, or NULL. */
const char *gb_loaded_path(void);

/* gb_forked reports whether this process is a child forked after the
   library was mapped. */
int gb_forked(void);

/* gb_go_runtimes writes, one per line, the objects loaded in the process
   that carry a Go runtime (Go's build-id note), other than the library at
   `ours`; the main program is named by /proc/self/exe. It returns the
   number of bytes the list needs, which may exceed cap. Elsewhere than
   Linux the list is empty. */
size_t gb_go_runtimes(const char *ours, char *out, size_t cap);

/* gb_free frees what the library returned (a gb_ret's data); gb_malloc
   allocates what the library frees. */
void gb_free(void *p);
void *gb_malloc(size_t n);

/* gb_call_b1 is gb_call with one buffer passed by reference, the span
   built here rather than by a cffi allocation in Python. */
gb_ret gb_call_b1(uint64_t fid, uint64_t self, const char *args, size_t args_len,
                  const void *buf, size_t buf_len);

/* gb_reply fills the reply of a call from Go into Python (gb_py_invoke)
   with a copy of data, in memory the library frees; it returns status. */
int64_t gb_reply(gb_ret *out, int64_t status, const char *data, size_t len);

/* The library's functions Python calls: X(return type, name, parameters,
   arguments) declares gb_<name>, which calls gobridge_<name> when the
   library is usable and otherwise returns what says it is not: a gb_ret
   with the status GB_FORKED or GB_NOT_LOADED, or 0. */
#define GB_FORWARDED(X) \
    X(uint32_t, abi_version, (void), ()) \
    X(gb_ret, runtime_info, (void), ()) \
    X(gb_ret, registry, (void), ()) \
    X(gb_ret, module_new, (const char *name, size_t name_len), (name, name_len)) \
    X(gb_ret, call, \
      (uint64_t fid, uint64_t self, const char *args, size_t args_len, const gb_span *bufs, \
       size_t nbufs), \
      (fid, self, args, args_len, bufs, nbufs)) \
    X(gb_ret, describe, (uint64_t fid), (fid)) \
    X(gb_ret, type_info, (uint64_t tid), (tid)) \
    X(gb_ret, error_info, (const char *key, size_t key_len), (key, key_len)) \
    X(uint64_t, call_start, \
      (uint64_t fid, uint64_t self, const char *args, size_t args_len, const gb_span *bufs, \
       size_t nbufs, uint64_t done), \
      (fid, self, args, args_len, bufs, nbufs, done)) \
    X(void, call_cancel, (uint64_t id, int32_t timeout), (id, timeout)) \
    X(gb_ret, call_finish, (uint64_t id), (id)) \
    X(void, release, (uint64_t handle), (handle)) \
    X(gb_ret, stats, (void), ()) \
    X(gb_ret, pickle, (uint64_t handle), (handle)) \
    X(gb_ret, unpickle, \
      (const char *name, size_t name_len, const char *module, size_t module_len, \
       const char *format, size_t format_len, const char *data, size_t data_len), \
      (name, name_len, module, module_len, format, format_len, data, data_len)) \
    X(gb_ret, copy, (uint64_t handle), (handle))

#define GB_DECLARE_FORWARDER(ret, name, params, args) ret gb_##name params;
GB_FORWARDED(GB_DECLARE_FORWARDER)
#undef GB_DECLARE_FORWARDER

#endif
