/* The C side of gobridge's ABI: types shared with the cffi shim, and the
   host's entry points, through which Go calls Python. */
#ifndef GOBRIDGE_CAPI_H
#define GOBRIDGE_CAPI_H
#include <stddef.h>
#include <stdint.h>

typedef struct { int64_t status; char *data; size_t len; } gobridge_ret;
typedef struct { const void *ptr; size_t len; } gobridge_span;

/* A scalar callback entry: raw 64-bit arguments and result, whatever the
   C types of the Python entry behind it. */
typedef int32_t (*gobridge_scalar_entry)(uint64_t target, uint64_t a0, uint64_t a1,
                                         uint64_t *out);

/* The Python side's entry points, handed over by the shim when it opens the
   library: the general one, with marshalled arguments and reply, and one per
   scalar callback kind (see internal/bridge/scalarcallbacks.go). */
typedef struct {
    int64_t (*invoke)(uint64_t target, const char *args, size_t args_len, gobridge_ret *out);
    size_t nscalar;
    const gobridge_scalar_entry *scalar;
} gobridge_host;

/* The host is kept on the C side, so that calls into Python pass no host
   pointer through cgo's argument check. */
void gobridge_set_host_entries(const gobridge_host *host);
int64_t gobridge_host_invoke(uint64_t target, const char *args, size_t args_len,
                             gobridge_ret *out);
/* The status and raw result of a scalar callback, returned by value so that
   Go passes no pointer to C. */
typedef struct { int32_t status; uint64_t value; } gobridge_scalar_ret;

gobridge_scalar_ret gobridge_call_scalar(size_t kind, uint64_t target, uint64_t a0, uint64_t a1);

gobridge_ret gobridge_copy_out(int64_t status, const void *data, size_t len);

#endif
