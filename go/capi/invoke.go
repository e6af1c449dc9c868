package capi

/*
#include <stdlib.h>
#include "frame.h"

static gobridge_built gb_build(const gobridge_builder *b, int32_t kind, uint64_t len) {
    return b->make(kind, len);
}

static void gb_drop(const gobridge_builder *b, void *object) { b->drop(object); }
*/
import "C"

import (
	"unsafe"

	"github.com/gobridge/gobridge/internal/bridge"
)

func init() {
	bridge.SetCMemory(
		func(n int) unsafe.Pointer { return C.malloc(C.size_t(n)) },
		func(p unsafe.Pointer) { C.free(p) },
	)
	bridge.SetObjectBuilder(
		func(b unsafe.Pointer, kind byte, n int) (obj, data unsafe.Pointer) {
			built := C.gb_build((*C.gobridge_builder)(b), C.int32_t(kind), C.uint64_t(n))
			return built.object, unsafe.Pointer(built.data)
		},
		func(b, obj unsafe.Pointer) { C.gb_drop((*C.gobridge_builder)(b), obj) },
	)
}

// gobridge_invoke calls function fid (a method when fr.self is the handle
// of its receiver) with the arguments of frame fr and writes its results,
// or an error record, to fr. The shim has converted
// the arguments by the function's frame signature, which describe reports.
//
//export gobridge_invoke
func gobridge_invoke(fid C.uint64_t, fr *C.gobridge_frame) {
	args := unsafe.Slice((*bridge.Slot)(unsafe.Pointer(fr.args)), int(fr.nargs))
	results := unsafe.Slice((*bridge.Slot)(unsafe.Pointer(fr.results)), int(fr.nresults))
	var scratch []byte
	if fr.scratch != nil {
		scratch = unsafe.Slice((*byte)(fr.scratch), int(fr.scratch_len))
	}
	state := bridge.FrameStateIn(unsafe.Slice((*uint64)(unsafe.Pointer(&fr.go_state)), len(fr.go_state.words)))
	state.SetBuilder(unsafe.Pointer(fr.builder))
	spill, err := bridge.Invoke(uint64(fid), uint64(fr.self), args, results, scratch, state)
	fr.spill = spill
	if err == nil {
		fr.status = C.int64_t(bridge.OK)
		return
	}
	enc := getEncoder()
	ret := finish(bridge.WriteError(enc, err), enc)
	fr.status = C.int64_t(ret.status)
	fr.error = ret.data
	fr.error_len = C.uint64_t(ret.len)
}

// gobridge_invoke_scalar calls scalar function fid (a method when self is
// the handle of its receiver) on the 64-bit patterns of its arguments,
// writes its result's pattern, or an error record, to out, and returns the
// status. The frame signature of such a function starts with "=".
//
//export gobridge_invoke_scalar
func gobridge_invoke_scalar(fid, self, a0, a1 C.uint64_t, out *C.gobridge_scalar_result) C.int64_t {
	r, err := bridge.InvokeScalar(uint64(fid), uint64(self), uint64(a0), uint64(a1))
	if err == nil {
		out.word = C.uint64_t(r)
		return C.int64_t(bridge.OK)
	}
	enc := getEncoder()
	ret := finish(bridge.WriteError(enc, err), enc)
	out.error = ret.data
	out.error_len = C.uint64_t(ret.len)
	return C.int64_t(ret.status)
}
