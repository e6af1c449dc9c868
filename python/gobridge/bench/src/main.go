// Command gobridge-bench is the benchmark's variant of the default gobridge
// library: the C ABI, every shipped module, the private test modules, the
// _bench module, and the "bare" exports below, which are what a careful
// hand-written binding of the same Go functions would export. The baselines
// (a bare cffi module, a C extension and ctypes) call the bare exports of the
// very library gobridge has loaded, so a process holds one Go runtime.
package main

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *data; size_t len; } bare_buf;
typedef int64_t (*bare_cb)(int64_t);

static int64_t bare_invoke(bare_cb f, int64_t x) { return f(x); }
*/
import "C"

import (
	"crypto/sha256"
	"math/bits"
	"runtime/cgo"
	"strings"
	"unsafe"

	_ "github.com/gobridge/gobridge/capi"
	_ "github.com/gobridge/gobridge/modules/all"
	_ "github.com/gobridge/gobridge/modules/testmod"
	"gobridgebench/benchmod"
)

//export bare_nop
func bare_nop() {}

//export bare_add
func bare_add(a, b C.int64_t) C.int64_t { return a + b }

//export bare_ones_count64
func bare_ones_count64(x C.uint64_t) C.int64_t {
	return C.int64_t(bits.OnesCount64(uint64(x)))
}

//export bare_rotate_left64
func bare_rotate_left64(x C.uint64_t, k C.int64_t) C.uint64_t {
	return C.uint64_t(bits.RotateLeft64(uint64(x), int(k)))
}

// bare_new_box returns a handle on a new benchmod.Box of factor n, which
// bare_free_box releases: how a C extension type holds a Go object.
//
//export bare_new_box
func bare_new_box(n C.int64_t) C.uintptr_t {
	return C.uintptr_t(cgo.NewHandle(benchmod.NewBox(int64(n))))
}

//export bare_free_box
func bare_free_box(h C.uintptr_t) { cgo.Handle(h).Delete() }

//export bare_box_scale
func bare_box_scale(h C.uintptr_t, x C.int64_t) C.int64_t {
	return C.int64_t(cgo.Handle(h).Value().(*benchmod.Box).Scale(int64(x)))
}

// bare_box_label returns Box.Label of the n UTF-8 bytes at s in a malloc'd
// buffer the caller frees.
//
//export bare_box_label
func bare_box_label(h C.uintptr_t, s *C.char, n C.size_t) C.bare_buf {
	return cBuf(cgo.Handle(h).Value().(*benchmod.Box).Label(unsafe.String((*byte)(unsafe.Pointer(s)), int(n))))
}

// cBuf copies s into a malloc'd buffer the caller frees.
func cBuf(s string) C.bare_buf {
	out := C.bare_buf{len: C.size_t(len(s))}
	out.data = (*C.char)(C.malloc(C.size_t(len(s) + 1)))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(out.data)), len(s)), s)
	return out
}

// bare_to_upper returns strings.ToUpper of the n UTF-8 bytes at s in a
// malloc'd buffer the caller frees.
//
//export bare_to_upper
func bare_to_upper(s *C.char, n C.size_t) C.bare_buf {
	return cBuf(strings.ToUpper(unsafe.String((*byte)(unsafe.Pointer(s)), int(n))))
}

// bare_sum256 writes the SHA-256 of the n bytes at p to the 32 bytes at out.
//
//export bare_sum256
func bare_sum256(p unsafe.Pointer, n C.size_t, out *C.uchar) {
	sum := sha256.Sum256(unsafe.Slice((*byte)(p), int(n)))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(out)), len(sum)), sum[:])
}

//export bare_sum_ints
func bare_sum_ints(xs *C.int64_t, n C.size_t) C.int64_t {
	var s C.int64_t
	for _, x := range unsafe.Slice(xs, int(n)) {
		s += x
	}
	return s
}

// bare_dict_sum builds the map[string]int64 whose keys are the n strings
// packed at keys (lengths in lens) and whose values are at vals, as
// gomod._bench.dict_sum receives it, and returns the sum of its values.
//
//export bare_dict_sum
func bare_dict_sum(keys *C.char, lens *C.size_t, vals *C.int64_t, n C.size_t) C.int64_t {
	m := make(map[string]int64, int(n))
	at := unsafe.Pointer(keys)
	for i, l := range unsafe.Slice(lens, int(n)) {
		m[C.GoStringN((*C.char)(at), C.int(l))] = int64(unsafe.Slice(vals, int(n))[i])
		at = unsafe.Add(at, l)
	}
	var s int64
	for _, v := range m {
		s += v
	}
	return C.int64_t(s)
}

//export bare_apply
func bare_apply(f C.bare_cb, x C.int64_t) C.int64_t { return C.bare_invoke(f, x) }

func main() {}
