package bridge

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/gobridge/gobridge/internal/convert"
	"github.com/gobridge/gobridge/pyerr"
)

// Frame calls are the C layer's path. The compiled shim converts a call's
// arguments from Python objects into typed slots, Go reads them without any
// encoding, and writes its results as slots that point into C memory, which
// the shim turns into Python objects. Which functions take this path, and
// how each value is laid out, is said by the function's frame signature.
//
// A frame signature is the letters of the parameters, a colon, and the
// letters of the results (without a trailing error):
//
//	?            bool
//	b h i q      int8, int16, int32, int64 (and int)
//	B H I Q      uint8, uint16, uint32, uint64 (and uint, uintptr)
//	f d          float32, float64
//	s            string: UTF-8 bytes
//	y            []byte (and, as a result, [N]byte): bytes
//	Y            py.Bytes: a bytes-like object lent for the call
//	l<e>         []e, e one of the letters above but y and Y: a list
//	m<e>         map[string]e, e as for l: a dict with str keys
//	K            a func of scalars (see scalarcallbacks.go): a Python
//	             callable lent for the call, as the number it is lent
//	             under, or 0 for None; only in scalar functions'
//	             signatures (below)
//
// A signature that starts with "=" (scalarMark) is a scalar function's:
// the C layer calls it through InvokeScalar, with its arguments' patterns
// as plain words and no frame.
//
// Scalars travel in a slot's Word as 64-bit patterns: signed integers
// sign-extended, unsigned ones zero-extended, floats as float64 bits, bool
// as 0 or 1. The shim has checked the range of narrow integers and float32
// before the call. Strings and bytes are a pointer and a length. A list is
// a pointer to its items and their count, each item a Word for scalars or
// a (pointer, length) pair for strings; a dict is a pointer to its keys,
// as (pointer, length) pairs, followed by its values laid out as a list's
// items, and the count. Every pointer in a result points into C memory:
// the caller's scratch area, or one block Go allocates when the results do
// not fit there.
//
// A str or bytes result of at least LargeResult bytes, ASCII when it is a
// str, is built in place instead: the C layer makes the Python object
// (bytes, or a compact ASCII str) of its length, Go copies the bytes into
// the object's own memory with the GIL released, and the result's slot
// holds the object, a new reference, with SlotObject set in Len. Through
// scratch or spill such a result would be copied twice more, and the spill
// block of a fresh large size costs its page faults on every call.

// Slot is an argument or a result as the C layer lays it out
// (gobridge_slot): a scalar's 64-bit pattern in Word, or the address of C
// memory in Word and its length in Len.
type Slot struct {
	Word uint64
	Len  uint64
}

// SlotObject marks a result slot whose Word is a Python object that the
// C layer built for Go to fill (gobridge_slot_object in frame.h).
const SlotObject = 1 << 63

// LargeResult is the size from which a str or bytes result is built in
// place. Below it the copies it saves cost less than taking the GIL once
// more to make the object.
const LargeResult = 1 << 20

// Result kinds that the C layer builds in place.
const (
	BuildBytes = 'y' // bytes
	BuildASCII = 's' // a str of ASCII characters
)

// buildObject makes the Python object of a result of kind and length n
// with builder, the C layer's (gobridge_builder), and returns it and where
// its n bytes go; obj is nil when Python is out of memory. dropObject
// gives one back. Package capi sets both.
var (
	buildObject func(builder unsafe.Pointer, kind byte, n int) (obj, data unsafe.Pointer)
	dropObject  func(builder, obj unsafe.Pointer)
)

// SetObjectBuilder installs the calls through which Go asks the C layer
// for the objects of results built in place.
func SetObjectBuilder(build func(builder unsafe.Pointer, kind byte, n int) (obj, data unsafe.Pointer),
	drop func(builder, obj unsafe.Pointer)) {
	buildObject, dropObject = build, drop
}

// CAlloc allocates n bytes of C memory that the caller of a frame call
// frees. Package capi sets it; it is never called with the GIL held by Go.
var CAlloc func(n int) unsafe.Pointer

// frameFunc runs a function, or a method on the object lent as self, on a
// frame's arguments and writes its results.
type frameFunc func(self uint64, args []Slot, out *frameResults) error

// frameSignature returns the frame signature of function f, or "" when
// some parameter or result has no frame layout.
func frameSignature(f *function) string {
	if f.desc == nil || f.variadic || f.takesContext {
		return ""
	}
	sig := make([]byte, 0, 8)
	for _, p := range f.params {
		letters := frameLetters(p.Type, true)
		if letters == "" {
			return ""
		}
		sig = append(sig, letters...)
	}
	sig = append(sig, ':')
	for _, t := range f.desc.Results {
		letters := frameLetters(t, false)
		if letters == "" {
			return ""
		}
		sig = append(sig, letters...)
	}
	return string(sig)
}

// frameLetters is the frame layout of type t, as a parameter or a result.
func frameLetters(t reflect.Type, param bool) string {
	if t == convert.BorrowedType {
		if param {
			return "Y"
		}
		return ""
	}
	if l := scalarLetter(t); l != 0 {
		return string(l)
	}
	if param && callbackKind(t) >= 0 {
		return "K"
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "y"
		}
		if l := scalarLetter(t.Elem()); l != 0 {
			return "l" + string(l)
		}
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && !param {
			return "y"
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String && t.Key() != convert.BorrowedType {
			if l := scalarLetter(t.Elem()); l != 0 {
				return "m" + string(l)
			}
		}
	}
	return ""
}

// scalarLetter is the letter of a type that fits one slot, or 0.
func scalarLetter(t reflect.Type) byte {
	if t == convert.BigIntType || t == convert.BorrowedType {
		return 0
	}
	switch t.Kind() {
	case reflect.Bool:
		return '?'
	case reflect.Int8:
		return 'b'
	case reflect.Int16:
		return 'h'
	case reflect.Int32:
		return 'i'
	case reflect.Int, reflect.Int64:
		return 'q'
	case reflect.Uint8:
		return 'B'
	case reflect.Uint16:
		return 'H'
	case reflect.Uint32:
		return 'I'
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return 'Q'
	case reflect.Float32:
		return 'f'
	case reflect.Float64:
		return 'd'
	case reflect.String:
		return 's'
	}
	return 0
}

// FrameState is what a frame call keeps while it writes its results. The
// caller provides it, so that a call allocates nothing: package capi lays
// it in the C frame's room for Go with FrameStateIn (it holds no Go
// pointer, as cgo's rules require of C memory). FrameStateSize is its size.
type FrameState = frameResults

// FrameStateIn returns the zero FrameState laid in room, C memory of at
// least FrameStateSize bytes. The room is cleared as words, not as a
// FrameState: while the garbage collector marks, every write of a pointer
// field shades the value it overwrites, and whatever the C stack left in
// the room would be taken for a Go pointer ("found bad pointer in Go heap").
func FrameStateIn(room []uint64) *FrameState {
	if len(room) < frameStateWords {
		panic("gobridge: the room for a FrameState is too small")
	}
	// An array of fixed size is cleared with inline stores, not a call.
	words := (*[frameStateWords]uint64)(unsafe.Pointer(unsafe.SliceData(room)))
	*words = [frameStateWords]uint64{}
	return (*FrameState)(unsafe.Pointer(words))
}

// frameStateWords is the size of a FrameState in 64-bit words.
const frameStateWords = int((FrameStateSize + 7) / 8)

// SetBuilder sets the C layer's builder of large results for the next
// call with this state; nil, the zero state's, writes every result to C
// memory. Invoke leaves it as it is.
func (o *FrameState) SetBuilder(builder unsafe.Pointer) { o.builder = builder }

// FrameStateSize is the size of a FrameState.
const FrameStateSize = unsafe.Sizeof(frameResults{})

// Invoke runs function fid (a method on the object lent as self, or a
// plain function when self is 0) on a frame's arguments and writes its
// results to results, with their memory in scratch or, when they do not
// fit, in one block from CAlloc, which it returns for the caller to free.
// out is the call's state, overwritten. A panic in the Go function becomes
// a GoPanic error.
func Invoke(fid, self uint64, args, results []Slot, scratch []byte, out *FrameState) (spill unsafe.Pointer, err error) {
	f := functions.get(fid)
	if f == nil || f.frame == nil {
		return nil, pyerr.RuntimeError("gobridge: function %d does not exist, was released, or has no frame path", fid)
	}
	if len(args) != len(f.params) || len(results) != f.nResults {
		return nil, pyerr.RuntimeError("gobridge: %s() called with %d arguments and %d results, not %d and %d",
			f.name, len(args), len(results), len(f.params), f.nResults)
	}
	// Field by field, into the caller's memory: a composite literal is
	// built on Go's stack and copied in 16-byte moves that miss store
	// forwarding, which costs a call more than its conversions.
	out.slots, out.scratch = results, scratch
	out.mem, out.used, out.spill, out.built = nil, 0, nil, 0
	if err := f.run(self, args, out); err != nil {
		if out.spill != nil {
			cFree(out.spill)
			out.spill = nil
		}
		out.dropBuilt()
		var bad *convert.InvalidUTF8
		if errors.As(err, &bad) {
			err = resultError(f, err)
		}
		return nil, err
	}
	return out.spill, nil
}

// run calls f's frame path; a panic becomes f's GoPanic error.
func (f *function) run(self uint64, args []Slot, out *frameResults) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = f.recovered(r)
		}
	}()
	return f.frame(self, args, out)
}

// InvokeScalar runs scalar function fid (see isScalar) on its arguments'
// 64-bit patterns, a method's on the object lent as self, and returns its
// result's pattern (0 when it has none). It is the whole of a scalar call,
// whose cost is mostly the crossing: every call in between shows in it. A
// panic in the Go function becomes a GoPanic error.
func InvokeScalar(fid, self, a0, a1 uint64) (r uint64, err error) {
	f := functions.get(fid)
	if f == nil || !f.scalar {
		return 0, pyerr.RuntimeError("gobridge: function %d does not exist, was released, or is not scalar", fid)
	}
	// Recover only when the call did not return, which spares every call
	// the runtime's recover.
	returned := false
	defer func() {
		if !returned {
			r, err = 0, f.recovered(recover())
		}
	}()
	if f.recvType != nil {
		// A method's fast path takes the receiver's handle first.
		a0, a1 = self, a0
	}
	r, err = f.fast(a0, a1)
	returned = true
	if err != nil {
		return 0, f.bindFastError(err)
	}
	return r, nil
}

// cFree gives back a block from CAlloc; package capi sets it.
var cFree func(unsafe.Pointer)

// SetCMemory installs the C allocator that frame calls use for results that
// do not fit the caller's scratch area.
func SetCMemory(alloc func(int) unsafe.Pointer, free func(unsafe.Pointer)) {
	CAlloc, cFree = alloc, free
}

// frameResults writes a call's results into C memory.
type frameResults struct {
	slots   []Slot
	scratch []byte
	mem     []byte
	used    int
	spill   unsafe.Pointer
	builder unsafe.Pointer // the C layer's gobridge_builder, or nil
	built   uint64         // the results, by bit, built in place so far
}

// reserve makes room for n bytes of results: the scratch area when they
// fit, else one block of C memory. It is called once per call, before any
// result is written.
func (o *frameResults) reserve(n int) {
	o.used = 0
	if n <= len(o.scratch) {
		o.mem = o.scratch
		return
	}
	o.spill = CAlloc(n)
	if o.spill == nil {
		panic("gobridge: out of C memory")
	}
	o.mem = unsafe.Slice((*byte)(o.spill), n)
}

// take returns the address of the next n reserved bytes.
func (o *frameResults) take(n int) []byte {
	b := o.mem[o.used : o.used+n : o.used+n]
	o.used += n
	return b
}

func addr(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&b[0])))
}

// str writes a string result, refusing invalid UTF-8 as the general path
// does (Invoke names the function in the error).
func (o *frameResults) str(slot *Slot, s string) error {
	if !utf8.ValidString(s) {
		return &convert.InvalidUTF8{Data: []byte(s), Offset: firstInvalid(s)}
	}
	b := o.take(len(s))
	copy(b, s)
	*slot = Slot{Word: addr(b), Len: uint64(len(s))}
	return nil
}

func (o *frameResults) bytes(slot *Slot, p []byte) {
	b := o.take(len(p))
	copy(b, p)
	*slot = Slot{Word: addr(b), Len: uint64(len(p))}
}

// inPlace reports whether a str or bytes result of n bytes is built in
// place rather than written to C memory.
func (o *frameResults) inPlace(n int) bool {
	return n >= LargeResult && o.builder != nil && buildObject != nil
}

// build writes result i, of kind BuildBytes or BuildASCII, into the Python
// object the C layer makes for it, and reports whether it did: a str that
// turns out not to be ASCII is not built. The caller has checked inPlace.
func (o *frameResults) build(i int, kind byte, s string) (bool, error) {
	obj, data := buildObject(o.builder, kind, len(s))
	if obj == nil {
		return false, &pyerr.Exception{Type: "MemoryError", Msg: fmt.Sprintf("gobridge: no memory for a result of %d bytes", len(s))}
	}
	if !fill(unsafe.Slice((*byte)(data), len(s)), s, kind == BuildASCII) {
		dropObject(o.builder, obj)
		return false, nil
	}
	o.built |= 1 << i
	o.slots[i] = Slot{Word: uint64(uintptr(obj)), Len: uint64(len(s)) | SlotObject}
	return true, nil
}

// dropBuilt gives back the objects of a call that failed after some of
// its results were built.
func (o *frameResults) dropBuilt() {
	for i := range o.slots {
		if o.built&(1<<i) != 0 {
			dropObject(o.builder, cPointer(&o.slots[i].Word))
		}
	}
	o.built = 0
}

// parallelFill is the size from which fill splits its copy among
// goroutines: the fresh memory of a large object costs a page fault every
// 4 KiB, which threads take in parallel.
const parallelFill = 4 << 20

// fill copies s to dst, which has room for it, split among up to
// GOMAXPROCS goroutines when s is large; when ascii is set it reports
// whether s is all ASCII.
func fill(dst []byte, s string, ascii bool) bool {
	shares := min(runtime.GOMAXPROCS(0), len(s)/(parallelFill/2))
	if shares < 2 {
		return copyTo(dst, s, ascii)
	}
	size := len(s) / shares
	var others atomic.Bool
	others.Store(true)
	var wg sync.WaitGroup
	wg.Add(shares - 1)
	for i := 0; i < shares-1; i++ {
		go func(at int) {
			defer wg.Done()
			if !copyTo(dst[at:at+size], s[at:at+size], ascii) {
				others.Store(false)
			}
		}(i * size)
	}
	last := (shares - 1) * size
	ok := copyTo(dst[last:], s[last:], ascii)
	wg.Wait()
	return ok && others.Load()
}

func copyTo(dst []byte, s string, ascii bool) bool {
	if !ascii {
		copy(dst, s)
		return true
	}
	return copyASCII(dst, s)
}

// asciiChunk is how much copyASCII copies before it checks what it
// copied: little enough to check in the cache, so that s is read from
// memory once, and to stop early in a str that is not ASCII.
const asciiChunk = 32 << 10

// copyASCII copies s to dst, which has room for it, and reports whether s
// is all ASCII, stopping at the chunk where it finds it is not. ASCII is
// also valid UTF-8: a string built in place needs no other check.
func copyASCII(dst []byte, s string) bool {
	for len(s) > 0 {
		n := min(len(s), asciiChunk)
		copy(dst, s[:n])
		if !isASCII(dst[:n]) {
			return false
		}
		dst, s = dst[n:], s[n:]
	}
	return true
}

// isASCII reports whether b is all ASCII, 32 bytes a step.
func isASCII(b []byte) bool {
	var high uint64
	for len(b) >= 32 {
		w := b[:32:32]
		high |= binary.LittleEndian.Uint64(w) | binary.LittleEndian.Uint64(w[8:]) |
			binary.LittleEndian.Uint64(w[16:]) | binary.LittleEndian.Uint64(w[24:])
		b = b[32:]
	}
	for _, c := range b {
		high |= uint64(c)
	}
	return high&0x8080808080808080 == 0
}

func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(s)
}

// fromWord is the Go value of type t that a scalar's pattern stands for.
func fromWord(t reflect.Type, w uint64) reflect.Value {
	v := reflect.New(t).Elem()
	setWord(v, w)
	return v
}

// setWord stores a scalar's pattern in v, in place.
func setWord(v reflect.Value, w uint64) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(w != 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(w))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(w)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(math.Float64frombits(w))
	}
}

// cString copies the UTF-8 bytes of a string slot into a Go string: Go
// may keep a string beyond the call, the Python str it came from may not
// live that long.
func cString(s Slot) string {
	if s.Len == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(cPointer(&s.Word)), int(s.Len)))
}

// stringCopies copies the UTF-8 bytes of several string slots into one Go
// allocation, which the strings it returns share: a dict's keys or a
// list's strings cost one allocation, not one each.
type stringCopies struct {
	buf []byte
}

// newStringCopies makes room for the strings of slots.
func newStringCopies(slots []Slot) stringCopies {
	n := 0
	for _, s := range slots {
		n += int(s.Len)
	}
	return stringCopies{buf: make([]byte, 0, n)}
}

// copy returns a Go copy of string slot s, which must be one of the slots
// c was made for.
func (c *stringCopies) copy(s Slot) string {
	if s.Len == 0 {
		return ""
	}
	start := len(c.buf)
	c.buf = append(c.buf, unsafe.Slice((*byte)(cPointer(&s.Word)), int(s.Len))...)
	return unsafe.String(&c.buf[start], int(s.Len))
}

// cBytes views the C memory of a slot; the caller copies what it keeps.
func cBytes(s Slot) []byte {
	if s.Len == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(cPointer(&s.Word)), int(s.Len))
}

// cSlots views the n slots whose address is in s.Word.
func cSlots(s Slot, n int) []Slot {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*Slot)(cPointer(&s.Word)), n)
}

// cWords views the n scalar patterns whose address is in s.Word.
func cWords(s Slot, n int) []uint64 {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(cPointer(&s.Word)), n)
}

// cPointer reads an address of C memory kept in a word. The word is read
// as a pointer rather than converted from an integer: the address is not
// Go memory, so the collector has nothing to track.
func cPointer(w *uint64) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(w)) }
