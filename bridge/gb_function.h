/* gobridge.GoFunction and gobridge.GoMethod: Go functions and methods as
   C-level callables.

   A GoFunction is made from a function's description (see
   go/internal/bridge/frame.go for its frame signature). A call converts the
   arguments in C, releases the GIL once, calls Go through gobridge_invoke
   (or, for a function of numbers, gobridge_invoke_scalar, with no frame),
   and builds the result in C. Whatever the frame path does not take --
   keyword arguments, a wrong number of arguments, a value that does not
   convert -- goes to the function's general path, a Python callable with
   the same signature, whose frames are then removed from the traceback. */
#ifndef GB_FUNCTION_H
#define GB_FUNCTION_H

#include <stdint.h>

#include "frame.h"

/* gb_function_install adds the GoFunction and GoMethod types to the module
   gobridge._native, which must be in sys.modules. Frames of files whose
   name starts with hidden_prefix (gobridge's package directory) are kept out
   of tracebacks. It returns 0 on success, -1 with a Python error printed. */
int gb_function_install(const char *hidden_prefix);

/* gb_call_fastcall calls callable with the arguments of a vectorcall or
   METH_FASTCALL call (args, nargs positional, then the values of kwnames),
   through the limited API's PyObject_Call. */
PyObject *gb_call_fastcall(PyObject *callable, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames);

/* gb_invoke is Go's gobridge_invoke while the library can be called, and
   otherwise a function that sets the frame's status to GB_FORKED or
   GB_NOT_LOADED. The loader (gb_loader.c) defines it, with the library's
   other entry points. */
extern void (*gb_invoke)(uint64_t fid, gobridge_frame *frame);

/* gb_invoke_scalar is Go's gobridge_invoke_scalar, the call of a function
   whose frame signature starts with "=", in the same way; it returns the
   call's status. */
extern int64_t (*gb_invoke_scalar)(uint64_t fid, uint64_t self, uint64_t a0, uint64_t a1,
                                   gobridge_scalar_result *out);

#endif
