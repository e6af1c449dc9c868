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

/* Room for what Go keeps while it writes a call's results, so that a call
   allocates nothing. */
typedef struct {
    uint64_t words[12];
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
