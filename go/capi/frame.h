/* The frame of a call through the C layer (see internal/bridge/frame.go):
   the compiled shim fills the arguments, Go writes the results. This header
   is the one definition both sides compile. */
#ifndef GOBRIDGE_FRAME_H
#define GOBRIDGE_FRAME_H
#include <stdint.h>

/* A scalar's 64-bit pattern in word, or the address of C memory in word
   and its length in len. */
typedef struct {
    uint64_t word;
    uint64_t len;
} gobridge_slot;

/* Set in the len of a str or bytes result's slot when its word is a new
   reference to the Python object the builder made for that result and Go
   filled. A scalar result's len is not written: it means nothing there. */
#define GOBRIDGE_SLOT_OBJECT ((uint64_t)1 << 63)

/* What a large str or bytes result is built in (see
   internal/bridge/frame.go): the Python object, and where its len bytes
   go. object is NULL when Python is out of memory. */
typedef struct {
    void *object;
    char *data;
} gobridge_built;

/* The C layer's makers of large results, called by Go while it writes a
   call's results, with or without the GIL: make takes it itself. make
   builds bytes (kind 'y') or a str of ASCII characters (kind 's') of
   length len; drop gives back an object of a call that failed after. */
typedef struct {
    gobridge_built (*make)(int32_t kind, uint64_t len);
    void (*drop)(void *object);
} gobridge_builder;

/* Room for what Go keeps while it writes a call's results, so that a call
   allocates nothing. The caller need not clear it: Go does. */
typedef struct {
    uint64_t words[14];
} gobridge_go_state;

typedef struct {
    uint64_t self;              /* the receiver's handle, for methods; else 0 */
    const gobridge_slot *args;
    uint64_t nargs;
    gobridge_slot *results;     /* one per Go result, the error not counted */
    uint64_t nresults;
    void *scratch;              /* C memory for the results, 8-byte aligned */
    uint64_t scratch_len;
    void *spill;                /* out: the results' memory when scratch was too
                                   small; the caller frees it */
    const gobridge_builder *builder; /* large str and bytes results are built in
                                        place through it; NULL: never */
    int64_t status;             /* out: GB_OK, or GB_ERROR with error set */
    char *error;                /* out: the error record, malloc'd */
    uint64_t error_len;
    gobridge_go_state go_state; /* Go's, during the call */
} gobridge_frame;

/* The outcome of a scalar call (gobridge_invoke_scalar). */
typedef struct {
    uint64_t word;              /* the result's 64-bit pattern, 0 when none */
    char *error;                /* the error record, malloc'd, when the
                                   status is GB_ERROR */
    uint64_t error_len;
} gobridge_scalar_result;

#endif
