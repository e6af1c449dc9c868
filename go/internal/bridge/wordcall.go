package bridge

import (
	"math"
	"reflect"
	"unsafe"
)

// Reflection-free calls of functions whose parameters and result are all
// machine words: 64-bit integers, float64, pointers (a method's receiver,
// a func), and a bool or no result. reflect.Value.Call costs more than the
// cgo crossing, and a type switch can only name the signatures it lists;
// these calls go through the function typed by its words instead, which
// under both Go ABIs is passed exactly like the real type: every 64-bit
// integer in an integer register, float64 in a floating-point one, and
// any pointer-shaped value like unsafe.Pointer.

// wordArgs holds a word call's arguments by position: pointers in ptr,
// the others' raw 64-bit patterns in word. Pointers stay unsafe.Pointer,
// so the garbage collector sees them for the whole call.
type wordArgs struct {
	ptr  [MaxFastArity]unsafe.Pointer
	word [MaxFastArity]uint64
}

// wordCall calls a function on wordArgs and returns its result as a raw
// 64-bit pattern (bool as 0 or 1, 0 for no result).
type wordCall func(a wordArgs) uint64

// wordParam and wordResult are the Go types a word is passed as: uint64
// travels as int64, the same register.
type wordParam interface {
	int64 | float64 | unsafe.Pointer
}

type wordResult interface{ int64 | float64 | bool }

// wordLetter is the letter of a parameter or result type in a word
// signature: i (64-bit integer), d (float64), p (pointer-shaped), b
// (bool, results only), or 0 when t is none of these.
func wordLetter(t reflect.Type) byte {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		if t.Size() == 8 {
			return 'i'
		}
	case reflect.Float64:
		return 'd'
	case reflect.Pointer, reflect.Func, reflect.UnsafePointer:
		return 'p'
	case reflect.Bool:
		return 'b'
	}
	return 0
}

// wordCallOf returns the word call of fn, a function of type t, or nil
// when its signature is not all words (or has more than MaxFastArity
// parameters, or is variadic).
func wordCallOf(fn any, t reflect.Type) wordCall {
	if t.IsVariadic() || t.NumIn() > MaxFastArity || t.NumOut() > 1 {
		return nil
	}
	params := make([]byte, t.NumIn())
	for i := range params {
		if params[i] = wordLetter(t.In(i)); params[i] == 0 || params[i] == 'b' {
			return nil
		}
	}
	result := byte('v')
	if t.NumOut() == 1 {
		if result = wordLetter(t.Out(0)); result == 0 || result == 'p' {
			return nil
		}
	}
	var build func(any) wordCall
	switch len(params) {
	case 0:
		build = pickResult0(result)
	case 1:
		build = pickParam1(params[0], result)
	case 2:
		build = pickParam2(params[0], params[1], result)
	}
	if build == nil {
		return nil
	}
	return build(fn)
}

func pickParam2(a, b, r byte) func(any) wordCall {
	switch a {
	case 'i':
		return pickParam2b[int64](b, r)
	case 'd':
		return pickParam2b[float64](b, r)
	case 'p':
		return pickParam2b[unsafe.Pointer](b, r)
	}
	return nil
}

func pickParam2b[A wordParam](b, r byte) func(any) wordCall {
	switch b {
	case 'i':
		return pickResult2[A, int64](r)
	case 'd':
		return pickResult2[A, float64](r)
	case 'p':
		return pickResult2[A, unsafe.Pointer](r)
	}
	return nil
}

func pickResult2[A, B wordParam](r byte) func(any) wordCall {
	switch r {
	case 'i':
		return call2[A, B, int64]
	case 'd':
		return call2[A, B, float64]
	case 'b':
		return call2[A, B, bool]
	case 'v':
		return call2None[A, B]
	}
	return nil
}

func pickParam1(a, r byte) func(any) wordCall {
	switch a {
	case 'i':
		return pickResult1[int64](r)
	case 'd':
		return pickResult1[float64](r)
	case 'p':
		return pickResult1[unsafe.Pointer](r)
	}
	return nil
}

func pickResult1[A wordParam](r byte) func(any) wordCall {
	switch r {
	case 'i':
		return call1[A, int64]
	case 'd':
		return call1[A, float64]
	case 'b':
		return call1[A, bool]
	case 'v':
		return call1None[A]
	}
	return nil
}

func pickResult0(r byte) func(any) wordCall {
	switch r {
	case 'i':
		return call0[int64]
	case 'd':
		return call0[float64]
	case 'b':
		return call0[bool]
	case 'v':
		return call0None
	}
	return nil
}

// dataWord is the data word of an interface holding a pointer-shaped
// value: the pointer itself.
func dataWord(v any) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1]
}

// asWords gives fn, a function value held in an interface, the type F
// that spells its signature in words.
func asWords[F any](fn any) F {
	p := dataWord(fn)
	return *(*F)(unsafe.Pointer(&p))
}

func call0None(fn any) wordCall {
	f := asWords[func()](fn)
	return func(wordArgs) uint64 { f(); return 0 }
}

func call0[R wordResult](fn any) wordCall {
	f := asWords[func() R](fn)
	return func(wordArgs) uint64 { return resultWord(f()) }
}

func call1None[A wordParam](fn any) wordCall {
	f := asWords[func(A)](fn)
	return func(a wordArgs) uint64 { f(param[A](a, 0)); return 0 }
}

func call1[A wordParam, R wordResult](fn any) wordCall {
	f := asWords[func(A) R](fn)
	return func(a wordArgs) uint64 { return resultWord(f(param[A](a, 0))) }
}

func call2None[A, B wordParam](fn any) wordCall {
	f := asWords[func(A, B)](fn)
	return func(a wordArgs) uint64 { f(param[A](a, 0), param[B](a, 1)); return 0 }
}

func call2[A, B wordParam, R wordResult](fn any) wordCall {
	f := asWords[func(A, B) R](fn)
	return func(a wordArgs) uint64 { return resultWord(f(param[A](a, 0), param[B](a, 1))) }
}

func param[A wordParam](a wordArgs, k int) A {
	var v A
	switch p := any(&v).(type) {
	case *int64:
		*p = int64(a.word[k])
	case *float64:
		*p = math.Float64frombits(a.word[k])
	case *unsafe.Pointer:
		*p = a.ptr[k]
	}
	return v
}

func resultWord[R wordResult](r R) uint64 {
	switch v := any(r).(type) {
	case int64:
		return uint64(v)
	case float64:
		return math.Float64bits(v)
	case bool:
		if v {
			return 1
		}
	}
	return 0
}
