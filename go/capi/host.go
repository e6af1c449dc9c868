package capi

/*
#include <stdlib.h>
#include "park.h"
*/
import "C"

import (
	"errors"
	"os/signal"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/gobridge/gobridge/internal/bridge"
)

var host atomic.Pointer[C.gobridge_host]

//export gobridge_set_host
func gobridge_set_host(h *C.gobridge_host) {
	host.Store(h)
	C.gobridge_set_scalar_entries(h)
	bridge.SetPython(invokePython)
	bridge.SetPythonScalar(invokePythonScalar)
}

var errNoHost = errors.New("gobridge: the Python side has not registered itself")

// invokePython calls target on the Python side with marshalled arguments and
// returns its status and marshalled reply. cffi takes the GIL for the call.
func invokePython(target uint64, args []byte) (bridge.Status, []byte, error) {
	h := host.Load()
	if h == nil {
		return 0, nil, errNoHost
	}
	var p *C.char
	if len(args) > 0 {
		// Python reads the arguments only during the call, so it may see
		// Go memory (which holds no Go pointers).
		p = (*C.char)(unsafe.Pointer(&args[0]))
	}
	var out C.gobridge_ret
	C.gobridge_host_invoke(h, C.uint64_t(target), p, C.size_t(len(args)), &out)
	reply := C.GoBytes(unsafe.Pointer(out.data), C.int(out.len))
	C.free(unsafe.Pointer(out.data))
	return bridge.Status(out.status), reply, nil
}

// invokePythonScalar calls the shim's scalar callback entry kind.
func invokePythonScalar(kind int, target, a0, a1 uint64) (bridge.Status, uint64) {
	r := C.gobridge_call_scalar(C.size_t(kind), C.uint64_t(target), C.uint64_t(a0), C.uint64_t(a1))
	return bridge.Status(r.status), uint64(r.value)
}

//export gobridge_ignore_sigpipe
func gobridge_ignore_sigpipe() { signal.Ignore(syscall.SIGPIPE) }
