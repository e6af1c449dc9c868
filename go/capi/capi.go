// Package capi is gobridge's C ABI: the gobridge_* functions a c-shared
// build of the library exports, as listed in docs/design.md. It converts
// between C types and Go, and leaves everything else to package bridge.
package capi

/*
#include <stdlib.h>
#include <string.h>
#include "abi.h"
*/
import "C"

import (
	"sync"
	"unsafe"

	"github.com/gobridge/gobridge/internal/bridge"
	"github.com/gobridge/gobridge/internal/pymarshal"
)

// ABIVersion is the version of the C ABI; the cffi shim refuses a library
// that speaks another one.
const ABIVersion = 8

// maxPooledBuffer keeps one huge result from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

var encoders = sync.Pool{New: func() any { return pymarshal.NewEncoder(make([]byte, 0, 256)) }}

func getEncoder() *pymarshal.Encoder {
	enc := encoders.Get().(*pymarshal.Encoder)
	enc.Reset()
	return enc
}

// finish copies what enc holds into C memory the caller frees, and
// recycles enc.
func finish(status bridge.Status, enc *pymarshal.Encoder) C.gobridge_ret {
	data := enc.Bytes()
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	ret := C.gobridge_copy_out(C.int64_t(status), p, C.size_t(len(data)))
	if ret.data == nil {
		panic("gobridge: out of C memory")
	}
	if cap(data) <= maxPooledBuffer {
		encoders.Put(enc)
	}
	return ret
}

// run gives fn a pooled encoder and returns what it wrote.
func run(fn func(*pymarshal.Encoder) bridge.Status) C.gobridge_ret {
	enc := getEncoder()
	return finish(fn(enc), enc)
}

func goBytes(p *C.char, n C.size_t) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

//export gobridge_abi_version
func gobridge_abi_version() C.uint32_t { return ABIVersion }

//export gobridge_runtime_info
func gobridge_runtime_info() C.gobridge_ret {
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.RuntimeInfo(ABIVersion, enc) })
}

//export gobridge_registry
func gobridge_registry() C.gobridge_ret { return run(bridge.Registry) }

//export gobridge_module_new
func gobridge_module_new(name *C.char, n C.size_t) C.gobridge_ret {
	s := string(goBytes(name, n))
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.ModuleNew(s, enc) })
}

//export gobridge_describe
func gobridge_describe(fid C.uint64_t) C.gobridge_ret {
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.Describe(uint64(fid), enc) })
}

//export gobridge_type_info
func gobridge_type_info(tid C.uint64_t) C.gobridge_ret {
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.TypeInfo(uint64(tid), enc) })
}

//export gobridge_error_info
func gobridge_error_info(key *C.char, n C.size_t) C.gobridge_ret {
	s := string(goBytes(key, n))
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.ErrorInfo(s, enc) })
}

//export gobridge_call
func gobridge_call(fid, self C.uint64_t, args *C.char, n C.size_t, bufs *C.gobridge_span, nbufs C.size_t) C.gobridge_ret {
	enc := getEncoder()
	return finish(bridge.Call(uint64(fid), uint64(self), goBytes(args, n), spansOf(bufs, nbufs), enc), enc)
}

// spansOf views the buffers Python passed by reference.
func spansOf(bufs *C.gobridge_span, nbufs C.size_t) [][]byte {
	if nbufs == 0 {
		return nil
	}
	cs := unsafe.Slice(bufs, int(nbufs))
	spans := make([][]byte, len(cs))
	for i, s := range cs {
		spans[i] = goBytes((*C.char)(s.ptr), s.len)
	}
	return spans
}

//export gobridge_call_start
func gobridge_call_start(fid, self C.uint64_t, args *C.char, n C.size_t, bufs *C.gobridge_span, nbufs C.size_t, done C.uint64_t) C.uint64_t {
	return C.uint64_t(bridge.StartCall(uint64(fid), uint64(self), goBytes(args, n), spansOf(bufs, nbufs), uint64(done)))
}

//export gobridge_call_cancel
func gobridge_call_cancel(id C.uint64_t, timeout C.int32_t) {
	bridge.CancelCall(uint64(id), timeout != 0)
}

//export gobridge_call_finish
func gobridge_call_finish(id C.uint64_t) C.gobridge_ret {
	status, data := bridge.FinishCall(uint64(id))
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	return C.gobridge_copy_out(C.int64_t(status), p, C.size_t(len(data)))
}

//export gobridge_release
func gobridge_release(h C.uint64_t) { bridge.Release(uint64(h)) }

//export gobridge_stats
func gobridge_stats() C.gobridge_ret { return run(bridge.Stats) }

//export gobridge_pickle
func gobridge_pickle(h C.uint64_t) C.gobridge_ret {
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.Pickle(uint64(h), enc) })
}

//export gobridge_unpickle
func gobridge_unpickle(name *C.char, nameLen C.size_t, module *C.char, moduleLen C.size_t,
	format *C.char, formatLen C.size_t, data *C.char, dataLen C.size_t) C.gobridge_ret {
	n, m, f := string(goBytes(name, nameLen)), string(goBytes(module, moduleLen)), string(goBytes(format, formatLen))
	// Copied: an UnmarshalBinary or UnmarshalText may keep its argument,
	// and Python frees the bytes when the call returns.
	d := append([]byte(nil), goBytes(data, dataLen)...)
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.Unpickle(n, m, f, d, enc) })
}

//export gobridge_copy
func gobridge_copy(h C.uint64_t) C.gobridge_ret {
	return run(func(enc *pymarshal.Encoder) bridge.Status { return bridge.Copy(uint64(h), enc) })
}
