/* Go calling Python: the host handed to the library when it is opened.

   Go calls a Python callable through gb_py_invoke, with marshalled
   arguments and reply, unless the callable's Go function type is all
   scalars: then through the scalar entry of its kind, which does in C what
   gb_py_invoke does in Python -- look the callable up among those lent to
   Go (gobridge._callbacks), skip it if its call has failed already, call
   it and convert its result. The rare outcomes go back to Python: a
   callable no longer lent, and a result that does not fit, which is kept
   for Go to ask about (gobridge._callbacks._explain). */
#ifndef GB_CALLBACKS_H
#define GB_CALLBACKS_H

#include "gb_loader.h"

/* The kinds of scalar callbacks, one X(arguments, result) each, in the
   order of the host's table, which callbackKind in
   go/internal/bridge/scalarcallbacks.go gives too: arities 0 to
   MaxFastArity, argument kinds in the order i, u, d, results in the order
   i, u, d, b, v. A kind is a letter: i int64, u uint64, d float64, b bool
   (results only), v none. bridge/native_build.py (callback_kinds) and a Go
   test read this table: keep it one X(...) per kind. */
#define GB_SCALAR_KINDS(X) \
    X(v, i) X(v, u) X(v, d) X(v, b) X(v, v) \
    X(i, i) X(i, u) X(i, d) X(i, b) X(i, v) \
    X(u, i) X(u, u) X(u, d) X(u, b) X(u, v) \
    X(d, i) X(d, u) X(d, d) X(d, b) X(d, v) \
    X(ii, i) X(ii, u) X(ii, d) X(ii, b) X(ii, v) \
    X(iu, i) X(iu, u) X(iu, d) X(iu, b) X(iu, v) \
    X(id, i) X(id, u) X(id, d) X(id, b) X(id, v) \
    X(ui, i) X(ui, u) X(ui, d) X(ui, b) X(ui, v) \
    X(uu, i) X(uu, u) X(uu, d) X(uu, b) X(uu, v) \
    X(ud, i) X(ud, u) X(ud, d) X(ud, b) X(ud, v) \
    X(di, i) X(di, u) X(di, d) X(di, b) X(di, v) \
    X(du, i) X(du, u) X(du, d) X(du, b) X(du, v) \
    X(dd, i) X(dd, u) X(dd, d) X(dd, b) X(dd, v)

/* The host: gb_py_invoke and the scalar entries, in GB_SCALAR_KINDS'
   order. */
extern const gobridge_host gb_host;

/* gb_py_invoke is gobridge._callbacks.gb_py_invoke, made a C function by
   cffi from the extern "Python+C" declaration that native_build.py makes
   of this one. */
int64_t gb_py_invoke(uint64_t target, const char *args, size_t args_len, gb_ret *out);

/* gb_callbacks_init takes the scalar entries' tables from
   gobridge._callbacks, which must be in sys.modules; it returns 0 on
   success, -1 otherwise. */
int gb_callbacks_init(void);

#endif
