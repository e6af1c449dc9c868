/* The C side of gobridge's ABI: types shared with the cffi shim, and the
   per-thread slot where the scalar fast path parks its error. */
#ifndef GOBRIDGE_CAPI_H
#define GOBRIDGE_CAPI_H
#include <stddef.h>
#include <stdint.h>

typedef struct { int64_t status; char *data; size_t len; } gobridge_ret;
typedef struct { const void *ptr; size_t len; } gobridge_span;

void gobridge_park_error(char *data, size_t len);
int32_t gobridge_parked(void);
gobridge_ret gobridge_unpark(void);
gobridge_ret gobridge_copy_out(int64_t status, const void *data, size_t len);

#endif
