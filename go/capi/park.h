/* The C side of gobridge's ABI: types shared with the cffi shim, and the
   per-thread slot where the scalar fast path parks its error. */
#ifndef GOBRIDGE_CAPI_H
#define GOBRIDGE_CAPI_H
#include <stddef.h>
#include <stdint.h>

typedef struct { int64_t status; char *data; size_t len; } gobridge_ret;
typedef struct { const void *ptr; size_t len; } gobridge_span;

/* The Python side's entry points, handed over by the shim when it opens the
   library. */
typedef struct {
    int64_t (*invoke)(uint64_t target, const char *args, size_t args_len, gobridge_ret *out);
} gobridge_host;

int64_t gobridge_host_invoke(const gobridge_host *host, uint64_t target, const char *args,
                             size_t args_len, gobridge_ret *out);

void gobridge_park_error(char *data, size_t len);
int32_t gobridge_parked(void);
gobridge_ret gobridge_unpark(void);
gobridge_ret gobridge_copy_out(int64_t status, const void *data, size_t len);

#endif
