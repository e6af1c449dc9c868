#include <stdlib.h>
#include <string.h>
#include "abi.h"

gobridge_ret gobridge_copy_out(int64_t status, const void *data, size_t len) {
    gobridge_ret r = {status, malloc(len + 1), len};
    if (r.data && len) memcpy(r.data, data, len);
    return r;
}

/* The Python side's entry points, set once when the shim opens the library. */
static const gobridge_host *the_host;

void gobridge_set_host_entries(const gobridge_host *host) { the_host = host; }

int64_t gobridge_host_invoke(uint64_t target, const char *args, size_t args_len,
                             gobridge_ret *out) {
    return the_host->invoke(target, args, args_len, out);
}

gobridge_scalar_ret gobridge_call_scalar(size_t kind, uint64_t target, uint64_t a0, uint64_t a1) {
    gobridge_scalar_ret r = {2, 0}; /* GB_ERROR: no such entry */
    if (kind < the_host->nscalar) r.status = the_host->scalar[kind](target, a0, a1, &r.value);
    return r;
}
