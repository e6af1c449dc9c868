package capi

/*
#include <stdlib.h>
#include "abi.h"
*/
import "C"

import (
	"os/signal"
	"syscall"
	"unsafe"

	"github.com/gobridge/gobridge/internal/bridge"
)

//export gobridge_set_host
func gobridge_set_host(h *C.gobridge_host) {
	C.gobridge_set_host_entries(h)
	bridge.SetPython(invokePython)
	bridge.SetPythonScalar(invokePythonScalar)
}

// invokePython calls target on the Python side with marshalled arguments and
// returns its status and marshalled reply. cffi takes the GIL for the call.
// The bridge calls it only once gobridge_set_host has installed it.
func invokePython(target uint64, args []byte) (bridge.Status, []byte) {
	var p *C.char
	if len(args) > 0 {
		// Python reads the arguments only during the call, so it may see
		// Go memory (which holds no Go pointers).
		p = (*C.char)(unsafe.Pointer(&args[0]))
	}
	var out C.gobridge_ret
	C.gobridge_host_invoke(C.uint64_t(target), p, C.size_t(len(args)), &out)
	reply := C.GoBytes(unsafe.Pointer(out.data), C.int(out.len))
	C.free(unsafe.Pointer(out.data))
	return bridge.Status(out.status), reply
}

// invokePythonScalar calls the shim's scalar callback entry kind.
func invokePythonScalar(kind int, target, a0, a1 uint64) (bridge.Status, uint64) {
	r := C.gobridge_call_scalar(C.size_t(kind), C.uint64_t(target), C.uint64_t(a0), C.uint64_t(a1))
	return bridge.Status(r.status), uint64(r.value)
}

//export gobridge_ignore_sigpipe
func gobridge_ignore_sigpipe() { signal.Ignore(syscall.SIGPIPE) }
