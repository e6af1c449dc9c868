package capi

/*
#include <stdint.h>
*/
import "C"

//go:generate go run gen_fastcall.go

// The values a fast-path entry returns when it has parked an error; the
// Python wrapper then checks gobridge_fast_error_pending, since a real
// result may equal them. bridge/native_build.py has the same values.
const (
	sentinelI C.int64_t  = -1073741823
	sentinelU C.uint64_t = 1073741823
	sentinelD C.double   = -0x1p-1070
)
